"""The attacks a fold has replayed: a log that states share and only grow.

`TriggeredCommitments` looks back at the attacks it has replayed when a pledge
arrives that took effect before it was announced, or when a later end lets a closed
pledge run on. It needs, of the first ``count`` attacks, those whose last instant is
at or after a date. A persistent map keyed by attack id and a map by day did that at
the cost of two map updates an attack and about a kilobyte each.

`AttackLog` keeps the attacks in replay order with the running maximum of their last
instants (a bisect finds where the attacks reaching a date begin: replay order is by
first instant, so only a coarse attack before that point can reach the date). A state
holds a log and its own ``count``: it sees the log's first ``count`` entries, which
nothing ever changes, so the log is an immutable value for every state that holds it.

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
from collections.abc import Iterator
from typing import Final, Generic, Protocol, TypeVar

__all__ = ["MAX_DEPTH", "AttackLog", "Item"]

MAX_DEPTH: Final = 8
"""Forks on forks before a log is copied into a fresh one."""


class Item(Protocol):
    """What the log reads of an attack: its last instant."""

    @property
    def occ_last(self) -> int: ...


T = TypeVar("T", bound=Item)


class AttackLog(Generic[T]):
    """Attacks in replay order; a state sees the first ``count`` (see the module
    docstring)."""

    __slots__ = ("_lock", "base", "depth", "items", "parent", "reach")

    def __init__(self, parent: AttackLog[T] | None = None, base: int = 0) -> None:
        self.parent = parent
        self.base = base  # entries before ``base`` are the parent's
        self.depth: int = 0 if parent is None else parent.depth + 1
        self.items: list[T] = []  # its own entries, from ``base`` on
        self.reach: list[int] = []  # running maximum of ``occ_last`` over ``items``
        self._lock = threading.Lock()

    def appended(self, count: int, item: T) -> AttackLog[T]:
        """The log a state that sees ``count`` entries has after appending ``item``:
        this one when that state is at its end, else a fork."""
        with self._lock:
            if count < self.base:
                raise ValueError(f"a state of this log sees at least {self.base} entries")
            log = self if count == self.base + len(self.items) else self._fork(count)
            log._put(item)
            return log

    def _put(self, item: T) -> None:
        reach, last = self.reach, item.occ_last
        self.items.append(item)
        reach.append(last if not reach or reach[-1] < last else reach[-1])

    def _fork(self, count: int) -> AttackLog[T]:
        if self.depth < MAX_DEPTH:
            return AttackLog(self, count)
        fresh: AttackLog[T] = AttackLog()
        for level, limit in reversed(list(self._levels(count))):
            for item in level.items[: limit - level.base]:
                fresh._put(item)
        return fresh

    def _levels(self, count: int) -> Iterator[tuple[AttackLog[T], int]]:
        """Each log of the chain, this one first, with the fold index its entries
        that ``count`` sees stop before."""
        log: AttackLog[T] | None = self
        limit = count
        while log is not None:
            yield log, limit
            limit = log.base
            log = log.parent

    def reaching(self, count: int, since: int) -> list[T]:
        """Of the first ``count`` entries, those whose last instant is at or after
        ``since``, in replay order."""
        parts: list[list[T]] = []
        for level, limit in self._levels(count):
            end = limit - level.base
            start = bisect.bisect_left(level.reach, since, 0, end)
            if start < end:
                parts.append([item for item in level.items[start:end] if item.occ_last >= since])
        if len(parts) == 1:
            return parts[0]
        return [item for part in reversed(parts) for item in part]
