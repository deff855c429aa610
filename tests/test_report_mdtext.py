"""Markdown escaping (claimtrack.report.mdtext), checked with markdown-it-py for any text.

A value must come out of a CommonMark + GFM-tables parser as exactly its own text (whitespace aside):
one table cell in a table row, one plain paragraph in a document, no list, code block, heading,
emphasis, link or HTML made of it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

import claimtrack
import claimtrack.report as report
from claimtrack.report.mdtext import md_escape
from claimtrack.terminal import CONTROLS, written

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Text rich in what Markdown reads: markers, line breaks of every kind, indentation, entities.
SPECIAL = list("\\`*_[]~|#{}!<>&;:()=+-.)1234567890 \t\r\n\"'/^$%") + ["&amp;", "&#35;", "    ", "1)", "1.", " - ", "\r\n"]
texts = st.lists(st.sampled_from(SPECIAL) | st.characters(blacklist_categories=("Cs",)), max_size=30).map("".join)
HOSTILE = [
    "1) first",
    " - item",
    "    indented code",
    "\tcode after a tab",
    "a | b\nc",
    "a\rb",
    "a\r\n- b",
    "# heading",
    "---",
    "===",
    "> quote",
    "<b>bold</b>",
    "[link](http://x.test)",
    "![image](x.png)",
    "`code`",
    "~~struck~~",
    "*em* _em_ **strong**",
    "&amp; &#35; &copy;",
    "123456789. nine digits",
    "\\",
    "a\\",
    "|",
]


def _normal(text: str) -> str:
    """What a reader sees of a text: its words, whitespace aside."""
    return " ".join(text.split())


def _seen(value: str) -> str:
    """What a reader sees of a value in the report: its line breaks as spaces, its control characters as the
    escapes text output shows (``\\x1b``, ``\\u202e``), whitespace aside."""
    return _normal(CONTROLS.sub(lambda m: written(m.group()), re.sub(r"\s*[\r\n]\s*", " ", value)))


def _only_text(inline: Token) -> str:
    """The text of an inline token that holds nothing but text (a soft break, from the page itself, reads as a space)."""
    children = inline.children or []
    assert [t.type for t in children if t.type not in ("text", "softbreak")] == [], [(t.type, t.content) for t in children]
    return "".join(" " if t.type == "softbreak" else t.content for t in children)


@settings(max_examples=60)
@given(texts)
@pytest.mark.parametrize("case", HOSTILE)
def test_a_value_stays_one_table_cell(case: str, text: str) -> None:
    for value in (case, text, case + text, text + case):
        doc = f"| id | value |\n| --- | --- |\n| x | {md_escape(value)} |\n| y | after |\n"
        tokens = PARSER.parse(doc)
        assert [t.type for t in tokens].count("tr_open") == 3  # the header and the two rows: no row broken or added
        cells = [t for t in tokens if t.type == "inline"]
        assert [c.content for c in cells[:2]] == ["id", "value"] and cells[2].content == "x" and cells[4:] == cells[4:6]
        assert len(cells) == 6
        assert _normal(_only_text(cells[3])) == _seen(value)
        assert _only_text(cells[5]) == "after"


BLOCKS = {"paragraph_open", "paragraph_close", "inline"}


@settings(max_examples=60)
@given(texts)
@pytest.mark.parametrize("case", HOSTILE)
def test_a_value_stays_plain_text_in_a_paragraph(case: str, text: str) -> None:
    for value in (case, text, case + text):
        for before in ("", "Before.\n\n", "Before, on the line above:\n"):
            tokens = PARSER.parse(f"{before}{md_escape(value)}\n")
            assert {t.type for t in tokens} <= BLOCKS, [t.type for t in tokens]  # no list, code, heading, quote, HTML
            shown = " ".join(_only_text(t) for t in tokens if t.type == "inline")
            assert _normal(shown) == _seen(before.replace("\n", " ") + " " + value)


@example("1) a | b\n    c")
@given(texts)
def test_md_escape_is_one_line(text: str) -> None:
    escaped = md_escape(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert not escaped.startswith(("  ", "\t"))


def test_a_hostile_statement_keeps_the_report_table_whole(tmp_path: Path) -> None:
    lib = claimtrack.open(claimtrack.init(tmp_path / "lib"))
    statements = {
        "list": "1) a statement read as a list",
        "bullet": " - a statement read as a bullet",
        "code": "    an indented statement | with a pipe",
        "rows": "a line\rbreak and\r\nanother | cell",
    }
    for claim_id, statement in statements.items():
        lib.add(claim_id, statement, by="A", date="2023-01-01")
    md = report.render(claimtrack.open(lib.root), ["md"])["README.md"]
    tokens = PARSER.parse(md)
    assert not {"bullet_list_open", "ordered_list_open", "code_block", "fence"} & {t.type for t in tokens}
    # the only HTML is the report's own <details> around the findings
    assert {t.content.strip() for t in tokens if t.type == "html_block"} <= {
        "<details><summary>warning: 4</summary>",
        "</details>",
    }
    tables: list[list[list[Token]]] = []  # each table's rows (header first), each row's cells
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append([])
        elif token.type == "inline" and tables and tables[-1] and token.level >= 3:
            tables[-1][-1].append(token)
        elif token.type == "table_close":
            tables[-1] = [row for row in tables[-1] if row]
    [claims] = [t for t in tables if [c.content for c in t[0][:2]] == ["claim", "statement"]]
    header, *rows = claims
    assert len(rows) == len(statements) and {len(r) for r in rows} == {len(header)}
    assert {_normal(_only_text(r[1])) for r in rows} == {_normal(s) for s in statements.values()}
