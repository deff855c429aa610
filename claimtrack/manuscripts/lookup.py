"""The library as manuscripts see it: the cited claims (and what they rest on), the ids, the confidence scale,
the retracted sources.

A check needs the few claims a paper cites, not the whole library: they are
read through the load cache alone (:func:`claimtrack.index.load_some`), unless
the library has loaded every claim already.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz, process

from ..index import load_some
from ..model import Claim

__all__ = ["ClaimLookup"]


def _loaded(lib: Any) -> bool:
    """Whether the library has every claim in memory already (its claims mapping loaded, not lazy)."""
    claims = getattr(lib, "__dict__", {}).get("claims")
    return claims is not None and getattr(claims, "loaded", True)


class ClaimLookup:
    """The claims ``claim_ids`` of a library and those they depend on, their checked facts and the nearest id."""

    def __init__(self, lib: Any, claim_ids: Iterable[str]) -> None:
        self.lib = lib
        self.scale = lib.settings.scale
        self._loaded = _loaded(lib)
        if self._loaded or not hasattr(lib, "store"):
            self.claims = lib.claims
        else:
            self.claims = load_some(lib.store, claim_ids, dependencies=True)
        self._ids: list[str] | None = None
        self._near: dict[str, str | None] = {}
        self._notices: Any = None

    def retraction(self, key: str) -> Any:
        """The retraction in force for source ``key`` (from notices.toml), None when it stands or there are no notices.

        notices.toml is read on the first call only, so a paper citing no retracted source costs nothing more.
        """
        if self._notices is None:
            self._notices = getattr(self.lib, "notices", None) or ()
        return self._notices.retraction(key) if self._notices else None

    def retracted_sources(self, claim: Claim) -> list[tuple[str, Any]]:
        """The claim's supporting sources that were retracted, with the retraction of each, in evidence order."""
        keys = dict.fromkeys(e.source for e in claim.supporting if not e.is_claim)
        found = [(key, self.retraction(key)) for key in keys]
        return [(key, notice) for key, notice in found if notice is not None]

    def severity(self, rule: str, default: str) -> str:
        """A rule's severity as claimtrack.toml's [rules] sets it (``off`` included), else ``default``."""
        return str(getattr(self.lib.settings, "rules", {}).get(rule, default))

    def all_ids(self) -> list[str]:
        """Every claim id of the library (from the file names, when the claims are not loaded)."""
        if self._ids is None:
            if hasattr(self.lib, "store") and not self._loaded:
                folder = self.lib.store.claims_dir
                names = os.listdir(folder) if folder.is_dir() else []
                self._ids = sorted(name[: -len(".toml")] for name in names if name.endswith(".toml"))
            else:
                self._ids = list(self.lib.claims)
        return self._ids

    def nearest(self, claim_id: str) -> str | None:
        """The id most like ``claim_id`` (a did-you-mean), None when none is close."""
        if claim_id not in self._near:
            found = process.extractOne(claim_id.casefold(), self.all_ids(), scorer=fuzz.ratio, score_cutoff=70)
            self._near[claim_id] = found[0] if found else None
        return self._near[claim_id]

    def verified(self, claim: Claim) -> Any:
        return self.claims.verified(claim) if hasattr(self.claims, "verified") else None
