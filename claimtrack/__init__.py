"""claimtrack: keep claims honest.

A claim carries its confidence, the BibTeX sources that bear on it and how,
and an append-only history of tracked corrections.

    >>> import claimtrack
    >>> lib = claimtrack.open(".")                     # doctest: +SKIP
    >>> lib.claims["gpt3-pretraining-corpus"].as_of("2022-12-15")  # doctest: +SKIP
"""

from . import notebook as _notebook  # noqa: F401 - registers the records' HTML views (claim._repr_html_)
from .audit import AuditResult, Finding, audit_all
from .errors import (
    ClaimExistsError,
    ClaimFileError,
    ClaimNotFoundError,
    ClaimtrackError,
    DocumentError,
    DuplicateClaimError,
    GitError,
    HistoryError,
    InvalidIdError,
    InvalidValueError,
    LibraryNotFoundError,
    LockTimeoutError,
    MergeConflictError,
    NoticeError,
    SettingsError,
    SourceError,
    SourceNotFoundError,
    ValueTypeError,
)
from .library import Library, init_library, open_library
from .model import (
    DEFAULT_SCALE,
    Appearance,
    Claim,
    ConfidenceLevel,
    ConfidenceScale,
    Evidence,
    Fact,
    Revision,
    RevisionKind,
    Stance,
    Status,
)
from .sources import Source, SourceProblem, Sources

open = open_library  # noqa: A001 - the API DESIGN.md promises: claimtrack.open(path)
init = init_library

__all__ = [
    "open",
    "init",
    "Library",
    "Claim",
    "Evidence",
    "Appearance",
    "Fact",
    "Revision",
    "RevisionKind",
    "Stance",
    "Status",
    "ConfidenceLevel",
    "ConfidenceScale",
    "DEFAULT_SCALE",
    "Finding",
    "AuditResult",
    "audit_all",
    "Source",
    "Sources",
    "SourceProblem",
    "ClaimtrackError",
    "ClaimExistsError",
    "ClaimFileError",
    "ClaimNotFoundError",
    "DocumentError",
    "DuplicateClaimError",
    "GitError",
    "HistoryError",
    "InvalidIdError",
    "InvalidValueError",
    "LibraryNotFoundError",
    "LockTimeoutError",
    "MergeConflictError",
    "NoticeError",
    "SettingsError",
    "SourceError",
    "SourceNotFoundError",
    "ValueTypeError",
]


def __getattr__(name: str) -> object:
    # The heavier floors (pandas, jinja2, markdown-it) load on first use, so that
    # `import claimtrack` and the command line start quickly.
    if name in ("report", "frames", "documents", "notices"):
        from importlib import import_module

        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
