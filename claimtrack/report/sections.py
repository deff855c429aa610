"""One claim's part of the report, in HTML and in Markdown, built as plain strings.

A report of ten thousand claims renders each claim once, so this is the hot
path: no templates, no view objects, one escaping function per format, and the
links and badges every claim repeats made once per page in :class:`Links`.

A section depends on the claim and on a few facts about the rest of the
library: which claims and BibTeX keys exist, which claims rest on this one,
the confidence scale. It does not depend on how a reference is formatted: the
place of each formatted reference is marked ``\\x00key\\x00`` and filled in when
the page is put together (:func:`fill`), so a section can be cached while the
bibliography or the citation style changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ..history import chronological, states_before
from ..model import Claim, Stance
from ..terminal import CONTROL_CLASS
from .changes import change_segments
from .mdtext import md_escape

__all__ = [
    "Links",
    "claim_html",
    "claim_markdown",
    "fill",
    "text",
    "attr",
    "anchor_for_key",
    "with_parts",
]

MARK = "\x00"
_PLAIN_KEY = re.compile(r"[A-Za-z0-9:.-]*")
_ODD = re.compile(r"[^A-Za-z0-9:.-]")
# Text md_escape leaves alone: none of the characters it escapes, no line break, NUL or other control character, no
# list-like or indented start.
_MD_PLAIN = re.compile(r"(?![-+= \t])[^\\`*_\[\]~|#{}!&<>\n\r" + CONTROL_CLASS + "]*")


def with_parts(pieces: list[str], parts: Mapping[str, Callable[[], Iterable[str]]]) -> Iterator[str]:
    """A rendered frame split at its marks (text, part name, text, ...) with each part made as it is read."""
    for index, piece in enumerate(pieces):
        if index % 2:
            yield from parts[piece]()
        elif piece:
            yield piece


def text(value: Any) -> str:
    """Text for an HTML element's content: ``&``, ``<`` and ``>`` escaped (quotes need no escaping there)."""
    s = value if type(value) is str else ("" if value is None else str(value))
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    if MARK in s:
        s = s.replace(MARK, "\ufffd")  # a NUL would be taken for a reference's mark
    return s


def attr(value: Any) -> str:
    """Text for a double-quoted HTML attribute."""
    s = text(value)
    return s.replace('"', "&quot;") if '"' in s else s


def md(value: Any) -> str:
    """:func:`.mdtext.md_escape`, with a quick way out for text it would leave as it is (most)."""
    if value is None:
        return ""
    s = value if type(value) is str else str(value)
    if _MD_PLAIN.fullmatch(s) and not s[:1].isdigit():
        return s
    s = md_escape(s)
    return s.replace(MARK, "\ufffd") if MARK in s else s


def anchor_for_key(key: str) -> str:
    """An HTML id for a BibTeX key: ``ref-`` plus the key, odd characters spelled as ``_hex``."""
    if _PLAIN_KEY.fullmatch(key):
        return "ref-" + key
    return "ref-" + _ODD.sub(lambda m: f"_{ord(m.group()):x}", key)


def fill(section: str, references: Mapping[str, str]) -> str:
    """A section with each ``\\x00key\\x00`` replaced by that key's formatted reference."""
    if MARK not in section:
        return section
    parts = section.split(MARK)
    for i in range(1, len(parts), 2):
        parts[i] = references.get(parts[i], "")
    return "".join(parts)


class Links:
    """What a section needs to know about the rest of the library, and the links it repeats, made once.

    ``claim_ids``: the claims that exist; ``source_keys``: the BibTeX keys;
    ``dependents``: per claim, the claims that rest on it; ``scale``: the
    library's confidence scale.
    """

    def __init__(self, claim_ids: Iterable[str], source_keys: Any, dependents: Mapping[str, list[str]], scale: Any) -> None:
        self.claim_ids = claim_ids if isinstance(claim_ids, (set, frozenset, dict)) else set(claim_ids)
        self.source_keys = source_keys
        self.dependents = dependents
        self.scale = scale
        self._claim: dict[str, str] = {}
        self._source: dict[str, str] = {}
        self._md_claim: dict[str, str] = {}
        self._badge: dict[str, tuple[int, str]] = {}
        self._level: dict[str, tuple[int, int | None]] = {}

    def claim_link(self, claim_id: str) -> str:
        found = self._claim.get(claim_id)
        if found is None:
            label = text(claim_id)
            if claim_id in self.claim_ids:
                found = f'<a href="#claim-{attr(claim_id)}">{label}</a>'
            else:
                found = f'<span class="missing" title="no such claim">{label}</span>'
            self._claim[claim_id] = found
        return found

    def source_link(self, key: str) -> str:
        found = self._source.get(key)
        if found is None:
            label = text(key)
            if key in self.source_keys:
                found = f'<a href="#{attr(anchor_for_key(key))}">{label}</a>'
            else:
                found = f'<span class="missing" title="not in references.bib">{label}</span>'
            self._source[key] = found
        return found

    def md_link(self, claim_id: str) -> str:
        found = self._md_claim.get(claim_id)
        if found is None:
            # Claim ids are lower-case letters, digits and hyphens: GitHub's heading
            # anchor for "### <id>" is the id itself.
            found = f"[{md(claim_id)}](#{claim_id})" if claim_id in self.claim_ids else f"{md(claim_id)} (missing)"
            self._md_claim[claim_id] = found
        return found

    def level(self, confidence: str) -> tuple[int, int | None]:
        """The confidence level's rank (the number of levels when it is not one) and its minimum support."""
        found = self._level.get(confidence)
        if found is None:
            scale = self.scale
            known = confidence in scale
            found = (scale.rank(confidence), scale[confidence].min_support) if known else (len(scale.levels), None)
            self._level[confidence] = found
        return found

    def badge(self, confidence: str) -> str:
        found = self._badge.get(confidence)
        if found is None:
            rank = self.level(confidence)[0]
            found = self._badge[confidence] = (rank, confidence_badge(confidence, rank))
        return found[1]


def confidence_badge(level: Any, rank: int) -> str:
    return f'<span class="conf-{rank if rank < 3 else "other"}">{text(level)}</span>'


def status_badge(status: str) -> str:
    return f'<span class="status-{attr(status)}">{text(status)}</span>'


def _counts(claim: Claim) -> tuple[int, int]:
    supporting = contradicting = 0
    for item in claim.evidence:
        if item.stance is Stance.SUPPORTS:
            supporting += 1
        elif item.stance is Stance.CONTRADICTS:
            contradicting += 1
    return supporting, contradicting


def _revisions(claim: Claim) -> list[tuple[Any, Any]]:
    # Oldest first by date: a back-dated revision is shown where it took effect.
    befores = states_before(claim)
    return [(r, change_segments(r, befores[i])) for i, r in chronological(claim.revisions)]


# -- HTML ------------------------------------------------------------------------------

_SEGMENT_HTML: dict[str, tuple[str, str]] = {
    "del": ("<del>", "</del>"),
    "ins": ("<ins>", "</ins>"),
    "label": ('<span class="label">', "</span>"),
    "text": ("", ""),
}


def claim_html(claim: Claim, links: Links, revisions: list[tuple[Any, Any]] | None = None) -> str:
    """The claim's ``<article>``: statement, badges, support, links, evidence, facts and history."""
    cid = claim.id
    status = claim.status.value
    supporting, contradicting = _counts(claim)
    _rank, minimum = links.level(claim.confidence)
    out = [
        f'<article class="claim" id="claim-{attr(cid)}"><h3><a class="self" href="#claim-{attr(cid)}">{text(cid)}</a> ',
        links.badge(claim.confidence),
        " ",
        status_badge(status),
        '</h3>\n<p class="statement-big">',
        text(claim.statement) if status == "active" else f"<s>{text(claim.statement)}</s>",
        "</p>",
    ]
    if claim.superseded_by:
        out.append(f'<p class="note">Superseded by {links.claim_link(claim.superseded_by)}.</p>')
    out.append('\n<dl class="meta">')
    if claim.tags:
        out.append("<dt>Tags</dt><dd>" + " ".join(f'<span class="tag">{text(t)}</span>' for t in claim.tags) + "</dd>")
    below = minimum is not None and supporting < minimum
    out.append('<dt>Support</dt><dd class="below">' if below else "<dt>Support</dt><dd>")
    out.append(f"{supporting} supporting")
    if contradicting:
        out.append(f", {contradicting} contradicting")
    if minimum is not None:
        article = "an" if claim.confidence[:1].lower() in "aeiou" else "a"
        out.append(f" ({article} {text(claim.confidence)} expects {minimum}+)")
    out.append("</dd>")
    if claim.depends_on:
        out.append("<dt>Rests on</dt><dd>" + ", ".join(links.claim_link(d) for d in claim.depends_on) + "</dd>")
    dependents = links.dependents.get(cid)
    if dependents:
        out.append("<dt>Rested on by</dt><dd>" + ", ".join(links.claim_link(d) for d in dependents) + "</dd>")
    created = claim.created.isoformat() if claim.created else ""
    updated = claim.updated.isoformat() if claim.updated else ""
    out.append(f"<dt>Recorded</dt><dd>{created}")
    if updated != created:
        out.append(f", last changed {updated}")
    out.append("</dd></dl>")
    if claim.evidence:
        out.append('\n<h4>Evidence</h4><ul class="evidence">')
        for item in claim.evidence:
            stance = item.stance.value
            out.append(f'\n<li><span class="stance-{stance}">{stance}</span> ')
            if item.is_claim:
                out.append("claim " + links.claim_link(item.claim_id or ""))
            elif item.source in links.source_keys:
                out.append(f'<cite>{MARK}{item.source}{MARK}</cite> <span class="key">[{links.source_link(item.source)}]</span>')
            else:
                out.append(links.source_link(item.source))
            if item.locator:
                out.append(f' <span class="locator">{text(item.locator)}</span>')
            if item.quote:
                out.append(f"<blockquote>{text(item.quote)}</blockquote>")
            if item.note:
                out.append(f'<p class="note">{text(item.note)}</p>')
            out.append("</li>")
        out.append("</ul>")
    else:
        out.append('\n<p class="muted">No evidence recorded.</p>')
    if claim.appearances:
        out.append('\n<h4>Stated in</h4><ul class="appearances">')
        for a in claim.appearances:
            out.append("<li>" + links.source_link(a.document))
            if a.locator:
                out.append(", " + text(a.locator))
            if a.text:
                out.append(f": <q>{text(a.text)}</q>")
            if a.note:
                out.append(f' <span class="note">{text(a.note)}</span>')
            out.append("</li>")
        out.append("</ul>")
    if claim.facts:
        out.append('\n<h4>Facts</h4><table class="facts">')
        for f in claim.facts:
            out.append(f"<tr><td>{text(f.subject)}<td>{text(f.property)}<td>{text(f.value)}")
        out.append("</table>")
    out.append('\n<h4>History</h4><ol class="timeline">')
    segment_html = _SEGMENT_HTML
    for revision, lines in revisions if revisions is not None else _revisions(claim):
        kind = revision.kind.value
        date = revision.date.isoformat()
        out.append(f'\n<li class="kind-{kind}"><p class="rev-head"><time>{date}</time> <span class="kind">{kind}</span>')
        if revision.by:
            out.append(f' by <span class="who">{text(revision.by)}</span>')
        if revision.credited:
            out.append(f' · credited: <span class="who">{text(revision.credited)}</span>')
        if revision.digest:
            out.append(f' <code class="seal">{text(revision.digest[:8])}</code>')
        out.append("</p>")
        for line in lines:
            out.append('<p class="change">')
            for segment in line:
                head, tail = segment_html.get(segment.kind, ("", ""))
                out.append(f"{head}{text(segment.text)}{tail}")
            out.append("</p>")
        if revision.reason:
            out.append(f'<p class="reason">Why: {text(revision.reason)}</p>')
        if revision.evidence:
            out.append('<p class="rev-evidence">Rests on: ' + ", ".join(links.source_link(k) for k in revision.evidence) + "</p>")
        if revision.note:
            out.append(f'<p class="note">{text(revision.note)}</p>')
        out.append("</li>")
    out.append("</ol></article>\n")
    return "".join(out)


# -- Markdown ----------------------------------------------------------------------------


def _md_line(line: Any) -> str:
    out = []
    for segment in line:
        value = md(segment.text)
        if segment.kind == "del":
            out.append(f"~~{value}~~")
        elif segment.kind == "label":
            out.append(f"*{value.strip()}* " if value.strip() else value)
        else:
            out.append(value)
    return "".join(out)


def claim_markdown(claim: Claim, links: Links, revisions: list[tuple[Any, Any]] | None = None) -> str:
    """The claim's ``### id`` section: statement, support, links, evidence and a table of its revisions."""
    cid = claim.id
    status = claim.status.value
    supporting, contradicting = _counts(claim)
    _rank, minimum = links.level(claim.confidence)
    statement = md(claim.statement)
    out = [f"### {md(cid)}\n\n", f"~~{statement}~~" if status != "active" else statement, "\n\n"]
    out.append(f"**{md(claim.confidence)}** · {md(status)}")
    if claim.superseded_by:
        out.append(f" · superseded by {links.md_link(claim.superseded_by)}")
    out.append(f" · {supporting} supporting")
    if contradicting:
        out.append(f", {contradicting} contradicting")
    if minimum is not None:
        out.append(f" (expects {minimum}+)")
    out.append("\n\n")
    if claim.tags:
        out.append("Tags: " + ", ".join(md(t) for t in claim.tags) + "\n\n")
    if claim.depends_on:
        out.append("Rests on: " + ", ".join(links.md_link(d) for d in claim.depends_on) + "\n\n")
    dependents = links.dependents.get(cid)
    if dependents:
        out.append("Rested on by: " + ", ".join(links.md_link(d) for d in dependents) + "\n\n")
    if claim.evidence:
        out.append("Evidence:\n\n")
        for item in claim.evidence:
            out.append(f"- **{item.stance.value}**: ")
            if item.is_claim:
                out.append("claim " + links.md_link(item.claim_id or ""))
            elif item.source in links.source_keys:
                out.append(f"{MARK}{item.source}{MARK} \\[{md(item.source)}\\]")
            else:
                out.append(f"{md(item.source)} (not in references.bib)")
            if item.locator:
                out.append(", " + md(item.locator))
            if item.quote:
                out.append(f": “{md(item.quote)}”")
            if item.note:
                out.append(f" ({md(item.note)})")
            out.append("\n")
        out.append("\n")
    out.append("| date | kind | change | by | credited | why |\n|---|---|---|---|---|---|\n")
    for revision, lines in revisions if revisions is not None else _revisions(claim):
        change = "<br>".join(_md_line(line) for line in lines)
        why = md(revision.reason)
        if revision.note:
            why += f" *({md(revision.note)})*"
        out.append(
            f"| {revision.date.isoformat()} | {revision.kind.value} | {change} | {md(revision.by)} | {md(revision.credited)} | {why} |\n"
        )
    out.append("\n")
    return "".join(out)


def claim_sections(claim: Claim, links: Links) -> tuple[str, str]:
    """The claim's HTML and Markdown sections, its history diffed once for both."""
    revisions = _revisions(claim)
    return claim_html(claim, links, revisions), claim_markdown(claim, links, revisions)
