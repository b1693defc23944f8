"""Property tests of the replay engine and the built-in views.

The reference here is a deliberately naive fold written from DESIGN.md's rules: take
every record visible under the cuts, apply the latest known correction or retraction,
keep what happened by ``at``, sort in replay order, fold from the initial state. The
engine (checkpoints, incremental updates, live views) must agree with it.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    ActiveCommitments,
    Agreements,
    Attack,
    Basis,
    CasualtyEstimates,
    Commitment,
    CommitmentEnded,
    CommitmentHistory,
    Correction,
    Gazetteer,
    Glimpse,
    MemoryStore,
    OpenRequests,
    Projection,
    Query,
    Recorded,
    ReportedViolations,
    RequestLog,
    Retraction,
    Source,
    SQLiteStore,
    TimeExtent,
    Timeline,
    TriggeredCommitments,
    View,
)
from conflict_timeline.strategies import timelines
from conflict_timeline.views import get_view, view_names
from conflict_timeline.views._engine import Engine

VIEWS: tuple[type[Any], ...] = (
    ActiveCommitments,
    Agreements,
    CommitmentHistory,
    TriggeredCommitments,
    ReportedViolations,
    OpenRequests,
    RequestLog,
    CasualtyEstimates,
    Gazetteer,
)
FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")
# The strategies draw dates in this range; cuts are drawn across it.
cuts = st.integers(
    min_value=int(pendulum.datetime(1990, 1, 1, tz="UTC").timestamp() * 1_000_000),
    max_value=int(pendulum.datetime(2030, 1, 1, tz="UTC").timestamp() * 1_000_000),
).map(lambda us: pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC).add(microseconds=us))
PROFILE = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def fixed_clock() -> _dt.datetime:
    return FIXED


def load(records: Sequence[Any], store: Any = None) -> Timeline:
    tl = Timeline(store or MemoryStore(clock=fixed_clock))
    tl.append(*records, strict=False)
    return tl


def reference(tl: Timeline, view: Projection[Any, Any], query: Query) -> Any:
    """DESIGN.md's fold, written plainly: no index rows, no checkpoints."""
    envelopes = list(tl.read())

    def visible(r: Recorded) -> bool:
        if query.as_of is not None and r.position > query.as_of:
            return False
        if query.known_at is None:
            return True
        rep = r.reported
        return (rep.last if query.certain else rep.lo) <= query.known_at

    seen = [r for r in envelopes if visible(r)]
    fixes: dict[str, Recorded] = {}
    for r in seen:
        if isinstance(r.record, Correction | Retraction):
            target = r.record.corrects if isinstance(r.record, Correction) else r.record.retracts
            best = fixes.get(target)
            key = (r.reported.lo, r.reported.last, r.id)
            if best is None or key > (best.reported.lo, best.reported.last, best.id):
                fixes[target] = r
    replay = []
    for r in seen:
        if isinstance(r.record, Correction | Retraction):
            continue
        if view.kinds is not None and r.kind not in view.kinds:
            continue
        fix = fixes.get(r.id)
        if fix is not None:
            if isinstance(fix.record, Retraction):
                continue
            assert isinstance(fix.record, Correction)
            r = Recorded(  # noqa: PLW2901 - replay the replacement in its place
                r.position, r.recorded_at, r.hash, fix.record.replacement, fix.position
            )
            if view.kinds is not None and r.kind not in view.kinds:
                continue
        if query.at is not None:
            bound = r.record.occurred.last if query.certain else r.record.occurred.lo
            if bound > query.at:
                continue
        replay.append(r)
    replay.sort(key=lambda r: (r.record.occurred.lo, r.reported.lo, r.id))
    state = view.initial()
    for r in replay:
        state = view.apply(state, r)
    return view.result(state, query)


def test_the_properties_cover_every_built_in_view() -> None:
    """Every view the library registers by name is drawn by the properties below
    (views other tests register, defined outside the library, aside)."""
    named = {get_view(name) for name in view_names()}
    built_in = {view for view in named if view.__module__.startswith("conflict_timeline.")}
    assert built_in == set(VIEWS)


@PROFILE
@given(records=timelines(max_size=25), when=cuts, view=st.sampled_from(VIEWS))
def test_engine_matches_the_reference_fold(records: list[Any], when: Any, view: Any) -> None:
    tl = load(records)
    # Warm the checkpoints with other dates first, so the answer comes from a resumed fold.
    for year in (1995, 2005, 2015, 2025):
        tl.state(view, at=f"{year}-06-01")
    for certainty in ("possible", "certain"):
        got = tl.state(view, at=when, certainty=certainty)
        assert got == reference(tl, view(), tl.query(at=when, certainty=certainty))
    assert tl.state(view) == reference(tl, view(), Query())


@PROFILE
@given(records=timelines(max_size=25), when=cuts, known=cuts, view=st.sampled_from(VIEWS))
def test_knowledge_cuts_match_the_reference_fold(
    records: list[Any], when: Any, known: Any, view: Any
) -> None:
    tl = load(records)
    as_of = len(records) // 2
    for query in (
        tl.query(at=when, known_at=known),
        tl.query(at=when, as_of=as_of),
        tl.query(at=when, known_at=known, certainty="certain"),
    ):
        got = tl.state(
            view,
            at=when,
            known_at=None if query.known_at is None else known,
            as_of=query.as_of,
            certainty=query.certainty,
        )
        assert got == reference(tl, view(), query)


class ReplayOrder(View[tuple[tuple[str, int, int | None], ...], Any]):
    """The records a fold replays, in its order, with the valid time and the correction
    each was replayed with: equal answers mean the same records in the same order."""

    def initial(self) -> tuple[tuple[str, int, int | None], ...]:
        return ()

    def apply(
        self, state: tuple[tuple[str, int, int | None], ...], recorded: Recorded
    ) -> tuple[tuple[str, int, int | None], ...]:
        return (*state, (recorded.id, recorded.record.occurred.lo, recorded.corrected_by))


@PROFILE
@given(
    records=timelines(max_size=30),
    data=st.data(),
    whens=st.lists(cuts, min_size=1, max_size=4),
    view=st.sampled_from((*VIEWS, ReplayOrder)),
)
def test_knowledge_cuts_from_checkpoints_match_the_reference_fold(
    records: list[Any], data: st.DataObject, whens: list[Any], view: Any
) -> None:
    """Every cut that is not a prefix of the full list (``known_at``, ``as_of``,
    ``certainty="certain"`` with ``at``, and their combinations) resumes from the
    checkpoints of the full list where the two agree (docs/explanation/semantics.md):
    its answers are those of the plain fold, on a warm timeline that keeps a
    checkpoint at every record, and again after more records (some in the past, some
    correcting or retracting earlier ones) are appended."""
    split = data.draw(st.integers(0, len(records)), label="split")
    tl = Timeline(MemoryStore(clock=fixed_clock), checkpoint_every=1)
    tl.append(*records[:split], strict=False)
    with eras_whenever(data.draw(st.booleans(), label="eras whenever they apply")):
        _cuts_from_checkpoints(tl, records[split:], data, whens, view)


def _cuts_from_checkpoints(
    tl: Timeline, more: list[Any], data: st.DataObject, whens: list[Any], view: Any
) -> None:
    for _ in range(2):
        for year in (1995, 2005, 2015, 2025):  # warm: checkpoints all along the list
            tl.state(view, at=f"{year}-06-01")
        head = tl.store.head()
        # Cuts at the records' own bounds, too: where an extent straddles a cut, the
        # possible and the certain answers part.
        bounds = sorted(_bounds(tl))
        near = st.sampled_from(bounds).map(_instant) if bounds else cuts
        for known in [*whens, data.draw(near, label="known near")]:
            at = data.draw(st.one_of(cuts, near), label="at")
            as_of = data.draw(st.integers(0, head), label="as_of")
            for cut in (
                {"known_at": known},
                {"known_at": known, "at": at},
                {"known_at": known, "certainty": "certain"},
                {"known_at": known, "at": at, "certainty": "certain"},
                {"at": at, "certainty": "certain"},
                {"as_of": as_of},
                {"as_of": as_of, "at": at},
                {"as_of": as_of, "at": at, "certainty": "certain"},
                {"as_of": as_of, "known_at": known, "at": at},
                {"as_of": head, "at": at},
            ):
                assert tl.state(view, **cut) == reference(tl, view(), tl.query(**cut)), cut
        tl.append(*more, strict=False)


@contextlib.contextmanager
def eras_whenever(always: bool) -> Iterator[None]:
    """With ``always``, a cut folds its era's list (`Engine._era`) whenever its tail
    on the full list is not empty and a correction or retraction settles after it,
    not only for long tails and batches of corrections."""
    if not always:
        yield
        return
    with (
        mock.patch.object(Engine, "era_tail", 0),
        mock.patch.object(Engine, "era_share", 10**9),
        mock.patch.object(Engine, "era_batch", 1),
    ):
        yield


def _bounds(tl: Timeline) -> set[int]:
    """Each record's valid and knowledge bounds (epoch microseconds), and the instant
    just inside each upper bound."""
    out: set[int] = set()
    for r in tl.read():
        for extent in (r.record.occurred, r.reported):
            out.update((extent.lo, extent.last, max(extent.lo, extent.last - 1)))
    return out


def _instant(us: int) -> pendulum.DateTime:
    return pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC).add(microseconds=us)


@PROFILE
@given(records=timelines(max_size=20), data=st.data(), view=st.sampled_from(VIEWS))
def test_state_does_not_depend_on_append_order(
    records: list[Any], data: st.DataObject, view: Any
) -> None:
    shuffled = data.draw(st.permutations(records))
    when = data.draw(cuts)
    a, b = load(records), load(shuffled)
    assert a.state(view, at=when) == b.state(view, at=when)
    assert a.state(view) == b.state(view)


@PROFILE
@given(records=timelines(min_size=1, max_size=25), data=st.data(), view=st.sampled_from(VIEWS))
def test_live_view_equals_rebuild(records: list[Any], data: st.DataObject, view: Any) -> None:
    tl = Timeline(MemoryStore(clock=fixed_clock))
    live = tl.live(view)
    # Append in drawn batches, so some land before records already folded.
    order = data.draw(st.permutations(records))
    sizes = data.draw(st.lists(st.integers(1, 5), min_size=len(order), max_size=len(order)))
    start = 0
    for size in sizes:
        if start >= len(order):
            break
        tl.append(*order[start : start + size], strict=False)
        start += size
        assert live.value == reference(tl, view(), Query())
    assert live.value == load(records).state(view)


@PROFILE
@given(records=timelines(max_size=25), data=st.data())
def test_series_equals_state_at_each_step(records: list[Any], data: st.DataObject) -> None:
    """Each step of a series, under any cut, is the plain fold at the step's end (on
    a warm timeline: the first step resumes from a checkpoint)."""
    tl = Timeline(MemoryStore(clock=fixed_clock), checkpoint_every=1)
    tl.append(*records, strict=False)
    view = data.draw(st.sampled_from(VIEWS))
    tl.state(view)  # warm: checkpoints all along the list
    # Steps and cuts near the records' own times, where the answers differ.
    bounds = sorted(_bounds(tl))
    near = st.sampled_from(bounds).map(_instant) if bounds else cuts
    years = st.sampled_from(bounds).map(lambda us: _instant(us).year) if bounds else st.just(2020)
    start = data.draw(
        st.one_of(st.integers(1995, 2024), years.map(lambda y: min(max(y - 2, 1900), 2100)))
    )
    cut = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "known_at": st.one_of(cuts, near),
                "as_of": st.integers(0, tl.store.head()),
                "certainty": st.sampled_from(("possible", "certain")),
            },
        ),
        label="cut",
    )
    with eras_whenever(data.draw(st.booleans(), label="eras whenever they apply")):
        series = tl.series(view, f"{start}", f"{start + 5}", every="year", **cut)
    assert [str(p.period) for p in series] == [f"{y} (year, UTC)" for y in range(start, start + 6)]
    for point in series:
        query = tl.query(at=point.period, **cut)
        assert point.value == reference(tl, view(), query)


@PROFILE
@given(
    records=timelines(max_size=25, kinds=[Commitment, CommitmentEnded]),
    when=cuts,
    certainty=st.sampled_from(("possible", "certain")),
)
def test_commitment_active_iff_effective_and_not_ended(
    records: list[Any], when: Any, certainty: str
) -> None:
    """Active at T when made, effective and not lapsed by T, and no end of it (explicit
    or by a successor) has occurred by T: one end is enough, whatever the others say."""
    tl = load(records)
    cut = tl.query(at=when).at
    assert cut is not None

    def happened(extent: Any) -> bool:
        return (extent.last if certainty == "certain" else extent.lo) <= cut

    active = set(tl.state(ActiveCommitments, at=when, certainty=certainty).ids())
    for record in records:
        if not isinstance(record, Commitment):
            continue
        ends = [r for r in records if isinstance(r, CommitmentEnded) and r.commitment == record.id]
        # A commitment that supersedes it ends it once that one is made and in effect.
        successors = [
            r for r in records if isinstance(r, Commitment) and record.id in r.supersedes
        ]
        ended = any(happened(e.occurred) for e in ends) or any(
            happened(s.occurred) and happened(s.starts) for s in successors
        )
        lapsed = record.until is not None and happened(record.until)
        # A commitment is replayed once it has been made (occurred), so one announced
        # with a backdated effective date counts from its announcement (docs/semantics).
        made = happened(record.occurred) and happened(record.starts)
        expected = made and not ended and not lapsed
        assert (record.id in active) == expected, record.id


@PROFILE
@given(
    records=timelines(max_size=25).filter(
        lambda rs: not any(isinstance(r, Correction | Retraction | CommitmentEnded) for r in rs)
    ),
    when=cuts,
)
def test_violations_only_grow_with_knowledge(records: list[Any], when: Any) -> None:
    """With nothing retracted, corrected or ended, learning more never removes one.

    (An end that becomes known later can rightly withdraw a *candidate*: the attack
    turns out to fall after the commitment collapsed. That is why ends are excluded.)
    """
    tl = load(records)
    known_cuts = sorted({r.reported.lo for r in tl.read()})
    previous: set[tuple[Basis, str, str]] = set()
    for known in known_cuts:
        at = pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC).add(microseconds=known)
        found = tl.state(ReportedViolations, at=when, known_at=at)
        keys = {(v.basis, v.evidence, v.commitment) for v in found}
        assert previous <= keys
        previous = keys


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(records=timelines(max_size=20), when=cuts)
def test_memory_and_sqlite_agree(
    tmp_path_factory: pytest.TempPathFactory, records: list[Any], when: Any
) -> None:
    path = tmp_path_factory.mktemp("agree") / "t.db"
    memory = load(records)
    sqlite = load(records, SQLiteStore(path, clock=fixed_clock))
    try:
        for view in VIEWS:
            assert memory.state(view, at=when) == sqlite.state(view, at=when)
            assert memory.state(view) == sqlite.state(view)
    finally:
        sqlite.close()


class _Glimpsing(TriggeredCommitments):
    """TriggeredCommitments, noting the attacks the engine gives it as glimpses."""

    taken: ClassVar[list[str]] = []

    def apply_glimpse(self, state: Any, glimpse: Glimpse) -> Any:
        self.taken.append(glimpse.id)
        return super().apply_glimpse(state, glimpse)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(records=timelines(max_size=25), when=cuts, data=st.data())
def test_glimpsed_attacks_fold_as_decoded_ones(
    tmp_path_factory: pytest.TempPathFactory, records: list[Any], when: Any, data: st.DataObject
) -> None:
    """A view folding attacks from glimpses of their stored JSON (see GlimpseView)
    answers every cut as the reference fold of the decoded records does."""
    path = tmp_path_factory.mktemp("glimpse") / "t.db"
    load(records, SQLiteStore(path, clock=fixed_clock)).close()
    tl = Timeline(SQLiteStore(path, clock=fixed_clock))  # reopened: nothing cached
    _Glimpsing.taken.clear()
    try:
        known = data.draw(st.none() | cuts, label="known_at")
        as_of = data.draw(st.none() | st.integers(1, max(1, len(records))), label="as_of")
        for certainty in ("possible", "certain"):
            got = tl.state(_Glimpsing, at=when, known_at=known, as_of=as_of, certainty=certainty)
            query = tl.query(at=when, known_at=known, as_of=as_of, certainty=certainty)
            assert got == reference(tl, TriggeredCommitments(), query)
        assert tl.state(_Glimpsing) == reference(tl, TriggeredCommitments(), Query())
        # The glimpses were used: every attack that no retraction removes was folded
        # from one at least once (a corrected one from its replacement's), and
        # nothing else was.
        envelopes = list(tl.read())
        gone = {r.record.retracts for r in envelopes if isinstance(r.record, Retraction)}
        attacks = {r.id for r in envelopes if r.kind == "Attack"}
        assert attacks - gone <= set(_Glimpsing.taken) <= attacks
    finally:
        tl.close()


def test_corrections_and_retractions_act_by_knowledge_time(tmp_path: Path) -> None:
    from conflict_timeline import ActorDefined, Attack, Source

    def src(day: str) -> tuple[Source, ...]:
        return (Source(publisher="Monitor", published=day),)

    tl = Timeline()
    tl.append(
        ActorDefined(id="a", name="A", actor_kind="state"),
        Commitment(
            id="c",
            occurred="2020-10-01",
            sources=src("2020-10-01"),
            commitment_kind="ceasefire",
            parties=("a",),
            prohibits=("any_attack",),
        ),
    )
    attack = Attack(id="x", occurred="2020-10-05", sources=src("2020-10-06"), perpetrator="a")
    tl.append(attack)
    moved = Attack(id="x", occurred="2020-09-05", sources=src("2020-10-06"), perpetrator="a")
    tl.append(
        Correction(
            id="fix-x",
            occurred="2020-10-10",
            sources=src("2020-10-10"),
            corrects="x",
            replacement=moved,
        )
    )

    def candidates(known: str) -> list[str]:
        found = tl.state(ReportedViolations, known_at=known)
        return [v.evidence for v in found if v.basis is Basis.CANDIDATE]

    assert candidates("2020-10-07") == ["x"]  # as first reported: during the ceasefire
    assert candidates("2020-10-11") == []  # corrected: before the ceasefire began
    tl.append(
        Retraction(id="drop-c", occurred="2020-10-20", sources=src("2020-10-20"), retracts="c")
    )
    assert tl.state(ActiveCommitments, known_at="2020-10-19").ids() == ("c",)
    assert tl.state(ActiveCommitments, known_at="2020-10-21").ids() == ()
    assert tl.state(ActiveCommitments).ids() == ()
    # Every combination of cuts agrees with the reference fold.
    for known, at in itertools.product(("2020-10-07", "2020-10-11", None), ("2020-10-06", None)):
        query = tl.query(known_at=known, at=at)
        assert tl.state(ReportedViolations, known_at=known, at=at) == reference(
            tl, ReportedViolations(), query
        )


@st.composite
def releases(draw: st.DrawFn) -> list[Any]:
    """Attacks reported days after they happened, then "releases": batches of
    corrections (moving an attack to another day or month) and retractions, each
    batch known at one instant, as a re-imported dataset's are; in any append order."""
    start = pendulum.date(2024, 1, 1)
    attacks = []
    for i in range(draw(st.integers(1, 20), label="attacks")):
        day = start.add(days=draw(st.integers(0, 90)))
        occurred = day.isoformat() if draw(st.booleans()) else day.format("YYYY-MM")
        published = day.add(days=draw(st.integers(0, 20))).isoformat()
        attacks.append(
            Attack(
                id=f"a{i}",
                occurred=occurred,
                sources=(Source(publisher="Monitor", published=published),),
                perpetrator=None,
                target_class="military",
            )
        )
    fixes: list[Any] = []
    for r in range(draw(st.integers(0, 3), label="releases")):
        when = start.add(days=draw(st.integers(20, 150))).isoformat()
        source = (Source(publisher="Monitor", published=when),)
        for target in draw(st.lists(st.sampled_from(attacks), unique_by=lambda a: a.id)):
            if draw(st.integers(0, 4)) == 0:
                fixes.append(
                    Retraction(
                        id=f"r{r}-{target.id}", occurred=when, sources=source, retracts=target.id
                    )
                )
                continue
            day = start.add(days=draw(st.integers(0, 90)))
            moved = TimeExtent.parse(
                day.isoformat() if draw(st.booleans()) else day.format("YYYY-MM")
            )
            fixes.append(
                Correction(
                    id=f"c{r}-{target.id}",
                    occurred=when,
                    sources=source,
                    corrects=target.id,
                    replacement=attrs.evolve(target, occurred=moved),
                )
            )
    return draw(st.permutations([*attacks, *fixes]))


@PROFILE
@given(records=releases(), data=st.data())
def test_cuts_across_releases_match_the_reference_fold(
    records: list[Any], data: st.DataObject
) -> None:
    """Cuts before, between and after batches of corrections known at one instant (the
    case the eras of knowledge serve, `Engine._era`), with and without eras, on a warm
    timeline and again after more records are appended: the records replayed, their
    order and versions are those of the plain fold."""
    split = data.draw(st.integers(0, len(records)), label="split")
    tl = Timeline(MemoryStore(clock=fixed_clock), checkpoint_every=data.draw(st.integers(1, 3)))
    tl.append(*records[:split], strict=False)
    with eras_whenever(data.draw(st.booleans(), label="eras whenever they apply")):
        for batch in (records[split:], []):
            tl.state(ReplayOrder)  # warm
            bounds = sorted(_bounds(tl))
            near = st.sampled_from(bounds).map(_instant) if bounds else cuts
            for _ in range(4):
                cut = data.draw(
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "at": near,
                            "known_at": near,
                            "as_of": st.integers(0, tl.store.head()),
                            "certainty": st.sampled_from(("possible", "certain")),
                        },
                    ),
                    label="cut",
                )
                assert tl.state(ReplayOrder, **cut) == reference(
                    tl, ReplayOrder(), tl.query(**cut)
                ), cut
            tl.append(*batch, strict=False)
