"""What checking a manuscript returns: findings, the result, the rule catalogue and its text and JSON forms."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from ..audit.findings import SEVERITY_ORDER

__all__ = ["CHECK_RULES", "CheckFinding", "CheckResult", "check_as_dict", "render_check_text", "CHECK_JSON_VERSION"]

CHECK_JSON_VERSION = 1

#: Every rule of ``claimtrack check``: name -> (severity, what it finds).
CHECK_RULES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "unknown-claim": ("error", "a citation names no claim of the library (with the nearest id as did-you-mean)"),
        "unreadable-claim": ("error", "a cited claim's file cannot be read"),
        "cites-retracted": ("error", "a citation names a retracted claim"),
        "cites-superseded": ("error", "a citation names a superseded claim (the successor is named)"),
        "cites-retracted-source": (
            "error",
            "a cited claim rests on a retracted source (severity as claimtrack.toml sets the audit's retracted-source)",
        ),
        "states-superseded": ("error", "the citing sentence states a superseded wording of the cited claim"),
        "value-mismatch": ("error", "the citing sentence gives a value for a fact of the claim other than its current one"),
        "cites-needs-review": ("warning", "a cited claim rests on a claim changed after its last revision"),
        "cites-under-supported": ("warning", "a cited claim has fewer supporting sources than its confidence asks for"),
    }
)


@attrs.frozen
class CheckFinding:
    """One problem of a manuscript, at a 1-based line and column of its file."""

    rule: str
    severity: str = attrs.field(validator=attrs.validators.in_(SEVERITY_ORDER))
    file: str
    line: int
    column: int
    claim: str
    message: str
    hint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


def _order(finding: CheckFinding) -> tuple[str, int, int, str, str]:
    return (finding.file, finding.line, finding.column, finding.rule, finding.claim)


@attrs.frozen
class CheckResult:
    """Every finding of one check run, in file and line order, and what was looked at."""

    findings: tuple[CheckFinding, ...] = attrs.field(converter=lambda v: tuple(sorted(v, key=_order)))
    files: tuple[str, ...] = ()
    citations: int = 0  # claim citations read, over all files

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def failed(self, *, strict: bool = False) -> bool:
        """True when there are errors (with ``strict``, warnings count as errors)."""
        return self.errors > 0 or (strict and self.warnings > 0)


def check_as_dict(result: CheckResult, *, strict: bool = False) -> dict[str, Any]:
    """The result as plain data: ``{"version", "summary", "findings"}``."""
    return {
        "version": CHECK_JSON_VERSION,
        "summary": {
            "errors": result.errors,
            "warnings": result.warnings,
            "files": list(result.files),
            "citations": result.citations,
            "strict": strict,
            "failed": result.failed(strict=strict),
        },
        "findings": [f.as_dict() for f in result.findings],
    }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def render_check_text(result: CheckResult, *, strict: bool = False) -> str:
    """One line per finding (``file:line:column: severity rule: message (hint)``) and a summary line."""
    lines = []
    for f in result.findings:
        hint = f" ({f.hint})" if f.hint else ""
        lines.append(f"{f.file}:{f.line}:{f.column}: {f.severity} {f.rule}: {f.message}{hint}")
    summary = (
        f"{_plural(result.errors, 'error')}, {_plural(result.warnings, 'warning')} in "
        f"{_plural(len(result.files), 'file')} ({_plural(result.citations, 'claim citation')})"
    )
    if strict and result.warnings:
        summary += " (--strict: warnings count as errors)"
    lines.append(summary)
    return "\n".join(lines)
