"""Inputs are read with bounded memory and nesting: a gzip bomb or a deeply nested file is one line, exit 2."""

from __future__ import annotations

import gzip
import shutil
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.errors import NoticeError
from claimtrack.nesting import MAX_DEPTH, deeper_than, load_json, load_toml
from claimtrack.notices import reading
from claimtrack.notices.matching import SourceIndex

DATA = Path(__file__).resolve().parent / "data" / "notices"


def _refused(root: Path, *args: str) -> str:
    """Run a command that must fail in one line with exit 2, changing nothing; return that line."""
    before = sorted(
        (p.relative_to(root), p.read_bytes()) for p in root.rglob("*") if p.is_file() and ".claimtrack" not in p.parts
    )
    result = CliRunner().invoke(main, ["--root", str(root), *args])
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    assert result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    after = sorted((p.relative_to(root), p.read_bytes()) for p in root.rglob("*") if p.is_file() and ".claimtrack" not in p.parts)
    assert after == before, "a refused command changed files"
    return lines[0]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(DATA / "references.bib", root / "references.bib")
    claimtrack.open(root).add("c1", "Widgets scale.", by="A", date="2022-01-01")
    return root


# -- D9: a gzip bomb -------------------------------------------------------------------


def _bomb(path: Path, megabytes: int, inside: bytes = b"\0") -> Path:
    with gzip.open(path, "wb", compresslevel=9) as f:
        for _ in range(megabytes):
            f.write(inside * (2**20 // len(inside)))
    return path


def test_a_gzip_bomb_is_refused_in_one_line(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_UNPACKED", 2**20)
    bomb = _bomb(tmp_path / "bomb.jsonl.gz", 16)
    line = _refused(root, "notices", "import", str(bomb))
    assert line.startswith(f"error: {bomb}: unpacks to more than 1 MiB (from ")
    assert line.endswith("too much to import at once; split it into smaller files (zcat FILE | split -l 100000) and import those")


def test_one_huge_json_string_in_a_gzip_file_is_refused_not_imported(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_UNPACKED", 2**20)
    packed = tmp_path / "string.jsonl.gz"
    with gzip.open(packed, "wb", compresslevel=9) as f:
        f.write(b'"' + b"a" * 8 * 2**20 + b'"\n')
    assert "unpacks to more than 1 MiB" in _refused(root, "notices", "import", str(packed))
    assert not (root / "notices.toml").exists()


def test_unpacking_holds_no_more_than_the_limit_in_memory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(reading, "MAX_UNPACKED", 2**20)
    data = _bomb(tmp_path / "bomb.gz", 64).read_bytes()
    tracemalloc.start()
    try:
        with pytest.raises(NoticeError, match="unpacks to more than 1 MiB"):
            reading.read_bytes(data, "bomb.gz", SourceIndex())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20  # the 64 MiB it would unpack to were never held


def test_a_gzip_file_within_the_limit_is_still_read(root: Path, tmp_path: Path) -> None:
    packed = tmp_path / "crossref.jsonl.gz"
    packed.write_bytes(gzip.compress((DATA / "crossref.jsonl").read_bytes()) + gzip.compress(b"\n"))  # two members
    result = CliRunner().invoke(main, ["--root", str(root), "notices", "import", str(packed), "--by", "A"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{packed}: crossref, 5 records")


def test_a_truncated_gzip_file_is_broken(root: Path, tmp_path: Path) -> None:
    packed = tmp_path / "cut.jsonl.gz"
    packed.write_bytes(gzip.compress((DATA / "crossref.jsonl").read_bytes())[:-20])
    assert "is a broken gzip file" in _refused(root, "notices", "import", str(packed))


# -- D15: deep JSON in notices import ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        pytest.param("deep.json", "[" * 200_000 + "]" * 200_000, 1, id="arrays"),
        pytest.param("deep.json", '{"a":' * 100_000 + "1" + "}" * 100_000, 1, id="objects"),
        pytest.param("deep.jsonl", '{"DOI": "10.1/x"}\n{"update-to": ' + "[" * 50_000 + "]" * 50_000 + "}\n", 2, id="lines"),
        pytest.param("deep.json", "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), 1, id="just-over"),
    ],
)
def test_deep_json_is_refused_in_one_line(root: Path, tmp_path: Path, name: str, text: str, line: int) -> None:
    deep = tmp_path / name
    deep.write_text(text, encoding="utf-8")
    assert _refused(root, "notices", "import", str(deep)) == (
        f"error: {deep}:{line}: is nested too deeply to read (arrays or tables more than {MAX_DEPTH} levels inside one "
        "another); a work nests only a few levels; download the file again"
    )


# -- D16: deep TOML in notices.toml, claimtrack.toml and claim files ---------------------------

_DEEP_NOTICE = "[[notice]]\nsource = " + "[" * 5000 + "]" * 5000 + "\n"


@pytest.mark.parametrize("args", [("audit",), ("notices", "list"), ("source", "list"), ("show", "c1"), ("report",)])
def test_a_deep_notices_toml_is_one_line_for_every_command(root: Path, args: tuple[str, ...]) -> None:
    (root / "notices.toml").write_text(_DEEP_NOTICE, encoding="utf-8")
    assert _refused(root, *args) == (
        f"error: notices.toml: is nested too deeply to read (arrays or tables more than {MAX_DEPTH} levels inside one "
        "another); remove the nesting, or restore it from version control"
    )


@pytest.mark.parametrize(
    "nesting",
    [
        pytest.param("[" * 5000 + "]" * 5000, id="inline-arrays"),
        pytest.param("[" * 200 + "]" * 200, id="within-the-parser's-limit"),
        pytest.param("{a = " * 300 + "1" + "}" * 300, id="inline-tables"),
    ],
)
def test_deep_toml_is_refused_alike_in_every_file(root: Path, nesting: str) -> None:
    (root / "notices.toml").write_text(f"[[notice]]\nsource = {nesting}\n", encoding="utf-8")
    assert "notices.toml: is nested too deeply to read" in _refused(root, "notices", "list")
    (root / "notices.toml").unlink()
    settings = (root / "claimtrack.toml").read_text(encoding="utf-8")
    (root / "claimtrack.toml").write_text(f"deep = {nesting}\n", encoding="utf-8")
    assert "claimtrack.toml: is nested too deeply to read" in _refused(root, "list")
    (root / "claimtrack.toml").write_text(settings, encoding="utf-8")
    claim = root / "claims" / "c1.toml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("tags = []", f"tags = {nesting}", 1), encoding="utf-8")
    assert "c1.toml: is nested too deeply to read" in _refused(root, "show", "c1")


def test_a_deep_dotted_key_is_refused() -> None:
    with pytest.raises(claimtrack.ClaimtrackError, match="x.toml: is nested too deeply"):
        load_toml("a" + ".a" * 500 + " = 1\n", file="x.toml")


def test_nesting_within_the_bound_reads() -> None:
    assert load_json("[" * MAX_DEPTH + "]" * MAX_DEPTH, file="x.json") is not None
    assert load_toml("a = " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1), file="x.toml")
    assert not deeper_than({"a": [{"b": []}]}, 4) and deeper_than({"a": [{"b": []}]}, 3)
