"""add --from: claims in bulk from CSV, JSON lines, TOML and ClaimReview, every row checked first, all or nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.batch import add_from
from claimtrack.cli import main
from claimtrack.errors import BatchError

DATA = Path(__file__).resolve().parent / "data" / "extract"

CSV = """\
id,statement,confidence,tags,evidence,date,by,kind,reason,old,new
gpt3-corpus,The initial GPT-3 was pretrained on C4 data.,hypothesis,gpt-3,brown2020language,2022-12-11,Yao Fu,,,,
gpt3-corpus,,,,,2023-01-01,Yao Fu,correction,GPT-3's web portion is filtered Common Crawl,C4,Common Crawl
codex-code,Codex is trained on code.,conclusion,codex; code,brown2020language; chen2021codex,2022-12-11,Yao Fu,,,,
"""


def files(lib: claimtrack.Library) -> list[str]:
    return sorted(p.name for p in (lib.root / "claims").glob("*"))


def test_csv_builds_claims_with_their_revisions(lib: claimtrack.Library, tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text(CSV, encoding="utf-8")
    result = add_from(lib, path)
    assert [c.id for c in result.claims] == ["gpt3-corpus", "codex-code"]
    claim = lib.claims["gpt3-corpus"]
    assert claim.statement == "The initial GPT-3 was pretrained on Common Crawl data."
    assert [r.kind.value for r in claim.revisions] == ["created", "correction"]
    assert claim.revisions[1].date == dt.date(2023, 1, 1) and claim.revisions[1].by == "Yao Fu"
    assert claim.as_of("2022-12-20").statement == "The initial GPT-3 was pretrained on C4 data."  # type: ignore[union-attr]
    assert lib.claims["codex-code"].tags == ("codex", "code")
    assert [e.source for e in lib.claims["codex-code"].evidence] == ["brown2020language", "chen2021codex"]
    assert not [f for f in lib.audit() if f.severity == "error"]


def test_jsonl_and_toml_read_the_claim_file_shape(lib: claimtrack.Library, tmp_path: Path) -> None:
    rows = [
        {"id": "a-claim", "statement": "A is 4096.", "date": "2022-01-01", "by": "X",
         "evidence": [{"source": "chen2021codex", "locator": "Table 1"}],
         "revisions": [{"date": "2022-02-01", "kind": "correction", "old": "4096", "new": "8192", "reason": "r", "by": "Y"}]},
        {"id": "b-claim", "statement": "B holds.", "confidence": "educated-guess", "date": "2022-01-01", "by": "X"},
    ]  # fmt: skip
    jsonl = tmp_path / "claims.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    add_from(lib, jsonl)
    assert lib.claims["a-claim"].statement == "A is 8192."
    assert lib.claims["a-claim"].evidence[0].locator == "Table 1"
    toml = tmp_path / "more.toml"
    toml.write_text(
        '[[claims]]\nid = "c-claim"\nstatement = "C rests on A."\ndepends_on = ["a-claim"]\ndate = 2022-03-01\nby = "Z"\n'
        '[[claims.revisions]]\ndate = 2022-04-01\nkind = "hedge"\nconfidence = "educated-guess"\nreason = "weaker"\nby = "Z"\n',
        encoding="utf-8",
    )
    add_from(lib, toml)
    assert lib.claims["c-claim"].confidence == "educated-guess"
    assert lib.claims["c-claim"].depends_on == ("a-claim",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "id,statement,date\nok-one,Fine.,2022-01-01\nbad-date,Wrong.,2022-13-01\n",
            "more.csv:3: bad-date: date: '2022-13-01' is not a date",
            id="bad-date",
        ),
        pytest.param(
            "id,statement,confidence\nok-one,Fine.,hypothesis\nbad-level,Wrong.,certain\n",
            "more.csv:3: bad-level: confidence: 'certain' is not a confidence level",
            id="unknown-level",
        ),
        pytest.param(
            "id,statement,evidence\nok-one,Fine.,nobody2020\n",
            "more.csv:2: ok-one: evidence: cites 'nobody2020', which is not in references.bib",
            id="unknown-key",
        ),
        pytest.param("id,statement,colour\nok-one,Fine.,red\n", "more.csv:1: unknown column 'colour'", id="unknown-column"),
        pytest.param(
            "id,statement,date,kind,reason,old,new\nok-one,Fine.,2022-02-01,,,,\nok-one,,2022-01-01,correction,r,Fine,Good\n",
            "more.csv:2: ok-one: revisions[0]: a revision dated 2022-01-01 is before the claim was created (2022-02-01)",
            id="out-of-order",
        ),
        pytest.param(
            "id,statement,date,kind,reason,old,new\nok-one,Fine.,2022-02-01,,,,\nok-one,,2022-03-01,correction,r,Absent,Good\n",
            "more.csv:2: ok-one: revisions[0]: 'Absent' does not occur",
            id="span-not-found",
        ),
        pytest.param("id,statement\nBad Id,Fine.\n", "more.csv:2: id:", id="bad-id"),
    ],
)
def test_a_bad_row_names_its_line_and_nothing_is_written(
    lib: claimtrack.Library, tmp_path: Path, text: str, message: str
) -> None:
    lib.add("existing", "Already here.", by="A", date="2022-01-01")
    before = files(lib), (lib.root / "references.bib").read_bytes()
    path = tmp_path / "more.csv"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(lib.root), "add", "--from", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{tmp_path}/{message}" in result.output
    assert "nothing was written" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert (files(lib), (lib.root / "references.bib").read_bytes()) == before


def test_every_bad_row_is_collected(lib: claimtrack.Library, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "a", "statement": "A.", "confidence": "nope"}\n{"id": "b", "statement": "B."}\n{"statement": "no id"}\n'
    )
    with pytest.raises(BatchError) as caught:
        add_from(lib, path)
    assert [p.line for p in caught.value.problems] == [1, 3]
    assert str(caught.value).startswith(f"{path}:1: a: confidence: 'nope' is not a confidence level (and 1 more problem)")
    path.write_text('{"id": "a", "statement": "A."}\nnot json\n')
    with pytest.raises(BatchError, match=r"bad.jsonl:2: is not JSON"):
        add_from(lib, path)
    assert files(lib) == []


def test_an_existing_id_refuses_the_whole_batch(lib: claimtrack.Library, tmp_path: Path) -> None:
    lib.add("codex-code", "Already.", by="A", date="2022-01-01")
    path = tmp_path / "claims.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(BatchError, match="claim 'codex-code' already exists"):
        add_from(lib, path)
    assert files(lib) == ["codex-code.toml"]


def test_not_text_is_refused(lib: claimtrack.Library, tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    result = CliRunner().invoke(main, ["--root", str(lib.root), "add", "--from", str(path)])
    assert result.exit_code == 2 and "is not text" in result.output and "Traceback" not in result.output


# -- ClaimReview ---------------------------------------------------------------------------------------------


@pytest.fixture
def checker(tmp_path: Path) -> claimtrack.Library:
    """A fact-checker's library: its scale runs from true to false."""
    root = claimtrack.init(tmp_path / "checks")
    shutil.copy(DATA / "claimreview" / "claimtrack.toml", root / "claimtrack.toml")
    return claimtrack.open(root)


def test_claimreview_records_become_claims_sources_and_appearances(checker: claimtrack.Library) -> None:
    result = add_from(checker, DATA / "claimreview" / "schemaorg-examples.json")
    flat = checker.claims["world-flat"]
    assert flat.statement == "The world is flat"
    assert flat.confidence == "false"  # the rating's alternateName
    assert flat.revisions[0].date == dt.date(2016, 6, 22) and flat.revisions[0].by == "Example.com science watch"
    review = checker.sources[flat.evidence[0].source]
    assert flat.evidence[0].stance.value == "contradicts"
    assert "worldisflat.html" in str(review.fields.get("url"))
    assert [checker.sources[a.document].fields.get("url") for a in flat.appearances] == [
        "http://skeptical.example.net/news/a122121"
    ]
    # PolitiFact's review has no alternateName: ratingValue 1 of 1..6 is the bottom of the scale.
    homicides = next(c for c in result.claims if "homicides" in c.id)
    assert homicides.confidence == "false"
    assert not [f for f in checker.audit() if f.severity == "error"]


def test_claimreview_from_a_page(checker: claimtrack.Library) -> None:
    result = add_from(checker, DATA / "claimreview" / "worldisflat.html")
    assert [c.statement for c in result.claims] == ["The world is flat"]
    assert result.claims[0].revisions[0].by == "Example.com science watch"


@pytest.mark.parametrize(
    ("review", "message"),
    [
        pytest.param(
            {"@type": "ClaimReview", "reviewRating": {"alternateName": "False"}},
            "ClaimReview 1: has no claimReviewed",
            id="no-claim",
        ),
        pytest.param(
            {"@type": "ClaimReview", "claimReviewed": "X", "reviewRating": {"alternateName": "Pants on Fire"}},
            "ClaimReview 1: rating 'Pants on Fire' is not a confidence level",
            id="unknown-rating",
        ),
    ],
)
def test_a_bad_claimreview_writes_nothing(
    checker: claimtrack.Library, tmp_path: Path, review: dict[str, object], message: str
) -> None:
    path = tmp_path / "reviews.json"
    path.write_text(
        json.dumps([{"@type": "ClaimReview", "claimReviewed": "Fine", "reviewRating": {"alternateName": "True"}}, review])
    )
    result = CliRunner().invoke(main, ["--root", str(checker.root), "add", "--from", str(path)])
    assert result.exit_code == 2 and message.replace("1", "2", 1) in result.output, result.output
    assert not (checker.root / "claims").exists() or not list((checker.root / "claims").iterdir())
    assert not (checker.root / "references.bib").exists() or "Fine" not in (checker.root / "references.bib").read_text()


def test_cli_add_from_reports_what_it_added(lib: claimtrack.Library, tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text(CSV, encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(lib.root), "add", "--from", str(path)])
    assert result.exit_code == 0, result.output
    assert "added 2 claims with 3 revisions" in result.output
    result = CliRunner().invoke(main, ["--root", str(lib.root), "add", "--from", str(path), "other-id"])
    assert result.exit_code == 2 and "--from reads everything from the file" in result.output


def test_a_failure_part_way_leaves_no_claim(lib: claimtrack.Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "claims.csv"
    path.write_text(CSV, encoding="utf-8")
    real = os.replace
    calls = []

    def failing(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError):
        add_from(lib, path)
    assert files(lib) == []  # the first file, put in place, went again; no temporary file is left


def test_standard_input_needs_a_format(lib: claimtrack.Library) -> None:
    result = CliRunner().invoke(main, ["--root", str(lib.root), "add", "--from", "-"], input=CSV)
    assert result.exit_code == 2 and "pass --format" in result.output
    result = CliRunner().invoke(main, ["--root", str(lib.root), "add", "--from", "-", "--format", "csv"], input=CSV)
    assert result.exit_code == 0 and "added 2 claims" in result.output


def test_a_json_list_of_claims(lib: claimtrack.Library, tmp_path: Path) -> None:
    path = tmp_path / "claims.json"
    path.write_text(json.dumps([{"id": "a-claim", "statement": "A."}, {"id": "b-claim", "statement": "B.", "confidence": "x"}]))
    with pytest.raises(BatchError, match=r"claims.json: claims\[1\]: b-claim: confidence: 'x' is not a confidence level"):
        add_from(lib, path, date="2022-01-01")
    path.write_text(json.dumps([{"id": "a-claim", "statement": "A."}, {"id": "b-claim", "statement": "B."}]))
    assert [c.id for c in add_from(lib, path, date="2022-01-01", by="A").claims] == ["a-claim", "b-claim"]
