"""`TriggeredCommitments`: an attack between sides is read either way round.

A UCDP GED clash (``type_of_violence`` 1 or 2) or an ACLED battle names two sides,
not an attacker and a target: the importers put side A in ``perpetrator`` and side B
in ``target_actor`` by convention only (`Attack.between_sides`). So it is read as an
attack by A on B or by B on A, and meets a condition when it meets it either way
round, ``by`` and ``against`` read the same way round (with ``match="any"`` the named
tests combine as for any attack, within one way round). When neither way meets it,
the reason is the one for the sides as recorded, then "; nor the other way round: "
and the one for them swapped, when the two differ. Attacks not between sides are
read as recorded (docs/explanation/violations.md, "Triggered commitments"). The
expected answers are written from that rule, never computed by the code under test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from conflict_timeline import (
    ActorDefined,
    Attack,
    Codes,
    Commitment,
    Condition,
    Glimpse,
    MemoryStore,
    PlaceDefined,
    SQLiteStore,
    Timeline,
    TriggeredCommitments,
)
from rule_kit import ACLED_BATTLE, GED_NON_STATE, GED_ONE_SIDED, GED_STATE, clock, wire

WORLD = (
    ActorDefined(id="x", name="X", actor_kind="state"),
    ActorDefined(id="x-forces", name="X forces", actor_kind="armed_force", affiliation="x"),
    ActorDefined(id="y", name="Y", actor_kind="state"),
    ActorDefined(id="y-forces", name="Y forces", actor_kind="armed_force", affiliation="y"),
    ActorDefined(id="z", name="Z", actor_kind="state"),
    PlaceDefined(id="x-land", name="X", place_kind="country"),
    PlaceDefined(id="abroad", name="Abroad", place_kind="country"),
)


def pledge(**condition: Any) -> Commitment:
    """Z's pledge, from 1 January 2020: to come in if the condition is met."""
    return Commitment(
        id="pledge",
        occurred="2020-01-01",
        sources=wire("2020-01-01"),
        commitment_kind="mutual_defense",
        parties=("z",),
        beneficiaries=("y",),
        condition=Condition(**condition),
    )


def attack(
    aid: str, side_a: str, side_b: str, codes: Codes | None, place: str = "x-land"
) -> Attack:
    return Attack(
        id=aid,
        occurred="2020-02-01",
        sources=wire("2020-02-01"),
        target_class="military",
        perpetrator=side_a,
        target_actor=side_b,
        place=place,
        codes=codes,
    )


def triggered_by(
    condition: dict[str, Any], *attacks: Attack
) -> tuple[tuple[str, ...], dict[str, str]]:
    tl = Timeline(MemoryStore(clock=clock))
    tl.append(*WORLD, pledge(**condition), *attacks)
    [trigger] = tl.state(TriggeredCommitments)
    assert trigger.considered == len(attacks) - len(trigger.attacks)
    return trigger.attacks, dict(trigger.examples)


IF_X_ATTACKS_Y = {"by": ("x",), "against": ("y",)}  # "if X attacks Y's forces"


def test_a_clash_meets_the_condition_either_way_round() -> None:
    """Side A is Y, side B is X: as recorded, Y attacked X; the other way round, X
    attacked Y's forces, which meets the pledge. The clash recorded with X on side A
    meets it as recorded. So do a non-state clash and an ACLED battle."""
    hits, misses = triggered_by(
        IF_X_ATTACKS_Y,
        attack("a-swapped", "y-forces", "x-forces", GED_STATE),
        attack("b-as-recorded", "x-forces", "y-forces", GED_STATE),
        attack("c-non-state", "y-forces", "x", GED_NON_STATE),
        attack("d-battle", "y", "x-forces", ACLED_BATTLE),
    )
    assert hits == ("a-swapped", "b-as-recorded", "c-non-state", "d-battle")
    assert misses == {}


def test_a_one_sided_event_or_an_attack_without_codes_is_read_as_recorded() -> None:
    """GED type 3 (one-sided violence) and an attack with no codes name an attacker
    and a target: Y on X's forces does not meet "if X attacks Y's forces"."""
    hits, misses = triggered_by(
        IF_X_ATTACKS_Y,
        attack("one-sided", "y-forces", "x-forces", GED_ONE_SIDED),
        attack("no-codes", "y-forces", "x-forces", None),
        attack("no-codes-x-on-y", "x-forces", "y-forces", None),
    )
    assert hits == ("no-codes-x-on-y",)
    assert misses == {
        "one-sided": "aimed at x-forces, not at y",
        "no-codes": "aimed at x-forces, not at y",
    }


def test_a_clash_that_meets_it_neither_way_round_gives_both_reasons() -> None:
    """``by`` and ``against`` are read the same way round: a clash between Y's
    forces and Z has Y as a target one way round, and Z (not X) as its maker then."""
    hits, misses = triggered_by(
        IF_X_ATTACKS_Y,
        attack("y-z", "y-forces", "z", GED_STATE),
        attack("x-z", "x-forces", "z", GED_STATE),
    )
    assert hits == ()
    assert misses == {
        "y-z": "aimed at z, not at y; nor the other way round: made by z, not by x",
        "x-z": "aimed at z, not at y; nor the other way round: aimed at x-forces, not at y",
    }


def test_with_match_any_the_named_tests_combine_within_one_way_round() -> None:
    """Within X or on Y, made by X. A clash abroad between Y (side A) and X: as
    recorded it is neither within X nor on Y; the other way round it is on Y, by X.
    A clash in X between Y and Z is within X either way round, but never by X."""
    condition = {"attack_within": ("x-land",), "against": ("y",), "by": ("x",), "match": "any"}
    hits, misses = triggered_by(
        condition,
        attack("abroad-clash", "y-forces", "x-forces", GED_STATE, place="abroad"),
        attack("abroad-one-sided", "y-forces", "x-forces", GED_ONE_SIDED, place="abroad"),
        attack("in-x-y-z", "y-forces", "z", GED_STATE),
    )
    assert hits == ("abroad-clash",)
    assert misses == {
        "abroad-one-sided": "abroad is not within x-land de jure; aimed at x-forces, not at y",
        "in-x-y-z": "made by y-forces, not by x; nor the other way round: made by z, not by x",
    }


def test_a_place_only_condition_is_unaffected() -> None:
    """Within X, by anyone: the place test reads no side, so a clash meets it or
    not as any attack does, and a miss has one reason."""
    hits, misses = triggered_by(
        {"attack_within": ("x-land",)},
        attack("clash-in-x", "y-forces", "x-forces", GED_STATE),
        attack("clash-abroad", "y-forces", "x-forces", GED_STATE, place="abroad"),
        attack("raid-abroad", "y-forces", "x-forces", None, place="abroad"),
    )
    assert hits == ("clash-in-x",)
    assert misses == {
        "clash-abroad": "abroad is not within x-land de jure",
        "raid-abroad": "abroad is not within x-land de jure",
    }


class _Counting(TriggeredCommitments):
    """TriggeredCommitments, noting which attacks came as glimpses."""

    taken: ClassVar[list[str]] = []

    def apply_glimpse(self, state: Any, glimpse: Glimpse) -> Any:
        self.taken.append(glimpse.id)
        return super().apply_glimpse(state, glimpse)


def test_a_glimpsed_clash_is_read_as_a_decoded_one(tmp_path: Path) -> None:
    """From an SQLite file, attacks come as glimpses, which read the two codes that
    say whether an attack is between sides: the answer is the memory store's."""
    attacks = (
        attack("a-swapped", "y-forces", "x-forces", GED_STATE),
        attack("b-battle", "y", "x-forces", ACLED_BATTLE),
        attack("c-one-sided", "y-forces", "x-forces", GED_ONE_SIDED),
        attack("d-no-codes", "y-forces", "x-forces", None),
    )
    path = tmp_path / "t.db"
    with Timeline(SQLiteStore(path, clock=clock)) as writer:
        writer.append(*WORLD, pledge(**IF_X_ATTACKS_Y), *attacks)
    _Counting.taken.clear()
    with Timeline(SQLiteStore(path, clock=clock)) as tl:
        glimpsed = tl.state(_Counting).get("pledge")
    assert sorted(_Counting.taken) == [a.id for a in attacks]
    memory = Timeline(MemoryStore(clock=clock))
    memory.append(*WORLD, pledge(**IF_X_ATTACKS_Y), *attacks)
    assert glimpsed == memory.state(TriggeredCommitments).get("pledge")
    assert glimpsed is not None
    assert glimpsed.attacks == ("a-swapped", "b-battle")


def test_a_clash_is_found_under_either_side_once_the_examples_are_kept() -> None:
    """Once a pledge holds its five examples, only the attacks within its places or
    aimed at its targets are weighed one by one: a clash is looked up under both
    sides, so one recorded with Y's forces on side A still triggers it."""
    misses = [attack(f"miss-{i}", "y-forces", "x-forces", None, place="abroad") for i in range(6)]
    late = Attack(
        id="late-clash",
        occurred="2020-03-01",
        sources=wire("2020-03-01"),
        target_class="military",
        perpetrator="y-forces",
        target_actor="x-forces",
        place="abroad",
        codes=GED_STATE,
    )
    hits, examples = triggered_by(IF_X_ATTACKS_Y, *misses, late)
    assert hits == ("late-clash",)
    assert sorted(examples) == [f"miss-{i}" for i in range(5)]
