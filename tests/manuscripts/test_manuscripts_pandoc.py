"""Claim citations in Markdown: what pandoc would read as a citation, and only that."""

from __future__ import annotations

import pytest

from claimtrack.manuscripts import parse_manuscript


def cited(text: str) -> list[tuple[str, ...]]:
    return [group.claims for group in parse_manuscript(text, path="paper.md").groups if group.claims]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param("A [@claim:ctx-window].", [("ctx-window",)], id="bracket"),
        pytest.param("A [@claim:a; @claim:b].", [("a", "b")], id="two-in-one"),
        pytest.param("A [see @claim:a, p. 3; @brown2020].", [("a",)], id="prefix-locator-and-ordinary-key"),
        pytest.param("As @claim:a says.", [("a",)], id="in-text"),
        pytest.param("As @claim:a.", [("a",)], id="sentence-period-not-in-key"),
        pytest.param("A [-@claim:a].", [("a",)], id="suppress-author"),
        pytest.param("A @{claim:a}.", [("a",)], id="braced"),
        pytest.param("Mail me@claim:a today.", [], id="e-mail-address"),
        pytest.param("Not \\@claim:a here.", [], id="escaped-at"),
        pytest.param("Code `[@claim:a]` here.", [], id="code-span"),
        pytest.param("Code ``x `[@claim:a]` y`` here.", [], id="double-backtick-span"),
        pytest.param("```\n[@claim:a]\n```\n", [], id="fence"),
        pytest.param("    [@claim:a]\n", [], id="indented-code"),
        pytest.param("<!-- [@claim:a] -->\n", [], id="html-block-comment"),
        pytest.param("Text <!-- [@claim:a] --> more.", [], id="inline-comment"),
        pytest.param("A [link](https://x.org/@claim:a).", [], id="link-target"),
        pytest.param('---\ncite: "[@claim:a]"\n---\n\nBody [@claim:b].\n', [("b",)], id="front-matter"),
        pytest.param("A [@brown2020] only.", [], id="no-claim-key"),
        pytest.param("A [note with @ sign].", [], id="bracket-without-key"),
        pytest.param("- item [@claim:a]\n- item @claim:b\n", [("a",), ("b",)], id="list-items"),
        pytest.param("> quoted [@claim:a]\n", [("a",)], id="blockquote"),
        pytest.param("A [@claim:Bad_Id].", [("Bad_Id",)], id="malformed-id-is-still-a-citation"),
    ],
)
def test_citations(text, want):
    assert cited(text) == want


def test_positions_are_lines_and_columns_of_the_key():
    m = parse_manuscript("# T\n\nOne.\nTwo [@claim:a; @claim:b].\n", path="paper.md")
    (group,) = m.groups
    assert [m.position(item.key_start) for item in group.items] == [(4, 6), (4, 16)]


def test_the_sentence_of_a_citation_is_its_running_text():
    m = parse_manuscript(
        "First **bold** claim [@claim:a]. Second ~~struck~~ one\nover two lines [@claim:b]. Third.", path="paper.md"
    )
    first, second = (m.sentence_at(g.start) for g in m.groups)
    assert first is not None and first.text == "First bold claim ."
    assert second is not None and second.text == "Second one over two lines ."


def test_a_citation_after_the_period_belongs_to_the_sentence_before():
    m = parse_manuscript("It has 4096 tokens. [@claim:a] Next sentence.", path="paper.md")
    sentence = m.sentence_at(m.groups[0].start)
    assert sentence is not None and sentence.text == "It has 4096 tokens."
