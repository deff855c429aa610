"""`claimtrack log` and the report's corrections page and Atom feed: the whole library's changes, newest first."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.changelog import CORRECTION_KINDS, changelog
from claimtrack.cli import main

BY = "A. Author"
ATOM = "{http://www.w3.org/2005/Atom}"


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def root(cdv2: claimtrack.Library) -> Path:
    """cdv2-context (created, cited, corrected 4096 -> 8192 on 2022-12-18), then hedged, and a retracted claim."""
    lib = cdv2
    lib.revise("cdv2-context", confidence="hypothesis", reason="one source only", by=BY, date="2022-12-20")
    lib.add("old-claim", "Models <b>never</b> reason.", by=BY, date="2022-12-12")
    lib.retract("old-claim", reason="they do", by=BY, date="2022-12-19")
    lib.review("cdv2-context", reason="checked again", by=BY, date="2022-12-21")
    return lib.root


def test_changelog_lists_every_change_newest_first(root):
    entries = changelog(claimtrack.open(root))
    assert [(e.date.isoformat(), e.claim, e.kind) for e in entries] == [
        ("2022-12-21", "cdv2-context", "review"),
        ("2022-12-20", "cdv2-context", "hedge"),
        ("2022-12-19", "old-claim", "retraction"),
        ("2022-12-18", "cdv2-context", "correction"),
        ("2022-12-12", "old-claim", "created"),
        ("2022-12-11", "cdv2-context", "evidence"),
        ("2022-12-11", "cdv2-context", "created"),
    ]
    hedge, correction = entries[1], entries[3]
    assert hedge.changes == ("confidence: ~~conclusion~~ hypothesis",)
    assert correction.changes[0] == "~~4096~~ 8192" and correction.credited == "A. Reader"


def test_log_since_until_and_kinds(root):
    code, out, err = run(root, "log", "--since", "2022-12-18", "--until", "2022-12-20", "--corrections")
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split()[1] for line in lines] == ["cdv2-context", "old-claim", "cdv2-context"]
    assert lines[2] == "2022-12-18  cdv2-context  correction: ~~4096~~ 8192 (corrected by A. Reader) — the window is 8192"
    code, out, _ = run(root, "log", "--kind", "retraction", "--format", "json")
    (entry,) = json.loads(out)
    assert (entry["claim"], entry["kind"], entry["reason"], entry["date"]) == ("old-claim", "retraction", "they do", "2022-12-19")


def test_log_markdown_escapes_library_text(root):
    code, out, _ = run(root, "log", "--format", "markdown", "--kind", "created")
    assert code == 0
    assert "## 2022-12-12" in out and "Models" in out
    assert "<b>" not in out


def test_log_since_a_git_ref(root, plain_git):
    for args in (("init", "-q", "-b", "main"), ("config", "user.name", BY), ("config", "user.email", "a@example.org"),
                 ("add", "."), ("commit", "-q", "-m", "library")):  # fmt: skip
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    code, out, err = run(root, "log", "--since", "HEAD")
    assert code == 0, err
    assert out == ""  # nothing was changed on or after the day of the commit (today): every revision is of 2022
    code, _, err = run(root, "log", "--since", "no-such-ref")
    assert code == 2 and "no-such-ref" in err and len(err.strip().splitlines()) == 1


def test_bad_dates_are_one_line(root):
    code, _, err = run(root, "log", "--since", "2022-13-01")
    assert code == 2 and "is not a day" in err and len(err.strip().splitlines()) == 1


def test_report_has_a_corrections_page_and_a_feed(root, tmp_path):
    lib = claimtrack.open(root)
    paths = claimtrack.report.write(lib, tmp_path / "report", formats=["html"])
    names = {p.name for p in paths}
    assert {"index.html", "corrections.html", "corrections.xml"} <= names
    page = (tmp_path / "report" / "corrections.html").read_text()
    assert "<del>4096</del> 8192" in page and "(corrected by A. Reader)" in page
    assert page.index("2022-12-20") < page.index("2022-12-19") < page.index("2022-12-18")  # newest first
    assert 'href="index.html#claim-cdv2-context"' in page and "<b>never</b>" not in page
    assert "checked again" not in page  # a review changes nothing: not a correction
    feed = ET.parse(tmp_path / "report" / "corrections.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "cdv2-context: hedge",
        "old-claim: retraction",
        "cdv2-context: correction",
    ]
    assert feed.find(f"{ATOM}updated").text == "2022-12-20T00:00:00Z"
    assert "&lt;del&gt;4096&lt;/del&gt; 8192" in (tmp_path / "report" / "corrections.xml").read_text()
    assert len(changelog(lib, kinds=CORRECTION_KINDS)) == 3
