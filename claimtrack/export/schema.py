"""The export database's tables, views and full-text indexes, and the Datasette metadata that describes them."""

from __future__ import annotations

from typing import Any

__all__ = ["SCHEMA", "metadata", "CONTENT_KINDS_SQL"]

#: The revision kinds that change what a claim says, as an SQL list (created, review and editorial do not).
CONTENT_KINDS_SQL = (
    "('correction', 'clarification', 'update', 'hedge', 'strengthen', 'confidence', 'evidence', 'retraction', 'supersession')"
)

SCHEMA = f"""
create table claims (
  id text primary key,
  statement text not null,
  confidence text not null,
  confidence_rank integer,
  status text not null,
  superseded_by text,
  tags text not null,
  depends_on text not null,
  supporting integer not null,
  revisions integer not null,
  created text,
  updated text,
  file text not null
);
create table sources (
  key text primary key,
  type text not null,
  title text,
  authors text,
  year text,
  container text,
  doi text,
  url text,
  link text,
  cited integer not null,
  retracted integer not null,
  standing text
);
create table evidence (
  claim text not null references claims(id),
  position integer not null,
  source text not null,
  source_key text references sources(key),
  source_claim text references claims(id),
  stance text not null,
  locator text,
  quote text,
  note text,
  primary key (claim, position)
);
create table appearances (
  claim text not null references claims(id),
  position integer not null,
  document text not null,
  document_key text references sources(key),
  locator text,
  text text,
  note text,
  primary key (claim, position)
);
create table facts (
  claim text not null references claims(id),
  position integer not null,
  subject text not null,
  property text not null,
  value text not null,
  note text,
  primary key (claim, position)
);
create table dependencies (
  claim text not null references claims(id),
  depends_on text not null,
  primary key (claim, depends_on)
);
create table revisions (
  claim text not null references claims(id),
  position integer not null,
  date text not null,
  kind text not null,
  by text,
  credited text,
  reason text,
  note text,
  change text,
  evidence text not null,
  digest text,
  primary key (claim, position)
);
create table notices (
  id integer primary key,
  source text references sources(key),
  kind text not null,
  origin text not null,
  record text not null,
  matched text,
  date text,
  notice_doi text,
  reason text,
  imported text
);
create table findings (
  id integer primary key,
  rule text not null,
  severity text not null,
  claim text references claims(id),
  source text,
  message text not null,
  file text,
  line integer,
  hint text
);
create index revisions_by_date on revisions(date);
create index evidence_by_source on evidence(source_key);
create index notices_by_source on notices(source);
create virtual table claims_fts using fts5(statement, content="claims", content_rowid="rowid");
create virtual table evidence_fts using fts5(quote, locator, content="evidence", content_rowid="rowid");
create view current_claims as
  select * from claims where status = 'active';
create view corrections as
  select r.date, r.claim, r.kind, r.change, r.reason, r.by, r.credited, c.statement as statement_now
  from revisions r join claims c on c.id = r.claim
  where r.kind in {CONTENT_KINDS_SQL}
  order by r.date desc, r.claim, r.position;
create view claims_on_retracted_sources as
  select distinct c.id as claim, c.statement, c.confidence, c.status, e.source_key as source, e.stance,
         n.kind as notice, n.date as notice_date, n.origin
  from evidence e
  join claims c on c.id = e.claim
  join notices n on n.source = e.source_key
  where n.kind in ('retraction', 'withdrawal')
  order by c.id, e.source_key
"""

_TABLES: dict[str, dict[str, Any]] = {
    "claims": {
        "description": "One row per claim as it stands now; tags and depends_on are JSON lists; "
        "supporting counts distinct supporting sources that are not retracted.",
        "facets": ["confidence", "status", {"array": "tags"}],
        "sort": "id",
        "fts_table": "claims_fts",
    },
    "evidence": {
        "description": "The sources bearing on each claim now, and how (supports, contradicts, mentions).",
        "facets": ["stance", "source_key"],
        "fts_table": "evidence_fts",
    },
    "revisions": {
        "description": "Every claim's append-only history, oldest first; change is the change as Markdown (~~old~~ new).",
        "facets": ["kind", "by"],
        "sort_desc": "date",
    },
    "appearances": {"description": "Where each claim is stated, word for word.", "facets": ["document"]},
    "facts": {"description": "Structured values the claims assert (subject, property, value).", "facets": ["property"]},
    "dependencies": {"description": "Which claims rest on which."},
    "sources": {
        "description": "The entries of references.bib the claims cite or name, and those with notices; "
        "cited counts the evidence items citing it, standing sums up its notices.",
        "facets": ["type", "retracted"],
    },
    "notices": {"description": "Retractions, corrections and expressions of concern of the sources.", "facets": ["kind"]},
    "findings": {"description": "What the audit found when the database was written.", "facets": ["severity", "rule"]},
    "current_claims": {"description": "Claims that are neither retracted nor superseded."},
    "corrections": {"description": "Every change to what a claim says, newest first."},
    "claims_on_retracted_sources": {"description": "Claims citing a source that has been retracted or withdrawn."},
}

_QUERIES: dict[str, dict[str, str]] = {
    "changed_since": {
        "title": "What changed since a date",
        "description": "Every revision made on or after the date (YYYY-MM-DD), newest first.",
        "sql": "select r.date, r.claim, r.kind, r.change, r.reason, r.by, r.credited\n"
        "from revisions r\nwhere r.date >= :since\norder by r.date desc, r.claim, r.position",
    },
    "search_statements": {
        "title": "Search the statements",
        "description": "Claims whose statement matches the words (SQLite full-text search syntax).",
        "sql": "select c.id, c.statement, c.confidence, c.status\nfrom claims_fts f join claims c on c.rowid = f.rowid\n"
        "where claims_fts match :words\norder by f.rank",
    },
    "search_quotes": {
        "title": "Search the quoted evidence",
        "description": "Evidence whose quote or locator matches the words.",
        "sql": "select e.claim, e.source, e.stance, e.locator, e.quote\nfrom evidence_fts f join evidence e on e.rowid = f.rowid\n"
        "where evidence_fts match :words\norder by f.rank",
    },
    "claims_of_source": {
        "title": "Claims citing a source",
        "description": "The claims a references.bib key bears on, and how.",
        "sql": "select e.claim, c.statement, e.stance, e.locator, e.quote\nfrom evidence e join claims c on c.id = e.claim\n"
        "where e.source = :key\norder by e.claim",
    },
}


def metadata(title: str, database: str) -> dict[str, Any]:
    """Datasette's metadata for the database named ``database`` (the file's stem) of the library titled ``title``."""
    return {
        "title": title,
        "description": "Claims with their confidence, sources and tracked corrections, exported by claimtrack.",
        "databases": {database: {"tables": _TABLES, "queries": _QUERIES}},
    }
