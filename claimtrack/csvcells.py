"""CSV that a spreadsheet reads as data: formulas neutralised, a lone carriage return quoted.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is what spreadsheets run as a formula (CSV injection), so such a cell is
written with a ``'`` before it, the mark spreadsheets themselves use for
"this is text". A cell that already starts with ``'`` gets one more, so
:func:`restore` (which ``read_frames`` applies) gives back the exact text.
JSON output is never changed.

Python's csv writer quotes a cell holding a newline but not one holding a
lone carriage return, which a spreadsheet then reads as the end of the row;
:func:`csv_text` quotes both.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["FORMULA_START", "neutralise", "restore", "csv_text", "requote"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = frozenset("=+-@\t\r")


def neutralise(value: str) -> str:
    """The cell as written: ``'`` before a formula (and before a leading ``'``), else unchanged.

    >>> neutralise("=SUM(A1:A9)"), neutralise("GPT-3"), neutralise("'quoted")
    ("'=SUM(A1:A9)", 'GPT-3', "''quoted")
    """
    return "'" + value if value[:1] in FORMULA_START or value.startswith("'") else value


def restore(value: str) -> str:
    """The text a :func:`neutralise`\\ d cell stood for."""
    return value[1:] if value.startswith("'") else value


def csv_text(rows: Iterable[Sequence[Any]], *, neutralised: bool = True) -> str:
    """Rows as CSV text, one ``\\n`` a row; text cells neutralised unless ``neutralised`` is false."""
    buffer = io.StringIO()
    # "\r\n" as the terminator makes the writer quote any cell holding "\r" or "\n"; each row's own
    # terminator is then put back to "\n"
    writer = csv.writer(buffer, lineterminator="\r\n")
    out = []
    for row in rows:
        writer.writerow([neutralise(v) if neutralised and isinstance(v, str) else v for v in row])
        out.append(buffer.getvalue()[:-2] + "\n")
        buffer.seek(0)
        buffer.truncate()
    return "".join(out)


def requote(text: str) -> str:
    """CSV written with ``\\r\\n`` row ends (so every CR and LF inside a cell is quoted) with ``\\n`` row ends."""
    return csv_text(csv.reader(io.StringIO(text, newline="")), neutralised=False)
