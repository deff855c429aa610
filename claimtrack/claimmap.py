"""The claims of an open library as a mapping, and the line numbers of each claim file's keys.

:class:`Claims` is what ``Library.claims`` is: lazy, so that one claim is read
from its file alone and only whole-library work loads every claim (see
:mod:`claimtrack.index` for how a load goes through the cache).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, ItemsView, Iterator, Mapping, ValuesView
from typing import Any

from .errors import ClaimNotFoundError, ClaimtrackError
from .history import Verified, verify
from .model import Claim
from .pickled import ClaimView, DerivedView
from .store import known_id
from .suggest import hint_with
from .views import plural

__all__ = ["Claims", "LineMap"]


class LineMap(Mapping[str, int]):
    """The line numbers of a claim file's keys (``statement``, ``revisions[2].date``), looked up on demand.

    Kept as two strings (:attr:`packed`): the keys in order (``"\\nkey"`` each, then ``"\\n"``), which claim files
    of one shape share as a single interned string, and the line numbers, comma-separated. A map per claim would
    cost kilobytes; one string of both, about a kilobyte a claim.
    """

    __slots__ = ("_keys", "_lines")

    def __init__(self, packed: tuple[str, str]) -> None:
        self._keys, self._lines = packed

    @classmethod
    def of(cls, lines: Mapping[str, int]) -> LineMap:
        keys = sys.intern(f"\n{chr(10).join(lines)}\n" if lines else "\n")
        return cls((keys, ",".join(map(str, lines.values()))))

    @property
    def packed(self) -> tuple[str, str]:
        """The keys and the line numbers (what the load cache pickles)."""
        return self._keys, self._lines

    def __getitem__(self, key: str) -> int:
        if "\n" in key:
            raise KeyError(key)
        start = self._keys.find(f"\n{key}\n")
        if start < 0:
            raise KeyError(key)
        return int(self._lines.split(",")[self._keys.count("\n", 0, start)])

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys[1:-1].split("\n") if len(self._keys) > 1 else ())

    def __len__(self) -> int:
        return self._keys.count("\n") - 1


_Loaded = tuple[Mapping[str, Claim], tuple[ClaimtrackError, ...], Mapping[str, tuple[Verified, LineMap]]]
# What a lazy Claims fills in when something needs the whole library (see Claims.__getattr__).
_WHOLE = frozenset({"_claims", "problems", "_derived", "_broken"})


class Claims(Mapping[str, Claim]):
    """Every readable claim of a library; ``problems`` holds the files that could not be read.

    A library's claims are lazy (:meth:`lazy`): ``claims[id]``, ``get`` and ``in``
    read that one claim's file, and only what needs every claim (iterating,
    ``len()``, ``problems``, the audit) loads the library, once.

    ``content_checked`` is True when every file's content hash was compared with the cache's
    (:func:`load_claims` with ``check_content``).
    """

    content_checked = False
    #: Each loaded file's name and the SHA-256 its claim was read from, when known.
    hashes: Mapping[str, str] | None = None

    _claims: Mapping[str, Claim]
    problems: tuple[ClaimtrackError, ...]
    _derived: Mapping[str, tuple[Verified, LineMap]]
    _broken: dict[str | None, ClaimtrackError]
    _load: Callable[[], _Loaded]
    _read: Callable[[str], Claim]
    _ids: Callable[[], list[str]] | None = None
    _single: dict[str, Claim]

    def __init__(
        self,
        claims: Mapping[str, Claim],
        problems: tuple[ClaimtrackError, ...],
        derived: Mapping[str, tuple[Verified, LineMap]] | None = None,
    ) -> None:
        self._set(claims, problems, derived or {})

    def _set(
        self, claims: Mapping[str, Claim], problems: tuple[ClaimtrackError, ...], derived: Mapping[str, tuple[Verified, LineMap]]
    ) -> None:
        self._claims = claims
        self.problems = problems
        self._derived = derived
        self._broken = {p.file: p for p in problems}

    @classmethod
    def lazy(
        cls, load: Callable[[], _Loaded], read: Callable[[str], Claim], ids: Callable[[], list[str]] | None = None
    ) -> Claims:
        """Claims that ``read`` one at a time on demand and ``load`` all together the first time all are needed;
        ``ids`` lists the claims' ids (their files' names) without reading them."""
        self = cls.__new__(cls)
        self._load = load
        self._read = read
        self._ids = ids
        self._single = {}
        return self

    @property
    def loaded(self) -> bool:
        """True once every claim has been loaded (always, for claims that were not lazy)."""
        return "_claims" in self.__dict__

    def __getattr__(self, name: str) -> Any:
        # Called only for an attribute not set yet: a lazy mapping's whole-library state.
        if name not in _WHOLE or "_load" not in self.__dict__:
            raise AttributeError(name)
        self._set(*self.__dict__["_load"]())
        self.__dict__.pop("_single", None)
        return self.__dict__[name]

    def __getitem__(self, claim_id: str) -> Claim:
        if "_claims" not in self.__dict__:
            return self._one(claim_id)
        try:
            return self._claims[claim_id]
        except KeyError:
            known_id(claim_id, lambda: self._claims)
            broken = self._broken.get(f"claims/{claim_id}.toml")
            if broken is not None:
                raise broken from None
            raise ClaimNotFoundError(
                f"no claim {claim_id!r}",
                key=claim_id,
                hint=hint_with(claim_id, self._claims, "see `claimtrack list` for the ids"),
            ) from None

    def _one(self, claim_id: str) -> Claim:
        """One claim read from its file alone, remembered until the whole library is loaded."""
        found = self._single.get(claim_id)
        if found is None:
            known_id(claim_id, self.__dict__.get("_ids") or tuple)
            found = self._single[claim_id] = self._read(claim_id)
        return found

    def __contains__(self, claim_id: object) -> bool:
        if "_claims" in self.__dict__:
            return claim_id in self._claims
        return isinstance(claim_id, str) and self.get(claim_id) is not None

    def _listed(self) -> list[str] | None:
        """The ids of a lazy mapping not loaded yet, from the files' names (None when they cannot be listed)."""
        ids = self.__dict__.get("_ids")
        return None if self.loaded or ids is None else ids()

    def __repr__(self) -> str:
        listed = self._listed()  # a repr does not load the library: an unloaded one counts its files
        if listed is not None:
            return f"<Claims: {plural(len(listed), 'claim')}>"
        if not self.loaded:
            return f"<Claims: not loaded yet, {plural(len(self.__dict__.get('_single', {})), 'claim')} read one at a time>"
        more = f", {plural(len(self.problems), 'unreadable file')}" if self.problems else ""
        return f"<Claims: {plural(len(self._claims), 'claim')}{more}>"

    def _repr_html_(self) -> str:
        """A table for Jupyter: how many claims there are, and the first ones (read one at a time unless loaded)."""
        from .notebook import TABLE_ROWS, claims_table

        listed = self._listed()
        if listed is None:
            shown = [self._claims[i] for i in sorted(self._claims)[:TABLE_ROWS]]
            return claims_table(shown, len(self._claims), problems=len(self.problems))
        shown = [claim for claim in (self.get(i) for i in listed[:TABLE_ROWS]) if claim is not None]
        return claims_table(shown, len(listed), problems=min(TABLE_ROWS, len(listed)) - len(shown))

    def get(self, claim_id: str, default: Any = None) -> Any:  # type: ignore[override]
        """The claim, or ``default`` when it is absent or its file cannot be read."""
        if "_claims" in self.__dict__:
            return self._claims.get(claim_id, default)
        try:
            return self._one(claim_id)
        except ClaimtrackError:
            return default

    def verified(self, claim: Claim) -> Verified:
        """The claim's replay and seal check, from the load cache when it has one."""
        known = self._derived.get(claim.id)
        if known is None or self._claims.get(claim.id) is not claim:
            return verify(claim)
        return known[0]

    def as_dict(self) -> dict[str, Claim]:
        """Every readable claim by id, as a plain dict (a copy)."""
        claims = self._claims
        return claims.as_dict() if isinstance(claims, ClaimView) else dict(claims.items())

    def values(self) -> ValuesView[Claim]:
        return self._claims.values()  # a warm load's records come out of the cache together

    def items(self) -> ItemsView[str, Claim]:
        return self._claims.items()

    def all_verified(self) -> dict[str, Verified]:
        """Every claim's replay and seal check by id, from the load cache where it has them."""
        derived, claims = self._derived, self._claims
        if isinstance(derived, DerivedView) and isinstance(claims, ClaimView) and derived.over(claims):
            return derived.checked()  # a warm or cold load's records: each holds its claim's checked facts
        if derived.keys() == claims.keys():
            return {claim_id: checked for claim_id, (checked, _) in derived.items()}
        return {
            claim_id: known[0] if (known := derived.get(claim_id)) is not None else verify(claim)
            for claim_id, claim in self._claims.items()
        }

    def records(self) -> Mapping[str, tuple[Claim, Verified, object]] | None:
        """Every claim with its checked facts (and packed line numbers) by id, as a load keeps them together,
        none copied; None when the claims were not loaded that way (then see :meth:`all_verified`)."""
        derived, claims = self._derived, self._claims
        if isinstance(derived, DerivedView) and isinstance(claims, ClaimView) and derived.over(claims):
            return claims.records()
        return None

    def key_lines(self, claim_id: str) -> LineMap | None:
        """Line numbers of the claim file's keys, as loaded (None when not known)."""
        known = self._derived.get(claim_id)
        return known[1] if known else None

    def __iter__(self) -> Iterator[str]:
        return iter(self._claims)

    def __len__(self) -> int:
        return len(self._claims)
