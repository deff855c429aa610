"""Citation keys as manuscripts write them, matched to the keys of references.bib.

Manubot's citations name a work by a persistent identifier (``[@doi:10.48550/arXiv.2106.09685]``,
``[@arxiv:2203.02155]``, ``[@pubmed:29424689]``), in whatever letter case the author typed. A
DOI is case-insensitive, and so are BibTeX keys to BibTeX; pandoc's lookup is not. This maps
each cited key that is not a key of the file as written to the entry it names: the same key in
another case, or the entry whose DOI, arXiv id or PMID it gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..latex import verbatim

__all__ = ["citation_map"]

_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def citation_map(sources: Any, keys: Iterable[str]) -> dict[str, str]:
    """``{cited key: key in the file}`` for the cited keys that are not in ``sources`` as written but name an entry there.

    ``sources`` is a :class:`claimtrack.Sources`; keys it has, or that name nothing, are left out.
    """
    missing = [key for key in dict.fromkeys(keys) if key not in sources]
    if not missing:
        return {}
    out: dict[str, str] = {}
    index: dict[str, str] | None = None
    for key in missing:
        found = sources.find(key)
        if found is not None:
            out[key] = found.key
            continue
        scheme, colon, value = key.partition(":")
        if not colon or scheme.lower() not in ("doi", "arxiv", "pubmed", "pmid"):
            continue
        if index is None:
            index = _identifiers(sources)
        name = {"pubmed": "pmid"}.get(scheme.lower(), scheme.lower())
        if (target := index.get(f"{name}:{value.strip().lower()}")) is not None:
            out[key] = target
    return out


def _identifiers(sources: Any) -> dict[str, str]:
    index: dict[str, str] = {}
    for key, _, fields in sources.raw_entries():
        if (doi := fields.get("doi")) is not None:
            index.setdefault("doi:" + _DOI_PREFIX.sub("", verbatim(doi)).lower(), key)
        if (eprint := fields.get("eprint")) is not None:
            bare = re.sub(r"^arxiv:|v\d+$", "", verbatim(eprint).lower())
            index.setdefault(f"arxiv:{bare}", key)
        if (pmid := fields.get("pmid")) is not None:
            index.setdefault(f"pmid:{verbatim(pmid).lower()}", key)
    return index
