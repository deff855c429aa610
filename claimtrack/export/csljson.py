"""The cited sources as CSL-JSON, each carrying why it is cited: per claim, its stance as a CiTO property.

CSL-JSON has no field for why a work is cited, and its schema (1.0.2) keeps ``custom`` for data of other tools, so
each item gets ``custom.cito``: one entry a claim citing it, with the CiTO properties of its stance, the locator and
the quote. ``supports`` is ``cito:citesAsEvidence`` (the claim rests on the source's evidence) and
``cito:supports``; ``contradicts`` is ``cito:disputes``; ``mentions`` is ``cito:citesForInformation``.
``custom.claimtrack`` sums the source's standing ("supports 3 claims, contradicts 1; retracted 2023-03-14").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import Claim, Stance
from ..notices.records import ORIGINS
from .common import Context, json_list

__all__ = ["CITO", "CITO_URI", "csljson", "standing"]

CITO_URI = "http://purl.org/spar/cito/"
#: Each stance's CiTO properties, the most specific first.
CITO = {
    Stance.SUPPORTS: ("cito:citesAsEvidence", "cito:supports"),
    Stance.CONTRADICTS: ("cito:disputes",),
    Stance.MENTIONS: ("cito:citesForInformation",),
}


def standing(ctx: Context, key: str, uses: Sequence[tuple[Claim, Any]]) -> str:
    """What the library knows of a source in a few words: ``supports 3 claims, contradicts 1; retracted 2023-03-14
    (Retraction Watch)``."""
    counts = [(stance.value, len({c.id for c, e in uses if e.stance is stance})) for stance in Stance]
    said = [f"{verb} {n}" for verb, n in counts if n]
    if said:
        n = next(n for _, n in counts if n)
        said[0] += " claim" if n == 1 else " claims"
    notices = []
    for notice in ctx.notices.about(key):
        notices.append(f"{notice.short()} ({ORIGINS[notice.origin]})")
    return "; ".join(p for p in (", ".join(said), "; ".join(dict.fromkeys(notices))) if p)


def csljson(ctx: Context, claims: Sequence[Claim]) -> bytes:
    """The BibTeX sources the claims cite, in references.bib's order, as a CSL-JSON list with ``custom.cito``."""
    uses: dict[str, list[tuple[Claim, Any]]] = {}
    for claim in claims:
        for evidence in claim.evidence:
            if not evidence.is_claim:
                uses.setdefault(evidence.source, []).append((claim, evidence))
    items = []
    sources = ctx.sources
    for key in sources:
        if key not in uses:
            continue
        item = dict(sources[key].to_csl())
        cito = []
        for claim, evidence in uses[key]:
            entry: dict[str, Any] = {
                "claim": claim.id,
                "stance": evidence.stance.value,
                "properties": list(CITO[evidence.stance]),
            }
            if evidence.locator:
                entry["locator"] = evidence.locator
            if evidence.quote:
                entry["quote"] = evidence.quote
            cito.append(entry)
        item["custom"] = {"cito": cito, "claimtrack": standing(ctx, key, uses[key])}
        items.append(item)
    return json_list(items)
