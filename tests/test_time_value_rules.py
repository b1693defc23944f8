"""Rules of time extents stated in docs/explanation/time-precision.md and in
`TimeExtent`'s docstrings, pinned against answers written from the rule (found
unpinned by a mutation audit of ``_time.py`` on 7 December 2026).

- Any aware datetime names an instant: a stdlib one, a pendulum one, and a pendulum
  one carrying a stdlib zone.
- The years 1 to 9999 are held, both ends included, to the microsecond.
- A local time the clocks skipped is refused, always, however short the gap (half an
  hour on Lord Howe Island), never moved.
- A local time the clocks showed twice covers both readings, in its bounds and in
  its text; a whole day whose midnight was shown twice starts at the first.
- Two extents are equal only when their bounds, precision and zone are: the zone is
  part of the value (it is how the extent is read and shown).
"""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from conflict_timeline import Attack, InvalidTimeError, TimeExtent

NOON_UTC_US = 1_604_145_600_000_000  # 2020-10-31T12:00:00Z in epoch microseconds


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(2020, 10, 31, 12, tzinfo=dt.UTC),
        pendulum.datetime(2020, 10, 31, 12),
        pendulum.DateTime(2020, 10, 31, 12, tzinfo=dt.UTC),  # pendulum, a stdlib zone
        pendulum.DateTime(2020, 10, 31, 16, tzinfo=dt.timezone(dt.timedelta(hours=4))),
    ],
    ids=["stdlib", "pendulum", "pendulum with stdlib utc", "pendulum with a stdlib offset"],
)
def test_any_aware_datetime_names_its_instant(when: dt.datetime) -> None:
    extent = TimeExtent.instant(when)
    assert (extent.lo, extent.last) == (NOON_UTC_US, NOON_UTC_US)


def test_the_years_1_to_9999_are_held_to_the_last_microsecond() -> None:
    last = TimeExtent.parse("9999-12-31T23:59:59.999999")
    assert last.earliest == pendulum.datetime(9999, 12, 31, 23, 59, 59, 999_999)
    assert TimeExtent.parse("9999-12-31T23:59:59.999998").lo == last.lo - 1
    first = TimeExtent.parse("0001-01-01T00:00:00")
    assert first.earliest == pendulum.datetime(1, 1, 1)


@pytest.mark.parametrize(
    ("text", "tz"),
    [
        ("2020-10-04T02", "Australia/Lord_Howe"),  # 02:00 -> 02:30: half the hour skipped
        ("2020-10-04T02:15", "Australia/Lord_Howe"),  # a minute inside the gap
        ("2020-03-08T02", "America/New_York"),  # the whole hour skipped
        ("2020-03-08T02:30", "America/New_York"),
    ],
)
def test_a_local_time_the_clocks_skipped_is_refused_however_short_the_gap(
    text: str, tz: str
) -> None:
    with pytest.raises(InvalidTimeError, match="does not exist"):
        TimeExtent.parse(text, tz=tz)


def test_a_local_time_shown_twice_covers_both_readings_in_its_bounds_and_its_text() -> None:
    twice = TimeExtent.parse("2020-11-01T01:30:00", tz="America/New_York")
    first = pendulum.datetime(2020, 11, 1, 5, 30)  # 01:30 EDT (-04:00)
    second = pendulum.datetime(2020, 11, 1, 6, 30)  # 01:30 EST (-05:00), an hour later
    assert twice.earliest == first
    assert twice.last >= TimeExtent.instant(second).lo
    text = str(twice)
    assert "-04:00" in text
    assert "-05:00" in text


def test_a_day_whose_midnight_was_shown_twice_starts_at_the_first_reading() -> None:
    # Havana turned its clocks back from 01:00 to 00:00 on 1 November 2020: the day's
    # midnight was shown twice, first at 04:00 UTC (-04:00), then at 05:00 UTC.
    day = dt.date(2020, 11, 1)
    from_dates = TimeExtent.from_dates(day, day, "day", tz="America/Havana")
    parsed = TimeExtent.parse("2020-11-01", tz="America/Havana")
    assert from_dates.earliest == pendulum.datetime(2020, 11, 1, 4)
    assert from_dates == parsed


def test_an_empty_extent_is_shown_as_its_two_equal_bounds_not_as_a_day() -> None:
    midnight = pendulum.datetime(2020, 10, 31)
    empty = TimeExtent.between(midnight, midnight, "day")
    text = str(empty)
    assert text.startswith("2020-10-31T00:00:00+00:00..2020-10-31T00:00:00+00:00")
    assert "2020-10-30" not in text


def test_the_zone_is_part_of_an_extents_value() -> None:
    utc = TimeExtent.parse("2020-10-28T06:00:00Z")
    yerevan = TimeExtent.parse("2020-10-28T06:00:00Z", tz="Asia/Yerevan")
    assert (utc.lo, utc.last, utc.precision) == (yerevan.lo, yerevan.last, yerevan.precision)
    assert utc != yerevan
    assert len({utc, yerevan}) == 2
    assert utc == TimeExtent.parse("2020-10-28T06:00:00Z")
    # So a record given again with the other zone is another version, not the same one.
    assert Attack(id="raid", occurred=utc) == Attack(id="raid", occurred=utc)
    assert Attack(id="raid", occurred=utc) != Attack(id="raid", occurred=yerevan)
