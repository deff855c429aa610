"""Integrity against a forger: a base version with a BOM or unreadable at the base, a duplicated sealed revision,
a hand edit of the past that no longer replays, and a write over seals that do not verify."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner, Result

import claimtrack
from claimtrack.cli import main
from claimtrack.history import replay
from claimtrack.seals import seal
from claimtrack.store import render_claim

BOM = b"\xef\xbb\xbf"


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)


def ct(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), *args])


def library(path: Path) -> Path:
    claimtrack.init_library(path)
    lib = claimtrack.open_library(path)
    lib.add("c1", "X has 4096 tokens.", by="A", date="2022-12-01")
    lib.revise("c1", old="4096", new="8192", reason="fix", credited="Alice", by="A", date="2022-12-02")
    lib.review("c1", reason="checked", by="A", date="2022-12-03")
    return path


def resealed(root: Path, edit) -> str:
    """The claim file with ``edit(revisions)`` applied and every digest computed again, as a forger would."""
    claim = claimtrack.open_library(root).claims["c1"]
    revisions = [attrs.evolve(r, digest=None, after=()) for r in edit(list(claim.revisions))]
    return render_claim(replay(attrs.evolve(claim, revisions=seal(revisions))))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    path = tmp_path / "bom"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    for key, value in (("user.name", "T"), ("user.email", "t@example.org"), ("commit.gpgsign", "false")):
        git(path, "config", key, value)
    return library(path)


def commit_all(repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")


# D4: audit --base and a base version it cannot simply decode


@pytest.mark.usefixtures("plain_git")
@pytest.mark.parametrize("bom_now", [False, True])
def test_a_base_version_with_a_bom_is_compared(repo: Path, bom_now: bool):
    path = repo / "claims" / "c1.toml"
    path.write_bytes(BOM + path.read_bytes())
    assert ct(repo, "audit").exit_code == 0
    commit_all(repo)
    forged = resealed(repo, lambda rs: [rs[0], attrs.evolve(rs[1], credited="Mallory"), rs[2]])
    path.write_bytes((BOM if bom_now else b"") + forged.encode())
    assert ct(repo, "audit").exit_code == 0  # the file alone verifies: that is the forgery
    result = ct(repo, "audit", "--base", "HEAD")
    assert result.exit_code == 1, result.output
    assert "rewritten-past" in result.output and "revision 1 (correction, 2022-12-02)" in result.output


@pytest.mark.usefixtures("plain_git")
def test_history_git_reads_a_base_version_with_a_bom(repo: Path):
    path = repo / "claims" / "c1.toml"
    path.write_bytes(BOM + path.read_bytes())
    commit_all(repo)
    result = ct(repo, "history", "c1", "--git", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.output.count('"commit": null') == 0, result.output


@pytest.mark.usefixtures("plain_git")
@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda data: data.replace(b"8192", b"\xff\xfe"), id="not-utf8"),
        pytest.param(lambda data: data + b"\nthis is = not [ toml\n", id="not-toml"),
        pytest.param(lambda data: b"<<<<<<< ours\n" + data + b"=======\n" + data + b">>>>>>> theirs\n", id="conflicted"),
    ],
)
def test_a_base_version_that_does_not_read_is_reported_never_taken_as_no_past(repo: Path, spoil):
    path = repo / "claims" / "c1.toml"
    good = path.read_bytes()
    path.write_bytes(spoil(good))
    commit_all(repo)
    path.write_bytes(good)
    result = ct(repo, "audit", "--base", "HEAD")
    assert result.exit_code == 1, result.output
    assert "rewritten-past" in result.output
    assert re.search(r"the claim file at HEAD \(\w+\) does not read \(.+\), so its past cannot be checked", result.output)


# D24: a sealed revision duplicated


def duplicate_last(root: Path) -> None:
    path = root / "claims" / "c1.toml"
    text = path.read_text()
    parent = claimtrack.open_library(root).claims["c1"].revisions[-2].digest
    block = text[text.rindex("[[revisions]]") :]
    path.write_text(text.rstrip("\n") + "\n\n" + block.replace("digest =", f'after = ["{parent}"]\ndigest =', 1))


@pytest.mark.usefixtures("plain_git")
def test_a_duplicated_sealed_revision_fails_the_audit_and_the_base_audit(repo: Path):
    commit_all(repo)
    duplicate_last(repo)
    claim = claimtrack.open_library(repo).claims["c1"]
    assert claim.revisions[-1].digest == claim.revisions[-2].digest  # the copy, as the forger made it
    for args in (["audit"], ["audit", "--base", "HEAD"]):
        result = ct(repo, *args)
        assert result.exit_code == 1, result.output
        assert "broken-seal" in result.output and "repeats the digest of revision 2" in result.output


def test_a_write_after_a_duplicated_revision_is_refused(tmp_path: Path):
    root = library(tmp_path / "lib")
    duplicate_last(root)
    before = (root / "claims" / "c1.toml").read_bytes()
    result = ct(root, "review", "c1", "--reason", "again", "--by", "T", "--date", "2022-12-04")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "repeats the seal of revision 2" in result.output and "nothing was written" in result.output
    assert (root / "claims" / "c1.toml").read_bytes() == before


# Point 9: writes over seals that do not verify; seal of a history that no longer replays


def test_a_write_to_a_claim_whose_seal_does_not_verify_is_refused(tmp_path: Path):
    root = library(tmp_path / "lib")
    path = root / "claims" / "c1.toml"
    path.write_text(path.read_text().replace('credited = "Alice"', 'credited = "Mallory"'))
    before = path.read_bytes()
    for verb in (
        ["review", "c1", "--reason", "again", "--by", "T", "--date", "2022-12-04"],
        ["tag", "c1", "--add", "x", "--by", "T", "--date", "2022-12-04"],
    ):
        result = ct(root, *verb)
        assert result.exit_code == 2, result.output
        assert "the seal of revision 1 (correction, 2022-12-02) does not verify" in result.output
        assert result.output.count("\n") == 1 and "nothing was written" in result.output
        assert path.read_bytes() == before


def test_seal_refuses_a_hand_edited_history_that_no_longer_replays(tmp_path: Path):
    root = library(tmp_path / "lib")
    path = root / "claims" / "c1.toml"
    text = path.read_text()
    # A hand-written revision, unsealed, and the earlier correction's old span edited by hand.
    text = text.replace('old = "4096"', 'old = "2048"')
    text += '\n[[revisions]]\ndate = 2022-12-05\nkind = "review"\nby = "T"\nreason = "by hand"\n'
    path.write_text(text)
    before = path.read_bytes()
    assert "span-not-found" in ct(root, "audit").output
    result = ct(root, "seal")
    assert result.exit_code == 1
    assert "not sealed:" in result.output and "revision 1 (correction, 2022-12-02) no longer replays" in result.output
    assert "nothing was sealed" in result.output
    assert path.read_bytes() == before


def test_seal_still_seals_a_hand_written_revision_that_replays(tmp_path: Path):
    root = library(tmp_path / "lib")
    path = root / "claims" / "c1.toml"
    path.write_text(path.read_text() + '\n[[revisions]]\ndate = 2022-12-05\nkind = "review"\nby = "T"\nreason = "by hand"\n')
    result = ct(root, "seal")
    assert result.exit_code == 0 and "sealed 1 revision in 1 claim" in result.output
    assert ct(root, "audit").exit_code == 0
