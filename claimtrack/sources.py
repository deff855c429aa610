"""The BibTeX sources of a library: reading references.bib, adding to it, CSL-JSON.

With its parser (:mod:`.bibparse`) and its splicer (:mod:`.bibsplice`), the only
modules that touch bibtexparser. Three rules shape it:

* **Read everything, crash on nothing.** Malformed blocks, duplicate keys,
  keys that differ only in letter case and entries with a repeated field
  become :class:`SourceProblem` records, collected all at once.
* **Decode lazily.** Values are kept as written; LaTeX becomes Unicode only
  when a field is asked for (:meth:`Source.field`).
* **Never re-serialise.** :meth:`Sources.add` appends the new entries' own text
  to the end of the file; every other byte stays as it was.

A parsed file is cached (``.claimtrack/sources.cache``, keyed by the file's
size, mtime and sha256 and signed with the per-user cache key), so a warm load
costs a read, a hash and an unmarshal, and a cache from elsewhere is never used.

>>> sources = Sources.load(Path("references.bib"))           # doctest: +SKIP
>>> sources["brown2020language"].title                        # doctest: +SKIP
'Language Models are Few-Shot Learners'
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import bibtexparser

from .bibparse import PROBLEM_KINDS, Row, parse_bytes
from .bibsplice import check_free, new_blocks, spliced
from .errors import ClaimtrackError, SourceError, SourceNotFoundError
from .fileio import atomic_write, cache_dir, library_lock, read_input, read_signed, write_signed
from .heap import release_freed
from .latex import ET_AL, display_names, ends_with_others, to_csl, verbatim

# decode is imported as _decode: Source.field's ``decode`` keyword would shadow it.
from .latex import decode as _decode
from .sweeping import sweep_temp_files

__all__ = ["Source", "SourceProblem", "Sources", "PROBLEM_KINDS"]

CACHE_NAME = "sources.cache"
# Bump when the cached row layout changes; the bibtexparser version is part of
# the key too, since a new parser may read the same bytes differently.
_CACHE_FORMAT = 2

_Row = Row


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
            data = read_input(path, error=SourceError)
            stat = path.stat()
        except FileNotFoundError:
            return cls(path)
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
            rows, problems = parse_bytes(data)
            if cache_file is not None:
                # The cache is only a shortcut: failing to write it must not fail a read.
                with contextlib.suppress(ValueError):
                    write_signed(cache_file, marshal.dumps((stamp, rows, problems)), CACHE_NAME, str(cache_file.parent))
        large = len(data) >= 1 << 20
        del data
        sources = cls(path, rows, tuple(SourceProblem(*p) for p in problems))
        if large:
            release_freed()  # the file's bytes and the cache's payload: tens of megabytes for a large bibliography
        return sources

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
        blocks, keys = new_blocks(bibtex)
        root = Path(root)
        with library_lock(root):
            # Re-read under the lock: another writer may have added entries since this was loaded.
            try:
                data = read_input(self.path, error=SourceError)
            except FileNotFoundError:
                data = b""
            except OSError as e:
                raise SourceError(f"cannot read: {e.strerror or e}", file=self.path, hint="check the file's permissions") from e
            try:
                cache: Path | None = cache_dir(root)
            except ClaimtrackError:
                cache = None  # an unusable cache folder only makes the re-read slower
            check_free(Sources.load(self.path, cache=cache), data, blocks, keys)
            sweep_temp_files(root)
            atomic_write(self.path, spliced(data, blocks))
        return keys


# --- cache -------------------------------------------------------------------


def _read_cache(cache_file: Path, stamp: tuple[Any, ...]) -> tuple[list[_Row], list[Any]] | None:
    """The cached parse if this user's claimtrack made it from exactly these bytes, else ``None``.

    The file is signed (see :func:`~claimtrack.fileio.write_signed`): a cache planted in a cloned
    repository is never unmarshalled, let alone shown as the bibliography.
    """
    payload = read_signed(cache_file, CACHE_NAME, str(cache_file.parent))
    if payload is None:
        return None
    try:
        cached_stamp, rows, problems = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None  # from another Python: just parse again
    return (rows, problems) if cached_stamp == stamp else None
