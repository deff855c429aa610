"""The report's corrections page and its Atom feed: the whole library's corrections, hedges, retractions and
supersessions, newest first, in the seed article's own style (``~~4096~~ 8192``), with who found each error and why.

The page lists the newest :data:`PAGE_LIMIT` changes and the feed the newest :data:`FEED_LIMIT`; ``claimtrack log``
lists them all.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from html import escape
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from ..changelog import CORRECTION_KINDS, Entry, changelog
from .html import environment

__all__ = ["CORRECTIONS_FILE", "FEED_FILE", "PAGE_LIMIT", "FEED_LIMIT", "corrections_files", "feed_id"]

CORRECTIONS_FILE = "corrections.html"
FEED_FILE = "corrections.xml"
PAGE_LIMIT = 2000
FEED_LIMIT = 200


def _struck(text: str) -> str:
    return f"<del>{text}</del>"


def _entries(lib: Any) -> list[Entry]:
    return changelog(lib, kinds=CORRECTION_KINDS, escape=escape)


def _html_entry(entry: Entry) -> Markup:
    # The changes were worded with every text from the library escaped (changelog's escape), struck as ~~old~~.
    changes = "; ".join(re.sub(r"~~(.*?)~~", lambda m: _struck(m.group(1)), c, flags=re.S) for c in entry.changes)
    parts = [
        f'<a class="claim-id" href="index.html#claim-{escape(entry.claim)}">{escape(entry.claim)}</a> ',
        f'<span class="kind kind-{escape(entry.kind)}">{escape(entry.kind)}</span> ',
        f'<span class="change">{changes}</span>',
    ]
    if entry.credited:
        parts.append(f' <span class="credit">(corrected by {escape(entry.credited)})</span>')
    who = f"by {escape(entry.by)}" if entry.by else ""
    why = f": {escape(entry.reason)}" if entry.reason else ""
    if who or why:
        parts.append(f'<div class="why">{who}{why}</div>')
    if entry.evidence:
        parts.append('<div class="evidence">evidence: ' + ", ".join(escape(k) for k in entry.evidence) + "</div>")
    if entry.recorded:
        parts.append(f'<div class="recorded">recorded {entry.recorded.isoformat()}</div>')
    return Markup("".join(parts))


def feed_id(lib: Any) -> str:
    """The feed's lasting id: the published report's address when ``[export] base_url`` names it, else a URN of the
    library's title."""
    base = getattr(lib.settings, "export", {}).get("base_url") if hasattr(lib.settings, "export") else None
    if base:
        return base.split("#")[0].rsplit("/", 1)[0] + "/" + FEED_FILE
    slug = re.sub(r"[^a-z0-9]+", "-", lib.settings.title.lower()).strip("-") or "claims"
    return f"urn:claimtrack:{slug}:corrections"


def _atom(lib: Any, entries: Sequence[Entry], title: str) -> str:
    ident = feed_id(lib)
    updated = max((e.date for e in entries), default=dt.date(1970, 1, 1))
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{xml_escape(title)}: corrections</title>",
        f"  <id>{xml_escape(ident)}</id>",
        f"  <updated>{updated.isoformat()}T00:00:00Z</updated>",
        f'  <link rel="self" href="{FEED_FILE}"/>',
        f'  <link rel="alternate" type="text/html" href="{CORRECTIONS_FILE}"/>',
        "  <generator>claimtrack</generator>",
    ]
    for entry in entries[:FEED_LIMIT]:
        body = str(_html_entry(entry))
        out += [
            "  <entry>",
            f"    <id>{xml_escape(ident)}#{xml_escape(entry.claim)}-{entry.index}</id>",
            f"    <title>{xml_escape(entry.claim)}: {xml_escape(entry.kind)}</title>",
            f"    <updated>{entry.date.isoformat()}T00:00:00Z</updated>",
            f'    <link href="index.html#claim-{xml_escape(entry.claim)}"/>',
            f"    <author><name>{xml_escape(entry.by or title)}</name></author>",
            f'    <content type="html">{xml_escape(body)}</content>',
            "  </entry>",
        ]
    out.append("</feed>\n")
    return "\n".join(out)


def corrections_files(lib: Any) -> dict[str, str]:
    """``corrections.html`` and ``corrections.xml`` for the HTML report."""
    entries = _entries(lib)
    title = lib.settings.title
    shown = entries[:PAGE_LIMIT]
    days = [(day, [_html_entry(e) for e in group]) for day, group in itertools.groupby(shown, key=lambda e: e.date)]
    page = (
        environment()
        .get_template("corrections.html.j2")
        .render(title=title, days=days, total=len(entries), shown=len(shown), feed=FEED_FILE)
    )
    return {CORRECTIONS_FILE: page, FEED_FILE: _atom(lib, entries, title)}
