"""Safe writes: atomic replacement of a file, and one lock per library.

A write goes to a temporary file in the same folder (a dot-file whose name
does not end in ``.toml`` or ``.bib``, so no reader ever takes it for data),
is flushed to disk, and is renamed over the target; a crash leaves either the
old file or the new one. Writers of one library take an exclusive ``flock``
on ``.claimtrack/lock`` around their read-modify-write, so two processes never
interleave and no revision is lost. Also here: the per-user key that signs the
derived caches, and whether worker processes may be forked.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import ClaimtrackError, LockTimeoutError

__all__ = [
    "atomic_write",
    "write_temp",
    "library_lock",
    "cache_dir",
    "sweep_temp_files",
    "TEMP_PREFIX",
    "signing_key",
    "fork_is_safe",
]

TEMP_PREFIX = ".ct-tmp-"
CACHE_DIR = ".claimtrack"
STALE_AFTER = 60.0  # seconds: a temporary file this old belongs to a writer that died
_SWEPT = "swept"


def cache_dir(root: Path) -> Path:
    """The library's derived-data folder, created on first use and git-ignored."""
    path = root / CACHE_DIR
    if not path.is_dir():
        try:
            path.mkdir(exist_ok=True)
            ignore = path / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# derived data, safe to delete\n*\n", encoding="utf-8")
        except OSError as e:
            # A file named .claimtrack, or a folder we may not write to: say so in one line.
            raise ClaimtrackError(
                f"cannot be used as the cache folder: {e.strerror or e}",
                file=path,
                hint="delete or move it (it holds only derived data), or check the folder's permissions",
            ) from e
    return path


def atomic_write(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` all at once, or not at all."""
    tmp = write_temp(path, data)
    try:
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _cannot_write(path, e) from e
    _fsync_dir(path.parent)


def write_temp(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``path`` and flush it to disk; return its path.

    ``os.replace(tmp, path)`` then puts it in place: several files can so be written first and
    put in place only when all were written. On failure nothing is left and ClaimtrackError is raised.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f"{TEMP_PREFIX}{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _cannot_write(path, e) from e
    return tmp


def _cannot_write(path: Path, e: OSError) -> ClaimtrackError:
    return ClaimtrackError(f"cannot write: {e.strerror or e}", file=path, hint="check the folder's permissions and free space")


def sweep_temp_files(folder: Path, cache: Path, *, older_than: float = STALE_AFTER) -> int:
    """Delete temporary files that writers killed mid-write left in ``folder``; return how many.

    Call it holding the library lock. Readers never take these files for data,
    so this is only tidying: it runs at most once every ``older_than`` seconds
    (a stamp file in ``cache`` says when it last ran), so a write to a large
    library does not pay for a folder listing every time.
    """
    stamp = cache / _SWEPT
    now = time.time()
    try:
        if now - stamp.stat().st_mtime < older_than:
            return 0
    except OSError:
        pass
    removed = 0
    with contextlib.suppress(OSError):
        stamp.touch()
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.startswith(TEMP_PREFIX):
                    continue
                with contextlib.suppress(OSError):
                    if now - entry.stat(follow_symlinks=False).st_mtime > older_than:
                        os.unlink(entry.path)
                        removed += 1
    return removed


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def library_lock(root: Path, timeout: float = 60.0) -> Iterator[None]:
    """Hold the library's write lock; wait up to ``timeout`` seconds for it."""
    lock_path = cache_dir(root) / "lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() > deadline:
                    raise LockTimeoutError(
                        f"another writer has held the library lock for over {timeout:.0f} s",
                        file=lock_path,
                        hint="wait for it to finish, or stop it and try again",
                    ) from e
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def signing_key() -> bytes | None:
    """A per-user secret, kept outside every library, that signs derived caches; None when it cannot be had
    (no writable home), which disables them."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "claimtrack"
    path = base / "cache-key"
    with contextlib.suppress(OSError):
        return path.read_bytes()[:64] or None
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        return path.read_bytes()[:64]
    except FileExistsError:
        with contextlib.suppress(OSError):
            return path.read_bytes()[:64] or None
    except OSError:
        pass
    return None


def fork_is_safe() -> bool:
    """True where worker processes may be forked: Linux, and a process with one thread (a fork copies only the
    calling thread, so a lock another thread holds would stay locked in the child)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1
