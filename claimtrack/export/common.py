"""What the exports share: a source's web address, a revision's change in words, the library's publisher."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..history import render_markdown, states_before
from ..model import Claim, Revision, RevisionKind

__all__ = [
    "source_link",
    "changes",
    "publisher",
    "claim_url",
    "last_changed",
    "json_bytes",
    "person_name",
    "render_change",
    "CONTENT_KINDS",
]

#: Revisions that change what a claim says or how it stands (a review or an editorial fix does not).
CONTENT_KINDS = frozenset(k for k in RevisionKind if k not in (RevisionKind.CREATED, RevisionKind.REVIEW, RevisionKind.EDITORIAL))


def source_link(source: Any) -> str | None:
    """Where a source can be read: its DOI's address, its URL, or its arXiv page; None when it gives none."""
    if source is None:
        return None
    if source.doi:
        return "https://doi.org/" + source.doi
    if source.url:
        return str(source.url)
    eprint = source.eprint
    archive = (source.field("archiveprefix", decode=False) or source.field("eprinttype", decode=False) or "").lower()
    if eprint and (archive == "arxiv" or not archive):
        return "https://arxiv.org/abs/" + eprint
    return None


def changes(claim: Claim) -> list[tuple[int, Revision, str]]:
    """Each revision after ``created`` with its change in words (``~~4096~~ 8192``), oldest first."""
    before = states_before(claim)
    return [(i, r, render_markdown(r, before[i])) for i, r in enumerate(claim.revisions) if i]


def render_change(claim: Claim, index: int, before: list[Claim | None]) -> str:
    """Revision ``index`` in words: ``created: <statement>``, ``correction: ~~4096~~ 8192 (why)``."""
    revision = claim.revisions[index]
    text = f"{revision.kind.value}: {render_markdown(revision, before[index])}"
    return text + (f" ({revision.reason})" if revision.reason else "")


def last_changed(claim: Claim) -> dt.date | None:
    """The latest date of any revision (a back-dated correction does not make a claim older)."""
    return max((r.date for r in claim.revisions), default=None)


def publisher(lib: Any) -> dict[str, Any]:
    """Who publishes the library's claims: ``[export] publisher`` (and ``publisher_url``), else the library's title."""
    export = lib.settings.export
    who: dict[str, Any] = {"@type": "Organization", "name": export.get("publisher") or lib.settings.title}
    if export.get("publisher_url"):
        who["url"] = export["publisher_url"]
    return who


def claim_url(lib: Any, claim_id: str) -> str | None:
    """The claim's section in the published report (``base_url`` + ``#claim-<id>``); None without ``base_url``."""
    base = lib.settings.export.get("base_url")
    if not base:
        return None
    return f"{base.split('#')[0]}#claim-{claim_id}"


def json_bytes(value: Any) -> bytes:
    """Stable, readable JSON: two-space indents, keys in the order built, Unicode as it is, a final newline."""
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def person_name(name: str) -> str:
    """ "Family, Given" as a reader writes it, "Given Family"; a literal name (no comma) as it is."""
    family, comma, given = name.partition(", ")
    return f"{given} {family}" if comma and given else name
