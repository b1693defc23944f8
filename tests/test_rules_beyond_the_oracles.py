"""Rules that hand-planted mutation audits found pinned only by randomized property
tests (the oracles of tests/test_view_oracles.py and the small world of
tests/test_violation_filters.py draw fresh examples on each run, so a planted bug
could survive another run): one small, deterministic, hand-built case each.

The rules are those of docs/explanation/sovereignty.md, docs/explanation/violations.md
and the docstrings of ``conflict_timeline._geography`` and
``conflict_timeline.views``; every expected value is written out by hand from them,
never computed by the code under test.
"""

from __future__ import annotations

from typing import Any

from conflict_timeline import (
    Accusation,
    ActiveCommitments,
    ActorDefined,
    Attack,
    Commitment,
    CommitmentEnded,
    CommitmentHistory,
    CommitmentStatus,
    ControlChanged,
    Gazetteer,
    MemoryStore,
    PlaceDefined,
    ReportedViolations,
    Timeline,
    controller,
    is_within,
)
from rule_kit import GED_STATE, TWO_STATES, clock, load, wire

# ------------------------------------------------------------------- geography

_TREE = (
    PlaceDefined(id="land", name="Land", place_kind="country"),
    PlaceDefined(id="region", name="Region", place_kind="region", parent="land"),
    PlaceDefined(id="town", name="Town", place_kind="town", parent="region"),
)


def test_control_of_the_outermost_area_covers_every_place_within_it() -> None:
    """sovereignty.md: "Control of an area covers every place within it ... The latest
    ``ControlChanged`` by then, on the place itself or on any area containing it,
    decides." Land (a country, with no parent) is the outermost area of
    Town -> Region -> Land; the only control change is North's of Land in 2000, so from
    then on North controls Region and Town too, and before it nobody is recorded."""
    taken = ControlChanged(id="taken", occurred="2000-01-01", place="land", controller="north")
    records = [*TWO_STATES, *_TREE, taken]
    for place in ("land", "region", "town"):
        assert controller(place, "2000-06-01", records) == "north", place
        assert controller(place, "1999-12-31", records) is None, place
    tl = load(*records)
    places = tl.state(Gazetteer, at="2000-06-01")
    assert dict(places.controllers) == {"land": "north", "region": "north", "town": "north"}


def test_a_parent_named_but_not_defined_is_still_the_places_ancestor() -> None:
    """sovereignty.md: de jure "a place's ``parent`` in ``PlaceDefined``": Town lies
    in the Region its definition names, whether or not Region has a definition of its
    own yet (violations.md: "only an actor or place named but not yet defined can
    still change the answer"; ``_undefined_end``: "the last place named as a parent
    and not defined yet" is the end of a place's lineage). So Town's ancestors are
    (Region,), Town is within Region, and a control change on Region covers Town
    ("on the place itself or on any area containing it")."""
    town = PlaceDefined(id="town", name="Town", place_kind="town", parent="region")
    taken = ControlChanged(id="taken", occurred="2000-01-01", place="region", controller="north")
    records = [*TWO_STATES, town, taken]
    assert is_within("town", "region", records)
    assert controller("town", "2000-06-01", records) == "north"
    tl = Timeline(MemoryStore(clock=clock))
    tl.append(*records, strict=False)  # Region is named, never defined
    places = tl.state(Gazetteer, at="2000-06-01")
    assert places.ancestors("town") == ("region",)
    assert places.is_within("town", "region")
    assert places.controller("town") == "north"


# ------------------------------------------------------------------- commitments


def _commitment(cid: str, effective: str, **fields: Any) -> Commitment:
    made: dict[str, Any] = {
        "occurred": "2020-09-20",
        "sources": wire("2020-09-20"),
        "commitment_kind": "ceasefire",
        "parties": ("north", "south"),
        "prohibits": ("any_attack",),
        **fields,
    }
    return Commitment(id=cid, effective=effective, **made)


def test_ended_comes_before_lapsed_when_both_hold() -> None:
    """violations.md: a commitment "has, at *T*, the first of these statuses that
    holds: ``ended`` (one of its ends has happened by *T*), ``lapsed`` (its ``until``
    has happened), ``pending`` ..., else ``active``." The truce runs until 30 November
    and was withdrawn on 15 October: on 15 December both its end and its ``until``
    have happened, and it is ``ended`` (so too with no ``at``); on 1 November only
    the end has."""
    end = CommitmentEnded(
        id="withdrawn",
        occurred="2020-10-15",
        sources=wire("2020-10-15"),
        commitment="truce",
        reason="withdrawn",
    )
    tl = load(*TWO_STATES, _commitment("truce", "2020-10-01", until="2020-11-30"), end)
    for at in ("2020-12-15", None, "2020-11-01"):
        (life,) = tl.state(CommitmentHistory, at=at)
        assert (life.status, life.ended) == (CommitmentStatus.ENDED, end), at


def test_active_commitments_are_ordered_by_the_first_instant_they_took_effect() -> None:
    """``ActiveCommitments``: "ordered by when each took effect, then id", and
    "has happened by *T*" means "the earliest bound is at most *T*" (violations.md):
    one in effect from "October 2020" (a month) may have taken effect on 1 October,
    before one in effect from 15 October, though the month's last day is later. The
    ids are chosen so that neither id order nor the last instants give that order."""
    tl = load(
        *TWO_STATES,
        _commitment("z-coarse", "2020-10"),
        _commitment("a-fine", "2020-10-15"),
    )
    assert tl.state(ActiveCommitments, at="2020-12-01").ids() == ("z-coarse", "a-fine")


# ------------------------------------------------------------------- violations


def _truce(cid: str = "truce", **fields: Any) -> Commitment:
    """A truce binding North (and its army), forbidding any attack, from 1 February."""
    made: dict[str, Any] = {
        "occurred": "2020-02-01",
        "sources": wire("2020-02-01"),
        "commitment_kind": "ceasefire",
        "parties": ("north",),
        "prohibits": ("any_attack",),
        **fields,
    }
    return Commitment(id=cid, **made)


def _attack(aid: str, day: str, **fields: Any) -> Attack:
    made: dict[str, Any] = {"perpetrator": "north-army", "target_class": "military", **fields}
    return Attack(id=aid, occurred=day, sources=wire(day), **made)


def _claim(**fields: Any) -> Accusation:
    """South accuses North's army of breaching the truce by the strike."""
    made: dict[str, Any] = {
        "accuser": "south",
        "accused": ("north-army",),
        "breach_of": "truce",
        "incidents": ("strike",),
        **fields,
    }
    return Accusation(id="claim", occurred="2020-02-06", sources=wire("2020-02-06"), **made)


def _ids(tl: Any, **cuts: Any) -> set[str]:
    return {v.id for v in tl.state(ReportedViolations, **cuts)}


def test_a_clash_with_one_actor_on_both_sides_accuses_it_once() -> None:
    """Attacks between sides: "Such an attack was possibly made by either side ...
    and both sides are its accused"; ``_sides``: "The actors who possibly made
    ``attack``". A GED clash with North's army recorded on both sides was made by one
    actor: the candidate's accused is North's army, once."""
    clash = _attack("clash", "2020-02-05", target_actor="north-army", codes=GED_STATE)
    assert clash.between_sides
    (found,) = load(*TWO_STATES, _truce(), clash).state(ReportedViolations)
    assert found.id == "candidate:clash:truce"
    assert found.accused == ("north-army",)


def test_an_accusation_naming_a_commitment_alleges_it_alone_whatever_its_incidents() -> None:
    """Alleged: "An accusation naming a commitment in ``breach_of`` alleges a breach of
    that one (only)". The accusation names the truce and cites a strike that the
    accord (also binding North, forbidding any attack) covers too: it alleges a breach
    of the truce alone, while the strike is a candidate of both."""
    tl = load(
        *TWO_STATES,
        _truce(),
        _truce("accord"),
        _attack("strike", "2020-02-05"),
        _claim(),
    )
    assert _ids(tl) == {
        "alleged:claim:truce",
        "candidate:strike:truce",
        "candidate:strike:accord",
    }


def test_a_commitment_replayed_after_an_accusation_naming_another_is_not_alleged() -> None:
    """Alleged: "An accusation naming a commitment in ``breach_of`` alleges a breach of
    that one (only)", and what it alleges "is derived when it is replayed and again
    whenever a record it depends on is replayed later: ... a commitment binding one
    of its accused". The accord (binding North, covering the strike) is announced on
    10 February, in effect from 1 February, so it is replayed after the accusation of
    6 February naming the truce (records are replayed by ``occurred``, three-clocks.md):
    the accusation still alleges the truce alone."""
    accord = _truce("accord", occurred="2020-02-10", effective="2020-02-01")
    tl = load(*TWO_STATES, _truce(), _attack("strike", "2020-02-05"), _claim(), accord)
    assert _ids(tl) == {
        "alleged:claim:truce",
        "candidate:strike:truce",
        "candidate:strike:accord",
    }


def test_first_report_orders_by_its_earliest_instant() -> None:
    """Order: "By first report (the evidence's knowledge time), then commitment, then
    basis ..., then evidence id", a time compared by its earliest instant as
    everywhere in these rules ("has happened by *T*" means "the earliest bound is at
    most *T*"). A strike known from "February 2020" (a month: it may have been known
    on 1 February) comes before one known from 10 February, though the month ends
    later; the ids are chosen so that the evidence id would give the other order."""
    tl = load(
        *TWO_STATES,
        _truce(),
        _attack("zulu", "2020-02-01", reported="2020-02"),
        _attack("alpha", "2020-02-02", reported="2020-02-10"),
    )
    assert tl.state(ReportedViolations).ids() == (
        "candidate:zulu:truce",
        "candidate:alpha:truce",
    )


def test_an_attack_replayed_before_a_backdated_commitment_needs_a_bound_maker() -> None:
    """Candidate: "its ``perpetrator`` is bound", and "Places and affiliations are
    those replayed up to the later of the two records in replay order" (violations.md),
    also for "Attacks replayed before the commitment was made" that fall in its active
    time (``_add_commitment``). A truce binding North, announced on 20 February, in
    effect from 1 February, is weighed against the two attacks of 5 February replayed
    before it: North's army's strike is a candidate; South's raid is not, South being
    bound by nothing. (An actor defined on 10 February, replayed between the attacks
    and the truce, changes nothing.)"""
    tl = load(
        *TWO_STATES,
        _attack("raid", "2020-02-05", perpetrator="south"),
        _attack("strike", "2020-02-05"),
        ActorDefined(id="east", name="East", actor_kind="state", occurred="2020-02-10"),
        _truce(occurred="2020-02-20", sources=wire("2020-02-20"), effective="2020-02-01"),
    )
    assert _ids(tl) == {"candidate:strike:truce"}
