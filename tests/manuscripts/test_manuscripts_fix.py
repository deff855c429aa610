"""stale --fix: the stale sentence rewritten, and nothing else in the file, byte for byte."""

from __future__ import annotations

import os

import pytest

from claimtrack.manuscripts import StalePassage, fix_stale, parse_manuscript
from claimtrack.manuscripts.fix import plan_fixes

NOTES = (
    "# Notes\r\n"
    "\r\n"
    "Some *context* first.\r\n"
    "code-davinci-002 has a context window of 4096 tokens, which is long.\r\n"
    "The initial GPT-3 was pretrained on\r\n"
    "C4 data from 2016 to 2019.\r\n"
    "text-davinci-001 cannot do chain-of-thought.\r\n"
    "Unrelated: C4 is a corpus of its own.\r\n"
)


@pytest.fixture
def notes(tmp_path):
    path = tmp_path / "notes.md"
    path.write_bytes("\ufeff".encode() + NOTES.encode())
    os.chmod(path, 0o600)
    return path


def test_fix_rewrites_only_the_stale_spans(mlib, notes):
    (result,) = fix_stale(mlib, [notes])
    assert [(f.claim, f.line, f.old, f.new) for f in result.fixed] == [
        ("cdv2-context", 4, "4096", "8192"),
        ("gpt3-corpus", 6, "C4", "Common Crawl"),
    ]
    expected = NOTES.replace("window of 4096", "window of 8192").replace("\r\nC4 data", "\r\nCommon Crawl data")
    assert notes.read_bytes() == "\ufeff".encode() + expected.encode()
    assert notes.stat().st_mode & 0o777 == 0o600


def test_a_whole_statement_change_is_listed_with_the_suggested_text(mlib, notes):
    (result,) = fix_stale(mlib, [notes])
    (left,) = result.unfixed
    assert (left.claim, left.line, left.reason) == ("tdv1-cot", 7, "the whole statement changed")
    assert left.suggestion == "text-davinci-001 can do chain-of-thought, but much worse than code-davinci-002."


def test_tracked_fix_credits_the_person_and_is_idempotent(mlib, notes):
    fix_stale(mlib, [notes], tracked=True)
    text = notes.read_bytes().decode("utf-8-sig")
    assert "window of ~~4096~~ 8192 (corrected by A. Reader) tokens" in text
    assert "\r\n~~C4~~ Common Crawl (corrected by A. Author) data" in text
    once = notes.read_bytes()
    (again,) = fix_stale(mlib, [notes], tracked=True)
    assert again.fixed == () and notes.read_bytes() == once


def test_fixing_twice_changes_nothing(mlib, notes):
    fix_stale(mlib, [notes])
    once = notes.read_bytes()
    (again,) = fix_stale(mlib, [notes])
    assert again.fixed == () and [u.claim for u in again.unfixed] == ["tdv1-cot"]
    assert notes.read_bytes() == once


def test_latex_tracked_fix_uses_sout(mlib, tmp_path):
    path = tmp_path / "paper.tex"
    path.write_text(
        "\\begin{document}\ncode-davinci-002 has a context window of 4096 tokens.\n\\end{document}\n", encoding="utf-8"
    )
    fix_stale(mlib, [path], tracked=True)
    assert "window of \\sout{4096} 8192 (corrected by A. Reader) tokens." in path.read_text(encoding="utf-8")


def test_a_file_without_stale_passages_is_not_written(mlib, tmp_path):
    path = tmp_path / "clean.md"
    path.write_text("code-davinci-002 has a context window of 8192 tokens.\n", encoding="utf-8")
    stamp = path.stat().st_mtime_ns
    (result,) = fix_stale(mlib, [path])
    assert not result.changed and path.stat().st_mtime_ns == stamp


def test_a_retracted_claim_is_listed_not_fixed(mlib, tmp_path):
    path = tmp_path / "notes.md"
    text = "We do not know how BLOOM was trained.\n"
    path.write_text(text, encoding="utf-8")
    (result,) = fix_stale(mlib, [path])
    assert result.fixed == ()
    assert [(u.claim, u.line, u.reason, u.suggestion) for u in result.unfixed] == [
        ("bloom-unknown", 1, "the claim was retracted", "remove the passage, or rewrite it without the claim"),
    ]
    assert path.read_text(encoding="utf-8") == text


def test_a_superseded_claim_suggests_its_successor(mlib):
    passage = StalePassage(
        "opt-has-abilities", "These abilities should also be in OPT.", "These abilities might be partially in OPT.", (),
        70.0, "means the superseded wording", 1, False, "superseded", "opt-partial", 1,
        "These abilities should also be in OPT.",
    )  # fmt: skip
    m = parse_manuscript("These abilities should also be in OPT.\n", path="notes.md")
    text, result = plan_fixes(m, [passage], mlib.claims)
    assert text == m.text and result.fixed == ()
    (left,) = result.unfixed
    assert (left.reason, left.suggestion) == (
        "the claim was superseded by 'opt-partial'",
        "These abilities might be partially in OPT.",
    )
