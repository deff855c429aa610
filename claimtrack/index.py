"""Loading every claim of a library, fast, through a derived cache.

The claim files are the truth; ``.claimtrack/claims.sqlite`` only remembers
what each file parsed to. A cached row is used when the file's name, size and
modification time match, and, when the file changed too close to the moment
the row was written for its time stamp to tell, when its SHA-256 matches as
well. With ``check_content`` (what the audit does) every file is read and its
SHA-256 compared, so a hand edit that kept the size and restored the time
stamp is seen too. Anything else is parsed again, and the cache brought up to
date.

Rows hold pickled records, signed with a key kept outside the library (in
the user's cache folder) over the library's folder, the file's name, its
SHA-256 and the pickle: a cache file that came with a cloned repository is
never unpickled, and a row copied from another library of the same user is
never taken for this one's. Large cold loads are parsed by a pool of processes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import sqlite3
import stat
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from multiprocessing.context import BaseContext
from pathlib import Path

import attrs

from .claimmap import Claims, LineMap
from .collector import collector_paused
from .errors import ClaimFileError, ClaimtrackError
from .fileio import TEMP_PREFIX, cache_file, fork_is_safe, not_regular, read_input, sign, signing_key
from .history import Verified, verify
from .model import Claim, validate_id
from .pickled import ClaimView, DerivedView, Record, Records, unpickled
from .store import Store, key_lines

__all__ = ["load_claims", "load_some", "unchanged", "Claims", "CACHE_NAME"]

CACHE_NAME = "claims.sqlite"
_FORMAT = "11"  # bump when the records, their pickled form or what verifying a claim finds change
_RACY_NS = 2_000_000_000  # a file this close to the cache write may have changed unseen
_PARALLEL_FROM = 3000  # below this many files a process pool costs more than it saves
_BATCH = 500
_FLUSH = 5000  # parsed rows written to the cache at a time


@functools.cache
def _version() -> str:
    """What a cache row's pickle depends on: this format, the package version and the records' fields,
    so that a row written by other code (even an unreleased change to a record) is never read."""
    from importlib.metadata import PackageNotFoundError, version

    from . import model

    records = (model.Claim, model.Revision, model.Evidence, model.Fact, model.Appearance, model.Ignore, Verified)
    layout = ";".join(f"{cls.__name__}:{','.join(f.name for f in attrs.fields(cls))}" for cls in records)
    try:
        release = version("claimtrack")
    except PackageNotFoundError:
        release = "?"
    return f"{_FORMAT}:{release}:{hashlib.sha256(layout.encode()).hexdigest()[:16]}"


# name, size, mtime, sha, the pickled (claim, checked facts, line text), and (in process) what it holds, or the error
_Parsed = tuple[str, int, int, str, bytes | None, "tuple[Claim, Verified, tuple[str, str]] | ClaimtrackError | None"]


def _parse_batch(root: str, items: list[tuple[str, int, int]], keep: bool = False) -> list[_Parsed]:
    """Parse claim files; per file the pickled claim and, with ``keep``, the claim itself, or the error.

    Workers return only the pickles (the claim would be pickled twice otherwise).
    """
    store = Store(Path(root))
    out: list[_Parsed] = []
    for name, size, mtime in items:
        path = store.claims_dir / name
        try:
            data = read_input(path, shown=f"claims/{name}", error=ClaimFileError)
            claim = store.load_path(path, data, shown=os.path.join("claims", name))  # what Store's relative path gives
        except ClaimtrackError as e:
            out.append((name, size, mtime, "", None, e))
            continue
        except OSError as e:
            error = ClaimtrackError(f"cannot be read: {e.strerror}", file=f"claims/{name}")
            out.append((name, size, mtime, "", None, error))
            continue
        checked = verify(claim)
        lines = LineMap.of(key_lines(data.decode("utf-8-sig", errors="replace"))).packed
        blob = pickle.dumps((claim, checked, lines), protocol=pickle.HIGHEST_PROTOCOL)
        sha = hashlib.sha256(data).hexdigest()
        out.append((name, size, mtime, sha, blob, (claim, checked, lines) if keep else None))
    return out


# A row: the file's name, size, time stamp and SHA-256, when the row was written, the signature and the pickle.
_TABLE = (
    "CREATE TABLE IF NOT EXISTS claims (name TEXT PRIMARY KEY, size INT, mtime INT, sha TEXT, written INT, mac BLOB, blob BLOB)"
)


class _Cache:
    def __init__(self, root: Path, key: bytes) -> None:
        self.key = key
        self.library = str(root.resolve())
        self.path = cache_file(root, CACHE_NAME)
        self.db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        # Rows are about 3 KB: on 16 KB pages five share one, where a 4 KB page holds one and wastes a quarter
        # (a cold load writes about half as much, a warm load reads less). Only a new cache file takes it.
        self.db.execute("PRAGMA page_size=16384")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        stored = self.db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if stored is None or stored[0] != _version():
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("DROP TABLE IF EXISTS claims")
            self.db.execute(_TABLE)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (_version(),))
            self.db.execute("COMMIT")

    def mac(self, name: str, sha: str, blob: bytes) -> bytes:
        """The row's signature: this library, the file's name and content hash, and the pickle, together."""
        return sign(self.key, self.library, name, sha, blob)

    def rows(self) -> Iterator[tuple[str, int, int, str, int, bytes, bytes]]:
        """Every row, in name order, one at a time (a large library's rows do not all sit in memory).

        A cache that fails mid-read (its folder deleted under it, say) simply ends: the rest is parsed.
        """
        try:
            yield from self.db.execute("SELECT name, size, mtime, sha, written, mac, blob FROM claims ORDER BY name")
        except sqlite3.Error:
            return

    def update(self, fresh: Iterable[tuple[str, int, int, str, bytes]], gone: Iterable[str] = ()) -> None:
        now = time.time_ns()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany(
                "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((name, size, mtime, sha, now, self.mac(name, sha, blob), blob) for name, size, mtime, sha, blob in fresh),
            )
            self.db.executemany("DELETE FROM claims WHERE name = ?", ((name,) for name in gone))
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()


def _open_cache(root: Path) -> _Cache | None:
    """The cache, or None when it cannot be had: loading then simply parses every file."""
    key = signing_key()
    if key is None:
        return None
    try:
        return _Cache(root, key)
    except (OSError, ClaimtrackError):
        return None  # .claimtrack/ is not a usable folder
    except sqlite3.Error:
        # A damaged cache is derived data: start it anew.
        with contextlib.suppress(OSError, ClaimtrackError):
            cache_file(root, CACHE_NAME).unlink()
        with contextlib.suppress(sqlite3.Error, OSError, ClaimtrackError):
            return _Cache(root, key)
    return None


def _scan(claims_dir: Path) -> tuple[list[tuple[str, int, int]], list[ClaimtrackError]]:
    """Claim files with their size and time stamp, and what is wrong with the entries that are not files."""
    if not claims_dir.is_dir():
        return [], []
    out, problems = [], []
    with os.scandir(claims_dir) as entries:
        for entry in entries:
            name = entry.name
            if not name.endswith(".toml") or name.startswith(TEMP_PREFIX):
                continue
            try:
                st = entry.stat()
            except OSError as e:
                problems.append(
                    ClaimtrackError(f"cannot be read: {e.strerror}", file=f"claims/{name}", hint="fix or remove the link")
                )
                continue
            if not stat.S_ISREG(st.st_mode):
                problems.append(not_regular(st.st_mode, f"claims/{name}", ClaimFileError))
                continue
            out.append((name, st.st_size, st.st_mtime_ns))
    out.sort()
    return out, problems


#: Set by the command line, whose entry points start nothing when imported again by a spawned worker.
main_is_guarded = False


def _pool_context() -> BaseContext | None:
    """How to start worker processes here, or None when none can be started safely.

    Forking is cheap and runs nothing again, but is only safe in a process with
    one thread, on a platform that forks cleanly. Spawning starts a new
    interpreter that imports the main module again: harmless from the command
    line, an interactive session or ``python -c``, but a script without an
    ``if __name__ == "__main__"`` guard would run its top level again in every
    worker, so there the files are parsed in this process.
    """
    if fork_is_safe():
        return get_context("fork")
    main = sys.modules.get("__main__")
    if main_is_guarded or getattr(main, "__file__", None) is None:
        return get_context("spawn")
    return None


def _parse(store: Store, items: list[tuple[str, int, int]], parallel: bool | None) -> Iterator[_Parsed]:
    """Parse the files; results come in the order of ``items``, as the workers finish them."""
    workers = os.cpu_count() or 1
    if parallel is None:
        parallel = len(items) >= _PARALLEL_FROM and workers > 1
    context = _pool_context() if parallel else None
    if context is None:
        yield from _parse_batch(str(store.root), items, keep=True)
        return
    batches = [items[i : i + _BATCH] for i in range(0, len(items), _BATCH)]
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for batch in pool.map(_parse_batch, [str(store.root)] * len(batches), batches):
                yield from batch
                done += 1
    except (BrokenProcessPool, OSError):
        # Some hosts cannot start workers (a locked-down sandbox, a process limit); parsing
        # what is left in this process is slower but always works.
        yield from _parse_batch(str(store.root), [item for batch in batches[done:] for item in batch], keep=True)


def load_claims(
    store: Store,
    *,
    use_cache: bool = True,
    parallel: bool | None = None,
    check_content: bool = False,
    hashes: dict[str, str] | None = None,
) -> tuple[Mapping[str, Claim], tuple[ClaimtrackError, ...], Mapping[str, tuple[Verified, LineMap]]]:
    """Every readable claim by id, one error for each file that could not be read, and per claim
    its checked facts and its keys' line numbers (what the audit needs, without reading the files again).

    ``check_content`` reads every file and uses a cached row only when the file's SHA-256 is the row's;
    otherwise size and time stamp decide (a hand edit that restored both is then not seen). ``hashes``, when
    given, is filled with each loaded file's name and the SHA-256 its claim was read from (see :func:`unchanged`)."""
    files, problems = _scan(store.claims_dir)
    cache = _open_cache(store.root) if use_cache and files else None
    # Building hundreds of thousands of small records sets off the cyclic garbage
    # collector again and again, for nothing: none of them can form a cycle.
    with collector_paused():
        return _load(store, files, problems, cache, parallel, check_content, hashes)


def _load(
    store: Store,
    files: list[tuple[str, int, int]],
    problems: list[ClaimtrackError],
    cache: _Cache | None,
    parallel: bool | None,
    check_content: bool,
    hashes: dict[str, str] | None,
) -> tuple[Mapping[str, Claim], tuple[ClaimtrackError, ...], Mapping[str, tuple[Verified, LineMap]]]:
    try:
        records = Records(functools.partial(_parse_one, str(store.root)))
        stale: list[tuple[str, int, int]] = []
        gone: list[str] = []
        # Files and cache rows both come in name order: walk them side by side.
        rows = cache.rows() if cache else iter(())
        row = next(rows, None)
        for name, size, mtime in files:
            while row is not None and row[0] < name:
                gone.append(row[0])
                row = next(rows, None)
            hit = None
            if row is not None and row[0] == name:
                hit = _from_row(store, cache, name, size, mtime, row[1:], check_content)
                row = next(rows, None)
            if hit is None:
                stale.append((name, size, mtime))
            else:
                # Only files whose id is their name parse (see Store.load_path), so only those have rows.
                records.put(name[: -len(".toml")], hit[0])
                if hashes is not None:
                    hashes[name] = hit[1]
        while row is not None:
            gone.append(row[0])
            row = next(rows, None)
        fresh: list[tuple[str, int, int, str, bytes]] = []
        writable = cache is not None
        for name, size, mtime, sha, blob, parsed in _parse(store, stale, parallel):
            if isinstance(parsed, ClaimtrackError) or blob is None:
                problems.append(
                    parsed if isinstance(parsed, ClaimtrackError) else ClaimtrackError("cannot be read", file=f"claims/{name}")
                )
                continue
            if isinstance(parsed, tuple):
                records.put(parsed[0].id, parsed)
            else:  # from a worker: kept pickled, as a cache row is, until looked at
                records.put(name[: -len(".toml")], blob)
            if hashes is not None:
                hashes[name] = sha
            if writable:
                fresh.append((name, size, mtime, sha, blob))
                if len(fresh) >= _FLUSH:  # in steps, so the pickles do not pile up in memory
                    writable = _write(cache, fresh)
                    if writable:
                        fresh.clear()
        if writable and (fresh or gone):
            writable = _write(cache, fresh, gone)
    finally:
        if cache is not None:
            cache.close()
    records.ordered()
    problems.sort(key=lambda e: e.file or "")
    return ClaimView(records), tuple(problems), DerivedView(records, LineMap)


def _parse_one(root: str, claim_id: str) -> Record:
    """One claim parsed from its file, for a cache row that does not unpickle (see :class:`Records`)."""
    [(*_, parsed)] = _parse_batch(root, [(f"{claim_id}.toml", 0, 0)], keep=True)
    if isinstance(parsed, ClaimtrackError):
        raise parsed
    assert isinstance(parsed, tuple)
    return parsed


def _write(cache: _Cache | None, fresh: list[tuple[str, int, int, str, bytes]], gone: list[str] | None = None) -> bool:
    """Store parsed rows; False when the cache cannot be written (it is only a shortcut: loading goes on)."""
    try:
        if cache is not None:
            cache.update(fresh, gone or ())
        return True
    except sqlite3.Error:
        return False


def _from_row(
    store: Store,
    cache: _Cache | None,
    name: str,
    size: int,
    mtime: int,
    row: tuple[int, int, str, int, bytes, bytes],
    check_content: bool = False,
) -> tuple[bytes, str] | None:
    """The row's pickle and the file's SHA-256 when the row is this file's, signed by this user, else None."""
    cached_size, cached_mtime, sha, written, mac, blob = row
    if cache is None or cached_size != size or cached_mtime != mtime:
        return None
    if (check_content or written - mtime < _RACY_NS) and not _has_content(store.claims_dir / name, sha):
        return None  # asked to compare, or the file may have changed within its time stamp's resolution
    if not isinstance(mac, bytes) or not isinstance(blob, bytes) or not hmac.compare_digest(mac, cache.mac(name, sha, blob)):
        return None
    return blob, sha


def unchanged(store: Store, hashes: Mapping[str, str]) -> bool:
    """Whether every claim file still has the SHA-256 it was loaded from (``hashes`` from :func:`load_claims`).

    Reads every file: what the audit pays to see a hand edit that kept the size and time stamp.
    """
    # The tightest loop that reads a file: no stat (a folder or a FIFO fails the read or the hash, a larger file
    # the hash) and no path objects; the checked load that a mismatch leads to words any problem.
    folder = os.path.join(str(store.claims_dir), "")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    open_, read, close, sha256 = os.open, os.read, os.close, hashlib.sha256
    for name, sha in hashes.items():
        try:
            fd = open_(folder + name, flags)
        except OSError:
            return False
        try:
            data = read(fd, _CHUNK)
            if len(data) == _CHUNK:  # a larger file: the rest of it too
                parts = [data]
                while part := read(fd, _CHUNK):
                    parts.append(part)
                data = b"".join(parts)
        except OSError:
            return False
        finally:
            close(fd)
        if sha256(data).hexdigest() != sha:
            return False
    return True


_CHUNK = 1 << 16  # one read for a claim file of any usual size


def _has_content(path: str | Path, sha: str) -> bool:
    """Whether the file reads, and its SHA-256 is ``sha``."""
    try:
        return hashlib.sha256(read_input(path)).hexdigest() == sha
    except (OSError, ClaimtrackError):
        return False


def load_some(store: Store, claim_ids: Iterable[str], *, dependencies: bool = False) -> Claims:
    """Just the named claims (with ``dependencies``, also the claims they depend on and their successors), through
    the same cache as :func:`load_claims`, for a command that needs a few of many.

    Ids that are malformed or have no file are left out; a file that cannot be
    read is in ``problems``. Rows parsed afresh are added to the cache.
    """
    claims: dict[str, Claim] = {}
    derived: dict[str, tuple[Verified, LineMap]] = {}
    problems: list[ClaimtrackError] = []
    wanted = list(dict.fromkeys(claim_ids))
    _load_into(store, wanted, claims, derived, problems)
    if dependencies:
        more = {
            dep
            for claim in claims.values()
            for dep in (*claim.depends_on, claim.superseded_by or "")
            if dep and dep not in claims
        }
        _load_into(store, sorted(more), claims, derived, problems)
    return Claims(claims, tuple(problems), derived)


def _load_into(store: Store, claim_ids: list[str], claims: dict[str, Claim], derived: dict[str, tuple[Verified, LineMap]],
               problems: list[ClaimtrackError]) -> None:  # fmt: skip
    items = []
    for claim_id in claim_ids:
        try:
            validate_id(claim_id)
            st = (store.claims_dir / f"{claim_id}.toml").stat()
        except (ClaimtrackError, OSError):
            continue
        items.append((f"{claim_id}.toml", st.st_size, st.st_mtime_ns))
    cache = _open_cache(store.root) if items else None
    try:
        rows: dict[str, tuple[int, int, str, int, bytes, bytes]] = {}
        if cache is not None:
            names = [name for name, _, _ in items]
            for i in range(0, len(names), _BATCH):
                chunk = names[i : i + _BATCH]
                query = (
                    f"SELECT name, size, mtime, sha, written, mac, blob FROM claims WHERE name IN ({','.join('?' * len(chunk))})"
                )
                rows.update((row[0], row[1:]) for row in cache.db.execute(query, chunk))
        stale = []
        for name, size, mtime in items:
            row = rows.get(name)
            hit = _from_row(store, cache, name, size, mtime, row) if row is not None else None
            record = unpickled(hit[0]) if hit is not None else None
            if record is None:
                stale.append((name, size, mtime))
            else:
                claims[record[0].id], derived[record[0].id] = record[0], (record[1], LineMap(record[2]))
        fresh = []
        for name, size, mtime, sha, blob, parsed in _parse_batch(str(store.root), stale, keep=True):
            if isinstance(parsed, ClaimtrackError) or blob is None or parsed is None:
                problems.append(
                    parsed if isinstance(parsed, ClaimtrackError) else ClaimtrackError("cannot be read", file=f"claims/{name}")
                )
                continue
            claim, checked, lines = parsed
            claims[claim.id], derived[claim.id] = claim, (checked, LineMap(lines))
            fresh.append((name, size, mtime, sha, blob))
        if fresh:
            _write(cache, fresh)
    finally:
        if cache is not None:
            cache.close()
