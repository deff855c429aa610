"""`revise` with several --old/--new pairs: one span edit each, in order, written together or not at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.history import first_broken_seal, replay

STATEMENT = "ChestX-ray8 has 108,948 images from 32,717 patients."


@pytest.fixture
def lib(tmp_path: Path) -> claimtrack.Library:
    lib = claimtrack.open(claimtrack.init(tmp_path / "lib"))
    lib.add("chestx", STATEMENT, by="A", date="2022-12-01")
    return lib


def _run(lib: claimtrack.Library, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(lib.root), *args])
    return result.exit_code, result.stdout, result.stderr


def test_two_pairs_change_both_spans(lib: claimtrack.Library) -> None:
    code, out, err = _run(
        lib, "revise", "chestx", "--old", "108,948", "--new", "112,120", "--old", "32,717", "--new", "30,805",
        "--reason", "the paper's second version", "--credit", "A. Reader", "--by", "A", "--date", "2022-12-02",
    )  # fmt: skip
    assert code == 0, err
    assert out == "chestx: correction: ~~108,948~~ 112,120\nchestx: correction: ~~32,717~~ 30,805\n"
    claim = claimtrack.open(lib.root).claim("chestx")
    assert claim.statement == "ChestX-ray8 has 112,120 images from 30,805 patients."
    first, second = claim.revisions[1:]
    assert (first.old, first.new, second.old, second.new) == ("108,948", "112,120", "32,717", "30,805")
    for revision in (first, second):
        assert (revision.date.isoformat(), revision.reason, revision.credited) == (
            "2022-12-02",
            "the paper's second version",
            "A. Reader",
        )
    assert replay(claim) == claim and first_broken_seal(claim.revisions) is None
    _, out, _ = _run(lib, "audit", "--format", "json")
    assert {f["rule"] for f in json.loads(out)["findings"]} == {"unsupported"}  # no history or seal finding


def test_the_pairs_apply_in_order_each_to_what_the_last_left(lib: claimtrack.Library) -> None:
    claim = lib.revise("chestx", old=["108,948", "112,120 images"], new=["112,120", "112,120 scans"], reason="r", by="A")
    assert claim.statement == "ChestX-ray8 has 112,120 scans from 32,717 patients."


def test_a_pair_that_does_not_apply_writes_nothing(lib: claimtrack.Library) -> None:
    before = (lib.root / "claims" / "chestx.toml").read_bytes()
    code, out, err = _run(
        lib, "revise", "chestx", "--old", "108,948", "--new", "112,120", "--old", "nowhere", "--new", "x",
        "--reason", "r", "--by", "A",
    )  # fmt: skip
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "'nowhere' does not occur in the statement 'ChestX-ray8 has 112,120 images from 32,717 patients.'" in err
    assert (lib.root / "claims" / "chestx.toml").read_bytes() == before


def test_unpaired_old_and_new_are_refused(lib: claimtrack.Library) -> None:
    code, _, err = _run(lib, "revise", "chestx", "--old", "108,948", "--new", "1", "--old", "32,717", "--reason", "r")
    assert (code, err) == (
        2,
        "error: chestx: each --old needs its --new: got 2 --old and 1 --new; pass them in pairs, --old A --new B "
        "--old C --new D\n",
    )
    with pytest.raises(claimtrack.HistoryError, match="span edits or a whole statement"):
        lib.revise("chestx", old=["a", "b"], new=["c", "d"], statement="S.", reason="r")
    with pytest.raises(claimtrack.HistoryError, match="no span to change"):
        lib.revise("chestx", old=[], new=[], reason="r")
    with pytest.raises(claimtrack.HistoryError, match="must be text, not int"):
        lib.revise("chestx", old=["108,948", 32], new=["1", "2"], reason="r")  # type: ignore[list-item]


def test_a_confidence_goes_with_the_last_span(lib: claimtrack.Library) -> None:
    claim = lib.revise("chestx", old=["108,948", "32,717"], new=["1", "2"], confidence="conclusion", reason="r", by="A")
    assert [r.confidence for r in claim.revisions[1:]] == [None, "conclusion"]
    assert claim.confidence == "conclusion"


def test_one_pair_is_the_plain_span_edit(lib: claimtrack.Library) -> None:
    code, out, err = _run(lib, "revise", "chestx", "--old", "108,948", "--new", "112,120", "--reason", "r", "--by", "A")
    assert code == 0, err
    assert out == "chestx: correction: ~~108,948~~ 112,120\n"
    assert len(claimtrack.open(lib.root).claim("chestx").revisions) == 2
