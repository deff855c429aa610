"""What ``source add`` and ``source sync`` are given, made into entries: files, standard input, DOIs, arXiv ids, URLs.

A name is a file when such a file exists; otherwise a DOI (``doi:10.1/x``,
``https://doi.org/10.1/x``, a bare ``10.1/x``), an arXiv id (``arxiv:2203.02155``)
or an http(s) URL of a BibTeX or CSL-JSON export. ``-`` is standard input:
identifiers one a line, or a bibliography in any format.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from ..bibformats import MAX_BYTES, Bibliography, NewEntry, entry_from_item, from_source, key_variants, read_bibliography
from ..bibformats.entries import auto_key, verbatim_doi
from ..bibsplice import new_blocks
from ..errors import SourceError
from ..fileio import read_input
from ..resolve import AnswerCache, Identifier, Resolver, fetch_url, parse_identifier
from ..sources import Source

__all__ = ["Gathered", "gather", "unique_within"]


@attrs.frozen
class Gathered:
    """The entries to add, in order, and the ``@string`` blocks of BibTeX inputs."""

    entries: tuple[NewEntry, ...]
    strings: tuple[Any, ...] = ()


def _read_file(path: Path) -> bytes:
    try:
        st = os.stat(path)
        if stat.S_ISREG(st.st_mode) and st.st_size > MAX_BYTES:
            raise SourceError(f"is {st.st_size / (1 << 20):.0f} MB, more than the {MAX_BYTES >> 20} MB a bibliography file may have",
                              file=path, hint="split it into smaller files")  # fmt: skip
        return read_input(path, error=SourceError)
    except OSError as e:
        raise SourceError(f"cannot be read: {e.strerror or e}", file=path, hint="check the path and its permissions") from e


def _is_identifier_list(data: bytes) -> list[Identifier] | None:
    try:
        lines = [line.strip() for line in data.decode("utf-8-sig").splitlines() if line.strip()]
    except UnicodeDecodeError:
        return None
    if not lines or len(lines) > 10_000:
        return None
    found = [parse_identifier(line) for line in lines]
    if all(i is not None and i.kind != "url" for i in found):
        return [i for i in found if i is not None]
    return None


def gather(specs: Iterable[str], *, root: Path, keys: str | None = None, fmt: str | None = None, abstract: bool = False,
           offline: bool = False, stdin: bytes | None = None, resolver: Resolver | None = None,
           cache: AnswerCache | None = None) -> Gathered:  # fmt: skip
    """Every entry the specs name, converted and keyed; SourceError (nothing fetched is kept) on the first problem."""
    entries: list[NewEntry] = []
    strings: list[Any] = []
    for spec in specs:
        if spec == "-":
            data = stdin if stdin is not None else b""
            if len(data) > MAX_BYTES:
                raise SourceError(f"is more than the {MAX_BYTES >> 20} MB a bibliography may have", file="standard input",
                                  hint="split it into smaller files")  # fmt: skip
            identifiers = _is_identifier_list(data)
            if identifiers is not None:
                for each in identifiers:
                    entries.extend(_resolved(each, keys, abstract, offline, resolver, cache))
                continue
            _add(read_bibliography(data, "standard input", fmt=fmt), keys, abstract, entries, strings)
            continue
        path = Path(spec)
        identifier = parse_identifier(spec) if not os.path.lexists(path) else None
        if identifier is None:
            _add(read_bibliography(_read_file(path), spec, fmt=fmt), keys, abstract, entries, strings)
        elif identifier.kind == "url":
            if offline:
                raise SourceError(
                    "is a web address, and --offline was given",
                    key=spec,
                    hint="drop --offline, or save the export and add the file",
                )
            answer = fetch_url(spec, timeout=(resolver or Resolver()).timeout)
            _add(read_bibliography(answer.body, spec, fmt=fmt), keys, abstract, entries, strings)
        else:
            entries.extend(_resolved(identifier, keys, abstract, offline, resolver, cache))
    return Gathered(tuple(entries), tuple(strings))


def _resolved(identifier: Identifier, keys: str | None, abstract: bool, offline: bool, resolver: Resolver | None,
              cache: AnswerCache | None) -> list[NewEntry]:  # fmt: skip
    standard = identifier.standard
    answer = cache.get(standard) if cache is not None else None
    if answer is None:
        if offline:
            raise SourceError("has no answer kept in doi-cache.json, and --offline was given", key=standard,
                              hint="add it once while online")  # fmt: skip
        answer = (resolver or Resolver()).resolve(identifier)
    bibliography = read_bibliography(_with_id(answer.body, standard), standard)
    found: list[NewEntry] = []
    _add(bibliography, keys or "standard", abstract, found, [], standard=standard)
    if not found:
        raise SourceError("the resolver's answer holds no entry", key=standard, hint="check the identifier")
    if cache is not None and cache.get(standard) is None:
        cache.put(standard, answer)
    return found[:1]


def _with_id(body: str, standard: str) -> str:
    """A resolver's CSL item given the standard id as its id when it has none (the key comes from the identifier anyway)."""
    if not body.lstrip().startswith("{"):
        return body
    try:
        data = json.loads(body)
    except ValueError:
        return body  # read_bibliography words the error
    return json.dumps({**data, "id": standard}) if isinstance(data, dict) and not data.get("id") else body


def _add(bib: Bibliography, keys: str | None, abstract: bool, entries: list[NewEntry], strings: list[Any],
         standard: str | None = None) -> None:  # fmt: skip
    scheme = keys or "id"
    if bib.format != "bibtex":
        for number, item in enumerate(bib.items, start=1):
            entries.append(
                entry_from_item(item, f"{bib.origin}, item {number}", keys=scheme, abstract=abstract, standard=standard)
            )
        return
    blocks, _ = new_blocks(bib.bibtex)
    for parsed in blocks:
        block: Any = parsed
        if not hasattr(block, "fields"):
            strings.append(block)
            continue
        fields = tuple((f.key.lower(), str(f.value)) for f in block.fields)
        doi = next((verbatim_doi(v) for n, v in fields if n == "doi"), None)
        entry = NewEntry(block.key, block.entry_type.lower(), fields, (block.raw or "").strip(), bib.origin, doi=doi)
        if scheme != "id":
            item = from_source(Source(block.key, block.entry_type, fields))
            if scheme == "auto":
                entry = attrs.evolve(entry.rekeyed(auto_key(item)), auto=True)
            else:
                from ..bibformats import standard_id

                entry = entry.rekeyed(standard or standard_id(item) or block.key)
        entries.append(entry)


def unique_within(entries: Iterable[NewEntry]) -> list[NewEntry]:
    """Auto keys made unique within one batch (``fu2022gpt``, ``fu2022gpta``), in order."""
    taken: set[str] = set()
    out = []
    for entry in entries:
        if entry.auto:
            key = next(k for k in key_variants(entry.key) if k.casefold() not in taken)
            entry = entry.rekeyed(key) if key != entry.key else entry
        taken.add(entry.key.casefold())
        out.append(entry)
    return out
