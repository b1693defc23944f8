"""Adversarial checks of the PostgreSQL store: lost connections with several
reading connections kept, timelines side by side with live subscriptions, copies
resumed into a destination that moved on, superuser edits that verify() must catch."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import psycopg
import pytest

from conflict_timeline import Attack, StoreError
from conflict_timeline._conformance import TickClock
from conflict_timeline.stores.postgres import PostgresStore, parse_url
from conflict_timeline.testing import StoreConformance

SMALL = StoreConformance.small_records()


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    s = PostgresStore.from_url(pg_url, clock=TickClock())
    yield s
    s.close()


def _attack(rid: str) -> Attack:
    template = next(r for r in SMALL if isinstance(r, Attack))
    return attrs.evolve(template, id=rid)


def _kill_backends(url: str) -> int:
    """Terminate every conflict_timeline connection to the server (as an admin would)."""
    with psycopg.connect(parse_url(url)[0], autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'conflict_timeline' AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


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
    with pytest.raises(StoreError, match="read failed.*the next call reconnects"):
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
