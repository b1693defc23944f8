"""ACLED import throughput: 100k SYNTHETIC rows into a fresh SQLite timeline.

Run it with ``python bench/acled_import.py [--rows N] [--profile]``. It writes a CSV
of invented rows in ACLED's real column layout (every name fictional, every
``notes`` cell starting "SYNTHETIC BENCHMARK ROW"; none describes a real event),
then times:

* ``Timeline.import_acled`` into a new SQLite file: reading, mapping, defining actors
  and places, and appending everything as one transaction;
* the same file imported again: every row is looked up in the store and found
  unchanged, so nothing is appended.

``--profile`` runs the first import under cProfile and prints the top functions.
``--memory`` prints the process's peak resident memory (``ru_maxrss``) before the
CSV is read and after the import, so the import's peak above the interpreter and the
library shows (run it in a fresh process: the peak never goes down).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import conflict_timeline as ct

COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,"
    "source,source_scale,notes,fatalities,tags,timestamp"
)
KINDS = (
    ("Battles", "Armed clash", 30),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 15),
    ("Explosions/Remote violence", "Air/drone strike", 10),
    ("Violence against civilians", "Attack", 20),
    ("Strategic developments", "Agreement", 1),
    ("Strategic developments", "Looting/property destruction", 4),
    ("Protests", "Peaceful protest", 15),
    ("Riots", "Mob violence", 5),
)
INTER_LABELS = ("State forces", "Rebel group", "Political militia", "Identity militia")


def synthetic_csv(path: Path, rows: int, *, seed: int = 7) -> None:
    """Write ``rows`` invented ACLED rows (synthetic: no real event, place or actor)."""
    rng = random.Random(seed)
    weights = [w for _, _, w in KINDS]
    actors = [(f"Synthetic Armed Group {n}", n % 4) for n in range(200)]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff" + COLUMNS + "\n")
        for n in range(rows):
            event_type, sub, _ = rng.choices(KINDS, weights)[0]
            a1, i1 = rng.choice(actors)
            civilians = event_type == "Violence against civilians"
            a2, i2 = ("Civilians (Synthetica)", None) if civilians else rng.choice(actors)
            labels = rng.random() < 0.5  # half the rows give inter codes as text
            inter1 = INTER_LABELS[i1] if labels else str(i1 + 1)
            inter2 = "7" if i2 is None else (INTER_LABELS[i2] if labels else str(i2 + 1))
            year = 2018 + rng.randrange(6)
            place = rng.randrange(400)
            cells = (
                f"SYNB{n}",
                f"{year}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}",
                str(year),
                rng.choice("1112"),
                "Political violence",
                event_type,
                sub,
                a1,
                "",
                inter1,
                a2,
                "",
                inter2,
                "",
                "Civilian targeting" if civilians else "",
                "999",
                "Synthetic Region",
                "Synthetica",
                f"Province {place % 20}",
                f"District {place % 60}",
                "",
                f"Sampletown {place}",
                f"{10 + place / 1000:.4f}",
                f"{20 + place / 1000:.4f}",
                "1",
                "Synthetic Daily; Example Radio",
                "National",
                f'"SYNTHETIC BENCHMARK ROW {n}: invented, for measuring only."',
                str(rng.randrange(8)),
                "",
                str(1_600_000_000 + 3_600 * rng.randrange(40_000)),
            )
            fh.write(",".join(cells) + "\n")


def main(argv: list[str]) -> int:
    return measure(argv, doc=__doc__ or "", write=synthetic_csv, name="acled")


def measure(argv: list[str], *, doc: str, write: Callable[[Path, int], None], name: str) -> int:
    """Write ``--rows`` synthetic rows with ``write`` and time the import named
    ``name`` (``acled`` or ``ucdp``) of them into a new SQLite timeline, then again."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--sort", choices=("cumulative", "tottime"), default="cumulative", help="profile order"
    )
    parser.add_argument("--memory", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / f"{name}-synthetic-benchmark.csv"
        write(csv_path, args.rows)
        size = csv_path.stat().st_size / 1e6
        print(f"{args.rows} synthetic {name.upper()} rows, {size:.1f} MB")
        with ct.Timeline.open(Path(tmp) / "tl.db") as timeline:
            before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            profiler = cProfile.Profile() if args.profile else None
            t0 = time.perf_counter()
            c0 = time.process_time()
            if profiler is not None:
                profiler.enable()
            first = timeline.import_(name, csv_path)
            if profiler is not None:
                profiler.disable()
            t1 = time.perf_counter()
            c1 = time.process_time()
            peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            again = timeline.import_(name, csv_path)
            t2 = time.perf_counter()
        print(first)
        print(
            f"first import:  {t1 - t0:6.2f} s  {args.rows / (t1 - t0):8.0f} rows/s  "
            f"({first.appended} records appended in one transaction)"
        )
        print(
            f"  CPU time:    {c1 - c0:6.2f} s  {args.rows / (c1 - c0):8.0f} rows per CPU second "
            "(what the import costs on a shared machine)"
        )
        print(
            f"same again:    {t2 - t1:6.2f} s  {args.rows / (t2 - t1):8.0f} rows/s  "
            f"({again.appended} appended, {again.skipped} unchanged)"
        )
        if args.memory:
            print(
                f"peak memory:   {before_kb / 1024:6.0f} MB before the import, "
                f"{peak_kb / 1024:6.0f} MB at its end ({(peak_kb - before_kb) / 1024:.0f} MB "
                "for the import)"
            )
        if profiler is not None:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(30)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
