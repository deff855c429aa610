"""duplicate-claims: pairs of active claims that state nearly the same thing.

The pairs come from the search engine's near-duplicate test
(:func:`claimtrack.search.duplicates`): the same sentence vector (cosine),
most of each other's words, the same numbers and the same negation. Each pair
is reported once, on its first claim, naming the other.
"""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context, Draft

__all__ = ["check", "AUTO_LIMIT"]

#: Above this many claims the rule runs only when claimtrack.toml's ``[rules]`` names it: comparing every statement
#: costs about 0.1 ms a claim, ten times every other rule together at 100,000 claims.
AUTO_LIMIT = 20_000


def check(ctx: Context) -> Iterator[Draft]:
    severity = ctx.settings.rules.get("duplicate-claims")
    if not ctx.claims or severity == "off" or (severity is None and len(ctx.claims) > AUTO_LIMIT):
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
