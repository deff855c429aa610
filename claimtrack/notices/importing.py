"""``claimtrack notices import``: read downloaded files, keep the notices about the library's sources.

Every file is read and checked before anything is written; the library's
notices.toml is then rewritten under the library lock, only when something
changed. A notice imported again is the same notice: unchanged, it keeps the
file and day it was first imported from; changed (a newer export, a notice
that became a retraction), it is replaced and stamped with this import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ..errors import ClaimtrackError, NoticeError, ValueTypeError
from ..fileio import atomic_write, library_lock
from ..sweeping import sweep_temp_files
from .collection import Notices
from .file import NOTICES_FILE, load, render, sort_key
from .matching import SourceIndex
from .reading import Read, read_file
from .records import Notice

if TYPE_CHECKING:
    from ..readable import ReadableLibrary

__all__ = ["ImportResult", "import_files", "merge"]


@attrs.frozen
class ImportResult:
    """What an import did: per file what was read, and how many notices were added, updated or already there."""

    files: tuple[Read, ...]
    added: tuple[Notice, ...]
    updated: tuple[Notice, ...]
    unchanged: int
    written: bool


def merge(existing: Iterable[Notice], new: Iterable[Notice]) -> tuple[list[Notice], list[Notice], list[Notice], int]:
    """All notices after importing ``new`` over ``existing``: (all, added, updated, unchanged count).

    Of two new notices with one identity, the later one wins (files are imported in the order given).
    """
    kept = {notice.identity: notice for notice in existing}
    incoming = {notice.identity: notice for notice in new}
    added, updated, unchanged = [], [], 0
    for identity, notice in incoming.items():
        old = kept.get(identity)
        if old is None:
            added.append(notice)
        elif old.same_content(notice):
            unchanged += 1
            continue
        else:
            updated.append(notice)
        kept[identity] = notice
    return list(kept.values()), added, updated, unchanged


def import_files(
    lib: ReadableLibrary, paths: Iterable[str | Path], *, by: str | None = None, date: dt.date | str | None = None
) -> ImportResult:
    """Import notices files into ``lib``'s notices.toml (see the module's description).

    Raises NoticeError, writing nothing, when any file cannot be read.
    """
    from ..revisionmeta import author, parse_date

    if isinstance(paths, (str, bytes)):  # one file's name is not a list of one-letter names
        raise ValueTypeError("must be a list of files, not a single string", key="files", hint=f"wrap it in a list: [{paths!r}]")
    paths = list(paths)
    if not paths:
        raise NoticeError("no file to import", key="FILE", hint="pass a Retraction Watch CSV, Crossref or OpenAlex file")
    try:
        day, who = parse_date(date).isoformat(), author(by)
    except ClaimtrackError as e:  # what notices raise, for callers that catch NoticeError
        raise NoticeError(e.message, file=e.file, key=e.key, hint=e.hint) from e
    index = SourceIndex(lib.sources)
    reads = tuple(read_file(path, index) for path in paths)
    new = [
        attrs.evolve(notice, file=Path(read.file).name, imported=day, imported_by=who)
        for read in reads
        for notice, _ in read.notices
    ]
    path = lib.root / NOTICES_FILE
    with library_lock(lib.root):
        raw = load(path)  # read under the lock: another import may have just written it
        before = Notices(raw, lib.sources)
        merged, added, updated, unchanged = merge(before, new)
        rekeyed = list(before) != sorted(raw, key=sort_key)  # an entry renamed in references.bib since
        written = bool(added or updated or rekeyed)
        if written:
            sweep_temp_files(lib.root)
            atomic_write(path, render(merged))
    return ImportResult(reads, tuple(added), tuple(updated), unchanged, written)
