"""Entries of references.bib out again: BibTeX as written, BibLaTeX, CSL-JSON and RIS.

``status`` maps a key to a line of what the library knows about that source
("supports 3 claims, contradicts 1; retracted 2023-03-14 (Retraction Watch)");
it goes where reference managers show it: BibTeX's and BibLaTeX's
``annotation`` (Better BibTeX's field for Zotero's Extra) and CSL's ``note``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .csl import MONTHS, from_source
from .entries import entry_text
from .texescape import escape

__all__ = ["write_entries", "EXPORT_FORMATS"]

EXPORT_FORMATS = ("bibtex", "biblatex", "csljson", "ris")

_BIBLATEX_TYPES = {
    "techreport": ("report", "techreport"),
    "phdthesis": ("thesis", "phdthesis"),
    "mastersthesis": ("thesis", "mathesis"),
    "conference": ("inproceedings", None),
    "electronic": ("online", None),
    "www": ("online", None),
}
_BIBLATEX_FIELDS = {"journal": "journaltitle", "address": "location", "archiveprefix": "eprinttype", "school": "institution"}


def write_entries(sources: Iterable[Any], fmt: str, *, status: Mapping[str, str] | None = None) -> str:
    """The text of ``sources`` (:class:`claimtrack.Source` records) in ``fmt``, one of :data:`EXPORT_FORMATS`."""
    status = status or {}
    sources = list(sources)
    if fmt == "bibtex":
        return "".join(_bibtex(s, status.get(s.key)) + "\n\n" for s in sources).rstrip("\n") + ("\n" if sources else "")
    if fmt == "biblatex":
        return "".join(_biblatex(s, status.get(s.key)) + "\n\n" for s in sources).rstrip("\n") + ("\n" if sources else "")
    items = [_csl(s, status.get(s.key)) for s in sources]
    if fmt == "csljson":
        # One item a line: readable in a diff, and written by json's C encoder (indent= would use the Python one).
        return "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False) for item in items) + ("\n]\n" if items else "]\n")
    if fmt == "ris":
        from .ris import dump_ris

        return dump_ris(items)
    raise ValueError(f"unknown format {fmt!r}")


def _csl(source: Any, status: str | None) -> dict[str, Any]:
    item = from_source(source)
    if status:
        item["note"] = f"{item['note']}\n{status}" if item.get("note") else status
    return item


def _with_annotation(fields: list[tuple[str, str]], status: str | None) -> list[tuple[str, str]]:
    if not status:
        return fields
    text = escape(status)
    for i, (name, value) in enumerate(fields):
        if name == "annotation":
            fields[i] = (name, f"{value}; {text}")
            return fields
    return [*fields, ("annotation", text)]


def _bibtex(source: Any, status: str | None) -> str:
    raw = source.raw.strip()
    if not status:
        return raw
    if "annotation" not in source.fields and (end := re.search(r"\s*,?\s*[})]\s*\Z", raw)):
        closing = raw[-1]
        return f"{raw[: end.start()]},\n  annotation = {{{escape(status)}}}\n{closing}"
    return entry_text(source.key, source.entry_type, _with_annotation(list(source.fields.items()), status))


def _biblatex(source: Any, status: str | None) -> str:
    kind, subtype = _BIBLATEX_TYPES.get(source.entry_type, (source.entry_type, None))
    fields: list[tuple[str, str]] = []
    names = dict(source.fields)
    year, month = names.pop("year", None), names.pop("month", None)
    date = names.pop("date", None)
    if date is None and year is not None:
        date = year.strip()
        if month is not None and month.strip().lower()[:3] in MONTHS and re.fullmatch(r"\d{4}", date):
            date += f"-{MONTHS.index(month.strip().lower()[:3]) + 1:02d}"
        elif month is not None and month.strip().isdigit() and re.fullmatch(r"\d{4}", date):
            date += f"-{int(month):02d}"
    for name, value in names.items():
        if name == "type" and subtype:
            continue
        fields.append((_BIBLATEX_FIELDS.get(str(name), str(name)), str(value)))
        if name == "title" and date is not None:
            fields.append(("date", date))
            date = None
    if date is not None:
        fields.append(("date", date))
    if subtype and "type" not in names:
        fields.append(("type", subtype))
    return entry_text(source.key, kind, _with_annotation(fields, status))
