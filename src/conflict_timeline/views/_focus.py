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
docs/explanation/violations.md, "Questions about one commitment, one force, one place,
one accuser, one period or one basis").
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, Protocol, runtime_checkable

import orjson

from .._codec import Unsupported, structure_extent
from .._records import (
    KIND_BY_NAME,
    Accusation,
    ActorDefined,
    Commitment,
    Correction,
    PlaceDefined,
    Record,
    fix_target,
    reference_list,
)
from .._time import epoch_us
from ..stores import IndexRow, PayloadReader, Recorded, Store
from ..stores._base import index_row
from ._protocol import CORRECTION_KINDS

__all__ = ["Focusable", "FocusedStore", "commitment_window", "span_window"]


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

    def extends(self, earlier: FocusedStore) -> bool:
        """Does this window, taken at a later head, hold every record ``earlier``
        holds (a window of the same store for the same question) and besides only
        records appended after ``earlier``'s head? Then a fold of ``earlier`` reads on
        from this one: what it has folded is what this window holds up to that head.
        A window only grows with its head (every version of a record counts), so this
        fails only when a record appended since draws in an older one (an actor newly
        affiliated with a party, say, whose earlier attacks become evidence)."""
        if self.store is not earlier.store or self._head < earlier._head:
            return False
        held = {row.position for row in self.rows}
        before = {row.position for row in earlier.rows}
        return before <= held and all(p > earlier._head for p in held - before)

    def forget_through(self, head: int) -> None:
        """Forget the records decoded while the window was taken at or before
        ``head``: a fold that read an earlier window up to it will not ask for them."""
        self._decoded = {p: r for p, r in self._decoded.items() if p > head}

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


# What a commitment's evidence can depend on whatever it names: read whole.
_WHOLE: Final = frozenset({"ActorDefined", "Commitment", "CommitmentEnded"})
# Read when they name the commitment or a bound actor (or, an attack, when it is an
# incident of an accusation read).
_NAMED: Final = frozenset({"Attack", "Accusation", "Observation"})
# From this many ids to add, a window reads the index rows of their kinds once
# instead of looking each id up (one query each).
_MANY: Final = 2_000
# Read when they answer a record of ``_NAMED`` read.
_ANSWERS: Final = frozenset({"Denial", "Confirmation"})


def _row_of(recorded: Recorded) -> IndexRow:
    """The index row the store keeps for ``recorded``."""
    return index_row(recorded.record, recorded.position, epoch_us(recorded.recorded_at))


def _versions(recorded: Recorded) -> Iterator[Record]:
    """The record itself, or a correction's replacement (a retraction has none)."""
    record = recorded.record
    if isinstance(record, Correction):
        yield record.replacement
    elif fix_target(record) is None:
        yield record


def commitment_window(
    store: Store,
    kinds: Collection[str],
    *,
    commitments: Collection[str] = (),
    actors: Collection[str] = (),
    places: Collection[str] = (),
    accusers: Collection[str] = (),
    between: tuple[int, int] | None = None,
    evidence: Collection[str] = (),
) -> FocusedStore:
    """The records, of ``kinds``, that the evidence about ``commitments``, held
    against ``actors``, placed in ``places``, alleged by ``accusers``, possibly
    occurring ``between`` two instants, or of the kinds ``evidence`` names
    (``"Accusation"``, ``"Observation"``: the evidence of one basis) can depend on.

    Evidence about a commitment (docs/explanation/violations.md) is an attack made
    by a party or an actor affiliated with one, an accusation that names the
    commitment or accuses such an actor, or an observation that names it or
    attributes violations to such an actor; evidence held against an actor is an
    attack it or an actor affiliated with it made (or, between sides, suffered), an
    accusation accusing such an actor, or an observation attributing violations to
    one; evidence placed in a place is an attack or observation there (or in a place
    inside it), or an accusation naming such an attack; evidence alleged by an actor
    is an accusation it makes or an observation it reports as monitor; evidence
    between two instants is an attack, accusation or observation whose time of
    occurrence possibly falls between them. What it says depends further on the
    actors as defined, the commitments and their ends, the denials and
    confirmations of it and of its incidents, an accusation's incidents, and the de
    jure lineage of the places it and the commitment name. So the window holds, as of
    the store's head (every version of a record counts: a correction's replacement
    names what it names):

    * every actor definition, commitment and end of a commitment;
    * every attack, accusation and observation that refers to one of
      ``commitments`` or to an actor that the actors' definitions affiliate,
      directly or through others, with one of ``actors`` or a party of one of
      ``commitments``, or is one (a superset of the affiliations any cut can see);
    * every attack and observation placed in one of ``places`` or in a place that
      the places' definitions put inside one, directly or through others, and every
      accusation naming such an attack;
    * every accusation and observation that refers to one of ``accusers``;
    * every attack, accusation and observation whose ``occurred`` overlaps
      ``between`` (inclusive epoch microseconds);
    * every accusation or observation, when ``evidence`` names its kind, and then
      every denial and confirmation too (a superset read in one pass, where looking
      up the answers of each would take one query a record);
    * every attack an accusation of the window names as an incident;
    * every denial and confirmation of an attack, accusation or observation of the
      window;
    * every place that one of ``commitments`` or a record of the window names, and
      every place named as a de jure parent of a place of the window;
    * every correction and retraction of a record in the window.
    """
    head = store.head()
    load = frozenset(kinds)
    fixes: dict[str, list[IndexRow]] = {}
    for row in store.index_rows(kinds=CORRECTION_KINDS):
        if row.position <= head:
            fixes.setdefault(row.target or "", []).append(row)
    whole = [r for r in store.index_rows(kinds=_WHOLE & load) if r.position <= head]
    wanted = frozenset(commitments)
    window = _Window(store, head, fixes)
    defining = [r for r in whole if r.kind == "ActorDefined" or r.id in wanted]
    bound = _bound(window.versions(defining), wanted, frozenset(actors))
    named = _NAMED & load
    for ref in sorted(bound | wanted):
        window.involving(ref, named)
    if places:
        _within(window, frozenset(places), named, load)
    alleging = named - {"Attack"}
    for ref in sorted(accusers):
        window.involving(ref, alleging)
    if between is not None:
        _during(window, between, named)
    # Evidence of one basis: every record of its kind (a correction keeps the kind).
    whole_evidence = frozenset(evidence) & (named - {"Attack"})
    if whole_evidence:
        window.every(whole_evidence)
    # An accusation's incidents.
    window.add(
        {
            aid
            for record in window.versions(window.rows.values())
            if isinstance(record, Accusation)
            for aid in record.incidents
        },
        named,
    )
    # The denials and confirmations of what the window holds so far.
    answers = _ANSWERS & load
    if whole_evidence:
        window.every(answers)
    else:
        for rid in sorted(window.rows):
            window.involving(rid, answers)
    # Places: those named, then their de jure parents, in every version.
    if "PlaceDefined" in load:
        seen: set[str] = set()
        todo = _places(
            window.versions([*window.rows.values(), *(r for r in whole if r.id in wanted)])
        )
        while todo - seen:
            fresh = todo - seen
            seen |= fresh
            window.add(fresh, frozenset({"PlaceDefined"}))
            defined = [window.rows[p] for p in fresh if p in window.rows]
            todo |= {
                record.parent
                for record in window.versions(defined)
                if isinstance(record, PlaceDefined) and record.parent is not None
            }
    inside = {r.id for r in whole} | window.rows.keys()
    out = [*whole, *window.rows.values()]
    out += [f for rid in inside for f in fixes.get(rid, ())]
    keep = {r.position for r in out}
    decoded = {p: r for p, r in window.decoded.items() if p in keep}
    return FocusedStore(store, head, out, decoded)


_FIXABLE_KINDS: Final = frozenset(KIND_BY_NAME) - CORRECTION_KINDS
"""Every kind but corrections and retractions: what a window holds records of."""


def span_window(
    store: Store, kinds: Collection[str] | None, between: tuple[int, int]
) -> FocusedStore:
    """The records, of ``kinds`` (None: every kind), of which some version possibly
    occurred ``between`` two instants (inclusive epoch microseconds), with every
    correction and retraction of them, as of the store's head: what the records as
    known of a span (`records_as_known` with a window) can be, whatever the cuts,
    read without indexing the rest of the store. A correction keeps its record's
    kind, so only the records of ``kinds`` are looked at."""
    head = store.head()
    fixes: dict[str, list[IndexRow]] = {}
    for row in store.index_rows(kinds=CORRECTION_KINDS):
        if row.position <= head:
            fixes.setdefault(row.target or "", []).append(row)
    window = _Window(store, head, fixes)
    named = _FIXABLE_KINDS if kinds is None else frozenset(kinds)
    _during(window, between, named)
    out = [*window.rows.values()]
    out += [f for rid in window.rows for f in fixes.get(rid, ())]
    keep = {r.position for r in out}
    decoded = {p: r for p, r in window.decoded.items() if p in keep}
    return FocusedStore(store, head, out, decoded)


def record_window(store: Store, record_id: str) -> FocusedStore:
    """Record ``record_id`` with every correction and retraction of it, as of the
    store's head: what the record as known under any cuts can be (`record_as_known`),
    read without indexing the rest of the store (empty when the store holds no such
    record). The record is looked up by its id, its corrections and retractions among
    the records that refer to it."""
    head = store.head()
    window = _Window(store, head, {})
    window.add((record_id,), _FIXABLE_KINDS)
    out = [*window.rows.values()]
    if out:
        for recorded in store.involving(record_id):
            if recorded.position > head:
                break
            if fix_target(recorded.record) == record_id:
                out.append(_row_of(recorded))
                window.decoded[recorded.position] = recorded
    return FocusedStore(store, head, out, window.decoded)


class _Window:
    """The records of a window as it is gathered: index rows by id (those not read
    whole), and what was decoded on the way."""

    def __init__(self, store: Store, head: int, fixes: dict[str, list[IndexRow]]) -> None:
        self.store, self.head, self.fixes = store, head, fixes
        self.rows: dict[str, IndexRow] = {}
        self.decoded: dict[int, Recorded] = {}

    def decode(self, rows: Iterable[IndexRow]) -> None:
        """Decode ``rows`` and every correction of them (what is not decoded yet)."""
        positions = [r.position for r in rows]
        positions += [f.position for r in rows for f in self.fixes.get(r.id, ())]
        missing = sorted({p for p in positions if p not in self.decoded})
        self.decoded.update((r.position, r) for r in self.store.fetch(missing))

    def versions(self, rows: Iterable[IndexRow]) -> Iterator[Record]:
        """Every version of the records of ``rows`` (decoded first if need be)."""
        rows = list(rows)
        self.decode(rows)
        decoded = self.decoded
        for row in rows:
            yield from _versions(decoded[row.position])
            for fix in self.fixes.get(row.id, ()):
                yield from _versions(decoded[fix.position])

    def involving(self, ref: str, kinds: frozenset[str]) -> None:
        """Add the records of ``kinds`` that refer to ``ref`` in some version."""
        fixed: set[str] = set()
        for recorded in self.store.involving(ref):
            if recorded.position > self.head:
                break
            target = fix_target(recorded.record)
            if target is not None:
                fixed.add(target)
            elif recorded.kind in kinds and recorded.id not in self.rows:
                self.rows[recorded.id] = _row_of(recorded)
                self.decoded[recorded.position] = recorded
        self.add(fixed, kinds)

    def every(self, kinds: frozenset[str]) -> None:
        """Add every record of ``kinds`` the store holds by the window's head (its
        index row; decoded when the fold reads it)."""
        for row in self.store.index_rows(kinds=kinds):
            if row.position <= self.head:
                self.rows.setdefault(row.id, row)

    def add(self, ids: Iterable[str], kinds: frozenset[str]) -> None:
        """Add each of ``ids`` not held yet that the store holds by the window's head
        as a record of ``kinds``: looked up one by one, or, for many, found in one
        read of the index rows of ``kinds`` and decoded together."""
        todo = sorted(set(ids) - self.rows.keys())
        if len(todo) < _MANY:
            for rid in todo:
                recorded = self.store.get(rid)
                if (
                    recorded is not None
                    and recorded.position <= self.head
                    and recorded.kind in kinds
                ):
                    self.rows[rid] = _row_of(recorded)
                    self.decoded[recorded.position] = recorded
            return
        wanted = frozenset(todo)
        found = [
            row
            for row in self.store.index_rows(kinds=kinds)
            if row.id in wanted and row.position <= self.head
        ]
        fetched = self.store.fetch([row.position for row in found])
        for row, recorded in zip(found, fetched, strict=True):
            self.rows[row.id] = row
            self.decoded[recorded.position] = recorded


def _within(
    window: _Window, places: frozenset[str], named: frozenset[str], load: frozenset[str]
) -> None:
    """Add to ``window`` the attacks and observations placed, in some version, in one
    of ``places`` or a place that some version of the places' definitions puts de
    jure inside one, and the accusations naming one of those attacks."""
    subtree = frozenset({"PlaceDefined"}) & load
    seen: set[str] = set()
    todo = set(places)
    while todo:
        place = todo.pop()
        seen.add(place)
        window.involving(place, named | subtree)  # what lies there, and its children
        todo |= {rid for rid, row in window.rows.items() if row.kind == "PlaceDefined"} - seen
    accusations = frozenset({"Accusation"}) & load
    for aid in sorted(rid for rid, row in window.rows.items() if row.kind == "Attack"):
        window.involving(aid, accusations)


def _during(window: _Window, between: tuple[int, int], named: frozenset[str]) -> None:
    """Add to ``window`` the attacks, accusations and observations of which some
    version possibly occurred ``between`` two instants."""
    lo, hi = between
    head = window.head
    for recorded in window.store.occurred_between(lo, hi, kinds=named):
        if recorded.position <= head and recorded.id not in window.rows:
            window.rows[recorded.id] = _row_of(recorded)
            window.decoded[recorded.position] = recorded
    # A correction is indexed by its own time: its replacement's is read to judge it.
    corrections = sorted(
        (f for fixes in window.fixes.values() for f in fixes if f.kind == "Correction"),
        key=lambda f: f.position,
    )
    overlapping: set[str] = set()
    for target, (first, last) in _replacement_times(window.store, corrections):
        if first <= hi and last >= lo:
            overlapping.add(target)
    window.add(overlapping, named)


def _replacement_times(
    store: Store, corrections: Sequence[IndexRow]
) -> Iterator[tuple[str, tuple[int, int]]]:
    """The id each of ``corrections`` corrects, and its replacement's ``occurred`` (its
    first and last instant, epoch microseconds): read from the stored JSON where the
    store hands payloads out (about ten times cheaper than decoding each correction
    and its replacement whole), decoded where that reading fails."""
    decode = list(corrections)
    if isinstance(store, PayloadReader):
        decode = []
        for row, payload in zip(
            corrections, store.payloads([r.position for r in corrections]), strict=True
        ):
            times = _glimpsed_times(payload)
            if times is None or row.target is None:
                decode.append(row)
            else:
                yield row.target, times
    for recorded in store.fetch([r.position for r in decode]):
        record = recorded.record
        assert isinstance(record, Correction)
        occurred = record.replacement.occurred
        yield record.corrects, (occurred.lo, occurred.last)


def _glimpsed_times(payload: bytes) -> tuple[int, int] | None:
    """A stored correction's replacement's ``occurred`` as `TimeExtent` holds it (``lo``,
    ``last``), read by the codec's own extent reader from the JSON as this version
    writes it; None for anything else."""
    try:
        fields = orjson.loads(payload)
        if fields["kind"] != "Correction" or fields["version"] != Correction.VERSION:
            return None
        occurred = structure_extent(fields["replacement"]["occurred"])
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, Unsupported):
        return None
    return occurred.lo, occurred.last


def _places(records: Iterable[Record]) -> set[str]:
    """The places ``records`` name."""
    return {
        ref for record in records for _, ref, what in reference_list(record) if what == "place"
    }


def _bound(
    versions: Iterable[Record], commitments: frozenset[str], actors: frozenset[str]
) -> set[str]:
    """``actors``, the parties of every version of ``commitments``, and every actor
    that some version of the actors' definitions affiliates with one of them,
    directly or through others."""
    members: dict[str, set[str]] = {}  # actor -> the actors affiliated with it
    parties: set[str] = set(actors)
    for record in versions:
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
