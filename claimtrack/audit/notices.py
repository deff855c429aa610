"""Rules about what has happened to the papers claims cite: retractions, corrections, expressions of concern.

The notices come from the library's notices.toml (``claimtrack notices
import``); a title or note that says the paper was retracted or withdrawn is
a weaker signal, checked for entries without a retraction notice (an arXiv
withdrawal appears in no database). A retracted source counts for no support
(see :meth:`.context.Context.supports`), and the claims resting on a claim
that a retraction leaves standing on less get ``needs-review``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..model import Claim, Stance, Status
from ..views import shorten
from .context import Context, Draft

if TYPE_CHECKING:
    from ..notices import Notice, Notices

__all__ = ["check", "signal_of"]

_TITLE_SIGNAL = re.compile(r"^\W*(?:\[\s*(?:retracted|withdrawn)\s*\]|(?:retracted(?:\s+article)?|withdrawn)\s*:)", re.IGNORECASE)
_NOTE_SIGNAL = re.compile(r"\b(?:withdrawn|retracted|withdrew|retraction)\b", re.IGNORECASE)
_CHEAP = re.compile(r"retract|withdr", re.IGNORECASE)


def check(ctx: Context) -> Iterator[Draft]:
    notices: Notices | None = ctx.notices
    affected = set(notices.sources) if notices else set()
    signals = _signals(ctx, ctx.retracted)
    if not affected and not signals:
        return
    # claim id -> (the retraction notice, the key) for each active claim left standing on a retracted source
    weakened: dict[str, tuple[Notice, str]] = {}
    for claim, checked, _ in ctx.entries:
        if claim.status is not Status.ACTIVE or not claim.evidence:
            continue
        seen: set[tuple[str, str]] = set()
        for i, item in enumerate(claim.evidence):
            key, stance = item.source, item.stance
            if (key, stance.value) in seen or stance is Stance.MENTIONS:
                continue
            seen.add((key, stance.value))
            where = f"evidence[{i}]"
            if key in affected and notices is not None:
                yield from _noticed(ctx, notices, claim, checked.last_date, key, stance, item.locator, where, weakened)
            if key in signals and stance is Stance.SUPPORTS:
                yield ctx.at(
                    claim,
                    "retraction-signal",
                    f"cites '{key}' as support, whose entry says it was retracted or withdrawn: {signals[key]}",
                    where=where,
                    source=key,
                    hint="check the paper's status and import its notice (`claimtrack notices import`), or cite another source",
                )
    if weakened:
        yield from _dependents(ctx, weakened)


def _noticed(
    ctx: Context,
    notices: Notices,
    claim: Claim,
    last: dt.date | None,
    key: str,
    stance: Stance,
    locator: str | None,
    where: str,
    weakened: dict[str, tuple[Notice, str]],
) -> Iterator[Draft]:
    ending = notices.retraction(key)
    if ending is not None:
        if stance is Stance.SUPPORTS:
            weakened.setdefault(claim.id, (ending, key))
            yield ctx.at(
                claim,
                "retracted-source",
                f"cites '{key}' as support, which was {ending.describe()}",
                where=where,
                source=key,
                hint="a retracted paper supports nothing: cite another source, or hedge, revise or retract the claim",
            )
        return
    cited = f"'{key}'" + (f" ({locator})" if locator else "") + ("" if stance is Stance.SUPPORTS else f" ({stance.value})")
    for rule, group in (("source-correction", notices.corrections(key)), ("expression-of-concern", notices.concerns(key))):
        shown: set[str] = set()
        for notice in group:
            same = notice.notice_doi or f"{notice.kind.value}:{notice.date}"
            when = notice.effective
            # Revised on or after the notice: written, or re-checked, knowing it (as needs-review counts "after").
            if same in shown or (when is not None and last is not None and when <= last):
                continue
            shown.add(same)
            what = (
                f"the locator you cite ({locator})" if locator and rule == "source-correction" else "what the claim takes from it"
            )
            yield ctx.at(
                claim,
                rule,
                f"cites {cited}, which was {notice.describe()}, after this claim's last revision ({last})",
                where=where,
                source=key,
                hint=f're-read {what}, then record that with `claimtrack review {claim.id} --reason "..."`, or revise the claim',
            )


def _dependents(ctx: Context, weakened: dict[str, tuple[Notice, str]]) -> Iterator[Draft]:
    """``needs-review`` on the active claims resting on a claim a retraction weakened, unless reviewed since."""
    for claim, mine, _ in ctx.entries:
        if claim.status is not Status.ACTIVE or not claim.depends_on or mine.last_date is None:
            continue
        for other_id in dict.fromkeys(claim.depends_on):
            found = weakened.get(other_id)
            if found is None:
                continue
            notice, key = found
            when = notice.effective
            if when is None or when <= mine.last_date or _flagged_already(ctx, other_id, mine.last_date):
                continue
            yield ctx.at(
                claim,
                "needs-review",
                f"rests on '{other_id}', whose supporting source '{key}' was {notice.describe()}, "
                f"after this claim's last revision ({mine.last_date})",
                where="depends_on",
                hint=f're-check it, then record that with `claimtrack review {claim.id} --reason "..."`, or revise it',
            )


def _flagged_already(ctx: Context, other_id: str, mine: dt.date) -> bool:
    """True when the dependencies rule flags this dependency anyway (it was itself changed since)."""
    other = ctx.claims[other_id]
    at = ctx.checked[other_id].last_change
    return at is not None and other.revisions[at].date > mine


def signal_of(fields: dict[str, str], title: str | None = None) -> str | None:
    """What in an entry's raw fields says the paper was retracted or withdrawn, or None.

    A title that starts "Retracted:", "[RETRACTED]", "Withdrawn:" (publishers
    mark retracted articles so), or a ``note`` or ``annote`` that speaks of a
    withdrawal or retraction. ``title`` is the decoded title, when known.
    """
    raw_title = fields.get("title") or ""
    if _CHEAP.search(raw_title):
        shown = (title if title is not None else raw_title).replace("{", "").replace("}", "")
        if _TITLE_SIGNAL.search(shown):
            return f"the title reads {shorten(shown, 60)!r}"
    for name in ("note", "annote"):
        value = fields.get(name)
        if value and _NOTE_SIGNAL.search(value):
            return f"its {name} reads {shorten(value, 80)!r}"
    return None


def _signals(ctx: Context, noticed: frozenset[str]) -> dict[str, str]:
    """Per key without a retraction notice, what its entry says of a retraction or withdrawal."""
    found: dict[str, str] = {}
    raw_entries = getattr(ctx.sources, "raw_entries", None)
    if raw_entries is None:
        return found
    for key, _, fields in raw_entries():
        if key in noticed:
            continue
        if not any(_CHEAP.search(fields.get(name) or "") for name in ("title", "note", "annote")):
            continue
        signal = signal_of(fields, ctx.sources[key].title)
        if signal is not None:
            found[key] = signal
    return found
