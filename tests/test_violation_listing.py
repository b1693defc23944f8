"""`ReportedViolations` keeps its answer with the fold and orders large answers by rank.

The rules (docs/explanation/violations.md, "How an answer is listed"): the answer is
ordered by first report, then commitment, then basis (alleged, observed, candidate),
then evidence id, however it is produced; an answer of thousands of assessments is
placed by the rank of its keys, not sorted, and the ranks a view keeps never change an
answer, whatever was asked before. Every answer here is checked against the
independent oracle (tests/oracles/views.py), written from the rules over the stored
records.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import random
import threading
import time
from collections.abc import Iterator
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    Accusation,
    ActorDefined,
    Attack,
    Commitment,
    CommitmentEnded,
    Confirmation,
    Correction,
    Denial,
    MemoryStore,
    Observation,
    PlaceDefined,
    Query,
    ReportedViolations,
    Retraction,
    Timeline,
)
from conflict_timeline.strategies import timelines
from conflict_timeline.views import violations
from oracles import reported_violations
from rule_kit import wire

START = pendulum.datetime(2020, 1, 1, tz="UTC")
FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")


def _clock() -> _dt.datetime:
    return FIXED


def _day(offset: int) -> str:
    return START.add(days=offset).to_date_string()


def _setting() -> list[Any]:
    """North (with its army), South, a monitor, and Town in Land."""
    return [
        ActorDefined(id="north", name="North", actor_kind="state"),
        ActorDefined(id="army", name="Army", actor_kind="armed_force", affiliation="north"),
        ActorDefined(id="south", name="South", actor_kind="state"),
        ActorDefined(id="monitor", name="Monitor", actor_kind="organization"),
        PlaceDefined(id="land", name="Land", place_kind="country"),
        PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
    ]


def _commitment(cid: str, start: int) -> Commitment:
    """A ceasefire between North and South from day ``start``, forbidding any attack."""
    return Commitment(
        id=cid,
        occurred=_day(start),
        sources=wire(_day(start)),
        commitment_kind="ceasefire",
        parties=("north", "south"),
        prohibits=("any_attack",),
    )


def _attack(aid: str, day: str, reported: str | None = None) -> Attack:
    """An attack by North's army in Town on a military target, reported on ``day``
    unless said otherwise."""
    return Attack(
        id=aid,
        occurred=day,
        sources=wire(reported or day),
        perpetrator="army",
        place="town",
        target_class="military",
    )


def _world(rng: random.Random, attacks: int) -> list[Any]:
    """Two parties bound by two overlapping commitments, ``attacks`` attacks by one of
    them over two years (reported the same day or up to a week later, so many share
    a first report), accusations naming several incidents, observations, denials and
    confirmations, an end, and a correction and a retraction of attacks."""
    out = [*_setting(), _commitment("truce", 0), _commitment("accord", 200)]
    out.append(
        CommitmentEnded(
            id="accord-ends",
            occurred=_day(600),
            sources=wire(_day(600)),
            commitment="accord",
            reason="collapsed",
        )
    )
    for i in range(attacks):
        day = rng.randrange(730)
        out.append(_attack(f"a{i:05d}", _day(day), _day(day + rng.choice((0, 0, 1, 7)))))
    for i in range(attacks // 20):
        day = rng.randrange(730)
        incidents = tuple(f"a{rng.randrange(attacks):05d}" for _ in range(3))
        out.append(
            Accusation(
                id=f"acc{i:04d}",
                occurred=_day(day),
                sources=wire(_day(day)),
                accuser="south",
                accused=("army",),
                incidents=tuple(dict.fromkeys(incidents)),
            )
        )
        out.append(
            Observation(
                id=f"obs{i:04d}",
                occurred=_day(day),
                sources=wire(_day(day + 2)),
                monitor="monitor",
                violations=2,
                place="town",
                attributed_to="army",
            )
        )
        target = f"a{rng.randrange(attacks):05d}"
        said = rng.choice((Denial, Confirmation))
        fields = (
            {"denies": target, "denier": "north"}
            if said is Denial
            else {"confirms": target, "confirmer": "monitor"}
        )
        out.append(
            said(
                id=f"said{i:04d}",
                occurred=_day(day + 3),
                sources=wire(_day(day + 3)),
                **fields,
            )
        )
    moved = next(r for r in out if isinstance(r, Attack))
    out.append(
        Correction(
            id="moved",
            occurred=_day(700),
            sources=wire(_day(700)),
            corrects=moved.id,
            replacement=_attack(moved.id, _day(100), _day(101)),
        )
    )
    dropped = [r for r in out if isinstance(r, Attack)][1]
    out.append(
        Retraction(id="dropped", occurred=_day(700), sources=wire(_day(700)), retracts=dropped.id)
    )
    return out


@pytest.fixture(scope="module")
def large() -> Timeline:
    tl = Timeline(MemoryStore(clock=_clock))
    tl.append(*_world(random.Random(19), 2600))
    return tl


def _check(tl: Timeline, **cuts: Any) -> tuple[int, int]:
    """The view's answer under ``cuts`` is the oracle's, in its order; how many
    assessments it lists, and how many evidence records they rest on."""
    got = tl.state(ReportedViolations, **cuts)
    query = got.query
    expected = reported_violations(list(tl.read()), query)
    # Its length is known before its entries are ordered (read first here).
    assert len(got) == len(expected), query.describe()
    assert tuple(got) == expected, query.describe()
    return len(got), len({a.evidence for a in got})


def test_a_large_answer_is_in_the_documented_order(large: Timeline) -> None:
    # A fresh view: its first answer ranks every key it lists.
    tl = Timeline(large.store)
    _, evidence = _check(tl)
    # Large enough to be placed by rank, not sorted.
    assert evidence >= violations._RANKED_FROM


def test_answers_at_other_dates_keep_the_order_whatever_was_asked_before(
    large: Timeline,
) -> None:
    tl = Timeline(large.store)
    # Small, large, then smaller and larger again: new keys enter the ranks one
    # answer after another (a few into many, many at once), and small answers beside
    # many ranks are sorted instead.
    sizes = [_check(tl, at=_day(day)) for day in (30, 400, 200, 730, 90, 500, 10, 650)]
    assert max(evidence for _, evidence in sizes) >= violations._RANKED_FROM
    # At least one answer small beside the ranks (every assessment listed so far).
    smallest = min(evidence for _, evidence in sizes)
    assert smallest * violations._RANKED_DENSITY < max(listed for listed, _ in sizes)
    for day in (300, 100, 700):
        _check(tl, known_at=_day(day))
        _check(tl, known_at=_day(day), at=_day(day - 50))
    _check(tl, as_of=1500)


def test_ranks_started_afresh_past_their_bound_keep_the_order(
    large: Timeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(violations, "_RANKS_MAX", 4000)
    tl = Timeline(large.store)
    for day in (400, 730, 200, 600, 730):
        _check(tl, at=_day(day))
        _check(tl, known_at=_day(day))


def test_filtered_answers_over_a_large_fold_are_the_answer_filtered(large: Timeline) -> None:
    tl = Timeline(large.store)
    everything = tl.state(ReportedViolations)
    for filters in (
        {"commitment": "accord"},
        {"basis": "candidate"},
        {"accused": "north"},
        {"accuser": "monitor"},
        {"place": "land", "basis": ("alleged", "observed")},
    ):
        got = tl.state(ReportedViolations, **filters)
        assert len(got) > 0, filters
        kept = [a for a in everything if _passes(a, filters)]
        assert list(got) == kept, filters


def test_an_unfiltered_answer_is_ordered_when_first_read_and_only_once(
    large: Timeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting an unfiltered answer does not order it; reading it orders it once,
    however it is read after (iterated, indexed, ``items``)."""
    tl = Timeline(large.store)
    tl.state(ReportedViolations)  # folded: the question below is answered from the fold
    calls: list[int] = []
    ordered = violations.ReportedViolations._ordered

    def counted(self: Any, groups: Any) -> Any:
        calls.append(len(groups))
        return ordered(self, groups)

    monkeypatch.setattr(violations.ReportedViolations, "_ordered", counted)
    got = tl.state(ReportedViolations, at=_day(500))
    expected = reported_violations(list(tl.read()), got.query)
    assert len(got) == len(expected) > 0
    assert calls == []
    assert got[0] == expected[0]
    assert got[-1] == expected[-1]
    assert list(got) == list(expected)
    assert got.items == expected
    assert len(calls) == 1


def test_threads_reading_an_unfiltered_answer_first_at_once_order_it_once(
    large: Timeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    tl = Timeline(large.store)
    tl.state(ReportedViolations)
    calls: list[int] = []
    ordered = violations.ReportedViolations._ordered

    def slow(self: Any, groups: Any) -> Any:
        calls.append(len(groups))
        time.sleep(0.2)  # both threads are reading by now
        return ordered(self, groups)

    monkeypatch.setattr(violations.ReportedViolations, "_ordered", slow)
    got = tl.state(ReportedViolations, at=_day(400))
    read: list[tuple[Any, ...]] = []
    threads = [threading.Thread(target=lambda: read.append(tuple(got))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = reported_violations(list(tl.read()), got.query)
    assert read == [expected, expected]
    assert len(calls) == 1


def _passes(assessment: Any, filters: dict[str, Any]) -> bool:
    """The filters of this test, from `Selection`'s rule (in this world every attack
    is in Town, in Land, and the army is North's)."""
    if "commitment" in filters and assessment.commitment != filters["commitment"]:
        return False
    if "basis" in filters:
        bases = filters["basis"]
        bases = (bases,) if isinstance(bases, str) else bases
        if assessment.basis.value not in bases:
            return False
    if "accused" in filters and not assessment.accused:
        return False
    return "accuser" not in filters or assessment.accuser == filters["accuser"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    records=timelines(min_size=6, max_size=30),
    picks=st.lists(st.integers(0, 10**6), min_size=3, max_size=6),
    new=st.sampled_from((0, 1, 1 << 40)),
)
def test_every_answer_placed_by_rank_is_the_oracles(
    records: list[Any], picks: list[int], new: int
) -> None:
    """Ranking every answer, however small (the thresholds set to rank all), over
    timelines with corrections, retractions and knowledge cuts, gives the oracle's,
    whether new assessments are ranked first or put in among the ranked ones."""
    with _rank_everything(new):
        tl = Timeline(MemoryStore(clock=_clock))
        tl.append(*records, strict=False)
        envelopes = list(tl.read())
        bounds = sorted(
            {r.record.occurred.lo for r in envelopes} | {r.reported.lo for r in envelopes}
        )
        queries = [Query()]
        for pick in picks:
            cut = bounds[pick % len(bounds)]
            queries.append(Query(at=cut) if pick % 2 else Query(known_at=cut))
        for query in queries:
            got = tl.state(
                ReportedViolations,
                at=_moment(query.at),
                known_at=_moment(query.known_at),
            )
            expected = reported_violations(envelopes, query)
            assert len(got) == len(expected), query.describe()  # asked before it is read
            assert tuple(got) == expected, query.describe()


def _moment(us: int | None) -> pendulum.DateTime | None:
    if us is None:
        return None
    return pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC).add(microseconds=us)


@contextlib.contextmanager
def _rank_everything(new: int) -> Iterator[None]:
    """Every answer placed by rank; new assessments ranked first when they are more
    than ``1 / new`` of the ranks (0: only into empty ranks), else put in one by one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(violations, "_RANKED_FROM", 0)
        patch.setattr(violations, "_RANKED_DENSITY", 1 << 40)
        patch.setattr(violations, "_RANK_NEW", new)
        yield


def test_a_denial_whose_date_is_corrected_weighs_by_the_date_each_cut_knows() -> None:
    """The latest known denial or confirmation decides the status; a correction that
    moves the denial before the confirmation flips it, though the ids weighed are the
    same. Each cut answers by what it knows, whichever was asked first (assessments
    made for one fold are shared with the others only when nothing differs)."""
    records = [
        *_setting(),
        _commitment("truce", 0),
        _attack("a", "2020-03-01"),
        Confirmation(
            id="c",
            occurred="2020-03-05",
            sources=wire("2020-03-05"),
            confirms="a",
            confirmer="monitor",
        ),
        Denial(
            id="d", occurred="2020-03-10", sources=wire("2020-03-10"), denies="a", denier="north"
        ),
        Correction(
            id="d-fixed",
            occurred="2020-04-01",
            sources=wire("2020-04-01"),
            corrects="d",
            replacement=Denial(
                id="d",
                occurred="2020-03-02",
                sources=wire("2020-03-02"),
                denies="a",
                denier="north",
            ),
        ),
    ]
    before, after = {"known_at": "2020-03-20"}, {}
    for first, then in ((before, after), (after, before)):
        tl = Timeline(MemoryStore(clock=_clock))
        tl.append(*records)
        for cuts in (first, then):
            got = {a.id: a.status.value for a in tl.state(ReportedViolations, **cuts)}
            want = "disputed" if cuts else "corroborated"
            assert got == {"candidate:a:truce": want}, cuts


def test_one_view_instance_shared_by_two_timelines_answers_each_from_its_own_records() -> None:
    """Assessments are shared between folds only for the same stored record: two
    timelines holding different attacks at the same position, asked through one view
    instance, each get their own."""
    truce = _commitment("truce", 0)
    shared = ReportedViolations()
    answers = {}
    for aid, day in (("first", "2020-02-01"), ("second", "2020-03-01")):
        tl = Timeline(MemoryStore(clock=_clock))
        tl.append(*_setting(), truce, _attack(aid, day))
        got = tl.state(shared)
        answers[aid] = [(a.id, a.first_reported.lo) for a in got]
    assert answers == {
        "first": [("candidate:first:truce", _attack("x", "2020-02-01").occurred.lo)],
        "second": [("candidate:second:truce", _attack("x", "2020-03-01").occurred.lo)],
    }


def test_a_shared_view_instance_tells_two_corrections_at_one_position_apart() -> None:
    """Two timelines alike up to a correction of the same attack, each correcting it
    to another date: through one view instance each answers from its own replacement
    (a corrected record's chain hash is the original's, so it cannot tell them)."""
    shared = ReportedViolations()
    first: dict[str, int] = {}
    for day in ("2020-03-02", "2020-03-20"):
        tl = Timeline(MemoryStore(clock=_clock))
        tl.append(
            *_setting(),
            _commitment("truce", 0),
            _attack("a", "2020-03-01"),
            Correction(
                id="fix",
                occurred="2020-04-01",
                sources=wire("2020-04-01"),
                corrects="a",
                replacement=_attack("a", day),
            ),
        )
        (got,) = tl.state(shared)
        first[day] = got.first_reported.lo
    assert first == {day: _attack("a", day).occurred.lo for day in first}
