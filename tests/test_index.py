from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack import index
from claimtrack.index import CACHE_NAME, load_claims


@pytest.fixture
def many(lib: claimtrack.Library) -> claimtrack.Library:
    for i in range(6):
        lib.add(f"claim-{i}", f"Statement number {i}.", by="x", date="2022-12-11")
    return lib


def _age(path: Path, seconds: float = 10) -> None:
    """Move a file's time stamp into the past, so the cache trusts size and time alone."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - int(seconds * 1e9)))


def _age_all(lib: claimtrack.Library) -> None:
    for path in lib.store.files():
        _age(path)


def test_warm_load_uses_the_cache(many: claimtrack.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    _age_all(many)
    cold, _, _verified = load_claims(many.store)
    calls: list[str] = []
    real = index._parse_batch
    monkeypatch.setattr(
        index, "_parse_batch", lambda root, items, keep=False: calls.extend(n for n, _, _ in items) or real(root, items, keep)
    )
    warm, problems, _verified = load_claims(many.store)
    assert warm == cold and problems == () and calls == []


def test_a_new_cache_file_has_pages_that_hold_several_rows(many: claimtrack.Library) -> None:
    load_claims(many.store)
    db = sqlite3.connect(many.root / ".claimtrack" / CACHE_NAME)
    try:
        assert db.execute("PRAGMA page_size").fetchone() == (16384,)
        assert db.execute("SELECT count(*) FROM claims").fetchone() == (6,)
    finally:
        db.close()


def test_a_changed_file_is_parsed_again(many: claimtrack.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    _age_all(many)
    load_claims(many.store)
    many.revise("claim-3", old="3", new="three", reason="spelled out", by="x", date="2022-12-12")
    calls: list[str] = []
    real = index._parse_batch
    monkeypatch.setattr(
        index, "_parse_batch", lambda root, items, keep=False: calls.extend(n for n, _, _ in items) or real(root, items, keep)
    )
    claims, _, _verified = load_claims(many.store)
    assert calls == ["claim-3.toml"]
    assert claims["claim-3"].statement == "Statement number three."


def test_same_size_same_time_different_content_is_caught(many: claimtrack.Library) -> None:
    """A hand edit that keeps the size and the time stamp: the content hash tells."""
    path = many.root / "claims" / "claim-1.toml"
    load_claims(many.store)  # fresh files: the cache must hash them
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("number 1.", "number 7.", 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    claims, _, _verified = load_claims(many.store)
    assert claims["claim-1"].statement == "Statement number 7."


def test_new_and_deleted_files(many: claimtrack.Library) -> None:
    load_claims(many.store)
    (many.root / "claims" / "claim-0.toml").unlink()
    many.add("fresh", "A new one.", by="x", date="2022-12-11")
    claims, _, _verified = load_claims(many.store)
    assert "claim-0" not in claims and "fresh" in claims
    rows = sqlite3.connect(many.root / ".claimtrack" / CACHE_NAME).execute("SELECT name FROM claims").fetchall()
    assert ("claim-0.toml",) not in rows


def test_broken_files_are_never_cached(many: claimtrack.Library) -> None:
    (many.root / "claims" / "broken.toml").write_text('id = "broken"\n', encoding="utf-8")
    for _ in range(2):
        claims, problems, _verified = load_claims(many.store)
        assert len(problems) == 1 and problems[0].file == "claims/broken.toml"


def test_a_forged_cache_row_is_not_trusted(many: claimtrack.Library) -> None:
    _age_all(many)
    load_claims(many.store)
    db = sqlite3.connect(many.root / ".claimtrack" / CACHE_NAME)
    import pickle

    forged = pickle.dumps(many.claims["claim-2"].__class__(id="claim-2", statement="forged", confidence="hypothesis"))
    db.execute("UPDATE claims SET blob = ? WHERE name = 'claim-2.toml'", (forged,))
    db.commit()
    claims, _, _verified = load_claims(many.store)
    assert claims["claim-2"].statement == "Statement number 2."


def test_a_damaged_cache_file_is_rebuilt(many: claimtrack.Library) -> None:
    load_claims(many.store)
    (many.root / ".claimtrack" / CACHE_NAME).write_bytes(b"not a database at all" * 100)
    for suffix in ("-wal", "-shm"):
        (many.root / ".claimtrack" / (CACHE_NAME + suffix)).unlink(missing_ok=True)
    claims, problems, _verified = load_claims(many.store)
    assert len(claims) == 6 and problems == ()


def test_parallel_parse_gives_the_same_claims(many: claimtrack.Library) -> None:
    serial, _, _verified = load_claims(many.store, use_cache=False, parallel=False)
    parallel, _, _verified = load_claims(many.store, use_cache=False, parallel=True)
    assert serial == parallel and list(serial) == sorted(serial)


def test_without_a_writable_home_the_cache_is_skipped(many: claimtrack.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "signing_key", lambda: None)
    claims, _, _verified = load_claims(many.store)
    assert len(claims) == 6


def test_the_history_check_is_cached_with_the_claim(many: claimtrack.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    _age_all(many)
    _, _, first = load_claims(many.store)
    checked, lines = first["claim-1"]
    assert checked.differ == () and checked.broken_seal is None
    assert lines["statement"] == 2 and lines["revisions[0]"] > lines["statement"]

    def refuse(claim: object) -> None:
        raise AssertionError("verified again on a warm load")

    monkeypatch.setattr(index, "verify", refuse)
    claims, problems, warm = load_claims(many.store)
    assert warm == first
    assert index.Claims(claims, problems, warm).key_lines("claim-1") == first["claim-1"][1]


def test_line_maps_come_back_from_workers_and_when_the_cache_cannot_take_them(
    many: claimtrack.Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "_write", lambda *args, **kwargs: False)
    monkeypatch.setattr(index, "_FLUSH", 2)
    _, _, derived = load_claims(many.store, parallel=True)
    claims = index.Claims({}, (), derived)
    assert all(claims.key_lines(f"claim-{i}")["statement"] == 2 for i in range(6))  # type: ignore[index]


def test_claim_files_of_one_shape_share_their_line_maps_keys(many: claimtrack.Library) -> None:
    _age_all(many)
    load_claims(many.store)  # cold: the cache rows written
    claims = index.Claims(*load_claims(many.store))  # warm: the records unpickled from them
    assert claims.loaded and not claims.problems
    first, *rest = (claims.key_lines(f"claim-{i}") for i in range(6))
    assert first is not None and first["statement"] == 2
    assert rest and all(other is not None and other.packed[0] is first.packed[0] for other in rest)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\[\]-]{0,20}", fullmatch=True), st.integers(1, 10**6), max_size=30))
def test_a_line_map_reads_back_what_it_was_given(lines: dict[str, int]) -> None:
    kept = index.LineMap.of(lines)
    assert dict(kept) == lines and len(kept) == len(lines)
    assert all(kept[key] == line and key in kept for key, line in lines.items())
    assert "a\tb" not in kept and "a\nb" not in kept
    assert ("missing" in kept) == ("missing" in lines)


_SCRIPT = """
import sys, threading, time
from pathlib import Path
sys.path[:0] = {paths!r}
with open({marker!r}, "a") as f:
    f.write("top level ran\\n")
{threads}
import claimtrack
from claimtrack.index import load_claims
claims, problems, _ = load_claims(claimtrack.open({root!r}).store, use_cache=False, parallel=True)
print(len(claims), len(problems))
"""


@pytest.mark.parametrize("threads", ["", "threading.Thread(target=time.sleep, args=(3,), daemon=True).start()"])
def test_a_script_without_a_main_guard_does_not_run_again_in_workers(
    many: claimtrack.Library, tmp_path: Path, threads: str
) -> None:
    # With one thread the workers are forked; with more, starting them by spawn would import this
    # unguarded script again in each one, so its files are parsed in the process itself.
    import subprocess
    import sys

    marker = tmp_path / "marker.txt"
    script = tmp_path / "script.py"
    script.write_text(_SCRIPT.format(paths=sys.path, marker=str(marker), threads=threads, root=str(many.root)), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["6", "0"]
    assert marker.read_text(encoding="utf-8") == "top level ran\n"
    assert "Traceback" not in result.stderr


def test_a_change_to_the_records_fields_starts_the_cache_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    import attrs

    before = index._version()

    @attrs.frozen
    class Verified:  # the same name with one more field: rows pickled before it cannot be read back whole
        error: object
        extra: int = 0

    index._version.cache_clear()
    monkeypatch.setattr(index, "Verified", Verified)
    try:
        assert index._version() != before
    finally:
        monkeypatch.undo()
        index._version.cache_clear()
    assert index._version() == before


def test_a_cold_load_writes_the_cache_in_steps(many: claimtrack.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "_FLUSH", 2)
    _age_all(many)
    (many.store.claims_dir / "claim-5.toml").unlink()
    load_claims(many.store)
    with sqlite3.connect(many.root / ".claimtrack" / CACHE_NAME) as db:
        names = [row[0] for row in db.execute("SELECT name FROM claims ORDER BY name")]
    assert names == [f"claim-{i}.toml" for i in range(5)]
    parsed: list[str] = []
    real = index._parse_batch
    monkeypatch.setattr(
        index, "_parse_batch", lambda root, items, keep=False: parsed.extend(n for n, _, _ in items) or real(root, items, keep)
    )
    claims, _, _ = load_claims(many.store)
    assert parsed == [] and list(claims) == [f"claim-{i}" for i in range(5)]


def _two_libraries(tmp_path: Path) -> tuple[claimtrack.Library, claimtrack.Library]:
    """Two libraries of one user, each with a claim 'twin' of the same size and time stamp, saying different things."""
    libs = []
    for name, word in (("a", "alpha"), ("b", "bravo")):
        root = claimtrack.init(tmp_path / name)
        lib = claimtrack.open(root)
        lib.add("twin", f"The word is {word}.", by="x", date="2022-12-11")
        os.utime(root / "claims" / "twin.toml", ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
        libs.append(claimtrack.open(root))
    a, b = libs
    assert (a.root / "claims" / "twin.toml").stat().st_size == (b.root / "claims" / "twin.toml").stat().st_size
    return a, b


def test_a_row_of_another_librarys_cache_is_never_shown(tmp_path: Path) -> None:
    a, b = _two_libraries(tmp_path)
    assert a.claims["twin"].statement == "The word is alpha."  # A's cache now holds its row
    b_cache = b.root / ".claimtrack"
    for suffix in ("", "-wal", "-shm"):
        (b_cache / f"{CACHE_NAME}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(a.root / ".claimtrack" / CACHE_NAME)
    db.execute(f"VACUUM INTO '{b_cache / CACHE_NAME}'")  # the same user copies the cache over
    db.close()
    assert claimtrack.open(b.root).claims["twin"].statement == "The word is bravo."


def test_the_audit_sees_a_hand_edit_that_kept_size_and_time(many: claimtrack.Library) -> None:
    """Loads trust size and time stamp; the audit compares every file's content hash too."""
    _age_all(many)
    path = many.root / "claims" / "claim-1.toml"
    load_claims(many.store)
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("number 1.", "number 7.", 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    # One claim is read from its own file; the whole library through the cache, which trusts size and time.
    assert claimtrack.open(many.root).claims["claim-1"].statement == "Statement number 7."
    lib = claimtrack.open(many.root)
    assert lib.claims.as_dict()["claim-1"].statement == "Statement number 1."  # the documented cost
    findings = [f for f in lib.audit() if f.claim == "claim-1" and f.rule == "untracked-edit"]
    assert len(findings) == 1, lib.audit()
    assert lib.claims["claim-1"].statement == "Statement number 7." and lib.claims.content_checked
    # The audit brought the cache up to date: the next plain load sees the edit too.
    assert claimtrack.open(many.root).claims["claim-1"].statement == "Statement number 7."


def test_checking_the_files_of_an_unchanged_library_keeps_what_was_loaded(many: claimtrack.Library) -> None:
    _age_all(many)
    load_claims(many.store)
    lib = claimtrack.open(many.root)
    loaded = lib.claims
    assert len(loaded) == 6 and loaded.loaded
    assert loaded.hashes is not None and len(loaded.hashes) == 6 and not loaded.content_checked
    assert lib.check_files() is loaded and loaded.content_checked  # hashed, not loaded again


def test_checking_the_files_before_any_load_is_the_one_load(many: claimtrack.Library) -> None:
    _age_all(many)
    lib = claimtrack.open(many.root)
    lib.claims["claim-1"]  # one claim read: nothing loaded to compare with
    checked = lib.check_files()
    assert checked.loaded and checked.content_checked and len(checked) == 6


def test_a_warm_load_unpickles_a_claim_only_when_it_is_looked_at(
    many: claimtrack.Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age_all(many)
    cold, _, _ = load_claims(many.store)
    expected = dict(cold)
    from claimtrack import pickled

    loads: list[bytes] = []
    real = pickled.pickle.loads
    monkeypatch.setattr(pickled.pickle, "loads", lambda blob: loads.append(blob) or real(blob))
    warm, problems, derived = load_claims(many.store)
    assert len(warm) == 6 and list(warm) == sorted(expected) and "claim-1" in warm and problems == ()
    assert loads == []  # counting, listing ids and membership unpickle nothing
    assert warm["claim-1"] == expected["claim-1"] and derived["claim-1"][1]["statement"] == 2
    assert len(loads) == 1  # one claim, once: its record is kept
    assert dict(warm) == expected and len(loads) == 6


def test_a_signed_row_that_is_no_record_is_read_from_its_file(many: claimtrack.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    _age_all(many)
    load_claims(many.store)
    from claimtrack import pickled

    monkeypatch.setattr(pickled.pickle, "loads", lambda blob: ("not", "a record"))
    claims, _, derived = load_claims(many.store)
    assert claims["claim-2"].statement == "Statement number 2." and derived["claim-2"][0].differ == ()


def test_claims_parsed_by_workers_stay_pickled_until_looked_at(many: claimtrack.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    serial, _, _ = load_claims(many.store, use_cache=False, parallel=False)
    from claimtrack import pickled

    loads: list[bytes] = []
    real = pickled.pickle.loads
    monkeypatch.setattr(pickled.pickle, "loads", lambda blob: loads.append(blob) or real(blob))
    parallel, _, _ = load_claims(many.store, use_cache=False, parallel=True)
    assert list(parallel) == list(serial) and loads == []
    assert dict(parallel.items()) == dict(serial) and len(loads) == len(serial)


def test_making_every_record_hands_the_pickles_memory_back(many: claimtrack.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimtrack import pickled

    _age_all(many)
    load_claims(many.store)
    released: list[int] = []

    def release() -> None:
        released.append(1)

    monkeypatch.setattr(pickled, "release_freed", release)
    monkeypatch.setattr(pickled, "_RELEASE_EVERY", 4)
    claims = index.Claims(*load_claims(many.store))
    assert len(list(claims.values())) == 6
    assert len(released) == 2  # after the fourth record, and once all six are made
    list(claims.values())
    assert len(released) == 2  # nothing left to make: nothing to hand back


def test_the_content_check_reads_a_file_longer_than_one_read(many: claimtrack.Library) -> None:
    path = many.root / "claims" / "claim-2.toml"
    text = path.read_text(encoding="utf-8") + "".join(f"# note {i:06d}\n" for i in range(index._CHUNK // 5))
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 2 * index._CHUNK
    _age_all(many)
    claims = claimtrack.open(many.root).claims
    assert len(claims) == 6 and claims.hashes is not None and index.unchanged(many.store, claims.hashes)
    st = path.stat()
    path.write_text(text[:-3] + "9\n\n", encoding="utf-8")  # the last read's bytes differ, size and time kept
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and not index.unchanged(many.store, claims.hashes)
