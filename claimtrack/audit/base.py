"""With ``--base REF``: the past as git had it at REF must still be there, unchanged and in place."""

from __future__ import annotations

from collections.abc import Iterator

from ..baseline import changes_since
from .context import Context, Draft

__all__ = ["check"]


def check(ctx: Context, ref: str) -> Iterator[Draft]:
    _, changes = changes_since(ctx.lib.root, ctx.claims, ref)
    for change in changes:
        claim = ctx.claims.get(change.claim)
        show = f"`git show {ref}:{change.file}`"
        if claim is None:
            yield Draft(
                "rewritten-past",
                change.message,
                claim=change.claim,
                file=change.file,
                hint=f"a claim is never deleted: restore it ({show}) and retract or supersede it instead",
            )
            continue
        yield ctx.at(
            claim,
            "rewritten-past",
            change.message,
            where=f"revisions[{change.index}]" if change.index is not None else None,
            hint=f"restore the past revisions as {show} has them; a correction is a new revision, never an edit of an old one",
        )
