"""The rules of time cuts that the mutation run of ``_time.py`` found unpinned
(docs/testing.md, "Mutation testing"): what instant a cut names, and when an extent
has possibly or certainly happened by it.

The rules are those of docs/explanation/three-clocks.md ("The rules") and
docs/explanation/time-precision.md ("Possibly and certainly"); the expected instants
are computed here with the standard library, never by the code under test.
"""

from __future__ import annotations

import datetime as _dt
from zoneinfo import ZoneInfo

import pytest

from conflict_timeline import InvalidTimeError, QueryError, TimeExtent
from conflict_timeline._time import cut_instant, start_instant, to_cut
from rule_kit import load

EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
YEREVAN = "Asia/Yerevan"


def us(  # noqa: PLR0917 - a wall-clock reading, field by field
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    micro: int = 0,
    *,
    tz: str = "UTC",
) -> int:
    """Epoch microseconds of a wall-clock reading in ``tz``."""
    when = _dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=ZoneInfo(tz))
    return (when - EPOCH) // _dt.timedelta(microseconds=1)


def test_a_date_cut_is_the_last_microsecond_of_its_period_in_the_zone() -> None:
    """A date (string, ``date`` or extent) as a cut means the end of that period in the
    query's ``tz``; cuts are inclusive."""
    end_of_day = us(2020, 10, 31, 23, 59, 59, 999_999, tz=YEREVAN)
    for value in (
        "2020-10-31",
        _dt.date(2020, 10, 31),
        TimeExtent.parse("2020-10-31", tz=YEREVAN),
    ):
        assert to_cut(value, tz=YEREVAN, name="at") == end_of_day, value
        assert cut_instant(value, tz=YEREVAN) == end_of_day, value
    assert to_cut("2020-10", tz="UTC", name="at") == us(2020, 10, 31, 23, 59, 59, 999_999)
    assert cut_instant("2020") == us(2020, 12, 31, 23, 59, 59, 999_999)
    # A string with its own offset names its instant whatever ``tz`` says; an hour
    # with its offset is cut at the end of that hour.
    assert to_cut("2020-10-31T12:00:00+04:00", tz="UTC", name="at") == us(2020, 10, 31, 8)
    assert to_cut("2020-10-31T12+04:00", tz=YEREVAN, name="at") == us(
        2020, 10, 31, 8, 59, 59, 999_999
    )
    assert to_cut(None, tz=YEREVAN, name="at") is None
    # The query a timeline builds holds these instants.
    query = load().query(at="2020-10-31", known_at=_dt.date(2020, 11, 1), tz=YEREVAN)
    assert (query.at, query.known_at) == (
        end_of_day,
        us(2020, 11, 1, 23, 59, 59, 999_999, tz=YEREVAN),
    )


def test_the_start_of_a_span_is_the_first_microsecond_of_its_period() -> None:
    """The other end of a span (``between``'s start, ``edge="start"``) is the first
    instant of the period."""
    start_of_day = us(2020, 10, 31, tz=YEREVAN)
    for value in (
        "2020-10-31",
        _dt.date(2020, 10, 31),
        TimeExtent.parse("2020-10-31", tz=YEREVAN),
    ):
        assert to_cut(value, tz=YEREVAN, name="start", edge="start") == start_of_day, value
        assert start_instant(value, tz=YEREVAN) == start_of_day, value
    assert start_instant("2020-10") == us(2020, 10, 1)


def test_an_aware_datetime_is_its_own_instant_at_either_edge() -> None:
    noon = _dt.datetime(2020, 10, 31, 12, tzinfo=ZoneInfo(YEREVAN))
    want = us(2020, 10, 31, 12, tz=YEREVAN)
    assert to_cut(noon, tz="UTC", name="at") == want
    assert to_cut(noon, tz="UTC", name="start", edge="start") == want
    assert cut_instant(noon) == start_instant(noon) == want


def test_a_cut_that_names_no_instant_is_refused_naming_the_argument() -> None:
    """A naive datetime names no instant; an unparsable string or another type is no
    cut either. ``to_cut`` says which argument was wrong."""
    naive = _dt.datetime(2020, 10, 31, 12)
    with pytest.raises(QueryError) as refused:
        to_cut(naive, tz="UTC", name="known_at")
    assert str(refused.value).startswith(
        "known_at: cut '2020-10-31T12:00:00' is naive: it names no instant."
    )
    with pytest.raises(QueryError, match=r"^at: "):
        to_cut("not a date", tz="UTC", name="at")
    with pytest.raises(QueryError, match=r"^start: "):
        to_cut("not a date", tz="UTC", name="start", edge="start")
    with pytest.raises(QueryError, match=r"^at must be a date or datetime string.* int 5"):
        to_cut(5, tz="UTC", name="at")
    for cut in (cut_instant, start_instant):
        with pytest.raises(InvalidTimeError, match="a time cut must be"):
            cut(5)  # type: ignore[arg-type]
        with pytest.raises(InvalidTimeError):
            cut(naive)


def test_possibly_by_the_first_instant_certainly_by_the_last() -> None:
    """An extent has possibly occurred by *T* when its earliest instant is at most *T*,
    certainly when its last one is."""
    october = TimeExtent.parse("2020-10")
    first, last = us(2020, 10, 1), us(2020, 10, 31, 23, 59, 59, 999_999)
    assert october.by(first)
    assert not october.by(first - 1)
    assert october.by(last, certain=True)
    assert not october.by(last - 1, certain=True)
    assert october.possibly_by(_dt.datetime(2020, 10, 1, tzinfo=_dt.UTC))
    assert not october.possibly_by(_dt.datetime(2020, 9, 30, 23, 59, 59, 999_999, tzinfo=_dt.UTC))
    assert october.possibly_by("2020-10-01")
    assert not october.possibly_by("2020-09-30")
    assert october.certainly_by("2020-10-31")
    assert not october.certainly_by("2020-10-30")
