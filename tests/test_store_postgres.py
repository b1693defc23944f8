"""PostgresStore passes the shipped store conformance suite, against a real server."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import psycopg
import pytest

from conflict_timeline import Store
from conflict_timeline.stores import Clock
from conflict_timeline.stores.postgres import PostgresStore
from conflict_timeline.testing import StoreConformance
from pg_cluster import Cluster

_names = itertools.count()


class TestPostgresStore(StoreConformance):
    @pytest.fixture(autouse=True)
    def _cluster(self, pg_cluster: Cluster) -> None:
        self.cluster = pg_cluster

    def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        url = f"{self.cluster.url}?timeline=conf{next(_names)}_{os.getpid()}"
        return PostgresStore.from_url(url, clock=clock)

    def reopen_store(self, store: Store, clock: Clock) -> Store:
        assert isinstance(store, PostgresStore)
        store.close()
        return PostgresStore.from_url(store.label, clock=clock, create=False)

    def corrupt(self, store: Store, position: int) -> bool:
        # A superuser who disables the append-only trigger and flips one payload bit.
        assert isinstance(store, PostgresStore)
        with psycopg.connect(self.cluster.url, autocommit=True) as conn, conn.transaction():
            conn.execute(f"SET LOCAL search_path = {store.timeline}")
            conn.execute("ALTER TABLE records DISABLE TRIGGER records_append_only")
            conn.execute(
                "UPDATE records SET payload = set_byte(payload, length(payload) / 2, "
                "get_byte(payload, length(payload) / 2) # 1) WHERE position = %s",
                (position,),
            )
            conn.execute("ALTER TABLE records ENABLE TRIGGER records_append_only")
        return True
