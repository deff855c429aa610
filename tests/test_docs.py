"""Every example in README.md, docs/ and the commands' --help runs as written."""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from test_cli_fields import BIB

import claimtrack
from claimtrack.cli import main
from claimtrack.store import parse_claim_text

REPO = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)

DOCUMENTS = {
    "article.md": "code-davinci-002 has a context window of ~~4096~~ 8192 tokens (corrected by A. Reader).\n",
    "early-copy.md": "code-davinci-002 has a context window of 4096 tokens.\n",
    "copy-of-article.md": "As the survey says, code-davinci-002 has a context window of 4096 tokens.\n",
    "README.md": "Notes on code models.\n",
    "notes/models.md": "code-davinci-002 has a context window of 4096 tokens, the notes say.\n",
    "paper.md": "code-davinci-002 has a context window of 4096 tokens [@claim:cdv2-context].\n",
    "paper.tex": "code-davinci-002 has a context window of 4096 tokens \\claim{cdv2-context}.\n",
    "appendix.tex": "It is the strongest model on GSM8K \\claim{cdv2-sota}.\n",
    "notes.md": "code-davinci-002 has a context window of 4096 tokens.\n",
    "new-entries.bib": "@misc{fu2022gptroadmap, title = {How does GPT Obtain its Ability?}, author = {Fu, Yao}, year = {2022}}\n",
    "references.json": '[{"id": "ouyang2022training", "type": "article", "title": "Training language models to follow instructions with human feedback", "author": [{"family": "Ouyang", "given": "Long"}], "issued": {"date-parts": [[2022, 3, 4]]}, "DOI": "10.48550/arXiv.2203.02155", "URL": "https://arxiv.org/abs/2203.02155"}]',
    "zotero-export.json": '[{"id": "fu2022gptroadmap", "type": "webpage", "title": "How does GPT Obtain its Ability?", "author": [{"family": "Fu", "given": "Yao"}], "issued": {"date-parts": [[2022, 12]]}, "DOI": "10.48550/arXiv.2203.02155", "URL": "https://arxiv.org/abs/2203.02155"}]',
    "doi-cache.json": '{"format": 1, "answers": {"doi:10.48550/arxiv.2203.02155": {"media": "application/vnd.citationstyles.csl+json", "body": "{\\"id\\": \\"https://doi.org/10.48550/arxiv.2203.02155\\", \\"type\\": \\"article\\", \\"title\\": \\"Training language models to follow instructions with human feedback\\", \\"author\\": [{\\"family\\": \\"Ouyang\\", \\"given\\": \\"Long\\"}], \\"issued\\": {\\"date-parts\\": [[2022, 3, 4]]}, \\"DOI\\": \\"10.48550/arXiv.2203.02155\\", \\"URL\\": \\"https://arxiv.org/abs/2203.02155\\"}", "url": "", "fetched": "2026-12-01"}}}',
}


def blocks(path: Path, *languages: str) -> list[str]:
    return [body for lang, body in FENCE.findall(path.read_text(encoding="utf-8")) if lang in languages]


def shell_lines(text: str) -> Iterator[str]:
    """The commands of a shell block: continuations joined, comments dropped."""
    for line in text.replace("\\\n", " ").splitlines():
        line = line.split("  #", 1)[0].strip().removeprefix("$ ")
        if line and not line.startswith("#"):
            yield line


def run_line(line: str, cwd: Path) -> Path:
    """Run one shell line of claimtrack commands (``&&``, ``cd``, ``printf ... |``) in ``cwd``; return the new cwd."""
    for part in line.split(" && "):
        words = shlex.split(part)
        if words[0] == "cd":
            cwd = cwd / words[1]
            continue
        stdin = None
        if words[0] == "printf":
            bar = words.index("|")
            stdin, words = words[1].replace("\\n", "\n"), words[bar + 1 :]
        if words[0] == "pip" or words[0] == "python":
            continue  # the set-up commands: the suite itself runs them
        if words[0] == "git":
            # the editor a commit with no -m opens is one that keeps git's message (a merge's) as it is
            done = subprocess.run(words, cwd=cwd, capture_output=True, text=True, env={**os.environ, "GIT_EDITOR": "true"})
            # "nothing to commit" is git's exit 1: the example's commit has nothing new when nothing conflicted
            # (and a plain commit with no message is refused, exit 1, as it would be for a person who gave none)
            assert done.returncode == 0 or (words[1] == "commit" and done.returncode == 1), f"`{line}`: {done.stderr}"
            continue
        assert words[0] == "claimtrack", line
        expanded = [match for w in words[1:] for match in (sorted(glob.glob(w, root_dir=cwd)) if "*" in w else [w])]
        here = Path.cwd()
        os.chdir(cwd)
        try:
            result = CliRunner().invoke(main, expanded, input=stdin, catch_exceptions=False)
        finally:
            os.chdir(here)
        allowed = (0, 1) if words[1] in ("audit", "stale", "check", "match") else (0,)  # exit 1: findings, documented
        assert result.exit_code in allowed, f"`{line}` exited {result.exit_code}: {result.stderr}"
        assert "error:" not in result.stderr, f"`{line}`: {result.stderr}"
    return cwd


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the bundled corpus (its claims, sources and settings) to run examples in."""
    for name in ("claims", "references.bib", "claimtrack.toml"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    return tmp_path


def test_readme_shell_and_python_in_reading_order(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shell and Python blocks from `claimtrack init my-survey` on, in the order a reader meets them, each where
    the one before left the reader (the Python blocks in my-survey, beside the corpus as at the repository root)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = [(lang, body) for lang, body in FENCE.findall(readme) if lang in ("sh", "python")]
    start = next(i for i, (_, b) in enumerate(found) if "claimtrack init my-survey" in b)
    cwd = corpus
    pythons = 0
    namespace: dict[str, object] = {}  # one session, as in a notebook
    for lang, block in found[start:]:
        if lang == "python":
            monkeypatch.chdir(cwd)
            exec(compile(block, f"README.md python block {pythons}", "exec"), namespace)
            pythons += 1
            continue
        if "pip install" in block or re.search(r"^git ", block, re.MULTILINE):
            continue  # the development set-up; git's commands want a repository (tests/test_git.py runs them)
        if "examples/" in block:  # "Writing a paper": at the repository root, with its example papers and a note
            shutil.copytree(REPO / "examples", corpus / "examples", dirs_exist_ok=True)
            (corpus / "notes.md").write_text("The initial GPT-3 was pretrained on C4 data from 2016 to 2019.\n", "utf-8")
            for line in shell_lines(block):
                run_line(line, corpus)
            continue
        for line in shell_lines(block):
            cwd = run_line(line, cwd)
    assert cwd == corpus / "my-survey" and pythons == 2
    survey = claimtrack.open(corpus / "my-survey")
    claim = survey.claim("cdv2-context")
    assert claim.statement.endswith("8,192 tokens.") and "code-model" in claim.tags
    assert [f.value for f in claim.facts] == ["8,192"]
    assert survey.claim("cdv2-long-prompts").evidence == ()


def test_readme_quick_start_is_what_ci_runs() -> None:
    """The quick start has exactly two set-up commands (the report at the root, the tests), and .ci/run runs them."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme[readme.index("## Quick start") :]
    (setup,) = [b for b in blocks_of(quick[: quick.index("### ")], "sh")]
    commands = list(shell_lines(setup))
    assert len(commands) == 2
    assert commands[0].endswith("&& claimtrack report") and commands[1].endswith("&& python -m pytest")
    ci = [line.strip() for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    ran = [line for line in ci if line and not line.startswith("#") and ("pip install -e" in line or "pytest" in line)]
    assert ran == commands
    # what a fresh clone does not check is said next to the command
    assert re.search(r"about \d+ of the tests are skipped", quick) and "Chromium" in quick


def test_readme_puts_the_user_first() -> None:
    """The tours and workflows come before the reference sections; internals and figures live in docs/."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    heads = [line[3:] for line in readme.splitlines() if line.startswith("## ")]
    workflows = ["Quick start", "Writing a paper", "Claims in git", "Retractions and corrections of cited papers"]
    reference = heads.index("A claims library")
    assert heads[0] == "Quick start" and all(heads.index(name) < reference for name in workflows)
    assert [name for name in heads if name in workflows] == workflows
    for name in ("Performance", "Files, links and caches"):
        section = readme[readme.index(f"## {name}") :]
        section = section[: section.index("\n## ", 4)]
        assert len(section) < 1200, f"the README's {name} section is a summary; the rest is in docs/"
    for moved in ("malloc_trim", "HMAC", "generation", "cProfile"):
        assert moved not in readme
    assert "malloc_trim" in (REPO / "docs" / "performance.md").read_text(encoding="utf-8")
    assert "flock" in (REPO / "docs" / "internals.md").read_text(encoding="utf-8")
    assert len(readme) < 33_000  # the tours, the workflows and short summaries; the rest is in docs/


def test_doc_links_point_at_files() -> None:
    for doc in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:]+\.md)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).is_file(), f"{doc.name} links to {target}, which is not there"


def blocks_of(text: str, *languages: str) -> list[str]:
    return [body for lang, body in FENCE.findall(text) if lang in languages]


def test_readme_other_shell_blocks_name_real_commands() -> None:
    consoles = [
        "\n".join(line for line in b.splitlines() if line.startswith("$ ")) for b in blocks(REPO / "README.md", "console")
    ]
    for block in blocks(REPO / "README.md", "sh") + consoles:
        for line in shell_lines(block):
            for part in line.split(" && "):
                words = shlex.split(part)
                if words and words[0] == "claimtrack":
                    _parse(words)


@pytest.mark.parametrize("name", ["audit.md", "frames.md"])
def test_python_in_docs_runs(name: str, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(corpus)
    if name == "frames.md":  # the block reads the frames the report command it names writes
        run_line("claimtrack report --format csv,json --out report", corpus)
    for python in blocks(REPO / "docs" / name, "python"):
        exec(compile(python, name, "exec"), {})


def test_the_format_example_is_a_claim_whose_history_replays() -> None:
    (example,) = [b for b in blocks(REPO / "docs" / "format.md", "toml") if b.startswith("id = ")]
    claim = parse_claim_text(example, file="docs/format.md", expected_id="cdv2-context-window")
    from claimtrack.history import replay

    assert replay(claim) == claim


def test_settings_examples_in_the_audit_doc_read(corpus: Path) -> None:
    settings, ignore = blocks(REPO / "docs" / "audit.md", "toml")
    (corpus / "claimtrack.toml").write_text(settings, encoding="utf-8")
    lib = claimtrack.open(corpus)
    assert lib.settings.rules["bib-unused"] == "off"
    assert claimtrack.audit_all(lib).off == ("bib-unused",)
    assert ignore.startswith("[[ignore]]") and 'rule = "stale-appearance"' in ignore


def test_console_lines_in_docs_name_real_commands() -> None:
    for doc in sorted((REPO / "docs").glob("*.md")):
        for block in blocks(doc, "console", "sh"):
            for line in block.splitlines():
                if line.startswith("$ claimtrack"):
                    _parse(shlex.split(line[2:]))


def _parse(words: list[str]) -> None:
    """Fail unless ``words`` parse as a claimtrack command line."""
    try:
        main.make_context("claimtrack", list(words[1:]), resilient_parsing=False)
        command: click.Command = main
        args = list(words[1:])
        while isinstance(command, click.Group) and args:
            ctx = click.Context(command)
            name, found, args = command.resolve_command(ctx, args)
            assert found is not None, words
            command = found
            if not isinstance(command, click.Group):
                command.make_context(name, args)
    except click.UsageError as e:
        pytest.fail(f"`{' '.join(words)}`: {e.format_message()}")


# -- the examples in every command's --help ---------------------------------------------------------------------


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def _examples(command: click.Command) -> list[str]:
    text = command.help or ""
    assert "Example:" in text, f"{command.name} --help has no example"
    body = text.split("Example:", 1)[1].replace("\\\\\n", " ").replace("\\\n", " ")
    return [" ".join(line.split()) for line in body.splitlines() if line.strip().startswith(("claimtrack", "printf"))]


HELP = [(" ".join(path), _examples(command)) for path, command in [((), main), *_commands(main)]]


@pytest.fixture
def survey(tmp_path: Path, plain_git: None) -> Path:
    """A library holding what the help examples name: two claims, two sources, documents that state them, notices
    files, and the files a merge driver is given; all in a git repository with an ``origin/main``."""
    root = claimtrack.init(tmp_path / "survey")
    (root / "references.bib").write_text(BIB, encoding="utf-8")
    lib = claimtrack.open(root)
    lib.add(
        "cdv2-context", "code-davinci-002 has a context window of 4096 tokens.", confidence="conclusion",
        tags=["code-davinci-002", "draft"], by="A. Author", date="2022-12-11",
    )  # fmt: skip
    lib.cite("cdv2-context", "openai2022models", by="A. Author", date="2022-12-11")
    lib.add("cdv2-sota", "code-davinci-002 is the strongest model on GSM8K.", by="A. Author", date="2022-12-11")
    for name, text in DOCUMENTS.items():
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    notices = Path(__file__).resolve().parent / "data" / "notices"
    for name, copy in (("retraction_watch.csv", "retraction_watch.csv"), ("crossref.jsonl", "crossref-works.jsonl"),
                       ("openalex.jsonl", "openalex-works.jsonl")):  # fmt: skip
        shutil.copy(notices / name, root / copy)
    for name in ("BASE", "OURS", "THEIRS"):  # what git hands the merge driver: three versions of claims/x.toml
        text = (root / "claims" / "cdv2-sota.toml").read_text(encoding="utf-8")
        (root / name).write_text(text.replace('id = "cdv2-sota"', 'id = "x"'), encoding="utf-8")
    for args in (("init", "-q", "-b", "main"), ("config", "user.name", "A. Author"), ("config", "user.email", "a@example.org"),
                 ("config", "commit.gpgsign", "false"), ("add", "."), ("commit", "-q", "-m", "survey"),
                 ("update-ref", "refs/remotes/origin/main", "HEAD")):  # fmt: skip
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


@pytest.mark.parametrize(("command", "lines"), HELP, ids=[c or "claimtrack" for c, _ in HELP])
def test_every_help_example_runs(command: str, lines: list[str], survey: Path, tmp_path: Path) -> None:
    """Each command's examples, in order, in the survey library (each example in a fresh copy of it)."""
    assert lines, f"{command} --help has no example"
    own = tmp_path / "own"
    own.mkdir()
    for number, line in enumerate(lines):
        if command in ("", "init"):  # they make a library of their own, one line after another (``cd`` carries over)
            own = run_line(line, own)
            continue
        fresh = tmp_path / f"example-{number}"
        shutil.copytree(survey, fresh)
        if command == "add":  # it adds the claims the other examples start from
            for name in ("cdv2-context", "cdv2-sota"):
                (fresh / "claims" / f"{name}.toml").unlink()
        run_line(line, fresh)


#: The commands in the order a person would run their --help examples, one after another, in one library.
IN_A_ROW = [
    "source", "source add", "source list", "add", "revise", "show", "cite", "annotate", "source export", "source sync",
    "tag", "fact", "appearance", "depend", "history", "log", "list", "search", "match", "import", "diff", "stale", "check",
    "render", "extract", "notices", "notices import", "notices list", "audit", "report", "export", "review", "uncite",
    "supersede", "retract", "seal", "resolve", "git", "git setup", "git merge-driver",
]  # fmt: skip
#: What the person has beside the library: documents, exported notices, a bibliography to add.
AT_HAND = {**DOCUMENTS, "new-entries.bib": BIB}


def test_every_help_example_runs_in_a_row(tmp_path: Path, plain_git: None) -> None:
    """`claimtrack`'s and `init`'s examples, then every other command's, in one fresh library, none reset between."""
    examples = dict(HELP)
    assert set(examples) == {"", "init", *IN_A_ROW}, "place a new command in IN_A_ROW"
    git = [("config", "user.name", "A. Author"), ("config", "user.email", "a@example.org"), ("config", "commit.gpgsign", "false")]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True, capture_output=True)
    for args in git:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)
    own = tmp_path / "own"
    own.mkdir()
    for line in examples[""]:
        own = run_line(line, own)
    for line in examples["init"]:
        run_line(line, tmp_path)
    (root,) = [p for p in tmp_path.iterdir() if p.is_dir() and p.name not in (".git", "own")]
    assert not list((root / "claims").iterdir()) and (root / "references.bib").read_text(encoding="utf-8").strip() == ""
    for name, text in AT_HAND.items():
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    notices = Path(__file__).resolve().parent / "data" / "notices"
    for name, copy in (("retraction_watch.csv", "retraction_watch.csv"), ("crossref.jsonl", "crossref-works.jsonl"),
                       ("openalex.jsonl", "openalex-works.jsonl")):  # fmt: skip
        shutil.copy(notices / name, root / copy)
    for args in (("add", "."), ("commit", "-q", "-m", "survey"), ("update-ref", "refs/remotes/origin/main", "HEAD")):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)
    for command in IN_A_ROW:
        if command == "git merge-driver":  # what git hands the driver: three versions of a claim file
            text = (root / "claims" / "cdv2-sota.toml").read_text(encoding="utf-8").replace('id = "cdv2-sota"', 'id = "x"')
            for name in ("BASE", "OURS", "THEIRS"):
                (root / name).write_text(text, encoding="utf-8")
        for line in examples[command]:
            run_line(line, root)
    lib = claimtrack.open(root)
    assert lib.claims["cdv2-context"].status.value == "retracted" and lib.claims["cdv2-sota"].status.value == "superseded"
    assert lib.claims["cdv2-context"].revisions[-1].credited == "A. Reader"


def test_json_in_docs_parses() -> None:
    import json

    found = [block for doc in sorted((REPO / "docs").glob("*.md")) for block in blocks(doc, "json")]
    assert found
    for block in found:
        json.loads(block)
