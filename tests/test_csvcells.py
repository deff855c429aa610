"""CSV cells a spreadsheet reads as data (claimtrack.csvcells) and the command line's CSV output."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import claimtrack
from claimtrack.cli import main
from claimtrack.csvcells import FORMULA_START, csv_text, neutralise, restore

cells = st.text(alphabet=st.sampled_from(list("=+-@'\t\r\n\",; ab1")) | st.characters(), max_size=20)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        pytest.param("=1+1", "'=1+1", id="equals"),
        pytest.param("+1", "'+1", id="plus"),
        pytest.param("-1", "'-1", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
        pytest.param("\tx", "'\tx", id="tab"),
        pytest.param("\rx", "'\rx", id="carriage-return"),
        pytest.param("'kept", "''kept", id="quote"),
        pytest.param("GPT-3", "GPT-3", id="inner-hyphen"),
        pytest.param("", "", id="empty"),
    ],
)
def test_neutralise(value: str, written: str) -> None:
    assert neutralise(value) == written and restore(written) == value


@given(cells)
def test_restore_undoes_neutralise(value: str) -> None:
    written = neutralise(value)
    assert restore(written) == value
    assert written[:1] not in FORMULA_START or written == ""


@given(st.lists(st.lists(cells, min_size=1, max_size=4), max_size=5))
def test_csv_text_reads_back_row_for_row(rows: list[list[str]]) -> None:
    text = csv_text(rows)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back == [[neutralise(v) for v in row] for row in rows]
    assert text.count("\n") - sum(v.count("\n") for row in rows for v in row) == len(rows)


def test_list_as_csv_neutralises_formulas_and_quotes_a_carriage_return(tmp_path: Path) -> None:
    root = claimtrack.init(tmp_path / "lib")
    lib = claimtrack.open(root)
    lib.add("formula", '=HYPERLINK("http://x.test","click")', by="A", date="2023-01-03")
    lib.add("cr", "first\rsecond", by="A", date="2023-01-03")
    result = CliRunner().invoke(main, ["--root", str(root), "list", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert [row[:1] + row[3:4] for row in rows] == [
        ["id", "statement"],
        ["cr", "first\rsecond"],  # the carriage return is quoted: the row holds
        ["formula", '\'=HYPERLINK("http://x.test","click")'],
    ]
    assert '"first\rsecond"' in result.stdout
