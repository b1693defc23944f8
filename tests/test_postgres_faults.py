"""Faults on PostgreSQL: a client killed mid-append, the server stopped hard mid-append.

Each test kills something for real (SIGKILL, ``pg_ctl stop -m immediate``) and then
checks the log against what was acknowledged: no partial batch, no lost batch, and a
chain that verifies.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator

import attrs
import psycopg
import pytest

from conflict_timeline import ActiveCommitments, Attack, Recorded, StoreError, Timeline
from conflict_timeline.stores import postgres
from conflict_timeline.stores.postgres import PostgresStore, parse_url
from conflict_timeline.testing import StoreConformance
from pg_cluster import Cluster


@pytest.fixture(scope="module")
def own_cluster(pg_cluster: Cluster) -> Iterator[Cluster]:
    """A cluster of this module's own: these tests stop it hard."""
    cluster = Cluster()
    try:
        yield cluster
    finally:
        cluster.destroy()


_KILLED_WRITER = textwrap.dedent(
    """
    import sys

    import attrs

    from conflict_timeline import Attack
    from conflict_timeline.stores.postgres import PostgresStore
    from conflict_timeline.testing import StoreConformance

    store = PostgresStore.from_url(sys.argv[1])
    small = StoreConformance.small_records()
    store.append(small)
    print("acknowledged", store.head(), flush=True)
    template = next(r for r in small if isinstance(r, Attack))
    big = [attrs.evolve(template, id=f"big-{i}") for i in range(60_000)]
    print("appending", flush=True)
    store.append(big)  # killed while this runs
    print("acknowledged", store.head(), flush=True)
    """
)


def _in_transaction(admin: psycopg.Connection[tuple[object, ...]]) -> bool:
    """Has a conflict_timeline connection written inside a still open transaction?"""
    row = admin.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'conflict_timeline' "
        "AND backend_xid IS NOT NULL"
    ).fetchone()
    return bool(row and row[0])


def test_a_client_killed_mid_append_leaves_no_partial_batch(own_cluster: Cluster) -> None:
    url = own_cluster.url + "?timeline=killed_client"
    with (
        subprocess.Popen(
            [sys.executable, "-c", _KILLED_WRITER, url], stdout=subprocess.PIPE, text=True
        ) as child,
        psycopg.connect(parse_url(url)[0], autocommit=True) as admin,
    ):
        assert child.stdout is not None
        assert child.stdout.readline().split() == ["acknowledged", "6"]
        assert child.stdout.readline().strip() == "appending"
        deadline = time.monotonic() + 120
        while not _in_transaction(admin):  # its transaction is open (it holds the head lock)
            assert child.poll() is None, "the append finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
        while _in_transaction(admin):  # the server notices and rolls back
            assert time.monotonic() < deadline
            time.sleep(0.05)
    store = PostgresStore.from_url(url, create=False)
    try:
        assert store.head() == 6
        assert store.verify().ok
        assert store.get("big-0") is None
    finally:
        store.close()


_ACKING_WRITER = textwrap.dedent(
    """
    import sys

    import attrs

    from conflict_timeline import Attack, StoreError
    from conflict_timeline.stores.postgres import PostgresStore
    from conflict_timeline.testing import StoreConformance

    store = PostgresStore.from_url(sys.argv[1])
    small = StoreConformance.small_records()
    store.append(small)
    print("acknowledged", store.head(), flush=True)
    template = next(r for r in small if isinstance(r, Attack))
    n = 0
    try:
        while True:
            batch = [attrs.evolve(template, id=f"b{n}-{i}") for i in range(500)]
            positions = store.append(batch)
            print("acknowledged", positions[-1], flush=True)
            n += 1
    except StoreError as exc:
        print("refused", exc, flush=True)
    """
)


def test_the_server_stopped_hard_mid_append_loses_no_acknowledged_batch(
    own_cluster: Cluster,
) -> None:
    url = own_cluster.url + "?timeline=server_crash"
    acknowledged: list[int] = []
    with subprocess.Popen(
        [sys.executable, "-c", _ACKING_WRITER, url], stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None
        try:
            while len(acknowledged) < 6:
                words = child.stdout.readline().split()
                assert words[:1] == ["acknowledged"], words
                acknowledged.append(int(words[1]))
            own_cluster.stop("immediate")  # as if the server lost power, mid-append
            rest = child.stdout.read()
            child.wait(60)
        finally:
            if child.poll() is None:
                child.kill()
            own_cluster.start()
    acknowledged += [int(line.split()[1]) for line in rest.splitlines() if "acknowledged" in line]
    assert "refused" in rest  # the writer saw a clear StoreError, not a hang
    store = PostgresStore.from_url(url, create=False)
    try:
        head = store.head()
        assert head >= acknowledged[-1]  # nothing acknowledged is lost
        assert (head - 6) % 500 == 0  # whole batches only
        assert store.verify().ok
        ids = {r.id for r in store.read(start=7)}
        for n in range((acknowledged[-1] - 6) // 500):
            assert f"b{n}-0" in ids
            assert f"b{n}-499" in ids
    finally:
        store.close()


def test_a_live_subscription_resumes_quietly_after_a_server_restart(
    own_cluster: Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    """Rule (docs/howto/postgres.md, "Lost connections"; live subscriptions): the
    LISTEN thread's connection, and the idle ones it catches up on, go stale when the
    server restarts. The thread says so in one line (no traceback), connects again
    and catches up: every batch committed meanwhile reaches the subscriber and the
    live view once, in order.

    The subscriber's callback holds the LISTEN thread during the restart, so that
    it meets its stale connections only afterwards, once the server is back."""
    caplog.set_level(logging.INFO, logger="conflict_timeline.stores.postgres")
    url = own_cluster.url + "?timeline=restarted_live"
    small = StoreConformance.small_records()
    template = next(r for r in small if isinstance(r, Attack))
    mine = PostgresStore.from_url(url)
    theirs = PostgresStore.from_url(url)
    try:
        mine.append(small)  # positions 1 to 6
        timeline = Timeline(mine)
        live = timeline.live(ActiveCommitments)
        seen: list[int] = []
        inside, release = threading.Event(), threading.Event()

        def on_record(recorded: Recorded) -> None:
            seen.append(recorded.position)
            if recorded.record.id == "before-restart":
                inside.set()
                release.wait(60)

        timeline.subscribe(on_record)
        theirs.append([attrs.evolve(template, id="before-restart")])  # 7
        assert inside.wait(10), seen
        theirs.close()
        own_cluster.stop("fast")
        own_cluster.start()
        theirs = PostgresStore.from_url(url)
        theirs.append([attrs.evolve(template, id="meanwhile-1")])  # 8
        theirs.append([attrs.evolve(template, id="meanwhile-2")])  # 9
        release.set()
        deadline = time.monotonic() + 20
        while len(seen) < 9 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert seen == [1, 2, 3, 4, 5, 6, 7, 8, 9]
        theirs.append([attrs.evolve(template, id="after-1")])  # 10, through LISTEN
        deadline = time.monotonic() + 10
        while len(seen) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        timeline.append(attrs.evolve(template, id="after-2"))  # 11, our own
        assert seen == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
        assert live.position == 11
    finally:
        release.set()
        theirs.close()
        mine.close()
    ours = [r for r in caplog.records if r.name == "conflict_timeline.stores.postgres"]
    assert [r.exc_info for r in ours if r.exc_info] == []  # no traceback
    warned = [r.getMessage() for r in ours if r.levelno >= logging.WARNING]
    assert len(warned) == 1, warned
    assert "live updates wait until it reconnects" in warned[0]
    assert [r.getMessage() for r in ours if r.levelno == logging.INFO] == [
        f"{url}: LISTEN connection back; live updates resumed"
    ]


def test_a_writer_stalled_inside_an_append_lets_the_other_writers_go_on(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A streamed append whose source stops feeding it holds the write lock; the
    server ends its session after the idle timeout (shortened here), the other writer
    appends, and the stalled one gets a StoreError saying so, nothing of its batch
    written; its next call reconnects."""
    monkeypatch.setattr(postgres, "_IDLE_IN_APPEND_MS", 1_000)
    stalled = PostgresStore.from_url(pg_url)
    # If the stalled writer kept the lock, this one would fail after 30 s, not hang.
    other = PostgresStore.from_url(pg_url + "&options=-c%20lock_timeout%3D30000")
    small = StoreConformance.small_records()
    stalled.append(small)
    template = next(r for r in small if isinstance(r, Attack))
    resume = threading.Event()

    def source() -> Iterator[Attack]:
        yield attrs.evolve(template, id="stalled-0")
        resume.wait(60)
        yield attrs.evolve(template, id="stalled-1")

    failed: list[StoreError] = []

    def feed() -> None:
        try:
            stalled.append_stream(source())
        except StoreError as exc:
            failed.append(exc)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        with psycopg.connect(parse_url(pg_url)[0], autocommit=True) as admin:
            deadline = time.monotonic() + 30
            while not _idle_in_transaction(admin):  # it holds the write lock, stalled
                assert time.monotonic() < deadline
                time.sleep(0.01)
        other.append([attrs.evolve(template, id="other-0")])
    finally:
        resume.set()
        writer.join(60)
    assert len(failed) == 1
    assert "idle inside its transaction" in str(failed[0])
    assert "nothing of this batch was written" in str(failed[0])
    assert other.get("stalled-0") is None
    assert other.get("other-0") is not None
    assert other.verify().ok
    stalled.append([attrs.evolve(template, id="after")])  # reconnected
    assert [r.id for r in other.read(start=other.head())] == ["after"]
    stalled.close()
    other.close()


def _idle_in_transaction(admin: psycopg.Connection[tuple[object, ...]]) -> bool:
    row = admin.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'conflict_timeline' "
        "AND state = 'idle in transaction'"
    ).fetchone()
    return bool(row and row[0])


def test_the_writers_idle_limit_is_set_only_where_nothing_sets_it(
    pg_cluster: Cluster, pg_url: str
) -> None:
    """Five minutes where nothing else sets it; the URL's options, and a role's
    setting (ALTER ROLE ... SET, as a DBA would), stand, 0 included."""

    def idle_limit(url: str) -> str:
        store = PostgresStore.from_url(url)
        try:
            row = store._conn.execute(f"SHOW {postgres._IDLE_SETTING}").fetchone()
            assert row is not None
            return str(row[0])
        finally:
            store.close()

    assert idle_limit(pg_url) == "5min"
    assert idle_limit(pg_url + f"&options=-c%20{postgres._IDLE_SETTING}%3D0") == "0"
    owner = PostgresStore.from_url(pg_url)
    suffix = owner.timeline
    owner.create_roles(writer=f"iw_{suffix}", reader=f"ir_{suffix}")
    owner.close()
    with psycopg.connect(parse_url(pg_url)[0], autocommit=True) as admin:
        admin.execute(f"ALTER ROLE iw_{suffix} SET {postgres._IDLE_SETTING} = 0")
    assert idle_limit(pg_cluster.url_for(f"iw_{suffix}") + f"?timeline={suffix}") == "0"
