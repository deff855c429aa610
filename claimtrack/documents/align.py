"""Diff: the revisions between two versions of a document.

Both versions are rendered to plain text as their readers see them (struck
text dropped, Markdown formatting gone, lines re-joined), so bold-versus-plain
and re-wrapped lines are no change. Paragraphs that are mostly CJK are left
out (the early copy interleaves a Chinese translation with the English), and
headings too (they state no claims), and so are citations (``[@key]``,
``[@url:...]``, an in-text ``@key``, a footnote mark): a citation added is
no claim text. Paragraphs are then paired: first those
with identical words anywhere in the document (moved text is no change), then
the rest by rapidfuzz similarity, best pairs first. Inside a pair, a
word-level diff gives the changed spans; a span that falls on a correction the
new version marks itself (``~~old~~ new``, ``[update DATE: ...]``) is reported
as that correction, with its credit and date. Paragraphs with no partner are
added or removed sentences.

Time stays linear in the documents' size: when more than
:data:`FULL_PAIRING` pairs of unpaired paragraphs would be scored, each new
paragraph is scored only against the old ones near its place (after the
identical paragraph before it) and those sharing its rarer words; and a pair
with more than :data:`~.limits.DIFF_WORDS` changed words is one change.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
from rapidfuzz import fuzz, process

from ..model import RevisionKind
from .dates import document_dates
from .frontmatter import front_matter as find_front_matter
from .limits import DIFF_WORDS
from .markdown import Block
from .matching import ClaimMatcher, claims_of
from .reading import read_document
from .records import ProposedRevision
from .sentences import Sentence, block_sentences, cjk_share, excerpt, sentence_at, word_spans
from .tracked import _clean, _Raw, extract_changes, resolve_date

__all__ = ["diff_documents", "PAIR_THRESHOLD", "CJK_LIMIT", "FULL_PAIRING"]

#: Paragraphs less similar than this (rapidfuzz ratio over their words) are not versions of each other.
PAIR_THRESHOLD = 60.0
#: Paragraphs with a larger share of CJK characters are left out of the comparison.
CJK_LIMIT = 0.2
#: Up to this many (new, old) paragraph pairs every unpaired paragraph is scored against every other.
FULL_PAIRING = 250_000
_NEAR = 8  # old paragraphs each side of a new one's place scored against it past FULL_PAIRING
_RARE = 16  # old paragraphs sharing a new one's rarer words scored against it past FULL_PAIRING
_MARKERS = frozenset({"*", "_", "**", "__"})  # emphasis markers markdown-it kept as text
# pandoc's citations as the rendered text shows them: a bracket holding a key after "@", or an in-text "@key"
_BRACKET = re.compile(r"\[[^\[\]\n]{1,2000}\]")
_CITES = re.compile(r"(?:^\[|[\s;])-?@[\w{]")
_FAR = 1 << 62
_IN_TEXT = re.compile(r"(?<![\w@\\])-?@\w(?:[\w]|[:.#$%&\-+?<>~/](?=\w))*")


@attrs.frozen
class _Para:
    block: Block
    text: str  # the "new" rendering
    where: tuple[int, ...]
    tokens: tuple[tuple[int, int, str], ...]
    sentences: tuple[Sentence, ...]
    struck_key: str  # the words with struck text kept: what the version before the strike said, roughly
    key: tuple[str, ...] = attrs.field(init=False)
    starts: list[int] = attrs.field(init=False, eq=False, repr=False)  # the sentences' starts

    @key.default
    def _key(self) -> tuple[str, ...]:
        return tuple(t[2] for t in self.tokens)

    @starts.default
    def _starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> Sentence:
        return sentence_at(self.sentences, min(offset, max(len(self.text) - 1, 0)), self.starts)


def _body(blocks: Sequence[Block], keep_front_matter: bool) -> Sequence[Block]:
    if keep_front_matter:
        return blocks
    skip = find_front_matter([(block.text, block.heading) for block in blocks])
    return [block for index, block in enumerate(blocks) if index not in skip]


def _paragraphs(blocks: Sequence[Block]) -> list[_Para]:
    out = []
    for block in blocks:
        if block.heading:
            continue
        text, sentences = block_sentences(block, "new")
        if not text.strip() or cjk_share(text) > CJK_LIMIT:
            continue
        cited = _citations(text)
        tokens = tuple(t for t in word_spans(text) if t[2] not in _MARKERS and not _inside(cited, t[0]))
        if tokens:
            with_struck = " ".join(t[2] for t in word_spans(block.render("old")[0]) if t[2] not in _MARKERS)
            out.append(_Para(block, text, block.render("new")[1], tokens, tuple(sentences), with_struck))
    return out


def _citations(text: str) -> list[tuple[int, int]]:
    """Where ``text`` cites (``[@key]``, ``[see @a, p. 3; @url:https://...]``, an in-text ``@key``, a footnote mark
    ``[^1]``), in order: a citation added or changed is no claim text."""
    if "@" not in text and "[^" not in text:
        return []
    spans = [m.span() for m in _BRACKET.finditer(text) if _CITES.search(m.group()) or m.group().startswith("[^")]
    spans += [m.span() for m in _IN_TEXT.finditer(text) if not _inside(spans, m.start())]
    return sorted(spans)


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    at = bisect.bisect_right(spans, (offset, _FAR)) - 1
    return at >= 0 and spans[at][0] <= offset < spans[at][1]


def _pair(old: list[_Para], new: list[_Para]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs of (old index, new index) that are versions of one paragraph, and the unpaired of each side."""
    pairs: list[tuple[int, int]] = []
    free_old = set(range(len(old)))
    by_key: dict[tuple[str, ...], list[int]] = {}
    for i, para in enumerate(old):
        by_key.setdefault(para.key, []).append(i)
    free_new = []
    # for each unpaired new paragraph: the old partner of the last identical one before it (-1 if none), and how
    # many unpaired ones came between them: where its own old version most likely is
    anchors: list[tuple[int, int]] = []
    anchor, since = -1, 0
    for j, para in enumerate(new):
        same = by_key.get(para.key)
        if same:
            anchor, since = same.pop(0), 0
            free_old.discard(anchor)  # identical, wherever it is: not a change
        else:
            free_new.append(j)
            anchors.append((anchor, since))
            since += 1
    olds = sorted(free_old)
    if olds and free_new:
        if len(olds) * len(free_new) <= FULL_PAIRING:
            candidates = _all_scores(old, new, olds, free_new)
        else:
            candidates = _near_scores(old, new, olds, free_new, anchors)
        candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
        used_new: set[int] = set()
        for _score, j, i in candidates:
            if j in used_new or i not in free_old:
                continue
            used_new.add(j)
            free_old.discard(i)
            pairs.append((i, j))
    paired_new = {p[1] for p in pairs}
    unpaired_new = [j for j in free_new if j not in paired_new]
    return pairs, sorted(free_old), unpaired_new


def _texts(paras: list[_Para], indices: Sequence[int]) -> tuple[list[str], list[str]]:
    """The paragraphs' words as one string each, and the words with struck text kept ("" where none was struck)."""
    plain = [" ".join(paras[i].key) for i in indices]
    struck = [paras[i].struck_key if paras[i].struck_key != text else "" for i, text in zip(indices, plain, strict=True)]
    return plain, struck


def _all_scores(old: list[_Para], new: list[_Para], olds: list[int], free_new: list[int]) -> list[tuple[float, int, int]]:
    """``(score, new index, old index)`` of every pair scoring at least :data:`PAIR_THRESHOLD`."""
    olds_text, _ = _texts(old, olds)
    news_text, news_struck = _texts(new, free_new)
    scores = np.asarray(process.cdist(news_text, olds_text, scorer=fuzz.ratio, workers=1))
    # a paragraph the new version corrected with strikethrough still reads like the old one with the struck text in
    # (token_set_ratio: the old paragraph is then a subset of the struck-in words)
    struck = np.asarray(process.cdist(news_struck, olds_text, scorer=fuzz.token_set_ratio, workers=1))
    scores = np.maximum(scores, struck)
    rows, cols = np.nonzero(scores >= PAIR_THRESHOLD)
    return [(float(scores[a, b]), free_new[a], olds[b]) for a, b in zip(rows.tolist(), cols.tolist(), strict=True)]


def _near_scores(
    old: list[_Para], new: list[_Para], olds: list[int], free_new: list[int], anchors: list[tuple[int, int]]
) -> list[tuple[float, int, int]]:
    """As :func:`_all_scores`, over each new paragraph's likely partners only (see the module doc)."""
    olds_text, _ = _texts(old, olds)
    news_text, news_struck = _texts(new, free_new)
    holders: dict[str, list[int]] = {}
    for b, text in enumerate(olds_text):
        for word in set(text.split()):
            holders.setdefault(word, []).append(b)
    out = []
    for a, j in enumerate(free_new):
        anchor, since = anchors[a]
        place = bisect.bisect_right(olds, anchor) + since
        near = set(range(max(0, place - _NEAR), min(len(olds), place + _NEAR)))
        near.update(_sharing_rare_words(holders, news_text[a], news_struck[a]))
        for b in near:
            score = max(
                fuzz.ratio(news_text[a], olds_text[b]),
                fuzz.token_set_ratio(news_struck[a], olds_text[b]) if news_struck[a] else 0.0,
            )
            if score >= PAIR_THRESHOLD:
                out.append((float(score), j, olds[b]))
    return out


def _sharing_rare_words(holders: dict[str, list[int]], *texts: str) -> Iterator[int]:
    """Up to :data:`_RARE` old paragraphs holding the texts' rarest words, rarest first."""
    words = sorted({w for text in texts for w in text.split() if w in holders}, key=lambda w: len(holders[w]))
    found = 0
    for word in words:
        if len(holders[word]) > _RARE:
            return
        for b in holders[word]:
            yield b
            found += 1
        if found >= _RARE:
            return


def _regions(a: _Para, b: _Para) -> list[tuple[int, int, int, int]]:
    """Changed token ranges ``(a_start, a_end, b_start, b_end)``; ranges one word apart are merged."""
    regions: list[list[int]] = []
    for i1, i2, j1, j2 in _changed(a.key, b.key):
        if regions and i1 - regions[-1][1] <= 1 and j1 - regions[-1][3] <= 1 and i1 - regions[-1][1] == j1 - regions[-1][3]:
            regions[-1][1], regions[-1][3] = i2, j2
        else:
            regions.append([i1, i2, j1, j2])
    return [tuple(r) for r in regions]  # type: ignore[misc]


def _changed(a: tuple[str, ...], b: tuple[str, ...]) -> Iterator[tuple[int, int, int, int]]:
    """The changed token ranges of a word-level diff, the common start and end set aside first.

    difflib's matcher is quadratic in the worst case, so a middle of more than
    :data:`~.limits.DIFF_WORDS` words on either side is one change.
    """
    lo, top = 0, min(len(a), len(b))
    while lo < top and a[lo] == b[lo]:
        lo += 1
    hi_a, hi_b = len(a), len(b)
    while hi_a > lo and hi_b > lo and a[hi_a - 1] == b[hi_b - 1]:
        hi_a, hi_b = hi_a - 1, hi_b - 1
    if lo == hi_a and lo == hi_b:
        return
    if max(hi_a - lo, hi_b - lo) > DIFF_WORDS:
        yield lo, hi_a, lo, hi_b
        return
    matcher = difflib.SequenceMatcher(None, a[lo:hi_a], b[lo:hi_b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            yield lo + i1, lo + i2, lo + j1, lo + j2


def _span(para: _Para, start: int, end: int) -> tuple[int, int]:
    """Character offsets in the rendered text of tokens ``[start, end)``; an empty range sits at a point."""
    if start < end:
        return para.tokens[start][0], para.tokens[end - 1][1]
    point = para.tokens[start][0] if start < len(para.tokens) else len(para.text)
    return point, point


def _line(para: _Para, offset: int) -> int:
    if not para.where:
        return para.block.line
    return para.block.line_at(para.where[min(offset, len(para.where) - 1)])


class _Marks:
    """The changes a paragraph marks itself, found by where they are in its rendering."""

    def __init__(self, tracked: list[_Raw]) -> None:
        self.tracked = tracked
        self.order = sorted(range(len(tracked)), key=lambda k: tracked[k].span[0])
        self.starts = [tracked[k].span[0] for k in self.order]
        self.longest = max((max(r.span[1] - r.span[0], 1) for r in tracked), default=1)

    def overlapping(self, start: int, end: int) -> list[int]:
        """The changes whose span meets ``[start, end)`` (an empty span or range counts as one character)."""
        last = max(end, start + 1) - 1
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_right(self.starts, last)
        return sorted(k for k in self.order[lo:hi] if start <= max(self.tracked[k].span[1], self.tracked[k].span[0] + 1) - 1)


def diff_documents(
    old_path: str | Path, new_path: str | Path, claims: Any = None, *, front_matter: bool = False
) -> list[ProposedRevision]:
    """The changes from one version of a document to the next, as proposed revisions.

    ``claims`` (a Library, a mapping or iterable of claims, or None) matches each change to a claim.
    The front matter (title, links, e-mail addresses, table of contents; see
    :mod:`.frontmatter`) is left out unless ``front_matter`` is true.

    >>> [(c.old, c.new) for c in diff_documents("early.md", "latest.md")]  # doctest: +SKIP
    [('three', 'four'), ('C4', 'Common Crawl'), ...]
    """
    old_doc, new_doc = read_document(old_path), read_document(new_path)
    known = claims_of(claims)
    matcher = ClaimMatcher(known) if known else None
    old_paras = _paragraphs(_body(old_doc.blocks, front_matter))
    new_paras = _paragraphs(_body(new_doc.blocks, front_matter))
    # The front matter's dates ("Released on Dec 11, 2022") still tell the year of an undated update.
    dates = document_dates(_clean(b.render("new")[0]) for b in new_doc.blocks if not b.heading)
    pairs, removed, added = _pair(old_paras, new_paras)
    out: list[ProposedRevision] = []

    def propose(
        kind: RevisionKind,
        old: str | None,
        new: str | None,
        sentence: str,
        old_sentence: str,
        line: int,
        raw: _Raw | None = None,
        file: Path | str = new_path,
    ) -> None:
        date, note = None, None
        if raw is not None and raw.date_text:
            date, note, _ = resolve_date(raw.date_text, dates)
        claim, score = None, 0.0
        if matcher is not None:
            found = matcher.match([sentence, old_sentence], [old, new])
            claim, score = found.claim, found.score
        out.append(
            ProposedRevision(
                kind=kind,
                old=_clean(old) if old else old,
                new=_clean(new) if new else new,
                sentence=_clean(sentence),
                line=line,
                file=str(file),
                credited=raw.credited if raw else None,
                date=date,
                claim=claim,
                score=score,
                tracked=raw is not None,
                note=note,
            )  # fmt: skip
        )

    for i, j in sorted(pairs, key=lambda p: p[1]):
        a, b = old_paras[i], new_paras[j]
        tracked, _notes = extract_changes(b.block)
        marks = _Marks(tracked)
        used: set[int] = set()
        for a1, a2, b1, b2 in _regions(a, b):
            (os_, oe), (ns, ne) = _span(a, a1, a2), _span(b, b1, b2)
            sentence = excerpt(b.text, b.sentence_at(ns), ns, ne, line=_line(b, ns))
            old_sentence = excerpt(a.text, a.sentence_at(os_), os_, oe)
            hits = marks.overlapping(ns, ne)
            if hits:
                for k in hits:
                    if k not in used:
                        used.add(k)
                        r = tracked[k]
                        propose(r.kind, r.old, r.new, r.sentence.text, r.old_sentence, r.sentence.line, r)
                continue
            old_text = _clean(a.text[os_:oe]) or None
            new_text = _clean(b.text[ns:ne]) or None
            if not any(c.isalnum() for c in (old_text or "") + (new_text or "")):
                continue  # punctuation only: a full stop added is not a revision of a claim
            kind = RevisionKind.UPDATE if old_text is None else RevisionKind.CORRECTION
            propose(kind, old_text, new_text, sentence.text, old_sentence.text, _line(b, ns))
    for j in added:
        for sentence in new_paras[j].sentences:
            propose(RevisionKind.UPDATE, None, sentence.text, sentence.text, "", sentence.line)
    for i in removed:
        for sentence in old_paras[i].sentences:
            # a removal points at the old version's line
            propose(RevisionKind.CORRECTION, sentence.text, None, sentence.text, sentence.text, sentence.line, file=old_path)
    out.sort(key=lambda c: (c.new is None, c.line))
    return out
