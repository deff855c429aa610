"""The search index of a library: two BM25 fields and one sentence vector per claim, kept in ``.claimtrack/``.

The index is derived data, written with :func:`claimtrack.fileio.write_signed`
to ``.claimtrack/search-index.bin`` (signed with the per-user key over the
library's folder; a file that does not verify is ignored and rebuilt, never
trusted). Each claim's entry carries a digest of its indexed texts: when the
library changes, entries whose claims kept their texts are taken over as they
are (their terms and vectors, no tokenizing or embedding) and only the
changed and new claims are read again.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ClaimtrackError
from ..fileio import cache_file, read_signed, write_signed
from .bm25 import Field, doc_major
from .fields import ClaimText
from .text import clean, negated, numbers, terms

__all__ = ["SearchIndex", "CACHE_NAME"]

CACHE_NAME = "search-index.bin"
_CONTEXT = "claimtrack-search-index 1"
_CLAIM, _CONTEXT_FIELD = "claim", "context"
_EMPTY = (np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint16))
EXACT_UP_TO = 4_096  # claims: up to this many, every query is compared with every vector
_REDUCED = 64  # dimensions of the reduced vectors a larger library is scanned with
_SAMPLE = 8_192  # vectors the reduction is computed from
_CHUNK = 8_192


def _gather(ptr: Any, values: Any, rows: Any) -> tuple[Any, Any]:
    """The doc-major slices of ``rows`` (in that order) as a new (ptr, values) pair."""
    rows = np.asarray(rows, dtype=np.int64)
    starts, ends = ptr[rows], ptr[rows + 1]
    lengths = ends - starts
    new_ptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    if not len(rows) or not new_ptr[-1]:
        return new_ptr, values[:0]
    offsets = np.repeat(starts - new_ptr[:-1], lengths)
    return new_ptr, values[np.arange(new_ptr[-1]) + offsets]


class SearchIndex:
    """Per claim (in ``ids`` order): BM25 over the claim and context fields, a unit vector, numbers, negation."""

    def __init__(self, ids: Sequence[str], digests: Sequence[bytes], claim: Field, context: Field, vectors: Any,
                 model: str, nums: Sequence[frozenset[str]], negation: Any, basis: Any = None, scan: Any = None) -> None:  # fmt: skip
        self.ids = list(ids)
        self.row = {claim_id: i for i, claim_id in enumerate(self.ids)}
        self.digests = list(digests)
        self.claim = claim
        self.context = context
        # Vectors are held as float16 (half the memory); only the candidates' rows are widened to compare them exactly.
        self.vectors = np.asarray(vectors, dtype=np.float16) if vectors is not None else None
        self.model = model
        self.basis: Any = None  # (mean, components) of the reduction, for a library of more than EXACT_UP_TO claims
        self.scan: Any = None  # what every query is compared with: the vectors, or their reduction (float32)
        if self.vectors is not None:
            self._reduce(basis, scan)
        self.numbers = list(nums)
        self.negated = np.asarray(negation, dtype=bool)
        self.fresh = 0  # claims tokenized and embedded afresh when it was built (the others were taken over)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        """The index's arrays in memory, in bytes (the vocabulary and per-claim lists are not counted)."""
        vectors = self.vectors.nbytes if self.vectors is not None else 0
        scan = self.scan.nbytes if self.scan is not None else 0
        return self.claim.nbytes + self.context.nbytes + vectors + scan

    def _reduce(self, basis: Any, scan: Any) -> None:
        """What queries scan: up to EXACT_UP_TO claims, the vectors themselves; beyond, their projection on the
        first principal axes (``basis``, kept from the index this one was updated from, so old rows stay valid)."""
        assert self.vectors is not None
        n = len(self.vectors)
        if n <= EXACT_UP_TO and basis is None:
            self.scan = self.vectors.astype(np.float32)
            return
        if basis is None:
            step = max(1, n // _SAMPLE)
            sample = self.vectors[::step].astype(np.float32)
            mean = sample.mean(axis=0)
            _, _, axes = np.linalg.svd(sample - mean, full_matrices=False)
            basis = (mean.astype(np.float32), np.ascontiguousarray(axes[:_REDUCED], dtype=np.float32))
        self.basis = basis
        if scan is not None and scan.shape == (n, basis[1].shape[0]):
            self.scan = np.asarray(scan, dtype=np.float32)
            return
        self.scan = np.zeros((n, basis[1].shape[0]), dtype=np.float32)
        for start in range(0, n, _CHUNK):
            block = self.vectors[start : start + _CHUNK].astype(np.float32)
            self.scan[start : start + _CHUNK] = block @ basis[1].T

    def approximate(self, vector: Any) -> Any:
        """Every claim's similarity to a unit ``vector``: the cosine, or its reduced estimate (ranks alike, up to
        a constant, where the reduction holds)."""
        if self.basis is None:
            return self.scan @ vector
        return self.scan @ (self.basis[1] @ vector)

    def approximate_many(self, vectors: Any) -> Any:
        """:meth:`approximate` for many vectors at once (one matrix product), as a ``len(vectors) x n`` array."""
        queries = np.asarray(vectors, dtype=np.float32)
        if self.basis is not None:
            queries = queries @ self.basis[1].T
        return queries @ self.scan.T

    def cosines(self, rows: Any, vector: Any) -> Any:
        """The exact cosines of the claims ``rows`` with ``vector``."""
        assert self.vectors is not None
        return self.vectors[rows].astype(np.float32) @ vector

    # -- building -----------------------------------------------------------

    @classmethod
    def build(cls, texts: Mapping[str, ClaimText], embedder: Any, previous: SearchIndex | None = None) -> SearchIndex:
        """The index of ``texts`` (claim id -> its texts); entries of ``previous`` whose digest is unchanged are
        reused. ``embedder`` is the sentence model (None: no vectors, the engine ranks by words alone)."""
        model = embedder.name if embedder is not None else ""
        digests = {claim_id: text.digest for claim_id, text in texts.items()}
        kept_rows: list[int] = []
        kept_ids: list[str] = []
        if previous is not None and previous.model == model:
            for claim_id, row in previous.row.items():
                if digests.get(claim_id) == previous.digests[row]:
                    kept_rows.append(row)
                    kept_ids.append(claim_id)
        kept = set(kept_ids)
        fresh_ids = [claim_id for claim_id in texts if claim_id not in kept]
        fresh = [texts[claim_id] for claim_id in fresh_ids]
        vocab = dict(previous.claim.vocab) if previous is not None and kept_rows else {}
        claim_new = doc_major([terms(t.claim) for t in fresh], vocab)
        context_new = doc_major([terms(t.context) for t in fresh], vocab)
        claim_field = cls._join(previous.claim if kept_rows and previous else None, kept_rows, claim_new, vocab)
        context_field = cls._join(previous.context if kept_rows and previous else None, kept_rows, context_new, vocab)
        vectors = None
        basis = None
        if embedder is not None:
            new_vectors = embedder.embed([clean(t.meaning, handles=False) for t in fresh]) if fresh else None
            if new_vectors is not None:  # as the cache holds them, so a claim scores the same before and after a save
                new_vectors = np.asarray(new_vectors, dtype=np.float16).astype(np.float32)
            parts = []
            if kept_rows and previous is not None and previous.vectors is not None:
                parts.append(previous.vectors[kept_rows].astype(np.float32))
            if new_vectors is not None:
                parts.append(np.asarray(new_vectors, dtype=np.float32))
            vectors = np.concatenate(parts) if parts else np.zeros((0, embedder.dim), dtype=np.float32)
            if kept_rows and previous is not None and previous.basis is not None:
                basis = previous.basis
        nums = [previous.numbers[r] for r in kept_rows] if previous is not None else []
        nums += [numbers(t.claim) for t in fresh]
        negation = list(previous.negated[kept_rows]) if previous is not None and kept_rows else []
        negation += [negated(t.claim) for t in fresh]
        ids = kept_ids + fresh_ids
        wanted = list(texts)
        if ids != wanted:  # the order of ``texts`` decides ties: it must not depend on what was cached
            position = {claim_id: i for i, claim_id in enumerate(ids)}
            rows = [position[claim_id] for claim_id in wanted]
            claim_field = cls._join(claim_field, rows, _EMPTY, vocab)
            context_field = cls._join(context_field, rows, _EMPTY, vocab)
            vectors = vectors[rows] if vectors is not None else None
            nums = [nums[r] for r in rows]
            negation = [negation[r] for r in rows]
            ids = wanted
        index = cls(ids, [digests[i] for i in ids], claim_field, context_field, vectors, model, nums, negation, basis)
        index.fresh = len(fresh_ids)
        return index

    @staticmethod
    def _join(old: Field | None, rows: list[int], new: tuple[Any, Any, Any], vocab: dict[str, int]) -> Field:
        """A field of the ``rows`` of ``old`` followed by the ``new`` documents (doc-major arrays)."""
        new_ptr, new_terms, new_counts = new
        if old is None or not rows:
            return Field(vocab, new_ptr, new_terms, new_counts)
        ptr, ids = _gather(old.doc_ptr, old.doc_terms, rows)
        _, counts = _gather(old.doc_ptr, old.doc_counts, rows)
        joined_ptr = np.concatenate([ptr, new_ptr[1:] + ptr[-1]])
        return Field(vocab, joined_ptr, np.concatenate([ids, new_terms]), np.concatenate([counts, new_counts]))

    # -- the cache ----------------------------------------------------------

    def to_bytes(self) -> bytes:
        vocab = sorted(self.claim.vocab, key=self.claim.vocab.__getitem__)
        buffer = io.BytesIO()
        arrays: dict[str, Any] = {
            "ids": np.frombuffer("\n".join(self.ids).encode(), dtype=np.uint8),
            "vocab": np.frombuffer("\n".join(vocab).encode("utf-8", "surrogatepass"), dtype=np.uint8),
            "model": np.frombuffer(self.model.encode(), dtype=np.uint8),
            "digests": np.array(self.digests, dtype="S16"),
            "numbers": np.frombuffer("\n".join(" ".join(sorted(n)) for n in self.numbers).encode(), dtype=np.uint8),
            "negated": self.negated,
        }
        for name, field in ((_CLAIM, self.claim), (_CONTEXT_FIELD, self.context)):
            arrays[f"{name}_ptr"], arrays[f"{name}_terms"], arrays[f"{name}_counts"] = (
                field.doc_ptr,
                field.doc_terms,
                field.doc_counts,
            )
        if self.vectors is not None:
            arrays["vectors"] = self.vectors
        if self.basis is not None:
            arrays["mean"], arrays["axes"] = self.basis
            arrays["scan"] = self.scan.astype(np.float16)
        np.savez(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, payload: bytes) -> SearchIndex | None:
        """The index in ``payload``, or None when it is not one (then it is built again)."""
        try:
            with np.load(io.BytesIO(payload), allow_pickle=False) as archive:
                data = {name: archive[name] for name in archive.files}
            text = {name: bytes(data[name]).decode("utf-8", "surrogatepass") for name in ("ids", "vocab", "model", "numbers")}
            ids = text["ids"].split("\n") if text["ids"] else []
            vocab_list = text["vocab"].split("\n") if text["vocab"] else []
            vocab = {word: i for i, word in enumerate(vocab_list)}
            nums = [frozenset(line.split()) for line in text["numbers"].split("\n")] if ids else []
            fields = [
                Field(vocab, data[f"{name}_ptr"], data[f"{name}_terms"], data[f"{name}_counts"])
                for name in (_CLAIM, _CONTEXT_FIELD)
            ]
            vectors = data.get("vectors")
            basis = (data["mean"], data["axes"]) if "axes" in data and "mean" in data else None
            scan = data.get("scan")
        except (OSError, ValueError, KeyError, UnicodeDecodeError, IndexError):
            return None
        sizes = {len(ids), len(data["digests"]), len(nums), len(data["negated"]), fields[0].size, fields[1].size}
        if len(sizes) != 1 or len(vocab) != len(vocab_list) or (vectors is not None and len(vectors) != len(ids)):
            return None
        for field in fields:
            if len(field.doc_terms) and int(field.doc_terms.max()) >= len(vocab):
                return None
        if vectors is not None and (vectors.ndim != 2 or (basis is not None and basis[1].shape[1:] != vectors.shape[1:])):
            return None
        return cls(ids, [bytes(d) for d in data["digests"]], fields[0], fields[1], vectors, text["model"], nums, data["negated"],
                   basis, scan)  # fmt: skip

    @classmethod
    def load(cls, root: Path | None) -> SearchIndex | None:
        """The cached index of the library at ``root``; None when absent or not signed by this user for it."""
        path = _path(root)
        if path is None or root is None:
            return None
        payload = read_signed(path, _CONTEXT, str(root.resolve()))
        return cls.from_bytes(payload) if payload is not None else None

    def save(self, root: Path | None) -> bool:
        """Write the index to the library's cache; False when it cannot be (searching goes on without it)."""
        path = _path(root)
        if path is None or root is None:
            return False
        return write_signed(path, self.to_bytes(), _CONTEXT, str(root.resolve()))


def _path(root: Path | None) -> Path | None:
    if root is None:
        return None
    with contextlib.suppress(ClaimtrackError, OSError):
        return cache_file(root, CACHE_NAME)
    return None  # a .claimtrack that is a link, not a folder or not ours: no cache
