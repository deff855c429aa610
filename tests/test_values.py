"""One validation place for dates, texts and lists (claimtrack.values), as every way in uses it.

Each case is a defect as it was reported (a value accepted and then a crash, a lock or a silent misreading),
replayed through the command line, the Python API, a file read or a notice imported.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.errors import ClaimtrackError, InvalidValueError, NoticeError, ValueTypeError
from claimtrack.values import EARLIEST, check_date, check_text, check_texts, partial_date

REPO = Path(__file__).resolve().parent.parent
NOTICES = Path(__file__).resolve().parent / "data" / "notices"
TODAY = dt.date.today()
RW_HEADER = (
    "Record ID,Title,Subject,Institution,Journal,Publisher,Country,Author,URLS,ArticleType,RetractionDate,"
    "RetractionDOI,RetractionPubMedID,OriginalPaperDate,OriginalPaperDOI,OriginalPaperPubMedID,RetractionNature,"
    "Reason,Paywalled,Notes\n"
)


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(main, ["--root", str(root), *args])
    assert "Traceback" not in result.stderr and not isinstance(result.exception, (AttributeError, UnicodeError))
    return result.exit_code, result.stdout, result.stderr


def files_of(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and ".claimtrack" not in p.parts
    }


def refused(root: Path, *args: str, expected: str, env: dict[str, str] | None = None) -> None:
    """The command exits 2 with one line naming ``expected``, and writes nothing."""
    before = files_of(root)
    code, out, err = run(root, *args, env=env)
    assert code == 2, (code, out, err)
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert expected in err, err
    assert files_of(root) == before


# -- the checks themselves ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        pytest.param("2023-02-30", "'2023-02-30' does not exist", id="no-such-day"),
        pytest.param("2023-04-31", "'2023-04-31' does not exist", id="april-31"),
        pytest.param("2023-13-01", "'2023-13-01' does not exist", id="month-13"),
        pytest.param("2023-2-3", "'2023-2-3' is not a date", id="short-parts"),
        pytest.param("20230203", "'20230203' is not a date", id="basic-format"),
        pytest.param("2023-W05-1", "is not a date", id="week-date"),
        pytest.param("0001-01-01", "0001-01-01 is before 1700-01-01", id="year-1"),
        pytest.param("9999-12-31", "9999-12-31 is in the future", id="year-9999"),
        pytest.param((TODAY + dt.timedelta(days=2)).isoformat(), "is in the future", id="day-after-tomorrow"),
        pytest.param(20230203, "must be a date or a YYYY-MM-DD string, not int", id="a-number"),
    ],
)
def test_a_date_is_a_real_day_not_after_today(value: object, message: str) -> None:
    with pytest.raises(ClaimtrackError, match=message.replace("(", r"\(")):
        check_date(value)


def test_today_and_a_day_of_clock_skew_are_accepted() -> None:
    assert check_date(TODAY) == TODAY
    assert check_date((TODAY + dt.timedelta(days=1)).isoformat()) == TODAY + dt.timedelta(days=1)
    assert check_date(EARLIEST) == EARLIEST
    assert check_date(" 2022-12-11 ") == dt.date(2022, 12, 11)
    assert check_date("2263-01-01", future=True) == dt.date(2263, 1, 1)  # reading as of a date may look ahead


@pytest.mark.parametrize(
    "value",
    ["", "   ", "\u200b", "\ufeff", "\u200b\u200c\u200d\u2060", " \t\n", "\u00a0"],
    ids=["empty", "spaces", "zero-width-space", "bom", "zero-width-run", "white-space", "no-break-space"],
)
def test_blank_texts_are_refused(value: str) -> None:
    with pytest.raises(InvalidValueError, match="statement: is (blank|empty)"):
        check_text(value, "statement")
    assert check_text(value, "new", blank=True) == value  # a span edit may replace a span by nothing


def test_text_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(InvalidValueError, match=r"is not valid UTF-8 text \(character 5 is '\\udcff'"):
        check_text("Bad \udcff byte.", "statement")


def test_a_single_string_is_not_a_list() -> None:
    with pytest.raises(ValueTypeError, match=r"tags: must be a list of strings, not a single str; wrap it in a list: \['abc'\]"):
        check_texts("abc", "tags")
    with pytest.raises(ValueTypeError, match=r"tags: must be a list of strings, not dict"):
        check_texts({"a": 1}, "tags")
    with pytest.raises(ValueTypeError, match=r"tags\[1\]: must be a string, not int"):
        check_texts(["a", 2], "tags")
    assert check_texts(("a", "b"), "tags") == ("a", "b") and check_texts(None, "tags") == ()


@pytest.mark.parametrize(
    "parts, expected",
    [
        pytest.param((2023, 2, 30), "2023-02-30 does not exist", id="feb-30"),
        pytest.param((0,), "0000 is not a date", id="year-0"),
        pytest.param((-5, 1, 1), "is not a date", id="negative-year"),
        pytest.param((99999,), "99999 is not a date", id="five-digit-year"),
        pytest.param((1e400,), "inf is not a number in a date", id="overflow"),
        pytest.param((2023, 0, 10), "2023-00-10 does not exist", id="month-0"),
        pytest.param((2023, 13), "2023-13 does not exist", id="month-13"),
        pytest.param((1500,), "1500-01-01 is before 1700-01-01", id="too-early"),
    ],
)
def test_partial_dates_have_real_parts(parts: tuple[object, ...], expected: str) -> None:
    with pytest.raises(InvalidValueError, match=expected):
        partial_date(*parts)


def test_partial_dates_that_are_real() -> None:
    assert partial_date(2023) == "2023" and partial_date(2023, 3) == "2023-03" and partial_date(2023, 3, 14) == "2023-03-14"
    assert partial_date("2024", "2", "29") == "2024-02-29"


# -- D25 / issue 22 point 4: a future --date locked the claim ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["review", "good", "--reason", "r", "--by", "T"], id="review"),
        pytest.param(["revise", "good", "--statement", "A better claim.", "--reason", "r", "--by", "T"], id="revise"),
        pytest.param(["tag", "good", "--add", "x", "--by", "T"], id="tag"),
        pytest.param(["cite", "good", "src1", "--by", "T"], id="cite"),
        pytest.param(["retract", "good", "--reason", "r", "--by", "T"], id="retract"),
        pytest.param(["add", "new1", "--statement", "New.", "--by", "T"], id="add"),
    ],
)
@pytest.mark.parametrize("date", ["9999-12-31", "2081-02-02"])
def test_every_verb_refuses_a_future_date(root: Path, args: list[str], date: str) -> None:
    refused(root, *args, "--date", date, expected=f"date: {date} is in the future (today is {TODAY})")
    # and the claim is not locked: a write dated today still goes in
    code, _, err = run(root, "review", "good", "--reason", "re-checked", "--by", "T", "--date", TODAY.isoformat())
    assert code == 0, err


def test_the_api_refuses_a_future_date_and_a_built_revision_dated_in_the_future(root: Path) -> None:
    lib = claimtrack.open(root)
    before = files_of(root)
    with pytest.raises(InvalidValueError, match="is in the future"):
        lib.review("good", reason="r", by="T", date="9999-12-31")
    with pytest.raises(InvalidValueError, match="is in the future"):
        lib.append("good", claimtrack.Revision(date=dt.date(9999, 12, 31), kind="review", by="T", reason="r"))
    assert files_of(root) == before


def test_the_audit_flags_a_future_dated_revision_already_in_a_file(root: Path) -> None:
    path = root / "claims" / "good.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + '\n[[revisions]]\ndate = 9999-12-31\nkind = "review"\nby = "T"\nreason = "written with a wrong clock"\n',
        encoding="utf-8",
    )
    lib = claimtrack.open(root)
    assert lib.seal() == {"good": 1}
    found = [f for f in lib.audit() if f.rule == "date-out-of-range"]
    assert len(found) == 1 and "revision 1 (review) is dated 9999-12-31, after today" in found[0].message
    code, out, _ = run(root, "audit")
    assert code == 1 and "date-out-of-range" in out
    # and the claim is not locked: a write dated today goes in after it, recorded as back-dated
    code, _, err = run(root, "review", "good", "--reason", "re-checked", "--by", "T", "--date", TODAY.isoformat())
    assert code == 0, err
    assert claimtrack.open(root).claim("good").revisions[-1].recorded == TODAY


# -- D11: dates the command line accepted crashed the report --------------------------------------------------


@pytest.mark.parametrize(
    "date, message",
    [("0001-01-01", "0001-01-01 is before 1700-01-01"), ("2263-01-01", "is in the future"), ("9999-12-31", "is in the future")],
)
def test_add_refuses_dates_a_report_cannot_hold(root: Path, date: str, message: str) -> None:
    refused(root, "add", "old1", "--statement", "Ancient.", "--by", "T", "--date", date, expected=message)


def test_a_file_holding_such_dates_reports_and_audits_without_a_crash(root: Path) -> None:
    for claim_id, date in (("old1", "0001-01-01"), ("fut1", "2263-01-01")):
        (root / "claims" / f"{claim_id}.toml").write_text(
            f'id = "{claim_id}"\nstatement = "S."\nconfidence = "hypothesis"\ntags = []\ndepends_on = []\n\n'
            f'[[revisions]]\ndate = {date}\nkind = "created"\nby = "T"\nstatement = "S."\nconfidence = "hypothesis"\n'
            "tags = []\ndepends_on = []\nevidence = []\n",
            encoding="utf-8",
        )
    lib = claimtrack.open(root)
    lib.seal()
    rules = {(f.claim, f.rule) for f in lib.audit()}
    assert {("old1", "date-out-of-range"), ("fut1", "date-out-of-range")} <= rules
    claims = lib.frames()["claims"].set_index("id")
    assert claims.loc["old1", "created"] is claimtrack.frames.pd.NaT  # type: ignore[attr-defined]
    for fmt in ("html", "csv", "json", "md"):
        code, _, err = run(root, "report", "--format", fmt)
        assert code == 0, (fmt, err)


# -- D26: blank-looking values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        pytest.param(["add", "x", "--statement", "S.", "--confidence", ""], "confidence: is empty", id="empty-confidence"),
        pytest.param(["add", "x", "--statement", "\u200b"], "statement: a claim needs a statement", id="zero-width-statement"),
        pytest.param(["add", "x", "--statement", "\ufeff"], "statement: a claim needs a statement", id="bom-statement"),
        pytest.param(["review", "good", "--reason", "r", "--by", "   "], "by: is blank", id="blank-by"),
        pytest.param(["add", "x", "--statement", "S.", "--by", "\u200b"], "by: is blank", id="zero-width-by"),
        pytest.param(["review", "good", "--reason", "\u200b\u200b"], "reason: is blank", id="zero-width-reason"),
        pytest.param(["tag", "good", "--add", "\u200b"], "add[0]: is blank", id="zero-width-tag"),
        pytest.param(["add", "x", "--statement", "S.", "--tag", " "], "tags[0]: is blank", id="blank-tag-on-add"),
        pytest.param(
            ["revise", "good", "--statement", "A better claim.", "--reason", "r", "--credit", "\ufeff"],
            "credited: is blank",
            id="bom-credit",
        ),
        pytest.param(["revise", "good", "--statement", "\u200b", "--reason", "r"], "statement: is blank", id="blank-revise"),
        pytest.param(["cite", "good", "src1", "--locator", "  "], "add_evidence[0].locator: is blank", id="blank-locator"),
        pytest.param(["add", "x", "--statement", "S.", "--note", "\u2060"], "note: is blank", id="word-joiner-note"),
    ],
)
def test_blank_values_are_refused_like_a_blank_reason(root: Path, args: list[str], expected: str) -> None:
    refused(root, *args, expected=expected)


# -- D14: bytes that are not UTF-8 in arguments --------------------------------------------------------------


@pytest.mark.parametrize(
    "args, key",
    [
        pytest.param(["add", "x1", "--statement", "Bad \udcff byte.", "--by", "T"], "statement", id="add-statement"),
        pytest.param(["tag", "good", "--add", "a\udcffb"], "add[0]", id="tag"),
        pytest.param(["cite", "good", "src1", "--locator", "p\udcff"], "add_evidence[0].locator", id="cite-locator"),
        pytest.param(["add", "x1", "--statement", "S.", "--by", "T\udcff"], "by", id="add-by"),
        pytest.param(
            ["fact", "good", "--subject", "S\udcff", "--property", "p", "--value", "v", "--reason", "r"], "subject", id="fact"
        ),
        pytest.param(["review", "good", "--reason", "r\udcff"], "reason", id="review-reason"),
    ],
)
def test_arguments_that_are_not_utf8_are_refused_in_one_line(root: Path, args: list[str], key: str) -> None:
    refused(root, *args, expected=f"{key}: is not valid UTF-8 text")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX argv bytes")
def test_a_real_command_line_with_a_byte_that_is_not_utf8(root: Path) -> None:
    before = files_of(root)
    env = {**os.environ, "PYTHONPATH": str(REPO), "LC_ALL": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-m", "claimtrack", "--root", str(root), "add", "x1", "--statement", b"Bad \xff byte.", "--by", "T"],
        capture_output=True,
        env=env,
    )
    assert done.returncode == 2, done.stderr
    err = done.stderr.decode("utf-8", "replace")
    assert err.count("\n") == 1 and "statement: is not valid UTF-8 text" in err and "Traceback" not in err
    assert files_of(root) == before


# -- D30: argument types in the Python API -------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        pytest.param(
            lambda lib: lib.add("t", statement="S.", tags="abc"),
            "tags: must be a list of strings, not a single str",
            id="tags-str",
        ),
        pytest.param(lambda lib: lib.add("t", statement=42), "statement: must be a string, not int", id="statement-int"),
        pytest.param(lambda lib: lib.add("t", statement="S.", depends_on="good"), "depends_on: must be a list", id="depends-str"),
        pytest.param(lambda lib: lib.add("t", statement="S.", confidence=1), "confidence: must be a string", id="confidence-int"),
        pytest.param(lambda lib: lib.add("t", statement="S.", by=["T"]), "by: must be a string, not list", id="by-list"),
        pytest.param(lambda lib: lib.add("t", statement="S.", date=20221211), "date: must be a date", id="date-int"),
        pytest.param(
            lambda lib: lib.add("t", statement="S.", evidence=[("src1",)]),
            r"evidence\[0\]: must be a record made with Evidence\(...\), not tuple",
            id="evidence-tuple",
        ),
        pytest.param(lambda lib: lib.add(7, statement="S."), "id: a claim id must be a string, not int", id="id-int"),
        pytest.param(lambda lib: lib.tag("good", add="abc"), "add: must be a list of strings", id="tag-str"),
        pytest.param(lambda lib: lib.depend("good", on="other"), "on: must be a list of strings", id="depend-str"),
        pytest.param(
            lambda lib: lib.revise("good", statement="A better claim.", reason="r", evidence="src1"),
            "evidence: must be a list of strings",
            id="revise-evidence-str",
        ),
        pytest.param(lambda lib: lib.revise("good", statement=3, reason="r"), "statement: must be a string", id="revise-int"),
        pytest.param(lambda lib: lib.review("good", reason=b"bytes"), "reason: must be a string, not bytes", id="reason-bytes"),
        pytest.param(
            lambda lib: lib.revise("good", statement="A better claim.", reason="r", kind=3),
            "kind: must be a string",
            id="kind-int",
        ),
        pytest.param(lambda lib: lib.cite("good", 42), "source: must be a string, not int", id="cite-int"),
        pytest.param(lambda lib: lib.select(tags="abc"), "tags: must be a list of strings", id="select-tags-str"),
        pytest.param(lambda lib: lib.import_notices("rw.csv"), "files: must be a list of files", id="notices-str"),
        pytest.param(
            lambda lib: lib.fact("good", subject="S", property="p", value=8192, reason="r"),
            "value: must be a string",
            id="fact-int",
        ),
        pytest.param(
            lambda lib: lib.appearance("good", "src1", locator=5),
            r"add_appearances\[0\].locator: must be a string",
            id="locator-int",
        ),
        pytest.param(
            lambda lib: lib.append("good", {"kind": "review"}), "revision: must be a Revision, not dict", id="append-dict"
        ),
    ],
)
def test_wrong_types_are_a_type_error_that_is_a_claimtrack_error(root: Path, call, message: str) -> None:  # type: ignore[no-untyped-def]
    lib = claimtrack.open(root)
    before = files_of(root)
    with pytest.raises(ValueTypeError, match=message) as caught:
        call(lib)
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, ClaimtrackError)
    assert files_of(root) == before


def test_a_revision_built_with_one_string_of_evidence_is_refused() -> None:
    with pytest.raises(ValueTypeError, match="must be a list of strings, not a single str"):
        claimtrack.Revision(date="2022-12-11", kind="review", by="T", reason="r", evidence="brown2020language")


def test_wrong_values_in_the_api_are_errors_of_the_tree(root: Path) -> None:
    lib = claimtrack.open(root)
    with pytest.raises(InvalidValueError, match="'sure' is not a revision kind"):
        lib.revise("good", statement="A better claim.", reason="r", kind="sure")
    with pytest.raises(InvalidValueError, match="statement: is not valid UTF-8"):
        lib.add("x", statement="S\udcff.")
    with pytest.raises(ValueError):  # still the built-in a caller expects
        lib.add("x", statement="S.", date="2023-02-30")
    assert claimtrack.open(root).claim("good").revisions[-1].kind.value == "created"


# -- D10: impossible notice dates ----------------------------------------------------------------------------


@pytest.fixture
def noticed(tmp_path: Path) -> Path:
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(NOTICES / "references.bib", root / "references.bib")
    return root


@pytest.mark.parametrize(
    "date, expected",
    [
        ("2/30/2023 0:00", "(2023-02-30 does not exist)"),
        ("4/31/2023 0:00", "(2023-04-31 does not exist)"),
        ("13/1/2023 0:00", "(2023-13-01 does not exist)"),
        ("1/1/0000 0:00", "(0000-01-01 is not a date)"),
    ],
)
def test_retraction_watch_dates_that_do_not_exist_are_refused_at_import(
    noticed: Path, tmp_path: Path, date: str, expected: str
) -> None:
    csv = tmp_path / "rw.csv"
    csv.write_text(RW_HEADER + f"40001,Title,,,,,,,,,{date},10.1/r,0,,10.5555/jer.2021.0042,0,Retraction,;+x;,No,\n", "utf-8")
    refused(
        noticed,
        "notices",
        "import",
        str(csv),
        "--by",
        "T",
        expected=f"rw.csv:2: RetractionDate '{date}' is not a date {expected}",
    )


@pytest.mark.parametrize(
    "parts, expected",
    [
        ("[[2023, 2, 30]]", "2023-02-30 does not exist"),
        ("[[0]]", "0000 is not a date"),
        ("[[-5, 1, 1]]", "is not a date"),
        ("[[99999]]", "99999 is not a date"),
        ("[[1e400]]", "is not a number in a date"),
        ('[["x"]]', "'x' is not a number in a date"),
        ("[[true]]", "is not Crossref's date-parts"),
    ],
)
def test_crossref_date_parts_that_do_not_exist_are_refused_at_import(
    noticed: Path, tmp_path: Path, parts: str, expected: str
) -> None:
    work = (
        '{"DOI": "10.5555/jer.2023.retr.1", "update-to": [{"DOI": "10.5555/jer.2021.0042", "type": "retraction", '
        f'"updated": {{"date-parts": {parts}}}}}]}}\n'
    )
    path = tmp_path / "works.jsonl"
    path.write_text(work, encoding="utf-8")
    with pytest.raises(NoticeError, match=expected.replace("(", r"\(").replace("[", r"\[")):
        claimtrack.open(noticed).import_notices([path], by="T")
    refused(noticed, "notices", "import", str(path), "--by", "T", expected="works.jsonl:1: an update's")


@pytest.mark.parametrize("date", ["2023-02-30", "2023-13", "0000", "2023-00-10", "2023-04-31"])
def test_a_notices_file_with_a_date_that_does_not_exist_is_one_line_for_every_reader(noticed: Path, date: str) -> None:
    (noticed / "notices.toml").write_text(
        f'[[notice]]\nsource = "example2021widgets"\nkind = "retraction"\norigin = "retraction-watch"\nrecord = "40001"\n'
        f'matched = "doi:10.5555/jer.2021.0042"\ndate = "{date}"\n',
        encoding="utf-8",
    )
    for args in (["audit"], ["report", "--format", "md"], ["notices", "list"]):
        code, out, err = run(noticed, *args)
        assert code == 2, (args, code, out, err)
        assert err.startswith("error: notices.toml:") and "date" in err and len(err.splitlines()) == 1, err


def test_a_good_notice_date_still_imports(noticed: Path, tmp_path: Path) -> None:
    csv = tmp_path / "rw.csv"
    csv.write_text(
        RW_HEADER + "40001,Title,,,,,,,,,2/28/2023 0:00,10.1/r,0,,10.5555/jer.2021.0042,0,Retraction,;+x;,No,\n", "utf-8"
    )
    result = claimtrack.open(noticed).import_notices([csv], by="T")
    assert [n.date for n in result.added] == ["2023-02-28"]


# -- CLAIMTRACK_BY and CLAIMTRACK_DATE -----------------------------------------------------------------------


def test_the_environment_fills_by_and_date_for_every_writing_verb(root: Path) -> None:
    env = {"CLAIMTRACK_BY": "E. Nvironment", "CLAIMTRACK_DATE": "2022-12-20"}
    for args in (
        ["tag", "good", "--add", "t1"],
        ["cite", "good", "src1"],
        ["revise", "good", "--statement", "A better claim.", "--reason", "r"],
        ["review", "good", "--reason", "re-checked"],
        ["add", "other", "--statement", "Another claim."],
        ["supersede", "good", "--by-claim", "other", "--reason", "merged"],
    ):
        code, _, err = run(root, *args, env=env)
        assert code == 0, (args, err)
    lib = claimtrack.open(root)
    written = [*lib.claim("good").revisions[1:], *lib.claim("other").revisions]
    assert [(r.by, r.date) for r in written] == [("E. Nvironment", dt.date(2022, 12, 20))] * 6
    # an option still wins over the environment
    code, _, _ = run(root, "review", "other", "--reason", "r", "--by", "Opt", "--date", "2022-12-21", env=env)
    assert code == 0 and (lib.claim("other").revisions[-1].by, str(lib.claim("other").revisions[-1].date)) == (
        "Opt",
        "2022-12-21",
    )


def test_the_environment_fills_the_python_api_defaults(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_BY", "E. Nvironment")
    monkeypatch.setenv("CLAIMTRACK_DATE", "2022-12-19")
    lib = claimtrack.open(root)
    revision = lib.review("good", reason="re-checked").revisions[-1]
    assert (revision.by, revision.date) == ("E. Nvironment", dt.date(2022, 12, 19))
    monkeypatch.setenv("CLAIMTRACK_BY", "")  # set but empty: as if unset
    monkeypatch.delenv("CLAIMTRACK_DATE")
    revision = lib.review("good", reason="again").revisions[-1]
    assert revision.by != "" and revision.date == TODAY


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("CLAIMTRACK_DATE", "2023-02-30", "CLAIMTRACK_DATE: '2023-02-30' does not exist"),
        ("CLAIMTRACK_DATE", "tomorrow", "CLAIMTRACK_DATE: 'tomorrow' is not a date"),
        ("CLAIMTRACK_DATE", "9999-01-01", "CLAIMTRACK_DATE: 9999-01-01 is in the future"),
        ("CLAIMTRACK_BY", "\u200b", "CLAIMTRACK_BY: is blank"),
        ("CLAIMTRACK_BY", "   ", "CLAIMTRACK_BY: is blank"),
        ("CLAIMTRACK_DATE", " ", "CLAIMTRACK_DATE: ' ' is not a date"),
    ],
)
def test_a_bad_environment_value_is_named(root: Path, name: str, value: str, expected: str) -> None:
    refused(root, "review", "good", "--reason", "r", expected=expected, env={name: value})


def test_notices_import_takes_the_environment_too(noticed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_BY", "E. Nvironment")
    monkeypatch.setenv("CLAIMTRACK_DATE", "2022-12-19")
    claimtrack.open(noticed).import_notices([NOTICES / "retraction_watch.csv"])
    notices = claimtrack.open(noticed).notices
    assert {(n.imported, n.imported_by) for n in notices} == {("2022-12-19", "E. Nvironment")}


def test_the_json_history_of_a_value_round_trips(root: Path) -> None:
    code, out, _ = run(root, "history", "good", "--format", "json")
    assert code == 0 and json.loads(out)[0]["recorded"] is None


def test_import_apply_takes_the_session_date_and_refuses_a_future_one(root: Path, tmp_path: Path) -> None:
    doc = tmp_path / "d.md"
    doc.write_text("A ~~good~~ great claim.\n", encoding="utf-8")
    refused(root, "import", str(doc), "--apply", "--date", "9999-01-01", expected="date: 9999-01-01 is in the future")
    code, _, err = run(root, "import", str(doc), "--apply", env={"CLAIMTRACK_DATE": "2022-12-20", "CLAIMTRACK_BY": "E. Nv"})
    assert code == 0, err
    last = claimtrack.open(root).claim("good").revisions[-1]
    assert (last.date, last.by) == (dt.date(2022, 12, 20), "E. Nv") and "great" in (last.new or "")


@pytest.mark.parametrize(
    "since, expected",
    [("2023-02-30", "--corrections: '2023-02-30' does not exist"), ("20230203", "--corrections: '20230203' is not a date")],
)
def test_render_corrections_checks_its_date_the_same_way(root: Path, tmp_path: Path, since: str, expected: str) -> None:
    paper = tmp_path / "p.md"
    paper.write_text("A good claim [@claim:good].\n", encoding="utf-8")
    code, _, err = run(root, "render", str(paper), "-o", str(tmp_path / "o.md"), "--corrections", since)
    assert code == 2 and len(err.splitlines()) == 1 and expected in err, err
    assert not (tmp_path / "o.md").exists()
