"""Formatted references kept in ``.claimtrack/references.sqlite`` between reports.

An entry's formatted text is stored under a digest of everything it depends
on: the style's XML, citeproc-py's version, the code that decodes entries, and
the entry's type and fields. A hit is therefore never stale, and is found
without decoding the entry's LaTeX again. The digest is stored keyed with the
per-user secret that signs the other caches and with the library's folder, so
a references.sqlite that came with a cloned repository (or from another
library) never matches, and its HTML is never shown.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .sqlite import CacheFile

__all__ = ["ReferenceCache", "style_fingerprint", "entry_digest", "CACHE_FILE", "CACHE_VERSION"]

CACHE_FILE = "references.sqlite"
# Bump when what is stored for an entry changes (the swapping, checks or clean-up above).
CACHE_VERSION = "2"


def style_fingerprint(style: Any) -> str:
    """What a formatted entry depends on besides the entry: the style's XML, citeproc-py's version (its locales), our clean-up."""
    from lxml import etree

    try:
        from citeproc import __version__ as citeproc_version
    except ImportError:  # pragma: no cover
        citeproc_version = "?"
    h = hashlib.sha256()
    h.update(f"claimtrack-references {CACHE_VERSION}\nciteproc-py {citeproc_version}\n".encode())
    h.update(etree.tostring(style.xml))
    return h.hexdigest()


def entry_digest(fingerprint: str, source: Any) -> str:
    """The cache key of an entry's formatted text: the style and code (``fingerprint``), the entry's type and fields.

    The entry's CSL-JSON is made from exactly these by code the fingerprint
    covers, so a cached entry is found without decoding its LaTeX again.
    """
    data = json.dumps([source.entry_type, sorted(source.fields.items())], ensure_ascii=False, separators=(",", ":"))
    return "entry:" + hashlib.sha256(f"{fingerprint}\n{data}".encode()).hexdigest()


class ReferenceCache(CacheFile):
    """Formatted entries in a SQLite file: ``digest -> (html, error)``.

    The digest covers everything the output depends on, so a hit is never stale.
    """

    schema = "CREATE TABLE IF NOT EXISTS formatted (digest TEXT PRIMARY KEY, html TEXT, error TEXT) WITHOUT ROWID"
    probe = "SELECT count(*) FROM formatted WHERE digest = ''"

    def __init__(self, path: Path, salt: bytes) -> None:
        super().__init__(path)
        self._salt = salt

    def _stored(self, digest: str) -> str:
        """The row key of ``digest``: only this user's claimtrack, for this library, can compute it."""
        return hmac.new(self._salt, digest.encode(), "sha256").hexdigest()

    def get_many(self, digests: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        db = self.connect()
        wanted = {self._stored(digest): digest for digest in dict.fromkeys(digests)}
        stored = list(wanted)
        out: dict[str, tuple[str | None, str | None]] = {}
        if db is None:
            return out
        try:
            for start in range(0, len(stored), 500):
                chunk = stored[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, text, error in db.execute(f"SELECT digest, html, error FROM formatted WHERE digest IN ({marks})", chunk):
                    if (text is None) != (error is None) and isinstance(text or error, str) and key in wanted:
                        out[wanted[key]] = (text, error)
        except sqlite3.Error:
            return {}
        return out

    def put_many(self, rows: Iterable[tuple[str, str | None, str | None]]) -> None:
        stored = [(self._stored(digest), text, error) for digest, text, error in rows]
        if stored:
            self.write(
                lambda cursor: cursor.executemany(
                    "INSERT OR REPLACE INTO formatted (digest, html, error) VALUES (?, ?, ?)", stored
                )
            )
