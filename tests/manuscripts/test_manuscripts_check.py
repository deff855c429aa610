"""Checking a paper against the library: each finding at its line, with what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimtrack.errors import DocumentError
from claimtrack.manuscripts import CHECK_RULES, check_manuscripts, parse_manuscript
from claimtrack.manuscripts.check import check_manuscript

DATA = Path(__file__).resolve().parent.parent / "data" / "manuscripts"

# (line, rule, claim) of every finding of paper.md and paper.tex: the two state the same things line for line.
EXPECTED = [
    (7, "states-superseded", "cdv2-context"),
    (8, "states-superseded", "gpt3-corpus"),
    (12, "cites-retracted", "bloom-unknown"),
    (13, "cites-superseded", "opt-has-abilities"),
    (14, "value-mismatch", "palm-code"),
    (15, "cites-under-supported", "codex-12b"),
    (15, "unknown-claim", "cdv2-contxt"),
]


@pytest.mark.parametrize("name", ["paper.md", "paper.tex"])
def test_each_finding_at_its_line(mlib, name):
    result = check_manuscripts(mlib, [DATA / name])
    assert [(f.line, f.rule, f.claim) for f in result.findings] == EXPECTED
    assert result.failed() and (result.errors, result.warnings) == (6, 1)
    assert result.citations == 7
    assert {f.severity for f in result.findings if f.rule == "cites-under-supported"} == {"warning"}
    for finding in result.findings:
        assert finding.severity == CHECK_RULES[finding.rule][0]
        assert finding.file == str(DATA / name)


@pytest.mark.parametrize(
    ("name", "rule", "column", "message", "hint"),
    [
        pytest.param(
            "paper.md", "states-superseded", 42,
            "states a superseded wording of 'cdv2-context': still says '4096', which revision 3 replaced with '8192' (word score 100)",
            "now: 'code-davinci-002 has a context window of 8192 tokens.'", id="current-wording",
        ),
        pytest.param(
            "paper.md", "cites-superseded", 44, "cites 'opt-has-abilities', which is superseded by 'opt-partial'",
            "cite [@claim:opt-partial] instead: 'These abilities might be partially in OPT.'", id="successor-pandoc",
        ),
        pytest.param(
            "paper.tex", "cites-superseded", 54, "cites 'opt-has-abilities', which is superseded by 'opt-partial'",
            "cite \\claim{opt-partial} instead: 'These abilities might be partially in OPT.'", id="successor-latex",
        ),
        pytest.param(
            "paper.md", "cites-retracted", 39,
            "cites 'bloom-unknown', which was retracted on 2023-01-02: the BLOOM paper says how it was trained",
            "remove the citation and what it supports, or cite a claim that still holds", id="retracted",
        ),
        pytest.param(
            "paper.md", "value-mismatch", 7, "gives 8% for PaLM's share of code in pretraining data; 'palm-code' now says 5%",
            "write 5%", id="current-value",
        ),
        pytest.param(
            "paper.tex", "value-mismatch", 7, "gives 8% for PaLM's share of code in pretraining data; 'palm-code' now says 5%",
            "write 5%", id="current-value-latex",
        ),
        pytest.param(
            "paper.md", "unknown-claim", 41, "cites 'cdv2-contxt', which is not a claim", "did you mean 'cdv2-context'?",
            id="did-you-mean",
        ),
        pytest.param(
            "paper.tex", "unknown-claim", 40, "cites 'cdv2-contxt', which is not a claim", "did you mean 'cdv2-context'?",
            id="did-you-mean-latex",
        ),
    ],
)  # fmt: skip
def test_messages(mlib, name, rule, column, message, hint):
    finding = next(f for f in check_manuscripts(mlib, [DATA / name]).findings if f.rule == rule)
    assert (finding.column, finding.message, finding.hint) == (column, message, hint)


@pytest.mark.parametrize("name", ["clean.md", "clean.tex"])
def test_a_clean_paper_has_no_findings(mlib, name):
    result = check_manuscripts(mlib, [DATA / name])
    assert result.findings == ()
    assert not result.failed(strict=True)
    assert result.citations > 0


def check_text(lib, text: str, path: str = "paper.md") -> list[tuple[str, str]]:
    return [(f.rule, f.claim) for f in check_manuscript(lib, parse_manuscript(text, path=path))]


def test_an_earlier_value_in_other_words_is_a_value_mismatch(mlib):
    found = check_manuscript(mlib, parse_manuscript("It reads 4,096 tokens at once [@claim:cdv2-context].", path="p.md"))
    assert [(f.rule, f.column) for f in found] == [("value-mismatch", 10)]
    assert found[0].message == (
        "gives 4,096 (an earlier value of the claim) for code-davinci-002's context window; 'cdv2-context' now says 8192"
    )


def test_one_mistake_is_one_finding(mlib):
    # The old number is both the superseded wording and an earlier value of the fact: reported once.
    assert check_text(mlib, "code-davinci-002 has a context window of 4096 tokens [@claim:cdv2-context].") == [
        ("states-superseded", "cdv2-context")
    ]


def test_a_sentence_is_checked_only_against_the_claims_it_cites(mlib):
    assert check_text(mlib, "code-davinci-002 has a context window of 4096 tokens [@claim:palm-code].") == []


def test_the_sentence_before_is_not_the_citing_one(mlib):
    text = "code-davinci-002 has a context window of 4096 tokens. It is long [@claim:cdv2-context]."
    assert check_text(mlib, text) == []


def test_needs_review(mlib):
    (finding,) = check_manuscript(mlib, parse_manuscript("Long files need long windows [@claim:long-context-code].", path="p.md"))
    assert finding.rule == "cites-needs-review" and finding.severity == "warning"
    assert finding.message == (
        "cites 'long-context-code', which rests on 'cdv2-context', changed on 2022-12-18 after its own last revision (2022-12-12)"
    )
    mlib.review("long-context-code", reason="still holds with 8192 tokens", by="A. Author", date="2022-12-19")
    assert check_text(mlib, "Long files need long windows [@claim:long-context-code].") == []


def test_an_ignored_audit_rule_is_not_reported_for_the_citation(mlib):
    path = mlib.root / "claims" / "codex-12b.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + '\n[[ignore]]\nrule = "under-supported"\nreason = "one paper is enough here"\n',
        encoding="utf-8",
    )
    from claimtrack import open as open_library

    assert check_text(open_library(mlib.root), "Codex is a 12B model [@claim:codex-12b].") == []


def test_a_malformed_id_is_an_unknown_claim_with_a_suggestion(mlib):
    (finding,) = check_manuscript(mlib, parse_manuscript("See [@claim:Codex-12B].", path="p.md"))
    assert (finding.rule, finding.hint) == ("unknown-claim", "did you mean 'codex-12b'?")


def test_an_unreadable_claim_file_is_its_own_finding(mlib):
    (mlib.root / "claims" / "broken.toml").write_text("id = \n", encoding="utf-8")
    from claimtrack import open as open_library

    (finding,) = check_manuscript(open_library(mlib.root), parse_manuscript("See [@claim:broken].", path="p.md"))
    assert finding.rule == "unreadable-claim"
    assert "claims/broken.toml" in finding.message


def test_every_file_is_read_before_any_is_checked(mlib, tmp_path):
    with pytest.raises(DocumentError, match="no such document"):
        check_manuscripts(mlib, [DATA / "paper.md", tmp_path / "missing.md"])


@pytest.mark.parametrize(
    ("text", "claim", "why"),
    [
        pytest.param("text-davinci-001 is unable to do chain-of-thought [@claim:tdv1-cot].", "tdv1-cot",
                     "superseded wording", id="paraphrase-of-a-whole-statement"),
        pytest.param("GPT-3 was first trained on C4 [@claim:gpt3-corpus].", "gpt3-corpus", "states c4", id="old-name-in-other-words"),
        pytest.param("code-davinci-002 reads a 4096-token context [@claim:cdv2-context].", "cdv2-context", "still says '4096'",
                     id="old-number-in-other-words"),
    ],
)  # fmt: skip
def test_a_superseded_wording_in_other_words(mlib, text, claim, why):
    (finding,) = check_manuscript(mlib, parse_manuscript(text, path="p.md"))
    assert (finding.rule, finding.claim) == ("states-superseded", claim)
    assert why in finding.message
