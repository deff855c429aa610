"""Matching a document's sentence to the claim it states.

A claim is known by its appearances (the words a document used for it) and
every wording its statement has had. A sentence matches the claim whose texts
it is most similar to by :func:`similarity` (0-100, case and punctuation
ignored): the best of rapidfuzz ``ratio``, ``token_sort_ratio`` and, when one
text is at least 1.5 times longer, ``partial_ratio`` scaled by 0.9 (0.6 past
8 times), so a claim stated inside a longer sentence is still found.
(``WRatio`` is not used: its partial token-set part scores 85 for any two
texts sharing one word.)

Threshold: a score of :data:`MATCH_THRESHOLD` (80) or more is a match; a
score of :data:`SPAN_THRESHOLD` (65) is enough when the changed span (old or
new text) also occurs in one of the claim's texts, since the span is then
strong evidence the sentence is about that claim.

Speed: a sentence is scored only against the texts that share a word with
it that few texts have (a word in more than a tenth of them says little),
and against texts made only of such common words; a text sharing none of its
rarer words with the sentence cannot be similar enough to match. A query is
cut at :data:`~.limits.MATCH_WINDOW` times two characters, and the scores
of the last 32,768 queries are kept, so a document repeating one
sentence is matched once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from rapidfuzz import fuzz, process, utils

from ..errors import ClaimtrackError
from ..history import StatementVersion, statement_versions
from ..model import Claim
from .limits import MATCH_WINDOW
from .sentences import normalise

__all__ = ["claims_of", "versions_of", "ClaimMatcher", "contains_words", "similarity", "MATCH_THRESHOLD", "SPAN_THRESHOLD"]

_FINE = re.compile(r"[^\W_]+")
_QUERY_CHARS = 2 * MATCH_WINDOW
_REMEMBERED = 1 << 15  # queries whose scores are kept (a few MB); the oldest is forgotten first
MATCH_THRESHOLD = 80.0
SPAN_THRESHOLD = 65.0


def claims_of(source: Any) -> dict[str, Claim]:
    """Claims from a Library (anything with ``.claims``), a mapping, an iterable of claims, or None."""
    if source is None:
        return {}
    if hasattr(source, "claims") and not isinstance(source, Mapping):
        source = source.claims
    if isinstance(source, Mapping):
        return dict(source)
    return {claim.id: claim for claim in source}


def versions_of(claim: Claim) -> tuple[StatementVersion, ...]:
    """The claim's wordings, oldest first; just the current one when its history does not replay."""
    try:
        found = statement_versions(claim)
    except (ClaimtrackError, ValueError, TypeError, AttributeError):
        found = ()
    if found and found[-1].statement == claim.statement:
        return found
    first = claim.revisions[0] if claim.revisions else None
    if first is None:
        return ()
    return (StatementVersion(claim.statement, 0, first, None),)


def _fine_words(text: str) -> list[str]:
    # hyphens and dots split here, so "only" is found in "code-only"
    return _FINE.findall(normalise(text).casefold())


def contains_words(haystack: str, needle: str) -> bool:
    """Whether ``needle``'s words occur, in order and adjacent, among ``haystack``'s (case-folded).

    >>> contains_words("trained for code-only purposes", "only")
    True
    """
    want = _fine_words(needle)
    if not want:
        return False
    return _joined(want) in _joined(_fine_words(haystack))


def _joined(words: list[str]) -> str:
    """Words as one string with a space on each side, so ``in`` finds whole words only."""
    return f" {' '.join(words)} "


def _sorted_words(text: str) -> str:
    """The text's words in sorted order: ``ratio`` of two of these is rapidfuzz's ``token_sort_ratio``."""
    return " ".join(sorted(text.split()))


def _scores(queries: Sequence[str], texts: Sequence[str], ordered_texts: Sequence[str] | None = None, cutoff: float = 0.0) -> Any:
    """The :func:`similarity` of every query (rows) with every text (columns), on processed strings.

    With ``cutoff``, a score below it may be given as 0, which saves the costly ``partial_ratio``
    wherever it cannot lift a pair to the cutoff. ``ordered_texts`` are the texts' sorted words.
    """
    if ordered_texts is None:
        ordered_texts = [_sorted_words(t) for t in texts]
    plain = np.asarray(process.cdist(queries, texts, scorer=fuzz.ratio, workers=1, score_cutoff=cutoff))
    ordered = np.asarray(
        process.cdist([_sorted_words(q) for q in queries], ordered_texts, scorer=fuzz.ratio, workers=1, score_cutoff=cutoff)
    )
    qlen = np.array([max(len(q), 1) for q in queries], dtype=float)[:, None]
    tlen = np.array([max(len(t), 1) for t in texts], dtype=float)[None, :]
    longer = np.maximum(qlen, tlen) / np.minimum(qlen, tlen)
    scale = np.where(longer >= 8, 0.6, np.where(longer >= 1.5, 0.9, 0.0))
    best = np.maximum(plain, ordered)
    for row, query in enumerate(queries):
        # partial_ratio only counts for texts of quite another length, and only where, scaled, it can reach the cutoff
        for factor in (0.9, 0.6):
            cols = np.flatnonzero(scale[row] == factor)
            if cols.size and factor * 100 >= cutoff:
                partial = process.cdist(
                    [query], [texts[c] for c in cols.tolist()], scorer=fuzz.partial_ratio, workers=1, score_cutoff=cutoff / factor
                )
                best[row, cols] = np.maximum(best[row, cols], np.asarray(partial)[0] * factor)
    return best


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0-100 (see the module doc)."""
    return float(_scores([utils.default_process(a)], [utils.default_process(b)])[0, 0])


@attrs.frozen
class Match:
    claim: str | None
    score: float


class ClaimMatcher:
    """Finds the claim a sentence states, over appearances and statement versions."""

    def __init__(self, claims: Mapping[str, Claim]) -> None:
        self.claims = claims
        self._texts: list[str] = []
        self._owners: list[str] = []
        self._by_claim: dict[str, list[str]] = {}
        self._scored: dict[str, dict[str, float]] = {}
        for claim_id, claim in claims.items():
            texts = [a.text for a in claim.appearances if a.text]
            texts += [v.statement for v in versions_of(claim)] or [claim.statement]
            unique = list(dict.fromkeys(t for t in texts if t and t.strip()))
            self._by_claim[claim_id] = unique
            for text in unique:
                self._texts.append(utils.default_process(text))
                self._owners.append(claim_id)
        self._ordered = [_sorted_words(t) for t in self._texts]
        self._fine: dict[str, list[str]] = {}  # each claim's texts as _joined fine words, made when first needed
        self._vocabulary: set[str] | None = None  # every word of every wording and span revision, made when first needed
        self._postings, self._always = _word_index(self._texts)

    def texts(self, claim_id: str) -> list[str]:
        return self._by_claim.get(claim_id, [])

    def may_know(self, old: str) -> bool:
        """Whether some claim's history could name the text that replaced ``old`` (see ``tracked._refine``).

        False when a word of ``old`` is in no wording of any claim nor in any span revision: no
        claim's history can then hold it, and the sentence need not be matched for that.
        """
        if self._vocabulary is None:
            words: set[str] = set()
            for claim in self.claims.values():
                texts = [v.statement for v in versions_of(claim)]
                texts += [t for r in claim.revisions if r.is_span_edit for t in (r.old, r.new) if t]
                for text in texts:
                    words.update(_fine_words(text))
            self._vocabulary = words
        wanted = _fine_words(old)
        return not wanted or all(w in self._vocabulary for w in wanted)

    def match(self, sentences: Sequence[str], spans: Iterable[str | None] = ()) -> Match:
        """The best claim for a sentence (given in one or more renderings), or ``Match(None, best)``."""
        if not self._texts:
            return Match(None, 0.0)
        wanted = [w for w in (_joined(_fine_words(s)) for s in spans if s and s.strip()) if w.strip()]
        # spaces collapsed first: a sentence with its struck words taken out is the same query as the clean one
        queries = [q for q in (utils.default_process(" ".join(s[:_QUERY_CHARS].split())) for s in sentences) if q]
        if not queries:
            return Match(None, 0.0)
        best: dict[str, float] = {}
        for query in queries:
            for owner, score in self._scores_of(query).items():
                best[owner] = max(best.get(owner, 0.0), score)
        ranked = []
        for claim_id, score in best.items():
            has_span = any(w in t for t in self._fine_words_of(claim_id) for w in wanted)
            if score >= MATCH_THRESHOLD or (has_span and score >= SPAN_THRESHOLD):
                ranked.append((has_span, score, claim_id))
        if not ranked:
            return Match(None, max(best.values(), default=0.0))
        # A claim whose texts hold the changed span beats a slightly more similar one that does not.
        has_span, score, claim_id = max(ranked, key=lambda r: (r[1] + (8 if r[0] else 0), r[2]))
        return Match(claim_id, round(score, 1))

    def _fine_words_of(self, claim_id: str) -> list[str]:
        found = self._fine.get(claim_id)
        if found is None:
            found = self._fine[claim_id] = [_joined(_fine_words(t)) for t in self._by_claim[claim_id]]
        return found

    def _scores_of(self, query: str) -> dict[str, float]:
        """Each claim's best score, where at least :data:`SPAN_THRESHOLD`, for one processed query; remembered."""
        found = self._scored.get(query)
        if found is not None:
            return found
        if len(self._scored) >= _REMEMBERED:
            del self._scored[next(iter(self._scored))]
        found = self._scored[query] = {}
        candidates = self._candidates(query)
        if candidates:
            texts = [self._texts[i] for i in candidates]
            ordered = [self._ordered[i] for i in candidates]
            scores = _scores([query], texts, ordered, cutoff=SPAN_THRESHOLD)[0]
            for at in np.flatnonzero(scores >= SPAN_THRESHOLD):
                owner = self._owners[candidates[at]]
                found[owner] = max(found.get(owner, 0.0), float(scores[at]))
        return found

    def _candidates(self, query: str) -> list[int]:
        """The texts worth scoring against the query (see the module doc), in index order."""
        found = set(self._always)
        for word in set(query.split()):
            found.update(self._postings.get(word, ()))
        return sorted(found)


def _word_index(texts: Sequence[str]) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """The texts holding each rarer word, and the texts that hold no rarer word (see the module doc)."""
    holders: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        for word in set(text.split()):
            holders.setdefault(word, []).append(index)
    common = max(8, len(texts) // 10)
    postings = {word: tuple(found) for word, found in holders.items() if len(found) <= common}
    covered = {index for found in postings.values() for index in found}
    return postings, tuple(i for i in range(len(texts)) if i not in covered)
