"""What a command that lists or exports some records costs on a large timeline.

Run it with ``python -m bench.selection --n 100000`` after the main benchmark has
written its file (``bench/results/work/ours-N.db``; ``--db`` names another). Each
command runs ``--runs`` times, in turn, in a fresh process of this Python, which
reports its own CPU time (user and system) and peak resident memory: a month's
``events``, ``events --limit 20``, one kind of a month as CSV, and a month as
TimelineJS. ``--pythonpath`` runs the commands with another checkout's ``src``
first on the path (the code before a change, say), so both can be measured in one
sitting, in turn. It prints, per command, the least CPU time and the largest peak
memory. The figures are in the "Selecting records" section of
``docs/performance.md`` (kept by hand in ``bench/selection.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Final

from bench.measures import ours_db

MONTH: Final = ("2021-01-01", "2021-01-31")  # inside every size of the workload
COMMANDS: Final = {
    "events, a month": ["events", "{db}", "--between", *MONTH],
    "events --limit 20": ["events", "{db}", "--limit", "20"],
    "export CSV, attacks of a month": [
        "export", "{db}", "--format", "csv", "--kind", "Attack", "--between", *MONTH,
        "-o", "{out}.csv", "--force",
    ],
    "export TimelineJS, a month": [
        "export", "{db}", "--format", "timelinejs", "--between", *MONTH,
        "-o", "{out}.json", "--force",
    ],
}  # fmt: skip

# The child runs the command as ``python -m conflict_timeline`` would, then reports
# its own resources (peak resident memory: ru_maxrss, kibibytes on Linux).
_CHILD: Final = """
import json, resource, runpy, sys
sys.argv = ["conflict-timeline", *json.loads(sys.argv[1])]
status = 0
try:
    runpy.run_module("conflict_timeline", run_name="__main__")
except SystemExit as exit:
    status = exit.code or 0
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"status": status, "cpu": use.ru_utime + use.ru_stime,
                  "rss_mb": use.ru_maxrss / 1024}), file=sys.stderr)
"""


def run_once(args: list[str], pythonpath: str | None) -> dict[str, float]:
    """One command in a fresh process: its exit status, CPU seconds and peak MB."""
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [pythonpath, env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    found: dict[str, float] = json.loads(done.stderr.strip().splitlines()[-1])
    if found["status"] != 0:
        msg = f"{' '.join(args)}: exit status {found['status']}\n{done.stderr}"
        raise RuntimeError(msg)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.selection", description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="the main benchmark's size")
    parser.add_argument("--db", help="another timeline file (default: the benchmark's)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pythonpath", help="a checkout's src, put first on the path")
    args = parser.parse_args(argv)
    db = Path(args.db) if args.db else ours_db(args.n)
    if not db.exists():
        parser.error(f"{db} does not exist: run the main benchmark at --sizes {args.n} first")
    with tempfile.TemporaryDirectory() as folder:
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in COMMANDS}
        for _ in range(args.runs):
            for name, template in COMMANDS.items():
                command = [part.format(db=db, out=Path(folder) / "out") for part in template]
                runs[name].append(run_once(command, args.pythonpath))
    print(f"{db} ({args.runs} runs each, in turn)")
    print("| command | CPU (least) | peak memory (largest) |")
    print("|---|---|---|")
    for name, found in runs.items():
        cpu = min(r["cpu"] for r in found)
        rss = max(r["rss_mb"] for r in found)
        print(f"| {name} | {cpu:.2f} s | {rss:,.0f} MB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
