"""Crossref and OpenAlex works, as JSON or JSON lines: what each says of retractions and corrections.

A Crossref work names its updates both ways: a notice's own work lists the
papers it updates in ``update-to``; a paper's work lists the notices about
it in ``updated-by`` (each with a ``type`` and an ``updated`` date). OpenAlex
only says ``is_retracted``, with no date. API responses (``message``,
``message.items``, ``results``) are unwrapped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InvalidValueError, NoticeError
from ..nesting import load_json
from ..values import partial_date
from .matching import SourceIndex, normal_doi
from .records import Notice, NoticeKind

__all__ = ["parse_json", "read"]

#: Crossref update types -> kinds; the others (addendum, new_version, ...) are not notices of trouble.
CROSSREF_TYPES = {
    "retraction": NoticeKind.RETRACTION,
    "removal": NoticeKind.WITHDRAWAL,
    "withdrawal": NoticeKind.WITHDRAWAL,
    "correction": NoticeKind.CORRECTION,
    "corrigendum": NoticeKind.CORRECTION,
    "partial_retraction": NoticeKind.CORRECTION,
    "erratum": NoticeKind.ERRATUM,
    "expression_of_concern": NoticeKind.EXPRESSION_OF_CONCERN,
    "reinstatement": NoticeKind.REINSTATEMENT,
}


_DEEP = "a work nests only a few levels; download the file again"


def parse_json(text: str, file: str) -> Iterator[tuple[Any, int]]:
    """The JSON values in ``text`` with the line each starts on: one document, or one per line (JSON lines).

    Values are parsed as they are asked for, so a large file is never held parsed all at once. Raises
    NoticeError naming the line and column of the first thing that is not JSON.
    """
    try:
        yield load_json(text, file=file, line=1, error=NoticeError, hint=_DEEP), 1
        return
    except json.JSONDecodeError as whole:
        # "Extra data": a whole value was read and more follows, as in JSON lines; anything else is broken where it says.
        if whole.msg != "Extra data":
            raise _broken(whole, file, whole.lineno, whole.colno) from whole
    for i, line in enumerate(text.splitlines(), start=1):
        if not line or line.isspace():
            continue
        try:
            value = load_json(line, file=file, line=i, error=NoticeError, hint=_DEEP)
        except json.JSONDecodeError as e:
            raise _broken(e, file, i, e.colno) from e
        yield value, i


def _broken(error: json.JSONDecodeError, file: str, line: int, column: int) -> NoticeError:
    return NoticeError(
        f"broken JSON at column {column}: {error.msg}",
        file=file,
        line=line,
        hint="download the file again; JSON lines hold one whole work per line",
    )


def _works(value: Any, line: int) -> Iterator[tuple[dict[str, Any], int]]:
    """The work records in a parsed value: a work, a list of them, or an API response holding them."""
    if isinstance(value, list):
        for item in value:
            yield from _works(item, line)
        return
    if not isinstance(value, dict):
        yield {}, line  # reported as not a work
        return
    message = value.get("message")
    if isinstance(message, dict) and "status" in value:
        yield from _works(message.get("items", message), line)
    elif isinstance(value.get("results"), list):
        yield from _works(value["results"], line)
    elif isinstance(value.get("items"), list):
        yield from _works(value["items"], line)
    else:
        yield value, line


def kind_of(work: dict[str, Any]) -> str | None:
    """``"openalex"``, ``"crossref"`` or None for a record that is neither."""
    if "is_retracted" in work or str(work.get("id", "")).startswith("https://openalex.org/"):
        return "openalex"
    if "DOI" in work or "update-to" in work or "updated-by" in work:
        return "crossref"
    return None


def read(values: Iterable[tuple[Any, int]], file: str, index: SourceIndex) -> tuple[list[tuple[Notice, int]], int, str]:
    """The notices about the indexed sources, how many works were read, and which service they are from."""
    found: list[tuple[Notice, int]] = []
    count = 0
    origins: set[str] = set()
    for work, line in (pair for value, at in values for pair in _works(value, at)):
        origin = kind_of(work)
        if origin is None:
            raise NoticeError(
                "holds a record that is neither a Crossref work (DOI, update-to, updated-by) nor an OpenAlex work "
                "(id, is_retracted)",
                file=file,
                line=line,
                hint="import Crossref works or OpenAlex works as JSON or JSON lines",
            )
        count += 1
        origins.add(origin)
        notices = _openalex(work, index) if origin == "openalex" else _crossref(work, index, file, line)
        found.extend((notice, line) for notice in notices)
    return found, count, " and ".join(sorted(origins)) or "crossref"


def _crossref(work: dict[str, Any], index: SourceIndex, file: str, line: int) -> Iterator[Notice]:
    own = _text(work.get("DOI"))
    for relation, about_self in (("update-to", False), ("updated-by", True)):
        updates = work.get(relation) or []
        if not isinstance(updates, list):
            raise NoticeError(f"'{relation}' is not a list", file=file, line=line, hint="import the works as Crossref gives them")
        for update in updates:
            if not isinstance(update, dict):
                raise NoticeError(
                    f"an entry of '{relation}' is not an object",
                    file=file,
                    line=line,
                    hint="import the works as Crossref gives them",
                )
            other = _text(update.get("DOI"))
            paper, notice_doi = (own, other) if about_self else (other, own)
            if not index.may_cite(paper):
                continue
            kind = CROSSREF_TYPES.get(str(update.get("type", "")).lower().replace("-", "_"))
            if kind is None:
                continue
            date = _date_parts(update.get("updated"), file, line)
            record = normal_doi(notice_doi) or f"{kind.value}:{date or 'undated'}"
            for key, matched in index.match(dois=(paper,)):
                yield Notice(
                    source=key,
                    kind=kind,
                    origin="crossref",
                    record=record,
                    matched=matched,
                    date=date,
                    notice_doi=normal_doi(notice_doi),
                )


def _openalex(work: dict[str, Any], index: SourceIndex) -> Iterator[Notice]:
    if work.get("is_retracted") is not True:
        return
    ids = work.get("ids")
    if not isinstance(ids, dict):
        ids = {}
    record = _text(work.get("id")) or _text(work.get("doi")) or "unknown"
    for key, matched in index.match(dois=(_text(work.get("doi")), _text(ids.get("doi"))), pmids=(_text(ids.get("pmid")),)):
        yield Notice(
            source=key,
            kind=NoticeKind.RETRACTION,
            origin="openalex",
            record=record.rsplit("/", 1)[-1],
            matched=matched,
        )


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _date_parts(value: Any, file: str, line: int) -> str | None:
    """Crossref's ``{"date-parts": [[2023, 3, 14]]}`` as ``2023-03-14`` (or ``2023-03``, ``2023``)."""
    if value is None:
        return None
    try:
        parts = value["date-parts"][0]
        numbers = [p for p in parts if p is not None][:3]
        if not all(isinstance(p, (int, float, str)) and not isinstance(p, bool) for p in numbers):
            raise TypeError("a date part is not a number")
    except (KeyError, IndexError, TypeError, ValueError) as e:
        raise NoticeError(
            f"an update's date is not Crossref's date-parts: {json.dumps(value)[:60]}",
            file=file,
            line=line,
            hint='Crossref writes {"date-parts": [[2023, 3, 14]]}',
        ) from e
    if not numbers:
        return None
    try:
        return partial_date(*numbers)
    except InvalidValueError as e:
        shown = json.dumps(parts)[:60]
        raise NoticeError(
            f"an update's date {shown} is not a date ({e.message})", file=file, line=line, hint="check the work's record"
        ) from e
