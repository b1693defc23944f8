"""The rules views share: when a commitment applies, where, to whom, and to what.

Kept apart from the views so the rule that makes an attack a *candidate* violation
and the rule that makes it *trigger* a conditional pledge are written once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .._geography import Geography
from .._records import ActorDefined, Attack, Commitment, CommitmentEnded, PlaceDefined, Scope
from .._time import TimeExtent

__all__ = ["geography", "in_scope", "possibly_during", "prohibited"]


def geography(actors: Mapping[str, ActorDefined], places: Mapping[str, PlaceDefined]) -> Geography:
    """A :class:`Geography` over a view's actor and place maps (no control data)."""
    return Geography(actors, places, {})


def in_scope(scope: Scope, place: str | None, geo: Geography) -> bool:
    """Is ``place`` inside ``scope`` by de jure edges?

    An empty ``include`` means everywhere. An unknown place is in scope only of a
    commitment that applies everywhere with no exclusions: the rule never guesses.
    """
    if place is None:
        return not scope.include and not scope.exclude
    if scope.include and not any(geo.is_within(place, p) for p in scope.include):
        return False
    return not any(geo.is_within(place, p) for p in scope.exclude)


def possibly_during(
    extent: TimeExtent, commitment: Commitment, ended: CommitmentEnded | None
) -> bool:
    """Could ``extent`` fall within the commitment's active time?

    Active from ``effective`` until the earlier of ``until`` and the end record.
    Overlap is judged on the bounds, so a coarse date (a month) counts when any part
    of it could.
    """
    if extent.last < commitment.starts.lo:
        return False
    if commitment.until is not None and extent.lo > commitment.until.last:
        return False
    return ended is None or extent.lo <= ended.occurred.last


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
    return any(p.covers(attack.target_class) for p in commitment.prohibits)


def bound(commitment: Commitment, actors: Iterable[str | None], geo: Geography) -> bool:
    """Is any of ``actors`` a bound party, or affiliated with one?"""
    return any(
        actor is not None and any(geo.affiliated(actor, party) for party in commitment.parties)
        for actor in actors
    )
