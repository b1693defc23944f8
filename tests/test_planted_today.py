"""Rules of the code landed on 8 December 2026 that no test pinned: each test here
was written after a bug planted by hand survived the tests there were (docs/testing.md,
"Planted by hand: the day's fixes (8 December 2026)"). Expectations are written from
the rule the docs state, never computed by the code under test."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conflict_timeline import Attack
from conflict_timeline.importers import ImportBatch, read_acled

DATA = Path(__file__).parent / "data"
NUMERIC = DATA / "acled-synthetic-numeric-inter.csv"


def _template() -> tuple[list[str], list[dict[str, str]]]:
    with NUMERIC.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(fields: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([row.get(f, "") for f in fields])
    return out.getvalue()


def _iso_notes(batch: ImportBatch) -> dict[str, list[str]]:
    out = {}
    for record in batch.events():
        assert isinstance(record, Attack)
        out[record.id] = [p for p in record.notes.split("\n\n") if p.startswith("iso")]
    return out


# ------------------------------------------------------------------- ACLED's iso


def test_an_iso_in_another_scripts_digits_is_no_code_and_is_kept() -> None:
    """docs/howto/import-acled-vintages.md: an ``iso`` that is no ISO 3166-1 numeric
    code is kept in the notes as published and flagged. A code is written in ASCII
    digits: ``٨٠٤`` (Arabic-Indic 804) beside Ukraine is not Ukraine's code read
    silently, it is kept as written."""
    fields, rows = _template()
    row = {**rows[0], "iso": "٨٠٤", "country": "Ukraine", "event_id_cnty": "SYN1"}
    batch = read_acled(io.StringIO(_write(fields, [row])))
    assert batch.refused == ()
    assert batch.flags == {"iso not an ISO 3166-1 numeric code": 1}
    assert _iso_notes(batch) == {
        "acled:SYN1": ["iso as published: ٨٠٤ (not an ISO 3166-1 numeric code)"]
    }


def test_every_user_assigned_iso_adds_nothing_at_either_end_of_the_range() -> None:
    """ISO 3166-1 leaves the numeric codes 900-999 to users: such a code names no
    country to compare, so 900 and 999 add no note and no flag; 899 and 1000 are
    no code of the standard (899 is assigned to none)."""
    fields, rows = _template()
    cases = {"SYN1": "900", "SYN2": "999", "SYN3": "950", "SYN4": "1000"}
    written = [
        {**rows[0], "iso": iso, "country": "Ukraine", "event_id_cnty": eid}
        for eid, iso in cases.items()
    ]
    batch = read_acled(io.StringIO(_write(fields, written)))
    assert batch.flags == {"iso not an ISO 3166-1 numeric code": 1}
    assert _iso_notes(batch) == {
        "acled:SYN1": [],
        "acled:SYN2": [],
        "acled:SYN3": [],
        "acled:SYN4": ["iso as published: 1000 (not an ISO 3166-1 numeric code)"],
    }


def test_the_iso_note_names_the_country_as_its_cell_reads_without_padding() -> None:
    """A cell's padding is not its text (every cell is read stripped): the note of
    Afghanistan's code beside `` Ukraine `` names Ukraine, not `` Ukraine ``."""
    fields, rows = _template()
    row = {**rows[0], "iso": "4", "country": " Ukraine ", "event_id_cnty": "SYN1"}
    batch = read_acled(io.StringIO(_write(fields, [row])))
    assert _iso_notes(batch) == {
        "acled:SYN1": ["iso as published: 4 (ISO 3166-1's code of Afghanistan, not Ukraine)"]
    }


def test_two_monadic_rows_of_one_event_that_differ_in_iso_are_refused() -> None:
    """The importer reads ``iso`` now (to compare it with ``country``), so it is one
    of the event cells two monadic rows of one event and timestamp must share
    (docs/howto/import-acled-vintages.md): rows that differ in it are refused naming
    it, not merged with the second row's iso dropped unseen."""
    fields, rows = _template()
    monadic = [f for f in fields if f not in {"actor2", "assoc_actor_2", "inter2"}]
    battle = rows[0]
    second = {
        **battle,
        "actor1": battle["actor2"],
        "assoc_actor_1": battle["assoc_actor_2"],
        "inter1": battle["inter2"],
        "iso": "4",
    }
    (refused,) = read_acled(io.StringIO(_write(monadic, [battle, second]))).refused
    assert "appears again with different iso (first at line 2)" in refused.reason


def test_the_iso_note_names_the_country_by_iso_s_short_name() -> None:
    """The note of another country's code says whose code it is by ISO 3166-1's own
    short name (`iso_country`), not by another spelling the table holds for
    comparing: 180 is "Congo, The Democratic Republic of the", 104 "Myanmar"."""
    fields, rows = _template()
    written = [
        {**rows[0], "iso": iso, "country": "Ukraine", "event_id_cnty": eid}
        for eid, iso in (("SYN1", "180"), ("SYN2", "104"))
    ]
    batch = read_acled(io.StringIO(_write(fields, written)))
    congo = "Congo, The Democratic Republic of the"
    assert _iso_notes(batch) == {
        "acled:SYN1": [f"iso as published: 180 (ISO 3166-1's code of {congo}, not Ukraine)"],
        "acled:SYN2": ["iso as published: 104 (ISO 3166-1's code of Myanmar, not Ukraine)"],
    }


def test_an_iso_in_a_files_first_column_is_checked_too() -> None:
    """The column order is the file's: an ``iso`` written as the first column is read
    and compared as anywhere else."""
    fields, rows = _template()
    first = ["iso", *(f for f in fields if f != "iso")]
    row = {**rows[0], "iso": "4", "country": "Ukraine", "event_id_cnty": "SYN1"}
    batch = read_acled(io.StringIO(_write(first, [row])))
    assert batch.flags == {"iso differs from country": 1}
