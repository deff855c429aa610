"""Rendering a manuscript: claim citations become citations of the claims' supporting sources.

``[@claim:a; see @claim:b, p. 3]`` becomes ``[@brown2020; see @chen2021, p. 3]``
and ``\\claim[p.~3]{a,b}`` becomes ``\\cite[p.~3]{brown2020,chen2021}``, so
pandoc, Quarto or BibTeX build the bibliography from references.bib as usual.
A claim without supporting sources leaves nothing (a bracket left empty goes
with the space before it). Ordinary citations stay as written. A source a
notice retracted (notices.toml) is still cited, so the reader can find it,
but marked: ``[@key, retracted]`` (in text ``@key [retracted]``) and
``\\cite[retracted]{key}``.

``marks`` adds each claim's confidence, linked to its section of the HTML
report (``report/index.html#claim-<id>``, as the output file reaches it:
:func:`report_link`); ``since`` appends a Corrections section (see
:mod:`corrections`). The library's text (a level's name) is escaped for the
paper's format (:mod:`.escaping`). The source file is never written.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from ..bibformats.citekeys import citation_map
from ..errors import ClaimtrackError, DocumentError
from ..fileio import atomic_write
from ..model import Claim, Status
from ..values import check_date
from .corrections import corrections_latex, corrections_markdown, corrections_since
from .escaping import latex_text, latex_url, markdown_text, markdown_url
from .lookup import ClaimLookup
from .reading import read_manuscript
from .records import CitationGroup, Manuscript

__all__ = ["render_manuscript", "render_text", "report_link", "RenderResult", "DEFAULT_REPORT"]

#: Where ``marks`` link to: the HTML report ``claimtrack report`` writes by default.
DEFAULT_REPORT = "report/index.html"
_ADDRESS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|#|//")  # a scheme (https:, file:), a fragment, or //host
_LATEX_BIBLIOGRAPHY = re.compile(r"^[ \t]*\\(?:bibliography\s*\{|printbibliography\b)|\\end\s*\{document\}", re.MULTILINE)


@attrs.frozen
class RenderResult:
    """What rendering made: the text, how many claim citations it replaced, how many corrections it listed."""

    text: str
    citations: int
    corrections: int
    output: Path | None = None


def _sources(claim: Claim) -> list[str]:
    return list(dict.fromkeys(e.source for e in claim.supporting if not e.is_claim))


def _mark(m: Manuscript, claim: Claim, report: str) -> str:
    label = claim.confidence if claim.status is Status.ACTIVE else f"{claim.confidence}, {claim.status.value}"
    if m.syntax == "latex":
        return f"\\href{{{latex_url(report)}\\#claim-{claim.id}}}{{{latex_text(label)}}}"
    return f"[{markdown_text(label)}]({markdown_url(report)}#claim-{claim.id})"


def report_link(root: str | Path | None, report: str, output: str | Path) -> str:
    """The report's address as the rendered file reaches it.

    ``report`` is a path from the library's folder (``report/index.html``, the
    default) or an address (``https://...``, an absolute path); a path is made
    relative to the output file's folder, so ``-o build/paper.md`` links to
    ``../report/index.html``.
    """
    if root is None or _ADDRESS.match(report) or Path(report).is_absolute():
        return report
    target = Path(output).absolute().parent
    return Path(os.path.relpath(Path(root).absolute() / report, target)).as_posix()


def _marks(m: Manuscript, claims: list[Claim], report: str) -> str:
    if not claims:
        return ""
    marks = ", ".join(_mark(m, claim, report) for claim in claims)
    return f"\\textsuperscript{{{marks}}}" if m.syntax == "latex" else f" ({marks})"


#: What a retracted source's citation says after it.
RETRACTED_MARK = "retracted"
#: ``cito``: the prefix pandoc's CiTO filter reads as ``cito:citesAsEvidence`` (the claim rests on the source).
CITO_PREFIX = "cites_as_evidence:"


def _pandoc_group(
    m: Manuscript,
    group: CitationGroup,
    claims: dict[str, Claim],
    renamed: dict[str, str],
    retracted: Callable[[str], bool],
    cito: bool = False,
) -> str:
    text = m.text
    parts = []
    intext = group.kind == "intext"
    for item in group.items:
        if item.claim is None:
            cited = text[item.key_start : item.key_end]
            if item.key in renamed:  # [@doi:10.1/X] of an entry keyed doi:10.1/x, or keyed by name
                cited = cited.replace(item.key, renamed[item.key], 1)
            parts.append(text[item.start : item.key_start] + cited + text[item.key_end : item.end])
            continue
        keys = _sources(claims[item.claim])
        if not keys:
            continue
        dash = "-" if text[item.key_start] == "-" else ""
        mark = f" [{RETRACTED_MARK}]" if intext else f", {RETRACTED_MARK}"
        prefix = CITO_PREFIX if cito else ""
        cited = "; ".join(f"{dash}@{prefix}{key}{mark if retracted(key) else ''}" for key in keys)
        parts.append(text[item.start : item.key_start] + cited + text[item.key_end : item.end])
    if group.kind == "intext":
        return "".join(parts)
    if not parts:
        return ""
    return "[" + ";".join(parts).lstrip() + "]"


def _latex_group(group: CitationGroup, claims: dict[str, Claim], retracted: Callable[[str], bool]) -> str:
    keys = list(dict.fromkeys(key for claim_id in group.claims for key in _sources(claims[claim_id])))
    standing = [key for key in keys if not retracted(key)]
    ended = [key for key in keys if retracted(key)]
    out = f"\\cite{group.options}{{{','.join(standing)}}}" if standing else ""
    marked = f"\\cite[{RETRACTED_MARK}]{{{','.join(ended)}}}" if ended else ""
    return "~".join(part for part in (out, marked) if part)


def _cited_keys(lib: Any, m: Manuscript) -> dict[str, str]:
    """Ordinary citations whose key names an entry of references.bib another way (see :mod:`claimtrack.bibformats.citekeys`)."""
    if m.syntax == "latex" or getattr(lib, "sources", None) is None:
        return {}
    ordinary = [item.key for group in m.groups for item in group.items if item.claim is None]
    return citation_map(lib.sources, ordinary) if ordinary else {}


def _unknown(lib: ClaimLookup, m: Manuscript) -> Iterator[str]:
    """Each citation of a claim that cannot be rendered: ``file:line:column: what is wrong``."""
    broken = {p.file for p in getattr(lib.claims, "problems", ())}
    for group in m.groups:
        for item in group.items:
            if item.claim is not None and lib.claims.get(item.claim) is None:
                line, column = m.position(item.key_start)
                where = f"{m.path}:{line}:{column}: cites {item.claim!r}"
                if f"claims/{item.claim}.toml" in broken:
                    yield f"{where}, whose file cannot be read (see `claimtrack audit`)"
                    continue
                near = lib.nearest(item.claim)
                yield f"{where}, which is not a claim" + (f" (did you mean {near!r}?)" if near else "")


def render_text(lib: Any, m: Manuscript, *, marks: bool = False, report: str = DEFAULT_REPORT,
                since: dt.date | str | None = None, cito: bool = False) -> RenderResult:  # fmt: skip
    """The rendered text of a manuscript already read; DocumentError when it cites a claim that does not exist.

    ``cito`` prefixes each source a claim rests on with ``cites_as_evidence:``, which pandoc's CiTO filter
    (``--lua-filter cito.lua``) reads as ``cito:citesAsEvidence`` and strips before citeproc runs.
    """
    if cito and m.syntax == "latex":
        raise DocumentError("--cito is for pandoc Markdown", file=m.path, hint="render a LaTeX manuscript without --cito")
    library = ClaimLookup(lib, [claim_id for group in m.groups for claim_id in group.claims])
    unknown = list(_unknown(library, m))
    if unknown:
        more = f" (and {len(unknown) - 1} more such citations)" if len(unknown) > 1 else ""
        raise DocumentError(f"{unknown[0]}{more}; nothing was written", hint="fix the ids (see `claimtrack check`)")
    claims: dict[str, Claim] = {}
    for group in m.groups:
        for claim_id in group.claims:
            claims.setdefault(claim_id, library.claims[claim_id])
    renamed = _cited_keys(lib, m)
    out: list[str] = []
    pos = 0
    count = 0

    def retracted(key: str) -> bool:
        return library.retraction(key) is not None

    for group in m.groups:
        if not group.claims and not any(item.key in renamed for item in group.items):
            continue
        start = group.start
        latex = m.syntax == "latex"
        rendered = _latex_group(group, claims, retracted) if latex else _pandoc_group(m, group, claims, renamed, retracted, cito)
        if not rendered:
            while start > pos and m.text[start - 1] in " \t~":
                start -= 1
        if marks:
            rendered += _marks(m, [claims[c] for c in dict.fromkeys(group.claims)], report)
        out.append(m.text[pos:start])
        out.append(rendered)
        pos = group.end
        count += len(group.claims)
    out.append(m.text[pos:])
    text = "".join(out)
    listed = 0
    if since is not None:
        try:
            day = check_date(since, key="--corrections", future=True)
        except ClaimtrackError as e:
            raise DocumentError(e.message, key="--corrections", hint="give the date as YYYY-MM-DD") from e
        items = corrections_since(claims.values(), day, library.claims)
        listed = len(items)
        text = _with_corrections(m, text, items, day)
    return RenderResult(text, count, listed)


def _with_corrections(m: Manuscript, text: str, items: list[Any], day: dt.date) -> str:
    if m.syntax != "latex":
        return text + ("" if text.endswith("\n") or not text else "\n") + corrections_markdown(items, day)
    section = corrections_latex(items, day)
    found = _LATEX_BIBLIOGRAPHY.search(text)
    if found is None:
        return text + ("" if text.endswith("\n") or not text else "\n") + section
    return text[: found.start()] + section.lstrip("\n") + "\n" + text[found.start() :]


def render_manuscript(lib: Any, path: str | Path, output: str | Path, *, marks: bool = False,
                      report: str = DEFAULT_REPORT, since: dt.date | str | None = None,
                      cito: bool = False) -> RenderResult:  # fmt: skip
    """Write the rendered copy of the manuscript at ``path`` to ``output`` (all at once; never over ``path``).

    >>> render_manuscript(lib, "paper.md", "build/paper.md", since="2022-12-11")  # doctest: +SKIP
    RenderResult(text='...', citations=12, corrections=3, output=PosixPath('build/paper.md'))
    """
    source, target = Path(path), Path(output)
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise DocumentError("is the manuscript itself", file=target, hint="name another output file; the source is never changed")
    m = read_manuscript(source)
    link = report_link(getattr(lib, "root", None), report, target)
    result = render_text(lib, m, marks=marks, report=link, since=since, cito=cito)
    if target.is_dir():
        raise DocumentError("is a folder", file=target, hint="name the output file, e.g. build/paper.md")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DocumentError(f"its folder cannot be made ({e.strerror or e})", file=target, hint="name another output file") from e
    atomic_write(target, result.text)
    return attrs.evolve(result, output=target)
