"""Claim files' text written through tomlkit: a new file, and one more revision in an existing one.

tomlkit re-parses the file and changes only what a revision touches, so the
comments and layout a person wrote by hand survive; :func:`appended` edits
only the part above the history, so a write costs the same however long the
history is. New text keeps the file's own line ending.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

import tomlkit
from tomlkit.items import AoT, Array, InlineTable, Item, Table

from .codec import revision_to_raw
from .model import Claim, Revision

__all__ = ["render_claim", "update_document", "appended", "newline_of", "with_newline"]

_RECORD_LISTS = ("appearances", "facts", "evidence", "ignore")


_T = TypeVar("_T", Table, InlineTable)


def _filled(table: _T, value: dict[str, Any]) -> _T:
    table.update(value)
    return table


def _inline_records(values: list[dict[str, Any]]) -> Array:
    array = tomlkit.array()
    for value in values:
        array.append(_filled(tomlkit.inline_table(), value))
    return array.multiline(len(values) > 1)


def _revision_table(revision: Revision) -> Table:
    table = tomlkit.table()
    for key, value in revision_to_raw(revision).items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            table.add(key, _inline_records(value))
        else:
            table.add(key, value)
    return table


def _aot(values: list[dict[str, Any]]) -> AoT:
    aot = tomlkit.aot()
    for value in values:
        aot.append(_filled(tomlkit.table(), value))
    return aot


def render_claim(claim: Claim, *, with_history: bool = True) -> str:
    """A new claim file's text (with ``with_history=False``, only the claim's own fields above the history)."""
    doc = tomlkit.document()
    raw = claim.to_raw()
    for key, value in raw.items():
        if key in _RECORD_LISTS or key == "revisions":
            continue
        doc.add(key, value)
    for key in _RECORD_LISTS:
        if key in raw:
            doc.add(tomlkit.nl())
            doc.add(key, _aot(raw[key]))
    if with_history:
        doc.add(tomlkit.nl())
        doc.add("revisions", _history(claim.revisions))
    return tomlkit.dumps(doc)


def _history(revisions: tuple[Revision, ...]) -> AoT:
    """Revisions as [[revisions]] tables with a blank line between them."""
    aot = tomlkit.aot()
    for index, revision in enumerate(revisions):
        table = _revision_table(revision)
        if index < len(revisions) - 1:
            table.add(tomlkit.nl())
        aot.append(table)
    return aot


def _keep_trivia(old: Any, new: Item) -> Item:
    """Carry a hand-written trailing comment over to the new value."""
    if isinstance(old, Item) and not isinstance(old, (Table, AoT)):
        new.trivia.comment_ws = old.trivia.comment_ws
        new.trivia.comment = old.trivia.comment
        new.trivia.indent = old.trivia.indent
    return new


def _update_fields(doc: tomlkit.TOMLDocument, before: Claim, after: Claim) -> bool:
    """Bring the claim's own fields in ``doc`` up to date; True when a record list was added anew."""
    raw_after = after.to_raw()
    for name in ("statement", "confidence", "status", "superseded_by", "tags", "depends_on"):
        if getattr(before, name) == getattr(after, name) and (name in doc or name not in raw_after):
            continue
        if name not in raw_after:
            doc.pop(name, None)
        elif name in doc:
            doc[name] = _keep_trivia(doc.item(name), tomlkit.item(raw_after[name]))
        else:
            doc.add(name, raw_after[name])  # tomlkit puts a plain value ahead of the tables
    moved = False
    for name in ("appearances", "facts", "evidence"):
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        existing = doc.get(name)
        if isinstance(existing, AoT) and new[: len(old)] == old:
            # Appending keeps hand-written comments inside the existing tables.
            for record in raw_after[name][len(old) :]:
                if len(existing):
                    existing[-1].add(tomlkit.nl())
                existing.append(_filled(tomlkit.table(), record))
        elif name in raw_after:
            if name in doc:
                doc[name] = _aot(raw_after[name])
            else:
                doc.add(name, _aot(raw_after[name]))
                moved = True
        else:
            doc.pop(name, None)
    return moved


def update_document(doc: tomlkit.TOMLDocument, before: Claim, after: Claim, revision: Revision) -> None:
    revisions = doc.get("revisions")
    if revisions is not None and not isinstance(revisions, AoT):
        # revisions = [{...}, ...] written inline: tomlkit cannot append a table to it,
        # so lay the same history out as [[revisions]] tables, as a new file has it.
        doc.pop("revisions")
        revisions = _history(before.revisions)
        doc.add(tomlkit.nl())
        doc.add("revisions", revisions)
    moved = _update_fields(doc, before, after)
    if moved and revisions is not None:
        # Keep the history last, as a person would lay the file out.
        doc.pop("revisions")
        doc.add(tomlkit.nl())
        doc.add("revisions", revisions)
    if revisions is None:
        revisions = tomlkit.aot()
        doc.add("revisions", revisions)
    elif len(revisions):
        revisions[-1].add(tomlkit.nl())  # a blank line between revisions, as in a hand-written file
    revisions.append(_revision_table(revision))


_HISTORY_START = re.compile(r"^[ \t]*\[\[[ \t]*revisions[ \t]*\]\]", re.MULTILINE)
_NOT_HISTORY = re.compile(r"^[ \t]*\[(?!\[[ \t]*revisions[ \t]*\]\]|\[[ \t]*revisions\.|[ \t]*revisions\.)", re.MULTILINE)


def appended(text: str, before: Claim, after: Claim, revision: Revision) -> str | None:
    """The file with one more revision, editing only the part above the history.

    A claim file normally ends with its [[revisions]] tables. Then only the
    head (the claim's own fields) needs tomlkit, and the new revision is added
    as text, so a write costs the same however long the history is. None when
    the file is laid out otherwise; the caller then edits the whole document.
    """
    start = _HISTORY_START.search(text)
    if start is None or _NOT_HISTORY.search(text, start.start() + 1):
        return None
    # Comments and blank lines just above the history belong to it, not to the table before.
    cut = start.start()
    lines = text[:cut].splitlines(keepends=True)
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        cut -= len(lines.pop())
    head, tail = text[:cut], text[cut:]
    try:
        # The header found may be a line inside a multi-line string: then the head ends inside that
        # string and does not parse, and the whole document is edited instead.
        doc = tomlkit.parse(head)
    except Exception:  # noqa: BLE001 - any doubt about the cut: take the slow, sure path
        return None
    _update_fields(doc, before, after)
    new = tomlkit.aot()
    new.append(_revision_table(revision))
    entry = tomlkit.document()
    entry.add("revisions", new)
    nl = newline_of(text)
    head = with_newline(tomlkit.dumps(doc), nl).rstrip("\r\n")
    tail = tail.lstrip("\r\n").rstrip("\r\n")
    return (head + nl * 2 if head else "") + tail + nl * 2 + with_newline(tomlkit.dumps(entry), nl).lstrip("\r\n")


def newline_of(text: str) -> str:
    """The file's line ending, as its first line has it."""
    end = text.find("\n")
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def with_newline(text: str, newline: str) -> str:
    """``text`` with every line ending made ``newline`` (tomlkit writes new lines with LF)."""
    if newline == "\n":
        return text
    return text.replace("\r\n", "\n").replace("\n", newline)
