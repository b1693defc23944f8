"""The ceasefire importers against the forms other shares of the same files take,
found by a third audit (7 December 2026): the published rows re-saved by tools that
write the datasets' -1 ("unknown") as an empty cell or R's ``NA``, a file appended to
itself, a ceasefire refused for one row's bad cell, and rows of one ``uniq_id``
whose declarations are coded to a year or month.

Rows are synthetic, written under the published files' own headers (see
tests/test_ceasefire_second_pass.py). Each expected value is written by hand from the
rule docs/howto/import-ceasefires.md states, never computed by the importer.
"""

from __future__ import annotations

import pytest

from conflict_timeline import Commitment
from test_ceasefire_mapping_rules import REBELS, _by_id, _day, _open_to, _pa
from test_ceasefire_second_pass import _eth


@pytest.mark.parametrize(("cell", "quoted"), [("-1", "-1"), ("", "empty"), ("NA", "NA")])
def test_ended_0_with_the_end_year_unknown_is_flagged_however_unknown_is_written(
    cell: str, quoted: str
) -> None:
    """Rule (how-to, "What is flagged": ``ended 0 with the end year unknown``): a row
    coding ``ended`` 0 ("not ended") with its end year unknown, and no row an end date,
    is read as an unknown end and flagged, both cells in the notes. An empty cell and
    R's ``NA`` are unknown as -1 is (the end is read as unknown for each): the flag
    must not hang on how the file writes "unknown". Before the fix an empty or ``NA``
    ``end_yr`` (483009's rows re-saved so) lost the flag, the disagreement unsaid."""
    batch = _eth({"ended": "0", "end_yr": cell, "end_month": cell, "end_day": cell})
    assert batch.refused == (), batch.refused
    assert batch.flags.get("ended 0 with the end year unknown") == 1, dict(batch.flags)
    ceasefire = _by_id(batch)["eth-prio:70001"]
    assert isinstance(ceasefire, Commitment)
    # Unknown end: from the effect (2001-03-05) to the end of 2020, the coverage.
    assert ceasefire.until == _open_to(_day("2001-03-05"), 2020)
    expected = (
        "ended 0 with the end year unknown: ended=0 (not ended) with the end year coded "
        f"unknown, read as an unknown end: Government of Synthetica (row 1): end_yr {quoted}"
    )
    assert expected in ceasefire.notes.splitlines()


def test_a_ceasefire_refused_for_one_rows_bad_cell_names_its_other_rows_lines() -> None:
    """Rule (how-to, "Notes, sources and refusals"): a ceasefire is never imported with
    some of its rows missing, and a refused row names why. A bad cell in one of a
    ceasefire's three rows (the rebels' cf_effect_month ``x``, line 3) refuses the
    ceasefire at that row's line; its other two rows (lines 2 and 4, counted as merged
    into it) are refused with it, and the refusal names their lines, as it does for a
    row of the wrong length. Before the fix it named only line 3: lines 2 and 4 went
    unmentioned, counted as merged into a ceasefire never imported."""
    batch = _eth(
        {},
        {**REBELS, "cf_effect_month": "x"},
        {"ucdp_actor_id": "33", "actor_name": "Synthetic Militia"},
    )
    assert batch.events() == ()
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (3, "cf_effect_month")
    assert refused.reason == (
        "'x' is not a whole number, in the row of SLF (row 2); the other rows under its "
        "uniq_id (lines 2, 4) are refused with it: a ceasefire or agreement is never "
        "imported with some of its rows missing"
    )
    assert (batch.rows, batch.accepted, batch.merged) == (3, 0, 2)


def test_a_peace_agreement_refused_names_the_line_of_its_copy() -> None:
    """The same rule for a UCDP peace agreement whose row appears twice to the letter
    (the copy counted as merged into it): a bad pa_date refuses the agreement at the
    first row's line (2) and names the copy's (3), refused with it."""
    batch = _pa({"pa_date": "junk"}, {"pa_date": "junk"})
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (2, "pa_date")
    assert refused.reason.endswith(
        "; the other rows under its paid (lines 3) are refused with it: a ceasefire or "
        "agreement is never imported with some of its rows missing"
    )
    assert (batch.rows, batch.accepted, batch.merged) == (2, 0, 1)


def test_a_row_declared_in_a_year_or_month_holding_the_others_day_is_the_same_ceasefire() -> None:
    """Rule (how-to, "Shared ids"): rows of one ``uniq_id`` are another ceasefire only
    when declared more than 90 days after its first row. A declaration coded to its
    year (month and day -1) or month (day -1) may fall on any day of it, up to its
    last: the government's 2001 (to 31 December) or 2001-03 (to 31 March) is at most
    76 days before the rebels' 2001-06-15, so the two rows are one bilateral ceasefire,
    both its parties, declared 2001 or 2001-03 (the earliest declaration). Before the
    fix the year or month was read as its first day (1 January: 165 days; 1 March: 106
    days) and the ceasefire was split in two, flagged "uniq_id shared by two
    ceasefires"."""
    for month, declared in (("-1", "2001"), ("3", "2001-03")):
        batch = _eth(
            {"cf_dec_month": month, "cf_dec_day": "-1"},
            {
                **REBELS,
                **{f"cf_{what}_month": "6" for what in ("dec", "effect")},
                **{f"cf_{what}_day": "15" for what in ("dec", "effect")},
            },
        )
        assert batch.refused == (), batch.refused
        assert "uniq_id shared by two ceasefires" not in batch.flags, dict(batch.flags)
        (ceasefire,) = (r for r in batch.events() if isinstance(r, Commitment))
        assert ceasefire.id == "eth-prio:70001"
        assert sorted(ceasefire.parties) == ["actor:ucdp-11", "actor:ucdp-22"]
        assert ceasefire.occurred == _day(declared)


def test_a_row_declared_more_than_90_days_after_a_year_coded_row_is_still_apart() -> None:
    """The same rule, the other way: the government's declaration coded 2001 ends on
    31 December 2001 at the latest; the rebels' 2002-06-01 is 152 days after it, so
    certainly more than 90 days after the first row: another ceasefire, named by its
    row id (2), flagged."""
    batch = _eth(
        {"cf_dec_month": "-1", "cf_dec_day": "-1"},
        {
            **REBELS,
            "cf_dec_yr": "2002",
            "cf_dec_month": "6",
            "cf_dec_day": "1",
            "cf_effect_yr": "2002",
            "cf_effect_month": "6",
            "cf_effect_day": "1",
        },
    )
    assert batch.refused == (), batch.refused
    assert batch.flags.get("uniq_id shared by two ceasefires") == 1, dict(batch.flags)
    ids = sorted(r.id for r in batch.events() if isinstance(r, Commitment))
    assert ids == ["eth-prio:70001", "eth-prio:70001-2"]


def test_a_row_repeated_to_the_letter_is_read_once() -> None:
    """Rule (how-to, "Notes, sources and refusals", as for a peace agreement's copies):
    a row repeated to the letter (a file appended to itself: the rebels' row, id 2,
    twice) is counted as merged and read once, so the ceasefire is the one the file
    without the copy gives. Its rebels' effect (2001-03-01) before their declaration
    (2001-03-04) is said once: ``SLF (row 2): cf_effect 2001-03-01 (day, UTC), cf_dec
    2001-03-04 (day, UTC)``. Before the fix it was listed twice, and the ceasefire's
    notes differed from the file's without the copy (50 ceasefires of the real file
    appended to itself)."""
    rebels = {**REBELS, "id": "2", "cf_effect_day": "1"}
    once = _eth({}, rebels)
    twice = _eth({}, rebels, rebels)
    assert (twice.rows, twice.accepted, twice.merged) == (3, 1, 2)
    (ceasefire,) = (r for r in twice.events() if isinstance(r, Commitment))
    (expected,) = (r for r in once.events() if isinstance(r, Commitment))
    assert ceasefire == expected
    assert (
        "effect before the declaration as coded, kept as published: SLF (row 2): "
        "cf_effect 2001-03-01 (day, UTC), cf_dec 2001-03-04 (day, UTC)"
    ) in ceasefire.notes.splitlines()


def test_a_year_coded_row_does_not_join_a_later_ceasefire_to_an_earlier_day() -> None:
    """The same rule with three rows: the government's 2001 (any day of the year),
    the rebels' 2001-02-01 and the militia's 2002-03-01. The first ceasefire was
    certainly declared by 1 February 2001 (the rebels' day, within the government's
    year); the militia's row is 393 days after it: another ceasefire, though only 60
    days after the government's 2001 could end."""
    batch = _eth(
        {"cf_dec_month": "-1", "cf_dec_day": "-1"},
        {
            **REBELS,
            "cf_dec_month": "2",
            "cf_dec_day": "1",
            "cf_effect_month": "2",
            "cf_effect_day": "1",
        },
        {
            "ucdp_actor_id": "33",
            "actor_name": "Synthetic Militia",
            "cf_dec_yr": "2002",
            "cf_dec_month": "3",
            "cf_dec_day": "1",
            "cf_effect_yr": "2002",
            "cf_effect_month": "3",
            "cf_effect_day": "1",
        },
    )
    assert batch.refused == (), batch.refused
    assert batch.flags.get("uniq_id shared by two ceasefires") == 1, dict(batch.flags)
    found = {r.id: r for r in batch.events() if isinstance(r, Commitment)}
    assert sorted(found) == ["eth-prio:70001", "eth-prio:70001-3"]
    assert sorted(found["eth-prio:70001"].parties) == ["actor:ucdp-11", "actor:ucdp-22"]
    assert found["eth-prio:70001-3"].parties == ("actor:ucdp-33",)
