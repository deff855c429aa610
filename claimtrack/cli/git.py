"""Commands for a library kept in git: the merge driver, finishing a merge, and setting them up."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import MergeConflictError
from ..gitrepo import setup
from ..library import Library
from ..mergetext import merge_driver, resolve_files
from ..views import plural
from ._common import echo, handle_errors, main, pass_library


@main.group("git")
def git_group() -> None:
    """Keep a claims library in git: histories that merge.

    \b
    Example:
      claimtrack git setup
    """


@git_group.command("setup")
@pass_library
def git_setup(lib: Library) -> None:
    """Make git merge claim files with claimtrack's driver (once per clone).

    Writes `claims/*.toml merge=claimtrack` to the library's .gitattributes (commit
    it) and registers the driver in the repository's .git/config (not committed:
    every clone runs this once). Then `git merge`, `git rebase` and `git cherry-pick`
    of branches that each added revisions to a claim finish without a conflict.
    Running it again changes nothing.

    \b
    Example:
      claimtrack git setup && git add .gitattributes && git commit -m "Merge claim histories"
    """
    changed = setup(lib.root)
    for line in changed:
        echo(f"set up {line}")
    if not changed:
        echo("already set up: git merges claim files with claimtrack's driver")


@git_group.command("merge-driver", hidden=True)
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("name", default="claim file")
@handle_errors
def git_merge_driver(base: Path, ours: Path, theirs: Path, name: str) -> None:
    """What git runs to merge one claim file (-- %O %A %B %P); `claimtrack git setup` registers it.

    \b
    Example:
      claimtrack git merge-driver -- BASE OURS THEIRS claims/x.toml
    """
    problem = merge_driver(base, ours, theirs, name)
    if problem is not None:
        echo(f"error: {problem}", err=True)
        sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@pass_library
def resolve(lib: Library, files: tuple[Path, ...]) -> None:
    """Finish a merge made without the driver: merge the two sides of conflicted claim files.

    FILES default to every claim file that still holds git's conflict markers.
    Each is merged as `claimtrack git setup`'s driver would have merged it; a
    real conflict (both sides changed the same thing) is refused, one line
    per claim, and then nothing is written.

    \b
    Example:
      claimtrack resolve && git add claims && git commit
    """
    try:
        resolved = resolve_files(lib.store, [Path(f).absolute() for f in files])
    except MergeConflictError as e:
        for conflict in e.conflicts or (e,):
            echo(f"error: {conflict}", err=True)
        sys.exit(2)
    for path, claim in resolved:
        echo(f"resolved {path.name}: {plural(len(claim.revisions), 'revision')}")
    if not resolved:
        echo("no claim file holds conflict markers")
