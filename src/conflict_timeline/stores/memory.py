"""The in-memory store: for tests, notebooks and short-lived analyses."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Sequence

from .._records import Record
from ..errors import StoreError
from ._base import (
    GENESIS_HASH,
    Clock,
    Dangling,
    IndexRow,
    Prepared,
    Recorded,
    SavedState,
    StoreBase,
    StoredRow,
)

__all__ = ["MemoryStore"]


class MemoryStore(StoreBase):
    """An append-only log held in memory; gone when the process ends.

    It keeps the canonical payload of every record beside the record itself, so
    `verify` recomputes the same hash chain a file-backed store does. Appends
    are serialised by a lock, so threads may share one store.
    """

    BACKEND = "memory"

    def __init__(self, *, clock: Clock | None = None) -> None:
        super().__init__(clock=clock)
        self._rows: list[Prepared] = []
        self._by_id: dict[str, int] = {}
        self._refs: dict[str, list[int]] = {}
        self._pending: list[Sequence[Prepared]] = []  # slices written, not yet committed
        self._began = 0  # the head when the append under way began
        self._lock = threading.RLock()
        self._closed = False
        self._states: dict[str, SavedState] = {}

    def _check_open(self) -> None:
        if self._closed:
            msg = "this MemoryStore is closed"
            raise StoreError(msg)

    # -- primitives ------------------------------------------------------------------

    def _begin(self) -> None:
        self._lock.acquire()  # released by _commit or _rollback
        try:
            self._check_open()
        except BaseException:
            self._lock.release()
            raise
        self._began = len(self._rows)

    def _commit(self) -> None:
        # The rows land in one step, so a reader sees all of the batch or none of it;
        # should indexing them fail (MemoryError, an interrupt), _rollback undoes it.
        rows = [item for batch in self._pending for item in batch]
        self._rows.extend(rows)
        for item in rows:
            self._by_id[item.record.id] = item.position
            for ref in dict.fromkeys(ref for _, ref, _ in item.refs):
                self._refs.setdefault(ref, []).append(item.position)
        self._pending = []
        self._lock.release()

    def _rollback(self) -> None:
        # Undo whatever a failed _commit applied: rows past the head the batch began at.
        try:
            self._pending = []
            undone = self._rows[self._began :]
            if undone:
                del self._rows[self._began :]
                for item in undone:
                    if self._by_id.get(item.record.id) == item.position:
                        del self._by_id[item.record.id]
                    for ref in dict.fromkeys(ref for _, ref, _ in item.refs):
                        kept = self._refs.get(ref)
                        while kept and kept[-1] > self._began:
                            kept.pop()
                        if kept == []:
                            del self._refs[ref]
        finally:
            self._lock.release()

    def _lookup(self, ids: Collection[str]) -> dict[str, tuple[int, str, bytes]]:
        out = {}
        for rid in ids:
            position = self._by_id.get(rid)
            if position is not None:
                row = self._rows[position - 1]
                out[rid] = (position, row.row.kind, row.payload)
        return out

    def _fixes_targeting(self, ids: Collection[str]) -> list[tuple[int, Record]]:
        # A fix names its target in a reference: the references index finds it.
        out: list[tuple[int, Record]] = []
        for rid in ids:
            for position in self._refs.get(rid, ()):
                item = self._rows[position - 1]
                if item.row.target == rid:
                    out.append((position, item.record))
        return out

    def _head_and_hash(self) -> tuple[int, str]:
        if not self._rows:
            return 0, GENESIS_HASH
        return len(self._rows), self._rows[-1].hash

    def _write(self, batch: Sequence[Prepared]) -> None:
        # Held back until _commit: a later slice of the same append may still fail.
        self._pending.append(batch)

    # -- reads -----------------------------------------------------------------------

    def _envelope(self, item: Prepared) -> Recorded:
        return self._recorded(item.position, item.recorded_at_us, item.hash, item.record)

    def head(self) -> int:
        """The last position (0 when empty)."""
        self._check_open()
        return len(self._rows)

    def read(
        self, *, start: int = 1, stop: int | None = None, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        """Records with ``start <= position <= stop`` (of ``kinds``), in order."""
        start, stop = self._bounds("read", start, stop)
        self._check_open()
        # A slice is a snapshot: records appended while iterating are not included.
        return self._select(self._rows[start - 1 : stop], kinds)

    def _select(self, items: list[Prepared], kinds: Collection[str] | None) -> Iterator[Recorded]:
        wanted = set(kinds) if kinds is not None else None
        for item in items:
            if wanted is None or item.row.kind in wanted:
                yield self._envelope(item)

    def get(self, record_id: str) -> Recorded | None:
        """The record with that id, or None."""
        self._check_open()
        position = self._by_id.get(record_id)
        return None if position is None else self._envelope(self._rows[position - 1])

    def fetch(self, positions: Sequence[int]) -> list[Recorded]:
        """The records at ``positions``, in that order.

        Raises:
            RecordNotFoundError: naming the first position that holds no record.
        """
        self._check_open()
        rows = self._rows
        out = []
        for p in positions:
            if not self._is_position(p) or not 1 <= p <= len(rows):
                raise self._missing(p, len(rows))
            out.append(self._envelope(rows[p - 1]))
        return out

    def involving(self, ref_id: str) -> Iterator[Recorded]:
        """Records that refer to ``ref_id``, in position order."""
        self._check_open()
        positions = tuple(self._refs.get(ref_id, ()))
        return (self._envelope(self._rows[p - 1]) for p in positions)

    def occurred_between(
        self, lo_us: int, hi_us: int, *, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        """Records whose ``occurred`` overlaps ``[lo_us, hi_us]``, in position order."""
        self._check_open()
        wanted = set(kinds) if kinds is not None else None
        hits = [
            item
            for item in self._rows
            if item.row.occ_lo <= hi_us
            and item.row.occ_last >= lo_us
            and (wanted is None or item.row.kind in wanted)
        ]
        return (self._envelope(item) for item in hits)

    def index_rows(
        self, *, start: int = 1, kinds: Collection[str] | None = None
    ) -> Iterator[IndexRow]:
        """Light rows for projections, in position order."""
        start, _ = self._bounds("index_rows", start)
        self._check_open()
        wanted = set(kinds) if kinds is not None else None
        return (
            item.row
            for item in self._rows[start - 1 :]
            if wanted is None or item.row.kind in wanted
        )

    def _verify_rows(self) -> Iterator[StoredRow]:
        """The rows as held, each with its index row, references and decoded record."""
        self._check_open()
        for item in list(self._rows):
            yield StoredRow(
                item.position,
                item.recorded_at_us,
                item.hash,
                item.payload,
                item.row,
                [(field, ref, what) for field, ref, what in item.refs],
                item.record,  # type: ignore[arg-type]
            )

    def dangling_references(self) -> list[Dangling]:
        """References that do not resolve."""
        self._check_open()
        rows = (
            (item.position, item.record.id, field, ref, what)
            for item in self._rows
            for field, ref, what in item.refs
        )

        def exists(ref: str) -> str | None:
            position = self._by_id.get(ref)
            return None if position is None else self._rows[position - 1].row.kind

        return self._dangling(rows, exists)

    # -- saved view states (StateKeeper) ----------------------------------------------

    def save_state(self, saved: SavedState) -> None:
        """Keep a view's saved state (in memory, like the records)."""
        with self._lock:
            self._check_open()
            self._states[saved.view] = saved

    def load_state(self, view: str) -> SavedState | None:
        """The state kept for ``view``, if any."""
        with self._lock:
            self._check_open()
            return self._states.get(view)

    def chain_hash_at(self, position: int) -> str | None:
        """The chain hash at ``position`` (``GENESIS_HASH`` at 0, None past the head)."""
        at = self._hash_position(position)
        with self._lock:
            self._check_open()
            if at == 0:
                return GENESIS_HASH
            if at is not None and 0 < at <= len(self._rows):
                return self._rows[at - 1].hash
            return None

    def forget_states(self) -> int:
        """Drop every saved state; how many there were."""
        with self._lock:
            self._check_open()
            count = len(self._states)
            self._states.clear()
            return count

    def close(self) -> None:
        """Mark the store closed; reads and appends raise StoreError afterwards."""
        self._closed = True
