"""HTML that Jupyter shows for a claim (a card) and for audit findings (a table).

Records call these from their ``_repr_html_``; the functions read the records'
attributes only, so this module imports nothing of the package.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

__all__ = ["claim_card", "findings_table"]

_CARD = "font-family: sans-serif; border: 1px solid #ccc; border-radius: 6px; padding: 0.6em 0.9em; max-width: 60em"
_MUTED = "color: #666; font-size: 90%"


def _value(value: Any) -> str:
    return escape(str(getattr(value, "value", value)))


def claim_card(claim: Any) -> str:
    """A claim as an HTML card: id, confidence and status, statement, evidence, facts, appearances, last change."""
    parts = [
        f'<div class="claimtrack-claim" style="{_CARD}">',
        f'<div><code>{escape(claim.id)}</code> <span style="{_MUTED}">'
        f"{_value(claim.confidence)}, {_value(claim.status)}</span></div>",
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
    if revisions:
        last = revisions[-1]
        count = f"{len(revisions)} revision{'' if len(revisions) == 1 else 's'}"
        parts.append(
            f'<div style="{_MUTED}; margin-top: 0.4em">{count}; last: {escape(str(last.date))} '
            f"{_value(last.kind)} by {escape(last.by)}: {escape(last.markdown())}</div>"
        )
    parts.append("</div>")
    return "\n".join(parts)


def findings_table(findings: Iterable[Any], *, caption: str = "") -> str:
    """Audit findings as an HTML table: severity, rule, claim or source, message, what to do, where."""
    rows = list(findings)
    head = "".join(
        f'<th style="text-align: left">{name}</th>' for name in ("severity", "rule", "about", "message", "hint", "where")
    )
    out = ['<table class="claimtrack-findings">']
    if caption:
        out.append(f'<caption style="text-align: left">{escape(caption)}</caption>')
    out.append(f"<thead><tr>{head}</tr></thead><tbody>")
    for f in rows:
        cells = (f.severity, f.rule, f.claim or f.source or "", f.message, f.hint or "", f.location or "")
        out.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    if not rows:
        out.append('<tr><td colspan="6">no findings</td></tr>')
    out.append("</tbody></table>")
    return "\n".join(out)
