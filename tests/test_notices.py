"""Notices: reading Retraction Watch, Crossref and OpenAlex files, matching them, keeping them in notices.toml."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimtrack
from claimtrack.errors import NoticeError
from claimtrack.notices import Notice, NoticeKind, Notices, SourceIndex, normal_arxiv, normal_doi, normal_pmid, read_bytes
from claimtrack.notices.file import load, render
from claimtrack.notices.importing import merge

DATA = Path(__file__).resolve().parent / "data" / "notices"
RW, CROSSREF, OPENALEX = DATA / "retraction_watch.csv", DATA / "crossref.jsonl", DATA / "openalex.jsonl"


@pytest.fixture
def lib(tmp_path: Path) -> claimtrack.Library:
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(DATA / "references.bib", root / "references.bib")
    return claimtrack.open(root)


def _index(lib: claimtrack.Library) -> SourceIndex:
    return SourceIndex(lib.sources)


# -- identifiers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, expected",
    [
        pytest.param("10.5555/ABC.1", "10.5555/abc.1", id="upper-case"),
        pytest.param("https://doi.org/10.5555/abc.1", "10.5555/abc.1", id="https-prefix"),
        pytest.param("http://dx.doi.org/10.5555/abc.1", "10.5555/abc.1", id="dx-prefix"),
        pytest.param("doi:10.5555/abc.1", "10.5555/abc.1", id="doi-colon"),
        pytest.param("DOI: 10.5555/abc.1.", "10.5555/abc.1", id="doi-colon-space-trailing-dot"),
        pytest.param("https://doi.org/10.5555%2Fabc.1", "10.5555/abc.1", id="url-escaped"),
        pytest.param("unavailable", None, id="unavailable"),
        pytest.param("", None, id="empty"),
    ],
)
def test_doi_forms(written, expected):
    assert normal_doi(written) == expected


@pytest.mark.parametrize(
    "written, expected",
    [
        ("29123456", "29123456"),
        ("0", None),
        ("", None),
        ("https://pubmed.ncbi.nlm.nih.gov/29123456", "29123456"),
        ("PMID: 7", "7"),
    ],
)
def test_pmid_forms(written, expected):
    assert normal_pmid(written) == expected


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2201.11903", "2201.11903"),
        ("2201.11903v6", "2201.11903"),
        ("arXiv:2201.11903v2", "2201.11903"),
        ("https://arxiv.org/abs/2201.11903v2", "2201.11903"),
        ("https://arxiv.org/pdf/2201.11903.pdf", "2201.11903"),
        ("10.48550/arXiv.2201.11903", "2201.11903"),
        ("hep-th/9901001v1", "hep-th/9901001"),
        ("10.5555/abc", None),
    ],
)
def test_arxiv_forms(written, expected):
    assert normal_arxiv(written) == expected


@given(
    st.from_regex(r"10\.[0-9]{4,5}/[a-z0-9.]{0,11}[a-z0-9]", fullmatch=True), st.sampled_from(["", "doi:", "https://doi.org/"])
)
def test_doi_prefix_and_case_do_not_matter(doi, prefix):
    assert normal_doi(prefix + doi.upper()) == normal_doi(doi) == doi


def test_index_finds_sources_by_every_identifier(lib):
    index = _index(lib)
    assert dict(index.match(dois=["10.5555/jer.2021.0042"])) == {"example2021widgets": "doi:10.5555/jer.2021.0042"}
    assert dict(index.match(dois=["https://doi.org/10.5555/el.2022.0007"])) == {"sample2022benchmark": "doi:10.5555/el.2022.0007"}
    assert dict(index.match(pmids=["29123456"])) == {"gene2018widgets": "pmid:29123456"}
    assert dict(index.match(dois=["10.48550/arXiv.2301.00001"])) == {"preprint2023example": "arxiv:2301.00001"}
    assert dict(index.match(dois=["10.5555/unrelated.9"], pmids=["0"])) == {}


# -- reading -----------------------------------------------------------------------------------


def test_retraction_watch_csv_in_its_real_columns(lib):
    read = read_bytes(RW.read_bytes(), str(RW), _index(lib))
    assert read.format == "retraction-watch" and read.records == 5
    by_key = {n.source: (n, line) for n, line in read.notices}
    # A row about a DOI the library does not cite (10.5555/jut.2019.1) gives nothing.
    assert set(by_key) == {"example2021widgets", "sample2022benchmark", "gene2018widgets"}
    retraction, line = by_key["example2021widgets"]
    assert (retraction.kind, retraction.date, retraction.record, line) == (NoticeKind.RETRACTION, "2023-03-14", "40001", 2)
    assert retraction.notice_doi == "10.5555/jer.2023.retr.1"
    assert retraction.reason == "Concerns/Issues About Data; Error in Analyses"
    assert retraction.matched == "doi:10.5555/jer.2021.0042"  # the entry writes it as https://doi.org/...
    correction = by_key["sample2022benchmark"][0]
    assert (correction.kind, correction.date, correction.matched) == (
        NoticeKind.CORRECTION,
        "2022-09-01",
        "doi:10.5555/el.2022.0007",
    )
    gene = by_key["gene2018widgets"][0]
    assert (gene.matched, gene.notice_doi, gene.date) == ("pmid:29123456", None, "2021-11-30")


def test_retraction_watch_bytes_that_are_not_utf8_are_read_as_windows_1252(lib):
    data = RW.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    row = b'"40009","Caf\xe9","","","","","","","","","1/2/2020 0:00","","","","10.5555/JER.2020.0001","","Retraction","+Error in Data;","No",""\r\n'
    read = read_bytes(data + row, "rw.csv", _index(lib))
    assert [n.record for n, _ in read.notices if n.source == "sound2020result"] == ["40009"]


@pytest.mark.parametrize(
    "written", ["10.5555/JER.2020.0001", "10.5555/jer.2020.0001.", "10.5555%2Fjer.2020.0001", " doi:10.5555/jer.2020.0001"]
)
def test_retraction_watch_dois_in_other_forms_still_match(lib, written):
    header = RW.read_bytes().split(b"\r\n", 1)[0].decode()
    row = f'"7","","","","","","","","","","1/2/2020 0:00","","","","{written}","","Retraction","","",""'
    read = read_bytes(f"{header}\n{row}\n".encode(), "rw.csv", _index(lib))
    assert [(n.source, n.matched) for n, _ in read.notices] == [("sound2020result", "doi:10.5555/jer.2020.0001")]


def test_retraction_watch_natures(lib):
    header = RW.read_bytes().split(b"\r\n", 1)[0] + b"\r\n"
    rows = [
        b'"1","","","","","","","","","","6/1/2021 0:00","","","","10.5555/jer.2020.0001","","Expression of concern","","",""',
        b'"2","","","","","","","","","","7/1/2021 0:00","","","","10.5555/jer.2020.0001","","Retraction","","",""',
        b'"3","","","","","","","","","","8/1/2021 0:00","","","","10.5555/jer.2020.0001","","Reinstatement","","",""',
        b'"4","","","","","","","","","","9/1/2021 0:00","","","","10.5555/jer.2020.0001","","Something New","","",""',
    ]
    read = read_bytes(header + b"\r\n".join(rows), "rw.csv", _index(lib))
    kinds = [n.kind for n, _ in read.notices]
    assert kinds == [NoticeKind.EXPRESSION_OF_CONCERN, NoticeKind.RETRACTION, NoticeKind.REINSTATEMENT]
    notices = Notices([n for n, _ in read.notices])
    assert notices.retraction("sound2020result") is None  # reinstated after it was retracted
    assert notices.concerns("sound2020result")


def test_crossref_json_lines_both_directions(lib):
    read = read_bytes(CROSSREF.read_bytes(), str(CROSSREF), _index(lib))
    assert read.format == "crossref" and read.records == 5
    found = sorted((n.source, n.kind.value, n.date, n.record) for n, _ in read.notices)
    # The correction appears on the notice's work (update-to) and on the paper's (updated-by): one notice.
    assert sorted(set(found)) == [
        ("sample2022benchmark", "correction", "2022-09-01", "10.5555/el.2022.corr.7"),
        ("widget2022concern", "expression-of-concern", "2023-06-01", "10.5555/ecr.2023.eoc.1"),
    ]


def test_crossref_api_responses_are_unwrapped(lib):
    work = CROSSREF.read_text(encoding="utf-8").splitlines()[0]
    single = f'{{"status": "ok", "message-type": "work", "message": {work}}}'
    listed = f'{{"status": "ok", "message-type": "work-list", "message": {{"items": [{work}]}}}}'
    for text in (single, listed, f"[{work}]"):
        read = read_bytes(text.encode(), "works.json", _index(lib))
        assert [(n.source, n.kind) for n, _ in read.notices] == [("widget2022concern", NoticeKind.EXPRESSION_OF_CONCERN)]


def test_compressed_snapshots_are_read(lib):
    read = read_bytes(gzip.compress(OPENALEX.read_bytes()), "part_000.gz", _index(lib))
    assert read.format == "openalex" and len(read.notices) == 2
    with pytest.raises(NoticeError, match=r"^part_001\.gz: is a broken gzip file"):
        read_bytes(gzip.compress(OPENALEX.read_bytes())[:40], "part_001.gz", _index(lib))


def test_openalex_json_lines(lib):
    read = read_bytes(OPENALEX.read_bytes(), str(OPENALEX), _index(lib))
    assert read.format == "openalex" and read.records == 4
    assert sorted((n.source, n.matched, n.record, n.date) for n, _ in read.notices) == [
        ("gene2018widgets", "pmid:29123456", "W4000000003", None),
        ("preprint2023example", "arxiv:2301.00001", "W4000000001", None),
    ]


@pytest.mark.parametrize(
    "name, data, message",
    [
        pytest.param("x.bib", b"@article{a, title={x}}\n", "x.bib:1: is not in a format claimtrack reads", id="unknown-format"),
        pytest.param("x.txt", b"   \n", "x.txt: is empty", id="empty"),
        pytest.param(
            "x.csv",
            b"Title,Author,DOI\nA,B,10.1/x\n",
            "x.csv:1: the CSV header lacks the Retraction Watch columns 'Record ID', 'RetractionDate'",
            id="csv-without-the-header",
        ),
        pytest.param(
            "x.csv",
            b"Record ID,Title,RetractionDOI,OriginalPaperDOI,OriginalPaperPubMedID,RetractionNature\n",
            "x.csv:1: the CSV header lacks the Retraction Watch column 'RetractionDate'",
            id="csv-missing-one-column",
        ),
        pytest.param(
            "x.json",
            b'{"DOI": "10.1/x",\n "oops"\n}',
            "x.json:3: broken JSON at column 1: Expecting ':' delimiter",
            id="broken-json",
        ),
        pytest.param(
            "x.jsonl", b'{"DOI": "10.1/x"}\n{"DOI": "10.1/y"}\n{"DOI": \n', "x.jsonl:3: broken JSON", id="broken-json-line"
        ),
        pytest.param(
            "x.jsonl", b'{"DOI": "10.1/x"}\n{"name": "y"}\n', "x.jsonl:2: holds a record that is neither", id="not-a-work"
        ),
        pytest.param(
            "x.jsonl",
            b'{"DOI": "10.5555/ecr.2022.0314", "updated-by": [{"type": "retraction", "updated": "2023"}]}\n',
            "x.jsonl:1: an update's date is not Crossref's date-parts",
            id="bad-crossref-date",
        ),
    ],
)
def test_bad_files_are_one_line_errors(lib, name, data, message):
    with pytest.raises(NoticeError) as caught:
        read_bytes(data, name, _index(lib))
    text = str(caught.value)
    assert text.startswith(message), text
    assert "\n" not in text and "; " in text  # what is wrong, then what to do


def test_a_csv_the_csv_module_refuses_is_one_line(lib):
    header = RW.read_bytes().split(b"\r\n", 1)[0]
    row = b'"1","' + b"x" * 200_000 + b'","","","","","","","","","1/2/2020 0:00","","","","10.5555/a","","Retraction","","",""'
    with pytest.raises(NoticeError, match=r"^rw\.csv:2: is not a well-formed CSV: field larger than field limit"):
        read_bytes(header + b"\n" + row, "rw.csv", _index(lib))


def test_bad_retraction_watch_date_names_the_line(lib):
    header = RW.read_bytes().split(b"\r\n", 1)[0]
    row = b'"1","","","","","","","","","","14/14/2021","","","","10.5555/jer.2020.0001","","Retraction","","",""'
    with pytest.raises(NoticeError, match=r"^rw\.csv:2: RetractionDate '14/14/2021' is not a date"):
        read_bytes(header + b"\n" + row, "rw.csv", _index(lib))


# -- notices.toml -------------------------------------------------------------------------------

NOTICES = st.builds(
    Notice,
    source=st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True),
    kind=st.sampled_from(NoticeKind),
    origin=st.sampled_from(["retraction-watch", "crossref", "openalex"]),
    record=st.text(min_size=1, max_size=20),
    matched=st.text(min_size=1, max_size=20),
    date=st.none() | st.sampled_from(["2023", "2023-03", "2023-03-14"]),
    notice_doi=st.none() | st.text(max_size=20),
    reason=st.none() | st.text(max_size=40),
)


@given(st.lists(NOTICES, max_size=5, unique_by=lambda n: n.identity))
def test_notices_file_round_trips(tmp_path_factory, notices):
    path = tmp_path_factory.mktemp("n") / "notices.toml"
    path.write_text(render(notices), encoding="utf-8")
    assert sorted(load(path), key=lambda n: n.identity) == sorted(notices, key=lambda n: n.identity)


@pytest.mark.parametrize(
    "text, message",
    [
        pytest.param("[[notice]\n", "notices.toml:1: is not valid TOML", id="bad-toml"),
        pytest.param('[[notice]]\nsource = "a"\n', "notices.toml:1: notice[0].kind: is missing", id="missing-key"),
        pytest.param(
            '[[notice]]\nsource = "a"\nkind = "retraction"\norigin = "crossref"\nrecord = "r"\nmatched = "doi:x"\ncolour = "red"\n',
            "notices.toml:1: notice[0].colour: unknown key 'colour'",
            id="unknown-key",
        ),
        pytest.param(
            '\n[[notice]]\nsource = "a"\nkind = "oops"\norigin = "crossref"\nrecord = "r"\nmatched = "doi:x"\n',
            "notices.toml:2: notice[0].kind: 'oops' is not a kind",
            id="bad-kind",
        ),
        pytest.param(
            '[[notice]]\nsource = "a"\nkind = "retraction"\norigin = "crossref"\nrecord = "r"\nmatched = "doi:x"\ndate = "March"\n',
            "notices.toml:1: notice[0]: date must be YYYY, YYYY-MM or YYYY-MM-DD",
            id="bad-date",
        ),
        pytest.param("[[notice]]\nsource = 1\n[[notice]]\nsource = 2\n", "(and 9 more problems)", id="all-problems-counted"),
    ],
)
def test_bad_notices_file_is_one_line(tmp_path, text, message):
    path = tmp_path / "notices.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NoticeError) as caught:
        load(path)
    assert message in str(caught.value) and "\n" not in str(caught.value), str(caught.value)


def test_toml_dates_are_accepted_as_written_by_hand(tmp_path):
    path = tmp_path / "notices.toml"
    path.write_text(
        '[[notice]]\nsource = "a"\nkind = "retraction"\norigin = "crossref"\nrecord = "r"\nmatched = "doi:x"\ndate = 2023-03-14\n',
        encoding="utf-8",
    )
    assert load(path)[0].date == "2023-03-14"


# -- importing ---------------------------------------------------------------------------------


def test_import_keeps_only_the_library_s_sources(lib):
    assert len(lib.notices) == 0
    result = lib.import_notices([RW, CROSSREF, OPENALEX], by="A. Reader", date="2026-12-01")
    assert len(lib.notices) == 7  # the same Library object reads what the import wrote
    assert result.written and len(result.added) == 7 and not result.updated
    text = (lib.root / "notices.toml").read_text(encoding="utf-8")
    assert "10.5555/jut.2019.1" not in text and "unrelated" not in text  # about papers the library does not cite
    notices = claimtrack.open(lib.root).notices
    assert notices.sources == [
        "example2021widgets",
        "gene2018widgets",
        "preprint2023example",
        "sample2022benchmark",
        "widget2022concern",
    ]
    first = notices.about("example2021widgets")[0]
    assert (first.file, first.imported, first.imported_by) == ("retraction_watch.csv", "2026-12-01", "A. Reader")
    assert notices.summary("example2021widgets") == "retracted 2023-03-14"
    assert notices.summary("gene2018widgets") == "retracted 2021-11-30"  # the dated notice, not OpenAlex's undated one
    assert notices.retraction("gene2018widgets").origin == "retraction-watch"


def test_reimporting_is_idempotent(lib):
    lib.import_notices([RW, CROSSREF, OPENALEX], by="A. Reader", date="2026-12-01")
    path = lib.root / "notices.toml"
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    again = claimtrack.open(lib.root).import_notices([OPENALEX, RW, CROSSREF], by="Someone Else", date="2026-12-09")
    assert not again.written and again.unchanged == 7 and not again.added and not again.updated
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


def test_a_newer_file_updates(lib, tmp_path):
    lib.import_notices([RW], by="A. Reader", date="2026-12-01")
    newer = tmp_path / "retraction_watch_2027.csv"
    # The database turned its expression of concern (row 40005 is about another paper) and its correction
    # of sample2022benchmark into a retraction.
    newer.write_bytes(
        RW.read_bytes().replace(b'"Correction","+Error in Table;"', b'"Retraction","+Error in Table;+Error in Data;"')
    )
    result = claimtrack.open(lib.root).import_notices([newer], by="A. Reader", date="2026-12-02")
    assert [n.source for n in result.updated] == ["sample2022benchmark"] and result.unchanged == 2
    notices = claimtrack.open(lib.root).notices
    (updated,) = notices.about("sample2022benchmark")
    assert (updated.kind, updated.file, updated.imported) == (NoticeKind.RETRACTION, "retraction_watch_2027.csv", "2026-12-02")
    assert notices.about("example2021widgets")[0].imported == "2026-12-01"  # unchanged notices keep their import


def test_a_bad_file_among_good_ones_writes_nothing(lib, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"DOI": "10.1/x"}\n{"DOI": \n', encoding="utf-8")
    with pytest.raises(NoticeError, match="bad.jsonl:2: broken JSON"):
        lib.import_notices([RW, bad])
    assert not (lib.root / "notices.toml").exists()


def test_missing_file_and_no_file(lib, tmp_path):
    with pytest.raises(NoticeError, match="nothere.csv: cannot be read"):
        lib.import_notices([tmp_path / "nothere.csv"])
    with pytest.raises(NoticeError, match=r": is a folder, not a regular file; name a regular file"):
        lib.import_notices([tmp_path])
    for special in ("/dev/zero", _fifo(tmp_path / "pipe.csv")):  # refused at once, never read
        with pytest.raises(NoticeError, match=r": is a (character device|FIFO \(named pipe\)), not a regular file"):
            lib.import_notices([special])
    with pytest.raises(NoticeError, match="no file to import"):
        lib.import_notices([])
    with pytest.raises(NoticeError, match="'soon' is not a date"):
        lib.import_notices([RW], date="soon")


def test_renamed_entry_is_found_again_by_its_identifier(lib):
    lib.import_notices([RW], by="A. Reader", date="2026-12-01")
    bib = lib.root / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("example2021widgets", "widgets2021"), encoding="utf-8")
    fresh = claimtrack.open(lib.root)
    assert fresh.notices.summary("widgets2021") == "retracted 2023-03-14"
    # The next import writes the new key, and does not add the notice a second time.
    result = fresh.import_notices([RW], by="A. Reader", date="2026-12-02")
    assert result.written and not result.added
    text = (lib.root / "notices.toml").read_text(encoding="utf-8")
    assert 'source = "widgets2021"' in text and "example2021widgets" not in text


def test_merge_later_file_wins_and_keeps_first_import():
    def notice(reason: str, imported: str) -> Notice:
        return Notice("a", "correction", "retraction-watch", "1", "doi:x", "2023-01-01", reason=reason, imported=imported)

    merged, added, updated, unchanged = merge([notice("r", "2026-01-01")], [notice("r", "2026-02-01")])
    assert (merged, added, updated, unchanged) == ([notice("r", "2026-01-01")], [], [], 1)
    merged, added, updated, unchanged = merge([notice("r", "2026-01-01")], [notice("s", "2026-02-01"), notice("t", "2026-02-01")])
    assert merged == [notice("t", "2026-02-01")] and updated == [notice("t", "2026-02-01")]


@given(st.lists(NOTICES, max_size=6), st.lists(NOTICES, max_size=6))
def test_merging_the_same_notices_again_changes_nothing(existing, new):
    merged, _, _, _ = merge(existing, new)
    again, added, updated, unchanged = merge(merged, new)
    assert (again, added, updated) == (merged, [], [])
    assert unchanged == len({n.identity for n in new})


# -- a real bibliography -------------------------------------------------------------------------

# ../shared/data/bib beside the repository (or beside the folder of worktrees holding it); skipped where absent.
_REAL = next((p / "shared" / "data" / "bib" / "mendeley_library.bib" for p in Path(__file__).resolve().parents[2:4]
              if (p / "shared" / "data" / "bib" / "mendeley_library.bib").is_file()), None)  # fmt: skip


@pytest.mark.skipif(_REAL is None, reason="the shared real bibliographies are not here")
def test_a_real_bibliography_is_matched_by_its_own_dois(tmp_path):
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(_REAL, root / "references.bib")
    lib = claimtrack.open(root)
    index = SourceIndex(lib.sources)
    assert len(index.doi) > 100
    # Five of its DOIs, written as the export might write them, among rows about papers it does not cite.
    picked = sorted(index.doi)[:: max(1, len(index.doi) // 5)][:5]
    header = RW.read_bytes().split(b"\r\n", 1)[0].decode()
    rows = [header]
    for i, doi in enumerate([*picked, "10.5555/not.cited.1", "10.5555/not.cited.2"]):
        written = f"https://doi.org/{doi.upper()}" if i % 2 else doi
        rows.append(f'"{i + 1}","","","","","","","","","","1/2/2020 0:00","","","","{written}","","Retraction","","",""')
    export = tmp_path / "rw.csv"
    export.write_text("\n".join(rows), encoding="utf-8")
    result = lib.import_notices([export], by="A. Reader", date="2026-12-01")
    matched = {n.matched for n in result.added}
    assert matched == {f"doi:{doi}" for doi in picked}
    assert {n.source for n in result.added} == {key for doi in picked for key in index.doi[doi]}


def _n(kind: str, date: str | None, record: str, source: str = "a") -> Notice:
    return Notice(source, kind, "retraction-watch", record, "doi:10.5555/a", date)


def test_what_is_in_force_for_a_source():
    concern = _n("expression-of-concern", "2021-01-01", "1")
    retraction = _n("retraction", "2021-06-01", "2")
    undated = Notice("a", "retraction", "openalex", "W1", "doi:10.5555/a")
    correction = _n("correction", "2020-05-01", "3")
    notices = Notices([concern, retraction, undated, correction, _n("erratum", "2019", "4", source="b")])
    assert notices.sources == ["a", "b"]
    assert notices.retraction("a") is retraction  # the dated one, though OpenAlex's sorts first
    assert notices.concerns("a") == ()  # retracted since: the retraction is what counts
    assert notices.corrections("a") == (correction,)
    assert notices.summary("a") == "retracted 2021-06-01; expression of concern 2021-01-01; corrected 2020-05-01"
    assert notices.summary("b") == "erratum 2019" and notices.summary("c") is None
    reinstated = Notices([retraction, _n("reinstatement", "2022-02-02", "5")])
    assert reinstated.retraction("a") is None and reinstated.retracted() == frozenset()
    assert Notices([_n("reinstatement", "2020-01-01", "5"), retraction]).retraction("a") is retraction  # reinstated before


def test_the_notices_a_claim_cites(lib):
    lib.add("c", "Something.", evidence=[claimtrack.Evidence("sample2022benchmark"), claimtrack.Evidence("sound2020result")],
            by="A. Author", date="2022-01-01")  # fmt: skip
    lib.import_notices([RW, CROSSREF], by="A. Author", date="2026-12-01")
    fresh = claimtrack.open(lib.root)
    assert [(n.source, n.origin) for n in fresh.notices.cited_by(fresh.claims["c"])] == [
        ("sample2022benchmark", "crossref"),
        ("sample2022benchmark", "retraction-watch"),
    ]


def test_the_documented_example_reads(tmp_path):
    doc = (Path(__file__).resolve().parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    section = doc[doc.index("## The notices file") :]
    example = section[section.index("```toml\n") + len("```toml\n") : section.index("```\n", section.index("```toml"))]
    path = tmp_path / "notices.toml"
    path.write_text(example, encoding="utf-8")
    (notice,) = load(path)
    assert (notice.source, notice.kind, notice.date, notice.imported) == (
        "example2021widgets",
        NoticeKind.RETRACTION,
        "2023-03-14",
        "2026-12-01",
    )
    assert (
        render([notice]).split("\n[[notice]]\n")[1]
        == "\n".join(line.split("#")[0].rstrip() for line in example.split("[[notice]]\n")[1].splitlines()) + "\n"
    )


def test_the_package_is_reachable_from_claimtrack():
    code = "import claimtrack; print(claimtrack.notices.NoticeKind('withdrawal').label)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, "withdrawn\n"), result.stderr


def _fifo(path):
    import os

    os.mkfifo(path)
    return path
