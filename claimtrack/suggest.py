"""Did-you-mean hints for a mistyped name: a claim id, a BibTeX key, a confidence level, a rule.

>>> did_you_mean("hypotesis", ["conclusion", "hypothesis", "educated-guess"])
"did you mean 'hypothesis'?"
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["closest", "did_you_mean", "hint_with", "Hints", "BUDGET"]

#: rapidfuzz's weighted ratio (0-100) a choice needs to be offered.
_CUTOFF = 75


#: How many comparisons of a misspelt name with a known one a :class:`Hints` makes, over all its
#: hints: a second or two. An audit of 20,000 claims citing 15,000 missing ids made 300 million of
#: them (two and a half minutes) for hints no one reads past the first screen; now the first 25 of
#: those findings get a guess, and every finding of a library of 500 claims still does.
BUDGET = 1_000_000


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``word``, or None when none is close enough."""
    return _closest(word, list(dict.fromkeys(choices)))


def _closest(word: str, candidates: list[str]) -> str | None:
    if not word or not candidates:
        return None
    # rapidfuzz is imported only when a name is wrong, so that every command starts quickly.
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA

    # Two best, for when the first is the word itself: a hint never offers the name that just failed.
    for match, _, _ in process.extract(word, candidates, scorer=fuzz.WRatio, score_cutoff=_CUTOFF, limit=2):
        if match != word:
            return str(match)
    # Short names: one slip (a swapped, missing, extra or wrong letter) is still a likely typo.
    if len(word) < 3:
        return None
    for match, _, _ in process.extract(word, candidates, scorer=OSA.distance, score_cutoff=max(1, len(word) // 4), limit=2):
        if match != word:
            return str(match)
    return None


class Hints:
    """Did-you-mean hints against one set of names, for many misspelt names in a row (an audit's findings).

    The names are gathered once, not once a hint, and all the hints share a
    :data:`BUDGET` of comparisons: once it is spent, a hint is its ``otherwise``
    alone. The first findings of a long report get their guesses, and the cost
    of a report stays in proportion to its size.

    >>> hints = Hints(["cdv2-context", "gpt3-context"])
    >>> hints.hint_with("cdv2-contxt", "see `claimtrack list`")
    "did you mean 'cdv2-context'? Else see `claimtrack list`"
    """

    def __init__(self, choices: Iterable[str], budget: int | None = None) -> None:
        self._choices = sorted(set(choices))  # sorted: the same guess on every run when two score alike
        self._left = BUDGET if budget is None else budget

    def closest(self, word: str) -> str | None:
        """The name most like ``word``, or None when none is close enough or the budget is spent."""
        cost = 2 * len(self._choices)  # at most two passes: the weighted ratio, then the edit distance
        if cost > self._left:
            return None
        self._left -= cost
        return _closest(word, self._choices)

    def hint_with(self, word: str, otherwise: str) -> str:
        """A hint that offers the closest name first, then ``otherwise``."""
        match = self.closest(word)
        return f"did you mean {match!r}? Else {otherwise}" if match else otherwise


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """``"did you mean 'x'?"`` for the closest choice, or None."""
    match = closest(word, choices)
    return f"did you mean {match!r}?" if match else None


def hint_with(word: str, choices: Iterable[str], otherwise: str) -> str:
    """A hint that offers the closest choice first, then ``otherwise``."""
    guess = did_you_mean(word, choices)
    return f"{guess} Else {otherwise}" if guess else otherwise
