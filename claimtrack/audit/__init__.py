"""The audit: check a whole library and report every problem at once.

A dangling citation, an under-supported "conclusion", two claims giving
different numbers for one fact, a claim resting on one since corrected: each
becomes a :class:`Finding` with a rule name, a severity, what it is about,
where, and what to do.

>>> result = audit_all(claimtrack.open("."))              # doctest: +SKIP
>>> result.summary()                                      # doctest: +SKIP
{'errors': 0, 'warnings': 2, 'info': 5, 'ignored': 1}

Rule groups live one per module: ``bib`` (references.bib), ``claims`` (each
claim on its own), ``revisions`` (history), ``facts``, ``dependencies``.
"""

from __future__ import annotations

from .findings import RULES, SEVERITY_ORDER, AuditResult, Finding, Findings, Ignored
from .output import as_dict, render_text
from .run import audit, audit_all

__all__ = [
    "audit",
    "audit_all",
    "Finding",
    "Findings",
    "Ignored",
    "AuditResult",
    "RULES",
    "SEVERITY_ORDER",
    "as_dict",
    "render_text",
]
