"""Rules of the ACLED importer (the mapping table in ``importers/acled.py``'s module
docstring, docs/howto/import-acled-vintages.md and import.md) that a mutation audit of
6 December 2026 found no test pinning: each test states its rule, with the expected
value written out from the rule, and fails when the rule is broken.
"""

from __future__ import annotations

import io

import pytest

from conflict_timeline import ActorDefined, ActorKind, Attack
from conflict_timeline.errors import ImportDataError
from conflict_timeline.importers import ImportBatch, read_acled
from test_import_acled import COLUMNS
from test_import_acled_vintages import template, write
from test_import_versions import (
    CODINGS,
    RECODED_KIND,
    T0,
    acled,
    acled_row,
    codings,
    current_records,
    deletions,
    import_coding,
    timeline,
)


def _actor_kinds(batch: ImportBatch) -> dict[str, ActorKind]:
    return {r.name: r.actor_kind for r in batch.records if isinstance(r, ActorDefined)}


@pytest.mark.parametrize("inter", ["8", "External/Other forces"])
def test_external_and_other_forces_are_armed_forces(inter: str) -> None:
    """acled.py: "state forces, rebels, militias and external/other forces are
    ``armed_force``", by code or by label."""
    batch = read_acled(acled(acled_row(actor2="Foreign Forces", inter2=inter, interaction="")))
    assert _actor_kinds(batch)["Foreign Forces"] is ActorKind.ARMED_FORCE


def test_only_a_name_starting_government_of_is_a_government() -> None:
    """acled.py: "a name starting "Government of" is ``government``"; a militia whose
    name starts "Government" is an armed force."""
    batch = read_acled(
        acled(
            acled_row(actor2="Government Militia", inter2="3", interaction="13"),
            acled_row(event_id_cnty="SYN2", actor2="Government of Synthetica", inter2="1"),
        )
    )
    kinds = _actor_kinds(batch)
    assert kinds["Government Militia"] is ActorKind.ARMED_FORCE
    assert kinds["Government of Synthetica"] is ActorKind.GOVERNMENT


RIOT = {
    "actor1": "Rioters (Synthetica)",
    "inter1": "5",
    "actor2": "Civilians (Synthetica)",
    "inter2": "7",
    "interaction": "57",
    "civilian_targeting": "Civilian targeting",
}


def test_a_riot_on_civilians_needs_a_riots_sub_event_type() -> None:
    """acled.py: a riot targeting civilians is an attack when its sub-event type is
    empty or a riot's. A pre-2019 Riots/Protests row coded a peaceful protest is
    skipped by design, civilian_targeting or not; a Riots row coded so is refused (a
    sub-event type of another type)."""
    protest = read_acled(
        acled(acled_row(event_type="Riots/Protests", sub_event_type="Peaceful protest", **RIOT))
    )
    assert (protest.events(), protest.out_of_scope) == ((), {"Riots/Protests": 1})
    riot = read_acled(
        acled(acled_row(event_type="Riots", sub_event_type="Peaceful protest", **RIOT))
    )
    assert riot.events() == ()
    assert [r.field for r in riot.refused] == ["sub_event_type"]
    mob = read_acled(acled(acled_row(event_type="Riots", sub_event_type="Mob violence", **RIOT)))
    (attack,) = mob.events()
    assert isinstance(attack, Attack)


@pytest.mark.parametrize(
    "column",
    [
        "event_id_cnty",
        "event_date",
        "time_precision",
        "event_type",
        "actor1",
        "country",
        "fatalities",
    ],
)
def test_each_required_column_is_required(column: str) -> None:
    """acled.py: "Required are ``event_id_cnty, event_date, time_precision, event_type,
    actor1, country, fatalities``"."""
    columns = [c for c in COLUMNS if c != column]
    text = io.StringIO(write(columns, [acled_row()]))
    with pytest.raises(ImportDataError, match=f"missing required column '{column}'"):
        read_acled(text)


def test_a_lone_actors_interaction_label_that_disagrees_is_kept_and_flagged() -> None:
    """import-acled-vintages.md: the 2024 labels are compared, a lone actor's ``X only``
    too: ``Rebel group only`` beside a lone state force is not what inter1 makes."""
    batch = read_acled(acled(acled_row(actor2="", inter2="", interaction="Rebel group only")))
    assert batch.flags == {"interaction differs from inter1 and inter2": 1}
    (attack,) = batch.events()
    assert "interaction as published: Rebel group only (inter1 and inter2 make 10)" in (
        attack.notes or ""
    )


@pytest.mark.parametrize("precision", ["2.0", "2,0", "3.0"])
def test_a_territorial_battle_at_a_coarse_geo_precision_written_as_a_float_gives_no_control(
    precision: str,
) -> None:
    """import-acled-vintages.md: whole numbers written as floats read as the numbers
    they are, in ``geo_precision`` too; a territorial battle gives no control change
    at ``geo_precision`` 2 or 3."""
    won = {"sub_event_type": "Government regains territory"}
    batch = read_acled(acled(acled_row(**won, geo_precision=precision)))
    assert [e.id for e in batch.events()] == ["acled:SYN1"]
    held = read_acled(acled(acled_row(**won, geo_precision="1.0")))
    assert [e.id for e in held.events()] == ["acled:SYN1", "acled:SYN1#control"]


def test_civilians_on_both_sides_stay_as_published() -> None:
    """import-acled-vintages.md: "a row with civilians on both sides stays as
    published", dyadic or as a monadic pair."""
    vac = {"event_type": "Violence against civilians", "sub_event_type": "Attack"}
    sides = {"actor1": "Civilians (A)", "inter1": "7", "actor2": "Civilians (B)", "inter2": "7"}
    (attack,) = read_acled(acled(acled_row(**vac, **sides, interaction="77"))).events()
    assert isinstance(attack, Attack)
    assert (attack.perpetrator, attack.target) == ("actor:civilians-a", "Civilians (B)")
    assert "civilians as actor1" not in (attack.notes or "")
    fields, rows = template()
    monadic = [f for f in fields if f not in {"actor2", "assoc_actor_2", "inter2"}]
    base = {**rows[0], **vac, "interaction": "77", "assoc_actor_1": ""}
    pair = [
        {**base, "actor1": "Civilians (A)", "inter1": "7"},
        {**base, "actor1": "Civilians (B)", "inter1": "7"},
    ]
    (merged,) = read_acled(io.StringIO(write(monadic, pair))).events()
    assert isinstance(merged, Attack)
    assert (merged.perpetrator, merged.target) == ("actor:civilians-a", "Civilians (B)")


def test_a_year_differing_from_a_four_digit_event_date_is_flagged_whatever_its_digits() -> None:
    """acled.py: a ``year`` that is not the year of a four-digit ``event_date`` is kept
    in the notes, flagged: 1923 is not 2023, though their last digits agree."""
    batch = read_acled(acled(acled_row(year="1923")))
    assert batch.flags == {"year differs from event_date": 1}


# -------------------------------------- versions, deletions and recodings (ACLED's)


def test_a_territorial_battle_at_the_instant_of_a_kept_deletion_comes_in_retracted() -> None:
    """read_acled_deletions: an export imported after a deletion kept for it brings the
    event in retracted, unless its row is newer than the deletion: a row stamped at
    the deletion's own instant is not, and its control change is retracted too."""
    tl = timeline()
    deleted = T0 + 200_000
    tl.import_acled_deletions(deletions(("SYN1", deleted)), keep_unheld=True)
    won = acled_row(sub_event_type="Government regains territory", timestamp=str(deleted))
    tl.import_acled(acled(won))
    assert [r.id for r in current_records(tl) if r.id.startswith("acled:SYN1")] == []
    assert tl.get("acled:SYN1#control") is not None


def test_a_deletion_at_the_timestamp_of_an_events_record_of_another_kind_deletes_it() -> None:
    """read_acled_deletions: the event is retracted unless its current version is
    newer than the deletion (its timestamp wholly after it); for an event recoded as
    another kind, that version is its record of that kind."""
    tl = timeline()
    import_coding(tl, "attack")
    import_coding(tl, "arrest")
    summary = tl.import_acled_deletions(deletions(("SYN1", CODINGS["arrest"][0])))
    assert codings(tl) == []
    assert summary.retractions == 2  # acled:SYN1 again, and acled:SYN1#as-statement
    before = timeline()
    import_coding(before, "attack")
    import_coding(before, "arrest")
    older = before.import_acled_deletions(deletions(("SYN1", CODINGS["arrest"][0] - 1)))
    assert older.flags == {"deletion older than the stored version (the stored one kept)": 1}
    assert codings(before) == [("acled:SYN1#as-statement", "Statement", "arrest")]


def test_a_version_recoded_back_to_the_first_kind_is_flagged_and_counted() -> None:
    """import.md: a version recoded back to the first kind brings that record back and
    retracts the other; the row counts as accepted, flagged "recoded as another kind
    of record". An older one is counted unchanged: the counts add up."""
    tl = timeline()
    import_coding(tl, "attack")
    import_coding(tl, "arrest")
    back = import_coding(tl, "attack again")
    assert back.accepted == 1
    assert RECODED_KIND in back.flags
    assert codings(tl) == [("acled:SYN1", "Attack", 7)]
    older = timeline()
    import_coding(older, "attack")
    import_coding(older, "arrest later")
    summary = import_coding(older, "attack again")
    assert (summary.rows, summary.accepted, summary.skipped) == (1, 0, 1)
    assert summary.flags == {"older than the stored version (the stored one kept)": 1}
