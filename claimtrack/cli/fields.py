"""Commands that change the rest of a claim: tags, dependencies, facts, appearances, evidence notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..library import Library
from ..model import Claim, RevisionKind
from ..views import plural
from ._common import Choice, by_option, date_option, echo, main, pass_library

__all__ = ["tag", "depend", "fact", "appearance", "uncite", "annotate"]

F = TypeVar("F", bound=Callable[..., Any])

_KINDS = Choice([k.value for k in RevisionKind if k is not RevisionKind.CREATED])


def revision_options(*, default_kind: str, note: bool = True) -> Callable[[F], F]:
    """The options every revision takes: --reason, --kind, --credit, --evidence, --by, --date (and --note)."""

    def decorate(func: F) -> F:
        options = [
            click.option("--reason", default=None, help="Why the change was made."),
            click.option("--kind", type=_KINDS, default=None, help=f"The revision's kind. Default: {default_kind}."),
            click.option("--credit", "credited", default=None, help="Who found the error."),
            click.option("--evidence", multiple=True, help="A source key the change rests on; repeat for several."),
            by_option,
            date_option,
        ]
        if note:
            options.append(click.option("--note", default=None, help="A note on the revision, e.g. how the date is known."))
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def _done(claim: Claim) -> None:
    last = claim.revisions[-1]
    echo(f"{claim.id}: {last.kind.value}: {last.markdown()} ({plural(len(claim.revisions), 'revision')})")


@main.command()
@click.argument("claim_id", metavar="ID")
@click.option("--add", "add", multiple=True, help="A tag to add; repeat for several.")
@click.option("--remove", "remove", multiple=True, help="A tag to remove; repeat for several.")
@revision_options(default_kind="editorial")
@pass_library
def tag(lib: Library, claim_id: str, add: tuple[str, ...], remove: tuple[str, ...], **revision: Any) -> None:
    """Add or remove tags of claim ID.

    \b
    Example:
      claimtrack tag cdv2-context --add context-window --remove draft
    """
    _done(lib.tag(claim_id, add=add, remove=remove, **revision))


@main.command()
@click.argument("claim_id", metavar="ID")
@click.option("--on", "on", multiple=True, help="A claim ID now rests on; repeat for several.")
@click.option("--drop", "drop", multiple=True, help="A claim it no longer rests on; repeat for several.")
@revision_options(default_kind="update")
@pass_library
def depend(lib: Library, claim_id: str, on: tuple[str, ...], drop: tuple[str, ...], **revision: Any) -> None:
    """Make claim ID rest on other claims, or no longer rest on them.

    \b
    Example:
      claimtrack depend cdv2-sota --on cdv2-context --reason "the result needs the longer window"
    """
    _done(lib.depend(claim_id, on=on, drop=drop, **revision))


@main.command()
@click.argument("claim_id", metavar="ID")
@click.option("--subject", required=True, help="What the fact is about, e.g. code-davinci-002.")
@click.option("--property", "prop", required=True, help="Which of its properties, e.g. context window.")
@click.option("--value", default=None, help="The value; on an existing subject and property, the corrected value.")
@click.option("--note", "fact_note", default=None, help="A note on the fact (a new value keeps the old note unless given).")
@click.option("--remove", is_flag=True, help="Remove the fact with this subject and property (and --value, if given).")
@revision_options(default_kind="update for a new fact, correction for a new value or a removal", note=False)
@pass_library
def fact(
    lib: Library, claim_id: str, subject: str, prop: str, value: str | None, fact_note: str | None, remove: bool, **revision: Any
) -> None:
    """Add a fact to claim ID, correct its value, or remove it.

    \b
    Example:
      claimtrack fact cdv2-context --subject code-davinci-002 --property "context window" --value 8192 \\
          --reason "the model index says 8192"
    """
    _done(lib.fact(claim_id, subject=subject, property=prop, value=value, fact_note=fact_note, remove=remove, **revision))


@main.command()
@click.argument("claim_id", metavar="ID")
@click.argument("document", metavar="DOC")
@click.option("--locator", default=None, help="Where in DOC: a section, page, paragraph.")
@click.option("--text", default=None, help="The words DOC states the claim in.")
@click.option("--note", "appearance_note", default=None, help="A note on the appearance, e.g. that it quotes old wording.")
@click.option("--remove", is_flag=True, help="Remove the appearance in DOC (at --locator, if given).")
@revision_options(default_kind="editorial", note=False)
@pass_library
def appearance(
    lib: Library,
    claim_id: str,
    document: str,
    locator: str | None,
    text: str | None,
    appearance_note: str | None,
    remove: bool,
    **revision: Any,
) -> None:
    """Record where claim ID is stated word for word: DOC is a references.bib key.

    An appearance at the same DOC and --locator is replaced (its text corrected).

    \b
    Example:
      claimtrack appearance cdv2-context openai2022models --locator "code-davinci-002" \\
          --text "a context window of 8192 tokens"
    """
    changed = lib.appearance(
        claim_id, document, locator=locator, text=text, appearance_note=appearance_note, remove=remove, **revision
    )
    _done(changed)


@main.command()
@click.argument("claim_id", metavar="ID")
@click.argument("key")
@click.option("--locator", default=None, help="Which of the evidence entries from KEY, when there are several.")
@revision_options(default_kind="evidence")
@pass_library
def uncite(lib: Library, claim_id: str, key: str, locator: str | None, **revision: Any) -> None:
    """Remove the evidence from KEY of claim ID.

    \b
    Example:
      claimtrack uncite cdv2-context openai2022models --reason "the page does not give the window"
    """
    claim = lib.uncite(claim_id, key, locator=locator, **revision)
    echo(f"{claim.id}: uncited {key}; {plural(len(claim.evidence), 'evidence entry', 'evidence entries')}")


@main.command()
@click.argument("claim_id", metavar="ID")
@click.argument("key")
@click.option("--note", required=True, help="The note; for contradicting evidence, the answer to it.")
@click.option("--locator", default=None, help="Which of the evidence entries from KEY, when there are several.")
@revision_options(default_kind="evidence", note=False)
@pass_library
def annotate(lib: Library, claim_id: str, key: str, note: str, locator: str | None, **revision: Any) -> None:
    """Set the note of claim ID's evidence from KEY: for contradicting evidence, the answer to it.

    \b
    Example:
      claimtrack annotate cdv2-context openai2022models --note "the index counts the prompt and the completion"
    """
    _done(lib.annotate(claim_id, key, note=note, locator=locator, **revision))
