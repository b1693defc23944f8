"""Which records a query replays, and in what order (docs/explanation/three-clocks.md).

Rules, as the docs state them:

* knowledge time: a record's ``reported``, else the ``recorded_at`` the store gave it
  (actors and places default ``reported`` to ``occurred``: that default lives on the
  record, and is pinned by its own test);
* a record is visible when its position is at most ``as_of`` and it was reported by
  ``known_at`` (earliest bound, or latest with ``certainty="certain"``);
* among the visible corrections and retractions of a record, the one reported latest
  (then the larger id) acts: a retraction removes the record, a correction replays its
  replacement in its place (with the replacement's own times);
* what is left is replayed when it happened by ``at`` (earliest bound, or latest with
  ``certain``), in the order ``occurred.earliest``, ``reported.earliest``, id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from conflict_timeline import Correction, Query, Recorded, Retraction, TimeExtent
from conflict_timeline._records import AnyRecord


@dataclass(frozen=True)
class Replayed:
    """One record as a query replays it, with its effective knowledge time."""

    record: AnyRecord
    reported: TimeExtent

    @property
    def id(self) -> str:
        return self.record.id


def knowledge(record: AnyRecord, envelope: Recorded) -> TimeExtent:
    """``reported``, else the moment the store accepted the (original) record."""
    if record.reported is not None:
        return record.reported
    return TimeExtent.instant(envelope.recorded_at)


def by(extent: TimeExtent, cut: int | None, certain: bool) -> bool:
    """Has ``extent`` happened by the inclusive cut (no cut: always)?"""
    if cut is None:
        return True
    return (extent.last if certain else extent.lo) <= cut


def replayed(envelopes: Iterable[Recorded], query: Query) -> list[Replayed]:
    """The records ``query`` replays, in replay order."""
    certain = query.certainty == "certain"
    visible = [
        e
        for e in envelopes
        if (query.as_of is None or e.position <= query.as_of)
        and by(knowledge(e.record, e), query.known_at, certain)
    ]
    acting: dict[str, Recorded] = {}
    for e in visible:
        record = e.record
        if isinstance(record, Correction):
            target = record.corrects
        elif isinstance(record, Retraction):
            target = record.retracts
        else:
            continue
        rep = knowledge(record, e)
        best = acting.get(target)
        if best is None:
            acting[target] = e
            continue
        best_rep = knowledge(best.record, best)
        if (rep.lo, rep.last, record.id) > (best_rep.lo, best_rep.last, best.record.id):
            acting[target] = e
    out: list[Replayed] = []
    for e in visible:
        record: AnyRecord = e.record
        if isinstance(record, Correction | Retraction):
            continue
        fix = acting.get(record.id)
        if fix is not None:
            if isinstance(fix.record, Retraction):
                continue
            assert isinstance(fix.record, Correction)
            record = fix.record.replacement
        if not by(record.occurred, query.at, certain):
            continue
        out.append(Replayed(record, knowledge(record, e)))
    out.sort(key=lambda r: (r.record.occurred.lo, r.reported.lo, r.id))
    return out
