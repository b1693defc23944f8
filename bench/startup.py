"""How long a ``conflict-timeline`` command takes to start and answer a small question.

Run it with ``python -m bench.startup --runs 10``. In a temporary folder it writes the
worked example (the seed article's records) to an SQLite timeline, then, ``--runs``
times in turn, in fresh processes of this Python:

* imports the package (``python -X importtime -c "import conflict_timeline._cli"``:
  the import time Python reports for the command's module, all it imports included);
* runs ``conflict-timeline --version``, ``state --view active-commitments`` and ``events`` of
  that file (``python -m conflict_timeline ...``), timing the whole process.

It prints the median and the least of each, in milliseconds. Every command starts a
Python and imports the package, so the import is the floor of every command's time;
the rest is the interpreter's own start and the command's work. The figures are in
the "Start-up" section of ``docs/performance.md`` (kept by hand in
``bench/startup.md``).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Final

import conflict_timeline as ct
from conflict_timeline import datasets

COMMANDS: Final = {
    "--version": ["--version"],
    "state --view active-commitments": ["state", "{db}", "--view", "active-commitments"],
    "events": ["events", "{db}"],
}


def import_ms() -> float:
    """The package's import time in a fresh process, as ``-X importtime`` reports it."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import conflict_timeline._cli"],
        capture_output=True,
        text=True,
        check=True,
    )
    last = next(
        line
        for line in reversed(done.stderr.splitlines())
        if line.rstrip().endswith("conflict_timeline._cli")
    )
    return int(last.split("|")[1]) / 1000


def command_ms(args: list[str]) -> float:
    """The wall time of one command, in a fresh process, in milliseconds."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "conflict_timeline", *args], capture_output=True, check=True
    )
    return (time.perf_counter() - start) * 1000


def measure(runs: int) -> dict[str, list[float]]:
    """Each measure ``runs`` times, taken in turn (so a slow minute of the machine
    weighs on every one alike)."""
    times: dict[str, list[float]] = {"import": [], **{name: [] for name in COMMANDS}}
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "seed.db"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with ct.Timeline.open(db) as timeline:
                timeline.extend(datasets.karabakh_oct_2020())
        for _ in range(runs):
            times["import"].append(import_ms())
            for name, args in COMMANDS.items():
                times[name].append(command_ms([a.format(db=db) for a in args]))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each (default 10)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    times = measure(args.runs)
    print(f"{'measure':<52}{'median ms':>10}{'least ms':>10}")
    for name, values in times.items():
        label = "import" if name == "import" else f"conflict-timeline {name}"
        print(f"{label:<52}{statistics.median(values):>10.0f}{min(values):>10.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
