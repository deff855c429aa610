"""The self-contained HTML report: one file, CSS, script and charts inline, nothing fetched.

The page's frame (header, findings, charts) is a Jinja template rendered with
autoescaping on. What repeats per claim and per entry (the table's rows, the
claims' sections, the bibliography) is built as strings in :mod:`.sections`
and here, every value through :func:`.sections.text` or :func:`.sections.attr`,
and passed in as :class:`markupsafe.Markup`, as are the SVG charts and
citeproc's output (checked by :mod:`.citations`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .asof import diff_html
from .calibration import calibration_chart, calibration_table
from .charts import revisions_chart, support_chart
from .graph import graph_svg
from .notices import notices_html
from .sections import Links, attr, fill, status_badge, text, with_parts

__all__ = [
    "render_html",
    "environment",
    "bibliography_items",
    "bibliography_pieces",
    "uncited_items",
    "uncited_pieces",
    "link_functions",
    "framed",
    "part_mark",
]


@functools.cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("claimtrack.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


def badge(level: Any, rank: int) -> Markup:
    return Markup(f'<span class="conf-{escape(rank if rank < 3 else "other")}">{escape(level)}</span>')


def link_functions(links: Links) -> dict[str, Any]:
    return {
        "claim_link": lambda cid: Markup(links.claim_link(cid)),
        "source_link": lambda key: Markup(links.source_link(key)),
        "badge": badge,
        "status_badge": lambda status: Markup(status_badge(status)),
        "since_diff": diff_html,
    }


def _table(rows: list[Any], links: Links, since: Any = None) -> str:
    out = []
    new = since.new_ids if since is not None else None
    for c in rows:
        support = f"{c.supporting} / {c.min_support}" if c.min_support is not None else str(c.supporting)
        cid = attr(c.id)
        out.append(
            f'<tr data-confidence="{attr(c.confidence)}" data-status="{attr(c.status)}" data-tags="|{attr(c.tags.replace("; ", "|"))}|">'
            f'<td><a href="#claim-{cid}">{cid}</a>'
            f"<td>{text(c.statement) if since is None else since.mark(c.id, c.statement, new)}<td data-sort={c.rank}>{links.badge(c.confidence)}<td>{status_badge(c.status)}"
            f"<td{'' if c.meets_minimum else ' class=below'}>{support}<td>{c.revisions}<td>{c.updated}<td>{text(c.tags)}\n"
        )
    return "".join(out)


def bibliography_items(entries: list[Any], links: Links, *, page: str = "", limit: int | None = None) -> str:
    """The cited entries as list items, each naming the claims that cite it.

    ``page`` is the file the claims' sections are on (empty: this one); with
    ``limit``, an entry names that many claims and counts the rest.
    """
    return "".join(bibliography_pieces(entries, links, page=page, limit=limit))


def bibliography_pieces(entries: list[Any], links: Links, *, page: str = "", limit: int | None = None) -> Iterator[str]:
    """:func:`bibliography_items` in pieces of a few hundred entries."""
    out: list[str] = []
    for r in entries:
        out.append(f'<li id="{attr(r.anchor)}"><cite>{r.reference.html}</cite> <span class="key">[{text(r.key)}]</span>')
        if r.claims:
            named = r.claims if limit is None else r.claims[:limit]
            if page:
                cited = ", ".join(f'<a href="{page}#claim-{attr(c)}">{text(c)}</a>' for c in named)
            else:
                cited = ", ".join(links.claim_link(c) for c in named)
            if len(named) < len(r.claims):
                cited += f" and {len(r.claims) - len(named)} more"
            out.append(f'<span class="cited-by">Cited by {cited}</span>')
        else:
            out.append('<span class="cited-by muted">Not cited by any claim.</span>')
        out.append("</li>\n")
        if len(out) >= 2000:
            yield "".join(out)
            out.clear()
    yield "".join(out)


def uncited_items(entries: list[Any]) -> str:
    return "".join(uncited_pieces(entries))


def uncited_pieces(entries: list[Any]) -> Iterator[str]:
    """:func:`uncited_items` in pieces of a thousand entries."""
    for start in range(0, len(entries), 1000):
        yield "".join(
            f'<li id="{attr(r.anchor)}"><cite>{r.reference.html}</cite> <span class="key">[{text(r.key)}]</span></li>\n'
            for r in entries[start : start + 1000]
        )


#: Where a long part goes in a rendered frame: autoescaped text cannot make ``<!--``.
_PART = re.compile(r"<!--ct-part:(\w+)-->")


def part_mark(name: str) -> Markup:
    """The mark :func:`framed` puts the part ``name`` in place of."""
    return Markup(f"<!--ct-part:{name}-->")


def framed(frame: str, parts: Mapping[str, Callable[[], Iterable[str]]]) -> Iterator[str]:
    """``frame`` (a page rendered with :func:`part_mark` where each long part goes) in pieces, each part made as it is read."""
    return with_parts(_PART.split(frame), parts)


def render_html(context: dict[str, Any], *, style_name: str) -> str:
    """The report page for a context made by :func:`claimtrack.report.context.build`."""
    claims = context["claims"]
    links: Links = context["links"]
    references = {r.key: str(r.reference.html) for r in context["bibliography"]}
    fallback = sum(1 for r in context["bibliography"] if r.reference.formatted_by == "fallback")
    details = "".join(fill(html, references) for html in context["sections"].side(0))
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            **context,
            style_name=style_name,
            fallback_count=fallback,
            chart_revisions=revisions_chart(context["revisions"]),
            chart_support=support_chart(claims, context["by_confidence"]),
            chart_calibration=calibration_chart(context["calibration"]),
            argument_graph=graph_svg(**context["argument"]),
            table_calibration=calibration_table(context["calibration"]),
            table_rows=Markup(_table(claims, links, context.get("since"))),
            claim_details=Markup(details),
            bibliography_items=Markup(bibliography_items(context["bibliography"], links)),
            uncited_items=Markup(uncited_items(context["uncited"])),
            notices_section=Markup(notices_html(context["notices"], links)),
            paged=False,
            script_src="'unsafe-inline'",
            **link_functions(links),
        )
    )
