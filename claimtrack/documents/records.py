"""The records the document verbs return: frozen attrs classes, no behaviour."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs

from ..model import RevisionKind

__all__ = ["ProposedRevision", "DocumentNote", "ImportResult", "AppliedChange", "ApplyResult", "StaleFinding"]


def _kind(value: str | None) -> RevisionKind | None:
    return None if value is None else RevisionKind(value)


@attrs.frozen
class ProposedRevision:
    """A change a document shows, not yet recorded.

    ``old`` is None for pure additions, ``new`` None for removals. ``date`` is
    None when the document does not say when (``note`` then says why).
    ``claim`` is the matched claim id, None when no claim matched; ``score``
    is the match's similarity (0-100).
    """

    kind: RevisionKind | None = attrs.field(converter=_kind)
    old: str | None
    new: str | None
    sentence: str
    line: int
    file: str = ""
    credited: str | None = None
    date: dt.date | None = None
    claim: str | None = None
    score: float = 0.0
    tracked: bool = False  # the document itself marks the change (strikethrough, CriticMarkup)
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self, recurse=False)


@attrs.frozen
class DocumentNote:
    """A CriticMarkup comment that is not attached to a change."""

    text: str
    sentence: str
    line: int


@attrs.frozen
class ImportResult:
    """What ``import`` read from one document."""

    path: Path
    changes: tuple[ProposedRevision, ...] = ()
    notes: tuple[DocumentNote, ...] = ()
    year: int | None = None  # the year used for dates without one; None when it could not be known
    warnings: tuple[str, ...] = ()

    @property
    def matched(self) -> tuple[ProposedRevision, ...]:
        return tuple(c for c in self.changes if c.claim is not None)

    @property
    def unmatched(self) -> tuple[ProposedRevision, ...]:
        return tuple(c for c in self.changes if c.claim is None)


@attrs.frozen
class AppliedChange:
    """One proposed revision and what ``apply_changes`` did with it.

    ``outcome`` is ``applied``, ``recorded`` (the claim already has a revision
    with the same old and new) or ``skipped`` (``reason`` says why).
    """

    change: ProposedRevision
    outcome: str
    reason: str | None = None
    revision_index: int | None = None


@attrs.frozen
class ApplyResult:
    """What ``apply_changes`` did with each change; ``imported`` is the import it applied."""

    results: tuple[AppliedChange, ...] = ()
    imported: ImportResult | None = None

    def _having(self, outcome: str) -> tuple[AppliedChange, ...]:
        return tuple(r for r in self.results if r.outcome == outcome)

    @property
    def applied(self) -> tuple[AppliedChange, ...]:
        return self._having("applied")

    @property
    def recorded(self) -> tuple[AppliedChange, ...]:
        return self._having("recorded")

    @property
    def skipped(self) -> tuple[AppliedChange, ...]:
        return self._having("skipped")


@attrs.frozen
class StaleFinding:
    """A sentence that still states a superseded version of a claim."""

    file: str
    line: int
    sentence: str
    claim: str
    superseded: str  # the wording the sentence matches
    current: str  # the claim's statement now
    old: str  # the corrected span the sentence still contains
    new: str  # what replaced it
    revision: int  # index in claim.revisions of the revision that changed it
    revision_date: dt.date
    revision_kind: RevisionKind
    score: float  # 0-100: the word score of a span match, else 100 x the embedding similarity
    why: str = ""  # the evidence, in one sentence
    kind: str = "correction"  # "correction", "retracted" or "superseded" (by another claim)
    changes: tuple[tuple[str, str], ...] = ()  # every changed span (old, new) of a span edit
    successor: str | None = None  # the claim that superseded this one

    @property
    def stated(self) -> tuple[tuple[str, str], ...]:
        """The changed spans whose old words the sentence still holds (all of ``changes`` a stale sentence states)."""
        from .values import find_tokens, tokens  # the word arithmetic of the stale rules

        words = tokens(self.sentence)
        return tuple((old, new) for old, new in self.changes if tokens(old) and find_tokens(words, tokens(old)) >= 0)

    def to_dict(self) -> dict[str, Any]:
        out = attrs.asdict(self, recurse=False)
        out["changes"] = [list(change) for change in self.changes]
        return out
