"""Rules of docs/explanation/three-clocks.md, time-precision.md, claims.md,
sovereignty.md and store.md that a planted bug broke without any test failing.

Each test pins one rule as the page states it; the expected values are written here
from the rule (bounds with the standard library), never computed by the code under
test.
"""

from __future__ import annotations

import datetime as _dt
from zoneinfo import ZoneInfo

import pytest

from conflict_timeline import Attack, Source, TimeExtent

UTC = _dt.UTC


@pytest.mark.parametrize(
    ("text", "tz", "start", "end"),
    [
        # December's month ends where the next year begins, not a month later.
        ("2020-12", "UTC", (2020, 12, 1), (2021, 1, 1)),
        ("2020-12", "Asia/Yerevan", (2020, 12, 1), (2021, 1, 1)),
        ("2020-11", "UTC", (2020, 11, 1), (2020, 12, 1)),
        ("2021-01", "UTC", (2021, 1, 1), (2021, 2, 1)),
        ("2020-02", "UTC", (2020, 2, 1), (2020, 3, 1)),
    ],
)
def test_a_month_runs_from_its_first_day_to_the_first_day_of_the_next(
    text: str, tz: str, start: tuple[int, int, int], end: tuple[int, int, int]
) -> None:
    """time-precision.md: "2020-10" is the month, an extent half-open
    ``[earliest, latest)``: it ends at the first instant of the next month's first
    local day; for December, the first of January of the next year."""
    extent = TimeExtent.parse(text, tz=tz)
    zone = ZoneInfo(tz)
    assert extent.earliest == _dt.datetime(*start, tzinfo=zone)
    assert extent.latest == _dt.datetime(*end, tzinfo=zone)
    assert extent.precision.value == "month"


def test_a_source_published_at_an_instant_makes_reported_that_instant() -> None:
    """three-clocks.md: ``reported`` defaults to the earliest ``published`` among the
    record's sources. A source dated to the second is an instant (time-precision.md:
    ``earliest == latest``), so the record was reported at that instant: not a
    microsecond-long stretch after it, and the same however many later sources it has."""
    published = "2020-10-31T14:05:09+04:00"
    instant = _dt.datetime(2020, 10, 31, 10, 5, 9, tzinfo=UTC)
    for sources in (
        (Source(publisher="Wire", published=published),),
        (
            Source(publisher="Paper", published="2020-11-02"),
            Source(publisher="Wire", published=published),
        ),
    ):
        record = Attack(id="raid", occurred="2020-10-31", sources=sources)
        assert record.reported is not None
        assert record.reported.earliest == instant
        assert record.reported.latest == instant
        assert record.reported.precision.value == "instant"
