"""Report benchmark: ``claimtrack.report.write`` (HTML + Markdown) on synthetic libraries of 1k and 10k claims.

The libraries are :mod:`bench_scale`'s: realistic claim files, each citing three
keys, beside the large real bibliography (16k entries) when it is present.
Each stage runs in a fresh Python process, so no in-process state helps it:

* baseline: open the library, load claims and sources (untimed), then time a
  plain ``json.dumps`` of every claim's raw data (``claim.to_raw()``), the cost
  of merely serialising what the report shows;
* cold: ``write`` with no ``.claimtrack/`` folder (nothing cached: claim index,
  parsed bibliography and formatted references are all rebuilt);
* warm: ``write`` again, everything cached.

For cold and warm, "load" is opening the library and reading claims and
sources, "write" is ``claimtrack.report.write`` itself. Ratios are write time
over the baseline. CPU seconds count the report's worker processes too: on a
busy machine they say more than the wall time.

    python bench/bench_report.py                   # 1k and 10k
    python bench/bench_report.py --sizes 2000 --keep
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import bench_scale  # noqa: E402

STAGES = {
    "baseline": """
import json, time, claimtrack
lib = claimtrack.open(ROOT)
claims = [lib.claims[i] for i in sorted(lib.claims)]
len(lib.sources)
t = time.perf_counter()
json.dumps([c.to_raw() for c in claims], default=str, ensure_ascii=False)
seconds = cpu_seconds = time.perf_counter() - t
load = 0.0
""",
    "report": """
import resource, time, claimtrack, claimtrack.report
def cpu():
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
t = time.perf_counter()
lib = claimtrack.open(ROOT)
len(lib.claims); len(lib.sources)
load = time.perf_counter() - t
c = cpu()
t = time.perf_counter()
paths = claimtrack.report.write(lib, OUT, formats=["html", "md"])
seconds = time.perf_counter() - t
cpu_seconds = cpu() - c
""",
}


def run_stage(name: str, root: Path, out: Path) -> tuple[float, float, float, float]:
    """(seconds, load seconds, peak resident megabytes, CPU seconds with workers') of one stage in a fresh process."""
    head = f"ROOT = {str(root)!r}\nOUT = {str(out)!r}\n"
    seconds, load, peak, cpu = bench_scale.run_program(
        head + STAGES[name], "[seconds, load, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, cpu_seconds]"
    )
    return seconds, load, peak, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated numbers of claims")
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs per stage")
    parser.add_argument("--keep", action="store_true", help="keep the built libraries and reports")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    keys = bench_scale.bib_keys()
    work = Path(tempfile.mkdtemp(prefix="claimtrack-bench-report-"))
    bib = bench_scale.BIB.name if bench_scale.BIB.exists() else "synthetic"
    print(f"bibliography: {bib}; {os.cpu_count()} cores; best of {args.repeat}; libraries in {work}")
    try:
        for size in sizes:
            root = work / f"lib{size}"
            out = work / f"report{size}"
            t = time.perf_counter()
            bench_scale.build(root, size, keys)
            print(f"\n== {size:,} claims (built in {time.perf_counter() - t:.1f} s)")
            base = min(run_stage("baseline", root, out)[0] for _ in range(max(args.repeat, 3)))
            cold_runs = []
            for _ in range(args.repeat):
                bench_scale.clear_cache(root)
                cold_runs.append(run_stage("report", root, out))
            warm_runs = [run_stage("report", root, out) for _ in range(args.repeat)]
            cold = min(cold_runs)
            warm = min(warm_runs)
            sizes_mb = {p.name: p.stat().st_size / 1e6 for p in out.iterdir()}
            print(f"  baseline: json.dumps of every claim's raw data  {base:8.3f} s")
            # Targets of `claimtrack report` at 100,000 claims: under 2 minutes cold, under 20 s warm, under 1 GB.
            for label, (seconds, load, peak, cpu), limit in (("cold", cold, 120.0), ("warm", warm, 20.0)):
                marks = ("ok" if seconds + load < limit else f"OVER {limit:.0f} s") + (
                    ", memory ok" if peak < 1024 else ", memory OVER 1 GB"
                )
                print(
                    f"  {label}: write {seconds:7.2f} s ({seconds / base:7.0f}x baseline, {cpu:6.2f} s CPU with workers)"
                    f"   load {load:6.2f} s   peak {peak:6.0f} MB   ({marks})"
                )
            print(f"  warm/cold write: {warm[0] / cold[0]:.2f}")
            print("  output: " + ", ".join(f"{name} {mb:.1f} MB" for name, mb in sorted(sizes_mb.items())))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
