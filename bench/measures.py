"""Each measure, run alone in a fresh process so its peak RSS is its own.

``python -m bench.measures NAME '{"n": 10000, ...}'`` runs one measure and prints one
JSON object on the last line of stdout: the timings (wall ``seconds`` and process
``cpu``), what was measured, and ``rss_mb``, the process's peak resident set.

Three families, over the same workload:

* ``ours_*``: conflict_timeline through its public API.
* ``floor_*``: the same work from the same primitives with nothing of ours
  (``sqlite3.executemany`` of the same rows into the same schema, orjson decoding
  of the same payloads, a plain fold over dicts); no checks, no types, GC off.
* ``es_*``: the PyPI package eventsourcing (see :mod:`bench.peer`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import json
import os
import pickle
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import orjson

import conflict_timeline as ct

from .bulk_append import copy_layout
from .plain import PlainViews, extent_us
from .workload import generate

# Where raw results, the cached workloads and the work files go; the smoke test
# points it at a temporary folder so it cannot disturb a full run.
RESULTS: Final = Path(
    os.environ.get("CT_BENCH_RESULTS") or Path(__file__).resolve().parent / "results"
)
WORK: Final = RESULTS / "work"
CACHE: Final = RESULTS / "cache"


def whole(found: Any) -> Any:
    """``found`` with every entry built: a listing may build its entries when they
    are first read (an unfiltered `ReportedViolations` answer orders them then), and
    a measure of an answer counts building it."""
    if isinstance(found, ct.Listing):
        _ = found.items
    return found


# The kinds the two views read (taken from the views, so the floor reads the same
# rows), and the ones that correct or withdraw records.
def _kinds_read() -> tuple[str, ...]:
    kinds: set[str] = set()
    for view in (ct.ReportedViolations, ct.ActiveCommitments):
        assert view.kinds is not None  # both views name the kinds they read
        kinds |= view.kinds
    return tuple(sorted(kinds))


VIEW_KINDS: Final = _kinds_read()
FIX_KINDS: Final = ("Correction", "Retraction")

_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

MEASURES: dict[str, Callable[..., dict[str, Any]]] = {}


def measure(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    MEASURES[fn.__name__] = fn
    return fn


# ------------------------------------------------------------------------------ helpers


class Clock:
    """Wall and CPU time of a block."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.cpu = 0.0

    @contextmanager
    def run(self) -> Iterator[Clock]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield self
        finally:
            self.seconds += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu


def rss_mb() -> float:
    """Peak resident set of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cache_path(n: int, seed: int) -> Path:
    return CACHE / f"workload-{n}-{seed}.pickle"


def ours_db(n: int) -> Path:
    return WORK / f"ours-{n}.db"


def es_db(n: int) -> Path:
    return WORK / f"es-{n}.db"


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def load_records(n: int, seed: int) -> list[ct.Record]:
    """The cached workload (``prepare`` writes it); GC is paused while unpickling."""
    gc.disable()
    try:
        with cache_path(n, seed).open("rb") as fh:
            records: list[ct.Record] = pickle.load(fh)
    finally:
        gc.enable()
    gc.collect()
    return records


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "p50_ms": statistics.median(ordered) * 1e3,
        "p99_ms": p99 * 1e3,
        "max_ms": ordered[-1] * 1e3,
        "queries": len(ordered),
    }


def query_dates(n: int, seed: int, count: int) -> list[int]:
    """Random valid-time cuts (epoch microseconds) across the workload's span."""
    with sqlite3.connect(ours_db(n)) as db:
        lo, hi = db.execute(
            "SELECT min(occurred_lo), max(occurred_last) FROM records WHERE kind = 'Attack'"
        ).fetchone()
    rng = random.Random(seed)
    return [rng.randrange(lo, hi) for _ in range(count)]


def _payload_rows(n: int) -> list[tuple[str, bytes]]:
    with sqlite3.connect(ours_db(n)) as db:
        return db.execute("SELECT kind, payload FROM records ORDER BY position").fetchall()


# ------------------------------------------------------------------------------ prepare


@measure
def prepare(n: int, seed: int) -> dict[str, Any]:
    """Generate the workload (validated records, public API) and cache it.

    A cached workload is reused; what it holds is kept beside it, so the report can
    describe it without unpickling it.
    """
    path = cache_path(n, seed)
    about = path.with_suffix(".json")
    if path.exists() and about.exists():
        return {**json.loads(about.read_text()), "cached": True}
    clock = Clock()
    with clock.run():
        records = generate(n, seed=seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump(records, fh, protocol=pickle.HIGHEST_PROTOCOL)
    kinds: dict[str, int] = {}
    for record in records:
        kinds[record.KIND] = kinds.get(record.KIND, 0) + 1
    conflicts = len({r.id.split("-", 1)[0] for r in records if r.id.startswith("c")})
    found = {"seconds": clock.seconds, "cpu": clock.cpu, "kinds": kinds, "conflicts": conflicts}
    about.write_text(json.dumps(found))
    return found


# ------------------------------------------------------------------------------- append


@measure
def ours_append(n: int, seed: int) -> dict[str, Any]:
    """``Timeline.extend`` of the whole workload into a new SQLite file: one call."""
    records = load_records(n, seed)
    before = rss_mb()
    clock = Clock()
    with ct.Timeline.open(_fresh(ours_db(n))) as timeline, clock.run():
        timeline.extend(records)
    return {"seconds": clock.seconds, "cpu": clock.cpu, "input_rss_mb": before}


@measure
def ours_append_single(n: int, seed: int, single: int) -> dict[str, Any]:
    """One ``append`` (one transaction, fsync'd) per record, into a new file."""
    records = load_records(n, seed)[:single]
    clock = Clock()
    path = _fresh(WORK / f"ours-single-{n}.db")
    with ct.Timeline.open(path) as timeline, clock.run():
        for record in records:
            timeline.append(record)
    return {"seconds": clock.seconds, "cpu": clock.cpu, "records": len(records)}


def _floor_db(
    n: int, name: str
) -> tuple[sqlite3.Connection, str, list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    return copy_layout(ours_db(n), _fresh(WORK / name))


@measure
def floor_append(n: int, seed: int) -> dict[str, Any]:
    """The same rows (payloads, hashes, index columns, refs) inserted into the same
    schema with ``executemany`` in one transaction; the input records held too."""
    records = load_records(n, seed)
    db, columns, rows, refs = _floor_db(n, f"floor-{n}.db")
    marks = ",".join("?" * len(rows[0]))
    gc.disable()
    clock = Clock()
    with clock.run():
        db.execute("BEGIN IMMEDIATE")
        db.executemany(f"INSERT INTO records ({columns}) VALUES ({marks})", rows)
        db.executemany("INSERT INTO refs VALUES (?, ?, ?, ?)", refs)
        db.execute("COMMIT")
    db.close()
    del records
    return {"seconds": clock.seconds, "cpu": clock.cpu}


@measure
def floor_append_single(n: int, seed: int, single: int) -> dict[str, Any]:
    """One transaction (fsync'd) per row, same rows and schema."""
    db, columns, rows, refs = _floor_db(n, f"floor-single-{n}.db")
    rows = rows[:single]
    by_position: dict[int, list[Any]] = {}
    for ref in refs:
        by_position.setdefault(ref[1], []).append(ref)
    marks = ",".join("?" * len(rows[0]))
    clock = Clock()
    with clock.run():
        for row in rows:
            db.execute("BEGIN IMMEDIATE")
            db.execute(f"INSERT INTO records ({columns}) VALUES ({marks})", row)
            db.executemany("INSERT INTO refs VALUES (?, ?, ?, ?)", by_position.get(row[0], ()))
            db.execute("COMMIT")
    db.close()
    return {"seconds": clock.seconds, "cpu": clock.cpu, "records": len(rows)}


# ------------------------------------------------------------------------------ rebuild


@measure
def ours_rebuild(n: int, seed: int, queries: int, rv_queries: int) -> dict[str, Any]:
    """Cold open plus a full rebuild of both views; then at-date queries (warm)."""
    open_clock, ac_clock, rv_clock = Clock(), Clock(), Clock()
    with open_clock.run():
        timeline = ct.Timeline.open(ours_db(n), create=False)
    with ac_clock.run():
        active = timeline.state(ct.ActiveCommitments)
    with rv_clock.run():
        violations = whole(timeline.state(ct.ReportedViolations))
    rebuild_rss = rss_mb()
    dates = query_dates(n, seed, queries)
    ac_times: list[float] = []
    ac_sizes: list[int] = []
    for at in dates:
        start = time.perf_counter()
        found = timeline.state(ct.ActiveCommitments, at=_utc(at))
        ac_times.append(time.perf_counter() - start)
        ac_sizes.append(len(found))
    # The answer, then the answer with every entry built (an unfiltered answer orders
    # its entries when they are first read).
    rv_times: list[float] = []
    rv_listed: list[float] = []
    rv_sizes: list[int] = []
    for at in dates[:rv_queries]:
        start = time.perf_counter()
        found_rv = timeline.state(ct.ReportedViolations, at=_utc(at))
        rv_times.append(time.perf_counter() - start)
        rv_sizes.append(len(found_rv))
        whole(found_rv)
        rv_listed.append(time.perf_counter() - start)
    # One commitment's violations at a date (the fold's index), for random pairs.
    commitments = sorted({a.commitment for a in violations})
    rng = random.Random(seed)
    one_times: list[float] = []
    one_sizes: list[int] = []
    for at in dates[: min(queries, 100)]:
        cid = rng.choice(commitments)
        start = time.perf_counter()
        found_one = timeline.state(ct.ReportedViolations, at=_utc(at), commitment=cid)
        one_times.append(time.perf_counter() - start)
        one_sizes.append(len(found_one))
    # What was known at a date about that date, against the same ``at`` questions.
    first_known = Clock()
    with first_known.run():
        timeline.state(ct.ReportedViolations, known_at=_utc(dates[0]), at=_utc(dates[0]))
    kv_times: list[float] = []
    kv_listed: list[float] = []
    for at in dates[:rv_queries]:
        start = time.perf_counter()
        found_kv = timeline.state(ct.ReportedViolations, known_at=_utc(at), at=_utc(at))
        kv_times.append(time.perf_counter() - start)
        whole(found_kv)
        kv_listed.append(time.perf_counter() - start)
    ka_times: list[float] = []
    for at in dates[: min(queries, 100)]:
        start = time.perf_counter()
        timeline.state(ct.ActiveCommitments, known_at=_utc(at), at=_utc(at))
        ka_times.append(time.perf_counter() - start)
    timeline.close()
    seconds = open_clock.seconds + ac_clock.seconds + rv_clock.seconds
    return {
        "seconds": seconds,
        "cpu": open_clock.cpu + ac_clock.cpu + rv_clock.cpu,
        "open_s": open_clock.seconds,
        "active_s": ac_clock.seconds,
        "violations_s": rv_clock.seconds,
        "active": len(active),
        "violations": len(violations),
        "rss_mb": rebuild_rss,
        "at_active": {**_percentiles(ac_times), "mean_size": statistics.mean(ac_sizes)},
        "at_violations": {**_percentiles(rv_times), "mean_size": statistics.mean(rv_sizes)},
        "at_violations_listed": _percentiles(rv_listed),
        "at_commitment": {**_percentiles(one_times), "mean_size": statistics.mean(one_sizes)},
        "known_violations": {**_percentiles(kv_times), "first_s": first_known.seconds},
        "known_violations_listed": _percentiles(kv_listed),
        "known_active": _percentiles(ka_times),
        "rss_after_queries_mb": rss_mb(),
    }


def _utc(us: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=us)


@measure
def ours_first_query(n: int, seed: int, view: str) -> dict[str, Any]:
    """Cold open plus the first at-date query of one view (no checkpoints yet)."""
    at = query_dates(n, seed + 1, 1)[0]
    cls: type[ct.Projection[Any, Any]] = (
        ct.ActiveCommitments if view == "active" else ct.ReportedViolations
    )
    clock = Clock()
    with clock.run():
        timeline = ct.Timeline.open(ours_db(n), create=False)
        found: Any = whole(timeline.state(cls, at=_utc(at)))
    timeline.close()
    return {"seconds": clock.seconds, "cpu": clock.cpu, "size": len(found)}


@measure
def ours_view_fold(n: int, seed: int, view: str) -> dict[str, Any]:
    """Cold open plus a full fold of one built-in view (by name), no cut."""
    del seed
    clock = Clock()
    with clock.run():
        timeline = ct.Timeline.open(ours_db(n), create=False)
        found: Any = whole(timeline.state(view))
    timeline.close()
    size = len(found) if hasattr(found, "__len__") else len(getattr(found, "places", ()))
    return {"seconds": clock.seconds, "cpu": clock.cpu, "size": size}


@measure
def ours_view_fold_decoded(n: int, seed: int, view: str) -> dict[str, Any]:
    """``ours_view_fold`` with glimpses turned off: every record the view reads is
    decoded, as before views could fold glimpses (the engine's plans are patched
    away; engine internals on purpose, to measure what glimpses save)."""
    from conflict_timeline.views import _engine

    _engine.glimpse_plans = lambda view: None
    return ours_view_fold(n, seed, view)


def saved_db(n: int) -> Path:
    """A copy of ``ours_db(n)`` that holds saved view states (the original never
    does: every other measure folds from the records)."""
    return WORK / f"saved-{n}.db"


@measure
def save_view_state(n: int, seed: int, view: str) -> dict[str, Any]:
    """Open the copy of the timeline that keeps saved states (made on first use) and
    save one view's state: a cold fold of it, then the save."""
    del seed
    path = saved_db(n)
    if not path.exists():
        shutil.copyfile(ours_db(n), path)
    clock = Clock()
    with clock.run():
        timeline = ct.Timeline.open(path, create=False, saved_checkpoints=False)
        saved = timeline.save_checkpoints(view)
    # The answer a view saves beside its state (ReportedViolations), if any: its
    # bytes are part of the view's size above.
    answer = timeline.store.load_state(f"{next(iter(saved))}#answer")  # type: ignore[attr-defined]
    timeline.close()
    return {
        "seconds": clock.seconds,
        "cpu": clock.cpu,
        "bytes": sum(saved.values()),
        "answer_bytes": 0 if answer is None else len(answer.blob),
    }


@measure
def open_saved_view(n: int, seed: int, view: str) -> dict[str, Any]:
    """Cold: open the copy that keeps the view's saved state (`save_view_state`) and
    answer the view's open question from it, then list every entry of that answer
    (a listing read from a saved answer builds its entries as they are read), then
    one question at a date inside the records (resumed from the nearest saved
    checkpoint). A state not used (a CheckpointWarning, or rows read from the
    first) fails the measure."""
    at = query_dates(n, seed + 1, 1)[0]
    clock = Clock()
    listing = Clock()
    later = Clock()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ct.CheckpointWarning)
        with clock.run():
            timeline = ct.Timeline.open(saved_db(n), create=False, read_only=True)
            store: Any = timeline.store
            starts: list[int] = []
            index_rows = store.index_rows

            def spy(**kwargs: Any) -> Any:
                starts.append(kwargs.get("start", 1))
                return index_rows(**kwargs)

            store.index_rows = spy
            found: Any = timeline.state(view)
            size = len(found) if hasattr(found, "__len__") else len(getattr(found, "places", ()))
        with listing.run():
            listed = sum(1 for _ in found) if isinstance(found, ct.Listing) else size
        with later.run():
            timeline.state(view, at=_utc(at))
    timeline.close()
    if 1 in starts:  # read from the first record: folded, not restored
        msg = f"{view}: the saved state was not used"
        raise RuntimeError(msg)
    assert listed == size
    return {
        "seconds": clock.seconds,
        "cpu": clock.cpu,
        "list_seconds": listing.seconds,
        "list_cpu": listing.cpu,
        "at_seconds": later.seconds,
        "at_cpu": later.cpu,
        "size": size,
    }


def _floor_fold(db: sqlite3.Connection) -> PlainViews:
    marks = ",".join("?" * len(FIX_KINDS))
    fixes: dict[str, tuple[int, str, dict[str, Any] | None]] = {}
    for kind, rep_lo, rid, payload in db.execute(
        f"SELECT kind, reported_lo, id, payload FROM records WHERE kind IN ({marks})", FIX_KINDS
    ):
        decoded = orjson.loads(payload)
        target = decoded["corrects"] if kind == "Correction" else decoded["retracts"]
        newest = (rep_lo, rid, decoded["replacement"] if kind == "Correction" else None)
        if target not in fixes or newest[:2] > fixes[target][:2]:
            fixes[target] = newest
    marks = ",".join("?" * len(VIEW_KINDS))
    rows = db.execute(
        "SELECT occurred_lo, reported_lo, id, occurred_last, kind, payload FROM records "
        f"WHERE kind IN ({marks})",
        VIEW_KINDS,
    ).fetchall()
    entries = []
    for row_lo, rep_lo, rid, row_last, kind, payload in rows:
        decoded, occ_lo, occ_last = orjson.loads(payload), row_lo, row_last
        fix = fixes.get(rid)
        if fix is not None:
            if fix[2] is None:
                continue
            decoded = fix[2]
            occ_lo, occ_last = extent_us(decoded["occurred"])
        entries.append((occ_lo, rep_lo, rid, occ_last, kind, decoded))
    entries.sort(key=lambda e: e[:3])
    views = PlainViews()
    apply = views.apply
    for occ_lo, _, _, occ_last, kind, decoded in entries:
        apply(kind, decoded, occ_lo, occ_last)
    return views


@measure
def floor_rebuild(n: int, seed: int, queries: int) -> dict[str, Any]:
    """SELECT the same rows, orjson-decode them, apply corrections, sort into replay
    order and fold both views over dicts; then the floor of an at-date answer."""
    gc.disable()
    clock = Clock()
    with clock.run():
        db = sqlite3.connect(ours_db(n))
        views = _floor_fold(db)
        active = views.active(None)
        violations = views.violations()
    rebuild_rss = rss_mb()
    # At a date: the active commitments from the decoded commitments, no replay.
    commitments = sorted((lo, cid) for cid, (_, _, _, lo) in views.commitments.items())
    los = [lo for lo, _ in commitments]
    ended = views.ended
    times = []
    for at in query_dates(n, seed, queries):
        start = time.perf_counter()
        out = []
        for _, cid in commitments[: bisect.bisect_right(los, at)]:
            _, starts, until, _ = views.commitments[cid]
            end = ended.get(cid)
            if starts <= at < until and (end is None or end > at):
                out.append((starts, cid))
        out.sort()
        times.append(time.perf_counter() - start)
    db.close()
    return {
        "seconds": clock.seconds,
        "cpu": clock.cpu,
        "active": len(active),
        "violations": len(violations),
        "rss_mb": rebuild_rss,
        "at_active": _percentiles(times),
    }


# ------------------------------------------------------------------------------- memory


def _resident_mb() -> float:
    """The resident set of this process now, in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def _memory_result(clock: Clock, start_mb: float, active: int, violations: int) -> dict[str, Any]:
    """A memory measure's result: its time, its resident set at the start and its peak
    now, and the sizes of the two answers (to check both folded the same)."""
    return {
        "seconds": clock.seconds,
        "cpu": clock.cpu,
        "start_mb": start_mb,
        "rss_mb": rss_mb(),
        "active": active,
        "violations": violations,
    }


@measure
def ours_rebuild_memory(n: int, seed: int, every: int = 128) -> dict[str, Any]:
    """Cold open and a full rebuild of both views, as ``ours_rebuild`` (no queries
    after it), keeping a checkpoint every ``every`` entries (the default's 128): its
    peak resident set, against ``floor_memory``."""
    del seed
    start_mb = _resident_mb()
    clock = Clock()
    with clock.run():
        timeline = ct.Timeline.open(ours_db(n), create=False, checkpoint_every=every)
        active = timeline.state(ct.ActiveCommitments)
        violations = whole(timeline.state(ct.ReportedViolations))
    found = _memory_result(clock, start_mb, len(active), len(violations))
    timeline.close()
    return found


@measure
def floor_memory(n: int, seed: int) -> dict[str, Any]:
    """The memory floor of the rebuild: the floor's plain fold (`_floor_fold`) holding
    what a fold must hold and no more. It reads the index columns of every row in
    replay order first, then each payload when its turn comes, decoding it then (the
    speed floor holds every decoded payload at once, which costs more memory than the
    fold needs); the collector is off, as the plain fold makes no cycles."""
    del seed
    gc.disable()
    start_mb = _resident_mb()
    clock = Clock()
    with clock.run():
        db = sqlite3.connect(ours_db(n))
        marks = ",".join("?" * len(FIX_KINDS))
        fixes: dict[str, tuple[int, str, bytes | None]] = {}
        for kind, rep_lo, rid, payload in db.execute(
            f"SELECT kind, reported_lo, id, payload FROM records WHERE kind IN ({marks})",
            FIX_KINDS,
        ):
            decoded = orjson.loads(payload)
            target = decoded["corrects"] if kind == "Correction" else decoded["retracts"]
            newest = (rep_lo, rid, payload if kind == "Correction" else None)
            if target not in fixes or newest[:2] > fixes[target][:2]:
                fixes[target] = newest
        marks = ",".join("?" * len(VIEW_KINDS))
        entries = []
        for occ_lo, rep_lo, rid, occ_last, kind, position in db.execute(
            "SELECT occurred_lo, reported_lo, id, occurred_last, kind, position FROM records "
            f"WHERE kind IN ({marks})",
            VIEW_KINDS,
        ):
            fix = fixes.get(rid)
            if fix is None:
                entries.append((occ_lo, rep_lo, rid, occ_last, kind, position))
            elif fix[2] is not None:  # a correction: its replacement's times
                lo, last = extent_us(orjson.loads(fix[2])["replacement"]["occurred"])
                entries.append((lo, rep_lo, rid, last, kind, 0))
        entries.sort(key=lambda e: e[:3])
        views = PlainViews()
        apply = views.apply
        for i in range(0, len(entries), 2048):
            chunk = entries[i : i + 2048]
            wanted = [e[5] for e in chunk if e[5]]
            payloads = dict(
                db.execute(
                    "SELECT position, payload FROM records WHERE position IN "
                    f"({','.join('?' * len(wanted))})",
                    wanted,
                ).fetchall()
            )
            for lo, _, rid, last, kind, position in chunk:
                if position:
                    apply(kind, orjson.loads(payloads[position]), lo, last)
                else:
                    replaced = fixes[rid][2]
                    assert replaced is not None
                    apply(kind, orjson.loads(replaced)["replacement"], lo, last)
        active = views.active(None)
        violations = views.violations()
    found = _memory_result(clock, start_mb, len(active), len(violations))
    db.close()
    return found


# ------------------------------------------------------------------------------ profile

# Where time goes, by the file a function lives in (cProfile's own time per function);
# the first area whose key is in "file:line(function)" takes it. The views live in
# views/ (violations.py, commitments.py, _attacklog.py, _rules.py...), the engine
# that replays them in views/_engine.py and views/_saved.py.
_AREAS: Final = (
    ("JSON codec (_codec, orjson)", ("_codec", "orjson", "_serialization.py")),
    ("the store (stores/, sqlite3)", ("/stores/", "sqlite3", "_sqlite")),
    ("replay engine (views/_engine.py, _saved.py)", ("/views/_engine.py", "/views/_saved.py")),
    ("the views' folds and results (views/, _geography.py)", ("/views/", "_geography.py")),
    ("persistent maps (immutables)", ("immutables",)),
    ("time values (_time.py, pendulum)", ("_time.py", "pendulum", "datetime")),
    ("attrs-generated __init__ and others", ("attrs generated", "attr/")),
    ("hashing (hashlib)", ("hashlib", "sha256")),
    # Last: a built-in not named above (dict.get, sorted, any, isinstance...), called
    # from every area; cProfile gives no caller in its own time.
    ("built-ins called from any of these (dict.get, sorted...)", ("~:0(",)),
)


def _profile(call: Callable[[], Any]) -> dict[str, Any]:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = 0.0
    areas: dict[str, float] = {}
    functions = []
    for (filename, line, name), (_, calls, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        total += tottime
        where = f"{filename}:{line}({name})"
        area = next((label for label, keys in _AREAS if any(k in where for k in keys)), "other")
        areas[area] = areas.get(area, 0.0) + tottime
        functions.append((tottime, calls, _function_name(filename, line, name)))
    functions.sort(reverse=True)
    return {
        "profiled_s": total,
        # The page's run may be older: profiles are sometimes taken again alone.
        "measured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "areas": {k: v / total for k, v in sorted(areas.items(), key=lambda kv: -kv[1])},
        "top": [{"function": f, "calls": c, "share": t / total} for t, c, f in functions[:10]],
    }


def _function_name(filename: str, line: int, name: str) -> str:
    """``_engine.py:302 prefix_state``, ``sqlite3.Cursor.fetchall``, ``orjson.loads``."""
    if filename == "~":  # a built-in: "<method 'get' of 'dict' objects>", "<orjson.loads>"
        text = name.strip("<>")
        if text.startswith("method '"):
            method, _, owner = text[len("method '") :].partition("' of '")
            return f"{owner.split(chr(39))[0]}.{method}"
        return text.removeprefix("built-in method ")
    return f"{filename.rsplit('/', 1)[-1]}:{line} {name}"


@measure
def profile_rebuild(n: int, seed: int) -> dict[str, Any]:
    """cProfile of the cold rebuild of both views (slower than unprofiled)."""
    del seed

    def run() -> None:
        with ct.Timeline.open(ours_db(n), create=False) as timeline:
            timeline.state(ct.ActiveCommitments)
            whole(timeline.state(ct.ReportedViolations))

    clock = Clock()
    with clock.run():
        found = _profile(run)
    return {"seconds": clock.seconds, "cpu": clock.cpu, **found}


@measure
def profile_append(n: int, seed: int) -> dict[str, Any]:
    """cProfile of the bulk append (slower than unprofiled)."""
    records = load_records(n, seed)
    clock = Clock()
    with ct.Timeline.open(_fresh(WORK / f"profile-{n}.db")) as timeline, clock.run():
        found = _profile(lambda: timeline.extend(records))
    return {"seconds": clock.seconds, "cpu": clock.cpu, **found}


# -------------------------------------------------------------------------------- live


def _live_records(n: int, count: int) -> list[ct.Record]:
    """New attacks by the last conflict's parties, at the end of valid time."""
    with sqlite3.connect(ours_db(n)) as db:
        (last,) = db.execute("SELECT max(occurred_last) FROM records").fetchone()
    when = _utc(last)
    extent = ct.TimeExtent.instant(when)
    source = ct.Source(publisher="Live feed", title="Attack", published=extent)
    out: list[ct.Record] = []
    for i in range(count):
        side = "ab"[i % 2]
        out.append(
            ct.Attack(
                id=f"live-{i}",
                occurred=extent,
                sources=(source,),
                claimed_by=f"c0-{'ba'[i % 2]}-gov",
                perpetrator=f"c0-{side}-forces",
                target_class="civilian" if i % 3 == 0 else "military",
                place=f"c0-b-territory-r{i % 3}-d0-t0",
            )
        )
    return out


@measure
def ours_live(n: int, seed: int, appends: int, rv_appends: int) -> dict[str, Any]:
    """Appends of one record each to a copy of the file: alone, with both views live
    (nothing read), reading ``ActiveCommitments`` after each, and reading
    ``ReportedViolations`` after each (its whole result is rebuilt per read)."""
    del seed
    records = _live_records(n, appends * 3 + rv_appends)
    out: dict[str, Any] = {}
    chunks = {
        "alone": records[:appends],
        "live": records[appends : 2 * appends],
        "live_read_active": records[2 * appends : 3 * appends],
        "live_read_violations": records[3 * appends :],
    }
    path = _fresh(WORK / f"live-{n}.db")
    shutil.copyfile(ours_db(n), path)
    timeline = ct.Timeline.open(path)
    for phase, batch in chunks.items():
        if phase == "live":
            active = timeline.live(ct.ActiveCommitments)
            violations = timeline.live(ct.ReportedViolations)
            warm = Clock()
            with warm.run():
                _ = active.value, violations.value
            out["warm_up_s"] = warm.seconds
        times = []
        for record in batch:
            start = time.perf_counter()
            timeline.append(record)
            if phase == "live_read_active":
                _ = active.value
            elif phase == "live_read_violations":
                whole(violations.value)
            times.append(time.perf_counter() - start)
        out[phase] = _percentiles(times)
    timeline.close()
    out["seconds"] = sum(out[p]["p50_ms"] for p in chunks) / 1e3
    return out


# ------------------------------------------------------------------------------- JSONL


@measure
def ours_export(n: int, seed: int) -> dict[str, Any]:
    """``write_jsonl`` of the workload's records."""
    records = load_records(n, seed)
    clock = Clock()
    with clock.run():
        ct.write_jsonl(records, _fresh(WORK / f"ours-{n}.jsonl"))
    return {"seconds": clock.seconds, "cpu": clock.cpu}


@measure
def ours_import(n: int, seed: int) -> dict[str, Any]:
    """``read_jsonl`` of that file into records (every record validated)."""
    del seed
    clock = Clock()
    with clock.run():
        records = list(ct.read_jsonl(WORK / f"ours-{n}.jsonl"))
    return {"seconds": clock.seconds, "cpu": clock.cpu, "records": len(records)}


@measure
def floor_export(n: int, seed: int) -> dict[str, Any]:
    """orjson dumps (sorted keys) of the same payloads as dicts, one per line."""
    del seed
    payloads = [orjson.loads(p) for _, p in _payload_rows(n)]
    gc.disable()
    clock = Clock()
    with clock.run(), _fresh(WORK / f"floor-{n}.jsonl").open("wb") as fh:
        dumps, option = orjson.dumps, orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
        for payload in payloads:
            fh.write(dumps(payload, option=option))
    return {"seconds": clock.seconds, "cpu": clock.cpu}


@measure
def floor_import(n: int, seed: int) -> dict[str, Any]:
    """orjson loads of each line of the same file."""
    del seed
    gc.disable()
    clock = Clock()
    with clock.run(), (WORK / f"ours-{n}.jsonl").open("rb") as fh:
        loads = orjson.loads
        payloads = [loads(line) for line in fh]
    return {"seconds": clock.seconds, "cpu": clock.cpu, "records": len(payloads)}


# ------------------------------------------------------------------------ eventsourcing


def _es_input(n: int, limit: int | None = None) -> list[tuple[str, int, int, dict[str, Any]]]:
    """``(kind, occurred lo, occurred last, payload)`` of each record, in append order
    (read from our file: the same payloads, without unpickling the records)."""
    sql = "SELECT kind, occurred_lo, occurred_last, payload FROM records ORDER BY position"
    with sqlite3.connect(ours_db(n)) as db:
        rows = db.execute(sql + (f" LIMIT {int(limit)}" if limit else "")).fetchall()
    gc.disable()
    try:
        out = []
        for kind, occ_lo, occ_last, payload in rows:
            fields = orjson.loads(payload)
            del fields["kind"], fields["version"]
            out.append((kind, occ_lo, occ_last, fields))
    finally:
        gc.enable()
    return out


@measure
def es_memory(n: int, seed: int) -> dict[str, Any]:
    """eventsourcing in memory (POPO): save every aggregate in one call, then rebuild."""
    from . import peer

    del seed
    rows = _es_input(n)
    app = peer.make_app(None)
    build, save, rebuild = Clock(), Clock(), Clock()
    with build.run():
        aggregates = peer.build_aggregates(rows)
    del rows
    with save.run():
        app.save(*aggregates)
    del aggregates
    with rebuild.run():
        views, count = peer.rebuild(app)
        active = views.active(None)
        violations = views.violations()
    return {
        "seconds": save.seconds,
        "cpu": save.cpu,
        "events_s": build.seconds,
        "rebuild_s": rebuild.seconds,
        "rebuild_cpu": rebuild.cpu,
        "events": count,
        "active": len(active),
        "violations": len(violations),
    }


@measure
def es_sqlite(n: int, seed: int) -> dict[str, Any]:
    """eventsourcing on SQLite: save every aggregate in one call (one transaction)."""
    from . import peer

    del seed
    rows = _es_input(n)
    app = peer.make_app(_fresh(es_db(n)))
    build, save = Clock(), Clock()
    with build.run():
        aggregates = peer.build_aggregates(rows)
    del rows
    with save.run():
        app.save(*aggregates)
    app.close()
    return {"seconds": save.seconds, "cpu": save.cpu, "events_s": build.seconds}


@measure
def es_sqlite_rebuild(n: int, seed: int) -> dict[str, Any]:
    """Cold open of that file and a rebuild of both views through the bulk read API."""
    from . import peer

    del seed
    clock = Clock()
    with clock.run():
        app = peer.make_app(es_db(n))
        views, count = peer.rebuild(app)
        active = views.active(None)
        violations = views.violations()
    app.close()
    return {
        "seconds": clock.seconds,
        "cpu": clock.cpu,
        "events": count,
        "active": len(active),
        "violations": len(violations),
    }


@measure
def es_sqlite_single(n: int, seed: int, single: int) -> dict[str, Any]:
    """One ``save`` (one transaction) per event, on SQLite."""
    from . import peer

    del seed
    rows = _es_input(n, single)
    app = peer.make_app(_fresh(WORK / f"es-single-{n}.db"))
    aggregates: dict[str, peer.Conflict] = {}
    clock = Clock()
    with clock.run():
        for kind, occ_lo, occ_last, payload in rows:
            key = peer.conflict_of(payload["id"])
            aggregate = aggregates.get(key)
            if aggregate is None:
                aggregate = aggregates[key] = peer.Conflict(key)
            aggregate.trigger_event(
                peer.EVENT_CLASSES[kind], occ_lo=occ_lo, occ_last=occ_last, **payload
            )
            app.save(aggregate)
    app.close()
    return {"seconds": clock.seconds, "cpu": clock.cpu, "records": len(rows)}


def main(argv: list[str]) -> int:
    name, args = argv[0], json.loads(argv[1])
    result = MEASURES[name](**args)
    result.setdefault("rss_mb", rss_mb())
    result["measure"] = name
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
