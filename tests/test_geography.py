"""Sovereignty (de jure parents) and control (ControlChanged) as pure functions."""

from __future__ import annotations

import pytest

from conflict_timeline import (
    ActorDefined,
    ControlChanged,
    PlaceDefined,
    Timeline,
    affiliated,
    controller,
    is_within,
)
from conflict_timeline._geography import Geography

RECORDS = [
    ActorDefined(id="azerbaijan", name="Azerbaijan", actor_kind="state"),
    ActorDefined(id="az-mod", name="Ministry of Defence", actor_kind="government",
                 affiliation="azerbaijan"),
    ActorDefined(id="az-forces", name="Azerbaijani forces", actor_kind="armed_force",
                 affiliation="az-mod", aliases=("Azerbaijani army",)),
    ActorDefined(id="nk", name="Nagorno-Karabakh authorities", actor_kind="de_facto_authority"),
    PlaceDefined(id="az", name="Azerbaijan", place_kind="country"),
    PlaceDefined(id="am", name="Armenia", place_kind="country"),
    PlaceDefined(id="karabakh", name="Nagorno-Karabakh", place_kind="region", parent="az"),
    PlaceDefined(id="stepanakert", name="Stepanakert", place_kind="city",
                 aliases=("Khankendi",), parent="karabakh"),
    PlaceDefined(id="shushi", name="Shushi", place_kind="town", aliases=("Shusha",),
                 parent="karabakh"),
    ControlChanged(id="c-1994", occurred="1994", place="karabakh", controller="nk"),
    ControlChanged(id="c-shushi-2020", occurred="2020-11-08", place="shushi",
                   controller="az-forces"),
    ControlChanged(id="c-2023", occurred="2023-09", place="karabakh", controller="azerbaijan"),
]  # fmt: skip


def test_is_within_follows_de_jure_parents_only() -> None:
    assert is_within("stepanakert", "az", RECORDS)
    assert is_within("stepanakert", "karabakh", RECORDS)
    assert is_within("stepanakert", "stepanakert", RECORDS)  # a place is within itself
    assert not is_within("stepanakert", "am", RECORDS)
    assert not is_within("az", "stepanakert", RECORDS)
    assert not is_within("unknown-town", "az", RECORDS)


def test_control_is_inherited_down_the_tree_and_changes_over_time() -> None:
    assert controller("stepanakert", "1990-01-01", RECORDS) is None
    assert controller("stepanakert", "2020-10-31", RECORDS) == "nk"
    assert controller("shushi", "2020-10-31", RECORDS) == "nk"
    assert controller("shushi", "2020-11-08", RECORDS) == "az-forces"
    assert controller("stepanakert", "2020-11-08", RECORDS) == "nk"
    # A later change of the whole region overrides a town's own earlier change.
    assert controller("shushi", "2023-10-01", RECORDS) == "azerbaijan"
    assert controller("stepanakert", "2023-10-01", RECORDS) == "azerbaijan"
    # Control never changes sovereignty.
    assert not is_within("shushi", "am", RECORDS)


def test_control_dated_to_a_month_is_possible_before_it_is_certain() -> None:
    assert controller("stepanakert", "2023-09-01", RECORDS) == "azerbaijan"
    assert controller("stepanakert", "2023-09-01", RECORDS, certainty="certain") == "nk"
    assert controller("stepanakert", "2023-09-30", RECORDS, certainty="certain") == "azerbaijan"


def test_control_in_a_zone_is_decided_at_the_end_of_the_local_day() -> None:
    # Shushi changed hands on 8 November (UTC day); in Baku (UTC+4) the 7th ends at 20:00Z.
    assert controller("shushi", "2020-11-07", RECORDS, tz="Asia/Baku") == "nk"
    assert controller("shushi", "2020-11-08", RECORDS, tz="Asia/Baku") == "az-forces"


def test_ties_in_time_go_to_the_smaller_area_then_the_larger_id() -> None:
    same_day = [
        *RECORDS,
        ControlChanged(id="x-region", occurred="2021-01-01", place="karabakh", controller="nk"),
        ControlChanged(id="x-town", occurred="2021-01-01", place="shushi", controller="az-forces"),
    ]
    assert controller("shushi", "2021-06-01", same_day) == "az-forces"
    assert controller("shushi", "2021-06-01", list(reversed(same_day))) == "az-forces"
    assert controller("stepanakert", "2021-06-01", same_day) == "nk"


def test_affiliation_is_transitive_and_directed() -> None:
    assert affiliated("az-forces", "azerbaijan", RECORDS)
    assert affiliated("az-forces", "az-mod", RECORDS)
    assert affiliated("azerbaijan", "azerbaijan", RECORDS)
    assert not affiliated("azerbaijan", "az-forces", RECORDS)
    assert not affiliated("nk", "azerbaijan", RECORDS)


def test_names_and_aliases_resolve_case_insensitively() -> None:
    geo = Geography.of(RECORDS)
    assert geo.resolve_place("Khankendi") == "stepanakert"
    assert geo.resolve_place("shusha") == "shushi"
    assert geo.resolve_actor("AZERBAIJANI ARMY") == "az-forces"
    assert geo.resolve_place("Atlantis") is None


def test_cycles_in_loaded_data_end_the_walk_instead_of_looping() -> None:
    # strict appends cannot make a cycle, but records read from elsewhere can.
    looped = [
        PlaceDefined(id="a", name="A", place_kind="region", parent="b"),
        PlaceDefined(id="b", name="B", place_kind="region", parent="a"),
        ActorDefined(id="p", name="P", actor_kind="organization", affiliation="q"),
        ActorDefined(id="q", name="Q", actor_kind="organization", affiliation="p"),
    ]
    assert is_within("a", "b", looped)
    assert not is_within("a", "c", looped)
    assert affiliated("p", "q", looped)
    assert not affiliated("p", "r", looped)


def test_the_gazetteer_view_agrees_with_the_functions() -> None:
    tl = Timeline()
    tl.append(*RECORDS)
    from conflict_timeline import Gazetteer

    for day in ("1990-01-01", "2020-10-31", "2020-11-08", "2023-10-01"):
        places = tl.state(Gazetteer, at=day)
        for place in ("stepanakert", "shushi", "karabakh", "az"):
            assert places.controller(place) == controller(place, day, RECORDS), (day, place)


@pytest.mark.parametrize("cut", ["2020-13-01", "soon"])
def test_controller_refuses_a_bad_date(cut: str) -> None:
    from conflict_timeline import InvalidTimeError

    with pytest.raises(InvalidTimeError, match="cannot parse time"):
        controller("shushi", cut, RECORDS)
