"""Running the audit: every rule group, then settings and per-claim ignores."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LibraryNotFoundError
from ..store import line_of
from ..suggest import did_you_mean
from . import bib, claims, dependencies, duplicates, facts, gitdriver, notices, revisions
from .context import SETTINGS_FILE, Context, Draft
from .findings import RULES, AuditResult, Finding, Findings, Ignored

if TYPE_CHECKING:
    from ..readable import ReadableLibrary

__all__ = ["audit", "audit_all"]

_GROUPS: tuple[Callable[[Context], Iterable[Draft]], ...] = (
    bib.check,
    claims.check,
    revisions.check,
    facts.check,
    dependencies.check,
    notices.check,
    gitdriver.check,
    duplicates.check,
)


def audit_all(lib: ReadableLibrary, *, base: str | None = None) -> AuditResult:
    """Check the whole library; return the findings and the ones claims chose to ignore.

    Raises LibraryNotFoundError when there is no claims/ folder, SettingsError
    for a bad claimtrack.toml and SourceError when references.bib cannot be
    read: those mean the library itself cannot be read. An unreadable claim
    file is a finding (``claim-unreadable``), not an exception.

    With ``base`` (a git revision such as ``origin/main``) every claim is also
    compared with its version there (``rewritten-past``); GitError when the
    library is in no git work tree or ``base`` names no commit.
    """
    if not lib.store.claims_dir.is_dir():
        raise LibraryNotFoundError(
            "has no claims/ folder", file=str(lib.root), hint="run `claimtrack init`, or pass --root DIR of a library"
        )
    # The audit builds many small objects and frees none of them in cycles; with a large library loaded,
    # the cyclic garbage collector would walk every loaded record again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # The cache is trusted by size and time stamp elsewhere; the audit reads every file. Claims loaded already
        # are checked while the rules run on them, and the rules run again on what a checked load reads in the
        # rare case that a file changed behind the cache's back.
        checking = lib.files_checking() if hasattr(lib, "files_checking") else None
        if checking is not None:
            try:
                result = _audit_all(lib, base)
            except BaseException:
                checking.close()
                raise
            if checking.unchanged():
                return result
        lib.check_files()
        return _audit_all(lib, base)
    finally:
        if collecting:
            gc.enable()


def _audit_all(lib: ReadableLibrary, base: str | None) -> AuditResult:
    ctx = Context(lib)
    severities = dict(ctx.settings.rules)
    drafts: list[Draft] = list(_unknown_rules(ctx))
    for group in _GROUPS:
        drafts.extend(group(ctx))
    if base is not None:
        drafts.extend(revisions.against_base(ctx, base))
    lines = _LineFinder(lib)
    findings: list[Finding] = []
    ignored: list[Ignored] = []
    for draft in drafts:
        severity = severities.get(draft.rule, RULES[draft.rule][0])
        if severity == "off":
            continue
        finding = Finding(
            rule=draft.rule,
            severity=severity,
            claim=draft.claim,
            source=draft.source,
            message=draft.message,
            file=draft.file,
            line=draft.line if draft.line is not None else lines.find(draft.file, draft.where),
            hint=draft.hint,
        )
        reason = _ignored_by(ctx, draft)
        if reason is None:
            findings.append(finding)
        else:
            ignored.append(Ignored(finding, reason))
    return AuditResult(
        findings,
        ignored,
        off=tuple(sorted(name for name, severity in severities.items() if severity == "off" and name in RULES)),
        claims=len(ctx.claims),
        sources=len(ctx.sources),
    )


def audit(lib: ReadableLibrary, *, base: str | None = None) -> Findings:
    """The active findings of :func:`audit_all`, sorted by (claim, rule).

    >>> for finding in claimtrack.open(".").audit():        # doctest: +SKIP
    ...     print(finding.severity, finding.rule, finding.claim, finding.message)
    """
    return Findings(audit_all(lib, base=base).findings)


def _ignored_by(ctx: Context, draft: Draft) -> str | None:
    if draft.claim is None or draft.rule == "unknown-rule":
        return None
    claim = ctx.claims.get(draft.claim)
    if claim is None:
        return None
    for item in claim.ignore:
        if item.rule == draft.rule:
            return item.reason
    return None


def _unknown_rules(ctx: Context) -> Iterator[Draft]:
    settings_text = _read(ctx.lib.root / SETTINGS_FILE)
    for name in ctx.settings.rules:
        if name not in RULES:
            yield Draft(
                "unknown-rule",
                f"[rules] names {name!r}, which is not a rule",
                hint=_suggest(name) or "see `claimtrack audit --help` for the rules",
                file=SETTINGS_FILE,
                line=_line_matching(settings_text, rf"^\s*[\"']?{re.escape(name)}[\"']?\s*="),
            )
    for claim, _, _ in ctx.entries:
        for i, item in enumerate(claim.ignore):
            if item.rule not in RULES:
                yield ctx.at(
                    claim,
                    "unknown-rule",
                    f"[[ignore]] names {item.rule!r}, which is not a rule",
                    where=f"ignore[{i}]",
                    hint=_suggest(item.rule) or "see `claimtrack audit --help` for the rules",
                )


def _suggest(name: str) -> str | None:
    return did_you_mean(name, RULES)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _line_matching(text: str, pattern: str) -> int | None:
    match = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


class _LineFinder:
    """Line numbers for dotted keys: from the line maps loaded with the claims, else reading each file once."""

    def __init__(self, lib: ReadableLibrary) -> None:
        self.root = lib.root
        self.claims = lib.claims
        self.texts: dict[str, str] = {}

    def find(self, file: str | None, where: str | None) -> int | None:
        if file is None or where is None:
            return None
        if _is_claim_file(file) and hasattr(self.claims, "key_lines"):
            known = self.claims.key_lines(file[len("claims/") : -len(".toml")])
            if known is not None and where in known:
                return known[where]
        if file not in self.texts:
            self.texts[file] = _read(self.root / file)
        return line_of(self.texts[file], where)


def _is_claim_file(file: str) -> bool:
    return file.startswith("claims/") and file.endswith(".toml")
