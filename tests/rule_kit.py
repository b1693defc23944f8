"""What the rule tests share (test_view_rules, test_violation_rules,
test_request_rules): a fixed clock, a dated wire source, and a timeline of given
records."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pendulum

from conflict_timeline import (
    ActorDefined,
    Codes,
    MemoryStore,
    ReportedViolations,
    Source,
    Status,
    Timeline,
)

RECORDED = pendulum.datetime(2024, 1, 1, tz="UTC")
"""When every record of these tests is appended (``recorded_at``)."""

# The codes of an attack between sides (a GED clash, an ACLED battle) and of one not.
GED_STATE = Codes(ucdp_type_of_violence="1")
GED_NON_STATE = Codes(ucdp_type_of_violence="2")
GED_ONE_SIDED = Codes(ucdp_type_of_violence="3")
ACLED_BATTLE = Codes(acled_event_type="Battles", acled_sub_event_type="Armed clash")


def clock() -> _dt.datetime:
    """The store's clock: always `RECORDED`."""
    return RECORDED


def wire(day: str) -> tuple[Source, ...]:
    """One source, a wire report published on ``day``."""
    return (Source(publisher="Wire", published=day),)


def load(*records: Any) -> Timeline:
    """A memory timeline holding ``records``, appended in one batch at `RECORDED`."""
    tl = Timeline(MemoryStore(clock=clock))
    tl.append(*records)
    return tl


def found(tl: Timeline, **cuts: Any) -> dict[str, Status]:
    """Each reported violation's id and status under ``cuts``."""
    return {v.id: v.status for v in tl.state(ReportedViolations, **cuts)}


TWO_STATES = (
    ActorDefined(id="north", name="North", actor_kind="state"),
    ActorDefined(
        id="north-army", name="North army", actor_kind="armed_force", affiliation="north"
    ),
    ActorDefined(id="south", name="South", actor_kind="state"),
    ActorDefined(
        id="south-army", name="South army", actor_kind="armed_force", affiliation="south"
    ),
)
"""North and South, each a state with its army affiliated with it."""
