"""Rules of docs/howto/postgres.md for the PostgreSQL store that a planted bug in
src/conflict_timeline/stores/postgres.py slipped past the other tests: each test
pins one, with the expected values written from the docs."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator

import attrs
import psycopg
import pytest

from conflict_timeline import StoreError
from conflict_timeline._conformance import TickClock
from conflict_timeline.stores import SavedState
from conflict_timeline.stores.postgres import PostgresStore, parse_url
from conflict_timeline.testing import StoreConformance
from pg_cluster import Cluster

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


# -- create_roles: what each role is granted ------------------------------------------

_TABLES = ("records", "refs", "head", "meta", "view_states", "view_state_parts")
_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")


@pytest.fixture
def roles(store: PostgresStore, pg_cluster: Cluster) -> tuple[str, str]:
    """The names of this timeline's writer and reader role, made by create_roles."""
    store.append(SMALL[:4])
    writer, reader = f"w_{store.timeline}", f"r_{store.timeline}"
    store.create_roles(writer=writer, reader=reader)
    return writer, reader


def _granted(url: str, timeline: str, role: str) -> dict[str, set[str]]:
    with raw(url, timeline) as conn:
        return {
            table: {
                privilege
                for privilege in _PRIVILEGES
                if conn.execute(
                    "SELECT has_table_privilege(%s, %s, %s)",
                    (role, f"{timeline}.{table}", privilege),
                ).fetchone()
                == (True,)
            }
            for table in _TABLES
        }


def test_create_roles_grants_the_reader_select_only_and_the_writer_what_appends_need(
    store: PostgresStore, pg_url: str, roles: tuple[str, str]
) -> None:
    """Rule (docs/howto/postgres.md, "Give the team roles"; create_roles' docstring):
    the writer has SELECT and INSERT on the records and their references, SELECT and
    UPDATE on the head row, SELECT on the metadata, and INSERT, UPDATE and DELETE on
    the saved view states; the reader has SELECT only. (A planted bug granting the
    reader INSERT on the records and their references passed every test: its
    appends still failed, on the head row, but a stray reference went in.)"""
    writer, reader = roles
    state_rights = {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert _granted(pg_url, store.timeline, writer) == {
        "records": {"SELECT", "INSERT"},
        "refs": {"SELECT", "INSERT"},
        "head": {"SELECT", "UPDATE"},
        "meta": {"SELECT"},
        "view_states": state_rights,
        "view_state_parts": state_rights,
    }
    assert _granted(pg_url, store.timeline, reader) == {table: {"SELECT"} for table in _TABLES}


def test_the_reader_role_cannot_slip_a_reference_in(
    store: PostgresStore, pg_cluster: Cluster, roles: tuple[str, str]
) -> None:
    """Rule: the reader may only read; a row it tries to insert anywhere is refused."""
    _, reader = roles
    reader_url = pg_cluster.url_for(reader) + f"?timeline={store.timeline}"
    with raw(reader_url, store.timeline) as conn:
        for statement in (
            "INSERT INTO refs VALUES ('north', 1, 'stray', 'actor')",
            "INSERT INTO view_states VALUES ('v', 'c', 0, 'x', 'd', 0)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    assert store.verify().ok


# -- a batch is one transaction: its records and their references together -------------


def test_a_batch_whose_references_fail_to_go_in_leaves_none_of_its_records(
    store: PostgresStore, pg_url: str
) -> None:
    """Rule (docs/howto/postgres.md, "Atomic batches"): a batch is one transaction, its
    records going in by COPY inside it. When the server refuses the batch's references
    (here a trigger a superuser added refuses every new one), none of its records is
    stored and the head stays where it was; the next append goes on from there. (A
    planted bug committing the records' COPY before the references' passed every
    test: the kill of the SIGKILL test lands in the records' COPY.)"""
    store.append(SMALL[:4])
    with raw(pg_url, store.timeline) as conn:
        conn.execute(
            "CREATE FUNCTION refuse_refs() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'no new references today'; END $$"
        )
        conn.execute(
            "CREATE TRIGGER refuse_refs BEFORE INSERT ON refs "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_refs()"
        )
    with pytest.raises(StoreError, match="no new references today"):
        store.append(SMALL[4:])
    assert store.head() == 4
    assert store.get("raid-1") is None
    assert store.get("raid-2") is None
    with raw(pg_url, store.timeline) as conn:
        assert conn.execute("SELECT position FROM head").fetchone() == (4,)
        conn.execute("DROP TRIGGER refuse_refs ON refs")
    assert store.verify().ok
    assert store.append(SMALL[4:]) == (5, 6)
    assert store.verify().ok


# -- saved view states bigger than one part ---------------------------------------------

_MIB = 1024 * 1024


def test_a_saved_state_bigger_than_one_part_loads_back_whole_and_a_smaller_one_replaces_it(
    store: PostgresStore, pg_url: str
) -> None:
    """Rule (docs/explanation/store.md, the schema): a saved state's bytes are kept in
    parts of at most 64 MiB; a save replaces the view's previous state, and a load
    hands back what was saved. (A planted bug loading the parts in reverse order
    passed every test: no test saved a state of more than one part.)"""
    store.append(SMALL)
    big = b"first part " + bytes(64 * _MIB) + b" and its tail"
    store.save_state(SavedState("m:Big", "code", 6, "chain", "digest", 1, big))
    with raw(pg_url, store.timeline) as conn:
        lengths = [
            int(n)  # type: ignore[call-overload]
            for (n,) in conn.execute(
                "SELECT length(bytes) FROM view_state_parts WHERE view = 'm:Big' ORDER BY part"
            ).fetchall()
        ]
    assert len(lengths) > 1
    assert max(lengths) <= 64 * _MIB
    assert sum(lengths) == len(big)
    loaded = store.load_state("m:Big")
    assert loaded is not None
    assert loaded[:6] == ("m:Big", "code", 6, "chain", "digest", 1)
    # compared by digest: a failure's diff of 64 MiB would take longer than the test
    assert hashlib.sha256(loaded.blob).hexdigest() == hashlib.sha256(big).hexdigest()
    store.save_state(SavedState("m:Big", "code2", 6, "chain", "digest2", 2, b"small now"))
    assert store.load_state("m:Big") == SavedState(
        "m:Big", "code2", 6, "chain", "digest2", 2, b"small now"
    )


# -- verify() reads one snapshot -------------------------------------------------------


def test_verify_takes_no_append_made_meanwhile_for_damage(
    store: PostgresStore, pg_url: str
) -> None:
    """Rule (PostgresStore's verify, docs/howto/postgres.md "Gapless positions"):
    verify() reads the head row, the records and their references in one snapshot,
    so appends made meanwhile (by anyone) are neither checked nor taken for damage.
    Another store appends one record at a time while verify() runs again and again:
    each says the timeline is sound. (A planted bug reading at READ COMMITTED, one
    snapshot per statement, passed every test.)"""
    store.append(SMALL)
    template = SMALL[4]
    stop = threading.Event()
    appended: list[int] = []

    def append_meanwhile() -> None:
        other = PostgresStore.from_url(pg_url, create=False)
        try:
            n = 0
            while not stop.is_set():
                appended.extend(other.append([attrs.evolve(template, id=f"meanwhile-{n}")]))
                n += 1
        finally:
            other.close()

    writer = threading.Thread(target=append_meanwhile)
    writer.start()
    try:
        results = [store.verify() for _ in range(150)]
    finally:
        stop.set()
        writer.join(30)
    assert len(appended) > 20  # the appends did run alongside
    assert [r for r in results if not r.ok] == []
    assert store.verify().ok


# -- the head row moves only onto the last record ---------------------------------------


def test_the_head_row_may_not_stop_short_of_the_last_record(
    store: PostgresStore, pg_url: str
) -> None:
    """Rule (docs/howto/postgres.md, "Give the team roles"): the head row's trigger lets
    it move only forward and only onto the last record with its hash. In a timeline
    whose records have no in-line trigger (one created before it existed: here the
    superuser drops it), rows inserted by hand leave records past the head; moving
    the head forward onto one of them that is not the last, with that record's own
    hash, is refused. (A planted bug dropping the "no later record" check passed
    every test.)"""
    store.append(SMALL[:4])
    row = (
        "INSERT INTO records (position, id, kind, occurred_lo, occurred_last, reported_lo, "
        "reported_last, recorded_at, payload, hash) VALUES (%s, %s, 'ActorDefined', 0, 0, 0, "
        "0, 0, '\\x7b7d', %s)"
    )
    with raw(pg_url, store.timeline) as conn:
        conn.execute("DROP TRIGGER records_in_line ON records")
        conn.execute(row, (5, "by-hand-5", "hash-5"))
        conn.execute(row, (6, "by-hand-6", "hash-6"))
        with pytest.raises(psycopg.DatabaseError, match="must name the last record") as e:
            conn.execute("UPDATE head SET position = 5, hash = 'hash-5'")
        assert e.value.sqlstate == REFUSED
        assert conn.execute("SELECT position FROM head").fetchone() == (4,)
        conn.execute("UPDATE head SET position = 6, hash = 'hash-6'")  # the last: taken
        assert conn.execute("SELECT position, hash FROM head").fetchone() == (6, "hash-6")


def test_in_a_timeline_without_the_in_line_trigger_the_append_moves_the_head(
    store: PostgresStore, pg_url: str
) -> None:
    """Rule (docs/howto/postgres.md, "Give the team roles"): a timeline created before
    the in-line trigger existed has none, and its head is moved by the append itself
    (here the superuser drops the trigger to make one). The head row then names the
    last record and its hash, and appends go on. (A planted bug leaving out the
    append's own head update passed every test.)"""
    store.append(SMALL[:4])
    with raw(pg_url, store.timeline) as conn:
        conn.execute("DROP TRIGGER records_in_line ON records")
    assert store.append(SMALL[4:]) == (5, 6)
    with raw(pg_url, store.timeline) as conn:
        assert conn.execute("SELECT position, hash FROM head").fetchone() == (
            6,
            store.chain_hash_at(6),
        )
    assert store.verify().ok
    template = SMALL[4]
    assert store.append([attrs.evolve(template, id="raid-3")]) == (7,)
    assert store.head() == 7
    assert store.verify().ok
