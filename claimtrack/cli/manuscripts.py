"""Commands over manuscripts that cite claims: check them against the library, render them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._common import echo, format_option, handle_errors, main, open_from_context, to_json

# claimtrack.manuscripts pulls in markdown-it and rapidfuzz: imported inside the commands.
__all__ = ["check", "render"]

_DOC = click.Path(dir_okay=True, path_type=Path)  # existence is checked by the library, with one clear line


@main.command("check")
@click.argument("docs", nargs=-1, required=True, type=_DOC)
@format_option("text", "json")
@click.option("--strict", is_flag=True, help="Count warnings as errors for the exit status.")
@click.pass_context
@handle_errors
def check(ctx: click.Context, docs: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Check manuscripts that cite claims ([@claim:id] in Markdown, \\claim{id}
    in LaTeX) against the library.

    Finds citations of claims that do not exist (with a did-you-mean), were
    retracted or superseded, rest on a retracted source (an error, or what
    claimtrack.toml's [rules] makes retracted-source), need review or lack
    support, and citing
    sentences that state a superseded wording or another value than the
    claim's. Exit status: 0 no errors, 1 errors (with --strict, warnings
    too), 2 a manuscript or the library could not be read.

    \b
    Example:
      claimtrack check paper.md
      claimtrack check --format json --strict paper.md appendix.tex
    """
    from ..manuscripts import check_as_dict, check_manuscripts, render_check_text

    result = check_manuscripts(open_from_context(ctx), docs)
    if fmt == "json":
        echo(to_json(check_as_dict(result, strict=strict)))
    else:
        echo(render_check_text(result, strict=strict))
    sys.exit(1 if result.failed(strict=strict) else 0)


@main.command("render")
@click.argument("doc", type=_DOC)
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path), help="The file to write.")
@click.option("--marks", is_flag=True, help="Add each claim's confidence, linked to its section of the HTML report.")
@click.option(
    "--report",
    default="report/index.html",
    show_default=True,
    help="With --marks: the HTML report, as a path from the library (linked relative to the output file) or an address.",
)
@click.option(
    "--corrections",
    "since",
    default=None,
    metavar="SINCE",
    help="Append a Corrections section: every change to the cited claims after SINCE (YYYY-MM-DD).",
)
@click.option(
    "--cito",
    is_flag=True,
    help="Markdown: cite each source as [@cites_as_evidence:key], which pandoc's CiTO filter (cito.lua) reads as "
    "cito:citesAsEvidence, so the built paper keeps why each source is cited.",
)
@click.pass_context
@handle_errors
def render(ctx: click.Context, doc: Path, output: Path, marks: bool, report: str, since: str | None, cito: bool) -> None:
    """Write a copy of DOC in which each claim citation cites the claim's
    supporting sources ([@brown2020; @chen2021] in Markdown, \\cite{...} in
    LaTeX), so pandoc, Quarto or BibTeX build the bibliography as usual.

    A source a notice retracted is cited marked ([@key, retracted]). Text from
    the library is escaped for DOC's format. DOC itself is never changed. A
    citation of a claim that does not exist is an error (exit 2) and nothing
    is written.

    \b
    Example:
      claimtrack render paper.md -o build/paper.md
      claimtrack render paper.tex -o build/paper.tex --marks --corrections 2022-12-11
      claimtrack render paper.md -o build/paper.md --cito
    """
    from ..manuscripts import render_manuscript

    result = render_manuscript(open_from_context(ctx), doc, output, marks=marks, report=report, since=since, cito=cito)
    listed = f", {result.corrections} correction{'s' if result.corrections != 1 else ''} listed" if since else ""
    echo(f"{output}: {result.citations} claim citation{'s' if result.citations != 1 else ''} rendered{listed}")


def fix_documents(lib: object, docs: tuple[Path, ...], *, tracked: bool, fmt: str) -> int:
    """``stale --fix``: rewrite, print what was and was not fixed; the exit status (1 when some are left)."""
    from ..manuscripts import fix_stale

    results = fix_stale(lib, docs, tracked=tracked)
    if fmt == "json":
        echo(to_json([r.to_dict() for r in results]))
    else:
        for result in results:
            for fixed in result.fixed:
                echo(f"{result.file}:{fixed.line}: fixed {fixed.claim}: {fixed.old!r} -> {fixed.new!r}")
            for left in result.unfixed:
                echo(f"{result.file}:{left.line}: not fixed {left.claim}: {left.reason}; suggested: {left.suggestion!r}")
        fixed_count = sum(len(r.fixed) for r in results)
        left_count = sum(len(r.unfixed) for r in results)
        echo(f"{fixed_count} fixed, {left_count} left to fix by hand")
    return 1 if any(r.unfixed for r in results) else 0
