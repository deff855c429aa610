"""The library as manuscripts see it."""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz, process, utils

from ..model import Claim

__all__ = ["ClaimLookup"]


class ClaimLookup:
    """What manuscripts read of a library: claims by id, their checked facts, the confidence scale, the nearest id."""

    def __init__(self, lib: Any) -> None:
        self.claims = lib.claims
        self.scale = lib.settings.scale
        self._ids: list[str] | None = None

    def nearest(self, claim_id: str) -> str | None:
        """The id most like ``claim_id`` (a did-you-mean), None when none is close."""
        if self._ids is None:
            self._ids = list(self.claims)
        found = process.extractOne(
            claim_id.casefold(), self._ids, scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=70
        )
        return found[0] if found else None

    def verified(self, claim: Claim) -> Any:
        return self.claims.verified(claim) if hasattr(self.claims, "verified") else None
