"""RIS, as Zotero, EndNote, Mendeley and JabRef export it: records to CSL items and back.

Parsing is rispy's; before it, the text's record structure is checked line by
line (every record opens with ``TY`` and closes with ``ER``), so a broken
file is refused with the line to fix rather than read half.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import SourceError

__all__ = ["parse_ris", "dump_ris", "RIS_TYPES"]

#: RIS reference types to CSL types (anything else is a ``document``).
RIS_TYPES = {
    "JOUR": "article-journal",
    "EJOUR": "article-journal",
    "JFULL": "article-journal",
    "MGZN": "article-magazine",
    "NEWS": "article-newspaper",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "ENCYC": "entry-encyclopedia",
    "DICT": "entry-dictionary",
    "RPRT": "report",
    "STAND": "standard",
    "THES": "thesis",
    "UNPB": "manuscript",
    "MANSCPT": "manuscript",
    "ELEC": "webpage",
    "WEB": "webpage",
    "BLOG": "post-weblog",
    "DATA": "dataset",
    "COMP": "software",
    "PAT": "patent",
    "PAMP": "pamphlet",
    "GEN": "document",
}
_FROM_CSL = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "paper-conference": "CONF",
    "book": "BOOK",
    "chapter": "CHAP",
    "entry-encyclopedia": "ENCYC",
    "entry-dictionary": "DICT",
    "report": "RPRT",
    "standard": "STAND",
    "thesis": "THES",
    "manuscript": "UNPB",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "dataset": "DATA",
    "software": "COMP",
    "patent": "PAT",
    "pamphlet": "PAMP",
}
_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_DATE = re.compile(r"^\s*(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?)?)?")


def _check_structure(text: str, origin: str) -> None:
    opened: int | None = None
    records = 0
    for number, line in enumerate(text.splitlines(), start=1):
        match = _LINE.match(line.rstrip())
        if match is None:
            continue  # a continued value or a blank line
        tag = match.group(1)
        if tag == "TY":
            if opened is not None:
                raise SourceError(f"a record opens here while the one from line {opened} has no ER line", file=origin,
                                  line=number, hint="end every record with an ER line")  # fmt: skip
            opened = number
        elif tag == "ER":
            if opened is None:
                raise SourceError(
                    "an ER line closes no record", file=origin, line=number, hint="start every record with a TY line"
                )
            opened = None
            records += 1
        elif opened is None:
            raise SourceError(f"the tag {tag} is outside a record", file=origin, line=number,
                              hint="start every record with a TY line")  # fmt: skip
    if opened is not None:
        raise SourceError("the record has no ER line", file=origin, line=opened, hint="end every record with an ER line")
    if not records:
        raise SourceError("holds no RIS record", file=origin, hint="a record starts with a TY line and ends with an ER line")


def parse_ris(text: str, origin: str) -> list[dict[str, Any]]:
    """The records of a RIS text as CSL items; ``id`` is the record's ID tag when it has one."""
    try:
        import rispy
    except ImportError as e:  # pragma: no cover - the formats extra is not installed
        raise SourceError("is RIS, which needs rispy", file=origin, hint="pip install 'claimtrack[formats]'") from e
    _check_structure(text, origin)
    try:
        records = rispy.loads(text, skip_unknown_tags=True)
    except Exception as e:  # rispy raises IOError and others on what it cannot read
        raise SourceError(f"is not valid RIS: {e}", file=origin, hint="export it again from the reference manager") from e
    return [_to_csl(record, number) for number, record in enumerate(records, start=1)]


def _first(record: Mapping[str, Any], *names: str) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str) and v.strip()), None)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _person(name: str) -> dict[str, str]:
    family, comma, given = name.partition(",")
    if not comma:
        return {"literal": name.strip()}
    out = {"family": family.strip()}
    parts = [p.strip() for p in given.split(",")]
    if parts and parts[0]:
        out["given"] = parts[0]
    if len(parts) > 1 and parts[1]:
        out["suffix"] = parts[1]
    return out


def _date(value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    match = _DATE.match(value)
    if not match:
        return {"literal": value}
    return {"date-parts": [[int(g) for g in match.groups() if g]]}


def _to_csl(record: Mapping[str, Any], number: int) -> dict[str, Any]:
    ris_type = str(record.get("type_of_reference") or "GEN").strip().upper()
    kind = RIS_TYPES.get(ris_type, "document")
    item: dict[str, Any] = {"id": _first(record, "id") or f"ris-{number}", "type": kind}
    if not _first(record, "id"):
        item["_no_id"] = True  # keys for it come from --keys auto or standard
    if title := _first(record, "title", "primary_title", "translated_title"):
        item["title"] = title
    authors = [*record.get("authors", []), *record.get("first_authors", [])]
    if authors:
        item["author"] = [_person(a) for a in authors if isinstance(a, str) and a.strip()]
    if kind in ("chapter", "paper-conference", "entry-encyclopedia") and record.get("secondary_authors"):
        item["editor"] = [_person(a) for a in record["secondary_authors"] if isinstance(a, str) and a.strip()]
    if issued := _date(_first(record, "date", "publication_year", "year")):
        if "date-parts" in issued and (year := _first(record, "year", "publication_year")) and _DATE.match(year):
            parts = issued["date-parts"][0]
            if str(parts[0]) != _DATE.match(year).group(1):  # type: ignore[union-attr]
                issued = _date(year)
        item["issued"] = issued
    if container := _first(record, "secondary_title", "journal_name", "alternate_title3", "alternate_title2"):
        item["container-title"] = container
    if short := _first(record, "alternate_title1"):
        item["container-title-short"] = short
    for csl, ris in (("volume", "volume"), ("issue", "number"), ("publisher", "publisher"), ("publisher-place", "place_published"),
                     ("edition", "edition"), ("language", "language"), ("title-short", "short_title"), ("genre", "type_of_work"),
                     ("DOI", "doi")):  # fmt: skip
        if value := _first(record, ris):
            item[csl] = value
    start, end = _first(record, "start_page"), _first(record, "end_page")
    if start:
        item["page"] = f"{start}-{end}" if end and end != start else start
    if url := _first(record, "urls"):
        item["URL"] = url
    if serial := _first(record, "issn"):
        item["ISBN" if kind in ("book", "chapter") else "ISSN"] = serial
    if abstract := _first(record, "abstract", "notes_abstract"):
        item["abstract"] = abstract
    if accessed := _date(_first(record, "access_date")):
        item["accessed"] = accessed
    keywords = [k for k in record.get("keywords", []) if isinstance(k, str) and k.strip()]
    if keywords:
        item["keyword"] = ", ".join(keywords)
    return item


def dump_ris(items: Iterable[Mapping[str, Any]]) -> str:
    """CSL items as RIS text (rispy writes it)."""
    import rispy

    records = []
    for item in items:
        record: dict[str, Any] = {"type_of_reference": _FROM_CSL.get(str(item.get("type")), "GEN"), "id": str(item["id"])}
        if item.get("title"):
            record["title"] = item["title"]
        names = [_ris_name(n) for n in item.get("author", [])]
        if names:
            record["authors"] = names
        editors = [_ris_name(n) for n in item.get("editor", [])]
        if editors:
            record["secondary_authors"] = editors
        parts = (item.get("issued") or {}).get("date-parts") or [[]]
        if parts[0]:
            record["year"] = str(parts[0][0])
            record["date"] = "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts[0])) + "/" * (3 - len(parts[0]))
        elif literal := (item.get("issued") or {}).get("literal"):
            record["year"] = literal
        for csl, ris in (("container-title", "secondary_title"), ("volume", "volume"), ("issue", "number"),
                         ("publisher", "publisher"), ("publisher-place", "place_published"), ("DOI", "doi"),
                         ("abstract", "abstract"), ("ISSN", "issn"), ("ISBN", "issn"), ("language", "language")):  # fmt: skip
            if item.get(csl):
                record[ris] = str(item[csl])
        if page := item.get("page"):
            start, _, end = str(page).partition("-")
            record["start_page"] = start
            if end:
                record["end_page"] = end
        if item.get("URL"):
            record["urls"] = [item["URL"]]
        if item.get("note"):
            record["notes"] = [str(item["note"]).replace("\n", " ")]
        records.append(record)
    return str(rispy.dumps(records))


def _ris_name(name: Mapping[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    out = f"{family}, {name['given']}" if name.get("given") else family
    return f"{out}, {name['suffix']}" if name.get("suffix") else out
