"""`claimtrack check`, `render` and `stale --fix` run as a user (or a pre-commit hook) would."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimtrack.cli import main

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "manuscripts"


def run(lib, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(lib.root), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def papers(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    shutil.copytree(DATA, folder)
    return folder


def test_check_exits_1_with_each_finding_at_its_line(mlib, papers):
    code, out, err = run(mlib, "check", str(papers / "paper.md"))
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[0] == (
        f"{papers / 'paper.md'}:7:42: error states-superseded: states a superseded wording of 'cdv2-context': "
        "still says '4096', which revision 3 replaced with '8192' (word score 100) (now: 'code-davinci-002 has a context window of 8192 tokens.')"
    )
    assert lines[-2] == (
        f"{papers / 'paper.md'}:15:41: error unknown-claim: cites 'cdv2-contxt', which is not a claim (did you mean 'cdv2-context'?)"
    )
    assert lines[-1] == "6 errors, 1 warning in 1 file (7 claim citations)"


def test_check_json(mlib, papers):
    code, out, _ = run(mlib, "check", "--format", "json", str(papers / "paper.tex"), str(papers / "clean.md"))
    data = json.loads(out)
    assert code == 1
    assert data["summary"] == {
        "errors": 6, "warnings": 1, "files": [str(papers / "paper.tex"), str(papers / "clean.md")], "citations": 12,
        "strict": False, "failed": True,
    }  # fmt: skip
    assert set(data["findings"][0]) == {"rule", "severity", "file", "line", "column", "claim", "message", "hint"}
    superseded = next(f for f in data["findings"] if f["rule"] == "cites-superseded")
    assert (superseded["line"], superseded["claim"]) == (13, "opt-has-abilities")
    assert "opt-partial" in superseded["hint"]


def test_a_clean_paper_exits_0(mlib, papers):
    code, out, _ = run(mlib, "check", str(papers / "clean.md"), str(papers / "clean.tex"))
    assert code == 0
    assert out == "0 errors, 0 warnings in 2 files (7 claim citations)\n"


def test_strict_counts_warnings(mlib, papers):
    paper = papers / "warning.md"
    paper.write_text("Codex is a 12B model [@claim:codex-12b].\n", encoding="utf-8")
    assert run(mlib, "check", str(paper))[0] == 0
    code, out, _ = run(mlib, "check", "--strict", str(paper))
    assert code == 1 and out.endswith("(--strict: warnings count as errors)\n")


def test_an_unreadable_paper_is_one_line_and_exit_2(mlib, papers):
    (papers / "binary.md").write_bytes(b"\xff\xfe\x00")
    code, out, err = run(mlib, "check", str(papers / "paper.md"), str(papers / "binary.md"))
    assert code == 2 and out == ""
    assert err == f"error: {papers / 'binary.md'}:1: is not UTF-8 text (byte 0); convert it to UTF-8, e.g. with iconv\n"


def test_no_library_is_exit_2(tmp_path, papers):
    result = CliRunner().invoke(main, ["--root", str(tmp_path / "nowhere"), "check", str(papers / "clean.md")])
    assert result.exit_code == 2 and result.stderr.startswith("error: ") and "Traceback" not in result.output


def test_render(mlib, papers, tmp_path):
    out = tmp_path / "paper.out.md"
    code, stdout, _ = run(mlib, "render", str(papers / "clean.md"), "-o", str(out), "--corrections", "2022-12-11")
    assert code == 0
    assert stdout == f"{out}: 5 claim citations rendered, 2 corrections listed\n"
    text = out.read_text(encoding="utf-8")
    assert "[@chen2021codex; @brown2020language]" in text and "claim:" not in text
    assert "## Corrections" in text


def test_render_refuses_an_unknown_claim(mlib, papers, tmp_path):
    out = tmp_path / "paper.out.md"
    code, stdout, err = run(mlib, "render", str(papers / "paper.md"), "-o", str(out))
    assert code == 2 and stdout == "" and not out.exists()
    assert len(err.splitlines()) == 1 and "15:41: cites 'cdv2-contxt'" in err


def test_stale_fix(mlib, papers):
    paper = papers / "paper.md"
    before = paper.read_text(encoding="utf-8")
    code, out, _ = run(mlib, "stale", "--fix", "--tracked", str(paper))
    # the retracted and the superseded claims' own wordings are stale too, and are left to fix by hand
    assert code == 1
    assert out.splitlines() == [
        f"{paper}:7: fixed cdv2-context: '4096' -> '~~4096~~ 8192 (corrected by A. Reader)'",
        f"{paper}:8: fixed gpt3-corpus: 'C4' -> '~~C4~~ Common Crawl (corrected by A. Author)'",
        f"{paper}:12: not fixed bloom-unknown: the claim was retracted; suggested: 'remove the passage, or rewrite it without the claim'",
        f"{paper}:13: not fixed opt-has-abilities: the claim was superseded by 'opt-partial'; suggested: 'These abilities might be partially in OPT.'",
        "2 fixed, 2 left to fix by hand",
    ]
    after = paper.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert [a for a, _ in changed] == before.splitlines()[6:8]
    code, out, _ = run(mlib, "stale", str(paper))
    assert code == 1 and out.splitlines()[-1] == "2 stale passages"


def test_stale_fix_lists_what_it_left_and_exits_1(mlib, papers):
    notes = papers / "notes.md"
    notes.write_text("text-davinci-001 cannot do chain-of-thought.\n", encoding="utf-8")
    code, out, _ = run(mlib, "stale", "--fix", "--format", "json", str(notes))
    assert code == 1
    (result,) = json.loads(out)
    assert result["fixed"] == [] and result["unfixed"][0]["reason"] == "the whole statement changed"
    assert notes.read_text(encoding="utf-8") == "text-davinci-001 cannot do chain-of-thought.\n"


def test_tracked_needs_fix(mlib, papers):
    code, _, err = run(mlib, "stale", "--tracked", str(papers / "paper.md"))
    assert code == 2 and "--tracked only goes with --fix" in err


def test_pre_commit_hook(mlib, papers, monkeypatch):
    yaml = pytest.importorskip("yaml")
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    hook = hooks["claimtrack-check"]
    assert hook["entry"] == "claimtrack check" and hook["language"] == "python"
    assert hook.get("pass_filenames", True) is True
    files = re.compile(hook["files"])
    assert [bool(files.search(n)) for n in ("paper.md", "ch1.qmd", "paper.tex", "claims/a.toml", "references.bib")] == [
        True, True, True, False, False,
    ]  # fmt: skip
    # As pre-commit runs it: from the repository root, with the staged file names.
    monkeypatch.chdir(mlib.root)
    readme = mlib.root / "README.md"
    readme.write_text("# Notes\n\nNo citations here.\n", encoding="utf-8")
    assert CliRunner().invoke(main, [*hook["entry"].split()[1:], "README.md", str(papers / "clean.md")]).exit_code == 0
    assert CliRunner().invoke(main, [*hook["entry"].split()[1:], "README.md", str(papers / "paper.md")]).exit_code == 1
