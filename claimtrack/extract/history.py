"""A paper's history from git: each cited sentence followed through the commits that changed the file.

Every version of the document is read (one ``git cat-file`` for all of them);
its cited sentences are matched with the previous version's (same words, else
the same statement, else the most alike, at least 60% of their words in
order). A matched sentence whose statement, citations or wording changed gives
a dated revision: a span correction of the statement (a ``hedge`` when it
gained a hedging word), the evidence added or removed, the appearance text
brought up to date; its ``date`` and ``by`` are the commit's author date and
author, its ``note`` names the commit and its ``reason`` is the commit's
subject. A sentence still cited in the last version becomes a proposal
created at the commit that first had it, with its first wording.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..batch.ids import id_from_words, slug, unique_id
from ..errors import ClaimtrackError, GitError
from ..gitrepo import open_repo
from ..manuscripts.reading import syntax_of
from .cited import _BRACKETED_CITE, _EMPHASIS, _LINK, _SPACE, CitedSentence, cited_sentences
from .propose import Extraction, Proposal, _known, _title, confidence_for, document_key, hedges_in, same_case

if TYPE_CHECKING:
    from ..library import Library

__all__ = ["propose_history", "Change"]

_SIMILAR = 0.6


@attrs.frozen
class _Commit:
    hash: str
    author: str
    date: dt.date
    subject: str


@attrs.define
class _Lineage:
    """One cited sentence through the versions: its first state, its revisions, and how it reads now."""

    first: CitedSentence
    commit: _Commit
    current: CitedSentence
    revisions: list[dict[str, Any]] = attrs.field(factory=list)
    evidence: list[str] = attrs.field(factory=list)  # the keys as the claim holds them

    def __attrs_post_init__(self) -> None:
        self.evidence = list(self.first.keys)


Change = dict  # a revision in the claim file's raw shape


def _commits(repo: Any, path: str) -> list[_Commit]:
    done = repo.git("log", "--topo-order", "--reverse", "--format=%H%x1f%an%x1f%aI%x1f%s", "--", path)
    out = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split("\x1f")
        if len(parts) == 4:
            out.append(_Commit(parts[0], parts[1], dt.date.fromisoformat(parts[2][:10]), parts[3]))
    return out


def _words(text: str) -> list[str]:
    return text.lower().split()


def _match(previous: Sequence[CitedSentence], current: Sequence[CitedSentence]) -> dict[int, int]:
    """current index -> previous index, for the sentences that are the same sentence in both versions."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for attribute in ("verbatim", "statement"):
        index: dict[str, int] = {}
        for i, sentence in enumerate(previous):
            if i not in used:
                index.setdefault(getattr(sentence, attribute), i)
        for j, sentence in enumerate(current):
            i = index.get(getattr(sentence, attribute), -1)
            if j not in pairs and i >= 0 and i not in used:
                pairs[j] = i
                used.add(i)
    left = [i for i in range(len(previous)) if i not in used]
    right = [j for j in range(len(current)) if j not in pairs]
    if left and right and len(left) * len(right) <= 10_000:
        scored = []
        for j in right:
            target = _words(current[j].statement)
            matcher = difflib.SequenceMatcher(None, b=target, autojunk=False)
            for i in left:
                matcher.set_seq1(_words(previous[i].statement))
                if matcher.real_quick_ratio() >= _SIMILAR and matcher.quick_ratio() >= _SIMILAR:
                    ratio = matcher.ratio()
                    if ratio >= _SIMILAR:
                        scored.append((ratio, j, i))
        for _ratio, j, i in sorted(scored, reverse=True):
            if j not in pairs and i not in used:
                pairs[j] = i
                used.add(i)
    return pairs


def _span_edit(old: str, new: str) -> tuple[str, str] | None:
    """The smallest word-aligned ``old`` -> ``new`` edit that occurs once in ``old``, or None to replace it whole."""
    a, b = old.split(" "), new.split(" ")
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    for widen in range(0, max(len(a), 1)):
        lo, hi_a, hi_b = max(0, start - widen), len(a) - max(0, end - widen), len(b) - max(0, end - widen)
        span_old, span_new = " ".join(a[lo:hi_a]), " ".join(b[lo:hi_b])
        if span_old and old.count(span_old) == 1:
            return span_old, span_new
    return None


def _appearance(sentence: CitedSentence, key: str) -> dict[str, str]:
    out = {"document": key}
    if sentence.section:
        out["locator"] = sentence.section
    out["text"] = sentence.verbatim
    return out


def _evidence(source: str, locator: str | None) -> dict[str, str]:
    return {"source": source, "stance": "supports", **({"locator": locator} if locator else {})}


def _revision(
    lineage: _Lineage, new: CitedSentence, commit: _Commit, key: str, scale: Any, last: dt.date
) -> dict[str, Any] | None:
    old = lineage.current
    if old.verbatim == new.verbatim and old.section == new.section:
        return None
    revision: dict[str, Any] = {"date": max(commit.date, last), "by": commit.author, "note": f"commit {commit.hash}"}
    if commit.date < last:
        revision["note"] += f", authored {commit.date} (recorded at the date of the revision before it)"
    kind = "editorial"
    if old.statement != new.statement:
        edit = _span_edit(old.statement, new.statement)
        if edit is None:
            revision["statement"] = new.statement
        else:
            revision["old"], revision["new"] = edit
        gained = set(hedges_in(new.statement)) - set(hedges_in(old.statement))
        kind = "hedge" if gained else "correction"
        before, after = confidence_for(old.statement, len(old.keys), scale), confidence_for(new.statement, len(new.keys), scale)
        if before != after:
            revision["confidence"] = after
    # BibTeX keys ignore case: @arXiv:1 and @arxiv:1 cite one entry.
    old_keys, new_keys = {k.casefold() for k in old.keys}, {k.casefold() for k in new.keys}
    added = [k for k in new.keys if k.casefold() not in old_keys]
    removed = [k for k in lineage.evidence if k.casefold() not in new_keys]
    lineage.evidence = [k for k in lineage.evidence if k.casefold() in new_keys] + added
    if added or removed:
        kind = "evidence" if kind == "editorial" else kind
        if added:
            revision["add_evidence"] = [_evidence(k, lineage.first.section) for k in added]
        if removed:
            revision["remove_evidence"] = [_evidence(k, lineage.first.section) for k in removed]
    revision["remove_appearances"] = [_appearance(old, key)]
    revision["add_appearances"] = [_appearance(new, key)]
    revision["kind"] = kind
    if kind != "editorial":
        revision["reason"] = commit.subject or f"changed in commit {commit.hash[:10]}"
    return revision


def propose_history(lib: Library, paths: Sequence[str | Path], *, document_keys: Iterable[str | None] = ()) -> Extraction:
    """Proposals with their history for every cited sentence of each document, from the document's git commits."""
    scale = lib.settings.scale
    sources = lib.sources
    appearances, statements = _known(lib)
    taken = {p.stem for p in lib.store.files()}
    keys = list(document_keys)
    proposals: list[Proposal] = []
    documents: dict[str, tuple[str, str]] = {}
    skipped = 0
    for index, raw_path in enumerate(paths):
        path = Path(raw_path)
        if not path.is_file():
            raise ClaimtrackError("no such document", file=str(path), hint="check the path")
        repo = open_repo(path.resolve().parent)
        name = repo.relative(path)
        commits = _commits(repo, name)
        if not commits:
            raise GitError("has no commits in git", file=str(path), hint="commit it first, or run extract without --history")
        key = (keys[index] if index < len(keys) else None) or document_key(path)
        blobs = repo.read_many(f"{c.hash}:{name}" for c in commits)
        lineages = _walk(commits, blobs, name, key, scale)
        last_text = (blobs.get(f"{commits[-1].hash}:{name}") or b"").decode("utf-8", "replace")
        documents[key] = (str(raw_path), _title(last_text, str(raw_path)))
        for lineage in lineages:
            now = lineage.current
            if now.claims or (key, now.verbatim) in appearances or now.statement in statements:
                skipped += 1
                continue
            if not now.keys or not lineage.first.keys or not lineage.first.statement:
                continue
            claim_id = unique_id(id_from_words(now.statement), taken)
            taken.add(claim_id)
            first = lineage.first
            proposals.append(
                Proposal(
                    id=claim_id,
                    statement=first.statement,
                    confidence=confidence_for(first.statement, len(first.keys), scale),
                    tags=(slug(first.section),) if first.section and slug(first.section) else (),
                    evidence=first.keys,
                    locator=first.section,
                    document=key,
                    path=str(raw_path),
                    text=first.verbatim,
                    line=now.line,
                    hedges=hedges_in(first.statement),
                    missing=tuple(k for k in _cited_ever(lineage) if k not in sources),
                    date=lineage.commit.date,
                    by=lineage.commit.author,
                    commit=lineage.commit.hash,
                    revisions=tuple(lineage.revisions),
                )
            )
    return same_case(Extraction(tuple(proposals), documents, skipped), sources)


def _cited_ever(lineage: _Lineage) -> list[str]:
    """Every key the sentence cited at some point: its first ones and each one a revision adds."""
    added = [e["source"] for r in lineage.revisions for e in r.get("add_evidence", [])]
    return list(dict.fromkeys([*lineage.first.keys, *added]))


_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?[ \t#]*$", re.MULTILINE)


def _chunks(text: str) -> list[tuple[int, int, str]]:
    """The text cut at blank lines into runs of blocks that read the same alone: (offset, first line, text).

    A cut never falls inside a fenced code block or the front matter, nor before an indented line (a list item's
    next paragraph, indented code), so each run parses as it does in the whole document.
    """
    out: list[tuple[int, int, str]] = []
    start = start_line = offset = 0
    fence: str | None = None
    front = text.startswith("---")
    blank_before = False
    for number, line in enumerate(text.splitlines(keepends=True)):
        stripped = line.strip()
        if number and front:
            if stripped in ("---", "..."):
                front = False
        elif fence is None and stripped and not line[0].isspace() and blank_before and offset > start and number:
            out.append((start, start_line, text[start:offset]))
            start, start_line = offset, number
        if not front:
            opened = _FENCE.match(line)
            if opened and (fence is None or opened.group(1) == fence):
                fence = None if fence else opened.group(1)
        blank_before = not stripped
        offset += len(line)
    out.append((start, start_line, text[start:]))
    return out


def _heading(title: str | None) -> str:
    return _SPACE.sub(" ", _EMPHASIS.sub(r"\2", _BRACKETED_CITE.sub("", _LINK.sub(r"\1", title or "")))).strip(" #*_")


def sentences_by_chunk(text: str, path: str, cache: dict[str, list[CitedSentence]]) -> list[CitedSentence]:
    """:func:`cited_sentences` of a Markdown text, each run of blocks read once across versions (``cache``)."""
    if syntax_of(path) == "latex":
        return cited_sentences(text, path=path)
    out: list[CitedSentence] = []
    section: str | None = None
    for offset, first_line, chunk in _chunks(text):
        found = cache.get(chunk)
        if found is None:
            found = cached = cited_sentences(chunk, path=path)
            cache[chunk] = cached
        for sentence in found:
            out.append(
                attrs.evolve(
                    sentence,
                    start=sentence.start + offset,
                    end=sentence.end + offset,
                    line=sentence.line + first_line,
                    section=sentence.section if sentence.section is not None else section,
                )
            )
        headings = [m for m in _ATX.finditer(chunk) if not _inside_fence(chunk, m.start())]
        if headings:
            section = _heading(headings[-1].group(1))
    return out


def _inside_fence(text: str, offset: int) -> bool:
    return sum(1 for line in text[:offset].splitlines() if _FENCE.match(line)) % 2 == 1


def _walk(commits: Sequence[_Commit], blobs: dict[str, bytes | None], name: str, key: str, scale: Any) -> list[_Lineage]:
    """The lineages of the sentences still cited in the last version that could be read."""
    alive: list[_Lineage] = []
    previous: list[CitedSentence] = []
    seen: dict[bytes, list[CitedSentence]] = {}
    chunks: dict[str, list[CitedSentence]] = {}
    for commit in commits:
        data = blobs.get(f"{commit.hash}:{name}")
        if data is None:
            continue  # the file deleted in this commit: its sentences are matched against the next version
        sentences = seen.get(data)
        if sentences is None:
            try:
                sentences = sentences_by_chunk(data.decode("utf-8-sig"), name, chunks)
            except (ClaimtrackError, UnicodeDecodeError):
                continue  # a version that cannot be read (an unbalanced bracket then) is passed over
            seen[data] = sentences
        pairs = _match(previous, sentences)
        now: list[_Lineage] = []
        for j, sentence in enumerate(sentences):
            i = pairs.get(j)
            if i is None:
                now.append(_Lineage(sentence, commit, sentence))
                continue
            lineage = alive[i]
            last = lineage.revisions[-1]["date"] if lineage.revisions else lineage.commit.date
            revision = _revision(lineage, sentence, commit, key, scale, last)
            if revision is not None:
                lineage.revisions.append(revision)
            lineage.current = sentence
            now.append(lineage)
        alive, previous = now, sentences
    return alive
