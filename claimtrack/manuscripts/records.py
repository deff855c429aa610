"""What a manuscript is made of once read, and what checking, rendering and fixing it return."""

from __future__ import annotations

import bisect
import re
from pathlib import Path

import attrs

from ..documents.sentences import split_sentences

__all__ = ["CitationItem", "CitationGroup", "Manuscript", "Sentence", "CLAIM_KEY_PREFIX"]

#: What marks a citation key as a claim: ``@claim:id`` (pandoc), the ids of ``\claim{...}`` (LaTeX).
CLAIM_KEY_PREFIX = "claim:"
_SPACE = re.compile(r"\s+")


@attrs.frozen
class CitationItem:
    """One key of a citation: ``@claim:ctx`` or ``@brown2020`` (pandoc), ``ctx`` (LaTeX).

    ``start``/``end`` are offsets in the manuscript's text of the whole item,
    prefix and locator included (pandoc), or of the id alone (LaTeX);
    ``key_start``/``key_end`` of the key itself, ``@`` and ``claim:`` included.
    ``claim`` is the id after ``claim:``, None for an ordinary key.
    """

    key: str
    claim: str | None
    start: int
    end: int
    key_start: int
    key_end: int


@attrs.frozen
class CitationGroup:
    """A citation as written: ``[see @a; @b, p. 3]``, an in-text ``@a``, or ``\\claim[p. 3]{a,b}``.

    ``kind`` is ``bracket``, ``intext`` or ``latex``; ``start``/``end`` cover
    the whole of it; ``options`` are a LaTeX command's optional arguments as written.
    """

    kind: str
    start: int
    end: int
    items: tuple[CitationItem, ...]
    options: str = ""

    @property
    def claims(self) -> tuple[str, ...]:
        return tuple(item.claim for item in self.items if item.claim is not None)


@attrs.frozen
class Sentence:
    """A sentence of the manuscript's prose: its offsets in the text and what it says, markup removed."""

    start: int
    end: int
    text: str


@attrs.frozen
class Manuscript:
    """A manuscript read for its claim citations.

    ``prose`` is ``text`` with everything that is not running text (markup,
    code, comments, citations) blanked to spaces, so its offsets are the
    text's own; ``regions`` are the ``(start, end)`` spans of its paragraphs.
    """

    path: Path
    text: str
    syntax: str  # "pandoc" or "latex"
    groups: tuple[CitationGroup, ...]
    prose: str
    regions: tuple[tuple[int, int], ...]
    _line_starts: list[int] = attrs.field(init=False, repr=False, eq=False)
    _sentences: list[Sentence] | None = attrs.field(init=False, default=None, repr=False, eq=False)
    _sentence_starts: list[int] = attrs.field(init=False, factory=list, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        starts = [0]
        starts.extend(m.end() for m in re.finditer("\n", self.text))
        object.__setattr__(self, "_line_starts", starts)

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of an offset."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def line_start(self, line: int) -> int:
        """The offset where a 1-based line starts (the end of the text past the last line)."""
        if line < 1:
            return 0
        return self._line_starts[line - 1] if line <= len(self._line_starts) else len(self.text)

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence holding ``offset``; a citation just after a sentence's end belongs to that sentence."""
        index = bisect.bisect_right(self.regions, (offset, len(self.text) + 1)) - 1
        if index < 0 or not self.regions[index][0] <= offset < self.regions[index][1]:
            return None
        start, end = self.regions[index]
        sentences = self.sentences()
        at = bisect.bisect_right(self._sentence_starts, offset) - 1
        if at >= 0 and sentences[at].start >= start:
            return sentences[at]
        following = sentences[at + 1] if at + 1 < len(sentences) else None
        return following if following is not None and following.start < end else None

    def sentence_before(self, sentence: Sentence) -> Sentence | None:
        """The sentence before ``sentence`` in its paragraph, None for a paragraph's first."""
        sentences = self.sentences()
        at = bisect.bisect_left(self._sentence_starts, sentence.start) - 1
        if at < 0:
            return None
        index = bisect.bisect_right(self.regions, (sentence.start, len(self.text) + 1)) - 1
        previous = sentences[at]
        return previous if index >= 0 and previous.start >= self.regions[index][0] else None

    def sentences_from(self, offset: int) -> list[Sentence]:
        """The sentences from the one holding (or last before) ``offset`` on, in order."""
        sentences = self.sentences()
        return sentences[max(0, bisect.bisect_left(self._sentence_starts, offset) - 1) :]

    def sentences(self) -> list[Sentence]:
        """Every sentence of the prose, in order (worked out once)."""
        if self._sentences is not None:
            return self._sentences
        out = []
        for start, end in self.regions:
            for a, b in split_sentences(self.prose[start:end]):
                text = _SPACE.sub(" ", self.prose[start + a : start + b]).strip()
                if text:
                    out.append(Sentence(start + a, start + b, text))
        object.__setattr__(self, "_sentences", out)
        object.__setattr__(self, "_sentence_starts", [sentence.start for sentence in out])
        return out
