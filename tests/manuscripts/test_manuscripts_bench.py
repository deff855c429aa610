"""The benchmark's manuscript, at a small size: every planted problem is found, and nothing else."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import claimtrack
from claimtrack.manuscripts import check_manuscripts

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_planted_problems_are_found_exactly(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import bench_check
    import bench_scale

    root = tmp_path / "lib"
    bench_scale.build(root, 300, [f"key{i}" for i in range(200)])
    lib = claimtrack.open(root)
    paper = tmp_path / "paper.md"
    planted = bench_check.write_manuscript(lib, paper, 30, random.Random(3))
    assert all(planted.values())
    result = check_manuscripts(claimtrack.open(root), [paper])
    counts: dict[str, int] = {}
    for finding in result.findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    assert counts == planted
    sys.modules.pop("bench_check", None)
    sys.modules.pop("bench_scale", None)
