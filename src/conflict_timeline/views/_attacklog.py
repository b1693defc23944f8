"""The attacks a fold has replayed: a log that states share and only grow.

`TriggeredCommitments` looks back at the attacks it has replayed when a pledge
arrives that took effect before it was announced, or when a later end lets a closed
pledge run on. It needs, of the first ``count`` attacks, those whose last instant is
at or after a date. A persistent map keyed by attack id and a map by day did that at
the cost of two map updates an attack and about a kilobyte each, and each look-back
walked every attack of every conflict since the pledge's start.

`AttackLog` keeps the attacks in groups (by the outermost place their place lies in,
as the fold replayed it), each in replay order with the running maximum of their last
instants: a bisect finds where the attacks reaching a date begin (replay order is by
first instant, so only a coarse attack before that point can reach the date), and a
look-back reads only the groups its scope can reach. A state holds a log and its own
``count``: it sees the log's first ``count`` entries, which nothing ever changes, so
the log is an immutable value for every state that holds it.

* Appending from the state at the log's end (the common case: a fold going forward)
  adds the attack in place and hands back the same log.
* Appending from an earlier state (a fold resumed from a checkpoint, for a date cut
  or after an append into the past) *forks*: a new log whose entries before
  ``count`` are its parent's and whose own entries start there. A chain of more than
  `MAX_DEPTH` forks is copied into one new log, so a look-back never climbs far.

Appends take a lock, so two threads folding from one state each get a log of their
own.
"""

from __future__ import annotations

import bisect
import threading
from array import array
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from typing import Final, Generic, Protocol, TypeVar

__all__ = ["MAX_DEPTH", "AttackLog", "Item"]

MAX_DEPTH: Final = 8
"""Forks on forks before a log is copied into a fresh one."""


class Item(Protocol):
    """What the log reads of an attack: its last instant."""

    @property
    def occ_last(self) -> int: ...


T = TypeVar("T", bound=Item)


class _Run(Generic[T]):
    """Attacks in replay order, with the running maximum of their last instants and,
    in a group's run, each attack's index in the fold."""

    __slots__ = ("at", "items", "reach")

    def __init__(self) -> None:
        self.at = array("q")  # each attack's index in the fold (a group's run only)
        self.items: list[T] = []
        self.reach = array("q")  # running maximum of ``occ_last``

    def put(self, item: T, index: int | None = None) -> None:
        reach, last = self.reach, item.occ_last
        if index is not None:
            self.at.append(index)
        self.items.append(item)
        reach.append(last if not reach or reach[-1] < last else reach[-1])

    def reaching(self, since: int, start: int, end: int) -> list[T]:
        """Of the items from ``start`` to ``end``, those reaching ``since``."""
        first = bisect.bisect_left(self.reach, since, start, end)
        return [item for item in self.items[first:end] if item.occ_last >= since]


class AttackLog(Generic[T]):
    """Attacks in replay order, in groups; a state sees the first ``count`` (see the
    module docstring)."""

    __slots__ = ("_lock", "all", "base", "depth", "groups", "parent")

    def __init__(self, parent: AttackLog[T] | None = None, base: int = 0) -> None:
        self.parent = parent
        self.base = base  # entries before ``base`` are the parent's
        self.depth: int = 0 if parent is None else parent.depth + 1
        # Its own entries, from ``base`` on: all of them, and by group.
        self.all: _Run[T] = _Run()
        self.groups: dict[str | None, _Run[T]] = {}
        self._lock = threading.Lock()

    def appended(self, count: int, item: T, group: str | None) -> AttackLog[T]:
        """The log a state that sees ``count`` entries has after appending ``item``
        to ``group``: this one when that state is at its end, else a fork."""
        with self._lock:
            if count < self.base:
                raise ValueError(f"a state of this log sees at least {self.base} entries")
            log = self if count == self.base + len(self.all.items) else self._fork(count)
            log._put(count, item, group)
            return log

    def _put(self, index: int, item: T, group: str | None) -> None:
        run = self.groups.get(group)
        if run is None:
            run = self.groups[group] = _Run()
        run.put(item, index)
        self.all.put(item)

    def _fork(self, count: int) -> AttackLog[T]:
        if self.depth < MAX_DEPTH:
            return AttackLog(self, count)
        entries: list[tuple[int, T, str | None]] = []
        for level, limit in self._levels(count):
            for group, run in level.groups.items():
                end = bisect.bisect_left(run.at, limit)
                entries.extend(
                    (i, item, group) for i, item in zip(run.at[:end], run.items[:end], strict=True)
                )
        entries.sort(key=lambda entry: entry[0])
        fresh: AttackLog[T] = AttackLog()
        for index, item, group in entries:
            fresh._put(index, item, group)
        return fresh

    def _levels(self, count: int) -> Iterator[tuple[AttackLog[T], int]]:
        """Each log of the chain, this one first, with the fold index where the
        entries a state of this log sees before ``count`` stop in it."""
        log: AttackLog[T] | None = self
        limit = count
        while log is not None:
            yield log, limit
            limit = min(limit, log.base)
            log = log.parent

    def reaching(
        self,
        count: int,
        since: int,
        groups: AbstractSet[str | None] | None = None,
        start: int = 0,
    ) -> list[T]:
        """Of the entries from ``start`` to ``count`` (before it), those whose last
        instant is at or after ``since``, in ``groups`` (all when None); each
        group's in replay order."""
        out: list[T] = []
        for level, limit in reversed(list(self._levels(count))):  # the oldest entries first
            base = level.base
            lower = max(base, start)
            if lower >= limit:
                continue
            if groups is None:
                out += level.all.reaching(since, lower - base, limit - base)
                continue
            for group in groups:
                run = level.groups.get(group)
                if run is not None:
                    at = run.at
                    first = 0 if lower == base else bisect.bisect_left(at, lower)
                    end = len(at) if at[-1] < limit else bisect.bisect_left(at, limit)
                    if first < end:
                        out += run.reaching(since, first, end)
        return out
