"""The sentence model the search engine embeds with: the WordLlama table shipped in the ``wordllama`` wheel.

The loader lives with the stale scan (:mod:`claimtrack.documents.embedding`),
which reads the wheel's files without downloading anything; it is imported
here only when the engine first needs a vector, so importing the engine
costs nothing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_embedder"]


def load_embedder() -> Any:
    """The model (an object with ``embed(texts)``, ``dim`` and ``name``), or None when it cannot be read."""
    from ..documents.embedding import load_model

    return load_model()
