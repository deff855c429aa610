"""The claims' rendered sections, kept out of memory until the file that shows them is written.

At 100,000 claims a report's sections are about 700 MB of HTML and Markdown,
more than the loaded library itself. So each is put in a SQLite table as soon
as it is rendered (the report's section cache, see :mod:`.cache`, else a
temporary file) and read back a batch at a time, in the claims' order, by each
file that shows them. A row that is missing when it is read back, or whose key
is not the one this report computed (another report replaced it meanwhile, or
storing it failed), is rendered again there and then: what is shown is always
this report's.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from .cache import SectionCache

__all__ = ["SectionList", "SectionStore", "MemoryStore", "temporary_store"]

#: Rows read back in one query.
BATCH = 256

_SIDES = ("html", "md")


class SectionStore(Protocol):
    """Where sections wait: ``(id, key, html, markdown)`` rows in, one side of them out."""

    def put(self, rows: list[tuple[str, str, str, str]]) -> None: ...

    def side(self, ids: list[str], side: int) -> dict[str, tuple[str, str]]: ...

    def close(self) -> None: ...


class MemoryStore:
    """Sections in a dict: for when no file can hold them."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, str, str]] = {}

    def put(self, rows: list[tuple[str, str, str, str]]) -> None:
        for claim_id, key, html, md in rows:
            self.rows[claim_id] = (key, html, md)

    def side(self, ids: list[str], side: int) -> dict[str, tuple[str, str]]:
        return {i: (row[0], row[1 + side]) for i in ids if (row := self.rows.get(i)) is not None}

    def close(self) -> None:
        self.rows.clear()


class _TemporaryStore(SectionCache):
    """A section cache in a folder of its own, removed when closed."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder / "sections.sqlite")
        self.folder = folder

    def close(self) -> None:
        super().close()
        shutil.rmtree(self.folder, ignore_errors=True)


def temporary_store() -> SectionStore:
    """A store for one report's sections in a temporary file, else in memory."""
    try:
        store = _TemporaryStore(Path(tempfile.mkdtemp(prefix="claimtrack-sections-")))
    except OSError:
        return MemoryStore()
    if store.connect() is None:
        store.close()
        return MemoryStore()
    with contextlib.suppress(sqlite3.Error):
        store.connect().execute("PRAGMA synchronous=OFF")  # type: ignore[union-attr]
    return store


class SectionList:
    """The claims' (HTML, Markdown) sections in the claims' order, read from ``store`` as they are shown.

    ``ids`` and ``keys``: each claim's id and the key its row must have;
    ``redo(index)``: the claim's sections rendered again, for a row that is not
    there as it should be; ``mark(index, side, text)``: what a side shows, from
    what was rendered (the notices' marks, see :mod:`.notices`).
    """

    def __init__(
        self,
        ids: list[str],
        keys: list[str],
        store: SectionStore,
        redo: Callable[[int], tuple[str, str]],
        mark: Callable[[int, int, str], str] | None = None,
    ) -> None:
        self.ids = ids
        self.keys = keys
        self.store = store
        self.redo = redo
        self.mark = mark

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return zip(self.side(0), self.side(1), strict=True)

    def side(self, side: int, start: int = 0, stop: int | None = None) -> Iterator[str]:
        """The HTML (``side`` 0) or Markdown (1) of the sections ``start`` to ``stop``, in order."""
        stop = len(self.ids) if stop is None else min(stop, len(self.ids))
        for first in range(start, stop, BATCH):
            last = min(first + BATCH, stop)
            rows = self.store.side(self.ids[first:last], side)
            for index in range(first, last):
                row = rows.get(self.ids[index])
                text = row[1] if row is not None and row[0] == self.keys[index] else self.redo(index)[side]
                yield text if self.mark is None else self.mark(index, side, text)

    def close(self) -> None:
        self.store.close()
