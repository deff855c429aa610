"""From batch records to claims: every row checked first, then every claim written, or none.

A :class:`Row` is one claim as a batch file gives it: the claim's first state
(statement, confidence, tags, evidence, appearances, the date and author of its
``created`` revision) and the revisions that followed, each in the claim file's
own revision shape. :func:`build_claims` turns the rows into sealed claims, checking
each revision as :meth:`Library.append <claimtrack.Library.append>` would (its
kind, reason, confidence level, evidence keys and date order), and collects
every problem with the row's line; :func:`write_claims` puts the claims in place
all at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .. import history, seals
from ..codec import revision_from_raw
from ..errors import BatchError, ClaimExistsError, ClaimFileError, ClaimtrackError
from ..fileio import _fsync_dir, library_lock, write_temp
from ..folder import default_author
from ..model import CLAIM_PREFIX, Claim, Revision, RevisionKind, validate_id
from ..revisionmeta import parse_date
from ..store import parse_claim_text
from ..tomledit import render_claim
from ..views import plural
from ..writes import check_revision

if TYPE_CHECKING:
    from ..library import Library

__all__ = ["Row", "build_claims", "write_claims", "BatchResult", "raise_problems"]

#: The keys of a row (the claim's first state and its later revisions).
ROW_KEYS = frozenset(
    {"id", "statement", "confidence", "tags", "depends_on", "evidence", "appearances", "facts", "date", "by", "note", "revisions"}
)


@attrs.frozen
class Row:
    """One claim of a batch file as read: TOML-shaped ``raw`` data and where it stands (``file``, ``line``)."""

    raw: Mapping[str, Any]
    file: str
    line: int | None = None
    where: str | None = None  # a name for the row when it has no line ("record 3")


@attrs.frozen
class BatchResult:
    """What a batch write did: the claims written (in the file's order) and the source keys added to references.bib."""

    claims: tuple[Claim, ...]
    sources: tuple[str, ...] = ()

    @property
    def revisions(self) -> int:
        return sum(len(claim.revisions) for claim in self.claims)


def raise_problems(problems: Sequence[ClaimtrackError], what: str) -> None:
    """One :class:`BatchError` for every problem found (the first named in full), or nothing when there is none."""
    if not problems:
        return
    first = problems[0]
    more = f" (and {plural(len(problems) - 1, 'more problem')})" if len(problems) > 1 else ""
    raise BatchError(
        first.message + more,
        file=first.file,
        line=first.line,
        key=first.key,
        hint=(first.hint + "; " if first.hint else "") + f"nothing was written from {what}",
        problems=tuple(problems),
    )


def _problem(row: Row, message: str, key: str | None = None, hint: str | None = None) -> ClaimtrackError:
    if row.where and row.line is None:  # no line to name: the row's place does (claims[3])
        key = f"{row.where}: {key}" if key else row.where
    return ClaimtrackError(message, file=row.file, line=row.line, key=key, hint=hint)


def _created(row: Row, scale_names: Sequence[str], *, by: str | None, date: dt.date | str | None) -> Revision:
    raw = row.raw
    created: dict[str, Any] = {"kind": "created"}
    for name in ("statement", "confidence", "tags", "depends_on", "evidence", "appearances", "facts", "note"):
        if raw.get(name) not in (None, "", [], ()):
            created[name] = raw[name]
    created.setdefault("confidence", "hypothesis" if "hypothesis" in scale_names else scale_names[-1])
    created["by"] = raw.get("by") or by or default_author()
    created["date"] = raw.get("date") if raw.get("date") not in (None, "") else parse_date(date)
    return revision_from_raw(created, file=row.file)


def _rebased(error: ClaimtrackError, row: Row, prefix: str) -> list[ClaimtrackError]:
    """The problems of a revision read from the row, with the row's line and the key as the row names it."""
    problems = getattr(error, "problems", ()) or (error,)
    out = []
    for problem in problems:
        key = (problem.key or "").removeprefix("revision.").removeprefix("revision")
        joined = prefix + ("." if "revisions[" in prefix else ": ") + key if key and prefix else prefix or key
        out.append(_problem(row, problem.message, joined, problem.hint))
    return out


def build_claims(
    lib: Library,
    rows: Iterable[Row],
    *,
    new_sources: Iterable[str] = (),
    by: str | None = None,
    date: dt.date | str | None = None,
) -> tuple[list[Claim], list[ClaimtrackError]]:
    """Sealed claims from ``rows`` and every problem found (a claim with a problem is left out).

    Evidence keys must be in references.bib or among ``new_sources`` (entries the
    batch adds); ``depends_on`` ids must be claims of the library or of the batch.
    """
    scale = lib.settings.scale
    known_sources = set(lib.sources) | set(new_sources)
    rows = list(rows)
    batch_ids: dict[str, Row] = {}
    problems: list[ClaimtrackError] = []
    for row in rows:
        claim_id = row.raw.get("id")
        if isinstance(claim_id, str) and claim_id in batch_ids:
            first = batch_ids[claim_id]
            problems.append(
                _problem(row, f"claim {claim_id!r} is given twice (first at line {first.line})", "id", "give each claim one row")
            )
        elif isinstance(claim_id, str):
            batch_ids[claim_id] = row
    existing = {p.stem for p in lib.store.files()}
    claims: list[Claim] = []
    for row in rows:
        claim, found = _build_one(row, scale, known_sources, batch_ids, existing, by=by, date=date)
        problems.extend(found)
        if claim is not None and not found:
            claims.append(claim)
    return claims, problems


def _build_one(
    row: Row,
    scale: Any,
    known_sources: set[str],
    batch_ids: Mapping[str, Row],
    existing: set[str],
    *,
    by: str | None,
    date: dt.date | str | None,
) -> tuple[Claim | None, list[ClaimtrackError]]:
    raw = row.raw
    problems: list[ClaimtrackError] = []
    unknown = sorted(set(raw) - ROW_KEYS)
    if unknown:
        problems.append(
            _problem(
                row, f"unknown key {unknown[0]!r}", unknown[0], "the keys are " + ", ".join(sorted(ROW_KEYS - {"revisions"}))
            )
        )
    claim_id = raw.get("id")
    if not isinstance(claim_id, str) or not claim_id.strip():
        return None, [*problems, _problem(row, "has no claim id", "id", "give every claim an id")]
    try:
        validate_id(claim_id)
    except ClaimtrackError as e:
        return None, [*problems, _problem(row, e.message, "id", e.hint)]
    if claim_id in existing:
        problems.append(
            _problem(row, f"claim {claim_id!r} already exists", "id", "choose another id, or revise the existing claim")
        )
    statement = raw.get("statement")
    if not isinstance(statement, str) or not statement.strip():
        return None, [*problems, _problem(row, "has no statement", f"{claim_id}: statement", "give the claim's statement")]
    try:
        first = _created(row, scale.names, by=by, date=date)
    except ClaimFileError as e:
        return None, [*problems, *_rebased(e, row, claim_id)]
    except ClaimtrackError as e:
        return None, [*problems, _problem(row, e.message, f"{claim_id}: date", e.hint)]
    problems.extend(_check_refs(row, claim_id, first, scale, known_sources, batch_ids, existing))
    claim = history.replay(
        Claim(id=claim_id, statement=first.statement or "", confidence=first.confidence or "", revisions=(first,))
    )
    later = raw.get("revisions") or []
    if not isinstance(later, list):
        return None, [*problems, _problem(row, "revisions must be a list of tables", f"{claim_id}: revisions")]
    for index, item in enumerate(later):
        prefix = f"{claim_id}: revisions[{index}]"
        if isinstance(item, Mapping) and item.get("date") in (None, ""):
            item = {**item, "date": parse_date(date)}
        if isinstance(item, Mapping) and not item.get("by"):
            item = {**item, "by": by or default_author()}
        try:
            revision = revision_from_raw(item if isinstance(item, Mapping) else {}, file=row.file)
        except ClaimFileError as e:
            problems.extend(_rebased(e, row, prefix))
            return None, problems
        found = _check_later(row, prefix, revision, scale, known_sources)
        if found:
            problems.extend(found)
            return None, problems
        try:
            claim = history.apply(claim, check_revision(claim, revision))
        except ClaimtrackError as e:
            problems.append(_problem(row, e.message, prefix, e.hint))
            return None, problems
    if problems:
        return None, problems
    return attrs.evolve(claim, revisions=seals.seal(claim.revisions)), problems


def _check_refs(
    row: Row,
    claim_id: str,
    first: Revision,
    scale: Any,
    known_sources: set[str],
    batch_ids: Mapping[str, Row],
    existing: set[str],
) -> list[ClaimtrackError]:
    problems = []
    if first.confidence not in scale:
        names = ", ".join(scale.names)
        problems.append(
            _problem(row, f"{first.confidence!r} is not a confidence level", f"{claim_id}: confidence", f"use one of {names}")
        )
    for item in first.set_evidence or ():
        problems.extend(_check_source(row, f"{claim_id}: evidence", item.source, known_sources, batch_ids, existing))
    for other in first.set_depends_on or ():
        if other not in batch_ids and other not in existing:
            problems.append(
                _problem(row, f"depends on {other!r}, which is not a claim", f"{claim_id}: depends_on", "add that claim first")
            )
    return problems


def _check_source(
    row: Row, key: str, source: str, known: set[str], batch_ids: Mapping[str, Row], existing: set[str]
) -> list[ClaimtrackError]:
    if source.startswith(CLAIM_PREFIX):
        other = source[len(CLAIM_PREFIX) :]
        if other in batch_ids or other in existing:
            return []
        return [_problem(row, f"cites claim {other!r}, which is not a claim", key, "add that claim first")]
    if source in known:
        return []
    return [
        _problem(
            row,
            f"cites {source!r}, which is not in references.bib",
            key,
            "add the entry with `claimtrack source add`, or fix the key",
        )
    ]


def _check_later(row: Row, prefix: str, revision: Revision, scale: Any, known: set[str]) -> list[ClaimtrackError]:
    problems = []
    if revision.kind is RevisionKind.CREATED:
        problems.append(_problem(row, "a claim is created only once", prefix + ".kind", "give a later revision another kind"))
    if revision.kind.needs_reason and not (revision.reason or "").strip():
        problems.append(
            _problem(row, f"a revision of kind {revision.kind.value!r} needs a reason", prefix + ".reason", "say why")
        )
    for level in (revision.confidence, revision.new if revision.field == "confidence" else None):
        if level is not None and level not in scale:
            names = ", ".join(scale.names)
            problems.append(_problem(row, f"{level!r} is not a confidence level", prefix + ".confidence", f"use one of {names}"))
    keys = [*revision.evidence, *(e.source for e in revision.add_evidence)]
    for key in keys:
        if not key.startswith(CLAIM_PREFIX) and key not in known:
            problems.append(
                _problem(row, f"cites {key!r}, which is not in references.bib", prefix + ".evidence", "add the entry first")
            )
    return problems


def _refuse_taken(lib: Library, staged: Sequence[tuple[Path, Path]], what: str) -> None:
    taken = [path for _, path in staged if os.path.lexists(path)]
    if taken:
        raise ClaimExistsError(
            f"claim {taken[0].stem!r} already exists",
            file=str(taken[0].relative_to(lib.root)),
            hint=f"another writer added it meanwhile; nothing was written from {what}",
        )


def write_claims(lib: Library, claims: Sequence[Claim], *, bibtex: str | None = None, what: str = "the batch") -> BatchResult:
    """Write every claim (new files), and first add ``bibtex``'s entries to references.bib: all or nothing.

    Each claim's text is rendered and read back before anything is written; the
    files are written beside their places, then, under the library lock, each is
    put in place only when none of the ids exists yet.
    """
    store = lib.store
    staged: list[tuple[Path, Path]] = []
    texts = []
    for claim in claims:
        path = store.path_for(claim.id)
        text = render_claim(claim)
        parse_claim_text(text, file=str(path.relative_to(lib.root)), expected_id=claim.id)
        texts.append((path, text))
    try:
        store.claims_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ClaimtrackError(
            f"cannot be used as the claims folder: {e.strerror or e}", file="claims", hint="move that file away"
        ) from e
    replaced: list[Path] = []
    try:
        for path, text in texts:
            staged.append((write_temp(path, text, durable=False), path))
        if staged:
            os.sync()  # one flush for the whole batch, before any file takes its place
        with library_lock(lib.root):
            _refuse_taken(lib, staged, what)  # before references.bib changes: the usual refusal writes nothing
        added: tuple[str, ...] = ()
        if bibtex:
            added = lib.add_sources(bibtex, origin=what)
        with library_lock(lib.root):
            _refuse_taken(lib, staged, what)  # another writer may have added one meanwhile
            for tmp, path in staged:
                os.replace(tmp, path)
                replaced.append(path)
            staged = []
        _fsync_dir(store.claims_dir)
    except BaseException:
        for path in replaced:  # a failure part way (a full disk): the files put in place go again
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
    lib.reload()
    return BatchResult(tuple(claims), added)
