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

from .markdown import Block, plain_blocks

__all__ = ["latex_blocks", "LATEX_SUFFIXES"]

LATEX_SUFFIXES = frozenset({".tex", ".ltx", ".latex"})

_COMMENT = re.compile(r"(?<!\\)%.*$")
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{[^}]*\}(?:\s*\[[^\]]*\])?(?:\s*\{[^}]*\})?")
_SECTION = re.compile(r"^\s*\\(?:part|chapter|section|subsection|subsubsection|paragraph)\*?\s*(?:\[[^\]]*\])?\s*\{(.*)\}\s*$")
_ITEM = re.compile(r"\\item\b\s*(?:\[[^\]]*\])?")
_DROPPED = re.compile(
    r"\\(?:cite[a-zA-Z]*|ref|eqref|autoref|cref|Cref|label|claim|footnotemark|url|input|include|bibliography"
    r"|bibliographystyle|usepackage|documentclass|sout|st)\*?\s*(?:\[[^\]]*\])*\s*\{[^}]*\}"
)
_COMMAND = re.compile(r"\\[a-zA-Z]+\*?\s*(?:\[[^\]]*\])?")
_ESCAPED = {r"\%": "%", r"\&": "&", r"\$": "$", r"\#": "#", r"\_": "_", "~": " ", "---": "—", "--": "–", "``": '"', "''": '"'}


def _visible(line: str) -> str:
    line = _COMMENT.sub("", line)
    line = _ENVIRONMENT.sub("", line)
    line = _ITEM.sub("- ", line)
    line = _DROPPED.sub("", line)
    for code, char in _ESCAPED.items():
        line = line.replace(code, char)
    line = _COMMAND.sub("", line)
    return line.replace("{", "").replace("}", "")


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
