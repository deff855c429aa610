"""The verbs that change a claim: its statement and confidence, tags, dependencies, facts, appearances, evidence.

Each verb checks what it is asked against the claim as it stands, refuses a
change that would change nothing, and writes one typed revision through
:meth:`Library.append <claimtrack.Library.append>`, so the change is sealed
and the history still replays to the file's fields.

>>> lib.tag("cdv2-context", add=["context-window"], by="A. Author")          # doctest: +SKIP
>>> lib.fact("cdv2-context", subject="code-davinci-002", property="context window",
...          value="8192", reason="the model index says 8192")             # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Unpack

import attrs

from .errors import ClaimNotFoundError, ClaimtrackError, HistoryError
from .model import Appearance, Claim, Evidence, Fact, Revision, RevisionKind, Stance
from .revisionmeta import RevisionMeta, RevisionOptions, author, parse_date, revision_kind
from .spans import span_edits
from .suggest import hint_with
from .values import check_text, check_texts, is_blank

if TYPE_CHECKING:
    from .settings import Settings
    from .store import Store

__all__ = ["FieldEdits"]


def _text(value: str | None, what: str, option: str, claim_id: str) -> str:
    if value is None or (isinstance(value, str) and is_blank(value)):
        raise ClaimtrackError(f"{what} cannot be empty", key=claim_id, hint=f"pass {option} TEXT")
    return check_text(value, option.lstrip("-"))


def _unchanged(claim_id: str, message: str) -> HistoryError:
    return HistoryError(message, key=claim_id, hint=f"nothing to change; `claimtrack show {claim_id}` shows the claim")


class FieldEdits:
    """Verbs of :class:`claimtrack.Library` that change a claim's statement, confidence, tags, dependencies, facts,
    appearances and evidence.

    Every verb takes the revision's ``reason``, ``kind`` (a sensible default
    per verb), ``by``, ``credited``, ``evidence`` (keys the change rests on),
    ``date`` and ``note``, as :meth:`revise` does, and returns the claim as
    written.
    """

    if TYPE_CHECKING:
        store: Store

        @property
        def settings(self) -> Settings: ...

        def claim(self, claim_id: str) -> Claim: ...
        def append(self, claim_id: str, revision: Revision) -> Claim: ...
        def _append_all(self, claim_id: str, revisions: tuple[Revision, ...]) -> Claim: ...
        def _check_claim_exists(self, claim_id: str) -> None: ...
        def _check_source(self, key: str) -> None: ...

    def _write(
        self,
        claim_id: str,
        default_kind: RevisionKind,
        meta: dict[str, Any],
        **changes: Any,
    ) -> Claim:
        kind = meta.pop("kind", None)
        revision = Revision(
            date=parse_date(meta.pop("date", None)),
            kind=revision_kind(kind, default_kind),
            by=author(meta.pop("by", None)),
            evidence=check_texts(meta.pop("evidence", ()), "evidence"),
            **meta,
            **changes,
        )
        return self.append(claim_id, revision)

    # -- the statement and the confidence -----------------------------------

    def revise(
        self,
        claim_id: str,
        *,
        old: str | Sequence[str] | None = None,
        new: str | Sequence[str] | None = None,
        statement: str | None = None,
        confidence: str | None = None,
        reason: str | None = None,
        kind: RevisionKind | str | None = None,
        by: str | None = None,
        credited: str | None = None,
        evidence: Iterable[str] = (),
        date: dt.date | str | None = None,
        note: str | None = None,
    ) -> Claim:
        """Record a change: a span edit (old -> new), a whole new statement, or a new confidence.

        Several spans change at once when ``old`` and ``new`` are lists of the same length:
        one span edit each, applied in order (each ``old`` must occur exactly once in the
        statement the edits before it left), written together or not at all.

        >>> lib.revise("chestx", old=["108,948", "32,717"], new=["112,120", "30,805"], reason="...")  # doctest: +SKIP
        """
        if not isinstance(old, str | None) or not isinstance(new, str | None):
            edits = span_edits(claim_id, old, new, statement=statement, confidence=confidence, kind=kind, date=parse_date(date),
                               by=author(by), reason=reason, credited=credited, evidence=check_texts(evidence, "evidence"), note=note)  # fmt: skip
            return self._append_all(claim_id, edits)
        if (old is None) != (new is None):
            raise HistoryError("a span edit needs both old and new", key=claim_id, hint="pass --old TEXT --new TEXT")
        if old is None and statement is None and confidence is None:
            raise HistoryError("nothing to change", key=claim_id, hint="pass --old/--new, --statement or --confidence")
        if old is not None and statement is not None:
            raise HistoryError(
                "give a span edit or a whole statement, not both", key=claim_id, hint="pass --old/--new or --statement"
            )
        current = self.claim(claim_id)
        if kind is None:
            kind = self._kind_for(current, confidence) if old is None and statement is None else RevisionKind.CORRECTION
        kind = revision_kind(kind, RevisionKind.CORRECTION)
        if confidence is not None and confidence == current.confidence and old is None and statement is None:
            raise HistoryError(f"confidence is already {confidence!r}", key=claim_id, hint="nothing to change")
        revision = Revision(
            date=parse_date(date),
            kind=kind,
            by=author(by),
            reason=reason,
            credited=credited,
            evidence=check_texts(evidence, "evidence"),
            note=note,
            statement=statement,
            # A confidence change alone is recorded old -> new, so it renders as a diff.
            **(
                {"field": "statement", "old": old, "new": new, "confidence": confidence}
                if old is not None
                else {"field": "confidence", "old": current.confidence, "new": confidence}
                if confidence is not None and statement is None
                else {"confidence": confidence}
            ),
        )
        return self.append(claim_id, revision)

    def _kind_for(self, current: Claim, confidence: str | None) -> RevisionKind:
        scale = self.settings.scale
        if confidence is None or confidence not in scale or current.confidence not in scale:
            return RevisionKind.CONFIDENCE
        return RevisionKind.HEDGE if scale.rank(confidence) > scale.rank(current.confidence) else RevisionKind.STRENGTHEN

    # -- tags and dependencies ---------------------------------------------

    def tag(
        self,
        claim_id: str,
        *,
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
        **revision: Unpack[RevisionOptions],
    ) -> Claim:
        """Add and remove tags (an ``editorial`` revision unless ``kind`` says otherwise).

        >>> lib.tag("cdv2-context", add=["context-window"], remove=["draft"])  # doctest: +SKIP
        """
        current = self.claim(claim_id)
        added, removed = tuple(dict.fromkeys(check_texts(add, "add"))), tuple(dict.fromkeys(check_texts(remove, "remove")))
        if not added and not removed:
            raise HistoryError("nothing to change", key=claim_id, hint="pass --add TAG or --remove TAG")
        tagged, untagged = set(current.tags), set(removed)  # sets: a revision may add 100,000 tags
        for name in added:
            _text(name, "a tag", "--add", claim_id)
            if name in untagged:
                raise HistoryError(f"tag {name!r} is both added and removed", key=claim_id, hint="pass it once")
            if name in tagged:
                raise _unchanged(claim_id, f"is already tagged {name!r}")
        for name in removed:
            if name not in tagged:
                listed = ", ".join(map(repr, current.tags)) or "none"
                raise HistoryError(
                    f"has no tag {name!r}", key=claim_id, hint=hint_with(name, current.tags, f"its tags: {listed}")
                )
        meta: dict[str, Any] = dict(revision)
        return self._write(claim_id, RevisionKind.EDITORIAL, meta, add_tags=added, remove_tags=removed)

    def depend(
        self,
        claim_id: str,
        *,
        on: Iterable[str] = (),
        drop: Iterable[str] = (),
        **revision: Unpack[RevisionOptions],
    ) -> Claim:
        """Make the claim rest on other claims, or no longer rest on them (an ``update``).

        >>> lib.depend("cot-from-code", on=["codex-code-data"], drop=["old-claim"], reason="...")  # doctest: +SKIP
        """
        current = self.claim(claim_id)
        added, dropped = tuple(dict.fromkeys(check_texts(on, "on"))), tuple(dict.fromkeys(check_texts(drop, "drop")))
        if not added and not dropped:
            raise HistoryError("nothing to change", key=claim_id, hint="pass --on OTHER or --drop OTHER")
        for other in added:
            if other == claim_id:
                raise HistoryError("a claim cannot depend on itself", key=claim_id, hint="name another claim with --on")
            if other in dropped:
                raise HistoryError(f"{other!r} is both added and dropped", key=claim_id, hint="pass it once")
            if other in current.depends_on:
                raise _unchanged(claim_id, f"already depends on {other!r}")
            self._check_claim_exists(other)
            loop = self._path_between(other, claim_id)
            if loop:
                raise HistoryError(
                    f"depending on {other!r} would make a loop: {' -> '.join([claim_id, *loop])}",
                    key=claim_id,
                    hint="an argument cannot rest on itself; drop one of these dependencies first",
                )
        for other in dropped:
            if other not in current.depends_on:
                listed = ", ".join(map(repr, current.depends_on)) or "none"
                raise HistoryError(
                    f"does not depend on {other!r}",
                    key=claim_id,
                    hint=hint_with(other, current.depends_on, f"it depends on: {listed}"),
                )
        meta: dict[str, Any] = dict(revision)
        return self._write(claim_id, RevisionKind.UPDATE, meta, add_depends_on=added, remove_depends_on=dropped)

    def _path_between(self, start: str, goal: str) -> list[str]:
        """A chain of dependencies from ``start`` to ``goal`` (both included), or [] when there is none."""
        seen: set[str] = set()
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, path = stack.pop()
            if node == goal:
                return path
            if node in seen:
                continue
            seen.add(node)
            try:
                following = self.claim(node).depends_on
            except ClaimtrackError:
                continue  # a missing or unreadable claim is the audit's to report
            stack.extend((nxt, [*path, nxt]) for nxt in following)
        return []

    # -- facts ----------------------------------------------------------------

    def fact(
        self,
        claim_id: str,
        *,
        subject: str,
        property: str,  # noqa: A002 - the field is named property, as in Wikidata
        value: str | None = None,
        fact_note: str | None = None,
        remove: bool = False,
        **revision: Unpack[RevisionOptions],
    ) -> Claim:
        """Add a fact, correct the value of the fact with this subject and property, or remove it.

        A new fact is an ``update``; a corrected value or a removal a ``correction``.
        ``fact_note`` is the fact's own note (a new value keeps the old note unless given).

        >>> lib.fact("cdv2-context", subject="code-davinci-002", property="context window",
        ...          value="8192", reason="the model index says 8192")        # doctest: +SKIP
        """
        _text(subject, "a fact's subject", "--subject", claim_id)
        _text(property, "a fact's property", "--property", claim_id)
        current = self.claim(claim_id)
        key = Fact(subject, property, "").key
        same = [f for f in current.facts if f.key == key]
        meta: dict[str, Any] = dict(revision)
        if remove:
            if value is not None:
                same = [f for f in same if f.value == value]
            if not same:
                names = [f"{f.subject} / {f.property}" for f in current.facts]
                listed = "; ".join(f"{f.subject} / {f.property} = {f.value}" for f in current.facts) or "none"
                raise HistoryError(
                    f"has no fact {subject} / {property}" + (f" = {value}" if value is not None else ""),
                    key=claim_id,
                    hint=hint_with(f"{subject} / {property}", names, f"its facts: {listed}"),
                )
            if len(same) > 1:
                raise HistoryError(
                    f"has {len(same)} facts {subject} / {property}",
                    key=claim_id,
                    hint="say which with --value: " + ", ".join(repr(f.value) for f in same),
                )
            return self._write(claim_id, RevisionKind.CORRECTION, meta, remove_facts=(same[0],))
        _text(value, "a fact's value", "--value", claim_id)
        assert value is not None
        if len(same) > 1:
            raise HistoryError(
                f"has {len(same)} facts {subject} / {property}, with values " + ", ".join(repr(f.value) for f in same),
                key=claim_id,
                hint="remove the wrong ones with --remove --value V first",
            )
        if not same:
            new = Fact(subject, property, value, fact_note)
            return self._write(claim_id, RevisionKind.UPDATE, meta, add_facts=(new,))
        old = same[0]
        new = attrs.evolve(old, value=value, note=old.note if fact_note is None else fact_note)
        if new == old:
            raise _unchanged(claim_id, f"already has the fact {old.subject} / {old.property} = {old.value}")
        return self._write(claim_id, RevisionKind.CORRECTION, meta, remove_facts=(old,), add_facts=(new,))

    # -- appearances ------------------------------------------------------------

    def appearance(
        self,
        claim_id: str,
        document: str,
        *,
        locator: str | None = None,
        text: str | None = None,
        appearance_note: str | None = None,
        remove: bool = False,
        **revision: Unpack[RevisionOptions],
    ) -> Claim:
        """Record where the claim is stated word for word (``document``: a BibTeX key), or remove such a record.

        An appearance at the same document and locator is replaced (its text corrected).
        It is an ``editorial`` revision: where a claim is stated does not change what it says.

        >>> lib.appearance("cdv2-context", "fu2022gptroadmap", locator="section 4",
        ...                text="code-davinci-002 ... 8192 tokens")          # doctest: +SKIP
        """
        check_text(document, "document")
        current = self.claim(claim_id)
        meta: dict[str, Any] = dict(revision)
        here = [a for a in current.appearances if a.document == document and (locator is None or a.locator == locator)]
        if remove:
            if text is not None:
                here = [a for a in here if a.text == text]
            chosen = self._one(claim_id, here, document, locator, [a.document for a in current.appearances], "appearance")
            return self._write(claim_id, RevisionKind.EDITORIAL, meta, remove_appearances=(chosen,))
        self._check_source(document)
        new = Appearance(document, locator, text, appearance_note)
        same_place = [a for a in here if a.locator == locator]
        if new in current.appearances:
            raise _unchanged(claim_id, f"already records this appearance in {document}")
        if len(same_place) == 1:
            old = same_place[0]
            if appearance_note is None:
                new = attrs.evolve(new, note=old.note)
            if new == old:
                raise _unchanged(claim_id, f"already records this appearance in {document}")
            return self._write(claim_id, RevisionKind.EDITORIAL, meta, remove_appearances=(old,), add_appearances=(new,))
        return self._write(claim_id, RevisionKind.EDITORIAL, meta, add_appearances=(new,))

    # -- evidence -------------------------------------------------------------

    def cite(
        self,
        claim_id: str,
        source: str,
        *,
        stance: Stance | str = Stance.SUPPORTS,
        locator: str | None = None,
        quote: str | None = None,
        note: str | None = None,
        **revision: Unpack[RevisionMeta],
    ) -> Claim:
        """Add evidence to a claim, as a revision of kind ``evidence``; ``note`` is the evidence's own note.

        >>> lib.cite("cdv2-context", "chen2021codex", locator="section 2", note="...")  # doctest: +SKIP
        """
        check_text(source, "source")
        try:
            item = Evidence(source=source, stance=Stance(stance), locator=locator, quote=quote, note=note)
        except ValueError as e:
            choices = [s.value for s in Stance]
            raise ClaimtrackError(
                f"{stance!r} is not a stance", key="stance", hint=hint_with(str(stance), choices, "use " + ", ".join(choices))
            ) from e
        current = self.claim(claim_id)
        if item in current.evidence:
            raise HistoryError(
                f"already cites {source} with this stance, locator, quote and note",
                key=claim_id,
                hint="nothing to change; set a note on it with `claimtrack annotate`",
            )
        meta: dict[str, Any] = dict(revision)
        meta["reason"] = meta.get("reason") or f"cites {source} ({item.stance.value})"
        return self._write(claim_id, RevisionKind.EVIDENCE, meta, add_evidence=(item,))

    def uncite(
        self,
        claim_id: str,
        source: str,
        *,
        locator: str | None = None,
        **revision: Unpack[RevisionOptions],
    ) -> Claim:
        """Remove evidence from ``source`` (at ``locator`` when it is cited more than once); an ``evidence`` revision.

        >>> lib.uncite("cdv2-context", "chen2021codex", reason="it does not give the window")  # doctest: +SKIP
        """
        current = self.claim(claim_id)
        item = self._evidence(current, source, locator)
        meta: dict[str, Any] = dict(revision)
        return self._write(claim_id, RevisionKind.EVIDENCE, meta, remove_evidence=(item,))

    def annotate(
        self,
        claim_id: str,
        source: str,
        *,
        note: str,
        locator: str | None = None,
        **revision: Unpack[RevisionMeta],
    ) -> Claim:
        """Set the note of the evidence from ``source``: for contradicting evidence, the answer to it.

        >>> lib.annotate("cot-from-code", "chen2021codex",
        ...              note="the counter-example uses a model without code training")  # doctest: +SKIP
        """
        _text(note, "the note", "--note", claim_id)
        current = self.claim(claim_id)
        item = self._evidence(current, source, locator)
        if item.note == note:
            raise _unchanged(claim_id, f"the evidence from {source} already has that note")
        meta: dict[str, Any] = dict(revision)
        if meta.get("reason") is None:
            contradicts = item.stance is Stance.CONTRADICTS
            meta["reason"] = f"answers the contradiction from {source}" if contradicts else f"notes on {source}"
        new = attrs.evolve(item, note=note)
        return self._write(claim_id, RevisionKind.EVIDENCE, meta, remove_evidence=(item,), add_evidence=(new,))

    def _evidence(self, claim: Claim, source: str, locator: str | None) -> Evidence:
        items = [e for e in claim.evidence if e.source == source and (locator is None or e.locator == locator)]
        return self._one(claim.id, items, source, locator, [e.source for e in claim.evidence], "evidence")

    @staticmethod
    def _one(claim_id: str, found: Sequence[Any], key: str, locator: str | None, keys: Sequence[str], what: str) -> Any:
        """The one record that matched, or an error that says how to name it."""
        if len(found) == 1:
            return found[0]
        at = f" at {locator!r}" if locator is not None else ""
        if not found:
            listed = ", ".join(dict.fromkeys(keys)) or "none"
            raise ClaimNotFoundError(
                f"has no {what} from {key!r}{at}",
                key=claim_id,
                hint=hint_with(key, keys, f"it has {what} from: {listed}"),
            )
        places = ", ".join(repr(r.locator) if r.locator else "no locator" for r in found)
        raise HistoryError(
            f"has {len(found)} {what} entries from {key!r}{at}", key=claim_id, hint=f"say which with --locator ({places})"
        )
