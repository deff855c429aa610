"""Values a sentence states: numbers with units and percent, and names, in any language.

A value is compared in a canonical form, so a document may write it any of
the usual ways:

* percent: ``8%``, ``8 %``, ``8 percent``, ``8 per cent``, ``8％`` -> ``8%``;
* counts: ``4,096``, ``4096-token``, ``4096 tokens`` -> ``4096``; a magnitude
  word or suffix multiplies (``176B``, ``175 billion``, ``1750亿``, ``13M``);
* names: a run of words as written (``C4``, ``Common Crawl``), compared as
  case-folded word tokens, so ``C4`` is not found inside ``C4.5``'s ``5``.

Names of a text are its words with a capital past the first letter or a digit
(``GPT-3``, ``PaLM``, ``OPT``, ``code-davinci-002``), and capitalised words
that do not start the text; they are what a sentence must name to be about
the same subject.

>>> sorted(numbers("PaLM has 8 percent code; 4,096-token window; 175 billion parameters"))
['175000000000', '4096', '8%']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from .sentences import normalise

__all__ = ["numbers", "names", "tokens", "find_tokens", "CJK_CLASS"]

CJK_CLASS = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# A number standing alone, with its thousands separators and decimals (1,200; 3.5), so "200" is not found in
# "1,200"; one CJK character; or a run of other letters/digits: hyphens split (GPT-3 -> gpt, 3; 2016-2019 -> 2016, 2019).
_TOKEN = re.compile(rf"(?<![^\W_])\d+(?:[.,]\d+)*(?![^\W_])|[{CJK_CLASS}]|[^\W_{CJK_CLASS}]+")
_MAGNITUDES = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "million": 10**6,
    "mn": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
    "t": 10**12,
    "trillion": 10**12,
    "万": 10**4,
    "亿": 10**8,
}
_NUMBER = re.compile(
    r"(?<![\w.,])(?<![^\W\d_]-)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"  # 4,096 / 4096 / 3.5
    r"(?:\s*(%|％|percent\b|per\s+cent\b)"  # percent
    r"|\s*(thousand|million|billion|trillion)\b|(k|m|mn|b|bn|t)(?![^\W\d_])|\s*(万|亿))?",
    re.IGNORECASE,
)
_CJK_RUN = re.compile(rf"[{CJK_CLASS}]+")
_DIGIT = re.compile(r"\d")
_NAME_WORD = re.compile(r"[^\W_]+(?:[-.'][^\W_]+)*")


@functools.lru_cache(maxsize=1 << 16)
def tokens(text: str) -> tuple[str, ...]:
    """Case-folded word tokens; every CJK character is one token (memoised: spans and names recur)."""
    return tuple(t.casefold() for t in _TOKEN.findall(normalise(text)))


def find_tokens(haystack: Sequence[str], needle: Sequence[str]) -> int:
    """Index of the first occurrence of ``needle`` in ``haystack``, -1 when absent."""
    n = len(needle)
    if not n:
        return -1
    first = needle[0]
    for i in range(len(haystack) - n + 1):
        if haystack[i] == first and list(haystack[i : i + n]) == list(needle):
            return i
    return -1


def _canonical(whole: str, fraction: str | None, percent: str | None, magnitude: str | None) -> str | None:
    try:
        value = Decimal(whole.replace(",", "") + (f".{fraction}" if fraction else ""))
    except InvalidOperation:
        return None
    if percent:
        return f"{value.normalize():f}%"
    if magnitude:
        value *= _MAGNITUDES[magnitude.casefold()]
    return f"{value.normalize():f}"


def numbers(text: str) -> set[str]:
    """The canonical numbers a text states (see the module doc)."""
    found = set()
    for m in _NUMBER.finditer(normalise(text)):
        whole, fraction, percent, word, suffix, cjk = m.groups()
        value = _canonical(whole, fraction, percent, word or suffix or cjk)
        if value is not None:
            found.add(value)
    return found


def names(text: str) -> list[str]:
    """The names a text uses, in order, without repeats (see the module doc)."""
    out: dict[str, None] = {}
    words = list(_NAME_WORD.finditer(_CJK_RUN.sub(" ", normalise(text))))
    for i, m in enumerate(words):
        word = m.group().removesuffix("'s")
        if not word[:1].isalpha():
            continue  # 176B, 4096-token: values, not names
        inner_capital = word[1:] != word[1:].lower()
        has_digit = _DIGIT.search(word) is not None
        if inner_capital or has_digit or (word[:1].isupper() and i > 0):
            out[word] = None
    return list(out)
