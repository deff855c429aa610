"""The dependency rule's one-table form against the rule as it was first written, on random libraries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.audit import dependencies
from claimtrack.audit.context import Context, Draft
from claimtrack.audit.dependencies import _loop_found, _missing, _needs_review, _peeled_loops, _rests_on_ended
from claimtrack.history import verify
from claimtrack.model import Claim, Revision, RevisionKind, Status

_IDS = [f"c{i}" for i in range(8)]


def _check_as_it_was(ctx: Context) -> Iterator[Draft]:
    """dependencies.check before the one-table form: each dependency's record, checked facts and revision looked up."""
    claims, checked, active = ctx.claims, ctx.checked, Status.ACTIVE
    pending: dict[str, int] = {}
    dependents: dict[str, list[str]] = {}
    for claim, mine, _ in ctx.entries:
        deps = claim.depends_on
        if not deps:
            continue
        claim_id = claim.id
        linked: set[str] = set()
        for other_id in deps:
            other = claims.get(other_id)
            if other is None:
                if other_id not in ctx.unreadable_ids:
                    yield _missing(ctx, claim, other_id)
                continue
            if other_id not in linked:
                linked.add(other_id)
                dependents.setdefault(other_id, []).append(claim_id)
            if claim.status is not active:
                continue
            if other.status is not active:
                yield _rests_on_ended(ctx, claim, other)
                continue
            at = checked[other_id].last_change
            if at is not None and mine.last_date is not None and other.revisions[at].date > mine.last_date:
                yield _needs_review(ctx, claim, other, at, mine.last_date)
        if linked:
            pending[claim_id] = len(linked)
    for cycle in _peeled_loops(claims, pending, dependents):
        yield _loop_found(ctx, cycle)


_DAY = dt.date(2024, 1, 1)


@st.composite
def _claim(draw: st.DrawFn, claim_id: str) -> Claim:
    deps = tuple(draw(st.lists(st.sampled_from([*_IDS, "gone", "unreadable"]), max_size=3)))
    status = draw(st.sampled_from(list(Status)))
    created = draw(st.integers(0, 5))
    revisions = [
        Revision(date=_DAY + dt.timedelta(created), kind=RevisionKind.CREATED, statement="S 1.", confidence="hypothesis",
                 status=status, set_depends_on=deps, superseded_by="c0" if status is Status.SUPERSEDED else None)
    ]  # fmt: skip
    for day, kind in draw(
        st.lists(st.tuples(st.integers(0, 9), st.sampled_from(["correction", "review", "editorial"])), max_size=3)
    ):
        statement = f"S {len(revisions) + 1}." if kind == "correction" else None
        revisions.append(Revision(date=_DAY + dt.timedelta(day), kind=RevisionKind(kind), statement=statement, reason="r"))
    statement = next((r.statement for r in reversed(revisions) if r.statement), "S 1.")
    return Claim(
        id=claim_id, statement=statement, confidence="hypothesis", status=status, depends_on=deps, revisions=tuple(revisions),
        superseded_by="c0" if status is Status.SUPERSEDED else None,
    )  # fmt: skip


@st.composite
def _library(draw: st.DrawFn) -> dict[str, Claim]:
    ids = sorted(draw(st.sets(st.sampled_from(_IDS), max_size=len(_IDS))))
    return {claim_id: draw(_claim(claim_id)) for claim_id in ids}


def _context(claims: dict[str, Claim]) -> Context:
    ctx = Context.__new__(Context)
    ctx.claims = claims
    ctx.checked = {claim_id: verify(claim) for claim_id, claim in claims.items()}
    ctx.entries = [(claim, ctx.checked[claim_id], None) for claim_id, claim in claims.items()]
    ctx.unreadable_ids = {"unreadable"}
    return ctx


@settings(max_examples=400, deadline=None)
@given(_library())
def test_the_rule_finds_what_it_found_before(claims: dict[str, Claim]) -> None:
    ctx = _context(claims)
    assert Counter(dependencies.check(ctx)) == Counter(_check_as_it_was(ctx))


def test_the_random_libraries_hold_every_finding_of_the_rule() -> None:
    # The strategy above reaches each thing the rule checks: spelled out once here, so that it keeps doing so.
    later = _DAY + dt.timedelta(days=3)
    made = {
        "c0": Claim(id="c0", statement="S.", confidence="hypothesis", depends_on=("c1", "gone", "unreadable"),
                    revisions=(Revision(date=_DAY, kind=RevisionKind.CREATED, statement="S.", confidence="hypothesis",
                                        set_depends_on=("c1", "gone", "unreadable")),)),
        "c1": Claim(id="c1", statement="T.", confidence="hypothesis", depends_on=("c0",),
                    revisions=(Revision(date=_DAY, kind=RevisionKind.CREATED, statement="S.", confidence="hypothesis",
                                        set_depends_on=("c0",)),
                               Revision(date=later, kind=RevisionKind.CORRECTION, statement="T.", reason="r"))),
        "c2": Claim(id="c2", statement="S.", confidence="hypothesis", status=Status.RETRACTED,
                    revisions=(Revision(date=_DAY, kind=RevisionKind.CREATED, statement="S.", confidence="hypothesis",
                                        status=Status.RETRACTED),)),
        "c3": Claim(id="c3", statement="S.", confidence="hypothesis", depends_on=("c2",),
                    revisions=(Revision(date=_DAY, kind=RevisionKind.CREATED, statement="S.", confidence="hypothesis",
                                        set_depends_on=("c2",)),)),
    }  # fmt: skip
    ctx = _context(made)
    found = list(dependencies.check(ctx))
    assert Counter(found) == Counter(_check_as_it_was(ctx))
    assert sorted((d.rule, d.claim) for d in found) == [
        ("dependency-cycle", "c0"), ("missing-dependency", "c0"), ("needs-review", "c0"), ("rests-on-retracted", "c3"),
    ]  # fmt: skip
