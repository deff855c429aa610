"""Calibration: for each confidence level, how its claims fared afterwards.

A claim counts once for every level it has held (from its creation, or from the revision that moved it there).
While at a level, the first revision that corrected, hedged, retracted or strengthened it is that level's outcome
for the claim, and the days from reaching the level to that revision are its time; a claim never so revised at a
level counts as unchanged there. A hedge that lowers a conclusion to a hypothesis is the conclusion's outcome;
the hypothesis starts from the hedge's date.

>>> from claimtrack.changelog.calibration import calibration   # doctest: +SKIP
>>> for row in calibration(lib):                                # doctest: +SKIP
...     print(row.confidence, row.claims, row.changed, row.median_days)
conclusion 12 3 41.0
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ..history import chronological, states_before
from ..model import Claim, RevisionKind

__all__ = ["Calibration", "calibration", "calibrate", "OUTCOMES", "outcomes"]

#: The revisions that say a level was wrong or too modest, in the order the table shows them.
OUTCOMES = (RevisionKind.CORRECTION, RevisionKind.HEDGE, RevisionKind.RETRACTION, RevisionKind.STRENGTHEN)
_KEEPING_LEVEL = frozenset({RevisionKind.REVIEW, RevisionKind.EDITORIAL, RevisionKind.EVIDENCE})
_COLUMN = {
    RevisionKind.CORRECTION: "corrected",
    RevisionKind.HEDGE: "hedged",
    RevisionKind.RETRACTION: "retracted",
    RevisionKind.STRENGTHEN: "strengthened",
}


@attrs.frozen
class Calibration:
    """One confidence level's record."""

    confidence: str
    claims: int  # claims that have held this level
    corrected: int  # ... whose first such revision while at it was a correction
    hedged: int
    retracted: int
    strengthened: int
    median_days: float | None  # from reaching the level to that first revision; None when none came

    @property
    def changed(self) -> int:
        """Claims corrected, hedged, retracted or strengthened while at this level."""
        return self.corrected + self.hedged + self.retracted + self.strengthened

    @property
    def share(self) -> float | None:
        """The changed claims' share of the claims that held the level (None for a level no claim held)."""
        return self.changed / self.claims if self.claims else None

    def as_dict(self) -> dict[str, Any]:
        return {**attrs.asdict(self), "changed": self.changed, "share": self.share}


def outcomes(claim: Claim) -> list[tuple[str, RevisionKind | None, int | None]]:
    """For each level the claim has held, in order: (level, first outcome or None, days until it or None)."""
    revisions = claim.revisions
    if not revisions:
        return []
    if all(r.kind in _KEEPING_LEVEL for r in revisions[1:]):  # most claims: one level, no outcome, no replay
        return [(claim.confidence, None, None)]
    before = states_before(claim)
    order = chronological(revisions)
    held: dict[str, tuple[RevisionKind | None, int | None]] = {}
    level: str | None = None
    since: dt.date | None = None
    for place, (_, revision) in enumerate(order):
        after = before[order[place + 1][0]] if place + 1 < len(order) else claim
        if after is None:  # a history that cannot be replayed: the audit reports it
            break
        if level is not None and since is not None and revision.kind in _COLUMN and held[level][0] is None:
            held[level] = (revision.kind, (revision.date - since).days)
        if after.confidence != level:
            level, since = after.confidence, revision.date
            held.setdefault(level, (None, None))
    return [(name, kind, days) for name, (kind, days) in held.items()]


def calibration(lib: Any, levels: Sequence[str] | None = None) -> list[Calibration]:
    """The record of every level some claim has held, strongest first (the scale's order, then any other level)."""
    return calibrate(lib.claims.values(), levels if levels is not None else lib.settings.scale.names)


def calibrate(claims: Iterable[Claim], levels: Sequence[str]) -> list[Calibration]:
    """:func:`calibration` of these claims, the levels in the order given (then any other level found)."""
    counts: dict[str, dict[str, int]] = {}
    days: dict[str, list[int]] = {}
    names = list(levels)
    for claim in claims:
        for level, kind, waited in outcomes(claim):
            if level not in names:
                names.append(level)
            tally = counts.setdefault(level, dict.fromkeys(("claims", *_COLUMN.values()), 0))
            tally["claims"] += 1
            if kind is not None:
                tally[_COLUMN[kind]] += 1
                days.setdefault(level, []).append(waited or 0)
    rows = []
    for level in names:
        if level not in counts:  # a level no claim has held has no record
            continue
        waits = days.get(level)
        rows.append(Calibration(level, median_days=float(statistics.median(waits)) if waits else None, **counts[level]))
    return rows
