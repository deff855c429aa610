"""extract: a paper's cited sentences proposed as claims, applied all or nothing, cited with --cite, and its git history."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.errors import BatchError, DocumentError
from claimtrack.extract import apply_proposals, cited_sentences, confidence_for, propose, write_proposals
from claimtrack.extract.history import propose_history
from claimtrack.manuscripts import check_manuscripts
from claimtrack.model import DEFAULT_SCALE

MANUBOT = Path(__file__).resolve().parent / "data" / "extract" / "manubot"


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args])
    return result.exit_code, result.output


# -- finding the cited sentences ---------------------------------------------------------------------------


def test_manubot_sentences_with_their_keys_and_sections() -> None:
    text = (MANUBOT / "02.introduction.md").read_text(encoding="utf-8")
    found = cited_sentences(text, path="02.introduction.md")
    assert [s.keys for s in found] == [
        ("arxiv:1906.11238", "pmid:32015508", "url:https://www.nature.com/articles/d41586-020-00655-8"),
        ("doi:10.1038/d41586-019-03632-y",),
    ]
    assert found[0].statement == "Citations can also be added using arXiv or PubMed IDs, URLs, and other identifiers."
    assert found[0].section == "Introduction"
    assert found[0].verbatim.startswith("Citations can also be added using arXiv [@arxiv:1906.11238]")
    assert text[found[1].start : found[1].end] == found[1].verbatim
    # The quotation (Casey Greene's pull request) cites a DOI too, and is left alone; so is the figure reference.
    assert all("favorite feature" not in s.verbatim for s in found)


def test_every_proposed_key_is_a_key_of_its_citation() -> None:
    for name in ("01.abstract.md", "02.introduction.md", "03.main.md"):
        text = (MANUBOT / name).read_text(encoding="utf-8")
        for sentence in cited_sentences(text, path=name):
            for key in sentence.keys:
                assert f"@{key}" in sentence.verbatim
            assert not any(key.startswith(("fig:", "tbl:")) for key in sentence.keys)


def test_uncited_headings_captions_code_and_quotes_are_left_alone() -> None:
    text = (
        "# Results [@h]\n\nNothing cited here.\n\n> A quotation [@q].\n\n![A caption [@c]](x.png)\n\n"
        "```\ncode [@k]\n```\n\nTable: a caption [@t]\n\n| a [@cell] |\n|---|\n| b |\n\nThe one claim [@a; @b].\n"
    )
    found = cited_sentences(text, path="p.md")
    assert [(s.statement, s.keys, s.section) for s in found] == [("The one claim.", ("a", "b"), "Results")]


def test_latex_cite_commands() -> None:
    text = (
        "\\documentclass{article}\n\\begin{document}\n\\section{Results}\n"
        "GPT-3 has 175B parameters \\citep{brown2020}. It may beat Codex~\\citet[p.~3]{chen2021, brown2020}.\n"
        "% a comment \\cite{zzz}.\n\\begin{quote}Quoted \\cite{q}.\\end{quote}\n"
        "\\begin{figure}\\caption{A caption \\cite{cap}.}\\end{figure}\nNothing cited.\n\\end{document}\n"
    )
    found = cited_sentences(text, path="paper.tex")
    assert [(s.statement, s.keys, s.section) for s in found] == [
        ("GPT-3 has 175B parameters.", ("brown2020",), "Results"),
        ("It may beat Codex.", ("chen2021", "brown2020"), "Results"),
    ]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        pytest.param("p.md", "Intro.\n\nText [@a; @b here.\n", "p.md:3: a citation has an unbalanced bracket", id="markdown"),
        pytest.param("p.tex", "Text \\cite{a, b here.\n\nMore.\n", "p.tex:1: a citation has an unbalanced brace", id="latex"),
    ],
)
def test_an_unbalanced_citation_is_one_error_with_its_line(name: str, text: str, message: str) -> None:
    with pytest.raises(DocumentError) as caught:
        cited_sentences(text, path=name)
    assert str(caught.value).startswith(message)


def test_confidence_from_hedges_and_support() -> None:
    assert confidence_for("Code improves reasoning.", 2, DEFAULT_SCALE) == "conclusion"
    assert confidence_for("Code improves reasoning.", 1, DEFAULT_SCALE) == "hypothesis"  # one source: no conclusion
    assert confidence_for("Code likely improves reasoning.", 3, DEFAULT_SCALE) == "hypothesis"
    assert confidence_for("Code might improve reasoning.", 3, DEFAULT_SCALE) == "educated-guess"


# -- proposals, apply, --cite ------------------------------------------------------------------------------


@pytest.fixture
def paper(lib: claimtrack.Library) -> Path:
    folder = lib.root / "content"
    folder.mkdir()
    for name in ("01.abstract.md", "02.introduction.md", "03.main.md"):
        shutil.copy(MANUBOT / name, folder / name)
    return folder


def test_extract_apply_cite_then_check_clean(lib: claimtrack.Library, paper: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(lib.root)
    before = {p.name: p.read_bytes() for p in paper.iterdir()}
    code, out = run(lib.root, "extract", "content/01.abstract.md", "content/02.introduction.md", "content/03.main.md")
    assert code == 0, out
    assert "4 claims proposed in proposals.toml" in out
    assert "not in references.bib" in out and "doi:10.1038/d41586-020-00916-6" in out
    code, out = run(lib.root, "extract", "--apply", "proposals.toml", "--cite", "--by", "J. Perkel", "--date", "2020-03-31")
    assert code == 0, out
    assert "added 4 claims" in out
    claim = lib.claims["citations-added-arxiv-pubmed-ids-urls"]
    assert claim.confidence == "conclusion" and claim.tags == ("introduction",)
    assert [e.source for e in claim.evidence] == [
        "arxiv:1906.11238",
        "pmid:32015508",
        "url:https://www.nature.com/articles/d41586-020-00655-8",
    ]
    assert {e.locator for e in claim.evidence} == {"Introduction"}
    assert claim.appearances[0].document == "02-introduction" and claim.appearances[0].locator == "Introduction"
    assert lib.sources["doi:10.1038/d41586-020-00916-6"].fields.get("doi") == "10.1038/d41586-020-00916-6"
    # Byte for byte, except the claim citations beside the source citations.
    after = (paper / "02.introduction.md").read_text(encoding="utf-8")
    assert "[@url:https://www.nature.com/articles/d41586-020-00655-8; @claim:citations-added-arxiv-pubmed-ids-urls]" in after
    assert after.replace("; @claim:citations-added-arxiv-pubmed-ids-urls", "").replace(
        "; @claim:add-second-reference-doi", ""
    ) == before["02.introduction.md"].decode("utf-8")
    result = check_manuscripts(lib, sorted(paper.iterdir()))
    assert result.citations == 4 and not result.findings
    assert not [f for f in lib.audit() if f.severity == "error"]
    # Running again proposes nothing: every cited sentence is a claim now.
    code, out = run(lib.root, "extract", "--out", "again.toml", *(f"content/{p}" for p in sorted(before)))
    assert code == 0 and "0 claims proposed" in out and "4 cited sentences are claims already" in out


def test_the_reviewed_file_decides(lib: claimtrack.Library, paper: Path, tmp_path: Path) -> None:
    extraction = propose(lib, [paper / "02.introduction.md"])
    path = write_proposals(extraction, tmp_path / "p.toml")
    text = path.read_text(encoding="utf-8")
    # Drop the second proposal, rename the first and lower its level.
    first, _second = text.split("[[claims]]\n")[1:]
    first = first.replace('id = "citations-added-arxiv-pubmed-ids-urls"', 'id = "manubot-cite-by-id"')
    first = first.replace('confidence = "conclusion"', 'confidence = "educated-guess"')
    path.write_text(text.split("[[claims]]\n")[0] + "[[claims]]\n" + first, encoding="utf-8")
    result = apply_proposals(lib, path)
    assert [c.id for c in result.batch.claims] == ["manubot-cite-by-id"]
    assert lib.claims["manubot-cite-by-id"].confidence == "educated-guess"
    with pytest.raises(BatchError, match="exists already"):
        write_proposals(extraction, path)


def test_a_bad_level_in_the_proposals_file_writes_nothing(lib: claimtrack.Library, paper: Path, tmp_path: Path) -> None:
    path = write_proposals(propose(lib, [paper / "02.introduction.md"]), tmp_path / "p.toml")
    path.write_text(path.read_text(encoding="utf-8").replace('"conclusion"', '"certain"'), encoding="utf-8")
    bib = (lib.root / "references.bib").read_bytes()
    code, out = run(lib.root, "extract", "--apply", str(path), "--cite")
    assert code == 2 and "'certain' is not a confidence level" in out and "nothing was written" in out
    assert (lib.root / "references.bib").read_bytes() == bib
    assert not list((lib.root / "claims").glob("*.toml"))
    assert (paper / "02.introduction.md").read_bytes() == (MANUBOT / "02.introduction.md").read_bytes()


def test_a_document_that_is_not_text(lib: claimtrack.Library, tmp_path: Path) -> None:
    path = tmp_path / "paper.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    code, out = run(lib.root, "extract", str(path), "--out", str(tmp_path / "p.toml"))
    assert code == 2 and "paper.md" in out and "UTF-8" in out and "Traceback" not in out
    assert not (tmp_path / "p.toml").exists()


def test_latex_cite_rewrites_with_claim_commands(lib: claimtrack.Library, tmp_path: Path) -> None:
    tex = tmp_path / "paper.tex"
    tex.write_text(
        "\\begin{document}\n\\section{Models}\nCodex is trained on code \\citep{chen2021codex}.\n\\end{document}\n",
        encoding="utf-8",
    )
    path = write_proposals(propose(lib, [tex]), tmp_path / "p.toml")
    apply_proposals(lib, path, cite=True)
    assert "\\citep{chen2021codex}\\claim{codex-trained-code}." in tex.read_text(encoding="utf-8")
    assert not check_manuscripts(lib, [tex]).findings


# -- --history from git ------------------------------------------------------------------------------------


def _git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **(env or {})})


def _replay(repo: Path, target: Path, versions: list[tuple[str, str, str, str]]) -> None:
    """Commit each (text, author, ISO date, subject) in turn to ``target``."""
    for text, author, date, subject in versions:
        target.write_text(text, encoding="utf-8")
        _git(repo, "add", str(target))
        env = {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_AUTHOR_DATE": date,
               "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_COMMITTER_DATE": date}  # fmt: skip
        _git(repo, "commit", "-q", "-m", subject, env=env)


@pytest.mark.usefixtures("plain_git")
def test_history_of_a_real_manubot_file(lib: claimtrack.Library) -> None:
    _git(lib.root, "init", "-q")
    commits = json.loads((MANUBOT / "history" / "commits.json").read_text(encoding="utf-8"))
    target = lib.root / "02.introduction.md"
    versions = [
        ((MANUBOT / "history" / c["file"]).read_text(encoding="utf-8"), c["author"], c["date"], c["subject"]) for c in commits
    ]
    _replay(lib.root, target, versions)
    extraction = propose_history(lib, [target])
    by_id = {p.id: p for p in extraction.proposals}
    cites = by_id["citations-added-arxiv-pubmed-ids-urls"]
    assert str(cites.date) == "2020-03-05" and cites.by == "Jeffrey Perkel"
    assert cites.commit == commits[0]["commit"] or cites.commit  # a fresh repository: new hashes, same history
    # The real change of commit 66bac1b ("Fix arxiv ref."): the sentence's wording changed on 2020-03-05.
    assert [(r["date"].isoformat(), r["by"], r["kind"]) for r in cites.revisions] == [
        ("2020-03-05", "Jeffrey Perkel", "editorial")
    ]
    assert "[@arXiv:1906.11238]" in cites.text
    path = write_proposals(extraction, lib.root / "history.toml")
    result = apply_proposals(lib, path, cite=True)
    claim = lib.claims["citations-added-arxiv-pubmed-ids-urls"]
    assert claim.created.isoformat() == "2020-03-05"  # type: ignore[union-attr]
    assert "[@arxiv:1906.11238]" in claim.appearances[0].text  # type: ignore[operator]
    assert len(result.batch.claims) == 2 and not check_manuscripts(lib, [target]).findings


@pytest.mark.usefixtures("plain_git")
def test_history_recovers_a_correction_and_a_hedge(lib: claimtrack.Library) -> None:
    _git(lib.root, "init", "-q")
    target = lib.root / "paper.md"
    _replay(
        lib.root,
        target,
        [
            ("## Models\n\nCodex was trained on 159 GB of code [@chen2021codex].\n", "Ann Author", "2021-03-01T10:00:00+00:00", "first draft"),
            ("## Models\n\nCodex was trained on 179 GB of code [@chen2021codex].\n", "Ann Author", "2021-04-02T10:00:00+00:00", "fix the size"),
            ("## Models\n\nCodex was probably trained on 179 GB of code [@chen2021codex; @brown2020language].\n",
             "Bo Coauthor", "2021-05-03T10:00:00+00:00", "hedge, and cite GPT-3"),
        ],
    )  # fmt: skip
    (proposal,) = propose_history(lib, [target]).proposals
    assert proposal.statement == "Codex was trained on 159 GB of code."
    first, second = proposal.revisions
    assert (first["date"].isoformat(), first["by"], first["kind"], first["old"], first["new"]) == (
        "2021-04-02",
        "Ann Author",
        "correction",
        "159",
        "179",
    )
    assert first["reason"] == "fix the size" and first["note"].startswith("commit ")
    assert (second["by"], second["kind"], second["new"]) == ("Bo Coauthor", "hedge", "was probably trained")
    assert [e["source"] for e in second["add_evidence"]] == ["brown2020language"]
    path = write_proposals(propose_history(lib, [target]), lib.root / "h.toml")
    apply_proposals(lib, path)
    claim = lib.claims[proposal.id]
    assert claim.statement == "Codex was probably trained on 179 GB of code."
    assert claim.as_of("2021-04-15").statement == "Codex was trained on 179 GB of code."  # type: ignore[union-attr]
    assert claim.as_of("2021-03-15").statement == "Codex was trained on 159 GB of code."  # type: ignore[union-attr]
    assert [r.kind.value for r in claim.revisions] == ["created", "correction", "hedge"]


def test_history_outside_git_is_one_error(lib: claimtrack.Library, tmp_path: Path, plain_git: None) -> None:
    path = tmp_path / "alone" / "paper.md"
    path.parent.mkdir()
    path.write_text("Text [@chen2021codex].\n", encoding="utf-8")
    code, out = run(lib.root, "extract", "--history", str(path), "--out", str(tmp_path / "p.toml"))
    assert code == 2 and "is not in a git work tree" in out and "Traceback" not in out


def test_extract_json_lists_the_proposals(lib: claimtrack.Library, paper: Path, tmp_path: Path) -> None:
    code, out = run(lib.root, "extract", str(paper / "02.introduction.md"), "--out", str(tmp_path / "p.toml"), "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert [p["id"] for p in data["proposals"]] == ["citations-added-arxiv-pubmed-ids-urls", "add-second-reference-doi"]
    assert data["proposals"][0]["evidence"][0] == "arxiv:1906.11238" and "pmid:32015508" in data["missing"]


def test_extract_unbalanced_citation_from_the_command_line(lib: claimtrack.Library, tmp_path: Path) -> None:
    path = tmp_path / "draft.md"
    path.write_text("# Draft\n\nCodex reads code [@chen2021codex; @brown2020language.\n", encoding="utf-8")
    code, out = run(lib.root, "extract", str(path), "--out", str(tmp_path / "p.toml"))
    assert code == 2 and f"{path}:3: a citation has an unbalanced bracket" in out and "Traceback" not in out
    assert not (tmp_path / "p.toml").exists()


def test_cite_never_opens_a_bracket_inside_another(lib: claimtrack.Library, tmp_path: Path) -> None:
    # A real slip (greenelab/deep-review, 06.discussion.md): ";;" makes pandoc read the bracket as text with in-text keys.
    paper = tmp_path / "paper.md"
    paper.write_text("New methods address them [@chen2021codex;; @brown2020language].\n", encoding="utf-8")
    apply_proposals(lib, write_proposals(propose(lib, [paper]), tmp_path / "p.toml"), cite=True)
    text = paper.read_text(encoding="utf-8")
    assert text == "New methods address them [@chen2021codex;; @brown2020language; @claim:new-methods-address].\n"
    assert not check_manuscripts(lib, [paper]).findings
    assert propose(lib, [paper]).proposals == ()


def test_a_sentence_said_twice_is_proposed_once(lib: claimtrack.Library, tmp_path: Path) -> None:
    paper = tmp_path / "paper.md"
    paper.write_text("Codex reads code [@chen2021codex].\n\nCodex reads code [@chen2021codex].\n", encoding="utf-8")
    (proposal,) = propose(lib, [paper]).proposals
    assert proposal.line == 1


def test_keys_differing_in_case_are_one_key(lib: claimtrack.Library, tmp_path: Path) -> None:
    # deep-review cites one DOI as doi:10.1109/TCBB.2014.2343960 and as doi:10.1109/tcbb.2014.2343960.
    paper = tmp_path / "paper.md"
    paper.write_text(
        "Models read sequences [@doi:10.1109/TCBB.2014.2343960].\n\nOthers read images [@doi:10.1109/tcbb.2014.2343960; "
        "@Chen2021Codex].\n",
        encoding="utf-8",
    )
    extraction = propose(lib, [paper])
    assert [p.evidence for p in extraction.proposals] == [
        ("doi:10.1109/TCBB.2014.2343960",),
        ("doi:10.1109/TCBB.2014.2343960", "chen2021codex"),  # references.bib's spelling
    ]
    assert extraction.missing == ("doi:10.1109/TCBB.2014.2343960",)
    apply_proposals(lib, write_proposals(extraction, tmp_path / "p.toml"))
    assert len(lib.claims) == 2


def test_quarto_cross_references_are_not_sources() -> None:
    text = "See @fig-plot and @tbl-data: code helps [@chen2021codex; @sec-methods].\n"
    assert [s.keys for s in cited_sentences(text, path="paper.qmd")] == [("chen2021codex",)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param((MANUBOT / "02.introduction.md").read_text(encoding="utf-8"), id="manubot"),
        pytest.param(
            "---\ntitle: A\n\nabstract: b [@not]\n---\n\n# One\n\nA claim [@a].\n\n```\ncode\n\n[@k] in code.\n```\n\n"
            "- item one [@b].\n\n    still item one [@c].\n\n> quoted [@q].\n\n## Two *emph*\n\nLast [@d].\n",
            id="fences-front-matter-lists",
        ),
    ],
)
def test_history_reads_each_version_as_a_whole_reading_would(text: str) -> None:
    from claimtrack.extract.history import sentences_by_chunk

    cache: dict[str, list[object]] = {}
    whole = cited_sentences(text, path="a.md")
    for _ in range(2):  # the second time from the cache
        chunked = sentences_by_chunk(text, "a.md", cache)  # type: ignore[arg-type]
        assert [(s.start, s.end, s.line, s.statement, s.keys, s.section) for s in chunked] == [
            (s.start, s.end, s.line, s.statement, s.keys, s.section) for s in whole
        ]
    assert whole
