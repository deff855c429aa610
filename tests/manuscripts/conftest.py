"""A small library for manuscript tests: a corrected, a retracted, a superseded, an under-supported claim."""

from __future__ import annotations

from pathlib import Path

import pytest

import claimtrack
from claimtrack.model import Fact

BIB = """\
@article{brown2020language,
  title = {Language Models are Few-Shot Learners},
  author = {Brown, Tom B. and others},
  year = {2020}
}

@article{chen2021codex,
  title = {Evaluating Large Language Models Trained on Code},
  author = {Chen, Mark and others},
  year = {2021}
}

@article{chowdhery2022palm,
  title = {PaLM: Scaling Language Modeling with Pathways},
  author = {Chowdhery, Aakanksha and others},
  year = {2022}
}
"""


def build(root: Path) -> claimtrack.Library:
    """The library the manuscript tests check papers against."""
    root = claimtrack.init(root)
    (root / "references.bib").write_text(BIB, encoding="utf-8")
    lib = claimtrack.open(root)
    by = "A. Author"
    # Corrected by a span edit, with a fact that changed with it.
    lib.add(
        "cdv2-context",
        "code-davinci-002 has a context window of 4096 tokens.",
        confidence="conclusion",
        facts=[Fact("code-davinci-002", "context window", "4096")],
        by=by,
        date="2022-12-11",
    )
    lib.cite("cdv2-context", "chen2021codex", by=by, date="2022-12-11")
    lib.cite("cdv2-context", "brown2020language", by=by, date="2022-12-11")
    claim = lib.claim("cdv2-context")
    lib.append(
        "cdv2-context",
        claimtrack.Revision(
            date="2022-12-18",
            kind="correction",
            by=by,
            credited="A. Reader",
            field="statement",
            old="4096",
            new="8192",
            reason="the window is 8192 tokens",
            remove_facts=claim.facts,
            add_facts=(Fact("code-davinci-002", "context window", "8192"),),
        ),
    )
    # Corrected by a span edit of a name.
    lib.add(
        "gpt3-corpus",
        "The initial GPT-3 was pretrained on C4 data from 2016 to 2019.",
        confidence="hypothesis",
        by=by,
        date="2022-12-11",
    )
    lib.cite("gpt3-corpus", "brown2020language", locator="Table 2.2", by=by, date="2022-12-11")
    lib.revise("gpt3-corpus", old="C4", new="Common Crawl", reason="it is filtered Common Crawl", by=by, date="2023-01-01")
    # A numeric fact with no history: any other share of code is a mismatch.
    lib.add(
        "palm-code",
        "PaLM's pretraining data is 5% code.",
        confidence="hypothesis",
        facts=[Fact("PaLM", "share of code in pretraining data", "5%")],
        by=by,
        date="2022-12-11",
    )
    lib.cite("palm-code", "chowdhery2022palm", by=by, date="2022-12-11")
    # Retracted.
    lib.add("bloom-unknown", "We do not know how BLOOM was trained.", confidence="educated-guess", by=by, date="2022-12-11")
    lib.retract("bloom-unknown", reason="the BLOOM paper says how it was trained", by=by, date="2023-01-02")
    # Superseded by another claim.
    lib.add("opt-has-abilities", "These abilities should also be in OPT.", confidence="hypothesis", by=by, date="2022-12-11")
    lib.cite("opt-has-abilities", "brown2020language", by=by, date="2022-12-11")
    lib.add("opt-partial", "These abilities might be partially in OPT.", confidence="hypothesis", by=by, date="2022-12-20")
    lib.cite("opt-partial", "brown2020language", by=by, date="2022-12-20")
    lib.supersede(
        "opt-has-abilities", by_claim="opt-partial", reason="OPT reproduces only some of them", by=by, date="2022-12-20"
    )
    # Under-supported: a conclusion with one source; and one resting on a claim corrected since.
    lib.add("codex-12b", "Codex is a 12B model.", confidence="conclusion", by=by, date="2022-12-11")
    lib.cite("codex-12b", "chen2021codex", by=by, date="2022-12-11")
    lib.add(
        "long-context-code",
        "Long code files need long context windows.",
        confidence="educated-guess",
        depends_on=["cdv2-context"],
        by=by,
        date="2022-12-12",
    )
    # A whole new statement, not a span edit.
    lib.add("tdv1-cot", "text-davinci-001 cannot do chain-of-thought.", confidence="hypothesis", by=by, date="2022-12-11")
    lib.cite("tdv1-cot", "brown2020language", by=by, date="2022-12-11")
    lib.revise(
        "tdv1-cot",
        statement="text-davinci-001 can do chain-of-thought, but much worse than code-davinci-002.",
        reason="the first CoT paper reports it",
        credited="Denny Zhou",
        by=by,
        date="2022-12-15",
    )
    return claimtrack.open(root)


@pytest.fixture(scope="session")
def _library_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("manuscripts") / "lib"
    build(root)
    return root


@pytest.fixture
def mlib(tmp_path: Path, _library_template: Path) -> claimtrack.Library:
    """A fresh copy of the manuscript tests' library."""
    import shutil

    root = tmp_path / "lib"
    shutil.copytree(_library_template, root, ignore=shutil.ignore_patterns(".claimtrack"))
    return claimtrack.open(root)
