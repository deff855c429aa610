"""Okapi BM25 over plain numpy arrays: one field of many documents, scored for a query at once.

Documents are held term by term (the postings, what a query reads) and also
document by document (what the cache stores and what an update per changed
claim rebuilds from): both are flat integer arrays with offsets, a few bytes
a word, so 100,000 claims fit in tens of megabytes. A query's score is one
``bincount`` over the postings of its terms.

>>> field = Field.build([["palm", "code", "8"], ["gpt", "3", "pretrain", "c4"]])
>>> [round(float(s), 2) for s in field.scores(["palm", "8"])]
[1.47, 0.0]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["Field", "doc_major", "K1", "B"]

K1 = 1.2
B = 0.75


class Field:
    """One indexed field: a vocabulary, per-document term counts, and BM25 postings built from them."""

    def __init__(self, vocab: Mapping[str, int], doc_ptr: Any, doc_terms: Any, doc_counts: Any, *, k1: float = K1,
                 b: float = B) -> None:  # fmt: skip
        self.vocab = vocab  # shared by the fields of one index
        self.doc_ptr = np.asarray(doc_ptr, dtype=np.int64)
        self.doc_terms = np.asarray(doc_terms, dtype=np.int32)
        self.doc_counts = np.asarray(doc_counts, dtype=np.uint16)
        self.k1, self.b = k1, b
        self._postings()

    @classmethod
    def build(cls, documents: Sequence[Sequence[str]], vocab: dict[str, int] | None = None, **params: float) -> Field:
        """A field from each document's terms (``vocab`` is extended in place when given)."""
        vocab = {} if vocab is None else vocab
        return cls(vocab, *doc_major(documents, vocab), **params)

    @property
    def size(self) -> int:
        return len(self.doc_ptr) - 1

    def _postings(self) -> None:
        n = self.size
        lengths = np.zeros(n, dtype=np.float32)
        per_doc = np.diff(self.doc_ptr)
        owner = np.repeat(np.arange(n, dtype=np.int32), per_doc)
        if len(self.doc_counts):
            lengths = np.bincount(owner, weights=self.doc_counts, minlength=n).astype(np.float32)
        average = float(lengths.mean()) if n and lengths.mean() > 0 else 1.0
        order = np.argsort(self.doc_terms, kind="stable")
        terms = self.doc_terms[order]
        self.post_docs = owner[order]
        width = max(len(self.vocab), int(terms.max()) + 1 if len(terms) else 0)
        df = np.bincount(terms, minlength=width)
        self.post_ptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
        self.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        tf = self.doc_counts[order].astype(np.float32)
        norm = self.k1 * (1 - self.b + self.b * lengths[self.post_docs] / average)
        self.post_weights = (self.idf[terms] * tf * (self.k1 + 1) / (tf + norm)).astype(np.float32)
        # each document's summed term weight: what share of it a query holds is a feature
        self.doc_weight = np.bincount(owner, weights=self.idf[self.doc_terms], minlength=n).astype(np.float32)

    def term_ids(self, words: Sequence[str]) -> list[int]:
        """The known terms of ``words``, each once."""
        return list(dict.fromkeys(t for t in (self.vocab.get(w) for w in words) if t is not None))

    def scores(self, words: Sequence[str]) -> Any:
        """BM25 of every document for the query's terms (a term repeated in the query counts once)."""
        ids = self.term_ids(words)
        if not ids or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        spans = [(int(self.post_ptr[t]), int(self.post_ptr[t + 1])) for t in ids]
        docs = np.concatenate([self.post_docs[a:z] for a, z in spans])
        weights = np.concatenate([self.post_weights[a:z] for a, z in spans])
        return np.bincount(docs, weights=weights, minlength=self.size).astype(np.float32)

    def scores_and_shared(self, words: Sequence[str]) -> tuple[Any, Any]:
        """BM25 of every document, and the summed idf of the query's terms each document holds."""
        ids = self.term_ids(words)
        if not ids or not self.size:
            zeros = np.zeros(self.size, dtype=np.float32)
            return zeros, zeros
        spans = [(int(self.post_ptr[t]), int(self.post_ptr[t + 1])) for t in ids]
        docs = np.concatenate([self.post_docs[a:z] for a, z in spans])
        weights = np.concatenate([self.post_weights[a:z] for a, z in spans])
        idf = np.repeat(self.idf[ids], [z - a for a, z in spans])
        bm25 = np.bincount(docs, weights=weights, minlength=self.size).astype(np.float32)
        return bm25, np.bincount(docs, weights=idf, minlength=self.size).astype(np.float32)

    def doc_term_set(self, doc: int) -> Any:
        """The term ids of one document."""
        return self.doc_terms[self.doc_ptr[doc] : self.doc_ptr[doc + 1]]

    @property
    def nbytes(self) -> int:
        arrays = (self.doc_ptr, self.doc_terms, self.doc_counts, self.post_docs, self.post_ptr, self.post_weights, self.idf,
                  self.doc_weight)  # fmt: skip
        return sum(a.nbytes for a in arrays)


def doc_major(documents: Sequence[Sequence[str]], vocab: dict[str, int]) -> tuple[Any, Any, Any]:
    """Each document's distinct term ids and their counts, flat, with offsets (``vocab`` is extended in place)."""
    ptr: list[int] = [0]
    ids: list[int] = []
    counts: list[int] = []
    for words in documents:
        seen: dict[int, int] = {}
        for word in words:
            term = vocab.setdefault(word, len(vocab))
            seen[term] = seen.get(term, 0) + 1
        ids.extend(seen)
        counts.extend(min(c, 65535) for c in seen.values())
        ptr.append(len(ids))
    return np.array(ptr, dtype=np.int64), np.array(ids, dtype=np.int32), np.array(counts, dtype=np.uint16)
