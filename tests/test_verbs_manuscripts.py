"""The manuscript verbs do what they say: check, render, stale --fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.manuscripts import check_manuscripts, render_manuscript
from claimtrack.model import Evidence

NOTICES = Path(__file__).resolve().parent / "data" / "notices"
BY = "A. Author"


@pytest.fixture
def retracted(tmp_path: Path) -> claimtrack.Library:
    """Claims on a retracted source (example2021widgets): one on it alone, one with a sound source too."""
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(NOTICES / "references.bib", root / "references.bib")
    lib = claimtrack.open(root)
    lib.add("only-retracted", "Widgets are sparse, probably.", by=BY, date="2022-01-01",
            evidence=[Evidence("example2021widgets")])  # fmt: skip
    lib.add("mixed", "Widgets are sparse.", by=BY, date="2022-01-01",
            evidence=[Evidence("example2021widgets"), Evidence("sound2020result")])  # fmt: skip
    lib.add("sound", "Widgets are round.", by=BY, date="2022-01-01", evidence=[Evidence("sound2020result")])
    lib.import_notices([NOTICES / "retraction_watch.csv", NOTICES / "crossref.jsonl"], by=BY, date="2026-12-01")
    return claimtrack.open(root)


def _run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args])
    return result.exit_code, result.output


# -- check and render: retracted sources ---------------------------------------------------------------------------


def test_check_fails_on_a_claim_whose_only_source_is_retracted(retracted: claimtrack.Library, tmp_path: Path) -> None:
    paper = tmp_path / "p.md"
    paper.write_text("Widgets are sparse, probably [@claim:only-retracted].\n", encoding="utf-8")
    result = check_manuscripts(retracted, [paper])
    (finding,) = result.findings
    assert (finding.rule, finding.severity, finding.claim, finding.line) == (
        "cites-retracted-source",
        "error",
        "only-retracted",
        1,
    )
    assert "'example2021widgets' was retracted on 2023-03-14" in finding.message
    assert "no other source supports it" in finding.message
    code, out = _run(retracted.root, "check", str(paper))
    assert code == 1 and "1 error" in out


@pytest.mark.parametrize(
    ("severity", "code", "rule_severity"),
    [
        pytest.param("warning", 0, "warning", id="warning"),
        pytest.param("off", 0, None, id="off"),
        pytest.param("error", 1, "error", id="error"),
    ],
)
def test_check_follows_the_configured_severity(
    retracted: claimtrack.Library, tmp_path: Path, severity: str, code: int, rule_severity: str | None
) -> None:
    settings = retracted.root / "claimtrack.toml"
    text = settings.read_text(encoding="utf-8").replace("[rules]", f'[rules]\nretracted-source = "{severity}"')
    settings.write_text(text, encoding="utf-8")
    paper = tmp_path / "p.md"
    paper.write_text("Widgets are sparse [@claim:mixed]. Round [@claim:sound].\n", encoding="utf-8")
    found = check_manuscripts(claimtrack.open(retracted.root), [paper]).findings
    assert [f.severity for f in found if f.rule == "cites-retracted-source"] == ([rule_severity] if rule_severity else [])
    assert _run(retracted.root, "check", str(paper))[0] == code
    if severity == "warning":
        assert _run(retracted.root, "check", "--strict", str(paper))[0] == 1


def test_check_of_a_latex_paper_names_the_retracted_source(retracted: claimtrack.Library, tmp_path: Path) -> None:
    paper = tmp_path / "p.tex"
    paper.write_text("Widgets are sparse~\\claim{sound,mixed}.\n", encoding="utf-8")
    (finding,) = check_manuscripts(retracted, [paper]).findings
    assert (finding.rule, finding.claim) == ("cites-retracted-source", "mixed")
    assert "1 other supporting source(s) stand" in finding.message


@pytest.mark.parametrize(
    ("paper", "expected"),
    [
        pytest.param("Sparse [@claim:only-retracted].\n", "Sparse [@example2021widgets, retracted].\n", id="markdown-bracket"),
        pytest.param(
            "Sparse [@claim:mixed; @claim:sound].\n",
            "Sparse [@example2021widgets, retracted; @sound2020result; @sound2020result].\n",
            id="markdown-several",
        ),
        pytest.param("As @claim:only-retracted shows.\n", "As @example2021widgets [retracted] shows.\n", id="markdown-intext"),
    ],
)
def test_render_marks_a_retracted_source(retracted: claimtrack.Library, tmp_path: Path, paper: str, expected: str) -> None:
    source = tmp_path / "p.md"
    source.write_text(paper, encoding="utf-8")
    result = render_manuscript(retracted, source, tmp_path / "out.md")
    assert result.text == expected


def test_render_marks_a_retracted_source_in_latex(retracted: claimtrack.Library, tmp_path: Path) -> None:
    source = tmp_path / "p.tex"
    source.write_text("Sparse~\\claim{mixed}.\n", encoding="utf-8")
    result = render_manuscript(retracted, source, tmp_path / "out.tex")
    assert result.text == "Sparse~\\cite{sound2020result}~\\cite[retracted]{example2021widgets}.\n"
