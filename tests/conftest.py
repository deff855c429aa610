"""Shared fixtures: small libraries in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

import claimtrack

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

BIB = """\
@article{brown2020language,
  title = {Language Models are Few-Shot Learners},
  author = {Brown, Tom B. and Mann, Benjamin and others},
  year = {2020},
  eprint = {2005.14165},
  archivePrefix = {arXiv}
}

@article{chen2021codex,
  title = {Evaluating Large Language Models Trained on Code},
  author = {Chen, Mark and others},
  year = {2021}
}
"""


@pytest.fixture
def lib(tmp_path: Path) -> claimtrack.Library:
    """An empty library with two BibTeX entries."""
    root = claimtrack.init(tmp_path / "lib")
    (root / "references.bib").write_text(BIB, encoding="utf-8")
    return claimtrack.open(root)


@pytest.fixture
def cdv2(lib: claimtrack.Library) -> claimtrack.Library:
    """A library holding one claim with a correction."""
    lib.add(
        "cdv2-context",
        "code-davinci-002 has a context window of 4096 tokens.",
        confidence="conclusion",
        tags=["code-davinci-002"],
        by="A. Author",
        date="2022-12-11",
    )
    lib.cite("cdv2-context", "chen2021codex", locator="section 2", by="A. Author", date="2022-12-11")
    lib.revise(
        "cdv2-context",
        old="4096",
        new="8192",
        reason="the window is 8192",
        credited="A. Reader",
        by="A. Author",
        date="2022-12-18",
    )
    return lib


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A library with one source (src1) and one good claim (good), as a folder."""
    path = claimtrack.init(tmp_path / "lib")
    (path / "references.bib").write_text("@misc{src1,\n  title = {A source},\n  year = {2020}\n}\n", encoding="utf-8")
    claimtrack.open(path).add("good", "A good claim.", by="A. Author", date="2022-12-11")
    return path


@pytest.fixture
def plain_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """git as a fresh install has it: no user or system configuration, no repository named by the environment.

    So a test's repository in tmp_path is the only one git sees (even when the tests run from a git hook,
    which sets GIT_DIR), and settings such as merge.conflictStyle do not change what git writes.
    """
    import os

    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    empty = tmp_path_factory.mktemp("gitconfig") / "config"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
