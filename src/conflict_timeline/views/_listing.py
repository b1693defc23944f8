"""The result most views give: an ordered, immutable listing of entries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, Generic, Protocol, TypeVar, runtime_checkable

import attrs

from ._protocol import Query, Table

__all__ = ["Listing", "Row"]

T = TypeVar("T")


@runtime_checkable
class Row(Protocol):
    """An entry of a [`Listing`][conflict_timeline.Listing] that can print itself as one table
    row."""

    table_columns: ClassVar[tuple[str, ...]]

    def table_row(self) -> tuple[str, ...]:
        """The entry's cells, one per ``table_columns`` heading."""
        ...


@attrs.frozen
class Listing(Generic[T]):
    """An immutable, ordered result: iterate it, index it by position or look up by id.

    Attributes:
        items: The entries, in the view's documented order.
        query: The cuts the result answers.
    """

    items: tuple[T, ...]
    query: Query

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> T:
        return self.items[index]

    def ids(self) -> tuple[str, ...]:
        """The id of each entry, in order."""
        return tuple(getattr(item, "id") for item in self.items)  # noqa: B009 - T is generic

    def get(self, item_id: str) -> T | None:
        """The entry with that id, or None."""
        for item in self.items:
            if getattr(item, "id") == item_id:  # noqa: B009 - T is generic
                return item
        return None

    def __contains__(self, item_id: object) -> bool:
        return isinstance(item_id, str) and self.get(item_id) is not None

    def table(self) -> Table:
        """The entries as a table: each entry gives its row (see `Row`).

        An empty listing has no columns.
        """
        rows: list[Row] = []
        for item in self.items:
            if not isinstance(item, Row):
                msg = f"{type(item).__name__} entries give no table row (no table_row())"
                raise TypeError(msg)
            rows.append(item)
        if not rows:
            return Table((), ())
        return Table(rows[0].table_columns, tuple(row.table_row() for row in rows))
