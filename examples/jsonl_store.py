"""A complete store backend in one file: the log as JSON Lines.

The how-to "Write a store backend" (docs/howto/store-backend.md) walks through it;
``tests/test_example_jsonl_store.py`` runs the shipped ``StoreConformance`` suite on it.

The file holds one JSON object per line:

* a record: ``{"position": 3, "recorded_at": 1709294400000000, "hash": "...",
  "payload": "<the record's canonical JSON>"}``;
* after each batch, a commit marker: ``{"commit": 3, "hash": "..."}`` (the head).

A batch is written with one ``write()`` and one ``fsync()``, its marker last; when the
file is opened, lines after the last marker (a batch cut short by a crash) are not
part of the log and are cut off before the next append. One process at a time may
use a file (threads of that process may share the store).

Run it to see it work: ``python examples/jsonl_store.py``.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from conflict_timeline import StoreError, Timeline, from_json
from conflict_timeline.stores import (
    GENESIS_HASH,
    Clock,
    Prepared,
    Problem,
    Recorded,
    Store,
    StoreBase,
    StoredRow,
    register_backend,
)


class _Row(NamedTuple):
    """One committed record, as this store keeps it in memory."""

    position: int
    recorded_at_us: int
    hash: str
    payload: bytes
    id: str
    kind: str


class JsonlStore(StoreBase):
    """An append-only log in a JSON Lines file, indexed in memory when opened."""

    BACKEND = "jsonl"

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Clock | None = None,
        create: bool = True,
        read_only: bool = False,
    ) -> None:
        super().__init__(clock=clock)
        self.path = Path(path)
        self.read_only = read_only
        exists = self.path.exists()
        if not exists and (read_only or not create):
            msg = f"{self.path}: no such timeline file"
            raise StoreError(msg)
        if exists and self.path.stat().st_size == 0 and (read_only or not create):
            msg = f"{self.path}: an empty file (0 bytes), not a timeline"
            raise StoreError(msg)
        if not exists:
            self.path.touch()
        self._lock = threading.RLock()
        self._pending: list[Prepared] = []
        self._closed = False
        self._rows: list[_Row] = []
        self._by_id: dict[str, int] = {}
        self._size = 0  # bytes of the file up to the last commit marker
        self._load()

    def _load(self) -> None:
        """Read the committed log; remember where the last batch ended."""
        batch: list[_Row] = []
        offset = 0
        with self.path.open("rb") as f:
            for number, line in enumerate(f, start=1):
                offset += len(line)
                try:
                    item = json.loads(line)
                    if "commit" in item:
                        self._rows.extend(batch)
                        batch = []
                        self._size = offset
                        continue
                    payload = item["payload"].encode("utf-8")
                    record = from_json(payload)
                except (ValueError, KeyError, TypeError, AttributeError) as exc:
                    msg = f"{self.path}, line {number}: not a JSONL timeline line ({exc})"
                    raise StoreError(msg) from exc
                position = len(self._rows) + len(batch) + 1
                when, digest = item["recorded_at"], item["hash"]
                batch.append(_Row(position, when, digest, payload, record.id, record.KIND))
        for row in self._rows:
            self._by_id.setdefault(row.id, row.position)

    def _check_open(self) -> None:
        if self._closed:
            msg = f"{self.path}: this JsonlStore is closed"
            raise StoreError(msg)

    # -- the write transaction -------------------------------------------------------

    def _begin(self) -> None:
        self._lock.acquire()  # released by _commit or _rollback
        if self._closed or self.read_only:
            self._lock.release()
            why = "closed" if self._closed else "opened read-only"
            msg = f"{self.path}: this JsonlStore is {why}; nothing was written"
            raise StoreError(msg)
        self._pending = []

    def _write(self, batch: Sequence[Prepared]) -> None:
        self._pending.extend(batch)  # held back until _commit: a later slice may fail

    def _commit(self) -> None:
        if not self._pending:  # every record of the batch was stored already
            self._lock.release()
            return
        lines = [
            json.dumps(
                {
                    "position": p.position,
                    "recorded_at": p.recorded_at_us,
                    "hash": p.hash,
                    "payload": p.payload.decode("utf-8"),
                }
            )
            for p in self._pending
        ]
        last = self._pending[-1]
        lines.append(json.dumps({"commit": last.position, "hash": last.hash}))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        try:
            with self.path.open("r+b") as f:
                f.truncate(self._size)  # drop a batch a crash cut short, if any
                f.seek(self._size)
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            msg = f"{self.path}: append failed: {exc}; nothing of this batch was written"
            raise StoreError(msg) from exc  # _rollback follows, and cuts the file back
        self._size += len(data)
        for p in self._pending:
            self._rows.append(
                _Row(p.position, p.recorded_at_us, p.hash, p.payload, p.record.id, p.record.KIND)
            )
            self._by_id[p.record.id] = p.position
        self._pending = []
        self._lock.release()

    def _rollback(self) -> None:
        try:
            self._pending = []
            if self.path.stat().st_size > self._size:
                os.truncate(self.path, self._size)
        finally:
            self._lock.release()

    def _lookup(self, ids: Collection[str]) -> dict[str, tuple[int, str, bytes]]:
        found = {}
        for rid in ids:
            position = self._by_id.get(rid)
            if position is not None:
                row = self._rows[position - 1]
                found[rid] = (position, row.kind, row.payload)
        return found

    def _head_and_hash(self) -> tuple[int, str]:
        self._check_open()
        if not self._rows:
            return 0, GENESIS_HASH
        return len(self._rows), self._rows[-1].hash

    # -- what verify() walks: the file itself, not the index in memory ----------------

    def _verify_rows(self) -> Iterator[StoredRow | Problem]:
        with self._lock:
            self._check_open()
            count, last_hash = 0, GENESIS_HASH
            batch: list[StoredRow] = []
            with self.path.open("rb") as f:
                for number, line in enumerate(f, start=1):
                    try:
                        item: dict[str, Any] = json.loads(line)
                        if "commit" in item:
                            for row in batch:  # a committed batch: its rows count
                                yield row  # verify() comes back only if the row was sound
                                count, last_hash = count + 1, row.hash
                            batch = []
                            if (item["commit"], item["hash"]) != (count, last_hash):
                                yield Problem(count + 1, f"line {number}: a wrong commit marker")
                            continue
                        batch.append(
                            StoredRow(
                                item["position"],
                                item["recorded_at"],
                                item["hash"],
                                item["payload"].encode("utf-8"),
                            )
                        )
                    except (ValueError, KeyError, TypeError, AttributeError):
                        yield Problem(count + 1, f"line {number} is not a JSONL timeline line")
            # Rows after the last marker (a batch a crash cut short) are not in the log.
            if count < len(self._rows):
                yield Problem(count + 1, f"the file ends at position {count}, it held more")

    # -- reads -------------------------------------------------------------------------

    def _recorded_row(self, row: _Row) -> Recorded:
        return self._recorded(row.position, row.recorded_at_us, row.hash, from_json(row.payload))

    def read(
        self, *, start: int = 1, stop: int | None = None, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        # Checks the bounds (an int each: QueryError, now, if not) and brings them
        # within 1 and a position past any head.
        start, stop = self._bounds("read", start, stop)
        self._check_open()
        rows = self._rows[start - 1 : stop]  # a snapshot
        wanted = None if kinds is None else set(kinds)
        return (self._recorded_row(r) for r in rows if wanted is None or r.kind in wanted)

    def head(self) -> int:
        self._check_open()
        return len(self._rows)

    def close(self) -> None:
        self._closed = True


def open_jsonl(
    target: str, *, clock: Clock | None = None, create: bool = True, read_only: bool = False
) -> Store:
    """The opener for ``jsonl:PATH`` targets (see ``register_backend``)."""
    _, _, path = target.partition(":")
    return JsonlStore(path, clock=clock, create=create, read_only=read_only)


def main() -> None:
    from conflict_timeline.datasets import karabakh_oct_2020  # noqa: PLC0415

    register_backend("jsonl", open_jsonl)
    with tempfile.TemporaryDirectory() as folder:
        target = f"jsonl:{Path(folder) / 'karabakh.jsonl'}"
        with Timeline.open(target) as timeline:
            timeline.append(*karabakh_oct_2020())
            print(f"appended {len(timeline)} records to a {type(timeline.store).__name__}")
        with Timeline.open(target, create=False) as timeline:
            print(f"reopened: {len(timeline)} records; verify: {timeline.verify().ok}")
            attack = timeline.get("stepanakert-market")
            assert attack is not None
            print(f"position {attack.position}: {attack.kind} {attack.id}")
            print(f"involving shushi: {[r.id for r in timeline.involving('shushi')]}")


if __name__ == "__main__":
    main()
