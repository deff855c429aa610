"""The document verbs do what they say on real material: import --apply, diff, stale."""

from __future__ import annotations

from pathlib import Path

import pytest

import claimtrack
from claimtrack.documents import apply_changes, import_changes

LEE = "Lee et al. reached greater than 93% accuracy on OCT images."


def _lib(tmp_path: Path, **claims: str) -> claimtrack.Library:
    lib = claimtrack.open(claimtrack.init(tmp_path / "lib"))
    for claim_id, statement in claims.items():
        lib.add(claim_id.replace("_", "-"), statement, by="A", date="2022-01-01")
    return claimtrack.open(lib.root)


def _doc(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "d.md"
    path.write_text(text + "\n", encoding="utf-8")
    return path


# -- import --apply: the new span is exactly what replaces the old one ------------------------------------------


@pytest.mark.parametrize(
    ("statement", "line", "new", "after", "credited"),
    [
        pytest.param(
            LEE,
            "Lee et al. reached ~~greater than 93%~~ more than 93% accuracy on OCT images.",
            "more than 93%",
            "Lee et al. reached more than 93% accuracy on OCT images.",
            None,
            id="as-reported",
        ),
        pytest.param(
            LEE,
            "Lee et al. reached ~~greater than 93%~~ more than 93% (corrected by A. Reader) accuracy on OCT images.",
            "more than 93%",
            "Lee et al. reached more than 93% accuracy on OCT images.",
            "A. Reader",
            id="credit-after-new",
        ),
        pytest.param(
            LEE,
            "Lee et al. reached ~~greater than 93%~~ more than 93% accuracy (corrected by A. Reader) on OCT images.",
            "more than 93%",
            "Lee et al. reached more than 93% accuracy on OCT images.",
            "A. Reader",
            id="credit-inside-the-rest",
        ),
        pytest.param(
            "The cohort had roughly 1,200 patients in three hospitals.",
            "The cohort had ~~roughly 1,200~~ exactly 1,187 patients in three hospitals.",
            "exactly 1,187",
            "The cohort had exactly 1,187 patients in three hospitals.",
            None,
            id="number-phrase",
        ),
        pytest.param(
            "The model was trained on web text from many sources.",
            "The model was trained on ~~web text~~ books and code (corrected by J. Doe) from many sources.",
            "books and code",
            "The model was trained on books and code from many sources.",
            "J. Doe",
            id="lower-case-phrase-with-credit",
        ),
    ],
)
def test_import_apply_writes_exactly_the_new_span(
    tmp_path: Path, statement: str, line: str, new: str, after: str, credited: str | None
) -> None:
    lib = _lib(tmp_path, c1=statement)
    outcome = apply_changes(lib, _doc(tmp_path, line), by="B", date="2022-02-01")
    (result,) = outcome.results
    assert (result.outcome, result.change.new, result.change.credited) == ("applied", new, credited)
    claim = claimtrack.open(lib.root).claims["c1"]
    assert claim.statement == after
    assert claim.revisions[-1].credited == credited
    # applying again changes nothing
    again = apply_changes(claimtrack.open(lib.root), _doc(tmp_path, line), by="B", date="2022-02-01")
    assert [r.outcome for r in again.results] == ["recorded"]


@pytest.mark.parametrize(
    "new",
    [
        pytest.param("more than 93% accuracy on OCT images", id="overrun"),
        pytest.param("more than 93% (corrected by A", id="credit-inside"),
        pytest.param("more than 93% accuracy", id="overrun-by-one-word"),
    ],
)
def test_a_replay_the_document_does_not_show_is_never_written(tmp_path: Path, new: str) -> None:
    from claimtrack.documents import ProposedRevision

    lib = _lib(tmp_path, lee=LEE)
    shown = "Lee et al. reached more than 93% accuracy on OCT images."
    change = ProposedRevision("correction", "greater than 93%", new, shown, 1, "d.md", claim="lee", score=90.0)
    (result,) = apply_changes(lib, [change], by="B", date="2022-02-01").results
    assert result.outcome == "skipped"
    assert "which the document does not show" in (result.reason or "")
    assert claimtrack.open(lib.root).claims["lee"].statement == LEE
    assert len(claimtrack.open(lib.root).claims["lee"].revisions) == 1


def test_replay_shown_accepts_a_document_that_words_the_claim_differently(tmp_path: Path) -> None:
    from claimtrack.documents.applying import replay_shown

    lib = _lib(tmp_path, w="code-davinci-002 has a context window of 4096 tokens.")
    after, why = replay_shown(lib.claims["w"], "4096", "8192", "code-davinci-002 has a context window 8192.")
    assert (after, why) == ("code-davinci-002 has a context window of 8192 tokens.", None)


# -- import --apply: skip reasons and "already recorded" ---------------------------------------------------------


def test_skip_reason_names_the_revision_that_took_the_words_out(tmp_path: Path) -> None:
    lib = _lib(tmp_path, x="Model X has 4096 tokens and 10 layers.")
    lib.revise("x", old="10 layers", new="12 layers", reason="r", by="A", date="2022-01-02")
    lib.revise("x", old="4096", new="8192", reason="r", by="A", date="2022-01-03")
    lib.revise("x", old="12 layers", new="14 layers", reason="r", by="A", date="2022-01-04")
    lib = claimtrack.open(lib.root)
    (result,) = apply_changes(lib, _doc(tmp_path, "Model X has ~~4096~~ 16384 tokens and 14 layers."), by="B").results
    assert result.outcome == "skipped"
    assert "revision 2 (correction, 2022-01-03) replaced that wording" in (result.reason or "")


@pytest.mark.parametrize(
    ("line", "since"),
    [
        pytest.param("Lee et al. reached {~~greater than~>more than~~} 93% accuracy on OCT images.", 1, id="critic-sub"),
        pytest.param("Lee et al. reached ~~greater than 93%~~ more than 93% accuracy on OCT images.", 1, id="strike"),
        pytest.param("Lee et al. reached more than 93% {++mean++} accuracy on OCT images.", 2, id="critic-insert"),
    ],
)
def test_a_change_the_statement_already_says_is_already_recorded(tmp_path: Path, line: str, since: int) -> None:
    lib = _lib(tmp_path, lee=LEE)
    lib.revise("lee", statement="Lee et al. reached more than 93% accuracy on OCT images.", reason="r", by="A", date="2022-01-02")
    if since == 2:
        lib.revise(
            "lee",
            statement="Lee et al. reached more than 93% mean accuracy on OCT images.",
            reason="r",
            by="A",
            date="2022-01-03",
        )
    lib = claimtrack.open(lib.root)
    (result,) = apply_changes(lib, _doc(tmp_path, line), by="B").results
    assert (result.outcome, result.revision_index) == ("recorded", since)
    assert f"since revision {since}" in (result.reason or "")
    assert len(claimtrack.open(lib.root).claims["lee"].revisions) == since + 1


def test_import_without_claim_ends_the_new_span_before_a_credit(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "Lee et al. reached ~~greater than 93%~~ more than 93% (corrected by A. Reader) accuracy.")
    (change,) = import_changes(None, doc).changes
    assert (change.new, change.credited) == ("more than 93%", "A. Reader")


# -- stale: every superseded span, retracted claims, subjects named otherwise -------------------------------------


def _chest(tmp_path: Path) -> claimtrack.Library:
    lib = _lib(tmp_path, cx="ChestX-ray8 has 108,948 images from 32,717 patients.")
    lib.revise("cx", old="108,948", new="112,120", reason="r", by="A", date="2022-02-01")
    lib.revise("cx", old="32,717", new="30,805", reason="r", by="A", date="2022-02-02")
    return claimtrack.open(lib.root)


def test_stale_reports_every_superseded_span_of_a_sentence(tmp_path: Path) -> None:
    from claimtrack.documents import find_stale

    lib = _chest(tmp_path)
    found = find_stale(lib, [_doc(tmp_path, "ChestX-ray8 has 108,948 images from 32,717 patients.")], embeddings=False)
    assert sorted((f.old, f.new, f.revision) for f in found) == [("108,948", "112,120", 1), ("32,717", "30,805", 2)]


@pytest.mark.parametrize("tracked", [False, True])
def test_stale_fix_fixes_every_span_in_one_run_and_says_what_is_left(tmp_path: Path, tracked: bool) -> None:
    from claimtrack.manuscripts import fix_stale

    lib = _chest(tmp_path)
    doc = _doc(tmp_path, "ChestX-ray8 has 108,948 images from 32,717 patients.")
    (result,) = fix_stale(lib, [doc], tracked=tracked)
    assert [(f.old, f.line) for f in result.fixed] == [("108,948", 1), ("32,717", 1)]
    assert result.unfixed == ()
    text = doc.read_text(encoding="utf-8")
    assert ("112,120" in text and "30,805" in text) and (("~~32,717~~" in text) == tracked)
    assert fix_stale(claimtrack.open(lib.root), [doc])[0].fixed == ()


def test_stale_fix_of_a_whole_new_statement_puts_each_changed_number_right(tmp_path: Path) -> None:
    from claimtrack.manuscripts import fix_stale

    lib = _lib(tmp_path, cy="ChestY has 1,000 images from 200 patients.")
    lib.revise("cy", statement="ChestY has 1,200 images from 250 patients.", reason="r", by="A", date="2022-02-01")
    doc = _doc(tmp_path, "ChestY has 1,000 images from 200 patients.")
    (result,) = fix_stale(claimtrack.open(lib.root), [doc])
    assert (len(result.fixed), result.unfixed) == (2, ())
    assert doc.read_text(encoding="utf-8") == "ChestY has 1,200 images from 250 patients.\n"


def test_stale_fix_counts_what_the_file_still_states_after_the_fix(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from claimtrack.cli import main

    lib = _lib(tmp_path, x="Model X has a context window of 4096 tokens.")
    lib.revise("x", old="4096", new="8192", reason="r", by="A", date="2022-02-01")
    doc = _doc(tmp_path, "Model X has a context window of 4096 tokens.\n\nModel X: 4096 tokens of window, 4096 tokens.")
    result = CliRunner().invoke(main, ["--root", str(lib.root), "stale", "--fix", str(doc)])
    lines = result.output.splitlines()
    left = int(lines[-1].split(", ")[1].split()[0])
    rerun = CliRunner().invoke(main, ["--root", str(lib.root), "stale", str(doc)])
    still = int(rerun.output.splitlines()[-1].split()[0])
    assert left == still  # "N left" is what `stale` then finds, no fewer
    assert result.exit_code == (1 if still else 0)


@pytest.mark.parametrize("embeddings", [False, True])
def test_a_sentence_stating_any_wording_of_a_retracted_claim_is_reported_as_retracted(tmp_path: Path, embeddings: bool) -> None:
    from claimtrack.documents import find_stale
    from claimtrack.manuscripts import fix_stale

    lib = _lib(tmp_path, h="Drug X cures migraine in most adults.")
    lib.revise("h", old="cures", new="may reduce", kind="hedge", reason="r", by="A", date="2022-02-01")
    lib.retract("h", reason="the trial was withdrawn", by="A", date="2022-03-01")
    lib = claimtrack.open(lib.root)
    doc = _doc(tmp_path, "Drug X cures migraine in most adults.\n\nDrug X may reduce migraine in most adults.")
    found = find_stale(lib, [doc], embeddings=embeddings)
    assert [(f.line, f.kind, f.new, f.changes) for f in found] == [(1, "retracted", "", ()), (3, "retracted", "", ())]
    (result,) = fix_stale(lib, [doc])
    assert result.fixed == ()
    assert all("may reduce" not in u.suggestion and u.reason == "the claim was retracted" for u in result.unfixed)
    assert "Drug X cures migraine" in doc.read_text(encoding="utf-8")


def test_a_superseded_claims_first_wording_names_the_successor(tmp_path: Path) -> None:
    from claimtrack.documents import find_stale

    lib = _lib(tmp_path, a="Model Q was trained on 300B tokens of web text.", b="Model Q was trained on 1.4T tokens.")
    lib.revise("a", old="300B", new="400B", reason="r", by="A", date="2022-02-01")
    lib.supersede("a", by_claim="b", reason="r", by="A", date="2022-03-01")
    found = find_stale(
        claimtrack.open(lib.root), [_doc(tmp_path, "Model Q was trained on 300B tokens of web text.")], embeddings=False
    )
    assert [(f.claim, f.kind, f.successor, f.current) for f in found] == [
        ("a", "superseded", "b", "Model Q was trained on 1.4T tokens.")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "In Wang et al.'s lymph node study, the algorithm had about a 7% error rate versus about 3% for the pathologist.",
        "The Radboud team's algorithm had about a 7% error rate versus about 3% for the pathologist, it says.",
    ],
)
def test_stale_finds_the_old_span_word_for_word_whatever_the_subject_is_called(tmp_path: Path, sentence: str) -> None:
    from claimtrack.documents import find_stale

    lib = _lib(
        tmp_path,
        u="In the Camelyon16 challenge, the winning system had about a 7% error rate versus about 3% for the pathologist.",
    )
    lib.revise("u", old="about a 7% error rate versus about 3%", new="a 7.5% error rate versus 3.5%", reason="r", by="A",
               date="2022-02-01")  # fmt: skip
    (finding,) = find_stale(claimtrack.open(lib.root), [_doc(tmp_path, sentence)], embeddings=False)
    assert (finding.claim, finding.old) == ("u", "about a 7% error rate versus about 3%")


def test_a_short_old_value_alone_still_needs_the_subject(tmp_path: Path) -> None:
    from claimtrack.documents import find_stale

    lib = _lib(tmp_path, x="Model X has a context window of 4096 tokens.")
    lib.revise("x", old="4096", new="8192", reason="r", by="A", date="2022-02-01")
    doc = _doc(tmp_path, "Our cluster has a queue of 4096 tokens per batch.")
    assert find_stale(claimtrack.open(lib.root), [doc], embeddings=False) == []


# -- diff: a citation is not claim text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(
            "ChestX-ray8 has 112,120 images.",
            "ChestX-ray8 has 112,120 images [@url:https://nihcc.example/v/x].",
            id="url-citation",
        ),  # fmt: skip
        pytest.param("Another line here.", "Another line here [see @wang2017, p. 3; @url:https://x.org/a].", id="several"),
        pytest.param("As shown before, it works.", "As @wang2017 showed before, it works.", id="in-text"),
        pytest.param("It works.", "It works [^1].", id="footnote-mark"),
        pytest.param("It works [@a].", "It works [@b; @c].", id="changed-citation"),
    ],
)
def test_diff_proposes_no_citation_as_claim_text(tmp_path: Path, old: str, new: str) -> None:
    from claimtrack.documents import diff_documents

    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text(old + "\n", encoding="utf-8")
    b.write_text(new + "\n", encoding="utf-8")
    changes = diff_documents(a, b)
    assert all("@" not in (c.new or "") and "[^" not in (c.new or "") for c in changes), changes
    if "@wang2017 showed" not in new:
        assert changes == []


def test_diff_still_sees_a_changed_word_beside_a_citation(tmp_path: Path) -> None:
    from claimtrack.documents import diff_documents

    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("Model X has 4096 tokens [@a].\n", encoding="utf-8")
    b.write_text("Model X has 8192 tokens [@a; @url:https://x.org].\n", encoding="utf-8")
    (change,) = diff_documents(a, b)
    assert (change.old, change.new) == ("4096", "8192")
    # an e-mail address is text, not a citation
    a.write_text("Write to Model X's team at old@example.org for the weights.\n", encoding="utf-8")
    b.write_text("Write to Model X's team at new@example.org for the weights.\n", encoding="utf-8")
    assert [c.new for c in diff_documents(a, b, front_matter=True)] == ["new"]


def test_already_recorded_names_the_revision_in_force(tmp_path: Path) -> None:
    lib = _lib(tmp_path, x="Model X has 4096 tokens.")
    lib.revise("x", old="4096 tokens", new="8192 tokens", reason="r", by="A", date="2022-01-02")
    lib.revise("x", old="8192 tokens", new="4096 tokens", reason="undone", by="A", date="2022-01-03")
    lib.revise("x", old="4096 tokens", new="8192 tokens", reason="again", by="A", date="2022-01-04")
    (result,) = apply_changes(claimtrack.open(lib.root), _doc(tmp_path, "Model X has ~~4096~~ 8192 tokens."), by="B").results
    assert (result.outcome, result.revision_index) == ("recorded", 3)
    assert result.reason is not None and result.reason.startswith("revision 3 ")


@pytest.mark.parametrize(
    "line",
    [
        "Lee et al. reached {~~greater than~>more than~~} 93% accuracy on OCT images (corrected by A. Reader).",
        "Lee et al. reached {~~greater than~>more than~~} (corrected by A. Reader) 93% accuracy on OCT images.",
    ],
)
def test_a_criticmarkup_change_takes_its_credit(tmp_path: Path, line: str) -> None:
    lib = _lib(tmp_path, lee=LEE)
    (result,) = apply_changes(lib, _doc(tmp_path, line), by="B", date="2022-02-01").results
    assert (result.outcome, result.change.credited) == ("applied", "A. Reader")
    assert "corrected by" not in result.change.sentence
    claim = claimtrack.open(lib.root).claims["lee"]
    assert (claim.statement, claim.revisions[-1].credited) == (
        "Lee et al. reached more than 93% accuracy on OCT images.",
        "A. Reader",
    )


def test_a_long_old_span_needs_no_subject_either(tmp_path: Path) -> None:
    from claimtrack.documents import find_stale

    lib = _lib(tmp_path, p="In the Orion study, the system matched expert radiologists on every single task.")
    lib.revise("p", old="matched expert radiologists on every single task", new="trailed the radiologists",
               reason="r", by="A", date="2022-02-01")  # fmt: skip
    doc = _doc(tmp_path, "In Chen et al.'s trial, the system matched expert radiologists on every single task.")
    (finding,) = find_stale(claimtrack.open(lib.root), [doc], embeddings=False)
    assert finding.claim == "p"


def test_stale_fix_of_one_of_two_numbers_leaves_nothing_and_a_number_inside_another_is_no_match(tmp_path: Path) -> None:
    from claimtrack.documents import find_stale
    from claimtrack.manuscripts import fix_stale

    lib = _lib(tmp_path, cy="ChestY has 1,000 images from 200 patients.")
    lib.revise("cy", statement="ChestY has 1,200 images from 250 patients.", reason="r", by="A", date="2022-02-01")
    lib = claimtrack.open(lib.root)
    doc = _doc(tmp_path, "ChestY has 1,000 images.")
    (result,) = fix_stale(lib, [doc])
    assert ([f.old for f in result.fixed], result.unfixed) == (["1,000"], ())
    assert doc.read_text(encoding="utf-8") == "ChestY has 1,200 images.\n"
    assert find_stale(lib, [doc], embeddings=False) == []  # "200" is not in "1,200"


def test_stale_text_names_every_span_the_sentence_still_states(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from claimtrack.cli import main

    lib = _lib(tmp_path, cy="ChestY has 1,000 images from 200 patients.")
    lib.revise("cy", statement="ChestY has 1,200 images from 250 patients.", reason="r", by="A", date="2022-02-01")
    doc = _doc(tmp_path, "ChestY has 1,000 images from 200 patients.")
    result = CliRunner().invoke(main, ["--root", str(lib.root), "stale", str(doc)])
    assert result.exit_code == 1
    assert "cy still says '1,000' and '200', now '1,200' and '250'" in result.output
