"""Properties: a paper without claim citations renders to itself, and a check never loads the whole library."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack.manuscripts import check_manuscripts, parse_manuscript, render_text

# Markdown-ish text: words, markup, brackets, "@" keys that are not claims, code and line breaks.
_PIECES = st.sampled_from(
    ["word", " ", "\n", "\n\n", "[", "]", "@brown2020", "[@a; @b]", "`code`", "**", "~~", "- ", "# ", "```\n", "%", "\\cite{x}",
     "8%", "4096", ".", ",", "(", ")", "<!-- c -->", "\\claimx{y}", "claim", "@"]
)  # fmt: skip
_TEXTS = st.lists(_PIECES, max_size=40).map("".join)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(text=_TEXTS, latex=st.booleans())
def test_without_claim_citations_render_is_the_identity(mlib, text, latex):
    manuscript = parse_manuscript(text, path="p.tex" if latex else "p.md")
    assert all(not group.claims for group in manuscript.groups)
    assert render_text(mlib, manuscript).text == text


@settings(max_examples=150, deadline=None)
@given(text=_TEXTS, latex=st.booleans())
def test_prose_keeps_offsets(text, latex):
    manuscript = parse_manuscript(text, path="p.tex" if latex else "p.md")
    assert len(manuscript.prose) == len(text)
    assert [i for i, c in enumerate(manuscript.prose) if c == "\n"] == [i for i, c in enumerate(text) if c == "\n"]
    for sentence in manuscript.sentences():
        assert manuscript.sentence_at(sentence.start) == sentence


def test_check_reads_only_the_cited_claims(mlib, tmp_path):
    paper = tmp_path / "paper.md"
    paper.write_text("Codex is a 12B model [@claim:codex-12b].\n", encoding="utf-8")
    lib = claimtrack.open(mlib.root)
    result = check_manuscripts(lib, [paper])
    assert [f.rule for f in result.findings] == ["cites-under-supported"]
    assert "claims" not in lib.__dict__ or not lib.claims.loaded  # the library's full load never happened
    lib.claims.get("codex-12b")  # one claim read alone: still not the whole library
    assert [f.rule for f in check_manuscripts(lib, [paper]).findings] == ["cites-under-supported"]
    assert not lib.claims.loaded
