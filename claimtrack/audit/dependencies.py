"""Rules about what claims rest on: missing dependencies, cycles, ended and corrected dependencies.

Cycles are found with Tarjan's strongly connected components (one linear
pass); nothing compares claims pair by pair.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator, Mapping

from ..model import Claim, Status
from ..suggest import hint_with
from .context import Context, Draft

__all__ = ["check", "cycles"]


def check(ctx: Context) -> Iterator[Draft]:
    claims, checked, active = ctx.claims, ctx.checked, Status.ACTIVE
    # The dependency graph for the loop search is gathered on the way (see cycles).
    pending: dict[str, int] = {}
    dependents: dict[str, list[str]] = {}
    for claim, mine in ctx.pairs:
        deps = claim.depends_on
        if not deps:
            continue
        claim_id = claim.id
        linked: set[str] = set()
        for other_id in deps:
            other = claims.get(other_id)
            if other is None:
                if other_id not in ctx.unreadable_ids:  # an unreadable file is reported as such
                    yield ctx.at(
                        claim,
                        "missing-dependency",
                        f"depends on '{other_id}', which is not a claim",
                        where="depends_on",
                        hint=hint_with(
                            other_id,
                            claims,
                            f"add that claim, or drop it with `claimtrack depend {claim_id} --drop {other_id} --reason ...`",
                        ),
                    )
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
            # "After" by date: a correction made on the day of this claim's last revision does not count.
            if at is not None and mine.last_date is not None and other.revisions[at].date > mine.last_date:
                yield _needs_review(ctx, claim, other, at, mine.last_date)
        if linked:
            pending[claim_id] = len(linked)
    for cycle in _peeled_loops(claims, pending, dependents):
        first = claims[cycle[0]]
        path = " -> ".join([*cycle, cycle[0]])
        yield ctx.at(
            first,
            "dependency-cycle",
            f"dependencies form a loop: {path}",
            where="depends_on",
            hint="an argument cannot rest on itself; remove one of these dependencies with "
            f"`claimtrack depend {cycle[0]} --drop {cycle[1 % len(cycle)]} --reason ...`",
        )


def _rests_on_ended(ctx: Context, claim: Claim, other: Claim) -> Draft:
    successor = f"; it was superseded by '{other.superseded_by}'" if other.superseded_by else ""
    return ctx.at(
        claim,
        "rests-on-retracted",
        f"depends on '{other.id}', which is {other.status.value}{successor}",
        where="depends_on",
        hint=(
            f"depend on '{other.superseded_by}' instead with "
            f"`claimtrack depend {claim.id} --drop {other.id} --on {other.superseded_by} --reason ...`, "
            if other.superseded_by
            else f"drop it with `claimtrack depend {claim.id} --drop {other.id} --reason ...`, "
        )
        + f"or revise, hedge or retract this claim (`claimtrack revise {claim.id}`, `claimtrack retract {claim.id}`)",
    )


def _needs_review(ctx: Context, claim: Claim, other: Claim, at: int, mine: dt.date) -> Draft:
    revision = other.revisions[at]
    return ctx.at(
        claim,
        "needs-review",
        f"rests on '{other.id}', which was changed on {revision.date} (revision {at}, {revision.kind.value}), "
        f"after this claim's last revision ({mine})",
        where="depends_on",
        hint=f're-check it against the change, then record that with `claimtrack review {claim.id} --reason "..."`, or revise it',
    )


def cycles(claims: Mapping[str, Claim]) -> list[list[str]]:
    """One loop for each group of claims that depend on each other, each starting at its smallest id.

    Claims that rest on nothing cannot be on a loop, nor can claims that rest only
    on those: they are peeled off first (Kahn's algorithm), and the strongly
    connected components are looked for among what is left, which in a library
    without loops is nothing.
    """
    pending: dict[str, int] = {}  # claim id -> how many of its dependencies are not yet peeled off
    dependents: dict[str, list[str]] = {}  # claim id -> the claims resting on it
    for claim_id, claim in claims.items():
        linked = {dep for dep in claim.depends_on if dep in claims}
        for dep in linked:
            dependents.setdefault(dep, []).append(claim_id)
        if linked:
            pending[claim_id] = len(linked)
    return _peeled_loops(claims, pending, dependents)


def _peeled_loops(claims: Mapping[str, Claim], pending: dict[str, int], dependents: dict[str, list[str]]) -> list[list[str]]:
    pending = dict(pending)
    ready = [claim_id for claim_id in claims if claim_id not in pending]
    while ready:
        for dependent in dependents.get(ready.pop(), ()):
            left = pending[dependent] - 1
            if left:
                pending[dependent] = left
            else:
                del pending[dependent]
                ready.append(dependent)
    if not pending:
        return []
    return strongly_connected_loops({claim_id: claims[claim_id] for claim_id in claims if claim_id in pending})


def strongly_connected_loops(claims: Mapping[str, Claim]) -> list[list[str]]:
    """:func:`cycles` by Tarjan's algorithm alone (dependencies outside ``claims`` are ignored)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in claims:
        if root in index:
            continue
        # Iterative Tarjan: (node, iterator over its dependencies).
        work = [(root, iter(claims[root].depends_on))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, deps = work[-1]
            advanced = False
            for dep in deps:
                if dep not in claims:
                    continue
                if dep not in index:
                    index[dep] = low[dep] = counter
                    counter += 1
                    stack.append(dep)
                    on_stack.add(dep)
                    work.append((dep, iter(claims[dep].depends_on)))
                    advanced = True
                    break
                if dep in on_stack:
                    low[node] = min(low[node], index[dep])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in claims[node].depends_on:
                    found.append(_loop(claims, set(component)))
    return sorted(found)


def _loop(claims: Mapping[str, Claim], component: set[str]) -> list[str]:
    """The shortest loop through the component's smallest id (breadth-first, inside the component)."""
    start = min(component)
    if start in claims[start].depends_on:
        return [start]
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for dep in claims[node].depends_on:
            if dep not in component:
                continue
            if dep == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return path[::-1]
            if dep not in came_from:
                came_from[dep] = node
                queue.append(dep)
    return sorted(component)  # not reached: a component always loops back
