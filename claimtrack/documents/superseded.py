"""The wordings a document must no longer state: every superseded version of every claim.

One :class:`Wording` per thing that was replaced:

* ``correction`` (any revision that changed the statement): the statement as
  it stood before, with the span(s) the revision changed (the revision's
  ``old`` -> ``new``, or the word-level difference of a whole new statement);
* ``retracted``: every wording a retracted claim ever had (nothing replaces
  it, and none of its own later wordings is a fix);
* ``superseded``: every wording of a claim superseded by another, whose
  statement is then the current wording (the successor is named).

A wording's old texts are the superseded statement, each appearance's text
as it stood before the revision when the revision changed or removed it, each
appearance that still states the old span or value, and the current
appearances with the new span put back to the old one (the article's own
words as they stood). Its values (:mod:`.values`) are the numbers and names
the change took out (``8%``, ``C4``) and put in (``5%``, ``Common Crawl``),
from the spans and from the facts the revision removed and added; its
subjects are the names the wording is about (``PaLM``, ``GPT-3``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence

import attrs

from ..history import apply, replay
from ..model import Appearance, Claim, Revision, RevisionKind, Status
from .matching import versions_of
from .sentences import split_sentences
from .values import find_tokens, names, numbers, tokens

__all__ = ["Wording", "superseded_wordings", "core_span", "word_changes"]

_PUNCT = ".,;:!?()\"'"


@attrs.frozen
class Wording:
    """One superseded version of a claim, with what replaced it."""

    claim: Claim
    revision: int  # index of the revision that replaced it
    kind: str  # "correction", "retracted" or "superseded"
    superseded: str
    current: str  # the claim's statement now, or the successor's
    changes: tuple[tuple[str, str], ...]  # changed spans (old, new); empty for a retraction
    old_texts: tuple[str, ...]
    current_texts: tuple[str, ...]
    old_values: frozenset[str]
    new_values: frozenset[str]
    subjects: tuple[tuple[str, ...], ...]  # name tokens, any of which makes a sentence about this claim
    successor: str | None = None
    old_sentences: tuple[str, ...] = ()  # the old texts' sentences that hold a change (what embeddings compare)
    current_sentences: tuple[str, ...] = ()
    leads: tuple[tuple[str, ...], ...] = ()  # the names before the change (else the first name): what it is about

    @property
    def old(self) -> str:
        return self.changes[0][0] if self.changes else ""

    @property
    def new(self) -> str:
        return self.changes[0][1] if self.changes else ""


def core_span(old: str, new: str) -> tuple[str, str]:
    """``old`` and ``new`` without the words they share at either end.

    >>> core_span("they should also be in OPT", "they might be partially in OPT")
    ('should also be', 'might be partially')
    """
    a, b = old.split(), new.split()

    def same(x: str, y: str) -> bool:
        return x.strip(_PUNCT).casefold() == y.strip(_PUNCT).casefold()

    head = 0
    while head < min(len(a), len(b)) and same(a[head], b[head]):
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and same(a[-1 - tail], b[-1 - tail]):
        tail += 1
    return " ".join(a[head : len(a) - tail]), " ".join(b[head : len(b) - tail])


def word_changes(before: str, after: str) -> list[tuple[str, str]]:
    """Word-level changed spans ``(old, new)`` from one whole statement to the next.

    Changes one unchanged word apart are one change: "should also be" ->
    "might be partially", not "should also" -> "might" and "" -> "partially".
    """
    a, b = before.split(), after.split()
    regions: list[list[int]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if regions and i1 - regions[-1][1] <= 1 and j1 - regions[-1][3] <= 1:
            regions[-1][1], regions[-1][3] = i2, j2
        else:
            regions.append([i1, i2, j1, j2])
    return [(" ".join(a[i1:i2]), " ".join(b[j1:j2])) for i1, i2, j1, j2 in regions if i2 > i1]


def _sentences(texts: Iterable[str]) -> list[str]:
    return [" ".join(t[a:b].split()) for t in texts for a, b in split_sentences(t)]


def _changed_sentences(texts: Sequence[str], spans: Sequence[Sequence[str]], olds: frozenset[str]) -> list[str]:
    """The sentences of ``texts`` that hold one of the spans or values (all of them when there are none)."""
    if not spans and not olds:
        return _sentences(texts)
    kept = []
    for sentence in _sentences(texts):
        words = tokens(sentence)
        if any(find_tokens(words, span) >= 0 for span in spans) or stated(sentence, words, olds):
            kept.append(sentence)
    return kept


def _states(claim: Claim) -> list[Claim | None]:
    """The claim after each revision (None from where its history does not replay)."""
    out: list[Claim | None] = []
    state: Claim | None = None
    for i, revision in enumerate(claim.revisions):
        try:
            state = replay(attrs.evolve(claim, revisions=(revision,))) if i == 0 else apply(state, revision) if state else None
        except Exception:  # noqa: BLE001 - a history that does not replay: the plain versions are used
            state = None
        out.append(state)
    return out


def _span_values(text: str) -> set[str]:
    """Numbers, and the text itself when it is a short name (``C4``, ``Common Crawl``)."""
    found = numbers(text)
    words = text.strip(_PUNCT + " ").split()
    if words and len(words) <= 3 and not found and all(w[:1].isupper() or any(c.isdigit() for c in w) for w in words):
        found.add(" ".join(tokens(text)))
    return found


def _fact_values(revision: Revision) -> tuple[set[str], set[str], set[str]]:
    """Values of the facts a revision replaced (same subject and property), and their subjects."""
    removed = {f.key: f for f in revision.remove_facts}
    added = {f.key: f for f in revision.add_facts}
    old: set[str] = set()
    new: set[str] = set()
    subjects: set[str] = set()
    for key in removed.keys() & added.keys():
        old |= _span_values(removed[key].value)
        new |= _span_values(added[key].value)
        subjects.add(removed[key].subject)
    return old, new, subjects


def _states_value(text: str, changes: Sequence[tuple[str, str]], old: frozenset[str], new: frozenset[str]) -> bool:
    """Whether ``text`` still states an old span or value and none of the new ones."""
    words = tokens(text)
    present = stated(text, words, old | new)
    if new & present or any(n and find_tokens(words, tokens(n)) >= 0 and o not in n for o, n in changes):
        return False
    return bool(old & present) or any(o and find_tokens(words, tokens(o)) >= 0 for o, _ in changes)


def stated(text: str, words: Sequence[str], values: Iterable[str]) -> set[str]:
    """Which of ``values`` (canonical numbers and names) ``text`` states."""
    values = list(values)
    if not values:
        return set()
    found = numbers(text) if any(v[:1].isdigit() for v in values) else set()
    return {v for v in values if v in found or (not v[:1].isdigit() and find_tokens(words, v.split()) >= 0)}


def value_set(text: str, words: Sequence[str] | None = None) -> set[str]:
    """The canonical numbers of ``text`` and its words as a name (for membership tests of name values)."""
    found = numbers(text)
    words = tokens(text) if words is None else words
    # every run of up to three words, so a name value "common crawl" is found among them
    for size in (1, 2, 3):
        for i in range(len(words) - size + 1):
            found.add(" ".join(words[i : i + size]))
    return found


def _subjects(texts: Iterable[str], extra: Iterable[str], changed: set[str]) -> tuple[tuple[str, ...], ...]:
    out: dict[tuple[str, ...], None] = {}
    for name in [*extra, *(n for t in texts for n in names(t))]:
        key = tuple(tokens(name))
        if key and " ".join(key) not in changed:
            out[key] = None
    return tuple(out)


def _correction(claim: Claim, index: int, before: Sequence[Appearance], previous: str, current: Sequence[str]) -> Wording | None:
    revision = claim.revisions[index]
    if revision.is_span_edit and revision.old:
        changes = [core_span(revision.old, revision.new or "")]
    else:
        after = _statement_after(claim, index)
        changes = word_changes(previous, after)
    changes = [(o, n) for o, n in changes if tokens(o) or tokens(n)]
    if not any(tokens(o) for o, _ in changes) and not revision.remove_facts:
        return None  # only words added: the old wording is incomplete, not wrong
    fact_old, fact_new, fact_subjects = _fact_values(revision)
    old_values = set(fact_old)
    new_values = set(fact_new)
    for o, n in changes:
        old_values |= _span_values(o) - _span_values(n)
        new_values |= _span_values(n) - _span_values(o)
    old_values -= stated(claim.statement, tokens(claim.statement), old_values)  # stated again: not stale
    olds = frozenset(old_values)
    news = frozenset(new_values)
    now_words = tokens(claim.statement)
    if not olds and changes and all(tokens(o) and find_tokens(now_words, tokens(o)) >= 0 for o, _ in changes):
        return None  # a later revision put the old words back
    old_texts = [previous]
    before_apps = [a.text for a in before if a.text]
    now_apps = {a.text for a in claim.appearances if a.text}
    for text in before_apps:
        if text not in now_apps or _states_value(text, changes, olds, news):
            old_texts.append(text)
    for text in current[1:]:
        for o, n in changes:
            if n and o and n in text:
                old_texts.append(text.replace(n, o, 1))
    current_texts = [t for t in current if not _states_value(t, changes, olds, news) or t == claim.statement]
    changed = {" ".join(tokens(v)) for v in old_values | new_values}
    subjects = _subjects([previous], sorted(fact_subjects), changed)
    old_texts = list(dict.fromkeys(old_texts))
    current_texts = list(dict.fromkeys(current_texts))
    old_sentences = _changed_sentences(old_texts, [tokens(o) for o, _ in changes if tokens(o)], olds)
    new_sentences = _changed_sentences(current_texts, [tokens(n) for _, n in changes if tokens(n)], news)
    at = previous.find(changes[0][0]) if changes and changes[0][0] else -1
    leads = _subjects([previous[:at]], sorted(fact_subjects), changed) if at > 0 else ()
    return Wording(
        claim, index, "correction", previous, claim.statement, tuple(changes),
        tuple(old_texts), tuple(current_texts), olds, news, subjects, None,
        tuple(dict.fromkeys(old_sentences or _sentences([previous]))),
        tuple(dict.fromkeys(new_sentences or _sentences([claim.statement]))), leads or subjects[:1],
    )  # fmt: skip


def _statement_after(claim: Claim, index: int) -> str:
    for version in versions_of(claim):
        if version.index == index:
            return version.statement
    return claim.statement


def _status_revision(claim: Claim) -> int:
    """The revision that set the claim's status (the last one that could have)."""
    for i in range(len(claim.revisions) - 1, -1, -1):
        r = claim.revisions[i]
        if r.kind in (RevisionKind.RETRACTION, RevisionKind.SUPERSESSION) or r.field in ("status", "superseded_by") or r.status:
            return i
    return len(claim.revisions) - 1


def _ended(claim: Claim, claims: Mapping[str, Claim], current: Sequence[str], statements: Sequence[str] = ()) -> Wording | None:
    """The wording of a retracted or superseded claim, or None while it is active."""
    if claim.status is Status.ACTIVE or not claim.revisions:
        return None
    successor = claims.get(claim.superseded_by) if claim.superseded_by else None
    kind = "superseded" if claim.status is Status.SUPERSEDED else "retracted"
    now: tuple[str, ...] = ()
    replacement = ""
    if successor is not None:
        replacement = successor.statement
        now = tuple(dict.fromkeys([successor.statement, *(a.text for a in successor.appearances if a.text)]))
    subjects = _subjects(dict.fromkeys([claim.statement, *statements]), (), set())
    return Wording(
        claim, _status_revision(claim), kind, claim.statement, replacement, (),
        tuple(current), now, frozenset(), frozenset(), subjects, claim.superseded_by,
        tuple(dict.fromkeys(_sentences(current))), tuple(dict.fromkeys(_sentences(now))),
    )  # fmt: skip


def superseded_wordings(claim: Claim, claims: Mapping[str, Claim]) -> Iterator[Wording]:
    """Every superseded wording of ``claim`` (``claims`` names successors).

    A retracted or superseded claim has one: every wording it ever had is
    what ended, so a sentence stating its first wording is reported as
    retracted (or superseded), never as a correction whose fix would be a
    later wording of a claim that no longer holds.
    """
    current = tuple(dict.fromkeys([claim.statement, *(a.text for a in claim.appearances if a.text)]))
    versions = versions_of(claim)
    if claim.status is not Status.ACTIVE:
        statements = [v.statement for v in reversed(versions)]
        ended = _ended(claim, claims, tuple(dict.fromkeys([*current, *statements])), statements)
        if ended is not None:
            yield ended
        return
    states: list[Claim | None] | None = None
    moved = any(r.set_appearances is not None or r.add_appearances or r.remove_appearances for r in claim.revisions[1:])
    for version in versions[:-1]:
        if version.replaced_by is None or not claim.revisions[version.replaced_by].changes_content:
            continue  # an editorial fix ("Chat" -> "ChatGPT") supersedes nothing
        if moved and states is None:
            states = _states(claim)
        if states is None:  # no revision touched the appearances: they stood then as they stand now
            before: tuple[Appearance, ...] = claim.appearances
        else:
            state = states[version.replaced_by - 1] if version.replaced_by >= 1 else None
            before = state.appearances if state is not None else ()
        wording = _correction(claim, version.replaced_by, before, version.statement, current)
        if wording is not None:
            yield wording
    ended = _ended(claim, claims, current)
    if ended is not None:
        yield ended
