"""What an audit returns: findings, ignored findings, the result, and the rule catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

__all__ = ["Finding", "Findings", "Ignored", "AuditResult", "RULES", "SEVERITY_ORDER"]

#: Severities a finding can have, most serious first.
SEVERITY_ORDER = ("error", "warning", "info")

#: Every rule: name -> (default severity, what it checks). ``claimtrack.toml``'s
#: ``[rules]`` table changes a severity or switches a rule ``"off"``.
RULES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # references.bib
        "bib-parse-failed": ("error", "a block of references.bib cannot be parsed"),
        "bib-duplicate-key": ("error", "two entries share a key (letter case ignored, as BibTeX does)"),
        "bib-duplicate-field": ("warning", "an entry sets the same field twice"),
        "bib-missing-field": ("warning", "an entry has no title, no author or editor, or no year"),
        "bib-unused": ("info", "an entry no claim cites as evidence, appearance or revision evidence"),
        # claim files
        "claim-unreadable": ("error", "a claim file cannot be read (bad TOML, wrong types, unknown keys)"),
        # evidence
        "dangling-source": ("error", "a cited key (evidence, appearance, revision evidence) is not in references.bib"),
        "dangling-claim": ("error", "evidence 'claim:<id>' names no claim"),
        "unknown-confidence": ("error", "the confidence is not a level of the library's scale"),
        "unsupported": ("warning", "the confidence level asks for support and no source supports the claim"),
        "under-supported": ("warning", "fewer supporting sources than the confidence level asks for"),
        "contradicted": ("warning", "an active claim has contradicting evidence with no note answering it"),
        # history
        "untracked-edit": ("error", "the file's fields differ from what its revisions give"),
        "broken-seal": ("error", "a revision's digest does not verify: the past was rewritten"),
        "unsealed-revision": ("info", "revisions without a digest (`claimtrack seal` adds them)"),
        "revision-without-reason": ("error", "a revision that needs a reason has none"),
        "span-not-found": ("error", "a span edit's old text does not occur exactly once where it applies"),
        "unreplayable-history": ("error", "the revisions cannot be replayed for another reason"),
        "dates-out-of-order": ("error", "a revision is dated before the one it follows"),
        "date-out-of-range": ("error", "a revision is dated after today (a day's clock skew allowed) or before 1700"),
        "seal-gap": ("error", "an unsealed revision sits above a sealed one (inserted, or its seal stripped)"),
        "seals-lost": ("warning", "a sealed history goes on with unsealed revisions (written by hand, or seals stripped)"),
        "rewritten-past": ("error", "with --base REF: a revision that existed at REF was rewritten, removed or moved"),
        # facts
        "conflicting-facts": ("error", "active claims (or one claim) give different values for one subject and property"),
        # dependencies
        "missing-dependency": ("error", "depends_on names no claim"),
        "dependency-cycle": ("error", "claims depend on each other in a loop"),
        "rests-on-retracted": ("error", "an active claim depends on a retracted or superseded claim"),
        "needs-review": ("warning", "a claim this one rests on was corrected after this one's last revision"),
        # status
        "superseded-without-successor": ("error", "a superseded claim names no existing successor"),
        # duplicates
        "duplicate-claims": ("info", "two active claims state nearly the same thing"),
        # appearances
        "stale-appearance": ("warning", "an appearance still quotes wording a later revision replaced"),
        # notices (claimtrack notices import) and what entries say of themselves
        "retracted-source": ("error", "an active claim cites a retracted or withdrawn source as support"),
        "source-correction": ("warning", "a cited source was corrected (or given an erratum) after the claim's last revision"),
        "expression-of-concern": ("warning", "a cited source got an expression of concern after the claim's last revision"),
        "retraction-signal": ("warning", "a supporting source's title or note says it was retracted or withdrawn"),
        # git
        "unsafe-merge-driver": (
            "error",
            "git's merge driver for claim files is registered in a form that can run a clone's code",
        ),
        # settings
        "unknown-rule": ("warning", "claimtrack.toml or an [[ignore]] names a rule that does not exist"),
    }
)


@attrs.frozen
class Finding:
    """One problem the audit found.

    ``claim`` and/or ``source`` say what it is about; ``file`` and ``line`` where,
    when known; ``hint`` what to do.
    """

    rule: str
    severity: str = attrs.field(validator=attrs.validators.in_(SEVERITY_ORDER))
    claim: str | None = None
    source: str | None = None
    message: str = ""
    file: str | None = None
    line: int | None = None
    hint: str | None = None

    @property
    def location(self) -> str | None:
        """``file:line``, ``file`` or None."""
        if self.file is None:
            return None
        return f"{self.file}:{self.line}" if self.line else self.file

    def as_dict(self) -> dict[str, object]:
        """The finding as plain data (the audit's JSON shape)."""
        return attrs.asdict(self)

    def _repr_html_(self) -> str:
        from ..notebook import findings_table

        return findings_table([self])


class Findings(list[Finding]):
    """The active findings of an audit: a list, which Jupyter shows as a table under how many of each severity."""

    def _repr_html_(self) -> str:
        from ..notebook import findings_table
        from ..views import plural

        count = {s: sum(1 for f in self if f.severity == s) for s in SEVERITY_ORDER}
        caption = f"{plural(count['error'], 'error')}, {plural(count['warning'], 'warning')}, {count['info']} info"
        return findings_table(self, caption=caption)


@attrs.frozen
class Ignored:
    """A finding a claim's ``[[ignore]]`` suppressed, with the reason given there."""

    finding: Finding
    reason: str

    def as_dict(self) -> dict[str, object]:
        """The finding as plain data, with the reason it is ignored."""
        return {**self.finding.as_dict(), "reason": self.reason}


def _sort_key(finding: Finding) -> tuple[str, str, str, int, str]:
    return (finding.claim or "", finding.rule, finding.source or "", finding.line or 0, finding.message)


@attrs.frozen
class AuditResult:
    """Everything one audit run found: the active findings and the ignored ones, both sorted by (claim, rule)."""

    findings: tuple[Finding, ...] = attrs.field(converter=lambda v: tuple(sorted(v, key=_sort_key)))
    ignored: tuple[Ignored, ...] = attrs.field(converter=lambda v: tuple(sorted(v, key=lambda i: _sort_key(i.finding))))
    off: tuple[str, ...] = ()  # rules switched off in claimtrack.toml
    claims: int = 0
    sources: int = 0

    def count(self, severity: str) -> int:
        """How many active findings have this severity."""
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        """How many active findings are errors."""
        return self.count("error")

    @property
    def warnings(self) -> int:
        """How many active findings are warnings."""
        return self.count("warning")

    def failed(self, *, strict: bool = False) -> bool:
        """True when there are errors (with ``strict``, warnings count as errors)."""
        return self.errors > 0 or (strict and self.warnings > 0)

    def summary(self) -> dict[str, int]:
        """Counts of errors, warnings, info findings and ignored ones."""
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "info": self.count("info"),
            "ignored": len(self.ignored),
        }

    def _repr_html_(self) -> str:
        """The findings as a table for Jupyter, under a one-line summary."""
        from ..notebook import findings_table
        from ..views import plural

        s = self.summary()
        counts = f"{plural(s['errors'], 'error')}, {plural(s['warnings'], 'warning')}, {s['info']} info, {s['ignored']} ignored"
        caption = f"{plural(self.claims, 'claim')}, {plural(self.sources, 'source')}: {counts}"
        return findings_table(self.findings, caption=caption)
