"""Claim files on disk: read with tomli, written through tomlkit (see :mod:`.tomledit`).

Reading uses tomli, the parser the standard library's tomllib was taken from;
its compiled wheels read the same TOML about 2.5 times faster. Writing re-parses the file with tomlkit
and changes only what a revision touches, so the comments and layout a person
wrote by hand survive. Every write holds the library lock and replaces the file
atomically; the claim id is validated before any path is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import tomli
import tomlkit

from . import history, markers, seals
from .codec import claim_from_raw, revision_to_raw
from .errors import ClaimExistsError, ClaimFileError, ClaimNotFoundError, ClaimtrackError, InvalidIdError, MergeConflictError
from .fileio import TEMP_PREFIX, atomic_write, library_lock, read_input
from .model import Claim, Revision, validate_id, validate_new_id
from .nesting import load_toml
from .suggest import closest
from .sweeping import sweep_temp_files
from .tomledit import appended, newline_of, render_claim, update_document, with_newline

__all__ = ["Store", "claim_text", "known_id", "parse_claim_text", "render_claim", "line_of", "MAX_CLAIM_BYTES"]

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


# At the start of every line: a [[table]] header, another table's header, a key, or (the group left out) nothing.
_LINE_START = re.compile(r"^[ \t]*(?:\[\[[ \t]*([A-Za-z_]+)[ \t]*\]\]|(\[)|([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=)?", re.MULTILINE)


def key_lines(text: str) -> dict[str, int]:
    """Line numbers of a claim file's keys in one pass: ``statement``, ``revisions[2]``, ``revisions[2].date``.

    The first occurrence of each key wins, as in :func:`line_of`.
    """
    # One match a line, so a line's number is its place in the list: no counting of newlines between matches
    # (this runs on every claim file a cold load parses).
    out: dict[str, int] = {}
    counts: dict[str, int] = {}
    prefix = ""
    first = out.setdefault
    for line, (header, other_table, key) in enumerate(_LINE_START.findall(text), 1):
        if key:
            first(prefix + key, line)
        elif header:
            index = counts[header] = counts.get(header, -1) + 1
            prefix = f"{header}[{index}]"
            first(prefix, line)
            prefix += "."
        elif other_table:
            prefix = "?."  # a table claimtrack does not write: its keys are not looked up
    return out


def _unresolved_conflict(file: str, regions: list[tuple[int, int]], text: str) -> ClaimFileError:
    """The error for a claim file that still holds git's conflict markers, with what will finish the merge."""
    return ClaimFileError(
        f"unresolved merge conflict (lines {', '.join(f'{first}-{last}' for first, last in regions)})",
        file=file,
        line=None,
        hint=_conflict_hint(text, file),
    )


def _conflict_hint(text: str, file: str) -> str:
    """``claimtrack resolve`` when it can merge the two sides; else what it (and the merge driver) would say."""
    from .merge import merge_claims

    by_hand = f"take one side (`git checkout --ours -- {file}` or `--theirs`)"
    pair = markers.sides(text)
    if pair is None:
        return f"the conflict markers do not pair up: fix them by hand, or {by_hand}"
    stem = file.rpartition("/")[2].removesuffix(".toml")
    try:
        ours, theirs = (parse_claim_text(side, file=file, expected_id=stem or None) for side in pair)
        merge_claims(ours, theirs)
    except MergeConflictError as e:
        return f"`claimtrack resolve` cannot merge it ({e.message}): {by_hand}, then record the other side's change as a new revision"
    except ClaimtrackError as e:
        return f"`claimtrack resolve` cannot merge it (a side does not read: {e.message}): {by_hand} and fix it by hand"
    return "run `claimtrack resolve`"


def claim_text(data: bytes, *, file: str) -> str:
    """A claim file's bytes as text, the one way every reader takes them (from disk, or from a git commit):
    UTF-8, a leading byte-order mark dropped, at most MAX_CLAIM_BYTES; ClaimFileError otherwise."""
    if len(data) > MAX_CLAIM_BYTES:
        raise _too_large(len(data), file)
    try:
        # Some editors start UTF-8 files with a byte-order mark, which TOML does not allow.
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        line = e.object[: e.start].count(b"\n") + 1
        raise ClaimFileError(f"is not UTF-8 (byte {e.start})", file=file, line=line, hint="save the file as UTF-8") from e


def parse_claim_text(text: str, *, file: str, expected_id: str | None = None) -> Claim:
    """Parse and validate one claim file's text."""
    try:
        raw = shared_strings(
            load_toml(text, file=file, error=ClaimFileError, hint="a claim file needs only a few levels; remove the nesting"),
            {},
        )
    except tomli.TOMLDecodeError as e:
        if regions := markers.conflict_regions(text):
            raise _unresolved_conflict(file, regions, text) from e
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


def shared_strings(value: Any, seen: dict[str, str]) -> Any:
    """``value`` (parsed TOML) with every repeated string one object, the first seen of its text.

    A claim file repeats its text: the statement, tags, sources and facts again in the revisions. Made one object,
    each is stored once in the record's pickle and once in memory when it is read back (about 1.5 KB less of a
    claim's 8 KB at three revisions).
    """
    # Strings are handled in the loops, not by a call each: this runs on every claim file a cold load parses.
    kind = type(value)
    if kind is dict:
        table: dict[str, Any] = {}
        for key, item in value.items():
            kind = type(item)
            table[key] = seen.setdefault(item, item) if kind is str else _shared(item, kind, seen)
        return table
    if kind is list:
        items: list[Any] = []
        for item in value:
            kind = type(item)
            items.append(seen.setdefault(item, item) if kind is str else _shared(item, kind, seen))
        return items
    return seen.setdefault(value, value) if kind is str else value


def _shared(item: Any, kind: type, seen: dict[str, str]) -> Any:
    return shared_strings(item, seen) if kind is dict or kind is list else item


def known_id(claim_id: str, ids: Callable[[], Iterable[str]]) -> str:
    """``claim_id`` when it is well formed; else InvalidIdError, whose hint offers the library's closest id
    (``Gulshan2016`` -> ``did you mean 'gulshan2016'?``). ``ids`` lists the ids, called only for a bad one."""
    try:
        return validate_id(claim_id)
    except InvalidIdError as e:
        if isinstance(claim_id, str) and claim_id.strip():
            known = list(ids())
            lowered = "-".join(claim_id.lower().split())
            guess = lowered if lowered in known else closest(lowered, known)
            if guess:
                e.hint = f"did you mean {guess!r}? Else {e.hint}"
        raise


class Store:
    """The ``claims/`` folder of one library."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.claims_dir = root / "claims"

    def path_for(self, claim_id: str) -> Path:
        return self.claims_dir / f"{known_id(claim_id, lambda: (p.stem for p in self.files()))}.toml"

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
                data = read_input(path, shown=self._relative(path), error=ClaimFileError)
        except OSError as e:
            raise ClaimFileError(
                f"cannot be read: {e.strerror}", file=self._relative(path), hint="check that it exists and is readable"
            ) from e
        return claim_text(data, file=self._relative(path))

    def load_path(self, path: Path, data: bytes | None = None, *, shown: str | None = None) -> Claim:
        """Parse one claim file (``data``: its bytes, when already read; ``shown``: its path from the library's
        folder, when known, as errors name it)."""
        stem = path.stem
        file = shown if shown is not None else self._relative(path)
        try:
            validate_id(stem)
        except ClaimtrackError as e:
            raise ClaimFileError(f"file name {stem!r} is not a valid claim id", file=file, hint=e.hint) from e
        return parse_claim_text(self.read_text(path, data), file=file, expected_id=stem)

    def read(self, claim_id: str) -> Claim:
        path = self.path_for(claim_id)
        return self.load_path(path, self._read_bytes(claim_id, path))

    def _read_bytes(self, claim_id: str, path: Path) -> bytes:
        try:
            return read_input(path, shown=self._relative(path), error=ClaimFileError)
        except FileNotFoundError:
            raise ClaimNotFoundError(
                f"no claim {claim_id!r}", file=self._relative(path), hint="see `claimtrack list` for the ids"
            ) from None
        except OSError as e:
            raise ClaimFileError(
                f"cannot be read: {e.strerror}", file=self._relative(path), hint="check that it exists and is readable"
            ) from e

    def create(self, claim: Claim) -> Claim:
        """Write a new claim file, sealing its revisions; refuse to overwrite, and an id Windows reserves."""
        path = self.path_for(validate_new_id(claim.id))
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
            sweep_temp_files(self.root)
            atomic_write(path, text)
        return written

    def append(self, claim_id: str, make: Callable[[Claim], Revision | tuple[Revision, ...]]) -> Claim:
        """Append the revision ``make(current claim)`` (or the revisions, in order, in one write) under the lock,
        sealed and applied."""
        path = self.path_for(claim_id)
        with library_lock(self.root):
            # One read: the claim and the text tomlkit edits are the same bytes.
            data = self._read_bytes(claim_id, path)
            current = self.load_path(path, data)
            made = make(current)
            size, new_text, after = len(data), self.read_text(path, data), current
            for revision in made if isinstance(made, tuple) else (made,):
                before, revision = after, seals.seal_next(after.revisions, revision)
                after = history.apply(before, revision)
                if (size := size + _text_size(revision_to_raw(revision))) > MAX_CLAIM_BYTES:
                    raise _too_large(size, self._relative(path), "would be")
                new_text = self._appended(path, new_text, before, after, revision)
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
            sweep_temp_files(self.root)
            atomic_write(path, new_text)
        return written

    def _appended(self, path: Path, text: str, before: Claim, after: Claim, revision: Revision) -> str:
        """``text`` with one more revision: added as text when the file allows, else through tomlkit."""
        new_text = appended(text, before, after, revision)
        if new_text is None or _reads_as(new_text, after, after.id) is None:
            doc = self._edit(path, text)
            update_document(doc, before, after, revision)
            # tomlkit writes new lines with LF; TOML reads CRLF inside a multi-line string as LF, so making
            # every line end as the file's first does keeps each value.
            new_text = with_newline(tomlkit.dumps(doc), newline_of(text))
        return new_text

    def _edit(self, path: Path, text: str) -> tomlkit.TOMLDocument:
        """The file as a tomlkit document; one line, not a traceback, for what tomlkit cannot edit."""
        try:
            return tomlkit.parse(text)
        except RecursionError as e:  # tomlkit may give up on nesting that tomli read
            raise ClaimFileError(
                "is nested too deeply to edit", file=self._relative(path), hint="remove the nesting; nothing was written"
            ) from e
        except Exception as e:  # noqa: BLE001 - tomlkit's parser rejects some valid TOML that tomli reads
            raise ClaimFileError(
                f"cannot be edited: tomlkit does not read it ({' '.join(str(e).split())})",
                file=self._relative(path),
                hint="rewrite the part it names more plainly; nothing was written",
            ) from e

    def seal(self, claim_id: str, check: Callable[[Claim], object] | None = None) -> int:
        """Add digests to hand-written revisions that have none; return how many.

        ``check`` sees the claim before anything is sealed, and refuses it by raising.
        """
        path = self.path_for(claim_id)
        with library_lock(self.root):
            current = self.read(claim_id)
            sealed = seals.seal(current.revisions)
            count = sum(1 for a, b in zip(current.revisions, sealed, strict=True) if a.digest != b.digest)
            if not count:
                return 0
            if check is not None:
                check(current)  # under the lock: the file checked is the file sealed
            text = self.read_text(path)
            doc = self._edit(path, text)
            for table, revision in zip(doc["revisions"], sealed, strict=True):  # type: ignore[arg-type]
                if revision.after and "after" not in table:
                    # A sealed revision below a newly sealed one names the parent it was sealed over.
                    if "digest" in table:
                        table.pop("digest")
                    table["after"] = list(revision.after)
                if "digest" not in table:
                    table["digest"] = revision.digest
            new_text = with_newline(tomlkit.dumps(doc), newline_of(text))
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
