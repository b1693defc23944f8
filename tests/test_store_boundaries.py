"""Reads and appends across the sizes a store works in pieces of.

SQLite asks for ids and positions 500 at a time (``IN (...)`` lists under its variable
limit) and streams reads 2,000 records a query; the conformance suite's stores are
far smaller than either, so a record lost or repeated where one piece ends and the
next begins would pass it. Here every read and lookup crosses those boundaries, and
the expected answers are written from the rules (positions 1..N, gapless, in
position order, each record once), not from another read.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    MemoryStore,
    PlaceDefined,
    SQLiteStore,
    TimeExtent,
    UnsourcedRecordWarning,
)
from conflict_timeline.stores import Store

ATTACKS = 4_500  # more than two streaming pages (2,000) and nine id chunks (500)
ACTORS = 1_201  # two whole chunks of 500 and one more, past a chunk's end


def _days(n: int) -> list[str]:
    """``n`` distinct days, latest first: ``occurred`` order is the reverse of
    position order, so an answer sorted by time rather than position shows."""
    days = []
    for i in range(n):
        year, rest = divmod(i, 12 * 28)
        month, day = divmod(rest, 28)
        days.append(f"{2019 - year:04d}-{month + 1:02d}-{day + 1:02d}")
    return days


def _store(backend: str, tmp_path: Path) -> Store:
    return MemoryStore() if backend == "memory" else SQLiteStore(tmp_path / "big.db")


@pytest.fixture(scope="module", params=["sqlite", "memory"])
def big(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A place at position 1, then ``ATTACKS`` attacks on it at positions 2.., each on
    its own day, the later position the earlier day."""
    store = _store(request.param, tmp_path_factory.mktemp("big"))
    attacks = [
        Attack(id=f"a-{i}", occurred=TimeExtent.parse(day), place="town")
        for i, day in enumerate(_days(ATTACKS))
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnsourcedRecordWarning)
        store.append([PlaceDefined(id="town", name="Town", place_kind="town"), *attacks])
    yield store
    store.close()


def test_a_read_crosses_its_pages_without_losing_or_repeating_a_record(big: Store) -> None:
    everything = list(range(1, ATTACKS + 2))
    assert [r.position for r in big.read()] == everything
    assert [r.position for r in big.read(kinds=["Attack"])] == everything[1:]
    assert [r.position for r in big.read(start=1_999, stop=4_003)] == list(range(1_999, 4_004))
    assert [r.record.id for r in big.read(start=2_000, stop=2_002)] == [
        "a-1998",
        "a-1999",
        "a-2000",
    ]


def test_involving_crosses_its_pages(big: Store) -> None:
    assert [r.position for r in big.involving("town")] == list(range(2, ATTACKS + 2))


def test_occurred_between_many_records_is_every_one_in_position_order(big: Store) -> None:
    # Every attack's day lies in this window, found through the time index, which
    # gives them latest position first; the answer is in position order all the same.
    found = [r.position for r in big.occurred_between(-(2**62), 2**62, kinds=["Attack"])]
    assert found == list(range(2, ATTACKS + 2))
    # 2015 to 2019: the first five years of days, 336 a year, at positions 2 to 1681.
    lo, hi = TimeExtent.parse("2015").lo, TimeExtent.parse("2019").last
    assert [r.position for r in big.occurred_between(lo, hi)] == list(range(2, 5 * 336 + 2))


def test_fetch_of_many_positions_keeps_the_order_asked(big: Store) -> None:
    asked = list(range(ATTACKS + 1, 0, -1))
    assert [r.position for r in big.fetch(asked)] == asked


def test_index_rows_cross_a_page(big: Store) -> None:
    assert [row.position for row in big.index_rows(start=2_000)] == list(range(2_000, ATTACKS + 2))


@pytest.mark.parametrize("backend", ["sqlite", "memory"])
def test_a_batch_of_many_stored_ids_is_a_no_op(backend: str, tmp_path: Path) -> None:
    """Idempotent by id past a lookup chunk: every stored id of a long batch is found,
    the one at each chunk's end and the next chunk's start as well as the rest."""
    store = _store(backend, tmp_path)
    actors = [ActorDefined(id=f"p-{i}", name=f"P {i}", actor_kind="person") for i in range(ACTORS)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnsourcedRecordWarning)
        assert store.append(actors) == tuple(range(1, ACTORS + 1))
        assert store.append(actors) == tuple(range(1, ACTORS + 1))
        late = ActorDefined(id="late", name="Late", actor_kind="person")
        assert store.append([*reversed(actors), late]) == (
            *range(ACTORS, 0, -1),
            ACTORS + 1,
        )
    assert store.head() == ACTORS + 1
    store.close()
