"""Tests for claimtrack.sources (and the LaTeX helpers in claimtrack.latex)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack import sources as sources_module
from claimtrack.errors import ClaimtrackError, SourceError, SourceNotFoundError
from claimtrack.fileio import cache_dir
from claimtrack.sources import CACHE_NAME, Source, SourceProblem, Sources

BIB_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "bib"

MIXED = """\
@article{good1,
  title = {A G{\\"o}del {{GPT}} study -- part one},
  author = {M{\\"u}ller, Hans and Jane Doe and others},
  journal = {Journal of Caf{\\'e} Science \\& Art},
  year = 2020,
}

@article{dup,
  title = {first},
}

@article{broken,
  title = {unclosed
  year = 2020

@misc{dup,
  title = "second",
}

@article{Case,
  title = {upper},
}

@article{case,
  title = {lower},
  Title = {again},
}

@misc{notitle, year = {2021}}

@book{good2, title = "Quoted", year = {1999}}
"""


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture
def mixed(tmp_path: Path) -> Sources:
    return Sources.load(_write(tmp_path / "references.bib", MIXED))


# --- loading and problems ---------------------------------------------------------


def test_good_entries_are_all_there(mixed: Sources) -> None:
    assert list(mixed) == ["good1", "dup", "Case", "case", "notitle", "good2"]
    assert mixed["dup"].title == "first"  # the first definition counts, as in BibTeX
    assert mixed["good2"].entry_type == "book"
    assert mixed["good2"].fields == {"title": "Quoted", "year": "1999"}
    assert mixed["good1"].line == 1
    assert mixed["good2"].line == 31


def test_every_problem_is_reported_with_its_line(mixed: Sources) -> None:
    got = [(p.kind, p.key, p.line) for p in mixed.problems]
    assert got == [
        ("parse-failed", "broken", 12),
        ("duplicate-key", "dup", 16),
        ("case-collision", "case", 24),
        ("duplicate-field", "case", 24),
        ("missing-field", "notitle", 29),
    ]
    messages = {p.kind: p.message for p in mixed.problems}
    assert messages["duplicate-key"] == (
        "entry 'dup' is defined twice (lines 8 and 16); keep one and delete the other (the first one is used)"
    )
    assert messages["case-collision"] == (
        "entries 'Case' (line 20) and 'case' (line 24) differ only in letter case, "
        "which BibTeX treats as the same key; rename or delete one"
    )
    assert (
        messages["duplicate-field"]
        == "entry 'case' (line 24) sets 'title' more than once; keep one value (the first one is used)"
    )
    assert messages["parse-failed"].startswith("entry 'broken' starting at line 12 could not be parsed (")


def test_entry_with_repeated_field_is_recovered(mixed: Sources) -> None:
    # bibtexparser drops it from library.entries; we keep it, first value wins.
    assert mixed["case"].fields == {"title": "lower"}
    assert mixed["case"].raw.startswith("@article{case,") and mixed["case"].raw.endswith("}")


def test_raw_is_the_exact_text(mixed: Sources) -> None:
    assert mixed["good2"].raw == '@book{good2, title = "Quoted", year = {1999}}'
    assert MIXED.count(mixed["good1"].raw) == 1


def test_lookup(mixed: Sources) -> None:
    assert mixed.get("CASE") is None
    assert mixed.get("Case").fields["title"] == "upper"
    assert mixed.find("GOOD1") is mixed["good1"]
    assert mixed.find("CASE").key == "Case"  # the first of the pair
    assert mixed.find("nope") is None
    with pytest.raises(SourceNotFoundError) as info:
        mixed["GOOD1"]
    assert isinstance(info.value, KeyError) and isinstance(info.value, ClaimtrackError)
    assert "did you mean 'good1'?" in str(info.value)


def test_missing_file_is_empty(tmp_path: Path) -> None:
    sources = Sources.load(tmp_path / "references.bib")
    assert len(sources) == 0 and sources.problems == ()


def test_non_utf8_bytes_are_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "references.bib"
    path.write_bytes(b"@article{a, title = {ok}}\n\n@article{b,\n  title = {Caf\xe9},\n}\n")
    sources = Sources.load(path)
    assert set(sources) == {"a", "b"}
    assert sources["b"].fields["title"] == "Caf\ufffd"
    [problem] = sources.problems
    assert (problem.kind, problem.line) == ("parse-failed", 4)
    assert "line 4 is not valid UTF-8 (byte 0xe9)" in problem.message


def test_problem_kind_is_validated() -> None:
    with pytest.raises(ValueError):
        SourceProblem("typo", None, None, "x")


# --- fields, names, CSL --------------------------------------------------------------


def test_field_decodes_latex_lazily(mixed: Sources) -> None:
    good = mixed["good1"]
    assert good.field("TITLE", decode=False) == 'A G{\\"o}del {{GPT}} study -- part one'
    assert good.title == "A Gödel GPT study – part one"
    assert good.field("journal") == "Journal of Café Science & Art"
    assert good.container == "Journal of Café Science & Art"
    assert good.year == "2020"
    assert good.field("volume") is None


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        pytest.param('{\\"o}', "ö", id="umlaut"),
        pytest.param("\\'e", "é", id="acute"),
        pytest.param("\\&", "&", id="ampersand"),
        pytest.param("1--10", "1–10", id="en-dash"),
        pytest.param("{{GPT}}-3", "GPT-3", id="double-braces"),
        pytest.param("{\\LaTeX} and more", "LaTeX and more", id="logo"),
        pytest.param("two\n   lines", "two lines", id="whitespace"),
    ],
)
def test_decode(raw: str, text: str) -> None:
    assert Source("k", "misc", {"title": raw}).title == text


def test_source_is_frozen_and_hashable() -> None:
    source = Source("k", "Article", {"Title": "T"})
    assert source.entry_type == "article" and source.fields == {"title": "T"}
    assert hash(source) == hash(Source("k", "article", {"title": "T"}))
    assert Source("k", "misc", {"a": "1", "b": "2"}) == Source("k", "misc", [("b", "2"), ("a", "1"), ("A", "x")])
    assert hash(Source("k", "misc", {"a": "1", "b": "2"})) == hash(Source("k", "misc", {"b": "2", "a": "1"}))
    with pytest.raises(AttributeError):
        source.key = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        source.fields["title"] = "x"  # type: ignore[index]


def test_authors_and_editors() -> None:
    source = Source(
        "k",
        "book",
        {
            "author": 'M{\\"u}ller, Hans and Jane Doe and {BigScience Workshop} and Ludwig van Beethoven and Smith, Jr, John and others',
            "editor": "{Barnes and Noble} AND Anna Karenina",
        },
    )
    assert source.authors == ["Müller, Hans", "Doe, Jane", "BigScience Workshop", "van Beethoven, Ludwig", "Smith, Jr, John"]
    assert source.editors == ["Barnes and Noble", "Karenina, Anna"]


def test_csl_article() -> None:
    source = Source(
        "brown2020language",
        "article",
        {
            "title": "Language Models are Few-Shot Learners",
            "author": "Brown, Tom B. and Mann, Benjamin and others",
            "journal": "Advances in Neural Information Processing Systems",
            "volume": "33",
            "pages": "1877--1901",
            "year": "2020",
            "month": "dec",
            "doi": "https://doi.org/10.5555/3495724.3495883",
        },
    )
    assert source.to_csl() == {
        "id": "brown2020language",
        "type": "article-journal",
        "title": "Language Models are Few-Shot Learners",
        # "and others" is kept as a suffix on the last name, so every style prints "et al.".
        "author": [{"family": "Brown", "given": "Tom B."}, {"family": "Mann", "given": "Benjamin", "suffix": "et al."}],
        "issued": {"date-parts": [[2020, 12]]},
        "container-title": "Advances in Neural Information Processing Systems",
        "volume": "33",
        "page": "1877-1901",
        "DOI": "10.5555/3495724.3495883",
    }


def test_csl_inproceedings_with_arxiv() -> None:
    source = Source(
        "wei2022chain",
        "inproceedings",
        {
            "title": "Chain-of-Thought Prompting Elicits Reasoning in {L}arge {L}anguage {M}odels",
            "author": "Jason Wei and Xuezhi Wang",
            "booktitle": "Proc. of Neur{IPS}",
            "year": "2022",
            "eprint": "2201.11903",
            "archivePrefix": "arXiv",
        },
    )
    assert source.eprint == "2201.11903"
    assert source.to_csl() == {
        "id": "wei2022chain",
        "type": "paper-conference",
        "title": "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
        "author": [{"family": "Wei", "given": "Jason"}, {"family": "Wang", "given": "Xuezhi"}],
        "issued": {"date-parts": [[2022]]},
        "container-title": "Proc. of NeurIPS",
        "number": "arXiv:2201.11903",
    }


def test_csl_misc_with_url_and_literal_author() -> None:
    source = Source(
        "bigscience2022bloom",
        "misc",
        {
            "title": "{BLOOM}: A 176B-Parameter Open-Access Multilingual Language Model",
            "author": "{BigScience Workshop}",
            "url": "https://huggingface.co/bigscience/bloom\\_x",
            "year": "2022b",
        },
    )
    assert source.url == "https://huggingface.co/bigscience/bloom_x"
    assert source.to_csl() == {
        "id": "bigscience2022bloom",
        "type": "webpage",
        "title": "BLOOM: A 176B-Parameter Open-Access Multilingual Language Model",
        "author": [{"literal": "BigScience Workshop"}],
        "URL": "https://huggingface.co/bigscience/bloom_x",
    }  # no "issued": "2022b" is not a number


def test_csl_misc_without_url_is_an_article() -> None:
    assert Source("k", "misc", {"title": "T"}).to_csl() == {"id": "k", "type": "article", "title": "T"}
    assert Source("k", "techreport", {"institution": "MIT"}).to_csl()["publisher"] == "MIT"


# --- adding -----------------------------------------------------------------------------

NEW = "@article{fu2022roadmap,\n  title = {How does {GPT} Obtain its Ability?},\n  year = {2022}\n}"


def test_add_appends_and_keeps_every_other_byte(tmp_path: Path) -> None:
    path = _write(tmp_path / "references.bib", MIXED)
    before = path.read_bytes()
    keys = Sources.load(path).add(NEW, root=tmp_path)
    assert keys == ("fu2022roadmap",)
    after = path.read_bytes()
    assert after == before + b"\n" + NEW.encode() + b"\n"
    reloaded = Sources.load(path)
    assert reloaded["fu2022roadmap"].title == "How does GPT Obtain its Ability?"
    assert reloaded["fu2022roadmap"].line == MIXED.count("\n") + 2


def test_add_to_file_without_final_newline_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "references.bib"
    path.write_bytes(b"@misc{a,\r\n  title = {A}\r\n}")
    Sources.load(path).add(NEW + "\n\n\n", root=tmp_path)
    assert path.read_bytes() == b"@misc{a,\r\n  title = {A}\r\n}\r\n\r\n" + NEW.replace("\n", "\r\n").encode() + b"\r\n"


def test_add_several_entries(tmp_path: Path) -> None:
    path = _write(tmp_path / "references.bib", "@misc{a, title={A}}\n\n")
    text = "% from the publisher\n@misc{b, title={B}}\n@string{venue = {NeurIPS}}\n@misc{c, title={C}, journal = venue}\n"
    assert Sources.load(path).add(text, root=tmp_path) == ("b", "c")
    assert (
        path.read_text()
        == "@misc{a, title={A}}\n\n@misc{b, title={B}}\n\n@string{venue = {NeurIPS}}\n\n@misc{c, title={C}, journal = venue}\n"
    )
    assert Sources.load(path)["c"].fields["journal"] == "NeurIPS"


def test_add_refuses_a_string_macro_the_file_defines(tmp_path: Path) -> None:
    path = _write(tmp_path / "references.bib", "@string{Venue = {ICML}}\n@misc{a, title={A}}\n")
    with pytest.raises(SourceError, match="@string 'venue' is already defined in references.bib"):
        Sources.load(path).add("@string{venue = {NeurIPS}}\n@misc{b, title={B}}", root=tmp_path)
    assert path.read_text() == "@string{Venue = {ICML}}\n@misc{a, title={A}}\n"


def test_malformed_blocks_are_not_logged(mixed: Sources, caplog: pytest.LogCaptureFixture) -> None:
    # every failed block is a SourceProblem; a log line would only repeat it on stderr
    Sources.load(mixed.path)
    assert not [r for r in caplog.records if r.levelno >= 30]


def test_add_creates_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "references.bib"
    Sources.load(path).add(NEW, root=tmp_path)
    assert path.read_text() == NEW + "\n"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        pytest.param(
            "@misc{good1, title={again}}", "good1: the key is already in references.bib (as 'good1', line 1)", id="duplicate"
        ),
        pytest.param(
            "@misc{GOOD1, title={again}}", "GOOD1: the key is already in references.bib (as 'good1', line 1)", id="case"
        ),
        pytest.param("@misc{CASE, title={x}}", "CASE: the key is already in references.bib (as 'Case', line 20)", id="case-pair"),
        pytest.param("@misc{x, title = {open\n@misc{y, title={y}}", "the new BibTeX does not parse", id="malformed"),
        pytest.param(
            "@misc{broken, title={x}}",
            "broken: the key is already in references.bib, in a block that does not parse",
            id="broken",
        ),
        pytest.param("@misc{x, title={a}}\n@misc{x, title={b}}", "the key 'x' is used twice in the new BibTeX", id="twice"),
        pytest.param(
            "@misc{x, title={a}}\n@misc{X, title={b}}", "the new keys 'x' and 'X' differ only in letter case", id="twice-case"
        ),
        pytest.param("@misc{x, title={a}, title={b}}", "an entry sets the same field twice", id="field-twice"),
        pytest.param("just some text\n", "no BibTeX entry found", id="empty"),
    ],
)
def test_add_refuses_and_writes_nothing(tmp_path: Path, text: str, error: str) -> None:
    path = _write(tmp_path / "references.bib", MIXED)
    stat = path.stat()
    with pytest.raises(SourceError) as info:
        Sources.load(path).add(text, root=tmp_path)
    assert error in str(info.value)
    assert "\n" not in str(info.value)
    assert path.read_text() == MIXED and path.stat().st_mtime_ns == stat.st_mtime_ns


# --- round trip ----------------------------------------------------------------------------

_PLAIN = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="{}\\@"),
    max_size=12,
)
_VALUE = st.lists(st.one_of(_PLAIN, _PLAIN.map(lambda t: "{" + t + "}")), max_size=4).map("".join).map(str.strip)
_FIELDS = st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,9}", fullmatch=True), _VALUE, min_size=1, max_size=5)
_KEY = st.from_regex(r"[A-Za-z][A-Za-z0-9_:\-]{0,15}", fullmatch=True)
_ENTRIES = st.dictionaries(_KEY, _FIELDS, min_size=1, max_size=4).filter(lambda d: len({k.casefold() for k in d}) == len(d))


def _bibtex(entries: dict[str, dict[str, str]]) -> str:
    blocks = []
    for key, fields in entries.items():
        body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
        blocks.append(f"@misc{{{key},\n{body}}}")
    return "\n\n".join(blocks) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=_ENTRIES, second=_ENTRIES)
def test_round_trip_keeps_every_key_and_field(tmp_path: Path, first: dict, second: dict) -> None:
    second = {k: v for k, v in second.items() if k.casefold() not in {f.casefold() for f in first}}
    folder = tmp_path / hashlib.sha256(repr((first, second)).encode()).hexdigest()[:16]
    folder.mkdir(exist_ok=True)
    path = folder / "references.bib"
    path.write_text(_bibtex(first), encoding="utf-8")
    loaded = Sources.load(path)
    assert {k: dict(s.fields) for k, s in loaded.items()} == first
    if second:
        assert Sources.load(path).add(_bibtex(second), root=folder) == tuple(second)
    again = Sources.load(path, cache=cache_dir(folder))
    assert {k: dict(s.fields) for k, s in again.items()} == first | second
    assert [p.kind for p in again.problems] == ["missing-field"] * sum("title" not in f for f in (first | second).values())


# --- cache ----------------------------------------------------------------------------------


def test_warm_load_uses_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "references.bib", MIXED)
    cache = cache_dir(tmp_path)
    cold = Sources.load(path, cache=cache)
    assert (cache / CACHE_NAME).is_file()

    def fail(data: bytes) -> None:
        raise AssertionError("parsed again although the cache is fresh")

    with monkeypatch.context() as patch:
        patch.setattr(sources_module, "parse_bytes", fail)
        warm = Sources.load(path, cache=cache)
    assert warm == cold
    assert warm.problems == cold.problems
    assert warm["good1"] == cold["good1"] and warm["good1"].title == cold["good1"].title


@pytest.mark.parametrize("change", ["touch", "edit", "corrupt-cache"])
def test_stale_cache_is_never_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    path = _write(tmp_path / "references.bib", MIXED)
    cache = cache_dir(tmp_path)
    Sources.load(path, cache=cache)
    calls = []
    real = sources_module.parse_bytes
    monkeypatch.setattr(sources_module, "parse_bytes", lambda data: calls.append(1) or real(data))
    if change == "touch":
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    elif change == "edit":
        # Same size and mtime, other bytes: only the hash can tell.
        stat = path.stat()
        path.write_bytes(MIXED.replace("good2", "good3").encode())
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    else:
        (cache / CACHE_NAME).write_bytes(b"\x00garbage")
    sources = Sources.load(path, cache=cache)
    assert calls == [1]
    assert ("good3" in sources) == (change == "edit")
    assert Sources.load(path, cache=cache) == sources and calls == [1]  # rewritten, fresh again


# --- real bibliographies ---------------------------------------------------------------------

REAL = sorted(BIB_DIR.glob("*.bib")) if BIB_DIR.is_dir() else []


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, id=name, marks=[pytest.mark.slow] if name.startswith("jgrey") else [])
        for name in ("aaai2023_dblp.bib", "cdl.bib", "iridia_all.bib", "mendeley_library.bib", "jgrey_main_all.bib")
    ],
)
def test_real_bibliography(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bib = BIB_DIR / name
    if not bib.is_file():
        pytest.skip(f"{bib} is absent")
    # Capture the Library that Sources.load parses, so the 10 MB file is parsed once.
    seen: list[bibtexparser.Library] = []
    real_parse = bibtexparser.parse_string
    monkeypatch.setattr(bibtexparser, "parse_string", lambda text: seen.append(real_parse(text)) or seen[-1])
    copy = tmp_path / "references.bib"
    shutil.copyfile(bib, copy)
    sources = Sources.load(copy)
    [library] = seen
    recovered = [b for b in library.failed_blocks if isinstance(b, bibtexparser.model.DuplicateFieldKeyBlock)]
    assert len(sources) == len(library.entries) + len(recovered)
    assert all(isinstance(p, SourceProblem) for p in sources.problems)
    kinds = [p.kind for p in sources.problems]
    if name.startswith("jgrey"):
        duplicates = [p for p in sources.problems if p.kind == "duplicate-key"]
        assert len(duplicates) == 7
        assert all(p.key in sources and p.line > sources[p.key].line for p in duplicates)
    elif name.startswith("aaai"):
        [collision] = [p for p in sources.problems if p.kind == "case-collision"]
        assert sources.find(collision.key.upper()) is not None
    else:
        assert "duplicate-key" not in kinds and "case-collision" not in kinds
    # Every entry's raw text is a verbatim slice of the file, starting on its line.
    text = copy.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    for source in list(sources.values())[:: max(1, len(sources) // 200)]:
        assert lines[source.line - 1].lstrip().startswith(source.raw.split("\n")[0].lstrip()[:20])
        assert source.raw in text
        source.title, source.authors, source.to_csl()  # decoding never raises


_NAMEISH = st.text(alphabet=st.sampled_from(list("ab dnAND,.~\\\t\n-éß")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_NAMEISH, st.sampled_from([",", " "]))
def test_brace_free_names_split_as_the_brace_aware_scan_does(value: str, sep: str) -> None:
    from claimtrack import latex

    assert latex.split_names(value) == latex._scan_names(value)
    assert latex._split_top(value, sep) == latex._scan_top(value, sep)


def _planted_stamp(path: Path) -> tuple[object, ...]:
    """The stamp a cache row of ``path`` carries: everything in it can be computed from the clone itself."""
    data = path.read_bytes()
    st = path.stat()
    return (
        sources_module._CACHE_FORMAT,
        bibtexparser.__version__,
        str(path.resolve()),
        st.st_size,
        st.st_mtime_ns,
        hashlib.sha256(data).hexdigest(),
    )


@pytest.mark.parametrize("signature", ["none", "another-key"])
def test_a_planted_sources_cache_is_never_shown(tmp_path: Path, signature: str) -> None:
    """A clone that brings .claimtrack/sources.cache with rows of its own: the bibliography comes from the file."""
    import hmac
    import marshal

    path = _write(tmp_path / "references.bib", MIXED)
    cache = cache_dir(tmp_path)
    rows = [("planted", "misc", (("title", "Planted title"),), 1, "@misc{planted, title = {Planted title}}")]
    payload = marshal.dumps((_planted_stamp(path), rows, []))
    prefix = b"" if signature == "none" else hmac.digest(b"some other key", payload, "sha256")
    (cache / CACHE_NAME).write_bytes(prefix + payload)
    loaded = Sources.load(path, cache=cache)
    assert "planted" not in loaded and "good1" in loaded
    # The file was parsed and the cache replaced by a signed one, which the next load uses.
    again = Sources.load(path, cache=cache)
    assert again == loaded and (cache / CACHE_NAME).read_bytes() != prefix + payload


def test_a_symlinked_sources_cache_is_not_followed(tmp_path: Path) -> None:
    path = _write(tmp_path / "references.bib", MIXED)
    cache = cache_dir(tmp_path)
    target = tmp_path / "elsewhere.cache"
    target.write_bytes(b"someone else's file")
    (cache / CACHE_NAME).symlink_to(target)
    assert "good1" in Sources.load(path, cache=cache)
    assert target.read_bytes() == b"someone else's file"
    assert not (cache / CACHE_NAME).is_symlink()
