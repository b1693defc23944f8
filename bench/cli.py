"""``python -m bench``: run every measure at each size, then write the report.

Each measure runs in its own process (see :mod:`bench.measures`), one after the
other, so its peak RSS is its own and measures do not compete for the two cores.
Raw results go to ``bench/results/`` (``latest.json`` and a timestamped copy); the
table and the plot go to ``docs/performance.md`` and ``docs/performance.svg``
(``--smoke`` writes them under ``bench/results/`` instead, as ``smoke.md`` and
``smoke.svg``, so a CI smoke run never touches the docs). A run of some measures
only (``--only``) is written to ``partial.json``, ``partial.md`` and ``partial.svg``
there, never over ``latest.json`` or the page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Final

from .measures import RESULTS
from .report import write_report

ROOT: Final = Path(__file__).resolve().parent.parent
DOCS: Final = ROOT / "docs"
_SUFFIX: Final = {"k": 1_000, "m": 1_000_000}


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1m`` -> 1000000, ``2500`` -> 2500."""
    text = text.strip().lower().replace("_", "")
    if text and text[-1] in _SUFFIX:
        return int(float(text[:-1]) * _SUFFIX[text[-1]])
    return int(text)


def size_label(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def plan(
    n: int, seed: int, *, smoke: bool, profile: bool, single: bool
) -> list[tuple[str, dict[str, Any]]]:
    """The measures at one size, in an order where each finds the files it reads."""
    base = {"n": n, "seed": seed}
    queries = 100 if smoke else 300
    # A ReportedViolations answer lists most assessments (294k at 1M, 0.4 s each listed),
    # and a known_at one folds thousands of records (1.5 s at 1M).
    rv_queries = 5 if smoke else 10 if n >= 1_000_000 else 20
    rv_appends = 3 if smoke or n >= 1_000_000 else 10
    appends = 50 if smoke else 200
    steps: list[tuple[str, dict[str, Any]]] = [
        ("prepare", base),
        ("ours_append", base),
        ("floor_append", base),
        ("ours_rebuild", {**base, "queries": queries, "rv_queries": rv_queries}),
        ("floor_rebuild", {**base, "queries": queries}),
        ("ours_first_query", {**base, "view": "active"}),
        ("ours_first_query", {**base, "view": "violations"}),
        ("ours_live", {**base, "appends": appends, "rv_appends": rv_appends}),
        ("ours_export", base),
        ("ours_import", base),
        ("floor_export", base),
        ("floor_import", base),
        ("es_memory", base),
        ("es_sqlite", base),
        ("es_sqlite_rebuild", base),
    ]
    if single:
        # One record per call into a new file: the first records of the workload,
        # the same at any size, so measured once (at the smallest size).
        count = {"single": 200 if smoke else 1_000}
        steps += [
            ("ours_append_single", {**base, **count}),
            ("floor_append_single", {**base, **count}),
            ("es_sqlite_single", {**base, **count}),
        ]
    if profile:
        steps += [("profile_append", base), ("profile_rebuild", base)]
    return steps


def run_measure(name: str, args: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one measure in a fresh interpreter and return its JSON result."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.measures", name, json.dumps(args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        msg = f"measure {name} {args} failed with exit code {proc.returncode}"
        raise RuntimeError(msg)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - started
    return result


def _key(name: str, args: dict[str, Any]) -> str:
    return f"{name}:{args['view']}" if "view" in args else name


def machine() -> dict[str, Any]:
    """What the run ran on, and how loaded the machine was when it started."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for package in (
        "conflict_timeline",
        "eventsourcing",
        "orjson",
        "msgspec",
        "attrs",
        "cattrs",
        "pendulum",
    ):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "versions": versions,
        "load_at_start": _load(),
        "speed_s": speed(),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def speed() -> float:
    """CPU seconds of a fixed Python workload (3 million dict inserts, then a sort):
    how fast the machine runs now. On a shared virtual machine it swings by a fifth
    from one hour to the next, unseen by the load average; a run's figures are
    comparable with another's only at a like speed."""
    # In a process of its own: the workload's memory would otherwise stay with this
    # one, and every measure forked from it would report it as its own peak (Linux
    # keeps a process's peak resident set across exec).
    workload = (
        "import time\n"
        "started = time.process_time()\n"
        "table = {str(i): i for i in range(3_000_000)}\n"
        "sorted(table.items())\n"
        "print(round(time.process_time() - started, 3))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", workload], capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


# What a run of ``ours_rebuild`` measures of the rebuild itself (the rest is the
# at-date questions asked after it, taken from its first run, which asks them all).
_REBUILD_KEYS: Final = ("seconds", "cpu", "open_s", "active_s", "violations_s", "rss_mb")


def _run_shown(label: str, name: str, args: dict[str, Any], timeout: float) -> dict[str, Any]:
    """`run_measure`, its size, label, time and peak memory printed on one line."""
    print(f"[{size_label(args['n']):>4}] {label:<30}", end="", flush=True)
    result = run_measure(name, args, timeout)
    seconds = result.get("seconds") or 0.0  # a cached workload took no time
    print(f" {seconds:9.3f} s   rss {result['rss_mb']:8.1f} MB", flush=True)
    return result


def _rebuilds_in_turn(
    results: dict[str, Any],
    ours_args: dict[str, Any],
    floor_args: dict[str, Any],
    runs: int,
    timeout: float,
) -> None:
    """Run the full rebuild and its floor ``runs`` times in turn (ours has run once
    already) and keep each one's least time, with every run's time beside it
    (``runs_s``). This machine's speed swings by a fifth from one hour to the next
    (`speed`), so one run each can put the two at different speeds; in turn, and the
    least of each, they meet at the machine's best. Ours runs again with one question
    of each kind only: the questions' figures are its first run's."""
    ours = results["ours_rebuild"]
    ours_runs = [ours["seconds"]]
    floor_runs: list[float] = []
    floor: dict[str, Any] | None = None
    light = {**ours_args, "queries": 1, "rv_queries": 1}
    for turn in range(max(runs, 1)):
        label = "floor_rebuild" if turn == 0 else f"floor_rebuild (run {turn + 1})"
        found = _run_shown(label, "floor_rebuild", floor_args, timeout)
        floor_runs.append(found["seconds"])
        if floor is None or found["seconds"] < floor["seconds"]:
            floor = found
        if turn + 1 < runs:
            label = f"ours_rebuild (run {turn + 2})"
            again = _run_shown(label, "ours_rebuild", light, timeout)
            ours_runs.append(again["seconds"])
            if again["seconds"] < ours["seconds"]:
                ours = {**ours, **{key: again[key] for key in _REBUILD_KEYS}}
    assert floor is not None
    results["ours_rebuild"] = {**ours, "runs_s": ours_runs}
    results["floor_rebuild"] = {**floor, "runs_s": floor_runs}


def _run_steps(
    steps: list[tuple[str, dict[str, Any]]],
    results: dict[str, Any],
    only: set[str],
    args: argparse.Namespace,
) -> None:
    """Run one size's measures (those of ``only``, when given) into ``results``."""
    for name, margs in steps:
        if only and name not in only and name != "prepare":
            continue
        if name == "floor_rebuild" and "floor_rebuild" in results:
            continue  # run in turn with ours (below)
        results[_key(name, margs)] = _run_shown(_key(name, margs), name, margs, args.timeout)
        if name == "ours_rebuild" and not args.smoke and (not only or "floor_rebuild" in only):
            floor_args = next(a for m, a in steps if m == "floor_rebuild")
            _rebuilds_in_turn(results, margs, floor_args, args.rebuild_runs, args.timeout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default="10k,100k,1m", help="e.g. 10k,100k,1m")
    parser.add_argument("--smoke", action="store_true", help="a quick 10k run; docs untouched")
    parser.add_argument("--seed", type=int, default=20201031)
    parser.add_argument("--only", default="", help="comma-separated measure names to run")
    parser.add_argument("--timeout", type=float, default=1_800.0, help="seconds per measure")
    parser.add_argument("--no-report", action="store_true", help="write raw JSON only")
    parser.add_argument(
        "--report-only",
        metavar="JSON",
        help="write the page again from a results file (e.g. bench/results/latest.json)",
    )
    parser.add_argument(
        "--note", default="", help="a sentence for the page, e.g. what else ran meanwhile"
    )
    parser.add_argument(
        "--rebuild-runs",
        type=int,
        default=3,
        help="runs of the full rebuild and of its floor, in turn; each the least (default 3)",
    )
    args = parser.parse_args(argv)
    if args.report_only:
        stored: dict[str, Any] = json.loads(Path(args.report_only).read_text())
        if args.note:
            stored["note"] = args.note
        page = write_report(stored, DOCS / "performance.md", DOCS / "performance.svg")
        print(f"wrote {page}")
        return 0
    sizes = [10_000] if args.smoke else [parse_size(s) for s in args.sizes.split(",") if s]
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    RESULTS.mkdir(parents=True, exist_ok=True)
    run: dict[str, Any] = {"machine": machine(), "smoke": args.smoke, "sizes": {}}
    if args.note:
        run["note"] = args.note
    started = time.perf_counter()
    for n in sizes:
        results: dict[str, Any] = {}
        run["sizes"][str(n)] = results
        # Profiles (cProfile, slower) at one size: the largest up to 100k.
        profile = n == max([s for s in sizes if s <= 100_000] or [min(sizes)])
        steps = plan(n, args.seed, smoke=args.smoke, profile=profile, single=n == min(sizes))
        _run_steps(steps, results, only, args)
    run["machine"]["load_at_end"] = _load()
    run["total_s"] = time.perf_counter() - started
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(run, indent=1)
    # A run of some measures only (--only) is no full run: it never replaces
    # latest.json, which --report-only and the page are written from, nor the page.
    name = "smoke" if args.smoke else "partial" if only else "latest"
    (RESULTS / f"{name}.json").write_text(text)
    (RESULTS / f"{name}-{stamp}.json").write_text(text)
    if not args.no_report:
        # The page of a smoke or partial run goes beside its results, named as they
        # are (smoke.md, partial.md), so neither overwrites the other's.
        target, page_name = (DOCS, "performance") if name == "latest" else (RESULTS, name)
        page = write_report(run, target / f"{page_name}.md", target / f"{page_name}.svg")
        print(f"wrote {page}")
    print(f"total {run['total_s']:.0f} s")
    return 0
