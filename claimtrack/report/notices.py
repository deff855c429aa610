"""The report's view of notices: a badge after each noticed source, and a "Retractions and corrections" section.

The badge goes into the formatted reference itself, so it shows in the
bibliography and wherever a claim's evidence cites the source, without the
claims' cached sections depending on notices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
from markupsafe import Markup

from ..model import Stance
from .mdtext import md_escape
from .sections import Links, attr, text

if TYPE_CHECKING:
    from ..model import Claim
    from ..notices import Notice, Notices
    from .citations import Reference

__all__ = ["badged", "marker", "notice_rows", "notices_html", "notices_markdown"]

_CLASS = {
    "retraction": "retracted",
    "withdrawal": "retracted",
    "correction": "corrected",
    "erratum": "corrected",
    "expression-of-concern": "concern",
    "reinstatement": "reinstated",
}


def _worst(notices: Notices, key: str) -> Notice | None:
    """The notice a badge shows: the retraction in force, else the newest other notice."""
    ending = notices.retraction(key)
    if ending is not None:
        return ending
    about = notices.about(key)
    return about[-1] if about else None


def badged(references: Mapping[str, Reference], notices: Notices) -> dict[str, Reference]:
    """``references`` with a badge appended to each noticed one (HTML and Markdown)."""
    out = dict(references)
    for key in notices.sources:
        reference = out.get(key)
        notice = _worst(notices, key)
        if reference is None or notice is None:
            continue
        label = notice.short()
        html = f' <a class="notice notice-{_CLASS[notice.kind.value]}" href="#notices-{attr(key)}">{text(label)}</a>'
        out[key] = attrs.evolve(
            reference,
            html=Markup(str(reference.html) + html),
            markdown=Markup(f"{reference.markdown} **\\[{md_escape(label.upper())}\\]**"),
        )
    return out


_CITES = {
    "retracted": "cites a retracted source",
    "corrected": "cites a corrected source",
    "concern": "cites a source under concern",
}


def _claim_notice(claim: Claim, notices: Notices) -> Notice | None:
    """The notice a claim's heading shows: a retraction of a source it rests on, else a correction or concern."""
    found: Notice | None = None
    for item in claim.evidence:
        if item.is_claim or item.stance is Stance.MENTIONS:
            continue
        notice = _worst(notices, item.source)
        if notice is None or notice.kind.value == "reinstatement":
            continue
        if _CLASS[notice.kind.value] == "retracted" and item.stance is Stance.SUPPORTS:
            return notice
        if found is None and _CLASS[notice.kind.value] != "retracted":
            found = notice
    return found


def marker(claims: list[Claim], notices: Notices) -> Callable[[int, int, str], str]:
    """``mark(index, side, text)``: the HTML (``side`` 0) or Markdown (1) section of ``claims[index]``, marked
    under its heading when the claim cites a noticed source."""
    found: dict[int, Notice | None] = {}

    def mark(index: int, side: int, text: str) -> str:
        if index not in found:
            found[index] = _claim_notice(claims[index], notices)
        notice = found[index]
        if notice is None:
            return text
        kind = _CLASS[notice.kind.value]
        if side == 0:
            link = f"#notices-{attr(notice.source)}"
            title = attr(f"{notice.source}: {notice.short()}")
            return text.replace(
                "</h3>", f' <a class="notice notice-{kind}" href="{link}" title="{title}">{_CITES[kind]}</a></h3>', 1
            )
        return text.replace(
            "\n\n", f"\n\n**{_CITES[kind].capitalize()}:** {md_escape(notice.source)}, {md_escape(notice.short())}.\n\n", 1
        )

    return mark


def notice_rows(notices: Notices, citing: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    """One row per notice, by source: what the section lists."""
    return [
        {
            "key": n.source,
            "kind": n.kind.value,
            "class": _CLASS[n.kind.value],
            "label": n.kind.label,
            "date": n.date,
            "origin": n.where(),
            "notice_doi": n.notice_doi,
            "reason": n.reason,
            "claims": tuple(citing.get(n.source, ())),
        }
        for n in notices
    ]


def notices_html(rows: list[dict[str, Any]], links: Links) -> str:
    """The ``<section id="notices">``, or nothing when there are no notices."""
    if not rows:
        return ""
    out = [
        '<section id="notices">\n  <h2>Retractions and corrections</h2>\n',
        '  <p class="muted">Notices about the sources, from notices.toml (<code>claimtrack notices import</code>).</p>\n',
        '  <table class="notices"><thead><tr><th scope="col">Source<th scope="col">Notice<th scope="col">Date'
        '<th scope="col">From<th scope="col">Reason<th scope="col">Cited by</tr></thead><tbody>\n',
    ]
    first = set()
    for r in rows:
        anchor = "" if r["key"] in first else f' id="notices-{attr(r["key"])}"'
        first.add(r["key"])
        doi = f' <a href="https://doi.org/{attr(r["notice_doi"])}">notice</a>' if r["notice_doi"] else ""
        cited = ", ".join(links.claim_link(c) for c in r["claims"]) or '<span class="muted">no claim</span>'
        out.append(
            f'<tr{anchor}><td>{links.source_link(r["key"])}<td><span class="notice notice-{r["class"]}">{text(r["label"])}</span>'
            f"<td>{text(r['date'] or 'no date given')}<td>{text(r['origin'])}{doi}<td>{text(r['reason'] or '')}<td>{cited}\n"
        )
    out.append("</tbody></table>\n</section>\n")
    return "".join(out)


def notices_markdown(rows: list[dict[str, Any]], links: Links) -> str:
    """The "## Retractions and corrections" section, or nothing when there are no notices."""
    if not rows:
        return ""
    out = [
        "## Retractions and corrections\n\n",
        "| source | notice | date | from | reason | cited by |\n|---|---|---|---|---|---|\n",
    ]
    for r in rows:
        cited = ", ".join(links.md_link(c) for c in r["claims"])
        out.append(
            f"| {md_escape(r['key'])} | {md_escape(r['label'])} | {md_escape(r['date'] or 'no date given')} "
            f"| {md_escape(r['origin'])} | {md_escape(r['reason'] or '')} | {cited} |\n"
        )
    out.append("\n")
    return "".join(out)
