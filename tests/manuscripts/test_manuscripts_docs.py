"""The examples of README's "Writing a paper" and of docs/manuscripts.md run, and print what they show."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimtrack.cli import main

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "manuscripts.md"

pytestmark = pytest.mark.skipif(not (REPO / "claims").is_dir(), reason="no bundled corpus at the repository root")


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def section(text: str, heading: str) -> str:
    start = text.index(heading)
    following = text.find("\n## ", start + len(heading))
    return text[start : following if following >= 0 else len(text)]


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's library and examples, as the current folder."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "claims", root / "claims")
    shutil.copytree(REPO / "examples", root / "examples")
    for name in ("references.bib", "claimtrack.toml"):
        if (REPO / name).is_file():
            shutil.copy(REPO / name, root / name)
    monkeypatch.chdir(root)
    return root


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


EARLY_NOTES = (
    "# Notes\n\ncode-davinci-002 has a context window of 4096 tokens.\n\n"
    "text-davinci-001, though instruction-tuned, cannot do chain-of-thought reasoning, so instruction tuning is "
    "probably not the source of chain-of-thought and training on code is the main suspect.\n"
)


def test_readme_examples(corpus):
    readme = section((REPO / "README.md").read_text(encoding="utf-8"), "## Writing a paper")
    (markdown,) = blocks(readme, "markdown")
    (latex,) = blocks(readme, "latex")
    (shell,) = blocks(readme, "sh")
    Path("snippet.md").write_text(markdown, encoding="utf-8")
    Path("snippet.tex").write_text(latex, encoding="utf-8")
    code, out = cli("check", "snippet.md", "snippet.tex")
    assert code == 0 and out.splitlines()[-1].startswith("0 errors, ") and "(3 claim citations)" in out
    Path("notes.md").write_text(EARLY_NOTES, encoding="utf-8")
    for line in shell.splitlines():
        args = shlex.split(line.split("#")[0])
        assert args[0] == "claimtrack"
        code, out = cli(*args[1:])
        assert code == 0, (line, out)
    assert "[@chowdhery2022palm; @wei2022chain]" in Path("build/paper.md").read_text(encoding="utf-8")
    assert "~~4096~~ 8192 (corrected by Yao Fu) tokens" in Path("notes.md").read_text(encoding="utf-8")


def test_docs_check_output_is_what_check_prints(corpus):
    text = DOC.read_text(encoding="utf-8")
    console = next(b for b in blocks(text, "console") if b.startswith("$ claimtrack check paper.md"))
    paper = (corpus / "examples" / "paper.md").read_text(encoding="utf-8")
    paper = paper.replace("8192 tokens", "4096 tokens").replace("5% code", "8% code")
    Path("paper.md").write_text(paper.replace("claim:gpt3-context-window", "claim:gpt3-context-windw"), encoding="utf-8")
    code, out = cli("check", "paper.md")
    assert code == 1

    def errors(text: str) -> list[str]:  # the corpus's own support (the warnings) may grow; the paper's errors stay
        return [line for line in text.splitlines() if ": error " in line]

    shown = console.split("\n", 1)[1]
    assert errors(out) == errors(shown) and len(errors(shown)) == 3
    assert out.splitlines()[-1].startswith("3 errors, ")


def test_docs_fix_output_is_what_stale_fix_prints(corpus):
    text = DOC.read_text(encoding="utf-8")
    console = next(b for b in blocks(text, "console") if b.startswith("$ claimtrack stale --fix"))
    Path("notes.md").write_text(EARLY_NOTES, encoding="utf-8")
    code, out = cli("stale", "--fix", "--tracked", "notes.md")
    assert code == 0 and out == console.split("\n", 1)[1]


def test_docs_python_example_runs(corpus):
    (python,) = blocks(DOC.read_text(encoding="utf-8"), "python")
    exec(compile(python, str(DOC), "exec"), {})  # noqa: S102 - the documentation's own example
    assert os.path.getsize("build/paper.md") > 0


@pytest.mark.parametrize("language", ["markdown", "latex"])
def test_docs_citation_examples_are_citations_of_corpus_claims(corpus, language):
    import claimtrack
    from claimtrack.manuscripts import parse_manuscript

    lib = claimtrack.open(corpus)
    snippet = blocks(section(DOC.read_text(encoding="utf-8"), "## Citing a claim"), language)[0]
    manuscript = parse_manuscript(snippet, path="x.tex" if language == "latex" else "x.md")
    cited = [c for g in manuscript.groups for c in g.claims]
    assert len(cited) >= 3 and all(c in lib.claims for c in cited)
