"""Commands that create, change and read claims."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from ..baseline import revision_commits
from ..gitrepo import is_set_up
from ..library import Library, init_library
from ..model import RevisionKind, Stance, Status
from ..views import CLAIM_COLUMNS, GIT_COLUMNS, HISTORY_COLUMNS, claim_detail, claim_row, history_rows, no_match, plural
from ._common import Choice, by_option, date_option, echo, emit, format_option, handle_errors, main, pass_library, to_json


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default=None, help="The library's title, shown in reports. Default: the folder's name.")
@handle_errors
def init(directory: Path, title: str | None) -> None:
    """Make an empty claims library in DIRECTORY (default: here).

    \b
    Example:
      claimtrack init my-survey
    """
    root = init_library(directory, title=title)
    echo(f"initialised an empty claims library in {root}")
    if is_set_up(root):
        echo("git merges its claim files with claimtrack's driver (see `claimtrack git setup --help`)")


@main.command()
@click.argument("claim_id", metavar="ID", required=False)
@click.option("--statement", default=None, help="What is claimed (required unless --from is given).")
@click.option("--confidence", default=None, help="A level of the library's scale. Default: hypothesis.")
@click.option("--tag", "tags", multiple=True, help="A label; repeat for several.")
@click.option("--depends-on", "depends_on", multiple=True, help="Id of a claim this one rests on; repeat for several.")
@click.option("--note", default=None, help="A note on the first revision, e.g. how the date is known.")
@click.option(
    "--from",
    "from_file",
    default=None,
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Add every claim of a batch file instead (- reads standard input, with --format): CSV, JSON lines, TOML or "
    "ClaimReview JSON-LD, all or nothing.",
)
@click.option(
    "--format", "batch_format", type=Choice(["csv", "jsonl", "toml", "claimreview"]), default=None,
    help="The batch file's format. Default: from its suffix (.csv, .jsonl, .toml; .json/.html with ClaimReview).",
)  # fmt: skip
@click.option(
    "--allow-duplicate", "allow_duplicate", is_flag=True, help="Add it even when it nearly duplicates a claim of the library."
)
@by_option
@date_option
@pass_library
def add(
    lib: Library,
    claim_id: str | None,
    statement: str | None,
    confidence: str | None,
    tags: tuple[str, ...],
    depends_on: tuple[str, ...],
    note: str | None,
    from_file: Path | None,
    batch_format: str | None,
    allow_duplicate: bool,
    by: str | None,
    date: str | None,
) -> None:
    """Add a new claim with id ID, or every claim of a batch file with --from.

    A statement that nearly duplicates a claim of the library is refused, naming
    that claim and its score; --allow-duplicate adds it all the same.

    \b
    Example:
      claimtrack add cdv2-context --statement "code-davinci-002 has a context window of 4096 tokens." \\
          --confidence conclusion --tag code-davinci-002 --tag draft --by "A. Author" --date 2022-12-11
      claimtrack add cdv2-sota --statement "code-davinci-002 is the strongest model on GSM8K." --date 2022-12-11
      printf 'id,statement,confidence,date\\npalm-code-share,PaLM was pretrained on 5% code.,hypothesis,2022-12-11\\n' | claimtrack add --from - --format csv
    """
    if from_file is not None:
        if claim_id or statement or confidence or tags or depends_on or note:
            raise click.UsageError(
                "--from reads everything from the file: give no ID, --statement, --confidence, --tag, --depends-on or --note"
            )
        from ..batch import add_from

        text = sys.stdin.buffer.read() if str(from_file) == "-" else None
        result = add_from(lib, from_file, format=batch_format, by=by, date=date, text=text)
        added = f"; added {plural(len(result.sources), 'entry', 'entries')} to references.bib" if result.sources else ""
        echo(f"added {plural(len(result.claims), 'claim')} with {plural(result.revisions, 'revision')} from {from_file}{added}")
        return
    if claim_id is None or statement is None:
        raise click.UsageError("give ID and --statement, or --from FILE")
    claim = lib.add(claim_id, statement, confidence=confidence, tags=tags, depends_on=depends_on, by=by, date=date, note=note,
                    allow_duplicate=allow_duplicate)  # fmt: skip
    echo(f"added {claim.id} ({claim.confidence})")


@main.command()
@click.argument("claim_id", metavar="ID")
@click.argument("key")
@click.option(
    "--stance",
    type=Choice([s.value for s in Stance]),
    default="supports",
    show_default=True,
    help="How the source bears on the claim.",
)
@click.option("--locator", default=None, help="Where in the source: a page, section, table.")
@click.option("--quote", default=None, help="The source's own words.")
@click.option("--note", default=None, help="A note on the evidence (for contradicting evidence: the answer to it).")
@click.option("--reason", default=None, help="Why this evidence is added. Default: 'cites KEY (STANCE)'.")
@click.option("--kind", type=Choice([k.value for k in RevisionKind if k is not RevisionKind.CREATED]), default=None,
              help="The revision's kind. Default: evidence.")  # fmt: skip
@click.option("--credit", "credited", default=None, help="Who found the source.")
@click.option("--evidence", multiple=True, help="Another source key the change rests on; repeat for several.")
@by_option
@date_option
@pass_library
def cite(
    lib: Library,
    claim_id: str,
    key: str,
    stance: str,
    locator: str | None,
    quote: str | None,
    note: str | None,
    reason: str | None,
    kind: str | None,
    credited: str | None,
    evidence: tuple[str, ...],
    by: str | None,
    date: str | None,
) -> None:
    """Add evidence KEY (a references.bib key or claim:ID) to claim ID, as a revision.

    \b
    Example:
      claimtrack cite cdv2-context openai2022models --locator "code-davinci-002" --note "the model index"
    """
    claim = lib.cite(
        claim_id, key, stance=stance, locator=locator, quote=quote, note=note, reason=reason, kind=kind, by=by,
        credited=credited, evidence=evidence, date=date,
    )  # fmt: skip
    echo(f"{claim.id}: cited {key} ({stance}); {plural(len(claim.evidence), 'evidence entry', 'evidence entries')}")


@main.command()
@click.argument("claim_id", metavar="ID")
@click.option(
    "--old",
    multiple=True,
    help="The span of the statement to replace; must occur exactly once. Repeat with --new for several spans.",
)
@click.option("--new", multiple=True, help="What replaces --old (the one given in the same place).")
@click.option("--statement", default=None, help="A whole new statement.")
@click.option("--confidence", default=None, help="A new confidence level.")
@click.option("--reason", default=None, help="Why the change was made (required except for --kind editorial).")
@click.option(
    "--kind",
    type=Choice([k.value for k in RevisionKind if k not in (RevisionKind.CREATED,)]),
    default=None,
    help="Default: correction for a statement change; hedge/strengthen for confidence.",
)
@click.option("--credit", "credited", default=None, help="Who found the error.")
@click.option("--evidence", multiple=True, help="A source key the change rests on; repeat for several.")
@click.option("--note", default=None, help="A note, e.g. how the date is known.")
@by_option
@date_option
@pass_library
def revise(
    lib: Library,
    claim_id: str,
    old: tuple[str, ...],
    new: tuple[str, ...],
    statement: str | None,
    confidence: str | None,
    reason: str | None,
    kind: str | None,
    credited: str | None,
    evidence: tuple[str, ...],
    note: str | None,
    by: str | None,
    date: str | None,
) -> None:
    """Record a change to claim ID: a span edit, a new statement or a new confidence.

    Several --old/--new pairs are applied in order, each to the statement the
    ones before it left, and recorded together (a span edit each) or not at all.

    \b
    Example:
      claimtrack revise cdv2-context --old 4096 --new 8192 --reason "a reader pointed out the right figure" \\
          --credit "A. Reader" --date 2022-12-18
    """
    pairs = len(old) == len(new) == 1  # one pair: the plain span edit
    claim = lib.revise(
        claim_id,
        old=(old[0] if pairs else old) or None,
        new=(new[0] if pairs else new) or None,
        statement=statement,
        confidence=confidence,
        reason=reason,
        kind=kind,
        by=by,
        credited=credited,
        evidence=evidence,
        date=date,
        note=note,
    )
    for last in claim.revisions[-max(1, len(old)) :]:
        echo(f"{claim.id}: {last.kind.value}: {last.markdown()}")


credit_option = click.option("--credit", "credited", default=None, help="Who found what this revision records.")
evidence_option = click.option("--evidence", multiple=True, help="A source key the revision rests on; repeat for several.")
note_option = click.option("--note", default=None, help="A note, e.g. how the date is known.")


@main.command()
@click.argument("claim_id", metavar="ID")
@click.option("--reason", required=True, help="Why the claim no longer stands.")
@credit_option
@evidence_option
@note_option
@by_option
@date_option
@pass_library
def retract(
    lib: Library,
    claim_id: str,
    reason: str,
    credited: str | None,
    evidence: tuple[str, ...],
    note: str | None,
    by: str | None,
    date: str | None,
) -> None:
    """Retract claim ID; its history is kept.

    \b
    Example:
      claimtrack retract cdv2-context --reason "the model was withdrawn; its window can no longer be checked" \\
          --credit "A. Reader" --evidence openai2022models
    """
    lib.retract(claim_id, reason=reason, by=by, date=date, credited=credited, evidence=evidence, note=note)
    echo(f"{claim_id}: retracted")


@main.command()
@click.argument("claim_id", metavar="ID")
@click.option("--by-claim", "by_claim", required=True, help="The id of the claim that replaces this one.")
@click.option("--reason", required=True, help="Why it is superseded.")
@credit_option
@evidence_option
@note_option
@by_option
@date_option
@pass_library
def supersede(
    lib: Library,
    claim_id: str,
    by_claim: str,
    reason: str,
    credited: str | None,
    evidence: tuple[str, ...],
    note: str | None,
    by: str | None,
    date: str | None,
) -> None:
    """Mark claim ID superseded by another claim.

    \b
    Example:
      claimtrack supersede cdv2-sota --by-claim cdv2-context --reason "merged into one claim"
    """
    lib.supersede(claim_id, by_claim=by_claim, reason=reason, by=by, date=date, credited=credited, evidence=evidence, note=note)
    echo(f"{claim_id}: superseded by {by_claim}")


@main.command()
@click.argument("claim_id", metavar="ID")
@click.option("--reason", required=True, help="What was re-checked.")
@credit_option
@evidence_option
@note_option
@by_option
@date_option
@pass_library
def review(
    lib: Library,
    claim_id: str,
    reason: str,
    credited: str | None,
    evidence: tuple[str, ...],
    note: str | None,
    by: str | None,
    date: str | None,
) -> None:
    """Record that a person re-checked claim ID (clears "needs review").

    \b
    Example:
      claimtrack review cdv2-sota --reason "still holds after the context-window fix"
    """
    lib.review(claim_id, reason=reason, by=by, date=date, credited=credited, evidence=evidence, note=note)
    echo(f"{claim_id}: reviewed")


@main.command()
@pass_library
def seal(lib: Library) -> None:
    """Add digests to hand-written revisions that have none, in every readable claim.

    A claim file that cannot be read is reported and left as it is (exit
    status 1); the others are sealed.

    \b
    Example:
      claimtrack seal
    """
    counts = lib.seal()
    echo(f"sealed {plural(sum(counts.values()), 'revision')} in {plural(len(counts), 'claim')}")
    for problem in counts.problems:
        echo(f"not sealed: {problem}", err=True)
    if counts.problems:
        sys.exit(1)


def _show_text(detail: dict) -> str:
    lines = [f"{detail['id']}  [{detail['confidence']}, {detail['status']}]", f"  {detail['statement']}"]
    if detail.get("as_of"):
        lines.append(f"  as of {detail['as_of']}")
    if detail["superseded_by"]:
        lines.append(f"  superseded by: {detail['superseded_by']}")
    for label in ("tags", "depends_on"):
        if detail[label]:
            lines.append(f"  {label.replace('_', ' ')}: {', '.join(detail[label])}")
    for item in detail["evidence"]:
        where = f", {item['locator']}" if item.get("locator") else ""
        lines.append(f"  evidence: {item['source']} ({item['stance']}{where})")
    for fact in detail["facts"]:
        lines.append(f"  fact: {fact['subject']} / {fact['property']} = {fact['value']}")
    for shown in detail["appearances"]:
        where = f", {shown['locator']}" if shown.get("locator") else ""
        text = f": {shown['text']}" if shown.get("text") else ""
        lines.append(f"  appears in: {shown['document']}{where}{text}")
    for notice in detail.get("notices", ()):
        lines.append(f"  notice: {notice['source']} was {notice['notice']}")
    lines.append(f"  {plural(detail['revisions'], 'revision')}, created {detail['created']}, updated {detail['updated']}")
    return "\n".join(lines)


@main.command()
@click.argument("claim_id", metavar="ID")
@click.option("--as-of", "as_of", default=None, help="Show the claim as it stood at the end of this date (YYYY-MM-DD).")
@format_option("text", "json")
@pass_library
def show(lib: Library, claim_id: str, as_of: str | None, fmt: str) -> None:
    """Show claim ID, now or as of a date.

    \b
    Example:
      claimtrack show cdv2-context --as-of 2022-12-12 --format json
    """
    claim = lib.claim(claim_id) if as_of is None else lib.claim_as_of(claim_id, as_of)
    detail = claim_detail(claim)
    detail["as_of"] = as_of
    detail["notices"] = [
        {"source": n.source, "kind": n.kind.value, "date": n.date, "notice": n.describe()} for n in lib.notices.cited_by(claim)
    ]
    echo(to_json(detail) if fmt == "json" else _show_text(detail))


@main.command()
@click.argument("claim_id", metavar="ID")
@format_option()
@click.option("--git", "git", is_flag=True, help="Also show the commit that added each revision (hash, author, date).")
@pass_library
def history(lib: Library, claim_id: str, fmt: str, git: bool) -> None:
    """List the revisions of claim ID, oldest first.

    With --git, each revision also shows the commit that added it (hash,
    author, date), found in the file's git history.

    \b
    Example:
      claimtrack history cdv2-context --format json
      claimtrack history cdv2-context --git
    """
    claim = lib.claim(claim_id)
    rows = history_rows(claim, revision_commits(lib.root, claim) if git else None)

    def text(row: Mapping[str, Any]) -> str:
        credit = f", credited {row['credited']}" if row["credited"] else ""
        why = f"\n      why: {row['reason']}" if row["reason"] else ""
        why += f"\n      evidence: {', '.join(row['evidence'])}" if row["evidence"] else ""
        why += f"\n      note: {row['note']}" if row["note"] else ""
        commit = ""
        if git:
            commit = "\n      not committed yet"
            if row["commit"]:
                commit = f"\n      commit {row['commit'][:10]} by {row['author']} <{row['email']}>, {row['committed']}"
        recorded = f"\n      recorded {row['recorded']}, back-dated to when it was made" if row["recorded"] else ""
        return f"{row['index']:>3}  {row['date']}  {row['kind']:<13} {row['by']}{credit}\n      {row['change']}{why}{recorded}{commit}"

    emit(rows, fmt, columns=HISTORY_COLUMNS + (GIT_COLUMNS if git else []), text=text)


@main.command("list")
@click.option("--confidence", multiple=True, help="Only claims at this level; repeat for several.")
@click.option("--tag", "tags", multiple=True, help="Only claims with this tag; repeat for several.")
@click.option("--status", multiple=True, type=Choice([s.value for s in Status]), help="Only claims with this status.")
@format_option()
@pass_library
def list_claims(lib: Library, confidence: tuple[str, ...], tags: tuple[str, ...], status: tuple[str, ...], fmt: str) -> None:
    """List claims, filtered by confidence, tag or status.

    \b
    Example:
      claimtrack list --confidence conclusion --format csv
    """
    lib.require_readable()
    rows = [claim_row(c) for c in lib.select(confidence=confidence, tags=tags, status=status)]
    if not rows:  # said on stderr: standard output stays the (empty) list
        echo(no_match(lib.claims.values(), confidence=confidence, tags=tags, status=status), err=True)
    widths = {name: max((len(r[name]) for r in rows), default=0) for name in ("id", "confidence", "status")}
    emit(
        rows,
        fmt,
        columns=CLAIM_COLUMNS,
        text=lambda r: "  ".join(f"{r[name]:<{widths[name]}}" for name in widths) + "  " + r["statement"],
    )
