"""Values a sentence gives for a claim's facts, and the ones that differ from the claim's current value.

A fact's value is *numeric* when it is one quantity: ``8192``, ``176B``,
``0.4%``, ``159GB``. Quantities compare by family (a share in percent, a size
in bytes, a count, a year) and by magnitude: exactly, or within 2.5% when one
of them is rounded to thousands, millions... (``8k`` states 8192); ``4,096``
and ``4096-token`` state 4096. A number in the fact's subject ("Model 8118")
is part of a name, not a value. Any other value (``Common Crawl``,
``2016-2019``) is *textual* and is compared as whole words.

A sentence gives a wrong value for a fact when it does not give the current
value and either

* it gives a value the fact had before (from the claim's history): the surest
  sign, and the only one for a textual fact; or
* the fact is numeric, the sentence names its property (a word of the
  property that tells it apart from the claim's other facts) and holds a
  quantity of the same family that is no current value of the claim's facts:
  the one nearest to the property's word is taken as the value stated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import attrs

from ..documents.sentences import normalise
from ..model import Claim, Fact

__all__ = ["Quantity", "quantities", "ValueMismatch", "value_mismatches"]

_MULTIPLIERS = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "t": 1e12, "trillion": 1e12,
}  # fmt: skip
_BYTES = {"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12}
_QUANTITY = re.compile(
    r"(?<![\w.\-])(?P<number>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)(?![.,]\d)"
    r"(?:\s?(?P<unit>%|percent\b|per\s+cent\b|[kKMGT]B\b|thousand\b|million\b|billion\b|trillion\b|[kKMBT]\b))?"
)
_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "and",
        "or",
        "by",
        "with",
        "as",
        "at",
        "from",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
    ]
)
TOLERANCE = 0.025


@attrs.frozen
class Quantity:
    """A number in a text with its family (``percent``, ``bytes``, ``count``, ``year``) and magnitude."""

    magnitude: float
    family: str
    text: str
    start: int
    end: int
    rounded: bool = False  # written with a multiplier (8k, 176B, 1.5 million): its last digits are not given

    def same_as(self, other: Quantity) -> bool:
        if self.family != other.family:
            return False
        if self.magnitude == other.magnitude:
            return True
        top = max(abs(self.magnitude), abs(other.magnitude))
        return (self.rounded or other.rounded) and abs(self.magnitude - other.magnitude) <= TOLERANCE * top


def quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``; a hyphen or letter before a number makes it part of a name (GPT-3, davinci-002).

    >>> [(q.magnitude, q.family) for q in quantities("8%, 4,096 tokens, 176B, 159 GB, 2021")]
    [(8.0, 'percent'), (4096.0, 'count'), (176000000000.0, 'count'), (159000000000.0, 'bytes'), (2021.0, 'year')]
    """
    out = []
    for found in _QUANTITY.finditer(text):
        number = float(found.group("number").replace(",", ""))
        unit = " ".join((found.group("unit") or "").split()).casefold()
        if unit in ("%", "percent", "per cent"):
            family, magnitude = "percent", number
        elif unit in _BYTES:
            family, magnitude = "bytes", number * _BYTES[unit]
        elif unit:
            family, magnitude = "count", number * _MULTIPLIERS[unit]
        elif number.is_integer() and 1900 <= number <= 2100 and "," not in found.group("number"):
            family, magnitude = "year", number
        else:
            family, magnitude = "count", number
        rounded = unit in _MULTIPLIERS or unit in _BYTES
        text = found.group().strip().replace(" %", "%")
        out.append(Quantity(magnitude, family, text, found.start(), found.end(), rounded))
    return out


def _numeric(value: str) -> Quantity | None:
    """The value as one quantity, or None when it is more than a number with its unit."""
    found = quantities(value)
    if len(found) != 1:
        return None
    rest = value[: found[0].start] + value[found[0].end :]
    return found[0] if not _WORD.search(rest) else None


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(normalise(text))]


def _has_words(sentence: str, value: str) -> bool:
    want = _words(value)
    return bool(want) and f" {' '.join(want)} " in f" {' '.join(_words(sentence))} "


@attrs.frozen
class ValueMismatch:
    """A fact the sentence gives another value for: what it states and what the claim says now."""

    fact: Fact
    stated: str
    current: str
    earlier: bool  # the stated value is one the fact had before


def _earlier_values(claim: Claim, fact: Fact) -> list[str]:
    """Values the fact (same subject and property) had in the claim's history, oldest first, the current one left out."""
    seen: dict[str, None] = {}
    for revision in claim.revisions:
        for group in (revision.set_facts or (), revision.remove_facts, revision.add_facts):
            for item in group:
                if item.key == fact.key and item.value != fact.value:
                    seen[item.value] = None
    return list(seen)


def _cues(fact: Fact, others: Sequence[Fact]) -> list[str]:
    """The words of the fact's property that tell it apart from the claim's other numeric facts."""
    words = [w for w in _words(fact.property) if w not in _STOP]
    shared = set.intersection(*(set(_words(o.property)) for o in others)) if others else set()
    own = [w for w in words if w not in shared]
    return own or words


def _cue_positions(sentence: str, cues: Sequence[str]) -> list[int]:
    """Where the sentence has a cue word (a plural or a compound counts: "tokens", "token-window")."""
    out = []
    for found in _WORD.finditer(sentence):
        word = found.group().casefold()
        if any(word == cue or (len(cue) >= 4 and word.startswith(cue)) for cue in cues):
            out.append(found.start())
    return out


def value_mismatches(sentence: str, claim: Claim) -> Iterator[ValueMismatch]:
    """The claim's facts for which the sentence gives a value other than the current one."""
    if not claim.facts:
        return
    sentence = " ".join(sentence.split())  # offsets of one spelling, for the names' check
    found = [q for q in quantities(sentence) if not _in_names(sentence, q, claim.facts)]
    numeric = {id(fact): _numeric(fact.value) for fact in claim.facts}
    current = [q for q in numeric.values() if q is not None]
    unaccounted = [q for q in found if not any(q.same_as(c) for c in current)]
    for fact in claim.facts:
        mine = numeric[id(fact)]
        if mine is not None and any(q.same_as(mine) for q in found):
            continue
        if mine is None and _has_words(sentence, fact.value):
            continue
        earlier = [stated for v in _earlier_values(claim, fact) if (stated := _stated(sentence, v, found))]
        if earlier:
            yield ValueMismatch(fact, earlier[-1], fact.value, True)
            continue
        if mine is None:
            continue
        candidates = [q for q in unaccounted if q.family == mine.family]
        if not candidates:
            continue
        others = [f for f in claim.facts if f is not fact and numeric[id(f)] is not None]
        cues = _cue_positions(sentence, _cues(fact, others))
        if cues:
            nearest = min(candidates, key=lambda q: min(abs(q.start - at) for at in cues))
            yield ValueMismatch(fact, nearest.text, fact.value, False)


def _in_names(sentence: str, quantity: Quantity, facts: Sequence[Fact]) -> bool:
    """Whether the quantity is inside a fact's subject as the sentence writes it ("Model 8118")."""
    low = None
    for fact in facts:
        if not any(ch.isdigit() for ch in fact.subject):
            continue
        low = " ".join(sentence.split()).casefold() if low is None else low
        name = " ".join(fact.subject.split()).casefold()
        at = low.find(name)
        while at >= 0:
            if at <= quantity.start and quantity.end <= at + len(name):
                return True
            at = low.find(name, at + 1)
    return False


def _stated(sentence: str, value: str, found: Sequence[Quantity]) -> str | None:
    """How the sentence gives ``value`` (a quantity by magnitude, other values as whole words), None when it does not."""
    number = _numeric(value)
    if number is not None:
        return next((q.text for q in found if q.same_as(number)), None)
    return value if _has_words(sentence, value) else None
