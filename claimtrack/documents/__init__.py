"""Documents: import tracked changes, diff two versions, find stale passages.

>>> import claimtrack.documents as docs
>>> result = docs.import_changes(lib, "article.md")             # doctest: +SKIP
>>> docs.apply_changes(lib, result, by="A. Reader")              # doctest: +SKIP
>>> docs.diff_documents("early.md", "latest.md", claims=lib)     # doctest: +SKIP
>>> docs.find_stale(lib, ["copy.md"])                            # doctest: +SKIP
"""

from .align import diff_documents
from .applying import apply_changes
from .records import AppliedChange, ApplyResult, DocumentNote, ImportResult, ProposedRevision, StaleFinding
from .stale import StaleEngine, find_stale, stale_passage
from .tracked import import_changes

__all__ = [
    "import_changes",
    "apply_changes",
    "diff_documents",
    "find_stale",
    "StaleEngine",
    "stale_passage",
    "ProposedRevision",
    "DocumentNote",
    "ImportResult",
    "AppliedChange",
    "ApplyResult",
    "StaleFinding",
]
