"""Rules of the import how-tos that a planted bug once left every test passing.

Each test pins one rule of docs/howto/import.md, import-acled-vintages.md or
import-ceasefires.md on small synthetic rows, its expected values written by hand
from the rule (never computed by the importer under test).
"""

from __future__ import annotations

import datetime as dt

import pytest

from conflict_timeline import (
    Attack,
    Commitment,
    Correction,
    Retraction,
    TargetClass,
    TimeExtent,
)
from conflict_timeline.importers import get_importer
from conflict_timeline.importers._apply import CurrentVersions
from test_ceasefire_mapping_rules import PA_COLUMNS, PA_ROW, PAX_COLUMNS, PAX_ROW, _csv
from test_import_versions import (
    _protest,
    acled,
    acled_row,
    alive,
    coding_row,
    codings,
    deletions,
    timeline,
)
from test_importer_mapping_rules import _read

# 1700600000 is 2023-11-21T20:53:20Z.
_STORED_STAMP = "1700600000"


def test_a_row_stamped_with_the_day_of_the_stored_version_is_not_older() -> None:
    """import.md, "ACLED: the latest version by ACLED's own times wins": a row older
    than the stored version changes nothing, but a row stamped with a day (a file
    that dates its versions to the day) may hold a version ACLED made later that day:
    stamped 2023-11-21 against a version stored at 20:53 that day, it is not older,
    and corrects the record ("ACLED re-import: row changed"), unflagged. A day wholly
    before the stored version is older: nothing changes, the row flagged."""
    tl = timeline()
    tl.import_("acled", acled(acled_row(fatalities="3", timestamp=_STORED_STAMP)))
    same_day = tl.import_("acled", acled(acled_row(fatalities="5", timestamp="2023-11-21")))
    assert same_day.corrections == 1
    assert "older than the stored version (the stored one kept)" not in same_day.flags
    (correction,) = (r.record for r in tl.store.read(kinds=("Correction",)))
    assert isinstance(correction, Correction)
    assert correction.reason == "ACLED re-import: row changed"
    assert correction.replacement.fatalities is not None  # type: ignore[attr-defined]
    assert correction.replacement.fatalities.best == 5  # type: ignore[attr-defined]

    tl = timeline()
    tl.import_("acled", acled(acled_row(fatalities="3", timestamp=_STORED_STAMP)))
    day_before = tl.import_("acled", acled(acled_row(fatalities="5", timestamp="2023-11-20")))
    assert day_before.corrections == 0
    assert day_before.flags == {"older than the stored version (the stored one kept)": 1}


# ------------------------------------------------ UCDP PA: not ended, duration missing

_LAST_HELD = dt.datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC)


@pytest.mark.parametrize("ended", ["False", "0", ""])
@pytest.mark.parametrize("duration", ["-99", "-1"])
def test_a_peace_agreement_not_ended_with_duration_missing_is_not_ended(
    ended: str, duration: str
) -> None:
    """import-ceasefires.md: missing values come as the tools write them (``-1``,
    ``-99``, ...), read as the empty cell; and ``ended`` False (or 0, or empty) with
    ``duration`` empty is not ended by the end of the coverage (2021): ``until``
    from 2022-01-01 to the last instant held, the notes saying so. A ``duration``
    of -99 is no end date: it does not make the agreement "ended, date unknown"."""
    row = {**PA_ROW, "ended": ended, "duration": duration}
    batch = get_importer("ucdp-peace-agreements").read(_csv(PA_COLUMNS, [row]))
    assert batch.refused == ()
    terms = {r.id: r for r in batch.records}["ucdp-pa:5001/terms"]
    assert isinstance(terms, Commitment)
    assert terms.until == TimeExtent.between(
        dt.datetime(2022, 1, 1, tzinfo=dt.UTC), _LAST_HELD, "year"
    )
    assert "not ended by the end of 2021" in terms.notes
    assert "ended, date unknown" not in terms.notes


# ------------------------------------------------ PA-X: a Dat in the current year


def test_a_pax_date_in_the_current_year_is_covered_not_flagged() -> None:
    """import-ceasefires.md, "Ends": a year after the current one (the ``today``
    option) is kept, flagged "year after the current year", and covers nothing;
    the same holds for PA-X's ``Dat``. The current year itself is no such year: a
    ceasefire dated 2030-03-01 with today 2030-06-01 is not flagged, and the file
    then codes 2030, so a ceasefire's unknown end (PA-X codes none) reaches the
    end of 2030, not of 2020 (PA-X v4's coverage)."""
    rows = [
        {**PAX_ROW, "AgtId": "1", "Dat": "2001-03-04"},
        {**PAX_ROW, "AgtId": "2", "Dat": "2030-03-01"},
    ]
    batch = get_importer("pax").read(_csv(PAX_COLUMNS, rows), today="2030-06-01")
    assert batch.refused == ()
    assert "year after the current year" not in batch.flags
    ceasefire = {r.id: r for r in batch.records}["pax:1/ceasefire"]
    assert isinstance(ceasefire, Commitment)
    assert ceasefire.until is not None
    assert ceasefire.until.latest == dt.datetime(2031, 1, 1, tzinfo=dt.UTC)


# ------------------------------------- ACLED deletions: a deletion dated by a day


_OLDER_DELETION = "deletion older than the stored version (the stored one kept)"


@pytest.mark.parametrize("deleted", ["2023-11-14", "1.7E+09"])
def test_a_deletion_dated_by_a_span_holding_the_stored_version_deletes(deleted: str) -> None:
    """import.md: a deletion at or after the stored row's timestamp retracts the
    event; only one wholly before it changes nothing. A ``deleted_timestamp`` that is
    a day (2023-11-14) or Excel's rounded ``1.7E+09`` (1.65e9 to 1.75e9 seconds) holds
    the stored version's 1700000000 (2023-11-14T22:13:20Z): it is not wholly before,
    so the event is retracted."""
    tl = timeline()
    tl.import_acled(acled(acled_row(timestamp="1700000000")))
    summary = tl.import_acled_deletions(deletions(("SYN1", deleted)))  # type: ignore[arg-type]
    assert summary.retractions == 1
    assert _OLDER_DELETION not in summary.flags
    assert alive(tl, "acled:SYN1") is None


def test_a_deletion_dated_by_a_day_wholly_before_the_stored_version_changes_nothing() -> None:
    tl = timeline()
    tl.import_acled(acled(acled_row(fatalities="3", timestamp="1700000000")))
    summary = tl.import_acled_deletions(deletions(("SYN1", "2023-11-13")))  # type: ignore[arg-type]
    assert summary.retractions == 0
    assert summary.flags == {_OLDER_DELETION: 1}
    event = alive(tl, "acled:SYN1")
    assert event is not None
    assert event.fatalities is not None
    assert event.fatalities.best == 3


def test_a_deletion_dated_by_the_day_of_a_recoded_version_retracts_it() -> None:
    """import.md: a deletion retracts whichever record of the event is current, an
    event recoded as another kind too (acled:SYN1#as-statement, its version stamped
    1700100000, 2023-11-16T02:00:00Z); one wholly before that version changes
    nothing. A deletion dated 2023-11-16 holds the version: the event has no
    current record left. One dated 2023-11-15 is wholly before it: flagged, the
    statement stays."""
    tl = timeline()
    tl.import_acled(acled(coding_row("attack")))
    tl.import_acled(acled(coding_row("arrest")))
    summary = tl.import_acled_deletions(deletions(("SYN1", "2023-11-16")))  # type: ignore[arg-type]
    assert _OLDER_DELETION not in summary.flags
    assert codings(tl) == []

    tl = timeline()
    tl.import_acled(acled(coding_row("attack")))
    tl.import_acled(acled(coding_row("arrest")))
    summary = tl.import_acled_deletions(deletions(("SYN1", "2023-11-15")))  # type: ignore[arg-type]
    assert summary.flags == {_OLDER_DELETION: 1}
    assert codings(tl) == [("acled:SYN1#as-statement", "Statement", "arrest")]


# ----------------------------------------- ACLED: "protestors", as acledR spells it


def test_excessive_force_against_protestors_as_acledr_spells_it_is_an_attack() -> None:
    """import-acled-vintages.md, "Where each event type goes": Excessive force
    against protesters (or "protestors", as the codebook of ACLED's R package spells
    it) is an `Attack`, target civilian, by the actor that is not the protesters. It
    is neither skipped with the protests nor refused as a sub-event type outside the
    codebook."""
    batch = _read(
        {
            "event_type": "Protests",
            "sub_event_type": "Excessive force against protestors",
            "actor1": "Protesters (Synthetica)",
            "inter1": "6",
            "actor2": "Police Forces of Synthetica",
            "inter2": "1",
        }
    )
    assert (batch.refused, batch.out_of_scope) == ((), {})
    force = {r.id: r for r in batch.records}["acled:SYN1"]
    assert isinstance(force, Attack)
    assert force.target_class is TargetClass.CIVILIAN
    assert force.perpetrator == "actor:police-forces-of-synthetica"
    assert force.target_actor == "actor:protesters-synthetica"
    assert force.means == "Excessive force against protestors"


# ---------------------- ACLED: recoded out of scope after a correction known later

# 1690000000 and 1695000000 (July, September 2023) are before the event (2023-11-02);
# 1701000000 is 2023-11-26T12:00:00Z.
_BEFORE_1, _BEFORE_2, _T1 = 1690000000, 1695000000, 1701000000


def test_a_recoding_out_of_scope_after_a_correction_known_later_is_known_from_its_import() -> None:
    """import.md, "ACLED: a newer version recoded out of scope retracts the record":
    the retraction occurs at the recoding row's timestamp and is known from it, "from
    the import when a correction already known later stands". Two versions stamped
    before the event: the correction is known only from its import (no timestamp
    later than what it corrects). A protest at T1 then retracts the record: occurring
    at T1, but not known from T1, before the correction it supersedes: known from its
    own import (no dated source, no reported time). Without that correction the
    retraction is known from T1."""
    tl = timeline()
    tl.import_acled(acled(acled_row(fatalities="3", timestamp=str(_BEFORE_1))))
    tl.import_acled(acled(acled_row(fatalities="5", timestamp=str(_BEFORE_2))))
    (correction,) = (r.record for r in tl.store.read(kinds=("Correction",)))
    assert correction.reported is None  # known from its import
    summary = tl.import_acled(acled(_protest(_T1)))
    assert summary.retractions == 1
    retraction = CurrentVersions(tl.store)("acled:SYN1")
    assert isinstance(retraction, Retraction)
    assert retraction.id == "acled:SYN1#withdrawn"
    assert (retraction.occurred.lo, retraction.occurred.last) == (
        _T1 * 1_000_000,
        _T1 * 1_000_000,
    )
    assert retraction.reported is None
    assert [s.published for s in retraction.sources] == [None, None]

    tl = timeline()
    tl.import_acled(acled(acled_row(fatalities="3", timestamp=str(_BEFORE_1))))
    tl.import_acled(acled(_protest(_T1)))
    plain = CurrentVersions(tl.store)("acled:SYN1")
    assert isinstance(plain, Retraction)
    assert plain.reported is not None
    assert (plain.reported.lo, plain.reported.last) == (_T1 * 1_000_000, _T1 * 1_000_000)


# ------------------- ACLED: one file, a recoding its stamp does not order is refused


def test_in_one_file_a_recoding_out_of_scope_stamped_with_the_same_day_is_refused() -> None:
    """import.md, "Versions of one event in one file": a row whose timestamp does not
    order it after or before the newest earlier row of its id in the file is refused,
    naming that row's line; a row recoded out of scope likewise. A protest stamped
    2023-11-14 (a day) after the battle stamped 1700000000 (22:13:20 that day) may be
    older or newer: refused, the battle kept. Stamped 2023-11-15, wholly later, it
    retracts the battle."""
    protest = {
        "event_type": "Protests",
        "sub_event_type": "Peaceful protest",
        "actor1": "Protesters (Synthetica)",
        "inter1": "6",
        "actor2": "",
        "inter2": "",
        "interaction": "60",
        "fatalities": "0",
    }
    tl = timeline()
    summary = tl.import_acled(
        acled(acled_row(timestamp="1700000000"), acled_row(**protest, timestamp="2023-11-14"))
    )
    (refused,) = summary.refused
    assert (refused.line, refused.field) == (3, "row")
    assert "first at line 2" in refused.reason
    assert "is not a later version of it" in refused.reason
    assert summary.retractions == 0
    assert alive(tl, "acled:SYN1") is not None

    tl = timeline()
    summary = tl.import_acled(
        acled(acled_row(timestamp="1700000000"), acled_row(**protest, timestamp="2023-11-15"))
    )
    assert (summary.refused, summary.retractions) == ((), 1)
    assert alive(tl, "acled:SYN1") is None


# ------------------------------- ACLED: a timestamp an hour before the event began


def test_a_timestamp_an_hour_before_the_event_is_flagged_and_reported_from_its_start() -> None:
    """import-acled-vintages.md, "Knowledge time": a timestamp before the event began
    (ACLED cannot have changed a row before its event) is kept as the ACLED source's
    date, the event reported from its start, the row flagged "timestamp rounded or
    before the event" and its notes keeping the timestamp as published. An hour
    before is before: 1699138800 is 2023-11-04T23:00:00Z, the event is of 2023-11-05."""
    batch = _read({"event_date": "2023-11-05", "timestamp": "1699138800"})
    assert batch.refused == ()
    assert batch.flags == {"timestamp rounded or before the event": 1}
    attack = {r.id: r for r in batch.records}["acled:SYN1"]
    assert isinstance(attack, Attack)
    assert attack.reported == TimeExtent.instant(dt.datetime(2023, 11, 5, tzinfo=dt.UTC))
    assert attack.sources[-1].published == TimeExtent.instant(
        dt.datetime(2023, 11, 4, 23, tzinfo=dt.UTC)
    )
    assert "timestamp as published: 1699138800" in attack.notes


def test_a_timestamp_at_the_events_first_instant_is_not_before_it() -> None:
    """import-acled-vintages.md, "Knowledge time": only a timestamp *before* the event
    began is flagged. 1699142400 is 2023-11-05T00:00:00Z, the first instant of the
    event's day: ACLED changed the row as the event began, which is no slip. The row is
    not flagged, its notes say nothing of the timestamp, and the event is reported at
    that instant (no earlier than the event, no later than the timestamp)."""
    batch = _read({"event_date": "2023-11-05", "timestamp": "1699142400"})
    assert batch.refused == ()
    assert batch.flags == {}
    attack = {r.id: r for r in batch.records}["acled:SYN1"]
    assert isinstance(attack, Attack)
    start = TimeExtent.instant(dt.datetime(2023, 11, 5, tzinfo=dt.UTC))
    assert attack.reported == start
    assert attack.sources[-1].published == start
    assert "timestamp as published" not in attack.notes
