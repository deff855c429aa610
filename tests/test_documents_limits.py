"""Document size limits and linear time in import and diff (claimtrack.documents.limits and the steps they bound).

The growth tests time a size and eight times that size in CPU seconds: a linear step takes about 8 times
as long, a quadratic one about 64 times; the bound (24) leaves room for a loaded machine.
bench/bench_documents.py shows the same at up to 1,000,000 lines.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from rapidfuzz import utils

import claimtrack
from claimtrack.cli import main
from claimtrack.documents import diff_documents, import_changes
from claimtrack.documents import reading as reading_module
from claimtrack.documents.limits import MATCH_WINDOW
from claimtrack.documents.markdown import parse_markdown
from claimtrack.documents.matching import MATCH_THRESHOLD, SPAN_THRESHOLD, ClaimMatcher, _scores
from claimtrack.documents.sentences import block_sentences
from claimtrack.model import Claim

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO.parent / "shared" / "seeds" / "gpt-ability-last-edit-en.md"
GROWTH = 8
MOST = 24


@pytest.fixture(scope="module")
def corpus() -> dict[str, Claim]:
    """The bundled corpus's claims: the matching cost of a real library."""
    return dict(claimtrack.open(REPO).claims)


def _cpu(action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        action()
        best = min(best, time.process_time() - start)
    return best


def _growth(tmp_path: Path, make: Callable[[int], str], n: int, run: Callable[[Path], object]) -> float:
    """How many times longer ``run`` takes on ``make(n * GROWTH)`` than on ``make(n)``."""
    times = []
    for size in (n, n * GROWTH):
        path = tmp_path / f"doc-{size}.md"
        path.write_text(make(size), encoding="utf-8")
        times.append(_cpu(lambda path=path: run(path)))
    return times[1] / max(times[0], 1e-3)


def test_import_of_one_paragraph_of_changes_grows_linearly(tmp_path: Path, corpus: dict[str, Claim]) -> None:
    # the hostile case: every line "~~a~~ b", one paragraph, one sentence of n changes
    growth = _growth(tmp_path, lambda n: "~~a~~ b\n" * n, 250, lambda p: import_changes(corpus, p))
    assert growth < MOST


def test_import_of_distinct_changes_grows_linearly(tmp_path: Path, corpus: dict[str, Claim]) -> None:
    def make(n: int) -> str:
        return "".join(f"The model was trained on ~~{i} tokens~~ {i + 1} tokens of code.\n" for i in range(n))

    growth = _growth(tmp_path, make, 150, lambda p: import_changes(corpus, p))
    assert growth < MOST


def test_diff_of_every_paragraph_changed_grows_linearly(tmp_path: Path) -> None:
    # 400 paragraphs are scored all against all; 3,200 past FULL_PAIRING only against their likely partners.
    # No claims: the pairing is what is timed (matching is timed by the import tests).
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()

    def make(n: int) -> str:
        return "".join(f"Paragraph {i} says the context window is {i % 9} thousand tokens.\n\n" for i in range(n))

    def run(path: Path) -> list:
        old = tmp_path / "old" / path.name
        old.write_text(path.read_text(encoding="utf-8").replace(" thousand ", " hundred "), encoding="utf-8")
        changes = diff_documents(old, path)
        assert len(changes) == path.read_text(encoding="utf-8").count("\n\n")  # every paragraph paired with its old version
        return changes

    assert _growth(tmp_path, make, 400, run) < MOST


def test_a_long_sentence_is_matched_and_reported_by_the_words_around_the_change(tmp_path: Path) -> None:
    doc = tmp_path / "long.md"
    doc.write_text("word " * 20_000 + "trained on ~~C4~~ Common Crawl data " + "word " * 20_000 + "\n", encoding="utf-8")
    [change] = import_changes(None, doc).changes
    assert (change.old, change.new) == ("C4", "Common Crawl")
    assert len(change.sentence) <= MATCH_WINDOW + 8
    assert change.sentence.startswith("... word") and change.sentence.endswith("word ...")
    assert "trained on Common Crawl data" in change.sentence


def test_a_change_in_a_long_sentence_keeps_its_own_line(tmp_path: Path) -> None:
    doc = tmp_path / "lines.md"
    doc.write_text("~~a~~ b\n" * 3000, encoding="utf-8")
    changes = import_changes(None, doc).changes
    assert [c.line for c in changes] == list(range(1, 3001))


@pytest.mark.parametrize(
    ("limit", "value", "text", "message"),
    [
        pytest.param("MAX_DOCUMENT_BYTES", 1024, "word " * 300, "is larger than", id="bytes"),
        pytest.param("MAX_DOCUMENT_LINES", 100, "line\n" * 101, "has 101 lines, more than the 100", id="lines"),
    ],
)
def test_a_document_past_a_limit_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: int, text: str, message: str
) -> None:
    monkeypatch.setattr(reading_module, limit, value)
    doc = tmp_path / "big.md"
    doc.write_text(text, encoding="utf-8")
    with pytest.raises(claimtrack.DocumentError, match=message):
        import_changes(None, doc)
    monkeypatch.chdir(tmp_path)  # no library here: the documents are read without one
    for args in (["import", str(doc)], ["diff", str(doc), str(doc)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        [line] = result.output.splitlines()
        assert line.startswith(f"error: {doc}: {message}") and "split it into smaller documents" in line


def test_exactly_at_the_line_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading_module, "MAX_DOCUMENT_LINES", 100)
    doc = tmp_path / "edge.md"
    doc.write_text("~~a~~ b\n" * 100, encoding="utf-8")
    assert len(import_changes(None, doc).changes) == 100


@pytest.mark.skipif(not ARTICLE.exists(), reason="the seed article is not here")
def test_the_matcher_finds_what_scoring_every_text_finds(corpus: dict[str, Claim]) -> None:
    """The rare-word prefilter, the score cutoff and the remembered scores change no match of the seed article."""
    matcher = ClaimMatcher(corpus)
    texts = matcher._texts
    sentences = [s.text for b in parse_markdown(ARTICLE.read_text(encoding="utf-8")) for s in block_sentences(b)[1]]
    assert len(sentences) > 200
    matched = 0
    for sentence in sentences:
        scores = _scores([utils.default_process(sentence)], texts)[0]
        best: dict[str, float] = {}
        for index in np.flatnonzero(scores >= SPAN_THRESHOLD):
            best[matcher._owners[index]] = max(best.get(matcher._owners[index], 0.0), float(scores[index]))
        strong = {c for c, s in best.items() if s >= MATCH_THRESHOLD}
        found = matcher.match([sentence])
        if strong:
            matched += 1
            top = max(best[c] for c in strong)
            assert found.claim in strong and best[found.claim] == top, sentence
        else:
            assert found.claim is None, sentence
    assert matched > 20


def test_a_struck_word_no_claim_ever_held_needs_no_match(corpus: dict[str, Claim]) -> None:
    matcher = ClaimMatcher(corpus)
    assert matcher.may_know("C4") and matcher.may_know("4096")  # words of the corpus's corrections
    assert not matcher.may_know("zqxj-77123") and not matcher.may_know("C4 zqxj")
    assert matcher.may_know("—")  # no word at all: the claims' own revisions are looked at
