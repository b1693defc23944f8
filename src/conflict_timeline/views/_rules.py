"""The rules views share: when a commitment applies, where, to whom, and to what.

Kept apart from the views so the rule that makes an attack a *candidate* violation
and the rule that makes it *trigger* a conditional pledge are written once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Final, Generic, TypeVar

import immutables

from .._geography import Geography
from .._records import (
    COVERS,
    Attack,
    Commitment,
    CommitmentEnded,
    Scope,
)
from .._time import TimeExtent

__all__ = [
    "chain",
    "covered_targets",
    "in_scope",
    "lapsed",
    "lineage",
    "makers",
    "memos",
    "possibly_during",
    "prohibited",
]

V = TypeVar("V")

# Prohibition value -> the target class values it covers (string keys: enum members
# hash through a Python-level __hash__, which this hot path cannot afford).
_COVERED: Final = {p.value: frozenset(t.value for t in targets) for p, targets in COVERS.items()}


class _Memo(Generic[V]):
    """Per-map memo of derived values, for the few immutable maps folds work with.

    Keyed by the map's identity, holding the map itself so the identity cannot be
    reused; only ``immutables.Map`` sources are memoised (a dict could change).
    """

    _SOURCES: Final = 8

    def __init__(self) -> None:
        self._tables: dict[int, tuple[object, dict[str, V]]] = {}
        self._lock = threading.Lock()

    def get(self, source: object, key: str, compute: Callable[[str], V]) -> V:
        # The common case first, without a call: ``source`` memoised, ``key`` known.
        entry = self._tables.get(id(source))
        if entry is not None and entry[0] is source:
            found = entry[1].get(key)
            if found is not None:
                return found
        table = self.table(source)
        if table is None:
            return compute(key)
        found = table.get(key)
        if found is None:
            found = compute(key)
            table[key] = found
        return found

    def table(self, source: object) -> dict[str, V] | None:
        """The values memoised for ``source`` (None: it is not memoised), for a hot
        loop to look a key up itself before it calls the function that computes it."""
        if type(source) is not immutables.Map:
            return None
        entry = self._tables.get(id(source))
        if entry is None or entry[0] is not source:
            with self._lock:
                if len(self._tables) >= self._SOURCES:
                    self._tables.clear()
                entry = (source, {})
                self._tables[id(source)] = entry
        return entry[1]


_PLACES: Final = _Memo[frozenset[str]]()
_CHAINS: Final = _Memo[tuple[str, ...]]()
_ACTORS: Final = _Memo[frozenset[str]]()


def lineage(geo: Geography, place: str) -> frozenset[str]:
    """``place`` and every place it lies within de jure."""
    return _PLACES.get(geo.places, place, lambda p: frozenset(chain(geo, p)))


def chain(geo: Geography, place: str) -> tuple[str, ...]:
    """``place`` and its de jure ancestors, nearest first."""
    return _CHAINS.get(geo.places, place, lambda p: (p, *geo.ancestors(p)))


def makers(geo: Geography, actor: str) -> frozenset[str]:
    """``actor`` and every actor it is (transitively) affiliated with."""
    return _ACTORS.get(geo.actors, actor, lambda a: frozenset((a, *geo.affiliations(a))))


Memos = tuple[
    dict[str, tuple[str, ...]] | None,
    dict[str, frozenset[str]] | None,
    dict[str, frozenset[str]] | None,
]
"""The memo tables `memos` gives: of `chain`, `lineage` and `makers`."""


def memos(geo: Geography) -> Memos:
    """The memo tables of `chain`, `lineage` and `makers` for ``geo`` (each None when
    its map is not memoised): a fold that looks up every attack's place and actors
    reads them itself, falling back to the function on a miss, at a fraction of the
    cost of a call."""
    return _CHAINS.table(geo.places), _PLACES.table(geo.places), _ACTORS.table(geo.actors)


def in_scope(scope: Scope, place: str | None, geo: Geography) -> bool:
    """Is ``place`` inside ``scope`` by de jure edges?

    An empty ``include`` means everywhere. An unknown place is in scope only of a
    commitment that applies everywhere with no exclusions: the rule never guesses.
    """
    if place is None:
        return not scope.include and not scope.exclude
    within = lineage(geo, place)
    if scope.include and within.isdisjoint(scope.include):
        return False
    return within.isdisjoint(scope.exclude)


def possibly_during(
    extent: TimeExtent, commitment: Commitment, ended: CommitmentEnded | None
) -> bool:
    """Could ``extent`` fall within the commitment's active time?

    Active from ``effective`` until the earlier of ``until`` and the end record.
    Overlap is judged on the bounds, so a coarse date (a month) counts when any part
    of it could.
    """
    return extent.last >= commitment.starts.lo and not lapsed(commitment, ended, extent.lo)


def lapsed(commitment: Commitment, ended: CommitmentEnded | None, lo: int) -> bool:
    """Has the commitment lapsed (``until``) or ended (``ended``) before an extent that
    begins at ``lo`` (epoch microseconds)? Then nothing from ``lo`` on falls in it."""
    until = commitment.until
    if until is not None and lo > until.last:
        return True
    return ended is not None and lo > ended.occurred.last


def certainly_during(
    extent: TimeExtent, commitment: Commitment, ended: CommitmentEnded | None
) -> bool:
    """Does ``extent`` lie wholly within the commitment's active time?"""
    if extent.lo < commitment.starts.last:
        return False
    if commitment.until is not None and extent.last >= commitment.until.lo:
        return False
    return ended is None or extent.last < ended.occurred.lo


def prohibited(commitment: Commitment, attack: Attack) -> bool:
    """Does the commitment forbid an attack on this target class?"""
    return attack.target_class._value_ in covered_targets(commitment)


_TARGETS: Final[dict[int, tuple[Commitment, frozenset[str]]]] = {}
_TARGETS_MAX: Final = 65_536


def covered_targets(commitment: Commitment) -> frozenset[str]:
    """The target classes (their values) that any of the commitment's prohibitions
    forbids attacking (see `COVERS`), remembered for each commitment by its identity
    (holding the commitment, so the identity cannot be reused): its ``prohibits``
    cannot be a key, as enum members hash through a Python-level ``__hash__``."""
    found = _TARGETS.get(id(commitment))
    if found is not None:  # held there: no other commitment has its identity
        return found[1]
    targets = frozenset().union(*(_COVERED[p._value_] for p in commitment.prohibits))
    if len(_TARGETS) >= _TARGETS_MAX:
        _TARGETS.clear()
    _TARGETS[id(commitment)] = (commitment, targets)
    return targets


def bound(commitment: Commitment, actors: Iterable[str | None], geo: Geography) -> bool:
    """Is any of ``actors`` a bound party, or affiliated with one?"""
    return any(
        actor is not None and not makers(geo, actor).isdisjoint(commitment.parties)
        for actor in actors
    )
