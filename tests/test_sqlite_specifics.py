"""What only the SQLite store promises: its file, its indexes, tamper evidence on disk,
followers in other processes, and surviving SIGKILL."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    DuplicateRecordError,
    PlaceDefined,
    Record,
    SerializationError,
    SQLiteStore,
    StoreError,
    TimeExtent,
    Timeline,
    Verification,
)
from conflict_timeline.datasets import karabakh_oct_2020
from conflict_timeline.stores.sqlite import APPLICATION_ID, PAGE_SIZE, SCHEMA_VERSION

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _records(n: int, *, prefix: str = "attack") -> list[Record]:
    """Five actors, five places, then attacks among them: ``n`` records in all."""
    out: list[Record] = [
        *(ActorDefined(id=f"actor-{i}", name=f"Actor {i}", actor_kind="state") for i in range(5)),
        *(PlaceDefined(id=f"place-{i}", name=f"Town {i}", place_kind="town") for i in range(5)),
    ]
    for i in range(n - len(out)):
        out.append(
            Attack(
                id=f"{prefix}-{i}",
                occurred=TimeExtent.parse(f"2020-10-{1 + i % 28:02d}", tz="Asia/Baku"),
                perpetrator=f"actor-{i % 5}",
                place=f"place-{i % 5}",
                target="a bridge",
            )
        )
    return out


def _clock() -> Callable[[], dt.datetime]:
    ticks = itertools.count()
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    return lambda: base + dt.timedelta(seconds=next(ticks))


# ------------------------------------------------------------------------- the file


def test_the_file_is_one_wal_database_marked_as_a_timeline(tmp_path: Path) -> None:
    path = tmp_path / "conflict.db"
    store = SQLiteStore(path)
    store.append(karabakh_oct_2020())
    assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    store.close()
    # Closing checkpoints the write-ahead log into the file and removes it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conflict.db"]
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 1
        assert db.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE == 16_384
        tables = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert tables == {"records", "refs", "head"}
        assert db.execute("SELECT position, hash FROM head").fetchone() == (
            25,
            db.execute("SELECT hash FROM records WHERE position = 25").fetchone()[0],
        )
    with Timeline.open(path, create=False) as timeline:
        assert len(timeline) == 25
        assert timeline.verify()


def test_a_file_with_another_page_size_opens_and_keeps_it(tmp_path: Path) -> None:
    """Files made before the page size changed (SQLite's default, 4096) still work."""
    path = tmp_path / "old.db"
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA page_size=4096")
        db.execute("VACUUM")  # an empty database that has its page size fixed
    with Timeline.open(path) as timeline:
        timeline.extend(karabakh_oct_2020())
        assert timeline.verify()
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA page_size").fetchone()[0] == 4096
    with Timeline.open(path, create=False) as timeline:
        assert len(timeline) == 25


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(8192))


def _text(path: Path) -> None:
    path.write_text("date,event\n2020-10-31,shelling\n", encoding="utf-8")


def _raw(path: Path, *statements: str) -> None:
    """Run statements through plain sqlite3, committed and closed."""
    db = sqlite3.connect(path)
    try:
        with db:
            for statement in statements:
                db.execute(statement)
    finally:
        db.close()


def _other_sqlite(path: Path) -> None:
    _raw(
        path,
        "CREATE TABLE events (id INTEGER PRIMARY KEY, what TEXT)",
        "INSERT INTO events (what) VALUES ('shelling')",
    )


def _newer_schema(path: Path) -> None:
    SQLiteStore(path).close()
    _raw(path, f"PRAGMA user_version={SCHEMA_VERSION + 1}")


def _damaged_schema(path: Path) -> None:
    SQLiteStore(path).close()
    _raw(path, "PRAGMA user_version=0")


def _tables_gone(path: Path) -> None:
    """Marked as a timeline of this schema, every table dropped."""
    _raw(path, f"PRAGMA application_id={APPLICATION_ID}")
    _raw(path, f"PRAGMA user_version={SCHEMA_VERSION}")


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_random_bytes, "not a conflict_timeline file"),
        (_text, "not a conflict_timeline file"),
        (_other_sqlite, "another application"),
        (_newer_schema, r"newer conflict_timeline \(schema 2\b"),
        (_damaged_schema, "unknown or damaged schema"),
        (_tables_gone, "unknown or damaged schema"),
    ],
    ids=["random-bytes", "text", "other-sqlite-db", "newer-schema", "damaged-schema", "no-tables"],
)
def test_a_file_that_is_not_a_timeline_of_this_version_is_refused_untouched(
    tmp_path: Path, make: Callable[[Path], None], says: str
) -> None:
    path = tmp_path / "evidence.db"
    make(path)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=says) as info:
        Timeline.open(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, OSError)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence.db"]


def test_a_missing_file_with_create_false_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such timeline file"):
        Timeline.open(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()


@pytest.mark.parametrize("kind", ["zero-bytes", "empty-sqlite-db"])
def test_an_empty_file_becomes_a_timeline(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "new.db"
    if kind == "zero-bytes":
        path.touch()
    else:
        sqlite3.connect(path).close()
    with Timeline.open(path) as timeline:
        timeline.append(*karabakh_oct_2020()[:3])
    with Timeline.open(path) as timeline:
        assert [r.id for r in timeline] == ["armenia", "azerbaijan", "russia"]


def test_a_file_another_process_made_a_timeline_meanwhile_is_opened_not_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two openers of one new file: the second finds no tables, and the first creates
    the timeline before the second takes the write lock to create it. The second
    looks again under the lock and opens the timeline the first made (it does not
    create the tables twice, which SQLite would refuse)."""
    path = tmp_path / "new.db"
    real_connect = sqlite3.connect

    class Racing(sqlite3.Connection):
        raced = False

        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            if sql == "BEGIN IMMEDIATE" and not Racing.raced:
                Racing.raced = True  # the other opener gets in first, once
                monkeypatch.setattr(sqlite3, "connect", real_connect)
                with Timeline.open(path) as first:
                    first.append(*karabakh_oct_2020()[:2])
            return super().execute(sql, *args)

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return real_connect(*args, **kwargs, factory=Racing)

    monkeypatch.setattr(sqlite3, "connect", connect)
    store = SQLiteStore(path)
    assert Racing.raced
    assert store.head() == 2
    assert store.append(karabakh_oct_2020()[2:3]) == (3,)
    assert store.verify().ok
    store.close()


def test_a_locked_file_gives_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    store = SQLiteStore(path, timeout=0.05)
    store.append(karabakh_oct_2020()[:3])
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match=r"locked.*retry.*nothing of this batch"):
            store.append(karabakh_oct_2020()[3:6])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.head() == 3
    assert store.append(karabakh_oct_2020()[3:6]) == (4, 5, 6)
    store.close()


def test_a_record_json_cannot_hold_is_refused_without_waiting_for_the_lock(
    tmp_path: Path,
) -> None:
    """A batch of up to a slice is serialized before the write lock is taken."""
    path = tmp_path / "busy.db"
    store = SQLiteStore(path, timeout=5.0)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    try:
        with pytest.raises(SerializationError, match=r"'bad'.*JSON"):
            store.append([ActorDefined(id="bad", name="half a pair: \ud800", actor_kind="state")])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert time.monotonic() - started < 2.5  # not the 5 s lock timeout
    assert store.head() == 0
    store.close()


# ---------------------------------------------------------------------- indexes


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    store = SQLiteStore(tmp_path_factory.mktemp("indexed") / "t.db")
    store.append([*karabakh_oct_2020(), *_records(400)])
    yield store
    store.close()


def _plans(store: SQLiteStore, read: Callable[[], object]) -> list[tuple[str, list[str]]]:
    """Run ``read`` and return each SELECT it ran with SQLite's plan for it."""
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    try:
        read()
    finally:
        store._db.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert selects, "the read ran no SELECT"
    return [(s, store.explain(s)) for s in selects]


READS: dict[str, tuple[Callable[[SQLiteStore], object], str]] = {
    "by-kind": (lambda s: list(s.read(kinds=["Accusation"])), "records_kind"),
    "by-kinds-from": (
        lambda s: list(s.read(start=20, kinds=["Attack", "Statement"])),
        "records_kind",
    ),
    "by-id": (lambda s: s.get("attack-17"), "sqlite_autoindex_records_1"),
    "involving-place": (lambda s: list(s.involving("stepanakert")), "refs"),
    "involving-actor": (lambda s: list(s.involving("actor-3")), "refs"),
    "occurred-range": (
        lambda s: list(s.occurred_between(*_window("2020-10-05", "2020-10-06"))),
        "records_occurred",
    ),
    "occurred-range-of-kind": (
        lambda s: list(s.occurred_between(*_window("1997", "1997"), kinds=["Commitment"])),
        "records_",
    ),
}


def _window(start: str, end: str) -> tuple[int, int]:
    return TimeExtent.parse(start).lo, TimeExtent.parse(end).last


@pytest.mark.parametrize("name", sorted(READS))
def test_reads_use_an_index_not_a_scan_of_the_log(indexed: SQLiteStore, name: str) -> None:
    read, index = READS[name]
    plans = _plans(indexed, lambda: read(indexed))
    for sql, plan in plans:
        assert not [step for step in plan if step.startswith("SCAN")], (sql, plan)
    assert any(index in step for _, plan in plans for step in plan), plans


def test_the_reads_checked_for_indexes_return_what_they_should(indexed: SQLiteStore) -> None:
    assert [r.id for r in indexed.read(kinds=["Accusation"])] == ["nk-accusation"]
    found = indexed.get("attack-17")
    assert found is not None
    assert found.record.place == "place-2"
    assert len(list(indexed.involving("actor-3"))) == 78
    lo, hi = _window("2020-10-05", "2020-10-06")
    hits = list(indexed.occurred_between(lo, hi))
    assert hits
    assert all(r.record.occurred.lo <= hi and r.record.occurred.last >= lo for r in hits)


@pytest.mark.parametrize(
    ("start", "kinds", "through_index"),
    [
        (1, ["Attack"], True),  # 2 of the 12 rows: at most a quarter
        (5, ["Attack"], True),  # 2 of the 8 rows from position 5: exactly a quarter
        (6, ["Attack"], False),  # 2 of the 7 rows from position 6: more than a quarter
        (1, ["ActorDefined"], False),  # 5 of 12
        (1, ["PlaceDefined", "Attack"], False),  # 7 of 12
        (11, ["Attack"], False),  # both rows left
    ],
)
def test_index_rows_of_a_few_kinds_come_through_the_kind_index_and_of_many_by_a_scan(
    tmp_path: Path, start: int, kinds: list[str], through_index: bool
) -> None:
    """store.md: the index rows of a view's kinds come through the kind index when
    they are at most a quarter of the rows past the read's start, by one scan of the
    table in position order when they are more; the rows are the same either way."""
    store = SQLiteStore(tmp_path / "t.db", clock=_clock())
    store.append(_records(12))  # 5 actors (1-5), 5 places (6-10), 2 attacks (11, 12)
    got: list[int] = []
    plans = _plans(
        store,
        lambda: got.extend(row.position for row in store.index_rows(start=start, kinds=kinds)),
    )
    (sql, plan) = next((sql, plan) for sql, plan in plans if "ORDER BY position" in sql)
    steps = " | ".join(plan)
    if through_index:
        assert "records_kind" in steps, (sql, plan)
    else:
        assert "records_kind" not in steps, (sql, plan)
        # The table itself, in position order (its rowid), from the start or past it.
        table = ("SCAN records", "SEARCH records USING INTEGER PRIMARY KEY")
        assert any(step.startswith(table) for step in plan), (sql, plan)
    wanted = {"ActorDefined": range(1, 6), "PlaceDefined": range(6, 11), "Attack": (11, 12)}
    expected = sorted(p for kind in kinds for p in wanted[kind] if p >= start)
    assert got == expected
    store.close()


# ------------------------------------------------------------------------ tampering

N_TAMPER = 200


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed timeline file of 200 records appended in batches of uneven size."""
    path = tmp_path_factory.mktemp("pristine") / "t.db"
    records = [*karabakh_oct_2020(), *_records(N_TAMPER - 25)]
    store = SQLiteStore(path, clock=_clock())
    for lo, hi in ((0, 1), (1, 25), (25, 100), (100, 137), (137, N_TAMPER)):
        store.append(records[lo:hi])
    assert store.head() == N_TAMPER
    store.close()
    return path


def _flip_payload_byte(db: sqlite3.Connection, position: int) -> int:
    (payload,) = db.execute(
        "SELECT payload FROM records WHERE position = ?", (position,)
    ).fetchone()
    changed = bytearray(payload)
    changed[len(changed) // 3] ^= 0x20
    db.execute("UPDATE records SET payload = ? WHERE position = ?", (bytes(changed), position))
    return position


def _change_hash(db: sqlite3.Connection, position: int) -> int:
    (digest,) = db.execute("SELECT hash FROM records WHERE position = ?", (position,)).fetchone()
    changed = ("1" if digest[0] == "0" else "0") + digest[1:]
    db.execute("UPDATE records SET hash = ? WHERE position = ?", (changed, position))
    return position


def _change_recorded_at(db: sqlite3.Connection, position: int) -> int:
    db.execute("UPDATE records SET recorded_at = recorded_at + 1 WHERE position = ?", (position,))
    return position


def _delete_row(db: sqlite3.Connection, position: int) -> int:
    db.execute("DELETE FROM records WHERE position = ?", (position,))
    return position


def _swap_rows(db: sqlite3.Connection, position: int) -> int:
    other = position + 7 if position + 7 <= N_TAMPER else position - 7
    columns = (
        "id, kind, occurred_lo, occurred_last, reported_lo, reported_last, recorded_at, "
        "target, payload, hash"
    )
    rows = {
        p: db.execute(f"SELECT {columns} FROM records WHERE position = ?", (p,)).fetchone()
        for p in (position, other)
    }
    db.execute("UPDATE records SET id = id || '~' WHERE position IN (?, ?)", (position, other))
    sets = ", ".join(f"{c.strip()} = ?" for c in columns.split(","))
    for here, there in ((position, other), (other, position)):
        db.execute(f"UPDATE records SET {sets} WHERE position = ?", (*rows[there], here))
    return min(position, other)


def _change_kind_column(db: sqlite3.Connection, position: int) -> int:
    db.execute("UPDATE records SET kind = 'Denial' WHERE position = ?", (position,))
    return position


def _delete_references(db: sqlite3.Connection, position: int) -> int:
    # A record with no references (an actor with no affiliation) has none to delete:
    # take the first record from ``position`` on that has some.
    (first,) = db.execute(
        "SELECT min(position) FROM refs WHERE position >= ?", (position,)
    ).fetchone()
    db.execute("DELETE FROM refs WHERE position = ?", (first,))
    return int(first)


TAMPERS = {
    "payload-byte": _flip_payload_byte,
    "hash": _change_hash,
    "recorded-at": _change_recorded_at,
    "delete-row": _delete_row,
    "swap-rows": _swap_rows,
    "kind-column": _change_kind_column,
    "delete-references": _delete_references,
}


@pytest.mark.parametrize("position", [1, 2, 26, 99, 137, 199, N_TAMPER])
@pytest.mark.parametrize("tamper", sorted(TAMPERS))
def test_verify_reports_the_exact_first_tampered_position(
    pristine: Path, tmp_path: Path, tamper: str, position: int
) -> None:
    path = tmp_path / "t.db"
    shutil.copy(pristine, path)
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        first_bad = TAMPERS[tamper](db, position)
    with Timeline.open(path, create=False) as timeline:
        result = timeline.verify()
    assert not result.ok
    assert (result.first_bad, result.checked) == (first_bad, first_bad - 1), result
    assert result.reason


def test_the_pristine_file_verifies(pristine: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    shutil.copy(pristine, path)
    with Timeline.open(path, create=False) as timeline:
        assert timeline.verify() == Verification(True, N_TAMPER)


@pytest.mark.parametrize(
    ("sql", "first_bad", "reason"),
    [
        ("UPDATE head SET position = position - 3", N_TAMPER - 2, "past the file's head"),
        (  # one behind, with the hash of the record it names: the last record is past it
            (
                f"UPDATE head SET position = {N_TAMPER - 1}, "
                f"hash = (SELECT hash FROM records WHERE position = {N_TAMPER - 1})"
            ),
            N_TAMPER,
            f"record past the file's head (at {N_TAMPER - 1})",
        ),
        ("UPDATE head SET position = position + 1", N_TAMPER + 1, "position missing"),
        ("UPDATE head SET hash = 'f' || substr(hash, 2)", N_TAMPER, "head's hash"),
        ("DELETE FROM head", N_TAMPER + 1, "head row is missing"),
        (
            f"INSERT INTO refs VALUES ('actor-1', {N_TAMPER + 5}, 'perpetrator', 'actor')",
            N_TAMPER + 5,
            "no record",
        ),
    ],
    ids=[
        "head-behind",
        "head-one-behind",
        "head-ahead",
        "head-hash",
        "head-deleted",
        "stray-reference",
    ],
)
def test_verify_checks_the_head_anchor_and_stray_rows(
    pristine: Path, tmp_path: Path, sql: str, first_bad: int, reason: str
) -> None:
    path = tmp_path / "t.db"
    shutil.copy(pristine, path)
    _raw(path, sql)
    store = SQLiteStore(path, create=False)
    try:
        result = store.verify()
    finally:
        store.close()
    assert (result.ok, result.first_bad) == (False, first_bad), result
    assert reason in result.reason


def test_truncating_the_log_is_noticed(pristine: Path, tmp_path: Path) -> None:
    """Rows cut off the end leave a valid chain; the head row says they are missing."""
    path = tmp_path / "t.db"
    shutil.copy(pristine, path)
    _raw(path, "DELETE FROM records WHERE position > 150", "DELETE FROM refs WHERE position > 150")
    with Timeline.open(path, create=False) as timeline:
        result = timeline.verify()
    assert (result.ok, result.first_bad, result.checked) == (False, 151, 150)


# ------------------------------------------------------- following another process

_WRITER = textwrap.dedent(
    """
    import sys, time
    from conflict_timeline import Attack, SQLiteStore, TimeExtent
    store = SQLiteStore(sys.argv[1])
    for b in range(int(sys.argv[2])):
        store.append([
            Attack(id=f"late-{b}-{i}", occurred=TimeExtent.parse("2020-10-30"),
                   perpetrator="actor-1", place="place-2")
            for i in range(1 + b % 3)
        ])
        time.sleep(0.005)
    store.close()
    """
)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}


def test_a_follower_sees_another_processes_appends_in_order(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    first = _records(12)
    with Timeline.open(path) as timeline:
        timeline.append(*first)
    batches = 20
    late = [f"late-{b}-{i}" for b in range(batches) for i in range(1 + b % 3)]
    reader = Timeline.open(path)
    follower = reader.follow(poll=0.01, idle_timeout=30)
    got = [next(follower) for _ in first]
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), str(batches)],
        env=_env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for recorded in follower:
            got.append(recorded)
            if len(got) == len(first) + len(late):
                break
    finally:
        _, errors = writer.communicate(timeout=60)
        reader.close()
    assert writer.returncode == 0, errors
    assert [r.position for r in got] == list(range(1, len(first) + len(late) + 1))
    assert [r.id for r in got] == [r.id for r in first] + late


# ----------------------------------------------------------------------- SIGKILL

_APPENDER = textwrap.dedent(
    """
    import sys
    from conflict_timeline import ActorDefined, Attack, SQLiteStore, TimeExtent
    store = SQLiteStore(sys.argv[1])
    store._SLICE = 4  # batches of up to 40 records span up to ten slices: kills land between
    store.append([ActorDefined(id="a", name="A", actor_kind="state")])
    print("ready", flush=True)
    day = TimeExtent.parse("2020-10-30")
    for b in range(int(sys.argv[2])):
        size = 1 + (b * 7) % 40
        positions = store.append([
            Attack(id=f"b{b}-{i}", occurred=day, perpetrator="a", target="x" * (b % 50))
            for i in range(size)
        ])
        # One write() per acknowledgement: under PYTHONUNBUFFERED, print() writes each
        # piece on its own, and a kill between them would leave half a line.
        sys.stdout.write(f"{b} {positions[0]} {positions[-1]}\\n")
        sys.stdout.flush()
    print("done", flush=True)
    """
)


def _batch_size(b: int) -> int:
    return 1 + (b * 7) % 40


def _crash_trial(path: Path, batches: int, rng: random.Random) -> bool:
    """Run the appender, SIGKILL it at a random moment, check the file; killed?"""
    child = subprocess.Popen(
        [sys.executable, "-c", _APPENDER, str(path), str(batches)],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    acked: dict[int, tuple[int, int]] = {}
    kill_after = rng.randrange(1, batches)
    try:
        line = child.stdout.readline()
        assert line == "ready\n", line + child.stderr.read()  # type: ignore[union-attr]
        while True:
            line = child.stdout.readline()
            if not line or line == "done\n":
                break
            b, lo, hi = map(int, line.split())
            acked[b] = (lo, hi)
            if len(acked) >= kill_after:
                time.sleep(rng.random() * 0.01)  # land anywhere in a later batch
                child.send_signal(signal.SIGKILL)
                # Acknowledgements already written to the pipe still count.
                for rest in child.stdout:
                    if rest != "done\n":
                        b, lo, hi = map(int, rest.split())
                        acked[b] = (lo, hi)
                break
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()  # type: ignore[union-attr]
    killed = child.returncode == -signal.SIGKILL

    with Timeline.open(path, create=False) as timeline:
        read = list(timeline)
        assert timeline.verify().ok
    positions = [r.position for r in read]
    assert positions == list(range(1, len(read) + 1))  # gapless
    present: dict[int, list[int]] = {}
    for recorded in read[1:]:
        batch = int(recorded.id[1:].split("-")[0])
        present.setdefault(batch, []).append(recorded.position)
    for b, (lo, hi) in acked.items():  # every acknowledged batch, where it was said to be
        assert present.get(b) == list(range(lo, hi + 1)), b
    for b, where in present.items():  # no batch is partial
        assert len(where) == _batch_size(b), b
    assert sorted(present) == list(range(len(present)))  # batches land in order
    return killed


def test_sigkill_loses_no_acknowledged_batch_and_leaves_none_partial(tmp_path: Path) -> None:
    rng = random.Random(20201031)
    killed = 0
    for trial in range(3):
        killed += _crash_trial(tmp_path / f"crash-{trial}.db", 150, rng)
    assert killed >= 2  # the test exercised a kill, not only a clean finish


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("CT_SLOW"), reason="long variant: set CT_SLOW=1")
def test_sigkill_long_variant(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("CT_SEED", "1997")))
    # CI runs the long variants scaled down (CT_SLOW_SCALE=0.1: 2 trials); by hand, 20.
    scale = float(os.environ.get("CT_SLOW_SCALE", "1"))
    trials = int(os.environ.get("CT_CRASH_TRIALS", str(max(2, round(20 * scale)))))
    killed = 0
    for trial in range(trials):
        killed += _crash_trial(tmp_path / f"crash-{trial}.db", 1000, rng)
    assert killed >= trials * 3 // 4


# ---------------------------------------------------------------------- bulk path


def test_a_bulk_append_is_one_transaction(tmp_path: Path) -> None:
    """However many slices it is written in (five here; ten for 100k records)."""
    records = _records(5_000)
    store = SQLiteStore(tmp_path / "bulk.db")
    store._SLICE = 1_000
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    try:
        positions = store.append(records)
    finally:
        store._db.set_trace_callback(None)
    control = [s for s in statements if s.split()[0].upper() in ("BEGIN", "COMMIT", "ROLLBACK")]
    assert control == ["BEGIN IMMEDIATE", "COMMIT"]
    inserts = [i for i, s in enumerate(statements) if s.startswith("INSERT INTO records")]
    assert len(inserts) == 5_000  # every row, traced one by one, and all before the commit
    assert (
        statements.index("BEGIN IMMEDIATE") < inserts[0] < inserts[-1] < statements.index("COMMIT")
    )
    assert positions == tuple(range(1, 5_001))
    # Another connection sees the whole batch: it was committed as one.
    with contextlib.closing(sqlite3.connect(store.path)) as other:
        assert other.execute("SELECT count(*) FROM records").fetchone()[0] == 5_000
    store.close()


def test_a_bulk_append_pauses_the_garbage_collector_and_restores_it(tmp_path: Path) -> None:
    during: list[bool] = []

    def clock() -> dt.datetime:  # the store reads it inside the append
        during.append(gc.isenabled())
        return dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

    store = SQLiteStore(tmp_path / "gc.db", clock=clock)
    records = _records(2_000)
    assert gc.isenabled()
    store.append(records[:10])  # small: left alone
    store.append(records[10:])
    assert during == [True, False]
    assert gc.isenabled()
    broken = [*_records(1_500, prefix="other")[10:], _records(1)[0]]  # actor-0 is stored
    broken[-1] = ActorDefined(id="actor-0", name="Someone else", actor_kind="person")
    with pytest.raises(DuplicateRecordError):
        store.append(broken)
    assert gc.isenabled()
    gc.disable()
    try:
        store.append(_records(1_500, prefix="third")[10:])
        assert not gc.isenabled()  # the caller's choice is kept
    finally:
        gc.enable()
    store.close()
