"""`claimtrack notices`, and notices where people look: audit, source list, show, frames, the reports."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main

DATA = Path(__file__).resolve().parent / "data" / "notices"
RW, CROSSREF, OPENALEX = DATA / "retraction_watch.csv", DATA / "crossref.jsonl", DATA / "openalex.jsonl"
BY = "A. Author"


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Sources with DOIs in mixed forms; a claim on a retracted, a corrected and a concerned one; its dependent."""
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(DATA / "references.bib", root / "references.bib")
    lib = claimtrack.open(root)
    lib.add("widgets-scale", "Sparse mixtures of widgets scale reasoning.", confidence="conclusion", by=BY, date="2022-01-01",
            evidence=[claimtrack.Evidence("example2021widgets"), claimtrack.Evidence("sound2020result"),
                      claimtrack.Evidence("sample2022benchmark", locator="Table 2"), claimtrack.Evidence("widget2022concern")])  # fmt: skip
    lib.add("more-widgets", "More widgets reason better.", depends_on=["widgets-scale"], by=BY, date="2022-02-01")
    return root


def test_import_then_audit(root):
    code, out, err = run(root, "notices", "import", str(RW), str(CROSSREF), "--by", BY, "--date", "2026-12-01")
    assert code == 0, err
    assert out.splitlines() == [
        f"{RW}: retraction-watch, 5 records, 3 about this library's sources",
        f"{CROSSREF}: crossref, 5 records, 3 about this library's sources",
        "5 added, 0 updated, 0 already recorded; notices.toml updated",
    ]
    assert "10.5555/jut.2019.1" not in (root / "notices.toml").read_text(encoding="utf-8")  # a DOI the library does not cite
    code, out, _ = run(root, "audit", "--format", "json")
    assert code == 1
    findings = json.loads(out)["findings"]
    rules = {(f["rule"], f["claim"], f["severity"]) for f in findings}
    assert ("retracted-source", "widgets-scale", "error") in rules
    assert ("needs-review", "more-widgets", "warning") in rules
    assert ("source-correction", "widgets-scale", "warning") in rules
    assert ("expression-of-concern", "widgets-scale", "warning") in rules
    assert [f["rule"] for f in findings if f["severity"] == "error"] == ["retracted-source"]
    assert run(root, "notices", "import", str(RW), str(CROSSREF))[1].endswith(
        "0 added, 0 updated, 5 already recorded; notices.toml unchanged\n"
    )


@pytest.mark.parametrize(
    "name, data, message",
    [
        pytest.param(
            "works.jsonl", b'{"DOI": "10.1/x"}\n{"DOI": "10.1/y",\n', "works.jsonl:2: broken JSON at column 18", id="broken-json"
        ),
        pytest.param(
            "export.csv",
            b"Title,DOI\nA,10.1/x\n",
            "export.csv:1: the CSV header lacks the Retraction Watch columns",
            id="csv-header",
        ),
        pytest.param(
            "refs.bib", b"@misc{a, title = {A}}\n", "refs.bib:1: is not in a format claimtrack reads", id="unknown-format"
        ),
    ],
)
def test_a_malformed_file_exits_2_with_one_line_and_writes_nothing(root, tmp_path, name, data, message):
    bad = tmp_path / name
    bad.write_bytes(data)
    code, out, err = run(root, "notices", "import", str(RW), str(bad))
    assert code == 2 and out == ""
    assert err.startswith(f"error: {tmp_path / message}") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert not (root / "notices.toml").exists()


def test_bad_options_are_one_line(root):
    code, _, err = run(root, "notices", "import", str(RW), "--date", "yesterday")
    assert (code, err) == (2, "error: date: 'yesterday' is not a date; write it as YYYY-MM-DD\n")
    code, _, err = run(root, "notices", "import")
    assert code == 2 and "missing argument 'FILE...'" in err and err.count("\n") == 1
    assert not (root / "notices.toml").exists()


def test_a_broken_notices_toml_is_one_line_for_every_command(root):
    (root / "notices.toml").write_text("[[notice]]\nsource = \n", encoding="utf-8")
    for args in (("audit",), ("source", "list"), ("show", "widgets-scale"), ("notices", "list")):
        code, _, err = run(root, *args)
        assert code == 2 and err.startswith("error: notices.toml:2: is not valid TOML") and err.count("\n") == 1, (args, err)


def test_source_list_shows_the_notice(root):
    run(root, "notices", "import", str(RW), str(CROSSREF), str(OPENALEX), "--by", BY)
    code, out, _ = run(root, "source", "list")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert lines["example2021widgets"].endswith("[RETRACTED 2023-03-14]")
    assert lines["sample2022benchmark"].endswith("[CORRECTED 2022-09-01]")
    assert lines["widget2022concern"].endswith("[EXPRESSION OF CONCERN 2023-06-01]")
    assert lines["preprint2023example"].endswith("[RETRACTED]")  # OpenAlex gives no date
    assert "[" not in lines["sound2020result"]
    rows = {r["key"]: r for r in json.loads(run(root, "source", "list", "--format", "json")[1])}
    assert rows["example2021widgets"]["notice"] == "retracted 2023-03-14" and rows["sound2020result"]["notice"] is None


def test_show_lists_the_notices_of_the_cited_sources(root):
    run(root, "notices", "import", str(RW), "--by", BY)
    code, out, _ = run(root, "show", "widgets-scale")
    assert code == 0
    assert (
        "  notice: example2021widgets was retracted on 2023-03-14 (Retraction Watch record 40001, notice 10.5555/jer.2023.retr.1)"
        in out.splitlines()
    )
    detail = json.loads(run(root, "show", "widgets-scale", "--format", "json")[1])
    assert [(n["source"], n["kind"], n["date"]) for n in detail["notices"]] == [
        ("example2021widgets", "retraction", "2023-03-14"),
        ("sample2022benchmark", "correction", "2022-09-01"),
    ]
    assert json.loads(run(root, "show", "more-widgets", "--format", "json")[1])["notices"] == []


def test_notices_list(root):
    run(root, "notices", "import", str(CROSSREF), "--by", BY, "--date", "2026-12-01")
    code, out, _ = run(root, "notices", "list")
    assert code == 0
    assert out.splitlines()[0].split() == [
        "sample2022benchmark",
        "correction",
        "2022-09-01",
        "crossref",
        "10.5555/el.2022.corr.7",
    ]
    rows = json.loads(run(root, "notices", "list", "--format", "json")[1])
    assert rows[1]["kind"] == "expression-of-concern" and rows[1]["imported"] == "2026-12-01"


def test_the_sources_frame_has_a_notice_column(root):
    run(root, "notices", "import", str(RW), str(CROSSREF), "--by", BY)
    sources = claimtrack.open(root).frames()["sources"].set_index("key")
    assert sources.loc["example2021widgets", "notice"] == "retracted 2023-03-14"
    assert sources.loc["widget2022concern", "notice"] == "expression of concern 2023-06-01"
    assert sources["notice"].isna().sum() == len(sources) - 4  # gene2018widgets is retracted too, matched by its PubMed id


def test_the_reports_show_badges_and_a_section(root):
    run(root, "notices", "import", str(RW), str(CROSSREF), "--by", BY)
    files = claimtrack.report.render(claimtrack.open(root), ["html", "md"])
    page, md = files["index.html"], files["README.md"]
    badge = '<a class="notice notice-retracted" href="#notices-example2021widgets">retracted 2023-03-14</a>'
    # On the claim citing it and in the bibliography.
    assert page.count(badge) == 2
    assert '<section id="notices">' in page and "<h2>Retractions and corrections</h2>" in page
    assert '<a href="#notices">Retractions and corrections</a>' in page
    section = page[page.index('<section id="notices">') : page.index("</section>", page.index('<section id="notices">'))]
    assert 'id="notices-example2021widgets"' in section and "2023-03-14" in section and "2022-09-01" in section
    assert '<a href="#claim-widgets-scale">widgets-scale</a>' in section
    heading = page[page.index('<article class="claim" id="claim-widgets-scale">') :].split("</h3>", 1)[0]
    assert heading.endswith(
        '<a class="notice notice-retracted" href="#notices-example2021widgets" '
        'title="example2021widgets: retracted 2023-03-14">cites a retracted source</a>'
    )
    other = page[page.index('<article class="claim" id="claim-more-widgets">') :].split("</h3>", 1)[0]
    assert "notice" not in other  # it cites no noticed source; needs-review says the rest
    assert "### widgets-scale\n\n**Cites a retracted source:** example2021widgets, retracted 2023-03-14.\n\n" in md
    assert md.count("**\\[RETRACTED 2023-03-14\\]**") == 2
    assert "## Retractions and corrections" in md
    assert "| example2021widgets | retracted | 2023-03-14 | Retraction Watch record 40001" in md


def test_a_report_made_before_an_import_does_not_hide_its_notices(root):
    claimtrack.report.write(claimtrack.open(root), root / "report")  # fills the report's caches
    run(root, "notices", "import", str(RW), "--by", BY)
    claimtrack.report.write(claimtrack.open(root), root / "report")
    page = (root / "report" / "index.html").read_text(encoding="utf-8")
    assert "cites a retracted source</a></h3>" in page and '<section id="notices">' in page
    assert issubclass(claimtrack.NoticeError, claimtrack.ClaimtrackError)


def test_a_report_without_notices_has_no_section(root):
    files = claimtrack.report.render(claimtrack.open(root), ["html", "md"])
    assert 'id="notices"' not in files["index.html"] and "Retractions and corrections" not in files["README.md"]


def test_help_has_an_example():
    for args in (["notices", "--help"], ["notices", "import", "--help"], ["notices", "list", "--help"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and "Example:" in result.output


def test_the_readme_example_runs_as_shown(tmp_path, monkeypatch):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Retractions and corrections of cited papers") :]
    block = section[section.index("```console\n") + len("```console\n") : section.index("```\n", section.index("```console"))]
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(DATA / "references.bib", root / "references.bib")
    shutil.copy(RW, root / "retraction_watch.csv")
    shutil.copy(CROSSREF, root / "crossref-works.jsonl")
    commands = block.split("$ ")[1:]
    assert len(commands) == 2
    monkeypatch.chdir(root)  # the example runs inside the library, with relative file names
    for command in commands:
        line, _, shown = command.partition("\n")
        result = CliRunner().invoke(main, line.split()[1:])
        assert result.exit_code == 0, result.output
        expected = [text for text in shown.splitlines() if text != "..."]
        assert result.stdout.splitlines()[: len(expected)] == expected


def test_hostile_text_in_a_notice_stays_text(root):
    (root / "notices.toml").write_text(
        '[[notice]]\nsource = "example2021widgets"\nkind = "retraction"\norigin = "retraction-watch"\n'
        'record = "\\"><b>x</b>"\nmatched = "doi:10.5555/jer.2021.0042"\ndate = "2023-03-14"\n'
        'notice_doi = "10.1/\\"onmouseover=\\"alert(1)"\nreason = "<script>alert(1)</script> | *bold* |"\n',
        encoding="utf-8",
    )
    files = claimtrack.report.render(claimtrack.open(root), ["html", "md"])
    page, md = files["index.html"], files["README.md"]
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>x</b>" not in page and not re.search(r"<[^>]*\sonmouseover=", page)  # as text, a quote is only a quote
    row = next(line for line in md.splitlines() if line.startswith("| example2021widgets | retracted"))
    assert row.count(" | ") == 5  # the reason's pipes do not add cells


def test_the_reports_count_support_as_the_audit_does_without_retracted_sources(root):
    def row(md: str) -> str:
        [line] = [line for line in md.splitlines() if line.startswith("| [widgets-scale]")]
        return line

    assert "| 4 / 2 |" in row(claimtrack.report.render(claimtrack.open(root), ["md"])["README.md"])
    run(root, "notices", "import", str(RW), "--by", BY)
    files = claimtrack.report.render(claimtrack.open(root), ["html", "md"])
    assert "| 3 / 2 |" in row(files["README.md"])  # example2021widgets is retracted
    html_row = re.search(r'<tr data-confidence="conclusion"[^>]*><td><a href="#claim-widgets-scale">[^\n]*', files["index.html"])
    assert html_row is not None and "<td>3 / 2<td>" in html_row.group(0)
