"""Input files, symbolic links, the cache folder and temporary files (claimtrack.fileio), through the API and the CLI.

Every input path (a claim file, references.bib, claimtrack.toml, a document
given to import, diff or stale) that is not a regular file is refused at once
with one line; nothing inside ``.claimtrack/`` is followed when it is a link;
a symbolic link is never written through; temporary files of killed writes
are swept wherever a write leaves them.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.errors import ClaimFileError, ClaimtrackError, DocumentError
from claimtrack.fileio import TEMP_PREFIX, cache_dir, cache_file, read_input, sign
from claimtrack.sweeping import sweep_temp_files

BIB = "@misc{src1,\n  title = {A source},\n  year = {2020}\n}\n"
NEW_BIB = "@misc{src2,\n  title = {Another source},\n  year = {2021}\n}\n"


@contextlib.contextmanager
def _deadline(seconds: int = 20) -> Iterator[None]:
    """Fail, rather than hang the suite, when the body blocks (a FIFO opened without a writer would)."""

    def expired(*_: object) -> None:
        raise TimeoutError(f"blocked for over {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _one_line(root: Path, args: list[str], expected: str) -> str:
    """Run a command that must be refused at once: exit 2, one line naming the problem, no traceback."""
    began = time.monotonic()
    with _deadline():
        result = CliRunner().invoke(main, ["--root", str(root), *args])
    assert time.monotonic() - began < 10  # at once: a FIFO would block until the alarm, /dev/zero never end
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert expected in lines[0], lines[0]
    return lines[0]


# -- read_input: the one check every input path goes through ------------------


def test_read_input_reads_a_regular_file_and_follows_a_link(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"x" * 3_000_000)
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    assert read_input(tmp_path / "a.txt") == b"x" * 3_000_000
    assert read_input(tmp_path / "link.txt") == b"x" * 3_000_000


def test_read_input_reads_a_small_file_in_one_call_of_its_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A claim file is about 2 KB: asking the system for a megabyte allocates one on every read.
    (tmp_path / "claim.toml").write_bytes(b"y" * 2100)
    asked: list[int] = []
    real_read = os.read

    def read(fd: int, size: int) -> bytes:
        asked.append(size)
        return real_read(fd, size)

    monkeypatch.setattr(os, "read", read)
    assert read_input(tmp_path / "claim.toml") == b"y" * 2100
    assert asked == [2101]


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs Linux's /proc")
def test_read_input_reads_a_file_whose_size_says_nothing() -> None:
    # Files under /proc are regular files of size 0 that read as text: the read goes on past the size.
    path = Path("/proc/self/cmdline")
    assert path.stat().st_size == 0
    with path.open("rb") as handle:
        expected = handle.read()
    assert expected and read_input(path) == expected


@pytest.mark.parametrize(
    ("make", "what"),
    [
        pytest.param(lambda p: os.mkfifo(p), "is a FIFO (named pipe), not a regular file", id="fifo"),
        pytest.param(lambda p: p.symlink_to("/dev/zero"), "is a character device, not a regular file", id="dev-zero"),
        pytest.param(lambda p: p.mkdir(), "is a folder, not a regular file", id="folder"),
    ],
)
def test_read_input_refuses_anything_else_at_once(tmp_path: Path, make: object, what: str) -> None:
    path = tmp_path / "input"
    make(path)  # type: ignore[operator]
    with _deadline(), pytest.raises(DocumentError) as caught:
        read_input(path, shown="doc.md", error=DocumentError)
    assert str(caught.value) == f"doc.md: {what}; name a regular file (claimtrack reads no pipes, devices or folders)"


def _fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def _dev_zero(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")


SPECIAL = [pytest.param(_fifo, "FIFO", id="fifo"), pytest.param(_dev_zero, "character device", id="dev-zero")]


@pytest.mark.parametrize(("make", "kind"), SPECIAL)
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["show", "good"], id="show"),
        pytest.param(["list"], id="list"),
        pytest.param(["review", "good", "--reason", "r", "--by", "x"], id="review"),
        pytest.param(["audit"], id="audit"),
    ],
)
def test_claim_file_that_is_not_a_file(root: Path, make: object, kind: str, args: list[str]) -> None:
    make(root / "claims" / "good.toml")  # type: ignore[operator]
    if args[0] == "audit":
        # The audit reports an unreadable claim file as a finding (exit 1), at once.
        with _deadline():
            result = CliRunner().invoke(main, ["--root", str(root), *args])
        assert result.exit_code == 1 and "claims/good.toml" in result.output and f"is a {kind}" in result.output, result.output
        return
    if args[0] == "list":
        # Listing skips the entry and says why, on one line.
        _one_line(root, args, f"claims/good.toml: is a {kind}")
        return
    _one_line(root, args, f"claims/good.toml: is a {kind}")


@pytest.mark.parametrize(("make", "kind"), SPECIAL)
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["source", "list"], id="source-list"),
        pytest.param(["cite", "good", "src1", "--by", "x"], id="cite"),
    ],
)
def test_references_bib_that_is_not_a_file(root: Path, make: object, kind: str, args: list[str]) -> None:
    make(root / "references.bib")  # type: ignore[operator]
    _one_line(root, args, f"references.bib: is a {kind}")


@pytest.mark.parametrize(("make", "kind"), SPECIAL)
def test_settings_that_are_not_a_file(root: Path, make: object, kind: str) -> None:
    make(root / "claimtrack.toml")  # type: ignore[operator]
    _one_line(root, ["audit"], f"claimtrack.toml: is a {kind}")


@pytest.mark.parametrize(("make", "kind"), SPECIAL)
@pytest.mark.parametrize("command", ["import", "diff", "stale"])
def test_document_that_is_not_a_file(root: Path, tmp_path: Path, make: object, kind: str, command: str) -> None:
    doc = tmp_path / "doc.md"
    make(doc)  # type: ignore[operator]
    plain = tmp_path / "plain.md"
    plain.write_text("A good claim.\n", encoding="utf-8")
    args = {"import": ["import", str(doc)], "diff": ["diff", str(plain), str(doc)], "stale": ["stale", str(doc)]}[command]
    _one_line(root, args, f"doc.md: is a {kind}")


def test_document_that_is_dev_zero_itself(root: Path) -> None:
    _one_line(root, ["import", "/dev/zero"], "/dev/zero: is a character device, not a regular file")


# -- symbolic links: followed to read, refused to write, never inside .claimtrack/ ---


def test_symlinked_claim_file_reads_but_is_not_written_through(root: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.toml"
    (root / "claims" / "good.toml").rename(elsewhere)
    (root / "claims" / "good.toml").symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    result = CliRunner().invoke(main, ["--root", str(root), "show", "good"])
    assert result.exit_code == 0 and "A good claim." in result.output
    _one_line(root, ["review", "good", "--reason", "r", "--by", "x"], "good.toml: is a symbolic link")
    assert elsewhere.read_bytes() == before
    assert (root / "claims" / "good.toml").is_symlink()


def test_dangling_symlink_is_not_replaced_by_a_new_claim(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "outside.toml"
    (root / "claims" / "fresh.toml").symlink_to(target)
    _one_line(root, ["add", "fresh", "--statement", "New.", "--by", "x"], "fresh.toml: is a symbolic link")
    assert not target.exists()


def test_symlinked_references_bib_is_not_written_through(root: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared.bib"
    shared.write_text(BIB, encoding="utf-8")
    (root / "references.bib").unlink()
    (root / "references.bib").symlink_to(shared)
    result = CliRunner().invoke(main, ["--root", str(root), "source", "list"])
    assert result.exit_code == 0 and "src1" in result.output
    bib = tmp_path / "new.bib"
    bib.write_text(NEW_BIB, encoding="utf-8")
    _one_line(root, ["source", "add", str(bib)], "references.bib: is a symbolic link")
    assert shared.read_text(encoding="utf-8") == BIB


def test_links_inside_the_cache_folder_are_never_followed(root: Path, tmp_path: Path) -> None:
    cache = cache_dir(root)
    outside = tmp_path / "outside"
    outside.mkdir()
    victim_db = outside / "other-app.sqlite"
    victim_db.write_bytes(b"another application's data")
    stamp_target = outside / "stamp"
    for name, target in (("swept", stamp_target), ("claims.sqlite", victim_db), ("claims.sqlite-wal", outside / "wal")):
        (cache / name).unlink(missing_ok=True)
        (cache / name).symlink_to(target)
    old = time.time() - 3600
    os.utime(cache / "swept", (old, old), follow_symlinks=False)
    lib = claimtrack.open(root)
    lib.review("good", reason="checked", by="x", date="2022-12-12")
    assert len(claimtrack.open(root).claims["good"].revisions) == 2
    assert list(claimtrack.open(root).claims) == ["good"]  # a whole load, through the cache folder
    assert victim_db.read_bytes() == b"another application's data"
    assert not stamp_target.exists() and not (outside / "wal").exists()
    assert sorted(p.name for p in outside.iterdir()) == ["other-app.sqlite"]
    assert not (cache / "claims.sqlite").is_symlink()  # the link was removed, and a real cache made


def test_cache_file_refuses_a_folder(root: Path) -> None:
    (cache_dir(root) / "claims.sqlite").mkdir()
    with pytest.raises(ClaimtrackError, match="is a folder, not a cache file"):
        cache_file(root, "claims.sqlite")
    # Loading simply goes without the cache.
    assert list(claimtrack.open(root).claims) == ["good"]


def test_cache_folder_that_is_a_link_is_not_used(root: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    import shutil

    shutil.rmtree(root / ".claimtrack")
    (root / ".claimtrack").symlink_to(elsewhere)
    with pytest.raises(ClaimtrackError, match="is a symbolic link"):
        cache_dir(root)
    lib = claimtrack.open(root)
    lib.review("good", reason="checked", by="x", date="2022-12-12")
    assert len(claimtrack.open(root).claims["good"].revisions) == 2
    assert len(claimtrack.open(root).sources) == 1
    assert list(elsewhere.iterdir()) == []


# -- the lock: a folder or another user's file at .claimtrack/lock is no matter ---


def test_lock_path_that_is_a_folder_does_not_stop_writes(root: Path) -> None:
    (cache_dir(root) / "lock").mkdir()
    result = CliRunner().invoke(main, ["--root", str(root), "review", "good", "--reason", "r", "--by", "x"])
    assert result.exit_code == 0, result.output
    assert len(claimtrack.open(root).claims["good"].revisions) == 2


@pytest.mark.skipif(os.geteuid() != 0, reason="making a file another user's needs root")
def test_cache_folder_of_another_user(root: Path) -> None:
    cache = cache_dir(root)
    (cache / "lock").write_text("", encoding="utf-8")
    os.chown(cache / "lock", 65534, 65534)
    result = CliRunner().invoke(main, ["--root", str(root), "review", "good", "--reason", "r", "--by", "x"])
    assert result.exit_code == 0, result.output
    os.chown(cache, 65534, 65534)
    with pytest.raises(ClaimtrackError, match="belongs to another user"):
        cache_dir(root)
    result = CliRunner().invoke(main, ["--root", str(root), "review", "good", "--reason", "again", "--by", "x"])
    assert result.exit_code == 0, result.output
    assert len(claimtrack.open(root).claims["good"].revisions) == 3


def test_lock_on_a_folder_that_cannot_be_opened(tmp_path: Path) -> None:
    from claimtrack.fileio import library_lock

    with pytest.raises(ClaimtrackError, match="cannot take the library's write lock"), library_lock(tmp_path / "absent"):
        pass


# -- temporary files of killed writes ------------------------------------------


def _plant(folder: Path, name: str, age: float) -> Path:
    path = folder / name
    path.write_text("half", encoding="utf-8")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_temporary_files_are_swept_everywhere_a_write_leaves_them(root: Path) -> None:
    cache = cache_dir(root)
    (cache / "swept").unlink(missing_ok=True)
    old = [
        _plant(root, f"{TEMP_PREFIX}references.bib.123.abcd", 3600),
        _plant(root / "claims", f"{TEMP_PREFIX}good.toml.123.abcd", 3600),
        _plant(cache, f"{TEMP_PREFIX}sources.cache.123.abcd", 3600),
    ]
    young = _plant(root, f"{TEMP_PREFIX}references.bib.456.ef01", 0)  # a writer may be using it now
    other = _plant(root, "notes.txt", 3600)
    assert sweep_temp_files(root) == 3
    assert not any(path.exists() for path in old)
    assert young.exists() and other.exists()


def test_source_add_sweeps_the_root(root: Path, tmp_path: Path) -> None:
    (cache_dir(root) / "swept").unlink(missing_ok=True)
    left = _plant(root, f"{TEMP_PREFIX}references.bib.123.abcd", 3600)
    bib = tmp_path / "new.bib"
    bib.write_text(NEW_BIB, encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(root), "source", "add", str(bib)])
    assert result.exit_code == 0, result.output
    assert not left.exists()


def test_temporary_files_in_the_root_are_git_ignored(root: Path) -> None:
    assert f"{TEMP_PREFIX}*" in (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    try:
        subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("git is not available")
    _plant(root, f"{TEMP_PREFIX}references.bib.123.abcd", 0)
    status = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all"], capture_output=True, text=True, timeout=30
    ).stdout
    assert TEMP_PREFIX not in status and "references.bib" in status


def test_claim_file_error_class(root: Path) -> None:
    """The refusal of a claim file is a ClaimFileError (a ValueError), like its other problems."""
    _fifo(root / "claims" / "good.toml")
    with _deadline(), pytest.raises(ClaimFileError, match="claims/good.toml: is a FIFO"):
        claimtrack.open(root).claim("good")


@pytest.mark.parametrize(("make", "kind"), SPECIAL)
def test_bibtex_to_add_that_is_not_a_file(root: Path, tmp_path: Path, make: object, kind: str) -> None:
    new = tmp_path / "new.bib"
    make(new)  # type: ignore[operator]
    _one_line(root, ["source", "add", str(new)], f"new.bib: is a {kind}")
    assert (root / "references.bib").read_text(encoding="utf-8") == BIB


def test_bibtex_to_add_that_is_missing(root: Path, tmp_path: Path) -> None:
    _one_line(root, ["source", "add", str(tmp_path / "absent.bib")], "absent.bib: cannot be read: No such file or directory")


def test_report_caches_that_are_links_are_never_followed(root: Path, tmp_path: Path) -> None:
    import claimtrack.report as report

    lib = claimtrack.open(root)
    lib.cite("good", "src1", locator="p. 1", by="x", date="2022-12-12")
    cache = cache_dir(root)
    targets = {name: tmp_path / f"other-{name}" for name in ("report.sqlite", "references.sqlite")}
    for name, target in targets.items():
        target.write_bytes(b"another application's data")
        (cache / name).unlink(missing_ok=True)
        (cache / name).symlink_to(target)
    page = report.render(claimtrack.open(root), ["html"])["index.html"]
    assert "A good claim." in page and "A source" in page
    for name, target in targets.items():
        assert target.read_bytes() == b"another application's data"
        assert (cache / name).is_file() and not (cache / name).is_symlink()  # replaced by a cache of its own


def test_write_temp_writes_pieces_as_they_come(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import claimtrack.fileio as fileio

    monkeypatch.setattr(fileio, "_WRITE_BATCH", 10)
    seen: list[int] = []

    def pieces() -> Iterator[str]:
        for n in range(5):
            [tmp] = [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]
            seen.append(tmp.stat().st_size)  # what the earlier pieces put on disk already
            yield f"{n}é" * 4

    tmp = fileio.write_temp(tmp_path / "big.txt", pieces())
    assert tmp.read_text(encoding="utf-8") == "".join(f"{n}é" * 4 for n in range(5))
    assert seen == [0, 12, 24, 36, 48]


def test_write_temp_leaves_nothing_when_its_pieces_fail(tmp_path: Path) -> None:
    import claimtrack.fileio as fileio

    def pieces() -> Iterator[str]:
        yield "x" * (fileio._WRITE_BATCH + 1)
        raise RuntimeError("a piece failed")

    with pytest.raises(RuntimeError, match="a piece failed"):
        fileio.write_temp(tmp_path / "big.txt", pieces())
    assert list(tmp_path.iterdir()) == []


def test_sign_is_the_hmac_of_the_length_prefixed_parts() -> None:
    # Signed caches written before stay valid: the one-call HMAC is the one updated piece by piece.
    key, parts = b"k" * 32, ("/lib", "claims/a.toml", "\u00e9t\u00e9", b"\x00pickle")
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        mac.update(len(data).to_bytes(8, "big") + data)
    assert sign(key, *parts) == mac.digest()
    assert sign(key, "ab", "c") != sign(key, "a", "bc")


def test_a_signed_cache_is_not_flushed_to_disk_but_a_library_file_is(tmp_path, monkeypatch) -> None:
    from claimtrack import fileio

    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    assert fileio.write_signed(tmp_path / "cache.bin", b"payload", "context")
    assert synced == [] and fileio.read_signed(tmp_path / "cache.bin", "context") == b"payload"
    fileio.atomic_write(tmp_path / "claim.toml", "id = 'x'\n")
    assert len(synced) >= 1


def test_a_large_signed_payload_reads_back_and_a_changed_byte_is_refused(tmp_path) -> None:
    import hashlib
    import hmac

    from claimtrack import fileio

    payload = bytes(range(256)) * 9000  # 2.3 MB: signed piece by piece, read in one call
    assert fileio.write_signed(tmp_path / "big.bin", payload, "lib", "file")
    assert fileio.read_signed(tmp_path / "big.bin", "lib", "file") == payload
    key = b"k" * 32
    joined = b"".join(len(p).to_bytes(8, "big") + p for p in (b"lib", payload))
    assert fileio.sign(key, "lib", payload) == hmac.new(key, joined, hashlib.sha256).digest()
    data = bytearray((tmp_path / "big.bin").read_bytes())
    data[len(data) // 2] ^= 1
    (tmp_path / "big.bin").write_bytes(bytes(data))
    assert fileio.read_signed(tmp_path / "big.bin", "lib", "file") is None
    (tmp_path / "big.bin").write_bytes(bytes(data[:20]))
    assert fileio.read_signed(tmp_path / "big.bin", "lib", "file") is None
