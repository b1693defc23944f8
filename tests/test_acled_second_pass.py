"""Rules of the ACLED importer that a second, hand-planted mutation audit (7 December
2026) found no test pinning. Each test names the rule (docs/howto/import-acled-vintages.md,
docs/howto/import.md, ``importers/acled.py``'s docstrings), builds synthetic rows in
ACLED's published form, and checks a value written out by hand from the rule.
"""

from __future__ import annotations

import csv
import io

import pytest

from conflict_timeline import Attack, TimeExtent
from conflict_timeline.importers import ImportBatch, read_acled
from test_import_acled import COLUMNS
from test_import_versions import acled, acled_row

MONADIC = [c for c in COLUMNS if c not in {"actor2", "assoc_actor_2", "inter2"}]
"""A monadic export's columns: one row per actor, no second actor's columns."""


def _csv(columns: list[str], rows: list[dict[str, str]]) -> io.StringIO:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return io.StringIO(out.getvalue())


def _attack(batch: ImportBatch) -> Attack:
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    return attack


def test_rioters_hold_no_place_after_a_territorial_battle() -> None:
    """import-acled-vintages.md, Territory: "Who can hold a place: a named actor that is
    no civilians, protesters or rioters (inter 7, 6, 5)"; when one actor can, it holds
    the place "unless its inter code puts it on the other side (a rebel group, alone,
    in a row saying the government regained territory): then ... no control change
    is recorded and the attack's notes say why". Rioters beside a rebel group in a
    row saying the government regained territory: the rebels are the one actor that
    can hold it, of the wrong side, so nobody does (not the rioters, as actor1)."""
    row = acled_row(
        sub_event_type="Government regains territory",
        actor1="Rioters (Synthetica)",
        inter1="5",
        actor2="Synthetic Liberation Front",
        inter2="2",
        interaction="25",
    )
    batch = read_acled(acled(row))
    assert batch.refused == ()
    assert [e.id for e in batch.events()] == ["acled:SYN1"]
    assert "no control change recorded" in (_attack(batch).notes or "")


def test_a_12_hour_timestamp_at_12_am_is_after_midnight_and_at_12_pm_after_noon() -> None:
    """import-acled-vintages.md, Knowledge time: a ``timestamp`` re-saved by Excel as a
    numeric date and time on a 12-hour clock (``6/1/2020 9:00 AM``) is that time in
    UTC, the minute when it has no seconds: ``12:30 AM`` is half past midnight and
    ``12:30 PM`` half past noon, as on any 12-hour clock (the 14th settles the file's
    order: month first)."""
    for stamp, minute in [
        ("11/14/2023 12:30 AM", "2023-11-14T00:30Z"),
        ("11/14/2023 12:30 PM", "2023-11-14T12:30Z"),
    ]:
        batch = read_acled(acled(acled_row(timestamp=stamp)))
        assert batch.refused == ()
        attack = _attack(batch)
        published = attack.sources[-1].published
        assert published is not None
        assert published.lo == TimeExtent.parse(minute).lo
        assert attack.reported is not None
        # reported no later than the minute's end
        assert attack.reported.last == TimeExtent.parse(minute).lo + 60_000_000 - 1


UNIDENTIFIED = "Unidentified Armed Group (Synthetica)"


def test_a_monadic_pair_of_one_name_without_inter1_keeps_both_actors() -> None:
    """import-acled-vintages.md, Monadic exports: a row the same as the first to the
    letter is the event's other actor when its ``interaction`` says it has two actors
    of one type (``33``) and no other row names its other actor; "``assoc_actor_1``
    and ``inter1`` are optional: a monadic file without them merges the same way". Two
    unidentified groups fighting each other, in a monadic file without ``inter1``."""
    columns = [c for c in MONADIC if c not in {"inter1", "assoc_actor_1"}]
    row = acled_row(actor1=UNIDENTIFIED, interaction="33")
    batch = read_acled(_csv(columns, [row, row]))
    assert (batch.refused, batch.rows, batch.merged) == ((), 2, 1)
    attack = _attack(batch)
    actor = "actor:unidentified-armed-group-synthetica"
    assert (attack.perpetrator, attack.target, attack.target_actor) == (
        actor,
        UNIDENTIFIED,
        actor,
    )


def test_a_monadic_row_differing_in_source_scale_under_one_timestamp_is_refused() -> None:
    """import-acled-vintages.md, Monadic exports: a repeat is "the same in every column
    the importer reads", and "A row of the same timestamp that differs in another cell
    (other ``fatalities``) is refused, naming the column and the first row's line":
    ``source_scale`` is a column the importer reads (kept in the notes), so a second
    row giving another one is refused, not merged under the first row's value."""
    first = acled_row(source_scale="National")
    second = acled_row(actor1="Synthetic Liberation Front", inter1="2", source_scale="Subnational")
    batch = read_acled(_csv(MONADIC, [first, second]))
    assert [(r.line, r.field) for r in batch.refused] == [(3, "row")]
    reason = batch.refused[0].reason
    assert "source_scale" in reason
    assert "first at line 2" in reason
    attack = _attack(batch)
    assert attack.target_actor is None
    assert "source_scale: National" in (attack.notes or "")


def test_a_monadic_row_the_reader_cannot_line_up_is_refused_and_counted() -> None:
    """import.md: "Every row is accounted for"; import-acled-vintages.md, Monadic
    exports: "every row is counted". A monadic file's row with more cells than its
    header is refused as field ``row`` and counted among the file's rows: 3 rows, 1
    record, 1 merged, 1 refused."""
    first = acled_row()
    second = acled_row(actor1="Synthetic Liberation Front", inter1="2")
    text = _csv(MONADIC, [first, second]).getvalue()
    text += _csv(MONADIC, [acled_row(event_id_cnty="SYN2")]).getvalue().splitlines()[1]
    text += ",extra cell\n"
    batch = read_acled(io.StringIO(text))
    assert [(r.line, r.field) for r in batch.refused] == [(4, "row")]
    assert (batch.rows, batch.merged, len(batch.events())) == (3, 1, 1)


def test_a_third_actor_of_a_monadic_event_is_named_with_actor2s_associates() -> None:
    """import-acled-vintages.md, Monadic exports: the first row's cells, with the second
    row's ``actor1`` as ``actor2`` ("a third actor is named with actor2's
    associates")."""
    rows = [
        acled_row(),
        acled_row(actor1="Synthetic Liberation Front", inter1="2"),
        acled_row(actor1="Synthetic Clan C", inter1="4"),
    ]
    batch = read_acled(_csv(MONADIC, rows))
    assert (batch.refused, batch.rows, batch.merged) == ((), 3, 2)
    attack = _attack(batch)
    assert attack.target_actor == "actor:synthetic-liberation-front"
    assert "associated with actor2: Synthetic Clan C" in (attack.notes or "")


def test_monadic_rows_without_an_event_id_are_each_refused_on_their_line() -> None:
    """import.md: every row "was refused with its line, field and reason"; an empty
    ``event_id_cnty`` is refused ("every ACLED row has an event id"). In a monadic file
    two such rows of one timestamp share no event: each is refused on its own line,
    none merged into the other."""
    rows = [
        acled_row(event_id_cnty=""),
        acled_row(event_id_cnty="", actor1="Synthetic Liberation Front", inter1="2"),
    ]
    batch = read_acled(_csv(MONADIC, rows))
    assert [(r.line, r.field) for r in batch.refused] == [
        (2, "event_id_cnty"),
        (3, "event_id_cnty"),
    ]
    assert (batch.rows, batch.merged, batch.events()) == (2, 0, ())


@pytest.mark.parametrize(
    ("event_type", "sub_event_type"),
    [
        ("Battles", "Armed clash"),
        ("Battles", "Government regains territory"),
        ("Battles", "Non-state actor overtakes territory"),
        ("Explosions/Remote violence", "Chemical weapon"),
        ("Explosions/Remote violence", "Air/drone strike"),
        ("Explosions/Remote violence", "Suicide bomb"),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("Explosions/Remote violence", "Grenade"),
        ("Violence against civilians", "Sexual violence"),
        ("Violence against civilians", "Attack"),
        ("Violence against civilians", "Abduction/forced disappearance"),
        ("Strategic developments", "Agreement"),
        ("Strategic developments", "Arrests"),
        ("Strategic developments", "Change to group/activity"),
        ("Strategic developments", "Disrupted weapons use"),
        ("Strategic developments", "Headquarters or base established"),
        ("Strategic developments", "Looting/property destruction"),
        ("Strategic developments", "Non-violent transfer of territory"),
        ("Strategic developments", "Other"),
    ],
)
def test_every_sub_event_type_of_the_mapping_table_is_its_types_unflagged(
    event_type: str, sub_event_type: str
) -> None:
    """import-acled-vintages.md, the mapping table lists each event type's sub-event
    types; only "A ``sub_event_type`` that is none of its event type's in the table" is
    kept in the notes and flagged "sub_event_type not in ACLED's codebook for its
    event type". Each one the table lists imports without that flag or note."""
    row = acled_row(event_type=event_type, sub_event_type=sub_event_type)
    batch = read_acled(acled(row))
    assert batch.refused == ()
    assert batch.flags == {}
    for event in batch.events():
        assert "sub_event_type as published" not in (event.notes or "")


def test_a_pre_2019_rows_codes_keep_no_sub_event_type_it_did_not_publish() -> None:
    """import-acled-vintages.md: "the event's codes keep the type as published";
    acled.py: "``event_type``/``sub_event_type`` are kept in Codes". A file before 2019
    has no ``sub_event_type``: a ``Battle-No change of territory`` row's attack has the
    means the type implies ("Armed clash"), but its codes hold no sub-event type."""
    columns = [c for c in COLUMNS if c != "sub_event_type"]
    row = acled_row(event_type="Battle-No change of territory")
    attack = _attack(read_acled(_csv(columns, [row])))
    assert attack.means == "Armed clash"
    assert attack.codes is not None
    assert (attack.codes.acled_event_type, attack.codes.acled_sub_event_type) == (
        "Battle-No change of territory",
        None,
    )


@pytest.mark.parametrize("label", ["External/Other force", "external/other FORCE"])
def test_the_external_forces_label_in_the_singular_is_code_8(label: str) -> None:
    """import-acled-vintages.md, Columns with no field: ACLED's actor types are the
    codes 0-8 "and their labels (... ``External/Other forces``, singular or plural, in
    any case)": the singular label is code 8, noted by its code and codebook name,
    not flagged as no actor type."""
    row = acled_row(
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        actor2="Foreign Forces",
        inter2=label,
        interaction="18",
    )
    batch = read_acled(acled(row))
    assert batch.flags == {}
    attack = _attack(batch)
    assert "inter2: 8 (External/Other forces)" in (attack.notes or "")


def test_a_monadic_rows_interaction_is_not_compared_when_its_other_actor_is_absent() -> None:
    """import-acled-vintages.md, Columns with no field: an ``interaction`` that is not
    what ``inter1`` and ``inter2`` make is kept and flagged, but "a monadic row whose
    other actor no row of the file names" is not compared: a monadic file holding only
    the state forces' row of a battle with rebels (``12``) flags nothing."""
    batch = read_acled(_csv(MONADIC, [acled_row(interaction="12")]))
    assert batch.flags == {}
    assert "interaction as published" not in (_attack(batch).notes or "")


def test_civilians_by_name_with_no_actor_type_code_hold_no_place() -> None:
    """import-acled-vintages.md, Territory: only a named actor that is no civilians,
    protesters or rioters holds a place ("without a code, civilians by name"); an
    inter cell that is none of ACLED's types "decides nothing the type would: the
    actor is told as in a file without inter codes", civilians by their name. A
    territorial battle whose one actor is ``Civilians (Synthetica)`` coded ``9``
    records no control change."""
    row = acled_row(
        sub_event_type="Non-state actor overtakes territory",
        actor1="Civilians (Synthetica)",
        inter1="9",
        actor2="",
        inter2="",
        interaction="",
    )
    batch = read_acled(acled(row))
    assert batch.refused == ()
    assert [e.id for e in batch.events()] == ["acled:SYN1"]
    assert "no control change recorded" in (_attack(batch).notes or "")


def test_a_lone_external_force_does_not_hold_a_place_the_government_regained() -> None:
    """import-acled-vintages.md, Territory: one actor that can hold a place holds it
    "unless its inter code puts it on the other side"; the non-state side that
    overtakes territory is "a rebel group, militia or external force (inter 2, 3, 4
    or 8)". An external force alone in a row saying the government regained territory
    is of the other side: no control change is recorded, and the notes say why."""
    row = acled_row(
        sub_event_type="Government regains territory",
        actor1="Foreign Forces",
        inter1="8",
        actor2="",
        inter2="",
        interaction="80",
    )
    batch = read_acled(acled(row))
    assert batch.refused == ()
    assert [e.id for e in batch.events()] == ["acled:SYN1"]
    assert "is not of the side that regains territory" in (_attack(batch).notes or "")
