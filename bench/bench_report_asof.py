"""``report --as-of`` and ``--since`` against the plain report, on a synthetic library (bench_scale's claims).

Each variant renders HTML and Markdown in this process after one untimed render (caches warm); the ratio is its
time over the plain report's, measured in the same run. Target: <= 2x at 10,000 claims.

    python bench/bench_report_asof.py --size 10000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_scale  # noqa: E402

import claimtrack  # noqa: E402
import claimtrack.report as report  # noqa: E402


def timed(lib: claimtrack.Library, out: Path, **options: str) -> float:
    start = time.perf_counter()
    report.write(lib, out, formats=["html", "md"], **options)  # type: ignore[arg-type]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "lib"
        bench_scale.build(root, args.size, bench_scale.bib_keys())
        lib = claimtrack.open(root)
        timed(lib, Path(tmp) / "warm")
        plain = timed(lib, Path(tmp) / "plain")
        variants = {"--as-of 2022-12-20": {"as_of": "2022-12-20"}, "--since 2022-12-20": {"since": "2022-12-20"}}
        print(f"{args.size} claims: plain report {plain:.2f} s")
        for name, options in variants.items():
            took = timed(lib, Path(tmp) / name.split()[0].strip("-"), **options)
            print(f"  {name}: {took:.2f} s, {took / plain:.2f}x the plain report")


if __name__ == "__main__":
    main()
