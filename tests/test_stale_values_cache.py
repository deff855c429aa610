"""Values a sentence states (claimtrack.documents.values) and the signed embedding cache (embedding_cache)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from claimtrack.documents.embedding import load_model
from claimtrack.documents.embedding_cache import CACHE_NAME, embed_cached
from claimtrack.documents.values import names, numbers

needs_model = pytest.mark.skipif(load_model() is None, reason="the wordllama package (the embedding model) is not installed")


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("8%", {"8%"}, id="percent"),
        pytest.param("8 percent and 8 per cent and 8％", {"8%"}, id="percent-words"),
        pytest.param("4,096 tokens", {"4096"}, id="thousands-comma"),
        pytest.param("a 4096-token window", {"4096"}, id="hyphenated-unit"),
        pytest.param("176B and 175 billion", {"176000000000", "175000000000"}, id="magnitudes"),
        pytest.param("1750亿参数", {"175000000000"}, id="chinese-magnitude"),
        pytest.param("GPT-3.5 and text-davinci-001 and A100", set(), id="names-are-not-numbers"),
        pytest.param("2016-2019", {"2016", "2019"}, id="range"),
        pytest.param("40960", {"40960"}, id="whole-number-only"),
    ],
)
def test_numbers(text: str, expected: set[str]) -> None:
    assert numbers(text) == expected


def test_names() -> None:
    assert names("The initial GPT-3's mix is 60% C4, 22% WebText2 and 3% Wikipedia.") == ["GPT-3", "C4", "WebText2", "Wikipedia"]
    assert names("PaLM 的训练数据中有 8% 是代码") == ["PaLM"]
    assert names("trained for 4,096-token windows") == []


@needs_model
def test_the_cache_is_signed_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    model = load_model()
    assert model is not None
    texts = ["We do not know about BLOOM.", "PaLM: 5%"]
    first = embed_cached(model, texts, tmp_path)
    path = tmp_path / ".claimtrack" / CACHE_NAME
    assert path.is_file()
    calls: list[int] = []
    real = model.embed
    monkeypatch.setattr(model, "embed", lambda batch: calls.append(len(batch)) or real(batch))
    again = embed_cached(model, texts, tmp_path)
    assert calls == [] and np.array_equal(first, again)  # read back, nothing embedded
    assert abs(float(first[0] @ first[0]) - 1.0) < 1e-2


@needs_model
def test_a_tampered_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    model = load_model()
    assert model is not None
    texts = ["We do not know about BLOOM."]
    first = embed_cached(model, texts, tmp_path)
    path = tmp_path / ".claimtrack" / CACHE_NAME
    data = bytearray(path.read_bytes())
    data[-20] ^= 0xFF  # a changed vector byte: the signature no longer verifies
    path.write_bytes(bytes(data))
    assert np.array_equal(embed_cached(model, texts, tmp_path), first)


@needs_model
def test_a_symlinked_cache_is_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    model = load_model()
    assert model is not None
    (tmp_path / ".claimtrack").mkdir()
    target = tmp_path / "elsewhere.bin"
    target.write_bytes(b"not ours")
    os.symlink(target, tmp_path / ".claimtrack" / CACHE_NAME)
    embed_cached(model, ["PaLM: 5%"], tmp_path)
    assert target.read_bytes() == b"not ours"  # neither read nor written through the link
    folder = tmp_path / "lib"
    folder.mkdir()
    os.symlink(tmp_path / "outside", folder / ".claimtrack")
    (tmp_path / "outside").mkdir()
    embed_cached(model, ["PaLM: 5%"], folder)
    assert list((tmp_path / "outside").iterdir()) == []
