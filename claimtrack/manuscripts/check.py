"""Checking manuscripts against the library: every claim citation, and what its sentence says.

For each citation of a claim the checks are, in order: does the claim exist
(``unknown-claim``, with the nearest id), can its file be read, has it ended
(``cites-retracted``, ``cites-superseded``), does it rest on a retracted
source (``cites-retracted-source``: an error, or what claimtrack.toml's
``[rules]`` makes the audit's ``retracted-source``), is it sound
(``cites-needs-review``, ``cites-under-supported``). For each sentence carrying citations, once per
cited claim: does it state a superseded wording (``states-superseded``, by the
stale engine) or another value for one of the claim's facts
(``value-mismatch``, see :mod:`values`).

Only the cited claims are looked at, so the cost is the manuscript's length
plus its citations, whatever the size of the library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import ClaimtrackError
from ..model import Claim, RevisionKind, Status
from .findings import CHECK_RULES, CheckFinding, CheckResult
from .lookup import ClaimLookup
from .reading import read_manuscript
from .records import CitationItem, Manuscript, Sentence
from .spans import find_span
from .staleness import PassageChecker, StalePassage
from .values import value_mismatches

__all__ = ["check_manuscripts", "check_manuscript", "cite_form"]


def cite_form(manuscript: Manuscript, claim_id: str) -> str:
    """How the manuscript's syntax cites a claim: ``[@claim:id]`` or ``\\claim{id}``."""
    return f"\\claim{{{claim_id}}}" if manuscript.syntax == "latex" else f"[@claim:{claim_id}]"


def _ignores(claim: Claim, *rules: str) -> bool:
    return any(item.rule in rules for item in claim.ignore)


def _ended_on(claim: Claim, kind: RevisionKind) -> tuple[dt.date | None, str | None]:
    for revision in reversed(claim.revisions):
        if revision.kind is kind:
            return revision.date, revision.reason
    return None, None


def _cited(manuscripts: Iterable[Manuscript]) -> list[str]:
    return list(dict.fromkeys(claim_id for m in manuscripts for group in m.groups for claim_id in group.claims))


class _Checker:
    def __init__(self, lib: Any, claim_ids: Iterable[str]) -> None:
        self.lib = ClaimLookup(lib, claim_ids)

    def finding(self, m: Manuscript, rule: str, offset: int, claim: str, message: str, hint: str | None) -> CheckFinding:
        line, column = m.position(offset)
        return CheckFinding(rule, CHECK_RULES[rule][0], str(m.path), line, column, claim, message, hint)

    def citation(self, m: Manuscript, item: CitationItem) -> tuple[Claim | None, list[CheckFinding]]:
        """The cited claim (None when there is none to read) and the findings about the citation itself."""
        claim_id, at = item.claim or "", item.key_start
        claims = self.lib.claims
        if claim_id not in claims:
            try:
                claims[claim_id]
            except ClaimtrackError as e:
                if getattr(e, "file", None) and f"{claim_id}.toml" in str(e.file):
                    hint = "fix the claim file (see `claimtrack audit`)"
                    return None, [self.finding(m, "unreadable-claim", at, claim_id, f"cites {claim_id!r}: {e}", hint)]
            near = self.lib.nearest(claim_id)
            hint = f"did you mean {near!r}?" if near else "see `claimtrack list` for the ids"
            return None, [self.finding(m, "unknown-claim", at, claim_id, f"cites {claim_id!r}, which is not a claim", hint)]
        claim = claims[claim_id]
        return claim, list(self._soundness(m, claim, at))

    def _soundness(self, m: Manuscript, claim: Claim, at: int) -> Iterator[CheckFinding]:
        cid = claim.id
        if claim.status is Status.RETRACTED:
            date, reason = _ended_on(claim, RevisionKind.RETRACTION)
            when = f" on {date}" if date else ""
            why = f": {reason}" if reason else ""
            hint = "remove the citation and what it supports, or cite a claim that still holds"
            yield self.finding(m, "cites-retracted", at, cid, f"cites {cid!r}, which was retracted{when}{why}", hint)
            return
        if claim.status is Status.SUPERSEDED:
            successor = claim.superseded_by
            other = self.lib.claims.get(successor) if successor else None
            named = f" by {successor!r}" if successor else ""
            hint = f"cite {cite_form(m, successor)} instead" if successor else "cite the claim that replaced it"
            if other is not None:
                hint += f": {other.statement!r}"
            yield self.finding(m, "cites-superseded", at, cid, f"cites {cid!r}, which is superseded{named}", hint)
            return
        yield from self._retracted_sources(m, claim, at)
        yield from self._needs_review(m, claim, at)
        yield from self._support(m, claim, at)

    def _retracted_sources(self, m: Manuscript, claim: Claim, at: int) -> Iterator[CheckFinding]:
        severity = self.lib.severity("retracted-source", CHECK_RULES["cites-retracted-source"][0])
        if severity == "off" or _ignores(claim, "retracted-source"):
            return
        found = self.lib.retracted_sources(claim)
        if not found:
            return
        standing = len({e.source for e in claim.supporting if not e.is_claim}) - len(found)
        rest = "; no other source supports it" if standing == 0 else f"; {standing} other supporting source(s) stand"
        for key, notice in found:
            line, column = m.position(at)
            message = f"cites {claim.id!r}, whose supporting source {key!r} was {notice.describe()}{rest}"
            hint = f"a retracted paper supports nothing: cite another claim, or revise or retract {claim.id!r}"
            yield CheckFinding("cites-retracted-source", severity, str(m.path), line, column, claim.id, message, hint)

    def _needs_review(self, m: Manuscript, claim: Claim, at: int) -> Iterator[CheckFinding]:
        if not claim.depends_on or _ignores(claim, "needs-review"):
            return
        mine = self.lib.verified(claim)
        last = mine.last_date if mine is not None else claim.updated
        for dep in claim.depends_on:
            other = self.lib.claims.get(dep)
            if other is None:
                continue
            if other.status is not Status.ACTIVE:
                why = f"rests on {dep!r}, which is {other.status.value}"
            else:
                checked = self.lib.verified(other)
                index = checked.last_change if checked is not None else len(other.revisions) - 1
                if index is None or last is None or other.revisions[index].date <= last:
                    continue
                why = f"rests on {dep!r}, changed on {other.revisions[index].date} after its own last revision ({last})"
            hint = f're-check it, then `claimtrack review {claim.id} --reason "..."`, or revise it'
            yield self.finding(m, "cites-needs-review", at, claim.id, f"cites {claim.id!r}, which {why}", hint)

    def _support(self, m: Manuscript, claim: Claim, at: int) -> Iterator[CheckFinding]:
        if claim.confidence not in self.lib.scale or _ignores(claim, "under-supported", "unsupported"):
            return
        wanted = self.lib.scale[claim.confidence].min_support
        checked = self.lib.verified(claim)
        have = checked.supports if checked is not None else len({e.source for e in claim.supporting})
        if have >= wanted:
            return
        sources = "source" if wanted == 1 else "sources"
        message = f"cites {claim.id!r}: a {claim.confidence} needs {wanted} supporting {sources}; it has {have}"
        hint = f"cite more evidence with `claimtrack cite {claim.id} KEY`, or hedge the claim and the sentence"
        yield self.finding(m, "cites-under-supported", at, claim.id, message, hint)

    def sentences(self, m: Manuscript, cited: Mapping[str, Claim]) -> Iterator[CheckFinding]:
        """``states-superseded`` and ``value-mismatch`` for each citing sentence and each claim it cites."""
        if not cited:
            return
        citing: dict[int, tuple[Sentence, list[str]]] = {}
        for group in m.groups:
            sentence = m.sentence_at(group.start)
            if sentence is None:
                continue
            ids = citing.setdefault(sentence.start, (sentence, []))[1]
            ids.extend(c for c in group.claims if c in cited and c not in ids)
        work = [(sentence, ids) for sentence, ids in citing.values() if ids]
        before = [m.sentence_before(sentence) for sentence, _ in work]
        stale = PassageChecker(cited, root=getattr(self.lib.lib, "root", None))
        judged = stale.check_all([(s.text, b.text if b else "", ids) for (s, ids), b in zip(work, before, strict=True)])
        for (sentence, ids), passages in zip(work, judged, strict=True):
            # A retracted or superseded claim is reported where it is cited (cites-retracted, cites-superseded).
            passages = [p for p in passages if p.kind == "correction"]
            for passage in passages:
                yield self._states(m, sentence.start, sentence.end, passage)
            for claim_id in ids:
                olds = [old for p in passages if p.claim == claim_id for old, _ in p.changes]
                yield from self._values(m, sentence, cited[claim_id], olds)

    def _values(self, m: Manuscript, sentence: Sentence, claim: Claim, olds: list[str]) -> Iterator[CheckFinding]:
        for mismatch in value_mismatches(sentence.text, claim):
            if any(mismatch.stated in old for old in olds):
                continue  # the same mistake, already reported as a superseded wording
            span = find_span(m, mismatch.stated, sentence.start, sentence.end)
            fact = mismatch.fact
            before = " (an earlier value of the claim)" if mismatch.earlier else ""
            message = f"gives {mismatch.stated}{before} for {fact.subject}'s {fact.property}; {claim.id!r} now says {fact.value}"
            at = span[0] if span else sentence.start
            yield self.finding(m, "value-mismatch", at, claim.id, message, f"write {fact.value}")

    def _states(self, m: Manuscript, start: int, end: int, passage: StalePassage) -> CheckFinding:
        old, new = passage.changes[0]
        span = find_span(m, old, start, end)
        message = f"states a superseded wording of {passage.claim!r}: {passage.why}"
        return self.finding(m, "states-superseded", span[0] if span else start, passage.claim, message,
                            f"now: {passage.current!r}")  # fmt: skip


def check_manuscript(lib: Any, manuscript: Manuscript) -> list[CheckFinding]:
    """Every finding of one manuscript already read."""
    return _check(_Checker(lib, _cited([manuscript])), manuscript)


def _check(checker: _Checker, manuscript: Manuscript) -> list[CheckFinding]:
    findings: list[CheckFinding] = []
    cited: dict[str, Claim] = {}
    for group in manuscript.groups:
        for item in group.items:
            if item.claim is None:
                continue
            claim, found = checker.citation(manuscript, item)
            findings.extend(found)
            if claim is not None:
                cited[claim.id] = claim
    findings.extend(checker.sentences(manuscript, cited))
    return findings


def check_manuscripts(lib: Any, paths: Iterable[str | Path]) -> CheckResult:
    """Check each manuscript's claim citations against the library ``lib``.

    Every file is read before any is checked, so an unreadable one fails the
    whole run (DocumentError) before anything is reported.

    >>> result = check_manuscripts(claimtrack.open("."), ["paper.md"])  # doctest: +SKIP
    >>> [(f.line, f.rule, f.claim) for f in result.findings]           # doctest: +SKIP
    [(12, 'value-mismatch', 'cdv2-context-window')]
    """
    manuscripts = [read_manuscript(path) for path in paths]
    checker = _Checker(lib, _cited(manuscripts))
    findings: list[CheckFinding] = []
    citations = 0
    for manuscript in manuscripts:
        findings.extend(_check(checker, manuscript))
        citations += sum(len(group.claims) for group in manuscript.groups)
    return CheckResult(findings, tuple(str(m.path) for m in manuscripts), citations)
