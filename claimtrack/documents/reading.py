"""Reading a document file into blocks, with one clear error when it cannot be read."""

from __future__ import annotations

from pathlib import Path

import attrs

from ..errors import DocumentError
from ..fileio import read_input
from .latex_text import LATEX_SUFFIXES, latex_blocks
from .limits import MAX_DOCUMENT_BYTES, MAX_DOCUMENT_LINES
from .markdown import Block, parse_markdown, plain_blocks

__all__ = ["Document", "read_document", "read_text", "MARKDOWN_SUFFIXES"]

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mdx"})


@attrs.frozen
class Document:
    path: Path
    blocks: tuple[Block, ...]
    markdown: bool


def read_document(path: str | Path, *, markdown: bool | None = None) -> Document:
    """Read a Markdown (by suffix, or ``markdown=True``), LaTeX (by suffix) or plain-text document.

    Raises DocumentError for a missing file, anything but a regular file (a folder, a FIFO, a device),
    text that is not UTF-8, or a document past the size limits of :mod:`.limits`.
    """
    path = Path(path)
    text = read_text(path)
    if markdown is None:
        markdown = path.suffix.casefold() in MARKDOWN_SUFFIXES
    try:
        if markdown:
            blocks = parse_markdown(text)
        elif path.suffix.casefold() in LATEX_SUFFIXES:
            blocks = latex_blocks(text)
        else:
            blocks = plain_blocks(text)
    except (ValueError, IndexError, KeyError, RecursionError) as e:  # parser limits on hostile input
        raise DocumentError(f"cannot be parsed as {'Markdown' if markdown else 'text'}: {e}", file=path) from e
    return Document(path, tuple(blocks), markdown)


def read_text(path: str | Path) -> str:
    """A document's text (UTF-8, a byte-order mark dropped); DocumentError when it cannot be read as text."""
    path = Path(path)
    try:
        raw = read_input(path, error=DocumentError)  # a FIFO, a device or a folder is refused at once
    except FileNotFoundError as e:
        raise DocumentError("no such document", file=path, hint="check the path") from e
    except OSError as e:
        raise DocumentError(f"cannot be read ({e.strerror or e})", file=path, hint="check its permissions") from e
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            f"is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB, the most a document may be",
            file=path,
            hint="split it into smaller documents",
        )
    lines = raw.count(b"\n") + (not raw.endswith(b"\n"))
    if lines > MAX_DOCUMENT_LINES:
        raise DocumentError(
            f"has {lines:,} lines, more than the {MAX_DOCUMENT_LINES:,} a document may have",
            file=path,
            hint="split it into smaller documents",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DocumentError(
            f"is not UTF-8 text (byte {e.start})", file=path, line=line, hint="convert it to UTF-8, e.g. with iconv"
        ) from e
    if "\x00" in text:
        raise DocumentError("looks like a binary file", file=path, hint="name a Markdown or text file")
    return text
