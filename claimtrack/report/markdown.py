"""The Markdown report, for GitHub: tables, ``~~old~~ new`` diffs, links between claims.

Every value goes through :func:`~.mdtext.md_escape` (the template
environment's ``finalize``, and by hand where :mod:`.sections` and this
module build the repeated parts as strings), so user text can open neither
HTML nor Markdown syntax and is safe in a table cell. Only
:class:`markupsafe.Markup` values, built here, pass unescaped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
from markupsafe import Markup

from .mdtext import md_escape

__all__ = ["render_markdown", "markdown_pieces", "md_escape", "cell"]


def _finalize(value: Any) -> str:
    # A NUL in user text would be taken for the mark of a long part (see render_markdown).
    text = md_escape(value)
    return text.replace("\x00", "\ufffd") if "\x00" in text and not isinstance(value, Markup) else text


def cell(value: Any) -> Markup:
    """A value for a table cell: escaped, on one line (pipes are escaped by md_escape)."""
    return Markup(md_escape(value))


def _segments(line: Any) -> Markup:
    out = []
    for segment in line:
        text = md_escape(segment.text)
        if segment.kind == "del":
            out.append(f"~~{text}~~")
        elif segment.kind == "label":
            out.append(f"*{text.strip()}* " if text.strip() else text)
        else:
            out.append(text)
    return Markup("".join(out))


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("claimtrack.report", "templates"),
        autoescape=False,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = cell
    env.filters["segments"] = _segments
    return env


def _table(rows: list[Any], links: Any) -> Iterator[str]:
    """The claims table's lines, a thousand a piece."""
    out = []
    for c in rows:
        support = f"{c.supporting} / {c.min_support}" if c.min_support is not None else str(c.supporting)
        warn = "" if c.meets_minimum else " ⚠"
        out.append(
            f"| {links.md_link(c.id)} | {md_escape(c.statement)} | {md_escape(c.confidence)} | {md_escape(c.status)} "
            f"| {support}{warn} | {c.revisions} | {c.updated} |\n"
        )
        if len(out) == 1000:
            yield "".join(out)
            out.clear()
    yield "".join(out)


def _bibliography(entries: list[Any], links: Any) -> Iterator[str]:
    """The cited entries' lines, each naming every claim citing it, a few hundred entries a piece."""
    out = []
    for r in entries:
        out.append(f"- {r.reference.markdown} \\[{md_escape(r.key)}\\]")
        if r.claims:
            out.append(" — cited by " + ", ".join(links.md_link(c) for c in r.claims))
        out.append("\n")
        if len(out) >= 1000:
            yield "".join(out)
            out.clear()
    yield "".join(out)


def render_markdown(context: dict[str, Any], *, style_name: str) -> str:
    """The Markdown report for a context made by :func:`claimtrack.report.context.build`."""
    return "".join(markdown_pieces(context, style_name=style_name))


def markdown_pieces(context: dict[str, Any], *, style_name: str) -> Iterator[str]:
    """The Markdown report in pieces, each claim's section made as it is read and then let go of.

    The report of a large library is hundreds of megabytes: written piece by piece, it is never
    held whole, nor are the sections it shows (see :mod:`.section_list`).
    """
    from .notices import notices_markdown
    from .sections import MARK, fill, with_parts

    links = context["links"]
    references = {r.key: str(r.reference.markdown) for r in context["bibliography"]}
    # The frame is rendered with a mark where each long part goes, so that runs of blank
    # lines are squeezed in the frame alone; the parts hold none.
    parts: dict[str, Callable[[], Iterable[str]]] = {
        "table_rows": lambda: _table(context["claims"], links),
        "claim_details": lambda: (fill(md, references) for md in context["sections"].side(1)),
        "bibliography_items": lambda: _bibliography(context["bibliography"], links),
        "uncited_items": lambda: (f"- \\[{md_escape(r.key)}\\] {r.reference.markdown}\n" for r in context["uncited"]),
        "notices_section": lambda: [notices_markdown(context["notices"], links)],
    }
    frame = (
        environment()
        .get_template("report.md.j2")
        .render(
            **context,
            style_name=style_name,
            link=lambda cid: Markup(links.md_link(cid)),
            **{name: Markup(f"{MARK}{name}{MARK}") for name in parts},
        )
    )
    yield from with_parts(re.sub(r"\n{3,}", "\n\n", frame).split(MARK), parts)
