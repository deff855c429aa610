"""Benchmark of `claimtrack check`: a 200-page manuscript (about 500 KB) against a 10,000-claim library, warm.

Run: python bench/bench_check.py [--claims N] [--kilobytes K] [--repeat R]

The library is the scale benchmark's (bench_scale.build: each claim with
three sources, a span correction and a fact). The manuscript cites claims in
pandoc syntax: most sentences state the current wording, some the superseded
one, some another value for the fact, some cite an id that does not exist;
filler sentences and ordinary citations sit between them. The load cache is
built first, so every timed run is warm, as in an editor's save hook.

Printed, each the best of R runs in a fresh process:

* baseline: reading the manuscript and parsing it with markdown-it-py (the
  least any Markdown-aware check costs), plus the warm load of the library
  alone (the least any check against it costs), both measured in this run;
* check: `check_manuscripts` (which reads only the cited claims and what
  they rest on through the load cache), in-process seconds, and its ratio to
  the baseline, and its CPU seconds;
* the `claimtrack check` command's wall and CPU time, interpreter start
  included (target: under 3 s; on a shared machine the CPU time is what an
  idle core would take);
* how many of the planted problems were found (all must be).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_scale import bib_keys, build  # noqa: E402

import claimtrack  # noqa: E402

FILLER = [
    "This section reviews what is known and what is guessed.",
    "The comparison below follows the same protocol for every model.",
    "We return to this question at the end of the paper.",
    "Results are averaged over three runs with different seeds.",
    "Table 3 lists the settings used for each evaluation.",
]


def write_manuscript(lib: claimtrack.Library, path: Path, kilobytes: int, rng: random.Random) -> dict[str, int]:
    """Write the manuscript; return how many problems of each kind were planted."""
    claims = list(lib.claims.values())
    planted = {"states-superseded": 0, "value-mismatch": 0, "unknown-claim": 0}
    out: list[str] = ["---\ntitle: A long survey\n---\n"]
    size = 0
    section = 0
    while size < kilobytes * 1024:
        if not section % 20:
            out.append(f"\n# Section {section // 20 + 1}\n")
        section += 1
        sentences = []
        for _ in range(6):
            roll = rng.random()
            claim = rng.choice(claims)
            if roll < 0.25:
                sentences.append(rng.choice(FILLER) + f" [@{rng.choice(lib.claims[claim.id].evidence).source}]")
            elif roll < 0.85:
                sentences.append(f"{claim.statement[:-1]} [@claim:{claim.id}].")
            elif roll < 0.92:
                first = claim.revisions[0].statement or claim.statement
                sentences.append(f"{first[:-1]} [@claim:{claim.id}].")
                planted["states-superseded"] += 1
            elif roll < 0.97:
                n = claim.id.rsplit("-", 1)[1].lstrip("0") or "0"
                sentences.append(f"Model {n} reads up to 999 tokens of context window at once [@claim:{claim.id}].")
                planted["value-mismatch"] += 1
            else:
                sentences.append(f"As shown before [@claim:{claim.id}x].")
                planted["unknown-claim"] += 1
        paragraph = "\n".join(sentences) + "\n"
        out.append("\n" + paragraph)
        size += len(paragraph) + 1
    path.write_text("".join(out), encoding="utf-8")
    return planted


_CHECK = """
import json, sys, time
t0 = time.perf_counter()
import claimtrack
from claimtrack.manuscripts import check_manuscripts
t1 = time.perf_counter()
lib = claimtrack.open(ROOT)
n = len(lib.claims)
t2 = time.perf_counter()
c2 = time.process_time()
result = check_manuscripts(lib, [PAPER])
t3 = time.perf_counter()
c3 = time.process_time()
counts = {}
for f in result.findings:
    counts[f.rule] = counts.get(f.rule, 0) + 1
print(json.dumps({"import": t1 - t0, "open": t2 - t1, "check": t3 - t2, "check_cpu": c3 - c2, "counts": counts,
                  "citations": result.citations}))
"""

_BASELINE = """
import json, time
t0 = time.perf_counter()
import claimtrack
from markdown_it import MarkdownIt
t1 = time.perf_counter()
text = open(PAPER, encoding="utf-8").read()
MarkdownIt("commonmark").parse(text)
t2 = time.perf_counter()
lib = claimtrack.open(ROOT)
n = len(lib.claims)
t3 = time.perf_counter()
print(json.dumps({"parse": t2 - t1, "load": t3 - t2}))
"""


def run(program: str, root: Path, paper: Path) -> dict:
    head = f"ROOT = {str(root)!r}\nPAPER = {str(paper)!r}\n"
    done = subprocess.run([sys.executable, "-c", head + program], capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"stage failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cli_seconds(root: Path, paper: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of the command, and its exit status."""
    command = [sys.executable, "-m", "claimtrack", "--root", str(root), "check", str(paper)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=10000)
    parser.add_argument("--kilobytes", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="claimtrack-bench-check-"))
    try:
        root = work / "lib"
        t = time.perf_counter()
        build(root, args.claims, bib_keys())
        lib = claimtrack.open(root)
        len(lib.claims)  # builds the load cache: every run below is warm
        paper = work / "paper.md"
        planted = write_manuscript(lib, paper, args.kilobytes, random.Random(12))
        lines = paper.read_text(encoding="utf-8").count("\n")
        print(f"{args.claims:,} claims, manuscript {paper.stat().st_size / 1024:.0f} KB ({lines:,} lines); "
              f"built in {time.perf_counter() - t:.1f} s; best of {args.repeat}")  # fmt: skip
        base = [run(_BASELINE, root, paper) for _ in range(args.repeat)]
        checks = [run(_CHECK, root, paper) for _ in range(args.repeat)]
        clis = [cli_seconds(root, paper) for _ in range(args.repeat)]
        parse = min(b["parse"] for b in base)
        load = min(b["load"] for b in base)
        check = min(c["check"] for c in checks)
        wall = min(seconds for seconds, _, _ in clis)
        cpu = min(seconds for _, seconds, _ in clis)
        print(f"  baseline: markdown-it parse     {parse:8.3f} s")
        print(f"  baseline: warm library load     {load:8.3f} s")
        print(f"  check_manuscripts               {check:8.3f} s   {check / (parse + load):6.2f}x the baseline")
        print(f"  check, CPU seconds              {min(c['check_cpu'] for c in checks):8.3f} s")
        print(f"  `claimtrack check` wall time    {wall:8.3f} s   target under 3 s: {'ok' if wall < 3 else 'OVER'}")
        print(f"  `claimtrack check` CPU seconds  {cpu:8.3f} s   (the wall time on an idle core)")
        counts = checks[0]["counts"]
        print(f"  claim citations read            {checks[0]['citations']:8,}")
        for rule, want in planted.items():
            got = counts.get(rule, 0)
            print(f"  {rule:<30} {got:6,} found of {want:,} planted{'' if got >= want else '  MISSED'}")
        others = {rule: n for rule, n in counts.items() if rule not in planted}
        print(f"  other findings                  {others}")
        if any(code != 1 for _, _, code in clis):
            raise SystemExit("the command did not exit 1 on a manuscript with errors")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
