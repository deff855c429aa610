"""Rendering: claim citations become the sources' citations in the paper's own syntax; the source stays as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimtrack.errors import DocumentError
from claimtrack.manuscripts import parse_manuscript, render_manuscript, render_text

DATA = Path(__file__).resolve().parent.parent / "data" / "manuscripts"


def rendered(lib, text: str, path: str = "paper.md", **options) -> str:
    return render_text(lib, parse_manuscript(text, path=path), **options).text


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param("A [@claim:cdv2-context].", "A [@chen2021codex; @brown2020language].", id="two-sources"),
        pytest.param(
            "A [see @claim:gpt3-corpus, p. 3; @chowdhery2022palm].",
            "A [see @brown2020language, p. 3; @chowdhery2022palm].",
            id="prefix-locator-and-ordinary-key-kept",
        ),
        pytest.param("A [-@claim:palm-code].", "A [-@chowdhery2022palm].", id="suppress-author"),
        pytest.param("As @claim:palm-code says.", "As @chowdhery2022palm says.", id="in-text"),
        pytest.param("A [@claim:bloom-unknown].", "A.", id="no-sources-no-citation"),
        pytest.param("A [@claim:bloom-unknown; @claim:palm-code].", "A [@chowdhery2022palm].", id="no-sources-in-a-group"),
        pytest.param("Code `[@claim:palm-code]` stays.", "Code `[@claim:palm-code]` stays.", id="code-span-untouched"),
    ],
)
def test_pandoc(mlib, text, want):
    assert rendered(mlib, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param("A~\\claim{cdv2-context}.", "A~\\cite{chen2021codex,brown2020language}.", id="two-sources"),
        pytest.param("A~\\claim[p.~3]{gpt3-corpus,codex-12b}.", "A~\\cite[p.~3]{brown2020language,chen2021codex}.", id="options"),
        pytest.param("A~\\claim{bloom-unknown}.", "A.", id="no-sources-no-citation"),
        pytest.param("% \\claim{palm-code}\n", "% \\claim{palm-code}\n", id="comment-untouched"),
    ],
)
def test_latex(mlib, text, want):
    assert rendered(mlib, text, "paper.tex") == want


def test_marks_link_the_confidence_to_the_report(mlib):
    assert rendered(mlib, "A [@claim:palm-code].", marks=True) == (
        "A [@chowdhery2022palm] ([hypothesis](report/index.html#claim-palm-code))."
    )
    assert rendered(mlib, "A~\\claim{palm-code}.", "paper.tex", marks=True, report="../report/index.html") == (
        "A~\\cite{chowdhery2022palm}\\textsuperscript{\\href{../report/index.html\\#claim-palm-code}{hypothesis}}."
    )


def test_corrections_in_the_seed_articles_style(mlib):
    text = rendered(mlib, "A [@claim:cdv2-context]. B [@claim:bloom-unknown]. C [@claim:palm-code].\n", since="2022-12-11")
    section = text.split("## Corrections\n", 1)[1]
    assert section.splitlines()[1:] == [
        "Changes to the claims cited here made after 2022-12-11:",
        "",
        "- code-davinci-002 has a context window of ~~4096~~ 8192 tokens. (corrected by A. Reader) "
        "[update 2022-12-18: the window is 8192 tokens] (claim `cdv2-context`)",
        "- ~~We do not know how BLOOM was trained.~~ [update 2023-01-02: retracted; the BLOOM paper says how it was trained] "
        "(claim `bloom-unknown`)",
    ]


def test_corrections_since_a_later_date_leave_out_the_earlier_ones(mlib):
    text = rendered(mlib, "A [@claim:cdv2-context]. B [@claim:gpt3-corpus].\n", since="2022-12-31")
    assert "~~C4~~ Common Crawl" in text and "4096" not in text


def test_latex_corrections_go_before_the_bibliography(mlib):
    text = rendered(
        mlib, "\\begin{document}\nA~\\claim{gpt3-corpus}.\n\\bibliography{references}\n\\end{document}\n", "paper.tex",
        since="2022-12-11",
    )  # fmt: skip
    assert text.index("\\section*{Corrections}") < text.index("\\bibliography{references}")
    assert "\\item The initial GPT-3 was pretrained on \\sout{C4} Common Crawl data from 2016 to 2019." in text


@pytest.mark.parametrize("name", ["paper.md", "paper.tex"])
def test_rendered_paper_cites_sources_and_no_claims(mlib, tmp_path, name):
    source = tmp_path / name
    source.write_text((DATA / name).read_text(encoding="utf-8").replace("cdv2-contxt", "cdv2-context"), encoding="utf-8")
    before = source.read_bytes()
    out = tmp_path / "out" / name
    out.parent.mkdir()
    result = render_manuscript(mlib, source, out, marks=True, since="2022-12-11")
    text = out.read_text(encoding="utf-8")
    assert result.citations == 7 and result.corrections == 4
    assert source.read_bytes() == before
    running = re.sub(r"```.*?```|\\begin\{verbatim\}.*?\\end\{verbatim\}|`[^`]*`|%[^\n]*", "", text, flags=re.DOTALL)
    assert "claim:" not in running and "\\claim{" not in running
    for key in ("chen2021codex", "brown2020language", "chowdhery2022palm"):
        assert key in text


def test_an_unknown_claim_writes_nothing(mlib, tmp_path):
    out = tmp_path / "out.md"
    with pytest.raises(DocumentError) as caught:
        render_manuscript(mlib, DATA / "paper.md", out)
    assert str(caught.value) == (
        f"{DATA / 'paper.md'}:15:41: cites 'cdv2-contxt', which is not a claim (did you mean 'cdv2-context'?); "
        "nothing was written; fix the ids (see `claimtrack check`)"
    )
    assert not out.exists()


def test_the_source_is_never_the_output(mlib, tmp_path):
    source = tmp_path / "paper.md"
    source.write_text("A [@claim:palm-code].\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="is the manuscript itself"):
        render_manuscript(mlib, source, tmp_path / "." / "paper.md")
    assert source.read_text(encoding="utf-8") == "A [@claim:palm-code].\n"


def test_a_bad_corrections_date(mlib):
    with pytest.raises(DocumentError, match="--corrections"):
        rendered(mlib, "A [@claim:palm-code].", since="last week")


def test_a_claim_whose_file_cannot_be_read_writes_nothing(mlib, tmp_path):
    (mlib.root / "claims" / "broken.toml").write_text("id = \n", encoding="utf-8")
    source = tmp_path / "paper.md"
    source.write_text("A [@claim:broken]. B [@claim:nope].\n", encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        render_manuscript(mlib, source, tmp_path / "out.md")
    assert str(caught.value) == (
        f"{source}:1:4: cites 'broken', whose file cannot be read (see `claimtrack audit`) (and 1 more such citations); "
        "nothing was written; fix the ids (see `claimtrack check`)"
    )
    assert not (tmp_path / "out.md").exists()
