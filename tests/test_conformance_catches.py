"""The shipped `StoreConformance` suite fails a store that breaks a guarantee.

A conformance suite that passes a broken store promises nothing: each store here
breaks one guarantee the suite names (docs/howto/store-backend.md), and the test of
that guarantee must fail on it, while the same store done right passes it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

import pytest

from conflict_timeline import from_json
from conflict_timeline.stores import (
    GENESIS_HASH,
    Clock,
    Prepared,
    Problem,
    Recorded,
    Store,
    StoreBase,
    StoredRow,
)
from conflict_timeline.testing import StoreConformance


class ListStore(StoreBase):
    """The smallest store done right: rows in a list, a batch held until commit."""

    BACKEND = "list"

    def __init__(self, *, clock: Clock | None = None) -> None:
        super().__init__(clock=clock)
        self._lock = threading.RLock()
        self._rows: list[tuple[int, int, str, bytes, str, str]] = []
        self._by_id: dict[str, int] = {}
        self._pending: list[tuple[Prepared, int]] = []

    def _number(self, prepared: Prepared) -> int:
        return prepared.position

    def _begin(self) -> None:
        self._lock.acquire()
        self._pending = []

    def _write(self, batch: Sequence[Prepared]) -> None:
        self._pending.extend((p, self._number(p)) for p in batch)

    def _commit(self) -> None:
        for p, position in self._pending:
            self._rows.append(
                (position, p.recorded_at_us, p.hash, p.payload, p.record.id, p.record.KIND)
            )
            self._by_id[p.record.id] = position
        self._pending = []
        self._lock.release()

    def _rollback(self) -> None:
        self._pending = []
        self._lock.release()

    def _lookup(self, ids: Collection[str]) -> dict[str, tuple[int, str, bytes]]:
        rows = {r[0]: r for r in self._rows}
        return {
            rid: (pos, rows[pos][5], rows[pos][3])
            for rid in ids
            if (pos := self._by_id.get(rid)) is not None
        }

    def _head_and_hash(self) -> tuple[int, str]:
        return (self._rows[-1][0], self._rows[-1][2]) if self._rows else (0, GENESIS_HASH)

    def _verify_rows(self) -> Iterator[StoredRow | Problem]:
        for position, at, digest, payload, _, _ in list(self._rows):
            yield StoredRow(position, at, digest, payload)

    def read(
        self, *, start: int = 1, stop: int | None = None, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        start, stop = self._bounds("read", start, stop)
        rows = [r for r in self._rows if start <= r[0] and (stop is None or r[0] <= stop)]
        return (
            self._recorded(r[0], r[1], r[2], from_json(r[3]))
            for r in rows
            if kinds is None or r[5] in kinds
        )

    def close(self) -> None:
        pass


class SequenceStore(ListStore):
    """Numbers rows from a counter that a rolled-back batch does not give back, as a
    SQL sequence does: a failed batch leaves a gap."""

    BACKEND = "sequence"

    def __init__(self, *, clock: Clock | None = None) -> None:
        super().__init__(clock=clock)
        self._counter = 0

    def _number(self, prepared: Prepared) -> int:
        self._counter += 1
        return self._counter


class _Suite(StoreConformance):
    store_class: type[ListStore] = ListStore

    def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        return self.store_class(clock=clock)


def _run(store_class: type[ListStore], test: str, tmp_path: Path) -> None:
    suite = _Suite()
    suite.store_class = store_class
    suite.setup_method(None)
    try:
        getattr(suite, test)(tmp_path)
    finally:
        suite.teardown_method(None)


GAPLESS = [
    "test_atomic_a_bad_record_in_the_last_slice_writes_nothing",
    "test_atomic_a_batch_with_an_unknown_reference_writes_nothing",
]


@pytest.mark.parametrize("test", GAPLESS)
def test_a_store_done_right_passes(test: str, tmp_path: Path) -> None:
    _run(ListStore, test, tmp_path)


def test_a_store_whose_failed_batch_leaves_a_gap_fails(tmp_path: Path) -> None:
    # A batch that fails in its last slice has had its first slices numbered.
    with pytest.raises(AssertionError, match=r"\[1, 2, 3, 4, 11, 12"):
        _run(SequenceStore, "test_atomic_a_bad_record_in_the_last_slice_writes_nothing", tmp_path)


def test_a_failing_check_of_the_suite_shows_the_values_it_compared(tmp_path: Path) -> None:
    # pytest rewrites the asserts of test modules only; the suite is told to it when
    # `conflict_timeline.testing` is imported under pytest, so a failure says what
    # differed, not a bare AssertionError.
    (tmp_path / "test_lying.py").write_text(
        textwrap.dedent(
            """
            from conflict_timeline import MemoryStore
            from conflict_timeline.testing import StoreConformance

            class Lying(MemoryStore):
                def head(self):
                    return super().head() + 1

            class TestLying(StoreConformance):
                def make_store(self, tmp_path, clock):
                    return Lying(clock=clock)
            """
        ),
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
         "-k", "test_atomic_a_batch_with_a_non_record_writes_nothing", "test_lying.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    assert "where 3 = " in run.stdout, run.stdout


@pytest.mark.filterwarnings("error::conflict_timeline.UnsourcedRecordWarning")
@pytest.mark.parametrize(
    "test",
    [
        "test_subscribe_delivers_existing_then_new_records_in_order",
        "test_subscribe_from_a_position",
        "test_follow_yields_existing_then_new_records_in_order",
    ],
)
def test_a_store_done_right_passes_with_warnings_as_errors(test: str, tmp_path: Path) -> None:
    # The suite's records are unsourced on purpose; a project that runs its tests
    # with warnings as errors must still see a correct store pass.
    _run(ListStore, test, tmp_path)
