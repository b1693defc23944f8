"""How a commitment ends: explicit ``CommitmentEnded`` records and supersession.

A commitment B with ``supersedes=(A, ...)`` ends each A when B takes effect: the
views treat it as the end record ``CommitmentEnded(id="<B>~supersedes~<A>",
commitment=A, reason=superseded, superseded_by=B)`` occurring at B's ``effective``,
with B's sources, claimant and knowledge time. It is known exactly when B is (it
enters a fold with B and leaves it when B is retracted or corrected to supersede
no more).

Where a commitment has several ends, the one that wins is the earliest by
``(occurred.earliest, explicit before implied, reported.earliest, id)``: for explicit
ends alone that is the first in replay order, the rule the views always had.
"""

from __future__ import annotations

from typing import Final

import attrs
import immutables

from .._records import Commitment, CommitmentEnded, EndReason
from ..stores import Recorded

__all__ = ["end_key", "implied_ends", "is_explicit", "keep_end"]

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


def keep_end(ended: immutables.Map[str, Recorded], end: Recorded) -> immutables.Map[str, Recorded]:
    """``ended`` with ``end`` taken in if it wins over the end known for its commitment
    (the same map when it does not)."""
    record = end.record
    assert isinstance(record, CommitmentEnded)
    known = ended.get(record.commitment)
    if known is not None and end_key(known) <= end_key(end):
        return ended
    return ended.set(record.commitment, end)
