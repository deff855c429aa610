"""Near-duplicate claims: one test, for ``add`` (a new statement against the library) and for the audit (pairs).

Two texts are near-duplicates when their statements' sentence vectors have a
cosine of at least :data:`COSINE`, each holds at least :data:`COVER` of the other's term weight
(idf), they name no different numbers, and both are negated or neither: "PaLM
had 8% code" and "PaLM had 5% code" are two claims, not one.

The audit does not query the engine once per claim (100,000 queries would
cost minutes): claims are grouped under each of their :data:`_KEYS` rarest
terms, only claims that share a group are compared (first by their indexed
vectors, then by their words), and only the pairs left have their statements
embedded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from .engine import SearchEngine, SearchHit
from .text import negated, numbers

__all__ = ["near_duplicate", "duplicate_pairs", "COSINE", "COVER"]

COSINE = 0.9  # of the two statements' sentence vectors
_PREFILTER = 0.6  # of the indexed vectors (which also hold source titles), before the statements are embedded
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


def _groups(engine: SearchEngine, rows: Any) -> Iterator[Any]:
    field = engine.index.claim
    df = np.diff(field.post_ptr)
    keyed: dict[int, list[int]] = {}
    for row in rows.tolist():
        terms = field.doc_term_set(row)
        if not len(terms):
            continue
        rare = terms[np.argsort(df[terms], kind="stable")[:_KEYS]]
        for term in rare.tolist():
            if df[term] <= _GROUP:
                keyed.setdefault(term, []).append(row)
    for members in keyed.values():
        if len(members) > 1:
            yield np.array(members, dtype=np.int64)


def duplicate_pairs(engine: SearchEngine, *, active_only: bool = True) -> list[tuple[str, str, float]]:
    """Pairs of claims that are near-duplicates of each other, as (id, id, cosine), in id order."""
    index = engine.index
    field = index.claim
    rows = np.arange(len(index))
    if active_only:
        rows = rows[[engine.shown[claim_id].status == "active" for claim_id in index.ids]]
    found: dict[tuple[int, int], float] = {}
    for members in _groups(engine, rows):
        if index.vectors is not None:
            vectors = index.vectors[members].astype(np.float32)
            block = vectors @ vectors.T
        else:
            block = np.ones((len(members), len(members)), dtype=np.float32)
        for i, j in zip(*np.nonzero(np.triu(block >= _PREFILTER, k=1)), strict=True):
            a, b = int(members[i]), int(members[j])
            if (a, b) in found:
                continue
            shared = np.intersect1d(field.doc_term_set(a), field.doc_term_set(b), assume_unique=True)
            weight = float(field.idf[shared].sum())
            covers = weight / max(float(field.doc_weight[a]), 1e-6), weight / max(float(field.doc_weight[b]), 1e-6)
            if min(covers) < COVER:
                continue
            if not _same(index.numbers[a], index.numbers[b], bool(index.negated[a]), bool(index.negated[b])):
                continue
            found[(a, b)] = 0.0
    pairs = []
    for a, b in found:
        cosine = _statement_cosine(engine, engine.shown[index.ids[a]].statement, engine.shown[index.ids[b]].statement)
        if cosine >= COSINE:
            pairs.append((index.ids[a], index.ids[b], round(cosine, 3)))
    return sorted(pairs)
