"""Reading a bibliography file in any of the formats users keep: which one it is, and its items.

:func:`read_bibliography` tells BibTeX/BibLaTeX, CSL-JSON, CSL-YAML and RIS
apart (by content first, then by the file name) and returns either BibTeX
text (kept as written) or a list of CSL items (RIS records are turned into
CSL items here). Every refusal is one :class:`~claimtrack.errors.SourceError`
naming the file, the line or the item, and what to do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import attrs

from ..errors import SourceError
from .ris import parse_ris

__all__ = ["Bibliography", "read_bibliography", "detect_format", "FORMATS", "MAX_BYTES"]

#: The input formats, as ``--from`` names them.
FORMATS = ("bibtex", "csljson", "cslyaml", "ris")
#: Files larger than this are refused before they are parsed: a bibliography of 100,000 entries is about 50 MB.
MAX_BYTES = 64 << 20

_SUFFIXES = {
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".biblatex": "bibtex",
    ".json": "csljson",
    ".csljson": "csljson",
    ".yaml": "cslyaml",
    ".yml": "cslyaml",
    ".ris": "ris",
}
_RIS_TAG = re.compile(r"^TY  -", re.MULTILINE)
_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_YAML_START = re.compile(r"\A(?:---[ \t]*\n|references\s*:|-\s+id\s*:|-\s*\n\s+id\s*:)")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HTML = re.compile(r"\A\s*<(?:!doctype|html|head|body|\?xml)", re.IGNORECASE)


@attrs.frozen
class Bibliography:
    """What a file held: its format and either ``bibtex`` text or CSL ``items``."""

    format: str
    origin: str
    bibtex: str = ""
    items: tuple[Mapping[str, Any], ...] = ()


def detect_format(text: str, name: str = "") -> str | None:
    """``bibtex``, ``csljson``, ``cslyaml`` or ``ris`` for this text (and file name), ``html`` for a web page, else None."""
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    if _HTML.match(head):
        return "html"
    if head[:1] in "[{" and head:
        return "csljson"
    if _RIS_TAG.search(text[:65536]):
        return "ris"
    if _YAML_START.match(head):
        return "cslyaml"
    if _BIBTEX_ENTRY.search(text[:65536]):
        return "bibtex"
    dot = name.rfind(".")
    return _SUFFIXES.get(name[dot:].lower()) if dot >= 0 else None


def read_bibliography(data: bytes | str, origin: str, *, fmt: str | None = None) -> Bibliography:
    """The entries of ``data`` (named ``origin`` in errors); ``fmt`` forces a format instead of detecting it."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise _too_large(origin, len(data))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = data.count(b"\n", 0, e.start) + 1
            raise SourceError(f"is not UTF-8 (byte {e.start})", file=origin, line=line, hint="save it as UTF-8") from e
    else:
        text = data.removeprefix("\ufeff")
    kind = fmt or detect_format(text, origin)
    if kind == "html":
        raise SourceError(
            "is a web page (HTML), not BibTeX, CSL-JSON, CSL-YAML or RIS",
            file=origin,
            hint="give the address of the export itself (Better BibTeX: right-click a collection, Download Better BibTeX export)",
        )
    if kind == "bibtex":
        return Bibliography("bibtex", origin, bibtex=text)
    if kind == "csljson":
        return Bibliography("csljson", origin, items=tuple(_checked_items(_json(text, origin), origin)))
    if kind == "cslyaml":
        return Bibliography("cslyaml", origin, items=tuple(_checked_items(_yaml(text, origin), origin)))
    if kind == "ris":
        return Bibliography("ris", origin, items=tuple(parse_ris(text, origin)))
    # Anything else is read as BibTeX, whose reader says what it found (text with no entry, a block that does not parse).
    return Bibliography("bibtex", origin, bibtex=text)


def _too_large(origin: str, size: int) -> SourceError:
    return SourceError(
        f"is {size / (1 << 20):.0f} MB, more than the {MAX_BYTES >> 20} MB a bibliography file may have",
        file=origin,
        hint="split it into smaller files",
    )


def _json(text: str, origin: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise SourceError(
            f"is not valid JSON: {e.msg} (column {e.colno})", file=origin, line=e.lineno, hint="fix the JSON"
        ) from e
    except RecursionError as e:
        raise SourceError("is nested too deeply to read", file=origin, hint="a CSL-JSON file is a list of flat items") from e


def _yaml(text: str, origin: str) -> Any:
    try:
        import yaml
    except ImportError as e:  # pragma: no cover - the formats extra is not installed
        raise SourceError(
            "is CSL-YAML, which needs PyYAML", file=origin, hint="pip install 'claimtrack[formats]', or convert it to CSL-JSON"
        ) from e
    if match := _FRONT_MATTER.match(text):  # a Markdown file's front matter: only that part is YAML
        text = match.group(1)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or "cannot be parsed"
        line = mark.line + 1 if mark is not None else None
        raise SourceError(f"is not valid YAML: {problem}", file=origin, line=line, hint="fix the YAML") from e
    except RecursionError as e:
        raise SourceError("is nested too deeply to read", file=origin, hint="a CSL-YAML file is a list of flat items") from e
    if isinstance(data, Mapping) and "references" in data:
        data = data["references"]
    return data


def _checked_items(data: Any, origin: str) -> list[Mapping[str, Any]]:
    """The items of a CSL document (a list, or one item), each a mapping with an id used once."""
    if isinstance(data, Mapping) and isinstance(data.get("items"), list):
        data = data["items"]  # the Zotero web API's {"items": [...]}
    items = [data] if isinstance(data, Mapping) else data
    if not isinstance(items, list):
        raise SourceError("holds no CSL items", file=origin, hint="a CSL file is a list of items, each with an id and a type")
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        where = f"item {number}"
        if not isinstance(item, Mapping):
            raise SourceError(f"{where} is not an object", file=origin, hint="each CSL item is a {...} with an id and a type")
        ident = item.get("id")
        if isinstance(ident, int) and not isinstance(ident, bool):
            ident = str(ident)
        if not isinstance(ident, str) or not ident.strip():
            title = item.get("title")
            about = f" ({str(title)[:60]!r})" if isinstance(title, str) else ""
            raise SourceError(f"{where}{about} has no id", file=origin, hint="give every item an id, as CSL requires")
        if ident in seen:
            raise SourceError(
                f"items {seen[ident]} and {number} have the same id", file=origin, key=ident, hint="give each item its own id"
            )
        seen[ident] = number
        for name in ("title", "container-title", "volume", "issue", "page", "DOI", "URL", "publisher"):
            value = item.get(name)
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                continue  # a list of strings: the first one is taken
            if value is not None and not isinstance(value, (str, int, float)):
                raise SourceError(f"{where}: {name} is a {type(value).__name__}, not text", file=origin, key=ident,
                                  hint="write it as a string")  # fmt: skip
    return list(items)
