"""`claimtrack audit` run as a user (or a pre-commit hook) would: output and exit status."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.audit import RULES
from claimtrack.cli import main
from claimtrack.model import Evidence

REPO = Path(__file__).resolve().parent.parent
BY = "A. Author"
BIB = """\
@article{brown2020language,
  title = {Language Models are Few-Shot Learners},
  author = {Brown, Tom B. and others},
  year = {2020}
}

@article{chen2021codex,
  title = {Evaluating Large Language Models Trained on Code},
  author = {Chen, Mark and others},
  year = {2021}
}
"""


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(root), "audit", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A clean library: a corrected claim and one resting on it, reviewed since."""
    root = claimtrack.init(tmp_path / "lib")
    (root / "references.bib").write_text(BIB, encoding="utf-8")
    lib = claimtrack.open(root)
    lib.add(
        "cdv2-context",
        "code-davinci-002 has a context window of 4096 tokens.",
        confidence="hypothesis",
        evidence=[Evidence("chen2021codex")],
        by=BY,
        date="2022-12-11",
    )
    lib.add(
        "long-reasoning",
        "A long context may help code-davinci-002 reason.",
        confidence="hypothesis",
        depends_on=["cdv2-context"],
        evidence=[Evidence("brown2020language")],
        by=BY,
        date="2022-12-11",
    )
    return root


def _settings(root: Path, rules: str) -> None:
    path = root / "claimtrack.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[rules]\n", "[rules]\n" + rules), encoding="utf-8")


def test_clean_library_exits_0(root):
    assert run(root) == (0, "0 errors, 0 warnings, 0 info, 0 ignored\n", "")


def test_errors_exit_1_grouped_by_claim(root):
    text = (root / "claims" / "cdv2-context.toml").read_text(encoding="utf-8")
    (root / "claims" / "cdv2-context.toml").write_text(text.replace("4096", "8192", 1), encoding="utf-8")
    code, out, _ = run(root)
    assert code == 1
    assert out.splitlines() == [
        "cdv2-context  claims/cdv2-context.toml",
        "  error    untracked-edit  line 2: statement differs from what the revisions give (restore the field as its "
        "history has it (e.g. `git checkout -- claims/cdv2-context.toml`), then record the change as a revision with "
        '`claimtrack revise cdv2-context --statement "..."`)',
        "",
        "1 error, 0 warnings, 0 info, 0 ignored",
    ]


def test_warnings_exit_0_unless_strict(root):
    claimtrack.open(root).revise(
        "cdv2-context", old="4096", new="8192", reason="the model index says 8192", by=BY, date="2022-12-18"
    )
    code, out, _ = run(root)
    assert code == 0
    assert "  warning  needs-review  line 6: rests on 'cdv2-context', which was changed on 2022-12-18" in out
    assert run(root, "--strict")[0] == 1


def test_review_clears_needs_review(root):
    lib = claimtrack.open(root)
    lib.revise("cdv2-context", old="4096", new="8192", reason="the model index says 8192", by=BY, date="2022-12-18")
    assert "needs-review" in run(root)[1]
    result = CliRunner().invoke(
        main, ["--root", str(root), "review", "long-reasoning", "--reason", "holds with 8192", "--by", BY, "--date", "2022-12-18"]
    )
    assert result.exit_code == 0, result.output
    assert run(root, "--strict") == (0, "0 errors, 0 warnings, 0 info, 0 ignored\n", "")


def test_json_shape(root):
    _settings(root, 'bib-unused = "off"\n')
    claimtrack.open(root).add("bare", "A conclusion with no sources.", confidence="conclusion", by=BY, date="2022-12-11")
    code, out, _ = run(root, "--format", "json", "--strict")
    assert code == 1
    data = json.loads(out)
    assert data["version"] == 1
    assert data["summary"] == {
        "errors": 0, "warnings": 1, "info": 0, "ignored": 0, "claims": 3, "sources": 2,
        "off": ["bib-unused"], "strict": True, "failed": True,
    }  # fmt: skip
    assert data["ignored"] == []
    (finding,) = data["findings"]
    assert list(finding) == ["rule", "severity", "claim", "source", "message", "file", "line", "hint"]
    assert (finding["rule"], finding["severity"], finding["claim"], finding["line"]) == ("unsupported", "warning", "bare", 3)


def test_severity_override_changes_the_exit_status(root):
    claimtrack.open(root).add("bare", "A conclusion with no sources.", confidence="conclusion", by=BY, date="2022-12-11")
    assert run(root)[0] == 0
    _settings(root, 'unsupported = "error"\n')
    code, out, _ = run(root)
    assert code == 1 and "  error    unsupported  line 3: a conclusion needs 2 supporting sources" in out
    _settings(root, 'unsupported = "off"\n')  # the first matching key wins in the file; write a fresh table instead
    path = root / "claimtrack.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('unsupported = "error"\n', ""), encoding="utf-8")
    assert run(root) == (0, "0 errors, 0 warnings, 0 info, 0 ignored; rules off: unsupported\n", "")


def test_ignored_findings_are_listed(root):
    path = root / "claims" / "cdv2-context.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "[[revisions]]", '[[ignore]]\nrule = "untracked-edit"\nreason = "kept as the article prints it"\n\n[[revisions]]', 1
        ).replace("4096", "8192", 1),
        encoding="utf-8",
    )
    code, out, _ = run(root)
    assert code == 0
    assert out.splitlines()[-3:] == [
        "  error    untracked-edit  cdv2-context: statement differs from what the revisions give; "
        "ignored because: kept as the article prints it",
        "",
        "0 errors, 0 warnings, 0 info, 1 ignored",
    ]
    data = json.loads(run(root, "--format", "json")[1])
    assert [(i["rule"], i["claim"], i["reason"]) for i in data["ignored"]] == [
        ("untracked-edit", "cdv2-context", "kept as the article prints it")
    ]


def test_unreadable_claim_file_exits_1(root):
    (root / "claims" / "broken.toml").write_text('id = "broken"\nstatement = \n', encoding="utf-8")
    code, out, _ = run(root)
    assert code == 1
    assert out.startswith("broken  claims/broken.toml\n  error    claim-unreadable  line 2: not valid TOML")


@pytest.mark.parametrize(
    "breaks, message",
    [
        pytest.param(lambda root: shutil.rmtree(root / "claims"), "has no claims/ folder", id="no-claims-folder"),
        pytest.param(lambda root: (root / "claimtrack.toml").write_text("[rules\n"), "claimtrack.toml", id="bad-settings"),
        pytest.param(lambda root: (root / "claimtrack.toml").write_text('[rules]\nunsupported = "loud"\n'), "'loud' is not a severity", id="bad-severity"),
        pytest.param(
            lambda root: ((root / "references.bib").unlink(), (root / "references.bib").mkdir()), "references.bib", id="unreadable-bib"
        ),
    ],
)  # fmt: skip
def test_library_that_cannot_be_read_exits_2(root, breaks, message):
    breaks(root)
    code, out, err = run(root)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_no_library_at_all_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["audit"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "no claims library" in result.stderr


def test_help_has_an_example_and_the_rules():
    result = CliRunner().invoke(main, ["audit", "--help"])
    assert result.exit_code == 0
    assert "Example:\n    claimtrack audit\n    claimtrack audit --format json --strict\n" in result.output
    for name in RULES:
        assert name in result.output


def test_pre_commit_hook_definition():
    yaml = pytest.importorskip("yaml")
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    hook, based = hooks["claimtrack-audit"], hooks["claimtrack-audit-base"]
    assert hook["entry"] == "claimtrack audit"
    assert based["id"] == "claimtrack-audit-base"
    assert based["entry"] == "claimtrack audit --base HEAD"  # nothing committed may be rewritten
    for each in (hook, based):
        assert each["language"] == "python"
        assert each["pass_filenames"] is False
        assert each["files"] == r"^(claims/.*\.toml|references\.bib|claimtrack\.toml)$"


@pytest.mark.skipif(not (REPO / "claims").is_dir(), reason="no bundled corpus at the repository root")
def test_bundled_corpus_exits_0(tmp_path):
    copy = tmp_path / "corpus"
    shutil.copytree(REPO / "claims", copy / "claims")
    for name in ("references.bib", "claimtrack.toml"):
        if (REPO / name).is_file():
            shutil.copy(REPO / name, copy / name)
    code, out, _ = run(copy)
    assert code == 0, out
    assert out.splitlines()[-1].startswith("0 errors, ")
