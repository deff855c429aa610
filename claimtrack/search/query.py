"""A query read from a file or standard input: text, one clear error when it is not."""

from __future__ import annotations

from pathlib import Path

from ..errors import ClaimtrackError
from ..fileio import read_input

__all__ = ["query_text", "read_query", "MAX_QUERY_BYTES"]

MAX_QUERY_BYTES = 1 << 20  # a query is a passage: a larger input is a document, for match


def query_text(data: bytes, where: str) -> str:
    """``data`` as the text of a query; ClaimtrackError naming ``where`` when it is too large, binary or not UTF-8."""
    if len(data) > MAX_QUERY_BYTES:
        raise ClaimtrackError(
            f"is more than {MAX_QUERY_BYTES >> 20} MiB",
            file=where,
            hint="search for a passage; for a whole document use `claimtrack match`",
        )
    if b"\0" in data:
        raise ClaimtrackError("is binary, not text", file=where, hint="give a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ClaimtrackError(f"is not UTF-8 text (byte {e.start})", file=where, hint="save it as UTF-8") from e


def read_query(path: str | Path) -> str:
    """The text of a query file (see :func:`query_text`); a missing or unreadable file is one clear error too."""
    try:
        data = read_input(path, error=ClaimtrackError)
    except FileNotFoundError as e:
        raise ClaimtrackError("no such file", file=str(path), hint="check the path") from e
    except OSError as e:
        raise ClaimtrackError(f"cannot be read ({e.strerror or e})", file=str(path), hint="check its permissions") from e
    return query_text(data, str(path))
