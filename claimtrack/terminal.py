"""Text safe to print on a terminal: control characters from the data shown as escapes.

A statement, a BibTeX title or a file name can hold ESC, BEL or a carriage
return; printed raw they retitle, clear or rewrite the terminal. Text output
shows each such character as ``\\xNN`` instead: the C0 controls but tab and
newline, DEL, and the C1 controls (U+0080 to U+009F, which some terminals
also obey). JSON output needs none of this: JSON writes C0 controls as
``\\u00NN`` and :func:`json_controls` does the same for DEL and C1, so the
decoded text stays exact.
"""

from __future__ import annotations

import re

__all__ = ["escape_controls", "json_controls"]

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_RAW = re.compile(r"[\x7f-\x9f]")  # the controls json.dumps leaves as they are


def escape_controls(text: str) -> str:
    r"""``text`` with every control character but tab and newline written as ``\xNN``.

    >>> escape_controls("title\x1b]0;pwned\x07")
    'title\\x1b]0;pwned\\x07'
    """
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def json_controls(text: str) -> str:
    """JSON text with DEL and the C1 controls written as ``\\u00NN`` escapes (same value, nothing raw)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
