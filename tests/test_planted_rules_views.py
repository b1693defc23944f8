"""Rules of the views that a planted-bug pass over docs/explanation/views.md,
violations.md, agreements.md and semantics.md (and the casualty rule of claims.md)
found unpinned: each test breaks when its rule is broken in ``views/``.

Every expected value is written out by hand from the rule on a small hand-built
timeline, never computed by the code under test.
"""

from __future__ import annotations

from conflict_timeline import (
    Accusation,
    ActiveCommitments,
    ActorDefined,
    Agreement,
    Agreements,
    Attack,
    Commitment,
    CommitmentEnded,
    CommitmentHistory,
    Condition,
    Confirmation,
    Denial,
    MemoryStore,
    PlaceDefined,
    ReportedViolations,
    Scope,
    Status,
    Timeline,
    TriggeredCommitments,
)
from rule_kit import GED_STATE, TWO_STATES, clock, load, wire

# ----------------------------------------------------------------- triggered commitments


def _pledge(condition: Condition) -> Commitment:
    return Commitment(
        id="pact",
        occurred="2020-01-01",
        sources=wire("2020-01-01"),
        commitment_kind="mutual_defense",
        parties=("south",),
        condition=condition,
    )


def _truce(*parties: str) -> Commitment:
    """A ceasefire of ``parties`` (north alone by default), made and in force from
    1 January 2020, prohibiting any attack."""
    return Commitment(
        id="truce",
        occurred="2020-01-01",
        sources=wire("2020-01-01"),
        commitment_kind="ceasefire",
        parties=parties or ("north",),
        prohibits=("any_attack",),
    )


def _attack(aid: str, day: str, place: str, perpetrator: str) -> Attack:
    return Attack(
        id=aid,
        occurred=day,
        sources=wire(day),
        perpetrator=perpetrator,
        place=place,
        target_class="military",
    )


def test_by_holds_for_every_attack_after_the_examples_are_full() -> None:
    """violations.md, "Triggered commitments": when ``by`` names actors, an attack meets
    the condition only when its perpetrator is one of them or affiliated with one. That
    holds for every attack, not only for the first five (those kept as examples): an
    attack within the named place made by someone else never triggers the pledge."""
    world = (
        *TWO_STATES,
        ActorDefined(id="rebels", name="Rebels", actor_kind="armed_force"),
        PlaceDefined(id="land", name="Land", place_kind="country"),
        PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
        PlaceDefined(id="coast", name="Coast", place_kind="country"),
    )
    elsewhere = [
        _attack(f"coast-{d}", f"2020-02-0{d}", "coast", "north-army") for d in range(1, 7)
    ]
    found = (
        load(
            *world,
            _pledge(Condition(attack_within=("land",), by=("north",))),
            *elsewhere,
            _attack("rebels-in-town", "2020-03-01", "town", "rebels"),
            _attack("north-in-town", "2020-03-02", "town", "north-army"),
        )
        .state(TriggeredCommitments, at="2020-03-31")
        .get("pact")
    )
    assert found is not None
    # Only the attack within land by an affiliate of north meets it; the six on the
    # coast and the rebels' attack in town are the others considered.
    assert found.triggered is True
    assert found.attacks == ("north-in-town",)
    assert found.considered == 7
    assert [aid for aid, _ in found.examples] == [f"coast-{d}" for d in range(1, 6)]


def test_considered_counts_only_attacks_in_the_pledges_own_active_time() -> None:
    """violations.md, "Triggered commitments": ``considered`` counts the attacks in the
    commitment's active time and scope that do not meet its condition. A pledge that
    takes effect later than another of the same scope (here both everywhere) does not
    count the attacks made before its own start, which the other one counts."""
    world = (
        *TWO_STATES,
        PlaceDefined(id="land", name="Land", place_kind="country"),
        PlaceDefined(id="coast", name="Coast", place_kind="country"),
    )
    condition = Condition(attack_within=("land",))
    early = _pledge(condition)
    late = Commitment(
        id="late",
        occurred="2020-01-01",
        effective="2020-03-01",
        sources=wire("2020-01-01"),
        commitment_kind="mutual_defense",
        parties=("south",),
        condition=condition,
    )
    answer = load(
        *world,
        early,
        late,
        _attack("feb-1", "2020-02-01", "coast", "north-army"),
        _attack("feb-2", "2020-02-02", "coast", "north-army"),
        _attack("mar-5", "2020-03-05", "coast", "north-army"),
    ).state(TriggeredCommitments, at="2020-03-31")
    pact, later = answer.get("pact"), answer.get("late")
    assert pact is not None
    assert later is not None
    assert (pact.attacks, pact.considered) == ((), 3)
    assert (later.attacks, later.considered) == ((), 1)
    assert later.examples == (("mar-5", "coast is not within land de jure"),)


# ----------------------------------------------------------------- commitment history


def test_a_commitments_history_is_ordered_by_when_each_takes_effect_then_id() -> None:
    """CommitmentHistory lists every commitment made, ordered by effective date (ties
    by id), whatever its id or the order it was made in."""

    def truce(cid: str, announced: str, effective: str) -> Commitment:
        return Commitment(
            id=cid,
            occurred=announced,
            effective=effective,
            sources=wire(announced),
            commitment_kind="ceasefire",
            parties=("north", "south"),
            prohibits=("any_attack",),
        )

    history = load(
        *TWO_STATES,
        truce("a-late", "2020-01-01", "2020-03-01"),
        truce("b-early", "2020-01-05", "2020-01-05"),
        truce("c-tie", "2020-01-02", "2020-02-01"),
        truce("b-tie", "2020-01-03", "2020-02-01"),
    ).state(CommitmentHistory)
    assert history.ids() == ("b-early", "b-tie", "c-tie", "a-late")


def test_commitments_taking_effect_at_different_precisions_go_by_the_first_instant() -> None:
    """ActiveCommitments, CommitmentHistory and TriggeredCommitments list commitments
    by when each takes effect, then id: a commitment in effect from "February 2020"
    may have taken effect on 1 February, so it comes before one in effect from 10
    February, though its period ends later and its id comes after."""

    def pledge(cid: str, effective: str) -> Commitment:
        return Commitment(
            id=cid,
            occurred="2020-01-01",
            effective=effective,
            sources=wire("2020-01-01"),
            commitment_kind="mutual_defense",
            parties=("south",),
            condition=Condition(attack_within=("land",)),
        )

    tl = load(
        *TWO_STATES,
        PlaceDefined(id="land", name="Land", place_kind="country"),
        pledge("a-day", "2020-02-10"),
        pledge("z-month", "2020-02"),
    )
    expected = ("z-month", "a-day")
    assert tl.state(ActiveCommitments, at="2020-03-01").ids() == expected
    assert tl.state(CommitmentHistory, at="2020-03-01").ids() == expected
    assert tl.state(TriggeredCommitments, at="2020-03-01").ids() == expected


def test_of_two_ends_on_one_day_the_one_known_from_the_earlier_instant_is_shown() -> None:
    """violations.md, "Supersession and the winning end": the end shown is the smallest
    by (earliest instant of occurred, explicit before implied, earliest instant of the
    knowledge time, id). Two ends of the same day: the one reported "March 2020" may
    have been known from 1 March, before the one reported on 5 March, so it is shown,
    though its knowledge time ends later and its id comes after."""
    truce = _truce("north", "south")

    def end(eid: str, reported: str) -> CommitmentEnded:
        return CommitmentEnded(
            id=eid,
            occurred="2020-03-01",
            sources=wire(reported),
            commitment="truce",
            reason="collapsed",
        )

    tl = load(*TWO_STATES, truce, end("a-end", "2020-03-05"), end("z-end", "2020-03"))
    life = tl.state(CommitmentHistory).get("truce")
    assert life is not None
    assert life.ended is not None
    assert life.ended.id == "z-end"


# ----------------------------------------------------------------- agreements


def test_agreements_made_at_different_precisions_go_by_the_start_of_occurred() -> None:
    """agreements.md: the Agreements view lists agreements ordered by the start of their
    ``occurred``, then id: one of "February 2020" before one of 10 February, though its
    id comes after."""

    def agreement(aid: str, occurred: str) -> Agreement:
        return Agreement(
            id=aid,
            occurred=occurred,
            sources=wire(occurred),
            title=aid,
            signatories=("north", "south"),
        )

    answer = load(
        *TWO_STATES, agreement("a-day", "2020-02-10"), agreement("z-month", "2020-02")
    ).state(Agreements)
    assert answer.ids() == ("z-month", "a-day")


# ----------------------------------------------------------------- reported violations


def test_a_clash_between_two_units_of_one_side_names_it_accused_once() -> None:
    """violations.md, "Attacks between sides": both sides of a clash are its accused.
    When GED puts the same actor on both sides (fighting within one force), that actor
    is the one accused, listed once."""
    ceasefire = _truce()
    clash = Attack(
        id="infighting",
        occurred="2020-02-01",
        sources=wire("2020-02-01"),
        perpetrator="north-army",
        target_actor="north-army",
        target_class="military",
        codes=GED_STATE,
    )
    (assessment,) = load(*TWO_STATES, ceasefire, clash).state(ReportedViolations)
    assert assessment.id == "candidate:infighting:truce"
    assert assessment.accused == ("north-army",)


def test_assessments_reported_together_at_different_precisions_go_by_the_first_instant() -> None:
    """violations.md, "How an answer is listed": by first report first. The report
    "October 2020" may have been made on 1 October, so its allegation comes before
    one first reported on 15 October, though that one's report ends earlier (and its
    id comes first)."""
    ceasefire = _truce()

    def accusation(aid: str, reported: str) -> Accusation:
        return Accusation(
            id=aid,
            occurred="2020-09-30",
            sources=wire(reported),
            accuser="south",
            accused=("north-army",),
            breach_of="truce",
        )

    answer = load(
        *TWO_STATES,
        ceasefire,
        accusation("a-mid-october", "2020-10-15"),
        accusation("b-in-october", "2020-10"),
    ).state(ReportedViolations)
    assert answer.ids() == ("alleged:b-in-october:truce", "alleged:a-mid-october:truce")


def test_an_accusation_alleges_a_breach_of_a_commitment_binding_any_of_its_accused() -> None:
    """violations.md, "Alleged": an accusation naming no commitment alleges a breach of
    every commitment that binds *one of* its accused (here the second one named) and
    covers one of its incidents; whether the commitment is replayed before the
    accusation or after it (announced later, in effect from before)."""
    for announced in ("2020-01-01", "2020-03-01"):
        pledge = Commitment(
            id="north-pledge",
            occurred=announced,
            effective="2020-01-01",
            sources=wire(announced),
            commitment_kind="ceasefire",
            parties=("north",),
            prohibits=("any_attack",),
        )
        strike = _attack("strike", "2020-02-01", "land", "north-army")
        accusation = Accusation(
            id="claim",
            occurred="2020-02-05",
            sources=wire("2020-02-05"),
            accuser="south",
            accused=("south-army", "north-army"),
            incidents=("strike",),
        )
        answer = load(
            *TWO_STATES,
            PlaceDefined(id="land", name="Land", place_kind="country"),
            pledge,
            strike,
            accusation,
        ).state(ReportedViolations)
        assert set(answer.ids()) == {
            "alleged:claim:north-pledge",
            "candidate:strike:north-pledge",
        }, announced


def test_an_attack_within_any_named_place_or_on_any_named_actor_meets_the_condition() -> None:
    """violations.md, "Triggered commitments": the place test passes when the attack
    lies de jure within *one of* the named places, the target test when its target is
    one of the named actors (or affiliated with one). That holds for the second place
    or actor named too, and for attacks after the first five misses kept as examples."""
    world = (
        *TWO_STATES,
        ActorDefined(id="rebels", name="Rebels", actor_kind="armed_force"),
        PlaceDefined(id="land", name="Land", place_kind="country"),
        PlaceDefined(id="coast", name="Coast", place_kind="country"),
        PlaceDefined(id="harbour", name="Harbour", place_kind="city", parent="coast"),
        PlaceDefined(id="abroad", name="Abroad", place_kind="country"),
    )
    misses = [_attack(f"miss-{d}", f"2020-02-0{d}", "abroad", "rebels") for d in range(1, 7)]
    by_place = _pledge(Condition(attack_within=("land", "coast")))
    found = (
        load(*world, by_place, *misses, _attack("in-harbour", "2020-03-01", "harbour", "rebels"))
        .state(TriggeredCommitments, at="2020-03-31")
        .get("pact")
    )
    assert found is not None
    assert (found.attacks, found.considered) == (("in-harbour",), 6)

    on_target = _pledge(Condition(against=("south", "north")))
    aimed = Attack(
        id="on-north",
        occurred="2020-03-01",
        sources=wire("2020-03-01"),
        perpetrator="rebels",
        target_actor="north-army",
        place="abroad",
        target_class="military",
    )
    found = (
        load(*world, on_target, *misses, aimed)
        .state(TriggeredCommitments, at="2020-03-31")
        .get("pact")
    )
    assert found is not None
    assert (found.attacks, found.considered) == (("on-north",), 6)


def test_an_answer_about_any_of_an_accusations_incidents_weighs_on_its_status() -> None:
    """violations.md, "Status": the denials and confirmations that count are those of
    the evidence and, for an accusation, of its incidents: any of them, here the second
    it names, answered after the accusation is known."""
    truce = _truce()
    accusation = Accusation(
        id="claim",
        occurred="2020-02-05",
        sources=wire("2020-02-05"),
        accuser="south",
        accused=("north-army",),
        incidents=("first", "second"),
        breach_of="truce",
    )
    world = (
        *TWO_STATES,
        PlaceDefined(id="land", name="Land", place_kind="country"),
        truce,
        _attack("first", "2020-02-01", "land", "north-army"),
        _attack("second", "2020-02-02", "land", "north-army"),
        accusation,
    )
    denial = Denial(
        id="no-second",
        occurred="2020-02-10",
        sources=wire("2020-02-10"),
        denier="north",
        denies="second",
    )
    confirmation = Confirmation(
        id="yes-second",
        occurred="2020-02-10",
        sources=wire("2020-02-10"),
        confirmer="south",
        confirms="second",
    )
    for answer, status, denials, confirmations in (
        (denial, Status.DISPUTED, ("no-second",), ()),
        (confirmation, Status.CORROBORATED, (), ("yes-second",)),
    ):
        found = load(*world, answer).state(ReportedViolations).get("alleged:claim:truce")
        assert found is not None
        assert (found.status, found.denials, found.confirmations) == (
            status,
            denials,
            confirmations,
        )


def test_an_accusation_is_derived_afresh_when_its_second_incident_or_its_place_arrives() -> None:
    """violations.md, "Narrower questions": what an accusation alleges is derived when
    it is replayed and again whenever a record it depends on is replayed later: its
    incidents (any of them, here the second it names, made later the same day) and
    the definition of a place an incident lies in (here the second incident's village,
    defined later and put inside the commitment's territory). The first incident,
    before the commitment took effect, is covered by neither."""
    pledge = Commitment(
        id="pledge",
        occurred="2020-02-01",
        sources=wire("2020-02-01"),
        commitment_kind="ceasefire",
        parties=("north",),
        prohibits=("any_attack",),
        scope=Scope(include=("land",)),
    )
    accusation = Accusation(
        id="claim",
        occurred="2020-02-05",
        sources=wire("2020-02-05"),
        accuser="south",
        accused=("north-army",),
        incidents=("early", "later"),
    )
    land = PlaceDefined(id="land", name="Land", place_kind="country")
    early = _attack("early", "2020-01-15", "land", "north-army")
    later_today = Attack(
        id="later",
        occurred="2020-02-05T18:00",
        sources=wire("2020-02-05"),
        perpetrator="north-army",
        place="land",
        target_class="military",
    )
    in_village = _attack("later", "2020-02-03", "village", "north-army")
    village = PlaceDefined(
        id="village", name="Village", place_kind="village", parent="land", occurred="2020-03-01"
    )
    for records in ((later_today,), (in_village, village)):
        tl = Timeline(MemoryStore(clock=clock))
        # The village is named before it is defined: appended out of order.
        tl.append(*TWO_STATES, land, pledge, early, accusation, *records, strict=False)
        answer = tl.state(ReportedViolations)
        assert "alleged:claim:pledge" in answer.ids(), records[-1].id
