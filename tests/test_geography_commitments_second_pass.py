"""Rules of ``_geography``, the ``Gazetteer``, ``ActiveCommitments``,
``CommitmentHistory`` and their ends (``views/_ends.py``) that a second hand-planted
mutation pass found unpinned, one hand-built case each.

The rules are those of docs/explanation/sovereignty.md, docs/explanation/violations.md
("When a commitment is in force", "Supersession and the winning end") and the
docstrings of the modules; every expected value is written out by hand from them,
never computed by the code under test.
"""

from __future__ import annotations

import itertools
from typing import Any

from conflict_timeline import (
    ActiveCommitments,
    ActorDefined,
    Commitment,
    CommitmentHistory,
    CommitmentStatus,
    PlaceDefined,
    affiliated,
)
from conflict_timeline._geography import Geography
from rule_kit import TWO_STATES, load, wire

# ------------------------------------------------------------------- walks


def test_a_cycle_of_parents_back_to_the_place_never_lists_the_place_itself() -> None:
    """``Geography.ancestors``: "The de jure parents of ``place``, nearest first (not
    ``place`` itself)", and a cycle "ends the walk rather than looping"
    (sovereignty.md)."""
    geo = Geography.of(
        [
            PlaceDefined(id="a", name="A", place_kind="town", parent="b"),
            PlaceDefined(id="b", name="B", place_kind="region", parent="a"),
        ]
    )
    assert list(itertools.islice(geo.ancestors("a"), 10)) == ["b"]
    assert list(itertools.islice(geo.ancestors("b"), 10)) == ["a"]


def test_a_cycle_of_affiliations_back_to_the_actor_never_lists_the_actor_itself() -> None:
    """``Geography.affiliations``: "The actors ``actor`` is affiliated with, nearest
    first (not itself)", and a cycle "ends the walk rather than looping"
    (sovereignty.md)."""
    geo = Geography.of(
        [
            ActorDefined(id="a", name="A", actor_kind="armed_force", affiliation="b"),
            ActorDefined(id="b", name="B", actor_kind="armed_force", affiliation="a"),
        ]
    )
    assert list(itertools.islice(geo.affiliations("a"), 10)) == ["b"]
    assert list(itertools.islice(geo.affiliations("b"), 10)) == ["a"]


# ------------------------------------------------------------------- definitions


def test_a_place_taken_in_again_keeps_its_latest_definition() -> None:
    """``Geography`` attributes: "places: Place id -> its (latest taken in)
    definition", whether taken in one at a time (``with_record``) or indexed
    (``Geography.of``)."""
    first = PlaceDefined(id="town", name="Town", place_kind="town", parent="west")
    moved = PlaceDefined(id="town", name="Town", place_kind="town", parent="east")
    geo = Geography().with_record(first).with_record(moved)
    assert geo.places["town"] == moved
    assert geo.is_within("town", "east")
    assert not geo.is_within("town", "west")
    indexed = Geography.of([first, moved])
    assert indexed.places["town"] == moved
    assert indexed.is_within("town", "east")


def test_an_actor_indexed_again_keeps_its_latest_definition() -> None:
    """``Geography`` attributes: "actors: Actor id -> its (latest taken in)
    definition"; ``Geography.of`` indexes the records in the order given."""
    first = ActorDefined(id="unit", name="Unit", actor_kind="armed_force", affiliation="west")
    moved = ActorDefined(id="unit", name="Unit", actor_kind="armed_force", affiliation="east")
    geo = Geography.of([first, moved])
    assert geo.actors["unit"] == moved
    assert affiliated("unit", "east", [first, moved])
    assert not affiliated("unit", "west", [first, moved])


# ------------------------------------------------------------------- ties of ends


def _truce(cid: str, occurred: str, effective: str, **fields: Any) -> Commitment:
    made: dict[str, Any] = {
        "commitment_kind": "ceasefire",
        "parties": ("north", "south"),
        "sources": wire("2020-02-10"),
        **fields,
    }
    return Commitment(id=cid, occurred=occurred, effective=effective, **made)


def test_a_tie_of_winning_ends_goes_to_the_smaller_id_whatever_the_replay_order() -> None:
    """violations.md: the winning end is "the smallest by (earliest instant of
    ``occurred``, explicit before implied, earliest instant of the knowledge time,
    id)". b1 and b2 both supersede ``a`` from 1 March and are known on 10 February;
    b2 was made first, so it is replayed first, but "b1~supersedes~a" is the smaller
    id."""
    tl = load(
        *TWO_STATES,
        _truce("a", "2020-01-01", "2020-01-01", sources=wire("2020-01-01")),
        _truce("b1", "2020-02-05", "2020-03-01", supersedes=("a",)),
        _truce("b2", "2020-02-01", "2020-03-01", supersedes=("a",)),
    )
    for at in ("2020-03-01", None):
        life = tl.state(CommitmentHistory, at=at).get("a")
        assert life is not None
        assert life.status is CommitmentStatus.ENDED
        assert life.ended is not None
        assert (life.ended.id, life.ended.superseded_by) == ("b1~supersedes~a", "b1")


def test_a_tie_of_closing_ends_goes_to_the_smaller_id_whatever_the_replay_order() -> None:
    """violations.md: the closing end is "the smallest by (last instant of
    ``occurred``, explicit before implied, earliest instant of the knowledge time,
    id)", and under ``certainty="certain"`` the end shown, when the winning end has not
    certainly happened, is the one with the earliest last instant "(ties as above)".
    b0 supersedes ``a`` from "2020-03" (the winning end, not over by 15 March); b1 and
    b2 from 10 March, tied but for their ids, b2 replayed first."""
    tl = load(
        *TWO_STATES,
        _truce("a", "2020-01-01", "2020-01-01", sources=wire("2020-01-01")),
        _truce("b0", "2020-02-01", "2020-03", supersedes=("a",), sources=wire("2020-02-01")),
        _truce("b1", "2020-02-05", "2020-03-10", supersedes=("a",)),
        _truce("b2", "2020-02-01", "2020-03-10", supersedes=("a",)),
    )
    life = tl.state(CommitmentHistory, at="2020-03-15", certainty="certain").get("a")
    assert life is not None
    assert life.status is CommitmentStatus.ENDED
    assert life.ended is not None
    assert (life.ended.id, life.ended.superseded_by) == ("b1~supersedes~a", "b1")
    assert "a" not in tl.state(ActiveCommitments, at="2020-03-15", certainty="certain").ids()
