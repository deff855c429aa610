"""Seals: each revision's digest, chained to the revisions it was written after.

A claim's history is a small graph. A revision's *parents* are the digests
listed in its ``after`` key, or, when it has none, the last sealed revision
above it in the file (none for the first). Its digest is the SHA-256 of the
parents' digests (sorted, one a line), a newline, and its canonical form.
A history written on one branch is a chain and needs no ``after``; a merge
puts one branch's revisions below the other's, and those that no longer sit
right under their parent say so in ``after``. The next revision written is
sealed over every *head* (a sealed revision no other one names as parent).

With one parent this is exactly the chained digest of the first format, so
every history sealed before ``after`` existed still verifies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence

import attrs

from .codec import revision_to_raw
from .model import Revision

__all__ = ["digest_of", "canonical", "parents", "heads", "seal", "seal_next", "first_broken_seal"]


def canonical(revision: Revision) -> str:
    """The revision's TOML-shaped data without its seal (``digest``, ``after``), as compact sorted JSON."""
    raw = revision_to_raw(revision)
    raw.pop("digest", None)
    raw.pop("after", None)
    raw["date"] = _iso(raw["date"])  # as the encoder's default would write it, without a call back from C
    return _encode(raw)


def _iso(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot seal a {type(value).__name__}")


# json.dumps with these options, made once: json.dumps makes a new encoder on every call (a revision's seal is
# checked on every load that parses its file).
_encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_iso).encode


def digest_of(previous: str | Sequence[str] | None, revision: Revision) -> str:
    """SHA-256 over the parents' digests (sorted, joined by newlines), a newline and the canonical form.

    ``previous`` is one parent digest, a sequence of them, or None for the first revision.
    """
    if previous is None:
        joined = ""
    elif isinstance(previous, str):
        joined = previous
    else:
        joined = "\n".join(sorted(previous))
    return hashlib.sha256(f"{joined}\n{canonical(revision)}".encode()).hexdigest()


def parents(revisions: Sequence[Revision]) -> list[tuple[str, ...]]:
    """Each revision's parents as the file states them: its ``after``, else the last sealed revision above it."""
    out: list[tuple[str, ...]] = []
    last: str | None = None
    for revision in revisions:
        if revision.after:
            out.append(tuple(sorted(revision.after)))
        else:
            out.append((last,) if last else ())
        if revision.digest:
            last = revision.digest
    return out


def heads(revisions: Sequence[Revision]) -> tuple[str, ...]:
    """The sealed revisions no sealed one names as parent, sorted: what the next revision is written after."""
    named = {p for revision, ps in zip(revisions, parents(revisions), strict=True) if revision.digest for p in ps}
    return tuple(sorted({r.digest for r in revisions if r.digest and r.digest not in named}))


def seal_next(revisions: Sequence[Revision], new: Revision) -> Revision:
    """``new`` sealed as the next revision after ``revisions``: over every head, named in ``after`` when not one."""
    tips = heads(revisions)
    last = next((r.digest for r in reversed(revisions) if r.digest), None)
    new = attrs.evolve(new, after=() if tips == tuple(filter(None, (last,))) else tips, digest=None)
    return attrs.evolve(new, digest=digest_of(tips, new))


def seal(revisions: Sequence[Revision], previous: str | None = None) -> tuple[Revision, ...]:
    """Give every revision without a digest one, over the sealed revision above it (``previous`` above the first).

    A sealed revision below a newly sealed one keeps its digest and gets an
    ``after`` naming the parent it was sealed over, so every seal still verifies
    (the newly sealed revision becomes a head of its own).
    """
    out: list[Revision] = []
    last = previous
    for revision, stated in zip(revisions, parents(revisions), strict=True):
        implicit = (last,) if last else ()
        if revision.digest is None:
            revision = attrs.evolve(revision, digest=digest_of(revision.after or implicit, revision))
        elif not revision.after and stated != implicit:
            revision = attrs.evolve(revision, after=stated)
        out.append(revision)
        last = revision.digest
    return tuple(out)


def copied_from(revisions: Sequence[Revision], index: int) -> int | None:
    """The index of the sealed revision above ``index`` with the same digest (a copy of it), or None."""
    digest = revisions[index].digest
    return next((i for i in range(index) if digest and revisions[i].digest == digest), None)


def first_broken_seal(revisions: Sequence[Revision]) -> int | None:
    """Index of the first revision whose digest does not verify, or None.

    Unsealed revisions (no digest) are skipped; a parent named in ``after``
    must be a sealed revision above it. Removing or rewriting a sealed revision
    breaks the seal of every revision written after it. A copy of a sealed
    revision (the same digest twice) is no revision of its own: the copy fails.
    """
    seen: set[str] = set()
    for index, (revision, stated) in enumerate(zip(revisions, parents(revisions), strict=True)):
        if revision.digest is None:
            continue
        if revision.digest in seen:
            return index
        if revision.after and not seen.issuperset(revision.after):
            return index
        if revision.digest != digest_of(stated, revision):
            return index
        seen.add(revision.digest)
    return None
