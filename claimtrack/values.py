"""What a date, a text or a list may be: one place, used by every way values come in.

Command-line options, the Python API, notices imported from downloads and
batch rows all pass their values through these checks before anything is
written, so a value refused in one place is refused everywhere, with the
same one-line message:

* a **date** is a real calendar day written ``YYYY-MM-DD`` (or a ``date``),
  from :data:`EARLIEST` on and, for when a change was made, not after
  today (a day of clock skew allowed);
* a **text** is a ``str`` that is valid UTF-8 (no lone surrogates, which is
  what bytes that are not UTF-8 in an argument become) and, where it must say
  something, not blank: white space and invisible characters (zero-width
  spaces, byte-order marks) alone do not count;
* a **list** of texts or records is a list, tuple or other iterable of them,
  never a single string (``tags="abc"`` is not three tags).

Wrong types raise :class:`~claimtrack.errors.ValueTypeError` (a ``TypeError``),
wrong values :class:`~claimtrack.errors.InvalidValueError` (a ``ValueError``);
both are :class:`~claimtrack.ClaimtrackError`.

>>> check_text("  GPT-3 has 175B parameters. ", "statement")
'  GPT-3 has 175B parameters. '
>>> check_date("2022-12-11")
datetime.date(2022, 12, 11)
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs

from .errors import InvalidValueError, ValueTypeError

__all__ = [
    "EARLIEST",
    "SKEW",
    "DATE_VARIABLE",
    "BY_VARIABLE",
    "latest_allowed",
    "check_date",
    "date_or_default",
    "by_from_environment",
    "check_day",
    "partial_date",
    "check_text",
    "check_optional_text",
    "check_texts",
    "check_records",
    "is_blank",
]

T = TypeVar("T")

#: The earliest date a revision or notice may carry: before it, a date is a typo (``0001-01-01``, ``202-01-01``),
#: and reports and data frames (pandas' nanosecond dates start in 1677) could not hold it.
EARLIEST = dt.date(1700, 1, 1)
#: How far past today a date may be, for clocks a day apart (a writer east of the machine that checks).
SKEW = dt.timedelta(days=1)
#: The environment variables that fill ``--date`` and ``--by`` (and the Python API's defaults) when set.
DATE_VARIABLE = "CLAIMTRACK_DATE"
BY_VARIABLE = "CLAIMTRACK_BY"

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_FORMAT_HINT = "write it as YYYY-MM-DD"


def latest_allowed(today: dt.date | None = None) -> dt.date:
    """The latest date a change may be dated: today plus :data:`SKEW`."""
    return (today or dt.date.today()) + SKEW


def check_day(day: dt.date, *, key: str = "date", future: bool = False, **where: Any) -> dt.date:
    """``day`` when it is in the range a library holds (see :func:`check_date`), else InvalidValueError."""
    if day < EARLIEST:
        raise InvalidValueError(
            f"{day.isoformat()} is before {EARLIEST.isoformat()}",
            key=key,
            hint=f"check the year; dates from {EARLIEST.isoformat()} on are kept",
            **where,
        )
    if not future:
        latest = latest_allowed()
        if day > latest:
            raise InvalidValueError(
                f"{day.isoformat()} is in the future (today is {(latest - SKEW).isoformat()})",
                key=key,
                hint="a change is dated when it was made, which cannot be later than today; check the year",
                **where,
            )
    return day


def check_date(value: object, *, key: str = "date", future: bool = False, **where: Any) -> dt.date:
    """A date from a ``date``, a ``datetime`` or a ``YYYY-MM-DD`` string, checked: a real day, from
    :data:`EARLIEST` on, and (unless ``future``) not after :func:`latest_allowed`.

    ``where`` (``file``, ``line``) says where the value was read, for the error.

    >>> check_date("2023-02-30")
    Traceback (most recent call last):
    ...
    claimtrack.errors.InvalidValueError: date: '2023-02-30' does not exist; check the month and day; write it as YYYY-MM-DD
    """
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        text = value.strip()
        match = _ISO.fullmatch(text)
        if match is None:
            raise InvalidValueError(f"{value!r} is not a date", key=key, hint=_FORMAT_HINT, **where)
        try:
            day = dt.date(*map(int, match.groups()))
        except ValueError as e:
            raise InvalidValueError(
                f"{text!r} does not exist", key=key, hint="check the month and day; write it as YYYY-MM-DD", **where
            ) from e
    else:
        raise ValueTypeError(
            f"must be a date or a YYYY-MM-DD string, not {type(value).__name__}", key=key, hint=_FORMAT_HINT, **where
        )
    return check_day(day, key=key, future=future, **where)


def date_or_default(value: object) -> dt.date:
    """``value`` checked as the date of a change; when None, ``CLAIMTRACK_DATE`` if set, else today."""
    if value is not None:
        return check_date(value)
    preset = os.environ.get(DATE_VARIABLE)
    if preset:  # set and not empty (an empty variable is as good as unset)
        return check_date(preset, key=DATE_VARIABLE)
    return dt.date.today()


def by_from_environment() -> str | None:
    """``CLAIMTRACK_BY`` when set and not empty (checked as a name), else None."""
    preset = os.environ.get(BY_VARIABLE)
    if not preset:
        return None
    return check_text(preset, BY_VARIABLE)


def partial_date(year: object, month: object = None, day: object = None, *, key: str = "date", **where: Any) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` from numbers (or digit strings), each part a real one.

    What a notice's date may be: the data often gives only the year or the month.

    >>> partial_date(2023, 2)
    '2023-02'
    """
    parts: list[int] = []
    for part in (year, month, day):
        if part is None:
            break
        try:
            number = int(part)  # type: ignore[call-overload]
        except (TypeError, ValueError, OverflowError) as e:
            raise InvalidValueError(f"{part!r} is not a number in a date", key=key, hint=_FORMAT_HINT, **where) from e
        if isinstance(part, float) and part != number:
            raise InvalidValueError(f"{part!r} is not a whole number in a date", key=key, hint=_FORMAT_HINT, **where)
        parts.append(number)
    text = "-".join([f"{parts[0]:04d}", *(f"{n:02d}" for n in parts[1:])]) if parts else repr(year)
    if not parts or not 1 <= parts[0] <= 9999:
        raise InvalidValueError(f"{text} is not a date", key=key, hint="the year must have four digits", **where)
    try:
        first = dt.date(parts[0], *(parts[1:] + [1, 1])[:2])
    except ValueError as e:
        raise InvalidValueError(f"{text} does not exist", key=key, hint="check the month and day", **where) from e
    check_day(first, key=key, future=True, **where)
    return text


def check_partial(text: str, *, key: str = "date", **where: Any) -> str:
    """A ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` string whose parts are a real year, month and day."""
    match = _PARTIAL.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidValueError(f"must be YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}", key=key, hint=_FORMAT_HINT, **where)
    return partial_date(*match.groups(), key=key, **where)


def is_blank(text: str) -> bool:
    """True when ``text`` shows nothing: only white space and invisible characters (format characters such as
    zero-width spaces and byte-order marks)."""
    return all(ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc", "Zs") for ch in text)


def check_text(value: object, key: str, *, blank: bool = False, **where: Any) -> str:
    """``value`` when it is a ``str`` of valid UTF-8 that shows something (or, with ``blank``, that may be empty).

    >>> check_text("\\u200b", "statement")
    Traceback (most recent call last):
    ...
    claimtrack.errors.InvalidValueError: statement: is blank (only white space or invisible characters); write some text
    """
    if not isinstance(value, str):
        raise ValueTypeError(f"must be a string, not {type(value).__name__}", key=key, hint="pass text", **where)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InvalidValueError(
            f"is not valid UTF-8 text (character {e.start + 1} is {value[e.start]!r}, a byte that is not UTF-8)",
            key=key,
            hint="pass the text in UTF-8 (check the terminal's or the file's encoding)",
            **where,
        ) from None
    if not blank and is_blank(value):
        raise InvalidValueError(
            "is blank (only white space or invisible characters)" if value else "is empty",
            key=key,
            hint="write some text",
            **where,
        )
    return value


def check_optional_text(value: object, key: str, *, blank: bool = False, **where: Any) -> str | None:
    """:func:`check_text`, with None let through (a value not given)."""
    return None if value is None else check_text(value, key, blank=blank, **where)


def check_texts(values: object, key: str, **where: Any) -> tuple[str, ...]:
    """A list of texts (tags, ids, keys): any iterable of strings but a single string; each checked.

    >>> check_texts("abc", "tags")
    Traceback (most recent call last):
    ...
    claimtrack.errors.ValueTypeError: tags: must be a list of strings, not a single str; wrap it in a list: ['abc']
    """
    items = _iterable(values, key, "strings", **where)
    return tuple(check_text(item, f"{key}[{i}]", **where) for i, item in enumerate(items))


def check_records(values: object, cls: type[T], key: str, *, texts: bool = True, **where: Any) -> tuple[T, ...]:
    """A list of records of ``cls`` (appearances, facts, evidence), their texts checked (unless not ``texts``:
    records copied from a file to be removed are taken as they are)."""
    items = _iterable(values, key, f"{cls.__name__} records", **where)
    for i, item in enumerate(items):
        if not isinstance(item, cls):
            raise ValueTypeError(
                f"must be a record made with {cls.__name__}(...), not {type(item).__name__}",
                key=f"{key}[{i}]",
                hint=f"make it with claimtrack.{cls.__name__}(...)",
                **where,
            )
        for field in getattr(cls, "__attrs_attrs__", ()) if texts else ():
            text = getattr(item, field.name)
            name = field.name
            if text is not None:
                # An optional part given empty is as good as not given (a file may hold it so); blank-looking is not.
                optional = field.default is not attrs.NOTHING
                check_text(text, f"{key}[{i}].{name}", blank=optional and text == "", **where)
    return items


def _iterable(values: object, key: str, what: str, **where: Any) -> tuple[Any, ...]:
    if values is None:
        return ()
    if isinstance(values, (str, bytes, bytearray)):
        shown = values if isinstance(values, str) else values.decode("utf-8", "replace")
        raise ValueTypeError(
            f"must be a list of {what}, not a single {type(values).__name__}",
            key=key,
            hint=f"wrap it in a list: [{shown!r}]",
            **where,
        )
    if isinstance(values, dict) or not isinstance(values, Iterable):
        raise ValueTypeError(f"must be a list of {what}, not {type(values).__name__}", key=key, hint="pass a list", **where)
    return tuple(values)
