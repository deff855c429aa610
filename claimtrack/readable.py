"""What the floors above the store read from an open library, named as a protocol.

The audit and the frames take any object with these attributes; :class:`claimtrack.Library`
is the one the package builds. Naming the shape here keeps those floors from importing the
library module that imports them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .contentcheck import Checking
    from .index import Claims
    from .notices.collection import Notices
    from .settings import Settings
    from .sources import Sources
    from .store import Store

__all__ = ["ReadableLibrary"]


class ReadableLibrary(Protocol):
    """An open claims library: its folder, claims, sources, settings and the notices about its sources."""

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

    @property
    def notices(self) -> Notices: ...

    def audit(self) -> list[Any]: ...

    def files_checking(self) -> Checking | None:
        """The content check of :meth:`check_files` begun, to run beside the rules; None when there is none to begin."""
        ...

    def check_files(self) -> Claims:
        """The claims, with every file's content hash checked against the load cache (what the audit runs on)."""
        ...
