"""A library as pandas DataFrames: claims, evidence, revisions, sources, findings, calibration.

Every frame has a fixed set of columns with fixed dtypes (see ``docs/frames.md``):
text is pandas' ``"string"`` dtype (missing values are ``pd.NA``; an empty text
is stored as missing), dates are ``datetime64[ns]`` at midnight, counts and
line numbers are nullable ``Int64``, flags are nullable ``boolean``, and the
closed vocabularies (confidence, status, stance, kind, severity) are categories.
Confidence is ordered by the library's scale, strongest first, so
``claims[claims.confidence >= "hypothesis"]`` means "hypothesis or stronger"
(pandas orders categories first to last, so *stronger* compares *smaller*).

List-valued fields (tags, depends_on, ...) are joined with ``"; "`` so every
frame is flat and round-trips through CSV.

    >>> frames = lib.frames()                                    # doctest: +SKIP
    >>> frames["claims"].groupby("confidence", observed=False).size()  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .changelog.calibration import calibration
from .csvcells import neutralise, requote, restore
from .errors import ClaimtrackError
from .fileio import read_input
from .history import render_markdown, states_before
from .model import DEFAULT_SCALE, ConfidenceScale, RevisionKind, Stance, Status

if TYPE_CHECKING:
    from .readable import ReadableLibrary

__all__ = [
    "frames",
    "read_frames",
    "frame_text",
    "load_findings",
    "COLUMNS",
    "FRAME_NAMES",
    "SEVERITIES",
    "JOIN",
]

FRAME_NAMES = ("claims", "evidence", "revisions", "sources", "findings", "calibration")
SEVERITIES = ("error", "warning", "info")
JOIN = "; "

# Column -> dtype kind. "confidence" and the other vocabularies are resolved to
# categories by _categories(); everything else is a pandas dtype name.
COLUMNS: dict[str, dict[str, str]] = {
    "claims": {
        "id": "string",
        "statement": "string",
        "confidence": "confidence",
        "status": "status",
        "superseded_by": "string",
        "tags": "string",
        "depends_on": "string",
        "dependents": "string",
        "evidence": "Int64",
        "supporting": "Int64",
        "contradicting": "Int64",
        "mentioning": "Int64",
        "min_support": "Int64",
        "meets_minimum": "boolean",
        "revisions": "Int64",
        "changes": "Int64",
        "created": "datetime64[ns]",
        "updated": "datetime64[ns]",
        "file": "string",
    },
    "evidence": {
        "claim": "string",
        "position": "Int64",
        "source": "string",
        "stance": "stance",
        "locator": "string",
        "quote": "string",
        "note": "string",
        "is_claim": "boolean",
        "known": "boolean",
    },
    "revisions": {
        "claim": "string",
        "index": "Int64",
        "date": "datetime64[ns]",
        "kind": "kind",
        "by": "string",
        "credited": "string",
        "reason": "string",
        "change": "string",
        "field": "string",
        "old": "string",
        "new": "string",
        "evidence": "string",
        "note": "string",
        "digest": "string",
        "recorded": "datetime64[ns]",
    },
    "sources": {
        "key": "string",
        "entry_type": "string",
        "title": "string",
        "authors": "string",
        "year": "string",
        "container": "string",
        "url": "string",
        "doi": "string",
        "eprint": "string",
        "line": "Int64",
        "cited_by": "Int64",
        "claims": "string",
        "notice": "string",
    },
    "findings": {
        "rule": "string",
        "severity": "severity",
        "claim": "string",
        "source": "string",
        "message": "string",
        "file": "string",
        "line": "Int64",
        "hint": "string",
    },
    "calibration": {
        "confidence": "confidence",
        "claims": "Int64",
        "corrected": "Int64",
        "hedged": "Int64",
        "retracted": "Int64",
        "strengthened": "Int64",
        "changed": "Int64",
        "share": "Float64",
        "median_days": "Float64",
    },
}


def _categories(kind: str, levels: Sequence[str]) -> pd.CategoricalDtype | None:
    if kind == "confidence":
        return pd.CategoricalDtype(list(levels), ordered=True)
    if kind == "status":
        return pd.CategoricalDtype([s.value for s in Status], ordered=False)
    if kind == "stance":
        return pd.CategoricalDtype([s.value for s in Stance], ordered=False)
    if kind == "kind":
        return pd.CategoricalDtype([k.value for k in RevisionKind], ordered=False)
    if kind == "severity":
        return pd.CategoricalDtype(list(SEVERITIES), ordered=True)
    return None


def _text(value: Any) -> Any:
    """A cell of a "string" column: empty text and None are missing."""
    if value is None:
        return pd.NA
    if isinstance(value, (list, tuple)):
        value = JOIN.join(str(v) for v in value)
    elif hasattr(value, "value") and isinstance(value.value, str):  # enums
        value = value.value
    value = str(value)
    return value if value else pd.NA


#: The days a ``datetime64[ns]`` column can hold.
_FIRST_DAY, _LAST_DAY = dt.date(1677, 9, 22), dt.date(2262, 4, 11)


def _holdable(value: object) -> bool:
    day = value.date() if isinstance(value, dt.datetime) else value
    return isinstance(day, dt.date) and _FIRST_DAY <= day <= _LAST_DAY


def _frame(name: str, rows: list[dict[str, Any]], levels: Sequence[str]) -> pd.DataFrame:
    """Build one frame with exactly its documented columns and dtypes."""
    data: dict[str, Any] = {}
    for column, kind in COLUMNS[name].items():
        values = [row.get(column) for row in rows]
        category = _categories(kind, levels)
        if category is not None:
            data[column] = pd.Categorical([None if v is None else _text(v) for v in values], dtype=category)
        elif kind == "string":
            data[column] = pd.array([_text(v) for v in values], dtype="string")
        elif kind == "datetime64[ns]":
            # A date pandas cannot hold (before 1677 or after 2262, in a hand-written file; the audit reports it) is missing.
            data[column] = pd.to_datetime(
                pd.Series([v if _holdable(v) else pd.NaT for v in values], dtype=object), errors="coerce"
            ).astype(kind)
        else:
            data[column] = pd.array([pd.NA if v is None else v for v in values], dtype=kind)
    return pd.DataFrame(data, columns=list(COLUMNS[name]))


def load_findings(lib: ReadableLibrary) -> list[Any] | None:
    """The audit's findings, or None when this installation has no audit module."""
    try:
        from . import audit as _audit  # noqa: F401
    except ImportError:
        return None
    return list(lib.audit())


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") and isinstance(value.value, str) else value


def _scale_levels(scale: ConfidenceScale, seen: Iterable[str]) -> list[str]:
    """The scale's levels, strongest first, then any unknown level found in the data."""
    levels = list(scale.names)
    for value in seen:
        if value and value not in levels:
            levels.append(value)
    return levels


def frames(lib: ReadableLibrary, *, findings: list[Any] | None = None) -> dict[str, pd.DataFrame]:
    """The library's six DataFrames, keyed by name (see ``FRAME_NAMES``).

    ``findings`` reuses an audit already run; by default the audit runs here.
    """
    loaded = lib.claims  # once: each read of lib.claims checks that the files did not change
    claims = [loaded[i] for i in sorted(loaded)]
    scale = lib.settings.scale
    levels = _scale_levels(scale, (c.confidence for c in claims))
    dependents: dict[str, list[str]] = {}
    for claim in claims:
        for other in claim.depends_on:
            dependents.setdefault(other, []).append(claim.id)
    sources = lib.sources
    cited: dict[str, list[str]] = {}

    claim_rows, evidence_rows, revision_rows = [], [], []

    for claim in claims:
        counts = {s: 0 for s in Stance}
        for position, item in enumerate(claim.evidence):
            counts[item.stance] += 1
            if not item.is_claim:
                cited.setdefault(item.source, [])
                if claim.id not in cited[item.source]:
                    cited[item.source].append(claim.id)
            evidence_rows.append(
                {
                    "claim": claim.id,
                    "position": position,
                    "source": item.source,
                    "stance": item.stance,
                    "locator": item.locator,
                    "quote": item.quote,
                    "note": item.note,
                    "is_claim": item.is_claim,
                    "known": (item.claim_id in loaded) if item.is_claim else (item.source in sources),
                }
            )
        minimum = scale[claim.confidence].min_support if claim.confidence in scale else None
        for index, (revision, before) in enumerate(zip(claim.revisions, states_before(claim), strict=True)):
            revision_rows.append(
                {
                    "claim": claim.id,
                    "index": index,
                    "date": revision.date,
                    "kind": revision.kind,
                    "by": revision.by,
                    "credited": revision.credited,
                    "reason": revision.reason,
                    "change": render_markdown(revision, before),
                    "field": revision.field or ("statement" if revision.is_span_edit else None),
                    "old": revision.old,
                    "new": revision.new,
                    "evidence": revision.evidence,
                    "note": revision.note,
                    "digest": revision.digest,
                    "recorded": revision.recorded,
                }
            )
        claim_rows.append(
            {
                "id": claim.id,
                "statement": claim.statement,
                "confidence": claim.confidence,
                "status": claim.status,
                "superseded_by": claim.superseded_by,
                "tags": claim.tags,
                "depends_on": claim.depends_on,
                "dependents": dependents.get(claim.id, ()),
                "evidence": len(claim.evidence),
                "supporting": counts[Stance.SUPPORTS],
                "contradicting": counts[Stance.CONTRADICTS],
                "mentioning": counts[Stance.MENTIONS],
                "min_support": minimum,
                "meets_minimum": None if minimum is None else counts[Stance.SUPPORTS] >= minimum,
                "revisions": len(claim.revisions),
                "changes": sum(1 for r in claim.revisions if r.changes_content),
                "created": claim.created,
                "updated": claim.updated,
                "file": f"claims/{claim.id}.toml",
            }
        )

    source_rows = []
    notices = lib.notices
    for key in sources:
        source = sources[key]
        source_rows.append(
            {
                "key": key,
                "entry_type": source.entry_type,
                "title": source.title,
                "authors": source.author_list,
                "year": source.year,
                "container": source.container,
                "url": source.url,
                "doi": source.doi,
                "eprint": source.eprint,
                "line": source.line or None,
                "cited_by": len(cited.get(key, ())),
                "claims": cited.get(key, ()),
                "notice": notices.summary(key),
            }
        )

    if findings is None:
        findings = load_findings(lib) or []
    finding_rows = [{name: _plain(getattr(f, name, None)) for name in COLUMNS["findings"]} for f in findings]
    return {
        "claims": _frame("claims", claim_rows, levels),
        "evidence": _frame("evidence", evidence_rows, levels),
        "revisions": _frame("revisions", revision_rows, levels),
        "sources": _frame("sources", source_rows, levels),
        "findings": _frame("findings", finding_rows, levels),
        "calibration": _frame("calibration", [row.as_dict() for row in calibration(lib, levels)], levels),
    }


# -- files --------------------------------------------------------------------


def frame_text(df: pd.DataFrame, fmt: str) -> str:
    """One frame as CSV (dates as YYYY-MM-DD) or JSON (pandas' table orient, which keeps dtypes).

    CSV text cells that a spreadsheet would run as a formula are neutralised (see
    :mod:`claimtrack.csvcells`; ``read_frames`` restores them); JSON keeps the exact text.
    """
    if fmt == "csv":
        text_columns = [c for c in df.columns if str(df[c].dtype) in ("string", "object")]
        safe = df.assign(**{c: df[c].map(_neutralised, na_action="ignore") for c in text_columns})
        return requote(safe.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\r\n"))
    if fmt == "json":
        return df.to_json(orient="table", index=False, date_format="iso", force_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown frame format {fmt!r}; use csv or json")


def _neutralised(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) else value


def read_frames(
    directory: str | Path,
    fmt: str = "csv",
    *,
    scale: ConfidenceScale | Sequence[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Load frames written by ``claimtrack report --format csv|json`` back with their dtypes.

    JSON files carry their own schema. CSV does not: confidence levels are
    ordered by ``scale`` (a scale or level names, strongest first; default the
    default scale), with unknown levels appended in the order found.

    >>> frames = read_frames("report", "csv")                    # doctest: +SKIP
    """
    directory = Path(directory)
    out: dict[str, pd.DataFrame] = {}
    for name in FRAME_NAMES:
        path = directory / f"{name}.{fmt}"
        try:
            text = read_input(path).decode("utf-8")  # bytes decoded: a carriage return in a cell stays one
        except FileNotFoundError as e:
            raise ClaimtrackError("is missing", file=path, hint=f"write it with `claimtrack report --format {fmt}`") from e
        if fmt == "json":
            out[name] = _read_json(text, name)
        elif fmt == "csv":
            out[name] = _read_csv(text, name, scale)
        else:
            raise ValueError(f"unknown frame format {fmt!r}; use csv or json")
    return out


def _read_json(text: str, name: str) -> pd.DataFrame:
    df = pd.read_json(io.StringIO(text), orient="table")
    for column, kind in COLUMNS[name].items():
        if kind == "datetime64[ns]":
            df[column] = df[column].astype(kind)
    return df.reset_index(drop=True)


def _read_csv(text: str, name: str, scale: ConfidenceScale | Sequence[str] | None) -> pd.DataFrame:
    columns = COLUMNS[name]
    dtypes = {
        c: ("string" if k in ("string", "datetime64[ns]") or _categories(k, ()) is not None else k) for c, k in columns.items()
    }
    # Only an empty cell is missing: a claim may well say "NA" or "null".
    df = pd.read_csv(io.StringIO(text), dtype=dtypes, keep_default_na=False, na_values={c: [""] for c in columns})
    for column, kind in columns.items():
        if kind == "string":
            df[column] = df[column].map(restore, na_action="ignore").astype("string")
    names = scale.names if isinstance(scale, ConfidenceScale) else tuple(scale or DEFAULT_SCALE.names)
    for column, kind in columns.items():
        if kind == "datetime64[ns]":
            df[column] = pd.to_datetime(df[column], format="%Y-%m-%d", errors="coerce").astype(kind)
        elif kind == "confidence":
            levels = _scale_levels(ConfidenceScale(()), [*names, *df[column].dropna()])
            df[column] = pd.Categorical(
                df[column].astype(object).where(df[column].notna(), None), dtype=_categories(kind, levels)
            )
        elif (category := _categories(kind, ())) is not None:
            df[column] = pd.Categorical(df[column].astype(object).where(df[column].notna(), None), dtype=category)
    return df
