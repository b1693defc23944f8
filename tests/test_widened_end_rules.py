"""A commitment whose winning end is replaced by an earlier-starting but later-ending
one: the rules of docs/explanation/violations.md ("When a commitment is in force",
"Supersession and the winning end", and "Active time" under the rules of
candidates), one hand-built timeline each.

The case: a dated end of the truce is known first (10 March); a successor announced
later (20 March), in effect from "March 2020" (the whole month), supersedes it. Its
implied end begins on 1 March, so it is the winning end, and it may run to 31 March.
So, by the rules, on 28 March the truce has *possibly* ended (ended under
``certainty="possible"``) but not *certainly* (active under ``"certain"``), and its
active time runs to 31 March: every attack that began by then possibly fell in it.
The expected answers are written from those rules, never computed by the code under
test.
"""

from __future__ import annotations

from typing import Any

from conflict_timeline import (
    ActiveCommitments,
    Attack,
    Commitment,
    CommitmentEnded,
    CommitmentHistory,
    CommitmentStatus,
    Condition,
    PlaceDefined,
    TriggeredCommitments,
)
from rule_kit import TWO_STATES, load, wire

PLACES = (
    PlaceDefined(id="land", name="Land", place_kind="country"),
    PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
)


def truce(occurred: str = "2020-01-01", **fields: Any) -> Commitment:
    return Commitment(
        id="truce",
        occurred=occurred,
        effective="2020-01-01",
        sources=wire(occurred),
        commitment_kind="mutual_defense",
        parties=("south",),
        condition=Condition(attack_within=("land",)),
        **fields,
    )


ENDED = CommitmentEnded(
    id="truce-ended",
    occurred="2020-03-10",
    sources=wire("2020-03-10"),
    commitment="truce",
    reason="collapsed",
)

SUCCESSOR = Commitment(
    id="successor",
    occurred="2020-03-20",
    effective="2020-03",
    sources=wire("2020-03-20"),
    commitment_kind="ceasefire",
    parties=("south",),
    prohibits=("any_attack",),
    supersedes=("truce",),
)


def raid(aid: str, day: str) -> Attack:
    return Attack(
        id=aid,
        occurred=day,
        sources=wire(day),
        perpetrator="north-army",
        place="town",
        target_class="military",
    )


def test_the_status_follows_the_winning_end_not_the_first_one_known() -> None:
    """ended iff the *winning* end has happened by ``at``: the implied end (1 to 31
    March) possibly has on 28 March, certainly has not; ActiveCommitments and
    CommitmentHistory agree."""
    tl = load(*TWO_STATES, *PLACES, truce(), ENDED, SUCCESSOR)
    at = "2020-03-28"
    assert tl.state(ActiveCommitments, at=at, certainty="certain").ids() == ("truce",)
    life = tl.state(CommitmentHistory, at=at, certainty="certain").get("truce")
    assert life is not None
    # The winning end is shown once it has happened by ``at``: not yet, certainly.
    assert (life.status, life.ended) == (CommitmentStatus.ACTIVE, None)
    # Under "possible" the winning end has happened (it may have begun on 1 March).
    assert "truce" not in tl.state(ActiveCommitments, at=at).ids()
    life = tl.state(CommitmentHistory, at=at).get("truce")
    assert life is not None
    assert life.status is CommitmentStatus.ENDED
    assert life.ended is not None
    assert life.ended.id == "successor~supersedes~truce"
    # After 31 March it has certainly happened.
    assert "truce" not in tl.state(ActiveCommitments, at="2020-04-01", certainty="certain").ids()


def test_attacks_up_to_the_last_instant_of_the_winning_end_are_weighed() -> None:
    """The raid of 15 March is replayed after the first end known (10 March), and
    before the successor that makes the implied end (to 31 March) the winning one:
    it possibly fell in the active time, so it is weighed like the raid of 25 March."""
    tl = load(
        *TWO_STATES,
        *PLACES,
        truce(),
        raid("before-end", "2020-03-05"),
        ENDED,
        raid("after-end", "2020-03-15"),
        SUCCESSOR,
        raid("late", "2020-03-25"),
    )
    found = tl.state(TriggeredCommitments, at="2020-03-28", certainty="certain").get("truce")
    assert found is not None
    assert found.attacks == ("before-end", "after-end", "late")
    assert found.considered == 0
    # Under "possible" the truce has ended by 28 March: it is not listed.
    assert tl.state(TriggeredCommitments, at="2020-03-28").get("truce") is None


def test_attacks_replayed_before_a_late_pledge_are_weighed_when_its_window_widens() -> None:
    """The truce is announced on 18 March, backdated to 1 January, with its end of 10
    March already known: the raid of 15 March, replayed before it, begins after that
    end. The successor's implied end then wins and runs to 31 March: the raid
    possibly fell in the active time after all, judged like any attack replayed
    before the pledge."""
    tl = load(
        *TWO_STATES,
        *PLACES,
        truce(occurred="2020-03-18"),  # appended first, replayed after the raid
        ENDED,
        raid("after-end", "2020-03-15"),
        SUCCESSOR,
        raid("late", "2020-03-25"),
    )
    found = tl.state(TriggeredCommitments, at="2020-03-28", certainty="certain").get("truce")
    assert found is not None
    assert found.attacks == ("after-end", "late")
    assert found.considered == 0


def test_misses_in_the_widened_window_are_counted_and_kept_as_examples() -> None:
    """Attacks in the wider window that do not meet the condition count as
    considered, and the first five of them in replay order are the examples."""
    abroad = PlaceDefined(id="abroad", name="Abroad", place_kind="country")
    far = [
        Attack(
            id=f"far-{day}",
            occurred=f"2020-03-{day}",
            sources=wire(f"2020-03-{day}"),
            perpetrator="north-army",
            place="abroad",
            target_class="military",
        )
        for day in (11, 12, 13, 14, 15, 16)
    ]
    tl = load(*TWO_STATES, *PLACES, abroad, truce(), ENDED, *far, SUCCESSOR)
    found = tl.state(TriggeredCommitments, at="2020-03-28", certainty="certain").get("truce")
    assert found is not None
    assert found.attacks == ()
    assert found.considered == 6
    why = "abroad is not within land de jure"
    assert found.examples == tuple((f"far-{day}", why) for day in (11, 12, 13, 14, 15))


def test_an_end_replayed_before_its_conditional_commitment_still_ends_it() -> None:
    """The winning end is among the replayed ends, whenever it is replayed: an end
    dated before the pledge was announced ends it too."""
    tl = load(*TWO_STATES, *PLACES, truce(occurred="2020-03-18"), ENDED, raid("a", "2020-03-20"))
    assert tl.state(TriggeredCommitments, at="2020-03-25").get("truce") is None
    certain = tl.state(TriggeredCommitments, at="2020-03-25", certainty="certain")
    assert certain.get("truce") is None


def test_every_attack_is_weighed_once_however_often_the_window_widens() -> None:
    """The truce, announced on 18 March with its end of 10 March known, closes at a
    raid on 19 March; a successor "in March" widens the window to 31 March, a second
    one "in 2020" to 31 December. Every raid, the one replayed before the truce
    included, is weighed once."""
    in_2020 = Commitment(
        id="later-successor",
        occurred="2020-03-22",
        effective="2020",
        sources=wire("2020-03-22"),
        commitment_kind="ceasefire",
        parties=("south",),
        prohibits=("any_attack",),
        supersedes=("truce",),
    )
    tl = load(
        *TWO_STATES,
        *PLACES,
        truce(occurred="2020-03-18"),
        ENDED,
        raid("before-truce", "2020-03-15"),
        raid("closing", "2020-03-19"),
        SUCCESSOR,
        in_2020,
        raid("late", "2020-03-25"),
    )
    found = tl.state(TriggeredCommitments, at="2020-03-28", certainty="certain").get("truce")
    assert found is not None
    assert (found.attacks, found.considered) == (("before-truce", "closing", "late"), 0)
    # The same without the closing raid: widened twice while still open.
    tl = load(
        *TWO_STATES,
        *PLACES,
        truce(occurred="2020-03-18"),
        ENDED,
        raid("before-truce", "2020-03-15"),
        SUCCESSOR,
        in_2020,
        raid("late", "2020-03-25"),
    )
    found = tl.state(TriggeredCommitments, at="2020-03-28", certainty="certain").get("truce")
    assert found is not None
    assert (found.attacks, found.considered) == (("before-truce", "late"), 0)


def test_a_coarse_attack_weighed_before_the_end_is_not_weighed_again() -> None:
    """A raid dated "the week of 9 March" was weighed when replayed (on 9 March,
    before the end); widening the window does not weigh it a second time. Days
    without attacks between the closing raid and the last one are skipped."""
    tl = load(
        *TWO_STATES,
        *PLACES,
        truce(),
        raid("in-march", "2020-W11"),
        ENDED,
        raid("closing", "2020-03-11"),
        raid("later", "2020-03-19"),
        SUCCESSOR,
    )
    found = tl.state(TriggeredCommitments, at="2020-03-28", certainty="certain").get("truce")
    assert found is not None
    assert (found.attacks, found.considered) == (("in-march", "closing", "later"), 0)


def test_after_the_window_widens_later_hits_are_found_though_the_examples_are_full() -> None:
    """Reopened, the truce goes on weighing: five misses fill its examples, and the
    attacks after the successor that meet its condition (a place in it, or a target
    it names) are still its hits."""
    abroad = PlaceDefined(id="abroad", name="Abroad", place_kind="country")
    pledge = Commitment(
        id="truce",
        occurred="2020-01-01",
        effective="2020-01-01",
        sources=wire("2020-01-01"),
        commitment_kind="mutual_defense",
        parties=("south",),
        condition=Condition(attack_within=("land",), against=("south",), match="any"),
    )

    def far(aid: str, day: str, **fields: Any) -> Attack:
        return Attack(
            id=aid,
            occurred=day,
            sources=wire(day),
            perpetrator="north-army",
            place="abroad",
            target_class="military",
            **fields,
        )

    misses = [far(f"miss-{day}", f"2020-03-{day}") for day in (11, 12, 14, 15, 16)]
    tl = load(
        *TWO_STATES,
        *PLACES,
        abroad,
        pledge,
        ENDED,
        *misses,
        SUCCESSOR,
        raid("in-land", "2020-03-24"),
        far("on-south", "2020-03-25", target_actor="south-army"),
    )
    found = tl.state(TriggeredCommitments, at="2020-03-28", certainty="certain").get("truce")
    assert found is not None
    assert found.attacks == ("in-land", "on-south")
    assert found.considered == 5
    assert [aid for aid, _ in found.examples] == [m.id for m in misses]
