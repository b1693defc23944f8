"""Rules of ActiveCommitments, CommitmentHistory and TriggeredCommitments that the
mutation run of ``views/commitments.py`` found unpinned (docs/testing.md, "Mutation
testing"), one hand-built timeline each.

The rules are those of docs/explanation/violations.md ("When a commitment is in
force", "Supersession and the winning end", "Triggered commitments"); the expected
values are written out by hand from them, never computed by the code under test.
"""

from __future__ import annotations

from typing import Any

from conflict_timeline import (
    ActiveCommitments,
    ActorDefined,
    Attack,
    Commitment,
    CommitmentEnded,
    CommitmentHistory,
    CommitmentStatus,
    Condition,
    Correction,
    PlaceDefined,
    TimeExtent,
    TriggeredCommitments,
)
from rule_kit import TWO_STATES, load, wire

WORLD = (
    *TWO_STATES,
    PlaceDefined(id="land", name="Land", place_kind="country"),
    PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
    PlaceDefined(id="coast", name="Coast", place_kind="country"),
    PlaceDefined(id="abroad", name="Abroad", place_kind="country"),
)


def pledge(cid: str, effective: str = "2020-01-01", **fields: Any) -> Commitment:
    made: dict[str, Any] = {
        "occurred": "2019-12-01",
        "commitment_kind": "ceasefire",
        "parties": ("north", "south"),
        **fields,
    }
    return Commitment(id=cid, sources=wire(made["occurred"]), effective=effective, **made)


def pact(cid: str, condition: Condition, effective: str = "2020-01-01") -> Commitment:
    return pledge(
        cid, effective, commitment_kind="mutual_defense", parties=("south",), condition=condition
    )


def attack(aid: str, day: str, **fields: Any) -> Attack:
    made: dict[str, Any] = {"perpetrator": "north-army", "place": "town", **fields}
    return Attack(id=aid, occurred=day, sources=wire(day), target_class="military", **made)


# ----------------------------------------------------------------- lapsing


def test_a_commitment_lapses_at_the_instant_its_until_begins() -> None:
    """``lapsed``: its ``until`` has happened by *T*, and an instant at *T* has (cuts
    are inclusive). Before that it is active, and its life keeps its ``until``."""
    noon = "2020-03-10T12:00:00Z"
    tl = load(
        *WORLD,
        pledge("lapses-at-noon", until=noon),
        pledge("lapses-at-one", until="2020-03-10T13:00:00Z"),
    )
    assert tl.state(ActiveCommitments, at=noon).ids() == ("lapses-at-one",)
    assert tl.state(ActiveCommitments, at=noon, certainty="certain").ids() == ("lapses-at-one",)
    before = "2020-03-10T11:59:59Z"
    assert tl.state(ActiveCommitments, at=before).ids() == ("lapses-at-noon", "lapses-at-one")
    lives = tl.state(CommitmentHistory, at=before)
    assert [(life.id, life.status) for life in lives] == [
        ("lapses-at-noon", CommitmentStatus.ACTIVE),
        ("lapses-at-one", CommitmentStatus.ACTIVE),
    ]
    life = tl.state(CommitmentHistory, at=noon).get("lapses-at-noon")
    assert life is not None
    assert life.status is CommitmentStatus.LAPSED
    assert life.effective == TimeExtent.parse("2020-01-01")
    assert life.until == TimeExtent.parse(noon)
    assert life.ended is None


# ----------------------------------------------------------------- supersession


def test_a_superseded_commitment_shows_its_implied_end_once_it_has_happened() -> None:
    """B superseding A ends A when B takes effect; ``CommitmentLife.ended`` is that
    implied end once it has happened by *T*, else None."""
    tl = load(
        *WORLD,
        pledge("old"),
        pledge(
            "new",
            "2020-03-01",
            occurred="2020-02-01",
            supersedes=("old",),
            claimed_by="south",
            status="verified",
            reported="2020-02-03",
        ),
    )
    between = "2020-02-15"  # B made, not yet in effect
    assert tl.state(ActiveCommitments, at=between).ids() == ("old",)
    lives = tl.state(CommitmentHistory, at=between)
    assert {life.id: (life.status, life.ended) for life in lives} == {
        "old": (CommitmentStatus.ACTIVE, None),
        "new": (CommitmentStatus.PENDING, None),
    }
    for at in ("2020-03-01", None):  # no ``at``: everything has happened
        assert tl.state(ActiveCommitments, at=at).ids() == ("new",)
        old = tl.state(CommitmentHistory, at=at).get("old")
        assert old is not None
        assert old.status is CommitmentStatus.ENDED
        assert old.ended is not None
        assert (old.ended.id, old.ended.commitment) == ("new~supersedes~old", "old")
        assert (old.ended.reason.value, old.ended.superseded_by) == ("superseded", "new")
        assert old.ended.occurred == TimeExtent.parse("2020-03-01")
        # B's provenance: its sources, claimant, status and knowledge time.
        assert old.ended.sources == wire("2020-02-01")
        assert (old.ended.claimed_by, old.ended.status.value) == ("south", "verified")
        assert old.ended.reported == TimeExtent.parse("2020-02-03")


def test_each_superseded_commitment_is_left_out_and_the_others_kept() -> None:
    """Every commitment a successor supersedes is ended from its start; every other
    one stays active (whatever order the view meets them in)."""
    olds = tuple(f"old-{i}" for i in range(6))
    others = tuple(f"other-{i}" for i in range(6))
    tl = load(
        *WORLD,
        *(pledge(cid) for cid in olds + others),
        pledge("new", "2020-03-01", occurred="2020-02-01", supersedes=olds),
    )
    assert tl.state(ActiveCommitments, at="2020-03-02").ids() == (*others, "new")
    assert tl.state(ActiveCommitments, at="2020-02-29").ids() == (*olds, *others)


def test_an_explicit_end_before_a_supersession_stays_the_winning_end() -> None:
    """The winning end is the earliest: an explicit end before B takes effect stays
    A's end, and B is active."""
    end = CommitmentEnded(
        id="collapse",
        occurred="2020-02-01",
        sources=wire("2020-02-01"),
        commitment="old",
        reason="collapsed",
    )
    tl = load(
        *WORLD,
        pledge("old"),
        pledge("other"),
        end,
        pledge("new", "2020-03-01", occurred="2020-02-10", supersedes=("old",)),
    )
    assert tl.state(ActiveCommitments, at="2020-02-05").ids() == ("other",)
    for at in ("2020-03-05", None):
        assert tl.state(ActiveCommitments, at=at).ids() == ("other", "new")
        old = tl.state(CommitmentHistory, at=at).get("old")
        assert old is not None
        assert (old.status, old.ended) == (CommitmentStatus.ENDED, end)


def test_an_end_replayed_before_its_commitment_still_ends_it() -> None:
    """An end dated to a month is replayed from the month's start, before a commitment
    made within it; it has possibly happened by *T* in that month, so the commitment
    is ended (and the others stay active)."""
    end = CommitmentEnded(
        id="collapse",
        occurred="2020-03",
        sources=wire("2020-04-01"),
        commitment="late",
        reason="collapsed",
    )
    tl = load(*WORLD, pledge("other"), pledge("late", "2020-03-15", occurred="2020-03-15"), end)
    assert tl.state(ActiveCommitments, at="2020-03-20").ids() == ("other",)
    assert tl.state(ActiveCommitments).ids() == ("other",)
    late = tl.state(CommitmentHistory, at="2020-03-20").get("late")
    assert late is not None
    assert (late.status, late.ended) == (CommitmentStatus.ENDED, end)


def _end(eid: str, commitment: str, day: str, published: str | None = None) -> CommitmentEnded:
    return CommitmentEnded(
        id=eid,
        occurred=day,
        sources=wire(published or day),
        commitment=commitment,
        reason="collapsed",
    )


def test_the_winning_end_is_the_earliest_explicit_first_then_reported_then_id() -> None:
    """Of a commitment's ends the earliest by ``occurred`` wins, an explicit end before
    an implied one at the same instant, then the earliest knowledge time, then id; a
    later explicit end does not undo a supersession that took effect."""
    tie = _end("tie", "a", "2020-03-01")
    late = _end("late", "b", "2020-03-05")
    first, second = _end("first", "c", "2020-03-01"), _end("second", "c", "2020-03-10")
    known_later = _end("a-known-later", "d", "2020-03-01", published="2020-03-09")
    known_sooner = _end("b-known-sooner", "d", "2020-03-01", published="2020-03-02")
    same_a, same_b = _end("same-a", "e", "2020-03-01"), _end("same-b", "e", "2020-03-01")
    tl = load(
        *WORLD,
        *(pledge(cid) for cid in "abcde"),
        pledge("new", "2020-03-01", occurred="2020-02-01", supersedes=("a", "b")),
        tie,
        late,
        first,
        second,
        known_later,
        known_sooner,
        same_b,
        same_a,
    )
    lives = {life.id: life.ended for life in tl.state(CommitmentHistory)}
    assert (lives["a"], lives["c"], lives["d"], lives["e"]) == (
        tie,
        first,
        known_sooner,
        same_a,
    )
    implied = lives["b"]
    assert implied is not None
    assert (implied.id, implied.superseded_by) == ("new~supersedes~b", "new")
    assert implied.occurred == TimeExtent.parse("2020-03-01")
    assert tl.state(ActiveCommitments, at="2020-02-29").ids() == tuple("abcde")
    assert tl.state(ActiveCommitments, at="2020-03-01").ids() == ("new",)


# ----------------------------------------------------------------- results


def test_each_commitment_view_answers_with_its_query() -> None:
    tl = load(*WORLD, pledge("truce"), pact("pact", Condition(attack_within=("land",))))
    for view in (ActiveCommitments, CommitmentHistory, TriggeredCommitments):
        assert tl.state(view, at="2020-03-01").query == tl.query(at="2020-03-01")
        assert tl.state(view).query == tl.query()


def test_only_the_conditional_commitments_active_at_the_date_are_listed() -> None:
    """Pending ones are left out, every active one kept (whatever the order the view
    meets them in), ordered by start then id."""
    within = Condition(attack_within=("land",))
    active = [pact(f"active-{i}", within, "2020-01-01") for i in range(6)]
    pending = [pact(f"pending-{i}", within, "2020-06-01") for i in range(6)]
    tl = load(*WORLD, *pending, *active)
    assert tl.state(TriggeredCommitments, at="2020-03-01").ids() == tuple(
        f"active-{i}" for i in range(6)
    )


# ----------------------------------------------------------------- explanations


NONE_OF = "not triggered: none of the 1 reported attack(s) in its period and scope "


def _explained(condition: Condition, *attacks: Attack) -> tuple[str, int, tuple[str, ...]]:
    tl = load(*WORLD, pact("pact", condition), *attacks)
    (trigger,) = tl.state(TriggeredCommitments)
    return trigger.explanation, trigger.considered, trigger.attacks


def test_a_place_condition_not_met_names_its_places_and_makers() -> None:
    """The explanation names the condition's places ("within P1 or P2") and, when
    ``by`` names actors, " by B1 or B2" (docs: Triggered commitments; the sentence as
    docs/tutorial.md prints it)."""
    abroad = attack("over-the-border", "2020-02-01", place="abroad")
    by_south = attack("by-south", "2020-02-02", perpetrator="south-army")
    places = Condition(attack_within=("land", "coast"))
    assert _explained(places, abroad) == (
        NONE_OF + "lies within land or coast (de jure)",
        1,
        (),
    )
    by = Condition(attack_within=("land", "coast"), by=("south",))
    assert _explained(by, abroad) == (
        NONE_OF + "lies within land or coast (de jure) and was made by south",
        1,
        (),
    )
    # A hit names the condition the same way.
    either = Condition(attack_within=("land", "coast"), by=("south", "north"))
    assert _explained(either, abroad, by_south) == (
        "triggered: 1 reported attack(s) within land or coast by south or north: by-south",
        1,
        ("by-south",),
    )


def test_a_target_condition_not_met_names_its_tests_and_makers() -> None:
    """With targets the condition is "within P and|or on A (or an affiliate)",
    followed by " by B" when ``by`` names actors."""
    on_north = attack("on-north", "2020-02-01", target_actor="north-army")
    assert _explained(Condition(against=("south",)), on_north) == (
        NONE_OF + "is on south (or an affiliate)",
        1,
        (),
    )
    any_by = Condition(attack_within=("coast",), against=("south",), match="any", by=("north",))
    assert _explained(any_by, on_north) == (
        NONE_OF + "is within coast or on south (or an affiliate) and was made by north",
        1,
        (),
    )


def test_an_active_commitment_row_shows_its_kind_parties_start_and_sources() -> None:
    """The table of ``active-commitments`` (docs/howto/cli.md): id, kind, the parties
    joined by ", ", when it took effect, the sources' publishers."""
    tl = load(*WORLD, pledge("truce"))
    (active,) = tl.state(ActiveCommitments, at="2020-03-01")
    assert active.table_columns == ("id", "kind", "parties", "since", "sources")
    assert active.table_row() == (
        "truce",
        "ceasefire",
        "north, south",
        "2020-01-01 (day, UTC)",
        "Wire",
    )


# ----------------------------------------------------------------- corrections


def test_an_active_commitment_is_listed_as_the_cut_knows_it_whatever_was_asked_before() -> None:
    """An answer lists each commitment as the records its cuts let through say it
    reads: corrected from when the correction is known, as first reported before; on
    one timeline, questions asked in any order (a view that reused what it listed
    for the other version would give it again)."""
    first = pledge("truce", parties=("north", "south"))
    replacement = pledge("truce", parties=("north", "south", "west"))
    fix = Correction(
        id="truce-fix",
        occurred="2020-02-01",
        sources=wire("2020-02-01"),
        corrects="truce",
        replacement=replacement,
    )
    west = ActorDefined(id="west", name="West", actor_kind="state")
    tl = load(*WORLD, west, first, fix)
    at, before_fix = "2020-03-01", "2020-01-15"
    for known_at, parties in (
        (before_fix, ("north", "south")),
        (None, ("north", "south", "west")),
        (before_fix, ("north", "south")),
        ("2020-02-02", ("north", "south", "west")),
    ):
        (listed,) = tl.state(ActiveCommitments, at=at, known_at=known_at)
        assert (listed.id, listed.parties) == ("truce", parties)
        assert listed.commitment == (first if parties == first.parties else replacement)


def test_lapsed_comes_before_pending_when_both_hold() -> None:
    """Status is the first that holds of ended, lapsed, pending, active. Effective
    "January 2020" (a month) with ``until`` 5 January: under ``certainty="certain"``
    at 6 January the ``until`` has certainly happened while the start has not, so
    the commitment is ``lapsed`` (not ``pending``); possibly, both its start and its
    ``until`` have happened, and it is ``lapsed`` too."""
    tl = load(*WORLD, pledge("short", effective="2020-01", until="2020-01-05"))
    at = "2020-01-06T00:00:00Z"
    for certainty in ("possible", "certain"):
        life = tl.state(CommitmentHistory, at=at, certainty=certainty).get("short")
        assert life is not None
        assert life.status is CommitmentStatus.LAPSED
    assert tl.state(ActiveCommitments, at=at, certainty="certain").ids() == ()
