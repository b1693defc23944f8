"""Rules of `Listing` (``views/_listing.py``) that the twelfth mutation run found
unpinned (docs/testing.md, "The twelfth run"). The rules are those of the `Listing`
docstring; the expected values are written out by hand from them.
"""

from __future__ import annotations

import pytest

from conflict_timeline import Listing, Query


class _Pages:
    """Pages of two entries from ``entries``."""

    size = 2

    def __init__(self, entries: tuple[int, ...]) -> None:
        self.entries = entries
        self.count = len(entries)

    def page(self, number: int) -> tuple[int, ...]:
        return self.entries[number * 2 : number * 2 + 2]


def test_a_listing_hashes_by_its_entries_and_its_query() -> None:
    """Listings that differ in an entry or in the query hash apart (a collision
    among these few is practically impossible); equal ones alike, paged or not."""
    query = Query(at=5)
    hashes = {hash(Listing((n,), query)) for n in range(20)}
    assert len(hashes) == 20
    assert hash(Listing((1,), query)) != hash(Listing((1,), Query(at=6)))
    assert hash(Listing.paged(_Pages((1, 2, 3)), query)) == hash(Listing((1, 2, 3), query))


def test_an_index_past_either_end_of_a_paged_listing_is_refused() -> None:
    paged = Listing.paged(_Pages((1, 2, 3)), Query())
    assert (paged[-3], paged[2]) == (1, 3)
    for index in (3, -4):
        with pytest.raises(IndexError, match=r"^listing index out of range$"):
            paged[index]
