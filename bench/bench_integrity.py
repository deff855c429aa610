"""What the audit's content check costs: every claim file read and hashed against the load cache.

A normal load trusts a cached row while the file's size and time stamp are
unchanged; the audit also reads every file and compares its SHA-256, so a hand
edit that kept both is seen. Ratios are against a bare loop that reads every
claim file's bytes (nothing else), measured in the same run on the same files,
and against the warm load itself. Stages run in this process, one after
another, best of ``--repeat``.

    python bench/bench_integrity.py                   # 10,000 claims
    python bench/bench_integrity.py --sizes 100000    # the figure in docs/internals.md
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import bib_keys, build  # noqa: E402

import claimtrack  # noqa: E402
from claimtrack import contentcheck  # noqa: E402
from claimtrack.index import unchanged  # noqa: E402


def _bare_read(root: Path) -> None:
    folder = root / "claims"
    for name in os.listdir(folder):
        with open(folder / name, "rb") as handle:
            handle.read()


def _best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        work()
        times.append(time.perf_counter() - t)
    return min(times)


def measure(root: Path, size: int, repeat: int) -> str:
    """One library's figures, as a line."""
    claimtrack.open(root).claims  # noqa: B018 - fills the cache
    bare = _best(repeat, lambda: _bare_read(root))
    warm = _best(repeat, lambda: len(claimtrack.open(root).claims))
    lib = claimtrack.open(root)
    len(lib.claims)  # loaded: a lazy library's hashes are known once it is
    hashes = lib.claims.hashes or {}
    assert len(hashes) == size
    check = _best(repeat, lambda: unchanged(lib.store, hashes))
    # The helper process the audit starts beside its rules (from 5,000 files): here nothing runs beside it.
    helper = _best(repeat, lambda: contentcheck.Checking.unchanged(_helped(lib.store, hashes)))
    audit = _best(repeat, lambda: claimtrack.open(root).audit())
    return (
        f"{size:>7} claims: bare read {bare:.2f} s (baseline); warm load {warm:.2f} s ({warm / bare:.2f}x); "
        f"content check {check:.2f} s ({check / bare:.2f}x the bare read, {check / warm:.2f}x the warm load); "
        f"in a helper process {helper:.2f} s ({helper / check:.2f}x the check in process); "
        f"audit from open, check included {audit:.2f} s ({audit / bare:.2f}x)"
    )


def _helped(store: object, hashes: dict[str, str]) -> contentcheck.Checking:
    """The content check begun in its helper process, whatever the library's size."""
    from_ = contentcheck.HELPER_FROM
    contentcheck.HELPER_FROM = 0
    try:
        return contentcheck.begin(store, hashes)  # type: ignore[arg-type]
    finally:
        contentcheck.HELPER_FROM = from_


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    keys = bib_keys()
    work = Path(tempfile.mkdtemp(prefix="claimtrack-bench-"))
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            root = work / f"lib{size}"
            build(root, size, keys)
            print(measure(root, size, args.repeat), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
