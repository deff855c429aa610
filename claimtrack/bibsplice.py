"""Adding entries to references.bib by splicing text: the other entries keep every byte.

bibtexparser's writer re-braces values and reorders fields, so the file is
never written back from parsed entries; the new entries' own text is appended.
These are the text steps; :meth:`claimtrack.Sources.add` runs them under the
library lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import bibtexparser
from bibtexparser.model import Block, DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, String

from .bibparse import block_line, block_reason, parsing_quietly
from .errors import SourceError

__all__ = ["new_blocks", "check_free", "spliced", "appended", "defined_strings"]


def new_blocks(bibtex: str) -> tuple[list[Block], tuple[str, ...]]:
    """The entries and @string blocks of the text to add, and the entries' keys; SourceError when it is not clean."""
    with parsing_quietly():
        new = bibtexparser.parse_string(bibtex)
    if new.failed_blocks:
        block = new.failed_blocks[0]
        line = block_line(block)
        if isinstance(block, DuplicateBlockKeyBlock):
            message = f"the key '{block.key}' is used twice in the new BibTeX"
            raise SourceError(message, line=line, key=block.key, hint="give each entry its own key")
        if isinstance(block, DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            key = entry.key if isinstance(entry, Entry) else None
            raise SourceError("an entry sets the same field twice", line=line, key=key, hint="keep one value of each field")
        raise SourceError(
            f"the new BibTeX does not parse ({block_reason(block)})", line=line, hint="fix its braces, quotes or commas"
        )
    blocks: list[Block] = [b for b in new.blocks if isinstance(b, (Entry, String))]
    keys = tuple(b.key for b in blocks if isinstance(b, Entry))
    if not keys:
        raise SourceError("no BibTeX entry found in the text to add", hint="pass entries such as @article{key, title = {...}}")
    folded: dict[str, str] = {}
    for key in keys:
        if (seen := folded.setdefault(key.casefold(), key)) != key:
            message = f"the new keys '{seen}' and '{key}' differ only in letter case"
            raise SourceError(message, key=key, hint="BibTeX reads them as one key; rename one")
    return blocks, keys


def check_free(current: Any, data: bytes, blocks: Iterable[Block], keys: Iterable[str]) -> None:
    """Refuse keys (ignoring case) and @string names the file already has.

    ``current`` is the file as loaded (a :class:`~claimtrack.Sources`: ``find``, ``problems``, ``path``);
    ``data`` its bytes.
    """
    path = current.path
    for key in keys:
        if (old := current.find(key)) is not None:
            message = f"the key is already in {path.name} (as '{old.key}', line {old.line})"
            raise SourceError(message, file=path, line=old.line, key=key, hint="use the existing entry or choose another key")
        for problem in current.problems:
            if problem.kind == "parse-failed" and (problem.key or "").casefold() == key.casefold():
                message = f"the key is already in {path.name}, in a block that does not parse"
                raise SourceError(message, file=path, line=problem.line, key=key, hint="fix or delete that block first")
    blocks = list(blocks)
    if not any(isinstance(b, String) for b in blocks):
        return
    strings = {s.key.casefold() for s in _strings_of(data)}
    for block in blocks:
        if isinstance(block, String) and block.key.casefold() in strings:
            message = f"@string '{block.key}' is already defined in {path.name}"
            raise SourceError(message, file=path, key=block.key, hint="drop it from the text to add")


def spliced(data: bytes, blocks: Iterable[Block]) -> bytes:
    """The file's bytes with the blocks' own text appended, in the file's line ending."""
    return data + _appendix(data, [b.raw or "" for b in blocks])


def appended(data: bytes, texts: list[str]) -> bytes:
    """The file's bytes with these entries' texts appended, as :func:`spliced` appends blocks."""
    return data + _appendix(data, texts)


def defined_strings(data: bytes) -> set[str]:
    """The names (case-folded) of the @string macros the file's bytes define."""
    return {s.key.casefold() for s in _strings_of(data)}


def _strings_of(data: bytes) -> list[String]:
    return bibtexparser.parse_string(data.decode("utf-8", errors="replace"), parse_stack=[]).strings


def _appendix(data: bytes, texts: list[str]) -> bytes:
    """The bytes to append: one blank line before each new block, a newline after the last."""
    newline = "\r\n" if b"\r\n" in data[:4096] else "\n"
    lead = ""
    if data:
        lead = "" if data.endswith(b"\n") else newline
        if not data.endswith((b"\n\n", b"\r\n\r\n")):
            lead += newline
    body = (newline * 2).join(t.strip().replace("\r\n", "\n").replace("\n", newline) for t in texts)
    return (lead + body + newline).encode("utf-8")
