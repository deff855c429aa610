"""``source sync``: references.bib kept in step with a file a reference manager exports again and again.

New upstream entries are appended; an entry whose fields changed upstream is
replaced where it stands (only that entry's text changes); an entry that is
gone upstream is reported, and removed only with ``prune`` and only when no
claim cites it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from ..bibformats import NewEntry
from ..bibsplice import appended, defined_strings
from ..errors import ClaimtrackError, SourceError
from ..fileio import atomic_write, cache_dir, library_lock, read_input
from ..folder import BIB_FILE
from ..sources import Sources
from ..sweeping import sweep_temp_files
from .adding import resolver_for, same_fields
from .exporting import cited_keys
from .inputs import gather, unique_within

__all__ = ["SyncResult", "sync_sources"]


@attrs.frozen
class SyncResult:
    """What a sync did, key by key; ``gone`` are entries not upstream (``kept`` of them because claims cite them)."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: int = 0
    gone: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, char in enumerate(text):
        if char == "\n":
            starts.append(i + 1)
    return starts


def _locate(text: str, starts: list[int], line: int, raw: str, key: str) -> tuple[int, int]:
    begin = starts[line - 1] if 0 < line <= len(starts) else 0
    at = text.find(raw.strip(), begin)
    if at < 0 or "\n" in text[begin:at]:
        raise SourceError(f"the entry's text could not be found in {BIB_FILE} at line {line}", key=key,
                          hint="run the sync again, or edit the entry by hand")  # fmt: skip
    return at, at + len(raw.strip())


def sync_sources(lib: Any, spec: str, *, keys: str | None = None, fmt: str | None = None, prune: bool = False,
                 abstract: bool = False, stdin: bytes | None = None) -> SyncResult:  # fmt: skip
    """Bring references.bib in step with the export ``spec`` (a file, an http(s) URL, or ``-``)."""
    root = Path(lib.root)
    got = gather([spec], root=root, keys=keys, fmt=fmt, abstract=abstract, stdin=stdin, resolver=resolver_for(lib))
    upstream = unique_within(got.entries)
    path = root / BIB_FILE
    cited = cited_keys(lib)
    with library_lock(root):
        try:
            data = read_input(path, error=SourceError)
        except FileNotFoundError:
            data = b""
        except OSError as e:
            raise SourceError(f"cannot read: {e.strerror or e}", file=path, hint="check the file's permissions") from e
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise SourceError("is not UTF-8", file=path, hint="save it as UTF-8 before syncing") from e
        try:
            folder: Path | None = cache_dir(root)
        except ClaimtrackError:
            folder = None
        current = Sources.load(path, cache=folder)
        newline = "\r\n" if "\r\n" in text[:4096] else "\n"
        added: list[NewEntry] = []
        changes: list[tuple[int, int, str]] = []
        updated: list[str] = []
        unchanged = 0
        starts = _line_starts(text)
        for entry in upstream:
            old = current.get(entry.key)
            if old is None:
                if (other := current.find(entry.key)) is not None:
                    raise SourceError(f"upstream has it, and {BIB_FILE} has {other.key!r} (line {other.line})", key=entry.key,
                                      hint="keys that differ only in letter case are one key to BibTeX; rename one")  # fmt: skip
                added.append(entry)
            elif same_fields(old.entry_type, old.fields.items(), entry.entry_type, entry.fields):
                unchanged += 1
            else:
                start, end = _locate(text, starts, old.line, old.raw, old.key)
                changes.append((start, end, entry.text.replace("\n", newline)))
                updated.append(entry.key)
        names = {entry.key for entry in upstream}
        gone = tuple(key for key in current if key not in names)
        kept = tuple(key for key in gone if key in cited)
        removed = tuple(key for key in gone if key not in cited) if prune else ()
        for key in removed:
            old = current[key]
            start, end = _locate(text, starts, old.line, old.raw, key)
            while end < len(text) and text[end] in " \t":
                end += 1
            for _ in range(2):  # the entry's line end and one blank line after it
                if text.startswith(newline, end):
                    end += len(newline)
            changes.append((start, end, ""))
        # Upstream @string macros the file does not define yet go in before the entries that may use them.
        strings = [s for s in got.strings if s.key.casefold() not in defined_strings(data)] if got.strings and added else []
        if changes or added:
            for start, end, new in sorted(changes, reverse=True):
                text = text[:start] + new + text[end:]
            out = text.encode("utf-8")
            if added:
                out = appended(out, [s.raw or "" for s in strings] + [e.text for e in added])
            sweep_temp_files(root)
            atomic_write(path, out)
    return SyncResult(tuple(e.key for e in added), tuple(updated), unchanged, gone, removed, kept)
