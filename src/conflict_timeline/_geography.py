"""Actors and places as data: de jure trees, de facto control, affiliation.

Pure functions over a collection of ``ActorDefined``, ``PlaceDefined`` and
``ControlChanged`` records. Two relations are kept apart on purpose:

* de jure: ``PlaceDefined.parent`` (Stepanakert -> Nagorno-Karabakh -> Azerbaijan).
  "Is X within the sovereign territory of Armenia?" follows these edges only.
* de facto: ``ControlChanged`` records, which change over time. A place with no
  control record of its own inherits control from its nearest de jure ancestor
  that has one; with none anywhere up the tree, the controller is unknown (None).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Final, Protocol, TypeVar

import attrs
import immutables

from ._records import ActorDefined, ControlChanged, PlaceDefined, Record
from ._time import TimeExtent, cut_instant
from .errors import InvalidTimeError, QueryError

__all__ = ["Geography", "affiliated", "controller", "is_within"]

T = TypeVar("T")
_MAX_DEPTH: Final = 1_000  # a guard against cycles in hand-made data


@attrs.frozen
class Geography:
    """Actors, places and control changes: built once and queried often, or kept as
    the immutable state of a view's fold.

    The one home of geography: ``Geography.of(records)`` indexes a collection, and
    ``with_record`` takes one record in (what the built-in views do while they replay).
    The maps are immutable (``immutables.Map``), so a fold step shares everything it
    did not change.

    Attributes:
        actors: Actor id -> its (latest taken in) definition.
        places: Place id -> its (latest taken in) definition.
        control: Place id -> its control changes, in the order taken in.
    """

    actors: Mapping[str, ActorDefined] = immutables.Map()
    places: Mapping[str, PlaceDefined] = immutables.Map()
    control: Mapping[str, Sequence[ControlChanged]] = immutables.Map()

    @classmethod
    def of(cls, records: Iterable[Record]) -> Geography:
        """Index the actor, place and control records among ``records``."""
        actors: dict[str, ActorDefined] = {}
        places: dict[str, PlaceDefined] = {}
        control: dict[str, list[ControlChanged]] = {}
        for record in records:
            if isinstance(record, ActorDefined):
                actors[record.id] = record
            elif isinstance(record, PlaceDefined):
                places[record.id] = record
            elif isinstance(record, ControlChanged):
                control.setdefault(record.place, []).append(record)
        return cls(
            immutables.Map(actors),
            immutables.Map(places),
            immutables.Map({place: tuple(changes) for place, changes in control.items()}),
        )

    def with_record(self, record: Record) -> Geography:
        """This geography with ``record`` taken in; ``self`` itself when the record is
        not an actor, place or control change (so a fold can tell nothing changed)."""
        if isinstance(record, ActorDefined):
            return attrs.evolve(self, actors=_imap(self.actors).set(record.id, record))
        if isinstance(record, PlaceDefined):
            return attrs.evolve(self, places=_imap(self.places).set(record.id, record))
        if isinstance(record, ControlChanged):
            control = _imap(self.control)
            changes = (*control.get(record.place, ()), record)
            return attrs.evolve(self, control=control.set(record.place, changes))
        return self

    def ancestors(self, place: str) -> Iterator[str]:
        """The de jure parents of ``place``, nearest first (not ``place`` itself)."""
        seen = {place}
        current = self.places.get(place)
        while current is not None and current.parent is not None:
            if current.parent in seen or len(seen) > _MAX_DEPTH:
                return  # a cycle in the data: stop rather than loop
            seen.add(current.parent)
            yield current.parent
            current = self.places.get(current.parent)

    def is_within(self, place: str, ancestor: str) -> bool:
        """Is ``place`` the same as, or de jure inside, ``ancestor``?"""
        return place == ancestor or ancestor in self.ancestors(place)

    def controller(self, place: str, at_us: int, *, certain: bool = False) -> str | None:
        """Who controls ``place`` de facto at ``at_us`` (epoch microseconds), or None.

        The latest control change by then on the place or on any area that contains
        it de jure decides: control of a region taken in 2023 overrides a town's own
        change of 1994. When changes tie in time, the one on the smaller area wins,
        then the larger record id (so the answer never depends on append order).
        """
        best: tuple[tuple[int, int], int, str] | None = None
        holder = None
        for depth, area in enumerate((place, *self.ancestors(place))):
            for change in self.control.get(area, ()):
                if not change.occurred.by(at_us, certain=certain):
                    continue
                key = (change.occurred.sort_key(), -depth, change.id)
                if best is None or key > best:
                    best, holder = key, change.controller
        return holder

    def affiliations(self, actor: str) -> Iterator[str]:
        """The actors ``actor`` is affiliated with, nearest first (not itself)."""
        seen = {actor}
        current = self.actors.get(actor)
        while current is not None and current.affiliation is not None:
            if current.affiliation in seen or len(seen) > _MAX_DEPTH:
                return
            seen.add(current.affiliation)
            yield current.affiliation
            current = self.actors.get(current.affiliation)

    def affiliated(self, actor: str, party: str) -> bool:
        """Is ``actor`` the same as ``party``, or affiliated with it (transitively)?"""
        return actor == party or party in self.affiliations(actor)

    def resolve_place(self, name: str) -> str | None:
        """The place id whose id, name or alias is ``name`` (case-insensitive); None
        when none is.

        Raises:
            QueryError: ``name`` is not an id and is the name or alias of several
                places (the message lists their ids).
        """
        return _resolve(name, self.places, "place")

    def resolve_actor(self, name: str) -> str | None:
        """The actor id whose id, name or alias is ``name`` (case-insensitive); None
        when none is.

        Raises:
            QueryError: ``name`` is not an id and is the name or alias of several
                actors (the message lists their ids).
        """
        return _resolve(name, self.actors, "actor")


def _imap(table: Mapping[str, T]) -> immutables.Map[str, T]:
    return table if isinstance(table, immutables.Map) else immutables.Map(table)


def _resolve(
    name: str, table: Mapping[str, ActorDefined] | Mapping[str, PlaceDefined], what: str
) -> str | None:
    """An id is itself; else the one record whose name or an alias is ``name``. Real
    datasets share names (GED has two actors named "DPR", three provinces named
    "Eastern province"): one of several is never picked, whatever the table's order."""
    if name in table:
        return name
    wanted = name.casefold()
    found = sorted(
        rid
        for rid, record in table.items()
        if record.name.casefold() == wanted or any(a.casefold() == wanted for a in record.aliases)
    )
    if len(found) > 1:
        shown = ", ".join(f"{rid} ({table[rid].name})" for rid in found[:_SHOWN])
        more = f" and {len(found) - _SHOWN} more" if len(found) > _SHOWN else ""
        msg = (
            f"{name!r} is the name or an alias of {len(found)} {what}s: {shown}{more}; "
            "give the id of the one meant"
        )
        raise QueryError(msg)
    return found[0] if found else None


_SHOWN: Final = 10  # ids an ambiguous name's message lists


_ASK: Final = {
    "is_within": "timeline.is_within(place, ancestor)",
    "controller": "timeline.controller(place, at=...)",
    "affiliated": "timeline.state(Gazetteer).affiliated(actor, party)",
}


class Stored(Protocol):
    """A stored record as the store hands it out (`Recorded`): its ``record``.
    (Named by its shape: the stores sit above this module, which may not import
    them.)"""

    @property
    def record(self) -> Record: ...


def _given(function: str, records: Iterable[Record | Stored]) -> Iterator[Record]:
    """The records of ``records``, as given: each a record, or a stored one
    (``Recorded``, as `current_records` gives them), read as its record. Anything
    else is refused: a timeline, a string or other values hold no actor or place, and
    the answer would be a silent False or None."""
    if isinstance(records, str | bytes) or not isinstance(records, Iterable):
        msg = f"{function}: records must be a collection of records, got {records!r}"
        raise QueryError(msg)
    if hasattr(records, "store") and hasattr(records, "state"):  # a Timeline
        msg = (
            f"{function}: records is a timeline, not a collection of records: ask the "
            f"timeline ({_ASK[function]}, corrections and retractions applied), or give "
            "current_records(timeline)"
        )
        raise QueryError(msg)
    for i, record in enumerate(records):
        if isinstance(record, Record):
            yield record
        elif isinstance(inner := getattr(record, "record", None), Record):
            yield inner  # a Recorded
        else:
            msg = f"{function}: records[{i}] is not a record: {record!r} ({type(record).__name__})"
            raise QueryError(msg)


def is_within(place: str, ancestor: str, records: Iterable[Record | Stored]) -> bool:
    """Is ``place`` the same as, or de jure inside, ``ancestor``?

    ``records`` are taken as given (no correction or retraction applied): records, or
    stored ones as [`current_records`][conflict_timeline.current_records] gives them
    (which applies both). A timeline, or anything that is no record, is refused with
    a `QueryError` rather than answered as if it held no actor or place.

    >>> from conflict_timeline import PlaceDefined
    >>> records = [
    ...     PlaceDefined(id="az", name="Azerbaijan", place_kind="country"),
    ...     PlaceDefined(id="nk", name="Nagorno-Karabakh", place_kind="region", parent="az"),
    ...     PlaceDefined(id="stp", name="Stepanakert", place_kind="city", parent="nk"),
    ... ]
    >>> is_within("stp", "az", records)
    True
    """
    return Geography.of(_given("is_within", records)).is_within(place, ancestor)


def controller(
    place: str,
    at: _dt.datetime | _dt.date | TimeExtent | str,
    records: Iterable[Record | Stored],
    *,
    certainty: str = "possible",
    tz: str = "UTC",
) -> str | None:
    """The actor id controlling ``place`` de facto at ``at``, or None if unknown.

    ``certainty="possible"`` counts a control change that may have happened by
    ``at``; ``"certain"`` only one that certainly had.

    ``records`` are taken as given (no correction or retraction applied): records, or
    stored ones as [`current_records`][conflict_timeline.current_records] gives them
    (which applies both). A timeline, or anything that is no record, is refused with
    a `QueryError` rather than answered as if it held no actor or place.
    """
    try:
        cut = cut_instant(at, tz=tz)
    except InvalidTimeError as exc:
        msg = f"controller: at: {exc}"
        raise InvalidTimeError(msg) from None
    return Geography.of(_given("controller", records)).controller(
        place, cut, certain=certainty == "certain"
    )


def affiliated(actor: str, party: str, records: Iterable[Record | Stored]) -> bool:
    """Is ``actor`` the same as ``party`` or affiliated with it, transitively?

    ``records`` are taken as given (no correction or retraction applied): records, or
    stored ones as [`current_records`][conflict_timeline.current_records] gives them
    (which applies both). A timeline, or anything that is no record, is refused with
    a `QueryError` rather than answered as if it held no actor or place.
    """
    return Geography.of(_given("affiliated", records)).affiliated(actor, party)
