"""The SQLite store: one file, WAL, the embedded default.

Layout (schema version 1; ``PRAGMA application_id`` marks the file as ours and
``PRAGMA user_version`` holds the schema version):

* ``records``: one row per record, ``position`` as the rowid. Besides the canonical
  JSON ``payload`` and the chained ``hash`` it keeps the columns queries cut on, as
  integer epoch microseconds: ``occurred_lo``/``occurred_last``,
  ``reported_lo``/``reported_last`` (knowledge time, ``recorded_at`` when the record
  has none) and ``recorded_at``; and ``kind``, ``id`` and ``target`` (what a
  correction or retraction acts on). Indexes serve reads by id, kind, occurred time.
* ``refs``: one row per reference (referenced id, record position, field, what it
  must be), keyed by referenced id (``WITHOUT ROWID``: the table is its own index),
  so "everything involving Stepanakert" is one index range.
* ``head``: one row, the last position and its hash, written in the same
  transaction as the records. It anchors the chain: `SQLiteStore.verify`
  notices rows cut off the end of the log, which the chain alone cannot show.

Every statement is parameterised; table and column names are constants of this module.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any, Final, cast

from .._records import Record
from .._serialization import record_from_stored
from ..errors import ConflictTimelineError, DamagedStoreError, StoreError
from ._base import (
    EXPECTED_KIND,
    GENESIS_HASH,
    Clock,
    Dangling,
    IndexRow,
    Prepared,
    Problem,
    Recorded,
    RefsReader,
    SavedState,
    StoreBase,
    StoredRow,
    index_rows_of,
    saved_state_of,
    unreadable,
)

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "SQLiteStore"]

APPLICATION_ID: Final = 0x43544C31  # "CTL1"
"""``PRAGMA application_id`` of a timeline file."""

SCHEMA_VERSION: Final = 1
"""``PRAGMA user_version`` of the files this library writes."""

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
        what TEXT NOT NULL,
        PRIMARY KEY (ref, position, field)
    ) WITHOUT ROWID""",
    """CREATE TABLE head (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        position INTEGER NOT NULL,
        hash TEXT NOT NULL
    )""",
)

PAGE_SIZE: Final = 16_384
"""``PRAGMA page_size`` of a new file. Against SQLite's default of 4096, it makes a
bulk append of 1M records about a fifth faster (fewer, fuller B-tree pages for rows of
about 700 bytes and their indexes) and leaves reads by id, kind or place as fast."""

_ENVELOPE: Final = "position, recorded_at, hash, payload"
_INDEX_COLS: Final = (
    "position, id, kind, occurred_lo, occurred_last, reported_lo, reported_last, target"
)
_EXPECTED_JSON: Final = json.dumps(EXPECTED_KIND, sort_keys=True)
_SCAN_SHARE: Final = 0.25
"""The share of the rows past a read's start above which `SQLiteStore.index_rows` scans
the table rather than the kind index (measured at 1M records: 15k rows of 1M read 0.06 s
through the index and 0.3 s by the scan; 927k rows 2.0 s and 1.3 s)."""
_CHUNK: Final = 500  # ids per "IN (...)" query, under SQLite's variable limit
_PAGE: Final = 2_000  # envelopes decoded per query on streaming reads
_STATE_PART: Final = 64 * 1024 * 1024  # bytes of a saved state per row (SQLite's limit: 1e9)
# Saved view states (see Timeline.save_checkpoints): not records, outside the chain.
# Created on the first save, so files written before they existed read unchanged.
_STATE_SCHEMA: Final = (
    """CREATE TABLE IF NOT EXISTS view_states (
        view TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        head INTEGER NOT NULL,
        chain TEXT NOT NULL,
        digest TEXT NOT NULL,
        saved_at INTEGER NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS view_state_parts (
        view TEXT NOT NULL,
        part INTEGER NOT NULL,
        bytes BLOB NOT NULL,
        PRIMARY KEY (view, part)
    )""",
)


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _kind_of(exc: sqlite3.Error) -> str:
    """What went wrong, from SQLite's error code (or, failing that, its message)."""
    name = str(getattr(exc, "sqlite_errorname", ""))
    text = str(exc).lower()
    if name.startswith("SQLITE_NOTADB") or "file is not a database" in text:
        return "notadb"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text or "busy" in text:
        return "locked"
    if name.startswith("SQLITE_READONLY") or "readonly" in text or "read-only" in text:
        return "readonly"
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return "full"
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return "ioerr"
    if name.startswith("SQLITE_CANTOPEN"):
        return "cantopen"
    if name.startswith("SQLITE_CORRUPT") or "database disk image is malformed" in text:
        return "corrupt"
    return "other"


_A_FOLDER: Final = "is a folder (a directory), not a timeline file: name a file in it"
"""What opening a folder as a timeline is told, whether to read or to create one."""


class SQLiteStore(StoreBase):
    """An append-only log in one SQLite file (WAL mode, ``synchronous=FULL``).

    A committed append survives process death and power loss; a batch is one
    transaction, so it lands whole or not at all. Several processes may append to
    the same file: writers serialise on SQLite's write lock and positions stay
    gapless. The connection may be shared by threads (calls are serialised).

    Args:
        path: The timeline file; created (with its schema) when missing.
        clock: Gives ``recorded_at``; the system clock (UTC) by default.
        timeout: Seconds to wait for another writer's lock before giving up.
        create: When False, a missing file, an empty (0-byte) file and an SQLite
            database with no tables are refused instead of becoming a new timeline.
        read_only: Open with SQLite's ``mode=ro``: the file is never created nor
            changed (it must be a timeline already, as with ``create=False``), and
            `append` raises StoreError. SQLite may still create its
            write-ahead-log side files (``-wal``, ``-shm``) beside the file, as any
            reader of a WAL database does; the timeline file itself is not touched.
            In a folder the process may not write, where SQLite cannot create
            them, the file is read as it stands on disk (SQLite's immutable mode:
            no lock is taken, so nothing may write it meanwhile; ``immutable`` is
            then True), unless a ``-wal`` file beside it holds changes not yet in
            the file: that is refused, saying so.

    Raises:
        StoreError: when the file is not a timeline (random bytes, or an SQLite
            database of another application), was written by a newer schema, cannot
            be opened or written (read-only, disk full), or stays locked; with
            ``create=False`` or ``read_only=True``, when it is missing or empty.
    """

    BACKEND = "sqlite"
    SEES_OWN_WRITES = True  # one connection: the open transaction reads its own rows

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Clock | None = None,
        timeout: float = 10.0,
        create: bool = True,
        read_only: bool = False,
    ) -> None:
        super().__init__(clock=clock)
        self.path = Path(path)
        self.read_only = bool(read_only)
        self._create = bool(create) and not self.read_only
        if not self._create:
            self._check_exists()
        self._lock = threading.RLock()
        self._closed = False
        if self._create:
            where: str | Path = self.path
        else:
            # mode=rw and mode=ro never create the file, even if it vanished since the
            # check above.
            mode = "ro" if self.read_only else "rw"
            where = f"{self.path.resolve().as_uri()}?mode={mode}"
        self._connect(where, timeout, uri=not self._create)
        self.immutable = False
        try:
            self._open()
        except StoreError as exc:
            self._db.close()
            if not self._frozen_readable(exc):
                raise
            self._open_immutable(timeout)
        except BaseException:
            self._db.close()
            raise

    def _connect(self, where: str | Path, timeout: float, *, uri: bool) -> None:
        """``self._db``: a connection to ``where``, or StoreError saying why not."""
        try:
            self._db = sqlite3.connect(
                where, timeout=timeout, isolation_level=None, check_same_thread=False, uri=uri
            )
        except sqlite3.Error as exc:
            if self.path.is_dir():  # SQLite says only "unable to open database file"
                msg = f"{self.path}: {_A_FOLDER}"
                raise StoreError(msg) from exc
            folder = Path(os.path.abspath(self.path)).parent
            if not folder.is_dir():  # nor for a folder that is missing, or is a file
                why = "is a file, not a folder" if folder.exists() else "does not exist"
                msg = f"{self.path}: cannot open: the folder {folder} {why}"
                raise StoreError(msg) from exc
            msg = f"{self.path}: cannot open: {exc}"
            raise StoreError(msg) from exc

    def _frozen_readable(self, exc: StoreError) -> bool:
        """May a read-only open that SQLite refused be read as the file stands?

        A reader of a WAL database keeps its index in a ``-shm`` file beside it, which
        SQLite cannot create in a folder the process may not write (a read-only
        share, a mounted volume, a folder of another user): the open fails with
        "readonly" or "cannot open". The file alone is then the whole timeline when no
        ``-wal`` file beside it holds changes not yet written back into it (none, or
        an empty one: its last writer closed it cleanly), and SQLite's immutable mode
        reads it without its index and without locks.
        """
        cause = exc.__cause__
        if not self.read_only or not isinstance(cause, sqlite3.Error):
            return False
        if _kind_of(cause) not in ("readonly", "cantopen"):
            return False
        # SQLite keeps the log beside the file a symlink points at, not the link.
        log = Path(f"{self.path.resolve()}-wal")
        try:
            wal = log.stat().st_size
        except FileNotFoundError:
            return True
        except OSError:
            return False
        if wal:
            named = log.name if log.parent == self.path.parent.resolve() else str(log)
            msg = (
                f"{self.path}: cannot open: SQLite cannot keep its index beside the "
                "file (the folder is read-only to this process, or its -shm is) and its "
                f"write-ahead log ({named}, {wal} bytes) holds changes not "
                "yet written into the file, which SQLite cannot read without that index: "
                "copy the file with its -wal to a writable folder"
            )
            raise StoreError(msg) from exc
        return True

    def _open_immutable(self, timeout: float) -> None:
        """Open the file in SQLite's immutable mode (see `_frozen_readable`): read as
        it stands on disk, no lock taken, so a process that may write it must not
        meanwhile; ``immutable`` says so."""
        self._connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", timeout, uri=True)
        self.immutable = True
        try:
            self._open()
        except BaseException:
            self._db.close()
            raise

    def _check_exists(self) -> None:
        why = "read_only=True" if self.read_only else "create=False"
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            msg = f"{self.path}: no such timeline file"
            raise StoreError(msg) from None
        except OSError as exc:
            msg = f"{self.path}: cannot open: {exc}"
            raise StoreError(msg) from exc
        if self.path.is_dir():
            msg = f"{self.path}: {_A_FOLDER}"
            raise StoreError(msg)
        if size == 0:
            msg = f"{self.path}: an empty file (0 bytes), not a timeline (not created: {why})"
            raise StoreError(msg)

    def _open(self) -> None:
        db = self._db
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.Error as exc:
            if _kind_of(exc) == "notadb":
                msg = f"{self.path}: not a conflict_timeline file ({exc})"
                raise StoreError(msg) from exc
            raise self._error(exc, "open") from exc
        self._check_format(app_id, version, tables)
        if not tables and not self._create:
            why = "read_only=True" if self.read_only else "create=False"
            msg = (
                f"{self.path}: an SQLite database with no tables, not a timeline "
                f"(not created: {why})"
            )
            raise StoreError(msg)
        if self.read_only:
            return
        try:
            if not tables:
                # Only a new file takes it; an existing file keeps the page size it has.
                db.execute(f"PRAGMA page_size={PAGE_SIZE:d}")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            if not tables:
                db.execute("BEGIN IMMEDIATE")
                # Another process may have created it between our check and the lock.
                if not db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    for statement in _SCHEMA:
                        db.execute(statement)
                    db.execute(
                        "INSERT INTO head (one, position, hash) VALUES (1, 0, ?)", (GENESIS_HASH,)
                    )
                    db.execute(f"PRAGMA application_id={APPLICATION_ID:d}")
                    db.execute(f"PRAGMA user_version={SCHEMA_VERSION:d}")
                db.execute("COMMIT")
        except sqlite3.Error as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise self._error(exc, "open") from exc

    def _check_format(self, app_id: int, version: int, tables: int) -> None:
        if app_id != APPLICATION_ID:
            if tables:
                msg = (
                    f"{self.path}: not a conflict_timeline file (an SQLite database of "
                    f"another application, application_id {app_id:#x}); refusing to touch it"
                )
                raise StoreError(msg)
            return  # an empty database: it becomes a timeline
        if version > SCHEMA_VERSION:
            msg = (
                f"{self.path}: written by a newer conflict_timeline (schema {version}, this "
                f"library reads up to {SCHEMA_VERSION}); upgrade conflict_timeline"
            )
            raise StoreError(msg)
        if version < SCHEMA_VERSION or not tables:
            msg = (
                f"{self.path}: a conflict_timeline file with an unknown or damaged schema "
                f"(user_version {version}, {tables} schema objects); refusing to touch it"
            )
            raise StoreError(msg)

    # -- primitives ------------------------------------------------------------------

    def _error(self, exc: sqlite3.Error, doing: str) -> StoreError:
        """A StoreError naming the file, what failed, why, and what to do about it."""
        kind = _kind_of(exc)
        writing = doing in ("append", "commit")
        if kind == "locked":
            hint = "another connection or process holds a lock on the file; retry later"
        elif kind == "readonly":
            hint = (
                "the file or its folder is read-only: SQLite writes beside the file (its "
                "write-ahead log) even to read it, so open it with read_only=True (which "
                "reads it as it stands), or copy the file to a writable folder"
                if doing == "open"
                else "the file or its folder is read-only"
            )
        elif kind == "full":
            hint = "the disk is full: free some space, then append the batch again"
        elif kind == "ioerr":
            hint = "the disk refused a read or write: check the disk, then try again"
            if writing:
                hint = "the disk refused a write: check the disk, then append the batch again"
        elif kind == "corrupt":
            hint = "the file is damaged, its pages overwritten or cut short: " + (
                "restore it from a backup"
                if doing == "open"
                else "run verify, and restore it from a backup"
            )
        else:
            hint = ""
        if writing:
            hint = f"{hint}; nothing of this batch was written" if hint else "nothing written"
        # The file's own pages damaged (overwritten, cut short, a disk's fault) are as
        # a stored record that cannot be read back: the same error.
        error = DamagedStoreError if kind == "corrupt" else StoreError
        return error(f"{self.path}: {doing} failed: {exc}" + (f" ({hint})" if hint else ""))

    def _check_open(self) -> None:
        if self._closed:
            msg = f"{self.path}: this SQLiteStore is closed"
            raise StoreError(msg)

    def _begin(self) -> None:
        self._lock.acquire()
        try:
            self._check_open()
            if self.read_only:
                msg = f"{self.path}: opened read-only (read_only=True); nothing was written"
                raise StoreError(msg)
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            self._lock.release()
            raise self._error(exc, "append") from exc
        except BaseException:
            self._lock.release()
            raise

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

    def _rows_with(self, sql: str, ids: Collection[str]) -> list[tuple[Any, ...]]:
        """The rows of ``sql`` (a query ending in ``IN ({marks})``) for ``ids``, asked
        a chunk of ids at a time, inside an append."""
        out: list[tuple[Any, ...]] = []
        wanted = list(ids)
        try:
            for i in range(0, len(wanted), _CHUNK):
                chunk = wanted[i : i + _CHUNK]
                out += self._db.execute(sql.format(marks=_marks(len(chunk))), chunk).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc, "append") from exc
        return out

    def _lookup(self, ids: Collection[str]) -> dict[str, tuple[int, str, bytes]]:
        sql = "SELECT id, position, kind, payload FROM records WHERE id IN ({marks})"
        return {
            rid: (position, kind, bytes(payload))
            for rid, position, kind, payload in self._rows_with(sql, ids)
        }

    def _fixes_targeting(self, ids: Collection[str]) -> list[tuple[int, Record]]:
        sql = "SELECT position, payload FROM records WHERE target IN ({marks})"
        rows = self._rows_with(sql, ids)
        return [(int(p), record_from_stored(bytes(payload))) for p, payload in rows]

    def _head_and_hash(self) -> tuple[int, str]:
        try:
            row = self._db.execute("SELECT position, hash FROM head").fetchone()
        except sqlite3.Error as exc:
            raise self._error(exc, "append") from exc
        if row is None:
            msg = f"{self.path}: the head row is missing; the file is damaged (see verify())"
            raise StoreError(msg)
        return int(row[0]), str(row[1])

    def _write(self, batch: Sequence[Prepared]) -> None:
        # References go in grouped by referenced id: the refs table is a B-tree on
        # (ref, position, field), so each group lands in one place, in key order.
        by_ref: dict[str, list[tuple[str, int, str, str]]] = {}
        for p in batch:
            for field, ref, what in p.refs:
                group = by_ref.get(ref)
                if group is None:
                    by_ref[ref] = [(ref, p.position, field, what)]
                else:
                    group.append((ref, p.position, field, what))
        try:
            self._db.executemany(
                "INSERT INTO records (position, id, kind, occurred_lo, occurred_last, "
                "reported_lo, reported_last, recorded_at, target, payload, hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        position,
                        row[1],
                        row[2],
                        row[3],
                        row[4],
                        row[5],
                        row[6],
                        recorded_at_us,
                        row[7],
                        payload,
                        digest,
                    )
                    for position, _, payload, digest, recorded_at_us, row, _ in batch
                ],
            )
            self._db.executemany(
                "INSERT INTO refs (ref, position, field, what) VALUES (?, ?, ?, ?)",
                [item for ref in sorted(by_ref) for item in by_ref[ref]],
            )
            last = batch[-1]
            self._db.execute(
                "UPDATE head SET position = ?, hash = ? WHERE one = 1", (last.position, last.hash)
            )
        except sqlite3.Error as exc:
            raise self._error(exc, "append") from exc

    # -- reads -----------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            self._check_open()
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise self._error(exc, "read") from exc

    def _decode(self, rows: Sequence[tuple[object, ...]]) -> list[Recorded]:
        out = []
        for position, recorded_at, digest, payload in rows:
            try:
                record = record_from_stored(payload)  # type: ignore[arg-type]
            except (ConflictTimelineError, ValueError, TypeError) as exc:
                raise unreadable(str(self.path), position, exc, "the file") from exc
            out.append(self._recorded(position, recorded_at, digest, record))  # type: ignore[arg-type]
        return out

    def _stream(self, sql: str, params: Sequence[object]) -> Iterator[Recorded]:
        # Page by position so a long read holds no lock between pages.
        last = 0
        while True:
            rows = self._rows(sql, (*params, last, _PAGE))
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
        start, stop = self._bounds("read", start, stop)
        self._check_open()
        where = "position >= ? AND position <= ?"
        params: list[object] = [start, stop]
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

    def payload_of(self, record_id: str) -> bytes | None:
        """The payload of the record with that id, exactly as stored (undecoded), or
        None: what an import compares a row with before decoding anything."""
        rows = self._rows("SELECT payload FROM records WHERE id = ?", (record_id,))
        return bytes(cast("bytes", rows[0][0])) if rows else None

    def fetch(self, positions: Sequence[int]) -> list[Recorded]:
        """The records at ``positions``, in that order.

        Raises:
            RecordNotFoundError: naming the first position that holds no record.
        """
        found: dict[int, Recorded] = {}
        for rows in self._at(_ENVELOPE, positions):
            for recorded in self._decode(rows):
                found[recorded.position] = recorded
        return self._in_order(found, positions)

    def payloads(self, positions: Sequence[int]) -> list[bytes]:
        """The stored payloads (canonical JSON, undecoded) at ``positions``, in that
        order: for views that fold a few fields of a record (see `PayloadReader`).

        Raises:
            RecordNotFoundError: naming the first position that holds no record.
        """
        found: dict[int, bytes] = {}
        for rows in self._at("position, payload", positions):
            found.update(rows)  # type: ignore[arg-type]
        return self._in_order(found, positions)

    def _at(self, columns: str, positions: Sequence[int]) -> Iterator[list[tuple[object, ...]]]:
        """``columns`` of the rows at ``positions``, a chunk of positions a query (only
        the ints: SQLite would match ``2.0`` or ``True`` to a row; ``_in_order`` refuses
        them)."""
        # Written for speed: the engine's positions are all ints (`_all_ints`).
        wanted = (
            list(positions)
            if self._all_ints(positions)
            else [p for p in positions if self._is_position(p)]
        )
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            yield self._rows(
                f"SELECT {columns} FROM records WHERE position IN ({_marks(len(chunk))})",
                chunk,
            )

    def involving(self, ref_id: str) -> Iterator[Recorded]:
        """Records that refer to ``ref_id``, in position order (an index lookup)."""
        self._check_open()
        sql = (
            f"SELECT {_ENVELOPE} FROM records WHERE position IN "
            "(SELECT position FROM refs WHERE ref = ?) AND position > ? "
            "ORDER BY position LIMIT ?"
        )
        return self._stream(sql, (ref_id,))

    def occurred_between(
        self, lo_us: int, hi_us: int, *, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        """Records whose ``occurred`` overlaps ``[lo_us, hi_us]``, in position order.

        The positions come from the ``records_occurred`` index in one query; the
        records are then decoded a page at a time.
        """
        where = "occurred_lo <= ? AND occurred_last >= ?"
        params: list[object] = [hi_us, lo_us]
        if kinds is not None:
            kinds = list(kinds)
            where += f" AND kind IN ({_marks(len(kinds))})"
            params.extend(kinds)
        rows = self._rows(f"SELECT position FROM records WHERE {where}", params)
        positions = sorted(int(row[0]) for row in rows)  # type: ignore[call-overload]
        return self._pages(positions)

    def _pages(self, positions: list[int]) -> Iterator[Recorded]:
        for i in range(0, len(positions), _CHUNK):
            yield from self.fetch(positions[i : i + _CHUNK])

    def index_rows(
        self, *, start: int = 1, kinds: Collection[str] | None = None
    ) -> Iterator[IndexRow]:
        """Light rows for projections, in position order, decoded from columns only.

        Rows of some ``kinds`` are read through the kind index when they are few of
        the rows past ``start``, and by a scan of the table in position order when
        they are many (`_SCAN_SHARE`): the index reads them kind by kind and then sorts
        them by position, which costs more than reading every row in order (a view
        of most kinds at 1M records: 2.0 s through the index, 1.3 s by the scan).
        """
        start, _ = self._bounds("index_rows", start)
        where = "position >= ?"
        params: list[object] = [start]
        table = "records"
        if kinds is not None:
            kinds = list(kinds)
            where += f" AND kind IN ({_marks(len(kinds))})"
            params.extend(kinds)
            # The count reads the kind index alone (it holds both columns asked).
            many = self._rows(f"SELECT count(*) FROM records WHERE {where}", params)[0][0]
            past = self.head() - start + 1  # positions are gapless
            if isinstance(many, int) and many > _SCAN_SHARE * past:
                table = "records NOT INDEXED"
        rows = self._rows(
            f"SELECT {_INDEX_COLS} FROM {table} WHERE {where} ORDER BY position", params
        )
        return index_rows_of(rows)

    def _verify_rows(self) -> Iterator[StoredRow | Problem]:
        """The rows, read by position from the table itself (not an index), each with
        its indexed columns and stored references; then the checks only the file can
        answer: the head row is the last record, no references for a missing record.

        [`StoreBase.verify`][conflict_timeline.stores.StoreBase.verify] walks them. Holds the
        connection's lock throughout,
        so appends made by this store wait; other processes' appends past the head
        read at the start are not checked.
        """
        with self._lock:
            self._check_open()
            try:
                # One read transaction: the structure check and the walk see one
                # snapshot, whatever other processes append meanwhile.
                self._db.execute("BEGIN")
                try:
                    problem = self._integrity_problem()
                    if problem is not None:
                        yield problem
                        return
                    yield from self._verify_walk()
                finally:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
            except sqlite3.Error as exc:
                if _kind_of(exc) in ("locked", "ioerr", "cantopen"):
                    raise self._error(exc, "verify") from exc
                yield Problem(None, f"the file is damaged: SQLite says {exc}")

    def _integrity_problem(self) -> Problem | None:
        """SQLite's ``PRAGMA integrity_check``, as a Problem when it finds damage.

        ``integrity_check`` rather than ``quick_check``: only the full check compares
        every index with its table and checks UNIQUE constraints, and a damaged index
        is exactly what changes answers (reads by id, kind or time go through one)
        while the table, and so the chain, is intact.
        """
        # Its messages may span lines ("*** in database main ***\nPage 7: ..."): one
        # line each, so a report stays one line.
        found = [
            " ".join(str(row[0]).split()) for row in self._db.execute("PRAGMA integrity_check(20)")
        ]
        if found == ["ok"]:
            return None
        shown = "; ".join(found[:3]) + ("; ..." if len(found) > 3 else "")
        return Problem(None, f"the file is damaged: SQLite's integrity check says: {shown}")

    def _verify_walk(self) -> Iterator[StoredRow | Problem]:
        db = self._db
        [(anchor, anchor_hash, last)] = db.execute(
            "SELECT (SELECT position FROM head), (SELECT hash FROM head), "
            "(SELECT max(position) FROM records)"
        ).fetchall()
        stop = max(x for x in (anchor, last, 0) if isinstance(x, int))
        # sqlite3.Error propagates: verify() reports it as damage or a read failure.
        refs = RefsReader(
            self._db.execute("SELECT position, field, ref, what FROM refs ORDER BY position")
        )
        try:
            sql = (
                "SELECT position, recorded_at, hash, payload, id, kind, occurred_lo, "
                "occurred_last, reported_lo, reported_last, target FROM records "
                "WHERE position >= ? AND position <= ? ORDER BY position LIMIT ?"
            )
            count = 0
            previous = GENESIS_HASH
            while count < stop:
                rows = db.execute(sql, (count + 1, stop, 5_000)).fetchall()
                if not rows:
                    break
                for position, recorded_at, digest, payload, *columns in rows:
                    here = refs.at(position) if isinstance(position, int) else []
                    yield StoredRow(
                        position,
                        recorded_at,
                        digest,
                        payload,
                        IndexRow(position, *columns),
                        here,
                    )
                    # verify() goes on only when the row was sound.
                    count = position
                    previous = digest
            if not isinstance(anchor, int):
                yield Problem(count + 1, "the head row is missing")
            elif anchor > count:
                yield Problem(count + 1, f"position missing (the file's head is at {anchor})")
            elif anchor < count:
                yield Problem(anchor + 1, f"record past the file's head (at {anchor})")
            elif anchor_hash != previous:
                yield Problem(max(count, 1), "the head's hash does not match the last record")
            for position in refs.rest():
                # Past the checked head, a record may have been appended since we began.
                if not db.execute(
                    "SELECT 1 FROM records WHERE position = ?", (position,)
                ).fetchall():
                    yield Problem(position, "references stored for a position with no record")
        finally:
            refs.close()

    def dangling_references(self) -> list[Dangling]:
        """References that do not resolve, found with one SQL join."""
        # What each kind of reference must name comes from the one map, as JSON.
        rows = self._rows(
            "SELECT refs.position, r.id, refs.field, refs.ref, refs.what "
            "FROM refs JOIN records r ON r.position = refs.position "
            "LEFT JOIN records t ON t.id = refs.ref "
            "LEFT JOIN json_each(?) e ON e.key = refs.what "
            "WHERE t.id IS NULL OR (e.value IS NOT NULL AND t.kind != e.value) "
            "ORDER BY refs.position, refs.field, refs.ref",
            (_EXPECTED_JSON,),
        )
        return [Dangling(*row) for row in rows]  # type: ignore[arg-type]

    # -- saved view states (StateKeeper) ----------------------------------------------

    def save_state(self, saved: SavedState) -> None:
        """Keep a view's saved state in the file, replacing the view's previous one,
        in one transaction (the tables are created by the first save)."""
        with self._lock:
            self._check_open()
            if self.read_only:
                msg = f"{self.path}: opened read-only (read_only=True); no view state was saved"
                raise StoreError(msg)
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
                for statement in _STATE_SCHEMA:
                    db.execute(statement)
                db.execute("DELETE FROM view_state_parts WHERE view = ?", (saved.view,))
                db.execute(
                    "INSERT OR REPLACE INTO view_states "
                    "(view, code, head, chain, digest, saved_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        saved.view,
                        saved.code,
                        saved.head,
                        saved.chain,
                        saved.digest,
                        saved.saved_at,
                    ),
                )
                blob = memoryview(saved.blob)
                for part, start in enumerate(range(0, max(len(blob), 1), _STATE_PART)):
                    db.execute(
                        "INSERT INTO view_state_parts (view, part, bytes) VALUES (?, ?, ?)",
                        (saved.view, part, blob[start : start + _STATE_PART]),
                    )
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise self._error(exc, "save view state") from exc

    def _has_state_tables(self) -> bool:
        """Whether the file has the saved-state tables (the first save creates both)."""
        found = self._db.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'view_state_parts'"
        ).fetchone()
        return bool(found[0])

    def load_state(self, view: str) -> SavedState | None:
        """The state kept for ``view``, if any (None also for a file with no saved
        states at all). One statement, so header and bytes come from one snapshot,
        inside an append's transaction too."""
        with self._lock:
            self._check_open()
            try:
                if not self._has_state_tables():
                    return None
                rows = self._db.execute(
                    "SELECT s.view, s.code, s.head, s.chain, s.digest, s.saved_at, p.bytes "
                    "FROM view_states s JOIN view_state_parts p ON p.view = s.view "
                    "WHERE s.view = ? ORDER BY p.part",
                    (view,),
                ).fetchall()
            except sqlite3.Error as exc:
                raise self._error(exc, "load view state") from exc
        return saved_state_of(rows)

    def chain_hash_at(self, position: int) -> str | None:
        """The chain hash at ``position`` (``GENESIS_HASH`` at 0, None past the head)."""
        at = self._hash_position(position)
        if at == 0:
            return GENESIS_HASH
        if at is None:
            return None
        rows = self._rows("SELECT hash FROM records WHERE position = ?", (at,))
        return str(rows[0][0]) if rows else None

    def forget_states(self) -> int:
        """Drop every saved state; how many there were."""
        with self._lock:
            self._check_open()
            if self.read_only:
                msg = f"{self.path}: opened read-only (read_only=True); nothing was dropped"
                raise StoreError(msg)
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
                count = 0
                if self._has_state_tables():
                    count = db.execute("SELECT count(*) FROM view_states").fetchone()[0]
                    db.execute("DELETE FROM view_state_parts")
                    db.execute("DELETE FROM view_states")
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise self._error(exc, "drop view states") from exc
            return int(count)

    def explain(self, sql: str, params: Sequence[object] = ()) -> list[str]:
        """SQLite's ``EXPLAIN QUERY PLAN`` details for one of this store's queries."""
        rows = self._rows(f"EXPLAIN QUERY PLAN {sql}", params)
        return [str(row[-1]) for row in rows]

    def close(self) -> None:
        """Close the connection (idempotent); the store raises StoreError afterwards."""
        with self._lock:
            self._closed = True
            self._db.close()
