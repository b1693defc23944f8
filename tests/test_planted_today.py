"""Rules of the code landed on 8 December 2026 that no test pinned: each test here
was written after a bug planted by hand survived the tests there were (docs/testing.md,
"Planted by hand: the day's fixes (8 December 2026)"). Expectations are written from
the rule the docs state, never computed by the code under test."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path
from typing import Any

import attrs
import pytest

from conflict_timeline import (
    Accusation,
    ActorDefined,
    Attack,
    CasualtyReport,
    Commitment,
    CommitmentEnded,
    Correction,
    Denial,
    Figure,
    InvalidRecordError,
    PlaceDefined,
    Scope,
    TimeExtent,
    Timeline,
    to_timelinejs,
)
from conflict_timeline._labels import Names, headline
from conflict_timeline.importers import ImportBatch, read_acled
from rule_kit import found as _found
from rule_kit import load, wire
from test_cli_rules import PREFIX, cli
from test_export_rules import YEREVAN, _pledge
from test_import_acled_vintages import monadic_battle, template, write
from test_violation_rules import _accusation, _attack, _world
from test_violation_rules import _pledge as _vpledge


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
    fields, rows = template()
    row = {**rows[0], "iso": "٨٠٤", "country": "Ukraine", "event_id_cnty": "SYN1"}
    batch = read_acled(io.StringIO(write(fields, [row])))
    assert batch.refused == ()
    assert batch.flags == {"iso not an ISO 3166-1 numeric code": 1}
    assert _iso_notes(batch) == {
        "acled:SYN1": ["iso as published: ٨٠٤ (not an ISO 3166-1 numeric code)"]
    }


def test_every_user_assigned_iso_adds_nothing_at_either_end_of_the_range() -> None:
    """ISO 3166-1 leaves the numeric codes 900-999 to users: such a code names no
    country to compare, so 900 and 999 add no note and no flag; 899 and 1000 are
    no code of the standard (899 is assigned to none)."""
    fields, rows = template()
    cases = {"SYN1": "900", "SYN2": "999", "SYN3": "950", "SYN4": "1000"}
    written = [
        {**rows[0], "iso": iso, "country": "Ukraine", "event_id_cnty": eid}
        for eid, iso in cases.items()
    ]
    batch = read_acled(io.StringIO(write(fields, written)))
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
    fields, rows = template()
    row = {**rows[0], "iso": "4", "country": " Ukraine ", "event_id_cnty": "SYN1"}
    batch = read_acled(io.StringIO(write(fields, [row])))
    assert _iso_notes(batch) == {
        "acled:SYN1": ["iso as published: 4 (ISO 3166-1's code of Afghanistan, not Ukraine)"]
    }


def test_two_monadic_rows_of_one_event_that_differ_in_iso_are_refused() -> None:
    """The importer reads ``iso`` now (to compare it with ``country``), so it is one
    of the event cells two monadic rows of one event and timestamp must share
    (docs/howto/import-acled-vintages.md): rows that differ in it are refused naming
    it, not merged with the second row's iso dropped unseen."""
    monadic, battle, second = monadic_battle()
    second = {**second, "iso": "4"}
    (refused,) = read_acled(io.StringIO(write(monadic, [battle, second]))).refused
    assert "appears again with different iso (first at line 2)" in refused.reason


def test_the_iso_note_names_the_country_by_iso_s_short_name() -> None:
    """The note of another country's code says whose code it is by ISO 3166-1's own
    short name (`iso_country`), not by another spelling the table holds for
    comparing: 180 is "Congo, The Democratic Republic of the", 104 "Myanmar"."""
    fields, rows = template()
    written = [
        {**rows[0], "iso": iso, "country": "Ukraine", "event_id_cnty": eid}
        for eid, iso in (("SYN1", "180"), ("SYN2", "104"))
    ]
    batch = read_acled(io.StringIO(write(fields, written)))
    congo = "Congo, The Democratic Republic of the"
    assert _iso_notes(batch) == {
        "acled:SYN1": [f"iso as published: 180 (ISO 3166-1's code of {congo}, not Ukraine)"],
        "acled:SYN2": ["iso as published: 104 (ISO 3166-1's code of Myanmar, not Ukraine)"],
    }


def test_an_iso_in_a_files_first_column_is_checked_too() -> None:
    """The column order is the file's: an ``iso`` written as the first column is read
    and compared as anywhere else."""
    fields, rows = template()
    first = ["iso", *(f for f in fields if f != "iso")]
    row = {**rows[0], "iso": "4", "country": "Ukraine", "event_id_cnty": "SYN1"}
    batch = read_acled(io.StringIO(write(first, [row])))
    assert batch.flags == {"iso differs from country": 1}


# ------------------------------------------------------------ TimelineJS era ends


def test_an_era_in_the_last_minute_of_a_span_read_in_another_zone_ends_within_it() -> None:
    """docs/howto/export.md: an era that takes effect in a span's last minute is
    written to the second and ends within the span; a span read in ``tz`` ends at
    the last instant of its last day there, and both dates are in that zone. A
    pledge in force from 23:59:30 on 10 February in Yerevan (UTC+4), in a span to
    that day read in Yerevan, runs from 23:59:30 to 23:59:59 of 10 February there."""
    pledge = _pledge(
        "late",
        occurred="2020-02-10",
        sources=wire("2020-02-10"),
        effective=TimeExtent.parse("2020-02-10T23:59:30", tz=YEREVAN),
    )
    tl = load(ActorDefined(id="north", name="North", actor_kind="state"), pledge)
    (era,) = to_timelinejs(tl, between=("2020-02-01", "2020-02-10"), tz=YEREVAN)["eras"]
    day = {"year": 2020, "month": 2, "day": 10, "hour": 23, "minute": 59}
    assert (era["start_date"], era["end_date"]) == ({**day, "second": 30}, {**day, "second": 59})


# ------------------------------------------------------------- denial headlines


def _denial(did: str, denies: str, denier: str = "south") -> Denial:
    return Denial(
        id=did, occurred="2020-10-12", sources=wire("2020-10-12"), denier=denier, denies=denies
    )


def _denials_timeline() -> Timeline:
    return load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        ActorDefined(id="south", name="South", actor_kind="state"),
        _pledge("truce"),
        CommitmentEnded(
            id="truce-end",
            occurred="2020-10-10",
            sources=wire("2020-10-10"),
            commitment="truce",
            reason="collapsed",
        ),
        CasualtyReport(
            id="toll",
            occurred="2020-10-11",
            sources=wire("2020-10-11"),
            category="civilian",
            measure="killed",
            count=Figure(best=5),
        ),
        Accusation(
            id="claim", occurred="2020-10-11", sources=wire("2020-10-11"),
            accuser="north", accused=("south",), breach_of="truce",
        ),
        _denial("denies-claim", "claim"),
        _denial("denies-denial", "denies-claim", denier="north"),
        _denial("denies-end", "truce-end"),
        _denial("denies-toll", "toll"),
    )  # fmt: skip


def _headlines(tl: Timeline, **cuts: Any) -> dict[str, str]:
    events = to_timelinejs(tl, **cuts)["events"]
    return {e["unique_id"]: html.unescape(e["text"]["headline"]) for e in events}


def test_a_denial_of_a_denial_names_the_denial_it_denies_by_that_ones_id() -> None:
    """A denial says what it denies: the kind and headline of the denied record. A
    denied denial's own headline names what it denies by its id, so no chain of
    denials is followed: 'North denies the denial "South denies claim"'."""
    found = _headlines(_denials_timeline())
    assert found["denies-claim"] == 'South denies the accusation "North accuses South"'
    assert found["denies-denial"] == 'North denies the denial "South denies claim"'


def test_a_denial_names_a_kind_of_two_words_as_two_words() -> None:
    """The denied record's kind in words: a CasualtyReport is "the casualty report",
    a CommitmentEnded "the commitment ended"; the end headlined by its commitment
    (its kind and parties), as an end is everywhere."""
    found = _headlines(_denials_timeline())
    assert found["denies-toll"] == 'South denies the casualty report "Civilian killed: 5"'
    assert found["denies-end"] == (
        'South denies the commitment ended "End of ceasefire: North (collapsed)"'
    )
    # Names made by `of` alone (as `events` makes them) read the commitments when an
    # end is first headlined, a denied end too.
    tl = _denials_timeline()
    said = headline(tl.get("denies-end").record, Names.of(tl))
    assert said == 'South denies the commitment ended "End of ceasefire: North (collapsed)"'


def test_names_as_stored_by_a_position_headline_a_later_denied_record_by_id() -> None:
    """`Names.of(timeline, as_of=...)` knows the records stored up to that position
    only: a denial stored before the record it denies names it by its id there."""
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        ActorDefined(id="south", name="South", actor_kind="state"),
        _pledge("truce"),
    )
    tl.append(_denial("early", "later-claim"), strict=False)
    tl.append(
        Accusation(
            id="later-claim", occurred="2020-10-11", sources=wire("2020-10-11"),
            accuser="north", accused=("south",), breach_of="truce",
        )
    )  # fmt: skip
    denial = tl.get("early").record
    assert headline(denial, Names.of(tl, as_of=tl.head - 1)) == "South denies later-claim"
    assert headline(denial, Names.of(tl)) == 'South denies the accusation "North accuses South"'


def test_a_denial_of_a_correction_names_it_by_its_id() -> None:
    """A correction is no record of its own as the timeline knows its records (it is
    applied to the one it names): a denial of one names it by its id, and the
    corrected record is headlined as corrected."""
    tl = _denials_timeline()
    toll = tl.get("toll").record
    assert isinstance(toll, CasualtyReport)
    tl.append(
        Correction(
            id="toll-fixed",
            occurred="2020-10-13",
            sources=wire("2020-10-13"),
            corrects="toll",
            replacement=attrs.evolve(toll, count=Figure(best=7)),
        ),
        _denial("denies-fix", "toll-fixed"),
    )
    found = _headlines(tl)
    assert found["denies-fix"] == "South denies toll-fixed"
    assert found["denies-toll"] == 'South denies the casualty report "Civilian killed: 7"'


# ------------------------------------------------- occurred of an assessment


def test_an_accusation_whose_incident_was_redated_is_a_change_as_knowledge_grew() -> None:
    """``occurred`` is part of an assessment (violations.md: each assessment keeps
    when its incidents occurred): `Timeline.changes` between knowledge before and
    after a correction that moved the incident lists the accusation as changed,
    from the first day to the second."""
    tl = load(*_world())
    tl.append(
        _attack("strike", "2020-02-12", reported="2020-02-12"),
        _accusation("claim", "2020-02-14", breach_of="truce", incidents=("strike",)),
        Correction(
            id="redated",
            occurred="2020-02-20",
            sources=wire("2020-02-20"),
            corrects="strike",
            replacement=_attack("strike", "2020-02-13", reported="2020-02-12"),
        ),
    )
    found = {
        c.id: c
        for c in tl.changes("reported-violations", known_from="2020-02-15", known_to="2020-02-21")
    }
    changed = found["alleged:claim:truce"]
    assert changed.what == "changed"
    assert changed.before is not None
    assert changed.after is not None
    assert changed.before.occurred == (TimeExtent.parse("2020-02-12"),)
    assert changed.after.occurred == (TimeExtent.parse("2020-02-13"),)


# ------------------------------------- names holding a --place or --actor given


def _named(tmp_path: Path, brigades: int) -> Path:
    path = tmp_path / "TL.db"
    with Timeline.open(path) as timeline:
        timeline.append(
            PlaceDefined(id="sy", name="Syria", place_kind="country"),
            PlaceDefined(id="gov-a", name="Aleppo governorate", place_kind="region", parent="sy"),
            PlaceDefined(id="town-a", name="Aleppo town", place_kind="city", parent="gov-a"),
            *(
                ActorDefined(id=f"b{n}", name=f"Brigade {n}", actor_kind="armed_force")
                for n in range(1, brigades + 1)
            ),
        )
    return path


def _refusal(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    status, out, err = cli(capsys, *args)
    assert (status, out) == (2, "")
    return str(err).removeprefix(PREFIX).removesuffix("\n")


def test_exactly_five_names_holding_it_are_listed_with_no_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: up to five names are listed, "and N more" counting the others: with
    five, all five and nothing more ("and 0 more" counts nothing)."""
    path = _named(tmp_path, 5)
    assert _refusal(capsys, "events", str(path), "--actor", "brigade") == (
        "--actor: unknown actor 'brigade': no actor has that id or name; "
        "names holding it: Brigade 1 (b1), Brigade 2 (b2), Brigade 3 (b3), Brigade 4 (b4), "
        "Brigade 5 (b5)"
    )


def test_names_holding_a_padded_name_are_found_as_for_the_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name given with spaces around it (pasted) holds what the name does: the
    suggestions for `` aleppo `` are those for ``aleppo``."""
    path = _named(tmp_path, 0)
    assert _refusal(capsys, "events", str(path), "--place", " aleppo ") == (
        "--place: unknown place ' aleppo ': no place has that id or name; "
        "names holding it: Aleppo town (town-a), Aleppo governorate (gov-a)"
    )


# --------------------------------- events --place finding a commitment's end


def _ends_db(tmp_path: Path) -> Path:
    """A ceasefire in North, ended on 15 March 2021; a correction published on
    20 March (UTC) moves its scope to Elsewhere."""

    def ceasefire(*include: str) -> Commitment:
        return Commitment(
            id="northern",
            occurred="2021-01-01",
            sources=wire("2021-01-01"),
            commitment_kind="ceasefire",
            parties=("rebels",),
            prohibits=("any_attack",),
            scope=Scope(include=include),
        )

    db = tmp_path / "ends.db"
    with Timeline.open(db) as timeline:
        timeline.append(
            ActorDefined(id="rebels", name="Rebels", actor_kind="armed_force"),
            PlaceDefined(id="syn", name="Synthetica", place_kind="country"),
            PlaceDefined(id="north", name="North", place_kind="region", parent="syn"),
            PlaceDefined(id="else", name="Elsewhere", place_kind="country"),
            ceasefire("north"),
            CommitmentEnded(
                id="northern/end",
                occurred="2021-03-15",
                sources=wire("2021-03-15"),
                commitment="northern",
                reason="expired",
            ),
            Correction(
                id="moved",
                occurred="2021-03-20",
                sources=wire("2021-03-20"),
                corrects="northern",
                replacement=ceasefire("else"),
            ),
        )
    return db


def _event_ids(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    status, out, err = cli(capsys, "events", *args, "--format", "csv")
    assert (status, err) == (0, "")
    return sorted(r["id"] for r in csv.DictReader(io.StringIO(str(out))))


def test_an_end_is_found_by_its_commitment_as_known_at_known_at(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: an end is found by ``--place`` as its commitment is, as known at
    ``--known-at``: on 16 March the ceasefire was known in North, so its end is
    listed there; as known now (corrected to Elsewhere) neither is."""
    db = str(_ends_db(tmp_path))
    assert _event_ids(capsys, db, "--place", "North", "--known-at", "2021-03-16") == [
        "northern",
        "northern/end",
    ]
    assert _event_ids(capsys, db, "--place", "North") == []
    assert _event_ids(capsys, db, "--place", "Elsewhere") == ["northern", "northern/end"]


def test_an_end_is_found_by_its_commitment_as_known_at_known_at_in_tz(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--known-at`` is read in ``--tz``, for the commitment an end is found by as
    for the records listed: 19 March in Los Angeles ends at 06:59:59 UTC on the 20th,
    after the correction of that day began, so the ceasefire is known in Elsewhere
    and its end is not listed under North (read in UTC, it would have been)."""
    db = str(_ends_db(tmp_path))
    la = ("--known-at", "2021-03-19", "--tz", "America/Los_Angeles")
    assert _event_ids(capsys, db, "--place", "North", *la) == []
    assert _event_ids(capsys, db, "--place", "Elsewhere", *la) == ["northern", "northern/end"]
    utc = ("--known-at", "2021-03-19", "--tz", "UTC")
    assert _event_ids(capsys, db, "--place", "North", *utc) == ["northern", "northern/end"]


# ------------------------------------------------------- the one-id field message


def test_a_reference_given_a_frozenset_of_ids_says_it_takes_one() -> None:
    """A field naming one record given several ids is refused naming the record, the
    field and the reason (it takes one id, not a collection of them), a frozenset as
    a list, tuple or set: ``place=frozenset({"town"})`` on an attack."""
    given = frozenset({"town"})
    with pytest.raises(InvalidRecordError) as refused:
        Attack(
            id="strike",
            occurred="2020-02-12",
            sources=wire("2020-02-12"),
            target_class="military",
            place=given,  # type: ignore[arg-type]
        )
    assert str(refused.value) == (
        f"Attack 'strike': place: takes one id (text), not a frozenset: got {given!r}"
    )


# --------------------------------------- an accusation's reach (alleged breaches)


def test_an_accusation_is_weighed_against_each_pledge_by_every_incident_it_names() -> None:
    """violations.md, alleged: an accusation alleges a breach of each commitment
    binding an accused in whose active time one of its incidents possibly falls
    (an incident whose last instant is at or after the commitment's first), whether
    the commitment was declared before the accusation or after it, and however the
    incidents are spread: the latest incident counts, an incident known to the day
    reaches the day's end, a commitment known to the day begins at the day's start,
    an incident replayed after the accusation counts, and an incident the timeline
    does not hold takes nothing from the others. Written out per commitment (none
    has an end or an until)."""
    tl = load(*_world())
    tl.append(
        _attack("early", "2020-02-02"),
        _attack("late", "2020-02-08"),
        _attack("strike", "2020-02-15T10:00Z"),
        _attack("after-claim", "2020-02-12"),
        _vpledge("pre-mid", "2020-02-01", effective="2020-02-05"),
        _vpledge("pre-day", "2020-02-01", effective="2020-02-15"),
        _accusation("claim1", "2020-02-10", incidents=("early", "late")),
        _accusation("claim2", "2020-02-16", incidents=("strike",)),
        _accusation("claim3", "2020-02-10", incidents=("early", "after-claim")),
        _accusation("claim4", "2020-02-10", incidents=("late", "lost")),
        _vpledge("mid", "2020-02-20", effective="2020-02-05"),
        _vpledge("noon", "2020-02-21", effective="2020-02-08T12:00Z"),
        _vpledge("same-day", "2020-02-22", effective="2020-02-15"),
        _vpledge("feb11", "2020-02-25", effective="2020-02-11"),
        _vpledge("after", "2020-02-26", effective="2020-02-16"),
        strict=False,
    )
    every = {"claim1", "claim2", "claim3", "claim4"}
    expected = {
        "pre-mid": every,  # all reach 5 February or later
        "pre-day": {"claim2"},  # 10:00 on the 15th, in that day
        "mid": every,  # claim1 by its later incident, claim4 despite the one not held
        "noon": every,  # 8 February, known to the day, reaches noon
        "same-day": {"claim2"},
        "feb11": {"claim2", "claim3"},  # claim3's incident replayed after it
        "after": set(),
    }
    alleged = [key.split(":") for key in _found(tl) if key.startswith("alleged:")]
    for pledge, claims in expected.items():
        assert {claim for _, claim, cid in alleged if cid == pledge} == claims, pledge


def test_a_pledge_corrected_to_start_after_every_incident_is_no_longer_alleged() -> None:
    """A correction is applied to what it names: a pledge that took effect before an
    accusation's incidents is alleged breached; corrected to take effect after the
    last instant any of them may reach, it is not (declared before the accusation
    or after it)."""
    pre = _vpledge("pre", "2020-02-01", effective="2020-02-05")
    post = _vpledge("post", "2020-02-20", effective="2020-02-05")
    tl = load(*_world())
    tl.append(
        _attack("late", "2020-02-08"),
        pre,
        _accusation("claim", "2020-02-10", incidents=("late",)),
        post,
    )
    before = {key for key in _found(tl) if key.startswith("alleged:")}
    assert {"alleged:claim:pre", "alleged:claim:post"} <= before
    for made in (pre, post):
        tl.append(
            Correction(
                id=f"{made.id}-later",
                occurred="2020-03-01",
                sources=wire("2020-03-01"),
                corrects=made.id,
                replacement=attrs.evolve(made, effective=TimeExtent.parse("2020-02-09")),
            )
        )
    after = {key for key in _found(tl) if key.startswith("alleged:")}
    assert "alleged:claim:pre" not in after
    assert "alleged:claim:post" not in after
