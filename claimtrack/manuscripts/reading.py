"""Reading a manuscript: its syntax by suffix, its claim citations, its prose."""

from __future__ import annotations

from pathlib import Path

from ..documents.latex_text import LATEX_SUFFIXES
from ..documents.reading import read_text
from ..errors import DocumentError
from .pandoc import scan_pandoc
from .records import Manuscript
from .tex import scan_latex

__all__ = ["read_manuscript", "parse_manuscript", "syntax_of", "LATEX_SUFFIXES"]


def syntax_of(path: str | Path) -> str:
    """``latex`` for a ``.tex``, ``.ltx`` or ``.latex`` file (as the stale scan reads them), ``pandoc`` for any other."""
    return "latex" if Path(path).suffix.casefold() in LATEX_SUFFIXES else "pandoc"


def parse_manuscript(text: str, *, path: str | Path = "<text>", syntax: str | None = None) -> Manuscript:
    """A manuscript from its text; ``syntax`` (``pandoc`` or ``latex``) defaults to the one of ``path``.

    >>> m = parse_manuscript("The window is 8192 tokens [@claim:cdv2-context].", path="paper.md")
    >>> [group.claims for group in m.groups]
    [('cdv2-context',)]
    """
    syntax = syntax or syntax_of(path)
    if syntax not in ("pandoc", "latex"):
        raise DocumentError(f"unknown manuscript syntax {syntax!r}", file=str(path), hint="use 'pandoc' or 'latex'")
    scan = scan_latex if syntax == "latex" else scan_pandoc
    try:
        groups, prose, regions = scan(text)
    except (ValueError, IndexError, KeyError, RecursionError) as e:  # parser limits on hostile input
        raise DocumentError(f"cannot be read as {syntax}: {e}", file=str(path)) from e
    return Manuscript(Path(path), text, syntax, tuple(groups), prose, tuple(regions))


def read_manuscript(path: str | Path, *, syntax: str | None = None) -> Manuscript:
    """Read a manuscript file (UTF-8); DocumentError when it cannot be read."""
    return parse_manuscript(read_text(path), path=path, syntax=syntax)
