"""The one place manuscripts ask the stale engine (:mod:`claimtrack.documents.stale`) anything.

Checking asks whether one citing sentence states a superseded version of a
cited claim; fixing asks which sentences of a document are stale and what
changed. Both answers come back as :class:`StalePassage`, whatever the engine
returns, so a change of engine is a change of this module only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..documents.stale import StaleIndex, core_span, find_stale
from ..model import Claim

__all__ = ["StalePassage", "PassageChecker", "stale_in_documents"]

_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@attrs.frozen
class StalePassage:
    """A passage stating a superseded wording of a claim.

    ``changes`` are the ``(old, new)`` spans the passage still has the old side
    of; ``span_edit`` says whether they can be put right in place (a span edit of
    the statement), else only the whole ``current`` wording is the fix.
    """

    claim: str
    superseded: str
    current: str
    changes: tuple[tuple[str, str], ...]
    score: float
    why: str
    revision: int | None
    span_edit: bool
    line: int = 0
    sentence: str = ""


def _is_span_edit(claim: Claim, revision: int | None) -> bool:
    return revision is not None and 0 <= revision < len(claim.revisions) and claim.revisions[revision].is_span_edit


def _why(old: str, new: str, score: float) -> str:
    return f"still says {old!r} where the claim now says {new!r} (score {score:g})"


class PassageChecker:
    """Stale checks of single passages against given claims, each claim's superseded wordings indexed once."""

    def __init__(self, claims: Mapping[str, Claim]) -> None:
        self.claims = claims
        self._indexes: dict[str, StaleIndex] = {}
        self._spans: dict[str, frozenset[str] | None] = {}

    def _span_words(self, claim_id: str) -> frozenset[str] | None:
        """Words one of which a stale passage must hold: of each span edit's changed part (None: no such bound).

        The engine finds a span-edited wording only in a passage holding the changed old words, so a passage
        with none of them needs no index (most citing sentences state the current wording). A claim whose
        wording changed otherwise, or whose old span is CJK, is always asked.
        """
        if claim_id not in self._spans:
            words: set[str] = set()
            bounded = True
            for revision in self.claims[claim_id].revisions[1:]:
                if revision.statement is not None:
                    bounded = False
                elif revision.is_span_edit and revision.old:
                    old, _ = core_span(revision.old, revision.new or "")
                    found = _WORD.findall((old or revision.old).casefold())
                    bounded = bounded and bool(found) and not _CJK.search(revision.old)
                    words.update(found)
            self._spans[claim_id] = frozenset(words) if bounded else None
        return self._spans[claim_id]

    def _index(self, claim_id: str) -> StaleIndex:
        index = self._indexes.get(claim_id)
        if index is None:
            index = self._indexes[claim_id] = StaleIndex({claim_id: self.claims[claim_id]})
        return index

    def check(self, text: str, claim_ids: Iterable[str]) -> list[StalePassage]:
        """What ``text`` states of a superseded wording of each of the claims ``claim_ids``."""
        out = []
        words: set[str] | None = None
        for claim_id in dict.fromkeys(claim_ids):
            if claim_id not in self.claims:
                continue
            needed = self._span_words(claim_id)
            if needed is not None:
                words = set(_WORD.findall(text.casefold())) if words is None else words
                if words.isdisjoint(needed):
                    continue
            index = self._index(claim_id)
            if not index.entries:
                continue
            for entry, score in index.check(text):
                claim = entry.claim
                out.append(
                    StalePassage(
                        claim.id,
                        entry.superseded,
                        claim.statement,
                        ((entry.old, entry.new),),
                        round(score, 1),
                        _why(entry.old, entry.new, score),
                        entry.revision,
                        _is_span_edit(claim, entry.revision),
                    )  # fmt: skip
                )
        return out


def stale_in_documents(claims: Any, paths: Iterable[str | Path]) -> dict[str, list[StalePassage]]:
    """The stale passages of each document by its path as given, with their lines and sentences."""
    by_id = claims.claims if hasattr(claims, "claims") else claims
    out: dict[str, list[StalePassage]] = {}
    for finding in find_stale(claims, paths):
        claim = by_id[finding.claim]
        out.setdefault(finding.file, []).append(
            StalePassage(
                finding.claim,
                finding.superseded,
                finding.current,
                ((finding.old, finding.new),),
                finding.score,
                _why(finding.old, finding.new, finding.score),
                finding.revision,
                _is_span_edit(claim, finding.revision),
                finding.line,
                finding.sentence,
            )  # fmt: skip
        )
    return out
