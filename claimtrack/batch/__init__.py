"""Claims in bulk: a CSV, JSON lines or TOML file, or published ClaimReview markup, added all or nothing.

>>> result = claimtrack.batch.add_from(lib, "claims.csv", by="A. Author")   # doctest: +SKIP
>>> len(result.claims), result.revisions                                       # doctest: +SKIP
(120, 361)

Every row is read and checked before anything is written (ids, levels,
dates, evidence keys, each revision against the claim as it stands then); one
:class:`~claimtrack.errors.BatchError` names every bad row with its line, and
then nothing is written. The shapes are in docs/extract.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BatchError, ClaimtrackError
from ..fileio import read_input
from .build import BatchResult, Row, build_claims, raise_problems, write_claims
from .claimreview import is_claimreview, read_claimreview
from .readers import CSV_COLUMNS, read_csv, read_json_list, read_jsonl, read_toml

if TYPE_CHECKING:
    from ..library import Library

__all__ = ["add_from", "add_rows", "read_rows", "BatchResult", "Row", "CSV_COLUMNS", "FORMATS"]

#: The formats ``add --from`` reads, by name; without a name the file's suffix (or its content) decides.
FORMATS = ("csv", "jsonl", "toml", "claimreview")
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".toml": "toml", ".html": "claimreview", ".htm": "claimreview"}


def _format_of(path: Path, text: str) -> str:
    by_suffix = _SUFFIXES.get(path.suffix.casefold())
    if by_suffix:
        return by_suffix
    if is_claimreview(text):
        return "claimreview"
    if path.suffix.casefold() in (".json", ".jsonld"):
        return "jsonl"
    raise BatchError(
        f"has no known batch format (suffix {path.suffix or 'none'!r})",
        file=str(path),
        hint="name it .csv, .jsonl, .toml or .json (ClaimReview), or pass --format",
    )


def _text(path: Path) -> str:
    try:
        data = read_input(path, error=BatchError)
    except FileNotFoundError as e:
        raise BatchError("no such file", file=str(path), hint="check the path") from e
    except OSError as e:
        raise BatchError(f"cannot be read ({e.strerror or e})", file=str(path), hint="check its permissions") from e
    return _decode(data, path)


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data[:8192]:
        raise BatchError("is not text (it holds NUL bytes)", file=str(path), hint="give a CSV, JSON lines, TOML or JSON-LD file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise BatchError(f"is not UTF-8 (byte {e.start})", file=str(path), line=line, hint="save it as UTF-8") from e


def read_rows(
    lib: Library,
    path: str | Path,
    *,
    format: str | None = None,  # noqa: A002
    text: str | bytes | None = None,
) -> tuple[list[Row], str]:
    """The rows of a batch file and the BibTeX entries it brings (ClaimReview's reviews and appearances).

    ``text``: the file's content when it was read already (standard input); ``path`` then only names it.
    """
    path = Path(path)
    if text is None:
        text = _text(path)
    elif format is None:
        raise BatchError(
            "the format of standard input is not known", file=str(path), hint="pass --format csv, jsonl, toml or claimreview"
        )
    elif isinstance(text, bytes):
        text = _decode(text, path)
    kind = format or _format_of(path, text)
    if kind not in FORMATS:
        raise BatchError(f"unknown batch format {kind!r}", key="format", hint="use one of " + ", ".join(FORMATS))
    file = str(path)
    if kind == "csv":
        return read_csv(text, file=file), ""
    if kind == "toml":
        return read_toml(text, file=file), ""
    if kind == "claimreview":
        known = {**dict.fromkeys(lib.sources), **{p.stem: None for p in lib.store.files()}}
        return read_claimreview(text, file=file, scale=lib.settings.scale, known=known)
    if text.lstrip().startswith("["):
        return read_json_list(text, file=file), ""
    return read_jsonl(text, file=file), ""


def add_rows(
    lib: Library,
    rows: list[Row],
    *,
    bibtex: str = "",
    by: str | None = None,
    date: dt.date | str | None = None,
    what: str = "the batch",
) -> BatchResult:
    """Check every row, then write every claim (and add ``bibtex``'s entries), or nothing."""
    new_keys: tuple[str, ...] = ()
    if bibtex:
        from ..bibsplice import new_blocks

        try:
            _, new_keys = new_blocks(bibtex)
        except ClaimtrackError as e:
            raise BatchError(f"its sources cannot be added: {e.message}", file=what, hint=e.hint) from e
    claims, problems = build_claims(lib, rows, new_sources=new_keys, by=by, date=date)
    raise_problems(problems, what)
    if not claims:
        return BatchResult(())
    return write_claims(lib, claims, bibtex=bibtex or None, what=what)


def add_from(
    lib: Library,
    path: str | Path,
    *,
    format: str | None = None,  # noqa: A002
    by: str | None = None,
    date: dt.date | str | None = None,
    text: str | bytes | None = None,
) -> BatchResult:
    """Add every claim of a batch file (CSV, JSON lines, TOML or ClaimReview), all or nothing.

    ``by`` and ``date`` fill the rows that name no author or date; ``text`` is the file's content when it
    was read already (standard input, with ``format`` given).
    """
    rows, bibtex = read_rows(lib, path, format=format, text=text)
    return add_rows(lib, rows, bibtex=bibtex, by=by, date=date, what=str(path))
