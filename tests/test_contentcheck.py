"""The audit's content check in a helper process, beside the rules: it finds what the check in process finds."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import claimtrack
from claimtrack import contentcheck
from claimtrack.audit import audit_all

_COUNT = 40


@pytest.fixture
def many(lib: claimtrack.Library, monkeypatch: pytest.MonkeyPatch) -> claimtrack.Library:
    for i in range(_COUNT):
        lib.add(f"claim-{i:02d}", f"Statement number {i} holds 4096 tokens.", by="x", date="2022-12-11")
    for path in lib.store.files():  # time stamps in the past: the cache trusts size and time alone
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 10_000_000_000))
    monkeypatch.setattr(contentcheck, "HELPER_FROM", 1)  # the helper for any library, not only large ones
    return lib


@pytest.fixture
def helpers(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The helper processes started, by their command lines."""
    started: list[list[str]] = []
    real = subprocess.Popen

    def popen(args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        started.append(args)
        return real(args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(contentcheck.subprocess, "Popen", popen)
    return started


def _loaded(root: Path) -> claimtrack.Library:
    lib = claimtrack.open(root)
    assert len(lib.claims) == _COUNT and lib.claims.loaded and not lib.claims.content_checked
    return lib


def _edit_behind_the_cache(path: Path, old: str, new: str) -> None:
    """Change a file's text (the claim's field, above its history) keeping its size and time stamp."""
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert len(old) == len(new) and old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size


def _rules(result: claimtrack.AuditResult) -> set[tuple[str, str | None]]:
    return {(f.rule, f.claim) for f in result.findings}


def test_an_unchanged_library_is_checked_by_the_helper(many: claimtrack.Library, helpers: list[list[str]]) -> None:
    lib = _loaded(many.root)
    result = audit_all(lib)
    assert len(helpers) == 1 and "-I" in helpers[0] and "-S" in helpers[0]
    assert lib.claims.content_checked
    assert not any(f.rule == "untracked-edit" for f in result.findings)


def test_the_helper_finds_one_changed_file_among_many(many: claimtrack.Library, helpers: list[list[str]]) -> None:
    lib = _loaded(many.root)
    _edit_behind_the_cache(
        many.store.path_for("claim-27"),
        'statement = "Statement number 27 holds 4096',
        'statement = "Statement number 27 holds 8192',
    )
    result = audit_all(lib)
    assert len(helpers) == 1
    assert ("untracked-edit", "claim-27") in _rules(result)
    assert lib.check_files().content_checked
    assert lib.claims["claim-27"].statement == "Statement number 27 holds 8192 tokens."
    # The same findings as the check in this process gives.
    contentcheck.HELPER_FROM = 10**9
    assert _rules(audit_all(claimtrack.open(many.root))) == _rules(result)


def test_a_file_gone_after_the_load_is_seen(many: claimtrack.Library) -> None:
    lib = _loaded(many.root)
    many.store.path_for("claim-05").unlink()
    result = audit_all(lib)
    assert result.claims == _COUNT - 1 and "claim-05" not in lib.claims


def test_the_helper_says_when_a_file_does_not_read(many: claimtrack.Library, helpers: list[list[str]]) -> None:
    lib = _loaded(many.root)
    hashes = dict(lib.claims.hashes or {})
    assert contentcheck.begin(many.store, hashes).unchanged()
    hashes["claim-99.toml"] = "0" * 64
    assert not contentcheck.begin(many.store, hashes).unchanged()
    hashes.pop("claim-99.toml")
    hashes["claim-00.toml"] = "0" * 64
    assert not contentcheck.begin(many.store, hashes).unchanged()
    assert len(helpers) == 3


@pytest.mark.parametrize(
    "executable",
    [pytest.param("/nonexistent/python", id="cannot-start"), pytest.param("/bin/false", id="fails")],
)
def test_without_a_working_helper_the_check_runs_here(
    many: claimtrack.Library, monkeypatch: pytest.MonkeyPatch, executable: str
) -> None:
    if not Path(executable).exists() and executable != "/nonexistent/python":
        pytest.skip(f"no {executable}")
    lib = _loaded(many.root)
    _edit_behind_the_cache(many.store.path_for("claim-03"), "number 3 holds", "number 3 helds")
    monkeypatch.setattr(contentcheck.sys, "executable", executable)
    assert ("untracked-edit", "claim-03") in _rules(audit_all(lib))


def test_a_frozen_application_starts_no_helper(
    many: claimtrack.Library, helpers: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = _loaded(many.root)
    monkeypatch.setattr(contentcheck.sys, "frozen", True, raising=False)
    _edit_behind_the_cache(many.store.path_for("claim-11"), "number 11 holds", "number 11 helds")
    assert ("untracked-edit", "claim-11") in _rules(audit_all(lib))
    assert helpers == []


def test_the_helper_is_stopped_when_the_rules_fail(
    many: claimtrack.Library, helpers: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = _loaded(many.root)
    stopped: list[bool] = []
    real_close = contentcheck.Checking.close
    monkeypatch.setattr(contentcheck.Checking, "close", lambda self: stopped.append(True) or real_close(self))
    from claimtrack.audit import run

    def broken(ctx: object) -> list[object]:
        raise RuntimeError("a rule failed")

    monkeypatch.setattr(run, "_GROUPS", (broken,))
    with pytest.raises(RuntimeError, match="a rule failed"):
        audit_all(lib)
    assert len(helpers) == 1 and stopped == [True]


def test_a_small_library_is_checked_in_this_process(lib: claimtrack.Library, helpers: list[list[str]]) -> None:
    lib.add("one", "A statement.", by="x", date="2022-12-11")
    opened = claimtrack.open(lib.root)
    assert len(opened.claims) == 1
    audit_all(opened)
    assert helpers == [] and opened.claims.content_checked


def test_there_is_nothing_to_begin_before_a_load_or_after_a_check(many: claimtrack.Library) -> None:
    lib = claimtrack.open(many.root)
    assert lib.files_checking() is None  # nothing loaded: the audit's checked load reads every file itself
    assert len(lib.claims) == _COUNT
    checking = lib.files_checking()
    assert checking is not None and checking.unchanged() and lib.claims.content_checked
    assert lib.files_checking() is None  # checked already
