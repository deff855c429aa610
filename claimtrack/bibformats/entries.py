"""Entries ready to add: BibTeX text with its key, fields and DOI, made from CSL items or kept from BibTeX.

Keys follow one of three schemes (``--keys``):

* ``id``: the item's own ``id`` (a RIS record without an ID tag gets an ``auto`` key);
* ``standard``: Manubot's standard id, so that ``[@doi:10.1038/...]`` citations
  resolve: the ``standard_id`` in the item's note, else ``doi:`` and the DOI in
  lower case, ``arxiv:``, ``pubmed:`` or ``pmc:`` ids, else the item's id;
* ``auto``: Better BibTeX's pattern, the first author's family name, the year
  and the first word of the title that is not a function word (``fu2022gpt``),
  in lower-case ASCII; made unique when added (``fu2022gpta``, ``fu2022gptb``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from ..errors import SourceError
from .csl import arxiv_id, parse_date, text_value, to_bibtex

__all__ = ["NewEntry", "KEY_SCHEMES", "entry_from_item", "entry_text", "standard_id", "auto_key", "key_variants", "bad_key"]

KEY_SCHEMES = ("id", "standard", "auto")
_BAD_KEY = re.compile(r"[\s,{}()\"'#%=\\~]")
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "at",
        "to",
        "for",
        "from",
        "and",
        "or",
        "but",
        "with",
        "without",
        "by",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "into",
        "onto",
        "over",
        "under",
        "via",
        "about",
        "after",
        "before",
        "between",
        "through",
        "toward",
        "towards",
        "upon",
        "its",
        "their",
        "our",
        "your",
        "his",
        "her",
        "this",
        "that",
        "these",
        "those",
    ]
)
_STANDARD_ID = re.compile(r"^standard_id:\s*(\S+)\s*$", re.MULTILINE | re.IGNORECASE)


@attrs.frozen
class NewEntry:
    """One entry to add: its key, type, raw field values (as references.bib will hold them) and text.

    ``auto`` is True when the key came from the ``auto`` scheme (and may take a
    letter to be unique); ``skipped`` lists the CSL variables not carried over.
    """

    key: str
    entry_type: str
    fields: tuple[tuple[str, str], ...]
    text: str
    origin: str
    doi: str | None = None
    auto: bool = False
    skipped: tuple[str, ...] = ()

    def rekeyed(self, key: str) -> NewEntry:
        """The same entry under another key."""
        text = re.sub(r"^(@\s*\w+\s*[{(]\s*)[^,\s]+", lambda m: m.group(1) + key, self.text, count=1)
        return attrs.evolve(self, key=key, text=text)


def bad_key(key: str) -> str | None:
    """What makes ``key`` unusable as a BibTeX key, or None."""
    if not key:
        return "is empty"
    if match := _BAD_KEY.search(key):
        char = match.group()
        return f"holds {'a space' if char.isspace() else repr(char)}, which a BibTeX key cannot"
    return None


def entry_text(key: str, entry_type: str, fields: Any) -> str:
    """BibTeX text for one entry, one field a line; a month is written as its macro (``month = may``)."""
    lines = [f"@{entry_type}{{{key},"]
    for name, value in fields:
        shown = value if name == "month" and re.fullmatch(r"[a-z]{3}", value) else "{" + value + "}"
        lines.append(f"  {name} = {shown},")
    lines.append("}")
    return "\n".join(lines)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def auto_key(item: Mapping[str, Any]) -> str:
    """Better BibTeX's default key for an item: ``fu2022gpt`` (author, year, first title word)."""
    author = ""
    for person in item.get("author") or item.get("editor") or []:
        if isinstance(person, Mapping):
            name = person.get("family") or person.get("literal") or person.get("given") or ""
            words = [w for w in (_ascii_word(w) for w in str(name).split()) if w]
            author = words[0] if person.get("family") is None and words else "".join(words)
            break
    parts, literal = parse_date(item.get("issued"))
    year = str(parts[0]) if parts else re.sub(r"\D", "", literal or "")[:4]
    word = ""
    for raw in re.split(r"[\s\-:/]+", text_value(item.get("title")) or ""):
        candidate = _ascii_word(raw)
        if candidate and candidate not in _FUNCTION_WORDS:
            word = candidate
            break
    return (author + year + word) or "anon"


def standard_id(item: Mapping[str, Any]) -> str | None:
    """Manubot's standard id of an item (``doi:10.1038/nature12373``), or None when it has none."""
    own = item.get("standard_id")
    if isinstance(own, str) and own.strip():
        return own.strip()
    note = item.get("note")
    if isinstance(note, str) and (match := _STANDARD_ID.search(note)):
        return match.group(1)
    doi = item.get("DOI")
    if isinstance(doi, str) and doi.strip():
        return "doi:" + re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.IGNORECASE).lower()
    if (arxiv := arxiv_id(item)) is not None:
        return f"arxiv:{arxiv}"
    for name, prefix in (("PMID", "pubmed"), ("PMCID", "pmc")):
        value = item.get(name)
        if isinstance(value, (str, int)) and str(value).strip():
            return f"{prefix}:{str(value).strip()}"
    return None


def key_variants(base: str) -> Iterator[str]:
    """``base``, then ``basea`` ... ``basez``, ``baseaa`` ...: Better BibTeX's way of making a key unique."""
    yield base
    letters = "abcdefghijklmnopqrstuvwxyz"
    for first in ("", *letters):
        for second in letters:
            yield base + first + second


def entry_from_item(item: Mapping[str, Any], origin: str, *, keys: str = "id", abstract: bool = False,
                    standard: str | None = None) -> NewEntry:  # fmt: skip
    """The entry for one CSL item under the key scheme ``keys``; ``standard`` overrides the standard id (a DOI added by name)."""
    auto = False
    if keys == "auto" or (keys == "id" and item.get("_no_id")):
        key, auto = auto_key(item), True
    elif keys == "standard":
        key = standard or standard_id(item) or str(item.get("id", ""))
    else:
        key = str(item.get("id", "")).strip()
    if (why := bad_key(key)) is not None:
        raise SourceError(f"{origin}: the key {key!r} {why}", key=key, hint="choose keys with --keys auto (or --keys standard)")
    kind, fields, skipped = to_bibtex(item, abstract=abstract)
    doi = next((verbatim_doi(v) for n, v in fields if n == "doi"), None)
    return NewEntry(
        key=key,
        entry_type=kind,
        fields=tuple(fields),
        text=entry_text(key, kind, fields),
        origin=origin,
        doi=doi,
        auto=auto,
        skipped=tuple(s for s in skipped if not s.startswith("_")),
    )


def verbatim_doi(value: str) -> str:
    """A DOI field's value as a bare DOI in lower case, for comparing."""
    value = value.strip().strip("{}").replace("\\_", "_").replace("\\%", "%").replace("\\#", "#")
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.IGNORECASE).lower()
