"""One SQLite database of the library, and the Datasette metadata that makes it a browsable, queryable site.

Written with the standard library's sqlite3: the schema is a few tables, views and FTS5 indexes, and writing it
directly keeps the bytes the same for the same library (``datasette claims.db -m metadata.json`` serves it).
The database is written to a temporary file beside its target and moved into place, so a reader never sees half.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import ExportError
from ..fileio import atomic_write
from ..model import Claim
from .common import Context, changes, last_changed
from .schema import SCHEMA, metadata

__all__ = ["write_database"]


def _json(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _claim_rows(ctx: Context, claims: Sequence[Claim]) -> Iterator[tuple[Any, ...]]:
    scale = ctx.scale
    retracted = ctx.notices.retracted()
    for c in claims:
        rank = scale.rank(c.confidence) if c.confidence in scale else None
        support = len({e.source for e in c.supporting if e.source not in retracted})
        yield (c.id, c.statement, c.confidence, rank, c.status.value, c.superseded_by, _json(c.tags), _json(c.depends_on),
               support, len(c.revisions), _iso(c.created), _iso(last_changed(c)), f"claims/{c.id}.toml")  # fmt: skip


def _fill(db: sqlite3.Connection, ctx: Context, claims: Sequence[Claim]) -> None:
    sources = ctx.sources
    chosen = {c.id for c in claims}
    db.executemany("insert into claims values (?,?,?,?,?,?,?,?,?,?,?,?,?)", _claim_rows(ctx, claims))
    cited: dict[str, int] = {}
    evidence: list[tuple[Any, ...]] = []
    appearances: list[tuple[Any, ...]] = []
    facts: list[tuple[Any, ...]] = []
    dependencies: list[tuple[str, str]] = []
    revisions: list[tuple[Any, ...] | None] = []
    for c in claims:
        for i, e in enumerate(c.evidence):
            key = e.source if not e.is_claim and e.source in sources else None
            other = e.claim_id if e.is_claim and e.claim_id in chosen else None
            if key is not None:
                cited[key] = cited.get(key, 0) + 1
            evidence.append((c.id, i, e.source, key, other, e.stance.value, e.locator, e.quote, e.note))
        for i, a in enumerate(c.appearances):
            appearances.append((c.id, i, a.document, a.document if a.document in sources else None, a.locator, a.text, a.note))
        for i, f in enumerate(c.facts):
            facts.append((c.id, i, f.subject, f.property, f.value, f.note))
        dependencies.extend((c.id, other) for other in c.depends_on)
        revisions.append((c.id, 0, _iso(c.revisions[0].date), "created", c.revisions[0].by or None, c.revisions[0].credited,
                          c.revisions[0].reason, c.revisions[0].note, c.revisions[0].statement, _json(c.revisions[0].evidence),
                          c.revisions[0].digest) if c.revisions else None)  # fmt: skip
        for i, r, change in changes(c):
            revisions.append((c.id, i, _iso(r.date), r.kind.value, r.by or None, r.credited, r.reason, r.note, change,
                              _json(r.evidence), r.digest))  # fmt: skip
    db.executemany("insert into evidence values (?,?,?,?,?,?,?,?,?)", evidence)
    db.executemany("insert into appearances values (?,?,?,?,?,?,?)", appearances)
    db.executemany("insert into facts values (?,?,?,?,?,?)", facts)
    db.executemany("insert into dependencies values (?,?)", dependencies)
    db.executemany("insert into revisions values (?,?,?,?,?,?,?,?,?,?,?)", (r for r in revisions if r is not None))
    notices = ctx.notices
    retracted = notices.retracted()
    rows = []

    def link(key: str) -> str | None:
        facts = ctx.source(key)
        return facts.link if facts is not None else None

    # The sources the chosen claims cite or name as a document, and those with notices: a large bibliography's
    # other entries are references.bib's to hold (decoding every one would cost more than the claims).
    wanted = set(cited) | {a.document for c in claims for a in c.appearances} | set(notices.sources)
    for key, source in sources.items():
        if key not in wanted:
            continue
        standing = notices.summary(key)
        rows.append((key, source.entry_type, source.title, "; ".join(source.authors) or None, source.year, source.container,
                     source.doi, source.url, link(key), cited.get(key, 0), int(key in retracted), standing))  # fmt: skip
    db.executemany("insert into sources values (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.executemany(
        "insert into notices values (?,?,?,?,?,?,?,?,?,?)",
        (
            (
                i + 1,
                n.source if n.source in sources else None,
                n.kind.value,
                n.origin,
                n.record,
                n.matched,
                n.date,
                n.notice_doi,
                n.reason,
                n.imported,
            )
            for i, n in enumerate(notices)
        ),  # fmt: skip
    )
    findings = [f for f in ctx.lib.audit() if f.claim is None or f.claim in chosen]
    db.executemany(
        "insert into findings values (?,?,?,?,?,?,?,?,?)",
        ((i + 1, f.rule, f.severity, f.claim, f.source, f.message, f.file, f.line, f.hint) for i, f in enumerate(findings)),
    )
    db.execute("insert into claims_fts(claims_fts) values ('rebuild')")
    db.execute("insert into evidence_fts(evidence_fts) values ('rebuild')")


def write_database(ctx: Context, claims: Sequence[Claim], target: Path, meta: Path) -> tuple[Path, Path]:
    """Write the database at ``target`` and Datasette's metadata at ``meta``; both or neither."""
    temp = target.with_name(f".ct-tmp-{os.getpid()}-{target.name}")
    try:
        temp.unlink(missing_ok=True)
        db = sqlite3.connect(temp, isolation_level=None)
        try:
            db.execute("pragma journal_mode = off")
            db.execute("pragma synchronous = off")
            db.execute("begin")
            for statement in _statements(SCHEMA):
                db.execute(statement)
            _fill(db, ctx, claims)
            db.execute("commit")
            db.execute("vacuum")
        finally:
            db.close()
        atomic_write(
            meta, (json.dumps(metadata(ctx.lib.settings.title, target.stem), ensure_ascii=False, indent=2) + "\n").encode()
        )
        os.replace(temp, target)
    except sqlite3.Error as e:
        raise ExportError(f"the database could not be written ({e})", file=target, hint="name another output file") from e
    except OSError as e:
        raise ExportError(f"cannot be written ({e.strerror or e})", file=target, hint="name another output file") from e
    finally:
        temp.unlink(missing_ok=True)
    return target, meta


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";\n") if s.strip()]
