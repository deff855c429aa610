"""Telling a DOI, an arXiv id or a URL from a file name, as a user types them.

>>> parse_identifier("https://doi.org/10.48550/arXiv.2203.02155").standard
'doi:10.48550/arxiv.2203.02155'
>>> parse_identifier("arxiv:2203.02155").doi
'10.48550/arXiv.2203.02155'
>>> parse_identifier("references.json") is None
True
"""

from __future__ import annotations

import re

import attrs

__all__ = ["Identifier", "parse_identifier"]

_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_ARXIV = re.compile(
    r"^(?:arxiv:\s*|https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/)(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?(?:\.pdf)?/?$",
    re.IGNORECASE,
)
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


@attrs.frozen
class Identifier:
    """A DOI (``kind="doi"``), an arXiv id (``"arxiv"``) or the URL of an export (``"url"``)."""

    kind: str
    value: str

    @property
    def doi(self) -> str | None:
        """The DOI to resolve: the DOI itself, or arXiv's DataCite DOI for an arXiv id."""
        if self.kind == "doi":
            return self.value
        if self.kind == "arxiv":
            return f"10.48550/arXiv.{self.value}"
        return None

    @property
    def standard(self) -> str:
        """Manubot's standard id: ``doi:`` and the DOI in lower case, ``arxiv:<id>``, or the URL."""
        if self.kind == "doi":
            return f"doi:{self.value.lower()}"
        if self.kind == "arxiv":
            return f"arxiv:{self.value}"
        return self.value

    def __str__(self) -> str:
        return self.standard


def parse_identifier(text: str) -> Identifier | None:
    """The identifier ``text`` names, or None when it is none (a file name)."""
    text = text.strip()
    if match := _ARXIV.match(text):
        return Identifier("arxiv", match.group(1))
    if match := _DOI.match(text):
        return Identifier("doi", match.group(1).rstrip(".,;"))
    if _URL.match(text):
        return Identifier("url", text)
    return None
