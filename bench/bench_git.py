"""Benchmark of the git side: `audit --base` on a committed library, and merging two long histories.

Run: python bench/bench_git.py [--claims N] [--changed K] [--revisions R]

A temporary git repository gets N sealed claims in one commit; then K of them
gain a revision in the work tree. Printed, each against a baseline measured in
the same run:

* `audit --base HEAD` against the plain audit of the same (warm) library: what
  comparing with git adds (git lists the changed files; only those are parsed
  at the base);
* merging one claim whose two sides each appended R revisions to a common
  history of R revisions, against parsing the two sides' files (the least a
  merge of two files can cost).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import claimtrack  # noqa: E402
from claimtrack.audit import audit_all  # noqa: E402
from claimtrack.history import apply, replay  # noqa: E402
from claimtrack.mergetext import merge_texts  # noqa: E402
from claimtrack.model import Claim, Revision  # noqa: E402
from claimtrack.seals import seal, seal_next  # noqa: E402
from claimtrack.store import parse_claim_text, render_claim  # noqa: E402

START = dt.date(2022, 12, 11)


def _claim(claim_id: str, words: int = 12) -> Claim:
    statement = " ".join(f"w{i}" for i in range(words)) + "."
    first = Revision(date=START, kind="created", by="Bench", statement=statement, confidence="educated-guess",
                     set_tags=(), set_depends_on=(), set_appearances=(), set_facts=(), set_evidence=())  # fmt: skip
    return replay(Claim(id=claim_id, statement=statement, confidence="educated-guess", revisions=seal([first])))


def _append(claim: Claim, revisions: int, who: str, start: int = 0) -> Claim:
    for n in range(start, start + revisions):
        revision = Revision(date=START + dt.timedelta(days=n + 1), kind="review", by=who, reason=f"check {who} {n}")
        claim = apply(claim, seal_next(claim.revisions, revision))
    return claim


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _best(func, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_base(claims: int, changed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        _git(repo, "init", "-q")
        _git(repo, "config", "user.name", "Bench")
        _git(repo, "config", "user.email", "bench@example.org")
        claimtrack.init_library(repo)
        for i in range(claims):
            (repo / "claims" / f"c{i}.toml").write_text(render_claim(_append(_claim(f"c{i}"), 2, "a")))
        _git(repo, "add", "-A")
        _git(repo, "commit", "-qm", "library")
        lib = claimtrack.open_library(repo)
        for i in range(changed):
            lib.review(f"c{i}", reason="checked again", by="Bench", date="2023-06-01")
        lib = claimtrack.open_library(repo)
        audit_all(lib)  # warm the load cache
        plain = _best(lambda: audit_all(claimtrack.open_library(repo)))
        based = _best(lambda: audit_all(claimtrack.open_library(repo), base="HEAD"))
        result = audit_all(claimtrack.open_library(repo), base="HEAD")
        assert not [f for f in result.findings if f.rule == "rewritten-past"]
        print(f"audit, {claims} claims ({changed} changed since HEAD): plain {plain:.3f} s, --base HEAD {based:.3f} s, "
              f"ratio {based / plain:.2f}")  # fmt: skip


def bench_merge(revisions: int) -> None:
    common = _append(_claim("long"), revisions, "c")
    ours, theirs = _append(common, revisions, "a", revisions), _append(common, revisions, "b", revisions)
    texts = render_claim(ours), render_claim(theirs)

    def parse_both() -> None:
        for text in texts:
            parse_claim_text(text, file="claims/long.toml", expected_id="long")

    parse = _best(parse_both)
    merge = _best(lambda: merge_texts(*texts, file="claims/long.toml"))
    print(f"merge, {revisions} common + {revisions} + {revisions} revisions: parse both sides {parse * 1000:.1f} ms, "
          f"merge {merge * 1000:.1f} ms, ratio {merge / parse:.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--revisions", type=int, default=100)
    args = parser.parse_args()
    bench_base(args.claims, args.changed)
    bench_merge(args.revisions)


if __name__ == "__main__":
    main()
