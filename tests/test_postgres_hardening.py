"""Adversarial checks of the PostgreSQL store: lost connections with several
reading connections kept, timelines side by side with live subscriptions, copies
resumed into a destination that moved on, superuser edits that verify() must catch."""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import psycopg
import pytest

from conflict_timeline import Attack, SQLiteStore, StoreError
from conflict_timeline._conformance import TickClock
from conflict_timeline._copy import SettableClock, copy_timeline
from conflict_timeline.stores import SavedState, Store
from conflict_timeline.stores.postgres import PostgresStore, parse_url
from conflict_timeline.testing import StoreConformance
from pg_cluster import Cluster
from test_postgres_specifics import _kill_backends

SMALL = StoreConformance.small_records()


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    s = PostgresStore.from_url(pg_url, clock=TickClock())
    yield s
    s.close()


def _attack(rid: str) -> Attack:
    template = next(r for r in SMALL if isinstance(r, Attack))
    return attrs.evolve(template, id=rid)


def _role_url(pg_cluster: Cluster, pg_url: str, prefix: str, setting: str) -> str:
    """The URL of ``pg_url``'s timeline for a new superuser role for which the server
    applies ``setting`` (``name = 'value'``), as an administrator sets it."""
    conninfo, timeline = parse_url(pg_url)
    role = f"{prefix}_{timeline}"
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN SUPERUSER")
        admin.execute(f"ALTER ROLE {role} SET {setting}")
    return pg_cluster.url_for(role) + f"?timeline={timeline}"


def test_after_a_dropped_connection_the_next_read_reconnects_with_several_readers_kept(
    store: PostgresStore, pg_url: str
) -> None:
    """Rule: a dropped connection is one clear StoreError and the next call
    reconnects, also when earlier overlapping reads left several reading
    connections idle (each of them lost too)."""
    store.append(SMALL)
    readings = [store.read() for _ in range(3)]
    for reading in readings:  # three reads open at once: three reading connections
        next(reading)
    for reading in readings:
        assert len(list(reading)) == len(SMALL) - 1
    assert _kill_backends(pg_url) >= 3
    with pytest.raises(StoreError, match=r"read failed.*the next call reconnects"):
        list(store.read())
    assert [r.position for r in store.read()] == list(range(1, len(SMALL) + 1))
    readings = [store.read() for _ in range(3)]
    for reading in readings:  # the idle readers again
        next(reading)
    for reading in readings:
        list(reading)
    _kill_backends(pg_url)
    with pytest.raises(StoreError, match="verify failed"):
        store.verify()
    assert store.verify().ok


def test_after_the_server_drops_every_connection_only_the_next_call_fails(
    store: PostgresStore, pg_url: str
) -> None:
    """Rule (docs/howto/postgres.md): a dropped connection is one clear StoreError and
    the next call reconnects. When the server drops them all (a restart, terminated
    backends), the first failure, a writer's or a reader's, drops the others too: the
    next read and the next write both connect afresh, not one failure each."""
    store.append(SMALL)  # the writing connection, idle
    assert len(list(store.read())) == len(SMALL)  # an idle reading connection kept
    assert _kill_backends(pg_url) >= 2
    with pytest.raises(StoreError, match="the next call reconnects"):
        store.append([attrs.evolve(SMALL[0], id="refused")])
    assert [r.position for r in store.read()] == list(range(1, len(SMALL) + 1))
    assert store.head() == len(SMALL)
    # The same with a reader failing first: the writer's next call goes through.
    assert store.append(SMALL[:1]) == (1,)  # stored already: the writing connection, idle
    assert _kill_backends(pg_url) >= 2
    with pytest.raises(StoreError, match="the next call reconnects"):
        list(store.read())
    assert store.get(SMALL[0].id) is not None
    assert store.append([attrs.evolve(SMALL[0], id="after-the-drop")]) == (len(SMALL) + 1,)


@pytest.mark.parametrize("isolation", ["repeatable read", "serializable"])
def test_concurrent_writers_queue_whatever_the_default_isolation(
    pg_cluster: Cluster, pg_url: str, isolation: str
) -> None:
    """Rule: gapless positions under concurrent writers, each append acknowledged, also
    when the server (here: the role) defaults to a stricter isolation level, as some
    administrators set it."""
    url = _role_url(pg_cluster, pg_url, "iso", f"default_transaction_isolation = '{isolation}'")
    errors: list[str] = []
    each = 15

    def write(k: int) -> None:
        writer = PostgresStore.from_url(url)
        try:
            for i in range(each):
                try:
                    writer.append([_attack(f"w{k}-{i}")], strict=False)
                except StoreError as exc:
                    errors.append(str(exc))
        finally:
            writer.close()

    first = PostgresStore.from_url(url)
    try:
        threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert [r.position for r in first.read()] == list(range(1, 4 * each + 1))
        assert first.verify().ok
    finally:
        first.close()


@pytest.mark.parametrize("isolation", ["repeatable read", "serializable"])
def test_two_openers_of_a_new_timeline_queue_whatever_the_default_isolation(
    pg_cluster: Cluster, pg_url: str, isolation: str
) -> None:
    """Rule: two processes creating the same timeline at once, the second waits for
    the first and opens what it made, also when the role defaults to a stricter
    isolation level (whose snapshot, taken before the wait, would miss the schema)."""
    url = _role_url(pg_cluster, pg_url, "open", f"default_transaction_isolation = '{isolation}'")
    _, timeline = parse_url(url)
    errors: list[str] = []
    heads: list[int] = []

    def open_it() -> None:
        try:
            opened = PostgresStore.from_url(url)
        except StoreError as exc:
            errors.append(str(exc))
            return
        heads.append(opened.head())
        opened.close()

    with psycopg.connect(parse_url(pg_url)[0]) as holder:  # both openers queue behind it
        holder.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (timeline,))
        threads = [threading.Thread(target=open_it) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # both wait on the lock, their snapshots (if any) taken
        holder.rollback()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert heads == [0, 0]


@pytest.mark.parametrize("isolation", ["repeatable read", "serializable"])
def test_two_savers_of_one_view_state_queue_whatever_the_default_isolation(
    pg_cluster: Cluster, pg_url: str, isolation: str
) -> None:
    """Rule (`PostgresStore.save_state`): two savers of one view queue on its lock
    and the later one replaces the earlier one's state, also when the role defaults
    to a stricter isolation level (whose snapshot, taken before the wait, would not
    see the first saver's rows and fail to serialize)."""
    url = _role_url(pg_cluster, pg_url, "save", f"default_transaction_isolation = '{isolation}'")
    _, timeline = parse_url(url)
    one, two = PostgresStore.from_url(url), PostgresStore.from_url(url)
    errors: list[str] = []

    def save(store: PostgresStore, blob: bytes) -> None:
        try:
            store.save_state(SavedState("m:V", "code", 0, "chain", "digest", 1, blob))
        except StoreError as exc:
            errors.append(str(exc))

    try:
        one.save_state(SavedState("m:V", "code", 0, "chain", "digest", 1, b"before"))
        with psycopg.connect(parse_url(pg_url)[0]) as holder:  # both savers queue behind it
            holder.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{timeline}.view_states.m:V",)
            )
            threads = [
                threading.Thread(target=save, args=(one, b"first")),
                threading.Thread(target=save, args=(two, b"second")),
            ]
            for thread in threads:
                thread.start()
            time.sleep(1.0)  # both wait on the lock, their snapshots taken
            holder.rollback()
        for thread in threads:
            thread.join(30)
        assert errors == []
        kept = one.load_state("m:V")
        assert kept is not None
        assert kept.blob in (b"first", b"second")
        assert two.forget_states() == 1
    finally:
        one.close()
        two.close()


def test_a_cancelled_append_does_not_claim_the_connection_was_lost(
    pg_cluster: Cluster, pg_url: str
) -> None:
    """Rule: clear StoreErrors. A statement the server cancels (here a role's
    lock_timeout while another session holds the append lock) leaves the connection
    alive: the error must say what happened, not that the connection was lost."""
    store = PostgresStore.from_url(_role_url(pg_cluster, pg_url, "lt", "lock_timeout = '200ms'"))
    conninfo, timeline = parse_url(pg_url)
    try:
        store.append(SMALL[:2])
        with psycopg.connect(conninfo, options=f"-c search_path={timeline}") as holder:
            holder.execute("SELECT * FROM head FOR UPDATE")  # an append in progress
            with pytest.raises(StoreError) as caught:
                store.append(SMALL[2:4])
        message = str(caught.value)
        assert "lock timeout" in message
        assert "connection was lost" not in message
        assert "nothing written" in message
        assert store.append(SMALL[2:4]) == (3, 4)
    finally:
        store.close()


def test_a_connection_lost_while_committing_says_the_batch_may_or_may_not_be_stored(
    store: PostgresStore, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rule (docs/howto/postgres.md, "Lost connections"): when the connection is lost
    during COMMIT itself, the message says the batch may or may not have landed and
    to append it again; it does not claim that nothing was written. Appending the
    same batch again stores it once."""
    store.append(SMALL[:2])
    write = PostgresStore._write

    def write_then_lose_the_connection(self: PostgresStore, batch: Any) -> None:
        write(self, batch)  # the rows are in, the COMMIT is next
        with psycopg.connect(parse_url(pg_url)[0], autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s, 5000)", (self._conn.info.backend_pid,))

    monkeypatch.setattr(PostgresStore, "_write", write_then_lose_the_connection)
    with pytest.raises(StoreError) as caught:
        store.append(SMALL[2:4])
    monkeypatch.undo()
    message = str(caught.value)
    assert message.startswith(f"{store.label}: commit failed: ")
    assert message.endswith(
        "(the connection was lost while committing: the batch may or may not be stored; "
        "append it again (appends are idempotent by id) to be sure)"
    )
    assert "nothing" not in message
    assert store.head() == 2  # here it was not: the server ended it before COMMIT
    assert store.append(SMALL[2:4]) == (3, 4)
    assert store.append(SMALL[2:4]) == (3, 4)  # again: a no-op
    assert store.head() == 4
    assert store.verify().ok


def _chain(store: Store) -> list[tuple[int, object, str]]:
    return [(r.position, r.recorded_at, r.hash) for r in store.read()]


def test_awkward_text_copies_sqlite_postgres_sqlite_postgres_with_identical_chains(
    tmp_path: Path, pg_cluster: Cluster
) -> None:
    """Rule: a timeline copied between backends keeps byte-identical chain hashes. What
    PostgreSQL's text refuses (NUL), characters outside the BMP, and a large payload
    must go through, each way."""
    awkward = [
        *SMALL[:4],
        attrs.evolve(_attack("nul"), notes="before\x00after"),
        attrs.evolve(_attack("astral"), notes="\U0001f525 \u202eRTL \ufeff z\u0301"),
        attrs.evolve(_attack("large"), notes="x" * 2_000_000),
    ]
    first = SQLiteStore(tmp_path / "first.db", clock=TickClock())
    first.append(awkward[:4])
    first.append(awkward[4:])
    base = pg_cluster.url + f"?timeline=awk_{os.getpid()}"
    clocks = [SettableClock() for _ in range(3)]
    hops: list[Store] = [
        first,
        PostgresStore.from_url(f"{base}_a", clock=clocks[0]),
        SQLiteStore(tmp_path / "second.db", clock=clocks[1]),
        PostgresStore.from_url(f"{base}_b", clock=clocks[2]),
    ]
    try:
        for (source, destination), clock in zip(itertools.pairwise(hops), clocks, strict=True):
            copy_timeline(source, destination, clock)
        expected = _chain(first)
        for store in hops[1:]:
            assert _chain(store) == expected
            assert [r.record for r in store.read()] == awkward
    finally:
        for store in hops:
            store.close()


def test_a_resumed_copy_refuses_a_destination_appended_to_meanwhile(
    tmp_path: Path, pg_url: str
) -> None:
    """Rule: copy resumes an interrupted copy, and only that: a destination that took
    another append after the interruption is no longer a prefix of the source."""
    source = SQLiteStore(tmp_path / "src.db", clock=TickClock())
    for record in SMALL:
        source.append([record])
    clock = SettableClock()
    destination = PostgresStore.from_url(pg_url, clock=clock)

    class StopError(Exception):
        pass

    def stop_at_three(position: int) -> None:
        if position >= 3:
            raise StopError

    try:
        with pytest.raises(StopError):
            copy_timeline(source, destination, clock, batch=1, progress=stop_at_three)
        assert destination.head() == 3
        elsewhere = PostgresStore.from_url(pg_url, clock=TickClock())
        try:
            elsewhere.append([_attack("meanwhile")], strict=False)
        finally:
            elsewhere.close()
        with pytest.raises(StoreError, match="are not the first 4"):
            copy_timeline(source, destination, clock, batch=1)
        assert [r.record.id for r in destination.read()] == [
            *(r.id for r in SMALL[:3]),
            "meanwhile",
        ]
    finally:
        source.close()
        destination.close()


def _edit_behind_the_triggers(pg_url: str, table: str, statement: str) -> None:
    """Run ``statement`` as a superuser who disables ``table``'s triggers meanwhile."""
    conninfo, timeline = parse_url(pg_url)
    with psycopg.connect(conninfo, autocommit=True, options=f"-c search_path={timeline}") as c:
        c.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        c.execute(statement)
        c.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@pytest.mark.parametrize(
    ("table", "statement", "touched"),
    [
        ("refs", "UPDATE refs SET ref = 'south' WHERE position = 5 AND ref = 'north'", 5),
        ("refs", "UPDATE refs SET what = 'place' WHERE position = 5 AND ref = 'north'", 5),
        ("refs", "DELETE FROM refs WHERE position = 5", 5),
        ("refs", "INSERT INTO refs VALUES ('north', 1, 'parent', 'actor')", 1),
        ("head", "UPDATE head SET hash = (SELECT hash FROM records WHERE position = 5)", None),
        (
            "head",
            "UPDATE head SET position = 5, hash = (SELECT hash FROM records WHERE position = 5)",
            None,
        ),
        ("head", "DELETE FROM head", None),
        ("records", "UPDATE records SET kind = 'ActorDefined' WHERE position = 5", 5),
        ("records", "UPDATE records SET target = 'north' WHERE position = 5", 5),
        ("records", "UPDATE records SET id = 'other' WHERE position = 5", 5),
        ("records", "UPDATE records SET occurred_lo = occurred_lo - 1 WHERE position = 5", 5),
        ("records", "UPDATE records SET reported_last = reported_last + 1 WHERE position = 5", 5),
        ("records", "UPDATE records SET recorded_at = recorded_at + 1 WHERE position = 5", 5),
        ("records", "DELETE FROM records WHERE position = 3", 3),
        ("records", "DELETE FROM records WHERE position = 6", 6),
        ("records", "UPDATE records SET position = 7 WHERE position = 6", 6),
    ],
)
def test_verify_catches_a_superuser_edit_of_any_table(
    store: PostgresStore, pg_url: str, table: str, statement: str, touched: int | None
) -> None:
    """Rule: verify() catches a superuser who disables the triggers and edits a row:
    of the records (any stored column), of their references, or the head row."""
    store.append(SMALL)
    assert store.verify().ok
    _edit_behind_the_triggers(pg_url, table, statement)
    result = store.verify()
    assert not result.ok
    if touched is not None:
        assert result.first_bad == touched


@pytest.mark.parametrize(
    ("appended", "table", "statement", "first_bad", "reason"),
    [
        (
            6,
            "head",
            "UPDATE head SET hash = (SELECT hash FROM records WHERE position = 5)",
            6,
            "the head's hash does not match the last record",
        ),
        (
            0,
            "head",
            "UPDATE head SET hash = 'forged'",
            1,
            "the head's hash does not match the last record",
        ),
        (
            6,
            "head",
            "UPDATE head SET position = 5, hash = (SELECT hash FROM records WHERE position = 5)",
            6,
            "record past the timeline's head (at 5)",
        ),
        (
            6,
            "head",
            "UPDATE head SET position = 7",
            7,
            "position missing (the timeline's head is at 7)",
        ),
        (6, "head", "DELETE FROM head", 7, "the head row is missing"),
        (
            6,
            "refs",
            "INSERT INTO refs VALUES ('north', 9, 'parent', 'actor')",
            9,
            "references stored for a position with no record",
        ),
    ],
)
def test_verify_names_where_the_head_row_or_a_stray_reference_was_touched(
    store: PostgresStore,
    pg_url: str,
    *,
    appended: int,
    table: str,
    statement: str,
    first_bad: int,
    reason: str,
) -> None:
    """Rule (docs/howto/postgres.md): verify() reports the first position a superuser
    touched; for the head row and a reference stored for no record, the checks only
    the database answers, the position and reason written here by hand."""
    if appended:
        store.append(SMALL[:appended])
    assert store.verify().ok
    _edit_behind_the_triggers(pg_url, table, statement)
    result = store.verify()
    assert (result.ok, result.first_bad, result.reason) == (False, first_bad, reason)


def test_an_append_to_a_timeline_whose_head_row_was_deleted_says_it_is_damaged(
    store: PostgresStore, pg_url: str
) -> None:
    """Rule (clear StoreErrors): with the head row gone (a superuser who disabled its
    trigger), an append is refused as a StoreError saying the timeline is damaged,
    and nothing of it is written."""
    store.append(SMALL[:2])
    conninfo, timeline = parse_url(pg_url)
    with psycopg.connect(conninfo, autocommit=True, options=f"-c search_path={timeline}") as c:
        c.execute("ALTER TABLE head DISABLE TRIGGER USER")
        c.execute("DELETE FROM head")
        c.execute("ALTER TABLE head ENABLE TRIGGER USER")
    with pytest.raises(StoreError) as caught:
        store.append(SMALL[2:4])
    assert str(caught.value) == f"{pg_url}: the head row is missing; the timeline is damaged"
    assert store.head() == 2


def test_a_read_ended_by_the_idle_in_transaction_timeout_says_the_next_call_reconnects(
    pg_cluster: Cluster, pg_url: str
) -> None:
    """Rule: a dropped connection gives a clear StoreError and the next call
    reconnects; the server ending a read left idle (a role's
    idle_in_transaction_session_timeout) is a dropped connection too."""
    setting = "idle_in_transaction_session_timeout = '200ms'"
    store = PostgresStore.from_url(_role_url(pg_cluster, pg_url, "idle", setting))
    try:
        store.append(SMALL)
        reading = store.read(kinds=["Attack"])
        next(reading)
        time.sleep(1.0)
        with pytest.raises(StoreError, match="the next call reconnects"):
            list(reading)  # the server ended the reading session: the next fetch sees it
        assert [r.position for r in store.read()] == list(range(1, len(SMALL) + 1))
    finally:
        store.close()


def _connections(url: str, name: str, *, settled: int | None = None) -> int:
    """How many connections to the server carry ``application_name`` ``name``; with
    ``settled``, once that many (a closed session's server process ends a moment
    after its client let go), or what there are after five seconds."""
    deadline = time.monotonic() + 5
    while True:
        with psycopg.connect(parse_url(url)[0], autocommit=True) as admin:
            row = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (name,)
            ).fetchone()
        assert row is not None
        count = int(row[0])
        if settled is None or count == settled or time.monotonic() > deadline:
            return count
        time.sleep(0.05)


def test_at_most_four_reading_connections_stay_open_between_reads(pg_url: str) -> None:
    """Rule (docs/howto/postgres.md, "Reads stream"): each read runs on a connection
    of its own, as many at once as reads are open; between reads the store keeps at
    most four of them, so a team's server is not filled with idle sessions."""
    name = f"ct_readers_{os.getpid()}"
    store = PostgresStore.from_url(f"{pg_url}&application_name={name}", clock=TickClock())
    try:
        store.append(SMALL)
        readings = [store.read() for _ in range(7)]
        for reading in readings:
            next(reading)
        assert _connections(pg_url, name) == 1 + 7  # the writing one and seven reading
        for reading in readings:
            assert len(list(reading)) == len(SMALL) - 1
        assert _connections(pg_url, name, settled=1 + 4) == 1 + 4
        assert [r.position for r in store.read()] == list(range(1, len(SMALL) + 1))
        assert _connections(pg_url, name, settled=1 + 4) == 1 + 4
    finally:
        store.close()
    assert _connections(pg_url, name, settled=0) == 0
