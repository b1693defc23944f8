"""One timeline read from several threads while it is appended to.

A view's folded state (its checkpoints and index) is shared by every query on one
`Timeline` and by its live views, which the appending thread (or, for PostgreSQL, the
store's LISTEN thread) brings up to date. The rule: queries from other threads at the
same time see a consistent state and answer exactly as a fresh rebuild over the same
records would, never an error or a half-updated answer: each answer a reader gets,
cut at the head it read (``as_of``), equals a rebuild of the records up to it.
"""

from __future__ import annotations

import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from conflict_timeline import (
    ActiveCommitments,
    Commitment,
    CommitmentEnded,
    LiveView,
    MemoryStore,
    Record,
    Timeline,
)
from conflict_timeline.stores.postgres import PostgresStore
from rule_kit import TWO_STATES, wire

Sample = tuple[int, object]  # (the head a reader read, its answer as of that head)


@pytest.fixture
def busy_switching() -> Iterator[None]:
    """Switch threads every few bytecodes, so that interleavings are many."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def workload(n: int, seed: int) -> list[Record]:
    """``n`` ceasefires made and ended on random days, appended in no date order (so
    most appends land in the past of the view's checkpoints)."""
    rng = random.Random(seed)
    out: list[Record] = []
    for i in range(n):
        day = f"20{10 + rng.randrange(10)}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
        made = Commitment(
            id=f"c{i}",
            occurred=day,
            sources=wire(day),
            effective=day,
            commitment_kind="ceasefire",
            parties=("north", "south"),
        )
        out.append(made)
        if rng.random() < 0.3:
            end = f"2020-{1 + rng.randrange(12):02d}-01"
            out.append(
                CommitmentEnded(
                    id=f"c{i}-end",
                    occurred=end,
                    sources=wire(end),
                    commitment=made.id,
                    reason="withdrawn",
                )
            )
    return out


def answers(timeline: Timeline) -> list[object]:
    """The answers compared: open, at three dates, and known at one."""
    return [
        timeline.state(ActiveCommitments),
        *(timeline.state(ActiveCommitments, at=f"{y}-06-30") for y in (2012, 2015, 2019)),
        timeline.state(ActiveCommitments, known_at="2016-01-01"),
    ]


def reading(timeline: Timeline, live: LiveView[Any, Any]) -> Callable[[], list[Sample]]:
    """Three threads querying ``timeline`` and reading ``live`` until the returned
    function is called; it joins them, fails with what any of them raised, and gives
    what they saw of the timeline cut at a head they had read (``as_of``)."""
    failures: list[BaseException] = []
    samples: list[Sample] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                answers(timeline)
                _ = live.value
                head = timeline.head
                samples.append((head, timeline.state(ActiveCommitments, as_of=head).items))
            except BaseException as exc:
                failures.append(exc)
                return

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()

    def stop() -> list[Sample]:
        done.set()
        for thread in readers:
            thread.join()
        assert failures == []
        return samples

    return stop


def check_samples(samples: list[Sample], records: list[Record]) -> None:
    """Each answer a reader got at a head equals a rebuild of the records up to it."""
    assert samples
    expected: dict[int, object] = {}
    for head, got in samples[:: max(1, len(samples) // 40)]:
        if head not in expected:
            upto = head - len(TWO_STATES)  # the records are appended one a position
            expected[head] = rebuilt(records[:upto]).state(ActiveCommitments).items
        assert got == expected[head], head


def rebuilt(records: list[Record]) -> Timeline:
    fresh = Timeline(MemoryStore())
    fresh.extend([*TWO_STATES, *records])
    return fresh


@pytest.mark.usefixtures("busy_switching")
def test_queries_from_other_threads_while_a_live_view_is_updated() -> None:
    records = workload(600, seed=3)
    timeline = Timeline(MemoryStore())
    timeline.extend(TWO_STATES)
    live = timeline.live(ActiveCommitments)
    stop = reading(timeline, live)
    try:
        for record in records:
            timeline.append(record)
    finally:
        samples = stop()
    check_samples(samples, records)
    fresh = rebuilt(records)
    assert answers(timeline) == answers(fresh)
    assert live.value == fresh.state(ActiveCommitments)


@pytest.mark.usefixtures("busy_switching")
def test_queries_while_the_postgresql_listener_updates_a_live_view(pg_url: str) -> None:
    # Another store appends; this timeline's live view is updated by its store's
    # LISTEN thread while three threads query it.
    records = workload(300, seed=4)
    mine, theirs = PostgresStore.from_url(pg_url), PostgresStore.from_url(pg_url)
    try:
        theirs.append(TWO_STATES)
        timeline = Timeline(mine)
        live = timeline.live(ActiveCommitments)
        stop = reading(timeline, live)
        try:
            for i in range(0, len(records), 10):
                theirs.append(records[i : i + 10])
            deadline = time.monotonic() + 30
            while live.position < theirs.head() and time.monotonic() < deadline:
                time.sleep(0.02)
        finally:
            samples = stop()
        check_samples(samples, records)
        assert live.position == theirs.head()
        fresh = rebuilt(records)
        assert answers(timeline) == answers(fresh)
        assert live.value == fresh.state(ActiveCommitments)
    finally:
        mine.close()
        theirs.close()
