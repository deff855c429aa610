"""Bibliography formats in and out: BibTeX/BibLaTeX, CSL-JSON, CSL-YAML and RIS, and the CSL <-> BibTeX mapping.

Nothing here touches a library: these are the readers, the writers and the
mapping (``docs/sources.md``); :mod:`claimtrack.sourceio` uses them to add,
sync and export a library's sources.

>>> bib = read_bibliography(b'[{"id": "fu2022", "type": "article-journal", "title": "A roadmap"}]', "refs.json")
>>> entry_from_item(bib.items[0], "refs.json item 1").text
'@article{fu2022,\\n  title = {A roadmap},\\n}'
"""

from __future__ import annotations

from .csl import CSL_TYPES, arxiv_id, from_source, to_bibtex
from .entries import KEY_SCHEMES, NewEntry, auto_key, bad_key, entry_from_item, entry_text, key_variants, standard_id
from .reading import FORMATS, MAX_BYTES, Bibliography, detect_format, read_bibliography
from .texescape import escape
from .writing import EXPORT_FORMATS, write_entries

__all__ = [
    "CSL_TYPES",
    "EXPORT_FORMATS",
    "FORMATS",
    "KEY_SCHEMES",
    "MAX_BYTES",
    "Bibliography",
    "NewEntry",
    "arxiv_id",
    "auto_key",
    "bad_key",
    "detect_format",
    "entry_from_item",
    "entry_text",
    "escape",
    "from_source",
    "key_variants",
    "read_bibliography",
    "standard_id",
    "to_bibtex",
    "write_entries",
]
