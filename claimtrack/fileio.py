"""Safe reads and writes: input files, atomic replacement, one lock per library, the cache folder.

Every file claimtrack reads as input (a claim file, references.bib,
claimtrack.toml, a document) is read by :func:`read_input`, which refuses
anything that is not a regular file (a FIFO, a device such as /dev/zero, a
folder) at once, before reading a byte. A write goes to a temporary file in
the same folder (a dot-file whose name does not end in ``.toml`` or ``.bib``,
so no reader ever takes it for data), is flushed to disk, and is renamed over
the target; a crash leaves either the old file or the new one, and a target
that is a symbolic link is refused rather than replaced.

Writers of one library take an exclusive ``flock`` on the library's own
folder around their read-modify-write, so two processes never interleave and
no revision is lost. The lock is not a file in ``.claimtrack/``: that folder
is derived data, safe to delete at any moment (``git clean -fdX``), and a
lock file deleted while held would let a second writer in. Inside
``.claimtrack/`` no symbolic link is ever followed. Also here: the per-user
key that signs the derived caches, and whether worker processes may be forked.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hmac
import os
import secrets
import stat
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import ClaimtrackError, LockTimeoutError

__all__ = [
    "atomic_write",
    "write_temp",
    "read_input",
    "refuse_linked_folder",
    "read_text_input",
    "not_regular",
    "library_lock",
    "cache_dir",
    "cache_file",
    "TEMP_PREFIX",
    "signing_key",
    "sign",
    "read_signed",
    "write_signed",
    "fork_is_safe",
]

TEMP_PREFIX = ".ct-tmp-"
# Small pieces given to write_temp are gathered up to this many bytes a write.
_WRITE_BATCH = 1 << 20
# Messages at least this long are signed piece by piece rather than joined first.
_SIGN_JOINED = 1 << 20
CACHE_DIR = ".claimtrack"
STALE_AFTER = 60.0  # seconds: a temporary file this old belongs to a writer that died
_READ_CHUNK = 1 << 20


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_regular(mode: int, shown: str | Path, error: type[ClaimtrackError] = ClaimtrackError) -> ClaimtrackError:
    """The one-line refusal of an input that is not a regular file (``mode`` as ``os.stat`` gives it)."""
    what = _kind(mode)
    return error(
        f"is {what}, not a regular file" if what.startswith("a ") else f"is {what}",
        file=shown,
        hint="name a regular file (claimtrack reads no pipes, devices or folders)",
    )


def read_input(path: str | Path, *, shown: str | Path | None = None, error: type[ClaimtrackError] = ClaimtrackError) -> bytes:
    """The bytes of an input file, which must be a regular file (a symbolic link to one is followed).

    A FIFO, a device or a folder is refused at once with ``error``, naming
    ``shown`` (default ``path``): the file is opened without blocking and
    checked on the open descriptor, so a FIFO with no writer never hangs and
    /dev/zero is never read. Other failures (a missing file, no permission)
    raise the usual ``OSError`` for the caller to word.

    >>> read_input("/dev/zero")
    Traceback (most recent call last):
    claimtrack.errors.ClaimtrackError: /dev/zero: is a character device, not a regular file; name a regular file (claimtrack reads no pipes, devices or folders)
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise not_regular(st.st_mode, shown if shown is not None else path, error)
        # One byte more than the size, so that one call reads a file whole and sees its end; asking for a
        # megabyte instead costs the allocation of one (four times the read of a 2 KB claim file).
        want = st.st_size + 1
        first = os.read(fd, want)
        if len(first) < want:
            return first  # a short read of a regular file is its end: no second call to see it
        chunks = [first]  # the file grew, or its size says nothing (/proc): read on in large pieces
        while chunk := os.read(fd, max(want, _READ_CHUNK)):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text_input(path: Path, *, shown: str | Path | None = None) -> str | None:
    """A small UTF-8 text input such as ``.gitignore`` or ``.gitattributes``: its text (a BOM dropped), None when
    there is no such file; ClaimtrackError in one line when it is a folder, a FIFO, a device, not UTF-8, or unreadable.
    """
    name = shown if shown is not None else path
    try:
        data = read_input(path, shown=name)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise ClaimtrackError(f"cannot be read: {e.strerror or e}", file=name, hint="check the file's permissions") from e
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise ClaimtrackError(
            f"is not UTF-8 text (byte {e.start} is {data[e.start]:#04x})", file=name, hint="save it as UTF-8, or remove it"
        ) from e


def cache_dir(root: Path) -> Path:
    """The library's derived-data folder, created on first use and git-ignored.

    Refused (ClaimtrackError) when ``.claimtrack`` is a symbolic link, not a
    folder, or not this user's: a cache written there could land outside the
    library, or in another application's files.
    """
    path = root / CACHE_DIR
    st = _lstat(path)
    for _ in range(3):  # the folder may be deleted again at any moment (it is safe to delete)
        if st is not None:
            break
        try:
            path.mkdir()
        except FileExistsError:
            pass  # made by another process just now
        except OSError as e:
            raise _unusable(path, e.strerror or str(e)) from e
        else:
            with contextlib.suppress(OSError):
                fd = os.open(path / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write("# derived data, safe to delete\n*\n")
        st = _lstat(path)
    if st is None:
        raise _unusable(path, "it was deleted again while being made")
    if stat.S_ISLNK(st.st_mode):
        raise _unusable(path, "is a symbolic link, and a cache is never written through one")
    if not stat.S_ISDIR(st.st_mode):
        raise _unusable(path, "is not a folder")
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise _unusable(path, "belongs to another user")
    return path


def _lstat(path: Path) -> os.stat_result | None:
    """The entry itself (a link is not followed), or None when there is none."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise _unusable(path, e.strerror or str(e)) from e


def _unusable(path: Path, why: str) -> ClaimtrackError:
    return ClaimtrackError(
        f"cannot be used as the cache folder: {why}",
        file=path,
        hint="delete or move it (it holds only derived data), or check the folder's permissions",
    )


def cache_file(root: Path, name: str) -> Path:
    """``.claimtrack/<name>``, made safe to open: a symbolic link there (or at the SQLite journal files
    beside it) is removed, never followed; a folder there is refused with ClaimtrackError."""
    folder = cache_dir(root)
    path = folder / name
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = folder / f"{name}{suffix}"
        try:
            st = os.lstat(candidate)
        except FileNotFoundError:
            continue
        except OSError as e:
            raise _unusable(candidate, e.strerror or str(e)) from e
        if stat.S_ISLNK(st.st_mode):
            try:
                candidate.unlink()  # removes the link itself, not what it points at
            except OSError as e:
                raise _unusable(candidate, "is a symbolic link that cannot be removed") from e
        elif not stat.S_ISREG(st.st_mode):
            raise ClaimtrackError(
                f"is {_kind(st.st_mode)}, not a cache file", file=candidate, hint="delete it (it holds only derived data)"
            )
    return path


def refuse_linked_folder(folder: Path) -> None:
    """Refuse (ClaimtrackError) a folder that is a symbolic link: a file written in it would land wherever the link
    points, outside the library (a committed ``report -> ../other-project``). An absent folder passes."""
    try:
        linked = stat.S_ISLNK(os.lstat(folder).st_mode)
    except OSError:
        return  # absent (made later), or the write itself will say what is wrong
    if linked:
        raise ClaimtrackError(
            "is a symbolic link to a folder, and claimtrack does not write through links",
            file=folder,
            hint="replace the link with a real folder, or name the folder it points to",
        )


def _refuse_link(path: Path) -> None:
    """Writes replace regular files only: a symbolic link (its target may be anywhere) or a device is refused,
    and so is a file in a folder that is a link."""
    refuse_linked_folder(path.parent)
    try:
        st = os.lstat(path)
    except OSError:
        return  # absent (a new file), or the write itself will say what is wrong
    if stat.S_ISLNK(st.st_mode):
        raise ClaimtrackError(
            "is a symbolic link, and claimtrack does not write through links",
            file=path,
            hint="edit the file it points to in its own library, or replace the link with a copy of the file",
        )
    if not stat.S_ISREG(st.st_mode):
        raise ClaimtrackError(
            f"is {_kind(st.st_mode)}, not a regular file", file=path, hint="move it away so the file can be written"
        )


def atomic_write(path: Path, data: str | bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` all at once, or not at all; a symbolic link at ``path`` is refused.

    ``durable=False`` skips flushing to disk: for derived data that is checked when read back
    (a signed cache), which a crash can only cost the time to make again.
    """
    tmp = write_temp(path, data, durable=durable)
    try:
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _cannot_write(path, e) from e
    if durable:
        _fsync_dir(path.parent)


def write_temp(path: Path, data: str | bytes | Iterable[str], *, durable: bool = True) -> Path:
    """Write ``data`` to a new temporary file beside ``path`` and flush it to disk; return its path.

    ``data`` may be text or bytes, or pieces of text written as they come (a file too large to
    hold whole). ``os.replace(tmp, path)`` then puts it in place: several files can so be written
    first and put in place only when all were written. A symbolic link at ``path`` is refused; on
    failure (of the disk, or of whatever makes the pieces) nothing is left and the error is raised,
    an OSError as ClaimtrackError.
    """
    pieces: Iterable[str | bytes] = [data] if isinstance(data, (str, bytes)) else data
    _refuse_link(path)
    tmp = path.with_name(f"{TEMP_PREFIX}{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        try:
            batch: list[bytes] = []
            size = 0
            for piece in pieces:
                batch.append(piece.encode("utf-8") if isinstance(piece, str) else piece)
                size += len(batch[-1])
                if size >= _WRITE_BATCH:
                    _write_all(fd, b"".join(batch))
                    batch, size = [], 0
            _write_all(fd, b"".join(batch))
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(e, OSError):
            raise _cannot_write(path, e) from e
        raise
    return tmp


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]


def _cannot_write(path: Path, e: OSError) -> ClaimtrackError:
    return ClaimtrackError(f"cannot write: {e.strerror or e}", file=path, hint="check the folder's permissions and free space")


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def library_lock(root: Path, timeout: float = 60.0) -> Iterator[None]:
    """Hold the library's write lock; wait up to ``timeout`` seconds for it.

    The lock is an ``flock`` on the library's folder itself, which deleting
    ``.claimtrack/`` (or anything else inside the library) cannot break.
    """
    try:
        fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise ClaimtrackError(
            f"cannot take the library's write lock: {e.strerror or e}",
            file=root,
            hint="check that the library folder exists and that you may read it",
        ) from e
    try:
        deadline = time.monotonic() + timeout
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise ClaimtrackError(
                        f"cannot take the library's write lock: {e.strerror or e}",
                        file=root,
                        hint="the file system may not support locks; use a local folder",
                    ) from e
                if time.monotonic() > deadline:
                    raise LockTimeoutError(
                        f"another writer has held the library lock for over {timeout:.0f} s",
                        file=root,
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


def sign(key: bytes, *parts: str | bytes) -> bytes:
    """An HMAC-SHA256 over ``parts``, each length-prefixed, so no two different lists of parts sign alike."""
    pieces: list[bytes] = []
    size = 0
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        pieces += (len(data).to_bytes(8, "big"), data)
        size += len(data)
    if size < _SIGN_JOINED:
        # One call over the joined message: the same HMAC as updating piece by piece, without the pure-Python
        # HMAC object (a cold load signs every claim's cache row; a warm load checks every one).
        return hmac.digest(key, b"".join(pieces), "sha256")
    mac = hmac.new(key, digestmod="sha256")  # a large payload (a bibliography's cache) is not copied to be signed
    for piece in pieces:
        mac.update(piece)
    return mac.digest()


def read_signed(path: Path, *context: str) -> bytes | None:
    """The payload of a signed cache file written by :func:`write_signed` with the same ``context``, or None.

    None when there is no signing key, the file is absent, is a symbolic link (never followed), is not a
    regular file, or its signature does not match: a cache that came from elsewhere is never trusted.
    """
    key = signing_key()
    if key is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        mac = os.read(fd, 32)
        # The payload in one read of the size the file has (and a byte more, to see it did not grow), so a
        # large one is not read in pieces and joined.
        chunks = [os.read(fd, max(info.st_size - 32, 0) + 1)]
        while chunks[-1] and (chunk := os.read(fd, _READ_CHUNK)):
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    payload = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if len(mac) < 32 or not hmac.compare_digest(mac, sign(key, *context, payload)):
        return None
    return payload


def write_signed(path: Path, payload: bytes, *context: str) -> bool:
    """Write ``payload`` signed over ``context`` (say, the library and the file it was derived from);
    a symbolic link at ``path`` is replaced, never followed. False when it cannot be written."""
    key = signing_key()
    if key is None:
        return False
    with contextlib.suppress(OSError):
        if stat.S_ISLNK(os.lstat(path).st_mode):
            path.unlink()
    try:
        atomic_write(path, sign(key, *context, payload) + payload, durable=False)  # checked when read back
    except ClaimtrackError:
        return False
    return True


def signing_key() -> bytes | None:
    """A per-user secret, kept outside every library, that signs derived caches; None when it cannot be had
    (no writable home, or a key where a clone could have put it: see :mod:`claimtrack.cachekey`), which disables them."""
    from .cachekey import user_key

    return user_key()


def fork_is_safe() -> bool:
    """True where worker processes may be forked: Linux, and a process with one thread (a fork copies only the
    calling thread, so a lock another thread holds would stay locked in the child)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1
