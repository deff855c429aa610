"""Batch files read into rows: CSV, JSON lines and TOML (ClaimReview JSON-LD lives in :mod:`.claimreview`).

* **TOML**: ``[[claims]]`` tables in a claim file's own shape (``id``,
  ``statement``, ``confidence``, ``tags``, ``depends_on``, ``[[claims.evidence]]``,
  ``[[claims.appearances]]``, ``[[claims.facts]]``), with the first revision's
  ``date``, ``by`` and ``note`` and the later ``[[claims.revisions]]``.
* **JSON lines**: one such table a line, as a JSON object.
* **CSV**: a header row, then one row a claim; a row repeating an id seen above
  is a revision of that claim (see :data:`CSV_COLUMNS`).

Every reader returns :class:`~.build.Row` records with their line, and raises
one :class:`~claimtrack.errors.BatchError` naming each row it cannot read.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from collections.abc import Mapping
from typing import Any

from ..errors import ClaimtrackError
from .build import Row, raise_problems

__all__ = ["read_csv", "read_jsonl", "read_json_list", "read_toml", "CSV_COLUMNS"]

#: The columns a CSV batch may have. On a claim's first row they give its first state; on a later row with the
#: same id, a revision: ``statement`` a whole new statement, ``old``/``new`` a span edit, ``confidence`` a new
#: level, ``evidence`` the keys the change rests on.
CSV_COLUMNS = (
    "id",
    "statement",
    "confidence",
    "tags",
    "depends_on",
    "evidence",
    "contradicts",
    "mentions",
    "locator",
    "document",
    "document_locator",
    "document_text",
    "date",
    "by",
    "note",
    "kind",
    "reason",
    "old",
    "new",
    "credited",
)
_FIRST_ONLY = ("tags", "depends_on", "contradicts", "mentions", "locator", "document", "document_locator", "document_text")
_REVISION_ONLY = ("kind", "reason", "old", "new", "credited")
_SPLIT = re.compile(r"\s*;\s*")


def _list(value: str) -> list[str]:
    return [part for part in _SPLIT.split(value.strip()) if part]


def read_csv(text: str, *, file: str) -> list[Row]:
    """Rows from CSV text; the header names the columns (:data:`CSV_COLUMNS`, any order)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[ClaimtrackError] = []
    try:
        header = next(reader)
    except StopIteration:
        raise_problems([ClaimtrackError("is empty", file=file, hint="write a header row: id,statement,...")], file)
        return []
    except csv.Error as e:
        raise_problems([ClaimtrackError(f"is not CSV ({e})", file=file, line=1)], file)
        return []
    columns = [name.strip().lower().lstrip("\ufeff") for name in header]
    unknown = [name for name in columns if name not in CSV_COLUMNS]
    if unknown:
        raise_problems(
            [
                ClaimtrackError(
                    f"unknown column {unknown[0]!r}", file=file, line=1, hint="the columns are " + ", ".join(CSV_COLUMNS)
                )
            ],
            file,
        )
    for needed in ("id", "statement"):
        if needed not in columns:
            raise_problems([ClaimtrackError(f"has no {needed!r} column", file=file, line=1, hint="add it to the header")], file)
    rows: dict[str, tuple[int, dict[str, Any]]] = {}
    order: list[str] = []
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            problems.append(ClaimtrackError(f"is not CSV ({e})", file=file, line=line, hint="check the quotes on that row"))
            break
        start, line = line, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(columns):
            problems.append(ClaimtrackError(f"has {len(values)} cells for {len(columns)} columns", file=file, line=start))
            continue
        cells = {name: value.strip() for name, value in zip(columns, values, strict=False) if value.strip()}
        claim_id = cells.get("id", "")
        if claim_id in rows:
            first_line, raw = rows[claim_id]
            misplaced = [name for name in _FIRST_ONLY if name in cells]
            if misplaced:
                problems.append(
                    ClaimtrackError(
                        f"column {misplaced[0]!r} is for a claim's first row, not a revision",
                        file=file,
                        line=start,
                        key=claim_id,
                        hint=f"move it to line {first_line}, or leave it empty",
                    )
                )
                continue
            raw.setdefault("revisions", []).append(_revision(cells))
            continue
        misplaced = [name for name in _REVISION_ONLY if name in cells and not (name == "kind" and cells[name] == "created")]
        if misplaced:
            problems.append(
                ClaimtrackError(
                    f"column {misplaced[0]!r} is for a revision row, not a claim's first row",
                    file=file,
                    line=start,
                    key=claim_id or None,
                    hint="a later row with the same id records a revision",
                )
            )
            continue
        rows[claim_id] = (start, _first(cells))
        order.append(claim_id)
    raise_problems(problems, file)
    return [Row(rows[claim_id][1], file, rows[claim_id][0]) for claim_id in order]


def _first(cells: Mapping[str, str]) -> dict[str, Any]:
    raw: dict[str, Any] = {name: cells[name] for name in ("id", "statement", "confidence", "date", "by", "note") if name in cells}
    for name in ("tags", "depends_on"):
        if name in cells:
            raw[name] = _list(cells[name])
    evidence = []
    for column, stance in (("evidence", "supports"), ("contradicts", "contradicts"), ("mentions", "mentions")):
        for key in _list(cells.get(column, "")):
            item = {"source": key, "stance": stance}
            if "locator" in cells:
                item["locator"] = cells["locator"]
            evidence.append(item)
    if evidence:
        raw["evidence"] = evidence
    if "document" in cells:
        appearance = {"document": cells["document"]}
        for column, key in (("document_locator", "locator"), ("document_text", "text")):
            if column in cells:
                appearance[key] = cells[column]
        raw["appearances"] = [appearance]
    return raw


def _revision(cells: Mapping[str, str]) -> dict[str, Any]:
    raw: dict[str, Any] = {"kind": cells.get("kind") or ("correction" if "old" in cells or "statement" in cells else "")}
    for name in ("date", "by", "note", "reason", "credited", "old", "new", "statement"):
        if name in cells:
            raw[name] = cells[name]
    if "confidence" in cells:
        raw["confidence"] = cells["confidence"]
        raw["kind"] = raw["kind"] or "confidence"
    if "evidence" in cells:
        raw["evidence"] = _list(cells["evidence"])
    if not raw["kind"]:
        raw["kind"] = "review"
    return raw


def read_jsonl(text: str, *, file: str) -> list[Row]:
    """Rows from JSON lines: one object a line, blank lines skipped."""
    rows, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as e:
            message = e.msg if isinstance(e, json.JSONDecodeError) else "is nested too deeply"
            problems.append(ClaimtrackError(f"is not JSON ({message})", file=file, line=number, hint="write one object a line"))
            continue
        if not isinstance(raw, dict):
            problems.append(
                ClaimtrackError("is not a JSON object", file=file, line=number, hint='write {"id": ..., "statement": ...}')
            )
            continue
        rows.append(Row(raw, file, number))
    raise_problems(problems, file)
    return rows


def read_json_list(text: str, *, file: str) -> list[Row]:
    """Rows from a JSON list of claim objects (each row named by its place: ``claims[3]``)."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as e:
        line = e.lineno if isinstance(e, json.JSONDecodeError) else None
        message = e.msg if isinstance(e, json.JSONDecodeError) else "is nested too deeply"
        raise_problems([ClaimtrackError(f"is not JSON ({message})", file=file, line=line, hint="fix the JSON")], file)
        return []
    problems = [
        ClaimtrackError(f"claims[{i}] is not a JSON object", file=file, hint='write {"id": ..., "statement": ...}')
        for i, item in enumerate(data)
        if not isinstance(item, dict)
    ]
    raise_problems(problems, file)
    return [Row(item, file, None, where=f"claims[{i}]") for i, item in enumerate(data)]


_CLAIMS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*claims[ \t]*\]\]", re.MULTILINE)


def read_toml(text: str, *, file: str) -> list[Row]:
    """Rows from a TOML file of ``[[claims]]`` tables; each row's line is its table's header."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line = getattr(e, "lineno", None)
        message = str(getattr(e, "msg", e)).split(" (at line")[0]
        raise_problems([ClaimtrackError(f"is not valid TOML: {message}", file=file, line=line, hint="fix the TOML")], file)
        return []
    except RecursionError:
        raise_problems([ClaimtrackError("is nested too deeply", file=file, hint="remove the nesting")], file)
        return []
    unknown = sorted(set(data) - {"claims"})
    if unknown:
        raise_problems(
            [ClaimtrackError(f"unknown key {unknown[0]!r}", file=file, hint="a batch file holds [[claims]] tables only")], file
        )
    claims = data.get("claims", [])
    if not isinstance(claims, list) or not all(isinstance(c, dict) for c in claims):
        raise_problems([ClaimtrackError("claims must be [[claims]] tables", file=file, key="claims")], file)
    lines = [text.count("\n", 0, m.start()) + 1 for m in _CLAIMS_HEADER.finditer(text)]
    return [Row(raw, file, lines[i] if i < len(lines) else None, where=f"claims[{i}]") for i, raw in enumerate(claims)]
