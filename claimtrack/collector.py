"""Building many lasting objects without the cyclic garbage collector getting in the way."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused", "collector_running"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block without the cyclic garbage collector, and leave what it made with the old objects.

    Re-enabled plainly, the collector's next young-generation pass would scan every record just made
    (about as long as unpickling them). Freezing and at once unfreezing moves every tracked object to
    the oldest generation without a scan; done only when nothing else in the process is frozen.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if collecting:
            gc.enable()


@contextlib.contextmanager
def collector_running() -> Iterator[None]:
    """Run the block with the cyclic garbage collector on (work whose garbage forms cycles), then put it back."""
    paused = not gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if paused:
            gc.disable()
