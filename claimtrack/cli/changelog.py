"""``claimtrack log``: what changed in the library, and when."""

from __future__ import annotations

import click

from ..model import RevisionKind
from ._common import Choice, echo, main, pass_library, to_json


@main.command("log")
@click.option(
    "--since", default=None, metavar="DATE|REF", help="Only changes on or after this day (YYYY-MM-DD) or git ref's commit day."
)
@click.option("--until", default=None, metavar="DATE", help="Only changes on or before this day (YYYY-MM-DD).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=Choice([k.value for k in RevisionKind]),
    help="Only revisions of this kind; repeat for several.",
)
@click.option(
    "--corrections",
    is_flag=True,
    help="Only what changes what a claim says or how it stands: corrections, hedges, retractions, supersessions (no new claims, evidence alone, reviews or editorial fixes).",
)
@click.option(
    "--format", "fmt", type=Choice(["text", "json", "markdown"]), default="text", show_default=True, help="Output format."
)
@pass_library
def log(lib, since: str | None, until: str | None, kinds: tuple[str, ...], corrections: bool, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """List the library's changes, newest first: new claims, corrections (``~~4096~~ 8192``), hedges, retractions,
    supersessions and reviews, each with who made it, who found the error and why.

    A back-dated revision is listed at its own date.

    \b
    Example:
      claimtrack log --since 2022-12-15
      claimtrack log --corrections --format markdown
    """
    from ..changelog import ALL_KINDS, CORRECTION_KINDS, changelog

    lib.require_readable()
    wanted = set(kinds) or {k.value for k in ALL_KINDS}
    if corrections:
        wanted &= {k.value for k in CORRECTION_KINDS}
    from ..report.mdtext import md_escape

    entries = changelog(lib, since=since, until=until, kinds=wanted, escape=md_escape if fmt == "markdown" else str)
    if fmt == "json":
        echo(to_json([e.as_dict() for e in entries]))
        return
    from ..changelog.text import log_lines, log_markdown

    for line in log_markdown(entries, md_escape) if fmt == "markdown" else log_lines(entries):
        echo(line)
