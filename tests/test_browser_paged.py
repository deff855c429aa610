"""The split HTML report in headless Chromium: rows drawn from the data file, filter, sort, pages, a claim opened."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from test_browser import CHROMIUM, chromium, console_errors
from test_report_paged import _paged

import claimtrack.report as report

PROBE = Path(__file__).resolve().parent.parent / "bench" / "report_probe.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium (/usr/bin/chromium) is not installed"),
]


def probe_page(out: Path) -> Path:
    """A copy of the report's index.html that runs bench/report_probe.js after the page's own script."""
    shutil.copy(PROBE, out / "probe.js")
    page = (out / "index.html").read_text(encoding="utf-8")
    probe = out / "probe.html"
    probe.write_text(page.replace("</body>", '<script src="probe.js"></script>\n</body>'), encoding="utf-8")
    return probe


def probed(dom: str) -> dict[str, object]:
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, flags=re.S)
    assert found is not None, dom[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("paged-browser")
    report.write(_paged(tmp / "lib"), tmp / "out", formats=["html"])
    probe_page(tmp / "out")
    return tmp / "out"


def test_reader_session(out: Path) -> None:
    url = (out / "probe.html").as_uri() + "?filter=context&open=cdv2-context-window"
    run = chromium(out, "--virtual-time-budget=10000", "--dump-dom", url)
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_errors(run.stderr) == []
    result = probed(run.stdout)
    assert result["rows"] == 4
    assert result["filtered"] == "2 of 4 claims"
    assert result["sortedFirst"] == "old-claim"  # fewest supporting sources first (0), ties in id order
    assert result["pageAt"] == "page 1 of 1"
    assert result["detail"] == "claim-cdv2-context-window"
    # The opened section's reference links point at the bibliography page.
    assert 'href="bibliography.html#ref-brown2020language"' in run.stdout


def test_no_console_errors_on_plain_load(out: Path) -> None:
    run = chromium(out, "--dump-dom", (out / "index.html").as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_errors(run.stderr) == []
    assert "4 of 4 claims" in run.stdout and run.stdout.count("<tr data-confidence=") == 4


def test_phone_width_does_not_scroll_sideways(out: Path) -> None:
    frame = out / "phone.html"
    frame.write_text(
        '<!DOCTYPE html><pre id="probe">waiting</pre>'
        '<iframe src="probe.html?open=long-context-helps" style="width:390px;height:844px;border:0"></iframe>'
        '<script>addEventListener("message", function (e) { document.getElementById("probe").textContent = e.data; });</script>',
        encoding="utf-8",
    )
    run = chromium(out, "--virtual-time-budget=10000", "--dump-dom", frame.as_uri())
    result = probed(run.stdout)
    assert result["viewport"] == 390 and result["detail"] == "claim-long-context-helps"
    assert isinstance(result["width"], int) and result["width"] <= 390


def test_a_split_report_shows_notices_and_sends_their_reference_links_to_the_bibliography(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from test_notices_cli import BY, DATA, RW

    import claimtrack
    from claimtrack.cli import main

    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(DATA / "references.bib", root / "references.bib")
    with (root / "claimtrack.toml").open("a", encoding="utf-8") as f:
        f.write("\n[report]\npages_from = 1\n")
    lib = claimtrack.open(root)
    lib.add("widgets-scale", "Sparse mixtures of widgets scale reasoning.", confidence="hypothesis", by=BY,
            date="2022-01-01", evidence=[claimtrack.Evidence("example2021widgets")])  # fmt: skip
    result = CliRunner().invoke(main, ["--root", str(root), "notices", "import", str(RW), "--by", BY])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    report.write(claimtrack.open(root), out, formats=["html"])
    probe_page(out)
    run = chromium(out, "--virtual-time-budget=10000", "--dump-dom", (out / "probe.html").as_uri() + "?open=widgets-scale")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_errors(run.stderr) == []
    assert probed(run.stdout)["detail"] == "claim-widgets-scale"
    dom = run.stdout
    section = dom[dom.index('<section id="notices">') : dom.index("</section>", dom.index('<section id="notices">'))]
    assert 'href="bibliography.html#ref-example2021widgets"' in section and 'href="#claim-widgets-scale"' in section
    assert re.search(r'id="claim-widgets-scale".*?cites a retracted source</a></h3>', dom, flags=re.S)
    bibliography = (out / "bibliography.html").read_text(encoding="utf-8")
    assert '<a class="notice notice-retracted" href="index.html#notices-example2021widgets">' in bibliography
    assert 'href="#notices-' not in bibliography  # the notices are listed on the first page
