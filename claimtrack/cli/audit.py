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
@pass_library
def audit(lib: Library, fmt: str, strict: bool) -> None:
    """Check the whole library: sources, evidence, history, facts, dependencies.

    Every problem is reported in one run. Exit status: 0 when there are no
    errors, 1 when there are (with --strict, warnings too), 2 when the library
    itself cannot be read (no library, a bad claimtrack.toml, an unreadable
    references.bib). An unreadable claim file is an error finding, exit 1.

    \b
    Example:
      claimtrack audit
      claimtrack audit --format json --strict
    """
    result = audit_all(lib)
    if fmt == "json":
        echo(to_json(as_dict(result, strict=strict)))
    else:
        echo(render_text(result, strict=strict))
    sys.exit(1 if result.failed(strict=strict) else 0)
