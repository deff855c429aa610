"""Escaping a value for Markdown (CommonMark with GitHub's tables and strikethrough).

:func:`md_escape` makes any text inert wherever the report puts it, in a
paragraph or in a table cell:

* Markdown's special characters get a backslash (``\\ ` * _ [ ] ~ | # { } !``)
  and no HTML tag can open (``<`` and ``>`` become ``&lt;`` and ``&gt;``, an
  ``&`` that would start an entity becomes ``&amp;``);
* every line break (LF, CR or CRLF, with the space around it) becomes one
  space, so a value never ends a table row or starts a block;
* leading spaces and tabs become one space, so indented text is no code block;
* a start that would open a list, a heading underline or a break (``1.``,
  ``1)``, ``-``, ``+``, ``=``) gets a backslash;
* a control character (ESC, BEL, a bidi override: :data:`claimtrack.terminal.CONTROLS`)
  is written as the text ``\\x1b`` or ``\\u202e``, so the file shown on a terminal
  (``cat report/README.md``) or rendered runs nothing and turns nothing around.

What is shown is the text itself, its whitespace aside (``tests/test_report_mdtext.py``
checks it with markdown-it-py for any text).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from markupsafe import Markup

from ..terminal import CONTROLS, written

__all__ = ["md_escape"]

# Markdown's special characters get a backslash, and no tag can open: one pass of str.translate.
_ESCAPES = str.maketrans({**{c: "\\" + c for c in "\\`*_[]~|#{}!"}, "<": "&lt;", ">": "&gt;"})
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_BREAK = re.compile(r"\s*[\r\n]\s*")
_INDENT = re.compile(r"[ \t]+")
_NUMBERED = re.compile(r"(\d{1,9})([.)])")


def md_escape(value: Any) -> str:
    r"""Text made inert in Markdown (and in the HTML GitHub allows inside it).

    >>> md_escape("1) a | b\n    c <b>")
    '1\\) a \\| b c &lt;b&gt;'
    """
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    return _escape_text(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _escape_text(text: str) -> str:
    # Each step runs only when its pattern can match; the result is the same.
    if "&" in text:
        text = _ENTITY_LIKE.sub("&amp;", text)
    text = text.translate(_ESCAPES)
    if "\n" in text or "\r" in text:
        text = _LINE_BREAK.sub(" ", text)
    if CONTROLS.search(text):  # after the backslashes above, so that this one shows as itself
        text = CONTROLS.sub(lambda m: "\\" + written(m.group()), text)
    lead = ""
    if text[:1] in (" ", "\t"):
        lead, text = " ", _INDENT.sub("", text, count=1)
    first = text[:1]
    if first.isdigit():
        text = _NUMBERED.sub(r"\1\\\2", text, count=1) if _NUMBERED.match(text) else text
    elif first in ("-", "+", "="):
        text = "\\" + text
    return lead + text
