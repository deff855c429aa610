"""Identifiers in the forms notices and BibTeX entries write them, and the library's sources by identifier.

A DOI is compared case-folded, without ``https://doi.org/``, ``doi:`` or URL
escapes; a PubMed id as its digits; an arXiv id without its version
(``2201.11903v2`` is ``2201.11903``), whether it comes from an ``eprint``
field, an arxiv.org URL or arXiv's own DOI (``10.48550/arXiv.2201.11903``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ..latex import verbatim

if TYPE_CHECKING:
    from ..sources import Sources

__all__ = ["normal_doi", "normal_pmid", "normal_arxiv", "SourceIndex"]

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE)
_DOI = re.compile(r"10\.\d{3,9}/\S+")
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)", re.IGNORECASE)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^?#\s]+?)(?:\.pdf)?(?:[?#].*)?$", re.IGNORECASE)
# New-style ids (2201.11903) and old-style ones (hep-th/9901001, math.GT/0309136), with an optional version.
_ARXIV_ID = re.compile(r"(?:arxiv:\s*)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.IGNORECASE)
_PMID_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/|pmid:\s*)(\d+)", re.IGNORECASE)


def normal_doi(value: str | None) -> str | None:
    """``10.xxxx/...`` in lower case, or None when ``value`` holds no DOI.

    >>> normal_doi("https://doi.org/10.1000/ABC%2F1")
    '10.1000/abc/1'
    """
    if not value:
        return None
    doi = _DOI_PREFIX.sub("", unquote(value.strip())).strip().rstrip(".,;")
    return doi.casefold() if _DOI.fullmatch(doi) else None


def normal_pmid(value: str | None) -> str | None:
    """A PubMed id's digits, or None (Retraction Watch writes 0 for "none").

    >>> normal_pmid("https://pubmed.ncbi.nlm.nih.gov/31234567")
    '31234567'
    """
    if not value:
        return None
    value = value.strip()
    match = _PMID_URL.search(value)
    digits = match.group(1) if match else value
    if not digits.isdigit() or int(digits) == 0:
        return None
    return str(int(digits))


def normal_arxiv(value: str | None) -> str | None:
    """An arXiv id without its version, or None.

    >>> normal_arxiv("https://arxiv.org/abs/2201.11903v6")
    '2201.11903'
    """
    if not value:
        return None
    value = value.strip()
    # arXiv's own DOI (10.48550/arXiv.ID) or an arxiv.org URL hold the id; else the value is the id.
    inner = _ARXIV_DOI.fullmatch(_DOI_PREFIX.sub("", value)) or _ARXIV_URL.search(value)
    if inner is not None:
        value = inner.group(1)
    match = _ARXIV_ID.fullmatch(value)
    return match.group(1).lower() if match else None


class SourceIndex:
    """The library's BibTeX keys by normalised DOI, PubMed id and arXiv id.

    Built from the raw fields, so only entries that carry an identifier are
    decoded at all. Two entries with one DOI are both found.
    """

    def __init__(self, sources: Sources | None = None) -> None:
        self.doi: dict[str, list[str]] = {}
        self.pmid: dict[str, list[str]] = {}
        self.arxiv: dict[str, list[str]] = {}
        if sources is not None:
            for key, _, fields in sources.raw_entries():
                self.add(key, fields)

    def add(self, key: str, fields: dict[str, str]) -> None:
        """Index one entry by the identifiers its fields (lower-case names, raw values) give."""
        get = fields.get
        doi = normal_doi(verbatim(get("doi") or ""))
        if doi is not None:
            self.doi.setdefault(doi, []).append(key)
        eprint = verbatim(get("eprint") or "")
        kind = (get("eprinttype") or get("archiveprefix") or "").strip("{} ").lower()
        pmids = {normal_pmid(verbatim(get("pmid") or ""))}
        arxivs = {normal_arxiv(doi), normal_arxiv(verbatim(get("url") or "")), normal_arxiv(verbatim(get("arxiv") or ""))}
        if kind in ("pubmed", "pmid"):
            pmids.add(normal_pmid(eprint))
        elif kind in ("arxiv", ""):
            arxivs.add(normal_arxiv(eprint))
        for pmid in pmids - {None}:
            self.pmid.setdefault(pmid, []).append(key)  # type: ignore[arg-type]
        for arxiv in arxivs - {None}:
            self.arxiv.setdefault(arxiv, []).append(key)  # type: ignore[arg-type]

    def may_cite(self, doi: str | None) -> bool:
        """False when ``doi`` is surely no indexed source's: a quick look, before any real parsing.

        Most records of a notices file are about papers the library does not cite. Only a DOI already in
        normal form (as the files mostly write them) is ruled out; any other form is left to :meth:`match`.
        """
        if not doi:
            return False
        plain = doi.lower()
        if "10." not in plain:
            return False
        if plain.startswith("10.") and plain[-1:].isalnum() and "%" not in plain and not (self.arxiv and "arxiv" in plain):
            return plain in self.doi
        return True

    def __bool__(self) -> bool:
        return bool(self.doi or self.pmid or self.arxiv)

    def match(self, *, dois: Iterable[str | None] = (), pmids: Iterable[str | None] = ()) -> Iterator[tuple[str, str]]:
        """(key, ``scheme:identifier``) for each source a notice about these identifiers concerns, once each key.

        ``dois`` are tried as DOIs and, when they are arXiv's, as arXiv ids.
        """
        seen: set[str] = set()
        for raw in dois:
            doi = normal_doi(raw)
            if doi is None:
                continue
            for key in self.doi.get(doi, ()):
                if key not in seen:
                    seen.add(key)
                    yield key, f"doi:{doi}"
            arxiv = normal_arxiv(doi)
            for key in self.arxiv.get(arxiv, ()) if arxiv else ():
                if key not in seen:
                    seen.add(key)
                    yield key, f"arxiv:{arxiv}"
        for raw in pmids:
            pmid = normal_pmid(raw)
            for key in self.pmid.get(pmid, ()) if pmid else ():
                if key not in seen:
                    seen.add(key)
                    yield key, f"pmid:{pmid}"
