"""`ReportedViolations`: rules a second, hand-planted mutation pass found unpinned.

Each test pins one documented rule (docs/explanation/violations.md, or a docstring
of `conflict_timeline.views.violations`) with a small hand-built timeline; every
expected answer is written from the rule, never computed by the code under test.
"""

from __future__ import annotations

from typing import Any

from conflict_timeline import (
    Accusation,
    ActorDefined,
    Attack,
    Commitment,
    Observation,
    PlaceDefined,
    ReportedViolations,
    Scope,
)
from rule_kit import found as _found
from rule_kit import load as _load
from rule_kit import wire as _wire

_ACTORS = (
    ActorDefined(id="north", name="North", actor_kind="state"),
    ActorDefined(
        id="north-army", name="North army", actor_kind="armed_force", affiliation="north"
    ),
    ActorDefined(id="south", name="South", actor_kind="state"),
)
_PLACES = (
    PlaceDefined(id="land", name="Land", place_kind="country"),
    PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
    PlaceDefined(id="elsewhere", name="Elsewhere", place_kind="country"),
    PlaceDefined(id="village", name="Village", place_kind="village", parent="elsewhere"),
)


def _truce(**fields: Any) -> Commitment:
    """North's truce forbidding any attack, announced on 20 December 2019."""
    made: dict[str, Any] = {
        "id": "truce",
        "occurred": "2019-12-20",
        "sources": _wire("2019-12-20"),
        "commitment_kind": "ceasefire",
        "parties": ("north",),
        "prohibits": ("any_attack",),
        **fields,
    }
    return Commitment(**made)


def _attack(aid: str, day: str, **fields: Any) -> Attack:
    made: dict[str, Any] = {"perpetrator": "north-army", "target_class": "military", **fields}
    return Attack(id=aid, occurred=day, sources=_wire(day), **made)


def test_an_attack_replayed_after_the_truce_straddling_its_start_is_a_candidate() -> None:
    """Active time: "An extent *possibly falls in* a commitment's active time when its
    last instant is not before the commitment's ``effective`` start", and "A date
    known only to a month counts if *any part* of it could fall in the active time".
    The truce takes effect at noon on 1 January 2020; an attack dated only to that
    day (replayed after the truce, so weighed as it is replayed) may have come after
    noon and is a candidate; one dated to 31 December is not."""
    tl = _load(
        *_ACTORS,
        _truce(effective="2020-01-01T12:00:00Z"),
        _attack("that-day", "2020-01-01"),
        _attack("day-before", "2019-12-31"),
    )
    assert set(_found(tl)) == {"candidate:that-day:truce"}


def test_the_place_filter_keeps_an_allegation_by_any_of_its_incidents() -> None:
    """``place=`` (the `Selection` docstring): "the place of *any* of an accusation's
    incidents (as known under the cuts) for an allegation". An accusation naming a
    strike in Town (in Land) first and a raid in Village (in Elsewhere) second passes
    a filter on Elsewhere by its second incident, and one on Land by its first."""
    claim = Accusation(
        id="claim",
        occurred="2020-02-05",
        sources=_wire("2020-02-05"),
        accuser="south",
        accused=("north-army",),
        breach_of="truce",
        incidents=("strike", "raid"),
    )
    tl = _load(
        *_ACTORS,
        *_PLACES,
        _truce(),
        _attack("strike", "2020-02-01", place="town"),
        _attack("raid", "2020-02-02", place="village"),
        claim,
    )
    for place in ("elsewhere", "village", "land", "town"):
        answer = tl.state(ReportedViolations, place=place, basis="alleged")
        assert answer.ids() == ("alleged:claim:truce",), place


def test_a_place_replayed_after_the_observation_puts_it_in_scope() -> None:
    """Observed: "about every commitment binding that actor whose active time the
    observation possibly falls in and whose scope holds its place", and what an
    observation is about "is derived when it is replayed and again whenever a record
    it depends on is replayed later: ... the definition of an actor or place it
    involves". The truce covers Land; the monitor counts violations by North's army
    in Hamlet on 2 February, and Hamlet is known to lie in Land only from 1 March:
    from then on the observation is about the truce."""
    hamlet = PlaceDefined(
        id="hamlet", name="Hamlet", place_kind="village", parent="land", occurred="2020-03-01"
    )
    seen = Observation(
        id="seen",
        occurred="2020-02-02",
        sources=_wire("2020-02-02"),
        monitor="south",
        violations=2,
        place="hamlet",
        attributed_to="north-army",
    )
    tl = _load(*_ACTORS, *_PLACES, hamlet, _truce(scope=Scope(include=("land",))), seen)
    assert _found(tl, at="2020-02-15") == {}
    assert set(_found(tl)) == {"observed:seen:truce"}
    assert tl.state(ReportedViolations, place="land").ids() == ("observed:seen:truce",)
