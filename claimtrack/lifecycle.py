"""The verbs that end a claim's life or re-check it: retract, supersede, review.

A claim is never deleted: its life ends with a ``retraction`` or a
``supersession`` revision, and its history stays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import HistoryError
from .model import Claim, Revision, RevisionKind, Status
from .revisionmeta import author, parse_date

if TYPE_CHECKING:
    from .store import Store

__all__ = ["LifeVerbs"]


class LifeVerbs:
    """Verbs of :class:`claimtrack.Library` that retract, supersede or review a claim."""

    if TYPE_CHECKING:
        store: Store

        def claim(self, claim_id: str) -> Claim: ...
        def append(self, claim_id: str, revision: Revision) -> Claim: ...
        def _check_claim_exists(self, claim_id: str) -> None: ...

    def _end(
        self,
        claim_id: str,
        kind: RevisionKind,
        status: Status,
        reason: str,
        by: str | None,
        date: Any,
        successor: str | None = None,
        **about: Any,
    ) -> Claim:
        current = self.claim(claim_id)
        if current.status is not Status.ACTIVE:
            raise HistoryError(
                f"claim {claim_id!r} is already {current.status.value}",
                key=claim_id,
                hint="its life has ended; nothing to change",
            )
        revision = Revision(
            date=parse_date(date),
            kind=kind,
            by=author(by),
            reason=reason,
            field="status",
            old=current.status.value,
            new=status.value,
            superseded_by=successor,
            **about,
        )
        return self.append(claim_id, revision)

    def retract(
        self,
        claim_id: str,
        *,
        reason: str,
        by: str | None = None,
        date: dt.date | str | None = None,
        credited: str | None = None,
        evidence: Iterable[str] = (),
        note: str | None = None,
    ) -> Claim:
        """Mark a claim retracted; its history stays. ``credited`` names who found the problem, ``evidence`` the
        source keys the retraction rests on, ``note`` anything else to keep (how the date is known)."""
        about = _about(credited, evidence, note)
        return self._end(claim_id, RevisionKind.RETRACTION, Status.RETRACTED, reason, by, date, **about)

    def supersede(
        self,
        claim_id: str,
        *,
        by_claim: str,
        reason: str,
        by: str | None = None,
        date: dt.date | str | None = None,
        credited: str | None = None,
        evidence: Iterable[str] = (),
        note: str | None = None,
    ) -> Claim:
        """Mark a claim superseded by another one (or name the successor of one superseded without a valid one);
        ``credited``, ``evidence`` and ``note`` as for :meth:`retract`."""
        about = _about(credited, evidence, note)
        self.store.path_for(by_claim)  # a malformed id is refused with the library's closest id
        if by_claim == claim_id:
            raise HistoryError("a claim cannot supersede itself", key=claim_id, hint="name another claim with --by-claim")
        self._check_claim_exists(by_claim)
        current = self.claim(claim_id)
        successor = current.superseded_by
        if current.status is Status.SUPERSEDED and (not successor or not self.store.path_for(successor).is_file()):
            revision = Revision(
                date=parse_date(date),
                kind=RevisionKind.SUPERSESSION,
                by=author(by),
                reason=reason,
                # A checked change when it names one, else a new value (a file cannot hold an empty ``old``).
                field="superseded_by" if successor else None,
                old=successor or None,
                new=by_claim if successor else None,
                superseded_by=None if successor else by_claim,
                **about,
            )
            return self.append(claim_id, revision)
        return self._end(claim_id, RevisionKind.SUPERSESSION, Status.SUPERSEDED, reason, by, date, successor=by_claim, **about)

    def review(
        self,
        claim_id: str,
        *,
        reason: str,
        by: str | None = None,
        date: dt.date | str | None = None,
        credited: str | None = None,
        evidence: Iterable[str] = (),
        note: str | None = None,
    ) -> Claim:
        """Record that a person re-checked the claim; nothing else changes. ``evidence`` names the source keys it
        was checked against; ``credited`` and ``note`` as for :meth:`retract`."""
        revision = Revision(
            date=parse_date(date),
            kind=RevisionKind.REVIEW,
            by=author(by),
            reason=reason,
            **_about(credited, evidence, note),
        )
        return self.append(claim_id, revision)


def _about(credited: str | None, evidence: Iterable[str], note: str | None) -> dict[str, Any]:
    """What every revision may say besides its change: who is credited, the keys it rests on, a note."""
    if isinstance(evidence, str):
        evidence = (evidence,)  # one key, not its letters
    return {"credited": credited or None, "evidence": tuple(evidence), "note": note or None}
