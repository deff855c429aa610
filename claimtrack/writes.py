"""What every write must pass before it touches a claim file, and what a seal run reports.

A revision is refused, writing nothing, when the claim's file shows an
untracked edit (its fields differ from what its revisions give), when it is
dated before the claim was created, when it cannot apply at its date, or
when it names a change that changes nothing. A revision dated before the
latest one (back-filled) is kept, with the day it was ``recorded``.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

from .errors import ClaimtrackError, HistoryError
from .history import STATE_FIELDS, apply, replay
from .model import Appearance, Claim, Evidence, Fact, Revision
from .revisionmeta import command_for
from .seals import copied_from, first_broken_seal
from .values import check_day, check_optional_text, check_records, check_text, check_texts

__all__ = [
    "check_revision",
    "check_values",
    "refuse_untracked",
    "refuse_unreplayable",
    "refuse_broken_seal",
    "revision_named",
    "names_change",
    "SealResult",
]

_REVISION_INDEX = re.compile(r"revisions\[(\d+)\]")

#: A revision's texts that must say something when given, and those that may be empty (a span edit's ``new``).
_TEXTS = ("reason", "credited", "note", "statement", "confidence", "superseded_by", "field")
_SPANS = ("old", "new")
_RECORD_LISTS = (("appearances", Appearance), ("facts", Fact), ("evidence", Evidence))


def check_values(revision: Revision) -> Revision:
    """``revision`` when each of its values is one a library keeps (see :mod:`claimtrack.values`), else one clear error:
    a date that is not after today, texts of valid UTF-8 that are not blank, lists of the right records."""
    check_day(revision.date)
    check_text(revision.by, "by")
    for name in _TEXTS:
        check_optional_text(getattr(revision, name), name)
    for name in _SPANS:
        check_optional_text(getattr(revision, name), name, blank=True)
    check_texts(revision.evidence, "evidence")
    for name in ("tags", "depends_on"):
        for key in (f"set_{name}", f"add_{name}", f"remove_{name}"):
            check_texts(getattr(revision, key), key)
    for name, cls in _RECORD_LISTS:
        for key in (f"set_{name}", f"add_{name}", f"remove_{name}"):
            check_records(getattr(revision, key), cls, key, texts=not key.startswith("remove_"))
    return revision


def check_revision(current: Claim, revision: Revision) -> Revision:
    """``revision`` when it may follow the claim as it stands in its file, else one clear error."""
    refuse_untracked(current)
    created, last = current.created, current.updated
    if created is not None and revision.date < created:
        raise HistoryError(
            f"a revision dated {revision.date} is before the claim was created ({created})",
            file=current.path,
            key=current.id,
            hint=f"date it {created} or later",
        )
    # A change found later and dated when it was made (back-filled) takes effect at its date, and says when it
    # was written; one in date order needs no such note.
    recorded = dt.date.today() if last is not None and revision.date < last else None
    revision = attrs.evolve(revision, recorded=recorded)
    if names_change(revision):
        after = apply(current, revision)
        if all(getattr(after, name) == getattr(current, name) for name in STATE_FIELDS):
            raise HistoryError(
                "the revision would change nothing",
                file=current.path,
                key=current.id,
                hint="the claim already says that; to record a re-check, use `claimtrack review`",
            )
    return revision


class SealResult(dict[str, int]):
    """What :meth:`Library.seal` did: revisions sealed by claim id, and the claim files it could not read."""

    def __init__(self, counts: dict[str, int], *, problems: tuple[ClaimtrackError, ...] = ()) -> None:
        super().__init__(counts)
        self.problems = problems

    def __repr__(self) -> str:
        return f"SealResult({dict(self)!r}, problems={len(self.problems)})"


_CHANGE_FIELDS = tuple(
    name
    for name in ("statement", "confidence", "status", "superseded_by", "field", "old", "new")
    + tuple(f"{op}_{field}" for op in ("set", "add", "remove") for field in STATE_FIELDS)
    if name in attrs.fields_dict(Revision)
)


def names_change(revision: Revision) -> bool:
    """True when the revision says what to change (a review or a note-only editorial does not)."""
    return any(getattr(revision, name) not in (None, ()) for name in _CHANGE_FIELDS)


def revision_named(claim: Claim, key: str | None) -> str:
    """The words "revision N (kind, date)" for the revision an error's key points at (``c1: revisions[2].old``), else "its history"."""
    match = _REVISION_INDEX.search(key or "")
    if match is None or int(match.group(1)) >= len(claim.revisions):
        return "its history"
    revision = claim.revisions[int(match.group(1))]
    return f"revision {match.group(1)} ({revision.kind.value}, {revision.date})"


def refuse_unreplayable(current: Claim, *, what: str = "nothing was written") -> Claim:
    """The claim its revisions give; HistoryError naming the revision that does not apply (a hand edit of the past)."""
    try:
        return replay(current)
    except HistoryError as e:
        raise HistoryError(
            f"{revision_named(current, e.key)} no longer replays: {e.message}",
            file=current.path,
            key=current.id,
            hint=f"restore the file (e.g. `git checkout -- {current.path}`) or fix that revision "
            f"(`claimtrack audit` shows the problem); {what}",
        ) from e


def refuse_broken_seal(current: Claim) -> None:
    """Raise when a sealed revision does not verify: the past was edited, and a new revision must not seal over it."""
    broken = first_broken_seal(current.revisions)
    if broken is None:
        return
    revision = current.revisions[broken]
    copy = copied_from(current.revisions, broken)
    why = (
        f"repeats the seal of revision {copy} (a copy of it)"
        if copy is not None
        else "does not verify (it, or a sealed revision before it, was changed after it was sealed)"
    )
    raise HistoryError(
        f"the seal of revision {broken} ({revision.kind.value}, {revision.date}) {why}",
        file=current.path,
        key=current.id,
        hint=f"restore the file (e.g. `git checkout -- {current.path}`); a correction is a new revision, "
        "never an edit of an old one; nothing was written",
    )


def refuse_untracked(current: Claim) -> None:
    """Raise when the claim's fields differ from what its revisions give (an edit made without a revision),
    when its history no longer replays, or when a seal does not verify (an edit of the past)."""
    replayed = refuse_unreplayable(current)
    refuse_broken_seal(current)
    differ = [name for name in STATE_FIELDS if getattr(current, name) != getattr(replayed, name)]
    if not differ:
        return
    name = differ[0]
    others = f" (and {', '.join(differ[1:])})" if differ[1:] else ""
    raise HistoryError(
        f"the file's {name} field{others} differs from what its revisions give (an untracked edit)",
        file=current.path,
        key=current.id,
        hint=f"restore the file (e.g. `git checkout -- {current.path}`) and record the change as a revision "
        f"with {command_for(name, current.id)}; nothing was written",
    )
