"""Time ``extract`` on a large manuscript, ``extract --history`` over 200 commits, and ``add --from`` of 10,000 claims.

1. **extract**: every Markdown file of a Manubot ``content/`` folder (give one, e.g. a checkout of
   greenelab/deep-review; without one, the Manubot fixture of the tests is repeated, each copy with its own keys,
   to 300 KB). Prints the time to find the cited sentences, and checks them against a plain count: every
   ``[@...]`` citation outside code, quotations, headings, captions and tables must lie in a proposed sentence
   (recall), every proposed key must be written ``@key`` in its sentence (none invented), and every proposal
   must cite something. Target: <= 3 s, recall >= 95%.
2. **--history**: a git repository whose one document (the manuscript's largest file, or the fixture's
   introduction) is committed 200 times, 40 cited paragraphs of it changed in turn (a number corrected, a hedge
   added or taken back, a citation added); prints the time of the history walk. Target: <= 10 s.
3. **add --from**: 10,000 claims with 3 revisions each from JSON lines, against the baseline measured in the
   same run: ``Library.add`` called in a loop in this process, per claim. Target: the batch's time per claim
   <= 1.5 times the loop's.

Run: ``python bench/bench_extract.py [CONTENT_DIR] [CLAIMS]``
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import claimtrack  # noqa: E402
from claimtrack.batch import add_from  # noqa: E402
from claimtrack.extract import cited_sentences  # noqa: E402
from claimtrack.extract.history import propose_history  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "data" / "extract" / "manubot"
CLAIMS = 10_000
BASELINE = 400
COMMITS = 200
_CITATION = re.compile(r"\[@[^\[\]]+\]")
_SKIPPED_LINE = (">", "#", "|", "![", "Table:")


def manuscript(folder: Path | None) -> dict[str, str]:
    if folder is not None:
        return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}
    base = "\n\n".join(
        (FIXTURE / name).read_text(encoding="utf-8") for name in ("01.abstract.md", "02.introduction.md", "03.main.md")
    )
    out, size, copy = {}, 0, 0
    while size < 300_000:
        text = re.sub(r"@(doi|arxiv|pmid|url):", lambda m, c=copy: f"@{m.group(1)}:c{c}.", base)
        out[f"{copy:03d}.md"] = text
        size += len(text.encode("utf-8"))
        copy += 1
    return out


def citations_outside_skipped(text: str) -> list[int]:
    """Offsets of the ``[@...]`` citations a person would count: not in code, quotations, headings, captions, tables."""
    out, pos, fenced = [], 0, False
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and not line.lstrip().startswith(_SKIPPED_LINE):
            for found in _CITATION.finditer(line):
                keys = re.findall(r"@[\w:.\-/]+", found.group())
                if not all(k.startswith(("@fig:", "@tbl:", "@eq:", "@sec:")) for k in keys):
                    out.append(pos + found.start())
        pos += len(line)
    return out


def bench_extract(folder: Path | None) -> None:
    texts = manuscript(folder)
    size = sum(len(t.encode("utf-8")) for t in texts.values())
    start = time.perf_counter()
    found = {name: cited_sentences(text, path=name) for name, text in texts.items()}
    took = time.perf_counter() - start
    counted = covered = invented = uncited = 0
    for name, text in texts.items():
        spans = [(s.start, s.end) for s in found[name]]
        for offset in citations_outside_skipped(text):
            counted += 1
            covered += any(a <= offset < b for a, b in spans)
        for sentence in found[name]:
            invented += sum(1 for key in sentence.keys if f"@{key}" not in sentence.verbatim)
            uncited += not sentence.keys and not sentence.claims
    sentences = sum(len(v) for v in found.values())
    print(f"extract: {size / 1000:.0f} KB in {len(texts)} files, {counted} citations, {sentences} cited sentences")
    print(f"  {took:.2f} s (target <= 3 s); recall {covered / max(counted, 1):.1%} (target >= 95%); "
          f"invented keys {invented}; proposals citing nothing {uncited}")  # fmt: skip


def git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="A. Author", GIT_AUTHOR_EMAIL="a@example.org", GIT_COMMITTER_NAME="A. Author",
               GIT_COMMITTER_EMAIL="a@example.org", GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)  # fmt: skip
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def bench_history(tmp: Path, folder: Path | None) -> None:
    root = claimtrack.init(tmp / "history")
    git(root, "init", "-q")
    # The document: the largest file of the manuscript given (else the fixture's introduction), then 40 more
    # cited paragraphs that the commits change in turn.
    files = sorted(folder.glob("*.md"), key=lambda p: p.stat().st_size) if folder is not None else []
    base = (files[-1] if files else FIXTURE / "02.introduction.md").read_text(encoding="utf-8")
    paragraphs = [f"Model {i} was trained on {i} GB of text [@doi:10.1/m{i}]." for i in range(40)]
    doc = root / "paper.md"
    start = time.perf_counter()
    for n in range(COMMITS):
        i, kind = n % 40, n % 3
        if n and kind == 0:  # a number corrected
            paragraphs[i] = re.sub(r"(\d+) GB", lambda m: f"{int(m.group(1)) + 1} GB", paragraphs[i])
        elif n and kind == 1:  # a hedge added, or taken back
            hedged = "was probably" in paragraphs[i]
            paragraphs[i] = (
                paragraphs[i].replace("was probably", "was") if hedged else paragraphs[i].replace("was", "was probably")
            )
        elif n:  # a citation added
            paragraphs[i] = paragraphs[i].replace("].", f"; @doi:10.1/extra{n}].", 1)
        doc.write_text(base + "\n\n## Models\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        git(root, "add", "paper.md")
        git(root, "commit", "-q", "-m", f"edit {n}", date=f"@{1609459200 + n * 86400} +0000")
    made = time.perf_counter() - start
    lib = claimtrack.open(root)
    start = time.perf_counter()
    extraction = propose_history(lib, [doc])
    took = time.perf_counter() - start
    revisions = sum(len(p.revisions) for p in extraction.proposals)
    size = doc.stat().st_size / 1000
    print(f"--history: {COMMITS} commits of a {size:.0f} KB document (made in {made:.1f} s), "
          f"{len(extraction.proposals)} claims, {revisions} revisions")  # fmt: skip
    print(f"  {took:.2f} s (target <= 10 s)")


def bench_batch(tmp: Path, claims: int) -> None:
    baseline = claimtrack.open(claimtrack.init(tmp / "loop"))
    start = time.perf_counter()
    for i in range(BASELINE):
        baseline.add(f"loop-{i}", f"Model {i} has a context window of {i} tokens.", by="A. Author", date="2022-01-01")
    per_add = (time.perf_counter() - start) / BASELINE
    lib = claimtrack.open(claimtrack.init(tmp / "batch"))
    path = tmp / "claims.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(claims):
            revisions = [
                {"date": "2022-02-01", "kind": "correction", "old": f"{i} tokens", "new": f"{i + 1} tokens", "reason": "fixed"},
                {"date": "2022-03-01", "kind": "hedge", "confidence": "educated-guess", "reason": "weaker"},
                {"date": "2022-04-01", "kind": "update", "statement": f"Model {i} has a context window of {3 * i + 7} tokens.",
                 "reason": "new release"},
            ]  # fmt: skip
            row = {"id": f"batch-{i}", "statement": f"Model {i} has a context window of {i} tokens.", "date": "2022-01-01",
                   "by": "A. Author", "revisions": revisions}  # fmt: skip
            out.write(json.dumps(row) + "\n")
    start = time.perf_counter()
    result = add_from(lib, path)
    took = time.perf_counter() - start
    per_claim = took / claims
    print(f"add --from: {len(result.claims)} claims, {result.revisions} revisions in {took:.1f} s")
    print(f"  {per_claim * 1e3:.2f} ms a claim against {per_add * 1e3:.2f} ms a Library.add in a loop: "
          f"ratio {per_claim / per_add:.2f} (target <= 1.5)")  # fmt: skip


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] != "-" else None
    claims = int(sys.argv[2]) if len(sys.argv) > 2 else CLAIMS
    bench_extract(folder)
    with tempfile.TemporaryDirectory() as tmp:
        bench_history(Path(tmp), folder)
        bench_batch(Path(tmp), claims)


if __name__ == "__main__":
    main()
