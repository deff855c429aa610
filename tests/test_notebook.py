"""What a notebook user meets: reprs that say what they hold, HTML cards, docstrings, reads that stay true."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import claimtrack


def _public_members(cls: type) -> list[tuple[str, object]]:
    out = []
    for name, value in vars(cls).items():
        if name.startswith("_") or name in ("__init__",):
            continue
        if isinstance(value, (property, staticmethod, classmethod)) or inspect.isfunction(value):
            out.append((name, value))
    return out


@pytest.mark.parametrize("name", claimtrack.__all__)
def test_every_public_name_and_method_has_a_docstring(name: str) -> None:
    obj = getattr(claimtrack, name)
    if not (inspect.isclass(obj) or inspect.isfunction(obj)):
        return  # a constant such as DEFAULT_SCALE
    assert (obj.__doc__ or "").strip(), f"{name} has no docstring"
    if inspect.isclass(obj) and not issubclass(obj, BaseException):
        for cls in obj.__mro__:
            if cls.__module__.startswith("claimtrack"):
                missing = [m for m, value in _public_members(cls) if not (getattr(value, "__doc__", None) or "").strip()]
                assert missing == [], f"{cls.__name__}: no docstring on {missing}"


def test_reprs_say_what_they_hold(cdv2: claimtrack.Library) -> None:
    lib = claimtrack.open(cdv2.root)
    assert repr(lib) == f"<Library {str(lib.root)!r} (nothing loaded yet)>"
    assert repr(lib.claims) == "<Claims: 1 claim>"  # counted from the files, nothing loaded
    lib.claims["cdv2-context"]
    assert not lib.claims.loaded and repr(lib.claims) == "<Claims: 1 claim>"
    assert len(lib.claims) == 1 and repr(lib.claims) == "<Claims: 1 claim>"
    assert repr(lib.sources) == f"<Sources {str(lib.root / 'references.bib')!r}: 2 entries, 0 problems>"
    assert repr(lib) == f"<Library {str(lib.root)!r}: 1 claim, 2 sources>"
    (lib.root / "claims" / "broken.toml").write_text("id = \n", encoding="utf-8")
    assert len(lib.claims) == 1 and repr(lib.claims) == "<Claims: 1 claim, 1 unreadable file>"


def test_a_claim_and_an_audit_show_as_html(cdv2: claimtrack.Library) -> None:
    claim = cdv2.claims["cdv2-context"]
    card = claim._repr_html_()
    assert '<div class="claimtrack-claim"' in card
    assert "<code>cdv2-context</code>" in card and "conclusion, active" in card
    assert "code-davinci-002 has a context window of 8192 tokens." in card
    assert "<code>chen2021codex</code> (supports, section 2)" in card
    assert "3 revisions; last: 2022-12-18 correction by A. Author" in card
    assert "<del>4096</del> <ins>8192</ins>" in card
    result = claimtrack.audit_all(cdv2)
    table = result._repr_html_()
    assert "<caption" in table and "1 claim, 2 sources: 0 errors, 1 warning, 1 info, 0 ignored" in table
    assert "<td>under-supported</td>" in table and "<td>cdv2-context</td>" in table
    assert table.count("<tr>") == 1 + len(result.findings)


def test_html_escapes_what_a_claim_says(lib: claimtrack.Library) -> None:
    claim = lib.add("html", "a <script>alert(1)</script> & more", by="x", date="2022-12-11")
    assert "&lt;script&gt;" in claim._repr_html_() and "<script>" not in claim._repr_html_()


def test_reload_shows_a_write_made_by_another_process(cdv2: claimtrack.Library) -> None:
    lib = claimtrack.open(cdv2.root)
    assert lib.claims["cdv2-context"].tags == ("code-davinci-002",)
    script = (
        "import claimtrack, sys; claimtrack.open(sys.argv[1]).tag('cdv2-context', add=['context-window'], "
        "by='B. Other', date='2022-12-20')"
    )
    subprocess.run([sys.executable, "-c", script, str(cdv2.root)], check=True)
    assert lib.reload() is lib
    assert lib.claims["cdv2-context"].tags == ("code-davinci-002", "context-window")


def test_reads_notice_files_changed_after_the_load(cdv2: claimtrack.Library) -> None:
    lib = claimtrack.open(cdv2.root)
    assert len(lib.claims) == 1
    other = claimtrack.open(cdv2.root)
    other.add("second", "Another claim.", by="x", date="2022-12-11")  # a new file: the folder changed
    assert sorted(lib.claims) == ["cdv2-context", "second"]
    # An edit in place (an editor saving over the file) leaves the folder as it was; claim() sees it.
    path = lib.root / "claims" / "second.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"hypothesis"', '"conclusion"'), encoding="utf-8")
    assert lib.claim("second").confidence == "conclusion"
    bib = lib.root / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n@misc{extra2022, title = {T}, year = {2022}}\n", encoding="utf-8")
    assert "extra2022" in lib.sources


def test_an_unchanged_library_is_not_loaded_again(cdv2: claimtrack.Library) -> None:
    lib = claimtrack.open(cdv2.root)
    assert lib.claims is lib.claims
    assert lib.sources is lib.sources and lib.settings is lib.settings
    assert lib.claim("cdv2-context") == lib.claims["cdv2-context"]


def test_seal_result_is_a_dict_with_the_problems(lib: claimtrack.Library) -> None:
    (lib.root / "claims" / "broken.toml").write_text("id = \n", encoding="utf-8")
    result = lib.seal()
    assert result == {} and [p.file for p in result.problems] == ["claims/broken.toml"]
    assert repr(result) == "SealResult({}, problems=1)"


def test_a_mistyped_id_in_python_gets_a_did_you_mean(cdv2: claimtrack.Library) -> None:
    with pytest.raises(KeyError, match="no claim 'cdv2-contxt'; did you mean 'cdv2-context'?"):
        cdv2.claims["cdv2-contxt"]
    with pytest.raises(KeyError, match="did you mean 'cdv2-context'?"):
        cdv2.claim("cdv2-contxt")


def test_a_write_by_another_process_is_seen_without_reload(cdv2: claimtrack.Library) -> None:
    lib = claimtrack.open(cdv2.root)
    loaded = lib.claims
    script = "import claimtrack, sys; claimtrack.open(sys.argv[1]).tag('cdv2-context', add=['x'], by='B', date='2022-12-20')"
    subprocess.run([sys.executable, "-c", script, str(cdv2.root)], check=True)
    # claimtrack replaces a claim file by renaming a new one into claims/, which the folder's stamp shows.
    assert lib.claims is not loaded
    assert "x" in lib.claims["cdv2-context"].tags and "x" in lib.claim("cdv2-context").tags
