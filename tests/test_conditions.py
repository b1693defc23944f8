"""Richer conditions: the target actor (and its affiliates) as well as the place,
combined with all/any (docs/explanation/violations.md, "Triggered commitments")."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pendulum
import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    Commitment,
    Condition,
    InvalidRecordError,
    MemoryStore,
    PlaceDefined,
    Timeline,
    TriggeredCommitments,
    UnknownReferenceError,
    from_json,
    to_json,
)

FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")


def fixed_clock() -> _dt.datetime:
    return FIXED


BASE = (
    ActorDefined(id="x", name="X", actor_kind="state"),
    ActorDefined(id="x-forces", name="X forces", actor_kind="armed_force", affiliation="x"),
    ActorDefined(id="y", name="Y", actor_kind="state"),
    ActorDefined(id="z", name="Z", actor_kind="state"),
    PlaceDefined(id="x-land", name="X", place_kind="country"),
    PlaceDefined(id="abroad", name="Abroad", place_kind="country"),
)


def pledge(**condition: Any) -> Commitment:
    return Commitment(
        id="pledge",
        occurred="2020-01-01",
        reported="2020-01-01",
        commitment_kind="mutual_defense",
        parties=("z",),
        beneficiaries=("x",),
        condition=Condition(**condition),
    )


def attack(aid: str, place: str | None, target: str | None) -> Attack:
    return Attack(
        id=aid,
        occurred="2020-02-01",
        reported="2020-02-01",
        perpetrator="y",
        place=place,
        target_actor=target,
    )


ATTACKS = (
    attack("on-forces-abroad", "abroad", "x-forces"),
    attack("in-x-on-nobody", "x-land", None),
    attack("abroad-on-z", "abroad", "z"),
)


def triggered_by(**condition: Any) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    tl = Timeline(MemoryStore(clock=fixed_clock))
    tl.append(*BASE, pledge(**condition), *ATTACKS)
    [trigger] = tl.state(TriggeredCommitments)
    return trigger.attacks, trigger.examples


def test_an_attack_on_the_forces_of_x_meets_a_target_condition() -> None:
    hits, misses = triggered_by(against=("x",))
    assert hits == ("on-forces-abroad",)  # x-forces is affiliated with x
    assert dict(misses) == {
        "in-x-on-nobody": "its target is not known",
        "abroad-on-z": "aimed at z, not at x",
    }


def test_all_needs_both_tests_any_needs_one() -> None:
    hits, misses = triggered_by(attack_within=("x-land",), against=("x",))
    assert hits == ()
    assert dict(misses)["on-forces-abroad"] == "abroad is not within x-land de jure"
    assert dict(misses)["in-x-on-nobody"] == "its target is not known"
    hits, misses = triggered_by(attack_within=("x-land",), against=("x",), match="any")
    assert hits == ("in-x-on-nobody", "on-forces-abroad")  # replay order: by id here
    assert dict(misses) == {
        "abroad-on-z": "abroad is not within x-land de jure; aimed at z, not at x"
    }


def test_condition_rules_and_round_trip() -> None:
    with pytest.raises(InvalidRecordError, match="needs attack_within"):
        Condition()
    with pytest.raises(InvalidRecordError, match="match must be 'all' or 'any'"):
        Condition(against=("x",), match="some")
    record = pledge(against=("x",), match="any", description="on the forces of X")
    assert from_json(to_json(record)) == record
    tl = Timeline(MemoryStore(clock=fixed_clock))
    with pytest.raises(UnknownReferenceError, match=r"condition\.against"):
        tl.append(*BASE, pledge(against=("nobody",)))


def test_a_payload_from_before_targets_reads_as_a_place_condition() -> None:
    old = (
        '{"id":"p","occurred":{"earliest":"2020-01-01T00:00:00+00:00","latest":'
        '"2020-01-02T00:00:00+00:00","precision":"day","tz":"UTC"},"commitment_kind":'
        '"mutual_defense","parties":["z"],"condition":{"attack_within":["x-land"],"by":[],'
        '"description":""},"kind":"Commitment","version":1}'
    )
    record = from_json(old)
    assert isinstance(record, Commitment)
    assert record.condition == Condition(attack_within=("x-land",))
