"""Front matter: the blocks of a document that say who wrote it and where it lives, not what it claims.

A diff leaves them out unless asked, since a changed link or affiliation is no
revision of a claim. A block is front matter when it is the document's title
(its first block, a few words long, not ending like a sentence), a bare link, a line with an e-mail
address, or a table of contents (its label and the short entries after it).
A table of contents that comes before the first heading ends the front
matter: every block above it (authors, thanks, dates, a summary) is part of it.

>>> front_matter([("How does GPT Obtain its Ability?", False), ("https://example.org/post", False),
...               ("GPT-3 was trained on C4.", False)])
{0, 1}
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["front_matter"]

_LINK = re.compile(r"^\W*(?:https?://|www\.)\S+\W*$", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CONTENTS = re.compile(r"^\W*(?:table of contents?|contents|目录)\W*$", re.I)
_TITLE_WORDS = 12
_ENTRY_WORDS = 8
_EMAIL_WORDS = 12


def front_matter(blocks: Sequence[tuple[str, bool]]) -> set[int]:
    """The indexes of the blocks that are front matter; ``blocks`` are (plain text, is a heading), in document order."""
    out: set[int] = set()
    in_contents = False
    headed = False
    for index, (text, heading) in enumerate(blocks):
        if heading:
            headed = True
            in_contents = False
            continue
        words = text.split()
        if in_contents and words and len(words) <= _ENTRY_WORDS and not text.rstrip().endswith((".", "!", "?")):
            out.add(index)
            continue
        in_contents = bool(_CONTENTS.match(text))
        if in_contents and not headed:
            out.update(range(index))
        if (
            in_contents
            or (index == 0 and len(words) <= _TITLE_WORDS and not text.rstrip().endswith((".", "!", ",", ";", ":")))
            or _LINK.match(text)
            or (_EMAIL.search(text) and len(words) <= _EMAIL_WORDS)
        ):
            out.add(index)
    return out
