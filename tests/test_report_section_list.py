"""The claims' sections wait in a store, not in memory, until the files that show them are written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from test_report import _count_renders, _synthetic, build_fixture

import claimtrack
import claimtrack.report as report
from claimtrack.report import context, section_list, workers
from claimtrack.report.cache import SectionCache
from claimtrack.report.section_list import MemoryStore, SectionList


def _list(n: int, store: object, keys: list[str] | None = None) -> tuple[SectionList, list[int]]:
    redone: list[int] = []

    def redo(index: int) -> tuple[str, str]:
        redone.append(index)
        return f"again h{index}", f"again m{index}"

    ids = [f"c{i:03d}" for i in range(n)]
    return SectionList(ids, keys or [""] * n, store, redo), redone  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_sides_come_in_order_across_batches_and_what_is_missing_is_rendered_again(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(section_list, "BATCH", 4)
    store = MemoryStore() if kind == "memory" else SectionCache(tmp_path / "s.sqlite")
    keys = [f"k{i}" for i in range(11)]
    sections, redone = _list(11, store, keys)
    store.put([(f"c{i:03d}", f"k{i}", f"h{i}", f"m{i}") for i in range(11) if i not in (2, 7)])
    store.put([("c005", "someone else's key", "planted", "planted")])
    assert list(sections.side(0, 1, 9)) == ["h1", "again h2", "h3", "h4", "again h5", "h6", "again h7", "h8"]
    assert redone == [2, 5, 7]
    assert list(sections)[10] == ("h10", "m10") and len(list(sections)) == len(sections) == 11
    sections.mark = lambda index, side, text: text.upper() if index == 3 else text
    assert list(sections.side(1, 2, 5)) == ["again m2", "M3", "m4"]


def test_a_report_keeps_no_more_than_a_chunk_of_sections_before_storing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _synthetic(tmp_path / "big", 700)
    put: list[int] = []
    real = SectionCache.put

    def counting(self: SectionCache, rows: list[tuple[str, str, str, str]]) -> None:
        put.append(len(rows))
        real(self, rows)

    monkeypatch.setattr(SectionCache, "put", counting)
    first = report.render(claimtrack.open(tmp_path / "big"), ["html", "md"])
    assert sum(put) == 700 and max(put) <= 250
    put.clear()
    rendered = _count_renders(monkeypatch)
    assert report.render(claimtrack.open(tmp_path / "big"), ["html", "md"]) == first
    assert put == [] and rendered == []


def test_without_a_cache_the_sections_wait_in_a_temporary_file_removed_afterwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimtrack import fileio

    lib = build_fixture(tmp_path / "lib")
    cached = report.render(lib, ["html", "md"])
    monkeypatch.setattr(fileio, "signing_key", lambda: None)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    made: list[Path] = []
    real = section_list._TemporaryStore.__init__

    def recording(self: section_list._TemporaryStore, folder: Path) -> None:
        made.append(folder)
        real(self, folder)

    monkeypatch.setattr(section_list._TemporaryStore, "__init__", recording)
    assert report.render(claimtrack.open(lib.root), ["html", "md"]) == cached
    report.write(claimtrack.open(lib.root), tmp_path / "out", formats=["html", "md"])
    assert len(made) == 2 and all(folder.parent == temp for folder in made)
    assert os.listdir(temp) == []


def test_a_report_that_fails_removes_its_temporary_sections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimtrack import fileio
    from claimtrack.report import markdown

    lib = build_fixture(tmp_path / "lib")
    monkeypatch.setattr(fileio, "signing_key", lambda: None)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(markdown, "markdown_pieces", broken)
    with pytest.raises(RuntimeError, match="disk gone"):
        report.write(lib, tmp_path / "out", formats=["html", "md"])
    assert os.listdir(temp) == [] and not (tmp_path / "out").exists()


def test_a_section_replaced_by_another_report_meanwhile_is_rendered_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    lib = build_fixture(tmp_path / "lib")
    first = report.render(lib, ["html"])
    real = context._context

    def meddling(*args: object, **kwargs: object) -> object:
        db = sqlite3.connect(tmp_path / "lib" / ".claimtrack" / "report.sqlite")
        with db:
            db.execute("UPDATE sections SET key = 'other', html = '<p>planted</p>'")
        db.close()
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(context, "_context", meddling)
    rendered = _count_renders(monkeypatch)
    page = report.render(claimtrack.open(lib.root), ["html"])["index.html"]
    assert page == first["index.html"] and "planted" not in page and len(rendered) == 4


@pytest.mark.parametrize("fork", [pytest.param(True, id="workers"), pytest.param(False, id="here")])
def test_each_chunk_is_given_once_with_its_own_results(fork: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "SPREAD_FROM", 1)
    counted: list[int] = []
    with workers.Pool(workers=1 if fork else 0) as pool:
        job = pool.add(lambda items: [i * 3 for i in items], list(range(500)), chunk=9)
        pool.start()
        given = list(job.each(counted.append))
        assert all(future is None or future.cancelled() for future in job.futures)  # no result kept
    assert sorted(number for number, _ in given) == list(range(len(job.chunks)))
    assert all(results == [i * 3 for i in job.chunks[number]] for number, results in given)
    assert sum(counted) == 500
