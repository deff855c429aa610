"""A "Corrections" section: each change to the cited claims after a date, in the seed article's style.

A span edit reads ``... ~~4096~~ 8192 tokens. (corrected by A. Reader)``, a
new wording ``~~old statement~~ new statement``, and every entry ends with
``[update DATE: reason]``; a retraction or supersession strikes the whole
statement. Markdown uses ``~~``; LaTeX ``\\sout`` (the ulem package).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

import attrs

from ..history import chronological, states_before
from ..model import Claim, Revision, RevisionKind

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
    """One listed change: the claim, the revision, and the statement just before it."""

    claim: Claim
    revision: Revision
    before: str
    successor: Claim | None = None


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
            out.append(Correction(claim, revision, before, successor))
    return out


def _name(revision: Revision) -> str:
    return revision.credited or revision.by


def _parts(item: Correction) -> Iterator[tuple[str, str]]:
    """The entry as pieces: ``("text", ...)``, ``("struck", ...)``, ``("new", ...)``; the caller marks them up."""
    revision, before = item.revision, item.before
    if revision.kind in (RevisionKind.RETRACTION, RevisionKind.SUPERSESSION):
        yield ("struck", before)
        return
    if revision.is_span_edit and revision.old and revision.old in before:
        at = before.index(revision.old)
        yield ("text", before[:at])
        yield ("struck", revision.old)
        yield ("text", " " if revision.new else "")
        yield ("new", revision.new or "")
        yield ("text", before[at + len(revision.old) :])
        return
    if revision.statement is not None and revision.statement != before:
        yield ("struck", before)
        yield ("text", " ")
        yield ("new", revision.statement)
        return
    yield ("text", before)


def _update(item: Correction) -> str:
    revision = item.revision
    words = []
    if revision.kind is RevisionKind.RETRACTION:
        words.append("retracted")
    elif revision.kind is RevisionKind.SUPERSESSION:
        successor = item.successor
        words.append(f'superseded by "{successor.statement}"' if successor else f"superseded by {revision.superseded_by}")
    if revision.confidence is not None:
        words.append(f"confidence now {revision.confidence}")
    if revision.reason:
        words.append(revision.reason)
    return f"[update {revision.date.isoformat()}: {'; '.join(words) or revision.kind.value}]"


def _corrected_by(item: Correction) -> str:
    struck = item.revision.kind in (RevisionKind.CORRECTION, RevisionKind.CLARIFICATION) and _name(item.revision)
    return f" (corrected by {_name(item.revision)})" if struck else ""


def corrections_markdown(items: Iterable[Correction], since: dt.date) -> str:
    """The section in Markdown (pandoc), starting with a blank line."""
    lines = ["", "## Corrections", "", f"Changes to the claims cited here made after {since.isoformat()}:", ""]
    marks = {"text": "{}", "struck": "~~{}~~", "new": "{}"}
    count = 0
    for item in items:
        body = "".join(marks[kind].format(text) for kind, text in _parts(item) if text)
        lines.append(f"- {body.strip()}{_corrected_by(item)} {_update(item)} (claim `{item.claim.id}`)")
        count += 1
    if not count:
        lines.append("None.")
    return "\n".join(lines) + "\n"


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
                  "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}  # fmt: skip


def latex_escape(text: str) -> str:
    """Plain text for LaTeX: its special characters escaped."""
    return "".join(_LATEX_SPECIAL.get(char, char) for char in text)


def corrections_latex(items: Iterable[Correction], since: dt.date) -> str:
    """The section in LaTeX (strikethrough with ulem's ``\\sout``)."""
    marks = {"text": "{}", "struck": "\\sout{{{}}}", "new": "{}"}
    lines = ["", "\\section*{Corrections}", f"Changes to the claims cited here made after {since.isoformat()}:", ""]
    entries = []
    for item in items:
        body = "".join(marks[kind].format(latex_escape(text)) for kind, text in _parts(item) if text)
        tail = latex_escape(f"{_corrected_by(item)} {_update(item)} (claim {item.claim.id})")
        entries.append(f"  \\item {body.strip()}{tail}")
    if entries:
        lines += ["\\begin{itemize}", *entries, "\\end{itemize}"]
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"
