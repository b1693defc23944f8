"""Rules of TriggeredCommitments that the mutation run of ``views/_triggers.py`` found
unpinned (docs/testing.md, "Mutation testing"), one hand-built timeline each.

The rules are those of docs/explanation/violations.md ("Triggered commitments", and
"Active time" and "Scope" under the rules of candidates); the expected values are
written out by hand from them, never computed by the code under test.
"""

from __future__ import annotations

from typing import Any

from conflict_timeline import (
    ActorDefined,
    Attack,
    Commitment,
    CommitmentEnded,
    Condition,
    PlaceDefined,
    Scope,
    Trigger,
    TriggeredCommitments,
)
from rule_kit import TWO_STATES, load, wire

WORLD = (
    *TWO_STATES,
    ActorDefined(id="rebels", name="Rebels", actor_kind="armed_force"),
    PlaceDefined(id="land", name="Land", place_kind="country"),
    PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
    PlaceDefined(id="coast", name="Coast", place_kind="country"),
    PlaceDefined(id="harbour", name="Harbour", place_kind="city", parent="coast"),
    PlaceDefined(id="abroad", name="Abroad", place_kind="country"),
)


def pact(
    condition: Condition,
    *,
    cid: str = "pact",
    occurred: str = "2019-12-01",
    effective: str = "2020-01-01",
    scope: Scope | None = None,
    **fields: Any,
) -> Commitment:
    return Commitment(
        id=cid,
        occurred=occurred,
        effective=effective,
        **fields,
        sources=wire(occurred),
        commitment_kind="mutual_defense",
        parties=("south",),
        scope=scope or Scope(),
        condition=condition,
    )


def attack(aid: str, day: str = "2020-02-01", **fields: Any) -> Attack:
    made: dict[str, Any] = {"perpetrator": "north-army", "place": "town", **fields}
    return Attack(id=aid, occurred=day, sources=wire(day), target_class="military", **made)


def trigger(*records: Any, cid: str = "pact", at: str | None = None) -> Trigger:
    found = load(*WORLD, *records).state(TriggeredCommitments, at=at).get(cid)
    assert found is not None
    return found


def weighed(found: Trigger) -> tuple[tuple[str, ...], int, tuple[tuple[str, str], ...]]:
    return found.attacks, found.considered, found.examples


# ----------------------------------------------------------------- the named tests


def test_the_place_test_names_the_chain_or_an_unknown_place() -> None:
    """The place test passes when the attack's place lies de jure within one of the
    places, else fails with "its place is not known" or "<place -> its ancestors> is
    not within <P1 or P2> de jure"."""
    found = trigger(
        pact(Condition(attack_within=("land", "coast"))),
        attack("in-town", "2020-02-01"),
        attack("in-harbour", "2020-02-02", place="harbour"),
        attack("far-away", "2020-02-03", place="abroad"),
        attack("unplaced", "2020-02-04", place=None),
    )
    assert weighed(found) == (
        ("in-town", "in-harbour"),
        2,
        (
            ("far-away", "abroad is not within land or coast de jure"),
            ("unplaced", "its place is not known"),
        ),
    )


def test_the_target_test_takes_affiliates_and_names_the_target() -> None:
    """The target test passes when the target is one of the actors or affiliated with
    one, else fails with "its target is not known" or "aimed at <target>, not at <A1
    or A2>"."""
    found = trigger(
        pact(Condition(against=("south", "rebels"))),
        attack("on-south-army", "2020-02-01", target_actor="south-army"),
        attack("on-rebels", "2020-02-02", target_actor="rebels"),
        attack("on-north-army", "2020-02-03", target_actor="north-army"),
        attack("on-nobody-known", "2020-02-04"),
    )
    assert weighed(found) == (
        ("on-south-army", "on-rebels"),
        2,
        (
            ("on-north-army", "aimed at north-army, not at south or rebels"),
            ("on-nobody-known", "its target is not known"),
        ),
    )


def _both_tests(match: str) -> Trigger:
    return trigger(
        pact(Condition(attack_within=("land",), against=("south",), match=match)),
        attack("a-in-land-on-south", target_actor="south-army"),
        attack("b-in-land-on-north", target_actor="north-army"),
        attack("c-abroad-on-south", place="abroad", target_actor="south-army"),
        attack("d-abroad-on-north", place="abroad", target_actor="north-army"),
        attack("e-unknown", place=None),
    )


def test_all_needs_every_named_test_and_gives_the_first_failure() -> None:
    assert weighed(_both_tests("all")) == (
        ("a-in-land-on-south",),
        4,
        (
            ("b-in-land-on-north", "aimed at north-army, not at south"),
            ("c-abroad-on-south", "abroad is not within land de jure"),
            ("d-abroad-on-north", "abroad is not within land de jure"),
            ("e-unknown", "its place is not known"),
        ),
    )


def test_any_needs_one_named_test_and_joins_the_reasons_when_none_passes() -> None:
    assert weighed(_both_tests("any")) == (
        ("a-in-land-on-south", "b-in-land-on-north", "c-abroad-on-south"),
        2,
        (
            (
                "d-abroad-on-north",
                "abroad is not within land de jure; aimed at north-army, not at south",
            ),
            ("e-unknown", "its place is not known; its target is not known"),
        ),
    )


def test_by_is_weighed_after_the_named_tests() -> None:
    found = trigger(
        pact(Condition(against=("south",), match="any", by=("north",))),
        attack("a-on-south", target_actor="south-army"),
        attack("b-by-rebels", perpetrator="rebels", target_actor="south-army"),
        attack("c-by-nobody-known", perpetrator=None, target_actor="south-army"),
        attack("d-on-north", target_actor="north-army"),
    )
    assert weighed(found) == (
        ("a-on-south",),
        3,
        (
            ("b-by-rebels", "made by rebels, not by north"),
            ("c-by-nobody-known", "made by an unknown perpetrator, not by north"),
            ("d-on-north", "aimed at north-army, not at south"),
        ),
    )


def test_the_explanation_joins_places_and_targets_by_the_match() -> None:
    """ "within P" for places, "on A (or an affiliate)" for targets, joined by "and"
    (``match="all"``) or "or" (``match="any"``)."""
    hit = attack("hit", place="harbour", target_actor="rebels")
    for match, joined in (("all", "and"), ("any", "or")):
        condition = Condition(
            attack_within=("land", "coast"), against=("south", "rebels"), match=match
        )
        assert trigger(pact(condition), hit).explanation == (
            f"triggered: 1 reported attack(s) within land or coast {joined} "
            "on south or rebels (or an affiliate): hit"
        )


# ----------------------------------------------------------------- active time and scope


def test_an_attack_counts_from_the_instant_the_pledge_takes_effect() -> None:
    """Active time: the attack's last instant is not before the effective start. The
    same for a pledge announced after the attacks (backdated) and one announced
    before them (pending when a coarse attack reaching into its start is replayed)."""
    noon = "2020-02-01T12:00:00Z"
    backdated = trigger(
        pact(Condition(attack_within=("land",)), occurred="2020-03-01", effective=noon),
        attack("day-before", "2020-01-31"),
        attack("second-before", "2020-02-01T11:59:59Z"),
        attack("at-start", noon),
        attack("two-days-later", "2020-02-03"),
    )
    assert weighed(backdated) == (("at-start", "two-days-later"), 0, ())
    pending = trigger(
        pact(Condition(attack_within=("land",)), effective="2020-02-10"),
        attack("in-january", "2020-01"),
        attack("early-february", "2020-02-05"),
        attack("some-time-in-february", "2020-02"),
        attack("far-in-february", "2020-02", place="abroad"),
    )
    assert weighed(pending) == (
        ("some-time-in-february",),
        1,
        (("far-in-february", "abroad is not within land de jure"),),
    )


def test_only_attacks_in_the_scope_are_weighed_however_the_pledge_met_them() -> None:
    """Scope: a place is in scope when it or a place it lies within is included and
    none of them is excluded; an attack with no place only for a pledge with neither.
    The same whether the pledge was in force, pending or made after the attacks."""
    condition = Condition(attack_within=("land",), by=("south",))
    scope = Scope(include=("land", "coast"), exclude=("harbour",))
    attacks = (
        attack("by-north", "2020-02"),
        attack("by-south", "2020-02", perpetrator="south-army"),
        attack("in-harbour", "2020-02", place="harbour", perpetrator="south-army"),
        attack("far-away", "2020-02", place="abroad", perpetrator="south-army"),
        attack("unplaced", "2020-02", place=None, perpetrator="south-army"),
        attack("on-coast", "2020-02", place="coast"),
    )
    for occurred, effective in (
        ("2019-12-01", "2020-01-01"),  # in force when the attacks are replayed
        ("2019-12-01", "2020-02-10"),  # pending then
        ("2020-03-01", "2020-01-01"),  # made after them
    ):
        found = trigger(
            pact(condition, occurred=occurred, effective=effective, scope=scope), *attacks
        )
        assert weighed(found) == (
            ("by-south",),
            2,
            (
                ("by-north", "made by north-army, not by south"),
                ("on-coast", "coast is not within land de jure"),
            ),
        ), (occurred, effective)


def test_an_attack_with_no_place_is_weighed_only_by_a_pledge_for_everywhere() -> None:
    condition = Condition(attack_within=("land",))
    unplaced = attack("unplaced", place=None)
    for scope in (Scope(include=("land",)), Scope(exclude=("abroad",))):
        assert weighed(trigger(pact(condition, scope=scope), unplaced)) == ((), 0, ()), scope
    everywhere = trigger(pact(condition), unplaced)
    assert weighed(everywhere) == ((), 1, (("unplaced", "its place is not known"),))


def test_every_attack_in_the_period_and_scope_is_considered_once() -> None:
    """``considered`` counts each attack in the active time and scope that did not
    meet the condition, once, past the five examples; a pledge taking effect later
    counts only those from its start."""
    misses = [attack(f"miss-{d}", f"2020-02-{d:02d}", place="abroad") for d in range(1, 9)]
    hits = [attack(f"hit-{d}", f"2020-02-{d:02d}") for d in (9, 10)]
    late = attack("miss-11", "2020-02-11", place="abroad")
    within = Condition(attack_within=("land",))
    why = "abroad is not within land de jure"
    for scope in (Scope(), Scope(include=("land", "abroad"))):
        tl = load(
            *WORLD,
            pact(within, cid="early", scope=scope),
            pact(within, cid="late", effective="2020-02-03", scope=scope),
            *misses,
            *hits,
            late,
        )
        early, later = tl.state(TriggeredCommitments)
        assert weighed(early) == (
            ("hit-9", "hit-10"),
            9,
            tuple((f"miss-{d}", why) for d in range(1, 6)),
        ), scope
        assert weighed(later) == (
            ("hit-9", "hit-10"),
            7,
            tuple((f"miss-{d}", why) for d in range(3, 8)),
        ), scope
        # Alone, past its fifth example.
        (alone,) = load(*WORLD, pact(within, scope=scope), *misses, *hits, late).state(
            TriggeredCommitments
        )
        assert weighed(alone) == weighed(early), scope


def test_an_attack_in_a_scope_naming_a_place_and_its_sub_place_is_considered_once() -> None:
    """A scope may name a place and a place within it (``include=("land", "town")``):
    an attack in Town lies in the scope by either, and is still one attack, counted
    once and given as one example, whether the pledge meets it while watching or
    looks back at it when made after it."""
    coast = Condition(attack_within=("coast",))
    why = "town -> land is not within coast de jure"
    scope = Scope(include=("land", "town"))
    for made in ("2019-12-01", "2020-03-01"):  # before the attacks, and after them
        found = trigger(
            pact(coast, occurred=made, scope=scope),
            attack("in-town", "2020-02-01"),
            attack("in-land", "2020-02-02", place="land"),
            attack("out-of-scope", "2020-02-03", place="abroad"),
        )
        assert weighed(found) == (
            (),
            2,
            (("in-town", why), ("in-land", "land is not within coast de jure")),
        ), made


def test_pledges_with_overlapping_scopes_each_count_their_own() -> None:
    """Each pledge considers the attacks in its own scope from its own start, however
    many other pledges' scopes name the same places."""
    coast = Condition(attack_within=("coast",))
    why = "land is not within coast de jure"
    tl = load(
        *WORLD,
        pact(coast, cid="a-land", scope=Scope(include=("land",))),
        pact(coast, cid="b-land-but-town", effective="2020-02-01",
             scope=Scope(include=("land",), exclude=("town",))),
        *(attack(f"jan-{d}", f"2020-01-{d:02d}", place="land") for d in (1, 2, 3)),
        *(attack(f"feb-{d}", f"2020-02-{d:02d}", place="land") for d in (1, 2, 3)),
        attack("feb-4-town", "2020-02-04"),
    )  # fmt: skip
    whole, partial = tl.state(TriggeredCommitments)
    assert (whole.id, whole.considered, whole.attacks) == ("a-land", 7, ())
    assert whole.examples == (
        *((f"jan-{d}", why) for d in (1, 2, 3)),
        *((f"feb-{d}", why) for d in (1, 2)),
    )
    assert (partial.id, partial.considered, partial.attacks) == ("b-land-but-town", 3, ())
    assert partial.examples == tuple((f"feb-{d}", why) for d in (1, 2, 3))


def test_an_attack_meets_each_pledge_once_whatever_phase_the_others_are_in() -> None:
    """Pledges naming the same places, some out of scope, some not yet in effect, some
    with their five examples: the attack is weighed once for each pledge it is in the
    period and scope of, and missed by none of them."""
    places = Condition(attack_within=("land", "town"))
    tl = load(
        *WORLD,
        pact(places, cid="a-out", scope=Scope(include=("coast",))),
        pact(places, cid="a-pend", effective="2020-02-15", scope=Scope(include=("land", "town"))),
        pact(places, cid="a-pend2", effective="2020-02-15", scope=Scope(include=("land",))),
        pact(places, cid="b-watch"),
        *(attack(f"jan-{d}", f"2020-01-{d:02d}", place="abroad") for d in range(1, 6)),
        attack("feb-town", "2020-02"),  # a month: possibly after 15 February
    )
    found = {t.id: weighed(t) for t in tl.state(TriggeredCommitments)}
    why = "abroad is not within land or town de jure"
    assert found == {
        "a-out": ((), 0, ()),
        "a-pend": (("feb-town",), 0, ()),
        "a-pend2": (("feb-town",), 0, ()),
        "b-watch": (("feb-town",), 5, tuple((f"jan-{d}", why) for d in range(1, 6))),
    }
    # One place only: the pledge out of scope comes first in its index.
    land = Condition(attack_within=("land",))
    tl = load(
        *WORLD,
        pact(land, cid="a-out", scope=Scope(include=("coast",))),
        pact(land, cid="b-watch"),
        *(attack(f"jan-{d}", f"2020-01-{d:02d}", place="abroad") for d in range(1, 6)),
        attack("feb-town", "2020-02-01"),
    )
    assert [(t.id, t.attacks) for t in tl.state(TriggeredCommitments)] == [
        ("a-out", ()),
        ("b-watch", ("feb-town",)),
    ]
    # A target condition finds its hit past the fifth example as well.
    on_south = pact(Condition(against=("south",)))
    misses = (
        attack(f"jan-{d}", f"2020-01-{d:02d}", target_actor="north-army") for d in range(1, 7)
    )
    target_hit = trigger(
        on_south, *misses, attack("feb-hit", "2020-02-01", target_actor="south-army")
    )
    assert (target_hit.attacks, target_hit.considered) == (("feb-hit",), 6)


# ----------------------------------------------------------------- geography


def test_a_pledge_made_after_the_attacks_judges_them_by_the_geography_then() -> None:
    """Places and affiliations are those replayed up to the later of the attack and
    the pledge: a village and a militia defined after the attacks count for a pledge
    made after both, not for one in force before."""
    later = (
        PlaceDefined(
            id="village",
            name="Village",
            place_kind="village",
            parent="land",
            occurred="2020-02-15",
        ),
        PlaceDefined(
            id="hamlet", name="Hamlet", place_kind="village", parent="coast", occurred="2020-02-15"
        ),
        ActorDefined(
            id="militia",
            name="Militia",
            actor_kind="armed_force",
            affiliation="north",
            occurred="2020-02-15",
        ),
    )
    attacks = (
        attack("a-in-village", place="village", perpetrator="militia", target_actor="militia"),
        attack("b-in-hamlet", place="hamlet", perpetrator="militia", target_actor="militia"),
        attack("c-by-rebels", place="village", perpetrator="rebels", target_actor="rebels"),
    )
    places = Condition(attack_within=("land",), by=("north",))
    targets = Condition(against=("north",))
    for condition, hits, examples in (
        (
            places,
            ("a-in-village",),
            (
                ("b-in-hamlet", "hamlet -> coast is not within land de jure"),
                ("c-by-rebels", "made by rebels, not by north"),
            ),
        ),
        (
            targets,
            ("a-in-village", "b-in-hamlet"),
            (("c-by-rebels", "aimed at rebels, not at north"),),
        ),
    ):
        made_after = trigger(
            *later, *attacks, pact(condition, occurred="2020-03-01", effective="2020-01-01")
        )
        assert weighed(made_after) == (hits, len(examples), examples)
    in_force = trigger(*later, *attacks, pact(places))
    assert weighed(in_force) == (
        (),
        3,
        (
            ("a-in-village", "village is not within land de jure"),
            ("b-in-hamlet", "hamlet is not within land de jure"),
            ("c-by-rebels", "village is not within land de jure"),
        ),
    )
    in_force = trigger(*later, *attacks, pact(targets))
    assert weighed(in_force)[:2] == ((), 3)


# ----------------------------------------------------------------- ends


def test_a_pledge_ended_or_superseded_is_left_out_and_the_others_weigh_on() -> None:
    """A conditional pledge is listed while active: lapsed (``until``), ended or
    superseded it is not, and until then it weighs every attack in its period (a
    successor announced but not yet in effect changes nothing); the pledges still in
    force go on weighing every attack in theirs, whatever became of the others."""
    within = Condition(attack_within=("land",))
    either = Condition(attack_within=("land",), against=("south",), match="any")
    records = (
        pact(either, cid="short", until="2020-02-01"),
        pact(within, cid="long"),
        Commitment(id="truce", occurred="2020-01-01", sources=wire("2020-01-01"),
                   commitment_kind="ceasefire", parties=("north",)),
        attack("a1-hit", "2020-01-20"),
        CommitmentEnded(id="truce-over", occurred="2020-02-05", sources=wire("2020-02-05"),
                        commitment="truce", reason="collapsed"),
        attack("a2-miss", "2020-02-10", place="abroad"),
        # Made after ``short`` lapsed, backdated to before its ``until``: it
        # supersedes ``short`` from 15 January.
        pact(within, cid="successor", occurred="2020-03-01", effective="2020-01-15",
             supersedes=("short",)),
        # Announced on 2 March, it supersedes ``long`` from 20 March.
        Commitment(id="replacement", occurred="2020-03-02", effective="2020-03-20",
                   sources=wire("2020-03-02"), commitment_kind="ceasefire",
                   parties=("north",), supersedes=("long",)),
        attack("a3-hit", "2020-03-05", target_actor="south-army"),
        pact(within, cid="brief", occurred="2020-04-02", effective="2020-04-02",
             until="2020-04-05"),
        attack("a4-hit", "2020-04-10", target_actor="south-army"),
        attack("a5-miss", "2020-04-11", place="abroad", target_actor="south-army"),
    )  # fmt: skip
    tl = load(*WORLD, *records)
    miss = ("a2-miss", "abroad is not within land de jure")
    january = tl.state(TriggeredCommitments, at="2020-01-25")
    assert january.ids() == ("long", "short")
    assert [weighed(t) for t in january] == [(("a1-hit",), 0, ())] * 2
    march = tl.state(TriggeredCommitments, at="2020-03-10")
    assert march.ids() == ("long", "successor")
    assert [weighed(t) for t in march] == [(("a1-hit", "a3-hit"), 1, (miss,))] * 2
    assert tl.state(TriggeredCommitments, at="2020-03-20").ids() == ("successor",)
    assert tl.state(TriggeredCommitments, at="2020-04-03").ids() == ("successor", "brief")
    # A pledge with its five examples lapses like any other.
    full = load(
        *WORLD,
        pact(within, cid="full", until="2020-01-10"),
        *(attack(f"jan-{d}", f"2020-01-{d:02d}", place="abroad") for d in range(1, 7)),
        attack("jan-20", "2020-01-20"),
    )
    assert [(t.id, t.considered) for t in full.state(TriggeredCommitments, at="2020-01-08")] == [
        ("full", 6)
    ]
    assert full.state(TriggeredCommitments).ids() == ()
    (successor,) = tl.state(TriggeredCommitments)
    assert successor.id == "successor"
    assert weighed(successor) == (
        ("a1-hit", "a3-hit", "a4-hit"),
        2,
        (miss, ("a5-miss", "abroad is not within land de jure")),
    )


def test_an_attack_ending_at_the_instant_the_pledge_takes_effect_is_weighed() -> None:
    """Active time: an attack possibly falls in it when its last instant is not
    before the ``effective`` start (equal counts). With the pact effective from the
    last microsecond of 1 January 2020, an attack on that day (its last instant is
    the start) is weighed and meets the condition; one on 31 December is not weighed
    (nor counted as considered). So whether the pact is made before the attacks
    (pending when they are replayed) or after them (looking back)."""
    for occurred in ("2019-12-01", "2020-01-05"):
        found = trigger(
            pact(
                Condition(attack_within=("land",)),
                occurred=occurred,
                effective="2020-01-01T23:59:59.999999Z",
            ),
            attack("before", "2019-12-31"),
            attack("edge", "2020-01-01"),
            at="2020-02-01",
        )
        assert weighed(found) == (("edge",), 0, ()), occurred


def test_an_attack_after_a_coarse_until_began_is_weighed_while_certainly_active() -> None:
    """Active time: an attack possibly falls in it when its first instant is not after
    the *last* instant of ``until``. With ``until`` "March 2020" (a month), under
    ``certainty="certain"`` at 15 March the pact has not certainly lapsed (March may
    run on) and is listed; an attack on 10 March, after the month's first instant,
    is weighed and meets the condition."""
    tl = load(
        *WORLD,
        pact(Condition(attack_within=("land",)), until="2020-03"),
        attack("in-march", "2020-03-10"),
    )
    found = tl.state(TriggeredCommitments, at="2020-03-15", certainty="certain").get("pact")
    assert found is not None
    assert weighed(found) == (("in-march",), 0, ())
