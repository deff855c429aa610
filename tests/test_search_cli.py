"""claimtrack search, match and add's duplicate check, run as a user would."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.search import MATCH_THRESHOLD

DATE = "2022-12-11"


def run(root: Path, *args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = claimtrack.init(tmp_path / "lib")
    lib = claimtrack.open(path)
    lib.add("palm-8", "PaLM has 8% code in its training data.", confidence="conclusion", by="A", date=DATE)
    lib.add("gpt3-cot", "The initial GPT-3 cannot do chain-of-thought reasoning.", by="A", date=DATE)
    lib.add("bloom-steps", "BLOOM was not trained for enough steps to reach the Chinchilla optimum.", by="A", date=DATE)
    lib.retract("bloom-steps", reason="the run was long enough", by="A", date=DATE)
    return path


def test_search_text_json_csv_and_stdin(root: Path) -> None:
    code, out, err = run(root, "search", "PaLM had 8% code in its training data", "-k", "2")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith(" 1. palm-8  score ") and lines[0].endswith("  active  conclusion")
    assert lines[1] == "    PaLM has 8% code in its training data."
    assert lines[2] == "    matched: PaLM, 8%, code, training, data"
    code, out, _ = run(root, "search", "BLOOM did not train long enough", "-k", "1", "--format", "json")
    [row] = json.loads(out)
    assert (row["rank"], row["claim"], row["status"]) == (1, "bloom-steps", "retracted")
    code, out, _ = run(root, "search", "-", "--format", "csv", "-k", "1", stdin="GPT-3 cannot do chain of thought")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["claim"] == "gpt3-cot" and float(row["score"]) > MATCH_THRESHOLD
    code, out, _ = run(root, "search", "PaLM code", "--status", "retracted", "--format", "json")
    assert [r["claim"] for r in json.loads(out)] == ["bloom-steps"]


def test_search_from_a_file(root: Path, tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_text("Did you know? PaLM had 8% code in its training data!\n", encoding="utf-8")
    code, out, _ = run(root, "search", "--file", str(post), "-k", "1", "--format", "json")
    assert code == 0 and json.loads(out)[0]["claim"] == "palm-8"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        pytest.param(["search", ""], None, "error: query: the query is empty", id="empty"),
        pytest.param(["search", "-"], "  \n", "error: query: the query is empty", id="empty-stdin"),
        pytest.param(["search", "-"], b"\x00\x01binary", "error: standard input: is binary, not text", id="binary"),
        pytest.param(["search", "-"], b"caf\xe9", "error: standard input: is not UTF-8 text (byte 3)", id="latin-1"),
        pytest.param(["search", "-"], "x" * (2 << 20), "error: standard input: is more than 1 MiB", id="huge-line"),
        pytest.param(
            ["search", "PaLM", "--confidence", "sure"],
            None,
            "error: confidence: 'sure' is not a confidence level",
            id="bad-level",
        ),  # fmt: skip
    ],
)
def test_search_bad_input_is_one_line_exit_2(root: Path, args: list[str], stdin: str | bytes | None, message: str) -> None:
    code, out, err = run(root, *args, stdin=stdin)
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err


def test_search_a_binary_or_missing_file(root: Path, tmp_path: Path) -> None:
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\xff" * 100)
    code, _, err = run(root, "search", "--file", str(binary))
    assert code == 2 and err == f"error: {binary}: is binary, not text; give a text file\n"
    code, _, err = run(root, "search", "--file", str(tmp_path / "nothing.txt"))
    assert code == 2 and err == f"error: {tmp_path / 'nothing.txt'}: no such file; check the path\n"


def test_search_in_another_script_is_an_honest_answer(root: Path) -> None:
    code, out, _ = run(root, "search", "天气很好，我们去公园散步", "--format", "json")
    assert code == 0
    assert all(row["score"] < MATCH_THRESHOLD for row in json.loads(out))


def test_match_text_json_and_exit_status(root: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.md"
    article.write_text(
        "# A news story\n\nIt rained. PaLM had 8% code in its training data, we hear.\n\n"
        "Also, BLOOM was not trained for enough steps.\n",
        encoding="utf-8",
    )
    code, out, err = run(root, "match", str(article))
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0].startswith(f"{article}:3: palm-8 (score ") and lines[0].endswith(", active)")
    assert lines[2].startswith(f"{article}:5: bloom-steps (score ") and lines[2].endswith(", retracted)")
    assert lines[-1] == "this document repeats 2 of the library's claims in 4 sentences; 1 of them is retracted"
    code, out, _ = run(root, "match", str(article), "--format", "json")
    report = json.loads(out)
    assert report["claims"] == ["palm-8", "bloom-steps"] and report["ended"] == ["bloom-steps"]
    assert [f["line"] for f in report["findings"]] == [3, 5]
    quiet = tmp_path / "quiet.tex"
    quiet.write_text("\\section{Weather}\nIt was sunny in Lisbon all week.\n", encoding="utf-8")
    code, out, _ = run(root, "match", str(quiet))
    assert code == 0 and out == "this document repeats 0 of the library's claims in 2 sentences\n"


def test_match_bad_documents(root: Path, tmp_path: Path) -> None:
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    code, out, err = run(root, "match", str(binary))
    assert code == 2 and out == "" and err.startswith(f"error: {binary}:1: is not UTF-8 text") and err.count("\n") == 1
    code, _, err = run(root, "match", str(tmp_path / "missing.md"))
    assert code == 2 and err.startswith("error: ") and "no such document" in err


def test_add_refuses_a_near_duplicate_and_allow_duplicate_adds_it(root: Path) -> None:
    code, out, err = run(root, "add", "palm-8-again", "--statement", "PaLM has 8 % code in its training data", "--date", DATE)
    assert code == 2 and out == ""
    assert err.startswith("error: palm-8-again: the statement nearly duplicates claim 'palm-8' (score ")
    assert err.rstrip().endswith("pass --allow-duplicate if a second claim is meant, or change 'palm-8' instead")
    assert not (root / "claims" / "palm-8-again.toml").exists()
    args = ["add", "palm-8-again", "--statement", "PaLM has 8 % code in its training data", "--date", DATE]
    code, out, _ = run(root, *args, "--allow-duplicate")
    assert code == 0 and out == "added palm-8-again (hypothesis)\n"
    code, out, _ = run(root, "audit", "--format", "json")
    found = [f for f in json.loads(out)["findings"] if f["rule"] == "duplicate-claims"]
    assert [(f["claim"], f["severity"]) for f in found] == [("palm-8", "info")]


def test_a_50_mb_line(root: Path, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"PaLM " * (10 << 20))
    code, out, err = run(root, "match", str(huge))
    assert code == 2 and out == "" and err.startswith(f"error: {huge}: is larger than 32 MiB") and err.count("\n") == 1
    code, out, err = run(root, "search", "--file", str(huge))
    assert (code, out) == (2, "") and err.startswith(f"error: {huge}: is more than 1 MiB") and err.count("\n") == 1
