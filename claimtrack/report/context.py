"""The report's data: the summary, one row per claim, each claim's sections, the bibliography.

Text stays text here; each renderer escapes it for its own format (a
revision's change is a list of :class:`~.changes.Segment`).

:func:`build` is where a large report spends its time, so it does each thing
once: it starts formatting the cited references (in worker processes when
there are many, see :mod:`.workers`), renders each claim's sections while they
run (or reads them from :mod:`.cache` when the claim and what it links to are
unchanged), and lists the uncited entries plainly.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import attrs

from ..changelog.calibration import calibrate
from ..heap import release_freed
from ..model import Claim, Stance
from .changes import Segment, change_segments
from .citations import plain_references as _plain_references_of
from .mdtext import md_escape
from .notices import badged, marker, notice_rows
from .section_list import SectionList, SectionStore, temporary_store
from .sections import Links, anchor_for_key, claim_sections
from .workers import Pool

if TYPE_CHECKING:
    from ..library import Library
    from .cache import SectionCache
    from .citations import Reference

__all__ = [
    "Segment",
    "ClaimRow",
    "ReferenceView",
    "build",
    "change_segments",
    "library_digest",
    "anchor_for_key",
]

# Up to this many uncited entries are shown expanded; more are collapsed.
UNCITED_OPEN = 50
# Up to this many uncited entries go through the citation style as the cited ones do; more are listed plainly
# (formatting a large bibliography's every entry would cost more than the rest of the report).
UNCITED_STYLED = 200

#: How many findings of one rule the report lists before it only counts the rest.
FINDINGS_PER_RULE = 100


@attrs.frozen
class ClaimRow:
    """A claim's line in the table and its mark in the charts."""

    id: str
    statement: str
    confidence: str
    rank: int
    status: str
    supporting: int
    contradicting: int
    min_support: int | None
    revisions: int
    created: str
    updated: str
    tags: str = ""  # "; "-joined

    @property
    def meets_minimum(self) -> bool:
        return self.min_support is None or self.supporting >= self.min_support


@attrs.frozen
class ReferenceView:
    key: str
    anchor: str
    reference: Reference
    claims: tuple[str, ...]


def library_digest(lib: Library) -> str:
    """SHA-256 over every claim's latest state (its last seal, else its content) and references.bib's bytes."""
    h = hashlib.sha256()
    loaded = lib.claims  # once: each read of lib.claims checks that the files did not change
    for claim_id in sorted(loaded):
        claim = loaded[claim_id]
        last = claim.revisions[-1].digest if claim.revisions else None
        if last is None:
            last = hashlib.sha256(
                json.dumps(claim.to_raw(), sort_keys=True, default=str, ensure_ascii=False).encode()
            ).hexdigest()
        h.update(f"{claim_id}\n{last}\n".encode())
    bib = lib.root / "references.bib"
    h.update(hashlib.sha256(bib.read_bytes() if bib.is_file() else b"").hexdigest().encode())
    return h.hexdigest()


# -- the whole report ----------------------------------------------------------


def _cited_keys(claim: Claim) -> Iterable[str]:
    for item in claim.evidence:
        if not item.is_claim:
            yield item.source
    for revision in claim.revisions:
        yield from revision.evidence


def _row(claim: Claim, links: Links, days: dict[dt.date, str], retracted: frozenset[str]) -> ClaimRow:
    """The claim's row; ``days`` holds each day's ISO text, shared by every row of that day.

    Support is counted as the audit counts it: distinct sources, none of the ``retracted`` ones.
    """
    supporting: set[str] = set()
    contradicting = 0
    for item in claim.evidence:
        if item.stance is Stance.SUPPORTS:
            supporting.add(item.source)
        elif item.stance is Stance.CONTRADICTS:
            contradicting += 1
    rank, minimum = links.level(claim.confidence)
    return ClaimRow(
        id=claim.id,
        statement=claim.statement,
        confidence=claim.confidence,
        rank=rank,
        status=claim.status.value,
        supporting=len(supporting - retracted) if retracted else len(supporting),
        contradicting=contradicting,
        min_support=minimum,
        revisions=len(claim.revisions),
        created=_iso(claim.created, days),
        updated=_iso(claim.updated, days),
        tags="; ".join(claim.tags),
    )


def _iso(day: dt.date | None, days: dict[dt.date, str]) -> str:
    if day is None:
        return ""
    text = days.get(day)
    if text is None:
        text = days[day] = day.isoformat()
    return text


def _sections(
    lib: Library,
    claims: list[Claim],
    links: Links,
    cache: SectionCache | None,
    salt: str | None,
    pool: Pool,
) -> Callable[[Callable[[int], None] | None], SectionList]:
    """Begin rendering the sections of each claim whose cached row's key does not match.

    The claims to render are a job of ``pool``; call the answer (with a
    progress callback) for the sections, in the order of ``claims``. Each
    chunk is stored as it comes (in the cache, else in a temporary store),
    so no more than a few chunks' text is held at once.
    """
    from .cache import section_key

    ids = [claim.id for claim in claims]
    if cache is not None and salt is not None:
        keys = [section_key(salt, lib, claim, links) for claim in claims]
        found = cache.matching(dict(zip(ids, keys, strict=True)))
    else:
        keys, found = [""] * len(claims), set()
    missing = [index for index, claim_id in enumerate(ids) if claim_id not in found]
    hits = len(ids) - len(missing)
    del found  # the cache's copies of the ids

    def task(indexes: list[int]) -> list[tuple[str, str]]:
        return [claim_sections(claims[index], links) for index in indexes]

    job = pool.add(task, missing, chunk=250)

    def finish(progress: Callable[[int], None] | None) -> SectionList:
        if progress is not None and hits:
            progress(hits)
        store: SectionStore = cache if cache is not None and salt is not None else temporary_store()
        try:
            for count, (number, pairs) in enumerate(job.each(progress), 1):
                chunk = job.chunks[number]
                store.put([(ids[i], keys[i], html, md) for i, (html, md) in zip(chunk, pairs, strict=True)])
                if count % 8 == 0:
                    release_freed()  # the stored sections' text, from the C allocator
        except BaseException:
            store.close()
            raise
        if store is cache:
            cache.keep_only(ids)
        return SectionList(ids, keys, store, redo=lambda index: claim_sections(claims[index], links))

    return finish


def build(
    lib: Library,
    *,
    references: Callable[[list[str], Pool], Callable[[], dict[str, Reference]]],
    findings: list[Any] | None,
    progress: Callable[[int], None] | None = None,
    plain_references: Callable[[Any, list[str]], dict[str, Reference]] | None = None,
    cache: SectionCache | None = None,
    salt: str | None = None,
) -> dict[str, Any]:
    """The data both report formats show.

    ``references(keys, pool)`` starts formatting the BibTeX keys claims use
    (as a job of ``pool``, see :mod:`.workers`) and returns a function that gives them; ``plain_references(sources, keys)``
    gives the plain ones listed for the rest. ``cache`` and ``salt`` (see
    :mod:`.cache`) keep the claims' sections between reports.
    """
    # Hundreds of thousands of short-lived records and strings, none in a cycle:
    # the cyclic collector would only walk them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(lib, references, findings, progress, plain_references, cache, salt)
    finally:
        if collecting:
            gc.enable()


def _build(
    lib: Library,
    references: Callable[[list[str], Pool], Callable[[], dict[str, Reference]]],
    findings: list[Any] | None,
    progress: Callable[[int], None] | None,
    plain_references: Callable[[Any, list[str]], dict[str, Reference]] | None,
    cache: SectionCache | None,
    salt: str | None,
) -> dict[str, Any]:
    scale = lib.settings.scale
    sources = lib.sources
    loaded = lib.claims
    claims = [loaded[i] for i in sorted(loaded)]
    dependents: dict[str, list[str]] = {}
    for claim in claims:
        for other in claim.depends_on:
            dependents.setdefault(other, []).append(claim.id)

    citing: dict[str, list[str]] = {}
    for claim in claims:
        for key in _cited_keys(claim):
            users = citing.setdefault(key, [])
            if not users or users[-1] != claim.id:
                users.append(claim.id)
    # Only entries a claim uses (evidence, revision evidence, appearances) go
    # through the citation style; the rest are listed plainly (see ``uncited``).
    stated_in = {a.document for claim in claims for a in claim.appearances}
    used_keys = [k for k in sources if k in citing or k in stated_in]
    claim_ids = {claim.id for claim in claims}
    links = Links(claim_ids, set(sources), dependents, scale)
    used = set(used_keys)
    unused = [key for key in sources if key not in used]
    styled = unused if len(unused) <= UNCITED_STYLED else []
    with Pool() as pool:
        formatting = references(used_keys + styled, pool)
        rendering = _sections(lib, claims, links, cache, salt, pool)
        pool.start()
        days: dict[dt.date, str] = {}
        retracted = lib.notices.retracted() if lib.notices else frozenset()
        rows = [_row(claim, links, days, retracted) for claim in claims]
        plain = (plain_references or _plain_references)(sources, [] if styled else unused)
        sections = rendering(progress)
        try:
            formatted = formatting()
        except BaseException:
            sections.close()
            raise
    try:
        return _context(lib, claims, rows, sections, formatted, plain, used_keys, citing, links, findings)
    except BaseException:
        sections.close()
        raise


def _context(
    lib: Library,
    claims: list[Claim],
    rows: list[ClaimRow],
    sections: SectionList,
    formatted: dict[str, Reference],
    plain: dict[str, Reference],
    used_keys: list[str],
    citing: dict[str, list[str]],
    links: Links,
    findings: list[Any] | None,
) -> dict[str, Any]:
    scale = lib.settings.scale
    sources = lib.sources
    claim_ids = links.claim_ids
    notices = lib.notices
    if notices:  # a badge in each noticed reference and under the heading of each claim citing one (see .notices)
        formatted, plain = badged(formatted, notices), badged(plain, notices)
        sections.mark = marker(claims, notices)

    bibliography = sorted(
        (ReferenceView(key, anchor_for_key(key), formatted[key], tuple(citing.get(key, ()))) for key in used_keys),
        key=lambda r: (_sort_text(r.reference), r.key.casefold()),
    )
    used = set(used_keys)
    styled = {key: reference for key, reference in formatted.items() if key not in used}
    uncited = sorted(
        (ReferenceView(key, anchor_for_key(key), reference, ()) for key, reference in (styled or plain).items()),
        key=lambda r: (str(r.reference.html).casefold(), r.key.casefold()),
    )
    levels = [*scale.names, *sorted({r.confidence for r in rows} - set(scale.names))]
    per_level: dict[str, int] = {}
    per_status: dict[str, int] = {}
    for r in rows:
        per_level[r.confidence] = per_level.get(r.confidence, 0) + 1
        per_status[r.status] = per_status.get(r.status, 0) + 1
    by_confidence = [
        {
            "level": name,
            "count": per_level.get(name, 0),
            "meaning": scale[name].meaning if name in scale else "not a level of this library's scale",
            "min_support": scale[name].min_support if name in scale else None,
        }
        for name in levels
    ]
    statuses = ["active", "superseded", "retracted"]
    by_status = [{"status": s, "count": per_status.get(s, 0)} for s in statuses]
    grouped, totals, omitted = _findings(findings)
    by_day: Counter[tuple[dt.date, str]] = Counter((r.date, r.kind.value) for claim in claims for r in claim.revisions)
    revisions = Counter({(day.isoformat(), kind): number for (day, kind), number in by_day.items()})
    dates = sorted({date for date, _ in revisions})
    digest = library_digest(lib)
    return {
        "title": lib.settings.title,
        "digest": digest,
        "digest_short": digest[:12],
        "claims": rows,
        "sections": sections,
        "revisions": revisions,
        "links": links,
        "claim_ids": claim_ids,
        "bibliography": bibliography,
        "uncited": uncited,
        "uncited_open": len(uncited) <= UNCITED_OPEN,
        "uncited_styled": bool(styled),
        "by_confidence": by_confidence,
        "calibration": calibrate(claims, levels),
        "argument": {
            "edges": {
                c.id: [*c.depends_on, *(e.claim_id for e in c.evidence if e.is_claim and e.claim_id in claim_ids)] for c in claims
            },
            "rank": {r.id: r.rank for r in rows},
            "status": {r.id: r.status for r in rows},
            "flagged": {getattr(f, "claim", None) for f in findings or ()} - {None},
        },
        "by_status": by_status,
        "levels": levels,
        "tags": sorted({tag for claim in claims for tag in claim.tags}, key=str.casefold),
        "statuses": statuses,
        "findings": grouped,
        "findings_total": totals,
        "findings_omitted": omitted,
        "findings_available": findings is not None,
        "finding_count": sum(totals.values()),
        "source_problems": list(getattr(sources, "problems", ())),
        "revision_count": revisions.total(),
        "first_date": dates[0] if dates else None,
        "last_date": dates[-1] if dates else None,
        "source_count": len(sources),
        "notices": notice_rows(notices, citing),
    }


def _findings(
    findings: list[Any] | None,
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int], dict[str, dict[str, int]]]:
    """Findings by severity (as dicts), their totals, and per severity the rules cut at FINDINGS_PER_RULE."""
    severity_order = {"error": 0, "warning": 1, "info": 2}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for finding in sorted(
        findings or [], key=lambda f: (severity_order.get(_value(f.severity), 9), _value(f.rule) or "", f.claim or "")
    ):
        grouped.setdefault(_value(finding.severity), []).append(
            {
                name: _value(getattr(finding, name, None))
                for name in ("rule", "severity", "claim", "source", "message", "file", "line", "hint")
            }
        )
    # A rule that fires thousands of times (every unused entry of a large bibliography) would
    # bury the rest and make the page huge: show the first ones and say how many more there are.
    totals = {severity: len(items) for severity, items in grouped.items()}
    omitted: dict[str, dict[str, int]] = {}
    for severity, items in grouped.items():
        kept: list[dict[str, Any]] = []
        per_rule: dict[str, int] = {}
        for item in items:
            seen = per_rule[item["rule"]] = per_rule.get(item["rule"], 0) + 1
            if seen <= FINDINGS_PER_RULE:
                kept.append(item)
        grouped[severity] = kept
        more = {rule: n - FINDINGS_PER_RULE for rule, n in per_rule.items() if n > FINDINGS_PER_RULE}
        if more:
            omitted[severity] = more
    return grouped, totals, omitted


def _plain_references(sources: Any, keys: list[str]) -> dict[str, Reference]:
    return _plain_references_of(sources, keys, md_escape)


def _value(value: Any) -> Any:
    return value.value if hasattr(value, "value") and isinstance(value.value, str) else value


def _sort_text(reference: Reference) -> str:
    return re.sub(r"<[^>]*>", "", str(reference.html)).casefold()
