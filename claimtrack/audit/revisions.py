"""Rules about a claim's history: replay, seals, reasons and dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..errors import HistoryError
from ..history import Verified
from ..model import Claim
from ..revisionmeta import command_for
from ..seals import copied_from
from ..values import EARLIEST, SKEW, latest_allowed
from .context import Context, Draft

__all__ = ["check", "against_base"]

_REVISION_KEY = re.compile(r"revisions\[(\d+)\]\.?(\w*)")


def check(ctx: Context) -> Iterator[Draft]:
    latest = latest_allowed()
    for claim, checked, _ in ctx.entries:
        if (checked.last_date is not None and checked.last_date > latest) or (
            checked.first_date is not None and checked.first_date < EARLIEST
        ):
            yield from _out_of_range(ctx, claim, latest)
        if checked.history_clean:
            continue
        yield from _replay(ctx, claim, checked)
        yield from _seals(ctx, claim, checked)
        yield from _reasons(ctx, claim, checked)
        yield from _dates(ctx, claim, checked)


def _replay(ctx: Context, claim: Claim, checked: Verified) -> Iterator[Draft]:
    error = checked.replay_error(claim)
    if error is not None:
        yield _unreplayable(ctx, claim, error)
        return  # the fields cannot be compared with a history that does not replay
    differ = checked.differ
    if differ:
        listed = ", ".join(differ)
        yield ctx.at(
            claim,
            "untracked-edit",
            f"{listed} differ{'s' if len(differ) == 1 else ''} from what the revisions give",
            where=differ[0],
            hint=f"restore the field as its history has it (e.g. `git checkout -- {ctx.file_of(claim)}`), then record "
            f"the change as a revision with {command_for(differ[0], claim.id)}",
        )


def _unreplayable(ctx: Context, claim: Claim, error: HistoryError) -> Draft:
    match = _REVISION_KEY.search(error.key or "")
    index = int(match.group(1)) if match else None
    revision = claim.revisions[index] if index is not None and index < len(claim.revisions) else None
    where = f"revisions[{index}]" if index is not None else "revisions"
    if revision is not None and revision.is_span_edit and match and match.group(2) == "old":
        return ctx.at(
            claim,
            "span-not-found",
            f"revision {index} ({revision.kind.value}, {revision.date}): {error.message}",
            where=where,
            hint=error.hint or "give a longer 'old' that occurs exactly once",
        )
    prefix = f"revision {index} ({revision.kind.value}, {revision.date}): " if revision is not None else ""
    return ctx.at(claim, "unreplayable-history", prefix + error.message, where=where, hint=error.hint or "fix the revision")


def _seals(ctx: Context, claim: Claim, checked: Verified) -> Iterator[Draft]:
    broken = checked.broken_seal
    if broken is not None:
        revision = claim.revisions[broken]
        copy = copied_from(claim.revisions, broken)
        why = (
            f"repeats the digest of revision {copy}: it is a copy, not a revision of its own"
            if copy is not None
            else "does not verify: it, or a sealed revision before it, was changed after it was sealed"
        )
        yield ctx.at(
            claim,
            "broken-seal",
            f"the digest of revision {broken} ({revision.kind.value}, {revision.date}) {why}",
            where=f"revisions[{broken}]",
            hint="restore the revision from version control; a correction is a new revision, never an edit of an old one",
        )
    unsealed = checked.unsealed
    if not unsealed:
        return
    last = checked.last_sealed
    gap = [i for i in unsealed if last is not None and i < last]
    tail = [i for i in unsealed if last is not None and i > last]
    if gap:
        yield ctx.at(
            claim,
            "seal-gap",
            f"{_listed(gap)} {'has' if len(gap) == 1 else 'have'} no digest but revision {last} below is sealed: "
            "a revision was inserted by hand, or its seal (and its content with it) was stripped",
            where=f"revisions[{gap[0]}]",
            hint="restore the history from version control (`claimtrack audit --base REF` compares it with git)",
        )
    if tail:
        yield ctx.at(
            claim,
            "seals-lost",
            f"the history is sealed up to revision {last}, and {_listed(tail)} after it {'has' if len(tail) == 1 else 'have'} "
            "no digest: written by hand, or their seals were stripped",
            where=f"revisions[{tail[0]}]",
            hint="check them with `claimtrack audit --base REF`; run `claimtrack seal` if they are yours",
        )
    if last is None:
        count = len(unsealed)
        yield ctx.at(
            claim,
            "unsealed-revision",
            f"{count} revision{'s have' if count > 1 else ' has'} no digest ({_numbers(unsealed)})",
            where=f"revisions[{unsealed[0]}]",
            hint="run `claimtrack seal` to seal them",
        )


def _numbers(indexes: list[int] | tuple[int, ...]) -> str:
    return ", ".join(map(str, indexes[:10])) + (", ..." if len(indexes) > 10 else "")


def _listed(indexes: list[int]) -> str:
    return f"revision{'s' if len(indexes) > 1 else ''} {_numbers(indexes)}"


def _reasons(ctx: Context, claim: Claim, checked: Verified) -> Iterator[Draft]:
    for i in checked.unreasoned:
        revision = claim.revisions[i]
        yield ctx.at(
            claim,
            "revision-without-reason",
            f"revision {i} ({revision.kind.value}, {revision.date}) gives no reason",
            where=f"revisions[{i}]",
            hint='say why in reason = "..."; only created and editorial revisions may go without one',
        )


def _dates(ctx: Context, claim: Claim, checked: Verified) -> Iterator[Draft]:
    for i in checked.out_of_order:
        revision = claim.revisions[i]
        latest = max(r.date for r in claim.revisions[:i])
        yield ctx.at(
            claim,
            "dates-out-of-order",
            f"revision {i} ({revision.kind.value}) is dated {revision.date}, before the one it follows ({latest}), "
            "with no recorded date",
            where=f"revisions[{i}]",
            hint="a revision written later than its date carries the day it was recorded, which its seal covers: "
            "restore the file and write the change again with its --date, or fix the date",
        )


def _out_of_range(ctx: Context, claim: Claim, latest: dt.date) -> Iterator[Draft]:
    """Revisions dated after today (beyond a day's skew: written with a wrong clock or year) or before EARLIEST."""
    for i, revision in enumerate(claim.revisions):
        if revision.date > latest:
            what, hint = f"after today ({latest - SKEW})", "no later revision can be written before that day; fix the year"
        elif revision.date < EARLIEST:
            what, hint = f"before {EARLIEST}", "check the year"
        else:
            continue
        yield ctx.at(
            claim,
            "date-out-of-range",
            f"revision {i} ({revision.kind.value}) is dated {revision.date}, {what}",
            where=f"revisions[{i}]",
            hint=hint + "; a date is changed by restoring the file and writing the revision again with the right --date",
        )


def against_base(ctx: Context, ref: str) -> Iterator[Draft]:
    """With ``--base REF``: the past as git had it at REF must still be there, unchanged and in place."""
    from ..baseline import changes_since  # git is run only when asked for

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
        if change.what == "unreadable":
            hint = f"see {show}; compare with a base where the file reads (an earlier or a later commit)"
        else:
            hint = f"restore the past revisions as {show} has them; a correction is a new revision, never an edit of an old one"
        yield ctx.at(
            claim,
            "rewritten-past",
            change.message,
            where=f"revisions[{change.index}]" if change.index is not None else None,
            hint=hint,
        )
