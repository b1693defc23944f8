"""TriggeredCommitments against its rule, written plainly (docs/explanation/violations.md).

For each conditional commitment active at ``at``: the attacks it *considers* are those
that possibly fall in its active time (from its start to the earlier of ``until`` and
its first end) and lie in its scope; an attack *triggers* it when it also lies de jure
within one of the condition's places and was made by one of the condition's actors
(or one affiliated with them; any actor when it names none); an attack between sides
(a GED clash, an ACLED battle) is read either way round, side B on side A too.
Places and affiliations are those replayed up to the later of the attack and the
commitment. ``considered`` counts the attacks considered that did not trigger it;
``examples`` are the first five of those in replay order; ``attacks`` the triggering
ones in replay order.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    ActorDefined,
    Attack,
    Codes,
    Commitment,
    CommitmentEnded,
    Condition,
    MemoryStore,
    PlaceDefined,
    Recorded,
    Scope,
    Source,
    SQLiteStore,
    TimeExtent,
    Timeline,
    TriggeredCommitments,
)
from conflict_timeline.strategies import timelines
from conflict_timeline.views import Query

PROFILE = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], max_examples=150
)
FIXED = _dt.datetime(2024, 1, 1, tzinfo=_dt.UTC)


def _chain(places: dict[str, PlaceDefined], place: str) -> tuple[str, ...]:
    out = [place]
    current = places.get(place)
    while current is not None and current.parent is not None and current.parent not in out:
        out.append(current.parent)
        current = places.get(current.parent)
    return tuple(out)


def _makers(actors: dict[str, ActorDefined], actor: str) -> set[str]:
    out = [actor]
    current = actors.get(actor)
    while current is not None and current.affiliation is not None:
        if current.affiliation in out:
            break
        out.append(current.affiliation)
        current = actors.get(current.affiliation)
    return set(out)


def _winner(ends: list[tuple[Recorded, CommitmentEnded]]) -> CommitmentEnded | None:
    """The end that wins: earliest occurred, explicit before implied, then reported, id."""
    if not ends:
        return None
    return min(
        ends,
        key=lambda e: (
            e[1].occurred.lo,
            0 if e[0].record is e[1] else 1,
            e[0].reported.lo,
            e[1].id,
        ),
    )[1]


def expected(replay: list[Recorded], query: Query) -> dict[str, tuple[Any, ...]]:  # noqa: PLR0915
    """cid -> (attacks, considered, example ids) by the rule, for commitments active at at.

    An attack is weighed with the end known when the later of it and the commitment
    is replayed (ends are explicit ``CommitmentEnded`` records, or implied by a
    commitment that supersedes another, at its start).
    """
    places_at: list[dict[str, PlaceDefined]] = []  # as replayed up to each index
    actors_at: list[dict[str, ActorDefined]] = []
    places: dict[str, PlaceDefined] = {}
    actors: dict[str, ActorDefined] = {}
    attacks: list[tuple[int, Recorded]] = []
    commitments: dict[str, tuple[int, Commitment]] = {}
    ends: dict[str, list[tuple[int, Recorded, CommitmentEnded]]] = {}
    for index, r in enumerate(replay):
        record = r.record
        if isinstance(record, PlaceDefined):
            places[record.id] = record
        elif isinstance(record, ActorDefined):
            actors[record.id] = record
        elif isinstance(record, Attack):
            attacks.append((index, r))
        elif isinstance(record, CommitmentEnded):
            ends.setdefault(record.commitment, []).append((index, r, record))
        if isinstance(record, Commitment):
            for earlier in record.supersedes:
                implied = CommitmentEnded(
                    id=f"{record.id}~supersedes~{earlier}", occurred=record.starts,
                    sources=record.sources, commitment=earlier, reason="superseded",
                    superseded_by=record.id,
                )  # fmt: skip
                ends.setdefault(earlier, []).append((index, r, implied))
            if record.condition is not None:
                commitments.setdefault(record.id, (index, record))
        places_at.append(dict(places))
        actors_at.append(dict(actors))
    out: dict[str, tuple[Any, ...]] = {}
    at = query.at
    for cid, (made, c) in commitments.items():
        known = ends.get(cid, [])
        end = _winner([(r, e) for _, r, e in known])
        assert c.condition is not None
        if end is not None and (at is None or end.occurred.lo <= at):
            continue  # ended
        if c.until is not None and (at is None or c.until.lo <= at):
            continue  # lapsed
        if at is not None and c.starts.lo > at:
            continue  # pending
        hits, misses = [], []
        for index, r in attacks:
            a = r.record
            assert isinstance(a, Attack)
            later = max(index, made)
            chain = _chain(places_at[later], a.place) if a.place is not None else ()
            who = _makers(actors_at[later], a.perpetrator) if a.perpetrator else set()
            # The window closes at the earliest last instant among the ends known
            # then (docs/explanation/violations.md: any end that has certainly
            # occurred ends it, whichever end is shown).
            closing = min(
                (e.occurred.last for i, er, e in known if i < max(index, made)), default=None
            )
            if a.occurred.last < c.starts.lo:
                continue
            if c.until is not None and a.occurred.lo > c.until.last:
                continue
            if closing is not None and a.occurred.lo > closing:
                continue
            inside = set(chain)
            if a.place is None:
                if c.scope.include or c.scope.exclude:
                    continue
            elif (c.scope.include and not inside & set(c.scope.include)) or (
                inside & set(c.scope.exclude)
            ):
                continue
            # The named tests: a place test when the condition names places, a target
            # test when it names actors (``against``, affiliates included); "all" needs
            # each named test, "any" one of them (or none named); then ``by``.
            # An attack between sides (GED type 1 or 2, an ACLED battle) is an attack
            # by side A on side B or by B on A: it meets the condition either way round.
            condition = c.condition
            targets = _makers(actors_at[later], a.target_actor) if a.target_actor else set()
            ways = [(who, targets)]
            codes = a.codes
            if codes is not None and (
                codes.ucdp_type_of_violence in ("1", "2")
                or (codes.acled_event_type or "").lower() == "battles"
                or (codes.acled_event_type or "").lower().startswith("battle-")
            ):
                ways.append((targets, who))
            meets = False
            for makers, aimed_at in ways:
                tests = []
                if condition.attack_within:
                    tests.append(
                        a.place is not None and bool(inside & set(condition.attack_within))
                    )
                if condition.against:
                    tests.append(bool(aimed_at & set(condition.against)))
                named = all(tests) if condition.match == "all" else (any(tests) or not tests)
                meets = meets or (named and (not condition.by or bool(makers & set(condition.by))))
            (hits if meets else misses).append(a.id)
        out[cid] = (tuple(hits), len(misses), tuple(misses[:5]))
    return out


def replayed(tl: Timeline, at: int | None) -> list[Recorded]:
    """Every record, as the engine replays them (no corrections in these timelines)."""
    rows = [r for r in tl.read() if at is None or r.record.occurred.lo <= at]
    rows.sort(key=lambda r: (r.record.occurred.lo, r.reported.lo, r.id))
    return rows


@PROFILE
@given(
    records=timelines(max_size=40).filter(
        lambda rs: not any(r.KIND in ("Correction", "Retraction") for r in rs)
    ),
    pick=st.integers(min_value=0, max_value=1_000),
)
def test_triggers_follow_the_rule(records: list[Any], pick: int) -> None:
    tl = Timeline(MemoryStore(clock=lambda: FIXED))
    tl.append(*records, strict=False)
    _check(tl, records, pick)


def _check(tl: Timeline, records: list[Any], pick: int) -> None:
    dates = sorted({r.occurred.lo for r in records} | {r.occurred.last for r in records})
    cuts: list[int | None] = [None, dates[pick % len(dates)]] if dates else [None]
    for at in cuts:
        query = Query(at=at)
        got = {
            t.id: (t.attacks, t.considered, tuple(aid for aid, _ in t.examples))
            for t in tl.state(TriggeredCommitments, at=query.at_datetime)
        }
        assert got == expected(replayed(tl, at), query)


# A small world where every part of the rule is exercised: two countries of two regions
# of two towns, actors affiliated in chains, places sometimes defined late (so the
# de jure tree an attack is judged by depends on when it is replayed), commitments
# with and without scope, exclusions, conditions by named actors, ``until`` and ends.
SRC = (Source(publisher="Monitor", published="2021-01-01"),)
PLACES = ("c1", "c1-r1", "c1-r2", "c2", "c2-r1", "c2-r2", "t1", "t2", "t3", "t4")
PARENT = {
    "c1-r1": "c1", "c1-r2": "c1", "c2-r1": "c2", "c2-r2": "c2",
    "t1": "c1-r1", "t2": "c1-r2", "t3": "c2-r1", "t4": "c2-r2",
}  # fmt: skip
ACTORS = ("s1", "s1-army", "s2", "s2-army", "militia")
AFFILIATION = {"s1-army": "s1", "s2-army": "s2", "militia": "s2-army"}
BASE = _dt.date(2021, 1, 1)
# No codes, GED clashes (state-based, non-state: between sides), GED one-sided
# violence, an ACLED battle (between sides) and an ACLED attack on civilians.
CODES = (
    None,
    Codes(ucdp_type_of_violence="1"),
    Codes(ucdp_type_of_violence="2"),
    Codes(ucdp_type_of_violence="3"),
    Codes(acled_event_type="Battles"),
    Codes(acled_event_type="Violence against civilians"),
)


@st.composite
def extents(draw: st.DrawFn) -> TimeExtent:
    day = BASE + _dt.timedelta(days=draw(st.integers(0, 120)))
    precision = draw(st.sampled_from(("day", "day", "week", "month")))
    if precision == "day":
        return TimeExtent.parse(day.isoformat())
    if precision == "month":
        return TimeExtent.parse(day.isoformat()[:7])
    return TimeExtent.from_dates(day, day + _dt.timedelta(days=6), "week")


@st.composite
def worlds(draw: st.DrawFn) -> list[Any]:
    out: list[Any] = []
    for actor in ACTORS:
        out.append(
            ActorDefined(id=actor, name=actor, actor_kind="armed_force",
                         affiliation=AFFILIATION.get(actor))
        )  # fmt: skip
    for place in PLACES:
        when = draw(st.none() | extents())  # None: timeless (replayed first)
        out.append(
            PlaceDefined(id=place, name=place, place_kind="region", parent=PARENT.get(place),
                         **({} if when is None else {"occurred": when}))
        )  # fmt: skip
    commitment_ids = []
    for i in range(draw(st.integers(1, 4))):
        include = tuple(draw(st.lists(st.sampled_from(PLACES), max_size=2, unique=True)))
        exclude = tuple(draw(st.lists(st.sampled_from(PLACES), max_size=1, unique=True)))
        within = tuple(draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=2,
                                     unique=True)))  # fmt: skip
        by = tuple(draw(st.lists(st.sampled_from(ACTORS), max_size=2, unique=True)))
        occurred = draw(extents())
        effective = draw(st.none() | extents())
        until = draw(st.none() | extents())
        if until is not None and until.lo <= (effective or occurred).lo:
            until = None
        cid = f"pledge-{i}"
        commitment_ids.append(cid)
        out.append(
            Commitment(
                id=cid, occurred=occurred, sources=SRC, commitment_kind="assistance_pledge",
                parties=("s1",), effective=effective, until=until,
                scope=Scope(include=include, exclude=exclude),
                condition=Condition(attack_within=within, by=by, description="if attacked"),
                text="help",
            )
        )  # fmt: skip
    for i, cid in enumerate(commitment_ids):
        if draw(st.booleans()):
            out.append(
                CommitmentEnded(id=f"end-{i}", occurred=draw(extents()), sources=SRC,
                                commitment=cid, reason="collapsed")
            )  # fmt: skip
    for i in range(draw(st.integers(0, 25))):
        out.append(
            Attack(
                id=f"attack-{i:02d}", occurred=draw(extents()), sources=SRC,
                perpetrator=draw(st.none() | st.sampled_from(ACTORS)),
                target_actor=draw(st.none() | st.sampled_from(ACTORS)),
                target_class="military", place=draw(st.none() | st.sampled_from(PLACES)),
                reported=draw(st.none() | extents()), codes=draw(st.sampled_from(CODES)),
            )
        )  # fmt: skip
    return out


@PROFILE
@given(records=worlds(), pick=st.integers(min_value=0, max_value=1_000))
def test_triggers_follow_the_rule_in_a_small_world(records: list[Any], pick: int) -> None:
    test_triggers_follow_the_rule.hypothesis.inner_test(records, pick)  # type: ignore[attr-defined]


@PROFILE
@given(records=worlds(), pick=st.integers(min_value=0, max_value=1_000))
def test_triggers_follow_the_rule_from_glimpses(
    tmp_path_factory: pytest.TempPathFactory, records: list[Any], pick: int
) -> None:
    """The same rule, on an SQLite file opened afresh: attacks are then folded from
    glimpses of their stored JSON (see GlimpseView), not from decoded records."""
    path = tmp_path_factory.mktemp("glimpses") / "t.db"
    with Timeline(SQLiteStore(path, clock=lambda: FIXED)) as writer:
        writer.append(*records, strict=False)
    with Timeline(SQLiteStore(path, clock=lambda: FIXED)) as tl:
        _check(tl, records, pick)
