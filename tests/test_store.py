from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack import ClaimExistsError, ClaimFileError, InvalidIdError
from claimtrack.fileio import TEMP_PREFIX
from claimtrack.history import first_broken_seal
from claimtrack.model import Claim
from claimtrack.store import Store, key_lines, line_of, parse_claim_text, render_claim
from strategies import claims


def test_new_claim_file_reads_back(cdv2: claimtrack.Library) -> None:
    claim = cdv2.claims["cdv2-context"]
    path = cdv2.root / "claims" / "cdv2-context.toml"
    assert parse_claim_text(path.read_text(encoding="utf-8"), file=str(path)) == claim
    assert [r.kind.value for r in claim.revisions] == ["created", "evidence", "correction"]
    assert first_broken_seal(claim.revisions) is None and all(r.digest for r in claim.revisions)


def test_hand_written_comments_survive_a_revise(cdv2: claimtrack.Library) -> None:
    path = cdv2.root / "claims" / "cdv2-context.toml"
    text = path.read_text(encoding="utf-8")
    text = "# Checked against the model index.\n" + text.replace(
        'confidence = "conclusion"\n', 'confidence = "conclusion"  # the FAQ says so\n', 1
    )
    path.write_text(text, encoding="utf-8")
    cdv2.revise("cdv2-context", old="8192", new="8,192", kind="editorial", by="x", date="2022-12-19")
    after = path.read_text(encoding="utf-8")
    assert after.startswith("# Checked against the model index.\n")
    assert 'confidence = "conclusion"  # the FAQ says so' in after
    assert "8,192 tokens" in after


def test_create_refuses_to_overwrite(cdv2: claimtrack.Library) -> None:
    before = (cdv2.root / "claims" / "cdv2-context.toml").read_bytes()
    with pytest.raises(ClaimExistsError):
        cdv2.add("cdv2-context", "again", by="x", date="2022-12-11")
    assert (cdv2.root / "claims" / "cdv2-context.toml").read_bytes() == before


def test_ids_are_checked_before_any_path_is_built(tmp_path: Path) -> None:
    store = Store(tmp_path)
    for bad in ("../x", "x/y", "A B"):
        with pytest.raises(InvalidIdError):
            store.path_for(bad)
    assert not (tmp_path / "x").exists()


def test_temporary_files_are_never_listed(cdv2: claimtrack.Library) -> None:
    (cdv2.root / "claims" / f"{TEMP_PREFIX}cdv2-context.toml.1.ab").write_text("torn", encoding="utf-8")
    assert [p.name for p in cdv2.store.files()] == ["cdv2-context.toml"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param('id = "c"\nstatement = "unterminated\n', 2, "not valid TOML", id="syntax"),
        pytest.param(
            'id = "c"\nstatement = "s"\nconfidence = "hypothesis"\ncolour = 1\n', 4, "is not a known key", id="unknown-key"
        ),
        pytest.param(
            'id = "c"\nstatement = "s"\nconfidence = "hypothesis"\n\n[[revisions]]\ndate = 2022-01-01\nkind = "created"\n'
            'statement = "s"\nconfidence = "hypothesis"\n\n[[revisions]]\ndate = "soon"\nkind = "correction"\nreason = "r"\n',
            12,
            "is not a date",
            id="date-line",
        ),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(ClaimFileError) as info:
        parse_claim_text(text, file="claims/c.toml", expected_id="c")
    assert info.value.line == line, str(info.value)
    assert str(info.value).startswith(f"claims/c.toml:{line}: ") and message in str(info.value)


def test_line_of_nested_keys() -> None:
    text = 'id = "x"\n[[revisions]]\ndate = 1\n[[revisions]]\nkind = "x"\ndate = 2\n'
    assert line_of(text, "revisions[1].date") == 6
    assert line_of(text, "id") == 1


def test_non_utf8_file_is_one_clear_error(lib: claimtrack.Library) -> None:
    (lib.root / "claims" / "bad.toml").write_bytes(b'id = "bad"\nstatement = "\xff"\n')
    with pytest.raises(ClaimFileError, match=r"claims/bad.toml:2: is not UTF-8"):
        lib.claim("bad")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claim=claims())
def test_save_then_load_is_identity(tmp_path: Path, claim: Claim) -> None:
    text = render_claim(claim)
    assert parse_claim_text(text, file="x.toml") == claim


def test_a_revise_edits_only_the_head_of_a_long_history(cdv2: claimtrack.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """Appending parses the claim's own fields with tomlkit, not its whole history, so writes stay cheap."""
    for n in range(5):
        cdv2.review("cdv2-context", reason=f"check {n}", by="x", date="2022-12-20")
    import tomlkit

    parsed: list[str] = []
    real = tomlkit.parse
    monkeypatch.setattr(tomlkit, "parse", lambda text: parsed.append(text) or real(text))
    path = cdv2.root / "claims" / "cdv2-context.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("[[revisions]]", "# the history\n[[revisions]]", 1), encoding="utf-8"
    )
    claim = cdv2.cite("cdv2-context", "brown2020language", locator="Table 2.2", by="x", date="2022-12-21")
    assert len(parsed) == 1 and "[[revisions]]" not in parsed[0] and "[[evidence]]" in parsed[0]
    text = path.read_text(encoding="utf-8")
    assert "# the history\n[[revisions]]" in text
    assert text.count("[[evidence]]") == 2 and text.index("[[evidence]]") < text.index("[[revisions]]")
    assert claim.revisions[-1].kind.value == "evidence" and len(claim.revisions) == 9


_REPEATING = """\
id = "twice"
statement = "The model reads 8192 tokens."
confidence = "hypothesis"
tags = ["context"]

[[evidence]]
source = "src1"
stance = "supports"

[[revisions]]
date = 2024-01-02
kind = "created"
by = "A. Author"
statement = "The model reads 8192 tokens."
confidence = "hypothesis"
tags = ["context"]
evidence = [{ source = "src1", stance = "supports" }]
"""


def test_a_parsed_claim_holds_each_repeated_text_once() -> None:
    # The created revision repeats the statement, tags and sources: one object each, so the cache's pickle
    # and the record read back from it store each once.
    claim = parse_claim_text(_REPEATING, file="claims/twice.toml")
    created = claim.revisions[0]
    assert created.statement == claim.statement and created.statement is claim.statement
    assert created.set_tags == claim.tags and created.set_tags[0] is claim.tags[0]
    assert created.set_evidence is not None and created.set_evidence[0].source is claim.evidence[0].source


# -- key_lines: one match a line ------------------------------------------------

_KEY_OR_HEADER = re.compile(r"^[ \t]*(?:\[\[[ \t]*([A-Za-z_]+)[ \t]*\]\]|(\[)|([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=)", re.MULTILINE)


def _key_lines_as_it_was(text: str) -> dict[str, int]:
    """key_lines as it was written first (a match per key, newlines counted between matches): the reference."""
    out: dict[str, int] = {}
    counts: dict[str, int] = {}
    prefix = ""
    line, position = 1, 0
    for match in _KEY_OR_HEADER.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        header, other_table, key = match.groups()
        if header:
            index = counts[header] = counts.get(header, -1) + 1
            prefix = f"{header}[{index}]"
            out.setdefault(prefix, line)
            prefix += "."
        elif other_table:
            prefix = "?."
        else:
            out.setdefault(prefix + key, line)
    return out


_TOML_BITS = st.sampled_from(
    ["\n", "\r\n", "\n\n", " ", "\t", "[", "]", "[[", "]]", "[[ revisions ]]", "[[evidence]]", "[meta]", "=", " = ",
     "id", "statement", "x-y", "_k", "9", '"', '"""', "date = 2024-01-02", "é", "\ufeff"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_TOML_BITS, max_size=40).map("".join))
def test_key_lines_gives_what_the_first_form_gave(text: str) -> None:
    assert list(key_lines(text).items()) == list(_key_lines_as_it_was(text).items())


def test_key_lines_gives_what_the_first_form_gave_on_the_bundled_claims() -> None:
    files = sorted((Path(__file__).resolve().parent.parent / "claims").glob("*.toml"))
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        lines = key_lines(text)
        assert lines["statement"] == 2 and "revisions[0].date" in lines, path.name
        assert list(lines.items()) == list(_key_lines_as_it_was(text).items()), path.name
