"""Supersession: ``Commitment(supersedes=...)`` ends the earlier commitments.

The rule (docs/explanation/semantics.md): a commitment B that supersedes A ends A
exactly as a ``CommitmentEnded(commitment=A, reason=superseded, superseded_by=B)``
occurring at B's ``effective`` and known when B is known would, once B has been made;
of several ends the earliest wins, and an explicit end wins a tie in time.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    ActiveCommitments,
    ActorDefined,
    Attack,
    Commitment,
    CommitmentEnded,
    CommitmentHistory,
    CommitmentStatus,
    EndReason,
    InvalidRecordError,
    MemoryStore,
    PlaceDefined,
    ReportedViolations,
    Source,
    Timeline,
    TriggeredCommitments,
)
from conflict_timeline.errors import UnknownReferenceError
from conflict_timeline.strategies import timelines

FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")
cuts = st.integers(
    min_value=int(pendulum.datetime(1990, 1, 1, tz="UTC").timestamp() * 1_000_000),
    max_value=int(pendulum.datetime(2030, 1, 1, tz="UTC").timestamp() * 1_000_000),
).map(lambda us: pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC).add(microseconds=us))


def fixed_clock() -> _dt.datetime:
    return FIXED


def load(records: list[Any]) -> Timeline:
    tl = Timeline(MemoryStore(clock=fixed_clock))
    tl.append(*records, strict=False)
    return tl


def src(day: str) -> tuple[Source, ...]:
    return (Source(publisher="Reuters", published=day),)


ACTORS = [
    ActorDefined(id="am", name="Armenia", actor_kind="state"),
    ActorDefined(id="az", name="Azerbaijan", actor_kind="state"),
]


def truce(cid: str, day: str, **fields: Any) -> Commitment:
    return Commitment(
        id=cid,
        occurred=day,
        sources=src(day),
        commitment_kind="ceasefire",
        parties=("am", "az"),
        prohibits=("any_attack",),
        **fields,
    )


def test_a_superseding_commitment_ends_the_earlier_one_when_it_takes_effect() -> None:
    first = truce("moscow", "2020-10-10")
    second = truce("paris", "2020-10-17", effective="2020-10-18", supersedes=("moscow",))
    tl = load([*ACTORS, first, second])
    assert tl.state(ActiveCommitments, at="2020-10-17").ids() == ("moscow",)
    assert tl.state(ActiveCommitments, at="2020-10-18").ids() == ("paris",)
    life = tl.state(CommitmentHistory).get("moscow")
    assert life is not None
    assert life.status is CommitmentStatus.ENDED
    assert life.ended is not None
    assert life.ended.reason is EndReason.SUPERSEDED
    assert life.ended.superseded_by == "paris"
    assert life.ended.occurred == second.starts
    # Before ``at`` reaches the new one's start, the history shows no end yet.
    early = tl.state(CommitmentHistory, at="2020-10-17").get("moscow")
    assert early is not None
    assert early.ended is None
    assert early.status is CommitmentStatus.ACTIVE


def test_the_implied_end_of_an_unsourced_successor_is_known_when_it_was_recorded() -> None:
    """An implied end takes the successor's knowledge time, whatever gives it: with no
    sources and no ``reported``, the time the successor was recorded."""
    first = truce("moscow", "2020-10-10")
    second = attrs.evolve(
        truce("paris", "2020-10-17", supersedes=("moscow",)), sources=(), reported=None
    )
    tl = load([*ACTORS, first, second])
    life = tl.state(CommitmentHistory).get("moscow")
    assert life is not None
    assert life.ended is not None
    assert life.ended.reported is not None
    assert (life.ended.reported.lo, life.ended.reported.last) == (
        int(FIXED.timestamp() * 1_000_000),
        int(FIXED.timestamp() * 1_000_000),
    )


def test_supersession_is_known_only_when_the_new_commitment_is() -> None:
    first = truce("moscow", "2020-10-10")
    second = truce("paris", "2020-10-17", supersedes=("moscow",))
    tl = load([*ACTORS, first, second])
    assert tl.state(ActiveCommitments, at="2020-10-20", known_at="2020-10-16").ids() == ("moscow",)
    assert tl.state(ActiveCommitments, at="2020-10-20", known_at="2020-10-17").ids() == ("paris",)


def test_an_earlier_explicit_end_wins_over_supersession() -> None:
    first = truce("moscow", "2020-10-10")
    collapsed = CommitmentEnded(
        id="collapse", occurred="2020-10-12", sources=src("2020-10-12"),
        commitment="moscow", reason="collapsed",
    )  # fmt: skip
    second = truce("paris", "2020-10-17", supersedes=("moscow",))
    tl = load([*ACTORS, first, collapsed, second])
    life = tl.state(CommitmentHistory).get("moscow")
    assert life is not None
    assert life.ended is not None
    assert life.ended.id == "collapse"
    assert life.ended.reason is EndReason.COLLAPSED


def test_an_explicit_end_at_the_same_time_wins_over_supersession() -> None:
    first = truce("moscow", "2020-10-10")
    second = truce("paris", "2020-10-17", supersedes=("moscow",))
    withdrawn = CommitmentEnded(
        id="zz-withdrawn", occurred="2020-10-17", sources=src("2020-10-17"),
        commitment="moscow", reason="withdrawn",
    )  # fmt: skip
    tl = load([*ACTORS, first, second, withdrawn])
    life = tl.state(CommitmentHistory).get("moscow")
    assert life is not None
    assert life.ended is not None
    assert life.ended.id == "zz-withdrawn"
    assert life.ended.reason is EndReason.WITHDRAWN


def test_a_later_explicit_end_does_not_undo_a_supersession() -> None:
    first = truce("moscow", "2020-10-10")
    second = truce("paris", "2020-10-17", supersedes=("moscow",))
    late = CommitmentEnded(
        id="late", occurred="2020-10-25", sources=src("2020-10-25"),
        commitment="moscow", reason="expired",
    )  # fmt: skip
    tl = load([*ACTORS, first, second, late])
    assert "moscow" not in tl.state(ActiveCommitments, at="2020-10-20")
    life = tl.state(CommitmentHistory).get("moscow")
    assert life is not None
    assert life.ended is not None
    assert life.ended.superseded_by == "paris"


def test_retracting_the_new_commitment_revives_the_old() -> None:
    from conflict_timeline import Retraction

    first = truce("moscow", "2020-10-10")
    second = truce("paris", "2020-10-17", supersedes=("moscow",))
    gone = Retraction(id="r", occurred="2020-10-19", sources=src("2020-10-19"), retracts="paris")
    tl = load([*ACTORS, first, second, gone])
    assert tl.state(ActiveCommitments, at="2020-10-20", known_at="2020-10-18").ids() == ("paris",)
    assert tl.state(ActiveCommitments, at="2020-10-20").ids() == ("moscow",)


def test_a_commitment_cannot_supersede_itself() -> None:
    with pytest.raises(InvalidRecordError, match=r"Commitment 'a': supersedes: .*itself"):
        truce("a", "2020-10-10", supersedes=("a",))


def test_supersedes_must_name_a_commitment() -> None:
    tl = Timeline(MemoryStore(clock=fixed_clock))
    tl.append(*ACTORS)
    with pytest.raises(UnknownReferenceError, match="supersedes"):
        tl.append(truce("paris", "2020-10-17", supersedes=("am",)))
    assert len(tl) == 2  # nothing half-written


# ------------------------------------------------------------------- the property


def _in_step(record: Any) -> Any:
    """A superseding commitment whose effective time starts and ends no earlier than
    its announcement (so "made and in effect" is just "in effect"); others as drawn."""
    if isinstance(record, Commitment) and record.supersedes:
        starts, made = record.starts, record.occurred
        if starts.lo < made.lo or starts.last < made.last:
            return attrs.evolve(record, effective=None, until=None)
    return record


def _explicit(records: list[Any]) -> list[Any]:
    """The same history with each supersession written as an explicit end."""
    out: list[Any] = []
    for record in records:
        if isinstance(record, Commitment) and record.supersedes:
            out.append(attrs.evolve(record, supersedes=()))
            out.extend(
                CommitmentEnded(
                    id=f"explicit-{record.id}-{earlier}",
                    occurred=record.starts,
                    reported=record.reported,
                    sources=record.sources,
                    claimed_by=record.claimed_by,
                    status=record.status,
                    commitment=earlier,
                    reason="superseded",
                    superseded_by=record.id,
                )
                for earlier in record.supersedes
            )
        else:
            out.append(record)
    return out


def _answers(tl: Timeline, **cuts: Any) -> tuple[Any, ...]:
    history = tuple(
        (c.id, c.status, None if c.ended is None else (c.ended.occurred, c.ended.reason))
        for c in tl.state(CommitmentHistory, **cuts)
    )
    triggers = tuple(
        (t.id, t.triggered, t.attacks, t.considered)
        for t in tl.state(TriggeredCommitments, **cuts)
    )
    violations = tuple((v.id, v.status) for v in tl.state(ReportedViolations, **cuts))
    return tl.state(ActiveCommitments, **cuts).ids(), history, triggers, violations


KINDS = [ActorDefined, PlaceDefined, Commitment, Attack]


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    records=timelines(max_size=25, kinds=KINDS).map(lambda rs: [_in_step(r) for r in rs]),
    at=cuts,
    known_at=st.none() | cuts,
    certainty=st.sampled_from(["possible", "certain"]),
    data=st.data(),
)
def test_supersession_answers_as_the_equivalent_explicit_ends(
    records: list[Any], at: Any, known_at: Any, certainty: Any, data: st.DataObject
) -> None:
    implied, explicit = load(records), load(_explicit(records))
    # Cuts at the edges of the commitments' times, where an off-by-one would show.
    edges = sorted(
        {
            us + delta
            for r in records
            if isinstance(r, Commitment)
            for extent in (r.occurred, r.starts)
            for us in (extent.lo, extent.last)
            for delta in (-1, 0)
        }
    )
    if edges:
        us = data.draw(st.sampled_from(edges))
        at = pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC).add(microseconds=us)
    for query in ({}, {"at": at}, {"at": at, "known_at": known_at, "certainty": certainty}):
        assert _answers(implied, **query) == _answers(explicit, **query)
