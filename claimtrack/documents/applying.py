"""Recording imported changes as revisions, idempotently.

A change is *recorded* already when its claim has a span revision with the
same old and new text, so applying a document twice changes nothing; also
when a span revision's old text holds the change's old words and its new text
the change's new words (the claim records it in longer words: "code-only
(code-cushman-001)" -> "code-mainly (code-cushman-001)" for "only" ->
"mainly"). A change
that cannot be applied (no claim matched, nothing to replace, the old text
not occurring exactly once in the current statement, or the library refusing
it) is skipped and reported; the rest of the batch still goes through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import ClaimtrackError
from ..model import Claim
from ..values import date_or_default
from .matching import contains_words, versions_of
from .records import AppliedChange, ApplyResult, ImportResult, ProposedRevision
from .tracked import import_changes

__all__ = ["apply_changes"]


def _already(claim: Claim, change: ProposedRevision) -> tuple[int, str] | None:
    """The revision that records the change already, and how, or None."""
    for index, revision in enumerate(claim.revisions):
        if revision.is_span_edit and revision.old == change.old and revision.new == change.new:
            return index, f"revision {index} already records it"
    for index, revision in enumerate(claim.revisions):
        if (
            revision.is_span_edit
            and change.old
            and change.new
            and contains_words(revision.old or "", change.old)
            and contains_words(revision.new or "", change.new)
        ):
            return index, f"revision {index} records it in other words ({revision.old!r} -> {revision.new!r})"
    return None


def _why_not(claim: Claim, change: ProposedRevision) -> str:
    """Why a change's old text cannot be replaced in the claim's current statement."""
    count = claim.statement.count(change.old or "")
    if count > 1:
        return f"{change.old!r} occurs {count} times in the current statement; record it by hand with a longer old text"
    for version in versions_of(claim)[:-1]:
        if change.old and contains_words(version.statement, change.old) and version.replaced_by is not None:
            revision = claim.revisions[version.replaced_by]
            return (
                f"{change.old!r} is no longer in the statement: revision {version.replaced_by} "
                f"({revision.kind.value}, {revision.date.isoformat()}) replaced that wording"
            )
    return f"{change.old!r} does not occur in the current statement"


def apply_changes(
    lib: Any,
    changes: ImportResult | Iterable[ProposedRevision] | str | Path,
    *,
    by: str | None = None,
    date: dt.date | str | None = None,
    reason: str | None = None,
) -> ApplyResult:
    """Write the matched changes as revisions through ``lib.revise``.

    ``changes`` is an import result, proposed revisions, or a document path to
    import first. ``date`` is used for changes the document does not date
    (default: today); ``reason`` defaults to "imported from FILE line N".
    """
    if isinstance(changes, (str, Path)):
        changes = import_changes(lib, changes)
    imported = changes if isinstance(changes, ImportResult) else None
    items: tuple[ProposedRevision, ...] = imported.changes if imported is not None else tuple(changes)  # type: ignore[arg-type]
    fallback = date_or_default(date)  # checked like every --date; CLAIMTRACK_DATE when not given
    current: dict[str, Claim] = {}
    results: list[AppliedChange] = []
    for change in items:
        if change.claim is None:
            results.append(AppliedChange(change, "skipped", "no claim matched this sentence"))
            continue
        if change.old is None or change.new is None:
            results.append(
                AppliedChange(
                    change, "skipped", "adds text without replacing any; record it with `claimtrack revise ID --statement ...`"
                )
            )
            continue
        try:
            claim = current.get(change.claim) or lib.claims[change.claim]
        except KeyError:
            results.append(AppliedChange(change, "skipped", f"no claim {change.claim!r} in the library"))
            continue
        known = _already(claim, change)
        if known is not None:
            results.append(AppliedChange(change, "recorded", known[1], known[0]))
            continue
        if not change.old or claim.statement.count(change.old) != 1:
            results.append(AppliedChange(change, "skipped", _why_not(claim, change)))
            continue
        source = change.file.rsplit("/", 1)[-1] if change.file else "a document"
        try:
            updated = lib.revise(
                change.claim,
                old=change.old,
                new=change.new,
                reason=reason or f"imported from {source} line {change.line}",
                kind=change.kind,
                by=by,
                credited=change.credited,
                date=change.date or fallback,
                note=change.note,
            )
        except ClaimtrackError as e:
            results.append(AppliedChange(change, "skipped", str(e)))
            continue
        current[change.claim] = updated
        results.append(AppliedChange(change, "applied", None, len(updated.revisions) - 1))
    return ApplyResult(tuple(results), imported)
