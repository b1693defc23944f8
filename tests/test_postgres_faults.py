"""Faults on PostgreSQL: a client killed mid-append, the server stopped hard mid-append.

Each test kills something for real (SIGKILL, ``pg_ctl stop -m immediate``) and then
checks the log against what was acknowledged: no partial batch, no lost batch, and a
chain that verifies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator

import psycopg
import pytest

from conflict_timeline.stores.postgres import PostgresStore, parse_url
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
