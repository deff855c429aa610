"""The one place manuscripts ask the stale engine (:mod:`claimtrack.documents.stale`) anything.

Checking asks, for every citing sentence at once, whether it states a
superseded version of a claim it cites; fixing asks which sentences of a
document are stale and what changed. Both answers come back as
:class:`StalePassage`, whatever the engine returns, so a change of engine is a
change of this module only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..documents.records import StaleFinding
from ..documents.stale import StaleEngine, find_stale
from ..model import Claim

__all__ = ["StalePassage", "PassageChecker", "stale_in_documents", "StaleEngine"]


@attrs.frozen
class StalePassage:
    """A passage stating a superseded wording of a claim.

    ``changes`` are the ``(old, new)`` spans the passage still has the old side
    of; ``span_edit`` says whether they can be put right in place (a span edit of
    the statement), else only ``current`` (the claim's wording now, or its
    successor's) can replace the passage. ``kind`` is ``correction``,
    ``retracted`` or ``superseded``.
    """

    claim: str
    superseded: str
    current: str
    changes: tuple[tuple[str, str], ...]
    score: float
    why: str
    revision: int | None
    span_edit: bool
    kind: str = "correction"
    successor: str | None = None
    line: int = 0
    sentence: str = ""


#: The most words an old span of a whole new statement may have to be put right in place.
_IN_PLACE_WORDS = 6


def _in_place(span_edit: bool, changes: Sequence[tuple[str, str]]) -> bool:
    """Whether the changes can be made where the passage states the old words.

    A span edit can; so can a whole new statement whose changes are each a few words put in place of a few others
    ("1,000 images from 200" -> "1,200 images from 250"), not a sentence rewritten.
    """
    if not changes or not all(old.strip() for old, _ in changes):
        return False
    return span_edit or all(len(old.split()) <= _IN_PLACE_WORDS and len(new.split()) <= _IN_PLACE_WORDS for old, new in changes)


def _passage(finding: StaleFinding, claims: Mapping[str, Claim]) -> StalePassage:
    changes = tuple(finding.changes) or ((finding.old, finding.new),)
    claim = claims.get(finding.claim)
    revision = finding.revision
    span_edit = (
        finding.kind == "correction"
        and claim is not None
        and 0 <= revision < len(claim.revisions)
        and _in_place(claim.revisions[revision].is_span_edit, changes)
    )
    return StalePassage(
        finding.claim, finding.superseded, finding.current, changes, finding.score, finding.why or "", revision,
        span_edit, finding.kind, finding.successor, finding.line, finding.sentence,
    )  # fmt: skip


class PassageChecker:
    """Stale checks of citing sentences against the claims they cite, all sentences judged in one batch."""

    def __init__(self, claims: Mapping[str, Claim], *, root: str | Path | None = None) -> None:
        self.claims = claims
        self._engine = StaleEngine(dict(claims), cache_root=root) if claims else None

    def check_all(self, sentences: Sequence[tuple[str, str, Iterable[str]]]) -> list[list[StalePassage]]:
        """For each ``(sentence, sentence before it, cited claim ids)``, what it states of a cited claim's old wording."""
        out: list[list[StalePassage]] = [[] for _ in sentences]
        if self._engine is None or not sentences:
            return out
        # The engine's line is used as the sentence's index here, to give each finding back to its sentence.
        pairs = [(text, index) for index, (text, _, _) in enumerate(sentences)]
        within = [set(cited) for _, _, cited in sentences]
        for finding in self._engine.findings(pairs, "", [before for _, before, _ in sentences], within=within):
            out[finding.line].append(attrs.evolve(_passage(finding, self.claims), line=0))
        return out


def stale_in_documents(
    claims: Any, paths: Iterable[str | Path], engine: StaleEngine | None = None
) -> dict[str, list[StalePassage]]:
    """The stale passages of each document by its path as given, with their lines and sentences.

    ``engine`` is a :class:`StaleEngine` of ``claims`` to reuse (asking twice, before and after a fix).
    """
    by_id = claims.claims if hasattr(claims, "claims") else claims
    out: dict[str, list[StalePassage]] = {}
    for finding in find_stale(engine if engine is not None else claims, paths):
        out.setdefault(finding.file, []).append(_passage(finding, by_id))
    return out
