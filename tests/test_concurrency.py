"""Several writers, one SQLite file: nothing lost, nothing twice, no gaps, no torn batch.

Each writer appends batches with ``expected_position`` set to the head it last
read, and on :class:`ConcurrencyError` re-reads the head and retries: the usual
optimistic-concurrency loop. Writers are separate processes (each its own Python)
or threads (each its own :class:`Timeline` and connection). Meanwhile a reader
polls the file and checks that every batch it sees is whole.

The first append of every writer is held at a barrier after reading the head, so
every run has at least one real conflict to retry. The long variants (more
writers, more batches) run with ``CT_SLOW=1 pytest -m slow tests/test_concurrency.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from conflict_timeline import (
    ActorDefined,
    ConcurrencyError,
    SQLiteStore,
    StoreError,
    Timeline,
)

slow = pytest.mark.slow
needs_ct_slow = pytest.mark.skipif(
    not os.environ.get("CT_SLOW"), reason="long variant: set CT_SLOW=1 and run -m slow"
)
# CI runs the long variants scaled down (CT_SLOW_SCALE=0.1); by hand they run in full.
SCALE = float(os.environ.get("CT_SLOW_SCALE", "1"))

# --------------------------------------------------------------------- the writer


def batch_of(writer: str, number: int, size: int) -> list[ActorDefined]:
    """Batch ``number`` of ``writer``: ``size`` records whose ids name both."""
    return [
        ActorDefined(
            id=f"{writer}/b{number:05d}/r{i}", name=f"{writer} {number} {i}", actor_kind="person"
        )
        for i in range(size)
    ]


def batch_key(record_id: str) -> str:
    """``"w1/b00007/r2"`` -> ``"w1/b00007"``."""
    return record_id.rsplit("/", 1)[0]


@attrs.define
class Tally:
    """What one writer went through."""

    conflicts: int = 0
    busy: int = 0


def append_all(
    timeline: Timeline,
    writer: str,
    batches: int,
    size: int,
    *,
    first_barrier: Callable[[], None],
) -> Tally:
    """Append ``batches`` batches with ``expected_position``, retrying on conflict."""
    tally = Tally()
    waited = False
    for number in range(batches):
        records = batch_of(writer, number, size)
        while True:
            head = timeline.head
            if not waited:  # every writer has read the same head: a sure conflict
                first_barrier()
                waited = True
            try:
                timeline.append(*records, expected_position=head)
                break
            except ConcurrencyError:
                tally.conflicts += 1
            except StoreError as exc:  # the write lock stayed busy past the timeout
                if "locked" not in str(exc):
                    raise
                tally.busy += 1
    return tally


# The same loop, in a process of its own: run with the test module's source so
# both use one implementation.
CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from test_concurrency import append_all
    from conflict_timeline import Timeline

    path, writer, batches, size, ready, go = sys.argv[1:7]

    def barrier():
        Path(ready).touch()
        deadline = time.monotonic() + 60
        while not os.path.exists(go):
            if time.monotonic() > deadline:
                raise SystemExit("no go signal")
            time.sleep(0.002)

    with Timeline.open(path) as timeline:
        tally = append_all(timeline, writer, int(batches), int(size), first_barrier=barrier)
    print(json.dumps({{"conflicts": tally.conflicts, "busy": tally.busy}}))
    """
).format(tests=str(Path(__file__).parent))


# --------------------------------------------------------------------- the reader


@attrs.define
class Reader:
    """Polls the file in its own connection until stopped; keeps what it saw."""

    path: Path
    size: int
    stop: threading.Event = attrs.field(factory=threading.Event)
    polls: int = 0
    heads: set[int] = attrs.field(factory=set)
    problems: list[str] = attrs.field(factory=list)

    def run(self) -> None:
        store = SQLiteStore(self.path)
        try:
            while not self.stop.is_set():
                self.look(store)
            self.look(store)
        except Exception as exc:  # reported by the test, not lost in a thread
            self.problems.append(f"reader failed: {exc!r}")
        finally:
            store.close()

    def look(self, store: SQLiteStore) -> None:
        seen = list(store.read())
        self.polls += 1
        self.heads.add(len(seen))
        positions = [r.position for r in seen]
        if positions != list(range(1, len(seen) + 1)):
            self.problems.append(f"positions not gapless: {positions[:20]}...")
        counts = Counter(batch_key(r.id) for r in seen)
        torn = {key: n for key, n in counts.items() if n != self.size}
        if torn:
            self.problems.append(f"torn batches at head {len(seen)}: {torn}")


# --------------------------------------------------------------------- the checks


def check_log(path: Path, writers: list[str], batches: int, size: int) -> None:
    """Every record once, positions gapless, each batch contiguous and in order."""
    with Timeline.open(path, create=False) as timeline:
        stored = list(timeline)
        verification = timeline.verify()
    assert verification.ok, verification
    assert verification.checked == len(stored)
    ids = [r.id for r in stored]
    expected = {r.id for w in writers for n in range(batches) for r in batch_of(w, n, size)}
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"stored twice: {duplicates[:5]}"
    assert set(ids) == expected, f"missing: {sorted(expected - set(ids))[:5]}"
    assert [r.position for r in stored] == list(range(1, len(expected) + 1))
    by_batch: dict[str, list[int]] = defaultdict(list)
    for recorded in stored:
        by_batch[batch_key(recorded.id)].append(recorded.position)
    for key, positions in by_batch.items():
        first = positions[0]
        assert positions == list(range(first, first + size)), (key, positions)
    for writer in writers:  # each writer's batches land in the order it appended them
        firsts = [by_batch[f"{writer}/b{n:05d}"][0] for n in range(batches)]
        assert firsts == sorted(firsts), writer


def new_file(tmp_path: Path) -> Path:
    path = tmp_path / "shared.db"
    Timeline.open(path).close()
    return path


# ------------------------------------------------------------------ processes


def run_processes(tmp_path: Path, writers: int, batches: int, size: int) -> None:
    path = new_file(tmp_path)
    names = [f"p{i}" for i in range(writers)]
    go = tmp_path / "go"
    reader = Reader(path, size)
    reading = threading.Thread(target=reader.run)
    reading.start()
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                CHILD,
                str(path),
                name,
                str(batches),
                str(size),
                str(tmp_path / f"ready-{name}"),
                str(go),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    try:
        deadline = time.monotonic() + 60
        while not all((tmp_path / f"ready-{n}").exists() for n in names):
            assert all(c.poll() is None for c in children), "a writer died before the barrier"
            assert time.monotonic() < deadline, "writers never reached the barrier"
            time.sleep(0.005)
        go.touch()
        results = [c.communicate(timeout=300) for c in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
        reader.stop.set()
        reading.join()
    for child, (_, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err
    tallies = [json.loads(out) for out, _ in results]
    assert sum(t["conflicts"] for t in tallies) >= writers - 1, tallies
    assert not reader.problems, reader.problems[:3]
    assert reader.polls >= 2
    check_log(path, names, batches, size)


def test_two_processes_append_with_expected_position(tmp_path: Path) -> None:
    run_processes(tmp_path, writers=2, batches=40, size=5)


@slow
@needs_ct_slow
def test_slow_four_processes_append_many_batches(tmp_path: Path) -> None:
    run_processes(tmp_path, writers=4, batches=max(10, round(500 * SCALE)), size=5)


# --------------------------------------------------------------------- threads


def run_threads(tmp_path: Path, writers: int, batches: int, size: int) -> None:
    path = new_file(tmp_path)
    names = [f"t{i}" for i in range(writers)]
    barrier = threading.Barrier(writers, timeout=60)
    tallies: dict[str, Tally] = {}
    failures: list[BaseException] = []

    def write(name: str) -> None:
        try:
            with Timeline.open(path) as timeline:  # one connection per writer
                tallies[name] = append_all(
                    timeline, name, batches, size, first_barrier=barrier.wait
                )
        except BaseException as exc:  # re-raised by the test below
            failures.append(exc)
            barrier.abort()

    reader = Reader(path, size)
    reading = threading.Thread(target=reader.run)
    reading.start()
    threads = [threading.Thread(target=write, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    reader.stop.set()
    reading.join()
    if failures:
        raise failures[0]
    assert sum(t.conflicts for t in tallies.values()) >= writers - 1, tallies
    assert not reader.problems, reader.problems[:3]
    assert reader.polls >= 2
    check_log(path, names, batches, size)


def test_threads_with_their_own_connections_append_with_expected_position(
    tmp_path: Path,
) -> None:
    run_threads(tmp_path, writers=4, batches=25, size=4)


@slow
@needs_ct_slow
def test_slow_eight_threads_append_many_batches(tmp_path: Path) -> None:
    run_threads(tmp_path, writers=8, batches=max(10, round(250 * SCALE)), size=4)


# ------------------------------------------------------------- one conflict, slowly


def test_a_stale_expected_position_writes_nothing_and_a_retry_lands(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    with Timeline.open(path) as first, Timeline.open(path) as second:
        seen = first.head
        second.append(*batch_of("second", 0, 3), expected_position=seen)
        with pytest.raises(
            ConcurrencyError, match=r"expected the head at position 0, but it is at 3"
        ):
            first.append(*batch_of("first", 0, 3), expected_position=seen)
        assert first.head == 3
        assert all(first.store.get(r.id) is None for r in batch_of("first", 0, 3))
        assert first.append(*batch_of("first", 0, 3), expected_position=first.head) == (4, 5, 6)
    check_log(path, ["second", "first"], 1, 3)


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_an_expected_position_past_the_head_is_not_blamed_on_another_writer(
    tmp_path: Path, backend: str
) -> None:
    """``expected_position`` is the head the caller last saw. One past the head (the
    position the next record would take) is the caller's own slip: no writer moves a
    head back, so "another writer appended; re-read and retry" would send a retry
    loop round for ever with the same number. The error says what the number is."""
    timeline = Timeline() if backend == "memory" else Timeline.open(new_file(tmp_path))
    with timeline:
        timeline.append(*batch_of("w", 0, 3))
        with pytest.raises(ConcurrencyError) as caught:
            timeline.append(*batch_of("w", 1, 1), expected_position=4)
        assert str(caught.value) == (
            "expected the head at position 4, but it is at 3: no record is stored past 3; "
            "expected_position is the head the caller last saw (the position of the last "
            "record: 3 now), not the position the next record takes"
        )
        assert "another writer" not in str(caught.value)
        assert timeline.head == 3
        assert timeline.append(*batch_of("w", 1, 1), expected_position=3) == (4,)


def test_a_retried_append_after_a_lost_acknowledgement_is_a_no_op(tmp_path: Path) -> None:
    # The writer committed, but (say) the process was told nothing: retrying the
    # same batch with the old expected_position returns the stored positions.
    path = new_file(tmp_path)
    with Timeline.open(path) as writer, Timeline.open(path) as other:
        records = batch_of("w", 0, 3)
        assert writer.append(*records, expected_position=0) == (1, 2, 3)
        other.append(*batch_of("x", 0, 2))
        assert writer.append(*records, expected_position=0) == (1, 2, 3)
        assert writer.head == 5
        assert [r.id for r in writer] == [r.id for r in (*records, *batch_of("x", 0, 2))]
        assert writer.verify()
