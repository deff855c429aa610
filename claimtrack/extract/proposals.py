"""The reviewable proposals file, applying it all or nothing, and citing the new claims in the paper.

The file is TOML a person edits before applying it: drop a ``[[claims]]``
table to leave that sentence alone, change an ``id`` or a ``confidence``.
Its ``[documents]`` table names each paper (the key its appearances use, the
file, its title) and ``[sources] missing`` the cited keys references.bib
lacked; applying adds an entry for each (a Manubot-style ``doi:``/``arxiv:``/
``pmid:``/``url:`` key gets its identifier as a field) so every evidence key
resolves, then every claim, in one write.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..batch.build import BatchResult, Row, raise_problems
from ..errors import BatchError, ClaimtrackError, DocumentError
from ..fileio import atomic_write, read_input
from .cited import cited_sentences
from .propose import Extraction

if TYPE_CHECKING:
    from ..library import Library

__all__ = ["render_proposals", "apply_proposals", "ApplyResult", "stub_entry"]

_HEADER = """\
# Claims proposed by `claimtrack extract` from the sentences that cite sources.
# Review before applying: delete a [[claims]] table to leave its sentence alone, change an id, a confidence
# (a level of claimtrack.toml's scale), a tag or the statement. Then:
#   claimtrack extract --apply {name}          add them all, or none
#   claimtrack extract --apply {name} --cite   and cite each new claim in its sentence: [@claim:ID] or \\claim{{ID}}
"""

_IDENTIFIER_FIELDS = {"doi": "doi", "arxiv": "eprint", "pmid": "pmid", "pmcid": "pmcid", "url": "url", "isbn": "isbn"}


def _s(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def _list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_s(v) for v in values) + "]"


def _value(value: Any) -> str:
    """A TOML value: a string, a date, a list, or an inline table."""
    if isinstance(value, str):
        return _s(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{name} = {_value(item)}" for name, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return json.dumps(value)


def render_proposals(extraction: Extraction, *, name: str = "proposals.toml") -> str:
    """The proposals file's text."""
    out = [_HEADER.format(name=name)]
    for key, (path, title) in extraction.documents.items():
        out.append(f"[documents.{_s(key)}]\npath = {_s(path)}\ntitle = {_s(title)}\n")
    if extraction.missing:
        out.append(
            f"[sources]\n# cited keys not in references.bib: applying adds an entry for each\nmissing = {_list(extraction.missing)}\n"
        )
    for p in extraction.proposals:
        lines = [
            "[[claims]]",
            f"id = {_s(p.id)}",
            f"statement = {_s(p.statement)}",
            f"confidence = {_s(p.confidence)}" + (f"  # hedged: {', '.join(p.hedges)}" if p.hedges else ""),
            f"tags = {_list(p.tags)}",
        ]
        if p.date is not None:
            lines += [f"date = {p.date.isoformat()}", f"by = {_s(p.by or '')}"]
            lines.append(f"note = {_s(f'first written in commit {p.commit}; proposed from {p.path}, line {p.line}')}")
        else:
            lines.append(f"note = {_s(f'proposed from {p.path}, line {p.line}')}")
        for key in p.evidence:
            lines += ["[[claims.evidence]]", f"source = {_s(key)}", 'stance = "supports"']
            if p.locator:
                lines.append(f"locator = {_s(p.locator)}")
        lines += ["[[claims.appearances]]", f"document = {_s(p.document)}"]
        if p.locator:
            lines.append(f"locator = {_s(p.locator)}")
        lines.append(f"text = {_s(p.text)}")
        for revision in p.revisions:
            lines.append("[[claims.revisions]]")
            lines += [f"{name} = {_value(value)}" for name, value in revision.items()]
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def stub_entry(key: str, *, title: str | None = None, path: str | None = None) -> str:
    """A minimal BibTeX entry for a key a paper cites, with its identifier when the key is one (``doi:10.1/x``)."""
    fields: dict[str, str] = {}
    prefix, _, rest = key.partition(":")
    field = _IDENTIFIER_FIELDS.get(prefix.lower())
    if field and rest:
        fields[field] = rest
        if field == "eprint":
            fields["eprinttype"] = "arxiv"
    if title:
        fields["title"] = title.replace("{", "").replace("}", "")
    if path:
        fields["howpublished"] = path
    fields["note"] = "added by claimtrack extract; complete this entry"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@misc{{{key},\n{body}\n}}\n"


@attrs.frozen
class ApplyResult:
    """What applying did: the batch written, and the documents rewritten with their claim citations."""

    batch: BatchResult
    cited: tuple[str, ...] = ()


def _read(path: Path) -> dict[str, Any]:
    try:
        data = read_input(path, error=BatchError)
    except FileNotFoundError as e:
        raise BatchError("no such proposals file", file=str(path), hint="run `claimtrack extract DOC` first") from e
    except OSError as e:
        raise BatchError(f"cannot be read ({e.strerror or e})", file=str(path)) from e
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise BatchError(f"is not UTF-8 (byte {e.start})", file=str(path), hint="save it as UTF-8") from e
    except tomllib.TOMLDecodeError as e:
        raise BatchError(
            f"is not valid TOML: {str(e).split(' (at line')[0]}", file=str(path), line=getattr(e, "lineno", None)
        ) from e


def _claim_lines(text: str) -> list[int]:
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == "[[claims]]":
            lines.append(number)
    return lines


def _document_path(raw: str, proposals: Path) -> Path:
    path = Path(raw)
    if path.is_absolute() or path.exists():
        return path
    beside = proposals.parent / path
    return beside if beside.exists() else path


def apply_proposals(
    lib: Library, path: str | Path, *, cite: bool = False, by: str | None = None, date: Any = None
) -> ApplyResult:
    """Add every claim of a proposals file in one all-or-nothing write; with ``cite``, then cite each in its paper.

    Nothing is written when a claim, a source or (with ``cite``) a sentence cannot be placed.
    """
    path = Path(path)
    data = _read(path)
    file = str(path)
    unknown = sorted(set(data) - {"claims", "documents", "sources"})
    if unknown:
        raise BatchError(
            f"unknown key {unknown[0]!r}", file=file, hint="a proposals file holds [documents], [sources] and [[claims]]"
        )
    documents: Mapping[str, Any] = data.get("documents", {})
    claims = data.get("claims", [])
    if not isinstance(claims, list) or not all(isinstance(c, dict) for c in claims):
        raise BatchError("claims must be [[claims]] tables", file=file, key="claims")
    lines = _claim_lines(path.read_text(encoding="utf-8-sig"))
    rows = [Row(raw, file, lines[i] if i < len(lines) else None, where=f"claims[{i}]") for i, raw in enumerate(claims)]
    sources = lib.sources
    entries = []
    for key, doc in documents.items():
        if key not in sources and any(a.get("document") == key for c in claims for a in c.get("appearances", [])):
            entries.append(stub_entry(key, title=doc.get("title"), path=doc.get("path")))
    used = {e.get("source") for c in claims for e in c.get("evidence", []) if isinstance(e, dict)}
    used |= {
        e.get("source")
        for c in claims
        for r in c.get("revisions", []) or []
        if isinstance(r, dict)
        for e in r.get("add_evidence", []) or []
        if isinstance(e, dict)
    }
    for key in data.get("sources", {}).get("missing", []):
        if key in used and key not in sources:
            entries.append(stub_entry(key))
    rewrites = _rewrites(claims, documents, path) if cite else {}
    from ..batch import add_rows

    result = add_rows(lib, rows, bibtex="\n".join(entries), by=by, date=date, what=file)
    for target, text in rewrites.items():
        atomic_write(target, text.encode("utf-8"))
    return ApplyResult(result, tuple(str(p) for p in rewrites))


def _beside_intext(text: str, start: int, end: int, claim_id: str) -> tuple[int, str]:
    """Where a claim citation goes after an in-text key: after it, or inside the bracket that holds it (a bracket
    pandoc does not read as a citation, such as ``[@a;; @b]``, so that no bracket is opened inside another)."""
    close, reopen = text.find("]", end), text.find("[", end)
    opened, closed = text.rfind("[", 0, start), text.rfind("]", 0, start)
    if close >= 0 and (reopen < 0 or close < reopen) and opened > closed and "\n\n" not in text[opened:close]:
        return close, f"; @claim:{claim_id}"
    return end, f" [@claim:{claim_id}]"


def _final_appearances(claim: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The claim's appearances once its revisions are applied (a history brings the text up to date)."""
    current = [a for a in claim.get("appearances", []) if isinstance(a, Mapping)]
    for revision in claim.get("revisions", []) or []:
        if not isinstance(revision, Mapping):
            continue
        if revision.get("appearances") is not None:
            current = list(revision["appearances"])
        for gone in revision.get("remove_appearances", []) or []:
            current = [a for a in current if a != gone]
        current += [a for a in revision.get("add_appearances", []) or [] if isinstance(a, Mapping)]
    return current


def _rewrites(claims: Sequence[Mapping[str, Any]], documents: Mapping[str, Any], proposals: Path) -> dict[Path, str]:
    """Each paper's new text: every applied claim's citation beside its sentence's source citations."""
    wanted: dict[str, list[tuple[str, str]]] = {}
    for claim in claims:
        for appearance in _final_appearances(claim):
            key, text = appearance.get("document"), appearance.get("text")
            if isinstance(key, str) and key in documents and text:
                wanted.setdefault(key, []).append((str(claim.get("id")), text))
    problems: list[ClaimtrackError] = []
    out: dict[Path, str] = {}
    for key, items in wanted.items():
        target = _document_path(str(documents[key].get("path", "")), proposals)
        try:
            raw = read_input(target, error=DocumentError)
        except OSError as e:
            problems.append(
                DocumentError(f"cannot be read ({e.strerror or e})", file=str(target), hint="check the path in [documents]")
            )
            continue
        if not os.access(target, os.W_OK) or not os.access(target.parent, os.W_OK):
            problems.append(DocumentError("cannot be rewritten (no permission)", file=str(target), hint="check its permissions"))
            continue
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8-sig")
        sentences = {s.verbatim: s for s in cited_sentences(text, path=str(target))}
        inserts: list[tuple[int, str]] = []
        for claim_id, verbatim in items:
            sentence = sentences.get(verbatim)
            if sentence is None:
                problems.append(
                    DocumentError(
                        f"no longer holds the sentence of {claim_id!r}",
                        file=str(target),
                        hint="run `claimtrack extract` again on the document as it is now",
                    )
                )
                continue
            group = sentence.last
            if group.kind == "bracket":
                inserts.append((group.end - 1, f"; @claim:{claim_id}"))
            elif group.kind == "intext":
                inserts.append(_beside_intext(text, group.start, group.end, claim_id))
            else:
                inserts.append((group.end, f"\\claim{{{claim_id}}}"))
        for at, piece in sorted(inserts, reverse=True):
            text = text[:at] + piece + text[at:]
        out[target] = ("\ufeff" if bom else "") + text
    raise_problems(problems, str(proposals))
    return out
