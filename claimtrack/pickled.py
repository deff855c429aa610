"""The claims of a warm load, kept as their cache rows' pickles until first looked at.

Unpickling the records is most of what a warm load costs (about 20 microseconds a
claim), and a script that opens a library to count its claims, list their ids or
read a few of them need not pay it for every claim. The rows were checked
(signature, size, time stamp, content hash) when they were read; only turning
them into records waits.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable, ItemsView, Iterator, Mapping, ValuesView
from typing import Any, Generic, TypeVar, cast

from .collector import collector_paused
from .heap import release_freed
from .history import Verified
from .model import Claim

__all__ = ["Records", "ClaimView", "DerivedView", "Record", "unpickled"]

#: A claim, its checked facts, and its keys' line numbers as two strings (see claimmap.LineMap.packed).
Record = tuple[Claim, Verified, tuple[str, str]]
V = TypeVar("V")
_RELEASE_EVERY = 2048  # records made between handing the freed pickles' memory back
M = TypeVar("M")


def unpickled(blob: bytes) -> Record | None:
    """A signed row's record, or None when it does not load as one."""
    try:
        record = pickle.loads(blob)
    except Exception:  # noqa: BLE001 - a row that does not load is simply parsed again
        return None
    if (
        isinstance(record, tuple)
        and len(record) == 3
        and isinstance(record[0], Claim)
        and isinstance(record[1], Verified)
        and isinstance(record[2], tuple)
        and len(record[2]) == 2
        and all(isinstance(text, str) for text in record[2])
    ):
        keys, lines = record[2]
        # Files of one shape have the same keys: one string for all of them, not one a record.
        return record[0], record[1], (sys.intern(keys), lines)
    return None


class Records:
    """Each loaded claim's record by id; the ones from the cache stay pickled until first asked for.

    ``parse`` reads one claim from its file: what a row that does not unpickle falls back on.
    """

    __slots__ = ("_parse", "_held")

    def __init__(self, parse: Callable[[str], Record]) -> None:
        self._parse = parse
        self._held: dict[str, bytes | Record] = {}

    def put(self, claim_id: str, record: bytes | Record) -> None:
        self._held[claim_id] = record

    def ordered(self) -> None:
        """Put the ids in order (iteration follows it)."""
        self._held = {claim_id: self._held[claim_id] for claim_id in sorted(self._held)}

    def ids(self) -> Iterator[str]:
        return iter(self._held)

    def __len__(self) -> int:
        return len(self._held)

    def has(self, claim_id: object) -> bool:
        return claim_id in self._held

    def get(self, claim_id: str) -> Record:
        """The record (KeyError when absent), unpickled the first time and kept; its pickle is let go."""
        held = self._held[claim_id]
        if isinstance(held, tuple):
            return held
        record = unpickled(held)
        if record is None:
            record = self._parse(claim_id)
        self._held[claim_id] = record
        return record

    def get_all(self) -> None:
        """Unpickle every record not looked at yet, in one go.

        Without the cyclic garbage collector, which would otherwise scan the growing heap again and
        again (a fourfold cost at 10,000 claims) for records that cannot form a cycle; the memory of the
        pickles let go is handed back to the system as it goes (see :mod:`claimtrack.heap`).
        """
        made = 0
        with collector_paused():
            for claim_id, held in self._held.items():
                if not isinstance(held, tuple):
                    self.get(claim_id)
                    made += 1
                    if made % _RELEASE_EVERY == 0:
                        release_freed()  # the pickles let go so far: else the records and the pickles add up
        if made:
            release_freed()

    def made(self) -> dict[str, Record]:
        """Every record by id, all of them unpickled (the mapping itself: not to be changed)."""
        self.get_all()
        return cast(dict[str, Record], self._held)


class _View(Mapping[str, V], Generic[V]):
    __slots__ = ("_records",)

    def __init__(self, records: Records) -> None:
        self._records = records

    def __contains__(self, claim_id: object) -> bool:
        return self._records.has(claim_id)

    def __iter__(self) -> Iterator[str]:
        return self._records.ids()

    def __len__(self) -> int:
        return len(self._records)

    def values(self) -> ValuesView[V]:
        self._records.get_all()
        return super().values()

    def items(self) -> ItemsView[str, V]:
        self._records.get_all()
        return super().items()

    def over(self, other: _View[Any]) -> bool:
        """Whether both views show the same records."""
        return self._records is other._records


class ClaimView(_View[Claim]):
    """The claims of :class:`Records` by id, in id order."""

    __slots__ = ()

    def __getitem__(self, claim_id: str) -> Claim:
        return self._records.get(claim_id)[0]

    def as_dict(self) -> dict[str, Claim]:
        """Every claim by id, as a plain dict (a copy), made without a lookup per claim."""
        return {claim_id: record[0] for claim_id, record in self._records.made().items()}

    def records(self) -> Mapping[str, Record]:
        """Every record by id, all of them unpickled: the claim, its checked facts and its packed line numbers."""
        return self._records.made()


class DerivedView(_View[tuple[Verified, M]], Generic[M]):
    """Each claim's checked facts and line map by id, the map made by ``line_map`` from the record's packed lines."""

    __slots__ = ("_line_map",)

    def __init__(self, records: Records, line_map: Callable[[tuple[str, str]], M]) -> None:
        super().__init__(records)
        self._line_map = line_map

    def __getitem__(self, claim_id: str) -> tuple[Verified, M]:
        _, checked, lines = self._records.get(claim_id)
        return checked, self._line_map(lines)

    def checked(self) -> dict[str, Verified]:
        """Every claim's checked facts by id, no line map made."""
        return {claim_id: record[1] for claim_id, record in self._records.made().items()}
