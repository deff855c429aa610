"""Text safe to print on a terminal: control characters from the data shown as escapes.

A statement, a BibTeX title or a file name can hold ESC, BEL or a carriage
return; printed raw they retitle, clear or rewrite the terminal. Text output
shows each such character as ``\\xNN`` instead: the C0 controls but tab and
newline, DEL, and the C1 controls (U+0080 to U+009F, which some terminals
also obey), and the Unicode bidirectional controls (U+202E RIGHT-TO-LEFT
OVERRIDE and its kin), shown as ``\\uNNNN``, which would turn the rest of a line
around. JSON output needs none of this: JSON writes C0 controls as ``\\u00NN``
and :func:`json_controls` does the same for DEL, C1 and the bidi controls, so
the decoded text stays exact. :data:`CONTROLS` is what every format escapes.
"""

from __future__ import annotations

import re

__all__ = ["CONTROLS", "CONTROL_CLASS", "escape_controls", "json_controls", "written"]

#: The Unicode bidirectional controls: marks, embeddings, overrides and isolates.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: The characters of :data:`CONTROLS`, for a regular expression's character class.
CONTROL_CLASS = f"\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}"
#: Every character that text output shows as an escape: C0 but tab and newline, DEL, C1, the bidi controls.
CONTROLS = re.compile(f"[{CONTROL_CLASS}]")
_JSON_RAW = re.compile(f"[\\x7f-\\x9f{_BIDI}]")  # the controls json.dumps leaves as they are


def written(char: str) -> str:
    r"""How an escaped control character is written: ``\x1b``, ``\u202e``."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    r"""``text`` with every control character but tab and newline written as ``\xNN`` (``\uNNNN`` for bidi).

    >>> escape_controls("title\x1b]0;pwned\x07 \u202egnp.exe")
    'title\\x1b]0;pwned\\x07 \\u202egnp.exe'
    """
    return CONTROLS.sub(lambda m: written(m.group()), text)


def json_controls(text: str) -> str:
    """JSON text with DEL, the C1 and the bidi controls written as ``\\uNNNN`` escapes (same value, nothing raw)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
