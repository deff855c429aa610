from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings

from claimtrack import ClaimFileError
from claimtrack.codec import claim_from_raw, claim_to_raw
from strategies import claims


def _raw(**extra: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "id": "c1",
        "statement": "S",
        "confidence": "hypothesis",
        "revisions": [
            {"date": dt.date(2022, 12, 11), "kind": "created", "by": "A", "statement": "S", "confidence": "hypothesis"}
        ],
    }
    raw.update(extra)
    return raw


def test_minimal_claim() -> None:
    claim = claim_from_raw(_raw())
    assert claim.statement == "S" and claim.revisions[0].statement == "S" and claim.status.value == "active"


@pytest.mark.parametrize(
    ("raw", "key", "text"),
    [
        pytest.param(_raw(colour="red"), "colour", "is not a known key", id="unknown-key"),
        pytest.param(_raw(statement=["x"]), "statement", "must be a string", id="wrong-type"),
        pytest.param(_raw(statement=42), "statement", "must be a string, not int", id="statement-a-number"),
        pytest.param(_raw(confidence=1.5), "confidence", "must be a string, not float", id="confidence-a-number"),
        pytest.param(
            _raw(revisions=[{"date": dt.date(2022, 1, 1), "kind": "created", "by": 7, "statement": "S", "confidence": "c"}]),
            "revisions[0].by",
            "must be a string, not int",
            id="revision-by-a-number",
        ),
        pytest.param(_raw(tags="x"), "tags", "must be a list of strings", id="tags-not-list"),
        pytest.param(_raw(status="gone"), "status", "is not valid", id="bad-status"),
        pytest.param(_raw(id="../x"), "id", "is not a valid claim id", id="bad-id"),
        pytest.param(_raw(evidence=[{"stance": "supports"}]), "evidence[0].source", "is missing", id="evidence-without-source"),
        pytest.param(
            _raw(evidence=[{"source": "k", "stance": "agrees"}]), "evidence[0].stance", "is not a stance", id="bad-stance"
        ),
        pytest.param(_raw(revisions=[]), "revisions", "is missing", id="no-history"),
        pytest.param(
            _raw(revisions=[{"date": "someday", "kind": "created", "statement": "S", "confidence": "c"}]),
            "revisions[0].date",
            "is not a date",
            id="bad-date",
        ),
        pytest.param(
            _raw(revisions=[{"date": dt.date(2022, 1, 1), "kind": "correction", "reason": "r"}]),
            "revisions[0].kind",
            "the first revision must be",
            id="no-created",
        ),
    ],
)
def test_problems_name_the_key(raw: dict[str, Any], key: str, text: str) -> None:
    with pytest.raises(ClaimFileError) as info:
        claim_from_raw(raw, file="claims/c1.toml")
    assert info.value.key == key
    assert text in str(info.value)
    assert str(info.value).startswith("claims/c1.toml: ")


def test_a_fact_value_may_be_a_number() -> None:
    claim = claim_from_raw(_raw(facts=[{"subject": "GPT-3", "property": "context window", "value": 2048}]))
    assert claim.facts[0].value == "2048"


def test_every_problem_is_collected() -> None:
    with pytest.raises(ClaimFileError) as info:
        claim_from_raw(_raw(colour="red", tags=3, status="gone"))
    assert {p.key for p in info.value.problems} == {"colour", "tags", "status"}
    assert "and 2 more problems" in str(info.value)


def test_id_must_match_file_name() -> None:
    with pytest.raises(ClaimFileError, match="does not match the file name"):
        claim_from_raw(_raw(), expected_id="other")


@settings(max_examples=60, deadline=None)
@given(claims())
def test_raw_round_trip(claim: Any) -> None:
    assert claim_from_raw(claim_to_raw(claim)) == claim


def test_a_record_repeated_in_a_file_is_one_object_kept_through_a_pickle() -> None:
    import pickle
    import tomllib
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "claims" / "001-models-code-or-text.toml").read_text(encoding="utf-8")
    claim = claim_from_raw(tomllib.loads(text))
    created, *later = claim.revisions
    assert created.set_evidence is not None and created.set_appearances is not None
    assert claim.evidence[0] is created.set_evidence[0]  # the same evidence, read twice
    assert claim.tags is created.set_tags and claim.tags
    adding = [r for r in later if r.add_appearances]  # the corrections of the wording (later reviews add nothing)
    assert adding[-1].add_appearances[0] is claim.appearances[0]
    assert claim.appearances[0] is not created.set_appearances[0]  # the wording changed: another record
    assert claim.appearances[0] != created.set_appearances[0]
    again = pickle.loads(pickle.dumps(claim))
    assert again == claim and again.evidence[0] is again.revisions[0].set_evidence[0]  # type: ignore[index]
