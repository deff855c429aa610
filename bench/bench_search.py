"""Benchmark of the search engine on CheckThat! 2020 (claim retrieval), with its speed and memory, in one run.

Run: python bench/bench_search.py [--library DIR] [--large N] [--skip-large]

Needs ../shared/data/checkthat2020 (see the README there); without it the
script says so and exits 0. Printed:

* quality on the dev split (197 tweets against 10,375 verified claims) and,
  for reference, on the train split the ranker was trained on: MAP@5, MRR@10
  and P@1 for BM25 alone (claim and context fields, summed), the sentence
  embeddings alone (cosine) and the engine (learned ranker). BM25 is the floor
  each other figure is compared with;
* the library built from the verified claims through the Python API (one
  claim file each, the fact-check's title as a cited source) in a temporary
  folder (or DIR, kept for the next run): its cold load in a fresh process
  (no .claimtrack/ caches) against the index build in a fresh process (the
  claims loaded, no index yet), and the load of the built index;
* warm query latency (median and p95 over the dev and train tweets) at
  10,375 claims and at N (default 100,000): the verified claims repeated with
  new ids and two words of another claim added, built in memory; the index's
  arrays in memory at each size;
* ``match`` of a 1 MB plain-text document (tweets and filler sentences)
  against the 10,375 claims.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import checkthat  # noqa: E402

from claimtrack.model import Claim  # noqa: E402
from claimtrack.search.engine import SearchEngine  # noqa: E402
from claimtrack.search.matching import match_documents  # noqa: E402


def figures(rankings: list[list[str]], golds: list[str]) -> dict[str, float]:
    ap, rr, p1 = [], [], []
    for ranked, gold in zip(rankings, golds, strict=True):
        rank = ranked.index(gold) + 1 if gold in ranked else 0
        ap.append(1 / rank if 0 < rank <= 5 else 0.0)
        rr.append(1 / rank if 0 < rank <= 10 else 0.0)
        p1.append(float(rank == 1))
    return {"MAP@5": float(np.mean(ap)), "MRR@10": float(np.mean(rr)), "P@1": float(np.mean(p1))}


def top(scores: np.ndarray, k: int = 10) -> np.ndarray:
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def quality(engine: SearchEngine, queries: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    texts, golds = [q for q, _ in queries], [g for _, g in queries]
    vectors = engine.vectors(texts)
    ids = engine.index.ids
    bm25, cosine, fused = [], [], []
    exact = engine.index.vectors.astype(np.float32)  # embeddings alone: every claim compared exactly
    for text, vector in zip(texts, vectors, strict=True):
        query = engine.query(text, vector)
        bm25.append([ids[r] for r in top(query.bm25)])
        cosine.append([ids[r] for r in top(exact @ vector)])
        fused.append([ids[r] for r, _, _ in engine.ranked(query, 10)])
    return {"BM25 alone": figures(bm25, golds), "embeddings alone": figures(cosine, golds), "engine": figures(fused, golds)}


def print_quality(name: str, table: dict[str, dict[str, float]]) -> None:
    floor = table["BM25 alone"]["MAP@5"]
    print(f"\n{name}: {'':18} MAP@5   MRR@10  P@1    MAP@5 / BM25")
    for system, row in table.items():
        print(f"  {system:24} {row['MAP@5']:.4f}  {row['MRR@10']:.4f}  {row['P@1']:.4f} {row['MAP@5'] / floor:6.3f}x")


def latency(engine: SearchEngine, texts: list[str]) -> tuple[float, float]:
    """Median and p95 milliseconds of a whole search (embedding the text included), warm."""
    for text in texts[:5]:
        engine.search(text, 5)
    times = []
    for text in texts:
        start = time.perf_counter()
        engine.search(text, 5)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def larger(claims: list[Claim], size: int, seed: int = 3) -> list[Claim]:
    """The claims repeated with new ids (``-r1``, ``-r2``...) and two words of another claim added, to ``size``."""
    rng = random.Random(seed)
    words = [w for c in claims for w in c.statement.split() if w.isalpha() and len(w) > 3]
    out = list(claims)
    copy = 0
    while len(out) < size:
        copy += 1
        for claim in claims:
            if len(out) >= size:
                break
            extra = f" {rng.choice(words)} {rng.choice(words)}"
            out.append(Claim(id=f"{claim.id}-r{copy}", statement=claim.statement + extra, confidence=claim.confidence,
                             evidence=claim.evidence))  # fmt: skip
    return out


def fresh_process(program: str) -> dict[str, float]:
    """Run ``program`` in a new Python; it prints one JSON object as its last line."""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


COLD_LOAD = """
import json, time, claimtrack
t = time.perf_counter()
lib = claimtrack.open({root!r})
n = sum(1 for c in lib.claims.values() if c.id)
print(json.dumps({{"seconds": time.perf_counter() - t, "claims": n}}))
"""
BUILD = """
import json, time, claimtrack
from claimtrack.search.engine import SearchEngine
lib = claimtrack.open({root!r})
n = sum(1 for c in lib.claims.values() if c.id); lib.sources
t = time.perf_counter()
engine = SearchEngine.for_library(lib)
print(json.dumps({{"seconds": time.perf_counter() - t, "built": engine.built, "bytes": engine.index.nbytes}}))
"""


def library_figures(folder: Path) -> None:
    if not (folder / "claims").is_dir():
        start = time.perf_counter()
        checkthat.library(folder)
        print(f"\nlibrary built through the Python API in {time.perf_counter() - start:.1f} s: {folder}")
    cache = folder / ".claimtrack"
    for name in ("claims.sqlite", "claims.sqlite-wal", "claims.sqlite-shm", "search-index.bin"):
        (cache / name).unlink(missing_ok=True)
    cold = fresh_process(COLD_LOAD.format(root=str(folder)))
    build = fresh_process(BUILD.format(root=str(folder)))
    warm = fresh_process(BUILD.format(root=str(folder)))
    print(f"\nlibrary of {cold['claims']:,.0f} claim files")
    print(f"  cold load (no caches), fresh process      {cold['seconds']:7.2f} s")
    print(f"  index build ({build['built']:,.0f} claims), fresh process {build['seconds']:7.2f} s  "
          f"= {build['seconds'] / cold['seconds']:.2f}x the cold load (target <= 0.3x)")  # fmt: skip
    print(f"  index load from .claimtrack/, fresh process {warm['seconds']:7.2f} s  ({warm['built']:.0f} claims rebuilt)")


def match_figures(engine: SearchEngine, tweets: list[str], folder: Path) -> None:
    rng = random.Random(5)
    filler = ["The committee met again on Tuesday.", "Prices rose slightly over the summer months.",
              "Several readers wrote in about the weather.", "The museum opens at nine in the morning."]  # fmt: skip
    parts, size = [], 0
    while size < 1 << 20:
        text = rng.choice(tweets) if rng.random() < 0.3 else rng.choice(filler)
        line = " ".join(text.split()) + "\n"
        parts.append(line)
        size += len(line.encode())
    doc = folder / "article.txt"
    doc.write_text("".join(parts), encoding="utf-8")
    start = time.perf_counter()
    report = match_documents(engine, [doc])
    seconds = time.perf_counter() - start
    print(f"\nmatch of a {size / (1 << 20):.2f} MB document ({report.sentences:,} sentences) against "
          f"{len(engine.index):,} claims: {seconds:.2f} s (target <= 3 s); {len(report.claims):,} claims found")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library", type=Path, default=None, help="where to build (or find) the claims library")
    parser.add_argument("--large", type=int, default=100_000, help="claims for the large latency run")
    parser.add_argument("--skip-large", action="store_true", help="leave out the large latency run")
    parser.add_argument("--skip-library", action="store_true", help="leave out building and loading the library")
    args = parser.parse_args()
    if not checkthat.available():
        print(f"skipped: {checkthat.DATA} is absent")
        return 0
    claims, titles = checkthat.claims()
    start = time.perf_counter()
    engine = SearchEngine.from_claims(claims, title_of=titles)
    print(f"engine over {len(claims):,} verified claims built in memory in {time.perf_counter() - start:.2f} s; "
          f"index arrays {engine.index.nbytes / 1e6:.1f} MB")  # fmt: skip
    dev, train = checkthat.split("dev"), checkthat.split("train")
    print_quality("dev (197 tweets)", quality(engine, dev))
    print_quality("train (800 tweets, what the ranker was fit on)", quality(engine, train))
    texts = [q for q, _ in dev + train]
    median, p95 = latency(engine, texts)
    print(f"\nlatency at {len(claims):,} claims, warm: median {median:.1f} ms, p95 {p95:.1f} ms")
    with tempfile.TemporaryDirectory() as scratch:
        match_figures(engine, texts, Path(scratch))
        if not args.skip_library:
            library_figures(args.library or Path(scratch) / "checkthat")
    if not args.skip_large:
        big = larger(claims, args.large)
        start = time.perf_counter()
        engine = SearchEngine.from_claims(big, title_of=lambda key: titles(key))
        built = time.perf_counter() - start
        median, p95 = latency(engine, texts)
        print(f"\nat {len(big):,} claims (built in memory in {built:.1f} s): latency median {median:.1f} ms, "
              f"p95 {p95:.1f} ms (targets 20 and 50 ms); index arrays {engine.index.nbytes / 1e6:.1f} MB (target <= 150)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
