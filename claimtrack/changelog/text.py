"""``claimtrack log``'s text and Markdown: each entry on a line, or grouped by day under headings."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence

from . import Entry

__all__ = ["log_lines", "log_markdown"]


def log_lines(entries: Sequence[Entry]) -> Iterator[str]:
    """One line an entry: ``2022-12-18  cdv2-context  correction: ~~4096~~ 8192 (corrected by X) — why``."""
    for e in entries:
        credit = f" (corrected by {e.credited})" if e.credited else ""
        why = f" — {e.reason}" if e.reason else ""
        yield f"{e.date.isoformat()}  {e.claim}  {e.kind}: {'; '.join(e.changes)}{credit}{why}"


def log_markdown(entries: Sequence[Entry], escape: Callable[[str], str]) -> Iterator[str]:
    """A heading a day and an item an entry; ``escape`` makes the library's text Markdown (the changes already are)."""
    for day, group in itertools.groupby(entries, key=lambda e: e.date):
        yield f"## {day.isoformat()}\n"
        for e in group:
            credit = f" (corrected by {escape(e.credited)})" if e.credited else ""
            why = f": {escape(e.reason)}" if e.reason else ""
            yield f"- **{escape(e.claim)}** ({e.kind}): {'; '.join(e.changes)}{credit}. By {escape(e.by)}{why}"
        yield ""
