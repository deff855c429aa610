"""Proposed claims from a paper's cited sentences: ids from words, confidence from hedges, tags from sections.

A sentence is proposed when it cites at least one source and is not a claim
yet: it cites no claim (``[@claim:id]``, ``\\claim{id}``) and no claim of the
library has it as an appearance (same document, same words) or as its statement.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..batch.ids import id_from_words, slug, unique_id
from ..documents.reading import read_text
from ..model import ConfidenceScale
from .cited import CitedSentence, cited_sentences

if TYPE_CHECKING:
    from ..library import Library

__all__ = ["Proposal", "Extraction", "propose", "hedges_in", "confidence_for", "document_key"]

#: Words that weaken a sentence a little: the middle of the scale.
HEDGES = (
    "may", "suggest", "suggests", "suggested", "suggesting", "likely", "probably", "appear", "appears", "seem",
    "seems", "indicate", "indicates", "potentially", "plausibly", "presumably", "apparently", "tend", "tends",
)  # fmt: skip
#: Words that weaken it a lot: the weakest level.
STRONG_HEDGES = (
    "might", "could", "possibly", "perhaps", "speculate", "speculative", "conceivably", "unclear", "hypothesize",
    "hypothesise", "conjecture", "unknown",
)  # fmt: skip
_WORD = re.compile(r"[a-z]+")


@attrs.frozen
class Proposal:
    """One proposed claim, as the proposals file lists it."""

    id: str
    statement: str
    confidence: str
    tags: tuple[str, ...]
    evidence: tuple[str, ...]
    locator: str | None
    document: str  # the references.bib key that stands for the paper
    path: str  # the paper's file, as given
    text: str  # the sentence as written, citations included
    line: int
    hedges: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # cited keys references.bib does not have
    # From the document's git history: when and by whom the sentence was first written, and what followed.
    date: dt.date | None = None
    by: str | None = None
    commit: str | None = None
    revisions: tuple[dict[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class Extraction:
    """What ``extract`` found: the proposals, and the documents they come from (key -> path, title)."""

    proposals: tuple[Proposal, ...]
    documents: dict[str, tuple[str, str]]
    skipped: int = 0  # cited sentences that are claims already

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for p in self.proposals for key in p.missing))


def hedges_in(statement: str) -> tuple[str, ...]:
    """The hedging words of a statement, strong ones first."""
    words = set(_WORD.findall(statement.lower()))
    return tuple(w for w in STRONG_HEDGES if w in words) + tuple(w for w in HEDGES if w in words)


def confidence_for(statement: str, supports: int, scale: ConfidenceScale) -> str:
    """The level a sentence's hedges and support propose: none the strongest, a hedge the middle, a strong hedge the
    weakest; then no stronger than the support its citations give (a level's ``min_support``).

    >>> from claimtrack.model import DEFAULT_SCALE
    >>> confidence_for("Code data may improve reasoning.", 1, DEFAULT_SCALE)
    'hypothesis'
    """
    names = scale.names
    words = set(_WORD.findall(statement.lower()))
    if words & set(STRONG_HEDGES):
        rank = len(names) - 1
    elif words & set(HEDGES):
        rank = len(names) // 2
    else:
        rank = 0
    while rank < len(names) - 1 and scale.levels[rank].min_support > supports:
        rank += 1
    return names[rank]


def document_key(path: str | Path) -> str:
    """The references.bib key proposed for a paper's file: its name's words (``02.introduction.md``: ``02-introduction``)."""
    return slug(Path(path).stem) or "document"


def _title(text: str, path: str) -> str:
    found = re.search(r"^title:\s*['\"]?(.+?)['\"]?\s*$", text[:4000], re.MULTILINE) or re.search(
        r"^#{1,2}\s+(.+)$|\\title\{([^{}]+)\}", text, re.MULTILINE
    )
    if found:
        return next(g for g in found.groups() if g).strip()
    return Path(path).name


def same_case(extraction: Extraction, sources: Iterable[str]) -> Extraction:
    """The extraction with each key spelt one way: BibTeX reads ``doi:10.1/AB`` and ``doi:10.1/ab`` as one key, so
    every spelling takes references.bib's, else the first one the papers use."""
    spelling = {key.casefold(): key for key in sources}
    known = set(spelling)

    def one(key: str) -> str:
        return spelling.setdefault(key.casefold(), key)

    def revision(raw: dict[str, Any]) -> dict[str, Any]:
        out = dict(raw)
        for name in ("add_evidence", "remove_evidence"):
            if name in out:
                out[name] = [{**item, "source": one(item["source"])} for item in out[name]]
        return out

    proposals = []
    for p in extraction.proposals:
        evidence = tuple(dict.fromkeys(one(key) for key in p.evidence))
        revisions = tuple(revision(r) for r in p.revisions)
        missing = tuple(dict.fromkeys(one(key) for key in p.missing if key.casefold() not in known))
        proposals.append(attrs.evolve(p, evidence=evidence, revisions=revisions, missing=missing))
    return attrs.evolve(extraction, proposals=tuple(proposals))


def _known(lib: Library) -> tuple[set[tuple[str, str]], set[str]]:
    appearances, statements = set(), set()
    for claim in lib.claims.values():
        statements.add(claim.statement)
        for appearance in claim.appearances:
            if appearance.text:
                appearances.add((appearance.document, appearance.text))
    return appearances, statements


def propose(
    lib: Library,
    paths: Sequence[str | Path],
    *,
    document_keys: Iterable[str | None] = (),
) -> Extraction:
    """Proposals for every cited sentence of the papers at ``paths`` that is not a claim yet."""
    scale = lib.settings.scale
    known_sources = sources = lib.sources
    appearances, statements = _known(lib)
    taken = {p.stem for p in lib.store.files()}
    keys = list(document_keys)
    proposals: list[Proposal] = []
    documents: dict[str, tuple[str, str]] = {}
    skipped = 0
    for index, path in enumerate(paths):
        text = read_text(path)
        key = (keys[index] if index < len(keys) else None) or document_key(path)
        documents[key] = (str(path), _title(text, str(path)))
        for sentence in cited_sentences(text, path=str(path)):
            if sentence.claims or (key, sentence.verbatim) in appearances or sentence.statement in statements:
                skipped += 1
                continue
            if not sentence.keys or not sentence.statement:
                continue
            statements.add(sentence.statement)  # a sentence said twice is one claim, proposed where it first stands
            proposals.append(_proposal(sentence, key, str(path), scale, known_sources, taken))
    return same_case(Extraction(tuple(proposals), documents, skipped), sources)


def _proposal(sentence: CitedSentence, key: str, path: str, scale: ConfidenceScale, sources: Any, taken: set[str]) -> Proposal:
    claim_id = unique_id(id_from_words(sentence.statement), taken)
    taken.add(claim_id)
    return Proposal(
        id=claim_id,
        statement=sentence.statement,
        confidence=confidence_for(sentence.statement, len(sentence.keys), scale),
        tags=(slug(sentence.section),) if sentence.section and slug(sentence.section) else (),
        evidence=sentence.keys,
        locator=sentence.section,
        document=key,
        path=path,
        text=sentence.verbatim,
        line=sentence.line,
        hedges=hedges_in(sentence.statement),
        missing=tuple(k for k in sentence.keys if k not in sources),
    )
