"""The argument graph: layout, marks, links, and the highlight of what a claim rests on and what rests on it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_browser import CHROMIUM, chromium, console_errors

import claimtrack
import claimtrack.report as report
from claimtrack.report.graph import DRAW_LIMIT, graph_svg, layout

BY = "A. Author"


def test_layout_puts_each_claim_after_what_it_rests_on() -> None:
    place = layout({"a": [], "b": ["a"], "c": ["b", "a"], "lone": [], "x": ["y"], "y": ["x"]})
    assert "lone" not in place  # rests on nothing and carries nothing
    assert place["a"][0] == 0 and place["b"][0] == 1 and place["c"][0] == 2
    assert {place["x"][0], place["y"][0]} == {0, 1}  # a circle is broken, not looped on
    assert len(set(place.values())) == len(place)


def test_svg_links_and_marks() -> None:
    svg = graph_svg(
        {"a": [], "b": ["a"], "c": ["b"]},
        rank={"a": 0, "b": 1, "c": 2},
        status={"a": "active", "b": "retracted", "c": "superseded"},
        flagged={"c"},
    )
    assert svg.count('<path class="edge"') == 2 and 'data-from="a" data-to="b"' in svg
    assert '<a href="#claim-b" class="node retracted" data-id="b">' in svg
    assert '<a href="#claim-c" class="node superseded" data-id="c">' in svg
    assert "c has audit findings" in svg and svg.count("audit findings") == 1
    assert 'fill="#2e7d32"' in svg and 'fill="#1e56a0"' in svg and 'fill="#c77c02"' in svg


def test_nothing_to_draw_and_too_much_to_draw() -> None:
    assert "no argument to draw" in graph_svg({"a": []}, {}, {}, set())
    chain = {f"c{i}": [f"c{i - 1}"] if i else [] for i in range(DRAW_LIMIT + 1)}
    assert "too many to draw at once" in graph_svg(chain, {}, {}, set())


@pytest.fixture
def argued(lib: claimtrack.Library) -> claimtrack.Library:
    lib.add("base", "Models are trained on code.", confidence="conclusion", by=BY, date="2022-01-01")
    lib.add("mid", "Code helps reasoning.", confidence="hypothesis", depends_on=["base"], by=BY, date="2022-01-02")
    lib.add("top", "Chain of thought comes from code.", confidence="educated-guess", depends_on=["mid"], by=BY, date="2022-01-03")
    lib.add("side", "Code models are larger.", confidence="hypothesis", depends_on=["base"], by=BY, date="2022-01-04")
    lib.add("alone", "Nothing rests here.", by=BY, date="2022-01-05")
    return claimtrack.open(lib.root)


def test_report_draws_the_argument(argued: claimtrack.Library) -> None:
    page = report.render(argued, ["html"])["index.html"]
    figure = page[page.index('<figure id="argument">') : page.index("</figure>", page.index('<figure id="argument">'))]
    ids = re.findall(r'class="node [a-z]+" data-id="([^"]+)"', figure)
    assert sorted(ids) == ["base", "mid", "side", "top"]
    assert 'href="#claim-top"' in figure and 'id="claim-top"' in page


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium (/usr/bin/chromium) is not installed")
def test_highlight_in_a_browser(argued: claimtrack.Library, tmp_path: Path) -> None:
    report.write(argued, tmp_path / "out", formats=["html"])
    page = tmp_path / "out" / "index.html"
    probe = (
        "<script>window.ctFocus('mid'); var on = [], below = [];"
        "document.querySelectorAll('#argument-graph .node').forEach(function (n) {"
        " if (n.classList.contains('on')) { on.push(n.getAttribute('data-id')); }"
        " if (n.classList.contains('below')) { below.push(n.getAttribute('data-id')); } });"
        "var pre = document.createElement('pre'); pre.id = 'probe';"
        "pre.textContent = on.sort().join(',') + '|' + below.join(',') + '|' +"
        " document.querySelectorAll('#graph-focus option').length; document.body.appendChild(pre);</script>"
    )
    html = page.read_text(encoding="utf-8").replace("</body>", probe + "</body>")
    page.with_name("probe.html").write_text(html, encoding="utf-8")
    run = chromium(tmp_path, "--dump-dom", page.with_name("probe.html").as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_errors(run.stderr) == []
    found = re.search(r'<pre id="probe">(.*?)</pre>', run.stdout)
    assert found is not None
    # mid rests on base; top rests on mid; side rests on base too, but not on mid, so it stays dim.
    assert found.group(1) == "base,mid,top|top|5"
