"""duplicate-claims: pairs of active claims that state nearly the same thing.

The pairs come from the search engine's near-duplicate test
(:func:`claimtrack.search.duplicates`): the same sentence vector (cosine),
most of each other's words, the same numbers and the same negation. Each pair
is reported once, on its first claim, naming the other.
"""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context, Draft

__all__ = ["check"]


def check(ctx: Context) -> Iterator[Draft]:
    if not ctx.claims or ctx.settings.rules.get("duplicate-claims") == "off":
        return
    from ..search import duplicates

    for first, second, cosine in duplicates(ctx.lib):
        yield Draft(
            "duplicate-claims",
            f"states nearly what {second!r} states (cosine {cosine:.2f})",
            claim=first,
            hint=f"if they are one claim, supersede one by the other (`claimtrack supersede {second} --by-claim {first}`)",
            where="statement",
        )
