"""From LaTeX-laden BibTeX values to plain data: Unicode text, names, CSL-JSON.

Kept apart from :mod:`claimtrack.sources` so that the parsing and caching code
stays readable. Nothing here touches bibtexparser; decoding uses pylatexenc,
and only for the values someone asks for (decoding a whole file is about 25
times slower than parsing it).

Example: ``decode('G{\\"o}del -- {{GPT}} \\& co')`` gives ``'Gödel – GPT & co'``.
"""

from __future__ import annotations

import re
from typing import Any

import attrs
from pylatexenc.latex2text import LatexNodes2Text

__all__ = ["Name", "decode", "verbatim", "split_names", "parse_name", "display_names", "to_csl", "balanced"]

# pylatexenc renders these logos as nothing; titles such as "{\LaTeX} for
# beginners" must keep the word.
_LOGOS = (("\\BibTeX", "BibTeX"), ("\\LaTeXe", "LaTeX2e"), ("\\LaTeX", "LaTeX"), ("\\TeX", "TeX"),
          ("\\textasciicircum{}", "^"))  # fmt: skip  # pylatexenc gives U+02C6 for the caret, not "^"
_SPACE = re.compile(r"[ \t\r\n]+")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_ESCAPED = re.compile(r"\\([_%#&$~])")
_URL_MACRO = re.compile(r"^\\(?:url|href)\s*\{(.*?)\}")
_DECODER: LatexNodes2Text | None = None
_ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z\-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$")
# Plain values (most titles) skip pylatexenc, which costs about 1 ms a call.
_NEEDS_DECODING = re.compile(r"[\\{}$~]|--|``|''")


def decode(value: str) -> str:
    """Turn a LaTeX field value into plain Unicode text.

    Accents and escapes become characters, ``--`` an en dash, braces vanish,
    and runs of spaces and newlines become one space. Bad LaTeX never raises:
    pylatexenc parses tolerantly, and anything it still rejects is returned
    with its braces removed.
    """
    global _DECODER
    if not _NEEDS_DECODING.search(value):
        return _SPACE.sub(" ", value).strip()
    for macro, word in _LOGOS:
        value = value.replace(macro, word)
    if _DECODER is None:  # built on first use: importing it is cheap, building it is not
        _DECODER = LatexNodes2Text()
    try:
        text = _DECODER.latex_to_text(value)
    except Exception:  # pylatexenc raises several unrelated types on broken input
        text = value.replace("{", "").replace("}", "")
    return _SPACE.sub(" ", text).strip()


def verbatim(value: str) -> str:
    """A URL, DOI or eprint id as written: ``\\url{}`` unwrapped, ``\\_`` and friends unescaped."""
    value = value.strip()
    match = _URL_MACRO.match(value)
    if match:
        value = match.group(1)
    while value.startswith("{") and value.endswith("}") and balanced(value[1:-1]):
        value = value[1:-1].strip()
    return _ESCAPED.sub(r"\1", value)


def split_names(value: str) -> list[str]:
    """Split an author or editor field on `` and `` outside braces, as BibTeX does."""
    if "{" not in value:  # nothing is protected: every " and " splits (the common case, done by the regex engine)
        return [n for n in (_SPACE.sub(" ", n).strip() for n in _AND.split(value)) if n]
    return _scan_names(value)


def _scan_names(value: str) -> list[str]:
    names: list[str] = []
    depth = start = 0
    pos = 0
    while pos < len(value):
        char = value[pos]
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and char.isspace():
            match = _AND.match(value, pos)
            if match:
                names.append(value[start:pos])
                start = pos = match.end()
                continue
        pos += 1
    names.append(value[start:])
    return [n for n in (_SPACE.sub(" ", n).strip() for n in names) if n]


@attrs.frozen
class Name:
    """One person or body from an author list, still in LaTeX.

    ``literal`` is set for a name wrapped whole in braces, such as
    ``{BigScience Workshop}``, which BibTeX never splits.
    """

    family: str = ""
    given: str = ""
    suffix: str = ""
    literal: str = ""

    def display(self) -> str:
        """``Family, Given`` in Unicode, or the literal name."""
        if self.literal:
            return decode(self.literal)
        family, given = decode(self.family), decode(self.given)
        if self.suffix:
            family = f"{family}, {decode(self.suffix)}"
        return f"{family}, {given}" if given else family

    def to_csl(self) -> dict[str, str]:
        """The CSL-JSON name object."""
        if self.literal:
            return {"literal": decode(self.literal)}
        out = {"family": decode(self.family)}
        if self.given:
            out["given"] = decode(self.given)
        if self.suffix:
            out["suffix"] = decode(self.suffix)
        return out


def parse_name(name: str) -> Name | None:
    """Read one BibTeX name; ``None`` for the ``others`` of "and others".

    Handles "Family, Given", "von Family, Jr, Given", "Given von Family"
    (the particle is kept with the family name) and brace-wrapped literals.
    """
    name = name.strip().rstrip(",").strip()
    if not name or name.lower() == "others":
        return None
    if name.startswith("{") and name.endswith("}") and balanced(name[1:-1]):
        return Name(literal=name[1:-1].strip())
    parts = [p.strip() for p in _split_top(name, ",")]
    if len(parts) >= 3:
        return Name(family=parts[0], suffix=parts[1], given=", ".join(parts[2:]))
    if len(parts) == 2:
        return Name(family=parts[0], given=parts[1])
    words = _split_top(name, " ")
    if len(words) == 1:
        return Name(family=words[0])
    # "Given von Family": the family name starts at the first lower-case word
    # after the first one (BibTeX's "von" part), else it is the last word.
    start = len(words) - 1
    for i in range(1, len(words) - 1):
        if _starts_lower(words[i]):
            start = i
            break
    return Name(family=" ".join(words[start:]), given=" ".join(words[:start]))


#: What a name list that ends in "and others" is shown with.
ET_AL = "et al."


def ends_with_others(value: str | None) -> bool:
    """True when a name list ends in "and others" (BibTeX's way of saying there are more authors)."""
    names = split_names(value) if value else []
    return bool(names) and names[-1].strip().rstrip(",").strip().lower() == "others"


def display_names(value: str | None) -> list[str]:
    """An author or editor field as display names ("Family, Given"), "others" left out."""
    if not value:
        return []
    return [name.display() for name in map(parse_name, split_names(value)) if name is not None]


def _split_top(text: str, sep: str) -> list[str]:
    """Split ``text`` on ``sep`` where it is not inside braces; drop empty pieces."""
    if "{" not in text:
        pieces = text.split(sep)
        return [p for p in pieces if p.strip()] if sep == " " else pieces
    return _scan_top(text, sep)


def _scan_top(text: str, sep: str) -> list[str]:
    out: list[str] = []
    depth = start = 0
    for pos, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == sep and depth == 0:
            out.append(text[start:pos])
            start = pos + 1
    out.append(text[start:])
    return [p for p in out if p.strip()] if sep == " " else out


def _starts_lower(word: str) -> bool:
    # A word whose first letter is inside braces counts as upper case, as in BibTeX.
    for char in word:
        if char == "{":
            return False
        if char.isalpha():
            return char.islower()
    return False


def balanced(text: str) -> bool:
    """True when every brace in ``text`` is closed, in order."""
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


# --- CSL-JSON ----------------------------------------------------------------

_CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "booklet": "pamphlet",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "unpublished": "manuscript",
    "patent": "patent",
    "dataset": "dataset",
    "software": "software",
}
_MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)
}


def to_csl(source: Any) -> dict[str, Any]:
    """A CSL-JSON item for ``source`` (a :class:`claimtrack.sources.Source`), all text in Unicode.

    The type follows the BibTeX type (``@misc``/``@online`` with a URL and no
    journal is a webpage); an arXiv eprint becomes ``number`` (or ``note``)
    ``arXiv:<id>``; only digit years make an ``issued`` date.
    """
    kind = source.entry_type
    journal = source.field("journal") or source.field("journaltitle")
    if kind in ("misc", "online", "electronic", "www"):
        csl_type = "webpage" if source.url and not journal else "article"
    else:
        csl_type = _CSL_TYPES.get(kind, "article")
    item: dict[str, Any] = {"id": source.key, "type": csl_type}
    if source.title is not None:
        item["title"] = source.title
    for role in ("author", "editor"):
        field = source.fields.get(role, "")
        names = [n.to_csl() for n in map(parse_name, split_names(field)) if n is not None]
        if names and ends_with_others(field):
            # CSL has no "and others"; a suffix on the last name makes every style print "Chen, M., et al.".
            last = names[-1]
            names[-1] = {**last, "suffix": f"{last['suffix']}, {ET_AL}" if last.get("suffix") else ET_AL}
            if "literal" in last:
                names[-1] = {"literal": f"{last['literal']} {ET_AL}"}
        if names:
            item[role] = names
    year = (source.year or "").strip()
    if year.isdigit():
        parts = [int(year)]
        month = (source.field("month") or "").strip().lower()
        number = _MONTHS.get(month[:3]) if month[:3] in _MONTHS else (int(month) if month.isdigit() else None)
        if number and 1 <= number <= 12:
            parts.append(number)
        item["issued"] = {"date-parts": [parts]}
    container = journal or source.field("booktitle")
    if container is None and csl_type == "webpage" and (how := source.field("howpublished")) and not how.startswith("<"):
        container = how
    if container:
        item["container-title"] = container
    for csl_name, bib_name in (
        ("volume", "volume"),
        ("publisher", "publisher"),
        ("publisher-place", "address"),
        ("edition", "edition"),
        ("ISBN", "isbn"),
        ("ISSN", "issn"),
    ):
        if (value := source.field(bib_name)) is not None:
            item[csl_name] = value
    if (pages := source.field("pages")) is not None:
        item["page"] = pages.replace("–", "-").replace("—", "-")  # CSL processors expect a hyphen range
    if not item.get("publisher") and (institution := source.field("institution") or source.field("school")):
        item["publisher"] = institution
    number = source.field("number")
    if number is not None:
        item["issue" if csl_type == "article-journal" else "number"] = number
    if source.url:
        item["URL"] = source.url
    if source.doi:
        item["DOI"] = source.doi
    if (arxiv := _arxiv(source)) is not None:
        item["note" if "number" in item else "number"] = arxiv
    return item


def _arxiv(source: Any) -> str | None:
    """``arXiv:<id>`` for an arXiv eprint, else ``None``."""
    eprint = source.eprint
    if not eprint:
        return None
    archive = (source.fields.get("archiveprefix") or source.fields.get("eprinttype") or "").strip().lower()
    if archive == "arxiv" or (not archive and _ARXIV_ID.match(eprint)):
        return eprint if eprint.lower().startswith("arxiv:") else f"arXiv:{eprint}"
    return None
