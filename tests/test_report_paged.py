"""The HTML report split into parts for a large library: index page, data files, bibliography page."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_report import build_fixture

import claimtrack
import claimtrack.report as report
from claimtrack.errors import ClaimtrackError
from claimtrack.report import paged
from claimtrack.report.section_list import SectionList


def _paged(root: Path, pages_from: int = 1) -> claimtrack.Library:
    build_fixture(root)
    with (root / "claimtrack.toml").open("a", encoding="utf-8") as f:
        f.write(f"\n[report]\npages_from = {pages_from}\n")
    return claimtrack.open(root)


def _data(path: Path, call: str) -> object:
    text = path.read_text(encoding="utf-8")
    assert text.startswith(call) and text.endswith(");\n" if call.endswith("(") else ";\n")
    return json.loads(text[len(call) : -3 if call.endswith("(") else -2])


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("paged")
    lib = _paged(tmp / "lib")
    report.write(lib, tmp / "out", formats=["html"])
    return tmp / "out"


def test_files(written: Path) -> None:
    names = sorted(p.relative_to(written).as_posix() for p in written.rglob("*") if p.is_file())
    assert names == [
        "bibliography.html",
        "corrections.html",
        "corrections.xml",
        "data/claims.js",
        "data/details-0.js",
        "index.html",
    ]


def test_index_holds_no_rows_or_sections(written: Path) -> None:
    page = (written / "index.html").read_text(encoding="utf-8")
    assert '<script src="data/claims.js"></script>' in page
    assert "script-src 'self' 'unsafe-inline'" in page
    assert "<tbody>\n    </tbody>" in page
    assert '<article class="claim"' not in page and 'id="pager"' in page
    assert '<a href="bibliography.html">Bibliography</a>' in page


def test_rows_are_the_table(written: Path, tmp_path: Path) -> None:
    data = _data(written / "data" / "claims.js", "window.ctClaims = ")
    assert isinstance(data, dict) and data["chunk"] == paged.CHUNK and data["perPage"] == paged.PER_PAGE
    rows = {row[0]: row for row in data["rows"]}
    assert list(rows) == sorted(rows)
    # id, statement, rank, confidence, status, supporting, minimum (-1: none), revisions, updated, tags
    assert rows["cdv2-context-window"] == [
        "cdv2-context-window",
        "code-davinci-002 has a context window of 8192 tokens.",
        0,
        "conclusion",
        "active",
        1,
        2,
        3,
        "2023-01-01",
        "",
    ]
    assert rows["old-claim"][4] == "retracted"


def test_sections_in_chunks(written: Path) -> None:
    rows = _data(written / "data" / "claims.js", "window.ctClaims = ")["rows"]  # type: ignore[index]
    text = (written / "data" / "details-0.js").read_text(encoding="utf-8")
    assert text.startswith("ctDetails(0, ")
    sections = json.loads(text[len("ctDetails(0, ") : -3])
    assert len(sections) == len(rows)
    for row, section in zip(rows, sections, strict=True):
        assert f'id="claim-{row[0]}"' in section
    # References are filled in, and hostile text stays escaped inside the data.
    assert "\x00" not in text
    assert "<b>bold</b>" not in text and "&lt;b&gt;bold&lt;/b&gt;" in text


def test_bibliography_page_links_back(written: Path) -> None:
    page = (written / "bibliography.html").read_text(encoding="utf-8")
    assert '<a href="index.html#claim-cdv2-context-window">cdv2-context-window</a>' in page
    assert '<a href="index.html">Back to the claims</a>' in page
    assert "<script" not in page


def test_cited_by_is_cut(tmp_path: Path) -> None:
    lib = _paged(tmp_path / "lib")
    for n in range(paged.CITED_BY_LIMIT + 3):
        lib.add(f"many-{n:02d}", f"Claim {n}.", confidence="educated-guess", by="A", date="2023-01-01")
        lib.cite(f"many-{n:02d}", "brown2020language", by="A", date="2023-01-01")
    report.write(lib, tmp_path / "out", formats=["html"])
    page = (tmp_path / "out" / "bibliography.html").read_text(encoding="utf-8")
    cited = re.search(r'id="ref-brown2020language".*?<span class="cited-by">(.*?)</span>', page, flags=re.S)
    assert cited is not None
    assert cited.group(1).count("<a ") == paged.CITED_BY_LIMIT
    assert cited.group(1).endswith(" and 4 more")  # 28 citing claims: the fixture's one and 27 here


def test_small_library_stays_one_page(tmp_path: Path) -> None:
    lib = _paged(tmp_path / "lib", pages_from=100)
    path = report.write(lib, tmp_path / "out", formats=["html", "md"])[0]
    assert path.name == "index.html" and not (tmp_path / "out" / "data").exists()
    assert '<article class="claim"' in path.read_text(encoding="utf-8")


def test_switching_shape_removes_only_its_own_files(tmp_path: Path) -> None:
    lib = _paged(tmp_path / "lib")
    out = tmp_path / "out"
    report.write(lib, out, formats=["html"])
    (out / "data" / "mine.txt").write_text("keep", encoding="utf-8")
    (out / "data" / "details-99.js").write_text("old", encoding="utf-8")
    settings = tmp_path / "lib" / "claimtrack.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("pages_from = 1", "pages_from = 100"), encoding="utf-8")
    report.write(claimtrack.open(tmp_path / "lib"), out, formats=["html"])
    left = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert left == ["corrections.html", "corrections.xml", "data/mine.txt", "index.html"]


@pytest.mark.parametrize("value", ["0", "-3", '"many"', "true", "1.5"])
def test_pages_from_must_be_a_count(tmp_path: Path, value: str) -> None:
    _paged(tmp_path / "lib")
    settings = tmp_path / "lib" / "claimtrack.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("pages_from = 1", f"pages_from = {value}"), encoding="utf-8")
    with pytest.raises(claimtrack.ClaimtrackError) as caught:
        report.render(claimtrack.open(tmp_path / "lib"), ["html"])
    assert str(caught.value).startswith("claimtrack.toml: report.pages_from: must be a whole number of claims")


def test_cli_counts_the_data_files(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from claimtrack.cli import main

    _paged(tmp_path / "lib")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["--root", str(tmp_path / "lib"), "report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        str(out / "index.html"),
        str(out / "bibliography.html"),
        str(out / "corrections.html"),
        str(out / "corrections.xml"),
        str(out / "README.md"),
        f"{out / 'data'}/ (2 files)",
    ]


def test_written_files_are_the_rendered_ones_and_keep_no_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import claimtrack.report.context as context

    lib = _paged(tmp_path / "lib")
    rendered = report.render(lib, ["html", "md"])
    built: list[dict[str, object]] = []
    real = context.build

    def build(*args: object, **kwargs: object) -> dict[str, object]:
        built.append(real(*args, **kwargs))  # type: ignore[arg-type]
        return built[-1]

    monkeypatch.setattr(context, "build", build)
    report.write(claimtrack.open(lib.root), tmp_path / "out", formats=["html", "md"])
    written = {
        p.relative_to(tmp_path / "out").as_posix(): p.read_text(encoding="utf-8")
        for p in (tmp_path / "out").rglob("*")
        if p.is_file()
    }
    assert written == rendered and len(rendered) >= 5
    [ctx] = built
    sections = ctx["sections"]
    assert isinstance(sections, SectionList) and len(sections) == len(ctx["claims"]) > 0


@pytest.mark.parametrize("fail_at", [2, 3], ids=["a-data-file", "after-the-data-files"])
def test_a_report_failing_while_its_files_are_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    from claimtrack.report import markdown

    lib = _paged(tmp_path / "lib")
    calls = [0]
    real_js, real_pieces = paged._js, markdown.markdown_pieces

    def js(payload: object) -> str:
        calls[0] += 1
        if calls[0] == fail_at:
            raise ClaimtrackError("the data could not be made", key="test")
        return real_js(payload)

    monkeypatch.setattr(paged, "_js", js)
    if fail_at == 3:  # the one data file is made; the Markdown report then fails half-way

        def pieces(*args: object, **kwargs: object) -> Iterator[str]:
            yield from itertools.islice(real_pieces(*args, **kwargs), 3)  # type: ignore[arg-type]
            raise ClaimtrackError("the Markdown could not be made", key="test")

        monkeypatch.setattr(markdown, "markdown_pieces", pieces)
    with pytest.raises(ClaimtrackError, match="could not be made"):
        report.write(lib, tmp_path / "new" / "out", formats=["html", "md"])
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("count", [0, 1, 999, 1000, 2500])
def test_claims_data_made_in_pieces_is_the_one_json_of_all_rows(count: int) -> None:
    from claimtrack.report.context import ClaimRow

    rows = [
        ClaimRow(id=f"c{i}", statement='s \u2028 "q" é', confidence="x", rank=1, status="active", supporting=i,
                 contradicting=0, min_support=None if i % 2 else 2, revisions=3, created="", updated="2020")
        for i in range(count)
    ]  # fmt: skip
    pieces = list(paged._claims_js(rows))
    whole = paged._js({"chunk": paged.CHUNK, "perPage": paged.PER_PAGE, "rows": paged._rows(rows)})
    assert "".join(pieces) == f"window.ctClaims = {whole};\n"
    assert len(pieces) == 2 + -(-count // 1000)


def test_a_framed_page_is_its_frame_with_each_part_in_place() -> None:
    from claimtrack.report.html import framed, part_mark

    frame = f"<p>head</p>{part_mark('a')}<p>mid</p>{part_mark('b')}{part_mark('a')}"
    made: list[str] = []

    def part(name: str) -> Iterator[str]:
        made.append(name)
        yield from (f"<{name}1>", f"<{name}2>")

    pieces = framed(frame, {"a": lambda: part("a"), "b": lambda: part("b")})
    assert made == []  # nothing is made before it is read
    assert "".join(pieces) == "<p>head</p><a1><a2><p>mid</p><b1><b2><a1><a2>"


def test_a_title_that_looks_like_a_part_mark_stays_text_on_the_bibliography_page(tmp_path: Path) -> None:
    lib = _paged(tmp_path / "lib")
    toml = tmp_path / "lib" / "claimtrack.toml"
    text = re.sub(r'^title = ".*"$', "", toml.read_text(encoding="utf-8"), flags=re.M)
    toml.write_text('title = "<!--ct-part:uncited_items--> refs"\n' + text, encoding="utf-8")
    files = report.render(claimtrack.open(lib.root), ["html"])
    page = files["bibliography.html"]
    assert "&lt;!--ct-part:uncited_items--&gt; refs" in page and "<!--ct-part" not in page
    assert page.count('<li id="ref-') == len(lib.sources)
