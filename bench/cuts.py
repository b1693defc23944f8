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

``--release F`` measures instead what a re-imported release does to the questions
asked before it: a copy of the file gets one correction for each of a fraction F of
its attacks (the attack again, with its target class changed), all known on one
later day, and each view is asked ``known_at=D, at=D`` at the same dates, on a
timeline opened afresh with eras of knowledge (`Engine._era`) and on one with them
turned off: the first question, then the median and largest of the rest.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

import attrs

import conflict_timeline as ct
from conflict_timeline.views._engine import Engine

from .measures import _utc, ours_db, query_dates, whole

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
        whole(timeline.state(view))
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
                whole(timeline.state(view, at=date, **args))
                times.append(time.perf_counter() - start)
            out.append((view.__name__, name, statistics.median(times), max(times)))
    timeline.close()
    return out


def released(n: int, fraction: float, work: Path) -> Path:
    """A copy of the N-record file with a release of corrections appended."""
    path = work / f"released-{n}.db"
    shutil.copyfile(ours_db(n), path)
    with ct.Timeline.open(path, create=False) as timeline:
        attacks = [r.record for r in timeline.read() if isinstance(r.record, ct.Attack)]
        every = max(1, round(1 / fraction))
        source = (ct.Source(publisher="Bench release", published="2099-01-01"),)
        timeline.extend(
            ct.Correction(
                id=f"release-{attack.id}",
                occurred="2099-01-01",
                sources=source,
                corrects=attack.id,
                replacement=attrs.evolve(
                    attack,
                    target_class=ct.TargetClass.MIXED
                    if attack.target_class is not ct.TargetClass.MIXED
                    else ct.TargetClass.MILITARY,
                ),
                reason="Revised in a later release",
            )
            for attack in attacks[::every]
        )
    return path


def measure_release(
    n: int, queries: int, fraction: float
) -> list[tuple[str, str, float, float, float]]:
    """(view, eras on or off, first, p50 and largest seconds of the rest)."""
    out = []
    with tempfile.TemporaryDirectory() as work:
        path = released(n, fraction, Path(work))
        dates = [_utc(us) for us in query_dates(n, SEED, queries + 1)]
        views: tuple[Any, ...] = (ct.ActiveCommitments, ct.ReportedViolations)
        for eras in (True, False):
            tail = Engine.era_tail if eras else 10**12
            with mock.patch.object(Engine, "era_tail", tail):
                for view in views:
                    timeline = ct.Timeline.open(path, create=False)
                    whole(timeline.state(view))
                    times = []
                    for date in dates:
                        start = time.perf_counter()
                        whole(timeline.state(view, at=date, known_at=date))
                        times.append(time.perf_counter() - start)
                    timeline.close()
                    rest = times[1:]
                    out.append(
                        (
                            view.__name__,
                            "on" if eras else "off",
                            times[0],
                            statistics.median(rest),
                            max(rest),
                        )
                    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--n", type=int, default=100_000, help="records (its file must exist)")
    parser.add_argument("--queries", type=int, default=10, help="dates asked per cut")
    parser.add_argument(
        "--release", type=float, default=None, help="fraction of attacks a release corrects"
    )
    args = parser.parse_args()
    if args.release is not None:
        print(f"{args.n:,} records, a release correcting {args.release:.0%} of the attacks\n")
        print("| view | eras | first question | p50 of the rest | largest of the rest |")
        print("|---|---|---|---|---|")
        for view, eras, first, p50, top in measure_release(args.n, args.queries, args.release):
            print(
                f"| `{view}` | {eras} | {first * 1e3:,.1f} ms | {p50 * 1e3:,.1f} ms "
                f"| {top * 1e3:,.1f} ms |"
            )
        return
    print(f"{args.n:,} records, {args.queries} dates per cut\n")
    print("| view | cut | p50 | largest |")
    print("|---|---|---|---|")
    for view, cut, p50, top in measure(args.n, args.queries):
        print(f"| `{view}` | `{cut}` | {p50 * 1e3:,.1f} ms | {top * 1e3:,.1f} ms |")


if __name__ == "__main__":
    main()
