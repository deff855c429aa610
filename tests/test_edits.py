"""The field verbs in Python: what each one records, and what it refuses."""

from __future__ import annotations

import pytest

import claimtrack
from claimtrack import Appearance, ClaimtrackError, Fact, HistoryError
from claimtrack.history import replay

BY = {"by": "A. Author", "date": "2022-12-20"}


@pytest.fixture
def two(cdv2: claimtrack.Library) -> claimtrack.Library:
    cdv2.add("cot-from-code", "Chain-of-thought comes from code training.", by="A. Author", date="2022-12-11")
    return cdv2


def test_tag_and_untag(cdv2: claimtrack.Library) -> None:
    claim = cdv2.tag("cdv2-context", add=["context-window", "openai"], **BY)
    assert claim.tags == ("code-davinci-002", "context-window", "openai")
    claim = cdv2.tag("cdv2-context", remove=["openai"], reason="not about the company", **BY)
    assert claim.tags == ("code-davinci-002", "context-window")
    assert claim.revisions[-1].kind.value == "editorial" and claim.revisions[-1].reason == "not about the company"
    assert replay(claim) == claim


def test_depend_and_drop(two: claimtrack.Library) -> None:
    claim = two.depend("cot-from-code", on=["cdv2-context"], reason="the evidence is code-davinci-002's", **BY)
    assert claim.depends_on == ("cdv2-context",)
    assert two.dependents("cdv2-context") == ["cot-from-code"]
    claim = two.depend("cot-from-code", drop=["cdv2-context"], reason="it does not rest on the window", **BY)
    assert claim.depends_on == ()
    with pytest.raises(HistoryError, match="does not depend on 'cdv2-context'"):
        two.depend("cot-from-code", drop=["cdv2-context"], reason="r", **BY)


def test_a_fact_with_two_values_must_be_named_by_value(lib: claimtrack.Library) -> None:
    facts = [Fact("PaLM", "code share", "5%"), Fact("PaLM", "code share", "8%")]
    lib.add("palm", "PaLM's data is 5% or 8% code.", facts=facts, by="A. Author", date="2022-12-11")
    with pytest.raises(HistoryError, match="has 2 facts PaLM / code share, with values '5%', '8%'"):
        lib.fact("palm", subject="PaLM", property="code share", value="6%", reason="r", **BY)
    with pytest.raises(HistoryError, match="say which with --value: '5%', '8%'"):
        lib.fact("palm", subject="PaLM", property="code share", remove=True, reason="r", **BY)
    claim = lib.fact("palm", subject="palm", property="Code  share", value="8%", remove=True, reason="section 3.1 is right", **BY)
    assert [f.value for f in claim.facts] == ["5%"]  # subject and property match case-folded, as the audit compares them


def test_an_appearance_at_the_same_place_is_corrected(cdv2: claimtrack.Library) -> None:
    cdv2.appearance("cdv2-context", "chen2021codex", locator="section 2", text="4096 tokens", appearance_note="as printed", **BY)
    claim = cdv2.appearance("cdv2-context", "chen2021codex", locator="section 2", text="8192 tokens", **BY)
    assert claim.appearances == (Appearance("chen2021codex", "section 2", "8192 tokens", "as printed"),)
    claim = cdv2.appearance("cdv2-context", "chen2021codex", remove=True, **BY)
    assert claim.appearances == ()
    with pytest.raises(ClaimtrackError, match="has no appearance from 'chen2021codex'"):
        cdv2.appearance("cdv2-context", "chen2021codex", remove=True, **BY)


def test_uncite_names_one_of_several_by_locator(cdv2: claimtrack.Library) -> None:
    cdv2.cite("cdv2-context", "chen2021codex", locator="section 3", **BY)
    with pytest.raises(
        HistoryError, match=r"has 2 evidence entries from 'chen2021codex'; say which with --locator \('section 2', 'section 3'\)"
    ):
        cdv2.uncite("cdv2-context", "chen2021codex", reason="r", **BY)
    claim = cdv2.uncite("cdv2-context", "chen2021codex", locator="section 3", reason="section 3 is about another model", **BY)
    assert [(e.source, e.locator) for e in claim.evidence] == [("chen2021codex", "section 2")]


def test_annotate_keeps_the_rest_of_the_evidence(cdv2: claimtrack.Library) -> None:
    claim = cdv2.annotate("cdv2-context", "chen2021codex", note="the paper predates the model", **BY)
    (item,) = claim.evidence
    assert (item.source, item.locator, item.note) == ("chen2021codex", "section 2", "the paper predates the model")
    assert claim.revisions[-1].reason == "notes on chen2021codex"
    with pytest.raises(HistoryError, match="already has that note"):
        cdv2.annotate("cdv2-context", "chen2021codex", note="the paper predates the model", **BY)


def test_cite_keeps_its_note_and_credit(cdv2: claimtrack.Library) -> None:
    claim = cdv2.cite("cdv2-context", "brown2020language", stance="mentions", note="about GPT-3", credited="A. Reader", **BY)
    assert claim.evidence[-1].note == "about GPT-3" and claim.revisions[-1].credited == "A. Reader"
    with pytest.raises(ClaimtrackError, match="'support' is not a stance; did you mean 'supports'?"):
        cdv2.cite("cdv2-context", "brown2020language", stance="support", **BY)


def test_a_review_still_changes_nothing_and_is_allowed(cdv2: claimtrack.Library) -> None:
    assert cdv2.review("cdv2-context", reason="re-checked", **BY).revisions[-1].kind.value == "review"


def test_a_write_over_an_untracked_tag_is_refused(cdv2: claimtrack.Library) -> None:
    path = cdv2.root / "claims" / "cdv2-context.toml"
    text = path.read_text(encoding="utf-8").replace('tags = ["code-davinci-002"]', 'tags = ["code-davinci-002", "x"]', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HistoryError, match=r"the file.s tags field differs .*`claimtrack tag cdv2-context --add TAG`"):
        cdv2.review("cdv2-context", reason="re-checked", **BY)
    assert path.read_text(encoding="utf-8") == text


def test_supersede_names_the_missing_successor_the_audit_asks_for(two: claimtrack.Library) -> None:
    from claimtrack import Revision

    two.append("cot-from-code", Revision(date="2022-12-20", kind="supersession", by="x", reason="split", field="status",
                                         old="active", new="superseded"))  # fmt: skip
    assert [f.rule for f in two.audit() if f.claim == "cot-from-code"] == ["superseded-without-successor"]
    claim = two.supersede("cot-from-code", by_claim="cdv2-context", reason="the successor", **BY)
    assert (claim.status.value, claim.superseded_by) == ("superseded", "cdv2-context")
    assert [f.rule for f in two.audit() if f.claim == "cot-from-code"] == []
    with pytest.raises(HistoryError, match="is already superseded"):
        two.supersede("cot-from-code", by_claim="cdv2-context", reason="again", **BY)
