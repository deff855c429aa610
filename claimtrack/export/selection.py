"""Which claims an export holds: all of them, or those chosen by id, tag, confidence and status."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ..model import Claim, Status
from ..suggest import did_you_mean

__all__ = ["Selection", "select"]


@attrs.frozen
class Selection:
    """The chosen claims, sorted by id, and a note when the filters chose none."""

    claims: tuple[Claim, ...]
    note: str | None = None


def select(
    lib: Any,
    *,
    claims: Iterable[str] = (),
    tags: Iterable[str] = (),
    confidence: Iterable[str] = (),
    status: Iterable[str] = (),
) -> Selection:
    """Claims matching every given filter (any value within one); an unknown id, level or status is an error."""
    from ..errors import ClaimNotFoundError, ExportError

    ids, tags, status = tuple(claims), tuple(tags), tuple(status)
    for value in status:
        if value not in {s.value for s in Status}:
            raise ExportError(
                f"{value!r} is not a status", key="--status", hint=did_you_mean(value, [s.value for s in Status]) or ""
            )
    for claim_id in ids:
        if claim_id not in lib.claims:
            near = did_you_mean(claim_id, lib.claims)
            raise ClaimNotFoundError(f"no claim {claim_id!r}", key="--claim", hint=near or "see `claimtrack list`")
    chosen = lib.select(confidence=confidence, tags=tags, status=status)
    if ids:
        wanted = set(ids)
        chosen = [c for c in chosen if c.id in wanted]
    note = None
    if not chosen:
        note = (
            "no claim matches the filters; the export is empty"
            if (ids or tags or confidence or status)
            else "the library has no claims"
        )
    return Selection(tuple(chosen), note)
