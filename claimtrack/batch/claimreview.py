"""Published fact-checks: schema.org ClaimReview JSON-LD read into batch rows and BibTeX entries.

A file may hold one ClaimReview object, a list of them, a JSON-LD ``@graph``, or
be a web page whose ``<script type="application/ld+json">`` blocks hold them.
Each review becomes one claim:

* ``claimReviewed`` is the statement (required);
* ``reviewRating.alternateName`` names a level of the library's scale (matched
  without regard to case, spaces or hyphens), so a fact-checker's library
  defines its scale in claimtrack.toml (``true`` ... ``false``); a rating with
  no ``alternateName`` is placed on the scale by ``ratingValue`` between
  ``worstRating`` and ``bestRating``;
* the review itself (``url``, ``author``, ``datePublished``) becomes a BibTeX
  entry, the claim's evidence (supporting when the rating is in the upper half
  of the scale, contradicting in the lower half, mentioning in the middle), and
  its ``created`` revision's author and date;
* ``itemReviewed.appearance`` and ``firstAppearance`` become appearances, each
  a BibTeX entry of its own.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import ClaimtrackError
from ..model import ConfidenceScale
from .build import Row, raise_problems
from .ids import id_from_words, slug, unique_id

__all__ = ["read_claimreview", "is_claimreview"]

_SCRIPT = re.compile(r"<script\b[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>", re.I | re.S)
_BIB_ESCAPE = str.maketrans({"{": "", "}": "", "\\": "", "%": r"\%", "&": r"\&", "#": r"\#", "_": r"\_", "$": r"\$"})


def is_claimreview(text: str) -> bool:
    """Whether the text looks like ClaimReview markup (a JSON-LD page or JSON naming the type)."""
    return "ClaimReview" in text and ("claimReviewed" in text or "application/ld+json" in text)


def _types(node: Mapping[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds if k}


def _walk(node: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, Mapping):
        if "ClaimReview" in _types(node):
            yield node
        elif "@graph" in node:
            yield from _walk(node["@graph"])


def _documents(text: str, file: str) -> list[tuple[Any, int]]:
    """The JSON documents of the file with the line each starts on (a page's ld+json blocks, or the file)."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        blocks = [(text, 1)]
    else:
        blocks = [
            (html.unescape(m.group(1)) if "&quot;" in m.group(1) else m.group(1), text.count("\n", 0, m.start(1)) + 1)
            for m in _SCRIPT.finditer(text)
        ]
        if not blocks:
            raise_problems(
                [
                    ClaimtrackError(
                        "holds no ClaimReview JSON-LD", file=file, hint="give a JSON-LD file or a page with ld+json blocks"
                    )
                ],
                file,
            )
    out, problems = [], []
    for block, line in blocks:
        try:
            out.append((json.loads(block), line))
        except json.JSONDecodeError as e:
            problems.append(
                ClaimtrackError(f"is not JSON ({e.msg})", file=file, line=line + e.lineno - 1, hint="fix the JSON-LD")
            )
        except RecursionError:
            problems.append(ClaimtrackError("is nested too deeply", file=file, line=line, hint="fix the JSON-LD"))
    raise_problems(problems, file)
    return out


def _name(value: Any) -> str | None:
    """A person's or organisation's name (or the first of several), else its URL."""
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return " and ".join(names) or None
    if isinstance(value, Mapping):
        for key in ("name", "alternateName", "url", "@id"):
            if isinstance(value.get(key), str) and value[key].strip():
                return str(value[key]).strip()
        return None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _date(value: Any) -> str | None:
    text = _text(value)
    return text[:10] if text else None


def _level(rating: Any, scale: ConfidenceScale) -> tuple[str | None, str]:
    """The scale's level for a rating, and how the rating reads (for messages)."""
    if not isinstance(rating, Mapping):
        return None, "no reviewRating"
    names = {slug(name): name for name in scale.names}
    label = _text(rating.get("alternateName")) or _text(rating.get("name"))
    if label is not None:
        return names.get(slug(label)), repr(label)
    try:
        value = float(rating["ratingValue"])
        best = float(rating.get("bestRating", 5))
        worst = float(rating.get("worstRating", 1))
    except (KeyError, TypeError, ValueError):
        return None, "a rating with neither alternateName nor a numeric ratingValue"
    if best == worst or not min(best, worst) <= value <= max(best, worst):
        return None, f"ratingValue {rating.get('ratingValue')!r} outside {worst:g}..{best:g}"
    position = (value - worst) / (best - worst)  # 1 at the best rating
    return scale.names[round((1 - position) * (len(scale.names) - 1))], f"ratingValue {value:g} of {worst:g}..{best:g}"


def _short(author: str | None) -> str | None:
    """A word for an author in a citation key: an organisation's first word, or a URL's site name."""
    if not author:
        return None
    site = re.match(r"\w+://(?:www\.)?([^/.]+)", author)
    return site.group(1) if site else author.split()[0]


def _stance(level: str, scale: ConfidenceScale) -> str:
    rank, middle = scale.rank(level), (len(scale.names) - 1) / 2
    return "supports" if rank < middle else "contradicts" if rank > middle else "mentions"


def _bib(kind: str, key: str, fields: Mapping[str, str | None]) -> str:
    def braced(name: str, value: str) -> str:
        if name == "url":
            return value
        text = value.translate(_BIB_ESCAPE)
        return "{" + text + "}" if name == "author" else text  # an organisation's name is not split into persons

    body = ",\n".join(f"  {name} = {{{braced(name, value)}}}" for name, value in fields.items() if value)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def read_claimreview(text: str, *, file: str, scale: ConfidenceScale, known: Mapping[str, Any]) -> tuple[list[Row], str]:
    """Rows and the BibTeX entries to add for every ClaimReview of ``text``; ``known`` holds the library's keys and ids."""
    problems: list[ClaimtrackError] = []
    rows: list[Row] = []
    entries: dict[str, str] = {}
    taken: set[str] = set()
    number = 0
    for document, line in _documents(text, file):
        for review in _walk(document):
            number += 1
            where = f"ClaimReview {number}"
            row, found = _review(review, file, line, where, scale, known, taken, entries)
            problems.extend(found)
            if row is not None:
                rows.append(row)
    if not number and not problems:
        problems.append(ClaimtrackError("holds no ClaimReview", file=file, hint='give objects with "@type": "ClaimReview"'))
    raise_problems(problems, file)
    return rows, "\n".join(entries.values())


def _review(
    review: Mapping[str, Any],
    file: str,
    line: int,
    where: str,
    scale: ConfidenceScale,
    known: Mapping[str, Any],
    taken: set[str],
    entries: dict[str, str],
) -> tuple[Row | None, list[ClaimtrackError]]:
    def problem(message: str, hint: str) -> ClaimtrackError:
        return ClaimtrackError(f"{where}: {message}", file=file, line=line, hint=hint)

    statement = _text(review.get("claimReviewed"))
    if statement is None:
        return None, [problem("has no claimReviewed", "give the claim the review checks as claimReviewed")]
    level, rating = _level(review.get("reviewRating"), scale)
    if level is None:
        return None, [
            problem(
                f"rating {rating} is not a confidence level",
                "use one of " + ", ".join(scale.names) + ", or define the fact-checker's scale in claimtrack.toml",
            )
        ]
    author = _name(review.get("author")) or _name(review.get("publisher"))
    published = _date(review.get("datePublished"))
    url = _text(review.get("url"))
    claim_id = unique_id(id_from_words(statement), taken | set(known))
    taken.add(claim_id)
    year = published[:4] if published else None
    key = unique_id(slug("-".join(filter(None, [_short(author), year, claim_id])))[:60].strip("-"), set(entries) | set(known))
    entries[key] = _bib(
        "misc",
        key,
        {"title": f"Fact check: {statement}", "author": author, "date": published,
         "year": year, "url": url, "note": f"ClaimReview rating: {rating.strip(chr(39))}"},
    )  # fmt: skip
    raw: dict[str, Any] = {
        "id": claim_id,
        "statement": statement,
        "confidence": level,
        "evidence": [
            {"source": key, "stance": _stance(level, scale), "note": f"the fact-check rates it {rating.strip(chr(39))}"}
        ],
    }
    if published:
        raw["date"] = published
    if author:
        raw["by"] = author
    if url:
        raw["note"] = f"from the ClaimReview at {url}"
    appearances = _appearances(review.get("itemReviewed"), known, entries)
    if appearances:
        raw["appearances"] = appearances
    return Row(raw, file, line, where=where), []


def _appearances(item: Any, known: Mapping[str, Any], entries: dict[str, str]) -> list[dict[str, str]]:
    if not isinstance(item, Mapping):
        return []
    works: list[Any] = []
    for name in ("firstAppearance", "appearance"):
        value = item.get(name)
        works.extend(value if isinstance(value, list) else [value] if value is not None else [])
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for work in works:
        url = work if isinstance(work, str) else _text(work.get("url")) if isinstance(work, Mapping) else None
        if not url or url in seen:
            continue
        seen.add(url)
        key = next((k for k, entry in entries.items() if f"url = {{{url}}}" in entry), None)
        if key is None:
            key = unique_id(slug(re.sub(r"^\w+://(www\.)?", "", url))[:50].strip("-") or "appearance", set(entries) | set(known))
            fields: dict[str, str | None] = {"url": url}
            if isinstance(work, Mapping):
                fields = {
                    "title": _text(work.get("headline")) or _text(work.get("name")),
                    "author": _name(work.get("author")),
                    "date": _date(work.get("datePublished")),
                    "url": url,
                }
            entries[key] = _bib("misc", key, fields)
        appearance = {"document": key}
        if isinstance(work, Mapping) and (title := _text(work.get("headline")) or _text(work.get("name"))):
            appearance["locator"] = title
        out.append(appearance)
    return out
