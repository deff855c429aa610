"""What changed in a library, and when: every claim's revisions in one list, newest first.

The same list feeds ``claimtrack log`` (text, JSON, Markdown), the report's corrections page and its Atom feed.
A back-dated revision is listed at its own date (and says when it was recorded).

>>> from claimtrack.changelog import changelog          # doctest: +SKIP
>>> for entry in changelog(lib, since="2022-12-15"):    # doctest: +SKIP
...     print(entry.date, entry.claim, entry.kind, "; ".join(entry.changes))
2022-12-18 cdv2-context-window correction ~~4096~~ 8192; ...
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs

from ..changes import format_change, what_changed
from ..errors import ClaimtrackError
from ..history import states_before
from ..model import Claim, RevisionKind, to_date

__all__ = ["Entry", "changelog", "since_date", "CORRECTION_KINDS", "ALL_KINDS"]

#: Kinds that change what a claim says or how it stands: the corrections page and the feed list these (a change of
#: evidence alone, a review and an editorial fix do not).
CORRECTION_KINDS = frozenset(RevisionKind) - {
    RevisionKind.CREATED,
    RevisionKind.REVIEW,
    RevisionKind.EDITORIAL,
    RevisionKind.EVIDENCE,
}
#: Every kind: ``claimtrack log`` lists new claims and reviews too.
ALL_KINDS = frozenset(RevisionKind)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@attrs.frozen
class Entry:
    """One revision of one claim, put into words."""

    date: dt.date
    claim: str
    index: int  # the revision's position in the claim's history
    kind: str
    changes: tuple[str, ...]  # each change as Markdown: ``~~4096~~ 8192``, ``confidence: ~~conclusion~~ hypothesis``
    statement: str  # the claim's statement now
    status: str  # the claim's status now
    by: str = ""
    credited: str | None = None
    reason: str | None = None
    evidence: tuple[str, ...] = ()
    recorded: dt.date | None = None  # when a back-dated revision was written

    def as_dict(self) -> dict[str, Any]:
        """The entry as plain data (the JSON shape of ``claimtrack log``)."""
        out = attrs.asdict(self)
        out["date"] = self.date.isoformat()
        out["recorded"] = self.recorded.isoformat() if self.recorded else None
        out["changes"], out["evidence"] = list(self.changes), list(self.evidence)
        return out


def _needs_before(claim: Claim) -> bool:
    """Whether some later revision of ``claim`` shows an old value only the state before it knows."""
    return any(
        r.statement is not None or r.confidence is not None or r.status is not None or r.superseded_by is not None
        for r in claim.revisions[1:]
    )


def _entries(claim: Claim, kinds: frozenset[RevisionKind], start: dt.date | None, end: dt.date | None,
             escape: Callable[[str], str]) -> Iterable[Entry]:  # fmt: skip
    befores: list[Claim | None] | None = None
    for index, revision in enumerate(claim.revisions):
        if (
            revision.kind not in kinds
            or (start is not None and revision.date < start)
            or (end is not None and revision.date > end)
        ):
            continue
        if befores is None and index and _needs_before(claim):
            befores = states_before(claim)
        before = befores[index] if befores is not None else None
        changes = tuple(format_change(c, escape=escape) for c in what_changed(revision, before)) or (revision.kind.value,)
        yield Entry(revision.date, claim.id, index, revision.kind.value, changes, claim.statement, claim.status.value,
                    revision.by, revision.credited, revision.reason, tuple(revision.evidence),
                    getattr(revision, "recorded", None))  # fmt: skip


def changelog(
    lib: Any,
    *,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    kinds: Iterable[RevisionKind | str] = ALL_KINDS,
    claims: Iterable[Claim] | None = None,
    escape: Callable[[str], str] = str,
) -> list[Entry]:
    """Every revision of the library's claims (or of ``claims``) dated from ``since`` to ``until`` (both included),
    newest first; ``since`` may be a git ref (the date of its commit)."""
    start = since_date(lib, since) if since is not None else None
    end = to_date(until) if until is not None else None
    wanted = frozenset(RevisionKind(k) for k in kinds)
    chosen = claims if claims is not None else lib.claims.values()
    out = [entry for claim in chosen for entry in _entries(claim, wanted, start, end, escape)]
    out.sort(key=lambda e: (e.date, e.claim, e.index), reverse=True)
    return out


def since_date(lib: Any, value: dt.date | str) -> dt.date:
    """``value`` as a date: a date, ``YYYY-MM-DD``, or a git ref (branch, tag, commit) naming the day of its commit."""
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    text = str(value).strip()
    if _ISO.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError as e:
            raise ClaimtrackError(f"{text!r} is not a day", key="--since", hint="write it as YYYY-MM-DD") from e
    from ..gitrepo import open_repo

    root = Path(getattr(lib, "root", "."))
    repo = open_repo(root)
    commit = repo.commit_of(text)
    day = repo.git("show", "-s", "--format=%cs", commit).stdout.decode().strip()
    return dt.date.fromisoformat(day)
