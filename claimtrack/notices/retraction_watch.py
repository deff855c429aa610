"""The Retraction Watch database as its CSV export: one row per notice, in the database's own columns.

The export's dates read ``3/14/2023 0:00``, its lists are ``;``-separated
(reasons with a leading ``+``), "no PubMed id" is ``0`` and "no DOI" is
``unavailable``; a few of its 50,000-odd rows hold bytes that are not UTF-8.
Only rows about the library's own sources become notices, and only those
rows are taken apart further than their identifiers.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from ..errors import InvalidValueError, NoticeError
from ..values import partial_date
from .matching import SourceIndex
from .records import Notice, NoticeKind

__all__ = ["COLUMNS", "REQUIRED", "looks_like_header", "read"]

#: The export's columns, in its order.
COLUMNS = (
    "Record ID",
    "Title",
    "Subject",
    "Institution",
    "Journal",
    "Publisher",
    "Country",
    "Author",
    "URLS",
    "ArticleType",
    "RetractionDate",
    "RetractionDOI",
    "RetractionPubMedID",
    "OriginalPaperDate",
    "OriginalPaperDOI",
    "OriginalPaperPubMedID",
    "RetractionNature",
    "Reason",
    "Paywalled",
    "Notes",
)
#: The columns a notice is made from; a CSV without them is not a Retraction Watch export.
REQUIRED = ("Record ID", "RetractionDate", "RetractionDOI", "OriginalPaperDOI", "OriginalPaperPubMedID", "RetractionNature")

_NATURES = {
    "retraction": NoticeKind.RETRACTION,
    "correction": NoticeKind.CORRECTION,
    "expression of concern": NoticeKind.EXPRESSION_OF_CONCERN,
    "reinstatement": NoticeKind.REINSTATEMENT,
}
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?")


def looks_like_header(line: str) -> bool:
    """True when the first line names the export's first column (so a bad header is named as such)."""
    return line.lstrip("\ufeff").lstrip('"').startswith("Record ID")


def read(text: str, file: str, index: SourceIndex) -> tuple[list[tuple[Notice, int]], int]:
    """The notices (with their lines) about the indexed sources, and how many rows the file has.

    Raises NoticeError, naming the missing columns, for a CSV whose header is not the export's.
    """
    lines = _Lines(text)
    rows = csv.reader(lines)
    try:
        found = _read(rows, lines, file, index)
    except csv.Error as e:
        raise NoticeError(
            f"is not a well-formed CSV: {e}", file=file, line=rows.line_num, hint="download the export again"
        ) from e
    if _ends_inside_quotes("".join(lines.last)):
        raise NoticeError(
            "ends inside a quoted field: the file was cut short (an interrupted download?)",
            file=file,
            line=rows.line_num - len(lines.last) + 1,
            hint="download the export again; nothing was imported",
        )
    return found


class _Lines:
    """The file's lines for ``csv.reader``, keeping the raw lines of the last record read (``last``)."""

    def __init__(self, text: str) -> None:
        self._lines = iter(io.StringIO(text, newline=""))
        self.record: list[str] = []
        self.last: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.record.append(line)
        return line

    def take(self) -> None:
        """Mark the end of a record: its lines become ``last``."""
        self.last, self.record = self.record, []


def _ends_inside_quotes(record: str) -> bool:
    """Whether a record's raw text ends inside a quoted field, as the csv module reads it (a quote opens a field
    only at its start; two quotes inside one are a quote; after the closing one, quotes are text)."""
    quoted, at_start, i = False, True, 0
    while i < len(record):
        char = record[i]
        if quoted:
            if char == '"':
                if record.startswith('"', i + 1):
                    i += 2
                    continue
                quoted = False
        elif char == '"' and at_start:
            quoted = True
            at_start = False
        else:
            at_start = char in ",\r\n"
        i += 1
    return quoted


def _read(rows: Any, lines: _Lines, file: str, index: SourceIndex) -> tuple[list[tuple[Notice, int]], int]:
    header = next(rows, None) or []
    lines.take()
    names = [name.strip().lstrip("\ufeff") for name in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise NoticeError(
            "the CSV header lacks the Retraction Watch column" + ("s " if len(missing) > 1 else " ")
            + ", ".join(f"'{name}'" for name in missing),
            file=file,
            line=1,
            hint="import the database's own CSV export, with its header row",
        )  # fmt: skip
    at = {name: names.index(name) for name in COLUMNS if name in names}
    width = len(names)
    doi_at, pmid_at = at["OriginalPaperDOI"], at["OriginalPaperPubMedID"]
    found: list[tuple[Notice, int]] = []
    count = 0
    by_pmid = index.pmid
    for row in rows:
        lines.take()
        count += 1
        if len(row) < width:
            if not any(row):
                count -= 1
                continue
            row = row + [""] * (width - len(row))
        doi, pmid = row[doi_at].strip(), row[pmid_at].strip()
        if not index.may_cite(doi) and (not pmid or pmid.lstrip("0") not in by_pmid):
            continue  # most rows are about papers the library does not cite
        for key, matched in index.match(dois=(doi,), pmids=(pmid,)):
            notice = _notice(row, at, key, matched, file, rows.line_num)
            if notice is not None:
                found.append((notice, rows.line_num))
    return found, count


def _notice(row: list[str], at: dict[str, int], key: str, matched: str, file: str, line: int) -> Notice | None:
    nature = row[at["RetractionNature"]].strip()
    kind = _NATURES.get(nature.lower())
    if kind is None:
        return None  # a nature the database may add later; nothing here knows what it means
    record = row[at["Record ID"]].strip()
    if not record:
        raise NoticeError("a row has no Record ID", file=file, line=line, hint="import the database's own CSV export")
    notice_doi = row[at["RetractionDOI"]].strip()
    return Notice(
        source=key,
        kind=kind,
        origin="retraction-watch",
        record=record,
        matched=matched,
        date=_date(row[at["RetractionDate"]], file, line),
        notice_doi=notice_doi.lower() if notice_doi.lower().startswith("10.") else None,
        reason=_reasons(row[at["Reason"]]) if "Reason" in at else None,
    )


def _date(value: str, file: str, line: int) -> str | None:
    value = value.strip()
    if not value:
        return None
    if match := _US_DATE.fullmatch(value):
        month, day, year = match.groups()
    elif match := _ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    else:
        raise NoticeError(
            f"RetractionDate {value!r} is not a date", file=file, line=line, hint="the export writes dates as 3/14/2023 0:00"
        )
    try:
        return partial_date(year, month, day)
    except InvalidValueError as e:
        raise NoticeError(
            f"RetractionDate {value!r} is not a date ({e.message})", file=file, line=line, hint="check the row"
        ) from e


def _reasons(value: str) -> str | None:
    """``;+Concerns/Issues About Data;+Error in Data;`` as ``Concerns/Issues About Data; Error in Data``."""
    parts = [part.strip().lstrip("+").strip() for part in value.split(";")]
    return "; ".join(part for part in parts if part) or None
