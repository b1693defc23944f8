"""Every built-in view against its independent oracle (tests/oracles/), every cut form.

The oracles are written from the rules in docs/explanation/*.md over the full list of
stored envelopes, without the views' folds, indexes or helper rules; where a view and
its oracle disagree, the docs decide. Cuts are drawn from the records' own time bounds
(and one microsecond either side), where an off-by-one shows.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Sequence
from typing import Any

import pendulum
from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from conflict_timeline import (
    Accusation,
    ActiveCommitments,
    ActorDefined,
    Agreement,
    Agreements,
    Attack,
    CasualtyEstimates,
    CasualtyReport,
    Commitment,
    CommitmentEnded,
    CommitmentHistory,
    Confirmation,
    ControlChanged,
    Correction,
    Denial,
    Gazetteer,
    MemoryStore,
    Observation,
    OpenRequests,
    PlaceDefined,
    Query,
    ReportedViolations,
    Request,
    RequestLog,
    Retraction,
    Statement,
    Timeline,
    TriggeredCommitments,
)
from conflict_timeline.strategies import timelines
from oracles import (
    active_commitments,
    agreements,
    casualty_estimates,
    commitment_history,
    gazetteer,
    open_requests,
    reported_violations,
    request_log,
    triggered_commitments,
)

FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")
# 60 examples per view in every run (CT_ORACLE_EXAMPLES lowers it for the mutation run).
PROFILE = settings(
    max_examples=int(os.environ.get("CT_ORACLE_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FIXES = [Correction, Retraction]
COMMITMENTS = [Commitment, CommitmentEnded, *FIXES]
GEOGRAPHY = [ActorDefined, PlaceDefined, ControlChanged, *FIXES]
VIOLATIONS = [
    ActorDefined,
    PlaceDefined,
    *COMMITMENTS,
    Attack,
    Accusation,
    Denial,
    Confirmation,
    Observation,
]
AGREEMENTS = [ActorDefined, Agreement, *COMMITMENTS]
TRIGGERS = [ActorDefined, PlaceDefined, *COMMITMENTS, Attack]
REQUESTS = [Request, Statement, *FIXES]
CASUALTIES = [CasualtyReport, *FIXES]


def _drawn(kinds: list[type[Any]]) -> st.SearchStrategy[list[Any]]:
    """Timelines of the kinds a view reads (and of every kind, now and then)."""
    return st.one_of(
        timelines(min_size=6, max_size=30, kinds=kinds), timelines(min_size=6, max_size=30)
    )


ORACLES: dict[type[Any], Callable[..., Any]] = {
    ActiveCommitments: active_commitments,
    CommitmentHistory: commitment_history,
    TriggeredCommitments: triggered_commitments,
    ReportedViolations: reported_violations,
    OpenRequests: open_requests,
    RequestLog: request_log,
    CasualtyEstimates: casualty_estimates,
    Gazetteer: gazetteer,
    Agreements: agreements,
}


def _clock() -> _dt.datetime:
    return FIXED


def _answer(tl: Timeline, view: type[Any], query: Query) -> Any:
    got = tl.state(
        view,
        at=_cut(query.at),
        known_at=_cut(query.known_at),
        as_of=query.as_of,
        certainty=query.certainty,
    )
    assert got.query == query  # every result says which cuts it answers
    if view is Gazetteer:
        return (dict(got.actors), dict(got.places), dict(got.controllers))
    return tuple(got)


def _cut(us: int | None) -> pendulum.DateTime | None:
    if us is None:
        return None
    return pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC).add(microseconds=us)


def _bounds(records: Sequence[Any]) -> list[int]:
    out = {FIXED.int_timestamp * 1_000_000}
    for record in records:
        for extent in (
            record.occurred,
            record.reported,
            getattr(record, "effective", None),
            getattr(record, "until", None),
        ):
            if extent is not None and not extent.is_timeless:
                out.update((extent.lo - 1, extent.lo, extent.last, extent.last + 1))
    return sorted(out)


@st.composite
def _queries(draw: st.DrawFn, records: Sequence[Any]) -> Query:
    """One query of each shape: no cut, ``at``, ``known_at``, ``as_of``, combined."""
    bounds = _bounds(records)
    cut = st.sampled_from(bounds)
    shape = draw(st.sampled_from(("none", "at", "known_at", "as_of", "all")))
    certainty = draw(st.sampled_from(("possible", "certain")))
    at = draw(cut) if shape in ("at", "all") else None
    known = draw(cut) if shape in ("known_at", "all") else None
    as_of = draw(st.integers(0, len(records))) if shape in ("as_of", "all") else None
    return Query(at=at, known_at=known, as_of=as_of, certainty=certainty)


def _check(records: list[Any], data: st.DataObject, view: type[Any]) -> None:
    tl = Timeline(MemoryStore(clock=_clock))
    tl.append(*records, strict=False)
    envelopes = list(tl.read())
    found = 0
    for _ in range(4):
        query = data.draw(_queries(records))
        got = _answer(tl, view, query)
        assert got == ORACLES[view](envelopes, query), query.describe()
        found += len(got[2] if view is Gazetteer else got)
    target(float(found))  # steer towards timelines where the view has much to say


@PROFILE
@given(records=_drawn(COMMITMENTS), data=st.data())
def test_active_commitments_match_the_oracle(records: list[Any], data: st.DataObject) -> None:
    _check(records, data, ActiveCommitments)


@PROFILE
@given(records=_drawn(COMMITMENTS), data=st.data())
def test_commitment_history_matches_the_oracle(records: list[Any], data: st.DataObject) -> None:
    _check(records, data, CommitmentHistory)


@PROFILE
@given(records=_drawn(TRIGGERS), data=st.data())
def test_triggered_commitments_match_the_oracle(records: list[Any], data: st.DataObject) -> None:
    _check(records, data, TriggeredCommitments)


@PROFILE
@given(records=_drawn(VIOLATIONS), data=st.data())
def test_reported_violations_match_the_oracle(records: list[Any], data: st.DataObject) -> None:
    _check(records, data, ReportedViolations)


@PROFILE
@given(records=_drawn(REQUESTS), data=st.data())
def test_open_requests_match_the_oracle(records: list[Any], data: st.DataObject) -> None:
    _check(records, data, OpenRequests)


@PROFILE
@given(records=_drawn(REQUESTS), data=st.data())
def test_request_log_matches_the_oracle(records: list[Any], data: st.DataObject) -> None:
    _check(records, data, RequestLog)


@PROFILE
@given(records=_drawn(CASUALTIES), data=st.data())
def test_casualty_estimates_match_the_oracle(records: list[Any], data: st.DataObject) -> None:
    _check(records, data, CasualtyEstimates)


@PROFILE
@given(records=_drawn(GEOGRAPHY), data=st.data())
def test_gazetteer_matches_the_oracle(records: list[Any], data: st.DataObject) -> None:
    _check(records, data, Gazetteer)


@PROFILE
@given(records=_drawn(AGREEMENTS), data=st.data())
def test_agreements_match_the_oracle(records: list[Any], data: st.DataObject) -> None:
    _check(records, data, Agreements)
