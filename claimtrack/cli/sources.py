"""Commands for references.bib."""

from __future__ import annotations

import sys
from typing import BinaryIO

import click

from ..library import Library
from ._common import echo, emit, format_option, main, pass_library

SOURCE_COLUMNS = ["key", "type", "year", "authors", "title", "line"]


@main.group()
def source() -> None:
    """Add and list the BibTeX sources in references.bib.

    \b
    Example:
      claimtrack source add new-entries.bib
      claimtrack source list --format csv
    """


@source.command("add")
@click.argument("file", required=False, type=click.File("rb"))
@pass_library
def source_add(lib: Library, file: BinaryIO | None) -> None:
    """Add BibTeX entries from FILE (or standard input) to references.bib.

    The other entries are left byte for byte as they were.

    \b
    Example:
      printf '@misc{openai2022chatgpt, title = {ChatGPT}, year = {2022}}' | claimtrack source add
    """
    data = file.read() if file is not None else sys.stdin.buffer.read()
    keys = lib.add_sources(data, origin=file.name if file is not None else "standard input")
    echo(f"added {len(keys)} {'entry' if len(keys) == 1 else 'entries'}: {', '.join(keys)}")


@source.command("list")
@format_option()
@pass_library
def source_list(lib: Library, fmt: str) -> None:
    """List the entries of references.bib.

    \b
    Example:
      claimtrack source list --format json
    """
    rows = [
        {
            "key": s.key,
            "type": s.entry_type,
            "year": s.year,
            "authors": "; ".join(s.authors),
            "title": s.title,
            "line": s.line,
        }
        for s in lib.sources.values()
    ]
    width = max((len(str(r["key"])) for r in rows), default=0)
    emit(rows, fmt, columns=SOURCE_COLUMNS, text=lambda r: f"{r['key']:<{width}}  {r['year'] or '----'}  {r['title'] or ''}")
