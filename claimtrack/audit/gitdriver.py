"""The rule about how git merges the library's claim files: a registered driver that can run a clone's code."""

from __future__ import annotations

from collections.abc import Iterator

from ..gitrepo import driver_is_unsafe, registered_driver
from .context import Context, Draft

__all__ = ["check"]


def check(ctx: Context) -> Iterator[Draft]:
    command = registered_driver(ctx.lib.root)
    if command is not None and driver_is_unsafe(command):
        yield Draft(
            "unsafe-merge-driver",
            f"git merges claim files with `{command}`, which imports code from the top of the work tree "
            "(a click.py or claimtrack.py a clone ships runs during a merge)",
            file=".git/config",
            hint="run `claimtrack git setup` once: it registers the isolated driver in its place",
        )
