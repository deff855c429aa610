from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

import claimtrack
from claimtrack import ClaimNotFoundError, ClaimtrackError, HistoryError, LibraryNotFoundError, SourceNotFoundError
from claimtrack.history import first_broken_seal, replay
from claimtrack.model import RevisionKind, Stance, Status


def test_open_discovers_the_library_from_below(cdv2: claimtrack.Library) -> None:
    nested = cdv2.root / "claims"
    assert claimtrack.open(nested).root == cdv2.root


def test_open_outside_a_library(tmp_path: Path) -> None:
    with pytest.raises(LibraryNotFoundError, match="run `claimtrack init`"):
        claimtrack.open(tmp_path)


def test_init_twice_is_refused(lib: claimtrack.Library) -> None:
    with pytest.raises(ClaimtrackError, match="already a claims library"):
        claimtrack.init(lib.root)


def test_the_claim_as_of_before_and_after(cdv2: claimtrack.Library) -> None:
    claim = cdv2.claims["cdv2-context"]
    assert claim.statement == "code-davinci-002 has a context window of 8192 tokens."
    assert "4096" in claim.as_of("2022-12-12").statement  # type: ignore[union-attr]
    correction = claim.revisions[-1]
    assert correction.kind is RevisionKind.CORRECTION and correction.credited == "A. Reader"
    assert claim.evidence[0].source == "chen2021codex" and claim.evidence[0].stance is Stance.SUPPORTS


def test_confidence_change_kind_follows_the_scale(cdv2: claimtrack.Library) -> None:
    hedged = cdv2.revise("cdv2-context", confidence="hypothesis", reason="one source only", by="x", date="2022-12-20")
    assert hedged.revisions[-1].kind is RevisionKind.HEDGE and hedged.confidence == "hypothesis"
    stronger = cdv2.revise("cdv2-context", confidence="conclusion", reason="second source", by="x", date="2022-12-21")
    assert stronger.revisions[-1].kind is RevisionKind.STRENGTHEN


def test_whole_statement_and_retraction(cdv2: claimtrack.Library) -> None:
    cdv2.revise(
        "cdv2-context",
        statement="code-davinci-002 reads 8192 tokens at once.",
        kind="clarification",
        reason="plainer",
        by="x",
        date="2022-12-20",
    )
    retracted = cdv2.retract("cdv2-context", reason="out of scope", by="x", date="2022-12-21")
    assert retracted.status is Status.RETRACTED and retracted.confidence == "conclusion"
    with pytest.raises(HistoryError, match="already retracted"):
        cdv2.retract("cdv2-context", reason="again", by="x", date="2022-12-22")
    assert replay(retracted) == retracted


def test_supersede_needs_an_existing_successor(cdv2: claimtrack.Library) -> None:
    with pytest.raises(ClaimNotFoundError):
        cdv2.supersede("cdv2-context", by_claim="nothing-here", reason="r", by="x", date="2022-12-20")
    cdv2.add("cdv2-context-v2", "code-davinci-002 reads 8192 tokens.", by="x", date="2022-12-20")
    done = cdv2.supersede("cdv2-context", by_claim="cdv2-context-v2", reason="reworded", by="x", date="2022-12-20")
    assert done.status is Status.SUPERSEDED and done.superseded_by == "cdv2-context-v2"


@pytest.mark.parametrize(
    ("call", "error", "text"),
    [
        pytest.param(
            lambda lib: lib.cite("cdv2-context", "nokey"), SourceNotFoundError, "no entry 'nokey'", id="dangling-source"
        ),
        pytest.param(
            lambda lib: lib.cite("nothing", "chen2021codex"), ClaimNotFoundError, "no claim 'nothing'", id="missing-claim"
        ),
        pytest.param(
            lambda lib: lib.revise("cdv2-context", old="1234", new="1", reason="r"),
            HistoryError,
            "does not occur",
            id="span-absent",
        ),
        pytest.param(lambda lib: lib.revise("cdv2-context", old="8192", new="1"), HistoryError, "needs a reason", id="no-reason"),
        pytest.param(
            lambda lib: lib.revise("cdv2-context", confidence="sure", reason="r"),
            ClaimtrackError,
            "not a confidence level",
            id="bad-level",
        ),
        pytest.param(
            lambda lib: lib.revise("cdv2-context", old="8192", new="1", reason="r", date="2022-01-01"),
            HistoryError,
            "is before the claim was created",
            id="date-before-history",
        ),
        pytest.param(
            lambda lib: lib.add("x", "s", depends_on=["ghost"]), ClaimNotFoundError, "no claim 'ghost'", id="missing-dependency"
        ),
        pytest.param(lambda lib: lib.add("Bad Id", "s"), ClaimtrackError, "not a valid claim id", id="bad-id"),
    ],
)
def test_refused_writes_change_nothing(cdv2: claimtrack.Library, call, error, text) -> None:  # type: ignore[no-untyped-def]
    before = {p.name: p.read_bytes() for p in (cdv2.root / "claims").iterdir()}
    with pytest.raises(error, match=text):
        call(cdv2)
    assert {p.name: p.read_bytes() for p in (cdv2.root / "claims").iterdir()} == before


def test_api_errors_are_builtins_too(cdv2: claimtrack.Library) -> None:
    with pytest.raises(KeyError):
        cdv2.claims["nothing"]
    with pytest.raises(ValueError):
        cdv2.revise("cdv2-context", old="nothing", new="x", reason="r")


def test_broken_file_is_reported_not_fatal(cdv2: claimtrack.Library) -> None:
    (cdv2.root / "claims" / "broken.toml").write_text("id = \n", encoding="utf-8")
    assert list(cdv2.claims) == ["cdv2-context"]
    assert len(cdv2.claims.problems) == 1
    with pytest.raises(ClaimtrackError, match="claims/broken.toml:1"):
        cdv2.claims["broken"]
    with pytest.raises(ClaimtrackError, match="claims/broken.toml"):
        cdv2.require_readable()


def test_seal_adds_digests_to_hand_written_revisions(lib: claimtrack.Library) -> None:
    (lib.root / "claims" / "hand.toml").write_text(
        'id = "hand"\nstatement = "S"\nconfidence = "hypothesis"\n# written by hand\n\n[[revisions]]\ndate = 2022-12-11\n'
        'kind = "created"\nby = "me"\nstatement = "S"\nconfidence = "hypothesis"\n',
        encoding="utf-8",
    )
    assert lib.seal() == {"hand": 1}
    assert lib.seal() == {}
    text = (lib.root / "claims" / "hand.toml").read_text(encoding="utf-8")
    assert "# written by hand" in text and "digest = " in text


def _cite_many(root: str, worker: int, count: int) -> None:
    lib = claimtrack.open(root)
    for i in range(count):
        lib.cite("cdv2-context", "brown2020language", locator=f"worker {worker} item {i}", by=f"w{worker}", date="2022-12-18")


def test_concurrent_writers_lose_nothing(cdv2: claimtrack.Library) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_cite_many, args=(str(cdv2.root), w, 10)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(60)
        assert p.exitcode == 0
    claim = claimtrack.open(cdv2.root).claims["cdv2-context"]
    locators = [e.locator for e in claim.evidence if e.source == "brown2020language"]
    assert sorted(locators) == sorted(f"worker {w} item {i}" for w in range(4) for i in range(10))
    assert len(claim.revisions) == 3 + 40
    assert first_broken_seal(claim.revisions) is None and replay(claim) == claim


def test_claims_read_one_claim_without_loading_the_library(tmp_path: Path) -> None:
    lib = claimtrack.init(tmp_path / "lazy")
    lib = claimtrack.open(lib)
    for n in range(3):
        lib.add(f"c{n}", f"Claim {n}.", confidence="educated-guess", by="A", date="2023-01-01")
    (tmp_path / "lazy" / "claims" / "bad.toml").write_text("statement = 42\n", encoding="utf-8")
    fresh = claimtrack.open(tmp_path / "lazy")
    claims = fresh.claims
    assert claims["c1"].statement == "Claim 1." and "c2" in claims and claims.get("c0") is not None
    assert "nope" not in claims and claims.get("bad") is None and "bad" not in claims
    assert not claims.loaded  # one file read each time, nothing else
    assert fresh.claim("c1") is claims["c1"]  # the same thing
    with pytest.raises(claimtrack.ClaimNotFoundError):
        claims["nope"]
    with pytest.raises(claimtrack.ClaimtrackError) as caught:
        claims["bad"]
    assert "claims/bad.toml" in str(caught.value)
    with pytest.raises(claimtrack.ClaimtrackError):
        claims["Not An Id"]
    # Whole-library use loads every claim once, and the problems are known then.
    assert sorted(claims) == ["c0", "c1", "c2"] and claims.loaded and len(claims) == 3
    assert [p.file for p in claims.problems] == ["claims/bad.toml"]
