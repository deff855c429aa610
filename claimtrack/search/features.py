"""What the ranker weighs for one query against its candidate claims.

Candidates are the claims that BM25 or the sentence embedding put near the
top (:data:`DEPTH` from each); for each, the features are:

=================  ============================================================
``bm25_claim``     BM25 over the claim field, divided by the query's best
``bm25_context``   BM25 over the context field (source titles, tags, id), the same
``cosine``         cosine of the query's and the claim's sentence vectors
``cosine_gap``     the cosine less the query's best cosine
``rank_bm25``      1 / (1 + the claim's rank by summed BM25 among the candidates)
``rank_cosine``    1 / (1 + its rank by cosine among the candidates)
``query_cover``    share of the query's term weight (idf) that the claim holds
``claim_cover``    share of the claim's term weight that the query holds
``numbers_shared`` 1 when the two name a number in common
``numbers_clash``  1 when each names a number the other does not ("8%" is not "5%")
``negation_clash`` 1 when one is negated and the other not ("can" is not "cannot")
=================  ============================================================

BM25 is divided by the query's best score so that a long query and a short
one weigh alike. Cosines are computed exactly for the :data:`POOL` claims
nearest by the index's scan (all vectors up to 4,096 claims, a reduction
beyond: see :mod:`.index`) and for the candidates; the raw best BM25 and cosine enter :func:`states` (whether the
best claim is stated at all), which the ranking alone cannot tell.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .index import SearchIndex

__all__ = ["FEATURES", "DEPTH", "Query", "candidates", "feature_matrix"]

FEATURES = (
    "bm25_claim",
    "bm25_context",
    "cosine",
    "cosine_gap",
    "rank_bm25",
    "rank_cosine",
    "query_cover",
    "claim_cover",
    "numbers_shared",
    "numbers_clash",
    "negation_clash",
    "best_bm25",
    "best_cosine",
)
DEPTH = 40  # candidates taken from each of BM25 and the embedding
POOL = 200  # claims compared exactly with the query's vector: the best by the (possibly reduced) scan


class Query:
    """A query's scores against every claim of an index: BM25 for all, the cosine for its best few."""

    def __init__(self, index: SearchIndex, words: list[str], vector: Any, nums: frozenset[str], negation: bool,
                 approx: Any = None) -> None:  # fmt: skip
        self.index = index
        self.words = words
        self.claim_bm25, self.shared = index.claim.scores_and_shared(words)
        self.context_bm25 = index.context.scores(words)
        self.bm25 = self.claim_bm25 + self.context_bm25
        self.vector = vector if index.scan is not None and len(index) else None
        self.approx = None
        if self.vector is not None:
            self.approx = index.approximate(vector) if approx is None else approx
        self.numbers = nums
        self.negated = negation
        ids = index.claim.term_ids(words)
        # a word no claim holds weighs what the rarest word would: a query of unknown words is not "covered"
        unknown = len(set(words)) - len({w for w in words if w in index.claim.vocab})
        rarest = float(np.log1p((len(index) + 0.5) / 0.5))
        self.weight = (float(index.claim.idf[ids].sum()) if ids else 0.0) + unknown * rarest
        self._pool()

    def _pool(self) -> None:
        """The claims nearest by vector, compared exactly, and the best cosine among them."""
        self.pool = np.zeros(0, dtype=np.int64)
        self.pool_cosine = np.zeros(0, dtype=np.float32)
        self.best_cosine = 0.0
        if self.approx is not None:
            self.pool = _top(self.approx, POOL)
            self.pool_cosine = self.index.cosines(self.pool, self.vector)
            self.best_cosine = float(self.pool_cosine.max()) if len(self.pool) else 0.0

    def without(self, rows: Any) -> None:
        """Take ``rows`` out, as if the library did not hold them (what the ranker's training needs)."""
        for scores in (self.claim_bm25, self.context_bm25, self.bm25, self.shared):
            scores[rows] = 0.0
        if self.approx is not None:
            self.approx[rows] = -np.inf
            self._pool()

    def cosine(self, rows: Any) -> Any:
        """The exact cosines of ``rows`` (zeros without vectors)."""
        if self.vector is None:
            return np.zeros(len(rows), dtype=np.float32)
        return self.index.cosines(rows, self.vector)


def _top(scores: Any, k: int) -> Any:
    if len(scores) <= k:
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def candidates(query: Query, depth: int = DEPTH, allowed: Any = None) -> Any:
    """Rows of the claims worth ranking: the best by BM25 and the best by cosine (only ``allowed`` rows, when given)."""
    bm25 = query.bm25 if allowed is None else np.where(allowed, query.bm25, -1.0)
    lexical = _top(bm25, depth)
    semantic = query.pool
    if allowed is not None:
        lexical = lexical[allowed[lexical]]
        semantic = semantic[allowed[semantic]]
    if len(semantic) > depth:
        cosine = query.pool_cosine if allowed is None else query.pool_cosine[allowed[query.pool]]
        semantic = semantic[np.argsort(-cosine, kind="stable")[:depth]]
    return np.union1d(lexical, semantic).astype(np.int64)


def _rank_within(values: Any) -> Any:
    """Each value's rank among ``values`` (0 for the best; equal values share a rank)."""
    ordered = np.sort(values)[::-1]
    return np.searchsorted(-ordered, -values, side="left")


def feature_matrix(query: Query, rows: Any) -> Any:
    """The ``len(rows) x len(FEATURES)`` features of the candidates ``rows``."""
    index = query.index
    out = np.zeros((len(rows), len(FEATURES)), dtype=np.float64)
    if not len(rows):
        return out
    best_claim = float(query.claim_bm25.max()) or 1.0
    best_context = float(query.context_bm25.max()) or 1.0
    cosine = query.cosine(rows)
    best_cosine = max(query.best_cosine, float(cosine.max()))
    out[:, 0] = query.claim_bm25[rows] / best_claim
    out[:, 1] = query.context_bm25[rows] / best_context
    out[:, 2] = cosine
    out[:, 3] = cosine - best_cosine
    out[:, 4] = 1.0 / (1.0 + _rank_within(query.bm25[rows]))
    out[:, 5] = 1.0 / (1.0 + _rank_within(cosine))
    shared = query.shared[rows]
    if query.weight:
        out[:, 6] = shared / query.weight
    out[:, 7] = shared / np.maximum(index.claim.doc_weight[rows], 1e-6)
    if query.numbers:
        for j, row in enumerate(rows.tolist()):
            nums = index.numbers[row]
            if nums:
                out[j, 8] = float(not query.numbers.isdisjoint(nums))
                out[j, 9] = float(not query.numbers <= nums and not nums <= query.numbers)
    out[:, 10] = index.negated[rows] != query.negated
    out[:, 11] = float(query.bm25.max()) / (1.0 + float(query.bm25.max()))
    out[:, 12] = best_cosine
    return out
