"""Commands for references.bib."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from ..library import Library
from ._common import echo, emit, format_option, main, pass_library

SOURCE_COLUMNS = ["key", "type", "year", "authors", "title", "line", "notice"]


@main.group()
def source() -> None:
    """Add and list the BibTeX sources in references.bib.

    \b
    Example:
      claimtrack source add new-entries.bib
      claimtrack source list --format csv
    """


@source.command("add")
@click.argument("file", required=False, type=click.Path(dir_okay=True, path_type=Path))
@pass_library
def source_add(lib: Library, file: Path | None) -> None:
    """Add BibTeX entries from FILE (or standard input) to references.bib.

    The other entries are left byte for byte as they were.

    \b
    Example:
      printf '@misc{openai2022chatgpt, title = {ChatGPT}, year = {2022}}' | claimtrack source add
    """
    if file is None or str(file) == "-":
        keys = lib.add_sources(sys.stdin.buffer.read(), origin="standard input")
    else:
        keys = lib.add_sources_from(file)  # a FIFO or a device is refused there, before a byte is read
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
    notices = lib.notices
    rows = [
        {
            "key": s.key,
            "type": s.entry_type,
            "year": s.year,
            "authors": "; ".join(s.author_list),
            "short_authors": s.short_authors,
            "title": s.title,
            "line": s.line,
            "notice": notices.summary(s.key),
        }
        for s in lib.sources.values()
    ]
    width = max((len(str(r["key"])) for r in rows), default=0)
    who = max((len(str(r["short_authors"])) for r in rows), default=0)

    def text(r: Mapping[str, Any]) -> str:
        notice = f"  [{r['notice'].upper()}]" if r["notice"] else ""
        line = f"{r['key']:<{width}}  {r['year'] or '----':<4}  {r['short_authors']:<{who}}  {r['title'] or ''}"
        return line.rstrip() + notice

    emit(rows, fmt, columns=SOURCE_COLUMNS, text=text)
