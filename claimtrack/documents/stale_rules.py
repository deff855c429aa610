"""When a sentence states a superseded wording: the rules, each with the evidence it shows.

A candidate (a sentence and one :class:`~.superseded.Wording`) is stale when
one rule holds; the first that holds gives the finding's score and ``why``.

1. **Span** (words): the sentence contains an old span as whole words
   (``C4``, ``should also be in OPT``) and not the new one, its word score
   (:func:`word_score`, 0-100) is at least :data:`SPAN_SCORE`, it names a
   subject named before the change (or the sentence before it does, for
   "they ..."; not needed when the span has :data:`TELLING_WORDS` words or
   more with a number among them, or :data:`TELLING_WORDS_ALONE` words,
   which says by itself what it is about),
   and it is at least as close to the superseded wording as to the current one.
2. **Value**: the wording changed a value (``8%`` -> ``5%``, ``C4`` ->
   ``Common Crawl``); the sentence names the subject (``PaLM``), states an
   old value and no new one, and is about the claim: its embedding similarity
   with an old text is at least :data:`VALUE_SIMILARITY` (a CJK sentence
   :data:`VALUE_SIMILARITY_CJK`), or, with no model, its word score is at
   least :data:`SPAN_SCORE` (CJK :data:`VALUE_SCORE_CJK`). This catches translations, which keep names and
   numbers.
3. **Meaning** (embeddings): the sentence is similar to an old text
   (:data:`MEANING_SIMILARITY`, CJK :data:`MEANING_SIMILARITY_CJK`), closer
   to it than to the current one by :data:`MARGIN` (CJK :data:`MARGIN_CJK`), or
   closer by :data:`CLEAR_MARGIN` with a similarity of :data:`CLEAR_SIMILARITY`,
   names the subject, and the changed part agrees: no new value or new span
   in it, an old value when the change was one of values, and "not known"
   (:func:`says_unknown`) when the old wording said so and the new does not.
   Before the margins, the cue rules: when the revision took out a cue
   ("not known", "cannot": :func:`says_unknown`, :func:`says_cannot`) or put
   in a hedge (:func:`hedges`), a sentence that agrees with the old wording
   on it, names a subject named before the change (a hedge: and one after
   it) and is closer to the old wording is stale at :data:`CUE_SIMILARITY`,
   :data:`CANNOT_SIMILARITY` or :data:`MEANING_SIMILARITY` (CJK: the
   ``_CJK`` floors). A retracted
   claim has no current text: the similarity must reach
   :data:`RETRACTED_SIMILARITY`.
4. **Ended** (words, for a retracted or superseded claim, before the value
   and meaning rules): the sentence names a subject of any of the claim's
   wordings and its word score against one of them reaches
   :data:`ENDED_SCORE` (and, when a successor exists, it is at least as close
   to the old wordings as to the successor's).

The thresholds were set on the labelled set in ``tests/data/stale/`` (see
``bench/bench_stale.py`` for its precision and recall).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs
from rapidfuzz import fuzz, utils

from .superseded import Wording, value_set
from .values import CJK_CLASS, find_tokens, tokens

__all__ = ["Candidate", "Verdict", "decide", "word_score", "SPAN_SCORE", "RETRIEVE", "RETRIEVE_CJK"]

SPAN_SCORE = 55.0
VALUE_SCORE_CJK = 35.0  # a translation shares only its names and numbers with the wording
VALUE_SIMILARITY = 0.4
VALUE_SIMILARITY_CJK = 0.2
MEANING_SIMILARITY = 0.7
MEANING_SIMILARITY_CJK = 0.45
MARGIN = 0.08
#: A looser floor when the sentence is far closer to the old wording than to the current one.
CLEAR_SIMILARITY = 0.6
CLEAR_MARGIN = 0.35
MARGIN_CJK = 0.2
HEDGE_SIMILARITY_CJK = 0.35
#: The least embedding similarity for which a sentence is judged against a wording found by embedding alone
#: (the span and value rules find theirs by word): the lowest floor of the meaning rules.
CUE_SIMILARITY = 0.45  # "not known" or "cannot" said again, about the same subject
CUE_SIMILARITY_CJK = 0.35
CANNOT_SIMILARITY = 0.6
CANNOT_SIMILARITY_CJK = 0.35
RETRIEVE = min(MEANING_SIMILARITY, CLEAR_SIMILARITY, CUE_SIMILARITY, CANNOT_SIMILARITY)
RETRIEVE_CJK = min(MEANING_SIMILARITY_CJK, HEDGE_SIMILARITY_CJK, CUE_SIMILARITY_CJK, CANNOT_SIMILARITY_CJK)
RETRACTED_SIMILARITY = 0.85
#: The word score (at most 70 without a span) at which a sentence states a wording of a retracted or superseded claim.
ENDED_SCORE = 60.0

_CJK_RUN = re.compile(rf"[{CJK_CLASS}]+")
_CONTEXT = 2  # words either side of the span compared for the context score
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "to",
        "for",
        "from",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "as",
        "at",
        "by",
        "with",
        "than",
        "then",
        "there",
        "their",
        "they",
        "which",
        "who",
        "whom",
        "can",
        "could",
        "may",
        "might",
        "should",
        "would",
        "will",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "not",
        "no",
        "so",
        "such",
        "also",
        "very",
        "more",
        "most",
    ]
)


# Words saying something is not known: a wording that said so, replaced by one that does not, is only
# stated again by a sentence that says so too ("BLOOM do not know", "BLOOM的情况则未知").
_UNKNOWN = re.compile(
    r"\b(?:not known|unknown|not sure|unsure|unclear|not clear|do not know|don't know|does not know|doesn't know"
    r"|no one knows|nobody knows|uncertain|open question|unbekannt|nicht bekannt|unklar|inconnu|on ne sait pas)\b"
    r"|未知|不知道|不清楚|不确定|尚不明确|还不知道",
    re.IGNORECASE,
)


# Words that hedge: a wording made hedged ("should also be" -> "might be partially") is stated again by an
# unhedged sentence about the same subjects ("这些能力也应该在 OPT 中").
_HEDGE = re.compile(
    r"\b(?:might|may|perhaps|possibly|partially|partly|probably|likely|maybe|vielleicht|peut-être|peut-etre)\b"
    r"|可能|或许|也许|部分|大概",
    re.IGNORECASE,
)


def hedges(text: str) -> bool:
    """Whether a text hedges what it says (English, Chinese, German, French cues)."""
    return _HEDGE.search(text) is not None


# Words denying an ability: "cannot do chain-of-thought" replaced by "can do it, only worse" is stated again by
# "is unable to perform chain-of-thought" or "不能进行思维链推理".
_CANNOT = re.compile(
    r"\b(?:cannot|can't|can not|unable to|not able to|incapable of|fails to|kann nicht|kann keine|ne peut pas)\b"
    r"|不能|无法|不会",
    re.IGNORECASE,
)


def says_cannot(text: str) -> bool:
    """Whether a text denies an ability (English, Chinese, German, French cues)."""
    return _CANNOT.search(text.replace("’", "'")) is not None


def says_unknown(text: str) -> bool:
    """Whether a text says something is not known (English, Chinese, German, French cues)."""
    return _UNKNOWN.search(text.replace("’", "'")) is not None


@attrs.frozen
class Candidate:
    """One sentence to judge against one wording; similarities are None without a model."""

    sentence: str
    words: tuple[str, ...]
    cjk: bool
    old_similarity: float | None
    new_similarity: float | None
    before: tuple[str, ...] = ()  # the words of the sentence before it in the same paragraph ("they" refers back)
    present: frozenset[str] | None = None  # its values (superseded.value_set), computed once per sentence

    def values(self) -> frozenset[str]:
        return self.present if self.present is not None else frozenset(value_set(self.sentence, self.words))


@attrs.frozen
class Verdict:
    score: float
    why: str
    span: str | None = None  # the old span the sentence holds, when the span rule decided


def _coverage(words: set[str], text: str, skip: set[str]) -> float:
    """Share of ``text``'s content words found in ``words`` (a word inside another counts: trained/pretrained)."""
    content = [t for t in dict.fromkeys(tokens(text)) if t not in _STOPWORDS and t not in skip]
    if not content:
        return 0.0
    found = 0
    for word in content:
        if word in words or (len(word) >= 4 and any(len(w) >= 4 and (word in w or w in word) for w in words)):
            found += 1
    return found / len(content)


def _context(words: Sequence[str], at: int, span: int, text: str, old: Sequence[str]) -> float:
    """Share of the words either side of the span that are the same, on the same side, as in ``text``."""
    other = tokens(text)
    where = find_tokens(other, old)
    if where < 0:
        return 0.0
    left, right = set(words[max(0, at - _CONTEXT) : at]), set(words[at + span : at + span + _CONTEXT])
    want_left = set(other[max(0, where - _CONTEXT) : where])
    want_right = set(other[where + span : where + span + _CONTEXT])
    total = len(want_left) + len(want_right)
    return (len(left & want_left) + len(right & want_right)) / total if total else 0.0


def word_score(sentence: str, words: Sequence[str], wording: Wording, old: Sequence[str] = ()) -> float:
    """How surely the sentence states the wording, from words alone (0-100).

    rapidfuzz ``token_set_ratio`` over the sentence's non-CJK words (40%), the
    share of the wording's content words it has (30%; paraphrase and
    translation keep names and numbers), and, when ``old`` (a span's tokens)
    is given, whether the words right around it are the same (30%, so
    "similar training data (C4)" is not taken for "trained on C4 2016 - 2019").
    """
    latin = _CJK_RUN.sub(" ", sentence)
    have = set(words)
    at = find_tokens(words, old) if old else -1
    best = 0.0
    for text in wording.old_texts:
        score = 0.4 * fuzz.token_set_ratio(latin, text, processor=utils.default_process)
        score += 30 * _coverage(have, text, set(old))
        if at >= 0:
            score += 30 * _context(words, at, len(old), text, old)
        best = max(best, score)
    return best


def _names_subject(c: Candidate, subjects: Sequence[tuple[str, ...]], others: Sequence[tuple[str, ...]] = ()) -> str | None:
    """The first of ``subjects`` the sentence (or the one before it) names, or two of ``others`` it names
    ("22% WebText2 ... 3% Wikipedia" is about the GPT-3 mix); "" when there are no subjects."""
    if not subjects:
        return ""
    for words in (c.words, c.before):
        for subject in subjects:
            if find_tokens(words, subject) >= 0:
                return " ".join(subject)
    named = [" ".join(o) for o in others if o not in subjects and find_tokens(c.words, o) >= 0]
    return " and ".join(named[:2]) if len(named) >= 2 else None


def _closer_in_words(sentence: str, wording: Wording) -> bool:
    """Whether the sentence is at least as like the old sentences holding the change as the current ones."""
    old = max(fuzz.ratio(sentence, t, processor=utils.default_process) for t in wording.old_sentences or wording.old_texts)
    new = max((fuzz.ratio(sentence, t, processor=utils.default_process) for t in wording.current_sentences), default=0.0)
    return old >= new


#: An old span of this many words, a number among them, says by itself what it is about.
TELLING_WORDS = 4
#: An old span of this many words says by itself what it is about, number or not.
TELLING_WORDS_ALONE = 6


def _telling(span: Sequence[str]) -> bool:
    """Whether an old span held word for word is about its claim whatever the sentence calls the subject.

    "about a 7% error rate versus about 3%" is, and so is "were trained for code-only and text-only
    purposes"; "4096", "C4" or "should also be" alone is not.
    """
    if len(span) >= TELLING_WORDS_ALONE:
        return True
    return len(span) >= TELLING_WORDS and any(any(ch.isdigit() for ch in word) for word in span)


def _span(c: Candidate, wording: Wording) -> Verdict | None:
    for old, new in wording.changes:
        old_tokens, new_tokens = tokens(old), tokens(new)
        if not old_tokens or find_tokens(c.words, old_tokens) < 0:
            continue
        if new_tokens and find_tokens(old_tokens, new_tokens) < 0 and find_tokens(c.words, new_tokens) >= 0:
            continue
        if len(old_tokens) > 12:
            continue  # a whole rewritten statement is judged by meaning, not as a span
        score = word_score(c.sentence, c.words, wording, old_tokens)
        if score < SPAN_SCORE or (not _telling(old_tokens) and _names_subject(c, wording.leads, wording.subjects) is None):
            continue
        if c.old_similarity is not None and c.new_similarity is not None:
            if c.old_similarity < c.new_similarity and not _closer_in_words(c.sentence, wording):
                continue
        elif not _closer_in_words(c.sentence, wording):
            continue
        return Verdict(
            score,
            f"still says {old!r}, which revision {wording.revision} replaced with {new!r} (word score {score:.0f})",
            old,
        )
    return None


def _value(c: Candidate, wording: Wording, present: frozenset[str]) -> Verdict | None:
    if not wording.old_values or wording.new_values & present:
        return None
    stated = sorted(wording.old_values & present)
    if not stated:
        return None
    subject = _names_subject(c, wording.leads, wording.subjects)
    if not subject:  # a value alone ("C4", "4096") is about too many things
        return None
    if c.old_similarity is not None:
        floor = VALUE_SIMILARITY_CJK if c.cjk else VALUE_SIMILARITY
        if c.old_similarity < floor:
            return None
        score = 100 * c.old_similarity
    else:
        score = word_score(c.sentence, c.words, wording)
        if score < (VALUE_SCORE_CJK if c.cjk else SPAN_SCORE):
            return None
    now = ", ".join(sorted(wording.new_values)) or "nothing"
    return Verdict(
        score, f"names {subject} and states {', '.join(stated)}, which revision {wording.revision} replaced with {now}"
    )


def _meaning(c: Candidate, wording: Wording, present: frozenset[str]) -> Verdict | None:
    if c.old_similarity is None:
        return None
    old, new = c.old_similarity, c.new_similarity or 0.0
    if wording.new_values & present:
        return None
    if wording.old_values and not wording.old_values & present:
        return None  # a change of values is judged by the values
    if any(n and tokens(n) and find_tokens(c.words, tokens(n)) >= 0 and len(tokens(n)) <= 12 for _, n in wording.changes):
        return None
    if _names_subject(c, wording.subjects) is None or c.sentence.rstrip(" )\"'”’").endswith(("?", "？")):
        return None  # a question asks, it does not state
    if not wording.current_texts:
        if old < RETRACTED_SIMILARITY:
            return None
        return Verdict(100 * old, f"states a claim that was {wording.kind} (similarity {old:.2f})")
    floor, margin = (MEANING_SIMILARITY_CJK, MARGIN_CJK) if c.cjk else (MEANING_SIMILARITY, MARGIN)
    cue = _cue_again(c, wording, old, new)
    if cue is not None:
        return Verdict(100 * old, cue)
    if says_unknown(wording.superseded) and not says_unknown(wording.current) and not says_unknown(c.sentence):
        return None  # the old wording said "not known"; a sentence that states an answer does not repeat it
    if (old < floor or old - new < margin) and (c.cjk or old < CLEAR_SIMILARITY or old - new < CLEAR_MARGIN):
        return None
    now = f"the successor {wording.successor}'s" if wording.kind == "superseded" else "the current wording's"
    return Verdict(100 * old, f"means the superseded wording (similarity {old:.2f}) more than {now} ({new:.2f})")


_CUES = (
    ("not known", lambda text: says_unknown(text), (CUE_SIMILARITY, CUE_SIMILARITY_CJK)),
    ("cannot", lambda text: says_cannot(text), (CANNOT_SIMILARITY, CANNOT_SIMILARITY_CJK)),
    ("hedge", lambda text: not hedges(text), (MEANING_SIMILARITY, HEDGE_SIMILARITY_CJK)),  # the cue is its absence
)


def _cue_again(c: Candidate, wording: Wording, old: float, new: float) -> str | None:
    """The cue rules: what the revision changed is a cue ("not known", "cannot", a hedge) the old wording had and
    the current one has not (a hedge: the other way round), and the sentence agrees with the old wording on it,
    names a subject named before the change, and is closer to the old wording. Returns the evidence, or None."""
    if old <= new or not any(find_tokens(c.words, subject) >= 0 for subject in wording.leads):
        return None  # the subject must be in the sentence itself: a cue alone is common
    for cue, says, (floor, floor_cjk) in _CUES:
        then, now = says(wording.superseded), says(wording.current)
        if then == now or says(c.sentence) != then or old < (floor_cjk if c.cjk else floor):
            continue
        if cue == "hedge":  # an unhedged sentence is common: it must also name a subject after the change
            if not any(find_tokens(c.words, s) >= 0 for s in wording.subjects if s not in wording.leads):
                continue
            return f"states without hedging what the current wording hedges (similarity {old:.2f} vs {new:.2f})"
        return f"says {cue!r} as the superseded wording did (similarity {old:.2f} vs {new:.2f})"
    return None


def _ended_words(c: Candidate, wording: Wording) -> Verdict | None:
    """A sentence that states, by its words, any wording a retracted or superseded claim ever had."""
    if _names_subject(c, wording.subjects) is None or c.sentence.rstrip(" )\"'”’").endswith(("?", "？")):
        return None
    score = word_score(c.sentence, c.words, wording)
    if score < ENDED_SCORE or (wording.current_texts and not _closer_in_words(c.sentence, wording)):
        return None
    return Verdict(score, f"states a wording of a claim that was {wording.kind} (word score {score:.0f})")


def decide(c: Candidate, wording: Wording) -> Verdict | None:
    """The first rule that holds for this sentence and wording, or None."""
    verdict = _span(c, wording) if wording.kind == "correction" else _ended_words(c, wording)
    if verdict is not None:
        return verdict
    present = c.values()
    return _value(c, wording, present) or _meaning(c, wording, present)
