"""`claimtrack export`: ClaimReview, CiTO CSL-JSON, SQLite for Datasette, nanopublications; each read back by an
independent parser (rdflib, sqlite3, a real Datasette, citeproc-py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.export import FORMATS, render, write

DATA = Path(__file__).resolve().parent / "data" / "notices"
REPO = Path(__file__).resolve().parent.parent
BY = "A. Author"
SETTINGS = """\
title = "Widget claims"

[export]
publisher = "The Widget Desk"
publisher_url = "https://widgets.example/"
base_url = "https://widgets.example/report/index.html"

[export.ratings]
conclusion = "Well supported"
"""

#: The fields Google's Fact Check Tools documents for ClaimReview (required and recommended), by type.
GOOGLE_CLAIMREVIEW = {"claimReviewed", "reviewRating", "url", "author", "datePublished", "itemReviewed"}
GOOGLE_RATING = {"alternateName", "bestRating", "ratingValue", "worstRating", "name"}
GOOGLE_CLAIM = {"appearance", "author", "datePublished", "firstAppearance"}
#: schema.org properties of the types the export writes (ClaimReview < Review < CreativeWork < Thing; Rating; Claim;
#: CorrectionComment < Comment < CreativeWork; Person; Organization): any other key would be invented.
SCHEMA_PROPERTIES = {
    "@context", "@type", "@id", "identifier", "url", "name", "description", "text", "author", "contributor",
    "datePublished", "dateModified", "creativeWorkStatus", "keywords", "citation", "correction", "position",
    "claimReviewed", "reviewRating", "itemReviewed", "appearance", "firstAppearance",
    "ratingValue", "bestRating", "worstRating", "alternateName", "ratingExplanation",
}  # fmt: skip


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Claims on a retracted, a corrected and a sound source; one corrected, one retracted, one superseded."""
    root = claimtrack.init(tmp_path / "lib")
    shutil.copy(DATA / "references.bib", root / "references.bib")
    (root / "claimtrack.toml").write_text(SETTINGS, encoding="utf-8")
    lib = claimtrack.open(root)
    lib.add("widgets-scale", "Sparse mixtures of widgets scale reasoning to 8 tasks.", confidence="conclusion", tags=["widgets"],
            by=BY, date="2022-01-01", evidence=[claimtrack.Evidence("example2021widgets", locator="Table 1", quote="8 tasks"),
            claimtrack.Evidence("sound2020result"), claimtrack.Evidence("sample2022benchmark", "contradicts", locator="Table 2")])  # fmt: skip
    lib.revise("widgets-scale", old="8 tasks", new="9 tasks", reason="Table 1 lists nine", credited="A. Reader", by=BY,
               date="2022-03-01")  # fmt: skip
    lib.add("more-widgets", "More widgets reason better </script><!--.", depends_on=["widgets-scale"], by=BY, date="2022-02-01")
    lib.retract("more-widgets", reason="the widget count did not hold", by=BY, date="2022-04-01")
    lib.add("old-widgets", "Widgets scale.", confidence="hypothesis", tags=["widgets"], by=BY, date="2022-01-05")
    lib.supersede("old-widgets", by_claim="widgets-scale", reason="stated more exactly", by=BY, date="2022-01-06")
    lib.import_notices([DATA / "retraction_watch.csv"], by=BY, date="2026-12-01")
    return root


# -- ClaimReview -----------------------------------------------------------


def _reviews(root: Path, *args: str) -> list[dict]:
    code, out, err = run(root, "export", "claimreview", *args)
    assert code == 0, err
    return json.loads(out)


def test_claimreview_has_the_fields_google_documents(root):
    reviews = {r["identifier"]: r for r in _reviews(root)}
    assert sorted(reviews) == ["more-widgets", "old-widgets", "widgets-scale"]
    review = reviews["widgets-scale"]
    assert set(review) >= GOOGLE_CLAIMREVIEW
    assert set(review["reviewRating"]) >= GOOGLE_RATING
    assert review["claimReviewed"] == "Sparse mixtures of widgets scale reasoning to 9 tasks."
    assert review["url"] == "https://widgets.example/report/index.html#claim-widgets-scale"
    assert review["author"] == {"@type": "Organization", "name": "The Widget Desk", "url": "https://widgets.example/"}
    assert (review["datePublished"], review["dateModified"]) == ("2022-01-01", "2022-03-01")
    assert review["reviewRating"] == {
        "@type": "Rating", "ratingValue": 3, "bestRating": 3, "worstRating": 1, "alternateName": "Well supported",
        "name": "conclusion", "ratingExplanation": "many pieces of evidence support it",
    }  # fmt: skip
    (correction,) = review["correction"]
    assert correction["@type"] == "CorrectionComment" and correction["datePublished"] == "2022-03-01"
    assert "~~8 tasks~~ 9 tasks" in correction["text"] and "Table 1 lists nine" in correction["text"]
    assert correction["contributor"]["name"] == "A. Reader"
    for r in reviews.values():
        keys = set(r) | set(r["reviewRating"]) | set(r["itemReviewed"]) | set(r["author"])
        for part in r.get("correction", []) + r.get("citation", []):
            keys |= set(part)
        assert keys <= SCHEMA_PROPERTIES, keys - SCHEMA_PROPERTIES


def test_claimreview_states_retracted_and_superseded(root):
    reviews = {r["identifier"]: r for r in _reviews(root)}
    retracted, superseded = reviews["more-widgets"], reviews["old-widgets"]
    assert retracted["creativeWorkStatus"] == "Retracted"
    assert retracted["reviewRating"]["alternateName"] == "Retracted (was hypothesis)"
    assert retracted["reviewRating"]["ratingExplanation"] == "retracted: the widget count did not hold"
    assert superseded["creativeWorkStatus"] == "Superseded"
    assert superseded["reviewRating"]["ratingExplanation"] == "superseded by claim widgets-scale"


def test_claimreview_appearances_name_their_documents(root):
    lib = claimtrack.open(root)
    lib.appearance("widgets-scale", "example2021widgets", locator="abstract", text="widgets scale", by=BY, date="2022-03-02")
    (review,) = _reviews(root, "--claim", "widgets-scale")
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["firstAppearance"] == item["appearance"][0]
    assert item["appearance"][0]["url"] == "https://doi.org/10.5555/jer.2021.0042"
    assert item["appearance"][0]["text"] == "widgets scale"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own parser uses its deprecated ConjunctiveGraph
def test_claimreview_parses_as_json_ld_with_rdflib(root):
    rdflib = pytest.importorskip("rdflib")
    reviews = _reviews(root)
    inline = {"@vocab": "https://schema.org/", "@base": "https://widgets.example/"}
    data = json.dumps([{**r, "@context": inline} for r in reviews])
    graph = rdflib.Graph().parse(data=data, format="json-ld")
    s = rdflib.Namespace("https://schema.org/")
    found = set(graph.subjects(rdflib.RDF.type, s.ClaimReview))
    assert len(found) == 3
    statements = {str(o) for o in graph.objects(None, s.claimReviewed)}
    assert "Sparse mixtures of widgets scale reasoning to 9 tasks." in statements
    ratings = {str(o) for o in graph.objects(None, s.alternateName)}
    assert {"Well supported", "Retracted (was hypothesis)"} <= ratings
    assert len(set(graph.subjects(rdflib.RDF.type, s.CorrectionComment))) == 3  # one correction, a retraction, a supersession


def test_claimreview_html_blocks_cannot_end_their_script(root):
    code, out, err = run(root, "export", "claimreview", "--html")
    assert code == 0, err
    blocks = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>\n', out, re.S)
    assert len(blocks) == 3 and out.count("</script>") == 3 and "<!--" not in out
    assert json.loads(blocks[0])["claimReviewed"] == "More widgets reason better </script><!--."


def test_claimreview_without_base_url_says_how_to_get_one(tmp_path):
    path = claimtrack.init(tmp_path / "plain")
    claimtrack.open(path).add("a-claim", "A claim.", by=BY, date="2022-01-01")
    out = tmp_path / "reviews.jsonld"
    code, _, err = run(path, "export", "claimreview", "-o", str(out))
    assert code == 0
    assert "base_url" in err
    (review,) = json.loads(out.read_text())
    assert "url" not in review and review["author"]["name"] == "plain"


# -- CSL-JSON with CiTO ----------------------------------------------------


def test_csljson_says_why_each_source_is_cited(root):
    code, out, err = run(root, "export", "csljson")
    assert code == 0, err
    items = {item["id"]: item for item in json.loads(out)}
    assert sorted(items) == ["example2021widgets", "sample2022benchmark", "sound2020result"]
    (use,) = items["example2021widgets"]["custom"]["cito"]
    assert use == {"claim": "widgets-scale", "stance": "supports", "properties": ["cito:citesAsEvidence", "cito:supports"],
                   "locator": "Table 1", "quote": "8 tasks"}  # fmt: skip
    assert items["sample2022benchmark"]["custom"]["cito"][0]["properties"] == ["cito:disputes"]
    assert items["example2021widgets"]["custom"]["claimtrack"] == "supports 1 claim; retracted 2023-03-14 (Retraction Watch)"
    assert items["sample2022benchmark"]["custom"]["claimtrack"] == "contradicts 1 claim; corrected 2022-09-01 (Retraction Watch)"
    assert items["example2021widgets"]["title"] == "Sparse Mixtures of Widgets Scale Reasoning"


@pytest.mark.filterwarnings("ignore:The following arguments for Reference are unsupported")  # custom: not a CSL variable
def test_csljson_items_are_read_by_citeproc(root):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    _, out, _ = run(root, "export", "csljson")
    source = CiteProcJSON(json.loads(out))
    style = CitationStylesStyle(str(REPO / "claimtrack" / "report" / "styles" / "claimtrack-author-date.csl"), validate=False)
    bib = CitationStylesBibliography(style, source, formatter.plain)
    bib.register(Citation([CitationItem("example2021widgets")]))
    assert "Sparse Mixtures of Widgets" in str(bib.bibliography()[0])


def test_render_cito_prefixes_what_pandocs_filter_reads(root, tmp_path):
    paper = tmp_path / "paper.md"
    paper.write_text("Widgets scale [@claim:widgets-scale].\n", encoding="utf-8")
    code, out, err = run(root, "render", str(paper), "-o", str(tmp_path / "out.md"), "--cito")
    assert code == 0, err
    text = (tmp_path / "out.md").read_text()
    # example2021widgets is retracted (the notices the fixture imports): render marks it, as without --cito
    assert text == "Widgets scale [@cites_as_evidence:example2021widgets, retracted; @cites_as_evidence:sound2020result].\n"
    if shutil.which("pandoc"):
        ast = json.loads(
            subprocess.run(["pandoc", "-t", "json", str(tmp_path / "out.md")], capture_output=True, check=True).stdout
        )
        ids = re.findall(r'"citationId":\s*"([^"]+)"', json.dumps(ast))
        assert ids == ["cites_as_evidence:example2021widgets", "cites_as_evidence:sound2020result"]  # the mark is a locator
    tex = tmp_path / "paper.tex"
    tex.write_text("Widgets scale \\claim{widgets-scale}.\n", encoding="utf-8")
    code, _, err = run(root, "render", str(tex), "-o", str(tmp_path / "out.tex"), "--cito")
    assert code == 2 and "--cito is for pandoc Markdown" in err and not (tmp_path / "out.tex").exists()


# -- SQLite ------------------------------------------------------------------


def test_sqlite_database_has_keys_views_and_full_text_search(root, tmp_path):
    db_path = tmp_path / "site" / "claims.db"
    code, out, err = run(root, "export", "sqlite", "-o", str(db_path))
    assert code == 0, err
    assert out.split() == [str(db_path), str(tmp_path / "site" / "metadata.json")]
    db = sqlite3.connect(db_path)
    tables = {row[0] for row in db.execute("select name from sqlite_master where type in ('table', 'view')")}
    assert {"claims", "evidence", "revisions", "appearances", "facts", "sources", "notices", "findings", "current_claims",
            "corrections", "claims_on_retracted_sources", "claims_fts", "evidence_fts"} <= tables  # fmt: skip
    assert db.execute("pragma foreign_key_check").fetchall() == []
    assert db.execute("select count(*) from claims").fetchone() == (3,)
    assert db.execute("select id from current_claims").fetchall() == [("widgets-scale",)]
    hits = db.execute(
        "select c.id from claims_fts f join claims c on c.rowid = f.rowid where claims_fts match 'mixtures'"
    ).fetchall()
    assert hits == [("widgets-scale",)]
    quote = db.execute("select e.claim from evidence_fts f join evidence e on e.rowid = f.rowid where evidence_fts match 'tasks'")
    assert quote.fetchall() == [("widgets-scale",)]
    assert db.execute("select claim, source, notice from claims_on_retracted_sources").fetchall() == [
        ("widgets-scale", "example2021widgets", "retraction")
    ]
    kinds = [row[0] for row in db.execute("select kind from corrections")]
    assert kinds == ["retraction", "correction", "supersession"]
    assert db.execute("select change from revisions where kind = 'correction'").fetchone() == ("~~8 tasks~~ 9 tasks",)
    assert db.execute("select supporting from claims where id = 'widgets-scale'").fetchone() == (
        1,
    )  # the retracted one not counted
    meta = json.loads((tmp_path / "site" / "metadata.json").read_text())
    assert meta["databases"]["claims"]["tables"]["claims"]["fts_table"] == "claims_fts"
    assert set(meta["databases"]["claims"]["queries"]) >= {"changed_since", "search_statements"}
    for name, query in meta["databases"]["claims"]["queries"].items():
        params = {p: "x" for p in re.findall(r":(\w+)", query["sql"])}
        db.execute(query["sql"], params).fetchall()  # every canned query runs
        assert name


def test_every_export_is_the_same_bytes_twice(root, tmp_path):
    for fmt in FORMATS:
        first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        lib = claimtrack.open(root)
        write(lib, fmt, first, metadata=tmp_path / "m1.json")
        write(claimtrack.open(root), fmt, second, metadata=tmp_path / "m2.json")
        assert first.read_bytes() == second.read_bytes(), fmt


def test_nanopub_bytes_do_not_depend_on_the_hash_seed(root):
    outs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "claimtrack", "--root", str(root), "export", "nanopub"],
                              capture_output=True, env=env, check=True)  # fmt: skip
        outs.add(done.stdout)
    assert len(outs) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_datasette_serves_the_database(root, tmp_path):
    datasette = shutil.which("datasette") or (Path(sys.executable).parent / "datasette")
    if not Path(datasette).exists():
        pytest.skip("datasette is not installed (pip install datasette)")
    db_path = tmp_path / "claims.db"
    assert run(root, "export", "sqlite", "-o", str(db_path))[0] == 0
    port = _free_port()
    proc = subprocess.Popen([str(datasette), "serve", str(db_path), "-m", str(tmp_path / "metadata.json"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}/claims"

    def get(path: str) -> object:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return json.load(response)

    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(".json")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("datasette did not start")
                time.sleep(0.2)
        rows = get("/claims.json?_search=mixtures&_shape=array")
        assert [r["id"] for r in rows] == ["widgets-scale"]
        changed = get("/changed_since.json?since=2022-03-01&_shape=array")
        assert [(r["claim"], r["kind"]) for r in changed] == [("more-widgets", "retraction"), ("widgets-scale", "correction")]
        started = time.monotonic()
        get("/search_statements.json?words=widgets&_shape=array")
        assert time.monotonic() - started < 5
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# -- nanopublications --------------------------------------------------------


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's TriG parser uses its deprecated default_context
def test_nanopubs_parse_and_supersede_or_retract(root):
    rdflib = pytest.importorskip("rdflib")
    code, out, err = run(root, "export", "nanopub")
    assert code == 0, err
    parsed = rdflib.Dataset()
    parsed.parse(data=out, format="trig")
    ds = rdflib.Graph()  # every named graph's triples, to query across them
    for s, p, o, _graph in parsed.quads((None, None, None, None)):
        ds.add((s, p, o))
    np_ = rdflib.Namespace("http://www.nanopub.org/nschema#")
    npx = rdflib.Namespace("http://purl.org/nanopub/x/")
    temp = "http://purl.org/nanopub/temp/claimtrack/"
    pubs = set(ds.subjects(rdflib.RDF.type, np_.Nanopublication))
    # widgets-scale: created, correction; more-widgets: created, retraction; old-widgets: created, supersession
    assert len(pubs) == 6
    supersedes = {(str(s), str(o)) for s, o in ds.subject_objects(npx.supersedes)}
    assert supersedes == {(temp + "widgets-scale/1", temp + "widgets-scale/0"), (temp + "old-widgets/1", temp + "old-widgets/0")}
    assert [str(o) for o in ds.objects(None, npx.retracts)] == [temp + "more-widgets/0"]
    for pub in pubs:
        assertion = ds.value(pub, np_.hasAssertion)
        assert assertion is not None and len(parsed.graph(assertion)) > 0
    texts = {str(o) for o in ds.objects(None, rdflib.Namespace("https://schema.org/").text)}
    assert "Sparse mixtures of widgets scale reasoning to 9 tasks." in texts
    assert "Sparse mixtures of widgets scale reasoning to 8 tasks." in texts
    cito = rdflib.Namespace("http://purl.org/spar/cito/")
    assert rdflib.URIRef("https://doi.org/10.5555/jer.2021.0042") in set(ds.objects(None, cito.citesAsEvidence))


# -- selection and bad input -------------------------------------------------


def test_selection_by_tag_status_and_confidence(root):
    assert [r["identifier"] for r in _reviews(root, "--tag", "widgets")] == ["old-widgets", "widgets-scale"]
    assert [r["identifier"] for r in _reviews(root, "--status", "retracted")] == ["more-widgets"]
    assert [r["identifier"] for r in _reviews(root, "--confidence", "hypothesis", "--status", "superseded")] == ["old-widgets"]


def test_an_empty_selection_is_a_valid_empty_export_with_a_note(root, tmp_path):
    code, out, err = run(root, "export", "claimreview", "--tag", "no-such-tag")
    assert (code, json.loads(out)) == (0, [])
    assert "no claim matches the filters" in err
    code, out, err = run(root, "export", "sqlite", "--tag", "no-such-tag", "-o", str(tmp_path / "empty.db"))
    assert code == 0 and "no claim matches" in err
    assert sqlite3.connect(tmp_path / "empty.db").execute("select count(*) from claims").fetchone() == (0,)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--claim", "widgets-scal"], "no claim 'widgets-scal'", id="unknown-claim"),
        pytest.param(["--confidence", "conclusoin"], "conclusoin", id="unknown-level"),
    ],
)
def test_bad_selections_are_one_line(root, args, message):
    code, out, err = run(root, "export", "claimreview", *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1 and out == ""


def test_an_output_that_is_a_folder_or_unwritable_writes_nothing(root, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    for fmt in ("claimreview", "sqlite"):
        code, _, err = run(root, "export", fmt, "-o", str(folder))
        assert code == 2 and "is a folder" in err and len(err.strip().splitlines()) == 1
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(root, "export", "sqlite", "-o", str(blocker / "claims.db"))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "folder", "lib"]
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        pytest.param('base_url = "widgets.example"', "export.base_url: 'widgets.example' is not an http(s) URL", id="not-a-url"),
        pytest.param('publisher_url = "javascript:alert(1)"', "is not an http(s) URL", id="script-url"),
        pytest.param('publisher = ""', "export.publisher: must be a non-empty string", id="blank"),
        pytest.param('base_ulr = "https://x.example/"', "did you mean 'base_url'?", id="typo"),
        pytest.param('[export.ratings]\nconclusoin = "Yes"', "did you mean 'conclusion'?", id="unknown-level"),
    ],
)
def test_bad_export_settings_are_one_line(root, setting, message):
    (root / "claimtrack.toml").write_text(f"[export]\n{setting}\n", encoding="utf-8")
    code, out, err = run(root, "export", "claimreview")
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1 and out == ""


def test_an_unknown_format_from_python_gets_a_did_you_mean(root, tmp_path):
    with pytest.raises(claimtrack.ClaimtrackError, match="did you mean 'nanopub'"):
        write(claimtrack.open(root), "nanopubs", tmp_path / "x")
    with pytest.raises(claimtrack.ClaimtrackError, match="written to a file"):
        render(claimtrack.open(root), "sqlite")


def test_the_bundled_corpus_exports_in_every_format(tmp_path):
    lib = claimtrack.open(REPO)
    for fmt in FORMATS:
        done = write(lib, fmt, tmp_path / f"corpus.{fmt}")
        assert done.claims == len(lib.claims) and done.note is None
        assert all(p.stat().st_size > 0 for p in done.paths)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's TriG parser uses its deprecated default_context
def test_nanopub_literals_keep_hostile_text(tmp_path):
    rdflib = pytest.importorskip("rdflib")
    root = claimtrack.init(tmp_path / "lib")
    lib = claimtrack.open(root)
    statement = 'A "quoted" claim with a back\\slash and } > < ^ braces.'
    lib.add("hostile", statement, tags=['t"ag'], by='O\'Brien "Bob"', date="2022-01-01")
    lib.revise("hostile", old="claim", new="claim\\n", reason='why: "\\" and \n', by=BY, date="2022-01-02")
    out = render(claimtrack.open(root), "nanopub")
    parsed = rdflib.Dataset()
    parsed.parse(data=out.decode(), format="trig")
    texts = {str(o) for _s, p, o, _g in parsed.quads((None, rdflib.URIRef("https://schema.org/text"), None, None))}
    assert texts == {statement, statement.replace("claim", "claim\\n", 1)}
    comments = {str(o) for _s, _p, o, _g in parsed.quads((None, rdflib.RDFS.comment, None, None))}
    assert any('why: "\\" and \n' in c for c in comments)
    names = {str(o) for _s, _p, o, _g in parsed.quads((None, rdflib.URIRef("http://xmlns.com/foaf/0.1/name"), None, None))}
    assert 'O\'Brien "Bob"' in names
