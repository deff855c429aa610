"""git's conflict markers in a text: where they are, and the two sides they hold."""

from __future__ import annotations

import re

__all__ = ["conflict_regions", "has_conflict", "sides"]

_START = re.compile(r"^<{7}(?: |$)", re.MULTILINE)


def has_conflict(text: str) -> bool:
    """True when a line starts a conflict (``<<<<<<<``)."""
    return _START.search(text) is not None


def _kind(line: str) -> str | None:
    line = line.rstrip("\r\n")
    if line == "=" * 7:
        return "middle"
    for mark, kind in (("<" * 7, "start"), ("|" * 7, "base"), (">" * 7, "end")):
        if line.startswith(mark) and (len(line) == 7 or line[7] == " "):
            return kind
    return None


def conflict_regions(text: str) -> list[tuple[int, int]]:
    """The (first, last) line numbers of each conflict, from ``<<<<<<<`` to ``>>>>>>>``; an unclosed one runs to the end."""
    regions: list[tuple[int, int]] = []
    start: int | None = None
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        kind = _kind(line)
        if kind == "start" and start is None:
            start = number
        elif kind == "end" and start is not None:
            regions.append((start, number))
            start = None
    if start is not None:
        regions.append((start, len(lines)))
    return regions


def sides(text: str) -> tuple[str, str] | None:
    """The text as each side had it (``ours``, ``theirs``), or None when the markers do not pair up.

    Both the ``merge`` and the ``diff3``/``zdiff3`` conflict styles are read; the
    lines outside the markers belong to both sides.
    """
    ours: list[str] = []
    theirs: list[str] = []
    state = "both"
    for line in text.splitlines(keepends=True):
        kind = _kind(line)
        if kind == "start" and state == "both":
            state = "ours"
        elif kind == "base" and state == "ours":
            state = "base"
        elif kind == "middle" and state in ("ours", "base"):
            state = "theirs"
        elif kind == "end" and state == "theirs":
            state = "both"
        elif kind is not None:
            return None
        elif state == "both":
            ours.append(line)
            theirs.append(line)
        elif state == "ours":
            ours.append(line)
        elif state == "theirs":
            theirs.append(line)
    if state != "both":
        return None
    return "".join(ours), "".join(theirs)
