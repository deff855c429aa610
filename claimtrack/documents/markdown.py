"""Markdown to plain-text blocks with the tracked-change marks kept as runs.

markdown-it-py does the parsing (CommonMark plus its ``strikethrough`` rule);
CriticMarkup (``{++ ++}``, ``{-- --}``, ``{~~ old ~> new ~~}``, ``{>> <<}``,
``{== ==}``) is an inline rule of our own, registered before strikethrough so
``{~~`` is never read as the start of ``~~struck~~`` text.

A :class:`Block` is one paragraph or heading: its inline tokens joined into
one plain string, and the :class:`Run` spans saying which part of that string
was struck, bold, inserted... Everything downstream works on these offsets,
never on the raw Markdown.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Container, Iterator

import attrs
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

__all__ = ["Run", "Block", "parse_markdown", "plain_blocks", "markdown_parser", "critic_plugin"]

# Run kinds. "text" is ordinary text; the others are tracked-change marks.
TEXT, STRUCK, INSERTED, DELETED, SUB_OLD, SUB_NEW, COMMENT, HIGHLIGHT = (
    "text", "struck", "inserted", "deleted", "sub_old", "sub_new", "comment", "highlight",
)  # fmt: skip

#: What a reader of the corrected ("new") version sees, and of the original ("old") one.
_HIDDEN_IN_NEW = frozenset({STRUCK, DELETED, SUB_OLD, COMMENT})
_HIDDEN_IN_OLD = frozenset({INSERTED, SUB_NEW, COMMENT})

_CRITIC = {
    "{++": ("insert", "++}"),
    "{--": ("delete", "--}"),
    "{~~": ("substitute", "~~}"),
    "{>>": ("comment", "<<}"),
    "{==": ("highlight", "==}"),
}


@attrs.frozen
class Run:
    """A span ``[start, end)`` of a block's text with its marks.

    ``strong`` is the number of the bold or italic run it sits in (-1 when
    neither), so two adjacent emphasised runs stay apart; ``group`` ties the two halves of a
    CriticMarkup substitution together.
    """

    start: int
    end: int
    kind: str = TEXT
    strong: int = -1
    code: bool = False
    group: int = -1


@attrs.frozen
class Block:
    """One paragraph or heading as plain text, with its runs and line numbers."""

    text: str
    runs: tuple[Run, ...]
    line: int  # 1-based line of the block's first line
    breaks: tuple[int, ...] = ()  # offsets in text where a new source line starts, ascending
    heading: bool = False
    # the runs' starts, ascending, so a run is found by bisection (a paragraph may hold a million runs)
    _starts: tuple[int, ...] = attrs.field(init=False, eq=False, repr=False)

    @_starts.default
    def _run_starts(self) -> tuple[int, ...]:
        return tuple(run.start for run in self.runs)

    def line_at(self, offset: int) -> int:
        """The 1-based source line of a text offset."""
        return self.line + bisect.bisect_right(self.breaks, offset)  # breaks ascend: a long paragraph stays linear

    def render(self, version: str = "new") -> tuple[str, tuple[int, ...]]:
        """The block as read in one version, and each character's offset in ``text``.

        ``new`` drops struck, deleted and replaced text and comments; ``old``
        drops inserted and replacing text and comments; ``all`` keeps all.
        """
        hidden = {"new": _HIDDEN_IN_NEW, "old": _HIDDEN_IN_OLD, "all": frozenset({COMMENT})}[version]
        chars: list[str] = []
        where: list[int] = []
        for run in self.runs:
            if run.kind in hidden:
                continue
            chars.append(self.text[run.start : run.end])
            where.extend(range(run.start, run.end))
        return "".join(chars), tuple(where)

    def run_at(self, offset: int) -> Run | None:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index >= 0 and offset < self.runs[index].end:
            return self.runs[index]
        return None


def _next(state: StateInline, needle: str, start: int) -> int:
    """Where ``needle`` next occurs in the inline text at or after ``start`` (before ``posMax``), or -1.

    The answer is remembered on the state: every later search starting at or before it
    gets it without scanning again, so a text of many openers without a closer is read
    once, not once per opener.
    """
    found: dict[tuple[str, int], tuple[int, int]] = vars(state).setdefault("_critic_found", {})
    key = (needle, state.posMax)
    known = found.get(key)
    if known is not None:
        searched_from, at = known
        if searched_from <= start and (at < 0 or at >= start):
            return at
    at = state.src.find(needle, start, state.posMax)
    found[key] = (start, at)
    return at


def _critic_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule: one CriticMarkup mark, from its opener to its closer, as a ``critic`` token."""
    pos = state.pos
    opener = state.src[pos : pos + 3]
    if opener not in _CRITIC:
        return False
    kind, closer = _CRITIC[opener]
    end = _next(state, closer, pos + 3)
    if end < 0 or end + 3 > state.posMax:
        return False
    if kind == "substitute":
        arrow = _next(state, "~>", pos + 3)
        if arrow < 0 or arrow + 2 > end:
            return False
    body = state.src[pos + 3 : end]
    if not silent:
        token = state.push("critic", "", 0)
        token.markup = opener
        token.content = body
        token.meta = {"kind": kind}
    state.pos = end + 3
    return True


def critic_plugin(md: MarkdownIt) -> None:
    """Register the CriticMarkup inline rule on a parser."""
    md.inline.ruler.before("strikethrough", "criticmarkup", _critic_rule)


_PARSER: MarkdownIt | None = None


def markdown_parser() -> MarkdownIt:
    """The shared parser: CommonMark, strikethrough, CriticMarkup; raw HTML kept as tokens we skip."""
    global _PARSER
    if _PARSER is None:
        _PARSER = MarkdownIt("commonmark").enable("strikethrough").use(critic_plugin)
    return _PARSER


class _Builder:
    """Joins inline tokens into text, recording runs and line breaks."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.runs: list[Run] = []
        self.breaks: list[int] = []
        self.struck = 0
        self.strong_depth = 0
        self.strong_id = -1
        self.next_strong = 0
        self.next_group = 0

    def add(self, text: str, kind: str | None = None, *, code: bool = False, group: int = -1) -> None:
        if not text:
            return
        if kind is None:
            kind = STRUCK if self.struck else TEXT
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        strong = self.strong_id if self.strong_depth else -1
        last = self.runs[-1] if self.runs else None
        if last and last.end == start and (last.kind, last.strong, last.code, last.group) == (kind, strong, code, group):
            self.runs[-1] = attrs.evolve(last, end=self.length)
        else:
            self.runs.append(Run(start, self.length, kind, strong, code, group))

    def newline(self) -> None:
        self.add(" ")
        self.breaks.append(self.length)

    def token(self, token: Token) -> None:
        kind = token.type
        if kind == "text":
            self.add(token.content)
        elif kind == "code_inline":
            self.add(token.content, code=True)
        elif kind in ("softbreak", "hardbreak"):
            self.newline()
        elif kind == "s_open":
            self.struck += 1
        elif kind == "s_close":
            self.struck = max(0, self.struck - 1)
        elif kind in ("strong_open", "em_open"):  # italic new text ends where bold would
            if not self.strong_depth:
                self.strong_id = self.next_strong
                self.next_strong += 1
            self.strong_depth += 1
        elif kind in ("strong_close", "em_close"):
            self.strong_depth = max(0, self.strong_depth - 1)
        elif kind == "critic":
            self._critic(token)
        elif kind == "image":
            pass  # alt text is not prose
        elif token.children:
            for child in token.children:
                self.token(child)
        # html_inline, link_open/close: markers only, no text

    def _critic(self, token: Token) -> None:
        kind = str(token.meta.get("kind", ""))
        body = token.content
        if kind == "substitute":
            old, _, new = body.partition("~>")
            group = self.next_group
            self.next_group += 1
            self.add(_inline_plain(old.strip()), SUB_OLD, group=group)
            self.add(_inline_plain(new.strip()), SUB_NEW, group=group)
        else:
            mark = {"insert": INSERTED, "delete": DELETED, "comment": COMMENT, "highlight": HIGHLIGHT}.get(kind, HIGHLIGHT)
            self.add(_inline_plain(body.strip() if kind == "comment" else body), mark)

    def block(self, line: int, heading: bool) -> Block:
        return Block("".join(self.parts), tuple(self.runs), line, tuple(self.breaks), heading)


def _inline_plain(source: str) -> str:
    """The plain text of a Markdown fragment (inside a CriticMarkup mark)."""
    if not source:
        return ""
    tokens = markdown_parser().parseInline(source)
    out: list[str] = []

    def walk(items: list[Token]) -> None:
        for t in items:
            if t.type in ("text", "code_inline"):
                out.append(t.content)
            elif t.type in ("softbreak", "hardbreak"):
                out.append(" ")
            elif t.children and t.type != "image":
                walk(t.children)
            elif t.type == "critic":
                out.append(t.content)

    walk(tokens)
    return "".join(out)


def parse_markdown(text: str) -> list[Block]:
    """Every paragraph and heading of a Markdown text as a :class:`Block`.

    Code blocks, fences and raw HTML blocks are not prose and are left out.
    """
    tokens = markdown_parser().parse(text)
    blocks: list[Block] = []
    heading = False
    for token in tokens:
        if token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
        elif token.type == "inline":
            builder = _Builder()
            for child in token.children or ():
                builder.token(child)
            line = token.map[0] + 1 if token.map else 1
            block = builder.block(line, heading)
            if block.text.strip():
                blocks.append(block)
    return blocks


def plain_blocks(text: str, *, alone: Container[int] = ()) -> list[Block]:
    """A plain-text document's paragraphs as blocks, no markup read.

    A paragraph ends at a blank line, and a line that starts with a list
    bullet (``-``, ``*``, ``+``, ``•`` or ``1.``) starts a new one, so a list
    item's sentence is never joined to the line before it. The lines numbered
    in ``alone`` (headings) are blocks by themselves.
    """
    blocks: list[Block] = []
    for first_line, lines in _paragraphs(text):
        group: list[str] = []
        start = first_line
        for number, line in enumerate(lines, first_line):
            if group and (_BULLET.match(line) or number in alone or number - 1 in alone):
                blocks.extend(_joined(start, group))
                group, start = [], number
            group.append(line)
        blocks.extend(_joined(start, group))
    return blocks


_BULLET = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)])(?:\s|$)")


def _joined(first_line: int, lines: list[str]) -> list[Block]:
    joined = ""
    breaks: list[int] = []
    for i, line in enumerate(lines):
        if i:
            joined += " "
            breaks.append(len(joined))
        joined += line.strip()
    return [Block(joined, (Run(0, len(joined)),), first_line, tuple(breaks))] if joined.strip() else []


def _paragraphs(text: str) -> Iterator[tuple[int, list[str]]]:
    current: list[str] = []
    start = 1
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            yield start, current
            current = []
    if current:
        yield start, current
