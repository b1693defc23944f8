"""The views' documented rules, one explicit example each (no property, no seed luck).

Each test is cited beside its rule in docs/explanation/*.md; the expected values are
written out by hand from the rule, never computed by the code under test.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    Accusation,
    ActiveCommitments,
    ActorDefined,
    Attack,
    Basis,
    CasualtyEstimates,
    CasualtyReport,
    Commitment,
    CommitmentEnded,
    CommitmentHistory,
    CommitmentStatus,
    Condition,
    Denial,
    Figure,
    Gazetteer,
    MemoryStore,
    Observation,
    PlaceDefined,
    ReportedViolations,
    Scope,
    Status,
    TargetClass,
    TimeExtent,
    Timeline,
    TriggeredCommitments,
    UnsourcedRecordWarning,
)
from conflict_timeline.strategies import timelines
from oracles import reported_violations
from rule_kit import clock as _clock
from rule_kit import found as _found
from rule_kit import load as _load
from rule_kit import wire as _wire


def _base(prohibits: tuple[str, ...] = ("attacks_on_civilians",)) -> list[Any]:
    return [
        ActorDefined(id="north", name="North", actor_kind="state"),
        ActorDefined(
            id="north-army", name="North army", actor_kind="armed_force", affiliation="north"
        ),
        ActorDefined(id="south", name="South", actor_kind="state"),
        ActorDefined(id="monitor", name="Monitor", actor_kind="organization"),
        PlaceDefined(id="land", name="Land", place_kind="country"),
        PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
        Commitment(
            id="truce",
            occurred="2020-01-01",
            sources=_wire("2020-01-01"),
            commitment_kind="ceasefire",
            parties=("north", "south"),
            prohibits=prohibits,
        ),
    ]


def _attack(aid: str, day: str, target: str = "civilian", **fields: Any) -> Attack:
    made: dict[str, Any] = {"perpetrator": "north-army", "place": "town", **fields}
    return Attack(id=aid, occurred=day, sources=_wire(day), target_class=target, **made)


def test_a_commitment_binds_its_parties_and_actors_affiliated_with_them_at_any_depth() -> None:
    """sovereignty.md: "A commitment binds its parties *and* the actors affiliated with
    them", affiliation being "transitive and one-way". A unit of North's army is bound
    by North's truce (two steps up); North itself is not bound by a pledge only its
    army made; an actor affiliated with no party is not bound."""
    tl = _load(
        *_base(("any_attack",)),
        ActorDefined(
            id="north-unit", name="Unit", actor_kind="armed_force", affiliation="north-army"
        ),
        ActorDefined(id="rogue", name="Rogue", actor_kind="armed_force"),
        Commitment(
            id="army-pledge",
            occurred="2020-01-01",
            sources=_wire("2020-01-01"),
            commitment_kind="civilian_protection",
            parties=("north-army",),
            prohibits=("any_attack",),
        ),
        _attack("by-unit", "2020-02-01", perpetrator="north-unit"),
        _attack("by-north", "2020-02-02", perpetrator="north"),
        _attack("by-rogue", "2020-02-03", perpetrator="rogue"),
    )
    assert _found(tl) == {
        "candidate:by-unit:truce": Status.ALLEGED,
        "candidate:by-unit:army-pledge": Status.ALLEGED,
        "candidate:by-north:truce": Status.ALLEGED,
    }


# ----------------------------------------------------------------- denials


def test_a_denial_makes_an_accusation_disputed_from_its_knowledge_time() -> None:
    tl = _load(
        *_base(),
        _attack("strike", "2020-02-01"),
        Accusation(
            id="claim",
            occurred="2020-02-02",
            sources=_wire("2020-02-02"),
            accuser="south",
            accused=("north-army",),
            breach_of="truce",
        ),
        Denial(
            id="no",
            occurred="2020-02-05",
            sources=_wire("2020-02-05"),
            denier="north",
            denies="claim",
        ),
    )
    before = _found(tl, known_at="2020-02-04")
    after = _found(tl, known_at="2020-02-06")
    assert before["alleged:claim:truce"] is Status.ALLEGED
    assert after["alleged:claim:truce"] is Status.DISPUTED
    # Denying the accusation disputes the accusation, not the attack's own candidate.
    assert after["candidate:strike:truce"] is Status.ALLEGED
    (alleged,) = [v for v in tl.state(ReportedViolations) if v.basis is Basis.ALLEGED]
    assert alleged.denials == ("no",)


def test_a_denial_of_an_incident_disputes_the_accusation_and_the_candidate() -> None:
    tl = _load(
        *_base(),
        _attack("strike", "2020-02-01"),
        Accusation(
            id="claim",
            occurred="2020-02-02",
            sources=_wire("2020-02-02"),
            accuser="south",
            accused=("north-army",),
            incidents=("strike",),
        ),
        Denial(
            id="no",
            occurred="2020-02-05",
            sources=_wire("2020-02-05"),
            denier="north",
            denies="strike",
        ),
    )
    assert _found(tl) == {
        "alleged:claim:truce": Status.DISPUTED,
        "candidate:strike:truce": Status.DISPUTED,
    }
    assert _found(tl, known_at="2020-02-04") == {
        "alleged:claim:truce": Status.ALLEGED,
        "candidate:strike:truce": Status.ALLEGED,
    }


def test_a_denial_makes_an_observation_disputed() -> None:
    observation = Observation(
        id="count",
        occurred="2020-02-03",
        sources=_wire("2020-02-03"),
        status="verified",
        monitor="monitor",
        violations=3,
        place="town",
        attributed_to="north-army",
    )
    denial = Denial(
        id="no", occurred="2020-02-05", sources=_wire("2020-02-05"), denier="north", denies="count"
    )
    tl = _load(*_base(), observation, denial)
    assert _found(tl, known_at="2020-02-04") == {"observed:count:truce": Status.VERIFIED}
    assert _found(tl) == {"observed:count:truce": Status.DISPUTED}
    (observed,) = tl.state(ReportedViolations)
    assert observed.denials == ("no",)


# ----------------------------------------------------------------- ends


def test_a_commitment_ended_ends_the_commitment() -> None:
    end = CommitmentEnded(
        id="collapse",
        occurred="2020-03-01",
        sources=_wire("2020-03-01"),
        commitment="truce",
        reason="collapsed",
    )
    tl = _load(*_base(), end)
    assert tl.state(ActiveCommitments, at="2020-02-29").ids() == ("truce",)
    assert tl.state(ActiveCommitments, at="2020-03-01").ids() == ()
    assert tl.state(ActiveCommitments).ids() == ()
    # Not yet known, the end does not end it.
    assert tl.state(ActiveCommitments, at="2020-03-02", known_at="2020-02-29").ids() == ("truce",)
    (life,) = tl.state(CommitmentHistory, at="2020-03-02")
    assert (life.status, life.ended) == (CommitmentStatus.ENDED, end)
    (life,) = tl.state(CommitmentHistory, at="2020-02-29")
    assert (life.status, life.ended) == (CommitmentStatus.ACTIVE, None)


def test_an_end_whose_date_is_uncertain_ends_it_possibly_not_certainly() -> None:
    end = CommitmentEnded(
        id="collapse",
        occurred="2020-03",  # some time in March
        sources=_wire("2020-04-01"),
        commitment="truce",
        reason="collapsed",
    )
    tl = _load(*_base(), end)
    assert tl.state(ActiveCommitments, at="2020-03-10").ids() == ()
    assert tl.state(ActiveCommitments, at="2020-03-10", certainty="certain").ids() == ("truce",)
    assert tl.state(ActiveCommitments, at="2020-03-31", certainty="certain").ids() == ()


def test_an_attack_after_the_end_is_no_candidate() -> None:
    end = CommitmentEnded(
        id="collapse",
        occurred="2020-03-01",
        sources=_wire("2020-03-01"),
        commitment="truce",
        reason="collapsed",
    )
    tl = _load(*_base(), end, _attack("before", "2020-02-15"), _attack("after", "2020-03-02"))
    assert set(_found(tl)) == {"candidate:before:truce"}
    # An attack on the day of the end could have come before it: still a candidate.
    tl.append(_attack("same-day", "2020-03-01"))
    assert set(_found(tl)) == {"candidate:before:truce", "candidate:same-day:truce"}


# ----------------------------------------------------------------- prohibitions


@pytest.mark.parametrize(
    ("prohibits", "candidates"),
    [
        (("any_attack",), {"civilian", "infrastructure", "military", "mixed", "unknown"}),
        (("attacks_on_civilians",), {"civilian", "mixed"}),
        (("attacks_on_civilian_objects",), {"infrastructure", "mixed"}),
        (
            ("attacks_on_civilians", "attacks_on_civilian_objects"),
            {"civilian", "infrastructure", "mixed"},
        ),
        ((), set()),
    ],
)
def test_a_prohibition_covers_its_target_classes_and_any_attack_covers_unknown(
    prohibits: tuple[str, ...], candidates: set[str]
) -> None:
    attacks = [_attack(t.value, "2020-02-01", t.value) for t in TargetClass]
    tl = _load(*_base(prohibits), *attacks)
    assert {v.evidence for v in tl.state(ReportedViolations)} == candidates


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    records=timelines(
        min_size=6,
        max_size=30,
        kinds=[ActorDefined, PlaceDefined, Commitment, CommitmentEnded, Attack],
    ),
    certain=st.booleans(),
)
def test_an_unknown_target_is_a_candidate_only_where_every_attack_is_prohibited(
    records: list[Any], certain: bool
) -> None:
    tl = Timeline(MemoryStore(clock=_clock))
    tl.append(*records)
    certainty = "certain" if certain else "possible"
    query = tl.query(certainty=certainty)
    got = {v.id for v in tl.state(ReportedViolations, certainty=certainty)}
    want = {v.id for v in reported_violations(list(tl.read()), query)}
    assert got == want
    commitments = {r.id: r for r in records if isinstance(r, Commitment)}
    attacks = {r.id: r for r in records if isinstance(r, Attack)}
    for vid in got:
        _, aid, cid = vid.split(":")
        if attacks[aid].target_class is TargetClass.UNKNOWN:
            assert "any_attack" in {p.value for p in commitments[cid].prohibits}


# ----------------------------------------------------------------- reference data


def test_reference_data_is_known_from_when_it_held() -> None:
    dated = PlaceDefined(
        id="province", name="Province", place_kind="region", occurred="2021-05-01"
    )
    timeless = ActorDefined(id="north", name="North", actor_kind="state")
    assert dated.reported == dated.occurred == TimeExtent.parse("2021-05-01")
    assert timeless.reported == timeless.occurred
    assert timeless.reported is not None
    assert timeless.reported.is_timeless
    # A dated source still wins over the default.
    sourced = PlaceDefined(
        id="p", name="P", place_kind="city", occurred="2021-05-01", sources=_wire("2021-06-01")
    )
    assert sourced.reported == TimeExtent.parse("2021-06-01")
    # So a knowledge cut long before the store learnt them keeps the geography.
    tl = _load(timeless, dated)
    known = tl.state(Gazetteer, known_at="2021-05-02")
    assert set(known.actors) == {"north"}
    assert set(known.places) == {"province"}
    assert set(tl.state(Gazetteer, known_at="2021-04-30").places) == set()


# ----------------------------------------------------------------- triggers


def _pact_world(*attacks: Any, **pact: Any) -> Timeline:
    fields: dict[str, Any] = {
        "id": "pact",
        "occurred": "2020-01-01",
        "sources": _wire("2020-01-01"),
        "commitment_kind": "mutual_defense",
        "parties": ("south",),
        "condition": Condition(attack_within=("land",), by=("north", "south")),
    }
    fields.update(pact)
    return _load(
        *_base(),
        PlaceDefined(id="elsewhere", name="Elsewhere", place_kind="country"),
        PlaceDefined(id="village", name="Village", place_kind="village", parent="elsewhere"),
        ActorDefined(id="rebels", name="Rebels", actor_kind="armed_force"),
        Commitment(**fields),
        *attacks,
    )


def test_an_attack_within_the_territory_by_a_named_actor_triggers_the_pact() -> None:
    tl = _pact_world(
        _attack("hit-1", "2020-02-01"),  # by north-army, affiliated with north, in town
        _attack("hit-2", "2020-02-03"),
        _attack("abroad", "2020-02-02", place="village"),
        _attack("by-rebels", "2020-02-04", perpetrator="rebels"),
        _attack("nowhere", "2020-02-05", place=None),
        _attack("anonymous", "2020-02-06", perpetrator=None),
    )
    (trigger,) = tl.state(TriggeredCommitments)
    assert trigger.triggered
    assert trigger.attacks == ("hit-1", "hit-2")
    assert trigger.considered == 4
    assert trigger.examples == (
        ("abroad", "village -> elsewhere is not within land de jure"),
        ("by-rebels", "made by rebels, not by north or south"),
        ("nowhere", "its place is not known"),
        ("anonymous", "made by an unknown perpetrator, not by north or south"),
    )  # the first five misses, in replay order
    assert trigger.explanation == (
        "triggered: 2 reported attack(s) within land by north or south: hit-1, hit-2"
    )
    # Before the first hit, nothing in its period met the condition yet.
    (before,) = tl.state(TriggeredCommitments, at="2020-01-31")
    assert (before.triggered, before.considered) == (False, 0)
    assert before.explanation == "not triggered: no reported attack in its period and scope"


def test_a_trigger_needs_the_attack_in_the_active_time_and_the_scope() -> None:
    end = CommitmentEnded(
        id="over", occurred="2020-03-01", sources=_wire("2020-03-01"), commitment="pact",
        reason="expired",
    )  # fmt: skip
    tl = _pact_world(
        _attack("too-early", "2019-06-01"),
        _attack("in-scope", "2020-02-01"),
        _attack("after-end", "2020-03-02"),
        end,
        effective="2020-01-15",
        scope=Scope(exclude=("town",)),
    )
    # An attack outside the scope is not weighed at all; one in it and in the period is.
    (trigger,) = tl.state(TriggeredCommitments, at="2020-02-15")
    assert (trigger.triggered, trigger.considered, trigger.examples) == (False, 0, ())
    tl.append(_attack("in-land", "2020-02-02", place="land", perpetrator="rebels"))
    (trigger,) = tl.state(TriggeredCommitments, at="2020-02-15")
    assert (trigger.triggered, trigger.considered) == (False, 1)
    assert trigger.examples == (("in-land", "made by rebels, not by north or south"),)
    # Ended, it is no longer listed.
    assert tl.state(TriggeredCommitments, at="2020-03-02").ids() == ()
    # Without ``by``, any maker will do.
    open_pact = _pact_world(
        _attack("by-rebels", "2020-02-04", perpetrator="rebels"),
        condition=Condition(attack_within=("land",)),
    )
    assert open_pact.state(TriggeredCommitments)[0].attacks == ("by-rebels",)


def test_attacks_before_a_backdated_pledge_trigger_it_in_replay_order() -> None:
    """A pledge announced after the attacks but effective before them is triggered by
    them, listed in replay order (the order of their dates), not in storage order."""
    attacks = [_attack(f"a{i}", f"2020-02-{10 - i:02d}") for i in range(8)]
    tl = _pact_world(*attacks, occurred="2020-03-01", effective="2020-01-01")
    (trigger,) = tl.state(TriggeredCommitments)
    assert trigger.attacks == tuple(f"a{i}" for i in reversed(range(8)))


# ----------------------------------------------------------------- active time


def test_pending_active_and_lapsed_at_a_date_under_each_certainty() -> None:
    def pledge(cid: str, effective: str, until: str | None = None) -> Commitment:
        return Commitment(
            id=cid,
            occurred="2019-12-01",
            sources=_wire("2019-12-01"),
            commitment_kind="ceasefire",
            parties=("north",),
            effective=effective,
            until=until,
        )

    tl = _load(
        *_base(),
        pledge("a-pending", "2020-06-01"),
        pledge("b-exact", "2020-03-10T12:00:00Z"),
        pledge("c-month", "2020-03"),
        pledge("d-lapsed", "2020-01-01", until="2020-02-01"),
        pledge("e-lapsing", "2020-01-01", until="2020-03"),
    )
    noon = "2020-03-10T12:00:00Z"
    # Effective at exactly the cut counts (cuts are inclusive); a month possibly
    # begun has begun; a month possibly begun has also possibly ended it.
    assert set(tl.state(ActiveCommitments, at=noon).ids()) == {"b-exact", "c-month", "truce"}
    # Certainly: the month has not certainly begun, nor certainly ended ``until``.
    assert set(tl.state(ActiveCommitments, at=noon, certainty="certain").ids()) == {
        "b-exact",
        "e-lapsing",
        "truce",
    }
    lives = {life.id: life.status for life in tl.state(CommitmentHistory, at=noon)}
    assert lives == {
        "a-pending": CommitmentStatus.PENDING,
        "b-exact": CommitmentStatus.ACTIVE,
        "c-month": CommitmentStatus.ACTIVE,
        "d-lapsed": CommitmentStatus.LAPSED,
        "e-lapsing": CommitmentStatus.LAPSED,
        "truce": CommitmentStatus.ACTIVE,
    }
    # With no ``at``, every ``until`` has passed and every start has come.
    assert set(tl.state(ActiveCommitments).ids()) == {"a-pending", "b-exact", "c-month", "truce"}


def test_scope_is_judged_down_the_de_jure_tree() -> None:
    def world(scope: Scope) -> set[str]:
        tl = _load(
            *_base(("any_attack",))[:-1],
            Commitment(
                id="truce",
                occurred="2020-01-01",
                sources=_wire("2020-01-01"),
                commitment_kind="ceasefire",
                parties=("north",),
                prohibits=("any_attack",),
                scope=scope,
            ),
            _attack("in-town", "2020-02-01"),
            _attack("in-land", "2020-02-01", place="land"),
            _attack("nowhere", "2020-02-01", place=None),
        )
        return {v.evidence for v in tl.state(ReportedViolations)}

    assert world(Scope()) == {"in-town", "in-land", "nowhere"}
    assert world(Scope(include=("land",))) == {"in-town", "in-land"}
    assert world(Scope(exclude=("land",))) == set()
    assert world(Scope(include=("land",), exclude=("town",))) == {"in-land"}


def test_casualty_figures_are_ordered_with_the_whole_conflict_first() -> None:
    def report(rid: str, place: str | None) -> CasualtyReport:
        return CasualtyReport(
            id=rid,
            occurred="2020-02-01",
            sources=_wire("2020-02-01"),
            claimed_by="south",
            category="civilian",
            measure="killed",
            count=Figure(best=3),
            place=place,
        )

    area = PlaceDefined(id="0-area", name="Area zero", place_kind="area", parent="land")
    tl = _load(
        *_base(), area, report("r-town", "town"), report("r-all", None), report("r-0", "0-area")
    )
    found = tl.state(CasualtyEstimates, at="2020-03-01")
    assert [(e.id, e.place) for e in found] == [
        ("r-all", None),
        ("r-0", "0-area"),
        ("r-town", "town"),
    ]
    assert found.query == tl.query(at="2020-03-01")


def test_a_claimants_later_coarser_figure_is_its_latest() -> None:
    """A claimant's figure for 20 October (reported the 21st), then its total for the
    month of October (reported 2 November): the total covers later time and was given
    later, so it is the claimant's latest figure, though it starts earlier (replay
    order is by the start); the daily one is the latest only before the total is
    known, or where the cut leaves the month out."""

    def report(rid: str, occurred: str | TimeExtent, published: str, best: int) -> CasualtyReport:
        return CasualtyReport(
            id=rid,
            occurred=occurred,
            sources=_wire(published),
            claimed_by="south",
            category="civilian",
            measure="killed",
            count=Figure(best=best),
        )

    day = report("day-20", "2024-10-20", "2024-10-21", 40)
    month = report("oct-total", TimeExtent.parse("2024-10"), "2024-11-02", 300)
    south = ActorDefined(id="south", name="South", actor_kind="government")
    for records in ((day, month), (month, day)):
        tl = _load(south, *records)
        latest = [(e.id, e.figure.best) for e in tl.state(CasualtyEstimates)]
        assert latest == [("oct-total", 300)]
        assert [e.id for e in tl.state(CasualtyEstimates, known_at="2024-11-03")] == ["oct-total"]
        assert [e.id for e in tl.state(CasualtyEstimates, known_at="2024-11-01")] == ["day-20"]
        certain = tl.state(CasualtyEstimates, at="2024-10-25", certainty="certain")
        assert [e.id for e in certain] == ["day-20"]  # the month has not certainly passed


def test_figures_covering_the_same_time_reported_together_go_to_the_larger_id() -> None:
    """claims.md: the latest figure is the one covering the latest time, "then the
    latest reported, then the larger id". A total for October and a figure for 31
    October end together and were reported the same day: the larger id ("z-total") is
    the latest, though the daily figure starts later and so replays after it."""
    south = ActorDefined(id="south", name="South", actor_kind="government")

    def report(rid: str, occurred: str | TimeExtent, best: int) -> CasualtyReport:
        return CasualtyReport(
            id=rid,
            occurred=occurred,
            sources=_wire("2024-11-02"),
            claimed_by="south",
            category="civilian",
            measure="killed",
            count=Figure(best=best),
        )

    total = report("z-total", TimeExtent.parse("2024-10"), 300)
    day = report("a-day", "2024-10-31", 12)
    for records in ((total, day), (day, total)):
        tl = _load(south, *records)
        assert [(e.id, e.figure.best) for e in tl.state(CasualtyEstimates)] == [("z-total", 300)]


def test_unsourced_records_are_replayed_in_append_order() -> None:
    """Two figures of one claimant for the same day, neither with a dated source: each
    is known from when the store accepted it, so the one appended later is the latest
    figure; with dated sources, the append order no longer matters."""
    south = ActorDefined(id="south", name="South", actor_kind="government")

    def report(rid: str, best: int, sources: Any = ()) -> CasualtyReport:
        return CasualtyReport(
            id=rid,
            occurred="2024-10-20",
            sources=sources,
            claimed_by="south",
            category="civilian",
            measure="killed",
            count=Figure(best=best),
        )

    def latest(*reports: CasualtyReport) -> str:
        ticks = itertools.count()  # a clock one second later at each append
        start = pendulum.datetime(2024, 11, 1, tz="UTC")
        tl = Timeline(MemoryStore(clock=lambda: start.add(seconds=next(ticks))))
        tl.append(south)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnsourcedRecordWarning)
            for r in reports:
                tl.append(r)  # one append each: later appends are known later
        (estimate,) = tl.state(CasualtyEstimates)
        return estimate.id

    x, y = report("x", 10), report("y", 99)
    assert latest(x, y) == "y"
    assert latest(y, x) == "x"
    dated_x, dated_y = report("x", 10, _wire("2024-10-21")), report("y", 99, _wire("2024-10-21"))
    assert latest(dated_x, dated_y) == latest(dated_y, dated_x) == "y"  # then the larger id


def test_a_figure_at_the_instant_after_a_day_is_later_than_that_days() -> None:
    """ "Covering the latest time" compares the last instant each figure covers: a figure
    for the instant at midnight covers later time than one for the whole day before
    it (whose extent ends there, exclusive), whatever their ids."""
    south = ActorDefined(id="south", name="South", actor_kind="government")

    def report(rid: str, occurred: TimeExtent) -> CasualtyReport:
        return CasualtyReport(
            id=rid,
            occurred=occurred,
            sources=_wire("2020-01-05"),
            claimed_by="south",
            category="civilian",
            measure="killed",
            count=Figure(best=4),
        )

    midnight = report("a-midnight", TimeExtent.parse("2020-01-04T00:00:00Z"))
    day = report("b-day", TimeExtent.parse("2020-01-03"))
    assert [e.id for e in _load(south, day, midnight).state(CasualtyEstimates)] == ["a-midnight"]


def test_a_figure_with_no_claimant_is_its_first_sources_publishers() -> None:
    """A record with no ``claimed_by`` is the claim of its first source's publisher
    (docs/explanation/claims.md): a report citing Reuters then AP is Reuters'
    figure, and is its latest beside Reuters' own earlier one."""
    from conflict_timeline import Source

    def report(rid: str, day: str, publishers: tuple[str, ...], best: int) -> CasualtyReport:
        return CasualtyReport(
            id=rid,
            occurred=day,
            sources=tuple(Source(publisher=p, published=day) for p in publishers),
            category="civilian",
            measure="killed",
            count=Figure(best=best),
        )

    tl = _load(
        *_base(),
        report("r-early", "2020-02-01", ("Reuters",), 3),
        report("r-late", "2020-02-05", ("Reuters", "AP"), 7),
    )
    found = tl.state(CasualtyEstimates, at="2020-03-01")
    assert [(e.id, e.claimant) for e in found] == [("r-late", "Reuters")]
