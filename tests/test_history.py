from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack import HistoryError
from claimtrack.history import (
    as_of,
    diff,
    digest_of,
    first_broken_seal,
    render_criticmarkup,
    render_markdown,
    replay,
    seal,
    statement_versions,
    states_before,
    verify,
)
from claimtrack.model import Claim, Evidence, Fact, Revision, RevisionKind, Stance, Status
from strategies import claims

D = dt.date


def _claim(*later: Revision, statement: str = "GPT-3 was pretrained on C4 data from 2016 to 2019.") -> Claim:
    created = Revision(
        date=D(2022, 12, 11),
        kind="created",
        by="Yao Fu",
        statement=statement,
        confidence="conclusion",
        set_facts=(Fact("GPT-3", "pretraining corpus", "C4"),),
    )
    return replay(Claim(id="gpt3-corpus", statement="", confidence="", revisions=(created, *later)))


CORRECTION = Revision(
    date=D(2023, 1, 1),
    kind="correction",
    by="Yao Fu",
    field="statement",
    old="C4",
    new="Common Crawl",
    reason="60% is filtered Common Crawl",
    remove_facts=(Fact("GPT-3", "pretraining corpus", "C4"),),
    add_facts=(Fact("GPT-3", "pretraining corpus", "Common Crawl"),),
)


def test_replay_applies_span_edits_and_list_edits() -> None:
    claim = _claim(CORRECTION)
    assert claim.statement == "GPT-3 was pretrained on Common Crawl data from 2016 to 2019."
    assert claim.facts == (Fact("GPT-3", "pretraining corpus", "Common Crawl"),)


def test_replay_is_identity_on_a_replayed_claim() -> None:
    claim = _claim(CORRECTION)
    assert replay(claim) == claim
    edited = attrs.evolve(claim, statement="edited by hand")
    assert replay(edited) != edited


@pytest.mark.parametrize(
    ("old", "message"),
    [pytest.param("GPT-4", "does not occur", id="absent"), pytest.param("20", "occurs 2 times", id="ambiguous")],
)
def test_span_must_occur_exactly_once(old: str, message: str) -> None:
    bad = Revision(date=D(2023, 1, 1), kind="correction", by="x", reason="r", field="statement", old=old, new="y")
    with pytest.raises(HistoryError, match=message) as info:
        _claim(bad)
    assert info.value.key == "gpt3-corpus: revisions[1].old"


def test_scalar_old_value_is_checked() -> None:
    bad = Revision(
        date=D(2023, 1, 1), kind="hedge", by="x", reason="r", field="confidence", old="hypothesis", new="educated-guess"
    )
    with pytest.raises(HistoryError, match="confidence was 'conclusion', not 'hypothesis'"):
        _claim(bad)


def test_removing_what_is_not_there_fails() -> None:
    bad = Revision(date=D(2023, 1, 1), kind="evidence", by="x", reason="r", remove_evidence=(Evidence("nope"),))
    with pytest.raises(HistoryError, match="is not in evidence"):
        _claim(bad)


def test_as_of_reads_the_past() -> None:
    claim = _claim(CORRECTION)
    assert as_of(claim, D(2022, 12, 10)) is None
    then = claim.as_of("2022-12-15")
    assert then is not None and "C4" in then.statement and len(then.revisions) == 1
    assert "Common Crawl" in claim.as_of(D(2023, 1, 1)).statement  # type: ignore[union-attr]


def test_diff_between_dates() -> None:
    change = diff(_claim(CORRECTION), D(2022, 12, 12), D(2023, 2, 1))
    fields = {name for name, _, _ in change.changes}
    assert fields == {"statement", "facts"}
    assert [r.kind.value for r in change.revisions] == ["correction"]
    assert not diff(_claim(CORRECTION), D(2023, 1, 2), D(2023, 2, 1)).changed


def test_status_change_with_successor() -> None:
    end = Revision(
        date=D(2023, 2, 1),
        kind="supersession",
        by="x",
        reason="split",
        field="status",
        old="active",
        new="superseded",
        superseded_by="other",
    )
    claim = _claim(end)
    assert claim.status is Status.SUPERSEDED and claim.superseded_by == "other"


def test_rendering() -> None:
    assert render_markdown(CORRECTION).startswith("~~C4~~ Common Crawl")
    assert render_criticmarkup(CORRECTION).startswith("{~~C4~>Common Crawl~~}")
    assert CORRECTION.markdown() == render_markdown(CORRECTION)
    conf = Revision(date=D(2023, 1, 1), kind="hedge", by="x", reason="r", field="confidence", old="conclusion", new="hypothesis")
    assert render_markdown(conf) == "confidence: ~~conclusion~~ hypothesis"


def test_statement_versions() -> None:
    versions = statement_versions(_claim(CORRECTION))
    assert [v.index for v in versions] == [0, 1]
    assert versions[0].replaced_by == 1 and versions[1].replaced_by is None
    assert "C4" in versions[0].statement


def test_seal_chain_detects_rewrites() -> None:
    sealed = seal(_claim(CORRECTION).revisions)
    assert all(r.digest for r in sealed)
    assert sealed[1].digest == digest_of(sealed[0].digest, attrs.evolve(sealed[1], digest=None))
    assert first_broken_seal(sealed) is None
    rewritten = (attrs.evolve(sealed[0], by="Someone else"), sealed[1])
    assert first_broken_seal(rewritten) == 0
    dropped = (sealed[1],)
    assert first_broken_seal(dropped) == 0
    assert seal(sealed) == sealed  # sealing twice changes nothing


@settings(max_examples=60, deadline=None)
@given(claims())
def test_replay_of_generated_histories(claim: Claim) -> None:
    assert replay(claim) == claim
    last = claim.revisions[-1].date
    assert as_of(claim, last) == claim
    assert statement_versions(claim)[-1].statement == claim.statement


# -- what verify notes for the audit ---------------------------------------------


@settings(max_examples=80, deadline=None)
@given(claims(), st.data())
def test_verify_notes_what_the_audit_rules_would_find(claim: Claim, data: st.DataObject) -> None:
    # Knock out some digests, reasons and dates so that every field has something to find.
    revisions = list(claim.revisions)
    for i, revision in enumerate(revisions):
        revisions[i] = attrs.evolve(
            revision,
            digest=data.draw(st.sampled_from([None, "0" * 64])),
            reason=data.draw(st.sampled_from([revision.reason, None, "  "])),
            date=data.draw(st.sampled_from([revision.date, revision.date - dt.timedelta(days=400)])),
        )
    claim = attrs.evolve(claim, revisions=tuple(revisions))
    checked = verify(claim)
    kinds_without_reason = (RevisionKind.CREATED, RevisionKind.EDITORIAL)
    assert checked.unsealed == tuple(i for i, r in enumerate(revisions) if r.digest is None)
    assert checked.unreasoned == tuple(
        i for i, r in enumerate(revisions) if r.kind not in kinds_without_reason and not (r.reason or "").strip()
    )
    assert checked.out_of_order == tuple(
        i for i in range(1, len(revisions)) if revisions[i].date < max(r.date for r in revisions[:i])
    )
    assert checked.last_date == max(r.date for r in revisions)
    changes = [i for i, r in enumerate(revisions) if r.changes_content]
    assert checked.last_change == (max(changes, key=lambda i: (revisions[i].date, i)) if changes else None)
    assert checked.supports == len({e.source for e in claim.evidence if e.stance is Stance.SUPPORTS})
    assert checked.unanswered == tuple(
        i for i, e in enumerate(claim.evidence) if e.stance is Stance.CONTRADICTS and not (e.note or "").strip()
    )
    cited = {e.source for e in claim.evidence} | {a.document for a in claim.appearances}
    for r in revisions:
        cited.update(r.evidence)
        cited.update(e.source for e in (*(r.set_evidence or ()), *r.add_evidence, *r.remove_evidence))
        cited.update(a.document for a in (*(r.set_appearances or ()), *r.add_appearances, *r.remove_appearances))
    assert sorted(checked.cited) == sorted(cited) and len(checked.cited) == len(cited)
    assert checked.facts == tuple((f.key, " ".join(f.value.casefold().split())) for f in claim.facts)
    assert checked.history_clean == (
        checked.error is None and not checked.differ and checked.broken_seal is None
        and not checked.unsealed and not checked.unreasoned and not checked.out_of_order
    )  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(claims())
def test_states_before_each_revision_are_the_replayed_prefixes(claim: Claim) -> None:
    before = states_before(claim)
    assert before[0] is None and len(before) == len(claim.revisions)
    for i in range(1, len(claim.revisions)):
        assert before[i] == attrs.evolve(replay(attrs.evolve(claim, revisions=claim.revisions[:i])), revisions=())


def test_states_before_stop_at_a_revision_that_does_not_apply() -> None:
    claim = _claim(CORRECTION)
    broken = attrs.evolve(claim.revisions[1], old="no such words", new="x")
    states = states_before(attrs.evolve(claim, revisions=(claim.revisions[0], broken, *claim.revisions[1:])))
    assert states[1] is not None and states[2:] == [None] * (len(states) - 2)
