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

from conflict_timeline import (
    Attack,
    Correction,
    Record,
    Recorded,
    Source,
    TimeExtent,
    Timeline,
    View,
)

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


class _Ids(View[tuple[str, ...], tuple[str, ...]]):
    """The ids a fold replays, in its order."""

    def initial(self) -> tuple[str, ...]:
        return ()

    def apply(self, state: tuple[str, ...], recorded: Recorded) -> tuple[str, ...]:
        return (*state, recorded.id)


def _wire(day: str) -> tuple[Source, ...]:
    return (Source(publisher="Wire", published=day),)


def _timelines(*records: Record) -> list[Timeline]:
    """The same records on a cold timeline and on warm ones (a checkpoint at every
    entry, at every other one), so every path of the replay is asked."""
    out = []
    for every, warm in ((10**9, False), (1, True), (2, True)):
        tl = Timeline(checkpoint_every=every)
        tl.append(*records)
        if warm:
            tl.state(_Ids)
        out.append(tl)
    return out


@pytest.mark.parametrize(
    ("original", "corrected", "before_fix", "after_fix"),
    [
        # A month narrowed to its 5th: certainly over by the 10th once the fix is known.
        ("2024-01", "2024-01-05", (), ("raid",)),
        # A day widened to its month: no longer certainly over by the 10th.
        ("2024-01-05", "2024-01", ("raid",), ()),
    ],
)
def test_under_certain_a_corrected_record_is_judged_by_its_replacements_last_instant(
    original: str, corrected: str, before_fix: tuple[str, ...], after_fix: tuple[str, ...]
) -> None:
    """three-clocks.md, "The rules": with ``certainty="certain"`` a record is replayed
    by ``at`` when its ``occurred`` is over by then (its latest bound), and a correction
    replays its replacement "with the replacement's own times": the replacement's
    last instant decides, not the original's. Before the correction is known, the
    original's does."""
    raid = Attack(id="raid", occurred=original, sources=_wire("2024-02-01"))
    fix = Correction(
        id="fix",
        occurred="2024-02-05",
        sources=_wire("2024-02-05"),
        corrects="raid",
        replacement=Attack(id="raid", occurred=corrected, sources=_wire("2024-02-01")),
    )
    for tl in _timelines(raid, fix):
        assert tl.state(_Ids, at="2024-01-10", certainty="certain") == after_fix
        assert (
            tl.state(_Ids, at="2024-01-10", known_at="2024-02-05", certainty="certain")
            == after_fix
        )
        assert (
            tl.state(_Ids, at="2024-01-10", known_at="2024-02-04", certainty="certain")
            == before_fix
        )
        # Possibly happened by the 10th in every version: both start by then.
        assert tl.state(_Ids, at="2024-01-10") == ("raid",)
