"""``report --as-of DATE`` (the library as it stood then) and ``report --since DATE|REF`` (what changed since)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from test_report import build_fixture

import claimtrack
import claimtrack.report as report
from claimtrack.cli import main


def _row(page: str, cid: str) -> str:
    found = re.search(
        rf'<tr data-confidence="[^"]*" data-status="[^"]*" data-tags="[^"]*"><td><a href="#claim-{cid}">.*?\n', page
    )
    assert found is not None, cid
    return found.group(0)


def test_as_of_leaves_out_later_claims_and_shows_old_statements(tmp_path: Path) -> None:
    lib = build_fixture(tmp_path / "lib")
    page = report.render(lib, ["html"], as_of="2022-12-15")["index.html"]
    assert "Claims report · as it stood on 2022-12-15" in page
    rows = re.findall(r'<tr data-confidence="[^"]*" data-status="[^"]*" data-tags="[^"]*"><td><a href="#claim-([^"]+)"', page)
    then = sorted(cid for cid, c in lib.claims.items() if c.created <= claimtrack.model.to_date("2022-12-15"))
    assert rows == then and len(rows) < len(lib.claims)
    assert "4096 tokens" in _row(page, "cdv2-context-window") and "8192" not in _row(page, "cdv2-context-window")
    assert "The audit checks today's files" in page
    today = report.render(lib, ["html"])["index.html"]
    assert "8192 tokens" in _row(today, "cdv2-context-window") and "as it stood on" not in today


def test_since_marks_new_claims_and_changed_statements(tmp_path: Path) -> None:
    lib = build_fixture(tmp_path / "lib")
    page = report.render(lib, ["html"], since="2022-12-15")["index.html"]
    summary = page[page.index('<div class="tally since-tally">') : page.index("</header>")]
    assert "<h2>Since 2022-12-15</h2>" in summary
    assert "<del>4096</del> <ins>8192</ins>" in summary and 'href="#claim-cdv2-context-window"' in summary
    assert "<del>4096</del> <ins>8192</ins>" in _row(page, "cdv2-context-window")
    new = [cid for cid, c in lib.claims.items() if c.created > claimtrack.model.to_date("2022-12-15")]
    assert new and all('<span class="since-new">new</span>' in _row(page, cid) for cid in new)
    assert f"<strong>{len(new)}</strong> new claim" in summary


def test_cli_as_of_and_since(tmp_path: Path) -> None:
    lib = build_fixture(tmp_path / "lib")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["--root", str(lib.root), "report", "--out", str(out), "--format", "html", "--as-of", "2022-12-15"]
    )
    assert result.exit_code == 0, result.output
    assert "as it stood on 2022-12-15" in (out / "index.html").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(lib.root), "report", "--out", str(out), "--since", "2022-13-01"])
    assert result.exit_code == 2 and "--since" in result.output and "Traceback" not in result.output


def test_split_page_marks_the_changed_rows(tmp_path: Path) -> None:
    import json

    from test_report_paged import _paged

    lib = _paged(tmp_path / "lib")
    files = report.render(lib, ["html"], since="2022-12-15")
    text = files["data/claims.js"]
    rows = {row[0]: row for row in json.loads(text[text.index("{") : text.rindex("}") + 1])["rows"]}
    assert "<del>4096</del> <ins>8192</ins>" in rows["cdv2-context-window"][10]
    new = [cid for cid, c in lib.claims.items() if c.created > claimtrack.model.to_date("2022-12-15")]
    assert new and all(rows[cid][10].startswith('<span class="since-new">new</span> ') for cid in new)
    assert "<h2>Since 2022-12-15</h2>" in files["index.html"]
    plain = report.render(lib, ["html"])["data/claims.js"]
    assert all(len(row) == 10 for row in json.loads(plain[plain.index("{") : plain.rindex("}") + 1])["rows"])
