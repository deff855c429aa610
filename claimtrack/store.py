"""Claim files on disk: read with tomli, written through tomlkit.

Reading uses tomli, the parser the standard library's tomllib was taken from;
its compiled wheels read the same TOML about 2.5 times faster. Writing re-parses the file with tomlkit
and changes only what a revision touches, so the comments and layout a person
wrote by hand survive. Every write holds the library lock and replaces the file
atomically; the claim id is validated before any path is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import tomli
import tomlkit
from tomlkit.items import AoT, Array, Item, Table

from . import history, markers, seals
from .codec import claim_from_raw, revision_to_raw
from .errors import ClaimExistsError, ClaimFileError, ClaimNotFoundError, ClaimtrackError
from .fileio import TEMP_PREFIX, atomic_write, cache_dir, library_lock, sweep_temp_files
from .model import Claim, Revision, validate_id

__all__ = ["Store", "parse_claim_text", "render_claim", "line_of", "MAX_CLAIM_BYTES"]

_RECORD_LISTS = ("appearances", "facts", "evidence", "ignore")
#: Larger claim files are refused: a 50 MB statement takes the parser seconds
#: to read, and a claim file of a few kilobytes holds hundreds of revisions.
MAX_CLAIM_BYTES = 4 * 1024 * 1024


def _too_large(size: int, file: str, what: str = "is") -> ClaimFileError:
    return ClaimFileError(
        f"{what} {size / 1e6:.1f} MB, over the {MAX_CLAIM_BYTES // (1024 * 1024)} MB a claim file may hold",
        file=file,
        hint="keep long text (quotes, notes) in the source it comes from and cite it",
    )


def line_of(text: str, key: str | None) -> int | None:
    """Best-effort line number of a dotted key such as ``revisions[2].date``."""
    if not key:
        return None
    lines = text.splitlines()
    start = 0
    parts = re.findall(r"([A-Za-z_]+)(?:\[(\d+)\])?", key.split(": ")[-1])
    for depth, (name, index) in enumerate(parts):
        if index:
            header = re.compile(rf"^\s*\[\[\s*{'.'.join(p[0] for p in parts[: depth + 1])}\s*\]\]")
            seen = -1
            for number in range(start, len(lines)):
                if header.match(lines[number]):
                    seen += 1
                    if seen == int(index):
                        start = number
                        break
            else:
                # No [[name]] header: an inline array (depends_on = [...]); point at its key.
                pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
                for number in range(start, len(lines)):
                    if pattern.match(lines[number]):
                        return number + 1
                return start + 1 if start else None
        else:
            pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
            for number in range(start, len(lines)):
                if pattern.match(lines[number]):
                    return number + 1
                if depth == 0 and lines[number].lstrip().startswith("["):
                    break
            return start + 1 if start else None
    return start + 1


_KEY_OR_HEADER = re.compile(r"^[ \t]*(?:\[\[[ \t]*([A-Za-z_]+)[ \t]*\]\]|(\[)|([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=)", re.MULTILINE)


def key_lines(text: str) -> dict[str, int]:
    """Line numbers of a claim file's keys in one pass: ``statement``, ``revisions[2]``, ``revisions[2].date``.

    The first occurrence of each key wins, as in :func:`line_of`.
    """
    out: dict[str, int] = {}
    counts: dict[str, int] = {}
    prefix = ""
    line, position = 1, 0
    for match in _KEY_OR_HEADER.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        header, other_table, key = match.groups()
        if header:
            index = counts[header] = counts.get(header, -1) + 1
            prefix = f"{header}[{index}]"
            out.setdefault(prefix, line)
            prefix += "."
        elif other_table:
            prefix = "?."  # a table claimtrack does not write: its keys are not looked up
        else:
            out.setdefault(prefix + key, line)
    return out


def _unresolved_conflict(file: str, regions: list[tuple[int, int]]) -> ClaimFileError:
    """The error for a claim file that still holds git's conflict markers."""
    return ClaimFileError(
        f"unresolved merge conflict (lines {', '.join(f'{first}-{last}' for first, last in regions)})",
        file=file,
        line=None,
        hint="run `claimtrack resolve`",
    )


def parse_claim_text(text: str, *, file: str, expected_id: str | None = None) -> Claim:
    """Parse and validate one claim file's text."""
    try:
        raw = tomli.loads(text)
    except RecursionError as e:
        # tomli refuses inline arrays and tables nested more than 1,000 deep, as a RecursionError.
        raise ClaimFileError(
            "is nested too deeply to read (arrays or tables inside one another)",
            file=file,
            hint="a claim file needs only a few levels; remove the nesting",
        ) from e
    except tomli.TOMLDecodeError as e:
        if regions := markers.conflict_regions(text):
            raise _unresolved_conflict(file, regions) from e
        match = re.search(r"line (\d+)", str(e))
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(e))
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in str(e):
            line = max(1, text.count("\n") + (not text.endswith("\n")))  # the last line
        raise ClaimFileError(
            f"not valid TOML: {message}",
            file=file,
            line=line,
            hint="fix the syntax (strings in double quotes, dates as YYYY-MM-DD)",
        ) from e
    try:
        return claim_from_raw(raw, file=file, expected_id=expected_id)
    except ClaimFileError as e:
        e.line = line_of(text, e.key)
        raise


# -- writing through tomlkit -------------------------------------------------


def _inline_records(values: list[dict[str, Any]]) -> Array:
    array = tomlkit.array()
    for value in values:
        table = tomlkit.inline_table()
        table.update(value)
        array.append(table)
    return array.multiline(len(values) > 1)


def _revision_table(revision: Revision) -> Table:
    table = tomlkit.table()
    for key, value in revision_to_raw(revision).items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            table.add(key, _inline_records(value))
        else:
            table.add(key, value)
    return table


def _aot(values: list[dict[str, Any]]) -> AoT:
    aot = tomlkit.aot()
    for value in values:
        table = tomlkit.table()
        table.update(value)
        aot.append(table)
    return aot


def render_claim(claim: Claim, *, with_history: bool = True) -> str:
    """A new claim file's text (with ``with_history=False``, only the claim's own fields above the history)."""
    doc = tomlkit.document()
    raw = claim.to_raw()
    for key, value in raw.items():
        if key in _RECORD_LISTS or key == "revisions":
            continue
        doc.add(key, value)
    for key in _RECORD_LISTS:
        if key in raw:
            doc.add(tomlkit.nl())
            doc.add(key, _aot(raw[key]))
    if with_history:
        doc.add(tomlkit.nl())
        doc.add("revisions", _history(claim.revisions))
    return tomlkit.dumps(doc)


def _history(revisions: tuple[Revision, ...]) -> AoT:
    """Revisions as [[revisions]] tables with a blank line between them."""
    aot = tomlkit.aot()
    for index, revision in enumerate(revisions):
        table = _revision_table(revision)
        if index < len(revisions) - 1:
            table.add(tomlkit.nl())
        aot.append(table)
    return aot


def _keep_trivia(old: Any, new: Item) -> Item:
    """Carry a hand-written trailing comment over to the new value."""
    if isinstance(old, Item) and not isinstance(old, (Table, AoT)):
        new.trivia.comment_ws = old.trivia.comment_ws
        new.trivia.comment = old.trivia.comment
        new.trivia.indent = old.trivia.indent
    return new


def _update_fields(doc: tomlkit.TOMLDocument, before: Claim, after: Claim) -> bool:
    """Bring the claim's own fields in ``doc`` up to date; True when a record list was added anew."""
    raw_after = after.to_raw()
    for name in ("statement", "confidence", "status", "superseded_by", "tags", "depends_on"):
        if getattr(before, name) == getattr(after, name) and (name in doc or name not in raw_after):
            continue
        if name not in raw_after:
            doc.pop(name, None)
        elif name in doc:
            doc[name] = _keep_trivia(doc.item(name), tomlkit.item(raw_after[name]))
        else:
            doc.add(name, raw_after[name])  # tomlkit puts a plain value ahead of the tables
    moved = False
    for name in ("appearances", "facts", "evidence"):
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        existing = doc.get(name)
        if isinstance(existing, AoT) and new[: len(old)] == old:
            # Appending keeps hand-written comments inside the existing tables.
            for record in raw_after[name][len(old) :]:
                table = tomlkit.table()
                table.update(record)
                if len(existing):
                    existing[-1].add(tomlkit.nl())
                existing.append(table)
        elif name in raw_after:
            if name in doc:
                doc[name] = _aot(raw_after[name])
            else:
                doc.add(name, _aot(raw_after[name]))
                moved = True
        else:
            doc.pop(name, None)
    return moved


def _update_document(doc: tomlkit.TOMLDocument, before: Claim, after: Claim, revision: Revision) -> None:
    revisions = doc.get("revisions")
    if revisions is not None and not isinstance(revisions, AoT):
        # revisions = [{...}, ...] written inline: tomlkit cannot append a table to it,
        # so lay the same history out as [[revisions]] tables, as a new file has it.
        doc.pop("revisions")
        revisions = _history(before.revisions)
        doc.add(tomlkit.nl())
        doc.add("revisions", revisions)
    moved = _update_fields(doc, before, after)
    if moved and revisions is not None:
        # Keep the history last, as a person would lay the file out.
        doc.pop("revisions")
        doc.add(tomlkit.nl())
        doc.add("revisions", revisions)
    if revisions is None:
        revisions = tomlkit.aot()
        doc.add("revisions", revisions)
    elif len(revisions):
        revisions[-1].add(tomlkit.nl())  # a blank line between revisions, as in a hand-written file
    revisions.append(_revision_table(revision))


_HISTORY_START = re.compile(r"^[ \t]*\[\[[ \t]*revisions[ \t]*\]\]", re.MULTILINE)
_NOT_HISTORY = re.compile(r"^[ \t]*\[(?!\[[ \t]*revisions[ \t]*\]\]|\[[ \t]*revisions\.|[ \t]*revisions\.)", re.MULTILINE)


def _appended(text: str, before: Claim, after: Claim, revision: Revision) -> str | None:
    """The file with one more revision, editing only the part above the history.

    A claim file normally ends with its [[revisions]] tables. Then only the
    head (the claim's own fields) needs tomlkit, and the new revision is added
    as text, so a write costs the same however long the history is. None when
    the file is laid out otherwise; the caller then edits the whole document.
    """
    start = _HISTORY_START.search(text)
    if start is None or _NOT_HISTORY.search(text, start.start() + 1):
        return None
    # Comments and blank lines just above the history belong to it, not to the table before.
    cut = start.start()
    lines = text[:cut].splitlines(keepends=True)
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        cut -= len(lines.pop())
    head, tail = text[:cut], text[cut:]
    doc = tomlkit.parse(head)
    _update_fields(doc, before, after)
    new = tomlkit.aot()
    new.append(_revision_table(revision))
    entry = tomlkit.document()
    entry.add("revisions", new)
    head = tomlkit.dumps(doc).rstrip("\n")
    return (head + "\n\n" if head else "") + tail.lstrip("\n").rstrip("\n") + "\n\n" + tomlkit.dumps(entry).lstrip("\n")


class Store:
    """The ``claims/`` folder of one library."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.claims_dir = root / "claims"

    def path_for(self, claim_id: str) -> Path:
        return self.claims_dir / f"{validate_id(claim_id)}.toml"

    def files(self) -> Iterator[Path]:
        """Claim files, sorted; temporary files of an interrupted write are never listed."""
        if not self.claims_dir.is_dir():
            return iter(())
        return iter(sorted(p for p in self.claims_dir.glob("*.toml") if not p.name.startswith(TEMP_PREFIX)))

    def _relative(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def read_text(self, path: Path, data: bytes | None = None) -> str:
        try:
            if data is None:
                data = path.read_bytes()
            if len(data) > MAX_CLAIM_BYTES:
                raise _too_large(len(data), self._relative(path))
            # Some editors start UTF-8 files with a byte-order mark, which TOML does not allow.
            return data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as e:
            line = e.object[: e.start].count(b"\n") + 1
            raise ClaimFileError(
                f"is not UTF-8 (byte {e.start})", file=self._relative(path), line=line, hint="save the file as UTF-8"
            ) from e
        except OSError as e:
            raise ClaimFileError(
                f"cannot be read: {e.strerror}", file=self._relative(path), hint="check that it exists and is readable"
            ) from e

    def load_path(self, path: Path, data: bytes | None = None) -> Claim:
        """Parse one claim file (``data``: its bytes, when already read)."""
        stem = path.stem
        try:
            validate_id(stem)
        except ClaimtrackError as e:
            raise ClaimFileError(f"file name {stem!r} is not a valid claim id", file=self._relative(path), hint=e.hint) from e
        return parse_claim_text(self.read_text(path, data), file=self._relative(path), expected_id=stem)

    def read(self, claim_id: str) -> Claim:
        path = self.path_for(claim_id)
        return self.load_path(path, self._read_bytes(claim_id, path))

    def _read_bytes(self, claim_id: str, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise ClaimNotFoundError(
                f"no claim {claim_id!r}", file=self._relative(path), hint="see `claimtrack list` for the ids"
            ) from None
        except OSError as e:
            raise ClaimFileError(
                f"cannot be read: {e.strerror}", file=self._relative(path), hint="check that it exists and is readable"
            ) from e

    def create(self, claim: Claim) -> Claim:
        """Write a new claim file, sealing its revisions; refuse to overwrite."""
        path = self.path_for(claim.id)
        claim = _sealed(claim)
        if (size := _text_size(claim.to_raw())) > MAX_CLAIM_BYTES:
            raise _too_large(size, self._relative(path), "would be")  # before tomlkit spends seconds on it
        text = render_claim(claim)
        if len(text.encode("utf-8")) > MAX_CLAIM_BYTES:
            raise _too_large(len(text.encode("utf-8")), self._relative(path), "would be")
        # Check before writing: a claim that would not read back (an empty fact value,
        # say) must be refused, not left on disk as an unreadable file.
        written = parse_claim_text(text, file=self._relative(path), expected_id=claim.id)
        try:
            self.claims_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:  # e.g. a file named claims
            raise ClaimtrackError(
                f"cannot be used as the claims folder: {e.strerror or e}",
                file=self._relative(self.claims_dir),
                hint="move that file away so claims/ can be a folder",
            ) from e
        with library_lock(self.root):
            if path.exists():
                raise ClaimExistsError(
                    f"claim {claim.id!r} already exists",
                    file=self._relative(path),
                    hint="choose another id, or revise the existing claim",
                )
            sweep_temp_files(self.claims_dir, cache_dir(self.root))
            atomic_write(path, text)
        return written

    def append(self, claim_id: str, make: Callable[[Claim], Revision]) -> Claim:
        """Append the revision ``make(current claim)`` under the lock, sealed and applied."""
        path = self.path_for(claim_id)
        with library_lock(self.root):
            # One read: the claim and the text tomlkit edits are the same bytes.
            data = self._read_bytes(claim_id, path)
            current = self.load_path(path, data)
            revision = make(current)
            revision = seals.seal_next(current.revisions, revision)
            after = history.apply(current, revision)
            if (size := len(data) + _text_size(revision_to_raw(revision))) > MAX_CLAIM_BYTES:
                raise _too_large(size, self._relative(path), "would be")
            text = self.read_text(path, data)
            new_text = _appended(text, current, after, revision)
            if new_text is None or _reads_as(new_text, after, claim_id) is None:
                try:
                    doc = tomlkit.parse(text)
                except RecursionError as e:  # tomlkit may give up on nesting that tomli read
                    raise ClaimFileError(
                        "is nested too deeply to edit", file=self._relative(path), hint="remove the nesting; nothing was written"
                    ) from e
                _update_document(doc, current, after, revision)
                new_text = tomlkit.dumps(doc)
            if len(new_text.encode("utf-8")) > MAX_CLAIM_BYTES:
                raise _too_large(len(new_text.encode("utf-8")), self._relative(path), "would be")
            try:
                written: Claim | None = parse_claim_text(new_text, file=self._relative(path), expected_id=claim_id)
            except ClaimFileError as e:
                # Blame the update, not the file on disk, which still reads fine.
                written, why = None, f" ({e.message})"
            else:
                why = ""
            if written != after:  # never write a file that would not read back as intended
                raise ClaimFileError(
                    f"the update would not read back as written{why}",
                    file=self._relative(path),
                    hint="report this as a bug; nothing was written",
                )
            sweep_temp_files(self.claims_dir, cache_dir(self.root))
            atomic_write(path, new_text)
        return written

    def seal(self, claim_id: str) -> int:
        """Add digests to hand-written revisions that have none; return how many."""
        path = self.path_for(claim_id)
        with library_lock(self.root):
            current = self.read(claim_id)
            sealed = seals.seal(current.revisions)
            count = sum(1 for a, b in zip(current.revisions, sealed, strict=True) if a.digest != b.digest)
            if not count:
                return 0
            doc = tomlkit.parse(self.read_text(path))
            for table, revision in zip(doc["revisions"], sealed, strict=True):  # type: ignore[arg-type]
                if revision.after and "after" not in table:
                    # A sealed revision below a newly sealed one names the parent it was sealed over.
                    if "digest" in table:
                        table.pop("digest")
                    table["after"] = list(revision.after)
                if "digest" not in table:
                    table["digest"] = revision.digest
            new_text = tomlkit.dumps(doc)
            parse_claim_text(new_text, file=self._relative(path), expected_id=claim_id)
            atomic_write(path, new_text)
        return count


def _text_size(raw: object) -> int:
    """The characters of every string in TOML-shaped data: a lower bound on its file's size."""
    if isinstance(raw, str):
        return len(raw)
    if isinstance(raw, dict):
        return sum(len(k) + _text_size(v) for k, v in raw.items())
    if isinstance(raw, list):
        return sum(_text_size(v) for v in raw)
    return 0


def _reads_as(text: str, claim: Claim, claim_id: str) -> Claim | None:
    """``claim`` when ``text`` parses to it, else None."""
    try:
        written = parse_claim_text(text, file="", expected_id=claim_id)
    except ClaimFileError:
        return None
    return written if written == claim else None


def _sealed(claim: Claim) -> Claim:
    import attrs

    return attrs.evolve(claim, revisions=seals.seal(claim.revisions))
