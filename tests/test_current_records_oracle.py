"""`current_records` and `events --limit`'s selection against the replay oracle.

docs/reference/api.md ("Exports and drawing") and docs/howto/cli.md (``events``): the
records as known at ``known_at`` and stored by ``as_of``, corrections applied and
retractions obeyed, in replay order; ``kinds`` keeps the records whose current version
is of those kinds, ``between`` those whose current time overlaps the span (a timeless
record overlaps none). The selection is made from the index and only the records it
keeps are decoded, so these tests draw corrections that move a record into or out of
a span, on the memory, SQLite and PostgreSQL stores, and compare with
tests/oracles/replay.py, which reads every stored envelope.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    ActorDefined,
    Attack,
    MemoryStore,
    Query,
    SQLiteStore,
    TimeExtent,
    Timeline,
    current_records,
)
from conflict_timeline._export import first_records
from conflict_timeline.strategies import timelines
from oracles.replay import replayed

FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")
PROFILE = settings(
    max_examples=int(os.environ.get("CT_ORACLE_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
KINDS = ("Attack", "Statement", "Commitment", "ActorDefined", "Request", "CasualtyReport")


def _clock() -> _dt.datetime:
    return FIXED


def _instant(us: int) -> pendulum.DateTime:
    return pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC).add(microseconds=us)


def _bounds(records: Sequence[Any]) -> list[int]:
    """Every record's time bounds, and one microsecond either side."""
    out = {FIXED.int_timestamp * 1_000_000}
    for record in records:
        for extent in (record.occurred, record.reported):
            if extent is not None and not extent.is_timeless:
                out.update((extent.lo - 1, extent.lo, extent.last, extent.last + 1))
    return sorted(out)


def _expected(
    tl: Timeline,
    known_at: int | None,
    as_of: int | None,
    kinds: frozenset[str] | None,
    window: tuple[int, int] | None,
) -> list[tuple[str, Any]]:
    """(id, record as known) of every record the rule keeps, in replay order."""
    out = []
    for r in replayed(list(tl.read()), Query(known_at=known_at, as_of=as_of)):
        occurred: TimeExtent = r.record.occurred
        if kinds is not None and r.record.KIND not in kinds:
            continue
        if window is not None and (
            occurred.is_timeless or occurred.lo > window[1] or occurred.last < window[0]
        ):
            continue
        out.append((r.id, r.record))
    return out


@st.composite
def _selections(draw: st.DrawFn, records: Sequence[Any]) -> dict[str, Any]:
    bounds = _bounds(records)
    known_at = draw(st.none() | st.sampled_from(bounds))
    as_of = draw(st.none() | st.integers(0, len(records)))
    kinds = draw(st.none() | st.frozensets(st.sampled_from(KINDS), min_size=1))
    window = None
    if draw(st.booleans()):
        lo, hi = sorted(draw(st.lists(st.sampled_from(bounds), min_size=2, max_size=2)))
        window = (lo, hi)
    limit = draw(st.none() | st.integers(0, 5))
    return {"known_at": known_at, "as_of": as_of, "kinds": kinds, "window": window, "limit": limit}


def _check(tl: Timeline, records: list[Any], data: st.DataObject) -> None:
    for _ in range(4):
        s = data.draw(_selections(records))
        known_at = None if s["known_at"] is None else _instant(s["known_at"])
        window = s["window"]
        between = None if window is None else (_instant(window[0]), _instant(window[1]))
        want = _expected(tl, s["known_at"], s["as_of"], s["kinds"], window)
        got = current_records(
            tl, known_at=known_at, as_of=s["as_of"], kinds=s["kinds"], between=between
        )
        assert [(r.id, r.record) for r in got] == want, s
        if s["as_of"] is None:  # what ``events`` lists: no store position cut
            total, first = first_records(
                tl, known_at=known_at, kinds=s["kinds"], between=between, limit=s["limit"]
            )
            assert total == len(want), s
            shown = want if s["limit"] is None else want[: s["limit"]]
            assert [(r.id, r.record) for r in first] == shown, s


@PROFILE
@given(records=timelines(min_size=4, max_size=25), data=st.data())
def test_current_records_match_the_oracle_in_memory(
    records: list[Any], data: st.DataObject
) -> None:
    tl = Timeline(MemoryStore(clock=_clock))
    tl.append(*records, strict=False)
    _check(tl, records, data)


@PROFILE
@given(records=timelines(min_size=4, max_size=25), data=st.data())
def test_current_records_match_the_oracle_on_sqlite(
    records: list[Any], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "tl.db", clock=_clock)
        with Timeline(store) as tl:
            tl.append(*records, strict=False)
            _check(tl, records, data)


_PG_NAMES = itertools.count()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(records=timelines(min_size=4, max_size=25), data=st.data())
def test_current_records_match_the_oracle_on_postgresql(
    pg_url: str, records: list[Any], data: st.DataObject
) -> None:
    """The same on PostgreSQL (its index rows, its reads of a span and of payloads):
    each example in a timeline of its own."""
    with Timeline.open(f"{pg_url}x{next(_PG_NAMES)}", clock=_clock) as tl:
        tl.append(*records, strict=False)
        _check(tl, records, data)


def test_a_correction_moves_a_record_into_another_span() -> None:
    """Hand-built: an attack dated 2020 is corrected to 2021. The selection follows
    the corrected time: the attack is in 2021's span, not in 2020's, once, at its
    original position; as known before the correction, it is in 2020's."""
    from conflict_timeline import Correction, Source

    src = Source(publisher="Wire", title="t", published=TimeExtent.parse("2022-01-01"))
    later = Source(publisher="Wire", title="fix", published=TimeExtent.parse("2022-02-01"))
    attack = Attack(
        id="a1",
        occurred=TimeExtent.parse("2020-06-01"),
        perpetrator="x",
        sources=(src,),
    )
    moved = Correction(
        id="fix-a1",
        occurred=TimeExtent.parse("2022-02-01"),
        corrects="a1",
        replacement=Attack(
            id="a1",
            occurred=TimeExtent.parse("2021-06-01"),
            perpetrator="x",
            sources=(src,),
        ),
        sources=(later,),
    )
    actor = ActorDefined(id="x", name="X", actor_kind="armed_force")
    tl = Timeline(MemoryStore(clock=_clock))
    tl.append(actor, attack, moved)
    in_2021 = current_records(tl, between=("2021-01-01", "2021-12-31"), kinds=["Attack"])
    assert [(r.id, r.position, r.corrected_by) for r in in_2021] == [("a1", 2, 3)]
    assert str(in_2021[0].record.occurred.earliest.date()) == "2021-06-01"
    assert current_records(tl, between=("2020-01-01", "2020-12-31")) == ()
    # Known before the correction: the attack as first reported, in 2020.
    before = current_records(tl, known_at="2022-01-15", between=("2020-01-01", "2020-12-31"))
    assert [(r.id, r.corrected_by) for r in before] == [("a1", None)]
    assert first_records(tl, kinds=["Attack"], limit=0) == (1, [])
    # A span whose first instant is the corrected attack's last (2021-06-01's end).
    edge = _dt.datetime(2021, 6, 1, 23, 59, 59, 999999, tzinfo=_dt.UTC)
    assert [r.id for r in current_records(tl, between=(edge, "2021-06-30"))] == ["a1"]
    after = edge + _dt.timedelta(microseconds=1)
    assert current_records(tl, between=(after, "2021-06-30")) == ()
    # The actor, defined for all time, is in no span, even one from the year 1.
    since_year_1 = current_records(tl, between=("0001-01-01", "2021-12-31"))
    assert [r.id for r in since_year_1] == ["a1"]
    assert [r.id for r in current_records(tl)] == ["x", "a1"]
