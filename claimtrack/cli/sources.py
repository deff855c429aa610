"""Commands for references.bib."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from ..bibformats import EXPORT_FORMATS, FORMATS, KEY_SCHEMES
from ..library import Library
from ..sourceio import add_sources, export_sources, sync_sources
from ..sourceio.exporting import write_export
from ._common import Choice, echo, emit, format_option, main, pass_library

SOURCE_COLUMNS = ["key", "type", "year", "authors", "title", "line", "notice"]


@main.group()
def source() -> None:
    """Add, list, export and sync the sources in references.bib.

    \b
    Example:
      claimtrack source add new-entries.bib references.json
      claimtrack source list --format csv
      claimtrack source export --format csljson --with-status
    """


_KEYS_HELP = "Keys for CSL, RIS and DOI entries: the item's id (files' default), Manubot's standard id (DOIs' default), or auto (fu2022gpt)."


@source.command("add")
@click.argument("inputs", nargs=-1, metavar="[FILE|DOI|URL]...")
@click.option("--keys", type=Choice(KEY_SCHEMES), default=None, help=_KEYS_HELP)
@click.option(
    "--from", "fmt", type=Choice(FORMATS), default=None, help="The input format, when it cannot be told from the content."
)
@click.option("--offline", is_flag=True, help="Never use the network: DOIs come from doi-cache.json only.")
@click.option("--abstracts", is_flag=True, help="Keep the items' abstracts (left out by default).")
@pass_library
def source_add(lib: Library, inputs: tuple[str, ...], keys: str | None, fmt: str | None, offline: bool, abstracts: bool) -> None:
    """Add sources to references.bib from files, DOIs, arXiv ids, export URLs or standard input.

    Files may be BibTeX, BibLaTeX, CSL-JSON, CSL-YAML or RIS; standard input
    (no argument, or -) may be any of those, or DOIs one a line. An entry
    already there is counted and skipped; a different entry under a key
    already used is refused, and then nothing is written. The other entries
    are left byte for byte as they were.

    \b
    Example:
      claimtrack source add references.json --keys standard
      claimtrack source add doi:10.48550/arXiv.2203.02155 --offline
    """
    stdin = sys.stdin.buffer.read() if not inputs or "-" in inputs else None
    result = add_sources(lib, inputs or ("-",), keys=keys, fmt=fmt, abstract=abstracts, offline=offline, stdin=stdin)
    added = result.added
    echo(f"added {len(added)} {'entry' if len(added) == 1 else 'entries'}" + (f": {', '.join(added)}" if added else ""))
    shown = ", ".join(new if new == old else f"{new} (as {old})" for new, old in result.present[:20])
    more = f", and {len(result.present) - 20} more" if len(result.present) > 20 else ""
    echo(f"already present {len(result.present)}, refused {result.refused}" + (f": {shown}{more}" if shown else ""))
    if result.left_out:
        echo("not carried over: " + ", ".join(f"{name} ({count})" for name, count in result.left_out), err=True)


@source.command("export")
@click.option("--format", "fmt", type=Choice(EXPORT_FORMATS), default="bibtex", show_default=True, help="The output format.")
@click.option("--claim", "claims", multiple=True, metavar="ID", help="Only the sources this claim cites (repeatable).")
@click.option("--manuscript", "documents", multiple=True, type=click.Path(dir_okay=False, path_type=Path), metavar="DOC",
              help="Only the sources this manuscript cites, directly or through its claims (repeatable).")  # fmt: skip
@click.option(
    "--with-status", is_flag=True, help="Add each source's standing (claims it supports, notices) as annotation / note."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file, not standard output.",
)
@pass_library
def source_export(lib: Library, fmt: str, claims: tuple[str, ...], documents: tuple[Path, ...], with_status: bool,
                  output: Path | None) -> None:  # fmt: skip
    """Write the sources as BibTeX, BibLaTeX, CSL-JSON or RIS, with what the library knows of each.

    \b
    Example:
      claimtrack source export --format csljson --with-status -o sources.json
      claimtrack source export --manuscript paper.md --format ris
    """
    text = export_sources(lib, fmt, claims=claims, documents=documents, with_status=with_status)
    if output is None:
        echo(text, nl=False, escape=False)
    else:
        write_export(output, text)


@source.command("sync")
@click.argument("file", metavar="FILE|URL")
@click.option("--keys", type=Choice(KEY_SCHEMES), default=None, help=_KEYS_HELP)
@click.option(
    "--from", "fmt", type=Choice(FORMATS), default=None, help="The input format, when it cannot be told from the content."
)
@click.option("--prune", is_flag=True, help="Remove the entries gone upstream that no claim cites.")
@click.option("--abstracts", is_flag=True, help="Keep the items' abstracts (left out by default).")
@pass_library
def source_sync(lib: Library, file: str, keys: str | None, fmt: str | None, prune: bool, abstracts: bool) -> None:
    """Keep references.bib in step with an auto-exported file (Zotero, Better BibTeX, Manubot).

    New entries are added, entries whose fields changed upstream are updated
    in place, entries gone upstream are reported (and, with --prune, removed
    unless a claim cites them).

    \b
    Example:
      claimtrack source sync zotero-export.json
    """
    stdin = sys.stdin.buffer.read() if file == "-" else None
    result = sync_sources(lib, file, keys=keys, fmt=fmt, prune=prune, abstract=abstracts, stdin=stdin)
    echo(f"added {len(result.added)}, updated {len(result.updated)}, unchanged {result.unchanged}"
         + (f", removed {len(result.removed)}" if prune else ""))  # fmt: skip
    for key in result.updated:
        echo(f"updated {key}")
    if result.gone:
        cited = set(result.kept)
        for key in result.gone:
            if key in result.removed:
                echo(f"removed {key} (gone upstream, cited by no claim)")
            else:
                echo(f"gone upstream: {key}" + (" (kept: claims cite it)" if key in cited else ""))


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
