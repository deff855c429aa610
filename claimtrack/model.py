"""The records a claims library is made of: frozen attrs classes and enums, no I/O.

A :class:`Claim` is its current state plus the :class:`Revision` list that
produced it. Records never change; ``attrs.evolve`` makes a new one.
"""

from __future__ import annotations

import builtins
import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import attrs

from .errors import InvalidIdError, InvalidValueError, ValueTypeError

__all__ = [
    "Stance",
    "Status",
    "RevisionKind",
    "Appearance",
    "Fact",
    "Evidence",
    "Ignore",
    "Revision",
    "Claim",
    "ConfidenceLevel",
    "ConfidenceScale",
    "DEFAULT_SCALE",
    "validate_id",
    "validate_new_id",
    "WINDOWS_RESERVED",
    "to_date",
    "CLAIM_PREFIX",
    "provides",
]

_F = TypeVar("_F", bound=Callable[..., Any])
#: What the records' convenience methods (``claim.as_of``, ``revision.markdown``, ``claim.to_raw``) call:
#: functions of the modules above this one (codec, history), which register them here as they are
#: imported (the package imports them all), so the records' own module imports nothing above it.
_ABOVE: dict[str, Callable[..., Any]] = {}


def provides(name: str) -> Callable[[_F], _F]:
    """Register the function behind the records' method ``name`` (used by codec and history)."""

    def register(func: _F) -> _F:
        _ABOVE[name] = func
        return func

    return register


CLAIM_PREFIX = "claim:"
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def validate_id(value: str) -> str:
    """Return ``value`` if it is a well-formed claim id, else raise InvalidIdError.

    >>> validate_id("gpt3-pretraining-corpus")
    'gpt3-pretraining-corpus'
    """
    if not isinstance(value, str):
        raise ValueTypeError(
            f"a claim id must be a string, not {type(value).__name__}", key="id", hint="pass the id as text, e.g. 'gpt3-context'"
        )
    if not value:
        raise InvalidIdError("a claim id cannot be empty", key=repr(value), hint="use lower-case letters, digits and hyphens")
    if len(value) > 80 or not _ID.fullmatch(value):
        raise InvalidIdError(
            f"{value!r} is not a valid claim id",
            key="id",
            hint="use 1 to 80 lower-case ASCII letters, digits and single hyphens, e.g. 'gpt3-context-window'",
        )
    return value


#: Names Windows gives to devices, whatever follows the dot: a claim file ``con.toml`` cannot be checked out there.
WINDOWS_RESERVED = frozenset(("con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))))


def validate_new_id(value: str) -> str:
    """:func:`validate_id`, and not a name Windows reserves (``con``, ``nul``, ``com1``...): for a claim to be made.

    A file already named so is still read; only new ones are refused.
    """
    validate_id(value)
    if value in WINDOWS_RESERVED:
        raise InvalidIdError(
            f"{value!r} cannot be a claim id: Windows reserves the name, so claims/{value}.toml could not be checked out there",
            key="id",
            hint=f"choose another id, e.g. {value + '-claim'!r}",
        )
    return value


def to_date(value: object) -> dt.date:
    """Accept a date, a datetime or an ISO ``YYYY-MM-DD`` string (see :mod:`claimtrack.values` for the checked one)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidValueError(f"{value!r} is not a date", key="date", hint="write it as YYYY-MM-DD")


class _FastPickle(enum.StrEnum):
    # Pickle members by name through the C-level getattr; the cache unpickles millions of them.
    def __reduce_ex__(self, protocol: object) -> tuple[Any, ...]:
        return getattr, (self.__class__, self._name_)


class Stance(_FastPickle):
    """How a source bears on a claim."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    MENTIONS = "mentions"


class Status(_FastPickle):
    """Where a claim is in its life: active, superseded by another claim, or retracted."""

    ACTIVE = "active"
    SUPERSEDED = "superseded"
    RETRACTED = "retracted"


class RevisionKind(_FastPickle):
    """Kinds follow the update notices of publishing."""

    CREATED = "created"
    CORRECTION = "correction"
    CLARIFICATION = "clarification"
    UPDATE = "update"
    HEDGE = "hedge"
    STRENGTHEN = "strengthen"
    CONFIDENCE = "confidence"
    EVIDENCE = "evidence"
    EDITORIAL = "editorial"
    RETRACTION = "retraction"
    SUPERSESSION = "supersession"
    REVIEW = "review"

    @property
    def needs_reason(self) -> bool:
        """True for the kinds a revision must give a reason for (all but created and editorial)."""
        return self not in KINDS_WITHOUT_REASON


#: Revision kinds that may go without a reason.
KINDS_WITHOUT_REASON = frozenset({RevisionKind.CREATED, RevisionKind.EDITORIAL})
#: Revision kinds that do not change what the claim says (see :attr:`Revision.changes_content`).
KINDS_KEEPING_CONTENT = frozenset({RevisionKind.REVIEW, RevisionKind.EDITORIAL, RevisionKind.CREATED})


def _compact(cls: type) -> type:
    """Pickle only the fields that differ from their defaults.

    Defaults become class attributes, so an unpickled record that lacks one in
    its ``__dict__`` still reads it. Unpickling then needs no Python-level
    ``__setstate__``, which is what makes the warm claim cache fast.
    """
    defaults = {}
    for field in attrs.fields(cls):
        if field.default is not attrs.NOTHING and not isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            defaults[field.name] = field.default
            setattr(cls, field.name, field.default)

    def __getstate__(self: object) -> dict[str, object]:
        state = self.__dict__
        return {k: v for k, v in state.items() if k not in defaults or v != defaults[k]}

    setattr(cls, "__getstate__", __getstate__)  # noqa: B010 - mypy forbids assigning a method
    return cls


def folded(text: str) -> str:
    """``text`` case-folded, its runs of white space made one space: ``text`` itself when that changes nothing."""
    out = " ".join(text.casefold().split())
    return text if out == text else out


def _strs(values: Iterable[object] | None) -> tuple[str, ...]:
    if isinstance(values, (str, bytes)):  # one key is not a list of its letters
        raise ValueTypeError(
            f"must be a list of strings, not a single {type(values).__name__}",
            key="evidence",
            hint=f"wrap it in a list: [{values!r}]",
        )
    return tuple(str(v) for v in values or ())


@_compact
@attrs.frozen(slots=False)
class Appearance:
    """Where a claim is stated, word for word."""

    document: str
    locator: str | None = None
    text: str | None = None
    note: str | None = None


@_compact
@attrs.frozen(slots=False)
class Fact:
    """A structured value the claim asserts (subject, property, value)."""

    subject: str
    property: str
    value: str
    note: str | None = None

    @builtins.property  # the field named 'property' hides the builtin here
    def key(self) -> tuple[str, str]:
        """What two claims must agree on: the subject and property, case-folded."""
        return (folded(self.subject), folded(self.property))


@_compact
@attrs.frozen(slots=False)
class Evidence:
    """A source bearing on a claim: a BibTeX key or ``claim:<id>``."""

    source: str
    stance: Stance = attrs.field(default=Stance.SUPPORTS, converter=Stance)
    locator: str | None = None
    quote: str | None = None
    note: str | None = None

    @property
    def is_claim(self) -> bool:
        """True when the evidence is another claim (``claim:<id>``)."""
        return self.source.startswith(CLAIM_PREFIX)

    @property
    def claim_id(self) -> str | None:
        """The id of the claim cited as evidence, or None for a BibTeX key."""
        return self.source[len(CLAIM_PREFIX) :] if self.is_claim else None


@_compact
@attrs.frozen(slots=False)
class Ignore:
    """A per-claim exemption from an audit rule, with the reason for it."""

    rule: str
    reason: str


@_compact
@attrs.frozen(slots=False)
class Revision:
    """One entry of a claim's append-only history.

    A ``created`` revision sets the claim's whole first state; a later one
    changes only what it names:

    * ``statement`` / ``confidence`` / ``status`` / ``superseded_by``: a new value;
    * ``field`` with ``old`` and ``new``: a span edit of the statement (``old``
      must occur exactly once) or a checked change of another scalar field;
    * ``set_*``: a whole new list; ``add_*`` / ``remove_*``: list edits.

    ``evidence`` lists the source keys the change rests on.

    ``date`` is when the change was made; ``recorded``, when it was written,
    is set on a revision dated before one above it (a correction found later):
    it takes effect at its ``date`` and stays where it was written, sealed
    with its ``recorded`` date.
    """

    date: dt.date = attrs.field(converter=to_date)
    kind: RevisionKind = attrs.field(converter=RevisionKind)
    recorded: dt.date | None = attrs.field(default=None, converter=attrs.converters.optional(to_date))
    by: str = ""
    reason: str | None = None
    credited: str | None = None
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    note: str | None = None
    digest: str | None = None
    #: The digests of the revisions this one was written after, when they are not just the sealed one above it.
    after: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    # What changed.
    statement: str | None = None
    confidence: str | None = None
    status: Status | None = attrs.field(default=None, converter=attrs.converters.optional(Status))
    superseded_by: str | None = None
    field: str | None = None
    old: str | None = None
    new: str | None = None
    set_tags: tuple[str, ...] | None = None
    set_depends_on: tuple[str, ...] | None = None
    set_appearances: tuple[Appearance, ...] | None = None
    set_facts: tuple[Fact, ...] | None = None
    set_evidence: tuple[Evidence, ...] | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    add_depends_on: tuple[str, ...] = ()
    remove_depends_on: tuple[str, ...] = ()
    add_appearances: tuple[Appearance, ...] = ()
    remove_appearances: tuple[Appearance, ...] = ()
    add_facts: tuple[Fact, ...] = ()
    remove_facts: tuple[Fact, ...] = ()
    add_evidence: tuple[Evidence, ...] = ()
    remove_evidence: tuple[Evidence, ...] = ()

    @property
    def is_span_edit(self) -> bool:
        """True for an ``old`` -> ``new`` edit of the statement."""
        return self.field in (None, "statement") and self.old is not None and self.new is not None

    @property
    def changes_content(self) -> bool:
        """True when the revision changes what the claim says (not a review or editorial note)."""
        return self.kind not in KINDS_KEEPING_CONTENT

    def markdown(self) -> str:
        """The change as Markdown: ``~~old~~ new``."""
        return str(_ABOVE["render_markdown"](self))

    def criticmarkup(self) -> str:
        """The change as CriticMarkup: ``{~~old~>new~~}``."""
        return str(_ABOVE["render_criticmarkup"](self))

    def to_raw(self) -> dict[str, Any]:
        """The revision as TOML-shaped data, in a stable key order."""
        result: dict[str, Any] = _ABOVE["revision_to_raw"](self)
        return result

    def _repr_html_(self) -> str:
        """The revision for Jupyter: when, what kind, who, the change (``~~old~~ new``), why."""
        return str(_ABOVE["revision_html"](self))


@_compact
@attrs.frozen(slots=False)
class Claim:
    """A claim as it stands now, with the revisions that made it so."""

    id: str = attrs.field(validator=lambda _i, _a, v: validate_id(v))
    statement: str
    confidence: str
    status: Status = attrs.field(default=Status.ACTIVE, converter=Status)
    superseded_by: str | None = None
    tags: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    appearances: tuple[Appearance, ...] = ()
    facts: tuple[Fact, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    revisions: tuple[Revision, ...] = ()
    ignore: tuple[Ignore, ...] = ()
    path: str | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any], *, file: str | None = None) -> Claim:
        """Build a claim from TOML-shaped data, reporting every problem at once."""
        claim: Claim = _ABOVE["claim_from_raw"](raw, file=file)
        return claim

    def to_raw(self) -> dict[str, Any]:
        """The claim as TOML-shaped data, in the order a person reads it."""
        result: dict[str, Any] = _ABOVE["claim_to_raw"](self)
        return result

    def _repr_html_(self) -> str:
        """A card for Jupyter: statement, confidence, evidence, facts, the last change."""
        return str(_ABOVE["claim_card"](self))

    @property
    def created(self) -> dt.date | None:
        """The date of the first revision."""
        return self.revisions[0].date if self.revisions else None

    @property
    def updated(self) -> dt.date | None:
        """The latest revision date (a revision back-dated below the last one does not count as later)."""
        return max(r.date for r in self.revisions) if self.revisions else None

    @property
    def supporting(self) -> tuple[Evidence, ...]:
        """The evidence that supports the claim."""
        return tuple(e for e in self.evidence if e.stance is Stance.SUPPORTS)

    def as_of(self, date: dt.date | str) -> Claim | None:
        """The claim as it stood at the end of ``date``; None before it was created.

        >>> claim.as_of("2022-12-12").statement  # doctest: +SKIP
        'code-davinci-002 has a context window of 4096 tokens.'
        """
        day = to_date(date)
        then: Claim | None = _ABOVE["as_of"](self, day)
        if then is not None:
            object.__setattr__(then, "_viewed_as_of", day)  # not a field: a past view equals the claim it shows
        return then

    @property
    def viewed_as_of(self) -> dt.date | None:
        """The date this claim was taken :meth:`as_of`, or None for the claim as it stands."""
        day: dt.date | None = self.__dict__.get("_viewed_as_of")
        return day

    def diff(self, start: dt.date | str, end: dt.date | str) -> Any:
        """What changed between two dates (a :class:`claimtrack.history.ClaimDiff`)."""
        return _ABOVE["diff"](self, to_date(start), to_date(end))


@attrs.frozen(slots=False)
class ConfidenceLevel:
    """One level of a confidence scale, with what it means and how many supporting sources it expects."""

    name: str
    meaning: str = ""
    min_support: int = 0


@attrs.frozen(slots=False)
class ConfidenceScale:
    """The ordered confidence levels of a library, strongest first."""

    levels: tuple[ConfidenceLevel, ...]

    def __contains__(self, name: object) -> bool:
        return any(level.name == name for level in self.levels)

    def __getitem__(self, name: str) -> ConfidenceLevel:
        for level in self.levels:
            if level.name == name:
                return level
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        """The level names, strongest first."""
        return tuple(level.name for level in self.levels)

    def rank(self, name: str) -> int:
        """0 for the strongest level; larger is weaker."""
        return self.names.index(name)


DEFAULT_SCALE = ConfidenceScale(
    (
        ConfidenceLevel("conclusion", "many pieces of evidence support it", 2),
        ConfidenceLevel("hypothesis", "positive evidence, not strong enough", 1),
        ConfidenceLevel("educated-guess", "no hard evidence, some factors point that way", 0),
    )
)
