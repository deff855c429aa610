"""Retractions, corrections and expressions of concern of a library's sources.

The data comes from files a person downloads (or a CI job refreshes): the
Retraction Watch database's CSV, Crossref works and OpenAlex works.
:func:`import_files` keeps the notices about the library's own sources in
``notices.toml`` at the library's root; the audit, ``source list``, ``show``,
the frames and the report read them from there.

>>> lib = claimtrack.open(".")                                    # doctest: +SKIP
>>> result = lib.import_notices(["retraction_watch.csv"])         # doctest: +SKIP
>>> lib.notices.summary("smith2020")                              # doctest: +SKIP
'retracted 2023-03-14'
"""

from __future__ import annotations

from .collection import Notices
from .file import NOTICES_FILE
from .importing import ImportResult, import_files
from .matching import SourceIndex, normal_arxiv, normal_doi, normal_pmid
from .reading import FORMATS, Read, read_bytes, read_file
from .records import Notice, NoticeKind

__all__ = [
    "Notice",
    "NoticeKind",
    "Notices",
    "ImportResult",
    "Read",
    "SourceIndex",
    "import_files",
    "read_file",
    "read_bytes",
    "normal_doi",
    "normal_pmid",
    "normal_arxiv",
    "NOTICES_FILE",
    "FORMATS",
]
