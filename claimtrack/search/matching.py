"""``match``: the claims each sentence of a document states.

Each sentence (Markdown, LaTeX or plain text, read as the stale scan reads
them) that holds at least a fifth of some claim's term weight is a query (the
others, most of a long document, cost a few postings lookups); a claim is reported when the engine's probability that the
sentence states it reaches the threshold. The report counts the distinct
claims repeated and how many of them are retracted or superseded: what a
newsroom wants to know of an article before it runs.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from ..views import plural
from .engine import SearchEngine
from .ranker import load_ranker
from .text import terms

__all__ = ["MatchFinding", "MatchReport", "match_documents", "match_sentences", "near_claims", "MATCH_THRESHOLD"]

MATCH_THRESHOLD = load_ranker().threshold  # probability that the sentence states the claim, chosen on dev
_PER_SENTENCE = 3  # claims judged per sentence
_DEPTH = 12  # candidates per sentence from each of BM25 and the embedding
_BATCH = 256  # sentences embedded and scanned at a time
_GATE = 0.2  # a sentence that holds less of every claim's term weight than this states none of them


@attrs.frozen
class MatchFinding:
    """One sentence of a document that states a claim of the library."""

    file: str
    line: int
    sentence: str
    claim: str
    score: float
    status: str
    confidence: str
    statement: str
    superseded_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class MatchReport:
    """The findings of a match, with what they add up to."""

    findings: tuple[MatchFinding, ...]
    files: tuple[str, ...]
    sentences: int

    @property
    def claims(self) -> tuple[str, ...]:
        """The distinct claims stated, in order of first appearance."""
        return tuple(dict.fromkeys(f.claim for f in self.findings))

    @property
    def ended(self) -> tuple[str, ...]:
        """The stated claims that are retracted or superseded."""
        status = {f.claim: f.status for f in self.findings}
        return tuple(c for c in self.claims if status[c] != "active")

    def summary(self) -> str:
        """``this text repeats 4 of the library's claims; 1 of them is retracted``."""
        what = "these documents repeat" if len(self.files) > 1 else "this document repeats"
        claims = self.claims
        line = f"{what} {len(claims)} of the library's claims in {plural(self.sentences, 'sentence')}"
        if not claims:
            return line
        status = {f.claim: f.status for f in self.findings}
        parts = []
        for state in ("retracted", "superseded"):
            n = sum(1 for c in claims if status[c] == state)
            if n:
                parts.append(f"{n} of them {'is' if n == 1 else 'are'} {state}")
        return line + ("; " + ", ".join(parts) if parts else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": list(self.files),
            "sentences": self.sentences,
            "claims": list(self.claims),
            "ended": list(self.ended),
            "summary": self.summary(),
            "findings": [f.to_dict() for f in self.findings],
        }


def _row(vectors: Any, scans: Any, n: int) -> tuple[Any, Any]:
    return (vectors[n], scans[n]) if vectors is not None else (None, None)


def _covered(engine: SearchEngine, words: Sequence[str]) -> float:
    """The largest share of one claim's term weight (idf) that ``words`` hold: a cheap test that lets through only
    sentences that could state a claim (the rest of a long document is never embedded or ranked)."""
    field = engine.index.claim
    ids = field.term_ids(words)
    if not ids:
        return 0.0
    spans = [(int(field.post_ptr[t]), int(field.post_ptr[t + 1])) for t in ids]
    docs = np.concatenate([field.post_docs[a:z] for a, z in spans])
    if not len(docs):
        return 0.0
    weights = np.repeat(field.idf[ids], [z - a for a, z in spans])
    held, where = np.unique(docs, return_inverse=True)
    shared = np.bincount(where, weights=weights)
    return float((shared / np.maximum(field.doc_weight[held], 1e-6)).max())


def match_sentences(engine: SearchEngine, sentences: Sequence[tuple[str, int]], file: str = "", *,
                    threshold: float = MATCH_THRESHOLD) -> list[MatchFinding]:  # fmt: skip
    """The claims stated by each ``(sentence, line)`` of one file, at or above ``threshold``."""
    out: list[MatchFinding] = []
    if not len(engine.index):
        return out
    judged: dict[str, list[tuple[int, float]]] = {}  # a sentence repeated in the document is judged once
    worth = []
    for text, _ in sentences:
        if text not in judged:
            judged[text] = []
            words = terms(text)
            if words and _covered(engine, words) >= _GATE:
                worth.append((text, words))
    for start in range(0, len(worth), _BATCH):
        chunk = worth[start : start + _BATCH]
        vectors = engine.vectors([text for text, _ in chunk])
        scans = engine.index.approximate_many(vectors) if vectors is not None else None
        for n, (text, words) in enumerate(chunk):
            vector, scan = _row(vectors, scans, n)
            query = engine.query(text, vector, words=words, approx=scan)
            judged[text] = [(row, p) for row, _, p in engine.ranked(query, _PER_SENTENCE, depth=_DEPTH) if p >= threshold]
    for text, line in sentences:
        for row, probability in judged[text]:
            hit = engine.hit(row, 0.0, probability, (), text, matched=False)
            out.append(
                MatchFinding(
                    file, line, text, hit.claim, hit.score, hit.status, hit.confidence, hit.statement, hit.superseded_by
                )  # fmt: skip
            )
    return out


def near_claims(engine: SearchEngine, texts: Sequence[str], among: Collection[str], *, k: int = 3) -> list[set[str]]:
    """For each text that passes the gate, the ``k`` best claims of ``among``, whatever their probability."""
    allowed = np.zeros(len(engine.index), dtype=bool)
    allowed[[engine.index.row[i] for i in among if i in engine.index.row]] = True
    out: list[set[str]] = [set() for _ in texts]
    if not allowed.any():
        return out
    worth = [(n, text, words) for n, text in enumerate(texts) if (words := terms(text)) and _covered(engine, words) >= _GATE]
    for start in range(0, len(worth), _BATCH):
        chunk = worth[start : start + _BATCH]
        vectors = engine.vectors([text for _, text, _ in chunk])
        scans = engine.index.approximate_many(vectors) if vectors is not None else None
        for j, (n, text, words) in enumerate(chunk):
            vector, scan = _row(vectors, scans, j)
            query = engine.query(text, vector, words=words, approx=scan)
            out[n] = {engine.index.ids[row] for row, _, _ in engine.ranked(query, k, allowed=allowed, depth=_DEPTH)}
    return out


def match_documents(engine: SearchEngine, paths: Iterable[str | Path], *, threshold: float = MATCH_THRESHOLD) -> MatchReport:
    """Every sentence of the documents matched against the engine's claims."""
    from ..documents.reading import read_document
    from ..documents.sentences import block_sentences

    documents = [read_document(path) for path in paths]  # all read first: one unreadable file fails before output
    findings: list[MatchFinding] = []
    count = 0
    for doc in documents:
        pairs = [(s.text, s.line) for block in doc.blocks for s in block_sentences(block, "new")[1]]
        count += len(pairs)
        findings.extend(match_sentences(engine, pairs, str(doc.path), threshold=threshold))
    return MatchReport(tuple(findings), tuple(str(d.path) for d in documents), count)
