"""StaleEngine.sentences(within=...): each sentence judged against the named claims' wordings only."""

from __future__ import annotations

from claimtrack.documents import StaleEngine


def test_within_limits_and_widens_the_candidates(cdv2):
    cdv2.add("gpt3-corpus", "GPT-3 was pretrained on C4.", by="A", date="2022-12-11")
    cdv2.revise("gpt3-corpus", old="C4", new="Common Crawl", reason="it is Common Crawl", by="A", date="2023-01-01")
    engine = StaleEngine(cdv2, embeddings=False)
    texts = ["code-davinci-002 has a context window of 4096 tokens.", "GPT-3 was pretrained on C4."]
    free = [[w.claim.id for w, _, _ in found] for found in engine.sentences(texts)]
    assert free == [["cdv2-context"], ["gpt3-corpus"]]
    limited = engine.sentences(texts, within=[{"gpt3-corpus"}, {"gpt3-corpus", "cdv2-context"}])
    assert [[w.claim.id for w, _, _ in found] for found in limited] == [[], ["gpt3-corpus"]]
    findings = engine.findings([(t, i) for i, t in enumerate(texts)], "x.md", within=[{"cdv2-context"}, set()])
    assert [(f.line, f.claim) for f in findings] == [(0, "cdv2-context")]
