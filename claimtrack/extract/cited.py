"""The sentences of a paper that cite sources: Markdown, Quarto and Manubot (pandoc citations) or LaTeX.

The manuscript reader (:mod:`claimtrack.manuscripts`) gives the prose, its
paragraphs, its sentences and the pandoc citations; this module adds the
LaTeX citation commands (``\\cite``, ``\\citep``, ``\\citet`` and their kin),
the section each sentence stands in, and what is not a claim: headings,
block quotations, figure and table captions, tables and code (code is never
prose to begin with). Cross-references (pandoc-crossref's ``@fig:x``, ``@tbl:x``,
``@eq:x``, ``@sec:x``; Quarto's ``@fig-x``, ``@tbl-x``...) are not citations.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

import attrs
from markdown_it import MarkdownIt

from ..errors import DocumentError
from ..manuscripts.reading import parse_manuscript
from ..manuscripts.records import CitationGroup, CitationItem, Manuscript, Sentence
from ..manuscripts.tex import _masked

__all__ = ["CitedSentence", "cited_sentences", "CROSSREF_PREFIXES"]

#: Keys with these prefixes are cross-references to figures, tables, equations, sections...: pandoc-crossref's
#: (``@fig:x``) and Quarto's (``@fig-x``).
CROSSREF_PREFIXES = (
    "fig:", "tbl:", "eq:", "sec:", "lst:",
    "fig-", "tbl-", "eq-", "sec-", "lst-", "thm-", "lem-", "cor-", "prp-", "cnj-", "def-", "exm-", "exr-",
)  # fmt: skip
_LATEX_CITE = re.compile(r"\\(?P<command>[a-zA-Z]*cite[a-zA-Z]*)\*?\s*(?:\[[^\[\]]*\]\s*){0,2}\{(?P<body>[^{}]*)\}")
_LATEX_OPEN_CITE = re.compile(r"\\[a-zA-Z]*cite[a-zA-Z]*\*?\s*(?:\[[^\[\]]*\]\s*){0,2}\{[^{}]*(?:\n[ \t]*\n|\Z)")
_LATEX_SECTION = re.compile(r"\\(?:part|chapter|section|subsection|subsubsection)\*?\s*(?:\[[^\[\]]*\])?\s*\{([^{}]*)\}")
_LATEX_QUOTE = re.compile(r"\\begin\{(quote|quotation|displayquote|verse|figure\*?|table\*?)\}.*?\\end\{\1\}", re.S)
_LATEX_CAPTION = re.compile(r"\\caption\*?\s*(?:\[[^\[\]]*\])?\s*\{")
_OPEN_BRACKET = re.compile(r"(?<![\\!])\[(?=[^\[\]\n]*?(?<![\w@\\])-?@\w)")
_SPACE = re.compile(r"\s+")
_BRACKETED_CITE = re.compile(r"\s*\[[^\[\]]*@[^\[\]]*\]")
_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?)\]])")
_AFTER_OPEN = re.compile(r"([(\[])\s+")
_EMPTY_PARENS = re.compile(r"\(\s*[,;]?\s*\)")
_CAPTION_START = re.compile(r"\s*(?:!\[|Table:|:\s)")


@attrs.frozen
class CitedSentence:
    """A sentence citing sources: its span in the text (``start``/``end``, citations included), its 1-based line,
    its words as written (``verbatim``), what it says without citation marks (``statement``), the source keys and
    claim ids it cites, its section's heading, and the citation a claim citation goes beside (``last``)."""

    start: int
    end: int
    line: int
    verbatim: str
    statement: str
    keys: tuple[str, ...]
    claims: tuple[str, ...]
    section: str | None
    last: CitationGroup


_KEY_TAIL = re.compile(r"[^\s;,\[\]{}]*")


def _whole_keys(text: str, group: CitationGroup) -> CitationGroup:
    """A group whose keys run on past ``:/`` (Manubot's ``@url:https://...``), with their whole text."""
    items = []
    for item in group.items:
        if item.claim is None and text.startswith((":/", "/"), item.key_end):
            tail = _KEY_TAIL.match(text, item.key_end)
            end = tail.end() if tail else item.key_end
            while end > item.key_end and text[end - 1] in ".,:":
                end -= 1
            item = attrs.evolve(item, key=item.key + text[item.key_end : end], key_end=end, end=max(item.end, end))
        items.append(item)
    return attrs.evolve(group, items=tuple(items))


def _is_crossref(key: str) -> bool:
    return key.startswith(CROSSREF_PREFIXES)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


_BLOCKS = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


def _markdown_layout(text: str, starts: list[int]) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    """Headings as (offset, title) and the (start, end) spans that hold no claims (quotations, tables, headings)."""
    headings: list[tuple[int, str]] = []
    skipped: list[tuple[int, int]] = []

    def span(first: int, last: int) -> tuple[int, int]:
        return starts[min(first, len(starts) - 1)], starts[last] if last < len(starts) else len(text)

    # The blocks are wanted, not their inline parse (most of the time): a heading's title is its token's content.
    tokens = _BLOCKS.parse(text)
    for i, token in enumerate(tokens):
        if token.map is None:
            continue
        if token.type == "heading_open":
            title = tokens[i + 1].content if i + 1 < len(tokens) else ""
            start, end = span(*token.map)
            title = _EMPHASIS.sub(r"\2", _BRACKETED_CITE.sub("", _LINK.sub(r"\1", title)))
            headings.append((start, _SPACE.sub(" ", title).strip(" #*_")))
            skipped.append((start, end))
        elif token.type in ("blockquote_open", "table_open") or token.type == "inline" and _CAPTION_START.match(token.content):
            skipped.append(span(*token.map))
    return headings, skipped


def _latex_layout(masked: str) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    headings = [(m.start(), _SPACE.sub(" ", m.group(1)).strip()) for m in _LATEX_SECTION.finditer(masked)]
    skipped = [(m.start(), m.end()) for m in _LATEX_QUOTE.finditer(masked)]
    for found in _LATEX_CAPTION.finditer(masked):
        depth, pos = 1, found.end()
        while pos < len(masked) and depth:
            depth += {"{": 1, "}": -1}.get(masked[pos], 0)
            pos += 1
        skipped.append((found.start(), pos))
    return headings, skipped


def _latex_groups(masked: str, m: Manuscript) -> list[CitationGroup]:
    groups = list(m.groups)  # the \claim citations
    for found in _LATEX_CITE.finditer(masked):
        items = []
        pos = found.start("body")
        for part in found.group("body").split(","):
            key = part.strip()
            if key:
                at = pos + part.index(key)
                items.append(CitationItem(key, None, at, at + len(key), at, at + len(key)))
            pos += len(part) + 1
        if items:
            groups.append(CitationGroup("latex", found.start(), found.end(), tuple(items)))
    return sorted(groups, key=lambda g: g.start)


def _check_balanced(text: str, masked: str, syntax: str, regions: Iterable[tuple[int, int]], path: str) -> None:
    def fail(offset: int, what: str, hint: str) -> None:
        line = text.count("\n", 0, offset) + 1
        raise DocumentError(f"a citation has an unbalanced {what}", file=path, line=line, hint=hint)

    if syntax == "latex":
        found = _LATEX_OPEN_CITE.search(masked)
        if found:
            fail(found.start(), "brace", "close its key list with }")
        return
    for start, end in regions:
        for found in _OPEN_BRACKET.finditer(masked, start, end):
            close = masked.find("]", found.end(), end)
            reopen = masked.find("[", found.end(), end)
            if close < 0 or 0 <= reopen < close:
                fail(found.start(), "bracket", "close it with ] after its last key, e.g. [@key1; @key2]")


_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|~~|\*|(?<!\w)_)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_CODE = re.compile(r"(`+)(.+?)\1")
_ATTRIBUTES = re.compile(r"\{[#.][^{}]*\}")


def _markdown_plain(text: str, start: int, end: int, groups: list[CitationGroup]) -> str:
    """The sentence's Markdown as plain text: citations out, links to their text, emphasis and code marks gone."""
    pieces, pos = [], start
    for group in groups:
        if group.start >= pos:
            pieces.append(text[pos : group.start])
            pos = group.end
    pieces.append(text[pos:end])
    plain = "".join(pieces)
    for _ in range(2):  # emphasis inside a link, a link inside emphasis
        plain = _LINK.sub(r"\1", plain)
        plain = _EMPHASIS.sub(r"\2", plain)
    plain = _CODE.sub(lambda m: m.group(2).strip(), plain)
    return _statement(_ATTRIBUTES.sub("", plain))


def _statement(prose: str) -> str:
    text = _SPACE.sub(" ", prose).strip()
    text = _EMPTY_PARENS.sub("", text)
    text = _BEFORE_PUNCT.sub(r"\1", text)
    text = _AFTER_OPEN.sub(r"\1", text)
    return _SPACE.sub(" ", text).strip()


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    index = bisect.bisect_right(spans, (offset, len(spans) and 1 << 62)) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def cited_sentences(text: str, *, path: str = "<text>", syntax: str | None = None) -> list[CitedSentence]:
    """Every sentence of ``text`` that cites a source or a claim, in order.

    >>> [s.keys for s in cited_sentences("GPT-3 has 175B parameters [@brown2020].", path="a.md")]
    [('brown2020',)]
    """
    m = parse_manuscript(text, path=path, syntax=syntax)
    starts = _line_starts(text)
    if m.syntax == "latex":
        masked = _masked(text)
        headings, skipped = _latex_layout(masked)
        groups = _latex_groups(masked, m)
    else:
        masked = text
        headings, skipped = _markdown_layout(text, starts)
        groups = [_whole_keys(text, group) for group in m.groups]
    _check_balanced(text, masked, m.syntax, m.regions, path)
    skipped.sort()
    heading_starts = [start for start, _ in headings]
    by_sentence: dict[int, tuple[Sentence, list[CitationGroup]]] = {}
    all_groups: dict[int, list[CitationGroup]] = {}  # every citation of a sentence, cross-references too
    for group in groups:
        held = m.sentence_at(group.start)
        if held is not None:
            all_groups.setdefault(held.start, []).append(group)
        items = [item for item in group.items if item.claim is not None or not _is_crossref(item.key)]
        if not items or _inside(skipped, group.start):
            continue
        sentence = m.sentence_at(group.start)
        if sentence is None or _inside(skipped, sentence.start):
            continue
        by_sentence.setdefault(sentence.start, (sentence, []))[1].append(attrs.evolve(group, items=tuple(items)))
    out = []
    for sentence, cites in by_sentence.values():
        start = min(sentence.start, cites[0].start)
        while start > 0 and text[start - 1] in "*_[":
            start -= 1
        end = max(sentence.end, cites[-1].end)
        keys = tuple(dict.fromkeys(i.key for g in cites for i in g.items if i.claim is None))
        claims = tuple(dict.fromkeys(i.claim for g in cites for i in g.items if i.claim is not None))
        at = bisect.bisect_right(heading_starts, start) - 1
        out.append(
            CitedSentence(
                start=start,
                end=end,
                line=bisect.bisect_right(starts, start),
                verbatim=text[start:end],
                statement=_statement(m.prose[sentence.start : sentence.end])
                if m.syntax == "latex"
                else _markdown_plain(text, start, end, all_groups[sentence.start]),
                keys=keys,
                claims=claims,
                section=headings[at][1] if at >= 0 else None,
                last=cites[-1],
            )
        )
    return out
