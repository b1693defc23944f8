"""Audit of the ACLED importer against ACLED's codebook and real exports.

Each test is a gap found by the audit: a value or row form ACLED publishes (or
documents) that the importer drops, refuses or reads silently otherwise than the
codebook says. The expected values are written from the codebook's rule, not from
the importer's output; every row is invented (a synthetic country, "Synthetica").
These tests fail until the importer handles the case.
"""

from __future__ import annotations

import csv
import io

from conflict_timeline import Attack, ControlChanged, TargetClass, TimeExtent
from conflict_timeline.importers import ImportBatch, read_acled

COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]

BATTLE = {
    "event_id_cnty": "SYN1",
    "event_date": "2024-05-16",
    "year": "2024",
    "time_precision": "1",
    "disorder_type": "Political violence",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Military Forces of Synthetica (2019-)",
    "assoc_actor_1": "",
    "inter1": "1",
    "actor2": "Synthetic Liberation Front",
    "assoc_actor_2": "",
    "inter2": "2",
    "interaction": "12",
    "civilian_targeting": "",
    "iso": "999",
    "region": "Western Africa",
    "country": "Synthetica",
    "admin1": "North",
    "admin2": "Testdistrict",
    "admin3": "",
    "location": "Testville",
    "latitude": "10.5",
    "longitude": "-3.25",
    "geo_precision": "1",
    "source": "Synthetic Daily",
    "source_scale": "National",
    "notes": "SYNTHETIC TEST ROW.",
    "fatalities": "3",
    "tags": "",
    "timestamp": "1716000000",
}


def acled(*rows: dict[str, str]) -> ImportBatch:
    """Import a CSV of ACLED's 2023-2024 columns, each row ``BATTLE`` with changes."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for changes in rows:
        row = {**BATTLE, **changes}
        writer.writerow([row[c] for c in COLUMNS])
    return read_acled(io.StringIO(out.getvalue()))


def only_attack(batch: ImportBatch) -> Attack:
    events = batch.events()
    assert len(events) == 1, (batch.refused, batch.out_of_scope)
    (record,) = events
    assert isinstance(record, Attack)
    return record


def test_mob_violence_targeting_civilians_is_an_attack_not_a_skipped_riot() -> None:
    # ACLED's curated "anti-civilian violence" file holds "all civilian targeting
    # events, including ... violence perpetrated by mobs and rioters" (riot events in
    # which civilians were targeted), and ACLED's disorder_type puts such rows under
    # "Political violence; Demonstrations"; a real 2024 export row (PSE73898, Riots -
    # Mob violence) is settler rioters attacking a shepherd, "Rioters-Civilians".
    # The importer already reads the parallel case, excessive force against
    # protesters, as an Attack on civilians; a mob attack on civilians is skipped
    # as a plain "Riots" row, counted but not flagged.
    batch = acled(
        {
            "disorder_type": "Political violence; Demonstrations",
            "event_type": "Riots",
            "sub_event_type": "Mob violence",
            "actor1": "Rioters (Synthetica)",
            "inter1": "Rioters",
            "actor2": "Civilians (Synthetica)",
            "inter2": "Civilians",
            "interaction": "Rioters-Civilians",
            "civilian_targeting": "Civilian targeting",
            "fatalities": "1",
        }
    )
    assert batch.out_of_scope == {}
    record = only_attack(batch)
    assert record.target_class is TargetClass.CIVILIAN
    assert record.fatalities is not None
    assert record.fatalities.best == 1


def test_a_disorder_type_contradicting_the_event_type_is_kept_and_flagged() -> None:
    # ACLED's disorder_type (from March 2023) follows from the event and sub-event
    # type: Political violence for battles. The importer drops the column because it
    # "follows from the event type" (how-to "Import ACLED files of any vintage"), yet
    # the module docstring lists it among the columns read, and a row where it does
    # not follow (here "Demonstrations" on a battle) is neither kept nor flagged, as
    # an interaction or year that disagrees with its row is.
    batch = acled({"disorder_type": "Demonstrations"})
    record = only_attack(batch)
    assert "disorder_type" in record.notes
    assert "Demonstrations" in record.notes
    assert any("disorder_type" in flag for flag in batch.flags), batch.flags


def test_dd_mm_yyyy_event_dates_are_read_day_first() -> None:
    # acledR's acled_codebook (ACLED's R package): event_date "Date in dd-mm-yyyy
    # format"; the importer's own from_acled reads a numeric date day first "as ACLED
    # writes it". A week's file of early-month events (every day <= 12) is refused
    # row by row as ambiguous instead.
    batch = acled(
        *(
            {"event_id_cnty": f"SYN{day}", "event_date": f"{day:02d}-06-2024"}
            for day in range(1, 8)
        )
    )
    assert batch.refused == ()
    occurred = {r.id: r.occurred for r in batch.events()}
    assert occurred["acled:SYN1"] == TimeExtent.parse("2024-06-01")
    assert occurred["acled:SYN5"] == TimeExtent.parse("2024-06-05")


def test_government_regains_territory_records_the_control_change() -> None:
    # ACLED's codebook (2023-2024, introduction): ACLED concentrates on "distinguishing
    # between territorial transfers of military control from governments (and their
    # affiliates) to non-state agents and vice versa"; those transfers are the Battles
    # sub-event types "Government regains territory" and "Non-state actor overtakes
    # territory" (and the pre-2019 types "Battle-Government regains territory",
    # "Battle-Non-state actor overtakes territory"). The importer makes a
    # ControlChanged of the non-violent transfer only; a violent one is an Attack
    # whose means names the sub-event type, so no record says who controls the place
    # afterwards. Here the government (state forces, inter 1) regains Testville.
    batch = acled({"sub_event_type": "Government regains territory"})
    changes = [r for r in batch.events() if isinstance(r, ControlChanged)]
    assert len(changes) == 1, [type(r).__name__ for r in batch.events()]
    (change,) = changes
    assert change.controller == "actor:military-forces-of-synthetica-2019"
    assert change.place == "place:synthetica/north/testdistrict/testville"
    assert change.occurred == TimeExtent.parse("2024-05-16")
