"""Benchmark of the input paths a hostile file could make quadratic: each must grow linearly.

Run: python bench/bench_linear.py [--scale 1] [--skip-audit]

Each case is timed at a size N and at 4N (best of three), in one process, and printed with:

* the seconds at each size;
* the ratio to a baseline measured in the same run on the same size (the least any reading of that input
  costs: parsing the claim file, replaying the claim, markdown-it without the CriticMarkup rule on the same
  text, the LaTeX reader on the same line without backslashes, JSON as wide as the deep one is deep, the
  same audit with every reference resolved);
* the growth: time at 4N over time at N, divided by 4 (about 1 when linear, about 4 when quadratic), and the
  same over the baseline's growth (which takes out a busy machine and the processor's caches).

Cases: a revision adding N tags (replay), a claim of N revisions (`history` rows), N CriticMarkup openers
without closers, N LaTeX commands without a closing brace, a gzip bomb in `notices import` (seconds and peak
memory), JSON nested N deep, and an audit of N claims whose every dependency and claim citation dangles
(did-you-mean hints), against the same library with every reference resolved.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import claimtrack  # noqa: E402
from claimtrack.documents.latex_text import latex_blocks  # noqa: E402
from claimtrack.documents.markdown import parse_markdown  # noqa: E402
from claimtrack.errors import ClaimtrackError  # noqa: E402
from claimtrack.history import replay  # noqa: E402
from claimtrack.model import Claim, Revision, RevisionKind  # noqa: E402
from claimtrack.notices import reading  # noqa: E402
from claimtrack.notices.matching import SourceIndex  # noqa: E402
from claimtrack.notices.works import parse_json  # noqa: E402
from claimtrack.store import parse_claim_text  # noqa: E402
from claimtrack.views import history_rows  # noqa: E402


def best(run: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def report(name: str, n: int, make: Callable[[int], tuple[Callable[[], object], Callable[[], object]]]) -> None:
    """Time the case and its baseline at n and 4n; print seconds, ratio to the baseline, and growth."""
    row = []
    for size in (n, 4 * n):
        case, baseline = make(size)
        row.append((best(case), best(baseline)))
    (small, small_base), (large, large_base) = row
    growth = large / small / 4
    against = (large / large_base) / (small / small_base)  # the same, with the baseline's own growth taken out
    print(
        f"  {name:<44} N={n:>7,}: {small:8.4f} s, 4N: {large:8.4f} s | vs baseline {small / small_base:6.1f}x, "
        f"{large / large_base:6.1f}x | growth {growth:4.2f}, vs baseline {against:4.2f} "
        f"{'ok' if min(growth, against) < 2 else 'NOT LINEAR'}"
    )


def tags_case(n: int) -> tuple[Callable[[], object], Callable[[], object]]:
    tags = ",".join(f'"{i:x}"' for i in range(n))
    text = (
        'id = "q"\nstatement = "S."\nconfidence = "hypothesis"\ntags = []\ndepends_on = []\n\n'
        '[[revisions]]\ndate = 2022-12-01\nkind = "created"\nby = "T"\nstatement = "S."\nconfidence = "hypothesis"\n'
        "tags = []\ndepends_on = []\nappearances = []\nfacts = []\nevidence = []\n\n[[revisions]]\ndate = 2022-12-02\n"
        f'kind = "editorial"\nby = "T"\nadd_tags = [{tags}]\n'
    )
    claim = parse_claim_text(text, file="q.toml")
    return (lambda: replay(claim)), (lambda: parse_claim_text(text, file="q.toml"))


def history_case(n: int) -> tuple[Callable[[], object], Callable[[], object]]:
    day = dt.date(2022, 12, 1)
    created = Revision(kind=RevisionKind.CREATED, date=day, by="T", statement="S.", confidence="hypothesis")
    reviews = tuple(Revision(kind=RevisionKind.REVIEW, date=day, by="T", reason=f"looked {i}") for i in range(n))
    claim = Claim(id="q", statement="S.", confidence="hypothesis", revisions=(created, *reviews))
    return (lambda: history_rows(claim)), (lambda: replay(claim))


def critic_case(opener: str) -> Callable[[int], tuple[Callable[[], object], Callable[[], object]]]:
    def make(n: int) -> tuple[Callable[[], object], Callable[[], object]]:
        text = opener * n + "\n"
        return (lambda: parse_markdown(text)), (lambda: _PLAIN.parse(text))  # the same text, no CriticMarkup rule

    return make


_PLAIN = MarkdownIt("commonmark").enable("strikethrough")


def latex_case(command: str) -> Callable[[int], tuple[Callable[[], object], Callable[[], object]]]:
    def make(n: int) -> tuple[Callable[[], object], Callable[[], object]]:
        text, plain = command * n + "\n", command.replace("\\", "x") * n + "\n"
        return (lambda: latex_blocks(text)), (lambda: latex_blocks(plain))

    return make


def json_case(n: int) -> tuple[Callable[[], object], Callable[[], object]]:
    deep, flat = "[" * n + "]" * n, "[" + "[]," * (n - 1) + "[]]"

    def refused() -> None:
        try:
            list(parse_json(deep, "deep.json"))
        except ClaimtrackError:
            return
        raise AssertionError("deep JSON was read")

    return refused, (lambda: list(parse_json(flat, "flat.json")))


def bomb(work: Path) -> None:
    """A gzip file of 2 GiB of zeros (about 2 MB packed), as in the report: refused at MAX_UNPACKED."""
    path = work / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as f:
        for _ in range(2048):
            f.write(b"\0" * 2**20)
    data = path.read_bytes()
    tracemalloc.start()
    start = time.perf_counter()
    try:
        reading.read_bytes(data, path.name, SourceIndex())
    except ClaimtrackError as e:
        message = str(e)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  gzip bomb, {len(data) / 1e6:.1f} MB packed, 2,048 MiB unpacked: refused in {seconds:.2f} s, peak "
        f"{peak / 2**20:.0f} MiB allocated (limit {reading.MAX_UNPACKED / 2**20:.0f} MiB, {peak / reading.MAX_UNPACKED:.2f}x)"
    )
    print(f"    {message[:110]}...")


def audit_case(work: Path) -> Callable[[int], tuple[Callable[[], object], Callable[[], object]]]:
    def library(n: int, dangling: bool) -> claimtrack.Library:
        root = claimtrack.init(work / f"lib-{n}-{dangling}")
        for i in range(n):
            other = f"gone-{i:05d}" if dangling else f"claim-{(i + 1) % n:05d}"
            text = (
                f'id = "claim-{i:05d}"\nstatement = "S{i}."\nconfidence = "hypothesis"\ntags = []\n'
                f'depends_on = ["{other}"]\nevidence = [{{source = "claim:{other}"}}]\n\n'
                '[[revisions]]\ndate = 2022-12-01\nkind = "created"\nby = "T"\nstatement = "S{i}."\n'
                f'confidence = "hypothesis"\ntags = []\ndepends_on = ["{other}"]\nappearances = []\nfacts = []\n'
                f'evidence = [{{source = "claim:{other}"}}]\n'
            ).replace("S{i}", f"S{i}")
            (root / "claims" / f"claim-{i:05d}.toml").write_text(text, encoding="utf-8")
        lib = claimtrack.open(root)
        lib.audit()  # the load cache filled: what is timed is the audit
        return lib

    def make(n: int) -> tuple[Callable[[], object], Callable[[], object]]:
        dangling, resolved = library(n, True), library(n, False)
        return (lambda: claimtrack.open(dangling.root).audit()), (lambda: claimtrack.open(resolved.root).audit())

    return make


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every N by this")
    parser.add_argument("--skip-audit", action="store_true", help="leave out the audit case (it builds libraries)")
    args = parser.parse_args()

    def n(base: int) -> int:
        return max(1, int(base * args.scale))

    with tempfile.TemporaryDirectory(prefix="claimtrack-linear-") as folder:
        work = Path(folder)
        print("replay and history")
        report("D6 replay: one revision adding N tags", n(25_000), tags_case)
        report("D29 history rows: N review revisions", n(5_000), history_case)
        print("documents (stale, import)")
        for opener in ("{++", "{--", "{~~", "{~~a~>"):
            report(f"D7 CriticMarkup: N x {opener!r}, no closer", n(8_000), critic_case(opener))
        for command in ("\\claim{", "\\begin{", "\\claim[", "\\item["):
            report(f"D8 LaTeX: N x {command!r}, no closer", n(16_000), latex_case(command))
        print("notices import")
        bomb(work)
        report("D15 JSON nested N deep (refused)", n(50_000), json_case)
        if not args.skip_audit:
            print("audit hints")
            report("audit: N claims, 2N dangling ids vs resolved", n(1_000), audit_case(work))


if __name__ == "__main__":
    main()
