"""Parsing BibTeX bytes into plain rows and problems, ready to cache: the sources' parser.

One of the two modules (with :mod:`.bibsplice`) under :mod:`.sources` that touch bibtexparser.
Every block becomes a row or a problem; nothing raises.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import re
from collections.abc import Iterator
from typing import Any

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock

__all__ = ["parse_bytes", "parsing_quietly", "block_line", "block_reason", "PROBLEM_KINDS", "Row", "ProblemTuple"]

PROBLEM_KINDS = ("parse-failed", "duplicate-key", "case-collision", "duplicate-field", "missing-field")
_KEY_IN_RAW = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()]+)\s*,")

# A row is the plain, marshal-able form of one entry:
# (key, entry_type, ((field, value), ...), line, raw)
Row = tuple[str, str, tuple[tuple[str, str], ...], int, str]
# A problem: (kind, key, line, message)
ProblemTuple = tuple[str, "str | None", "int | None", str]


def parse_bytes(data: bytes) -> tuple[list[Row], list[ProblemTuple]]:
    """Parse file bytes into rows and problem tuples (plain data, ready to cache)."""
    problems: list[ProblemTuple] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        message = f"line {line} is not valid UTF-8 (byte 0x{data[e.start]:02x}); the bad bytes read as '\ufffd': re-save the file as UTF-8"
        problems.append(("parse-failed", None, line, message))
        text = data.decode("utf-8", errors="replace")
    # The default stack (string macros resolved, outer delimiters removed),
    # without LaTeX decoding, which would make loading 25 times slower.
    with parsing_quietly():
        return _collect(bibtexparser.parse_string(text), problems)


def _collect(library: Any, problems: list[Any]) -> tuple[list[Row], list[Any]]:
    """Rows for the entries (recovered ones included) and problems for everything else."""
    rows: list[Row] = []
    for block in library.blocks:
        if isinstance(block, Entry):
            rows.append(_row(block, problems))
        elif isinstance(block, DuplicateBlockKeyBlock):
            first, line = block.previous_block.start_line, block_line(block)
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
                message = f"entry '{entry.key}' could not be fully read ({block_reason(block)}); check its values"
                problems.append(("parse-failed", entry.key, block_line(block), message))
            rows.append(_row(entry, problems, strip=True))
        elif isinstance(block, ParsingFailedBlock):
            line = block_line(block)
            match = _KEY_IN_RAW.match(block.raw or "")
            key = match.group(1) if match else None
            what = f"entry '{key}'" if key else "the block"
            message = (
                f"{what} starting at line {line} could not be parsed ({block_reason(block)}); fix its braces, quotes or commas"
            )
            problems.append(("parse-failed", key, line, message))
    _check_collisions(rows, problems)
    problems.sort(key=lambda p: (p[2] or 0, PROBLEM_KINDS.index(p[0])))
    return rows, problems


@contextlib.contextmanager
def parsing_quietly() -> Iterator[None]:
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


def _row(entry: Entry, problems: list[Any], *, strip: bool = False) -> Row:
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
    line = block_line(entry)
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


def _check_collisions(rows: list[Row], problems: list[Any]) -> None:
    """Report keys that differ only in letter case: BibTeX reads them as one entry."""
    first: dict[str, Row] = {}
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


def block_line(block: Any) -> int:
    return (block.start_line or 0) + 1  # bibtexparser counts lines from 0


def block_reason(block: ParsingFailedBlock) -> str:
    error = block.error
    reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
    return " ".join(reason.split()).rstrip(".")
