"""Did-you-mean hints for a mistyped name: a claim id, a BibTeX key, a confidence level, a rule.

>>> did_you_mean("hypotesis", ["conclusion", "hypothesis", "educated-guess"])
"did you mean 'hypothesis'?"
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["closest", "did_you_mean", "hint_with"]

#: rapidfuzz's weighted ratio (0-100) a choice needs to be offered.
_CUTOFF = 75


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``word``, or None when none is close enough."""
    candidates = [c for c in dict.fromkeys(choices) if c != word]
    if not word or not candidates:
        return None
    # rapidfuzz is imported only when a name is wrong, so that every command starts quickly.
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA

    match = process.extractOne(word, candidates, scorer=fuzz.WRatio, score_cutoff=_CUTOFF)
    if match:
        return match[0]
    # Short names: one slip (a swapped, missing, extra or wrong letter) is still a likely typo.
    if len(word) < 3:
        return None
    near = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=max(1, len(word) // 4))
    return near[0] if near else None


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """``"did you mean 'x'?"`` for the closest choice, or None."""
    match = closest(word, choices)
    return f"did you mean {match!r}?" if match else None


def hint_with(word: str, choices: Iterable[str], otherwise: str) -> str:
    """A hint that offers the closest choice first, then ``otherwise``."""
    guess = did_you_mean(word, choices)
    return f"{guess} Else {otherwise}" if guess else otherwise
