"""One exception tree for everything claimtrack raises on purpose.

Every error is a :class:`ClaimtrackError` and also the built-in a caller would
expect (``KeyError`` for a missing claim, ``ValueError`` for bad data,
``FileNotFoundError`` for a missing library), and it carries the file, line
and key it is about, so the command line can print it as one line.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ClaimtrackError",
    "LibraryNotFoundError",
    "ClaimNotFoundError",
    "ClaimExistsError",
    "SourceNotFoundError",
    "InvalidIdError",
    "ClaimFileError",
    "HistoryError",
    "SourceError",
    "SettingsError",
    "LockTimeoutError",
    "DocumentError",
    "MergeConflictError",
    "GitError",
    "NoticeError",
    "BatchError",
    "InvalidValueError",
    "ValueTypeError",
    "DuplicateClaimError",
    "ExportError",
]


class ClaimtrackError(Exception):
    """Base of every claimtrack error.

    ``str(error)`` is one line: ``file:line: key: what is wrong; what to do``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.key = key
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        elif self.line:
            where = f"line {self.line}: "
        key = f"{self.key}: " if self.key else ""
        hint = f"; {self.hint}" if self.hint else ""
        return " ".join(f"{where}{key}{self.message}{hint}".split())

    # KeyError's own __str__ wraps the message in quotes; keep ours.
    __repr__ = Exception.__repr__


class LibraryNotFoundError(ClaimtrackError, FileNotFoundError):
    """No claims library at or above the given folder."""

    __str__ = ClaimtrackError.__str__


class ClaimNotFoundError(ClaimtrackError, KeyError):
    """No claim with that id."""

    __str__ = ClaimtrackError.__str__


class ClaimExistsError(ClaimtrackError, FileExistsError):
    """A claim with that id already exists."""

    __str__ = ClaimtrackError.__str__


class SourceNotFoundError(ClaimtrackError, KeyError):
    """No entry with that key in references.bib."""

    __str__ = ClaimtrackError.__str__


class InvalidIdError(ClaimtrackError, ValueError):
    """A claim id that could escape the claims folder or is not well formed."""


class ClaimFileError(ClaimtrackError, ValueError):
    """A claim file that cannot be read: bad TOML, wrong types, unknown keys."""

    def __init__(self, message: str, *, problems: tuple[ClaimtrackError, ...] = (), **where: object) -> None:
        super().__init__(message, **where)  # type: ignore[arg-type]
        self.problems = problems


class HistoryError(ClaimtrackError, ValueError):
    """A revision that cannot be applied: a span not found, a wrong old value."""


class SourceError(ClaimtrackError, ValueError):
    """BibTeX that cannot be read or added."""


class SettingsError(ClaimtrackError, ValueError):
    """A bad claimtrack.toml."""


class LockTimeoutError(ClaimtrackError, TimeoutError):
    """Another writer held the library lock for too long."""


class DocumentError(ClaimtrackError, ValueError):
    """A document that cannot be read for import, diff or stale scan."""


class MergeConflictError(ClaimtrackError, ValueError):
    """Two sides of a merge change the same thing of a claim incompatibly; ``conflicts`` holds one per claim when there are several."""

    def __init__(self, message: str, *, conflicts: tuple[MergeConflictError, ...] = (), **where: object) -> None:
        super().__init__(message, **where)  # type: ignore[arg-type]
        self.conflicts = conflicts


class GitError(ClaimtrackError, RuntimeError):
    """git is missing, the folder is not in a git work tree, or a git command failed."""


class NoticeError(ClaimtrackError, ValueError):
    """A notices file (Retraction Watch, Crossref, OpenAlex) or the library's notices.toml that cannot be read."""


class BatchError(ClaimtrackError, ValueError):
    """A batch of claims (``add --from``, ``extract --apply``) with bad rows; ``problems`` holds every one, nothing was written."""

    def __init__(self, message: str, *, problems: tuple[ClaimtrackError, ...] = (), **where: object) -> None:
        super().__init__(message, **where)  # type: ignore[arg-type]
        self.problems = problems


class InvalidValueError(ClaimtrackError, ValueError):
    """A date, a text or a list that is not one a library keeps: a day that does not exist, a blank name."""


class ValueTypeError(ClaimtrackError, TypeError):
    """A value of the wrong type given to the Python API: a number for a statement, one string for a list of tags."""


class DuplicateClaimError(ClaimtrackError, ValueError):
    """A new claim's statement nearly duplicates a claim the library holds (pass ``allow_duplicate`` if meant)."""


class ExportError(ClaimtrackError, ValueError):
    """An export could not be written: an unknown format, a bad output path, a missing optional package."""
