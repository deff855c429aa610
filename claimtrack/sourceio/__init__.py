"""A library's sources in and out: ``source add`` from any format or identifier, ``source sync``, ``source export``.

The formats and the CSL <-> BibTeX mapping are in :mod:`claimtrack.bibformats`;
fetching DOIs and URLs in :mod:`claimtrack.resolve`. Everything here writes
references.bib by splicing text, under the library lock, all or nothing.

>>> import claimtrack
>>> from claimtrack.sourceio import add_sources, export_sources
>>> lib = claimtrack.open(".")                                             # doctest: +SKIP
>>> add_sources(lib, ["references.json"], keys="standard").added          # doctest: +SKIP
>>> export_sources(lib, "csljson", with_status=True)                       # doctest: +SKIP
"""

from __future__ import annotations

from .adding import AddResult, add_entries, add_sources
from .exporting import export_sources, standing
from .syncing import SyncResult, sync_sources

__all__ = ["AddResult", "SyncResult", "add_entries", "add_sources", "export_sources", "standing", "sync_sources"]
