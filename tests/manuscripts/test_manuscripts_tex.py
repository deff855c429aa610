"""Claim citations in LaTeX: \\claim{id} and \\claim{a,b}, not in comments, verbatim or definitions."""

from __future__ import annotations

import pytest

from claimtrack.manuscripts import parse_manuscript


def cited(text: str) -> list[tuple[str, ...]]:
    return [group.claims for group in parse_manuscript(text, path="paper.tex").groups]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param("A~\\claim{ctx}.", [("ctx",)], id="one"),
        pytest.param("A \\claim{a,b}.", [("a", "b")], id="two"),
        pytest.param("A \\claim{ a , b }.", [("a", "b")], id="spaces"),
        pytest.param("A \\claim[p.~3]{a}.", [("a",)], id="optional-argument"),
        pytest.param("A % \\claim{a}\nB.", [], id="comment"),
        pytest.param("50\\% \\claim{a}.", [("a",)], id="escaped-percent-is-no-comment"),
        pytest.param("\\begin{verbatim}\n\\claim{a}\n\\end{verbatim}", [], id="verbatim"),
        pytest.param("\\begin{lstlisting}\n\\claim{a}\n\\end{lstlisting}", [], id="lstlisting"),
        pytest.param("\\begin{verbatim}\n\\claim{a}\n", [], id="unclosed-verbatim-runs-to-the-end"),
        pytest.param("\\begin{verbatim}" * 5000 + "\\claim{a}", [], id="many-unclosed-verbatims"),
        pytest.param("\\verb|\\claim{a}| and \\claim{b}", [("b",)], id="verb"),
        pytest.param("\\newcommand{\\claim}[1]{\\cite{#1}}", [], id="definition"),
        pytest.param("\\newcommand\\claim[1]{[#1]}", [], id="definition-without-braces"),
        pytest.param("\\providecommand{\\claim}[1]{}", [], id="provide"),
        pytest.param("\\claimant{a}", [], id="other-command"),
        pytest.param("\\input{chapter} \\claim{a}", [("a",)], id="input-not-followed"),
        pytest.param("\\cite{brown2020}", [], id="ordinary-cite"),
    ],
)
def test_citations(text, want):
    assert cited(text) == want


def test_prose_is_the_body_without_commands():
    m = parse_manuscript(
        "\\documentclass{article}\n\\begin{document}\n\\section{Intro}\nIt is \\emph{8\\%} of the data~\\claim{a}.\n"
        "\\end{document}\n",
        path="paper.tex",
    )
    sentence = m.sentence_at(m.groups[0].start)
    assert sentence is not None and sentence.text == "It is 8 % of the data ."
    assert m.position(m.groups[0].items[0].start) == (4, 37)
