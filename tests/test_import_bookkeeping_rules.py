"""Rules the eleventh mutation run (importers/_batch.py and importers/ceasefires.py at
257e44e, see docs/testing.md, "The eleventh run") found unpinned: each test fails
with the mutants named in its docstring switched on and passes without.

Each expectation is written from the rule as docs/howto/import.md ("Versions and
deletions"), docs/howto/import-ceasefires.md, the module docstring of
``conflict_timeline.importers._batch`` (the ``existing`` contract, strict mode) or the
docstrings of the functions state it, never computed by the importer.

It uses the helpers of tests/test_import_versions.py and
tests/test_ceasefire_mapping_rules.py.
"""

from __future__ import annotations

import pytest

from conflict_timeline import (
    ActorDefined,
    ActorKind,
    Correction,
    Retraction,
    Source,
    Statement,
    TimeExtent,
)
from conflict_timeline.errors import ImportDataError
from conflict_timeline.importers import get_importer
from conflict_timeline.importers._apply import CurrentVersions
from conflict_timeline.importers._batch import BatchBuilder, RowOutcome, take_row
from test_ceasefire_mapping_rules import (
    PA_COLUMNS,
    PA_ROW,
    PAX_COLUMNS,
    PAX_ROW,
    _after,
    _by_id,
    _csv,
    _day,
    _eth,
    _pa,
)
from test_import_versions import (
    T0,
    T1,
    T_DELETED,
    acled,
    acled_row,
    alive,
    deletions,
    ged,
    ged_row,
    retracted_by_the_user,
    timeline,
)

# A day before the event of 2023-11-02: a correction stamped so is known from the import.
EARLY = ("1698000000", "1698100000", "1698200000")

# T_DELETED (1700700000) is 2023-11-23T00:40:00Z: inside the day 2023-11-23.
DELETION_DAY = "2023-11-23"


# ------------------------------------------- ACLED: a row against its deletion


@pytest.mark.parametrize(
    ("deleted", "stamp"),
    [(str(T_DELETED), DELETION_DAY), (DELETION_DAY, str(T_DELETED))],
    ids=["row-a-day-around-the-deletion", "deletion-a-day-around-the-row"],
)
def test_a_row_whose_timestamp_overlaps_its_deletion_is_refused(deleted: str, stamp: str) -> None:
    """A row brings its event back only when *wholly* newer than the deletion, and
    changes nothing only when wholly no later; a timestamp that overlaps the deletion
    (a day alone against an instant in it) is neither: no version says which came
    first, so the row is refused, outside the import's scope (in strict mode too).
    Mutants: ``_after_retraction`` 18 (``given[1] > deleted[1]``: brought back) and
    61 (``given[1] <= deleted[1]``: changes nothing, flagged)."""
    tl = timeline()
    tl.import_acled(acled(acled_row(timestamp=str(T0))))
    tl.import_acled_deletions(deletions(("SYN1", deleted)))
    head = tl.store.head
    summary = tl.import_acled(acled(acled_row(fatalities="4", timestamp=stamp)), strict=True)
    assert (summary.appended, summary.flags) == (0, {})
    (refused,) = summary.refused
    assert refused.field == "row"
    assert "was retracted" in refused.reason
    assert tl.store.head == head
    assert alive(tl, "acled:SYN1") is None


def test_a_row_of_an_event_you_retracted_is_refused_not_raised_in_strict_mode() -> None:
    """The ``_batch`` docstring: a row whose event was retracted is refused "as
    outside the import's scope", and in strict mode only a refusal for bad data
    raises. Mutants: ``_after_retraction`` 74 and 77 (``in_scope`` True: the strict
    import raised ImportDataError)."""
    tl = retracted_by_the_user()
    summary = tl.import_acled(acled(acled_row(fatalities="4", timestamp=str(T1))), strict=True)
    assert summary.appended == 0
    (refused,) = summary.refused
    assert "was retracted" in refused.reason


def _plain_existing_after_a_deletion() -> object:
    """``existing`` as a plain function (the contract's minimum: no ``fix``,
    ``holds``, ``held`` or ``unchanged``) over a timeline holding SYN1 deleted by
    ACLED at T_DELETED."""
    tl = timeline()
    tl.import_acled(acled(acled_row(timestamp=str(T0))))
    tl.import_acled_deletions(deletions(("SYN1", T_DELETED)))
    current = CurrentVersions(tl.store)
    return lambda rid: current(rid)  # noqa: PLW0108 - plain: no fix, holds, held


def test_with_a_plain_existing_an_older_row_of_a_deleted_event_changes_nothing() -> None:
    """Without ``holds``, a stored retraction is taken to retract a record the store
    holds (``holds`` is what tells a retraction stored before its record): a row no
    later than the deletion changes nothing, flagged, and nothing is imported.
    Mutants: ``_after_retraction`` 5 (``holds`` called when there is none:
    TypeError) and 8 (held taken as False: the event imported as if deleted before
    it was imported)."""
    existing = _plain_existing_after_a_deletion()
    batch = get_importer("acled").read(
        acled(acled_row(fatalities="4", timestamp=str(T0))), existing=existing
    )
    assert batch.events() == ()
    assert batch.refused == ()
    assert batch.skipped == 1
    assert batch.flags == {"not newer than its deletion (the deletion kept)": 1}


def test_with_a_plain_existing_a_newer_row_brings_a_deleted_event_back() -> None:
    """Without ``fix``, a row wholly newer than the deletion still brings the event
    back, as one correction of it (its id the replacement's hash, the contract says).
    Mutant: ``_after_retraction`` 45 (the correction made of no current version:
    AttributeError)."""
    existing = _plain_existing_after_a_deletion()
    batch = get_importer("acled").read(
        acled(acled_row(fatalities="4", timestamp=str(T1))), existing=existing
    )
    assert batch.refused == ()
    assert batch.flags == {"newer than its deletion (brought back)": 1}
    (correction,) = batch.events()
    assert isinstance(correction, Correction)
    assert correction.corrects == "acled:SYN1"
    assert correction.id.startswith("acled:SYN1#correction-")
    assert correction.replacement.fatalities is not None
    assert correction.replacement.fatalities.best == 4


# ------------------------------------------- versions in one file


@pytest.mark.parametrize(
    "unstamped_first", [True, False], ids=["unstamped-first", "stamped-first"]
)
def test_a_version_in_one_file_with_a_row_without_a_timestamp_the_stamped_one_stands(
    unstamped_first: bool,
) -> None:
    """import.md, "Versions of one event in one file": a row without a timestamp and
    one with meet as in files of their own, and the one with a timestamp stands, in
    either order: nothing refused; after it, the row without changes nothing (counted
    unchanged, flagged "no timestamp (the stored version kept)"). Mutant: the version
    stamps compared with one missing (TypeError)."""
    rows = [acled_row(timestamp=""), acled_row(fatalities="4", timestamp=str(T1))]
    if not unstamped_first:
        rows.reverse()
    tl = timeline()
    summary = tl.import_acled(acled(*rows))
    assert summary.refused == ()
    assert summary.flags == (
        {} if unstamped_first else {"no timestamp (the stored version kept)": 1}
    )
    event = alive(tl, "acled:SYN1")
    assert event is not None
    assert event.fatalities is not None
    assert event.fatalities.best == 4


@pytest.mark.parametrize(
    ("first", "second"),
    [(str(T_DELETED), DELETION_DAY), (DELETION_DAY, str(T_DELETED))],
    ids=["instant-then-its-day", "day-then-an-instant-in-it"],
)
def test_versions_in_one_file_whose_timestamps_overlap_are_refused(
    first: str, second: str
) -> None:
    """import.md: a later row of an id is taken only when its timestamp orders it
    *after* (wholly later: a correction) or *before* (wholly earlier: changes
    nothing) the newest earlier row; a day alone and an instant in it order neither
    way, so the second is refused, naming the first's line, and the first kept.
    Mutants: ``_judge`` 59 (``given[1] < memo.version[1]``: taken as older) and 62
    (``given[1] > memo.version[1]``: taken as a correction)."""
    tl = timeline()
    summary = tl.import_acled(
        acled(acled_row(timestamp=first), acled_row(fatalities="4", timestamp=second))
    )
    assert (summary.flags, summary.corrections) == ({}, 0)
    (refused,) = summary.refused
    assert (refused.line, refused.field) == (3, "row")
    assert "(first at line 2) and is not a later version of it" in refused.reason
    event = alive(tl, "acled:SYN1")
    assert event is not None
    assert event.fatalities is not None
    assert event.fatalities.best == 3


def test_an_unstamped_row_repeated_in_one_file_is_taken_once() -> None:
    """The ``_batch`` accounting: "a repeat of an identical row" needs nothing new
    (``skipped``), for an ACLED row without a timestamp too: one event, the repeats
    unchanged. Mutant: ``_entry`` 33 (the id's state not set to "added" by a row
    without a version stamp: each repeat judged against the store again and the
    event emitted three times, 0 unchanged)."""
    row = acled_row(timestamp="")
    batch = get_importer("acled").read(acled(row, row, row))
    assert batch.refused == ()
    assert [e.id for e in batch.events()] == ["acled:SYN1"]
    assert (batch.accepted, batch.skipped) == (1, 2)
    summary = timeline().import_acled(acled(row, row, row))
    assert (summary.events, summary.skipped) == (1, 2)


def _refused_rows(case: str) -> tuple[object, ...]:
    tl = timeline()
    if case == "ged-differs":
        return tl.import_ucdp(ged(ged_row(), ged_row(best="7", high="9"))).refused
    if case == "acled-same-stamp-after-an-unchanged-row":
        same = [acled_row(fatalities="3"), acled_row(fatalities="4")]
        tl.import_acled(acled(*same))
        return tl.import_acled(acled(*same)).refused
    if case == "ged-stored-as-another-kind":
        # GED says no more than ACLED how an event recoded as another kind comes in
        # (no `Recoder`): the record keeps its kind and the row is refused.
        speaker = ActorDefined(id="actor:x", name="X", actor_kind=ActorKind.ORGANIZATION)
        said = Statement(
            id="ucdp:900001",
            occurred=TimeExtent.parse("2023"),
            sources=(Source(publisher="test"),),
            speaker=speaker.id,
            summary="a statement under the GED event's id",
        )
        tl.extend([speaker, said])
        return tl.import_ucdp(ged(ged_row())).refused
    if case == "acled-nothing-orders-the-corrections":
        rows = [acled_row(fatalities=str(3 + n), timestamp=t) for n, t in enumerate(EARLY)]
        return tl.import_acled(acled(*rows)).refused
    raise AssertionError(case)


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("ged-differs", "appears again with different content (first at line 2)"),
        ("acled-same-stamp-after-an-unchanged-row", "is not a later version of it"),
        ("ged-stored-as-another-kind", "a record keeps its kind"),
        ("acled-nothing-orders-the-corrections", "nothing would order them"),
    ],
)
def test_a_row_refused_against_another_version_names_the_row_as_its_field(
    case: str, says: str
) -> None:
    """`RefusedRow.field`: "The column (or "row") at fault"; a row refused for what
    it is against another version of its record is at fault as a whole, "row" (what
    a user groups refusals by, and the strict error's ``file, line N: row: ...``).
    Mutants: ``_judge`` 48, 52, 53; ``_correct_again`` 3, 7, 8, 12, 16, 17;
    ``_after_retraction`` 33, 37, 38 (the field None, "XXrowXX" or "ROW")."""
    (refused,) = _refused_rows(case)
    assert refused.field == "row"
    assert says in refused.reason


# ------------------------------------------- rows the library rejects; streams


def test_a_row_whose_record_the_library_rejects_is_refused_with_the_error() -> None:
    """`take_row`: a converter that breaks a record rule (a ConflictTimelineError
    other than a Refusal, here a year past 9999) has its row refused, field "row",
    the library's message as the reason, and the flags it set before failing are not
    counted ("only rows imported are counted in the flags"). Mutants: ``refuse_error``
    1-9 (no test reached it), ``take_row`` 12 (the flags set to None)."""
    builder = BatchBuilder(file="f.csv", existing=None, strict=False, reimport_reason="r")

    def convert(cells: list[str]) -> RowOutcome:
        builder.flag("date adjusted")
        TimeExtent.parse(cells[0])  # "10000": no year the library holds
        raise AssertionError("unreachable")

    take_row(builder, 7, convert, ["10000"])
    batch = builder.build()
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (7, "row")
    assert "cannot parse time '10000'" in refused.reason
    assert batch.flags == {}
    assert batch.records == ()


def test_an_import_stream_begun_but_not_finished_has_no_batch_yet() -> None:
    """`ImportStream.batch`: "Raises: ImportDataError: the stream has not been read to
    its end" — also once it is begun. Mutant: ``ImportStream.batch`` 1 (``or`` to
    ``and``: the counts of a half-read file returned)."""
    stream = get_importer("ucdp").stream(ged(ged_row(), ged_row(id="900002", relid="SYN-2")))
    records = iter(stream)
    next(records)
    with pytest.raises(ImportDataError, match="not been read to its end"):
        stream.batch()
    list(records)
    assert stream.batch().rows == 2


# ------------------------------------------- a correction's knowledge time


def test_a_correction_is_known_from_the_latest_dated_source_of_the_new_version() -> None:
    """``_correction_of``: a correction is known from the new version's *latest*
    dated source when that is later than what the store has, and keeps the new
    version's sources. A GED row re-imported with a second, later report (a GED
    import corrects to the file imported last). Mutants: ``_correction_of`` 5 and 7
    (the latest source by natural order: TypeError, extents do not order), 22 and 29
    (``reported`` dropped: known from the earliest dated source), 28 (the sources
    dropped)."""
    tl = timeline()
    tl.import_ucdp(ged(ged_row(best="6")))  # one report, 2023-03-04
    summary = tl.import_ucdp(
        ged(
            ged_row(
                best="7",
                source_office="Synthetic Daily;Other Weekly",
                source_date="2023-03-04;2023-03-09",
                source_headline="Clash near Testville;Later report",
            )
        )
    )
    assert summary.corrections == 1
    (recorded,) = tl.store.read(kinds=("Correction",))
    correction = recorded.record
    assert isinstance(correction, Correction)
    assert correction.reported == _day("2023-03-09")
    published = {(s.publisher, s.published) for s in correction.sources}
    assert ("Synthetic Daily", _day("2023-03-04")) in published
    assert ("Other Weekly", _day("2023-03-09")) in published


def test_a_correction_whose_new_version_has_no_later_date_is_known_from_its_append() -> None:
    """import.md and export.md: a re-import that changes a row without a later dated
    source (a new GED release revising ``best``) cannot tell when the change was
    published: its correction has no ``reported`` and only undated sources, so it is
    known from when it is appended (and a JSON Lines copy knows it from the copy's
    import: ``conflict-timeline copy`` keeps it)."""
    tl = timeline()
    tl.import_ucdp(ged(ged_row(best="6")))  # one report, 2023-03-04
    assert tl.import_ucdp(ged(ged_row(best="7"))).corrections == 1
    (recorded,) = tl.store.read(kinds=("Correction",))
    correction = recorded.record
    assert isinstance(correction, Correction)
    assert correction.reported is None
    assert all(s.published is None for s in correction.sources)


# ------------------------------------------- PA-X: a ceasefire withdrawn


def test_a_withdrawn_pax_ceasefire_cites_the_agreements_undated_source() -> None:
    """``BatchBuilder.withdraw``: the retraction of a ceasefire a re-imported PA-X
    row no longer codes has the row's undated sources (PA-X's, titled with the
    agreement), so it is known from when it is appended. Mutants: ``withdraw`` 13
    (no sources) and 17 (only the dated ones: none)."""
    tl = timeline()
    tl.import_("pax", _csv(PAX_COLUMNS, [{**PAX_ROW, "Stage": "Cea"}]))
    summary = tl.import_("pax", _csv(PAX_COLUMNS, [{**PAX_ROW, "Stage": "Imp"}]))
    assert summary.retractions == 1
    (recorded,) = tl.read(kinds=["Retraction"])
    withdrawn = recorded.record
    assert isinstance(withdrawn, Retraction)
    assert withdrawn.retracts == "pax:77/ceasefire"
    assert withdrawn.sources == (
        Source(publisher="PA-X Peace Agreements Database", title="Testville Ceasefire"),
    )


# ------------------------------------------- ceasefire files: coverage and dates


def test_the_coverage_reaches_the_year_of_a_date_the_files_order_settles() -> None:
    """An agreement not ended is in force to the end of the coverage, "2021, or the
    latest year the file codes" (import-ceasefires.md): a numeric ``pa_date`` of 2023
    whose day and month the file's other row settles counts. Mutants:
    ``_file_dates`` 12, ``_latest_year`` 28 and 32 (the order not used there: the
    date left out, the coverage 2021)."""
    batch = _pa(
        {"paid": "5001", "pa_date": "25/04/1992"}, {"paid": "5002", "pa_date": "05/06/2023"}
    )
    assert batch.refused == ()
    until = {e.id: getattr(e, "until", None) for e in batch.events()}
    assert until["ucdp-pa:5001/terms"] == _after(2023)
    assert until["ucdp-pa:5002/terms"] == _after(2023)


def test_an_eth_prio_coverage_reaches_an_end_year_after_an_unknown_effect_year() -> None:
    """ETH/PRIO: a ceasefire not ended runs to "the dataset's coverage (2020, or the
    latest year the file codes)" (import-ceasefires.md). A row's later year cells
    count after an unknown one (``cf_effect_yr`` -1). Mutant: ``_latest_year`` 35
    (``continue`` to ``break``: the rest of the row's year cells left out after the
    unknown one, the coverage 2020)."""
    ended_2023 = {
        "cf_dec_yr": "2019",
        "cf_effect_yr": "-1",
        "cf_effect_month": "-1",
        "cf_effect_day": "-1",
        "ended": "1",
        "end_yr": "2023",
        "end_month": "1",
        "end_day": "10",
    }
    not_ended = {"uniq_id": "70002", "cf_id": "2"}
    batch = _eth(ended_2023, not_ended)
    assert batch.refused == ()
    found = _by_id(batch)["eth-prio:70002"]
    assert getattr(found, "until", None) == _after(2023)


def test_a_year_cell_that_is_no_year_refuses_its_row_alone() -> None:
    """A five-digit ``end_yr`` (a slip: 20011) is no year: its row is refused
    naming the end, and the coverage the other ceasefires run to stays the latest
    *year* the file codes (2020 here). Mutant: ``_latest_year`` 7 (every year cell
    read as a number whatever its length: the coverage 20011, and every ceasefire
    not ended refused, "cannot parse time '20012'")."""
    slip = {"end_yr": "20011", "ended": "1", "end_month": "1", "end_day": "1"}
    batch = _eth(slip, {"uniq_id": "70002", "cf_id": "2"})
    (refused,) = batch.refused
    assert refused.field == "end_yr/_month/_day"
    found = _by_id(batch)["eth-prio:70002"]
    assert getattr(found, "until", None) == _after(2020)


@pytest.mark.parametrize(("year", "day"), [("1", "0001-03-04"), ("2001", "2001-03-04")])
def test_a_two_digit_pa_date_is_read_in_any_year_from_1(year: str, day: str) -> None:
    """import-ceasefires.md: a ``pa_date`` with a two-digit year is in the row's
    ``year``; only a year that is no year (0, -1, text) is refused (year 1 is a year,
    as ETH/PRIO's year 1 is). Mutant: ``_century`` 23 (``full <= 1``: year 1
    refused as "not a year")."""
    batch = get_importer("ucdp-peace-agreements").read(
        _csv((*PA_COLUMNS, "year"), [{**PA_ROW, "pa_date": "4-Mar-01", "year": year}])
    )
    assert batch.refused == ()
    occurred = {e.id: e.occurred for e in batch.events()}
    assert occurred["ucdp-pa:5001"] == _day(day)


@pytest.mark.parametrize("what", ["cf_dec", "cf_effect"])
def test_a_month_past_12_with_a_day_is_refused_not_read_as_its_year(what: str) -> None:
    """``partial_date``: only "a day the month does not have (1994-02-31)" is read
    as its month, flagged; parts that are no date (month 13) are refused naming the
    date, in an import as in a bare call. Planted by hand in ``_extent`` (memoised:
    mutmut does not mutate it): the month check's ``return None`` turned into the
    year, flagged as adjusted."""
    batch = _eth({f"{what}_month": "13", f"{what}_day": "4"})
    assert batch.events() == ()
    (refused,) = batch.refused
    assert refused.field == f"{what}_yr/_month/_day"
    assert "month 13, day 4 is not a date" in refused.reason


def test_a_day_past_a_c_int_is_read_as_its_month_like_any_impossible_day() -> None:
    """``partial_date``: "A day the month does not have (1994-02-31, as coded) gives
    the month, and says so in flags" — a day of 1E10 (past a C int) is such a day,
    read as its month and flagged like day 99, not refused. Planted by hand in
    ``_extent``: the inner ``except (ValueError, OverflowError)`` without
    OverflowError (the row then refused as "not a date")."""
    for day in ("99", "1E10"):
        batch = _eth({"cf_dec_day": day})
        assert batch.refused == ()
        assert batch.flags == {"date adjusted": 1}
        (ceasefire,) = batch.events()
        assert ceasefire.occurred == _day("2001-03")


def test_a_year_9999_is_kept_on_its_row_and_is_no_coverage_year() -> None:
    """import-ceasefires.md: 9999 (the last year the library holds, and a code some
    tools write for a missing year) is read on its own row as written, but no
    release covers it: the ceasefires not ended keep the coverage of the other
    years (2020 here), instead of each being refused for a year 10000."""
    ended = {"end_yr": "9999", "ended": "1", "end_month": "1", "end_day": "1"}
    batch = _eth(ended, {"uniq_id": "70002", "cf_id": "2"})
    assert batch.refused == ()
    found = _by_id(batch)["eth-prio:70002"]
    assert getattr(found, "until", None) == _after(2020)
