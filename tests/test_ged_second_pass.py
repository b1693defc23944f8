"""UCDP GED mapping rules left unpinned by the second hand-planted mutation pass.

Rows are synthetic, in the column layout of the published GED 23.1 CSV (49 columns,
in its order). Each expectation is written by hand from the rule that
docs/howto/import.md ("UCDP GED") or the docstrings of
``conflict_timeline.importers.ucdp`` state, never computed by the importer.
"""

from __future__ import annotations

import io

from conflict_timeline import ActorDefined, ActorKind, Attack, TimeExtent
from conflict_timeline.importers import ImportBatch, read_ucdp
from test_ged_mapping_rules import GED_COLUMNS, ROW, _csv

_UNSET = dict.fromkeys((c for c in GED_COLUMNS if c not in ROW), "")
"""The columns the consistent ``ROW`` leaves out, empty."""
NO_OFFICE = {"source_office": "", "source_date": "", "source_headline": ""}


def _read(*rows: dict[str, str]) -> ImportBatch:
    """A file of every GED 23.1 column: test_ged_mapping_rules' consistent ``ROW``
    (its other columns empty), vetted ``Clear``, with each row's changes."""
    text = _csv(*({**_UNSET, "code_status": "Clear", **row} for row in rows), columns=GED_COLUMNS)
    batch = read_ucdp(io.StringIO(text))
    assert batch.refused == (), batch.refused
    return batch


def _event(batch: ImportBatch) -> Attack:
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    return attack


def test_only_a_side_named_government_of_is_a_government() -> None:
    """ucdp.py's docstring, Actors: '"Government of ..." is a ``government``, other
    sides ``armed_force``' (`actor_kind`: "Government of X", also "The Government of
    X"). A side whose name merely starts with the word "Government" names no
    government of a country: an armed force."""
    batch = _read({"side_b": "Government loyalists", "side_b_new_id": "44"})
    actors = {r.id: r for r in batch.records if isinstance(r, ActorDefined)}
    assert actors["actor:ucdp-44"].actor_kind == ActorKind.ARMED_FORCE
    assert actors["actor:ucdp-11"].actor_kind == ActorKind.GOVERNMENT


def test_a_yearless_29_february_is_the_next_leap_day_on_or_after_the_event() -> None:
    """ucdp.py's docstring, Sources: "A date written without a year is the first such
    day on or after the event's first day" (`_on_or_after`: "within four years: 29
    February"). An event of 1 March 2021 cited as "Noche y Niebla 29/2" (day first)
    was reported on 29 February 2024, the first 29 February after it, flagged
    "source date without a year"."""
    batch = _read(
        {
            **NO_OFFICE,
            "source_article": "Noche y Niebla 29/2",
            "year": "2021",
            "date_start": "2021-03-01",
            "date_end": "2021-03-01",
        }
    )
    attack = _event(batch)
    leap_day = TimeExtent.parse("2024-02-29")
    assert attack.sources[0].published == leap_day
    assert attack.reported == leap_day
    assert batch.flags == {"source date without a year": 1}


def test_a_type_of_violence_written_as_a_float_is_the_code() -> None:
    """import.md, a file re-saved by pandas reads as published: "whole numbers
    written as floats (``1648.0`` is event 1648, so such a file re-imports
    unchanged)". ``type_of_violence`` ``3.0`` is GED's code 3, one-sided violence:
    civilians targeted, side B no actor, kept in ``codes`` as 3, and not flagged
    "type_of_violence not 1-3"."""
    batch = _read({"type_of_violence": "3.0", "side_b": "Civilians", "side_b_new_id": "1"})
    attack = _event(batch)
    assert attack.target_class.value == "civilian"
    assert attack.target_actor is None
    assert attack.codes is not None
    assert attack.codes.ucdp_type_of_violence == "3"
    assert "type_of_violence not 1-3" not in batch.flags


def test_a_dotted_source_article_date_reads_day_first_when_neither_reading_settles() -> None:
    """ucdp.py's `article_date` and import.md: ``13.04.1998`` is a day-first form,
    and a numeric date that reads both ways is settled by the event, "the form's
    usual order ... when neither is" on or after its first day. ``AFP 05.04.1998``
    for an event of 1 June 1998 is 5 April 1998 (day first), not 4 May: the source
    is dated 1998-04-05, flagged "source date ambiguous" and, being before the
    event, "source date before the event" (reported: the event's first day)."""
    batch = _read(
        {
            **NO_OFFICE,
            "source_article": "AFP 05.04.1998",
            "year": "1998",
            "date_start": "1998-06-01",
            "date_end": "1998-06-01",
        }
    )
    attack = _event(batch)
    assert attack.sources[0].published == TimeExtent.parse("1998-04-05")
    assert attack.reported == TimeExtent.parse("1998-06-01")
    assert batch.flags == {"source date ambiguous": 1, "source date before the event": 1}


def test_two_sides_of_one_name_with_two_ucdp_ids_are_two_actors() -> None:
    """ucdp.py's docstring, Actors: a side is ``actor:ucdp-<side_a_new_id>`` (the
    UCDP actor id the ceasefire datasets share), so the id, not the name, names the
    actor: two rows naming side B "SLF" with ids 22 and 23 (GED names two "UCK") are
    actors ``actor:ucdp-22`` and ``actor:ucdp-23``."""
    batch = _read(
        {"side_b": "SLF", "side_b_new_id": "22"},
        {"side_b": "SLF", "side_b_new_id": "23"},
    )
    first, second = batch.events()
    assert isinstance(first, Attack)
    assert isinstance(second, Attack)
    assert (first.target_actor, second.target_actor) == ("actor:ucdp-22", "actor:ucdp-23")
    actors = {r.id for r in batch.records if isinstance(r, ActorDefined)}
    assert {"actor:ucdp-22", "actor:ucdp-23"} <= actors


def test_a_type_of_violence_none_of_the_codes_written_as_a_float_is_kept_as_the_number() -> None:
    """import.md: a file re-saved by pandas reads as published, "whole numbers written
    as floats (``1648.0`` is event 1648, so such a file re-imports unchanged)"; a
    ``type_of_violence`` none of GED's codes is kept in the notes
    ("type_of_violence as published: 4 (not one of GED's codes 1-3; ...)"). ``4.0``
    is that 4: the same note, so the re-saved file changes nothing."""
    batch = _read({"type_of_violence": "4.0"})
    attack = _event(batch)
    assert attack.notes == (
        "date_prec=1; "  # kept in the notes, as every GED date_prec is
        "type_of_violence as published: 4 (not one of GED's codes 1-3; the target class "
        "is unknown unless side B is civilians, and side A is not read as the attacker)"
    )
    assert batch.flags == {"type_of_violence not 1-3": 1}


def test_each_rows_year_is_checked_against_its_own_dates() -> None:
    """import.md: "a row whose ``year`` ... is not the year of any of its days
    ``date_start``..``date_end`` is imported with its dates as published; the notes
    keep the year (``year as published: 2022 (date_start 2023-03-01 is in 2023)``),
    counted as 'year differs from the event's dates'". Of two rows on the same day,
    the one whose year is 2023 is not flagged and the one whose year is 2022 is, the
    first row's reading of the dates deciding nothing for the second's."""
    batch = _read({"year": "2023"}, {"year": "2022"})
    right, wrong = batch.events()
    assert isinstance(right, Attack)
    assert isinstance(wrong, Attack)
    assert right.notes == "date_prec=1"
    assert wrong.notes == "date_prec=1; year as published: 2022 (date_start 2023-03-01 is in 2023)"
    assert batch.flags == {"year differs from the event's dates": 1}
