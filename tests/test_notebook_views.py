"""What a notebook shows: a past view says its date, a claim card shows its corrections, and a library, its
claims, a revision and an audit have HTML views, with every text from the library escaped."""

from __future__ import annotations

import json
import re

import pytest

import claimtrack
from claimtrack.audit import Findings

HOSTILE = '<img src=x onerror=alert(1)> & "quoted"'


def _text(html: str) -> str:
    """What a reader sees: the HTML's tags dropped, one space between words."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_claim_as_of_a_date_says_so(cdv2: claimtrack.Library) -> None:
    claim = cdv2.claims["cdv2-context"]
    then = claim.as_of("2022-12-12")
    assert then is not None and then.viewed_as_of is not None and claim.viewed_as_of is None
    past, now = then._repr_html_(), claim._repr_html_()
    assert past != now
    assert "as of 2022-12-12" in _text(past) and "as of" not in _text(now)
    assert "4096 tokens" in past and "8192" not in past  # the correction came later
    assert then == claim.as_of("2022-12-12")  # the date it was viewed is no field: equality holds


def test_the_card_shows_each_correction_as_the_report_does(cdv2: claimtrack.Library) -> None:
    card = cdv2.claims["cdv2-context"]._repr_html_()
    # the statement edit in context, old struck through, new inserted; who made it, who found it, why
    assert "code-davinci-002 has a context window of <del>4096</del> <ins>8192</ins> tokens." in card
    seen = _text(card)
    assert "2022-12-18 correction by A. Author, credited to A. Reader" in seen
    assert "why: the window is 8192" in seen
    assert "+ evidence: chen2021codex (supports, section 2)" in seen  # the evidence revision too


def test_a_card_with_no_change_since_creation_lists_none(lib: claimtrack.Library) -> None:
    card = lib.add("plain", "A plain claim.", by="A. Author", date="2022-12-11")._repr_html_()
    assert "since it was recorded" not in card and "1 revision; last: 2022-12-11 created by A. Author" in _text(card)


def test_a_revision_shows_as_html(cdv2: claimtrack.Library) -> None:
    revision = cdv2.claims["cdv2-context"].revisions[-1]
    html = revision._repr_html_()
    assert html.startswith('<div class="claimtrack-revision">')
    assert "<del>4096</del> <ins>8192</ins>" in html
    assert "2022-12-18 correction by A. Author, credited to A. Reader" in _text(html) and "why: the window is 8192" in html


def test_claims_say_how_many_and_show_a_table(cdv2: claimtrack.Library) -> None:
    cdv2.add("second", "A second claim.", by="A. Author", date="2022-12-12")
    lib = claimtrack.open(cdv2.root)
    assert repr(lib.claims) == "<Claims: 2 claims>"  # as the README promises, without loading the library
    assert not lib.claims.loaded
    table = lib.claims._repr_html_()
    assert '<caption style="text-align: left">2 claims</caption>' in table
    assert "<td><code>cdv2-context</code></td>" in table and "<td><code>second</code></td>" in table
    assert table.count("<tr>") == 3  # the head and two claims
    assert len(lib.claims) == 2 and lib.claims._repr_html_() == table  # loaded, the same table


def test_a_large_library_shows_the_first_claims_and_counts_the_rest(lib: claimtrack.Library) -> None:
    from claimtrack.notebook import TABLE_ROWS

    for number in range(TABLE_ROWS + 3):
        lib.add(f"c{number:03}", f"Claim number {number}.", by="A. Author", date="2022-12-11")
    table = claimtrack.open(lib.root).claims._repr_html_()
    assert f"{TABLE_ROWS + 3} claims</caption>" in table and "and 3 more claims" in table
    assert "<code>c000</code>" in table and "<code>c052</code>" not in table


def test_a_library_shows_as_a_card(cdv2: claimtrack.Library) -> None:
    lib = claimtrack.open(cdv2.root)
    card = lib._repr_html_()
    assert card.startswith('<div class="claimtrack-library"')
    assert f"{lib.settings.title} {lib.root} : 1 claim, 2 sources" in _text(card)
    assert "<code>cdv2-context</code>" in card


def test_lib_audit_is_a_list_that_shows_as_a_table(cdv2: claimtrack.Library) -> None:
    findings = cdv2.audit()
    assert isinstance(findings, Findings) and isinstance(findings, list)
    assert findings == list(claimtrack.audit_all(cdv2).findings)
    table = findings._repr_html_()
    assert "0 errors, 1 warning, 1 info</caption>" in table and "<td>under-supported</td>" in table


@pytest.mark.parametrize("field", ["statement", "reason", "credited", "tag", "title"])
def test_every_view_escapes_library_text(field: str, lib: claimtrack.Library) -> None:
    statement = HOSTILE if field == "statement" else "A claim."
    lib.add("x", statement, tags=[HOSTILE] if field == "tag" else [], by="A. Author", date="2022-12-11")
    lib.revise(
        "x", statement="A better claim.", reason=HOSTILE if field == "reason" else "clearer",
        credited=HOSTILE if field == "credited" else None, by="A. Author", date="2022-12-12",
    )  # fmt: skip
    if field == "title":
        (lib.root / "claimtrack.toml").write_text(f"title = {json.dumps(HOSTILE)}\n", encoding="utf-8")
    lib = claimtrack.open(lib.root)
    claim = lib.claims["x"]
    views = [claim._repr_html_(), claim.revisions[-1]._repr_html_(), lib.claims._repr_html_(), lib._repr_html_()]
    views.append(claim.as_of("2022-12-11")._repr_html_())  # type: ignore[union-attr]
    for html in views:
        assert "<img" not in html and '"quoted"' not in html
    assert any("&lt;img src=x onerror=alert(1)&gt;" in html for html in views)


def test_a_long_history_shows_its_latest_changes_and_counts_the_rest(cdv2: claimtrack.Library) -> None:
    from claimtrack.notebook import CARD_CHANGES

    for number in range(CARD_CHANGES):
        cdv2.cite("cdv2-context", "chen2021codex", locator=f"page {number}", by="A. Author", date="2022-12-19")
    card = cdv2.claims["cdv2-context"]._repr_html_()
    assert card.count('<li><div class="claimtrack-revision">') == CARD_CHANGES
    assert "2 earlier changes not shown" in card  # the first citation and the correction
    assert "page 19" in card and "<del>4096</del>" not in card


def test_a_long_audit_shows_the_first_findings_and_counts_the_rest() -> None:
    from claimtrack.audit import Finding
    from claimtrack.notebook import FINDING_ROWS

    findings = Findings(
        Finding(rule="under-supported", severity="warning", claim=f"c{n}", message="<thin>") for n in range(FINDING_ROWS + 5)
    )
    table = findings._repr_html_()
    assert table.count("<td>under-supported</td>") == FINDING_ROWS and "and 5 more findings" in table
    assert f"0 errors, {FINDING_ROWS + 5} warnings, 0 info</caption>" in table and "&lt;thin&gt;" in table
