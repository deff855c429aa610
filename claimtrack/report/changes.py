"""What a revision changed, as lines of segments: plain text, a label, an old value struck through, a new value.

The HTML shows a segment list with ``<del>``/``<ins>``, the Markdown with
``~~old~~ new``. A statement edit is shown in context, a whole new statement
word by word.
"""

from __future__ import annotations

import difflib
import re
from typing import NamedTuple

from ..changes import record_changes
from ..history import brief
from ..model import Claim, Revision, RevisionKind

__all__ = ["Segment", "change_segments"]

_LIST_FIELDS = ("tags", "depends_on", "appearances", "facts", "evidence")
_SCALARS = ("confidence", "status", "superseded_by")
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


class Segment(NamedTuple):
    kind: str  # "text" | "label" | "del" | "ins"
    text: str


def _word_diff(old: str, new: str) -> list[Segment]:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Segment("text", "".join(a[i1:i2])))
            continue
        if op in ("replace", "delete"):
            out.extend(_spaced("del", "".join(a[i1:i2])))
        if op == "replace":
            out.append(Segment("text", " "))
        if op in ("replace", "insert"):
            out.extend(_spaced("ins", "".join(b[j1:j2])))
    return out


def _spaced(kind: str, text: str) -> list[Segment]:
    """A del/ins segment with its outer spaces moved outside (Markdown's ~~ needs that)."""
    core = text.strip()
    if not core:
        return [Segment("text", text)] if text else []
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return [s for s in (Segment("text", lead), Segment(kind, core), Segment("text", trail)) if s.text]


def change_segments(revision: Revision, before: Claim | None) -> tuple[tuple[Segment, ...], ...]:
    """The change a revision makes, as lines of segments (a statement edit is shown in context)."""
    lines: list[list[Segment]] = []
    if revision.kind is RevisionKind.CREATED:
        lines.append([Segment("text", revision.statement or "")])
    if revision.old is not None and revision.new is not None:
        field = revision.field or "statement"
        if field == "statement":
            statement = before.statement if before else None
            if statement and statement.count(revision.old) == 1:
                prefix, suffix = statement.split(revision.old, 1)
                lines.append(
                    [
                        Segment("text", prefix),
                        *_spaced("del", revision.old),
                        Segment("text", " "),
                        *_spaced("ins", revision.new),
                        Segment("text", suffix),
                    ]
                )
            else:
                lines.append([*_spaced("del", revision.old), Segment("text", " "), *_spaced("ins", revision.new)])
        else:
            lines.append(
                [
                    Segment("label", f"{field}: "),
                    *_spaced("del", revision.old),
                    Segment("text", " "),
                    *_spaced("ins", revision.new),
                ]
            )
    if revision.statement is not None and revision.kind is not RevisionKind.CREATED:
        if before is not None:
            lines.append(_word_diff(before.statement, revision.statement))
        else:
            lines.append([Segment("label", "statement: "), *_spaced("ins", revision.statement)])
    if revision.kind is not RevisionKind.CREATED:
        for name in _SCALARS:
            value = getattr(revision, name)
            if value is None:
                continue
            value = getattr(value, "value", value)
            old = getattr(before, name, None) if before is not None else None
            old = getattr(old, "value", old)
            if revision.old is not None and revision.field == name:
                continue  # already shown as old -> new
            line = [Segment("label", f"{name}: ")]
            if old and old != value:
                line += [*_spaced("del", str(old)), Segment("text", " ")]
            line += _spaced("ins", str(value))
            lines.append(line)
        for name in _LIST_FIELDS:
            whole = getattr(revision, f"set_{name}")
            if whole is not None:
                lines.append([Segment("label", f"{name}: "), Segment("ins", "; ".join(brief(i) for i in whole) or "(none)")])
    # the list entries as claimtrack.changes words them: a re-added entry shows what differs in it
    for change in record_changes(revision):
        if change.kind == "changed":
            old, new = change.old or "", change.new or ""
            lines.append(
                [Segment("label", f"{change.label}: "), *_spaced("del", old), Segment("text", " "), *_spaced("ins", new)]
            )
        elif change.kind == "removed":
            lines.append([Segment("label", f"− {change.label}: "), *_spaced("del", change.old or "")])
        else:
            lines.append([Segment("label", f"+ {change.label}: "), *_spaced("ins", change.new or "")])
    if revision.kind is RevisionKind.REVIEW and not lines:
        lines.append([Segment("text", "re-checked; nothing changed")])
    if not lines:
        lines.append([Segment("text", revision.kind.value)])
    return tuple(tuple(s for s in line if s.text) for line in lines)
