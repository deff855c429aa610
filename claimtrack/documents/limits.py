"""How large a document ``import``, ``diff`` and ``stale`` take, and the bounds that keep them linear.

Every step over a document is linear in its size, but markdown-it alone
takes about 30 us a line, so a document has a size past which it is refused
with one line rather than read for minutes: :data:`MAX_DOCUMENT_BYTES` and
:data:`MAX_DOCUMENT_LINES`. Inside those, the work per change is bounded: a
sentence longer than :data:`MATCH_WINDOW` characters is matched against the
claims (and reported) by the stretch of it around the change, and the new
text of an unmarked correction is at most :data:`MAX_NEW_SPAN` characters.
"""

from __future__ import annotations

__all__ = ["MAX_DOCUMENT_BYTES", "MAX_DOCUMENT_LINES", "MATCH_WINDOW", "MAX_NEW_SPAN", "DIFF_WORDS"]

#: A document larger than this (32 MiB) is refused.
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
#: A document with more lines than this is refused.
MAX_DOCUMENT_LINES = 1_000_000
#: Characters of a long sentence, around the change, that stand for it.
MATCH_WINDOW = 600
#: The most characters the new text of a correction without an end mark runs to.
MAX_NEW_SPAN = 1_000
#: Past this many changed words in one paragraph pair (after the common start and end are set aside), the
#: word-level diff is not run and the changed middle is reported as one change.
DIFF_WORDS = 20_000
