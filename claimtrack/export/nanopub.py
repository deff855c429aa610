"""Each claim as nanopublications in TriG: its first state, then one for each change that supersedes the last, and
a retraction that retracts it (``npx:supersedes``, ``npx:retracts``). Unsigned: signing and publishing are the
nanopub tools' work, which give each one its trusty URI; until then they live under the nanopub temporary prefix.

Written with rdflib (an optional extra: ``pip install 'claimtrack[export]'``). Every node has a name (no blank
nodes), so the same library gives the same TriG.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from typing import Any

from ..errors import ExportError
from ..history import states_before
from ..model import Claim, RevisionKind, Stance
from .common import CONTENT_KINDS, claim_url, publisher, render_change, source_link

__all__ = ["nanopub_trig", "TEMP"]

#: Where unsigned nanopublications live until signing gives them trusty URIs.
TEMP = "http://purl.org/nanopub/temp/claimtrack/"
_PREFIXES = frozenset({"np", "npx", "prov", "dct", "foaf", "schema", "cito", "rdfs", "xsd", "rdf"})
_CITO = {Stance.SUPPORTS: "citesAsEvidence", Stance.CONTRADICTS: "disputes", Stance.MENTIONS: "citesForInformation"}


def _rdflib() -> Any:
    try:
        import rdflib
    except ModuleNotFoundError as e:
        raise ExportError(
            "needs the rdflib package", key="nanopub", hint="pip install 'claimtrack[export]' (or pip install rdflib)"
        ) from e
    return rdflib


def nanopub_trig(lib: Any, claims: Sequence[Claim]) -> bytes:
    """The claims' nanopublications as one TriG document."""
    rdflib = _rdflib()
    from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef

    np_ = Namespace("http://www.nanopub.org/nschema#")
    npx = Namespace("http://purl.org/nanopub/x/")
    prov = Namespace("http://www.w3.org/ns/prov#")
    dct = Namespace("http://purl.org/dc/terms/")
    foaf = Namespace("http://xmlns.com/foaf/0.1/")
    schema = Namespace("https://schema.org/")
    cito = Namespace("http://purl.org/spar/cito/")
    ds = rdflib.Dataset()
    for prefix, ns in (("np", np_), ("npx", npx), ("prov", prov), ("dct", dct), ("foaf", foaf), ("schema", schema),
                       ("cito", cito), ("rdfs", RDFS), ("xsd", XSD)):  # fmt: skip
        ds.bind(prefix, ns)
    who = publisher(lib)
    scale = lib.settings.scale
    order: list[Any] = []

    def source_iri(key: str) -> URIRef:
        if key.startswith("claim:"):
            return URIRef(claim_url(lib, key[6:]) or f"{TEMP}{key[6:]}#claim")
        link = source_link(lib.sources.get(key))
        return URIRef(link or f"{TEMP}source/{urllib.parse.quote(key, safe='')}")

    for claim in claims:
        claim_iri = URIRef(claim_url(lib, claim.id) or f"{TEMP}{claim.id}#claim")
        befores = states_before(claim)
        previous: URIRef | None = None
        for index, revision in enumerate(claim.revisions):
            if index and revision.kind not in CONTENT_KINDS:
                continue
            this = URIRef(f"{TEMP}{claim.id}/{index}")
            sub = Namespace(f"{this}#")
            names = [sub[name] for name in ("Head", "assertion", "provenance", "pubinfo")]
            order.extend(names)
            head, assertion, provenance, pubinfo = (ds.graph(name) for name in names)
            head.add((this, RDF.type, np_.Nanopublication))
            head.add((this, np_.hasAssertion, sub.assertion))
            head.add((this, np_.hasProvenance, sub.provenance))
            head.add((this, np_.hasPublicationInfo, sub.pubinfo))
            author = sub.author
            provenance.add((author, RDF.type, prov.Agent))
            provenance.add((author, foaf.name, Literal(revision.by or who["name"])))
            if revision.kind is RevisionKind.RETRACTION and previous is not None:
                assertion.add((author, npx.retracts, previous))
            else:
                state = befores[index + 1] if index + 1 < len(befores) else claim
                state = state if state is not None else claim
                assertion.add((claim_iri, RDF.type, schema.Claim))
                assertion.add((claim_iri, schema.identifier, Literal(claim.id)))
                assertion.add((claim_iri, schema.text, Literal(state.statement)))
                assertion.add((claim_iri, RDFS.label, Literal(state.statement)))
                for tag in state.tags:
                    assertion.add((claim_iri, schema.keywords, Literal(tag)))
                for evidence in state.evidence:
                    assertion.add((claim_iri, cito[_CITO[evidence.stance]], source_iri(evidence.source)))
                if state.superseded_by:
                    assertion.add(
                        (
                            claim_iri,
                            dct.isReplacedBy,
                            URIRef(claim_url(lib, state.superseded_by) or f"{TEMP}{state.superseded_by}#claim"),
                        )
                    )
                for evidence in state.supporting:
                    provenance.add((sub.assertion, prov.wasDerivedFrom, source_iri(evidence.source)))
                rating = sub.confidence
                provenance.add((sub.assertion, schema.reviewRating, rating))
                provenance.add((rating, RDF.type, schema.Rating))
                provenance.add((rating, schema.alternateName, Literal(state.confidence)))
                if state.confidence in scale:
                    provenance.add((rating, schema.ratingValue, Literal(len(scale.levels) - scale.rank(state.confidence))))
                    provenance.add((rating, schema.bestRating, Literal(len(scale.levels))))
                    provenance.add((rating, schema.worstRating, Literal(1)))
            provenance.add((sub.assertion, prov.wasAttributedTo, author))
            pubinfo.add((this, dct.created, Literal(revision.date.isoformat(), datatype=XSD.date)))
            pubinfo.add((this, dct.creator, sub.publisher))
            pubinfo.add((sub.publisher, foaf.name, Literal(who["name"])))
            pubinfo.add((this, RDFS.comment, Literal(render_change(claim, index, befores))))
            if revision.credited:
                pubinfo.add((this, dct.contributor, Literal(revision.credited)))
            if previous is not None and revision.kind is not RevisionKind.RETRACTION:
                pubinfo.add((this, npx.supersedes, previous))
            previous = this
    return _trig(ds, order).encode("utf-8")


def _trig(ds: Any, order: list[Any]) -> str:
    """TriG with the graphs in ``order``: rdflib writes each graph's triples (subjects and predicates sorted), and
    the graphs follow one another as made, where rdflib's own TriG writer would take them in a hash order that
    changes from one run to the next."""
    out = [f"@prefix {prefix}: <{uri}> ." for prefix, uri in sorted(ds.namespaces()) if prefix in _PREFIXES]
    out.append("")
    for name in order:
        body = ds.graph(name).serialize(format="turtle")
        lines = [line for line in body.splitlines() if not line.startswith("@prefix")]
        text = "\n".join(("    " + line if line else "") for line in lines).strip("\n")
        out.append(f"<{name}> {{\n{text}\n}}\n")
    return "\n".join(out)
