"""What the audit and the data frames read of a library, as a protocol.

They take any object with these attributes, :class:`claimtrack.Library` above
all, so that neither imports the library module, which calls them in turn.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .index import Claims
    from .settings import Settings
    from .sources import Sources
    from .store import Store

__all__ = ["LibraryView"]


class LibraryView(Protocol):
    """A claims library as read: its folder, claim files, claims, sources and settings."""

    @property
    def root(self) -> Path: ...
    @property
    def store(self) -> Store: ...
    @property
    def claims(self) -> Claims: ...
    @property
    def sources(self) -> Sources: ...
    @property
    def settings(self) -> Settings: ...
