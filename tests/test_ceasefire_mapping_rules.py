"""The ceasefire importers' mappings (eth-prio, ucdp-peace-agreements, pax), one rule at
a time, on synthetic rows.

Each expectation is written from the rules docs/howto/import-ceasefires.md and the
docstrings of ``conflict_timeline.importers.ceasefires`` (``partial_date``,
``unknown_end``) state, never computed by the importer. Found unpinned by the sixth
mutation run (docs/testing.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import random
from pathlib import Path

import pytest

from conflict_timeline import (
    ActorDefined,
    ActorKind,
    Agreement,
    Attack,
    Commitment,
    CommitmentEnded,
    CommitmentKind,
    ImportDataError,
    PlaceDefined,
    PlaceKind,
    Precision,
    Prohibition,
    Source,
    TimeExtent,
    Timeline,
    current_records,
)
from conflict_timeline.importers import ImportBatch, get_importer
from conflict_timeline.importers.ceasefires import _is_side, partial_date, unknown_end
from conflict_timeline.views import ActiveCommitments, ReportedViolations
from workbooks import WRITERS, DateCell


def _csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> io.StringIO:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[column] for column in columns])
    return io.StringIO(out.getvalue())


def _day(text: str) -> TimeExtent:
    return TimeExtent.parse(text)


def _open_to(start: TimeExtent, year: int) -> TimeExtent:
    """The documented unknown end: from the start to the last day of ``year``."""
    return TimeExtent.between(start.earliest, TimeExtent.parse(str(year)).latest, "year")


def _after(year: int) -> TimeExtent:
    """The documented end of a commitment not ended by the end of ``year`` (the
    dataset's coverage): from the first day after it to the last instant held."""
    return TimeExtent.between(
        TimeExtent.parse(str(year + 1)).earliest,
        dt.datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC),
        "year",
    )


def _strikes(timeline: Timeline, *days: str) -> None:
    """An attack by the government (UCDP actor 11) in Synthetica on each of ``days``,
    ``attack:<day>``."""
    for day in days:
        timeline.append(
            Attack(
                id=f"attack:{day}",
                occurred=_day(day),
                sources=(Source(publisher="test", published=day),),
                perpetrator="actor:ucdp-11",
                target_class="military",
                place="place:synthetica",
            )
        )


def _by_id(batch: ImportBatch) -> dict[str, object]:
    return {r.id: r for r in batch.records}


# ------------------------------------------------------------ partial dates


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("2001", "3", "4"), "2001-03-04"),
        (("2001", "3", "-1"), "2001-03"),
        (("2001", "3", "0"), "2001-03"),
        (("2001", "-1", "4"), "2001"),
        (("2001", "0", "0"), "2001"),
        ((" 2001 ", " 12 ", " 31 "), "2001-12-31"),
        (("2001.0", "3.0", "4.0"), "2001-03-04"),
    ],
)
def test_partial_date_keeps_the_precision_its_parts_give(
    parts: tuple[str, str, str], expected: str
) -> None:
    assert partial_date("cf_dec", *parts) == _day(expected)


def test_an_impossible_day_is_read_as_its_month_and_said_in_flags() -> None:
    flags: list[str] = []
    assert partial_date("cf_effect", "1994", "2", "31", flags=flags) == _day("1994-02")
    assert flags == ["cf_effect coded as 1994-02-31, not a day: read as the month"]
    with pytest.raises(Exception, match="not a date") as raised:
        partial_date("cf_effect", "1994", "2", "31")
    assert getattr(raised.value, "field", None) == "cf_effect_yr/_month/_day"


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        (("x", "1", "1"), "cf_dec_yr"),
        (("2001", "March", "1"), "cf_dec_month"),
        (("2001", "3", "4.5"), "cf_dec_day"),
        (("-1", "3", "4"), "cf_dec_yr"),
        (("0", "3", "4"), "cf_dec_yr"),
        (("2001", "13", "4"), "cf_dec_yr/_month/_day"),
        # Past a C int (found by a fuzz: it stopped the import with an OverflowError).
        (("1E10", "3", "4"), "cf_dec_yr/_month/_day"),
        (("2001", "1E10", "4"), "cf_dec_yr/_month/_day"),
    ],
)
def test_a_partial_date_that_is_no_date_is_refused_naming_the_part(
    parts: tuple[str, str, str], field: str
) -> None:
    with pytest.raises(Exception) as raised:  # noqa: PT011 - Refusal is internal
        partial_date("cf_dec", *parts)
    assert getattr(raised.value, "field", None) == field


def test_an_unknown_year_is_none_only_where_allowed() -> None:
    assert partial_date("end", "-1", "3", "4", unknown_year=True) is None
    assert partial_date("end", "0", "-1", "-1", unknown_year=True) is None


@pytest.mark.parametrize(
    ("start", "coverage"),
    [("2001-03-04", 2020), ("2019-06", 2021), ("1995", 2020)],
)
def test_an_unknown_end_runs_from_the_start_to_the_last_day_of_coverage(
    start: str, coverage: int
) -> None:
    begun = _day(start)
    end = unknown_end(begun, coverage)
    assert end.earliest == begun.earliest
    assert end.latest == TimeExtent.parse(str(coverage)).latest
    assert end.precision == Precision.YEAR


# ------------------------------------------------------------------ ETH/PRIO

ETH_COLUMNS = (
    "id",
    "cc",
    "cf_id",
    "uniq_id",
    "location",
    "ucdp_actor_id",
    "actor_name",
    "cf_dec_yr",
    "cf_dec_month",
    "cf_dec_day",
    "cf_effect_yr",
    "cf_effect_month",
    "cf_effect_day",
    "side",
    "ended",
    "end_yr",
    "end_month",
    "end_day",
    "p_humanitarian",
    "p_peaceprocess",
    "p_holiday",
    "p_election",
    "p_other",
    "p_unclear",
    "ceasefire_class",
    "written",
    "ucdp_acd_id",
    "mediator_send",
    "cf_pp",
    "comment",
    "link_id1",
    "link_id2",
)
ETH_ROW = {
    "id": "1",
    "cc": "70",
    "cf_id": "1",
    "uniq_id": "70001",
    "location": "Synthetica",
    "ucdp_actor_id": "11",
    "actor_name": "Government of Synthetica",
    "cf_dec_yr": "2001",
    "cf_dec_month": "3",
    "cf_dec_day": "4",
    "cf_effect_yr": "2001",
    "cf_effect_month": "3",
    "cf_effect_day": "5",
    "side": "2",
    "ended": "0",
    "end_yr": "0",
    "end_month": "0",
    "end_day": "0",
    "p_humanitarian": "0",
    "p_peaceprocess": "1",
    "p_holiday": "0",
    "p_election": "0",
    "p_other": "0",
    "p_unclear": "0",
    "ceasefire_class": "2",
    "written": "1",
    "ucdp_acd_id": "400",
    "mediator_send": "0",
    "cf_pp": "",
    "comment": "A synthetic truce.",
    "link_id1": "0",
    "link_id2": "0",
}
REBELS = {"ucdp_actor_id": "22", "actor_name": "SLF"}


def _eth(*rows: dict[str, str]) -> ImportBatch:
    full = [{**ETH_ROW, "id": str(n), **row} for n, row in enumerate(rows, start=1)]
    return get_importer("eth-prio").read(_csv(ETH_COLUMNS, full))


def _end_of(batch: ImportBatch, cid: str = "eth-prio:70001") -> TimeExtent:
    """When ``cid`` ended as the batch dates it: its `CommitmentEnded` ``<cid>/end``.
    A dated end is never the commitment's ``until``, which holds only what is known
    when it is declared (import-ceasefires.md, "Ends")."""
    assert batch.refused == (), batch.refused
    found = _by_id(batch)
    commitment, end = found[cid], found[f"{cid}/end"]
    assert isinstance(commitment, Commitment)
    assert isinstance(end, CommitmentEnded)
    assert commitment.until is None
    assert end.commitment == cid
    return end.occurred


def _ceasefire(*rows: dict[str, str], cid: str = "eth-prio:70001") -> Commitment:
    batch = _eth(*rows)
    assert batch.refused == (), batch.refused
    found = _by_id(batch)[cid]
    assert isinstance(found, Commitment)
    return found


def test_one_ceasefire_from_its_actors_rows_binding_each_actor_once() -> None:
    batch = _eth({}, REBELS, {})
    assert batch.refused == ()
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.id == "eth-prio:70001"
    assert sorted(commitment.parties) == ["actor:ucdp-11", "actor:ucdp-22"]
    assert commitment.prohibits == (Prohibition.ANY_ATTACK,)
    assert commitment.text == "A synthetic truce."
    assert commitment.sources[0].publisher == "ETH/PRIO Civil Conflict Ceasefire Dataset"
    actors = {r.id: r for r in batch.records if isinstance(r, ActorDefined)}
    assert actors["actor:ucdp-11"].name == "Government of Synthetica"
    assert actors["actor:ucdp-22"].name == "SLF"
    assert (batch.rows, batch.merged) == (3, 2)


def test_rows_of_one_ceasefire_need_not_be_next_to_each_other() -> None:
    other = {"uniq_id": "70002", "cf_id": "2", **REBELS}
    batch = _eth({}, other, REBELS)
    records = _by_id(batch)
    first, second = records["eth-prio:70001"], records["eth-prio:70002"]
    assert isinstance(first, Commitment)
    assert isinstance(second, Commitment)
    assert sorted(first.parties) == ["actor:ucdp-11", "actor:ucdp-22"]
    assert second.parties == ("actor:ucdp-22",)


def test_an_actor_without_a_ucdp_id_keeps_an_id_from_its_name() -> None:
    commitment = _ceasefire({}, {"ucdp_actor_id": "-1", "actor_name": "Some Militia"})
    assert sorted(commitment.parties) == ["actor:some-militia", "actor:ucdp-11"]


@pytest.mark.parametrize("name", ["unknown armed group", "Unidentified FLEC Faction"])
def test_an_actor_named_as_unknown_is_its_ceasefires_own(name: str) -> None:
    """import-ceasefires.md: an actor with no UCDP id whose name says it is not known
    is no one actor across the file (the real file's "unknown armed group" is party
    to ceasefires in Ivory Coast, DR Congo and Yemen): its id is its ceasefire's."""
    unknown = {"ucdp_actor_id": "-1", "actor_name": name}
    other = {"uniq_id": "70002", "cf_id": "2"}
    batch = _eth({}, unknown, other, {**other, **unknown})
    records = _by_id(batch)
    first, second = records["eth-prio:70001"], records["eth-prio:70002"]
    assert isinstance(first, Commitment)
    assert isinstance(second, Commitment)
    slug = name.lower().replace(" ", "-")
    assert f"actor:{slug}--eth-prio-70001" in first.parties
    assert f"actor:{slug}--eth-prio-70002" in second.parties
    named = [r for r in batch.records if isinstance(r, ActorDefined) and r.name == name]
    assert len(named) == 2
    # A named actor without an id is still one actor across ceasefires.
    militia = {"ucdp_actor_id": "-1", "actor_name": "Some Militia"}
    again = _eth({}, militia, other, {**other, **militia})
    defined = [r.id for r in again.records if isinstance(r, ActorDefined)]
    assert defined.count("actor:some-militia") == 1


def test_an_actor_with_neither_name_nor_id_is_refused() -> None:
    (refused,) = _eth({"ucdp_actor_id": "-1", "actor_name": ""}).refused
    assert refused.field == "actor_name"


def test_a_government_of_is_a_government_other_actors_armed_forces() -> None:
    batch = _eth({}, REBELS)
    actors = {r.id: r for r in batch.records if isinstance(r, ActorDefined)}
    assert actors["actor:ucdp-11"].actor_kind == ActorKind.GOVERNMENT
    assert actors["actor:ucdp-22"].actor_kind == ActorKind.ARMED_FORCE
    # ETH/PRIO spells UCDP actor 145 "The Government of Sri Lanka".
    sri_lanka = {"ucdp_actor_id": "145", "actor_name": "The Government of Sri Lanka"}
    spelled = _eth(sri_lanka, REBELS)
    kinds = {r.id: r.actor_kind for r in spelled.records if isinstance(r, ActorDefined)}
    assert kinds["actor:ucdp-145"] == ActorKind.GOVERNMENT


@pytest.mark.parametrize(
    ("side", "meaning", "announced"), [("1", "unilateral", True), ("2", "bilateral", False)]
)
def test_side_is_kept_with_its_reading_and_a_unilateral_one_is_announced_by_its_party(
    side: str, meaning: str, announced: bool
) -> None:
    commitment = _ceasefire({"side": side})
    assert commitment.announced_by == (("actor:ucdp-11",) if announced else ())
    assert f"side_meaning={meaning}" in commitment.notes
    assert f"side={side}" in commitment.notes


def test_a_multilateral_side_is_read_as_multilateral() -> None:
    commitment = _ceasefire({"side": "3"})
    assert "side_meaning=multilateral" in commitment.notes
    assert commitment.announced_by == ()


def test_declared_is_occurred_and_reported_effect_is_effective() -> None:
    commitment = _ceasefire({})
    assert commitment.occurred == _day("2001-03-04")
    assert commitment.reported == _day("2001-03-04")
    assert commitment.effective == _day("2001-03-05")
    assert commitment.until == _after(2020)  # ended 0, end_yr 0: not ended by 2021


def test_dates_keep_the_precision_their_parts_give() -> None:
    dates = {
        "cf_dec_day": "-1",
        "cf_effect_month": "-1",
        "cf_effect_day": "-1",
        "end_yr": "2003",
        "end_month": "6",
        "end_day": "0",
        "ended": "1",
    }
    commitment = _ceasefire(dates)
    assert commitment.occurred == _day("2001-03")
    assert commitment.effective == _day("2001")
    assert _end_of(_eth(dates)) == _day("2003-06")


def test_an_unknown_effect_leaves_the_declaration_as_the_start() -> None:
    commitment = _ceasefire({"cf_effect_yr": "-1", "cf_effect_month": "-1", "cf_effect_day": "-1"})
    assert commitment.effective == _day("2001-03-04")
    assert commitment.starts == _day("2001-03-04")


def test_an_unknown_declaration_year_is_refused() -> None:
    (refused,) = _eth({"cf_dec_yr": "-1"}).refused
    assert refused.field == "cf_dec_yr"


def test_an_impossible_day_is_its_month_flagged_as_a_date_adjusted() -> None:
    # declared 2001-02-01; the effect coded 2001-02-30 is February 2001, not before it
    batch = _eth(
        {"cf_dec_month": "2", "cf_dec_day": "1", "cf_effect_month": "2", "cf_effect_day": "30"}
    )
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.effective == _day("2001-02")
    assert "cf_effect coded as 2001-02-30, not a day: read as the month" in commitment.notes
    assert batch.flags == {"date adjusted": 1}


def test_an_impossible_day_is_noted_once_naming_each_row_that_codes_it() -> None:
    # ETH/PRIO 570002: both rows code the effect 1994-02-31. The note names the rows
    # that code it (as every flagged note does), once, not one unnamed line per row;
    # a row coding its own impossible end is named on a line of its own.
    batch = _eth(
        {"cf_dec_month": "1", "cf_dec_day": "31", "cf_effect_month": "2", "cf_effect_day": "31"},
        {
            **REBELS,
            "cf_dec_month": "1",
            "cf_dec_day": "31",
            "cf_effect_month": "2",
            "cf_effect_day": "31",
            "ended": "1",
            "end_yr": "2002",
            "end_month": "4",
            "end_day": "31",
        },
    )
    assert batch.refused == ()
    commitment = _by_id(batch)["eth-prio:70001"]
    assert isinstance(commitment, Commitment)
    assert commitment.effective == _day("2001-02")
    lines = commitment.notes.splitlines()
    effect = [line for line in lines if line.startswith("cf_effect coded as")]
    assert effect == [
        (
            "cf_effect coded as 2001-02-31, not a day: read as the month, in the rows of "
            "Government of Synthetica (row 1); SLF (row 2)"
        )
    ]
    end = [line for line in lines if line.startswith("end coded as")]
    assert end == [
        "end coded as 2002-04-31, not a day: read as the month, in the row of SLF (row 2)"
    ]
    assert batch.flags["date adjusted"] == 1


def test_rows_that_disagree_take_the_earliest_declaration_effect_and_end() -> None:
    later = {
        **REBELS,
        "cf_dec_day": "9",
        "cf_effect_day": "10",
        "ended": "1",
        "end_yr": "2002",
        "end_month": "5",
        "end_day": "1",
    }
    earlier = {"ended": "1", "end_yr": "2002", "end_month": "4", "end_day": "20"}
    commitment = _ceasefire(later, earlier)
    assert commitment.occurred == _day("2001-03-04")
    assert commitment.effective == _day("2001-03-05")
    assert _end_of(_eth(later, earlier)) == _day("2002-04-20")
    # Each actor's end is listed, as the rows disagree.
    assert "ends by actor: " in commitment.notes
    assert "SLF: 2002-05-01" in commitment.notes
    assert "Government of Synthetica: 2002-04-20" in commitment.notes


def test_a_coarse_end_does_not_keep_a_ceasefire_past_a_finer_end_that_had_passed() -> None:
    """import-ceasefires.md: rows that disagree take the earliest end, the first time
    the ceasefire no longer bound everyone: with one actor's end coded to the year
    (2002) and another's to April 2002, from the first instant of 2002 (when the first
    may have come) to the end of April (by when one certainly had), known to the year;
    not the whole year, which kept it possibly in force to December (ETH/PRIO 660050:
    1995 and 1995-04). Its `CommitmentEnded` occurs then too."""
    year = {**REBELS, "ended": "1", "end_yr": "2002", "end_month": "-1", "end_day": "-1"}
    april = {"ended": "1", "end_yr": "2002", "end_month": "4", "end_day": "-1"}
    batch = _eth(year, april)
    assert batch.refused == ()
    end = _end_of(batch)
    assert end.earliest == dt.datetime(2002, 1, 1, tzinfo=dt.UTC)
    assert end.latest == dt.datetime(2002, 5, 1, tzinfo=dt.UTC)
    assert end.precision is Precision.YEAR
    # One end finer and earlier than the other: that end, as coded.
    assert _end_of(_eth({**year, "end_yr": "2003"}, april)) == TimeExtent.parse("2002-04")


def test_rows_that_agree_on_the_end_list_no_ends_by_actor() -> None:
    end = {"ended": "1", "end_yr": "2002", "end_month": "5", "end_day": "1"}
    commitment = _ceasefire(end, {**REBELS, **end})
    assert _end_of(_eth(end, {**REBELS, **end})) == _day("2002-05-01")
    assert "ends by actor" not in commitment.notes


def test_a_row_id_of_digits_that_are_not_decimal_orders_after_the_numbers() -> None:
    """Rows are read in the order of their ``id``, whole numbers first by value; an
    id of digits ``int`` cannot read (``²``) is text, after them, not a crash (found
    by a fuzz of the readers' cells)."""
    batch = _eth({"id": "\u00b2", **REBELS}, {"id": "10"})
    assert batch.refused == ()
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.parties == ("actor:ucdp-11", "actor:ucdp-22")


def test_end_year_0_with_ended_0_has_not_ended() -> None:
    batch = _eth({"end_yr": "0", "ended": "0"})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    # Not ended by the end of ETH/PRIO's coverage: in force to then, unknown after.
    assert commitment.until == _after(2020)
    assert "not ended by the end of 2020" in commitment.notes
    assert "end unknown" not in commitment.notes
    assert batch.flags == {}


def test_not_ended_in_a_newer_release_runs_from_the_day_after_its_latest_year() -> None:
    # A release that codes 2023 covers at least 2023: not ended means not by its end.
    later = {"cf_dec_yr": "2023", "cf_effect_yr": "2023"}
    assert _ceasefire(later).until == _after(2023)


@pytest.mark.parametrize(
    "changes",
    [
        {"end_yr": "-1", "ended": "1"},
        {"end_yr": "-1", "ended": "0"},
        {"end_yr": "0", "ended": "2"},
        {"end_yr": "", "ended": "1"},
    ],
)
def test_an_unknown_end_is_possible_to_the_end_of_2020(changes: dict[str, str]) -> None:
    batch = _eth(changes)
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.until == _open_to(_day("2001-03-05"), 2020)
    assert "end unknown: possibly in force until 2020" in commitment.notes
    # ``ended`` 0 says "not ended", end_yr -1 "ended, when unknown": the cells disagree.
    disagree = changes == {"end_yr": "-1", "ended": "0"}
    assert batch.flags == (
        {"end unknown": 1, "ended 0 with the end year unknown": 1}
        if disagree
        else {"end unknown": 1}
    )
    assert (
        "ended 0 with the end year unknown: ended=0 (not ended) with the end year coded "
        "unknown, read as an unknown end: Government of Synthetica (row 1): end_yr -1"
        in commitment.notes.splitlines()
    ) == disagree


FIXED_COLUMNS = (*ETH_COLUMNS, "fixed", "fixed_time")


def _fixed(*rows: dict[str, str]) -> ImportBatch:
    """Rows of a release that codes ``fixed`` and ``fixed_time``: by default declared
    for no fixed time (fixed 0, fixed_time 0), end unknown."""
    base = {**ETH_ROW, "end_yr": "-1", "ended": "-1", "fixed": "0", "fixed_time": "0"}
    full = [{**base, "id": str(n), **row} for n, row in enumerate(rows, start=1)]
    return get_importer("eth-prio").read(_csv(FIXED_COLUMNS, full))


def _term(last_day: str) -> TimeExtent:
    """The documented until of a ceasefire in effect from 2001-03-05 for a fixed term,
    end unknown: possibly ended from its first day, at the latest by the end of
    ``last_day`` (the term counted from the effect as its first day)."""
    return TimeExtent.between(_day("2001-03-05").earliest, _day(last_day).latest, "day")


@pytest.mark.parametrize(
    ("days", "last_day"), [("3", "2001-03-07"), ("1", "2001-03-05"), ("30.0", "2001-04-03")]
)
def test_an_unknown_end_of_a_ceasefire_declared_for_days_is_within_its_term(
    days: str, last_day: str
) -> None:
    # ETH/PRIO's fixed 1 with fixed_time N: declared for N days (the real file's coded
    # ends fall N - 1 days after the effect, the effect the first day). With the end
    # unknown, it is possibly in force to the term's last day, not to 2020.
    batch = _fixed({"fixed": "1", "fixed_time": days})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.until is not None
    assert (commitment.until.earliest, commitment.until.latest) == (
        _term(last_day).earliest,
        _term(last_day).latest,
    )
    count = days.split(".", maxsplit=1)[0]
    assert (
        f"fixed term, end unknown: declared for {count} days (fixed 1, fixed_time {count}): "
        f"possibly in force until the end of {last_day}"
    ) in commitment.notes.splitlines()
    assert "end unknown: possibly in force until 2020" not in commitment.notes
    assert batch.flags == {"fixed term, end unknown": 1}


def test_a_fixed_term_coded_not_ended_is_read_as_not_ended_and_flagged() -> None:
    """import-ceasefires.md, the flags table: declared for a fixed term (fixed 1,
    fixed_time 102) and coded not ended (ended 0, end 0/0/0), as nine ceasefires of
    the published file are (India's truces with the NSCN factions, renewed yearly;
    ELN's 102 days of 2017): the rows do not say whether the term was renewed, so the
    ceasefire is read as coded, not ended, in force until the coverage, its notes
    saying both and the row flagged "fixed term, not ended"."""
    batch = _fixed(
        {"fixed": "1", "fixed_time": "102", "ended": "0", "end_yr": "0", "end_month": "0",
         "end_day": "0"}
    )  # fmt: skip
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.until is not None
    assert commitment.until.earliest == _day("2021-01-01").earliest  # after 2020
    assert (
        "fixed term, not ended: declared for 102 days (fixed 1, fixed_time 102), ended 0 "
        "with no end date: read as not ended, as coded (a term renewed, or an end the "
        "dataset did not code)"
    ) in commitment.notes.splitlines()
    assert batch.flags == {"fixed term, not ended": 1}
    # Not ended and declared for no fixed time: nothing to flag.
    plain = _fixed({"ended": "0", "end_yr": "0", "end_month": "0", "end_day": "0"})
    assert plain.flags == {}


def test_a_fixed_term_of_actors_that_differ_is_the_longest() -> None:
    batch = _fixed({"fixed": "1", "fixed_time": "3"}, {"fixed": "1", "fixed_time": "7", **REBELS})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.until is not None
    assert commitment.until.latest == _day("2001-03-11").latest


@pytest.mark.parametrize(
    "rows",
    [
        # one actor's declaration is not for a fixed time, or not known to be
        ({"fixed": "1", "fixed_time": "3"}, {"fixed": "0", "fixed_time": "0", **REBELS}),
        ({"fixed": "1", "fixed_time": "3"}, {"fixed": "-1", "fixed_time": "-1", **REBELS}),
        # a term the dataset gives as text, or no term
        ({"fixed": "1", "fixed_time": "until a formal ceasefire is signed"},),
        ({"fixed": "1", "fixed_time": "-1"},),
        ({"fixed": "1", "fixed_time": "0"},),
        ({"fixed": "0", "fixed_time": "5"},),
    ],
)
def test_without_a_term_every_row_gives_an_unknown_end_runs_to_2020(
    rows: tuple[dict[str, str], ...],
) -> None:
    batch = _fixed(*rows)
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.until == _open_to(_day("2001-03-05"), 2020)
    assert batch.flags == {"end unknown": 1}


def test_a_known_end_is_the_end_whatever_the_term() -> None:
    # Declared for 3 days, ended (extended) a month later: the end as coded, its
    # `CommitmentEnded`; the term is no ``until`` either (a term of 3 days would end
    # it before the end the dataset codes).
    batch = _fixed(
        {
            "fixed": "1",
            "fixed_time": "3",
            "ended": "1",
            "end_yr": "2001",
            "end_month": "4",
            "end_day": "5",
        }
    )
    assert _end_of(batch) == _day("2001-04-05")
    assert batch.flags == {}


def test_a_ceasefire_past_its_fixed_term_is_violated_by_no_later_attack() -> None:
    # By the views' rules (docs/explanation/violations.md): a candidate violation
    # possibly falls between the effective start and the last instant of until.
    timeline = Timeline()
    summary = timeline.import_(
        "eth-prio",
        _csv(
            FIXED_COLUMNS,
            [{**ETH_ROW, "end_yr": "-1", "ended": "-1", "fixed": "1", "fixed_time": "3"}],
        ),
    )
    assert summary.refused == ()
    _strikes(timeline, "2001-03-05", "2001-03-07", "2001-03-08", "2005-06-01")
    found = timeline.state(ReportedViolations, certainty="possible")
    assert sorted(v.incidents for v in found) == [("attack:2001-03-05",), ("attack:2001-03-07",)]
    active = timeline.state(ActiveCommitments, at="2005-06-01", certainty="possible")
    assert "eth-prio:70001" not in {c.id for c in active}


def test_an_unknown_end_without_an_effect_runs_from_the_declaration() -> None:
    commitment = _ceasefire(
        {"cf_effect_yr": "-1", "cf_effect_month": "-1", "cf_effect_day": "-1", "end_yr": "-1"}
    )
    assert commitment.until == _open_to(_day("2001-03-04"), 2020)


def test_one_rows_known_end_wins_over_anothers_unknown_end() -> None:
    known = {"ended": "1", "end_yr": "2002", "end_month": "5", "end_day": "1"}
    batch = _eth(known, {**REBELS, "end_yr": "-1", "ended": "1"})
    assert _end_of(batch) == _day("2002-05-01")


def test_an_end_before_the_start_is_not_used_the_end_is_unknown() -> None:
    batch = _eth({"ended": "1", "end_yr": "2000", "end_month": "1", "end_day": "1"})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.until == _open_to(_day("2001-03-05"), 2020)
    assert "is before the start as coded; not used" in commitment.notes


def test_an_end_before_the_start_of_a_ceasefire_declared_for_days_is_within_its_term() -> None:
    # ETH/PRIO 369033 (Ukraine, LPR and the government): in effect 2015-02-07, end
    # coded 2015-02-06, fixed 1, fixed_time 1 on every row. The end is not used, so
    # the end is unknown, and a ceasefire declared for a fixed number of days is
    # bounded by its term even when its end is unknown: here in effect from
    # 2001-03-05 for 3 days, possibly in force to the end of 2001-03-07, not of 2020.
    end = {"ended": "1", "end_yr": "2000", "end_month": "1", "end_day": "1"}
    batch = _fixed({"fixed": "1", "fixed_time": "3", **end})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.until is not None
    assert (commitment.until.earliest, commitment.until.latest) == (
        dt.datetime(2001, 3, 5, tzinfo=dt.UTC),
        dt.datetime(2001, 3, 8, tzinfo=dt.UTC),  # the end of 7 March (exclusive)
    )
    assert "is before the start as coded; not used" in commitment.notes
    assert "possibly in force until 2020" not in commitment.notes
    assert "possibly in force until the end of 2001-03-07" in commitment.notes
    timeline = Timeline()
    rows = [{**ETH_ROW, "fixed": "1", "fixed_time": "3", **end}]
    assert timeline.import_("eth-prio", _csv(FIXED_COLUMNS, rows)).refused == ()
    _strikes(timeline, "2001-03-07", "2001-03-08", "2018-05-19")
    found = timeline.state(ReportedViolations)
    assert [v.incidents for v in found] == [("attack:2001-03-07",)]


def test_an_end_on_the_start_day_is_used() -> None:
    batch = _eth({"ended": "1", "end_yr": "2001", "end_month": "3", "end_day": "5"})
    assert _end_of(batch) == _day("2001-03-05")


def test_the_scope_is_the_country_as_ged_names_it() -> None:
    batch = _eth({"location": "Côte d'Ivoire"})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.scope.include == ("place:cote-d-ivoire",)
    (country,) = [r for r in batch.records if isinstance(r, PlaceDefined)]
    assert (country.id, country.name, country.place_kind) == (
        "place:cote-d-ivoire",
        "Côte d'Ivoire",
        PlaceKind.COUNTRY,
    )


@pytest.mark.parametrize(
    ("purposes", "kind"),
    [
        ({"p_humanitarian": "1", "p_peaceprocess": "0"}, CommitmentKind.HUMANITARIAN_CEASEFIRE),
        ({"p_humanitarian": "1", "p_peaceprocess": "1"}, CommitmentKind.CEASEFIRE),
        (
            {"p_humanitarian": "1", "p_peaceprocess": "0", "p_unclear": "1"},
            CommitmentKind.CEASEFIRE,
        ),
        ({"p_humanitarian": "0", "p_peaceprocess": "0"}, CommitmentKind.CEASEFIRE),
    ],
)
def test_p_humanitarian_alone_makes_a_humanitarian_ceasefire(
    purposes: dict[str, str], kind: CommitmentKind
) -> None:
    commitment = _ceasefire(purposes)
    assert commitment.commitment_kind is kind
    assert commitment.prohibits == (Prohibition.ANY_ATTACK,)


def test_codes_are_kept_as_code_value_and_differing_values_as_a_bar_list() -> None:
    commitment = _ceasefire({"ended": "0"}, {**REBELS, "ended": "3", "end_yr": "-1"})
    assert "ended=0|3" in commitment.notes
    assert "ceasefire_class=2" in commitment.notes
    assert "written=1" in commitment.notes
    assert "ucdp_acd_id=400" in commitment.notes
    assert "ETH/PRIO ceasefire 70001 (Synthetica)" in commitment.notes


def test_the_purposes_coded_1_are_listed() -> None:
    commitment = _ceasefire({"p_humanitarian": "1", "p_election": "1", "p_peaceprocess": "0"})
    assert "purposes: humanitarian, election" in commitment.notes
    none = _ceasefire({"p_peaceprocess": "0"})
    assert "purposes: none coded" in none.notes


def test_mediators_linked_ceasefires_and_the_peace_process_are_noted() -> None:
    commitment = _ceasefire(
        {"mediator_send": "Norway", "link_id1": "5", "link_id2": "-1", "cf_pp": "Oslo talks"},
        {**REBELS, "link_id1": "3"},
    )
    assert "mediators: Norway" in commitment.notes
    assert "linked ceasefires: eth-prio:70003, eth-prio:70005" in commitment.notes
    assert "peace process: Oslo talks" in commitment.notes
    plain = _ceasefire({})
    for text in ("mediators", "linked ceasefires", "peace process"):
        assert text not in plain.notes


def test_an_id_declared_more_than_90_days_after_its_first_row_is_another_ceasefire() -> None:
    # 2001-03-04 + 91 days = 2001-06-03.
    far = {**REBELS, "cf_dec_month": "6", "cf_dec_day": "3", "cf_effect_month": "6"}
    batch = _eth({}, far)
    records = _by_id(batch)
    first, second = records["eth-prio:70001"], records["eth-prio:70001-2"]
    assert isinstance(first, Commitment)
    assert isinstance(second, Commitment)
    assert first.parties == ("actor:ucdp-11",)
    assert second.parties == ("actor:ucdp-22",)
    assert second.occurred == _day("2001-06-03")
    assert "uniq_id 70001 is shared with a ceasefire declared more than 90 days" in (second.notes)
    assert batch.flags == {"uniq_id shared by two ceasefires": 1}
    assert (batch.rows, batch.accepted, batch.merged) == (2, 2, 0)


def test_rows_declared_90_days_apart_are_one_ceasefire() -> None:
    # 2001-03-04 + 90 days = 2001-06-02.
    near = {**REBELS, "cf_dec_month": "6", "cf_dec_day": "2", "cf_effect_month": "6"}
    commitment = _ceasefire({}, near)
    assert sorted(commitment.parties) == ["actor:ucdp-11", "actor:ucdp-22"]


# ------------------------------------- what the rows code oddly, kept and flagged
#
# Written from the rules the how-to states under "Effects coded 0" and "What is
# flagged": an effect coded 0/0/0 on every row is a ceasefire declared but never in
# effect, active only on its declaration whatever the end columns say; an effect
# before the row's own declaration, ``ended`` 0 with an end date, a month or day
# without a year are kept as published and flagged.

NOT_IN_EFFECT = {"cf_effect_yr": "0", "cf_effect_month": "0", "cf_effect_day": "0"}


@pytest.mark.parametrize(
    "ends",
    [
        {"ended": "3", "end_yr": "0", "end_month": "0", "end_day": "0"},  # most real rows
        {"ended": "-1", "end_yr": "-1", "end_month": "-1", "end_day": "-1"},
        {"ended": "2", "end_yr": "2001", "end_month": "9", "end_day": "-1"},
        {"ended": "0", "end_yr": "0", "end_month": "0", "end_day": "0"},
    ],
)
def test_an_effect_coded_0_is_declared_not_in_effect_until_its_declaration(
    ends: dict[str, str],
) -> None:
    batch = _eth({**NOT_IN_EFFECT, **ends}, {**REBELS, **NOT_IN_EFFECT, **ends})
    commitment, end = batch.events()
    assert isinstance(commitment, Commitment)
    # Its end is known: the declaration, reason unstated, the code kept raw.
    assert end == CommitmentEnded(
        id="eth-prio:70001/end",
        commitment="eth-prio:70001",
        occurred=_day("2001-03-04"),
        reported=_day("2001-03-04"),
        sources=commitment.sources,
        notes=f"ended={ends['ended']}",
        reason="unstated",
    )
    assert commitment.occurred == _day("2001-03-04")
    assert commitment.starts == _day("2001-03-04")
    # The end, whatever the end columns say, is the record above, not an ``until``:
    # the declaration declared no term.
    assert commitment.until is None
    assert batch.flags == {"effect coded 0: not in effect": 1}
    (line,) = [x for x in commitment.notes.splitlines() if x.startswith("effect coded 0")]
    assert "cf_effect_yr/month/day coded 0/0/0 on every row" in line
    assert "active only on its declaration, 2001-03-04 (day, UTC), which is its end" in line
    raw = f"year {ends['end_yr']}, month {ends['end_month']}, day {ends['end_day']}"
    assert f"Government of Synthetica (row 1): {raw}, ended {ends['ended']}" in line
    assert f"SLF (row 2): {raw}, ended {ends['ended']}" in line


def test_a_ceasefire_not_in_effect_declared_in_a_month_is_active_in_that_month_alone() -> None:
    batch = _eth({**NOT_IN_EFFECT, "cf_dec_day": "-1", "end_yr": "-1"})
    commitment = _by_id(batch)["eth-prio:70001"]
    assert commitment.occurred == _day("2001-03")  # type: ignore[attr-defined]
    assert _end_of(batch) == _day("2001-03")


def test_an_effect_coded_minus_1_is_unknown_not_never() -> None:
    unknown = {"cf_effect_yr": "-1", "cf_effect_month": "-1", "cf_effect_day": "-1"}
    batch = _eth({**unknown, "ended": "3", "end_yr": "0"})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.starts == _day("2001-03-04")
    assert commitment.until == _open_to(_day("2001-03-04"), 2020)
    assert batch.flags == {"end unknown": 1, "effect unknown": 1}


def test_an_effect_unknown_on_every_row_is_the_declaration_said_and_flagged() -> None:
    """import-ceasefires.md: when no row in effect codes the effect's year (-1, also
    with a month or day), the ceasefire is read as in effect from its declaration, as
    before, but no longer silently: its notes keep each row's effect as coded and the
    summary counts "effect unknown". A row coding 0/0/0 (never in effect) is not
    listed; an effect one row codes is used, unflagged."""
    unknown = {"cf_effect_yr": "-1", "cf_effect_month": "-1", "cf_effect_day": "-1"}
    batch = _eth(unknown, {**REBELS, **unknown, "cf_effect_month": "5"})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.effective == _day("2001-03-04")
    assert batch.flags["effect unknown"] == 1
    assert (
        "effect unknown: cf_effect coded without a year (Government of Synthetica "
        "(row 1): year -1, month -1, day -1; SLF (row 2): year -1, month 5, day -1); read "
        "as in effect from the declaration, 2001-03-04 (day, UTC)"
    ) in commitment.notes.splitlines()

    some_idle = _eth(unknown, {**REBELS, **NOT_IN_EFFECT})
    (commitment,) = some_idle.events()
    assert isinstance(commitment, Commitment)
    assert "SLF (row 2)" not in next(
        x for x in commitment.notes.splitlines() if x.startswith("effect unknown")
    )

    one_known = _eth(unknown, {**REBELS, "cf_effect_day": "6"})
    assert "effect unknown" not in one_known.flags
    (commitment,) = one_known.events()
    assert isinstance(commitment, Commitment)
    assert commitment.effective == _day("2001-03-06")
    assert "effect unknown" not in commitment.notes


def test_an_effect_coded_0_on_some_rows_only_takes_the_others_effect() -> None:
    batch = _eth(NOT_IN_EFFECT, {**REBELS, "cf_effect_day": "6"})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.effective == _day("2001-03-06")
    assert commitment.until == _after(2020)  # ended 0, end_yr 0: not ended
    assert batch.flags == {"effect coded 0 for some actors": 1}
    assert "(read as never in effect) for Government of Synthetica (row 1)" in commitment.notes


def test_a_ceasefire_not_in_effect_is_neither_active_nor_violated_after_its_declaration() -> None:
    # By the views' rules (docs/explanation/violations.md): an attack is a candidate
    # violation when it possibly falls between the commitment's effective start and
    # the last instant of its until; a commitment is lapsed once its until has
    # happened (its earliest bound by then; its latest with certainty="certain"). Here
    # until is the declaration day, 2001-03-04.
    timeline = Timeline()
    summary = timeline.import_(
        "eth-prio",
        _csv(ETH_COLUMNS, [{**ETH_ROW, **NOT_IN_EFFECT, "ended": "3"}]),
    )
    assert summary.refused == ()
    _strikes(timeline, "2001-03-04", "2001-03-05", "2002-06-01", "2019-06-01")
    found = timeline.state(ReportedViolations, certainty="possible")
    assert [(v.commitment, v.incidents) for v in found] == [
        ("eth-prio:70001", ("attack:2001-03-04",))
    ]
    # Its until (the day) has possibly happened from the day's first instant, and it
    # is certainly made only once the day is over: it is listed at no instant.
    for at in ("2001-03-04T12:00", "2001-03-05", "2002-06-01", "2019-06-01"):
        for certainty in ("possible", "certain"):
            active = timeline.state(ActiveCommitments, at=at, certainty=certainty)
            assert "eth-prio:70001" not in {c.id for c in active}, (at, certainty)


def test_an_effect_before_the_rows_declaration_is_kept_and_flagged() -> None:
    batch = _eth({"cf_effect_yr": "2000", "cf_effect_month": "1", "cf_effect_day": "20"})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.occurred == _day("2001-03-04")
    assert commitment.effective == _day("2000-01-20")  # as published
    assert batch.flags == {"effect before the declaration": 1}
    assert (
        "effect before the declaration as coded, kept as published: Government of "
        "Synthetica (row 1): cf_effect 2000-01-20 (day, UTC), cf_dec 2001-03-04 (day, UTC)"
    ) in commitment.notes.splitlines()


def test_a_row_effective_before_its_own_declaration_is_flagged_though_it_is_not_first() -> None:
    # Row 2 declared 2001-03-20, in effect 2001-03-10: before its own declaration,
    # though not before the ceasefire's (row 1's, 2001-03-04).
    later = {**REBELS, "cf_dec_day": "20", "cf_effect_day": "10"}
    batch = _eth({}, later)
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert (commitment.occurred, commitment.effective) == (_day("2001-03-04"), _day("2001-03-05"))
    assert batch.flags == {"effect before the declaration": 1}
    assert "SLF (row 2): cf_effect 2001-03-10 (day, UTC), cf_dec 2001-03-20" in commitment.notes


@pytest.mark.parametrize(
    "effect",
    [
        {"cf_effect_day": "4"},  # the same day
        {"cf_effect_day": "-1"},  # its month, which holds the declaration
        {"cf_effect_month": "-1", "cf_effect_day": "-1"},  # its year
    ],
)
def test_an_effect_that_may_fall_on_the_declaration_is_not_flagged(effect: dict[str, str]) -> None:
    batch = _eth(effect)
    assert batch.flags == {}


def test_an_end_coded_to_the_year_of_the_declaration_is_known_only_from_the_declaration() -> None:
    # The three clocks: a record is known from when the world could know it. An end
    # coded to the year (or month) holding the declaration occurred some time in that
    # year, as coded, but nobody knew of the end of a ceasefire not yet declared:
    # ETH/PRIO 343013, declared 2001-07-26 and ended in 2001, was listed as known
    # on 1 March 2001 ("eth-prio:343013 ends"). Declared 2001-03-04 here.
    batch = _eth({"ended": "1", "end_yr": "2001", "end_month": "-1", "end_day": "-1"})
    assert batch.refused == ()
    end = _by_id(batch)["eth-prio:70001/end"]
    assert isinstance(end, CommitmentEnded)
    assert end.occurred == _day("2001")  # as coded
    assert (end.reported.earliest, end.reported.latest) == (
        dt.datetime(2001, 3, 4, tzinfo=dt.UTC),
        dt.datetime(2002, 1, 1, tzinfo=dt.UTC),
    )
    timeline = Timeline()
    timeline.extend(batch.records)
    before = [r.id for r in current_records(timeline, known_at="2001-03-03")]
    assert "eth-prio:70001/end" not in before
    assert "eth-prio:70001/end" in [r.id for r in current_records(timeline, known_at="2001-03-04")]
    # An end coded to the day after the declaration is known when it comes, as before.
    day = _by_id(_eth({"ended": "1", "end_yr": "2001", "end_month": "4", "end_day": "2"}))
    assert day["eth-prio:70001/end"].reported == _day("2001-04-02")


def test_ended_0_with_an_end_date_keeps_the_end_and_is_flagged() -> None:
    batch = _eth({"ended": "0", "end_yr": "2002", "end_month": "5", "end_day": "1"})
    commitment, end = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.until is None  # the end is not known from the declaration
    assert isinstance(end, CommitmentEnded)  # the end date is known: it ends then
    assert (end.occurred, end.notes) == (_day("2002-05-01"), "ended=0")
    assert batch.flags == {"ended 0 with an end date": 1}
    assert (
        "ended 0 with an end date: ended=0 (not ended) with an end coded, the end kept as "
        "its end: Government of Synthetica (row 1): end 2002-05-01 (day, UTC)"
    ) in commitment.notes.splitlines()


@pytest.mark.parametrize(
    ("parts", "raw"),
    [
        (
            {"end_yr": "-1", "end_month": "6", "end_day": "-1"},
            "end coded year -1, month 6, day -1",
        ),
        (
            {"end_yr": "-1", "end_month": "-1", "end_day": "1"},
            "end coded year -1, month -1, day 1",
        ),
    ],
)
def test_a_month_or_day_without_a_year_is_kept_in_the_notes_and_flagged(
    parts: dict[str, str], raw: str
) -> None:
    batch = _eth({"ended": "-1", **parts})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.until == _open_to(_day("2001-03-05"), 2020)  # the end is unknown
    assert batch.flags == {"end unknown": 1, "month or day without a year": 1}
    assert f"Government of Synthetica (row 1): {raw}" in commitment.notes


@pytest.mark.parametrize("what", ["cf_dec", "cf_effect", "end"])
def test_a_day_without_a_month_is_read_as_the_year_and_flagged(what: str) -> None:
    """import-ceasefires.md: a day coded with its year but an unknown month is the
    year (the day cannot be placed), and the parts as coded are in the notes, flagged:
    the coded day is never dropped silently."""
    year = "end_yr" if what == "end" else f"{what}_yr"
    batch = _eth({year: "2001", f"{what}_month": "-1", f"{what}_day": "5", "ended": "1"})
    commitment, *_ = batch.events()
    assert isinstance(commitment, Commitment)
    assert batch.flags.get("day without a month") == 1
    assert (
        f"day without a month, read as the year: Government of Synthetica (row 1): "
        f"{what} coded year 2001, month -1, day 5"
    ) in commitment.notes
    read = (
        {"cf_dec": commitment.occurred, "cf_effect": commitment.effective}[what]
        if what != "end"
        else _end_of(batch)
    )
    assert read is not None
    assert read.precision is Precision.YEAR


# ------------------------------------------- every row's one-value columns count


def test_the_purposes_are_those_any_row_codes_each_actors_listed_when_they_differ() -> None:
    commitment = _ceasefire(
        {"p_humanitarian": "1", "p_peaceprocess": "0"},
        {**REBELS, "p_peaceprocess": "0", "p_election": "1"},
    )
    lines = commitment.notes.splitlines()
    assert "purposes: humanitarian, election" in lines
    assert "purposes by actor: Government of Synthetica: humanitarian; SLF: election" in lines
    assert commitment.commitment_kind is CommitmentKind.CEASEFIRE


def test_rows_coding_humanitarian_alone_make_a_humanitarian_ceasefire() -> None:
    only = {"p_humanitarian": "1", "p_peaceprocess": "0"}
    commitment = _ceasefire(only, {**REBELS, **only})
    assert commitment.commitment_kind is CommitmentKind.HUMANITARIAN_CEASEFIRE
    assert "purposes: humanitarian" in commitment.notes.splitlines()
    assert "purposes by actor" not in commitment.notes


def test_each_rows_peace_process_mediators_comment_and_country_are_kept() -> None:
    commitment = _ceasefire(
        {"cf_pp": "Oslo talks", "mediator_send": "Norway", "comment": "One."},
        {**REBELS, "cf_pp": "Oslo talks", "mediator_send": "Norway", "comment": "One."},
        {"cf_pp": "Geneva talks", "mediator_send": "UN", "comment": "Two."}
        | {"location": "Otherland"},
    )
    lines = commitment.notes.splitlines()
    assert lines[0] == "ETH/PRIO ceasefire 70001 (Synthetica|Otherland)"
    assert [x for x in lines if x.startswith("peace process: ")] == [
        "peace process: Oslo talks",
        "peace process: Geneva talks",
    ]
    assert [x for x in lines if x.startswith("mediators: ")] == [
        "mediators: Norway",
        "mediators: UN",
    ]
    assert commitment.text == "One.\n\nTwo."
    assert commitment.scope.include == ("place:synthetica", "place:otherland")


@pytest.mark.parametrize(
    ("sides", "announced", "meaning"),
    [
        (("1", "1"), ("actor:ucdp-11", "actor:ucdp-22"), "unilateral"),
        (("1", "2"), ("actor:ucdp-11",), "unilateral|bilateral"),
        (("2", "1"), ("actor:ucdp-22",), "bilateral|unilateral"),
        (("3", "3"), (), "multilateral"),
    ],
)
def test_the_actors_of_the_rows_coded_unilateral_announced_it(
    sides: tuple[str, str], announced: tuple[str, ...], meaning: str
) -> None:
    commitment = _ceasefire({"side": sides[0]}, {**REBELS, "side": sides[1]})
    assert commitment.announced_by == announced
    assert f"side_meaning={meaning}" in commitment.notes.splitlines()[1].split("; ")


ETH_MORE_COLUMNS = (
    *ETH_COLUMNS,
    "nsa_frac",
    "splinter",
    "link",
    "region",
    "recentadditions",
    "coder",
    "p_other_comment",
    "evidence_onset",
    "evidence_end",
    "factivia_source",
    "factivia_page",
)
ETH_MORE = {
    "nsa_frac": "1",
    "splinter": "0",
    "link": "2",
    "region": "4",
    "recentadditions": "0",
    "coder": "EW",
    "p_other_comment": "0",
    "evidence_onset": "",
    "evidence_end": "",
    "factivia_source": "",
    "factivia_page": "0",
}


def test_the_other_columns_are_kept_raw_in_the_notes() -> None:
    rows = [
        {**ETH_ROW, **ETH_MORE, "id": "1", "p_other_comment": "Re: Corona virus"}
        | {"factivia_page": "Fixed: Balkans_290: 82", "evidence_onset": "AFP, 1 May"},
        {**ETH_ROW, **ETH_MORE, "id": "2", **REBELS, "nsa_frac": "2", "splinter": "1"}
        | {"evidence_end": "Reuters, 2 May", "factivia_source": "Factiva"},
    ]
    batch = get_importer("eth-prio").read(_csv(ETH_MORE_COLUMNS, rows))
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    lines = commitment.notes.splitlines()
    codes = set(lines[1].split("; "))
    assert {
        "nsa_frac=1|2",
        "splinter=0|1",
        "link=2",
        "region=4",
        "recentadditions=0",
        "coder=EW",
    } <= codes
    # free text, each distinct text once; 0 (the dataset's "none") left out
    assert {
        "p_other_comment: Re: Corona virus",
        "evidence_onset: AFP, 1 May",
        "evidence_end: Reuters, 2 May",
        "factivia_source: Factiva",
        "factivia_page: Fixed: Balkans_290: 82",
    } <= set(lines)
    assert not [x for x in lines if x.endswith(": 0")]


# ----------------------------------------------------------- UCDP agreements

PA_COLUMNS = (
    "paid",
    "conflict_id",
    "dyad_id",
    "actor_id",
    "actor_name",
    "incompatibility",
    "pa_name",
    "pa_date",
    "pa_comment",
    "pa_3rd",
    "ended",
    "duration",
    "cease",
    "intarmy",
    "ddr",
    "amn",
    "pa_type",
)
PA_ROW = {
    "paid": "5001",
    "conflict_id": "333",
    "dyad_id": "729",
    "actor_id": "11, 22",
    "actor_name": "Government of Synthetica, SLF",
    "incompatibility": "2",
    "pa_name": "Testville Accord",
    "pa_date": "2001-03-04",
    "pa_comment": "Signed at Testville.",
    "pa_3rd": "",
    "ended": "False",
    "duration": "",
    "cease": "1",
    "intarmy": "0",
    "ddr": "1",
    "amn": "1",
    "pa_type": "1",
}


def _pa(*rows: dict[str, str]) -> ImportBatch:
    full = [{**PA_ROW, **row} for row in rows]
    return get_importer("ucdp-peace-agreements").read(_csv(PA_COLUMNS, full))


def _agreement_and_terms(**changes: str) -> tuple[Agreement, Commitment]:
    batch = _pa(changes)
    assert batch.refused == (), batch.refused
    agreement, terms, *_ = batch.events()  # and its end, when dated
    assert isinstance(agreement, Agreement)
    assert isinstance(terms, Commitment)
    return agreement, terms


def test_a_peace_agreement_row_is_an_agreement_and_its_terms() -> None:
    batch = _pa({})
    agreement, terms = batch.events()
    assert isinstance(agreement, Agreement)
    assert isinstance(terms, Commitment)
    assert agreement.id == "ucdp-pa:5001"
    assert agreement.title == "Testville Accord"
    assert agreement.sources[0].title == "Testville Accord"
    assert agreement.sources[0].publisher == "UCDP Peace Agreement Dataset"
    assert agreement.signatories == ("actor:ucdp-11", "actor:ucdp-22")
    assert agreement.occurred == agreement.reported == _day("2001-03-04")
    assert agreement.text == "Signed at Testville."
    assert terms.id == "ucdp-pa:5001/terms"
    assert terms.agreement == "ucdp-pa:5001"
    assert terms.parties == agreement.signatories
    assert terms.occurred == terms.reported == _day("2001-03-04")
    assert terms.starts == _day("2001-03-04")
    assert terms.until == _after(2021)  # not ended by the end of PA 22.1's coverage
    actors = {r.id: r for r in batch.records if isinstance(r, ActorDefined)}
    assert actors["actor:ucdp-11"].name == "Government of Synthetica"
    assert actors["actor:ucdp-11"].actor_kind == ActorKind.GOVERNMENT
    assert actors["actor:ucdp-22"].name == "SLF"
    assert actors["actor:ucdp-22"].actor_kind == ActorKind.ARMED_FORCE


def _pa_with_dyads(
    dyads: str, ids: str, names: str
) -> tuple[Agreement, Commitment, dict[str, int]]:
    row = {**PA_ROW, "dyad_name": dyads, "actor_id": ids, "actor_name": names}
    batch = get_importer("ucdp-peace-agreements").read(_csv((*PA_COLUMNS, "dyad_name"), [row]))
    agreement, terms = batch.events()
    assert isinstance(agreement, Agreement)
    assert isinstance(terms, Commitment)
    return agreement, terms, dict(batch.flags)


def test_a_signing_government_that_is_no_side_of_the_dyads_is_not_bound_by_the_terms() -> None:
    """import-ceasefires.md: ``actor_id`` lists every signatory, witnesses and
    guarantors among them (22.1's 1126: the UN, the United States, Russia and Portugal
    beside the government and UNITA, whose only dyad is "Government of Angola - UNITA").
    A government that is no side of the row's dyads signs the agreement but is not a
    party of its terms; other signatories stay bound."""
    agreement, terms, flags = _pa_with_dyads(
        "Government of Angola - UNITA",
        "7052, 3, 57, 36, 99, 567",
        "United Nations, Government of United States of America, "
        "Government of Russia (Soviet Union), Government of Portugal, "
        "Government of Angola, UNITA",
    )
    signed = ("7052", "3", "57", "36", "99", "567")
    assert agreement.signatories == tuple(f"actor:ucdp-{i}" for i in signed)
    assert terms.parties == ("actor:ucdp-7052", "actor:ucdp-99", "actor:ucdp-567")
    assert flags == {"signing government not bound (no side of the dyads)": 1}
    assert (
        "signing government not bound (no side of the dyads): signatories of the agreement, "
        "not parties of its terms, as governments that are no side of its dyads "
        "(Government of Angola - UNITA): Government of United States of America "
        "(actor:ucdp-3), Government of Russia (Soviet Union) (actor:ucdp-57), "
        "Government of Portugal (actor:ucdp-36)"
    ) in terms.notes.splitlines()


@pytest.mark.parametrize(
    ("names", "why"),
    [
        (
            "Government of Angola, UNITA, Government of Portugal, Lisbon",
            "does not pair with its ids",
        ),
        ("", "is empty"),
    ],
)
def test_a_row_whose_names_do_not_name_its_ids_takes_the_files_names_for_the_rule(
    names: str, why: str
) -> None:
    """import-ceasefires.md: when a row's ``actor_name`` does not pair with its ids
    (or is empty), each actor is named as the file's rows name it, so the rule on
    third governments still applies; the note says why the file's names were taken.
    Two rows: the first names the three actors, the second (another agreement) not."""
    first = {
        **PA_ROW,
        "dyad_name": "Government of Angola - UNITA",
        "actor_id": "99, 567, 36",
        "actor_name": "Government of Angola, UNITA, Government of Portugal",
    }
    second = {**first, "paid": "778", "actor_name": names}
    batch = get_importer("ucdp-peace-agreements").read(
        _csv((*PA_COLUMNS, "dyad_name"), [first, second])
    )
    terms = {r.id: r for r in batch.events() if isinstance(r, Commitment)}
    later = terms["ucdp-pa:778/terms"]
    assert later.parties == ("actor:ucdp-99", "actor:ucdp-567")
    assert (
        "signing government not bound (no side of the dyads): signatories of the "
        "agreement, not parties of its terms, as governments that are no side of its "
        "dyads (Government of Angola - UNITA) (named as the file's rows name them: this "
        f"row's actor_name {why}): Government of Portugal (actor:ucdp-36)"
    ) in later.notes.splitlines()


@pytest.mark.parametrize(
    ("dyads", "ids", "names", "bound"),
    [
        # Several dyads, a side's name holding " - ": each government a side is bound;
        # Sudan is no side of "Government of South Sudan - ...", and is not bound.
        (
            "Government of South Sudan - SPLM/A - IO, Government of South Sudan - SSDM/A",
            "1, 2, 3, 4",
            "Government of Sudan, Government of South Sudan, SPLM/A - IO, SSDM/A",
            ("2", "3", "4"),
        ),
        # Two governments at war with each other: both sides, both bound.
        (
            "Government of Iran - Government of Iraq",
            "5, 6",
            "Government of Iran, Government of Iraq",
            ("5", "6"),
        ),
        # An armed group that is no side of the dyads (not a government): bound.
        (
            "Government of Synthetica - SLF",
            "11, 22, 33",
            "Government of Synthetica, SLF, FLS",
            ("11", "22", "33"),
        ),
        # No signatory is a side as spelled: nothing can be told, every signatory bound.
        (
            "Govt. of Synthetica - S.L.F.",
            "11, 22, 44",
            "Government of Synthetica, SLF, Government of Elsewhere",
            ("11", "22", "44"),
        ),
        # Names that do not pair with the ids: nothing told, every signatory bound.
        (
            "Government of Synthetica - SLF",
            "11, 22",
            "Government of Synthetica, SLF, Government of Elsewhere",
            ("11", "22"),
        ),
        # No dyad_name: every signatory bound.
        ("", "11, 44", "Government of Synthetica, Government of Elsewhere", ("11", "44")),
    ],
)
def test_only_governments_known_to_be_no_side_are_left_unbound(
    dyads: str, ids: str, names: str, bound: tuple[str, ...]
) -> None:
    _, terms, flags = _pa_with_dyads(dyads, ids, names)
    assert terms.parties == tuple(f"actor:ucdp-{i}" for i in bound)
    unbound = len(ids.split(",")) - len(bound)
    assert flags.get("signing government not bound (no side of the dyads)", 0) == (
        1 if unbound else 0
    )


def test_names_are_used_only_when_their_count_matches_the_ids() -> None:
    batch = _pa({"actor_name": "Government of Synthetica, SLF, and others"})
    actors = {r.id: r for r in batch.records if isinstance(r, ActorDefined)}
    assert {rid: a.name for rid, a in actors.items()} == {
        "actor:ucdp-11": "UCDP actor 11",
        "actor:ucdp-22": "UCDP actor 22",
    }


@pytest.mark.parametrize(
    ("cease", "kind", "prohibits"),
    [
        ("1", CommitmentKind.CEASEFIRE, (Prohibition.ANY_ATTACK,)),
        ("0", CommitmentKind.AGREEMENT, ()),
    ],
)
def test_cease_decides_whether_the_terms_are_a_ceasefire(
    cease: str, kind: CommitmentKind, prohibits: tuple[Prohibition, ...]
) -> None:
    _, terms = _agreement_and_terms(cease=cease)
    assert terms.commitment_kind is kind
    assert terms.prohibits == prohibits


@pytest.mark.parametrize("cease", ["", "NA", "-99", ".", "2", "Unknown"])
def test_a_cease_code_not_understood_keeps_the_agreement_and_invents_no_ceasefire(
    cease: str,
) -> None:
    """import-ceasefires.md: ``cease`` neither 1/Yes/True nor 0/No/False (a missing
    value as R or Stata writes it, a code outside the codebook's) refuses nothing: the
    agreement and its terms are imported, the terms of kind ``agreement`` (they
    prohibit no attack: a ceasefire the row does not say it has is not invented), the
    value kept as coded in their notes, flagged; the other provisions are kept."""
    batch = _pa({"cease": cease})
    assert batch.refused == ()
    agreement, terms = batch.events()
    assert isinstance(agreement, Agreement)
    assert isinstance(terms, Commitment)
    assert agreement.id == "ucdp-pa:5001"
    assert terms.commitment_kind is CommitmentKind.AGREEMENT
    assert terms.prohibits == ()
    assert batch.flags == {"cease code not understood": 1}
    assert (
        f"cease code not understood: cease {cease!r} is neither 1 nor 0; whether the "
        "terms include a ceasefire is unknown, so they are read as prohibiting no "
        "attack of themselves"
    ) in terms.notes.splitlines()
    assert "provisions: ddr, amn" in agreement.notes.splitlines()


@pytest.mark.parametrize("cease", ["1", "Yes", "TRUE", "0", "no", "False"])
def test_a_cease_code_or_its_label_flags_nothing(cease: str) -> None:
    batch = _pa({"cease": cease})
    assert batch.flags == {}
    _, terms = batch.events()
    assert "cease code not understood" not in terms.notes


def test_an_ended_agreement_ends_on_the_day_of_duration() -> None:
    batch = _pa({"ended": "True", "duration": "2002-05-01"})
    _, terms, _ = batch.events()
    assert _end_of(batch, terms.id) == _day("2002-05-01")
    assert "ended=True" in terms.notes
    assert "duration=2002-05-01" in terms.notes


@pytest.mark.parametrize("ended", ["False", "", "0", "No", "NA"])
@pytest.mark.parametrize(("duration", "until"), [("2002-05-01", "2002-05-01"), ("2002", "2002")])
def test_ended_false_with_a_duration_date_ends_then_flagged(
    ended: str, duration: str, until: str
) -> None:
    """import-ceasefires.md: ``duration`` is the date the agreement ended (the
    codebook's); coded with ``ended`` False or empty ("not ended"), the date is the end,
    as ETH/PRIO's "ended 0 with an end date" is: ``until`` the date, flagged "ended
    False with a duration date", both cells in the notes (``ended`` as 22.1 spells
    it: ``False`` for ``0`` and ``No`` too; R's ``NA`` as written); never "not ended"."""
    spelled = {"False": "False", "": "", "0": "False", "No": "False", "NA": "NA"}[ended]
    batch = _pa({"ended": ended, "duration": duration})
    assert batch.refused == ()
    _, terms, _ = batch.events()
    assert isinstance(terms, Commitment)
    assert _end_of(batch, terms.id) == _day(until)
    assert batch.flags == {"ended False with a duration date": 1}
    lines = terms.notes.splitlines()
    assert (
        f"ended False with a duration date: ended {spelled!r} (not ended) with duration "
        f"{duration!r} (the date the agreement ended): read as ended then"
    ) in lines
    assert not any(line.startswith("not ended") for line in lines)


def test_ended_false_with_a_duration_before_pa_date_is_an_unknown_end() -> None:
    # The date is the end, as with ended True: before pa_date, not used.
    batch = _pa({"ended": "False", "duration": "2000-01-01"})
    _, terms = batch.events()
    assert isinstance(terms, Commitment)
    assert terms.until == _open_to(_day("2001-03-04"), 2021)
    assert batch.flags == {"ended False with a duration date": 1, "end before the start": 1}


@pytest.mark.parametrize("ended", ["False", ""])
def test_ended_false_with_a_duration_giving_no_date_is_not_ended_flagged(ended: str) -> None:
    # No date to set against the code: not ended, as coded; the cell kept, flagged.
    batch = _pa({"ended": ended, "duration": "late 2016"})
    assert batch.refused == ()
    _, terms = batch.events()
    assert isinstance(terms, Commitment)
    assert terms.until == _after(2021)
    assert batch.flags == {"duration not a date": 1}
    lines = terms.notes.splitlines()
    assert (
        f"duration not a date: duration 'late 2016' gives no day, month or year; ended "
        f"{ended!r}: not ended"
    ) in lines
    assert "not ended by the end of 2021" in terms.notes


def test_ended_without_a_date_is_possibly_in_force_until_2021() -> None:
    _, terms = _agreement_and_terms(ended="True", duration="")
    assert terms.until == _open_to(_day("2001-03-04"), 2021)
    assert "ended, date unknown: possibly in force until 2021" in terms.notes


def test_a_duration_before_pa_date_is_not_used_and_flagged() -> None:
    batch = _pa({"ended": "True", "duration": "2000-01-01"})
    _, terms = batch.events()
    assert isinstance(terms, Commitment)
    assert terms.until == _open_to(_day("2001-03-04"), 2021)
    assert "end 2000-01-01 is before pa_date as coded; not used" in terms.notes
    assert batch.flags == {"end before the start": 1}


def test_a_duration_on_pa_date_is_used() -> None:
    batch = _pa({"ended": "True", "duration": "2001-03-04"})
    _, terms, _ = batch.events()
    assert isinstance(terms, Commitment)
    assert _end_of(batch, terms.id) == _day("2001-03-04")
    assert "not used" not in terms.notes
    assert batch.flags == {}


def test_the_agreements_notes_hold_its_codes_provisions_and_third_parties() -> None:
    agreement, terms = _agreement_and_terms(pa_3rd="Norway")
    assert "UCDP peace agreement 5001: Testville Accord" in agreement.notes
    for code in ("conflict_id=333", "dyad_id=729", "pa_type=1", "incompatibility=2"):
        assert code in agreement.notes
    assert "provisions: cease, ddr, amn" in agreement.notes
    assert "third parties: Norway" in agreement.notes
    assert "the terms, a ceasefire among them, of UCDP peace agreement 5001" in terms.notes
    plain, plain_terms = _agreement_and_terms(cease="0", ddr="0", amn="0")
    assert "provisions: none coded" in plain.notes
    assert "third parties" not in plain.notes
    assert "the terms of UCDP peace agreement 5001" in plain_terms.notes


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"paid": ""}, "paid"),
        ({"actor_id": ""}, "actor_id"),
        ({"actor_id": "-1"}, "actor_id"),
        ({"pa_date": "2001-02-30"}, "pa_date"),
        # A date the file leaves ambiguous, as any date (an unreadable one is an
        # unknown end: test_an_unreadable_duration_is_an_unknown_end_flagged).
        ({"ended": "True", "duration": "05/06/2003"}, "duration"),
    ],
)
def test_a_bad_peace_agreement_row_is_refused_naming_its_column(
    changes: dict[str, str], field: str
) -> None:
    batch = _pa(changes)
    (refused,) = batch.refused
    assert refused.field == field
    assert batch.events() == ()


@pytest.mark.parametrize("unknown", ["-1", "NA", "na", "N/A", "n/a", "-99"])
def test_an_unknown_actor_id_among_others_is_left_out(unknown: str) -> None:
    # docs/howto/import-ceasefires.md: an unknown id (a missing-value code, in any
    # case; "N/A" one value, not two parts split on its slash) is left out.
    agreement, _ = _agreement_and_terms(
        actor_id=f"{unknown}, 11", actor_name="X, Government of Synthetica"
    )
    assert agreement.signatories == ("actor:ucdp-11",)


@pytest.mark.parametrize(
    ("actor_id", "actor_name", "names"),
    [
        # A list written with semicolons, its names too (as a re-save or a release
        # that lists with semicolons writes them): each name is its id's.
        ("11; 22", "Government of Synthetica; SLF", ["Government of Synthetica", "SLF"]),
        ("11;22", "Government of Synthetica;SLF", ["Government of Synthetica", "SLF"]),
        # A name holding a comma, in a semicolon list: its parts pair with the ids.
        (
            "11; 22",
            "Government of Synthetica; SLF (forces of Tarr, Vale & Moss)",
            ["Government of Synthetica", "SLF (forces of Tarr, Vale & Moss)"],
        ),
        # Commas, as 22.1 writes them.
        ("11, 22", "Government of Synthetica, SLF", ["Government of Synthetica", "SLF"]),
    ],
)
def test_actor_names_listed_with_semicolons_name_their_ids(
    actor_id: str, actor_name: str, names: list[str]
) -> None:
    batch = _pa({"actor_id": actor_id, "actor_name": actor_name})
    assert batch.refused == ()
    actors = {r.id: r.name for r in batch.records if isinstance(r, ActorDefined)}
    assert actors == {"actor:ucdp-11": names[0], "actor:ucdp-22": names[1]}
    agreement, _ = batch.events()
    assert "actor_name as coded" not in agreement.notes


def test_copies_of_a_row_are_merged_and_differing_versions_refused() -> None:
    same = _pa({}, {})
    assert (same.rows, same.accepted, same.merged, same.refused) == (2, 1, 1, ())
    differing = _pa({}, {"pa_name": "Testville Accord, revised"})
    (refused,) = differing.refused
    assert refused.field == "paid"
    assert "appears in 2 rows that differ" in refused.reason
    assert differing.events() == ()


# The provisions the UCDP Peace Agreement codebook codes 0/1 after ``cease``, in the
# file's order (22.1 writes ``ref `` and ``return `` with a trailing space).
CODEBOOK_PROVISIONS = (
    "intarmy",
    "ddr",
    "withd",
    "mil_prov",
    "pp",
    "intgov",
    "intciv",
    "elections",
    "interim",
    "natalks",
    "shagov",
    "pol_prov",
    "aut",
    "fed",
    "ind",
    "ref ",
    "shaloc",
    "regdev",
    "cul",
    "demarcation",
    "locgov",
    "terr_prov",
    "amn",
    "pris",
    "recon",
    "return ",
    "justice_prov",
    "reaffirm",
    "outlin",
    "pko",
    "gender",
    "co_impl",
)
PA_ALL_COLUMNS = (
    *(c for c in PA_COLUMNS if c not in CODEBOOK_PROVISIONS),
    *CODEBOOK_PROVISIONS,
    "gwno",
    "c_duration",
    "termdur",
    "inclusive",
    "procID",
    "pa_sign",
)


def _pa_all_batch(**changes: str) -> ImportBatch:
    row = {**PA_ROW, **dict.fromkeys(CODEBOOK_PROVISIONS, "0"), "cease": "0"}
    row |= {"gwno": "750", "c_duration": "", "termdur": "-99", "inclusive": "1"}
    row |= {"procID": "105", "pa_sign": ""}
    return get_importer("ucdp-peace-agreements").read(_csv(PA_ALL_COLUMNS, [row | changes]))


def _pa_all(**changes: str) -> tuple[Agreement, Commitment]:
    batch = _pa_all_batch(**changes)
    assert batch.refused == (), batch.refused
    agreement, terms, *_ = batch.events()  # and its end, when dated
    assert isinstance(agreement, Agreement)
    assert isinstance(terms, Commitment)
    return agreement, terms


@pytest.mark.parametrize("provision", CODEBOOK_PROVISIONS)
def test_every_provision_of_the_codebook_coded_1_is_listed(provision: str) -> None:
    agreement, _ = _pa_all(**{provision: "1"})
    assert f"provisions: {provision.strip()}" in agreement.notes.splitlines()


def test_all_provisions_are_listed_in_the_files_order() -> None:
    agreement, _ = _pa_all(cease="1", **dict.fromkeys(CODEBOOK_PROVISIONS, "1"))
    listed = ["cease", *(p.strip() for p in CODEBOOK_PROVISIONS)]
    assert "provisions: " + ", ".join(listed) in agreement.notes.splitlines()


def test_a_provision_coded_neither_1_nor_0_is_kept_as_coded_and_flagged() -> None:
    """import-ceasefires.md: a provision column coded neither 1 nor 0 (UCDP's -99,
    Stata's ``.``, a ``2``) is not among the provisions coded 1, nor silently read as
    0: kept as coded in the agreement's notes, flagged."""
    batch = _pa_all_batch(ddr=".", amn="1", pko="-99.0", gender="2")
    assert batch.refused == ()
    assert batch.flags == {"provision code not understood": 1}
    agreement, _ = batch.events()
    lines = agreement.notes.splitlines()
    assert "provisions: amn" in lines
    assert (
        "provision code not understood (neither 1 nor 0, not listed above), kept as "
        "coded: ddr '.'; pko '-99'; gender '2'"
    ) in lines


@pytest.mark.parametrize(
    ("yes", "no"), [("1", "0"), ("TRUE", "FALSE"), ("1.0", "0.0"), ("Yes", "No")]
)
def test_provisions_coded_1_or_0_in_any_spelling_flag_nothing(yes: str, no: str) -> None:
    batch = _pa_all_batch(**{**dict.fromkeys(CODEBOOK_PROVISIONS, no), "cease": no, "amn": yes})
    assert batch.flags == {}
    agreement, _ = batch.events()
    assert "provisions: amn" in agreement.notes.splitlines()
    assert "provision code not understood" not in agreement.notes


def test_the_agreements_other_codes_and_texts_and_the_end_as_told_are_kept() -> None:
    agreement, terms = _pa_all(
        ended="True",
        duration="2002-05-01",
        c_duration="Fighting resumed in May 2002.",
        pa_sign="Signed by A and B.",
    )
    codes = set(agreement.notes.splitlines()[1].split("; "))
    assert {"gwno=750", "termdur=-99", "inclusive=1", "procID=105"} <= codes
    assert "pa_sign: Signed by A and B." in agreement.notes.splitlines()
    # The end is the provision's: its account with it.
    assert "c_duration: Fighting resumed in May 2002." in terms.notes.splitlines()
    assert "c_duration" not in agreement.notes


# ---------------------------------------------------------------------- PA-X

PAX_COLUMNS = (
    "Con",
    "Contp",
    "PPName",
    "AgtId",
    "Agt",
    "Dat",
    "Status",
    "Agtp",
    "Stage",
    "StageSub",
    "Part",
    "ThrdPart",
    "Loc1ISO",
    "UcdpCon",
    "UcdpAgr",
)
PAX_ROW = {
    "Con": "Synthetica",
    "Contp": "Government",
    "PPName": "Synthetica peace process",
    "AgtId": "77",
    "Agt": "Testville Ceasefire",
    "Dat": "2001-03-04",
    "Status": "Multiparty signed/agreed",
    "Agtp": "Intra",
    "Stage": "Cea",
    "StageSub": "Ces",
    "Part": "Government of Synthetica; SLF",
    "ThrdPart": "",
    "Loc1ISO": "SYN",
    "UcdpCon": "NA",
    "UcdpAgr": "",
}


def _pax(**changes: str) -> ImportBatch:
    batch = get_importer("pax").read(_csv(PAX_COLUMNS, [{**PAX_ROW, **changes}]))
    assert batch.refused == (), batch.refused
    return batch


def test_a_pax_file_missing_columns_names_them_as_pax_spells_them() -> None:
    """import-acled-vintages.md: column names are matched whatever their case, and a file
    lacking required ones is refused naming them as PA-X's codebook spells them
    ('AgtId', not 'agtid')."""
    lacking = tuple(c for c in PAX_COLUMNS if c not in {"AgtId", "Stage"})
    with pytest.raises(ImportDataError) as raised:
        get_importer("pax").read(_csv(lacking, [PAX_ROW]))
    assert "missing required column 'AgtId' (and 'Stage');" in str(raised.value)
    lower = tuple(c.lower() for c in PAX_COLUMNS)
    row = {c.lower(): v for c, v in PAX_ROW.items()}
    batch = get_importer("pax").read(_csv(lower, [row]))
    assert [r.id for r in batch.events()] == ["pax:77", "pax:77/ceasefire"]


def test_pax_rows_of_one_agtid_are_merged_when_copies_and_refused_when_they_differ() -> None:
    """import-ceasefires.md: a row repeated to the letter counts as merged into the
    first; rows of one id that differ are versions of one agreement, refused together
    (as for every dataset read by groups of rows): for PA-X, rows of one ``AgtId``."""
    pax = get_importer("pax")
    same = pax.read(_csv(PAX_COLUMNS, [PAX_ROW, PAX_ROW]))
    assert (same.rows, same.accepted, same.merged, same.refused) == (2, 1, 1, ())
    assert [r.id for r in same.events()] == ["pax:77", "pax:77/ceasefire"]
    other = {**PAX_ROW, "AgtId": "78"}
    three = pax.read(_csv(PAX_COLUMNS, [PAX_ROW, other, {**PAX_ROW, "Agt": "Testville II"}]))
    (refused,) = three.refused
    assert refused.field == "AgtId"
    assert "appears in 2 rows that differ" in refused.reason
    assert [r.id for r in three.events()] == ["pax:78", "pax:78/ceasefire"]


def test_a_pax_row_is_an_agreement_signed_by_its_parties_text() -> None:
    batch = _pax(Stage="Imp")
    (agreement,) = batch.events()
    assert isinstance(agreement, Agreement)
    assert agreement.id == "pax:77"
    assert agreement.title == "Testville Ceasefire"
    assert agreement.sources[0].title == "Testville Ceasefire"
    assert agreement.sources[0].publisher == "PA-X Peace Agreements Database"
    assert agreement.occurred == agreement.reported == _day("2001-03-04")
    assert agreement.signatories == ("actor:pax-77-parties",)
    (party,) = [r for r in batch.records if isinstance(r, ActorDefined)]
    assert party.id == "actor:pax-77-parties"
    assert party.name == "Government of Synthetica; SLF"


def test_a_pax_row_without_parties_names_them_as_not_named() -> None:
    batch = _pax(Part="")
    (party,) = [r for r in batch.records if isinstance(r, ActorDefined)]
    assert party.name == "parties not named in PA-X"
    assert batch.refused == ()


@pytest.mark.parametrize("cell", ["1113, 1114", "1113;1114", "1113 1114", "1113/1114"])
def test_pax_ucdp_ids_split_on_commas_semicolons_slashes_or_spaces(cell: str) -> None:
    batch = _pax(UcdpAgr=cell, UcdpCon="N/A", Stage="Imp")
    (agreement,) = batch.events()
    assert isinstance(agreement, Agreement)
    assert (
        "UCDP links: UcdpAgr=1113; UcdpAgr=1114; ucdp-pa:1113; ucdp-pa:1114"
    ) in agreement.notes.splitlines()
    assert batch.flags == {}


def test_a_pax_ucdp_id_written_with_leading_zeros_links_the_agreement_of_that_number() -> None:
    """import-ceasefires.md: ``ucdp-pa:<UcdpAgr>`` is the UCDP agreement's id, which
    UCDP writes without leading zeros: a cell a spreadsheet padded (``0001320``) or
    saved as a float (``1320.0``) links ``ucdp-pa:1320``; the notes keep the padded
    cell as coded, and the float as the whole number it writes."""
    for cell in ("0001320", "1320.0"):
        (agreement,) = _pax(UcdpAgr=cell, UcdpCon="N/A", Stage="Imp").events()
        assert isinstance(agreement, Agreement)
        coded = "0001320" if cell == "0001320" else "1320"
        assert f"UCDP links: UcdpAgr={coded}; ucdp-pa:1320" in agreement.notes.splitlines()


def test_a_pax_ucdp_id_part_that_is_not_a_whole_number_is_kept_and_flagged() -> None:
    batch = _pax(UcdpAgr="1113 x", UcdpCon="333", Stage="Imp")
    (agreement,) = batch.events()
    assert isinstance(agreement, Agreement)
    lines = agreement.notes.splitlines()
    assert "UCDP id not a whole number, kept as coded: UcdpAgr '1113 x'" in lines
    assert "UCDP links: UcdpCon=333; UcdpAgr=1113; ucdp-pa:1113" in lines
    assert batch.flags == {"UCDP id not a whole number": 1}


@pytest.mark.parametrize(
    "stage", ["Cea", "cea", "Ceasefire/related", "ceasefire / related", "CEASEFIRE-RELATED"]
)
def test_stage_cea_adds_a_ceasefire_possibly_in_force_until_2020(stage: str) -> None:
    batch = _pax(Stage=stage)
    agreement, ceasefire = batch.events()
    assert isinstance(agreement, Agreement)
    assert isinstance(ceasefire, Commitment)
    assert ceasefire.id == "pax:77/ceasefire"
    assert ceasefire.agreement == "pax:77"
    assert ceasefire.commitment_kind is CommitmentKind.CEASEFIRE
    assert ceasefire.parties == ("actor:pax-77-parties",)
    assert ceasefire.prohibits == (Prohibition.ANY_ATTACK,)
    assert ceasefire.occurred == _day("2001-03-04")
    assert ceasefire.until == _open_to(_day("2001-03-04"), 2020)
    assert "possibly in force until 2020" in ceasefire.notes


@pytest.mark.parametrize(
    "stage",
    [
        "Pre",
        "SubPar",
        "SubComp",
        "Imp",
        "Ren",
        "Cea",
        "Oth",
        "imp",
        "Ceasefire/related",
        "Pre-negotiation/process",
        "Implementation/renegotiation",
    ],
)
def test_a_stage_of_pax_codes_or_labels_flags_nothing(stage: str) -> None:
    batch = _pax(Stage=stage, StageSub="Ceas")
    assert batch.flags == {}
    assert "Stage not one of" not in batch.events()[0].notes


@pytest.mark.parametrize(
    ("stage", "sub", "ceasefire"),
    [
        ("", "Ceas", True),
        ("Ceasefire", "Rel", True),
        ("CEA-related", "CeaMix", True),
        ("", "MultIss", False),
        ("Peace", "", False),
        ("NA", "ImpMod", False),
    ],
)
def test_a_stage_none_of_pax_codes_is_read_by_its_sub_stage_and_flagged(
    stage: str, sub: str, ceasefire: bool
) -> None:
    """import-ceasefires.md: a ``Stage`` none of PA-X's codes or labels (empty too)
    decides nothing silently: the agreement's notes keep it with ``StageSub``, the row
    is flagged, and it is a ceasefire only when ``StageSub`` is one PA-X codes under
    Cea alone (``Ceas``, ``Rel``, ``CeaMix``)."""
    batch = _pax(Stage=stage, StageSub=sub)
    assert batch.flags == {"Stage not one of PA-X's codes": 1}
    agreement, *rest = batch.events()
    assert isinstance(agreement, Agreement)
    read = "as Cea, by its StageSub" if ceasefire else "as no ceasefire"
    assert (
        f"Stage not one of PA-X's codes: Stage {stage!r}, StageSub {sub!r}; read {read}"
    ) in agreement.notes.splitlines()
    if ceasefire:
        (provision,) = rest
        assert isinstance(provision, Commitment)
        assert provision.commitment_kind is CommitmentKind.CEASEFIRE
    else:
        assert rest == []


@pytest.mark.parametrize("stage", ["Pre", "Imp", "SubComp", "Ren", ""])
def test_other_stages_add_no_commitment(stage: str) -> None:
    batch = _pax(Stage=stage)
    assert [r.id for r in batch.events()] == ["pax:77"]


def test_the_pax_notes_hold_its_codes_links_and_third_parties() -> None:
    (agreement, _) = _pax(ThrdPart="Norway", UcdpCon="333", UcdpAgr="1024").events()
    assert isinstance(agreement, Agreement)
    assert "PA-X agreement 77: Testville Ceasefire" in agreement.notes
    for code in (
        "Con=Synthetica",
        "Contp=Government",
        "PPName=Synthetica peace process",
        "Status=Multiparty signed/agreed",
        "Agtp=Intra",
        "Stage=Cea",
        "StageSub=Ces",
        "Loc1ISO=SYN",
    ):
        assert code in agreement.notes
    assert "UCDP links: UcdpCon=333; UcdpAgr=1024; ucdp-pa:1024" in agreement.notes
    assert "third parties: Norway" in agreement.notes
    (plain, _) = _pax().events()
    assert isinstance(plain, Agreement)
    assert "UCDP links" not in plain.notes
    assert "third parties" not in plain.notes


PAX_CE_COLUMNS = (*PAX_COLUMNS, "Ce", "CeProv", "CeGen")


def _pax_ce(**changes: str) -> ImportBatch:
    row = {**PAX_ROW, "Ce": "2", "CeProv": "1", "CeGen": "0", **changes}
    batch = get_importer("pax").read(_csv(PAX_CE_COLUMNS, [row]))
    assert batch.refused == (), batch.refused
    return batch


@pytest.mark.parametrize("stage", ["Cea", "Pre", "Imp", "SubComp", "Ren"])
def test_the_ceasefire_provision_codes_are_kept_raw_at_every_stage(stage: str) -> None:
    batch = _pax_ce(Stage=stage, Ce="3", CeProv="1", CeGen="1")
    agreement = batch.events()[0]
    assert isinstance(agreement, Agreement)
    assert {"Ce=3", "CeProv=1", "CeGen=1"} <= set(agreement.notes.splitlines()[1].split("; "))
    # A ceasefire provision coded at another stage makes no commitment.
    assert [r.id for r in batch.events()] == (
        ["pax:77", "pax:77/ceasefire"] if stage == "Cea" else ["pax:77"]
    )
    assert batch.flags == {}


def test_a_ceasefire_stage_coding_no_ceasefire_provision_is_a_ceasefire_flagged() -> None:
    batch = _pax_ce(Ce="0", CeProv="0", CeGen="0")
    agreement, ceasefire = batch.events()
    assert isinstance(ceasefire, Commitment)
    assert ceasefire.commitment_kind is CommitmentKind.CEASEFIRE
    assert ceasefire.prohibits == (Prohibition.ANY_ATTACK,)
    assert batch.flags == {"ceasefire stage without a ceasefire provision coded": 1}
    assert (
        "ceasefire stage without a ceasefire provision coded: Ce=0; CeProv=0; CeGen=0; "
        "a ceasefire by its stage alone"
    ) in ceasefire.notes.splitlines()
    assert "Ce=0" in agreement.notes


def test_a_file_without_the_ceasefire_provision_codes_flags_nothing() -> None:
    assert _pax().flags == {}


@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        ({"AgtId": ""}, "AgtId", "is empty"),
        ({"Agt": " "}, "Agt", "is empty"),
        ({"Dat": "2001-13-01"}, "Dat", "'2001-13-01'"),
    ],
)
def test_a_bad_pax_row_is_refused_naming_its_column(
    changes: dict[str, str], field: str, said: str
) -> None:
    batch = get_importer("pax").read(_csv(PAX_COLUMNS, [{**PAX_ROW, **changes}]))
    (refused,) = batch.refused
    assert refused.field == field
    assert said in refused.reason


# --------------------------------------------- refusals, notes and row details


@pytest.mark.parametrize(
    ("parts", "said"),
    [
        (("x", "1", "1"), ("'x'",)),
        (("2001", "3", "4.5"), ("'4.5'",)),
        (("-1", "3", "4"), ("'-1'",)),
        (("2001", "13", "4"), ("2001", "13", "4")),
    ],
)
def test_a_refused_partial_date_quotes_its_cells(
    parts: tuple[str, str, str], said: tuple[str, ...]
) -> None:
    with pytest.raises(Exception) as raised:  # noqa: PT011 - Refusal is internal
        partial_date("cf_dec", *parts)
    reason = getattr(raised.value, "reason", None)
    assert isinstance(reason, str)
    for text in said:
        assert text in reason


def test_year_1_is_a_year_only_minus_1_and_0_are_unknown() -> None:
    assert partial_date("cf_dec", "1", "-1", "-1") == TimeExtent.parse("0001")


@pytest.mark.parametrize(
    ("rows", "field", "said"),
    [
        # Empty, and cc not a whole number: not derived (cc x 1000 + cf_id).
        ([{"uniq_id": "", "cc": "x"}], "uniq_id", "is empty and cannot be derived"),
        ([{"uniq_id": " ", "cc": "x"}], "uniq_id", "is empty and cannot be derived"),
        ([{"ucdp_actor_id": "-1", "actor_name": " "}], "actor_name", "is empty"),
        ([{"end_yr": "x", "ended": "1"}], "end_yr", "'x'"),
        ([{"cf_effect_day": "soon"}], "cf_effect_day", "'soon'"),
        ([{"cc": "x", "link_id1": "3"}], "cc", "'x'"),
    ],
)
def test_a_bad_eth_prio_cell_is_refused_naming_its_column_and_quoting_it(
    rows: list[dict[str, str]], field: str, said: str
) -> None:
    (refused,) = _eth(*rows).refused
    assert refused.field == field
    assert said in refused.reason


def test_a_refused_row_without_an_actor_is_named_by_its_row_not_an_empty_actor() -> None:
    """A refusal names the row it is about: a row with neither ``actor_name`` nor
    ``ucdp_actor_id`` once read ``in the row of UCDP actor  (row 7)``, an actor
    with no id. It is the row, by its ``id``, that names no actor."""
    (refused,) = _eth({"ucdp_actor_id": "", "actor_name": "", "id": "7"}).refused
    assert (
        refused.reason == "is empty and there is no ucdp_actor_id, in row 7, which names no actor"
    )
    (refused,) = _eth({"cf_dec_month": "13", "actor_name": "EZLN", "id": "8"}).refused
    assert refused.reason.endswith(", in the row of EZLN (row 8)")


def test_an_actor_with_an_id_but_no_name_is_named_by_its_id() -> None:
    batch = _eth({}, {"ucdp_actor_id": "22", "actor_name": ""})
    assert batch.refused == ()
    actors = {r.id: r for r in batch.records if isinstance(r, ActorDefined)}
    assert actors["actor:ucdp-22"].name == "actor:ucdp-22"


def test_a_row_of_the_wrong_length_is_refused_and_the_rest_read() -> None:
    full = [{**ETH_ROW, "id": str(n), "uniq_id": f"7000{n}"} for n in (1, 2, 3, 4)]
    full[3] = {**full[3], **REBELS}
    text = _csv(ETH_COLUMNS, full).getvalue().splitlines()
    text[2] = text[2] + ",extra"
    text[3] = text[3].rsplit(",", 1)[0]
    batch = get_importer("eth-prio").read(io.StringIO("\n".join(text) + "\n"))
    assert [(r.line, r.field) for r in batch.refused] == [(3, "row"), (4, "row")]
    assert [r.id for r in batch.events()] == ["eth-prio:70001", "eth-prio:70004"]
    assert (batch.rows, batch.accepted) == (4, 2)


def test_a_ceasefire_with_a_row_of_the_wrong_length_is_refused_whole() -> None:
    """import-ceasefires.md: a row of the wrong length whose uniq_id can be read takes
    its ceasefire with it, refused once at its own line: never half a ceasefire."""
    full = [
        {**ETH_ROW, "id": "1"},  # line 2: 70001, the government
        {**ETH_ROW, "id": "2", "uniq_id": "70002", "cf_id": "2"},  # line 3
        {**ETH_ROW, **REBELS, "id": "3"},  # line 4: 70001, the rebels, a field too many
    ]
    text = _csv(ETH_COLUMNS, full).getvalue().splitlines()
    text[3] += ",stray"
    batch = get_importer("eth-prio").read(io.StringIO("\n".join(text) + "\n"))
    (refused,) = batch.refused
    width = len(ETH_COLUMNS)
    assert (refused.line, refused.field) == (4, "row")
    assert refused.reason.startswith(
        f"has {width + 1} fields but the header has {width}; the other rows under its "
        "uniq_id (lines 2) are refused with it"
    )
    assert [r.id for r in batch.events()] == ["eth-prio:70002"]
    assert (batch.rows, batch.accepted, batch.merged) == (3, 1, 1)
    # The same with the row's uniq_id empty: its cc and cf_id still name the ceasefire.
    text = _csv(ETH_COLUMNS, [{**r, "uniq_id": ""} if r["id"] == "3" else r for r in full])
    lines = text.getvalue().splitlines()
    lines[3] += ",stray"
    batch = get_importer("eth-prio").read(io.StringIO("\n".join(lines) + "\n"))
    assert [(r.line, r.field) for r in batch.refused] == [(4, "row")]
    assert [r.id for r in batch.events()] == ["eth-prio:70002"]
    # And in a release without the uniq_id column, where cc and cf_id are the key.
    columns = tuple(c for c in ETH_COLUMNS if c != "uniq_id")
    rows = [{c: r[c] for c in columns} for r in full]
    lines = _csv(columns, rows).getvalue().splitlines()
    lines[3] += ",stray"
    batch = get_importer("eth-prio").read(io.StringIO("\n".join(lines) + "\n"))
    assert [(r.line, r.field) for r in batch.refused] == [(4, "row")]
    assert [r.id for r in batch.events()] == ["eth-prio:70002"]
    assert (batch.rows, batch.accepted, batch.merged) == (3, 1, 1)


def test_a_refusal_names_the_line_of_the_row_holding_the_bad_cell() -> None:
    # 70001's government on line 2, 70002 on line 3, 70001's rebels on line 4 with a
    # bad cf_effect_month: refused at line 4, naming the field, the cell and the row,
    # and the line of 70001's other row, refused with it.
    batch = _eth(
        {},
        {"uniq_id": "70002", "cf_id": "2"},
        {**REBELS, "cf_effect_month": "x"},
    )
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (4, "cf_effect_month")
    assert refused.reason == (
        "'x' is not a whole number, in the row of SLF (row 3); the other rows under its "
        "uniq_id (lines 2) are refused with it: a ceasefire or agreement is never "
        "imported with some of its rows missing"
    )
    assert [r.id for r in batch.events()] == ["eth-prio:70002"]


def test_an_empty_uniq_id_is_derived_from_cc_and_cf_id_and_flagged() -> None:
    # The government's uniq_id cell empty, its cc 70 and cf_id 1: 70 x 1000 + 1.
    batch = _eth({"uniq_id": ""}, REBELS)
    assert batch.refused == ()
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.id == "eth-prio:70001"
    assert sorted(commitment.parties) == ["actor:ucdp-11", "actor:ucdp-22"]
    assert batch.flags == {"uniq_id empty, derived from cc and cf_id": 1}
    assert (
        "uniq_id empty, derived from cc and cf_id, as the codebook defines it "
        "(cc x 1000 + cf_id = 70001): Government of Synthetica (row 1)"
    ) in commitment.notes.splitlines()


def test_empty_effect_and_end_cells_are_unknown_parts() -> None:
    empty = {
        "cf_effect_yr": "",
        "cf_effect_month": "",
        "cf_effect_day": "",
        "ended": "1",
        "end_yr": "2002",
        "end_month": "",
        "end_day": "",
    }
    commitment = _ceasefire(empty)
    assert commitment.effective == _day("2001-03-04")
    assert _end_of(_eth(empty)) == _day("2002")
    month = {"cf_effect_day": "", "ended": "1", "end_yr": "2002", "end_month": "5"}
    assert _ceasefire(month).effective == _day("2001-03")
    assert _end_of(_eth(month)) == _day("2002-05")


def test_an_impossible_declaration_or_end_day_is_read_as_its_month() -> None:
    impossible = {
        "cf_dec_month": "2",
        "cf_dec_day": "30",
        "cf_effect_month": "2",
        "cf_effect_day": "-1",
        "ended": "1",
        "end_yr": "2002",
        "end_month": "4",
        "end_day": "31",
    }
    commitment = _ceasefire(impossible)
    assert commitment.occurred == _day("2001-02")
    assert _end_of(_eth(impossible)) == _day("2002-04")
    assert "cf_dec coded as 2001-02-30, not a day: read as the month" in commitment.notes
    assert "end coded as 2002-04-31, not a day: read as the month" in commitment.notes


def test_a_row_not_ended_does_not_hide_another_rows_end() -> None:
    ended = {**REBELS, "ended": "1", "end_yr": "2002", "end_month": "5", "end_day": "1"}
    assert _end_of(_eth({"end_yr": "0", "ended": "0"}, ended)) == _day("2002-05-01")


def test_each_actors_end_is_listed_with_its_ended_code_on_one_line() -> None:
    later = {**REBELS, "ended": "4", "end_yr": "2002", "end_month": "5", "end_day": "1"}
    earlier = {"ended": "1", "end_yr": "2002", "end_month": "4", "end_day": "20"}
    commitment = _ceasefire(later, earlier)
    (line,) = [n for n in commitment.notes.splitlines() if n.startswith("ends by actor: ")]
    assert set(line.removeprefix("ends by actor: ").split("; ")) == {
        "Government of Synthetica: 2002-04-20 (day, UTC), code 1",
        "SLF: 2002-05-01 (day, UTC), code 4",
    }


def test_the_earliest_declared_row_keeps_the_id_whatever_the_file_order() -> None:
    later = {"cf_dec_month": "9", "cf_dec_day": "1", "cf_effect_month": "9"}
    batch = _eth(later, REBELS)  # row 1 declared 2001-09-01, row 2 2001-03-04
    records = _by_id(batch)
    first, second = records["eth-prio:70001"], records["eth-prio:70001-1"]
    assert isinstance(first, Commitment)
    assert isinstance(second, Commitment)
    assert first.parties == ("actor:ucdp-22",)
    assert first.occurred == _day("2001-03-04")
    assert second.occurred == _day("2001-09-01")


def test_a_row_with_an_impossible_declaration_day_is_still_split_by_its_month() -> None:
    # 2001-02-30 is read as February 2001; 2001-09-01 is more than 90 days later.
    odd = {"cf_dec_month": "2", "cf_dec_day": "30", "cf_effect_month": "2", "cf_effect_day": "-1"}
    later = {**REBELS, "cf_dec_month": "9", "cf_dec_day": "1", "cf_effect_month": "9"}
    records = _by_id(_eth(odd, later))
    assert "eth-prio:70001" in records
    assert "eth-prio:70001-2" in records


def test_a_ceasefire_without_a_location_applies_everywhere() -> None:
    batch = _eth({"location": ""})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.scope.include == ()
    assert commitment.scope.exclude == ()
    assert not [r for r in batch.records if isinstance(r, PlaceDefined)]


def test_the_ceasefires_source_is_the_dataset_titled_with_its_id() -> None:
    (source,) = _ceasefire({}).sources
    assert (source.publisher, source.title) == (
        "ETH/PRIO Civil Conflict Ceasefire Dataset",
        "ceasefire 70001",
    )


def test_notes_are_lines_the_record_first_then_its_codes() -> None:
    commitment = _ceasefire({"ucdp_acd_id": "", "side": "-1"})
    first, codes, *_ = commitment.notes.splitlines()
    assert first == "ETH/PRIO ceasefire 70001 (Synthetica)"
    # code=value, joined by "; "; empty values and the reading of an unknown side left out
    assert set(codes.split("; ")) == {"side=-1", "ended=0", "ceasefire_class=2", "written=1"}
    agreement, _ = _agreement_and_terms()
    first, codes, *_ = agreement.notes.splitlines()
    assert first == "UCDP peace agreement 5001: Testville Accord"
    assert set(codes.split("; ")) == {
        "conflict_id=333",
        "dyad_id=729",
        "pa_type=1",
        "incompatibility=2",
    }
    _, terms = _agreement_and_terms(ended="True", duration="2002-05-01")
    assert terms.notes.splitlines() == [
        "the terms, a ceasefire among them, of UCDP peace agreement 5001",
        "ended=True; duration=2002-05-01",
    ]
    (pax, _) = _pax().events()
    first, codes, *_ = pax.notes.splitlines()
    assert first == "PA-X agreement 77: Testville Ceasefire"
    assert "Loc1ISO=SYN" in codes.split("; ")


def test_pa_date_with_a_time_of_day_is_read_as_its_day() -> None:
    agreement, _ = _agreement_and_terms(pa_date="2001-03-04 00:00:00")
    assert agreement.occurred == _day("2001-03-04")


@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        ({"paid": " "}, "paid", "is empty"),
        ({"actor_id": " "}, "actor_id", "is empty"),
        ({"actor_id": "-1, ."}, "actor_id", "'-1, .'"),
        ({"pa_date": "soon"}, "pa_date", "'soon'"),
    ],
)
def test_a_refused_peace_agreement_row_says_why(
    changes: dict[str, str], field: str, said: str
) -> None:
    (refused,) = _pa(changes).refused
    assert refused.field == field
    assert said in refused.reason


def test_a_provision_cites_its_agreements_source() -> None:
    agreement, terms = _agreement_and_terms()
    assert terms.sources == agreement.sources
    assert [(s.publisher, s.title) for s in terms.sources] == [
        ("UCDP Peace Agreement Dataset", "Testville Accord")
    ]
    pax, ceasefire = _pax().events()
    assert ceasefire.sources == pax.sources
    assert [(s.publisher, s.title) for s in ceasefire.sources] == [
        ("PA-X Peace Agreements Database", "Testville Ceasefire")
    ]


# ------------------------------------------- independent of the file's row order
#
# The expectations below are written from the rules the how-to states: a ceasefire's
# rows are read in the order of their declaration, then of their ``id``; a second
# ceasefire under one ``uniq_id`` is named by the smallest ``id`` of its rows; an
# actor is named by the spelling most rows give it (of as many, the first in code
# point order), the others its aliases. Every order of the rows must give them.


def _every_order(rows: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    return [list(order) for order in itertools.permutations(rows)]


def _some_orders(rows: list[dict[str, str]], count: int = 40) -> list[list[dict[str, str]]]:
    """The rows as given, reversed, and shuffled ``count`` ways (fixed seeds)."""
    orders = [list(rows), rows[::-1]]
    for seed in range(count):
        shuffled = list(rows)
        random.Random(seed).shuffle(shuffled)
        orders.append(shuffled)
    return orders


def _eth_rows(*rows: dict[str, str], columns: tuple[str, ...] = ETH_COLUMNS) -> ImportBatch:
    """The rows as given, ``id`` included (`_eth` numbers them in file order)."""
    return get_importer("eth-prio").read(_csv(columns, [{**ETH_ROW, **row} for row in rows]))


def test_a_second_ceasefire_under_one_id_is_named_by_its_smallest_row_id_in_any_order() -> None:
    # ids compared as numbers: 9 before 10, though row 10 was declared first
    first = {"id": "1"}  # 2001-03-04
    later = {"cf_dec_month": "9", "cf_dec_day": "1", "cf_effect_month": "9"}  # + 181 days
    rows = [first, {**later, "id": "10", **REBELS}, {**later, "id": "9", "cf_dec_day": "5"}]
    for order in _every_order(rows):
        batch = _eth_rows(*order)
        assert batch.refused == ()
        found = _by_id(batch)
        assert {r.id for r in batch.events()} == {"eth-prio:70001", "eth-prio:70001-9"}
        second = found["eth-prio:70001-9"]
        assert isinstance(second, Commitment)
        assert "this one is kept as 70001-9" in second.notes
        assert batch.flags == {"uniq_id shared by two ceasefires": 1}


def test_without_row_ids_a_second_ceasefire_is_named_by_its_declaration() -> None:
    columns = tuple(c for c in ETH_COLUMNS if c != "id")
    later = {"cf_dec_month": "9", "cf_dec_day": "1", "cf_effect_month": "9"}
    month = {"cf_dec_yr": "2002", "cf_dec_month": "6", "cf_dec_day": "-1"}
    month |= {"cf_effect_yr": "2002", "cf_effect_month": "6", "cf_effect_day": "-1"}
    rows = [{}, {**later, **REBELS}, later, month]
    for order in _every_order(rows):
        batch = _eth_rows(*order, columns=columns)
        assert batch.refused == ()
        assert {r.id for r in batch.events()} == {
            "eth-prio:70001",
            "eth-prio:70001-2001-09-01",
            "eth-prio:70001-2002-06",
        }


def test_a_ceasefires_rows_are_read_by_declaration_then_id_in_any_order() -> None:
    # By the rule: declared 2001-03-04 are ids 2 (actor 11) and 3 (actor 33), then
    # 2001-03-05 id 1 (actor 22). Every row counts: the unilateral row's actor (11)
    # announced it, the purposes are those any row codes (row 3 adds humanitarian),
    # each actor's listed as the rows differ, and each peace process text is kept,
    # in that order.
    rows = [
        {**REBELS, "id": "1", "cf_dec_day": "5", "written": "0", "ended": "1"}
        | {"end_yr": "2002", "end_month": "5", "end_day": "1", "cf_pp": "Later talks"},
        {"id": "2", "side": "1", "written": "1", "ended": "3", "cf_pp": "Oslo talks"}
        | {"end_yr": "2002", "end_month": "4", "end_day": "20"},
        {"id": "3", "ucdp_actor_id": "33", "actor_name": "Third Front", "written": "2"}
        | {"side": "2", "ended": "1", "end_yr": "2002", "end_month": "6", "end_day": "2"}
        | {"p_humanitarian": "1", "cf_pp": ""},
    ]
    parties = ("actor:ucdp-11", "actor:ucdp-33", "actor:ucdp-22")
    ends = (
        "ends by actor: Government of Synthetica: 2002-04-20 (day, UTC), code 3; "
        "Third Front: 2002-06-02 (day, UTC), code 1; SLF: 2002-05-01 (day, UTC), code 1"
    )
    for order in _every_order(rows):
        commitment = _ceasefire(*order)
        assert commitment.parties == parties
        assert commitment.announced_by == ("actor:ucdp-11",)
        assert _end_of(_eth(*order)) == _day("2002-04-20")
        lines = commitment.notes.splitlines()
        assert {
            "side=1|2",
            "side_meaning=unilateral|bilateral",
            "ended=3|1",
            "written=1|2|0",
        } <= set(lines[1].split("; "))
        assert "purposes: humanitarian, peaceprocess" in lines
        assert (
            "purposes by actor: Government of Synthetica: peaceprocess; "
            "Third Front: humanitarian, peaceprocess; SLF: peaceprocess"
        ) in lines
        assert [x for x in lines if x.startswith("peace process: ")] == [
            "peace process: Oslo talks",
            "peace process: Later talks",
        ]
        assert ends in lines


def test_an_actor_is_named_by_its_most_frequent_spelling_in_any_order() -> None:
    spelled = [
        {"uniq_id": "70001", "id": "1"},
        {"uniq_id": "70002", "cf_id": "2", "id": "2"},
        {"uniq_id": "70003", "cf_id": "3", "id": "3", "actor_name": "Government ofSynthetica"},
        {"uniq_id": "70003", "cf_id": "3", "id": "4", **REBELS},
        {
            "uniq_id": "70004",
            "cf_id": "4",
            "id": "5",
            "ucdp_actor_id": "22",
            "actor_name": "SLF-2",
        },
        {"uniq_id": "70005", "cf_id": "5", "id": "6", "ucdp_actor_id": "33", "actor_name": "B"},
        {"uniq_id": "70006", "cf_id": "6", "id": "7", "ucdp_actor_id": "33", "actor_name": "A"},
        {"uniq_id": "70006", "cf_id": "6", "id": "8", "ucdp_actor_id": "44", "actor_name": ""},
        *(
            {"uniq_id": f"7001{n}", "cf_id": f"1{n}", "id": f"1{n}", "ucdp_actor_id": "55"}
            | {"actor_name": name}
            for n, name in enumerate(["Main", "Zeta", "Main", "Alpha", "Zeta", "Main"])
        ),
    ]
    expected = {
        "actor:ucdp-11": (
            "Government of Synthetica",
            ActorKind.GOVERNMENT,
            ("Government ofSynthetica",),
        ),
        "actor:ucdp-22": ("SLF", ActorKind.ARMED_FORCE, ("SLF-2",)),  # as many: code point order
        "actor:ucdp-33": ("A", ActorKind.ARMED_FORCE, ("B",)),
        "actor:ucdp-44": ("actor:ucdp-44", ActorKind.ARMED_FORCE, ()),  # no row names it
        "actor:ucdp-55": ("Main", ActorKind.ARMED_FORCE, ("Alpha", "Zeta")),  # aliases sorted
    }
    for order in _some_orders(spelled):
        batch = _eth_rows(*order)
        assert batch.refused == ()
        actors = {r.id: r for r in batch.records if isinstance(r, ActorDefined)}
        assert {rid: (a.name, a.actor_kind, a.aliases) for rid, a in actors.items()} == expected


def test_a_peace_agreement_actor_is_named_alike_in_any_order() -> None:
    # Actor 11 is named in two rows whose names match their ids, once otherwise; its
    # name does not depend on which row comes first. Actor 33 is named in no row
    # whose names match its ids: "UCDP actor 33".
    rows = [
        {"paid": "1", "actor_id": "11, 33", "actor_name": "Government of Synthetica, X, Y"},
        {"paid": "2", "actor_id": "11, 22", "actor_name": "Government of Synthetica, SLF"},
        {"paid": "3", "actor_id": "11, 22", "actor_name": "Synthetica Govt, SLF"},
        {"paid": "4", "actor_id": "22", "actor_name": "SLF"},
    ]
    expected = {
        "actor:ucdp-11": ("Government of Synthetica", ActorKind.GOVERNMENT, ("Synthetica Govt",)),
        "actor:ucdp-22": ("SLF", ActorKind.ARMED_FORCE, ()),
        "actor:ucdp-33": ("UCDP actor 33", ActorKind.ARMED_FORCE, ()),
    }
    for order in _every_order(rows):
        batch = _pa(*order)
        assert batch.refused == ()
        actors = {r.id: r for r in batch.records if isinstance(r, ActorDefined)}
        assert {rid: (a.name, a.actor_kind, a.aliases) for rid, a in actors.items()} == expected


# ------------------------------------------------------------- two-digit years

PA_YEAR_COLUMNS = (*PA_COLUMNS, "year")


def _pa_year(*rows: dict[str, str]) -> ImportBatch:
    full = [{**PA_ROW, "year": "2001", **row} for row in rows]
    return get_importer("ucdp-peace-agreements").read(_csv(PA_YEAR_COLUMNS, full))


@pytest.mark.parametrize(
    ("pa_date", "year", "day"),
    [
        ("24-Apr-92", "1992", "1992-04-24"),  # Excel's d-mmm-yy
        ("24-Apr-92", "1992.0", "1992-04-24"),  # a year written as a float
        ("4/24/92", "1992", "1992-04-24"),  # Excel (US), two-digit year
        ("24/04/92", "1992", "1992-04-24"),
        ("3-Jan-05", "2005", "2005-01-03"),
        ("24-Apr-1992", "", "1992-04-24"),  # a four-digit year needs no year cell
    ],
)
def test_a_two_digit_pa_date_year_is_the_rows_year(pa_date: str, year: str, day: str) -> None:
    batch = _pa_year({"pa_date": pa_date, "year": year})
    assert batch.refused == ()
    agreement, terms = batch.events()
    assert agreement.occurred == _day(day)
    assert isinstance(terms, Commitment)
    assert terms.effective is None or terms.effective == _day(day)
    assert terms.starts == _day(day)


@pytest.mark.parametrize(
    ("duration", "year", "until"),
    [
        ("12-May-93", "1993", "1993-05-12"),
        ("1-Jan-94", "1993", "1994-01-01"),  # the end in the next year
        ("28-Sep-01", "1999", "2001-09-28"),  # across the century
        ("1-Feb-50", "2000", "2050-02-01"),  # 1950 and 2050 as near: the later
    ],
)
def test_a_two_digit_duration_year_is_the_nearest_to_the_rows_year(
    duration: str, year: str, until: str
) -> None:
    pa_date = f"1-Jan-{year[2:]}"
    batch = _pa_year({"pa_date": pa_date, "year": year, "ended": "True", "duration": duration})
    assert batch.refused == ()
    _, terms, _ = batch.events()
    assert isinstance(terms, Commitment)
    assert _end_of(batch, terms.id) == _day(until)
    assert f"duration={duration}" in terms.notes


def test_a_two_digit_duration_year_reaches_the_files_coverage() -> None:
    # Ended without a date: possibly in force to the latest year the file codes,
    # 2025 by the other row's duration (read in the year nearest its row's, 2024).
    batch = _pa_year(
        {"paid": "1", "ended": "True", "duration": ""},
        {"paid": "2", "pa_date": "3-Mar-24", "year": "2024", "ended": "True"}
        | {"duration": "2-Feb-25"},
    )
    assert batch.refused == ()
    terms = _by_id(batch)["ucdp-pa:1/terms"]
    assert isinstance(terms, Commitment)
    assert terms.until == _open_to(_day("2001-03-04"), 2025)


@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        ({"pa_date": "24-Apr-92", "year": "1993"}, "pa_date", "'24-Apr-92' has the year 92 but"),
        ({"pa_date": "24-Apr-92", "year": ""}, "pa_date", "the row's year is empty"),
        ({"pa_date": "24-Apr-92", "year": "n/a"}, "pa_date", "the row's year 'n/a' is not a year"),
        (
            {"ended": "True", "duration": "1-May-02", "year": " "},
            "duration",
            "'1-May-02' has a two-digit year, and the row's year is empty",
        ),
    ],
)
def test_a_two_digit_year_the_row_cannot_settle_is_refused_saying_why(
    changes: dict[str, str], field: str, said: str
) -> None:
    (refused,) = _pa_year(changes).refused
    assert refused.field == field
    assert said in refused.reason


def test_a_two_digit_year_without_a_year_column_is_refused_saying_so() -> None:
    (refused,) = _pa({"pa_date": "24-Apr-92"}).refused
    assert refused.field == "pa_date"
    assert "'24-Apr-92' has a two-digit year, and the file has no year column" in (refused.reason)


def _pax_on(today: str, *dates: str) -> ImportBatch:
    rows = [{**PAX_ROW, "AgtId": str(n), "Dat": d} for n, d in enumerate(dates, start=1)]
    return get_importer("pax").read(_csv(PAX_COLUMNS, rows), today=today)


@pytest.mark.parametrize(
    ("dat", "day"),
    [
        ("12-Feb-15", "2015-02-12"),  # Excel's dd-mmm-yy
        ("8-Jul-19", "2019-07-08"),
        ("3-Mar-95", "1995-03-03"),
        ("13/02/15", "2015-02-13"),
        ("2/13/00", "2000-02-13"),
        ("1-Jan-26", "2026-01-01"),  # the current year
    ],
)
def test_a_two_digit_pax_year_is_the_one_year_pax_covers_that_ends_in_it(
    dat: str, day: str
) -> None:
    """PA-X has no year column, but it covers agreements from 1990 on: of the years from
    1990 to the current one, one alone ends in the two digits; the cell is kept in the
    agreement's notes."""
    batch = _pax_on("2026-12-04", dat)
    assert batch.refused == ()
    (agreement,) = [r for r in batch.events() if isinstance(r, Agreement)]
    assert agreement.occurred == _day(day)
    said = f"Dat {dat}: a two-digit year, read as {day[:4]}, the one year from 1990"
    assert said in agreement.notes


@pytest.mark.parametrize("dat", ["1-Jan-27", "1-Jan-89", "5/5/50"])
def test_a_two_digit_pax_year_no_year_pax_covers_ends_in_is_refused(dat: str) -> None:
    (refused,) = _pax_on("2026-12-04", dat).refused
    assert refused.field == "Dat"
    assert refused.reason == (
        f"{dat!r} has a two-digit year, and no year PA-X covers (1990 to 2026) ends in "
        f"{dat[-2:]}: save Dat with four-digit years"
    )


def test_a_two_digit_pax_year_reaches_the_files_coverage() -> None:
    # The file reaches 2024 by its second row: PA-X's unknown end runs to its end.
    batch = _pax_on("2026-12-04", "4-Mar-01", "3-Mar-24")
    assert batch.refused == ()
    ceasefire = _by_id(batch)["pax:1/ceasefire"]
    assert isinstance(ceasefire, Commitment)
    assert ceasefire.until == _open_to(_day("2001-03-04"), 2024)


# ------------------------------------------- columns and rows kept, not refused


PAX_ALL_COLUMNS = (
    *PAX_COLUMNS,
    "Loc1GWNO",
    "Loc2ISO",
    "Loc2GWNO",
    "Reg",
    "PP",
    "Ver",
    "Lgt",
    "N_characters",
    "CowWar",
    "PamAgr",
    "OthAgr",
)
PAX_MORE = {
    "Loc1GWNO": "901",
    "Loc2ISO": "TST",
    "Loc2GWNO": "902",
    "Reg": "Europe and Eurasia",
    "PP": "8",
    "Ver": "2",
    "Lgt": "3",
    "N_characters": "5177",
    "CowWar": "872",
    "PamAgr": "21",
    "OthAgr": "Page 2, 8:\n8. We acknowledge the Testville Accord, 2000.",
}


def _pax_all(**changes: str) -> Agreement:
    row = {**PAX_ROW, **PAX_MORE, "Stage": "Imp", **changes}
    batch = get_importer("pax").read(_csv(PAX_ALL_COLUMNS, [row]))
    assert batch.refused == (), batch.refused
    (agreement,) = batch.events()
    assert isinstance(agreement, Agreement)
    return agreement


def test_the_pax_locations_region_versions_and_war_codes_are_kept_raw() -> None:
    (_, codes, *_) = _pax_all().notes.splitlines()
    for code in (
        "Loc1ISO=SYN",
        "Loc1GWNO=901",
        "Loc2ISO=TST",
        "Loc2GWNO=902",
        "Reg=Europe and Eurasia",
        "PP=8",
        "Ver=2",
        "Lgt=3",
        "N_characters=5177",
        "CowWar=872",
        "PamAgr=21",
    ):
        assert code in codes.split("; ")


def test_the_pax_links_to_other_agreements_are_kept_whole_last() -> None:
    notes = _pax_all().notes
    assert notes.endswith("\nOthAgr: Page 2, 8:\n8. We acknowledge the Testville Accord, 2000.")
    assert "OthAgr" not in _pax_all(OthAgr="").notes


def test_an_actor_name_cell_not_naming_the_actors_is_kept_in_the_notes() -> None:
    # UCDP PA 1058: a name holding a comma, so 3 parts for 2 ids: no name is used.
    names = "Government of Synthetica, Military faction (forces of Honasan, Abenina & Zumel)"
    agreement, _ = _agreement_and_terms(actor_name=names)
    assert (
        "actor_name as coded (not used to name the actors: 3 comma-separated parts for "
        f"2 actor ids): {names}"
    ) in agreement.notes.splitlines()
    # An unknown id's name names no actor either.
    agreement, _ = _agreement_and_terms(actor_id="11, -1", actor_name="Government of X, Y")
    assert (
        "actor_name as coded (the name of an unknown actor id is not used): Government of X, Y"
    ) in agreement.notes.splitlines()
    # Names used for every actor are not repeated.
    agreement, _ = _agreement_and_terms()
    assert "actor_name" not in agreement.notes


def test_each_actors_declaration_and_effect_are_listed_when_the_rows_differ() -> None:
    later = {**REBELS, "cf_dec_day": "6", "cf_effect_day": "8"}
    commitment = _ceasefire({}, later)
    assert commitment.occurred == _day("2001-03-04")
    assert commitment.effective == _day("2001-03-05")
    lines = commitment.notes.splitlines()
    assert (
        "declarations by actor: Government of Synthetica: 2001-03-04 (day, UTC); "
        "SLF: 2001-03-06 (day, UTC)"
    ) in lines
    assert (
        "effects by actor: Government of Synthetica: 2001-03-05 (day, UTC); "
        "SLF: 2001-03-08 (day, UTC)"
    ) in lines
    same = _ceasefire({}, REBELS)
    assert "declarations by actor" not in same.notes
    assert "effects by actor" not in same.notes


def test_a_row_without_a_declaration_year_takes_the_others_declaration_flagged() -> None:
    # ETH/PRIO 100021's rows with FARC's year coded -1: the government's row is dated.
    undated = {"cf_dec_yr": "-1", "cf_dec_month": "3", "cf_dec_day": "2"}
    batch = _eth(undated, {**REBELS, "cf_dec_day": "6", "cf_effect_day": "7"})
    assert batch.refused == ()
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.occurred == commitment.reported == _day("2001-03-06")
    assert commitment.effective == _day("2001-03-05")  # the earliest effect, as ever
    assert commitment.parties == ("actor:ucdp-11", "actor:ucdp-22")
    # The undated row's effect (2001-03-05) is before the declaration it takes.
    assert batch.flags == {
        "declaration year unknown for some actors": 1,
        "effect before the declaration": 1,
    }
    lines = commitment.notes.splitlines()
    assert (
        "effect before the declaration as coded, kept as published: Government of "
        "Synthetica (row 1): cf_effect 2001-03-05 (day, UTC), the declaration "
        "2001-03-06 (day, UTC)"
    ) in lines
    assert (
        "declaration year unknown for some actors: the ceasefire's declaration is its "
        "other rows'; Government of Synthetica (row 1): cf_dec coded year -1, month 3, day 2"
    ) in lines
    assert (
        "declarations by actor: Government of Synthetica: unknown; SLF: 2001-03-06 (day, UTC)"
    ) in lines


def test_an_undated_rows_effect_on_or_after_the_declaration_it_takes_is_not_flagged() -> None:
    undated = {"cf_dec_yr": "-1", "cf_effect_day": "6"}
    batch = _eth(undated, {**REBELS, "cf_dec_day": "6", "cf_effect_day": "7"})
    assert batch.flags == {"declaration year unknown for some actors": 1}


@pytest.mark.parametrize("rows", [1, 2])
def test_a_ceasefire_with_no_declaration_year_on_any_row_is_refused(rows: int) -> None:
    undated = {"cf_dec_yr": "-1"}
    (refused,) = _eth(*[{**undated, **REBELS} if n else undated for n in range(rows)]).refused
    assert refused.field == "cf_dec_yr"
    assert "'-1' is unknown" in refused.reason


def test_a_row_without_an_effect_year_takes_the_others_effect() -> None:
    commitment = _ceasefire({"cf_effect_yr": "-1"}, {**REBELS, "cf_effect_day": "7"})
    assert commitment.effective == _day("2001-03-07")
    assert (
        "effects by actor: Government of Synthetica: unknown; SLF: 2001-03-07 (day, UTC)"
        in commitment.notes.splitlines()
    )


def test_a_row_without_a_declaration_year_belongs_to_the_first_ceasefire_of_its_id() -> None:
    undated = {"cf_dec_yr": "-1"}
    far = {**REBELS, "cf_dec_month": "9", "cf_dec_day": "1", "cf_effect_month": "9"}
    batch = _eth(undated, {}, far)  # rows 1, 2, 3; row 3 declared 181 days after row 2
    assert batch.refused == ()
    records = _by_id(batch)
    first, second = records["eth-prio:70001"], records["eth-prio:70001-3"]
    assert isinstance(first, Commitment)
    assert isinstance(second, Commitment)
    assert first.occurred == _day("2001-03-04")
    assert "(row 1)" in first.notes
    assert second.parties == ("actor:ucdp-22",)
    assert second.occurred == _day("2001-09-01")


@pytest.mark.parametrize("cell", ["19, 20", "19;20", "19.0, 20"])
def test_a_link_id_cell_listing_several_ceasefires_links_each(cell: str) -> None:
    commitment = _ceasefire({"link_id1": cell})
    assert "linked ceasefires: eth-prio:70019, eth-prio:70020" in commitment.notes.splitlines()


@pytest.mark.parametrize("cell", ["0, 19", "19, -1", "0; 19; NA"])
def test_the_datasets_none_inside_a_link_list_links_nothing(cell: str) -> None:
    """0 and -1 are the dataset's "none", inside a list as alone: no made-up link."""
    batch = _eth({"link_id1": cell})
    # (the file holds no ceasefire 70019: see the test of links that name none)
    assert batch.flags == {"link_id names no ceasefire of the file": 1}
    (commitment,) = batch.events()
    assert "linked ceasefires: eth-prio:70019" in commitment.notes.splitlines()


@pytest.mark.parametrize("cell", ["19.5", "x", "19, x"])
def test_an_unreadable_link_id_cell_is_kept_as_coded_and_flagged(cell: str) -> None:
    batch = _eth({"link_id1": "3", "link_id2": cell})
    assert batch.refused == ()
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert batch.flags == {
        "link_id not a ceasefire id": 1,
        "link_id names no ceasefire of the file": 1,  # 70003, 70019: not in the file
    }
    lines = commitment.notes.splitlines()
    # A whole number in the cell is linked all the same; the rest is not read.
    linked = "eth-prio:70003, eth-prio:70019" if cell == "19, x" else "eth-prio:70003"
    assert f"linked ceasefires: {linked}" in lines
    assert (
        "link_id not a ceasefire id, kept as coded (what is not a whole number not read "
        f"as a link): Government of Synthetica (row 1): link_id2 {cell!r}"
    ) in lines


# ------------------------------------------ a year after today covers nothing


def test_a_year_after_the_current_year_is_kept_flagged_and_covers_nothing() -> None:
    """import-ceasefires.md: a year after the clock's today (the ``today`` option, else
    the system's, UTC) is kept on its row as coded and flagged, but extends no file's
    coverage: one row's typo does not move every other ceasefire's end."""
    typo = {"ended": "1", "end_yr": "2201", "end_month": "1", "end_day": "1"}
    rows = [
        {**ETH_ROW, "id": "1", **typo},
        {**ETH_ROW, "id": "2", "uniq_id": "70002", "cf_id": "2"},  # not ended
    ]
    for today in ({"today": "2030-06-01"}, {}):  # the system's today is before 2201
        batch = get_importer("eth-prio").read(_csv(ETH_COLUMNS, rows), **today)
        records = _by_id(batch)
        typoed, other = records["eth-prio:70001"], records["eth-prio:70002"]
        assert isinstance(typoed, Commitment)
        assert isinstance(other, Commitment)
        assert _end_of(batch) == _day("2201-01-01")  # kept as coded
        assert other.until == _after(2020)  # the release's coverage, not 2201
        assert batch.flags == {"year after the current year": 1}
    assert (
        "year after the current year (2030), kept as coded; no year the dataset covers "
        "yet: Government of Synthetica (row 1): end_yr 2201"
    ) in get_importer("eth-prio").read(_csv(ETH_COLUMNS, rows), today="2030-06-01").events()[
        0
    ].notes.splitlines()  # type: ignore[attr-defined]
    # The current year itself is covered: 2030 on a row, today in 2030.
    rows[0] = {**rows[0], "end_yr": "2030"}
    batch = get_importer("eth-prio").read(_csv(ETH_COLUMNS, rows), today="2030-06-01")
    assert _by_id(batch)["eth-prio:70002"].until == _after(2030)  # type: ignore[attr-defined]
    assert batch.flags == {}


def test_a_peace_agreement_year_after_the_current_year_covers_nothing() -> None:
    # Agreement 5001 ended, its duration a typo 2201-01-01; 5002 not ended (ended
    # empty): in force to the end of 2021, the release's coverage, not of 2201.
    ended = {"ended": "True", "duration": "2201-01-01"}
    rows = [{**PA_ROW, **ended}, {**PA_ROW, "paid": "5002", "ended": "", "duration": ""}]
    batch = get_importer("ucdp-peace-agreements").read(_csv(PA_COLUMNS, rows), today="2030-06-01")
    records = _by_id(batch)
    typoed, other = records["ucdp-pa:5001/terms"], records["ucdp-pa:5002/terms"]
    assert isinstance(typoed, Commitment)
    assert isinstance(other, Commitment)
    assert _end_of(batch, typoed.id) == _day("2201-01-01")
    assert other.until == _after(2021)
    assert batch.flags == {"year after the current year": 1}
    assert (
        "year after the current year (2030), kept as coded; no year the dataset covers "
        "yet: duration 2201-01-01"
    ) in typoed.notes.splitlines()


# ------------------------------------- UCDP PA: ended, duration, ids, year


# Not ".": Stata's missing value is the empty cell, not ended (pinned in
# test_import_saved_forms.py, the file exported from Stata with dots for missing).
@pytest.mark.parametrize("ended", ["Unknown", "2", "Ended", "-99"])
def test_a_peace_agreement_ended_code_not_understood_is_an_unknown_end_flagged(
    ended: str,
) -> None:
    """import-ceasefires.md: ``ended`` neither True/1/Yes nor False/0/No/empty/``.``: whether
    it ended is not known; the agreement is kept, its end read as "ended, date
    unknown" (possibly in force to the end of 2021, certainly never), the value kept
    raw, flagged."""
    batch = _pa({"ended": ended, "duration": ""})
    assert batch.refused == ()
    _, terms = batch.events()
    assert isinstance(terms, Commitment)
    assert terms.until == _open_to(_day("2001-03-04"), 2021)
    assert batch.flags == {"ended code not understood": 1}
    lines = terms.notes.splitlines()
    assert f"ended={ended}" in lines
    assert (
        f"ended code not understood: ended {ended!r} is neither True nor False; read as "
        "ended, date unknown: possibly in force until 2021"
    ) in lines
    assert not any(line.startswith("not ended") for line in lines)


@pytest.mark.parametrize("duration", ["", ".", "-99"])
def test_a_peace_agreement_duration_written_as_missing_is_ended_date_unknown(
    duration: str,
) -> None:
    # Ended True, its date missing as the file (empty) or Stata (".", -99) writes it.
    batch = _pa({"ended": "True", "duration": duration})
    assert batch.refused == ()
    _, terms = batch.events()
    assert isinstance(terms, Commitment)
    assert terms.until == _open_to(_day("2001-03-04"), 2021)
    assert "ended, date unknown: possibly in force until 2021" in terms.notes.splitlines()
    assert batch.flags == {}


def test_a_peace_agreement_duration_to_the_month_is_a_month_precise_end() -> None:
    end = _end_of(_pa({"ended": "True", "duration": "2001-08"}), "ucdp-pa:5001/terms")
    assert end == _day("2001-08")
    assert end.precision is Precision.MONTH


@pytest.mark.parametrize(
    ("duration", "until", "said"),
    [
        ("2016", "2016", ""),  # a year alone: the year
        ("2016-05-00", "2016-05", "the month 2016-05"),  # day 00: the month
        ("2016-05-xx", "2016-05", "the month 2016-05"),
        ("2016/05/XX", "2016-05", "the month 2016-05"),
        ("2016-5", "2016-05", "the month 2016-05"),
        ("05/2016", "2016-05", "the month 2016-05"),
        ("May 2016", "2016-05", "the month 2016-05"),  # a month name and a year
        ("may-2016", "2016-05", "the month 2016-05"),
        ("Sept. 2016", "2016-09", "the month 2016-09"),
        ("2016 May", "2016-05", "the month 2016-05"),
        ("2016-00-00", "2016", "the year 2016"),  # month and day 00: the year
        ("2016-xx-xx", "2016", "the year 2016"),
    ],
)
def test_a_duration_known_in_part_is_the_year_or_month_it_gives(
    duration: str, until: str, said: str
) -> None:
    """import-ceasefires.md: an end known only in part is the year or month it gives
    (a year alone the year; day 00 or xx the month; a month named with its year the
    month), not a refusal of the agreement; read otherwise than as ISO 8601 writes a
    year or month, a line of the notes says how. Nothing is flagged."""
    batch = _pa({"ended": "True", "duration": duration})
    assert batch.refused == ()
    agreement, terms, _ = batch.events()
    assert isinstance(agreement, Agreement)
    assert isinstance(terms, Commitment)
    end = _end_of(batch, terms.id)
    assert end == TimeExtent.parse(until)
    assert end.precision is (Precision.YEAR if len(until) == 4 else Precision.MONTH)
    lines = terms.notes.splitlines()
    assert f"ended=True; duration={duration}" in lines
    if said:
        assert f"duration {duration}: no day given, read as {said}" in lines
    else:
        assert not any(line.startswith(f"duration {duration}:") for line in lines)
    assert batch.flags == {}


@pytest.mark.parametrize("duration", ["2025", "2025-05-00", "May 2025"])
def test_a_duration_known_in_part_reaches_the_files_coverage(duration: str) -> None:
    # The file reaches 2025 by the other row's end, so an unknown end runs to it.
    batch = _pa(
        {"paid": "1", "ended": "True", "duration": ""},
        {"paid": "2", "ended": "True", "duration": duration},
    )
    assert batch.refused == ()
    terms = _by_id(batch)["ucdp-pa:1/terms"]
    assert isinstance(terms, Commitment)
    assert terms.until == _open_to(_day("2001-03-04"), 2025)


@pytest.mark.parametrize("duration", ["soon", "late 2016", "2016-13", "Foo 2016", "May-16"])
def test_an_unreadable_duration_is_an_unknown_end_flagged(duration: str) -> None:
    """import-ceasefires.md: a ``duration`` that gives no day, month or year, with
    ``ended`` True, is an unknown end (as an empty one is: possibly in force to the end
    of 2021, certainly never), flagged "duration not a date", the cell kept as coded in
    the notes; the agreement and its terms are kept."""
    batch = _pa({"ended": "True", "duration": duration})
    assert batch.refused == ()
    agreement, terms = batch.events()
    assert isinstance(agreement, Agreement)
    assert isinstance(terms, Commitment)
    assert terms.until == _open_to(_day("2001-03-04"), 2021)
    assert batch.flags == {"duration not a date": 1}
    lines = terms.notes.splitlines()
    assert f"ended=True; duration={duration}" in lines
    assert (
        f"duration not a date: duration {duration!r} gives no day, month or year; read "
        "as ended, date unknown: possibly in force until 2021"
    ) in lines


@pytest.mark.parametrize("cell", ["11 22", "11/22", "11; 22", "11,22", " 11 , 22 "])
def test_peace_agreement_actor_ids_split_on_commas_semicolons_slashes_or_spaces(
    cell: str,
) -> None:
    agreement, terms = _agreement_and_terms(actor_id=cell)
    assert agreement.signatories == terms.parties == ("actor:ucdp-11", "actor:ucdp-22")


@pytest.mark.parametrize(("cell", "part"), [("11 x", "x"), ("11, 22a", "22a"), ("11.5", "11.5")])
def test_a_peace_agreement_actor_id_part_that_is_no_id_is_refused(cell: str, part: str) -> None:
    batch = _pa({"actor_id": cell, "actor_name": ""})
    (refused,) = batch.refused
    assert refused.field == "actor_id"
    assert refused.reason == (
        f"{cell.strip()!r}: {part!r} is not an actor id (whole numbers, separated by "
        "commas, semicolons, slashes or spaces)"
    )
    assert batch.events() == ()


def test_a_peace_agreement_year_disagreeing_with_pa_date_is_kept_and_flagged() -> None:
    batch = _pa_year({"year": "2003"})  # pa_date 2001-03-04
    agreement, _ = batch.events()
    assert isinstance(agreement, Agreement)
    assert agreement.occurred == _day("2001-03-04")  # pa_date is the date
    assert batch.flags == {"year disagrees with pa_date": 1}
    assert (
        "year disagrees with pa_date: year 2003, pa_date 2001-03-04; the date is pa_date's"
    ) in agreement.notes.splitlines()
    assert _pa_year({"year": "2001"}).flags == {}


# ------------------------------------ ETH/PRIO: ids, links, two-digit years


def test_a_ucdp_actor_id_that_is_not_one_id_is_kept_raw_and_flagged() -> None:
    # The rebels' row listing two ids, as the peace agreements list them.
    batch = _eth({}, {**REBELS, "ucdp_actor_id": "17, 743"})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert sorted(commitment.parties) == ["actor:slf", "actor:ucdp-11"]  # named, as before
    assert batch.flags == {"ucdp_actor_id not one actor id": 1}
    assert (
        "ucdp_actor_id not one actor id, kept as coded (named by actor_name): "
        "SLF (row 2): '17, 743'"
    ) in commitment.notes.splitlines()
    # Without a name, nothing names the party: refused.
    (refused,) = _eth({}, {"ucdp_actor_id": "17, 743", "actor_name": ""}).refused
    assert (refused.line, refused.field) == (3, "actor_name")
    assert refused.reason.startswith("is empty and ucdp_actor_id '17, 743' is not one actor id")


def test_a_ucdp_actor_id_of_zero_is_kept_raw_and_flagged_not_read_as_unknown() -> None:
    # UCDP numbers actors from 1, and the published file codes an id it does not know
    # -1 (35 rows): a 0 is no id, and no code for "unknown" either, so it is kept as
    # coded and flagged, the party named by its name, as any cell that is not one id.
    batch = _eth({}, {**REBELS, "ucdp_actor_id": "0"})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert sorted(commitment.parties) == ["actor:slf", "actor:ucdp-11"]
    assert batch.flags == {"ucdp_actor_id not one actor id": 1}
    assert (
        "ucdp_actor_id not one actor id, kept as coded (named by actor_name): SLF (row 2): '0'"
    ) in commitment.notes.splitlines()
    # -1, the codebook's unknown, names the party by its name unflagged.
    assert _eth({}, {**REBELS, "ucdp_actor_id": "-1"}).flags == {}


def test_every_link_id_column_is_read_whatever_its_number() -> None:
    columns = (*ETH_COLUMNS, "link_id36", "link_id100")
    row = {**ETH_ROW, "link_id1": "3", "link_id36": "37", "link_id100": "5"}
    batch = get_importer("eth-prio").read(_csv(columns, [row]))
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert (
        "linked ceasefires: eth-prio:70003, eth-prio:70005, eth-prio:70037"
    ) in commitment.notes.splitlines()


def test_a_uniq_id_that_is_not_cc_x_1000_plus_cf_id_is_kept_and_flagged() -> None:
    batch = _eth({"cf_id": "2"}, {**REBELS, "cf_id": "2"})  # uniq_id 70001, cc 70
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    assert commitment.id == "eth-prio:70001"  # the uniq_id, as published
    assert batch.flags == {"uniq_id not cc x 1000 + cf_id": 1}
    assert (
        "uniq_id not cc x 1000 + cf_id, the uniq_id kept as the id: "
        "Government of Synthetica (row 1): cc=70, cf_id=2; SLF (row 2): cc=70, cf_id=2"
    ) in commitment.notes.splitlines()


@pytest.mark.parametrize(
    ("cells", "field", "year"),
    [
        ({"cf_dec_yr": "16"}, "cf_dec_yr", "16"),
        ({"cf_dec_yr": "1"}, "cf_dec_yr", "1"),
        ({"cf_effect_yr": "01"}, "cf_effect_yr", "01"),
        ({"end_yr": "99", "ended": "1"}, "end_yr", "99"),
    ],
)
def test_a_year_of_one_or_two_digits_is_refused_naming_the_field(
    cells: dict[str, str], field: str, year: str
) -> None:
    (refused,) = _eth({}, {**REBELS, **cells}).refused
    assert (refused.line, refused.field) == (3, field)
    # A year of the declaration so written falls more than 90 days from the other
    # row's: a ceasefire of its own row. Else the ceasefire's other row (line 2) is
    # refused with it.
    with_it = (
        "; the other rows under its uniq_id (lines 2) are refused with it: a ceasefire "
        "or agreement is never imported with some of its rows missing"
    )
    assert refused.reason == (
        f"{year!r} has fewer than three digits, as a re-save writes a two-digit year (the "
        "dataset covers 1989-2020): write the year with four digits, in the row of SLF (row 2)"
        + ("" if field == "cf_dec_yr" else with_it)
    )


# ------------------------------- numeric dates in a file that proves both orders


def _both_orders(importer: str, rows: list[dict[str, str]], **options: str) -> ImportBatch:
    if importer == "pax":
        full = [{**PAX_ROW, "AgtId": row["id"], "Dat": row["date"]} for row in rows]
        return get_importer("pax").read(_csv(PAX_COLUMNS, full), **options)
    full = [{**PA_ROW, "paid": row["id"], "pa_date": row["date"]} for row in rows]
    return get_importer("ucdp-peace-agreements").read(_csv(PA_COLUMNS, full), **options)


@pytest.mark.parametrize("importer", ["pax", "ucdp-peace-agreements"])
def test_a_file_proving_both_day_orders_refuses_its_ambiguous_dates_in_any_row_order(
    importer: str,
) -> None:
    """A numeric date whose day and month could be swapped is read in the order the
    file's other rows prove; when rows prove both orders (``13/05/2000`` day first,
    ``05/13/2001`` month first), it is refused as ambiguous, saying so, whichever row
    comes first; the dates that say their own order are read."""
    rows = [
        {"id": "101", "date": "13/05/2000"},
        {"id": "102", "date": "05/13/2001"},
        {"id": "103", "date": "05/06/2002"},
    ]
    field = "Dat" if importer == "pax" else "pa_date"
    for order in _every_order(rows):
        batch = _both_orders(importer, order)
        assert len(batch.refused) == 1, (order, batch.refused)
        (refused,) = batch.refused
        assert refused.field == field
        assert "'05/06/2002' is ambiguous" in refused.reason
        assert "both orders" in refused.reason
        agreements = {
            r.id.rsplit(":", 1)[1]: r.occurred for r in batch.events() if isinstance(r, Agreement)
        }
        assert agreements == {"101": _day("2000-05-13"), "102": _day("2001-05-13")}
    # One order proven by every row that proves any: the ambiguous date is read in it.
    for proven, read in (("13/05/2000", "2002-06-05"), ("05/13/2000", "2002-05-06")):
        batch = _both_orders(
            importer, [{"id": "101", "date": proven}, {"id": "103", "date": "05/06/2002"}]
        )
        assert batch.refused == ()
        found = {r.id: r.occurred for r in batch.events() if isinstance(r, Agreement)}
        assert _day(read) in found.values()


@pytest.mark.parametrize("importer", ["pax", "ucdp-peace-agreements"])
@pytest.mark.parametrize(
    ("order", "read"), [("day-first", "2002-06-05"), ("month-first", "2002-05-06")]
)
def test_a_given_date_order_reads_an_agreement_date_no_row_settles(
    importer: str, order: str, read: str
) -> None:
    """``05/06/2002`` alone is refused as ambiguous; with ``date_order`` it is read
    in the order given, and a date the order rules out (``05/13/2001`` day first,
    ``13/05/2001`` month first) is refused naming its field and the order."""
    rows = [{"id": "103", "date": "05/06/2002"}]
    assert [r.field for r in _both_orders(importer, rows).refused] == [
        "Dat" if importer == "pax" else "pa_date"
    ]
    ruled_out = "05/13/2001" if order == "day-first" else "13/05/2001"
    batch = _both_orders(importer, [*rows, {"id": "104", "date": ruled_out}], date_order=order)
    found = {
        r.id.rsplit(":", 1)[1]: r.occurred for r in batch.events() if isinstance(r, Agreement)
    }
    assert found == {"103": _day(read)}
    (refused,) = batch.refused
    assert f"date_order={order!r}" in refused.reason


@pytest.mark.parametrize(
    ("order", "until"), [("day-first", "2003-06-05"), ("month-first", "2003-05-06")]
)
def test_a_given_date_order_reads_an_agreements_duration_in_it(order: str, until: str) -> None:
    """``duration`` (the end of the terms) is one of the file's numeric dates: read in
    the order given, as ``pa_date`` is."""
    row = {
        **PA_ROW,
        "paid": "1",
        "pa_date": "2001-03-04",
        "ended": "True",
        "duration": "05/06/2003",
    }
    batch = get_importer("ucdp-peace-agreements").read(_csv(PA_COLUMNS, [row]), date_order=order)
    assert batch.refused == ()
    (terms,) = [r for r in batch.events() if isinstance(r, Commitment)]
    assert _end_of(batch, terms.id) == _day(until)


# ------------------------------------------------------- Excel serial day numbers

# Excel counts days from 1899-12-30 (its 1900 date system): 36526 is 2000-01-01,
# 33718 is 1992-04-24 and 37052 is 2001-06-10, as Excel itself shows them.
EXCEL_SERIALS = (("36526", "2000-01-01"), ("33718", "1992-04-24"), ("37052", "2001-06-10"))


@pytest.mark.parametrize(("serial", "day"), EXCEL_SERIALS)
@pytest.mark.parametrize("written", ["{}", "{}.0", "{}.5"])
def test_an_agreement_date_as_an_excel_serial_number_is_that_day_kept_as_coded(
    serial: str, day: str, written: str
) -> None:
    """A date cell whose date format Excel lost reads as its serial day number (five
    digits, as ``pa_date``, ``duration`` and ``Dat`` hold from 1927 to 2173; a
    fraction is a time of day): it is that day, and the number is kept in the notes."""
    cell = written.format(serial)
    said = cell.removesuffix(".0")  # a whole number written as a float is the number
    agreement, terms = _agreement_and_terms(pa_date=cell)
    assert agreement.occurred == terms.starts == _day(day)
    assert f"pa_date {said}: an Excel serial day number, read as {day}" in agreement.notes
    ended = _pa({"pa_date": "1990-01-01", "ended": "True", "duration": cell})
    _, terms, _ = ended.events()
    assert _end_of(ended, terms.id) == _day(day)
    assert f"duration {said}: an Excel serial day number, read as {day}" in terms.notes
    (agreement,) = [r for r in _pax(Dat=cell).events() if isinstance(r, Agreement)]
    assert agreement.occurred == _day(day)
    assert f"Dat {said}: an Excel serial day number, read as {day}" in agreement.notes


def test_an_excel_serial_end_reaches_the_files_coverage() -> None:
    # 2025-02-02 is Excel's 45690: the file reaches 2025, so an unknown end runs to it.
    batch = _pa(
        {"paid": "1", "ended": "True", "duration": ""},
        {"paid": "2", "ended": "True", "duration": "45690"},
    )
    assert batch.refused == ()
    terms = _by_id(batch)["ucdp-pa:1/terms"]
    assert isinstance(terms, Commitment)
    assert terms.until == _open_to(_day("2001-03-04"), 2025)


# Excel's 1904 date system (old Mac Excel's) counts from 1904-01-01, 1,462 days after
# the 1900 system's day 0: its 33718 is 1996-04-25 and its 35160 2000-04-06, where the
# 1900 system reads 1992-04-24 and 1996-04-05.
SYSTEMS = {
    False: {33718: "1992-04-24", 35160: "1996-04-05"},
    True: {33718: "1996-04-25", 35160: "2000-04-06"},
}


@pytest.mark.parametrize("date1904", [False, True])
@pytest.mark.parametrize("suffix", [".xlsx", ".xlsb", ".xls", ".ods"])
def test_a_workbooks_serial_day_numbers_are_read_on_its_own_date_system(
    tmp_path: Path, date1904: bool, suffix: str
) -> None:
    """A serial day number in a workbook's date cell (one whose date format was lost)
    counts days on the date system the workbook declares: from 1904-01-01 on the 1904
    system, from 1899-12-30 on the 1900 one; the notes keep the number and say which.
    A cell still formatted as a date is the day Excel shows on either system. The
    same file saved as CSV says nothing of its system: read on the 1900 one."""
    pytest.importorskip("python_calamine")
    days = SYSTEMS[date1904]
    on = " on Excel's 1904 date system" if date1904 else ""
    pa = {**PA_ROW, "ended": "True"}
    rows: list[list[str | float | DateCell]] = [
        list(PA_COLUMNS),
        [33718 if c == "pa_date" else 35160 if c == "duration" else pa[c] for c in PA_COLUMNS],
    ]
    book = tmp_path / f"pa{suffix}"
    write = WRITERS[suffix]
    write(book, rows, date1904=date1904)
    batch = get_importer("ucdp-peace-agreements").read(book)
    assert batch.refused == (), batch.refused
    agreement, terms, _ = batch.events()
    assert isinstance(agreement, Agreement)
    assert isinstance(terms, Commitment)
    assert agreement.occurred == terms.starts == _day(days[33718])
    assert _end_of(batch, terms.id) == _day(days[35160])
    assert f"pa_date 33718: an Excel serial day number{on}, read as {days[33718]}" in (
        agreement.notes
    )
    assert f"duration 35160: an Excel serial day number{on}, read as {days[35160]}" in (
        terms.notes
    )
    pax = [[*PAX_COLUMNS], [33718 if c == "Dat" else PAX_ROW[c] for c in PAX_COLUMNS]]
    write(book, pax, date1904=date1904)
    (agreement,) = [r for r in get_importer("pax").read(book).events() if isinstance(r, Agreement)]
    assert agreement.occurred == _day(days[33718])
    assert f"Dat 33718: an Excel serial day number{on}, read as {days[33718]}" in agreement.notes
    # Formatted as a date, the cell is the day itself, on either system.
    dated = [[*PAX_COLUMNS], [DateCell(33718) if c == "Dat" else PAX_ROW[c] for c in PAX_COLUMNS]]
    write(book, dated, date1904=date1904)
    (agreement,) = [r for r in get_importer("pax").read(book).events() if isinstance(r, Agreement)]
    assert agreement.occurred == _day(days[33718])
    assert "serial day number" not in agreement.notes
    # The CSV of the same rows: no system said, the 1900 one.
    (agreement,) = [
        r
        for r in get_importer("pax")
        .read(_csv(PAX_COLUMNS, [{**PAX_ROW, "Dat": "33718"}]))
        .events()
        if isinstance(r, Agreement)
    ]
    assert agreement.occurred == _day(SYSTEMS[False][33718])


@pytest.mark.parametrize("cell", ["1992", "123456", "3371"])
def test_a_number_of_other_than_five_digits_is_no_date(cell: str) -> None:
    (refused,) = _pa({"pa_date": cell}).refused
    assert refused.field == "pa_date"
    assert f"{cell!r} is not a date" in refused.reason


# --------------------------------------------- an ETH/PRIO release with purpose_<N>

# An earlier ETH/PRIO release codes purposes as codes in ``purpose_1`` (and further
# ``purpose_<N>``) rather than the 0/1 ``p_*`` columns, and has ``ceasefire_type``
# and ``geography``; its codebook: 1 humanitarian, 2 peace process, 3 holiday,
# 4 election, 5 other.
OLD_ETH_COLUMNS = (
    *(c for c in ETH_COLUMNS if not c.startswith("p_")),
    "purpose_1",
    "purpose_2",
    "ceasefire_type",
    "geography",
)


def _old_eth(*rows: dict[str, str]) -> Commitment:
    old = {k: v for k, v in ETH_ROW.items() if not k.startswith("p_")}
    more = {"purpose_2": "-1", "ceasefire_type": "2", "geography": "1"}
    full = [{**old, **more, "id": str(n), **row} for n, row in enumerate(rows, start=1)]
    batch = get_importer("eth-prio").read(_csv(OLD_ETH_COLUMNS, full))
    assert batch.refused == (), batch.refused
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    return commitment


@pytest.mark.parametrize(
    ("codes", "purposes"),
    [
        ({"purpose_1": "1"}, "humanitarian"),
        ({"purpose_1": "2", "purpose_2": "1"}, "humanitarian, peaceprocess"),
        ({"purpose_1": "3"}, "holiday"),
        ({"purpose_1": "4.0", "purpose_2": "5"}, "election, other"),
        ({"purpose_1": "Peace Process"}, "peaceprocess"),  # its Stata label
        ({"purpose_1": "-1"}, "none coded"),
        ({"purpose_1": "9"}, "none coded"),  # no purpose of the codebook: raw only
    ],
)
def test_purposes_coded_in_purpose_columns_are_the_ceasefires_purposes(
    codes: dict[str, str], purposes: str
) -> None:
    commitment = _old_eth(codes)
    assert f"purposes: {purposes}" in commitment.notes
    codes_line = set(commitment.notes.splitlines()[1].split("; "))
    for column, code in codes.items():  # kept as coded, a float as its number
        assert f"{column}={code.removesuffix('.0')}" in codes_line
    assert {"ceasefire_type=2", "geography=1"} <= codes_line
    humanitarian = purposes == "humanitarian"
    assert commitment.commitment_kind is (
        CommitmentKind.HUMANITARIAN_CEASEFIRE if humanitarian else CommitmentKind.CEASEFIRE
    )


def test_purposes_coded_in_purpose_columns_by_actor_are_listed_when_they_differ() -> None:
    commitment = _old_eth({"purpose_1": "1"}, {**REBELS, "purpose_1": "2"})
    assert "purposes: humanitarian, peaceprocess" in commitment.notes
    assert (
        "purposes by actor: Government of Synthetica: humanitarian; SLF: peaceprocess"
        in commitment.notes
    )
    assert commitment.commitment_kind is CommitmentKind.CEASEFIRE


# ------------------------------------------------ an ETH/PRIO ceasefire's PA-X text


def _eth_pax(*pax_ids: str) -> Commitment:
    rows = [
        {**ETH_ROW, "id": str(n), **(REBELS if n > 1 else {}), "pax_id": pax}
        for n, pax in enumerate(pax_ids, start=1)
    ]
    batch = get_importer("eth-prio").read(_csv((*ETH_COLUMNS, "pax_id"), rows))
    assert batch.refused == (), batch.refused
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    return commitment


@pytest.mark.parametrize(
    ("pax_ids", "linked"),
    [
        (("704",), "pax:704"),
        (("704", "704"), "pax:704"),
        (("704.0", "-1"), "pax:704"),  # -1: the dataset's none
        (("1149", "704"), "pax:1149, pax:704"),  # each row's, in the rows' order
    ],
)
def test_a_ceasefires_pax_id_names_its_pax_agreement(
    pax_ids: tuple[str, ...], linked: str
) -> None:
    """``pax_id`` is the PA-X agreement (``AgtId``) of the ceasefire's text: the
    PA-X importer's ``pax:<AgtId>``, named in the notes as the UCDP links of a PA-X
    agreement are."""
    commitment = _eth_pax(*pax_ids)
    assert f"PA-X agreements: {linked}" in commitment.notes.splitlines()


@pytest.mark.parametrize("pax_ids", [("-1",), ("0",), ("",), ("-1", "-99")])
def test_a_ceasefire_without_a_pax_id_names_no_pax_agreement(pax_ids: tuple[str, ...]) -> None:
    assert "PA-X agreements" not in _eth_pax(*pax_ids).notes


def test_each_ceasefire_importer_reads_the_encoding_it_is_given() -> None:
    """import-ceasefires.md: the importers read files as the ACLED and GED importers
    do, UTF-8 unless ``encoding=`` names another (a Windows-1252 file, as Excel saves
    a CSV): the text is read in it, not refused, not mangled."""
    lome = "Accord de Lomé \u2013 Testville"  # an é and an en dash: both bytes in cp1252
    cases = {
        "eth-prio": (
            ETH_COLUMNS,
            [{**ETH_ROW, "comment": lome}, {**ETH_ROW, **REBELS, "comment": lome}],
        ),
        "ucdp-peace-agreements": (PA_COLUMNS, [{**PA_ROW, "pa_name": lome}]),
        "pax": (PAX_COLUMNS, [{**PAX_ROW, "Agt": lome}]),
    }
    for name, (columns, rows) in cases.items():
        raw = _csv(columns, rows).getvalue().encode("cp1252")
        batch = get_importer(name).read(io.BytesIO(raw), encoding="cp1252")
        assert batch.refused == (), (name, batch.refused)
        texts = [getattr(r, "title", "") + getattr(r, "text", "") for r in batch.events()]
        assert any(lome in text for text in texts), (name, texts)
        with pytest.raises(ImportDataError, match="UTF-8"):
            get_importer(name).read(io.BytesIO(raw))


# ------------------------------------------------ letters lost before the file was read

LOST = "text with a lost letter (U+FFFD)"


def _lost_line(columns: str) -> str:
    return (
        f"{LOST} in {columns} (the file holds the replacement character where letters "
        "were lost before it was read), kept as published"
    )


def test_an_eth_actor_spelled_with_a_lost_letter_is_kept_and_the_ceasefire_flagged() -> None:
    """Rule (docs/howto/import-ceasefires.md): text holding U+FFFD, the character a
    file holds where letters were lost (ETH/PRIO's real file spells an actor
    ``Ex-S\ufffdl\ufffdka``), is kept as published; the record's notes name the
    columns, flagged once per record."""
    batch = _eth({}, {**REBELS, "actor_name": "Ex-S\ufffdl\ufffdka", "cf_pp": "a\ufffd"})
    (commitment,) = batch.events()
    assert isinstance(commitment, Commitment)
    names = {r.name for r in batch.records if r.kind == "ActorDefined"}
    assert "Ex-S\ufffdl\ufffdka" in names
    assert _lost_line("actor_name, cf_pp") in commitment.notes.splitlines()
    assert batch.flags[LOST] == 1
    assert LOST not in _eth({}).flags


def test_a_lost_letter_note_names_the_columns_alphabetically_whatever_the_files_order() -> None:
    """Rule (docs/howto/import.md, every row is checked; a re-saved file imports to
    the records of the file as published, import-ceasefires.md): the note names the
    columns holding U+FFFD in alphabetical order, not the file's, so the same rows
    with their columns reversed make the same records and re-import as unchanged."""
    rows = [{**ETH_ROW, "id": "1"}, {**ETH_ROW, **REBELS, "id": "2", "cf_pp": "a\ufffd"}]
    rows[1]["actor_name"] = "Ex-S\ufffdl\ufffdka"
    published = _csv(ETH_COLUMNS, rows).getvalue()
    reversed_ = _csv(tuple(reversed(ETH_COLUMNS)), rows).getvalue()
    for text in (published, reversed_):
        batch = get_importer("eth-prio").read(io.StringIO(text))
        (commitment,) = (e for e in batch.events() if isinstance(e, Commitment))
        # cf_pp comes before actor_name in the reversed file
        assert _lost_line("actor_name, cf_pp") in commitment.notes.splitlines()
    timeline = Timeline()
    timeline.import_("eth-prio", io.StringIO(published))
    again = timeline.import_("eth-prio", io.StringIO(reversed_))
    assert (again.corrections, again.events) == (0, 0)
    assert again.skipped + again.merged == 2


def test_a_peace_agreement_or_pax_row_with_a_lost_letter_is_kept_and_flagged() -> None:
    """The same rule for UCDP's peace agreements and PA-X: the agreement's notes."""
    pa = _pa({"pa_name": "Accord de S\ufffdl\ufffdka"})
    agreement = next(r for r in pa.events() if isinstance(r, Agreement))
    assert agreement.title == "Accord de S\ufffdl\ufffdka"
    assert _lost_line("pa_name") in agreement.notes.splitlines()
    assert pa.flags[LOST] == 1
    pax = _pax(Agt="Accord de S\ufffdl\ufffdka")
    pax_agreement = next(r for r in pax.events() if isinstance(r, Agreement))
    assert _lost_line("agt") in pax_agreement.notes.splitlines()
    assert pax.flags[LOST] == 1
    assert LOST not in _pa({}).flags


# ------------------------------------- rules a second mutation run found unpinned


def test_a_ceasefire_declared_in_a_future_year_with_an_unknown_end_is_kept_flagged() -> None:
    """import-ceasefires.md: a year after the current one is kept on its row as coded,
    flagged; so is PA-X's ``Dat``. Its unknown end then runs to the end of that year
    (the dataset covers nothing later), never before its start: the row is imported,
    not refused for reversed bounds."""
    eth = get_importer("eth-prio").read(
        _csv(
            ETH_COLUMNS,
            [
                {
                    **ETH_ROW,
                    "cf_dec_yr": "2030",
                    "cf_effect_yr": "2030",
                    "ended": "1",
                    "end_yr": "-1",
                }
            ],
        ),
        today="2026-06-01",
    )
    assert eth.refused == ()
    (ceasefire,) = [e for e in eth.events() if isinstance(e, Commitment)]
    assert ceasefire.occurred == _day("2030-03-04")
    assert ceasefire.until == _open_to(_day("2030-03-05"), 2030)
    assert "year after the current year" in eth.flags
    pax = get_importer("pax").read(
        _csv(PAX_COLUMNS, [{**PAX_ROW, "Dat": "2030-01-01"}]), today="2026-06-01"
    )
    assert pax.refused == ()
    assert "year after the current year" in pax.flags
    assert any(
        isinstance(e, Commitment) and e.occurred == _day("2030-01-01") for e in pax.events()
    )


@pytest.mark.parametrize("duration", ["2001-03", "2001"])
def test_a_duration_of_pa_dates_month_or_year_is_used_compared_as_dates(duration: str) -> None:
    """import-ceasefires.md: a ``duration`` before ``pa_date`` is an unknown end,
    compared as dates: a month or year holding ``pa_date`` (2001-03-04) is no earlier,
    so it is the end, unflagged."""
    batch = _pa({"ended": "True", "duration": duration})
    _, terms, _ = batch.events()
    assert isinstance(terms, Commitment)
    assert _end_of(batch, terms.id) == _day(duration)
    assert batch.flags == {}


def test_actor_names_are_split_on_commas_unless_both_cells_list_with_semicolons() -> None:
    """import-ceasefires.md: ``actor_name`` is split on its semicolons only when both
    ``actor_id`` and ``actor_name`` list with semicolons; else on its commas."""
    batch = _pa({"actor_id": "11; 22", "actor_name": "Government of Synthetica, SLF"})
    actors = {r.id: r.name for r in batch.records if isinstance(r, ActorDefined)}
    assert actors == {"actor:ucdp-11": "Government of Synthetica", "actor:ucdp-22": "SLF"}


def test_a_link_to_a_ceasefire_the_timeline_holds_is_not_flagged() -> None:
    """import-ceasefires.md: "link_id names no ceasefire of the file" flags a link to a
    ceasefire that neither the file nor the timeline holds."""
    timeline = Timeline()
    held = {**ETH_ROW, "cf_id": "3", "uniq_id": "70003"}
    timeline.import_("eth-prio", _csv(ETH_COLUMNS, [held]))
    summary = timeline.import_("eth-prio", _csv(ETH_COLUMNS, [{**ETH_ROW, "link_id1": "3"}]))
    assert summary.refused == ()
    assert "link_id names no ceasefire of the file" not in summary.flags
    # The same file alone names a ceasefire nobody holds.
    assert _eth({"link_id1": "3"}).flags == {"link_id names no ceasefire of the file": 1}


def test_rows_that_disagree_take_the_earliest_effect_whatever_was_declared_first() -> None:
    """import-ceasefires.md: rows of one ceasefire that disagree take the earliest
    effect, even when the row declared first says a later one."""
    first = {"cf_effect_day": "20"}  # declared 2001-03-04, in effect 2001-03-20
    later = {**REBELS, "cf_dec_day": "9", "cf_effect_day": "10"}
    assert _ceasefire(first, later).effective == _day("2001-03-10")


@pytest.mark.parametrize(
    ("name", "dyads", "side"),
    [
        ("Government of Sudan", "Government of Sudan - SRF", True),
        ("Government of Sudan", "SPLM/A - Government of Sudan, X - Y", True),
        ("Government of Sudan", "Government of South Sudan - SPLM/A - IO", False),
        ("Government of Sudan", "Government of Sudan (Khartoum) - SRF", False),
        ("Government of Sudan", "SRF - Government of Sudanese", False),
    ],
)
def test_a_government_is_a_side_only_as_a_whole_part_of_dyad_name(
    name: str, dyads: str, side: bool
) -> None:
    """import-ceasefires.md: a government is a side when it is a whole part of
    ``dyad_name``, between its `` - `` and ``,`` (or the ends), not a prefix of one."""
    assert _is_side(name, dyads) is side
