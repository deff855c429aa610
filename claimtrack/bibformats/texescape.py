"""Plain Unicode text into BibTeX field values: LaTeX's special characters escaped, capitals kept.

Non-ASCII letters stay as they are (references.bib is UTF-8, which biber and
modern BibTeX read); only the characters LaTeX would act on are escaped.

>>> escape("R&D: 50% of $5")
'R\\\\&D: 50\\\\% of \\\\$5'
"""

from __future__ import annotations

import re

from ..latex import balanced

__all__ = ["escape", "protect_title", "verbatim_value", "balanced"]

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^]")
_SPACE = re.compile(r"[ \t\r\n]+")  # thin and other Unicode spaces are text, kept
# A word whose capitals a BibTeX style must not lower: a capital after its first letter ("GPT-3", "XGBoost", "iPhone").
_KEEP_CASE = re.compile(r"(?<![\w{\\])([^\s{}]*?[A-Za-z][^\s{}]*?[A-Z][^\s{}]*)")


def escape(text: str) -> str:
    """``text`` with LaTeX's special characters escaped and runs of white space made one space."""
    text = _SPACE.sub(" ", text).strip()
    if _SPECIAL_RE.search(text):
        text = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], text)
    for pair, broken in (("--", "-{}-"), ("``", "`{}`"), ("''", "'{}'")):  # ligatures to LaTeX (a dash, curly quotes)
        while pair in text:  # until none is left: one pass leaves "`{}``" of "```"
            text = text.replace(pair, broken)
    return text


def protect_title(text: str) -> str:
    """An escaped title whose words with inner capitals are braced, so styles that lower-case titles keep them."""
    words = escape(text).split(" ")
    return " ".join(_protect(word) for word in words)


def _protect(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2 or "\\" in word or not any(c.isupper() for c in letters[1:]):
        return word
    return "{" + word + "}"


def verbatim_value(text: str) -> str:
    """A URL or DOI for a field: kept as written, except ``%`` and ``#``, which BibTeX would read as a comment or a join."""
    text = text.strip()
    text = text.replace("%", r"\%").replace("#", r"\#")
    return text if balanced(text) else text.replace("{", "%7B").replace("}", "%7D")
