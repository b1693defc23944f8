"""Bulk append: N realistic records into a fresh SQLite timeline, in one call.

Run it with ``python bench/bulk_append.py`` (``--records``, ``--repeat``,
``--profile``). It prints records/s for ``SQLiteStore.append`` of the whole list in
one call (one transaction: canonical serialization, idempotency and reference
checks, the hash chain, the index columns, the refs table and the commit) and, as a
floor, a bare ``sqlite3.executemany`` of the same payloads, in one transaction, into
a two-column table in a WAL file with ``synchronous=FULL``: nothing of ours. Between
the two, "SQLite alone": the very rows and references the append wrote (copied out of
its file beforehand) inserted into the same schema in one transaction; what the
append takes beyond it is our Python (serialization, checks, hashes, index columns).
Last, an untimed traced run shows the append is one transaction, written in slices.

The records: actors (one in 500), places in a de jure tree (one in 200) and attacks
that refer to them, each with one dated source, a claimant, a perpetrator (mostly), a
place, a target class, a means and a fatality figure; the day they occurred in one of
five timezones over about 400 days. About 720 bytes of canonical JSON each.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as _dt
import gc
import itertools
import pstats
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import conflict_timeline as ct
from conflict_timeline._serialization import canonical_bytes

_ZONES = ("Asia/Yerevan", "Asia/Baku", "Europe/Moscow", "UTC", "Africa/Khartoum")
_PUBLISHERS = ("Reuters", "AP", "AFP", "BBC", "Al Jazeera", "ACLED", "UCDP", "Local monitor")
_MEANS = ("rockets", "shelling", "drone strike", "airstrike", "small arms", None)
_TARGETS = ("civilian", "military", "infrastructure", "mixed", "unknown")


def generate(n: int, *, seed: int = 2020) -> list[ct.Record]:
    """``n`` records: actors, places (a de jure tree) and attacks that refer to them."""
    rng = random.Random(seed)
    n_actors = max(2, n // 500)
    n_places = max(6, n // 200)
    records: list[ct.Record] = []
    for i in range(n_actors):
        records.append(
            ct.ActorDefined(
                id=f"actor-{i}",
                name=f"Armed group {i}",
                actor_kind=rng.choice(["armed_force", "state", "de_facto_authority"]),
                aliases=(f"Group {i}",),
                affiliation=f"actor-{i % 10}" if i >= 10 else None,
            )
        )
    for i in range(n_places):
        records.append(
            ct.PlaceDefined(
                id=f"place-{i}",
                name=f"Town {i}",
                place_kind="country" if i < 5 else "town",
                parent=f"place-{i % 5}" if i >= 5 else None,
                coordinates=ct.Coordinates(
                    lat=round(rng.uniform(38.0, 41.0), 4), lon=round(rng.uniform(44.0, 48.0), 4)
                ),
            )
        )
    days: dict[tuple[_dt.date, str], ct.TimeExtent] = {}

    def day_in(day: _dt.date, tz: str) -> ct.TimeExtent:
        # Equal extents are equal values; building each once only speeds generation.
        key = (day, tz)
        if key not in days:
            days[key] = ct.TimeExtent.from_dates(day, day, "day", tz=tz)
        return days[key]

    first_day = _dt.date(2020, 9, 27)
    for i in range(n - len(records)):
        day = first_day + _dt.timedelta(days=rng.randrange(400))
        published = day + _dt.timedelta(days=rng.randrange(3))
        killed = rng.randrange(20)
        records.append(
            ct.Attack(
                id=f"attack-{i}",
                occurred=day_in(day, rng.choice(_ZONES)),
                sources=(
                    ct.Source(
                        publisher=rng.choice(_PUBLISHERS),
                        title=f"Shelling reported near town {i % n_places}",
                        url=f"https://example.org/reports/{i}",
                        published=day_in(published, "UTC"),
                    ),
                ),
                claimed_by=f"actor-{rng.randrange(n_actors)}",
                perpetrator=f"actor-{rng.randrange(n_actors)}" if rng.random() < 0.8 else None,
                target_class=rng.choice(_TARGETS),
                target="a residential area",
                means=rng.choice(_MEANS),
                place=f"place-{rng.randrange(n_places)}",
                fatalities=ct.Figure(low=killed, high=killed + rng.randrange(5)),
            )
        )
    return records


def generate_actors(n: int) -> list[ct.Record]:
    """``n`` small records that refer to nothing: actors with a name and a kind."""
    return [
        ct.ActorDefined(id=f"actor-{i}", name=f"Actor {i}", actor_kind="person") for i in range(n)
    ]


def _append(records: list[ct.Record], folder: Path) -> float:
    store = ct.SQLiteStore(folder / "timeline.db")
    try:
        started = time.perf_counter()
        store.append(records)
        elapsed = time.perf_counter() - started
        assert store.head() == len(records)
    finally:
        store.close()
    return elapsed


def _transactions(records: list[ct.Record], folder: Path) -> tuple[list[str], int]:
    """The transaction statements of one append of ``records`` (an untimed run: the
    trace callback is called for every row), and how many slices wrote its rows."""
    store = ct.SQLiteStore(folder / "traced.db")
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    try:
        store.append(records)
    finally:
        store._db.set_trace_callback(None)
        store.close()
    control = [s for s in statements if s.split()[0] in ("BEGIN", "COMMIT", "ROLLBACK")]
    slices = sum(
        1
        for before, after in itertools.pairwise(statements)
        if after.startswith("INSERT INTO records") and not before.startswith("INSERT INTO records")
    )
    return control, slices


def copy_layout(
    source: Path, target: Path
) -> tuple[sqlite3.Connection, str, list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """What "SQLite alone" starts from: a new WAL file at ``target`` with the schema
    and page size of the timeline file at ``source`` (``synchronous=FULL``, as ours),
    plus that file's rows in position order, their column names, and its references
    in key order. Used here and by ``bench/measures.py``."""
    with sqlite3.connect(source) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        schema = [
            sql
            for (sql,) in db.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type DESC, name"
            )
        ]
        columns = ", ".join(c[1] for c in db.execute("PRAGMA table_info(records)"))
        rows = db.execute(f"SELECT {columns} FROM records ORDER BY position").fetchall()
        refs = db.execute("SELECT * FROM refs ORDER BY ref, position, field").fetchall()
    copy = sqlite3.connect(target, isolation_level=None)
    copy.execute(f"PRAGMA page_size={page_size:d}")
    copy.execute("PRAGMA journal_mode=WAL")
    copy.execute("PRAGMA synchronous=FULL")
    for sql in schema:
        copy.execute(sql)
    return copy, columns, rows, refs


def _schema_floor(records: list[ct.Record], folder: Path) -> float:
    """SQLite alone: the rows and references an append wrote, copied out of its file
    beforehand, inserted into the same schema (same page size) in one transaction."""
    source = ct.SQLiteStore(folder / "source.db")
    source.append(records)
    source.close()
    db, columns, rows, refs = copy_layout(folder / "source.db", folder / "schema-floor.db")
    try:
        marks = ",".join("?" * len(rows[0]))
        gc.collect()
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany(f"INSERT INTO records ({columns}) VALUES ({marks})", rows)
        db.executemany("INSERT INTO refs VALUES (?, ?, ?, ?)", refs)
        db.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        db.close()


def _floor(payloads: list[bytes], folder: Path) -> float:
    db = sqlite3.connect(folder / "floor.db", isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE records (position INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO records VALUES (?, ?)", enumerate(payloads, start=1))
        db.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        db.close()


def _best(run: Callable[[Path], float], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            times.append(run(Path(folder)))
    return min(times), statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    """Measure and print; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; best is shown")
    parser.add_argument("--profile", action="store_true", help="cProfile one append")
    parser.add_argument(
        "--workload",
        choices=["attacks", "actors"],
        default="attacks",
        help="attacks (realistic, the default) or small actor records with no references",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    records = (generate if args.workload == "attacks" else generate_actors)(args.records)
    payloads = [canonical_bytes(r) for r in records]
    size = sum(map(len, payloads)) / len(payloads)
    print(
        f"{len(records):,} records ({size:.0f} B of canonical JSON each on average), "
        f"generated in {time.perf_counter() - started:.1f} s"
    )
    gc.collect()

    if args.profile:
        profile = cProfile.Profile()
        with tempfile.TemporaryDirectory() as folder:
            store = ct.SQLiteStore(Path(folder) / "timeline.db")
            profile.runcall(store.append, records)
            store.close()
        pstats.Stats(profile).sort_stats("tottime").print_stats(20)
        return

    ours, ours_median = _best(lambda folder: _append(records, folder), args.repeat)
    schema, schema_median = _best(lambda folder: _schema_floor(records, folder), args.repeat)
    floor, floor_median = _best(lambda folder: _floor(payloads, folder), args.repeat)
    n = len(records)
    print(f"{'':40}{'best s':>9}{'median s':>10}{'records/s':>12}")
    for label, best, median in (
        ("SQLiteStore.append (one call)", ours, ours_median),
        ("SQLite alone: our rows, our schema", schema, schema_median),
        ("floor: bare executemany", floor, floor_median),
    ):
        print(f"{label:40}{best:9.3f}{median:10.3f}{n / best:12,.0f}")
    print(f"append / SQLite alone: {ours / schema:.2f}x; append / floor: {ours / floor:.2f}x")
    with tempfile.TemporaryDirectory() as folder:
        control, slices = _transactions(records, Path(folder))
    begun = sum(1 for statement in control if statement.startswith("BEGIN"))
    print(
        f"one call, {begun} transaction(s): {' ... '.join(control)}; "
        f"its rows written in {slices} slice(s)"
    )


if __name__ == "__main__":
    main()
