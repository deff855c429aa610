"""Giving memory freed in bulk back to the system while records replace their pickles.

A warm load holds each claim's pickle (about 3 KB, from the C allocator) until the record is made; the
record's small objects come from Python's own arenas, which never reuse the space the freed pickles
leave. Without handing those pages back, a whole-library read keeps both in memory: at 10,000 claims
170 MB resident instead of 100 MB. glibc's ``malloc_trim`` returns them; elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable

__all__ = ["release_freed"]


@functools.cache
def _trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError, TypeError):  # not glibc (macOS, musl, Windows)
        return None


def release_freed() -> None:
    """Return the C allocator's wholly free pages to the system (a few milliseconds at most)."""
    trim = _trim()
    if trim is not None:
        trim(0)
