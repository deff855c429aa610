"""Text from the library made inert in the paper it is written into: Markdown, LaTeX, a link's address.

A statement, a credited name, a reason or a confidence level's name is the
library's text, not the author's markup: in a Markdown paper no tag, image,
link or emphasis may open from it (``<script>`` stays text, ``![t](x)`` stays
text), and no line break may start a new list item; in a LaTeX paper no
command may run and braces stay balanced.

>>> markdown_text("8192 <script>alert(1)</script>")
'8192 &lt;script&gt;alert(1)&lt;/script&gt;'
>>> latex_text("50% of {x}")
'50\\% of \\{x\\}'
"""

from __future__ import annotations

import re
from urllib.parse import quote

__all__ = ["markdown_text", "markdown_start", "latex_text", "markdown_url", "latex_url"]

# Markdown's special characters get a backslash and no tag or entity can open; as the Markdown report does.
_MARKDOWN = str.maketrans({**{c: "\\" + c for c in "\\`*_[]~|#{}!"}, "<": "&lt;", ">": "&gt;"})
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_BREAK = re.compile(r"\s*[\r\n\u2028\u2029]\s*")
_BLOCK_START = re.compile(r"(\d{1,9})([.)])|([-+=])")
_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
          "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}  # fmt: skip
# What a link's address may keep as it is; everything else is percent-encoded (so no ")", space, brace or quote).
_URL_SAFE = "/:.-_~%#?=&@+,;!$'*"


def markdown_text(text: str) -> str:
    """Text inert inside a line of Markdown: special characters escaped, line breaks made spaces."""
    if "&" in text:
        text = _ENTITY_LIKE.sub("&amp;", text)
    return _LINE_BREAK.sub(" ", text.translate(_MARKDOWN))


def markdown_start(text: str) -> str:
    """``text`` (already escaped) made safe at the start of a block: ``1.``, ``-`` or ``+`` opens no list."""
    found = _BLOCK_START.match(text)
    if found is None:
        return text
    at = found.end() - 1
    return text[:at] + "\\" + text[at:]


def latex_text(text: str) -> str:
    """Plain text for LaTeX: its special characters escaped, line breaks made spaces."""
    return "".join(_LATEX.get(char, char) for char in _LINE_BREAK.sub(" ", text))


def markdown_url(url: str) -> str:
    """A link's address for Markdown ``[label](address)``: what could end it or start markup percent-encoded."""
    return quote(url, safe=_URL_SAFE.replace("'", "").replace("*", "").replace("!", ""))


def latex_url(url: str) -> str:
    """A link's address for ``\\href{address}{...}``: braces, backslashes and spaces percent-encoded, then ``%``
    and ``#`` escaped, so the braces stay balanced and nothing runs."""
    encoded = quote(url.replace("\\", "/"), safe="/:.-_~#?=&@+,;%")
    return encoded.replace("%", "\\%").replace("#", "\\#")
