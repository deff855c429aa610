"""The search engine: a library's claims ranked for a text.

:class:`SearchEngine` holds a :class:`~.index.SearchIndex` and what a hit
shows of each claim (status, confidence, statement). For a text it scores
every claim by BM25 (two fields) and by the cosine of sentence vectors, takes
the best of each as candidates, computes their features
(:mod:`.features`) and orders them by the learned ranker (:mod:`.ranker`);
each hit's ``score`` is the probability that the text states the claim, at
most :data:`CLASH_CAP` times the threshold (:attr:`.Ranker.threshold`) when
the two name different numbers or one is negated and the other not.

>>> engine = SearchEngine.for_library(lib)                        # doctest: +SKIP
>>> [(h.claim, round(h.score, 2)) for h in engine.search("PaLM had 8% code in its training data", k=2)]
[('reasoning-injected-by-code-pretraining', 0.93), ('palm-code-share', 0.41)]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from ..errors import ClaimtrackError
from ..model import Claim
from .embedding import load_embedder
from .features import DEPTH, FEATURES, Query, candidates, feature_matrix
from .fields import claim_text
from .index import SearchIndex
from .ranker import Ranker, load_ranker
from .text import clean, negated, numbers, terms

__all__ = ["SearchEngine", "SearchHit", "MAX_QUERY_CHARS", "natural_key", "check_query"]

MAX_QUERY_CHARS = 100_000  # a query longer than this is a document: use match
CLASH_CAP = 0.5  # of the threshold: the most a claim whose numbers or negation differ from the text's may score
_NUMBERS_CLASH = FEATURES.index("numbers_clash")
_NEGATION_CLASH = FEATURES.index("negation_clash")
_LATEX_MARKS = re.compile(r"[{}\\~$^]")
_WORDS = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:'[^\W\d_]+)?")


@attrs.frozen
class SearchHit:
    """One claim found for a text: its rank score, the probability that the text states it, and what matched."""

    claim: str
    score: float  # probability (0 to 1) that the text states this claim
    rank_score: float
    status: str
    confidence: str
    statement: str
    matched: tuple[str, ...]  # the text's words found in the claim's indexed words
    superseded_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self) | {"matched": list(self.matched)}


@attrs.frozen
class _Shown:
    status: str
    confidence: str
    statement: str
    superseded_by: str | None


def natural_key(claim_id: str) -> tuple[tuple[int, str], ...]:
    """Ids in the order a person reads them (``claim-2`` before ``claim-10``): the order that breaks ties."""
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", claim_id))


def check_query(text: str) -> str:
    """The query, or a one-line error when it is empty or too long to be a query."""
    if not isinstance(text, str):
        raise ClaimtrackError(f"a query is text, not {type(text).__name__}", key="query", hint="pass a string")
    if not text.strip():
        raise ClaimtrackError("the query is empty", key="query", hint="give the words of a claim to look for")
    if len(text) > MAX_QUERY_CHARS:
        raise ClaimtrackError(
            f"the query is {len(text):,} characters, more than {MAX_QUERY_CHARS:,}",
            key="query",
            hint="search for a sentence or a paragraph; for a whole document use `claimtrack match`",
        )
    return text


class SearchEngine:
    """Claims ranked for texts. Build one with :meth:`for_library` or :meth:`from_claims`."""

    def __init__(self, index: SearchIndex, shown: Mapping[str, _Shown], embedder: Any, ranker: Ranker | None = None) -> None:
        self.index = index
        self.shown = dict(shown)
        self.embedder = embedder
        self.ranker = ranker or load_ranker()
        self.built = 0  # claims tokenized and embedded afresh to make the index (the rest came from the cache)

    @classmethod
    def from_claims(cls, claims: Iterable[Claim], *, title_of: Callable[[str], str | None] = lambda _key: None,
                    root: Path | None = None, embeddings: bool = True) -> SearchEngine:  # fmt: skip
        """An engine over ``claims``; with ``root`` (a library's folder) the index is cached in its ``.claimtrack/``."""
        by_id = {claim.id: claim for claim in sorted(claims, key=lambda c: natural_key(c.id))}
        texts = {claim_id: claim_text(claim, title_of) for claim_id, claim in by_id.items()}
        embedder = load_embedder() if embeddings else None
        previous = SearchIndex.load(root) if root is not None else None
        index = SearchIndex.build(texts, embedder, previous)
        unchanged = previous is not None and index.ids == previous.ids and index.digests == previous.digests
        if root is not None and not unchanged:
            index.save(root)
        shown = {
            claim_id: _Shown(claim.status.value, claim.confidence, claim.statement, claim.superseded_by)
            for claim_id, claim in by_id.items()
        }
        engine = cls(index, shown, embedder)
        engine.built = index.fresh
        return engine

    @classmethod
    def for_library(cls, lib: Any, *, embeddings: bool = True) -> SearchEngine:
        """The engine of a :class:`~claimtrack.Library`, its index read from and saved to ``.claimtrack/``."""
        sources = lib.sources

        def title_of(key: str) -> str | None:
            # The title as written, braces and commands left as words: decoding LaTeX costs a millisecond a
            # title (what a large library's index build would spend most of its time on), and BM25 does not need it.
            source = sources.get(key)
            raw = source.field("title", decode=False) if source is not None else None
            return _LATEX_MARKS.sub(" ", raw) if raw else None

        return cls.from_claims(lib.claims.values(), title_of=title_of, root=lib.root, embeddings=embeddings)

    # -- querying -----------------------------------------------------------

    def query(self, text: str, vector: Any = None, *, words: list[str] | None = None, approx: Any = None) -> Query:
        """The scores of every claim for ``text`` (``vector``, ``words``, ``approx``: its sentence vector, terms
        and scan scores, when already computed)."""
        if vector is None and self.embedder is not None and self.index.vectors is not None:
            vector = self.embedder.embed([clean(text, handles=False)])[0]
        words = terms(text) if words is None else words
        return Query(self.index, words, vector, numbers(text), negated(text), approx)

    def vectors(self, texts: Sequence[str]) -> Any:
        """The sentence vectors of ``texts`` (None without the model)."""
        if self.embedder is None or self.index.vectors is None:
            return None
        return self.embedder.embed([clean(t, handles=False) for t in texts])

    def ranked(self, query: Query, k: int, *, allowed: Any = None, depth: int = DEPTH) -> list[tuple[int, float, float]]:
        """The ``k`` best rows for a query, with rank score and probability, best first."""
        rows = candidates(query, depth, allowed)
        if not len(rows):
            return []
        features = feature_matrix(query, rows)
        scores = self.ranker.score(features)
        order = np.argsort(-scores, kind="stable")[:k]
        probability = self.ranker.probability(features[order])
        # A text that names other numbers than the claim, or says "not" where it does not, does not state it,
        # however close it comes: the ranking keeps the claim (it is what the text is about), the probability not.
        clash = (features[order][:, _NUMBERS_CLASH] > 0) | (features[order][:, _NEGATION_CLASH] > 0)
        probability = np.where(clash, np.minimum(probability, CLASH_CAP * self.ranker.threshold), probability)
        return [(int(rows[i]), float(scores[i]), float(p)) for i, p in zip(order, probability, strict=True)]

    def search(self, text: str, k: int = 5, *, only: Iterable[str] | None = None, query: Query | None = None) -> list[SearchHit]:
        """The ``k`` claims that best match ``text``, best first (``only``: ids of the claims that may be found)."""
        check_query(text)
        if k < 1:
            raise ClaimtrackError(f"k must be 1 or more, not {k}", key="k", hint="ask for at least one claim")
        if not len(self.index):
            return []
        allowed = None
        if only is not None:
            allowed = np.zeros(len(self.index), dtype=bool)
            allowed[[self.index.row[i] for i in only if i in self.index.row]] = True
        query = query or self.query(text)
        return [
            self.hit(row, score, probability, query.words, text)
            for row, score, probability in self.ranked(query, k, allowed=allowed)
        ]

    def hit(self, row: int, score: float, probability: float, words: Sequence[str], text: str, *,
            matched: bool = True) -> SearchHit:  # fmt: skip
        claim_id = self.index.ids[row]
        shown = self.shown[claim_id]
        return SearchHit(
            claim=claim_id,
            score=round(probability, 4),
            rank_score=round(score, 4),
            status=shown.status,
            confidence=shown.confidence,
            statement=shown.statement,
            matched=self.matched(row, text) if matched else (),
            superseded_by=shown.superseded_by,
        )

    def matched(self, row: int, text: str) -> tuple[str, ...]:
        """The words of ``text`` (as written) whose terms the claim's fields hold."""
        held = set()
        for field in (self.index.claim, self.index.context):
            held.update(field.doc_term_set(row).tolist())
        vocab = self.index.claim.vocab
        return tuple(word for word, found in _spoken(text) if all(vocab.get(t, -1) in held for t in found))


@functools.lru_cache(maxsize=64)
def _spoken(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The distinct words of ``text`` as written, each with its index terms (for the hits of one query)."""
    out: dict[str, tuple[str, ...]] = {}
    for word in _WORDS.findall(clean(text)):
        if word not in out:
            out[word] = tuple(terms(word))
    return tuple((word, found) for word, found in out.items() if found)
