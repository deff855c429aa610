"""Raw TOML-shaped data <-> records, with every problem collected.

Raw data is what ``tomli`` (or ``tomllib``) gives: dicts, lists, strings, dates. It is
checked key by key; unknown keys and wrong types are reported with the dotted
key that holds them (``revisions[2].date``), never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from itertools import repeat
from operator import is_
from typing import Any, TypeVar

import attrs

from .errors import ClaimFileError, ClaimtrackError
from .model import (
    CLAIM_PREFIX,
    Appearance,
    Claim,
    Evidence,
    Fact,
    Ignore,
    Revision,
    RevisionKind,
    Stance,
    Status,
    provides,
    to_date,
    validate_id,
)

__all__ = ["claim_from_raw", "claim_to_raw", "revision_to_raw", "revision_from_raw", "LIST_FIELDS"]

T = TypeVar("T")

#: The list-valued claim fields a revision may set, add to or remove from.
LIST_FIELDS = ("tags", "depends_on", "appearances", "facts", "evidence")
_SCALARS = ("statement", "confidence", "status", "superseded_by")

_CLAIM_KEYS = {"id", *_SCALARS, *LIST_FIELDS, "revisions", "ignore"}
_REVISION_KEYS = {
    "date", "recorded", "kind", "by", "reason", "credited", "evidence", "note", "digest", "after",
    *_SCALARS, "field", "old", "new",
    *(f"{op}_{name}" for op in ("add", "remove") for name in LIST_FIELDS),
    *(name for name in LIST_FIELDS if name != "evidence"),
}  # fmt: skip
_RECORDS: dict[str, tuple[type, tuple[str, ...], tuple[str, ...]]] = {
    # name: (class, required keys, optional keys)
    "appearances": (Appearance, ("document",), ("locator", "text", "note")),
    "facts": (Fact, ("subject", "property", "value"), ("note",)),
    "evidence": (Evidence, ("source",), ("stance", "locator", "quote", "note")),
}
_ALLOWED = {kind: frozenset((*required, *optional)) for kind, (_, required, optional) in _RECORDS.items()}
_STANCES = frozenset(Stance.__members__.values())


class _Problems:
    """Collects what is wrong with one file, keyed by the dotted path."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.items: list[ClaimtrackError] = []
        # The records read so far, by kind and items: a claim and its revisions repeat the same evidence,
        # facts and appearances, and one frozen record for each is built, pickled and held once.
        self.records: dict[tuple[str, tuple[Any, ...]], Any] = {}

    def add(self, key: str, message: str, hint: str | None = None) -> None:
        self.items.append(ClaimtrackError(message, file=self.file, key=key, hint=hint))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        first = self.items[0]
        more = f" (and {len(self.items) - 1} more problem{'s' if len(self.items) > 2 else ''})" if len(self.items) > 1 else ""
        raise ClaimFileError(first.message + more, file=self.file, key=first.key, hint=first.hint, problems=tuple(self.items))


def _text(p: _Problems, key: str, value: object, *, required: bool = False, numbers: bool = False) -> str | None:
    """A text field; a number only where ``numbers`` (a fact's value), anything else is a problem."""
    if value is None:
        if required:
            p.add(key, "is missing", "add it as a quoted string")
        return None
    if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # a fact value of 8192 reads naturally unquoted
    if not isinstance(value, str):
        p.add(key, f"must be a string, not {type(value).__name__}", "quote the value")
        return None
    if required and not value.strip():
        p.add(key, "is empty", "write a value")
    return value


def _texts(p: _Problems, key: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        p.add(key, "must be a list of strings", 'write it as ["a", "b"]')
        return ()
    texts = tuple(value)
    seen = ("texts", texts)
    return p.records.setdefault(seen, texts)  # a claim repeats its first revision's tags


def _ids(p: _Problems, key: str, value: object) -> tuple[str, ...]:
    """A list of claim ids: each must be well formed, as it may become a file name."""
    ids = _texts(p, key, value)
    for i, claim_id in enumerate(ids):
        _check_id(p, f"{key}[{i}]", claim_id)
    return ids


_DIGEST = re.compile(r"[0-9a-f]{64}")


def _digests(p: _Problems, key: str, value: object) -> tuple[str, ...]:
    """``after``: the digests of the revisions a revision was written after."""
    digests = _texts(p, key, value)
    for i, digest in enumerate(digests):
        if not _DIGEST.fullmatch(digest):
            p.add(f"{key}[{i}]", f"{digest!r} is not a digest", "a digest is 64 lower-case hex digits; restore it from git")
    return digests


def _check_id(p: _Problems, key: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return validate_id(value)
    except ClaimtrackError as e:
        p.add(key, e.message, e.hint)
        return None


def _unknown(p: _Problems, prefix: str, raw: Mapping[str, Any], allowed: set[str] | tuple[str, ...]) -> None:
    for name in raw:
        if name not in allowed:
            p.add(f"{prefix}{name}", "is not a known key", "check its spelling; known keys: " + ", ".join(sorted(allowed)))


def _records(p: _Problems, key: str, value: object, kind: str) -> tuple[Any, ...]:
    if value is None:
        return ()
    cls, required, optional = _RECORDS[kind]
    if not isinstance(value, list) or not (
        all(map(isinstance, value, repeat(dict))) or all(isinstance(v, Mapping) for v in value)
    ):
        p.add(key, "must be a list of tables", f'write each as [[{kind}]] or {{ {required[0]} = "..." }}')
        return ()
    allowed = _ALLOWED[kind]
    out = []
    for i, item in enumerate(value):
        # The common case, a record of known keys and non-blank strings, is built directly;
        # anything else goes through the checks below, which name each problem.
        # (The tests run in C, through map: this is every evidence item and fact of every file a cold load parses.)
        if (
            item.keys() <= allowed
            and all(map(is_, map(type, item.values()), repeat(str)))
            and all(map(str.strip, map(item.get, required, repeat(""))))
            and (
                kind != "evidence" or (item.get("stance", "supports") in _STANCES and not item["source"].startswith(CLAIM_PREFIX))
            )
        ):
            seen = (kind, tuple(item.items()))
            record = p.records.get(seen)
            if record is None:
                record = p.records[seen] = cls(**item)
            out.append(record)
            continue
        where = f"{key}[{i}]"
        _unknown(p, where + ".", item, (*required, *optional))
        fields: dict[str, Any] = {}
        numeric = ("value",) if kind == "facts" else ()
        for name in required:
            fields[name] = _text(p, f"{where}.{name}", item.get(name), required=True, numbers=name in numeric)
        for name in optional:
            fields[name] = _text(p, f"{where}.{name}", item.get(name), numbers=name in numeric)
        if kind == "evidence":
            source = fields["source"]
            if source and source.startswith(CLAIM_PREFIX):
                _check_id(p, f"{where}.source", source[len(CLAIM_PREFIX) :])
            stance = fields.pop("stance") or "supports"
            if stance not in _STANCES:
                p.add(f"{where}.stance", f"{stance!r} is not a stance", "use supports, contradicts or mentions")
                continue
            fields["stance"] = Stance(stance)
        if all(fields[name] for name in required):
            out.append(cls(**fields))
    return tuple(out)


def _date(p: _Problems, key: str, value: object) -> dt.date | None:
    if value is None:
        p.add(key, "is missing", "write the date as YYYY-MM-DD (unquoted)")
        return None
    try:
        return to_date(value)
    except ValueError:
        p.add(key, f"{value!r} is not a date", "write it as YYYY-MM-DD, e.g. 2022-12-11")
        return None


def _enum(p: _Problems, key: str, value: object, enum: type[T], required: bool = False) -> T | None:
    if value is None:
        if required:
            p.add(key, "is missing", "use one of " + ", ".join(enum.__members__.values()))  # type: ignore[attr-defined]
        return None
    try:
        return enum(value)  # type: ignore[call-arg]
    except ValueError:
        p.add(key, f"{value!r} is not valid", "use one of " + ", ".join(enum.__members__.values()))  # type: ignore[attr-defined]
        return None


_REVISION_TEXTS = (
    "by",
    "reason",
    "credited",
    "note",
    "digest",
    "statement",
    "confidence",
    "superseded_by",
    "field",
    "old",
    "new",
)


def _list_keys() -> tuple[tuple[str, str, str], ...]:
    """A revision's list keys in the order their problems are reported: (key in the file, field, how to read it)."""
    out = []
    for name, read in (("tags", "texts"), ("depends_on", "ids")):
        out += [(name, f"set_{name}", read), (f"add_{name}", f"add_{name}", read), (f"remove_{name}", f"remove_{name}", read)]
    for name in ("appearances", "facts", "evidence"):
        out += [(f"{op}_{name}", f"{op}_{name}", name) for op in ("add", "remove")]
    out += [(name, f"set_{name}", name) for name in ("appearances", "facts")]
    return tuple(out)


_REVISION_LISTS = _list_keys()
_REVISION_LIST_KEYS = frozenset(key for key, _, _ in _REVISION_LISTS)


def _revision(p: _Problems, where: str, raw: object) -> Revision | None:
    if not isinstance(raw, Mapping):
        p.add(where, "must be a table", "write it under [[revisions]]")
        return None
    prefix = where + "."
    _unknown(p, prefix, raw, _REVISION_KEYS)
    date = _date(p, prefix + "date", raw.get("date"))
    kind = _enum(p, prefix + "kind", raw.get("kind"), RevisionKind, required=True)
    # Only the keys the revision has are read; the others keep the record's defaults.
    fields: dict[str, Any] = {}
    if "recorded" in raw:
        fields["recorded"] = _date(p, prefix + "recorded", raw["recorded"])
    for name in _REVISION_TEXTS:
        if name in raw:
            value = raw[name]
            # A string is what _text would return as it is: no call, no key made (a cold load reads every revision).
            fields[name] = value if type(value) is str else _text(p, prefix + name, value)
    if "by" in fields:
        fields["by"] = fields["by"] or ""
    if "status" in raw:
        fields["status"] = _enum(p, prefix + "status", raw["status"], Status)
    if fields.get("superseded_by") is not None:
        _check_id(p, prefix + "superseded_by", fields["superseded_by"])
    if not _REVISION_LIST_KEYS.isdisjoint(raw):  # most later revisions change no list
        for key, field, read in _REVISION_LISTS:
            if key in raw:
                value = raw[key]
                if read == "texts":
                    fields[field] = _texts(p, prefix + key, value)
                elif read == "ids":
                    fields[field] = _ids(p, prefix + key, value)
                else:
                    fields[field] = _records(p, prefix + key, value, read)
    if "after" in raw:
        fields["after"] = _digests(p, prefix + "after", raw["after"])
    cited = raw.get("evidence")
    if kind is RevisionKind.CREATED:
        # The first revision carries the claim's whole first state, evidence records included.
        fields["set_evidence"] = _records(p, prefix + "evidence", cited, "evidence")
        for name in ("tags", "depends_on", "appearances", "facts"):
            fields.setdefault(f"set_{name}", ())
        if not fields.get("statement"):
            p.add(prefix + "statement", "is missing", "a created revision holds the claim's first statement")
        if not fields.get("confidence"):
            p.add(prefix + "confidence", "is missing", "a created revision holds the claim's first confidence")
    elif cited is not None:
        fields["evidence"] = _texts(p, prefix + "evidence", cited)
    if date is None or kind is None:
        return None
    return Revision(date=date, kind=kind, **fields)


@provides("claim_from_raw")
def claim_from_raw(raw: Mapping[str, Any], *, file: str | None = None, expected_id: str | None = None) -> Claim:
    """Validate TOML-shaped data into a :class:`Claim`; raise ClaimFileError listing every problem."""
    p = _Problems(file)
    _unknown(p, "", raw, _CLAIM_KEYS)
    claim_id = _text(p, "id", raw.get("id"), required=True)
    if claim_id:
        try:
            validate_id(claim_id)
        except ClaimtrackError as e:
            p.add("id", e.message, e.hint)
            claim_id = None
        if claim_id and expected_id and claim_id != expected_id:
            p.add("id", f"{claim_id!r} does not match the file name {expected_id!r}", "rename the file or fix the id")
    statement = _text(p, "statement", raw.get("statement"), required=True)
    confidence = _text(p, "confidence", raw.get("confidence"), required=True)
    status = _enum(p, "status", raw.get("status", "active"), Status, required=True)
    superseded_by = _text(p, "superseded_by", raw.get("superseded_by"))
    _check_id(p, "superseded_by", superseded_by)
    tags = _texts(p, "tags", raw.get("tags"))
    depends_on = _ids(p, "depends_on", raw.get("depends_on"))
    appearances = _records(p, "appearances", raw.get("appearances"), "appearances")
    facts = _records(p, "facts", raw.get("facts"), "facts")
    evidence = _records(p, "evidence", raw.get("evidence"), "evidence")
    ignore: list[Ignore] = []
    raw_ignore = raw.get("ignore", [])
    if not isinstance(raw_ignore, list):
        p.add("ignore", "must be a list of tables", 'write [[ignore]] with rule = "..." and reason = "..."')
        raw_ignore = []
    for i, item in enumerate(raw_ignore):
        if not isinstance(item, Mapping):
            p.add(f"ignore[{i}]", "must be a table", 'write { rule = "...", reason = "..." }')
            continue
        _unknown(p, f"ignore[{i}].", item, ("rule", "reason"))
        rule = _text(p, f"ignore[{i}].rule", item.get("rule"), required=True)
        reason = _text(p, f"ignore[{i}].reason", item.get("reason"), required=True)
        if rule and reason:
            ignore.append(Ignore(rule, reason))
    raw_revisions = raw.get("revisions")
    revisions: list[Revision] = []
    if raw_revisions is not None and not isinstance(raw_revisions, list):
        p.add("revisions", "must be a list of tables", "write each revision under [[revisions]]")
    elif not raw_revisions:
        p.add("revisions", "is missing", 'a claim needs at least its [[revisions]] kind = "created" entry')
    else:
        for i, item in enumerate(raw_revisions):
            revision = _revision(p, f"revisions[{i}]", item)
            if revision is not None:
                revisions.append(revision)
        if revisions and revisions[0].kind is not RevisionKind.CREATED:
            p.add("revisions[0].kind", f"is {revisions[0].kind.value!r}", 'the first revision must be kind = "created"')
        for i, revision in enumerate(revisions[1:], 1):
            if revision.kind is RevisionKind.CREATED:
                p.add(f"revisions[{i}].kind", "is 'created' again", "only the first revision is a creation")
    p.raise_if_any()
    assert claim_id and statement is not None and confidence is not None and status is not None
    return Claim(
        id=claim_id,
        statement=statement,
        confidence=confidence,
        status=status,
        superseded_by=superseded_by,
        tags=tags,
        depends_on=depends_on,
        appearances=appearances,
        facts=facts,
        evidence=evidence,
        revisions=tuple(revisions),
        ignore=tuple(ignore),
        path=file,
    )


_RECORD_FIELDS: dict[type, tuple[str, ...]] = {}


def _record_to_raw(record: Any) -> dict[str, Any]:
    names = _RECORD_FIELDS.get(type(record))
    if names is None:
        names = _RECORD_FIELDS[type(record)] = tuple(f.name for f in attrs.fields(type(record)))
    out = {}
    for name in names:
        value = getattr(record, name)
        if value is not None:
            out[name] = value.value if isinstance(value, Stance) else value
    return out


def _put(out: dict[str, Any], name: str, value: Any, convert: Callable[[Any], Any] = lambda v: v) -> None:
    if value is None or value == () or value == "":
        return
    out[name] = convert(value)


_REVISION_SCALARS = ("by", "credited", "field", "old", "new", "statement", "confidence")
_ADD_REMOVE = tuple((f"{op}_{name}", name in ("tags", "depends_on")) for name in LIST_FIELDS for op in ("add", "remove"))


@provides("revision_to_raw")
def revision_to_raw(revision: Revision) -> dict[str, Any]:
    """The revision as TOML-shaped data, in a stable key order."""
    out: dict[str, Any] = {"date": revision.date, "kind": revision.kind.value}
    if revision.recorded is not None:
        out = {"date": revision.date, "recorded": revision.recorded, "kind": revision.kind.value}
    for name in _REVISION_SCALARS:
        value = getattr(revision, name)
        if value:
            out[name] = value
    if revision.status is not None:
        out["status"] = revision.status.value
    if revision.superseded_by:
        out["superseded_by"] = revision.superseded_by
    created = revision.kind is RevisionKind.CREATED
    for name, value in (("tags", revision.set_tags), ("depends_on", revision.set_depends_on)):
        if value is not None and (value or created):
            out[name] = list(value)
    for name, value in (("appearances", revision.set_appearances), ("facts", revision.set_facts)):
        if value is not None and (value or created):
            out[name] = [_record_to_raw(v) for v in value]
    if created:
        out["evidence"] = [_record_to_raw(v) for v in revision.set_evidence or ()]
    for key, plain in _ADD_REMOVE:
        value = getattr(revision, key)
        if value:
            out[key] = list(value) if plain else [_record_to_raw(v) for v in value]
    _put(out, "reason", revision.reason)
    if not created:
        _put(out, "evidence", revision.evidence, list)
    _put(out, "note", revision.note)
    _put(out, "after", revision.after, list)
    _put(out, "digest", revision.digest)
    return out


@provides("claim_to_raw")
def claim_to_raw(claim: Claim) -> dict[str, Any]:
    """The claim as TOML-shaped data, in the order a person reads it."""
    out: dict[str, Any] = {
        "id": claim.id,
        "statement": claim.statement,
        "confidence": claim.confidence,
        "status": claim.status.value,
    }
    _put(out, "superseded_by", claim.superseded_by)
    out["tags"] = list(claim.tags)
    out["depends_on"] = list(claim.depends_on)
    if claim.ignore:
        out["ignore"] = [_record_to_raw(i) for i in claim.ignore]
    for name in ("appearances", "facts", "evidence"):
        values = getattr(claim, name)
        if values:
            out[name] = [_record_to_raw(v) for v in values]
    out["revisions"] = [revision_to_raw(r) for r in claim.revisions]
    return out


def revision_from_raw(raw: Mapping[str, Any], *, file: str | None = None) -> Revision:
    """Validate one TOML-shaped revision."""
    p = _Problems(file)
    revision = _revision(p, "revision", raw)
    p.raise_if_any()
    assert revision is not None
    return revision
