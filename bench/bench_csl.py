"""Time CSL-JSON in and out of a library against bibtexparser parsing the same entries as BibTeX.

Items are generated from the real Manubot slice in tests/data/sources (61 items of a manuscript's
references.json), varied: ids, titles, author order, years, DOIs. Prints, with medians of
interleaved runs (this process's CPU time; wall time after it):

* ``source add`` of a 615-item, 1 MB CSL-JSON file into an empty library (target: <= 2 s), and again;
* ``source add`` of 10,000 items, as a ratio to bibtexparser's ``parse_string`` (default
  middlewares) of the same entries written as BibTeX (target: <= 1.5x);
* ``source export`` of those 10,000 entries as CSL-JSON, BibTeX, BibLaTeX and RIS (target: <= 1 s
  for CSL-JSON and BibTeX);
* the round trip: every generated item through references.bib and back, its title, authors,
  issued, DOI, URL, type, container, volume, issue and pages compared.

Run: ``python bench/bench_csl.py``
"""

from __future__ import annotations

import copy
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bibtexparser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import claimtrack  # noqa: E402
from claimtrack.bibformats import entry_from_item  # noqa: E402
from claimtrack.bibformats.csl import parse_date  # noqa: E402
from claimtrack.sourceio import add_sources, export_sources  # noqa: E402

SLICE = Path(__file__).resolve().parents[1] / "tests" / "data" / "sources" / "manubot-references.json"
RUNS = 3
WORDS = [
    "context",
    "adaptive",
    "inference",
    "model",
    "learning",
    "varying",
    "coefficient",
    "sample",
    "specific",
    "neural",
    "network",
]


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - cpu, time.perf_counter() - wall


def generate(count: int, *, abstract_words: int = 0, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` items varied from the real slice."""
    rng = random.Random(seed)
    base = json.loads(SLICE.read_text(encoding="utf-8"))
    items = []
    for n in range(count):
        item = copy.deepcopy(base[n % len(base)])
        item["id"] = f"{item['id']}-{n}"
        item["title"] = f"{item.get('title', 'Untitled')} {rng.choice(WORDS).title()} {n}"
        if authors := item.get("author"):
            rng.shuffle(authors)
        parts, _ = parse_date(item.get("issued"))
        if parts:
            item["issued"] = {"date-parts": [[parts[0] + rng.randint(-3, 3), *parts[1:]]]}
        if "DOI" in item:
            item["DOI"] = f"{item['DOI']}.{n}"
        if "note" in item:
            item["note"] = item["note"].replace("standard_id: ", f"standard_id: v{n}-")
        if abstract_words:
            item["abstract"] = " ".join(rng.choice(WORDS) for _ in range(abstract_words))
        items.append(item)
    return items


def _fresh(tmp: Path, name: str) -> claimtrack.Library:
    return claimtrack.open(claimtrack.init(tmp / name))


def _names(value: Any) -> list[tuple[str, str]]:
    return [(n.get("literal") or " ".join(p for p in (n.get("non-dropping-particle"), n.get("family")) if p), n.get("given", ""))
            for n in value or []]  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        # 1. A 615-item file of about 1 MB (abstracts make the size; they are left out, as by default).
        small = generate(615, abstract_words=115)
        small_file = tmp / "references-615.json"
        small_file.write_text(json.dumps(small, ensure_ascii=False, indent=2), encoding="utf-8")
        size = small_file.stat().st_size
        runs = [_timed(lambda i=i: add_sources(_fresh(tmp, f"s{i}"), [str(small_file)])) for i in range(RUNS)]
        cpu, wall = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        print(f"615 items, {size / 1e6:.2f} MB CSL-JSON: source add {cpu:.3f} s CPU ({wall:.3f} s wall); target <= 2 s")
        again = [_timed(lambda i=i: add_sources(claimtrack.open(tmp / f"s{i}"), [str(small_file)])) for i in range(RUNS)]
        cpu, wall = statistics.median(r[0] for r in again), statistics.median(r[1] for r in again)
        print(f"the same file again (615 already present, nothing written): {cpu:.3f} s CPU ({wall:.3f} s wall)")

        # 2. 10,000 items against bibtexparser on the same entries as BibTeX.
        big = generate(10_000)
        big_file = tmp / "references-10000.json"
        big_file.write_text(json.dumps(big, ensure_ascii=False), encoding="utf-8")
        bibtex = "\n\n".join(entry_from_item(item, "bench").text for item in big) + "\n"
        bases, adds = [], []
        for i in range(RUNS):
            bases.append(_timed(lambda: bibtexparser.parse_string(bibtex)))
            adds.append(_timed(lambda i=i: add_sources(_fresh(tmp, f"b{i}"), [str(big_file)])))
        base, add = (statistics.median(r[0] for r in t) for t in (bases, adds))
        wall_base, wall_add = (statistics.median(r[1] for r in t) for t in (bases, adds))
        print(f"10,000 items: bibtexparser {base:.3f} s, source add {add:.3f} s CPU: {add / base:.2f}x; target <= 1.5x"
              f"  (wall {wall_base:.3f} s / {wall_add:.3f} s: {wall_add / wall_base:.2f}x)")  # fmt: skip

        # 3. Export of the 10,000 entries (the library's sources loaded once, as in a session).
        lib = claimtrack.open(tmp / "b0")
        assert len(lib.sources) == 10_000
        for fmt in ("csljson", "bibtex", "biblatex", "ris"):
            runs = [_timed(lambda fmt=fmt: export_sources(claimtrack.open(tmp / "b0"), fmt)) for _ in range(RUNS)]
            cpu, wall = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            target = "; target <= 1 s" if fmt in ("csljson", "bibtex") else ""
            print(f"export 10,000 entries as {fmt}: {cpu:.3f} s CPU ({wall:.3f} s wall){target}")

        # 4. The round trip, item by item.
        back = {item["id"]: item for item in json.loads(export_sources(lib, "csljson"))}
        kept = 0
        for item in big:
            other = back[item["id"]]
            same = all(
                str(item.get(k)) == str(other.get(k))
                for k in ("title", "DOI", "URL", "type", "container-title", "volume", "issue")
            )
            same = same and parse_date(item.get("issued")) == parse_date(other.get("issued"))
            same = same and _names(item.get("author")) == _names(other.get("author"))
            page = item.get("page")
            same = same and (page is None or other.get("page") == page.replace("\u2013", "-"))
            kept += same
        print(f"round trip CSL-JSON -> library -> CSL-JSON: {kept} of {len(big)} items keep every compared field")


if __name__ == "__main__":
    main()
