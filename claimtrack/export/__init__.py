"""Claims where others read them: schema.org ClaimReview, CiTO-typed CSL-JSON, a SQLite database for Datasette,
nanopublications.

>>> import claimtrack, claimtrack.export
>>> lib = claimtrack.open(".")                                              # doctest: +SKIP
>>> claimtrack.export.write(lib, "claimreview", "build/claims.jsonld")      # doctest: +SKIP
Exported(format='claimreview', paths=(PosixPath('build/claims.jsonld'),), claims=89, note=None)

Every export is deterministic: the same library gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from ..errors import ExportError
from ..fileio import atomic_write
from ..suggest import did_you_mean
from .common import Context
from .selection import Selection, select

__all__ = ["FORMATS", "Exported", "Selection", "select", "render", "write"]

#: Each format, and what it writes.
FORMATS = {
    "claimreview": "schema.org ClaimReview as JSON-LD (with html=True: <script> blocks to paste into a page)",
    "csljson": "the cited sources as CSL-JSON, each with why it is cited (CiTO) by which claim",
    "sqlite": "one SQLite database with full-text search, and a Datasette metadata.json beside it",
    "nanopub": "each claim and each of its corrections as nanopublications in TriG (unsigned)",
}


@attrs.frozen
class Exported:
    """What an export wrote: the paths, how many claims it holds, and a note (for an empty selection)."""

    format: str
    paths: tuple[Path, ...]
    claims: int
    note: str | None = None


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ExportError(
            f"{fmt!r} is not an export format",
            key="FORMAT",
            hint=did_you_mean(fmt, FORMATS) or "use one of " + ", ".join(FORMATS),
        )
    return fmt


def render(lib: Any, fmt: str, *, selection: Selection | None = None, html: bool = False) -> bytes:
    """The export as bytes, for the formats that are one text (all but ``sqlite``)."""
    _check_format(fmt)
    chosen = selection if selection is not None else select(lib)
    ctx = Context(lib)
    if fmt == "claimreview":
        from .claimreview import claimreview_html, claimreview_json

        return (claimreview_html if html else claimreview_json)(ctx, chosen.claims)
    if fmt == "csljson":
        from .csljson import csljson

        return csljson(ctx, chosen.claims)
    if fmt == "nanopub":
        from .nanopub import nanopub_trig

        return nanopub_trig(ctx, chosen.claims)
    raise ExportError("is written to a file, not shown", key="sqlite", hint="give an output file, e.g. -o claims.db")


def _output(path: str | Path) -> Path:
    target = Path(path)
    if target.is_dir():
        raise ExportError("is a folder", file=target, hint="name the output file, e.g. build/claims.db")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"its folder cannot be made ({e.strerror or e})", file=target, hint="name another output file") from e
    return target


def write(
    lib: Any,
    fmt: str,
    path: str | Path,
    *,
    claims: Iterable[str] = (),
    tags: Iterable[str] = (),
    confidence: Iterable[str] = (),
    status: Iterable[str] = (),
    html: bool = False,
    metadata: str | Path | None = None,
) -> Exported:
    """Write ``lib``'s claims (all, or those the filters choose) in ``fmt`` to ``path``, all at once.

    ``sqlite`` also writes a Datasette ``metadata.json`` beside the database (or at ``metadata``).
    """
    _check_format(fmt)
    chosen = select(lib, claims=claims, tags=tags, confidence=confidence, status=status)
    target = _output(path)
    if fmt == "sqlite":
        from .database import write_database

        meta = _output(metadata) if metadata is not None else target.with_name("metadata.json")
        if meta.resolve() == target.resolve():
            raise ExportError("is the database itself", file=meta, hint="name another metadata file")
        paths: tuple[Path, ...] = write_database(Context(lib), chosen.claims, target, meta)
    else:
        atomic_write(target, render(lib, fmt, selection=chosen, html=html))
        paths = (target,)
    return Exported(fmt, paths, len(chosen.claims), chosen.note)
