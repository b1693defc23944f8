"""A timeline kept in one SQLite file, picked up again by the next run.

Run it twice: the first run creates ``karabakh.db`` (or the file you name) and records
the seed article; the second opens the same file, finds the records there (appending
them again is a no-op, by id), adds a note dated the next day, and checks the hash
chain. Any process can follow the file while another appends to it.

    python examples/persistent_sqlite.py [path/to/file.db]
"""

from __future__ import annotations

import sys
from pathlib import Path

from conflict_timeline import ActiveCommitments, Source, Statement, Timeline
from conflict_timeline.datasets import karabakh_oct_2020


def main(path: str = "karabakh.db") -> None:
    first_run = not Path(path).exists()
    with Timeline.open(path) as timeline:
        before = len(timeline)
        positions = timeline.append(*karabakh_oct_2020())
        print(f"{path}: {'created' if first_run else 'reopened'}, {before} records found")
        print(
            f"  the seed article's {len(positions)} records are at positions "
            f"{positions[0]}..{positions[-1]} (the same on every run)"
        )
        if not first_run:
            # Something learned later: a second statement, appended once.
            timeline.append(
                Statement(
                    id="russia-mfa-followup",
                    occurred="2020-11-01",
                    sources=(Source(publisher="Example Wire", published="2020-11-01"),),
                    speaker="russia-mfa",
                    summary="Russia repeats its call on both sides to halt fire",
                )
            )
        active = timeline.state(ActiveCommitments, at="2020-10-31", tz="Asia/Yerevan")
        print(f"  {len(timeline)} records now; in force on 2020-10-31: {', '.join(active.ids())}")
        check = timeline.verify()
        print(
            f"  hash chain over {check.checked} records: {'intact' if check.ok else check.reason}"
        )
        for recorded in timeline.read(start=len(timeline) - 1):
            print(
                f"  #{recorded.position} {recorded.record.KIND} {recorded.record.id} "
                f"(recorded at {recorded.recorded_at})"
            )


if __name__ == "__main__":
    main(*sys.argv[1:2])
