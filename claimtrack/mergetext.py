"""Merging claim files as text: what git's merge driver and ``claimtrack resolve`` write.

The merged file is the same bytes whichever side is ours: the claim's own
fields (above the history) are written afresh from the merged history, as a
new claim file lays them out, and each revision keeps the text it has in the
side it comes from (its comments too), with an ``after`` line added where the
merge moved it away from the revision it was sealed over.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import tomli

from . import markers
from .errors import ClaimFileError, ClaimtrackError, MergeConflictError
from .fileio import atomic_write, library_lock
from .merge import identity, merge_claims
from .model import Claim
from .store import Store, parse_claim_text, render_claim

__all__ = ["merge_texts", "resolve_text", "merge_driver", "conflicted_files", "resolve_files"]

_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*revisions[ \t]*\]\][ \t]*(?:#.*)?$", re.MULTILINE)
_OTHER_TABLE = re.compile(r"^[ \t]*\[(?!\[[ \t]*revisions[ \t]*\]\]|\[[ \t]*revisions\.|[ \t]*revisions\.)", re.MULTILINE)
_AFTER = re.compile(r"^[ \t]*after[ \t]*=.*\n?", re.MULTILINE)
_DIGEST = re.compile(r"^[ \t]*digest[ \t]*=", re.MULTILINE)


def merge_texts(ours: str, theirs: str, *, file: str) -> str:
    """The merged text of two versions of a claim file; raise MergeConflictError on a real conflict.

    ``file`` names the claim file (its stem is the claim id) in messages.
    """
    return _merge(ours, theirs, file)[0]


def resolve_text(text: str, *, file: str) -> str:
    """A file left with git's conflict markers, merged as the merge driver would have merged it."""
    return _resolve(text, file)[0]


def _resolve(text: str, file: str) -> tuple[str, Claim | None]:
    pair = markers.sides(text)
    if pair is None:
        raise ClaimFileError(
            "has conflict markers that do not pair up (<<<<<<<, =======, >>>>>>>)",
            file=file,
            hint="fix the markers by hand, or take one side with `git checkout --ours` or `--theirs`",
        )
    return _merge(*pair, file)


def _merge(ours: str, theirs: str, file: str) -> tuple[str, Claim | None]:
    """The merged text and the claim it reads as (None when the two sides are the same text, unread)."""
    if ours == theirs:
        return ours, None
    if "\r\n" in ours or "\r\n" in theirs:  # a file kept with Windows line endings keeps them
        text, merged = _merge(ours.replace("\r\n", "\n"), theirs.replace("\r\n", "\n"), file)
        return text.replace("\n", "\r\n"), merged
    claim_id = Path(file).stem
    mine = parse_claim_text(ours, file=file, expected_id=claim_id)
    other = parse_claim_text(theirs, file=file, expected_id=claim_id)
    merged = merge_claims(mine, other)
    blocks: dict[str, list[str]] = {}
    for side, claim in ((ours, mine), (theirs, other)):
        for key, block in (_blocks(side, claim) or {}).items():
            blocks.setdefault(key, []).append(block)
    # Each revision's own text where the files allow it, else the whole claim as a new file lays it out;
    # never a file that does not read back as the merge.
    for write in (lambda: _compose(merged, blocks), lambda: render_claim(merged)):
        written = write()
        if written is not None and _reads_as(written, merged, file):
            return written, merged
    raise ClaimFileError("the merged file would not read back as merged", file=file, hint="report this as a bug")


def _reads_as(text: str, claim: Claim, file: str) -> bool:
    try:
        return parse_claim_text(text, file=file, expected_id=claim.id) == claim
    except ClaimFileError:
        return False


def _blocks(text: str, claim: Claim) -> dict[str, str] | None:
    """Each revision's text by its identity (without an ``after`` line), or None when the file is laid out otherwise."""
    headers = list(_HEADER.finditer(text))
    if len(headers) != len(claim.revisions) or (headers and _OTHER_TABLE.search(text, headers[0].start() + 1)):
        return None
    out = {}
    for i, (match, revision) in enumerate(zip(headers, claim.revisions, strict=True)):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        out[identity(revision)] = _AFTER.sub("", text[match.start() : end]).rstrip() + "\n"
    return out


def _compose(merged: Claim, blocks: dict[str, list[str]]) -> str | None:
    head = render_claim(merged, with_history=False)  # the fields as a new file lays them out
    parts = [head.rstrip("\n") + "\n"]
    for revision in merged.revisions:
        texts = blocks.get(identity(revision))
        if not texts:
            return None
        block = min(texts)  # the two sides' texts differ only in layout or comments: take either, the same way
        if revision.after:
            digest = _DIGEST.search(block)
            line = "after = [" + ", ".join(f'"{d}"' for d in revision.after) + "]\n"
            block = block[: digest.start()] + line + block[digest.start() :] if digest else block + line
        parts.append(block)
    return "\n".join(parts)


def merge_driver(base: Path, ours: Path, theirs: Path, name: str) -> str | None:
    """git's merge driver for one claim file: the merged text goes to ``ours``.

    Returns None when the merge is clean; otherwise the one line to print,
    with git's own conflict markers left in ``ours`` for ``claimtrack resolve``
    or a person to finish.
    """
    from .gitrepo import Repo

    try:
        ours_text, theirs_text = (p.read_bytes().decode("utf-8") for p in (ours, theirs))
        merged = merge_texts(ours_text, theirs_text, file=name)
    except MergeConflictError as e:
        Repo(ours.parent).merge_file(ours, base, theirs, name)
        return str(e)
    except (ClaimtrackError, UnicodeDecodeError) as e:
        # Not a claim file both sides can read: git's own line merge decides.
        conflicts = Repo(ours.parent).merge_file(ours, base, theirs, name)
        return f"{e} (merged as plain text, with {conflicts} conflicts)" if conflicts else None
    atomic_write(ours, merged)  # all or nothing: a full disk leaves git's %A whole, and git sees the failure
    return None


def conflicted_files(store: Store) -> list[Path]:
    """The claim files that hold git's conflict markers and do not read as TOML."""
    out = []
    for path in store.files():
        text = path.read_bytes().decode("utf-8", "replace")
        if markers.has_conflict(text):
            try:
                tomli.loads(text)
            except (tomli.TOMLDecodeError, RecursionError):  # a file too deep to read is not merged either
                out.append(path)
    return out


def resolve_files(store: Store, paths: Sequence[Path] = ()) -> list[tuple[Path, Claim]]:
    """Finish a merge made without the driver: merge the sides of each conflicted claim file (default: all).

    Every file is merged before any is written; a real conflict in any raises
    MergeConflictError naming each conflicted claim (one line each) and writes nothing.
    """
    paths = list(paths) or conflicted_files(store)
    results: list[tuple[Path, str, Claim | None]] = []
    conflicts: list[MergeConflictError] = []
    for path in paths:
        name = _name(store, path)
        text = store.read_text(path)
        if not markers.has_conflict(text):
            raise ClaimFileError("has no conflict markers", file=name, hint="only a file git left conflicted needs resolving")
        try:
            results.append((path, *_resolve(text, name)))
        except MergeConflictError as e:
            conflicts.append(e)
    if len(conflicts) == 1:
        raise conflicts[0]
    if conflicts:
        raise MergeConflictError(
            f"{len(conflicts)} claim files have merge conflicts; nothing was written",
            conflicts=tuple(conflicts),
            hint="resolve each by hand",
        )
    written = []
    with library_lock(store.root):
        for path, text, claim in results:
            atomic_write(path, text)
            written.append((path, claim or parse_claim_text(text, file=_name(store, path), expected_id=path.stem)))
    return written


def _name(store: Store, path: Path) -> str:
    try:
        return path.resolve().relative_to(store.root.resolve()).as_posix()
    except ValueError:
        return str(path)
