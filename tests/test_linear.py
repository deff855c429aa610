"""Every input path is linear: a hostile file costs in proportion to its size, not its square.

Each case is timed at a size and at eight times that size: linear code takes about
eight times as long (a little more once the data outgrows the processor's caches),
quadratic code sixty-four times. The bound, three times linear, leaves room for a
busy machine and still fails the quadratic code these cases were written against.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

import claimtrack
from claimtrack import suggest
from claimtrack.documents.latex_text import _visible, latex_blocks
from claimtrack.documents.markdown import critic_plugin, parse_markdown
from claimtrack.history import replay
from claimtrack.model import Claim, Revision, RevisionKind
from claimtrack.store import parse_claim_text
from claimtrack.views import history_rows

#: How much larger the large case is than the small one.
_FACTOR = 8
#: The largest growth a linear path may show when its input grows by ``_FACTOR``.
_LINEAR = 3.0 * _FACTOR


def _seconds(run: Callable[[], object]) -> float:
    gc.collect()
    gc.disable()  # a collection falling into one run is noise, not the cost of the input
    try:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start
    finally:
        gc.enable()


def _growth(make: Callable[[int], Callable[[], object]], n: int, tries: int = 7) -> float:
    """How much longer the case takes at ``_FACTOR * n`` than at ``n``: the best run of each.

    The two sizes are run in turn until the best times are within the bound (a busy
    machine can slow any one run) or far beyond it, at most ``tries`` times each.
    """
    small, large = make(n), make(_FACTOR * n)
    small()  # warm up imports and caches before timing
    base = best = float("inf")
    for _ in range(tries):
        base = min(base, _seconds(small))
        best = min(best, _seconds(large))
        if best < _LINEAR * base or best > 3 * _LINEAR * base:
            break
    return best / base


# -- D6: a revision adding many tags ------------------------------------------------


def _tagged_claim(n: int) -> Claim:
    tags = ",".join(f'"{i:x}"' for i in range(n))
    text = (
        'id = "q"\nstatement = "S."\nconfidence = "hypothesis"\ntags = []\ndepends_on = []\n\n'
        '[[revisions]]\ndate = 2022-12-01\nkind = "created"\nby = "T"\nstatement = "S."\nconfidence = "hypothesis"\n'
        "tags = []\ndepends_on = []\nappearances = []\nfacts = []\nevidence = []\n\n[[revisions]]\ndate = 2022-12-02\n"
        f'kind = "editorial"\nby = "T"\nadd_tags = [{tags}]\n'
    )
    return parse_claim_text(text, file="q.toml", expected_id="q")


def test_replaying_a_revision_that_adds_many_tags_is_linear() -> None:
    def make(n: int) -> Callable[[], object]:
        claim = _tagged_claim(n)
        return lambda: replay(claim)

    assert _growth(make, 2_500) < _LINEAR


def test_removing_many_tags_and_duplicates_keeps_the_list_semantics() -> None:
    created = Revision(
        kind=RevisionKind.CREATED,
        date=dt.date(2022, 12, 1),
        by="T",
        statement="S.",
        confidence="hypothesis",
        set_tags=("a", "b", "a", "c"),
    )
    edit = Revision(kind=RevisionKind.EDITORIAL, date=dt.date(2022, 12, 2), by="T", remove_tags=("a", "c"), add_tags=("d",))
    assert replay(Claim(id="q", statement="S.", confidence="hypothesis", revisions=(created, edit))).tags == ("b", "a", "d")


# -- D29: the history of a claim with many revisions -------------------------------------


def _reviewed_claim(n: int) -> Claim:
    day = dt.date(2022, 12, 1)
    created = Revision(kind=RevisionKind.CREATED, date=day, by="T", statement="S.", confidence="hypothesis")
    reviews = tuple(Revision(kind=RevisionKind.REVIEW, date=day, by="T", reason=f"looked {i}") for i in range(n))
    return Claim(id="q", statement="S.", confidence="hypothesis", revisions=(created, *reviews))


def test_the_history_of_many_revisions_is_linear() -> None:
    def make(n: int) -> Callable[[], object]:
        claim = _reviewed_claim(n)
        return lambda: history_rows(claim)

    assert _growth(make, 2_500) < _LINEAR


# -- D7, D8: documents full of openers without closers ------------------------------------


def _critic_only() -> MarkdownIt:
    """A parser with the CriticMarkup rule and little else, so that its cost is not lost in the others'."""
    return MarkdownIt("zero").use(critic_plugin)


@pytest.mark.parametrize("opener", ["{++", "{--", "{~~", "{~~a~>", "{>>"])
def test_criticmarkup_openers_without_closers_are_read_in_linear_time(opener: str) -> None:
    parser = _critic_only()

    def make(n: int) -> Callable[[], object]:
        text = opener * n + "\n"
        return lambda: parser.parse(text)

    assert _growth(make, 3_000) < _LINEAR


@pytest.mark.parametrize("closer", ["++}", "~~}"])
def test_many_openers_before_one_closer_are_read_in_linear_time(closer: str) -> None:
    parser = _critic_only()

    def make(n: int) -> Callable[[], object]:
        text = "{~~" * n + closer + "\n"
        return lambda: parser.parse(text)

    assert _growth(make, 3_000) < _LINEAR


def test_criticmarkup_marks_still_read_as_before() -> None:
    (block,) = parse_markdown("A {~~b~>c~~} d {++e++} {~~f~~} g ~> h {--i--} {>>j<<}.\n")
    assert block.text == "A bc d e {f} g ~> h i j."


@pytest.mark.parametrize("command", ["\\claim{", "\\begin{", "\\claim[", "\\cite{", "\\item[", "\\end{x}[", "\\emph["])
def test_latex_commands_without_closers_are_read_in_linear_time(command: str) -> None:
    def make(n: int) -> Callable[[], object]:
        text = command * n + "\n"
        return lambda: latex_blocks(text)

    assert _growth(make, 4_000) < _LINEAR


@pytest.mark.parametrize(
    ("line", "seen"),
    [
        pytest.param("We \\emph{saw} it \\cite[p.~2]{a,b} \\claim{c1}.", "We saw it  .", id="commands"),
        pytest.param("\\begin{figure}[t]{x} A \\end{figure}", " A ", id="environment"),
        pytest.param("\\item[a] one \\item two", "-  one - two", id="items"),
        pytest.param("\\claim{c1 and \\cite{x", "c1 and x", id="unclosed"),
        pytest.param("\\cite[p. 2] {k} after", " after", id="blank-before-brace"),
        pytest.param("\\reference{x} 50\\% \\label[a][b]{l}", "x 50% ", id="unknown-name"),
    ],
)
def test_latex_lines_lose_their_commands_as_before(line: str, seen: str) -> None:
    assert _visible(line) == seen


# -- did-you-mean hints in an audit of many dangling ids --------------------------------


def _dangling_library(root: Path, n: int) -> claimtrack.Library:
    """``n`` claims, each depending on a claim that does not exist and citing another."""
    root = claimtrack.init(root)
    for i in range(n):
        text = (
            f'id = "claim-{i:05d}"\nstatement = "S."\nconfidence = "hypothesis"\ntags = []\n'
            f'depends_on = ["gone-{i:05d}"]\nevidence = [{{source = "claim:lost-{i:05d}"}}]\n\n'
            '[[revisions]]\ndate = 2022-12-01\nkind = "created"\nby = "T"\nstatement = "S."\nconfidence = "hypothesis"\n'
            f'tags = []\ndepends_on = ["gone-{i:05d}"]\nappearances = []\nfacts = []\n'
            f'evidence = [{{source = "claim:lost-{i:05d}"}}]\n'
        )
        (root / "claims" / f"claim-{i:05d}.toml").write_text(text, encoding="utf-8")
    return claimtrack.open(root)


def test_an_audits_hints_compare_no_more_names_than_the_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rapidfuzz import process

    compared = 0

    def counting(original: Callable[..., Any]) -> Callable[..., Any]:
        def run(word: str, choices: Any, **options: Any) -> Any:
            nonlocal compared
            choices = list(choices)
            compared += len(choices)
            return original(word, choices, **options)

        return run

    monkeypatch.setattr(process, "extract", counting(process.extract))
    monkeypatch.setattr(process, "extractOne", counting(process.extractOne))
    monkeypatch.setattr(suggest, "BUDGET", 20_000)
    findings = _dangling_library(tmp_path / "lib", 300).audit()
    assert sum(f.rule in ("missing-dependency", "dangling-claim") for f in findings) == 600
    assert compared <= 20_000  # not 600 hints of 300 names each, twice over


def test_hints_stop_guessing_when_the_budget_is_spent() -> None:
    hints = suggest.Hints(["cdv2-context", "gpt3-context"], budget=8)
    assert hints.hint_with("cdv2-contxt", "else") == "did you mean 'cdv2-context'? Else else"
    assert hints.hint_with("cdv2-contxt", "else") == "did you mean 'cdv2-context'? Else else"
    assert hints.hint_with("cdv2-contxt", "else") == "else"  # four comparisons each: the budget is spent
    assert suggest.Hints(["tag"]).closest("tag") is None  # never the word itself
