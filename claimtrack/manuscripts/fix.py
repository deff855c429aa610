"""``stale --fix``: put the current wording into each stale passage whose change is a span edit.

Each passage the stale engine finds is looked for in the file's running text
(the sentence on its line most like the one found, holding the old span as
whole words); the old span is replaced by the new one, or with ``tracked`` by
``~~old~~ new (corrected by NAME)`` (LaTeX: ``\\sout{old} new ...``), NAME
being the person the revision credits, else its author; the new text and
NAME come from the library, so they are escaped for the document's format
(Markdown, LaTeX). A passage whose
change is not a span edit (a whole new statement, a retraction) is listed
with the suggested text and left alone, as is one that cannot be found.

Nothing else changes, byte for byte: each file is written all at once and only
when something was fixed, with its byte-order mark and permissions kept. A
fixed passage no longer holds the old span, so fixing again changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..documents.reading import MARKDOWN_SUFFIXES, read_text
from ..fileio import atomic_write
from .escaping import latex_text, markdown_text
from .reading import parse_manuscript
from .records import Manuscript
from .spans import find_span, sentence_near
from .staleness import StaleEngine, StalePassage, stale_in_documents

__all__ = ["FixedPassage", "UnfixedPassage", "FixResult", "fix_stale", "plan_fixes"]

_BOM = "\ufeff".encode()
_MARKDOWN = MARKDOWN_SUFFIXES | {".qmd", ".rmd"}


def _one_line(text: str) -> str:
    return " ".join(text.split())


@attrs.frozen
class FixedPassage:
    """A passage rewritten: the text replaced (as it was in the file) and what replaced it."""

    claim: str
    line: int
    old: str
    new: str

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class UnfixedPassage:
    """A stale passage left as it is: why, and the text suggested in its place."""

    claim: str
    line: int
    sentence: str
    reason: str
    suggestion: str

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class FixResult:
    """What fixing did to one file."""

    file: str
    fixed: tuple[FixedPassage, ...] = ()
    unfixed: tuple[UnfixedPassage, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.fixed)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "fixed": [f.to_dict() for f in self.fixed], "unfixed": [u.to_dict() for u in self.unfixed]}


def _replacement(m: Manuscript, found: str, new: str, *, tracked: bool, name: str) -> str:
    """What replaces ``found``: the library's new text (and credited name) escaped for the document's format."""
    if found[:1].isupper() and new[:1].islower():
        new = new[0].upper() + new[1:]  # the span opened the sentence
    escape = latex_text if m.syntax == "latex" else markdown_text
    if not tracked and m.syntax != "latex" and Path(str(m.path)).suffix.casefold() not in _MARKDOWN:
        escape = _one_line  # plain text: nothing to escape but a line break
    new = escape(new)
    if not tracked:
        return new
    credit = f" (corrected by {escape(name)})" if name else ""
    struck = f"\\sout{{{found}}}" if m.syntax == "latex" else f"~~{found}~~"
    return f"{struck} {new}{credit}" if new else f"{struck}{credit}"


def _why_not(passage: StalePassage) -> tuple[str, str]:
    """Why a passage cannot be fixed in place, and the text suggested instead."""
    if passage.kind == "retracted":
        return "the claim was retracted", "remove the passage, or rewrite it without the claim"
    if passage.kind == "superseded":
        return f"the claim was superseded by {passage.successor!r}", passage.current
    return "the whole statement changed", passage.current


def plan_fixes(m: Manuscript, passages: Sequence[StalePassage], claims: Any, *, tracked: bool = False
               ) -> tuple[str, FixResult]:  # fmt: skip
    """The manuscript's text with the fixable passages rewritten, and what was and was not fixed."""
    edits: list[tuple[int, int, str]] = []
    fixed, unfixed = [], []
    for passage in sorted(passages, key=lambda p: (p.line, p.claim)):
        if not passage.span_edit or not passage.changes:
            reason, suggestion = _why_not(passage)
            unfixed.append(UnfixedPassage(passage.claim, passage.line, passage.sentence, reason, suggestion))
            continue
        revision = claims[passage.claim].revisions[passage.revision]
        located = []
        for old, new in passage.changes:  # every changed span the passage still states, not only the first
            sentence = sentence_near(m, passage.line, passage.sentence, old)
            span = find_span(m, old, sentence.start, sentence.end) if sentence else None
            if span is not None:
                located.append((old, new, span))
        if not located:
            old = passage.changes[0][0]
            unfixed.append(UnfixedPassage(passage.claim, passage.line, passage.sentence,
                                          f"{old!r} was not found in the running text there", passage.current))  # fmt: skip
            continue
        for _, new, span in located:
            if any(a < span[1] and span[0] < b for a, b, _ in edits):
                unfixed.append(UnfixedPassage(passage.claim, passage.line, passage.sentence,
                                              "it overlaps another fix in the same sentence", passage.current))  # fmt: skip
                continue
            found = m.text[span[0] : span[1]]
            text = _replacement(m, found, new, tracked=tracked, name=revision.credited or revision.by)
            edits.append((span[0], span[1], text))
            fixed.append(FixedPassage(passage.claim, m.position(span[0])[0], found, text))
    out = m.text
    for start, end, text in sorted(edits, reverse=True):
        out = out[:start] + text + out[end:]
    return out, FixResult(str(m.path), tuple(fixed), tuple(unfixed))


def fix_stale(lib: Any, paths: Iterable[str | Path], *, tracked: bool = False) -> list[FixResult]:
    """Find the stale passages of each document and rewrite the ones that can be; one result per document.

    >>> [r.to_dict() for r in fix_stale(lib, ["notes.md"], tracked=True)]  # doctest: +SKIP
    [{'file': 'notes.md', 'fixed': [{'claim': 'cdv2-context', 'line': 3, 'old': '4096',
      'new': '~~4096~~ 8192 (corrected by A. Reader)'}], 'unfixed': []}]
    """
    files = [Path(p) for p in paths]
    texts = {str(p): read_text(p) for p in files}  # every file readable before any is written
    engine = StaleEngine(lib)
    found = stale_in_documents(lib, files, engine)
    results = []
    writes = []
    for path in files:
        passages = found.get(str(path), [])
        if not passages:
            results.append(FixResult(str(path)))
            continue
        m = parse_manuscript(texts[str(path)], path=path)
        text, result = plan_fixes(m, passages, lib.claims, tracked=tracked)
        results.append(result)
        if result.changed:
            writes.append((path, text))
    for path, text in writes:
        _write_like(path, text)
    return _with_what_is_left(lib, engine, results, [path for path, _ in writes])


def _with_what_is_left(lib: Any, engine: StaleEngine, results: list[FixResult], written: list[Path]) -> list[FixResult]:
    """The results, with every passage the written files still state counted as left (so "0 left" is the truth)."""
    if not written:
        return results
    again = stale_in_documents(lib, written, engine)
    out = []
    for result in results:
        listed = {(u.claim, u.line) for u in result.unfixed}
        left = [p for p in again.get(result.file, []) if (p.claim, p.line) not in listed]
        more = tuple(
            UnfixedPassage(p.claim, p.line, p.sentence, f"still stale after the fix ({p.why})", _why_not(p)[1]) for p in left
        )
        out.append(attrs.evolve(result, unfixed=result.unfixed + more) if more else result)
    return out


def _write_like(path: Path, text: str) -> None:
    """Write ``text`` over ``path`` at once, keeping its byte-order mark and permissions."""
    bom = path.read_bytes()[:3] == _BOM
    mode = path.stat().st_mode
    atomic_write(path, (_BOM if bom else b"") + text.encode("utf-8"))
    os.chmod(path, mode & 0o7777)
