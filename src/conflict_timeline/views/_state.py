"""State pieces several views keep: the actors and places seen so far."""

from __future__ import annotations

import attrs
import immutables

from .._records import ActorDefined, ControlChanged, PlaceDefined, Record

__all__ = ["GeoState", "apply_geo"]


@attrs.frozen
class GeoState:
    """Actors, places and control changes, as immutable maps.

    Attributes:
        actors: Actor id -> definition.
        places: Place id -> definition.
        control: Place id -> its control changes, in replay order.
    """

    actors: immutables.Map[str, ActorDefined] = immutables.Map()
    places: immutables.Map[str, PlaceDefined] = immutables.Map()
    control: immutables.Map[str, tuple[ControlChanged, ...]] = immutables.Map()


def apply_geo(state: GeoState, record: Record) -> GeoState:
    """``state`` with ``record`` taken in; the same object when it is not geography."""
    if isinstance(record, ActorDefined):
        return attrs.evolve(state, actors=state.actors.set(record.id, record))
    if isinstance(record, PlaceDefined):
        return attrs.evolve(state, places=state.places.set(record.id, record))
    if isinstance(record, ControlChanged):
        changes = (*state.control.get(record.place, ()), record)
        return attrs.evolve(state, control=state.control.set(record.place, changes))
    return state
