"""What every rule group reads: the library's claims, sources and settings, loaded once."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from itertools import chain
from operator import attrgetter, itemgetter
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ..history import Verified, verify
from ..model import CLAIM_PREFIX, Claim, ConfidenceScale, Stance
from ..suggest import Hints

if TYPE_CHECKING:
    from ..errors import ClaimtrackError
    from ..notices import Notices
    from ..readable import ReadableLibrary
    from ..settings import Settings
    from ..sources import Sources

__all__ = ["Context", "Draft", "BIB_FILE", "SETTINGS_FILE"]

BIB_FILE = "references.bib"
SETTINGS_FILE = "claimtrack.toml"
V = TypeVar("V")
_CHECKED, _CITED = itemgetter(1), attrgetter("cited")


@attrs.frozen
class Draft:
    """A finding before settings and ignores decide its fate.

    ``where`` is a dotted key in the claim's file (``evidence[1]``,
    ``revisions[3]``), turned into a line number only for the claims that
    have findings, so a clean library costs no extra reads.
    """

    rule: str
    message: str
    claim: str | None = None
    source: str | None = None
    hint: str | None = None
    file: str | None = None
    line: int | None = None
    where: str | None = None


def claim_file(claim_id: str) -> str:
    return f"claims/{claim_id}.toml"


class Context:
    """The library as the rules see it."""

    def __init__(self, lib: ReadableLibrary) -> None:
        self.lib = lib
        self.settings: Settings = lib.settings
        self.scale: ConfidenceScale = self.settings.scale
        # Not the library's mapping itself: that raises the file's error for an unreadable id, where the rules
        # want a plain "not here".
        claims = lib.claims
        records = claims.records() if hasattr(claims, "records") else None
        self.claims: Mapping[str, Claim]
        self.checked: Mapping[str, Verified]
        #: (claim, its checked facts, anything) for every claim in id order: what the rules that visit every claim read.
        self.entries: Sequence[tuple[Claim, Verified, object]]
        if records is not None:
            # A load's records hold each claim with its checked facts: read in place, nothing copied (three copies of
            # 100,000 entries were a tenth of the audit).
            self.claims, self.checked = _Part(records, 0), _Part(records, 1)
            self.entries = list(records.values())
        else:
            self.claims = claims.as_dict() if hasattr(claims, "as_dict") else dict(claims.items())
            self.checked = (
                claims.all_verified() if hasattr(claims, "all_verified") else {i: verify(c) for i, c in self.claims.items()}
            )
            self.entries = [(claim, self.checked[claim_id], None) for claim_id, claim in self.claims.items()]
        self.problems: tuple[ClaimtrackError, ...] = tuple(getattr(lib.claims, "problems", ()))
        self.sources: Sources = lib.sources
        # Files that exist but cannot be read still name a claim: citing one is not dangling.
        self.unreadable_ids = {PurePath(p.file).stem for p in self.problems if p.file}
        self.known_ids = set(self.claims) | self.unreadable_ids
        self.min_support = {level.name: level.min_support for level in self.scale.levels}
        # Retractions and corrections of the sources (claimtrack.notices); a retracted source supports nothing.
        self.notices: Notices | None = getattr(lib, "notices", None)
        self.retracted: frozenset[str] = self.notices.retracted() if self.notices else frozenset()

    @functools.cached_property
    def cited(self) -> set[str]:
        """Every key some claim cites, now or anywhere in its history (``claim:<id>`` included; see Verified.cited)."""
        # Gathered in C (no Python step a claim): the audit pays for every pass over 100,000 claims.
        return set(chain.from_iterable(map(_CITED, map(_CHECKED, self.entries))))

    @functools.cached_property
    def citable(self) -> frozenset[str]:
        """Everything a claim may cite without a dangling-source or dangling-claim finding."""
        return frozenset(self.sources).union([CLAIM_PREFIX + claim_id for claim_id in self.known_ids])

    @functools.cached_property
    def id_hints(self) -> Hints:
        """Did-you-mean hints for ids that name no claim, sharing one budget over the audit (see :class:`Hints`)."""
        return Hints(self.claims)

    def cites_what_is_not_there(self) -> bool:
        """Whether some claim cites a key that is not :attr:`citable` (made without making that set)."""
        prefix, known = CLAIM_PREFIX, self.known_ids
        return any(not (key.startswith(prefix) and key[len(prefix) :] in known) for key in self.cited.difference(self.sources))

    def verified(self, claim: Claim) -> Verified:
        """The claim's checked facts (kept with the claim in the load cache when the library has one)."""
        checked = self.checked.get(claim.id)
        return checked if checked is not None and self.claims.get(claim.id) is claim else verify(claim)

    def supports(self, claim: Claim) -> tuple[int, tuple[str, ...]]:
        """How many distinct sources support the claim, retracted ones not counted, and the retracted ones."""
        have = self.verified(claim).supports
        if not self.retracted:
            return have, ()
        keys = {item.source for item in claim.evidence if item.stance is Stance.SUPPORTS}
        left_out = tuple(sorted(keys & self.retracted))
        return have - len(left_out), left_out

    def file_of(self, claim: Claim) -> str:
        return claim.path or claim_file(claim.id)

    def at(self, claim: Claim, rule: str, message: str, *, where: str | None = None, hint: str | None = None,
           source: str | None = None) -> Draft:  # fmt: skip
        """A draft finding about ``claim``."""
        return Draft(rule, message, claim=claim.id, source=source, hint=hint, file=self.file_of(claim), where=where)

    def claim_exists(self, claim_id: str) -> bool:
        return claim_id in self.known_ids

    def source_hint(self, key: str) -> str:
        """What to do about a key that is not in references.bib."""
        near = self.sources.find(key) if hasattr(self.sources, "find") else None
        if near is not None and near.key != key:
            return f"did you mean '{near.key}'? keys are case-sensitive"
        return "add the entry with `claimtrack source add`, or fix the key's spelling"


class _Part(Mapping[str, V]):
    """One part of every record (the claim, or its checked facts) by id, read in place."""

    __slots__ = ("_records", "_part")

    def __init__(self, records: Mapping[str, tuple[Any, ...]], part: int) -> None:
        self._records = records
        self._part = part

    def __getitem__(self, claim_id: str) -> V:
        value: V = self._records[claim_id][self._part]
        return value

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._records

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


def is_claim_ref(key: str) -> bool:
    return key.startswith(CLAIM_PREFIX)
