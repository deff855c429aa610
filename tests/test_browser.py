"""The HTML report in a real browser (headless Chromium): it renders, its script runs cleanly, hostile text stays text."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_report import build_fixture

import claimtrack.report as report

CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")) if p and Path(p).is_file()),
    None,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium (/usr/bin/chromium) is not installed"),
]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    return subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    lib = build_fixture(tmp / "lib")
    report.write(lib, tmp / "out", formats=["html"])
    return tmp / "out" / "index.html"


@pytest.fixture(scope="module")
def dumped(page: Path) -> tuple[str, str]:
    run = chromium(page.parent, "--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout, run.stderr


def test_console_capture_works(tmp_path: Path) -> None:
    """A page that does log an error is caught, so an empty list below means something."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom'); missingFunction();</script>", encoding="utf-8")
    run = chromium(tmp_path, "--dump-dom", bad.as_uri())
    errors = console_errors(run.stderr)
    assert any("boom" in e for e in errors) and any("Uncaught" in e for e in errors)


def test_no_console_errors(dumped: tuple[str, str]) -> None:
    assert console_errors(dumped[1]) == []


def test_dom_after_scripts(dumped: tuple[str, str]) -> None:
    dom = dumped[0]
    assert "<h1>Fixture &lt;b&gt;library&lt;/b&gt;</h1>" in dom
    assert 'id="claims-table"' in dom and dom.count("<tr data-confidence=") == 4
    # The script ran: the filter controls are shown, the table is sortable.
    assert '<div class="controls" id="controls">' in dom
    assert "4 of 4 claims" in dom
    assert 'class="claims sortable"' in dom
    assert re.search(r'<ol class="timeline">.*?<del>4096</del> <ins>8192</ins>', dom, flags=re.S)


def test_hostile_bibtex_stays_text(dumped: tuple[str, str]) -> None:
    dom = dumped[0]
    title = re.search(r"<title>(.*?)</title>", dom, flags=re.S)
    assert title is not None and "PWNED" not in title.group(1)
    assert title.group(1) == "Fixture &lt;b&gt;library&lt;/b&gt; — claims report"
    assert not re.search(r"<img\b", dom)
    assert "onerror=" not in re.sub(r"&lt;img src=x onerror=", "", dom)
    assert dom.count("<script") == 1
    assert "&lt;script&gt;window.__pwned=1;document.title='PWNED'&lt;/script&gt; Café notes" in dom
    assert "&lt;img src=x onerror=\"document.title='PWNED'\"&gt; tables | pipes" in dom


def test_screenshot(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    run = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1400,2400", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000  # a blank page of this size is a few kB
    assert console_errors(run.stderr) == []
