"""The report read at a phone's, a tablet's and a desktop's width in headless Chromium, measured rather than looked at.

At each width: no sideways scroll, no word of the claims list broken across lines, no text column narrower than
about 12 characters; under about 700 px the rows are stacked cards that still filter and sort.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_browser import CHROMIUM, chromium, console_errors
from test_report import build_fixture
from test_report_paged import _paged

import claimtrack
import claimtrack.report as report

PROBE = Path(__file__).resolve().parent / "report_width_probe.js"
WIDTHS = (390, 768, 1400)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium (/usr/bin/chromium) is not installed"),
]


def measure(page: Path, width: int) -> dict[str, object]:
    """Show a copy of `page` with the probe in a frame `width` px wide and return what the probe measured."""
    probe = page.with_name(f"width-{page.stem}.html")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
    probe.write_text(html.replace("</body>", f"<script>\n{PROBE.read_text(encoding='utf-8')}</script>\n</body>"), "utf-8")
    frame = page.with_name(f"frame-{page.stem}-{width}.html")
    frame.write_text(
        '<!DOCTYPE html><pre id="probe">waiting</pre>'
        f'<iframe src="{probe.name}" style="width:{width}px;height:900px;border:0"></iframe>'
        '<script>addEventListener("message", function (e) { document.getElementById("probe").textContent = e.data; });'
        "</script>",
        encoding="utf-8",
    )
    run = chromium(page.parent, f"--window-size={width + 40},1000", "--virtual-time-budget=5000", "--dump-dom", frame.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_errors(run.stderr) == []
    found = re.search(r'<pre id="probe">(.*?)</pre>', run.stdout, flags=re.S)
    assert found is not None and found.group(1) != "waiting", run.stdout[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def _tagged(lib: claimtrack.Library) -> claimtrack.Library:
    """Tags, one of them long, on two of the fixture's claims."""
    for cid in ("cdv2-context-window", "long-context-helps"):
        lib.tag(cid, add=["context-window", "in-context-learning-with-code"], by="A. Author", date="2023-03-05")
    return claimtrack.open(lib.root)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("widths")
    report.write(_tagged(build_fixture(tmp / "lib")), tmp / "single", formats=["html"])
    report.write(_tagged(_paged(tmp / "paged-lib")), tmp / "paged", formats=["html"])
    single = [p for p in (tmp / "single").glob("*.html") if p.name != "corrections.html"]
    assert len(single) == 1
    return {"single": single[0], "split": tmp / "paged" / "index.html", "corrections": tmp / "single" / "corrections.html"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", ["single", "split"])
def test_claims_list_reads_at_width(pages: dict[str, Path], kind: str, width: int) -> None:
    got = measure(pages[kind], width)
    assert got["viewport"] == width
    assert got["width"] <= width, f"scrolls sideways: {got['width']} px of content in {width} px"
    assert got["tableScrolls"] is False, f"the claims table scrolls sideways at {width} px"
    assert got["broken"] == [], f"words broken across lines at {width} px: {got['broken']}"
    assert isinstance(got["narrowest"], float) and got["narrowest"] >= 12, got
    assert got["rows"] == 4 and got["filtered"] == 2
    assert got["tagged"] == 2 and got["tagCells"] == (2 if width < 700 or width > 1080 else 0)
    assert got["cards"] is (width < 700)
    assert got["sortable"] >= 5  # the sort headings stay on screen as buttons above the cards


def test_corrections_page_reads_on_a_phone(pages: dict[str, Path]) -> None:
    got = measure(pages["corrections"], 390)
    assert got["viewport"] == 390 and got["width"] <= 390
    assert got["broken"] == []
