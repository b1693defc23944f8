"""Rules of the exports' selection (``kinds=``, ``between=``), TimelineJS's span, the
names an end is headlined by and the unsourced warning that a hand-planted pass over
them found unpinned (docs/testing.md, "Planted by hand: last session's exports and
readers").

The rules are those of docs/howto/export.md, docs/explanation/semantics.md and the
docstrings; every expected value is written out by hand from them, never computed by
the code under test.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    Commitment,
    CommitmentEnded,
    MemoryStore,
    TimeExtent,
    Timeline,
    UnsourcedRecordWarning,
    to_timelinejs,
)
from conflict_timeline._export import current_records
from conflict_timeline._labels import Names, headline
from rule_kit import clock, load, wire

YEREVAN = "Asia/Yerevan"  # UTC+4 all year since 2012


def _strike(aid: str, occurred: object) -> Attack:
    return Attack(id=aid, occurred=occurred, target_class="civilian", sources=wire("2020-01-01"))


def _pledge(cid: str, effective: TimeExtent, **fields: Any) -> Commitment:
    return Commitment(
        id=cid,
        occurred="2019-12-01",
        sources=wire("2019-12-01"),
        commitment_kind="ceasefire",
        parties=("north",),
        effective=effective,
        **fields,
    )


_NORTH = ActorDefined(id="north", name="North", actor_kind="state")


def _ended(cid: str, occurred: TimeExtent) -> CommitmentEnded:
    return CommitmentEnded(
        id=f"{cid}-end",
        occurred=occurred,
        sources=wire("2020-06-01"),
        commitment=cid,
        reason="collapsed",
    )


def _eras(data: dict[str, Any]) -> list[tuple[dict[str, int], dict[str, int]]]:
    return [(era["start_date"], era["end_date"]) for era in data["eras"]]


# ------------------------------------------------------------------ the selection


def test_current_records_read_a_span_in_the_zone_given() -> None:
    """current_records: ``between`` is read in ``tz``: 1 February in Yerevan begins
    at 20:00 UTC on 31 January, so an attack at 21:00 UTC that day is in the span,
    and one at 19:00 UTC is not; read in UTC, neither is."""
    tl = load(
        _strike("late-jan-31", TimeExtent.parse("2020-01-31T21:00:00+00:00")),
        _strike("early-jan-31", TimeExtent.parse("2020-01-31T19:00:00+00:00")),
    )
    span = ("2020-02-01", "2020-02-10")
    assert [r.id for r in current_records(tl, between=span, tz=YEREVAN)] == ["late-jan-31"]
    assert [r.id for r in current_records(tl, between=span)] == []


def test_a_span_holds_an_instant_at_its_last_microsecond() -> None:
    """current_records: a span runs "from the first instant of ``start`` to the last of
    ``end``": an instant at 23:59:59.999999 on the end day is in it, one a microsecond
    later is not."""
    tl = load(
        _strike("last", TimeExtent.parse("2020-03-01T23:59:59.999999+00:00")),
        _strike("after", TimeExtent.parse("2020-03-02T00:00:00+00:00")),
    )
    assert [r.id for r in current_records(tl, between=("2020-02-01", "2020-03-01"))] == ["last"]


def test_a_timeless_record_is_in_no_span_even_one_of_the_first_year() -> None:
    """current_records: "a timeless record, an actor or place defined for all time, is
    in no span", even a span of the year 1, the first the calendar holds."""
    tl = load(_NORTH, _strike("old", TimeExtent.parse("0001-06-01")))
    assert [r.id for r in current_records(tl, between=("0001-01-01", "0001-12-31"))] == ["old"]


# ------------------------------------------------------------ TimelineJS of a span


def test_a_commitment_ended_at_the_first_instant_of_a_span_is_an_era_of_it() -> None:
    """export.md: the eras of a span are the commitments possibly in force at some
    time in it: one that ended at midnight as the span begins was in force at its
    first instant, and is drawn on its first day; one that ended a microsecond
    before is not."""
    tl = load(
        _NORTH,
        _pledge("midnight", TimeExtent.parse("2020-01-10")),
        _ended("midnight", TimeExtent.parse("2020-02-01T00:00:00+00:00")),
        _pledge("before", TimeExtent.parse("2020-01-10")),
        _ended("before", TimeExtent.parse("2020-01-31T23:59:59.999999+00:00")),
    )
    data = to_timelinejs(tl, between=("2020-02-01", "2020-02-10"), kinds=[])
    assert [era["text"]["headline"] for era in data["eras"]] == ["Ceasefire: North"]


def test_a_timelinejs_span_dates_an_edge_it_cuts_by_the_day_whatever_the_precision() -> None:
    """export.md: "an edge the span cuts is dated to the span's first or last day ...
    (an era is drawn by the day)": a commitment in force from some day of January
    (month-precise) and ended some day of March (month-precise), read for 10 to 20
    February, is drawn from 10 February to 20 February, to the day, not from a
    month to a month."""
    tl = load(
        _NORTH,
        _pledge("vague", TimeExtent.parse("2020-01")),
        _ended("vague", TimeExtent.parse("2020-03")),
    )
    data = to_timelinejs(tl, between=("2020-02-10", "2020-02-20"))
    assert _eras(data) == [
        ({"year": 2020, "month": 2, "day": 10}, {"year": 2020, "month": 2, "day": 20})
    ]


def test_a_timelinejs_span_leaves_an_edge_it_does_not_cut_as_known() -> None:
    """export.md: only an edge the span cuts is the span's day; an era's own dates are
    "to the day, or to the month or year when only that is known": a commitment in
    force from February (month-precise) read from 1 February to 20 March (the span's
    first instant is February's) begins in February, to the month, and, in force
    still, runs to the span's last day."""
    tl = load(_NORTH, _pledge("february", TimeExtent.parse("2020-02")))
    data = to_timelinejs(tl, between=("2020-02-01", "2020-03-20"))
    assert _eras(data) == [({"year": 2020, "month": 2}, {"year": 2020, "month": 3, "day": 20})]


# -------------------------------------------------------------- names of an end


def test_the_names_of_a_timeline_as_stored_by_a_position_headline_an_end_by_its_id() -> None:
    """Names.of: the commitments an end is headlined by are those "as stored by the
    position ``as_of``": an end stored before its commitment (appended with
    strict=False) is headlined by the commitment's id as of its own position, and by
    the commitment once it is stored."""
    tl = Timeline(MemoryStore(clock=clock))
    tl.append(_NORTH, _ended("truce", TimeExtent.parse("2020-03-01")), strict=False)
    tl.append(_pledge("truce", TimeExtent.parse("2020-01-10")))
    end = tl.get("truce-end").record
    assert headline(end, Names.of(tl, as_of=2)) == "truce ends (collapsed)"
    assert headline(end, Names.of(tl)) == "End of ceasefire: North (collapsed)"


# ----------------------------------------------------------- the unsourced warning


def test_a_record_given_twice_in_one_append_is_warned_about_as_one() -> None:
    """semantics.md: the warning names the records an append writes, and a record
    repeated in the batch is one record written: "Attack 'a0'", not "and 1 more"."""
    tl = Timeline(MemoryStore(clock=clock))
    twice = Attack(id="a0", occurred="2023-05-20")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert tl.append(twice, twice) == (1, 1)
    messages = [str(w.message) for w in caught if w.category is UnsourcedRecordWarning]
    assert len(messages) == 1
    assert messages[0].startswith("Attack 'a0': no dated source")


@pytest.mark.parametrize("streamed", [False, True])
def test_a_stored_record_is_not_counted_in_the_warning_for_the_others(streamed: bool) -> None:
    """semantics.md: the warning names the first record the append writes and counts
    those written alone: two stored already and two new make "Attack 'b0' and 1
    more"."""
    tl = Timeline(MemoryStore(clock=clock))
    old = [Attack(id=f"a{n}", occurred="2023-05-20") for n in range(2)]
    new = [Attack(id=f"b{n}", occurred="2023-05-21") for n in range(2)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tl.append(*old)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if streamed:
            tl.append_stream(iter([*old, *new]))
        else:
            tl.append(*old, *new)
    messages = [str(w.message) for w in caught if w.category is UnsourcedRecordWarning]
    assert len(messages) == 1
    assert messages[0].startswith("Attack 'b0' and 1 more: no dated source")
