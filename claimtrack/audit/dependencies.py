"""Rules about what claims rest on: missing dependencies, cycles, ended and corrected dependencies.

Cycles are found with Tarjan's strongly connected components (one linear
pass); nothing compares claims pair by pair.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator, Mapping

from ..model import Claim, Status
from .context import Context, Draft

__all__ = ["check", "cycles"]


_ENDED = object()  # a superseded or retracted claim, in the lookup below
_ABSENT = object()


def check(ctx: Context) -> Iterator[Draft]:
    claims, active = ctx.claims, Status.ACTIVE
    # What a dependent asks of the claim it rests on, read once for every claim, in one pass over the records:
    # whether it has ended, else when its content last changed (its checked facts hold the date). Each dependency
    # is then one lookup in this table, not a reach into another record, its checked facts and its revisions.
    asked: dict[str, object] = {claim.id: mine.changed_on if claim.status is active else _ENDED for claim, mine, _ in ctx.entries}
    # Claims known to be on no loop: those that rest on nothing, and (as the loop below meets them) those whose
    # every dependency is known to be on none. The rest wait for the peeling and the loop search after it.
    clear: set[str] = set()
    waiting: list[tuple[str, set[str]]] = []
    for claim, mine, _ in ctx.entries:
        claim_id, deps = claim.id, claim.depends_on
        if not deps:
            clear.add(claim_id)
            continue
        linked: set[str] = set()
        for other_id in deps:
            seen = asked.get(other_id, _ABSENT)
            if seen is _ABSENT:
                if other_id not in ctx.unreadable_ids:  # an unreadable file is reported as such
                    yield _missing(ctx, claim, other_id)
                continue
            linked.add(other_id)
            if claim.status is not active:
                continue
            if seen is _ENDED:
                yield _rests_on_ended(ctx, claim, claims[other_id])
                continue
            # "After" by date: a correction made on the day of this claim's last revision does not count.
            if seen is not None and mine.last_date is not None and seen > mine.last_date:  # type: ignore[operator]
                at = ctx.checked[other_id].last_change  # the revision of that date
                if at is not None:
                    yield _needs_review(ctx, claim, claims[other_id], at, mine.last_date)
        if clear.issuperset(linked):
            clear.add(claim_id)
        else:
            waiting.append((claim_id, linked))
    for cycle in _loops_among(claims, clear, waiting):
        yield _loop_found(ctx, cycle)


def _missing(ctx: Context, claim: Claim, other_id: str) -> Draft:
    return ctx.at(
        claim,
        "missing-dependency",
        f"depends on '{other_id}', which is not a claim",
        where="depends_on",
        hint=ctx.id_hints.hint_with(
            other_id,
            f"add that claim, or drop it with `claimtrack depend {claim.id} --drop {other_id} --reason ...`",
        ),
    )


def _loop_found(ctx: Context, cycle: list[str]) -> Draft:
    path = " -> ".join([*cycle, cycle[0]])
    return ctx.at(
        ctx.claims[cycle[0]],
        "dependency-cycle",
        f"dependencies form a loop: {path}",
        where="depends_on",
        hint="an argument cannot rest on itself; remove one of these dependencies with "
        f"`claimtrack depend {cycle[0]} --drop {cycle[1 % len(cycle)]} --reason ...`",
    )


def _loops_among(claims: Mapping[str, Claim], clear: set[str], waiting: list[tuple[str, set[str]]]) -> list[list[str]]:
    """The loops of :func:`cycles`, the claims in ``clear`` already peeled off (they are on none).

    Peeling is Kahn's algorithm: what it leaves does not depend on the order claims are peeled in, so starting
    from claims found clear in a first pass (all of them, when every claim rests only on claims before it in id
    order) leaves what peeling them all leaves.
    """
    if not waiting:
        return []
    pending: dict[str, int] = {}
    dependents: dict[str, list[str]] = {}
    for claim_id, linked in waiting:
        left = 0
        for dep in linked:
            if dep not in clear:
                dependents.setdefault(dep, []).append(claim_id)
                left += 1
        pending[claim_id] = left
    ready = [claim_id for claim_id, left in pending.items() if not left]
    for claim_id in ready:
        del pending[claim_id]
    return _peel(claims, pending, dependents, ready)


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
    return _peel(claims, dict(pending), dependents, [claim_id for claim_id in claims if claim_id not in pending])


def _peel(
    claims: Mapping[str, Claim], pending: dict[str, int], dependents: dict[str, list[str]], ready: list[str]
) -> list[list[str]]:
    """Peel off ``ready`` and every claim left resting on nothing but peeled ones; the loops among the rest."""
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
