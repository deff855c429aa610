"""``claimtrack export``: the library's claims for other tools (ClaimReview, CiTO CSL-JSON, SQLite, nanopublications)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..model import Status
from ._common import Choice, echo, main, pass_library


@main.command("export")
@click.argument("fmt", metavar="FORMAT", type=Choice(["claimreview", "csljson", "sqlite", "nanopub"]))
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    default=None,
    help="The file to write. Default: standard output (sqlite: claims.db in the current folder).",
)
@click.option("--claim", "claims", multiple=True, metavar="ID", help="Only this claim; repeat for several.")
@click.option("--tag", "tags", multiple=True, help="Only claims with this tag; repeat for several.")
@click.option("--confidence", multiple=True, help="Only claims at this level; repeat for several.")
@click.option("--status", multiple=True, type=Choice([s.value for s in Status]), help="Only claims with this status.")
@click.option("--html", is_flag=True, help='claimreview: <script type="application/ld+json"> blocks to paste into a page.')
@click.option(
    "--metadata",
    type=click.Path(path_type=Path),
    default=None,
    help="sqlite: where to write Datasette's metadata. Default: metadata.json beside the database.",
)
@pass_library
def export(  # type: ignore[no-untyped-def]
    lib, fmt: str, output: Path | None, claims: tuple[str, ...], tags: tuple[str, ...], confidence: tuple[str, ...],
    status: tuple[str, ...], html: bool, metadata: Path | None,
) -> None:  # fmt: skip
    """Write the claims (all, or those the filters choose) for other tools to read.

    \b
    FORMAT is one of:
      claimreview  schema.org ClaimReview JSON-LD, as search engines and fact-check aggregators read it
      csljson      the cited sources as CSL-JSON, each with why (CiTO) and where each claim cites it
      sqlite       a SQLite database with full-text search, and metadata.json for Datasette
      nanopub      nanopublications in TriG: each claim, and each correction superseding or retracting the last

    Settings in claimtrack.toml's [export] table: publisher, publisher_url, base_url (the published report, so each
    review links to its claim) and [export.ratings] (a reader's name for each confidence level).

    The sqlite export writes metadata.json beside the database, so that `datasette build/claims.db -m
    build/metadata.json` serves it as a browsable, searchable site.

    \b
    Example:
      claimtrack export claimreview -o build/claims.jsonld
      claimtrack export claimreview --html --tag draft
      claimtrack export sqlite -o build/claims.db
      claimtrack export nanopub --claim cdv2-context -o build/cdv2-context.trig
    """
    from ..export import render, select, write

    lib.require_readable()
    if output is None and fmt != "sqlite":
        chosen = select(lib, claims=claims, tags=tags, confidence=confidence, status=status)
        data = render(lib, fmt, selection=chosen, html=html)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        if chosen.note:
            echo(f"note: {chosen.note}", err=True)
        return
    done = write(
        lib, fmt, output or Path("claims.db"), claims=claims, tags=tags, confidence=confidence, status=status, html=html,
        metadata=metadata,
    )  # fmt: skip
    for path in done.paths:
        echo(str(path))
    if done.note:
        echo(f"note: {done.note}", err=True)
    if fmt == "claimreview" and not lib.settings.export.get("base_url"):
        echo("note: set base_url under [export] in claimtrack.toml to give each review the url it needs", err=True)
