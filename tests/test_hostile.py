"""Bad input, run through the command line: one clear line, exit status 2, nothing written, no traceback.

The corpus lives in ``tests/hostile/``: claim files (installed as
``claims/victim.toml``), ``claimtrack.toml`` files and BibTeX to add. Inputs
too large or too deep to keep in the repository are made at test time. Each
case names the error text it must produce: the file, the line or key, what
is wrong.

Text with HTML and JavaScript in it is valid input: it must load, round-trip
and come out of the HTML report escaped.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.history import first_broken_seal, replay

HOSTILE = Path(__file__).resolve().parent / "hostile"
BIB = "@misc{src1,\n  title = {A source},\n  year = {2020}\n}\n"
ID_HINT = "is not a valid claim id; use 1 to 80 lower-case ASCII letters, digits and single hyphens"


def _snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file's bytes (directories as None), the derived .claimtrack/ cache left out."""
    out: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] == ".claimtrack":
            continue
        out[str(relative)] = None if path.is_dir() else path.read_bytes()
    return out


def _refused(root: Path, args: list[str], expected: str, stdin: str | None = None) -> str:
    """Run a command that must fail cleanly; return its one error line."""
    before = _snapshot(root)
    result = CliRunner().invoke(main, ["--root", str(root), *args], input=stdin)
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert expected in lines[0], lines[0]
    assert _snapshot(root) == before, "a refused command changed files"
    return lines[0]


# -- claim files --------------------------------------------------------------

# tests/hostile/claims/<case>.toml -> the error it gives as claims/victim.toml.
V = "claims/victim.toml"
CLAIM_CASES = {
    "syntax-unclosed-string": f"{V}:2: not valid TOML: Illegal character '\\n'",
    "syntax-missing-equals": f"{V}:2: not valid TOML: Expected '=' after a key",
    "syntax-duplicate-key": f"{V}:4: not valid TOML: Cannot overwrite a value",
    "syntax-unclosed-header": f"{V}:5: not valid TOML: Expected ']]' at the end of an array declaration",
    "syntax-bare-word": f"{V}:3: not valid TOML: Invalid value",
    "syntax-invalid-date": f"{V}:6: not valid TOML: Expected newline or end of document",
    "syntax-nul-byte": f"{V}:4: not valid TOML: Illegal character '\\x00'",
    "date-quoted-nonsense": f"{V}:6: revisions[0].date: 'yesterday' is not a date; write it as YYYY-MM-DD",
    "date-as-integer": f"{V}:6: revisions[0].date: 20221211 is not a date",
    "date-missing": f"{V}:5: revisions[0].date: is missing; write the date as YYYY-MM-DD",
    "type-statement-bool": f"{V}:2: statement: must be a string, not bool; quote the value",
    "type-tags-string": f'{V}:4: tags: must be a list of strings; write it as ["a", "b"]',
    "type-tags-integers": f"{V}:4: tags: must be a list of strings",
    "type-tags-nested": f"{V}:4: tags: must be a list of strings",
    "type-evidence-string": f"{V}:4: evidence: must be a list of tables",
    "type-revisions-string": f"{V}:4: revisions: must be a list of tables",
    "type-revision-not-table": f"{V}:4: revisions[0]: must be a table",
    "type-ignore-string": f"{V}:4: ignore: must be a list of tables",
    "unknown-top-key": f"{V}:4: colour: is not a known key; check its spelling",
    "unknown-revision-key": f"{V}:12: revisions[0].whom: is not a known key",
    "unknown-evidence-key": f"{V}:7: evidence[0].page: is not a known key",
    "bad-stance": f"{V}:7: evidence[0].stance: 'agrees' is not a stance; use supports, contradicts or mentions",
    "bad-status": f"{V}:4: status: 'dead' is not valid; use one of active, superseded, retracted",
    "bad-kind": f"{V}:7: revisions[0].kind: 'rewrite' is not valid",
    "first-not-created": f"{V}:7: revisions[0].kind: is 'correction'; the first revision must be kind = \"created\"",
    "created-twice": f"{V}:15: revisions[1].kind: is 'created' again",
    "no-revisions": f"{V}: revisions: is missing",
    "missing-statement": f"{V}: statement: is missing",
    "empty-statement": f"{V}:2: statement: is empty",
    "statement-as-integer": f"{V}:2: statement: must be a string, not int; quote the value",
    "evidence-locator-as-number": f"{V}:7: evidence[0].locator: must be a string, not int; quote the value",
    "fact-missing-value": f"{V}:5: facts[0].value: is missing",
    "id-missing": f"{V}: id: is missing",
    "id-mismatch": f"{V}:1: id: 'other' does not match the file name 'victim'",
    "id-dot-dot": f"{V}:1: id: '../../etc/passwd' {ID_HINT}",
    "id-slash": f"{V}:1: id: 'a/b' {ID_HINT}",
    "id-upper-case": f"{V}:1: id: 'Victim' {ID_HINT}",
    "depends-on-dot-dot": f"{V}:4: depends_on[0]: '../secret' {ID_HINT}",
    "depends-on-slash-in-revision": f"{V}:12: revisions[0].depends_on[0]: 'a/b' {ID_HINT}",
    "evidence-claim-dot-dot": f"{V}:6: evidence[0].source: '../../x' {ID_HINT}",
    "superseded-by-slash": f"{V}:4: superseded_by: 'x/y' {ID_HINT}",
    "encoding-latin-1": f"{V}:4: is not UTF-8 (byte 75); save the file as UTF-8",
    "encoding-utf-16": f"{V}:1: is not UTF-8 (byte 0)",
    "encoding-invalid-byte": f"{V}:2: is not UTF-8 (byte 34)",
}

# Each case is read by `show` and by one writing command, in turn.
WRITERS = [
    ["revise", "victim", "--statement", "New.", "--reason", "r", "--by", "x"],
    ["cite", "victim", "src1", "--by", "x"],
    ["review", "victim", "--reason", "r", "--by", "x"],
    ["retract", "victim", "--reason", "r", "--by", "x"],
    ["list"],
]


def test_the_claim_corpus_is_complete() -> None:
    assert sorted(p.stem for p in (HOSTILE / "claims").glob("*.toml")) == sorted(CLAIM_CASES)


@pytest.mark.parametrize("case", sorted(CLAIM_CASES))
def test_bad_claim_file(root: Path, case: str) -> None:
    shutil.copyfile(HOSTILE / "claims" / f"{case}.toml", root / "claims" / "victim.toml")
    expected = CLAIM_CASES[case]
    _refused(root, ["show", "victim"], expected)
    _refused(root, WRITERS[sorted(CLAIM_CASES).index(case) % len(WRITERS)], expected)


# Made at test time: too big or too deep to keep in the repository.
HEAD = 'id = "victim"\nstatement = "A claim."\nconfidence = "hypothesis"\n'
CREATED = '\n[[revisions]]\ndate = 2022-12-11\nkind = "created"\nby = "A"\nstatement = "A claim."\nconfidence = "hypothesis"\n'
GENERATED = {
    "nested-arrays": (
        lambda: HEAD + "tags = " + "[" * 10_000 + "]" * 10_000 + "\n" + CREATED,
        f"{V}: is nested too deeply to read",
    ),
    "nested-tables": (
        lambda: HEAD + "ignore = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n" + CREATED,
        f"{V}: is nested too deeply",
    ),
    "huge-statement": (
        lambda: HEAD.replace("A claim.", "x" * 50_000_000) + CREATED.replace("A claim.", "x" * 50_000_000),
        f"{V}: is 100.0 MB, over the 4 MB a claim file may hold",
    ),
}


@pytest.mark.parametrize("case", sorted(GENERATED))
@pytest.mark.parametrize("command", ["show", "list", "review"])
def test_generated_claim_file(root: Path, case: str, command: str) -> None:
    make, expected = GENERATED[case]
    (root / "claims" / "victim.toml").write_text(make(), encoding="utf-8")
    args = {"show": ["show", "victim"], "list": ["list"], "review": ["review", "victim", "--reason", "r", "--by", "x"]}
    started = time.monotonic()
    _refused(root, args[command], expected)
    assert time.monotonic() - started < 10


def test_huge_values_are_refused_before_writing(root: Path) -> None:
    lib = claimtrack.open(root)
    started = time.monotonic()
    with pytest.raises(claimtrack.ClaimFileError, match="would be 50.0 MB, over the 4 MB"):
        lib.revise("good", statement="x" * 50_000_000, reason="r", by="x")
    with pytest.raises(claimtrack.ClaimFileError, match="would be 100.0 MB"):
        lib.add("huge", "x" * 50_000_000, by="x")
    assert time.monotonic() - started < 10
    assert sorted(p.name for p in (root / "claims").iterdir()) == ["good.toml"]


# Claim files whose name is not a claim id (read by `list`).
NAME_CASES = {
    "Bad_Name.toml": "claims/Bad_Name.toml: file name 'Bad_Name' is not a valid claim id",
    "a..b.toml": "claims/a..b.toml: file name 'a..b' is not a valid claim id",
    "..toml": "claims/..toml: file name '.' is not a valid claim id",
    "with space.toml": "claims/with space.toml: file name 'with space' is not a valid claim id",
}


@pytest.mark.parametrize("name", sorted(NAME_CASES))
def test_bad_claim_file_name(root: Path, name: str) -> None:
    text = (root / "claims" / "good.toml").read_text(encoding="utf-8")
    (root / "claims" / name).write_text(text, encoding="utf-8")
    _refused(root, ["list"], NAME_CASES[name])


def test_claim_file_that_is_a_folder(root: Path) -> None:
    (root / "claims" / "folder.toml").mkdir()
    _refused(root, ["list"], "claims/folder.toml: is a folder, not a regular file; name a regular file")


def test_claim_file_cut_short(root: Path) -> None:
    (root / "claims" / "victim.toml").write_text('id = "victim"\nstatement = ', encoding="utf-8")
    _refused(root, ["show", "victim"], f"{V}:2: not valid TOML: Invalid value; fix the syntax")


def test_cache_folder_that_is_a_file(root: Path) -> None:
    shutil.rmtree(root / ".claimtrack", ignore_errors=True)
    (root / ".claimtrack").write_text("not a folder", encoding="utf-8")
    # Neither writing nor reading needs the cache: the lock is on the library's folder, and files are parsed.
    result = CliRunner().invoke(main, ["--root", str(root), "review", "good", "--reason", "r", "--by", "x"])
    assert result.exit_code == 0 and result.stderr == "", result.stderr
    assert (root / ".claimtrack").read_text(encoding="utf-8") == "not a folder"
    for args in (["list"], ["source", "list"]):
        result = CliRunner().invoke(main, ["--root", str(root), *args])
        assert result.exit_code == 0 and result.stderr == "", result.stderr


def test_claims_folder_that_is_a_file(root: Path) -> None:
    shutil.rmtree(root / "claims")
    (root / "claims").write_text("not a folder", encoding="utf-8")
    _refused(root, ["add", "new", "--statement", "S.", "--by", "x"], "claims: cannot be used as the claims folder")


def test_references_bib_that_is_a_folder(root: Path) -> None:
    (root / "references.bib").unlink()
    (root / "references.bib").mkdir()
    _refused(root, ["cite", "good", "src1", "--by", "x"], "references.bib: is a folder, not a regular file")


# Unusual but valid layouts: every writing command must work on them and keep them readable.
_REV = 'date = 2022-12-11\nkind = "created"\nby = "A"\nstatement = "S."\nconfidence = "hypothesis"\n'
_TOP = 'id = "victim"\nstatement = "S."\nconfidence = "hypothesis"\n'
LAYOUTS = {
    "inline-revisions": _TOP + "revisions = [{" + _REV.strip().replace("\n", ", ") + "}]\n",
    "inline-evidence": _TOP + 'evidence = [{source = "src1"}]\n\n[[revisions]]\n' + _REV + 'evidence = [{source = "src1"}]\n',
    "crlf": (_TOP + "\n[[revisions]]\n" + _REV).replace("\n", "\r\n"),
    "no-final-newline": _TOP + "\n[[revisions]]\n" + _REV.rstrip("\n"),
    "byte-order-mark": "\ufeff" + _TOP + "\n[[revisions]]\n" + _REV,
    "literal-strings": (_TOP + "\n[[revisions]]\n" + _REV).replace('"', "'"),
    "date-time": _TOP + "\n[[revisions]]\n" + _REV.replace("2022-12-11", "2022-12-11T10:00:00Z"),
    "comments-everywhere": "# a claim\n" + _TOP.replace("\n", "  # note\n") + "\n# history\n[[revisions]]  # first\n" + _REV,
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_unusual_layouts_can_be_revised(root: Path, layout: str) -> None:
    (root / "claims" / "victim.toml").write_bytes(LAYOUTS[layout].encode("utf-8"))
    for args in (
        ["review", "victim", "--reason", "re-read", "--by", "x"],
        ["cite", "victim", "src1", "--locator", "p. 1", "--by", "x"],
        ["revise", "victim", "--old", "S.", "--new", "T.", "--reason", "r", "--by", "x"],
        ["revise", "victim", "--confidence", "conclusion", "--reason", "r", "--by", "x"],
    ):
        result = CliRunner().invoke(main, ["--root", str(root), *args])
        assert (result.exit_code, result.stderr) == (0, ""), args
    lib = claimtrack.open(root)
    assert lib.claims.problems == ()
    claim = lib.claims["victim"]
    assert (claim.statement, claim.confidence, len(claim.evidence), len(claim.revisions)) == (
        "T.",
        "conclusion",
        1 + (layout == "inline-evidence"),
        5,
    )
    assert replay(claim) == claim and first_broken_seal(claim.revisions) is None


# -- command-line arguments ---------------------------------------------------

ARG_CASES = {
    "show-dot-dot": (["show", "../etc"], f"id: '../etc' {ID_HINT}"),
    "show-slash": (["show", "a/b"], f"id: 'a/b' {ID_HINT}"),
    "show-empty": (["show", ""], "a claim id cannot be empty"),
    "show-missing": (["show", "missing"], "claims/missing.toml: no claim 'missing'; see `claimtrack list` for the ids"),
    "show-before-created": (["show", "good", "--as-of", "1999-01-01"], "good: did not exist yet on 1999-01-01"),
    "history-dot-dot": (["history", "../../x"], f"id: '../../x' {ID_HINT}"),
    "add-dot-dot": (["add", "../x", "--statement", "S."], f"id: '../x' {ID_HINT}"),
    "add-upper-case": (["add", "Bad", "--statement", "S."], f"id: 'Bad' {ID_HINT}"),
    "add-too-long": (["add", "a" * 81, "--statement", "S."], ID_HINT),
    "add-depends-on-dot-dot": (["add", "x", "--statement", "S.", "--depends-on", "../a"], f"id: '../a' {ID_HINT}"),
    "add-depends-on-missing": (["add", "x", "--statement", "S.", "--depends-on", "nope"], "nope: no claim 'nope'"),
    "add-blank-statement": (["add", "x", "--statement", "   "], "statement: a claim needs a statement"),
    "add-existing": (["add", "good", "--statement", "S.", "--by", "x"], "claims/good.toml: claim 'good' already exists"),
    "add-bad-confidence": (
        ["add", "x", "--statement", "S.", "--confidence", "sure"],
        "confidence: 'sure' is not a confidence level",
    ),
    "add-bad-date": (["add", "x", "--statement", "S.", "--date", "2022-02-30"], "date: '2022-02-30' does not exist"),
    "cite-claim-dot-dot": (["cite", "good", "claim:../x"], f"id: '../x' {ID_HINT}"),
    "cite-claim-missing": (["cite", "good", "claim:missing"], "claim:missing: no claim 'missing' to cite"),
    "cite-unknown-key": (["cite", "good", "nokey"], "nokey: no entry 'nokey' in references.bib"),
    "cite-id-dot-dot": (["cite", "../x", "src1"], f"id: '../x' {ID_HINT}"),
    "revise-span-not-found": (
        ["revise", "good", "--old", "absent", "--new", "x", "--reason", "r", "--by", "x"],
        "good: revisions[1].old: 'absent' does not occur in the statement",
    ),
    "revise-without-reason": (
        ["revise", "good", "--statement", "New.", "--by", "x"],
        "good: a revision of kind 'correction' needs a reason",
    ),
    "revise-date-before-history": (
        ["revise", "good", "--statement", "New.", "--reason", "r", "--date", "2020-01-01", "--by", "x"],
        "good: a revision dated 2020-01-01 is before the claim was created (2022-12-11)",
    ),
    "revise-evidence-dot-dot": (
        ["revise", "good", "--statement", "New.", "--reason", "r", "--evidence", "claim:../x"],
        f"id: '../x' {ID_HINT}",
    ),
    "supersede-by-dot-dot": (["supersede", "good", "--by-claim", "../x", "--reason", "r"], f"id: '../x' {ID_HINT}"),
    "supersede-itself": (["supersede", "good", "--by-claim", "good", "--reason", "r"], "a claim cannot supersede itself"),
    "retract-missing": (["retract", "missing", "--reason", "r"], "no claim 'missing'"),
}


@pytest.mark.parametrize("case", sorted(ARG_CASES))
def test_bad_argument(root: Path, case: str) -> None:
    args, expected = ARG_CASES[case]
    _refused(root, args, expected)


# -- claimtrack.toml -----------------------------------------------------------

SETTINGS_CASES = {
    "syntax-error": "claimtrack.toml:1: not valid TOML: Illegal character '\\n'",
    "unknown-key": "claimtrack.toml: colour: is not a known setting; known: confidence, export, report, rules, sources, title",
    "title-not-string": "claimtrack.toml: title: must be a string",
    "levels-empty": "claimtrack.toml: confidence.levels: needs a non-empty levels list",
    "level-without-name": "claimtrack.toml: confidence.levels[0]: needs a name",
    "level-negative-support": "claimtrack.toml: confidence.levels[0]: min_support must be a whole number, 0 or more",
    "level-named-twice": "claimtrack.toml: confidence.levels: names a level twice",
    "rule-bad-severity": "claimtrack.toml: rules.missing-source: 'loud' is not a severity",
    "rules-not-table": "claimtrack.toml: rules: must be a table",
    "encoding-latin-1": "claimtrack.toml:1: is not UTF-8 (byte 12); save the file as UTF-8",
    "key-typo": "claimtrack.toml: titel: is not a known setting; did you mean 'title'?",
    "report-key-typo": "claimtrack.toml: report.stlye: is not a known setting; did you mean 'style'?",
    "level-key-typo": "claimtrack.toml: confidence.levels[0].min_suport: is not a known setting; did you mean 'min_support'?",
    "confidence-key-typo": "claimtrack.toml: confidence.level: is not a known setting; did you mean 'levels'?",
    "report-style-not-string": "claimtrack.toml: report.style: must be a string",
}


def test_the_settings_corpus_is_complete() -> None:
    assert sorted(p.stem for p in (HOSTILE / "settings").glob("*.toml")) == sorted(SETTINGS_CASES)


@pytest.mark.parametrize("case", sorted(SETTINGS_CASES))
def test_bad_settings(root: Path, case: str) -> None:
    shutil.copyfile(HOSTILE / "settings" / f"{case}.toml", root / "claimtrack.toml")
    _refused(root, ["add", "new", "--statement", "S.", "--by", "x"], SETTINGS_CASES[case])


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["list"], id="list"),
        pytest.param(["show", "victim"], id="show"),
        pytest.param(["history", "victim"], id="history"),
        pytest.param(["audit"], id="audit"),
        pytest.param(["source", "list"], id="source-list"),
        pytest.param(["review", "victim", "--reason", "r", "--by", "x"], id="review"),
        pytest.param(["cite", "victim", "src1", "--by", "x"], id="cite"),
        pytest.param(["report", "--format", "json"], id="report"),
    ],
)
def test_an_unknown_setting_is_refused_by_every_command(root: Path, args: list[str]) -> None:
    made = CliRunner().invoke(main, ["--root", str(root), "add", "victim", "--statement", "S.", "--by", "x"])
    assert made.exit_code == 0, made.output
    (root / "claimtrack.toml").write_text('[rules]\nbib-unused = "off"\n[report]\nstlye = "apa"\n', encoding="utf-8")
    _refused(root, args, "claimtrack.toml: report.stlye: is not a known setting; did you mean 'style'?")


def test_an_unknown_setting_is_refused_by_the_python_api(root: Path) -> None:
    (root / "claimtrack.toml").write_text('titel = "x"\n', encoding="utf-8")
    with pytest.raises(claimtrack.SettingsError, match="did you mean 'title'"):
        claimtrack.open(root)


def test_settings_nested_too_deeply(root: Path) -> None:
    (root / "claimtrack.toml").write_text("report = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n", encoding="utf-8")
    _refused(root, ["add", "new", "--statement", "S.", "--by", "x"], "claimtrack.toml: is nested too deeply to read")


# -- BibTeX to add --------------------------------------------------------------

BIB_CASES = {
    "unbalanced-braces": "line 1: the new BibTeX does not parse (Unexpectedly reached end of file)",
    "no-entry": "no BibTeX entry found in the text to add",
    "key-twice": "line 3: dup: the key 'dup' is used twice in the new BibTeX",
    "field-twice": "line 1: twice: an entry sets the same field twice",
    "key-exists": "references.bib:1: src1: the key is already in references.bib (as 'src1', line 1)",
    "key-exists-other-case": "references.bib:1: SRC1: the key is already in references.bib (as 'src1', line 1)",
    "keys-differ-in-case": "ABC: the new keys 'abc' and 'ABC' differ only in letter case",
    "encoding-latin-1": "is not UTF-8",
}


def test_the_bib_corpus_is_complete() -> None:
    assert sorted(p.stem for p in (HOSTILE / "bib").glob("*.bib")) == sorted(BIB_CASES)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        pytest.param(k, v, id=k) if isinstance(v, str) else pytest.param(k, *v.values, marks=v.marks, id=k)
        for k, v in BIB_CASES.items()
    ],
)
def test_bad_bibtex_to_add(root: Path, case: str, expected: str) -> None:
    _refused(root, ["source", "add", str(HOSTILE / "bib" / f"{case}.bib")], expected)


@pytest.mark.parametrize("case", ["no-entry", "key-twice", "key-exists"])
def test_bad_bibtex_on_standard_input(root: Path, case: str) -> None:
    text = (HOSTILE / "bib" / f"{case}.bib").read_text(encoding="utf-8")
    expected = BIB_CASES[case]
    assert isinstance(expected, str)
    _refused(root, ["source", "add"], expected, stdin=text)


def test_bad_bibtex_error_is_one_line_in_a_real_process(root: Path) -> None:
    """pytest's log capture hides logging from CliRunner, so this one runs the command as a user would."""
    before = _snapshot(root)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "claimtrack",
            "--root",
            str(root),
            "source",
            "add",
            str(HOSTILE / "bib" / "unbalanced-braces.bib"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert _snapshot(root) == before
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: line 1: the new BibTeX does not parse (Unexpectedly reached end of file); fix its braces, quotes or commas"
    ]


def test_references_bib_not_utf8_is_read_with_a_problem(root: Path) -> None:
    """references.bib is read whatever it holds; what is wrong becomes a problem, not a crash."""
    shutil.copyfile(HOSTILE / "bib" / "encoding-latin-1.bib", root / "references.bib")
    result = CliRunner().invoke(main, ["--root", str(root), "source", "list"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("latin")
    problems = claimtrack.open(root).sources.problems
    assert [p.message for p in problems] == [
        "line 1 is not valid UTF-8 (byte 0xe9); the bad bytes read as '\ufffd': re-save the file as UTF-8"
    ]


def test_references_bib_malformed_is_read_with_a_problem(root: Path) -> None:
    shutil.copyfile(HOSTILE / "bib" / "unbalanced-braces.bib", root / "references.bib")
    result = CliRunner().invoke(main, ["--root", str(root), "source", "list"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    [problem] = claimtrack.open(root).sources.problems
    assert problem.kind == "parse-failed" and problem.key == "broken" and problem.line == 1


# -- HTML and JavaScript are text like any other ----------------------------------

XSS = [
    "<script>alert('statement')</script>",
    '<img src=x onerror="alert(1)">',
    "</textarea><svg onload=alert(2)>",
    "javascript:alert(3)",
    '"><iframe src="javascript:alert(4)"></iframe>',
]


def _xss(n: int) -> str:
    return f"{XSS[n % len(XSS)]} #{n}"


def test_html_and_javascript_in_every_text_field(root: Path) -> None:
    bib = f"@misc{{xss,\n  title = {{{XSS[0]}}},\n  author = {{{XSS[1]}}},\n  note = {{{XSS[2]}}},\n  year = {{2020}}\n}}\n"
    lib = claimtrack.open(root)
    lib.add_sources(bib)
    lib = claimtrack.open(root)
    lib.add(
        "xss",
        _xss(0),
        tags=[_xss(1)],
        appearances=[claimtrack.Appearance("xss", locator=_xss(2), text=_xss(3), note=_xss(4))],
        facts=[claimtrack.Fact(_xss(5), _xss(6), _xss(7), note=_xss(8))],
        evidence=[claimtrack.Evidence("xss", locator=_xss(9), quote=_xss(10), note=_xss(11))],
        by=_xss(12),
        note=_xss(13),
        date="2022-12-11",
    )
    lib.cite("xss", "src1", locator=_xss(14), quote=_xss(15), note=_xss(16), reason=_xss(17), by=_xss(18), date="2022-12-12")
    lib.revise("xss", old="#0", new="#00", reason=_xss(19), credited=_xss(20), by=_xss(21), note=_xss(22), date="2022-12-13")
    lib.revise("xss", statement=_xss(23), reason=_xss(24), by=_xss(25), date="2022-12-14")

    claim = claimtrack.open(root).claims["xss"]
    assert claim.statement == _xss(23)
    assert replay(claim) == claim and first_broken_seal(claim.revisions) is None
    result = CliRunner().invoke(main, ["--root", str(root), "show", "xss"])
    assert result.exit_code == 0 and _xss(23) in result.stdout  # the terminal shows text as it is

    report = pytest.importorskip("claimtrack.report", reason="the report package has not landed")
    written = report.write(claimtrack.open(root), root / "report", formats=["html"])
    page = next(p for p in written if p.suffix == ".html").read_text(encoding="utf-8")
    # Markup the report itself writes is fine; markup from the library's text is not.
    tags = _Tags()
    tags.feed(page)
    assert not {"img", "iframe", "textarea"} & {tag for tag, _ in tags.seen}  # the report draws its charts in <svg>
    assert not [(tag, name) for tag, attrs in tags.seen for name, _ in attrs if name.startswith("on")]
    assert not [value for _, attrs in tags.seen for _, value in attrs if "javascript:" in (value or "")]
    assert "alert" not in tags.script
    assert html.escape(XSS[0], quote=False) in page or html.escape(XSS[0]) in page


class _Tags(HTMLParser):
    """The start tags of a page, with their attributes, and the text inside its scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.script = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script += data
