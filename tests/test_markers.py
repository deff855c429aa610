"""git's conflict markers: where they are and the two sides they hold."""

from __future__ import annotations

import pytest

from claimtrack.markers import conflict_regions, has_conflict, sides

MERGE = "a\n<<<<<<< HEAD\nours\n=======\ntheirs\nmore theirs\n>>>>>>> branch\nb\n"
DIFF3 = "a\n<<<<<<< HEAD\nours\n||||||| base\nold\n=======\ntheirs\n>>>>>>> branch\nb\n<<<<<<< HEAD\nx\n=======\n>>>>>>> b\n"


def test_merge_style():
    assert has_conflict(MERGE) and conflict_regions(MERGE) == [(2, 7)]
    assert sides(MERGE) == ("a\nours\nb\n", "a\ntheirs\nmore theirs\nb\n")


def test_diff3_style_drops_the_base():
    assert conflict_regions(DIFF3) == [(2, 8), (10, 13)]
    assert sides(DIFF3) == ("a\nours\nb\nx\n", "a\ntheirs\nb\n")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("<<<<<<< HEAD\nours\n", id="unclosed"),
        pytest.param("=======\nx\n", id="middle-alone"),
        pytest.param("<<<<<<< HEAD\n<<<<<<< again\n=======\n>>>>>>> b\n", id="nested"),
        pytest.param("<<<<<<< HEAD\nours\n>>>>>>> b\n", id="no-middle"),
    ],
)
def test_markers_that_do_not_pair_up(text):
    assert sides(text) is None


def test_marker_like_lines_are_not_markers():
    text = 'x = "<<<<<<<<"\n<<<<<<<x\n========\n'
    assert not has_conflict(text) and conflict_regions(text) == [] and sides(text) == (text, text)


def test_crlf_markers():
    text = MERGE.replace("\n", "\r\n")
    assert sides(text) == tuple(side.replace("\n", "\r\n") for side in sides(MERGE))  # type: ignore[union-attr]
