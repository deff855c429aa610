"""Values a hostile or damaged input brings: Windows-reserved claim ids, a Retraction Watch export cut short."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.errors import InvalidIdError, NoticeError
from claimtrack.model import WINDOWS_RESERVED
from claimtrack.notices import SourceIndex, read_bytes

DATA = Path(__file__).resolve().parent / "data" / "notices"
RW = DATA / "retraction_watch.csv"


@pytest.mark.parametrize("claim_id", ["con", "aux", "nul", "prn", "com1", "com9", "lpt1", "lpt9"])
def test_windows_reserved_ids_are_refused_in_one_line(tmp_path: Path, claim_id: str):
    root = claimtrack.init_library(tmp_path / "lib")
    result = CliRunner().invoke(main, ["--root", str(root), "add", claim_id, "--statement", "S.", "--by", "T"])
    assert result.exit_code == 2 and "Traceback" not in result.output and result.output.count("\n") == 1
    assert "Windows reserves the name" in result.output and f"{claim_id}-claim" in result.output
    assert list((root / "claims").iterdir()) == []


def test_the_api_refuses_them_too_and_near_names_pass(tmp_path: Path):
    lib = claimtrack.open_library(claimtrack.init_library(tmp_path / "lib"))
    with pytest.raises(InvalidIdError, match="Windows reserves"):
        lib.add("nul", "S.", by="T")
    for near in ("con-x", "console", "com10", "lpt", "auxiliary", "nul1"):
        assert near not in WINDOWS_RESERVED
        lib.add(near, "S.", by="T")
    assert sorted(p.stem for p in (lib.root / "claims").iterdir()) == sorted(
        ["con-x", "console", "com10", "lpt", "auxiliary", "nul1"]
    )


def test_a_claim_file_already_named_so_is_still_read(tmp_path: Path):
    lib = claimtrack.open_library(claimtrack.init_library(tmp_path / "lib"))
    lib.add("con-x", "S.", by="T", date="2022-12-01")
    (lib.root / "claims" / "con-x.toml").rename(lib.root / "claims" / "con.toml")
    text = (lib.root / "claims" / "con.toml").read_text().replace('id = "con-x"', 'id = "con"')
    (lib.root / "claims" / "con.toml").write_text(text)
    assert claimtrack.open_library(lib.root).claims["con"].statement == "S."


@pytest.fixture
def index(tmp_path: Path) -> SourceIndex:
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(DATA / "references.bib", root / "references.bib")
    return SourceIndex(claimtrack.open(root).sources)


def _header() -> bytes:
    return RW.read_bytes().split(b"\r\n", 1)[0]


def test_a_retraction_watch_csv_cut_inside_a_quoted_field_is_refused(index: SourceIndex):
    data = _header() + b'\n40001,"' + b"A" * 5000
    with pytest.raises(NoticeError) as caught:
        read_bytes(data, "rw.csv", index)
    assert str(caught.value).startswith("rw.csv:2: ends inside a quoted field: the file was cut short")
    assert "\n" not in str(caught.value)


def test_a_cut_spanning_lines_names_the_line_the_record_starts_on(index: SourceIndex):
    good = RW.read_bytes()
    lines = good.count(b"\n")
    data = good.rstrip(b"\r\n") + b'\r\n"40001","Title\r\nwith a line break\r\nand then nothing'
    with pytest.raises(NoticeError, match=rf"^rw\.csv:{lines + 1}: ends inside a quoted field"):
        read_bytes(data, "rw.csv", index)


def test_a_whole_export_and_quotes_inside_fields_still_read(index: SourceIndex):
    whole = read_bytes(RW.read_bytes(), "rw.csv", index)
    assert whole.records > 0
    header = _header()
    row = b'"1","a ""quoted"" title","","","","","","","","","1/2/2020 0:00","","","","10.5555/a","","Retraction","","",""'
    assert read_bytes(header + b"\n" + row + b"\n", "rw.csv", index).records == 1
    assert read_bytes(header + b"\n" + row, "rw.csv", index).records == 1  # no newline at the end: still whole


def test_import_of_a_cut_file_writes_nothing(tmp_path: Path):
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(DATA / "references.bib", root / "references.bib")
    cut = tmp_path / "rw.csv"
    cut.write_bytes(RW.read_bytes() + b'"40001","unfinished')
    result = CliRunner().invoke(main, ["--root", str(root), "notices", "import", str(cut)])
    assert result.exit_code == 2 and "ends inside a quoted field" in result.output, result.output
    assert not (root / "notices.toml").exists()
