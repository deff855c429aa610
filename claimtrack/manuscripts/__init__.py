"""Manuscripts that cite claims: check a paper against the library, render it, fix stale passages.

A Markdown or Quarto paper cites a claim with pandoc's syntax and a ``claim:``
prefix (``[@claim:cdv2-context-window]``, ``[@claim:a; @claim:b]``, an in-text
``@claim:a``); a LaTeX paper with ``\\claim{id}`` or ``\\claim{a,b}``.

>>> import claimtrack.manuscripts as ms
>>> result = ms.check_manuscripts(lib, ["paper.md"])                    # doctest: +SKIP
>>> ms.render_manuscript(lib, "paper.md", "build/paper.md", marks=True)  # doctest: +SKIP
>>> ms.fix_stale(lib, ["notes.md"], tracked=True)                        # doctest: +SKIP
"""

from .check import check_manuscript, check_manuscripts
from .corrections import Correction, corrections_since
from .findings import CHECK_RULES, CheckFinding, CheckResult, check_as_dict, render_check_text
from .fix import FixedPassage, FixResult, UnfixedPassage, fix_stale
from .reading import parse_manuscript, read_manuscript
from .records import CitationGroup, CitationItem, Manuscript, Sentence
from .render import DEFAULT_REPORT, RenderResult, render_manuscript, render_text
from .staleness import StalePassage
from .values import ValueMismatch, quantities, value_mismatches

__all__ = [
    "check_manuscripts",
    "check_manuscript",
    "render_manuscript",
    "render_text",
    "fix_stale",
    "read_manuscript",
    "parse_manuscript",
    "corrections_since",
    "value_mismatches",
    "quantities",
    "check_as_dict",
    "render_check_text",
    "CHECK_RULES",
    "CheckFinding",
    "CheckResult",
    "RenderResult",
    "FixResult",
    "FixedPassage",
    "UnfixedPassage",
    "StalePassage",
    "ValueMismatch",
    "Correction",
    "Manuscript",
    "CitationGroup",
    "CitationItem",
    "Sentence",
    "DEFAULT_REPORT",
]
