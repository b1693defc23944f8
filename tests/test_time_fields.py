"""What a record's time field takes, and how it refuses what it cannot read.

The rule (docs/explanation/time-precision.md, "Bad input"): a record's time fields
(``occurred``, ``reported``, a source's ``published``, a correction's ``known=``)
take a `TimeExtent`; text, read as `TimeExtent.parse` reads it; a ``date``, read as
its ISO text (the day, a wall-clock reading like the text: a ``Timeline(tz=...)``
reads it in its zone); or an aware ``datetime``, that instant in its own zone. Text
that is no time and a naive datetime are refused with an `InvalidTimeError` that
names the record (or the source's publisher, or the correction), the field and the
reason; any other value with an `InvalidRecordError` naming what the field takes.
"""

from __future__ import annotations

import datetime as _dt
import warnings
import zoneinfo

import pendulum
import pytest

from conflict_timeline import (
    Attack,
    InvalidRecordError,
    InvalidTimeError,
    Precision,
    Source,
    TimeExtent,
    Timeline,
)

FORMS = "a TimeExtent, a date string such as '2020-10-31', a date or an aware datetime"


def test_a_date_is_its_day_as_the_text_of_it_is() -> None:
    day = _dt.date(2020, 10, 31)
    assert Attack(id="a", occurred=day).occurred == TimeExtent.parse("2020-10-31")
    assert Attack(id="a", occurred="2020-10-01", reported=day).reported == TimeExtent.parse(
        "2020-10-31"
    )
    assert Source(publisher="Wire", published=day).published == TimeExtent.parse("2020-10-31")
    # pendulum's Date is a date too
    assert Attack(id="a", occurred=pendulum.date(2020, 10, 31)).occurred == TimeExtent.parse(
        "2020-10-31"
    )


def test_a_date_is_read_in_the_timelines_zone_as_text_is() -> None:
    timeline = Timeline(tz="Asia/Baku")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unsourced on purpose
        timeline.append(Attack(id="a", occurred=_dt.date(2020, 10, 31)))
    baku_day = TimeExtent.parse("2020-10-31", tz="Asia/Baku")
    stored = timeline.get("a")
    assert stored is not None
    assert stored.record.occurred == baku_day


def test_an_aware_datetime_is_that_instant_in_its_own_zone() -> None:
    utc = _dt.datetime(2020, 10, 31, 12, 30, tzinfo=_dt.UTC)
    occurred = Attack(id="a", occurred=utc).occurred
    assert occurred.precision is Precision.INSTANT
    assert occurred.earliest == occurred.latest == pendulum.instance(utc)
    baku = pendulum.datetime(2020, 10, 31, 16, 30, tz="Asia/Baku")  # the same instant
    in_baku = Attack(id="a", occurred=baku).occurred
    assert in_baku.earliest == pendulum.instance(utc)
    assert in_baku.tz == "Asia/Baku"
    named = _dt.datetime(2020, 10, 31, 16, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Baku"))
    assert Attack(id="a", occurred=named).occurred == in_baku
    # A fixed offset names no zone: the instant, in UTC.
    plus_four = _dt.datetime(2020, 10, 31, 16, 30, tzinfo=_dt.timezone(_dt.timedelta(hours=4)))
    offset = Attack(id="a", occurred=plus_four).occurred
    assert (offset.earliest, offset.tz) == (pendulum.instance(utc), "UTC")


def test_text_that_is_no_time_names_the_record_and_the_field() -> None:
    with pytest.raises(InvalidTimeError) as raised:
        Attack(id="raid-7", occurred="31/10/2020")
    assert str(raised.value).startswith(
        "Attack 'raid-7': occurred: cannot parse time '31/10/2020'"
    )
    with pytest.raises(InvalidTimeError) as raised:
        Attack(id="raid-7", occurred="2020-10-31", reported="last week")
    assert str(raised.value).startswith("Attack 'raid-7': reported: cannot parse time 'last week'")
    with pytest.raises(InvalidTimeError) as raised:
        Source(publisher="Wire", published="2020-13")
    assert str(raised.value).startswith("Source 'Wire': published: cannot parse time '2020-13'")


def test_a_naive_datetime_names_the_record_and_the_field() -> None:
    with pytest.raises(InvalidTimeError) as raised:
        Attack(id="raid-7", occurred=_dt.datetime(2020, 10, 31, 12, 0))
    assert str(raised.value).startswith(
        "Attack 'raid-7': occurred: instant '2020-10-31T12:00:00' is naive"
    )
    with pytest.raises(InvalidTimeError) as raised:
        Source(publisher="Wire", published=_dt.datetime(2020, 10, 31, 12, 0))
    assert str(raised.value).startswith("Source 'Wire': published: instant")


def test_a_corrections_known_time_that_cannot_be_read_names_the_correction() -> None:
    raid = Attack(id="raid-7", occurred="2020-10-31")
    with pytest.raises(InvalidTimeError) as raised:
        raid.corrected(id="fix", known="soon", perpetrator="north")
    assert str(raised.value).startswith(
        "correction 'fix' of Attack 'raid-7': known: cannot parse time 'soon'"
    )
    fix = raid.corrected(id="fix", known=_dt.date(2020, 11, 2), perpetrator="north")
    assert fix.occurred == TimeExtent.parse("2020-11-02")


def test_any_other_value_says_what_the_field_takes() -> None:
    with pytest.raises(InvalidRecordError) as raised:
        Attack(id="raid-7", occurred=20201031)  # type: ignore[arg-type]
    assert str(raised.value) == f"Attack 'raid-7': occurred: must be {FORMS}, got 20201031"
    with pytest.raises(InvalidRecordError) as raised:
        Source(publisher="Wire", published=2020)  # type: ignore[arg-type]
    assert str(raised.value) == f"Source.published must be {FORMS}, got 2020"


def test_a_date_the_library_cannot_hold_names_the_record_and_the_field() -> None:
    """A date is read as its text is, so a day the library cannot hold (9999-12-31
    reaches past year 9999 in UTC's last instant) is refused as its text is: naming
    the record, or the source's publisher, and the field."""
    late = _dt.date(9999, 12, 31)
    with pytest.raises(InvalidTimeError, match=r"^Attack 'a': occurred: .*years 1-9999"):
        Attack(id="a", occurred=late)
    with pytest.raises(InvalidTimeError, match=r"^Source 'Wire': published: .*years 1-9999"):
        Source(publisher="Wire", published=late)
    attack = Attack(id="a", occurred="2020-10-31")
    with pytest.raises(InvalidTimeError, match=r"^correction 'c' of Attack 'a': known: "):
        attack.corrected(id="c", known=late, place="p")


def test_an_aware_datetime_outside_the_years_held_names_the_record_and_the_field() -> None:
    early = _dt.datetime(1, 1, 1, tzinfo=_dt.timezone(_dt.timedelta(hours=4)))
    with pytest.raises(InvalidTimeError, match=r"^Attack 'a': occurred: instant '0001-01-01"):
        Attack(id="a", occurred=early)


def test_a_source_read_in_a_zone_names_its_publisher_when_the_text_is_no_time() -> None:
    with pytest.raises(InvalidTimeError, match=r"^Source 'Wire': published: cannot parse"):
        Source(publisher="Wire", published="31/10/2020", tz="Asia/Baku")


def test_a_sources_date_is_read_in_the_zone_it_is_given() -> None:
    """``Source(published=..., tz=...)`` reads a date as it reads the date's text."""
    day = _dt.date(2020, 10, 31)
    in_baku = TimeExtent.parse("2020-10-31", tz="Asia/Baku")
    assert Source(publisher="Azertac", published=day, tz="Asia/Baku").published == in_baku
    assert Source(publisher="Azertac", published="2020-10-31", tz="Asia/Baku").published == (
        in_baku
    )
    instant = _dt.datetime(2020, 10, 31, 12, tzinfo=_dt.UTC)
    with pytest.raises(InvalidRecordError, match="already has its zone"):
        Source(publisher="Azertac", published=instant, tz="Asia/Baku")
