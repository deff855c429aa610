"""The BibTeX sources of a library: reading references.bib, adding to it, CSL-JSON.

This is the only module that touches bibtexparser. Three rules shape it:

* **Read everything, crash on nothing.** Malformed blocks, duplicate keys,
  keys that differ only in letter case and entries with a repeated field
  become :class:`SourceProblem` records, collected all at once.
* **Decode lazily.** Values are kept as written; LaTeX becomes Unicode only
  when a field is asked for (:meth:`Source.field`).
* **Never re-serialise.** :meth:`Sources.add` appends the new entries' own text
  to the end of the file; every other byte stays as it was.

A parsed file is cached (``.claimtrack/sources.cache``, keyed by the file's
size, mtime and sha256), so a warm load costs a read, a hash and an unmarshal.

>>> sources = Sources.load(Path("references.bib"))           # doctest: +SKIP
>>> sources["brown2020language"].title                        # doctest: +SKIP
'Language Models are Few-Shot Learners'
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import marshal
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock

from .errors import ClaimtrackError, SourceError, SourceNotFoundError
from .fileio import atomic_write
from .latex import ET_AL, display_names, ends_with_others, to_csl, verbatim

# decode is imported as _decode: Source.field's ``decode`` keyword would shadow it.
from .latex import decode as _decode

__all__ = ["Source", "SourceProblem", "Sources", "PROBLEM_KINDS"]

PROBLEM_KINDS = ("parse-failed", "duplicate-key", "case-collision", "duplicate-field", "missing-field")
CACHE_NAME = "sources.cache"
# Bump when the cached row layout changes; the bibtexparser version is part of
# the key too, since a new parser may read the same bytes differently.
_CACHE_FORMAT = 1
_KEY_IN_RAW = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()]+)\s*,")

# A row is the plain, marshal-able form of one entry:
# (key, entry_type, ((field, value), ...), line, raw)
_Row = tuple[str, str, tuple[tuple[str, str], ...], int, str]


class _Fields(Mapping[str, str]):
    """A read-only, hashable field-name -> raw value mapping (names lower-case)."""

    __slots__ = ("_dict",)

    def __init__(self, items: Any = ()) -> None:
        self._dict: dict[str, str] = {}
        for name, value in items.items() if isinstance(items, Mapping) else items:
            self._dict.setdefault(str(name).lower(), str(value))  # the first of a repeated name wins, as in BibTeX

    def __getitem__(self, name: str) -> str:
        return self._dict[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict)

    def __len__(self) -> int:
        return len(self._dict)

    def __hash__(self) -> int:
        return hash(frozenset(self._dict.items()))  # order-free, like Mapping's __eq__

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._dict!r})"


@attrs.frozen
class Source:
    """One BibTeX entry, as written in the file.

    ``fields`` holds the raw values (outer braces or quotes removed, ``@string``
    macros resolved, LaTeX untouched) under lower-case names; ``line`` is
    1-based; ``raw`` is the entry's exact text.
    """

    key: str
    entry_type: str = attrs.field(converter=lambda value: str(value).lower())
    fields: Mapping[str, str] = attrs.field(converter=_Fields, factory=_Fields)
    line: int = 0
    raw: str = attrs.field(default="", repr=False)
    # Decoded values, filled on demand; not part of the record's identity.
    _decoded: dict[str, str | None] = attrs.field(factory=dict, init=False, eq=False, repr=False, hash=False)

    def field(self, name: str, *, decode: bool = True) -> str | None:
        """A field's value (name case-insensitive), LaTeX decoded to Unicode unless ``decode=False``."""
        name = name.lower()
        raw = self.fields.get(name)
        if raw is None or not decode:
            return raw
        if name not in self._decoded:
            self._decoded[name] = _decode(raw)
        return self._decoded[name]

    @property
    def title(self) -> str | None:
        """The title in Unicode, or ``None``."""
        return self.field("title")

    @property
    def year(self) -> str | None:
        """The year as written (not always digits: "2023a", "in press")."""
        year = self.field("year")
        if year is None and (date := self.field("date")):  # biblatex's date = {2020-05-01}
            year = date[:4]
        return year

    @property
    def authors(self) -> list[str]:
        """Author names as "Family, Given" (or a literal body's name), decoded; "others" left out."""
        return display_names(self.fields.get("author"))

    @property
    def et_al(self) -> bool:
        """True when the author field ends in "and others"."""
        return ends_with_others(self.fields.get("author"))

    @property
    def author_list(self) -> list[str]:
        """The authors as shown: :attr:`authors`, then "et al." when the field ends in "and others"."""
        return [*self.authors, ET_AL] if self.et_al else self.authors

    @property
    def short_authors(self) -> str:
        """The authors' family names in a few words: ``Chen``, ``Chen and Tworek``, ``Chen et al.``."""
        families = [name.split(",")[0] for name in self.authors]
        if not families:
            return ""
        if len(families) > 2 or self.et_al:
            return f"{families[0]} {ET_AL}"
        return " and ".join(families)

    @property
    def editors(self) -> list[str]:
        """Editor names, as :attr:`authors`."""
        return display_names(self.fields.get("editor"))

    @property
    def container(self) -> str | None:
        """Where it appeared: journal, book title, publisher or how it was published."""
        for name in ("journal", "journaltitle", "booktitle", "publisher", "howpublished"):
            if (value := self.field(name)) is not None:
                return value
        return None

    @property
    def url(self) -> str | None:
        """The ``url`` field (or a ``howpublished`` that is a bare URL), unescaped, not decoded."""
        if (url := self.fields.get("url")) is not None:
            return verbatim(url)
        howpublished = verbatim(self.fields.get("howpublished", ""))
        return howpublished if howpublished.startswith(("http://", "https://")) else None

    @property
    def doi(self) -> str | None:
        """The bare DOI (``10.xxxx/...``), with any ``https://doi.org/`` or ``doi:`` prefix removed."""
        doi = self.fields.get("doi")
        if doi is None:
            return None
        return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", verbatim(doi), flags=re.IGNORECASE)

    @property
    def eprint(self) -> str | None:
        """The ``eprint`` id as written (an arXiv id such as ``2201.11903`` for most)."""
        eprint = self.fields.get("eprint")
        return verbatim(eprint) if eprint is not None else None

    def to_csl(self) -> dict[str, Any]:
        """This entry as a CSL-JSON item, every text decoded to Unicode."""
        return to_csl(self)


@attrs.frozen
class SourceProblem:
    """Something wrong in references.bib, with what to do about it."""

    kind: str = attrs.field(validator=attrs.validators.in_(PROBLEM_KINDS))
    key: str | None
    line: int | None
    message: str


class Sources(Mapping[str, Source]):
    """The entries of one references.bib, read-only, by exact key.

    When a key is defined twice the first definition counts (as in BibTeX) and
    the second is a problem. :meth:`find` looks a key up ignoring case.
    Made by :meth:`load`; the constructor takes the parsed rows.
    """

    __slots__ = ("path", "problems", "_rows", "_made", "_folded")

    def __init__(self, path: Path, rows: list[_Row] | tuple[_Row, ...] = (), problems: tuple[SourceProblem, ...] = ()) -> None:
        self.path = Path(path)
        self.problems = tuple(problems)
        self._rows: dict[str, _Row] = {}
        for row in rows:
            self._rows.setdefault(row[0], row)
        # Source records are built on first access: a warm load of 16,000
        # entries should not pay for 16,000 objects nobody looks at.
        self._made: dict[str, Source] = {}
        self._folded: dict[str, str] | None = None

    @classmethod
    def load(cls, path: Path, *, cache: Path | None = None) -> Sources:
        """Read ``path``; a missing file is an empty library of sources.

        ``cache`` is a folder (normally ``cache_dir(root)``) where the parsed
        result is kept and reused while the file's size, mtime and sha256 are
        unchanged.
        """
        path = Path(path)
        try:
            data = path.read_bytes()
            stat = path.stat()
        except FileNotFoundError:
            return cls(path)
        except IsADirectoryError as e:
            raise SourceError(
                "is a folder, not a BibTeX file", file=path, hint="move the folder away; the sources are one file"
            ) from e
        except OSError as e:
            raise SourceError(f"cannot read: {e.strerror or e}", file=path, hint="check the file's permissions") from e
        stamp = (
            _CACHE_FORMAT,
            bibtexparser.__version__,
            str(path.resolve()),
            stat.st_size,
            stat.st_mtime_ns,
            hashlib.sha256(data).hexdigest(),
        )
        cache_file = Path(cache) / CACHE_NAME if cache is not None else None
        if cache_file is not None and (cached := _read_cache(cache_file, stamp)) is not None:
            rows, problems = cached
        else:
            rows, problems = _parse(data)
            if cache_file is not None:
                # The cache is only a shortcut: failing to write it must not fail a read.
                with contextlib.suppress(ClaimtrackError, OSError, ValueError):
                    atomic_write(cache_file, marshal.dumps((stamp, rows, problems)))
        return cls(path, rows, tuple(SourceProblem(*p) for p in problems))

    def __getitem__(self, key: str) -> Source:
        made = self._made.get(key)
        if made is not None:
            return made
        row = self._rows.get(key)
        if row is None:
            near = self.find(key)
            hint = f"did you mean '{near.key}'? keys are case-sensitive here" if near else "add it with `claimtrack source add`"
            raise SourceNotFoundError(f"no entry '{key}' in the bibliography", file=self.path, key=key, hint=hint)
        made = self._made[key] = Source(*row)
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sources):
            return NotImplemented
        return (self.path, self._rows, self.problems) == (other.path, other._rows, other.problems)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        from .views import plural

        return f"<Sources {str(self.path)!r}: {plural(len(self), 'entry', 'entries')}, {plural(len(self.problems), 'problem')}>"

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        """The entry with exactly this key, or ``default``."""
        return self[key] if key in self._rows else default

    def raw_entries(self) -> Iterator[tuple[str, int, dict[str, str]]]:
        """(key, line, raw fields) per entry, without building :class:`Source` records (for bulk checks)."""
        for key, _, pairs, line, _ in self._rows.values():
            yield key, line, dict(pairs)

    def find(self, key: str) -> Source | None:
        """The entry with this key ignoring case (BibTeX's own rule), or ``None``."""
        if key in self._rows:
            return self[key]
        if self._folded is None:
            folded: dict[str, str] = {}
            for exact in self._rows:
                folded.setdefault(exact.casefold(), exact)
            self._folded = folded
        found = self._folded.get(key.casefold())
        return self[found] if found is not None else None

    def add(self, bibtex: str, *, root: Path) -> tuple[str, ...]:
        """Append the entries in ``bibtex`` to this file; return their keys.

        Refused with :class:`SourceError`, writing nothing, when the text does
        not parse cleanly, holds no entry, or uses a key the file already has
        (ignoring case). Under the library lock the file is re-read and the new
        entries' own text is appended; every existing byte stays as it was.
        This object is not changed: load the file again to see the new entries.
        """
        from .bibsplice import add_entries

        return add_entries(self.path, bibtex, root=Path(root))


# --- parsing -----------------------------------------------------------------


def _parse(data: bytes) -> tuple[list[_Row], list[tuple[str, str | None, int | None, str]]]:
    """Parse file bytes into rows and problem tuples (plain data, ready to cache)."""
    problems: list[tuple[str, str | None, int | None, str]] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        message = f"line {line} is not valid UTF-8 (byte 0x{data[e.start]:02x}); the bad bytes read as '\ufffd': re-save the file as UTF-8"
        problems.append(("parse-failed", None, line, message))
        text = data.decode("utf-8", errors="replace")
    # The default stack (string macros resolved, outer delimiters removed),
    # without LaTeX decoding, which would make loading 25 times slower.
    with _parsing_quietly():
        return _collect(bibtexparser.parse_string(text), problems)


def _collect(library: Any, problems: list[Any]) -> tuple[list[_Row], list[Any]]:
    """Rows for the entries (recovered ones included) and problems for everything else."""
    rows: list[_Row] = []
    for block in library.blocks:
        if isinstance(block, Entry):
            rows.append(_row(block, problems))
        elif isinstance(block, DuplicateBlockKeyBlock):
            first, line = block.previous_block.start_line, _line(block)
            what = "entry" if isinstance(block.ignore_error_block, Entry) else "@string"
            first_text = f"lines {first + 1} and {line}" if first is not None else f"line {line}"
            message = (
                f"{what} '{block.key}' is defined twice ({first_text}); keep one and delete the other (the first one is used)"
            )
            problems.append(("duplicate-key", block.key, line, message))
        elif isinstance(block, ParsingFailedBlock) and isinstance(block.ignore_error_block, Entry):
            # bibtexparser drops an entry with a repeated field (and one its
            # middlewares choke on) from library.entries; its fields are still
            # there, so keep the entry and report the problem.
            entry = block.ignore_error_block
            if not isinstance(block, DuplicateFieldKeyBlock):
                message = f"entry '{entry.key}' could not be fully read ({_reason(block)}); check its values"
                problems.append(("parse-failed", entry.key, _line(block), message))
            rows.append(_row(entry, problems, strip=True))
        elif isinstance(block, ParsingFailedBlock):
            line = _line(block)
            match = _KEY_IN_RAW.match(block.raw or "")
            key = match.group(1) if match else None
            what = f"entry '{key}'" if key else "the block"
            message = f"{what} starting at line {line} could not be parsed ({_reason(block)}); fix its braces, quotes or commas"
            problems.append(("parse-failed", key, line, message))
    _check_collisions(rows, problems)
    problems.sort(key=lambda p: (p[2] or 0, PROBLEM_KINDS.index(p[0])))
    return rows, problems


@contextlib.contextmanager
def _parsing_quietly() -> Iterator[None]:
    """Pause the cyclic GC and bibtexparser's warnings while a file is parsed.

    Parsing allocates hundreds of thousands of objects that all survive; the
    collector would rescan them again and again (about 6% of the time on a
    10 MB file). Each malformed block is logged as a multi-line warning, but
    every one becomes a SourceProblem here, so the log would only repeat it on
    stderr and break the command line's one-line error output.
    """
    logger = logging.getLogger("bibtexparser.splitter")
    enabled = gc.isenabled()
    gc.disable()
    logger.addFilter(_below_warning)
    try:
        yield
    finally:
        logger.removeFilter(_below_warning)
        if enabled:
            gc.enable()


def _below_warning(record: logging.LogRecord) -> bool:
    return record.levelno < logging.WARNING


def _row(entry: Entry, problems: list[Any], *, strip: bool = False) -> _Row:
    """One entry as a plain tuple; reports repeated fields (names compared ignoring case)."""
    # This runs for every entry of the file, so the common case (no repeated
    # field) is two comprehensions; the loop below only runs for bad entries.
    try:
        # bibtexparser's Field.key/.value are plain properties over these
        # slots; reading them directly halves this loop's cost (2.x layout).
        pairs = [(field._key.lower(), field._value) for field in entry._fields]
    except AttributeError:
        pairs = [(field.key.lower(), field.value) for field in entry.fields]
    names = {name for name, _ in pairs}
    line = _line(entry)
    if len(names) != len(pairs):
        kept: dict[str, str] = {}
        repeated: list[str] = []
        for name, value in pairs:
            if name in kept:
                repeated.append(name)
            else:
                kept[name] = value
        pairs = list(kept.items())  # BibTeX keeps the first value of a repeated field
        listed = ", ".join(f"'{n}'" for n in dict.fromkeys(repeated))
        message = f"entry '{entry.key}' (line {line}) sets {listed} more than once; keep one value (the first one is used)"
        problems.append(("duplicate-field", entry.key, line, message))
    if strip:
        pairs = [(name, _strip_enclosing(value)) for name, value in pairs]
    if "title" not in names:
        problems.append(("missing-field", entry.key, line, f"entry '{entry.key}' (line {line}) has no title; add a title field"))
    return (entry.key, entry.entry_type.lower(), tuple(pairs), line, entry.raw or "")


def _check_collisions(rows: list[_Row], problems: list[Any]) -> None:
    """Report keys that differ only in letter case: BibTeX reads them as one entry."""
    first: dict[str, _Row] = {}
    for row in rows:
        folded = row[0].casefold()
        other = first.setdefault(folded, row)
        if other is not row and other[0] != row[0]:
            message = f"entries '{other[0]}' (line {other[3]}) and '{row[0]}' (line {row[3]}) differ only in letter case, which BibTeX treats as the same key; rename or delete one"
            problems.append(("case-collision", row[0], row[3], message))


def _strip_enclosing(value: str) -> str:
    # Blocks that fail in bibtexparser skip its middlewares, so their values
    # still carry the outer braces or quotes.
    value = value.strip()
    if len(value) >= 2 and (value[0], value[-1]) in (("{", "}"), ('"', '"')):
        return value[1:-1]
    return value


def _line(block: Any) -> int:
    return (block.start_line or 0) + 1  # bibtexparser counts lines from 0


def _reason(block: ParsingFailedBlock) -> str:
    error = block.error
    reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
    return " ".join(reason.split()).rstrip(".")


# --- cache -------------------------------------------------------------------


def _read_cache(cache_file: Path, stamp: tuple[Any, ...]) -> tuple[list[_Row], list[Any]] | None:
    """The cached parse if it was made from exactly these bytes, else ``None``."""
    try:
        cached_stamp, rows, problems = marshal.loads(cache_file.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None  # missing, truncated or from another Python: just parse again
    return (rows, problems) if cached_stamp == stamp else None


# --- adding ------------------------------------------------------------------
