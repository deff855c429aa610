"""What the exports share: one export's view of the library (settings read once, each source's facts made once),
a source's web address, a revision's change in words, and the JSON every text format is written as."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from collections.abc import Iterable
from typing import Any

import attrs

from ..history import render_markdown, states_before
from ..model import Claim, Revision, RevisionKind

__all__ = ["Context", "SourceFacts", "source_link", "changes", "render_change", "last_changed", "json_list", "person_name",
           "CONTENT_KINDS"]  # fmt: skip

#: What a link keeps as it is: the URI delimiters and the percent signs of escapes already made.
_IRI_SAFE = ":/?#[]@!$&'()*+,;=%~"

#: Revisions that change what a claim says or how it stands (a review or an editorial fix does not).
CONTENT_KINDS = frozenset(k for k in RevisionKind if k not in (RevisionKind.CREATED, RevisionKind.REVIEW, RevisionKind.EDITORIAL))


def source_link(source: Any) -> str | None:
    """Where a source can be read: its DOI's address, its URL, or its arXiv page; None when it gives none.

    Characters an IRI cannot hold (a space in a hand-typed URL, quotes, braces) are percent-encoded.
    """
    if source is None:
        return None
    link = None
    if source.doi:
        link = "https://doi.org/" + source.doi.strip()
    elif source.url and source.url.strip().lower().startswith(("http://", "https://")):
        link = source.url.strip()
    elif source.eprint:
        archive = (source.field("archiveprefix", decode=False) or source.field("eprinttype", decode=False) or "").lower()
        if archive in ("arxiv", ""):
            link = "https://arxiv.org/abs/" + source.eprint.strip()
    return safe_iri(link) if link else None


def safe_iri(text: str) -> str:
    """``text`` with the characters an IRI cannot hold percent-encoded."""
    return urllib.parse.quote(text, safe=_IRI_SAFE)


def person_name(name: str) -> str:
    """ "Family, Given" as a reader writes it, "Given Family"; a literal name (no comma) as it is."""
    family, comma, given = name.partition(", ")
    return f"{given} {family}" if comma and given else name


@attrs.frozen
class SourceFacts:
    """What the exports say of one references.bib entry, decoded once."""

    key: str
    title: str | None
    link: str | None
    authors: tuple[str, ...]  # as readers write them: "Given Family"
    year: str | None  # four digits, or None


class Context:
    """One export's view of a library: its settings read once, each cited source's facts made once."""

    def __init__(self, lib: Any) -> None:
        settings = lib.settings
        self.lib = lib
        self.scale = settings.scale
        self.export = dict(settings.export)
        self.ratings = dict(self.export.get("ratings", {}))
        self.sources = lib.sources
        self.notices = lib.notices
        self.publisher_name: str = self.export.get("publisher") or settings.title
        self.publisher: dict[str, Any] = {"@type": "Organization", "name": self.publisher_name}
        if self.export.get("publisher_url"):
            self.publisher["url"] = self.export["publisher_url"]
        base = self.export.get("base_url")
        self._base = safe_iri(base.split("#")[0]) if base else None
        self._facts: dict[str, SourceFacts | None] = {}

    def claim_url(self, claim_id: str) -> str | None:
        """The claim's section in the published report (``base_url`` + ``#claim-<id>``); None without ``base_url``."""
        return f"{self._base}#claim-{claim_id}" if self._base else None

    def source(self, key: str) -> SourceFacts | None:
        """The facts of the source ``key``, or None when references.bib has no such entry."""
        if key not in self._facts:
            entry = self.sources.get(key)
            if entry is None:
                self._facts[key] = None
            else:
                year = entry.year
                self._facts[key] = SourceFacts(
                    key, entry.title, source_link(entry), tuple(person_name(a) for a in entry.authors),
                    year[:4] if year and year[:4].isdigit() else None,
                )  # fmt: skip
        return self._facts[key]

    def rank(self, level: str) -> tuple[int, int] | None:
        """(the level's rating value, the scale's size): of n levels the strongest is n, the weakest 1."""
        if level not in self.scale:
            return None
        n = len(self.scale.levels)
        return n - self.scale.rank(level), n


def _needs_before(claim: Claim) -> bool:
    """Whether a later revision of ``claim`` shows an old value only the state before it knows (a whole new statement,
    confidence or status); span and list edits carry both sides themselves."""
    return any(
        r.statement is not None or r.confidence is not None or r.status is not None or r.superseded_by is not None
        for r in claim.revisions[1:]
    )


def changes(claim: Claim) -> list[tuple[int, Revision, str]]:
    """Each revision after ``created`` with its change in words (``~~4096~~ 8192``), oldest first."""
    before: list[Claim | None] = states_before(claim) if _needs_before(claim) else [None] * len(claim.revisions)
    return [(i, r, render_markdown(r, before[i])) for i, r in enumerate(claim.revisions) if i]


def render_change(claim: Claim, index: int, before: list[Claim | None]) -> str:
    """Revision ``index`` in words: ``created: <statement>``, ``correction: ~~4096~~ 8192 (why)``."""
    revision = claim.revisions[index]
    text = f"{revision.kind.value}: {render_markdown(revision, before[index])}"
    return text + (f" ({revision.reason})" if revision.reason else "")


def last_changed(claim: Claim) -> dt.date | None:
    """The latest date of any revision (a back-dated correction does not make a claim older)."""
    return max((r.date for r in claim.revisions), default=None)


def json_list(items: Iterable[Any]) -> bytes:
    """A JSON list with one item a line: valid JSON, a diff per claim, and written by the C encoder, which an
    indented dump would not use (three times slower)."""
    lines = [json.dumps(item, ensure_ascii=False) for item in items]
    return ("[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n").encode("utf-8")
