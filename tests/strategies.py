"""Hypothesis strategies for claimtrack records."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from claimtrack.history import replay
from claimtrack.model import Appearance, Claim, Evidence, Fact, Revision, RevisionKind, Stance

# Text that stresses TOML: quotes, backslashes, newlines, tabs, Unicode, '#', '[', '=' and long runs.
_alphabet = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
text = st.text(alphabet=_alphabet, min_size=1, max_size=60) | st.sampled_from(
    [
        '"quoted"',
        "back\\slash",
        "line\nbreak",
        "tab\there",
        "# not a comment",
        "[[revisions]]",
        "a = b",
        "Ünïcödé 中文 🚀",
        "x" * 300,
    ]
)
opt_text = st.none() | text
# Required fields must hold something besides white space.
solid = text.filter(lambda s: s.strip())
claim_ids = st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}", fullmatch=True)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
keys = st.from_regex(r"[a-z][a-z0-9]{0,15}", fullmatch=True)

appearances = st.builds(Appearance, document=keys, locator=opt_text, text=opt_text, note=opt_text)
facts = st.builds(Fact, subject=solid, property=solid, value=solid, note=opt_text)
evidence = st.builds(Evidence, source=keys, stance=st.sampled_from(list(Stance)), locator=opt_text, quote=opt_text, note=opt_text)


@st.composite
def claims(draw: st.DrawFn) -> Claim:
    """A claim with a created revision and a few later ones, replayed to its current state."""
    statement = draw(solid)
    start = draw(dates)
    created = Revision(
        date=start,
        kind=RevisionKind.CREATED,
        by=draw(text),
        note=draw(opt_text),
        statement=statement,
        confidence=draw(st.sampled_from(["conclusion", "hypothesis", "educated-guess"])),
        set_tags=tuple(draw(st.lists(text, max_size=3, unique=True))),
        set_depends_on=tuple(draw(st.lists(claim_ids, max_size=2, unique=True))),
        set_appearances=tuple(draw(st.lists(appearances, max_size=2, unique=True))),
        set_facts=tuple(draw(st.lists(facts, max_size=2, unique=True))),
        set_evidence=tuple(draw(st.lists(evidence, max_size=3, unique=True))),
    )
    revisions = [created]
    current = statement
    for offset in range(draw(st.integers(0, 3))):
        date = start + dt.timedelta(days=offset + 1)
        choice = draw(st.sampled_from(["span", "whole", "evidence", "review"]))
        if choice == "span" and current:
            # Replace a span that occurs exactly once: the whole statement always does.
            new = draw(solid)
            revisions.append(
                Revision(
                    date=date,
                    kind="correction",
                    by="x",
                    reason=draw(text),
                    field="statement",
                    old=current,
                    new=new,
                    credited=draw(opt_text),
                )
            )
            current = new
        elif choice == "whole":
            current = draw(solid)
            revisions.append(Revision(date=date, kind="clarification", by="x", reason="r", statement=current))
        elif choice == "evidence":
            item = draw(evidence)
            if item in created.set_evidence or any(item in r.add_evidence for r in revisions):
                continue
            revisions.append(Revision(date=date, kind="evidence", by="x", reason="r", add_evidence=(item,)))
        else:
            revisions.append(Revision(date=date, kind="review", by="x", reason="checked"))
    claim = Claim(id=draw(claim_ids), statement=current, confidence=created.confidence or "", revisions=tuple(revisions))
    return replay(claim)


#: Lines that look like TOML structure when they stand alone, all valid inside a multi-line string.
_STRUCTURE_LINES = st.sampled_from(
    ["[[revisions]]", "]]", "[[", "  [[revisions]]  ", "[revisions]", "[[ revisions ]]", "[x]", "[[evidence]]", "# not a comment",
     'kind = "created"', "a = 1", "", " ", "]", "[", "'", '"', "word", "TOKEN"]
)  # fmt: skip
#: The text of a multi-line string whose lines include such look-alikes (no backslashes or triple quotes).
structure_texts = st.lists(_STRUCTURE_LINES, min_size=1, max_size=8).map("\n".join)
