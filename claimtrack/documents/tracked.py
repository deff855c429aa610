"""Import: the tracked changes a Markdown document shows, as proposed revisions.

Read from the token stream (see :mod:`.markdown`), never from raw text:

* ``~~old~~ new`` and ``~~old~~ **new**``: a correction. Where the new text
  ends is not marked, so :func:`_new_span` decides, in this order: inside a
  word (``code-~~only~~mainly``) the rest of the word; a strike inside bold
  the rest of that bold run; a bold run right after the strike that run; a
  whole struck sentence the next sentence; a struck number the next number; a
  struck name (``C4``) the run of capitalised words after it ("Common
  Crawl"); otherwise the words up to the next comma, semicolon, colon, dash
  or sentence end. When a claim matches, its recorded revision with the same
  old text, or its current statement, picks the exact span instead.
* "(corrected by NAME)" right after the struck text, after the new text, or
  later in the sentence or just after it (before the next change) credits NAME.
* "[update DATE: text]": an update, dated with the document's own year.
* CriticMarkup: ``{~~a~>b~~}`` a correction, ``{--a--}`` a deletion,
  ``{++a++}`` an insertion (a clarification), ``{>>note<<}`` a note on the
  change it follows. Deletions and insertions are anchored on the word
  before them so they can be applied as span edits.

Regexes here only ever run on one rendered plain-text block, and the work
per change is bounded (see :mod:`.limits`), so a document is read in time
linear in its size.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ..model import Claim, RevisionKind
from .dates import document_dates, infer_year, parse_date
from .limits import MAX_NEW_SPAN
from .markdown import COMMENT, DELETED, HIGHLIGHT, INSERTED, STRUCK, SUB_NEW, SUB_OLD, Block
from .matching import ClaimMatcher, claims_of, contains_words, versions_of
from .reading import read_document
from .records import DocumentNote, ImportResult, ProposedRevision
from .sentences import Sentence, block_sentences, excerpt, normalise, sentence_at, word_spans

__all__ = ["import_changes", "extract_changes", "resolve_date"]

_CREDIT = re.compile(
    r"\s*\(\s*(?:corrected|pointed out|spotted|found|fixed|reported|suggested)\s+by\s+(?P<name>[^()]{1,80}?)\s*\)", re.I
)
_UPDATE = re.compile(
    r"[\[(][\s*_]*(?P<word>update[ds]?|edit(?:ed)?)\b[\s*_]*(?P<date>[^:\])]{0,40}?)[\s*_]*:[\s*_]*(?P<body>[^\])]{1,4000}?)[\s*_]*[\])]",
    re.I,
)
_NUMBER = re.compile(r"\d[\d,.]*[a-zA-Z%]{0,2}")
_STOP = ",;:—–"


def _clean(text: str) -> str:
    """A rendered string without emphasis markers markdown-it left as text (``23**:**``)."""
    return " ".join(text.replace("**", "").replace("__", "").split())


@attrs.frozen
class _Raw:
    """A change found in a block, before claim matching."""

    kind: RevisionKind
    old: str | None
    new: str | None
    sentence: Sentence
    old_sentence: str
    credited: str | None = None
    date_text: str | None = None
    tracked: bool = True
    note: str | None = None
    span: tuple[int, int] = (0, 0)  # where the new text is in the block's "new" rendering


def _struck_groups(block: Block) -> list[tuple[int, int]]:
    """``(start, end)`` in block.text of each maximal struck stretch."""
    groups: list[tuple[int, int]] = []
    for run in block.runs:
        if run.kind != STRUCK:
            continue
        if groups and groups[-1][1] == run.start:
            groups[-1] = (groups[-1][0], run.end)
        else:
            groups.append((run.start, run.end))
    return groups


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _is_name(word: str) -> bool:
    return bool(word) and (word[0].isupper() or (any(c.isdigit() for c in word) and any(c.isalpha() for c in word)))


def _new_span(
    block: Block, rendered: str, where: tuple[int, ...], struck: tuple[int, int], p: int, sentence: Sentence, old: str
) -> tuple[int, int]:
    """Where, in the rendered text, the words replacing the struck ones begin and end (see module doc)."""
    text = block.text
    limit = min(sentence.end if sentence.end > p else len(rendered), p + MAX_NEW_SPAN)
    # Inside a word: "code-~~only~~mainly".
    if struck[0] > 0 and not text[struck[0] - 1].isspace() and p < len(rendered) and rendered[p].isalnum():
        end = p
        while end < len(rendered) and (rendered[end].isalnum() or rendered[end] == "_"):
            end += 1
        return p, end
    q = _skip_space(rendered, p)
    if q >= len(rendered):
        return q, q
    inner = block.run_at(struck[0])
    inside = inner.strong if inner else -1

    def strong_end(strong: int, start: int) -> int:
        end, stop = start, min(len(rendered), start + MAX_NEW_SPAN)
        while end < stop and (run := block.run_at(where[end])) is not None and run.strong == strong:
            end += 1
        return end

    here = block.run_at(where[q])
    if inside >= 0 and here is not None and here.strong == inside:
        return q, _trim(rendered, q, strong_end(inside, q))
    if here is not None and here.strong >= 0 and here.strong != inside:
        return q, _trim(rendered, q, strong_end(here.strong, q))
    if old.rstrip()[-1:] in ".!?":
        # a whole sentence struck: the next sentence (with its full stop) replaces it
        nxt = sentence.end if sentence.start <= q < sentence.end else limit
        return q, min(nxt, q + MAX_NEW_SPAN)
    tail = rendered[q:limit]
    first = tail.split(None, 1)[0] if tail.split() else ""
    if _NUMBER.fullmatch(old.strip()) and (m := _NUMBER.match(tail)):
        return q, q + m.end()
    old_words = old.split()
    if 0 < len(old_words) <= 4 and all(_is_name(w) for w in old_words) and _is_name(first):
        end = q
        for m in re.finditer(r"\S+", tail):
            word = m.group().rstrip(_STOP + ".!?)")
            if not word or not word[0].isupper():
                break
            end = q + m.start() + len(word)
            if word != m.group():
                break
        return q, end
    end = q
    while (
        end < limit
        and rendered[end] not in _STOP
        and not (rendered[end] in ".!?" and (end + 1 >= limit or rendered[end + 1].isspace()))
        and not (rendered[end] == "(" and _CREDIT.match(rendered, end))
    ):
        end += 1
    return q, _trim(rendered, q, end)


def _trim(rendered: str, start: int, end: int) -> int:
    while end > start and (rendered[end - 1].isspace() or rendered[end - 1] in _STOP + ".!?"):
        end -= 1
    return end


def _refine(claim: Claim, old: str, rendered: str, start: int, end: int, limit: int) -> tuple[int, int]:
    """Use the matched claim's own history to pick the new span exactly (see module doc).

    A recorded revision with the same old text, or the word-level change from a
    superseded wording holding ``old`` to the current statement, names the new
    text; it is taken when the document's following text starts with it.
    Otherwise, when the current statement holds ``old`` once, the new text ends
    where the document goes on as the statement goes on after ``old``
    (:func:`_until_statement_resumes`). Otherwise the heuristic span stands.
    """
    from .superseded import core_span, word_changes  # the span arithmetic lives with the superseded wordings

    candidates = []
    for r in claim.revisions:
        if r.is_span_edit and r.old and r.new:
            core_old, core_new = core_span(r.old, r.new)
            candidates += [r.new] if r.old == old else [core_new] if core_old == old else []
    for version in versions_of(claim)[:-1]:
        if contains_words(version.statement, old):
            candidates += [new for o, new in word_changes(version.statement, claim.statement) if o == old and new]
    if candidates:
        # only as much of the following text as the longest candidate could need (normalising may shrink it)
        following = normalise(rendered[start : start + 4 * max(map(len, candidates)) + 64]).casefold()
        for new in sorted(set(candidates), key=len, reverse=True):
            if following.startswith(normalise(new).casefold()):
                return start, start + len(new)
    resumes = _until_statement_resumes(claim.statement, old, rendered, start, limit)
    return (start, resumes) if resumes is not None else (start, end)


#: How many of the statement's words after the old span must follow the new text in the document (fewer when the
#: statement or the sentence ends sooner).
_RESUME_WORDS = 3


def _until_statement_resumes(statement: str, old: str, rendered: str, start: int, limit: int) -> int | None:
    """Where the new text ends: where the document goes on with the words the statement has after ``old``.

    Claim "reached greater than 93% accuracy on OCT images." and document text
    "more than 93% accuracy on OCT images." after the struck words: the new
    text is "more than 93%". A credit ("(corrected by A. Reader)") inside the
    new text is skipped over. None when the statement does not hold ``old``
    exactly once or the document never goes on as it does.
    """
    if not old or statement.count(old) != 1:
        return None
    want = [w for _, _, w in word_spans(statement.split(old, 1)[1])][:_RESUME_WORDS]
    if not want:
        return None
    text = rendered[start : min(limit, start + 2 * MAX_NEW_SPAN)]
    credit_spans = [m.span() for m in _CREDIT.finditer(text)]
    got = [(a, b, w) for a, b, w in word_spans(text) if not any(c0 <= a < c1 for c0, c1 in credit_spans)]
    for i in range(1, len(got)):
        k = 0
        while k < len(want) and i + k < len(got) and got[i + k][2] == want[k]:
            k += 1
        if k == len(want) or (k and i + k == len(got)):
            return start + got[i - 1][1]
    return None


def _credit_after(rendered: str, start: int, sentence_end: int, limit: int) -> re.Match[str] | None:
    """A "(corrected by NAME)" later in the sentence of the change, or just after its end, before the next change."""
    m = _CREDIT.search(rendered, start, limit)
    if m is None:
        return None
    if m.start() < sentence_end or not rendered[sentence_end : m.start()].strip(" .;"):
        return m
    return None


def extract_changes(
    block: Block, claims: Mapping[str, Claim] | None = None, matcher: ClaimMatcher | None = None
) -> tuple[list[_Raw], list[DocumentNote]]:
    """The tracked changes and free-standing notes of one block."""
    rendered, sentences = block_sentences(block, "new")
    if not sentences:
        return [], []
    _, where = block.render("new")
    starts = [s.start for s in sentences]
    changes: list[_Raw] = []
    groups = _struck_groups(block)
    for number, struck in enumerate(groups):
        old = " ".join(block.text[struck[0] : struck[1]].split())
        if not old:
            continue
        p = bisect.bisect_left(where, struck[1])
        credited, credit_text = None, ""
        if (m := _CREDIT.match(rendered, p)) is not None:
            credited, credit_text, p = m.group("name").strip(), m.group().strip(), m.end()
        q = _skip_space(rendered, p)
        sentence = sentence_at(sentences, min(q, len(rendered) - 1), starts)
        start, end = _new_span(block, rendered, where, struck, p, sentence, old)
        sentence = excerpt(rendered, sentence, start, end, line=_line(block, where, start))
        if matcher is not None and claims and matcher.may_know(old):
            found = matcher.match([rendered[sentence.start : sentence.end]], [old])
            if found.claim is not None:
                start, end = _refine(claims[found.claim], old, rendered, start, end, sentence.end)
        new = " ".join(rendered[start:end].split())
        if (inside := _CREDIT.search(rendered, start, end)) is not None:
            # "more than 93% (corrected by A. Reader) accuracy": the credit sits inside the new text, not in it
            if credited is None:
                credited, credit_text = inside.group("name").strip(), inside.group().strip()
            new = " ".join(_CREDIT.sub(" ", rendered[start:end]).split())
        if credited is None and (m := _CREDIT.match(rendered, end)) is not None:
            credited, credit_text = m.group("name").strip(), m.group().strip()
        if credited is None:
            following = bisect.bisect_left(where, groups[number + 1][0]) if number + 1 < len(groups) else len(rendered)
            if (m := _credit_after(rendered, end, sentence.end, following)) is not None:
                credited, credit_text = m.group("name").strip(), m.group().strip()
        if credit_text:
            # the credit is about the change, not part of what the sentence says
            without = " ".join(sentence.text.replace(credit_text, " ").split())
            sentence = attrs.evolve(sentence, text=re.sub(r" ([.,;:!?])", r"\1", without))
        prefix = rendered[sentence.start : start] if start >= sentence.start else ""
        old_sentence = prefix + old + " " + rendered[end : sentence.end]
        changes.append(
            _Raw(RevisionKind.CORRECTION, old, new, sentence, _clean(old_sentence), credited, span=(start, max(start, end)))
        )
    for m in _UPDATE.finditer(rendered):
        sentence = excerpt(rendered, sentence_at(sentences, m.start(), starts), *m.span(), line=_line(block, where, m.start()))
        body = _clean(m.group("body"))
        date_text = _clean(m.group("date")) or None
        changes.append(
            _Raw(
                RevisionKind.UPDATE,
                None,
                body,
                sentence,
                _clean(sentence.text.replace(m.group(), "")),
                date_text=date_text,
                span=m.span(),
            )
        )
    notes: list[DocumentNote] = []
    first_critic = len(changes)
    _critic_changes(block, rendered, where, sentences, changes, notes)
    changes[first_critic:] = _credited(rendered, changes[first_critic:])
    return changes, notes


def _credited(rendered: str, found: list[_Raw]) -> list[_Raw]:
    """CriticMarkup changes with the "(corrected by NAME)" that follows each (before the next change), the credit
    taken out of the sentence: it is about the change, not part of what the sentence says."""
    out = []
    for number, raw in enumerate(found):
        following = found[number + 1].span[0] if number + 1 < len(found) else len(rendered)
        end = raw.span[1]
        m = _CREDIT.match(rendered, end) or _credit_after(rendered, end, raw.sentence.end, max(following, end))
        if raw.credited is None and m is not None:
            credit = m.group().strip()
            text = re.sub(r" ([.,;:!?])", r"\1", " ".join(raw.sentence.text.replace(credit, " ").split()))
            raw = attrs.evolve(raw, credited=m.group("name").strip(), sentence=attrs.evolve(raw.sentence, text=text),
                               old_sentence=_clean(raw.old_sentence.replace(credit, " ")))  # fmt: skip
        out.append(raw)
    return out


def _line(block: Block, where: tuple[int, ...], pos: int) -> int:
    """The source line of an offset in the block's rendering."""
    return block.line_at(where[min(pos, len(where) - 1)]) if where else block.line


def _critic_changes(
    block: Block, rendered: str, where: tuple[int, ...], sentences: list[Sentence], changes: list[_Raw], notes: list[DocumentNote]
) -> None:
    runs = block.runs
    starts = [s.start for s in sentences]
    last_change: int | None = None
    i = 0
    while i < len(runs):
        run = runs[i]
        pos = min(bisect.bisect_left(where, run.start), max(len(rendered) - 1, 0))
        sentence = excerpt(rendered, sentence_at(sentences, pos, starts), pos, pos + 1, line=_line(block, where, pos))
        text = " ".join(block.text[run.start : run.end].split())
        if run.kind == SUB_OLD:
            new_run = (
                runs[i + 1] if i + 1 < len(runs) and runs[i + 1].kind == SUB_NEW and runs[i + 1].group == run.group else None
            )
            new = " ".join(block.text[new_run.start : new_run.end].split()) if new_run else ""
            changes.append(
                _Raw(
                    RevisionKind.CORRECTION,
                    text,
                    new,
                    sentence,
                    _clean(sentence.text.replace(new, text, 1)),
                    span=(pos, pos + len(new)),
                )
            )
            last_change = len(changes) - 1
            i += 2 if new_run else 1
            continue
        if run.kind in (INSERTED, DELETED) and text:
            anchor = _anchor(rendered, pos)
            inserted = run.kind == INSERTED
            old: str | None
            if anchor:
                old, new = (anchor, f"{anchor} {text}") if inserted else (f"{anchor} {text}", anchor)
            else:
                old, new = (None, text) if inserted else (text, "")
            kind = RevisionKind.CLARIFICATION if inserted else RevisionKind.CORRECTION
            note = "anchored on the preceding word so it applies as a span edit" if anchor else None
            changes.append(
                _Raw(kind, old, new, sentence, _clean(sentence.text), note=note, span=(pos, pos + (len(text) if inserted else 0)))
            )
            last_change = len(changes) - 1
        elif run.kind == COMMENT and text:
            if last_change is not None and i > 0 and runs[i - 1].kind in (SUB_NEW, SUB_OLD, INSERTED, DELETED):
                changes[last_change] = attrs.evolve(changes[last_change], note=text)
            else:
                notes.append(DocumentNote(text, _clean(sentence.text), block.line_at(run.start)))
        elif run.kind not in (HIGHLIGHT,):
            last_change = None if run.kind != STRUCK else last_change
        i += 1


def _anchor(rendered: str, pos: int) -> str | None:
    """The word just before ``pos`` in the rendered text (the spot of an insertion or deletion)."""
    end = pos
    while end > 0 and rendered[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and end - start < MAX_NEW_SPAN and not rendered[start - 1].isspace():
        start -= 1
    return rendered[start:end] or None


def resolve_date(
    date_text: str | None, dates: list[dt.date], note: str | None = None
) -> tuple[dt.date | None, str | None, int | None]:
    """A change's date from the text the document gives (``Dec 23``), the note to record, and the year used."""
    if not date_text:
        return None, note, None
    parsed = parse_date(date_text)
    if parsed is None:
        return None, f"date {date_text!r} could not be read", None
    year = parsed[0] or infer_year(parsed[1], parsed[2], dates)
    if year is None:
        return None, f"date {date_text!r} has no year and the document's own dates do not settle it", None
    if parsed[0] is None:
        note = f"year {year} inferred from the document's dates ({min(dates)} to {max(dates)})"
    return dt.date(year, parsed[1], parsed[2]), note, year


def import_changes(claims: Any, path: str | Path) -> ImportResult:
    """Read a Markdown document's tracked changes as proposed revisions, matched to claims.

    ``claims`` is a Library, a mapping of claims, an iterable of claims, or None.

    >>> result = import_changes(lib, "article.md")  # doctest: +SKIP
    >>> [(c.old, c.new, c.claim) for c in result.changes]  # doctest: +SKIP
    [('4096', '8192', 'cdv2-context-window'), ...]
    """
    doc = read_document(path, markdown=True)
    known = claims_of(claims)
    matcher = ClaimMatcher(known) if known else None
    dates = document_dates(_clean(b.render("new")[0]) for b in doc.blocks)
    notes: list[DocumentNote] = []
    warnings: list[str] = []
    years: set[int] = set()
    changes: list[ProposedRevision] = []
    for block in doc.blocks:
        # each block's changes are matched right after it is read, while the matcher still remembers its sentences
        found, block_notes = extract_changes(block, known, matcher)
        notes.extend(block_notes)
        for r in found:
            date, note, year = resolve_date(r.date_text, dates, r.note)
            if year is not None:
                years.add(year)
            if r.date_text and date is None:
                warnings.append(f"line {r.sentence.line}: {note}")
            sentence = _clean(r.sentence.text)
            claim, score = None, 0.0
            if matcher is not None:
                match = matcher.match([sentence, r.old_sentence], [r.old, r.new])
                claim, score = match.claim, match.score
            changes.append(
                ProposedRevision(
                    kind=r.kind,
                    old=r.old,
                    new=r.new,
                    sentence=sentence,
                    line=r.sentence.line,
                    file=str(path),
                    credited=r.credited,
                    date=date,
                    claim=claim,
                    score=score,
                    tracked=r.tracked,
                    note=note,
                )  # fmt: skip
            )
    changes.sort(key=lambda c: c.line)
    return ImportResult(Path(path), tuple(changes), tuple(notes), years.pop() if len(years) == 1 else None, tuple(warnings))
