"""The git repository a library lives in, through the ``git`` command itself.

git is run as a subprocess: it is already on every machine that holds such a
repository, it reads every repository layout and configuration git itself
reads (worktrees, packed refs, partial clones), and it needs no compiled
binding. Nothing here touches the network.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from .errors import GitError
from .fileio import atomic_write, read_text_input

__all__ = [
    "Repo",
    "Commit",
    "open_repo",
    "setup",
    "setup_if_in_work_tree",
    "is_set_up",
    "ATTRIBUTES_LINE",
    "DRIVER",
    "driver_command",
    "driver_is_unsafe",
    "read_attributes",
    "registered_driver",
]

#: The driver's name in ``.gitattributes`` and git's config.
DRIVER = "claimtrack"
#: The line ``claimtrack git setup`` puts in the library's ``.gitattributes``.
ATTRIBUTES_LINE = f"claims/*.toml merge={DRIVER}"


@attrs.frozen
class Commit:
    """One commit: its hash, author and author date (ISO 8601)."""

    hash: str
    author: str
    email: str
    date: str

    @property
    def short(self) -> str:
        return self.hash[:10]


def _environment() -> dict[str, str]:
    # Plain, stable output whatever the user's settings: no pager, no prompts, C locale messages.
    return dict(os.environ, GIT_PAGER="cat", GIT_TERMINAL_PROMPT="0", LC_ALL="C")


def _run(args: Sequence[str], cwd: Path, *, data: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, env=_environment(), timeout=300)
    except FileNotFoundError as e:
        raise GitError("git is not installed", hint="install git, or run without the git options") from e
    except (OSError, subprocess.SubprocessError) as e:
        raise GitError(f"git could not be run: {e}", file=str(cwd), hint="check that git works here") from e
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(
            f"git {args[0]} failed: {message[-1] if message else f'exit status {done.returncode}'}",
            file=str(cwd),
            hint="check the repository with `git status`",
        )
    return done


def open_repo(path: Path) -> Repo:
    """The git work tree holding ``path``; GitError outside one."""
    done = _run(["rev-parse", "--show-toplevel"], path, check=False)
    if done.returncode != 0:
        raise GitError(
            "is not in a git work tree",
            file=str(path),
            hint="run `git init` there first, or use a library inside a git repository",
        )
    return Repo(Path(done.stdout.decode().strip()).resolve())


@attrs.frozen
class Repo:
    """A git work tree."""

    top: Path

    def git(self, *args: str, data: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return _run(args, self.top, data=data, check=check)

    def relative(self, path: Path) -> str:
        """``path`` as git names it: relative to the top of the work tree, with forward slashes."""
        return path.resolve().relative_to(self.top).as_posix()

    def commit_of(self, ref: str) -> str:
        """The full hash of the commit ``ref`` names; GitError when it names none."""
        done = self.git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", check=False)
        if done.returncode != 0:
            raise GitError(f"{ref!r} names no commit", file=str(self.top), hint=self._ref_hint(ref))
        return done.stdout.decode().strip()

    def ref_names(self) -> list[str]:
        """The branches (local and remote-tracking) and tags here, by their short names, and HEAD."""
        done = self.git("for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes", "refs/tags", check=False)
        names = done.stdout.decode("utf-8", "replace").split() if done.returncode == 0 else []
        return ["HEAD", *names]

    def _ref_hint(self, ref: str) -> str:
        """What to give instead of ``ref``: the closest branch or tag name, else a few that exist; never ``ref`` itself."""
        from .suggest import did_you_mean

        names = [name for name in self.ref_names() if name != ref]
        guess = _one_slip(ref, names) or did_you_mean(ref, names)
        if guess:
            return f"{guess} (a branch, tag or commit that exists here)"
        branches = [name for name in names if name != "HEAD" and not name.endswith("/HEAD")][:5]
        example = f"; here: {', '.join(branches)}" if branches else ""
        return f"give a branch, tag or commit that exists here (fetch it first){example}"

    def has_commits(self) -> bool:
        return self.git("rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0

    def files_at(self, commit: str, folder: str) -> list[str]:
        """The paths of the files directly in ``folder`` at ``commit`` (none when it did not exist)."""
        prefix = folder.rstrip("/") + "/" if folder else ""
        done = self.git("ls-tree", "-z", "--name-only", commit, "--", prefix or ".", check=False)
        if done.returncode != 0:
            return []
        return [name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name]

    def changed_since(self, commit: str, folder: str) -> list[str]:
        """The tracked files under ``folder`` whose work-tree content differs from ``commit`` (changed or deleted)."""
        done = self.git("diff", "-z", "--name-only", "--no-renames", "--no-ext-diff", commit, "--", folder or ".")
        return [name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name]

    def read_many(self, specs: Iterable[str]) -> dict[str, bytes | None]:
        """The contents of ``commit:path`` objects in one git process; None for one that does not exist."""
        specs = list(dict.fromkeys(specs))
        if not specs:
            return {}
        data = "".join(f"{spec}\n" for spec in specs).encode("utf-8", "surrogateescape")
        out = self.git("cat-file", "--batch", data=data).stdout
        found: dict[str, bytes | None] = {}
        position = 0
        for spec in specs:
            end = out.index(b"\n", position)
            header = out[position:end].split()
            position = end + 1
            if len(header) < 3 or header[-1] == b"missing":
                found[spec] = None
                continue
            size = int(header[2])
            found[spec] = out[position : position + size]
            position += size + 1
        return found

    def log(self, path: str) -> list[Commit]:
        """The commits that changed ``path``, parents before children (oldest first)."""
        done = self.git("log", "--topo-order", "--reverse", "--format=%H%x00%an%x00%ae%x00%aI", "--", path)
        commits = []
        for line in done.stdout.decode("utf-8", "replace").splitlines():
            commit, author, email, date = line.split("\0")
            commits.append(Commit(commit, author, email, date))
        return commits

    def merge_file(self, ours: Path, base: Path, theirs: Path, name: str) -> int:
        """git's own line merge of three files into ``ours``, with conflict markers; the number of conflicts."""
        labels = ("-L", f"{name} (ours)", "-L", f"{name} (base)", "-L", f"{name} (theirs)")
        done = self.git("merge-file", *labels, str(ours), str(base), str(theirs), check=False)
        if done.returncode < 0:
            raise GitError("git merge-file failed", file=name, hint="merge the file by hand")
        return done.returncode

    def config(self, key: str) -> str | None:
        done = self.git("config", "--local", "--get", key, check=False)
        return done.stdout.decode().strip() if done.returncode == 0 else None


def _one_slip(word: str, names: Sequence[str]) -> str | None:
    """The "did you mean 'x'?" for a name one typing slip away (``mian`` for ``main``), before any looser likeness."""
    from rapidfuzz.distance import OSA

    near = [(OSA.distance(word, name), name) for name in names]
    best = min(near, default=None)
    return f"did you mean {best[1]!r}?" if best and best[0] <= max(1, len(word) // 4) else None


def driver_command() -> str:
    """The command git runs to merge a claim file: this Python, isolated (``-I``), running this claimtrack's
    driver script by its absolute path, with the paths after ``--``.

    git runs it at the top of the work tree, which a stranger may have filled: nothing there is ever imported
    (see :mod:`claimtrack.mergedriver`), and a path starting with ``-`` is never read as an option.
    """
    script = Path(__file__).resolve().with_name("mergedriver.py")
    return f"{shlex.quote(sys.executable)} -I {shlex.quote(str(script))} -- %O %A %B %P"


def driver_is_unsafe(command: str) -> bool:
    """Whether a registered driver command can import code from the work tree or read a path as an option.

    Every command an earlier claimtrack registered (``python -m claimtrack git merge-driver %O %A %B %P``)
    is; a command of another program is not claimtrack's to judge.
    """
    words = command.split()
    ours = "claimtrack" in command and ("merge-driver" in words or "mergedriver.py" in command)
    return ours and command != driver_command() and ("-I" not in words or "--" not in words)


def setup(root: Path) -> list[str]:
    """Make git merge the library's claim files with claimtrack's driver; return what was changed (nothing the second time).

    Writes ``claims/*.toml merge=claimtrack`` to the library's ``.gitattributes``
    and registers the driver in the repository's own config (``.git/config``,
    which is not committed: each clone runs this once).
    """
    repo = open_repo(root)
    changed = []
    attributes = root / ".gitattributes"
    text = read_attributes(root)
    if ATTRIBUTES_LINE not in (line.strip() for line in text.splitlines()):
        atomic_write(attributes, text + ("\n" if text and not text.endswith("\n") else "") + ATTRIBUTES_LINE + "\n")
        changed.append(f"{repo.relative(attributes)}: {ATTRIBUTES_LINE}")
    for key, value in ((f"merge.{DRIVER}.name", "claimtrack claim histories"), (f"merge.{DRIVER}.driver", driver_command())):
        old = repo.config(key)
        if old != value:
            repo.git("config", "--local", key, value)
            unsafe = key.endswith(".driver") and old is not None and driver_is_unsafe(old)
            changed.append(
                f"git config {key}" + (" (replaced an unsafe command that could run code from the work tree)" if unsafe else "")
            )
    return changed


def read_attributes(root: Path) -> str:
    """The text of the library's ``.gitattributes`` ("" when it has none); ClaimtrackError in one line when it
    is not a regular UTF-8 text file (a folder, a FIFO, other bytes)."""
    return read_text_input(root / ".gitattributes") or ""


def setup_if_in_work_tree(root: Path) -> list[str]:
    """:func:`setup` when ``root`` is in a git work tree (and git is installed); else nothing."""
    try:
        return setup(root)
    except GitError:
        return []


def registered_driver(root: Path) -> str | None:
    """The merge driver command registered for claim files in the git repository holding ``root``; None outside one
    (found without running git when no folder above holds ``.git``) or when none is registered."""
    here = root.resolve()
    if not any(os.path.lexists(folder / ".git") for folder in (here, *here.parents)):
        return None
    try:
        return open_repo(root).config(f"merge.{DRIVER}.driver")
    except GitError:
        return None


def is_set_up(root: Path) -> bool:
    """True when ``root`` is in a git work tree whose config and ``.gitattributes`` use claimtrack's driver."""
    try:
        repo = open_repo(root)
    except GitError:
        return False
    lines = read_attributes(root).splitlines()
    driver = repo.config(f"merge.{DRIVER}.driver")
    return driver is not None and not driver_is_unsafe(driver) and ATTRIBUTES_LINE in (line.strip() for line in lines)
