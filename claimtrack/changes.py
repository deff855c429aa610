"""What a revision changed, item by item: the one place a change is put into words.

:func:`what_changed` lists a revision's changes as :class:`Change` records:
the statement (a span edit or a whole new wording), each value
(``confidence``, ``status``, ``superseded_by``), and each list entry added or
removed. An entry removed and added again under the same name is one change
of what differs in it, never the same record shown on both sides:

* a fact, by subject and property: ``ChestX-ray8 images: ~~108,948~~ 112,120``;
* evidence, by source and locator: ``evidence chen2021codex note: ~~old~~ new``;
* an appearance, by document and locator: ``appearance paper.md, p. 3 text: ~~old~~ new``.

:func:`format_change` writes one change with the marks and escaping of the
format it goes into (Markdown in the terminal and the report, the corrections
section of a Markdown or LaTeX paper); :func:`criticmarkup_change` writes it as
CriticMarkup.

>>> [format_change(c) for c in what_changed(revision, before)]  # doctest: +SKIP
['ChestX-ray8 images: ~~108,948~~ 112,120']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

from .model import Appearance, Claim, Evidence, Fact, Revision, RevisionKind

__all__ = ["Change", "what_changed", "record_changes", "format_change", "criticmarkup_change", "brief"]

_SCALARS = ("confidence", "status", "superseded_by")
_LISTS = ("tags", "depends_on", "appearances", "facts", "evidence")


@attrs.frozen
class Change:
    """One thing a revision changed.

    ``old`` is None for something added, ``new`` None for something removed.
    ``label`` names what changed ("" for the statement, ``confidence``,
    ``ChestX-ray8 images``, ``evidence chen2021codex note``); ``field`` is the
    claim field it belongs to. ``span`` is True for a span edit of the
    statement (``old`` and ``new`` are the spans, not whole statements).
    """

    field: str
    old: str | None
    new: str | None
    label: str = ""
    span: bool = False

    @property
    def kind(self) -> str:
        """``added``, ``removed`` or ``changed``."""
        return "added" if self.old is None else "removed" if self.new is None else "changed"


def brief(item: Any) -> str:
    """A record in a few words: ``brown2020 (supports, Table 2)``, ``GPT-3 / parameters = 175B``."""
    if isinstance(item, str):
        return item
    if isinstance(item, Evidence):
        return f"{item.source} ({item.stance.value}{', ' + item.locator if item.locator else ''})"
    if isinstance(item, Fact):
        return f"{item.subject} / {item.property} = {item.value}"
    if isinstance(item, Appearance):
        return f"{item.document}{', ' + item.locator if item.locator else ''}"
    return str(item)


def _identity(item: Any) -> tuple[Any, ...] | None:
    """What names a list entry, so a removal and an addition of the same name pair up (None: plain strings)."""
    if isinstance(item, Fact):
        return ("fact", *item.key)
    if isinstance(item, Evidence):
        return ("evidence", item.source, item.locator)
    if isinstance(item, Appearance):
        return ("appearance", item.document, item.locator)
    return None


def _text(value: Any) -> str | None:
    """A value as text (a stance by its name), None kept."""
    return None if value is None else str(getattr(value, "value", value))


def _differences(old: Any, new: Any) -> Iterator[Change]:
    """What differs between two entries of the same name."""
    if isinstance(old, Fact):
        name = f"{new.subject} {new.property}"
        if (old.subject, old.property, old.value) != (new.subject, new.property, new.value):
            # the same fact, written with other capitals: say how it was written, not only its value
            spelled = (old.subject, old.property) != (new.subject, new.property)
            yield Change("facts", f"{old.subject} {old.property} = {old.value}" if spelled else old.value, new.value, name)
        if old.note != new.note:
            yield Change("facts", old.note, new.note, f"{name} note")
        return
    if isinstance(old, Evidence):
        name = f"evidence {new.source}" + (f" ({new.locator})" if new.locator else "")
        for attr in ("stance", "quote", "note"):
            before, after = getattr(old, attr), getattr(new, attr)
            if before != after:
                yield Change("evidence", _text(before), _text(after), f"{name} {attr}")
        return
    name = f"appearance {brief(new)}"
    for attr in ("text", "note"):
        before, after = getattr(old, attr), getattr(new, attr)
        if before != after:
            yield Change("appearances", before, after, f"{name} {attr}")


def record_changes(revision: Revision) -> Iterator[Change]:
    """The entries a revision removed from and added to the claim's lists, a re-added entry as what differs in it."""
    for name in _LISTS:
        yield from _list_changes(revision, name)


def _list_changes(revision: Revision, field: str) -> Iterator[Change]:
    removed: Sequence[Any] = getattr(revision, f"remove_{field}")
    added: Sequence[Any] = getattr(revision, f"add_{field}")
    if not removed and not added:
        return
    # the added entries by name, each name's in order, so pairing is linear in the revision's size
    waiting: dict[tuple[Any, ...], list[int]] = {}
    for index, item in enumerate(added):
        key = _identity(item)
        if key is not None:
            waiting.setdefault(key, []).append(index)
    taken: set[int] = set()
    for item in removed:
        key = _identity(item)
        twins = waiting.get(key) if key is not None else None
        if not twins:
            yield Change(field, brief(item), None, field)
            continue
        twin = twins.pop(0)
        taken.add(twin)
        found = list(_differences(item, added[twin]))
        yield from found or [Change(field, None, brief(item), f"{field} (unchanged)")]
    for index, item in enumerate(added):
        if index not in taken:
            yield Change(field, None, brief(item), field)


def what_changed(revision: Revision, before: Claim | None = None) -> list[Change]:
    """The revision's changes, in a stable order: statement, values, then lists.

    ``before`` is the claim just before the revision (it gives a replaced
    statement or value its old side); without it, a new wording or value is
    shown as set.
    """
    out: list[Change] = []
    created = revision.kind is RevisionKind.CREATED
    if created:
        out.append(Change("statement", None, revision.statement or ""))
    field = revision.field or "statement"
    if revision.old is not None and revision.new is not None:
        out.append(Change(field, revision.old, revision.new, "" if field == "statement" else field, field == "statement"))
    if revision.statement is not None and not created:
        out.append(Change("statement", before.statement if before else None, revision.statement))
    for name in _SCALARS:
        value = getattr(revision, name)
        if value is None or created or (field == name and revision.old is not None):
            continue
        old = getattr(before, name, None) if before is not None else None
        text = str(getattr(value, "value", value))
        old_text = None if old is None else str(getattr(old, "value", old))
        if old_text != text:
            out.append(Change(name, old_text or None, text, name))
    if not created:
        for name in _LISTS:
            whole = getattr(revision, f"set_{name}")
            if whole is not None:
                out.append(Change(name, None, ", ".join(brief(item) for item in whole) or "none", f"{name} set to"))
        out.extend(record_changes(revision))
    return out


def _plain(text: str) -> str:
    return text


def _struck(text: str) -> str:
    return f"~~{text}~~"


def format_change(change: Change, *, escape: Callable[[str], str] = _plain, strike: Callable[[str], str] = _struck) -> str:
    """One change with ``strike`` marking the old side and ``escape`` applied to every text from the library.

    The default is the Markdown the terminal shows: ``~~4096~~ 8192``,
    ``confidence: ~~conclusion~~ hypothesis``, ``+ tags: code``.
    """
    label = escape(change.label)
    if change.kind == "changed":
        body = f"{strike(escape(change.old or ''))} {escape(change.new or '')}"
        return f"{label}: {body}" if label else body
    sign, text = ("+", change.new) if change.kind == "added" else ("-", change.old)
    if change.field == "statement" and not change.label:
        return escape(text or "") if change.kind == "added" else strike(escape(text or ""))
    if change.field in _SCALARS:
        return f"{label}: {escape(text or '')}" if change.kind == "added" else f"{label}: {strike(escape(text or ''))}"
    return f"{sign} {label}: {escape(text or '')}"


def criticmarkup_change(change: Change) -> str:
    """One change as CriticMarkup: ``{~~4096~>8192~~}``, ``{++tags: code++}``, ``{--tags: old--}``."""
    label = f"{change.label}: " if change.label else ""
    if change.kind == "changed":
        return f"{label}{{~~{change.old}~>{change.new}~~}}"
    if change.kind == "added":
        return f"{{++{label}{change.new}++}}"
    return f"{{--{label}{change.old}--}}"
