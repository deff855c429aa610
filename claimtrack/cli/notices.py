"""Commands for the notices about the library's sources: retractions, corrections, expressions of concern."""

from __future__ import annotations

from pathlib import Path

import click

from ..library import Library
from ..views import plural
from ._common import echo, emit, format_option, main, pass_library

NOTICE_COLUMNS = ["source", "kind", "date", "origin", "record", "notice_doi", "matched", "reason", "file", "imported"]


@main.group()
def notices() -> None:
    """Retractions, corrections and expressions of concern of the library's sources.

    \b
    Example:
      claimtrack notices import retraction_watch.csv crossref-works.jsonl
      claimtrack notices list
    """


@notices.command("import")
@click.argument("files", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--by", "by", default=None, help="Who imports, recorded with each new or updated notice. Default: git's user.name.")
@click.option("--date", "date", default=None, help="The day of the import (YYYY-MM-DD), recorded likewise. Default: today.")
@pass_library
def notices_import(lib: Library, files: tuple[Path, ...], by: str | None, date: str | None) -> None:
    """Keep the notices in FILE... that are about the library's sources, in notices.toml.

    Reads the Retraction Watch database's CSV, Crossref works (JSON or JSON
    lines, their update-to and updated-by) and OpenAlex works (JSON lines,
    is_retracted), any of them gzip-compressed, matched by DOI, PubMed id
    or arXiv id. Importing a file
    again changes nothing; a newer file updates the notices it changes.
    Nothing is written when any file cannot be read.

    \b
    Example:
      claimtrack notices import retraction_watch.csv openalex-works.jsonl
    """
    result = lib.import_notices(files, by=by, date=date)
    for read in result.files:
        echo(f"{read.file}: {read.format}, {plural(read.records, 'record')}, {len(read.notices)} about this library's sources")
    status = "notices.toml updated" if result.written else "notices.toml unchanged"
    echo(f"{len(result.added)} added, {len(result.updated)} updated, {result.unchanged} already recorded; {status}")


@notices.command("list")
@format_option()
@pass_library
def notices_list(lib: Library, fmt: str) -> None:
    """List the notices recorded in notices.toml, by source.

    \b
    Example:
      claimtrack notices list --format csv
    """
    rows = [{name: getattr(n, name) for name in NOTICE_COLUMNS} | {"kind": n.kind.value} for n in lib.notices]
    width = max((len(r["source"]) for r in rows), default=0)
    emit(
        rows,
        fmt,
        columns=NOTICE_COLUMNS,
        text=lambda r: f"{r['source']:<{width}}  {r['kind']:<21}  {r['date'] or '----------'}  {r['origin']} {r['record']}",
    )
