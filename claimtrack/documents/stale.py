"""Stale: passages in other documents that still state a superseded version of a claim.

The superseded wordings come from :mod:`.superseded` (corrections, retracted
claims, claims superseded by another); whether a sentence states one is
decided by the rules of :mod:`.stale_rules` (span, value, meaning), each
reporting its evidence. Candidates are found three ways, so a sentence is
only judged against wordings it could state:

* the rarest word of each old span (``C4``, ``should also be``), and of
  each wording of a retracted or superseded claim;
* the rarest word of each subject of a wording whose values changed
  (``PaLM``), so a translation that keeps the name is found;
* the nearest old texts by sentence embedding (WordLlama, from the installed
  wheel: :mod:`.embedding`), for paraphrases; the library's wordings'
  vectors are cached in ``.claimtrack/`` (:mod:`.embedding_cache`);
* for a Library, the claims the search engine ranks first for the sentence
  (``Library.claims_near``, :mod:`claimtrack.search`), for paraphrases that
  change every span's words.

Without the model (``embeddings=False``, or the package is missing) the scan
is lexical: the span and value rules judge by words alone.

>>> engine = StaleEngine(lib)                               # doctest: +SKIP
>>> for f in engine.passage("PaLM has 8% code training data.", line=239):  # doctest: +SKIP
...     print(f.line, f.claim, f.why)
239 reasoning-injected-by-code-pretraining names palm and states 8%, which revision 1 replaced with 5%
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .embedding import load_model
from .embedding_cache import embed_cached
from .matching import claims_of
from .reading import read_document
from .records import StaleFinding
from .sentences import block_sentences, cjk_share, split_sentences
from .stale_rules import RETRIEVE, RETRIEVE_CJK, SPAN_SCORE, Candidate, decide
from .superseded import Wording, core_span, superseded_wordings, value_set, word_changes
from .values import CJK_CLASS, tokens

__all__ = ["StaleEngine", "find_stale", "stale_passage", "STALE_THRESHOLD", "core_span", "word_changes"]

STALE_THRESHOLD = SPAN_SCORE
_NEAREST = 6  # old texts retrieved per sentence by embedding
_CHUNK = 1024  # sentences per similarity block
_ANY_CJK = re.compile(f"[{CJK_CLASS}]")


class StaleEngine:
    """Every superseded wording of a set of claims, indexed for scanning many sentences.

    ``claims`` is a Library (its ``.claimtrack/`` folder then caches the
    wordings' embeddings), a mapping or an iterable of claims.
    ``embeddings=False`` scans by words only. ``cache_root`` names the folder
    whose ``.claimtrack/`` holds the cache when ``claims`` is not a Library.
    """

    def __init__(self, claims: Any, *, embeddings: bool = True, cache_root: str | Path | None = None,
                 near: Callable[[Sequence[str], Collection[str]], list[set[str]]] | None = None) -> None:  # fmt: skip
        by_id = claims_of(claims)
        self.wordings: list[Wording] = [w for claim in by_id.values() for w in superseded_wordings(claim, by_id)]
        # More candidates from the search engine (a Library's ``claims_near``): for each sentence, the claims it
        # may restate in other words; the rules below still decide.
        self._near = near if near is not None else (getattr(claims, "claims_near", None) if embeddings else None)
        self._owned: dict[str, list[int]] = {}
        for i, wording in enumerate(self.wordings):
            self._owned.setdefault(wording.claim.id, []).append(i)
        root = cache_root if cache_root is not None else getattr(claims, "root", None)
        self._root = Path(root) if root is not None else None
        self._by_token = self._file_under((i, _keys(w)) for i, w in enumerate(self.wordings))
        self.model = load_model() if embeddings and self.wordings else None
        self._old_owner: Any = np.zeros(0, dtype=np.int64)
        if self.model is not None:
            olds = [(i, t) for i, w in enumerate(self.wordings) for t in w.old_sentences]
            news = [(i, t) for i, w in enumerate(self.wordings) for t in w.current_sentences]
            vectors = embed_cached(self.model, [t for _, t in olds] + [t for _, t in news], self._root)
            self._old = vectors[: len(olds)]
            self._old_owner = np.array([i for i, _ in olds], dtype=np.int64)
            self._new = vectors[len(olds) :]
            # each wording's rows are consecutive: (first, last + 1) slices are views, not copies
            self._old_rows = _slices(i for i, _ in olds)
            self._new_rows = _slices(i for i, _ in news)

    @staticmethod
    def _file_under(keyed: Iterable[tuple[int, Sequence[Sequence[str]]]]) -> dict[str, list[int]]:
        """Each key (a token sequence) filed under its rarest token."""
        pairs = [(i, key) for i, keys in keyed for key in keys]
        frequency: dict[str, int] = {}
        for _, key in pairs:
            for token in set(key):
                frequency[token] = frequency.get(token, 0) + 1
        index: dict[str, list[int]] = {}
        for i, key in pairs:
            token = min(key, key=lambda t: (frequency[t], -len(t)))
            index.setdefault(token, []).append(i)
        return index

    def _nearest(self, vectors: Any, floors: Any) -> list[set[int]]:
        """Per sentence vector, the wordings of its (at most :data:`_NEAREST`) nearest old texts above its floor.

        Only the meaning rules need these (the span and value rules find their
        candidates by word), so the floor is the lowest similarity they accept.
        """
        out: list[set[int]] = []
        if not len(self._old):
            return [set() for _ in range(len(vectors))]
        k = min(_NEAREST, len(self._old))
        for start in range(0, len(vectors), _CHUNK):
            block = vectors[start : start + _CHUNK] @ self._old.T
            above = block >= floors[start : start + _CHUNK, None]
            for row in range(len(block)):
                columns = np.flatnonzero(above[row])
                if len(columns) > k:
                    columns = columns[np.argpartition(-block[row, columns], k - 1)[:k]]
                out.append(set(self._old_owner[columns].tolist()))
        return out

    def _similarities(self, vector: Any, i: int) -> tuple[float | None, float | None]:
        first, last = self._old_rows[i]
        old = float(np.max(self._old[first:last] @ vector))
        rows = self._new_rows.get(i)
        return old, (float(np.max(self._new[rows[0] : rows[1]] @ vector)) if rows else None)

    def sentences(
        self, texts: Sequence[str], before: Sequence[str] = (), *, within: Sequence[Collection[str]] | None = None
    ) -> list[list[tuple[Wording, float, str]]]:
        """For each sentence, the wordings it states as ``(wording, score, why)``, best first: one per claim, and
        besides it each other revision of that claim whose old span the sentence still holds.

        ``before`` gives, per sentence, the sentence before it in its paragraph
        ("" for the first), which may name the subject ("they exhibit ...").
        ``within`` gives, per sentence, the claim ids it is judged against (every
        wording of those, none of the others'), for a sentence known to cite them.
        """
        before = list(before) or [""] * len(texts)
        vectors = self.model.embed(list(texts)) if self.model is not None and texts else None
        cjk = [_ANY_CJK.search(text) is not None and cjk_share(text) >= 0.3 for text in texts]
        if within is not None:
            owned: dict[str, list[int]] = {}
            for i, wording in enumerate(self.wordings):
                owned.setdefault(wording.claim.id, []).append(i)
            nearest = [{i for claim_id in ids for i in owned.get(claim_id, ())} for ids in within]
        elif vectors is not None:
            nearest = self._nearest(vectors, np.where(cjk, RETRIEVE_CJK, RETRIEVE).astype(np.float32))
        else:
            nearest = [set() for _ in texts]
        if within is None and self._near is not None and self.wordings:
            for near, ids in zip(nearest, self._near(texts, self._owned.keys()), strict=True):
                near.update(i for claim_id in ids for i in self._owned[claim_id])
        out: list[list[tuple[Wording, float, str]]] = []
        for n, text in enumerate(texts):
            words = tokens(text)
            if not words:
                out.append([])
                continue
            candidates = set(nearest[n])
            for token in set(words) if within is None else ():
                candidates.update(self._by_token.get(token, ()))
            present = frozenset(value_set(text, words))
            best: dict[str, tuple[Wording, float, str]] = {}
            spans: list[tuple[Wording, float, str, str]] = []
            for i in sorted(candidates):
                wording = self.wordings[i]
                old, new = self._similarities(vectors[n], i) if vectors is not None else (None, None)
                candidate = Candidate(text, tuple(words), cjk[n], old, new, tuple(tokens(before[n])), present)
                verdict = decide(candidate, wording)
                if verdict is None:
                    continue
                if verdict.span is not None:
                    spans.append((wording, verdict.score, verdict.why, verdict.span))
                held = best.get(wording.claim.id)
                if held is None or verdict.score > held[1]:
                    best[wording.claim.id] = (wording, verdict.score, verdict.why)
            found = list(best.values()) + _other_spans(best, spans)
            out.append(sorted(found, key=lambda item: (-item[1], item[0].claim.id, item[0].revision)))
        return out

    def findings(
        self, sentences: Sequence[tuple[str, int]], file: str = "", before: Sequence[str] = (), *,
        within: Sequence[Collection[str]] | None = None,
    ) -> list[StaleFinding]:  # fmt: skip
        """Findings for ``(sentence, line)`` pairs of one file (``before``, ``within``: see :meth:`sentences`)."""
        judged = self.sentences([text for text, _ in sentences], before, within=within)
        return [
            _finding(file, line, text, wording, score, why)
            for (text, line), found in zip(sentences, judged, strict=True)
            for wording, score, why in found
        ]

    def passage(self, text: str, line: int = 1, file: str = "") -> list[StaleFinding]:
        """Findings for a passage of plain text whose first line is ``line``: each sentence at the line it starts on."""
        pairs = [(" ".join(text[s:e].split()), line + text.count("\n", 0, s)) for s, e in split_sentences(text)]
        return self.findings(pairs, file, ["", *(t for t, _ in pairs[:-1])])


def _keys(wording: Wording) -> list[Sequence[str]]:
    """The token sequences a wording is found by: its old spans, its subjects when values changed, and for a
    retracted or superseded claim each of its wordings' sentences (so it is found without embeddings too)."""
    keys: list[Sequence[str]] = [tokens(old) for old, _ in wording.changes if tokens(old)]
    if wording.old_values:
        keys += wording.subjects
    if wording.kind != "correction":
        keys += [found for text in wording.old_sentences if (found := tokens(text))]
    return keys


def _other_spans(
    best: dict[str, tuple[Wording, float, str]], spans: list[tuple[Wording, float, str, str]]
) -> list[tuple[Wording, float, str]]:
    """The span findings of a claim beside its best one: each other revision whose old span the sentence still holds.

    "ChestX-ray8 has 108,948 images from 32,717 patients." after one revision
    corrected each number states two superseded spans, and both are reported
    (so ``stale --fix`` fixes both), once each.
    """
    out: list[tuple[Wording, float, str]] = []
    taken = {(wording.claim.id, wording.revision) for wording, _, _ in best.values()}
    held = {(wording.claim.id, old) for wording, _, _ in best.values() for old, _ in wording.changes}
    for wording, score, why, old in spans:
        if (wording.claim.id, wording.revision) in taken or (wording.claim.id, old) in held:
            continue
        taken.add((wording.claim.id, wording.revision))
        held.add((wording.claim.id, old))
        out.append((wording, score, why))
    return out


def _slices(owners: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Each owner's (first row, last row + 1), for rows listed owner by owner."""
    out: dict[int, tuple[int, int]] = {}
    for row, owner in enumerate(owners):
        first = out.get(owner, (row, row))[0]
        out[owner] = (first, row + 1)
    return out


def _finding(file: str, line: int, sentence: str, wording: Wording, score: float, why: str) -> StaleFinding:
    revision = wording.claim.revisions[wording.revision]
    return StaleFinding(
        file=file, line=line, sentence=sentence, claim=wording.claim.id, superseded=wording.superseded,
        current=wording.current, old=wording.old, new=wording.new, revision=wording.revision,
        revision_date=revision.date, revision_kind=revision.kind, score=round(score, 1), why=why,
        kind=wording.kind, changes=wording.changes, successor=wording.successor,
    )  # fmt: skip


def stale_passage(claims: Any, text: str, line: int = 1, *, embeddings: bool = True) -> list[StaleFinding]:
    """The superseded wordings a passage states, as findings (``file`` empty).

    ``claims`` is a :class:`StaleEngine` (reuse one for many passages) or
    anything :class:`StaleEngine` takes. Each finding carries the claim id,
    the superseded and current wordings, the changed spans (``changes``) of a
    span edit, the score, the rule's evidence (``why``) and the kind
    (``correction``, ``retracted``, ``superseded`` with its ``successor``).

    >>> [f.why for f in stale_passage(lib, "PaLM has 8% code training data.")]  # doctest: +SKIP
    ['names palm and states 8%, which revision 1 replaced with 5%']
    """
    engine = claims if isinstance(claims, StaleEngine) else StaleEngine(claims, embeddings=embeddings)
    return engine.passage(text, line)


def find_stale(claims: Any, paths: Iterable[str | Path], *, embeddings: bool = True) -> list[StaleFinding]:
    """Every sentence of the documents that states a superseded version of a claim.

    ``claims`` is a Library, a mapping, an iterable of claims, or a
    :class:`StaleEngine`. Markdown is read by suffix (struck text is not what
    a document says now); other files, LaTeX included, as text.

    >>> for f in find_stale(lib, ["copy.md"]):  # doctest: +SKIP
    ...     print(f.file, f.line, f.claim, f.old, "->", f.new)
    copy.md 232 gpt3-pretraining-corpus C4 -> Common Crawl
    """
    documents = [read_document(path) for path in paths]  # read all first: one unreadable file fails before output
    engine = claims if isinstance(claims, StaleEngine) else StaleEngine(claims, embeddings=embeddings)
    findings: list[StaleFinding] = []
    for doc in documents:
        pairs: list[tuple[str, int]] = []
        before: list[str] = []
        for block in doc.blocks:
            sentences = block_sentences(block, "new")[1]
            pairs += [(s.text, s.line) for s in sentences]
            before += ["", *(s.text for s in sentences[:-1])]
        findings.extend(engine.findings(pairs, str(doc.path), before))
    return findings
