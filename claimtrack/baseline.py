"""The past checked against git: append-only since a base commit, and the commit behind each revision.

At the base, every claim file had a history. Each of those revisions must
still be in the file now: the same content, the same seal (so the same
parents: the same place in the history), and the base's revisions in the same
order. Only new revisions may come in, appended or merged. A forger who
rewrites a revision and seals everything again passes the seal check of the
file alone; compared with the base, the rewritten revision is missing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

from .errors import ClaimtrackError
from .gitrepo import Commit, open_repo
from .merge import identity
from .model import Claim, Revision
from .seals import canonical
from .store import claim_text, parse_claim_text

__all__ = ["Change", "changes_since", "compare", "revision_commits"]


@attrs.frozen
class Change:
    """A past revision (or a claim file) that is not as it was at the base."""

    claim: str
    index: int | None  # the revision's index at the base; None for the claim as a whole
    what: str  # rewritten | removed | moved | unsealed | resealed | deleted | unreadable
    message: str
    file: str


def _describe(revision: Revision, index: int) -> str:
    return f"revision {index} ({revision.kind.value}, {revision.date})"


def changes_since(root: Path, claims: Mapping[str, Claim], ref: str) -> tuple[str, list[Change]]:
    """The base commit's hash and every past revision changed, removed or moved since it.

    ``claims`` are the library's readable claims now (a claim file that does
    not read is the audit's to report, and is not compared).
    """
    repo = open_repo(root)
    claims_dir = root / "claims"
    if ref == "HEAD" and not repo.has_commits():
        return "", []  # a first commit has no past to keep
    commit = repo.commit_of(ref)
    folder = repo.relative(claims_dir) if claims_dir.exists() else repo.relative(root) + "/claims"
    folder = folder.removeprefix("./")
    # Only the files git sees changed since the base can have a changed past: at 100,000 claims
    # that is a few files to parse, not every one of them.
    changed = set(repo.changed_since(commit, folder))
    paths = [p for p in repo.files_at(commit, folder) if p.endswith(".toml") and p in changed]
    found = repo.read_many(f"{commit}:{path}" for path in paths)
    where = f"{ref} ({commit[:10]})" if not commit.startswith(ref) else commit[:10]
    out: list[Change] = []
    for path in paths:
        data = found.get(f"{commit}:{path}")
        claim_id = Path(path).stem
        name = f"claims/{Path(path).name}"
        if data is None:
            continue
        try:
            before = parse_claim_text(claim_text(data, file=name), file=name, expected_id=claim_id)
        except ClaimtrackError as e:
            # Read as every reader reads it (a byte-order mark is no reason), and still unreadable: its past cannot
            # be compared, which is never the same as having none.
            why = (f"line {e.line}: " if e.line else "") + e.message
            out.append(
                Change(
                    claim_id,
                    None,
                    "unreadable",
                    f"the claim file at {where} does not read ({why}), so its past cannot be checked",
                    name,
                )
            )
            continue
        now = claims.get(claim_id)
        if now is None:
            if not (claims_dir / Path(path).name).exists():
                out.append(Change(claim_id, None, "deleted", f"the claim file existed at {where} and is gone", name))
            continue
        out.extend(compare(before, now, where, name))
    return commit, out


def compare(before: Claim, now: Claim, where: str, file: str) -> Iterator[Change]:
    """What happened to each revision ``before`` had (``where`` names the base in messages): nothing for an unchanged past."""
    by_key = {identity(r): i for i, r in enumerate(now.revisions)}
    by_form: dict[str, int] = {}
    for i, r in enumerate(now.revisions):
        by_form.setdefault(canonical(r), i)
    last = -1
    for index, old in enumerate(before.revisions):
        what = _describe(old, index)
        position = by_key.get(identity(old))
        if position is None:
            position = by_form.get(canonical(old))
            if position is not None and old.digest:
                new = now.revisions[position]
                if new.digest is None:
                    yield Change(now.id, index, "unsealed", f"{what} as of {where} has lost its seal", file)
                else:
                    yield Change(
                        now.id,
                        index,
                        "resealed",
                        f"{what} as of {where} was sealed again over a different past (moved, or a revision before it was rewritten)",
                        file,
                    )
        if position is None:
            same_place = index < len(now.revisions) and (now.revisions[index].date, now.revisions[index].kind) == (
                old.date,
                old.kind,
            )
            verb = "was rewritten" if same_place else "was removed"
            yield Change(now.id, index, "rewritten" if same_place else "removed", f"{what} as of {where} {verb}", file)
            continue
        if position < last:
            yield Change(now.id, index, "moved", f"{what} as of {where} was moved above a revision that came before it", file)
        last = max(last, position)


def revision_commits(root: Path, claim: Claim) -> list[Commit | None]:
    """For each revision of ``claim``, the first commit whose version of the file holds it (None: not committed yet)."""
    repo = open_repo(root)
    path = repo.relative(root / "claims" / f"{claim.id}.toml")
    commits = repo.log(path)
    versions = repo.read_many(f"{c.hash}:{path}" for c in commits)
    wanted = {identity(r): i for i, r in enumerate(claim.revisions)}
    out: list[Commit | None] = [None] * len(claim.revisions)
    for commit in commits:
        data = versions.get(f"{commit.hash}:{path}")
        if data is None:
            continue
        try:
            then = parse_claim_text(claim_text(data, file=path), file=path, expected_id=claim.id)
        except ClaimtrackError:
            continue  # a commit with conflict markers or a broken file holds no revision for certain
        for revision in then.revisions:
            index = wanted.pop(identity(revision), None)
            if index is not None:
                out[index] = commit
        if not wanted:
            break
    return out
