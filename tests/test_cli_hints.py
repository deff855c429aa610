"""What the command line says when a value is wrong or nothing matches, and the verbs' shared options."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

import claimtrack
from claimtrack.cli import main
from claimtrack.cli._common import Choice

NOTICES = Path(__file__).resolve().parent / "data" / "notices"


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), *args])


@pytest.fixture
def survey(cdv2: claimtrack.Library) -> Path:
    """The cdv2 library with a second claim, gulshan2016, tagged retina."""
    cdv2.add("gulshan2016", "Deep learning detects diabetic retinopathy.", tags=["retina"], by="A", date="2022-12-12")
    return cdv2.root


# -- list filters that match nothing ------------------------------------------------------------------------------


def test_list_with_an_unknown_tag_says_nothing_matched(survey: Path) -> None:
    result = run(survey, "list", "--tag", "no-such-tag")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == "no claim matches --tag 'no-such-tag'; no claim has the tag 'no-such-tag'\n"


def test_a_mistyped_tag_gets_the_closest_tag(survey: Path) -> None:
    result = run(survey, "list", "--tag", "retna", "--format", "json")
    assert result.stdout.strip() == "[]"  # the output stays data
    assert "no claim has the tag 'retna', did you mean 'retina'?" in result.stderr


def test_filters_that_each_match_but_not_together_say_so_without_a_hint(survey: Path) -> None:
    result = run(survey, "list", "--tag", "retina", "--status", "retracted")
    assert result.stderr == "no claim matches --tag 'retina' --status 'retracted'\n"
    assert run(survey, "list", "--tag", "retina").stderr == ""


# -- choices get a did-you-mean everywhere ------------------------------------------------------------------------


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        out.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            out.extend(_commands(command, (*prefix, name)))
    return out


def test_every_choice_option_offers_the_closest_choice() -> None:
    choices = [
        (path, param) for path, command in _commands(main) for param in command.params if isinstance(param.type, click.Choice)
    ]
    assert len(choices) >= 10
    for path, param in choices:
        assert isinstance(param.type, Choice), f"claimtrack {' '.join(path)} {param.opts[0]} is a plain click.Choice"


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["cite", "cdv2-context", "chen2021codex", "--stance", "support"], "did you mean 'supports'?"),
        (["list", "--format", "jsn"], "did you mean 'json'?"),
        (["list", "--status", "Active"], "did you mean 'active'?"),
        (["revise", "cdv2-context", "--statement", "S.", "--kind", "corection", "--reason", "r"], "did you mean 'correction'?"),
        (["report", "--format", "htm"], "did you mean 'html'?"),
    ],
    ids=["stance", "format", "status", "kind", "report-format"],
)
def test_a_mistyped_choice_gets_a_did_you_mean(survey: Path, args: list[str], hint: str) -> None:
    result = run(survey, *args)
    assert result.exit_code == 2 and hint in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_choice_far_from_every_one_gets_no_guess(survey: Path) -> None:
    result = run(survey, "list", "--format", "xml")
    assert result.exit_code == 2 and "did you mean" not in result.stderr
    assert "'xml' is not one of 'text', 'json', 'csv'" in result.stderr


# -- ids in capitals ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Gulshan2016", "GULSHAN2016", "Gulshan 2016"])
@pytest.mark.parametrize("verb", [["show"], ["history"], ["review", "--reason", "r"], ["tag", "--add", "x"]])
def test_an_id_in_capitals_gets_the_id_it_means(survey: Path, typed: str, verb: list[str]) -> None:
    result = run(survey, verb[0], typed, *verb[1:])
    assert result.exit_code == 2
    assert f"{typed!r} is not a valid claim id; did you mean 'gulshan2016'?" in result.stderr, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["supersede", "cdv2-context", "--by-claim", "Gulshan2016", "--reason", "r"],
        ["depend", "cdv2-context", "--on", "Gulshan2016", "--reason", "r"],
        ["cite", "cdv2-context", "claim:Gulshan2016"],
    ],
    ids=["supersede", "depend", "cite-claim"],
)
def test_another_claim_named_in_capitals_gets_the_id_it_means(survey: Path, args: list[str]) -> None:
    result = run(survey, *args)
    assert result.exit_code == 2 and "did you mean 'gulshan2016'?" in result.stderr, result.stderr


def test_an_id_in_capitals_gets_the_id_from_python_too(survey: Path) -> None:
    lib = claimtrack.open(survey)
    with pytest.raises(claimtrack.InvalidIdError, match="did you mean 'gulshan2016'"):
        lib.claims["Gulshan2016"]
    assert len(lib.claims) == 2
    with pytest.raises(claimtrack.InvalidIdError, match="did you mean 'gulshan2016'"):
        lib.claims["Gulshan2016"]  # loaded, the same


# -- every revision takes --credit, --evidence and --note ----------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["review", "gulshan2016"], ["retract", "gulshan2016"], ["supersede", "gulshan2016", "--by-claim", "cdv2-context"]],
    ids=["review", "retract", "supersede"],
)
def test_every_revision_takes_credit_evidence_and_note(survey: Path, args: list[str]) -> None:
    result = run(
        survey, *args, "--reason", "a reader checked it against the paper", "--credit", "A. Reader",
        "--evidence", "chen2021codex", "--note", "seen in the 2023 erratum", "--date", "2022-12-20",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    last = claimtrack.open(survey).claims["gulshan2016"].revisions[-1]
    assert (last.credited, last.evidence, last.note) == ("A. Reader", ("chen2021codex",), "seen in the 2023 erratum")


def test_the_evidence_of_a_revision_must_be_a_source(survey: Path) -> None:
    result = run(survey, "retract", "gulshan2016", "--reason", "r", "--evidence", "chen2021codx")
    assert result.exit_code == 2 and "did you mean 'chen2021codex'?" in result.stderr
    assert claimtrack.open(survey).claims["gulshan2016"].status.value == "active"


def test_the_python_verbs_take_them_too(survey: Path) -> None:
    lib = claimtrack.open(survey)
    claim = lib.review("gulshan2016", reason="r", credited="A. Reader", evidence="chen2021codex", note="n", by="A")
    assert claim.revisions[-1].evidence == ("chen2021codex",)  # one key, not its letters


# -- small ones --------------------------------------------------------------------------------------------------


def test_init_offers_no_root(tmp_path: Path) -> None:
    help_text = CliRunner().invoke(main, ["init", "--help"]).stdout
    assert "--root" not in help_text and "--title" in help_text
    assert "--root" in CliRunner().invoke(main, ["list", "--help"]).stdout


def test_one_record_is_one_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(NOTICES / "references.bib", root / "references.bib")
    header, first, *_ = (NOTICES / "retraction_watch.csv").read_bytes().splitlines(keepends=True)  # Latin-1, as exported
    (root / "one.csv").write_bytes(header + first)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["notices", "import", "one.csv"])
    assert result.exit_code == 0, result.stderr
    assert "one.csv: retraction-watch, 1 record, 1 about this library's sources" in result.stdout
    assert "1 records" not in result.stdout
    assert repr(claimtrack.open(root).notices) == "<Notices: 1 about 1 source>"


def test_a_mistyped_kind_from_python_gets_the_closest_kind(survey: Path) -> None:
    lib = claimtrack.open(survey)
    with pytest.raises(claimtrack.ClaimtrackError, match="'corection' is not a revision kind; did you mean 'correction'"):
        lib.revise("gulshan2016", statement="S.", reason="r", kind="corection", by="A")
    with pytest.raises(claimtrack.ClaimtrackError, match="did you mean 'editorial'"):
        lib.tag("gulshan2016", add=["q"], kind="editorail", by="A")
    assert len(lib.claim("gulshan2016").revisions) == 1  # nothing written


def test_counts_of_one_are_singular(tmp_path: Path) -> None:
    import claimtrack.report as report

    root = claimtrack.init(tmp_path / "lib")
    lib = claimtrack.open(root)
    lib.add("a", "A claim.", by="A", date="2022-12-11")
    page = report.render(claimtrack.open(root), ["html"])["index.html"]
    assert "from 1 claim file and references.bib" in page
    assert "1 revision from" in page and "1 claim by confidence level" in page  # the charts' descriptions
    assert "1 revisions" not in page and "1 claims" not in page


def test_every_revising_command_takes_what_the_readme_says() -> None:
    shared = {"--reason", "--by", "--date", "--credit", "--evidence", "--note"}
    for name in ("cite", "revise", "retract", "supersede", "review", "tag", "depend", "fact", "appearance", "uncite", "annotate"):
        command = main.get_command(click.Context(main), name)
        assert command is not None
        options = {opt for param in command.params for opt in param.opts}
        assert shared <= options, f"claimtrack {name} lacks {sorted(shared - options)}"
        assert ("--kind" in options) is (name not in ("retract", "supersede", "review")), name
