"""Text from a library is escaped for the format it is written into: terminal text and the Markdown report show
control characters and bidi overrides as escapes; CSV to a file or a pipe and JSON keep the exact text."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
import claimtrack.report as report
from claimtrack.cli import main
from claimtrack.terminal import CONTROLS

# What the red team planted: a title change, a screen clear, colours, a C1 CSI, a bell, a right-to-left override.
ESCAPES = "\x1b]0;TERM\x07\x1b[2J\x1b[31m\x9b31m"
RLO = "\u202e"
STATEMENT = f"Retitled {ESCAPES} and turned {RLO}txt.exe around."
TITLE = f"Bell\x07 and clear\x1b[2J, then {RLO}reversed"
BIB = f"@misc{{src1,\n  title = {{{TITLE}}},\n  year = {{2020}}\n}}\n"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = claimtrack.init(tmp_path / "lib")
    (root / "references.bib").write_text(BIB, encoding="utf-8")
    lib = claimtrack.open(root)
    lib.add("evil", STATEMENT, tags=[f"t\x1b[31m{RLO}"], by=f"Mallory{RLO}", date="2022-12-11")
    lib.cite("evil", "src1", locator=f"p.\x1b[2J 3{RLO}", note=f"note\x07{RLO}", by="M", date="2022-12-11")
    lib.revise("evil", old="Retitled", new=f"Renamed\x1b[H{RLO}", reason=f"why\x07{RLO}", by="M", date="2022-12-12")
    return root


def _raw(text: str) -> list[str]:
    return sorted({repr(c) for c in CONTROLS.findall(text)})


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """The command as a shell runs it, its standard output a pipe."""
    return subprocess.run([sys.executable, "-m", "claimtrack", "--root", str(root), *args], capture_output=True, check=False)


# -- D21: the Markdown report -----------------------------------------------------------------------------------


def test_the_markdown_report_carries_no_raw_control_character(hostile: Path) -> None:
    md = report.render(claimtrack.open(hostile), ["md"])["README.md"]
    assert _raw(md) == [], "raw control characters in report/README.md"
    assert "Renamed\\\\x1b\\[H\\\\u202e" in md  # shown as the escapes text output shows (``\\\\`` is a backslash)


def test_a_bib_key_with_an_escape_is_escaped_in_the_report(tmp_path: Path) -> None:
    root = claimtrack.init(tmp_path / "lib")
    (root / "references.bib").write_text("@misc{d\x1b[2Jk,\n  title = {T},\n  year = {2020}\n}\n", encoding="utf-8")
    lib = claimtrack.open(root)
    lib.add("c", "A claim.", by="A", date="2022-12-11")
    (root / "claims" / "c.toml").write_text(
        (root / "claims" / "c.toml").read_text(encoding="utf-8").replace("A claim.", "A claim [@d\x1b[2Jk]."), encoding="utf-8"
    )
    md = report.render(claimtrack.open(root), ["md"])["README.md"]
    assert _raw(md) == []


# -- D22: CSV to a file or a pipe keeps the exact text ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "column", "expected"),
    [
        (["list", "--format", "csv"], "statement", f"Renamed\x1b[H{RLO} {ESCAPES} and turned {RLO}txt.exe around."),
        (["history", "evil", "--format", "csv"], "reason", f"why\x07{RLO}"),
        (["source", "list", "--format", "csv"], "title", TITLE),
    ],
    ids=["list", "history", "source-list"],
)
def test_csv_to_a_pipe_keeps_every_escape_sequence(hostile: Path, args: list[str], column: str, expected: str) -> None:
    done = _run(hostile, *args)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8"), newline="")))
    assert expected in [row[column] for row in rows]


def test_csv_through_the_runner_keeps_the_exact_text(hostile: Path) -> None:
    out = CliRunner().invoke(main, ["--root", str(hostile), "list", "--format", "csv"]).stdout
    assert "\x1b[2J\x1b[31m" in out and RLO in out


# -- D28: bidi overrides and controls never reach the terminal raw ----------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["show", "evil"], ["list"], ["history", "evil"], ["source", "list"], ["audit"], ["show", f"evil{RLO}"]],
    ids=["show", "list", "history", "source-list", "audit", "error-line"],
)
def test_text_output_shows_bidi_overrides_as_escapes(hostile: Path, args: list[str]) -> None:
    done = _run(hostile, *args)
    out = (done.stdout + done.stderr).decode("utf-8")
    assert done.returncode in (0, 1, 2), out
    assert _raw(out) == [], out
    assert args[0] == "audit" or "\\u202e" in out


def test_json_keeps_the_exact_text_with_nothing_raw(hostile: Path) -> None:
    done = _run(hostile, "show", "evil", "--format", "json")
    text = done.stdout.decode("utf-8")
    assert _raw(text) == [] and "\\u202e" in text
    assert json.loads(text)["statement"] == claimtrack.open(hostile).claims["evil"].statement


def test_a_usage_error_escapes_what_was_typed(hostile: Path) -> None:
    for args in (["list", "--tag"], ["list", "--confidence", f"x{RLO}", "--format", f"j{RLO}"], [f"sh\x1b[2Jow{RLO}"]):
        done = _run(hostile, *args)
        err = done.stderr.decode("utf-8")
        assert done.returncode == 2 and err.startswith("error: ") and _raw(err) == [], err
