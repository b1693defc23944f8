"""Focused folds: a filtered question answered from the records it can depend on.

``timeline.state(ReportedViolations, commitment="c-1")`` asked of a timeline whose
view has not been folded yet would fold every record of the file to list the
evidence about one commitment. A view that can tell, for a filter, which records
its filtered answer can depend on (`Focusable`) names them instead, and the engine
folds those alone: the same `Engine`, cuts and checkpoints, over a `FocusedStore`,
a read-only window on the store at its head that holds those records with every
correction and retraction of them. The answer is the full fold's, filtered (a
property test compares the two under every form of cut); the window is a superset
of what the answer needs, never a guess.

`commitment_window` is the window of `ReportedViolations` (see
docs/explanation/violations.md, "Questions about one commitment").
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, Protocol, runtime_checkable

from .._records import Accusation, ActorDefined, Commitment, Correction, Record, fix_target
from ..stores import IndexRow, Recorded, Store
from ._protocol import CORRECTION_KINDS

__all__ = ["Focusable", "FocusedStore", "commitment_window"]


class FocusedStore:
    """A read-only window on ``store`` at position ``head``: the records of ``rows``
    (their index rows, corrections and retractions included), some of them already
    decoded (``decoded``: handed to the fold instead of being read again).

    It offers what `Engine` reads of a store (``head``, ``index_rows``, ``fetch``);
    the store must not be closed while it is used.
    """

    def __init__(
        self,
        store: Store,
        head: int,
        rows: Iterable[IndexRow],
        decoded: Mapping[int, Recorded],
    ) -> None:
        self.store = store
        self._head = head
        self.rows = sorted(rows)
        self._decoded = dict(decoded)

    def __len__(self) -> int:
        """How many records the window holds (corrections and retractions included)."""
        return len(self.rows)

    def head(self) -> int:
        """The store's head when the window was taken: later appends are not in it."""
        return self._head

    def index_rows(
        self, *, start: int = 1, kinds: Collection[str] | None = None
    ) -> Iterator[IndexRow]:
        """The window's index rows from ``start`` (of ``kinds``), in position order."""
        wanted = None if kinds is None else frozenset(kinds)
        return (
            row
            for row in self.rows
            if row.position >= start and (wanted is None or row.kind in wanted)
        )

    def fetch(self, positions: Sequence[int]) -> list[Recorded]:
        """The records at ``positions``, in that order (each decoded once: what the
        window decoded while it was taken is handed over, then forgotten)."""
        decoded = self._decoded
        missing = [p for p in positions if p not in decoded]
        read = {r.position: r for r in self.store.fetch(missing)} if missing else {}
        return [decoded.pop(p) if p in decoded else read[p] for p in positions]


@runtime_checkable
class Focusable(Protocol):
    """A view that can name the records a filtered answer depends on."""

    def focus_key(self, filters: Mapping[str, Any]) -> Hashable | None:
        """What of ``filters`` decides the window (equal keys, equal windows); None
        when these filters have no window (every record is folded)."""
        ...

    def focus(self, store: Store, key: Hashable) -> FocusedStore:
        """The window of ``store`` whose fold, filtered by any filters with this
        ``key``, answers as the fold of every record does."""
        ...


# What a commitment's evidence can depend on besides the records that name its parties
# (or those affiliated with them) or itself: read whole.
_WHOLE: Final = frozenset(
    {"ActorDefined", "PlaceDefined", "Commitment", "CommitmentEnded", "Denial", "Confirmation"}
)
# The kinds whose records are read only when they name the commitment, a bound actor,
# or (attacks) are an incident of an accusation read.
_NAMED: Final = frozenset({"Attack", "Accusation", "Observation"})


def _row_of(recorded: Recorded) -> IndexRow:
    record = recorded.record
    occurred, reported = record.occurred, recorded.reported
    return IndexRow(
        recorded.position,
        record.id,
        record.KIND,
        occurred.lo,
        occurred.last,
        reported.lo,
        reported.last,
        fix_target(record),
    )


def _versions(recorded: Recorded) -> Iterator[Record]:
    """The record itself, or a correction's replacement (a retraction has none)."""
    record = recorded.record
    if isinstance(record, Correction):
        yield record.replacement
    elif fix_target(record) is None:
        yield record


def commitment_window(
    store: Store, commitments: Collection[str], kinds: Collection[str]
) -> FocusedStore:
    """The records the evidence about ``commitments`` can depend on, of ``kinds``.

    Evidence about a commitment (docs/explanation/violations.md) is an attack made
    by a party or an actor affiliated with one, an accusation that names the
    commitment or accuses such an actor, or an observation that names it or
    attributes violations to such an actor; what it says depends further on the
    places and actors as defined, the commitments and their ends, the denials and
    confirmations, and an accusation's incidents. So the window holds, as of the
    store's head:

    * every record of the kinds `_WHOLE` names;
    * every attack, accusation and observation that refers (in any version: a
      correction's replacement counts) to one of ``commitments`` or to an actor that
      any version of the actors' definitions affiliates, directly or through others,
      with any version's party of one of them (a superset of the affiliations any
      cut can see);
    * every attack an accusation of the window names as an incident, in any version;
    * every correction and retraction of a record in the window.
    """
    head = store.head()
    load = frozenset(kinds) | CORRECTION_KINDS
    whole = [
        r for r in store.index_rows(kinds=(_WHOLE & load) | CORRECTION_KINDS) if r.position <= head
    ]
    fixes: dict[str, list[IndexRow]] = {}
    for row in whole:
        if row.target is not None:
            fixes.setdefault(row.target, []).append(row)
    wanted = frozenset(commitments)
    first = [r for r in whole if r.target is None and (r.kind == "ActorDefined" or r.id in wanted)]
    positions = [r.position for r in first]
    positions += [f.position for r in first for f in fixes.get(r.id, ())]
    decoded = {r.position: r for r in store.fetch(positions)}
    bound = _bound(decoded.values(), wanted)

    named = _NAMED & load
    rows: dict[str, IndexRow] = {}
    kept: set[str] = set()
    for ref in sorted(bound | wanted):
        for recorded in store.involving(ref):
            if recorded.position > head:
                break
            target = fix_target(recorded.record)
            if target is not None:
                kept.add(target)
            elif recorded.kind in named:
                kept.add(recorded.id)
                rows[recorded.id] = _row_of(recorded)
                decoded[recorded.position] = recorded
    _add_missing(store, head, kept, rows, decoded, named)
    # An accusation's incidents, in every version of it.
    accusations = [row for row in rows.values() if row.kind == "Accusation"]
    versions = [a.position for a in accusations]
    versions += [f.position for a in accusations for f in fixes.get(a.id, ())]
    missing = [p for p in versions if p not in decoded]
    decoded.update((r.position, r) for r in store.fetch(missing))
    incidents: set[str] = set()
    for position in versions:
        for record in _versions(decoded[position]):
            if isinstance(record, Accusation):
                incidents.update(record.incidents)
    _add_missing(store, head, incidents - rows.keys(), rows, decoded, named)

    inside = {r.id for r in whole if r.target is None} | rows.keys()
    out = [r for r in whole if r.target is None or r.target in inside]
    out.extend(rows.values())
    keep = {r.position for r in out}
    return FocusedStore(store, head, out, {p: r for p, r in decoded.items() if p in keep})


def _bound(decoded: Iterable[Recorded], commitments: frozenset[str]) -> set[str]:
    """Every actor that some version of the actors' definitions affiliates, directly
    or through others, with some version's party of one of ``commitments``."""
    members: dict[str, set[str]] = {}  # actor -> the actors affiliated with it
    parties: set[str] = set()
    for recorded in decoded:
        for record in _versions(recorded):
            if isinstance(record, ActorDefined) and record.affiliation is not None:
                members.setdefault(record.affiliation, set()).add(record.id)
            elif isinstance(record, Commitment) and record.id in commitments:
                parties.update(record.parties)
    found = set(parties)
    todo = list(parties)
    while todo:
        for member in members.get(todo.pop(), ()):
            if member not in found:
                found.add(member)
                todo.append(member)
    return found


def _add_missing(  # noqa: PLR0917 - three call sites, one module
    store: Store,
    head: int,
    ids: Iterable[str],
    rows: dict[str, IndexRow],
    decoded: dict[int, Recorded],
    named: frozenset[str],
) -> None:
    """Add to ``rows`` (and ``decoded``) each of ``ids`` not there yet that the store
    holds by ``head`` as a record of the ``named`` kinds."""
    for rid in sorted(set(ids) - rows.keys()):
        recorded = store.get(rid)
        if recorded is not None and recorded.position <= head and recorded.kind in named:
            rows[rid] = _row_of(recorded)
            decoded[recorded.position] = recorded
