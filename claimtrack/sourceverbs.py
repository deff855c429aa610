"""The verbs that add BibTeX sources to a library's references.bib, mixed into :class:`~claimtrack.Library`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SourceError

if TYPE_CHECKING:
    from .sources import Sources

__all__ = ["SourceVerbs"]


class SourceVerbs:
    """Mixed into :class:`~claimtrack.Library`."""

    if TYPE_CHECKING:
        root: Path
        _loaded: dict[str, Any]

        @property
        def sources(self) -> Sources: ...

    def add_sources(self, bibtex: str | bytes, *, origin: str = "the BibTeX to add") -> tuple[str, ...]:
        """Append BibTeX entries to references.bib without touching the others."""
        if isinstance(bibtex, bytes):
            try:
                bibtex = bibtex.decode("utf-8-sig")
            except UnicodeDecodeError as e:
                line = e.object[: e.start].count(b"\n") + 1
                raise SourceError(f"is not UTF-8 (byte {e.start})", file=origin, line=line, hint="save it as UTF-8") from e
        keys = self.sources.add(bibtex, root=self.root)
        self._loaded.pop("sources", None)
        return keys

    def add_sources_from(self, path: str | Path) -> tuple[str, ...]:
        """:meth:`add_sources` with the BibTeX of a file, which must be a regular file."""
        from .fileio import read_input

        try:
            data = read_input(path, error=SourceError)
        except OSError as e:
            raise SourceError(f"cannot be read: {e.strerror or e}", file=path, hint="check the path and its permissions") from e
        return self.add_sources(data, origin=str(path))
