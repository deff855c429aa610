"""The bundled claims corpus (claims/*.toml and references.bib at the repository root)."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import Counter
from pathlib import Path

import bibtexparser
import pytest

from claimtrack.codec import claim_from_raw
from claimtrack.history import replay

ROOT = Path(__file__).resolve().parent.parent
CLAIM_FILES = sorted((ROOT / "claims").glob("*.toml"))
ARTICLE = "fu2022gptroadmap"


def _load(path: Path):
    with path.open("rb") as f:
        return claim_from_raw(tomllib.load(f), file=str(path), expected_id=path.stem)


CLAIMS = {path.stem: _load(path) for path in CLAIM_FILES}
BIB = bibtexparser.parse_string((ROOT / "references.bib").read_text(encoding="utf-8"))
KEYS = {entry.key for entry in BIB.entries}


def _resolves(key: str) -> bool:
    if key.startswith("claim:"):
        return key[len("claim:") :] in CLAIMS
    return key in KEYS


# ---------------------------------------------------------------- loading and counts


@pytest.mark.parametrize("path", CLAIM_FILES, ids=[p.stem for p in CLAIM_FILES])
def test_claim_file_loads(path):
    claim = _load(path)
    assert claim.id == path.stem
    assert claim.revisions[0].kind == "created"


def test_corpus_size():
    assert len(CLAIMS) >= 40


def test_references_parse_cleanly():
    assert not BIB.failed_blocks
    counts = Counter(entry.key for entry in BIB.entries)
    assert [key for key, n in counts.items() if n > 1] == []
    assert len(BIB.entries) >= 20


@pytest.mark.parametrize(
    "key, eprint",
    [
        pytest.param("brown2020language", "2005.14165", id="gpt-3"),
        pytest.param("chen2021evaluating", "2107.03374", id="codex"),
        pytest.param("ouyang2022training", "2203.02155", id="instructgpt"),
        pytest.param("wei2022chain", "2201.11903", id="chain-of-thought"),
        pytest.param("chowdhery2022palm", "2204.02311", id="palm"),
        pytest.param("liang2022holistic", "2211.09110", id="helm"),
        pytest.param("chung2022scaling", "2210.11416", id="flan-palm"),
        pytest.param("sanh2022multitask", "2110.08207", id="t0"),
        pytest.param("wei2022finetuned", "2109.01652", id="flan"),
        pytest.param("press2022train", "2108.12409", id="alibi"),
        pytest.param("fedus2022switch", "2101.03961", id="switch"),
        pytest.param("nakano2021webgpt", "2112.09332", id="webgpt"),
        pytest.param("zhang2022opt", "2205.01068", id="opt"),
        pytest.param("iyer2022optiml", "2212.12017", id="opt-iml"),
        pytest.param("bigscience2022bloom", "2211.05100", id="bloom"),
        pytest.param("hoffmann2022training", "2203.15556", id="chinchilla"),
        pytest.param("raffel2020exploring", "1910.10683", id="t5"),
        pytest.param("fu2023complexity", "2210.00720", id="complexity-prompting"),
    ],
)
def test_required_paper_is_in_references(key, eprint):
    entry = BIB.entries_dict[key]
    assert entry["eprint"] == eprint
    assert entry["archivePrefix"] == "arXiv"


def test_article_entry():
    entry = BIB.entries_dict[ARTICLE]
    assert entry["author"] == "Fu, Yao and Peng, Hao and Khot, Tushar"
    assert entry["url"].startswith("https://yaofu.notion.site/")
    for key in ("openai2022modelindex", "openai2022chatgpt"):
        assert BIB.entries_dict[key].entry_type == "misc"
        assert BIB.entries_dict[key]["url"]


# ---------------------------------------------------------------- references resolve


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_every_reference_resolves(claim_id):
    claim = CLAIMS[claim_id]
    for evidence in claim.evidence:
        assert _resolves(evidence.source), evidence.source
    for appearance in claim.appearances:
        assert appearance.document in KEYS, appearance.document
    for revision in claim.revisions:
        for key in revision.evidence:
            assert _resolves(key), key
        for evidence in (*(revision.set_evidence or ()), *revision.add_evidence, *revision.remove_evidence):
            assert _resolves(evidence.source), evidence.source
        for appearance in (*(revision.set_appearances or ()), *revision.add_appearances):
            assert appearance.document in KEYS
    for dep in claim.depends_on:
        assert dep in CLAIMS, dep


def test_dependencies_have_no_cycle():
    visiting, done = set(), set()

    def visit(claim_id, path):
        assert claim_id not in visiting, " -> ".join([*path, claim_id])
        if claim_id in done:
            return
        visiting.add(claim_id)
        for dep in CLAIMS[claim_id].depends_on:
            visit(dep, [*path, claim_id])
        visiting.discard(claim_id)
        done.add(claim_id)

    for claim_id in CLAIMS:
        visit(claim_id, [])


# ---------------------------------------------------------------- article conventions


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_claim_quotes_the_article(claim_id):
    claim = CLAIMS[claim_id]
    assert any(a.document == ARTICLE and a.locator and a.text for a in claim.appearances)
    assert claim.confidence in ("conclusion", "hypothesis", "educated-guess")
    note = claim.revisions[0].note or ""
    assert "inferred from" in note or "FAQ grades it" in note


@pytest.mark.parametrize(
    "claim_id, level",
    [
        pytest.param("cot-from-code-training", "hypothesis", id="reasoning-from-code"),
        pytest.param("generalization-from-scaling-instructions", "conclusion", id="generalization"),
        pytest.param("gpt35-larger-base-model", "educated-guess", id="larger-base"),
        pytest.param("instruction-tuning-unlocks-abilities", "hypothesis", id="unlock-not-inject"),
    ],
)
def test_faq_graded_claims(claim_id, level):
    claim = CLAIMS[claim_id]
    assert claim.confidence == level
    assert "FAQ grades it" in claim.revisions[0].note
    assert any(a.locator == "FAQ" for a in claim.appearances)


def test_release_date_for_claims_in_the_early_copy():
    later = {"copilot-can-do-cot", "opt-bloom-less-english", "llm-not-replace-search"}
    for claim_id, claim in CLAIMS.items():
        expected = dt.date(2023, 1, 1) if claim_id in later else dt.date(2022, 12, 11)
        assert claim.created == expected, claim_id


# ---------------------------------------------------------------- the corrections


def _find(claim_id, old, new):
    matches = [r for r in CLAIMS[claim_id].revisions if r.old == old and r.new == new]
    assert len(matches) == 1, f"{claim_id}: no single revision {old!r} -> {new!r}"
    return matches[0]


CORRECTIONS = [
    pytest.param("cdv2-context-window", "4096", "8192", "correction", "2022-12-18", None, id="context-window-4096-8192"),
    pytest.param("gpt3-pretraining-corpus", "C4", "Common Crawl", "correction", "2023-01-01", None, id="c4-common-crawl"),
    pytest.param(
        "tdv1-weak-cot",
        "cannot do chain-of-thought reasoning",
        "can do chain-of-thought reasoning but significantly worse",
        "correction",
        "2022-12-18",
        "Denny Zhou",
        id="text-davinci-001-cot",
    ),
    pytest.param(
        "001-models-code-or-text",
        "code-only (code-cushman-001)",
        "code-mainly (code-cushman-001)",
        "correction",
        "2022-12-18",
        None,
        id="code-only-mainly",
    ),
    pytest.param(
        "001-models-code-or-text",
        "text-only (text-davinci-001) purposes",
        "text-mainly (text-davinci-001) purposes, each still on a mixture of text and code",
        "correction",
        "2022-12-18",
        None,
        id="text-only-mainly",
    ),
    pytest.param(
        "opt-may-have-abilities",
        "they should also be in OPT",
        "they might be partially in OPT",
        "hedge",
        "2023-01-01",
        None,
        id="opt-hedge",
    ),
    pytest.param(
        "opt-may-have-abilities",
        "could reproduce them.",
        "could reproduce them; Meta has since instruction-tuned OPT (OPT-IML).",
        "update",
        "2022-12-23",
        None,
        id="opt-iml-update",
    ),
    pytest.param(
        "tdv3-icl-from-lm-mixing",
        "Whether text-davinci-003's recovered in-context learning and better zero-shot ability are a side product of RLHF or of something else is not known.",
        "text-davinci-003's recovered in-context learning comes from the language-modelling mix-in during the RL tuning stage, not from RLHF itself, according to the InstructGPT paper.",
        "update",
        "2022-12-18",
        None,
        id="rlhf-lm-mixing",
    ),
    pytest.param(
        "bloom-undertrained",
        "Why BLOOM is not as strong is not known.",
        "BLOOM is probably not as strong because it was not trained for enough steps: 375 A100 GPUs for two months cannot train a 176B model to the Chinchilla optimum.",
        "update",
        "2023-01-01",
        None,
        id="bloom-steps",
    ),
    pytest.param(
        "gpt35-four-new-abilities",
        "three important abilities",
        "four important abilities",
        "correction",
        "2023-01-01",
        None,
        id="three-four-abilities",
    ),
    pytest.param(
        "few-strict-comparisons-dec-2022", "and Chat have", "and ChatGPT have", "editorial", "2023-01-01", None, id="chatgpt-name"
    ),
    pytest.param(
        "cdv2-sota-gsm8k",
        "such as GSM8K.",
        "such as GSM8K, so its chain-of-thought upper bound is higher than other models'.",
        "clarification",
        "2023-01-01",
        None,
        id="cot-upper-bound",
    ),
    pytest.param(
        "reasoning-injected-by-code-pretraining", "PaLM: 8%", "PaLM: 5%", "correction", "2026-11-23", None, id="palm-8-5"
    ),
]


@pytest.mark.parametrize("claim_id, old, new, kind, date, credited", CORRECTIONS)
def test_correction_is_recorded(claim_id, old, new, kind, date, credited):
    revision = _find(claim_id, old, new)
    assert revision.kind == kind
    assert revision.date == dt.date.fromisoformat(date)
    assert revision.credited == credited
    assert revision.reason
    assert revision.by
    assert new in CLAIMS[claim_id].as_of(revision.date).statement
    if date not in ("2022-12-11", "2022-12-23"):
        assert (revision.note or "").startswith("date:")


@pytest.mark.parametrize(
    "claim_id, key",
    [
        pytest.param("tdv1-weak-cot", "wei2022chain", id="cot-paper"),
        pytest.param("opt-may-have-abilities", "iyer2022optiml", id="opt-iml"),
        pytest.param("tdv3-icl-from-lm-mixing", "ouyang2022training", id="instructgpt"),
        pytest.param("bloom-undertrained", "hoffmann2022training", id="chinchilla"),
        pytest.param("gpt3-pretraining-corpus", "brown2020language", id="gpt-3"),
        pytest.param("reasoning-injected-by-code-pretraining", "chowdhery2022palm", id="palm"),
    ],
)
def test_correction_cites_its_evidence(claim_id, key):
    assert any(key in r.evidence for r in CLAIMS[claim_id].revisions[1:])


def test_copilot_observation_added_as_evidence():
    claim = CLAIMS["cot-from-code-training"]
    added = [r for r in claim.revisions if any(e.source == "claim:copilot-can-do-cot" for e in r.add_evidence)]
    assert len(added) == 1 and added[0].date == dt.date(2023, 1, 1)
    assert claim.as_of("2022-12-31").evidence != claim.evidence


# ---------------------------------------------------------------- facts and the PaLM conflict


def _facts(claim, subject, prop):
    return {f.value for f in claim.facts if f.subject == subject and f.property == prop}


def test_palm_conflict_in_created_states():
    first = {cid: CLAIMS[cid].as_of(CLAIMS[cid].created) for cid in ("palm-code-cot", "reasoning-injected-by-code-pretraining")}
    values = set().union(*(_facts(c, "PaLM", "share of code in pretraining data") for c in first.values()))
    assert values == {"5%", "8%"}


def test_palm_conflict_resolved_now():
    correction = _find("reasoning-injected-by-code-pretraining", "PaLM: 8%", "PaLM: 5%")
    assert correction.by == "claimtrack corpus maintainers"
    assert "chowdhery2022palm" in correction.evidence
    assert "3.1" in correction.reason and "3.2" in correction.reason
    appearance_text = " ".join(a.text for a in CLAIMS["reasoning-injected-by-code-pretraining"].appearances)
    assert "PaLM has 8% code training data" in appearance_text  # the article's words stay as they are


def test_active_claims_agree_on_facts():
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for claim_id, claim in CLAIMS.items():
        if claim.status != "active":
            continue
        for fact in claim.facts:
            seen.setdefault(fact.key, {})[claim_id] = fact.value
    conflicts = {key: values for key, values in seen.items() if len(set(values.values())) > 1}
    assert conflicts == {}


@pytest.mark.parametrize(
    "subject, prop, value",
    [
        pytest.param("GPT-3 davinci", "context window", "2048", id="gpt3-2048"),
        pytest.param("code-davinci-002", "context window", "8192", id="cdv2-8192"),
        pytest.param("GPT-3 davinci", "parameter count", "175B", id="175b"),
        pytest.param("GPT-3 davinci", "pretraining tokens", "300B", id="300b"),
        pytest.param("GPT-3 davinci", "share of Common Crawl in pretraining data", "60%", id="mix-60"),
        pytest.param("GPT-3 davinci", "share of WebText2 in pretraining data", "22%", id="mix-22"),
        pytest.param("GPT-3 davinci", "share of books in pretraining data", "16%", id="mix-16"),
        pytest.param("GPT-3 davinci", "share of Wikipedia in pretraining data", "3%", id="mix-3"),
        pytest.param("Codex", "size of code training data", "159GB", id="159g"),
        pytest.param("GPT-3 davinci", "size of training data", "570GB", id="570g"),
        pytest.param("InstructGPT", "instruction tuning examples", "77K", id="77k"),
        pytest.param("Flan-PaLM", "instruction tuning compute as share of pretraining", "0.4%", id="0.4"),
        pytest.param("T5", "parameter count", "11B", id="11b"),
        pytest.param("code-cushman-001", "parameter count", "12B", id="12b"),
        pytest.param("PaLM", "share of code in pretraining data", "5%", id="palm-code"),
    ],
)
def test_fact_is_recorded(subject, prop, value):
    assert any(_facts(claim, subject, prop) == {value} for claim in CLAIMS.values())


# ---------------------------------------------------------------- history


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_replay_equals_stored_claim(claim_id):
    claim = CLAIMS[claim_id]
    assert replay(claim) == claim


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_revisions_are_in_date_order(claim_id):
    dates = [r.date for r in CLAIMS[claim_id].revisions]
    assert dates == sorted(dates)


# ---------------------------------------------------------------- the seeds, word for word

SEEDS = ROOT.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not (SEEDS / "gpt-ability-early-zh-en.md").is_file(), reason="the seed documents are not here")
RELEASE = dt.date(2022, 12, 11)

# The early copy (2022-12-18) already shows four corrections struck through; undoing them gives the release text.
UNDONE_IN_EARLY_COPY = [
    ("~~4096~~ 8192", "4096"),
    ("~~cannot do CoT~~ (corrected by Denny Zhou) can do CoT but the performance is significantly worse", "cannot do CoT"),
    ("code-~~only~~mainly / text-~~only~~mainly", "code-only / text-only"),
    (
        "~~We are not sure if this is also a side product of RLHF or something else.~~ According to the instructGPT "
        "paper, this is from the LM-mixing during the RL tuning stage (not RLHF itself).",
        "We are not sure if this is also a side product of RLHF or something else.",
    ),
]


def _plain(text: str) -> str:
    """Markdown emphasis, escapes, bullets and line breaks folded away, so quotes compare word for word."""
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line[:2] in ("* ", "- "):
            line = line[2:]
        lines.append(line)
    text = " ".join(lines).replace("\\", "").replace("`", "")
    text = text.replace("**", "")
    return " ".join(text.split())


def _english(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not any("\u4e00" <= ch <= "\u9fff" for ch in line))


def _release_text() -> str:
    text = _plain(_english((SEEDS / "gpt-ability-early-zh-en.md").read_text(encoding="utf-8")))
    for struck, old in UNDONE_IN_EARLY_COPY:
        assert text.count(struck) == 1, struck
        text = text.replace(struck, old)
    assert "~~" not in text
    return text


def _last_edit_text() -> str:
    import re

    text = _plain((SEEDS / "gpt-ability-last-edit-en.md").read_text(encoding="utf-8"))
    return " ".join(re.sub(r"~~.*?~~", "", text).split())


def _quoted(appearances, document=ARTICLE):
    return [a for a in appearances if a.document == document]


@needs_seeds
@pytest.mark.parametrize("claim_id", sorted(c for c in CLAIMS if CLAIMS[c].created == RELEASE))
def test_first_state_quotes_the_release_text(claim_id):
    release = _release_text()
    then = CLAIMS[claim_id].as_of("2022-12-12")
    for appearance in _quoted(then.appearances):
        assert _plain(appearance.text) in release, appearance.text


@needs_seeds
@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_current_appearances_quote_the_last_edit(claim_id):
    last = _last_edit_text()
    for appearance in _quoted(CLAIMS[claim_id].appearances):
        assert _plain(appearance.text) in last, appearance.text
