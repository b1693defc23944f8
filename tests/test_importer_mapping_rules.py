"""The importers' mappings that the mutation run of ``importers/acled.py`` found
unpinned (docs/testing.md, "Mutation testing"): where each ACLED event type goes,
dates and precisions, figures, actors and notes.

The rules are those of docs/howto/import.md, docs/howto/import-acled-vintages.md
("Where each event type goes") and the docstrings of ``acled_date``,
``acled_extent`` and the importer; every row is synthetic and the expected records
are written from those rules, never computed by the code under test.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from typing import Any

import pytest

from conflict_timeline import (
    ActorDefined,
    ActorKind,
    Attack,
    ControlChanged,
    Correction,
    ImportDataError,
    InvalidTimeError,
    PlaceDefined,
    Precision,
    Record,
    Statement,
    TargetClass,
    TimeExtent,
    Timeline,
)
from conflict_timeline.importers import ImportBatch, read_acled
from conflict_timeline.importers.acled import acled_date, acled_extent, from_acled

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "civilian_targeting",
    "country",
    "admin1",
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
)

ROW: dict[str, str] = {
    "event_id_cnty": "SYN1",
    "event_date": "2023-11-05",
    "year": "2023",
    "time_precision": "1",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Synthetic Army",
    "inter1": "1",
    "actor2": "Synthetic Front",
    "inter2": "2",
    "country": "Synthetica",
    "admin1": "North",
    "location": "Testville",
    "latitude": "10.5",
    "longitude": "20.5",
    "source": "Synthetic Daily",
    "notes": "SYNTHETIC ROW.",
    "fatalities": "3",
    "timestamp": "1700000000",
}


# The default row's actor types (inter1 1, inter2 2) as the notes keep them: each code
# with its name in ACLED's codebook.
INTERS = "inter1: 1 (State forces); inter2: 2 (Rebel group)"


def _read(*rows: dict[str, str]) -> ImportBatch:
    """The batch of a synthetic ACLED file: `ROW` with each row's changes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for n, changes in enumerate(rows, start=1):
        cells = {**ROW, "event_id_cnty": f"SYN{n}", **changes}
        writer.writerow([cells.get(column, "") for column in COLUMNS])
    return read_acled(io.StringIO(out.getvalue()))


def _event(**changes: str) -> Record:
    batch = _read(changes)
    assert batch.refused == (), batch.refused
    return {r.id: r for r in batch.records}["acled:SYN1"]


def _refused(**changes: str) -> tuple[str, str]:
    (refused,) = _read(changes).refused
    return refused.field, refused.reason


# ------------------------------------------------------------ where each type goes

ATTACKS = [
    # (event_type, sub_event_type, changes, target class, means)
    ("Battles", "Armed clash", {}, TargetClass.MILITARY, "Armed clash"),
    ("Battles", "Armed clash", {"actor2": "", "inter2": ""}, "military", None),
    ("battles", "Government regains territory", {}, TargetClass.MILITARY, None),
    ("Violence against civilians", "Abduction/forced disappearance", {}, "civilian", None),
    ("Protests", "Excessive force against protesters", {}, "civilian", None),
    ("Explosions/Remote violence", "Air/drone strike", {}, "military", None),
    ("Explosions/Remote violence", "Grenade", {"inter2": "5"}, "unknown", None),
    ("Explosions/Remote violence", "Grenade", {"actor2": "", "inter2": ""}, "unknown", None),
    (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        {"civilian_targeting": "Civilian targeting"},
        "civilian",
        None,
    ),
    ("Explosions/Remote violence", "Grenade", {"inter2": "7"}, "civilian", None),
    ("Battle-No change of territory", "", {}, "military", "Armed clash"),
    ("Battle-Government regains territory", "", {}, "military", "Government regains territory"),
    (
        "Battle-Non-state actor overtakes territory",
        "",
        {},
        "military",
        "Non-state actor overtakes territory",
    ),
    ("Remote violence", "", {"inter2": "8"}, "military", None),
    ("Remote violence", "", {"inter2": "6"}, "unknown", None),
]


@pytest.mark.parametrize(("event_type", "sub", "changes", "target", "means"), ATTACKS)
def test_attacks_get_the_documented_target_class_and_means(
    event_type: str, sub: str, changes: dict[str, str], target: Any, means: str | None
) -> None:
    """import-acled-vintages.md, "Where each event type goes": battles are attacks on
    military targets; explosions/remote violence target civilians when
    ``civilian_targeting`` is set or actor2 is civilians, military against an armed
    actor, else unknown; violence against civilians and force against protesters
    target civilians; the sub-event type (or the one a pre-2019 type implies) is
    the means."""
    record = _event(event_type=event_type, sub_event_type=sub, **changes)
    assert isinstance(record, Attack)
    assert record.target_class is TargetClass(target)
    assert record.means == (means or sub or None)


def test_an_attack_names_actor1_as_perpetrator_and_actor2_as_target() -> None:
    """actor1 is the perpetrator, actor2 the target (an actor, unless civilians:
    "civilians are named in target, not made actors"); fatalities is the figure."""
    battle = _event()
    assert isinstance(battle, Attack)
    assert (battle.perpetrator, battle.target, battle.target_actor) == (
        "actor:synthetic-army",
        "Synthetic Front",
        "actor:synthetic-front",
    )
    assert battle.fatalities is not None
    assert battle.fatalities.best == 3
    on_civilians = _event(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor2="Civilians (Synthetica)",
        inter2="7",
    )
    assert isinstance(on_civilians, Attack)
    assert (on_civilians.target, on_civilians.target_actor) == ("Civilians (Synthetica)", None)
    unclaimed = _event(actor1="", inter1="", fatalities="")
    assert isinstance(unclaimed, Attack)
    assert (unclaimed.perpetrator, unclaimed.fatalities) == (None, None)


@pytest.mark.parametrize(
    ("cell", "target"),
    [
        ("Civilian targeting", TargetClass.CIVILIAN),  # ACLED's one value
        ("Yes", TargetClass.CIVILIAN),
        ("1", TargetClass.CIVILIAN),
        ("", TargetClass.MILITARY),
        ("0", TargetClass.MILITARY),
        ("0.0", TargetClass.MILITARY),  # a 0/1 dummy pandas wrote as floats
        ("nan", TargetClass.MILITARY),  # pandas' missing value written as text
        ("None", TargetClass.MILITARY),  # Python's, written as text
        ("null", TargetClass.MILITARY),
        ("N/A", TargetClass.MILITARY),
    ],
)
def test_civilian_targeting_is_set_by_a_value_not_by_a_missing_marker(
    cell: str, target: TargetClass
) -> None:
    """import-acled-vintages.md: an explosion targets civilians when
    ``civilian_targeting`` is set; a cell saying no (``0``, ``No``, ``False``) or
    nothing (empty, or a missing value as pandas, Python or a database writes one:
    ``nan``, ``None``, ``null``, ``N/A``) leaves its target on an armed actor (inter2
    2) military."""
    strike = _event(
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        civilian_targeting=cell,
    )
    assert isinstance(strike, Attack)
    assert strike.target_class is target


@pytest.mark.parametrize("event_type", ["Battles", "Battle-No change of territory"])
def test_civilian_targeting_on_a_battle_keeps_it_military_noted_and_flagged(
    event_type: str,
) -> None:
    """import-acled-vintages.md: a battle is between organised armed actors, and ACLED
    sets ``civilian_targeting`` for events whose main target is civilians, so a
    battle (of today or before 2019) with it set contradicts itself: its target stays
    military, as the table says, its notes keep the cell as published and the row is
    flagged "civilian_targeting on a battle"; a cell not setting it adds nothing."""
    sub = "Armed clash" if event_type == "Battles" else ""
    batch = _read(
        {
            "event_type": event_type,
            "sub_event_type": sub,
            "civilian_targeting": "Civilian targeting",
        },
        {"event_type": event_type, "sub_event_type": sub, "civilian_targeting": "No"},
    )
    assert batch.refused == ()
    assert batch.flags == {"civilian_targeting on a battle": 1}
    found = {r.id: r for r in batch.events()}
    battle, plain = found["acled:SYN1"], found["acled:SYN2"]
    assert isinstance(battle, Attack)
    assert isinstance(plain, Attack)
    assert battle.target_class is TargetClass.MILITARY
    assert battle.notes == (
        "SYNTHETIC ROW.\n\ncivilian_targeting: Civilian targeting (on a battle: the "
        "target stays military); inter1: 1 (State forces); inter2: 2 (Rebel group)"
    )
    assert plain.target_class is TargetClass.MILITARY
    assert plain.notes == "SYNTHETIC ROW.\n\ninter1: 1 (State forces); inter2: 2 (Rebel group)"


def test_civilian_targeting_of_a_statement_or_control_change_is_kept_in_the_notes() -> None:
    """import-acled-vintages.md: only an attack has a field for ``civilian_targeting``
    (its target class); a strategic development that ACLED marks as targeting
    civilians (a looting of civilians' property) keeps the cell as published in its
    notes, after its fatalities; one not set (empty, ``No``) adds nothing."""
    looting = {"event_type": "Strategic developments", "actor2": "", "inter2": ""}
    statement = _event(
        **looting,
        sub_event_type="Looting/property destruction",
        civilian_targeting="Civilian targeting",
    )
    assert isinstance(statement, Statement)
    assert statement.notes == (
        "fatalities: 3; civilian_targeting: Civilian targeting; inter1: 1 (State forces)"
    )
    control = _event(
        **looting,
        sub_event_type="Non-violent transfer of territory",
        civilian_targeting="Civilian targeting",
    )
    assert isinstance(control, ControlChanged)
    assert control.notes == (
        "SYNTHETIC ROW.\n\nfatalities: 3; civilian_targeting: Civilian targeting; "
        "inter1: 1 (State forces)"
    )
    for unset in ("", "No"):
        plain = _event(**looting, sub_event_type="Arrests", civilian_targeting=unset)
        assert plain.notes == "fatalities: 3; inter1: 1 (State forces)"


FORCE = {"event_type": "Protests", "sub_event_type": "Excessive force against protesters"}
POLICE = "Police Forces of Synthetica"
CROWD = "Protesters (Synthetica)"


@pytest.mark.parametrize(
    "changes",
    [
        # ACLED's demonstration events: the protesters are actor1, the force actor2.
        {"actor1": CROWD, "inter1": "6", "actor2": POLICE, "inter2": "1"},
        {"actor1": CROWD, "inter1": "Protesters", "actor2": POLICE, "inter2": "State forces"},
        {"actor1": CROWD, "inter1": "", "actor2": POLICE, "inter2": ""},  # no inter codes
        # The force coded first: as published.
        {"actor1": POLICE, "inter1": "1", "actor2": CROWD, "inter2": "6"},
    ],
)
def test_excessive_force_is_an_attack_by_the_force_on_the_protesters(
    changes: dict[str, str],
) -> None:
    """import-acled-vintages.md, "Where each event type goes": ACLED codes the
    protesters of a demonstration event as actor1 and the actor that intervenes as
    actor2 (its actor order implies no direction), so excessive force against
    protesters is an attack by the actor that is not the protesters (inter 6, the
    label "Protesters", or without inter codes the name "Protesters (...)") on the
    protesters, whichever column each is in."""
    force = _event(**FORCE, **changes)
    assert isinstance(force, Attack)
    assert force.perpetrator == "actor:police-forces-of-synthetica"
    assert (force.target, force.target_actor) == (CROWD, "actor:protesters-synthetica")
    assert force.target_class is TargetClass.CIVILIAN


def test_excessive_force_reads_the_protesters_by_their_inter_code_before_their_name() -> None:
    """A row with inter codes is read by them: actor1 coded 6 is the protesters
    whatever its name, and one named "Protesters (...)" but coded as another kind of
    actor (5, rioters) is not."""
    students = "Students (Synthetica)"
    coded = _event(**FORCE, actor1=students, inter1="6", actor2=POLICE, inter2="1")
    assert isinstance(coded, Attack)
    assert (coded.perpetrator, coded.target) == ("actor:police-forces-of-synthetica", students)
    rioters = _event(**FORCE, actor1=CROWD, inter1="5", actor2=POLICE, inter2="1")
    assert isinstance(rioters, Attack)
    assert (rioters.perpetrator, rioters.target) == ("actor:protesters-synthetica", POLICE)


def test_excessive_force_on_protesters_by_no_named_actor_has_no_perpetrator() -> None:
    """The protesters coded as actor1 with no actor2: the force is not named, so the
    attack has no perpetrator, and targets the protesters."""
    force = _event(**FORCE, actor1=CROWD, inter1="6", actor2="", inter2="")
    assert isinstance(force, Attack)
    assert (force.perpetrator, force.target) == (None, CROWD)
    assert force.target_actor == "actor:protesters-synthetica"


def test_excessive_force_between_two_crowds_keeps_actor1_as_perpetrator() -> None:
    """Only a row with the protesters on one side and another actor on the other is
    read by who is who; protesters on both sides (counter-protesters) stay as
    published."""
    force = _event(**FORCE, actor1=CROWD, inter1="6", actor2="Protesters (Other)", inter2="6")
    assert isinstance(force, Attack)
    assert (force.perpetrator, force.target) == (
        "actor:protesters-synthetica",
        "Protesters (Other)",
    )


CIVILIANS = "Civilians (Synthetica)"
ARMY = "Military Forces of Synthetica (2020-)"


@pytest.mark.parametrize(
    ("event_type", "sub_event_type"),
    [
        ("Explosions/Remote violence", "Air/drone strike"),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("Battles", "Armed clash"),
        ("Remote violence", ""),
    ],
)
@pytest.mark.parametrize("inters", [("7", "1"), ("", "")], ids=["coded", "by-name"])
def test_civilians_as_actor1_of_a_dyadic_row_are_the_target_not_the_perpetrator(
    event_type: str, sub_event_type: str, inters: tuple[str, str]
) -> None:
    """import-acled-vintages.md, "Where each event type goes": civilians are victims
    by ACLED's definition and its order of actors means nothing outside Violence
    against civilians, so civilians coded as actor1 (inter 7, or by their name in a
    file without inter codes) against an armed actor2 are the target: actor2 is the
    perpetrator, the target class is civilian, civilians are not made an actor, and
    the notes say the row was read so."""
    batch = _read(
        {
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            "actor1": CIVILIANS,
            "inter1": inters[0],
            "actor2": ARMY,
            "inter2": inters[1],
        }
    )
    assert batch.refused == ()
    attack = {r.id: r for r in batch.records}["acled:SYN1"]
    assert isinstance(attack, Attack)
    assert attack.perpetrator == "actor:military-forces-of-synthetica-2020"
    assert (attack.target, attack.target_actor) == (CIVILIANS, None)
    assert attack.target_class is TargetClass.CIVILIAN
    assert "actor:civilians-synthetica" not in {r.id for r in batch.records}
    assert (
        "civilians as actor1: the perpetrator is actor2, the civilians (actor1) the target "
        "(civilians are never the perpetrator)"
    ) in attack.notes


def test_civilians_alone_as_actor1_are_the_target_of_no_named_perpetrator() -> None:
    """Civilians as the row's only actor (a landmine that killed a farmer) are the
    target; the attack names no perpetrator."""
    attack = _event(
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        actor1=CIVILIANS,
        inter1="7",
        actor2="",
        inter2="",
    )
    assert isinstance(attack, Attack)
    assert (attack.perpetrator, attack.target, attack.target_actor) == (None, CIVILIANS, None)
    assert attack.target_class is TargetClass.CIVILIAN
    assert "the civilians are the target; the row names no other actor" in attack.notes


def test_strategic_developments_are_statements_or_control_changes() -> None:
    """An agreement is a Statement by actor1, "Agreement with actor2 (ACLED): notes";
    a non-violent transfer of territory is a ControlChanged (actor1 controls the
    place); any other strategic development a Statement with the notes as summary."""
    agreement = _event(event_type="Strategic developments", sub_event_type="Agreement")
    assert isinstance(agreement, Statement)
    assert agreement.speaker == "actor:synthetic-army"
    assert agreement.summary == "Agreement with Synthetic Front (ACLED): SYNTHETIC ROW."
    alone = _event(
        event_type="Strategic developments",
        sub_event_type="Agreement",
        actor2="",
        inter2="",
        notes="",
    )
    assert isinstance(alone, Statement)
    assert alone.summary == "Agreement"
    transfer = _event(
        event_type="Strategic developments", sub_event_type="Non-violent transfer of territory"
    )
    assert isinstance(transfer, ControlChanged)
    assert transfer.controller == "actor:synthetic-army"
    assert transfer.place == "place:synthetica/north/testville"
    for event_type, sub in (
        ("Strategic developments", "Arrests"),
        ("Strategic development", ""),
        ("Headquarters or base established", ""),
    ):
        other = _event(event_type=event_type, sub_event_type=sub)
        assert isinstance(other, Statement), event_type
        assert other.speaker == "actor:synthetic-army"
        assert other.summary == "SYNTHETIC ROW."
    pre_2019 = _event(event_type="Non-violent transfer of territory", sub_event_type="")
    assert isinstance(pre_2019, ControlChanged)


def test_protests_and_riots_are_skipped_by_design_and_other_types_refused() -> None:
    batch = _read(
        {"fatalities": "0", "event_type": "Protests", "sub_event_type": "Peaceful protest"},
        {"event_type": "Riots", "sub_event_type": "Mob violence"},
        {"event_type": "Riots/Protests", "sub_event_type": ""},
        {"event_type": "Earthquakes"},
    )
    assert batch.out_of_scope == {"Protests": 1, "Riots": 1, "Riots/Protests": 1}
    assert [(r.line, r.field) for r in batch.refused] == [(5, "event_type")]
    assert "'Earthquakes' is not an ACLED event type" in batch.refused[0].reason


MOB = {
    "actor1": "Rioters (Synthetica)",
    "inter1": "5",
    "actor2": "Civilians (Synthetica)",
    "inter2": "7",
    "civilian_targeting": "Civilian targeting",
}


def test_a_riot_targeting_civilians_is_an_attack_on_them_by_the_rioters() -> None:
    """import-acled-vintages.md, "Where each event type goes": a riot row (Riots, of
    either sub-event type or none; the pre-2019 Riots/Protests) whose
    ``civilian_targeting`` is set is an attack on civilians, as excessive force
    against protesters is: the rioters (actor1) the perpetrator, the civilians the
    target (not made an actor), the sub-event type the means; one without it is
    skipped by design."""
    batch = _read(
        {**MOB, "event_type": "Riots", "sub_event_type": "Mob violence"},
        {**MOB, "event_type": "Riots", "sub_event_type": "Violent demonstration"},
        {**MOB, "event_type": "Riots", "sub_event_type": ""},
        {**MOB, "event_type": "Riots/Protests", "sub_event_type": ""},
        {**MOB, "event_type": "Riots", "sub_event_type": "Mob violence", "civilian_targeting": ""},
    )
    assert batch.refused == ()
    assert batch.flags == {}
    assert batch.out_of_scope == {"Riots": 1}
    found = {r.id: r for r in batch.events()}
    assert sorted(found) == ["acled:SYN1", "acled:SYN2", "acled:SYN3", "acled:SYN4"]
    means = {
        "acled:SYN1": "Mob violence",
        "acled:SYN2": "Violent demonstration",
        "acled:SYN3": None,
        "acled:SYN4": None,
    }
    for rid, attack in found.items():
        assert isinstance(attack, Attack), rid
        assert attack.perpetrator == "actor:rioters-synthetica"
        assert (attack.target, attack.target_actor) == ("Civilians (Synthetica)", None)
        assert attack.target_class is TargetClass.CIVILIAN
        assert attack.means == means[rid]
        assert attack.fatalities is not None
        assert attack.fatalities.best == 3
        assert attack.notes == ("SYNTHETIC ROW.\n\ninter1: 5 (Rioters); inter2: 7 (Civilians)")


KNOWN_TYPES = (
    "ACLED's are Battles, Explosions/Remote violence, Violence against civilians, "
    "Strategic developments, Protests, Riots; before 2019 Battle-No change of territory, "
    "Battle-Government regains territory, Battle-Non-state actor overtakes territory, "
    "Remote violence, Riots/Protests, Strategic development, Headquarters or base "
    "established, Non-violent transfer of territory; before 2016 Battle-Rebels overtake "
    "territory, Non-violent activity by a conflict actor (in any case and spacing)"
)


def test_an_event_type_outside_acleds_codebook_is_refused_naming_row_field_and_types() -> None:
    """import-acled-vintages.md: a type that is not ACLED's (a misspelling, a type of
    a later codebook) has no documented destination: the row is refused, not dropped
    (counted in the summary, its line, the field and the reason given, the reason
    listing every type the importer reads), and the file's other rows import; a
    strict import stops on it naming file, line and field."""
    batch = _read(
        {},
        {"event_type": "Battels"},
        {"event_type": "Cyber operations", "sub_event_type": "Hack"},
        {"event_type": ""},
    )
    reason = "is not an ACLED event type, so it has no destination: " + KNOWN_TYPES
    assert [(r.line, r.field, r.reason) for r in batch.refused] == [
        (3, "event_type", f"'Battels' {reason}"),
        (4, "event_type", f"'Cyber operations' {reason}"),
        (5, "event_type", f"'' {reason}"),
    ]
    assert [r.id for r in batch.records if r.id.startswith("acled:")] == ["acled:SYN1"]
    timeline = Timeline()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow([{**ROW, "event_type": "Battels"}.get(c, "") for c in COLUMNS])
    summary = timeline.import_acled(io.StringIO(out.getvalue()))
    assert summary.rows == 1
    assert [(r.line, r.field) for r in summary.refused] == [(2, "event_type")]
    with pytest.raises(ImportDataError, match=r"line 2: event_type: 'Battels' is not an ACLED"):
        read_acled(io.StringIO(out.getvalue()), strict=True)


@pytest.mark.parametrize(
    ("spelled", "sub", "kind", "means"),
    [
        ("battles", "Armed clash", Attack, "Armed clash"),
        ("Battles ", "Armed clash", Attack, "Armed clash"),
        (" BATTLES", "Armed clash", Attack, "Armed clash"),
        ("Explosions / Remote violence", "Grenade", Attack, "Grenade"),
        ("explosions/remote VIOLENCE", "Grenade", Attack, "Grenade"),
        ("Violence  against\tcivilians", "Attack", Attack, "Attack"),
        ("Strategic Developments", "Arrests", Statement, None),
        ("Battle-No change of territory", "", Attack, "Armed clash"),
        ("Battle - Government regains territory", "", Attack, "Government regains territory"),
        (
            "battle -non-state actor overtakes territory",
            "",
            Attack,
            "Non-state actor overtakes territory",
        ),
        ("Battle \u2013 No change of territory", "", Attack, "Armed clash"),  # an en dash
        ("Battle\u2014Rebels overtake territory", "", Attack, "Rebels overtake territory"),
        ("REMOTE VIOLENCE", "", Attack, None),
        ("Non-Violent Transfer of Territory", "", ControlChanged, None),
        ("Riots / Protests", "", None, None),
    ],
)
def test_a_known_event_type_is_read_in_any_case_and_spacing(
    spelled: str, sub: str, kind: type[Record] | None, means: str | None
) -> None:
    """import-acled-vintages.md: a type is matched in any case and spacing (spaces
    around it dropped, a run of spaces taken as one, a dash (a typographic one too)
    or a slash spaced as some files write it closed up): it goes where the type
    goes, and its codes keep it as published (spaces around it dropped)."""
    batch = _read({"event_type": spelled, "sub_event_type": sub})
    assert batch.refused == ()
    if kind is None:
        assert batch.out_of_scope == {"Riots/Protests": 1}
        return
    record = {r.id: r for r in batch.records}["acled:SYN1"]
    assert type(record) is kind
    assert record.codes is not None
    assert record.codes.acled_event_type == spelled.strip()
    if isinstance(record, Attack):
        assert record.means == means


def test_a_sub_event_type_not_of_its_event_type_is_imported_as_the_type_and_flagged() -> None:
    """import-acled-vintages.md: a ``sub_event_type`` that is none of its event type's
    in ACLED's codebook (matched in any case and spacing; a misspelling, one of
    another event type, a newer codebook's) is imported with the event type's mapping,
    kept as published (in the codes and ``means``, and in the notes saying so), the
    row flagged "sub_event_type not in ACLED's codebook for its event type"; a
    protest or riot with one of its type's (in any case and spacing) is skipped."""
    explosion = "Explosions/Remote violence"
    batch = _read(
        {"sub_event_type": "Armed Clash "},
        {"sub_event_type": "Armed clsh"},
        {"event_type": explosion, "sub_event_type": "Drone strike"},
        {"event_type": "Strategic developments", "sub_event_type": "Ceasefire"},
        {"event_type": "Violence against civilians", "sub_event_type": "Grenade"},
        {"event_type": "Explosions / Remote violence", "sub_event_type": "Air / drone strike"},
        {"fatalities": "0", "event_type": "Protests", "sub_event_type": "peaceful  Protest"},
        {"event_type": "Battle-Rebels overtake territory", "sub_event_type": ""},
        {"event_type": "Violence against civilians", "sub_event_type": "Attack"},
    )
    assert batch.refused == ()
    assert batch.out_of_scope == {"Protests": 1}
    flag = "sub_event_type not in ACLED's codebook for its event type"
    assert batch.flags == {flag: 4}
    found = {r.id: r for r in batch.records}

    def note(sub: str, event_type: str) -> str:
        return (
            f"sub_event_type as published: {sub} (not one of ACLED's sub-event types of "
            f"{event_type}; imported as the event type says)"
        )

    clash = found["acled:SYN2"]
    assert isinstance(clash, Attack)
    assert (clash.target_class, clash.means) == (TargetClass.MILITARY, "Armed clsh")
    assert clash.codes is not None
    assert clash.codes.acled_sub_event_type == "Armed clsh"
    assert clash.notes == f"SYNTHETIC ROW.\n\n{INTERS}\n\n" + note("Armed clsh", "Battles")
    strike = found["acled:SYN3"]
    assert isinstance(strike, Attack)
    assert (strike.target_class, strike.means) == (TargetClass.MILITARY, "Drone strike")
    assert strike.notes.endswith("\n\n" + note("Drone strike", explosion))
    ceasefire = found["acled:SYN4"]
    assert isinstance(ceasefire, Statement)
    assert ceasefire.summary == "SYNTHETIC ROW."
    assert ceasefire.notes == (
        f"actor2: Synthetic Front\n\nfatalities: 3; {INTERS}\n\n"
        + note("Ceasefire", "Strategic developments")
    )
    grenade = found["acled:SYN5"]
    assert isinstance(grenade, Attack)
    assert (grenade.target_class, grenade.means) == (TargetClass.CIVILIAN, "Grenade")
    assert grenade.notes.endswith(note("Grenade", "Violence against civilians"))
    for n in (1, 6, 8, 9):
        assert "sub_event_type" not in found[f"acled:SYN{n}"].notes, n


def test_a_skipped_types_row_with_a_sub_event_type_not_its_own_is_refused() -> None:
    """import-acled-vintages.md: a Protests, Riots or Riots/Protests row is skipped by
    design only when its ``sub_event_type`` is empty or one of its type's (in any case
    and spacing); another one (a misspelling of excessive force, which would be an
    Attack; a misspelled peaceful protest; another type's) is refused naming line,
    field and the type's sub-event types, never skipped without a word, and a strict
    import stops on it. Excessive force spaced otherwise is an attack by the force."""
    batch = _read(
        {
            "fatalities": "0",
            "event_type": "Protests",
            "sub_event_type": "Excesive force against protesters",
        },
        {"fatalities": "0", "event_type": "Protests", "sub_event_type": "Peaceful protst"},
        {"event_type": "Riots", "sub_event_type": "Armed clash"},
        {"event_type": "Riots/Protests", "sub_event_type": "Agreement"},
        {
            "fatalities": "0",
            "event_type": "PROTESTS",
            "sub_event_type": "protest  with Intervention",
        },
        {"event_type": "Riots", "sub_event_type": "Mob violence"},
        {"event_type": "Riots / Protests", "sub_event_type": "Violent demonstration"},
        {"fatalities": "0", "event_type": "Protests", "sub_event_type": ""},
        {
            "event_type": "Protests",
            "sub_event_type": "Excessive  force against Protesters",
            "actor1": "Protesters (Synthetica)",
            "inter1": "6",
            "actor2": "Police Forces of Synthetica",
            "inter2": "1",
        },
    )
    protests = "Peaceful protest, Protest with intervention, Excessive force against protesters"
    riots = "Violent demonstration, Mob violence"
    assert [(r.line, r.field, r.reason) for r in batch.refused] == [
        (
            2,
            "sub_event_type",
            (
                "'Excesive force against protesters' is not one of ACLED's sub-event types "
                "of Protests (Peaceful protest, Protest with intervention, Excessive force "
                "against protesters), so the row has no destination: Protests rows are "
                "skipped by design, but excessive force against protesters is an Attack"
            ),
        ),
        (
            3,
            "sub_event_type",
            (
                f"'Peaceful protst' is not one of ACLED's sub-event types of Protests "
                f"({protests}), so the row has no destination: Protests rows are skipped "
                "by design, but excessive force against protesters is an Attack"
            ),
        ),
        (
            4,
            "sub_event_type",
            (
                f"'Armed clash' is not one of ACLED's sub-event types of Riots ({riots}), "
                "so the row has no destination: Riots rows are skipped by design, but "
                "excessive force against protesters is an Attack"
            ),
        ),
        (
            5,
            "sub_event_type",
            (
                f"'Agreement' is not one of ACLED's sub-event types of Riots/Protests "
                f"({protests}, {riots}), so the row has no destination: Riots/Protests "
                "rows are skipped by design, but excessive force against protesters is "
                "an Attack"
            ),
        ),
    ]
    assert batch.out_of_scope == {
        "Protests": 1,
        "Riots": 1,
        "Riots/Protests": 1,
        "Protests (no sub_event_type)": 1,
    }
    assert [r.id for r in batch.records if r.id.startswith("acled:")] == ["acled:SYN9"]
    force = {r.id: r for r in batch.records}["acled:SYN9"]
    assert isinstance(force, Attack)
    assert force.target_class is TargetClass.CIVILIAN
    assert force.perpetrator == "actor:police-forces-of-synthetica"
    assert force.target_actor == "actor:protesters-synthetica"
    assert batch.rows == 9
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    cells = {**ROW, "event_type": "Protests", "sub_event_type": "Excesive force"}
    writer.writerow([cells.get(c, "") for c in COLUMNS])
    with pytest.raises(
        ImportDataError,
        match=r"line 2: sub_event_type: 'Excesive force' is not one of ACLED's sub-event types",
    ):
        read_acled(io.StringIO(out.getvalue()), strict=True)


# ------------------------------------------------------------ dates and precision


def test_time_precision_is_the_day_the_week_centred_on_it_or_the_month() -> None:
    """``acled_extent``: 1 the day, 2 the seven days centred on the coded date, 3 its
    month, in the zone given; anything else is refused."""
    day = _dt.date(2023, 11, 5)
    assert acled_extent(day, 1) == TimeExtent.parse("2023-11-05")
    week = acled_extent(day, "2")
    assert (week.precision, str(week)) == (Precision.WEEK, "2023-11-02..2023-11-08 (week, UTC)")
    assert acled_extent(day, 3) == TimeExtent.parse("2023-11")
    zone = "Asia/Yerevan"
    assert acled_extent(day, 1, tz=zone) == TimeExtent.parse("2023-11-05", tz=zone)
    assert acled_extent(day, 3, tz=zone) == TimeExtent.parse("2023-11", tz=zone)
    in_zone = acled_extent(day, 2, tz=zone)
    assert str(in_zone) == "2023-11-02..2023-11-08 (week, Asia/Yerevan)"
    for bad in (0, 4, "x", "", None):
        with pytest.raises(InvalidTimeError, match="time_precision must be 1, 2 or 3"):
            acled_extent(day, bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidTimeError, match=r"leaves the years 1\.\.9999"):
        acled_extent(_dt.date(1, 1, 2), 2)


def test_a_two_digit_year_needs_the_rows_year() -> None:
    """A two-digit year is settled by the row's ``year`` column; a row whose year is
    empty, not a year, or disagrees is refused for it, the reason saying which (an
    empty cell is not a missing column)."""
    assert _event(event_date="9-May-20", year="2020").occurred == TimeExtent.parse("2020-05-09")
    assert _refused(event_date="9-May-20", year="") == (
        "event_date",
        "'9-May-20' has a two-digit year and the row's year is empty: nothing settles its century",
    )
    field, reason = _refused(event_date="9-May-20", year="twenty")
    assert (field, reason) == (
        "event_date",
        "'9-May-20' has a two-digit year and the row's year 'twenty' is not a year to settle it",
    )
    assert _refused(event_date="9-May-20", year="2021") == (
        "event_date",
        "'9-May-20' has the year 20 but the row's year is 2021",
    )
    assert acled_date("31-12-19", year="2019.0") == _dt.date(2019, 12, 31)
    assert _refused(event_date="31-12-19", year="NA") == (
        "event_date",
        "'31-12-19' has a two-digit year and the row's year is empty: nothing settles its century",
    )


def test_a_two_digit_year_in_a_file_without_a_year_column_says_the_column_is_missing() -> None:
    """Only a file without the ``year`` column is told it has none."""
    text = (
        "event_id_cnty,event_date,time_precision,event_type,actor1,country,fatalities\n"
        "SYN1,9-May-20,1,Battles,Synthetic Army,Synthetica,0\n"
    )
    (refused,) = read_acled(io.StringIO(text)).refused
    assert (refused.field, refused.reason) == (
        "event_date",
        "'9-May-20' has a two-digit year and the row has no year column to settle it",
    )


def test_a_numeric_date_is_read_in_the_order_a_number_over_12_settles() -> None:
    """import-acled-vintages.md: a date with a number over 12 settles the file's
    order of day and month; a file where nothing settles it has its numeric dates
    refused as ambiguous (``acled_date``: one whose day and month could be either way
    round), never guessed."""
    for day in ("12/05/2023", "05/12/2023"):
        field, reason = _refused(event_date=day)
        assert field == "event_date"
        assert "ambiguous" in reason
    settled = _read({"event_date": "12/13/2023"}, {"event_date": "05/06/2023"})
    assert [r.occurred for r in settled.records if r.id.startswith("acled:")] == [
        TimeExtent.parse("2023-12-13"),
        TimeExtent.parse("2023-05-06"),
    ]
    settled = _read({"event_date": "13/12/2023"}, {"event_date": "05/06/2023"})
    assert [r.occurred for r in settled.records if r.id.startswith("acled:")] == [
        TimeExtent.parse("2023-12-13"),
        TimeExtent.parse("2023-06-05"),
    ]
    # Day and month the same: either way round it is the same day.
    assert acled_date("05/05/2023") == _dt.date(2023, 5, 5)


def test_from_acled_reads_a_numeric_date_day_first_as_acled_writes_it() -> None:
    """``from_acled``: an ``event_date`` in any form, a numeric one read day first, with
    its ``time_precision``, in UTC unless a zone is given."""
    assert from_acled("05/06/2020", 1) == TimeExtent.parse("2020-06-05")
    assert from_acled("05/06/2020", "3") == TimeExtent.parse("2020-06")
    assert from_acled("2020-06-05", 1, tz="Asia/Yerevan") == TimeExtent.parse(
        "2020-06-05", tz="Asia/Yerevan"
    )


# ------------------------------------------------------------ figures and actor types


def test_fatalities_are_a_whole_number_below_2_to_the_63() -> None:
    """A count is a whole number (written with a ``.0`` too), not negative, below
    2**63; otherwise the row is refused naming the column."""
    for text, best in (("2", 2), ("2.0", 2), (" 7 ", 7), (str(2**63 - 1), 2**63 - 1)):
        record = _event(fatalities=text)
        assert isinstance(record, Attack)
        assert record.fatalities is not None
        assert record.fatalities.best == best
    assert _refused(fatalities="2.5") == ("fatalities", "'2.5' is not a whole number")
    assert _refused(fatalities="three") == ("fatalities", "'three' is not a whole number")
    assert _refused(fatalities="-1") == ("fatalities", "'-1' is negative")
    assert _refused(fatalities="-1.0") == ("fatalities", "'-1.0' is negative")
    field, reason = _refused(fatalities=str(2**63))
    assert (field, reason) == (
        "fatalities",
        f"'{2**63}' is too large (counts must be below 2**63)",
    )


def test_inter_codes_are_0_to_8_or_their_labels() -> None:
    """``inter1``/``inter2`` are ACLED actor types: a number 0-8 (``8.0`` too) or a
    label, kept in the notes as the code and its name; a comma before exactly three
    digits is refused as ambiguous, as in every whole-number column."""
    for cell in ("8", "External/Other forces", "8.0", "8,0"):
        record = _event(inter2=cell)
        assert isinstance(record, Attack)
        assert record.notes.endswith("inter1: 1 (State forces); inter2: 8 (External/Other forces)")
    field, reason = _refused(inter2="2,000")
    assert field == "inter2"
    assert reason.startswith("'2,000' is ambiguous")


NOT_AN_INTER = "not one of ACLED's actor types 0-8 or their labels"


def test_an_inter_code_that_is_no_acled_actor_type_is_kept_and_flagged() -> None:
    """import-acled-vintages.md: an ``inter1``/``inter2`` that is none of ACLED's actor
    types (``9``, ``-1``, ``1.5``, a label not in the codebook) is imported, kept in the
    notes as published, the row flagged "inter1 or inter2 not an ACLED actor type"
    (once however many). It decides nothing: the target class follows the event type,
    ``civilian_targeting`` and the actor's name (civilians and protesters told by name
    as in a file without inter codes), an explosion's target is not military for it,
    and the actor's kind is as without a code (an armed force)."""
    explosion = {"event_type": "Explosions/Remote violence", "sub_event_type": "Grenade"}
    batch = _read(
        {"inter2": "9"},
        {"inter1": "Aliens", "inter2": "-1", "actor1": "Synthetic Crowd"},
        {**explosion, "inter2": "1.5"},
        {**explosion, "inter2": "Bystanders", "actor2": "Civilians (Synthetica)"},
        {**explosion, "inter2": "9", "civilian_targeting": "Civilian targeting"},
        {
            "event_type": "Protests",
            "sub_event_type": "Excessive force against protesters",
            "actor1": "Protesters (Synthetica)",
            "inter1": "Demonstrators",
            "actor2": "Synthetic Police",
            "inter2": "1",
        },
        {"inter2": "\u0663"},  # an Arabic-Indic 3: no digit a file writes
    )
    assert batch.refused == ()
    assert batch.flags == {"inter1 or inter2 not an ACLED actor type": 7}
    found = {r.id: r for r in batch.records}
    battle = found["acled:SYN1"]
    assert isinstance(battle, Attack)
    assert (battle.target_class, battle.target_actor) == (
        TargetClass.MILITARY,  # a battle's, by its type
        "actor:synthetic-front",
    )
    assert battle.notes == (
        f"SYNTHETIC ROW.\n\ninter1: 1 (State forces); inter2: 9 ({NOT_AN_INTER})"
    )
    assert found["acled:SYN2"].notes == (
        f"SYNTHETIC ROW.\n\ninter1: Aliens ({NOT_AN_INTER}); inter2: -1 ({NOT_AN_INTER})"
    )
    crowd = found["actor:synthetic-crowd"]
    assert isinstance(crowd, ActorDefined)
    assert crowd.actor_kind is ActorKind.ARMED_FORCE
    unknown = found["acled:SYN3"]
    assert isinstance(unknown, Attack)
    assert (unknown.target_class, unknown.target_actor) == (
        TargetClass.UNKNOWN,
        "actor:synthetic-front",
    )
    assert unknown.notes.endswith(f"inter2: 1.5 ({NOT_AN_INTER})")
    by_name = found["acled:SYN4"]
    assert isinstance(by_name, Attack)
    assert (by_name.target_class, by_name.target, by_name.target_actor) == (
        TargetClass.CIVILIAN,
        "Civilians (Synthetica)",
        None,
    )
    targeting = found["acled:SYN5"]
    assert isinstance(targeting, Attack)
    assert targeting.target_class is TargetClass.CIVILIAN
    force = found["acled:SYN6"]
    assert isinstance(force, Attack)
    assert (force.perpetrator, force.target) == (
        "actor:synthetic-police",
        "Protesters (Synthetica)",
    )
    assert found["acled:SYN7"].notes.endswith(f"inter2: \u0663 ({NOT_AN_INTER})")


# ------------------------------------------------------------ notes


def test_notes_keep_the_associated_actors_after_a_blank_line() -> None:
    """The associated actors of actor1 and actor2 are kept in the notes, after the
    row's notes (a blank line between), each on its own (so where one ends can be
    read), each list without repeats."""
    record = _event(assoc_actor_1="Youth Wing; Youth Wing; Elders", assoc_actor_2="Militia A")
    assert record.notes == (
        "SYNTHETIC ROW.\n\nassociated with actor1: Youth Wing; associated with actor1: "
        "Elders; associated with actor2: Militia A\n\n" + INTERS
    )
    agreement = _event(
        event_type="Strategic developments", sub_event_type="Agreement", assoc_actor_1="Elders"
    )
    # a statement has no fatalities field: the row's count is kept after the associates
    assert agreement.notes == "associated with actor1: Elders\n\nfatalities: 3; " + INTERS
    assert _event(assoc_actor_1="Youth Wing", notes="").notes == (
        "associated with actor1: Youth Wing\n\n" + INTERS
    )
    assert _event(inter1="", inter2="").notes == "SYNTHETIC ROW."


def test_a_statement_points_at_the_rows_place_and_keeps_its_fatalities() -> None:
    """import-acled-vintages.md: a strategic development (an agreement included) is a
    Statement at the row's place (the location, as an attack's); it has no fatalities
    field, so ``fatalities: N`` is kept in its notes, as in a control change's; an
    attack keeps the figure in ``fatalities`` and nothing in its notes."""
    town = "place:synthetica/north/testville"
    for event_type, sub in (
        ("Strategic developments", "Arrests"),
        ("Strategic developments", "Agreement"),
        ("Strategic developments", "Other"),
        ("Strategic development", ""),
        ("Headquarters or base established", ""),
        ("Non-violent activity by a conflict actor", ""),
    ):
        statement = _event(event_type=event_type, sub_event_type=sub, fatalities="2", actor2="")
        assert isinstance(statement, Statement), event_type
        assert statement.place == town, event_type
        assert statement.notes == "fatalities: 2; " + INTERS, event_type
    transfer = _event(
        event_type="Strategic developments",
        sub_event_type="Non-violent transfer of territory",
        fatalities="1.0",
        actor2="",
    )
    assert isinstance(transfer, ControlChanged)
    assert transfer.notes == "SYNTHETIC ROW.\n\nfatalities: 1; " + INTERS
    unplaced = _event(
        event_type="Strategic developments",
        sub_event_type="Arrests",
        admin1="",
        location="",
        latitude="",
        longitude="",
    )
    assert isinstance(unplaced, Statement)
    assert unplaced.place == "place:synthetica"
    no_count = _event(event_type="Strategic developments", sub_event_type="Arrests", fatalities="")
    assert no_count.notes == (
        "actor2: Synthetic Front\n\n" + INTERS + "\n\nfatalities as published: empty "
        "(ACLED writes 0 when no deaths are reported): the number is unknown"
    )
    attack = _event(fatalities="2")
    assert attack.notes == "SYNTHETIC ROW.\n\n" + INTERS  # its count is its own field
    # kept, so read as strictly as an attack's: a bad count is refused
    assert _refused(
        event_type="Strategic developments", sub_event_type="Arrests", fatalities="abc"
    ) == ("fatalities", "'abc' is not a whole number")


@pytest.mark.parametrize("cell", ["", "NA", " "])
def test_an_empty_fatalities_of_a_statement_or_control_change_is_noted_and_flagged(
    cell: str,
) -> None:
    """import-acled-vintages.md: ACLED writes 0 when no deaths are reported, so an
    empty ``fatalities`` (or R's ``NA``) lost its count, whatever record the row
    makes: a statement (an agreement too) or a control change keeps no count in its
    notes, says so as an attack's notes do, and the row is flagged "fatalities
    empty" as an attack's is. A 0 is the count 0, kept, unflagged."""
    unknown = (
        "fatalities as published: empty (ACLED writes 0 when no deaths are reported): "
        "the number is unknown"
    )
    rows = [
        {"event_type": "Strategic developments", "sub_event_type": "Arrests"},
        {"event_type": "Strategic developments", "sub_event_type": "Agreement"},
        {
            "event_type": "Strategic developments",
            "sub_event_type": "Non-violent transfer of territory",
        },
        {"event_type": "Strategic development", "sub_event_type": "", "actor2": ""},
    ]
    batch = _read(*({**row, "fatalities": cell} for row in rows))
    assert batch.refused == ()
    assert batch.flags == {"fatalities empty": 4}
    found = {r.id: r for r in batch.records}
    arrests, agreement, transfer, old = (found[f"acled:SYN{n}"] for n in (1, 2, 3, 4))
    assert isinstance(arrests, Statement)
    assert arrests.notes == f"actor2: Synthetic Front\n\n{INTERS}\n\n{unknown}"
    assert isinstance(agreement, Statement)
    assert agreement.summary == "Agreement with Synthetic Front (ACLED): SYNTHETIC ROW."
    assert agreement.notes == f"{INTERS}\n\n{unknown}"
    assert isinstance(transfer, ControlChanged)
    assert transfer.notes == (
        f"SYNTHETIC ROW.\n\nactor2: Synthetic Front\n\n{INTERS}\n\n{unknown}"
    )
    assert isinstance(old, Statement)
    assert old.notes == f"{INTERS}\n\n{unknown}"
    counted = _read(*({**row, "fatalities": "0"} for row in rows))
    assert counted.flags == {}
    assert {r.id: r.notes for r in counted.records if r.id == "acled:SYN1"} == {
        "acled:SYN1": f"actor2: Synthetic Front\n\nfatalities: 0; {INTERS}"
    }


def test_a_newer_row_revising_a_statements_place_fatalities_or_tags_corrects_it() -> None:
    """import.md: a newer export whose row changed appends a Correction; for a
    statement, a new place, count or tags is a change the replacement carries."""
    first = {
        "event_type": "Strategic developments",
        "sub_event_type": "Looting/property destruction",
    }
    revised = {
        **first,
        "admin1": "South",
        "location": "Otherville",
        "latitude": "5.5",
        "longitude": "30.25",
        "fatalities": "1",
        "tags": "women targeted: girls",
        "timestamp": "1700600000",
    }
    timeline = Timeline()
    for changes in (first, revised):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        cells = {**ROW, **changes}
        writer.writerow([cells.get(column, "") for column in COLUMNS])
        summary = timeline.import_acled(io.StringIO(out.getvalue()))
    assert summary.corrections == 1
    (correction,) = (r.record for r in timeline if isinstance(r.record, Correction))
    replacement = correction.replacement
    assert isinstance(replacement, Statement)
    assert replacement.place == "place:synthetica/south/otherville"
    assert replacement.notes == (
        "actor2: Synthetic Front\n\nfatalities: 1; tag: women targeted: girls; " + INTERS
    )
    involved = [r.record.id for r in timeline.involving("place:synthetica/north/testville")]
    assert "acled:SYN1" in involved


def test_columns_with_no_field_are_kept_in_the_notes() -> None:
    """import-acled-vintages.md: ``geo_precision`` (2 and 3 with what they mean),
    ``source_scale`` and ``tags`` have no field of any record: each given one is kept
    in the event's notes, ``label: value`` (each tag as ``tag: ...``), joined by
    ``; ``, after the associated
    actors and before the notes the importer adds for a flagged row."""
    assert _event(geo_precision="1").notes == "SYNTHETIC ROW.\n\ngeo_precision: 1; " + INTERS
    assert _event(geo_precision="2.0").notes == (
        "SYNTHETIC ROW.\n\ngeo_precision: 2 (ACLED: near the location or in part of a "
        "region; the coordinates stand for a larger area); " + INTERS
    )
    assert _event(
        geo_precision="3",
        source_scale="Local partner-National",
        tags="women targeted: girls",
        assoc_actor_1="Youth Wing",
    ).notes == (
        "SYNTHETIC ROW.\n\nassociated with actor1: Youth Wing\n\n"
        "geo_precision: 3 (ACLED: only a larger region is known; the coordinates stand "
        "for that area); source_scale: Local partner-National; tag: women targeted: girls; "
        + INTERS
    )
    statement = _event(
        event_type="Strategic developments",
        sub_event_type="Arrests",
        actor2="",
        fatalities="0",
        source_scale="National",
    )
    assert statement.notes == "fatalities: 0; source_scale: National; " + INTERS
    # Without any of them, and without actor types, nothing is added.
    none = _event(geo_precision=" ", source_scale="", tags="", inter1="", inter2="")
    assert none.notes == "SYNTHETIC ROW."
    # An actor type is kept as its code and codebook name, whichever the file wrote.
    for inter1, inter2 in (("3", "8"), ("Political militia", "External/Other forces")):
        assert _event(inter1=inter1, inter2=inter2).notes == (
            "SYNTHETIC ROW.\n\ninter1: 3 (Political militia); inter2: 8 (External/Other forces)"
        )


def test_each_tag_is_kept_on_its_own_so_where_it_ends_can_be_read() -> None:
    """import-acled-vintages.md: ACLED separates the tags of a row with ``;``, and the
    notes join their fields with ``; `` too, so the cell kept whole (``tags: local
    administrators; women targeted: candidates; inter1: ...``) would not say where
    the tags end. Each tag is kept on its own as ``tag: <text>``, in the cell's
    order, stripped; empty ones left out. So every part of the paragraph names its
    field, and a cell spaced otherwise (``a;b``) is the same record."""
    notes = (
        "SYNTHETIC ROW.\n\nsource_scale: National; tag: local administrators; "
        "tag: women targeted: candidates; tag: crowd size=no report; " + INTERS
    )
    for cell in (
        "local administrators; women targeted: candidates; crowd size=no report",
        "local administrators;women targeted: candidates;crowd size=no report",
        " local administrators ;; women targeted: candidates; crowd size=no report; ",
    ):
        assert _event(source_scale="National", tags=cell).notes == notes, cell
    assert _event(tags="women targeted: girls").notes == (
        "SYNTHETIC ROW.\n\ntag: women targeted: girls; " + INTERS
    )
    assert _event(tags=" ; ").notes == "SYNTHETIC ROW.\n\n" + INTERS


def test_a_geo_precision_that_is_no_acled_code_is_kept_and_flagged() -> None:
    """import-acled-vintages.md: ACLED's codebook has three ``geo_precision`` codes,
    1 to 3. Any other value is kept as published, the note saying it is none of
    them, and the row flagged "geo_precision not 1-3"; the codes (``2.0`` too) are
    not flagged."""
    batch = _read(
        {"geo_precision": "4"},
        {"geo_precision": "0"},
        {"geo_precision": "2.0"},
        {"geo_precision": "1,000"},  # decimal comma or thousands: no code, not refused
    )
    assert batch.refused == ()
    assert batch.flags == {"geo_precision not 1-3": 3}
    found = {r.id: r for r in batch.records}
    assert found["acled:SYN4"].notes == (
        "SYNTHETIC ROW.\n\ngeo_precision: 1,000 (not one of ACLED's codes 1-3); " + INTERS
    )
    assert found["acled:SYN1"].notes == (
        "SYNTHETIC ROW.\n\ngeo_precision: 4 (not one of ACLED's codes 1-3); " + INTERS
    )
    assert found["acled:SYN2"].notes == (
        "SYNTHETIC ROW.\n\ngeo_precision: 0 (not one of ACLED's codes 1-3); " + INTERS
    )


def test_a_time_precision_that_is_no_acled_code_is_imported_over_every_reading() -> None:
    """import-acled-vintages.md: ACLED's ``time_precision`` codes are 1 (the day), 2
    (the week centred on the date) and 3 (its month). Any other value (out of range,
    not a number, empty, R's ``NA``) is imported, never read as the day: ``occurred``
    holds every reading of the codes, the month of ``event_date`` reaching to the
    week's edge when the date is within three days of the month's; the value is kept
    as published (``4.0`` as the number 4) and the row flagged "time_precision not
    1-3"."""
    batch = _read(
        {"time_precision": "4"},
        {"time_precision": "", "event_date": "2023-11-29"},
        {"time_precision": "0", "event_date": "2023-12-02", "timestamp": "1710000000"},
        {"time_precision": "day"},
        {"time_precision": "NA"},
        {"time_precision": "4.0"},
        {"time_precision": "2.0"},
        {"time_precision": "3"},
    )
    assert batch.refused == ()
    assert batch.flags == {"time_precision not 1-3": 6}
    found = {r.id: r for r in batch.records if isinstance(r, Attack)}
    assert [str(found[f"acled:SYN{n}"].occurred) for n in range(1, 9)] == [
        "2023-11 (month, UTC)",
        "2023-11-01..2023-12-02 (month, UTC)",
        "2023-11-29..2023-12-31 (month, UTC)",
        "2023-11 (month, UTC)",
        "2023-11 (month, UTC)",
        "2023-11 (month, UTC)",
        "2023-11-02..2023-11-08 (week, UTC)",
        "2023-11 (month, UTC)",
    ]
    meaning = (
        " (not one of ACLED's codes 1-3; occurred is every reading of the codes: the "
        "day, the week centred on it, or its month)"
    )
    for n, shown in ((1, "4"), (2, "empty"), (3, "0"), (4, "day"), (5, "NA"), (6, "4")):
        assert found[f"acled:SYN{n}"].notes == (
            f"SYNTHETIC ROW.\n\n{INTERS}\n\ntime_precision as published: {shown}{meaning}"
        ), n
    for n in (7, 8):
        assert found[f"acled:SYN{n}"].notes == "SYNTHETIC ROW.\n\n" + INTERS
    # A year that disagrees too: both notes, the year's first; both flags.
    both = _read({"time_precision": "9", "year": "2022"})
    assert both.flags == {"time_precision not 1-3": 1, "year differs from event_date": 1}
    (attack,) = (r for r in both.records if isinstance(r, Attack))
    assert attack.notes == (
        f"SYNTHETIC ROW.\n\n{INTERS}\n\nyear as published: 2022 (event_date 2023-11-05 "
        f"is in 2023)\n\ntime_precision as published: 9{meaning}"
    )


def test_a_year_that_disagrees_with_a_four_digit_event_date_is_kept_and_flagged() -> None:
    """import-acled-vintages.md: the date is read from ``event_date``; a ``year`` that
    is not its year is kept in the notes ("year as published") and the row flagged
    "year differs from event_date"; a year that agrees (``2023.0`` too) adds
    nothing."""
    batch = _read({"year": "2022"}, {"year": "2023.0"}, {"year": ""})
    assert batch.refused == ()
    assert batch.flags == {"year differs from event_date": 1}
    events = {r.id: r for r in batch.records if isinstance(r, Attack)}
    assert events["acled:SYN1"].occurred == TimeExtent.parse("2023-11-05")
    assert events["acled:SYN1"].notes == (
        "SYNTHETIC ROW.\n\n" + INTERS + "\n\n"
        "year as published: 2022 (event_date 2023-11-05 is in 2023)"
    )
    assert events["acled:SYN2"].notes == "SYNTHETIC ROW.\n\n" + INTERS
    assert events["acled:SYN3"].notes == "SYNTHETIC ROW.\n\n" + INTERS
    again = _read({"year": "2022"}, {"year": "2022", "event_id_cnty": "SYN9"})
    assert again.flags == {"year differs from event_date": 2}  # each row, cache or not


# ------------------------------------------------------------ what every record keeps


def test_every_destination_keeps_the_codes_the_sources_and_the_knowledge_time() -> None:
    """import.md: "the ACLED codes stay in ``codes``; ``timestamp`` dates the ACLED
    source", and the knowledge time is "no earlier than the event, no later than the
    timestamp"; for every kind of record a row becomes."""
    stamp = TimeExtent.parse("2023-11-14T22:13:20+00:00")  # 1700000000
    for event_type, sub in (
        ("Battles", "Armed clash"),
        ("Strategic developments", "Agreement"),
        ("Strategic developments", "Non-violent transfer of territory"),
        ("Strategic developments", "Arrests"),
    ):
        record = _event(event_type=event_type, sub_event_type=sub)
        assert record.codes is not None, sub
        assert (record.codes.acled_event_type, record.codes.acled_sub_event_type) == (
            event_type,
            sub,
        )
        assert [s.publisher for s in record.sources] == ["Synthetic Daily", "ACLED"]
        assert record.sources[-1].published == stamp
        assert record.reported is not None, sub
        assert (record.reported.lo, record.reported.last) == (
            TimeExtent.parse("2023-11-05").lo,
            stamp.lo,
        )
    # A timestamp before the event began: known from the event's first instant.
    early = _event(timestamp="1600000000")
    assert early.reported == TimeExtent.instant(TimeExtent.parse("2023-11-05").earliest)


def test_a_second_actor_of_a_statement_or_control_change_is_kept_in_its_notes() -> None:
    """A statement or control change names actor1 only: actor2, when given, is kept in
    the notes (after the row's notes, with the associated actors)."""
    transfer = _event(
        event_type="Strategic developments",
        sub_event_type="Non-violent transfer of territory",
        assoc_actor_1="Youth Wing",
    )
    assert transfer.notes == (
        "SYNTHETIC ROW.\n\nactor2: Synthetic Front\n\nassociated with actor1: Youth Wing"
        "\n\nfatalities: 3; " + INTERS
    )
    alone = _event(
        event_type="Strategic developments",
        sub_event_type="Non-violent transfer of territory",
        actor2="",
        inter2="",
    )
    assert alone.notes == "SYNTHETIC ROW.\n\nfatalities: 3; inter1: 1 (State forces)"
    arrests = _event(event_type="Strategic developments", sub_event_type="Arrests")
    assert arrests.notes == "actor2: Synthetic Front\n\nfatalities: 3; " + INTERS
    with_associates = _event(
        event_type="Strategic developments", sub_event_type="Arrests", assoc_actor_2="Militia A"
    )
    assert with_associates.notes == (
        "actor2: Synthetic Front\n\nassociated with actor2: Militia A\n\nfatalities: 3; " + INTERS
    )


# ------------------------------------------------------------ places


def test_the_admin_hierarchy_is_the_de_jure_chain_and_the_location_has_its_point() -> None:
    """Admin places become de jure parents (country > admin1 > location); the
    location has the row's coordinates, or none when the row gives none."""

    def places(batch: ImportBatch) -> dict[str, PlaceDefined]:
        return {r.id: r for r in batch.records if isinstance(r, PlaceDefined)}

    found = places(_read({"admin1": "North", "location": "Testville"}))
    country = found["place:synthetica"]
    region = found["place:synthetica/north"]
    town = found["place:synthetica/north/testville"]
    assert (country.parent, region.parent, town.parent) == (
        None,
        "place:synthetica",
        "place:synthetica/north",
    )
    assert town.coordinates is not None
    assert (town.coordinates.lat, town.coordinates.lon) == (10.5, 20.5)
    unplaced = places(_read({"latitude": "", "longitude": ""}))
    assert unplaced["place:synthetica/north/testville"].coordinates is None


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({"longitude": ""}, "latitude 10.5, longitude empty"),
        ({"latitude": ""}, "latitude empty, longitude 20.5"),
        ({"latitude": "10,5", "longitude": ""}, "latitude 10,5, longitude empty"),  # as written
        ({"longitude": "NA"}, "latitude 10.5, longitude NA"),  # R's missing value
    ],
)
def test_a_row_with_one_coordinate_is_imported_without_a_point_and_flagged(
    changes: dict[str, str], shown: str
) -> None:
    """A real row is never dropped: one with a latitude but no longitude (or the
    reverse) is imported, as GED's are; its place gets no point (a point needs both),
    its notes quote both cells as written, and it is counted "coordinates
    incomplete"."""
    batch = _read(changes)
    assert batch.refused == ()
    assert batch.flags == {"coordinates incomplete": 1}
    found = {r.id: r for r in batch.records}
    attack = found["acled:SYN1"]
    assert isinstance(attack, Attack)
    assert attack.place == "place:synthetica/north/testville"
    town = found["place:synthetica/north/testville"]
    assert isinstance(town, PlaceDefined)
    assert town.coordinates is None
    assert attack.notes == (
        f"SYNTHETIC ROW.\n\n{INTERS}\n\n"
        f"coordinates incomplete as published ({shown}); no point stored"
    )


def test_the_coordinates_of_a_row_without_location_are_kept_in_the_notes() -> None:
    """A row without ``location`` points at its deepest admin level, which carries
    no point (only a location does): its coordinates are kept in the event's notes as
    ``latitude=...; longitude=...``, as GED keeps an admin level's centroid. A row
    with a location keeps them on the place, not in the notes. The same file imported
    again is unchanged; a later file moving the point is a correction."""
    batch = _read({"location": "", "latitude": "10,5", "longitude": "20.25"}, {})
    assert (batch.refused, batch.flags) == ((), {})
    found = {r.id: r for r in batch.records}
    attack = found["acled:SYN1"]
    assert isinstance(attack, Attack)
    assert attack.place == "place:synthetica/north"
    region = found["place:synthetica/north"]
    assert isinstance(region, PlaceDefined)
    assert region.coordinates is None
    assert attack.notes == f"SYNTHETIC ROW.\n\n{INTERS}\n\nlatitude=10.5; longitude=20.25"
    located = found["acled:SYN2"]
    assert isinstance(located, Attack)
    assert located.notes == f"SYNTHETIC ROW.\n\n{INTERS}"

    def text(**changes: str) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        cells = {**ROW, "location": "", **changes}
        writer.writerow([cells.get(column, "") for column in COLUMNS])
        return out.getvalue()

    timeline = Timeline()
    timeline.import_acled(io.StringIO(text()))
    again = timeline.import_acled(io.StringIO(text()))
    assert (again.events, again.corrections, again.skipped) == (0, 0, 1)
    moved = timeline.import_acled(io.StringIO(text(latitude="10.75", timestamp="1700000100")))
    assert moved.corrections == 1
    (correction,) = (r.record for r in timeline if isinstance(r.record, Correction))
    assert correction.replacement.notes.endswith("\n\nlatitude=10.75; longitude=20.5")


# ------------------------------------------------------------ refusals name the column


@pytest.mark.parametrize(
    ("changes", "field", "quoted"),
    [
        ({"event_id_cnty": " "}, "event_id_cnty", ""),
        ({"country": ""}, "country", ""),
        ({"latitude": "north", "longitude": ""}, "latitude", "'north'"),  # a lone one too
        ({"latitude": "", "longitude": "200"}, "longitude", "200"),
        ({"latitude": "95"}, "latitude", "95"),
        ({"longitude": "200"}, "longitude", "200"),
        ({"longitude": "east"}, "longitude", "'east'"),
        ({"time_precision": "1,000"}, "time_precision", "'1,000'"),
        ({"event_date": "someday"}, "event_date", "'someday'"),
        ({"event_date": "2023-02-30"}, "event_date", "'2023-02-30'"),
        ({"event_date": "05/06/2023"}, "event_date", "'05/06/2023'"),
        ({"event_date": "0001-01-02", "time_precision": "2"}, "event_date", "1..9999"),
        (
            {"event_type": "Strategic developments", "sub_event_type": "Arrests", "actor1": ""},
            "actor1",
            "",
        ),
    ],
)
def test_a_bad_row_is_refused_naming_its_column(
    changes: dict[str, str], field: str, quoted: str
) -> None:
    """import.md: "A bad row stops the import with its file, line and field" (with
    ``--skip-bad-rows`` it is refused, the others imported): the field is the column
    at fault, the reason quotes the value."""
    batch = _read(changes, {})
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (2, field)
    assert refused.reason
    assert quoted in refused.reason
    assert [r.id for r in batch.records if r.id.startswith("acled:")] == ["acled:SYN2"]


# ------------------------------------------------- timestamps in every form, refusals
# Found unpinned by the ninth mutation run (session 20's readers, docs/testing.md).

_EVENT_DAY = TimeExtent.parse("2023-11-05")


@pytest.mark.parametrize("stamp", ["2023-11-14", "14 November 2023", "14/11/2023", "Nov 14, 2023"])
def test_a_timestamp_that_is_a_day_alone_is_that_utc_day_in_any_date_form(stamp: str) -> None:
    """import-acled-vintages.md: a day alone (`2023-05-13`, or any form of the date
    table) dates the ACLED source by that UTC day; the event is reported no later
    than its end."""
    record = _event(timestamp=stamp)
    day = TimeExtent.parse("2023-11-14")
    assert record.sources[-1].published == day
    assert record.reported is not None
    assert (record.reported.lo, record.reported.last) == (_EVENT_DAY.lo, day.last)


@pytest.mark.parametrize(
    ("stamp", "reason"),
    [
        ("yesterday", "is not Unix seconds, an ISO 8601 timestamp or a date"),
        ("05/06/2023", "ambiguous"),  # nothing in the file settles day and month
        ("1000000000000", "is not a plausible Unix time in seconds"),
        ("100000000001", "is not a plausible Unix time in seconds"),
        # float() reads these as NaN; pandas' own "nan" and "NaN" are an empty cell
        ("NAN", "is not a plausible Unix time in seconds"),
        ("-nan", "is not a plausible Unix time in seconds"),
        ("-99999999999", "falls outside the years 1 to 9999 in UTC"),
        ("1,700", "ambiguous"),  # a decimal comma or a thousands separator
    ],
)
def test_a_timestamp_that_is_no_time_is_refused_naming_the_column(stamp: str, reason: str) -> None:
    field, why = _refused(timestamp=stamp)
    assert field == "timestamp"
    assert reason in why
    assert repr(stamp) in why


def test_unix_seconds_up_to_1e11_are_read() -> None:
    """The bound of a plausible Unix time is 1e11 seconds (the year 5138), itself
    included."""
    record = _event(timestamp="100000000000")
    assert record.sources[-1].published == TimeExtent.instant(
        _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC) + _dt.timedelta(seconds=100_000_000_000)
    )


@pytest.mark.parametrize(("cell", "count"), [("1E+2", 100), ("2.5e1", 25), ("3,0", 3)])
def test_a_count_in_scientific_notation_or_with_a_decimal_comma_is_the_number(
    cell: str, count: int
) -> None:
    """A count Excel shows in scientific notation, or with a decimal comma, is read as
    the whole number it is."""
    record = _event(fatalities=cell)
    assert isinstance(record, Attack)
    assert record.fatalities is not None
    assert record.fatalities.best == count


@pytest.mark.parametrize("empty", ["", "  ", "NA"])
def test_a_protest_or_riot_without_its_sub_event_type_is_skipped_but_counted_apart(
    empty: str,
) -> None:
    """import-acled-vintages.md: in a file with ``sub_event_type`` (2019 on), a
    Protests or Riots row whose cell is empty is skipped by design, as before, but
    counted apart from the protests and riots that say they are no attack: nothing
    says it was not excessive force against protesters. A pre-2019 Riots/Protests row
    (a type with no sub-event types) is counted under its type."""
    batch = _read(
        {"fatalities": "0", "event_type": "Protests", "sub_event_type": empty},
        {"fatalities": "0", "event_type": "protests", "sub_event_type": empty},
        {"event_type": "Riots", "sub_event_type": empty},
        {"event_type": "Riots/Protests", "sub_event_type": empty},
        {"fatalities": "0", "event_type": "Protests", "sub_event_type": "Peaceful protest"},
    )
    assert batch.refused == ()
    assert batch.out_of_scope == {
        "Protests (no sub_event_type)": 2,
        "Riots (no sub_event_type)": 1,
        "Riots/Protests": 1,
        "Protests": 1,
    }
    assert not [r for r in batch.records if r.id.startswith("acled:")]


def test_a_skipped_protest_reporting_deaths_is_counted_apart() -> None:
    """import-acled-vintages.md: a Protests row skipped by design whose ``fatalities``
    is above 0 is counted as "Protests (with fatalities)" (lethal force against
    protesters is excessive force, an attack); 0, an empty cell or one that is no
    count count as "Protests"; a riot reporting deaths counts under Riots."""
    batch = _read(
        {"event_type": "Protests", "sub_event_type": "Peaceful protest", "fatalities": "3"},
        {"event_type": "Protests", "sub_event_type": "Protest with intervention"},  # ROW: 3
        {"event_type": "Protests", "sub_event_type": "Peaceful protest", "fatalities": "0"},
        {"event_type": "Protests", "sub_event_type": "Peaceful protest", "fatalities": ""},
        {"event_type": "Protests", "sub_event_type": "Peaceful protest", "fatalities": "n/a"},
        {"event_type": "Riots", "sub_event_type": "Mob violence", "fatalities": "2"},
        {"event_type": "Protests", "sub_event_type": "", "fatalities": "4"},
    )
    assert batch.refused == ()
    assert batch.out_of_scope == {
        "Protests (with fatalities)": 2,
        "Protests": 3,
        "Riots": 1,
        "Protests (no sub_event_type)": 1,
    }


def test_a_protest_in_a_file_without_sub_event_types_is_counted_under_its_type() -> None:
    """Before 2019 ACLED had no ``sub_event_type``: a file without the column says
    nothing by leaving it out, so its protests and riots count under their type."""
    header = (
        "event_id_cnty,event_date,year,time_precision,event_type,actor1,inter1,"
        "country,admin1,location,latitude,longitude,source,notes,fatalities,timestamp"
    )
    rows = [
        f"P{n},2018-03-0{n},2018,1,{kind},Protesters (Synthetica),6,Synthetica,North,"
        "Testville,10.5,20.25,Synthetic Daily,SYNTHETIC ROW.,0,1520000000"
        for n, kind in enumerate(("Protests", "Riots", "Riots/Protests"), start=1)
    ]
    batch = read_acled(io.StringIO("\n".join([header, *rows]) + "\n"), strict=True)
    assert batch.refused == ()
    assert batch.out_of_scope == {"Protests": 1, "Riots": 1, "Riots/Protests": 1}
    # A protest of such a file reporting deaths is counted apart, as a modern one is.
    deadly = [rows[0].replace("SYNTHETIC ROW.,0,", "SYNTHETIC ROW.,2,")]
    batch = read_acled(io.StringIO("\n".join([header, *deadly]) + "\n"), strict=True)
    assert batch.out_of_scope == {"Protests (with fatalities)": 1}


def test_an_acled_row_with_a_lost_letter_is_kept_and_flagged() -> None:
    """Rule (docs/howto/import.md, every row is checked): text holding U+FFFD, where a
    file lost letters before it was read, is kept as published; the record's notes
    name the columns, the row flagged."""
    batch = _read({"actor2": "Front de S\ufffdl\ufffdka", "location": "Testvill\ufffd"})
    attack = {r.id: r for r in batch.records}["acled:SYN1"]
    assert isinstance(attack, Attack)
    assert attack.target == "Front de S\ufffdl\ufffdka"
    assert (
        "text with a lost letter (U+FFFD) in actor2, location (the file holds the "
        "replacement character where letters were lost before it was read), kept as "
        "published"
    ) in attack.notes.split("\n\n")
    assert batch.flags == {"text with a lost letter (U+FFFD)": 1}
    assert _read({}).flags == {}


def test_a_lost_letter_note_names_the_columns_alphabetically_whatever_the_files_order() -> None:
    """Rule (docs/howto/import.md, every row is checked; header names match in any
    order, import-acled-vintages.md): the note names the columns holding U+FFFD in
    alphabetical order, not the file's, so the same row with its columns reversed
    makes the same record and re-imports as unchanged (it was a Correction)."""
    cells = {**ROW, "location": "Testvill\ufffd", "notes": "Clash at Testvill\ufffd."}
    texts = []
    for order in (COLUMNS, tuple(reversed(COLUMNS))):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(order)
        writer.writerow([cells.get(column, "") for column in order])
        texts.append(out.getvalue())
    # In the reversed file notes comes before location; the note names location first.
    line = (
        "text with a lost letter (U+FFFD) in location, notes (the file holds the "
        "replacement character where letters were lost before it was read), kept as "
        "published"
    )
    for text in texts:
        attack = {r.id: r for r in read_acled(io.StringIO(text)).records}["acled:SYN1"]
        assert line in attack.notes.split("\n\n")
    timeline = Timeline()
    timeline.import_("acled", io.StringIO(texts[0]))
    again = timeline.import_("acled", io.StringIO(texts[1]))
    assert (again.skipped, again.corrections) == (1, 0)
