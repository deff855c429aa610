from __future__ import annotations

import datetime as dt

import pytest

from claimtrack import ClaimtrackError, InvalidIdError
from claimtrack.model import DEFAULT_SCALE, Claim, Evidence, Fact, RevisionKind, Stance, to_date, validate_id


@pytest.mark.parametrize("good", ["a", "gpt3-pretraining-corpus", "x1-2-3", "a" * 80])
def test_valid_ids(good: str) -> None:
    assert validate_id(good) == good


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param("../x", id="dotdot"),
        pytest.param("x/y", id="slash"),
        pytest.param("A B", id="space-upper"),
        pytest.param("Upper", id="upper"),
        pytest.param("a--b", id="double-hyphen"),
        pytest.param("-a", id="leading-hyphen"),
        pytest.param("a-", id="trailing-hyphen"),
        pytest.param("", id="empty"),
        pytest.param("a" * 81, id="too-long"),
        pytest.param("é", id="non-ascii"),
    ],
)
def test_invalid_ids_are_refused(bad: str) -> None:
    with pytest.raises(InvalidIdError) as info:
        validate_id(bad)
    assert isinstance(info.value, ValueError) and isinstance(info.value, ClaimtrackError)
    assert "\n" not in str(info.value)


def test_claim_validates_its_id() -> None:
    with pytest.raises(InvalidIdError):
        Claim(id="../evil", statement="x", confidence="hypothesis")


def test_records_are_frozen() -> None:
    fact = Fact("GPT-3", "parameters", "175B")
    with pytest.raises(AttributeError):
        fact.value = "1"  # type: ignore[misc]


def test_fact_key_folds_case_and_space() -> None:
    assert Fact("PaLM ", "Share of  code", "5%").key == Fact("palm", "share of code", "8%").key


def test_evidence_claim_reference() -> None:
    assert Evidence("claim:gpt3-corpus").claim_id == "gpt3-corpus"
    assert Evidence("brown2020").claim_id is None
    assert Evidence("x", stance="contradicts").stance is Stance.CONTRADICTS


def test_default_scale_is_the_articles() -> None:
    assert DEFAULT_SCALE.names == ("conclusion", "hypothesis", "educated-guess")
    assert [DEFAULT_SCALE[n].min_support for n in DEFAULT_SCALE.names] == [2, 1, 0]
    assert DEFAULT_SCALE.rank("educated-guess") > DEFAULT_SCALE.rank("conclusion")


def test_reason_is_required_except_for_created_and_editorial() -> None:
    assert {k for k in RevisionKind if not k.needs_reason} == {RevisionKind.CREATED, RevisionKind.EDITORIAL}


def test_to_date() -> None:
    assert to_date("2022-12-11") == dt.date(2022, 12, 11)
    assert to_date(dt.datetime(2022, 12, 11, 5)) == dt.date(2022, 12, 11)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        to_date("Dec 11")


def test_folded_text_is_the_text_itself_when_folding_changes_nothing() -> None:
    from claimtrack.model import Fact, folded

    text = "".join(["context", " window"])  # a string of its own, not a constant shared by the compiler
    assert folded(text) is text
    assert folded("Context  Window\n") == "context window"
    fact = Fact("model 7", "Context window", "16384")
    assert fact.key == ("model 7", "context window") and fact.key[0] is fact.subject
