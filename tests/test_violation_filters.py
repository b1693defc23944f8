"""Filtered ReportedViolations == the unfiltered answer, filtered afterwards by the rule.

The rule (``Selection``'s docstring): an assessment passes ``commitment`` when it
concerns one of the ids; ``accused`` when one of its accused is one of the actors or
affiliated with one; ``accuser`` when its accuser is one of them; ``place`` when the
place of its evidence (the attack; any incident of an accusation; the observation's
area) lies de jure in one of the places; ``basis`` by basis; ``between`` when its
evidence possibly occurred in the span. Geography is the one visible under the cuts.
The filter-after oracle below is written from that rule over the stored records.
"""

from __future__ import annotations

import datetime as _dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    Accusation,
    ActorDefined,
    Attack,
    Basis,
    Codes,
    Commitment,
    Denial,
    MemoryStore,
    Observation,
    PlaceDefined,
    Record,
    ReportedViolations,
    Scope,
    Source,
    Timeline,
    ViolationAssessment,
    datasets,
)
from conflict_timeline.errors import QueryError
from conflict_timeline.strategies import timelines
from conflict_timeline.views import Query
from oracles import reported_violations

FIXED = _dt.datetime(2024, 1, 1, tzinfo=_dt.UTC)
PROFILE = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], max_examples=100
)
US = st.integers(
    min_value=int(pendulum.datetime(1990, 1, 1, tz="UTC").timestamp() * 1_000_000),
    max_value=int(pendulum.datetime(2030, 1, 1, tz="UTC").timestamp() * 1_000_000),
) | st.integers(  # the small world's months
    min_value=int(pendulum.datetime(2021, 1, 1, tz="UTC").timestamp() * 1_000_000),
    max_value=int(pendulum.datetime(2021, 5, 1, tz="UTC").timestamp() * 1_000_000),
)


def _visible(tl: Timeline, query: Query) -> dict[str, Record]:
    """Records visible under the cuts (no corrections in these timelines)."""
    retracted = set()
    out: dict[str, Record] = {}
    for r in tl.read():
        if query.as_of is not None and r.position > query.as_of:
            continue
        if query.known_at is not None:
            rep = r.reported
            if (rep.last if query.certain else rep.lo) > query.known_at:
                continue
        if r.kind == "Retraction":
            retracted.add(r.record.retracts)  # type: ignore[attr-defined]
            continue
        if query.at is not None:
            occ = r.record.occurred
            if (occ.last if query.certain else occ.lo) > query.at:
                continue
        out[r.id] = r.record
    return {k: v for k, v in out.items() if k not in retracted}


def _up(parents: dict[str, str | None], start: str) -> set[str]:
    seen = [start]
    while (parent := parents.get(seen[-1])) is not None and parent not in seen:
        seen.append(parent)
    return set(seen)


def passes(a: ViolationAssessment, records: dict[str, Record], f: dict[str, Any]) -> bool:
    """The rule, written plainly over the visible records."""
    places = {k: v.parent for k, v in records.items() if isinstance(v, PlaceDefined)}
    actors = {k: v.affiliation for k, v in records.items() if isinstance(v, ActorDefined)}
    evidence = records[a.evidence]
    if "commitment" in f and a.commitment not in f["commitment"]:
        return False
    if "basis" in f and a.basis not in f["basis"]:
        return False
    if "accuser" in f and a.accuser not in f["accuser"]:
        return False
    if "accused" in f and not any(_up(actors, x) & f["accused"] for x in a.accused):
        return False
    if "place" in f:
        if isinstance(evidence, Accusation):
            where = [
                getattr(records.get(i), "place", None)
                for i in evidence.incidents
                if isinstance(records.get(i), Attack)
            ]
        else:
            assert isinstance(evidence, Attack | Observation)
            where = [evidence.place]
        if not any(w is not None and _up(places, w) & f["place"] for w in where):
            return False
    if "between" in f:
        lo, hi = f["between"]
        if evidence.occurred.last < lo or evidence.occurred.lo > hi:
            return False
    return True


@st.composite
def filters(draw: st.DrawFn, records: list[Any]) -> dict[str, Any]:
    ids = sorted({r.id for r in records}) or ["none"]
    commitments = sorted(r.id for r in records if r.KIND == "Commitment") or ["none"]
    actors = sorted(r.id for r in records if r.KIND == "ActorDefined") or ["none"]
    places = sorted(r.id for r in records if r.KIND == "PlaceDefined") or ["none"]
    chosen: dict[str, Any] = {}
    if draw(st.booleans()):
        chosen["commitment"] = set(draw(st.lists(st.sampled_from(commitments), min_size=1)))
    if draw(st.booleans()):
        chosen["accused"] = set(draw(st.lists(st.sampled_from(actors), min_size=1)))
    if draw(st.booleans()):
        chosen["accuser"] = set(draw(st.lists(st.sampled_from(actors + ids[:3]), min_size=1)))
    if draw(st.booleans()):
        chosen["place"] = set(draw(st.lists(st.sampled_from(places), min_size=1)))
    if draw(st.booleans()):
        chosen["basis"] = set(draw(st.lists(st.sampled_from(list(Basis)), min_size=1)))
    if draw(st.booleans()):
        a, b = sorted((draw(US), draw(US)))
        chosen["between"] = (a, b)
    return chosen


# A small world where violations of every basis occur: two countries, actors in
# affiliation chains, commitments binding them, attacks, accusations (some naming the
# commitment), observations and denials, with reported dates spread for known_at.
SRC = (Source(publisher="Monitor", published="2021-06-01"),)
PLACES = {"c1": None, "c1-r": "c1", "t1": "c1-r", "c2": None, "t2": "c2"}
ACTORS = {"s1": None, "s1-army": "s1", "s2": None, "s2-army": "s2", "monitor": None}
BASE = _dt.date(2021, 1, 1)
DAYS = st.integers(0, 90)
# No codes (an attacker and a target), a GED clash or an ACLED battle (two sides:
# either possibly made it, both are accused), GED one-sided violence.
CODES = (
    None,
    Codes(ucdp_type_of_violence="1"),
    Codes(acled_event_type="Battles"),
    Codes(ucdp_type_of_violence="3"),
)


def _day(n: int) -> str:
    return (BASE + _dt.timedelta(days=n)).isoformat()


@st.composite
def worlds(draw: st.DrawFn) -> list[Any]:
    out: list[Any] = [
        ActorDefined(id=a, name=a, actor_kind="armed_force", affiliation=p)
        for a, p in ACTORS.items()
    ]
    out += [PlaceDefined(id=p, name=p, place_kind="region", parent=q) for p, q in PLACES.items()]
    places = sorted(PLACES)
    # An actor known to be s1's only from a day on: attacks replayed before it are
    # grouped without that affiliation (a backdated commitment must look at all).
    out.append(
        ActorDefined(
            id="s1-cell", name="s1-cell", actor_kind="armed_force", affiliation="s1",
            occurred=_day(draw(DAYS)),
        )
    )  # fmt: skip
    sides = (*sorted(ACTORS), "s1-cell")
    for i in range(draw(st.integers(1, 3))):
        start = draw(DAYS)
        out.append(
            Commitment(
                id=f"ceasefire-{i}", occurred=_day(start), sources=SRC,
                effective=_day(start - draw(st.sampled_from((0, 0, 10, 40)))),
                commitment_kind="ceasefire", parties=tuple(draw(st.sets(
                    st.sampled_from(("s1", "s2", "s1-army")), min_size=1))),
                prohibits=(draw(st.sampled_from(("any_attack", "attacks_on_civilians"))),),
                scope=Scope(include=tuple(draw(st.sets(st.sampled_from(places), max_size=1)))),
                reported=_day(start + draw(st.integers(0, 20))), text="stop",
            )
        )  # fmt: skip
    attacks = []
    for i in range(draw(st.integers(0, 12))):
        day = draw(DAYS)
        aid = f"attack-{i:02d}"
        attacks.append(aid)
        out.append(
            Attack(
                id=aid, occurred=_day(day), sources=SRC,
                perpetrator=draw(st.none() | st.sampled_from(sides)),
                target_class=draw(st.sampled_from(("civilian", "military"))),
                place=draw(st.none() | st.sampled_from(places)),
                reported=_day(day + draw(st.integers(0, 20))),
                target_actor=draw(st.none() | st.sampled_from(sides)),
                codes=draw(st.sampled_from(CODES)),
            )
        )  # fmt: skip
    for i in range(draw(st.integers(0, 4)) if attacks else 0):
        day = draw(DAYS)
        out.append(
            Accusation(
                id=f"accusation-{i}", occurred=_day(day), sources=SRC,
                accuser=draw(st.sampled_from(("s1", "s2"))),
                accused=(draw(st.sampled_from(("s1", "s2", "s2-army"))),),
                incidents=tuple(draw(st.sets(st.sampled_from(attacks), min_size=1, max_size=2))),
                breach_of=draw(st.none() | st.just("ceasefire-0")),
                reported=_day(day + draw(st.integers(0, 20))),
            )
        )  # fmt: skip
    for i in range(draw(st.integers(0, 3))):
        day = draw(DAYS)
        out.append(
            Observation(
                id=f"observation-{i}", occurred=_day(day), sources=SRC, monitor="monitor",
                violations=draw(st.integers(0, 3)),
                place=draw(st.none() | st.sampled_from(places)),
                commitment=draw(st.none() | st.just("ceasefire-0")),
                attributed_to=draw(st.none() | st.sampled_from(("s1", "s2-army"))),
                reported=_day(day + draw(st.integers(0, 20))),
            )
        )  # fmt: skip
    denied = [r.id for r in out if r.KIND in ("Accusation", "Attack")]
    for i in range(draw(st.integers(0, 2)) if denied else 0):
        out.append(
            Denial(id=f"denial-{i}", occurred=_day(draw(DAYS)), sources=SRC, denier="s1",
                   denies=draw(st.sampled_from(denied)))
        )  # fmt: skip
    return out


def _utc(us: int) -> pendulum.DateTime:
    return pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC).add(microseconds=us)


@PROFILE
@given(data=st.data(), at=US, known=US, certain=st.booleans())
def test_filtered_equals_filter_after_for_every_cut(
    data: st.DataObject, at: int, known: int, certain: bool
) -> None:
    records = data.draw(
        worlds()
        | timelines(max_size=30).filter(lambda rs: not any(r.KIND == "Correction" for r in rs))
    )
    tl = Timeline(MemoryStore(clock=lambda: FIXED))
    tl.append(*records, strict=False)
    chosen = data.draw(filters(records))
    certainty = "certain" if certain else "possible"
    cut_forms: list[dict[str, Any]] = [
        {},
        {"at": _utc(at)},
        {"known_at": _utc(known)},
        {"at": _utc(at), "known_at": _utc(known)},
        {"as_of": len(records) // 2},
    ]
    for cuts in cut_forms:
        whole = tl.state(ReportedViolations, certainty=certainty, **cuts)
        args = {k: (v if k == "between" else sorted(v, key=str)) for k, v in chosen.items()}
        if "between" in args:
            args["between"] = (_utc(args["between"][0]), _utc(args["between"][1]))
        got = tl.state(ReportedViolations, certainty=certainty, **cuts, **args)
        records_now = _visible(tl, whole.query)
        expected = tuple(a for a in whole if passes(a, records_now, chosen))
        assert got.items == expected, (cuts, chosen)


@PROFILE
@given(records=worlds(), at=US, known=US, certain=st.booleans())
def test_the_small_world_matches_the_oracle(
    records: list[Any], at: int, known: int, certain: bool
) -> None:
    """The whole answer of the small world, where clashes (an attack between sides:
    GED types 1 and 2, ACLED battles) are common and commitments bind one side or
    both, is the oracle's (tests/oracles/views.py, written from the rules of
    docs/explanation/violations.md), under each cut."""
    tl = Timeline(MemoryStore(clock=lambda: FIXED))
    tl.append(*records, strict=False)
    envelopes = list(tl.read())
    certainty = "certain" if certain else "possible"
    for cuts in ({}, {"at": _utc(at)}, {"known_at": _utc(known)}):
        got = tl.state(ReportedViolations, certainty=certainty, **cuts)
        assert got.items == reported_violations(envelopes, got.query), cuts


def test_one_question_of_the_worked_example() -> None:
    tl = Timeline()
    tl.extend(datasets.karabakh_oct_2020())
    everything = tl.state(ReportedViolations)
    assert len(everything) == 3
    candidates = tl.state(ReportedViolations, basis="candidate", place="nagorno-karabakh")
    assert candidates.ids() == (
        "candidate:stepanakert-market:civilian-protection",
        "candidate:stepanakert-residential:civilian-protection",
    )
    assert tl.state(ReportedViolations, place="armenia-territory").ids() == ()
    # Every assessment accuses Azerbaijan's forces, affiliated with the state.
    assert {a.accused for a in everything} == {("azerbaijani-forces",)}
    forces = tl.get("azerbaijani-forces").record
    assert isinstance(forces, ActorDefined)
    assert forces.affiliation == "azerbaijan"
    assert tl.state(ReportedViolations, accused="azerbaijan") == everything
    assert tl.state(ReportedViolations, accused=["armenia", "nk-authorities"]).ids() == ()
    assert tl.state(ReportedViolations, accuser="nk-authorities", basis=Basis.CANDIDATE) == (
        tl.state(ReportedViolations, basis=[])
    )


def test_bad_filters_are_refused() -> None:
    tl = Timeline()
    with pytest.raises(QueryError, match="takes no filter colour; the filters it takes: accused"):
        tl.state(ReportedViolations, colour="red")
    # A name close to a cut or a filter the view takes says which was meant; one close
    # to none says nothing more.
    with pytest.raises(QueryError) as misspelt:
        tl.state(ReportedViolations, comitment="x", knwon_at="2020")
    assert str(misspelt.value).endswith(
        "; did you mean commitment= (not comitment=), known_at= (not knwon_at=)?"
    )
    with pytest.raises(QueryError) as far:
        tl.state(ReportedViolations, colour="red")
    assert "did you mean" not in str(far.value)
    with pytest.raises(QueryError, match="ActiveCommitments takes no filter commitment"):
        tl.state("active-commitments", commitment="x")
    with pytest.raises(QueryError, match="between must be a pair"):
        tl.state(ReportedViolations, between="2020-10-01")
    with pytest.raises(QueryError, match="end '2020-10-01' is before start"):
        tl.state(ReportedViolations, between=("2020-10-29", "2020-10-01"))
    # Either end missing is refused as a bad question (not an assertion or TypeError).
    with pytest.raises(QueryError, match="between: end None: give a date"):
        tl.state(ReportedViolations, between=("2020-10-10", None))
    with pytest.raises(QueryError, match="between: start None"):
        tl.state(ReportedViolations, between=(None, "2020-10-10"))
    with pytest.raises(QueryError, match="basis: 'guessed' is not one of alleged, candidate"):
        tl.state(ReportedViolations, basis="guessed")


def test_the_cli_takes_the_same_filters(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    with Timeline.open(db) as tl:
        tl.extend(datasets.karabakh_oct_2020())
        expected = tl.state(
            ReportedViolations,
            basis="candidate",
            place="nagorno-karabakh",
            between=("2020-10-01", "2020-10-31"),
        )
    cli = Path(sys.executable).parent / "conflict-timeline"
    args = ["state", str(db), "--view", "reported-violations", "--basis", "candidate"]
    args += ["--place", "nagorno-karabakh", "--between", "2020-10-01", "2020-10-31"]
    run = subprocess.run([str(cli), *args], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].endswith(f": {len(expected)} entries")
    assert [line.split()[2] for line in lines[3:]] == [a.evidence for a in expected]
    assert len(expected) == 2
    wrong = subprocess.run(
        [str(cli), "state", str(db), "--view", "gazetteer", "--place", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert wrong.returncode == 2  # a usage error
    assert "--place: the gazetteer view takes no such filter" in wrong.stderr
