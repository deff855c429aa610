"""A claim's history: replay, reading as of a date, diffs, checks and rendering.

The revisions are the truth. Replaying them from the ``created`` one gives the
claim's fields; a file whose fields differ from its replay was edited by hand.
The seals (``digest_of``, ``seal``, ``first_broken_seal``) live in :mod:`claimtrack.seals`.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from .changes import brief as _brief
from .changes import criticmarkup_change, format_change, what_changed
from .errors import HistoryError
from .model import KINDS_KEEPING_CONTENT, KINDS_WITHOUT_REASON, Claim, Revision, RevisionKind, Stance, Status, folded, provides
from .seals import digest_of, first_broken_seal, seal

__all__ = [
    "apply",
    "replay",
    "as_of",
    "diff",
    "ClaimDiff",
    "digest_of",
    "seal",
    "first_broken_seal",
    "statement_versions",
    "StatementVersion",
    "render_markdown",
    "render_criticmarkup",
    "Verified",
    "verify",
    "STATE_FIELDS",
    "brief",
    "states_before",
    "chronological",
]

#: The claim fields a history determines (all but ``id``, ``revisions``, ``ignore``).
STATE_FIELDS = ("statement", "confidence", "status", "superseded_by", "tags", "depends_on", "appearances", "facts", "evidence")
_LIST_FIELDS = ("tags", "depends_on", "appearances", "facts", "evidence")
_SCALAR_FIELDS = ("confidence", "status", "superseded_by")
_VALUE_FIELDS = ("statement", *_SCALAR_FIELDS)
# Each list field with the revision's keys that set, remove from and add to it (named once, not on every revision).
_LIST_EDITS = tuple((name, f"set_{name}", f"remove_{name}", f"add_{name}") for name in _LIST_FIELDS)


def _fail(claim: Claim, index: int, key: str, message: str, hint: str) -> HistoryError:
    return HistoryError(message, file=claim.path, key=f"{claim.id}: revisions[{index}].{key}", hint=hint)


def _apply(claim: Claim, state: dict[str, Any], revision: Revision, index: int) -> None:
    """Apply one revision to a mutable state in place."""
    if revision.kind is RevisionKind.CREATED:
        state.clear()
        state.update(
            statement=revision.statement or "",
            confidence=revision.confidence or "",
            status=revision.status or Status.ACTIVE,
            superseded_by=revision.superseded_by,
            **{name: tuple(getattr(revision, whole) or ()) for name, whole, _, _ in _LIST_EDITS},
        )
        return
    for name in _VALUE_FIELDS:
        value = getattr(revision, name)
        if value is not None:
            state[name] = value
    if revision.old is not None or revision.new is not None:
        field = revision.field or "statement"
        if revision.old is None or revision.new is None:
            raise _fail(claim, index, "old", "a change needs both 'old' and 'new'", "write both, or set the whole value instead")
        if field == "statement":
            count = state["statement"].count(revision.old) if revision.old else 0
            if count != 1:
                where = "does not occur" if count == 0 else f"occurs {count} times"
                raise _fail(
                    claim,
                    index,
                    "old",
                    f"{revision.old!r} {where} in the statement {state['statement']!r}",
                    "give a longer 'old' that occurs exactly once, or replace the whole statement",
                )
            state["statement"] = state["statement"].replace(revision.old, revision.new, 1)
        elif field in _SCALAR_FIELDS:
            current = state[field]
            if str(current or "") != revision.old:
                raise _fail(
                    claim, index, "old", f"{field} was {str(current)!r}, not {revision.old!r}", f"set old to {str(current)!r}"
                )
            if field == "status" and revision.new not in Status.__members__.values():
                raise _fail(claim, index, "new", f"{revision.new!r} is not a status", "use active, superseded or retracted")
            state[field] = Status(revision.new) if field == "status" else revision.new
        else:
            raise _fail(
                claim,
                index,
                "field",
                f"{field!r} cannot be edited with old/new",
                "use statement, confidence, status or superseded_by",
            )
    for name, set_name, remove_name, add_name in _LIST_EDITS:
        whole = getattr(revision, set_name)
        if whole is not None:
            state[name] = tuple(whole)
        current = state[name]
        removed, added = getattr(revision, remove_name), getattr(revision, add_name)
        if not removed and not added:
            continue  # the list as it was: most revisions touch one list, or none
        state[name] = _edited(claim, index, name, current, removed, added)


def _edited(claim: Claim, index: int, name: str, current: tuple[Any, ...], removed: Any, added: Any) -> tuple[Any, ...]:
    """``current`` less ``removed`` (the first occurrence of each) plus ``added``, in time linear in all three.

    Entries are counted in a dict, not searched for in the list, so that a revision
    adding or removing 100,000 tags costs what reading them does.
    """
    present = Counter(current)
    taken: Counter[Any] = Counter()  # how many of each entry's first occurrences go
    for item in removed:
        if not present[item]:
            raise _fail(
                claim, index, f"remove_{name}", f"{_describe(item)} is not in {name}", "copy the entry exactly as it stands"
            )
        present[item] -= 1
        taken[item] += 1
    items = list(current)
    for item in added:
        if present[item]:
            raise _fail(claim, index, f"add_{name}", f"{_describe(item)} is already in {name}", "remove it from add_" + name)
        present[item] = 1
        items.append(item)
    if not taken:
        return tuple(items)
    kept = []
    for item in items:  # the current entries come first, so the ones skipped are theirs
        if taken[item]:
            taken[item] -= 1
        else:
            kept.append(item)
    return tuple(kept)


def _describe(item: object) -> str:
    if isinstance(item, str):
        return repr(item)
    return ", ".join(f"{k}={v!r}" for k, v in attrs.asdict(item).items() if v is not None)  # type: ignore[arg-type]


def chronological(revisions: Sequence[Revision]) -> list[tuple[int, Revision]]:
    """The revisions (with their places in the file) in the order they take effect: by date, in the order
    written within a day, the created one first.

    That is the file's order unless a revision was back-dated below a later-dated one (a correction found
    later): it takes effect at its own date, though it stays where it was written.
    """
    pairs = list(enumerate(revisions))
    dates = [r.date for r in revisions]
    if all(map(operator.le, dates, dates[1:])):
        return pairs
    return pairs[:1] + sorted(pairs[1:], key=lambda pair: pair[1].date)


def _state_of(claim: Claim, revisions: Iterable[tuple[int, Revision]]) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for index, revision in revisions:
        _apply(claim, state, revision, index)
    return state


def apply(claim: Claim, revision: Revision) -> Claim:
    """The claim after one more revision (the revision is appended to its history).

    A revision dated before the latest one takes effect at its date: the
    history is replayed with it there, and when it cannot apply at its date,
    or a later-dated revision no longer applies after it, the error names both.
    """
    latest = claim.updated
    if latest is None or revision.date >= latest:
        state = {name: getattr(claim, name) for name in STATE_FIELDS}
        _apply(claim, state, revision, len(claim.revisions))
        return attrs.evolve(claim, revisions=(*claim.revisions, revision), **state)
    after = attrs.evolve(claim, revisions=(*claim.revisions, revision))
    return attrs.evolve(after, **_backdated_state(after))


def _backdated_state(claim: Claim) -> dict[str, Any]:
    """The state of a claim whose last revision is back-dated, replayed in date order, with errors naming both
    the back-dated revision and the later-dated one it conflicts with."""
    new = len(claim.revisions) - 1
    revision = claim.revisions[new]
    order = chronological(claim.revisions)
    state: dict[str, Any] = {}
    for k, (index, applied) in enumerate(order):
        before = dict(state)
        try:
            _apply(claim, state, applied, index)
        except HistoryError as e:
            if index != new:
                raise HistoryError(
                    f"revisions[{index}], dated {applied.date}, no longer applies after revisions[{new}], "
                    f"dated {revision.date}: {e.message}",
                    file=claim.path,
                    key=claim.id,
                    hint=f"the change dated {revision.date} contradicts one made later; date it {applied.date} or later, "
                    "or record it as a new correction of the current wording",
                ) from e
            later = _made_later(claim, before, order[k + 1 :], revision, new)
            where = f" (revisions[{later[0]}] made that change on {later[1].date})" if later else ""
            raise HistoryError(
                f"revisions[{new}], dated {revision.date}, cannot apply at its date: {e.message}{where}",
                file=claim.path,
                key=claim.id,
                hint=(
                    f"the text it changes did not exist yet then: date it {later[1].date} or later"
                    if later
                    else "change what the claim said at that date (`claimtrack show ID --as-of DATE` shows it)"
                ),
            ) from e
    return state


def _made_later(
    claim: Claim, state: dict[str, Any], following: list[tuple[int, Revision]], revision: Revision, new: int
) -> tuple[int, Revision] | None:
    """The later-dated revision after which ``revision`` would apply: what made the text it changes."""
    state = dict(state)
    for index, applied in following:
        if index == new:
            continue
        try:
            _apply(claim, state, applied, index)
            _apply(claim, dict(state), revision, new)
        except HistoryError:
            continue
        return index, applied
    return None


def replay(claim: Claim) -> Claim:
    """The claim as its revisions make it; equal to ``claim`` unless it was edited by hand."""
    return attrs.evolve(claim, **_replayed(claim))


def _replayed(claim: Claim) -> dict[str, Any]:
    """The fields the claim's revisions give it (what :func:`replay` makes the claim of)."""
    if not claim.revisions or claim.revisions[0].kind is not RevisionKind.CREATED:
        raise HistoryError(
            "the history does not start with a created revision",
            file=claim.path,
            key=claim.id,
            hint='make revisions[0] kind = "created"',
        )
    return _state_of(claim, chronological(claim.revisions))


@provides("as_of")
def as_of(claim: Claim, date: dt.date) -> Claim | None:
    """The claim as it stood at the end of ``date``, or None if it did not exist yet.

    Its ``revisions`` are those made by then (a back-dated one at its own date), in the order written.
    """
    kept = [(i, r) for i, r in chronological(claim.revisions) if r.date <= date]
    if not kept or kept[0][0] != 0:
        return None
    made = tuple(r for _, r in sorted(kept, key=lambda pair: pair[0]))
    return attrs.evolve(claim, revisions=made, **_state_of(claim, kept))


@attrs.frozen
class ClaimDiff:
    """What changed in a claim between two dates."""

    claim_id: str
    start: dt.date
    end: dt.date
    before: Claim | None
    after: Claim | None
    revisions: tuple[Revision, ...]
    changes: tuple[tuple[str, Any, Any], ...]  # (field, value before, value after)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@provides("diff")
def diff(claim: Claim, start: dt.date, end: dt.date) -> ClaimDiff:
    """The fields that differ between the claim as of ``start`` and as of ``end``."""
    if end < start:
        start, end = end, start
    before, after = as_of(claim, start), as_of(claim, end)
    changes = []
    for name in STATE_FIELDS:
        old = getattr(before, name) if before else None
        new = getattr(after, name) if after else None
        if old != new:
            changes.append((name, old, new))
    between = tuple(r for r in claim.revisions if start < r.date <= end)
    return ClaimDiff(claim.id, start, end, before, after, between, tuple(changes))


@attrs.frozen
class Verified:
    """What a claim's own file says of it: the facts the audit's per-claim rules need.

    It depends on the claim file alone, so the load cache keeps it beside the
    claim, and an audit of a clean claim is a few lookups in it.
    """

    error: tuple[str, str | None, str | None] | None  # a replay failure: message, key, hint
    differ: tuple[str, ...]  # fields that differ from the replay (an untracked edit)
    broken_seal: int | None  # the first revision whose digest does not verify
    #: Every key the claim cites (evidence, appearances, revisions' evidence; ``claim:<id>`` included), once each.
    cited: tuple[str, ...] = ()
    unsealed: tuple[int, ...] = ()  # revisions without a digest
    last_sealed: int | None = None  # the last revision with a digest: unsealed ones above it are a gap in the seals
    unreasoned: tuple[int, ...] = ()  # revisions that need a reason and give none
    out_of_order: tuple[int, ...] = ()  # revisions dated before the latest one above them, not back-dated with `recorded`
    last_change: int | None = None  # the latest revision (by date; the later one on a tie) that changed content
    changed_on: dt.date | None = None  # that revision's date: what the claims resting on this one compare with
    last_date: dt.date | None = None  # the latest revision date
    first_date: dt.date | None = None  # the earliest revision date
    supports: int = 0  # distinct sources whose evidence supports the claim
    unanswered: tuple[int, ...] = ()  # contradicting evidence with no note
    #: Per fact, what two claims must agree on and its value, case-folded: ((subject, property), value).
    facts: tuple[tuple[tuple[str, str], str], ...] = ()

    @property
    def history_clean(self) -> bool:
        """True when no history rule (replay, seals, reasons, dates) has anything to say."""
        return not (
            self.error or self.differ or self.broken_seal is not None or self.unsealed or self.unreasoned or self.out_of_order
        )

    def replay_error(self, claim: Claim) -> HistoryError | None:
        if self.error is None:
            return None
        message, key, hint = self.error
        return HistoryError(message, file=claim.path, key=key, hint=hint)


def verify(claim: Claim) -> Verified:
    """Replay the claim, check its seals, and note what else its own revisions and evidence tell the audit."""
    cited: dict[str, None] = {}
    for item in claim.evidence:
        cited[item.source] = None
    for appearance in claim.appearances:
        cited[appearance.document] = None
    unsealed, unreasoned, out_of_order = [], [], []
    last_change: int | None = None
    last_sealed: int | None = None
    change_date = latest = earliest = None
    created = claim.revisions[0].date if claim.revisions else None
    for index, revision in enumerate(claim.revisions):
        kind, date = revision.kind, revision.date
        if revision.digest is None:
            unsealed.append(index)
        else:
            last_sealed = index
        if kind not in KINDS_WITHOUT_REASON and not (revision.reason or "").strip():
            unreasoned.append(index)
        if latest is None or date >= latest:
            latest = date
        elif revision.recorded is None or revision.recorded < latest or (created is not None and date < created):
            out_of_order.append(index)  # back-dated by hand, not as a write records it
        if earliest is None or date < earliest:
            earliest = date
        if kind not in KINDS_KEEPING_CONTENT and (change_date is None or date >= change_date):
            last_change, change_date = index, date
        for key in revision.evidence:
            cited[key] = None
        for records in (revision.set_evidence, revision.add_evidence, revision.remove_evidence):
            for item in records or ():
                cited[item.source] = None
        for shown in (revision.set_appearances, revision.add_appearances, revision.remove_appearances):
            for appearance in shown or ():
                cited[appearance.document] = None
    facts: dict[str, Any] = dict(
        cited=tuple(cited),
        unsealed=tuple(unsealed),
        last_sealed=last_sealed,
        unreasoned=tuple(unreasoned),
        out_of_order=tuple(out_of_order),
        last_change=last_change,
        changed_on=change_date,
        last_date=latest,
        first_date=earliest,
        supports=len({item.source for item in claim.evidence if item.stance is Stance.SUPPORTS}),
        unanswered=tuple(
            i for i, item in enumerate(claim.evidence) if item.stance is Stance.CONTRADICTS and not (item.note or "").strip()
        ),
        facts=tuple((fact.key, folded(fact.value)) for fact in claim.facts),
    )
    broken = first_broken_seal(claim.revisions)
    try:
        replayed = _replayed(claim)  # compared field by field: no replayed claim need be made
    except HistoryError as e:
        return Verified((e.message, e.key, e.hint), (), broken, **facts)
    differ = tuple(name for name in STATE_FIELDS if getattr(claim, name) != replayed[name])
    return Verified(None, differ, broken, **facts)


# -- versions and rendering -------------------------------------------------


def states_before(claim: Claim) -> list[Claim | None]:
    """The claim just before each of its revisions (None before the first), in one pass.

    Each state holds the fields the revisions before it give; its ``revisions`` are
    empty, since a copy of every prefix would make a long history's cost grow with
    its square. A history that cannot be replayed (the audit reports it) gives None
    from the broken revision on.
    """
    revisions = claim.revisions
    out: list[Claim | None] = [None] * len(revisions)
    if not revisions or revisions[0].kind is not RevisionKind.CREATED:
        return out
    state: dict[str, Any] = {}
    try:
        for index, revision in chronological(revisions):
            if index:
                out[index] = attrs.evolve(claim, revisions=(), **state)
            _apply(claim, state, revision, index)
    except (HistoryError, ValueError):  # a broken history is the audit's to report
        pass
    return out


@attrs.frozen
class StatementVersion:
    """One wording a claim has had, from the revision that introduced it."""

    statement: str
    index: int  # the revision that introduced this wording
    revision: Revision
    replaced_by: int | None  # the revision that replaced it, None while current


def statement_versions(claim: Claim) -> tuple[StatementVersion, ...]:
    """Every wording of the statement, oldest first; the last is the current one."""
    versions: list[StatementVersion] = []
    state: dict[str, Any] = {}
    for index, revision in chronological(claim.revisions):
        before = state.get("statement")
        _apply(claim, state, revision, index)
        if state["statement"] != before:
            if versions:
                versions[-1] = attrs.evolve(versions[-1], replaced_by=index)
            versions.append(StatementVersion(state["statement"], index, revision, None))
    return tuple(versions)


def brief(item: Any) -> str:
    """A record in a few words: ``brown2020 (supports, Table 2)``, ``GPT-3 / parameters = 175B``."""
    return _brief(item)


@provides("render_markdown")
def render_markdown(revision: Revision, before: Claim | None = None) -> str:
    """The change as Markdown, e.g. ``~~4096~~ 8192``; ``before`` shows a replaced statement whole.

    Each change is put into words by :mod:`claimtrack.changes`, the one place that does it.
    """
    return "; ".join(format_change(c) for c in what_changed(revision, before)) or revision.kind.value


@provides("render_criticmarkup")
def render_criticmarkup(revision: Revision, before: Claim | None = None) -> str:
    """The change as CriticMarkup, e.g. ``{~~4096~>8192~~}``."""
    if revision.kind is RevisionKind.CREATED:
        return revision.statement or ""
    parts = [criticmarkup_change(c) for c in what_changed(revision, before)]
    if revision.reason:
        parts.append(f"{{>>{revision.reason}<<}}")
    return " ".join(parts) or f"{{>>{revision.kind.value}<<}}"
