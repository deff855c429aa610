"""The audit and notices: retracted-source, source-correction, expression-of-concern, retraction-signal, support, review."""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs
import pytest

import claimtrack
from claimtrack.audit import audit
from claimtrack.audit.notices import signal_of
from claimtrack.model import Evidence, Ignore
from claimtrack.store import render_claim

DATA = Path(__file__).resolve().parent / "data" / "notices"
RW, CROSSREF, OPENALEX = DATA / "retraction_watch.csv", DATA / "crossref.jsonl", DATA / "openalex.jsonl"
BY = "A. Author"


@pytest.fixture
def noticed(tmp_path: Path) -> claimtrack.Library:
    """Claims citing a retracted, a corrected and a concerned source; one resting on them; notices imported."""
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(DATA / "references.bib", root / "references.bib")
    lib = claimtrack.open(root)
    lib.add(
        "widgets-scale",
        "Sparse mixtures of widgets scale reasoning.",
        confidence="conclusion",
        evidence=[
            Evidence("example2021widgets", locator="Figure 3"),
            Evidence("sound2020result"),
            Evidence("sample2022benchmark", locator="Table 2"),
            Evidence("widget2022concern"),
        ],
        by=BY,
        date="2022-01-01",
    )
    lib.add("more-widgets", "More widgets reason better.", depends_on=["widgets-scale"], by=BY, date="2022-02-01",
            evidence=[Evidence("sound2020result")])  # fmt: skip
    lib.add("thin", "Widgets are sparse.", confidence="conclusion", by=BY, date="2022-01-01",
            evidence=[Evidence("example2021widgets"), Evidence("sound2020result")])  # fmt: skip
    lib.add("only-retracted", "Widgets are sparse, probably.", confidence="hypothesis", by=BY, date="2022-01-01",
            evidence=[Evidence("example2021widgets")])  # fmt: skip
    lib.import_notices([RW, CROSSREF], by=BY, date="2026-12-01")
    return claimtrack.open(root)


def _by_rule(lib: claimtrack.Library) -> dict[str, list[claimtrack.Finding]]:
    found: dict[str, list[claimtrack.Finding]] = {}
    for finding in audit(claimtrack.open(lib.root)):
        found.setdefault(finding.rule, []).append(finding)
    return found


def test_retracted_source_is_an_error_on_every_claim_citing_it_as_support(noticed):
    found = _by_rule(noticed)
    retracted = found["retracted-source"]
    assert sorted(f.claim for f in retracted) == ["only-retracted", "thin", "widgets-scale"]
    first = next(f for f in retracted if f.claim == "widgets-scale")
    assert first.severity == "error" and first.source == "example2021widgets"
    assert first.message == (
        "cites 'example2021widgets' as support, which was retracted on 2023-03-14 "
        "(Retraction Watch record 40001, notice 10.5555/jer.2023.retr.1)"
    )
    assert first.file == "claims/widgets-scale.toml" and first.line is not None
    assert claimtrack.audit_all(claimtrack.open(noticed.root)).failed()


def test_support_is_counted_without_retracted_sources(noticed):
    found = _by_rule(noticed)
    (under,) = found["under-supported"]
    assert under.claim == "thin"
    assert under.message == "a conclusion needs 2 supporting sources; it has 1 (retracted, so not counted: example2021widgets)"
    (unsupported,) = found["unsupported"]
    assert unsupported.claim == "only-retracted"
    assert unsupported.message.endswith("none supports it (retracted, so not counted: example2021widgets)")
    # Three sources still stand under widgets-scale: enough for a conclusion.
    assert "widgets-scale" not in {f.claim for f in found["under-supported"]}


def test_the_claims_resting_on_a_weakened_claim_need_review(noticed):
    (review,) = _by_rule(noticed)["needs-review"]
    assert review.claim == "more-widgets" and review.severity == "warning"
    assert review.message.startswith(
        "rests on 'widgets-scale', whose supporting source 'example2021widgets' was retracted on 2023-03-14"
    )
    noticed.review("more-widgets", reason="re-read against the retraction", by=BY, date="2026-12-02")
    assert "needs-review" not in _by_rule(noticed)


def test_a_dependent_reviewed_after_the_notice_is_not_flagged(noticed):
    noticed.review("more-widgets", reason="checked", by=BY, date="2023-03-14")  # the same day counts as after
    assert "needs-review" not in _by_rule(noticed)


def test_needs_review_is_not_given_twice(noticed):
    noticed.revise("widgets-scale", old="Sparse", new="Large sparse", reason="wider", by=BY, date="2022-06-01")
    (review,) = _by_rule(noticed)["needs-review"]
    assert review.message.startswith("rests on 'widgets-scale', which was changed on 2022-06-01")


def test_correction_and_concern_are_warnings_until_reviewed(noticed):
    found = _by_rule(noticed)
    (correction,) = found["source-correction"]  # Retraction Watch and Crossref both list it: one finding
    assert (correction.claim, correction.source, correction.severity) == ("widgets-scale", "sample2022benchmark", "warning")
    assert correction.message.startswith("cites 'sample2022benchmark' (Table 2), which was corrected on 2022-09-01")
    assert "the locator you cite (Table 2)" in correction.hint
    (concern,) = found["expression-of-concern"]
    assert (concern.claim, concern.source, concern.severity) == ("widgets-scale", "widget2022concern", "warning")
    assert "the subject of an expression of concern on 2023-06-01 (Crossref 10.5555/ecr.2023.eoc.1)" in concern.message
    noticed.review("widgets-scale", reason="Table 2 and the concern re-read", by=BY, date="2023-07-01")
    after = _by_rule(noticed)
    assert "source-correction" not in after and "expression-of-concern" not in after
    assert [f.claim for f in after["retracted-source"]].count("widgets-scale") == 1  # a review does not undo a retraction


def test_a_claim_made_after_the_correction_is_not_flagged(noticed):
    noticed.add("later", "The benchmark holds.", evidence=[Evidence("sample2022benchmark")], by=BY, date="2022-10-01")
    assert {f.claim for f in _by_rule(noticed)["source-correction"]} == {"widgets-scale"}


def test_stances_and_status(noticed):
    noticed.add("against", "Widgets do not scale.", evidence=[Evidence("sample2022benchmark", stance="contradicts", note="old")],
                by=BY, date="2022-01-01")  # fmt: skip
    noticed.add(
        "mention", "Widgets exist.", evidence=[Evidence("example2021widgets", stance="mentions")], by=BY, date="2022-01-01"
    )
    noticed.retract("only-retracted", reason="its only source was retracted", by=BY, date="2026-12-02")
    found = _by_rule(noticed)
    assert {f.claim for f in found["source-correction"]} == {"widgets-scale", "against"}
    corrected = next(f for f in found["source-correction"] if f.claim == "against")
    assert corrected.message.startswith("cites 'sample2022benchmark' (contradicts), which was corrected")
    assert "mention" not in {f.claim for f in found["retracted-source"]}  # mentioning a retracted paper is fine
    assert "only-retracted" not in {f.claim for fs in found.values() for f in fs}  # an ended claim asks nothing


def test_without_notices_the_audit_is_unchanged(tmp_path):
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(DATA / "references.bib", root / "references.bib")
    lib = claimtrack.open(root)
    lib.add("thin", "Widgets are sparse.", confidence="conclusion", by=BY, date="2022-01-01",
            evidence=[Evidence("example2021widgets"), Evidence("sound2020result")])  # fmt: skip
    rules = {f.rule for f in audit(claimtrack.open(root))}
    assert not rules & {"retracted-source", "under-supported", "source-correction", "expression-of-concern", "needs-review"}


def test_a_broken_notices_file_stops_the_audit_with_one_line(noticed):
    (noticed.root / "notices.toml").write_text("[[notice]]\nsource = 3\n", encoding="utf-8")
    with pytest.raises(claimtrack.ClaimtrackError, match=r"^notices\.toml:1: notice\[0\]\.kind: is missing"):
        audit(claimtrack.open(noticed.root))


# -- signals from the entry itself ---------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, expected",
    [
        pytest.param({"title": "Retracted: A Study"}, "the title reads 'Retracted: A Study'", id="retracted-colon"),
        pytest.param({"title": "[RETRACTED] A Study"}, "the title reads '[RETRACTED] A Study'", id="bracketed"),
        pytest.param({"title": "{Withdrawn}: A Study"}, "the title reads 'Withdrawn: A Study'", id="withdrawn-braced"),
        pytest.param({"title": "RETRACTED ARTICLE: A Study"}, "the title reads 'RETRACTED ARTICLE: A Study'", id="springer"),
        pytest.param({"title": "A Study", "note": "This paper has been withdrawn by the author."}, "its note reads", id="note"),
        pytest.param({"title": "A Study", "annote": "Retracted in 2021"}, "its annote reads 'Retracted in 2021'", id="annote"),
        pytest.param({"title": "Retracted Papers in Science: A Survey"}, None, id="title-about-retractions"),
        pytest.param({"title": "On Withdrawal Symptoms", "note": "Published version"}, None, id="no-signal"),
    ],
)
def test_signal_of(fields, expected):
    signal = signal_of(fields)
    assert (signal is None) if expected is None else (signal is not None and signal.startswith(expected)), signal


def test_signals_are_warnings_on_supporting_claims_only(noticed):
    noticed.add("signals", "Two shaky sources.", by=BY, date="2022-01-01",
                evidence=[Evidence("titled2019retracted"), Evidence("withdrawn2024preprint"), Evidence("sound2020result")])  # fmt: skip
    noticed.add(
        "mentions-only", "Mentioned.", evidence=[Evidence("titled2019retracted", stance="mentions")], by=BY, date="2022-01-01"
    )
    found = _by_rule(noticed)["retraction-signal"]
    assert sorted((f.claim, f.source, f.severity) for f in found) == [
        ("signals", "titled2019retracted", "warning"),
        ("signals", "withdrawn2024preprint", "warning"),
    ]


def test_a_notice_takes_the_place_of_the_signal(noticed):
    bib = noticed.root / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("{Sparse Mixtures", "{Retracted: Sparse Mixtures"), encoding="utf-8")
    found = _by_rule(noticed)
    assert "retraction-signal" not in found and found["retracted-source"]


def test_ignore_answers_a_retracted_source(noticed):
    claim = noticed.claims["thin"]
    ignore = (Ignore("retracted-source", "the retraction concerns Figure 9 only"),)
    (noticed.root / "claims" / "thin.toml").write_text(render_claim(attrs.evolve(claim, ignore=ignore)), encoding="utf-8")
    result = claimtrack.audit_all(claimtrack.open(noticed.root))
    assert [i.finding.claim for i in result.ignored if i.finding.rule == "retracted-source"] == ["thin"]
    assert "thin" not in {f.claim for f in result.findings if f.rule == "retracted-source"}
