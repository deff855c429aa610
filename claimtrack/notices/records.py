"""Notice records: what a retraction, correction or expression of concern says about one source."""

from __future__ import annotations

import datetime as dt
import enum
import re

import attrs

from ..values import check_partial

__all__ = ["Notice", "NoticeKind", "ORIGINS", "ENDING_KINDS", "CORRECTING_KINDS", "earliest_day"]


class NoticeKind(enum.Enum):
    """What a notice does to the paper it is about."""

    RETRACTION = "retraction"
    WITHDRAWAL = "withdrawal"
    CORRECTION = "correction"
    ERRATUM = "erratum"
    EXPRESSION_OF_CONCERN = "expression-of-concern"
    REINSTATEMENT = "reinstatement"

    @property
    def label(self) -> str:
        """How the kind reads after a source's key: ``retracted``, ``corrected``, ..."""
        return _LABELS[self]


_LABELS = {
    NoticeKind.RETRACTION: "retracted",
    NoticeKind.WITHDRAWAL: "withdrawn",
    NoticeKind.CORRECTION: "corrected",
    NoticeKind.ERRATUM: "erratum",
    NoticeKind.EXPRESSION_OF_CONCERN: "expression of concern",
    NoticeKind.REINSTATEMENT: "reinstated",
}

_PASSIVE = {
    NoticeKind.ERRATUM: "given an erratum",
    NoticeKind.EXPRESSION_OF_CONCERN: "the subject of an expression of concern",
}

#: Kinds that take a paper out of the literature: it no longer supports anything.
ENDING_KINDS = frozenset({NoticeKind.RETRACTION, NoticeKind.WITHDRAWAL})
#: Kinds that change what the paper says: a cited locator may have moved or changed.
CORRECTING_KINDS = frozenset({NoticeKind.CORRECTION, NoticeKind.ERRATUM})

#: Where notices come from, and how each is named in messages.
ORIGINS = {"retraction-watch": "Retraction Watch", "crossref": "Crossref", "openalex": "OpenAlex"}

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _check_date(instance: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and not _DATE.fullmatch(value):
        raise ValueError(f"{attribute.name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    if value is not None:
        check_partial(value, key=attribute.name)  # a real year, month and day, in the range a library keeps


def earliest_day(date: str) -> dt.date:
    """The first day a partial date (``2023``, ``2023-03``) can mean."""
    year, _, rest = date.partition("-")
    month, _, day = rest.partition("-")
    return dt.date(int(year), int(month or 1), int(day or 1))


@attrs.frozen
class Notice:
    """One notice about one source of the library.

    ``source`` is the references.bib key it was matched to, ``matched`` the
    identifier that matched (``doi:10.1/x``, ``pmid:123``, ``arxiv:2201.11903``).
    ``date`` is the notice's own date as precise as the data gives it (None
    when the data has none, as OpenAlex's); ``imported`` the day it entered
    the library. ``record`` identifies the notice within its ``origin``: a
    Retraction Watch record id, the notice's DOI at Crossref, an OpenAlex work.
    """

    source: str
    kind: NoticeKind = attrs.field(converter=NoticeKind)
    origin: str = attrs.field(validator=attrs.validators.in_(ORIGINS))
    record: str
    matched: str
    date: str | None = attrs.field(default=None, validator=_check_date)
    notice_doi: str | None = None
    reason: str | None = None
    file: str | None = None
    imported: str | None = attrs.field(default=None, validator=_check_date)
    imported_by: str | None = None

    @property
    def identity(self) -> tuple[str, str, str]:
        """What makes two notices the same notice: importing it again updates it rather than adding it."""
        return (self.source, self.origin, self.record)

    @property
    def effective(self) -> dt.date | None:
        """The day from which a claim is taken to have been written knowing the notice: its date, else its import."""
        when = self.date or self.imported
        return earliest_day(when) if when else None

    def same_content(self, other: Notice) -> bool:
        """True when ``other`` says the same as this one (where and when each was imported aside)."""
        return attrs.evolve(other, file=self.file, imported=self.imported, imported_by=self.imported_by) == self

    def describe(self) -> str:
        """What happened, after "which was": ``retracted on 2023-03-14 (Retraction Watch record 45321, notice 10.1/r)``."""
        when = f" on {self.date}" if self.date else ", date not given"
        what = _PASSIVE.get(self.kind, self.kind.label)
        return f"{what}{when} ({self.where()})"

    def where(self) -> str:
        """Where the notice comes from: ``Retraction Watch record 45321, notice 10.1/r``, ``OpenAlex W123``."""
        where = f"{ORIGINS[self.origin]} {'record ' if self.origin == 'retraction-watch' else ''}{self.record}"
        if self.notice_doi and self.notice_doi != self.record:
            where += f", notice {self.notice_doi}"
        return where

    def short(self) -> str:
        """For a column or a badge: ``retracted 2023-03-14``."""
        return f"{self.kind.label} {self.date}" if self.date else self.kind.label
