"""History back-filled: a correction found later is appended with the date it was made, and every reading of the
history takes it at that date, while the file stays append-only and sealed in the order written."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.errors import HistoryError
from claimtrack.history import chronological, first_broken_seal, replay, statement_versions
from claimtrack.seals import canonical

TODAY = dt.date.today()
STATEMENT = "Model X has 4096 tokens and 2 heads."


@pytest.fixture
def later(lib: claimtrack.Library) -> claimtrack.Library:
    """A claim created 2022-12-01 and corrected 2024-05-01: a history whose last revision is long after the first."""
    lib.add("c1", STATEMENT, by="A. Author", date="2022-12-01")
    lib.revise("c1", old="4096", new="8192", reason="the model card says 8192", by="A. Author", date="2024-05-01")
    return lib


def files_of(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "claims").iterdir())}


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_correction_dated_before_the_last_revision_is_appended_as_reported(later: claimtrack.Library) -> None:
    # Before: "a revision dated 2022-12-18 cannot follow one dated 2024-05-01".
    code, out, err = run(
        later.root,
        "revise",
        "c1",
        "--old",
        "2 heads",
        "--new",
        "3 heads",
        "--reason",
        "found later",
        "--by",
        "B",
        "--date",
        "2022-12-18",
    )
    assert code == 0, err
    claim = claimtrack.open(later.root).claim("c1")
    assert [r.date for r in claim.revisions] == [dt.date(2022, 12, 1), dt.date(2024, 5, 1), dt.date(2022, 12, 18)]
    assert [r.recorded for r in claim.revisions] == [None, None, TODAY]  # only the back-dated one says when it was written
    assert claim.statement == "Model X has 8192 tokens and 3 heads."
    assert first_broken_seal(claim.revisions) is None
    text = (later.root / "claims" / "c1.toml").read_text(encoding="utf-8")
    assert text.rstrip().endswith(claim.revisions[-1].digest + '"')  # appended: the file ends with it
    assert f"date = 2022-12-18\nrecorded = {TODAY.isoformat()}\n" in text
    assert [f for f in claimtrack.open(later.root).audit() if f.severity == "error"] == []


def test_it_is_read_at_its_own_date(later: claimtrack.Library) -> None:
    later.revise("c1", old="2 heads", new="3 heads", reason="found later", by="B", date="2022-12-18")
    claim = later.claim("c1")
    assert claim.as_of("2022-12-17").statement == STATEMENT
    assert claim.as_of("2022-12-18").statement == "Model X has 4096 tokens and 3 heads."
    assert claim.as_of("2024-04-30").statement == "Model X has 4096 tokens and 3 heads."
    assert claim.as_of("2024-05-01").statement == "Model X has 8192 tokens and 3 heads."
    assert [r.date for r in claim.as_of("2023-01-01").revisions] == [dt.date(2022, 12, 1), dt.date(2022, 12, 18)]
    change = claim.diff("2022-12-01", "2023-01-01")
    assert change.changes == (("statement", STATEMENT, "Model X has 4096 tokens and 3 heads."),)
    assert [r.date for r in change.revisions] == [dt.date(2022, 12, 18)]
    assert [v.statement for v in statement_versions(claim)] == [
        STATEMENT,
        "Model X has 4096 tokens and 3 heads.",
        "Model X has 8192 tokens and 3 heads.",
    ]
    assert claim.updated == dt.date(2024, 5, 1) and claim.created == dt.date(2022, 12, 1)
    assert [i for i, _ in chronological(claim.revisions)] == [0, 2, 1]
    code, out, _ = run(later.root, "show", "c1", "--as-of", "2023-01-01")
    assert code == 0 and "4096 tokens and 3 heads" in out


def test_history_lists_it_at_its_date_and_says_when_it_was_recorded(later: claimtrack.Library) -> None:
    later.revise("c1", old="2 heads", new="3 heads", reason="found later", by="B", date="2022-12-18")
    code, out, _ = run(later.root, "history", "c1", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [(r["index"], r["date"], r["recorded"]) for r in rows] == [
        (0, "2022-12-01", None),
        (2, "2022-12-18", TODAY.isoformat()),
        (1, "2024-05-01", None),
    ]
    assert rows[1]["change"] == "~~2 heads~~ 3 heads" and rows[2]["change"] == "~~4096~~ 8192"
    code, out, _ = run(later.root, "history", "c1")
    assert f"recorded {TODAY.isoformat()}, back-dated to when it was made" in out
    assert out.index("2022-12-18") < out.index("2024-05-01")


def test_render_corrections_and_the_report_take_it_at_its_date(later: claimtrack.Library, tmp_path: Path) -> None:
    later.revise("c1", old="2 heads", new="3 heads", reason="found later", by="B", date="2022-12-18")
    paper = tmp_path / "p.md"
    paper.write_text("Model X has 8192 tokens and 3 heads [@claim:c1].\n", encoding="utf-8")
    out = tmp_path / "out.md"
    code, _, err = run(later.root, "render", str(paper), "-o", str(out), "--corrections", "2022-12-10")
    assert code == 0, err
    listed = out.read_text(encoding="utf-8")
    assert listed.index("~~2 heads~~") < listed.index("~~4096~~")  # oldest first, by the date each change was made
    code, _, err = run(later.root, "render", str(paper), "-o", str(out), "--corrections", "2023-01-01")
    assert code == 0 and "~~2 heads~~" not in out.read_text(encoding="utf-8")  # made before that date: not listed
    page = claimtrack.report.render(claimtrack.open(later.root), ["html"])["index.html"]  # type: ignore[attr-defined]
    assert page.index("3 heads") < page.index("found later") < page.index("the model card says 8192")


def test_a_span_that_did_not_exist_yet_names_both_revisions_and_writes_nothing(later: claimtrack.Library) -> None:
    before = files_of(later.root)
    with pytest.raises(HistoryError) as caught:
        later.revise("c1", old="8192", new="8000", reason="r", by="B", date="2023-01-01")
    message = str(caught.value)
    assert "revisions[2], dated 2023-01-01, cannot apply at its date: '8192' does not occur" in message
    assert "(revisions[1] made that change on 2024-05-01)" in message and "date it 2024-05-01 or later" in message
    assert files_of(later.root) == before
    code, _, err = run(later.root, "revise", "c1", "--old", "8192", "--new", "8000", "--reason", "r", "--date", "2023-01-01")
    assert code == 2 and len(err.splitlines()) == 1 and "revisions[1] made that change on 2024-05-01" in err


def test_a_back_dated_change_a_later_revision_no_longer_applies_after_names_both(later: claimtrack.Library) -> None:
    before = files_of(later.root)
    with pytest.raises(
        HistoryError, match=r"revisions\[1\], dated 2024-05-01, no longer applies after revisions\[2\], dated 2023-01-01"
    ):
        later.revise("c1", old="4096", new="4000", reason="r", by="B", date="2023-01-01")
    assert files_of(later.root) == before


def test_a_date_before_the_claim_was_created_is_refused(later: claimtrack.Library) -> None:
    with pytest.raises(HistoryError, match=r"a revision dated 2022-11-30 is before the claim was created \(2022-12-01\)"):
        later.review("c1", reason="r", by="B", date="2022-11-30")


def test_a_revision_in_date_order_records_nothing_more(later: claimtrack.Library) -> None:
    claim = later.review("c1", reason="re-checked", by="B", date="2024-05-01")
    assert claim.revisions[-1].recorded is None and "recorded" not in claim.revisions[-1].to_raw()


def test_the_seal_covers_the_recorded_date(later: claimtrack.Library) -> None:
    later.revise("c1", old="2 heads", new="3 heads", reason="found later", by="B", date="2022-12-18")
    revision = later.claim("c1").revisions[-1]
    assert f'"recorded":"{TODAY.isoformat()}"' in canonical(revision)
    path = later.root / "claims" / "c1.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"recorded = {TODAY.isoformat()}", "recorded = 2024-06-01"), encoding="utf-8")
    assert {f.rule for f in claimtrack.open(later.root).audit()} >= {"broken-seal"}
    path.write_text(text.replace(f"recorded = {TODAY.isoformat()}\n", ""), encoding="utf-8")
    rules = {f.rule for f in claimtrack.open(later.root).audit()}
    assert {"broken-seal", "dates-out-of-order"} <= rules  # stripping it shows twice


def test_an_out_of_order_date_written_by_hand_is_still_flagged(later: claimtrack.Library) -> None:
    path = later.root / "claims" / "c1.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + '\n[[revisions]]\ndate = 2023-01-01\nkind = "review"\nby = "B"\nreason = "r"\n',
        encoding="utf-8",
    )
    found = [f for f in claimtrack.open(later.root).audit() if f.rule == "dates-out-of-order"]
    assert len(found) == 1 and "revision 2 (review) is dated 2023-01-01" in found[0].message


def test_writes_after_a_back_dated_revision_go_on(later: claimtrack.Library) -> None:
    later.revise("c1", old="2 heads", new="3 heads", reason="found later", by="B", date="2022-12-18")
    later.tag("c1", add=["models"], by="B", date="2024-06-01")
    later.revise("c1", old="Model X", new="The model X", kind="editorial", by="B", date="2023-02-01")
    claim = claimtrack.open(later.root).claim("c1")
    assert claim.statement == "The model X has 8192 tokens and 3 heads."
    assert claim.as_of("2023-03-01").statement == "The model X has 4096 tokens and 3 heads."
    assert [r.recorded is not None for r in claim.revisions] == [False, False, True, False, True]
    assert first_broken_seal(claim.revisions) is None
    assert [f for f in claimtrack.open(later.root).audit() if f.severity == "error"] == []


def test_the_bundled_corpus_reads_the_same_in_date_order() -> None:
    root = Path(__file__).resolve().parent.parent
    if not (root / "claims").is_dir():
        pytest.skip("no bundled corpus")
    for claim in claimtrack.open(root).claims.values():
        assert [i for i, _ in chronological(claim.revisions)] == list(range(len(claim.revisions))), claim.id
        assert first_broken_seal(claim.revisions) is None


def test_the_worked_example_in_the_format_doc_verifies_and_reads_as_it_says() -> None:
    import re
    import tomllib

    from claimtrack.codec import revision_from_raw
    from claimtrack.model import Claim

    doc = (Path(__file__).resolve().parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    fences = re.findall(r"^```(\w*)\n(.*?)^```", doc, re.MULTILINE | re.DOTALL)
    (history,) = [body for lang, body in fences if lang == "toml" and "recorded = " in body]
    (shown,) = [body.strip() for lang, body in fences if lang == "json" and '"recorded"' in body]
    revisions = tuple(revision_from_raw(raw) for raw in tomllib.loads(history)["revisions"])
    assert first_broken_seal(revisions) is None and revisions[-1].recorded is not None
    assert canonical(revisions[-1]) == shown
    claim = replay(Claim(id="cdv2-context-window", statement="", confidence="hypothesis", revisions=revisions))
    assert claim.statement == "OpenAI's code-davinci-002 has a context window of 8192 tokens."
    assert [claim.as_of(d).statement for d in ("2022-12-13", "2022-12-14")] == [  # type: ignore[union-attr]
        "code-davinci-002 has a context window of 4096 tokens.",
        "OpenAI's code-davinci-002 has a context window of 4096 tokens.",
    ]


def test_the_readme_examples_run_out_of_date_order_with_the_session_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CLAIMTRACK_BY and CLAIMTRACK_DATE set, the README's tour with its dated correction written last."""
    from test_docs import REPO, blocks, run_line, shell_lines

    for name in ("claims", "references.bib", "claimtrack.toml"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    monkeypatch.setenv("CLAIMTRACK_BY", "A. Tester")
    monkeypatch.setenv("CLAIMTRACK_DATE", "2022-12-21")
    shells = blocks(REPO / "README.md", "sh")
    tour = list(shell_lines(next(b for b in shells if "claimtrack init my-survey" in b)))
    fields = list(shell_lines(next(b for b in shells if "claimtrack tag cdv2-context" in b)))
    (dated,) = [line for line in tour if line.startswith("claimtrack revise") and "--date" in line]
    tour.remove(dated)
    cwd = tmp_path
    for line in tour:
        cwd = run_line(line, cwd)
    for line in fields:  # every field changed on 2022-12-21 (the session's date) or 2022-12-20 ...
        cwd = run_line(line, cwd)
    cwd = run_line(dated, cwd)  # ... and then the correction made on 2022-12-18
    survey = claimtrack.open(cwd)
    monkeypatch.chdir(cwd)  # the README's Python runs where its shell tour leaves the reader: in my-survey
    for number, python in enumerate(blocks(REPO / "README.md", "python")):
        exec(compile(python, f"README.md python block {number}", "exec"), {"claimtrack": claimtrack})
    claim = survey.reload().claim("cdv2-context")
    undated = [r for r in claim.revisions if r.date == dt.date(2022, 12, 21)]
    assert undated and {r.by for r in claim.revisions[1:]} <= {"A. Tester", "A. Author"}
    assert any(r.by == "A. Tester" for r in claim.revisions)
    (backfilled,) = [r for r in claim.revisions if r.recorded is not None]
    assert (backfilled.date, backfilled.old, backfilled.new) == (dt.date(2022, 12, 18), "4096", "8192")
    assert claim.as_of("2022-12-18").statement.endswith("8192 tokens.")  # type: ignore[union-attr]
    assert claim.as_of("2022-12-17").statement.endswith("4096 tokens.")  # type: ignore[union-attr]
    assert [f for f in survey.audit() if f.severity == "error"] == []


def test_the_revisions_frame_says_when_a_back_dated_revision_was_recorded(later: claimtrack.Library) -> None:
    later.revise("c1", old="2 heads", new="3 heads", reason="found later", by="B", date="2022-12-18")
    rows = later.frames()["revisions"]
    rows = rows[rows["claim"] == "c1"]
    assert [str(v.date()) if v == v else None for v in rows["recorded"]] == [None, None, TODAY.isoformat()]


def test_two_branches_one_back_dating_merge_either_way_into_one_history_that_verifies(
    later: claimtrack.Library, tmp_path: Path
) -> None:
    from claimtrack.mergetext import merge_texts

    path = later.root / "claims" / "c1.toml"
    base = path.read_bytes()
    later.revise("c1", old="2 heads", new="3 heads", reason="found later", by="A", date="2022-12-18")
    ours = path.read_text(encoding="utf-8")
    path.write_bytes(base)
    claimtrack.open(later.root).review("c1", reason="re-checked", by="B", date="2024-06-01")
    theirs = path.read_text(encoding="utf-8")
    one, other = merge_texts(ours, theirs, file="claims/c1.toml"), merge_texts(theirs, ours, file="claims/c1.toml")
    assert one == other
    path.write_text(one, encoding="utf-8")
    claim = claimtrack.open(later.root).claim("c1")
    assert claim.statement == "Model X has 8192 tokens and 3 heads." and first_broken_seal(claim.revisions) is None
    assert claim.as_of("2023-01-01").statement == "Model X has 4096 tokens and 3 heads."  # type: ignore[union-attr]
    assert [f for f in claimtrack.open(later.root).audit() if f.severity == "error"] == []
