"""Commands over documents: import tracked changes, diff two versions, find stale passages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from ..errors import LibraryNotFoundError
from ..views import plural, shorten
from ._common import by_option, date_option, echo, format_option, handle_errors, main, open_from_context, to_json

if TYPE_CHECKING:
    from ..documents import ApplyResult, ProposedRevision, StaleFinding

# claimtrack.documents pulls in markdown-it and rapidfuzz (and so numpy): it is imported
# inside the commands that need it, so that every other command starts quickly.
__all__ = ["import_document", "diff", "stale"]

_DOC = click.Path(dir_okay=True, path_type=Path)  # existence is checked by the library, with one clear line


def _library(ctx: click.Context, *, required: bool) -> Any:
    """The library (from --root or by discovery); None when none is found and it is optional.

    A --root that names no library is refused even then: it is a mistake, not a wish to go without.
    """
    try:
        return open_from_context(ctx)
    except LibraryNotFoundError:
        if required or (ctx.find_root().obj or {}).get("root") is not None:
            raise
        return None


def _short(text: str | None, width: int = 70) -> str:
    return repr(shorten(text or "", width))


def _what(change: ProposedRevision) -> str:
    """The change in words: ``'C4' -> 'Common Crawl'``, ``added: '...'``, ``removed: '...'``."""
    if change.old is None or not change.old.strip():
        return f"added: {_short(change.new)}"
    if change.new is None or not change.new.strip():
        return f"removed: {_short(change.old)}"
    return f"{_short(change.old)} -> {_short(change.new)}"


def _change_line(change: ProposedRevision) -> str:
    kind = change.kind.value if change.kind else "note"
    parts = [f"{change.file}:{change.line}: {kind} {_what(change)}"]
    if change.credited:
        parts.append(f"credited {change.credited}")
    if change.date:
        parts.append(f"dated {change.date.isoformat()}")
    parts.append(f"claim {change.claim} ({change.score:g})" if change.claim else "no claim matched")
    return "; ".join(parts)


def _change_dict(change: ProposedRevision, **extra: Any) -> dict[str, Any]:
    return {**attrs.asdict(change, recurse=False), **extra}


@main.command("import")
@click.argument("doc", type=_DOC)
@click.option(
    "--apply", "apply_", is_flag=True, help="Record the matched changes as revisions (changes already recorded are left alone)."
)
@by_option
@date_option
@format_option("text", "json")
@click.pass_context
@handle_errors
def import_document(ctx: click.Context, doc: Path, apply_: bool, by: str | None, date: str | None, fmt: str) -> None:
    """Read DOC's tracked changes (~~old~~ new, CriticMarkup, "(corrected by X)",
    "[update DATE: ...]") as proposed revisions, matched to claims.

    Without a library the changes are listed unmatched. With --apply each matched
    change is recorded through `claimtrack revise` rules; one that cannot apply
    is skipped and reported, and applying twice changes nothing.

    \b
    Example:
      claimtrack import article.md
      claimtrack import article.md --format json
      claimtrack import article.md --apply --by "A. Reader"
    """
    lib = _library(ctx, required=apply_)
    if apply_:
        from ..documents import apply_changes

        outcome: ApplyResult = apply_changes(lib, doc, by=by, date=date)
        result = outcome.imported
        rows = [_change_dict(r.change, outcome=r.outcome, reason=r.reason) for r in outcome.results]
        lines = [f"{_change_line(r.change)}: {r.outcome}{': ' + r.reason if r.reason else ''}" for r in outcome.results]
        summary = _applied_summary(outcome)
    else:
        from ..documents import import_changes

        result = import_changes(lib, doc)
        rows = [_change_dict(c) for c in result.changes]
        lines = [_change_line(c) for c in result.changes]
        summary = _summary(result.changes)
    if result is None:  # apply_changes always imports a document path first
        raise click.ClickException("nothing was imported")
    if fmt == "json":
        notes = [attrs.asdict(n) for n in result.notes]
        echo(
            to_json(
                {
                    "file": str(result.path),
                    "year": result.year,
                    "changes": rows,
                    "notes": notes,
                    "warnings": list(result.warnings),
                }
            )
        )
        return
    for line in lines:
        echo(line)
    for note in result.notes:
        echo(f"{result.path}:{note.line}: note {_short(note.text)}")
    for warning in result.warnings:
        echo(f"warning: {warning}", err=True)
    echo(summary)


def _summary(changes: tuple[ProposedRevision, ...] | list[ProposedRevision]) -> str:
    matched = sum(1 for c in changes if c.claim is not None)
    return f"{plural(len(changes), 'change')}, {matched} matched to claims, {len(changes) - matched} unmatched"


def _applied_summary(outcome: ApplyResult) -> str:
    return f"{len(outcome.applied)} applied, {len(outcome.recorded)} already recorded, {len(outcome.skipped)} skipped"


@main.command("diff")
@click.argument("old", type=_DOC)
@click.argument("new", type=_DOC)
@click.option(
    "--front-matter", "front_matter", is_flag=True, help="Compare the front matter too (title, links, e-mail, contents)."
)
@click.option(
    "--apply", "apply_", is_flag=True, help="Record the matched changes as revisions, as `claimtrack import --apply` does."
)
@by_option
@date_option
@format_option("text", "json")
@click.pass_context
@handle_errors
def diff(
    ctx: click.Context, old: Path, new: Path, front_matter: bool, apply_: bool, by: str | None, date: str | None, fmt: str
) -> None:
    """Compare two versions of a document and propose the revisions between them.

    Formatting, re-wrapped lines and moved paragraphs are no change; struck-through
    text is what the version replaced; paragraphs mostly in CJK are left out, and
    so is the front matter (title, links, e-mail addresses, table of contents)
    unless --front-matter is given. Changes are matched to the library's claims
    when there is a library; with --apply the matched ones are recorded.

    \b
    Example:
      claimtrack diff early-copy.md article.md
      claimtrack diff early-copy.md article.md --format json
      claimtrack diff early-copy.md article.md --apply --by "A. Reader"
    """
    from ..documents import apply_changes, diff_documents

    lib = _library(ctx, required=apply_)
    changes = diff_documents(old, new, claims=lib, front_matter=front_matter)
    if apply_:
        outcome: ApplyResult = apply_changes(lib, changes, by=by, date=date)
        if fmt == "json":
            echo(to_json([_change_dict(r.change, outcome=r.outcome, reason=r.reason) for r in outcome.results]))
            return
        for r in outcome.results:
            echo(f"{_change_line(r.change)}: {r.outcome}{': ' + r.reason if r.reason else ''}")
        echo(_applied_summary(outcome))
        return
    if fmt == "json":
        echo(to_json([_change_dict(c) for c in changes]))
        return
    for change in changes:
        echo(_change_line(change))
    echo(_summary(changes) + ("" if front_matter else "; front matter left out (--front-matter compares it)"))


def _stale_line(f: StaleFinding) -> str:
    stated = f.stated if f.kind == "correction" else ()
    if len(stated) > 1:  # every changed span the sentence still states, not only the first
        olds = " and ".join(_short(old, 40) for old, _ in stated)
        head = f"{f.claim} still says {olds}, now {' and '.join(_short(new, 40) for _, new in stated)}"
    elif f.kind == "correction":
        head = f"{f.claim} still says {_short(f.old or f.superseded, 40)}, now {_short(f.new or f.current, 40)}"
    else:
        head = f"{f.claim} was {f.kind}" + (f" by {f.successor}" if f.successor else "")
    return (
        f"{f.file}:{f.line}: {head} "
        f"(revision {f.revision}, {f.revision_date.isoformat()}, {f.revision_kind.value}; score {f.score:g})\n"
        f"    {f.sentence}\n"
        f"    why: {f.why}"
    )


@main.command("stale")
@click.argument("docs", nargs=-1, required=True, type=_DOC)
@click.option("--fix", is_flag=True, help="Rewrite each stale passage whose change is a span edit with the current wording.")
@click.option("--tracked", is_flag=True, help="With --fix: write the change as ~~old~~ new (corrected by NAME).")
@format_option("text", "json")
@click.pass_context
@handle_errors
def stale(ctx: click.Context, docs: tuple[Path, ...], fix: bool, tracked: bool, fmt: str) -> None:
    """Find sentences in DOCS that still state a superseded version of a claim.

    With --fix, each one whose change is a span edit is rewritten in place
    (atomically; nothing else in the file changes), and the others are listed
    with the suggested text. Exit status: 0 none found (with --fix: none left),
    1 stale passages found (left), 2 a document or the library could not be read.

    \b
    Example:
      claimtrack stale README.md notes/*.md
      claimtrack stale --format json copy-of-article.md
      claimtrack stale --fix --tracked notes.md
    """
    if tracked and not fix:
        raise click.UsageError("--tracked only goes with --fix")
    if fix:
        from .manuscripts import fix_documents

        ctx.exit(fix_documents(_library(ctx, required=True), docs, tracked=tracked, fmt=fmt))
    from ..documents import find_stale

    findings = find_stale(_library(ctx, required=True), docs)
    if fmt == "json":
        echo(to_json([f.to_dict() for f in findings]))
    else:
        for finding in findings:
            echo(_stale_line(finding))
        echo(f"{len(findings)} stale passage{'s' if len(findings) != 1 else ''}")
    if findings:
        ctx.exit(1)
