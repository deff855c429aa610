"""A claims library is a folder: finding it, making it, and who is writing to it."""

from __future__ import annotations

import contextlib
import functools
import getpass
import os
import subprocess
from pathlib import Path

from .errors import ClaimtrackError, LibraryNotFoundError
from .fileio import TEMP_PREFIX, atomic_write, read_text_input
from .settings import SETTINGS_FILE
from .values import by_from_environment

__all__ = ["BIB_FILE", "default_author", "find_root", "init_library", "is_library"]

BIB_FILE = "references.bib"


def default_author() -> str:
    """``CLAIMTRACK_BY`` when set, else git's user.name, else the login name."""
    preset = by_from_environment()
    return preset if preset is not None else _system_author()


@functools.cache
def _system_author() -> str:
    """git's user.name, else the login name (asked once a process)."""
    try:
        name = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def is_library(folder: Path) -> bool:
    """Whether ``folder`` is a claims library: it holds claims/ or claimtrack.toml."""
    return (folder / "claims").is_dir() or (folder / SETTINGS_FILE).is_file()


def find_root(start: Path) -> Path:
    """Walk up from ``start`` to the first folder holding claims/ or claimtrack.toml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_library(folder):
            return folder
    raise LibraryNotFoundError(
        "no claims library here or in any folder above",
        file=str(start),
        hint="run `claimtrack init`, or pass --root DIR",
    )


def init_library(path: str | Path = ".", *, title: str | None = None) -> Path:
    """Make an empty library: claims/, references.bib, claimtrack.toml, .gitignore.

    Inside a git work tree it also sets up claimtrack's merge driver (see :func:`claimtrack.gitrepo.setup`).
    All or nothing: ``.gitignore`` and ``.gitattributes`` are read before anything is made, and a failure
    part way (a full disk, a read-only folder) removes what was made, so the same command can be run again.
    """
    from .gitrepo import read_attributes, setup_if_in_work_tree

    root = Path(path)
    made: list[Path] = []  # folders and files this call made, in the order made
    ignore = root / ".gitignore"
    old_ignore: str | None = None
    try:
        if (root / "claims").exists() or (root / SETTINGS_FILE).exists():
            raise ClaimtrackError("is already a claims library", file=str(root), hint="use it as it is, or choose another folder")
        old_ignore = read_text_input(ignore)
        read_attributes(root)  # refused now, not after the library is half made
        made += reversed([folder for folder in (root, *root.parents) if not os.path.lexists(folder)])
        root.mkdir(parents=True, exist_ok=True)
        # Written in the folder itself: a library folder named through a link (~/notes -> a synced folder) is
        # the user's own, while a link inside the library is never written through.
        real = root.resolve()
        ignore = real / ".gitignore"
        made.append(real / "claims")
        (real / "claims").mkdir()
        name = title or real.name or "Claims"
        made.append(real / SETTINGS_FILE)
        atomic_write(real / SETTINGS_FILE, _SETTINGS_TEMPLATE.format(title=name.replace("\\", "\\\\").replace('"', '\\"')))
        if not os.path.lexists(real / BIB_FILE):
            made.append(real / BIB_FILE)
            atomic_write(real / BIB_FILE, "")
        lines = old_ignore.splitlines() if old_ignore is not None else []
        # A killed write leaves a temporary file (.ct-tmp-references.bib.*) beside its target until the next
        # write sweeps it: never commit one.
        wanted = [line for line in (".claimtrack/", "report/", f"{TEMP_PREFIX}*") if line not in lines]
        if wanted:
            atomic_write(ignore, "\n".join([*lines, *wanted]) + "\n")
            if old_ignore is None:
                made.append(ignore)
        setup_if_in_work_tree(real)
    except BaseException as e:
        _undo(made, ignore, old_ignore)
        if isinstance(e, OSError):
            raise ClaimtrackError(
                f"cannot make a library here: {e.strerror or e}",
                file=str(root),
                hint="choose a folder you may write to, with a shorter name, on a disk with free space",
            ) from e
        raise
    return root


def _undo(made: list[Path], ignore: Path, old_ignore: str | None) -> None:
    """Remove what a failed :func:`init_library` made, newest first, and put back the ``.gitignore`` it changed."""
    if old_ignore is not None:
        with contextlib.suppress(ClaimtrackError, OSError):
            if read_text_input(ignore) != old_ignore:
                atomic_write(ignore, old_ignore)
    for path in reversed(made):
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                path.rmdir()  # only when empty: nothing this call did not make is removed
            else:
                path.unlink()


_SETTINGS_TEMPLATE = """\
title = "{title}"

# The confidence scale, strongest first, with the supporting sources the audit expects.
[[confidence.levels]]
name = "conclusion"
meaning = "many pieces of evidence support it"
min_support = 2

[[confidence.levels]]
name = "hypothesis"
meaning = "positive evidence, not strong enough"
min_support = 1

[[confidence.levels]]
name = "educated-guess"
meaning = "no hard evidence, some factors point that way"
min_support = 0

# Audit rule severities: error, warning, info or off.
[rules]
"""
