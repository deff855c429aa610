"""Export benchmark: each format of ``claimtrack export`` against the library's cold load, in the same run.

The libraries are bench_scale's synthetic ones (three evidence items, three revisions, facts and dependencies a
claim, beside a large real bibliography when ../shared/data/bib is there). Each stage runs in a fresh process:

* the baseline, a cold load: ``claimtrack.open`` with no cache, every claim read;
* each export: the library opened (warm cache) and its claims read, then the export alone timed.

The target is each export <= 0.5x the cold load; the SQLite database then answers a full-text query, timed.

    python bench/bench_export.py                 # 10,000 claims
    python bench/bench_export.py --sizes 100000  # the figure in docs/export.md
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import bib_keys, build, clear_cache, run_program  # noqa: E402

FORMATS = ("claimreview", "csljson", "sqlite", "nanopub")
TARGET = 0.5

LOAD = """
import time, claimtrack
t = time.perf_counter()
lib = claimtrack.open(ROOT)
n = sum(1 for claim in lib.claims.values() if claim.id)
seconds = time.perf_counter() - t
"""

EXPORT = """
import time, claimtrack, claimtrack.export
lib = claimtrack.open(ROOT)
n = sum(1 for claim in lib.claims.values() if claim.id)
lib.sources, lib.notices
t = time.perf_counter()
claimtrack.export.write(lib, FORMAT, OUT)
seconds = time.perf_counter() - t
"""

QUERY = """
import sqlite3, time
db = sqlite3.connect(OUT)
t = time.perf_counter()
rows = db.execute("select c.id from claims_fts f join claims c on c.rowid = f.rowid where claims_fts match 'tokens' limit 100").fetchall()
seconds = time.perf_counter() - t
assert rows
"""


def stage(program: str, root: Path, out: Path, fmt: str = "") -> tuple[float, float]:
    head = f"ROOT = {str(root)!r}\nOUT = {str(out)!r}\nFORMAT = {fmt!r}\n"
    seconds, peak = run_program(head + program, "[seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]")
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    keys = bib_keys()
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "lib"
            build(root, size, keys)
            loads = []
            for _ in range(args.repeat):
                clear_cache(root)
                loads.append(stage(LOAD, root, root / "unused")[0])
            cold = min(loads)
            print(f"{size:,} claims: cold load {cold:.2f} s (baseline)")
            ok = True
            for fmt in FORMATS:
                out = Path(tmp) / f"out.{fmt}"
                seconds, peak = min(stage(EXPORT, root, out, fmt) for _ in range(args.repeat))
                ratio = seconds / cold
                ok &= ratio <= TARGET
                size_mb = out.stat().st_size / 1e6
                print(f"  {fmt:<12} {ratio:5.2f}x of the cold load ({seconds:.2f} s, {size_mb:.1f} MB, peak {peak:.0f} MB)"
                      f"  {'ok' if ratio <= TARGET else 'over'} (target <= {TARGET}x)")  # fmt: skip
            query = min(stage(QUERY, root, Path(tmp) / "out.sqlite")[0] for _ in range(3))
            print(f"  full-text query on the database: {query * 1000:.1f} ms")
            print("ok" if ok else "some exports are over their target")


if __name__ == "__main__":
    main()
