"""Checkpoints, series and the forms a query's cuts accept (issue 4, points 2, 4 and 6).

The engine keeps view snapshots along valid time. Whatever the checkpoint spacing, the
order of queries, or records appended into the past between queries, its answers must
equal a replay from scratch; and appending into the recent past must not re-fold
everything.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    ActiveCommitments,
    ActorDefined,
    Agreements,
    Attack,
    CasualtyEstimates,
    CommitmentHistory,
    Correction,
    Gazetteer,
    MemoryStore,
    OpenRequests,
    Query,
    QueryError,
    Recorded,
    ReportedViolations,
    RequestLog,
    Source,
    TimeExtent,
    Timeline,
    TriggeredCommitments,
    View,
)
from conflict_timeline.datasets import karabakh_oct_2020
from conflict_timeline.strategies import timelines

VIEWS = (
    ActiveCommitments,
    Agreements,
    CommitmentHistory,
    ReportedViolations,
    TriggeredCommitments,
    OpenRequests,
    RequestLog,
    CasualtyEstimates,
    Gazetteer,
)
EPOCH = pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC)
cuts = st.integers(
    min_value=int(pendulum.datetime(1990, 1, 1, tz="UTC").timestamp() * 1_000_000),
    max_value=int(pendulum.datetime(2030, 1, 1, tz="UTC").timestamp() * 1_000_000),
).map(lambda us: EPOCH.add(microseconds=us))
PROFILE = settings(
    max_examples=60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def clock() -> _dt.datetime:
    return pendulum.datetime(2024, 1, 1, tz="UTC")


def fresh(records: Sequence[Any]) -> Timeline:
    """No checkpoints at all: every query is a full replay."""
    tl = Timeline(MemoryStore(clock=clock), checkpoint_every=10**9)
    tl.append(*records, strict=False)
    return tl


@PROFILE
@given(
    records=timelines(min_size=2, max_size=30),
    every=st.integers(1, 4),
    data=st.data(),
)
def test_checkpointed_answers_equal_a_full_replay(
    records: list[Any], every: int, data: st.DataObject
) -> None:
    """Queries in any order, with batches appended in between (often into the past)."""
    split = data.draw(st.integers(1, len(records)))
    tl = Timeline(MemoryStore(clock=clock), checkpoint_every=every)
    view = data.draw(st.sampled_from(VIEWS))
    for batch in (records[:split], records[split:]):
        tl.append(*batch, strict=False)
        for when in data.draw(st.lists(cuts, min_size=1, max_size=4)):
            reference = fresh([r.record for r in tl.read()])
            assert tl.state(view, at=when) == reference.state(view, at=when)
        assert tl.state(view) == fresh([r.record for r in tl.read()]).state(view)


class CountingView(View[int, int]):
    """Counts how many records it is asked to fold, across every instance."""

    kinds: ClassVar[frozenset[str] | None] = None
    applied: ClassVar[int] = 0

    def initial(self) -> int:
        return 0

    def apply(self, state: int, recorded: Recorded) -> int:
        del recorded
        CountingView.applied += 1
        return state + 1


def daily_attacks(days: int) -> list[Any]:
    src = (Source(publisher="Example Monitor", published="2024-12-31"),)
    start = pendulum.date(2024, 1, 1)
    return [
        Attack(
            id=f"a{i}",
            occurred=TimeExtent.parse(start.add(days=i).isoformat()),
            sources=src,
            perpetrator=None,
            target_class="military",
        )
        for i in range(days)
    ]


def reported_daily(days: int, start: pendulum.Date | None = None) -> list[Attack]:
    """An attack a day from ``start`` (1 January 2024), each reported that day."""
    first = start or pendulum.date(2024, 1, 1)
    return [
        Attack(
            id=f"a{i}",
            occurred=first.add(days=i).isoformat(),
            sources=(Source(publisher="Monitor", published=first.add(days=i).isoformat()),),
            perpetrator=None,
            target_class="military",
        )
        for i in range(days)
    ]


def released(attacks: list[Attack], day: str) -> list[Correction]:
    """A release published on ``day`` that corrects each of ``attacks`` (a re-import:
    every correction known at one instant)."""
    release = (Source(publisher="Monitor", published=day),)
    return [
        Correction(
            id=f"c{a.id}",
            occurred=day,
            sources=release,
            corrects=a.id,
            replacement=attrs.evolve(a, target_class="civilian"),
        )
        for a in attacks
    ]


def test_a_record_in_the_recent_past_refolds_only_the_tail() -> None:
    tl = Timeline(checkpoint_every=16)
    tl.append(*daily_attacks(300))
    assert tl.state(CountingView, at="2024-12-31") == 300
    CountingView.applied = 0
    assert tl.state(CountingView, at="2024-12-31") == 300
    assert CountingView.applied < 16  # warm: from the nearest checkpoint

    late = Attack(id="late", occurred="2024-10-20", perpetrator=None, target_class="unknown")
    tl.append(late)  # occurred near the end: checkpoints before it stay valid
    CountingView.applied = 0
    assert tl.state(CountingView, at="2024-12-31") == 301
    assert CountingView.applied < 16 + 80

    early = Attack(id="early", occurred="2024-01-02", perpetrator=None, target_class="unknown")
    tl.append(early)  # near the start: almost every checkpoint is invalidated
    CountingView.applied = 0
    assert tl.state(CountingView, at="2024-12-31") == 302
    assert CountingView.applied > 250


def test_a_knowledge_cut_resumes_from_the_checkpoints_where_it_agrees() -> None:
    """``known_at``: the records settled by then (reported, with every correction or
    retraction of them known) replay as in the full list, so the query resumes from
    the checkpoint before the first that is not and folds only what follows."""
    start = pendulum.date(2024, 1, 1)
    attacks = reported_daily(300, start)
    tl = Timeline(checkpoint_every=16)
    tl.append(*attacks)
    assert tl.state(CountingView) == 300  # warm: checkpoints along the whole list
    CountingView.applied = 0
    # Reported on the day they occurred: 182 days of 2024 are known by 30 June.
    assert tl.state(CountingView, known_at="2024-06-30") == 182
    assert CountingView.applied < 16 + 1
    CountingView.applied = 0
    assert tl.state(CountingView, known_at="2024-06-30", at="2024-03-31") == 91
    assert CountingView.applied < 16 + 1


def test_a_record_time_cut_resumes_from_the_checkpoints_where_it_agrees() -> None:
    """``as_of``: a record settles on store position when it and every correction or
    retraction of it are stored by then, so a cut at a position after which only later
    records were appended is a prefix of the full list: it resumes from a checkpoint.
    A record appended later into the past makes the cut resume before it."""
    attacks = daily_attacks(300)
    tl = Timeline(checkpoint_every=16)
    tl.append(*attacks[:200])
    tl.append(*attacks[200:])  # positions 201..300: the days after the first 200
    assert tl.state(CountingView) == 300  # warm: checkpoints along the whole list
    CountingView.applied = 0
    assert tl.state(CountingView, as_of=200) == 200
    assert CountingView.applied < 16 + 1
    CountingView.applied = 0
    assert tl.state(CountingView, as_of=300, at="2024-03-31") == 91
    assert CountingView.applied < 16 + 1
    early = Attack(id="early", occurred="2024-01-06", perpetrator=None, target_class="unknown")
    tl.append(early)  # position 301, replayed sixth
    assert tl.state(CountingView) == 301
    CountingView.applied = 0
    assert tl.state(CountingView, as_of=300) == 300
    # The entries before "early" agree; every one after it is folded again.
    assert 300 - 5 <= CountingView.applied < 300 - 5 + 16
    CountingView.applied = 0
    # At its own position (the cut is inclusive) "early" has settled: no refold.
    assert tl.state(CountingView, as_of=301) == 301
    assert CountingView.applied < 16 + 1


def test_a_certain_cut_resumes_from_the_checkpoints_where_it_agrees() -> None:
    """``certainty="certain"`` with ``at``: the entries before the first whose extent
    may end after ``at`` have all certainly happened by then, so the cut resumes from
    the checkpoint before that entry and folds only what follows and certainly
    happened."""
    month = Attack(id="m", occurred="2024-03", perpetrator=None, target_class="unknown")
    tl = Timeline(checkpoint_every=16)
    tl.append(*daily_attacks(300), month)
    assert tl.state(CountingView) == 301
    CountingView.applied = 0
    # Every day up to 30 June, and March as a whole: all certainly happened.
    assert tl.state(CountingView, at="2024-06-30", certainty="certain") == 182 + 1
    assert CountingView.applied < 16 + 1
    CountingView.applied = 0
    # By the end of 31 March (the last instant of March and of that day) all had.
    assert tl.state(CountingView, at="2024-03-31", certainty="certain") == 91 + 1
    assert CountingView.applied < 16 + 1
    CountingView.applied = 0
    # By 15 March, March as a whole had not certainly happened: 75 days, not March.
    # Its entry (1 March, the 61st) is where the cut stops agreeing with the full list.
    assert tl.state(CountingView, at="2024-03-15", certainty="certain") == 75
    assert 75 - 60 <= CountingView.applied < 75 - 60 + 16
    # A month-precise record appended later, at the start of the list: the cut now
    # stops agreeing there.
    tl.append(Attack(id="j", occurred="2024-01", perpetrator=None, target_class="unknown"))
    CountingView.applied = 0
    assert tl.state(CountingView, at="2024-01-15", certainty="certain") == 15
    assert tl.state(CountingView, at="2024-01-31", certainty="certain") == 31 + 1


def test_cuts_before_a_release_fold_its_era_once() -> None:
    """Every record corrected at once, later (a re-imported release): a ``known_at``
    cut before the release parts from the full list at its first record, so it folds
    the list as known just before the release (its era) instead, once, and later
    cuts in that era resume from the era's own checkpoints (the tail is long enough
    for an era: over `Engine.era_tail` entries and a quarter of the list). A record appended since
    is in the next answer: the era is made again."""
    start = pendulum.date(2024, 1, 1)
    attacks = reported_daily(700, start)  # 1 January 2024 to 30 November 2025
    corrections = released(attacks, "2026-01-01")
    tl = Timeline(checkpoint_every=16)
    tl.append(*attacks, *corrections)
    assert tl.state(CountingView) == 700  # warm
    CountingView.applied = 0
    assert tl.state(CountingView, known_at="2025-06-30") == 547  # to 30 June 2025
    assert CountingView.applied == 547  # the era's list, folded once up to the cut
    CountingView.applied = 0
    assert tl.state(CountingView, known_at="2025-06-29") == 546
    assert CountingView.applied < 16 + 1  # from the era's checkpoints
    late = Attack(
        id="late",
        occurred="2024-03-01",
        sources=(Source(publisher="Monitor", published="2024-03-01"),),
        perpetrator=None,
        target_class="military",
    )
    tl.append(late)
    assert tl.state(CountingView, known_at="2025-06-29") == 547


def test_an_era_starts_from_the_checkpoints_where_its_list_agrees() -> None:
    """An era's list is the full list up to its first record the release revised: its
    first question folds from the checkpoint before that record, as a question
    without eras would, not from the start; so does the first after an append (which
    drops the eras)."""
    start = pendulum.date(2020, 1, 1)
    attacks = reported_daily(2000, start)
    corrections = released(attacks[1000:], "2030-01-01")  # the second half only
    tl = Timeline(checkpoint_every=16)
    tl.append(*attacks, *corrections)
    assert tl.state(CountingView) == 2000  # warm
    cut = start.add(days=1899).isoformat()
    CountingView.applied = 0
    assert tl.state(CountingView, known_at=cut) == 1900
    assert CountingView.applied <= 900 + 16  # from a1000's checkpoint on
    CountingView.applied = 0
    assert tl.state(CountingView, known_at=start.add(days=1898).isoformat()) == 1899
    assert CountingView.applied <= 16  # from the era's checkpoints
    tl.append(
        Attack(
            id="z",
            occurred="2031-01-01",
            sources=(Source(publisher="Monitor", published="2031-01-01"),),
            perpetrator=None,
            target_class="military",
        )
    )
    CountingView.applied = 0
    assert tl.state(CountingView, known_at=cut) == 1900
    assert CountingView.applied <= 900 + 16
    # A record of a kind the view does not read changes none of its lists: the era
    # stays, and the next question in it resumes from the era's checkpoints.
    assert tl.state(AttacksOnly) == 2001  # warm
    assert tl.state(AttacksOnly, known_at=cut) == 1900  # its era is made
    tl.append(ActorDefined(id="monitor", name="A monitor", actor_kind="organization"))
    AttacksOnly.applied = 0
    assert tl.state(AttacksOnly, known_at=start.add(days=1898).isoformat()) == 1899
    assert AttacksOnly.applied <= 16


class AttacksOnly(CountingView):
    """CountingView, reading attacks only."""

    kinds: ClassVar[frozenset[str] | None] = frozenset({"Attack"})

    def apply(self, state: int, recorded: Recorded) -> int:
        del recorded
        AttacksOnly.applied += 1
        return state + 1


class OrderView(View[tuple[str, ...], tuple[str, ...]]):
    """The ids a fold replays, in its order."""

    def initial(self) -> tuple[str, ...]:
        return ()

    def apply(self, state: tuple[str, ...], recorded: Recorded) -> tuple[str, ...]:
        return (*state, recorded.id)


def test_a_knowledge_cut_replays_a_record_where_its_known_correction_puts_it() -> None:
    """A raid first dated 20 January is corrected on 1 February to 5 January and on
    1 March to 25 January. Known by 15 February it replays among the 5 January
    records (after the attack of that day: replay order is occurred, then reported,
    then id, and the correction left its report of 20 January); known by 15 March,
    among the 25 January ones (before that day's attack); uncorrected by 25 January,
    on the 20th after that day's attack (ids break the tie); on a warm timeline with
    a checkpoint at every record as on a cold one."""

    def attack(aid: str, day: str) -> Attack:
        return Attack(
            id=aid,
            occurred=day,
            sources=(Source(publisher="Monitor", published=day),),
            perpetrator=None,
            target_class="military",
        )

    days = [attack(f"a{d:02d}", f"2024-01-{d:02d}") for d in range(1, 31)]
    raid = attack("raid", "2024-01-20")  # reported on 20 January, whatever it is moved to

    def moved(cid: str, published: str, day: str) -> Correction:
        return Correction(
            id=cid,
            occurred=published,
            sources=(Source(publisher="Monitor", published=published),),
            corrects="raid",
            replacement=attrs.evolve(raid, occurred=TimeExtent.parse(day)),
        )

    first, then = moved("c1", "2024-02-01", "2024-01-05"), moved("c2", "2024-03-01", "2024-01-25")
    ids = [a.id for a in days]
    want_feb = (*ids[:5], "raid", *ids[5:])  # a01..a05, raid, a06..
    want_mar = (*ids[:24], "raid", *ids[24:])  # a01..a24, raid, a25..
    for warm in (False, True):
        tl = Timeline(checkpoint_every=1)
        tl.append(*days, raid, first, then)
        if warm:
            tl.state(OrderView)
        assert tl.state(OrderView, known_at="2024-02-15") == want_feb
        assert tl.state(OrderView, known_at="2024-03-15") == want_mar
        assert tl.state(OrderView, known_at="2024-01-25") == (*ids[:20], "raid", *ids[20:25])


def test_a_series_folds_each_record_once_not_once_per_step() -> None:
    tl = Timeline()
    tl.append(*daily_attacks(200))
    CountingView.applied = 0
    series = tl.series(CountingView, "2024-01-01", "2024-07-18", every="day")
    assert len(series) == 200
    assert [p.value for p in series] == list(range(1, 201))
    assert CountingView.applied <= 200  # a replay per step would be 20,100


def test_a_series_under_a_knowledge_cut_starts_from_a_checkpoint() -> None:
    """A series under ``known_at`` or ``as_of`` resumes its first step from the
    checkpoints where the cut agrees with the full list, then folds each record the
    cut sees once; a record the cut does not see is in no step."""
    start = pendulum.date(2024, 1, 1)
    attacks = reported_daily(300, start)
    tl = Timeline(checkpoint_every=16)
    tl.append(*attacks[:200])  # 1 January to 18 July, at positions 1..200
    tl.append(*attacks[200:])
    assert tl.state(CountingView) == 300  # warm
    june = [153 + day for day in range(10)]  # 1 to 10 June, each reported that day
    for cut, want in (
        ({"known_at": "2024-12-31"}, june),
        ({"known_at": "2024-06-05"}, [min(n, 157) for n in june]),
        ({"known_at": "2024-05-20"}, [141] * 10),  # to 20 May: 141 days
        ({"as_of": 300}, june),
        ({"as_of": 160}, [min(n, 160) for n in june]),  # to 8 June: 160 days
        ({"as_of": 140}, [140] * 10),
    ):
        CountingView.applied = 0
        series = tl.series(CountingView, "2024-06-01", "2024-06-10", every="day", **cut)
        assert [p.value for p in series] == want, cut
        assert CountingView.applied < 16 + 10, cut


def test_a_series_steps_through_calendar_periods_in_the_zone() -> None:
    tl = Timeline()
    tl.append(*daily_attacks(60))
    months = tl.series(CountingView, "2024-01-15", "2024-03-01", every="month", tz="Europe/Paris")
    assert [str(p.period) for p in months] == [
        "2024-01 (month, Europe/Paris)",
        "2024-02 (month, Europe/Paris)",
        "2024-03 (month, Europe/Paris)",
    ]
    assert [p.value for p in months] == [31, 60, 60]
    # ``every`` is one of hour, day, week, month, year: a step pendulum knows but the
    # series does not offer (a minute, a quarter) is refused like one it does not.
    for step in ("fortnight", "minute", "quarter", "days"):
        with pytest.raises(
            QueryError, match=f"^every must be one of hour, day, week, month, year, got '{step}'$"
        ):
            tl.series(CountingView, "2024-01-01", "2024-02-01", every=step)


# ------------------------------------------------------------ forms of a cut

SEED = karabakh_oct_2020()


@pytest.fixture(scope="module")
def seed() -> Timeline:
    tl = Timeline()
    tl.append(*SEED)
    return tl


YEREVAN_END_OF_30 = "2020-10-30T23:59:59.999999+04:00"


@pytest.mark.parametrize(
    "known_at",
    [
        "2020-10-30",  # a date: the end of that day in tz
        YEREVAN_END_OF_30,  # an ISO instant with an offset
        _dt.datetime.fromisoformat(YEREVAN_END_OF_30),  # an aware stdlib datetime
        pendulum.parse(YEREVAN_END_OF_30),  # a pendulum DateTime
        _dt.date(2020, 10, 30),  # a date object
        TimeExtent.parse("2020-10-30", tz="Asia/Yerevan"),  # an extent: its end
    ],
    ids=["date-string", "iso-instant", "stdlib-datetime", "pendulum", "date", "extent"],
)
def test_cuts_accept_every_form_of_a_date(seed: Timeline, known_at: object) -> None:
    found = seed.state(ActiveCommitments, at="2020-10-31", known_at=known_at, tz="Asia/Yerevan")
    assert found.ids() == ("pact-1997",)
    assert found.query.known_at == seed.query(known_at="2020-10-30", tz="Asia/Yerevan").known_at


def test_one_microsecond_later_the_report_is_known(seed: Timeline) -> None:
    found = seed.state(ActiveCommitments, known_at="2020-10-31T00:00:00Z", tz="Asia/Yerevan")
    assert found.ids() == ("pact-1997", "civilian-protection", "russia-pledge")
    before = seed.state(ActiveCommitments, known_at="2020-10-30T23:59:59.999999Z")
    assert before.ids() == ("pact-1997",)


def test_a_naive_datetime_is_refused_naming_the_cut(seed: Timeline) -> None:
    assert issubclass(QueryError, ValueError)
    with pytest.raises(QueryError, match=r"^at: cut '2020-10-31T00:00:00' is naive"):
        seed.state(ActiveCommitments, at=_dt.datetime(2020, 10, 31))
    with pytest.raises(QueryError, match=r"^known_at: cannot parse time 'yesterday'"):
        seed.state(ActiveCommitments, known_at="yesterday")


def test_bad_query_arguments_are_refused(seed: Timeline) -> None:
    with pytest.raises(QueryError, match=r"tz: unknown timezone 'Mars/Olympus'"):
        seed.state(ActiveCommitments, at="2020-10-31", tz="Mars/Olympus")
    with pytest.raises((QueryError, ValueError), match="as_of"):
        seed.state(ActiveCommitments, as_of=-1)
    # True == 1 in Python, but a position is a whole number, not a bool (store.md).
    for bad in (True, 2.0, "2"):
        with pytest.raises(QueryError, match=r"^as_of must be a store position"):
            seed.state(ActiveCommitments, as_of=bad)  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="checkpoint_every must be at least 1, got 0"):
        Timeline(checkpoint_every=0)


def test_an_absent_extent_never_happened_under_any_cut() -> None:
    """``Query.happened``: an absent extent (an open ``until``) never happened; with no
    ``at`` cut, every extent has."""
    month = TimeExtent.parse("2020-10")
    mid = TimeExtent.parse("2020-10-15").last
    for certainty in ("possible", "certain"):
        assert not Query(certainty=certainty).happened(None)
        assert not Query(at=mid, certainty=certainty).happened(None)
        assert Query(certainty=certainty).happened(month)
    assert Query(at=mid).happened(month)
    assert not Query(at=mid, certainty="certain").happened(month)


def test_as_of_replays_only_the_store_prefix(seed: Timeline) -> None:
    pact = seed.get("pact-1997").position
    assert seed.state(ActiveCommitments, as_of=pact).ids() == ("pact-1997",)
    assert seed.state(ActiveCommitments, as_of=pact - 1).ids() == ()


def test_certainty_certain_counts_only_what_certainly_happened(seed: Timeline) -> None:
    possible = seed.state(ActiveCommitments, at="2020-10-15", tz="Asia/Yerevan")
    certain = seed.state(
        ActiveCommitments, at="2020-10-15", certainty="certain", tz="Asia/Yerevan"
    )
    assert possible.ids() == ("pact-1997", "civilian-protection")  # dated 27 Sep..31 Oct
    assert certain.ids() == ("pact-1997",)


def test_results_are_immutable(seed: Timeline) -> None:
    found = seed.state(ActiveCommitments, at="2020-10-31")
    with pytest.raises(AttributeError):
        found.items = ()  # type: ignore[misc]
    first = found.items[0]
    with pytest.raises(AttributeError):
        first.id = "other"  # type: ignore[misc]
    assert isinstance(found.items, tuple)


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_a_live_view_stays_current_on_every_append(backend: str, tmp_path: Path) -> None:
    tl = Timeline() if backend == "memory" else Timeline.open(tmp_path / "live.db")
    live = tl.live(ReportedViolations)
    counts = []
    for record in SEED:
        tl.append(record)
        counts.append(len(live.value))
        assert live.position == len(tl)
    assert counts[-1] == 3
    assert live.value == tl.state(ReportedViolations)
    fresh_tl = fresh(SEED)
    assert live.value == fresh_tl.state(ReportedViolations)
    tl.close()
