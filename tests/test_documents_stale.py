"""Stale passages (claimtrack.documents.stale)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_documents_import import claims

from claimtrack.documents import StaleEngine, find_stale
from claimtrack.documents.superseded import core_span, word_changes
from claimtrack.model import RevisionKind

DATA = Path(__file__).resolve().parent / "data" / "documents"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
EARLY = SEEDS / "gpt-ability-early-zh-en.md"
LAST = SEEDS / "gpt-ability-last-edit-en.md"


def test_small_copy() -> None:
    findings = find_stale(claims(), [DATA / "stale.md"])
    assert [(f.line, f.claim, f.old, f.new) for f in findings] == [
        (3, "gpt3-pretraining-corpus", "C4", "Common Crawl"),
        (5, "gpt3-pretraining-corpus", "C4", "Common Crawl"),  # a paraphrase keeping the span
        (9, "abilities-in-opt", "should also be", "might be partially"),
    ]
    first = findings[0]
    assert first.superseded == "The initial GPT-3 was pretrained on C4 data from 2016 to 2019."
    assert first.current == "The initial GPT-3 was pretrained on Common Crawl data from 2016 to 2019."
    assert (first.revision, first.revision_kind, first.revision_date.isoformat()) == (1, RevisionKind.CORRECTION, "2023-01-01")
    assert first.score == 100


def test_never_corrected_and_already_corrected_are_not_flagged() -> None:
    lines = {f.line for f in find_stale(claims(), [DATA / "stale.md"])}
    assert 7 not in lines  # "similar training data (C4)": C4 there was never corrected
    assert 11 not in lines  # the struck C4 is not what the copy says
    assert 13 not in lines  # 4096 was never corrected in the test claims
    assert find_stale(claims(), [DATA / "clean.txt"]) == []


def test_core_span() -> None:
    assert core_span("they should also be in OPT", "they might be partially in OPT") == ("should also be", "might be partially")
    assert core_span("C4", "Common Crawl") == ("C4", "Common Crawl")
    assert core_span("could reproduce them.", "could reproduce them; and more.") == ("", "and more.")  # an addition: no old span


def test_the_index_only_compares_candidates() -> None:
    engine = StaleEngine(claims())
    assert {w.old for w in engine.wordings} == {"C4", "should also be", "cannot do CoT"}
    assert engine.sentences(["A sentence about nothing in particular."]) == [[]]


@pytest.mark.skipif(not EARLY.exists(), reason="shared seed article not available")
def test_the_early_copy() -> None:
    findings = find_stale(claims(), [EARLY])
    flagged = {(f.line, f.claim) for f in findings}
    assert (232, "gpt3-pretraining-corpus") in flagged  # The initial GPT-3 is trained on C4 2016 - 2019.
    assert (227, "abilities-in-opt") in flagged  # ... these abilities should also be in OPT.
    assert (208, "gpt3-pretraining-corpus") in flagged  # its Chinese translation keeps "C4 2016 - 2019"
    text = " ".join(f.sentence for f in findings)
    assert "similar training data (C4)" not in text and "2019-2021 version of C4" not in text
    assert "60% 2016 - 2019 C4" not in text  # no test claim was corrected there


@pytest.mark.skipif(not LAST.exists(), reason="shared seed article not available")
def test_the_last_edit_is_clean() -> None:
    assert find_stale(claims(), [LAST]) == []


def test_word_changes_merge_across_one_word() -> None:
    assert word_changes("they should also be in OPT.", "they might be partially in OPT.") == [
        ("should also be", "might be partially")
    ]
    assert word_changes("trained on C4 data from 2016 to 2019", "trained on Common Crawl data from 2016 to 2021") == [
        ("C4", "Common Crawl"),
        ("2019", "2021"),
    ]
