"""The attacks a fold has replayed: a log that states share and only grow.

`TriggeredCommitments` looks back at the attacks it has replayed when a pledge
arrives that took effect before it was announced, or when a later end lets a closed
pledge run on. It needs, of the first ``count`` attacks, those whose last instant is
at or after a date. A persistent map keyed by attack id and a map by day did that at
the cost of two map updates an attack and about a kilobyte each, and each look-back
walked every attack of every conflict since the pledge's start.

`AttackLog` keeps the attacks in groups (for `TriggeredCommitments`, the outermost
place their place lies in, as the fold replayed it; for `ReportedViolations`, each
actor that made the attack), each in replay order with the running maximum of their
last instants: a bisect finds where the attacks reaching a date begin (replay order
is by first instant, so only a coarse attack before that point can reach the date),
and a look-back reads only the groups its scope can reach. An attack appended with a
key (its id) is found by it (`AttackLog.find`). A state holds a log and its own
``count``: it sees the log's first ``count`` entries, which nothing ever changes, so
the log is an immutable value for every state that holds it.

* Appending from the state at the log's end (the common case: a fold going forward)
  adds the attack in place and hands back the same log.
* Appending from an earlier state (a fold resumed from a checkpoint, for a date cut
  or after an append into the past) *forks*: a new log whose entries before
  ``count`` are its parent's and whose own entries start there.
* A log that would fork at `MAX_DEPTH` forks from the first log first copies the
  entries its parents hold for it into itself (it *rebases*: the same entries, now
  its own). The copy stays with the log, so every state that holds it (a checkpoint
  that date questions resume from, say) pays for it once, and a look-back never
  climbs far.

A saved state's logs are read back only when first needed (`AttackLog.later`): an
open question answered from the state at its head never reads them (unless a view
says its answer holds the log's entries: see `AttackLog.__init__`).

Appends and rebases take the log's lock, so two threads folding from one state each
get a log of their own; a read takes the log's parts as one snapshot (a rebase
swaps them whole), so it never sees a half-made change. A log pickles (or deep-copies)
as its parts; the copy gets a lock of its own.
"""

from __future__ import annotations

import bisect
import threading
from array import array
from collections.abc import Callable, Collection, Iterator
from typing import Final, Generic, NamedTuple, Protocol, TypeVar

__all__ = ["DATA_CLASSES", "MAX_DEPTH", "AttackLog", "Groups", "Item", "UnreadLogError"]

_LEAST: Final = -(1 << 63)  # below any instant (epoch microseconds), as "q" holds it
MAX_DEPTH: Final = 8
"""The most logs a look-back climbs: a fork at this depth rebases its parent first."""


class Item(Protocol):
    """What the log reads of an attack: its last instant."""

    @property
    def occ_last(self) -> int: ...


T = TypeVar("T", bound=Item)


class UnreadLogError(RuntimeError):
    """A log of a saved state (`AttackLog.later`) whose parts could not be read back;
    the engine that meets it folds the view from the records instead."""

    def __init__(self, why: str) -> None:
        super().__init__(f"an attack log of a saved view state could not be read back: {why}")


class _Run(Generic[T]):
    """Attacks in replay order, with each one's index in the fold and the running
    maximum of their last instants."""

    __slots__ = ("at", "items", "reach", "top")

    def __init__(self) -> None:
        self.at = array("q")  # each attack's index in the fold
        self.items: list[T] = []
        self.reach = array("q")  # running maximum of ``occ_last``
        self.top = _LEAST  # its last value (a slot reads faster than ``reach[-1]``)

    def put(self, item: T, index: int) -> None:
        self.at.append(index)
        self.items.append(item)
        last, top = item.occ_last, self.top
        if last > top:
            self.top = top = last
        self.reach.append(top)

    def reaching(self, since: int, start: int, end: int) -> list[T]:
        """Of the items from ``start`` to ``end``, those reaching ``since``."""
        first = bisect.bisect_left(self.reach, since, start, end)
        return [item for item in self.items[first:end] if item.occ_last >= since]


class _Body(NamedTuple, Generic[T]):
    """A log's parts, swapped whole by a rebase."""

    parent: AttackLog[T] | None
    base: int  # entries before ``base`` are the parent's
    all: _Run[T]  # its own entries, from ``base`` on: all of them...
    groups: dict[str | None, _Run[T]]  # ...by group...
    ids: dict[str, int]  # ...and the index of each entry appended with a key
    apart: bool  # may a saved state read it later (see `AttackLog.__init__`)


Groups = str | None | tuple[str | None, ...]
"""The groups of an entry: one, or a tuple of any number (none included)."""


class AttackLog(Generic[T]):
    """Attacks in replay order, in groups; a state sees the first ``count`` (see the
    module docstring)."""

    __slots__ = ("_lock", "_parts", "_pending")

    def __init__(
        self, parent: AttackLog[T] | None = None, base: int = 0, *, apart: bool = True
    ) -> None:
        """A log, empty or forked from ``parent`` at ``base``. ``apart``: a saved
        state may read it only when a question needs it (what it shares with the
        rest of the state is written once all the same: see `_saved`); False keeps
        it with the states, read when they are. A fork is as its parent."""
        if parent is not None:
            apart = parent._body.apart
        self._parts: _Body[T] = _Body(parent, base, _Run(), {}, {}, apart)
        self._lock = threading.Lock()
        self._pending: Callable[[], None] | None = None

    @classmethod
    def later(cls, fill: Callable[[], None]) -> AttackLog[T]:
        """A log whose parts ``fill`` gives it (by `set_parts`) when first needed: a
        saved state's logs are read only when a fold or question reads them."""
        log: AttackLog[T] = cls()
        log._pending = fill
        return log

    def set_parts(self, body: object) -> None:
        """Give a log made by `later` its parts (as `__getstate__` gave them).

        Raises:
            ValueError: when ``body`` is not a log's parts.
        """
        if not (
            type(body) is _Body
            and (body.parent is None or type(body.parent) is AttackLog)
            and type(body.base) is int
            and type(body.all) is _Run
            and type(body.groups) is dict
            and all(type(run) is _Run for run in body.groups.values())
            and type(body.ids) is dict
            and type(body.apart) is bool
        ):
            msg = "not the parts of an attack log"
            raise ValueError(msg)
        self._parts = body
        self._pending = None

    @property
    def pending(self) -> bool:
        """Are its parts still to be read (see `later`)?"""
        return self._pending is not None

    @property
    def _body(self) -> _Body[T]:
        fill = self._pending
        if fill is not None:
            try:
                fill()
            except Exception as exc:
                raise UnreadLogError(str(exc)) from exc
            if self._pending is not None:
                raise UnreadLogError("its parts were not given")
        return self._parts

    @_body.setter
    def _body(self, body: _Body[T]) -> None:
        self._parts = body

    def __getstate__(self) -> _Body[T]:
        """Its parts (a pickle, a deep copy): the lock is the process's own."""
        self._body  # noqa: B018 - parts still to be read are read first
        with self._lock:
            return self._parts

    def __setstate__(self, body: _Body[T]) -> None:
        self._parts = body
        self._lock = threading.Lock()
        self._pending = None

    @property
    def apart(self) -> bool:
        """May a saved state keep it apart (see `__init__`)?"""
        return self._body.apart

    @property
    def depth(self) -> int:
        """How many logs it forked from, one from the other."""
        found, log = 0, self._body.parent
        while log is not None:
            found, log = found + 1, log._body.parent
        return found

    def appended(self, count: int, item: T, group: Groups, key: str | None = None) -> AttackLog[T]:
        """The log a state that sees ``count`` entries has after appending ``item``
        to ``group`` (or to each of a tuple of groups), found by ``key`` if given
        (`find`): this one when that state is at its end, else a fork."""
        with self._lock:
            # Written for speed (once an attack): the parts read directly when they
            # are not still to be read (see `later`).
            body = self._parts if self._pending is None else self._body
            if count < body.base:
                raise ValueError(f"a state of this log sees at least {body.base} entries")
            if count == body.base + len(body.all.items):
                _put(body, count, item, group, key)
                return self
            if self.depth + 1 >= MAX_DEPTH:
                self._rebase()
        fork: AttackLog[T] = AttackLog(self, count)
        _put(fork._body, count, item, group, key)
        return fork

    def find(self, count: int, key: str) -> T | None:
        """The entry appended with ``key`` among the first ``count`` (None: none).

        A fold appends an attack once, so a key names at most one entry a state
        sees; an entry of another state's branch (at or after ``count`` where it is
        found) is not seen."""
        body = self._body
        limit = count
        while True:
            index = body.ids.get(key)
            if index is not None:
                return body.all.items[index - body.base] if index < limit else None
            parent = body.parent
            if parent is None:
                return None
            limit = min(limit, body.base)
            body = parent._body

    def _rebase(self) -> None:
        """Copy into this log the entries its parents hold for it (lock held)."""
        body = self._body
        assert body.parent is not None
        entries: list[tuple[int, T, tuple[str | None, ...], str | None]] = []
        for level, limit in body.parent._levels(body.base):
            entries += _entries(level, limit)
        entries += _entries(body, None)
        entries.sort(key=lambda entry: entry[0])
        fresh: _Body[T] = _Body(None, 0, _Run(), {}, {}, body.apart)
        for index, item, groups, key in entries:
            _put(fresh, index, item, groups, key)
        self._body = fresh

    def _levels(self, count: int) -> Iterator[tuple[_Body[T], int]]:
        """Each log of the chain (its parts), this one first, with the fold index
        where the entries a state of this log sees before ``count`` stop in it."""
        log: AttackLog[T] | None = self
        limit = count
        while log is not None:
            body = log._body
            yield body, limit
            limit = min(limit, body.base)
            log = body.parent

    def reaching(
        self,
        count: int,
        since: int,
        groups: Collection[str | None] | None = None,
        start: int = 0,
    ) -> list[T]:
        """Of the entries from ``start`` to ``count`` (before it), those whose last
        instant is at or after ``since``, in ``groups`` (all when None); each
        group's in replay order (an entry of several groups comes once for each)."""
        out: list[T] = []
        for body, limit in reversed(list(self._levels(count))):  # the oldest entries first
            base = body.base
            lower = max(base, start)
            if lower >= limit:
                continue
            if groups is None:
                out += body.all.reaching(since, lower - base, limit - base)
                continue
            for group in groups:
                run = body.groups.get(group)
                if run is not None:
                    at = run.at
                    first = 0 if lower == base else bisect.bisect_left(at, lower)
                    end = len(at) if at[-1] < limit else bisect.bisect_left(at, limit)
                    if first < end:
                        out += run.reaching(since, first, end)
        return out


def _put(body: _Body[T], index: int, item: T, group: Groups, key: str | None) -> None:
    """Append an entry (each run is filled before a reader can find it)."""
    body.all.put(item, index)
    groups = body.groups
    if isinstance(group, tuple):
        for one in group:
            _put_in(groups, one, item, index)
    else:  # one group (the common case: no tuple made)
        _put_in(groups, group, item, index)
    if key is not None:
        body.ids[key] = index


def _put_in(groups: dict[str | None, _Run[T]], one: str | None, item: T, index: int) -> None:
    """Append to ``one``'s run, filled before a new run is found in ``groups``."""
    run = groups.get(one)
    if run is None:
        run = _Run()
        run.put(item, index)
        groups[one] = run
    else:
        run.put(item, index)


def _entries(
    body: _Body[T], limit: int | None
) -> list[tuple[int, T, tuple[str | None, ...], str | None]]:
    """A log's own entries before ``limit`` (all when None), each with its groups
    and key, in replay order."""
    run = body.all
    end = len(run.at) if limit is None else bisect.bisect_left(run.at, limit)
    in_groups: dict[int, list[str | None]] = {}
    # Copies first (each made in one step: appends in other threads may add groups
    # or keys, and iterating a dict itself could let them in between two items).
    for group, grouped in body.groups.copy().items():
        stop = len(grouped.at) if limit is None else bisect.bisect_left(grouped.at, limit)
        for index in grouped.at[:stop]:
            in_groups.setdefault(index, []).append(group)
    keys = {index: key for key, index in body.ids.copy().items()}
    return [
        (index, item, tuple(in_groups.get(index, ())), keys.get(index))
        for index, item in zip(run.at[:end], run.items[:end], strict=True)
    ]


DATA_CLASSES: Final = (AttackLog, _Run)
"""The plain (not attrs) classes whose instances a log holds: what a saved view state
(`conflict_timeline.views._saved`) may build when it loads one."""
