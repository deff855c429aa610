"""Words for the lexical index: tokens, a light stemmer, numbers and negation.

The same steps run on a claim's fields and on a query, so they must be cheap
and stable: lower case, Unicode letters and digits, web addresses, user
handles and hashtags split into words (``@JoeBiden`` is *joe biden*), a short English stop list, and a suffix
stripper (plurals, ``-ing``, ``-ed``, ``-ly``) that maps the usual
inflections of a word together without a dictionary. Words in any script are
kept (a query in Greek finds Greek claims, and nothing else).

>>> terms("PaLM's pretraining data had 8% code, not 5%!")
['palm', 'pretrain', 'data', 'had', '8', 'code', 'not', '5']
>>> sorted(numbers("It grew from 4,096 to 8192 tokens (8%)."))
['4096', '8', '8192']
"""

from __future__ import annotations

import functools
import re

__all__ = ["terms", "stem", "numbers", "negated", "clean", "STOPWORDS"]

# Web addresses and pictures say nothing a claim would; a handle or a hashtag often names who or what the post is
# about (``@JoeBiden``, ``#AustralianFires``), so its words are split out of it.
_NOISE = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*|&amp;|&\w+;", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)@\w+")
_QUOTES = re.compile(r"[\"\u201c\u201d\u201e\u00ab\u00bb]+|(?<![^\W\d_])['\u2018\u2019]+|['\u2018\u2019]+(?![^\W\d_])")
_TAGGED = re.compile(r"(?<!\w)[@#](\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
# A number, but not the digits of a name such as GPT-3, A100 or code-davinci-002.
_NUMBER = re.compile(r"(?<![\w.])(?<![^\W\d_]-)\d+(?:[.,]\d+)*")

_STOP_TEXT = """a an and are as at be been being but by for from has have he her his i if in into is it its of on or our
    she so than that the their them then there these they this those to was we were which who whom will with
    would you your me my do does did just also about after over up out via rt amp"""
STOPWORDS = frozenset(_STOP_TEXT.split())
# Words that turn a statement around; "not" is kept as a term as well, since it is also a word of the claim.
_NEGATION_TEXT = """not no never none nobody nothing neither nor cannot cant can't don't doesn't didn't isn't aren't wasn't
    weren't won't wouldn't shouldn't couldn't hasn't haven't hadn't without"""
_NEGATIONS = frozenset(_NEGATION_TEXT.split())


def clean(text: str, *, handles: bool = True) -> str:
    """The text without web addresses and HTML entities, its handles and hashtags split into words.

    Without ``handles`` (the text a sentence embedding reads), handles are left
    out, since who posted a text is not what it says, and so are quotation
    marks: ``said "our country"`` and ``said 'our country'`` mean the same.
    """
    text = _NOISE.sub(" ", text)
    if not handles:
        text = _QUOTES.sub(" ", _HANDLE.sub(" ", text))
    return " ".join(_TAGGED.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)).replace("_", " ") + " ", text).split())


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light English stem: ``companies`` -> ``compani``, ``trained`` -> ``train``; other words unchanged."""
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    for suffix, keep in (("ies", "i"), ("sses", "ss"), ("ness", ""), ("ing", ""), ("edly", ""), ("ed", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "i"
    if word.endswith("y") and len(word) > 4:
        return word[:-1] + "i"
    if word.endswith("es") and len(word) > 4 and word[-3] in "sxzh":
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    if word.endswith("e") and len(word) > 4:
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The text's index terms, in order: stems of its words that are not stop words, and its numbers."""
    out = []
    for match in _WORD.finditer(clean(text).lower()):
        word = match.group()
        if word[0].isdigit():
            out.append(word.replace(",", ""))
        elif word not in STOPWORDS:
            out.append(stem(word[:-2] if word.endswith("'s") else word.replace("'", "")))
    return out


def numbers(text: str) -> frozenset[str]:
    """The numbers a text names, thousands separators dropped (``4,096`` is ``4096``)."""
    found = set()
    for match in _NUMBER.finditer(clean(text)):
        value = match.group()
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", value):
            value = value.replace(",", "")
        found.add(value.rstrip(".,").replace(",", "."))
    return frozenset(found)


def negated(text: str) -> bool:
    """Whether the text holds a word that turns a statement around (``not``, ``cannot``, ``never``...)."""
    lowered = clean(text).lower().replace("\u2019", "'")
    return any(word in _NEGATIONS or word.endswith("n't") for word in re.findall(r"[a-z']+", lowered))
