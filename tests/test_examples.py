"""Every script in examples/ runs against the bundled corpus and prints what it promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT / "examples").glob("*.py"))


def run(name: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / name), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT.parent,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_example_runs(script):
    assert run(script.name).strip()


def test_corrections_lists_who_found_them():
    out = run("corrections.py")
    assert "Denny Zhou" in out
    assert "'4096' -> '8192'" in out
    assert "'C4' -> 'Common Crawl'" in out
    assert "claimtrack corpus maintainers" in out
    assert "Credited for finding errors:" in out
    assert "Denny Zhou: tdv1-weak-cot" in out


def _block(out: str, claim_id: str) -> list[str]:
    lines = out.splitlines()
    start = lines.index(claim_id)
    block = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        block.append(line)
    return block


def test_as_of_shows_the_old_and_new_text():
    out = run("as_of.py")
    block = _block(out, "cdv2-context-window")
    then = next(line for line in block if line.strip().startswith("2022-12-12"))
    now = next(line for line in block if line.strip().startswith("today"))
    assert "4096" in then and "8192" not in then
    assert "8192" in now
    corpus = _block(out, "gpt3-pretraining-corpus")
    assert "C4" in corpus[0] and "Common Crawl" in corpus[1]
    assert "copilot-can-do-cot" in out.split("Not yet stated on 2022-12-12:")[1]


def test_as_of_takes_a_date():
    out = run("as_of.py", "2022-12-20")
    block = _block(out, "cdv2-sota-gsm8k")
    assert "upper bound" not in block[0] and "upper bound" in block[1]
    assert "cdv2-context-window" not in out  # already corrected by then


def test_thin_support_lists_under_supported_claims():
    out = run("thin_support.py")
    assert "conclusion (expects 2 or more supporting sources):" in out
    assert "cdv2-context-window: 0 of 2" in out
    assert "code-long-range-dependency: 0 of 1" in out
    assert "generalization-from-scaling-instructions" not in out


def test_seals_verify_by_hand_in_the_corpus_and_after_a_merge(tmp_path):
    assert "claim files checked by hand: 0 do not verify" in run("verify_seals.py")
    import claimtrack
    from claimtrack.mergetext import merge_texts

    root = claimtrack.init_library(tmp_path / "lib")
    lib = claimtrack.open_library(root)
    lib.add("c", "GPT-3 was trained on C4 data.", by="A", date="2022-12-11")
    path = root / "claims" / "c.toml"
    base = path.read_text()
    claimtrack.open_library(root).revise("c", old="C4", new="Common Crawl", reason="r", by="A", date="2023-01-01")
    ours = path.read_text()
    path.write_text(base)
    claimtrack.open_library(root).review("c", reason="checked", by="B", date="2023-01-02")
    merged = merge_texts(ours, path.read_text(), file="claims/c.toml")
    assert "after = [" in merged
    path.write_text(merged)
    assert "3 seals in 1 claim files checked by hand: 0 do not verify" in run("verify_seals.py", str(root / "claims"))
    path.write_text(merged.replace('reason = "checked"', 'reason = "never checked"'))
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "verify_seals.py"), str(root / "claims")],
                         capture_output=True, text=True)  # fmt: skip
    assert out.returncode == 1 and "c.toml: revision 2 does not verify" in out.stdout


def test_the_seal_worked_out_in_docs_format_md_is_right():
    import hashlib
    import re
    import tomllib

    from claimtrack.codec import claim_from_raw
    from claimtrack.seals import canonical, seal

    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    example = text[text.index("## Example") :]
    toml = re.search(r"```toml\n(.*?)```", example, re.S).group(1)  # type: ignore[union-attr]
    first, correction = seal(claim_from_raw(tomllib.loads(toml)).revisions)
    shown = re.search(r"```json\n(.*?)\n```", example, re.S).group(1)  # type: ignore[union-attr]
    assert shown == canonical(first)
    assert first.digest == hashlib.sha256(("\n" + shown).encode()).hexdigest()
    assert first.digest in example and correction.digest in example
    assert correction.digest == hashlib.sha256(f"{first.digest}\n{canonical(correction)}".encode()).hexdigest()
