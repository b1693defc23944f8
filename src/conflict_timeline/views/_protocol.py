"""What a view is: a fold over records in replay order, plus a result.

A view has an initial state, ``apply(state, recorded) -> state`` and
``result(state, query) -> R``. States must be immutable values (tuples, frozen attrs
classes, ``immutables.Map``): the engine keeps them as checkpoints and resumes from
them, so ``apply`` must return a new state rather than change the one it was given.
``result`` may depend on the query (``at``, ``certainty``) but ``apply`` must not:
that is what lets one checkpointed fold serve every date.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final, Literal, NamedTuple, Protocol, TypeVar, runtime_checkable

import attrs
import pendulum

from .._time import TimeExtent, from_epoch_us
from ..errors import QueryError
from ..stores import Recorded

__all__ = [
    "Certainty",
    "Glimpse",
    "GlimpseView",
    "Labels",
    "Projection",
    "Query",
    "Table",
    "Tabular",
    "View",
]

S = TypeVar("S")
R_co = TypeVar("R_co", covariant=True)

Certainty = Literal["possible", "certain"]

CORRECTION_KINDS: Final = frozenset({"Correction", "Retraction"})


def _cut(query: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A query's cut is epoch microseconds (an int) or None: dates are read by
    `Timeline.query`, which builds the query."""
    if value is not None and type(value) is not int:
        name = attribute.name
        msg = (
            f"Query.{name} must be an int (epoch microseconds) or None, got {value!r}; "
            f"Timeline.query({name}=...) reads a date"
        )
        raise QueryError(msg)


def _sure(query: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in ("possible", "certain"):
        msg = f"Query.certainty must be 'possible' or 'certain', got {value!r}"
        raise QueryError(msg)


@attrs.frozen
class Query:
    """The cuts a result is asked for, handed to ``result()``.

    Attributes:
        at: Valid-time cut, inclusive epoch microseconds; None means "no cut".
        known_at: Knowledge-time cut (epoch microseconds) or None.
        as_of: Store-position cut or None.
        certainty: ``"possible"``: an extent counts as happened by ``at`` (a
            report as known by ``known_at``) when its earliest instant is;
            ``"certain"``: when its last instant is.
        tz: The timezone the cuts were stated in (for display).
    """

    at: int | None = attrs.field(default=None, validator=_cut)
    known_at: int | None = attrs.field(default=None, validator=_cut)
    as_of: int | None = attrs.field(default=None, validator=_cut)
    certainty: Certainty = attrs.field(default="possible", validator=_sure)
    tz: str = "UTC"

    @property
    def certain(self) -> bool:
        """True when ``certainty == "certain"``."""
        return self.certainty == "certain"

    @property
    def at_datetime(self) -> pendulum.DateTime | None:
        """``at`` as a UTC datetime, or None."""
        return None if self.at is None else from_epoch_us(self.at)

    def happened(self, extent: TimeExtent | None) -> bool:
        """Has ``extent`` happened by ``at`` under this query's certainty?

        An absent extent never happened; with no ``at`` cut, every extent has.
        """
        if extent is None:
            return False
        if self.at is None:
            return True
        return (extent.last if self.certainty == "certain" else extent.lo) <= self.at

    def __repr__(self) -> str:
        def show(us: int | None) -> str:
            return "None" if us is None else repr(_show(us, self.tz))

        return (
            f"Query(at={show(self.at)}, known_at={show(self.known_at)}, as_of={self.as_of!r}, "
            f"certainty={self.certainty!r}, tz={self.tz!r})"
        )

    def describe(self) -> str:
        """The cuts in words, for printing."""
        parts = []
        if self.at is not None:
            parts.append(f"at {_show(self.at, self.tz)}")
        if self.known_at is not None:
            parts.append(f"as known at {_show(self.known_at, self.tz)}")
        if self.as_of is not None:
            parts.append(f"as of store position {self.as_of}")
        if self.certainty == "certain":
            parts.append(
                "replaying only records that certainly occurred and were reported by then"
            )
        return ", ".join(parts) or "everything recorded"


def _show(us: int, tz: str) -> str:
    return from_epoch_us(us).in_timezone(tz).isoformat()


@runtime_checkable
class View(Protocol[S, R_co]):
    """What a view is: a fold over records in replay order, plus a result.

    Implement it for your own views, by subclassing (``class MyView(View[S, R])``,
    which inherits ``kinds = None`` and a ``result`` that returns the state) or by
    writing a class with the same members (the protocol is structural).

    ``kinds`` names the record kinds the view reads (None: all); the engine skips the
    rest without decoding them. A record class stands for its name (``Attack`` for
    ``"Attack"``). Checked when the view is first folded: a name or class that is no
    record kind, a string instead of a set of names, or a lone class, is a
    `QueryError` naming the view, the value and the known kinds.
    """

    kinds: ClassVar[frozenset[str] | None] = None

    def initial(self) -> S:
        """The state before any record."""
        ...

    def apply(self, state: S, recorded: Recorded) -> S:
        """The state after ``recorded``; must not change ``state`` in place."""
        ...

    def result(self, state: S, query: Query) -> R_co:
        """The immutable answer for ``query`` from a folded state; by default the
        state itself."""
        del query
        return state  # type: ignore[return-value]  # S is R for views that do not override


class Glimpse(NamedTuple):
    """A record as a [`GlimpseView`][conflict_timeline.GlimpseView] folds it: where
    it stands in replay order and the few fields the view names, read from the
    stored JSON without building the record (or, for a corrected record, from its
    correction's decoded replacement).

    Attributes:
        id: The record's id.
        position: Its position in the store.
        occ_lo: ``occurred.lo``, in epoch microseconds.
        occ_last: ``occurred.last``.
        rep_lo: The ``lo`` of its knowledge time (``reported``, else when it was
            recorded), as `Recorded.reported` gives it.
        rep_last: That knowledge time's ``last``.
        values: The fields the view named for this kind, in that order, each as
            the record holds it (its default when the payload omits it).
    """

    id: str
    position: int
    occ_lo: int
    occ_last: int
    rep_lo: int
    rep_last: int
    values: tuple[Any, ...]


@runtime_checkable
class GlimpseView(View[S, R_co], Protocol[S, R_co]):
    """A view that folds some kinds from a few of their fields (optional).

    ``glimpses`` maps a record kind to the names of the fields the view reads of it,
    each a field whose value is a string or None (ids, mostly), or a dotted name
    ``outer.inner`` (``"codes.ucdp_type_of_violence"``): such a field of the value
    an optional field holds (None when that field is None). For those kinds the
    engine may call ``apply_glimpse`` with a [`Glimpse`][conflict_timeline.Glimpse]
    instead of ``apply`` with the decoded record: when the store hands out its
    payloads undecoded ([`PayloadReader`][conflict_timeline.stores.PayloadReader]),
    the record is replayed as stored, and its payload is of the schema version this
    library writes; or when a correction replaces the record, from the replacement
    the engine decoded when it took the correction in. Otherwise it calls ``apply``. Both
    must give the same state: that is what the engine relies on, and what the
    tests of each built-in glimpse view check against a fold of decoded records.

    Empty or None ``glimpses`` take none; so does a subclass that overrides
    ``apply`` but not ``apply_glimpse`` (its records are all decoded). A bad
    declaration is a `QueryError` when the view is first folded.
    """

    glimpses: ClassVar[Mapping[str, tuple[str, ...]]]

    def apply_glimpse(self, state: S, glimpse: Glimpse) -> S:
        """The state after the glimpsed record; the same as ``apply`` would give."""
        ...


Projection = View
"""The former name of [`View`][conflict_timeline.View] (kept as an alias: the same protocol)."""


@attrs.frozen
class Table:
    """A result as rows of text, for the command line's table output.

    Attributes:
        columns: The column headings.
        rows: One tuple of cells per entry, as many as ``columns``.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@runtime_checkable
class Labels(Protocol):
    """How a table names the actors and places its entries refer to by id.

    The command line passes the timeline's names (from its ``ActorDefined`` and
    ``PlaceDefined`` records, as ``events`` shows them); each method gives the id
    itself for what it cannot name. Tables only: JSON and CSV keep the ids.
    """

    def actor(self, actor_id: str | None) -> str:
        """The actor's name, or its id."""
        ...

    def place(self, place_id: str | None) -> str:
        """The place's name, or its id ("" for None)."""
        ...


@runtime_checkable
class Tabular(Protocol):
    """A result the command line can print as a table: it gives its own rows."""

    def table(self) -> Table:
        """The result's columns and one row of cells per entry."""
        ...
