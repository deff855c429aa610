"""Time importing a 50,000-row Retraction Watch CSV against reading it with the csv module alone.

Generates the CSV in the database's real columns (US dates, ``;``-lists,
``+``-reasons, a few Windows-1252 bytes, quoted notes with line breaks) and a
library of 2,000 sources with DOIs in mixed forms, 200 of which the CSV
notices. Prints the median of interleaved runs of: a bare ``csv.reader``
pass over the decoded file (the baseline), the import into an empty
notices.toml (cold), and the import again (idempotent: nothing written),
with the ratios against the baseline measured in the same run, in CPU time
of this process (wall seconds after). Then the same for 50,000 Crossref works
as JSON lines against ``json.loads`` of each line. Targets: each cold import
in a few seconds of wall time, and within 4 times its bare parse.

Run: ``python bench/bench_notices.py [ROWS]``
"""

from __future__ import annotations

import csv
import io
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import claimtrack  # noqa: E402
from claimtrack.notices import NOTICES_FILE  # noqa: E402
from claimtrack.notices.retraction_watch import COLUMNS  # noqa: E402

ROWS = 50_000
SOURCES = 2_000
NOTICED = 200
RUNS = 3
RATIO_TARGET = 4.0
WALL_TARGET = 5.0  # seconds
NATURES = ["Retraction"] * 8 + ["Correction", "Expression of concern"]


def make_csv(path: Path, rows: int, cited: list[str], rng: random.Random) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    noticed = {rng.randrange(rows): doi for doi in cited}
    for i in range(rows):
        doi = noticed.get(i, f"10.{1000 + i % 9000}/bench.{i}")
        writer.writerow(
            [
                str(100_000 + i),
                f"A Study of Example Number {i}",
                "(BLS) Biology - Cancer;(HSC) Medicine - Oncology;",
                f"Department {i % 97}, Example University, Exampletown, Exampleland;",
                f"Journal of Examples {i % 500}",
                "Example Press",
                "Exampleland;",
                f"Ana Example{i};Bo Sample{i}",
                "",
                "Research Article;",
                f"{1 + i % 12}/{1 + i % 28}/{2000 + i % 24} 0:00",
                f"10.{1000 + i % 9000}/bench.notice.{i}",
                str(30_000_000 + i) if i % 3 else "0",
                f"{1 + i % 12}/{1 + i % 28}/{1995 + i % 24} 0:00",
                doi if i % 50 else "unavailable",
                str(20_000_000 + i) if i % 4 else "0",
                rng.choice(NATURES),
                "+Concerns/Issues About Data;+Error in Analyses;",
                "No",
                "See also:\nthe journal's notice" if i % 100 == 0 else "",
            ]
        )
    data = buffer.getvalue().encode("utf-8")
    # The real export carries a few bytes that are not UTF-8.
    path.write_bytes(data.replace(b"Department 7,", b"D\xe9partement 7,"))


def make_crossref(path: Path, rows: int, cited: list[str], rng: random.Random) -> None:
    """Crossref works as JSON lines, each paper's notices in ``updated-by``; the cited DOIs among them."""
    noticed = {rng.randrange(rows): doi for doi in cited}
    types = ["retraction", "correction", "erratum", "expression_of_concern", "new_version"]
    lines = []
    for i in range(rows):
        doi = noticed.get(i, f"10.{1000 + i % 9000}/bench.{i}")
        update = {"DOI": f"{doi}.notice", "type": types[i % 5], "label": "Notice", "source": "publisher",
                  "updated": {"date-parts": [[2000 + i % 24, 1 + i % 12, 1 + i % 28]]}}  # fmt: skip
        lines.append(json.dumps({"DOI": doi, "type": "journal-article", "title": [f"Work {i}"], "updated-by": [update]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_library(root: Path, rng: random.Random) -> list[str]:
    """A library of SOURCES entries with DOIs (mixed forms); returns the DOIs the CSV will notice."""
    claimtrack.init(root)
    entries, dois = [], []
    forms = ["{}", "https://doi.org/{}", "doi:{}", "{}"]
    for i in range(SOURCES):
        doi = f"10.5555/cited.{i}"
        dois.append(doi)
        shown = forms[i % 4].format(doi.upper() if i % 5 == 0 else doi)
        entries.append(
            f"@article{{src{i},\n  title = {{Source {i}}},\n  author = {{Doe, Jo}},\n  year = {{2020}},\n  doi = {{{shown}}}\n}}\n"
        )
    (root / "references.bib").write_text("\n".join(entries), encoding="utf-8")
    return rng.sample(dois, NOTICED)


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - cpu, time.perf_counter() - wall


def bench(label: str, file_name: str, make: Callable[..., None], bare_label: str, bare: Callable[[Path], None],
          rows: int, least: float) -> bool:  # fmt: skip
    """Interleaved runs of the bare parse, the import into no notices.toml and the import again; print; targets met?"""
    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "lib"
        cited = make_library(root, rng)
        path = Path(tmp) / file_name
        make(path, rows, cited, rng)
        size = path.stat().st_size
        claimtrack.open(root).sources  # parse references.bib once, so its cache is warm for every run  # noqa: B018

        def cold() -> None:
            (root / NOTICES_FILE).unlink(missing_ok=True)
            result = claimtrack.open(root).import_notices([path], by="bench", date="2026-12-01")
            assert result.written and len(result.added) >= NOTICED * least, len(result.added)

        def again() -> None:
            assert not claimtrack.open(root).import_notices([path], by="bench", date="2026-12-02").written

        runs: tuple[list[tuple[float, float]], ...] = ([], [], [])
        for _ in range(RUNS):
            for times, run in zip(runs, (lambda: bare(path), cold, again), strict=True):
                times.append(_timed(run))
    (base, cold_cpu, again_cpu), (wall_base, wall_cold, wall_again) = (
        [statistics.median(t[i] for t in times) for times in runs] for i in (0, 1)
    )
    print(f"{label}: {rows} records, {size / 1e6:.1f} MB, {SOURCES} sources, {NOTICED} noticed")
    for what, (b, c, a) in (("CPU", (base, cold_cpu, again_cpu)), ("wall", (wall_base, wall_cold, wall_again))):
        print(f"  {what}: {bare_label} {b:.2f} s, import {c:.2f} s ({c / b:.2f}x), import again {a:.2f} s ({a / b:.2f}x)")
    ok = cold_cpu / base <= RATIO_TARGET and wall_cold <= WALL_TARGET
    print(f"  targets (import <= {RATIO_TARGET}x the {bare_label} pass, <= {WALL_TARGET:.0f} s): {'met' if ok else 'MISSED'}")
    return ok


def _csv_pass(path: Path) -> None:
    for _ in csv.reader(io.StringIO(path.read_bytes().decode("utf-8", errors="replace"), newline="")):
        pass


def _json_lines_pass(path: Path) -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        json.loads(line)


def main(rows: int = ROWS) -> int:
    ok = bench("Retraction Watch CSV", "retraction_watch.csv", make_csv, "csv.reader", _csv_pass, rows, 0.9)
    ok = bench("Crossref JSON lines", "crossref.jsonl", make_crossref, "json.loads", _json_lines_pass, rows, 0.7) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS))
