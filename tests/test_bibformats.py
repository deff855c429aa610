"""The formats and the CSL <-> BibTeX mapping (claimtrack.bibformats), without a library."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.bibformats import (
    CSL_TYPES,
    auto_key,
    detect_format,
    entry_from_item,
    escape,
    from_source,
    key_variants,
    read_bibliography,
    standard_id,
    to_bibtex,
)
from claimtrack.bibformats.csl import parse_date
from claimtrack.bibparse import parse_bytes
from claimtrack.errors import SourceError
from claimtrack.latex import decode
from claimtrack.sources import Source

DATA = Path(__file__).resolve().parent / "data" / "sources"
MANUBOT = DATA / "manubot-references.json"


def _back(item: dict[str, Any], **how: Any) -> dict[str, Any]:
    """An item through BibTeX text, the file parser and back to CSL: what a round trip through references.bib gives."""
    entry = entry_from_item(item, "test", **how)
    rows, problems = parse_bytes(entry.text.encode("utf-8"))
    assert [p for p in problems if p[0] != "missing-field"] == []
    (row,) = rows
    assert dict(row[2]) == dict(entry.fields)  # what the file will hold is what the entry says it holds
    return from_source(Source(*row))


def test_an_item_from_a_real_manubot_file_becomes_this_entry() -> None:
    items = json.loads(MANUBOT.read_text(encoding="utf-8"))
    item = next(i for i in items if i.get("DOI") == "10.1145/2939672.2939785")
    entry = entry_from_item(item, "references.json, item 1", keys="standard")
    assert entry.text == (
        "@inproceedings{doi:10.1145/2939672.2939785,\n"
        "  title = {{XGBoost}},\n"
        "  author = {Chen, Tianqi and Guestrin, Carlos},\n"
        "  year = {2016},\n"
        "  month = aug,\n"
        "  date = {2016-08-13},\n"
        "  booktitle = {Proceedings of the 22nd ACM SIGKDD International Conference on Knowledge Discovery and Data Mining},\n"
        "  pages = {785--794},\n"
        "  publisher = {ACM},\n"
        "  eventtitle = {KDD '16: The 22nd ACM SIGKDD International Conference on Knowledge Discovery and Data Mining},\n"
        "  doi = {10.1145/2939672.2939785},\n"
        "  url = {https://doi.org/gdp84q},\n"
        "}"
    )
    assert entry.doi == "10.1145/2939672.2939785"
    assert entry.skipped == ("source",)


def _names(value: Any) -> list[tuple[str, str]]:
    out = []
    for n in value or []:
        family = n.get("literal") or " ".join(p for p in (n.get("non-dropping-particle"), n.get("family")) if p)
        out.append((family, n.get("given", "")))
    return out


def test_every_item_of_a_real_file_keeps_its_fields_through_references_bib() -> None:
    items = json.loads(MANUBOT.read_text(encoding="utf-8"))
    assert len(items) >= 50
    for item in items:
        back = _back(item)
        for name in ("id", "type", "title", "DOI", "URL", "container-title", "volume", "issue"):
            assert back.get(name) == item.get(name), (item["id"], name)
        assert back.get("page") == (re.sub(r"[\u2013-]+", "-", item["page"]) if "page" in item else None), item["id"]
        assert parse_date(back.get("issued")) == parse_date(item.get("issued")), item["id"]
        assert _names(back.get("author")) == _names(item.get("author")), item["id"]


@pytest.mark.parametrize("kind", sorted(CSL_TYPES))
def test_every_csl_type_comes_back(kind: str) -> None:
    item = {"id": "x", "type": kind, "title": "A title", "container-title": "Somewhere", "URL": "https://example.org/x"}
    assert _back(item)["type"] == kind


@pytest.mark.parametrize(
    ("names", "written"),
    [
        pytest.param([{"family": "Fu", "given": "Yao"}], "Fu, Yao", id="family-given"),
        pytest.param([{"literal": "BigScience Workshop"}], "{BigScience Workshop}", id="literal"),
        pytest.param([{"family": "World Health Organization"}], "{World Health Organization}", id="body-as-family"),
        pytest.param(
            [{"family": "Luxburg", "given": "Ulrike", "non-dropping-particle": "von"}], "von Luxburg, Ulrike", id="particle"
        ),
        pytest.param([{"family": "King", "given": "Martin Luther", "suffix": "Jr."}], "King, Jr., Martin Luther", id="suffix"),
        pytest.param([{"family": "Smith & Sons", "given": "A"}], "Smith \\& Sons, A", id="escaped"),
        pytest.param(
            [{"family": "Baena-García", "given": "Manuel"}, {"family": "Bifet"}], "Baena-García, Manuel and Bifet", id="two"
        ),
    ],
)
def test_names(names: list[dict[str, str]], written: str) -> None:
    _, fields, _ = to_bibtex({"id": "x", "type": "book", "author": names})
    assert dict(fields)["author"] == written


@pytest.mark.parametrize(
    ("issued", "expected"),
    [
        pytest.param({"date-parts": [[2022, 12, 11]]}, {"year": "2022", "month": "dec", "date": "2022-12-11"}, id="day"),
        pytest.param({"date-parts": [["2020", "5"]]}, {"year": "2020", "month": "may"}, id="strings"),
        pytest.param({"raw": "2019-03"}, {"year": "2019", "month": "mar"}, id="raw"),
        pytest.param("2021-07-07", {"year": "2021", "month": "jul", "date": "2021-07-07"}, id="yaml-date"),
        pytest.param([{"year": 2018}], {"year": "2018"}, id="citeproc-yaml-list"),
        pytest.param({"literal": "in press"}, {"year": "in press"}, id="literal"),
    ],
)
def test_issued(issued: Any, expected: dict[str, str]) -> None:
    _, fields, _ = to_bibtex({"id": "x", "type": "book", "issued": issued})
    assert {k: v for k, v in fields if k in ("year", "month", "date")} == expected


@pytest.mark.parametrize(
    "item",
    [
        pytest.param({"DOI": "10.48550/arXiv.2203.02155"}, id="datacite-doi"),
        pytest.param({"URL": "https://arxiv.org/abs/2203.02155v2"}, id="url"),
        pytest.param({"number": "2203.02155", "publisher": "arXiv"}, id="number"),
        pytest.param({"note": "standard_id: arxiv:2203.02155"}, id="manubot-note"),
    ],
)
def test_arxiv_ids_become_eprint_and_archiveprefix(item: dict[str, str]) -> None:
    _, fields, _ = to_bibtex({"id": "x", "type": "article", **item})
    assert dict(fields)["eprint"].startswith("2203.02155") and dict(fields)["archiveprefix"] == "arXiv"


def test_pmid_pmcid_and_abstract_only_when_asked() -> None:
    item = {"id": "x", "type": "article-journal", "PMID": "29424689", "PMCID": "PMC5938574", "abstract": "50% of $ & more"}
    kind, fields, skipped = to_bibtex(item)
    assert dict(fields) == {"pmid": "29424689", "pmcid": "PMC5938574"} and skipped == ["abstract"]
    _, fields, skipped = to_bibtex(item, abstract=True)
    assert dict(fields)["abstract"] == r"50\% of \$ \& more" and skipped == []


def test_machine_lines_of_a_manubot_note_are_dropped() -> None:
    note = "and other authors\nLoaded from an external bibliography file by Manubot.\nstandard_id: Bommasani2021OnTO"
    _, fields, _ = to_bibtex({"id": "x", "type": "manuscript", "note": note})
    assert dict(fields)["note"] == "and other authors"


_PLAIN = st.text(alphabet=st.sampled_from("abcXYZ019 &%$#_{}\\~é^-`'"), max_size=30)


@given(_PLAIN)
def test_escaped_text_decodes_back(text: str) -> None:
    assert decode(escape(text)) == " ".join(text.split())


@given(_PLAIN.filter(str.strip))
def test_titles_round_trip(title: str) -> None:
    assert _back({"id": "x", "type": "article-journal", "title": title})["title"] == " ".join(title.split())


def test_keys() -> None:
    item = {"id": "Qx7", "type": "article", "title": "The GPT Roadmap: how", "author": [{"family": "Fú", "given": "Yao"}],
            "issued": {"date-parts": [[2022]]}, "DOI": "10.1/ABC", "note": "x"}  # fmt: skip
    assert auto_key(item) == "fu2022gpt"
    assert standard_id(item) == "doi:10.1/abc"
    assert standard_id({**item, "note": "standard_id: arxiv:2203.02155"}) == "arxiv:2203.02155"
    assert standard_id({"id": "y", "PMID": "123"}) == "pubmed:123"
    assert standard_id({**item, "standard_id": "doi:10.1/own"}) == "doi:10.1/own"
    assert entry_from_item(item, "t").key == "Qx7"
    assert entry_from_item(item, "t", keys="standard").key == "doi:10.1/abc"
    assert entry_from_item(item, "t", keys="auto").key == "fu2022gpt"
    assert list(key_variants("k"))[:3] == ["k", "ka", "kb"]
    with pytest.raises(
        SourceError, match=r"the key 'a b' holds a space, which a BibTeX key cannot; choose keys with --keys auto"
    ):
        entry_from_item({**item, "id": "a b"}, "refs.json, item 3")


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        pytest.param('[{"id": "a"}]', "x.txt", "csljson", id="json-array"),
        pytest.param('\ufeff  {"id": "a"}', "", "csljson", id="json-object-bom"),
        pytest.param("TY  - JOUR\nER  - \n", "", "ris", id="ris"),
        pytest.param("---\nreferences:\n- id: a\n", "", "cslyaml", id="yaml-front-matter"),
        pytest.param("- id: a\n  type: book\n", "", "cslyaml", id="yaml-list"),
        pytest.param("% comment\n@article{a, title={x}}", "", "bibtex", id="bibtex"),
        pytest.param("<!DOCTYPE html><html>", "", "html", id="html"),
        pytest.param("who knows", "refs.ris", "ris", id="by-name"),
    ],
)
def test_detect_format(text: str, name: str, kind: str) -> None:
    assert detect_format(text, name) == kind


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        pytest.param(b'[{"id": "a",}]', "refs.json", "refs.json:1: is not valid JSON: Expecting property name enclosed in double quotes (column 13); fix the JSON", id="broken-json"),
        pytest.param(b"references:\n- id: a\n  title: [unclosed\n", "refs.yaml", "refs.yaml:4: is not valid YAML:", id="broken-yaml"),
        pytest.param(b'[{"id": "a"}, {"title": "Untitled thing"}]', "refs.json", "refs.json: item 2 ('Untitled thing') has no id; give every item an id", id="no-id"),
        pytest.param(b'[{"id": "a"}, {"id": "b"}, {"id": "a"}]', "refs.json", "refs.json: a: items 1 and 3 have the same id; give each item its own id", id="duplicate-id"),
        pytest.param(b'[{"id": "a", "title": {"x": 1}}]', "refs.json", "refs.json: a: item 1: title is a dict, not text", id="title-not-text"),
        pytest.param(b'"just a string"', "refs.json", "refs.json: holds no CSL items", id="not-items"),
        pytest.param(b"AU  - Fu, Yao\nER  - \n", "refs.ris", "refs.ris:1: the tag AU is outside a record; start every record with a TY line", id="ris-no-ty"),
        pytest.param(b"TY  - JOUR\nTI  - A\n\nTY  - JOUR\nER  - \n", "refs.ris", "refs.ris:4: a record opens here while the one from line 1 has no ER line", id="ris-no-er"),
        pytest.param(b"TY  - JOUR\nTI  - A\n", "refs.ris", "refs.ris:1: the record has no ER line", id="ris-no-er-at-end"),
        pytest.param(b"<html><body>Sign in</body></html>", "export", "export: is a web page (HTML), not BibTeX, CSL-JSON, CSL-YAML or RIS", id="html"),
        pytest.param(b"[\xff]", "refs.json", "refs.json:1: is not UTF-8 (byte 1); save it as UTF-8", id="not-utf8"),
        pytest.param(b"[" * 100_000, "refs.json", "refs.json: is nested too deeply to read", id="deep-json"),
    ],
)  # fmt: skip
def test_bad_input_is_one_clear_error(data: bytes, name: str, error: str) -> None:
    with pytest.raises(SourceError) as caught:
        read_bibliography(data, name)
    assert str(caught.value).startswith(error), str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_zotero_ris_export_reads_as_csl() -> None:
    items = read_bibliography((DATA / "zotero.ris").read_bytes(), "zotero.ris").items
    assert [i["type"] for i in items] == ["article-journal", "paper-conference", "document", "book", "thesis"]
    lecun = items[0]
    assert lecun["title"] == "Deep learning" and lecun["DOI"] == "10.1038/nature14539"
    assert lecun["author"][0] == {"family": "LeCun", "given": "Yann"}
    assert lecun["issued"] == {"date-parts": [[2015, 5, 28]]} and lecun["page"] == "436-444"
    assert (lecun["container-title"], lecun["volume"], lecun["issue"]) == ("Nature", "521", "7553")
    assert items[3]["ISBN"] == "978-0-262-03924-6" and items[4]["genre"] == "PhD thesis"
    entry = entry_from_item(items[0], "zotero.ris, record 1")
    assert entry.key == "lecun2015deep"  # no ID tag: Better BibTeX's kind of key


def test_csl_yaml_as_pandoc_writes_it() -> None:
    items = read_bibliography((DATA / "pandoc-references.yaml").read_bytes(), "refs.yaml").items
    assert [i["id"] for i in items] == ["fu2022gptroadmap", "chen2021codex"]
    entry = entry_from_item(items[1], "refs.yaml, item 2")
    assert dict(entry.fields)["year"] == "2021" and dict(entry.fields)["eprint"] == "2107.03374"


_WORD = st.text(alphabet=st.sampled_from("abcxyzABCXYZéü019&%$#_-'"), min_size=1, max_size=8)
_NAME = st.fixed_dictionaries({"family": _WORD.filter(lambda w: w.strip(" ,") == w), "given": _WORD})
_ITEMS = st.fixed_dictionaries(
    {"id": st.just("x"), "type": st.sampled_from(sorted(CSL_TYPES)), "title": _PLAIN.filter(str.strip)},
    optional={
        "author": st.lists(_NAME, min_size=1, max_size=4),
        "issued": st.tuples(st.integers(1500, 2100), st.integers(1, 12), st.integers(1, 28)).flatmap(
            lambda d: st.sampled_from([{"date-parts": [list(d[:1])]}, {"date-parts": [list(d[:2])]}, {"date-parts": [list(d)]}])
        ),
        "container-title": _PLAIN.filter(str.strip),
        "volume": st.from_regex(r"[0-9]{1,4}", fullmatch=True),
        "issue": st.from_regex(r"[0-9]{1,3}", fullmatch=True),
        "page": st.from_regex(r"[0-9]{1,4}(-[0-9]{1,4})?", fullmatch=True),
        "DOI": st.from_regex(r"10\.[0-9]{4}/[a-z0-9._;()/-]{1,12}", fullmatch=True),
        "URL": st.from_regex(r"https://example\.org/[a-z0-9%#_~-]{0,12}", fullmatch=True),
    },
)


@given(_ITEMS)
def test_any_item_keeps_the_compared_fields_through_references_bib(item: dict[str, Any]) -> None:
    back = _back(item)
    for name in ("type", "title", "container-title", "volume", "issue", "page", "DOI", "URL", "issued"):
        expected = item.get(name)
        if isinstance(expected, str) and name in ("title", "container-title"):
            expected = " ".join(expected.split())
        assert back.get(name) == expected, name
    assert _names(back.get("author")) == _names(item.get("author"))
