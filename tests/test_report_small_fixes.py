"""Small things a reader of the report tripped on: chart ticks and legend, wording, the state's meaning."""

from __future__ import annotations

import re

import pytest
from test_report import build_fixture

import claimtrack
import claimtrack.report as report
from claimtrack.report import charts
from claimtrack.report.charts import KIND_COLORS


@pytest.mark.parametrize("most", [1, 2, 3, 5, 6, 7, 10, 13, 26, 130])
def test_revision_counts_have_whole_ticks(most: int) -> None:
    svg = charts.revisions_chart({("2022-01-01", "created"): most})
    ticks = re.findall(r'text-anchor="end" fill="#5d6d7e">([^<]*)<', svg)
    assert ticks[0] == "0" and all(t.isdigit() for t in ticks), ticks
    assert int(ticks[-1]) >= most and len(set(ticks)) == len(ticks)


def test_legend_is_never_cut_off() -> None:
    every = {(f"2022-{m:02d}-01", kind): 1 for m, kind in enumerate(KIND_COLORS, start=1)}
    svg = charts.revisions_chart(every)
    width = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    height = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(2))
    legend = re.findall(r'<text x="(\d+)" y="(\d+)" fill="#2c3e50">([a-z]+)</text>', svg)
    assert sorted(kind for _, _, kind in legend) == sorted(KIND_COLORS)
    for x, y, kind in legend:
        assert int(x) + 7 * len(kind) <= width and int(y) < height, kind


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    lib = build_fixture(tmp_path_factory.mktemp("small") / "lib")
    return report.render(claimtrack.open(lib.root), ["html"])["index.html"]


def test_an_before_a_vowel(page: str) -> None:
    assert "(an educated-guess expects 0+)" in page and "a educated-guess" not in page


def test_the_state_is_explained(page: str) -> None:
    head = page[page.index('<p class="digest">') : page.index("</p>", page.index('<p class="digest">'))]
    assert re.search(r"<abbr title=\"A fingerprint of the library: SHA-256 over every claim's latest sealed revision", head)
    assert "the same state means the same claims and sources" in page


def test_no_ampersand_before_et_al(page: str) -> None:
    assert "Brown, T. B., Mann, B., et al. (2020)" in page and "&amp; Mann" not in page


def test_uncited_entries_are_formatted_as_the_cited_ones(tmp_path_factory: pytest.TempPathFactory) -> None:
    lib = build_fixture(tmp_path_factory.mktemp("uncited") / "lib")
    with (lib.root / "references.bib").open("a", encoding="utf-8") as f:
        f.write(
            "\n@article{unused2021, title = {An Unused Paper}, author = {Roe, Jane and Poe, Ed},"
            " journal = {Journal of Tests}, volume = {3}, pages = {1--9}, year = {2021}}\n"
        )
    page = report.render(claimtrack.open(lib.root), ["html"])["index.html"]
    uncited = page[page.index('<details class="uncited"') : page.index("</details>", page.index('<details class="uncited"'))]
    assert "not cited by any claim</summary>" in uncited and "shown plainly" not in uncited
    assert (
        '<li id="ref-unused2021"><cite>Roe, J., &amp; Poe, E. (2021). An Unused Paper. <i>Journal of Tests</i>, 3, 1–9.'
        '</cite> <span class="key">[unused2021]</span></li>'
    ) in uncited
