"""Claim citations in LaTeX: ``\\claim{id}``, ``\\claim{a,b}``, ``\\claim[p.~3]{id}``.

Read well enough for real papers: comments (``%`` to the end of the line, not
``\\%``) and verbatim-like environments (``verbatim``, ``lstlisting``,
``minted``, ``comment``) and ``\\verb|...|`` hold no citations; ``\\input`` and
``\\include`` are not followed; a definition of ``\\claim`` itself
(``\\newcommand{\\claim}[1]{...}``) is not a citation. Other keys (``\\cite{a}``)
are left to LaTeX.

The prose is the body (after ``\\begin{document}`` when there is one) with
commands, braces, math delimiters and the arguments of non-prose commands
(``\\cite``, ``\\ref``, ``\\label``, ``\\url``...) blanked; paragraphs are
separated by blank lines and by sectioning commands.
"""

from __future__ import annotations

import re

from .records import CitationGroup, CitationItem

__all__ = ["scan_latex", "CLAIM_COMMAND"]

CLAIM_COMMAND = "claim"
_COMMENT = re.compile(r"(?<!\\)(?:\\\\)*%[^\n]*")
_VERBATIM = re.compile(r"\\begin\{(verbatim\*?|Verbatim|lstlisting|minted|comment|alltt)\}")
_VERB = re.compile(r"\\verb\*?([^\w\s*])[^\n]*?\1")
_CLAIM = re.compile(r"\\claim(?![A-Za-z@])\s*(?P<options>(?:\[[^\[\]]*\]\s*)*)\{(?P<body>[^{}]*)\}")
_DEFINING = re.compile(r"\\(?:(?:re)?newcommand|providecommand|DeclareRobustCommand|def|let)\*?\s*\{?\s*$")
_BEGIN_DOCUMENT = re.compile(r"\\begin\s*\{document\}")
_END_DOCUMENT = re.compile(r"\\end\s*\{document\}")
# Commands whose arguments are not running text: blanked with them.
_NON_PROSE = re.compile(
    r"\\(?:[a-zA-Z]*cite[a-zA-Z]*|ref|eqref|autoref|cref|Cref|label|url|input|include|includegraphics|bibliography"
    r"|bibliographystyle|usepackage|documentclass|begin|end|newcommand|renewcommand|href)\*?(?:\s*\[[^\[\]]*\])*"
    r"(?:\s*\{[^{}]*\})?"
)
# A blank line, a heading with its title, or the start of a list item or caption.
_PARAGRAPH_BREAK = re.compile(
    r"\n[ \t]*\n|\\(?:part|chapter|section|subsection|subsubsection|paragraph|title|author)\b\*?(?:\s*\[[^\[\]]*\])?"
    r"(?:\s*\{[^{}]*\})?|\\(?:item|caption)\b"
)
_COMMAND = re.compile(r"\\(?:[a-zA-Z@]+\*?|.)")
_ESCAPED = re.compile(r"\\(?=[%&$#_])")  # "8\%" is "8%" in the prose: only the backslash goes


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _verbatim(text: str) -> list[tuple[int, int]]:
    """Spans of the verbatim-like environments; one left open runs to the end, as LaTeX would read it."""
    spans = []
    pos = 0
    while (found := _VERBATIM.search(text, pos)) is not None:
        close = f"\\end{{{found.group(1)}}}"
        end = text.find(close, found.end())
        end = len(text) if end < 0 else end + len(close)
        spans.append((found.start(), end))
        pos = end
    return spans


def _masked(text: str) -> str:
    """``text`` with verbatim environments, ``\\verb`` and comments blanked (offsets kept)."""
    chars = list(text)
    for start, end in _verbatim(text):
        _blank(chars, start, end)
    for pattern in (_VERB, _COMMENT):
        current = "".join(chars)
        for found in pattern.finditer(current):
            _blank(chars, found.start(), found.end())
    return "".join(chars)


def _items(body: str, offset: int) -> list[CitationItem]:
    items = []
    pos = 0
    for part in body.split(","):
        key = part.strip()
        if key:
            start = offset + pos + part.index(key)
            items.append(CitationItem(key, key, start, start + len(key), start, start + len(key)))
        pos += len(part) + 1
    return items


def scan_latex(text: str) -> tuple[list[CitationGroup], str, list[tuple[int, int]]]:
    """The ``\\claim`` citations of a LaTeX text, its prose (see :class:`Manuscript`) and its paragraphs."""
    masked = _masked(text)
    groups = []
    for found in _CLAIM.finditer(masked):
        if _DEFINING.search(masked, max(0, found.start() - 40), found.start()):
            continue
        items = _items(found.group("body"), found.start("body"))
        if items:
            groups.append(CitationGroup("latex", found.start(), found.end(), tuple(items), found.group("options").strip()))
    begin = _BEGIN_DOCUMENT.search(masked)
    body_start = begin.end() if begin else 0
    end = _END_DOCUMENT.search(masked, body_start)
    body_end = end.start() if end else len(masked)
    chars = list(masked)
    _blank(chars, 0, body_start)
    _blank(chars, body_end, len(chars))
    for group in groups:
        _blank(chars, group.start, group.end)
    for pattern in (_ESCAPED, _NON_PROSE, _COMMAND):
        current = "".join(chars)
        for found in pattern.finditer(current):
            _blank(chars, found.start(), found.end())
    for i, char in enumerate(chars):
        if char in "{}$~&":
            chars[i] = " "
    prose = "".join(chars)
    regions = []
    start = body_start
    for found in _PARAGRAPH_BREAK.finditer(masked, body_start, body_end):
        if found.start() > start:
            regions.append((start, found.start()))
        start = found.end()
    if body_end > start:
        regions.append((start, body_end))
    return groups, prose, [r for r in regions if prose[r[0] : r[1]].strip()]
