"""The manuscript verbs do what they say: check, render, stale --fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.manuscripts import check_manuscripts, render_manuscript
from claimtrack.model import Evidence

NOTICES = Path(__file__).resolve().parent / "data" / "notices"
BY = "A. Author"


@pytest.fixture
def retracted(tmp_path: Path) -> claimtrack.Library:
    """Claims on a retracted source (example2021widgets): one on it alone, one with a sound source too."""
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(NOTICES / "references.bib", root / "references.bib")
    lib = claimtrack.open(root)
    lib.add("only-retracted", "Widgets are sparse, probably.", by=BY, date="2022-01-01",
            evidence=[Evidence("example2021widgets")])  # fmt: skip
    lib.add("mixed", "Widgets are sparse.", by=BY, date="2022-01-01",
            evidence=[Evidence("example2021widgets"), Evidence("sound2020result")])  # fmt: skip
    lib.add("sound", "Widgets are round.", by=BY, date="2022-01-01", evidence=[Evidence("sound2020result")])
    lib.import_notices([NOTICES / "retraction_watch.csv", NOTICES / "crossref.jsonl"], by=BY, date="2026-12-01")
    return claimtrack.open(root)


def _run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args])
    return result.exit_code, result.output


# -- check and render: retracted sources ---------------------------------------------------------------------------


def test_check_fails_on_a_claim_whose_only_source_is_retracted(retracted: claimtrack.Library, tmp_path: Path) -> None:
    paper = tmp_path / "p.md"
    paper.write_text("Widgets are sparse, probably [@claim:only-retracted].\n", encoding="utf-8")
    result = check_manuscripts(retracted, [paper])
    (finding,) = result.findings
    assert (finding.rule, finding.severity, finding.claim, finding.line) == (
        "cites-retracted-source",
        "error",
        "only-retracted",
        1,
    )
    assert "'example2021widgets' was retracted on 2023-03-14" in finding.message
    assert "no other source supports it" in finding.message
    code, out = _run(retracted.root, "check", str(paper))
    assert code == 1 and "1 error" in out


@pytest.mark.parametrize(
    ("severity", "code", "rule_severity"),
    [
        pytest.param("warning", 0, "warning", id="warning"),
        pytest.param("off", 0, None, id="off"),
        pytest.param("error", 1, "error", id="error"),
    ],
)
def test_check_follows_the_configured_severity(
    retracted: claimtrack.Library, tmp_path: Path, severity: str, code: int, rule_severity: str | None
) -> None:
    settings = retracted.root / "claimtrack.toml"
    text = settings.read_text(encoding="utf-8").replace("[rules]", f'[rules]\nretracted-source = "{severity}"')
    settings.write_text(text, encoding="utf-8")
    paper = tmp_path / "p.md"
    paper.write_text("Widgets are sparse [@claim:mixed]. Round [@claim:sound].\n", encoding="utf-8")
    found = check_manuscripts(claimtrack.open(retracted.root), [paper]).findings
    assert [f.severity for f in found if f.rule == "cites-retracted-source"] == ([rule_severity] if rule_severity else [])
    assert _run(retracted.root, "check", str(paper))[0] == code
    if severity == "warning":
        assert _run(retracted.root, "check", "--strict", str(paper))[0] == 1


def test_check_of_a_latex_paper_names_the_retracted_source(retracted: claimtrack.Library, tmp_path: Path) -> None:
    paper = tmp_path / "p.tex"
    paper.write_text("Widgets are sparse~\\claim{sound,mixed}.\n", encoding="utf-8")
    (finding,) = check_manuscripts(retracted, [paper]).findings
    assert (finding.rule, finding.claim) == ("cites-retracted-source", "mixed")
    assert "1 other supporting source(s) stand" in finding.message


@pytest.mark.parametrize(
    ("paper", "expected"),
    [
        pytest.param("Sparse [@claim:only-retracted].\n", "Sparse [@example2021widgets, retracted].\n", id="markdown-bracket"),
        pytest.param(
            "Sparse [@claim:mixed; @claim:sound].\n",
            "Sparse [@example2021widgets, retracted; @sound2020result; @sound2020result].\n",
            id="markdown-several",
        ),
        pytest.param("As @claim:only-retracted shows.\n", "As @example2021widgets [retracted] shows.\n", id="markdown-intext"),
    ],
)
def test_render_marks_a_retracted_source(retracted: claimtrack.Library, tmp_path: Path, paper: str, expected: str) -> None:
    source = tmp_path / "p.md"
    source.write_text(paper, encoding="utf-8")
    result = render_manuscript(retracted, source, tmp_path / "out.md")
    assert result.text == expected


def test_render_marks_a_retracted_source_in_latex(retracted: claimtrack.Library, tmp_path: Path) -> None:
    source = tmp_path / "p.tex"
    source.write_text("Sparse~\\claim{mixed}.\n", encoding="utf-8")
    result = render_manuscript(retracted, source, tmp_path / "out.tex")
    assert result.text == "Sparse~\\cite{sound2020result}~\\cite[retracted]{example2021widgets}.\n"


# -- render --corrections: what changed, never an old sentence as if current ---------------------------------------


def _lib(tmp_path: Path) -> claimtrack.Library:
    return claimtrack.open(claimtrack.init(tmp_path / "lib"))


def _corrections(lib: claimtrack.Library, tmp_path: Path, paper: str, since: str = "2022-01-15", **kw: object) -> str:
    source = tmp_path / "p.md"
    source.write_text(paper, encoding="utf-8")
    text = render_manuscript(lib, source, tmp_path / "out.md", since=since, **kw).text  # type: ignore[arg-type]
    return text.split("## Corrections", 1)[1]


def test_a_fact_only_revision_lists_the_fact_not_the_sentence(tmp_path: Path) -> None:
    lib = _lib(tmp_path)
    lib.add("cx", "ChestX-ray8 has 108,948 images.", by=BY, date="2022-01-01")
    lib.fact("cx", subject="ChestX-ray8", property="images", value="108,948", reason="r", by=BY, date="2022-01-02")
    lib.revise("cx", statement="ChestX-ray8 has 112,120 images.", reason="recount", by=BY, date="2022-02-01")
    lib.fact("cx", subject="ChestX-ray8", property="images", value="112,120", reason="recount", by=BY, date="2022-02-02")
    section = _corrections(lib, tmp_path, "ChestX-ray8 has 112,120 images [@claim:cx].\n")
    (whole, fact) = [line for line in section.splitlines() if line.startswith("- ")]
    assert whole.startswith("- ~~ChestX-ray8 has 108,948 images.~~ ChestX-ray8 has 112,120 images.")
    assert fact.startswith("- ChestX-ray8 images: ~~108,948~~ 112,120 (corrected by A. Author) [update 2022-02-02: recount]")
    assert "has 108,948 images." not in fact and "has 112,120 images." not in fact


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        pytest.param({"confidence": "conclusion"}, "confidence: ~~hypothesis~~ conclusion", id="confidence"),
        pytest.param({"kind": "clarification", "reason": "why"}, None, id="nothing-but-a-reason"),
    ],
)
def test_corrections_show_what_changed(tmp_path: Path, change: dict[str, str], shown: str | None) -> None:
    lib = _lib(tmp_path)
    lib.add("c", "Model X has 8192 tokens.", by=BY, date="2022-01-01")
    if "confidence" in change:
        lib.revise("c", confidence=change["confidence"], reason="more evidence", by=BY, date="2022-02-01")
    else:
        lib.fact("c", subject="Model X", property="tokens", value="8192", kind="update", reason="why", by=BY, date="2022-02-01")
    (entry,) = [line for line in _corrections(lib, tmp_path, "Model X [@claim:c].\n").splitlines() if line.startswith("- ")]
    assert "Model X has 8192 tokens." not in entry
    if shown:
        assert entry.startswith(f"- {shown}")


def test_corrections_escape_the_librarys_text_in_markdown(tmp_path: Path) -> None:
    lib = _lib(tmp_path)
    lib.add("c1", "Model X has 8192 tokens.", by=BY, date="2022-01-01")
    lib.revise("c1", old="8192", new="8192 <script>alert(1)</script>", reason="see ![t](http://evil.example/t.png)",
               credited="<img src=x onerror=alert(1)>", by="T", date="2022-12-20")  # fmt: skip
    section = _corrections(lib, tmp_path, "Model X has 8192 tokens [@claim:c1].\n", since="2022-12-15")
    assert "<script>" not in section and "<img" not in section and "![t](" not in section
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).parse(section)
    rendered = MarkdownIt("commonmark", {"html": True}).renderer.render(html, {"html": True}, {})
    assert "<script" not in rendered and "<img" not in rendered
    assert "&lt;script&gt;" in rendered and "![t](http://evil.example/t.png)" in rendered


def test_corrections_keep_a_statement_with_a_line_break_in_one_item(tmp_path: Path) -> None:
    lib = _lib(tmp_path)
    lib.add("c1", "Model X has 8192 tokens.", by=BY, date="2022-01-01")
    lib.revise("c1", statement="Model X has 4096 tokens.\n- and a list item", reason="r", by=BY, date="2022-12-20")
    section = _corrections(lib, tmp_path, "Model X [@claim:c1].\n", since="2022-12-15")
    assert [line for line in section.splitlines() if line.startswith("- ")] == [
        line for line in section.splitlines() if line.strip().startswith(("-", "*"))
    ]
    assert len([line for line in section.splitlines() if line.startswith("- ")]) == 1


def test_latex_corrections_and_marks_keep_braces_balanced(tmp_path: Path) -> None:
    lib = _lib(tmp_path)
    lib.add("c1", "Model X has 8192 tokens.", by=BY, date="2022-01-01")
    lib.revise("c1", old="8192", new="8192} \\input{/etc/passwd}", reason="x}{", credited="{A", by=BY, date="2022-12-20")
    source = tmp_path / "p.tex"
    source.write_text("Model X~\\claim{c1}.\n", encoding="utf-8")
    result = render_manuscript(lib, source, tmp_path / "o.tex", marks=True, report="x}\\input{/etc/shadow}%", since="2022-12-15")
    text = result.text
    depth = 0
    for i, char in enumerate(text):
        if char in "{}" and (i == 0 or text[i - 1] != "\\"):
            depth += 1 if char == "{" else -1
            assert depth >= 0
    assert depth == 0
    assert "\\input{" not in text


# -- render --marks: the link and the level name -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("output", "link"),
    [
        pytest.param("build/paper.md", "../report/index.html", id="build"),
        pytest.param("paper-out.md", "report/index.html", id="beside-the-library"),
        pytest.param("a/b/c.md", "../../report/index.html", id="deeper"),
    ],
)
def test_marks_link_relative_to_the_output_file(tmp_path: Path, output: str, link: str) -> None:
    lib = _lib(tmp_path)
    lib.add("c1", "Model X has 8192 tokens.", by=BY, date="2022-01-01")
    source = lib.root / "paper.md"
    source.write_text("Model X has 8192 tokens [@claim:c1].\n", encoding="utf-8")
    text = render_manuscript(lib, source, lib.root / output, marks=True).text
    assert f"[hypothesis]({link}#claim-c1)" in text
    target = (lib.root / output).parent / link
    assert target.resolve() == (lib.root / "report" / "index.html").resolve()


def test_marks_keep_an_address_as_given(tmp_path: Path) -> None:
    lib = _lib(tmp_path)
    lib.add("c1", "Model X has 8192 tokens.", by=BY, date="2022-01-01")
    source = lib.root / "paper.md"
    source.write_text("Model X [@claim:c1].\n", encoding="utf-8")
    text = render_manuscript(lib, source, lib.root / "b" / "p.md", marks=True, report="https://example.org/r/").text
    assert "(https://example.org/r/#claim-c1)" in text


def test_a_level_name_cannot_make_a_link_or_a_tag(tmp_path: Path) -> None:
    root = claimtrack.init(tmp_path / "lib")
    settings = root / "claimtrack.toml"
    evil = "x](javascript:alert(document.domain)) <img src=x onerror=alert(1)> [y"
    text = settings.read_text(encoding="utf-8").replace('name = "hypothesis"', f"name = {evil!r}".replace("'", '"'))
    settings.write_text(text, encoding="utf-8")
    lib = claimtrack.open(root)
    lib.add("c1", "Model X has 8192 tokens.", confidence=evil, by=BY, date="2022-01-01")
    source = root / "paper.md"
    source.write_text("Model X [@claim:c1].\n", encoding="utf-8")
    out = render_manuscript(claimtrack.open(root), source, root / "out.md", marks=True).text
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).render(out)
    assert "javascript:" not in html.split('href="')[-1].split('"')[0]
    assert "<img" not in html
    assert html.count("<a href=") == 1


def test_stale_fix_tracked_escapes_the_new_text_and_the_name(tmp_path: Path) -> None:
    from claimtrack.manuscripts import fix_stale

    lib = _lib(tmp_path)
    lib.add("c1", "Model X has a context window of 4096 tokens.", by=BY, date="2022-01-01")
    lib.revise("c1", old="4096", new="8192 <b>x</b>", credited="<img src=x onerror=alert(1)> [l](javascript:x)",
               reason="r", by=BY, date="2022-02-01")  # fmt: skip
    doc = tmp_path / "notes.md"
    doc.write_text("Model X has a context window of 4096 tokens.\n", encoding="utf-8")
    (result,) = fix_stale(claimtrack.open(lib.root), [doc], tracked=True)
    assert len(result.fixed) == 1
    written = doc.read_text(encoding="utf-8")
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).render(written)
    assert "<img" not in html and "<b>" not in html and "<a " not in html
    assert "~~4096~~ 8192 &lt;b&gt;x&lt;/b&gt; (corrected by &lt;img src=x onerror=alert(1)&gt; \\[l\\](javascript:x))" in written
    lib.add("c2", "Model Y has a context window of 2048 tokens.", by=BY, date="2022-01-01")
    lib.revise("c2", old="2048", new="8192 {x} \\input{y}", credited="}{", reason="r", by=BY, date="2022-02-02")
    tex = tmp_path / "notes.tex"
    tex.write_text("Model Y has a context window of 2048 tokens.\n", encoding="utf-8")
    (result,) = fix_stale(claimtrack.open(lib.root), [tex], tracked=True)
    written = tex.read_text(encoding="utf-8")
    assert len(result.fixed) == 1
    assert written == (
        "Model Y has a context window of \\sout{2048} 8192 \\{x\\} \\textbackslash{}input\\{y\\} (corrected by \\}\\{) tokens.\n"
    )


def test_latex_corrections_list_a_fact_change_struck(tmp_path: Path) -> None:
    lib = _lib(tmp_path)
    lib.add("cx", "ChestX-ray8 has 112,120 images.", by=BY, date="2022-01-01")
    lib.fact("cx", subject="ChestX-ray8", property="images", value="108,948", reason="r", by=BY, date="2022-01-02")
    lib.fact("cx", subject="ChestX-ray8", property="images", value="112,120", reason="recount", by=BY, date="2022-02-02")
    source = tmp_path / "p.tex"
    source.write_text("ChestX-ray8 has 112,120 images~\\claim{cx}.\n", encoding="utf-8")
    text = render_manuscript(lib, source, tmp_path / "o.tex", since="2022-01-15").text
    (entry,) = [line for line in text.splitlines() if line.strip().startswith("\\item")]
    assert entry.strip().startswith("\\item ChestX-ray8 images: \\sout{108,948} 112,120 (corrected by A. Author)")
    assert "has 112,120 images" not in entry


def test_import_apply_on_the_command_line_as_reported(tmp_path: Path) -> None:
    lib = _lib(tmp_path)
    lib.add("lee", "Lee et al. reached greater than 93% accuracy on OCT images.", by=BY, date="2022-01-01")
    doc = tmp_path / "d.md"
    doc.write_text("Lee et al. reached ~~greater than 93%~~ more than 93% accuracy on OCT images.\n", encoding="utf-8")
    code, out = _run(lib.root, "import", str(doc), "--apply", "--by", "B", "--date", "2022-02-01")
    assert (
        code == 0
        and "'greater than 93%' -> 'more than 93%'" in out
        and out.endswith("1 applied, 0 already recorded, 0 skipped\n")
    )
    assert claimtrack.open(lib.root).claims["lee"].statement == "Lee et al. reached more than 93% accuracy on OCT images."
