"""The import, diff and stale commands (claimtrack.cli.documents)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_documents_import import build_library

import claimtrack
import claimtrack.cli.documents  # noqa: F401  (registers the commands even before cli/__init__ does)
from claimtrack.cli import main

DATA = Path(__file__).resolve().parent / "data" / "documents"


def run(*args: str, root: Path | None = None) -> tuple[int, str, str]:
    prefix = ["--root", str(root)] if root else []
    result = CliRunner().invoke(main, [*prefix, *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return build_library(tmp_path / "lib").root


@pytest.mark.parametrize("command", ["import", "diff", "stale"])
def test_help_has_an_example(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and "Example:" in out and f"claimtrack {command} " in out


def test_import_text_and_json(root: Path) -> None:
    code, out, _ = run("import", str(DATA / "tracked.md"), root=root)
    assert code == 0
    assert "tracked.md:5: correction 'C4' -> 'Common Crawl'; claim gpt3-pretraining-corpus" in out
    assert "credited Denny Zhou" in out and "dated 2022-12-23" in out
    assert out.rstrip().endswith("9 changes, 4 matched to claims, 5 unmatched")
    code, out, _ = run("import", "--format", "json", str(DATA / "tracked.md"), root=root)
    data = json.loads(out)
    assert data["year"] == 2022 and len(data["changes"]) == 9
    update = next(c for c in data["changes"] if c["kind"] == "update")
    assert update["date"] == "2022-12-23" and update["old"] is None


def test_import_without_a_library_lists_changes_unmatched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("import", str(DATA / "tracked.md"))
    assert code == 0 and "9 changes, 0 matched" in out


def test_import_apply_twice(root: Path, tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("code-davinci-002 has a context window ~~4096~~ **8192**.\n", encoding="utf-8")
    code, out, _ = run("import", "--apply", "--by", "A. Reader", "--date", "2023-01-05", str(doc), root=root)
    assert code == 0 and ": applied" in out and out.rstrip().endswith("1 applied, 0 already recorded, 0 skipped")
    code, out, _ = run("import", "--apply", "--format", "json", str(doc), root=root)
    (change,) = json.loads(out)["changes"]
    assert change["outcome"] == "recorded"


def test_diff(root: Path) -> None:
    code, out, _ = run("diff", str(DATA / "early.md"), str(DATA / "late.md"), root=root)
    assert code == 0
    assert "correction 'three' -> 'four'" in out and "claim gpt3-pretraining-corpus" in out
    code, out, _ = run("diff", "--format", "json", str(DATA / "early.md"), str(DATA / "late.md"), root=root)
    assert {(c["old"], c["new"]) for c in json.loads(out)} >= {("C4", "Common Crawl"), ("three", "four")}


def test_stale_exit_status(root: Path, tmp_path: Path) -> None:
    code, out, _ = run("stale", str(DATA / "stale.md"), root=root)
    assert code == 1
    assert "stale.md:3: gpt3-pretraining-corpus still says 'C4', now 'Common Crawl'" in out
    assert out.rstrip().endswith("3 stale passages")
    code, out, _ = run("stale", "--format", "json", str(DATA / "stale.md"), str(DATA / "clean.txt"), root=root)
    assert code == 1 and {f["line"] for f in json.loads(out)} == {3, 5, 9}
    code, out, _ = run("stale", str(DATA / "clean.txt"), root=root)
    assert code == 0 and "0 stale passages" in out


def test_unreadable_document_exits_2(root: Path, tmp_path: Path) -> None:
    code, out, err = run("stale", str(DATA / "stale.md"), str(tmp_path / "missing.md"), root=root)
    assert code == 2 and out == ""
    assert err.strip() == f"error: {tmp_path / 'missing.md'}: no such document; check the path"
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe\x00")
    code, _, err = run("import", str(bad), root=root)
    assert code == 2 and "bad.md:1: is not UTF-8" in err
    code, _, err = run("diff", str(DATA / "early.md"), str(tmp_path), root=root)
    assert code == 2 and "is a folder" in err


def test_stale_needs_a_library(tmp_path: Path) -> None:
    shutil.copy(DATA / "stale.md", tmp_path / "stale.md")
    code, _, err = run("stale", str(tmp_path / "stale.md"), root=tmp_path / "nowhere")
    assert code == 2 and err.startswith("error: ")


def test_insertions_and_deletions_are_said_in_words(root: Path, tmp_path: Path) -> None:
    (tmp_path / "old.md").write_text("Alpha says one thing.\n\nThis paragraph goes away entirely.\n", encoding="utf-8")
    (tmp_path / "new.md").write_text("Alpha says one thing.\n\nA new paragraph arrives here.\n", encoding="utf-8")
    code, out, _ = run("diff", str(tmp_path / "old.md"), str(tmp_path / "new.md"), root=root)
    assert code == 0
    assert ": correction removed: 'This paragraph goes away entirely.'; no claim matched" in out
    assert ": update added: 'A new paragraph arrives here.'; no claim matched" in out
    assert "- ->" not in out and "-> -" not in out


def test_diff_leaves_out_the_front_matter_unless_asked(root: Path, tmp_path: Path) -> None:
    front = "How does GPT Obtain its Ability?\n\nhttps://example.org/post\n\nA. Author, author@example.org\n\n"
    (tmp_path / "old.md").write_text(
        "Old title\n\nhttps://example.org/old\n\nGPT-3 was pretrained on C4 data.\n", encoding="utf-8"
    )
    (tmp_path / "new.md").write_text(front + "GPT-3 was pretrained on Common Crawl data.\n", encoding="utf-8")
    code, out, _ = run("diff", str(tmp_path / "old.md"), str(tmp_path / "new.md"), root=root)
    assert code == 0
    assert (
        out.splitlines()[-1] == "1 change, 1 matched to claims, 0 unmatched; front matter left out (--front-matter compares it)"
    )
    assert "'C4' -> 'Common Crawl'; claim gpt3-pretraining-corpus" in out
    out = run("diff", "--front-matter", str(tmp_path / "old.md"), str(tmp_path / "new.md"), root=root)[1]
    assert "example.org" in out and "author@example.org" in out
    assert out.splitlines()[-1].startswith("5 changes, 1 matched to claims, 4 unmatched")


def test_diff_apply_writes_the_matched_revisions(root: Path, tmp_path: Path) -> None:
    (tmp_path / "old.md").write_text(
        "code-davinci-002 has a context window of 4096 tokens.\n\nSomething unrelated here.\n", encoding="utf-8"
    )
    (tmp_path / "new.md").write_text(
        "code-davinci-002 has a context window of 8192 tokens.\n\nSomething else here.\n", encoding="utf-8"
    )
    args = ("diff", "--apply", "--by", "A. Reader", "--date", "2023-01-05", str(tmp_path / "old.md"), str(tmp_path / "new.md"))
    code, out, _ = run(*args, root=root)
    assert code == 0, out
    assert "'4096' -> '8192'; claim cdv2-context-window (100): applied" in out
    assert out.splitlines()[-1] == "1 applied, 0 already recorded, 1 skipped"
    claim = claimtrack.open(root).claim("cdv2-context-window")
    assert "8192" in claim.statement and claim.revisions[-1].by == "A. Reader"
    assert run(*args, root=root)[1].splitlines()[-1] == "0 applied, 1 already recorded, 1 skipped"


def test_diff_apply_needs_a_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("One.\n", encoding="utf-8")
    code, _, err = run("diff", "--apply", "a.md", "a.md")
    assert (code, err.count("\n")) == (2, 1)
    assert err.startswith("error: ") and "Traceback" not in err
