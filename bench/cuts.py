"""Questions whose cuts are not a prefix of the full list, on the main benchmark's file.

Run it with ``python -m bench.cuts --n 100000`` after the main benchmark (or
``python -m bench --sizes 100k``) has written ``bench/results/work/ours-N.db``. In one
process it opens the file, folds `ActiveCommitments` and `ReportedViolations` whole
(leaving checkpoints along replay order, as the main benchmark's at-date questions
do), then asks each view, at the same random dates the main benchmark draws:

* ``at=D`` (a prefix of the full list: the reference);
* ``at=D, certainty="certain"``;
* ``at=D, as_of=head`` (what the store held at its last position: every record);
* ``at=D, known_at=D`` and the same under ``certainty="certain"``;

and prints the median and the largest time of each as a Markdown table
(docs/performance.md, "Cuts that are not a prefix", keeps the figures:
``bench/cuts.md``).
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import conflict_timeline as ct

from .measures import _utc, ours_db, query_dates

SEED = 20201031

CUTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("at=D", {}),
    ('at=D, certainty="certain"', {"certainty": "certain"}),
    ("at=D, as_of=head", {"as_of": "head"}),
    ("at=D, known_at=D", {"known_at": "D"}),
    ('at=D, known_at=D, certainty="certain"', {"known_at": "D", "certainty": "certain"}),
)


def measure(n: int, queries: int) -> list[tuple[str, str, float, float]]:
    """(view, cut, p50 seconds, largest seconds) of every view and cut."""
    timeline = ct.Timeline.open(ours_db(n), create=False)
    views: tuple[Any, ...] = (ct.ActiveCommitments, ct.ReportedViolations)
    for view in views:
        timeline.state(view)
    head = timeline.store.head()
    dates = [_utc(us) for us in query_dates(n, SEED, queries)]
    out = []
    for view in views:
        for name, cut in CUTS:
            times = []
            for date in dates:
                args: dict[str, Any] = {
                    key: date if value == "D" else head if value == "head" else value
                    for key, value in cut.items()
                }
                start = time.perf_counter()
                timeline.state(view, at=date, **args)
                times.append(time.perf_counter() - start)
            out.append((view.__name__, name, statistics.median(times), max(times)))
    timeline.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--n", type=int, default=100_000, help="records (its file must exist)")
    parser.add_argument("--queries", type=int, default=10, help="dates asked per cut")
    args = parser.parse_args()
    print(f"{args.n:,} records, {args.queries} dates per cut\n")
    print("| view | cut | p50 | largest |")
    print("|---|---|---|---|")
    for view, cut, p50, top in measure(args.n, args.queries):
        print(f"| `{view}` | `{cut}` | {p50 * 1e3:,.1f} ms | {top * 1e3:,.1f} ms |")


if __name__ == "__main__":
    main()
