"""Finding a claim again: the ranking engine behind ``search``, ``match``, ``add``'s duplicate warning and the audit.

>>> import claimtrack
>>> lib = claimtrack.open(".")                                     # doctest: +SKIP
>>> [(hit.claim, hit.score) for hit in lib.search("PaLM had 8% code in its training data", k=2)]  # doctest: +SKIP
[('reasoning-injected-by-code-pretraining', 0.97), ('palm-code-share', 0.12)]

The engine (:mod:`.engine`) keeps its index in ``.claimtrack/search-index.bin``
(:mod:`.index`), scores claims by BM25 (:mod:`.bm25`) and sentence vectors,
and orders candidates with a learned ranker (:mod:`.features`, :mod:`.ranker`).
One engine is kept per library object and made again when its claims or
sources were read again.
"""

from __future__ import annotations

import weakref
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from .duplicates import duplicate_pairs, near_duplicate
from .engine import SearchEngine, SearchHit, check_query
from .matching import MATCH_THRESHOLD, MatchFinding, MatchReport, match_documents, near_claims

__all__ = [
    "search",
    "match",
    "engine_for",
    "near_duplicate_of",
    "claims_near",
    "duplicates",
    "SearchEngine",
    "SearchHit",
    "MatchFinding",
    "MatchReport",
    "MATCH_THRESHOLD",
]

_ENGINES: weakref.WeakKeyDictionary[Any, tuple[Any, Any, SearchEngine]] = weakref.WeakKeyDictionary()


def engine_for(lib: Any) -> SearchEngine:
    """The engine of a Library, kept while its loaded claims and sources are the same objects."""
    claims, sources = lib.claims, lib.sources
    held = _ENGINES.get(lib)
    if held is not None and held[0] is claims and held[1] is sources:
        return held[2]
    engine = SearchEngine.for_library(lib)
    _ENGINES[lib] = (claims, sources, engine)
    return engine


def search(lib: Any, text: str, k: int = 5, *, confidence: Iterable[str] = (), tags: Iterable[str] = (),
           status: Iterable[str] = ()) -> list[SearchHit]:  # fmt: skip
    """The ``k`` claims of ``lib`` that best match ``text``, best first, with the filters ``list`` has."""
    check_query(text)
    lib.require_readable()
    only = None
    confidence, tags, status = tuple(confidence), tuple(tags), tuple(status)
    if confidence or tags or status:
        only = [claim.id for claim in lib.select(confidence=confidence, tags=tags, status=status)]
    return engine_for(lib).search(text, k, only=only)


def match(lib: Any, paths: Iterable[str | Path], *, threshold: float = MATCH_THRESHOLD) -> MatchReport:
    """The claims of ``lib`` that each sentence of the documents states."""
    paths = list(paths)
    from ..documents.reading import read_text

    lib.require_readable()
    for path in paths:  # a missing or unreadable document fails before the library's index is built
        read_text(path)
    return match_documents(engine_for(lib), paths, threshold=threshold)


def claims_near(lib: Any, texts: Sequence[str], among: Collection[str], *, k: int = 3) -> list[set[str]]:
    """For each text, the (at most ``k``) claims of ``among`` the engine ranks first, when the text holds enough of
    some claim's words to state it (see :mod:`.matching`); empty sets otherwise."""
    if not texts or not among or not len(lib.claims):
        return [set() for _ in texts]
    return near_claims(engine_for(lib), texts, among, k=k)


def near_duplicate_of(lib: Any, statement: str) -> SearchHit | None:
    """The claim of ``lib`` that ``statement`` nearly duplicates, or None (see :mod:`.duplicates`)."""
    if not statement.strip() or not len(lib.claims):
        return None
    return near_duplicate(engine_for(lib), statement)


def duplicates(lib: Any) -> list[tuple[str, str, float]]:
    """Pairs of active claims of ``lib`` that are likely duplicates, as (id, id, cosine)."""
    from .embedding import load_embedder

    return duplicate_pairs(lib.claims.values(), load_embedder())
