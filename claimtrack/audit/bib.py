"""Rules about references.bib: parse failures, duplicates, missing fields, unused entries."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from ..errors import ClaimtrackError
from ..fileio import read_input
from .context import BIB_FILE, Context, Draft

__all__ = ["check"]

_PROBLEM_RULES = {
    "parse-failed": ("bib-parse-failed", "fix the entry's syntax (braces, commas, quotes)"),
    "duplicate-key": ("bib-duplicate-key", "rename or delete one of them; BibTeX keeps only the first"),
    "case-collision": ("bib-duplicate-key", "rename or delete one of them; BibTeX treats keys ignoring case"),
    "duplicate-field": ("bib-duplicate-field", "keep one value; BibTeX uses the first"),
    # "missing-field" is covered, field by field, by bib-missing-field below.
}


def check(ctx: Context) -> Iterator[Draft]:
    for problem in getattr(ctx.sources, "problems", ()):
        rule = _PROBLEM_RULES.get(problem.kind)
        if rule is None:
            continue
        name, hint = rule
        # The sources module ends its messages with what to do ("...; rename or delete one"): make that the hint.
        message, _, advice = problem.message.rpartition("; ")
        if not message:
            message, advice = problem.message, hint
        yield Draft(name, message, source=problem.key, hint=advice, file=BIB_FILE, line=problem.line)
    yield from _missing_fields(ctx)
    yield from _unused(ctx)


def _has(fields: dict[str, str], name: str) -> bool:
    value = fields.get(name)
    return bool(value and value.strip())


def _raw_entries(ctx: Context) -> Iterator[tuple[str, int, dict[str, str]]]:
    sources = ctx.sources
    if hasattr(sources, "raw_entries"):
        yield from sources.raw_entries()
        return
    for key in sources:  # any mapping of Source records
        source = sources[key]
        yield key, getattr(source, "line", 0), dict(getattr(source, "fields", {}))


def _missing_fields(ctx: Context) -> Iterator[Draft]:
    # Raw field values: no LaTeX decoding is needed to see whether a field is there.
    for key, line, fields in _raw_entries(ctx):
        missing = []
        if not _has(fields, "title"):
            missing.append("title")
        if not (_has(fields, "author") or _has(fields, "editor")):
            missing.append("author or editor")
        if not (_has(fields, "year") or _has(fields, "date")):
            missing.append("year")
        if missing:
            listed = ", ".join(missing)
            yield Draft(
                "bib-missing-field",
                f"entry '{key}' has no {listed}",
                source=key,
                hint=f"add {listed} to the entry, so readers can find the source",
                file=BIB_FILE,
                line=line or None,
            )


def _unused(ctx: Context) -> Iterator[Draft]:
    used = ctx.cited  # every key used now or anywhere in a history
    unread = _unreadable_texts(ctx)
    for key, line, _ in _raw_entries(ctx):
        if key not in used and not (unread and _named_in(key, unread)):
            yield Draft(
                "bib-unused",
                f"entry '{key}' is cited by no claim",
                source=key,
                hint="cite it with `claimtrack cite ID KEY`, or remove it if no claim needs it",
                file=BIB_FILE,
                line=line or None,
            )


def _unreadable_texts(ctx: Context) -> list[str]:
    """The text of every claim file that does not read (a merge left conflicted, say): what it cites is unknown."""
    texts = []
    for problem in ctx.problems:
        if not problem.file:
            continue
        with contextlib.suppress(ClaimtrackError, OSError):
            texts.append(read_input(ctx.lib.root / problem.file).decode("utf-8", "replace"))
    return texts


def _named_in(key: str, texts: list[str]) -> bool:
    """Whether a file that does not read names ``key`` as a string: on either side of a conflict, it may cite it."""
    quoted = (f'"{key}"', f"'{key}'")
    return any(q in text for text in texts for q in quoted)
