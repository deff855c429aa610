"""The HTML report of a large library, in parts a browser can open at once.

One page of 100,000 claims' sections is hundreds of megabytes; no browser
opens it quickly, and filtering its rows takes seconds. From
:data:`PAGED_FROM` claims on (or ``[report] pages_from`` in claimtrack.toml)
the report is written as:

* ``index.html``: the summary, the findings and the charts, with a claims
  table that lists a page of rows at a time, filtered and sorted by its
  script over ``data/claims.js`` (one compact array per claim);
* ``data/details-N.js``: the claims' sections, :data:`CHUNK` claims a file,
  read by the page when one of them is opened (``index.html#claim-ID``);
* ``bibliography.html``: the formatted references, each naming the first
  claims that cite it.

The data files are scripts, not JSON, so that the report works from
``file://`` with no server: a page may run a script beside it but may not
fetch a file there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..errors import ClaimtrackError
from .calibration import calibration_chart, calibration_table
from .charts import revisions_chart, support_chart
from .graph import graph_svg
from .html import bibliography_pieces, environment, framed, link_functions, part_mark, uncited_pieces
from .notices import notices_html
from .sections import Links, fill

if TYPE_CHECKING:
    from .section_list import SectionList

__all__ = ["PAGED_FROM", "CHUNK", "PER_PAGE", "CITED_BY_LIMIT", "pages_from", "render_paged", "DATA_DIR"]

#: From this many claims on, the HTML report is written in parts.
PAGED_FROM = 2000
#: Claims' sections per data file.
CHUNK = 200
#: Rows the table shows at a time.
PER_PAGE = 100
#: Claims an entry of the bibliography page names before it counts the rest.
CITED_BY_LIMIT = 25
DATA_DIR = "data"
_SCRIPT_SRC = "'self' 'unsafe-inline'"


def pages_from(report_settings: Any) -> int:
    """The number of claims from which the HTML report is split, from ``[report] pages_from``."""
    value = report_settings.get("pages_from", PAGED_FROM)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ClaimtrackError(
            "must be a whole number of claims, 1 or more",
            file="claimtrack.toml",
            key="report.pages_from",
            hint=f"write pages_from = {PAGED_FROM}",
        )
    return value


def _js(payload: Any) -> str:
    """``payload`` as a JavaScript expression: compact JSON, with U+2028/2029 escaped for older engines."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _claims_js(rows: list[Any], since: Any = None) -> Iterator[str]:
    """``data/claims.js``: the table's rows as ``window.ctClaims``, made and given a thousand rows at a time."""
    head = _js({"chunk": CHUNK, "perPage": PER_PAGE, "rows": []})
    yield f"window.ctClaims = {head[:-2]}"
    for start in range(0, len(rows), 1000):
        yield ("," if start else "") + _js(_rows(rows[start : start + 1000], since))[1:-1]
    yield "]};\n"


def _rows(rows: list[Any], since: Any = None) -> list[list[Any]]:
    """Each row as the page's script reads it; with ``since``, a last field holds the statement marked as HTML
    (new, or its old and new wording) for the claims that changed."""
    new = since.new_ids if since is not None else frozenset()
    marked = (
        (lambda r: str(since.mark(r.id, r.statement, new)) if r.id in new or r.id in since.changed else "") if since else None
    )
    return [
        [
            r.id,
            r.statement,
            r.rank,
            r.confidence,
            r.status,
            r.supporting,
            -1 if r.min_support is None else r.min_support,
            r.revisions,
            r.updated,
            r.tags,
            *([marked(r)] if marked else []),
        ]
        for r in rows
    ]


def render_paged(context: dict[str, Any], *, style_name: str) -> dict[str, str | Iterator[str]]:
    """The report's files (``index.html``, ``bibliography.html``, ``data/...``) as ``{name: text}``.

    Each data file of sections is made only when its text is read (pieces to write or join, in
    the order of the files), reading the sections' HTML it shows only then (see :mod:`.section_list`).
    """
    claims = context["claims"]
    links: Links = context["links"]
    references = {r.key: str(r.reference.html) for r in context["bibliography"]}
    fallback = sum(1 for r in context["bibliography"] if r.reference.formatted_by == "fallback")
    common = {
        **context,
        "style_name": style_name,
        "fallback_count": fallback,
        "paged": True,
        "script_src": Markup(_SCRIPT_SRC),
        **link_functions(links),
    }
    env = environment()
    files: dict[str, str | Iterator[str]] = {
        "index.html": env.get_template("report-paged.html.j2").render(
            **common,
            table_rows=Markup(""),
            chart_revisions=revisions_chart(context["revisions"]),
            chart_support=support_chart(claims, context["by_confidence"]),
            chart_calibration=calibration_chart(context["calibration"]),
            argument_graph=graph_svg(**context["argument"]),
            table_calibration=calibration_table(context["calibration"]),
            notices_section=Markup(notices_html(context["notices"], links)),
        ),
        "bibliography.html": framed(
            env.get_template("bibliography-page.html.j2").render(
                **common, bibliography_items=part_mark("bibliography_items"), uncited_items=part_mark("uncited_items")
            ),
            {
                "bibliography_items": lambda: _to_index(
                    bibliography_pieces(context["bibliography"], links, page="index.html", limit=CITED_BY_LIMIT)
                ),
                "uncited_items": lambda: _to_index(uncited_pieces(context["uncited"])),
            },
        ),
        f"{DATA_DIR}/claims.js": _claims_js(claims, context.get("since")),
    }
    sections = context["sections"]
    for number, start in enumerate(range(0, len(sections), CHUNK)):
        files[f"{DATA_DIR}/details-{number}.js"] = _details(number, sections, start, references)
    return files


def _to_index(pieces: Iterator[str]) -> Iterator[str]:
    """The bibliography page's entries, their notice badges linking to the notices listed on the first page."""
    for piece in pieces:
        yield piece.replace('href="#notices-', 'href="index.html#notices-')


def _details(number: int, sections: SectionList, start: int, references: dict[str, str]) -> Iterator[str]:
    part = [fill(html, references) for html in sections.side(0, start, start + CHUNK)]
    yield f"ctDetails({number}, {_js(part)});\n"
