"""A library's folders and its small text files against a hostile clone or a failing disk: folder links are never
written through, ``init`` is all or nothing with one-line errors, and a killed report leaves no temporary files."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import claimtrack
from claimtrack.cli import main
from claimtrack.errors import ClaimtrackError
from claimtrack.fileio import TEMP_PREFIX


def ct(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_line_error(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1, result.output
    for word in words:
        assert word in result.output, result.output


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    claimtrack.init_library(root)
    assert ct("--root", str(root), "add", "c1", "--statement", "S.", "--by", "A", "--date", "2022-12-01").exit_code == 0
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# Folder links (D2, D3)


@pytest.mark.parametrize("formats", ["html", "md,csv,json", "html,md,csv,json"])
def test_a_report_folder_link_is_not_written_through(lib: Path, tmp_path: Path, formats: str):
    victim = tmp_path / "victim-project"
    victim.mkdir()
    (victim / "README.md").write_text("MY PROJECT README\n")
    (lib / "report").symlink_to(victim)
    result = ct("--root", str(lib), "report", "--format", formats)
    one_line_error(result, "report", "symbolic link")
    assert snapshot(victim) == {"README.md": b"MY PROJECT README\n"}


def test_a_report_data_folder_link_is_not_written_through(lib: Path, tmp_path: Path):
    from claimtrack.report import _write_files

    outside = tmp_path / "outside"
    outside.mkdir()
    (lib / "report").mkdir()
    (lib / "report" / "data").symlink_to(outside)
    with pytest.raises(ClaimtrackError, match="symbolic link"):
        _write_files({"index.html": "x", "data/claims.js": "y"}, lib / "report")
    assert list(outside.iterdir()) == []
    assert not (lib / "report" / "index.html").exists()


@pytest.mark.parametrize(
    "verb",
    [
        ["tag", "c1", "--add", "zz", "--by", "T"],
        ["review", "c1", "--reason", "r", "--by", "T", "--date", "2022-12-02"],
        ["add", "c2", "--statement", "T.", "--by", "T", "--date", "2022-12-02"],
        ["revise", "c1", "--old", "S", "--new", "T", "--reason", "r", "--by", "T", "--date", "2022-12-02"],
    ],
)
def test_a_claims_folder_link_is_not_written_through(lib: Path, tmp_path: Path, verb: list[str]):
    other = tmp_path / "other"
    shutil.copytree(lib, other)
    before = snapshot(other / "claims")
    shutil.rmtree(lib / "claims")
    (lib / "claims").symlink_to(other / "claims")
    result = ct("--root", str(lib), *verb)
    one_line_error(result, "claims", "symbolic link")
    assert snapshot(other / "claims") == before


def test_a_real_report_folder_still_works(lib: Path):
    assert ct("--root", str(lib), "report", "--format", "html,md").exit_code == 0
    assert (lib / "report" / "index.html").is_file()


# A killed report's temporary files (D20)


def test_a_report_sweeps_temporary_files_an_earlier_killed_one_left(lib: Path):
    report = lib / "report"
    assert ct("--root", str(lib), "report").exit_code == 0
    old = time.time() - 3600
    left = [report / f"{TEMP_PREFIX}index.html.5321.02bb10bf", report / f"{TEMP_PREFIX}README.md.5321.aa"]
    (report / "data").mkdir(exist_ok=True)
    left.append(report / "data" / f"{TEMP_PREFIX}claims.js.5321.bb")
    for path in left:
        path.write_text("half")
        os.utime(path, (old, old))
    fresh = report / f"{TEMP_PREFIX}index.html.999.cc"  # a report being written right now keeps its file
    fresh.write_text("being written")
    assert ct("--root", str(lib), "report", "--format", "html,md").exit_code == 0
    assert not [p for p in left if p.exists()]
    assert fresh.exists()


def test_a_later_write_sweeps_the_default_report_folder(lib: Path):
    report = lib / "report"
    report.mkdir()
    stale = report / f"{TEMP_PREFIX}claims.csv.1.dd"
    stale.write_text("half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    (lib / ".claimtrack" / "swept").unlink(missing_ok=True)  # the sweep is due (it runs once a minute at most)
    assert ct("--root", str(lib), "tag", "c1", "--add", "t", "--by", "T").exit_code == 0
    assert not stale.exists()


# .gitattributes and .gitignore that are not regular UTF-8 files (D17)


def _git_init(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)


def _spoil(path: Path, how: str) -> None:
    if how == "folder":
        path.mkdir()
    elif how == "fifo":
        os.mkfifo(path)
    else:
        path.write_bytes(b"claims/*.toml merge=claimtrack\n\xff\xfe bad\n")


@pytest.mark.usefixtures("plain_git")
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("name", [".gitattributes", ".gitignore"])
@pytest.mark.parametrize("how", ["folder", "fifo", "latin1"])
def test_init_refuses_a_bad_git_file_in_one_line_and_makes_nothing(tmp_path: Path, name: str, how: str):
    top = tmp_path / "repo"
    _git_init(top)
    _spoil(top / name, how)
    before = sorted(p.name for p in top.iterdir())
    result = ct("init", str(top))
    one_line_error(result, name)
    assert sorted(p.name for p in top.iterdir()) == before  # no claims/, no claimtrack.toml, no references.bib
    (top / name).rmdir() if how == "folder" else (top / name).unlink()
    assert ct("init", str(top)).exit_code == 0  # and once fixed, init works


@pytest.mark.usefixtures("plain_git")
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("how", ["folder", "fifo", "latin1"])
def test_git_setup_refuses_a_bad_gitattributes_in_one_line(lib: Path, how: str):
    subprocess.run(["git", "init", "-q"], cwd=lib, check=True)
    _spoil(lib / ".gitattributes", how)
    one_line_error(ct("--root", str(lib), "git", "setup"), ".gitattributes")


def test_a_gitignore_with_a_bom_is_kept_as_text(tmp_path: Path):
    (tmp_path / ".gitignore").write_bytes(b"\xef\xbb\xbfbuild/\n")
    claimtrack.init_library(tmp_path)
    assert (tmp_path / ".gitignore").read_text().splitlines()[:2] == ["build/", ".claimtrack/"]


# init that fails part way (D18)


def test_init_where_no_folder_can_be_made_says_so_in_one_line(tmp_path: Path):
    one_line_error(ct("init", "/proc/x"), "/proc/x", "cannot make a library here")
    one_line_error(ct("init", str(tmp_path / ("n" * 300))), "cannot make a library here")


def test_init_on_a_failing_disk_leaves_nothing_and_can_be_run_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import claimtrack.folder

    target = tmp_path / "deep" / "sub"
    real = claimtrack.folder.atomic_write
    calls = []

    def fails_second(path: Path, data: str | bytes, **kw: object) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise ClaimtrackError("cannot write: No space left on device", file=path, hint="free some space")
        real(path, data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(claimtrack.folder, "atomic_write", fails_second)
    with pytest.raises(ClaimtrackError, match="No space left"):
        claimtrack.init_library(target)
    assert list(tmp_path.iterdir()) == []  # not even deep/
    monkeypatch.undo()
    assert claimtrack.init_library(target) == target
    assert (target / "claims").is_dir()


def test_a_failed_init_puts_back_the_gitignore_it_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import claimtrack.folder

    (tmp_path / ".gitignore").write_text("build/\n")

    def fails(root: Path) -> list[str]:
        raise ClaimtrackError("cannot write: No space left on device", file=root, hint="free some space")

    monkeypatch.setattr("claimtrack.gitrepo.setup_if_in_work_tree", fails)
    with pytest.raises(ClaimtrackError):
        claimtrack.folder.init_library(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".gitignore"]
    assert (tmp_path / ".gitignore").read_text() == "build/\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_init_in_a_read_only_folder_says_so(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        one_line_error(ct("init", str(folder / "sub")), "cannot make a library here")
    finally:
        folder.chmod(0o700)


# The cache signing key (D13)


def _key_at(folder: Path, mode: int = 0o600, data: bytes = b"k" * 32) -> Path:
    path = folder / "claimtrack" / "cache-key"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(mode)
    return path


def test_a_key_inside_the_library_is_never_trusted_nor_made(lib: Path, monkeypatch: pytest.MonkeyPatch):
    from claimtrack.fileio import signing_key

    cache = lib / ".cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    assert signing_key() is None
    assert not (cache / "claimtrack" / "cache-key").exists()  # not made there either
    _key_at(cache)
    assert signing_key() is None


@pytest.mark.usefixtures("plain_git")
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_key_in_the_work_tree_of_a_library_is_never_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from claimtrack.fileio import signing_key

    top = tmp_path / "clone"
    _git_init(top)
    claimtrack.init_library(top / "notes")
    _key_at(top / ".cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(top / ".cache"))
    assert signing_key() is None


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_key_others_may_read_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int):
    from claimtrack.fileio import signing_key

    _key_at(tmp_path / "cache", mode)  # as git checks a committed file out
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert signing_key() is None


def test_a_private_key_outside_every_library_is_used_and_one_is_made_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from claimtrack.fileio import signing_key

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "made"))
    made = signing_key()
    assert made is not None and len(made) == 32
    assert (tmp_path / "made" / "claimtrack" / "cache-key").stat().st_mode & 0o777 == 0o600
    _key_at(tmp_path / "cache", 0o600, b"secret" * 6)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert signing_key() == b"secret" * 6


def test_a_key_that_is_a_link_is_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from claimtrack.fileio import signing_key

    real = _key_at(tmp_path / "real")
    (tmp_path / "cache" / "claimtrack").mkdir(parents=True)
    (tmp_path / "cache" / "claimtrack" / "cache-key").symlink_to(real)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert signing_key() is None


def test_rendered_sections_are_bound_to_the_library_path(lib: Path, tmp_path: Path):
    from claimtrack.report.cache import page_salt

    copy = tmp_path / "copy"
    shutil.copytree(lib, copy)
    first, second = page_salt(claimtrack.open_library(lib)), page_salt(claimtrack.open_library(copy))
    assert first is not None and second is not None and first != second


# [report] style paths (D23)

_STYLE = Path(claimtrack.__file__).parent / "report" / "styles" / "claimtrack-author-date.csl"


def _with_style(lib: Path, value: str) -> None:
    settings = lib / "claimtrack.toml"
    settings.write_text(settings.read_text() + f'\n[report]\nstyle = "{value}"\n')


def test_a_style_path_in_the_settings_is_the_library_s_wherever_the_command_runs(
    lib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    shutil.copy(_STYLE, lib / "mystyle.csl")
    _with_style(lib, "mystyle.csl")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = ct("--root", str(lib), "report", "--format", "md")
    assert result.exit_code == 0, result.output
    readme = (lib / "report" / "README.md").read_text()
    assert "Formatted with the mystyle.csl citation style" in readme and str(lib) not in readme


def test_a_style_that_is_a_fifo_is_refused_at_once(lib: Path):
    os.mkfifo(lib / "hang.csl")
    _with_style(lib, "hang.csl")
    started = time.monotonic()
    result = ct("--root", str(lib), "report", "--format", "md")
    one_line_error(result, "hang.csl", "FIFO")
    assert time.monotonic() - started < 20


def test_a_style_that_is_a_folder_is_refused_in_one_line(lib: Path):
    (lib / "dir.csl").mkdir()
    _with_style(lib, "dir.csl")
    one_line_error(ct("--root", str(lib), "report", "--format", "md"), "dir.csl", "folder")


def test_a_style_path_on_the_command_line_is_the_user_s(lib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    shutil.copy(_STYLE, tmp_path / "cli.csl")
    monkeypatch.chdir(tmp_path)
    assert ct("--root", str(lib), "report", "--format", "md", "--style", "cli.csl").exit_code == 0


def test_a_library_folder_named_through_a_link_is_the_user_s_and_works(tmp_path: Path):
    real = tmp_path / "synced"
    real.mkdir()
    (tmp_path / "notes").symlink_to(real)
    assert ct("init", str(tmp_path / "notes")).exit_code == 0
    assert ct("--root", str(tmp_path / "notes"), "add", "c1", "--statement", "S.", "--by", "T").exit_code == 0
    assert (real / "claims" / "c1.toml").is_file() and (real / "claimtrack.toml").is_file()


def test_a_report_data_link_is_not_cleaned_through(lib: Path, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("claims.js", "details-1.js"):
        (outside / name).write_text("theirs")
    (lib / "report").mkdir()
    (lib / "report" / "data").symlink_to(outside)
    assert ct("--root", str(lib), "report", "--format", "html").exit_code == 0  # a single page writes no data/
    assert sorted(p.name for p in outside.iterdir()) == ["claims.js", "details-1.js"]
