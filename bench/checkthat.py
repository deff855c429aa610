"""The CheckThat! 2020 claim-retrieval data (../shared/data/checkthat2020), for the search benchmark and training.

Files are tab-separated with a header and no quoting (see the README there).
``claims()`` gives the verified claims as claimtrack claims in memory (one
each, citing a source whose title is the fact-check's title); ``library()``
writes them as a claims library through the Python API.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimtrack.model import Claim, Evidence, Revision, RevisionKind  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "checkthat2020"
_CREATED = "2020-01-01"


def available(folder: Path = DATA) -> bool:
    return (folder / "verified_claims.tsv").is_file()


def _rows(path: Path) -> list[list[str]]:
    """The rows after the header; a line that does not start with an id continues the row before
    (a few claims hold a line break)."""
    csv.field_size_limit(1 << 24)
    rows: list[list[str]] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        for row in reader:
            if not row:
                continue
            if rows and not row[0].isdigit():
                rows[-1][-1] += " " + row[0]
                rows[-1].extend(row[1:])
            else:
                rows.append(row)
    return rows


def verified(folder: Path = DATA) -> list[tuple[str, str, str]]:
    """(vclaim_id, claim, title) per verified claim."""
    return [(row[0], row[1], row[2] if len(row) > 2 else "") for row in _rows(folder / "verified_claims.tsv")]


def split(name: str, folder: Path = DATA) -> list[tuple[str, str]]:
    """(tweet text, claim id in the library) per query of the split (train or dev)."""
    tweets = {row[0]: row[1] for row in _rows(folder / f"{name}-tweets.tsv")}
    return [(tweets[row[0]], claim_id(row[2])) for row in _rows(folder / f"{name}-qrels.tsv") if row[0] in tweets]


def claim_id(vclaim_id: str) -> str:
    return f"vclaim-{vclaim_id}"


def source_key(vclaim_id: str) -> str:
    return f"factcheck{vclaim_id}"


def claims(folder: Path = DATA) -> tuple[list[Claim], Callable[[str], str | None]]:
    """The verified claims in memory, and the titles of their sources by key."""
    titles: dict[str, str] = {}
    out = []
    for vid, text, title in verified(folder):
        evidence = ()
        if title:
            titles[source_key(vid)] = title
            evidence = (Evidence(source=source_key(vid), stance="mentions"),)
        created = Revision(date=_CREATED, kind=RevisionKind.CREATED, by="CheckThat", statement=text,
                           confidence="hypothesis", set_evidence=evidence)  # fmt: skip
        out.append(Claim(id=claim_id(vid), statement=text, confidence="hypothesis", evidence=evidence, revisions=(created,)))
    return out, titles.get


def _bib_escape(text: str) -> str:
    return text.replace("\\", " ").replace("{", "(").replace("}", ")")


def library(target: Path, folder: Path = DATA, limit: int | None = None) -> Path:
    """A claims library at ``target`` holding the verified claims, one file each, written through the Python API."""
    import claimtrack

    rows = verified(folder)[:limit]
    lib = claimtrack.open(claimtrack.init(target))
    entries = [
        f"@misc{{{source_key(vid)}, title = {{{_bib_escape(title)}}}, howpublished = {{Snopes}}, year = {{2020}}}}\n"
        for vid, _, title in rows
        if title
    ]
    lib.add_sources("".join(entries))
    for vid, text, title in rows:
        evidence = (Evidence(source=source_key(vid), stance="mentions"),) if title else ()
        lib.add(claim_id(vid), text, evidence=evidence, by="CheckThat", date=_CREATED)
    return target
