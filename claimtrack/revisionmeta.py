"""What every revision a verb writes says besides its change: its date, author and kind, each checked, and the
commands that change each field of a claim."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypedDict

from .errors import InvalidValueError, ValueTypeError
from .folder import default_author
from .model import RevisionKind
from .suggest import hint_with
from .values import check_text, date_or_default

__all__ = ["RevisionMeta", "RevisionOptions", "parse_date", "author", "revision_kind", "command_for", "FIELD_COMMANDS"]

#: The commands that change each field of a claim through a revision (``{id}``: the claim's id).
FIELD_COMMANDS = {
    "statement": ('claimtrack revise {id} --statement "..."',),
    "confidence": ("claimtrack revise {id} --confidence LEVEL",),
    "status": ("claimtrack retract {id}", "claimtrack supersede {id}"),
    "superseded_by": ("claimtrack supersede {id} --by-claim OTHER",),
    "tags": ("claimtrack tag {id} --add TAG",),
    "depends_on": ("claimtrack depend {id} --on OTHER",),
    "appearances": ("claimtrack appearance {id} DOC",),
    "facts": ("claimtrack fact {id} --subject S --property P --value V",),
    "evidence": ("claimtrack cite {id} KEY", "claimtrack uncite {id} KEY"),
}


def parse_date(value: dt.date | str | None) -> dt.date:
    """The date of a change from ``YYYY-MM-DD`` (when None: ``CLAIMTRACK_DATE``, else today), or one clear error.

    Checked as every way in checks it (:func:`claimtrack.values.check_date`): a real day, not after today.
    """
    return date_or_default(value)


def author(by: object) -> str:
    """Who makes a change: ``by`` checked as a name, else ``CLAIMTRACK_BY``, git's user.name or the login name."""
    return default_author() if by is None else check_text(by, "by")


def revision_kind(kind: object, default: RevisionKind) -> RevisionKind:
    """``kind`` as a :class:`RevisionKind` (``default`` when None), or one clear error."""
    if kind is None:
        return default
    if not isinstance(kind, str):
        raise ValueTypeError(f"must be a string, not {type(kind).__name__}", key="kind", hint="pass a kind such as 'correction'")
    try:
        return RevisionKind(kind)
    except ValueError as e:
        choices = [k.value for k in RevisionKind]
        raise InvalidValueError(
            f"{kind!r} is not a revision kind", key="kind", hint=hint_with(str(kind), choices, "use " + ", ".join(choices))
        ) from e


def command_for(field: str, claim_id: str) -> str:
    """The command (or commands) that change ``field``, in backticks: ```claimtrack tag x --add TAG```."""
    return " or ".join(f"`{command.format(id=claim_id)}`" for command in FIELD_COMMANDS[field])


class RevisionMeta(TypedDict, total=False):
    """What a verb says of the revision it writes, beside the change itself (see :meth:`Library.revise`)."""

    reason: str | None
    kind: RevisionKind | str | None
    by: str | None
    credited: str | None
    evidence: Iterable[str]
    date: dt.date | str | None


class RevisionOptions(RevisionMeta, total=False):
    """:class:`RevisionMeta` and the revision's ``note`` (for verbs whose ``note`` is not the record's own)."""

    note: str | None
