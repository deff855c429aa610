"""`audit --base REF` and `history --git` against a real git repository."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner, Result

import claimtrack
from claimtrack.baseline import changes_since
from claimtrack.cli import main
from claimtrack.history import replay
from claimtrack.seals import seal
from claimtrack.store import render_claim

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.usefixtures("plain_git"),
]

CLAIM = "claims/cdv2-context.toml"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=check)


def ct(repo: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(repo), *args])


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A committed library: one claim with three sealed revisions."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Ada Committer")
    git(path, "config", "user.email", "ada@example.org")
    git(path, "config", "commit.gpgsign", "false")
    lib = claimtrack.init_library(path)
    lib = claimtrack.open_library(path)
    lib.add("cdv2-context", "code-davinci-002 has a context window of 4096 tokens.", confidence="educated-guess",
            by="Yao Fu", date="2022-12-11")  # fmt: skip
    git(path, "add", "-A")
    git(path, "commit", "-qm", "the claim")
    lib = claimtrack.open_library(path)
    lib.revise("cdv2-context", old="4096", new="8192", reason="a reader pointed to the right figure", by="Yao Fu",
               date="2022-12-18")  # fmt: skip
    lib.review("cdv2-context", reason="checked against the API docs", by="Yao Fu", date="2023-01-05")
    git(path, "commit", "-qam", "correct and review")
    return path


def forge(repo: Path, edit) -> None:
    """Rewrite the claim's history with ``edit(revisions)``, seal every revision again and keep the fields consistent."""
    claim = claimtrack.open_library(repo).claims["cdv2-context"]
    revisions = [attrs.evolve(r, digest=None, after=()) for r in edit(list(claim.revisions))]
    forged = replay(attrs.evolve(claim, revisions=seal(revisions)))
    (repo / CLAIM).write_text(render_claim(forged))


def audit_base(repo: Path, ref: str = "HEAD") -> Result:
    return ct(repo, "audit", "--base", ref)


def test_appending_passes(repo: Path):
    lib = claimtrack.open_library(repo)
    lib.review("cdv2-context", reason="checked again", by="B", date="2023-02-01")
    result = audit_base(repo)
    assert result.exit_code == 0, result.output


def test_a_rewritten_and_resealed_past_revision_is_an_error(repo: Path):
    forge(repo, lambda rs: [rs[0], attrs.evolve(rs[1], new="16384"), rs[2]])
    assert ct(repo, "audit").exit_code == 0  # the file alone verifies: that is the forgery
    result = audit_base(repo)
    assert result.exit_code == 1
    head = git(repo, "rev-parse", "HEAD").stdout.strip()[:10]
    assert f"revision 1 (correction, 2022-12-18) as of HEAD ({head}) was rewritten" in result.output
    assert "cdv2-context" in result.output and "rewritten-past" in result.output


@pytest.mark.parametrize(
    "edit, what",
    [
        pytest.param(lambda rs: [rs[0], rs[2]], "revision 1 (correction, 2022-12-18) as of {ref} was removed", id="removed"),
        pytest.param(
            lambda rs: [rs[0], attrs.evolve(rs[1], by="Someone Else"), rs[2]],
            "revision 1 (correction, 2022-12-18) as of {ref} was rewritten",
            id="author-changed",
        ),  # fmt: skip
        pytest.param(
            lambda rs: [rs[0], rs[2], rs[1]],
            "revision 1 (correction, 2022-12-18) as of {ref} was sealed again over a different past (moved, or a revision before it was rewritten)",
            id="reordered",
        ),  # fmt: skip
        pytest.param(
            lambda rs: [attrs.evolve(rs[0], date="2022-12-01"), *rs[1:]],
            "revision 0 (created, 2022-12-11) as of {ref} was removed",
            id="created-redated",
        ),  # fmt: skip
    ],
)
def test_every_change_to_the_past_is_named(repo: Path, edit, what: str):
    forge(repo, edit)
    commit, changes = changes_since(repo, claimtrack.open_library(repo).claims.as_dict(), "main")
    ref = f"main ({commit[:10]})"
    assert what.format(ref=ref) in [c.message for c in changes]


def test_a_stripped_seal_and_a_move_are_named(repo: Path):
    text = (repo / CLAIM).read_text()
    lines = text.splitlines(keepends=True)
    digest_lines = [i for i, line in enumerate(lines) if line.startswith("digest = ")]
    del lines[digest_lines[-1]]  # the review's seal
    (repo / CLAIM).write_text("".join(lines))
    result = audit_base(repo)
    assert result.exit_code == 1
    assert "revision 2 (review, 2023-01-05) as of HEAD" in result.output and "has lost its seal" in result.output


def test_a_deleted_claim_is_an_error(repo: Path):
    (repo / CLAIM).unlink()
    result = audit_base(repo)
    assert result.exit_code == 1 and "the claim file existed at HEAD" in result.output


def test_a_merge_is_not_a_rewrite(repo: Path):
    git(repo, "checkout", "-qb", "side")
    claimtrack.open_library(repo).review("cdv2-context", reason="side check", by="S", date="2023-01-06")
    git(repo, "commit", "-qam", "side review")
    git(repo, "checkout", "-q", "main")
    claimtrack.open_library(repo).review("cdv2-context", reason="main check", by="M", date="2023-01-07")
    git(repo, "commit", "-qam", "main review")
    git(repo, "merge", "-q", "--no-edit", "side")
    for ref in ("main~1", "side", "HEAD"):
        result = audit_base(repo, ref)
        assert result.exit_code == 0, (ref, result.output)


def test_errors_are_one_line(repo: Path, tmp_path: Path):
    unknown = audit_base(repo, "no-such-branch")
    assert unknown.exit_code == 2
    assert unknown.output.startswith("error: ") and unknown.output.count("\n") == 1
    assert "'no-such-branch' names no commit" in unknown.output
    outside = tmp_path / "outside"
    claimtrack.init_library(outside)
    claimtrack.open_library(outside).add("x", "A claim.", by="A", date="2022-01-01")
    for args in (["audit", "--base", "HEAD"], ["history", "x", "--git"]):
        result = ct(outside, *args)
        assert result.exit_code == 2, args
        assert "is not in a git work tree" in result.output and result.output.count("\n") == 1


def test_history_git_names_the_commit_behind_each_revision(repo: Path):
    claimtrack.open_library(repo).review("cdv2-context", reason="not yet committed", by="B", date="2023-02-01")
    result = ct(repo, "history", "cdv2-context", "--git", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    log = git(repo, "log", "--reverse", "--format=%H").stdout.split()
    assert [row["commit"] for row in rows] == [log[0], log[1], log[1], None]
    assert {row["author"] for row in rows[:3]} == {"Ada Committer"} and rows[0]["email"] == "ada@example.org"
    text = ct(repo, "history", "cdv2-context", "--git").output
    assert f"commit {log[0][:10]} by Ada Committer <ada@example.org>" in text and "not committed yet" in text


def test_the_readme_ci_recipe_checks_a_clone_against_origin(repo: Path, tmp_path: Path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "config", "user.name", "Pat Reviewer")
    git(clone, "config", "user.email", "pat@example.org")
    git(clone, "checkout", "-qb", "pull-request")
    claimtrack.open_library(clone).review("cdv2-context", reason="checked in the pull request", by="P", date="2023-03-01")
    git(clone, "commit", "-qam", "review")
    assert ct(clone, "audit", "--strict", "--base", "origin/main").exit_code == 0
    forge(clone, lambda rs: [rs[0], attrs.evolve(rs[1], reason="a quieter reason"), *rs[2:]])
    git(clone, "commit", "-qam", "rewrite the past")
    result = ct(clone, "audit", "--strict", "--base", "origin/main")
    assert result.exit_code == 1 and "revision 1 (correction, 2022-12-18) as of origin/main (" in result.output


def test_base_head_before_the_first_commit_compares_nothing(tmp_path: Path):
    path = tmp_path / "fresh"
    path.mkdir()
    git(path, "init", "-q")
    claimtrack.init_library(path)
    claimtrack.open_library(path).add("x", "A claim.", by="A", date="2022-01-01")
    assert audit_base(path).exit_code == 0
