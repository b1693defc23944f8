"""Local calendar units where the clocks change (issue 18, points 7, 8 and 9).

The oracle is the standard library's ``zoneinfo`` read directly: a local day D is
every instant whose local date is D, so it starts at the first instant whose local
date is D and ends where the next day starts.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import zoneinfo
from pathlib import Path

import pytest

from conflict_timeline import InvalidTimeError, Precision, TimeExtent
from conflict_timeline._time import cut_instant

UTC = dt.UTC
US = dt.timedelta(microseconds=1)
YEARS = (1985, 2011, 2020, 2024)


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(UTC)


@functools.cache
def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def local_date(when: dt.datetime, name: str) -> dt.date:
    return when.astimezone(zone(name)).date()


def transition_days(name: str, year: int) -> list[dt.date]:
    """Local dates next to a change of UTC offset in that year (sampled daily)."""
    tz = zone(name)
    days: set[dt.date] = set()
    day = dt.datetime(year, 1, 1)  # a local wall time, read in tz
    offset = tz.utcoffset(day)
    for _ in range(366):
        day += dt.timedelta(days=1)
        now = tz.utcoffset(day)
        if now != offset:
            offset = now
            days.update(day.date() + dt.timedelta(days=k) for k in (-2, -1, 0))
    return sorted(days)


@functools.cache
def parsed_day(day: dt.date, name: str) -> TimeExtent | None:
    try:
        return TimeExtent.parse(day.isoformat(), tz=name)
    except InvalidTimeError:
        return None


def check_day(day: dt.date, name: str) -> None:
    extent = parsed_day(day, name)
    following = parsed_day(day + dt.timedelta(days=1), name)
    if following is None:  # a skipped day: the next one that exists
        following = parsed_day(day + dt.timedelta(days=2), name)
        assert following is not None, (name, day)
    if extent is None:
        # Refused only when no instant has that local date: the clocks skipped it.
        before = parsed_day(day - dt.timedelta(days=1), name)
        assert before is not None, (name, day)
        assert before.latest == following.earliest, (name, day)
        assert local_date(before.latest - US, name) < day < local_date(before.latest, name)
        return
    # Consecutive days tile the line: no gap, no overlap.
    assert extent.latest == following.earliest, (name, day)
    # It starts at the first instant of that local date, and ends at the last one.
    assert local_date(extent.earliest, name) == day, (name, day)
    assert local_date(extent.earliest - US, name) < day, (name, day)
    assert local_date(extent.latest - US, name) == day, (name, day)
    assert local_date(extent.latest, name) > day, (name, day)


def test_a_day_whose_midnight_does_not_exist_ends_at_the_next_midnight() -> None:
    # Damascus, 2020: the clocks went from 00:00 to 01:00 on 27 March.
    day = TimeExtent.parse("2020-03-27", tz="Asia/Damascus")
    assert day.earliest == utc("2020-03-27T01:00+03:00")
    assert day.latest == utc("2020-03-28T00:00+03:00")
    attack_next_day = TimeExtent.parse("2020-03-28T00:30+03:00", tz="Asia/Damascus")
    assert not day.overlaps(attack_next_day)
    assert TimeExtent.parse("2020-03-26", tz="Asia/Damascus").latest == day.earliest


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("Asia/Damascus", "2020-03-27"),
        ("Asia/Tehran", "2020-03-21"),
        ("Asia/Beirut", "2020-03-29"),
        ("Asia/Gaza", "2020-03-28"),
        ("America/Havana", "2020-03-08"),
        ("America/Havana", "2020-11-01"),
        ("America/Sao_Paulo", "2018-11-04"),
        ("America/Sao_Paulo", "2019-02-17"),
        ("America/Santiago", "2020-04-05"),
    ],
)
def test_the_named_zones_on_their_change_days(name: str, day: str) -> None:
    when = dt.date.fromisoformat(day)
    for k in (-1, 0, 1):
        check_day(when + dt.timedelta(days=k), name)


def distinct_zones() -> list[str]:
    """Every zone of the tz database, one name per set of rules (a link such as
    Asia/Calcutta has the same file as Asia/Kolkata)."""
    seen: dict[bytes, str] = {}
    for name in sorted(zoneinfo.available_timezones()):
        try:
            data = zoneinfo_file(name)
        except OSError:
            data = name.encode()
        seen.setdefault(data, name)
    return sorted(seen.values())


def zoneinfo_file(name: str) -> bytes:
    for root in zoneinfo.TZPATH:
        path = Path(root) / name
        if path.is_file():
            return path.read_bytes()
    return (importlib.resources.files("tzdata.zoneinfo") / name).read_bytes()


def test_every_zone_tiles_its_days_around_every_change() -> None:
    checked = 0
    for name in distinct_zones():
        for year in YEARS:
            for day in transition_days(name, year):
                check_day(day, name)
                checked += 1
    assert checked > 3_000  # the zones that change their clocks were all visited


@pytest.mark.parametrize(
    ("name", "unit", "following"),
    [
        ("Asia/Damascus", "2020-03", "2020-04"),
        ("Asia/Damascus", "2022-W12", "2022-W13"),
        ("America/Sao_Paulo", "2018-11", "2018-12"),
        ("America/Havana", "2019", "2020"),
        ("Asia/Tehran", "2022-03", "2022-04"),
    ],
)
def test_months_weeks_and_years_tile_too(name: str, unit: str, following: str) -> None:
    extent = TimeExtent.parse(unit, tz=name)
    after = TimeExtent.parse(following, tz=name)
    assert extent.latest == after.earliest
    assert local_date(extent.earliest - US, name) < local_date(extent.earliest, name)


def test_from_dates_follows_the_same_rule() -> None:
    span = TimeExtent.from_dates(
        dt.date(2020, 3, 26), dt.date(2020, 3, 27), Precision.DAY, tz="Asia/Damascus"
    )
    assert span.earliest == TimeExtent.parse("2020-03-26", tz="Asia/Damascus").earliest
    assert span.latest == utc("2020-03-28T00:00+03:00")
    acled = TimeExtent.from_acled("2020-03-27", 1, tz="Asia/Damascus")
    assert acled == TimeExtent.parse("2020-03-27", tz="Asia/Damascus")


# ------------------------------------------------------------------------ point 8


@pytest.mark.parametrize("text", ["0001", "0001-01", "0001-01-01", "0001-01-01T05"])
def test_year_1_east_of_utc_is_the_librarys_error(text: str) -> None:
    with pytest.raises(InvalidTimeError, match="years 1-9999"):
        TimeExtent.parse(text, tz="Asia/Tokyo")
    with pytest.raises(InvalidTimeError):
        cut_instant(text, tz="Asia/Tokyo")


def test_the_ends_of_the_calendar_in_every_direction() -> None:
    with pytest.raises(InvalidTimeError):
        TimeExtent.from_dates(dt.date(1, 1, 1), dt.date(1, 1, 1), "day", tz="Asia/Tokyo")
    with pytest.raises(InvalidTimeError):
        cut_instant(dt.date(1, 1, 1), tz="Asia/Tokyo")
    with pytest.raises(InvalidTimeError):
        TimeExtent.parse("9999-12-31", tz="America/New_York")
    with pytest.raises(InvalidTimeError):
        TimeExtent.parse("0001-01-01T03:00:00", tz="Asia/Tokyo")
    # West of UTC, year 1 exists.
    assert TimeExtent.parse("0001-01-01", tz="America/New_York").earliest.year == 1


def test_a_day_the_clocks_skipped_is_refused() -> None:
    # Samoa moved across the date line: 29 December 2011 was followed by the 31st.
    with pytest.raises(InvalidTimeError, match="does not exist in Pacific/Apia"):
        TimeExtent.parse("2011-12-30", tz="Pacific/Apia")
    skipped = dt.date(2011, 12, 30)
    with pytest.raises(InvalidTimeError, match="does not exist in Pacific/Apia"):
        TimeExtent.from_dates(skipped, skipped, "day", tz="Pacific/Apia")
    before = TimeExtent.parse("2011-12-29", tz="Pacific/Apia")
    assert before.latest == TimeExtent.parse("2011-12-31", tz="Pacific/Apia").earliest


# ------------------------------------------------------------------------ point 9


@pytest.mark.parametrize(
    "text", ["2020-03-08T02:30", "2020-03-08T02", "2020-03-08T02:30:00", "2020-03-08 02:59"]
)
def test_a_local_time_the_clocks_skipped_is_refused(text: str) -> None:
    with pytest.raises(InvalidTimeError, match="does not exist in America/New_York"):
        TimeExtent.parse(text, tz="America/New_York")


def test_a_skipped_time_with_its_offset_is_that_minute() -> None:
    """With its offset a local time names its instants even where the clocks of the
    zone skipped it; the minute stays a minute."""
    extent = TimeExtent.parse("2020-03-08T02:30-05:00", tz="America/New_York")
    assert (extent.earliest, extent.latest) == (
        utc("2020-03-08T07:30Z"),
        utc("2020-03-08T07:31Z"),
    )
    instant = TimeExtent.parse("2020-03-08T02:30:00-05:00", tz="America/New_York")
    assert instant.earliest == instant.latest == utc("2020-03-08T07:30Z")


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        # 01:00-02:00 was shown twice: first in EDT (-04), then in EST (-05).
        ("2020-11-01T01:30", "2020-11-01T01:30-04:00", "2020-11-01T01:31-05:00"),
        ("2020-11-01T01", "2020-11-01T01:00-04:00", "2020-11-01T02:00-05:00"),
        ("2020-11-01T01:30:00", "2020-11-01T01:30-04:00", "2020-11-01T01:30:00.000001-05:00"),
        # Next to the overlap, one reading only.
        ("2020-11-01T00", "2020-11-01T00:00-04:00", "2020-11-01T01:00-04:00"),
        ("2020-11-01T00:59", "2020-11-01T00:59-04:00", "2020-11-01T01:00-04:00"),
        ("2020-11-01T02", "2020-11-01T02:00-05:00", "2020-11-01T03:00-05:00"),
        ("2020-11-01", "2020-11-01T00:00-04:00", "2020-11-02T00:00-05:00"),
    ],
)
def test_a_local_time_shown_twice_covers_both_readings(
    text: str, earliest: str, latest: str
) -> None:
    extent = TimeExtent.parse(text, tz="America/New_York")
    assert (extent.earliest, extent.latest) == (utc(earliest), utc(latest))


def test_an_ordinary_local_time_is_unchanged() -> None:
    extent = TimeExtent.parse("2020-10-31T14:05", tz="Asia/Yerevan")
    assert (extent.earliest, extent.latest) == (
        utc("2020-10-31T14:05+04:00"),
        utc("2020-10-31T14:06+04:00"),
    )
    instant = TimeExtent.parse("2020-10-31T14:05:09", tz="Asia/Yerevan")
    assert instant.earliest == instant.latest == utc("2020-10-31T14:05:09+04:00")


# ------------------------------------------------------------------ point 11: "now"


@pytest.mark.parametrize("text", ["now", " NOW ", "Now"])
def test_now_is_refused(text: str) -> None:
    with pytest.raises(InvalidTimeError, match="'now'"):
        TimeExtent.parse(text)
