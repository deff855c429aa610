"""Short, readable, stable claim ids and citation keys made from a text's words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

__all__ = ["id_from_words", "slug", "unique_id"]

_WORD = re.compile(r"[a-z0-9]+")
# Words that say little about what a sentence claims: left out of its id.
_STOP_WORDS = """a an the and or but if of in on at to for from by with as is are was were be been being it its this that
these those there their they them we our us you your he she his her i my me which who whom whose what when where why how
than then so such can could may might must should would will shall do does did done has have had having not no nor also
into onto about above after before between both each few more most other some any all only own same very just over under
again further once here while during through until upon via per using used use e g eg ie et al"""
_STOP = frozenset(_STOP_WORDS.split())
_CONTRACTION = re.compile(r"['\u2019](?:ll|re|ve|s|d|t|m)\b")
_MAX_WORDS = 6
_MAX_LENGTH = 60


def slug(text: str) -> str:
    """Lower-case ASCII words joined by single hyphens: ``"Data are current"`` gives ``"data-are-current"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(_WORD.findall(ascii_text))


def id_from_words(text: str, *, words: int = _MAX_WORDS) -> str:
    """A claim id from the first telling words of ``text`` (stop words left out), at most 60 characters.

    >>> id_from_words("The initial GPT-3 is trained on Common Crawl 2016 - 2019.")
    'initial-gpt-3-trained-common-crawl'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = _CONTRACTION.sub("", ascii_text)
    found = _WORD.findall(ascii_text)
    telling = [w for w in found if w not in _STOP] or found or ["claim"]
    out: list[str] = []
    for word in telling:
        if len(out) >= words or len("-".join([*out, word])) > _MAX_LENGTH:
            break
        out.append(word)
    return "-".join(out) or "claim"


def unique_id(base: str, taken: Container[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... the first not in ``taken``."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
