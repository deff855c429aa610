"""Benchmark of the stale scan: 10,000 corrected claims against about 1 MB of text, and the labelled set.

Run: python bench/bench_stale.py [--claims N] [--megabytes M] [--lines L]

Claims are built in memory (no files), each with one span correction. The
text mixes filler sentences, sentences stating the current wording, and
stale sentences still stating the superseded one. Printed, all in one run:

* the lexical-only scan (``embeddings=False``: span and value rules by words)
  and the full scan (with WordLlama sentence embeddings), the full scan with
  a cold embedding cache (the library's wordings embedded and saved to
  ``.claimtrack/``) and with a warm one, and their ratios to the lexical scan;
* a baseline measured in the same run: one rapidfuzz ``ratio`` call per
  sentence of the text, and each scan's ratio to it;
* linearity: the full scan of the corpus library (claims/) over documents of
  L/10 and L lines (default 100,000), and the ratio of their times per line;
* precision and recall on the labelled set (tests/data/stale/labelled.toml),
  lexical-only and full.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, utils

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import stale_labelled  # noqa: E402

import claimtrack  # noqa: E402
from claimtrack.documents import StaleEngine, find_stale  # noqa: E402
from claimtrack.documents.markdown import plain_blocks  # noqa: E402
from claimtrack.documents.sentences import block_sentences  # noqa: E402
from claimtrack.model import Claim, Revision, RevisionKind  # noqa: E402

WORDS = [
    "model",
    "data",
    "corpus",
    "training",
    "tokens",
    "layer",
    "attention",
    "context",
    "window",
    "benchmark",
    "reasoning",
    "instruction",
    "tuning",
    "code",
    "evaluation",
    "scale",
    "parameter",
    "checkpoint",
    "release",
    "paper",
    "result",
    "accuracy",
    "dataset",
    "prompt",
    "answer",
    "question",
    "language",
]


def _names(n: int, rng: random.Random) -> list[str]:
    """``n`` distinct model and corpus names (distinct, so every stale sentence has one right claim)."""
    numbers = rng.sample(range(10**6), n)
    return [rng.choice(["Alpha", "Beta", "Gamma", "Delta", "Omega", "Sigma", "Kappa"]) + "-" + str(k) for k in numbers]


def build_claims(n: int, rng: random.Random) -> tuple[list[Claim], list[tuple[str, str]]]:
    """Claims with one correction each, and (superseded, current) wordings to write text from."""
    claims, wordings = [], []
    names = _names(3 * n, rng)
    for i in range(n):
        model, old, new = names[3 * i : 3 * i + 3]
        size = rng.choice([125, 350, 760, 1300, 2700, 6700, 13000, 175000])
        template = "The {m} model was pretrained on the {c} corpus with {s} million parameters."
        before = template.format(m=model, c=old, s=size)
        after = template.format(m=model, c=new, s=size)
        revisions = (
            Revision(
                date=dt.date(2022, 12, 11), kind=RevisionKind.CREATED, by="bench", statement=before, confidence="hypothesis"
            ),
            Revision(
                date=dt.date(2023, 1, 1),
                kind=RevisionKind.CORRECTION,
                by="bench",
                reason="bench",
                field="statement",
                old=old,
                new=new,
            ),
        )
        claims.append(Claim(id=f"claim-{i}", statement=after, confidence="hypothesis", revisions=revisions))
        wordings.append((before, after))
    return claims, wordings


def build_text(wordings: list[tuple[str, str]], megabytes: float, rng: random.Random) -> tuple[str, int]:
    """About ``megabytes`` of paragraphs; returns the text and how many stale sentences it holds."""
    target = int(megabytes * 1_000_000)
    parts, size, stale = [], 0, 0
    while size < target:
        paragraph = []
        for _ in range(rng.randint(2, 6)):
            roll = rng.random()
            before, after = rng.choice(wordings)
            if roll < 0.05:
                paragraph.append(before)
                stale += 1
            elif roll < 0.25:
                paragraph.append(after)
            else:
                words = rng.choices(WORDS, k=rng.randint(8, 20))
                paragraph.append(" ".join(words).capitalize() + ".")
        text = " ".join(paragraph)
        parts.append(text)
        size += len(text) + 2
    return "\n\n".join(parts) + "\n", stale


CPU: dict[str, float] = {}  # processor seconds of each timed step, next to its wall-clock seconds


def _timed(function, *args, label: str = "", **kwargs):  # type: ignore[no-untyped-def]
    """The result and wall-clock seconds (other processes on a shared machine inflate them: CPU[label] has ours)."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    if label:
        CPU[label] = time.process_time() - c0
    return result, time.perf_counter() - t0


def _linearity(lines: int, rng: random.Random, folder: Path) -> None:
    """The corpus library over documents of lines/10 and lines lines: time per line should stay flat."""
    lib = claimtrack.open(ROOT)
    sentences = [item["text"] for item in stale_labelled.items()]
    engine = StaleEngine(lib)
    per_line = []
    for count in (lines // 10, lines):
        path = folder / f"lines-{count}.md"
        path.write_text(
            "\n".join(
                rng.choice(sentences) if rng.random() < 0.3 else " ".join(rng.choices(WORDS, k=12)) + "." for _ in range(count)
            )
            + "\n",
            encoding="utf-8",
        )
        found, seconds = _timed(find_stale, engine, [path], label="lines")
        per_line.append(CPU["lines"] / count)
        print(
            f"corpus library over {count:,} lines: {seconds:.2f} s wall, {CPU['lines']:.2f} s CPU ({len(found):,} stale), "
            f"{CPU['lines'] / count * 1e6:.1f} us CPU a line"
        )
    print(f"CPU time per line, {lines:,} lines over {lines // 10:,} lines: {per_line[1] / per_line[0]:.2f} (1.0 is linear)")


def _labelled() -> None:
    lib = claimtrack.open(ROOT)
    for name, embeddings in (("lexical-only", False), ("full", True)):
        score = stale_labelled.score(StaleEngine(lib, embeddings=embeddings))
        print(
            f"labelled set, {name}: precision {score.precision:.3f}, recall {score.recall:.3f} "
            f"({score.found} of {score.stale} stale found, {score.false_flags} false flags)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    t0 = time.perf_counter()
    claims, wordings = build_claims(args.claims, rng)
    text, planted = build_text(wordings, args.megabytes, rng)
    setup = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.txt"
        path.write_text(text, encoding="utf-8")
        lexical, lexical_time = _timed(find_stale, claims, [path], embeddings=False, label="lexical")
        # cold: the engine embeds every wording and saves them to <tmp>/.claimtrack/; warm: it reads them back
        cold_engine, cold_build = _timed(StaleEngine, claims, cache_root=tmp, label="cold build")
        full, cold_scan = _timed(find_stale, cold_engine, [path], label="cold scan")
        warm_engine, warm_build = _timed(StaleEngine, claims, cache_root=tmp, label="warm build")
        _, warm_scan = _timed(find_stale, warm_engine, [path], label="warm scan")
        cache_size = (Path(tmp) / ".claimtrack" / "stale-embeddings.bin").stat().st_size
        cold, warm = cold_build + cold_scan, warm_build + warm_scan

        sentences = [s.text for block in plain_blocks(text) for s in block_sentences(block)[1]]
        probe = utils.default_process(wordings[0][0])
        t0 = time.perf_counter()
        for sentence in sentences:
            fuzz.ratio(utils.default_process(sentence), probe)
        baseline = time.perf_counter() - t0

        def found(findings: list) -> int:  # type: ignore[type-arg]
            return len({(f.line, f.claim) for f in findings})  # a paragraph is one line: a repeated sentence counts once

        print(
            f"claims: {len(claims):,} (one correction each); text: {len(text) / 1e6:.2f} MB, {len(sentences):,} sentences, "
            f"{planted:,} stale planted; setup {setup:.2f} s"
        )
        print(f"baseline, one rapidfuzz ratio call per sentence: {baseline:.3f} s")
        print(
            f"lexical-only scan: {lexical_time:.2f} s ({lexical_time / baseline:.1f}x baseline), {found(lexical):,} stale passages"
        )
        print(
            f"full scan, cold cache: {cold:.2f} s (engine {cold_build:.2f} s + scan {cold_scan:.2f} s; "
            f"{cold / lexical_time:.1f}x lexical), {found(full):,} stale passages ({found(full) / max(planted, 1):.0%} of planted)"
        )
        print(
            f"full scan, warm cache: {warm:.2f} s (engine {warm_build:.2f} s + scan {warm_scan:.2f} s; "
            f"{warm / lexical_time:.1f}x lexical, {warm / baseline:.1f}x baseline); cache {cache_size / 1e6:.1f} MB"
        )
        cold_cpu, warm_cpu = CPU["cold build"] + CPU["cold scan"], CPU["warm build"] + CPU["warm scan"]
        print(
            f"CPU seconds: lexical {CPU['lexical']:.2f}, full cold {cold_cpu:.2f}, full warm {warm_cpu:.2f} "
            f"(full warm / lexical {warm_cpu / CPU['lexical']:.1f}x)"
        )
        print(
            f"full scan within 10 s: wall {'yes' if max(cold, warm) <= 10 else 'NO'}, CPU {'yes' if max(cold_cpu, warm_cpu) <= 10 else 'NO'}"
        )
        _linearity(args.lines, rng, Path(tmp))
    _labelled()


if __name__ == "__main__":
    main()
