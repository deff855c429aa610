"""The per-user key that signs derived caches, and where it may be trusted.

A cache in ``.claimtrack/`` can come with a clone; its signature is what tells it was made here. So the key must
be where no clone can have put it: outside every claims library and the git work tree of one, a regular file of
the user's, private. ``XDG_CACHE_HOME`` set to a folder of the clone (as CI jobs do, to keep it between runs) would
otherwise let a repository ship its own key beside a doctored cache.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import stat
from pathlib import Path

__all__ = ["user_key"]


def user_key() -> bytes | None:
    """A per-user secret, kept outside every library, that signs derived caches; None when it cannot be had
    (no writable home), which disables them.

    A key is trusted only where no clone can have put it: not inside a claims library (``XDG_CACHE_HOME`` set to
    a folder of the clone, as CI jobs do to keep it), a regular file of this user's, and private (mode 0600: git
    checks files out readable by all, so a key committed to a repository is never taken). Otherwise caches are
    not used, and the key is never made there.
    """
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "claimtrack"
    path = base / "cache-key"
    if _inside_library(str(base)):
        return None
    with contextlib.suppress(OSError):
        return _private_key(path)
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        return _private_key(path)
    except FileExistsError:
        with contextlib.suppress(OSError):
            return _private_key(path)
    except OSError:
        pass
    return None


def _private_key(path: Path) -> bytes | None:
    """The key in ``path`` when it is a regular file (not a link) of this user's that no one else may read;
    None for one that is not; OSError when it cannot be opened."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o077:
            return None
        if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
            return None
        return os.read(fd, 64) or None
    finally:
        os.close(fd)


@functools.lru_cache(maxsize=8)
def _inside_library(name: str) -> bool:
    """Whether the folder ``name`` is in a claims library (a folder holding claims/ and claimtrack.toml) or in the
    git work tree of one (a folder holding .git and such a library). Asked once a process for a folder: each
    command signs and checks several caches."""
    try:
        folder = Path(name).resolve()
    except (OSError, RuntimeError):
        return True  # a place that cannot be resolved is no place for a key
    for above in (folder, *folder.parents):
        if _holds_library(above):
            return True
        if os.path.lexists(above / ".git"):
            with contextlib.suppress(OSError), os.scandir(above) as entries:
                if any(entry.is_dir(follow_symlinks=False) and _holds_library(Path(entry.path)) for entry in entries):
                    return True
    return False


def _holds_library(folder: Path) -> bool:
    return (folder / "claims").is_dir() and (folder / "claimtrack.toml").is_file()
