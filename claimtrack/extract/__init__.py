"""Claims from existing work: a paper's cited sentences proposed as claims, reviewed, applied and cited.

>>> extraction = claimtrack.extract.propose(lib, ["content/02.introduction.md"])   # doctest: +SKIP
>>> claimtrack.extract.write_proposals(extraction, "proposals.toml")               # doctest: +SKIP
>>> claimtrack.extract.apply_proposals(lib, "proposals.toml", cite=True)           # doctest: +SKIP

See docs/extract.md for the proposals file and what ``--history`` recovers from git.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BatchError
from ..fileio import atomic_write
from .cited import CitedSentence, cited_sentences
from .proposals import ApplyResult, apply_proposals, render_proposals, stub_entry
from .propose import Extraction, Proposal, confidence_for, document_key, hedges_in, propose

__all__ = [
    "CitedSentence",
    "cited_sentences",
    "Extraction",
    "Proposal",
    "propose",
    "confidence_for",
    "hedges_in",
    "document_key",
    "render_proposals",
    "write_proposals",
    "apply_proposals",
    "ApplyResult",
    "stub_entry",
]


def write_proposals(extraction: Extraction, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the reviewable proposals file; an existing file (perhaps edited already) is kept unless ``overwrite``."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise BatchError(
            "exists already (it may hold your edits)", file=str(path), hint="apply it with --apply, pass --out NEW, or --force"
        )
    atomic_write(path, render_proposals(extraction, name=str(path)))
    return path
