"""The library's wordings' embeddings, kept in ``.claimtrack/stale-embeddings.bin``.

Each vector is filed under a digest of the model's name and the text, so a
changed wording or another model simply misses. The file is written and read
with :func:`claimtrack.fileio.write_signed` and :func:`~claimtrack.fileio.read_signed`
like the other derived caches (signed with the per-user key over the library's
folder, a symbolic link never followed), in a folder from
:func:`~claimtrack.fileio.cache_file` (a ``.claimtrack`` that is a link is
refused, and then nothing is cached). Vectors are stored as float16, and fresh
ones are rounded the same way, so a scan gives the same scores with the cache
and without it.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ClaimtrackError
from ..fileio import cache_file, read_signed, write_signed
from .embedding import Embedder

__all__ = ["embed_cached", "CACHE_NAME"]

CACHE_NAME = "stale-embeddings.bin"
_CONTEXT = "claimtrack-stale-embeddings 2"


def _key(model: str, text: str) -> bytes:
    return hashlib.sha256(f"{model}\0{text}".encode()).digest()[:16]


def _read(path: Path, root: Path) -> dict[bytes, Any]:
    """The cached vectors by key; empty when the file is missing, a symlink or not signed by this user for this library."""
    payload = read_signed(path, _CONTEXT, str(root.resolve()))
    if payload is None:
        return {}
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as archive:
            keys, vectors = archive["keys"], archive["vectors"]
    except (OSError, ValueError, KeyError):
        return {}
    if keys.ndim != 1 or vectors.ndim != 2 or len(keys) != len(vectors):
        return {}
    return {bytes(k): v for k, v in zip(keys, vectors, strict=True)}


def _write(path: Path, root: Path, keys: Sequence[bytes], vectors: Any) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, keys=np.array(keys, dtype="S16"), vectors=np.asarray(vectors, dtype=np.float16))
    write_signed(path, buffer.getvalue(), _CONTEXT, str(root.resolve()))  # False (not written) only costs time


def _cache_path(root: Path | None) -> Path | None:
    if root is None:
        return None
    try:
        return cache_file(root, CACHE_NAME)
    except (ClaimtrackError, OSError):
        return None  # a .claimtrack that is a link, not a folder or not ours: no cache


def embed_cached(model: Embedder, texts: Sequence[str], root: Path | None) -> Any:
    """Unit vectors of ``texts`` (float16 precision), read from and saved to the library's cache at ``root``.

    The file keeps exactly the vectors of ``texts``: a wording no longer in the
    library drops out the next time it is written.
    """
    unique = list(dict.fromkeys(texts))
    keys = [_key(model.name, t) for t in unique]
    path = _cache_path(root)
    cached = _read(path, root) if path is not None and root is not None else {}
    missing = [i for i, k in enumerate(keys) if k not in cached or cached[k].shape != (model.dim,)]
    vectors = np.zeros((len(unique), model.dim), dtype=np.float16)
    if missing:
        vectors[missing] = model.embed([unique[i] for i in missing]).astype(np.float16)
    for i, k in enumerate(keys):
        if k in cached and cached[k].shape == (model.dim,):
            vectors[i] = cached[k]
    if path is not None and root is not None and (missing or len(cached) != len(keys)):
        _write(path, root, keys, vectors)
    row = {t: i for i, t in enumerate(unique)}
    return vectors[[row[t] for t in texts]].astype(np.float32) if texts else np.zeros((0, model.dim), np.float32)
