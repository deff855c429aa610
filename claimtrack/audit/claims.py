"""Rules about each claim on its own: unreadable files, evidence, support, status, appearances."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath

from ..errors import ClaimtrackError
from ..model import Claim, Status
from .context import Context, Draft, is_claim_ref

__all__ = ["check", "unreadable"]


def check(ctx: Context) -> Iterator[Draft]:
    yield from unreadable(ctx)
    min_support, active, retracted = ctx.min_support, Status.ACTIVE, ctx.retracted
    # Each rule below looks at a claim only when the claim's checked facts say it may have something to report:
    # a clean claim costs a few lookups.
    dangling = ctx.cites_what_is_not_there()  # else no claim's references need a look
    citable = ctx.citable if dangling else frozenset()
    for claim, checked, _ in ctx.entries:
        if dangling and not citable.issuperset(checked.cited):
            yield from _references(ctx, claim)
        wanted = min_support.get(claim.confidence)
        if wanted is None or (
            claim.status is active and (checked.supports < wanted or (retracted and ctx.supports(claim)[0] < wanted))
        ):
            yield from _confidence(ctx, claim)
        if checked.unanswered and claim.status is active:
            yield from _contradicted(ctx, claim, checked.unanswered)
        if claim.status is Status.SUPERSEDED:
            yield from _status(ctx, claim)
        if claim.appearances:
            yield from _stale_appearances(ctx, claim)


# -- claim-unreadable ----------------------------------------------------------


def unreadable(ctx: Context) -> Iterator[Draft]:
    """One finding for each problem of each file that could not be read."""
    for error in ctx.problems:
        file = error.file
        stem = PurePath(file).stem if file else None
        parts: tuple[ClaimtrackError, ...] = tuple(getattr(error, "problems", ())) or (error,)
        for part in parts:
            key = part.key.split(": ")[-1] if part.key else None
            yield Draft(
                "claim-unreadable",
                f"{key}: {part.message}" if key else part.message,
                claim=stem,
                hint=part.hint or "fix the file so that it reads as a claim (see docs/format.md)",
                file=file,
                # A sub-problem carries only its key; its line is looked up in the file later.
                line=part.line if part is error else None,
                where=key if part.line is None else None,
            )


# -- references ---------------------------------------------------------------


def _references(ctx: Context, claim: Claim) -> Iterator[Draft]:
    for i, item in enumerate(claim.evidence):
        where = f"evidence[{i}]"
        if is_claim_ref(item.source):
            other = item.claim_id or ""
            if not ctx.claim_exists(other):
                yield ctx.at(
                    claim,
                    "dangling-claim",
                    f"evidence '{item.source}' names no claim",
                    where=where,
                    hint=ctx.id_hints.hint_with(
                        other,
                        f'add that claim with `claimtrack add {other} --statement "..."`, or remove the evidence '
                        f'with `claimtrack uncite {claim.id} {item.source} --reason "..."`',
                    ),
                )
        elif item.source not in ctx.sources:
            yield ctx.at(
                claim,
                "dangling-source",
                f"evidence '{item.source}' is not in references.bib",
                where=where,
                source=item.source,
                hint=ctx.source_hint(item.source),
            )
    for i, appearance in enumerate(claim.appearances):
        if appearance.document not in ctx.sources:
            yield ctx.at(
                claim,
                "dangling-source",
                f"appearance document '{appearance.document}' is not in references.bib",
                where=f"appearances[{i}]",
                source=appearance.document,
                hint=ctx.source_hint(appearance.document),
            )
    for i, revision in enumerate(claim.revisions):
        for key in revision.evidence:
            if is_claim_ref(key):
                if not ctx.claim_exists(key.split(":", 1)[1]):
                    yield ctx.at(
                        claim,
                        "dangling-claim",
                        f"revision {i} ({revision.kind.value}, {revision.date}) cites '{key}', which names no claim",
                        where=f"revisions[{i}]",
                        hint=f'add that claim with `claimtrack add {key.split(":", 1)[1]} --statement "..."`',
                    )
            elif key not in ctx.sources:
                yield ctx.at(
                    claim,
                    "dangling-source",
                    f"revision {i} ({revision.kind.value}, {revision.date}) cites '{key}', which is not in references.bib",
                    where=f"revisions[{i}]",
                    source=key,
                    hint=ctx.source_hint(key),
                )


# -- confidence and support ----------------------------------------------------


def _confidence(ctx: Context, claim: Claim) -> Iterator[Draft]:
    if claim.confidence not in ctx.scale:
        yield ctx.at(
            claim,
            "unknown-confidence",
            f"confidence {claim.confidence!r} is not a level of the scale",
            where="confidence",
            hint="use one of " + ", ".join(ctx.scale.names),
        )
        return
    if claim.status is not Status.ACTIVE:
        return  # an ended claim asks nothing of anyone
    wanted = ctx.scale[claim.confidence].min_support
    have, left_out = ctx.supports(claim)
    if wanted <= 0 or have >= wanted:
        return
    retracted = f" (retracted, so not counted: {', '.join(left_out)})" if left_out else ""
    weaker = [level.name for level in ctx.scale.levels if level.min_support <= have and level.name != claim.confidence]
    hedge = f", or hedge it with `claimtrack revise {claim.id} --confidence {weaker[0]} --reason ...`" if weaker else ""
    sources = "source" if wanted == 1 else "sources"
    if have == 0:
        yield ctx.at(
            claim,
            "unsupported",
            f"a {claim.confidence} needs {wanted} supporting {sources}; none supports it{retracted}",
            where="confidence",
            hint=f"cite supporting evidence with `claimtrack cite {claim.id} KEY`{hedge}",
        )
    else:
        yield ctx.at(
            claim,
            "under-supported",
            f"a {claim.confidence} needs {wanted} supporting {sources}; it has {have}{retracted}",
            where="confidence",
            hint=f"cite more supporting evidence with `claimtrack cite {claim.id} KEY`{hedge}",
        )


def _contradicted(ctx: Context, claim: Claim, unanswered: tuple[int, ...]) -> Iterator[Draft]:
    for i in unanswered:
        item = claim.evidence[i]
        yield ctx.at(
            claim,
            "contradicted",
            f"'{item.source}' contradicts it and no note answers that",
            where=f"evidence[{i}]",
            source=None if is_claim_ref(item.source) else item.source,
            hint=f'answer it with `claimtrack annotate {claim.id} {item.source} --note "..."`, or revise, hedge or retract '
            f"the claim (`claimtrack revise {claim.id}`, `claimtrack retract {claim.id}`)",
        )


# -- status --------------------------------------------------------------------


def _status(ctx: Context, claim: Claim) -> Iterator[Draft]:
    if claim.status is not Status.SUPERSEDED:
        return
    successor = claim.superseded_by
    if not successor:
        message = "it is superseded but names no successor"
    elif successor == claim.id:
        message = "it names itself as its successor"
    elif not ctx.claim_exists(successor):
        message = f"its successor '{successor}' is not a claim"
    else:
        return
    yield ctx.at(
        claim,
        "superseded-without-successor",
        message,
        where="superseded_by" if successor else "status",
        hint=f'name the claim that replaces it with `claimtrack supersede {claim.id} --by-claim OTHER --reason "..."`',
    )


# -- appearances ---------------------------------------------------------------


def _stale_appearances(ctx: Context, claim: Claim) -> Iterator[Draft]:
    """Appearances that still state a superseded wording, judged by the stale engine's word rules (span, value)."""
    if not any(r.changes_content and (r.is_span_edit or r.statement is not None) for r in claim.revisions[1:]):
        return
    from ..documents.stale import StaleEngine

    engine = StaleEngine({claim.id: claim}, embeddings=False)
    if not engine.wordings:
        return
    for i, appearance in enumerate(claim.appearances):
        if appearance.note or not appearance.text:
            continue
        found = [f for f in engine.passage(appearance.text) if f.kind == "correction"]
        if not found:
            continue
        f = found[0]
        yield ctx.at(
            claim,
            "stale-appearance",
            f"appearance in '{appearance.document}'"
            + (f" ({appearance.locator})" if appearance.locator else "")
            + f" {f.why}; revision {f.revision} is dated {f.revision_date}",
            where=f"appearances[{i}]",
            source=appearance.document,
            hint="correct the document and its appearance text with "
            f'`claimtrack appearance {claim.id} {appearance.document} --text "..."`, or say that it quotes the old '
            "wording with `--note`",
        )
