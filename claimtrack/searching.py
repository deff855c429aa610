"""The Library's search verbs: ``search``, and the near-duplicate check behind ``add``.

The engine itself (:mod:`claimtrack.search`) sits on a higher floor and is
imported only when one of these is called.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from .errors import DuplicateClaimError
from .views import shorten

if TYPE_CHECKING:
    from .search import SearchHit

__all__ = ["SearchVerbs"]


class SearchVerbs:
    """Mixed into :class:`~claimtrack.Library`."""

    def search(self, text: str, k: int = 5, *, confidence: Iterable[str] = (), tags: Iterable[str] = (),
               status: Iterable[str] = ()) -> list[SearchHit]:  # fmt: skip
        """The ``k`` claims that best match ``text``, best first, each with its score (the probability that the
        text states it), status, confidence and the words that matched; filters as :meth:`select`.

        >>> [(h.claim, h.score) for h in lib.search("PaLM had 8% code in its training data", k=1)]  # doctest: +SKIP
        [('reasoning-injected-by-code-pretraining', 0.97)]
        """
        from .search import search

        return search(self, text, k, confidence=confidence, tags=tags, status=status)

    def claims_near(self, texts: Sequence[str], among: Collection[str]) -> list[set[str]]:
        """For each text, the claims of ``among`` the search engine ranks first for it (what the stale scan also
        judges a sentence against)."""
        from .search import claims_near

        return claims_near(self, texts, among)

    def _check_not_duplicate(self, claim_id: str, statement: str) -> None:
        from .search import near_duplicate_of

        hit = near_duplicate_of(self, statement)
        if hit is not None:
            raise DuplicateClaimError(
                f"the statement nearly duplicates claim {hit.claim!r} (score {hit.score:.2f}, {hit.status}): "
                f"{shorten(hit.statement, 80)!r}",
                key=claim_id,
                hint=f"pass --allow-duplicate if a second claim is meant, or change {hit.claim!r} instead",
            )
