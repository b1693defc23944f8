"""`ReportedViolations`: what an accusation or observation is about does not depend on
which records the fold replayed before it.

docs/explanation/violations.md says an accusation alleges every commitment binding
one of its accused for which one of its incidents possibly falls in the active time,
is in scope and is prohibited, "with places and affiliations as replayed by the cut";
an observation likewise. The fold keeps that answer with each accusation and
observation (so that a query need not derive it again), so each test here replays,
*after* the evidence, one record the answer depends on: the commitment, the incident,
the actor's affiliation, the incident's place, or a commitment that supersedes the
one alleged. Before that record is replayed (an earlier ``at``) the answer is the one
without it; after, the one with it. The expected ids are written from the rule.
"""

from __future__ import annotations

from typing import Any

from conflict_timeline import (
    Accusation,
    ActorDefined,
    Attack,
    Commitment,
    CommitmentEnded,
    Observation,
    PlaceDefined,
    ReportedViolations,
    Scope,
)
from rule_kit import found, load, wire

_ACTORS = [
    ActorDefined(id="north", name="North", actor_kind="state"),
    ActorDefined(
        id="north-army", name="North army", actor_kind="armed_force", affiliation="north"
    ),
    ActorDefined(id="south", name="South", actor_kind="state"),
    ActorDefined(id="monitor", name="Monitor", actor_kind="organization"),
]
_PLACES = [
    PlaceDefined(id="land", name="Land", place_kind="country"),
    PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
]


def _truce(**fields: Any) -> Commitment:
    """North and South's truce, forbidding any attack in Land, from 1 January 2020."""
    made: dict[str, Any] = {
        "id": "truce",
        "occurred": "2020-01-01",
        "sources": wire("2020-01-01"),
        "commitment_kind": "ceasefire",
        "parties": ("north", "south"),
        "prohibits": ("any_attack",),
        "scope": Scope(include=("land",)),
        **fields,
    }
    return Commitment(**made)


def _raid(day: str = "2020-02-01", aid: str = "raid", **fields: Any) -> Attack:
    made: dict[str, Any] = {
        "perpetrator": "north-army",
        "place": "town",
        "target_class": "military",
        **fields,
    }
    return Attack(id=aid, occurred=day, sources=wire(day), **made)


def _claim(day: str = "2020-02-02", **fields: Any) -> Accusation:
    made: dict[str, Any] = {
        "accuser": "south",
        "accused": ("north-army",),
        "incidents": ("raid",),
        **fields,
    }
    return Accusation(id="claim", occurred=day, sources=wire(day), **made)


def _alleged(tl: Any, **cuts: Any) -> set[str]:
    return {i for i in found(tl, **cuts) if i.startswith("alleged:")}


def test_a_commitment_replayed_after_the_accusation_is_alleged_once_replayed() -> None:
    """A truce announced on 1 March, in effect from 1 January: the accusation of
    2 February (replayed before it) alleges its breach from 1 March on."""
    late = _truce(occurred="2020-03-01", sources=wire("2020-03-01"), effective="2020-01-01")
    tl = load(*_ACTORS, *_PLACES, _raid(), _claim(), late)
    assert _alleged(tl, at="2020-02-15") == set()
    assert _alleged(tl) == {"alleged:claim:truce"}
    assert set(tl.state(ReportedViolations, commitment="truce").ids()) == {
        "alleged:claim:truce",
        "candidate:raid:truce",
    }


def test_an_incident_replayed_after_the_accusation_counts_once_replayed() -> None:
    """An accusation dated only to February (replayed from 1 February) names a raid of
    10 February: the raid is an incident of it from when the raid is replayed."""
    tl = load(*_ACTORS, *_PLACES, _truce(), _raid("2020-02-10"), _claim("2020-02"))
    assert _alleged(tl, at="2020-02-05") == set()
    assert _alleged(tl) == {"alleged:claim:truce"}


def test_an_affiliation_replayed_after_the_accusation_binds_the_accused() -> None:
    """The accused, a militia, is known to be North's only from 1 March (its
    definition's ``occurred``): from then on the truce binding North binds it, and
    the accusation alleges its breach. (The raid itself is no candidate: for a
    candidate, affiliations are those replayed by the later of raid and truce.)"""
    militia = ActorDefined(
        id="militia",
        name="Militia",
        actor_kind="armed_force",
        affiliation="north",
        occurred="2020-03-01",
    )
    tl = load(
        *_ACTORS,
        *_PLACES,
        militia,
        _truce(),
        _raid(perpetrator="militia"),
        _claim(accused=("militia",)),
    )
    assert found(tl, at="2020-02-15") == {}
    assert set(found(tl)) == {"alleged:claim:truce"}


def test_a_place_replayed_after_the_accusation_puts_the_incident_in_scope() -> None:
    """The raid's hamlet is known to lie in Land only from 1 March: from then on the
    raid is inside the truce's scope and the accusation alleges its breach."""
    hamlet = PlaceDefined(
        id="hamlet", name="Hamlet", place_kind="village", parent="land", occurred="2020-03-01"
    )
    tl = load(*_ACTORS, *_PLACES, hamlet, _truce(), _raid(place="hamlet"), _claim())
    assert _alleged(tl, at="2020-02-15") == set()
    assert _alleged(tl) == {"alleged:claim:truce"}
    # The place filter finds it through the place now known around the hamlet.
    assert set(tl.state(ReportedViolations, place="land").ids()) == {"alleged:claim:truce"}


def test_a_parent_place_replayed_after_the_accusation_puts_the_incident_in_scope() -> None:
    """The hamlet is known from the start to lie in a district, but the district is
    known to lie in Land only from 1 March: from then on the raid is in scope."""
    hamlet = PlaceDefined(id="hamlet", name="Hamlet", place_kind="village", parent="district")
    district = PlaceDefined(
        id="district", name="District", place_kind="district", parent="land", occurred="2020-03-01"
    )
    tl = load(*_ACTORS, *_PLACES, district, hamlet, _truce(), _raid(place="hamlet"), _claim())
    assert _alleged(tl, at="2020-02-15") == set()
    assert _alleged(tl) == {"alleged:claim:truce"}


def test_a_supersession_replayed_after_the_accusation_ends_the_alleged_commitment() -> None:
    """A new truce between other parties, announced on 1 March but in effect from
    1 February, supersedes the first: the first ended on 1 February, before the raid
    of 10 February, so the accusation no longer alleges its breach from 1 March."""
    successor = Commitment(
        id="successor",
        occurred="2020-03-01",
        sources=wire("2020-03-01"),
        effective="2020-02-01",
        commitment_kind="ceasefire",
        parties=("south",),
        prohibits=("any_attack",),
        supersedes=("truce",),
    )
    tl = load(*_ACTORS, *_PLACES, _truce(), _raid("2020-02-10"), _claim("2020-02-11"), successor)
    assert _alleged(tl, at="2020-02-20") == {"alleged:claim:truce"}
    assert _alleged(tl) == set()
    assert list(tl.state(ReportedViolations, commitment="truce", basis="alleged")) == []


def test_a_commitment_replayed_after_the_observation_is_observed_once_replayed() -> None:
    """A monitor attributes violations in Town to North's army on 2 February; the
    truce binding North, announced on 1 March in effect from 1 January, is what the
    observation is about from 1 March on."""
    late = _truce(occurred="2020-03-01", sources=wire("2020-03-01"), effective="2020-01-01")
    seen = Observation(
        id="seen",
        occurred="2020-02-02",
        sources=wire("2020-02-02"),
        monitor="monitor",
        violations=2,
        place="town",
        attributed_to="north-army",
    )
    tl = load(*_ACTORS, *_PLACES, seen, late)
    assert found(tl, at="2020-02-15") == {}
    assert set(found(tl)) == {"observed:seen:truce"}
    assert set(tl.state(ReportedViolations, accused="north").ids()) == {"observed:seen:truce"}


def test_an_end_replayed_later_with_a_later_last_instant_does_not_widen_the_window() -> None:
    """Active time ends by the earliest last instant among the commitment's ends,
    whenever they are replayed: the truce has certainly ended once any of its ends has
    certainly occurred. The truce is first known to end on 10 March (a dated end); a
    new truce announced on 20 March, in effect from "March 2020" (the whole month),
    supersedes it: its implied end begins on 1 March (it is the winning end) and may
    run to 31 March, but the truce certainly ended on 10 March. The raids on 15 March
    (replayed before the new truce) and 25 March began after that: neither is a
    candidate, and one on 5 March is."""
    ended = CommitmentEnded(
        id="truce-ended",
        occurred="2020-03-10",
        sources=wire("2020-03-10"),
        commitment="truce",
        reason="collapsed",
    )
    successor = Commitment(
        id="successor",
        occurred="2020-03-20",
        sources=wire("2020-03-20"),
        effective="2020-03",
        commitment_kind="ceasefire",
        parties=("south",),
        prohibits=("any_attack",),
        supersedes=("truce",),
    )
    before = _raid("2020-03-05", aid="before")
    early, late = _raid("2020-03-15", aid="early"), _raid("2020-03-25", aid="late")
    tl = load(*_ACTORS, *_PLACES, _truce(), before, ended, early, successor, late)
    assert set(found(tl, at="2020-03-18")) == {"candidate:before:truce"}
    assert set(found(tl)) == {"candidate:before:truce"}
    # Without the dated end, the superseded truce's window runs to 31 March.
    tl = load(*_ACTORS, *_PLACES, _truce(), before, early, successor, late)
    assert set(found(tl)) == {
        "candidate:before:truce",
        "candidate:early:truce",
        "candidate:late:truce",
    }
