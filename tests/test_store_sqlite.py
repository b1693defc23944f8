"""SQLiteStore passes the shipped store conformance suite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conflict_timeline import SQLiteStore, Store
from conflict_timeline.stores import Clock
from conflict_timeline.testing import StoreConformance


class TestSQLiteStore(StoreConformance):
    def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        return SQLiteStore(tmp_path / "timeline.db", clock=clock)

    def reopen_store(self, store: Store, clock: Clock) -> Store:
        assert isinstance(store, SQLiteStore)
        store.close()
        return SQLiteStore(store.path, clock=clock, create=False)

    def rewrite(self, store: Store, position: int, payload: bytes, digest: str) -> bool:
        assert isinstance(store, SQLiteStore)
        with sqlite3.connect(store.path) as db:
            db.execute(
                "UPDATE records SET payload = ?, hash = ? WHERE position = ?",
                (payload, digest, position),
            )
        return True

    def corrupt(self, store: Store, position: int) -> bool:
        # Flip one bit in the middle of the stored payload, through raw sqlite3.
        assert isinstance(store, SQLiteStore)
        with sqlite3.connect(store.path) as db:
            (payload,) = db.execute(
                "SELECT payload FROM records WHERE position = ?", (position,)
            ).fetchone()
            changed = bytearray(payload)
            changed[len(changed) // 2] ^= 0x01
            db.execute(
                "UPDATE records SET payload = ? WHERE position = ?", (bytes(changed), position)
            )
        return True
