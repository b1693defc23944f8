"""TimeExtent: parsing with honest precision, the cuts, ordering and display."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pendulum
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conflict_timeline import (
    ActiveCommitments,
    InvalidTimeError,
    Precision,
    QueryError,
    TimeExtent,
    Timeline,
)
from conflict_timeline._time import cut_instant, epoch_us, from_epoch_us, to_utc
from conflict_timeline.strategies import DEFAULT_TIMEZONES, time_extents

UTC = dt.UTC


def utc(year: int, month: int, day: int, *hms: int) -> dt.datetime:
    hour, minute, second = (*hms, 0, 0, 0)[:3]
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def hours(extent: TimeExtent) -> float:
    return (extent.latest - extent.earliest).total_seconds() / 3600


# ------------------------------------------------------------------------- parse


def test_a_day_in_yerevan_is_the_whole_local_day() -> None:
    day = TimeExtent.parse("2020-10-31", tz="Asia/Yerevan")
    assert day.earliest == utc(2020, 10, 30, 20)
    assert day.latest == utc(2020, 10, 31, 20)
    assert day.precision is Precision.DAY
    assert day.tz == "Asia/Yerevan"


@pytest.mark.parametrize(
    ("text", "tz", "earliest", "latest", "precision"),
    [
        ("2020", "UTC", utc(2020, 1, 1), utc(2021, 1, 1), Precision.YEAR),
        ("2020", "Asia/Yerevan", utc(2019, 12, 31, 20), utc(2020, 12, 31, 20), Precision.YEAR),
        ("2020-10", "UTC", utc(2020, 10, 1), utc(2020, 11, 1), Precision.MONTH),
        ("2020-02", "Europe/Berlin", utc(2020, 1, 31, 23), utc(2020, 2, 29, 23), Precision.MONTH),
        ("2020-W44", "UTC", utc(2020, 10, 26), utc(2020, 11, 2), Precision.WEEK),
        ("2020-W53", "UTC", utc(2020, 12, 28), utc(2021, 1, 4), Precision.WEEK),
        ("2020-10-31", "UTC", utc(2020, 10, 31), utc(2020, 11, 1), Precision.DAY),
        (
            "2020-10-31T14",
            "Asia/Baku",
            utc(2020, 10, 31, 10),
            utc(2020, 10, 31, 11),
            Precision.HOUR,
        ),
        (
            "2020-10-31 14:05",
            "America/New_York",
            utc(2020, 10, 31, 18, 5),
            utc(2020, 10, 31, 18, 6),
            Precision.MINUTE,
        ),
        ("  2020-10-31  ", "UTC", utc(2020, 10, 31), utc(2020, 11, 1), Precision.DAY),
    ],
)
def test_parse_keeps_the_stated_precision(
    text: str, tz: str, earliest: dt.datetime, latest: dt.datetime, precision: Precision
) -> None:
    extent = TimeExtent.parse(text, tz=tz)
    assert (extent.earliest, extent.latest, extent.precision) == (earliest, latest, precision)


def test_a_full_timestamp_is_an_instant() -> None:
    extent = TimeExtent.parse("2020-10-31T14:05:09+04:00", tz="Asia/Yerevan")
    assert extent.precision is Precision.INSTANT
    assert extent.earliest == extent.latest == utc(2020, 10, 31, 10, 5, 9)
    assert extent.lo == extent.last


def test_a_timestamp_without_offset_is_read_in_the_zone() -> None:
    extent = TimeExtent.parse("2020-10-31T14:05:09", tz="Asia/Yerevan")
    assert extent.earliest == utc(2020, 10, 31, 10, 5, 9)
    assert extent.precision is Precision.INSTANT


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2020-10-31T14+04:00", Precision.HOUR, (10, 0), (11, 0)),
        ("2020-10-31T14+04", Precision.HOUR, (10, 0), (11, 0)),
        ("2020-10-31T14Z", Precision.HOUR, (14, 0), (15, 0)),
        ("2020-10-31T14:05-05:30", Precision.MINUTE, (19, 35), (19, 36)),
        ("2020-10-31 14:05+0545", Precision.MINUTE, (8, 20), (8, 21)),
    ],
)
def test_an_hour_or_minute_with_its_offset_keeps_its_precision(
    text: str, precision: Precision, earliest: tuple[int, int], latest: tuple[int, int]
) -> None:
    """An offset names the zone the hour or minute is read in, not a finer time: the
    extent is that whole hour or minute, whatever zone it is shown in."""
    for tz in ("UTC", "Asia/Yerevan"):
        extent = TimeExtent.parse(text, tz=tz)
        assert extent.precision is precision
        assert extent.earliest == utc(2020, 10, 31, *earliest)
        assert extent.latest == utc(2020, 10, 31, *latest)
        assert extent.tz == tz


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2020W44", Precision.WEEK, (2020, 10, 26, 0, 0), (2020, 11, 2, 0, 0)),
        ("20201031", Precision.DAY, (2020, 10, 31, 0, 0), (2020, 11, 1, 0, 0)),
        ("20201031T14", Precision.HOUR, (2020, 10, 31, 14, 0), (2020, 10, 31, 15, 0)),
        ("20201031T14Z", Precision.HOUR, (2020, 10, 31, 14, 0), (2020, 10, 31, 15, 0)),
        ("20201031T1405", Precision.MINUTE, (2020, 10, 31, 14, 5), (2020, 10, 31, 14, 6)),
        ("20201031T1405Z", Precision.MINUTE, (2020, 10, 31, 14, 5), (2020, 10, 31, 14, 6)),
        ("20201031T1405+0400", Precision.MINUTE, (2020, 10, 31, 10, 5), (2020, 10, 31, 10, 6)),
        ("20201031T14:05", Precision.MINUTE, (2020, 10, 31, 14, 5), (2020, 10, 31, 14, 6)),
        ("20201031 14", Precision.HOUR, (2020, 10, 31, 14, 0), (2020, 10, 31, 15, 0)),
        ("20201031 1405", Precision.MINUTE, (2020, 10, 31, 14, 5), (2020, 10, 31, 14, 6)),
    ],
)
def test_iso_basic_format_keeps_the_precision_it_states(
    text: str,
    precision: Precision,
    earliest: tuple[int, int, int, int, int],
    latest: tuple[int, int, int, int, int],
) -> None:
    """time-precision.md: ISO 8601's basic format (no separators) states the same
    units as the extended one: ``20201031`` is the day and ``20201031T1405Z`` the
    minute from 14:05 UTC, not the instant 14:05:00 (only a time with seconds is an
    instant: ``20201031T140509Z``)."""
    extent = TimeExtent.parse(text)
    assert extent.precision is precision
    assert extent.earliest == utc(*earliest)
    assert extent.latest == utc(*latest)
    instant = TimeExtent.parse("20201031T140509Z")
    assert instant.precision is Precision.INSTANT
    assert instant.earliest == instant.latest == utc(2020, 10, 31, 14, 5, 9)


@pytest.mark.parametrize(
    "text", ["2020-1031", "2020-1031T14", "202010-31T14:05", "2020-1031T1405", "2020-10-31T1405Z"]
)
def test_a_date_half_basic_half_extended_is_refused(text: str) -> None:
    """time-precision.md: a date is written wholly in the basic format or wholly in
    the extended one; a mix is no date."""
    with pytest.raises(InvalidTimeError, match=re.escape(f"cannot parse time {text!r}")):
        TimeExtent.parse(text)


def test_an_offset_is_read_up_to_23_hours_and_59_minutes() -> None:
    """An offset's hours run to 23 and its minutes to 59: both ends are offsets."""
    assert TimeExtent.parse("2020-10-31T14+23:00").earliest == utc(2020, 10, 30, 15)
    assert TimeExtent.parse("2020-10-31T14:05-04:59").earliest == utc(2020, 10, 31, 19, 4)


def test_an_offset_with_microseconds_is_taken_off_whole() -> None:
    """A stdlib offset may hold microseconds; the instant takes all of it off."""
    offset = dt.timezone(dt.timedelta(hours=1, microseconds=250))
    instant = TimeExtent.instant(dt.datetime(2020, 10, 31, 12, tzinfo=offset))
    assert instant.earliest == dt.datetime(2020, 10, 31, 10, 59, 59, 999750, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("2020-10-31T25+04:00", r"'2020-10-31T25\+04:00': hour must be in 0\.\.23"),
        ("2020-10-31T14+24:00", r"\+24:00 is not a UTC offset"),
        ("2020-10-31T14:05+04:60", r"\+04:60 is not a UTC offset"),
    ],
)
def test_an_hour_with_an_impossible_time_or_offset_is_refused(text: str, match: str) -> None:
    with pytest.raises(InvalidTimeError, match=match):
        TimeExtent.parse(text)


@pytest.mark.parametrize(
    ("day", "length"),
    [("2021-03-28", 23), ("2021-10-31", 25), ("2021-06-01", 24)],
)
def test_dst_days_in_berlin(day: str, length: int) -> None:
    assert hours(TimeExtent.parse(day, tz="Europe/Berlin")) == length


@pytest.mark.parametrize(
    ("text", "tz", "match"),
    [
        ("yesterday", "UTC", r"cannot parse time 'yesterday': expected YYYY"),
        ("2020-13", "UTC", r"cannot parse time '2020-13': month must be in 1\.\.12"),
        ("2021-W53", "UTC", r"cannot parse time '2021-W53'"),
        ("2020-02-30", "UTC", r"cannot parse time '2020-02-30'"),
        ("31/10/2020", "UTC", r"cannot parse time '31/10/2020'"),
        ("", "UTC", r"cannot parse time ''"),
        ("2020-10-31", "Mars/Olympus_Mons", r"unknown timezone 'Mars/Olympus_Mons'"),
        ("2020-10-31", "+04:00", r"unknown timezone '\+04:00'"),
    ],
)
def test_unparsable_text_and_unknown_zones_are_refused(text: str, tz: str, match: str) -> None:
    with pytest.raises(InvalidTimeError, match=match):
        TimeExtent.parse(text, tz=tz)


def test_parse_refuses_non_strings() -> None:
    with pytest.raises(InvalidTimeError, match=r"expects a string, got int 20201031"):
        TimeExtent.parse(20201031)  # type: ignore[arg-type]


def test_a_timestamp_keeps_its_microseconds_and_the_zone_it_is_read_in() -> None:
    """A timestamp is the instant it writes, to the microsecond, and like every parsed
    extent it is shown in the ``tz`` given, with or without an offset of its own."""
    extent = TimeExtent.parse("2020-10-31T14:05:09.123456", tz="Asia/Yerevan")
    assert extent.earliest == dt.datetime(2020, 10, 31, 10, 5, 9, 123456, tzinfo=UTC)
    assert extent.lo == extent.last
    assert extent.tz == "Asia/Yerevan"
    with_offset = TimeExtent.parse("2020-10-31T14:05:09+04:00", tz="Europe/Berlin")
    assert with_offset.earliest == utc(2020, 10, 31, 10, 5, 9)
    assert with_offset.tz == "Europe/Berlin"


@pytest.mark.parametrize(
    ("text", "tz", "match"),
    [
        ("14:05", "UTC", r"^cannot parse time '14:05': it is not a date or timestamp$"),
        ("P1D", "UTC", r"^cannot parse time 'P1D': it is not a date or timestamp$"),
        (
            "2020103",
            "UTC",
            (
                r"^cannot parse time '2020103': write a date as YYYY, YYYY-MM, YYYY-Www or "
                r"YYYY-MM-DD$"
            ),
        ),
        (
            "2020-305",
            "UTC",
            (
                r"^cannot parse time '2020-305': write a date as YYYY, YYYY-MM, YYYY-Www or "
                r"YYYY-MM-DD$"
            ),
        ),
        (
            "now",
            "UTC",
            (
                r"^cannot parse time 'now': 'now' changes every time it is read; "
                r"give the date or timestamp it stands for$"
            ),
        ),
        (
            "2020-10-31T14+24:00",
            "UTC",
            r"^cannot parse time '2020-10-31T14\+24:00': \+24:00 is not a UTC offset$",
        ),
        (
            "2021-03-28T02",
            "Europe/Berlin",
            (
                r"^cannot parse time '2021-03-28T02': that local time does not exist in "
                r"Europe/Berlin \(the clocks skipped it"
            ),
        ),
        (
            "2021-03-28T02:30:00",
            "Europe/Berlin",
            (
                r"^cannot parse time '2021-03-28T02:30:00': that local time does not exist in "
                r"Europe/Berlin \(the clocks skipped it"
            ),
        ),
        (
            "0001-01-01",
            "Asia/Yerevan",
            (
                r"^cannot parse time '0001-01-01': in Asia/Yerevan it reaches outside the "
                r"years 1-9999"
            ),
        ),
        (
            "0001-01-01T01:00:00",
            "Asia/Yerevan",
            (
                r"^cannot parse time '0001-01-01T01:00:00': in Asia/Yerevan it reaches outside "
                r"the years 1-9999"
            ),
        ),
    ],
)
def test_a_refused_text_is_quoted_with_the_reason(text: str, tz: str, match: str) -> None:
    """``parse`` refuses text that is no date or timestamp (a time of day alone, a
    duration), a local time the clocks skipped and one outside the years 1-9999 in
    UTC, quoting the text and saying which (its docstring: "quoting the text")."""
    with pytest.raises(InvalidTimeError, match=match):
        TimeExtent.parse(text, tz=tz)


# ------------------------------------------------------------- explicit bounds


def test_between_keeps_explicit_bounds() -> None:
    extent = TimeExtent.between(utc(2020, 10, 1), utc(2020, 10, 4), "day")
    assert extent.precision is Precision.DAY
    assert extent.earliest == utc(2020, 10, 1)
    assert extent.latest == utc(2020, 10, 4)
    assert str(extent) == "2020-10-01..2020-10-03 (day, UTC)"


def test_bounds_are_stored_in_utc() -> None:
    berlin = pendulum.datetime(2020, 10, 31, 12, tz="Europe/Berlin")
    extent = TimeExtent.between(berlin, berlin.add(hours=1), Precision.HOUR, tz="Europe/Berlin")
    assert extent.earliest.utcoffset() == dt.timedelta(0)
    assert extent.earliest == utc(2020, 10, 31, 11)


def test_instant_takes_its_zone_from_the_datetime() -> None:
    when = pendulum.datetime(2020, 10, 31, 14, 5, tz="Asia/Yerevan")
    extent = TimeExtent.instant(when)
    assert extent.tz == "Asia/Yerevan"
    assert str(extent) == "2020-10-31T14:05:00+04:00 (Asia/Yerevan)"


def test_an_instant_at_a_fixed_offset_is_shown_in_utc() -> None:
    # "+04:00" names no IANA zone; showing the instant in UTC is exact.
    extent = TimeExtent.instant(pendulum.parse("2020-10-31T14:05:09+04:00"))  # type: ignore[arg-type]
    assert extent.tz == "UTC"
    assert str(extent) == "2020-10-31T10:05:09+00:00 (UTC)"
    stdlib = TimeExtent.instant(dt.datetime(2020, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=4))))
    assert str(stdlib) == "2019-12-31T20:00:00+00:00 (UTC)"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(InvalidTimeError, match=r"instant '2020-10-31T00:00:00' is naive"):
        TimeExtent.instant(dt.datetime(2020, 10, 31))
    with pytest.raises(InvalidTimeError, match=r"TimeExtent bound '2020-10-31T00:00:00' is naive"):
        TimeExtent.between(dt.datetime(2020, 10, 31), utc(2020, 11, 1), "day")


class NoOffset(dt.tzinfo):
    """A tzinfo that knows no offset: by Python's rule a datetime with it is naive."""

    def utcoffset(self, when: dt.datetime | None) -> None:
        return None

    def dst(self, when: dt.datetime | None) -> None:
        return None

    def tzname(self, when: dt.datetime | None) -> None:
        return None


def test_to_utc_gives_a_utc_pendulum_datetime_of_an_aware_datetime_and_nothing_else() -> None:
    """``to_utc`` takes any aware datetime to a pendulum ``DateTime`` in UTC, a stdlib
    one that carries pendulum's UTC too; a datetime whose tzinfo gives no offset is
    naive (Python's definition) and refused, as is anything that is no datetime."""
    got = to_utc(dt.datetime(2020, 10, 31, 14, 5, tzinfo=pendulum.UTC))
    assert type(got) is pendulum.DateTime
    assert got.tzinfo is pendulum.UTC
    assert (got.year, got.month, got.day, got.hour, got.minute) == (2020, 10, 31, 14, 5)
    with pytest.raises(
        InvalidTimeError,
        match=r"^datetime '2020-10-31T00:00:00' is naive: it names no instant\. Give a "
        r"timezone \(e\.g\. tzinfo=pendulum\.UTC\) or use TimeExtent\.parse\(\.\.\., "
        r"tz=\.\.\.\)\.$",
    ):
        to_utc(dt.datetime(2020, 10, 31, tzinfo=NoOffset()))
    with pytest.raises(
        InvalidTimeError,
        match=r"^datetime must be an aware datetime, got date datetime\.date\(2020, 10, 31\)$",
    ):
        to_utc(dt.date(2020, 10, 31))  # type: ignore[arg-type]


def test_an_instant_in_a_stdlib_zone_is_shown_in_that_zone() -> None:
    """A ``zoneinfo.ZoneInfo`` names its zone by ``key`` (pendulum's by ``name``): the
    instant is shown in it, as one in a pendulum zone is."""
    when = dt.datetime(2020, 10, 31, 14, 5, tzinfo=zoneinfo.ZoneInfo("Asia/Yerevan"))
    extent = TimeExtent.instant(when)
    assert extent.tz == "Asia/Yerevan"
    assert extent.earliest == utc(2020, 10, 31, 10, 5)
    assert str(extent) == "2020-10-31T14:05:00+04:00 (Asia/Yerevan)"


def test_reversed_bounds_are_refused() -> None:
    with pytest.raises(
        InvalidTimeError,
        match=r"earliest 2020-11-01T00:00:00\+00:00 is after latest "
        r"2020-10-31T00:00:00\+00:00: the bounds are reversed",
    ):
        TimeExtent.between(utc(2020, 11, 1), utc(2020, 10, 31), "day")


def test_string_bounds_unknown_precision_and_unknown_zone_are_refused() -> None:
    with pytest.raises(InvalidTimeError, match=r"bound '2020-10-31' is a string: use TimeExtent"):
        TimeExtent.between("2020-10-31", utc(2020, 11, 1), "day")  # type: ignore[arg-type]
    with pytest.raises(InvalidTimeError, match=r"unknown precision 'fortnight': expected one of"):
        TimeExtent.between(utc(2020, 10, 31), utc(2020, 11, 1), "fortnight")
    with pytest.raises(
        InvalidTimeError, match=r"tz must be an IANA timezone name, got 'Mars/Base'"
    ):
        TimeExtent.between(utc(2020, 10, 31), utc(2020, 11, 1), "day", tz="Mars/Base")
    with pytest.raises(InvalidTimeError, match=r"must be an aware datetime, got 3"):
        TimeExtent(3, utc(2020, 11, 1), "day")


def test_from_dates_covers_whole_local_days() -> None:
    extent = TimeExtent.from_dates(dt.date(2020, 10, 27), dt.date(2020, 10, 31), "day", tz="UTC")
    assert extent.earliest == utc(2020, 10, 27)
    assert extent.latest == utc(2020, 11, 1)
    with pytest.raises(InvalidTimeError, match=r"2020-10-31\.\.2020-10-27 ends before it starts"):
        TimeExtent.from_dates(dt.date(2020, 10, 31), dt.date(2020, 10, 27), "day")


def test_from_dates_reads_a_precision_given_by_name_in_any_zone() -> None:
    """``precision`` may be a `Precision` or its name, in UTC and in any other zone; the
    extent keeps the zone it was given."""
    day = dt.date(2020, 10, 31)
    week = TimeExtent.from_dates(dt.date(2020, 10, 26), dt.date(2020, 11, 1), "week")
    assert week.precision is Precision.WEEK
    assert (week.earliest, week.latest) == (utc(2020, 10, 26), utc(2020, 11, 2))
    yerevan = TimeExtent.from_dates(day, day, "day", tz="Asia/Yerevan")
    assert yerevan.precision is Precision.DAY
    assert yerevan.tz == "Asia/Yerevan"
    assert (yerevan.earliest, yerevan.latest) == (utc(2020, 10, 30, 20), utc(2020, 10, 31, 20))


def test_from_dates_refuses_days_the_clocks_skipped_or_past_the_calendar() -> None:
    """Samoa skipped 30 December 2011; 9999-12-31 has no day after it to end at."""
    skipped = dt.date(2011, 12, 30)
    with pytest.raises(
        InvalidTimeError,
        match=r"^date range 2011-12-30\.\.2011-12-30 does not exist in Pacific/Apia "
        r"\(the clocks skipped those days\)$",
    ):
        TimeExtent.from_dates(skipped, skipped, Precision.DAY, tz="Pacific/Apia")
    last = dt.date(9999, 12, 31)
    with pytest.raises(
        InvalidTimeError,
        match=r"^date range 9999-12-31\.\.9999-12-31 in UTC reaches outside the years "
        r"1-9999 \(in UTC or in local time\), the years this library holds$",
    ):
        TimeExtent.from_dates(last, last, Precision.DAY)


@given(
    start=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    days=st.integers(min_value=0, max_value=800),
)
@example(start=dt.date(9999, 12, 30), days=5)
@example(start=dt.date(1969, 12, 31), days=1)
def test_from_dates_in_utc_runs_from_the_first_days_midnight_to_the_next_after_the_last(
    start: dt.date, days: int
) -> None:
    """In UTC, whose clocks never change, the extent of dates runs from midnight of the
    first to midnight after the last (the oracle: UTC datetimes of those midnights);
    the calendar's last day, with no day after it, is refused."""
    end = start + dt.timedelta(days=min(days, (dt.date.max - start).days))
    if end == dt.date.max:
        with pytest.raises(InvalidTimeError):
            TimeExtent.from_dates(start, end, "day", tz="UTC")
        return
    extent = TimeExtent.from_dates(start, end, "day", tz="UTC")
    after = end + dt.timedelta(days=1)
    assert extent.earliest == dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC)
    assert extent.latest == dt.datetime(after.year, after.month, after.day, tzinfo=dt.UTC)
    assert extent.tz == "UTC"


def test_timeless_holds_at_every_date() -> None:
    timeless = TimeExtent.timeless()
    assert timeless.is_timeless
    assert str(timeless) == "timeless"
    assert timeless.certainly_by(utc(1900, 1, 1))
    assert not TimeExtent.parse("2020").is_timeless
    # Year 1 itself, or its first day, is a time like any other: it starts where
    # timeless does, but ends later.
    assert not TimeExtent.parse("0001").is_timeless
    assert not TimeExtent.parse("0001-01-01").is_timeless


# ------------------------------------------------------------------ ACLED, UCDP


def test_acled_precision_1_is_the_day() -> None:
    extent = TimeExtent.from_acled("2020-10-31", 1, tz="Asia/Yerevan")
    assert extent == TimeExtent.parse("2020-10-31", tz="Asia/Yerevan")


def test_acled_precision_2_is_the_week_centred_on_the_date() -> None:
    extent = TimeExtent.from_acled("31 October 2020", "2")
    assert extent.precision is Precision.WEEK
    assert (extent.earliest, extent.latest) == (utc(2020, 10, 28), utc(2020, 11, 4))
    assert str(extent) == "2020-10-28..2020-11-03 (week, UTC)"


def test_acled_precision_3_is_the_month() -> None:
    assert TimeExtent.from_acled("31-10-2020", 3) == TimeExtent.parse("2020-10")


@pytest.mark.parametrize(
    ("date", "code", "match"),
    [
        ("2020-10-31", 0, r"ACLED time_precision must be 1, 2 or 3, got 0"),
        ("2020-10-31", 4, r"ACLED time_precision must be 1, 2 or 3, got 4"),
        ("2020-10-31", "day", r"ACLED time_precision must be 1, 2 or 3, got 'day'"),
        ("31st Oct", 1, r"ACLED event_date '31st Oct' is not a date"),
    ],
)
def test_acled_bad_values(date: str, code: int | str, match: str) -> None:
    with pytest.raises(InvalidTimeError, match=match):
        TimeExtent.from_acled(date, code)


@pytest.mark.parametrize(
    ("code", "precision"),
    [(1, Precision.DAY), (2, Precision.WEEK), (3, Precision.WEEK), (4, Precision.MONTH)],
)
def test_ucdp_bounds_are_the_whole_days_and_precision_the_code(
    code: int, precision: Precision
) -> None:
    extent = TimeExtent.from_ucdp("2020-10-01", "2020-10-07 00:00:00.000", code)
    assert extent.precision is precision
    assert (extent.earliest, extent.latest) == (utc(2020, 10, 1), utc(2020, 10, 8))


def test_ucdp_year() -> None:
    extent = TimeExtent.from_ucdp("2020-01-01", "2020-12-31", "5")
    assert extent == TimeExtent.parse("2020")


@pytest.mark.parametrize(
    ("start", "end", "code", "match"),
    [
        (
            "2020-10-05",
            "2020-10-01",
            1,
            r"date_end '2020-10-01' is before date_start '2020-10-05'",
        ),
        ("2020-10-01", "2020-10-05", 6, r"UCDP date_prec must be 1-5, got 6"),
        ("2020-10-01", "2020-10-05", 0, r"UCDP date_prec must be 1-5, got 0"),
        ("2020-10-01", "2020-10-05", None, r"UCDP date_prec must be 1-5, got None"),
        ("Oct 2020", "2020-10-05", 1, r"date_start 'Oct 2020' is not a date"),
        ("2020-10-01", "soon", 1, r"date_end 'soon' is not a date"),
    ],
)
def test_ucdp_bad_values(start: str, end: str, code: int | None, match: str) -> None:
    with pytest.raises(InvalidTimeError, match=match):
        TimeExtent.from_ucdp(start, end, code)  # type: ignore[arg-type]


# ------------------------------------------------------------------- questions


def test_possibly_and_certainly_by() -> None:
    day = TimeExtent.parse("2020-10-31", tz="Asia/Yerevan")  # 10-30T20:00Z .. 10-31T20:00Z
    assert not day.possibly_by(utc(2020, 10, 30, 19, 59, 59))
    assert day.possibly_by(utc(2020, 10, 30, 20))
    assert not day.certainly_by(utc(2020, 10, 31, 19, 59, 59))
    assert day.certainly_by(utc(2020, 10, 31, 20) - dt.timedelta(microseconds=1))
    # A date cut is the end of that day (UTC): after Yerevan's day ended.
    assert day.certainly_by("2020-10-31")
    assert not day.possibly_by("2020-10-29")
    assert day.possibly_by(TimeExtent.parse("2020-10-30"))


def test_an_instant_has_occurred_by_itself() -> None:
    instant = TimeExtent.instant(utc(2020, 10, 31, 12))
    assert instant.certainly_by(utc(2020, 10, 31, 12))
    assert not instant.possibly_by(utc(2020, 10, 31, 11, 59))


def test_cuts_refuse_naive_datetimes_and_bad_strings() -> None:
    day = TimeExtent.parse("2020-10-31")
    with pytest.raises(InvalidTimeError, match=r"cut '2020-10-31T00:00:00' is naive"):
        day.possibly_by(dt.datetime(2020, 10, 31))
    with pytest.raises(InvalidTimeError, match=r"cannot parse time 'tomorrow'"):
        day.certainly_by("tomorrow")
    with pytest.raises(InvalidTimeError, match=r"a time cut must be a date, .* got 3"):
        cut_instant(3)  # type: ignore[arg-type]


def test_cut_of_a_date_is_the_end_of_that_day_in_the_zone() -> None:
    end = cut_instant(dt.date(2020, 10, 31), tz="Asia/Yerevan")
    assert end == TimeExtent.parse("2020-10-31", tz="Asia/Yerevan").last
    assert cut_instant("2020-10-31", tz="Asia/Yerevan") == end


def test_overlaps_and_contains() -> None:
    october = TimeExtent.parse("2020-10")
    day = TimeExtent.parse("2020-10-31")
    november = TimeExtent.parse("2020-11")
    assert october.contains(day)
    assert not day.contains(october)
    assert october.overlaps(day)
    assert day.overlaps(october)
    # Half-open: October ends where November starts, without sharing an instant.
    assert not october.overlaps(november)
    assert october.contains(utc(2020, 10, 31, 23, 59, 59))
    # Its last microsecond is inside; the first of November is not.
    assert october.contains(dt.datetime(2020, 10, 31, 23, 59, 59, 999_999, tzinfo=UTC))
    assert not october.contains(utc(2020, 11, 1))
    yerevan_day = TimeExtent.parse("2020-10-31", tz="Asia/Yerevan")
    assert yerevan_day.overlaps(TimeExtent.parse("2020-10-30"))
    assert october.contains(yerevan_day)
    # Yerevan's 1 November starts at 20:00Z on 31 October: it straddles the UTC month.
    first_of_november = TimeExtent.parse("2020-11-01", tz="Asia/Yerevan")
    assert october.overlaps(first_of_november)
    assert not october.contains(first_of_november)


def test_sort_key_orders_by_earliest_then_the_narrower() -> None:
    month = TimeExtent.parse("2020-10")
    day = TimeExtent.parse("2020-10-01")
    later = TimeExtent.parse("2020-10-02")
    assert sorted([later, month, day], key=TimeExtent.sort_key) == [day, month, later]


# ------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("extent", "text"),
    [
        (TimeExtent.parse("2020-10-31", tz="Asia/Yerevan"), "2020-10-31 (day, Asia/Yerevan)"),
        (TimeExtent.parse("2020-10"), "2020-10 (month, UTC)"),
        (TimeExtent.parse("2020", tz="Europe/Berlin"), "2020 (year, Europe/Berlin)"),
        (TimeExtent.parse("2020-W44"), "2020-W44 (week, UTC)"),
        (TimeExtent.parse("2020-10-31T14", tz="Asia/Baku"), "2020-10-31T14 (hour, Asia/Baku)"),
        (TimeExtent.parse("2020-10-31T14:05"), "2020-10-31T14:05 (minute, UTC)"),
        (
            TimeExtent.parse("2020-10-31T14:05:09", tz="Asia/Yerevan"),
            "2020-10-31T14:05:09+04:00 (Asia/Yerevan)",
        ),
    ],
)
def test_str_shows_what_is_known(extent: TimeExtent, text: str) -> None:
    assert str(extent) == text
    assert "00:00" not in str(TimeExtent.parse("2020-10-31", tz="Asia/Yerevan"))


def test_str_of_a_span_to_the_last_instant_held_ends_on_its_day() -> None:
    # An open end (a ceasefire not ended by the end of a dataset's coverage) runs to
    # the last instant the library holds, within 9999-12-31: shown as that day.
    last = dt.datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC)
    open_end = TimeExtent.between(dt.datetime(2021, 1, 1, tzinfo=dt.UTC), last, "year")
    assert str(open_end) == "2021-01-01..9999-12-31 (year, UTC)"
    # A span that ends within a day elsewhere keeps its instants.
    inner = TimeExtent.between(
        dt.datetime(2021, 1, 1, tzinfo=dt.UTC), dt.datetime(2021, 3, 1, 12, tzinfo=dt.UTC), "day"
    )
    assert str(inner) == "2021-01-01T00:00:00+00:00..2021-03-01T12:00:00+00:00 (day, UTC)"


def _read_back(extent: TimeExtent) -> TimeExtent:
    """``repr(extent)`` evaluated with nothing but ``TimeExtent`` in scope."""
    back = eval(repr(extent), {"__builtins__": {}, "TimeExtent": TimeExtent})
    assert isinstance(back, TimeExtent)
    return back


def test_repr_reads_back() -> None:
    day = TimeExtent.parse("2020-10-31", tz="Asia/Yerevan")
    assert repr(day) == "TimeExtent.parse('2020-10-31', tz='Asia/Yerevan')"
    odd = TimeExtent.between(utc(2020, 10, 1, 5), utc(2020, 10, 4), "day")
    assert repr(odd) == (
        "TimeExtent.between(TimeExtent.parse('2020-10-01T05:00:00+00:00').earliest, "
        "TimeExtent.parse('2020-10-04T00:00:00+00:00').earliest, 'day', tz='UTC')"
    )
    instant = TimeExtent.parse("2020-10-31T14:05:09.5+03:00", tz="Asia/Yerevan")
    assert (
        repr(instant) == "TimeExtent.parse('2020-10-31T11:05:09.500000+00:00', tz='Asia/Yerevan')"
    )
    assert repr(TimeExtent.timeless()) == "TimeExtent.timeless()"


# Each precision by hand: (the extent, its bounds in UTC worked out from the rule,
# its precision, its zone). The repr must evaluate to exactly that extent.
_HAND_EXTENTS = [
    # Yerevan is UTC+4 all year since 2012: its units start at 20:00 UTC the day before.
    (
        TimeExtent.parse("2020", tz="Asia/Yerevan"),
        utc(2019, 12, 31, 20),
        utc(2020, 12, 31, 20),
        "year",
        "Asia/Yerevan",
    ),
    (
        TimeExtent.parse("2020-10", tz="Asia/Yerevan"),
        utc(2020, 9, 30, 20),
        utc(2020, 10, 31, 20),
        "month",
        "Asia/Yerevan",
    ),
    # ISO week 44 of 2020 runs Monday 26 October through Sunday 1 November.
    (TimeExtent.parse("2020-W44"), utc(2020, 10, 26), utc(2020, 11, 2), "week", "UTC"),
    (
        TimeExtent.parse("2020-10-31", tz="Asia/Baku"),
        utc(2020, 10, 30, 20),
        utc(2020, 10, 31, 20),
        "day",
        "Asia/Baku",
    ),
    (
        TimeExtent.parse("2020-10-31T14", tz="Asia/Yerevan"),
        utc(2020, 10, 31, 10),
        utc(2020, 10, 31, 11),
        "hour",
        "Asia/Yerevan",
    ),
    (
        TimeExtent.parse("2020-10-31T14:05", tz="Asia/Yerevan"),
        utc(2020, 10, 31, 10, 5),
        utc(2020, 10, 31, 10, 6),
        "minute",
        "Asia/Yerevan",
    ),
    (
        TimeExtent.parse("2020-10-28T12:00:00Z"),
        utc(2020, 10, 28, 12),
        utc(2020, 10, 28, 12),
        "instant",
        "UTC",
    ),
    # 01:30 on 1 November 2020 in New York happened twice (EDT, then EST): both readings.
    (
        TimeExtent.parse("2020-11-01T01:30:00", tz="America/New_York"),
        utc(2020, 11, 1, 5, 30),
        utc(2020, 11, 1, 6, 30, 0) + dt.timedelta(microseconds=1),
        "instant",
        "America/New_York",
    ),
    # A date range of whole local days: 27 September 00:00 to 1 November 00:00 in Yerevan.
    (
        TimeExtent.from_dates(
            dt.date(2020, 9, 27), dt.date(2020, 10, 31), "month", tz="Asia/Yerevan"
        ),
        utc(2020, 9, 26, 20),
        utc(2020, 10, 31, 20),
        "month",
        "Asia/Yerevan",
    ),
    # ACLED's week: the week centred on the date, 28 October through 3 November.
    (TimeExtent.from_acled("2020-10-31", 2), utc(2020, 10, 28), utc(2020, 11, 4), "week", "UTC"),
    # Within twelve hours after the day 10 October in Yerevan: from its start to twelve
    # hours after its end, at hour precision.
    (
        TimeExtent.after("2020-10-10", hours=12, tz="Asia/Yerevan"),
        utc(2020, 10, 9, 20),
        utc(2020, 10, 11, 8),
        "hour",
        "Asia/Yerevan",
    ),
    (
        TimeExtent.between(utc(2020, 10, 1, 5), utc(2020, 10, 4), "day", tz="Europe/Berlin"),
        utc(2020, 10, 1, 5),
        utc(2020, 10, 4),
        "day",
        "Europe/Berlin",
    ),
    # Days from year 1's first instant: in New York that instant is in year 0, which
    # has no calendar: the repr must not need the local reading.
    (
        TimeExtent.between(utc(1, 1, 1), utc(1, 1, 2), "day", tz="America/New_York"),
        utc(1, 1, 1),
        utc(1, 1, 2),
        "day",
        "America/New_York",
    ),
    (TimeExtent.timeless(), utc(1, 1, 1), utc(1, 1, 1), "instant", "UTC"),
    (
        TimeExtent.between(utc(1, 1, 1), utc(1, 1, 1), "instant", tz="America/New_York"),
        utc(1, 1, 1),
        utc(1, 1, 1),
        "instant",
        "America/New_York",
    ),
]


@pytest.mark.parametrize(("extent", "earliest", "latest", "precision", "tz"), _HAND_EXTENTS)
def test_repr_of_each_precision_evaluates_to_the_same_extent(
    extent: TimeExtent, earliest: dt.datetime, latest: dt.datetime, precision: str, tz: str
) -> None:
    # Whatever its precision and however it was built (parse, from_dates, from_acled,
    # after, between), an extent's repr is an expression that builds it again.
    back = _read_back(extent)
    assert (back.earliest, back.latest, back.precision.value, back.tz) == (
        earliest,
        latest,
        precision,
        tz,
    )
    assert back == extent


@given(time_extents())
def test_drawn_extents_read_back_from_their_repr(extent: TimeExtent) -> None:
    assert _read_back(extent) == extent


@given(
    st.integers(TimeExtent.TIMELESS_US, epoch_us(utc(9999, 12, 31, 23, 59, 59))),
    st.integers(0, 10 * 366 * 86_400_000_000),
    st.sampled_from(Precision),
    st.sampled_from(DEFAULT_TIMEZONES),
)
def test_any_extent_reads_back_from_its_repr(
    lo: int, width: int, precision: Precision, tz: str
) -> None:
    # Bounds on no calendar edge, widths up to ten years, any precision in any zone.
    hi = min(lo + width, epoch_us(utc(9999, 12, 31, 23, 59, 59)))
    extent = TimeExtent.between(from_epoch_us(lo), from_epoch_us(hi), precision, tz=tz)
    assert _read_back(extent) == extent


def test_equality_and_hash_follow_bounds_precision_and_zone() -> None:
    a = TimeExtent.parse("2020-10-31")
    assert a == TimeExtent.parse("2020-10-31")
    assert hash(a) == hash(TimeExtent.parse("2020-10-31"))
    assert a != TimeExtent.parse("2020-10-31", tz="Asia/Yerevan")
    assert a != TimeExtent.between(a.earliest, a.latest, "week")
    assert a != "2020-10-31"


# ------------------------------------------------------------------ properties


@given(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)), st.sampled_from(DEFAULT_TIMEZONES))
def test_a_parsed_day_covers_exactly_that_local_day(day: dt.date, tz: str) -> None:
    extent = TimeExtent.parse(day.isoformat(), tz=tz)
    start = extent.earliest.in_timezone(tz)
    end = extent.latest.in_timezone(tz)
    assert start.date() == day
    assert (start.hour, start.minute) == (0, 0) or _midnight_is_skipped(day, tz)
    assert end.date() == day + dt.timedelta(days=1)
    # Every instant inside is on that local day; the one after is not.
    assert extent.earliest.subtract(microseconds=1).in_timezone(tz).date() < day
    assert extent.latest.subtract(microseconds=1).in_timezone(tz).date() == day
    assert 22 <= hours(extent) <= 26
    assert str(extent) == f"{day.isoformat()} (day, {tz})"


def _midnight_is_skipped(day: dt.date, tz: str) -> bool:
    # In a few zones a DST change happens at midnight: the day starts at 01:00.
    first = pendulum.datetime(day.year, day.month, day.day, tz=tz)
    return first.hour != 0


@given(time_extents(), time_extents())
def test_certainly_by_implies_possibly_by(extent: TimeExtent, cut: TimeExtent) -> None:
    for when in (cut, cut.earliest, cut.latest):
        if extent.certainly_by(when):
            assert extent.possibly_by(when)


@given(time_extents())
def test_drawn_extents_read_back_from_their_text(extent: TimeExtent) -> None:
    assert extent.possibly_by(extent)
    assert extent.certainly_by(extent)
    assert extent.contains(extent)
    text = str(extent)
    assert text.endswith(f"({extent.tz})") or f", {extent.tz})" in text


@given(time_extents(precisions=[Precision.DAY, Precision.HOUR], timezones=["Europe/Berlin"]))
def test_time_extents_honours_its_arguments(extent: TimeExtent) -> None:
    assert extent.precision in {Precision.DAY, Precision.HOUR}
    assert extent.tz == "Europe/Berlin"


@given(
    time_extents(
        min_value=pendulum.datetime(2020, 10, 1), max_value=pendulum.datetime(2020, 10, 31)
    )
)
def test_time_extents_stays_within_bounds(extent: TimeExtent) -> None:
    assert extent.earliest >= utc(2020, 10, 1)
    assert extent.latest <= utc(2020, 10, 31)


@given(time_extents(), time_extents())
def test_overlap_is_symmetric_and_containment_implies_overlap(
    a: TimeExtent, b: TimeExtent
) -> None:
    assert a.overlaps(b) == b.overlaps(a)
    if a.contains(b):
        assert a.overlaps(b)
        assert a.sort_key() <= b.sort_key() or a.lo == b.lo


@given(
    st.datetimes(
        min_value=dt.datetime(1900, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.just(UTC),
    ),
    st.sampled_from(DEFAULT_TIMEZONES),
)
def test_instants_keep_the_instant(when: dt.datetime, tz: str) -> None:
    extent = TimeExtent.instant(when, tz=tz)
    assert extent.earliest == when
    assert extent.precision is Precision.INSTANT


def test_extents_sharing_one_microsecond_overlap_and_an_extent_holds_its_first() -> None:
    # Closed at both ends, to the microsecond: the shared instant is enough, either way round.
    october = TimeExtent.parse("2020-10")
    last_of_october = dt.datetime(2020, 10, 31, 23, 59, 59, 999_999, tzinfo=UTC)
    from_the_last = TimeExtent(
        last_of_october, dt.datetime(2020, 11, 2, tzinfo=UTC), Precision.INSTANT
    )
    assert october.overlaps(from_the_last)
    assert from_the_last.overlaps(october)
    until_the_first = TimeExtent(
        dt.datetime(2020, 9, 29, tzinfo=UTC),
        dt.datetime(2020, 10, 1, 0, 0, 0, 1, tzinfo=UTC),
        Precision.INSTANT,
    )
    assert october.overlaps(until_the_first)
    assert until_the_first.overlaps(october)
    assert october.contains(dt.datetime(2020, 10, 1, tzinfo=UTC))
    assert not october.contains(dt.datetime(2020, 9, 30, 23, 59, 59, 999_999, tzinfo=UTC))


def test_a_ucdp_extent_is_of_whole_local_days_in_the_zone_given() -> None:
    # Yerevan is UTC+4 all year (no summer time since 2012).
    day = TimeExtent.from_ucdp("2020-10-31", "2020-10-31", 1, tz="Asia/Yerevan")
    assert day.lo == int(dt.datetime(2020, 10, 30, 20, tzinfo=UTC).timestamp()) * 1_000_000
    assert day.last == int(dt.datetime(2020, 10, 31, 20, tzinfo=UTC).timestamp()) * 1_000_000 - 1
    assert day.precision is Precision.DAY


@pytest.mark.parametrize("text", ["9999-12-31", "9999-12", "9999"])
def test_the_last_day_of_year_9999_is_out_of_reach(text: str) -> None:
    """time-precision.md: an extent ends at the first instant after it, which for the
    last day, month or year of 9999 is in year 10000: refused, naming the years held;
    the day before is the last that can be given."""
    with pytest.raises(InvalidTimeError, match="outside the years 1-9999"):
        TimeExtent.parse(text)
    last = TimeExtent.parse("9999-12-30")
    assert last.latest.year == 9999
    assert (last.latest.month, last.latest.day) == (12, 31)


@pytest.mark.parametrize(
    ("given", "hint"),
    [
        ("asia/baku", "did you mean 'Asia/Baku'? (IANA names are written in their capitals)"),
        ("AMERICA/NEW_YORK", "did you mean 'America/New_York'?"),
        ("Mars/Olympus", "use an IANA name such as"),
    ],
)
def test_an_unknown_zone_spelt_in_other_capitals_names_the_zone_it_spells(
    given: str, hint: str
) -> None:
    """A zone name is written in the IANA database's capitals: one spelt in others is
    refused, saying which zone it spells; one that spells none gets an example. The
    same words wherever a zone is taken: an extent, a timeline, a question."""
    with pytest.raises(InvalidTimeError, match=rf"^unknown timezone '{given}': ") as extent:
        TimeExtent.parse("2020", tz=given)
    with pytest.raises(QueryError, match=rf"^tz: unknown timezone '{given}': ") as timeline:
        Timeline(tz=given)
    with pytest.raises(QueryError, match=rf"^tz: unknown timezone '{given}': ") as question:
        Timeline().state(ActiveCommitments, at="2020-01-01", tz=given)
    for raised in (extent, timeline, question):
        assert hint in str(raised.value)
