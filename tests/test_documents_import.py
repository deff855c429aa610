"""Import of tracked changes and applying them (claimtrack.documents.tracked/applying)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

import claimtrack
from claimtrack.codec import claim_from_raw
from claimtrack.documents import apply_changes, import_changes
from claimtrack.model import Appearance, Claim, RevisionKind

DATA = Path(__file__).resolve().parent / "data" / "documents"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
ARTICLE = SEEDS / "gpt-ability-last-edit-en.md"


def _raw_claims() -> list[dict]:
    return tomllib.loads((DATA / "claims.toml").read_text(encoding="utf-8"))["claim"]


def claims() -> dict[str, Claim]:
    """The test claims as records, no files."""
    return {raw["id"]: claim_from_raw(raw) for raw in _raw_claims()}


def build_library(root: Path) -> claimtrack.Library:
    """A library holding the test claims, written through the Library API."""
    lib = claimtrack.open(claimtrack.init(root))
    for raw in _raw_claims():
        created, *later = raw["revisions"]
        lib.add(
            raw["id"], created["statement"], confidence=created["confidence"], tags=created.get("tags", ()),
            appearances=[Appearance(**a) for a in created.get("appearances", ())], by=created["by"], date=created["date"],
        )  # fmt: skip
        for rev in later:
            lib.revise(
                raw["id"], old=rev.get("old"), new=rev.get("new"), reason=rev["reason"], kind=rev["kind"], by=rev["by"],
                credited=rev.get("credited"), date=rev["date"],
            )  # fmt: skip
    return claimtrack.open(root)


@pytest.fixture
def doclib(tmp_path: Path) -> claimtrack.Library:
    return build_library(tmp_path / "lib")


def _pairs(result) -> list[tuple]:
    return [(c.kind.value, c.old, c.new, c.credited, c.date, c.line) for c in result.changes]


def test_every_convention_in_a_small_document() -> None:
    result = import_changes(None, DATA / "tracked.md")
    assert _pairs(result) == [
        ("correction", "C4", "Common Crawl", None, None, 5),
        ("correction", "4096", "8192", None, None, 6),
        ("correction", "cannot do CoT", "can do CoT but the performance is significantly worse", "Denny Zhou", None, 8),
        ("correction", "only", "mainly", None, None, 10),
        ("correction", "should also be in OPT", "might be partially in OPT", None, None, 12),
        ("update", None, "Meta have already done it", None, dt.date(2022, 12, 23), 12),
        ("correction", "175B", "176B", None, None, 14),
        ("clarification", "was", "was partially", None, None, 15),
        ("correction", "released in 2021", "released", None, None, 15),
    ]
    assert result.year == 2022
    assert "2022 inferred" in result.changes[5].note
    assert result.changes[6].note == "checked against the paper"  # a comment on a change is its note
    assert [(n.text, n.line) for n in result.notes] == [("a free note", 16)]
    cot = result.changes[2]
    assert "corrected by" not in cot.sentence and cot.sentence.startswith("The text-davinci-001")
    assert all(c.claim is None for c in result.changes)


def test_update_without_a_knowable_year(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("Some claim [update Dec 23: it changed].\n", encoding="utf-8")
    (change,) = import_changes(None, doc).changes
    assert change.kind is RevisionKind.UPDATE and change.date is None
    assert "no year" in change.note
    assert import_changes(None, doc).warnings


def test_matching_to_claims() -> None:
    result = import_changes(claims(), DATA / "tracked.md")
    by_old = {c.old: c.claim for c in result.changes}
    assert by_old["C4"] == "gpt3-pretraining-corpus"
    assert by_old["should also be in OPT"] == "abilities-in-opt"
    assert by_old["4096"] == "cdv2-context-window"
    assert by_old["cannot do CoT"] == "text-davinci-001-cot"
    assert by_old["175B"] is None  # no claim about parameter counts


def test_claim_history_picks_the_new_span(tmp_path: Path) -> None:
    # Without a claim, a struck lower-case phrase ends at the comma; the claim's history knows better.
    doc = tmp_path / "doc.md"
    doc.write_text("The model ~~is small~~ is large, fast and cheap, they say.\n", encoding="utf-8")
    assert import_changes(None, doc).changes[0].new == "is large"
    raw = {
        "id": "model-size", "statement": "The model is large, fast and cheap.", "confidence": "hypothesis",
        "appearances": [{"document": "x", "text": "The model is large, fast and cheap, they say."}],
        "revisions": [
            {"date": dt.date(2022, 1, 1), "kind": "created", "by": "A", "statement": "The model is small.", "confidence": "hypothesis",
             "appearances": [{"document": "x", "text": "The model is large, fast and cheap, they say."}]},
            {"date": dt.date(2022, 2, 1), "kind": "correction", "by": "A", "reason": "r", "old": "is small", "new": "is large, fast and cheap"},
        ],
    }  # fmt: skip
    (change,) = import_changes([claim_from_raw(raw)], doc).changes
    assert (change.claim, change.new) == ("model-size", "is large, fast and cheap")


def test_apply_is_idempotent_and_skips_what_cannot_apply(doclib: claimtrack.Library, tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "code-davinci-002 has a context window ~~4096~~ **8192**.\n\n"
        "The initial GPT-3 is trained on ~~C4~~ Common Crawl 2016 - 2019.\n\n"
        "Unrelated text about ~~cats~~ dogs.\n",
        encoding="utf-8",
    )
    first = apply_changes(doclib, doc, by="A. Reader", date="2023-01-05")
    outcome = {r.change.old: r.outcome for r in first.results}
    assert outcome == {"4096": "applied", "C4": "recorded", "cats": "skipped"}
    lib = claimtrack.open(doclib.root)
    claim = lib.claims["cdv2-context-window"]
    assert claim.statement == "code-davinci-002 has a context window of 8192 tokens."
    last = claim.revisions[-1]
    assert (last.old, last.new, last.by, last.date, last.kind) == (
        "4096",
        "8192",
        "A. Reader",
        dt.date(2023, 1, 5),
        RevisionKind.CORRECTION,
    )
    assert last.reason == "imported from doc.md line 1"
    second = apply_changes(lib, doc, by="A. Reader")
    assert {r.change.old: r.outcome for r in second.results} == {"4096": "recorded", "C4": "recorded", "cats": "skipped"}
    assert len(claimtrack.open(doclib.root).claims["cdv2-context-window"].revisions) == len(claim.revisions)


def test_apply_skips_an_old_text_that_is_gone(doclib: claimtrack.Library, tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("code-davinci-002 has a context window ~~2048~~ **16384**.\n", encoding="utf-8")
    result = import_changes(doclib, doc)
    assert result.changes[0].claim == "cdv2-context-window"
    (applied,) = apply_changes(doclib, result).results
    assert applied.outcome == "skipped" and "'2048' does not occur" in applied.reason
    # the same change to the wording the statement has already is recorded, not skipped
    doc.write_text("code-davinci-002 has a context window ~~2048~~ **4096**.\n", encoding="utf-8")
    (applied,) = apply_changes(doclib, doc).results
    assert applied.outcome == "recorded" and "says '4096' already, since revision 0" in applied.reason


def test_apply_credits_and_dates(doclib: claimtrack.Library) -> None:
    lib = doclib
    lib.revise(
        "text-davinci-001-cot",
        statement="text-davinci-001 cannot do CoT.",
        reason="reset for the test",
        by="T",
        date="2023-01-02",
    )
    result = apply_changes(lib, DATA / "tracked.md", by="T")
    cot = next(r for r in result.results if r.change.old == "cannot do CoT")
    assert cot.outcome == "recorded"  # the first correction, same old and new, is still in the history
    update = next(r for r in result.results if r.change.kind is RevisionKind.UPDATE)
    assert update.outcome == "skipped"
    unmatched = next(r for r in result.results if r.change.old == "175B")
    assert unmatched.reason == "no claim matched this sentence"


def test_an_update_is_not_applied_as_a_span_edit(doclib: claimtrack.Library, tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "Released on Dec 11, 2022.\n\nIf the answer is already in the initial GPT-3, then these abilities might be partially in OPT "
        "[update Dec 23: Meta have already done it].\n",
        encoding="utf-8",
    )
    (applied,) = apply_changes(doclib, doc).results
    assert applied.change.claim == "abilities-in-opt" and applied.change.date == dt.date(2022, 12, 23)
    assert applied.outcome == "skipped" and "adds text without replacing any" in applied.reason


@pytest.mark.skipif(not ARTICLE.exists(), reason="shared seed article not available")
def test_the_article() -> None:
    result = import_changes(None, ARTICLE)
    found = [(c.kind.value, c.old, c.new, c.credited, c.date) for c in result.changes]
    assert ("correction", "4096", "8192", None, None) in found
    assert ("correction", "C4", "Common Crawl", None, None) in found
    assert ("correction", "cannot do CoT", "can do CoT but the performance is significantly worse", "Denny Zhou", None) in found
    assert found.count(("correction", "only", "mainly", None, None)) == 2
    assert ("correction", "should also be in OPT", "might be partially in OPT", None, None) in found
    assert ("update", None, "Meta have already done it", None, dt.date(2022, 12, 23)) in found
    rlhf = next(c for c in result.changes if c.old and c.old.startswith("We are not sure"))
    assert rlhf.old == "We are not sure if this is also a side product of RLHF or something else."
    assert (
        rlhf.new == "According to the instructGPT paper, this is from the LM-mixing during the RL tuning stage (not RLHF itself)."
    )
    bloom = next(c for c in result.changes if c.old and c.old.startswith("do not know"))
    assert bloom.old == "do not know. Do contact me if you have more comments"
    assert bloom.new.startswith("Probably did not train with enough steps given their reported numbers")
    assert len(result.changes) == 9
    assert {c.line for c in result.changes} == {104, 121, 130, 135, 136, 180, 264}


@pytest.mark.skipif(not ARTICLE.exists(), reason="shared seed article not available")
def test_the_article_matches_the_test_claims() -> None:
    result = import_changes(claims(), ARTICLE)
    by_old = {c.old: c.claim for c in result.changes}
    assert by_old["C4"] == "gpt3-pretraining-corpus"
    assert by_old["4096"] == "cdv2-context-window"
    assert by_old["cannot do CoT"] == "text-davinci-001-cot"
    assert by_old["should also be in OPT"] == "abilities-in-opt"


def test_recorded_in_other_words(doclib: claimtrack.Library, tmp_path: Path) -> None:
    # the test claim records "should also be in OPT" with the same words; a shorter struck span is the same change
    doc = tmp_path / "doc.md"
    doc.write_text(
        "If the answer is already in the initial GPT-3, then these abilities ~~should also~~ might be partially in OPT.\n"
    )
    result = import_changes(doclib, doc)
    assert [(c.old, c.new, c.claim) for c in result.changes] == [("should also", "might be partially in OPT", "abilities-in-opt")]
    (applied,) = apply_changes(doclib, result).results
    assert applied.outcome == "recorded" and "in other words" in applied.reason


def test_skip_reason_names_the_revision_that_replaced_the_wording(doclib: claimtrack.Library, tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("The initial GPT-3 is trained on ~~C4~~ The Pile 2016 - 2019.\n", encoding="utf-8")
    (applied,) = apply_changes(doclib, doc).results
    assert applied.outcome == "skipped"
    assert applied.reason == "'C4' is no longer in the statement: revision 1 (correction, 2023-01-01) replaced that wording"


@pytest.mark.parametrize(
    ("markdown", "old", "new"),
    [
        pytest.param("It has ~~4096~~ **8192** tokens.", "4096", "8192", id="bold-new"),
        pytest.param("It has ~~4096~~ *8192 tokens* now.", "4096", "8192 tokens", id="italic-new"),
        pytest.param("It has **~~4096~~ 8192 tokens** now.", "4096", "8192 tokens", id="strike-inside-bold"),
        pytest.param("It was code-~~only~~mainly trained.", "only", "mainly", id="inside-a-word"),
        pytest.param("Trained on ~~C4~~ Common Crawl 2016 - 2019.", "C4", "Common Crawl", id="name"),
        pytest.param("Trained on ~~C4~~ the web, mostly.", "C4", "the web", id="name-to-phrase"),
        pytest.param("It ~~cannot do CoT~~ can do CoT; worse.", "cannot do CoT", "can do CoT", id="phrase"),
        pytest.param("~~Unknown.~~ Known now. More text.", "Unknown.", "Known now.", id="sentence"),
        pytest.param("Nothing follows ~~this~~", "this", "", id="nothing-after"),
    ],
)
def test_new_span_heuristics(tmp_path: Path, markdown: str, old: str, new: str) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(markdown + "\n", encoding="utf-8")
    (change,) = import_changes(None, doc).changes
    assert (change.old, change.new) == (old, new)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("GPT-3 was trained on ~~C4~~ Common Crawl data from 2016 to 2019 (corrected by Denny Zhou).\n", id="in"),
        pytest.param("GPT-3 was trained on ~~C4~~ Common Crawl data from 2016 to 2019. (corrected by Denny Zhou)\n", id="after"),
    ],
)
def test_a_credit_after_the_sentence_credits_its_change(tmp_path, text) -> None:
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    (change,) = import_changes(None, tmp_path / "a.md").changes
    assert (change.old, change.new, change.credited) == ("C4", "Common Crawl", "Denny Zhou")
    assert change.sentence == "GPT-3 was trained on Common Crawl data from 2016 to 2019."


def test_a_credit_after_a_later_sentence_is_not_taken(tmp_path) -> None:
    text = "GPT-3 was trained on ~~C4~~ Common Crawl data. The window is ~~4096~~ 8192 tokens (corrected by A. Reader).\n"
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    assert [(c.old, c.credited) for c in import_changes(None, tmp_path / "a.md").changes] == [("C4", None), ("4096", "A. Reader")]
