"""Commands that find claims again: ``search`` (the claims a text states) and ``match`` (a document's sentences)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..model import Status
from ..views import shorten
from ._common import Choice, echo, emit, format_option, main, pass_library, to_json

if TYPE_CHECKING:
    from ..library import Library

__all__ = ["search", "match"]

SEARCH_COLUMNS = ["rank", "claim", "score", "status", "confidence", "statement", "matched", "superseded_by"]
MATCH_COLUMNS = ["file", "line", "claim", "score", "status", "confidence", "sentence", "statement", "superseded_by"]


def _query(text: str | None, file: Path | None) -> str:
    """The query: the argument, the file's text, or standard input (when neither is given, or the argument is -)."""
    from ..search.query import MAX_QUERY_BYTES, query_text, read_query

    if text is not None and file is not None:
        raise click.UsageError("give the text or --file, not both")
    if file is not None:
        return read_query(file)
    if text is None or text == "-":
        return query_text(sys.stdin.buffer.read(MAX_QUERY_BYTES + 1), "standard input")
    return text


@main.command("search")
@click.argument("text", required=False)
@click.option("--file", "file", type=click.Path(path_type=Path), default=None, help="Read the text to search for from a file.")
@click.option("-k", "k", type=click.IntRange(min=1), default=5, show_default=True, help="How many claims to show.")
@click.option("--confidence", multiple=True, help="Only claims at this level; repeat for several.")
@click.option("--tag", "tags", multiple=True, help="Only claims with this tag; repeat for several.")
@click.option("--status", multiple=True, type=Choice([s.value for s in Status]), help="Only claims with this status.")
@format_option()
@pass_library
def search(lib: Library, text: str | None, file: Path | None, k: int, confidence: tuple[str, ...], tags: tuple[str, ...],
           status: tuple[str, ...], fmt: str) -> None:  # fmt: skip
    """Find the claims that TEXT states ("has this been checked before?").

    TEXT is a sentence or a passage; with --file or - it is read from a file or
    standard input. Each claim found shows its score (the probability that the
    text states it, 0 to 1), status, confidence and the words that matched;
    retracted and superseded claims are found too and say so.

    \b
    Example:
      claimtrack search "code-davinci-002 reads 8192 tokens at once"
      claimtrack search --file notes.md -k 3 --format json
      claimtrack search "the context window of code-davinci-002" -k 3 --status active --format csv
    """
    hits = lib.search(_query(text, file), k, confidence=confidence, tags=tags, status=status)
    rows = [{"rank": n, **hit.to_dict()} for n, hit in enumerate(hits, 1)]

    def line(row: Any) -> str:
        state = row["status"] + (f" by {row['superseded_by']}" if row["superseded_by"] else "")
        words = ", ".join(row["matched"]) or "-"
        return (
            f"{row['rank']:>2}. {row['claim']}  score {row['score']:.2f}  {state}  {row['confidence']}\n"
            f"    {shorten(row['statement'], 110)}\n    matched: {words}"
        )

    emit(rows, fmt, columns=SEARCH_COLUMNS, text=line)
    if fmt == "text" and not rows:
        echo("no claim found")


@main.command("match")
@click.argument("docs", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=Path))
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="The lowest score reported (the probability that a sentence states the claim). Default: the one chosen on CheckThat! dev data.")  # fmt: skip
@format_option()
@pass_library
def match(lib: Library, docs: tuple[Path, ...], threshold: float | None, fmt: str) -> None:
    """List the claims each sentence of DOCS states (Markdown, LaTeX or plain text).

    Each finding gives the file and line, the claim, its score, status and
    confidence; the last line sums up ("this document repeats 4 of the library's
    claims; 1 of them is retracted"). Exit status: 0 none found, 1 claims
    found, 2 a document or the library could not be read.

    \b
    Example:
      claimtrack match notes.md
      claimtrack match --format json notes/*.md
    """
    from ..search import MATCH_THRESHOLD
    from ..search import match as match_docs

    report = match_docs(lib, docs, threshold=MATCH_THRESHOLD if threshold is None else threshold)
    if fmt == "json":
        echo(to_json(report.to_dict()))
    else:
        rows = [f.to_dict() for f in report.findings]

        def line(row: Any) -> str:
            state = row["status"] + (f" by {row['superseded_by']}" if row["superseded_by"] else "")
            return f"{row['file']}:{row['line']}: {row['claim']} (score {row['score']:.2f}, {state})\n    {shorten(row['sentence'], 110)}"

        emit(rows, fmt, columns=MATCH_COLUMNS, text=line)
        if fmt == "text":
            echo(report.summary())
    if report.findings:
        click.get_current_context().exit(1)
