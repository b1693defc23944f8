"""``python -m bench.render``: how long ``render_html`` takes and how big the file is.

Three timelines, as the render tests draw them: the seed example (25 records), the
GED sample (1,000 rows) and the generated 100k workload (:mod:`bench.workload`). Each
is built first (not timed), then drawn cold (a fresh ``Timeline``: every view folds
from scratch) and warm (the views' checkpoints kept). Prints one line per timeline;
the issue's target is at most 5 s and 10 MB for 100k records, on a quiet machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import conflict_timeline as ct
from conflict_timeline import datasets

from .report import RENDER_RESULTS
from .workload import generate

ROOT = Path(__file__).resolve().parent.parent
GED = ROOT / "tests" / "data" / "ucdp-ged-23.1-sample-1000.csv"


def _seed() -> ct.Timeline:
    timeline = ct.Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    return timeline


def _ged() -> ct.Timeline:
    timeline = ct.Timeline()
    timeline.import_ucdp(GED)
    return timeline


def _big(n: int) -> Callable[[], ct.Timeline]:
    records = generate(n)

    def build() -> ct.Timeline:
        timeline = ct.Timeline()
        timeline.extend(records)
        return timeline

    return build


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.render")
    parser.add_argument("--n", type=int, default=100_000, help="size of the generated timeline")
    args = parser.parse_args()
    builders = [
        ("seed example", _seed),
        ("GED sample", _ged),
        (f"generated {args.n:,}", _big(args.n)),
    ]
    cases: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as folder:
        for name, build in builders:
            timeline = build()
            out = Path(folder) / "page.html"
            start, cpu = time.perf_counter(), time.process_time()
            ct.render_html(timeline, out)
            cold, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
            start, cpu = time.perf_counter(), time.process_time()
            ct.render_html(timeline, out)
            warm, warm_cpu = time.perf_counter() - start, time.process_time() - cpu
            size = out.stat().st_size
            picture = (
                "overview" if 'data-picture="overview' in out.read_text("utf-8") else "detail"
            )
            cases.append(
                {
                    "name": name,
                    "records": len(timeline),
                    "picture": picture,
                    "cold_s": cold,
                    "cold_cpu_s": cold_cpu,
                    "warm_s": warm,
                    "warm_cpu_s": warm_cpu,
                    "bytes": size,
                }
            )
            print(
                f"{name}: {len(timeline):,} records, {picture}, "
                f"cold {cold:.2f} s ({cold_cpu:.2f} s CPU), "
                f"warm {warm:.2f} s ({warm_cpu:.2f} s CPU), {size / 1000:,.1f} kB"
            )
    RENDER_RESULTS.parent.mkdir(parents=True, exist_ok=True)
    run = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": os.getloadavg()[0],
        "cpus": os.cpu_count(),
        "cases": cases,
    }
    RENDER_RESULTS.write_text(json.dumps(run, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
