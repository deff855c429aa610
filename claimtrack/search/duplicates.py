"""Near-duplicate claims: one test, for ``add`` (a new statement against the library) and for the audit (pairs).

Two texts are near-duplicates when their statements' sentence vectors have a
cosine of at least :data:`COSINE`, each holds at least :data:`COVER` of the other's term weight
(idf), they name no different numbers, and both are negated or neither: "PaLM
had 8% code" and "PaLM had 5% code" are two claims, not one.

The audit does not query the engine once per claim (100,000 queries would
cost minutes), nor build its index: statements are grouped under each of
their :data:`_KEYS` rarest terms, only statements that share a group are
compared by their words, and only the pairs left are embedded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ..model import Claim, Status
from .engine import SearchEngine, SearchHit, natural_key
from .text import clean, negated, numbers, terms

__all__ = ["near_duplicate", "duplicate_pairs", "COSINE", "COVER"]

COSINE = 0.9  # of the two statements' sentence vectors
COVER = 0.7
_KEYS = 3  # a claim's rarest terms it is grouped under
_GROUP = 64  # a term shared by more claims than this is not rare enough to group by


def _same(a_nums: frozenset[str], b_nums: frozenset[str], a_neg: bool, b_neg: bool) -> bool:
    return a_neg == b_neg and a_nums == b_nums


def _statement_cosine(engine: SearchEngine, a: str, b: str) -> float:
    vectors = engine.vectors([a, b])
    return 1.0 if vectors is None else float(vectors[0] @ vectors[1])


def near_duplicate(engine: SearchEngine, statement: str) -> SearchHit | None:
    """The library's claim that ``statement`` nearly duplicates (the closest such), or None."""
    if not len(engine.index):
        return None
    index = engine.index
    query = engine.query(statement)
    for row, score, probability in engine.ranked(query, 3):
        shared = float(query.shared[row])
        covers = (shared / query.weight if query.weight else 0.0, shared / max(float(index.claim.doc_weight[row]), 1e-6))
        if min(covers) < COVER:
            continue
        if not _same(numbers(statement), index.numbers[row], negated(statement), bool(index.negated[row])):
            continue
        if _statement_cosine(engine, statement, engine.shown[index.ids[row]].statement) < COSINE:
            continue
        return engine.hit(row, score, probability, query.words, statement)
    return None


def duplicate_pairs(claims: Iterable[Claim], embedder: Any) -> list[tuple[str, str, float]]:
    """Pairs of active claims whose statements are near-duplicates, as (id, id, cosine), in id order.

    Words first (no model, no index): each statement's terms, grouped under its rarest ones, compared by
    term weight, numbers and negation; only the pairs left have their statements embedded (``embedder``,
    None: by words alone).
    """
    active = [c for c in claims if c.status is Status.ACTIVE]
    active.sort(key=lambda c: natural_key(c.id))
    words = [set(terms(c.statement)) for c in active]
    df: dict[str, int] = {}
    for held in words:
        for word in held:
            df[word] = df.get(word, 0) + 1
    n = len(active)
    idf = {word: math.log1p((n - count + 0.5) / (count + 0.5)) for word, count in df.items()}
    weight = [sum(idf[w] for w in held) for held in words]
    groups: dict[str, list[int]] = {}
    for i, held in enumerate(words):
        for word in sorted(held, key=lambda w: (df[w], w))[:_KEYS]:
            if df[word] <= _GROUP:
                groups.setdefault(word, []).append(i)
    close: set[tuple[int, int]] = set()
    facts = [(numbers(c.statement), negated(c.statement)) for c in active]
    for members in groups.values():
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                if (a, b) in close or not _same(facts[a][0], facts[b][0], facts[a][1], facts[b][1]):
                    continue
                shared = sum(idf[w] for w in words[a] & words[b])
                if min(shared / max(weight[a], 1e-6), shared / max(weight[b], 1e-6)) >= COVER:
                    close.add((a, b))
    pairs = []
    if close and embedder is not None:
        rows = sorted({i for pair in close for i in pair})
        vectors = dict(zip(rows, embedder.embed([clean(active[i].statement, handles=False) for i in rows]), strict=True))
        for a, b in sorted(close):
            cosine = float(vectors[a] @ vectors[b])
            if cosine >= COSINE:
                pairs.append((active[a].id, active[b].id, round(cosine, 3)))
    elif close:
        pairs = [(active[a].id, active[b].id, 1.0) for a, b in sorted(close)]
    return sorted(pairs)
