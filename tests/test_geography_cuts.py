"""Control known from when it held; timeline.controller / is_within with cuts;
Accusation.mutual."""

from __future__ import annotations

import datetime as _dt

import pendulum
import pytest

from conflict_timeline import (
    Accusation,
    ActorDefined,
    ControlChanged,
    Correction,
    InvalidRecordError,
    InvalidTimeError,
    MemoryStore,
    PlaceDefined,
    QueryError,
    Retraction,
    Source,
    TimeExtent,
    Timeline,
    affiliated,
    controller,
    current_records,
    is_within,
)

FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")
REUTERS_2020 = (Source(publisher="Reuters", published="2020-10-31"),)


def fixed_clock() -> _dt.datetime:
    return FIXED


def world() -> Timeline:
    tl = Timeline(MemoryStore(clock=fixed_clock))
    tl.append(
        ActorDefined(id="nk", name="NK authorities", actor_kind="de_facto_authority"),
        ActorDefined(id="az", name="Azerbaijan", actor_kind="state"),
        PlaceDefined(id="az-t", name="Azerbaijan", place_kind="country"),
        PlaceDefined(id="nk-r", name="Nagorno-Karabakh", place_kind="region", parent="az-t"),
        PlaceDefined(id="shushi", name="Shushi", place_kind="town", parent="nk-r"),
        ControlChanged(
            id="since-1994", occurred="1994", sources=REUTERS_2020, place="nk-r", controller="nk"
        ),
        ControlChanged(
            id="shushi-taken",
            occurred="2020-11-08",
            sources=(Source(publisher="Reuters", published="2020-11-09"),),
            reported="2020-11-09",
            place="shushi",
            controller="az",
        ),
    )
    return tl


def test_control_is_known_from_when_it_held() -> None:
    record = ControlChanged(
        id="c", occurred="1994", sources=REUTERS_2020, place="nk-r", controller="nk"
    )
    assert record.reported == TimeExtent.parse("1994")
    tl = world()
    assert tl.controller("shushi", at="2000", known_at="2000") == "nk"
    # An explicit ``reported`` still says when it became known.
    assert tl.controller("shushi", at="2020-11-08", known_at="2020-11-08") == "nk"
    assert tl.controller("shushi", at="2020-11-08", known_at="2020-11-09") == "az"
    assert tl.controller("shushi", at="2020-11-07") == "nk"


def test_a_corrected_control_is_known_from_its_new_time() -> None:
    """semantics.md, "Control is known from when it held": ``reported`` defaults to
    ``occurred``, so a correction that moves control from 1994 to 1996 (and gives no
    ``reported``) makes it known from 1996, not from 1994 nor the 2020 source."""
    record = ControlChanged(
        id="c", occurred="1994", sources=REUTERS_2020, place="nk-r", controller="nk"
    )
    fix = record.corrected(id="fix", known="2021-01-01", occurred="1996")
    assert fix.replacement.reported == TimeExtent.parse("1996")
    # A correction that gives ``reported`` keeps it.
    told = record.corrected(id="told", known="2021-01-01", occurred="1996", reported="1997")
    assert told.replacement.reported == TimeExtent.parse("1997")


def test_timeline_controller_counts_corrections_and_retractions() -> None:
    tl = world()
    tl.append(
        Retraction(id="r", occurred="2020-11-10", reported="2020-11-10", retracts="shushi-taken")
    )
    assert tl.controller("shushi", at="2020-11-12", known_at="2020-11-09") == "az"
    assert tl.controller("shushi", at="2020-11-12") == "nk"
    # The raw function over the records ignores the retraction: that is the trap.
    records = [r.record for r in tl.read()]
    assert controller("shushi", "2020-11-12", records) == "az"


def test_the_functions_take_current_records_and_refuse_what_holds_no_records() -> None:
    """docs/explanation/semantics.md: use ``controller()`` and ``is_within()`` on
    ``current_records(...)`` (stored records, corrections and retractions applied), or
    ask the timeline. So a ``Recorded`` counts as its record; a timeline itself, or
    items that are no records, are refused naming the function, where they were read
    as holding no place at all (False, None) without a word."""
    tl = world()
    tl.append(
        Retraction(id="r", occurred="2020-11-10", reported="2020-11-10", retracts="shushi-taken")
    )
    current = current_records(tl)
    assert controller("shushi", "2020-11-12", current) == "nk"  # the retraction applied
    assert is_within("shushi", "az-t", current) is True
    assert affiliated("nk", "nk", current) is True
    with pytest.raises(
        QueryError,
        match=r"^is_within: records is a timeline, not a collection of records: ask the "
        r"timeline \(timeline.is_within\(place, ancestor\), ",
    ):
        is_within("shushi", "az-t", tl)  # type: ignore[arg-type]
    with pytest.raises(QueryError, match=r"^controller: records is a timeline"):
        controller("shushi", "2020-11-12", tl)  # type: ignore[arg-type]
    with pytest.raises(QueryError, match=r"^affiliated: records\[1\] is not a record: 'nk' "):
        affiliated("nk", "az", [current[0].record, "nk"])  # type: ignore[list-item]
    with pytest.raises(QueryError, match=r"^is_within: records must be a collection"):
        is_within(current, "shushi", "az-t")  # type: ignore[arg-type]
    with pytest.raises(InvalidTimeError, match=r"^controller: at: cut .* is naive"):
        controller("shushi", _dt.datetime(2020, 11, 12), current)


def test_timeline_is_within_follows_a_corrected_parent() -> None:
    tl = world()
    assert tl.is_within("shushi", "az-t")
    moved = Correction(
        id="fix",
        occurred="2021",
        reported="2021",
        corrects="shushi",
        replacement=PlaceDefined(id="shushi", name="Shushi", place_kind="town"),
    )
    tl.append(moved)
    assert not tl.is_within("shushi", "az-t")
    assert tl.is_within("shushi", "az-t", known_at="2020-12-31")


def test_mutual_accusations() -> None:
    window = TimeExtent.after("2020-10-18T00:00", hours=12, tz="Asia/Yerevan")
    first, second = Accusation.mutual(
        ids=("am-accuses", "az-accuses"),
        sides=("am", "az"),
        occurred=window,
        breach_of="truce",
        sources=REUTERS_2020,
    )
    assert (first.accuser, first.accused, first.claimed_by) == ("am", ("az",), "am")
    assert (second.accuser, second.accused, second.claimed_by) == ("az", ("am",), "az")
    assert first.occurred == second.occurred == window
    assert first.breach_of == second.breach_of == "truce"
    with pytest.raises(InvalidRecordError, match="sides must be two different"):
        Accusation.mutual(ids=("a", "b"), sides=("am", "am"), occurred="2020", breach_of="t")
    with pytest.raises(InvalidRecordError, match="names incidents, a breach"):
        Accusation.mutual(ids=("a", "b"), sides=("am", "az"), occurred="2020")


def test_timeline_controller_takes_the_certainty_and_zone_of_the_question() -> None:
    # semantics.md, "Geography under the cuts": the timeline methods answer from the
    # Gazetteer under the cuts given. Shushi was taken on 8 November (a UTC day); a
    # change dated to November 2020 has possibly, not certainly, happened by the 15th.
    tl = world()
    tl.append(
        PlaceDefined(id="lachin", name="Lachin", place_kind="town", parent="az-t"),
        ControlChanged(id="lachin-1994", occurred="1994", place="lachin", controller="nk"),
        ControlChanged(id="lachin-month", occurred="2020-11", place="lachin", controller="az"),
    )
    assert tl.controller("lachin", at="2020-11-15") == "az"
    assert tl.controller("lachin", at="2020-11-15", certainty="certain") == "nk"
    # The 7th ends at 00:00Z on the 8th in UTC, but at 05:00Z in New York (UTC-5).
    assert tl.controller("shushi", at="2020-11-07") == "nk"
    assert tl.controller("shushi", at="2020-11-07", tz="America/New_York") == "az"


def test_timeline_controller_takes_the_record_time_cut() -> None:
    # semantics.md, "Geography under the cuts": ``as_of=N`` is the store as it was
    # after N records. world() stores "shushi-taken" seventh (positions 1-7), so as of
    # 6 Shushi is still held by NK (inherited from the region), as of 7 by Azerbaijan.
    tl = world()
    assert tl.controller("shushi", as_of=7) == "az"
    assert tl.controller("shushi", as_of=6) == "nk"
    assert tl.controller("shushi", as_of=5) is None


def test_timeline_is_within_takes_the_valid_time_cut() -> None:
    # A district defined in 2022 lies in Azerbaijan from then on, not before.
    tl = world()
    tl.append(
        PlaceDefined(
            id="district", name="District", place_kind="region", parent="az-t", occurred="2022"
        )
    )
    assert tl.is_within("district", "az-t")
    assert tl.is_within("district", "az-t", at="2022-01-01")
    assert not tl.is_within("district", "az-t", at="2021-12-31")
