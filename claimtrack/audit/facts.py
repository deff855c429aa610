"""conflicting-facts: active claims that give different values for one subject and property.

Facts are grouped by key in one pass (a dict), never compared pair by pair.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Claim, Fact, Status
from .context import Context, Draft

__all__ = ["check"]

_SHOWN = 3  # other claims named in one message before "and N more"


def _tidy(value: str) -> str:
    return " ".join(value.split())


def check(ctx: Context) -> Iterator[Draft]:
    # First only the keys given two different values are found; then only their facts are grouped.
    # The folded forms were made when the claim was checked (see Verified.facts).
    active = Status.ACTIVE
    holding = [(claim, checked.facts) for claim, checked, _ in ctx.entries if checked.facts and claim.status is active]
    first: dict[tuple[str, str], str] = {}
    disputed: set[tuple[str, str]] = set()
    for _, facts in holding:
        for key, folded in facts:
            if first.setdefault(key, folded) != folded:
                disputed.add(key)
    groups: dict[tuple[str, str], dict[str, list[tuple[Claim, int, Fact]]]] = {}  # key -> value -> holders
    if disputed:
        for claim, facts in holding:
            for i, (key, folded) in enumerate(facts):
                if key in disputed:
                    groups.setdefault(key, {}).setdefault(folded, []).append((claim, i, claim.facts[i]))
    for values in groups.values():
        if len(values) < 2:
            continue
        # folded value -> [(claim id, its first fact with that value)], one entry per claim.
        per_value = {folded: list(_first_per_claim(holders)) for folded, holders in values.items()}
        total = sum(len(entries) for entries in per_value.values())
        held: dict[str, dict[str, tuple[int, Fact]]] = {}  # claim id -> folded value -> (fact index, fact)
        claims: dict[str, Claim] = {}
        for folded, holders in values.items():
            for claim, i, fact in holders:
                claims[claim.id] = claim
                held.setdefault(claim.id, {}).setdefault(folded, (i, fact))
        # Every claim involved gets its own finding, so each one's file shows it and can answer it.
        for claim_id, mine in held.items():
            claim = claims[claim_id]
            index, fact = next(iter(mine.values()))
            what = f"{_tidy(fact.subject)} / {_tidy(fact.property)}"
            if len(mine) > 1:
                listed = " and ".join(repr(f.value) for _, f in mine.values())
                yield ctx.at(
                    claim,
                    "conflicting-facts",
                    f"{what}: this claim gives both {listed}",
                    where=f"facts[{index}]",
                    hint="keep one value: remove the wrong ones with "
                    f"`claimtrack fact {claim_id} --subject {_arg(fact.subject)} --property {_arg(fact.property)} "
                    '--value V --remove --reason "..."`',
                )
            # Counted, not listed: a value held by thousands of claims costs no more per claim.
            count = total - sum(len(per_value[folded]) for folded in mine)
            if count <= 0:
                continue
            shown = ", ".join(f"'{other}' says {f.value!r}" for other, f in _others(per_value, mine))
            more = f" and {count - _SHOWN} more" if count > _SHOWN else ""
            yield ctx.at(
                claim,
                "conflicting-facts",
                f"{what}: '{claim_id}' says {fact.value!r}, but {shown}{more}",
                where=f"facts[{index}]",
                hint="correct the wrong one with "
                f"`claimtrack fact ID --subject {_arg(fact.subject)} --property {_arg(fact.property)} "
                '--value V --reason "..."`, or make the subject or property more specific',
            )


def _arg(text: str) -> str:
    """A value as a shell argument."""
    import shlex

    return shlex.quote(text)


def _first_per_claim(holders: list[tuple[Claim, int, Fact]]) -> Iterator[tuple[str, Fact]]:
    seen = set()
    for claim, _, fact in holders:
        if claim.id not in seen:
            seen.add(claim.id)
            yield claim.id, fact


def _others(per_value: dict[str, list[tuple[str, Fact]]], mine: dict[str, tuple[int, Fact]]) -> list[tuple[str, Fact]]:
    out: list[tuple[str, Fact]] = []
    for folded, entries in per_value.items():
        if folded in mine:
            continue
        out.extend(entries[: _SHOWN - len(out)])
        if len(out) >= _SHOWN:
            break
    return out
