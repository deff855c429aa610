"""Sentence embeddings from the WordLlama model shipped inside the ``wordllama`` wheel.

The wheel carries its weights (``weights/l2_supercat_256.safetensors``, a
32,000 x 256 token table, 16 MB) and its tokenizer
(``tokenizers/l2_supercat_tokenizer_config.json``). They are read here
straight from the installed package: WordLlama's own loader looks for the
tokenizer under ``tokenizer/`` and downloads what it does not find, and
nothing may be downloaded at run time. A sentence's vector is the mean of its
tokens' rows, scaled to unit length (what ``WordLlama.embed(norm=True)``
computes), so the cosine similarity of two texts is a dot product.

>>> model = load_model()                                   # doctest: +SKIP
>>> a, b = model.embed(["We do not know about BLOOM.", "The situation with BLOOM is unknown."])  # doctest: +SKIP
>>> round(float(a @ b), 2)                                 # doctest: +SKIP
0.79
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Embedder", "load_model", "MODEL_NAME"]

MODEL_NAME = "wordllama-l2_supercat_256"
_WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
_TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
_BATCH = 512  # texts per gather: their token rows then stay in cache (2x faster than 4096)


class Embedder:
    """Unit-length sentence vectors from a token table and a tokenizer."""

    def __init__(self, table: Any, tokenizer: Any, name: str) -> None:
        self.table = np.ascontiguousarray(table, dtype=np.float32)
        self.tokenizer = tokenizer
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.name = name  # identifies the model in cache keys
        self.dim = int(self.table.shape[1])

    def embed(self, texts: Sequence[str]) -> Any:
        """An ``len(texts) x dim`` float32 array of unit vectors (a zero row for a text with no tokens)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), _BATCH):
            chunk = list(texts[start : start + _BATCH])
            encoded = self.tokenizer.encode_batch(chunk, add_special_tokens=False)
            lengths = np.fromiter((len(e.ids) for e in encoded), dtype=np.int64, count=len(encoded))
            if not lengths.sum():
                continue
            ids = np.fromiter((i for e in encoded for i in e.ids), dtype=np.int64, count=int(lengths.sum()))
            np.clip(ids, 0, self.table.shape[0] - 1, out=ids)
            rows = self.table[ids]
            filled = np.flatnonzero(lengths)
            offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])[filled]
            sums = np.add.reduceat(rows, offsets, axis=0)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            out[start + filled] = sums / np.maximum(norms, 1e-12)
        return out


def _package_folder() -> Path | None:
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@functools.cache
def load_model() -> Embedder | None:
    """The WordLlama model from the installed wheel, or None when the package or its files are missing.

    Only the wheel's data files are read (``import wordllama`` is not needed):
    the safetensors table through ``safetensors.numpy`` and the tokenizer
    through ``tokenizers``.
    """
    folder = _package_folder()
    if folder is None or not (folder / _WEIGHTS).is_file() or not (folder / _TOKENIZER).is_file():
        return None
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        weights = load_file(str(folder / _WEIGHTS))
        tokenizer = Tokenizer.from_file(str(folder / _TOKENIZER))
    except (ImportError, OSError, ValueError, RuntimeError, Exception):  # noqa: BLE001 - no model: lexical scan only
        return None
    table = weights.get("embedding.weight")
    if table is None or getattr(table, "ndim", 0) != 2:
        return None
    digest = hashlib.sha256((folder / _WEIGHTS).read_bytes()[: 1 << 20]).hexdigest()[:12]
    return Embedder(table, tokenizer, f"{MODEL_NAME}-{digest}")
