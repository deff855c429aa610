"""A "Corrections" section: each change to the cited claims after a date, in the seed article's style.

A span edit reads ``... ~~4096~~ 8192 tokens. (corrected by A. Reader)``, a
new wording ``~~old statement~~ new statement``, any other change as
:mod:`claimtrack.changes` words it (a fact ``ChestX-ray8 images: ~~108,948~~
112,120``, ``confidence: ~~conclusion~~ hypothesis``), never an unchanged
sentence; every entry ends with ``[update DATE: reason]``; a retraction or
supersession strikes the whole statement. Markdown uses ``~~``; LaTeX
``\\sout`` (the ulem package). The library's text is escaped for the format
(:mod:`.escaping`): no tag, link or command in it reaches the paper.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ..changes import Change, format_change, what_changed
from ..history import chronological, states_before
from ..model import Claim, Revision, RevisionKind
from .escaping import latex_text, markdown_start, markdown_text

__all__ = ["Correction", "corrections_since", "corrections_markdown", "corrections_latex", "CORRECTION_KINDS"]

#: The kinds of revision a corrections section lists: those that change what a claim says or how surely.
CORRECTION_KINDS = frozenset(
    {
        RevisionKind.CORRECTION,
        RevisionKind.CLARIFICATION,
        RevisionKind.UPDATE,
        RevisionKind.HEDGE,
        RevisionKind.STRENGTHEN,
        RevisionKind.CONFIDENCE,
        RevisionKind.RETRACTION,
        RevisionKind.SUPERSESSION,
    }
)


@attrs.frozen
class Correction:
    """One listed change: the claim, the revision, the statement just before it (and its values then)."""

    claim: Claim
    revision: Revision
    before: str
    successor: Claim | None = None
    values: dict[str, Any] = attrs.field(factory=dict, eq=False)  # confidence, status, superseded_by just before


def corrections_since(claims: Iterable[Claim], since: dt.date, everything: Mapping[str, Claim]) -> list[Correction]:
    """Each listed revision of ``claims`` dated after ``since``, claim by claim in the order given, oldest first."""
    out = []
    for claim in claims:
        states = states_before(claim)
        for index, revision in chronological(claim.revisions):  # a back-dated change at its own date
            if revision.kind not in CORRECTION_KINDS or revision.date <= since:
                continue
            state = states[index]
            before = state.statement if state is not None else claim.statement
            successor = everything.get(revision.superseded_by) if revision.superseded_by else None
            values = {name: getattr(state, name) for name in ("confidence", "status", "superseded_by")} if state else {}
            out.append(Correction(claim, revision, before, successor, values))
    return out


def _name(revision: Revision) -> str:
    return revision.credited or revision.by


#: How each format marks a struck text and escapes the library's text.
_FORMATS: dict[str, tuple[Callable[[str], str], Callable[[str], str]]] = {
    "markdown": (lambda text: f"~~{text}~~", markdown_text),
    "latex": (lambda text: f"\\sout{{{text}}}", latex_text),
}


def _statement(item: Correction, strike: Callable[[str], str], escape: Callable[[str], str]) -> str:
    """The statement part of an entry: the sentence with the span struck and the new one after it, a new wording
    after the struck old one, a retracted or superseded statement struck whole; "" when the statement did not change."""
    revision, before = item.revision, item.before
    if revision.kind in (RevisionKind.RETRACTION, RevisionKind.SUPERSESSION):
        return strike(escape(before))
    if revision.is_span_edit and revision.old and revision.old in before:
        at = before.index(revision.old)
        new = f" {escape(revision.new)}" if revision.new else ""
        return escape(before[:at]) + strike(escape(revision.old)) + new + escape(before[at + len(revision.old) :])
    return ""


def _body(item: Correction, fmt: str) -> str:
    """What the revision changed, in the paper's format: the statement as a sentence, the rest item by item."""
    strike, escape = _FORMATS[fmt]
    ended = item.revision.kind in (RevisionKind.RETRACTION, RevisionKind.SUPERSESSION)
    sentence = _statement(item, strike, escape)
    rest = []
    for change in what_changed(item.revision, _before_claim(item)):
        if sentence and change.field == "statement":
            continue  # written as the sentence above
        if ended and change.field in ("status", "superseded_by"):
            continue  # the update says it
        if sentence and change.field == "facts" and _shown_in_span(item.revision, change):
            continue  # the fact's value changed with the span the sentence strikes
        rest.append(format_change(change, escape=escape, strike=strike))
    return " ".join(part for part in (sentence, "; ".join(rest)) if part)


def _shown_in_span(revision: Revision, change: Change) -> bool:
    old, new = revision.old or "", revision.new or ""
    return bool(change.old and change.new) and (change.old or "") in old and (change.new or "") in new


def _before_claim(item: Correction) -> Claim:
    """The claim as the revision found it, as far as a change's old side needs it (its statement; the values)."""
    return attrs.evolve(item.claim, statement=item.before, **item.values)


def _update(item: Correction, escape: Callable[[str], str]) -> str:
    revision = item.revision
    words = []
    if revision.kind is RevisionKind.RETRACTION:
        words.append("retracted")
    elif revision.kind is RevisionKind.SUPERSESSION:
        successor = item.successor
        words.append(f'superseded by "{escape(successor.statement)}"' if successor else
                     f"superseded by {escape(revision.superseded_by or '')}")  # fmt: skip
    if revision.reason:
        words.append(escape(revision.reason))
    return f"[update {revision.date.isoformat()}: {'; '.join(words) or revision.kind.value}]"


def _corrected_by(item: Correction, escape: Callable[[str], str]) -> str:
    struck = item.revision.kind in (RevisionKind.CORRECTION, RevisionKind.CLARIFICATION) and _name(item.revision)
    return f" (corrected by {escape(_name(item.revision))})" if struck else ""


def corrections_markdown(items: Iterable[Correction], since: dt.date) -> str:
    """The section in Markdown (pandoc), starting with a blank line; the library's text is escaped."""
    lines = ["", "## Corrections", "", f"Changes to the claims cited here made after {since.isoformat()}:", ""]
    count = 0
    for item in items:
        body = markdown_start(_body(item, "markdown").strip())
        tail = f"{_corrected_by(item, markdown_text)} {_update(item, markdown_text)} (claim `{item.claim.id}`)"
        lines.append(f"- {body}{tail}" if body else f"- {tail.lstrip()}")
        count += 1
    if not count:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def latex_escape(text: str) -> str:
    """Plain text for LaTeX: its special characters escaped."""
    return latex_text(text)


def corrections_latex(items: Iterable[Correction], since: dt.date) -> str:
    """The section in LaTeX (strikethrough with ulem's ``\\sout``); the library's text is escaped."""
    lines = ["", "\\section*{Corrections}", f"Changes to the claims cited here made after {since.isoformat()}:", ""]
    entries = []
    for item in items:
        body = _body(item, "latex").strip()
        tail = f"{_corrected_by(item, latex_text)} {_update(item, latex_text)} (claim {latex_text(item.claim.id)})"
        entries.append(f"  \\item {body}{tail}" if body else f"  \\item {tail.lstrip()}")
    if entries:
        lines += ["\\begin{itemize}", *entries, "\\end{itemize}"]
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"
