"""A question about some commitments, asked before `ReportedViolations` has been folded,
folds only the records their evidence can depend on (views/_focus.py) and answers
exactly as the fold of every record does, filtered afterwards.

The oracle is `reference` (tests/test_projection_properties.py: DESIGN.md's fold,
written plainly over every record) filtered by the rule of the ``commitment`` filter
(an assessment passes when it concerns one of the ids); the window's own rule (which
records it holds) is pinned by hand-built cases that count what the fold takes in.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, ClassVar, Final

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    Accusation,
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
    ReportedViolations,
    Retraction,
    Scope,
    Source,
    Status,
    Timeline,
    View,
)
from conflict_timeline._geography import Geography
from conflict_timeline.stores import Recorded, SQLiteStore
from conflict_timeline.strategies import timelines
from conflict_timeline.views import _focus
from conflict_timeline.views._focus import _replacement_times, _row_of, commitment_window
from test_projection_properties import _bounds, _instant, cuts, fixed_clock, reference
from test_violation_filters import worlds

PROFILE = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    max_examples=100,
    deadline=None,
)
KINDS = (
    ActorDefined,
    PlaceDefined,
    Commitment,
    CommitmentEnded,
    Attack,
    Accusation,
    Denial,
    Confirmation,
    Observation,
    Correction,
    Retraction,
)


def _expected(tl: Timeline, wanted: frozenset[str], cut: dict[str, Any]) -> list[Any]:
    query = tl.query(**cut)
    return [a for a in reference(tl, ReportedViolations(), query) if a.commitment in wanted]


class _Geo(View[Geography, Geography]):
    """The actors and places as a plain fold under the cuts sees them."""

    kinds: ClassVar[frozenset[str] | None] = frozenset({"ActorDefined", "PlaceDefined"})

    def initial(self) -> Geography:
        return Geography()

    def apply(self, state: Geography, recorded: Recorded) -> Geography:
        return state.with_record(recorded.record)


class _Seen(View[dict[str, Any], dict[str, Any]]):
    """Every record as a plain fold under the cuts replays it, by id."""

    def initial(self) -> dict[str, Any]:
        return {}

    def apply(self, state: dict[str, Any], recorded: Recorded) -> dict[str, Any]:
        return {**state, recorded.id: recorded.record}


def _expected_within(tl: Timeline, places: frozenset[str], cut: dict[str, Any]) -> list[Any]:
    """The rule of ``place=``: the place of the assessment's evidence (the attack, any
    incident of an accusation, the observation's area), as replayed under the cuts,
    lies de jure in one of ``places``."""
    query = tl.query(**cut)
    geo = reference(tl, _Geo(), query)
    seen = reference(tl, _Seen(), query)

    def where(evidence: Any) -> list[str | None]:
        if isinstance(evidence, Accusation):
            return [getattr(seen.get(aid), "place", None) for aid in evidence.incidents]
        return [evidence.place]

    return [
        a
        for a in reference(tl, ReportedViolations(), query)
        if any(
            at is not None and geo.is_within(at, p)
            for at in where(seen[a.evidence])
            for p in places
        )
    ]


def _expected_against(tl: Timeline, actors: frozenset[str], cut: dict[str, Any]) -> list[Any]:
    """The rule of ``accused=``: one of the assessment's accused is one of ``actors``
    or affiliated with one, by the actors as defined under the cuts."""
    query = tl.query(**cut)
    geo = reference(tl, _Geo(), query)
    return [
        a
        for a in reference(tl, ReportedViolations(), query)
        if any(x is not None and geo.affiliated(x, w) for x in a.accused for w in actors)
    ]


def _evidence(tl: Timeline, cut: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """The oracle's assessments under ``cut``, and every record as replayed under it."""
    query = tl.query(**cut)
    return reference(tl, ReportedViolations(), query), reference(tl, _Seen(), query)


def _expected_alleged_by(tl: Timeline, accusers: frozenset[str], cut: dict[str, Any]) -> list[Any]:
    """The rule of ``accuser=``: the assessment's accuser (the accusation's accuser,
    the observation's monitor, as replayed under the cuts) is one of ``accusers``; a
    candidate has none, so never passes."""
    assessed, seen = _evidence(tl, cut)

    def accuser(evidence: Any) -> str | None:
        if isinstance(evidence, Accusation):
            return evidence.accuser
        if isinstance(evidence, Observation):
            return evidence.monitor
        return None

    return [a for a in assessed if accuser(seen[a.evidence]) in accusers]


def _expected_during(tl: Timeline, period: tuple[int, int], cut: dict[str, Any]) -> list[Any]:
    """The rule of ``between=(start, end)``: the assessment's evidence (the attack,
    accusation or observation, as replayed under the cuts) possibly occurred between
    ``start`` and ``end``, both included."""
    assessed, seen = _evidence(tl, cut)
    start, end = period
    return [
        a
        for a in assessed
        if seen[a.evidence].occurred.lo <= end and seen[a.evidence].occurred.last >= start
    ]


def _expected_of_basis(tl: Timeline, bases: frozenset[str], cut: dict[str, Any]) -> list[Any]:
    """The rule of ``basis=``: the assessment's basis is one of ``bases``."""
    return [
        a for a in reference(tl, ReportedViolations(), tl.query(**cut)) if a.basis.value in bases
    ]


_BASES: Final = st.sets(st.sampled_from([b.value for b in Basis]), min_size=1, max_size=3)


@st.composite
def _cuts(draw: st.DrawFn, tl: Timeline) -> dict[str, Any]:
    bounds = sorted(_bounds(tl))
    near = st.sampled_from(bounds).map(_instant) if bounds else cuts
    instants = st.none() | cuts | near
    return {
        "at": draw(instants, label="at"),
        "known_at": draw(instants, label="known_at"),
        "as_of": draw(st.none() | st.integers(0, tl.store.head()), label="as_of"),
        "certainty": draw(st.sampled_from(("possible", "certain")), label="certainty"),
    }


def _questions(tl: Timeline, records: list[Any], data: st.DataObject) -> None:
    """Ask ``tl`` (never folded whole) about drawn commitments under drawn cuts, and
    compare each answer with the oracle's."""
    ids = sorted(r.id for r in records if isinstance(r, Commitment)) or ["no-such-commitment"]
    actors = sorted(r.id for r in records if isinstance(r, ActorDefined)) or ["no-such-actor"]
    places = sorted(r.id for r in records if isinstance(r, PlaceDefined)) or ["no-such-place"]
    pools = {"commitment": ids, "accused": actors, "place": places, "accuser": actors}
    oracles = {
        "commitment": _expected,
        "accused": _expected_against,
        "place": _expected_within,
        "accuser": _expected_alleged_by,
    }
    bounds = sorted(_bounds(tl)) or [0]
    for _ in range(data.draw(st.integers(1, 3), label="questions")):
        which = data.draw(st.sampled_from([*sorted(pools), "between", "basis"]), label="filter")
        cut = data.draw(_cuts(tl), label="cut")
        if which == "basis":
            bases = data.draw(_BASES, label="bases")
            got = tl.state(ReportedViolations, basis=sorted(bases), **cut)
            assert list(got) == _expected_of_basis(tl, frozenset(bases), cut)
            continue
        if which == "between":
            start, end = sorted(
                data.draw(st.lists(st.sampled_from(bounds), min_size=2, max_size=2), label="at")
            )
            got = tl.state(ReportedViolations, between=(_instant(start), _instant(end)), **cut)
            assert list(got) == _expected_during(tl, (start, end), cut)
            continue
        wanted = data.draw(
            st.sets(st.sampled_from(pools[which]), min_size=1, max_size=2), label="ids"
        )
        named: str | list[str] = sorted(wanted) if len(wanted) > 1 else next(iter(wanted))
        got = tl.state(ReportedViolations, **{which: named}, **cut)
        assert list(got) == oracles[which](tl, frozenset(wanted), cut)


def _load(records: list[Any], store: Any = None) -> Timeline:
    tl = Timeline(store or MemoryStore(clock=fixed_clock))
    tl.append(*records, strict=False)
    return tl


@PROFILE
@given(records=timelines(max_size=30, kinds=KINDS), data=st.data())
def test_a_first_question_about_commitments_answers_as_the_whole_fold(
    records: list[Any], data: st.DataObject
) -> None:
    split = data.draw(st.integers(0, len(records)), label="split")
    tl = _load(records[:split])
    _questions(tl, records[:split], data)
    # Records appended since: the window is taken afresh.
    tl.append(*records[split:], strict=False)
    _questions(tl, records, data)


@PROFILE
@given(records=worlds(), data=st.data())
def test_questions_about_a_ceasefire_of_the_small_world_answer_as_the_whole_fold(
    records: list[Any], data: st.DataObject
) -> None:
    _questions(_load(records), records, data)


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(records=timelines(max_size=25, kinds=KINDS), data=st.data())
def test_a_window_on_sqlite_answers_as_the_whole_fold(
    tmp_path_factory: pytest.TempPathFactory, records: list[Any], data: st.DataObject
) -> None:
    path = tmp_path_factory.mktemp("focus") / "t.db"
    with Timeline(SQLiteStore(path, clock=fixed_clock)) as tl:
        tl.append(*records, strict=False)
        _questions(tl, records, data)


_MOVED = _dt.date(2021, 1, 1)


@st.composite
def _moved_worlds(draw: st.DrawFn) -> list[Any]:
    """A small world whose attacks, accusations and observations may be corrected to
    another day (or retracted), known some days later: a period's window must
    follow every version."""
    records = draw(worlds())
    # A ceasefire between both sides everywhere from the first day: most evidence
    # is evidence about it.
    day0 = _MOVED.isoformat()
    records.append(
        Commitment(id="ceasefire-wide", occurred=day0, reported=day0, effective=day0,
                   sources=SRC, commitment_kind="ceasefire", parties=("s1", "s2"),
                   prohibits=("any_attack",), text="stop everywhere")
    )  # fmt: skip
    evidence = [r for r in records if isinstance(r, Attack | Accusation | Observation)]
    for i in range(draw(st.integers(0, 4)) if evidence else 0):
        target = draw(st.sampled_from(evidence), label="corrected")
        day = draw(st.integers(0, 90), label="to day")
        lag = draw(st.integers(0, 30), label="known after")
        when = (_MOVED + _dt.timedelta(days=day)).isoformat()
        known = (_MOVED + _dt.timedelta(days=day + lag)).isoformat()
        if draw(st.booleans(), label="retracted"):
            records.append(
                Retraction(id=f"withdrawn-{i}", retracts=target.id, occurred=known,
                           reported=known, sources=target.sources, reason="withdrawn")
            )  # fmt: skip
            continue
        moved = attrs.evolve(target, occurred=when, reported=known)
        records.append(
            Correction(id=f"moved-{i}", corrects=target.id, replacement=moved, occurred=known,
                       reported=known, sources=target.sources, reason="another day")
        )  # fmt: skip
    return records


def _evidence_bounds(records: list[Any]) -> list[int]:
    """The valid-time bounds of every version of the evidence, and one instant past
    each: the edges a period can fall on."""
    out: set[int] = set()
    for record in records:
        version = record.replacement if isinstance(record, Correction) else record
        if isinstance(version, Attack | Accusation | Observation):
            extent = version.occurred
            out.update((extent.lo, extent.last, extent.last + 1, extent.lo - 1))
    return sorted(out) or [0]


@PROFILE
@given(records=_moved_worlds(), data=st.data())
def test_questions_about_a_period_or_an_accuser_answer_as_the_whole_fold(
    records: list[Any], data: st.DataObject
) -> None:
    """``between=`` and ``accuser=`` asked first (each folds its window) answer as the
    oracle's fold of every record, filtered by the filter's rule, under every cut;
    the periods start and end on the edges of the evidence, before and after each
    correction moves it."""
    tl = _load(records)
    bounds = _evidence_bounds(records)
    # Cuts inside the world's days, where its commitments are in force.
    inside = st.none() | st.sampled_from(sorted(_bounds(tl))).map(_instant)
    for _ in range(data.draw(st.integers(1, 3), label="questions")):
        cut = {
            "at": data.draw(inside, label="at"),
            "known_at": data.draw(inside, label="known_at"),
            "as_of": data.draw(st.none() | st.integers(0, tl.store.head()), label="as_of"),
            "certainty": data.draw(st.sampled_from(("possible", "certain")), label="certainty"),
        }
        question = data.draw(st.sampled_from(("period", "accuser", "basis")), label="filter")
        if question == "basis":
            bases = data.draw(_BASES, label="bases")
            got = tl.state(ReportedViolations, basis=sorted(bases), **cut)
            assert list(got) == _expected_of_basis(tl, frozenset(bases), cut)
        elif question == "period":
            start, end = sorted(
                data.draw(st.lists(st.sampled_from(bounds), min_size=2, max_size=2), label="at")
            )
            got = tl.state(ReportedViolations, between=(_instant(start), _instant(end)), **cut)
            assert list(got) == _expected_during(tl, (start, end), cut)
        else:
            who = data.draw(st.sampled_from(("s1", "s2", "monitor", "s1-army")), label="accuser")
            got = tl.state(ReportedViolations, accuser=who, **cut)
            assert list(got) == _expected_alleged_by(tl, frozenset({who}), cut)


# -- which records the window holds --------------------------------------------------

SRC = (Source(publisher="Monitor", published="2021-01-02"),)
T0 = _dt.datetime(2021, 1, 1, tzinfo=_dt.UTC)


def _day(n: int) -> str:
    return (T0 + _dt.timedelta(days=n)).isoformat()


def _fix(cid: str, replacement: Any, *, day: int, reason: str) -> Correction:
    """A correction, known on ``day``, that replaces the record ``replacement`` names."""
    return Correction(
        id=cid,
        corrects=replacement.id,
        occurred=_day(day),
        reported=_day(day),
        sources=SRC,
        reason=reason,
        replacement=replacement,
    )


class _Counting(ReportedViolations):
    """ReportedViolations noting the id of every record the engine folds."""

    folded: ClassVar[list[str]] = []

    def apply(self, state: Any, recorded: Recorded) -> Any:
        self.folded.append(recorded.id)
        return super().apply(state, recorded)


def _attack(aid: str, perpetrator: str | None, day: int = 5, place: str = "district") -> Attack:
    return Attack(
        id=aid,
        occurred=_day(day),
        sources=SRC,
        perpetrator=perpetrator,
        target_class="civilian",
        place=place,
    )


def _world() -> list[Any]:
    actor = "armed_force"
    return [
        ActorDefined(id="north", name="North", actor_kind="state"),
        ActorDefined(id="south", name="South", actor_kind="state"),
        ActorDefined(id="north-army", name="North army", actor_kind=actor, affiliation="north"),
        ActorDefined(id="band", name="A band", actor_kind=actor),
        ActorDefined(id="stray", name="Stray unit", actor_kind=actor),
        PlaceDefined(id="old-province", name="Old province", place_kind="region"),
        PlaceDefined(id="province", name="Province", place_kind="region"),
        PlaceDefined(id="district", name="District", place_kind="region", parent="old-province"),
        PlaceDefined(id="elsewhere", name="Elsewhere", place_kind="region"),
        _fix(
            "district-moved",
            PlaceDefined(id="district", name="District", place_kind="region", parent="province"),
            day=2,
            reason="redrawn",
        ),
        Commitment(
            id="truce",
            occurred=_day(1),
            sources=SRC,
            commitment_kind="ceasefire",
            parties=("north",),
            prohibits=("any_attack",),
            scope=Scope(include=("district",)),
            text="stop",
        ),
        Commitment(
            id="other-truce",
            occurred=_day(1),
            sources=SRC,
            commitment_kind="ceasefire",
            parties=("south",),
            prohibits=("any_attack",),
            text="stop",
        ),
        _attack("by-army", "north-army"),  # a party's affiliate
        _attack("by-south", "south"),  # another commitment's party only
        _attack("by-band", "band"),  # the band joins North in a correction below
        _attack("by-stray", "stray"),  # corrected below to North's attack
        _attack("named", "south", day=6),  # an incident of an accusation about North
        _attack("unrelated", "south", day=7),
        _attack("far", "south", day=7, place="elsewhere"),
        # The truce collapses on day 15: a later attack by a party is no candidate.
        CommitmentEnded(
            id="truce-ended",
            occurred=_day(15),
            sources=SRC,
            commitment="truce",
            reason="collapsed",
        ),
        _attack("after-the-end", "north-army", day=16),
        Accusation(
            id="accusation",
            occurred=_day(8),
            sources=SRC,
            accuser="south",
            accused=("north",),
            incidents=("named",),
        ),
        _fix(
            "band-joins",
            ActorDefined(id="band", name="A band", actor_kind=actor, affiliation="north-army"),
            day=9,
            reason="affiliation found",
        ),
        _fix("stray-was-north", _attack("by-stray", "north"), day=9, reason="attribution"),
        Denial(id="denial", occurred=_day(10), sources=SRC, denier="north", denies="by-army"),
        Confirmation(
            id="confirmation",
            occurred=_day(11),
            sources=SRC,
            confirmer="south",
            confirms="by-south",
        ),
        Confirmation(
            id="named-confirmed",
            occurred=_day(11),
            sources=SRC,
            confirmer="north",
            confirms="named",
        ),
    ]


def test_the_window_holds_the_evidence_a_commitment_can_depend_on_and_no_more() -> None:
    tl = _load(_world())
    _Counting.folded.clear()
    answer = tl.state(_Counting, commitment="truce")
    assert list(answer) == _expected(tl, frozenset({"truce"}), {})
    assert "after-the-end" not in {a.evidence for a in answer}
    expected = {
        # read whole: actors, commitments and their ends
        "north",
        "south",
        "north-army",
        "band",
        "stray",
        "truce",
        "other-truce",
        "truce-ended",
        # the places named, and their parents in every version
        "district",
        "province",
        "old-province",
        # the denials and confirmations of the window's attacks and accusations
        "denial",
        "named-confirmed",
        # named: attacks by a party or an actor affiliated with one in any version
        # (the band joins North in a correction; an attack corrected to North's)
        "by-army",
        "by-band",
        "by-stray",
        "after-the-end",
        # an accusation accusing a party, and its incidents whoever made them
        "accusation",
        "named",
    }
    assert set(_Counting.folded) == expected
    for outside in ("by-south", "unrelated", "confirmation", "elsewhere"):
        assert outside not in _Counting.folded


def test_every_version_of_the_commitment_names_its_parties() -> None:
    truce = next(r for r in _world() if r.id == "truce")
    widened = _fix(
        "truce-widened",
        attrs.evolve(truce, parties=("north", "south")),
        day=12,
        reason="South signed too",
    )
    tl = _load([*_world(), widened])
    _Counting.folded.clear()
    answer = tl.state(_Counting, commitment="truce")
    assert {"by-south", "unrelated"} <= set(_Counting.folded)
    assert list(answer) == _expected(tl, frozenset({"truce"}), {})


def test_a_question_once_the_view_is_folded_reads_the_whole_fold() -> None:
    tl = _load(_world())
    tl.state(_Counting)  # the whole fold
    _Counting.folded.clear()
    tl.state(_Counting, commitment="truce", at=_day(6))
    # The whole fold's engine answers (from its checkpoints, or folding from the
    # start): it takes in attacks no window about the truce holds.
    assert "by-south" in _Counting.folded


def test_a_window_is_kept_for_the_next_question_and_taken_afresh_after_an_append() -> None:
    tl = _load(_world())
    _Counting.folded.clear()
    first = tl.state(_Counting, commitment="truce")
    folded = len(_Counting.folded)
    assert folded > 0
    tl.state(_Counting, commitment="truce", at=_day(30))
    assert len(_Counting.folded) == folded  # the window's own fold answers it
    tl.append(_attack("later", "north-army", day=14), strict=False)
    _Counting.folded.clear()
    after = tl.state(_Counting, commitment="truce")
    assert "later" in _Counting.folded
    assert {a.evidence for a in after} == {a.evidence for a in first} | {"later"}


def test_a_window_taken_again_after_an_append_folds_only_what_joined_it_since() -> None:
    """After an append, a window is taken again; when it holds what it held before
    and records appended since, the fold of the old window reads on (it folds the
    newcomers alone); when an older record joined it (an actor newly affiliated with
    a party makes that actor's earlier attacks evidence), it is folded afresh. Either
    way the answer is the whole fold's, filtered."""
    tl = _load(_world())
    tl.state(_Counting, commitment="truce")
    # After every record in valid time: the fold so far stands, the newcomer is added.
    tl.append(_attack("later", "north-army", day=30), strict=False)
    _Counting.folded.clear()
    after = tl.state(_Counting, commitment="truce")
    assert _Counting.folded == ["later"]
    assert list(after) == _expected(tl, frozenset({"truce"}), {})
    # South is found to answer to North: its attacks, stored long before, join.
    joins = ActorDefined(id="south", name="South", actor_kind="state", affiliation="north")
    tl.append(_fix("south-joins", joins, day=15, reason="affiliation found"), strict=False)
    _Counting.folded.clear()
    again = tl.state(_Counting, commitment="truce")
    assert {"by-south", "unrelated", "truce", "later"} <= set(_Counting.folded)
    assert list(again) == _expected(tl, frozenset({"truce"}), {})


def test_a_window_on_sqlite_reads_the_same_records(tmp_path: Path) -> None:
    with Timeline(SQLiteStore(tmp_path / "t.db", clock=fixed_clock)) as tl:
        tl.append(*_world(), strict=False)
        _Counting.folded.clear()
        answer = tl.state(_Counting, commitment="truce")
    memory = _load(_world())
    assert list(answer) == _expected(memory, frozenset({"truce"}), {})
    assert {"by-army", "by-band", "by-stray", "named"} <= set(_Counting.folded)
    assert "unrelated" not in _Counting.folded
    assert "by-south" not in _Counting.folded


def test_a_saved_state_not_read_yet_gives_way_to_the_window(tmp_path: Path) -> None:
    """A saved state is read only when a question needs it: a first question about
    one commitment folds the window instead, and answers as the saved state would."""
    path = tmp_path / "t.db"
    with Timeline(SQLiteStore(path, clock=fixed_clock)) as tl:
        tl.append(*_world(), strict=False)
        whole = tl.state(_Counting, commitment="truce", at=_day(9))
        tl.state(_Counting)
        assert tl.save_checkpoints(_Counting)
    with Timeline.open(path, create=False) as tl:
        _Counting.folded.clear()
        assert list(tl.state(_Counting, commitment="truce", at=_day(9))) == list(whole)
        assert _Counting.folded
        assert "unrelated" not in _Counting.folded
        assert "by-south" not in _Counting.folded


def test_a_window_for_accused_actors_holds_what_they_and_their_affiliates_did() -> None:
    """``accused=``: the evidence held against an actor or one affiliated with it (in
    any version of the actors' definitions), with what that evidence depends on."""
    tl = _load(_world())
    _Counting.folded.clear()
    answer = tl.state(_Counting, accused="north-army")
    folded = set(_Counting.folded)
    # The army's attacks, and the band's, which joins the army in a correction.
    assert {"by-army", "by-band", "after-the-end"} <= folded
    # North's own attack (a correction's) and the accusation of North are not held
    # against its army; nor are South's attacks.
    for outside in ("by-stray", "accusation", "named", "by-south", "unrelated"):
        assert outside not in folded
    assert {a.evidence for a in answer} == {"by-army", "by-band"}


def test_a_window_for_a_place_holds_what_happened_inside_it() -> None:
    """``place=``: the attacks and observations placed in the place or a place inside
    it (in any version of the places' definitions), the accusations naming such an
    attack, with what that evidence depends on."""
    tl = _load(_world())
    _Counting.folded.clear()
    answer = tl.state(_Counting, place="province")
    folded = set(_Counting.folded)
    # The district lies in the province since a correction: its attacks are read,
    # and the accusation naming one of them.
    assert {"by-army", "by-south", "named", "accusation", "district"} <= folded
    assert "far" not in folded
    assert list(answer) == _expected_within(tl, frozenset({"province"}), {})
    assert answer.ids()


def test_a_window_for_a_period_holds_what_possibly_happened_then() -> None:
    """``between=``: the attacks, accusations and observations of which some version
    possibly occurred in the period (a correction may move one in or out), with what
    that evidence depends on."""
    misdated = _fix(
        "misdated", _attack("after-the-end", "north-army", day=6), day=17, reason="misdated"
    )
    tl = _load([*_world(), misdated])
    _Counting.folded.clear()
    period = (_day(6), _day(7))
    answer = tl.state(_Counting, between=period)
    folded = set(_Counting.folded)
    # Day 6 to day 7, both included; the attack dated day 16 was corrected to day 6.
    assert {"named", "unrelated", "far", "after-the-end"} <= folded
    # What named's evidence depends on: its confirmation, the commitments, the actors.
    assert {"named-confirmed", "truce", "truce-ended", "north-army"} <= folded
    # The attacks of day 5 (and their denial), the accusation of day 8.
    for outside in ("by-army", "by-band", "by-stray", "by-south", "accusation", "denial"):
        assert outside not in folded
    epoch = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
    start, end = (
        (_dt.datetime.fromisoformat(t) - epoch) // _dt.timedelta(microseconds=1) for t in period
    )
    assert list(answer) == _expected_during(tl, (start, end), {})
    assert {a.evidence for a in answer} >= {"after-the-end"}


def test_a_window_for_an_accuser_holds_its_accusations_and_observations() -> None:
    """``accuser=``: the accusations the actor makes and the observations it reports as
    monitor (in any version), with their incidents and what they depend on; no attack
    is evidence of its own."""
    tl = _load(_world())
    _Counting.folded.clear()
    answer = tl.state(_Counting, accuser="south")
    folded = set(_Counting.folded)
    assert {"accusation", "named", "named-confirmed"} <= folded
    for outside in ("by-army", "by-band", "by-stray", "by-south", "unrelated", "far"):
        assert outside not in folded
    assert list(answer) == _expected_alleged_by(tl, frozenset({"south"}), {})
    assert {a.evidence for a in answer} == {"accusation"}


def test_a_window_for_one_basis_holds_its_evidence_kind_and_every_answer() -> None:
    """``basis=`` without candidates: every accusation (``alleged``) or observation
    (``observed``), in any version, with their incidents and what they depend on,
    and every denial and confirmation; no attack is evidence of its own. With
    candidates among the bases there is no window: every record is folded."""
    denied = Denial(
        id="accusation-denied", occurred=_day(12), sources=SRC, denier="north", denies="accusation"
    )
    tl = _load([*_world(), denied])
    _Counting.folded.clear()
    answer = tl.state(_Counting, basis="alleged")
    folded = set(_Counting.folded)
    assert {"accusation", "accusation-denied", "named", "named-confirmed", "truce"} <= folded
    for outside in ("by-army", "by-band", "by-stray", "by-south", "unrelated", "far"):
        assert outside not in folded
    assert list(answer) == _expected_of_basis(tl, frozenset({"alleged"}), {})
    assert {(a.evidence, a.status) for a in answer} == {("accusation", Status.DISPUTED)}
    # Before the denial was stored (the last record), the allegation stood
    # corroborated (its incident confirmed by the accused).
    before = {"as_of": tl.store.head() - 1}
    earlier = tl.state(_Counting, basis="alleged", **before)
    assert list(earlier) == _expected_of_basis(tl, frozenset({"alleged"}), before)
    assert {a.status for a in earlier} == {Status.CORROBORATED}
    _Counting.folded.clear()
    everything = tl.state(_Counting, basis=["alleged", "candidate"])
    assert "unrelated" in _Counting.folded
    assert list(everything) == _expected_of_basis(tl, frozenset({"alleged", "candidate"}), {})


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(records=_moved_worlds(), data=st.data())
def test_a_period_on_sqlite_reads_each_correction_as_its_decoded_replacement(
    tmp_path_factory: pytest.TempPathFactory, records: list[Any], data: st.DataObject
) -> None:
    """On a store that hands out payloads, a period's window reads each correction's
    replacement time from the stored JSON: the same instants as the decoded record,
    and the same answers as the oracle."""
    path = tmp_path_factory.mktemp("period") / "t.db"
    with Timeline(SQLiteStore(path, clock=fixed_clock)) as tl:
        tl.append(*records, strict=False)
        stored = [r for r in tl.read() if isinstance(r.record, Correction)]
        glimpsed = dict(_replacement_times(tl.store, [_row_of(r) for r in stored]))
        assert glimpsed == {
            r.record.corrects: (
                r.record.replacement.occurred.lo,
                r.record.replacement.occurred.last,
            )
            for r in stored
        }
        bounds = _evidence_bounds(records)
        start, end = sorted(
            data.draw(st.lists(st.sampled_from(bounds), min_size=2, max_size=2), label="period")
        )
        got = tl.state(ReportedViolations, between=(_instant(start), _instant(end)))
        assert list(got) == _expected_during(tl, (start, end), {})


@PROFILE
@given(records=_moved_worlds(), data=st.data())
def test_a_window_finds_many_records_in_one_read_as_it_finds_a_few_one_by_one(
    records: list[Any], data: st.DataObject
) -> None:
    """A window adds the incidents and records it names one lookup each, or, past
    `_focus._MANY` of them, by one read of the index rows of their kinds: both ways
    hold the same records, decoded alike."""
    tl = _load(records)
    key = data.draw(
        st.sampled_from(
            [
                {"accusers": ("s1", "monitor")},
                {"evidence": ("Accusation",)},
                {"evidence": ("Accusation", "Observation")},
                {"actors": ("s1",)},
            ]
        ),
        label="window",
    )
    kinds = ReportedViolations.kinds or ()
    one_by_one = commitment_window(tl.store, kinds, **key)
    many = _focus._MANY
    try:
        _focus._MANY = 0  # every addition takes the bulk read
        in_one_read = commitment_window(tl.store, kinds, **key)
    finally:
        _focus._MANY = many
    assert in_one_read.rows == one_by_one.rows
    positions = [row.position for row in one_by_one.rows]
    assert in_one_read.fetch(positions) == one_by_one.fetch(positions)
