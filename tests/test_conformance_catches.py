"""The shipped `StoreConformance` suite fails a store that breaks a guarantee.

A conformance suite that passes a broken store promises nothing: each store here
breaks one guarantee the suite names (docs/howto/store-backend.md), and the test of
that guarantee must fail on it, while the same store done right passes it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

from conflict_timeline import MemoryStore, Record, from_json
from conflict_timeline.errors import ConcurrencyError, DuplicateRecordError
from conflict_timeline.stores import (
    GENESIS_HASH,
    Clock,
    Dangling,
    IndexRow,
    Prepared,
    Problem,
    Recorded,
    Store,
    StoreBase,
    StoredRow,
    Verification,
    chain_hash,
)
from conflict_timeline.testing import StoreConformance
from test_store_memory import MemoryConformance


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


# ---------------------------------------------------------------- one broken store a check
#
# Each store below is `MemoryStore` broken in one way a backend could be; the test of
# the suite named beside it must fail on it (and `MemoryStore` itself passes it). A
# check of the suite weakened until it no longer sees the break fails here.


_Memory = MemoryConformance


class IgnoresAChangedRepeat(MemoryStore):
    """Idempotency by id alone: a changed record under a stored id is a silent no-op."""

    def append(
        self,
        records: Sequence[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> tuple[int, ...]:
        try:
            return super().append(records, expected_position=expected_position, strict=strict)
        except DuplicateRecordError:
            super().append([r for r in records if self.get(r.id) is None], strict=strict)
            return tuple(self._by_id[r.id] for r in records)


class KeepsTheFirstOfARepeat(MemoryStore):
    """A batch holding one id twice, with other content: the second is dropped."""

    def append(
        self,
        records: Sequence[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> tuple[int, ...]:
        first: dict[str, Record] = {}
        for record in records:
            first.setdefault(record.id, record)
        return super().append(
            list(first.values()), expected_position=expected_position, strict=strict
        )


class IgnoresExpectedPosition(MemoryStore):
    def append(
        self,
        records: Sequence[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> tuple[int, ...]:
        return super().append(records, strict=strict)


class RefusesALandedRetry(MemoryStore):
    """Compares expected_position with the head before seeing the records are stored."""

    def append(
        self,
        records: Sequence[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> tuple[int, ...]:
        if expected_position is not None and expected_position != self.head():
            msg = f"expected position {expected_position}, the log is at {self.head()}"
            raise ConcurrencyError(msg)
        return super().append(records, expected_position=expected_position, strict=strict)


class ChecksAStaleHead(MemoryStore):
    """Compares expected_position with a head read before the write lock is taken."""

    def append(
        self,
        records: Sequence[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> tuple[int, ...]:
        head = self.head()
        new = [r for r in records if self.get(r.id) is None]
        if expected_position is not None and new and head != expected_position:
            msg = f"expected position {expected_position}, the log is at {head}"
            raise ConcurrencyError(msg)
        time.sleep(0.002)  # the window another writer lands in
        return super().append(records, strict=strict)


class TakesNoWriteLock(MemoryStore):
    """Writers do not exclude each other: two can read the same head and both write."""

    def _begin(self) -> None:
        self._check_open()
        self._began = len(self._rows)

    def _head_and_hash(self) -> tuple[int, str]:
        got = super()._head_and_hash()
        time.sleep(0.002)  # the window another writer reads the same head in
        return got

    def _commit(self) -> None:
        self._lock.acquire()
        super()._commit()

    def _rollback(self) -> None:
        self._lock.acquire()
        super()._rollback()


class LandsRowByRow(MemoryStore):
    """A commit that readers can watch land one row at a time."""

    def _commit(self) -> None:
        pending, self._pending = self._pending, []
        for item in (item for batch in pending for item in batch):
            self._pending = [[item]]
            self._lock.acquire()
            super()._commit()
            time.sleep(0.0005)
        self._lock.release()


class AnswersWhenClosed(MemoryStore):
    """Refuses appends, ``read`` and ``get`` once closed, but not the other methods."""

    def _check_open(self) -> None:
        caller = sys._getframe(1).f_code.co_name
        if caller in {"_begin", "read", "get"}:
            super()._check_open()


class HasADelete(MemoryStore):
    def delete(self, record_id: str) -> None:
        """What no store has."""


class SwapsAtAPageBoundary(MemoryStore):
    """Reads in pages of eight and puts a page's last record after the next's first."""

    def read(
        self, *, start: int = 1, stop: int | None = None, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        got = list(super().read(start=start, stop=stop, kinds=kinds))
        if len(got) > 8:
            got[7], got[8] = got[8], got[7]
        return iter(got)


class GetsTheOneBefore(MemoryStore):
    """``get`` of the last record answers the record before it."""

    def get(self, record_id: str) -> Recorded | None:
        found = super().get(record_id)
        if found is not None and found.position == self.head() > 1:
            return self.fetch([found.position - 1])[0]
        return found


class FetchesInPositionOrder(MemoryStore):
    def fetch(self, positions: Sequence[int]) -> list[Recorded]:
        return sorted(super().fetch(positions), key=lambda r: r.position)


class InvolvingMissesTheLast(MemoryStore):
    def involving(self, ref_id: str) -> Iterator[Recorded]:
        got = list(super().involving(ref_id))
        return iter(got[:-1] if len(got) > 1 else got)


class OccurredBetweenHalfOpen(MemoryStore):
    """A window open at its end: a record beginning exactly there is left out."""

    def occurred_between(
        self, lo_us: int, hi_us: int, *, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        got = super().occurred_between(lo_us, hi_us, kinds=kinds)
        return (r for r in got if r.record.occurred.lo != hi_us)


class DropsListeners(MemoryStore):
    def add_listener(self, listener: Callable[[list[Recorded]], None]) -> None:
        """Never calls it."""


class IgnoresStopWithKinds(MemoryStore):
    def read(
        self, *, start: int = 1, stop: int | None = None, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        self._bounds("read", start, stop)
        return super().read(start=start, stop=None if kinds else stop, kinds=kinds)


class MangelsAConfirmation(MemoryStore):
    """Reads a Confirmation (a kind the worked example lacks) back with other notes."""

    def _envelope(self, item: Prepared) -> Recorded:
        record = item.record
        if record.KIND == "Confirmation":
            record = attrs.evolve(record, notes="mangled")
        return self._recorded(item.position, item.recorded_at_us, item.hash, record)


class ListsOneDangling(MemoryStore):
    def dangling_references(self) -> list[Dangling]:
        return super().dangling_references()[:1]


class IndexRowsSkipAKindsFirst(MemoryStore):
    def index_rows(
        self, *, start: int = 1, kinds: Collection[str] | None = None
    ) -> Iterator[IndexRow]:
        got = list(super().index_rows(start=start, kinds=kinds))
        return iter(got[1:] if kinds is not None else got)


class StreamsOneByOne(MemoryStore):
    """A stream appended a record at a time: what came before a failure is kept."""

    def append_stream(
        self,
        records: Iterable[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> range:
        first = self.head() + 1
        for record in records:
            self.append([record], strict=strict)
        return range(first, self.head() + 1)


class HashesOtherBytes(MemoryStore):
    """Stores and chains JSON with spaces and unsorted keys: consistent, not canonical."""

    def _write(self, batch: Sequence[Prepared]) -> None:
        if self._pending:
            previous = self._pending[-1][-1].hash
        else:
            previous = self._rows[-1].hash if self._rows else GENESIS_HASH
        out = []
        for p in batch:
            payload = json.dumps(json.loads(p.payload), ensure_ascii=False).encode()
            previous = chain_hash(previous, p.position, p.recorded_at_us, payload)
            out.append(p._replace(payload=payload, hash=previous))
        self._pending.append(out)


class VerifySkipsTheLast(MemoryStore):
    def _verify_rows(self) -> Iterator[StoredRow]:
        rows = list(super()._verify_rows())
        yield from rows[:-1]

    def verify(self) -> Verification:
        done = super().verify()
        return Verification(True, self.head()) if done.ok else done


class VerifiesNothing(MemoryStore):
    def verify(self) -> Verification:
        return Verification(True, self.head())


class AnswersHeadWhenClosed(MemoryStore):
    """Refuses everything once closed but ``head``."""

    def head(self) -> int:
        return len(self._rows)


class IgnoresAChangedRepeatOfItsKind(MemoryStore):
    """Idempotency by id and kind: a changed record of the stored kind is a no-op."""

    def append(
        self,
        records: Sequence[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> tuple[int, ...]:
        kept = [
            r
            for r in records
            if (found := self.get(r.id)) is None or found.kind != r.KIND or found.record == r
        ]
        super().append(kept, expected_position=expected_position, strict=strict)
        return tuple(self._by_id[r.id] for r in records)


class IndexRowsSkipWithSeveralKinds(MemoryStore):
    """Reads index rows of several kinds another way (as SQLite may), and drops one."""

    def index_rows(
        self, *, start: int = 1, kinds: Collection[str] | None = None
    ) -> Iterator[IndexRow]:
        got = list(super().index_rows(start=start, kinds=kinds))
        return iter(got[1:] if kinds is not None and len(kinds) > 2 else got)


class ReportsTheRowBefore(MemoryStore):
    """Names the row before the first bad one."""

    def verify(self) -> Verification:
        done = super().verify()
        if done.ok or done.first_bad is None or done.first_bad < 2:
            return done
        return Verification(False, done.checked - 1, done.first_bad - 1, done.reason)


class GetsAWrongPosition(MemoryStore):
    """``get`` answers the right record at the position before its own."""

    def get(self, record_id: str) -> Recorded | None:
        found = super().get(record_id)
        if found is None or found.position < 2:
            return found
        item = self._rows[found.position - 1]
        return self._recorded(found.position - 1, item.recorded_at_us, item.hash, item.record)


class ReportsTheRowAfter(MemoryStore):
    """Names the row after the first bad one, and counts it as checked."""

    def verify(self) -> Verification:
        done = super().verify()
        if done.ok or done.first_bad is None:
            return done
        return Verification(False, done.checked + 1, done.first_bad + 1, done.reason)


class TakesTrueForOne(MemoryStore):
    """``fetch`` takes a bool as the position it equals (``True == 1``)."""

    def fetch(self, positions: Sequence[int]) -> list[Recorded]:
        return super().fetch([int(p) if isinstance(p, bool) else p for p in positions])


class SortsThePositionsOfAMixedBatch(MemoryStore):
    """Answers a batch's positions sorted, not in the order of its records."""

    def append(
        self,
        records: Sequence[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> tuple[int, ...]:
        found = super().append(records, expected_position=expected_position, strict=strict)
        return tuple(sorted(found))


class HasARemove(MemoryStore):
    """Offers a way to remove a record, under another name than ``delete``."""

    def remove_record(self, record_id: str) -> None:
        raise NotImplementedError(record_id)


class HasARedact(MemoryStore):
    """Offers to blank a stored record in place (a redaction), changing history."""

    def redact(self, record_id: str) -> None:
        raise NotImplementedError(record_id)


class TakesAHeadAhead(MemoryStore):
    """Takes an ``expected_position`` past its head as no expectation at all."""

    def append(
        self,
        records: Sequence[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> tuple[int, ...]:
        if expected_position is not None and expected_position > self.head():
            expected_position = None
        return super().append(records, expected_position=expected_position, strict=strict)


class DropsTheTenthBatch(MemoryStore):
    """Answers positions for its tenth batch and stores none of it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._batches = 0

    def append(
        self,
        records: Sequence[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> tuple[int, ...]:
        self._batches += 1
        if self._batches == 10:
            head = self.head()
            return tuple(range(head + 1, head + 1 + len(records)))
        return super().append(records, expected_position=expected_position, strict=strict)


class KeepsMilliseconds(MemoryStore):
    """Keeps ``recorded_at`` to the millisecond, as a BSON date or a TIMESTAMP(3) does."""

    def _write(self, batch: Sequence[Prepared]) -> None:
        super()._write([p._replace(recorded_at_us=p.recorded_at_us // 1000 * 1000) for p in batch])


class LooksUpTheFirst999(MemoryStore):
    """Answers ``_lookup`` for the first 999 ids it is asked about: one query of at
    most 999 parameters (SQLite's old limit), the rest never asked."""

    def _lookup(self, ids: Collection[str]) -> dict[str, tuple[int, str, bytes]]:
        return super()._lookup(list(ids)[:999])


class NormalisesText(MemoryStore):
    """Stores each payload's text in Unicode's composed form (NFC), as a layer that
    "cleans" text on its way into the database would."""

    def _write(self, batch: Sequence[Prepared]) -> None:
        def composed(payload: bytes) -> bytes:
            return unicodedata.normalize("NFC", payload.decode("utf-8")).encode("utf-8")

        super()._write([p._replace(payload=composed(p.payload)) for p in batch])


BROKEN: list[tuple[type[MemoryStore], str]] = [
    (NormalisesText, "test_text_reads_back_as_written_not_normalised"),
    (LooksUpTheFirst999, "test_idempotent_a_large_batch_again_is_a_no_op"),
    (KeepsMilliseconds, "test_clock_recorded_at_is_kept_to_the_microsecond"),
    (ReportsTheRowAfter, "test_verify_reports_the_first_changed_position"),
    (TakesTrueForOne, "test_fetch_refuses_a_position_that_is_not_an_int"),
    (SortsThePositionsOfAMixedBatch, "test_idempotent_a_mixed_batch_appends_only_the_new_records"),
    (HasARemove, "test_append_only_there_is_no_update_or_delete"),
    (HasARedact, "test_append_only_there_is_no_update_or_delete"),
    (TakesAHeadAhead, "test_concurrency_a_moved_head_raises_and_writes_nothing"),
    (DropsTheTenthBatch, "test_concurrency_a_reader_sees_a_batch_whole_or_not_at_all"),
    (IgnoresAChangedRepeat, "test_duplicate_id_with_other_content_names_the_id_and_its_position"),
    (KeepsTheFirstOfARepeat, "test_duplicate_id_with_other_content_inside_one_batch"),
    (IgnoresExpectedPosition, "test_concurrency_a_moved_head_raises_and_writes_nothing"),
    (RefusesALandedRetry, "test_concurrency_a_retried_append_that_had_landed_is_a_no_op"),
    (ChecksAStaleHead, "test_concurrency_writers_racing_on_one_head_one_wins"),
    (TakesNoWriteLock, "test_concurrency_threads_with_retries_store_each_record_once"),
    (LandsRowByRow, "test_concurrency_a_reader_sees_a_batch_whole_or_not_at_all"),
    (AnswersWhenClosed, "test_a_closed_store_refuses_use"),
    (HasADelete, "test_append_only_there_is_no_update_or_delete"),
    (SwapsAtAPageBoundary, "test_positions_are_gapless_in_append_order"),
    (SwapsAtAPageBoundary, "test_read_from_a_position_and_up_to_one"),
    (GetsTheOneBefore, "test_read_by_id"),
    (FetchesInPositionOrder, "test_fetch_positions_in_the_order_asked"),
    (InvolvingMissesTheLast, "test_involving_an_actor_a_place_or_a_record"),
    (OccurredBetweenHalfOpen, "test_occurred_between"),
    (DropsListeners, "test_subscribe_delivers_existing_then_new_records_in_order"),
    (IgnoresStopWithKinds, "test_read_by_kind"),
    (MangelsAConfirmation, "test_every_record_kind_reads_back_exactly"),
    (ListsOneDangling, "test_references_strict_false_admits_out_of_order_and_lists_dangling"),
    (IndexRowsSkipAKindsFirst, "test_index_rows_agree_with_the_records"),
    (StreamsOneByOne, "test_stream_an_iterable_that_fails_writes_nothing"),
    (HashesOtherBytes, "test_hash_chain_follows_the_documented_formula"),
    (VerifySkipsTheLast, "test_verify_reports_the_first_changed_position"),
    (VerifiesNothing, "test_verify_catches_an_edit_that_rehashes_its_own_row"),
    (AnswersHeadWhenClosed, "test_a_closed_store_refuses_use"),
    (
        IgnoresAChangedRepeatOfItsKind,
        "test_duplicate_id_with_other_content_names_the_id_and_its_position",
    ),
    (IndexRowsSkipWithSeveralKinds, "test_index_rows_agree_with_the_records"),
    (ReportsTheRowBefore, "test_verify_catches_an_edit_that_rehashes_its_own_row"),
    (GetsAWrongPosition, "test_read_by_id"),
]


def _run_memory(store_class: type[MemoryStore], test: str, tmp_path: Path) -> None:
    suite = _Memory()
    suite.store_class = store_class
    suite.setup_method(None)
    try:
        getattr(suite, test)(tmp_path)
    finally:
        suite.teardown_method(None)


@pytest.mark.parametrize("test", sorted({test for _, test in BROKEN}))
def test_memory_store_passes_each_check_a_broken_store_fails(test: str, tmp_path: Path) -> None:
    _run_memory(MemoryStore, test, tmp_path)


@pytest.mark.parametrize(
    ("store_class", "test"), BROKEN, ids=[f"{c.__name__}-{t}" for c, t in BROKEN]
)
def test_a_broken_store_fails_the_check_of_what_it_breaks(
    store_class: type[MemoryStore], test: str, tmp_path: Path
) -> None:
    # A failed assert, pytest.fail, or the error the store raises where the check
    # expected none (a refused retry); not a slip of the broken store's own code.
    with pytest.raises((Exception, pytest.fail.Exception)) as info:
        _run_memory(store_class, test, tmp_path)
    assert not isinstance(info.value, TypeError | AttributeError | NameError), info.value


class KeepsItsWriteLock(ListStore):
    """Commits without releasing its write lock: the writer that appended first goes
    on (the lock is re-entrant), every other writer waits for it forever."""

    BACKEND = "keeps-its-lock"

    def _commit(self) -> None:
        self._lock.acquire()  # one more hold than the commit below releases
        super()._commit()


@pytest.mark.parametrize(
    "test",
    [
        "test_concurrency_threads_with_retries_store_each_record_once",
        "test_concurrency_writers_racing_on_one_head_one_wins",
    ],
)
def test_a_store_that_keeps_its_write_lock_fails_in_time_saying_why(
    test: str, tmp_path: Path
) -> None:
    """docs/howto/store-backend.md: a concurrency test waits at most THREAD_SECONDS
    for its threads, then fails naming them, instead of hanging the run."""

    class Quick(_Suite):
        THREAD_SECONDS = 1.0

    suite = Quick()
    suite.store_class = KeepsItsWriteLock
    suite.setup_method(None)
    started = time.monotonic()
    try:
        with pytest.raises(AssertionError, match=r"still running after 1 s: a store that"):
            getattr(suite, test)(tmp_path)
    finally:
        suite.teardown_method(None)
    assert time.monotonic() - started < 30
