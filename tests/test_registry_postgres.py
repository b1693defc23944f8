"""``Timeline.open`` and ``open_store`` reach the PostgreSQL backend through the store
registry: ``postgresql://`` and ``postgres://`` are built-in schemes."""

from __future__ import annotations

import os

import pytest

from conflict_timeline import StoreError, Timeline
from conflict_timeline.datasets import karabakh_oct_2020
from conflict_timeline.stores import backends, open_store
from pg_cluster import Cluster


def test_postgres_urls_open_through_the_registry(pg_cluster: Cluster) -> None:
    from conflict_timeline.stores.postgres import PostgresStore

    assert {"postgres", "postgresql"} <= set(backends())
    url = f"{pg_cluster.url}?timeline=registry_{os.getpid()}"
    with Timeline.open(url) as timeline:
        assert isinstance(timeline.store, PostgresStore)
        timeline.append(*karabakh_oct_2020())
    short = url.replace("postgresql://", "postgres://", 1)
    with Timeline.open(short, create=False, read_only=True) as timeline:
        assert len(timeline) == len(karabakh_oct_2020())
        assert timeline.verify().ok
        with pytest.raises(StoreError):
            timeline.append(*karabakh_oct_2020()[:1])
    missing = f"{pg_cluster.url}?timeline=nothing_here_{os.getpid()}"
    with pytest.raises(StoreError):
        open_store(missing, create=False)
