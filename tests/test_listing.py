"""`Listing`: an ordered, immutable result, built whole or read a page at a time.

The rules (the `Listing` docstring): a paged listing (`Listing.paged`, what a saved
answer gives) is the listing of its entries in every way a caller can tell (equal,
same hash, same repr, indexes, slices, ids, lookups, table, pickles as one); it
knows its length without building an entry, builds a page only when it is read,
keeps none of the pages an iteration passed, and ``items`` builds them all once.
The oracle is a tuple of the same entries.
"""

from __future__ import annotations

import datetime as dt
import gc
import pickle
import weakref

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_timeline import ActiveCommitments, Listing, Query, Timeline, datasets
from conflict_timeline.views import Labels, NamedRow, Table, table_cells
from conflict_timeline.views._listing import listed


@attrs.frozen
class Entry:
    id: str
    n: int

    table_columns = ("id", "n")

    def table_row(self) -> tuple[str, ...]:
        return (self.id, str(self.n))


class CountedPages:
    """Pages of ``entries``, counting each page built."""

    def __init__(self, entries: tuple[Entry, ...], size: int) -> None:
        self.entries = entries
        self.size = size
        self.count = len(entries)
        self.built: list[int] = []

    def page(self, number: int) -> tuple[Entry, ...]:
        self.built.append(number)
        return self.entries[number * self.size : (number + 1) * self.size]


QUERY = Query(at=5)
entries_st = st.lists(st.integers(0, 50), max_size=12).map(
    lambda ns: tuple(Entry(f"e{i}", n) for i, n in enumerate(ns))
)


@given(entries=entries_st, size=st.integers(1, 5))
def test_a_paged_listing_is_the_listing_of_its_entries(
    entries: tuple[Entry, ...], size: int
) -> None:
    paged = Listing.paged(CountedPages(entries, size), QUERY)
    whole = Listing(entries, QUERY)
    assert len(paged) == len(entries)
    assert list(paged) == list(entries)
    for index in range(-len(entries), len(entries)):
        assert paged[index] == entries[index]
    for bad in (len(entries), -len(entries) - 1):
        with pytest.raises(IndexError):
            paged[bad]
    assert paged[1:3] == entries[1:3]
    assert paged.ids() == tuple(e.id for e in entries)
    for entry in entries:
        assert paged.get(entry.id) == entry
        assert entry.id in paged
    assert paged.get("missing") is None
    assert "missing" not in paged
    assert paged.table() == whole.table()
    assert paged == whole
    assert whole == paged
    assert hash(paged) == hash(whole)
    assert repr(paged) == repr(whole)
    assert pickle.loads(pickle.dumps(paged)) == whole
    assert paged.items == entries


def test_a_listing_refuses_an_index_in_the_same_words_built_whole_or_paged() -> None:
    """Built whole (a fold) or paged (a saved answer), a listing refuses a position
    past its end in the same words, and an id used as an index saying to ``get`` it
    (the whole one said "tuple index out of range", "tuple indices must be ...")."""
    entries = tuple(Entry(f"e{i}", i) for i in range(3))
    for listing in (Listing(entries, QUERY), Listing.paged(CountedPages(entries, 2), QUERY)):
        with pytest.raises(IndexError, match=r"^listing index out of range$"):
            listing[3]
        with pytest.raises(IndexError, match=r"^listing index out of range$"):
            listing[-4]
        with pytest.raises(
            TypeError,
            match=r"^a listing is indexed by position \(an int\) or a slice; look an entry "
            r"up by its id with \.get\('e1'\)$",
        ):
            listing["e1"]  # type: ignore[call-overload]
        assert listing.get("e1") == entries[1]
        assert listing[-1] == entries[2]


@given(entries=entries_st.filter(bool), size=st.integers(1, 5))
def test_listings_differ_by_entries_and_by_query(entries: tuple[Entry, ...], size: int) -> None:
    paged = Listing.paged(CountedPages(entries, size), QUERY)
    assert paged != Listing(entries[:-1], QUERY)
    assert paged != Listing((*entries[:-1], Entry("other", -1)), QUERY)
    assert paged != Listing(entries, Query(at=6))
    assert paged != entries  # a listing is not its tuple


def test_pages_are_built_when_read_and_not_kept_by_an_iteration() -> None:
    entries = tuple(Entry(f"e{i}", i) for i in range(7))
    pages = CountedPages(entries, 3)
    paged = Listing.paged(pages, QUERY)
    assert len(paged) == 7
    assert pages.built == []
    assert paged[4] == entries[4]
    assert paged[5] == entries[5]  # the same page: built once for both
    assert pages.built == [1]
    pages.built.clear()
    iterator = iter(paged)
    assert next(iterator) == entries[0]
    assert pages.built == [0]  # only the page read so far
    assert list(iterator) == list(entries[1:])
    assert list(paged) == list(entries)
    assert pages.built == [0, 1, 2, 0, 1, 2]  # each iteration builds them again
    pages.built.clear()
    assert paged.get("e5") == entries[5]
    assert "e0" in paged
    assert pages.built == [0, 1, 2]  # a lookup builds them all, once, and keeps them
    pages.built.clear()
    assert paged.items == entries
    assert list(paged) == list(entries)
    assert paged[6] == entries[6]
    assert pages.built == []  # kept since the lookup


class FreshPages(CountedPages):
    """Pages whose entries are made anew each time a page is built."""

    def page(self, number: int) -> tuple[Entry, ...]:
        return tuple(attrs.evolve(e) for e in super().page(number))


def test_an_iteration_keeps_no_page_it_has_passed() -> None:
    entries = tuple(Entry(f"e{i}", i) for i in range(6))
    paged = Listing.paged(FreshPages(entries, 2), QUERY)
    iterator = iter(paged)
    first = weakref.ref(next(iterator))
    assert [next(iterator) for _ in range(3)] == list(entries[1:4])  # now on page 1
    gc.collect()
    assert first() is None  # nothing of page 0 is held by the listing or the iteration


def test_a_listing_is_frozen() -> None:
    listing = Listing((Entry("a", 1),), QUERY)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        listing.query = Query()  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del listing.query  # type: ignore[misc]


# A listing of (1, 2) at Query(), as the release whose Listing was an attrs class
# pickled it (its fields by name): a user's pickled results still load.
_PICKLED_BEFORE: bytes = (
    b"\x80\x04\x95\xc1\x00\x00\x00\x00\x00\x00\x00\x8c conflict_timeline.views._listing"
    b"\x94\x8c\x07Listing\x94\x93\x94)\x81\x94}\x94(\x8c\x05items\x94K\x01K\x02\x86\x94"
    b"\x8c\x05query\x94\x8c!conflict_timeline.views._protocol\x94\x8c\x05Query\x94\x93"
    b"\x94)\x81\x94}\x94(\x8c\x02at\x94N\x8c\x08known_at\x94N\x8c\x05as_of\x94N\x8c\t"
    b"certainty\x94\x8c\x08possible\x94\x8c\x02tz\x94\x8c\x03UTC\x94ubub."
)


def test_a_listing_pickled_by_the_attrs_release_loads() -> None:
    loaded = pickle.loads(_PICKLED_BEFORE)
    assert loaded == Listing((1, 2), Query())
    assert list(loaded) == [1, 2]


def test_a_listing_matches_by_its_fields_and_is_weakly_referenced() -> None:
    entries = (Entry("a", 1), Entry("b", 2))
    for listing in (Listing(entries, QUERY), Listing.paged(CountedPages(entries, 1), QUERY)):
        match listing:
            case Listing(items, query):
                assert (items, query) == (entries, QUERY)
            case _:  # pragma: no cover - the assertion below says it
                pytest.fail("a listing did not match Listing(items, query)")
        assert weakref.ref(listing)() is listing


class Upper:
    """Labels that name an actor or place by its id in capitals."""

    def actor(self, actor_id: str | None) -> str:
        return (actor_id or "").upper()

    def place(self, place_id: str | None) -> str:
        return (place_id or "").upper()


@attrs.frozen
class Party:
    id: str
    actor: str

    table_columns = ("id", "actor")
    named_columns = ("actor",)

    def table_row(self, names: Labels | None = None) -> tuple[str, ...]:
        return (self.id, self.actor if names is None else names.actor(self.actor))


def test_a_table_given_names_shows_them_only_in_the_named_columns_of_rows_that_take_them() -> None:
    """``Listing.table(names)``: a NamedRow (one with ``named_columns``) is given the
    labels; a Row of its own (``table_row()`` with no parameter) still gives its ids
    rather than fail; no names, ids everywhere."""
    assert isinstance(Upper(), Labels)
    named = Listing((Party("p1", "armenia"), Party("p2", "russia")), QUERY)
    assert isinstance(named[0], NamedRow)
    assert named.table(Upper()).rows == (("p1", "ARMENIA"), ("p2", "RUSSIA"))
    assert named.table().rows == (("p1", "armenia"), ("p2", "russia"))
    plain = Listing((Entry("e1", 3),), QUERY)
    assert not isinstance(plain[0], NamedRow)
    assert plain.table(Upper()) == plain.table()
    assert table_cells(Party("p1", "armenia"), Upper()) == ("p1", "ARMENIA")
    assert table_cells(Entry("e1", 3), Upper()) == ("e1", "3")


class Sided(Party):
    """A user's subclass of an entry that takes names, whose own ``table_row`` takes
    none (it inherits ``named_columns``)."""

    def table_row(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.id, f"side {self.actor}")


def test_a_subclass_whose_table_row_takes_no_names_gets_none() -> None:
    """An entry whose class's ``table_row`` takes no names is asked for its row
    without them, even when it inherits ``named_columns``: its table shows what its
    own row says, never a TypeError."""
    listing = Listing((Sided("p1", "armenia"),), QUERY)
    assert listing.table(Upper()).rows == (("p1", "side armenia"),)
    assert table_cells(Sided("p1", "armenia"), Upper()) == ("p1", "side armenia")


class Shouted(Listing[Party]):
    """A user's listing whose own ``table`` takes no names."""

    def table(self) -> Table:  # type: ignore[override]
        return Table(("id", "who"), tuple((p.id, p.actor.upper()) for p in self))


def test_the_cli_asks_a_listing_whose_table_takes_no_names_without_them() -> None:
    """The command line shows a user's listing that overrides ``table(self)`` as its
    own table says (never a TypeError), and a plain listing with names."""
    from conflict_timeline import _cli

    own = _cli._table("toy", Shouted((Party("p1", "armenia"),), QUERY), Upper())
    assert own.splitlines()[-1].split() == ["p1", "ARMENIA"]
    named = _cli._table("toy", Listing((Party("p1", "armenia"),), QUERY), Upper())
    assert named.splitlines()[-1].split() == ["p1", "ARMENIA"]
    plain = _cli._table("toy", Listing((Party("p1", "armenia"),), QUERY), None)
    assert plain.splitlines()[-1].split() == ["p1", "armenia"]


def test_a_name_holding_a_comma_is_quoted_in_a_cell_of_several() -> None:
    """Several actors in one cell are ", "-separated; a name holding a comma (or
    starting with a double quote) is quoted as CSV quotes a cell, its quotes doubled,
    so the cell still says how many actors it names."""
    assert listed(["Armenia", "Russia"]) == "Armenia, Russia"
    assert listed(["Congo, Democratic Republic", "Rwanda"]) == (
        '"Congo, Democratic Republic", Rwanda'
    )
    assert listed(['"Front", the', 'The "Front"']) == '"""Front"", the", The "Front"'
    # A name that starts with a quote is quoted even with no comma: read as CSV,
    # '"Front" Rwanda' unquoted would lose its quotes.
    assert listed(['"Front" Rwanda', "Chad"]) == '"""Front"" Rwanda", Chad'
    assert listed([]) == ""


class Formal:
    """Labels that name each actor by a formal name holding a comma."""

    def actor(self, actor_id: str | None) -> str:
        return f"{(actor_id or '').title()}, Republic of"

    def place(self, place_id: str | None) -> str:
        return place_id or ""


def test_the_built_in_tables_quote_a_party_name_holding_a_comma() -> None:
    """The parties of an active commitment, as its table shows them with names."""
    timeline = Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    active = timeline.state(ActiveCommitments, at=dt.datetime(2020, 10, 31, tzinfo=dt.UTC))
    pact = next(entry for entry in active if entry.id == "pact-1997")
    row = dict(zip(pact.table_columns, pact.table_row(Formal()), strict=True))
    assert row["parties"] == '"Armenia, Republic of", "Russia, Republic of"'
