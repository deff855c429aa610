"""Authors ending in "and others" are shown with "et al." everywhere: citations, frames, source list."""

from __future__ import annotations

from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.report.citations import fallback_reference, format_references


def test_a_citation_of_an_and_others_entry_says_et_al(lib: claimtrack.Library) -> None:
    references = format_references(lib.sources, ["chen2021codex", "brown2020language"], None, str)
    assert references["chen2021codex"].markdown.startswith("Chen, M., et al. (2021).")
    # the list goes on after Mann: no "&" before the last name shown
    assert references["brown2020language"].markdown.startswith("Brown, T. B., Mann, B., et al. (2020).")
    assert fallback_reference(lib.sources["chen2021codex"]).startswith("Chen, Mark; et al. (2021).")


def test_the_sources_frame_and_source_list_say_et_al(lib: claimtrack.Library) -> None:
    source = lib.sources["chen2021codex"]
    assert (source.et_al, source.authors, source.author_list) == (True, ["Chen, Mark"], ["Chen, Mark", "et al."])
    assert source.short_authors == "Chen et al."
    frame = lib.frames()["sources"].set_index("key")
    assert frame.loc["chen2021codex", "authors"] == "Chen, Mark; et al."
    result = CliRunner().invoke(main, ["--root", str(lib.root), "source", "list"])
    assert result.stdout.splitlines() == [
        "brown2020language  2020  Brown et al.  Language Models are Few-Shot Learners",
        "chen2021codex      2021  Chen et al.   Evaluating Large Language Models Trained on Code",
    ]


def test_a_name_list_without_others_has_no_et_al(tmp_path) -> None:
    root = claimtrack.init(tmp_path / "lib")
    (root / "references.bib").write_text(
        "@article{two, title = {T}, author = {Chen, Mark and Tworek, Jerry}, year = {2021}}\n", encoding="utf-8"
    )
    source = claimtrack.open(root).sources["two"]
    assert (source.et_al, source.short_authors) == (False, "Chen and Tworek")
    assert "et al." not in format_references(claimtrack.open(root).sources, ["two"], None, str)["two"].markdown
