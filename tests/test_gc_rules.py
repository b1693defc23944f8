"""The garbage collector's pause around bulk work (``_gc``), pinned by its docstrings.

Each test names the sentence it pins; the expected states of the collector are
written out by hand.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from conflict_timeline._gc import BULK, collect_young, gc_paused


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    """Each test starts with the collector on, nothing frozen and every generation's
    count at zero (a full collection), so no automatic collection of the second
    generation can move a test's objects out of the young ones before it looks;
    and leaves the collector on, nothing frozen."""
    gc.enable()
    gc.unfreeze()
    gc.collect()
    yield
    gc.unfreeze()
    gc.enable()


class Node:
    """An object that can sit in a reference cycle and be watched by a weakref."""

    def __init__(self) -> None:
        self.other: Node | None = None


def test_the_pause_starts_at_a_thousand_records() -> None:
    """``BULK``: "From this many records, bulk work pauses the cyclic garbage
    collector" (1,000: docs/explanation/store.md, "From 1,000 records, the cyclic
    garbage collector is paused"); ``gc_paused``: "Nothing changes when fewer than
    `BULK` records are involved"."""
    assert BULK == 1_000
    with gc_paused(999):
        assert gc.isenabled()
    with gc_paused(1_000):
        assert not gc.isenabled()
    assert gc.isenabled()
    with gc_paused(None):  # unknown: pause
        assert not gc.isenabled()
    assert gc.isenabled()


def test_promote_leaves_the_processs_own_frozen_objects_frozen() -> None:
    """``gc_paused``: promoting is "Skipped when the process has frozen objects of
    its own, which ``unfreeze`` would release"."""
    gc.freeze()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    with gc_paused(None, promote=True):
        made = [Node() for _ in range(10)]
    assert gc.get_freeze_count() == frozen
    del made


def test_without_promote_what_was_made_stays_young() -> None:
    """``gc_paused``: only ``promote=True`` "moves the objects made meanwhile straight
    to the oldest generation": without it, they are left to the young collections."""
    with gc_paused(None):
        kept = Node()
    young = {id(o) for generation in (0, 1) for o in gc.get_objects(generation=generation)}
    assert id(kept) in young
    with gc_paused(None, promote=True):
        promoted = Node()
    young = {id(o) for generation in (0, 1) for o in gc.get_objects(generation=generation)}
    assert id(promoted) not in young


def test_collect_young_collects_the_second_generation_too() -> None:
    """``collect_young``: "Collect the young generations now, whether or not the
    collector is paused": a cycle that has already survived one young collection
    (it sits in generation 1) is collected too."""
    with gc_paused(None):
        a, b = Node(), Node()
        a.other, b.other = b, a
        watch = weakref.ref(a)
        gc.collect(0)  # a and b survive it (still referenced): now in generation 1
        assert id(a) in {id(o) for o in gc.get_objects(generation=1)}
        del a, b
        assert watch() is not None  # a cycle: only the collector frees it
        collect_young()
        assert watch() is None
