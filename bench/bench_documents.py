"""Benchmark of `import` and `diff` on documents of 1,000 to 1,000,000 lines: the time must grow linearly.

Run: python bench/bench_documents.py [--sizes 1000,10000,100000,1000000] [--no-library]

For each size N, in a temporary folder:

* import: N lines of tracked changes (``~~a7~~ b123``), nine lines and a
  blank one a paragraph, matched against the bundled corpus's claims (the repository's
  own library) unless ``--no-library``;
* the hostile import case: N lines of ``~~a~~ b`` in one paragraph (one
  sentence of N changes);
* diff: two documents of N lines, N / 2 one-sentence paragraphs, every
  paragraph changed between them (none pairs by identical words).

Printed for each: the seconds, the microseconds per line, and two ratios:
against a baseline measured in the same run (markdown-it parsing the same
text, the least any reading of it costs), and against the size before (time
ratio over size ratio: about 1 when linear, about 10 when quadratic).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import claimtrack  # noqa: E402
from claimtrack.documents import diff_documents, import_changes  # noqa: E402
from claimtrack.documents.markdown import markdown_parser  # noqa: E402


def tracked_lines(n: int) -> str:
    # nine lines of changes and a blank line, a paragraph
    return "".join("\n" if i % 10 == 9 else f"~~a{i % 89}~~ b{i % 997}\n" for i in range(n))


def one_paragraph(n: int) -> str:
    return "~~a~~ b\n" * n


def versions(n: int) -> tuple[str, str]:
    paragraphs = max(n // 2, 1)
    old = "".join(f"P{i} has {i % 7}.\n\n" for i in range(paragraphs))
    new = "".join(f"P{i} has {i % 7 + 1}.\n\n" for i in range(paragraphs))
    return old, new


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000", help="line counts, comma-separated")
    parser.add_argument("--no-library", action="store_true", help="import without matching against the bundled claims")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    lib = None if args.no_library else claimtrack.open(ROOT)
    claims = len(lib.claims) if lib is not None else 0
    print(f"claims matched against: {claims:,}")
    print(f"{'case':<22} {'lines':>9} {'seconds':>8} {'us/line':>8} {'baseline s':>10} {'x baseline':>10} {'growth':>7}  found")
    before: dict[str, tuple[int, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in sizes:
            cases: list[tuple[str, list[str], Callable[[], object]]] = []
            doc = folder / f"tracked-{n}.md"
            doc.write_text(tracked_lines(n), encoding="utf-8")
            cases.append(("import", [doc.read_text()], lambda doc=doc: len(import_changes(lib, doc).changes)))
            para = folder / f"paragraph-{n}.md"
            para.write_text(one_paragraph(n), encoding="utf-8")
            cases.append(("import, one paragraph", [para.read_text()], lambda para=para: len(import_changes(lib, para).changes)))
            old_text, new_text = versions(n)
            old, new = folder / f"old-{n}.md", folder / f"new-{n}.md"
            old.write_text(old_text, encoding="utf-8")
            new.write_text(new_text, encoding="utf-8")
            cases.append(("diff", [old_text, new_text], lambda old=old, new=new: len(diff_documents(old, new, claims=lib))))
            for name, texts, action in cases:
                baseline = sum(timed(lambda text=text: markdown_parser().parse(text))[0] for text in texts)
                seconds, found = timed(action)
                growth = ""
                if name in before:
                    size, took = before[name]
                    growth = f"{(seconds / took) / (n / size):.2f}"
                before[name] = (n, seconds)
                print(
                    f"{name:<22} {n:>9,} {seconds:>8.2f} {seconds / n * 1e6:>8.1f} {baseline:>10.2f} "
                    f"{seconds / baseline:>10.1f} {growth:>7}  {found:,}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
