"""Several span edits of a statement made as one change (``revise --old A --new B --old C --new D``).

Each pair becomes a span-edit revision of its own, in the order given, all with the
same date, kind, author, reason, credit, evidence and note; the library writes them
in one write. A revision holds one ``old``/``new`` pair, as it always has, so every
reader of the format reads each span as it reads a single edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .errors import HistoryError
from .model import Revision, RevisionKind

__all__ = ["span_edits"]


def span_edits(
    claim_id: str,
    old: str | Sequence[str] | None,
    new: str | Sequence[str] | None,
    *,
    statement: str | None,
    confidence: str | None,
    kind: RevisionKind | str | None,
    date: dt.date,
    by: str,
    evidence: tuple[str, ...],
    reason: str | None,
    credited: str | None,
    note: str | None,
) -> tuple[Revision, ...]:
    """One span-edit revision a pair, in order; ``confidence`` goes on the last (the change ends at that level).

    Raises HistoryError for pairs that do not match up, for a whole ``statement`` beside
    them, or for no pair at all.
    """
    olds = [old] if isinstance(old, str) else list(old or ())
    news = [new] if isinstance(new, str) else list(new or ())
    if len(olds) != len(news):
        raise HistoryError(
            f"each --old needs its --new: got {len(olds)} --old and {len(news)} --new",
            key=claim_id,
            hint="pass them in pairs, --old A --new B --old C --new D",
        )
    if not olds:
        raise HistoryError("no span to change", key=claim_id, hint="pass --old TEXT --new TEXT, once a span")
    if statement is not None:
        raise HistoryError("give span edits or a whole statement, not both", key=claim_id, hint="pass --old/--new or --statement")
    for text in (*olds, *news):
        if not isinstance(text, str):
            raise HistoryError(f"old and new must be text, not {type(text).__name__}", key=claim_id, hint="pass strings")
    last = len(olds) - 1
    return tuple(
        Revision(
            date=date,
            kind=RevisionKind(kind or RevisionKind.CORRECTION),
            by=by,
            evidence=evidence,
            field="statement",
            old=before,
            new=after,
            confidence=confidence if i == last else None,
            reason=reason,
            credited=credited,
            note=note,
        )
        for i, (before, after) in enumerate(zip(olds, news, strict=True))
    )
