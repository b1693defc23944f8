"""What changed in a view's answer between two knowledge dates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final, Generic, Literal, TypeVar, get_args

import attrs

from .errors import QueryError
from .views import Listing, Query, Tabular

__all__ = ["Change", "Changes", "compare"]

T = TypeVar("T")

Sort = Literal["entered", "left", "changed"]
"""What happened to an entry between the two knowledge cuts."""

SORTS: Final[tuple[str, ...]] = get_args(Sort)


@attrs.frozen
class Change(Generic[T]):
    """One entry that entered, left or changed.

    Attributes:
        id: The entry's id (for a table, its ``id`` column; without one, its first
            cell).
        what: ``"entered"``, ``"left"`` or ``"changed"``.
        before: The entry as known at ``known_from`` (None when it entered).
        after: The entry as known at ``known_to`` (None when it left).
    """

    id: str
    what: Sort
    before: T | None
    after: T | None


@attrs.frozen
class Changes(Generic[T]):
    """A view's answer at one ``at``, compared between two knowledge cuts.

    Attributes:
        items: The changes, ordered by id, then entered / changed / left.
        before: The query of the earlier knowledge cut.
        after: The query of the later one.
    """

    items: tuple[Change[T], ...]
    before: Query
    after: Query

    def __iter__(self) -> Iterator[Change[T]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def of(self, what: Sort) -> tuple[Change[T], ...]:
        """The changes of one sort: ``"entered"``, ``"left"`` or ``"changed"``.

        Raises:
            QueryError: for any other sort (a typo would pick nothing, silently).
        """
        if what not in SORTS:
            msg = f"Changes.of: {what!r} is no sort of change; the sorts: {', '.join(SORTS)}"
            raise QueryError(msg)
        return tuple(c for c in self.items if c.what == what)


_ORDER = {"entered": 0, "changed": 1, "left": 2}


def _keyed(result: Any, view: str) -> dict[str, Any]:
    if isinstance(result, Listing):
        return {str(getattr(item, "id")): item for item in result}  # noqa: B009 - generic
    if isinstance(result, Tabular):
        table = result.table()
        # A table with an ``id`` column (the gazetteer's: its first cell is the
        # record kind, shared by every actor) is matched by it; others by the first cell.
        at = table.columns.index("id") if "id" in table.columns else 0
        keyed: dict[str, Any] = {}
        for row in table.rows:
            key = str(row[at])
            if key in keyed:
                msg = (
                    f"changes() matches entries by id; the view {view}'s table has "
                    f"{key!r} in more than one row (column {at + 1})"
                )
                raise QueryError(msg)
            keyed[key] = tuple(row)
        return keyed
    msg = (
        f"changes() compares entries with ids; the view {view} gives a "
        f"{type(result).__name__}, which is neither a Listing nor a table"
    )
    raise QueryError(msg)


def compare(before: Any, after: Any, view: str, queries: tuple[Query, Query]) -> Changes[Any]:
    """The entries that entered, left or changed between two results of one view.

    Entries are matched by id (a ``Listing``'s entries' ``id``; a table's ``id``
    column, else its first cell; a key in two rows of a table is refused) and
    compared whole: an entry whose any field differs (status, sources, a provision
    list...) has changed.
    """
    old, new = _keyed(before, view), _keyed(after, view)
    out: list[Change[Any]] = []
    for key in old.keys() | new.keys():
        a, b = old.get(key), new.get(key)
        if a is None:
            out.append(Change(key, "entered", None, b))
        elif b is None:
            out.append(Change(key, "left", a, None))
        elif a != b:
            out.append(Change(key, "changed", a, b))
    out.sort(key=lambda c: (c.id, _ORDER[c.what]))
    return Changes(tuple(out), queries[0], queries[1])
