"""A LaTeX document's text as blocks, each line kept on its own line number.

Only what a reader sees is kept, line by line, so every sentence keeps the
line it starts on: comments go, ``\\begin``/``\\end`` lines break paragraphs,
``\\item`` starts a list item, a sectioning command is a heading block of its
title, ``\\cite``/``\\ref``/``\\label``/``\\claim`` and similar go (so does struck text,
``\\sout{...}``: it is what the document no longer says), and the
formatting commands (``\\textbf{...}``, ``\\emph{...}``) leave their text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .markdown import Block, plain_blocks

__all__ = ["latex_blocks", "LATEX_SUFFIXES"]

LATEX_SUFFIXES = frozenset({".tex", ".ltx", ".latex"})

_COMMENT = re.compile(r"(?<!\\)%.*$")
_SECTION = re.compile(r"^\s*\\(?:part|chapter|section|subsection|subsubsection|paragraph)\*?\s*(?:\[[^\]]*\])?\s*\{(.*)\}\s*$")
_ESCAPED = {r"\%": "%", r"\&": "&", r"\$": "$", r"\#": "#", r"\_": "_", "~": " ", "---": "—", "--": "–", "``": '"', "''": '"'}

# The commands a line loses, each as the regex of its name and the shape of its arguments. The
# arguments are matched by hand, not in the regex: a regex like ``\{[^}]*\}`` scans to the end of
# the line from every opener that has no closer, so a line of 100,000 ``\claim{`` took minutes.
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*")  # {name} [options]? {argument}?
_DROPPED = re.compile(
    r"\\(?:cite[a-zA-Z]*|ref|eqref|autoref|cref|Cref|label|claim|footnotemark|url|input|include|bibliography"
    r"|bibliographystyle|usepackage|documentclass|sout|st)\*?\s*"
)  # [options]* {argument}
_ITEM = re.compile(r"\\item\b\s*")  # [label]?
_COMMAND = re.compile(r"\\[a-zA-Z]+\*?\s*")  # [options]?


class _Line:
    """One line and where each closing bracket next occurs, found once however often it is asked."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._found: dict[str, tuple[int, int]] = {}  # closer: (searched from, found at or -1)

    def _next(self, closer: str, start: int) -> int:
        known = self._found.get(closer)
        if known is not None and known[0] <= start and (known[1] < 0 or known[1] >= start):
            return known[1]
        at = self.text.find(closer, start)
        self._found[closer] = (start, at)
        return at

    def group(self, start: int, opener: str, closer: str, *, space: bool = False) -> int:
        """The end of ``opener ... closer`` at ``start`` (after blanks when ``space``), or -1."""
        text = self.text
        if space:
            while start < len(text) and text[start].isspace():
                start += 1
        if not text.startswith(opener, start):
            return -1
        end = self._next(closer, start + 1)
        return end + 1 if end >= 0 else -1


def _environment(line: _Line, at: int) -> int:
    end = line.group(at, "{", "}")
    if end < 0:
        return -1
    options = line.group(end, "[", "]", space=True)
    end = options if options >= 0 else end
    argument = line.group(end, "{", "}", space=True)
    return argument if argument >= 0 else end


def _dropped(line: _Line, at: int) -> int:
    while (options := line.group(at, "[", "]")) >= 0:
        at = options
    return line.group(at, "{", "}", space=True)


def _optional(line: _Line, at: int) -> int:
    options = line.group(at, "[", "]")
    return options if options >= 0 else at


def _remove(line: _Line, head: re.Pattern[str], arguments: Callable[[_Line, int], int], replacement: str = "") -> _Line:
    """The line with each command ``head`` names (with its ``arguments``) replaced."""
    text, kept, start = line.text, 0, 0
    out: list[str] = []
    while (match := head.search(text, start)) is not None:
        end = arguments(line, match.end())
        if end < 0:
            start = match.start() + 1
            continue
        out += (text[kept : match.start()], replacement)
        kept = start = end
    if not out:
        return line
    out.append(text[kept:])
    return _Line("".join(out))


def _visible(text: str) -> str:
    line = _Line(_COMMENT.sub("", text))
    line = _remove(line, _ENVIRONMENT, _environment)
    line = _remove(line, _ITEM, _optional, "- ")
    text = _remove(line, _DROPPED, _dropped).text
    for code, char in _ESCAPED.items():
        text = text.replace(code, char)
    text = _remove(_Line(text), _COMMAND, _optional).text
    return text.replace("{", "").replace("}", "")


def latex_blocks(text: str) -> list[Block]:
    """The paragraphs, list items and headings of a LaTeX document, at their source lines."""
    lines: list[str] = []
    headings: set[int] = set()
    for number, line in enumerate(text.splitlines(), 1):
        heading = _SECTION.match(_COMMENT.sub("", line))
        if heading:
            headings.add(number)
            lines.append(_visible(heading.group(1)))
        else:
            lines.append(_visible(line))
    return plain_blocks("\n".join(lines), alone=headings)
