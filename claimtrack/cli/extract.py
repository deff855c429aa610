"""``claimtrack extract``: claims proposed from a paper's cited sentences (and its git history), reviewed, applied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..library import Library
from ..views import plural
from ._common import by_option, date_option, echo, emit, format_option, main, pass_library, to_json

_COLUMNS = ["id", "confidence", "line", "statement"]


@main.command()
@click.argument("documents", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", default="proposals.toml", type=click.Path(dir_okay=False, path_type=Path),
              help="The reviewable proposals file to write. Default: proposals.toml.")  # fmt: skip
@click.option("--force", is_flag=True, help="Overwrite the proposals file if it exists.")
@click.option("--document-key", "document_keys", multiple=True,
              help="The references.bib key standing for each DOCUMENT, in order. Default: from its file name.")  # fmt: skip
@click.option(
    "--history", is_flag=True, help="Walk each DOCUMENT's git commits and propose the revisions its cited sentences went through."
)
@click.option("--apply", "apply_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Add the claims of a (reviewed) proposals file, all or nothing.")  # fmt: skip
@click.option("--cite", is_flag=True, help="With --apply: cite each new claim in its sentence ([@claim:ID] or \\claim{ID}).")
@format_option("text", "json")
@by_option
@date_option
@pass_library
def extract(
    lib: Library,
    documents: tuple[Path, ...],
    out: Path,
    force: bool,
    document_keys: tuple[str, ...],
    history: bool,
    apply_file: Path | None,
    cite: bool,
    fmt: str,
    by: str | None,
    date: str | None,
) -> None:
    """Propose a claim for every sentence of DOCUMENTS that cites sources, to review and then apply.

    Writes the proposals to a file to review (drop a claim, change an id or a level), then
    `--apply` adds them all or none, and `--cite` cites each new claim beside its sentence's sources.

    \b
    Example:
      claimtrack extract paper.md paper.tex && claimtrack extract --apply proposals.toml --cite
      claimtrack extract --history paper.md --out history.toml
    """
    from .. import extract as ex

    if apply_file is not None:
        if documents or history:
            raise click.UsageError("--apply reads everything from the proposals file: give no DOCUMENT and no --history")
        result = ex.apply_proposals(lib, apply_file, cite=cite, by=by, date=date)
        claims = result.batch.claims
        echo(f"added {plural(len(claims), 'claim')} with {plural(result.batch.revisions, 'revision')} from {apply_file}")
        if result.batch.sources:
            keys = result.batch.sources
            shown = ", ".join(keys[:8]) + (f" and {len(keys) - 8} more" if len(keys) > 8 else "")
            echo(f"added {plural(len(keys), 'entry', 'entries')} to references.bib: {shown}")
        for path in result.cited:
            echo(f"cited the new claims in {path}")
        return
    if cite:
        raise click.UsageError("--cite goes with --apply FILE")
    if not documents:
        raise click.UsageError("give a DOCUMENT, or --apply FILE")
    if history:
        from ..extract.history import propose_history

        extraction = propose_history(lib, documents, document_keys=document_keys)
    else:
        extraction = ex.propose(lib, documents, document_keys=document_keys)
    ex.write_proposals(extraction, out, overwrite=force)
    rows: list[dict[str, Any]] = [p.as_dict() for p in extraction.proposals]
    if fmt == "json":
        click.echo(to_json({"proposals": rows, "documents": extraction.documents, "missing": list(extraction.missing),
                            "skipped": extraction.skipped, "file": str(out)}))  # fmt: skip
        return
    emit(rows, "text", columns=_COLUMNS, text=lambda r: f"{r['id']}  {r['confidence']}  line {r['line']}: {r['statement']}")
    echo(
        f"{plural(len(rows), 'claim')} proposed in {out}"
        + (f"; {extraction.skipped} cited sentences are claims already" if extraction.skipped else "")
    )
    if extraction.missing:
        shown = ", ".join(extraction.missing[:8]) + (
            f" and {len(extraction.missing) - 8} more" if len(extraction.missing) > 8 else ""
        )
        echo(f"not in references.bib ({len(extraction.missing)}; applying adds a stub entry for each): {shown}")
    if rows:
        echo(f"review it, then: claimtrack extract --apply {out} --cite")
