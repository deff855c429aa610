"""The example papers in examples/ cite the bundled corpus: they check clean, render, and catch a stale copy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import claimtrack
from claimtrack.manuscripts import check_manuscripts, parse_manuscript, render_manuscript
from claimtrack.manuscripts.check import check_manuscript

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = [REPO / "examples" / "paper.md", REPO / "examples" / "paper.tex"]

pytestmark = pytest.mark.skipif(not (REPO / "claims").is_dir(), reason="no bundled corpus at the repository root")


@pytest.fixture(scope="module")
def corpus() -> claimtrack.Library:
    return claimtrack.open(REPO)


@pytest.mark.parametrize("paper", EXAMPLES, ids=lambda p: p.name)
def test_the_example_paper_has_no_errors(corpus, paper):
    result = check_manuscripts(corpus, [paper])
    assert result.errors == 0, [f.message for f in result.findings]
    assert result.citations == 5
    # Only warnings about the corpus's own support may show, never a problem of the paper's text.
    assert {f.rule for f in result.findings} <= {"cites-under-supported", "cites-needs-review"}


@pytest.mark.parametrize("paper", EXAMPLES, ids=lambda p: p.name)
def test_a_copy_with_the_old_numbers_and_names_is_caught(corpus, paper):
    text = paper.read_text(encoding="utf-8")
    stale = text.replace("8192 tokens", "4096 tokens").replace("on Common Crawl data", "on C4 data")
    stale = stale.replace(
        "5\\% code" if paper.suffix == ".tex" else "5% code", "8\\% code" if paper.suffix == ".tex" else "8% code"
    )
    lines = stale.splitlines()
    found = {(f.line, f.rule, f.claim) for f in check_manuscript(corpus, parse_manuscript(stale, path=paper.name))}
    expected = {
        (_line(lines, "4096 tokens"), "states-superseded", "cdv2-context-window"),
        (_line(lines, "on C4 data"), "states-superseded", "gpt3-pretraining-corpus"),
        (_line(lines, "code in its training data"), "value-mismatch", "palm-code-cot"),
    }
    assert expected <= found
    assert {rule for _, rule, _ in found} <= {
        "states-superseded",
        "value-mismatch",
        "cites-under-supported",
        "cites-needs-review",
    }


def _line(lines: list[str], words: str) -> int:
    return next(i for i, line in enumerate(lines, 1) if words in line)


@pytest.mark.parametrize("paper", EXAMPLES, ids=lambda p: p.name)
def test_the_example_renders_with_the_corpus_sources(corpus, paper, tmp_path):
    out = tmp_path / paper.name
    render_manuscript(corpus, paper, out, since="2022-12-11")
    text = out.read_text(encoding="utf-8")
    assert "brown2020language" in text and "chowdhery2022palm" in text
    assert "claim:" not in text and not re.search(r"\\claim\{", text)
    assert "~~4096~~ 8192" in text or "\\sout{4096} 8192" in text
