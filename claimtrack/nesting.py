"""TOML and JSON read with a bound on nesting: the one place every such input is parsed.

A hostile file can nest arrays thousands deep. The parsers give up with a
RecursionError (tomli past 400 levels of inline arrays or 1,000 key parts, json
near the interpreter's recursion limit), and code that walks a parsed value
recursively could give up later on less. Claim files, ``claimtrack.toml``,
``notices.toml`` and imported JSON all come through here, so a value nested more
than :data:`MAX_DEPTH` deep is refused the same way everywhere: one line naming
the file, never a traceback.

>>> load_toml("a = [[1]]", file="x.toml")
{'a': [[1]]}
"""

from __future__ import annotations

import json
from typing import Any

import tomli

from .errors import ClaimtrackError

__all__ = ["MAX_DEPTH", "load_toml", "load_json", "deeper_than"]

#: The deepest a parsed value may nest (a table or array counts one level).
#: Claim files need five or six levels, Crossref and OpenAlex works about eight.
MAX_DEPTH = 100


def deeper_than(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when ``value`` holds dicts or lists nested more than ``limit`` deep (found without recursion)."""
    stack = [(value, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        item, depth = pop()
        kind = type(item)
        if kind is not dict and kind is not list:
            continue
        if depth > limit:
            return True
        for child in item.values() if kind is dict else item:
            kind = type(child)
            if kind is dict or kind is list:
                push((child, depth + 1))
    return False


def _too_deep(file: str, line: int | None, error: type[ClaimtrackError], hint: str) -> ClaimtrackError:
    return error(
        f"is nested too deeply to read (arrays or tables more than {MAX_DEPTH} levels inside one another)",
        file=file,
        line=line,
        hint=hint,
    )


def load_toml(
    text: str, *, file: str, error: type[ClaimtrackError] = ClaimtrackError, hint: str = "remove the nesting"
) -> dict[str, Any]:
    """``tomli.loads(text)``, refusing nesting deeper than :data:`MAX_DEPTH` with ``error`` naming ``file``.

    A ``tomli.TOMLDecodeError`` passes through, for the caller to word.
    """
    try:
        raw = tomli.loads(text)
    except RecursionError as e:
        raise _too_deep(file, None, error, hint) from e
    if deeper_than(raw):
        raise _too_deep(file, None, error, hint)
    return raw


def load_json(
    text: str,
    *,
    file: str,
    line: int | None = None,
    error: type[ClaimtrackError] = ClaimtrackError,
    hint: str = "remove the nesting",
) -> Any:
    """``json.loads(text)``, refusing nesting deeper than :data:`MAX_DEPTH` with ``error`` naming ``file`` and ``line``.

    A ``json.JSONDecodeError`` passes through, for the caller to word.
    """
    try:
        value = json.loads(text)
    except RecursionError as e:
        raise _too_deep(file, line, error, hint) from e
    if deeper_than(value):
        raise _too_deep(file, line, error, hint)
    return value
