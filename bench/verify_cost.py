"""What ``verify()`` costs on a big timeline file, and what SQLite's own checks cost.

Run it with ``python -m bench.verify_cost --records 1000000`` (``--keep FILE`` keeps
the file, and reuses it when it exists). It appends N records of the bulk-append
workload (``bench/bulk_append.py``: about 720 bytes of JSON each) into a fresh SQLite
timeline in one call, closes it, then times, each on a fresh connection:

* ``PRAGMA quick_check``: SQLite's page-level check, O(N); it does not compare
  indexes with their tables, nor check UNIQUE constraints;
* ``PRAGMA integrity_check``: the full check, which does both (the one ``verify()``
  runs, because a damaged index changes answers while the table and chain are
  intact);
* ``Timeline.verify()``: the integrity check, then the walk of the hash chain
  (recompute every hash, decode every payload, compare the index columns and the
  stored references with it, check ids are stored once).

It prints seconds and records/s for each, and the file size; with ``--save`` it also
writes them to ``bench/verify_cost.json``, from which the benchmark report
(``bench/report.py``) writes the "Verify" section of ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import os
import platform
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Final

import conflict_timeline as ct

from .bulk_append import generate

SAVED: Final = Path(__file__).resolve().parent / "verify_cost.json"


def _clock() -> _dt.datetime:
    return _dt.datetime(2024, 3, 1, 12, 0, tzinfo=_dt.UTC)


def build(path: Path, n: int) -> float:
    """Append ``n`` records into a fresh file; returns the seconds the append took."""
    records = generate(n)
    gc.collect()
    start = time.perf_counter()
    with ct.Timeline.open(path, clock=_clock) as timeline:
        timeline.extend(records)
    return time.perf_counter() - start


def pragma(path: Path, name: str) -> tuple[float, str]:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        start = time.perf_counter()
        rows = db.execute(f"PRAGMA {name}").fetchall()
        return time.perf_counter() - start, str(rows[0][0])
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the file here (reused if present)")
    parser.add_argument("--save", action="store_true", help=f"write the results to {SAVED.name}")
    args = parser.parse_args()
    n = args.records
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "verify.db"
        if path.exists():
            print(f"reusing {path}")
        else:
            seconds = build(path, n)
            print(f"appended {n:,} records in {seconds:.1f} s")
        size = path.stat().st_size
        print(f"file: {size / 1e6:,.0f} MB, SQLite {sqlite3.sqlite_version}")
        rows = []
        for name in ("quick_check", "integrity_check"):
            seconds, said = pragma(path, name)
            rows.append((f"PRAGMA {name}", seconds, said))
        with ct.Timeline.open(path, create=False, read_only=True) as timeline:
            count = timeline.head
            start = time.perf_counter()
            result = timeline.verify()
            rows.append(("Timeline.verify()", time.perf_counter() - start, repr(result.ok)))
        print(f"{'check':<26}{'seconds':>10}{'records/s':>12}  result")
        for name, seconds, said in rows:
            print(f"{name:<26}{seconds:>10.1f}{count / seconds:>12,.0f}  {said}")
        if args.save:
            saved = {
                "records": count,
                "file_mb": round(size / 1e6),
                "sqlite": sqlite3.sqlite_version,
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "seconds": {name: round(seconds, 2) for name, seconds, _ in rows},
            }
            SAVED.write_text(json.dumps(saved, indent=2) + "\n")
            print(f"saved to {SAVED}")


if __name__ == "__main__":
    main()
