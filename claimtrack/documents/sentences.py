"""Sentences with their lines, text normalisation and the word tokens everything compares.

Splitting is deliberately simple: a sentence ends at ``. ! ?`` (or the CJK
``。！？``) followed by a space and not after a known abbreviation or a
single initial. A block (paragraph, list item, heading) never shares a
sentence with another block.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator, Sequence

import attrs

from .limits import MATCH_WINDOW
from .markdown import Block

__all__ = [
    "Sentence",
    "split_sentences",
    "block_sentences",
    "excerpt",
    "sentence_at",
    "normalise",
    "words",
    "word_spans",
    "cjk_share",
]

# Abbreviations after which a period does not end a sentence (lower-cased, without the period).
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "al",
        "vs",
        "v.s",
        "cf",
        "fig",
        "figs",
        "eq",
        "sec",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "approx",
    ]
)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "\u00a0": " "})
# A word: letters/digits joined by inner hyphens, dots, apostrophes (GPT-3.5, code-davinci-002, don't).
_WORD = re.compile(r"\w+(?:[-.'’]\w+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@attrs.frozen
class Sentence:
    """One sentence of a rendered block: its text, offsets in the rendered text, and line."""

    text: str
    start: int
    end: int
    line: int


def normalise(text: str) -> str:
    """Text for comparison: NFKC, straight quotes, hyphens for dashes, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())


def words(text: str) -> list[str]:
    """Case-folded word tokens of a text."""
    return [m.group().casefold().replace("’", "'") for m in _WORD.finditer(normalise(text))]


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Word and punctuation tokens of ``text`` as ``(start, end, folded)``, offsets in ``text``."""
    out = []
    for m in re.finditer(r"\w+(?:[-.'’]\w+)*|[^\w\s]", text):
        out.append((m.start(), m.end(), normalise(m.group()).casefold()))
    return out


def cjk_share(text: str) -> float:
    """How much of a text is CJK: CJK characters over CJK characters plus Latin words.

    A CJK character carries about as much as a Latin word, so counting letters
    would let a Chinese paragraph with a few English terms pass as English.
    """
    cjk = len(_CJK.findall(text))
    latin = sum(1 for m in _WORD.finditer(_CJK.sub(" ", text)) if any(c.isalpha() for c in m.group()))
    return cjk / (cjk + latin) if cjk + latin else 0.0


_STOP = re.compile(r"[.!?。！？][.!?\"'”’)\]。！？]*")


def _ends_sentence(text: str, i: int, j: int) -> bool:
    """Whether the punctuation at ``text[i]`` (with closers up to ``text[j]``) ends a sentence."""
    if text[i] in "。！？":
        return True
    after = text[j + 1 : j + 2]
    if after and not after.isspace():
        return False  # "3.5", "e.g.,", "OPT]." mid-run
    if text[i] != ".":
        return True
    start = i  # the word before the period, found by scanning back (splitting all text before it is quadratic)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    token = text[start:i].lstrip("([\"'“‘").casefold()
    return not (token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()))


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence of a text, stripped of surrounding space."""
    start = 0
    n = len(text)
    # a stop, with runs like "?!", '."' or ".)" kept inside the sentence they close
    for m in _STOP.finditer(text):
        i, j = m.start(), m.end() - 1
        if _ends_sentence(text, i, j):
            yield from _stripped(text, start, j + 1)
            start = j + 1
    yield from _stripped(text, start, n)


def _stripped(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def block_sentences(block: Block, version: str = "new") -> tuple[str, list[Sentence]]:
    """A block rendered in one version, and its sentences with their source lines."""
    rendered, where = block.render(version)
    out = []
    for start, end in split_sentences(rendered):
        # the line of the first letter or digit: a bullet or quote mark on the line before is not the sentence
        first = next((i for i in range(start, end) if rendered[i].isalnum()), start)
        line = block.line_at(where[first]) if where else block.line
        out.append(Sentence(" ".join(rendered[start:end].split()), start, end, line))
    return rendered, out


def sentence_at(sentences: Sequence[Sentence], pos: int, starts: Sequence[int] | None = None) -> Sentence:
    """The sentence holding offset ``pos``, else the last one before it, else the first.

    ``starts`` (the sentences' starts, ascending) may be given when many offsets are looked up.
    """
    if starts is None:
        starts = [s.start for s in sentences]
    index = bisect.bisect_right(starts, pos) - 1
    return sentences[index] if index >= 0 else sentences[0]


def excerpt(
    rendered: str, sentence: Sentence, start: int, end: int, *, line: int | None = None, width: int = MATCH_WINDOW
) -> Sentence:
    """The sentence, or when it is longer than ``width`` characters the stretch of it around ``[start, end)``.

    The stretch begins and ends at spaces and is marked with "..." where it was cut; its
    ``start``/``end`` are its offsets in ``rendered``, so text around a change is still taken
    from the right place, and its line is ``line`` (the change's) when given.
    """
    if sentence.end - sentence.start <= width:
        return sentence
    room = max(width - (end - start), 0) // 2
    lo = max(sentence.start, start - room)
    hi = min(sentence.end, max(end, start) + room)
    if lo > sentence.start:
        cut = rendered.find(" ", lo, start)
        lo = cut + 1 if cut >= 0 else lo
    if hi < sentence.end:
        cut = rendered.rfind(" ", max(end, start), hi)
        hi = cut if cut >= 0 else hi
    text = " ".join(rendered[lo:hi].split())
    text = ("... " if lo > sentence.start else "") + text + (" ..." if hi < sentence.end else "")
    return Sentence(text, lo, hi, sentence.line if line is None else line)
