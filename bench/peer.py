"""The same workload through the PyPI package ``eventsourcing``, as its users would.

One ``Application``; one aggregate per conflict (plus one for the global actors);
one domain event class per record kind, whose fields mirror the record's fields
(the same JSON-able values our canonical payload holds), plus the valid-time bounds
as integers, which a user of eventsourcing would add to order and compare by.
Saving is one ``app.save(*aggregates)`` call (one transaction for the whole batch),
or one ``save`` per event for the one-at-a-time figure. The rebuild reads with the
recorder's bulk API, ``select_notifications(start=..., limit=...)``, turns each
notification into a domain event with ``app.mapper.to_domain_event`` and folds it
into :class:`bench.plain.PlainViews` (the two views), in notification order.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final
from uuid import UUID

import attrs
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

import conflict_timeline as ct
from conflict_timeline._records import RECORD_KINDS

from .plain import PlainViews

__all__ = [
    "EVENT_CLASSES",
    "Conflict",
    "Timelines",
    "build_aggregates",
    "conflict_of",
    "make_app",
    "rebuild",
]

_PAGE: Final = 10_000  # notifications per select_notifications call


class Conflict(Aggregate):
    """One conflict: the events of its records, in append order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.records = 0


class RecordEvent(Conflict.Event):
    """Base of the per-kind events: applying one counts it on the aggregate."""

    def apply(self, aggregate: Conflict) -> None:
        aggregate.records += 1


def _event_class(kind: type[ct.Record]) -> type[RecordEvent]:
    names = [f.name for f in attrs.fields(kind)]
    annotations: dict[str, Any] = {"occ_lo": int, "occ_last": int}
    annotations.update(dict.fromkeys(names, Any))
    namespace: dict[str, Any] = {
        "__annotations__": annotations,
        "__module__": __name__,
        "__qualname__": f"{kind.KIND}Recorded",
        **dict.fromkeys(names),
    }
    return type(f"{kind.KIND}Recorded", (RecordEvent,), namespace)


EVENT_CLASSES: Final[dict[str, type[RecordEvent]]] = {}
for _kind in RECORD_KINDS:
    _cls = _event_class(_kind)
    EVENT_CLASSES[_kind.KIND] = _cls
    setattr(sys.modules[__name__], _cls.__name__, _cls)  # resolvable by topic
KIND_OF_TOPIC: Final = {f"{__name__}:{c.__qualname__}": k for k, c in EVENT_CLASSES.items()}


class Timelines(Application[UUID]):
    """The peer application: conflicts as aggregates."""


def make_app(sqlite_path: Path | None) -> Timelines:
    """An application in memory (``None``) or on an SQLite file."""
    if sqlite_path is None:
        env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    else:
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": os.fspath(sqlite_path),
        }
    return Timelines(env=env)


def conflict_of(record_id: str) -> str:
    """The aggregate a record belongs to: its conflict (``c12``) or ``world``."""
    head = record_id.split("-", 1)[0]
    return head if head.startswith("c") and head[1:].isdigit() else "world"


def build_aggregates(rows: Iterable[tuple[str, int, int, dict[str, Any]]]) -> list[Conflict]:
    """One aggregate per conflict, with one pending event per record.

    ``rows`` are ``(kind, occurred lo, occurred last, payload)``, in append order.
    """
    aggregates: dict[str, Conflict] = {}
    for kind, occ_lo, occ_last, payload in rows:
        key = conflict_of(payload["id"])
        aggregate = aggregates.get(key)
        if aggregate is None:
            aggregate = Conflict(key)
            aggregates[key] = aggregate
        aggregate.trigger_event(EVENT_CLASSES[kind], occ_lo=occ_lo, occ_last=occ_last, **payload)
    return list(aggregates.values())


def rebuild(app: Timelines) -> tuple[PlainViews, int]:
    """Fold every event into the two views with the bulk read API."""
    views = PlainViews()
    apply = views.apply
    to_domain_event = app.mapper.to_domain_event
    select = app.recorder.select_notifications
    kind_of = KIND_OF_TOPIC
    count = 0
    start = 1
    while True:
        page = select(start=start, limit=_PAGE)
        if not page:
            break
        for notification in page:
            kind = kind_of.get(notification.topic)
            if kind is None:  # the aggregates' own Created events
                continue
            event = to_domain_event(notification)
            state = event.__dict__
            apply(kind, state, state["occ_lo"], state["occ_last"])
        count += len(page)
        start = page[-1].id + 1
    return views, count
