"""HTML that Jupyter shows: a library, its claims, a claim (a card), a revision, audit findings (a table).

Records call these from their ``_repr_html_``; the functions read the records' attributes only and
import what they draw with (the report's change segments) when called. Every text from a library is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from .model import provides

__all__ = ["claim_card", "claims_table", "findings_table", "library_card", "revision_html"]

_CARD = "font-family: sans-serif; border: 1px solid #ccc; border-radius: 6px; padding: 0.6em 0.9em; max-width: 60em"
_MUTED = "color: #666; font-size: 90%"
_SEGMENT = {"del": ("<del>", "</del>"), "ins": ("<ins>", "</ins>"), "label": (f'<span style="{_MUTED}">', "</span>")}
#: A claims table shows this many rows; the rest are counted.
TABLE_ROWS = 50
#: A claim card shows this many of its latest changes; the earlier ones are counted.
CARD_CHANGES = 20
#: A findings table shows this many rows; the rest are counted.
FINDING_ROWS = 200


def _value(value: Any) -> str:
    return escape(str(getattr(value, "value", value)))


def _plural(number: int, noun: str) -> str:
    return f"{number:,} {noun if number == 1 else noun + 's'}"


def _change(revision: Any, before: Any) -> str:
    """The change a revision makes, as the report shows it: old text struck through, new text inserted."""
    from .report.changes import change_segments

    lines = []
    for line in change_segments(revision, before):
        cells = []
        for segment in line:
            head, tail = _SEGMENT.get(segment.kind, ("", ""))
            cells.append(f"{head}{escape(segment.text)}{tail}")
        lines.append("".join(cells))
    return "<br>".join(lines)


def _who_why(revision: Any) -> tuple[str, str]:
    """``2022-12-18 correction by A. Author, credited to A. Reader``, then why and what it rests on."""
    head = f"{escape(str(revision.date))} {_value(revision.kind)}"
    if revision.by:
        head += f" by {escape(revision.by)}"
    if revision.credited:
        head += f", credited to {escape(revision.credited)}"
    tail = ""
    if revision.reason:
        tail += f'<div style="{_MUTED}">why: {escape(revision.reason)}</div>'
    if revision.evidence:
        keys = ", ".join(f"<code>{escape(k)}</code>" for k in revision.evidence)
        tail += f'<div style="{_MUTED}">rests on: {keys}</div>'
    if revision.note:
        tail += f'<div style="{_MUTED}">note: {escape(revision.note)}</div>'
    return f'<div style="{_MUTED}">{head}</div>', tail


@provides("revision_html")
def revision_html(revision: Any, before: Any = None) -> str:
    """One revision: when, what kind, who made it and who is credited, the change, why."""
    head, tail = _who_why(revision)
    return f'<div class="claimtrack-revision">{head}<div>{_change(revision, before)}</div>{tail}</div>'


@provides("claim_card")
def claim_card(claim: Any) -> str:
    """A claim as an HTML card: id, confidence and status, statement, evidence, facts, appearances, and each
    correction as the report shows it (``~~old~~ new``, who, why); a past view says the date it shows."""
    from .history import states_before
    from .model import KINDS_KEEPING_CONTENT

    as_of = getattr(claim, "viewed_as_of", None)
    when = f' <span style="{_MUTED}">as of {escape(str(as_of))}</span>' if as_of is not None else ""
    parts = [
        f'<div class="claimtrack-claim" style="{_CARD}">',
        f'<div><code>{escape(claim.id)}</code> <span style="{_MUTED}">'
        f"{_value(claim.confidence)}, {_value(claim.status)}</span>{when}</div>",
        f'<p style="margin: 0.4em 0">{escape(claim.statement)}</p>',
    ]
    if claim.superseded_by:
        parts.append(f"<div>superseded by <code>{escape(claim.superseded_by)}</code></div>")
    if claim.tags or claim.depends_on:
        labels = [f"<code>{escape(t)}</code>" for t in claim.tags]
        rests = [f"<code>{escape(d)}</code>" for d in claim.depends_on]
        line = ("tags: " + ", ".join(labels) if labels else "") + ("; " if labels and rests else "")
        line += "depends on: " + ", ".join(rests) if rests else ""
        parts.append(f'<div style="{_MUTED}">{line}</div>')
    rows = [
        (
            "evidence",
            f"<code>{escape(e.source)}</code> ({_value(e.stance)}"
            + (f", {escape(e.locator)}" if e.locator else "")
            + ")"
            + (f": {escape(e.note)}" if e.note else ""),
        )  # fmt: skip
        for e in claim.evidence
    ]
    rows += [("fact", f"{escape(f.subject)} / {escape(f.property)} = {escape(f.value)}") for f in claim.facts]
    rows += [
        ("appears in", f"<code>{escape(a.document)}</code>" + (f", {escape(a.locator)}" if a.locator else ""))
        for a in claim.appearances
    ]
    if rows:
        parts.append('<table style="border-collapse: collapse">')
        parts.extend(f'<tr><td style="{_MUTED}; padding-right: 1em">{label}</td><td>{body}</td></tr>' for label, body in rows)
        parts.append("</table>")
    revisions = claim.revisions
    changes = [
        (r, before) for r, before in zip(revisions, states_before(claim), strict=True) if r.kind not in KINDS_KEEPING_CONTENT
    ]
    if changes:
        heading = "Change" if len(changes) == 1 else "Changes"
        parts.append(f'<div style="margin-top: 0.4em">{heading} since it was recorded:</div>')
        if len(changes) > CARD_CHANGES:
            earlier = len(changes) - CARD_CHANGES
            parts.append(f'<div style="{_MUTED}">{_plural(earlier, "earlier change")} not shown (see its history)</div>')
            changes = changes[-CARD_CHANGES:]
        parts.append('<ol style="margin: 0.2em 0">')
        parts.extend(f"<li>{revision_html(r, before)}</li>" for r, before in changes)
        parts.append("</ol>")
    if revisions:
        last = revisions[-1]
        parts.append(
            f'<div style="{_MUTED}; margin-top: 0.4em">{_plural(len(revisions), "revision")}; '
            f"last: {escape(str(last.date))} {_value(last.kind)} by {escape(last.by)}</div>"
        )
    parts.append("</div>")
    return "\n".join(parts)


def claims_table(claims: Sequence[Any], total: int, *, problems: int = 0) -> str:
    """Claims as a table (id, confidence, status, statement, revisions, last change) under how many there are;
    ``claims`` are the first rows shown of ``total``."""
    caption = _plural(total, "claim") + (f", {_plural(problems, 'unreadable file')}" if problems else "")
    out = ['<table class="claimtrack-claims">', f'<caption style="text-align: left">{caption}</caption>']
    head = "".join(
        f'<th style="text-align: left">{name}</th>'
        for name in ("id", "confidence", "status", "statement", "revisions", "last change")
    )
    out.append(f"<thead><tr>{head}</tr></thead><tbody>")
    for claim in claims:
        last = claim.revisions[-1] if claim.revisions else None
        changed = f"{escape(str(last.date))} {_value(last.kind)}" if last else ""
        cells = (
            f"<code>{escape(claim.id)}</code>", _value(claim.confidence), _value(claim.status),
            escape(claim.statement), str(len(claim.revisions)), changed,
        )  # fmt: skip
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    if total > len(claims):
        out.append(f'<tr><td colspan="6" style="{_MUTED}">and {_plural(total - len(claims), "more claim")}</td></tr>')
    out.append("</tbody></table>")
    return "\n".join(out)


def library_card(title: str, root: str, claims: int, sources: int | None, claims_html: str) -> str:
    """A library: its title and folder, how many claims and sources it has, then its first claims."""
    held = _plural(claims, "claim") + (f", {_plural(sources, 'source')}" if sources is not None else "")
    return (
        f'<div class="claimtrack-library" style="{_CARD}"><div><strong>{escape(title)}</strong> '
        f'<span style="{_MUTED}"><code>{escape(root)}</code>: {held}</span></div>\n{claims_html}</div>'
    )


def findings_table(findings: Iterable[Any], *, caption: str = "") -> str:
    """Audit findings as an HTML table: severity, rule, claim or source, message, what to do, where (the first
    :data:`FINDING_ROWS`; the rest are counted)."""
    rows = list(findings)
    head = "".join(
        f'<th style="text-align: left">{name}</th>' for name in ("severity", "rule", "about", "message", "hint", "where")
    )
    out = ['<table class="claimtrack-findings">']
    if caption:
        out.append(f'<caption style="text-align: left">{escape(caption)}</caption>')
    out.append(f"<thead><tr>{head}</tr></thead><tbody>")
    for f in rows[:FINDING_ROWS]:
        cells = (f.severity, f.rule, f.claim or f.source or "", f.message, f.hint or "", f.location or "")
        out.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    if len(rows) > FINDING_ROWS:
        more = _plural(len(rows) - FINDING_ROWS, "more finding")
        out.append(f'<tr><td colspan="6" style="{_MUTED}">and {more} (the audit\'s JSON or the report has them all)</td></tr>')
    if not rows:
        out.append('<tr><td colspan="6">no findings</td></tr>')
    out.append("</tbody></table>")
    return "\n".join(out)
