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
#: The article's own claims (created by its first author); the others are the maintainers' findings and the other seeds'.
ARTICLE_CLAIMS = sorted(cid for cid, claim in CLAIMS.items() if claim.revisions[0].by == "Yao Fu")
MAINTAINERS = "claimtrack corpus maintainers"
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
    assert len(CLAIMS) >= 80
    assert len(ARTICLE_CLAIMS) >= 60


def test_references_parse_cleanly():
    assert not BIB.failed_blocks
    counts = Counter(entry.key for entry in BIB.entries)
    assert [key for key, n in counts.items() if n > 1] == []
    assert len(BIB.entries) >= 35


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


@pytest.mark.parametrize("claim_id", ARTICLE_CLAIMS)
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
    for claim_id in ARTICLE_CLAIMS:
        claim = CLAIMS[claim_id]
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


# ---------------------------------------------------------------- the article as it stood at release

LATER_WORDS = [
    pytest.param("001-models-code-or-text", ["mainly"], id="mainly"),
    pytest.param("cdv2-context-window", ["8192"], id="cdv2-8192"),
    pytest.param("gpt3-context-window", ["8192"], id="gpt3-8192"),
    pytest.param("tdv1-weak-cot", ["corrected by Denny Zhou", "can do CoT but"], id="denny-zhou"),
    pytest.param("tdv3-icl-from-lm-mixing", ["LM-mixing", "According to the instructGPT paper"], id="lm-mixing"),
    pytest.param("gpt3-pretraining-corpus", ["Common Crawl"], id="common-crawl"),
    pytest.param("bloom-undertrained", ["Probably", "Chinchilla optimal"], id="bloom"),
    pytest.param("gpt35-four-new-abilities", ["four"], id="four"),
    pytest.param("opt-may-have-abilities", ["partially", "Meta have already done it", "OPT-IML"], id="opt"),
    pytest.param("cdv2-sota-gsm8k", ["upper bound"], id="upper-bound"),
    pytest.param("few-strict-comparisons-dec-2022", ["ChatGPT have"], id="chatgpt"),
    pytest.param("gpt35-beliefs-hard-to-overwrite", ["core belief"], id="core-belief"),
]


@pytest.mark.parametrize("claim_id, later", LATER_WORDS)
def test_as_of_release_quotes_no_later_words(claim_id, later):
    claim = CLAIMS[claim_id]
    then = claim.as_of("2022-12-12")
    first = then.revisions[0]
    words = " ".join([then.statement, first.note or "", *(a.text or "" for a in then.appearances)])
    for phrase in later:
        assert phrase not in words, phrase
    # ... and the revision that brought the later words in also changed the appearance.
    if claim_id != "gpt3-context-window":  # it now quotes only its own sentence, which never changed
        assert then.appearances != claim.appearances
    assert any(phrase in " ".join(a.text or "" for a in claim.appearances) for phrase in later) or claim_id in (
        "gpt3-context-window",
        "opt-may-have-abilities",
    )
    changed = [r for r in claim.revisions[1:] if r.add_appearances or r.remove_appearances]
    if claim_id != "gpt3-context-window":  # its own sentence never changed; it no longer quotes its neighbour
        assert changed and all(r.field == "statement" or r.statement for r in changed)


def _quoted_words(note: str) -> list[str]:
    """Phrases a note quotes as the article's words: 'words ...' (single quotes)."""
    import re

    return re.findall(r"(?:words (?:the [\w' ]+ )?|grades it: |flat )'(.+?)'(?=[,;:)]|$| and | \(|, )", note)


@needs_seeds
@pytest.mark.parametrize("claim_id", sorted(c for c in ARTICLE_CLAIMS if CLAIMS[c].created == RELEASE))
def test_first_state_notes_quote_the_release_text(claim_id):
    release = _release_text()
    for phrase in _quoted_words(CLAIMS[claim_id].revisions[0].note or ""):
        for part in phrase.split(" ... "):  # an elided quote: each part in turn
            assert _plain(part) in release, phrase


def test_first_state_note_of_bloom_cites_its_first_answer():
    first = CLAIMS["bloom-undertrained"].revisions[0]
    assert "do not know" in first.note and "Probably" not in first.note
    assert first.confidence == "educated-guess"
    assert CLAIMS["bloom-undertrained"].confidence == "hypothesis"


# ---------------------------------------------------------------- evidence: once per place, and checkable


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_no_source_cited_twice_at_the_same_place(claim_id):
    claim = CLAIMS[claim_id]
    for state in (claim, *(claim.as_of(r.date) for r in claim.revisions)):
        places = Counter((e.source, e.locator) for e in state.evidence)
        assert [place for place, n in places.items() if n > 1] == []


@pytest.mark.parametrize(
    "claim_id, source, stance, words",
    [
        pytest.param("alignment-tax", "ouyang2022training", "supports", "does not coin", id="alignment-tax-not-coined"),
        pytest.param("instructgpt-sft-models", "openai2022modelindex", "contradicts", "FeedME", id="feedme"),
        pytest.param("cdv2-most-capable", "fu2023complexity", "mentions", "math", id="complexity-maths-only"),
        pytest.param("opt-may-have-abilities", "iyer2022optiml", "mentions", "does not name", id="opt-iml-unnamed"),
    ],
)
def test_evidence_says_what_the_source_says(claim_id, source, stance, words):
    (item,) = [e for e in CLAIMS[claim_id].evidence if e.source == source]
    assert item.stance.value == stance
    assert words in (item.note or "")
    assert "coins" not in (item.note or "")


def test_bibliography_has_no_placeholders():
    assert "others" not in BIB.entries_dict["fu2022emergent"]["author"]
    for entry in BIB.entries:
        assert {"title", "year"} <= set(entry.fields_dict), entry.key
    assert "month" not in BIB.entries_dict["fu2022emergent"].fields_dict  # not known from the seeds
    assert BIB.entries_dict["githubcopilot"]["year"] == "2021"
    assert "chen2021evaluating" in BIB.entries_dict["githubcopilot"]["note"]


# ---------------------------------------------------------------- corrected claims: the audit flags what the article still says

CORRECTED = [
    pytest.param(
        "gpt3-pretraining-mix",
        "60% Common Crawl (2016-2019)",
        "brown2020language",
        "Table 2.2",
        "60% 2016 - 2019 C4",
        "'C4'",
        id="c4",
    ),
    pytest.param(
        "intermediate-models-weaker",
        "text-davinci-001 can do chain-of-thought reasoning only much worse",
        "wei2022chain",
        "arXiv v1",
        "text-davinci-001 cannot do chain-of-thought reasoning",
        "'cannot do chain-of-thought reasoning'",
        id="cannot-do-cot",
    ),
    pytest.param(
        "reasoning-injected-by-code-pretraining",
        "PaLM: 5%",
        "chowdhery2022palm",
        "Table 2",
        "PaLM has 8% code training data",
        "'8%'",
        id="palm-8",
    ),
]


def _findings():
    import claimtrack

    return claimtrack.open(ROOT).audit()


@pytest.mark.parametrize("claim_id, words, paper, locator, article_words, stale_words", CORRECTED)
def test_corrected_claim_keeps_the_article_words_and_the_audit_flags_them(
    claim_id, words, paper, locator, article_words, stale_words
):
    claim = CLAIMS[claim_id]
    # The maintainers' correction says what the cited paper says ...
    (correction,) = [r for r in claim.revisions if r.by == MAINTAINERS and r.field == "statement"]
    assert correction.new in words and words in claim.statement and paper in correction.evidence
    assert any(e.source == paper and e.stance.value == "supports" and e.locator == locator for e in claim.evidence)
    # ... the appearance keeps the article's words, with no note excusing them and no [[ignore]] hiding them ...
    (appearance,) = [a for a in claim.appearances if a.document == ARTICLE and article_words in a.text]
    assert not appearance.note and not claim.ignore
    # ... and the audit says the article still states the old wording.
    flagged = [f for f in _findings() if f.rule == "stale-appearance" and f.claim == claim_id]
    assert len(flagged) == 1 and stale_words in flagged[0].message


def _evidence_keys() -> set[str]:
    return {e.source for claim in CLAIMS.values() for e in claim.evidence}


def test_audit_at_the_root_says_what_is_true_of_the_corpus():
    findings = _findings()
    assert [f for f in findings if f.severity == "error"] == []
    # Found, not corrected: a source contradicts the claim and nobody has answered it.
    # A finding's source is a BibTeX key; a claim cited as evidence is named in the message.
    said = [(f.claim, f"{f.source} {f.message}") for f in findings if f.rule == "contradicted"]
    contradicted = {(claim, key) for claim, text in said for key in _evidence_keys() if f"'{key}'" in text or f"{key} " in text}
    assert contradicted == {
        ("davinci-released-jul-2020", "brown2020language"),
        ("codex-code-data-size", "brown2020language"),
        ("opt-bloom-less-english", "zhang2022opt"),
    }
    # Corrected: the article's words in the three appearances.
    assert {f.claim for f in findings if f.rule == "stale-appearance"} == {
        "gpt3-pretraining-mix",
        "intermediate-models-weaker",
        "reasoning-injected-by-code-pretraining",
    }
    quiet = ("needs-review", "conflicting-facts", "bib-missing-field", "bib-unused", "unsealed-revision", "seals-lost")
    assert not [f for f in findings if f.rule in quiet]


def test_article_figure_without_a_right_value_stays_a_fact_with_a_note():
    claim = CLAIMS["codex-code-data-size"]
    (fact,) = [f for f in claim.facts if f.property == "size of training data"]
    assert fact.value == "570GB" and "Common Crawl" in fact.note
    (against,) = [e for e in claim.evidence if e.source == "brown2020language"]
    assert against.stance.value == "contradicts" and "570GB after filtering" in against.quote and not against.note


def test_palm_conflict_found_and_resolved():
    claim = CLAIMS["reasoning-injected-by-code-pretraining"]
    # Found: the first states of the two claims disagree, as the article's two sections do.
    assert _facts(claim.as_of(claim.created), "PaLM", "share of code in pretraining data") == {"8%"}
    assert _facts(CLAIMS["palm-code-cot"], "PaLM", "share of code in pretraining data") == {"5%"}
    finding = CLAIMS["article-palm-code-share-conflict"]
    quotes = {(e.locator, e.quote) for e in finding.evidence if e.source == ARTICLE}
    assert ("section 3.1", "PaLM has 5% code training data") in quotes
    assert ("section 3.2", "PaLM has 8% code training data") in quotes
    # Resolved: by the PaLM paper's table, quoted where both claims cite it.
    for cited in (finding, claim):
        assert any(e.source == "chowdhery2022palm" and e.quote == "GitHub (code) 5%" for e in cited.evidence)
    assert _facts(claim, "PaLM", "share of code in pretraining data") == {"5%"}


# ---------------------------------------------------------------- as strong as the article, graded by its words

STRENGTH = [
    pytest.param("opt-may-have-abilities", ["Meta has already done it"], ["OPT-IML", "instruction-tuned"], id="opt"),
    pytest.param("gpt3-underperforms-t5", ["small models such as T5"], ["fine-tuned", "much smaller"], id="t5"),
    pytest.param("tdv1-weak-cot", ["may not be the reason", "number one suspect"], ["probably not"], id="tdv1"),
    pytest.param(
        "chatgpt-traded-icl-for-dialog", ["seems to have", "seems not to be strongly affected"], ["little affected"], id="seems"
    ),
    pytest.param(
        "instruction-tuning-unlocks-abilities",
        ["significantly less compute"],
        ["data and compute are orders of magnitude"],
        id="compute",
    ),
]


@pytest.mark.parametrize("claim_id, present, absent", STRENGTH)
def test_statement_is_as_strong_as_the_article(claim_id, present, absent):
    statement = CLAIMS[claim_id].statement
    for words in present:
        assert words in statement, words
    for words in absent:
        assert words not in statement, words


@pytest.mark.parametrize(
    "claim_id, level, words",
    [
        pytest.param("tdv1-weak-cot", "hypothesis", "may not be the reason for CoT", id="tdv1"),
        pytest.param("tdv1-cot-below-cushman", "hypothesis", "presumably not tuned on code", id="tdv1-cushman"),
        pytest.param("cdv2-training-data-2021", "educated-guess", "So it is possible", id="possible"),
        pytest.param("llm-not-replace-search", "educated-guess", "no hard evidence but certain factors indicate so", id="no"),
        pytest.param("bloom-undertrained", "hypothesis", "Probably did not train with enough steps", id="bloom"),
    ],
)
def test_grade_is_derived_from_the_articles_words(claim_id, level, words):
    claim = CLAIMS[claim_id]
    assert claim.confidence == level
    graded = [r for r in claim.revisions if r.confidence == level or r.new == level or r.kind == "created"]
    said = " ".join(f"{r.reason or ''} {r.note or ''}" for r in graded if (r.confidence or r.new) == level)
    assert words in said
    if (SEEDS / "gpt-ability-last-edit-en.md").is_file():
        assert _plain(words) in _last_edit_text()


# ---------------------------------------------------------------- coverage and the article's own inconsistencies

COVERAGE = [
    pytest.param("gpt3-paper-focuses-on-icl", "section 1", "the real focus of GPT-3", id="icl-focus"),
    pytest.param("gpt3-abilities-are-foundations", "section 1", "very important foundations", id="foundations"),
    pytest.param("davinci-released-jul-2020", "section 2", "In Jul 2020", id="jul-2020"),
    pytest.param("cot-key-to-emergent-abilities", "section 3.1", "the key to unlock the emergent abilities", id="cot-key"),
    pytest.param("gpt3-outputs-high-frequency-patterns", "section 3.1", "high-frequency prompt-completion", id="patterns"),
    pytest.param("tdv2-more-aligned-than-cdv2", "section 3.1", "more aligned with humans", id="aligned"),
    pytest.param("strict-reasoning-lm-or-symbolic", "section 6", "a language model or a symbolic system", id="symbolic"),
]


@pytest.mark.parametrize("claim_id, locator, words", COVERAGE)
def test_article_point_is_covered(claim_id, locator, words):
    claim = CLAIMS[claim_id]
    assert any(a.locator == locator and words in a.text for a in claim.appearances if a.document == ARTICLE)
    assert claim.created == RELEASE


def test_cot_key_cites_the_previous_blog_post():
    assert any(
        e.source == "fu2022emergent" and e.stance.value == "supports" for e in CLAIMS["cot-key-to-emergent-abilities"].evidence
    )


@pytest.mark.parametrize(
    "claim_id, quote",
    [
        pytest.param("article-three-abilities-after-four", "Are the above three abilities already there", id="three-four"),
        pytest.param("article-c4-proposal-after-correction", "the 2019-2021 version of C4", id="c4-proposal"),
        pytest.param("article-tdv1-cot-inconsistent", "text-davinci-001 cannot do chain-of-thought reasoning", id="tdv1"),
        pytest.param("article-palm-code-share-conflict", "PaLM has 8% code training data", id="palm"),
        pytest.param("gpt3-web-share-common-crawl", "60% 2016 - 2019 C4", id="web-share"),
    ],
)
def test_articles_inconsistency_is_a_finding(claim_id, quote):
    claim = CLAIMS[claim_id]
    assert claim.revisions[0].by == MAINTAINERS and "article-finding" in claim.tags
    assert any(quote in (e.quote or "") and e.locator for e in claim.evidence if e.source == ARTICLE)
    for evidence in claim.evidence:
        if not evidence.source.startswith("claim:") and evidence.stance.value == "supports":
            assert evidence.locator, evidence.source


@needs_seeds
def test_findings_quote_the_last_edit_and_the_early_copy():
    last = _last_edit_text()
    early = _plain((SEEDS / "gpt-ability-early-zh-en.md").read_text(encoding="utf-8"))
    for claim_id, claim in CLAIMS.items():
        for evidence in claim.evidence:
            if evidence.source == ARTICLE and evidence.quote:
                assert _plain(evidence.quote) in last, (claim_id, evidence.quote)
            if evidence.source == "fu2022gptroadmapearly" and evidence.quote:
                assert _plain(evidence.quote) in early, (claim_id, evidence.quote)


# ---------------------------------------------------------------- the other seeds

OTHER_SEEDS = {
    "stackexchange2023chatgptlineage": "stackexchange-chatgpt-lineage.txt",
    "veekaybee2022chatgpt": "chatgpt-notes-gist.txt",
}
SEED_CLAIMS = sorted(cid for cid, c in CLAIMS.items() if c.revisions[0].by not in ("Yao Fu", MAINTAINERS))


def test_other_seeds_are_sources():
    for key in (*OTHER_SEEDS, "openai2022chatgpt", "openai2022instructgptblog", "openai2022modelindex", "fu2022gptroadmapearly"):
        assert key in KEYS, key
    assert len(SEED_CLAIMS) >= 10
    documents = {a.document for cid in SEED_CLAIMS for a in CLAIMS[cid].appearances}
    assert set(OTHER_SEEDS) <= documents


@needs_seeds
@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_seed_appearances_quote_the_seed(claim_id):
    seeds = {key: _plain((SEEDS / name).read_text(encoding="utf-8")) for key, name in OTHER_SEEDS.items()}
    both = " ".join(seeds.values())
    for appearance in CLAIMS[claim_id].appearances:
        if appearance.document in seeds:
            assert _plain(appearance.text) in seeds[appearance.document], appearance.text
        elif appearance.document != ARTICLE:
            # An OpenAI page the seeds quote: the words are the quote, and the note says where it is quoted.
            assert _plain(appearance.text) in both, appearance.text
            assert "as quoted in" in (appearance.note or "")


@pytest.mark.parametrize("claim_id", SEED_CLAIMS)
def test_seed_claim_is_graded_and_dated_honestly(claim_id):
    claim = CLAIMS[claim_id]
    note = claim.revisions[0].note or ""
    assert "confidence inferred from" in note and "date:" in note
    assert claim.created <= dt.date(2023, 2, 13)  # the latest date the thread shows


def test_seeds_that_contradict_a_claim_are_contradicting_evidence():
    against = {(cid, e.source) for cid, c in CLAIMS.items() for e in c.evidence if e.stance.value == "contradicts"}
    assert ("cdv2-base-not-initial-gpt3", "veekaybee2022chatgpt") in against
    assert ("cdv2-base-not-initial-gpt3", "stackexchange2023chatgptlineage") in against
    supports = {(cid, e.source) for cid, c in CLAIMS.items() for e in c.evidence if e.stance.value == "supports"}
    assert ("gpt3-pretraining-mix", "veekaybee2022chatgpt") in supports  # the gist names Common Crawl


# ---------------------------------------------------------------- the corpus page's examples run


def test_corpus_page_examples_print_what_they_say(monkeypatch, capsys):
    import re

    page = (ROOT / "docs" / "corpus.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, flags=re.S)
    assert len(blocks) == 2
    monkeypatch.chdir(ROOT)
    for block in blocks:
        expected = [m.strip() for line in block.splitlines() for m in re.findall(r"#\s(.+)$", line)]
        assert expected
        exec(compile(block, "docs/corpus.md", "exec"), {})
        printed = capsys.readouterr().out
        for line in expected:
            assert line in printed, line


def test_readme_counts_match_the_corpus():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"hold (\d+) claims and (\d+) sources", readme)
    assert match, "the README's corpus section names its counts"
    assert (int(match[1]), int(match[2])) == (len(CLAIMS), len(BIB.entries))
    # Wherever else the README or docs count the bundled corpus's claims, the count is the corpus's.
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        for found in re.finditer(r"(?:bundled corpus|the corpus)(?:'s)?\s+(?:of\s+)?(\d[\d,]*)\s+claims", text):
            assert int(found[1].replace(",", "")) == len(CLAIMS), f"{path.name}: {found[0]!r}"
