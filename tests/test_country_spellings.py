"""One place per country, whichever dataset names it (docs/howto/import.md, "One
country, two spellings").

The rules:

- a country's place id is ``place:<slug>`` of the name UCDP GED 23.1 gives it, for
  every dataset (ACLED, GED of any release, ETH/PRIO): ACLED's ``Democratic Republic
  of Congo`` and GED's ``DR Congo (Zaire)`` are one place, ``place:dr-congo-zaire``;
- a name the table does not hold is its own (``Ivory Coast``, spelled alike by both),
  and a disputed territory is never read as a state (ACLED's ``Palestine`` and
  ``Kosovo`` stay their own places);
- the place keeps the name its first importer read, as published;
- an ACLED row naming such a country as ACLED spells it, in a place GED defined, keeps
  its spelling in its notes and is not flagged "name differs from the place's" (one
  country's two names are nothing inconsistent); any other spelling still is.

Every expected id and note below is written by hand from these rules.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conflict_timeline import ActorDefined, ActorKind, Attack, PlaceDefined, Timeline
from conflict_timeline.views import ReportedViolations
from conflict_timeline.views.violations import Basis
from test_import_versions import acled, acled_row, ged, ged_row

ETH = Path(__file__).parent / "data" / "ceasefires" / "eth-prio-sample.csv"

# (as a dataset writes the country, the place id the rule gives), by hand.
SPELLED = [
    ("Democratic Republic of Congo", "place:dr-congo-zaire"),
    ("DR Congo (Zaire)", "place:dr-congo-zaire"),
    ("Republic of Congo", "place:congo"),
    ("Myanmar", "place:myanmar-burma"),
    ("Russia", "place:russia-soviet-union"),
    ("Yemen", "place:yemen-north-yemen"),
    ("Cambodia", "place:cambodia-kampuchea"),
    ("Zimbabwe", "place:zimbabwe-rhodesia"),
    ("Serbia", "place:serbia-yugoslavia"),
    ("Madagascar", "place:madagascar-malagasy"),
    ("Bosnia and Herzegovina", "place:bosnia-herzegovina"),
    ("eSwatini", "place:kingdom-of-eswatini-swaziland"),
    ("Swaziland", "place:kingdom-of-eswatini-swaziland"),
    ("North Macedonia", "place:macedonia-fyr"),
    ("Vietnam", "place:vietnam-north-vietnam"),
    ("United States", "place:united-states-of-america"),
    ("Türkiye", "place:turkey"),
    ("MYANMAR", "place:myanmar-burma"),  # spellings compare as ids do
    ("Ivory Coast", "place:ivory-coast"),  # spelled alike: its own
    ("Palestine", "place:palestine"),  # a territory, not GED's Israel
    ("Kosovo", "place:kosovo"),  # nor GED's Serbia (Yugoslavia)
    ("Synthetica", "place:synthetica"),
]


def congo_row(eid: str, **cells: str) -> dict[str, str]:
    """An ACLED row of 1 May 2000 in Equateur, Democratic Republic of Congo, as ACLED
    spells the country: inside ETH/PRIO ceasefire 490014 (in effect from 14 April
    2000, end unknown)."""
    return acled_row(
        event_id_cnty=eid,
        event_date="2000-05-01",
        year="2000",
        timestamp="957225600",
        country="Democratic Republic of Congo",
        admin1="Equateur",
        location="",
        **cells,
    )


def _attack(timeline: Timeline, rid: str) -> Attack:
    record = timeline.get(rid).record
    assert isinstance(record, Attack)
    return record


@pytest.mark.parametrize(("country", "pid"), SPELLED)
def test_an_acled_event_lands_in_the_country_place_geds_name_gives(country: str, pid: str) -> None:
    timeline = Timeline()
    timeline.import_("acled", acled(acled_row(country=country, admin1="", location="")))
    attack = _attack(timeline, "acled:SYN1")
    assert attack.place == pid
    place = timeline.get(pid).record
    assert isinstance(place, PlaceDefined)
    assert place.name == country  # as published: the first importer's name


@pytest.mark.parametrize(("country", "pid"), SPELLED)
def test_a_ged_event_of_any_release_lands_in_the_same_country_place(
    country: str, pid: str
) -> None:
    timeline = Timeline()
    timeline.import_("ucdp", ged(ged_row(country=country, where_prec="6")))
    assert _attack(timeline, "ucdp:900001").place == pid


def test_acleds_spelling_in_geds_country_is_noted_and_not_flagged() -> None:
    """GED first: the country is ``DR Congo (Zaire)``. ACLED's row in ``Democratic
    Republic of Congo`` is in it, its spelling kept in the notes, no flag; its
    province, spelled otherwise than GED's province of the same id, still is."""
    timeline = Timeline()
    timeline.import_(
        "ucdp",
        ged(ged_row(country="DR Congo (Zaire)", adm_1="Nord-Kivu", where_prec="4")),
    )
    summary = timeline.import_(
        "acled",
        acled(acled_row(country="Democratic Republic of Congo", admin1="Nord-Kivu", location="")),
    )
    attack = _attack(timeline, "acled:SYN1")
    assert attack.place == "place:dr-congo-zaire/nord-kivu"
    assert (
        "country as published: Democratic Republic of Congo "
        "(place:dr-congo-zaire is named DR Congo (Zaire))"
    ) in (attack.notes or "")
    assert "name differs from the place's" not in summary.flags
    # A province spelled otherwise (case aside, the same id) is still a difference.
    other = timeline.import_(
        "acled",
        acled(
            acled_row(
                event_id_cnty="SYN2",
                country="Democratic Republic of Congo",
                admin1="NORD-KIVU",
                location="",
            )
        ),
    )
    assert other.flags.get("name differs from the place's") == 1
    notes = _attack(timeline, "acled:SYN2").notes or ""
    named = "(place:dr-congo-zaire/nord-kivu is named Nord-Kivu)"
    assert f"admin1 as published: NORD-KIVU {named}" in notes


def test_a_ceasefire_in_geds_country_covers_acleds_events_there() -> None:
    """ETH/PRIO ceasefire 490014 (DR Congo (Zaire), in effect from 14 April 2000, end
    unknown) binds the MLC (UCDP actor 423). An ACLED clash of 1 May 2000 in
    ``Democratic Republic of Congo`` by an ACLED actor the analyst affiliated with the
    MLC is a candidate violation of it; before the table, the ACLED country was
    another place, and the ceasefire covered nothing of ACLED's."""
    timeline = Timeline()
    timeline.import_("eth-prio", ETH)
    mlc = "actor:mlc-movement-for-the-liberation-of-congo"
    timeline.append(
        ActorDefined(
            id=mlc,
            name="MLC: Movement for the Liberation of Congo",
            actor_kind=ActorKind.ARMED_FORCE,
            affiliation="actor:ucdp-423",
            sources=(),
        )
    )
    # The MLC's attack on civilians: the MLC alone makes it.
    timeline.import_(
        "acled",
        acled(
            congo_row(
                "COD1",
                event_type="Violence against civilians",
                sub_event_type="Attack",
                actor1="MLC: Movement for the Liberation of Congo",
                inter1="2",
                actor2="Civilians (Democratic Republic of Congo)",
                inter2="7",
            )
        ),
    )
    found = timeline.state(ReportedViolations, commitment="eth-prio:490014")
    assert [(v.basis, v.incidents) for v in found.items] == [(Basis.CANDIDATE, ("acled:COD1",))]


def test_eth_prio_defines_the_country_under_geds_name() -> None:
    """ETH/PRIO's scope is GED's place, named as GED names it; the notes keep the
    ``location`` as published (``Macedonia``)."""
    timeline = Timeline()
    timeline.import_("eth-prio", io.StringIO(ETH.read_text(encoding="utf-8-sig")))
    place = timeline.get("place:macedonia-fyr").record
    assert isinstance(place, PlaceDefined)
    assert place.name == "Macedonia, FYR"
    congo = timeline.get("place:dr-congo-zaire").record
    assert isinstance(congo, PlaceDefined)
    assert congo.name == "DR Congo (Zaire)"


@pytest.mark.parametrize("place", ["DR Congo (Zaire)", "Democratic Republic of Congo"])
def test_a_listed_spelling_in_other_capitals_is_flagged_whichever_name_the_place_has(
    place: str,
) -> None:
    """``DEMOCRATIC REPUBLIC OF CONGO`` is no spelling of the table as written: it is
    flagged beside a place named as GED names it, as beside one named as ACLED does."""
    timeline = Timeline()
    timeline.import_("acled", acled(acled_row(country=place, admin1="", location="")))
    summary = timeline.import_(
        "acled",
        acled(
            acled_row(
                event_id_cnty="SYN2",
                country="DEMOCRATIC REPUBLIC OF CONGO",
                admin1="",
                location="",
            )
        ),
    )
    assert summary.flags.get("name differs from the place's") == 1


def test_a_country_spelled_otherwise_than_either_name_is_still_flagged() -> None:
    """One country's two names are not a difference; the same name in other capitals
    is, as for any place (the notes say how the row spells it)."""
    timeline = Timeline()
    timeline.import_("ucdp", ged(ged_row(country="DR Congo (Zaire)", where_prec="6")))
    summary = timeline.import_(
        "acled", acled(acled_row(country="DR CONGO (ZAIRE)", admin1="", location=""))
    )
    assert summary.flags.get("name differs from the place's") == 1
    assert "country as published: DR CONGO (ZAIRE) (place:dr-congo-zaire is named " in (
        _attack(timeline, "acled:SYN1").notes or ""
    )


def test_the_docs_table_of_spellings_is_the_one_the_importers_read() -> None:
    """docs/howto/import.md lists, per GED 23.1 name, the spellings read as it
    (`importers/_countries.py` says "The docs list them"): the page's table and the
    importers' table hold the same names, none more, none fewer."""
    from conflict_timeline.importers._countries import SPELLINGS

    page = (Path(__file__).parents[1] / "docs" / "howto" / "import.md").read_text("utf-8")
    start = page.index("| GED 23.1's name (the id's) | also read as |")
    rows = page[start:].split("\n\n", 1)[0].splitlines()[2:]
    documented = {}
    for row in rows:
        ged_name, also = (cell.strip() for cell in row.strip("|").split("|"))
        documented[ged_name] = {s.removesuffix(" (ETH/PRIO)") for s in also.split(", ")}
    assert documented == {name: set(spellings) for name, spellings in SPELLINGS.items()}
