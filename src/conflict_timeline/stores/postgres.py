"""The PostgreSQL store: a timeline shared by a team on a database server.

Needs the ``postgres`` extra (``pip install 'conflict_timeline[postgres]'``, psycopg 3).

Each timeline lives in a schema of its own (``?timeline=name`` in the URL, default
``timeline``), so one database holds several timelines that never see each other's
records. The layout mirrors `conflict_timeline.stores.sqlite`:

* ``records``: one row per record, ``position`` its primary key, the canonical JSON
  ``payload`` (``bytea``), the chained ``hash`` and the columns queries cut on
  (integer epoch microseconds, ``kind``, ``id``, ``target``).
* ``refs``: one row per reference, keyed by referenced id.
* ``head``: one row, the last position and its hash. Every append locks this row
  (``SELECT ... FOR UPDATE``) before it reads the head, and writes it in the same
  transaction: appenders, in any process, queue on that one row lock, so positions
  are gapless and each batch chains onto the one before. Readers never wait for it
  (MVCC), and a row lock rather than a table lock keeps ``verify()``'s and other
  readers' ``SELECT`` free even during a long bulk append.
* ``meta``: what the schema is (``application = conflict_timeline``, its version).

Triggers make the database refuse ``UPDATE``, ``DELETE`` and ``TRUNCATE`` on
``records``, ``refs`` and ``meta``, and any move of ``head`` other than forward onto
the last record with its hash (a role allowed to append cannot leave a head that
names no record); and, in a timeline this version creates, records inserted other
than in line after the head (each insert statement's positions must run on from the
head without a gap, and the head moves onto its last record in the same statement:
a role allowed to append cannot leave a gap, nor a record past the head that would
stop every later append): the library is not the only guard of append-only. A superuser
can still disable the triggers; `PostgresStore.verify` catches what such a user changes.

Bulk appends go through ``COPY ... FROM STDIN (FORMAT BINARY)`` inside the append's
one transaction; reads stream through server-side cursors, each in a ``REPEATABLE
READ`` snapshot on a connection of its own; rows come in PostgreSQL's binary format
(a payload's bytes as stored, not as hex text to be decoded). A committed append
sends ``NOTIFY`` on the timeline's channel, so live views and subscribers in other
processes catch up.

Every statement is parameterised; schema, role and channel names are validated and
quoted as identifiers by psycopg.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import urllib.parse
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any, Final

from .._records import Record
from .._serialization import record_from_stored
from ..errors import ConflictTimelineError, MissingExtraError, StoreError
from ._base import (
    EXPECTED_KIND,
    GENESIS_HASH,
    Clock,
    Dangling,
    IndexRow,
    Prepared,
    Problem,
    Recorded,
    RefsReader,
    SavedState,
    StoreBase,
    StoredRow,
    index_rows_of,
    saved_state_of,
    unreadable,
)
from ._registry import credentials_span, hide_password, hide_passwords_in

try:
    import psycopg
    from psycopg import errors as pg_errors
    from psycopg import sql
except ImportError as exc:  # pragma: no cover - exercised in a venv without the extra
    _msg = "the PostgreSQL store needs psycopg 3: pip install 'conflict_timeline[postgres]'"
    raise MissingExtraError(_msg) from exc

__all__ = ["DEFAULT_TIMELINE", "SCHEMA_VERSION", "PostgresStore"]

SCHEMA_VERSION: Final = 1
"""The ``schema_version`` in ``meta`` of the timelines this library writes."""

DEFAULT_TIMELINE: Final = "timeline"
"""The schema of a URL without ``?timeline=``."""

_NAME: Final = re.compile(r"[a-z][a-z0-9_]{0,39}")
_RESERVED: Final = "pg_"
"""The prefix PostgreSQL keeps for its own schema and role names: it refuses to
create a schema or a role whose name starts with it."""
_CREDENTIAL_ESCAPES: Final = str.maketrans({"?": "%3F", "#": "%23", "[": "%5B", "]": "%5D"})
_log = logging.getLogger(__name__)
_IDLE: Final = psycopg.pq.TransactionStatus.IDLE

_SCHEMA: Final = (
    """CREATE TABLE records (
        position bigint PRIMARY KEY,
        id text NOT NULL UNIQUE,
        kind text NOT NULL,
        occurred_lo bigint NOT NULL,
        occurred_last bigint NOT NULL,
        reported_lo bigint NOT NULL,
        reported_last bigint NOT NULL,
        recorded_at bigint NOT NULL,
        target text,
        payload bytea NOT NULL,
        hash text NOT NULL
    )""",
    "CREATE INDEX records_kind ON records (kind, position)",
    "CREATE INDEX records_occurred ON records (occurred_lo, occurred_last)",
    "CREATE INDEX records_target ON records (target) WHERE target IS NOT NULL",
    """CREATE TABLE refs (
        ref text NOT NULL,
        position bigint NOT NULL,
        field text NOT NULL,
        what text NOT NULL,
        PRIMARY KEY (ref, position, field)
    )""",
    """CREATE TABLE head (
        one integer PRIMARY KEY CHECK (one = 1),
        position bigint NOT NULL,
        hash text NOT NULL
    )""",
    "CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL)",
    """CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'conflict_timeline: % on %.% refused: the timeline is append-only',
            TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
            USING ERRCODE = 'CT001',
                  HINT = 'append a Correction or a Retraction instead';
    END $$""",
    """CREATE FUNCTION head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        last_hash text;
        later boolean;
    BEGIN
        IF NEW.one <> OLD.one OR NEW.position <= OLD.position THEN
            RAISE EXCEPTION
                'conflict_timeline: the head of %.% may only move forward (from % to %)',
                TG_TABLE_SCHEMA, TG_TABLE_NAME, OLD.position, NEW.position
                USING ERRCODE = 'CT001';
        END IF;
        EXECUTE format('SELECT hash FROM %I.records WHERE position = $1', TG_TABLE_SCHEMA)
            INTO last_hash USING NEW.position;
        EXECUTE format(
            'SELECT EXISTS (SELECT 1 FROM %I.records WHERE position > $1)', TG_TABLE_SCHEMA
        ) INTO later USING NEW.position;
        IF last_hash IS DISTINCT FROM NEW.hash OR later THEN
            RAISE EXCEPTION
                'conflict_timeline: the head of %.% must name the last record and its hash '
                '(position % is not the last record, or its hash differs)',
                TG_TABLE_SCHEMA, TG_TABLE_NAME, NEW.position
                USING ERRCODE = 'CT001';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE FUNCTION records_in_line() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        lo bigint;
        hi bigint;
        n bigint;
        at bigint;
        last_hash text;
    BEGIN
        SELECT min(position), max(position), count(*) INTO lo, hi, n FROM appended;
        IF n = 0 THEN
            RETURN NULL;
        END IF;
        EXECUTE format('SELECT position FROM %I.head WHERE one = 1 FOR UPDATE', TG_TABLE_SCHEMA)
            INTO at;
        IF at IS NULL OR lo <> at + 1 OR hi - lo + 1 <> n THEN
            RAISE EXCEPTION
                'conflict_timeline: records appended to %.% must follow its head in line '
                '(positions % to % after the head at %)',
                TG_TABLE_SCHEMA, TG_TABLE_NAME, lo, hi, at
                USING ERRCODE = 'CT001',
                      HINT = 'append through the library, which numbers records after the head';
        END IF;
        SELECT hash INTO last_hash FROM appended WHERE position = hi;
        EXECUTE format('UPDATE %I.head SET position = $1, hash = $2 WHERE one = 1',
            TG_TABLE_SCHEMA) USING hi, last_hash;
        RETURN NULL;
    END $$""",
    (
        "CREATE TRIGGER records_in_line AFTER INSERT ON records "
        "REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION records_in_line()"
    ),
    (
        "CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON records "
        "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
    ),
    (
        "CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON records "
        "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
    ),
    (
        "CREATE TRIGGER refs_append_only BEFORE UPDATE OR DELETE ON refs "
        "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
    ),
    (
        "CREATE TRIGGER refs_no_truncate BEFORE TRUNCATE ON refs "
        "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
    ),
    (
        "CREATE TRIGGER meta_append_only BEFORE UPDATE OR DELETE ON meta "
        "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
    ),
    (
        "CREATE TRIGGER meta_no_truncate BEFORE TRUNCATE ON meta "
        "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
    ),
    (
        "CREATE TRIGGER head_forward BEFORE UPDATE ON head "
        "FOR EACH ROW EXECUTE FUNCTION head_forward_only()"
    ),
    (
        "CREATE TRIGGER head_no_delete BEFORE DELETE ON head "
        "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
    ),
    (
        "CREATE TRIGGER head_no_truncate BEFORE TRUNCATE ON head "
        "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
    ),
)

# Saved view states (see Timeline.save_checkpoints): not records, outside the chain,
# replaced at each save, so no append-only trigger. Part of every new timeline's
# schema; the first save into an older timeline creates them (as its owner).
_STATE_SCHEMA: Final = (
    """CREATE TABLE IF NOT EXISTS view_states (
        view text PRIMARY KEY,
        code text NOT NULL,
        head bigint NOT NULL,
        chain text NOT NULL,
        digest text NOT NULL,
        saved_at bigint NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS view_state_parts (
        view text NOT NULL,
        part integer NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (view, part)
    )""",
)
_HAS_STATE_TABLES: Final = (
    "SELECT count(*) FROM pg_tables WHERE schemaname = %s AND tablename = 'view_state_parts'"
)
_STATE_WRITES: Final = ("save view state", "drop view states")
"""What `PostgresStore._error` is told when saving or dropping view states fails."""
_STATE_PART: Final = 64 * 1024 * 1024  # bytes of a saved state per row (bytea's limit: 1 GB)

_RECORD_COLUMNS: Final = (
    "position, id, kind, occurred_lo, occurred_last, reported_lo, reported_last, "
    "recorded_at, target, payload, hash"
)
_RECORD_TYPES: Final = (
    "int8", "text", "text", "int8", "int8", "int8", "int8", "int8", "text", "bytea", "text"
)  # fmt: skip
_COPY_RECORDS: Final = f"COPY records ({_RECORD_COLUMNS}) FROM STDIN (FORMAT BINARY)"
_COPY_REFS: Final = "COPY refs (ref, position, field, what) FROM STDIN (FORMAT BINARY)"
_ENVELOPE: Final = "position, recorded_at, hash, payload"
_INDEX_COLS: Final = (
    "position, id, kind, occurred_lo, occurred_last, reported_lo, reported_last, target"
)
_PAGE: Final = 2_000
_EXPECTED_JSON: Final = json.dumps(EXPECTED_KIND, sort_keys=True)
"""Rows fetched per round trip from a server-side cursor."""
_IDLE_READERS: Final = 4
"""Reading connections kept open between reads."""
_STANDBY: Final = (
    "the server is a hot standby (a read replica), which takes no writes and no LISTEN "
    "whatever the role: use the primary's URL to append, create a timeline, save view "
    "states or watch live"
)
_KEEPALIVES: Final = {
    "keepalives": "1",
    "keepalives_idle": "30",
    "keepalives_interval": "10",
    "keepalives_count": "3",
}
"""TCP keepalives of every connection, where the URL sets none: a connection idle
30 s is probed every 10 s, and dropped after 3 probes unanswered, so a network that
dies without a word (a laptop's Wi-Fi, a NAT that forgets the connection) is found
in about a minute rather than the system's default two hours and more. It matters
most to the ``LISTEN`` connection of a live view or a subscriber, which sends
nothing while it waits: without them it waits on a dead connection, and the
dashboard stays silently out of date. libpq ignores them on a Unix socket."""

_IDLE_SETTING: Final = "idle_in_transaction_session_timeout"
_IDLE_IN_APPEND_MS: Final = 300_000
"""How long the server lets the writing connection sit idle inside a transaction
(``idle_in_transaction_session_timeout``) before it ends the session, where nothing
sets it (the URL's ``options`` or ``PGOPTIONS``, the server's configuration, an
``ALTER DATABASE`` or ``ALTER ROLE ... SET``: theirs stands, 0 included). An append
holds the timeline's write lock from its start to its commit, so a writer that
stalls inside one (a source that stops feeding a streamed append, a laptop put to
sleep, a process stopped in a debugger) would otherwise keep every other writer of
the timeline waiting until the server noticed the client gone (hours, behind a
NAT). Ended, its batch is rolled back, nothing of it written, and the writers
waiting go on. Five minutes: far more than any pause of a live import between the
slices it writes. Readers are left alone: a slow consumer of a long read is idle in
its snapshot's transaction too."""

_DELIVER: Final = 10_000
"""Records handed to listeners at a time when catching up on other processes' appends."""


def _given_settings(url: dict[str, Any]) -> dict[str, Any]:
    """The connection settings the user gave, as libpq would resolve them: those of the
    URL (``url``, parsed), then those of its service (``service=`` in the URL, else
    ``PGSERVICE``) that the URL does not give, then ``PGOPTIONS`` when neither gives
    ``options``.

    The store passes ``options`` and the keepalives itself, and libpq takes a setting
    passed so over a service file's and the environment's: read here, they are kept
    (the store's ``search_path`` added to the user's ``options``, its keepalives only
    where the user set none), not silently replaced.
    """
    given = dict(url)
    service = given.get("service") or os.environ.get("PGSERVICE")
    if service:
        for key, value in _service_settings(str(service)).items():
            given.setdefault(key, value)
    options = os.environ.get("PGOPTIONS")
    if options and "options" not in given:
        given["options"] = options
    return given


def _service_settings(name: str) -> dict[str, str]:
    """The settings of service ``name`` where libpq looks for it: the user's file
    (``PGSERVICEFILE``, else ``~/.pg_service.conf``) first, then the system's
    (``pg_service.conf`` in ``PGSYSCONFDIR``); the first that holds the service gives
    all of them. An unreadable file is passed over (libpq's connect says what is
    wrong with it)."""
    user = os.environ.get("PGSERVICEFILE") or os.path.expanduser("~/.pg_service.conf")
    files = [user]
    system = os.environ.get("PGSYSCONFDIR")
    if system:
        files.append(os.path.join(system, "pg_service.conf"))
    for path in files:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                lines = fh.read().splitlines()
        except OSError:
            continue
        found: dict[str, str] | None = None
        section = None
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
                if found is not None:
                    break  # the service's section is over
                if section == name:
                    found = {}
                continue
            if found is not None and "=" in line:
                key, _, value = line.partition("=")
                found[key.strip()] = value.strip()
        if found is not None:
            return found
    return {}


def _connection_lost(exc: psycopg.Error) -> bool:
    """Whether ``exc`` says the connection is gone (or never came): no SQLSTATE from
    the client, class 08 (connection exception), 57P (the server shutting down, an
    administrator's terminate, an idle session timeout) or 25P03 (the server ended a
    session left idle in a transaction). A statement the server cancelled (a lock or
    statement timeout, a serialization failure) is an OperationalError too, on a live
    connection."""
    state = exc.sqlstate
    if state is None:
        return isinstance(exc, psycopg.OperationalError)
    return state.startswith(("08", "57P")) or state == "25P03"


def _never_an_id(value: object) -> bool:
    """Whether ``value`` is a string no record id can be because it holds a NUL: ids
    may not hold control characters, and PostgreSQL's text refuses NUL outright, so
    the lookup answers "no such record" (as SQLite's does) rather than fail."""
    return isinstance(value, str) and "\x00" in value


def parse_url(url: str) -> tuple[str, str]:
    """Split a ``postgresql://`` URL into psycopg's connection string and the timeline.

    The other query parameters go to libpq as written: libpq %-decodes them (and
    reads ``+`` as a plus sign), so they are passed on without being decoded and
    encoded again (``host=/run/sock%20dir`` stays so).

    Raises:
        StoreError: when the URL cannot be parsed or is not a PostgreSQL URL, or the
            timeline name is not a lowercase identifier or starts with ``pg_``,
            which PostgreSQL keeps for its own schemas (the message shows the URL
            with its password hidden).
    """
    shown = hide_password(url)
    credentials = credentials_span(url)
    if credentials is not None:
        # libpq reads the user and password up to the first @, a ? or # in them
        # included (a URL parser would end them there, and take the rest of the
        # password for the query or the fragment): %-encoded, which libpq decodes,
        # both read them alike.
        begin, end = credentials
        url = url[:begin] + url[begin:end].translate(_CREDENTIAL_ESCAPES) + url[end:]
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as exc:
        msg = (
            f"{shown}: not a valid URL ({exc}); a PostgreSQL URL reads "
            "postgresql://user@host:port/database?timeline=name"
        )
        raise StoreError(msg) from None
    if parts.scheme not in ("postgresql", "postgres"):
        msg = f"{shown!r}: not a PostgreSQL URL (postgresql://user@host:port/database)"
        raise StoreError(msg)
    items = parts.query.split("&") if parts.query else []
    names = [
        urllib.parse.unquote(value)
        for key, _, value in (item.partition("=") for item in items)
        if urllib.parse.unquote(key) == "timeline"
    ]
    if len(names) > 1:
        msg = f"{shown}: ?timeline= is given {len(names)} times"
        raise StoreError(msg)
    name = names[0] if names else DEFAULT_TIMELINE
    if not _NAME.fullmatch(name):
        msg = (
            f"{shown}: timeline {name!r} must be a lowercase letter followed by up to "
            "39 lowercase letters, digits or underscores (it names a schema)"
        )
        raise StoreError(msg)
    if name.startswith(_RESERVED):
        msg = f"{shown}: timeline {name!r} {_RESERVED_REASON}"
        raise StoreError(msg)
    rest = "&".join(
        item for item in items if urllib.parse.unquote(item.partition("=")[0]) != "timeline"
    )
    conninfo = f"postgresql://{parts.netloc}{parts.path}"
    if rest:
        conninfo += f"?{rest}"
    if parts.fragment:
        conninfo += f"#{parts.fragment}"
    return conninfo, name


_RESERVED_REASON: Final = (
    f"may not start with {_RESERVED!r}, which PostgreSQL keeps for its own names "
    "(it names a schema)"
)


def _slash_in_password(conninfo: str) -> bool:
    """Whether a URL reads as ``user:pass/word@host...``: libpq takes a user and a
    password only from before the first ``/`` after ``scheme://``, so a ``/`` left
    unencoded in the password makes it read no password, ``user`` as the host and
    the start of the password as the port. A database name holding an ``@`` reads
    so too, hence only a hint, given when connecting fails."""
    url = re.match(r"postgres(?:ql)?://([^?]*)", conninfo, re.IGNORECASE)
    if url is None or credentials_span(conninfo) is not None:
        return False
    authority, slash, rest = url.group(1).partition("/")
    return bool(slash) and ":" in authority and "@" in rest


class PostgresStore(StoreBase):
    """An append-only log in a PostgreSQL schema, shared by many processes.

    A committed append is as durable as the server makes a commit (``fsync`` and
    ``synchronous_commit`` on, their defaults); a batch is one transaction. Writers
    in any process serialise on a row lock on the ``head`` row, so positions stay
    gapless. The store may be shared by threads (writes are serialised).

    Use `from_url` (or ``Timeline.open(url)``) to open one.

    Args:
        conninfo: A psycopg connection string, without ``?timeline=``.
        timeline: The timeline's name, which is its schema.
        clock: Gives ``recorded_at``; the system clock (UTC) by default.
        create: When False, a missing timeline is an error instead of a new one.
        read_only: Refuse appends (and open the connections read-only).
        label: How messages name the store (the URL without its password).

    Raises:
        StoreError: when the server cannot be reached, the schema exists but is not
            a timeline or was written by a newer schema version, the timeline does
            not exist (``create=False`` or ``read_only``), or the role may not
            create it.
    """

    BACKEND = "postgresql"
    SEES_OWN_WRITES = True  # _lookup runs on the connection that holds the transaction
    WRITES_WAIT = True  # a COPY waits on the server: the next slice is made meanwhile
    # Larger slices than the default: with slices of 10,000 the server spent 41.7 s
    # writing 1M records (their COPYs, one slice at a time), with 50,000 29.2 s, for
    # about 100 MB more held at once (docs/explanation/store.md, "Bulk appends").
    _SLICE = 50_000

    def __init__(
        self,
        conninfo: str,
        *,
        timeline: str = DEFAULT_TIMELINE,
        clock: Clock | None = None,
        create: bool = True,
        read_only: bool = False,
        label: str | None = None,
    ) -> None:
        super().__init__(clock=clock)
        if not _NAME.fullmatch(timeline):
            msg = f"timeline {timeline!r} must be a lowercase identifier (it names a schema)"
            raise StoreError(msg)
        if timeline.startswith(_RESERVED):
            msg = f"timeline {timeline!r} {_RESERVED_REASON}"
            raise StoreError(msg)
        self.timeline = timeline
        self.read_only = read_only
        self.label = (
            label if label is not None else f"{hide_password(conninfo)} timeline {timeline}"
        )
        self._conninfo = conninfo
        # The URL's own ``options`` (``-c statement_timeout=...``) first, then ours,
        # which replace any search_path it sets: libpq takes one ``options``.
        try:
            read = psycopg.conninfo.conninfo_to_dict(conninfo)
        except psycopg.Error:
            read = {}  # the connect that follows says what is wrong with it
        parsed = _given_settings(read)
        # What libpq's messages quote of the target besides its password: kept as
        # written where they quote it whole, even when the password is the same text
        # (user and password "postgres"), so no message says that they are.
        self._not_secret = frozenset(
            part
            for key in ("user", "host", "hostaddr", "port", "dbname")
            for part in str(read.get(key) or "").split(",")
            if part
        )
        given = parsed.get("options") or ""
        # The user's own keepalive settings win, each on its own.
        self._keepalives: dict[str, Any] = {
            k: v for k, v in _KEEPALIVES.items() if k not in parsed
        }
        self._options = f"{given} -c search_path={timeline}".strip()
        if read_only:
            self._options += " -c default_transaction_read_only=on"
        self._lock = threading.RLock()
        self._closed = False
        self._head: tuple[int, str] | None = None
        self._pending: int | None = None
        self._readers: list[psycopg.Connection[Any]] = []
        self._readers_lock = threading.Lock()
        self._deliver_lock = threading.RLock()
        self._delivered = 0
        self._listener: threading.Thread | None = None
        self._listening = threading.Event()
        self._stopping = threading.Event()  # set by close(): the LISTEN thread ends
        self._conn = self._connect("open")
        self._standby = False  # a hot standby (read replica): see _hot_standby
        try:
            self._standby = self._hot_standby()
            self._open(create=create)
        except BaseException:
            self._conn.close()
            raise

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        clock: Clock | None = None,
        create: bool = True,
        read_only: bool = False,
    ) -> PostgresStore:
        """Open the timeline at ``postgresql://user@host:port/db?timeline=name``.

        Other query parameters (``sslmode``, ``connect_timeout``, ...) go to libpq.
        """
        conninfo, name = parse_url(url)
        return cls(
            conninfo,
            timeline=name,
            clock=clock,
            create=create,
            read_only=read_only,
            label=hide_password(url),
        )

    @property
    def channel(self) -> str:
        """The ``NOTIFY`` channel of this timeline."""
        return f"conflict_timeline.{self.timeline}"

    # -- connections -----------------------------------------------------------------

    def _connect(self, doing: str, *, reader: bool = False) -> psycopg.Connection[Any]:
        try:
            conn = psycopg.connect(
                self._conninfo,
                autocommit=not reader,
                options=self._options,
                # The URL's own application_name (a team telling its jobs apart in
                # pg_stat_activity) wins; libpq uses this one only when it has none.
                fallback_application_name="conflict_timeline",
                **self._keepalives,
            )
        except psycopg.Error as exc:
            error = self._error(exc, doing, connecting=True)
            if hide_passwords_in(str(exc), self._conninfo, keep=self._not_secret) != str(exc):
                # libpq quoted the password back ("invalid percent-encoded token:
                # ..."): chained, the traceback of an uncaught error, or a logged one,
                # would print it under the hidden message. That message says the same.
                raise error from None
            raise error from exc
        if reader:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
        else:
            self._limit_idle(conn, doing)
            # Its transactions (opening a timeline, saving or dropping view states)
            # take an advisory lock and then read what the one before them wrote: at
            # READ COMMITTED whatever the server's or the role's default, or under
            # REPEATABLE READ the snapshot, taken before the lock, misses that write
            # (a second creator finds no schema and creates it again; a second saver
            # of a view fails to serialize). `_begin` says so for appends itself.
            conn.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
        return conn

    def _limit_idle(self, conn: psycopg.Connection[Any], doing: str) -> None:
        """The writing connection's idle limit inside a transaction (see
        `_IDLE_IN_APPEND_MS`), set for the session where nothing else sets it: the
        server reports where its value comes from (``pg_settings.source``)."""
        try:
            row = conn.execute(
                "SELECT source FROM pg_settings WHERE name = %s", (_IDLE_SETTING,)
            ).fetchone()
            if row is not None and row[0] == "default":
                conn.execute(
                    sql.SQL("SET {} = {}").format(
                        sql.Identifier(_IDLE_SETTING), sql.Literal(_IDLE_IN_APPEND_MS)
                    )
                )
        except psycopg.Error as exc:
            conn.close()
            raise self._error(exc, doing) from exc

    def _hot_standby(self) -> bool:
        """Whether the server is a hot standby (a read replica, in recovery): it reads
        as its primary does, but takes no write and no ``LISTEN``, whatever the role,
        so the errors those give say so (`_error`) and a live view or a subscription
        is refused at once (`add_listener`). Asked once, when the store opens."""
        try:
            row = self._conn.execute("SELECT pg_is_in_recovery()").fetchone()
        except psycopg.Error as exc:
            raise self._error(exc, "open") from exc
        return bool(row and row[0])

    def _live_conn(self) -> psycopg.Connection[Any]:
        """The writing connection, reconnected when the last one was lost."""
        self._check_open()
        if self._conn.closed or self._conn.broken:
            self._conn.close()
            self._conn = self._connect("reconnect")
        return self._conn

    def _take_reader(self) -> psycopg.Connection[Any]:
        with self._readers_lock:
            while self._readers:
                conn = self._readers.pop()
                if not (conn.closed or conn.broken):
                    return conn
                conn.close()
        return self._connect("read", reader=True)

    def _give_back(self, conn: psycopg.Connection[Any]) -> None:
        if conn.closed or conn.broken:  # lost: so, most likely, are the others
            conn.close()
            self._drop_idle_connections()
            return
        with self._readers_lock:
            if self._closed or len(self._readers) >= _IDLE_READERS:
                conn.close()
            else:
                self._readers.append(conn)

    def _drop_idle_connections(self) -> None:
        """After one connection was found lost (a restarted server, terminated
        backends): the others, opened the same way, most likely are too. Close those
        not in use (the idle readers; the writing connection unless another thread
        is using it), so the next call of each kind connects afresh instead of
        failing on them one by one."""
        with self._readers_lock:
            for idle in self._readers:
                idle.close()
            self._readers.clear()
        if self._lock.acquire(blocking=False):  # this thread's own append holds it too
            try:
                conn = getattr(self, "_conn", None)  # none yet: the first connect failed
                if conn is not None and (conn.broken or conn.info.transaction_status == _IDLE):
                    conn.close()  # `_live_conn` reconnects
            finally:
                self._lock.release()

    def _check_open(self) -> None:
        if self._closed:
            msg = f"{self.label}: this PostgresStore is closed"
            raise StoreError(msg)

    def _error(self, exc: psycopg.Error, doing: str, *, connecting: bool = False) -> StoreError:
        """A StoreError naming the timeline, what failed, why, and what to do.

        ``connecting``: ``exc`` is a failed connection attempt, which libpq reports
        with no SQLSTATE, whatever refused it (no server there, a wrong password, a
        missing database: its message says which), so the hint claims no cause."""
        writing = doing in ("append", "commit")
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        # libpq may quote the URL's parts
        text = hide_passwords_in(text, self._conninfo, keep=self._not_secret)
        if isinstance(exc, pg_errors.ReadOnlySqlTransaction) and self._standby:
            hint = _STANDBY
        elif isinstance(exc, pg_errors.ReadOnlySqlTransaction) and self.read_only:
            hint = "the store was opened read-only (read_only=True): open it without to write"
        elif isinstance(exc, pg_errors.InsufficientPrivilege | pg_errors.ReadOnlySqlTransaction):
            if writing:
                hint = (
                    "this role may not write here (a reader role has SELECT only): connect as "
                    "the writer role to append"
                )
            elif doing in _STATE_WRITES:
                hint = (
                    "this role may not save or drop view states (a reader role may only "
                    "load them; a writer role may, once create_roles() has run since their "
                    "tables were made): connect as the writer role"
                )
            else:
                hint = "this role lacks a privilege for this; see PostgresStore.create_roles()"
        elif getattr(exc, "sqlstate", None) == "CT001":
            hint = "the database refuses to change stored records"
        elif writing and (
            isinstance(exc, pg_errors.IdleInTransactionSessionTimeout)
            or "idle-in-transaction timeout" in text
        ):
            self._drop_idle_connections()
            hint = (
                "the append sat idle inside its transaction longer than the server allows "
                f"({_IDLE_SETTING}), so the server ended it and let the other writers go "
                "on: feed a streamed append without long pauses, or set a longer timeout "
                "in the URL's options; the next call reconnects"
            )
        elif connecting:
            self._drop_idle_connections()  # a server out of reach: the others are lost too
            hint = (
                "could not connect: check that the server runs and the URL's host, port, "
                "user, password and database"
                if doing == "open"
                else "could not connect; the next call tries again"
            )
            if doing == "open" and _slash_in_password(self._conninfo):
                hint += (
                    "; libpq reads a password only up to an @ before the first /, so a / "
                    "in the password is written %2F"
                )
        elif _connection_lost(exc):
            self._drop_idle_connections()
            if doing == "commit":
                hint = (
                    "the connection was lost while committing: the batch may or may not be "
                    "stored; append it again (appends are idempotent by id) to be sure"
                )
                writing = False
            else:
                hint = (
                    "cannot reach the server or the connection was lost; the next call reconnects"
                )
        else:
            hint = ""
        if writing:
            hint = f"{hint}; nothing of this batch was written" if hint else "nothing written"
        return StoreError(f"{self.label}: {doing} failed: {text}" + (f" ({hint})" if hint else ""))

    # -- opening -----------------------------------------------------------------------

    def _open(self, *, create: bool) -> None:
        conn = self._conn
        try:
            with conn.transaction():
                if not self.read_only:
                    # Two processes creating the same timeline at once: the second waits.
                    conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.timeline,))
                row = conn.execute(
                    "SELECT count(*) FROM pg_namespace WHERE nspname = %s", (self.timeline,)
                ).fetchone()
                exists = bool(row and row[0])
                if exists:
                    self._check_format()
                elif not create or self.read_only:
                    msg = f"{self.label}: no such timeline (schema {self.timeline!r} is missing)"
                    raise StoreError(msg)
                else:
                    self._may_create()
                    conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.timeline)))
                    for statement in _SCHEMA:
                        conn.execute(statement)
                    for statement in _STATE_SCHEMA:
                        conn.execute(statement)
                    conn.execute(
                        "INSERT INTO head (one, position, hash) VALUES (1, 0, %s)",
                        (GENESIS_HASH,),
                    )
                    conn.execute(
                        "INSERT INTO meta (key, value) VALUES ('application', "
                        "'conflict_timeline'), ('schema_version', %s)",
                        (str(SCHEMA_VERSION),),
                    )
        except psycopg.Error as exc:
            raise self._error(exc, "open") from exc

    def _may_create(self) -> None:
        """Refuse, saying why, to create a timeline this role may not create (no
        ``CREATE`` on the database: a writer or reader role of `create_roles`): the name
        is most likely mistyped, which the server's "permission denied for database"
        does not say."""
        row = self._conn.execute(
            "SELECT has_database_privilege(current_database(), 'CREATE')"
        ).fetchone()
        if row is not None and not row[0]:
            msg = (
                f"{self.label}: no such timeline (schema {self.timeline!r} is missing), and "
                "this role may not create one: check the name (?timeline=), or have the "
                "database's owner open it once to create it"
            )
            raise StoreError(msg)

    def _check_format(self) -> None:
        conn = self._conn
        row = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = %s AND tablename = 'meta'",
            (self.timeline,),
        ).fetchone()
        if not (row and row[0]):
            msg = (
                f"{self.label}: schema {self.timeline!r} exists but is not a "
                "conflict_timeline timeline; refusing to touch it"
            )
            raise StoreError(msg)
        usage = conn.execute(
            "SELECT has_schema_privilege(%s, 'USAGE')", (self.timeline,)
        ).fetchone()
        if not (usage and usage[0]):
            msg = (
                f"{self.label}: this role may not use timeline {self.timeline!r} (no USAGE "
                "on its schema): have its owner grant it, e.g. by "
                "PostgresStore.create_roles(), or connect as a role it was granted to"
            )
            raise StoreError(msg)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("application") != "conflict_timeline":
            msg = (
                f"{self.label}: schema {self.timeline!r} is not a conflict_timeline timeline; "
                "refusing to touch it"
            )
            raise StoreError(msg)
        version = int(meta.get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            msg = (
                f"{self.label}: written by a newer conflict_timeline (schema {version}, this "
                f"library reads up to {SCHEMA_VERSION}); upgrade conflict_timeline"
            )
            raise StoreError(msg)
        if version < SCHEMA_VERSION:
            msg = f"{self.label}: unknown schema version {version}; refusing to touch it"
            raise StoreError(msg)

    # -- append primitives -----------------------------------------------------------

    def _begin(self) -> None:
        self._lock.acquire()
        try:
            conn = self._live_conn()
            if self.read_only:
                msg = f"{self.label}: opened read-only; nothing of this batch was written"
                raise StoreError(msg)
            # READ COMMITTED whatever the server's or role's default: a writer that
            # queued on the head row then reads the head its predecessor committed
            # (under REPEATABLE READ or SERIALIZABLE it would fail to serialize).
            conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            # The write lock: appenders in every process queue on this row.
            row = conn.execute(
                "SELECT position, hash FROM head WHERE one = 1 FOR UPDATE"
            ).fetchone()
            if row is None:
                msg = f"{self.label}: the head row is missing; the timeline is damaged"
                raise StoreError(msg)
            self._head = (int(row[0]), str(row[1]))
            self._pending = None
        except psycopg.Error as exc:
            self._abandon()
            raise self._error(exc, "append") from exc
        except BaseException:
            self._abandon()
            raise

    def _abandon(self) -> None:
        conn = self._conn
        try:
            if not (conn.closed or conn.broken) and conn.info.transaction_status != _IDLE:
                conn.execute("ROLLBACK")
        except psycopg.Error:
            pass  # the connection is gone; the server rolls the transaction back
        finally:
            self._head = None
            self._lock.release()

    def _commit(self) -> None:
        try:
            if self._pending is not None:
                self._conn.execute("SELECT pg_notify(%s, %s)", (self.channel, str(self._pending)))
            self._conn.execute("COMMIT")
        except psycopg.OperationalError as exc:
            raise self._error(exc, "commit") from exc  # the caller's _rollback releases
        except psycopg.Error as exc:
            raise self._error(exc, "append") from exc
        self._head = None
        self._lock.release()

    def _rollback(self) -> None:
        self._abandon()

    def _head_and_hash(self) -> tuple[int, str]:
        assert self._head is not None, "_head_and_hash outside an append"
        return self._head

    def _rows_with(self, sql: str, ids: Collection[str]) -> list[tuple[Any, ...]]:
        """The rows of ``sql`` (a query ending in ``= ANY(%s)``) for ``ids``, inside an
        append."""
        if not ids:
            return []
        try:
            return self._conn.execute(sql, (list(ids),), binary=True).fetchall()
        except psycopg.Error as exc:
            raise self._error(exc, "append") from exc

    def _lookup(self, ids: Collection[str]) -> dict[str, tuple[int, str, bytes]]:
        sql = "SELECT id, position, kind, payload FROM records WHERE id = ANY(%s)"
        return {
            rid: (int(pos), kind, bytes(payload))
            for rid, pos, kind, payload in self._rows_with(sql, ids)
        }

    def _fixes_targeting(self, ids: Collection[str]) -> list[tuple[int, Record]]:
        sql = "SELECT position, payload FROM records WHERE target = ANY(%s)"
        rows = self._rows_with(sql, ids)
        return [(int(p), record_from_stored(bytes(payload))) for p, payload in rows]

    def _write(self, batch: Sequence[Prepared]) -> None:
        try:
            cursor = self._conn.cursor()
            with cursor.copy(_COPY_RECORDS) as copy:
                copy.set_types(_RECORD_TYPES)
                for position, _, payload, digest, recorded_at_us, row, _ in batch:
                    copy.write_row(
                        (
                            position,
                            row[1],
                            row[2],
                            row[3],
                            row[4],
                            row[5],
                            row[6],
                            recorded_at_us,
                            row[7],
                            payload,
                            digest,
                        )
                    )
            with cursor.copy(_COPY_REFS) as copy:
                copy.set_types(("text", "int8", "text", "text"))
                for p in batch:
                    for field, ref, what in p.refs:
                        copy.write_row((ref, p.position, field, what))
            last = batch[-1]
            # The head moves onto the last record: done already by the records_in_line
            # trigger of a timeline this version created (then no row matches here),
            # by this statement in an older one's.
            cursor.execute(
                "UPDATE head SET position = %s, hash = %s WHERE one = 1 AND position < %s",
                (last.position, last.hash, last.position),
            )
            self._pending = last.position
        except psycopg.Error as exc:
            raise self._error(exc, "append") from exc

    # -- reads -----------------------------------------------------------------------

    def _rows(
        self, query: str, params: Sequence[object] = (), *, doing: str = "read"
    ) -> list[tuple[Any, ...]]:
        """The rows of one query, on a reading connection (in autocommit: one round
        trip, what is committed when it runs), not on the writing one: so it never
        waits for an append that another thread of this process has under way, which
        holds the writing connection for its whole transaction."""
        self._check_open()
        conn = self._take_reader()
        try:
            conn.autocommit = True
            return conn.execute(query, params, binary=True).fetchall()
        except psycopg.Error as exc:
            raise self._error(exc, doing) from exc
        finally:
            if not (conn.closed or conn.broken):
                try:
                    conn.autocommit = False  # as `_stream` takes it: one snapshot per read
                except psycopg.Error:
                    conn.close()
            self._give_back(conn)

    def _stream(
        self, query: str, params: Sequence[object], decode: Callable[[list[Any]], Iterator[Any]]
    ) -> Iterator[Any]:
        """Rows of ``query`` through a server-side cursor, a page at a time, in one
        snapshot, on a connection of their own (so the caller may append meanwhile)."""
        conn = self._take_reader()
        try:
            with conn.cursor(name="conflict_timeline_read", binary=True) as cursor:
                cursor.itersize = _PAGE
                cursor.execute(query, params)
                while rows := cursor.fetchmany(_PAGE):
                    yield from decode(rows)
            conn.rollback()  # end the read-only snapshot
        except psycopg.Error as exc:
            raise self._error(exc, "read") from exc
        finally:
            if not (conn.closed or conn.broken) and conn.info.transaction_status != _IDLE:
                try:
                    conn.rollback()
                except psycopg.Error:
                    conn.close()
            self._give_back(conn)

    def _decode(self, rows: Sequence[Sequence[Any]]) -> Iterator[Recorded]:
        for position, recorded_at, digest, payload in rows:
            try:
                record = record_from_stored(bytes(payload))
            except (ConflictTimelineError, ValueError, TypeError) as exc:
                raise unreadable(self.label, position, exc, "the database") from exc
            yield self._recorded(int(position), int(recorded_at), str(digest), record)

    @staticmethod
    def _index(rows: Sequence[Sequence[Any]]) -> Iterator[IndexRow]:
        return index_rows_of(rows)

    def head(self) -> int:
        """The last position (0 when empty)."""
        value = self._rows("SELECT max(position) FROM records")[0][0]
        return int(value) if value is not None else 0

    def read(
        self, *, start: int = 1, stop: int | None = None, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        """Records with ``start <= position <= stop`` (of ``kinds``), in order,
        streamed from one snapshot through a server-side cursor."""
        start, stop = self._bounds("read", start, stop)
        self._check_open()
        if kinds is None:
            query = (
                f"SELECT {_ENVELOPE} FROM records WHERE position >= %s AND position <= %s "
                "ORDER BY position"
            )
            return self._stream(query, (start, stop), self._decode)
        query = (
            f"SELECT {_ENVELOPE} FROM records WHERE position >= %s AND position <= %s "
            "AND kind = ANY(%s) ORDER BY position"
        )
        return self._stream(query, (start, stop, list(kinds)), self._decode)

    def get(self, record_id: str) -> Recorded | None:
        """The record with that id, or None."""
        if _never_an_id(record_id):
            return None
        rows = self._rows(f"SELECT {_ENVELOPE} FROM records WHERE id = %s", (record_id,))
        return next(self._decode(rows)) if rows else None

    def payload_of(self, record_id: str) -> bytes | None:
        """The payload of the record with that id, exactly as stored (undecoded), or
        None: what an import compares a row with before decoding anything."""
        if _never_an_id(record_id):
            return None
        rows = self._rows("SELECT payload FROM records WHERE id = %s", (record_id,))
        return bytes(rows[0][0]) if rows else None

    def fetch(self, positions: Sequence[int]) -> list[Recorded]:
        """The records at ``positions``, in that order.

        Raises:
            RecordNotFoundError: naming the first position that holds no record.
        """
        wanted = list(positions)
        rows = self._at(_ENVELOPE, wanted)
        return self._in_order({r.position: r for r in self._decode(rows)}, wanted)

    def payloads(self, positions: Sequence[int]) -> list[bytes]:
        """The stored payloads (canonical JSON, undecoded) at ``positions``, in that
        order (see `PayloadReader`).

        Raises:
            RecordNotFoundError: naming the first position that holds no record.
        """
        wanted = list(positions)
        rows = self._at("position, payload", wanted)
        return self._in_order({int(p): bytes(payload) for p, payload in rows}, wanted)

    def _at(self, columns: str, positions: list[int]) -> list[tuple[Any, ...]]:
        """``columns`` of the rows at ``positions`` (one query; only the ints are asked
        for: ``_in_order`` refuses the rest, ``True`` and ``2.0`` included)."""
        return self._rows(
            f"SELECT {columns} FROM records WHERE position = ANY(%s)",
            ([p for p in positions if self._is_position(p)],),
        )

    def involving(self, ref_id: str) -> Iterator[Recorded]:
        """Records that refer to ``ref_id``, in position order (an index lookup)."""
        self._check_open()
        if _never_an_id(ref_id):
            return iter(())
        query = (
            f"SELECT {_ENVELOPE} FROM records WHERE position IN "
            "(SELECT position FROM refs WHERE ref = %s) ORDER BY position"
        )
        return self._stream(query, (ref_id,), self._decode)

    def occurred_between(
        self, lo_us: int, hi_us: int, *, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        """Records whose ``occurred`` overlaps ``[lo_us, hi_us]``, in position order."""
        self._check_open()
        if kinds is None:
            query = (
                f"SELECT {_ENVELOPE} FROM records WHERE occurred_lo <= %s "
                "AND occurred_last >= %s ORDER BY position"
            )
            return self._stream(query, (hi_us, lo_us), self._decode)
        query = (
            f"SELECT {_ENVELOPE} FROM records WHERE occurred_lo <= %s "
            "AND occurred_last >= %s AND kind = ANY(%s) ORDER BY position"
        )
        return self._stream(query, (hi_us, lo_us, list(kinds)), self._decode)

    def index_rows(
        self, *, start: int = 1, kinds: Collection[str] | None = None
    ) -> Iterator[IndexRow]:
        """Light rows for projections, in position order, from columns only."""
        start, _ = self._bounds("index_rows", start)
        self._check_open()
        if kinds is None:
            query = f"SELECT {_INDEX_COLS} FROM records WHERE position >= %s ORDER BY position"
            return self._stream(query, (start,), self._index)
        query = (
            f"SELECT {_INDEX_COLS} FROM records WHERE position >= %s AND kind = ANY(%s) "
            "ORDER BY position"
        )
        return self._stream(query, (start, list(kinds)), self._index)

    def dangling_references(self) -> list[Dangling]:
        """References that do not resolve, found with one SQL join."""
        # What each kind of reference must name comes from the one map, as JSON.
        rows = self._rows(
            "SELECT refs.position, r.id, refs.field, refs.ref, refs.what "
            "FROM refs JOIN records r ON r.position = refs.position "
            "LEFT JOIN records t ON t.id = refs.ref "
            "LEFT JOIN jsonb_each_text(%s::jsonb) e ON e.key = refs.what "
            "WHERE t.id IS NULL OR (e.value IS NOT NULL AND t.kind <> e.value) "
            "ORDER BY refs.position, refs.field, refs.ref",
            (_EXPECTED_JSON,),
        )
        return [Dangling(*row) for row in rows]

    # -- verify ------------------------------------------------------------------------

    def _verify_rows(self) -> Iterator[StoredRow | Problem]:
        """The rows, read in one ``REPEATABLE READ`` snapshot through server-side
        cursors, each with its indexed columns and stored references; then the
        checks only the database can answer: the head row is the last record, and no
        references are stored for a missing record.

        [`StoreBase.verify`][conflict_timeline.stores.StoreBase.verify] walks them. The snapshot
        means appends made
        meanwhile (by anyone) are neither checked nor taken for damage, and no
        appender waits for verify.
        """
        self._check_open()
        conn = self._take_reader()
        try:
            yield from self._verify_walk(conn)
        except psycopg.Error as exc:
            raise self._error(exc, "verify") from exc
        finally:
            if not (conn.closed or conn.broken):
                try:
                    conn.rollback()
                except psycopg.Error:
                    conn.close()
            self._give_back(conn)

    @staticmethod
    def _verify_walk(conn: psycopg.Connection[Any]) -> Iterator[StoredRow | Problem]:
        head_row = conn.execute("SELECT position, hash FROM head WHERE one = 1").fetchone()
        anchor, anchor_hash = head_row if head_row is not None else (None, None)
        count = 0
        previous = GENESIS_HASH
        with (
            conn.cursor(name="conflict_timeline_verify", binary=True) as records,
            conn.cursor(name="conflict_timeline_verify_refs") as refs_cursor,
        ):
            records.itersize = 5_000
            records.execute(
                "SELECT position, recorded_at, hash, payload, id, kind, occurred_lo, "
                "occurred_last, reported_lo, reported_last, target FROM records "
                "ORDER BY position"
            )
            refs_cursor.execute(
                "SELECT position, field, ref, what FROM refs ORDER BY position, field, ref"
            )
            refs = RefsReader(refs_cursor)
            for position, recorded_at, digest, payload, *columns in records:
                yield StoredRow(
                    int(position),
                    int(recorded_at),
                    str(digest),
                    bytes(payload),
                    IndexRow(int(position), *columns),
                    refs.at(int(position)),
                )
                # verify() goes on only when the row was sound.
                count = int(position)
                previous = str(digest)
            orphan = next(refs.rest(), None)
        if anchor is None:
            yield Problem(count + 1, "the head row is missing")
        elif anchor > count:
            yield Problem(count + 1, f"position missing (the timeline's head is at {anchor})")
        elif anchor < count:
            yield Problem(anchor + 1, f"record past the timeline's head (at {anchor})")
        elif anchor_hash != previous:
            yield Problem(max(count, 1), "the head's hash does not match the last record")
        if orphan is not None:
            yield Problem(orphan, "references stored for a position with no record")

    # -- roles -------------------------------------------------------------------------

    def create_roles(
        self,
        *,
        writer: str = "ct_writer",
        reader: str = "ct_reader",
        writer_password: str | None = None,
        reader_password: str | None = None,
    ) -> None:
        """Create (if missing) a writer and a reader login role for this timeline.

        The writer may read and append: ``SELECT`` and ``INSERT`` on ``records`` and
        ``refs``, ``SELECT`` and ``UPDATE`` on ``head`` (whose trigger lets it only move
        forward). The reader has ``SELECT`` only. Neither may change or remove a
        stored record, nor create or alter tables. Run it as the timeline's owner
        (or a superuser); the roles are granted on this timeline's schema only, so
        call it once per timeline (existing roles are granted again, not altered,
        except for a password given here, which is hashed before it is sent).

        Raises:
            StoreError: a role name is not a lowercase identifier or starts with
                ``pg_`` (PostgreSQL's own), the writer and the reader are one role, or
                this role may not create roles or grant on the schema.
        """
        for name in (writer, reader):
            if not _NAME.fullmatch(name):
                msg = f"role {name!r} must be a lowercase identifier"
                raise StoreError(msg)
            if name.startswith(_RESERVED):
                msg = (
                    f"role {name!r} may not start with {_RESERVED!r}, which PostgreSQL "
                    "keeps for its own roles"
                )
                raise StoreError(msg)
        if writer == reader:
            msg = (
                f"the writer and the reader role are both {writer!r}: they must be two "
                "roles, or the reader could append"
            )
            raise StoreError(msg)
        schema = sql.Identifier(self.timeline)
        with self._lock:
            conn = self._live_conn()
            try:
                with conn.transaction():
                    for statement in _STATE_SCHEMA:  # a timeline created before they existed
                        conn.execute(statement)
                    for role, password in ((writer, writer_password), (reader, reader_password)):
                        ident = sql.Identifier(role)
                        found = conn.execute(
                            "SELECT count(*) FROM pg_roles WHERE rolname = %s", (role,)
                        ).fetchone()
                        if not (found and found[0]):
                            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(ident))
                        if password is not None:
                            # Hashed here, as psql's \password does: the server, its
                            # log (log_statement) and pg_stat_activity see the SCRAM
                            # verifier (or md5 hash, as its password_encryption says),
                            # never the password.
                            hashed = conn.pgconn.encrypt_password(password.encode(), role.encode())
                            conn.execute(
                                sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                                    ident, sql.Literal(hashed.decode())
                                )
                            )
                        conn.execute(
                            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, ident)
                        )
                        conn.execute(
                            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(
                                schema, ident
                            )
                        )
                    ident = sql.Identifier(writer)
                    conn.execute(sql.SQL("GRANT INSERT ON records, refs TO {}").format(ident))
                    conn.execute(sql.SQL("GRANT UPDATE ON head TO {}").format(ident))
                    conn.execute(
                        sql.SQL(
                            "GRANT INSERT, UPDATE, DELETE ON view_states, view_state_parts TO {}"
                        ).format(ident)
                    )
            except psycopg.Error as exc:
                raise self._error(exc, "create roles") from exc

    # -- saved view states (StateKeeper) ----------------------------------------------

    def save_state(self, saved: SavedState) -> None:
        """Keep a view's saved state, replacing the view's previous one, in one
        transaction (a timeline created before saved states existed gets their
        tables on its first save, which needs its owner's rights)."""
        with self._lock:
            conn = self._live_conn()
            if self.read_only:
                msg = f"{self.label}: opened read-only; no view state was saved"
                raise StoreError(msg)
            try:
                with conn.transaction():
                    # Two savers of one view queue here, rather than collide on its parts.
                    conn.execute(
                        "SELECT pg_advisory_xact_lock(hashtext(%s))",
                        (f"{self.timeline}.view_states.{saved.view}",),
                    )
                    if not self._has_state_tables(conn):
                        for statement in _STATE_SCHEMA:
                            conn.execute(statement)
                    conn.execute("DELETE FROM view_state_parts WHERE view = %s", (saved.view,))
                    conn.execute(
                        "INSERT INTO view_states (view, code, head, chain, digest, saved_at) "
                        "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (view) DO UPDATE SET "
                        "code = EXCLUDED.code, head = EXCLUDED.head, chain = EXCLUDED.chain, "
                        "digest = EXCLUDED.digest, saved_at = EXCLUDED.saved_at",
                        (saved.view, saved.code, saved.head, saved.chain, saved.digest,
                         saved.saved_at),
                    )  # fmt: skip
                    blob = memoryview(saved.blob)
                    for part, start in enumerate(range(0, max(len(blob), 1), _STATE_PART)):
                        conn.execute(
                            "INSERT INTO view_state_parts (view, part, bytes) VALUES (%s, %s, %b)",
                            (saved.view, part, bytes(blob[start : start + _STATE_PART])),
                        )
            except psycopg.Error as exc:
                raise self._error(exc, "save view state") from exc

    def _has_state_tables(self, conn: psycopg.Connection[Any]) -> bool:
        """Whether this timeline has the saved-state tables (created together, by the
        schema of a new timeline or the first save into an older one)."""
        found = conn.execute(_HAS_STATE_TABLES, (self.timeline,)).fetchone()
        return bool(found and found[0])

    def load_state(self, view: str) -> SavedState | None:
        """The state kept for ``view``, if any (None also for a timeline with no
        saved-state tables). One statement, so header and bytes come from one
        snapshot; on a reading connection, so it does not wait for an append under
        way in another thread."""
        found = self._rows(_HAS_STATE_TABLES, (self.timeline,), doing="load view state")
        if not (found and found[0][0]):
            return None
        rows = self._rows(
            "SELECT s.view, s.code, s.head, s.chain, s.digest, s.saved_at, p.bytes "
            "FROM view_states s JOIN view_state_parts p ON p.view = s.view "
            "WHERE s.view = %s ORDER BY p.part",
            (view,),
            doing="load view state",
        )
        return saved_state_of(rows)

    def chain_hash_at(self, position: int) -> str | None:
        """The chain hash at ``position`` (``GENESIS_HASH`` at 0, None past the head)."""
        at = self._hash_position(position)
        if at == 0:
            return GENESIS_HASH
        if at is None:
            return None
        rows = self._rows("SELECT hash FROM records WHERE position = %s", (at,))
        return str(rows[0][0]) if rows else None

    def forget_states(self) -> int:
        """Drop every saved state; how many there were."""
        with self._lock:
            conn = self._live_conn()
            if self.read_only:
                msg = f"{self.label}: opened read-only; nothing was dropped"
                raise StoreError(msg)
            try:
                with conn.transaction():
                    if not self._has_state_tables(conn):
                        return 0
                    row = conn.execute("SELECT count(*) FROM view_states").fetchone()
                    conn.execute("DELETE FROM view_state_parts")
                    conn.execute("DELETE FROM view_states")
            except psycopg.Error as exc:
                raise self._error(exc, "drop view states") from exc
        return int(row[0]) if row else 0

    # -- live: LISTEN/NOTIFY -----------------------------------------------------------

    def add_listener(self, listener: Callable[[list[Recorded]], None]) -> None:
        """Call ``listener`` with the records of each committed append, in order.

        Besides this process's appends (called in the appending thread, after the
        commit), a background thread ``LISTEN``s on the timeline's channel and
        calls it with other processes' appends too. Each record reaches the
        listeners once, in position order, never two calls at a time.

        Raises:
            StoreError: when the server is a hot standby (a read replica), which
                PostgreSQL lets no session ``LISTEN``: watch the primary instead.
        """
        if self._standby:
            msg = (
                f"{self.label}: live views and subscriptions need LISTEN, which PostgreSQL "
                f"refuses on this server: {_STANDBY}; reads and state(...) work here"
            )
            raise StoreError(msg)
        with self._deliver_lock:
            if not self._listeners:
                self._delivered = self.head()
            super().add_listener(listener)
        if self._listener is None:
            self._listener = threading.Thread(
                target=self._listen_loop,
                name=f"conflict_timeline LISTEN {self.timeline}",
                daemon=True,
            )
            self._listener.start()
            self._listening.wait(10)

    def _after_commit(self, written: list[Recorded]) -> None:
        with self._deliver_lock:
            if not written or written[-1].position <= self._delivered:
                return
            if written[0].position == self._delivered + 1:
                self._delivered = written[-1].position
                super()._after_commit(written)
            else:
                self._catch_up()

    def _catch_up(self, *, shielded: bool = False) -> None:
        """Hand listeners whatever was committed past what they have seen.

        ``shielded`` (the LISTEN thread): an exception from a listener is logged, not
        raised, so that it neither ends the thread nor passes for a lost connection;
        the records it was handed count as delivered. A failed read raises, with
        nothing more counted as delivered, so the next catch-up starts from there."""
        with self._deliver_lock:
            if not self._listeners:
                return
            chunk: list[Recorded] = []
            for recorded in self.read(start=self._delivered + 1):
                chunk.append(recorded)
                if len(chunk) >= _DELIVER:
                    self._hand_listeners(chunk, shielded=shielded)
                    chunk = []
            if chunk:
                self._hand_listeners(chunk, shielded=shielded)

    def _hand_listeners(self, chunk: list[Recorded], *, shielded: bool) -> None:
        self._delivered = chunk[-1].position
        if not shielded:
            super()._after_commit(chunk)
            return
        span = f"positions {chunk[0].position} to {chunk[-1].position}"
        for listener in list(self._listeners):
            try:
                listener(chunk)
            except StoreError as exc:  # what a listener read itself (a live view's sync)
                _log.warning("%s: a listener could not take %s: %s", self.label, span, exc)
            except Exception:  # a listener's error must not end the subscription thread
                _log.exception("%s: a listener raised on %s", self.label, span)

    def _listen_loop(self) -> None:
        """``LISTEN`` on the timeline's channel and catch up on each notification.

        A lost connection (a restarted server, a terminated backend), whether the
        LISTEN connection or the one a catch-up reads on, is one line in the log when
        it is first seen, not a traceback; the thread connects again (at once, then
        every second while that fails), ``LISTEN``s and catches up from the last
        record delivered: what was committed meanwhile arrives once, in order."""
        lost = False  # since the last connection was lost, until LISTEN works again
        retry = 0.0
        while not self._closed:
            conn: psycopg.Connection[Any] | None = None
            try:
                conn = self._connect("listen")
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                self._listening.set()
                self._catch_up(shielded=True)  # what was committed before LISTEN took effect
                if lost:
                    _log.info("%s: LISTEN connection back; live updates resumed", self.label)
                    lost = False
                retry = 0.0
                while not self._closed:
                    if any(True for _ in conn.notifies(timeout=0.2, stop_after=1)):
                        self._catch_up(shielded=True)
            except (psycopg.Error, StoreError) as exc:
                self._listening.set()  # add_listener waits no longer
                if self._closed:
                    return
                error = self._error(exc, "listen") if isinstance(exc, psycopg.Error) else exc
                # The other connections were most likely lost with this one (`_error`
                # dropped them when it says so): the catch-up and the listeners'
                # reads should connect afresh, not fail on them.
                self._drop_idle_connections()
                if not lost:
                    _log.warning("%s; live updates wait until it reconnects", error)
                    lost = True
                else:
                    _log.debug("%s; retrying", error)
                self._stopping.wait(retry)
                retry = 1.0
            except Exception:  # not a lost connection: a bug, reported with its traceback
                self._listening.set()
                _log.exception("%s: the LISTEN thread failed; it starts again", self.label)
                self._stopping.wait(1.0)
            finally:
                if conn is not None:
                    conn.close()

    # -- lifetime ----------------------------------------------------------------------

    def close(self) -> None:
        """Close the connections (idempotent); the store raises StoreError afterwards."""
        with self._lock:
            self._closed = True
            self._stopping.set()
            self._conn.close()
        listener = self._listener
        if listener is not None and listener is not threading.current_thread():
            listener.join(5)
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
