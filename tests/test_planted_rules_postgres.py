"""Rules of docs/howto/postgres.md for the PostgreSQL store that a planted bug in
src/conflict_timeline/stores/postgres.py slipped past the other tests: each test
pins one, with the expected values written from the docs."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from conflict_timeline._conformance import TickClock
from conflict_timeline.stores.postgres import PostgresStore, parse_url
from conflict_timeline.testing import StoreConformance

SMALL = StoreConformance.small_records()
REFUSED = "CT001"
"""The SQLSTATE of the append-only triggers' refusals."""


def raw(url: str, timeline: str) -> psycopg.Connection[tuple[object, ...]]:
    """A plain psycopg connection (as the URL's user, here a superuser) into a
    timeline's schema."""
    conninfo, _ = parse_url(url)
    return psycopg.connect(conninfo, autocommit=True, options=f"-c search_path={timeline}")


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    s = PostgresStore.from_url(pg_url, clock=TickClock())
    yield s
    s.close()


# -- the triggers refuse DELETE and TRUNCATE on the metadata and the head ---------------


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM meta",
        "DELETE FROM meta WHERE key = 'schema_version'",
        "TRUNCATE meta",
        "TRUNCATE head",
    ],
)
def test_the_metadata_and_the_head_row_cannot_be_deleted_or_truncated(
    store: PostgresStore, pg_url: str, statement: str
) -> None:
    """Rule (docs/howto/postgres.md, "Give the team roles"): triggers refuse UPDATE,
    DELETE and TRUNCATE on the records, their references and the schema's metadata,
    and let the head row only move forward, for every role, a superuser included.
    (A planted bug leaving DELETE out of the metadata's trigger passed every test.)"""
    store.append(SMALL)
    with raw(pg_url, store.timeline) as conn, pytest.raises(psycopg.DatabaseError) as e:
        conn.execute(statement)
    assert e.value.sqlstate == REFUSED
    assert "append-only" in str(e.value)
    with raw(pg_url, store.timeline) as conn:
        assert dict(conn.execute("SELECT key, value FROM meta").fetchall()).keys() == {
            "application",
            "schema_version",
        }
        assert conn.execute("SELECT count(*) FROM head").fetchone() == (1,)
    reopened = PostgresStore.from_url(pg_url, create=False)
    try:
        assert reopened.head() == len(SMALL)
        assert reopened.verify().ok
    finally:
        reopened.close()
