"""Reading a downloaded notices file: its bytes decoded, its format recognised, its notices matched."""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from pathlib import Path

import attrs

from ..errors import NoticeError
from ..fileio import read_input
from .matching import SourceIndex
from .records import Notice
from .retraction_watch import looks_like_header
from .retraction_watch import read as read_retraction_watch
from .works import parse_json
from .works import read as read_works

__all__ = ["Read", "read_file", "read_bytes", "FORMATS", "MAX_UNPACKED"]

#: What ``claimtrack notices import`` reads, as named in its messages.
FORMATS = "a Retraction Watch CSV, Crossref works (JSON or JSON lines) or OpenAlex works (JSON lines)"

#: The most a compressed file may unpack to. Crossref's and OpenAlex's snapshot parts unpack to tens
#: of megabytes, the whole Retraction Watch database to about 60; a few kilobytes of gzip can
#: claim gigabytes, so unpacking stops here.
MAX_UNPACKED = 512 * 2**20


@attrs.frozen
class Read:
    """What one file gave: its format, how many records it holds, and the notices about the library's sources."""

    file: str
    format: str
    records: int
    notices: tuple[tuple[Notice, int], ...]  # each with the line it was read from


def _windows_1252(error: UnicodeError) -> tuple[str, int]:
    # The Retraction Watch export is UTF-8 with a few Windows-1252 bytes; read those as what they meant.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("claimtrack-cp1252", _windows_1252)


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), any stray byte read as Windows-1252."""
    return data.decode("utf-8-sig", errors="claimtrack-cp1252")


def read_file(path: str | Path, index: SourceIndex) -> Read:
    """Read one downloaded file; raises NoticeError (one line, naming the file) when it cannot be read."""
    path = Path(path)
    try:
        data = read_input(path, error=NoticeError)  # a folder, a FIFO or a device is refused at once
    except OSError as e:
        raise NoticeError(f"cannot be read: {e.strerror or e}", file=path, hint="check the path and its permissions") from e
    return read_bytes(data, str(path), index)


def _unpacked(data: bytes, file: str) -> bytes:
    """The gzip-compressed ``data`` unpacked, read no further than :data:`MAX_UNPACKED`: a small bomb cannot fill memory."""
    limit = MAX_UNPACKED
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
            unpacked = packed.read(limit + 1)
    except (OSError, EOFError, zlib.error) as e:
        raise NoticeError(f"is a broken gzip file ({e})", file=file, hint="download it again") from e
    if len(unpacked) > limit:
        raise NoticeError(
            f"unpacks to more than {limit / 2**20:g} MiB (from {len(data):,} bytes), too much to import at once",
            file=file,
            hint="split it into smaller files (zcat FILE | split -l 100000) and import those",
        )
    return unpacked


def read_bytes(data: bytes, file: str, index: SourceIndex) -> Read:
    """Recognise the format of ``data`` and read it (``file`` names it in errors); gzip-compressed data is unpacked first.

    Crossref's and OpenAlex's snapshots come compressed (``part_000.gz``).
    """
    if data[:2] == b"\x1f\x8b":
        data = _unpacked(data, file)
    text = decode(data)
    start = text.lstrip()
    if not start:
        raise NoticeError("is empty", file=file, hint=f"import {FORMATS}")
    first_line = start.split("\n", 1)[0]
    if start[0] in "{[":
        notices, records, origin = read_works(parse_json(text, file), file, index)
        return Read(file, origin, records, tuple(notices))
    if looks_like_header(first_line) or Path(file).suffix.lower() == ".csv" or first_line.count(",") >= 3:
        found, rows = read_retraction_watch(text, file, index)
        return Read(file, "retraction-watch", rows, tuple(found))
    shown = first_line.strip()[:40]
    raise NoticeError(
        f"is not in a format claimtrack reads (it starts {shown!r})",
        file=file,
        line=1,
        hint=f"import {FORMATS}",
    )
