"""The engine's and the views' fast paths give what the plain paths give.

* Bulk sync: from ``_BULK_ROWS`` new rows, the engine rebuilds its replay order with
  one sort instead of one insertion per row; forced here for every append.
* ``ReportedViolations`` finds the attacks a new commitment may cover through an index
  by maker and week; forced here to weigh every attack instead, and compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    Accusation,
    ActiveCommitments,
    ActorDefined,
    Attack,
    Commitment,
    CommitmentEnded,
    Correction,
    MemoryStore,
    PlaceDefined,
    Query,
    Recorded,
    ReportedViolations,
    Retraction,
    Scope,
    Source,
    Timeline,
)
from conflict_timeline.errors import StoreError
from conflict_timeline.strategies import timelines
from conflict_timeline.views import _engine
from conflict_timeline.views import violations as _violations
from test_projection_properties import VIEWS, cuts, fixed_clock, load, reference

PROFILE = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROFILE
@given(
    records=st.one_of(
        timelines(min_size=1, max_size=25),
        # Corrections and retractions often: a fix may land before what it fixes.
        timelines(min_size=1, max_size=25, kinds=[Attack, Commitment, Correction, Retraction]),
    ),
    data=st.data(),
    view=st.sampled_from(VIEWS),
)
def test_bulk_sync_equals_the_reference_fold(
    records: list[Any], data: st.DataObject, view: Any
) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_engine, "_BULK_ROWS", 1)
        tl = Timeline(MemoryStore(clock=fixed_clock))
        live = tl.live(view)
        order = data.draw(st.permutations(records))
        when = data.draw(cuts)
        sizes = data.draw(st.lists(st.integers(1, 6), min_size=len(order), max_size=len(order)))
        start = 0
        for size in sizes:
            if start >= len(order):
                break
            tl.append(*order[start : start + size], strict=False)
            start += size
            # Checkpoints kept from earlier folds must be dropped where rows landed.
            assert tl.state(view, at=when) == reference(tl, view(), tl.query(at=when))
            assert live.value == reference(tl, view(), Query())


@PROFILE
def _every_attack(state: Any, commitment: Any) -> list[tuple[str, Any]]:
    """Every attack replayed so far, whoever made it and whenever it ended: what the
    log's groups and reach narrow down."""
    every = state.log.reaching(state.replayed, -(1 << 62))
    return [(logged.recorded.record.id, logged.recorded) for logged in every]


@given(
    records=timelines(
        max_size=40,
        kinds=[ActorDefined, PlaceDefined, Commitment, CommitmentEnded, Attack, Accusation],
    ),
    when=cuts,
)
def test_violations_index_equals_weighing_every_attack(records: list[Any], when: Any) -> None:
    indexed = load(records)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_violations, "_attacks_since", _every_attack)
        scanned = load(records)
        expected = (scanned.state(ReportedViolations), scanned.state(ReportedViolations, at=when))
    assert (indexed.state(ReportedViolations), indexed.state(ReportedViolations, at=when)) == (
        expected
    )


def test_a_commitment_replayed_after_an_attack_still_covers_it() -> None:
    """Backdated and coarse: the index must find attacks folded before the commitment."""
    records = [
        ActorDefined(id="state", name="State", actor_kind="state"),
        ActorDefined(id="army", name="Army", actor_kind="armed_force", affiliation="state"),
        ActorDefined(id="unit", name="Unit", actor_kind="armed_force", affiliation="army"),
        PlaceDefined(id="land", name="Land", place_kind="country"),
        PlaceDefined(id="town", name="Town", place_kind="town", parent="land"),
        # Made on 10 October, effective from 1 October: the attack of the 5th is in it.
        Attack(id="early", occurred="2020-10-05", perpetrator="unit", place="town"),
        # Known only to the month: it may have happened after the truce began.
        Attack(id="coarse", occurred="2020-10", perpetrator="unit", place="town"),
        Attack(id="before", occurred="2020-09-20", perpetrator="unit", place="town"),
        Attack(id="elsewhere", occurred="2020-10-06", perpetrator="unit"),
        Commitment(
            id="truce",
            occurred="2020-10-10",
            effective="2020-10-01",
            commitment_kind="ceasefire",
            parties=("state",),
            prohibits=("any_attack",),
            scope=Scope(include=("land",)),
        ),
    ]
    tl = load(records)
    found = {v.evidence for v in tl.state(ReportedViolations) if v.commitment == "truce"}
    assert found == {"early", "coarse"}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_violations, "_attacks_since", _every_attack)
        assert load(records).state(ReportedViolations) == tl.state(ReportedViolations)


class _LaggingStore(MemoryStore):
    """A store whose ``head`` says fewer records than its index rows then hand: an
    append (another thread's, another process's) landing between the two reads of an
    engine's sync."""

    lag = 0

    def head(self) -> int:
        return max(0, super().head() - self.lag)


def _index(tl: Timeline, view: Any) -> tuple[Any, ...]:
    tl.state(view)
    engine = tl._engine(view)
    return engine.rows, engine.fixes, engine.entries, engine.moved


@pytest.mark.parametrize("bulk", [1, 10**9])
def test_rows_past_the_head_a_sync_asked_for_are_taken_in_once(bulk: int) -> None:
    """The index after such a sync is the index of one read of each record: each
    correction listed once, and a record's own entry one object in ``rows`` and
    ``entries`` (the engine keeps one tuple a record)."""
    records = [
        Attack(id="a", occurred="2020-01-05"),
        Attack(id="b", occurred="2020-01-06"),
        Correction(
            id="fix",
            occurred="2020-02-01",
            corrects="a",
            replacement=Attack(id="a", occurred="2020-01-09"),
        ),
        Attack(id="c", occurred="2020-01-07"),
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_engine, "_BULK_ROWS", bulk)
        store = _LaggingStore(clock=fixed_clock)
        tl = Timeline(store)
        tl.append(*records[:3])
        store.lag = 2  # the sync asks for the head, then reads 2 rows past it
        tl.state(ReportedViolations)
        store.lag = 0
        tl.append(records[3])
        assert _index(tl, ReportedViolations) == _index(load(records), ReportedViolations)
        rows, _, entries, moved = _index(tl, ReportedViolations)
        assert all(rows[e.id] is e for e in entries if e.id not in moved)


@pytest.mark.parametrize("small", [True, False])
def test_a_small_view_answers_at_dates_from_the_records_its_fold_read(
    tmp_path: Any, small: bool
) -> None:
    """A view folding few entries (up to ``_SMALL_VIEW``) keeps the records its full
    fold decoded: questions at dates after it fold their tails past the checkpoints
    without reading the store again, and answer as a timeline opened afresh does."""
    days = [f"2020-{m:02d}-{d:02d}" for m in range(1, 13) for d in (3, 9, 15, 21, 27)]
    records: list[Any] = [
        ActorDefined(id="north", name="North", actor_kind="state"),
        ActorDefined(id="south", name="South", actor_kind="state"),
    ]
    records += [
        Commitment(
            id=f"truce-{i}",
            occurred=day,
            sources=(Source(publisher="Wire", published=day),),
            commitment_kind="ceasefire",
            parties=("north", "south"),
            until=days[min(i + 7, len(days) - 1)],
        )
        for i, day in enumerate(days)
    ]
    path = tmp_path / "t.db"
    with Timeline.open(path) as writer:
        writer.append(*records)
    asked = [f"2020-{m:02d}-{d:02d}T12:00:00+00:00" for m in range(1, 13) for d in (5, 18)]
    with Timeline.open(path, checkpoint_every=8) as fresh:
        expected = [[a.id for a in fresh.state(ActiveCommitments, at=at)] for at in asked]
    with pytest.MonkeyPatch.context() as mp:
        if not small:
            mp.setattr(_engine, "_SMALL_VIEW", 0)
        with Timeline.open(path, checkpoint_every=8) as tl:
            tl.state(ActiveCommitments)  # the full fold
            reads: list[int] = []
            fetch = tl.store.fetch

            def counted(positions: Any) -> Any:
                reads.append(len(positions))
                return fetch(positions)

            mp.setattr(tl.store, "fetch", counted)
            found = [[a.id for a in tl.state(ActiveCommitments, at=at)] for at in asked]
    assert found == expected
    assert (reads == []) is small, reads


def test_a_cuts_tail_is_kept_for_the_next_cut(tmp_path: Any) -> None:
    """A knowledge-time cut folds a tail past the last checkpoint its list shares with
    the full list. Its records are kept: the same cut again reads nothing from the
    store, a cut a few days later reads only records the first did not, and both
    answer as a timeline opened afresh does."""
    import pendulum

    start = pendulum.datetime(2020, 1, 1, tz="UTC")
    records: list[Any] = [
        ActorDefined(id="north", name="North", actor_kind="state"),
        ActorDefined(id="south", name="South", actor_kind="state"),
    ]
    for i in range(600):  # three a day, one reported thirty days later, two the next day
        day = start.add(days=i // 3)
        late = day.add(days=30 if i % 3 == 0 else 1)
        records.append(
            Commitment(
                id=f"truce-{i}",
                occurred=day.to_date_string(),
                sources=(Source(publisher="Wire", published=late.to_date_string()),),
                commitment_kind="ceasefire",
                parties=("north", "south"),
                until=day.add(days=60).to_date_string(),
            )
        )
    path = tmp_path / "t.db"
    with Timeline.open(path) as writer:
        writer.append(*records)
    cuts = [start.add(days=d, hours=12) for d in (150, 150, 153)]

    def answer(tl: Timeline, cut: Any) -> list[str]:
        return [a.id for a in tl.state(ActiveCommitments, known_at=cut, at=cut)]

    expected = []
    for cut in cuts:
        with Timeline.open(path, checkpoint_every=8) as fresh:
            expected.append(answer(fresh, cut))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_engine, "_SMALL_VIEW", 0)  # the full fold keeps nothing
        with Timeline.open(path, checkpoint_every=8) as tl:
            tl.state(ActiveCommitments)  # the full fold
            reads: list[set[int]] = []
            fetch = tl.store.fetch

            def counted(positions: Any) -> Any:
                reads[-1].update(positions)
                return fetch(positions)

            mp.setattr(tl.store, "fetch", counted)
            found = []
            for cut in cuts:
                reads.append(set())
                found.append(answer(tl, cut))
    assert found == expected
    assert all(found)
    first, again, later = reads
    assert len(first) > 4 * 8  # more than a small tail, which was always kept
    assert again == set()
    assert later
    assert not later & first


def test_a_store_whose_fetch_drops_a_record_is_refused_not_folded() -> None:
    """A fold reads a chunk with nothing cached as the store's ``fetch`` gives it (in
    the order asked, as the `Store` contract says); a store outside the contract that
    hands back fewer records than asked is refused with a `StoreError` naming it,
    instead of folding a short chunk."""

    class Short(MemoryStore):
        def fetch(self, positions: Sequence[int]) -> list[Recorded]:
            return super().fetch(positions)[:-1]

    store = Short(clock=fixed_clock)
    tl = Timeline(store)
    tl.append(
        ActorDefined(id="north", name="North", actor_kind="state"),
        Commitment(
            id="truce",
            occurred="2020-03-01",
            commitment_kind="ceasefire",
            parties=("north",),
            prohibits=("any_attack",),
        ),
        Attack(
            id="a1",
            occurred="2020-03-05",
            perpetrator="north",
            target_class="military",
            sources=(Source(publisher="Wire"),),
        ),
    )
    with pytest.raises(StoreError, match=r"Short\.fetch gave 2 records for 3 positions"):
        tl.state(ReportedViolations)
