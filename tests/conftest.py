"""Shared test settings: hypothesis profiles (a fast default, a thorough ``ci``), and a
throwaway PostgreSQL cluster for the PostgreSQL tests."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from pg_cluster import ENABLE_HINT, Cluster, missing_binaries

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
# Saved view states are signed with a key; the tests (and the processes they start)
# use this one, so that no test writes a key file into the home directory.
os.environ.setdefault("CONFLICT_TIMELINE_STATE_KEY", "conflict-timeline-tests")


# -- PostgreSQL: one throwaway cluster per test session -------------------------------


_timeline_names = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL server for this session; skipped (or, with CT_REQUIRE_POSTGRES=1,
    failed) when the server binaries or psycopg are missing."""
    required = os.environ.get("CT_REQUIRE_POSTGRES") == "1"
    missing = missing_binaries()
    problem = f"missing {', '.join(missing)}: {ENABLE_HINT}" if missing else ""
    if not problem:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            problem = "psycopg is not installed: pip install 'conflict_timeline[postgres]'"
    if problem:
        if required:
            pytest.fail(f"CT_REQUIRE_POSTGRES=1 but {problem}")
        pytest.skip(problem)
    cluster = Cluster()
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """The URL of a new, empty timeline (its own schema) in the session's cluster."""
    return f"{pg_cluster.url}?timeline=t{next(_timeline_names)}_{os.getpid()}"


# -- order: the long variants' files first ---------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With the long variants on (``CT_SLOW``, as CI runs them), the files that hold one
    run first, each file's tests in their own order: xdist hands out whole files, and
    a file a minute longer than the others, handed out last, leaves one worker running
    it alone at the end. The longest work first keeps the workers' ends together."""
    if not os.environ.get("CT_SLOW"):
        return
    long_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in long_files)  # stable: order kept
