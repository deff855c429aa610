"""claimtrack.changes: the one place a change is put into words, as annotate, history and the corrections show it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.changes import Change, format_change, what_changed
from claimtrack.cli import main
from claimtrack.history import render_criticmarkup, render_markdown, states_before
from claimtrack.model import Appearance, Evidence, Fact, Revision

BY = "A. Author"


@pytest.fixture
def lib(tmp_path: Path) -> claimtrack.Library:
    root = claimtrack.init(tmp_path / "lib")
    (root / "references.bib").write_text("@misc{k1,\n  title = {T},\n  year = {2020}\n}\n", encoding="utf-8")
    lib = claimtrack.open(root)
    lib.add("c", "ChestX-ray8 has 108,948 images.", by=BY, date="2022-01-01", evidence=[Evidence("k1")])
    return claimtrack.open(root)


def _last(lib: claimtrack.Library) -> tuple[Revision, claimtrack.Claim | None]:
    claim = claimtrack.open(lib.root).claims["c"]
    return claim.revisions[-1], states_before(claim)[-1]


def _run(lib: claimtrack.Library, *args: str) -> str:
    result = CliRunner().invoke(main, ["--root", str(lib.root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_annotate_shows_the_note_not_the_same_evidence_twice(lib: claimtrack.Library) -> None:
    out = _run(lib, "annotate", "c", "k1", "--note", "counts the test split too", "--by", BY, "--date", "2022-02-01")
    assert out == "c: evidence: + evidence k1 note: counts the test split too (2 revisions)\n"
    out = _run(lib, "annotate", "c", "k1", "--note", "counts both splits", "--by", BY, "--date", "2022-02-02")
    assert "evidence k1 note: ~~counts the test split too~~ counts both splits" in out


def test_a_fact_corrected_shows_its_values(lib: claimtrack.Library) -> None:
    lib.fact("c", subject="ChestX-ray8", property="images", value="108,948", reason="r", by=BY, date="2022-02-01")
    lib.fact("c", subject="ChestX-ray8", property="images", value="112,120", reason="recount", by=BY, date="2022-02-02")
    revision, before = _last(lib)
    assert revision.markdown() == "ChestX-ray8 images: ~~108,948~~ 112,120"
    assert render_markdown(revision, before) == "ChestX-ray8 images: ~~108,948~~ 112,120"
    assert render_criticmarkup(revision, before) == "ChestX-ray8 images: {~~108,948~>112,120~~} {>>recount<<}"


def test_an_appearance_text_change_shows_the_texts(lib: claimtrack.Library) -> None:
    lib.appearance("c", "k1", text="It has 108,948 images.", locator="p. 2", reason="r", by=BY, date="2022-02-01")
    lib.appearance("c", "k1", text="It has 112,120 images.", locator="p. 2", reason="r", by=BY, date="2022-02-02")
    revision, _ = _last(lib)
    assert revision.markdown() == "appearance k1, p. 2 text: ~~It has 108,948 images.~~ It has 112,120 images."


def test_history_text_lists_the_evidence_keys_and_the_note(lib: claimtrack.Library) -> None:
    lib.revise("c", old="108,948", new="112,120", reason="recount", evidence=["k1"], note="checked twice", by=BY,
               date="2022-02-01")  # fmt: skip
    out = _run(lib, "history", "c")
    assert "      evidence: k1\n" in out and "      note: checked twice\n" in out


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            Fact("GPT-3", "parameters", "175B"),
            Fact("GPT-3", "parameters", "176B"),
            ["GPT-3 parameters: ~~175B~~ 176B"],
            id="fact-value",
        ),  # fmt: skip
        pytest.param(
            Fact("GPT-3", "parameters", "175B"),
            Fact("GPT-3", "parameters", "175B", note="n"),
            ["+ GPT-3 parameters note: n"],
            id="fact-note",
        ),  # fmt: skip
        pytest.param(
            Evidence("k1"),
            Evidence("k1", stance="contradicts"),
            ["evidence k1 stance: ~~supports~~ contradicts"],
            id="evidence-stance",
        ),  # fmt: skip
        pytest.param(Evidence("k1", quote="a"), Evidence("k1"), ["- evidence k1 quote: a"], id="evidence-quote-removed"),
        pytest.param(
            Appearance("d", text="a", note="x"),
            Appearance("d", text="a", note="y"),
            ["appearance d note: ~~x~~ y"],
            id="appearance-note",
        ),  # fmt: skip
        pytest.param(
            Evidence("k1"), Evidence("k2"), ["- evidence: k1 (supports)", "+ evidence: k2 (supports)"], id="different-records"
        ),  # fmt: skip
    ],
)
def test_a_record_removed_and_added_again_shows_what_differs(old: object, new: object, expected: list[str]) -> None:
    field = {Fact: "facts", Evidence: "evidence", Appearance: "appearances"}[type(old)]
    revision = Revision("2022-01-02", "correction", by=BY, reason="r", **{f"remove_{field}": (old,), f"add_{field}": (new,)})
    assert [format_change(c) for c in what_changed(revision)] == expected
    assert all(c.old != c.new for c in what_changed(revision))


def test_format_change_escapes_and_strikes_as_told() -> None:
    change = Change("facts", "<a>", "b_c", "X y")
    assert format_change(change, escape=lambda t: t.replace("<", "&lt;"), strike=lambda t: f"\\sout{{{t}}}") == (
        "X y: \\sout{&lt;a>} b_c"
    )
