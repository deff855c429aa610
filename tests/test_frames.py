"""The DataFrames: exact columns and dtypes, and CSV/JSON files that load back unchanged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from test_report import build_fixture

import claimtrack
from claimtrack.cli import main
from claimtrack.errors import ClaimtrackError
from claimtrack.frames import COLUMNS, FRAME_NAMES, read_frames

S, INT, B, D = "string", "Int64", "boolean", "datetime64[ns]"
EXPECTED = {
    "claims": [
        ("id", S), ("statement", S), ("confidence", "category"), ("status", "category"), ("superseded_by", S),
        ("tags", S), ("depends_on", S), ("dependents", S), ("evidence", INT), ("supporting", INT), ("contradicting", INT),
        ("mentioning", INT), ("min_support", INT), ("meets_minimum", B), ("revisions", INT), ("changes", INT),
        ("created", D), ("updated", D), ("file", S),
    ],
    "evidence": [
        ("claim", S), ("position", INT), ("source", S), ("stance", "category"), ("locator", S), ("quote", S),
        ("note", S), ("is_claim", B), ("known", B),
    ],
    "revisions": [
        ("claim", S), ("index", INT), ("date", D), ("kind", "category"), ("by", S), ("credited", S), ("reason", S),
        ("change", S), ("field", S), ("old", S), ("new", S), ("evidence", S), ("note", S), ("digest", S), ("recorded", D),
    ],
    "sources": [
        ("key", S), ("entry_type", S), ("title", S), ("authors", S), ("year", S), ("container", S), ("url", S),
        ("doi", S), ("eprint", S), ("line", INT), ("cited_by", INT), ("claims", S), ("notice", S),
    ],
    "findings": [
        ("rule", S), ("severity", "category"), ("claim", S), ("source", S), ("message", S), ("file", S),
        ("line", INT), ("hint", S),
    ],
    "calibration": [
        ("confidence", "category"), ("claims", INT), ("corrected", INT), ("hedged", INT), ("retracted", INT),
        ("strengthened", INT), ("changed", INT), ("share", "Float64"), ("median_days", "Float64"),
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> claimtrack.Library:
    return build_fixture(tmp_path_factory.mktemp("frames") / "lib")


@pytest.fixture(scope="module")
def frames(lib: claimtrack.Library) -> dict[str, pd.DataFrame]:
    return lib.frames()


def test_frame_names(frames: dict[str, pd.DataFrame]) -> None:
    assert tuple(frames) == FRAME_NAMES


@pytest.mark.parametrize("name", FRAME_NAMES)
def test_columns_and_dtypes(frames: dict[str, pd.DataFrame], name: str) -> None:
    df = frames[name]
    assert [(c, str(t)) for c, t in df.dtypes.items()] == EXPECTED[name]
    assert list(COLUMNS[name]) == [c for c, _ in EXPECTED[name]]


def test_categories(frames: dict[str, pd.DataFrame]) -> None:
    confidence = frames["claims"]["confidence"].dtype
    assert list(confidence.categories) == ["conclusion", "hypothesis", "educated-guess"] and confidence.ordered
    assert list(frames["claims"]["status"].dtype.categories) == ["active", "superseded", "retracted"]
    assert list(frames["evidence"]["stance"].dtype.categories) == ["supports", "contradicts", "mentions"]
    assert "correction" in frames["revisions"]["kind"].dtype.categories
    assert list(frames["findings"]["severity"].dtype.categories) == ["error", "warning", "info"]


def test_values(frames: dict[str, pd.DataFrame]) -> None:
    claims = frames["claims"].set_index("id")
    row = claims.loc["cdv2-context-window"]
    assert row["statement"] == "code-davinci-002 has a context window of 8192 tokens."
    assert (row["supporting"], row["min_support"], bool(row["meets_minimum"])) == (1, 2, False)
    assert row["created"] == pd.Timestamp("2022-12-11") and row["updated"] == pd.Timestamp("2023-01-01")
    assert row["dependents"] == "long-context-helps"
    assert claims.loc["old-claim", "status"] == "retracted"
    assert pd.isna(claims.loc["old-claim", "tags"])
    # Ordered by the scale: stronger levels compare smaller.
    assert list(frames["claims"].sort_values("confidence")["confidence"])[0] == "conclusion"
    revisions = frames["revisions"]
    fix = revisions[(revisions["claim"] == "cdv2-context-window") & (revisions["kind"] == "correction")].iloc[0]
    assert (fix["old"], fix["new"], fix["change"], fix["credited"], fix["evidence"]) == (
        "4096",
        "8192",
        "~~4096~~ 8192",
        "Denny Zhou",
        "brown2020language",
    )
    sources = frames["sources"].set_index("key")
    assert sources.loc["evil2023", "title"].endswith("Café notes")
    assert sources.loc["evil2023", "authors"] == "Müller, Jörg"
    assert sources.loc["brown2020language", "cited_by"] == 1
    evidence = frames["evidence"]
    assert evidence.loc[evidence["source"] == "brown2020language", "quote"].iloc[0] == "n_ctx | 2048"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_files_load_back_unchanged(lib: claimtrack.Library, frames: dict[str, pd.DataFrame], tmp_path: Path, fmt: str) -> None:
    result = CliRunner().invoke(main, ["--root", str(lib.root), "report", "--out", str(tmp_path), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(tmp_path / f"{name}.{fmt}") for name in FRAME_NAMES]
    back = read_frames(tmp_path, fmt)
    for name in FRAME_NAMES:
        pd.testing.assert_frame_equal(back[name], frames[name], check_exact=True)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_round_trip_keeps_awkward_text_and_custom_scales(tmp_path: Path, fmt: str) -> None:
    root = claimtrack.init(tmp_path / "lib")
    (root / "claimtrack.toml").write_text(
        'title = "t"\n[[confidence.levels]]\nname = "certain"\nmin_support = 1\n[[confidence.levels]]\nname = "maybe"\n',
        encoding="utf-8",
    )
    lib = claimtrack.open(root)
    lib.add("na", "NA", confidence="maybe", by="null", date="2023-01-01", tags=["a,b", 'quote "x"', "line\nbreak"])
    lib.add("nan", 'nan, "quoted"\nsecond line', confidence="certain", by="N/A", date="2023-01-02")
    lib.add("formula", '=HYPERLINK("http://x.test","click")', confidence="maybe", by="+1", date="2023-01-03", tags=["-5", "@me"])
    lib.add("quote", "'quoted\rafter a carriage return", confidence="maybe", by="''", date="2023-01-04")
    lib = claimtrack.open(root)
    frames = lib.frames()
    assert list(frames["claims"]["confidence"].dtype.categories) == ["certain", "maybe"]
    from claimtrack.frames import frame_text

    for name, df in frames.items():
        (tmp_path / f"{name}.{fmt}").write_text(frame_text(df, fmt), encoding="utf-8")
    back = read_frames(tmp_path, fmt, scale=lib.settings.scale)
    for name in FRAME_NAMES:
        pd.testing.assert_frame_equal(back[name], frames[name], check_exact=True)


def test_empty_library_frames(tmp_path: Path) -> None:
    lib = claimtrack.open(claimtrack.init(tmp_path / "empty"))
    frames = lib.frames()
    for name in FRAME_NAMES:
        assert len(frames[name]) == 0
        assert [(c, str(t)) for c, t in frames[name].dtypes.items()] == EXPECTED[name]


def test_read_frames_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ClaimtrackError, match="claims.csv: is missing; write it with `claimtrack report --format csv`"):
        read_frames(tmp_path, "csv")


def test_csv_neutralises_formulas_and_quotes_a_carriage_return(tmp_path: Path) -> None:
    import csv
    import io

    from claimtrack.frames import frame_text

    lib = claimtrack.open(claimtrack.init(tmp_path / "lib"))
    lib.add("formula", '=HYPERLINK("http://x.test","click")', by="@evil", date="2023-01-03", tags=["-2+3"])
    lib.add("cr", "one\rtwo", by="A", date="2023-01-03")
    text = frame_text(claimtrack.open(lib.root).frames()["claims"], "csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 3  # a header and two claims: the carriage return stayed inside its quoted cell
    by_id = {row[0]: row for row in rows[1:]}
    header = rows[0]
    assert by_id["formula"][header.index("statement")] == '\'=HYPERLINK("http://x.test","click")'
    assert by_id["formula"][header.index("tags")] == "'-2+3"
    assert by_id["cr"][header.index("statement")] == "one\rtwo"
    assert '"one\rtwo"' in text
    assert not [cell for row in rows for cell in row if cell and cell[0] in "=+-@"]
