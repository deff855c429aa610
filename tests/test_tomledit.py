"""Writing claim files through tomlkit: any valid file can be revised, and keeps its line ending."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack.history import first_broken_seal, replay
from claimtrack.tomledit import newline_of, with_newline
from strategies import structure_texts

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _claim_file(statement: str, quote: str, style: str, note: str | None) -> str:
    """A hand-written claim file whose statement (and maybe a revision's note) is a multi-line string."""
    q = '"""' if style == "basic" else "'''"
    text = (
        f'id = "c"\nstatement = {q}{statement}{q}\nconfidence = "hypothesis"\n\n'
        f'[[evidence]]\nsource = "src1"\nquote = {q}{quote}{q}\n\n'
        f'[[revisions]]\ndate = 2022-12-11\nkind = "created"\nby = "A"\nstatement = {q}{statement}{q}\nconfidence = "hypothesis"\n'
        f'evidence = [{{ source = "src1", quote = {q}{quote}{q} }}]\n'
    )
    if note is not None:
        text += f"note = {q}{note}{q}\n"
    return text


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = claimtrack.init(tmp_path / "lib")
    (path / "references.bib").write_text("@misc{src1,\n  title = {A source},\n  year = {2020}\n}\n", encoding="utf-8")
    return path


@_SETTINGS
@given(
    statement=structure_texts,
    quote=structure_texts,
    note=st.none() | structure_texts,
    style=st.sampled_from(["basic", "literal"]),
    crlf=st.booleans(),
    new=structure_texts,
)
def test_multiline_strings_that_look_like_tables_can_be_revised(
    root: Path, statement: str, quote: str, note: str | None, style: str, crlf: bool, new: str
) -> None:
    path = root / "claims" / "c.toml"
    text = _claim_file("X " + statement, quote, style, note)
    path.write_bytes((text.replace("\n", "\r\n") if crlf else text).encode("utf-8"))
    lib = claimtrack.open(root)
    original = lib.claim("c")
    lib.revise("c", old="X", new="Y", reason="span", by="B", date="2022-12-12")
    lib.revise("c", statement=new + "\nend", reason="whole", by="B", date="2022-12-13")
    lib.cite("c", "src1", locator="p. 2", quote=new + "\nend", by="B", date="2022-12-14")  # a blank quote is refused
    claim = claimtrack.open(root).claim("c")
    assert claim.statement == new + "\nend"
    assert claim.revisions[1].new == "Y" and claim.evidence[-1].quote == new + "\nend"
    assert claim.revisions[0] == original.revisions[0]
    assert replay(claim) == claim and first_broken_seal(claim.revisions) is None
    data = path.read_bytes()
    if crlf:
        assert b"\n" not in data.replace(b"\r\n", b"")  # no bare LF: the file kept its line ending
    else:
        assert b"\r" not in data


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param("tables", id="history-last"),
        pytest.param("inline", id="inline-revisions"),  # the whole document is edited, not only its head
        pytest.param("trailing-table", id="table-after-history"),
    ],
)
def test_crlf_file_keeps_crlf_after_every_kind_of_write(root: Path, layout: str) -> None:
    rev = 'date = 2022-12-11\nkind = "created"\nby = "A"\nstatement = "S one."\nconfidence = "hypothesis"\n'
    top = 'id = "c"\nstatement = "S one."\nconfidence = "hypothesis"\n'
    text = {
        "tables": top + "\n[[revisions]]\n" + rev,
        "inline": top + "revisions = [{" + rev.strip().replace("\n", ", ") + "}]\n",
        "trailing-table": top + "\n[[revisions]]\n" + rev + '\n[[ignore]]\nrule = "claim-no-evidence"\nreason = "r"\n',
    }[layout]
    path = root / "claims" / "c.toml"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    lib = claimtrack.open(root)
    assert lib.seal() == {"c": 1}  # the hand-written created revision gets its digest
    lib.revise("c", old="one", new="two", reason="r", by="B", date="2022-12-12")
    lib.cite("c", "src1", locator="p. 1", by="B", date="2022-12-13")
    data = path.read_bytes()
    assert data.count(b"\r\n") > 10
    assert b"\n" not in data.replace(b"\r\n", b""), data
    assert claimtrack.open(root).claim("c").statement == "S two."


def test_newline_helpers() -> None:
    assert newline_of("a = 1\r\nb = 2\n") == "\r\n"
    assert newline_of("a = 1\nb = 2\r\n") == "\n"
    assert newline_of("") == "\n"
    assert with_newline("a\nb\r\nc\n", "\r\n") == "a\r\nb\r\nc\r\n"
    assert with_newline("a\nb\n", "\n") == "a\nb\n"
