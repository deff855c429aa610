"""``source add``: entries from any format into references.bib, idempotent and all or nothing.

An entry equal to one already there (the same key and fields, or the same
DOI under another key) is counted as already present and left alone; a
different entry under a key the file already has is refused with a free key
to use instead. One refusal refuses the batch: nothing is written. What is
added is appended as text (see :mod:`claimtrack.bibsplice`); every other byte
of references.bib stays as it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..bibformats import NewEntry, key_variants
from ..bibformats.entries import verbatim_doi
from ..bibsplice import appended, check_free
from ..errors import ClaimtrackError, SourceError
from ..fileio import atomic_write, cache_dir, library_lock, read_input
from ..folder import BIB_FILE
from ..resolve import AnswerCache, Resolver
from ..resolve.fetching import DEFAULT_RESOLVER, DEFAULT_TIMEOUT
from ..sources import Sources
from ..sweeping import sweep_temp_files
from .inputs import gather, unique_within

__all__ = ["AddResult", "add_sources", "add_entries", "same_fields"]


@attrs.frozen
class AddResult:
    """What an add did: the keys added, the entries already present (new key, key in the file), fields left out."""

    added: tuple[str, ...] = ()
    present: tuple[tuple[str, str], ...] = ()
    refused: int = 0
    left_out: tuple[tuple[str, int], ...] = ()


def _norm(fields: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): " ".join(value.split()) for name, value in fields}


def same_fields(entry_type: str, fields: Iterable[tuple[str, str]], other_type: str, other: Iterable[tuple[str, str]]) -> bool:
    """True when two entries say the same: one type, the same fields with the same values (white space aside)."""
    return entry_type.lower() == other_type.lower() and _norm(fields) == _norm(other)


class _Planner:
    """Decides, entry by entry, what an add does against the file as it is and the batch so far."""

    def __init__(self, current: Sources) -> None:
        self.current = current
        self.batch: dict[str, NewEntry] = {}
        self._dois: dict[str, str] | None = None
        self.add: list[NewEntry] = []
        self.present: list[tuple[str, str]] = []
        self.refusals: list[SourceError] = []

    @property
    def dois(self) -> dict[str, str]:
        if self._dois is None:
            self._dois = {}
            for key, _, fields in self.current.raw_entries():
                if (doi := fields.get("doi")) is not None:
                    self._dois.setdefault(verbatim_doi(doi), key)
        return self._dois

    def _existing(self, key: str) -> tuple[str, str, Mapping[str, str], int | None] | None:
        old = self.current.find(key)
        if old is not None:
            return old.key, old.entry_type, old.fields, old.line
        new = self.batch.get(key.casefold())
        if new is not None:
            return new.key, new.entry_type, dict(new.fields), None
        for problem in self.current.problems:
            if problem.kind == "parse-failed" and (problem.key or "").casefold() == key.casefold():
                return problem.key or key, "", {"": "a block that does not parse"}, problem.line
        return None

    def _free(self, key: str) -> str:
        return next(k for k in list(key_variants(key))[1:] if self._existing(k) is None)

    def take(self, entry: NewEntry) -> None:
        chosen: str | None = None
        for candidate in key_variants(entry.key) if entry.auto else (entry.key,):
            found = self._existing(candidate)
            if found is None:
                chosen = candidate
                break
            key, kind, fields, line = found
            if same_fields(kind, fields.items(), entry.entry_type, entry.fields):
                self.present.append((entry.key, key))
                return
            if not entry.auto:
                what = (
                    f"is already in {BIB_FILE} (as {key!r}, line {line})" if line else f"is used twice in the input (as {key!r})"
                )
                self.refusals.append(
                    SourceError(
                        f"the key {what} with other fields",
                        file=BIB_FILE if line else None,
                        line=line,
                        key=entry.key,
                        hint=f"did you mean {self._free(entry.key)!r}, which is free? (`claimtrack source sync` takes new fields)",
                    )
                )
                return
        assert chosen is not None  # key_variants never runs out in practice
        if entry.doi and (other := self.dois.get(entry.doi)) is not None:
            self.present.append((entry.key, other))
            return
        entry = entry.rekeyed(chosen) if chosen != entry.key else entry
        self.batch[chosen.casefold()] = entry
        if entry.doi:
            self.dois.setdefault(entry.doi, chosen)
        self.add.append(entry)


def plan(current: Sources, entries: Iterable[NewEntry]) -> _Planner:
    planner = _Planner(current)
    for entry in entries:
        planner.take(entry)
    return planner


def add_entries(
    root: Path, entries: Sequence[NewEntry], *, strings: Sequence[Any] = (), cache: AnswerCache | None = None
) -> AddResult:
    """Add prepared entries to the library at ``root`` under its lock; SourceError, writing nothing, on any refusal."""
    root = Path(root)
    path = root / BIB_FILE
    with library_lock(root):
        try:
            data = read_input(path, error=SourceError)
        except FileNotFoundError:
            data = b""
        except OSError as e:
            raise SourceError(f"cannot read: {e.strerror or e}", file=path, hint="check the file's permissions") from e
        try:
            folder: Path | None = cache_dir(root)
        except ClaimtrackError:
            folder = None
        current = Sources.load(path, cache=folder)
        planned = plan(current, entries)
        if planned.refusals:
            first = planned.refusals[0]
            if len(planned.refusals) > 1:
                first.message += f" ({len(planned.refusals) - 1} more entries refused too)"
            first.hint = f"{first.hint}; nothing was written"
            raise first
        if strings:
            check_free(current, data, strings, ())
        if planned.add or strings:
            sweep_temp_files(root)
            atomic_write(path, appended(data, [s.raw or "" for s in strings] + [e.text for e in planned.add]))
        if cache is not None and cache.changed:
            cache.write()
    left_out = Counter(name for entry in entries for name in entry.skipped)
    return AddResult(
        added=tuple(e.key for e in planned.add),
        present=tuple(planned.present),
        left_out=tuple(sorted(left_out.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def add_sources(lib: Any, specs: Sequence[str], *, keys: str | None = None, fmt: str | None = None, abstract: bool = False,
                offline: bool = False, stdin: bytes | None = None) -> AddResult:  # fmt: skip
    """Add the entries that files, DOIs, arXiv ids, URLs or standard input (``-``) name to ``lib``'s references.bib.

    >>> add_sources(lib, ["references.json"], keys="standard")          # doctest: +SKIP
    AddResult(added=('doi:10.1038/s41586-020-2649-2', ...), present=(), ...)
    """
    root = Path(lib.root)
    cache = AnswerCache.load(root)
    resolver = resolver_for(lib)
    got = gather(specs or ["-"], root=root, keys=keys, fmt=fmt, abstract=abstract, offline=offline, stdin=stdin,
                 resolver=resolver, cache=cache)  # fmt: skip
    if not got.entries and not got.strings:
        raise SourceError("no entry found in the input", hint="pass BibTeX, CSL-JSON, CSL-YAML or RIS entries, or DOIs")
    result = add_entries(root, unique_within(got.entries), strings=got.strings, cache=cache)
    return result


def resolver_for(lib: Any) -> Resolver:
    """The DOI resolver the library's settings (or ``CLAIMTRACK_RESOLVER``) name."""
    import os

    settings = getattr(lib.settings, "sources", {}) or {}
    base = os.environ.get("CLAIMTRACK_RESOLVER") or settings.get("resolver") or DEFAULT_RESOLVER
    timeout = float(settings.get("timeout", DEFAULT_TIMEOUT))
    return Resolver(str(base), timeout)
