"""The result most views give: an ordered, immutable listing of entries."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar, Generic, Protocol, TypeVar, overload, runtime_checkable

import attrs

from ._protocol import Labels, Query, Table

__all__ = ["Listing", "NamedRow", "Pages", "Row", "listed", "table_cells", "takes_names"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@runtime_checkable
class Row(Protocol):
    """An entry of a [`Listing`][conflict_timeline.Listing] that can print itself as one table
    row."""

    table_columns: ClassVar[tuple[str, ...]]

    def table_row(self) -> tuple[str, ...]:
        """The entry's cells, one per ``table_columns`` heading."""
        ...


@runtime_checkable
class NamedRow(Protocol):
    """A [`Row`][conflict_timeline.views.Row] that can show names for the ids in some
    of its columns (``named_columns``): given [`Labels`][conflict_timeline.views.Labels],
    its ``table_row`` names the actors and places there; without, it gives the ids."""

    table_columns: ClassVar[tuple[str, ...]]
    named_columns: ClassVar[tuple[str, ...]]

    def table_row(self, names: Labels | None = None) -> tuple[str, ...]:
        """The entry's cells, one per ``table_columns`` heading."""
        ...


def table_cells(entry: Row, names: Labels | None = None) -> tuple[str, ...]:
    """``entry``'s table row, with names for ids where it can show them (a
    [`NamedRow`][conflict_timeline.views.NamedRow] given ``names``), ids otherwise."""
    if names is not None and isinstance(entry, NamedRow) and takes_names(type(entry).table_row):
        return entry.table_row(names)
    return entry.table_row()


def listed(items: Iterable[str], names: Labels | None = None) -> str:
    """Items of one table cell (parties, accused, signatories), ``", "``-separated;
    with ``names``, the items are actor ids, each shown by its name.

    An item holding a comma, or starting with a double quote, is quoted as CSV quotes
    a cell (its own quotes doubled): ``"Congo, Democratic Republic", Rwanda`` is two
    actors, where unquoted it would read as three.
    """
    if names is not None:
        items = map(names.actor, items)
    return ", ".join(
        f'"{item.replace(chr(34), chr(34) * 2)}"' if "," in item or item.startswith('"') else item
        for item in items
    )


@functools.cache
def takes_names(method: Callable[..., Any]) -> bool:
    """Does ``method``, a class's own (``Row.table_row``, ``Listing.table``), take
    names after ``self``? A user's subclass of a built-in entry or listing may override
    it as ``table_row(self)`` or ``table(self)``: it is asked without them."""
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False
    return len(parameters) >= 2 or any(
        p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters.values()
    )


class Pages(Protocol[T_co]):
    """Where a listing made before its entries (`Listing.paged`) reads them: the
    entries come in pages of ``size`` (the last may be shorter), each built when read."""

    size: int
    count: int

    def page(self, number: int) -> tuple[T_co, ...]:
        """Page ``number``'s entries (0 is the first)."""
        ...


class Listing(Generic[T]):
    """An immutable, ordered result: iterate it, index it by position or look up by id.

    A listing compares, hashes and pickles by its entries and query. Some are
    *paged* (`Listing.paged`): they know how many entries they have, and build them
    when they are first read. One answered from a saved answer (the open question of
    a view that saves its answer, see docs/howto/checkpoints.md) builds them a page
    at a time (iterating it keeps no page it has passed; indexing keeps the last page
    it read); an unfiltered `ReportedViolations` answer puts every entry in order
    when one is first read, and keeps them. ``items`` builds them all, once, and
    keeps them; so does comparing, hashing, printing, pickling or slicing it, or
    looking an entry up by id.

    Attributes:
        items: The entries, in the view's documented order.
        query: The cuts the result answers.
    """

    __slots__ = ("__weakref__", "_items", "_last", "_pages", "query")
    __match_args__ = ("items", "query")

    _items: tuple[T, ...] | None
    _pages: Pages[T] | None
    _last: tuple[int, tuple[T, ...]] | None
    query: Query

    def __init__(self, items: Iterable[T], query: Query) -> None:
        self._fill(tuple(items), None, query)

    @classmethod
    def paged(cls, pages: Pages[T], query: Query) -> Listing[T]:
        """A listing whose entries are read from ``pages`` when first needed."""
        made: Listing[T] = cls.__new__(cls)
        made._fill(None, pages, query)
        return made

    def _fill(self, items: tuple[T, ...] | None, pages: Pages[T] | None, query: Query) -> None:
        """Set the slots (once: the listing is frozen after)."""
        _set(self, "_items", items)
        _set(self, "_pages", pages)
        _set(self, "_last", None)
        _set(self, "query", query)

    @property
    def items(self) -> tuple[T, ...]:
        """The entries, in the view's documented order."""
        found = self._items
        if found is None:
            # ``_pages`` stays set: another thread may be between reading ``_items``
            # (None) and ``_pages``.
            pages = self._pages
            assert pages is not None
            found = pages.page(0) if _one_page(pages) else tuple(_paged(pages))
            _set(self, "_items", found)
        return found

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __reduce__(self) -> tuple[Callable[..., Listing[T]], tuple[Any, ...]]:
        return (type(self), (self.items, self.query))

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Read a listing pickled when it was an attrs class (its fields by name)."""
        self._fill(tuple(state["items"]), None, state["query"])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Listing)
        return bool(
            self.query == other.query and len(self) == len(other) and self.items == other.items
        )

    def __hash__(self) -> int:
        return hash((self.items, self.query))

    def __repr__(self) -> str:
        return f"Listing(items={self.items!r}, query={self.query!r})"

    def __iter__(self) -> Iterator[T]:
        found = self._items
        if found is not None:
            return iter(found)
        pages = self._pages
        assert pages is not None
        return _paged(pages)

    def __len__(self) -> int:
        found = self._items
        if found is not None:
            return len(found)
        assert self._pages is not None
        return self._pages.count

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, str):
            msg = (
                "a listing is indexed by position (an int) or a slice; look an entry up "
                f"by its id with .get({index!r})"
            )
            raise TypeError(msg)
        found = self._items
        if found is not None or not isinstance(index, int):
            try:
                return self.items[index]
            except IndexError:  # the words of a paged listing, whichever was built
                msg = "listing index out of range"
                raise IndexError(msg) from None
        pages = self._pages
        assert pages is not None
        count = pages.count
        if not -count <= index < count:
            msg = "listing index out of range"
            raise IndexError(msg)
        index %= count
        number = index // pages.size
        last = self._last
        if last is None or last[0] != number:
            last = (number, pages.page(number))
            _set(self, "_last", last)
        return last[1][index - number * pages.size]

    def ids(self) -> tuple[str, ...]:
        """The id of each entry, in order."""
        return tuple(getattr(item, "id") for item in self)  # noqa: B009 - T is generic

    def get(self, item_id: str) -> T | None:
        """The entry with that id, or None (a paged listing builds its entries for
        it, once, as ``items`` does: lookups come in numbers)."""
        for item in self.items:
            if getattr(item, "id") == item_id:  # noqa: B009 - T is generic
                return item
        return None

    def __contains__(self, item_id: object) -> bool:
        return isinstance(item_id, str) and self.get(item_id) is not None

    def table(self, names: Labels | None = None) -> Table:
        """The entries as a table: each entry gives its row (see `Row`).

        An empty listing has no columns. With ``names``, an entry that can (a
        `NamedRow`) shows names for the actor and place ids in its ``named_columns``.
        """
        rows: list[Row] = []
        for item in self:
            if not isinstance(item, Row):
                msg = f"{type(item).__name__} entries give no table row (no table_row())"
                raise TypeError(msg)
            rows.append(item)
        if not rows:
            return Table((), ())
        return Table(rows[0].table_columns, tuple(table_cells(row, names) for row in rows))


def _one_page(pages: Pages[T]) -> bool:
    """Do ``pages`` hold one page, a whole non-empty answer?"""
    return 0 < pages.count <= pages.size


def _paged(pages: Pages[T]) -> Iterator[T]:
    if _one_page(pages):  # its own iterator is faster than a generator's
        return iter(pages.page(0))
    return _each_page(pages)


def _each_page(pages: Pages[T]) -> Iterator[T]:
    for number in range(-(-pages.count // pages.size)):
        yield from pages.page(number)


_set: Callable[[object, str, object], None] = object.__setattr__
