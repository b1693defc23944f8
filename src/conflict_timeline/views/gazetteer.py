"""The gazetteer: actors, places, the de jure tree, and who controls what at ``at``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import attrs

from .._geography import Geography
from .._records import ActorDefined, PlaceDefined
from ..stores import Recorded
from ._protocol import Query, Table, View

__all__ = ["Gazetteer", "GazetteerResult"]

_FOREVER = (1 << 62) - 1


@attrs.frozen
class GazetteerResult:
    """Actors and places as known, with de facto control at the query's ``at``.

    Attributes:
        actors: Actor id -> definition.
        places: Place id -> definition.
        controllers: Place id -> the actor controlling it de facto at ``at``
            (inherited from the nearest ancestor with a control record), or None.
        query: The cuts it answers.
    """

    actors: Mapping[str, ActorDefined]
    places: Mapping[str, PlaceDefined]
    controllers: Mapping[str, str | None]
    query: Query
    _geo: Geography = attrs.field(repr=False, eq=False)

    def table(self) -> Table:
        """Actors (by id), then places (by id) with their controller at ``at``."""
        rows = [
            ("actor", a.id, a.name, a.actor_kind.value, a.affiliation or "", "")
            for a in sorted(self.actors.values(), key=lambda a: a.id)
        ]
        rows += [
            (
                "place",
                p.id,
                p.name,
                p.place_kind.value,
                p.parent or "",
                self.controller(p.id) or "",
            )
            for p in sorted(self.places.values(), key=lambda p: p.id)
        ]
        columns = ("record", "id", "name", "kind", "affiliation / parent", "controller")
        return Table(columns, tuple(rows))

    def is_within(self, place: str, ancestor: str) -> bool:
        """Is ``place`` the same as, or de jure inside, ``ancestor``?"""
        return self._geo.is_within(place, ancestor)

    def ancestors(self, place: str) -> tuple[str, ...]:
        """The de jure ancestors of ``place``, nearest first."""
        return tuple(self._geo.ancestors(place))

    def controller(self, place: str) -> str | None:
        """Who controls ``place`` de facto at ``at`` (None: not recorded)."""
        return self.controllers.get(place)

    def affiliated(self, actor: str, party: str) -> bool:
        """Is ``actor`` the same as, or (transitively) affiliated with, ``party``?"""
        return self._geo.affiliated(actor, party)

    def resolve_place(self, name: str) -> str | None:
        """The place id whose id, name or alias is ``name`` (case-insensitive); None
        when none is.

        Raises:
            QueryError: ``name`` is not an id and names several places.
        """
        return self._geo.resolve_place(name)

    def resolve_actor(self, name: str) -> str | None:
        """The actor id whose id, name or alias is ``name`` (case-insensitive); None
        when none is.

        Raises:
            QueryError: ``name`` is not an id and names several actors.
        """
        return self._geo.resolve_actor(name)


class Gazetteer(View[Geography, GazetteerResult]):
    """Actors, places, the de jure tree and de facto control at ``at``."""

    kinds: ClassVar[frozenset[str] | None] = frozenset(
        {"ActorDefined", "PlaceDefined", "ControlChanged"}
    )

    def initial(self) -> Geography:
        """Nothing known."""
        return Geography()

    def apply(self, state: Geography, recorded: Recorded) -> Geography:
        """Take in actor, place and control records."""
        return state.with_record(recorded.record)

    def result(self, state: Geography, query: Query) -> GazetteerResult:
        """The gazetteer at ``query.at`` (the latest control when there is no ``at``)."""
        geo = state
        at = _FOREVER if query.at is None else query.at
        # In id order: the state's persistent maps iterate in the order of their keys'
        # hashes, which differs from one process to the next (an export of the same
        # answer would differ byte for byte, and a saved state's from a fold's).
        places = sorted(state.places.items())
        controllers = {pid: geo.controller(pid, at, certain=query.certain) for pid, _ in places}
        return GazetteerResult(
            dict(sorted(state.actors.items())), dict(places), controllers, query, geo
        )
