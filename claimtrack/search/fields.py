"""What of a claim the search engine reads: its words, its context, and the text it embeds.

* the **claim** field: the statement, the texts of its appearances and its
  facts' values: what a person would say when repeating the claim;
* the **context** field: the titles of the sources it cites, its tags, the
  words of its id, its facts' subjects and properties, and its earlier
  wordings (so a superseded or corrected wording still finds the claim,
  which then says that it changed);
* the **meaning** text: the statement and the first source titles, for the
  sentence embedding (the words of a fact-check's title help it as much as
  they help BM25).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable

import attrs

from ..errors import HistoryError
from ..history import statement_versions
from ..model import Claim

__all__ = ["ClaimText", "claim_text"]

_TITLES_EMBEDDED = 2  # source titles added to the embedded text
_MAX_FIELD = 20_000  # characters of one field indexed (a claim is a sentence or a few; its appearances may be long)


@attrs.frozen
class ClaimText:
    """The indexed texts of one claim."""

    claim: str
    context: str
    meaning: str

    @property
    def digest(self) -> bytes:
        """What the index keeps per claim to see that it changed."""
        joined = "\0".join((self.claim, self.context, self.meaning))
        return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).digest()[:16]


def claim_text(claim: Claim, title_of: Callable[[str], str | None]) -> ClaimText:
    """The indexed texts of ``claim``; ``title_of`` gives a source key's title (None when unknown)."""
    spoken = [claim.statement]
    spoken.extend(a.text for a in claim.appearances if a.text)
    spoken.extend(f.value for f in claim.facts)
    titles = []
    for key in dict.fromkeys(e.source for e in claim.evidence):
        if not key.startswith("claim:") and (title := title_of(key)):
            titles.append(title)
    for appearance in claim.appearances:
        if (title := title_of(appearance.document)) and title not in titles:
            titles.append(title)
    context = [*titles, *claim.tags, claim.id.replace("-", " ")]
    context.extend(f"{f.subject} {f.property}" for f in claim.facts)
    if sum(1 for r in claim.revisions if r.statement is not None or r.is_span_edit) > 1:
        with contextlib.suppress(HistoryError, ValueError):  # a history that does not replay is the audit's to report
            context.extend(v.statement for v in statement_versions(claim)[:-1])
    meaning = " ".join([claim.statement, *titles[:_TITLES_EMBEDDED]])
    return ClaimText(" ".join(spoken)[:_MAX_FIELD], " ".join(context)[:_MAX_FIELD], meaning[:_MAX_FIELD])
