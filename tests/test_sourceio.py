"""source add / export / sync through the command line, on real bibliographies (claimtrack.sourceio)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main

DATA = Path(__file__).resolve().parent / "data"
SOURCES = DATA / "sources"
MANUBOT = SOURCES / "manubot-references.json"
BIB = "@misc{src1,\n  title = {A source},\n  year = {2020}\n}\n"


def run(root: Path, *args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def refused(root: Path, *args: str, stdin: str | bytes | None = None) -> str:
    """Run a command that must fail with one line and exit 2, writing nothing; return the line."""
    before = {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}
    code, out, err = run(root, *args, stdin=stdin)
    assert code == 2, (code, out, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    assert {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()} == before
    return lines[0]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A library with one entry, the current folder (files are named as a user in it would name them)."""
    path = claimtrack.init(tmp_path / "lib")
    monkeypatch.chdir(path)
    (path / "references.bib").write_text(BIB, encoding="utf-8")
    return path


def test_a_real_manubot_file_imports_once_with_standard_keys(root: Path) -> None:
    items = json.loads(MANUBOT.read_text(encoding="utf-8"))
    code, out, err = run(root, "source", "add", str(MANUBOT), "--keys", "standard")
    assert code == 0, err
    assert out.startswith(f"added {len(items)} entries: ") and out.endswith("already present 0, refused 0\n")
    assert "not carried over: source (" in err
    text = (root / "references.bib").read_text(encoding="utf-8")
    assert text.startswith(BIB + "\n@")  # the entry that was there keeps every byte
    lib = claimtrack.open(root)
    for item in items:
        standard = re.search(r"standard_id: (\S+)", item["note"]).group(1)  # type: ignore[union-attr]
        assert standard in lib.sources, standard
    assert lib.sources["doi:10.1145/2939672.2939785"].title == "XGBoost"
    before = (root / "references.bib").read_bytes()
    code, out, _ = run(root, "source", "add", str(MANUBOT), "--keys", "standard")
    assert (code, out.splitlines()[0]) == (0, "added 0 entries")
    assert out.splitlines()[1].startswith(f"already present {len(items)}, refused 0: ")
    assert (root / "references.bib").read_bytes() == before


def test_keys_are_the_ids_by_default_and_auto_keys_are_unique(root: Path) -> None:
    items = [
        {"id": "A1", "type": "book", "title": "Deep Learning", "author": [{"family": "Goodfellow", "given": "Ian"}], "issued": {"date-parts": [[2016]]}},
        {"id": "A2", "type": "book", "title": "Deep Learning", "author": [{"family": "Goodfellow", "given": "I."}], "issued": {"date-parts": [[2016]]}},
    ]  # fmt: skip
    (root / "two.json").write_text(json.dumps(items), encoding="utf-8")
    assert run(root, "source", "add", "two.json", "--keys", "auto")[1] == (
        "added 2 entries: goodfellow2016deep, goodfellow2016deepa\nalready present 0, refused 0\n"
    )
    assert run(root, "source", "add", "two.json", "--keys", "auto")[1].startswith("added 0 entries\nalready present 2")
    assert run(root, "source", "add", "two.json")[1] == "added 2 entries: A1, A2\nalready present 0, refused 0\n"


def test_one_key_for_two_different_items_of_two_files(root: Path) -> None:
    (root / "a.json").write_text(json.dumps([{"id": "k", "type": "book", "title": "A"}]), encoding="utf-8")
    (root / "b.json").write_text(json.dumps([{"id": "k", "type": "book", "title": "B"}]), encoding="utf-8")
    assert refused(root, "source", "add", "a.json", "b.json").startswith(
        "error: k: the key is used twice in the input (as 'k') with other fields; did you mean 'ka', which is free?"
    )


def test_a_byte_identical_bibtex_entry_is_counted_not_refused(root: Path) -> None:
    assert run(root, "source", "add", stdin=BIB + "\n@misc{src2, title = {Two}}\n")[1] == (
        "added 1 entry: src2\nalready present 1, refused 0: src1\n"
    )


def test_the_same_doi_under_another_key_is_reported_with_both_keys(root: Path) -> None:
    run(root, "source", "add", stdin="@article{lecun2015, title = {Deep learning}, doi = {10.1038/NATURE14539}}")
    item = {
        "id": "https://doi.org/10.1038/nature14539",
        "type": "article-journal",
        "title": "Deep learning",
        "DOI": "10.1038/nature14539",
    }
    code, out, _ = run(root, "source", "add", "-", "--keys", "standard", stdin=json.dumps(item))
    assert (code, out) == (0, "added 0 entries\nalready present 1, refused 0: doi:10.1038/nature14539 (as lecun2015)\n")


def test_a_different_entry_under_a_used_key_refuses_the_whole_batch(root: Path) -> None:
    items = [{"id": "new1", "type": "book", "title": "New"}, {"id": "src1", "type": "book", "title": "Another"},
             {"id": "SRC1", "type": "book", "title": "Yet another"}]  # fmt: skip
    (root / "batch.json").write_text(json.dumps(items), encoding="utf-8")
    line = refused(root, "source", "add", "batch.json")
    assert line == (
        "error: references.bib:1: src1: the key is already in references.bib (as 'src1', line 1) with other fields "
        "(1 more entries refused too); did you mean 'src1a', which is free? (`claimtrack source sync` takes new fields); "
        "nothing was written"
    )


def test_a_csl_json_export_read_back_gives_the_same_entries(root: Path, tmp_path: Path) -> None:
    run(root, "source", "add", str(MANUBOT))
    assert run(root, "source", "export", "--format", "csljson", "-o", str(tmp_path / "out.json"))[0] == 0
    other = claimtrack.init(tmp_path / "other")
    (other / "references.bib").write_text(BIB, encoding="utf-8")
    code, out, err = run(other, "source", "add", str(tmp_path / "out.json"))
    assert code == 0, err
    assert (other / "references.bib").read_bytes() == (root / "references.bib").read_bytes()


@pytest.mark.parametrize(
    ("name", "keys", "added"),
    [
        pytest.param("zotero.ris", (), "lecun2015deep, wei2022chain, brown2020language, sutton2018reinforcement, watkins1989learning", id="ris"),
        pytest.param("pandoc-references.yaml", (), "fu2022gptroadmap, chen2021codex", id="csl-yaml"),
        pytest.param("pandoc-references.yaml", ("--keys", "standard"), "fu2022gptroadmap, doi:10.48550/arxiv.2107.03374", id="csl-yaml-standard"),
    ],
)  # fmt: skip
def test_other_formats(root: Path, name: str, keys: tuple[str, ...], added: str) -> None:
    code, out, err = run(root, "source", "add", str(SOURCES / name), *keys)
    assert (code, out.splitlines()[0]) == (0, f"added {len(added.split(', '))} entries: {added}"), err
    assert run(root, "source", "add", str(SOURCES / name), *keys)[1].startswith("added 0 entries")


def _cited_library(root: Path) -> claimtrack.Library:
    run(
        root,
        "source",
        "add",
        stdin="@article{paper42, title = {Sparse Mixtures of Widgets}, doi = {10.5555/jer.2021.0042}, year = {2021}}",
    )
    lib = claimtrack.open(root)
    for claim_id, stance in (("a", "supports"), ("b", "supports"), ("c", "contradicts")):
        lib.add(claim_id, f"Claim {claim_id}.", by="A", date="2022-12-11")
        lib.cite(claim_id, "paper42", stance=stance, by="A", date="2022-12-11")
    lib.import_notices([DATA / "notices" / "retraction_watch.csv"])
    return claimtrack.open(root)


def test_export_with_status(root: Path) -> None:
    _cited_library(root)
    status = "supports 2 claims, contradicts 1; retracted 2023-03-14 (Retraction Watch)"
    code, out, _ = run(root, "source", "export", "--format", "csljson", "--with-status")
    items = {i["id"]: i for i in json.loads(out)}
    assert items["paper42"]["note"] == status and items["src1"]["note"] == "cited by no claim"
    code, out, _ = run(root, "source", "export", "--with-status", "--claim", "c")
    assert out == (
        "@article{paper42, title = {Sparse Mixtures of Widgets}, doi = {10.5555/jer.2021.0042}, year = {2021},\n"
        f"  annotation = {{{status}}}\n}}\n"
    )
    code, out, _ = run(root, "source", "export", "--format", "biblatex", "--claim", "a")
    assert (
        out
        == "@article{paper42,\n  title = {Sparse Mixtures of Widgets},\n  date = {2021},\n  doi = {10.5555/jer.2021.0042},\n}\n"
    )
    assert run(root, "source", "export")[1] == (root / "references.bib").read_text(encoding="utf-8")


def test_export_ris_reads_back(root: Path) -> None:
    run(root, "source", "add", str(SOURCES / "zotero.ris"))
    code, out, _ = run(root, "source", "export", "--format", "ris")
    import rispy

    records = rispy.loads(out)
    assert [r["title"] for r in records][1:3] == [
        "Deep learning",
        "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
    ]
    assert records[1]["doi"] == "10.1038/nature14539" and records[1]["start_page"] == "436"


def test_a_manuscripts_doi_citations_resolve_in_render(root: Path, tmp_path: Path) -> None:
    run(root, "source", "add", str(MANUBOT), "--keys", "standard")
    paper = SOURCES / "manubot-introduction.md"
    cited = re.findall(r"@(doi:[^\];,\s]+\w)", paper.read_text(encoding="utf-8"))
    lib = claimtrack.open(root)
    assert len(cited) >= 7 and any(key not in lib.sources for key in cited)  # some are written in another case
    out = tmp_path / "rendered.md"
    assert run(root, "render", str(paper), "-o", str(out))[0] == 0
    rendered = re.findall(r"@(doi:[^\];,\s]+\w)", out.read_text(encoding="utf-8"))
    assert len(rendered) == len(cited) and all(key in lib.sources for key in rendered)
    exported = json.loads(run(root, "source", "export", "--format", "csljson", "--manuscript", str(paper))[1])
    ids = [item["id"] for item in exported]
    assert set(rendered) <= set(ids) and all(f"@{key}" in out.read_text(encoding="utf-8") for key in ids)


def test_doi_citations_resolve_to_entries_keyed_otherwise(root: Path, tmp_path: Path) -> None:
    run(root, "source", "add", str(MANUBOT))  # keys are the items' ids
    out = tmp_path / "rendered.md"
    (tmp_path / "p.md").write_text("Varying coefficients [@doi:10.1111/J.2517-6161.1993.TB01939.X; @other].\n", encoding="utf-8")
    assert run(root, "render", str(tmp_path / "p.md"), "-o", str(out))[0] == 0
    (key,) = re.findall(r"\[@(\S+);", out.read_text(encoding="utf-8"))
    assert claimtrack.open(root).sources[key].doi == "10.1111/j.2517-6161.1993.tb01939.x"
    assert "@other]" in out.read_text(encoding="utf-8")


def test_sync_follows_an_upstream_file(root: Path, tmp_path: Path) -> None:
    items = json.loads(MANUBOT.read_text(encoding="utf-8"))[:5]
    upstream = tmp_path / "zotero.json"
    upstream.write_text(json.dumps(items), encoding="utf-8")
    assert run(root, "source", "sync", str(upstream))[1].startswith("added 5, updated 0, unchanged 0\ngone upstream: src1\n")
    lib = claimtrack.open(root)
    lib.add("uses", "A claim.", by="A", date="2022-12-11")
    lib.cite("uses", items[1]["id"], by="A", date="2022-12-11")
    before = (root / "references.bib").read_text(encoding="utf-8")
    changed = dict(items[0], title="A corrected title")
    upstream.write_text(json.dumps([changed, *items[3:], {"id": "new", "type": "book", "title": "New"}]), encoding="utf-8")
    code, out, _ = run(root, "source", "sync", str(upstream), "--prune")
    assert out == (
        "added 1, updated 1, unchanged 2, removed 2\n"
        f"updated {items[0]['id']}\n"
        "removed src1 (gone upstream, cited by no claim)\n"
        f"gone upstream: {items[1]['id']} (kept: claims cite it)\n"
        f"removed {items[2]['id']} (gone upstream, cited by no claim)\n"
    )
    after = (root / "references.bib").read_text(encoding="utf-8")
    lib = claimtrack.open(root)
    assert lib.sources[items[0]["id"]].title == "A corrected title" and "new" in lib.sources
    assert items[1]["id"] in lib.sources and items[2]["id"] not in lib.sources and "src1" not in lib.sources
    untouched = lib.sources[items[3]["id"]].raw
    assert untouched in before and untouched in after
    assert after.count("\n\n\n") == 0
    assert run(root, "source", "sync", str(upstream))[1].startswith("added 0, updated 0, unchanged 4\n")


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param('[{"id": "a", "type": "book"', "refs.json:1: is not valid JSON", id="broken-json"),
        pytest.param('[{"type": "book", "title": "T"}]', "refs.json: item 1 ('T') has no id", id="no-id"),
        pytest.param('[{"id": "a"}, {"id": "a"}]', "refs.json: a: items 1 and 2 have the same id", id="duplicate-ids"),
    ],
)
def test_bad_files_write_nothing(root: Path, content: str, error: str) -> None:
    (root / "refs.json").write_text(content, encoding="utf-8")
    assert refused(root, "source", "add", "refs.json").startswith(f"error: {error}")


def test_a_200_mb_file_is_refused_unread(root: Path) -> None:
    with open(root / "huge.json", "wb") as f:
        f.truncate(200 << 20)  # sparse: no disk used, and claimtrack must not read it
    assert refused(root, "source", "add", "huge.json") == (
        "error: huge.json: is 200 MB, more than the 64 MB a bibliography file may have; split it into smaller files"
    )


def test_a_fifo_is_refused(root: Path) -> None:
    os.mkfifo(root / "pipe.json")
    assert "pipe.json: is a FIFO (named pipe), not a regular file" in refused(root, "source", "add", "pipe.json")


def test_standard_input_with_a_named_format_and_abstracts(root: Path) -> None:
    ris = (SOURCES / "zotero.ris").read_text(encoding="utf-8")
    code, out, err = run(root, "source", "add", "-", "--from", "ris", "--abstracts", stdin=ris)
    assert code == 0, err
    lecun = claimtrack.open(root).sources["lecun2015deep"]
    assert lecun.field("abstract", decode=False).startswith("Deep learning allows computational models")
    assert "not carried over" not in err


def test_sync_carries_the_string_macros_new_entries_use(root: Path, tmp_path: Path) -> None:
    upstream = tmp_path / "export.bib"
    upstream.write_text("@string{jmlr = {Journal of Machine Learning Research}}\n\n@article{a, title = {A}, journal = jmlr}\n")
    assert run(root, "source", "sync", str(upstream))[1].startswith("added 1, updated 0, unchanged 0\n")
    assert claimtrack.open(root).sources["a"].field("journal") == "Journal of Machine Learning Research"
    assert "@string{jmlr" in (root / "references.bib").read_text(encoding="utf-8")
    assert run(root, "source", "sync", str(upstream))[1].startswith("added 0, updated 0, unchanged 1\n")
