"""The library's wordings' embeddings, kept in ``.claimtrack/stale-embeddings.bin``.

Each vector is filed under a digest of the model's name and the text, so a
changed wording or another model simply misses. The file is signed like the
other derived caches (HMAC-SHA256 with the per-user key of
:func:`claimtrack.fileio.signing_key`); a file whose signature does not verify,
a symlink in its place or a ``.claimtrack`` that is a symlink is ignored, and
without a key there is no cache at all. Vectors are stored as float16, and
fresh ones are rounded the same way, so a scan gives the same scores with the
cache and without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ClaimtrackError
from ..fileio import CACHE_DIR, atomic_write, cache_dir, signing_key
from .embedding import Embedder

__all__ = ["embed_cached", "CACHE_NAME"]

CACHE_NAME = "stale-embeddings.bin"
_MAGIC = b"claimtrack-stale-embeddings 1\n"
_MAC = 32
_LIMIT = 1 << 30  # a cache larger than this is not read


def _key(model: str, text: str) -> bytes:
    return hashlib.sha256(f"{model}\0{text}".encode()).digest()[:16]


def _read(path: Path, secret: bytes) -> dict[bytes, Any]:
    """The cached vectors by key; empty when the file is missing, a symlink, too large or not ours."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return {}
    with os.fdopen(fd, "rb") as handle:
        if os.fstat(handle.fileno()).st_size > _LIMIT:
            return {}
        data = handle.read()
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + _MAC:
        return {}
    mac, payload = data[len(_MAGIC) : len(_MAGIC) + _MAC], data[len(_MAGIC) + _MAC :]
    if not hmac.compare_digest(mac, hmac.digest(secret, payload, "sha256")):
        return {}
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as archive:
            keys, vectors = archive["keys"], archive["vectors"]
    except (OSError, ValueError, KeyError):
        return {}
    if keys.ndim != 1 or vectors.ndim != 2 or len(keys) != len(vectors):
        return {}
    return {bytes(k): v for k, v in zip(keys, vectors, strict=True)}


def _write(path: Path, secret: bytes, keys: Sequence[bytes], vectors: Any) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, keys=np.array(keys, dtype="S16"), vectors=np.asarray(vectors, dtype=np.float16))
    payload = buffer.getvalue()
    with contextlib.suppress(OSError, ClaimtrackError):  # an unwritable cache only costs time
        atomic_write(path, _MAGIC + hmac.digest(secret, payload, "sha256") + payload)


def _cache_file(root: Path | None) -> tuple[Path, bytes] | None:
    if root is None or (root / CACHE_DIR).is_symlink():
        return None
    secret = signing_key()
    if secret is None:
        return None
    try:
        folder = cache_dir(root)
    except ClaimtrackError:
        return None
    path = folder / CACHE_NAME
    return (None if path.is_symlink() else (path, secret)) if folder.is_dir() else None


def embed_cached(model: Embedder, texts: Sequence[str], root: Path | None) -> Any:
    """Unit vectors of ``texts`` (float16 precision), read from and saved to the library's cache at ``root``.

    The file keeps exactly the vectors of ``texts``: a wording no longer in the
    library drops out the next time it is written.
    """
    unique = list(dict.fromkeys(texts))
    keys = [_key(model.name, t) for t in unique]
    place = _cache_file(root)
    cached = _read(*place) if place else {}
    missing = [i for i, k in enumerate(keys) if k not in cached]
    vectors = np.zeros((len(unique), model.dim), dtype=np.float16)
    if missing:
        vectors[missing] = model.embed([unique[i] for i in missing]).astype(np.float16)
    for i, k in enumerate(keys):
        if k in cached and cached[k].shape == (model.dim,):
            vectors[i] = cached[k]
    if place and (missing or len(cached) != len(keys)):
        _write(*place, keys, vectors)
    row = {t: i for i, t in enumerate(unique)}
    return vectors[[row[t] for t in texts]].astype(np.float32) if texts else np.zeros((0, model.dim), np.float32)
