"""The report of a past day, and the report that marks what changed since one.

:class:`PastLibrary` is a library as it stood at the end of a day: each claim's :meth:`~claimtrack.Claim.as_of`
state, claims created later left out; everything else (sources, settings, notices) is today's.
:func:`changes_since` says, for a day (or a git ref, the day of its commit), which claims are new since then and
which statements changed (as a word diff), for the report's summary and its claims list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from markupsafe import Markup, escape

from ..changelog import since_date
from ..history import statement_versions
from ..model import to_date
from .changes import _TOKEN, Segment, _spaced, _word_diff

__all__ = ["PastLibrary", "Since", "changes_since", "diff_html"]


class PastLibrary:
    """``lib`` as it stood at the end of ``day``; any other attribute is the library's own."""

    def __init__(self, lib: Any, day: dt.date | str) -> None:
        self._lib = lib
        self.as_of = to_date(day)
        self.claims = {cid: then for cid, claim in lib.claims.items() if (then := claim.as_of(self.as_of)) is not None}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lib, name)

    def audit(self) -> list[Any]:
        """No findings: the audit checks today's files, not a past state of them."""
        return []


@attrs.frozen
class Since:
    """What changed in the library after ``day``."""

    day: dt.date
    new: tuple[str, ...]  # claims created after the day
    changed: dict[str, tuple[Segment, ...]]  # claim id -> its statement then and now as a word diff

    @property
    def new_ids(self) -> frozenset[str]:
        return frozenset(self.new)

    def mark(self, claim_id: str, statement: str, new: frozenset[str] | None = None) -> Markup:
        """The statement as the claims list shows it: new claims marked, changed ones as ~~old~~ new."""
        if claim_id in (new if new is not None else self.new):
            return Markup('<span class="since-new">new</span> ') + escape(statement)
        if claim_id in self.changed:
            return diff_html(self.changed[claim_id])
        return escape(statement)


def diff_html(segments: tuple[Segment, ...]) -> Markup:
    """Segments as HTML: ``<del>`` for the old words, ``<ins>`` for the new."""
    out = []
    for s in segments:
        out.append(f"<{s.kind}>{escape(s.text)}</{s.kind}>" if s.kind in ("del", "ins") else str(escape(s.text)))
    return Markup("".join(out))


def changes_since(lib: Any, since: dt.date | str) -> Since:
    """The claims new since ``since`` (a day or a git ref) and those whose statement changed since then."""
    day = since_date(lib, since)
    new, changed = [], {}
    loaded = lib.claims  # once: each read of lib.claims checks the files
    for cid in sorted(loaded):
        claim = loaded[cid]
        if claim.created is not None and claim.created > day:
            new.append(cid)
            continue
        if claim.updated is not None and claim.updated <= day:  # no revision after the day: nothing to replay
            continue
        if not any(r.date > day and (r.is_span_edit or r.statement is not None) for r in claim.revisions):
            continue  # revised since, but not its wording
        then = [v.statement for v in statement_versions(claim) if v.revision.date <= day]
        if then and then[-1] != claim.statement:
            changed[cid] = _diff(then[-1], claim.statement)
    return Since(day, tuple(new), changed)


def _diff(old: str, new: str) -> tuple[Segment, ...]:
    """The word diff of two wordings, the words they share at both ends set aside first (most edits are local)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    shorter = min(len(a), len(b))
    head = 0
    while head < shorter and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < shorter - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    gone, came = "".join(a[head : len(a) - tail]), "".join(b[head : len(b) - tail])
    if len(a) - tail - head <= 1 and len(b) - tail - head <= 1:  # a word for a word: nothing to match
        middle = [*_spaced("del", gone), *([Segment("text", " ")] if gone and came else []), *_spaced("ins", came)]
    else:
        middle = _word_diff(gone, came)
    ends = (Segment("text", "".join(a[:head])), *middle, Segment("text", "".join(a[len(a) - tail :])))
    return tuple(segment for segment in ends if segment.text)
