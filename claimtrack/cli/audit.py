"""The audit command."""

from __future__ import annotations

import sys

import click

from ..audit import RULES, as_dict, audit_all, render_text
from ..library import Library
from ._common import echo, format_option, main, pass_library, to_json

_RULE_LIST = "\n".join(f"  {name:<29}{severity:<9}{what}" for name, (severity, what) in RULES.items())


@main.command(
    epilog="\b\nRules (default severity), changed in claimtrack.toml's [rules] or per claim with [[ignore]]:\n" + _RULE_LIST
)
@format_option("text", "json")
@click.option("--strict", is_flag=True, help="Count warnings as errors for the exit status.")
@click.option(
    "--base",
    "base",
    default=None,
    metavar="REF",
    help="Also check against git: every revision at REF (e.g. origin/main) must still be there, unchanged and in place.",
)
@pass_library
def audit(lib: Library, fmt: str, strict: bool, base: str | None) -> None:
    """Check the whole library: sources, evidence, history, facts, dependencies.

    Every problem is reported in one run. Exit status: 0 when there are no
    errors, 1 when there are (with --strict, warnings too), 2 when the library
    itself cannot be read (no library, a bad claimtrack.toml, an unreadable
    references.bib). An unreadable claim file is an error finding, exit 1.

    With --base REF the past is also compared with git's version at REF: a
    revision rewritten, removed or moved since (even if sealed again) is an
    error naming the claim, the revision and the commit.

    \b
    Example:
      claimtrack audit
      claimtrack audit --format json --strict
      claimtrack audit --base origin/main
    """
    result = audit_all(lib, base=base)
    if fmt == "json":
        echo(to_json(as_dict(result, strict=strict)))
    else:
        echo(render_text(result, strict=strict))
    sys.exit(1 if result.failed(strict=strict) else 0)
