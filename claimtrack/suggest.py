"""Did-you-mean: the known name closest to a mistyped one."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["did_you_mean"]

#: How alike (rapidfuzz ratio, 0-100) a known name must be to be suggested.
SUGGEST_SCORE = 60.0


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """``"did you mean 'rules'?"`` for the closest known name, or None when none is close.

    >>> did_you_mean("rulse", ["title", "rules", "report"])
    "did you mean 'rules'?"
    """
    from rapidfuzz import fuzz, process

    found = process.extractOne(name.casefold(), list(known), scorer=fuzz.ratio, score_cutoff=SUGGEST_SCORE)
    return f"did you mean {found[0]!r}?" if found else None
