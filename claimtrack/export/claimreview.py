"""schema.org ClaimReview: one review per claim, as JSON-LD or as ``<script>`` blocks for a page.

The fields are those Google's Fact Check Tools read (``claimReviewed``, ``reviewRating`` with ``alternateName``,
``url``, ``author``, ``datePublished``, ``itemReviewed`` as a ``Claim`` with ``appearance`` and
``firstAppearance``) plus what schema.org has room for: ``dateModified``, ``creativeWorkStatus`` (retracted,
superseded), ``correction`` (one ``CorrectionComment`` per change, oldest first), ``citation`` (the evidence) and
``keywords`` (the tags). The rating maps the library's confidence scale onto numbers: the strongest of n levels is
n, the weakest 1; ``[export.ratings]`` in claimtrack.toml names each level as readers should see it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..model import Claim, RevisionKind, Status
from .common import Context, changes, json_list, last_changed

__all__ = ["claim_review", "claimreview_json", "claimreview_html", "rating"]

SCHEMA = "https://schema.org"


def rating(ctx: Context, claim: Claim) -> dict[str, Any]:
    """The claim's confidence (and, when it ended, its status) as a schema.org ``Rating``."""
    label = ctx.ratings.get(claim.confidence, claim.confidence)
    out: dict[str, Any] = {"@type": "Rating"}
    explanation = ""
    if (rank := ctx.rank(claim.confidence)) is not None:
        out.update(ratingValue=rank[0], bestRating=rank[1], worstRating=1)
        explanation = ctx.scale[claim.confidence].meaning
    if claim.status is Status.RETRACTED:
        label = f"Retracted (was {label})"
        reason = next((r.reason for r in reversed(claim.revisions) if r.kind is RevisionKind.RETRACTION and r.reason), None)
        explanation = "retracted" + (f": {reason}" if reason else "")
    elif claim.status is Status.SUPERSEDED:
        label = f"Superseded (was {label})"
        explanation = "superseded" + (f" by claim {claim.superseded_by}" if claim.superseded_by else "")
    out["alternateName"] = label
    out["name"] = claim.confidence
    if explanation:
        out["ratingExplanation"] = explanation
    return out


def _work(ctx: Context, key: str, *, text: str | None = None, locator: str | None = None) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "identifier": key}
    if (source := ctx.source(key)) is not None:
        if source.title:
            work["name"] = source.title
        if source.link:
            work["url"] = source.link
        if source.authors:
            work["author"] = [{"@type": "Person", "name": name} for name in source.authors]
        if source.year:
            work["datePublished"] = source.year
    if locator:
        work["position"] = locator
    if text:
        work["text"] = text
    return work


def claim_review(ctx: Context, claim: Claim) -> dict[str, Any]:
    """One claim as a ClaimReview (a JSON-LD object with its own ``@context``)."""
    review: dict[str, Any] = {"@context": SCHEMA, "@type": "ClaimReview"}
    if (url := ctx.claim_url(claim.id)) is not None:
        review["@id"] = url
        review["url"] = url
    review["identifier"] = claim.id
    review["claimReviewed"] = claim.statement
    review["author"] = ctx.publisher
    if claim.created is not None:
        review["datePublished"] = claim.created.isoformat()
    if (modified := last_changed(claim)) is not None:
        review["dateModified"] = modified.isoformat()
    review["creativeWorkStatus"] = "Published" if claim.status is Status.ACTIVE else claim.status.value.capitalize()
    review["reviewRating"] = rating(ctx, claim)
    item: dict[str, Any] = {"@type": "Claim"}
    appearances = [_work(ctx, a.document, text=a.text, locator=a.locator) for a in claim.appearances]
    if appearances:
        item["appearance"] = appearances
        item["firstAppearance"] = appearances[0]
        if "author" in appearances[0]:
            item["author"] = appearances[0]["author"]
    review["itemReviewed"] = item
    cited = [e for e in claim.evidence if not e.is_claim]
    if cited:
        review["citation"] = [
            {**_work(ctx, e.source, text=e.quote, locator=e.locator), "description": e.stance.value} for e in cited
        ]
    corrections = []
    for _index, revision, change in changes(claim):
        comment: dict[str, Any] = {"@type": "CorrectionComment", "datePublished": revision.date.isoformat()}
        comment["text"] = f"{revision.kind.value}: {change}" + (f" ({revision.reason})" if revision.reason else "")
        if revision.by:
            comment["author"] = {"@type": "Person", "name": revision.by}
        if revision.credited:
            comment["contributor"] = {"@type": "Person", "name": revision.credited}
        corrections.append(comment)
    if corrections:
        review["correction"] = corrections
    if claim.tags:
        review["keywords"] = ", ".join(claim.tags)
    return review


def claimreview_json(ctx: Context, claims: Sequence[Claim]) -> bytes:
    """The reviews as one JSON-LD list, a review a line."""
    return json_list(claim_review(ctx, claim) for claim in claims)


def _script(value: dict[str, Any]) -> str:
    # Inside <script>, "</script>" or "<!--" in a statement would end or bend the block: JSON lets < > & be escaped.
    text = json.dumps(value, ensure_ascii=False, indent=2)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>\n'


def claimreview_html(ctx: Context, claims: Sequence[Claim]) -> bytes:
    """One ``<script type="application/ld+json">`` block a review, to paste into the page that publishes it."""
    return "".join(_script(claim_review(ctx, claim)) for claim in claims).encode("utf-8")
