"""Places, control, affiliation, the Gazetteer and the Agreements view, one rule at a
time, on hand-built records.

The rules are those of docs/explanation/sovereignty.md, docs/explanation/agreements.md,
docs/explanation/semantics.md ("The latest control change wins, wherever it was
recorded") and the docstrings of ``conflict_timeline._geography``, the ``Gazetteer``
and the ``Agreements`` view; every expected value is written from them, never computed
by the code under test. Found unpinned by the sixth mutation run (docs/testing.md).
"""

from __future__ import annotations

import itertools
from typing import Any

import pendulum
import pytest

from conflict_timeline import (
    ActorDefined,
    Agreement,
    Agreements,
    Commitment,
    ControlChanged,
    Gazetteer,
    PlaceDefined,
    QueryError,
    Source,
    TimeExtent,
    Timeline,
    controller,
)
from conflict_timeline._geography import Geography
from conflict_timeline.stores import Recorded
from conflict_timeline.views._protocol import Query

SOURCE = (Source(publisher="test", published="2000-01-01"),)
PLACES = [
    PlaceDefined(id="country", name="Country", place_kind="country"),
    PlaceDefined(id="region", name="Region", place_kind="region", parent="country"),
    PlaceDefined(
        id="town", name="Town", place_kind="town", parent="region", aliases=("Old Town",)
    ),
]
ACTORS = [
    ActorDefined(id="state", name="State", actor_kind="state"),
    ActorDefined(id="army", name="Army", actor_kind="armed_force", affiliation="state"),
    ActorDefined(
        id="unit", name="Unit", actor_kind="armed_force", affiliation="army", aliases=("U-1",)
    ),
    ActorDefined(id="rebels", name="Rebels", actor_kind="armed_force"),
]


def _change(cid: str, occurred: str, place: str, holder: str) -> ControlChanged:
    return ControlChanged(id=cid, occurred=occurred, place=place, controller=holder)


def _us(text: str) -> int:
    return TimeExtent.parse(text).last


# ------------------------------------------------------------------- control


def test_control_is_judged_at_the_cut_whatever_order_the_changes_came_in() -> None:
    # Taken in newest first: a change not yet happened does not hide an older one.
    geo = Geography.of(
        [
            *PLACES,
            _change("c-2010", "2010-01-01", "town", "state"),
            _change("c-2000", "2000-01-01", "town", "rebels"),
        ]
    )
    assert geo.controller("town", _us("1999-12-31")) is None
    assert geo.controller("town", _us("2005-06-01")) == "rebels"
    assert geo.controller("town", _us("2010-01-01")) == "state"


def test_a_tie_in_time_goes_to_the_smaller_area_then_the_larger_id_in_any_order() -> None:
    # sovereignty.md: "a tie goes to the change on the smaller area, then to the
    # larger record id, whatever order the changes were recorded in".
    on_region = _change("c-9", "2000-01-01", "region", "state")
    on_town = _change("c-1", "2000-01-01", "town", "rebels")
    same_a = _change("c-a", "2005-01-01", "town", "state")
    same_b = _change("c-b", "2005-01-01", "town", "rebels")
    for order in itertools.permutations([on_region, on_town]):
        geo = Geography.of([*PLACES, *order])
        assert geo.controller("town", _us("2001-01-01")) == "rebels"  # the town's own
        assert geo.controller("region", _us("2001-01-01")) == "state"
    for order in itertools.permutations([same_a, same_b]):
        geo = Geography.of([*PLACES, *order])
        assert geo.controller("town", _us("2006-01-01")) == "rebels"  # "c-b" > "c-a"
        timeline = Timeline()
        timeline.append(*PLACES, *ACTORS, *order)
        assert timeline.state(Gazetteer, at="2006-01-01").controller("town") == "rebels"


def test_the_default_certainty_counts_a_change_that_possibly_happened() -> None:
    geo = Geography.of([*PLACES, _change("c", "2000-05", "town", "rebels")])
    mid_may = _us("2000-05-10")
    assert geo.controller("town", mid_may) == "rebels"
    assert geo.controller("town", mid_may, certain=True) is None
    assert geo.controller("town", _us("2000-05"), certain=True) == "rebels"
    timeline = Timeline()
    timeline.append(*PLACES, *ACTORS, _change("c", "2000-05", "town", "rebels"))
    assert timeline.state(Gazetteer, at="2000-05-10").controller("town") == "rebels"
    assert (
        timeline.state(Gazetteer, at="2000-05-10", certainty="certain").controller("town") is None
    )


def test_a_dated_cut_ends_with_the_day_in_the_zone_given() -> None:
    # 22:00 UTC on 31 October is already 1 November in Yerevan (UTC+4).
    records = [*PLACES, _change("c", "2020-10-31T22:00:00+00:00", "town", "rebels")]
    assert controller("town", "2020-10-31", records) == "rebels"
    assert controller("town", "2020-10-31", records, tz="Asia/Yerevan") is None
    assert controller("town", "2020-11-01", records, tz="Asia/Yerevan") == "rebels"


def test_the_gazetteer_gives_control_at_its_cut_and_the_latest_without_one() -> None:
    timeline = Timeline()
    timeline.append(
        *PLACES,
        *ACTORS,
        _change("c-2000", "2000-01-01", "region", "rebels"),
        _change("c-2010", "2010-01-01", "region", "state"),
    )
    assert timeline.state(Gazetteer, at="2005-01-01").controller("town") == "rebels"
    assert timeline.state(Gazetteer).controller("town") == "state"
    assert timeline.state(Gazetteer, at="1999-01-01").controller("town") is None
    # The result says which cuts it answers.
    answered = timeline.state(Gazetteer, at="2005-01-01", certainty="certain").query
    assert (answered.at, answered.certainty) == (_us("2005-01-01"), "certain")


# --------------------------------------------------------- trees and lookups


def test_ancestors_are_nearest_first_and_affiliations_are_transitive() -> None:
    timeline = Timeline()
    timeline.append(*PLACES, *ACTORS)
    gazetteer = timeline.state(Gazetteer)
    assert gazetteer.ancestors("town") == ("region", "country")
    assert gazetteer.ancestors("country") == ()
    assert gazetteer.ancestors("nowhere") == ()
    assert gazetteer.is_within("town", "country")
    assert not gazetteer.is_within("country", "town")
    assert gazetteer.affiliated("unit", "state")
    assert gazetteer.affiliated("unit", "unit")
    assert not gazetteer.affiliated("state", "unit")
    assert not gazetteer.affiliated("rebels", "state")


def test_names_ids_and_aliases_resolve_without_regard_to_case() -> None:
    timeline = Timeline()
    timeline.append(*PLACES, *ACTORS)
    gazetteer = timeline.state(Gazetteer)
    assert gazetteer.resolve_place("town") == "town"
    assert gazetteer.resolve_place("REGION") == "region"
    assert gazetteer.resolve_place("old town") == "town"
    assert gazetteer.resolve_place("Atlantis") is None
    assert gazetteer.resolve_actor("u-1") == "unit"
    assert gazetteer.resolve_actor("ARMY") == "army"
    assert gazetteer.resolve_actor("nobody") is None


def test_a_name_several_actors_or_places_share_is_refused_never_one_picked() -> None:
    # Real datasets share names: GED 23.1 has two actors named "DPR", and provinces
    # named "Eastern province" in three countries. Which one a name means is not the
    # library's to guess (the table's order changes with the hash seed): the name is
    # refused, listing every id it could mean, in id order; an id is always itself.
    timeline = Timeline()
    timeline.append(
        PlaceDefined(id="p-ke", name="Eastern province", place_kind="region"),
        PlaceDefined(id="p-lk", name="EASTERN PROVINCE", place_kind="region"),
        PlaceDefined(id="p-sl", name="East", place_kind="region", aliases=("Eastern Province",)),
        ActorDefined(id="dpr-2", name="DPR", actor_kind="armed_force"),
        ActorDefined(id="dpr-1", name="DPR", actor_kind="armed_force"),
        ActorDefined(id="lpr", name="LPR", actor_kind="armed_force"),
    )
    gazetteer = timeline.state(Gazetteer)
    with pytest.raises(QueryError) as place:
        gazetteer.resolve_place("eastern province")
    assert str(place.value) == (
        "'eastern province' is the name or an alias of 3 places: p-ke (Eastern province), "
        "p-lk (EASTERN PROVINCE), p-sl (East); give the id of the one meant"
    )
    with pytest.raises(QueryError, match=r"of 2 actors: dpr-1 \(DPR\), dpr-2 \(DPR\);"):
        gazetteer.resolve_actor("DPR")
    assert gazetteer.resolve_actor("dpr-2") == "dpr-2"
    assert gazetteer.resolve_actor("lpr") == "lpr"
    assert gazetteer.resolve_place("East") == "p-sl"


def test_a_cycle_of_affiliations_ends_the_walk() -> None:
    geo = Geography.of(
        [
            ActorDefined(id="a", name="A", actor_kind="armed_force", affiliation="b"),
            ActorDefined(id="b", name="B", actor_kind="armed_force", affiliation="c"),
            ActorDefined(id="c", name="C", actor_kind="armed_force", affiliation="b"),
        ]
    )
    # At most 10 steps: a walk that loops fails here rather than hanging.
    assert list(itertools.islice(geo.affiliations("a"), 10)) == ["b", "c"]
    assert not geo.affiliated("a", "d")


def test_a_cycle_of_parents_ends_the_walk() -> None:
    geo = Geography.of(
        [
            PlaceDefined(id="a", name="A", place_kind="town", parent="b"),
            PlaceDefined(id="b", name="B", place_kind="region", parent="c"),
            PlaceDefined(id="c", name="C", place_kind="region", parent="b"),
        ]
    )
    assert list(itertools.islice(geo.ancestors("a"), 10)) == ["b", "c"]
    assert not geo.is_within("a", "d")


def test_taking_in_records_builds_the_same_geography_as_indexing_them() -> None:
    records: list[Any] = [
        *PLACES,
        *ACTORS,
        _change("c-1", "2000-01-01", "region", "rebels"),
        _change("c-2", "2001-01-01", "region", "state"),
        _change("c-3", "2002-01-01", "town", "army"),
    ]
    geo = Geography()
    for record in records:
        geo = geo.with_record(record)
    assert dict(geo.actors) == {a.id: a for a in ACTORS}
    assert dict(geo.places) == {p.id: p for p in PLACES}
    assert {k: tuple(v) for k, v in geo.control.items()} == {
        "region": (records[-3], records[-2]),
        "town": (records[-1],),
    }
    assert geo.controller("town", _us("2001-06-01")) == "state"
    assert geo.controller("town", _us("2002-06-01")) == "army"
    redefined = ActorDefined(id="rebels", name="Rebel front", actor_kind="armed_force")
    assert geo.with_record(redefined).actors["rebels"] == redefined
    assert geo.actors["rebels"].name == "Rebels"  # the old geography is unchanged
    attack_free = Agreement(
        id="x", occurred="2000-01-01", sources=SOURCE, title="X", signatories=("state",)
    )
    assert geo.with_record(attack_free) is geo


def test_a_geography_built_from_plain_dicts_takes_records_in() -> None:
    geo = Geography(actors={}, places={p.id: p for p in PLACES}, control={})
    geo = geo.with_record(_change("c", "2000-01-01", "region", "rebels"))
    geo = geo.with_record(ACTORS[0])
    geo = geo.with_record(
        PlaceDefined(id="village", name="V", place_kind="village", parent="town")
    )
    assert geo.controller("village", _us("2001-01-01")) == "rebels"
    assert "state" in geo.actors
    assert geo.is_within("village", "country")


# ------------------------------------------------------------------- tables


def test_the_gazetteer_table_lists_actors_then_places_by_id() -> None:
    timeline = Timeline()
    timeline.append(*PLACES, *ACTORS, _change("c", "2000-01-01", "region", "rebels"))
    table = timeline.state(Gazetteer).table()
    assert table.columns == (
        "record",
        "id",
        "name",
        "kind",
        "affiliation / parent",
        "controller",
    )
    assert table.rows == (
        ("actor", "army", "Army", "armed_force", "state", ""),
        ("actor", "rebels", "Rebels", "armed_force", "", ""),
        ("actor", "state", "State", "state", "", ""),
        ("actor", "unit", "Unit", "armed_force", "army", ""),
        ("place", "country", "Country", "country", "", ""),
        ("place", "region", "Region", "region", "country", "rebels"),
        ("place", "town", "Town", "town", "region", "rebels"),
    )


def test_an_agreement_row_fills_the_table_columns_in_order() -> None:
    timeline = Timeline()
    timeline.append(
        *ACTORS,
        Agreement(
            id="pact",
            occurred="2000-01-01",
            sources=SOURCE,
            title="Pact",
            signatories=("state", "rebels"),
            mediators=("unit", "army"),
            guarantors=("army", "unit"),
        ),
        Commitment(
            id="truce",
            occurred="2000-01-01",
            sources=SOURCE,
            commitment_kind="ceasefire",
            parties=("state", "rebels"),
            prohibits=("any_attack",),
            agreement="pact",
        ),
        Commitment(
            id="withdrawal",
            occurred="2000-01-01",
            sources=SOURCE,
            commitment_kind="agreement",
            parties=("rebels",),
            agreement="pact",
        ),
    )
    (entry,) = timeline.state(Agreements)
    assert entry.table_columns == (
        "id",
        "title",
        "signatories",
        "mediators",
        "guarantors",
        "provisions",
    )
    assert entry.table_row() == (
        "pact",
        "Pact",
        "state, rebels",
        "unit, army",
        "army, unit",
        "truce, withdrawal",
    )


# --------------------------------------------------------------- agreements

FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")


def _fold(records: list[Any]) -> list[tuple[str, tuple[str, ...]]]:
    """The Agreements view folded over ``records`` in this order (as a replay hands a
    commitment's corrected version to the view after its first one)."""
    view = Agreements()
    state = view.initial()
    for n, record in enumerate(records, start=1):
        state = view.apply(state, Recorded(n, FIXED, "", record))
    listing = view.result(state, Query())
    assert listing.query == Query()
    return [(e.id, e.provisions) for e in listing]


def _provision(cid: str, agreement: str | None, effective: str = "2000-01-02") -> Commitment:
    return Commitment(
        id=cid,
        occurred="2000-01-01",
        effective=effective,
        sources=SOURCE,
        commitment_kind="agreement",
        parties=("state",),
        agreement=agreement,
    )


def _agreement(aid: str, occurred: str = "2000-01-01") -> Agreement:
    return Agreement(id=aid, occurred=occurred, sources=SOURCE, title=aid, signatories=("state",))


def test_a_provision_folded_again_under_another_agreement_moves_there() -> None:
    listed = _fold(
        [
            _agreement("a"),
            _agreement("b"),
            _provision("p", "a"),
            _provision("q", "a", effective="2000-01-03"),
            _provision("p", "b"),
        ]
    )
    assert listed == [("a", ("q",)), ("b", ("p",))]


def test_a_provision_folded_again_under_its_agreement_stays_once() -> None:
    listed = _fold([_agreement("a"), _provision("p", "a"), _provision("p", "a")])
    assert listed == [("a", ("p",))]


def test_a_commitment_of_no_agreement_is_no_provision() -> None:
    listed = _fold([_agreement("a"), _provision("p", None), _provision("q", "a")])
    assert listed == [("a", ("q",))]


def test_agreements_are_ordered_by_when_they_occurred_then_id() -> None:
    listed = _fold([_agreement("b"), _agreement("c", "1999-06-01"), _agreement("a")])
    assert [aid for aid, _ in listed] == ["c", "a", "b"]


def test_changes_starting_together_go_to_the_one_ending_later_before_the_id() -> None:
    # sovereignty.md: '"Latest" compares the changes' `occurred` (earliest bound, then
    # latest)', and only a tie in both goes to the area, then the id. A change dated to
    # January 2000 and one dated 1 January 2000 start together; the month ends later,
    # so it is the latest, though its id is the smaller.
    # The same holds before the area: the region's month beats the town's own day.
    month = _change("c-1", "2000-01", "town", "state")
    day = _change("c-2", "2000-01-01", "town", "rebels")
    for order in itertools.permutations([month, day]):
        geo = Geography.of([*PLACES, *order])
        assert geo.controller("town", _us("2000-02-01")) == "state"
    region_month = _change("c-1", "2000-01", "region", "state")
    for order in itertools.permutations([region_month, day]):
        geo = Geography.of([*PLACES, *order])
        assert geo.controller("town", _us("2000-02-01")) == "state"
        assert geo.controller("region", _us("2000-02-01")) == "state"
