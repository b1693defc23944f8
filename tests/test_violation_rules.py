"""`ReportedViolations`: the documented rules the mutation run found unpinned.

Each test pins one rule of docs/explanation/violations.md (or the `Selection`
docstring) with a small hand-built timeline; the expected answers are written from
the rule, never computed by the code under test. docs/testing.md ("Mutation
testing") lists the surviving mutants each test now kills.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pytest

from conflict_timeline import (
    Accusation,
    ActiveCommitments,
    ActorDefined,
    Attack,
    Basis,
    Commitment,
    CommitmentEnded,
    Confirmation,
    Correction,
    Denial,
    MemoryStore,
    Observation,
    PlaceDefined,
    QueryError,
    ReportedViolations,
    Scope,
    Status,
    TimeExtent,
    Timeline,
    ViolationAssessment,
)
from rule_kit import found as _found
from rule_kit import load as _load
from rule_kit import wire as _wire


def _world(**truce: Any) -> list[Any]:
    """North (with its army) and South bound by a truce from 2020-01-01 forbidding any
    attack; Town lies in Land, Village in Elsewhere."""
    fields: dict[str, Any] = {
        "id": "truce",
        "occurred": "2020-01-01",
        "sources": _wire("2020-01-01"),
        "commitment_kind": "ceasefire",
        "parties": ("north", "south"),
        "prohibits": ("any_attack",),
    }
    fields.update(truce)
    return [
        ActorDefined(id="north", name="North", actor_kind="state"),
        ActorDefined(
            id="north-army", name="North army", actor_kind="armed_force", affiliation="north"
        ),
        ActorDefined(id="south", name="South", actor_kind="state"),
        ActorDefined(id="rebels", name="Rebels", actor_kind="armed_force"),
        ActorDefined(id="monitor", name="Monitor", actor_kind="organization"),
        PlaceDefined(id="land", name="Land", place_kind="country"),
        PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
        PlaceDefined(id="elsewhere", name="Elsewhere", place_kind="country"),
        PlaceDefined(id="village", name="Village", place_kind="village", parent="elsewhere"),
        Commitment(**fields),
    ]


def _attack(aid: str, day: str, *, reported: str | None = None, **fields: Any) -> Attack:
    made: dict[str, Any] = {
        "perpetrator": "north-army",
        "place": "town",
        "target_class": "military",
        **fields,
    }
    return Attack(id=aid, occurred=day, sources=_wire(reported or day), **made)


def _accusation(cid: str, day: str, **fields: Any) -> Accusation:
    made: dict[str, Any] = {"accuser": "south", "accused": ("north-army",), **fields}
    return Accusation(id=cid, occurred=day, sources=_wire(day), **made)


def _observation(oid: str, day: str, **fields: Any) -> Observation:
    made: dict[str, Any] = {
        "monitor": "monitor",
        "violations": 3,
        "place": "town",
        "attributed_to": "north-army",
        **fields,
    }
    return Observation(id=oid, occurred=day, sources=_wire(day), **made)


# ----------------------------------------------------------------- alleged


def test_an_incident_not_replayed_does_not_hide_the_next_one() -> None:
    """Alleged: a breach of every commitment binding an accused for which *one of* its
    incidents, a replayed attack, is covered. An incident the cut does not replay
    (here, not yet known) is skipped, not the end of the list."""
    tl = _load(
        *_world(),
        _attack("late", "2020-02-01", reported="2020-02-20"),
        _attack("strike", "2020-02-02"),
        _accusation("claim", "2020-02-10", incidents=("late", "strike")),
    )
    assert _found(tl, known_at="2020-02-15") == {
        "alleged:claim:truce": Status.ALLEGED,
        "candidate:strike:truce": Status.ALLEGED,
    }
    # An accused no commitment binds is alleged to have breached nothing.
    tl.append(_accusation("other", "2020-02-11", accused=("rebels",), incidents=("strike",)))
    assert "alleged:other:truce" not in _found(tl)


def test_each_assessment_says_when_its_incidents_occurred() -> None:
    """``occurred``: when each incident occurred, one per incident in order (a
    candidate's is its attack's), None for an incident the timeline does not hold;
    an observation's is empty. The table's ``occurred`` column writes each extent with
    its precision and zone, ``?`` for an incident not held. An attack replayed after
    the accusation naming it (it occurred later), or corrected later, gives the
    accusation its time as it stands."""
    tl = _load(*_world())
    # The accusation names an attack replayed after it (records replay in the order
    # they occurred) and one never held.
    tl.append(
        _accusation("claim", "2020-02-10", breach_of="truce", incidents=("strike", "lost")),
        _attack("strike", "2020-02-12", reported="2020-02-15"),
        _observation("count", "2020-02-12", commitment="truce"),
        strict=False,
    )
    day12, day13 = TimeExtent.parse("2020-02-12"), TimeExtent.parse("2020-02-13")

    def occurred() -> dict[str, tuple[TimeExtent | None, ...]]:
        return {v.id: v.occurred for v in tl.state(ReportedViolations)}

    def cells() -> dict[str, str]:
        column = ViolationAssessment.table_columns.index("occurred")
        return {v.id: v.table_row()[column] for v in tl.state(ReportedViolations)}

    assert occurred() == {
        "alleged:claim:truce": (day12, None),
        "candidate:strike:truce": (day12,),
        "observed:count:truce": (),
    }
    assert cells() == {
        "alleged:claim:truce": "2020-02-12 (day, UTC); ?",
        "candidate:strike:truce": "2020-02-12 (day, UTC)",
        "observed:count:truce": "",
    }
    tl.append(
        Correction(
            id="redated",
            occurred="2020-02-20",
            sources=_wire("2020-02-20"),
            corrects="strike",
            replacement=_attack("strike", "2020-02-13", reported="2020-02-15"),
        )
    )
    assert occurred()["alleged:claim:truce"] == (day13, None)
    assert occurred()["candidate:strike:truce"] == (day13,)
    # Before the attack was known, the accusation's incident was not held.
    early = tl.state(ReportedViolations, known_at="2020-02-11")
    assert {v.id: v.occurred for v in early} == {"alleged:claim:truce": (None, None)}


def test_one_covered_incident_is_enough_whatever_the_others_are() -> None:
    """Alleged: a breach of every commitment binding an accused "for which one of its
    incidents (a replayed attack) possibly falls in the active time, is in scope and
    is prohibited". An accusation naming an attack before the truce took effect and
    one during it alleges a breach of the truce; one naming only the earlier attack
    alleges none."""
    tl = _load(
        *_world(),
        _attack("before", "2019-12-15"),
        _attack("during", "2020-02-02"),
        _accusation("both", "2020-02-10", incidents=("before", "during")),
        _accusation("early", "2020-02-11", incidents=("before",)),
    )
    assert _found(tl) == {
        "alleged:both:truce": Status.ALLEGED,
        "candidate:during:truce": Status.ALLEGED,
    }


def test_an_accusation_naming_a_commitment_not_known_yet_is_listed_as_alleged() -> None:
    """Alleged, breach_of: the accusation names the commitment, and that is the
    accuser's claim, listed as soon as the accusation is known, whether or not the
    commitment is replayed by the cut (known later here): an allegation is not held
    back until the library knows what it is about, and the commitment filter finds
    it by the id it names."""
    tl = _load(
        *_world(reported=TimeExtent.parse("2020-02-25")),  # the truce known on 25 Feb
        _accusation("named", "2020-02-16", breach_of="truce"),
    )
    assert _found(tl, known_at="2020-02-17") == {"alleged:named:truce": Status.ALLEGED}
    early = tl.state(ReportedViolations, known_at="2020-02-17", commitment="truce")
    assert [a.id for a in early] == ["alleged:named:truce"]
    assert _found(tl, known_at="2020-02-15") == {}


def test_a_confirmation_of_an_accusation_or_of_its_incident_corroborates_it() -> None:
    """Status: the confirmations that count are those of the evidence and, for an
    accusation, of its incidents; the latest known of denials and confirmations
    decides."""
    tl = _load(
        *_world(),
        _attack("strike", "2020-02-01"),
        _accusation("named", "2020-02-02", breach_of="truce"),
        _accusation("by-incident", "2020-02-02", incidents=("strike",)),
        Confirmation(
            id="yes-named",
            occurred="2020-02-05",
            sources=_wire("2020-02-05"),
            confirmer="monitor",
            confirms="named",
        ),
        Confirmation(
            id="yes-strike",
            occurred="2020-02-08",
            sources=_wire("2020-02-08"),
            confirmer="monitor",
            confirms="strike",
        ),
    )
    assert _found(tl, known_at="2020-02-03") == {
        "alleged:named:truce": Status.ALLEGED,
        "alleged:by-incident:truce": Status.ALLEGED,
        "candidate:strike:truce": Status.ALLEGED,
    }
    assert _found(tl, known_at="2020-02-06") == {
        "alleged:named:truce": Status.CORROBORATED,
        "alleged:by-incident:truce": Status.ALLEGED,
        "candidate:strike:truce": Status.ALLEGED,
    }
    assert _found(tl) == {
        "alleged:named:truce": Status.CORROBORATED,
        "alleged:by-incident:truce": Status.CORROBORATED,
        "candidate:strike:truce": Status.CORROBORATED,
    }
    confirmations = {v.id: v.confirmations for v in tl.state(ReportedViolations)}
    assert confirmations == {
        "alleged:named:truce": ("yes-named",),
        "alleged:by-incident:truce": ("yes-strike",),
        "candidate:strike:truce": ("yes-strike",),
    }
    # A denial of the incident known later than its confirmation disputes both again.
    tl.append(
        Denial(
            id="no",
            occurred="2020-02-09",
            sources=_wire("2020-02-09"),
            denier="north",
            denies="strike",
        )
    )
    assert _found(tl) == {
        "alleged:named:truce": Status.CORROBORATED,
        "alleged:by-incident:truce": Status.DISPUTED,
        "candidate:strike:truce": Status.DISPUTED,
    }


# ----------------------------------------------------------------- observed


def test_an_observation_counting_no_violation_is_evidence_about_none() -> None:
    """Observed: an observation of a non-zero count naming a commitment is evidence
    about that one; otherwise only when it attributes the violations to an actor. A
    count of zero ("no violations this week") is evidence about no commitment, in
    either form: naming the commitment, or attributing the count to a bound party."""
    tl = _load(
        *_world(),
        _observation("count", "2020-02-01"),
        _observation("quiet", "2020-02-01", violations=0),
        _observation("named", "2020-02-01", commitment="truce", attributed_to=None),
        _observation("named-quiet", "2020-02-01", violations=0, commitment="truce"),
        _observation(
            "named-quiet-alone", "2020-02-01", violations=0, commitment="truce", attributed_to=None
        ),
        _observation("unattributed", "2020-02-01", attributed_to=None),
    )
    assert set(_found(tl)) == {"observed:count:truce", "observed:named:truce"}


def test_a_report_of_no_violations_naming_the_ceasefire_is_listed_as_none() -> None:
    """Observed, the tester's case: a monitor's week of no violations of the ceasefire
    (named) and a week of none by a party (attributed) list no violation, while a week
    of two named ones lists one, alleged as the monitor reports it."""
    tl = _load(
        *_world(),
        _observation("week-5", "2020-W05", violations=0, commitment="truce", attributed_to=None),
        _observation("week-6", "2020-W06", violations=0, attributed_to="north"),
        _observation("week-7", "2020-W07", violations=2, commitment="truce", attributed_to=None),
    )
    assert _found(tl) == {"observed:week-7:truce": Status.ALLEGED}
    assert [v.evidence for v in tl.state(ReportedViolations)] == ["week-7"]


def test_an_observation_is_about_the_commitments_whose_time_and_scope_hold_it() -> None:
    """Observed: about every commitment binding the actor whose active time the
    observation possibly falls in (not after its end) and whose scope (de jure)
    holds its place."""
    end = CommitmentEnded(
        id="collapse",
        occurred="2020-03-01",
        sources=_wire("2020-03-01"),
        commitment="truce",
        reason="collapsed",
    )
    tl = _load(
        *_world(scope=Scope(include=("land",))),
        end,
        _observation("too-early", "2019-12-01"),
        _observation("in-town", "2020-02-01"),  # Town lies in Land
        _observation("abroad", "2020-02-02", place="village"),
        _observation("after-end", "2020-03-05"),
        _observation("on-the-day", "2020-03-01"),
    )
    assert set(_found(tl)) == {"observed:in-town:truce", "observed:on-the-day:truce"}


# ----------------------------------------------------------------- filters


def test_the_place_filter_keeps_an_allegation_by_its_incidents_places() -> None:
    """``place=``: an allegation passes by the place of any of its incidents (as
    known under the cuts); one with no known incident place never passes."""
    tl = _load(
        *_world(),
        _attack("strike", "2020-02-01"),
        _attack("late", "2020-02-01", place="village", reported="2020-02-20"),
        _accusation("claim", "2020-02-02", breach_of="truce", incidents=("strike",)),
        _accusation("bare", "2020-02-02", breach_of="truce"),
        _accusation("far", "2020-02-03", breach_of="truce", incidents=("late",)),
    )
    alleged: dict[str, Any] = {"basis": "alleged"}
    assert tl.state(ReportedViolations, place="land", **alleged).ids() == ("alleged:claim:truce",)
    assert tl.state(ReportedViolations, place="elsewhere", **alleged).ids() == (
        "alleged:far:truce",
    )
    assert (
        tl.state(ReportedViolations, place="elsewhere", known_at="2020-02-10", **alleged).ids()
        == ()
    )


# ----------------------------------------------------------------- candidates


def test_attacks_replayed_before_a_backdated_commitment_are_its_candidates() -> None:
    """Candidate: every pair of an attack and a commitment where the attack possibly
    falls in the active time, by a bound party (or an affiliate), in scope (de jure),
    on a prohibited target, whichever of the two was replayed first. Here the truce is
    made on 1 March with effect from 1 January, after the attacks were replayed."""
    truce = {
        "occurred": "2020-03-01",
        "sources": _wire("2020-03-01"),
        "effective": "2020-01-01",
        "prohibits": ("attacks_on_civilians",),
        "scope": Scope(include=("land",)),
    }
    attacks = [
        _attack("hit", "2020-02-01", target_class="civilian"),  # by north-army, in Town
        _attack("hit-by-south", "2020-02-02", target_class="mixed", perpetrator="south"),
        _attack("before-effect", "2019-12-31", target_class="civilian"),
        _attack("military", "2020-02-03"),
        _attack("by-rebels", "2020-02-04", target_class="civilian", perpetrator="rebels"),
        _attack("abroad", "2020-02-05", target_class="civilian", place="village"),
    ]
    world = _world(**truce)
    tl = _load(*world[:-1], *attacks, world[-1])
    assert set(_found(tl)) == {"candidate:hit:truce", "candidate:hit-by-south:truce"}
    # The same answer when the truce is replayed first.
    tl = _load(*world, *attacks)
    assert set(_found(tl)) == {"candidate:hit:truce", "candidate:hit-by-south:truce"}


def test_an_assessment_keeps_its_evidence_accuser_accused_and_sources() -> None:
    """Each assessment keeps the commitment, the evidence record, the incidents, the
    accuser and the accused, the sources and when it was first reported: the
    evidence's knowledge time, not when it happened (the strike of 1 February was
    first reported on 4 February)."""
    strike = _attack("strike", "2020-02-01", reported="2020-02-04")
    claim = _accusation("claim", "2020-02-02", breach_of="truce", incidents=("strike",))
    count = _observation("count", "2020-02-03")
    tl = _load(*_world(), strike, claim, count)
    want = {
        "candidate:strike:truce": (
            "truce", Basis.CANDIDATE, "strike", ("strike",), None, ("north-army",),
            Status.ALLEGED, TimeExtent.parse("2020-02-04"), _wire("2020-02-04"), (), (),
        ),
        "alleged:claim:truce": (
            "truce", Basis.ALLEGED, "claim", ("strike",), "south", ("north-army",),
            Status.ALLEGED, TimeExtent.parse("2020-02-02"), _wire("2020-02-02"), (), (),
        ),
        "observed:count:truce": (
            "truce", Basis.OBSERVED, "count", (), "monitor", ("north-army",),
            Status.ALLEGED, TimeExtent.parse("2020-02-03"), _wire("2020-02-03"), (), (),
        ),
    }  # fmt: skip
    got = {
        v.id: (
            v.commitment,
            v.basis,
            v.evidence,
            v.incidents,
            v.accuser,
            v.accused,
            v.status,
            v.first_reported,
            v.sources,
            v.denials,
            v.confirmations,
        )
        for v in tl.state(ReportedViolations)
    }
    assert got == want
    # Ordered by first report: the strike, reported last, comes last.
    assert tl.state(ReportedViolations).ids() == (
        "alleged:claim:truce",
        "observed:count:truce",
        "candidate:strike:truce",
    )


def test_an_attack_with_no_known_perpetrator_is_no_candidate_but_can_be_alleged() -> None:
    """Candidate: the perpetrator must be bound, and an unknown one binds nothing. The
    attack is still kept: an accusation naming it as an incident is alleged, and
    passes a place filter by the attack's place."""
    tl = _load(
        *_world(),
        _attack("anonymous", "2020-02-01", perpetrator=None),
        _accusation("claim", "2020-02-02", breach_of="truce", incidents=("anonymous",)),
        _attack("hit", "2020-02-03"),
    )
    assert set(_found(tl)) == {"alleged:claim:truce", "candidate:hit:truce"}
    assert tl.state(ReportedViolations, place="land", basis="alleged").ids() == (
        "alleged:claim:truce",
    )


def test_an_accused_incident_after_the_end_alleges_no_breach() -> None:
    """Alleged (no ``breach_of``): only the commitments whose active time one of the
    incidents possibly falls in; the commitment's end closes it."""
    end = CommitmentEnded(
        id="collapse",
        occurred="2020-03-01",
        sources=_wire("2020-03-01"),
        commitment="truce",
        reason="collapsed",
    )
    tl = _load(
        *_world(),
        end,
        _attack("before", "2020-02-01"),
        _attack("after", "2020-03-05"),
        _accusation("early-claim", "2020-03-06", incidents=("before",)),
        _accusation("late-claim", "2020-03-06", incidents=("after",)),
    )
    assert set(_found(tl)) == {"candidate:before:truce", "alleged:early-claim:truce"}


def test_a_tie_disputes_and_verified_evidence_stays_verified() -> None:
    """Status: a denial and a confirmation known at the same instant leave it
    ``disputed``; a confirmation makes it ``corroborated``, but ``verified`` evidence
    stays ``verified``."""

    def said(kind: type[Confirmation] | type[Denial], rid: str, target: str, day: str) -> Any:
        made: dict[str, Any] = {"confirmer": "monitor", "confirms": target}
        if kind is Denial:
            made = {"denier": "north", "denies": target}
        return kind(id=rid, occurred=day, sources=_wire(day), **made)

    tl = _load(
        *_world(),
        _observation("seen", "2020-02-01", status="verified"),
        _observation("told", "2020-02-01"),
        _observation("tied", "2020-02-01"),
        said(Confirmation, "yes-seen", "seen", "2020-02-05"),
        said(Confirmation, "yes-told", "told", "2020-02-05"),
        said(Confirmation, "yes-tied", "tied", "2020-02-05"),
        said(Denial, "no-tied", "tied", "2020-02-05"),
    )
    assert _found(tl) == {
        "observed:seen:truce": Status.VERIFIED,
        "observed:told:truce": Status.CORROBORATED,
        "observed:tied:truce": Status.DISPUTED,
    }
    seen = tl.state(ReportedViolations).get("observed:seen:truce")
    assert seen is not None
    assert (seen.confirmations, seen.denials) == (("yes-seen",), ())


# ----------------------------------------------------------------- filters


def _filtered_world() -> Timeline:
    local = Commitment(
        id="local",
        occurred="2020-01-01",
        sources=_wire("2020-01-01"),
        commitment_kind="ceasefire",
        parties=("north",),
        prohibits=("any_attack",),
        scope=Scope(include=("elsewhere",)),
    )
    return _load(
        *_world(),
        local,
        _attack("strike", "2020-02-01"),
        _accusation("claim", "2020-02-02", breach_of="truce", incidents=("strike",)),
        _observation("count", "2020-02-03"),
        _accusation("rebel-claim", "2020-02-04", accused=("rebels",), breach_of="truce"),
        _observation("far-count", "2020-02-05", place="village", commitment="truce"),
        _observation("anon", "2020-02-06", place=None, attributed_to=None, commitment="truce"),
        _attack("raid", "2020-02-07", place="village"),
    )


_C, _C2, _C3 = "candidate:strike:truce", "candidate:raid:truce", "candidate:raid:local"
_A1, _A2 = "alleged:claim:truce", "alleged:rebel-claim:truce"
_O1, _O2, _O3 = "observed:count:truce", "observed:far-count:truce", "observed:anon:truce"


def _feb(day: int, *, last: bool = False) -> _dt.datetime:
    """The first (or last) microsecond of a day of February 2020, UTC."""
    first = _dt.datetime(2020, 2, day, tzinfo=_dt.UTC)
    return first + _dt.timedelta(days=1, microseconds=-1) if last else first


@pytest.mark.parametrize(
    ("filters", "kept"),
    [
        ({}, {_C, _C2, _C3, _A1, _A2, _O1, _O2, _O3}),
        ({"accuser": "south"}, {_A1, _A2}),
        ({"accuser": ("monitor",)}, {_O1, _O2, _O3}),
        ({"accuser": ["nobody"]}, set()),
        ({"accused": "north"}, {_C, _C2, _C3, _A1, _O1, _O2}),  # north-army is North's
        ({"accused": "north-army"}, {_C, _C2, _C3, _A1, _O1, _O2}),
        ({"accused": "rebels"}, {_A2}),
        ({"accused": "south"}, set()),
        ({"place": "land"}, {_C, _A1, _O1}),  # Town lies in Land
        ({"place": "town"}, {_C, _A1, _O1}),
        ({"place": "elsewhere"}, {_C2, _C3, _O2}),
        # Inclusive: the last microsecond of 1 February, the first of 3 February.
        ({"between": (_feb(1, last=True), _feb(3))}, {_C, _A1, _O1}),
        ({"between": (_feb(2), _feb(2, last=True))}, {_A1}),
        ({"basis": "candidate"}, {_C, _C2, _C3}),
        ({"basis": ("alleged", "observed")}, {_A1, _A2, _O1, _O2, _O3}),
        ({"commitment": "local"}, {_C3}),
        ({"commitment": ("truce",)}, {_C, _C2, _A1, _A2, _O1, _O2, _O3}),
        ({"commitment": "local", "accuser": "south"}, set()),
        ({"basis": "candidate", "place": "elsewhere", "commitment": "truce"}, {_C2}),
    ],
)
@pytest.mark.parametrize("warm", [False, True], ids=["first-question", "after-full-fold"])
def test_each_filter_keeps_what_its_rule_says(
    filters: dict[str, Any], kept: set[str], warm: bool
) -> None:
    """The `Selection` rules: ``accuser`` (candidates have none), ``accused`` (or an
    actor affiliated with one), ``place`` (de jure, sub-places included; an unknown
    place never passes), ``between`` (inclusive), ``basis`` and ``commitment``. The
    same whether the filtered question is the first (which may fold only the records
    it needs) or comes after the whole view was folded (which selects from it)."""
    tl = _filtered_world()
    if warm:
        assert len(tl.state(ReportedViolations)) == 8
    assert set(tl.state(ReportedViolations, **filters).ids()) == kept


def test_an_affiliation_replayed_after_the_attack_binds_its_maker() -> None:
    """Candidate: places and affiliations are those replayed up to the later of the
    attack and the commitment. Here the militia is known to be North's only after
    its attack was replayed, and the truce binding North (backdated) comes later
    still: the attack is its candidate."""
    militia = ActorDefined(
        id="militia",
        name="Militia",
        actor_kind="armed_force",
        affiliation="north",
        occurred="2020-02-15",
    )
    world = _world(occurred="2020-03-01", sources=_wire("2020-03-01"), effective="2020-01-01")
    # Stored before the attack, replayed after it (replay follows ``occurred``).
    tl = _load(
        *world[:-1], militia, _attack("raid", "2020-02-01", perpetrator="militia"), world[-1]
    )
    assert set(_found(tl)) == {"candidate:raid:truce"}


def test_every_denial_and_confirmation_is_listed_in_replay_order() -> None:
    """Status: ``denials`` and ``confirmations`` list the replayed ones in replay
    order."""

    def said(kind: type[Confirmation] | type[Denial], rid: str, day: str) -> Any:
        made: dict[str, Any] = {"confirmer": "monitor", "confirms": "claim"}
        if kind is Denial:
            made = {"denier": "north", "denies": "claim"}
        return kind(id=rid, occurred=day, sources=_wire(day), **made)

    tl = _load(
        *_world(),
        _accusation("claim", "2020-02-01", breach_of="truce"),
        said(Denial, "no-1", "2020-02-02"),
        said(Confirmation, "yes-1", "2020-02-03"),
        said(Denial, "no-2", "2020-02-04"),
        said(Confirmation, "yes-2", "2020-02-05"),
    )
    (alleged,) = tl.state(ReportedViolations)
    assert (alleged.denials, alleged.confirmations) == (("no-1", "no-2"), ("yes-1", "yes-2"))
    assert alleged.status is Status.CORROBORATED  # the latest known is a confirmation


def test_a_superseded_commitment_ends_when_its_successor_takes_effect() -> None:
    """Active time: a commitment B that ``supersedes`` A ends A when B takes effect
    (A's implied end); an attack after that is a candidate of B only."""
    successor = Commitment(
        id="successor",
        occurred="2020-02-20",
        sources=_wire("2020-02-20"),
        effective="2020-03-01",
        commitment_kind="ceasefire",
        parties=("north", "south"),
        prohibits=("any_attack",),
        supersedes=("truce",),
    )
    tl = _load(
        *_world(),
        _attack("before", "2020-02-01"),
        successor,
        _attack("after", "2020-03-05"),
    )
    assert set(_found(tl)) == {"candidate:before:truce", "candidate:after:successor"}


def test_a_backdated_commitment_weighs_every_earlier_attack_up_to_its_start() -> None:
    """Active time: an attack possibly falls in it when its last instant is not before
    the ``effective`` start (equal counts). A commitment replayed after the attacks
    (backdated) weighs each of them: one that ended before the start does not stop
    the rest being weighed, and an attack already a candidate of another commitment
    becomes a candidate of this one too."""
    early = [_attack(f"early-{d}", f"2019-12-{d}") for d in range(26, 31)]
    hits = [_attack(f"hit-{d}", f"2020-01-0{d}") for d in range(1, 7)]
    edge = _attack("edge", "2019-12-31")  # its last microsecond is the start
    world = _world()
    backdated = Commitment(
        id="backdated",
        occurred="2020-03-01",
        sources=_wire("2020-03-01"),
        effective="2019-12-31T23:59:59.999999Z",
        commitment_kind="ceasefire",
        parties=("north",),
        prohibits=("any_attack",),
    )
    tl = _load(*world[:-1], *early, edge, *hits, backdated, world[-1])
    want = {f"candidate:{a.id}:backdated" for a in [edge, *hits]}
    # ``truce`` (occurred 2020-01-01, effective then) is replayed after the 1 January
    # attack and before the later ones; every attack on or after 1 January is its.
    want |= {f"candidate:{a.id}:truce" for a in hits}
    assert set(_found(tl)) == want


def test_the_commitment_filter_keeps_every_candidate_of_that_commitment() -> None:
    """``commitment=``: every candidate of the named commitments is kept, whatever
    the other commitments the same view also holds."""
    local = Commitment(
        id="local",
        occurred="2020-01-01",
        sources=_wire("2020-01-01"),
        commitment_kind="ceasefire",
        parties=("north",),
        prohibits=("any_attack",),
        scope=Scope(include=("elsewhere",)),
    )
    strikes = [_attack(f"strike-{d}", f"2020-02-{d:02d}") for d in range(1, 11)]
    raids = [_attack(f"raid-{d}", f"2020-02-{d:02d}", place="village") for d in range(11, 16)]
    tl = _load(*_world(), local, *strikes, *raids)
    want = {f"candidate:{r.id}:local" for r in raids}
    assert set(tl.state(ReportedViolations, commitment="local").ids()) == want
    assert tl.state(ReportedViolations, commitment="local", accuser="south").ids() == ()


def test_a_backdated_successor_withdraws_the_candidates_after_its_start() -> None:
    """Active time: A's winning end may be implied by a successor B made after an
    attack but effective before it; A's active time then ends at B's start, so the
    attack is B's candidate and no longer A's. An attack at the very instant A ends
    could have come before the end: still A's candidate."""

    def successor(effective: str) -> Commitment:
        return Commitment(
            id="truce-2",
            occurred="2020-02-20",
            sources=_wire("2020-02-20"),
            effective=effective,
            commitment_kind="ceasefire",
            parties=("north", "south"),
            prohibits=("any_attack",),
            supersedes=("truce",),
        )

    tl = _load(*_world(), _attack("strike", "2020-02-10"), successor("2020-02-05"))
    assert set(_found(tl)) == {"candidate:strike:truce-2"}
    assert set(_found(tl, known_at="2020-02-19")) == {"candidate:strike:truce"}
    # B takes effect at the first microsecond of the attack's day: A's end is then.
    tl = _load(
        *_world(), _attack("strike", "2020-02-10"), successor("2020-02-10T00:00:00.000000Z")
    )
    assert set(_found(tl)) == {"candidate:strike:truce", "candidate:strike:truce-2"}


def test_a_backdated_successor_withdraws_candidates_it_does_not_cover_itself() -> None:
    """The same end withdraws an attack the successor does not forbid: after B's
    start the attack is a candidate of neither, in the full answer and filtered."""
    narrower = Commitment(
        id="truce-2",
        occurred="2020-02-20",
        sources=_wire("2020-02-20"),
        effective="2020-02-05",
        commitment_kind="ceasefire",
        parties=("north", "south"),
        prohibits=("attacks_on_civilians",),
        supersedes=("truce",),
    )
    tl = _load(
        *_world(), _attack("strike", "2020-02-10"), _attack("early", "2020-02-01"), narrower
    )
    assert set(_found(tl)) == {"candidate:early:truce"}
    assert tl.state(ReportedViolations, commitment="truce").ids() == ("candidate:early:truce",)
    assert set(_found(tl, known_at="2020-02-19")) == {
        "candidate:early:truce",
        "candidate:strike:truce",
    }


def test_the_commitment_filter_keeps_an_observation_about_several() -> None:
    """``commitment=``: an observation about several commitments is kept for each
    named one."""
    accord = Commitment(
        id="accord",
        occurred="2020-01-01",
        sources=_wire("2020-01-01"),
        commitment_kind="ceasefire",
        parties=("north",),
        prohibits=("any_attack",),
    )
    tl = _load(*_world(), accord, _observation("count", "2020-02-01"))
    assert set(_found(tl)) == {"observed:count:accord", "observed:count:truce"}
    assert tl.state(ReportedViolations, commitment="truce").ids() == ("observed:count:truce",)


def test_order_is_first_report_then_commitment_then_basis_then_evidence() -> None:
    """Order: by first report, then commitment, then basis (alleged, observed,
    candidate), then evidence id; the listing carries the question it answers. An
    observation attributed to no one accuses no one."""
    tl = _load(
        *_world(),
        _attack("aa", "2020-02-01"),
        _accusation("zz", "2020-02-01", breach_of="truce"),
        _observation("mm", "2020-02-01"),
        _observation("nobody", "2020-02-02", attributed_to=None, commitment="truce"),
    )
    listing = tl.state(ReportedViolations)
    assert listing.ids() == (
        "alleged:zz:truce",
        "observed:mm:truce",
        "candidate:aa:truce",
        "observed:nobody:truce",
    )
    assert listing.query == tl.query()
    assert listing[3].accused == ()


def test_order_puts_the_commitment_before_the_basis() -> None:
    """Order: first report, *then commitment*, then basis. An attack that is a
    candidate violation of two commitments, and an accusation of the same day naming
    the later one in id order: the accord's candidate comes first, then the truce's
    allegation, then the truce's candidate."""
    accord = Commitment(
        id="accord",
        occurred="2020-01-01",
        sources=_wire("2020-01-01"),
        commitment_kind="ceasefire",
        parties=("north", "south"),
        prohibits=("any_attack",),
    )
    tl = _load(
        *_world(),
        accord,
        _attack("aa", "2020-02-01"),
        _accusation("zz", "2020-02-01", breach_of="truce"),
    )
    assert tl.state(ReportedViolations).ids() == (
        "candidate:aa:accord",
        "alleged:zz:truce",
        "candidate:aa:truce",
    )


def test_an_unknown_basis_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(
        QueryError, match="basis: 'guess' is not one of alleged, candidate, observed"
    ):
        _load(*_world()).state(ReportedViolations, basis=("alleged", "guess"))


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"commitment": 5}, "commitment: expected an id or a list of ids (strings), got 5"),
        ({"accused": ["north", 7]}, "accused: expected an id or a list of ids"),
        ({"accuser": b"south"}, "accuser: expected an id or a list of ids"),
        ({"place": {"land": 1}}, "place: expected an id or a list of ids"),
        ({"basis": 3}, "basis: expected a basis or a list of them, got 3"),
        ({"basis": [["alleged"]]}, "basis: ['alleged'] is not one of alleged"),
    ],
)
def test_a_filter_that_names_no_ids_is_refused_naming_it(
    filters: dict[str, Any], message: str
) -> None:
    """A filter takes an id or a list of ids (a basis or a list of bases): anything
    else is a `QueryError` naming the filter (a fuzz of the query arguments found
    TypeErrors, and a list of numbers silently matching nothing)."""
    with pytest.raises(QueryError) as raised:
        _load(*_world()).state(ReportedViolations, **filters)
    assert message in str(raised.value)


def test_a_lapsed_commitment_dropped_for_an_attack_leaves_the_others_for_the_next() -> None:
    """Candidate by rule, for every attack: a commitment whose own ``until`` passed
    before an attack no longer covers it, and the party's other commitments still
    cover that attack and every later one (the ninth mutation run: the fold drops the
    lapsed one from what it weighs the party's attacks against, and kept nothing)."""
    short = Commitment(
        id="short",
        occurred="2020-01-01",
        sources=_wire("2020-01-01"),
        commitment_kind="ceasefire",
        parties=("north",),
        prohibits=("any_attack",),
        until="2020-01-10",
    )
    tl = _load(
        *_world(),
        short,
        _attack("late", "2020-01-20"),
        _attack("later", "2020-02-01"),
        _attack("early", "2020-01-05"),
    )
    assert set(_found(tl)) == {
        "candidate:early:short",
        "candidate:early:truce",
        "candidate:late:truce",
        "candidate:later:truce",
    }


def test_an_attack_appended_into_the_past_is_found_by_a_later_backdated_commitment() -> None:
    """Candidate by rule, whichever record was replayed first, and the same answer
    after an append into the past as from a fresh fold: with a checkpoint after every
    entry, the fold resumes before the new attack, takes it in, and the truce made
    later with effect from before it weighs it (the ninth mutation run: a resumed fold
    that dropped the attack from the attacks it keeps went unnoticed)."""
    truce = {"occurred": "2020-03-01", "sources": _wire("2020-03-01"), "effective": "2020-01-01"}
    world = _world(**truce)
    records = [*world[:-1], _attack("first", "2020-02-01"), _attack("last", "2020-02-05")]
    tl = Timeline(MemoryStore(), checkpoint_every=1)
    tl.append(*records, world[-1])
    assert set(_found(tl)) == {"candidate:first:truce", "candidate:last:truce"}
    tl.append(_attack("between", "2020-02-03"))  # replayed before "last" and the truce
    expected = {"candidate:first:truce", "candidate:between:truce", "candidate:last:truce"}
    assert set(_found(tl)) == expected
    assert set(_found(_load(*records, world[-1], _attack("between", "2020-02-03")))) == expected


def test_an_attack_at_the_last_instant_of_until_is_a_candidate() -> None:
    """Active time: an extent possibly falls in it when its first instant is not
    after the last instant of ``until`` (equal counts). With ``until`` the day
    2020-01-31, an attack at its last microsecond is a candidate; one at the first
    instant of 1 February is not."""
    world = _world(until="2020-01-31")
    edge = _attack("edge", "2020-01-31T23:59:59.999999Z")
    after = _attack("after", "2020-02-01T00:00:00Z")
    tl = _load(*world, edge, after)
    assert set(_found(tl)) == {"candidate:edge:truce"}


def test_an_attack_at_the_last_instant_of_an_explicit_end_is_a_candidate() -> None:
    """Active time: an extent possibly falls in it when its first instant is not
    after the last instant of the commitment's closing end (equal counts). With the
    truce ended on the day 2020-01-31, an attack at that day's last microsecond could
    have come before the end and is a candidate; one on 1 February is not."""
    end = CommitmentEnded(
        id="truce-end",
        occurred="2020-01-31",
        sources=_wire("2020-01-31"),
        commitment="truce",
        reason="withdrawn",
    )
    edge = _attack("edge", "2020-01-31T23:59:59.999999Z")
    after = _attack("after", "2020-02-01T00:00:00Z")
    tl = _load(*_world(), end, edge, after)
    assert set(_found(tl)) == {"candidate:edge:truce"}


def test_an_attack_ending_at_the_first_instant_of_the_start_is_a_candidate() -> None:
    """Active time begins at the first instant of ``effective`` (else of the
    commitment's ``occurred``): an extent possibly falls in it when its last instant
    is not before that one (equal counts). With the truce from 2020-01-01 (UTC), an
    attack at 2020-01-01T00:00:00Z is a candidate, one at the microsecond before it
    is not; the same holds for an accusation of each, and for a truce announced on
    20 December with effect from 1 January (replayed before both attacks, so each is
    weighed as it is replayed rather than when the truce is)."""
    edge = _attack("edge", "2020-01-01T00:00:00Z")
    before = _attack("before", "2019-12-31T23:59:59.999999Z")
    claims = (
        _accusation("says-edge", "2020-01-05", incidents=("edge",)),
        _accusation("says-before", "2020-01-05", incidents=("before",)),
    )
    expected = {"candidate:edge:truce", "alleged:says-edge:truce"}
    for truce in ({}, {"occurred": "2019-12-20", "effective": "2020-01-01"}):
        assert set(_found(_load(*_world(**truce), before, edge))) == {"candidate:edge:truce"}
        assert set(_found(_load(*_world(**truce), before, edge, *claims))) == expected


def test_an_attack_in_a_place_the_scope_excludes_is_no_candidate() -> None:
    """Scope: a place is in scope when its de jure lineage meets ``include`` (or
    ``include`` is empty) and misses ``exclude``. With the truce over Land except
    Town, an attack in Town is no candidate (nor alleged), one in Land itself is, and
    one in Village (in Elsewhere) is not; with ``include`` empty and Town excluded,
    Village is in scope and Town still is not."""
    attacks = (
        _attack("in-town", "2020-02-01", place="town"),
        _attack("in-land", "2020-02-02", place="land"),
        _attack("in-village", "2020-02-03", place="village"),
    )
    claim = _accusation("says-town", "2020-02-05", incidents=("in-town",))
    tl = _load(*_world(scope=Scope(include=("land",), exclude=("town",))), *attacks, claim)
    assert set(_found(tl)) == {"candidate:in-land:truce"}
    tl = _load(*_world(scope=Scope(exclude=("town",))), *attacks)
    assert set(_found(tl)) == {"candidate:in-land:truce", "candidate:in-village:truce"}


# ------------------------------------- rules a second mutation run found unpinned


def _ended_on(day: str, eid: str = "truce-end") -> CommitmentEnded:
    return CommitmentEnded(
        id=eid, occurred=day, sources=_wire(day), commitment="truce", reason="withdrawn"
    )


@pytest.mark.parametrize("closed_by", ["until", "end"])
def test_an_observation_at_the_last_instant_of_the_active_time_is_about_the_commitment(
    closed_by: str,
) -> None:
    """Active time (observed too): an extent possibly falls in it when its first
    instant is not after the last instant of ``until``, or of the closing end. An
    observation at the last microsecond of 31 January is about the truce; one at the
    first instant of 1 February is not."""
    world = _world(until="2020-01-31") if closed_by == "until" else _world()
    ends = [] if closed_by == "until" else [_ended_on("2020-01-31")]
    tl = _load(
        *world,
        *ends,
        _observation("edge", "2020-01-31T23:59:59.999999Z"),
        _observation("after", "2020-02-01T00:00:00Z"),
    )
    assert set(_found(tl)) == {"observed:edge:truce"}


@pytest.mark.parametrize("closed_by", ["until", "end"])
def test_a_backdated_commitment_finds_an_attack_at_the_last_instant_of_its_active_time(
    closed_by: str,
) -> None:
    """The same boundary for the attacks a commitment announced later (backdated)
    weighs when it is replayed after them."""
    world = _world()[:-1]
    late: dict[str, Any] = {
        "id": "truce",
        "occurred": "2020-03-01",
        "sources": _wire("2020-03-01"),
        "effective": "2020-01-01",
        "commitment_kind": "ceasefire",
        "parties": ("north", "south"),
        "prohibits": ("any_attack",),
    }
    if closed_by == "until":
        late["until"] = "2020-01-31"
    ends = [] if closed_by == "until" else [_ended_on("2020-01-31")]
    edge = _attack("edge", "2020-01-31T23:59:59.999999Z")
    after = _attack("after", "2020-02-01T00:00:00Z")
    tl = _load(*world, edge, after, Commitment(**late), *ends)  # replayed by time
    assert set(_found(tl)) == {"candidate:edge:truce"}


@pytest.mark.parametrize(
    ("denied", "confirmed", "status"),
    [
        ("2020-02", "2020-02-10", Status.CORROBORATED),  # the denial's month begins first
        ("2020-02-10", "2020-02", Status.DISPUTED),  # the confirmation's does
    ],
)
def test_a_denial_against_a_confirmation_is_decided_by_the_earliest_bound_of_reported(
    denied: str, confirmed: str, status: Status
) -> None:
    """Status: "the latest known of them (by ``reported``, earliest bound) decides": a
    month-precise report is known from its first day."""
    tl = _load(
        *_world(),
        _observation("seen", "2020-02-01"),
        Denial(id="no", occurred=denied, sources=_wire(denied), denier="north", denies="seen"),
        Confirmation(
            id="yes",
            occurred=confirmed,
            sources=_wire(confirmed),
            confirmer="monitor",
            confirms="seen",
        ),
    )
    assert _found(tl) == {"observed:seen:truce": status}


def test_a_second_explicit_end_ending_later_does_not_widen_the_window() -> None:
    """Active time: the closing end is the earliest last instant among the ends; a new
    end can only bring the window's end earlier. Ended on 5 and on 10 January, the
    truce has no candidate on 10 January."""
    tl = _load(
        *_world(),
        _ended_on("2020-01-05", "first-end"),
        _ended_on("2020-01-10", "second-end"),
        _attack("z-late", "2020-01-10"),  # replayed after both ends (ids order a day)
        _attack("early", "2020-01-05"),
    )
    assert set(_found(tl)) == {"candidate:early:truce"}


def test_on_the_day_of_a_day_precise_until_the_truce_is_lapsed_yet_an_attack_is_a_candidate() -> (
    None
):
    """violations.md: a commitment is ``lapsed`` once its ``until`` has possibly
    happened (the day's first instant), while an attack possibly falls in its active
    time until the last instant of ``until``. So on the day of a day-precise
    ``until``, ActiveCommitments (possible) no longer lists the truce while an attack
    that day is still a candidate violation of it; under ``certainty="certain"`` the
    truce is active all that day, and lapsed only the day after."""
    tl = _load(*_world(until="2020-06-30"), _attack("noon", "2020-06-30T12:00:00Z"))
    noon = "2020-06-30T12:00:00Z"
    assert tl.state(ActiveCommitments, at="2020-06-29").ids() == ("truce",)
    assert tl.state(ActiveCommitments, at=noon).ids() == ()
    assert tl.state(ActiveCommitments, at=noon, certainty="certain").ids() == ("truce",)
    assert tl.state(ActiveCommitments, at="2020-07-01", certainty="certain").ids() == ()
    assert _found(tl, at=noon) == {"candidate:noon:truce": Status.ALLEGED}
    assert _found(tl, at="2020-07-01") == {"candidate:noon:truce": Status.ALLEGED}
    # An attack the day after is no candidate: it begins after until's last instant.
    tl = _load(*_world(until="2020-06-30"), _attack("after", "2020-07-01"))
    assert _found(tl, at="2020-07-02") == {}


def test_a_denial_of_the_commitment_changes_no_assessment_of_it() -> None:
    """claims.md: a denial of a commitment itself is kept but changes no assessment of
    its violations, whose status is their evidence's; a denial of the evidence makes
    its assessment disputed."""
    world = (*_world(), _attack("raid", "2020-02-01"))
    denial = Denial(
        id="never-agreed",
        occurred="2020-02-03",
        sources=_wire("2020-02-03"),
        denier="north",
        denies="truce",
    )
    assert _found(_load(*world, denial), at="2020-02-10") == {
        "candidate:raid:truce": Status.ALLEGED
    }
    assert "never-agreed" in [r.id for r in _load(*world, denial).involving("truce")]
    of_raid = Denial(
        id="not-us",
        occurred="2020-02-03",
        sources=_wire("2020-02-03"),
        denier="north",
        denies="raid",
    )
    assert _found(_load(*world, of_raid), at="2020-02-10") == {
        "candidate:raid:truce": Status.DISPUTED
    }


# ------------------------------------------- alleged, against commitments made later


def _pledge(cid: str, declared: str, **fields: Any) -> Commitment:
    made: dict[str, Any] = {
        "commitment_kind": "ceasefire",
        "parties": ("north",),
        "prohibits": ("any_attack",),
        **fields,
    }
    return Commitment(id=cid, occurred=declared, sources=_wire(declared), **made)


def test_a_later_pledge_in_force_from_an_incidents_last_instant_is_alleged_breached() -> None:
    """Alleged: a breach of a commitment binding an accused for which one of its
    incidents "possibly falls in the active time": an incident whose last instant is
    the commitment's first falls in it. A pledge in force from the last microsecond of
    a minute-precise incident is alleged breached, whether declared before the
    accusation or after it (replayed before it or after); one in force from the
    microsecond after is not."""
    tl = _load(
        *_world(),
        _attack("strike", "2020-02-01T10:00Z"),
        _pledge("before-claim", "2020-02-05", effective="2020-02-01T10:00:59.999999Z"),
        _accusation("claim", "2020-02-10", incidents=("strike",)),
        _pledge("at-last", "2020-02-20", effective="2020-02-01T10:00:59.999999Z"),
        _pledge("after-last", "2020-02-21", effective="2020-02-01T10:01:00.000000Z"),
    )
    found = _found(tl)
    assert found["alleged:claim:before-claim"] is Status.ALLEGED
    assert found["alleged:claim:at-last"] is Status.ALLEGED
    assert found["candidate:strike:at-last"] is Status.ALLEGED
    assert "alleged:claim:after-last" not in found
    assert "candidate:strike:after-last" not in found


def test_a_pledge_ended_between_two_incidents_is_alleged_breached_by_the_first() -> None:
    """Alleged: one covered incident is enough. A pledge that ended after the first
    of an accusation's incidents and before the second (each replayed before the
    accusation) is alleged breached: the first falls in its active time, however
    late the second is; an accusation naming only the second alleges no breach of it."""
    end = CommitmentEnded(
        id="short-end",
        occurred="2020-02-05",
        sources=_wire("2020-02-05"),
        commitment="short",
        reason="collapsed",
    )
    tl = _load(
        *_world(),
        _pledge("short", "2020-02-01"),
        _attack("first", "2020-02-02"),
        end,
        _attack("second", "2020-02-08"),
        _accusation("claim", "2020-02-10", incidents=("first", "second")),
        _accusation("late-only", "2020-02-11", incidents=("second",)),
    )
    found = _found(tl)
    assert found["alleged:claim:short"] is Status.ALLEGED
    assert found["candidate:first:short"] is Status.ALLEGED
    assert "alleged:late-only:short" not in found
    assert "candidate:second:short" not in found
