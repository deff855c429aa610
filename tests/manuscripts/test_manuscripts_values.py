"""Values in sentences: quantities by family and magnitude, and facts stated with another value."""

from __future__ import annotations

import pytest

from claimtrack.manuscripts import quantities, value_mismatches
from claimtrack.model import Claim, Fact, Revision


def claim(*facts: Fact, history: tuple[Fact, ...] = ()) -> Claim:
    revisions = [Revision(date="2022-12-11", kind="created", statement="s", confidence="hypothesis", set_facts=history or facts)]
    if history:
        revisions.append(Revision(date="2022-12-18", kind="correction", reason="r", remove_facts=history, add_facts=facts))
    return Claim(id="c", statement="s", confidence="hypothesis", facts=facts, revisions=tuple(revisions))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param("8%", [(8.0, "percent")], id="percent-sign"),
        pytest.param("8 percent", [(8.0, "percent")], id="percent-word"),
        pytest.param("4,096 tokens", [(4096.0, "count")], id="thousands-comma"),
        pytest.param("a 4096-token window", [(4096.0, "count")], id="hyphenated-unit"),
        pytest.param("176B", [(176e9, "count")], id="billions"),
        pytest.param("159 GB", [(159e9, "bytes")], id="bytes"),
        pytest.param("in 2021", [(2021.0, "year")], id="year"),
        pytest.param("GPT-3.5 and code-davinci-002", [], id="names-hold-no-numbers"),
    ],
)
def test_quantities(text, want):
    assert [(q.magnitude, q.family) for q in quantities(text)] == want


WINDOW = Fact("code-davinci-002", "context window", "8192")
OLD_WINDOW = Fact("code-davinci-002", "context window", "4096")
SHARE = Fact("PaLM", "share of code in pretraining data", "5%")


@pytest.mark.parametrize(
    ("sentence", "facts", "want"),
    [
        pytest.param("Its context window is 4,096 tokens.", dict(history=(OLD_WINDOW,)), [("4,096", True)], id="earlier-value"),
        pytest.param("Its window is 8k tokens.", dict(history=(OLD_WINDOW,)), [], id="current-value-rounded"),
        pytest.param("It reads 16384 tokens of context window.", {}, [("16384", False)], id="other-number-near-property"),
        pytest.param("It was released in 2022 with 8192 tokens.", {}, [], id="current-value-and-a-year"),
        pytest.param("It has 96 layers.", {}, [], id="number-without-the-property"),
        pytest.param("Its context window is 8118 tokens.", {}, [("8118", False)], id="unrounded-numbers-compare-exactly"),
    ],
)
def test_window_mismatches(sentence, facts, want):
    found = value_mismatches(sentence, claim(WINDOW, **facts))
    assert [(m.stated, m.earlier) for m in found] == want


def test_the_number_nearest_the_property_is_the_one_stated():
    found = list(value_mismatches("PaLM 540B was trained on data with 8% code.", claim(SHARE)))
    assert [(m.stated, m.current) for m in found] == [("8%", "5%")]


def test_sibling_facts_account_for_their_own_values():
    mix = claim(
        Fact("GPT-3", "share of Common Crawl in pretraining data", "60%"),
        Fact("GPT-3", "share of books in pretraining data", "16%"),
    )
    assert list(value_mismatches("Its data is 60% Common Crawl and 16% books.", mix)) == []
    (wrong,) = value_mismatches("Its data is 60% Common Crawl and 22% books.", mix)
    assert (wrong.fact.property, wrong.stated) == ("share of books in pretraining data", "22%")


def test_a_textual_fact_is_wrong_only_with_an_earlier_value():
    corpus = Fact("GPT-3", "pretraining corpus", "Common Crawl")
    old = Fact("GPT-3", "pretraining corpus", "C4")
    assert [m.stated for m in value_mismatches("It was trained on C4.", claim(corpus, history=(old,)))] == ["C4"]
    assert list(value_mismatches("It was trained on The Pile.", claim(corpus, history=(old,)))) == []


def test_a_number_in_the_subject_is_a_name():
    model = claim(Fact("Model 8118", "context window", "8192"))
    (wrong,) = value_mismatches("Model 8118 reads 999 tokens of context window.", model)
    assert wrong.stated == "999"
    assert list(value_mismatches("Model 8118 reads 8192 tokens of context window.", model)) == []
