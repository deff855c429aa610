"""Merging claim histories: properties over random appends, conflicts, seals, and the text written."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.baseline import compare
from claimtrack.errors import MergeConflictError
from claimtrack.history import apply, replay, verify
from claimtrack.merge import identity, merge_claims
from claimtrack.mergetext import merge_texts, resolve_text
from claimtrack.model import Claim, Evidence, Revision, RevisionKind
from claimtrack.seals import first_broken_seal, heads, seal, seal_next
from claimtrack.store import parse_claim_text, render_claim

FILE = "claims/c.toml"
WORDS = [f"w{i}" for i in range(8)]
START = dt.date(2022, 12, 11)


def created() -> Claim:
    statement = " ".join(WORDS) + "."
    first = Revision(date=START, kind="created", by="A", statement=statement, confidence="hypothesis",
                     set_tags=(), set_depends_on=(), set_appearances=(), set_facts=(), set_evidence=())  # fmt: skip
    return replay(Claim(id="c", statement=statement, confidence="hypothesis", revisions=seal([first])))


def append(claim: Claim, revision: Revision) -> Claim:
    return apply(claim, seal_next(claim.revisions, revision))


# One side's appends: span edits of its own words, citations of its own sources, reviews, confidence.
def _ops(side: str, words: list[str]) -> st.SearchStrategy[list[tuple[str, object, int]]]:
    op = st.one_of(
        st.tuples(st.just("span"), st.sampled_from(words), st.integers(0, 40)),
        st.tuples(st.just("cite"), st.sampled_from([f"{side}src{i}" for i in range(3)]), st.integers(0, 40)),
        st.tuples(st.just("review"), st.just(side), st.integers(0, 40)),
    )
    return st.lists(op, max_size=5)


def run(claim: Claim, ops: list[tuple[str, object, int]], side: str) -> Claim:
    date = claim.revisions[-1].date
    for n, (kind, what, days) in enumerate(ops):
        date = max(date, START + dt.timedelta(days=days))
        if kind == "span":
            word = str(what)
            current = next((w for w in claim.statement.rstrip(".").split() if w.split("-")[0] == word), None)
            if current is None:
                continue
            revision = Revision(date=date, kind="correction", by=side, old=current, new=f"{word}-{side}{n}", reason="r")
        elif kind == "cite":
            if any(e.source == what for e in claim.evidence):
                continue
            revision = Revision(date=date, kind="evidence", by=side, add_evidence=(Evidence(str(what)),), reason="r")
        else:
            revision = Revision(date=date, kind="review", by=side, reason=f"checked {n}")
        claim = append(claim, revision)
    return claim


def text_of(claim: Claim) -> str:
    return render_claim(claim)


@settings(max_examples=60, deadline=None)
@given(common=_ops("c", WORDS[:2]), left=_ops("a", WORDS[2:5]), right=_ops("b", WORDS[5:]))
def test_any_two_append_sequences_merge_the_same_either_way_and_verify(common, left, right):
    base = run(created(), common, "c")
    ours, theirs = run(base, left, "a"), run(base, right, "b")
    one = merge_texts(text_of(ours), text_of(theirs), file=FILE)
    other = merge_texts(text_of(theirs), text_of(ours), file=FILE)
    assert one == other
    merged = parse_claim_text(one, file=FILE, expected_id="c")
    assert first_broken_seal(merged.revisions) is None
    assert replay(merged) == merged
    checked = verify(merged)
    assert checked.history_clean, checked
    keys = [identity(r) for r in merged.revisions]
    assert len(keys) == len(set(keys)) == len({identity(r) for r in (*ours.revisions, *theirs.revisions)})
    # Each side's revisions keep their order, and the base's keep their place.
    for side in (ours, theirs):
        positions = [keys.index(identity(r)) for r in side.revisions]
        assert positions == sorted(positions)
    assert keys[: len(base.revisions)] == [identity(r) for r in base.revisions]
    assert list(compare(base, merged, "base", FILE)) == []
    # Merging again changes nothing, and the next revision is sealed over every head.
    assert merge_texts(one, text_of(ours), file=FILE) == one
    nxt = append(merged, Revision(date=dt.date(2024, 1, 1), kind="review", by="z", reason="after"))
    assert first_broken_seal(nxt.revisions) is None and heads(nxt.revisions) == (nxt.revisions[-1].digest,)


@settings(max_examples=60, deadline=None)
@given(
    ops=_ops("a", WORDS),
    index=st.integers(0, 10),
    change=st.sampled_from(["by", "reason", "date", "drop", "swap", "strip"]),
)
def test_any_change_to_a_past_revision_is_caught_against_the_base(ops, index, change):
    base = run(created(), ops, "a")
    index %= len(base.revisions)
    revisions = list(base.revisions)
    if change == "drop":
        if index == 0:
            return
        del revisions[index]
    elif change == "swap":
        if index + 1 >= len(revisions) or index == 0:
            return
        revisions[index], revisions[index + 1] = revisions[index + 1], revisions[index]
    elif change == "strip":
        revisions[index] = attrs.evolve(revisions[index], digest=None)
    else:
        old = revisions[index]
        value = old.date - dt.timedelta(days=1) if change == "date" else f"{getattr(old, change)} (changed)"
        revisions[index] = attrs.evolve(old, **{change: value})
    if change != "strip":  # the forger seals everything again
        revisions = list(seal([attrs.evolve(r, digest=None, after=()) for r in revisions]))
    forged = attrs.evolve(base, revisions=tuple(revisions))
    changes = list(compare(base, forged, "HEAD (abc)", FILE))
    assert changes, (change, index)
    assert all(c.claim == "c" and "as of HEAD (abc)" in c.message for c in changes)


def _two_sides(left: Revision, right: Revision) -> tuple[Claim, Claim]:
    base = created()
    return append(base, left), append(base, right)


CONFLICTS = [
    pytest.param(
        Revision(date=START, kind="correction", by="A", old="w1", new="one", reason="r"),
        Revision(date=START, kind="correction", by="B", old="w1", new="uno", reason="r"),
        "do not combine ('w1' does not occur in the statement",
        id="same-span",
    ),
    pytest.param(
        Revision(date=START, kind="confidence", by="A", confidence="conclusion", reason="r"),
        Revision(date=START, kind="confidence", by="B", confidence="educated-guess", reason="r"),
        "both change confidence",
        id="confidence",
    ),
    pytest.param(
        Revision(date=START, kind="confidence", by="A", field="confidence", old="hypothesis", new="conclusion", reason="r"),
        Revision(date=START, kind="confidence", by="B", confidence="educated-guess", reason="r"),
        "both change confidence",
        id="confidence-checked",
    ),
    pytest.param(
        Revision(date=START, kind="clarification", by="A", statement="All new.", reason="r"),
        Revision(date=START, kind="correction", by="B", old="w3", new="three", reason="r"),
        "both change the statement, one of them as a whole",
        id="whole-statement",
    ),
]


@pytest.mark.parametrize("left, right, what", CONFLICTS)
def test_incompatible_changes_are_a_conflict_naming_both_revisions(left, right, what):
    ours, theirs = _two_sides(left, right)
    for a, b in ((ours, theirs), (theirs, ours)):
        with pytest.raises(MergeConflictError) as caught:
            merge_texts(text_of(a), text_of(b), file=FILE)
        message = str(caught.value)
        assert message.startswith(f"{FILE}: merge conflict in claim 'c': ours revision 1 (")
        assert " and theirs revision 1 (" in message and what in message
        assert "\n" not in message


def test_the_same_confidence_on_both_sides_is_no_conflict():
    ours, theirs = _two_sides(
        Revision(date=START, kind="confidence", by="A", confidence="conclusion", reason="r"),
        Revision(date=START, kind="strengthen", by="B", confidence="conclusion", reason="r2"),
    )
    assert merge_claims(ours, theirs).confidence == "conclusion"


def test_a_side_that_rewrote_a_shared_revision_is_refused():
    base = append(created(), Revision(date=START, kind="review", by="A", reason="r"))
    tampered = attrs.evolve(base, revisions=(base.revisions[0], attrs.evolve(base.revisions[1], reason="other")))
    with pytest.raises(MergeConflictError, match="same digest on both sides but different content"):
        merge_claims(base, tampered)


def test_a_reordered_past_is_a_conflict():
    base = append(append(created(), Revision(date=START, kind="review", by="A", reason="one")),
                  Revision(date=START, kind="review", by="A", reason="two"))  # fmt: skip
    swapped = attrs.evolve(base, revisions=(base.revisions[0], base.revisions[2], base.revisions[1]))
    with pytest.raises(MergeConflictError, match="in a different order on the two sides"):
        merge_claims(base, swapped)


def test_revisions_keep_their_text_and_comments():
    ours, theirs = _two_sides(
        Revision(date=START, kind="correction", by="A", old="w1", new="one", reason="r"),
        Revision(date=START, kind="review", by="B", reason="looked again"),
    )
    mine = text_of(ours).replace('reason = "r"\n', 'reason = "r" # said by A\n')
    result = merge_texts(mine, text_of(theirs), file=FILE)
    assert 'reason = "r" # said by A\n' in result
    assert result.count("after = [") == 1  # the later-dated side's revision now sits below the other's


def test_unsealed_hand_written_revisions_merge_after_the_sealed_ones():
    ours, theirs = _two_sides(
        Revision(date=START, kind="review", by="A", reason="sealed"),
        Revision(date=START, kind="review", by="B", reason="also sealed"),
    )
    hand = Revision(date=START, kind="review", by="H", reason="by hand")
    ours = attrs.evolve(ours, revisions=(*ours.revisions, hand))
    merged = merge_claims(ours, theirs)
    assert merged.revisions[-1] == hand and verify(merged).last_sealed == len(merged.revisions) - 2


def test_resolve_needs_paired_markers():
    with pytest.raises(Exception, match="conflict markers that do not pair up"):
        resolve_text('id = "c"\n<<<<<<< ours\nstatement = "x"\n', file=FILE)


def test_a_first_revision_created_twice_differently_is_a_conflict():
    other = attrs.evolve(created(), revisions=seal([attrs.evolve(created().revisions[0], by="B", digest=None)]))
    with pytest.raises(MergeConflictError, match="both create the claim, differently"):
        merge_claims(created(), other)


def test_a_claim_file_not_laid_out_as_usual_still_merges():
    ours, theirs = _two_sides(
        Revision(date=START, kind="correction", by="A", old="w1", new="one", reason="r"),
        Revision(date=START, kind=RevisionKind.REVIEW, by="B", reason="looked again"),
    )
    odd = text_of(ours) + '\n[[ignore]]\nrule = "stale-appearance"\nreason = "kept as it is"\n'
    result = merge_texts(odd, text_of(theirs), file=FILE)
    merged = parse_claim_text(result, file=FILE, expected_id="c")
    assert len(merged.revisions) == 3 and merged.ignore[0].rule == "stale-appearance"


def test_windows_line_endings_are_kept_and_either_way_is_the_same():
    ours, theirs = _two_sides(
        Revision(date=START, kind="correction", by="A", old="w1", new="one", reason="r"),
        Revision(date=START, kind="review", by="B", reason="looked again"),
    )
    crlf = text_of(ours).replace("\n", "\r\n")
    one, other = merge_texts(crlf, text_of(theirs), file=FILE), merge_texts(text_of(theirs), crlf, file=FILE)
    assert one == other and "\r\n" in one and "\n" not in one.replace("\r\n", "")
    assert len(parse_claim_text(one, file=FILE, expected_id="c").revisions) == 3


def test_the_driver_falls_back_to_a_line_merge_for_a_file_it_cannot_read(tmp_path):
    from claimtrack.mergetext import merge_driver

    base = text_of(created())
    broken = base.replace('id = "c"', 'id = "c"\nnot toml at all')
    theirs = base.replace('status = "active"', 'status = "active"  # a comment')
    paths = [tmp_path / name for name in ("base", "ours", "theirs")]
    for path, text in zip(paths, (base, broken, theirs), strict=True):
        path.write_text(text)
    assert merge_driver(*paths, FILE) is None  # git's line merge had nothing to conflict on
    assert "not toml at all" in paths[1].read_text() and "# a comment" in paths[1].read_text()


def test_resolve_writes_nothing_when_any_file_conflicts(tmp_path):
    import claimtrack
    from claimtrack.mergetext import resolve_files

    root = claimtrack.init_library(tmp_path / "lib")
    store = claimtrack.open_library(root).store
    good = _two_sides(
        Revision(date=START, kind="correction", by="A", old="w1", new="one", reason="r"),
        Revision(date=START, kind="review", by="B", reason="looked again"),
    )
    bad = _two_sides(*(Revision(date=START, kind="correction", by=w, old="w1", new=w, reason="r") for w in ("x", "y")))
    texts = {}
    for name, (a, b) in (("good", good), ("bad", bad)):
        texts[name] = f"<<<<<<< ours\n{text_of(a)}=======\n{text_of(b)}>>>>>>> theirs\n".replace('"c"', f'"{name}"')
        (root / "claims" / f"{name}.toml").write_text(texts[name])
    with pytest.raises(MergeConflictError, match="merge conflict in claim 'bad'"):
        resolve_files(store)
    for name, text in texts.items():
        assert (root / "claims" / f"{name}.toml").read_text() == text
    with pytest.raises(Exception, match="has no conflict markers"):
        resolve_files(store, [_plain(root)])


def _plain(root):
    path = root / "claims" / "plain.toml"
    path.write_text(text_of(created()).replace('"c"', '"plain"'))
    return path


def test_the_report_cache_tells_merged_histories_with_the_same_last_revision_apart(tmp_path):
    import claimtrack
    from claimtrack.report.cache import _content

    base = created()
    ours = append(base, Revision(date=dt.date(2023, 1, 5), kind="review", by="A", reason="last"))
    keys = set()
    for reason in ("one reading", "another reading"):
        theirs = append(base, Revision(date=dt.date(2023, 1, 2), kind="review", by="B", reason=reason))
        merged = merge_claims(ours, theirs)
        assert merged.revisions[-1] == attrs.evolve(ours.revisions[-1], after=merged.revisions[-1].after)
        root = claimtrack.init_library(tmp_path / reason.replace(" ", "-"))
        (root / "claims" / "c.toml").write_text(merge_texts(text_of(ours), text_of(theirs), file=FILE))
        lib = claimtrack.open_library(root)
        keys.add(_content(lib, lib.claims["c"]))
    assert len(keys) == 2 and all(key.startswith("sealed 3 ") for key in keys)


@settings(max_examples=40, deadline=None)
@given(left=_ops("a", WORDS[:4]), right=_ops("b", WORDS[4:]), more_left=_ops("a", WORDS[:4]), more_right=_ops("b", WORDS[4:]))
def test_merging_again_after_more_appends_is_the_same_either_way(left, right, more_left, more_right):
    base = created()
    ours, theirs = run(base, left, "a"), run(base, right, "b")
    first = parse_claim_text(merge_texts(text_of(ours), text_of(theirs), file=FILE), file=FILE, expected_id="c")
    # a carries on from the merge; b carries on from its own branch, never having merged.
    ours2, theirs2 = run(first, more_left, "a"), run(theirs, more_right, "b")
    one = merge_texts(text_of(ours2), text_of(theirs2), file=FILE)
    assert one == merge_texts(text_of(theirs2), text_of(ours2), file=FILE)
    merged = parse_claim_text(one, file=FILE, expected_id="c")
    assert verify(merged).history_clean and replay(merged) == merged
    assert {identity(r) for r in merged.revisions} == {identity(r) for r in (*ours2.revisions, *theirs2.revisions)}
    for side in (ours2, theirs2, first):
        assert list(compare(side, merged, "side", FILE)) == []


def test_a_field_edited_without_a_revision_is_not_dropped_by_the_merge():
    ours, theirs = _two_sides(
        Revision(date=START, kind="correction", by="A", old="w1", new="one", reason="r"),
        Revision(date=START, kind="review", by="B", reason="looked again"),
    )
    edited = text_of(theirs).replace('status = "active"\ntags = []', 'status = "active"\ntags = ["by-hand"]', 1)
    for a, b in ((text_of(ours), edited), (edited, text_of(ours))):
        with pytest.raises(MergeConflictError, match="has tags edited without a revision"):
            merge_texts(a, b, file=FILE)


def _any_ops(side: str) -> st.SearchStrategy[list[tuple[str, object, int]]]:
    op = st.one_of(
        _ops(side, WORDS[:3]).map(lambda ops: ops[:1]).filter(bool).map(lambda ops: ops[0]),
        st.tuples(st.just("confidence"), st.sampled_from(["conclusion", "educated-guess"]), st.integers(0, 40)),
        st.tuples(st.just("statement"), st.sampled_from(["A new statement.", "Another one."]), st.integers(0, 40)),
        st.tuples(st.just("cite"), st.sampled_from(["shared1", "shared2"]), st.integers(0, 40)),
    )
    return st.lists(op, max_size=4)


def run_any(claim: Claim, ops: list[tuple[str, object, int]], side: str) -> Claim:
    for n, (kind, what, days) in enumerate(ops):
        date = max(claim.revisions[-1].date, START + dt.timedelta(days=days))
        if kind == "confidence" and claim.confidence != what:
            claim = append(claim, Revision(date=date, kind="confidence", by=side, confidence=str(what), reason=f"r{n}"))
        elif kind == "statement" and claim.statement != what:
            claim = append(claim, Revision(date=date, kind="clarification", by=side, statement=str(what), reason=f"r{n}"))
        elif kind in ("span", "cite", "review"):
            claim = run(claim, [(kind, what, days)], side)
    return claim


@settings(max_examples=80, deadline=None)
@given(left=_any_ops("a"), right=_any_ops("b"))
def test_overlapping_changes_merge_alike_or_conflict_alike_either_way(left, right):
    base = created()
    ours, theirs = run_any(base, left, "a"), run_any(base, right, "b")
    results = []
    for a, b in ((ours, theirs), (theirs, ours)):
        try:
            results.append(merge_texts(text_of(a), text_of(b), file=FILE))
        except MergeConflictError as e:
            assert str(e).startswith(f"{FILE}: merge conflict in claim 'c': ") and "\n" not in str(e)
            results.append(None)
    assert results[0] == results[1]
    if results[0] is not None:
        merged = parse_claim_text(results[0], file=FILE, expected_id="c")
        assert verify(merged).history_clean and replay(merged) == merged


def test_a_revision_there_twice_is_refused_not_a_crash():
    ours, theirs = _two_sides(
        Revision(date=START, kind="review", by="A", reason="by hand"),
        Revision(date=START, kind="review", by="B", reason="looked again"),
    )
    hand = Revision(date=START, kind="review", by="H", reason="same words")
    doubled = attrs.evolve(ours, revisions=(*ours.revisions, hand, hand))
    with pytest.raises(MergeConflictError, match=r"ours revision 3 \(review, 2022-12-11 by H: review\) is there twice"):
        merge_claims(doubled, theirs)


def test_a_revision_text_that_cannot_be_kept_is_written_afresh():
    base = created()
    left = append(base, Revision(date=START, kind="review", by="A", reason="one"))
    ours = append(left, Revision(date=dt.date(2023, 1, 9), kind="review", by="A", reason="two"))
    theirs = append(base, Revision(date=dt.date(2023, 1, 1), kind="review", by="B", reason="three"))
    once = merge_texts(text_of(ours), text_of(theirs), file=FILE)  # "three" and "two" get after = [...] lines
    assert once.count("after = [") == 2
    # The same file with that after written over several lines: the merge cannot edit it line by line.
    spread = once.replace('after = ["', 'after = [\n  "', 1).replace('"]\ndigest', '",\n]\ndigest', 1)
    assert parse_claim_text(spread, file=FILE, expected_id="c") == parse_claim_text(once, file=FILE, expected_id="c")
    more = append(theirs, Revision(date=dt.date(2023, 1, 2), kind="review", by="B", reason="four"))
    result = merge_texts(spread, text_of(more), file=FILE)
    assert result == merge_texts(text_of(more), spread, file=FILE)
    written = parse_claim_text(result, file=FILE, expected_id="c")
    assert len(written.revisions) == 5 and result == render_claim(written)  # the whole file written afresh


def test_an_earlier_hand_written_revision_goes_by_its_date_and_sealing_it_verifies():
    ours, theirs = _two_sides(
        Revision(date=dt.date(2023, 1, 1), kind="review", by="A", reason="hand written", digest=None),
        Revision(date=dt.date(2023, 1, 5), kind="review", by="B", reason="sealed"),
    )
    ours = attrs.evolve(ours, revisions=(ours.revisions[0], attrs.evolve(ours.revisions[1], digest=None)))
    merged = merge_claims(ours, theirs)
    assert [r.reason for r in merged.revisions[1:]] == ["hand written", "sealed"]
    assert verify(merged).last_sealed == 2 and verify(merged).unsealed == (1,)  # a seal gap, until sealed
    resealed = seal(merged.revisions)
    assert first_broken_seal(resealed) is None and all(r.digest for r in resealed)
