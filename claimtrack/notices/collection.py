"""A library's notices, by source: what is in force for each, and what a claim's evidence is affected by."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, overload

from ..views import plural
from .file import NOTICES_FILE, load, sort_key
from .matching import SourceIndex
from .records import CORRECTING_KINDS, ENDING_KINDS, Notice, NoticeKind

if TYPE_CHECKING:
    from ..model import Claim
    from ..sources import Sources

__all__ = ["Notices"]


class Notices(Sequence[Notice]):
    """The notices in a library's notices.toml, sorted by source key and date.

    A notice whose key is no longer in references.bib (the entry was renamed)
    is found again by the identifier it was matched on.

    >>> notices = claimtrack.open(".").notices                   # doctest: +SKIP
    >>> notices.retraction("smith2020")                           # doctest: +SKIP
    Notice(source='smith2020', kind=<NoticeKind.RETRACTION: 'retraction'>, ...)
    """

    def __init__(self, notices: Sequence[Notice] = (), sources: Sources | None = None) -> None:
        items = list(notices)
        if sources is not None and any(n.source not in sources for n in items):
            items = list(_rekeyed(items, sources))
        self._items = tuple(sorted(items, key=sort_key))
        self._by_source: dict[str, list[Notice]] = {}
        for notice in self._items:
            self._by_source.setdefault(notice.source, []).append(notice)

    @classmethod
    def load(cls, root: Path, sources: Sources | None = None) -> Notices:
        """The notices of the library at ``root`` (none without a notices.toml)."""
        return cls(load(Path(root) / NOTICES_FILE), sources)

    @overload
    def __getitem__(self, index: int) -> Notice: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Notice]: ...
    def __getitem__(self, index: int | slice) -> Notice | Sequence[Notice]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<Notices: {len(self)} about {plural(len(self._by_source), 'source')}>"

    @property
    def sources(self) -> list[str]:
        """The keys that have notices, sorted."""
        return sorted(self._by_source)

    def about(self, key: str) -> tuple[Notice, ...]:
        """Every notice about ``key``, oldest first (undated ones first)."""
        return tuple(self._by_source.get(key, ()))

    def cited_by(self, claim: Claim) -> tuple[Notice, ...]:
        """The notices about the sources the claim's evidence cites, in the order of its evidence."""
        keys = dict.fromkeys(item.source for item in claim.evidence if not item.is_claim)
        return tuple(notice for key in keys for notice in self._by_source.get(key, ()))

    def retraction(self, key: str) -> Notice | None:
        """The retraction or withdrawal in force for ``key``, not undone by a later reinstatement.

        Of several (Retraction Watch and Crossref may both have it), the earliest dated one.
        """
        ending: Notice | None = None
        for notice in sorted(self._by_source.get(key, ()), key=lambda n: n.date is None):  # dated ones first, stably
            if notice.kind in ENDING_KINDS and ending is None:
                ending = notice
            elif notice.kind is NoticeKind.REINSTATEMENT and ending is not None and _later(notice, ending):
                ending = None
        return ending

    def corrections(self, key: str) -> tuple[Notice, ...]:
        return tuple(n for n in self._by_source.get(key, ()) if n.kind in CORRECTING_KINDS)

    def concerns(self, key: str) -> tuple[Notice, ...]:
        """Expressions of concern, unless the source was retracted since (then the retraction is what counts)."""
        if self.retraction(key) is not None:
            return ()
        return tuple(n for n in self._by_source.get(key, ()) if n.kind is NoticeKind.EXPRESSION_OF_CONCERN)

    def retracted(self) -> frozenset[str]:
        """The keys retracted or withdrawn now."""
        return frozenset(key for key in self._by_source if self.retraction(key) is not None)

    def summary(self, key: str) -> str | None:
        """The notices about ``key`` in a few words, one per kind, newest first: ``retracted 2023-03-14; corrected 2021-05-02``."""
        notices = self._by_source.get(key)
        if not notices:
            return None
        latest: dict[NoticeKind, Notice] = {}
        for notice in notices:  # oldest first, undated ones first: the last one of a kind is the newest dated one
            latest[notice.kind] = notice
        shown = sorted(latest.values(), key=lambda n: n.date or "", reverse=True)
        return "; ".join(n.short() for n in shown)


def _later(notice: Notice, than: Notice) -> bool:
    return (notice.date or "") >= (than.date or "")


def _rekeyed(notices: list[Notice], sources: Sources) -> Iterator[Notice]:
    import attrs

    index = SourceIndex(sources)
    table = {"doi": index.doi, "pmid": index.pmid, "arxiv": index.arxiv}
    for notice in notices:
        if notice.source in sources:
            yield notice
            continue
        scheme, _, value = notice.matched.partition(":")
        keys = table.get(scheme, {}).get(value, ())
        if not keys:
            yield notice  # kept, and shown, though nothing cites it now
        for key in keys:
            yield attrs.evolve(notice, source=key)
