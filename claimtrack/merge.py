"""Merging two versions of one claim: every revision of both, once, in one order whichever side is which.

Revisions are known by their digest (an unsealed one by its canonical form).
The merged history keeps each side's order and, between revisions the sides
do not order, puts the earlier date first (then sealed before unsealed, then
the digest), so merging A into B and B into A give the same history. A
revision that no longer sits right under the revision it was sealed over
names its parents in ``after``; its seal is unchanged.

Two sides that change the same thing are a conflict: both set the same scalar
field (confidence, status, superseded_by) to different values, one replaces
the whole statement or a whole list while the other edits it, or the merged
history does not replay (both replaced the same span, or added the same
record). The conflict names the claim and one revision of each side. A side
whose fields were edited by hand in a way the merged history does not give is
refused too, so that the merge never drops such an edit silently.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import attrs

from .errors import HistoryError, MergeConflictError
from .history import STATE_FIELDS, render_markdown, replay
from .model import Claim, Revision, RevisionKind
from .seals import canonical, digest_of, parents

__all__ = ["merge_claims", "identity"]

_SCALARS = ("confidence", "status", "superseded_by")
_LISTS = ("tags", "depends_on", "appearances", "facts", "evidence")


def identity(revision: Revision) -> str:
    """What a revision is known by across copies of a file: its digest, or its canonical form when unsealed."""
    return revision.digest or "unsealed " + canonical(revision)


def merge_claims(ours: Claim, theirs: Claim) -> Claim:
    """One claim holding every revision of ``ours`` and ``theirs``; raise MergeConflictError on a real conflict.

    The result's fields are what the merged history replays to, and it is the
    same claim whichever side is ``ours``.
    """
    where = ours.path or theirs.path
    if ours.id != theirs.id:
        raise MergeConflictError(f"the two sides are claims {ours.id!r} and {theirs.id!r}", file=where)
    sides = (_Side(ours), _Side(theirs))
    for side in sides:
        twice = next((i for i, key in enumerate(side.keys) if key in side.keys[:i]), None)
        if twice is not None:
            label = "ours" if side is sides[0] else "theirs"
            raise MergeConflictError(
                f"merge conflict in claim {ours.id!r}: {label} {_describe(side.claim, twice)} is there twice",
                file=where,
                hint="remove the copy (or make the hand-written revisions differ), then merge again",
            )
    for side, other in (sides, sides[::-1]):
        present = set(other.keys)
        side.new = {k for k in side.keys if k not in present}
        side.new_indexes = [i for i, k in enumerate(side.keys) if k in side.new]
    first = {side.keys[0] for side in sides if side.keys}
    if len(first) > 1:
        raise _conflict(ours.id, where, sides, (0, 0), "both create the claim, differently")
    known: dict[str, Revision] = {}
    candidates: dict[str, set[tuple[str, ...]]] = {}
    for side in sides:
        for key, revision, ps in zip(side.keys, side.claim.revisions, parents(side.claim.revisions), strict=True):
            if key in known and canonical(known[key]) != canonical(revision):
                raise MergeConflictError(
                    f"claim {ours.id!r}: revision {side.keys.index(key)} has the same digest on both sides "
                    "but different content (one side was edited after it was sealed)",
                    file=where,
                    hint="restore that revision from the branch where its seal verifies, then merge again",
                )
            known.setdefault(key, revision)
            candidates.setdefault(key, set()).add(ps)
    # Each revision's parents: those its seal verifies over (a side may have lost an ``after``).
    stated = {
        key: next((ps for ps in sorted(options) if digest_of(ps, known[key]) == known[key].digest), min(options))
        for key, options in candidates.items()
    }
    order = _order(ours.id, where, sides, known)
    final = [_replayed(side.claim) for side in sides]
    _check_overlap(ours.id, where, sides, final)
    revisions: list[Revision] = []
    last: str | None = None
    for key in order:
        revision = known[key]
        if revision.digest:
            implicit = (last,) if last else ()
            after = stated[key] if stated[key] != implicit else ()
            revision = attrs.evolve(revision, after=after)
            last = revision.digest
        revisions.append(revision)
    ignore = ours.ignore if ours.ignore == theirs.ignore else tuple(sorted({*ours.ignore, *theirs.ignore}, key=repr))
    merged = attrs.evolve(ours, revisions=tuple(revisions), ignore=ignore, path=where)
    try:
        result = replay(merged)
    except HistoryError as e:
        failing = _index_of(e.key)
        key = identity(revisions[failing]) if failing is not None else order[-1]
        mine = next((side for side in sides if key in side.new), sides[0])
        other = sides[1 - sides.index(mine)]
        touched = _touches(known[key])
        theirs_index = next(
            (i for i in reversed(other.new_indexes) if _touches(other.claim.revisions[i]) & touched),
            other.new_indexes[0] if other.new_indexes else 0,
        )
        own = mine.keys.index(key) if key in mine.keys else len(mine.keys) - 1
        pair = (own, theirs_index) if mine is sides[0] else (theirs_index, own)
        raise _conflict(ours.id, where, sides, pair, f"do not combine ({e.message})") from e
    for side, replayed in zip(sides, final, strict=True):
        # A field edited by hand (not what the side's history gives) must not vanish in the merge.
        lost = [
            name
            for name in STATE_FIELDS
            if replayed is not None
            and getattr(side.claim, name) != getattr(replayed, name)
            and getattr(side.claim, name) != getattr(result, name)
        ]
        if lost:
            label = "ours" if side is sides[0] else "theirs"
            raise MergeConflictError(
                f"merge conflict in claim {ours.id!r}: {label} has {', '.join(lost)} edited without a revision, "
                "which the merged history would not keep",
                file=where,
                hint="record the edit as a revision (or undo it) on that branch, then merge again",
            )
    return result


@attrs.define
class _Side:
    """One side of the merge: its claim, its revisions' identities, and those the other side lacks."""

    claim: Claim
    keys: list[str] = attrs.field(init=False)
    new: set[str] = attrs.field(init=False, factory=set)
    new_indexes: list[int] = attrs.field(init=False, factory=list)

    def __attrs_post_init__(self) -> None:
        self.keys = [identity(r) for r in self.claim.revisions]


def _order(claim_id: str, where: str | None, sides: Sequence[_Side], known: dict[str, Revision]) -> list[str]:
    """Every revision once: each side's order kept, otherwise the earlier date first (Kahn's algorithm)."""
    ours, theirs = sides
    following: dict[str, set[str]] = {key: set() for key in known}
    waiting = dict.fromkeys(known, 0)
    for side in sides:
        for a, b in zip(side.keys, side.keys[1:], strict=False):
            if b not in following[a] and a != b:
                following[a].add(b)
                waiting[b] += 1

    def rank(key: str) -> tuple[object, bool, str]:
        revision = known[key]
        return (revision.date, revision.digest is None, key)

    ready = [(rank(k), k) for k, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    out: list[str] = []
    while ready:
        _, key = heapq.heappop(ready)
        out.append(key)
        for later in following[key]:
            waiting[later] -= 1
            if waiting[later] == 0:
                heapq.heappush(ready, (rank(later), later))
    if len(out) < len(known):
        emitted = set(out)
        stuck = next(k for k in ours.keys if k not in emitted and k in theirs.keys)
        pair = (ours.keys.index(stuck), theirs.keys.index(stuck))
        raise _conflict(claim_id, where, sides, pair, "are in a different order on the two sides (a past revision was moved)")
    return out


def _touches(revision: Revision) -> set[str]:
    """What a revision changes: ``statement`` (whole), ``statement-span``, a scalar field, ``list:<name>`` (whole) or ``items:<name>``."""
    out = set()
    if revision.kind is RevisionKind.CREATED:
        return {"created"}
    if revision.statement is not None:
        out.add("statement")
    if revision.old is not None or revision.new is not None:
        field = revision.field or "statement"
        out.add("statement-span" if field == "statement" else field)
    out.update(name for name in _SCALARS if getattr(revision, name) is not None)
    for name in _LISTS:
        if getattr(revision, f"set_{name}") is not None:
            out.add(f"list:{name}")
        if getattr(revision, f"add_{name}") or getattr(revision, f"remove_{name}"):
            out.add(f"items:{name}")
    return out


#: Pairs of changes, one on each side, that cannot both be kept even when the history replays.
_CLASHES = (
    ("statement", "statement"),
    ("statement", "statement-span"),
    *((f"list:{name}", f"list:{name}") for name in _LISTS),
    *((f"list:{name}", f"items:{name}") for name in _LISTS),
)


def _check_overlap(claim_id: str, where: str | None, sides: Sequence[_Side], final: list[Claim | None]) -> None:
    ours, theirs = sides
    if not ours.new_indexes or not theirs.new_indexes:
        return
    touched = [{i: _touches(side.claim.revisions[i]) for i in side.new_indexes} for side in sides]
    for i, mine in touched[0].items():
        for j, other in touched[1].items():
            for field in _SCALARS:
                both = field in mine and field in other and final[0] is not None and final[1] is not None
                if both and getattr(final[0], field) != getattr(final[1], field):
                    raise _conflict(claim_id, where, sides, (i, j), f"both change {field}")
            for a, b in _CLASHES:
                if (a in mine and b in other) or (b in mine and a in other):
                    what = a.split(":")[-1]
                    raise _conflict(claim_id, where, sides, (i, j), f"both change the {what}, one of them as a whole")


def _replayed(claim: Claim) -> Claim | None:
    try:
        return replay(claim)
    except HistoryError:
        return None


def _index_of(key: str | None) -> int | None:
    if key and "revisions[" in key:
        return int(key.split("revisions[", 1)[1].split("]", 1)[0])
    return None


def _describe(claim: Claim, index: int) -> str:
    if index >= len(claim.revisions):
        return f"revision {index}"
    revision = claim.revisions[index]
    change = render_markdown(revision)
    by = f" by {revision.by}" if revision.by else ""
    return f"revision {index} ({revision.kind.value}, {revision.date}{by}: {change})"


def _conflict(claim_id: str, where: str | None, sides: Sequence[_Side], pair: tuple[int, int], what: str) -> MergeConflictError:
    ours, theirs = sides
    return MergeConflictError(
        f"merge conflict in claim {claim_id!r}: ours {_describe(ours.claim, pair[0])} and theirs "
        f"{_describe(theirs.claim, pair[1])} {what}",
        file=where,
        hint="keep one side's file, then record the other side's change as a new revision",
    )
