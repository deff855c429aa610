"""Diff: the revisions between two versions of a document.

Both versions are rendered to plain text as their readers see them (struck
text dropped, Markdown formatting gone, lines re-joined), so bold-versus-plain
and re-wrapped lines are no change. Paragraphs that are mostly CJK are left
out (the early copy interleaves a Chinese translation with the English), and
headings too (they state no claims). Paragraphs are then paired: first those
with identical words anywhere in the document (moved text is no change), then
the rest by rapidfuzz similarity, best pairs first. Inside a pair, a
word-level diff gives the changed spans; a span that falls on a correction the
new version marks itself (``~~old~~ new``, ``[update DATE: ...]``) is reported
as that correction, with its credit and date. Paragraphs with no partner are
added or removed sentences.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
from rapidfuzz import fuzz, process

from ..model import RevisionKind
from .dates import document_dates
from .frontmatter import front_matter as find_front_matter
from .markdown import Block
from .matching import ClaimMatcher, claims_of
from .reading import read_document
from .records import ProposedRevision
from .sentences import Sentence, block_sentences, cjk_share, word_spans
from .tracked import _clean, _Raw, _sentence_at, extract_changes, resolve_date

__all__ = ["diff_documents", "PAIR_THRESHOLD", "CJK_LIMIT"]

#: Paragraphs less similar than this (rapidfuzz ratio over their words) are not versions of each other.
PAIR_THRESHOLD = 60.0
#: Paragraphs with a larger share of CJK characters are left out of the comparison.
CJK_LIMIT = 0.2
_MARKERS = frozenset({"*", "_", "**", "__"})  # emphasis markers markdown-it kept as text


@attrs.frozen
class _Para:
    block: Block
    text: str  # the "new" rendering
    where: tuple[int, ...]
    tokens: tuple[tuple[int, int, str], ...]
    sentences: tuple[Sentence, ...]
    struck_key: str  # the words with struck text kept: what the version before the strike said, roughly

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(t[2] for t in self.tokens)


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
        tokens = tuple(t for t in word_spans(text) if t[2] not in _MARKERS)
        if tokens:
            with_struck = " ".join(t[2] for t in word_spans(block.render("old")[0]) if t[2] not in _MARKERS)
            out.append(_Para(block, text, block.render("new")[1], tokens, tuple(sentences), with_struck))
    return out


def _pair(old: list[_Para], new: list[_Para]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs of (old index, new index) that are versions of one paragraph, and the unpaired of each side."""
    pairs: list[tuple[int, int]] = []
    free_old = set(range(len(old)))
    by_key: dict[tuple[str, ...], list[int]] = {}
    for i, para in enumerate(old):
        by_key.setdefault(para.key, []).append(i)
    free_new = []
    for j, para in enumerate(new):
        same = by_key.get(para.key)
        if same:
            free_old.discard(same.pop(0))  # identical, wherever it is: not a change
        else:
            free_new.append(j)
    olds = sorted(free_old)
    if olds and free_new:
        olds_text = [" ".join(old[i].key) for i in olds]
        scores = process.cdist([" ".join(new[j].key) for j in free_new], olds_text, scorer=fuzz.ratio, workers=1)
        # a paragraph the new version corrected with strikethrough still reads like the old one with the struck text in
        # (token_set_ratio: the old paragraph is then a subset of the struck-in words)
        struck = process.cdist(
            [new[j].struck_key if new[j].struck_key != " ".join(new[j].key) else "" for j in free_new],
            olds_text,
            scorer=fuzz.token_set_ratio,
            workers=1,
        )
        scores = scores.copy()
        scores[struck > scores] = struck[struck > scores]
        candidates = sorted(
            (
                (float(scores[a][b]), free_new[a], olds[b])
                for a in range(len(free_new))
                for b in range(len(olds))
                if scores[a][b] >= PAIR_THRESHOLD
            ),
            key=lambda c: (-c[0], c[1], c[2]),
        )
        used_new: set[int] = set()
        for _score, j, i in candidates:
            if j in used_new or i not in free_old:
                continue
            used_new.add(j)
            free_old.discard(i)
            pairs.append((i, j))
    unpaired_new = [j for j in free_new if j not in {p[1] for p in pairs}]
    return pairs, sorted(free_old), unpaired_new


def _regions(a: _Para, b: _Para) -> list[tuple[int, int, int, int]]:
    """Changed token ranges ``(a_start, a_end, b_start, b_end)``; ranges one word apart are merged."""
    matcher = difflib.SequenceMatcher(None, a.key, b.key, autojunk=False)
    regions: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if regions and i1 - regions[-1][1] <= 1 and j1 - regions[-1][3] <= 1 and i1 - regions[-1][1] == j1 - regions[-1][3]:
            regions[-1][1], regions[-1][3] = i2, j2
        else:
            regions.append([i1, i2, j1, j2])
    return [tuple(r) for r in regions]  # type: ignore[misc]


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
        used: set[int] = set()
        for a1, a2, b1, b2 in _regions(a, b):
            (os_, oe), (ns, ne) = _span(a, a1, a2), _span(b, b1, b2)
            sentence = _sentence_at(list(b.sentences), min(ns, max(len(b.text) - 1, 0)))
            old_sentence = _sentence_at(list(a.sentences), min(os_, max(len(a.text) - 1, 0)))
            hits = [
                k for k, r in enumerate(tracked) if r.span[0] <= max(ne, ns + 1) - 1 and ns <= max(r.span[1], r.span[0] + 1) - 1
            ]
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
