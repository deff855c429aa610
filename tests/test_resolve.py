"""DOIs, arXiv ids and export URLs, resolved against a local server that replays recorded answers (claimtrack.resolve)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli import main
from claimtrack.resolve import parse_identifier

ANSWERS = Path(__file__).resolve().parent / "data" / "sources" / "resolver"
CSL = "application/vnd.citationstyles.csl+json"
EXPORT = (
    "@article{fu2022gptroadmap,\n  title = {How does {GPT} Obtain its Ability?},\n  author = {Fu, Yao},\n  year = {2022}\n}\n"
)


class _Replay(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {
        "/10.1038/nature14539": (200, CSL, (ANSWERS / "10.1038_nature14539.json").read_bytes()),
        "/10.48550/arxiv.2203.02155": (200, CSL, (ANSWERS / "10.48550_arxiv.2203.02155.json").read_bytes()),
        "/10.1145/2939672.2939785": (200, "application/x-bibtex", (ANSWERS / "10.1145_2939672.2939785.bib").read_bytes()),
        "/10.9999/no-id": (200, CSL, b'{"type": "book", "title": "No id here", "DOI": "10.9999/no-id"}'),
        "/10.9999/missing": (404, "text/plain", b"DOI Not Found"),
        "/10.9999/busy": (429, "text/plain", b"Too Many Requests"),
        "/10.9999/page": (200, "text/html", b"<!DOCTYPE html><html><body>A landing page</body></html>"),
        "/better-bibtex/export/collection?/1/library.bibtex": (200, "text/plain", EXPORT.encode()),
        "/login": (200, "text/html; charset=utf-8", b"<html><body>Sign in</body></html>"),
    }
    requests: list[tuple[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        type(self).requests.append((self.path, self.headers.get("Accept", "")))
        if self.path == "/10.9999/slow":
            time.sleep(1.0)
        status, media, body = self.routes.get(self.path.lower() if self.path.startswith("/10.") else self.path,
                                              (404, "text/plain", b"Not Found"))  # fmt: skip
        try:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout test)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A resolver on 127.0.0.1 that replays recorded answers; its address is the library's resolver."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Replay)
    httpd.daemon_threads = False  # server_close() waits for the slow answer's thread to finish
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Replay.requests = []
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv("CLAIMTRACK_RESOLVER", base)
    yield base
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = claimtrack.init(tmp_path / "lib")
    (path / "claimtrack.toml").write_text("[sources]\ntimeout = 0.5\n", encoding="utf-8")
    monkeypatch.chdir(path)
    return path


def run(root: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def refused(root: Path, *args: str, stdin: str | None = None) -> str:
    before = {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}
    code, out, err = run(root, *args, stdin=stdin)
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err, (code, out, err)
    assert {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()} == before
    return err.strip()


@pytest.mark.parametrize(
    ("text", "kind", "standard"),
    [
        ("doi:10.48550/arXiv.2203.02155", "doi", "doi:10.48550/arxiv.2203.02155"),
        ("https://doi.org/10.1038/nature14539", "doi", "doi:10.1038/nature14539"),
        ("http://dx.doi.org/10.1038/nature14539", "doi", "doi:10.1038/nature14539"),
        ("10.1038/nature14539", "doi", "doi:10.1038/nature14539"),
        ("arxiv:2203.02155", "arxiv", "arxiv:2203.02155"),
        ("https://arxiv.org/abs/2203.02155v1", "arxiv", "arxiv:2203.02155"),
        ("http://127.0.0.1:23119/better-bibtex/export/collection?/1/x.biblatex", "url", None),
    ],
)
def test_identifiers(text: str, kind: str, standard: str | None) -> None:
    found = parse_identifier(text)
    assert found is not None and found.kind == kind
    assert found.standard == (standard or text)
    assert parse_identifier("references.json") is None


def test_a_doi_resolves_to_csl_json_and_its_answer_is_kept(server: str, root: Path, tmp_path: Path) -> None:
    code, out, err = run(root, "source", "add", "doi:10.1038/nature14539", "arxiv:2203.02155")
    assert (code, out) == (0, "added 2 entries: doi:10.1038/nature14539, arxiv:2203.02155\nalready present 0, refused 0\n"), err
    assert [path for path, _ in _Replay.requests] == ["/10.1038/nature14539", "/10.48550/arXiv.2203.02155"]
    assert all(accept.startswith(CSL) for _, accept in _Replay.requests)
    lib = claimtrack.open(root)
    lecun = lib.sources["doi:10.1038/nature14539"]
    assert (lecun.entry_type, lecun.title, lecun.authors[0], lecun.field("journal"), lecun.fields["pages"]) == (
        "article", "Deep learning", "LeCun, Yann", "Nature", "436--444",
    )  # fmt: skip
    assert lib.sources["arxiv:2203.02155"].eprint == "2203.02155"
    cache = json.loads((root / "doi-cache.json").read_text(encoding="utf-8"))
    assert sorted(cache["answers"]) == ["arxiv:2203.02155", "doi:10.1038/nature14539"]
    # The same add, offline, in a fresh library that has the kept answers (a CI checkout): no request at all.
    other = claimtrack.init(tmp_path / "ci")
    (other / "doi-cache.json").write_bytes((root / "doi-cache.json").read_bytes())
    _Replay.requests.clear()
    assert run(other, "source", "add", "--offline", "https://doi.org/10.1038/nature14539", "arxiv:2203.02155")[0] == 0
    assert _Replay.requests == []
    assert (other / "references.bib").read_bytes() == (root / "references.bib").read_bytes()


def test_a_bibtex_answer_and_identifiers_on_standard_input(server: str, root: Path) -> None:
    code, out, _ = run(root, "source", "add", stdin="10.1145/2939672.2939785\n\nhttps://doi.org/10.1038/nature14539\n")
    assert out.startswith("added 2 entries: doi:10.1145/2939672.2939785, doi:10.1038/nature14539\n")
    xgboost = claimtrack.open(root).sources["doi:10.1145/2939672.2939785"]
    assert (xgboost.title, xgboost.year, xgboost.doi) == (
        "XGBoost: A Scalable Tree Boosting System",
        "2016",
        "10.1145/2939672.2939785",
    )
    assert run(root, "source", "add", "doi:10.1145/2939672.2939785")[1].startswith("added 0 entries\nalready present 1")


def test_an_answer_without_an_id_is_keyed_by_the_identifier(server: str, root: Path) -> None:
    assert run(root, "source", "add", "10.9999/no-id")[1].startswith("added 1 entry: doi:10.9999/no-id\n")


def test_auto_keys_for_dois(server: str, root: Path) -> None:
    assert run(root, "source", "add", "--keys", "auto", "10.1038/nature14539", "10.1145/2939672.2939785")[1].startswith(
        "added 2 entries: lecun2015deep, chen2016xgboost\n"
    )


@pytest.mark.parametrize(
    ("args", "error"),
    [
        pytest.param(["doi:10.9999/missing"], "error: doi:10.9999/missing: the resolver knows no such identifier (HTTP 404); check it for typos", id="404"),
        pytest.param(["doi:10.9999/busy"], "error: doi:10.9999/busy: the resolver is limiting requests (HTTP 429); wait a minute and try again", id="429"),
        pytest.param(["doi:10.9999/slow"], "error: doi:10.9999/slow: no answer within 0.5 s; try again later, or use --offline", id="timeout"),
        pytest.param(["doi:10.9999/page"], "error: doi:10.9999/page: the answer is a web page (HTML), not BibTeX or CSL-JSON", id="html"),
        pytest.param(["doi:10.1038/nature14539", "doi:10.9999/missing"], "error: doi:10.9999/missing: the resolver knows no such", id="one-of-two"),
        pytest.param(["--offline", "doi:10.1038/nature14539"], "error: doi:10.1038/nature14539: has no answer kept in doi-cache.json, and --offline was given; add it once while online", id="offline"),
        pytest.param(["/login"], "error: /login: cannot be read: No such file or directory", id="not-a-url"),
    ],
)  # fmt: skip
def test_resolver_failures_write_nothing(server: str, root: Path, args: list[str], error: str) -> None:
    assert refused(root, "source", "add", *args).startswith(error)
    assert not (root / "doi-cache.json").exists()


def test_a_better_bibtex_pull_export(server: str, root: Path) -> None:
    url = f"{server}/better-bibtex/export/collection?/1/library.bibtex"
    assert run(root, "source", "add", url)[1] == "added 1 entry: fu2022gptroadmap\nalready present 0, refused 0\n"
    assert (root / "references.bib").read_text(encoding="utf-8") == EXPORT
    assert run(root, "source", "sync", url)[1] == "added 0, updated 0, unchanged 1\n"
    assert refused(root, "source", "add", f"{server}/login").startswith(
        f"error: {server}/login: the answer is a web page (HTML), not BibTeX or CSL-JSON"
    )


def test_unreachable_resolver(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_RESOLVER", "http://127.0.0.1:9")  # the discard port: nothing listens
    assert refused(root, "source", "add", "doi:10.1038/nature14539").startswith(
        "error: doi:10.1038/nature14539: cannot reach 127.0.0.1:9:"
    )


@pytest.mark.parametrize(
    ("setting", "error"),
    [
        ('resolver = "ftp://x"', "claimtrack.toml: sources.resolver: must be an http(s) address"),
        ("timeout = 0", "claimtrack.toml: sources.timeout: must be a number of seconds"),
        ("mirror = 1", "claimtrack.toml: sources.mirror: is not a known setting"),
    ],
)
def test_bad_sources_settings(root: Path, setting: str, error: str) -> None:
    (root / "claimtrack.toml").write_text(f"[sources]\n{setting}\n", encoding="utf-8")
    assert error in refused(root, "source", "add", "doi:10.1038/nature14539")
