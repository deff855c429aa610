"""Control characters from the data are escaped in text output, kept exact in JSON (claimtrack.terminal)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import claimtrack
from claimtrack.cli import main
from claimtrack.terminal import escape_controls, json_controls

HOSTILE = "Retitled\x1b]0;pwned\x07 and cleared\x1b[2J\x1bc, a\rrewrite, a \x9b31m C1 and DEL\x7f."
RAW = ["\x1b", "\x07", "\r", "\x9b", "\x7f"]


def test_escape_controls_writes_each_as_an_escape() -> None:
    assert escape_controls("a\x1b[2Jb\x07\tc\nd\r\x9b\x7f") == "a\\x1b[2Jb\\x07\tc\nd\\x0d\\x9b\\x7f"


@given(st.text())
def test_escaped_text_holds_no_control_but_tab_and_newline(text: str) -> None:
    out = escape_controls(text)
    assert not [c for c in out if (ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F]


@given(st.text())
def test_json_controls_keep_the_exact_text(text: str) -> None:
    encoded = json_controls(json.dumps(text, ensure_ascii=False))
    assert json.loads(encoded) == text
    assert not [c for c in encoded if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F]


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = claimtrack.init(tmp_path / "lib")
    (root / "references.bib").write_text("@misc{src1,\n  title = {Bell\x07 title},\n  year = {2020}\n}\n", encoding="utf-8")
    lib = claimtrack.open(root)
    lib.add("evil", HOSTILE, tags=["t\x1b[31m"], by="Mallory\x1b]0;x\x07", date="2022-12-11")
    lib.revise("evil", old="cleared", new="wiped\x1b[H", reason="why\x07", by="M", date="2022-12-12")
    return root


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["show", "evil"], id="show"),
        pytest.param(["list"], id="list"),
        pytest.param(["history", "evil"], id="history"),
        pytest.param(["source", "list"], id="source-list"),
        pytest.param(["audit", "--strict"], id="audit"),
        pytest.param(["show", "evil\x1b[2J"], id="error-line"),
    ],
)
def test_text_output_prints_no_control_character(hostile: Path, args: list[str]) -> None:
    result = CliRunner().invoke(main, ["--root", str(hostile), *args])
    assert result.exit_code in (0, 1, 2), result.output
    out = result.stdout + result.stderr
    assert not [c for c in RAW if c in out], repr(out)
    assert args[0] == "audit" or "\\x1b" in out or "\\x07" in out


def test_csv_escapes_control_characters_on_a_terminal_only(hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimtrack.cli import _common

    args = ["--root", str(hostile), "list", "--format", "csv"]
    assert "\x1b" in CliRunner().invoke(main, args).stdout  # a file or a pipe gets the exact text
    monkeypatch.setattr(_common, "_to_terminal", lambda: True)
    shown = CliRunner().invoke(main, args).stdout
    assert not [c for c in RAW if c in shown] and "\\x1b" in shown


def test_show_prints_the_escaped_statement(hostile: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(hostile), "show", "evil"])
    assert escape_controls(claimtrack.open(hostile).claims["evil"].statement) in result.stdout
    assert "Retitled\\x1b]0;pwned\\x07 and wiped\\x1b[H\\x1b[2J" in result.stdout


@pytest.mark.parametrize("args", [["show", "evil", "--format", "json"], ["list", "--format", "json"]])
def test_json_output_keeps_the_exact_text(hostile: Path, args: list[str]) -> None:
    result = CliRunner().invoke(main, ["--root", str(hostile), *args])
    assert result.exit_code == 0, result.output
    assert not [c for c in RAW if c in result.stdout]
    data = json.loads(result.stdout)
    statement = data["statement"] if isinstance(data, dict) else data[0]["statement"]
    assert statement == claimtrack.open(hostile).claims["evil"].statement
