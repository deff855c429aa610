"""Each claim as nanopublications in TriG: its first state, then one for each change that supersedes the last, and
a retraction that retracts it (``npx:supersedes``, ``npx:retracts``). Unsigned: signing and publishing are the
nanopub tools' work, which give each one its trusty URI; until then they live under the nanopub temporary prefix.

The TriG is written here, term by term, rather than through rdflib's graph and writer: building and writing an
rdflib dataset of 10,000 claims took 31 times the library's cold load (its TriG writer also orders graphs by hash,
so the bytes changed from run to run). rdflib reads the result back in the tests. Every node has a name (no blank
nodes), subjects and objects keep the order made, and the same library gives the same bytes.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Sequence

from ..history import states_before
from ..model import Claim, RevisionKind, Stance
from .common import CONTENT_KINDS, Context, render_change

__all__ = ["nanopub_trig", "TEMP", "PREFIXES"]

#: Where unsigned nanopublications live until signing gives them trusty URIs.
TEMP = "http://purl.org/nanopub/temp/claimtrack/"
PREFIXES = {
    "np": "http://www.nanopub.org/nschema#",
    "npx": "http://purl.org/nanopub/x/",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "cito": "http://purl.org/spar/cito/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_CITO = {
    Stance.SUPPORTS: "cito:citesAsEvidence",
    Stance.CONTRADICTS: "cito:disputes",
    Stance.MENTIONS: "cito:citesForInformation",
}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_SPECIAL = re.compile(r'[\\"\n\r\t\b\f\x00-\x1f\x7f]')

#: A subject's statements: (predicate, objects), each term already written as TriG.
Statements = list[tuple[str, list[str]]]


def _literal(text: str) -> str:
    return '"' + _SPECIAL.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), text) + '"'


def _iri(text: str) -> str:
    return "<" + text + ">"


def _graph(name: str, subjects: Iterable[tuple[str, Statements]]) -> str:
    out = [f"{name} {{"]
    for subject, statements in subjects:
        said = [f"{predicate} {', '.join(objects)}" for predicate, objects in statements if objects]
        out.append(f"    {subject} " + " ;\n        ".join(said) + " .")
    out.append("}\n")
    return "\n".join(out)


def nanopub_trig(ctx: Context, claims: Sequence[Claim]) -> bytes:
    """The claims' nanopublications as one TriG document."""

    def claim_iri(claim_id: str) -> str:
        return _iri(ctx.claim_url(claim_id) or f"{TEMP}{claim_id}#claim")

    def source_iri(key: str) -> str:
        if key.startswith("claim:"):
            return claim_iri(key[6:])
        facts = ctx.source(key)
        return _iri(facts.link if facts is not None and facts.link else f"{TEMP}source/{urllib.parse.quote(key, safe='')}")

    publisher = _literal(ctx.publisher_name)
    parts = [f"@prefix {prefix}: <{uri}> ." for prefix, uri in PREFIXES.items()]
    parts.append("")
    for claim in claims:
        subject = claim_iri(claim.id)
        befores = states_before(claim)
        previous: str | None = None
        for index, revision in enumerate(claim.revisions):
            if index and revision.kind not in CONTENT_KINDS:
                continue
            base = f"{TEMP}{claim.id}/{index}"
            this, sub = _iri(base), (lambda name, base=base: _iri(f"{base}#{name}"))
            parts.append(_graph(sub("Head"), [(this, [("a", ["np:Nanopublication"]), ("np:hasAssertion", [sub("assertion")]),
                                                      ("np:hasProvenance", [sub("provenance")]),
                                                      ("np:hasPublicationInfo", [sub("pubinfo")])])]))  # fmt: skip
            author = sub("author")
            provenance: list[tuple[str, Statements]] = []
            if revision.kind is RevisionKind.RETRACTION and previous is not None:
                parts.append(_graph(sub("assertion"), [(author, [("npx:retracts", [previous])])]))
                provenance.append((sub("assertion"), [("prov:wasAttributedTo", [author])]))
            else:
                state = befores[index + 1] if index + 1 < len(befores) else claim
                state = state if state is not None else claim
                said: Statements = [
                    ("a", ["schema:Claim"]),
                    ("schema:identifier", [_literal(claim.id)]),
                    ("schema:text", [_literal(state.statement)]),
                    ("rdfs:label", [_literal(state.statement)]),
                    ("schema:keywords", [_literal(tag) for tag in state.tags]),
                ]
                for stance, predicate in _CITO.items():
                    said.append(
                        (predicate, list(dict.fromkeys(source_iri(e.source) for e in state.evidence if e.stance is stance)))
                    )
                if state.superseded_by:
                    said.append(("dct:isReplacedBy", [claim_iri(state.superseded_by)]))
                parts.append(_graph(sub("assertion"), [(subject, said)]))
                derived = list(dict.fromkeys(source_iri(e.source) for e in state.supporting))
                provenance.append((sub("assertion"), [("prov:wasAttributedTo", [author]), ("prov:wasDerivedFrom", derived),
                                                      ("schema:reviewRating", [sub("confidence")])]))  # fmt: skip
                rating: Statements = [("a", ["schema:Rating"]), ("schema:alternateName", [_literal(state.confidence)])]
                if (rank := ctx.rank(state.confidence)) is not None:
                    rating += [("schema:ratingValue", [str(rank[0])]), ("schema:bestRating", [str(rank[1])]),
                               ("schema:worstRating", ["1"])]  # fmt: skip
                provenance.append((sub("confidence"), rating))
            provenance.append((author, [("a", ["prov:Agent"]), ("foaf:name", [_literal(revision.by or ctx.publisher_name)])]))
            parts.append(_graph(sub("provenance"), provenance))
            info: Statements = [
                ("dct:created", [f'"{revision.date.isoformat()}"^^xsd:date']),
                ("dct:creator", [sub("publisher")]),
                ("rdfs:comment", [_literal(render_change(claim, index, befores))]),
                ("dct:contributor", [_literal(revision.credited)] if revision.credited else []),
                ("npx:supersedes", [previous] if previous is not None and revision.kind is not RevisionKind.RETRACTION else []),
            ]
            parts.append(_graph(sub("pubinfo"), [(this, info), (sub("publisher"), [("foaf:name", [publisher])])]))
            previous = this
    return "\n".join(parts).encode("utf-8")
