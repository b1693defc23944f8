"""The replay engine's rules that the tenth mutation run (of ``views/_engine.py``) found
unpinned (docs/testing.md, "Mutation testing"): which records each cut lets through,
the order of replay, and when a query may resume from a checkpoint.

The rules are those of docs/explanation/three-clocks.md ("The rules") and
docs/explanation/semantics.md ("Replay order ends with the record id", "Checkpoints
only where they are sound"). Every expected answer is written here by hand from
those rules, never computed by the code under test.
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum

from conflict_timeline import (
    Attack,
    Correction,
    MemoryStore,
    Recorded,
    Retraction,
    Source,
    TimeExtent,
    Timeline,
    View,
)


class OrderView(View[tuple[str, ...], tuple[str, ...]]):
    """The ids a fold replays, in its order."""

    def initial(self) -> tuple[str, ...]:
        return ()

    def apply(self, state: tuple[str, ...], recorded: Recorded) -> tuple[str, ...]:
        return (*state, recorded.id)


class DayView(View[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]):
    """The ids a fold replays with the day each occurred on (the version replayed)."""

    def initial(self) -> tuple[tuple[str, str], ...]:
        return ()

    def apply(
        self, state: tuple[tuple[str, str], ...], recorded: Recorded
    ) -> tuple[tuple[str, str], ...]:
        day = recorded.record.occurred.earliest.date().isoformat()
        return (*state, (recorded.id, day))


def attack(aid: str, occurred: str, published: str | None = None) -> Attack:
    """An attack of ``occurred`` reported on ``published`` (its day by default)."""
    return Attack(
        id=aid,
        occurred=occurred,
        sources=(Source(publisher="Monitor", published=published or occurred),),
        perpetrator=None,
        target_class="military",
    )


def moved(cid: str, target: Attack, published: str, day: str) -> Correction:
    """A correction reported on ``published`` that moves ``target`` to ``day``."""
    return Correction(
        id=cid,
        occurred=published,
        sources=(Source(publisher="Monitor", published=published),),
        corrects=target.id,
        replacement=attrs.evolve(target, occurred=TimeExtent.parse(day)),
    )


def timelines(*records: Any) -> list[Timeline]:
    """The same records on a cold timeline, and on warm ones with a checkpoint at
    every entry and every other entry (states kept along the whole list)."""
    out = []
    for every, warm in ((10**9, False), (1, True), (2, True)):
        tl = Timeline(checkpoint_every=every)
        tl.append(*records, strict=False)
        if warm:
            tl.state(OrderView)
        out.append(tl)
    return out


def test_the_valid_time_cut_reads_the_earliest_instant_or_under_certain_the_last() -> None:
    """``at``: a record possibly occurred by the cut when its ``occurred`` starts at or
    before it; certainly, when it has ended by then (its last instant)."""
    month, day = attack("month", "2024-01"), attack("day", "2024-01-10")
    for tl in timelines(month, day):
        assert tl.state(OrderView, at="2023-12-31") == ()
        assert tl.state(OrderView, certainty="certain") == ("month", "day")
        assert tl.state(OrderView, at="2024-01-01T00:00:00+00:00") == ("month",)
        assert tl.state(OrderView, at="2024-01-01") == ("month",)
        assert tl.state(OrderView, at="2024-01-10") == ("month", "day")
        assert tl.state(OrderView, at="2024-01-10", certainty="certain") == ("day",)
        assert tl.state(OrderView, at="2024-01-31", certainty="certain") == ("month", "day")
        # With a knowledge cut too (both attacks reported on their first day).
        assert tl.state(OrderView, at="2024-01-10", known_at="2024-01-10") == ("month", "day")
        assert tl.state(OrderView, at="2024-01-09", known_at="2024-01-10") == ("month",)
        # Certain with both cuts: the month (reported some day of January) is certainly
        # known by its end, but has not certainly happened by the 10th.
        sure = {"known_at": "2024-01-31", "certainty": "certain"}
        assert tl.state(OrderView, at="2024-01-10", **sure) == ("day",)
        assert tl.state(OrderView, at="2024-01-31", **sure) == ("month", "day")
        assert tl.state(
            OrderView, at="2024-01-10", known_at="2024-01-30", certainty="certain"
        ) == ("day",)
        assert tl.state(OrderView, at="2024-01-10", as_of=2) == ("month", "day")
        assert tl.state(OrderView, at="2024-01-09", as_of=2) == ("month",)
        assert tl.state(OrderView, at="2024-01-30", as_of=2, certainty="certain") == ("day",)


def test_the_knowledge_cut_reads_the_earliest_report_or_under_certain_the_last() -> None:
    """``known_at``: a record is known when its ``reported`` starts at or before the cut;
    under ``certainty="certain"`` when it has ended by then. Inclusive."""
    late = attack("late", "2024-01-05", published="2024-02")  # reported some day of February
    early = attack("early", "2024-01-20", published="2024-01-20")
    for tl in timelines(late, early):
        assert tl.state(OrderView, known_at="2024-01-31") == ("early",)
        assert tl.state(OrderView, known_at="2024-02-01") == ("late", "early")
        assert tl.state(OrderView, known_at="2024-02-01", certainty="certain") == ("early",)
        assert tl.state(OrderView, known_at="2024-02-28", certainty="certain") == ("early",)
        assert tl.state(OrderView, known_at="2024-02-29", certainty="certain") == (
            "late",
            "early",
        )
        assert tl.state(OrderView, known_at="2024-01-19") == ()
        assert tl.state(OrderView, known_at="2024-02-01", at="2024-01-10") == ("late",)
        assert tl.state(OrderView, known_at="2024-01-31", at="2024-01-10") == ()


def test_the_record_time_cut_replays_positions_up_to_and_including_it() -> None:
    """``as_of=N`` replays the records at store positions 1..N, in replay order."""
    c, a, b = attack("c", "2024-01-03"), attack("a", "2024-01-01"), attack("b", "2024-01-02")
    for tl in timelines(c, a, b):  # positions: c 1, a 2, b 3
        assert tl.state(OrderView, as_of=0) == ()
        assert tl.state(OrderView, as_of=1) == ("c",)
        assert tl.state(OrderView, as_of=2) == ("a", "c")
        assert tl.state(OrderView, as_of=3) == ("a", "b", "c")
        assert tl.state(OrderView, as_of=2, known_at="2024-01-02") == ("a",)
        assert tl.state(OrderView, as_of=3, known_at="2024-01-02") == ("a", "b")


def test_replay_order_is_occurred_then_reported_then_id_whatever_the_append_order() -> None:
    """Replay order is ``(occurred.earliest, reported.earliest, id)``."""
    records = [
        attack("b1", "2024-01-05", published="2024-01-05"),
        attack("a1", "2024-01-05", published="2024-01-07"),
        attack("a2", "2024-01-05", published="2024-01-05"),
        attack("z0", "2024-01-04", published="2024-01-09"),
        attack("c9", "2024-01-06", published="2024-01-06"),
    ]
    want = ("z0", "a2", "b1", "a1", "c9")
    for order in (records, records[::-1], records[2:] + records[:2]):
        for tl in timelines(*order):
            assert tl.state(OrderView) == want
            assert tl.state(OrderView, at="2024-01-05") == want[:4]
            assert tl.state(OrderView, known_at="2024-01-06") == ("a2", "b1", "c9")
            assert tl.state(OrderView, known_at="2024-01-09") == want
            assert tl.state(OrderView, as_of=5) == want
            assert tl.state(OrderView, at="2024-01-06", certainty="certain") == want


def test_replay_order_ends_with_the_id_when_many_records_are_taken_in_at_once() -> None:
    """semantics.md: the last key of replay order is "the record id, ... not the store
    position". 600 records of one day reported together (enough for the engine to
    take them in as one batch), appended in reverse id order, replay by id; so do two
    more of that day appended later one by one."""
    ids = [f"r{i:03d}" for i in range(600)]
    many = [attack(rid, "2024-01-05") for rid in reversed(ids)]
    for tl in timelines(*many):
        assert tl.state(OrderView) == tuple(ids)
        tl.append(attack("r600", "2024-01-05"), attack("r1", "2024-01-05"))
        # "r1" sorts after "r099" and, a prefix of it, before "r100".
        assert tl.state(OrderView) == (*ids[:100], "r1", *ids[100:], "r600")


def test_replay_order_reads_the_report_before_the_id_when_many_are_taken_in_at_once() -> None:
    """semantics.md: replay order is ``(occurred.earliest, reported, id)``, also for
    records taken in as one batch. 600 records of one day, each reported a day earlier
    than the one with the next id (r599 first, on the day itself), replay by report:
    r599 first, r000 last, not by id."""
    ids = [f"r{i:03d}" for i in range(600)]
    day = pendulum.date(2024, 1, 5)
    many = [
        attack(rid, "2024-01-05", published=day.add(days=599 - i).isoformat())
        for i, rid in enumerate(ids)
    ]
    for tl in timelines(*many):
        assert tl.state(OrderView) == tuple(reversed(ids))
        assert tl.state(OrderView, known_at="2024-01-06") == ("r599", "r598")


def test_a_replacement_without_a_report_is_known_when_the_original_was_stored() -> None:
    """A corrected record replays at its replacement's times; a replacement with no
    ``reported`` and no dated source is known from the original's ``recorded_at``
    (what `Recorded.reported` gives the fold), not at the original's own report."""
    stored = pendulum.datetime(2024, 1, 1, tz="UTC")
    early = attack("a", "2020-01-01", published="2020-01-02")
    later = attack("b", "2020-01-01", published="2021-01-01")
    bare = attrs.evolve(early, sources=(), reported=None)
    assert bare.reported is None
    fix = Correction(
        id="fix",
        occurred="2022-01-01",
        sources=(Source(publisher="Monitor", published="2022-01-01"),),
        corrects="a",
        replacement=bare,
    )
    # By occurred, then reported: b (2021-01-01) before a (known 2024-01-01).
    for every, warm in ((10**9, False), (1, True)):
        tl = Timeline(MemoryStore(clock=lambda: stored), checkpoint_every=every)
        tl.append(early, later, fix, strict=False)
        if warm:
            tl.state(OrderView)
        assert tl.state(OrderView) == ("b", "a")
        assert tl.state(OrderView, at="2020-01-01") == ("b", "a")
        # Before the correction was known, a replays as first reported: first.
        assert tl.state(OrderView, known_at="2021-06-01") == ("a", "b")


def test_a_replacement_without_a_report_is_known_when_the_original_was_stored_not_the_fix() -> (
    None
):
    """The original stored on 1 January 2024, its correction a year later: the bare
    replacement is known from 2024-01-01 (the original's ``recorded_at``), so it
    replays before a record reported in June 2024, not after it."""
    now = [pendulum.datetime(2024, 1, 1, tz="UTC")]
    early = attack("a", "2020-01-01", published="2020-01-02")
    b = attack("b", "2020-01-01", published="2021-01-01")
    c = attack("c", "2020-01-01", published="2024-06-01")
    fix = Correction(
        id="fix",
        occurred="2022-01-01",
        sources=(Source(publisher="Monitor", published="2022-01-01"),),
        corrects="a",
        replacement=attrs.evolve(early, sources=(), reported=None),
    )
    for every, warm in ((10**9, False), (1, True)):
        now[0] = pendulum.datetime(2024, 1, 1, tz="UTC")
        tl = Timeline(MemoryStore(clock=lambda: now[0]), checkpoint_every=every)
        tl.append(early, b, c)
        now[0] = pendulum.datetime(2025, 1, 1, tz="UTC")
        tl.append(fix)
        if warm:
            tl.state(OrderView)
        assert tl.state(OrderView) == ("b", "a", "c")
        assert tl.state(OrderView, known_at="2024-12-31") == ("b", "a", "c")
        assert tl.state(OrderView, as_of=4) == ("b", "a", "c")


def test_a_correction_restating_the_original_brings_a_retracted_record_back() -> None:
    """claims.md: "the latest fix of a record wins, so ... a correction restating the
    original brings a retracted record back". Retracted on 1 March, restated on 1
    April: gone only while the retraction is the latest known fix, in either append
    order of the two fixes."""
    raid = attack("raid", "2024-01-20")
    other = attack("other", "2024-01-10")
    gone = Retraction(
        id="gone",
        occurred="2024-03-01",
        sources=(Source(publisher="Monitor", published="2024-03-01"),),
        retracts="raid",
    )
    back = moved("back", raid, "2024-04-01", "2024-01-20")
    for fixes in ((gone, back), (back, gone)):
        for tl in timelines(raid, other, *fixes):
            both = (("other", "2024-01-10"), ("raid", "2024-01-20"))
            assert tl.state(DayView, known_at="2024-02-29") == both
            assert tl.state(DayView, known_at="2024-03-31") == (("other", "2024-01-10"),)
            assert tl.state(DayView, known_at="2024-04-01") == both
            assert tl.state(DayView) == both


def test_the_latest_known_correction_decides_and_a_retraction_withdraws() -> None:
    """For each record the correction or retraction known latest under the cuts (by its
    ``reported`` earliest instant, then its last, then the larger id) decides how it is
    replayed; a retraction withdraws it from its report on; before any is known (or
    before it was stored, for ``as_of``) the record replays as appended."""
    raid = attack("raid", "2024-01-20")
    other = attack("other", "2024-01-10")
    c1 = moved("c1", raid, "2024-02-01", "2024-01-05")
    c2 = moved("c2", raid, "2024-02-01", "2024-01-25")  # same report: the larger id wins
    c0 = moved("c0", raid, "2024-02", "2024-01-03")  # reported some day of February
    gone = Retraction(
        id="gone",
        occurred="2024-03-01",
        sources=(Source(publisher="Monitor", published="2024-03-01"),),
        retracts="raid",
    )
    for tl in timelines(raid, other, c1, c2, c0, gone):  # positions 1..6
        assert tl.state(DayView, known_at="2024-01-31") == (
            ("other", "2024-01-10"),
            ("raid", "2024-01-20"),
        )
        # c0, c1 and c2 start being known on 1 February; c0's report lasts longer.
        assert tl.state(DayView, known_at="2024-02-01") == (
            ("raid", "2024-01-03"),
            ("other", "2024-01-10"),
        )
        # Under certain, c0 is not known until its month is over: c2 beats c1 by id.
        assert tl.state(DayView, known_at="2024-02-01", certainty="certain") == (
            ("other", "2024-01-10"),
            ("raid", "2024-01-25"),
        )
        assert tl.state(DayView, known_at="2024-02-29", certainty="certain") == (
            ("raid", "2024-01-03"),
            ("other", "2024-01-10"),
        )
        assert tl.state(DayView, known_at="2024-03-01") == (("other", "2024-01-10"),)
        assert tl.state(DayView) == (("other", "2024-01-10"),)
        assert tl.state(DayView, as_of=2) == (("other", "2024-01-10"), ("raid", "2024-01-20"))
        assert tl.state(DayView, as_of=3) == (("raid", "2024-01-05"), ("other", "2024-01-10"))
        assert tl.state(DayView, as_of=4) == (("other", "2024-01-10"), ("raid", "2024-01-25"))
        assert tl.state(DayView, as_of=5) == (("raid", "2024-01-03"), ("other", "2024-01-10"))
        # ``at`` reads the corrected version's time.
        assert tl.state(DayView, known_at="2024-02-01", at="2024-01-04") == (
            ("raid", "2024-01-03"),
        )
        assert tl.state(DayView, as_of=4, at="2024-01-20") == (("other", "2024-01-10"),)
        assert tl.state(DayView, as_of=4, at="2024-01-25", certainty="certain") == (
            ("other", "2024-01-10"),
            ("raid", "2024-01-25"),
        )


def test_records_appended_into_the_past_invalidate_only_the_later_checkpoints() -> None:
    """On a warm timeline (a checkpoint at every entry), records and corrections
    appended later but placed earlier in replay order are replayed in their place:
    the states after them are not resumed from."""
    days = [attack(f"a{d:02d}", f"2024-01-{d:02d}") for d in range(1, 11)]
    ids = tuple(a.id for a in days)
    for every in (1, 2, 3):
        tl = Timeline(checkpoint_every=every)
        tl.append(*days)
        assert tl.state(OrderView) == ids
        assert tl.state(OrderView, at="2024-01-05") == ids[:5]
        tl.append(attack("b", "2024-01-03"))
        assert tl.state(OrderView, at="2024-01-02") == ids[:2]
        assert tl.state(OrderView, at="2024-01-05") == (*ids[:3], "b", *ids[3:5])
        assert tl.state(OrderView) == (*ids[:3], "b", *ids[3:])
        tl.append(moved("c", days[8], "2024-02-01", "2024-01-02"))  # a09 to 2 January
        assert tl.state(OrderView, at="2024-01-01") == ids[:1]
        assert tl.state(OrderView) == (*ids[:2], "a09", ids[2], "b", *ids[3:8], ids[9])
        assert tl.state(OrderView, known_at="2024-01-31") == (*ids[:3], "b", *ids[3:])
        tl.append(moved("d", days[0], "2024-02-02", "2024-01-09"))  # a01 to 9 January
        assert tl.state(OrderView, at="2024-01-02") == (ids[1], "a09")
        assert tl.state(OrderView) == (ids[1], "a09", ids[2], "b", *ids[3:8], "a01", ids[9])
        assert tl.state(OrderView, known_at="2024-02-01") == (
            *ids[:2],
            "a09",
            ids[2],
            "b",
            *ids[3:8],
            ids[9],
        )


def test_a_series_is_the_state_at_each_step_under_every_cut() -> None:
    """``series`` answers each step as ``state`` at that step's end would."""
    a, b = attack("a", "2024-01-01"), attack("b", "2024-01-02", published="2024-01-04")
    c = attack("c", "2024-01-03")
    for tl in timelines(a, b, c):
        steps = tl.series(OrderView, "2024-01-01", "2024-01-04")
        assert [p.value for p in steps] == [
            ("a",),
            ("a", "b"),
            ("a", "b", "c"),
            ("a", "b", "c"),
        ]
        known = tl.series(OrderView, "2024-01-01", "2024-01-04", known_at="2024-01-03")
        assert [p.value for p in known] == [("a",), ("a",), ("a", "c"), ("a", "c")]
        stored = tl.series(OrderView, "2024-01-01", "2024-01-04", as_of=2)
        assert [p.value for p in stored] == [("a",), ("a", "b"), ("a", "b"), ("a", "b")]
        sure = tl.series(OrderView, "2024-01-01", "2024-01-04", certainty="certain")
        assert [p.value for p in sure] == [("a",), ("a", "b"), ("a", "b", "c"), ("a", "b", "c")]
        sure = tl.series(
            OrderView, "2024-01-01", "2024-01-04", known_at="2024-01-03", certainty="certain"
        )
        assert [p.value for p in sure] == [("a",), ("a",), ("a", "c"), ("a", "c")]


def test_a_series_step_holds_a_record_at_its_last_instant_under_every_cut() -> None:
    """semantics.md: a date as a cut is the last microsecond of that day, inclusive; a
    series step is the state at its end, so a record at 23:59:59.999999 of a step's day
    is in that step, open or under ``known_at``/``as_of``, as in ``state(at=day)``."""
    a = attack("a", "2024-01-01")
    late = attack("late", "2024-01-02T23:59:59.999999Z", published="2024-01-03")
    for tl in timelines(a, late):
        assert tl.state(OrderView, at="2024-01-02") == ("a", "late")
        for cut in ({}, {"known_at": "2024-01-05"}, {"as_of": 2}):
            steps = tl.series(OrderView, "2024-01-01", "2024-01-03", **cut)
            assert [p.value for p in steps] == [("a",), ("a", "late"), ("a", "late")], cut


def test_a_bulk_append_into_the_past_invalidates_the_later_checkpoints() -> None:
    """The same rule for an append of many rows at once (512 or more are taken in as a
    block): a correction in it that moves an early record later is replayed in its
    place, and no checkpoint after its old place is resumed from."""
    days = [attack(f"a{d:02d}", f"2024-01-{d:02d}") for d in range(1, 29)]
    later = [attack(f"z{i:04d}", "2024-03-01") for i in range(600)]
    fix = moved("c", days[0], "2024-02-01", "2024-01-20")  # a01 to 20 January
    warm = Timeline(checkpoint_every=4)
    warm.append(*days)
    warm.state(OrderView)
    warm.append(*later, fix)
    cold = Timeline(checkpoint_every=10**9)
    cold.append(*days, *later, fix)
    expected = tuple(f"a{d:02d}" for d in range(2, 11))  # a01 now lies after 10 January
    assert cold.state(OrderView, at="2024-01-10") == expected
    assert warm.state(OrderView, at="2024-01-10") == expected
    assert warm.state(OrderView) == cold.state(OrderView)


def test_a_certain_series_counts_at_each_step_only_what_was_over_by_then() -> None:
    """A month's record possibly happened by every day of it, certainly only by its
    last: a series under ``certainty="certain"`` (with or without a knowledge cut)
    holds it from the step of 31 January on."""
    month = attack("m", "2024-01", published="2024-01-01")
    for tl in timelines(month):
        steps = tl.series(OrderView, "2024-01-30", "2024-02-01")
        assert [p.value for p in steps] == [("m",), ("m",), ("m",)]
        sure = tl.series(OrderView, "2024-01-30", "2024-02-01", certainty="certain")
        assert [p.value for p in sure] == [(), ("m",), ("m",)]
        known = tl.series(
            OrderView, "2024-01-30", "2024-02-01", known_at="2024-01-15", certainty="certain"
        )
        assert [p.value for p in known] == [(), ("m",), ("m",)]


def test_a_knowledge_cut_past_an_unsettled_record_still_reads_the_earliest_report() -> None:
    """Past the first record a ``known_at`` cut does not see yet (where it stops
    resuming from the full list's checkpoints), a record still counts as known from
    the first instant of its ``reported`` (the last, under ``certainty="certain"``)."""
    unknown = attack("unknown", "2024-01-03", published="2024-03-01")
    month = attack("month", "2024-01-10", published="2024-02")  # some day of February
    day = attack("day", "2024-01-12", published="2024-01-12")
    for tl in timelines(unknown, month, day):
        assert tl.state(OrderView, known_at="2024-02-01") == ("month", "day")
        assert tl.state(OrderView, known_at="2024-02-01", at="2024-01-11") == ("month",)
        assert tl.state(OrderView, known_at="2024-02-01", certainty="certain") == ("day",)
        assert tl.state(OrderView, known_at="2024-02-29", certainty="certain") == (
            "month",
            "day",
        )
        assert tl.state(OrderView, known_at="2024-03-01") == ("unknown", "month", "day")


def test_the_valid_time_cut_is_inclusive_for_a_record_a_known_correction_moved() -> None:
    """``at`` names an inclusive instant: a record whose known version starts exactly
    at it is replayed, also when a correction known only later moves it again (the
    record is not settled by the knowledge cut)."""
    raid = attack("raid", "2024-01-20")
    a24, a25 = attack("a24", "2024-01-24"), attack("a25", "2024-01-25")
    first = moved("c1", raid, "2024-02-01", "2024-01-25")
    then = moved("c2", raid, "2024-03-01", "2024-01-27")
    instant = "2024-01-25T00:00:00+00:00"
    for tl in timelines(raid, a24, a25, first, then):
        # Replay order: the raid keeps its report of 20 January, so it comes first.
        assert tl.state(OrderView, known_at="2024-02-15", at=instant) == ("a24", "raid", "a25")
        assert tl.state(OrderView, as_of=4, at=instant) == ("a24", "raid", "a25")
        before = "2024-01-24T23:59:59.999999+00:00"
        assert tl.state(OrderView, known_at="2024-02-15", at=before) == ("a24",)
        assert tl.state(OrderView, known_at="2024-03-01", at=instant) == ("a24", "a25")
        assert tl.state(OrderView, at=instant) == ("a24", "a25")  # the raid is on the 27th
        assert tl.state(OrderView, at="2024-01-27T00:00:00+00:00") == ("a24", "a25", "raid")
