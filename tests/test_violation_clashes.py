"""`ReportedViolations`: an attack between sides was possibly made by either side.

A UCDP GED clash (``type_of_violence`` 1 or 2) or an ACLED battle names two sides,
not an attacker and a target: the importers put side A in ``perpetrator`` and side B
in ``target_actor`` by convention only (`Attack.between_sides`). So it is a
candidate violation of a commitment binding either side (or an actor affiliated with
either), every other condition unchanged, and both sides are its accused
(docs/explanation/violations.md, "Candidate"). The expected answers are written from
that rule, never computed by the code under test.
"""

from __future__ import annotations

from typing import Any

import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    Codes,
    Commitment,
    PlaceDefined,
    ReportedViolations,
    Scope,
    from_json,
    to_json,
)
from conflict_timeline._labels import Names, headline
from rule_kit import ACLED_BATTLE as _ACLED_BATTLE
from rule_kit import GED_NON_STATE as _GED_NON_STATE
from rule_kit import GED_ONE_SIDED as _GED_ONE_SIDED
from rule_kit import GED_STATE as _GED_STATE
from rule_kit import found as _found
from rule_kit import load as _load
from rule_kit import wire as _wire

_ACLED_OLD_BATTLE = Codes(acled_event_type="Battle-No change of territory")
_ACLED_CIVILIANS = Codes(acled_event_type="Violence against civilians")


def _actors() -> list[Any]:
    return [
        ActorDefined(id="gov", name="Government", actor_kind="state"),
        ActorDefined(id="gov-army", name="Army", actor_kind="armed_force", affiliation="gov"),
        ActorDefined(id="rebels", name="Rebels", actor_kind="armed_force"),
        ActorDefined(
            id="rebel-wing", name="Rebel wing", actor_kind="armed_force", affiliation="rebels"
        ),
        ActorDefined(id="militia", name="Militia", actor_kind="armed_force"),
        PlaceDefined(id="land", name="Land", place_kind="country"),
        PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
        PlaceDefined(id="elsewhere", name="Elsewhere", place_kind="country"),
    ]


def _halt(**fields: Any) -> Commitment:
    """The rebels' unilateral ceasefire from 1 January 2020, forbidding any attack."""
    made: dict[str, Any] = {
        "id": "halt",
        "occurred": "2020-01-01",
        "sources": _wire("2020-01-01"),
        "commitment_kind": "ceasefire",
        "parties": ("rebels",),
        "prohibits": ("any_attack",),
        **fields,
    }
    return Commitment(**made)


def _clash(aid: str, day: str, codes: Codes | None = _GED_STATE, **fields: Any) -> Attack:
    """A clash as GED codes it: the government on side A, the rebels on side B."""
    made: dict[str, Any] = {
        "perpetrator": "gov",
        "target_actor": "rebels",
        "target_class": "military",
        "place": "town",
        "codes": codes,
        **fields,
    }
    return Attack(id=aid, occurred=day, sources=_wire(day), **made)


@pytest.mark.parametrize(
    "codes",
    [_GED_STATE, _GED_NON_STATE, _ACLED_BATTLE, _ACLED_OLD_BATTLE],
    ids=["ged-state-based", "ged-non-state", "acled-battles", "acled-old-battle"],
)
def test_a_clash_is_a_candidate_of_a_commitment_binding_side_b(codes: Codes) -> None:
    """The reproducer: the rebels' unilateral ceasefire, a clash during it with the
    government on side A and the rebels on side B. Either side may have struck, so
    the clash is a candidate violation of the rebels' ceasefire, both sides accused."""
    tl = _load(*_actors(), _halt(), _clash("clash", "2020-02-01", codes))
    assert set(_found(tl)) == {"candidate:clash:halt"}
    (assessment,) = tl.state(ReportedViolations)
    assert assessment.accused == ("gov", "rebels")


def test_a_clash_is_a_candidate_whichever_side_the_bound_party_is_on() -> None:
    """Side A bound (the orientation the rule always covered) and side B bound give
    the same answer; so does an actor affiliated with the bound party on side B."""
    swapped = _clash("swapped", "2020-02-01", perpetrator="rebels", target_actor="gov")
    wing = _clash("wing", "2020-02-02", target_actor="rebel-wing")
    tl = _load(*_actors(), _halt(), swapped, wing)
    assert set(_found(tl)) == {"candidate:swapped:halt", "candidate:wing:halt"}
    accused = {v.evidence: v.accused for v in tl.state(ReportedViolations)}
    assert accused == {"swapped": ("rebels", "gov"), "wing": ("gov", "rebel-wing")}


def test_a_clash_with_no_side_a_is_side_b_s() -> None:
    """A clash whose side A is unknown was possibly made by side B."""
    tl = _load(*_actors(), _halt(), _clash("clash", "2020-02-01", perpetrator=None))
    assert {v.id: v.accused for v in tl.state(ReportedViolations)} == {
        "candidate:clash:halt": ("rebels",)
    }


@pytest.mark.parametrize(
    "codes",
    [_GED_ONE_SIDED, _ACLED_CIVILIANS, None, Codes(cameo="190")],
    ids=["ged-one-sided", "acled-civilians", "no-codes", "cameo-only"],
)
def test_an_attack_not_between_sides_is_only_its_perpetrator_s(codes: Codes | None) -> None:
    """One-sided violence (GED type 3), an ACLED event other than a battle, or an
    attack with no dataset's codes names an attacker and a target: it is a candidate
    only of commitments binding its perpetrator (or an actor it is affiliated with),
    never of one binding its target."""
    on_rebels = _clash("on-rebels", "2020-02-01", codes)
    by_rebels = _clash("by-rebels", "2020-02-02", codes, perpetrator="rebel-wing")
    tl = _load(*_actors(), _halt(), on_rebels, by_rebels)
    assert {v.id: v.accused for v in tl.state(ReportedViolations)} == {
        "candidate:by-rebels:halt": ("rebel-wing",)
    }


def test_every_other_condition_still_holds_for_a_clash() -> None:
    """Either side's being bound replaces only the maker test: the clash must still
    possibly fall in the active time, lie in the scope and hit a prohibited target."""
    halt = _halt(
        until="2020-03-01", prohibits=("attacks_on_civilians",), scope=Scope(include=("land",))
    )
    clashes = [
        _clash("civilians", "2020-02-01", target_class="civilian"),
        _clash("military", "2020-02-02"),
        _clash("abroad", "2020-02-03", target_class="civilian", place="elsewhere"),
        _clash("before", "2019-12-31", target_class="civilian"),
        _clash("after", "2020-03-02", target_class="civilian"),
        _clash("others", "2020-02-04", target_class="civilian", target_actor="militia"),
    ]
    tl = _load(*_actors(), halt, *clashes)
    assert set(_found(tl)) == {"candidate:civilians:halt"}


@pytest.mark.parametrize("backdated", [True, False], ids=["backdated", "replayed-first"])
def test_a_commitment_weighs_the_clashes_replayed_before_it(backdated: bool) -> None:
    """The look-back when a commitment is replayed after the attacks (announced on
    1 March, in effect from 1 January) finds the clashes its party fought on side B,
    as the weighing of each attack against a commitment replayed before it does."""
    halt = (
        _halt(occurred="2020-03-01", sources=_wire("2020-03-01"), effective="2020-01-01")
        if backdated
        else _halt()
    )
    clashes = [
        _clash("clash", "2020-02-01"),
        _clash("one-sided", "2020-02-02", _GED_ONE_SIDED),
        _clash("wing", "2020-02-03", _ACLED_BATTLE, target_actor="rebel-wing"),
    ]
    tl = _load(*_actors(), *clashes, halt)
    assert set(_found(tl)) == {"candidate:clash:halt", "candidate:wing:halt"}


def test_an_affiliation_replayed_after_a_clash_binds_side_b() -> None:
    """Affiliations are those replayed up to the later of the attack and the
    commitment: side B is known to be the rebels' wing only after the clash was
    replayed, and the (backdated) ceasefire comes later still."""
    wing = ActorDefined(
        id="new-wing",
        name="New wing",
        actor_kind="armed_force",
        affiliation="rebels",
        occurred="2020-02-15",
    )
    halt = _halt(occurred="2020-03-01", sources=_wire("2020-03-01"), effective="2020-01-01")
    clash = _clash("clash", "2020-02-01", target_actor="new-wing")
    tl = _load(*_actors(), wing, clash, halt)
    assert set(_found(tl)) == {"candidate:clash:halt"}


def test_the_accused_filter_holds_a_clash_against_both_sides() -> None:
    """``accused``: a candidate's accused are its attack's perpetrator and, for an
    attack between sides, its target actor; an actor affiliated with one passes. A
    one-sided attack is evidence against its perpetrator only."""
    gov_pledge = _halt(id="pledge", parties=("gov",))
    tl = _load(
        *_actors(),
        _halt(),
        gov_pledge,
        _clash("clash", "2020-02-01", target_actor="rebel-wing"),
        _clash("one-sided", "2020-02-02", _GED_ONE_SIDED),
    )
    both = {"candidate:clash:halt", "candidate:clash:pledge"}
    assert set(_found(tl)) == {*both, "candidate:one-sided:pledge"}

    def kept(accused: str | tuple[str, ...]) -> set[str]:
        return set(tl.state(ReportedViolations, accused=accused).ids())

    assert kept("gov") == {*both, "candidate:one-sided:pledge"}
    assert kept("rebels") == both  # the wing is affiliated with the rebels
    assert kept("rebel-wing") == both
    assert kept("militia") == set()


def test_between_sides_is_derived_from_the_codes_and_never_stored() -> None:
    """`Attack.between_sides` reads the codes (GED types 1 and 2, and any GED type
    none of its codes 1-3; ACLED battles in any case); it is no field, so an attack's
    JSON (and so its bytes and hash) is what it was."""
    expected = {
        None: False,
        _GED_STATE: True,
        _GED_NON_STATE: True,
        _GED_ONE_SIDED: False,
        # A GED type none of its codes 1-3 (kept as published): two sides, no attacker.
        Codes(ucdp_type_of_violence="4"): True,
        Codes(ucdp_type_of_violence=""): True,
        _ACLED_BATTLE: True,
        _ACLED_OLD_BATTLE: True,
        Codes(acled_event_type="BATTLES"): True,
        _ACLED_CIVILIANS: False,
        Codes(cameo="190"): False,
    }
    for codes, between in expected.items():
        attack = _clash("clash", "2020-02-01", codes)
        assert attack.between_sides is between, codes
        text = to_json(attack)
        assert "between_sides" not in text
        assert from_json(text) == attack


def test_the_headline_and_the_rule_share_the_definition() -> None:
    """The export's headline calls a clash fighting between two sides exactly when
    the violation rule takes it as made by either side."""
    for codes in (_GED_STATE, _ACLED_BATTLE, _GED_ONE_SIDED, None):
        attack = _clash("clash", "2020-02-01", codes)
        words = headline(attack, Names())
        assert words.startswith("Fighting between") is attack.between_sides
