"""Sweeping the temporary files that writers killed mid-write left behind."""

from __future__ import annotations

import contextlib
import os
import stat
import time
from pathlib import Path

from .errors import ClaimtrackError
from .fileio import STALE_AFTER, TEMP_PREFIX, cache_dir

__all__ = ["sweep_temp_files", "sweep_folder"]

_SWEPT = "swept"


def sweep_temp_files(root: Path, *, older_than: float = STALE_AFTER) -> int:
    """Delete temporary files that writers killed mid-write left behind; return how many.

    Looks in the library's root (references.bib, claimtrack.toml), claims/,
    report/ (with its data/ folder) and .claimtrack/ (the caches). Call it holding the library lock. Readers
    never take these files for data, so this is only tidying: it runs at most
    once every ``older_than`` seconds (a stamp file in .claimtrack/ says when
    it last ran), so a write to a large library does not pay for a folder
    listing every time.
    """
    now = time.time()
    folders = [root, root / "claims", root / "report", root / "report" / "data"]
    try:
        cache: Path | None = cache_dir(root)
    except ClaimtrackError:
        cache = None
    if cache is not None:
        if not _stamp_is_old(cache / _SWEPT, now, older_than):
            return 0
        folders.append(cache)
    return sum(sweep_folder(folder, older_than=older_than, now=now) for folder in folders)


def sweep_folder(folder: Path, *, older_than: float = STALE_AFTER, now: float | None = None) -> int:
    """Delete the temporary files older than ``older_than`` seconds directly in ``folder``; return how many.

    The report's folder is swept by each report written into it, so a report killed mid-write leaves no
    half-written copy there for long (nor for publishing with the folder). A folder that is a link is not
    looked into; a link found is removed, never followed.
    """
    now = time.time() if now is None else now
    removed = 0
    with contextlib.suppress(OSError):
        if stat.S_ISLNK(os.lstat(folder).st_mode):
            return 0
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.startswith(TEMP_PREFIX):
                continue
            with contextlib.suppress(OSError):
                st = entry.stat(follow_symlinks=False)
                if now - st.st_mtime > older_than and not stat.S_ISDIR(st.st_mode):
                    os.unlink(entry.path)  # a link is removed, never followed
                    removed += 1
    return removed


def _stamp_is_old(stamp: Path, now: float, older_than: float) -> bool:
    """Whether the sweep is due, touching its stamp if so (a link there is replaced, never followed)."""
    try:
        st = os.lstat(stamp)
        if stat.S_ISREG(st.st_mode) and now - st.st_mtime < older_than:
            return False
        if not stat.S_ISREG(st.st_mode):
            stamp.unlink()
    except OSError:
        pass
    with contextlib.suppress(OSError):
        fd = os.open(stamp, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            os.utime(fd)
        finally:
            os.close(fd)
    return True
