"""``conflict-timeline copy SRC DST``: between any two backends, in batches, verified,
resumable, with byte-identical chain hashes; and the CLI taking a PostgreSQL URL."""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    CopyResult,
    MemoryStore,
    Recorded,
    SQLiteStore,
    StoreError,
    Timeline,
    UnsourcedRecordWarning,
    datasets,
    write_jsonl,
)
from conflict_timeline._conformance import TickClock
from conflict_timeline._copy import SettableClock, copy_timeline
from conflict_timeline.errors import DamagedStoreError
from conflict_timeline.stores import Store, Verification
from conflict_timeline.stores.postgres import PostgresStore, parse_url
from conflict_timeline.testing import StoreConformance

CLI = Path(sys.executable).parent / "conflict-timeline"


def run(*args: str | Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(CLI), *map(str, args)], capture_output=True, text=True, timeout=600, check=False
    )
    if ok:
        assert result.returncode == 0, result.stderr
    return result


def seed(path: Path) -> list[tuple[int, _dt.datetime, str]]:
    """The worked example in an SQLite file, appended as several batches (so several
    ``recorded_at``); returns its (position, recorded_at, hash) chain."""
    records = list(datasets.karabakh_oct_2020())
    store = SQLiteStore(path, clock=TickClock())
    try:
        for lo in range(0, len(records), 9):
            store.append(records[lo : lo + 9])
        return chain(store)
    finally:
        store.close()


def chain(store: Store) -> list[tuple[int, _dt.datetime, str]]:
    return [(r.position, r.recorded_at, r.hash) for r in store.read()]


def chain_of(target: str | Path) -> list[tuple[int, _dt.datetime, str]]:
    store: Store
    if str(target).startswith("postgresql://"):
        store = PostgresStore.from_url(str(target), create=False)
    else:
        store = SQLiteStore(target, create=False)
    try:
        return chain(store)
    finally:
        store.close()


def test_the_seed_example_round_trips_sqlite_postgres_sqlite(tmp_path: Path, pg_url: str) -> None:
    source = tmp_path / "seed.db"
    expected = seed(source)
    assert len({at for _, at, _ in expected}) > 1  # several batches, several times
    done = run("copy", source, pg_url)
    assert f"copied {len(expected)} records; verified: {len(expected)} records" in done.stdout
    assert expected[-1][2] in done.stdout
    assert chain_of(pg_url) == expected
    back = tmp_path / "back.db"
    run("copy", pg_url, back)
    assert chain_of(back) == expected
    with Timeline.open(back, create=False) as one, Timeline.open(source, create=False) as two:
        assert [r.record for r in one] == [r.record for r in two]
    # The CLI takes the URL wherever it takes a file.
    assert run("verify", pg_url).stdout.startswith(f"ok: {len(expected)} records")
    state = run("state", pg_url, "--view", "active-commitments", "--at", "2020-10-31")
    assert (
        state.stdout
        == run("state", source, "--view", "active-commitments", "--at", "2020-10-31").stdout
    )


def test_an_interrupted_copy_resumes_where_it_stopped(tmp_path: Path, pg_url: str) -> None:
    source = tmp_path / "seed.db"
    expected = seed(source)

    class StopError(Exception):
        pass

    reported: list[int] = []

    def stop_after_two_batches(position: int) -> None:
        reported.append(position)
        if len(reported) == 3:  # the start, then two batches
            raise StopError

    clock = SettableClock()
    src = SQLiteStore(source, create=False)
    dst = PostgresStore.from_url(pg_url, clock=clock)
    try:
        with pytest.raises(StopError):
            copy_timeline(src, dst, clock, batch=5, progress=stop_after_two_batches)
        stopped = reported[-1]
        assert 0 < stopped < len(expected)
        assert dst.head() == stopped  # whole batches only
    finally:
        src.close()
        dst.close()
    done = run("copy", source, pg_url, "--batch", "5", "--progress")
    assert f"copied {len(expected) - stopped} records ({stopped} were there" in done.stdout
    assert "copying: 100%" in done.stderr
    assert chain_of(pg_url) == expected
    again = run("copy", source, pg_url)  # nothing left to do
    assert f"copied 0 records ({len(expected)} were there" in again.stdout


def test_a_destination_that_is_not_a_prefix_is_refused(tmp_path: Path, pg_url: str) -> None:
    source = tmp_path / "seed.db"
    seed(source)
    other = PostgresStore.from_url(pg_url)
    try:
        other.append(StoreConformance.small_records())
    finally:
        other.close()
    failed = run("copy", source, pg_url, ok=False)
    assert failed.returncode == 5  # the destination cannot take the copy
    assert "are not the first 6 of" in failed.stderr
    assert chain_of(pg_url)[-1][0] == 6  # untouched


def test_copy_between_two_sqlite_files(tmp_path: Path) -> None:
    source = tmp_path / "seed.db"
    expected = seed(source)
    run("copy", source, tmp_path / "copy.db")
    assert chain_of(tmp_path / "copy.db") == expected


def test_copying_an_empty_timeline_gives_the_genesis_hash_as_receipts_do(tmp_path: Path) -> None:
    """An empty timeline's head hash is 64 zeros wherever it is read: the copy's
    result, a receipt, the store's head (it used to be "" in the copy's result)."""
    clock = SettableClock()
    src = SQLiteStore(tmp_path / "empty.db")
    dst = SQLiteStore(tmp_path / "copy.db", clock=clock)
    try:
        result = copy_timeline(src, dst, clock)
    finally:
        src.close()
        dst.close()
    assert (result.copied, result.head, result.head_hash) == (0, 0, "0" * 64)


def test_copying_a_timeline_onto_itself_is_refused(tmp_path: Path) -> None:
    # As export and render refuse to write over the timeline: nothing to copy, and
    # "copied 0 records" would read as a copy made.
    source = tmp_path / "seed.db"
    seed(source)
    link = tmp_path / "link.db"
    link.symlink_to(source)
    for destination in (source, link, f"sqlite:{source}"):
        refused = run("copy", source, destination, ok=False)
        assert refused.returncode == 2, refused.stderr
        assert "itself" in refused.stderr


def test_copying_a_missing_source_fails_without_creating_it(tmp_path: Path) -> None:
    failed = run("copy", tmp_path / "none.db", tmp_path / "copy.db", ok=False)
    assert failed.returncode == 4  # a file that cannot be read
    assert "no such timeline file" in failed.stderr
    assert not (tmp_path / "none.db").exists()


@pytest.mark.skipif(
    not os.environ.get("CT_SLOW") and not os.environ.get("CI"),
    reason="100k records (about a minute): set CT_SLOW=1 (CI runs it)",
)
def test_a_100k_record_timeline_round_trips_with_identical_hashes(
    tmp_path: Path, pg_url: str
) -> None:
    records = StoreConformance.small_records()
    template = next(r for r in records if isinstance(r, Attack))
    source = tmp_path / "big.db"
    store = SQLiteStore(source, clock=TickClock())
    try:
        store.append(records)
        for lo in range(0, 100_000 - len(records), 25_000):
            store.append([attrs.evolve(template, id=f"a{i}") for i in range(lo, lo + 25_000)])
        expected = chain(store)
    finally:
        store.close()
    run("copy", source, pg_url, "--no-progress")
    assert chain_of(pg_url) == expected
    back = tmp_path / "back.db"
    run("copy", pg_url, back, "--no-progress")
    assert chain_of(back) == expected


# -- a source changed behind the library's back is not laundered ----------------------


def tamper(db: Path, position: int, old: bytes, new: bytes) -> None:
    """Change a stored payload in place, its hash left as it was (what verify catches)."""
    with sqlite3.connect(db) as raw:
        (payload,) = raw.execute(
            "SELECT payload FROM records WHERE position = ?", (position,)
        ).fetchone()
        assert old in payload
        changed = payload.replace(old, new, 1)
        raw.execute("UPDATE records SET payload = ? WHERE position = ?", (changed, position))
    raw.close()
    assert run("verify", db, ok=False).returncode == 1


def refuses_at(result: subprocess.CompletedProcess[str], position: int, source: Path) -> None:
    """Exit status 6 (the source is damaged), one line naming the first bad position,
    what the destination holds, and verify."""
    assert result.returncode == 6, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    what = f"{source}: the record at position {position} does not match its stored hash"
    assert what in lines[0]
    assert f"holds the {position - 1} records before it" in lines[0]
    assert f"run verify on {source}" in lines[0]


@pytest.mark.parametrize("batch", ["10000", "5", "1"])
def test_copy_stops_at_a_source_record_that_does_not_match_its_hash(
    tmp_path: Path, batch: str
) -> None:
    source = tmp_path / "seed.db"
    expected = seed(source)
    tamper(source, 21, b'"means":"rockets"', b'"means":"rocketz"')
    destination = tmp_path / "copy.db"
    refuses_at(run("copy", source, destination, "--batch", batch, ok=False), 21, source)
    # Only the records before it, each with its own hash: a true copy of that prefix.
    assert chain_of(destination) == expected[:20]
    assert run("verify", destination).stdout.startswith("ok: 20 records")
    # Run again (a resume): it stops at the same record and writes nothing more.
    refuses_at(run("copy", source, destination, "--batch", batch, ok=False), 21, source)
    assert chain_of(destination) == expected[:20]


def test_copy_stops_at_a_change_the_decoder_reads_past(tmp_path: Path) -> None:
    # A space added to a stored payload's JSON: the record decodes as before, and
    # written back it would get a valid hash; but its stored bytes are not the ones
    # its hash covers (verify fails), so the copy stops there, as for any change.
    source = tmp_path / "seed.db"
    expected = seed(source)
    tamper(source, 21, b'"means":"rockets"', b'"means": "rockets"')
    destination = tmp_path / "copy.db"
    refuses_at(run("copy", source, destination, ok=False), 21, source)
    assert chain_of(destination) == expected[:20]


@pytest.mark.parametrize("after", [1, 3])
def test_a_resumed_copy_checks_the_records_after_the_prefix(tmp_path: Path, after: int) -> None:
    """A destination holding a prefix from an earlier copy: the check chains on from
    the prefix's last hash, and stops at a changed record after it."""
    source = tmp_path / "seed.db"
    expected = seed(source)
    destination = tmp_path / "copy.db"

    class StopError(Exception):
        pass

    def stop_after_one_batch(position: int) -> None:
        if position:
            raise StopError

    clock = SettableClock()
    src = SQLiteStore(source, create=False)
    dst = SQLiteStore(destination, clock=clock)
    try:
        with pytest.raises(StopError):
            copy_timeline(src, dst, clock, batch=5, progress=stop_after_one_batch)
        assert dst.head() == 5
    finally:
        src.close()
        dst.close()
    bad = 5 + after
    tamper(source, bad, b'"name":"', b'"name":"X')
    refuses_at(run("copy", source, destination, "--batch", "5", ok=False), bad, source)
    assert chain_of(destination) == expected[: bad - 1]


def test_a_changed_source_is_not_laundered_into_postgresql(tmp_path: Path, pg_url: str) -> None:
    source = tmp_path / "seed.db"
    expected = seed(source)
    tamper(source, 21, b'"means":"rockets"', b'"means":"rocketz"')
    refuses_at(run("copy", source, pg_url, ok=False), 21, source)
    assert chain_of(pg_url) == expected[:20]
    assert run("verify", pg_url).stdout.startswith("ok: 20 records")


# -- the command line never shows a password ------------------------------------------

SECRET = "topsecret"


def with_password(url: str, password: str = SECRET) -> str:
    assert url.startswith("postgresql://ct@")
    return url.replace("postgresql://ct@", f"postgresql://ct:{password}@", 1)


def shows_no_password(result: subprocess.CompletedProcess[str], status: int) -> str:
    """The status, one line on standard error (no traceback), no password anywhere."""
    assert result.returncode == status, result.stderr
    assert SECRET not in result.stdout + result.stderr
    if status:
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("conflict-timeline: error: ")
        return lines[0]
    return result.stdout


def tamper_pg(url: str, position: int, old: bytes, new: bytes) -> None:
    """Change a stored payload behind the triggers' back, as a superuser could."""
    import psycopg

    conninfo, name = parse_url(url)
    with psycopg.connect(conninfo, autocommit=True, options=f"-c search_path={name}") as conn:
        conn.execute("ALTER TABLE records DISABLE TRIGGER records_append_only")
        row = conn.execute(
            "SELECT payload FROM records WHERE position = %s", (position,)
        ).fetchone()
        assert row is not None
        changed = bytes(row[0]).replace(old, new, 1)
        conn.execute("UPDATE records SET payload = %s WHERE position = %s", (changed, position))
        conn.execute("ALTER TABLE records ENABLE TRIGGER records_append_only")


def test_import_summaries_hide_the_password(tmp_path: Path, pg_url: str) -> None:
    source = tmp_path / "karabakh.jsonl"
    write_jsonl(datasets.karabakh_oct_2020(), source)
    url = with_password(pg_url)
    out = shows_no_password(run("import", "jsonl", source, "--into", url), 0)
    assert f"25 appended to {with_password(pg_url, '***')}\n" in out
    other = with_password(pg_url.replace("?timeline=", "?timeline=acled_"))
    numeric = Path(__file__).parent / "data" / "acled-synthetic-numeric-inter.csv"
    out = shows_no_password(run("import", "acled", numeric, "--into", other), 0)
    assert "records appended to postgresql://ct:***@" in out


def test_copying_a_postgresql_timeline_onto_itself_is_refused_however_spelled(
    tmp_path: Path, pg_url: str
) -> None:
    source = tmp_path / "seed.db"
    seed(source)
    run("copy", source, pg_url)
    spelled = [
        pg_url,
        pg_url + "&application_name=other",
        pg_url.replace("postgresql://", "postgres://", 1),
        pg_url.replace("postgresql://", "POSTGRESQL://", 1),  # a scheme has no case
    ]
    for destination in spelled:
        refused = run("copy", pg_url, destination, ok=False)
        assert refused.returncode == 2, refused.stderr
        assert "itself" in refused.stderr
    other = pg_url.replace("?timeline=", "?timeline=other_")
    assert run("copy", pg_url, other).returncode == 0


def test_copy_and_verify_messages_hide_the_password(tmp_path: Path, pg_url: str) -> None:
    source = tmp_path / "seed.db"
    seed(source)
    url = with_password(pg_url)
    shown = with_password(pg_url, "***")
    other = PostgresStore.from_url(pg_url)
    try:
        other.append(StoreConformance.small_records())
    finally:
        other.close()
    # The destination holds another history.
    line = shows_no_password(run("copy", source, url, ok=False), 5)
    assert f"{shown} holds 6 records that are not the first 6" in line
    # A source that does not verify: verify's line, then copy's.
    tamper_pg(pg_url, 3, b'"id":"', b'"id":"x')
    failed = run("verify", url, ok=False)
    assert failed.returncode == 1
    assert SECRET not in failed.stderr
    assert failed.stderr.startswith(f"{shown}: FAILED at position 3")
    line = shows_no_password(run("copy", url, tmp_path / "back.db", ok=False), 6)
    assert f"{shown}: the record at position 3 does not match its stored hash" in line
    assert f"run verify on {shown}" in line


def test_connection_errors_hide_the_password(pg_cluster: Any) -> None:
    port = pg_cluster.port
    # libpq quotes the bad escape of the password back.
    bad = f"postgresql://ct:{SECRET[:3]}%ZZ{SECRET[3:]}@127.0.0.1:{port}/ct?timeline=x"
    line = shows_no_password(run("verify", bad, ok=False), 4)
    assert "%ZZ" not in line
    assert "postgresql://ct:***@" in line
    # A password in the query string, and a server that cannot be reached.
    query = f"postgresql://ct@127.0.0.1:1/ct?password={SECRET}&timeline=x"
    line = shows_no_password(run("verify", query, ok=False), 4)
    assert "?password=***&timeline=x" in line


def test_a_url_that_cannot_be_parsed_is_one_line_with_its_status(tmp_path: Path) -> None:
    source = tmp_path / "seed.db"
    seed(source)
    url = f"postgresql://ct:{SECRET}@[::1/ct?timeline=x"
    line = shows_no_password(run("verify", url, ok=False), 4)  # cannot be read
    assert "postgresql://ct:***@[::1/ct?timeline=x: not a valid URL" in line
    line = shows_no_password(run("copy", source, url, ok=False), 5)  # cannot be written
    assert "not a valid URL" in line
    line = shows_no_password(run("copy", url, tmp_path / "copy.db", ok=False), 4)
    assert "not a valid URL" in line
    assert not (tmp_path / "copy.db").exists()


# -- copy_timeline's own rules, on stores in memory -------------------------------------


def memory_seed() -> MemoryStore:
    """The worked example's 25 records appended as batches of 9, 9 and 7 (three
    ``recorded_at``)."""
    records = list(datasets.karabakh_oct_2020())
    store = MemoryStore(clock=TickClock())
    for lo in range(0, len(records), 9):
        store.append(records[lo : lo + 9])
    return store


def test_progress_is_reported_at_the_start_and_after_each_batch() -> None:
    """Batches are at most ``batch`` long and never span two ``recorded_at``: with
    batch=5, the runs of 9, 9 and 7 go as 5+4, 5+4, 5+2."""
    source = memory_seed()
    clock = SettableClock()
    reported: list[int] = []
    done = copy_timeline(
        source, MemoryStore(clock=clock), clock, batch=5, progress=reported.append
    )
    assert reported == [0, 5, 9, 14, 18, 23, 25]
    assert (done.copied, done.already, done.head) == (25, 0, 25)


def test_a_batch_below_one_is_refused() -> None:
    clock = SettableClock()
    destination = MemoryStore(clock=clock)
    with pytest.raises(StoreError, match="batch must be at least 1, got 0"):
        copy_timeline(memory_seed(), destination, clock, batch=0)
    assert destination.head() == 0


def test_after_a_copy_the_clock_takes_no_more_records() -> None:
    """The settable clock is cleared once the copy is done: the destination, opened
    with it, refuses an append that is not part of a copy."""
    clock = SettableClock()
    destination = MemoryStore(clock=clock)
    copy_timeline(memory_seed(), destination, clock)
    with pytest.raises(StoreError, match="only takes records copied from another timeline"):
        destination.append([ActorDefined(id="later", name="Later", actor_kind="state")])
    assert destination.head() == 25


class _InterruptedError(Exception):
    """Stands for a copy killed part way (Ctrl-C, a lost connection)."""


def _interrupted_copy(stop_at: int) -> tuple[MemoryStore, MemoryStore, SettableClock]:
    """The seed, and a destination a copy in batches of 5 left at ``stop_at`` records."""
    source, clock = memory_seed(), SettableClock()
    destination = MemoryStore(clock=clock)

    def stop(held: int) -> None:
        if held == stop_at:
            raise _InterruptedError

    with pytest.raises(_InterruptedError):
        copy_timeline(source, destination, clock, batch=5, progress=stop)
    clock.now = None
    return source, destination, clock


def test_a_resumed_copy_counts_what_it_copied_apart_from_what_was_there() -> None:
    source, destination, clock = _interrupted_copy(5)
    assert destination.head() == 5
    done = copy_timeline(source, destination, clock, batch=5)
    assert (done.copied, done.already, done.head) == (20, 5, 25)
    assert [r.hash for r in destination.read()] == [r.hash for r in source.read()]


def test_a_finished_copy_run_again_copies_nothing() -> None:
    source, clock = memory_seed(), SettableClock()
    destination = MemoryStore(clock=clock)
    copy_timeline(source, destination, clock)
    again = copy_timeline(source, destination, clock)
    assert (again.copied, again.already, again.head) == (0, 25, 25)


def test_a_destination_holding_another_history_is_refused_not_blamed_on_the_source() -> None:
    source, clock = memory_seed(), SettableClock()
    destination = MemoryStore(clock=clock)
    clock.now = TickClock()()
    destination.append(StoreConformance.small_records())
    clock.now = None
    held = destination.head()
    with pytest.raises(StoreError, match=f"holds {held} records that are not the first") as info:
        copy_timeline(source, destination, clock)
    assert not isinstance(info.value, DamagedStoreError)
    assert destination.head() == held


class _DamagedAt(MemoryStore):
    """The seed, its record at position 12 read with another hash (damaged)."""

    def __init__(self) -> None:
        super().__init__()
        self.seed = memory_seed()

    def head(self) -> int:
        return self.seed.head()

    def read(self, **kwargs: Any) -> Any:
        for recorded in self.seed.read(**kwargs):
            yield attrs.evolve(recorded, hash="f" * 64) if recorded.position == 12 else recorded

    def fetch(self, positions: Sequence[int]) -> list[Recorded]:
        return self.seed.fetch(positions)


def test_a_copy_stopped_by_a_damaged_source_leaves_the_clock_taking_no_records() -> None:
    clock = SettableClock()
    destination = MemoryStore(clock=clock)
    with pytest.raises(DamagedStoreError, match="position 12"):
        copy_timeline(_DamagedAt(), destination, clock)
    held = destination.head()
    assert held == 11  # the records before the damaged one, a true copy of them
    with pytest.raises(StoreError, match="only takes records copied from another timeline"):
        destination.append([ActorDefined(id="later", name="Later", actor_kind="state")])
    assert destination.head() == held


class _FailsVerify(MemoryStore):
    def verify(self) -> Verification:
        return Verification(False, 3, 4, "hash does not match")


class _OtherHeadHash(MemoryStore):
    def fetch(self, positions: Sequence[int]) -> list[Recorded]:
        return [attrs.evolve(r, hash="f" * 64) for r in super().fetch(positions)]


def test_a_copy_that_does_not_verify_is_refused() -> None:
    clock = SettableClock()
    with pytest.raises(
        StoreError,
        match=r"^the destination: the copy does not verify: position 4: hash does not match$",
    ):
        copy_timeline(memory_seed(), _FailsVerify(clock=clock), clock)


def test_a_copy_whose_head_hash_is_not_the_sources_is_refused() -> None:
    clock = SettableClock()
    with pytest.raises(
        StoreError,
        match=r"^the destination: the chain hash at the head differs from the source's$",
    ):
        copy_timeline(memory_seed(), _OtherHeadHash(clock=clock), clock)


def test_another_writer_appending_to_the_destination_stops_the_copy_saying_why() -> None:
    """A copy appends batch after batch; another writer appending in between leaves
    the destination no copy of the source, which no rerun can mend: the copy stops
    with a StoreError that says so, not a concurrency error that says to retry."""
    source = memory_seed()
    clock = SettableClock()
    destination = MemoryStore(clock=clock)
    intruder = ActorDefined(id="someone-else", name="Someone else", actor_kind="state")

    def another_writer(position: int) -> None:
        if position == 5:
            destination.append([intruder])

    with pytest.raises(StoreError, match="another writer appended to it during the copy") as e:
        copy_timeline(source, destination, clock, batch=5, progress=another_writer)
    assert "no copy into it can succeed" in str(e.value)
    assert [r.id for r in destination.read()][5:] == ["someone-else"]


def test_a_record_an_earlier_version_stored_referring_to_itself_is_copied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Appends refuse a record that refers to its own id, but a store an earlier
    version wrote under strict=False may hold one: a copy keeps it (its chain hash
    covers it), while a plain append still refuses it."""
    from conflict_timeline import ActorDefined, Denial, MemoryStore
    from conflict_timeline.errors import UnknownReferenceError
    from conflict_timeline.stores import _base

    actor = ActorDefined(id="armenia", name="Armenia", actor_kind="state")
    itself = Denial(id="d1", occurred="2020-10-01", denier="armenia", denies="d1")
    source = MemoryStore(clock=TickClock())
    with monkeypatch.context() as earlier:  # as the version before the refusal stored it
        earlier.setattr(_base, "refuse_self_references", lambda records, refs: None)
        source.append([actor])
        source.append([itself], strict=False)
    clock = SettableClock()
    destination = MemoryStore(clock=clock)
    copy_timeline(source, destination, clock)
    assert chain(destination) == chain(source)
    with pytest.raises(UnknownReferenceError, match="refers to the record itself"):
        MemoryStore().append([itself], strict=False)


# ------------------------------------------------------------ Timeline.copy_to


def test_timeline_copy_to_keeps_every_position_recording_time_and_hash(tmp_path: Path) -> None:
    """``Timeline.copy_to``: each record at the same position with the same
    ``recorded_at``, so the same chain hash, as ``conflict-timeline copy`` does."""
    expected = seed(tmp_path / "seed.db")
    with Timeline.open(tmp_path / "seed.db", create=False) as timeline:
        result = timeline.copy_to(tmp_path / "copy.db")
    assert result == CopyResult(copied=25, already=0, head=25, head_hash=expected[-1][2])
    assert chain_of(tmp_path / "copy.db") == expected


def test_timeline_copy_to_keeps_when_an_unsourced_record_was_recorded(tmp_path: Path) -> None:
    """A record with no dated source is known from its ``recorded_at``: copied, it
    keeps that time (appended again, it would be stamped with the time of the copy)."""
    then = _dt.datetime(2021, 3, 4, 5, 6, 7, tzinfo=_dt.UTC)
    timeline = Timeline(MemoryStore(clock=lambda: then))
    with pytest.warns(UnsourcedRecordWarning):
        timeline.append(Attack(id="a1", occurred="2021-03-01"))
    timeline.copy_to(tmp_path / "copy.db")
    with Timeline.open(tmp_path / "copy.db", create=False) as copy:
        assert copy.get("a1").recorded_at == then
        assert [r.id for r in copy.occurred_between("2021-02-01", "2021-04-01")] == ["a1"]


def test_timeline_copy_to_goes_on_from_an_interrupted_copy(tmp_path: Path) -> None:
    """Stopped after its first batch, the copy holds whole batches; called again it
    checks them and appends the rest. (A batch holds records of one recording time:
    the seed's were appended 9 at a time, so batches of up to 10 hold 9, 9 and 7.)"""
    expected = seed(tmp_path / "seed.db")
    target = tmp_path / "copy.db"

    class StopError(Exception):
        pass

    def stop_after_first_batch(held: int) -> None:
        if held:
            raise StopError

    with Timeline.open(tmp_path / "seed.db", create=False) as timeline:
        with pytest.raises(StopError):
            timeline.copy_to(target, batch=10, progress=stop_after_first_batch)
        assert chain_of(target) == expected[:9]
        seen: list[int] = []
        result = timeline.copy_to(target, batch=10, progress=seen.append)
    assert (result.already, result.copied, result.head) == (9, 16, 25)
    assert seen == [9, 18, 25]
    assert chain_of(target) == expected


def test_timeline_copy_to_refuses_a_store_holding_another_timeline(tmp_path: Path) -> None:
    seed(tmp_path / "seed.db")
    other = Timeline.open(tmp_path / "other.db")
    other.append(ActorDefined(id="x", name="X", actor_kind="state"))
    other.close()
    with (
        Timeline.open(tmp_path / "seed.db", create=False) as timeline,
        pytest.raises(StoreError, match=r"other\.db holds 1 records that are not the first 1"),
    ):
        timeline.copy_to(tmp_path / "other.db")
    assert len(chain_of(tmp_path / "other.db")) == 1
