"""How a commitment ends: explicit ``CommitmentEnded`` records and supersession.

A commitment B with ``supersedes=(A, ...)`` ends each A when B takes effect: the
views treat it as the end record ``CommitmentEnded(id="<B>~supersedes~<A>",
commitment=A, reason=superseded, superseded_by=B)`` occurring at B's ``effective``,
with B's sources, claimant and knowledge time. It is known exactly when B is (it
enters a fold with B and leaves it when B is retracted or corrected to supersede
no more).

A commitment has ended at T when *any* of its ends has occurred by T (DESIGN.md: "no
``CommitmentEnded`` for it has occurred by T"): possibly once the earliest first instant
among its ends is at most T, certainly once the earliest *last* instant is. So a fold
keeps two ends per commitment, each O(1) to update:

* the *winning* end (`keep_end`), the earliest by ``(occurred.earliest, explicit before
  implied, reported.earliest, id)``: for explicit ends alone the first in replay order.
  It has possibly occurred by T exactly when some end has, and is the end shown;
* the *closing* end (`keep_closing`), the earliest by ``(occurred.latest, explicit
  before implied, reported.earliest, id)``: it has certainly occurred by T exactly when
  some end has, and its last instant bounds the active time (no part of the commitment's
  life lies after it). A later or coarser end never makes an earlier certain one
  uncertain.

`ended_by` combines the two for a query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import attrs
import immutables

from .._records import Commitment, CommitmentEnded, EndReason
from ..stores import Recorded
from ._protocol import Query

__all__ = [
    "closing_key",
    "end_key",
    "ended_by",
    "implied_ends",
    "is_explicit",
    "keep_closing",
    "keep_end",
]

_IMPLIED: Final = ""  # the hash of an implied end: stored records always have one


def implied_ends(recorded: Recorded) -> list[Recorded]:
    """The ends a commitment's ``supersedes`` implies, as envelopes of B's."""
    commitment = recorded.record
    if not isinstance(commitment, Commitment) or not commitment.supersedes:
        return []
    reported = recorded.reported
    return [
        attrs.evolve(
            recorded,
            hash=_IMPLIED,
            record=CommitmentEnded(
                id=f"{commitment.id}~supersedes~{earlier}",
                occurred=commitment.starts,
                sources=commitment.sources,
                claimed_by=commitment.claimed_by,
                status=commitment.status,
                reported=reported,
                commitment=earlier,
                reason=EndReason.SUPERSEDED,
                superseded_by=commitment.id,
            ),
        )
        for earlier in commitment.supersedes
    ]


def is_explicit(end: Recorded | None) -> bool:
    """Is ``end`` a stored ``CommitmentEnded`` (not one implied by supersession)?"""
    return end is not None and end.hash != _IMPLIED


def end_key(end: Recorded) -> tuple[int, int, int, str]:
    """The order in which ends win: earliest first, explicit before implied."""
    return (
        end.record.occurred.lo,
        0 if is_explicit(end) else 1,
        end.reported.lo,
        end.record.id,
    )


def closing_key(end: Recorded) -> tuple[int, int, int, str]:
    """The order in which ends close a commitment: earliest last instant first."""
    return (
        end.record.occurred.last,
        0 if is_explicit(end) else 1,
        end.reported.lo,
        end.record.id,
    )


def keep_end(ended: immutables.Map[str, Recorded], end: Recorded) -> immutables.Map[str, Recorded]:
    """``ended`` with ``end`` taken in if it wins over the end known for its commitment
    (the same map when it does not)."""
    return _keep(ended, end, end_key)


def keep_closing(
    closing: immutables.Map[str, Recorded], end: Recorded
) -> immutables.Map[str, Recorded]:
    """``closing`` with ``end`` taken in if its last instant is earlier than that of the
    closing end known for its commitment (the same map when it is not)."""
    return _keep(closing, end, closing_key)


def _keep(
    ends: immutables.Map[str, Recorded],
    end: Recorded,
    key: Callable[[Recorded], tuple[int, int, int, str]],
) -> immutables.Map[str, Recorded]:
    record = end.record
    assert isinstance(record, CommitmentEnded)
    known = ends.get(record.commitment)
    if known is not None and key(known) <= key(end):
        return ends
    return ends.set(record.commitment, end)


def ended_by(winning: Recorded | None, closing: Recorded | None, query: Query) -> Recorded | None:
    """The end by which a commitment has ended at ``query.at`` (None: it has not).

    It has ended when any of its ends has happened under the query's certainty, that is
    when its winning end (the earliest first instant) possibly has or its closing end
    (the earliest last instant) certainly has. The end given is the winning end when
    that has happened, else the closing one (under ``certainty="certain"``, when an end
    with a later first instant certainly occurred before the winning end did).
    """
    for end in (winning, closing):
        if end is not None and query.happened(end.record.occurred):
            return end
    return None
