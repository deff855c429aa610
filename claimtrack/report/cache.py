"""Rendered claim sections, kept in ``.claimtrack/report.sqlite`` between reports.

A claim's HTML and Markdown sections are stored under its id with a key: a
SHA-256 over everything the sections show (see :func:`section_key`). A row is
used only when its key is the one computed now, so a changed claim, a claim
that gained a dependent, a link that now resolves, a new confidence scale or
new rendering code each render the section again. The key is salted with the
per-user secret that also signs the claim cache, so a cache file that arrives
with a cloned repository never matches and its HTML is never shown.

Like the other caches it can only make a report faster: a cache that cannot
be opened, read or written is ignored, and a damaged one is replaced once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..seals import heads
from .sqlite import CacheFile

if TYPE_CHECKING:
    from ..library import Library
    from ..model import Claim
    from .sections import Links

__all__ = ["SectionCache", "section_key", "page_salt", "SECTIONS_FILE"]

SECTIONS_FILE = "report.sqlite"
# Bump when what a section shows changes in a way the code's bytes would not tell.
_FORMAT = "1"


@functools.cache
def _code_fingerprint() -> str:
    """The code a section is rendered by: these modules' bytes."""
    from .. import history
    from . import changes, markdown, sections

    h = hashlib.sha256(f"claimtrack-sections {_FORMAT}\n".encode())
    for module in (sections, changes, markdown, history):
        h.update(Path(module.__file__ or "").read_bytes())
    return h.hexdigest()


def page_salt(lib: Library) -> str | None:
    """What every section key of this library starts from, or None when sections cannot be cached."""
    from ..fileio import signing_key

    secret = signing_key()
    if secret is None:
        return None
    try:
        code = _code_fingerprint()
    except OSError:
        return None
    scale = [(level.name, level.min_support) for level in lib.settings.scale.levels]
    h = hashlib.sha256(secret)
    # The library's own path too: sections made for one library are never taken for another's.
    h.update(f"\n{code}\n{json.dumps(scale, ensure_ascii=False)}\n{lib.root.resolve()}\n".encode())
    return h.hexdigest()


def _content(lib: Library, claim: Claim) -> str:
    """A digest of the claim's content.

    When every revision is sealed, the seals verify and the claim's fields are
    what its history replays to (all noted when the claim was loaded), the seals
    of its heads identify the whole claim (every sealed revision is an ancestor of
    a head; after a merge there are several); otherwise its raw data is hashed.
    """
    revisions = claim.revisions
    if revisions:
        try:
            verified = lib.claims.verified(claim)
        except Exception:  # noqa: BLE001 - any doubt: hash the content instead
            verified = None
        if (
            verified is not None
            and verified.error is None
            and not verified.differ
            and verified.broken_seal is None
            and not verified.unsealed
            and revisions[-1].digest
        ):
            return f"sealed {len(revisions)} {' '.join(heads(revisions))}"
    data = json.dumps(claim.to_raw(), sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return "raw " + hashlib.sha256(data.encode()).hexdigest()


def section_key(salt: str, lib: Library, claim: Claim, links: Links) -> str:
    """The key of the claim's sections: its content, the claims resting on it, and which of its links resolve."""
    known = links.claim_ids
    keys = links.source_keys
    flags = []
    for other in claim.depends_on:
        flags.append("1" if other in known else "0")
    if claim.superseded_by:
        flags.append("1" if claim.superseded_by in known else "0")
    for item in claim.evidence:
        if item.is_claim:
            flags.append("1" if item.claim_id in known else "0")
        else:
            flags.append("1" if item.source in keys else "0")
    for appearance in claim.appearances:
        flags.append("1" if appearance.document in keys else "0")
    for revision in claim.revisions:
        for key in revision.evidence:
            flags.append("1" if key in keys else "0")
    dependents = ",".join(links.dependents.get(claim.id, ()))
    text = f"{salt}\n{claim.id}\n{_content(lib, claim)}\n{dependents}\n{''.join(flags)}"
    return hashlib.sha256(text.encode()).hexdigest()


class SectionCache(CacheFile):
    """Sections in a SQLite file: ``claim id -> (key, html, markdown)``, one row per claim."""

    schema = "CREATE TABLE IF NOT EXISTS sections (id TEXT PRIMARY KEY, key TEXT, html TEXT, md TEXT)"
    probe = "SELECT count(*) FROM sections WHERE id = ''"

    def matching(self, keys: Mapping[str, str]) -> set[str]:
        """The ids whose stored key is ``keys[id]``: their rows can be shown."""
        db = self.connect()
        if db is None:
            return set()
        try:
            return {claim_id for claim_id, key in db.execute("SELECT id, key FROM sections") if keys.get(claim_id) == key}
        except sqlite3.Error:
            return set()

    def side(self, ids: list[str], side: int) -> dict[str, tuple[str, str]]:
        """``claim id -> (key, html)`` (``side`` 0) or ``(key, markdown)`` (1) for those of ``ids`` stored."""
        db = self.connect()
        if db is None or not ids:
            return {}
        column = ("html", "md")[side]
        marks = ",".join("?" * len(ids))
        try:
            rows = db.execute(f"SELECT id, key, {column} FROM sections WHERE id IN ({marks})", ids).fetchall()  # noqa: S608
        except sqlite3.Error:
            return {}
        return {claim_id: (key, text) for claim_id, key, text in rows if isinstance(key, str) and isinstance(text, str)}

    def put(self, rows: list[tuple[str, str, str, str]]) -> None:
        """Store ``(id, key, html, markdown)`` rows."""
        if rows:
            self.write(
                lambda cursor: cursor.executemany("INSERT OR REPLACE INTO sections (id, key, html, md) VALUES (?, ?, ?, ?)", rows)
            )

    def keep_only(self, keep: Iterable[str]) -> None:
        """Drop the rows of claims not in ``keep``."""
        db = self.connect()
        if db is None:
            return
        keep = set(keep)
        try:
            gone = [(claim_id,) for (claim_id,) in db.execute("SELECT id FROM sections") if claim_id not in keep]
        except sqlite3.Error:
            return
        if gone:
            self.write(lambda cursor: cursor.executemany("DELETE FROM sections WHERE id = ?", gone))
