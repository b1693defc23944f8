"""ACLED's state forces act for UCDP's governments (docs/howto/import.md, "State forces
and their government").

The rules:

- an ACLED actor named as ACLED names state forces and governments, "Military Forces
  of <country> (<years>)", "Police Forces of <country> (<years>)" or "Government of
  <country> (<years>)", a unit after it or not, is affiliated with the government of
  that country as UCDP identifies it (``actor:ucdp-<id>``, the id GED, ETH/PRIO and the
  peace agreements give it), the country read in any spelling of the country table;
- that government is defined under UCDP's name when the timeline does not hold it,
  and left as it is when it does;
- any other name, or a country whose UCDP government is not known here, gets no
  affiliation;
- so an attack by a country's forces is a candidate violation of a ceasefire that
  binds its government, with no work by the analyst;
- an actor a timeline already holds keeps its record (an import defines, never
  redefines).

Every expected id below is written by hand from these rules.
"""

from __future__ import annotations

import io

import pytest

from conflict_timeline import ActorDefined, Timeline
from conflict_timeline.views import ReportedViolations
from conflict_timeline.views.violations import Basis
from test_country_spellings import ETH, congo_row
from test_import_versions import acled, acled_row, ged, ged_row

NAMED = [
    ("Military Forces of Democratic Republic of Congo (2019-)", "actor:ucdp-89"),
    ("Military Forces of Democratic Republic of Congo (1997-2001)", "actor:ucdp-89"),
    ("Police Forces of Kenya (2013-2022)", "actor:ucdp-91"),
    ("Government of Mali (2021-)", "actor:ucdp-72"),
    ("Military Forces of Myanmar (2021-)", "actor:ucdp-144"),
    ("Military Forces of Russia (2000-) Air Force", "actor:ucdp-57"),
    ("Military Forces of Sudan (2019-)", "actor:ucdp-112"),
    ("Military Forces of Uganda (1986-)", "actor:ucdp-90"),
    ("Former Military Forces of Sudan (2019-)", None),
    ("Mutiny of Military Forces of Sudan (2019-)", None),
    ("Military Forces of Sudan", None),  # no years: not ACLED's name of state forces
    ("Military Forces of Palestine (1994-)", None),  # no UCDP government known here
    ("Military Forces of Synthetica (2019-)", None),
    ("Rapid Support Forces", None),
]


def _actor(timeline: Timeline, name: str) -> ActorDefined:
    (found,) = [
        r.record
        for r in timeline.read(kinds=["ActorDefined"])
        if isinstance(r.record, ActorDefined) and r.record.name == name
    ]
    return found


@pytest.mark.parametrize(("name", "government"), NAMED)
def test_acleds_state_forces_are_affiliated_with_ucdps_government(
    name: str, government: str | None
) -> None:
    timeline = Timeline()
    timeline.import_("acled", acled(acled_row(actor1=name, inter1="1")))
    assert _actor(timeline, name).affiliation == government


def test_the_government_is_defined_under_ucdps_name_unless_held() -> None:
    """ACLED alone: the government is defined as UCDP names it. GED first: GED's
    record of it stays (one record, the import defines nothing again)."""
    forces = "Military Forces of Democratic Republic of Congo (2019-)"
    alone = Timeline()
    alone.import_("acled", acled(acled_row(actor1=forces, country="Democratic Republic of Congo")))
    government = alone.get("actor:ucdp-89").record
    assert isinstance(government, ActorDefined)
    assert (government.name, government.actor_kind.value) == (
        "Government of DR Congo (Zaire)",
        "government",
    )
    both = Timeline()
    both.import_(
        "ucdp",
        ged(
            ged_row(
                side_a_new_id="89",
                side_a="Government of DR Congo (Zaire)",
                country="DR Congo (Zaire)",
            )
        ),
    )
    before = both.get("actor:ucdp-89")
    both.import_("acled", acled(acled_row(actor1=forces, country="Democratic Republic of Congo")))
    assert both.get("actor:ucdp-89") == before
    assert len([r for r in both.read(kinds=["ActorDefined"]) if r.id == "actor:ucdp-89"]) == 1


def test_an_actor_already_held_keeps_its_record() -> None:
    """An actor defined before (by hand, or by an earlier version of the importer) is
    not defined again: its record, with no affiliation, stays, and the government it
    would have named is not defined."""
    forces = "Military Forces of Uganda (1986-)"
    timeline = Timeline()
    timeline.append(
        ActorDefined(
            id="actor:military-forces-of-uganda-1986", name=forces, actor_kind="armed_force"
        )
    )
    timeline.import_("acled", acled(acled_row(actor1=forces)))
    assert _actor(timeline, forces).affiliation is None
    # Nothing refers to the government then: it is not defined for nothing.
    assert "actor:ucdp-90" not in {r.id for r in timeline.read(kinds=["ActorDefined"])}


def test_a_ceasefire_binding_a_government_covers_its_forces_acled_events() -> None:
    """ETH/PRIO ceasefire 490014 (DR Congo (Zaire), in effect from 14 April 2000, end
    unknown) binds the government (UCDP actor 89). ACLED's clash of 1 May 2000 by the
    Congolese army is a candidate violation of it, with no affiliation stated by the
    analyst (before, ACLED's actors joined no UCDP actor)."""
    timeline = Timeline()
    timeline.import_("eth-prio", ETH)
    # The army's attack on civilians: the army alone makes it.
    timeline.import_(
        "acled",
        acled(
            congo_row(
                "COD2",
                event_type="Violence against civilians",
                sub_event_type="Attack",
                actor1="Military Forces of Democratic Republic of Congo (1997-2001)",
                inter1="1",
                actor2="Civilians (Democratic Republic of Congo)",
                inter2="7",
            )
        ),
    )
    found = timeline.state(ReportedViolations, commitment="eth-prio:490014")
    assert [(v.basis, v.incidents) for v in found.items] == [(Basis.CANDIDATE, ("acled:COD2",))]


# ACLED's own spellings of state forces the first rule must read: "the" before the
# country ("Military Forces of the United States (2021-)", as ACLED writes it), and a
# name differing only in case or spacing, which the importer already takes for the
# same actor (its id is the slug).
SPELLED = [
    ("Military Forces of the United States (2021-)", "actor:ucdp-3"),
    ("Military Forces of the United States (2021-) Navy", "actor:ucdp-3"),
    ("Military  Forces of Sudan (2019-)", "actor:ucdp-112"),
    ("Military Forces Of Sudan (2019-)", "actor:ucdp-112"),
    ("Police Forces of Kenya ( 2013-2022 )", "actor:ucdp-91"),
]


@pytest.mark.parametrize(("name", "government"), SPELLED)
def test_state_forces_are_read_in_acleds_spellings(name: str, government: str) -> None:
    timeline = Timeline()
    timeline.import_("acled", acled(acled_row(actor1=name, inter1="8")))
    assert _actor(timeline, name).affiliation == government


# Governments the real files name as a party or third party of an agreement, with
# the ids they give them (the UCDP peace agreements' actor_id): France 33, Tanzania
# 92, Germany 37, Norway 67, Ghana 81.
THIRD_PARTIES = [
    ("Military Forces of France (2017-)", "actor:ucdp-33", "Government of France"),
    ("Military Forces of Tanzania (1964-)", "actor:ucdp-92", "Government of Tanzania"),
    ("Military Forces of Germany (1990-)", "actor:ucdp-37", "Government of Germany"),
    ("Military Forces of Norway (1905-)", "actor:ucdp-67", "Government of Norway"),
    ("Police Forces of Ghana (2017-)", "actor:ucdp-81", "Government of Ghana"),
]


@pytest.mark.parametrize(("name", "government", "government_name"), THIRD_PARTIES)
def test_every_government_the_real_files_name_is_known(
    name: str, government: str, government_name: str
) -> None:
    timeline = Timeline()
    timeline.import_("acled", acled(acled_row(actor1=name, inter1="8")))
    assert _actor(timeline, name).affiliation == government
    defined = timeline.get(government).record
    assert isinstance(defined, ActorDefined)
    assert defined.name == government_name


# Yemen: from 2015 UCDP's "Government of Yemen (North Yemen)" (actor 123) is the
# authority in Sanaa (the Houthis'), at war with "Forces of Hadi" / "Forces of the
# Presidential Leadership Council" (actor 6254), the government ACLED's "Military
# Forces of Yemen (2012-)" are the forces of (GED 23.1's dyad 123 - 6254 in
# 2018-2022; ETH/PRIO's ceasefires of 2015-2020 name both). ACLED's Houthi forces
# ("... (2016-) Supreme Political Council", "... (2017-) Houthi") are UCDP's 123;
# its other Yemeni state forces span both governments and act for neither id.
YEMEN = [
    ("Military Forces of Yemen (2016-) Supreme Political Council", "actor:ucdp-123"),
    ("Military Forces of Yemen (2017-) Houthi", "actor:ucdp-123"),
    ("Military Forces of Yemen (2012-)", None),
    ("Police Forces of Yemen (2012-)", None),
    ("Military Forces of Yemen (2012-) Special Forces", None),
]


@pytest.mark.parametrize(("name", "government"), YEMEN)
def test_yemens_state_forces_follow_ucdps_two_governments(
    name: str, government: str | None
) -> None:
    timeline = Timeline()
    timeline.import_("acled", acled(acled_row(actor1=name, inter1="1", country="Yemen")))
    assert _actor(timeline, name).affiliation == government
    held = {r.id for r in timeline.read(kinds=["ActorDefined"])}
    assert ("actor:ucdp-123" in held) == (government is not None)


LIBYA = [
    # Before 2014, one government: UCDP's 111.
    ("Military Forces of Libya (1969-2011)", "actor:ucdp-111"),
    ("Police Forces of Libya (2011-2013)", "actor:ucdp-111"),
    # From 2014 UCDP knows two (111 in Tripoli, 5802 the House of Representatives'):
    # forces whose years reach 2014 act for neither, their name not saying which.
    ("Military Forces of Libya (2011-2014)", None),
    ("Military Forces of Libya (2014-)", None),
    ("Military Forces of Libya (2021-) Government of National Unity", None),
]


@pytest.mark.parametrize(("name", "government"), LIBYA)
def test_libyas_state_forces_act_for_ucdps_government_only_before_its_two(
    name: str, government: str | None
) -> None:
    timeline = Timeline()
    timeline.import_("acled", acled(acled_row(actor1=name, inter1="1", country="Libya")))
    assert _actor(timeline, name).affiliation == government


# ETH/PRIO's row of ceasefire 678093 as the real file writes it: declared and in effect
# from 1 August 2018 by UCDP's "Government of Yemen (North Yemen)" (123), unilateral,
# "Against US-Saudi coalition and forces of HADI": the Houthis'.
YEMEN_CEASEFIRE = (
    ETH.read_text(encoding="utf-8-sig").splitlines()[0] + "\n"
    "678,93,678093,Yemen (North Yemen),2,0,123,Government of Yemen (North Yemen),23"
    "0,14595,-1,2018,8,1,2018,8,1,,1,1,0,1,15,0,0,1,0,0,0,0,0,1,0,Against US-Saudi "
    "coalition and forces of HADI. Not linked to peace process.,0,0,0,0,0,0,-1,2018"
    ",-1,-1,,,,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"
    "0,0,0,0,EW,2854\n"
)


def test_a_houthi_ceasefire_covers_houthi_forces_not_the_hadi_governments() -> None:
    """Two attacks on civilians in Yemen on 3 August 2018, inside ceasefire 678093:
    one by the Houthis' forces (a candidate violation of it: they act for UCDP's 123),
    one by the forces of the government it was declared against (not a candidate)."""
    timeline = Timeline()
    timeline.import_("eth-prio", io.StringIO(YEMEN_CEASEFIRE))

    def yemen_row(eid: str, actor1: str) -> dict[str, str]:
        return acled_row(
            event_id_cnty=eid,
            event_date="2018-08-03",
            year="2018",
            timestamp="1533340800",
            event_type="Violence against civilians",
            sub_event_type="Attack",
            actor1=actor1,
            inter1="1",
            actor2="Civilians (Yemen)",
            inter2="7",
            interaction="17",
            country="Yemen",
            admin1="Taizz",
            location="",
        )

    timeline.import_(
        "acled",
        acled(
            yemen_row("YEM1", "Military Forces of Yemen (2012-)"),
            yemen_row("YEM2", "Military Forces of Yemen (2017-) Houthi"),
        ),
    )
    found = timeline.state(ReportedViolations, commitment="eth-prio:678093")
    assert [(v.basis, v.incidents) for v in found.items] == [(Basis.CANDIDATE, ("acled:YEM2",))]


@pytest.mark.parametrize("name", ["Government of Mali (2021-)", "GOVERNMENT OF  MALI (2021-)"])
def test_a_government_is_a_government_in_any_case(name: str) -> None:
    """ACLED's "Government of ..." actor is of kind government, spelled in any case or
    spacing, as its affiliation is read."""
    timeline = Timeline()
    timeline.import_("acled", acled(acled_row(actor1=name, inter1="1")))
    actor = _actor(timeline, name)
    assert (actor.actor_kind.value, actor.affiliation) == ("government", "actor:ucdp-72")
