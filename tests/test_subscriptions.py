"""Timeline.subscribe: stored records first, then new ones, in order, once each."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conflict_timeline import ActiveCommitments, QueryError, Recorded, StoreError, Timeline
from conflict_timeline.datasets import karabakh_oct_2020

SEED = karabakh_oct_2020()


def test_existing_then_new_records_in_order_from_a_position() -> None:
    tl = Timeline()
    tl.append(*SEED[:10])
    seen: list[int] = []
    sub = tl.subscribe(lambda r: seen.append(r.position), start=4)
    assert seen == list(range(4, 11))
    tl.append(*SEED[10:20])
    tl.append(*SEED[10:20])  # idempotent: nothing new, nothing delivered again
    tl.append(*SEED[20:])
    assert seen == list(range(4, len(SEED) + 1))
    sub.close()
    tl.append(*SEED)  # nothing new either way
    assert sub.delivered == len(SEED)


def test_a_raising_callback_closes_only_its_subscription_and_the_append_stands() -> None:
    tl = Timeline()
    good: list[str] = []

    def bad(recorded: Recorded) -> None:
        if recorded.position == 3:
            msg = "the user's bug"
            raise ValueError(msg)

    failing = tl.subscribe(bad)
    kept = tl.subscribe(lambda r: good.append(r.record.id))
    assert kept.active
    with pytest.warns(
        RuntimeWarning, match=r"raised ValueError\(\"the user's bug\"\) at position 3"
    ):
        positions = tl.append(*SEED[:5])
    assert positions == (1, 2, 3, 4, 5)
    assert len(tl) == 5  # stored, whatever the callback did
    assert not failing.active
    assert isinstance(failing.error, ValueError)
    assert failing.delivered == 2
    assert good == [r.id for r in SEED[:5]]
    tl.append(*SEED[5:7])  # the closed subscription hears nothing more
    assert good == [r.id for r in SEED[:7]]


def test_subscriptions_work_on_sqlite(tmp_path: Path) -> None:
    with Timeline.open(tmp_path / "s.db") as tl:
        seen: list[str] = []
        tl.subscribe(lambda r: seen.append(r.record.id))
        tl.append(*SEED[:3])
        tl.append(*SEED[3:6])
        assert seen == [r.id for r in SEED[:6]]


def _timeline(where: str, tmp_path: Path) -> Timeline:
    return Timeline() if where == "memory" else Timeline.open(tmp_path / "s.db")


@pytest.mark.parametrize("where", ["memory", "sqlite"])
def test_records_a_callback_appends_reach_every_subscriber_once_and_in_order(
    where: str, tmp_path: Path
) -> None:
    # The rule: every record from ``start``, once each, in position order, whoever
    # appended it; records appended by a callback included.
    tl = _timeline(where, tmp_path)
    later = list(SEED[5:9])
    first: list[int] = []
    second: list[int] = []

    def appending(recorded: Recorded) -> None:
        first.append(recorded.position)
        if later and recorded.position in (2, 5, 6):
            tl.append(later.pop(0))

    tl.subscribe(appending)
    tl.subscribe(lambda r: second.append(r.position))
    tl.append(*SEED[:5])
    assert len(tl) == 8
    assert first == list(range(1, 9))
    assert second == list(range(1, 9))
    tl.append(later.pop(0))  # and afterwards as before
    assert first == second == list(range(1, 10))
    tl.store.close()


@pytest.mark.parametrize("where", ["memory", "sqlite"])
def test_a_subscription_made_in_a_callback_gets_the_stored_records_then_new_ones(
    where: str, tmp_path: Path
) -> None:
    tl = _timeline(where, tmp_path)
    tl.append(*SEED[:3])
    inner: list[int] = []

    def subscribing(recorded: Recorded) -> None:
        if recorded.position == 2:
            tl.subscribe(lambda r: inner.append(r.position))

    tl.subscribe(subscribing)
    assert inner == [1, 2, 3]
    tl.append(*SEED[3:5])
    assert inner == [1, 2, 3, 4, 5]
    tl.store.close()


@pytest.mark.parametrize(
    ("bad", "what"), [(2.0, "a float"), (True, "a bool"), ("2", "a str"), (None, "None")]
)
def test_a_start_that_is_not_an_int_is_refused_when_called_and_subscribes_nothing(
    tmp_path: Path, bad: object, what: str
) -> None:
    """``subscribe`` and ``follow`` hold ``start`` to the rule of ``read``'s bounds:
    `QueryError` naming the method, the value and why, at the call; a refused
    subscription is not left behind to fail every later append."""
    for tl in (Timeline(), Timeline.open(tmp_path / "t.db")):
        tl.append(*SEED[:3])
        why = f"{re.escape(repr(bad))}\\): a position is an int, not {what}$"
        with pytest.raises(QueryError, match=rf"^subscribe\(start={why}"):
            tl.subscribe(lambda r: None, start=bad)  # type: ignore[arg-type]
        with pytest.raises(QueryError, match=rf"^follow\(start={why}"):
            tl.follow(start=bad, idle_timeout=0)  # type: ignore[arg-type]
        tl.append(*SEED[3:6])
        assert len(tl) == 6
        seen = Seen()
        tl.subscribe(seen, start=0)
        assert seen.positions == [1, 2, 3, 4, 5, 6]
        assert [r.position for r in tl.follow(start=-3, poll=0, idle_timeout=0)] == seen.positions
        tl.close()


class Seen:
    """A subscription callback that notes the positions it is handed."""

    def __init__(self) -> None:
        self.positions: list[int] = []

    def __call__(self, recorded: Recorded) -> None:
        self.positions.append(recorded.position)


def test_a_live_view_that_cannot_read_holds_back_no_subscriber(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rule (docs/howto/series-and-live.md): a live view that fails to take an append
    in (its read of the store fails) does not keep the append from the subscribers:
    each gets the new records at once, then the append's caller gets the error (the
    records are stored), and the live view catches up when read next."""
    tl = Timeline.open(tmp_path / "s.db")
    tl.append(*SEED[:10])
    live = tl.live(ActiveCommitments)
    assert live.value == tl.state(ActiveCommitments)
    seen: list[int] = []
    tl.subscribe(lambda r: seen.append(r.position), start=11)
    real = tl.store.index_rows
    calls = 0

    def failing(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            msg = "the disk went away"
            raise StoreError(msg)
        return real(*args, **kwargs)

    monkeypatch.setattr(tl.store, "index_rows", failing)
    with pytest.raises(StoreError, match="the disk went away"):
        tl.append(*SEED[10:13])
    assert seen == [11, 12, 13]  # delivered, not held back until the next append
    assert len(tl) == 13
    assert calls == 1
    assert live.value == tl.state(ActiveCommitments)
    tl.close()
