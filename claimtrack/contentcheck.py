"""The audit's content check of a large loaded library, done by a helper process while the rules run.

Reading and hashing every claim file (what the audit does to see a hand edit that kept a file's size and time
stamp) is three system calls and a SHA-256 a file: half a second at 100,000 claims, and threads do not
shorten it (the GIL is handed back and forth at every call). A helper process, started without the parent's
memory (``posix_spawn``, not a fork) and without site packages, reads the file names from its input, hashes
each file, and answers with one SHA-256 over all of them in order; the rules meanwhile run on the claims as
loaded. Where the helper cannot be started or fails, the check runs in this process (:func:`.index.unchanged`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Mapping

from .store import Store

__all__ = ["Checking", "begin", "HELPER_FROM"]

#: Below this many files the helper's start (about 20 ms) costs more than it saves.
HELPER_FROM = 5000

# The helper: file names on its input, one a line, then the combined digest, or "unreadable", on its output.
# It reads its whole input first, so the parent's write never waits for the hashing.
_HELPER = r"""
import hashlib, os, sys
folder = sys.argv[1]
names = sys.stdin.buffer.read().decode("utf-8").split("\n")[:-1]
flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
total = hashlib.sha256()
try:
    for name in names:
        fd = os.open(os.path.join(folder, name), flags)
        try:
            parts = [os.read(fd, 1 << 16)]
            while len(parts[-1]) == 1 << 16 and (part := os.read(fd, 1 << 16)):
                parts.append(part)
        finally:
            os.close(fd)
        total.update(hashlib.sha256(b"".join(parts)).hexdigest().encode())
except OSError:
    print("unreadable")
else:
    print(total.hexdigest())
"""


def _combined(hashes: Mapping[str, str]) -> str:
    """What the helper answers when every file has the SHA-256 it was loaded from."""
    return hashlib.sha256("".join(hashes.values()).encode()).hexdigest()


class Checking:
    """A content check under way; :meth:`unchanged` waits for its verdict."""

    def __init__(
        self, store: Store, hashes: Mapping[str, str], helper: subprocess.Popen[bytes] | None, then: Callable[[], None]
    ) -> None:
        self._store = store
        self._hashes = hashes
        self._helper = helper
        self._then = then

    def unchanged(self) -> bool:
        """Whether every file still has the SHA-256 it was loaded from (as :func:`.index.unchanged` says)."""
        from .index import unchanged

        helper, self._helper = self._helper, None
        verdict = None
        if helper is not None:
            out = _answer(helper)
            if helper.returncode == 0 and out.strip():
                verdict = out.strip().decode("ascii", errors="replace") == _combined(self._hashes)
        if verdict is None:
            verdict = unchanged(self._store, self._hashes)  # no helper, or it failed: the check in this process
        if verdict:
            self._then()
        return verdict

    def close(self) -> None:
        """Stop the helper, when its verdict is not wanted after all (the rules failed)."""
        helper, self._helper = self._helper, None
        if helper is not None:
            helper.kill()
            _answer(helper)


def _answer(helper: subprocess.Popen[bytes]) -> bytes:
    """What the helper wrote (its input was closed once written: ``communicate`` would flush it again)."""
    assert helper.stdout is not None
    try:
        with helper.stdout:
            return helper.stdout.read()
    except OSError:
        return b""
    finally:
        helper.wait()


def begin(store: Store, hashes: Mapping[str, str], *, then: Callable[[], None] = lambda: None) -> Checking:
    """Start checking the files named in ``hashes`` (name -> SHA-256), in a helper process when there are many;
    ``then`` is called when the verdict is that nothing changed."""
    # A frozen application's executable is the application itself, not a Python to give a script to.
    if len(hashes) < HELPER_FROM or not sys.executable or getattr(sys, "frozen", False):
        return Checking(store, hashes, None, then)
    names = "".join(f"{name}\n" for name in hashes).encode("utf-8")
    try:
        helper = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _HELPER, os.path.join(str(store.claims_dir), "")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return Checking(store, hashes, None, then)
    assert helper.stdin is not None
    try:
        helper.stdin.write(names)
        helper.stdin.close()
    except OSError:  # it died at once: the check is made here instead
        helper.kill()
        with contextlib.suppress(OSError):  # its pipes are closed here, not left to the collector
            helper.stdin.close()
        _answer(helper)
        return Checking(store, hashes, None, then)
    return Checking(store, hashes, helper, then)
