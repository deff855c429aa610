"""Sources by name: DOIs, arXiv ids and export URLs fetched over HTTP, every DOI answer kept in the library.

``claimtrack source add doi:10.48550/arXiv.2203.02155`` asks the DOI resolver
for CSL-JSON by content negotiation (BibTeX when CSL-JSON is not offered);
the answer is kept in ``doi-cache.json`` beside references.bib, so the same
add works offline later and in CI. The resolver's address is a setting
(``[sources] resolver`` in claimtrack.toml, or ``CLAIMTRACK_RESOLVER``).
"""

from __future__ import annotations

from .cache import CACHE_FILE, AnswerCache
from .fetching import Answer, Resolver, fetch_url
from .identifiers import Identifier, parse_identifier

__all__ = ["Answer", "AnswerCache", "CACHE_FILE", "Identifier", "Resolver", "fetch_url", "parse_identifier"]
