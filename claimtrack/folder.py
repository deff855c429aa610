"""A claims library is a folder: finding it, making it, and who is writing to it."""

from __future__ import annotations

import functools
import getpass
import subprocess
from pathlib import Path

from .errors import ClaimtrackError, LibraryNotFoundError
from .fileio import TEMP_PREFIX, atomic_write
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
    """
    root = Path(path)
    if (root / "claims").exists() or (root / SETTINGS_FILE).exists():
        raise ClaimtrackError("is already a claims library", file=str(root), hint="use it as it is, or choose another folder")
    root.mkdir(parents=True, exist_ok=True)
    (root / "claims").mkdir()
    name = title or root.resolve().name or "Claims"
    atomic_write(root / SETTINGS_FILE, _SETTINGS_TEMPLATE.format(title=name.replace("\\", "\\\\").replace('"', '\\"')))
    if not (root / BIB_FILE).exists():
        atomic_write(root / BIB_FILE, "")
    ignore = root / ".gitignore"
    lines = ignore.read_text(encoding="utf-8").splitlines() if ignore.exists() else []
    # A killed write leaves a temporary file (.ct-tmp-references.bib.*) beside its target until the next
    # write sweeps it: never commit one.
    wanted = [line for line in (".claimtrack/", "report/", f"{TEMP_PREFIX}*") if line not in lines]
    if wanted:
        atomic_write(ignore, "\n".join([*lines, *wanted]) + "\n")
    from .gitrepo import setup_if_in_work_tree

    setup_if_in_work_tree(root)
    return root


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
