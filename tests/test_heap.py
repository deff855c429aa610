from __future__ import annotations

import platform

import pytest

from claimtrack import heap


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_memory_is_handed_back_with_glibc() -> None:
    assert heap._trim() is not None
    heap.release_freed()  # returns at once; what it saves is measured by bench/bench_scale.py
