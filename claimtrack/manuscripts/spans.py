"""Finding a span of words in a manuscript's prose, across line breaks and markup."""

from __future__ import annotations

import re

from .records import Manuscript, Sentence

__all__ = ["find_span", "sentence_near"]


def _pattern(span: str, *, fold: bool) -> re.Pattern[str]:
    words = span.split()
    body = r"\s+".join(re.escape(w) for w in words).replace("%", r"\s?%")  # LaTeX's "8\%" reads "8 %"
    start = r"(?<!\w)" if words and (words[0][:1].isalnum() or words[0][:1] == "_") else ""
    end = r"(?!\w)" if words and (words[-1][-1:].isalnum() or words[-1][-1:] == "_") else ""
    return re.compile(start + body + end, re.IGNORECASE if fold else 0)


def find_span(manuscript: Manuscript, span: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of the first whole-word occurrence of ``span`` in the prose between ``start`` and ``end``.

    Letter case must match, unless only a case-blind match exists. The offsets
    are the text's own, so they may take in markup between the words.
    """
    if not span.split():
        return None
    for fold in (False, True):
        found = _pattern(span, fold=fold).search(manuscript.prose, start, end)
        if found:
            return found.start(), found.end()
    return None


def sentence_near(manuscript: Manuscript, line: int, words: str, span: str) -> Sentence | None:
    """The sentence starting on (or next to) ``line`` that holds ``span``, the one most like ``words`` first."""
    from rapidfuzz import fuzz

    low, high = manuscript.line_start(line - 1), manuscript.line_start(line + 2)
    best: tuple[float, Sentence] | None = None
    for sentence in manuscript.sentences_from(low):
        if sentence.end < low:
            continue
        if sentence.start >= high:
            break
        if find_span(manuscript, span, sentence.start, sentence.end) is None:
            continue
        score = fuzz.ratio(sentence.text, words)
        if best is None or score > best[0]:
            best = (score, sentence)
    return best[1] if best else None
