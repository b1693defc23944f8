"""Rules of `Listing` (``views/_listing.py``) that the twelfth mutation run found
unpinned (docs/testing.md, "The twelfth run"). The rules are those of the `Listing`
docstring; the expected values are written out by hand from them.
"""

from __future__ import annotations

import copy
import pickle
import warnings
from pathlib import Path

import pytest

from conflict_timeline import (
    ActorDefined,
    CheckpointWarning,
    Listing,
    Query,
    ReportedViolations,
    Timeline,
)


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


class _MyListing(Listing):  # a user's subclass, as `takes_names`' docstring allows
    pass


def test_a_subclass_of_listing_pickles_and_copies_as_itself() -> None:
    made = _MyListing(("a", "b"), Query())
    for back in (pickle.loads(pickle.dumps(made)), copy.copy(made), copy.deepcopy(made)):
        assert type(back) is _MyListing
        assert back == made


def test_a_listing_of_a_subclass_differs_from_a_plain_one() -> None:
    """Listings are equal when of the same class, with the same entries and query."""
    assert _MyListing(("a",), Query()) != Listing(("a",), Query())
    assert Listing(("a",), Query()) != _MyListing(("a",), Query())


def test_an_empty_saved_answer_is_read_back_empty_without_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with Timeline.open(path) as timeline:
        timeline.append(ActorDefined(id="az", name="Azerbaijan", actor_kind="state"))
        timeline.save_checkpoints(ReportedViolations)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with Timeline.open(path) as timeline:
            found = timeline.state(ReportedViolations)
            assert len(found) == 0
            assert found.items == ()
            assert list(found) == []
    assert [w for w in caught if issubclass(w.category, CheckpointWarning)] == []
