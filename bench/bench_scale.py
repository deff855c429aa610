"""Scale benchmark: synthetic libraries of 1k, 10k and 100k claims beside a large real bibliography.

Every figure is a ratio against a baseline measured in the same run on the same files:

* claims: a bare ``tomllib`` loop over the claim files (read + parse, nothing else), and for reference
  a bare loop of ``tomli``, the parser claimtrack reads with (tomllib's own code, compiled);
* sources: bibtexparser's ``parse_file`` on the bibliography.

Each timed stage runs in a fresh Python process, so no in-process state helps it.

    python bench/bench_scale.py                       # 1k and 10k
    python bench/bench_scale.py --sizes 10000,100000  # the figures in docs/performance.md
    python bench/bench_scale.py --sizes 20000 --corpus  # the bundled corpus's claims, repeated
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIB = REPO.parent / "shared" / "data" / "bib" / "jgrey_main_all.bib"

# Each stage is a small program run in its own process; it prints its seconds (and peak memory) as JSON.
STAGES = {
    "toml_loop": """
import tomllib, os, time
t = time.perf_counter()
d = os.path.join(ROOT, "claims")
for name in os.listdir(d):
    with open(os.path.join(d, name), "rb") as f:
        tomllib.load(f)
seconds = time.perf_counter() - t
""",
    "tomli_loop": """
import tomli, os, time
t = time.perf_counter()
d = os.path.join(ROOT, "claims")
for name in os.listdir(d):
    with open(os.path.join(d, name), "rb") as f:
        tomli.load(f)
seconds = time.perf_counter() - t
""",
    "load": """
import time, claimtrack
t = time.perf_counter()
lib = claimtrack.open(ROOT)
n = len(lib.claims)
assert not lib.claims.problems, lib.claims.problems[:3]
seconds = time.perf_counter() - t
""",
    "load_records": """
import time, claimtrack
t = time.perf_counter()
lib = claimtrack.open(ROOT)
n = sum(1 for claim in lib.claims.values() if claim.id)
assert not lib.claims.problems, lib.claims.problems[:3]
seconds = time.perf_counter() - t
""",
    "show_one": """
import time, claimtrack
t = time.perf_counter()
lib = claimtrack.open(ROOT)
claim = lib.claim(ONE)
seconds = time.perf_counter() - t
""",
    "api_one": """
import time, claimtrack
t = time.perf_counter()
claim = claimtrack.open(ROOT).claims[ONE]
assert claim.id == ONE
seconds = time.perf_counter() - t
""",
    "audit": """
import time, claimtrack
lib = claimtrack.open(ROOT)
list(lib.claims.values()); lib.sources  # loaded, every record made: the audit alone is timed
t = time.perf_counter()
findings = lib.audit()
seconds = time.perf_counter() - t
""",
    "report": """
import time, claimtrack, claimtrack.report
lib = claimtrack.open(ROOT)
t = time.perf_counter()
claimtrack.report.write(lib, OUT, formats=["html", "md"])
seconds = time.perf_counter() - t
""",
    "bib_baseline": """
import time, bibtexparser
t = time.perf_counter()
bibtexparser.parse_file(BIB)
seconds = time.perf_counter() - t
""",
    "bib_load": """
import time
from pathlib import Path
from claimtrack.sources import Sources
from claimtrack.fileio import cache_dir
t = time.perf_counter()
s = Sources.load(Path(ROOT) / "references.bib", cache=cache_dir(Path(ROOT)))
len(s)
seconds = time.perf_counter() - t
""",
}


def run_program(program: str, results: str) -> list[float]:
    """Run ``program`` in a fresh Python process; it ends by printing the JSON list ``results``."""
    code = program + f"\nimport resource, json\nprint(json.dumps({results}))\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    if result.returncode != 0:
        raise SystemExit(f"stage failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_stage(name: str, root: Path, out: Path | None = None) -> tuple[float, float]:
    """(seconds, peak resident megabytes) of one stage in a fresh process."""
    head = (
        f"ROOT = {str(root)!r}\nBIB = {str(root / 'references.bib')!r}\nOUT = {str(out or root / 'report')!r}\n"
        f"ONE = {one_claim(root)!r}\n"
    )
    seconds, peak = run_program(head + STAGES[name], "[seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]")
    return seconds, peak


def best(name: str, root: Path, repeat: int, before=None) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(run_stage(name, root))
    return min(r[0] for r in runs), max(r[1] for r in runs)


_TEMPLATE = """\
id = "{id}"
statement = "Model {n} has a context window of {window} tokens and was trained on {corpus}."
confidence = "{confidence}"
status = "active"
tags = ["model-{tag}", "context-window"]
depends_on = [{deps}]

[[facts]]
subject = "model {n}"
property = "context window"
value = "{window}"

[[evidence]]
source = "{k1}"
stance = "supports"
locator = "Table {t1}"
quote = "a context window of {window} tokens"

[[evidence]]
source = "{k2}"
stance = "supports"
locator = "section {t2}"

[[evidence]]
source = "{k3}"
stance = "mentions"
locator = "page {t3}"

[[revisions]]
date = 2022-12-11
kind = "created"
digest = "@1"
by = "A. Author"
statement = "Model {n} has a context window of {old} tokens and was trained on {corpus}."
confidence = "{confidence}"
tags = ["model-{tag}", "context-window"]
depends_on = [{deps}]
facts = [{{ subject = "model {n}", property = "context window", value = "{old}" }}]
evidence = [
    {{ source = "{k1}", stance = "supports", locator = "Table {t1}", quote = "a context window of {window} tokens" }},
    {{ source = "{k2}", stance = "supports", locator = "section {t2}" }},
]

[[revisions]]
date = 2022-12-14
kind = "evidence"
digest = "@2"
by = "A. Author"
add_evidence = [{{ source = "{k3}", stance = "mentions", locator = "page {t3}" }}]
reason = "cites {k3}"

[[revisions]]
date = 2023-01-01
kind = "correction"
digest = "@3"
by = "A. Author"
credited = "A. Reader"
field = "statement"
old = "{old} tokens"
new = "{window} tokens"
remove_facts = [{{ subject = "model {n}", property = "context window", value = "{old}" }}]
add_facts = [{{ subject = "model {n}", property = "context window", value = "{window}" }}]
reason = "The first figure was the previous model's."
evidence = ["{k1}"]
"""


def _sealed(text: str) -> str:
    """The claim file with its revisions' digests filled in, as claimtrack writes them."""
    from claimtrack.codec import claim_from_raw
    from claimtrack.history import seal

    blank = "".join(line for line in text.splitlines(keepends=True) if not line.startswith('digest = "@'))
    for i, revision in enumerate(seal(claim_from_raw(tomllib.loads(blank)).revisions), 1):
        text = text.replace(f'"@{i}"', f'"{revision.digest}"')
    return text


def build(root: Path, size: int, keys: list[str]) -> None:
    """Write a library of ``size`` realistic claims (three evidence items, three revisions, facts, dependencies),
    every revision sealed as claimtrack seals the revisions it writes."""
    rng = random.Random(size)
    claims = root / "claims"
    claims.mkdir(parents=True)
    levels = ["conclusion", "hypothesis", "educated-guess"]
    for n in range(size):
        deps = ", ".join(f'"claim-{d:06d}"' for d in sorted({rng.randrange(n)} if n else set()))
        k1, k2, k3 = rng.sample(keys, 3)
        text = _TEMPLATE.format(
            id=f"claim-{n:06d}", n=n, window=rng.choice([2048, 4096, 8192]) * 2, old=rng.choice([1024, 512]), corpus=rng.choice(["C4", "Common Crawl", "The Pile"]),
            confidence=rng.choice(levels), tag=n % 50, deps=deps, k1=k1, k2=k2, k3=k3, t1=rng.randrange(1, 9), t2=rng.randrange(1, 9), t3=rng.randrange(1, 300),
        )  # fmt: skip
        (claims / f"claim-{n:06d}.toml").write_text(_sealed(text), encoding="utf-8")
    if BIB.exists():
        shutil.copyfile(BIB, root / "references.bib")
    else:
        (root / "references.bib").write_text(
            "".join(f"@misc{{{k}, title = {{T {k}}}, author = {{A}}, year = {{2020}}}}\n" for k in keys), encoding="utf-8"
        )


def build_corpus(root: Path, size: int) -> None:
    """Write a library of ``size`` claims: the bundled corpus's claim files repeated, as a user copying it would.

    The first copy keeps the corpus's ids; each later one gives its claims new ids (``<id>-copyNNN``) and
    changes nothing else, so every seal still verifies and every dependency names a claim of the first copy.
    """
    corpus = REPO / "claims"
    texts = {path.stem: path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.toml"))}
    claims = root / "claims"
    claims.mkdir(parents=True)
    for name in ("claimtrack.toml", "references.bib"):
        shutil.copyfile(REPO / name, root / name)
    for n in range(size):
        copy, index = divmod(n, len(texts))
        claim_id = list(texts)[index]
        new_id = claim_id if copy == 0 else f"{claim_id}-copy{copy:03d}"
        text = texts[claim_id].replace(f'id = "{claim_id}"\n', f'id = "{new_id}"\n', 1)
        (claims / f"{new_id}.toml").write_text(text, encoding="utf-8")


def one_claim(root: Path) -> str:
    """The claim the one-claim stages read: a synthetic library's seventh, or the corpus's first claim's last copy."""
    if (root / "claims" / "claim-000007.toml").exists():
        return "claim-000007"
    return sorted(path.stem for path in (root / "claims").glob("*.toml"))[-1]


def bib_keys() -> list[str]:
    if not BIB.exists():
        return [f"key{i}" for i in range(2000)]
    import re

    return sorted(set(re.findall(r"^@\w+\{([^,\s]+),", BIB.read_text(encoding="utf-8", errors="replace"), re.M)))[:5000]


def clear_cache(root: Path) -> None:
    shutil.rmtree(root / ".claimtrack", ignore_errors=True)


def touch_one(root: Path) -> None:
    """Change one claim file the way a hand edit would (a comment), so its size and time change."""
    with (root / "claims" / f"{one_claim(root)}.toml").open("a", encoding="utf-8") as handle:
        handle.write("# checked again\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the built libraries")
    parser.add_argument(
        "--corpus", action="store_true", help="repeat the bundled corpus's claim files instead of writing synthetic ones"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    keys = bib_keys()
    work = Path(tempfile.mkdtemp(prefix="claimtrack-bench-"))
    print(f"bibliography: {BIB.name if BIB.exists() else 'synthetic'}; {os.cpu_count()} cores; best of {args.repeat}")
    results: dict[int, dict[str, float]] = {}
    try:
        for size in sizes:
            root = work / f"lib{size}"
            t = time.perf_counter()
            if args.corpus:
                build_corpus(root, size)
            else:
                build(root, size, keys)
            kind = "copies of the corpus's claims" if args.corpus else "claims"
            print(f"\n== {size:,} {kind} (built in {time.perf_counter() - t:.1f} s)")
            base, _ = best("toml_loop", root, args.repeat)
            tomli_base, _ = best("tomli_loop", root, args.repeat)
            cold, cold_peak = best("load", root, args.repeat, before=lambda root=root: clear_cache(root))
            warm_all, warm_peak = best("load", root, args.repeat)
            warm_records, _ = best("load_records", root, args.repeat)
            warm_one, _ = best("show_one", root, args.repeat)
            api_one, _ = best("api_one", root, args.repeat)
            touch_one(root)
            changed_all, _ = run_stage("load", root)
            touch_one(root)
            changed_one, _ = run_stage("show_one", root)
            touch_one(root)
            changed_all = min(changed_all, run_stage("load", root)[0])
            bib_base, _ = best("bib_baseline", root, args.repeat)
            bib_cold, _ = best(
                "bib_load",
                root,
                args.repeat,
                before=lambda root=root: (root / ".claimtrack" / "sources.cache").unlink(missing_ok=True),
            )
            bib_warm, _ = best("bib_load", root, args.repeat)
            try:
                audit, audit_peak = best("audit", root, 1)
            except SystemExit as e:
                print(f"  audit: skipped ({str(e).splitlines()[0]})")
                audit = audit_peak = float("nan")
            row = {
                "toml loop (s)": base, "tomli loop (s)": tomli_base, "cold load": cold / base, "cold load vs tomli loop": cold / tomli_base, "warm show one": warm_one / base, "warm claims[id]": api_one / base, "warm load all": warm_all / base, "warm load every record": warm_records / base,
                "changed: show one": changed_one / base, "changed: load all": changed_all / base,
                "changed/unchanged load all": changed_all / warm_all, "bib cold": bib_cold / bib_base, "bib warm": bib_warm / bib_base,
                "audit after load (s)": audit, "peak MB": max(cold_peak, warm_peak), "peak MB open + audit": audit_peak, "cold (s)": cold, "warm (s)": warm_all,
            }  # fmt: skip
            if size <= (20000 if args.corpus else 10000):
                try:
                    row["report (s)"] = run_stage("report", root, work / "report")[0]
                    row["report index.html MB"] = (work / "report" / "index.html").stat().st_size / 1e6
                except SystemExit as e:
                    print(f"  report: skipped ({str(e).splitlines()[0]})")
            results[size] = row
            targets = {
                "cold load": 0.7, "warm show one": 0.02, "warm claims[id]": 0.02, "warm load all": 0.10, "changed: show one": 0.02 * 1.2,
                "changed/unchanged load all": 1.1, "bib cold": 1.1, "bib warm": 0.1, "audit after load (s)": 1.5, "peak MB": 1024,
                "peak MB open + audit": 1024, "report (s)": 60, "report index.html MB": 5,
            }  # fmt: skip
            bib_size = (root / "references.bib").stat().st_size
            if bib_size < 1 << 20:
                # A small file's load is its fixed costs (a few system calls, a hash, a signature: about half a
                # millisecond); the bibliography targets are for the large files (bench_sources.py).
                print(f"  (references.bib is {bib_size / 1e3:.0f} KB: its ratios are fixed costs, not held to the targets)")
                del targets["bib cold"], targets["bib warm"]
            for name, value in row.items():
                target = targets.get(name)
                mark = "" if target is None else ("  ok" if value <= target else f"  OVER target {target}")
                unit = "x" if "(s)" not in name and "MB" not in name else ""
                print(f"  {name:<28} {value:10.3f}{unit}{mark}")
            shutil.rmtree(root / "report", ignore_errors=True)
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
        if len(sizes) > 1:
            small, large = sizes[-2], sizes[-1]
            factor = large / small
            print(f"\n== growth {small:,} -> {large:,} claims (x{factor:g}; target at most {factor * 1.1:g}x)")
            for name in ("cold (s)", "warm (s)", "toml loop (s)", "audit after load (s)"):
                grow = results[large][name] / results[small][name]
                print(f"  {name:<28} {grow:10.2f}x{'  ok' if grow <= factor * 1.1 else '  OVER'}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
