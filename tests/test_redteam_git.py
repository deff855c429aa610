"""The git merge driver against a hostile repository: no code from the work tree runs, paths are never options,
``%A`` is written whole or not at all, and an old unsafe registration is found and replaced."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import claimtrack
from claimtrack.cli import main
from claimtrack.errors import ClaimtrackError
from claimtrack.gitrepo import driver_command, driver_is_unsafe, is_set_up
from claimtrack.mergetext import merge_driver

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.usefixtures("plain_git"),
]

#: Modules a driver started as ``python -m claimtrack`` would take from the work tree's top.
PLANTED = ("click", "tomli", "tomlkit", "attrs", "claimtrack", "sitecustomize", "usercustomize", "typing_extensions")


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=check)


def ct(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), *args])


def two_branches(top: Path, library: str = ".") -> Path:
    """A repository at ``top`` whose library (at ``library`` inside it) has claim c1, reviewed on branches a and main."""
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    for key, value in (("user.name", "T"), ("user.email", "t@example.org"), ("commit.gpgsign", "false")):
        git(top, "config", key, value)
    root = top / library
    assert ct(top, "init", "--", str(root)).exit_code == 0
    assert ct(root, "add", "c1", "--statement", "S.", "--by", "A", "--date", "2022-12-01").exit_code == 0
    git(top, "add", "-A")
    git(top, "commit", "-qm", "init")
    git(top, "checkout", "-qb", "a")
    assert ct(root, "review", "c1", "--reason", "from-a", "--by", "A", "--date", "2022-12-02").exit_code == 0
    git(top, "commit", "-qam", "a")
    git(top, "checkout", "-q", "main")
    assert ct(root, "review", "c1", "--reason", "from-main", "--by", "M", "--date", "2022-12-03").exit_code == 0
    git(top, "commit", "-qam", "main")
    return root


def plant(top: Path, marker: Path) -> None:
    """Modules at the top of the work tree that leave ``marker`` when imported, committed as a stranger's clone has them."""
    for name in PLANTED:
        (top / f"{name}.py").write_text(f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "plant")


@pytest.mark.parametrize("command", ["merge", "rebase", "cherry-pick"])
def test_no_module_in_the_work_tree_runs_during_a_merge(tmp_path: Path, command: str):
    top = tmp_path / "repo"
    root = two_branches(top)
    marker = tmp_path / "PWNED"
    git(top, "checkout", "-q", "a")
    plant(top, marker)
    git(top, "checkout", "-q", "main")
    plant(top, marker)
    if command == "merge":
        done = git(top, "merge", "-q", "--no-edit", "a", check=False)
    elif command == "rebase":
        done = git(top, "rebase", "a", check=False)
    else:
        done = git(top, "cherry-pick", "a~1", check=False)  # a's review, without a's planted files
    assert not marker.exists(), marker.read_text()
    assert done.returncode == 0, done.stdout + done.stderr
    reasons = [r.reason for r in claimtrack.open_library(root).claims["c1"].revisions]
    assert {"from-a", "from-main"} <= set(reasons)
    assert ct(root, "audit").exit_code == 0


def test_the_environment_cannot_put_the_work_tree_on_the_module_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    top = tmp_path / "repo"
    two_branches(top)
    marker = tmp_path / "PWNED"
    plant(top, marker)
    monkeypatch.setenv("PYTHONPATH", f"{top}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    monkeypatch.setenv("PYTHONSTARTUP", str(top / "click.py"))
    assert git(top, "merge", "-q", "--no-edit", "a", check=False).returncode == 0
    assert not marker.exists()


def test_the_registered_command_is_isolated_and_ends_options():
    command = driver_command()
    words = command.split()
    assert words[1] == "-I" and "-m" not in words
    assert words[-5:] == ["--", "%O", "%A", "%B", "%P"]
    assert Path(words[2].strip("'")).is_absolute() and words[2].strip("'").endswith("mergedriver.py")
    assert not driver_is_unsafe(command)


def test_an_unsafe_registration_is_found_and_replaced_by_setup(tmp_path: Path):
    top = tmp_path / "repo"
    root = two_branches(top)
    old = f"{sys.executable} -m claimtrack git merge-driver %O %A %B %P"  # what earlier versions registered
    git(top, "config", "merge.claimtrack.driver", old)
    assert driver_is_unsafe(old)
    assert not is_set_up(root)
    audit = ct(root, "audit")
    assert audit.exit_code == 1 and "unsafe-merge-driver" in audit.output and "claimtrack git setup" in audit.output
    result = ct(root, "git", "setup")
    assert result.exit_code == 0
    assert "replaced an unsafe command" in result.output
    assert git(top, "config", "merge.claimtrack.driver").stdout.strip() == driver_command()
    assert is_set_up(root)
    assert ct(root, "git", "setup").output.startswith("already set up")
    assert ct(root, "audit").exit_code == 0


def test_another_programs_driver_is_not_called_unsafe():
    assert not driver_is_unsafe("my-merge-tool %O %A %B")


def test_a_library_folder_starting_with_a_dash_merges(tmp_path: Path):
    top = tmp_path / "dash"
    root = two_branches(top, "-notes")
    done = git(top, "merge", "-q", "--no-edit", "a", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    reasons = [r.reason for r in claimtrack.open_library(root).claims["c1"].revisions]
    assert {"from-a", "from-main"} <= set(reasons)


def test_a_top_level_file_named_like_an_option_is_not_taken_for_one(tmp_path: Path):
    top = tmp_path / "repo"
    two_branches(top)
    (top / ".gitattributes").write_text("* merge=claimtrack\n")
    (top / "--help").write_text("one\ntwo\nthree\n")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "help file")
    git(top, "checkout", "-q", "a")
    git(top, "checkout", "-q", "main", "--", ".gitattributes", "--help")
    (top / "--help").write_text("one\nTWO from a\nthree\n")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "a changes --help")
    git(top, "checkout", "-q", "main")
    (top / "--help").write_text("one\nTWO from main\nthree\n")
    git(top, "commit", "-qam", "main changes --help")
    done = git(top, "merge", "--no-edit", "a", check=False)
    assert done.returncode != 0  # both sides changed the same line: a conflict git records, not "ours" silently
    text = (top / "--help").read_text()
    assert "<<<<<<<" in text and "TWO from a" in text and "TWO from main" in text


def test_a_failed_write_of_the_merged_file_leaves_ours_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    top = tmp_path / "repo"
    root = two_branches(top)
    folder = tmp_path / "sides"
    folder.mkdir()
    sides = {}
    for name, ref in (("base", "main~1"), ("ours", "main"), ("theirs", "a")):
        sides[name] = folder / name
        sides[name].write_bytes(git(top, "show", f"{ref}:claims/c1.toml").stdout.encode())
    before = sides["ours"].read_bytes()

    def full_disk(fd: int, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(ClaimtrackError, match="No space left on device"):
        merge_driver(sides["base"], sides["ours"], sides["theirs"], "claims/c1.toml")
    monkeypatch.undo()
    assert sides["ours"].read_bytes() == before
    assert not [p for p in folder.iterdir() if p.name.startswith(".ct-tmp-")]
    assert root.exists()


# After a conflict the driver refused (issue 22, point 9)

BIB = "@article{brown2020, title={Language Models}, author={Brown, Tom}, year={2020}}\n"


@pytest.fixture
def refused(tmp_path: Path) -> Path:
    """A merge the driver refused: both branches corrected the same number differently; c1 cites brown2020."""
    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    for key, value in (("user.name", "T"), ("user.email", "t@example.org"), ("commit.gpgsign", "false")):
        git(top, "config", key, value)
    assert ct(top, "init", str(top)).exit_code == 0
    (top / "references.bib").write_text(BIB)
    assert ct(top, "add", "c1", "--statement", "X has 4096 tokens.", "--by", "A", "--date", "2022-12-01").exit_code == 0
    assert ct(top, "cite", "c1", "brown2020", "--by", "A", "--date", "2022-12-01").exit_code == 0
    git(top, "add", "-A")
    git(top, "commit", "-qm", "init")
    git(top, "checkout", "-qb", "a")
    assert ct(top, "revise", "c1", "--old", "4096", "--new", "8192", "--reason", "a", "--by", "A",
              "--date", "2022-12-02").exit_code == 0  # fmt: skip
    git(top, "commit", "-qam", "a")
    git(top, "checkout", "-q", "main")
    assert ct(top, "revise", "c1", "--old", "4096", "--new", "2048", "--reason", "m", "--by", "M",
              "--date", "2022-12-03").exit_code == 0  # fmt: skip
    git(top, "commit", "-qam", "main")
    done = git(top, "merge", "--no-edit", "a", check=False)
    assert done.returncode != 0 and "merge conflict in claim 'c1'" in done.stdout + done.stderr
    assert "<<<<<<<" in (top / "claims" / "c1.toml").read_text()
    return top


def test_show_and_audit_say_what_the_driver_said_not_resolve(refused: Path):
    assert ct(refused, "resolve").exit_code == 2  # resolve refuses this conflict, so no hint may send the user there
    for args in (["show", "c1"], ["audit"]):
        result = ct(refused, *args)
        assert result.exit_code != 0
        assert "run `claimtrack resolve`" not in result.output, result.output
        assert "`claimtrack resolve` cannot merge it (merge conflict in claim 'c1'" in result.output, result.output
        assert "git checkout --ours -- claims/c1.toml" in result.output
        assert "record the other side's change as a new revision" in result.output


def test_a_conflict_resolve_can_finish_still_points_to_resolve(tmp_path: Path):
    top = tmp_path / "repo"
    root = two_branches(top)
    git(top, "config", "--remove-section", "merge.claimtrack")  # git's own line merge, as without setup
    assert git(top, "merge", "--no-edit", "a", check=False).returncode != 0
    result = ct(root, "show", "c1")
    assert "run `claimtrack resolve`" in result.output
    assert ct(root, "resolve").exit_code == 0


def test_sources_of_a_conflicted_claim_are_not_reported_unused(refused: Path):
    result = ct(refused, "audit")
    assert "claim-unreadable" in result.output
    assert "bib-unused" not in result.output, result.output


def test_a_source_no_file_names_is_still_unused(refused: Path):
    (refused / "references.bib").write_text(BIB + "@article{other2021, title={T}, author={A, B}, year={2021}}\n")
    result = ct(refused, "audit")
    assert "entry 'other2021' is cited by no claim" in result.output
    assert "entry 'brown2020'" not in result.output


def test_a_misspelt_base_gets_a_did_you_mean_of_the_branch_names(refused: Path):
    result = ct(refused, "audit", "--base", "mian")
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "'mian' names no commit" in result.output and "did you mean 'main'?" in result.output


@pytest.mark.parametrize("ref", ["origin/main", "no-such-branch-at-all"])
def test_a_hint_never_offers_the_value_that_just_failed(refused: Path, ref: str):
    result = ct(refused, "audit", "--base", ref)
    assert result.exit_code == 2
    hint = result.output.split("; ", 1)[1]
    assert ref not in hint, result.output
    assert "main" in hint  # a branch that does exist here
