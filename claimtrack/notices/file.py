"""``notices.toml``: the notices about a library's sources, kept in the library to be reviewed in a diff.

One ``[[notice]]`` table per notice, sorted by source key, then date; keys
always in the same order; dates as ``"YYYY-MM-DD"`` strings (or ``"YYYY-MM"``,
``"YYYY"`` when the notice gives no more). See docs/format.md.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tomli

from ..errors import ClaimtrackError, NoticeError
from ..fileio import read_input
from ..nesting import load_toml
from .records import ORIGINS, Notice, NoticeKind

__all__ = ["NOTICES_FILE", "KEYS", "load", "render", "sort_key"]

NOTICES_FILE = "notices.toml"

#: The keys of a ``[[notice]]`` table, in the order they are written; the first five are required.
KEYS = ("source", "kind", "origin", "record", "matched", "date", "notice_doi", "reason", "file", "imported", "imported_by")
_REQUIRED = KEYS[:5]

_HEADER = """\
# Retractions, corrections and expressions of concern of this library's sources.
# Written by `claimtrack notices import`; review changes here as in any other file (see docs/format.md).
"""


def sort_key(notice: Notice) -> tuple[str, str, str, str, str]:
    return (notice.source, notice.date or "", notice.kind.value, notice.origin, notice.record)


def _string(value: str) -> str:
    # A JSON string is a TOML basic string, except that TOML wants DEL escaped too.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def render(notices: Iterable[Notice]) -> str:
    """The file's text for ``notices`` (in any order)."""
    out = [_HEADER]
    for notice in sorted(notices, key=sort_key):
        out.append("\n[[notice]]\n")
        for name in KEYS:
            value = getattr(notice, name)
            if value is None:
                continue
            out.append(f"{name} = {_string(value.value if isinstance(value, NoticeKind) else value)}\n")
    return "".join(out)


def load(path: Path) -> tuple[Notice, ...]:
    """The notices in ``path`` (none when there is no file).

    Raises NoticeError naming the file, the line and the key of the first
    problem (and how many more there are): bad TOML, an unknown key, a
    missing or mistyped value, a kind or origin that does not exist.
    """
    try:
        text = read_input(path, shown=path.name, error=NoticeError).decode("utf-8")
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as e:
        reason = getattr(e, "strerror", None) or str(e)
        raise NoticeError(f"cannot be read: {reason}", file=path.name, hint="restore it from version control") from e
    try:
        raw = load_toml(text, file=path.name, error=NoticeError, hint="remove the nesting, or restore it from version control")
    except tomli.TOMLDecodeError as e:
        line = getattr(e, "lineno", None)
        message = str(e).split(" (at line")[0]
        raise NoticeError(
            f"is not valid TOML: {message}", file=path.name, line=line, hint="fix it, or restore it from version control"
        ) from e
    problems: list[ClaimtrackError] = []
    notices = []
    for name in raw:
        if name != "notice":
            problems.append(
                NoticeError(f"unknown key {name!r}", file=path.name, key=name, hint="the file holds only [[notice]] tables")
            )
    tables = raw.get("notice", [])
    if not isinstance(tables, list):
        tables = []
        problems.append(NoticeError("must be [[notice]] tables", file=path.name, key="notice", hint="write [[notice]]"))
    lines = _table_lines(text)
    for i, table in enumerate(tables):
        where = lines[i] if i < len(lines) else None
        notice = _notice(table, f"notice[{i}]", path.name, where, problems)
        if notice is not None:
            notices.append(notice)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise NoticeError(first.message + more, file=first.file, line=first.line, key=first.key, hint=first.hint)
    return tuple(notices)


def _table_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.strip().startswith("[[notice]]")]


def _notice(table: Any, key: str, file: str, line: int | None, problems: list[ClaimtrackError]) -> Notice | None:
    def problem(message: str, name: str | None = None, hint: str = "fix the value, or import the notice again") -> None:
        problems.append(NoticeError(message, file=file, line=line, key=f"{key}.{name}" if name else key, hint=hint))

    if not isinstance(table, dict):
        problem("is not a table")
        return None
    before = len(problems)
    for name in table:
        if name not in KEYS:
            problem(f"unknown key {name!r}", name, hint="keys are " + ", ".join(KEYS))
    for name in _REQUIRED:
        if name not in table:
            problem("is missing", name, hint="import the notice again, or write the key")
    table = {name: value.isoformat() if isinstance(value, dt.date) else value for name, value in table.items()}
    for name, value in table.items():
        if name in KEYS and not isinstance(value, str):
            problem(f"must be a string, not {type(value).__name__}", name)
    if len(problems) > before:
        return None
    if table["kind"] not in {k.value for k in NoticeKind}:
        problem(f"{table['kind']!r} is not a kind", "kind", hint="use one of " + ", ".join(k.value for k in NoticeKind))
        return None
    if table["origin"] not in ORIGINS:
        problem(f"{table['origin']!r} is not an origin", "origin", hint="use one of " + ", ".join(ORIGINS))
        return None
    try:
        return Notice(**table)
    except ValueError as e:
        problem(str(e), hint="write dates as YYYY-MM-DD")
        return None
