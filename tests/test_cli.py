"""The core commands, run as a user would: exact output and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.history import first_broken_seal, replay

ENTRY = "@article{chen2021codex,\n  title = {Evaluating Large Language Models Trained on Code},\n  author = {Chen, Mark and others},\n  year = {2021}\n}\n"


def run(root: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "lib")])
    assert result.exit_code == 0, result.output
    return tmp_path / "lib"


def test_the_whole_story(empty: Path) -> None:
    code, out, _ = run(
        empty, "add", "cdv2-context", "--statement", "code-davinci-002 has a context window of 4096 tokens.",
        "--by", "A. Author", "--date", "2022-12-11",
    )  # fmt: skip
    assert (code, out) == (0, "added cdv2-context (hypothesis)\n")
    assert run(empty, "source", "add", stdin=ENTRY)[:2] == (0, "added 1 entry: chen2021codex\nalready present 0, refused 0\n")
    code, out, _ = run(empty, "cite", "cdv2-context", "chen2021codex", "--by", "A. Author", "--date", "2022-12-11")
    assert (code, out) == (0, "cdv2-context: cited chen2021codex (supports); 1 evidence entry\n")
    path = empty / "claims" / "cdv2-context.toml"
    path.write_text("# Hand-written note: check the model index.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(
        empty, "revise", "cdv2-context", "--old", "4096", "--new", "8192", "--reason", "the model index says 8192",
        "--credit", "A. Reader", "--by", "A. Author", "--date", "2022-12-18",
    )  # fmt: skip
    assert (code, out) == (0, "cdv2-context: correction: ~~4096~~ 8192\n")
    assert path.read_text(encoding="utf-8").startswith("# Hand-written note: check the model index.\n")

    code, out, _ = run(empty, "history", "cdv2-context", "--format", "json")
    rows = json.loads(out)
    assert [r["kind"] for r in rows] == ["created", "evidence", "correction"]
    assert all(len(r["digest"]) == 64 for r in rows)
    assert rows[2]["change"] == "~~4096~~ 8192" and rows[2]["credited"] == "A. Reader"

    then = json.loads(run(empty, "show", "cdv2-context", "--as-of", "2022-12-12", "--format", "json")[1])
    now = json.loads(run(empty, "show", "cdv2-context", "--format", "json")[1])
    assert "4096" in then["statement"] and "8192" in now["statement"]

    code, out, _ = run(empty, "history", "cdv2-context")
    assert out.splitlines()[-3:] == [
        "  2  2022-12-18  correction    A. Author, credited A. Reader",
        "      ~~4096~~ 8192",
        "      why: the model index says 8192",
    ]


def test_show_text(empty: Path) -> None:
    run(
        empty,
        "add",
        "a-claim",
        "--statement",
        "S.",
        "--confidence",
        "conclusion",
        "--tag",
        "t1",
        "--by",
        "x",
        "--date",
        "2022-12-11",
    )
    code, out, _ = run(empty, "show", "a-claim")
    assert code == 0
    assert out == "a-claim  [conclusion, active]\n  S.\n  tags: t1\n  1 revision, created 2022-12-11, updated 2022-12-11\n"


def test_list_formats_and_filters(empty: Path) -> None:
    run(
        empty,
        "add",
        "one",
        "--statement",
        "First, with a comma.",
        "--confidence",
        "conclusion",
        "--tag",
        "x",
        "--by",
        "a",
        "--date",
        "2022-12-11",
    )
    run(empty, "add", "two", "--statement", "Second.", "--confidence", "educated-guess", "--by", "a", "--date", "2022-12-11")
    assert run(empty, "list")[1] == "one  conclusion      active  First, with a comma.\ntwo  educated-guess  active  Second.\n"
    assert [r["id"] for r in json.loads(run(empty, "list", "--tag", "x", "--format", "json")[1])] == ["one"]
    csv_lines = run(empty, "list", "--confidence", "educated-guess", "--format", "csv")[1].splitlines()
    assert csv_lines[0] == "id,confidence,status,statement,tags,evidence,revisions,updated"
    assert csv_lines[1] == "two,educated-guess,active,Second.,,0,1,2022-12-11"


def test_source_list(empty: Path) -> None:
    run(empty, "source", "add", stdin=ENTRY)
    assert (
        run(empty, "source", "list")[1] == "chen2021codex  2021  Chen et al.  Evaluating Large Language Models Trained on Code\n"
    )
    assert "Chen, Mark; et al." in run(empty, "source", "list", "--format", "json")[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["add", "../evil", "--statement", "x"], "error: id: '../evil' is not a valid claim id;", id="evil-id"),
        pytest.param(
            ["show", "nothing"],
            "error: claims/nothing.toml: no claim 'nothing'; see `claimtrack list` for the ids",
            id="missing-claim",
        ),
        pytest.param(["cite", "nothing", "k"], "error: claims/nothing.toml: no claim 'nothing';", id="cite-missing"),
        pytest.param(
            ["add", "x", "--statement", "s", "--date", "yesterday"],
            "error: date: 'yesterday' is not a date; write it as YYYY-MM-DD",
            id="bad-date",
        ),
        pytest.param(["source", "add"], "error: ", id="empty-bibtex"),
    ],
)
def test_errors_are_one_line_exit_2_and_write_nothing(empty: Path, args: list[str], message: str) -> None:
    before = sorted(p.relative_to(empty) for p in empty.rglob("*") if ".claimtrack" not in p.parts)
    code, out, err = run(empty, *args, stdin="")
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert sorted(p.relative_to(empty) for p in empty.rglob("*") if ".claimtrack" not in p.parts) == before


def test_outside_a_library(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(tmp_path / "none"), "list"])
    assert result.exit_code == 2 and "is not a folder" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["add", "x1", "--statement", "S.", "--by", "A"], id="add"),
        pytest.param(["list"], id="list"),
        pytest.param(["source", "add"], id="source-add"),
        pytest.param(["audit"], id="audit"),
        pytest.param(["report"], id="report"),
        pytest.param(["import", "doc.md"], id="import"),
        pytest.param(["diff", "doc.md", "doc.md"], id="diff"),
    ],
)
def test_root_at_a_folder_that_is_no_library_is_refused(tmp_path: Path, args: list[str]) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "doc.md").write_text("~~a~~ b\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(folder), *args], input=ENTRY)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"error: {folder}: is not a claims library (it has no claims/ folder and no claimtrack.toml); "
        f"make one with `claimtrack init {folder}`, or pass --root DIR of a library\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["doc.md"]  # no claims/, no references.bib, no report/


def test_every_command_has_help_with_an_example() -> None:
    def walk(group, prefix):  # type: ignore[no-untyped-def]
        for name, command in group.commands.items():
            yield [*prefix, name], command
            if hasattr(command, "commands"):
                yield from walk(command, [*prefix, name])

    for path, _command in walk(main, []):
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.output, f"{' '.join(path)} --help has no example"


def test_python_m_claimtrack(empty: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "claimtrack", "--root", str(empty), "list"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout == ""


def test_four_processes_citing_at_once(empty: Path) -> None:
    run(
        empty,
        "add",
        "cdv2-context",
        "--statement",
        "code-davinci-002 has a context window of 4096 tokens.",
        "--by",
        "a",
        "--date",
        "2022-12-11",
    )
    run(empty, "source", "add", stdin=ENTRY)
    exe = [sys.executable, "-m", "claimtrack", "--root", str(empty)]
    script = "\n".join(
        f"{' '.join(exe)} cite cdv2-context chen2021codex --locator 'w{{w}} n{n}' --by w{{w}} --date 2022-12-12 >/dev/null || exit 1"
        for n in range(25)
    )
    workers = [subprocess.Popen(["bash", "-c", script.replace("{w}", str(w))], env=os.environ.copy()) for w in range(4)]
    assert [p.wait(timeout=300) for p in workers] == [0, 0, 0, 0]
    claim = claimtrack.open(empty).claims["cdv2-context"]
    assert len(claim.evidence) == 100 and len(claim.revisions) == 101
    assert len({e.locator for e in claim.evidence}) == 100
    assert first_broken_seal(claim.revisions) is None and replay(claim) == claim
