"""A library in a real git repository: merges with the driver and without, rebase, cherry-pick, and setup."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import claimtrack
from claimtrack.cli import main
from claimtrack.gitrepo import ATTRIBUTES_LINE, driver_command

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.usefixtures("plain_git"),
]

BIB = "@article{brown2020, title={Language Models are Few-Shot Learners}, author={Brown, Tom}, year={2020}}\n"
CLAIM = "claims/gpt3-corpus.toml"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=check)


def ct(repo: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(repo), *args])


def make_repo(path: Path, *, driver: bool) -> Path:
    """A repository whose main branch holds one claim, and branches a and b that each add to it."""
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Test Person")
    git(path, "config", "user.email", "test@example.org")
    git(path, "config", "commit.gpgsign", "false")
    (path / "references.bib").write_text(BIB)
    for args in (
        ["init", str(path)],
        [
            "add",
            "gpt3-corpus",
            "--statement",
            "GPT-3 was trained on C4 data from 2016 to 2019.",
            "--by",
            "A",
            "--date",
            "2022-12-11",
        ],
    ):
        assert ct(path, *args).exit_code == 0
    if not driver:
        git(path, "config", "--unset", "merge.claimtrack.driver")
        (path / ".gitattributes").unlink()
    git(path, "add", "-A")
    git(path, "commit", "-qm", "base")
    git(path, "checkout", "-qb", "a")
    assert ct(path, "revise", "gpt3-corpus", "--old", "C4", "--new", "Common Crawl", "--reason", "it is filtered CC",
              "--by", "A", "--date", "2023-01-01").exit_code == 0  # fmt: skip
    git(path, "commit", "-qam", "a: correct the corpus")
    git(path, "checkout", "-q", "main")
    git(path, "checkout", "-qb", "b")
    assert ct(path, "cite", "gpt3-corpus", "brown2020", "--by", "B", "--date", "2023-01-02").exit_code == 0
    assert ct(path, "revise", "gpt3-corpus", "--old", "2016", "--new", "2015", "--reason", "the data start in 2015",
              "--by", "B", "--date", "2023-01-03").exit_code == 0  # fmt: skip
    git(path, "commit", "-qam", "b: cite and correct the years")
    return path


def merged(repo: Path, into: str, other: str) -> str:
    git(repo, "checkout", "-q", into)
    git(repo, "checkout", "-qb", f"{into}-with-{other}")
    git(repo, "merge", "-q", "--no-edit", other)
    return (repo / CLAIM).read_text()


@pytest.fixture
def with_driver(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", driver=True)


def test_setup_writes_attributes_and_config_once(tmp_path: Path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    assert ct(repo, "init", str(repo)).exit_code == 0  # init inside a work tree sets the driver up
    assert (repo / ".gitattributes").read_text() == ATTRIBUTES_LINE + "\n"
    assert git(repo, "config", "merge.claimtrack.driver").stdout.strip() == driver_command()
    again = ct(repo, "git", "setup")
    assert again.exit_code == 0 and again.output.startswith("already set up")
    assert (repo / ".gitattributes").read_text() == ATTRIBUTES_LINE + "\n"
    assert git(repo, "check-attr", "merge", "claims/x.toml").stdout.strip() == "claims/x.toml: merge: claimtrack"


def test_setup_outside_git_says_so(tmp_path: Path):
    claimtrack.init_library(tmp_path / "lib")
    assert not (tmp_path / "lib" / ".gitattributes").exists()  # init outside git leaves git alone
    result = ct(tmp_path / "lib", "git", "setup")
    assert result.exit_code == 2
    assert result.output.strip().endswith(
        "is not in a git work tree; run `git init` there first, or use a library inside a git repository"
    )
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_both_merge_directions_give_the_same_verified_file(with_driver: Path):
    ab = merged(with_driver, "a", "b")
    ba = merged(with_driver, "b", "a")
    assert ab == ba
    result = ct(with_driver, "audit")
    assert result.exit_code == 0, result.output
    claim = claimtrack.open_library(with_driver).claims["gpt3-corpus"]
    assert [r.kind.value for r in claim.revisions] == ["created", "correction", "evidence", "correction"]
    assert claim.statement == "GPT-3 was trained on Common Crawl data from 2015 to 2019."
    assert [e.source for e in claim.evidence] == ["brown2020"]
    # The merged library takes new revisions, sealed over both branches' last ones.
    assert ct(with_driver, "review", "gpt3-corpus", "--reason", "checked", "--by", "C").exit_code == 0
    last = claimtrack.open_library(with_driver).claims["gpt3-corpus"].revisions[-1]
    assert len(last.after) == 2
    assert ct(with_driver, "audit").exit_code == 0


@pytest.mark.parametrize("command", ["rebase", "cherry-pick"])
def test_rebase_and_cherry_pick_finish_without_conflict(with_driver: Path, command: str):
    git(with_driver, "checkout", "-q", "b")
    if command == "rebase":
        done = git(with_driver, "rebase", "a", check=False)
    else:
        git(with_driver, "checkout", "-q", "a")
        done = git(with_driver, "cherry-pick", "b", check=False)
    assert done.returncode == 0, done.stderr
    assert ct(with_driver, "audit").exit_code == 0
    assert len(claimtrack.open_library(with_driver).claims["gpt3-corpus"].revisions) == 4


def test_without_the_driver_the_conflict_is_named_and_resolve_finishes_it(tmp_path: Path):
    plain = make_repo(tmp_path / "plain", driver=False)
    expected = merged(make_repo(tmp_path / "driven", driver=True), "a", "b")
    git(plain, "checkout", "-q", "a")
    assert git(plain, "merge", "--no-edit", "b", check=False).returncode != 0
    text = (plain / CLAIM).read_text()
    assert "<<<<<<<" in text
    audit = ct(plain, "audit")
    assert audit.exit_code == 1
    assert (
        "gpt3-corpus  claims/gpt3-corpus.toml\n  error    claim-unreadable  unresolved merge conflict (lines 2-6, 30-56)"
        in audit.output
    )
    assert "run `claimtrack resolve`" in audit.output
    for command in (["show", "gpt3-corpus"], ["list"], ["history", "gpt3-corpus"]):
        shown = ct(plain, *command)
        assert shown.exit_code == 2, command
        assert shown.output == (
            "error: claims/gpt3-corpus.toml: unresolved merge conflict (lines 2-6, 30-56); run `claimtrack resolve`\n"
        )
    resolved = ct(plain, "resolve")
    assert resolved.exit_code == 0, resolved.output
    assert (plain / CLAIM).read_text() == expected
    assert ct(plain, "audit").exit_code == 0


def test_diff3_markers_resolve_the_same(tmp_path: Path):
    plain = make_repo(tmp_path / "plain", driver=False)
    expected = merged(make_repo(tmp_path / "driven", driver=True), "b", "a")
    git(plain, "config", "merge.conflictStyle", "diff3")
    git(plain, "checkout", "-q", "b")
    assert git(plain, "merge", "--no-edit", "a", check=False).returncode != 0
    assert "|||||||" in (plain / CLAIM).read_text()
    assert ct(plain, "resolve", str(plain / CLAIM)).exit_code == 0
    assert (plain / CLAIM).read_text() == expected


def _conflicting(repo: Path) -> None:
    """Branch c replaces the same span as branch a, differently."""
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-qb", "c")
    assert ct(repo, "revise", "gpt3-corpus", "--old", "C4", "--new", "The Pile", "--reason", "another reading",
              "--by", "C", "--date", "2023-01-05").exit_code == 0  # fmt: skip
    git(repo, "commit", "-qam", "c: another corpus")


def test_same_span_replaced_differently_fails_the_merge_naming_the_claim(with_driver: Path):
    _conflicting(with_driver)
    git(with_driver, "checkout", "-q", "a")
    done = git(with_driver, "merge", "--no-edit", "c", check=False)
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, done.stderr
    assert "merge conflict in claim 'gpt3-corpus'" in lines[0]
    assert "~~C4~~ Common Crawl" in lines[0] and "~~C4~~ The Pile" in lines[0]
    assert "<<<<<<<" in (with_driver / CLAIM).read_text()  # git's markers are left for a person
    before = (with_driver / CLAIM).read_bytes()
    refused = ct(with_driver, "resolve")
    assert refused.exit_code == 2 and refused.output == lines[0] + "\n"  # the driver's message, word for word
    assert (with_driver / CLAIM).read_bytes() == before  # nothing written


def test_both_changing_confidence_is_a_conflict(with_driver: Path):
    for branch, level in (("a", "conclusion"), ("b", "educated-guess")):
        git(with_driver, "checkout", "-q", branch)
        assert ct(with_driver, "revise", "gpt3-corpus", "--confidence", level, "--reason", "re-graded", "--by", "X",
                  "--date", "2023-02-01").exit_code == 0  # fmt: skip
        git(with_driver, "commit", "-qam", f"{branch}: {level}")
    done = git(with_driver, "merge", "--no-edit", "a", check=False)
    assert done.returncode != 0
    assert "merge conflict in claim 'gpt3-corpus'" in done.stderr and "both change confidence" in done.stderr


def test_a_clone_without_setup_merges_as_text_until_resolved(with_driver: Path, tmp_path: Path):
    expected = merged(with_driver, "a", "b")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(with_driver), str(clone))
    for key, value in (("user.name", "Clone Person"), ("user.email", "clone@example.org")):
        git(clone, "config", key, value)
    assert (clone / ".gitattributes").exists() and git(clone, "config", "merge.claimtrack.driver", check=False).returncode
    git(clone, "checkout", "-q", "a")
    assert git(clone, "merge", "--no-edit", "origin/b", check=False).returncode != 0
    assert ct(clone, "resolve").exit_code == 0
    assert (clone / CLAIM).read_text() == expected
    assert ct(clone, "git", "setup").output.startswith("set up git config merge.claimtrack.name")


def test_criss_cross_merges_agree(with_driver: Path):
    """a and b merge each other, both go on, then merge again: ort merges the two merge bases with the driver too."""
    repo = with_driver
    for branch in ("a", "b"):
        git(repo, "branch", f"{branch}0", branch)
    for branch, other in (("a", "b0"), ("b", "a0")):
        git(repo, "checkout", "-q", branch)
        git(repo, "merge", "-q", "--no-edit", other)
    for branch, day in (("a", "01"), ("b", "02")):
        git(repo, "checkout", "-q", branch)
        assert (
            ct(repo, "review", "gpt3-corpus", "--reason", f"{branch} again", "--by", branch, "--date", f"2023-02-{day}").exit_code
            == 0
        )
        git(repo, "commit", "-qam", f"{branch}: review")
    ab, ba = merged(repo, "a", "b"), merged(repo, "b", "a")
    assert ab == ba
    assert ct(repo, "audit").exit_code == 0
    assert len(claimtrack.open_library(repo).claims["gpt3-corpus"].revisions) == 6
