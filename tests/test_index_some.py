"""index.load_some: a few claims of many, through the load cache, with what they rest on and their successors."""

from __future__ import annotations

import claimtrack
from claimtrack.index import load_some


def test_only_the_named_claims_their_dependencies_and_successors(cdv2):
    cdv2.add("window-matters", "Long windows help code.", depends_on=["cdv2-context"], by="A", date="2022-12-12")
    cdv2.add("old-view", "Short windows are enough.", by="A", date="2022-12-12")
    cdv2.add("new-view", "Short windows are not enough.", by="A", date="2022-12-13")
    cdv2.supersede("old-view", by_claim="new-view", reason="measured", by="A", date="2022-12-14")
    cdv2.add("unrelated", "Something else.", by="A", date="2022-12-12")
    lib = claimtrack.open(cdv2.root)
    full = lib.claims
    for _ in range(2):  # the first call parses and fills the cache; the second reads it
        some = load_some(lib.store, ["window-matters", "old-view", "Not An Id", "missing"], dependencies=True)
        assert sorted(some) == ["cdv2-context", "new-view", "old-view", "window-matters"]
        assert some["cdv2-context"] == full["cdv2-context"]
        assert some.verified(some["cdv2-context"]).supports == full.verified(full["cdv2-context"]).supports
    assert sorted(load_some(lib.store, ["window-matters"])) == ["window-matters"]


def test_an_unreadable_file_is_a_problem(cdv2):
    (cdv2.root / "claims" / "broken.toml").write_text("id = \n", encoding="utf-8")
    some = load_some(cdv2.store, ["broken", "cdv2-context"])
    assert list(some) == ["cdv2-context"]
    assert [p.file for p in some.problems] == ["claims/broken.toml"]
