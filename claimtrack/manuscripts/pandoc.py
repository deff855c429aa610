"""Claim citations in Markdown and Quarto: pandoc's citation syntax with a ``claim:`` prefix.

``[@claim:a]``, ``[see @claim:a, p. 3; @claim:b]``, ``[-@claim:a]`` and an
in-text ``@claim:a`` are citations; so is every other pandoc key
(``@brown2020``), which :mod:`render` keeps as written. markdown-it-py finds
the blocks: fenced and indented code and HTML blocks are not prose, and
neither are inline code spans, HTML comments or link destinations inside a
paragraph. A YAML front matter block is skipped.

The key follows pandoc: it starts with a letter, digit or ``_`` and may hold
``:.#$%&-+?<>~/`` between word characters, so the period ending a sentence
is not part of ``@claim:a.``; ``@{claim:a}`` is the braced form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it import MarkdownIt

from .records import CLAIM_KEY_PREFIX, CitationGroup, CitationItem

__all__ = ["scan_pandoc"]

_KEY = r"(?:\{(?P<braced>[^{}\s]+)\}|(?P<plain>[\w](?:[\w]|[:.#$%&\-+?<>~/](?=\w))*))"
# "@" not after a word character, "@" or "\\" (an e-mail address, an escaped "@"), optionally after "-".
_AT = re.compile(r"(?<![\w@\\])-?@" + _KEY)
_BRACKET = re.compile(r"(?<!\\)\[(?P<body>[^\[\]]*)\](?![(\[:])")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_BACKTICKS = re.compile(r"`+")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\((?P<target>[^()\s]*(?:\s+\"[^\"]*\")?)\)")
_MARKUP = re.compile(
    r"~~|\*\*?|(?<!\w)__?|__?(?!\w)|^[ \t]*(?:>[ \t]?)+|^[ \t]*(?:[-+*]|\d+[.)])[ \t]+|^#{1,6}[ \t]", re.MULTILINE
)
_EMPTY_LINK = re.compile(r"\]\(\s*\)")  # a link's "](target)" once the target is blanked
_STRUCK = re.compile(r"~~(?!\s)(?:[^~]|~(?!~))*?~~")


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _parser() -> MarkdownIt:
    # Only the blocks are wanted (their lines); the inline rules, most of the parse's time, are left out.
    return MarkdownIt("commonmark").disable(["inline", "text_join"])


def _inline_regions(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the source lines markdown-it reads as inline text (paragraphs, headings, cells)."""
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    starts.append(len(text))
    regions: list[tuple[int, int]] = []
    for token in _parser().parse(text):
        if token.type == "inline" and token.map:
            first, last = token.map
            start, end = starts[min(first, len(starts) - 1)], starts[min(last, len(starts) - 1)]
            if end > start:
                regions.append((start, end))
    return regions


def _code_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Inline code spans in ``text[start:end]`` by CommonMark's rule: a run of n backticks closed by a run of n."""
    pos = start
    while (opening := _BACKTICKS.search(text, pos, end)) is not None:
        width = len(opening.group())
        closing = _BACKTICKS.search(text, opening.end(), end)
        while closing is not None and len(closing.group()) != width:
            closing = _BACKTICKS.search(text, closing.end(), end)
        if closing is None:  # an unclosed run is literal backticks
            pos = opening.end()
            continue
        yield opening.start(), closing.end()
        pos = closing.end()


def _items(body: str, offset: int) -> list[CitationItem] | None:
    """The items of a bracket's body split at ``;``, or None when a part holds no key (not a citation)."""
    items = []
    pos = 0
    for part in body.split(";"):
        match = _AT.search(part)
        if match is None:
            return None
        items.append(_item(match, offset + pos, offset + pos, offset + pos + len(part)))
        pos += len(part) + 1
    return items


def _item(match: re.Match[str], base: int, start: int, end: int) -> CitationItem:
    key = match.group("braced") or match.group("plain")
    claim = key[len(CLAIM_KEY_PREFIX) :] if key.startswith(CLAIM_KEY_PREFIX) else None
    return CitationItem(key, claim, start, end, base + match.start(), base + match.end())


def scan_pandoc(text: str) -> tuple[list[CitationGroup], str, list[tuple[int, int]]]:
    """The citation groups of a Markdown text, its prose (see :class:`Manuscript`) and its paragraphs."""
    chars = list(text)
    front = _FRONT_MATTER.match(text)
    if front:
        _blank(chars, 0, front.end())
    masked = "".join(chars)
    regions = [r for r in _inline_regions(masked) if r[1] > (front.end() if front else 0)]
    inline = [c if c == "\n" else " " for c in chars]
    for start, end in regions:
        inline[start:end] = chars[start:end]
    # Inside the paragraphs: no code spans, HTML comments or link targets.
    for start, end in regions:
        for a, b in _code_spans(masked, start, end):
            _blank(inline, a, b)
        for found in _COMMENT.finditer(masked, start, end):
            _blank(inline, found.start(), found.end())
        for found in _LINK_TARGET.finditer(masked, start, end):
            _blank(inline, found.start("target"), found.end("target"))
    scannable = "".join(inline)
    groups: list[CitationGroup] = []
    taken: list[tuple[int, int]] = []
    for found in _BRACKET.finditer(scannable):
        items = _items(found.group("body"), found.start("body"))
        if items:
            groups.append(CitationGroup("bracket", found.start(), found.end(), tuple(items)))
            taken.append((found.start(), found.end()))
    inside = iter(taken)
    current = next(inside, None)
    for found in _AT.finditer(scannable):
        while current is not None and current[1] <= found.start():
            current = next(inside, None)
        if current is not None and current[0] <= found.start() < current[1]:
            continue
        groups.append(CitationGroup("intext", found.start(), found.end(), (_item(found, 0, found.start(), found.end()),)))
    groups.sort(key=lambda g: g.start)
    return groups, _prose(scannable, groups), regions


def _prose(scannable: str, groups: list[CitationGroup]) -> str:
    """The running text: citations, struck text and Markdown marks blanked."""
    chars = list(scannable)
    for group in groups:
        _blank(chars, group.start, group.end)
    text = "".join(chars)
    for found in _STRUCK.finditer(text):
        _blank(chars, found.start(), found.end())
    for found in _MARKUP.finditer(text):
        _blank(chars, found.start(), found.end())
    for found in _EMPTY_LINK.finditer(text):
        _blank(chars, found.start(), found.end())
    for i, char in enumerate(chars):
        if char in "`[]" or (char == "(" and i and chars[i - 1] == "]"):
            chars[i] = " "
    return "".join(chars)
