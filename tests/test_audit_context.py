"""What the audit's context works out once for all rules: the keys cited anywhere, and whether any is not there."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.audit.context import Context
from claimtrack.history import Verified

_KEYS = st.sampled_from(["brown2020", "chen2021", "wei2022", "claim:a", "claim:b", "claim:gone", "claim:", "claimx"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(_KEYS, max_size=4), max_size=5),
    st.sets(st.sampled_from(["brown2020", "chen2021", "wei2022"])),
    st.sets(st.sampled_from(["a", "b"])),
)
def test_cites_what_is_not_there_is_the_test_of_every_claim_against_citable(
    cited: list[list[str]], sources: set[str], known: set[str]
) -> None:
    ctx = Context.__new__(Context)
    ctx.entries = [(None, Verified(None, (), None, cited=tuple(keys)), None) for keys in cited]  # type: ignore[list-item]
    ctx.sources = {key: None for key in sources}  # type: ignore[assignment]
    ctx.known_ids = known
    assert ctx.cited == {key for keys in cited for key in keys}
    assert ctx.cites_what_is_not_there() == any(not ctx.citable.issuperset(keys) for keys in cited)
