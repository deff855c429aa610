"""The cited sources as CSL-JSON, each carrying why it is cited: per claim, its stance as a CiTO property.

CSL-JSON has no field for why a work is cited, and its schema (1.0.2) keeps ``custom`` for data of other tools, so
each item gets ``custom.cito``: one entry a claim citing it, with the CiTO properties of its stance, the locator and
the quote. ``supports`` is ``cito:citesAsEvidence`` (the claim rests on the source's evidence) and
``cito:supports``; ``contradicts`` is ``cito:disputes``; ``mentions`` is ``cito:citesForInformation``.
``custom.claimtrack`` sums the source's standing across the library, as ``source export --with-status`` words it
("supports 3 claims, contradicts 1; retracted 2023-03-14 (Retraction Watch)").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import Claim, Stance
from ..sourceio.exporting import standing
from .common import Context, json_list

__all__ = ["CITO", "CITO_URI", "csljson"]

CITO_URI = "http://purl.org/spar/cito/"
#: Each stance's CiTO properties, the most specific first.
CITO = {
    Stance.SUPPORTS: ("cito:citesAsEvidence", "cito:supports"),
    Stance.CONTRADICTS: ("cito:disputes",),
    Stance.MENTIONS: ("cito:citesForInformation",),
}


def csljson(ctx: Context, claims: Sequence[Claim]) -> bytes:
    """The BibTeX sources the claims cite, in references.bib's order, as a CSL-JSON list with ``custom.cito``."""
    uses: dict[str, list[tuple[Claim, Any]]] = {}
    for claim in claims:
        for evidence in claim.evidence:
            if not evidence.is_claim:
                uses.setdefault(evidence.source, []).append((claim, evidence))
    items = []
    said = standing(ctx.lib, uses)  # as `source export --with-status` words it: "supports 3 claims, contradicts 1; ..."
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
        item["custom"] = {"cito": cito, "claimtrack": said[key]}
        items.append(item)
    return json_list(items)
