"""Calibration: what became of each confidence level's claims, against a count made by hand."""

from __future__ import annotations

import re

import pytest

import claimtrack
import claimtrack.report as report
from claimtrack.changelog.calibration import calibration, outcomes

BY = "A. Author"


@pytest.fixture
def graded(lib: claimtrack.Library) -> claimtrack.Library:
    """Five claims whose fates are known: see each comment."""
    for cid, level in [
        ("a", "conclusion"),
        ("b", "conclusion"),
        ("c", "hypothesis"),
        ("d", "educated-guess"),
        ("e", "conclusion"),
    ]:
        lib.add(cid, f"Claim {cid} holds at 10 units.", confidence=level, by=BY, date="2022-01-01")
    # a: a conclusion corrected after 10 days
    lib.revise("a", old="10", new="12", reason="measured again", by=BY, date="2022-01-11")
    # b: a conclusion hedged to a hypothesis after 20 days, then retracted 30 days later
    lib.revise("b", confidence="hypothesis", kind="hedge", reason="one source only", by=BY, date="2022-01-21")
    lib.retract("b", reason="the source was wrong", by=BY, date="2022-02-20")
    # c: a hypothesis left alone; e: a conclusion only reviewed
    lib.review("e", reason="checked again", by=BY, date="2022-03-01")
    # d: an educated guess strengthened to a hypothesis after 4 days, then left alone
    lib.revise("d", confidence="hypothesis", kind="strengthen", reason="a second study", by=BY, date="2022-01-05")
    return claimtrack.open(lib.root)


def test_outcomes_of_one_claim(graded: claimtrack.Library) -> None:
    b = outcomes(graded.claims["b"])
    assert [(level, kind and kind.value, days) for level, kind, days in b] == [
        ("conclusion", "hedge", 20),
        ("hypothesis", "retraction", 30),
    ]
    assert outcomes(graded.claims["e"]) == [("conclusion", None, None)]


def test_calibration_matches_a_hand_count(graded: claimtrack.Library) -> None:
    rows = {row.confidence: row.as_dict() for row in calibration(graded)}
    assert list(rows) == ["conclusion", "hypothesis", "educated-guess"]
    assert rows["conclusion"] == {
        "confidence": "conclusion", "claims": 3, "corrected": 1, "hedged": 1, "retracted": 0, "strengthened": 0,
        "median_days": 15.0, "changed": 2, "share": pytest.approx(2 / 3),
    }  # fmt: skip
    # b (from its hedge), c and d (from its strengthening) have been hypotheses; b was retracted after 30 days.
    assert (rows["hypothesis"]["claims"], rows["hypothesis"]["retracted"], rows["hypothesis"]["changed"]) == (3, 1, 1)
    assert rows["hypothesis"]["median_days"] == 30.0
    assert (rows["educated-guess"]["claims"], rows["educated-guess"]["strengthened"]) == (1, 1)
    assert rows["educated-guess"]["median_days"] == 4.0


def test_calibration_frame(graded: claimtrack.Library) -> None:
    frame = graded.frames()["calibration"]
    assert list(frame["confidence"].astype(str)) == ["conclusion", "hypothesis", "educated-guess"]
    assert list(frame["claims"]) == [3, 3, 1] and list(frame["changed"]) == [2, 1, 1]
    assert list(frame["median_days"]) == [15.0, 30.0, 4.0]
    assert frame["confidence"].dtype.ordered


def test_a_level_no_claim_held_is_left_out(lib: claimtrack.Library) -> None:
    lib.add("only", "One claim.", confidence="hypothesis", by=BY, date="2022-01-01")
    assert [row.confidence for row in calibration(claimtrack.open(lib.root))] == ["hypothesis"]
    assert calibration(claimtrack.open(lib.root))[0].median_days is None


def test_report_shows_the_chart_and_the_table(graded: claimtrack.Library) -> None:
    page = report.render(graded, ["html"])["index.html"]
    figure = page[page.index('<figure id="calibration">') : page.index("</figure>", page.index('<figure id="calibration">'))]
    assert "<svg" in figure and "conclusion: 1 of 3 claims corrected (33%)" in figure
    row = re.search(r'<tr><th scope="row">conclusion</th>(.*?)</tr>', figure)
    assert row is not None
    assert re.sub(r"<[^>]+>", " ", row.group(1)).split() == [
        "3", "1", "(33%)", "1", "(33%)", "0", "(0%)", "0", "(0%)", "2", "(67%)", "15",
    ]  # fmt: skip
