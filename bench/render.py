"""``python -m bench.render``: how long ``render_html`` takes and how big the file is.

Three timelines, as the render tests draw them: the seed example (25 records), the
GED sample (1,000 rows) and the generated 100k workload (:mod:`bench.workload`). Each
is built first (not timed), then drawn cold (a fresh ``Timeline``: every view folds
from scratch) and warm (the views' checkpoints kept). Prints one line per timeline;
the issue's target is at most 5 s and 10 MB for 100k records, on a quiet machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import conflict_timeline as ct
from conflict_timeline import datasets

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
    cases = [
        ("seed example", _seed),
        ("GED sample", _ged),
        (f"generated {args.n:,}", _big(args.n)),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for name, build in cases:
            timeline = build()
            out = Path(folder) / "page.html"
            start = time.perf_counter()
            ct.render_html(timeline, out)
            cold = time.perf_counter() - start
            start = time.perf_counter()
            ct.render_html(timeline, out)
            warm = time.perf_counter() - start
            size = out.stat().st_size
            picture = (
                "overview" if 'data-picture="overview' in out.read_text("utf-8") else "detail"
            )
            print(
                f"{name}: {len(timeline):,} records, {picture}, cold {cold:.2f} s, "
                f"warm {warm:.2f} s, {size / 1000:,.1f} kB"
            )


if __name__ == "__main__":
    main()
