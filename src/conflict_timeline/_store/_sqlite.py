"""The SQLite store: one file, WAL, the embedded default.

Layout (schema version 1, ``PRAGMA application_id`` marks the file as ours):

* ``records``: one row per record, ``position`` as the rowid. Besides the canonical
  JSON ``payload`` and the chained ``hash`` it keeps the columns queries cut on, as
  integer epoch microseconds: ``occurred_lo``/``occurred_last``,
  ``reported_lo``/``reported_last`` (knowledge time, ``recorded_at`` when the record
  has none) and ``recorded_at``; and ``kind``, ``id`` and ``target`` (what a
  correction or retraction acts on). Indexes serve reads by id, kind, occurred time.
* ``refs``: one row per reference (record position, field, referenced id, what it
  must be), indexed by referenced id, so "everything involving Stepanakert" is an
  index lookup.

Every statement is parameterised; table and column names are constants of this module.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Final

from .._errors import StoreError
from .._serialization import record_from_stored
from ._base import (
    GENESIS_HASH,
    Clock,
    Dangling,
    IndexRow,
    Prepared,
    Recorded,
    StoreBase,
    Verification,
    chain_hash,
    index_row,
)

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]

APPLICATION_ID: Final = 0x43544C31  # "CTL1"
SCHEMA_VERSION: Final = 1

_SCHEMA: Final = (
    """CREATE TABLE records (
        position INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        occurred_lo INTEGER NOT NULL,
        occurred_last INTEGER NOT NULL,
        reported_lo INTEGER NOT NULL,
        reported_last INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL,
        target TEXT,
        payload BLOB NOT NULL,
        hash TEXT NOT NULL
    )""",
    "CREATE INDEX records_kind ON records (kind, position)",
    "CREATE INDEX records_occurred ON records (occurred_lo, occurred_last)",
    "CREATE INDEX records_target ON records (target) WHERE target IS NOT NULL",
    """CREATE TABLE refs (
        ref TEXT NOT NULL,
        position INTEGER NOT NULL,
        field TEXT NOT NULL,
        what TEXT NOT NULL
    )""",
    "CREATE INDEX refs_ref ON refs (ref, position)",
)

_ENVELOPE: Final = "position, recorded_at, hash, payload"
_INDEX_COLS: Final = (
    "position, id, kind, occurred_lo, occurred_last, reported_lo, reported_last, target"
)
_CHUNK: Final = 500  # ids per "IN (...)" query, under SQLite's variable limit


def _marks(n: int) -> str:
    return ",".join("?" * n)


class SQLiteStore(StoreBase):
    """An append-only log in one SQLite file (WAL mode, ``synchronous=FULL``).

    A committed append survives process death and power loss; a batch is one
    transaction, so it lands whole or not at all. Several processes may append to
    the same file: writers serialise on SQLite's write lock and positions stay
    gapless. The connection may be shared by threads (calls are serialised).

    Raises:
        StoreError: when the file is not a timeline, was written by a newer schema,
            cannot be opened or written (read-only, disk full), or stays locked.
    """

    BACKEND = "sqlite"

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Clock | None = None,
        timeout: float = 10.0,
        create: bool = True,
    ) -> None:
        super().__init__(clock=clock)
        self.path = Path(path)
        if not create and not self.path.exists():
            msg = f"{self.path}: no such timeline file"
            raise StoreError(msg)
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            msg = f"{self.path}: cannot open: {exc}"
            raise StoreError(msg) from exc
        try:
            self._open()
        except BaseException:
            self._db.close()
            raise

    def _open(self) -> None:
        db = self._db
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            msg = f"{self.path}: not a conflict_timeline file ({exc})"
            raise StoreError(msg) from exc
        if tables and app_id != APPLICATION_ID:
            msg = (
                f"{self.path}: not a conflict_timeline file (an SQLite database of another "
                "application); refusing to touch it"
            )
            raise StoreError(msg)
        if app_id == APPLICATION_ID and version > SCHEMA_VERSION:
            msg = (
                f"{self.path}: written by a newer conflict_timeline (schema {version}, this "
                f"library reads up to {SCHEMA_VERSION}); upgrade conflict_timeline"
            )
            raise StoreError(msg)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            if not tables:
                db.execute("BEGIN IMMEDIATE")
                # Another process may have created it between our check and the lock.
                if not db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    for statement in _SCHEMA:
                        db.execute(statement)
                    db.execute(f"PRAGMA application_id={APPLICATION_ID:d}")
                    db.execute(f"PRAGMA user_version={SCHEMA_VERSION:d}")
                db.execute("COMMIT")
        except sqlite3.Error as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            msg = f"{self.path}: cannot initialise the timeline file: {exc}"
            raise StoreError(msg) from exc

    # -- primitives ------------------------------------------------------------------

    def _error(self, exc: sqlite3.Error, doing: str) -> StoreError:
        text = str(exc)
        if "locked" in text or "busy" in text:
            hint = "another process holds the write lock; retry later"
        elif "readonly" in text or "read-only" in text:
            hint = "the file or its folder is read-only"
        elif "full" in text:
            hint = "the disk is full; nothing of this batch was written"
        else:
            hint = "nothing of this batch was written"
        return StoreError(f"{self.path}: {doing} failed: {text} ({hint})")

    def _begin(self) -> None:
        self._lock.acquire()
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            self._lock.release()
            raise self._error(exc, "append") from exc

    def _commit(self) -> None:
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self._error(exc, "commit") from exc  # the caller's _rollback releases
        self._lock.release()

    def _rollback(self) -> None:
        try:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
        finally:
            self._lock.release()

    def _lookup(self, ids: Collection[str]) -> dict[str, tuple[int, str, bytes]]:
        out: dict[str, tuple[int, str, bytes]] = {}
        wanted = list(ids)
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            marks = _marks(len(chunk))
            sql = f"SELECT id, position, kind, payload FROM records WHERE id IN ({marks})"
            rows = self._db.execute(sql, chunk)
            for rid, position, kind, payload in rows:
                out[rid] = (position, kind, bytes(payload))
        return out

    def _head_and_hash(self) -> tuple[int, str]:
        row = self._db.execute(
            "SELECT position, hash FROM records ORDER BY position DESC LIMIT 1"
        ).fetchone()
        return (0, GENESIS_HASH) if row is None else (row[0], row[1])

    def _write(self, batch: Sequence[Prepared]) -> None:
        try:
            self._db.executemany(
                "INSERT INTO records (position, id, kind, occurred_lo, occurred_last, "
                "reported_lo, reported_last, recorded_at, target, payload, hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        p.position,
                        p.row.id,
                        p.row.kind,
                        p.row.occ_lo,
                        p.row.occ_last,
                        p.row.rep_lo,
                        p.row.rep_last,
                        p.recorded_at_us,
                        p.row.target,
                        p.payload,
                        p.hash,
                    )
                    for p in batch
                ],
            )
            self._db.executemany(
                "INSERT INTO refs (ref, position, field, what) VALUES (?, ?, ?, ?)",
                [(ref, p.position, field, what) for p in batch for field, ref, what in p.refs],
            )
        except sqlite3.Error as exc:
            raise self._error(exc, "append") from exc

    # -- reads -----------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise self._error(exc, "read") from exc

    def _decode(self, rows: Sequence[tuple[object, ...]]) -> list[Recorded]:
        out = []
        for position, recorded_at, digest, payload in rows:
            record = record_from_stored(payload)  # type: ignore[arg-type]
            out.append(self._recorded(position, recorded_at, digest, record))  # type: ignore[arg-type]
        return out

    def _stream(self, sql: str, params: Sequence[object]) -> Iterator[Recorded]:
        # Page by position so a long read holds no lock between pages.
        last = 0
        while True:
            rows = self._rows(sql, (*params, last, 2_000))
            if not rows:
                return
            yield from self._decode(rows)
            last = rows[-1][0]  # type: ignore[assignment]

    def head(self) -> int:
        """The last position (0 when empty)."""
        value = self._rows("SELECT max(position) FROM records")[0][0]
        return value if isinstance(value, int) else 0

    def read(
        self, *, start: int = 1, stop: int | None = None, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        """Records with ``start <= position <= stop`` (of ``kinds``), in order."""
        end = stop if stop is not None else (1 << 62)
        where = "position >= ? AND position <= ?"
        params: list[object] = [start, end]
        if kinds is not None:
            kinds = list(kinds)
            where += f" AND kind IN ({_marks(len(kinds))})"
            params.extend(kinds)
        sql = (
            f"SELECT {_ENVELOPE} FROM records WHERE {where} AND position > ? "
            "ORDER BY position LIMIT ?"
        )
        return self._stream(sql, params)

    def get(self, record_id: str) -> Recorded | None:
        """The record with that id, or None."""
        rows = self._rows(f"SELECT {_ENVELOPE} FROM records WHERE id = ?", (record_id,))
        return self._decode(rows)[0] if rows else None

    def fetch(self, positions: Sequence[int]) -> list[Recorded]:
        """The records at ``positions``, in that order."""
        found: dict[int, Recorded] = {}
        wanted = list(positions)
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            rows = self._rows(
                f"SELECT {_ENVELOPE} FROM records WHERE position IN ({_marks(len(chunk))})",
                chunk,
            )
            for recorded in self._decode(rows):
                found[recorded.position] = recorded
        return [found[p] for p in positions]

    def involving(self, ref_id: str) -> Iterator[Recorded]:
        """Records that refer to ``ref_id``, in position order (an index lookup)."""
        sql = (
            f"SELECT {_ENVELOPE} FROM records WHERE position IN "
            "(SELECT position FROM refs WHERE ref = ?) AND position > ? "
            "ORDER BY position LIMIT ?"
        )
        return self._stream(sql, (ref_id,))

    def occurred_between(
        self, lo_us: int, hi_us: int, *, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        """Records whose ``occurred`` overlaps ``[lo_us, hi_us]``, in position order."""
        where = "occurred_lo <= ? AND occurred_last >= ?"
        params: list[object] = [hi_us, lo_us]
        if kinds is not None:
            kinds = list(kinds)
            where += f" AND kind IN ({_marks(len(kinds))})"
            params.extend(kinds)
        rows = self._rows(f"SELECT {_ENVELOPE} FROM records WHERE {where}", params)
        return iter(sorted(self._decode(rows), key=lambda r: r.position))

    def index_rows(
        self, *, start: int = 1, kinds: Collection[str] | None = None
    ) -> Iterator[IndexRow]:
        """Light rows for projections, in position order, decoded from columns only."""
        where = "position >= ?"
        params: list[object] = [start]
        if kinds is not None:
            kinds = list(kinds)
            where += f" AND kind IN ({_marks(len(kinds))})"
            params.extend(kinds)
        rows = self._rows(
            f"SELECT {_INDEX_COLS} FROM records WHERE {where} ORDER BY position", params
        )
        return (IndexRow(*row) for row in rows)  # type: ignore[arg-type]

    def verify(self) -> Verification:
        """Recompute the hash chain and check each row's columns against its payload.

        Reports the first position that is missing, out of sequence, whose hash does
        not match, or whose indexed columns disagree with its payload.
        """
        previous = GENESIS_HASH
        expected = 1
        sql = (
            "SELECT position, recorded_at, hash, payload, id, kind, occurred_lo, "
            "occurred_last, reported_lo, reported_last, target FROM records "
            "WHERE position >= ? ORDER BY position LIMIT ?"
        )
        while True:
            rows = self._rows(sql, (expected, 5_000))
            if not rows:
                return Verification(True, expected - 1)
            for position, recorded_at, digest, payload, *columns in rows:
                if position != expected:
                    return Verification(False, expected - 1, expected, "position missing")
                if not isinstance(payload, bytes) or not isinstance(recorded_at, int):
                    return Verification(False, expected - 1, expected, "row has wrong types")
                if chain_hash(previous, expected, recorded_at, payload) != digest:
                    return Verification(False, expected - 1, expected, "hash does not match")
                try:
                    record = record_from_stored(payload)
                except Exception:  # any decoding failure is a mismatch, reported as such
                    return Verification(False, expected - 1, expected, "payload does not decode")
                if tuple(index_row(record, expected, recorded_at)[1:]) != tuple(columns):
                    return Verification(
                        False, expected - 1, expected, "indexed columns do not match payload"
                    )
                previous = str(digest)
                expected += 1

    def dangling_references(self) -> list[Dangling]:
        """References that do not resolve, found with one SQL join."""
        rows = self._rows(
            "SELECT refs.position, r.id, refs.field, refs.ref, refs.what "
            "FROM refs JOIN records r ON r.position = refs.position "
            "LEFT JOIN records t ON t.id = refs.ref "
            "WHERE t.id IS NULL OR (refs.what = 'actor' AND t.kind != 'ActorDefined') "
            "OR (refs.what = 'place' AND t.kind != 'PlaceDefined') "
            "OR (refs.what = 'commitment' AND t.kind != 'Commitment') "
            "OR (refs.what = 'attack' AND t.kind != 'Attack') "
            "ORDER BY refs.position"
        )
        return [Dangling(*row) for row in rows]  # type: ignore[arg-type]

    def explain(self, sql: str, params: Sequence[object] = ()) -> list[str]:
        """SQLite's ``EXPLAIN QUERY PLAN`` details for one of this store's queries."""
        rows = self._rows(f"EXPLAIN QUERY PLAN {sql}", params)
        return [str(row[-1]) for row in rows]

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self._db.close()
