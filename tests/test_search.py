"""The search engine: ranking, numbers and negation, the cached index, duplicates, match, bad input."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

import claimtrack
from claimtrack.errors import ClaimtrackError, DuplicateClaimError
from claimtrack.search import SearchEngine, duplicates, engine_for, match, near_duplicate_of
from claimtrack.search.engine import CLASH_CAP
from claimtrack.search.index import CACHE_NAME
from claimtrack.search.matching import MATCH_THRESHOLD
from claimtrack.search.text import negated, numbers, terms

REPO = Path(__file__).resolve().parent.parent
LABELLED = Path(__file__).resolve().parent / "data" / "search" / "labelled.toml"
DATE = "2022-12-11"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> claimtrack.Library:
    """A copy of the bundled corpus (its index is written to the copy's .claimtrack/)."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(REPO / "claims", root / "claims")
    shutil.copy(REPO / "references.bib", root / "references.bib")
    shutil.copy(REPO / "claimtrack.toml", root / "claimtrack.toml")
    return claimtrack.open(root)


@pytest.fixture
def palm(lib: claimtrack.Library) -> claimtrack.Library:
    lib.add("palm-8", "PaLM has 8% code in its training data.", by="A", date=DATE)
    lib.add("palm-5", "PaLM has 5% code in its training data.", by="A", date=DATE)
    lib.add("gpt3-cot", "The initial GPT-3 cannot do chain-of-thought reasoning.", by="A", date=DATE)
    lib.add("gpt3-window", "The initial GPT-3 has a context window of 2048 tokens.", by="A", date=DATE)
    lib.add("bloom-steps", "BLOOM was not trained for enough steps to reach the Chinchilla optimum.", by="A", date=DATE)
    return lib


def test_terms_numbers_negation() -> None:
    assert terms("PaLM's pretraining data had 8% code, not 5%! @JoeBiden #AustralianFires https://t.co/x") == [
        "palm", "pretrain", "data", "had", "8", "code", "not", "5", "joe", "biden", "australian", "fire",
    ]  # fmt: skip
    assert numbers("GPT-3 and code-davinci-002 on A100s: 4,096 tokens, 8% code, 2016-2019") == {"4096", "8", "2016", "2019"}
    assert negated("GPT-3 can't do it") and negated("it cannot") and not negated("it can")


def test_paraphrases_of_the_corpus_are_found_and_distractors_are_not_stated(corpus: claimtrack.Library) -> None:
    data = tomllib.loads(LABELLED.read_text(encoding="utf-8"))
    reciprocal, first = [], 0
    for item in data["paraphrase"]:
        found = [hit.claim for hit in corpus.search(item["text"], k=5)]
        assert item["claim"] in corpus.claims
        rank = found.index(item["claim"]) + 1 if item["claim"] in found else 0
        reciprocal.append(1 / rank if rank else 0.0)
        first += rank == 1
    assert sum(reciprocal) / len(reciprocal) >= 0.9
    assert first >= len(data["paraphrase"]) - 2
    for item in data["distractor"]:
        assert corpus.search(item["text"], k=1)[0].score < MATCH_THRESHOLD, item["text"]


def test_numbers_and_negation_decide(palm: claimtrack.Library) -> None:
    hits = palm.search("PaLM had 8% code in its pretraining data", k=2)
    assert [h.claim for h in hits] == ["palm-8", "palm-5"]
    assert hits[0].score > MATCH_THRESHOLD > CLASH_CAP * MATCH_THRESHOLD >= hits[1].score
    assert set(hits[0].matched) >= {"PaLM", "8%", "code", "data"}
    hits = palm.search("The initial GPT-3 can do chain-of-thought reasoning", k=1)
    assert hits[0].claim == "gpt3-cot" and hits[0].score <= CLASH_CAP * MATCH_THRESHOLD
    assert palm.search("GPT-3 cannot do chain of thought reasoning", k=1)[0].score > MATCH_THRESHOLD


def test_superseded_and_retracted_claims_are_found_and_say_so(palm: claimtrack.Library) -> None:
    palm.retract("bloom-steps", reason="the run was long enough", by="A", date=DATE)
    palm.supersede("palm-5", by_claim="palm-8", reason="one figure", by="A", date=DATE)
    [hit] = palm.search("BLOOM did not train for enough steps", k=1)
    assert (hit.claim, hit.status) == ("bloom-steps", "retracted")
    [hit] = palm.search("PaLM has 5% code in its training data", k=1)
    assert (hit.claim, hit.status, hit.superseded_by) == ("palm-5", "superseded", "palm-8")
    active = [h.claim for h in palm.search("PaLM code", k=5, status=["active"])]
    assert active[0] == "palm-8" and "palm-5" not in active and "bloom-steps" not in active


def test_an_earlier_wording_still_finds_the_claim(cdv2: claimtrack.Library) -> None:
    cdv2.add("other", "GPT-3 was trained on Common Crawl.", by="A", date=DATE)
    [hit] = cdv2.search("code-davinci-002 reads 4096 tokens", k=1)
    assert hit.claim == "cdv2-context"


def test_the_index_is_cached_signed_and_updated_per_changed_claim(palm: claimtrack.Library) -> None:
    engine = SearchEngine.for_library(palm)
    assert engine.built == 5
    path = palm.root / ".claimtrack" / CACHE_NAME
    assert path.is_file()
    assert SearchEngine.for_library(palm.reload()).built == 0
    palm.revise("palm-8", old="8%", new="7.8%", reason="rounding", by="A", date=DATE)
    palm.add("new-claim", "ChatGPT was tuned with RLHF.", by="A", date=DATE)
    again = SearchEngine.for_library(palm.reload())
    assert again.built == 2
    assert [h.claim for h in again.search("PaLM had 7.8% code", k=1)] == ["palm-8"]
    # a cache that does not verify is rebuilt, never read
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))
    assert SearchEngine.for_library(palm.reload()).built == 6
    path.write_bytes(b"not an index")
    assert SearchEngine.for_library(palm.reload()).built == 6


def test_ties_do_not_depend_on_the_cache(lib: claimtrack.Library) -> None:
    for n in (10, 2, 1):
        lib.add(f"dup-{n}", "The moon is made of cheese.", by="A", date=DATE, allow_duplicate=True)
    first = [h.claim for h in lib.search("moon made of cheese", k=3)]
    lib.add("dup-3", "The moon is made of cheese.", by="A", date=DATE, allow_duplicate=True)
    assert first == ["dup-1", "dup-2", "dup-10"]
    assert [h.claim for h in lib.reload().search("moon made of cheese", k=4)] == ["dup-1", "dup-2", "dup-3", "dup-10"]


def test_without_the_model_the_engine_ranks_by_words(palm: claimtrack.Library) -> None:
    engine = SearchEngine.from_claims(palm.claims.values(), embeddings=False)
    assert engine.index.vectors is None
    assert engine.search("PaLM 8% code", k=1)[0].claim == "palm-8"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        pytest.param("", "query: the query is empty; give the words of a claim to look for", id="empty"),
        pytest.param("   \n", "query: the query is empty; give the words of a claim to look for", id="blank"),
        pytest.param("x" * 100_001, "query: the query is 100,001 characters, more than 100,000", id="too-long"),
    ],
)
def test_bad_queries_are_one_clear_error(palm: claimtrack.Library, query: str, message: str) -> None:
    with pytest.raises(ClaimtrackError) as caught:
        palm.search(query)
    assert str(caught.value).startswith(message)


def test_bad_k_and_another_script(palm: claimtrack.Library) -> None:
    with pytest.raises(ClaimtrackError, match="k must be 1 or more"):
        palm.search("PaLM", k=0)
    hits = palm.search("Το PaLM έχει 8% κώδικα", k=2)  # Greek: only the name and the number can match
    assert hits[0].claim == "palm-8"
    assert all(h.score < MATCH_THRESHOLD for h in palm.search("天气很好", k=3))


def test_add_refuses_a_near_duplicate_unless_allowed(palm: claimtrack.Library) -> None:
    with pytest.raises(DuplicateClaimError) as caught:
        palm.add("palm-8-again", "PaLM has 8 % code in its training data", by="A", date=DATE, allow_duplicate=False)
    assert "nearly duplicates claim 'palm-8'" in str(caught.value)
    assert not (palm.root / "claims" / "palm-8-again.toml").exists()
    palm.add("palm-9", "PaLM has 9% code in its training data.", by="A", date=DATE, allow_duplicate=False)
    palm.add("palm-8-again", "PaLM has 8 % code in its training data", by="A", date=DATE)  # the API default allows
    assert near_duplicate_of(palm, "GPT-3 has a context window of 2048 tokens") is not None
    assert near_duplicate_of(palm, "GPT-3 has a context window of 4096 tokens") is None


def test_duplicate_claims_audit_rule(palm: claimtrack.Library) -> None:
    assert duplicates(palm) == []
    palm.add("palm-8-copy", "The training data of PaLM has 8% code.", by="A", date=DATE)
    assert [(a, b) for a, b, _ in duplicates(palm)] == [("palm-8", "palm-8-copy")]
    found = [f for f in palm.audit() if f.rule == "duplicate-claims"]
    assert [(f.claim, f.severity) for f in found] == [("palm-8", "info")]
    assert "'palm-8-copy'" in found[0].message


def test_match_reports_lines_and_ended_claims(palm: claimtrack.Library, tmp_path: Path) -> None:
    palm.retract("bloom-steps", reason="the run was long enough", by="A", date=DATE)
    doc = tmp_path / "article.md"
    doc.write_text(
        "# Notes\n\nThe weather was fine. PaLM had 8% code in its training data.\n\n"
        "Some say BLOOM was not trained for enough steps.\n\nThe initial GPT-3 can do chain-of-thought.\n",
        encoding="utf-8",
    )
    report = match(palm, [doc])
    assert [(f.line, f.claim) for f in report.findings] == [(3, "palm-8"), (5, "bloom-steps")]
    assert report.summary() == "this document repeats 2 of the library's claims in 5 sentences; 1 of them is retracted"
    assert report.to_dict()["ended"] == ["bloom-steps"]


def test_the_engine_is_kept_while_the_library_is_unchanged(palm: claimtrack.Library) -> None:
    engine = engine_for(palm)
    assert engine_for(palm) is engine
    palm.add("x", "Something else entirely.", by="A", date=DATE)
    assert engine_for(palm) is not engine


def test_stale_scan_judges_the_claims_the_engine_finds(corpus: claimtrack.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimtrack.documents import StaleEngine

    near = corpus.claims_near(["The original GPT-3 learned from C4 text collected from 2016 to 2019."], among=list(corpus.claims))
    assert "gpt3-pretraining-corpus" in near[0]
    asked: list[list[str]] = []

    def spy(texts: list[str], among: object) -> list[set[str]]:
        asked.append(list(texts))
        return [set() for _ in texts]

    monkeypatch.setattr(type(corpus), "claims_near", lambda self, texts, among: spy(texts, among))
    found = StaleEngine(corpus).passage("The initial GPT-3 was pretrained on C4 data from 2016 to 2019.")
    assert asked == [["The initial GPT-3 was pretrained on C4 data from 2016 to 2019."]]
    assert "gpt3-pretraining-corpus" in [f.claim for f in found]
    assert StaleEngine(corpus, embeddings=False).passage("GPT-3 was pretrained on C4.") and len(asked) == 1
