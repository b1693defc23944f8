"""What PostgreSQL adds to the store contract: triggers and roles that enforce
append-only in the database, timelines side by side in one database, the same chain
as SQLite, several writing processes, dropped connections, streamed reads."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
import traceback
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import psycopg
import pytest

from conflict_timeline import (
    ActiveCommitments,
    Attack,
    DamagedStoreError,
    RecordNotFoundError,
    SQLiteStore,
    StoreError,
    Timeline,
    datasets,
)
from conflict_timeline._conformance import TickClock
from conflict_timeline.stores._registry import credentials_span, hide_password, hide_passwords_in
from conflict_timeline.stores.postgres import PostgresStore, _connection_lost, parse_url
from conflict_timeline.testing import StoreConformance
from pg_cluster import Cluster

SMALL = StoreConformance.small_records()
REFUSED = "CT001"
"""The SQLSTATE of the append-only triggers' refusals."""


def raw(url: str, timeline: str) -> psycopg.Connection[tuple[object, ...]]:
    """A plain psycopg connection (as the URL's user) into a timeline's schema."""
    conninfo, _ = parse_url(url)
    return psycopg.connect(conninfo, autocommit=True, options=f"-c search_path={timeline}")


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    s = PostgresStore.from_url(pg_url, clock=TickClock())
    yield s
    s.close()


# -- the database enforces append-only -------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE records SET kind = 'Attack' WHERE position = 1",
        "DELETE FROM records WHERE position = 1",
        "TRUNCATE records",
        "UPDATE refs SET ref = 'elsewhere'",
        "DELETE FROM refs",
        "TRUNCATE refs CASCADE",
        "DELETE FROM head",
        "UPDATE meta SET value = '0'",
    ],
)
def test_the_trigger_refuses_a_superuser_who_rewrites_history(
    store: PostgresStore, pg_url: str, statement: str
) -> None:
    store.append(SMALL)
    with raw(pg_url, store.timeline) as conn, pytest.raises(psycopg.DatabaseError) as e:
        conn.execute(statement)
    assert e.value.sqlstate == REFUSED
    assert "append-only" in str(e.value)
    assert store.verify().ok
    assert store.head() == len(SMALL)


def test_the_head_only_moves_forward(store: PostgresStore, pg_url: str) -> None:
    store.append(SMALL)
    with raw(pg_url, store.timeline) as conn:
        with pytest.raises(psycopg.DatabaseError, match="only move forward"):
            conn.execute("UPDATE head SET position = 2")
        with pytest.raises(psycopg.DatabaseError, match="only move forward"):
            conn.execute("UPDATE head SET hash = 'x'")
    assert store.verify().ok


def test_verify_catches_a_superuser_who_disables_the_trigger(
    store: PostgresStore, pg_url: str
) -> None:
    store.append(SMALL)
    with raw(pg_url, store.timeline) as conn:
        conn.execute("ALTER TABLE records DISABLE TRIGGER records_append_only")
        # Change one attack's day in its payload and recompute its own hash, so the
        # row looks self-consistent: the next row's hash no longer chains onto it.
        (payload, recorded_at, previous) = conn.execute(
            "SELECT r.payload, r.recorded_at, p.hash FROM records r "
            "JOIN records p ON p.position = r.position - 1 WHERE r.position = 5"
        ).fetchone()  # type: ignore[misc]
        edited = bytes(payload).replace(b"2020-10-28", b"2020-10-29")
        assert edited != bytes(payload)
        digest = hashlib.sha256(f"{previous}\n5\n{recorded_at}\n".encode() + edited).hexdigest()
        conn.execute(
            "UPDATE records SET payload = %s, hash = %s WHERE position = 5", (edited, digest)
        )
        conn.execute("ALTER TABLE records ENABLE TRIGGER records_append_only")
    result = store.verify()
    assert not result.ok
    # Position 5 now chains, but its indexed day no longer matches its payload, or
    # position 6 no longer chains onto it: either way the first bad position is 5 or 6.
    assert result.first_bad in (5, 6)


def test_a_stored_record_that_cannot_be_read_is_a_damaged_store_error(
    store: PostgresStore, pg_url: str
) -> None:
    """As on SQLite: bytes written outside the library that decode to no record are a
    `DamagedStoreError` naming the position (a store error a caller handles), not a
    serialization error from deep inside a read."""
    store.append(SMALL)
    with raw(pg_url, store.timeline) as conn:
        conn.execute("ALTER TABLE records DISABLE TRIGGER records_append_only")
        conn.execute("UPDATE records SET payload = %s WHERE position = 3", (b"not json",))
        conn.execute("ALTER TABLE records ENABLE TRIGGER records_append_only")
    with pytest.raises(DamagedStoreError, match=r"position 3: the stored record cannot be read"):
        list(store.read())
    with pytest.raises(DamagedStoreError, match=r"position 3"):
        store.fetch([3])
    assert store.verify().first_bad == 3


# -- roles -------------------------------------------------------------------------------


@pytest.fixture
def roles(store: PostgresStore, pg_cluster: Cluster) -> tuple[str, str]:
    """URLs of the same timeline as its writer and as its reader role."""
    store.append(SMALL[:4])
    suffix = store.timeline
    writer, reader = f"w_{suffix}", f"r_{suffix}"
    store.create_roles(writer=writer, reader=reader)
    query = f"?timeline={store.timeline}"
    return pg_cluster.url_for(writer) + query, pg_cluster.url_for(reader) + query


def test_create_roles_refuses_one_role_for_both_and_postgresqls_own_names(
    store: PostgresStore, pg_cluster: Cluster
) -> None:
    """Rule: the reader may only read. One name given for both would make it a
    writer too; a name starting with pg_ is PostgreSQL's own. Each is refused,
    saying why, and no role is made."""
    suffix = store.timeline
    with pytest.raises(StoreError) as e:
        store.create_roles(writer=f"both_{suffix}", reader=f"both_{suffix}")
    assert str(e.value) == (
        f"the writer and the reader role are both 'both_{suffix}': they must be two "
        "roles, or the reader could append"
    )
    with pytest.raises(StoreError) as e:
        store.create_roles(writer=f"pg_w_{suffix}", reader=f"r_{suffix}")
    assert str(e.value) == (
        f"role 'pg_w_{suffix}' may not start with 'pg_', which PostgreSQL keeps for its own roles"
    )
    with psycopg.connect(pg_cluster.url) as conn:
        made = conn.execute(
            "SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s)",
            (f"both_{suffix}", f"r_{suffix}"),
        ).fetchall()
    assert made == []


def _scram_verifier_is_of(verifier: str, password: str) -> bool:
    """Whether a SCRAM-SHA-256 verifier (RFC 5802, as pg_authid keeps it) was made
    from ``password``."""
    method, _, rest = verifier.partition("$")
    iterations_salt, _, keys = rest.partition("$")
    iterations, _, salt = iterations_salt.partition(":")
    stored_key, _, server_key = keys.partition(":")
    salted = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), base64.b64decode(salt), int(iterations)
    )
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    return (
        method == "SCRAM-SHA-256"
        and base64.b64decode(stored_key) == hashlib.sha256(client_key).digest()
        and base64.b64decode(server_key) == hmac.digest(salted, b"Server Key", "sha256")
    )


def test_create_roles_sends_the_server_a_hash_of_each_password_never_the_password(
    store: PostgresStore, pg_cluster: Cluster, pg_url: str
) -> None:
    """As psql's \\password does: a server that logs every statement (log_statement,
    as audited servers do) or shows it in pg_stat_activity never holds the password,
    only its SCRAM verifier, which logs the role in with that password."""
    suffix = store.timeline
    logged = PostgresStore.from_url(pg_url + "&options=-c%20log_statement%3Dall", create=False)
    try:
        logged.create_roles(
            writer=f"w_{suffix}",
            reader=f"r_{suffix}",
            writer_password="Wr1ter-secret",
            reader_password="R3ader-secret",
        )
    finally:
        logged.close()
    log = pg_cluster.log.read_text(errors="replace")
    assert f'ALTER ROLE "w_{suffix}" PASSWORD' in log  # the statements were logged
    assert "Wr1ter-secret" not in log
    assert "R3ader-secret" not in log
    with psycopg.connect(pg_cluster.url) as conn:
        kept = dict(
            conn.execute(
                "SELECT rolname, rolpassword FROM pg_authid WHERE rolname IN (%s, %s)",
                (f"w_{suffix}", f"r_{suffix}"),
            ).fetchall()
        )
    assert _scram_verifier_is_of(kept[f"w_{suffix}"], "Wr1ter-secret")
    assert _scram_verifier_is_of(kept[f"r_{suffix}"], "R3ader-secret")
    assert not _scram_verifier_is_of(kept[f"r_{suffix}"], "Wr1ter-secret")


def test_the_writer_role_appends_but_cannot_rewrite_history(
    store: PostgresStore, roles: tuple[str, str]
) -> None:
    writer_url, _ = roles
    as_writer = PostgresStore.from_url(writer_url, create=False)
    try:
        assert as_writer.append(SMALL[4:]) == (5, 6)
        assert as_writer.verify().ok
    finally:
        as_writer.close()
    with raw(writer_url, store.timeline) as conn:
        for statement in (
            "UPDATE records SET kind = 'Attack'",
            "DELETE FROM records",
            "TRUNCATE records",
            "DELETE FROM refs",
            "DELETE FROM head",
            "CREATE TABLE extra (x int)",
            "ALTER TABLE records DISABLE TRIGGER records_append_only",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        # UPDATE on head is granted (appends move it), but only forward, and only onto
        # the last record with its hash: no gap, no head naming no record.
        with pytest.raises(psycopg.DatabaseError, match="only move forward"):
            conn.execute("UPDATE head SET position = 1")
        for statement in (
            "UPDATE head SET position = position + 5",
            "UPDATE head SET position = position + 1, hash = (SELECT hash FROM records LIMIT 1)",
        ):
            with pytest.raises(psycopg.DatabaseError, match="must name the last record"):
                conn.execute(statement)
    assert store.head() == 6
    assert store.verify().ok


def test_the_writer_role_cannot_insert_a_record_out_of_line(
    store: PostgresStore, roles: tuple[str, str]
) -> None:
    """INSERT is granted (appends copy rows in), but only in line: the positions of one
    statement must run on from the head without a gap, and the head moves onto its
    last record in that statement. A row left past the head, or after a gap, would
    stop every later append; the database refuses it, and appends go on."""
    writer_url, _ = roles
    row = (
        "INSERT INTO records (position, id, kind, occurred_lo, occurred_last, reported_lo, "
        "reported_last, recorded_at, payload, hash) VALUES (%s, %s, 'ActorDefined', 0, 0, 0, "
        "0, 0, '\\x7b7d', 'abc')"
    )
    with raw(writer_url, store.timeline) as conn:
        for position in (1000, 4, 0):  # a gap; a taken position; before the first
            with pytest.raises(psycopg.DatabaseError) as refused:
                conn.execute(row, (position, f"forged-{position}"))
            assert refused.value.sqlstate in {REFUSED, "23505"}  # or the key's own refusal
        # One statement that starts in line after the head but leaves a gap inside it.
        with pytest.raises(psycopg.DatabaseError) as refused:
            conn.execute(
                "INSERT INTO records (position, id, kind, occurred_lo, occurred_last, "
                "reported_lo, reported_last, recorded_at, payload, hash) VALUES "
                "(5, 'forged-5', 'ActorDefined', 0, 0, 0, 0, 0, '\\x7b7d', 'abc'), "
                "(7, 'forged-7', 'ActorDefined', 0, 0, 0, 0, 0, '\\x7b7d', 'abc')"
            )
        assert refused.value.sqlstate == REFUSED
        assert "(positions 5 to 7 after the head at 4)" in str(refused.value)
    assert store.head() == 4
    assert store.verify().ok
    as_writer = PostgresStore.from_url(writer_url, create=False)
    try:
        assert as_writer.append(SMALL[4:]) == (5, 6)
    finally:
        as_writer.close()
    assert store.verify().ok


def test_a_record_inserted_in_line_moves_the_head_with_it(
    store: PostgresStore, pg_url: str
) -> None:
    # In line after the head, a row the library did not write still moves the head
    # onto itself in the same statement: never a record past the head. Its hash does
    # not chain (verify says so); the next append chains onto it and goes on.
    store.append(SMALL[:4])
    with raw(pg_url, store.timeline) as conn:
        conn.execute(
            "INSERT INTO records (position, id, kind, occurred_lo, occurred_last, "
            "reported_lo, reported_last, recorded_at, payload, hash) VALUES "
            "(5, 'forged', 'ActorDefined', 0, 0, 0, 0, 0, '\\x7b7d', 'abc')"
        )
        (head,) = conn.execute("SELECT position FROM head").fetchone()  # type: ignore[misc]
    assert head == 5
    assert store.head() == 5
    assert store.verify().first_bad == 5


def test_the_reader_role_reads_but_cannot_append(
    store: PostgresStore, roles: tuple[str, str]
) -> None:
    _, reader_url = roles
    as_reader = PostgresStore.from_url(reader_url, create=False)
    try:
        assert [r.record for r in as_reader.read()] == SMALL[:4]
        assert as_reader.verify().ok
        with pytest.raises(StoreError) as e:
            as_reader.append(SMALL[4:])
        message = str(e.value)
        assert "permission denied" in message
        assert "connect as the writer role to append" in message
        assert "nothing of this batch was written" in message
        assert as_reader.head() == 4
        # The failed append left the connection usable.
        assert as_reader.get(SMALL[0].id) is not None
    finally:
        as_reader.close()
    with raw(reader_url, store.timeline) as conn:
        for statement in ("DELETE FROM records", "UPDATE head SET position = 9"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    assert store.head() == 4


def test_the_writer_role_saves_view_states_and_the_reader_uses_them(
    store: PostgresStore, roles: tuple[str, str]
) -> None:
    """Saved view states are the one thing a writer may replace or drop (they are not
    records, and not in the chain); a reader loads them and may not write them."""
    writer_url, reader_url = roles
    with Timeline.open(writer_url, create=False) as tl:
        saved = tl.save_checkpoints(ActiveCommitments, "triggered-commitments")
        assert len(saved) == 2
        tl.append(*SMALL[4:])
        assert len(tl.save_checkpoints(ActiveCommitments)) == 1  # replaced
    reader = PostgresStore.from_url(reader_url, create=False)
    fetched: list[int] = []
    original = reader.index_rows

    def spy(**kwargs: Any) -> Any:
        fetched.append(kwargs.get("start", 1))
        return original(**kwargs)

    with Timeline.open(reader_url, create=False, saved_checkpoints=False) as fresh:
        expected = fresh.state(ActiveCommitments)
    reader.index_rows = spy  # type: ignore[method-assign]
    with Timeline(reader) as tl:
        assert tl.state(ActiveCommitments) == expected
        assert fetched == []  # started from the saved state, at the head
        reader_may_not = (
            r"permission denied for table view_state_parts \(this role may not save or drop "
            r"view states \(a reader role may only load them; .*\): connect as the writer "
            r"role\)"
        )
        with pytest.raises(StoreError, match=reader_may_not):
            tl.save_checkpoints(ActiveCommitments)
        with pytest.raises(StoreError, match=reader_may_not):
            tl.forget_checkpoints()
    with raw(reader_url, store.timeline) as conn:
        for statement in (
            "INSERT INTO view_states VALUES ('v', 'c', 1, 'h', 'd', 0)",
            "UPDATE view_states SET head = 0",
            "DELETE FROM view_states",
            "INSERT INTO view_state_parts VALUES ('v', 0, 'x')",
            "UPDATE view_state_parts SET part = 1",
            "DELETE FROM view_state_parts",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    with Timeline.open(writer_url, create=False) as tl:
        assert tl.forget_checkpoints() == 2


def test_a_role_without_a_grant_on_the_timeline_is_told_so(
    store: PostgresStore, pg_cluster: Cluster
) -> None:
    store.append(SMALL[:1])
    with raw(pg_cluster.url, store.timeline) as conn:
        conn.execute("CREATE ROLE stranger LOGIN")
    try:
        with pytest.raises(StoreError, match=r"this role may not use timeline .*create_roles"):
            PostgresStore.from_url(
                pg_cluster.url_for("stranger") + f"?timeline={store.timeline}", create=False
            )
    finally:
        with raw(pg_cluster.url, store.timeline) as conn:
            conn.execute("DROP ROLE stranger")


def test_a_role_that_may_not_create_gets_a_clear_error(
    roles: tuple[str, str], pg_cluster: Cluster
) -> None:
    """The writer and reader roles opening a timeline that does not exist (a mistyped
    name) are told so, not that they lack a privilege."""
    for url in roles:
        fresh = url.split("?")[0] + "?timeline=never_made"
        with pytest.raises(StoreError, match=r"no such timeline .*'never_made'.*may not create"):
            PostgresStore.from_url(fresh)


def test_a_read_only_store_refuses_appends(store: PostgresStore, pg_url: str) -> None:
    store.append(SMALL[:2])
    reading = PostgresStore.from_url(pg_url, read_only=True)
    try:
        with pytest.raises(StoreError, match="opened read-only; nothing of this batch"):
            reading.append(SMALL[2:])
        assert reading.head() == 2
        # Its connections are read-only too: the server refuses what would write.
        role = f"ro_{os.getpid()}"
        with pytest.raises(StoreError) as e:
            reading.create_roles(writer=role, reader=role + "_r")
        assert "create roles failed: cannot execute " in str(e.value)
        assert "in a read-only transaction" in str(e.value)
        assert "hot standby" not in str(e.value)  # that is said on a standby only
        # The store, not the role, is what refuses: the hint says so.
        assert "(the store was opened read-only (read_only=True)" in str(e.value)
        assert "lacks a privilege" not in str(e.value)
    finally:
        reading.close()
    with raw(pg_url, store.timeline) as conn:
        found = conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s", (role,))
        assert found.fetchone() == (0,)
    # Opening read-only never creates a timeline, even with create=True.
    missing = pg_url.split("?", maxsplit=1)[0] + f"?timeline=ro_missing_{os.getpid()}"
    with pytest.raises(StoreError) as e:
        PostgresStore.from_url(missing, read_only=True)
    assert str(e.value) == (
        f"{missing}: no such timeline (schema 'ro_missing_{os.getpid()}' is missing)"
    )


# -- timelines and schemas ---------------------------------------------------------------


def test_timelines_in_one_database_never_see_each_other(pg_cluster: Cluster) -> None:
    base = pg_cluster.url + "?timeline="
    suffix = os.getpid()
    one = PostgresStore.from_url(f"{base}apart_one_{suffix}")
    two = PostgresStore.from_url(f"{base}apart_two_{suffix}")
    try:
        one.append(SMALL)
        two.append(SMALL[:2])
        two.append([SMALL[2]])
        assert one.head() == 6
        assert two.head() == 3
        assert [r.position for r in two.read()] == [1, 2, 3]
        assert two.get(SMALL[3].id) is None
        assert list(two.involving(SMALL[3].id)) == []
        assert one.verify().ok
        assert two.verify().ok
    finally:
        one.close()
        two.close()


def test_opening_refuses_what_is_not_a_timeline(pg_cluster: Cluster) -> None:
    with psycopg.connect(pg_cluster.url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS someone_elses")
    with pytest.raises(StoreError, match="exists but is not a conflict_timeline timeline"):
        PostgresStore.from_url(pg_cluster.url + "?timeline=someone_elses")
    with pytest.raises(StoreError, match="no such timeline"):
        PostgresStore.from_url(pg_cluster.url + "?timeline=not_there", create=False)
    with pytest.raises(StoreError, match="must be a lowercase letter"):
        PostgresStore.from_url(pg_cluster.url + "?timeline=Robert'); DROP TABLE x")
    with pytest.raises(StoreError, match="not a PostgreSQL URL"):
        PostgresStore.from_url("mysql://localhost/db")


def test_a_newer_schema_version_is_refused(store: PostgresStore, pg_url: str) -> None:
    with raw(pg_url, store.timeline) as conn:
        conn.execute("ALTER TABLE meta DISABLE TRIGGER meta_append_only")
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer conflict_timeline"):
        PostgresStore.from_url(pg_url, create=False)


def test_a_schema_version_other_than_this_librarys_is_refused_saying_which(
    store: PostgresStore, pg_url: str
) -> None:
    """Rule (`PostgresStore`): a schema written by a newer schema version is refused,
    naming both versions; one older than any this library wrote is refused too."""
    for value, expected in (
        (
            "2",
            (
                f"{pg_url}: written by a newer conflict_timeline (schema 2, this library "
                "reads up to 1); upgrade conflict_timeline"
            ),
        ),
        ("0", f"{pg_url}: unknown schema version 0; refusing to touch it"),
    ):
        with raw(pg_url, store.timeline) as conn:
            conn.execute("ALTER TABLE meta DISABLE TRIGGER meta_append_only")
            conn.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (value,))
        with pytest.raises(StoreError) as e:
            PostgresStore.from_url(pg_url, create=False)
        assert str(e.value) == expected


def test_the_url_password_never_shows_in_messages(pg_cluster: Cluster) -> None:
    url = f"postgresql://nobody:s3cret@127.0.0.1:{pg_cluster.port}/ct?timeline=x"
    with pytest.raises(StoreError) as e:
        PostgresStore.from_url(url)
    assert "s3cret" not in str(e.value)
    assert "***" in str(e.value)


SECRET = "s3cret"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            f"postgresql://ct:{SECRET}@db.example:5432/team?timeline=x",
            "postgresql://ct:***@db.example:5432/team?timeline=x",
        ),
        (f"postgres://ct:{SECRET}@db.example/team", "postgres://ct:***@db.example/team"),
        (
            f"postgresql://ct@db.example/team?timeline=x&password={SECRET}",
            "postgresql://ct@db.example/team?timeline=x&password=***",
        ),
        (
            f"postgresql://ct@db.example/team?password={SECRET}&timeline=x#f",
            "postgresql://ct@db.example/team?password=***&timeline=x#f",
        ),
        (  # libpq %-decodes a parameter's name
            f"postgresql://ct@db.example/team?p%61ssword={SECRET}",
            "postgresql://ct@db.example/team?p%61ssword=***",
        ),
        (  # cannot be parsed
            f"postgresql://ct:{SECRET}@[::1/team?timeline=x",
            "postgresql://ct:***@[::1/team?timeline=x",
        ),
        (  # an @ left unencoded in the password: more is hidden, not less
            f"postgresql://ct:{SECRET}@db@example/team",
            "postgresql://ct:***@example/team",
        ),
        (  # a # or ? left unencoded in the password: libpq reads it as the password's
            "postgresql://ct:s3#cret@db.example/team?timeline=x",
            "postgresql://ct:***@db.example/team?timeline=x",
        ),
        (
            "postgresql://ct:s3?cret@db.example/team?sslmode=disable&timeline=x",
            "postgresql://ct:***@db.example/team?sslmode=disable&timeline=x",
        ),
        (  # libpq knows no fragment: the # is part of the value
            "postgresql://ct@db.example/team?timeline=x&password=s3#cret",
            "postgresql://ct@db.example/team?timeline=x&password=***",
        ),
        (  # a parameter's name is read whatever its case
            "postgresql://ct@db.example/team?timeline=x&PASSWORD=s3cret",
            "postgresql://ct@db.example/team?timeline=x&PASSWORD=***",
        ),
        (
            f"host=db.example password={SECRET} dbname=team",
            "host=db.example password=*** dbname=team",
        ),
        (
            f"host=db.example password='{SECRET} x' dbname=team",
            "host=db.example password=*** dbname=team",
        ),
    ],
)
def test_hide_password_hides_the_password_of_every_form(url: str, shown: str) -> None:
    assert hide_password(url) == shown


def test_hide_password_keeps_a_url_without_one() -> None:
    for url in ("postgresql://ct@[::1]:5432/team?timeline=x", "TL.db", "memory:"):
        assert hide_password(url) == url


def test_hide_passwords_in_hides_a_quoted_password_without_its_quotes() -> None:
    """A ``key=value`` string quotes a password with a space: the password is what is
    inside the quotes, and a message quoting it in words of its own shows ``***``."""
    target = "host=db.example password='s3 cret' dbname=team"
    message = "could not connect: s3 cret was refused"
    assert hide_passwords_in(message, target) == "could not connect: *** was refused"
    assert hide_passwords_in("no 's3 cret' here", target) == "no '***' here"


@pytest.mark.parametrize(
    ("url", "span"),
    [
        ("postgresql://ct:pw@", (13, 18)),  # the @ is the last character: still found
        ("postgresql://ct:pw@db", (13, 18)),
        ("postgresql://ct:pw@db/team", (13, 18)),
        ("postgresql://db/te@m", None),  # an @ after a / is no user's
        ("host=db password=pw", None),
    ],
)
def test_credentials_span_is_up_to_the_first_at_before_any_slash(
    url: str, span: tuple[int, int] | None
) -> None:
    assert credentials_span(url) == span


def test_a_password_in_the_query_string_never_shows(pg_cluster: Cluster) -> None:
    url = f"postgresql://nobody@127.0.0.1:1/ct?password={SECRET}&timeline=x"
    with pytest.raises(StoreError) as e:
        PostgresStore.from_url(url)
    assert SECRET not in str(e.value)
    assert "password=***" in str(e.value)


@pytest.mark.parametrize(
    "credentials", ["ct:se%ZZcret@", "ct@"], ids=["in-the-authority", "in-the-query"]
)
def test_libpq_quoting_a_bad_escape_of_the_password_never_shows_it(
    pg_cluster: Cluster, credentials: str
) -> None:
    """Not in the message, nor in the traceback an uncaught error (or a logged one)
    prints: the psycopg error libpq's message came in is not chained to it."""
    url = f"postgresql://{credentials}127.0.0.1:{pg_cluster.port}/ct?timeline=x"
    if "cret" not in credentials:
        url += "&password=se%ZZcret"
    with pytest.raises(StoreError) as e:
        Timeline.open(url)
    assert "cret" not in str(e.value)
    assert "percent-encoded" in str(e.value)
    printed = "".join(traceback.format_exception(e.value))
    assert "percent-encoded" in printed
    assert "cret" not in printed


def test_a_slash_left_unencoded_in_the_password_is_named_when_connecting_fails(
    pg_cluster: Cluster,
) -> None:
    """A generated password often holds a / (base64). libpq ends the user and password
    at the first /, so it reads no password, the user as the host and the start of the
    password as the port, and fails saying the host cannot be resolved: the message
    says how to write a / in a password, and hides the password still. Written %2F,
    no such hint."""
    url = f"postgresql://ct:Zm9v/YmFy@127.0.0.1:{pg_cluster.port}/ct?timeline=x"
    with pytest.raises(StoreError) as e:
        Timeline.open(url)
    assert str(e.value).endswith(
        "; libpq reads a password only up to an @ before the first /, so a / in the "
        "password is written %2F)"
    )
    assert "Zm9v" not in str(e.value)
    assert "YmFy" not in str(e.value)
    missing = f"postgresql://ct:Zm9v%2FYmFy@127.0.0.1:{pg_cluster.port}/no_such_db?timeline=x"
    with pytest.raises(StoreError) as e:
        Timeline.open(missing)
    assert "does not exist" in str(e.value)
    assert "%2F)" not in str(e.value)


def test_hide_passwords_in_keeps_a_quoted_user_host_or_database_that_is_the_password() -> None:
    """A password that is also the user's name (``postgres:postgres``), or part of the
    host, is hidden where libpq quotes the password, not where it quotes the user, the
    host or the database: hiding those garbled the message and told that they are the
    password."""
    target = "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
    keep = {"postgres", "127.0.0.1", "5432"}
    message = 'at "127.0.0.1", port 5432 failed: FATAL:  role "postgres" does not exist'
    assert hide_passwords_in(message, target, keep=keep) == message
    assert hide_passwords_in('token: "postgres%"', target, keep=keep) == 'token: "***%"'
    one = "postgresql://ct:1@127.0.0.1:5432/team"
    assert hide_passwords_in('at "127.0.0.1" failed', one, keep={"127.0.0.1"}) == (
        'at "127.0.0.1" failed'
    )
    assert hide_passwords_in('at "127.0.0.1" failed', one) == 'at "***27.0.0.***" failed'


def test_a_missing_database_named_as_the_password_is_named_in_the_message(
    pg_cluster: Cluster,
) -> None:
    name = f"nodb_{os.getpid()}"
    url = f"postgresql://ct:{name}@127.0.0.1:{pg_cluster.port}/{name}?timeline=x"
    with pytest.raises(StoreError) as e:
        Timeline.open(url)
    assert f'database "{name}" does not exist' in str(e.value)
    assert str(e.value).startswith(f"postgresql://ct:***@127.0.0.1:{pg_cluster.port}/{name}")


def test_a_refused_connection_keeps_libpqs_error_as_its_cause(pg_cluster: Cluster) -> None:
    """Where libpq's message quotes no password, its error stays chained."""
    url = f"postgresql://ct:s3cret@127.0.0.1:{pg_cluster.port}/no_such_db?timeline=x"
    with pytest.raises(StoreError) as e:
        Timeline.open(url)
    assert isinstance(e.value.__cause__, psycopg.OperationalError)
    assert "s3cret" not in "".join(traceback.format_exception(e.value))


def test_a_password_with_an_unencoded_hash_or_question_mark_is_read_as_libpq_reads_it(
    pg_cluster: Cluster,
) -> None:
    """libpq reads a URL's password up to the @, a # or ? in it included (a URL parser
    would end it there): parse_url reads it so too, so ?timeline= names the timeline
    (it was taken for part of the password, and refused by libpq), and messages
    hide all of the password."""
    secret = "s3#c?r[e]t"
    assert parse_url(
        f"postgresql://ct:{secret}@db.example:5432/team?timeline=x&sslmode=disable"
    ) == ("postgresql://ct:s3%23c%3Fr%5Be%5Dt@db.example:5432/team?sslmode=disable", "x")
    # Trust authentication takes any password: what matters is that libpq parses it.
    name = f"hashed_{os.getpid()}"
    url = f"postgresql://ct:{secret}@127.0.0.1:{pg_cluster.port}/ct?timeline={name}"
    store = PostgresStore.from_url(url)
    try:
        store.append(SMALL[:1])
        assert store.timeline == name
        assert store.label == f"postgresql://ct:***@127.0.0.1:{pg_cluster.port}/ct?timeline={name}"
        assert store._rows("SELECT current_user, current_schema()") == [("ct", name)]
    finally:
        store.close()
    with pytest.raises(StoreError) as e:
        PostgresStore.from_url(url.replace(f"={name}", "=missing"), create=False)
    assert "no such timeline" in str(e.value)
    assert "s3" not in str(e.value)
    assert "r[e]t" not in str(e.value)


def test_a_refused_connection_is_not_called_a_lost_one(pg_cluster: Cluster, pg_url: str) -> None:
    """Rule: a clear StoreError. libpq reports every failed connection attempt alike
    (no SQLSTATE), a wrong database or a role that may not log in as much as a server
    out of reach: the hint says the store could not connect, and where to look when
    opening, rather than that the server is out of reach or the connection lost."""
    missing = pg_cluster.url.rsplit("/", 1)[0] + "/no_such_db?timeline=x"
    with pytest.raises(StoreError) as e:
        PostgresStore.from_url(missing)
    assert str(e.value).endswith(
        'FATAL:  database "no_such_db" does not exist (could not connect: check that the '
        "server runs and the URL's host, port, user, password and database)"
    )
    conninfo, timeline = parse_url(pg_url)
    role = f"gated_{timeline}"
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN SUPERUSER")
    store = PostgresStore.from_url(pg_cluster.url_for(role) + f"?timeline={timeline}")
    try:
        store.append(SMALL[:1])
        assert store.head() == 1  # a reading connection kept
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(f"ALTER ROLE {role} NOLOGIN")
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                (role,),
            )
        with pytest.raises(StoreError, match="connection was lost; the next call reconnects"):
            store.head()  # on the connection the server ended
        with pytest.raises(StoreError) as e:
            store.head()  # a new one, refused
        assert str(e.value).endswith(
            f'FATAL:  role "{role}" is not permitted to log in '
            "(could not connect; the next call tries again)"
        )
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(f"ALTER ROLE {role} LOGIN")
        assert store.head() == 1
    finally:
        store.close()


@pytest.mark.parametrize(
    ("error", "lost"),
    [
        (psycopg.OperationalError("server closed the connection unexpectedly"), True),
        (psycopg.errors.ConnectionFailure("08006"), True),
        (psycopg.errors.ProtocolViolation("08P01"), True),
        (psycopg.errors.AdminShutdown("terminating connection"), True),
        (psycopg.errors.IdleSessionTimeout("57P05"), True),
        (psycopg.errors.IdleInTransactionSessionTimeout("25P03"), True),
        (psycopg.errors.QueryCanceled("statement timeout"), False),
        (psycopg.errors.LockNotAvailable("lock timeout"), False),
        (psycopg.errors.SerializationFailure("40001"), False),
        (psycopg.InterfaceError("the connection is closed"), False),
    ],
)
def test_what_counts_as_a_lost_connection(error: psycopg.Error, lost: bool) -> None:
    """Rule (`_connection_lost`'s docstring): no SQLSTATE from the client on an
    OperationalError, class 08, 57P or 25P03 is a lost connection (the next call
    reconnects); a statement the server cancelled on a live connection is not."""
    assert _connection_lost(error) is lost


def test_a_malformed_url_is_a_store_error_without_its_password() -> None:
    url = f"postgresql://ct:{SECRET}@[::1/ct?timeline=x"
    for opening in (parse_url, Timeline.open, PostgresStore.from_url):
        with pytest.raises(StoreError) as e:
            opening(url)  # type: ignore[operator]
        message = str(e.value)
        assert "not a valid URL" in message
        assert "Invalid IPv6 URL" in message
        assert SECRET not in message
        assert "postgresql://ct:***@[::1/ct?timeline=x" in message


def test_query_parameters_reach_libpq_as_written() -> None:
    """libpq %-decodes a parameter and reads + as a plus: parse_url passes them on
    without decoding and encoding them again (urlencode made a space a +)."""
    conninfo, name = parse_url(
        "postgresql://ct@/ct?host=/run/sock%20dir&timeline=t1&application_name=a+b%2Fc"
    )
    assert name == "t1"
    assert conninfo == "postgresql://ct@/ct?host=/run/sock%20dir&application_name=a+b%2Fc"
    parsed = psycopg.conninfo.conninfo_to_dict(conninfo)
    assert parsed["host"] == "/run/sock dir"
    assert parsed["application_name"] == "a+b/c"
    # An empty host (the default socket) stays a URL libpq reads.
    assert parse_url("postgresql:///ct?host=/run/x")[0] == "postgresql:///ct?host=/run/x"
    # libpq knows no fragment: a # in a parameter's value is part of it, and reaches
    # libpq so (a password holding one).
    conninfo, name = parse_url("postgresql://ct@db/team?timeline=x&password=s3#cret")
    assert (conninfo, name) == ("postgresql://ct@db/team?password=s3#cret", "x")
    assert psycopg.conninfo.conninfo_to_dict(conninfo)["password"] == "s3#cret"


def test_a_timeline_name_is_a_lowercase_letter_then_up_to_39_more() -> None:
    """Rule (docs/howto/postgres.md): a timeline's name is a lowercase letter, then up
    to 39 lowercase letters, digits or underscores (it names a schema)."""
    longest = "k" + "a1_" * 13  # 40 characters
    assert parse_url(f"postgresql://ct@db/team?timeline={longest}") == (
        "postgresql://ct@db/team",
        longest,
    )
    with pytest.raises(StoreError) as e:
        parse_url(f"postgresql://ct:{SECRET}@db/team?timeline={longest}x")
    assert str(e.value) == (
        f"postgresql://ct:***@db/team?timeline={longest}x: timeline '{longest}x' must be a "
        "lowercase letter followed by up to 39 lowercase letters, digits or underscores "
        "(it names a schema)"
    )
    for bad in ("", "1st", "_t", "Karabakh", "kara-bakh", "kara bakh"):
        with pytest.raises(StoreError, match="must be a lowercase letter followed by"):
            parse_url(f"postgresql://ct@db/team?timeline={urllib.parse.quote(bad)}")
    # The store itself refuses one before it connects (no server is there).
    with pytest.raises(StoreError) as e:
        PostgresStore("postgresql://ct@db/team", timeline=longest + "x")
    assert str(e.value) == (
        f"timeline '{longest}x' must be a lowercase identifier (it names a schema)"
    )
    # PostgreSQL keeps schema names starting with pg_ for itself (CREATE SCHEMA
    # pg_x fails): such a name is refused saying so, before connecting.
    with pytest.raises(StoreError) as e:
        parse_url(f"postgresql://ct:{SECRET}@db/team?timeline=pg_karabakh")
    assert str(e.value) == (
        "postgresql://ct:***@db/team?timeline=pg_karabakh: timeline 'pg_karabakh' may "
        "not start with 'pg_', which PostgreSQL keeps for its own names (it names a schema)"
    )
    with pytest.raises(StoreError) as e:
        PostgresStore("postgresql://ct@db/team", timeline="pg_karabakh")
    assert str(e.value) == (
        "timeline 'pg_karabakh' may not start with 'pg_', which PostgreSQL keeps for "
        "its own names (it names a schema)"
    )
    assert parse_url("postgresql://ct@db/team?timeline=pgk")[1] == "pgk"
    # ?timeline= twice is refused, whichever spelling of the key.
    with pytest.raises(StoreError) as e:
        parse_url("postgresql://ct@db/team?timeline=a&%74imeline=b")
    assert (
        str(e.value)
        == "postgresql://ct@db/team?timeline=a&%74imeline=b: ?timeline= is given 2 times"
    )
    # Both schemes libpq takes; another is refused.
    assert parse_url("postgres://ct@db/team")[1] == "timeline"
    with pytest.raises(StoreError) as e:
        parse_url("mysql://ct@db/team")
    assert str(e.value) == (
        "'mysql://ct@db/team': not a PostgreSQL URL (postgresql://user@host:port/database)"
    )


def test_the_urls_own_options_reach_the_server_with_the_timelines_schema(
    pg_cluster: Cluster,
) -> None:
    # libpq takes one ``options``: the store's search_path is added to the URL's own,
    # not put in its place; a search_path in them cannot move the timeline elsewhere.
    url = (
        pg_cluster.url + "?timeline=opts&options=-c%20statement_timeout%3D1234"
        "%20-c%20search_path%3Dpublic"
    )
    store = PostgresStore.from_url(url)
    try:
        store.append(SMALL[:1])
        timeout, path = store._rows(
            "SELECT current_setting('statement_timeout'), current_schema()"
        )[0]
        assert (timeout, path) == ("1234ms", "opts")
    finally:
        store.close()


def test_the_urls_own_application_name_reaches_the_server(pg_cluster: Cluster) -> None:
    """Rule (docs/howto/postgres.md): the URL's other query parameters go to libpq as
    written; ``application_name`` too (what pg_stat_activity shows for a team's
    dashboard or import job). Without one, the connections are named
    ``conflict_timeline``."""
    named = PostgresStore.from_url(pg_cluster.url + "?timeline=named&application_name=dashboard")
    plain = PostgresStore.from_url(pg_cluster.url + "?timeline=named")
    try:
        named.append(SMALL[:1])
        assert list(named.read()) == list(plain.read())  # reading connections too
        assert named._rows("SELECT current_setting('application_name')") == [("dashboard",)]
        assert plain._rows("SELECT current_setting('application_name')") == [
            ("conflict_timeline",)
        ]
        reading = named.read()
        next(reading)  # a reading connection of its own, its cursor open
        with psycopg.connect(pg_cluster.url) as admin:
            names = admin.execute(
                "SELECT application_name FROM pg_stat_activity WHERE state = "
                "'idle in transaction' AND query LIKE 'FETCH%%'"
            ).fetchall()
        assert names == [("dashboard",)]
        assert list(reading) == []  # the read ends, its connection given back
    finally:
        named.close()
        plain.close()


def _keepalive(conn: psycopg.Connection[Any]) -> tuple[int, int, int, int]:
    """The TCP keepalive settings of ``conn``'s socket, as the kernel holds them: on,
    idle seconds, seconds between probes, probes."""
    with socket.socket(fileno=os.dup(conn.pgconn.socket)) as sock:
        return (
            sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
            sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
            sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL),
            sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT),
        )


def test_connections_probe_an_idle_network_unless_the_url_says_otherwise(
    pg_cluster: Cluster,
) -> None:
    """Rule (docs/howto/postgres.md): every connection over TCP keeps keepalives on,
    probing after 30 s idle, every 10 s, 3 times (a dead network is found in about a
    minute, not the system's two hours), the writing and the reading ones alike; a
    keepalive setting the URL gives wins, each on its own."""
    plain = PostgresStore.from_url(pg_cluster.url + "?timeline=alive")
    own = PostgresStore.from_url(
        pg_cluster.url + "?timeline=alive&keepalives_idle=300&keepalives_count=9"
    )
    try:
        plain.append(SMALL[:1])
        assert _keepalive(plain._conn) == (1, 30, 10, 3)
        reader = plain._take_reader()
        try:
            assert _keepalive(reader) == (1, 30, 10, 3)
        finally:
            plain._give_back(reader)
        assert _keepalive(own._conn) == (1, 300, 10, 9)
    finally:
        plain.close()
        own.close()


def _shown(store: PostgresStore, setting: str) -> str:
    with store._conn.cursor() as cur:
        row = cur.execute(f"SHOW {setting}").fetchone()
    assert row is not None
    return str(row[0])


def test_a_services_and_the_environments_settings_are_kept_not_replaced(
    pg_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rule (docs/howto/postgres.md): the keepalives and ``options`` a team gives in a
    ``pg_service.conf`` service (``?service=`` or ``PGSERVICE``), or ``options`` in
    ``PGOPTIONS``, hold as libpq would hold them (the URL's first, then the service's,
    then the environment's): the store's own ``search_path`` is added to those
    options and its keepalives fill only what none of them sets."""
    services = tmp_path / "pg_service.conf"
    services.write_text(
        "# the team's services\n"
        "[other]\nkeepalives_idle=999\n\n"
        "[team]\n"
        "keepalives_idle=120\n"
        "keepalives_count=5\n"
        "options=-c statement_timeout=42s\n"
        "[after]\nkeepalives_count=7\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    monkeypatch.delenv("PGSERVICE", raising=False)
    monkeypatch.delenv("PGOPTIONS", raising=False)
    by_url = PostgresStore.from_url(pg_cluster.url + "?service=team&timeline=served")
    # The URL's own setting beats the service's.
    url_first = PostgresStore.from_url(
        pg_cluster.url + "?service=team&keepalives_count=9&timeline=served"
    )
    monkeypatch.setenv("PGSERVICE", "team")
    by_env = PostgresStore.from_url(pg_cluster.url + "?timeline=served")
    monkeypatch.delenv("PGSERVICE")
    monkeypatch.setenv("PGOPTIONS", "-c statement_timeout=43s")
    by_options = PostgresStore.from_url(pg_cluster.url + "?timeline=served")
    stores = (by_url, url_first, by_env, by_options)
    try:
        by_url.append(SMALL[:1])
        assert _keepalive(by_url._conn) == (1, 120, 10, 5)
        assert _shown(by_url, "statement_timeout") == "42s"
        assert _keepalive(url_first._conn) == (1, 120, 10, 9)
        assert _keepalive(by_env._conn) == (1, 120, 10, 5)
        assert _shown(by_env, "statement_timeout") == "42s"
        assert _keepalive(by_options._conn) == (1, 30, 10, 3)
        assert _shown(by_options, "statement_timeout") == "43s"
        for store in stores:  # the timeline's schema, whatever the user's options
            assert _shown(store, "search_path") == "served"
            assert store.head() == 1
    finally:
        for store in stores:
            store.close()


def test_a_hot_standby_reads_but_refuses_live_updates_saying_to_use_the_primary(
    pg_cluster: Cluster,
) -> None:
    """Rule (docs/howto/postgres.md): a timeline opened on a hot standby (a read
    replica) reads as on its primary, but PostgreSQL lets no standby ``LISTEN``: a
    live view or a subscription there is refused at once with a StoreError that says
    so and names the primary as the URL to watch, not left waiting for updates that
    never come."""
    if shutil.which("pg_basebackup") is None:
        if os.environ.get("CT_REQUIRE_POSTGRES") == "1":
            pytest.fail("CT_REQUIRE_POSTGRES=1 but pg_basebackup is not on PATH")
        pytest.skip("pg_basebackup (PostgreSQL's client programs) is not on PATH")
    primary = PostgresStore.from_url(pg_cluster.url + "?timeline=replicated")
    try:
        primary.append(SMALL[:3])
        expected = [r.record.id for r in primary.read()]
    finally:
        primary.close()
    standby = Cluster(standby_of=pg_cluster)
    try:
        url = standby.url + "?timeline=replicated"
        with Timeline.open(url, create=False, read_only=True) as replica:
            assert [r.record.id for r in replica.store.read()] == expected
            assert len(expected) == 3
            with pytest.raises(StoreError) as refused:
                replica.subscribe(lambda recorded: None)
            message = str(refused.value)
            assert "hot standby" in message
            assert "LISTEN" in message
            assert "primary" in message
            with pytest.raises(StoreError, match="hot standby"):
                replica.live(ActiveCommitments)
            # Reads go on after the refusal.
            assert replica.store.head() == 3
        # Opened for writing, it says why it takes no append, and nothing is written;
        # nor can a timeline be created there.
        writable = PostgresStore.from_url(url, create=False)
        try:
            with pytest.raises(StoreError) as append:
                writable.append(SMALL[3:4])
            assert "hot standby" in str(append.value)
            assert "nothing of this batch was written" in str(append.value)
            assert "reader role" not in str(append.value)
            assert writable.head() == 3
        finally:
            writable.close()
        with pytest.raises(StoreError, match=r"hot standby.*primary's URL"):
            PostgresStore.from_url(standby.url + "?timeline=elsewhere")
    finally:
        standby.destroy()


def test_a_socket_folder_with_a_space_in_its_name(pg_cluster: Cluster, tmp_path: Path) -> None:
    folder = tmp_path / "sock dir"
    folder.symlink_to(pg_cluster.root)
    host = urllib.parse.quote(str(folder))
    url = f"postgresql://ct@/ct?host={host}&port={pg_cluster.port}&timeline=spaced"
    assert "%20" in url
    with Timeline.open(url) as timeline:
        timeline.append(*SMALL[:1])
        assert timeline.head == 1


# -- the same chain as SQLite ------------------------------------------------------------


def test_the_chain_is_byte_identical_to_sqlite(pg_url: str, tmp_path: Path) -> None:
    records = list(datasets.karabakh_oct_2020())
    lite = SQLiteStore(tmp_path / "t.db", clock=TickClock())
    pg = PostgresStore.from_url(pg_url, clock=TickClock())
    try:
        lite.append(records[:7])
        pg.append(records[:7])
        lite.append(records[7:])
        pg.append(records[7:])
        mine = [(r.position, r.recorded_at, r.hash) for r in pg.read()]
        theirs = [(r.position, r.recorded_at, r.hash) for r in lite.read()]
        assert mine == theirs
        assert len(mine) == len(records)
    finally:
        lite.close()
        pg.close()


# -- several processes -------------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys

    import attrs

    from conflict_timeline import Attack
    from conflict_timeline.stores.postgres import PostgresStore
    from conflict_timeline.testing import StoreConformance

    url, name = sys.argv[1], sys.argv[2]
    store = PostgresStore.from_url(url, create=False)
    template = next(r for r in StoreConformance.small_records() if isinstance(r, Attack))
    for i in range(25):
        store.append([attrs.evolve(template, id=f"{name}-{i}")])
    store.close()
    """
)


def test_writers_in_several_processes_get_gapless_positions(
    store: PostgresStore, pg_url: str
) -> None:
    store.append(SMALL)
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, pg_url, f"p{n}"]) for n in range(3)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    stored = list(store.read())
    assert [r.position for r in stored] == list(range(1, len(SMALL) + 76))
    ids = [r.id for r in stored]
    assert len(set(ids)) == len(ids)
    for n in range(3):  # each process's records in its own order
        mine = [i for i in ids if i.startswith(f"p{n}-")]
        assert mine == [f"p{n}-{i}" for i in range(25)]
    assert store.verify().ok


def test_a_stores_reads_do_not_wait_for_its_append_in_another_thread(
    store: PostgresStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rule (docs/howto/postgres.md, "Gapless positions"): readers never wait for an
    append, also those of the same store in another thread of the process (a
    dashboard's requests beside a scheduled import): head(), get(), fetch(),
    load_state() and the rest answer from what is committed while the append holds
    the write lock."""
    store.append(SMALL)
    writing, release = threading.Event(), threading.Event()
    write = store._write

    def held(batch: Any) -> None:
        write(batch)
        writing.set()
        release.wait(30)  # the transaction stays open, the write lock held

    monkeypatch.setattr(store, "_write", held)
    appender = threading.Thread(target=store.append, args=([_attack("late")],))
    appender.start()
    answers: dict[str, object] = {}
    try:
        assert writing.wait(10)

        def ask() -> None:
            answers["head"] = store.head()
            answers["late"] = store.get("late")
            answers["first"] = store.fetch([1])[0].record
            answers["payload"] = store.payload_of("late")
            answers["hash"] = store.chain_hash_at(7)
            answers["dangling"] = store.dangling_references()
            answers["state"] = store.load_state("m:V")

        asker = threading.Thread(target=ask)
        asker.start()
        asker.join(10)
        assert answers == {
            "head": 6,
            "late": None,
            "first": SMALL[0],
            "payload": None,
            "hash": None,
            "dangling": [],
            "state": None,
        }
    finally:
        release.set()
        appender.join(30)
    assert store.head() == 7
    assert store.get("late") is not None


def test_a_looked_up_id_with_a_nul_is_no_record_as_on_sqlite(store: PostgresStore) -> None:
    """No id holds a NUL (ids may not hold control characters), and PostgreSQL's text
    cannot: a lookup of one (a dashboard's ?id=a%00b) finds nothing, as on SQLite,
    rather than fail with a StoreError."""
    store.append(SMALL)
    assert store.get("north\x00") is None
    assert store.payload_of("north\x00") is None
    assert list(store.involving("north\x00")) == []
    with pytest.raises(RecordNotFoundError):
        Timeline(store).get("north\x00")
    assert store.get("north") is not None  # the same id without it


# -- connections ---------------------------------------------------------------------


def _kill_backends(url: str) -> int:
    """Terminate every conflict_timeline connection to the server (as an admin would):
    how many there were."""
    with psycopg.connect(parse_url(url)[0], autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'conflict_timeline' AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def test_a_dropped_connection_is_a_store_error_and_the_next_call_reconnects(
    store: PostgresStore, pg_url: str
) -> None:
    store.append(SMALL[:2])
    assert _kill_backends(pg_url) >= 1
    with pytest.raises(StoreError, match="connection was lost; the next call reconnects"):
        store.append(SMALL[2:4])
    assert store.head() == 2
    assert store.append(SMALL[2:4]) == (3, 4)
    _kill_backends(pg_url)
    with pytest.raises(StoreError, match="read failed"):
        store.head()
    assert store.head() == 4
    assert [r.position for r in store.read()] == [1, 2, 3, 4]
    assert store.verify().ok


# -- reads -----------------------------------------------------------------------------


def test_reads_stream_through_a_server_side_cursor(store: PostgresStore, pg_url: str) -> None:
    template = next(r for r in SMALL if isinstance(r, Attack))
    store.append(SMALL)
    store.append([attrs.evolve(template, id=f"many-{i}") for i in range(5_000)])
    reading = store.read()
    first = next(reading)
    assert first.position == 1
    with psycopg.connect(parse_url(pg_url)[0], autocommit=True) as admin:
        queries = [
            str(q)
            for (q,) in admin.execute(
                "SELECT query FROM pg_stat_activity WHERE application_name = "
                "'conflict_timeline' AND state = 'idle in transaction'"
            ).fetchall()
        ]
    # The reading connection holds an open cursor and has fetched one page so far.
    assert any(q.startswith("FETCH FORWARD 2000") for q in queries), queries
    # An append while the read is open does not disturb it (its own snapshot).
    store.append([attrs.evolve(template, id="late")])
    rest = list(reading)
    assert [r.position for r in rest] == list(range(2, len(SMALL) + 5_001))
    assert store.head() == len(SMALL) + 5_001


# -- live across processes (LISTEN/NOTIFY) -----------------------------------------------


def test_subscribe_sees_another_process_append_promptly(store: PostgresStore, pg_url: str) -> None:
    store.append(SMALL[:2])
    timeline = Timeline(store)
    seen: list[int] = []
    arrived = threading.Event()

    def on_record(recorded: object) -> None:
        seen.append(recorded.position)  # type: ignore[attr-defined]
        if len(seen) == len(SMALL):
            arrived.set()

    timeline.subscribe(on_record)
    assert seen == [1, 2]
    script = textwrap.dedent(
        """
        import sys
        from conflict_timeline.stores.postgres import PostgresStore
        from conflict_timeline.testing import StoreConformance
        store = PostgresStore.from_url(sys.argv[1], create=False)
        store.append(StoreConformance.small_records()[2:])
        store.close()
        """
    )
    subprocess.run([sys.executable, "-c", script, pg_url], check=True, timeout=60)
    assert arrived.wait(10), seen
    assert seen == list(range(1, len(SMALL) + 1))
    # Our own appends still reach the subscriber once each.
    store.append([_attack("own")])
    assert seen[-1] == len(SMALL) + 1
    assert len(seen) == len(set(seen))


def test_another_stores_big_append_reaches_a_listener_10000_records_at_a_time(
    store: PostgresStore, pg_url: str
) -> None:
    """Rule (the ``_DELIVER`` docstring): records committed elsewhere are handed to
    the listeners 10,000 at a time while catching up, each once, in position order."""
    theirs = PostgresStore.from_url(pg_url)
    calls: list[tuple[int, int, int]] = []
    done = threading.Event()

    def listener(batch: list[Any]) -> None:
        calls.append((batch[0].position, batch[-1].position, len(batch)))
        if batch[-1].position == len(SMALL) + 10_001:
            done.set()

    n = len(SMALL)
    try:
        store.append(SMALL)  # the actors the attacks name
        store.add_listener(listener)
        theirs.append([_attack(f"bulk-{i}") for i in range(10_001)])
        assert done.wait(30), calls
        assert calls == [(n + 1, n + 10_000, 10_000), (n + 10_001, n + 10_001, 1)]
    finally:
        theirs.close()


def test_an_own_append_after_an_undelivered_one_from_elsewhere_delivers_both_in_order(
    store: PostgresStore, pg_url: str
) -> None:
    """Rule (`PostgresStore.add_listener`): each record reaches the listeners once, in
    position order. Another store's append that the LISTEN thread has not handed on
    yet comes before this store's own next append, and a listener added meanwhile
    does not make the first one miss it."""
    theirs = PostgresStore.from_url(pg_url)
    store.append(SMALL)
    n = len(SMALL)
    first: list[int] = []
    second: list[int] = []
    store.add_listener(lambda batch: first.extend(r.position for r in batch))
    try:
        # Holding the (re-entrant) delivery lock keeps the LISTEN thread from handing
        # on their append before ours: the order the rule is about.
        with store._deliver_lock:
            theirs.append([_attack("theirs-1")])
            store.add_listener(lambda batch: second.extend(r.position for r in batch))
            store.append([_attack("mine-1")])
        assert first == [n + 1, n + 2]
        assert second == [n + 1, n + 2]
        time.sleep(0.5)  # the notifications of both appends: nothing is handed twice
        assert first == [n + 1, n + 2]
        assert second == [n + 1, n + 2]
    finally:
        theirs.close()


def test_a_callback_that_appends_while_another_process_appends_does_not_deadlock(
    pg_url: str,
) -> None:
    """A subscription's callback holds the timeline's delivery while it appends, and
    the append waits for the store's own delivery; the LISTEN thread holds that while
    it reports another process's append to the timeline. Neither may wait for the
    other: every record still reaches the subscriber once, in position order."""
    mine = PostgresStore.from_url(pg_url)
    theirs = PostgresStore.from_url(pg_url)
    mine.append(SMALL)
    timeline = Timeline(mine)
    seen: list[int] = []
    subscribed = threading.Event()
    last = len(SMALL) + 2

    def on_record(recorded: object) -> None:
        seen.append(recorded.position)  # type: ignore[attr-defined]
        if recorded.position == 1:  # type: ignore[attr-defined]
            theirs.append([_attack("theirs")])  # the LISTEN thread takes this up
            time.sleep(1.0)  # ... and reports it while this callback holds on
            timeline.append(_attack("mine"))

    def subscribe() -> None:
        timeline.subscribe(on_record)
        subscribed.set()

    threading.Thread(target=subscribe, daemon=True).start()
    if not subscribed.wait(30):  # the stores are left open: closing them would hang too
        pytest.fail(f"the subscription deadlocked after delivering {seen}")
    try:
        deadline = time.monotonic() + 10
        while len(seen) < last and time.monotonic() < deadline:
            time.sleep(0.05)
        assert seen == list(range(1, last + 1))
        assert [r.record.id for r in timeline.read(start=last - 1)] == ["theirs", "mine"]
    finally:
        theirs.close()
        mine.close()


def test_a_live_view_follows_another_store_on_the_same_timeline(pg_url: str) -> None:
    from conflict_timeline import ActiveCommitments

    mine = PostgresStore.from_url(pg_url)
    theirs = PostgresStore.from_url(pg_url)
    try:
        timeline = Timeline(mine)
        live = timeline.live(ActiveCommitments)
        before = live.position
        records = list(datasets.karabakh_oct_2020())
        theirs.append(records)
        deadline = time.monotonic() + 10
        while live.position < len(records) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert before == 0
        assert live.position == len(records)
        expected = Timeline(theirs).state(ActiveCommitments)
        assert live.value == expected
    finally:
        mine.close()
        theirs.close()


def _attack(rid: str) -> Attack:
    template = next(r for r in SMALL if isinstance(r, Attack))
    return attrs.evolve(template, id=rid)


# -- opening by URL ----------------------------------------------------------------------


def test_timeline_open_takes_a_postgresql_url(pg_url: str) -> None:
    with Timeline.open(pg_url) as timeline:
        timeline.append(*SMALL)
        assert isinstance(timeline.store, PostgresStore)
    # postgres:// is the same scheme; create=False and read_only=True reach the store.
    again = pg_url.replace("postgresql://", "postgres://", 1)
    with Timeline.open(again, create=False, read_only=True) as timeline:
        assert [r.record for r in timeline] == SMALL
        with pytest.raises(StoreError, match="read-only"):
            timeline.append(_attack("refused"))


def test_without_psycopg_the_error_names_the_extra() -> None:
    script = textwrap.dedent(
        """
        import sys
        sys.modules["psycopg"] = None  # as if the extra were not installed
        from conflict_timeline import MissingExtraError, Timeline
        try:
            Timeline.open("postgresql://me@localhost/db")
        except MissingExtraError as exc:
            print(exc)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert "pip install 'conflict_timeline[postgres]'" in done.stdout


def test_a_bulk_append_writes_its_slices_behind_on_a_helper_thread(
    store: PostgresStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """store.md: on PostgreSQL each slice's COPY runs on a helper thread, in order;
    a COPY that fails fails the append, nothing of the batch is stored, and the
    store goes on working."""
    store._SLICE = 2
    threads: list[tuple[int, str]] = []
    write = store._write

    def noted(batch: Any) -> None:
        threads.append((batch[0].position, threading.current_thread().name))
        write(batch)

    monkeypatch.setattr(store, "_write", noted)
    assert store.append(SMALL[:6]) == (1, 2, 3, 4, 5, 6)
    assert [p for p, _ in threads] == [1, 3, 5]
    assert all(name.startswith("conflict_timeline-write") for _, name in threads)

    def failing(batch: Any) -> None:
        if batch[0].position == 9:
            msg = "the server refused the slice"
            raise StoreError(msg)
        write(batch)

    monkeypatch.setattr(store, "_write", failing)
    more = [attrs.evolve(SMALL[0], id=f"actor-more-{i}", name=f"More {i}") for i in range(6)]
    with pytest.raises(StoreError, match="refused the slice"):
        store.append(more)
    assert store.head() == 6
    monkeypatch.setattr(store, "_write", write)
    assert store.append(more) == (7, 8, 9, 10, 11, 12)
    assert store.verify().ok
