"""A report cache file: one SQLite table, opened on first use, ignored when it cannot be used.

A cache can only make a report faster, never different or failed: a file
that cannot be opened, read or written is ignored, and a damaged one is
removed and started again once.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

__all__ = ["CacheFile"]


class CacheFile:
    """One SQLite file holding the table that ``schema`` creates; ``probe`` is a query that reads that table."""

    schema = ""
    probe = ""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._usable = True

    def connect(self) -> sqlite3.Connection | None:
        """The open connection, or None when the file cannot be used."""
        if self._db is not None or not self._usable:
            return self._db
        for attempt in (1, 2):
            try:
                db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
                try:
                    db.execute("PRAGMA journal_mode=WAL")
                    db.execute(self.schema)
                    db.execute(self.probe).fetchone()
                except sqlite3.Error:
                    db.close()
                    raise
                self._db = db
                return db
            except sqlite3.DatabaseError:
                if attempt == 1:
                    with contextlib.suppress(OSError):  # damaged: start again once
                        for suffix in ("", "-wal", "-shm"):
                            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                        continue
                break
            except (sqlite3.Error, OSError):
                break
        self._usable = False
        return None

    def write(self, work: Callable[[sqlite3.Cursor], object]) -> None:
        """Run ``work`` in one write transaction; a busy or read-only file leaves the cache as it was."""
        db = self.connect()
        if db is None:
            return
        try:
            with contextlib.closing(db.cursor()) as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    work(cursor)
                    cursor.execute("COMMIT")
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
        except sqlite3.Error:
            pass  # the next report does this work again

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
