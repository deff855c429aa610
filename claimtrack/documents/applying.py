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

Before a change is written, :func:`replay_shown` replays it on the current
statement exactly as the history will, and the change is written only when
the document shows the result: the words around the new text, as the
statement will read, stand in that order in the document's sentence. A new
span that ran past its end ("more than 93% accuracy on OCT images" for
"more than 93%") would give "... accuracy on OCT images accuracy on OCT
images."; it is skipped, never sealed into the history.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import ClaimtrackError, HistoryError
from ..history import apply as replay_one
from ..model import Claim, Revision, RevisionKind
from ..values import date_or_default
from .matching import contains_words, versions_of
from .records import AppliedChange, ApplyResult, ImportResult, ProposedRevision
from .sentences import normalise
from .tracked import import_changes

__all__ = ["apply_changes", "replay_shown"]

#: Words of the statement on each side of the new text that the document may show with it.
_CONTEXT_WORDS = 2


def _tokens(text: str) -> list[str]:
    """Case-folded word and punctuation tokens (``code-only`` is three, so a change inside a word lines up)."""
    return re.findall(r"\w+|[^\w\s]", normalise(text).casefold())


def _holds(haystack: list[str], needle: list[str]) -> bool:
    """Whether ``needle`` occurs as a contiguous run in ``haystack``."""
    n = len(needle)
    return not needle or any(haystack[i : i + n] == needle for i, word in enumerate(haystack) if word == needle[0])


def _unshown(statement: list[str], shown: list[str]) -> int:
    """How many of a statement's tokens the document's sentence does not hold."""
    return sum((Counter(statement) - Counter(shown)).values())


def replay_shown(claim: Claim, old: str, new: str, shown: str) -> tuple[str, str | None]:
    """The statement a span edit ``old`` -> ``new`` gives on replay, and why the document does not show it (or None).

    The replay is the history's own (:func:`claimtrack.history.apply`), so what
    is checked is what would be sealed. ``shown`` is the document's sentence
    after the change. It shows the result when it holds the new text with up to
    two of the statement's words on each side, in order; or, for a document
    that words the claim differently around the change, when it holds the new
    text and the result states no words the document lacks beyond those the
    statement already stated before the change.

    >>> replay_shown(claim, "greater than 93%", "more than 93%", "Lee reached more than 93% accuracy.")  # doctest: +SKIP
    ('Lee reached more than 93% accuracy.', None)
    """
    date = claim.revisions[-1].date if claim.revisions else dt.date.today()
    try:
        after = replay_one(claim, Revision(date, RevisionKind.CORRECTION, field="statement", old=old, new=new)).statement
    except HistoryError as e:
        return claim.statement, e.message
    head, _, tail = claim.statement.partition(old)
    doc, added = _tokens(shown), _tokens(new)
    if _holds(doc, _tokens(head)[-_CONTEXT_WORDS:] + added + _tokens(tail)[:_CONTEXT_WORDS]):
        return after, None
    if _holds(doc, added) and _unshown(_tokens(after), doc) <= _unshown(_tokens(claim.statement), doc + _tokens(old)):
        return after, None
    return after, f"replaying it would make the statement {after!r}, which the document does not show"


def _already(claim: Claim, change: ProposedRevision) -> tuple[int, str] | None:
    """The revision that records the change already, and how, or None.

    The latest such revision is named: after a change was undone and made again, it is the one in force.
    """
    latest = list(reversed(list(enumerate(claim.revisions))))
    for index, revision in latest:
        if revision.is_span_edit and revision.old == change.old and revision.new == change.new:
            return index, f"revision {index} already records it"
    for index, revision in latest:
        if (
            revision.is_span_edit
            and change.old
            and change.new
            and contains_words(revision.old or "", change.old)
            and contains_words(revision.new or "", change.new)
        ):
            return index, f"revision {index} records it in other words ({revision.old!r} -> {revision.new!r})"
    return _says_already(claim, change)


def _says_already(claim: Claim, change: ProposedRevision) -> tuple[int, str] | None:
    """The revision since which the statement says the change's new wording, when it says it instead of the old one.

    "{~~greater than~>more than~~}" against a statement that reads "more than"
    is recorded (by whatever revision gave that wording), not something to skip.
    """
    new, old = change.new, change.old or ""
    if not new or not contains_words(claim.statement, new):
        return None
    if old and claim.statement.count(old) and not contains_words(new, old):
        return None  # both wordings are there: which one the document means is not clear
    versions = versions_of(claim)
    since = versions[-1] if versions else None
    for version in reversed(versions):
        if not contains_words(version.statement, new):
            break
        since = version
    if since is None:
        return None
    return since.index, f"the statement says {new!r} already, since revision {since.index} ({since.revision.kind.value})"


def _why_not(claim: Claim, change: ProposedRevision) -> str:
    """Why a change's old text cannot be replaced in the claim's current statement."""
    count = claim.statement.count(change.old or "")
    if count > 1:
        return f"{change.old!r} occurs {count} times in the current statement; record it by hand with a longer old text"
    versions = versions_of(claim)
    # the revision that took the words out is the one after the last wording that still held them
    for version, following in reversed(list(zip(versions, versions[1:], strict=False))):
        if change.old and contains_words(version.statement, change.old) and not contains_words(following.statement, change.old):
            revision = claim.revisions[following.index]
            return (
                f"{change.old!r} is no longer in the statement: revision {following.index} "
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
        _, unshown = replay_shown(claim, change.old, change.new, change.sentence)
        if unshown is not None:
            results.append(AppliedChange(change, "skipped", f"{unshown}; record it with `claimtrack revise {claim.id}`"))
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
