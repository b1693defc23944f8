"""The UCDP GED mappings, one rule at a time, on synthetic rows.

Each expectation is written from the rule as docs/howto/import.md ("UCDP GED") and
the docstring of ``conflict_timeline.importers.ucdp`` state it, never computed by the
importer. Found unpinned by the fifth mutation run (docs/testing.md).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from pathlib import Path

import attrs
import pytest

from conflict_timeline import (
    ActorDefined,
    ActorKind,
    Attack,
    Commitment,
    Coordinates,
    Figure,
    PlaceDefined,
    PlaceKind,
    Precision,
    ReportedViolations,
    Scope,
    Source,
    TargetClass,
    TimeExtent,
    Timeline,
)
from conflict_timeline.importers import ImportBatch, read_ucdp
from conflict_timeline.importers.ucdp import (
    UCDP_PUBLISHER,
    article_date,
    from_ucdp,
    published_figures,
    ucdp_actor_id,
)

COLUMNS = (
    "id",
    "relid",
    "year",
    "type_of_violence",
    "conflict_name",
    "dyad_name",
    "side_a_new_id",
    "side_a",
    "side_b_new_id",
    "side_b",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_civilians",
    "best",
    "high",
    "low",
)
ROW = {
    "id": "900001",
    "relid": "SYN-1",
    "year": "2023",
    "type_of_violence": "1",
    "conflict_name": "",
    "dyad_name": "",
    "side_a_new_id": "11",
    "side_a": "Government of Synthetica",
    "side_b_new_id": "22",
    "side_b": "SLF",
    "source_article": "",
    "source_office": "Synthetic Daily",
    "source_date": "2023-03-04",
    "source_headline": "Clash near Testville",
    "source_original": "",
    # Empty (the named location, as 1 is; no civilian deaths, as 0 is): given, they
    # are kept in the notes (see test_the_ged_columns_the_record_has_no_field_for_...),
    # which the exact notes of the other rules' tests would then include.
    "where_prec": "",
    "where_coordinates": "Testville",
    "where_description": "",
    "adm_1": "North province",
    "adm_2": "Lake district",
    "latitude": "10.5",
    "longitude": "20.25",
    "country": "Synthetica",
    "date_prec": "1",
    "date_start": "2023-03-01",
    "date_end": "2023-03-01",
    "deaths_civilians": "",
    "best": "6",
    "high": "9",
    "low": "5",
}
# ROW's date_prec, kept in the notes (the first kept column `ROW` gives).
PREC = "date_prec=1"


def _csv(*rows: dict[str, str], columns: tuple[str, ...] = COLUMNS) -> str:
    """A GED file of `ROW` with each row's changes (``geom_wkt`` empty unless a row
    gives it, when ``columns`` has it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for n, changes in enumerate(rows, start=1):
        cells = {**ROW, "geom_wkt": "", "id": str(900000 + n), **changes}
        writer.writerow([cells[column] for column in columns])
    return out.getvalue()


def _read(*rows: dict[str, str]) -> ImportBatch:
    return read_ucdp(io.StringIO(_csv(*rows)))


def _event(**changes: str) -> Attack:
    batch = _read(changes)
    assert batch.refused == (), batch.refused
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    return attack


def _refused(**changes: str) -> tuple[str, str]:
    (refused,) = _read(changes).refused
    return refused.field, refused.reason


def _day(text: str) -> TimeExtent:
    return TimeExtent.parse(text)


# ------------------------------------------------------------------------- figures


@pytest.mark.parametrize(
    ("low", "best", "high"), [("5", "6", "9"), ("6", "6", "6"), ("0", "0", "0"), ("5", "5", "9")]
)
def test_figures_in_order_are_low_best_high(low: str, best: str, high: str) -> None:
    attack = _event(low=low, best=best, high=high)
    assert attack.fatalities == Figure(low=int(low), best=int(best), high=int(high))
    assert published_figures(attack.fatalities) is None
    assert "inconsistent" not in attack.notes


@pytest.mark.parametrize(("low", "best", "high"), [("7", "6", "9"), ("5", "6", "5")])
def test_an_inconsistent_figure_keeps_best_and_the_published_three(
    low: str, best: str, high: str
) -> None:
    batch = _read({"low": low, "best": best, "high": high})
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    figure = attack.fatalities
    assert figure is not None
    assert figure.best == int(best)
    assert figure.low is None
    assert figure.high is None
    assert published_figures(figure) == (int(low), int(best), int(high))
    assert figure.as_reported == (
        f"low {low}, best {best}, high {high} (UCDP GED, inconsistent as published)"
    )
    assert "inconsistent" in attack.notes
    assert batch.flags == {"figure inconsistent": 1}


def test_published_figures_reads_only_the_marked_wording() -> None:
    assert published_figures(Figure(best=3)) is None
    assert published_figures(Figure(best=3, as_reported="low 1, best 3, high 2")) is None
    marked = "low 12, best 3, high 40 (UCDP GED, inconsistent as published)"
    assert published_figures(Figure(best=3, as_reported=marked)) == (12, 3, 40)


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("best", "-1", "negative"),
        ("low", "x", "not a whole number"),
        ("high", "2.5", "not a whole number"),
        ("best", str(2**63), "too large"),
    ],
)
def test_a_bad_count_is_refused_naming_its_column(column: str, value: str, reason: str) -> None:
    field, why = _refused(**{column: value})
    assert field == column
    assert reason in why
    assert repr(value) in why


def test_a_count_written_as_a_float_or_just_below_2_to_the_63_is_read() -> None:
    assert _event(low="3.0", best="4.0", high="4").fatalities == Figure(low=3, best=4, high=4)
    top = str(2**63 - 1)
    assert _event(low="0", best=top, high=top).fatalities == Figure(
        low=0, best=2**63 - 1, high=2**63 - 1
    )


# --------------------------------------------------------------------------- dates

PRECISION = {
    "1": Precision.DAY,
    "2": Precision.WEEK,
    "3": Precision.WEEK,
    "4": Precision.MONTH,
    "5": Precision.YEAR,
}


@pytest.mark.parametrize("prec", sorted(PRECISION))
def test_date_start_to_date_end_with_date_prec_as_precision(prec: str) -> None:
    attack = _event(date_prec=prec, date_start="2023-03-01", date_end="2023-03-07")
    assert attack.occurred.precision == PRECISION[prec]
    assert attack.occurred.earliest == _day("2023-03-01").earliest
    assert attack.occurred.latest == _day("2023-03-07").latest


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_end": "2023-13-45"}, "date_end"),
        ({"date_end": "March"}, "date_end"),
    ],
)
def test_bad_dates_are_refused_naming_their_column(changes: dict[str, str], field: str) -> None:
    assert _refused(**changes)[0] == field


def test_a_file_proving_both_day_orders_refuses_its_ambiguous_dates() -> None:
    """As for ACLED (one date reader, `DayOrder`): ``13/03/2023`` is day first and
    ``03/14/2023`` month first, so ``03/04/2023`` is refused as ambiguous, naming
    the first line proving each order, whichever row came first."""
    batch = _read(
        {"date_start": "03/04/2023", "date_end": "03/04/2023"},
        {"date_start": "13/03/2023", "date_end": "13/03/2023"},
        {"date_start": "03/14/2023", "date_end": "03/14/2023"},
    )
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (2, "date_start")
    assert refused.reason == (
        "'03/04/2023' is ambiguous: day and month could be swapped, and the file's rows "
        "use both orders (day first at line 3: '13/03/2023'; month first at line 4: "
        "'03/14/2023')"
    )
    occurred = {r.id: r.occurred for r in batch.events()}
    assert occurred == {"ucdp:900002": _day("2023-03-13"), "ucdp:900003": _day("2023-03-14")}


@pytest.mark.parametrize(
    ("date_start", "date_end", "year", "first", "last"),
    [
        ("11-Apr-98", "12-Apr-98", "1998", "1998-04-11", "1998-04-12"),  # Excel d-mmm-yy
        ("29-Oct-04", "30-Oct-04", "2004.0", "2004-10-29", "2004-10-30"),  # pandas' float
        ("31-12-19", "31-12-19", "2019", "2019-12-31", "2019-12-31"),  # numeric, d-m-yy
        ("11-Apr-98", "1998-04-12", "1998", "1998-04-11", "1998-04-12"),
    ],
)
def test_a_two_digit_year_is_settled_by_the_rows_year(
    date_start: str, date_end: str, year: str, first: str, last: str
) -> None:
    """import.md: a two-digit year (a file Excel re-saved) is the row's ``year``."""
    attack = _event(date_start=date_start, date_end=date_end, year=year, source_date="")
    assert attack.occurred.earliest == _day(first).earliest
    assert attack.occurred.latest == _day(last).latest


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        (
            {"date_start": "11-Apr-98", "date_end": "1998-04-12", "year": "1999"},
            "date_start",
            "'11-Apr-98' has the year 98 but the row's year is 1999",
        ),
        (
            {"date_start": "1998-04-11", "date_end": "12-Apr-99", "year": "1998"},
            "date_end",
            "'12-Apr-99' has the year 99 but the row's year is 1998",
        ),
        (
            {"date_start": "11-Apr-98", "date_end": "12-Apr-98", "year": ""},
            "date_start",
            (
                "'11-Apr-98' has a two-digit year and the row's year is empty: nothing "
                "settles its century"
            ),
        ),
        (
            {"date_start": "1998-04-11", "date_end": "12-Apr-98", "year": "NA"},
            "date_end",
            (
                "'12-Apr-98' has a two-digit year and the row's year is empty: nothing "
                "settles its century"
            ),
        ),
        (
            {"date_start": "11-Apr-98", "date_end": "12-Apr-98", "year": "ninety-eight"},
            "date_start",
            (
                "'11-Apr-98' has a two-digit year and the row's year 'ninety-eight' is not "
                "a year to settle it"
            ),
        ),
    ],
)
def test_a_two_digit_year_the_rows_year_does_not_settle_is_refused(
    changes: dict[str, str], field: str, reason: str
) -> None:
    """import.md: a two-digit year is the row's ``year``; the refusal of one the
    row's ``year`` does not settle says why: the year disagrees, the cell is empty
    (``NA`` too) or holds no year (the file has the column: it is not told it has
    none)."""
    assert _refused(**changes) == (field, reason)


def test_a_two_digit_year_in_a_file_without_a_year_column_says_the_column_is_missing() -> None:
    """Only a file without the ``year`` column is told it has none."""
    columns = tuple(c for c in COLUMNS if c != "year")
    text = _csv({"date_start": "11-Apr-98", "date_end": "12-Apr-98"}, columns=columns)
    (refused,) = read_ucdp(io.StringIO(text)).refused
    assert (refused.field, refused.reason) == (
        "date_start",
        "'11-Apr-98' has a two-digit year and the row has no year column to settle it",
    )


@pytest.mark.parametrize(
    ("source_date", "year", "published"),
    [
        ("4-Mar-23", "2023", "2023-03-04"),
        ("2-Jan-24", "2023", "2024-01-02"),  # a report of the next year
        ("2-Jan-98", "2001", "1998-01-02"),  # the nearest year ending in 98, before
        ("1-Jan-73", "2023", "1973-01-01"),  # 50 years either way: the earlier
    ],
)
def test_a_source_dates_two_digit_year_is_the_nearest_to_the_rows_year(
    source_date: str, year: str, published: str
) -> None:
    """import.md: a source may come out in another year than the event, so its
    two-digit year is the year ending in those digits nearest the row's ``year``."""
    attack = _event(
        source_date=source_date,
        year=year,
        date_start=f"{year}-01-01",
        date_end=f"{year}-01-01",
    )
    assert attack.sources[0].published == _day(published)


def test_titles_from_source_article_match_a_source_date_with_a_two_digit_year() -> None:
    attack = _event(
        source_office="A;B",
        source_date="4-Mar-23;5-Mar-23",
        source_headline="One; with a semicolon;Two",
        source_article='"A,2023-03-04,One; with a semicolon";"B,2023-03-05,Two"',
    )
    assert [s.title for s in attack.sources[:2]] == ["One; with a semicolon", "Two"]
    assert [s.published for s in attack.sources[:2]] == [_day("2023-03-04"), _day("2023-03-05")]


def test_reported_is_the_earliest_source_date() -> None:
    attack = _event(
        source_office="A;B;C",
        source_date="2023-03-09;2023-03-03;2023-03-05",
        source_headline="a;b;c",
    )
    assert attack.reported == _day("2023-03-03")
    assert [s.published for s in attack.sources[:3]] == [
        _day("2023-03-09"),
        _day("2023-03-03"),
        _day("2023-03-05"),
    ]


def test_a_source_date_with_a_time_of_day_is_read_as_its_day() -> None:
    attack = _event(source_date="2023-03-04 00:00:00.000")
    assert attack.sources[0].published == _day("2023-03-04")
    assert attack.reported == _day("2023-03-04")


def test_without_a_source_date_reported_is_the_extents_last_day() -> None:
    attack = _event(
        date_start="2023-03-01", date_end="2023-03-07", date_prec="2", source_date="unknown"
    )
    assert attack.reported == _day("2023-03-07")
    assert attack.sources[0].published is None


def test_a_source_dated_before_the_event_is_flagged_and_reported_is_its_first_day() -> None:
    batch = _read({"date_start": "2023-03-05", "date_end": "2023-03-08", "date_prec": "2"})
    (attack,) = batch.events()
    assert attack.reported == _day("2023-03-05")
    assert "2023-03-04 is before the event" in attack.notes
    assert batch.flags == {"source date before the event": 1}


def test_a_source_dated_on_the_events_first_day_is_believed() -> None:
    attack = _event(source_date="2023-03-01")
    assert attack.reported == _day("2023-03-01")
    assert "before the event" not in attack.notes


# ---------------------------------------------------------------- sides and actors


def test_sides_are_actors_by_their_ucdp_actor_id() -> None:
    batch = _read({})
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.perpetrator == "actor:ucdp-11"
    assert attack.target_actor == "actor:ucdp-22"
    actors = {r.id: r for r in batch.records if isinstance(r, ActorDefined)}
    assert actors["actor:ucdp-11"].name == "Government of Synthetica"
    assert actors["actor:ucdp-11"].actor_kind == ActorKind.GOVERNMENT
    assert actors["actor:ucdp-22"].name == "SLF"
    assert actors["actor:ucdp-22"].actor_kind == ActorKind.ARMED_FORCE


@pytest.mark.parametrize(
    ("ucdp_id", "name", "expected"),
    [
        ("109", "GIA", "actor:ucdp-109"),
        (" 109.0 ", "GIA", "actor:ucdp-109"),
        ("007", "GIA", "actor:ucdp-7"),
        ("1", "GIA", "actor:ucdp-1"),
        ("-1", "Some Group", "actor:some-group"),
        ("", "Some Group", "actor:some-group"),
        ("0", "Some Group", "actor:some-group"),
        ("abc", "Some Group", "actor:some-group"),
    ],
)
def test_ucdp_actor_id_or_a_slug_of_the_name(ucdp_id: str, name: str, expected: str) -> None:
    assert ucdp_actor_id(ucdp_id, name) == expected


def test_a_side_named_government_of_is_a_government_only_at_the_start() -> None:
    batch = _read({"side_a": "Rebels of the Government of X", "side_a_new_id": "33"})
    actors = {r.id: r for r in batch.records if isinstance(r, ActorDefined)}
    assert actors["actor:ucdp-33"].actor_kind == ActorKind.ARMED_FORCE


# -------------------------------------------------------------- type of violence


@pytest.mark.parametrize("tov", ["1", "2"])
def test_a_clash_targets_side_b_military_or_mixed_with_civilian_deaths(tov: str) -> None:
    clash = _event(type_of_violence=tov, deaths_civilians="0")
    assert clash.target_class == TargetClass.MILITARY
    assert clash.target_actor == "actor:ucdp-22"
    assert clash.target == "SLF"
    assert clash.codes is not None
    assert clash.codes.ucdp_type_of_violence == tov
    assert _event(type_of_violence=tov, deaths_civilians="1").target_class == TargetClass.MIXED
    assert _event(type_of_violence=tov, deaths_civilians="").target_class == (TargetClass.MILITARY)


def test_one_sided_violence_targets_civilians_who_are_not_an_actor() -> None:
    batch = _read({"type_of_violence": "3", "side_b": "Civilians", "side_b_new_id": "1"})
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.target_class == TargetClass.CIVILIAN
    assert attack.target == "Civilians"
    assert attack.target_actor is None
    assert attack.perpetrator == "actor:ucdp-11"
    assert attack.codes is not None
    assert attack.codes.ucdp_type_of_violence == "3"
    assert {r.id for r in batch.records if isinstance(r, ActorDefined)} == {"actor:ucdp-11"}


def test_a_clash_with_no_side_b_has_no_target_actor() -> None:
    attack = _event(side_b="", side_b_new_id="")
    assert attack.target_actor is None
    assert attack.target_class == TargetClass.MILITARY


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"side_a": " "}, "side_a"),
        ({"id": " "}, "id"),
        ({"country": ""}, "country"),
        ({"latitude": "north"}, "latitude"),
        ({"longitude": "east"}, "longitude"),
        ({"latitude": "91"}, "latitude"),
        ({"longitude": "181"}, "longitude"),
    ],
)
def test_a_bad_cell_is_refused_naming_its_column(changes: dict[str, str], field: str) -> None:
    assert _refused(**changes)[0] == field


@pytest.mark.parametrize(("column", "value"), [("latitude", "north"), ("longitude", "east")])
def test_a_coordinate_that_is_not_a_number_is_refused_quoting_it(column: str, value: str) -> None:
    field, why = _refused(**{column: value})
    assert field == column
    assert repr(value) in why


def test_every_attack_is_ucdp_id_and_names_ucdp_ged_as_a_source() -> None:
    attack = _event(id="123456", relid="SYN-9")
    assert attack.id == "ucdp:123456"
    own = attack.sources[-1]
    assert own.publisher == UCDP_PUBLISHER == "UCDP Georeferenced Event Dataset"
    assert "123456" in own.title
    assert own.url is not None


# --------------------------------------------------------------------------- places

COUNTRY = "place:synthetica"
ADM1 = f"{COUNTRY}/north-province"
ADM2 = f"{ADM1}/lake-district"
LOCATION = f"{ADM2}/testville"


def _places(batch: ImportBatch) -> dict[str, PlaceDefined]:
    return {r.id: r for r in batch.records if isinstance(r, PlaceDefined)}


@pytest.mark.parametrize(
    ("where_prec", "expected"),
    [("6", COUNTRY), ("4", ADM1), ("3", ADM2), ("1", LOCATION), ("2", LOCATION), ("", LOCATION)],
)
def test_where_prec_decides_what_the_attack_points_at(where_prec: str, expected: str) -> None:
    batch = _read({"where_prec": where_prec})
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.place == expected
    assert max(_places(batch), key=len) == expected


def test_the_place_chain_is_de_jure_with_the_point_on_the_location_only() -> None:
    places = _places(_read({}))
    assert set(places) == {COUNTRY, ADM1, ADM2, LOCATION}
    assert places[COUNTRY].parent is None
    assert places[COUNTRY].name == "Synthetica"
    assert places[ADM1].parent == COUNTRY
    assert places[ADM1].name == "North province"
    assert places[ADM2].parent == ADM1
    assert places[ADM2].name == "Lake district"
    assert places[LOCATION].parent == ADM2
    assert places[LOCATION].name == "Testville"
    coords = places[LOCATION].coordinates
    assert coords is not None
    assert (coords.lat, coords.lon) == (10.5, 20.25)
    for pid in (COUNTRY, ADM1, ADM2):
        assert places[pid].coordinates is None


def test_empty_levels_are_skipped() -> None:
    batch = _read({"adm_1": "", "where_prec": "1"})
    places = _places(batch)
    assert set(places) == {
        COUNTRY,
        f"{COUNTRY}/lake-district",
        f"{COUNTRY}/lake-district/testville",
    }
    assert places[f"{COUNTRY}/lake-district"].parent == COUNTRY
    batch = _read({"adm_2": "", "where_coordinates": "", "where_prec": "1"})
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.place == ADM1
    assert set(_places(batch)) == {COUNTRY, ADM1}


@pytest.mark.parametrize(
    ("latitude", "longitude", "shown"),
    [
        ("", "20", "latitude empty, longitude 20"),
        ("10", "", "latitude 10, longitude empty"),
        ("10,5", "", "latitude 10,5, longitude empty"),  # as written: a decimal comma
        ("10.5", "NA", "latitude 10.5, longitude NA"),  # R's missing value, as written
        (" ", "-20.25", "latitude empty, longitude -20.25"),
    ],
)
def test_a_location_with_one_coordinate_is_kept_without_a_point_and_flagged(
    latitude: str, longitude: str, shown: str
) -> None:
    """import.md: a row with one coordinate but not the other is imported; the place
    gets no point (a pair is needed) and the notes keep both cells as written."""
    batch = _read({"latitude": latitude, "longitude": longitude})
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.place == LOCATION
    assert _places(batch)[LOCATION].coordinates is None
    assert (
        attack.notes == f"{PREC}; coordinates incomplete as published ({shown}); no point stored"
    )
    assert batch.flags == {"coordinates incomplete": 1}


def test_one_coordinate_is_flagged_whatever_the_place_points_at() -> None:
    batch = _read({"where_prec": "4", "latitude": "10.5", "longitude": ""})
    (attack,) = batch.events()
    assert attack.place == ADM1
    assert "(latitude 10.5, longitude empty)" in attack.notes
    assert batch.flags == {"coordinates incomplete": 1}


def test_both_coordinates_or_neither_is_not_flagged() -> None:
    for latitude, longitude in (("10.5", "20.25"), ("", ""), ("NA", "NA")):
        batch = _read({"latitude": latitude, "longitude": longitude})
        (attack,) = batch.events()
        assert "coordinates" not in attack.notes
        assert batch.flags == {}


@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        ({"latitude": "north", "longitude": ""}, "latitude", "'north'"),
        ({"latitude": "", "longitude": "east"}, "longitude", "'east'"),
        ({"latitude": "91", "longitude": ""}, "latitude", "91"),
        ({"latitude": "", "longitude": "-181"}, "longitude", "-181"),
    ],
)
def test_a_lone_coordinate_that_is_no_coordinate_is_refused(
    changes: dict[str, str], field: str, said: str
) -> None:
    """As when both are given: a lone coordinate is checked, and not kept silently."""
    refused_field, why = _refused(**changes)
    assert refused_field == field
    assert said in why


def test_places_are_defined_once_across_rows() -> None:
    batch = _read({}, {})
    defined = [r.id for r in batch.records if isinstance(r, PlaceDefined)]
    assert sorted(defined) == sorted({COUNTRY, ADM1, ADM2, LOCATION})
    assert len(batch.events()) == 2


MOVED = "coordinates differ from the place's"


def test_a_location_given_other_coordinates_keeps_them_in_the_notes_and_is_flagged() -> None:
    """import.md: a row putting a defined location elsewhere leaves the place as first
    defined; the event's notes keep the row's coordinates as published, flagged."""
    batch = _read({}, {"latitude": "12.75", "longitude": "22.5"}, {"latitude": "10.50"})
    first, moved, same = batch.events()
    assert isinstance(moved, Attack)
    coords = _places(batch)[LOCATION].coordinates
    assert coords is not None
    assert (coords.lat, coords.lon) == (10.5, 20.25)
    assert moved.place == LOCATION
    assert moved.notes == (
        f"{PREC}; coordinates as published: 12.75, 22.5 "
        f"(the place {LOCATION} is defined at 10.5, 20.25)"
    )
    assert first.notes == same.notes == PREC  # 10.50 is the place's own point
    assert batch.flags == {MOVED: 1}


def test_a_location_defined_before_the_import_keeps_its_point_and_the_row_its_own() -> None:
    """A place already stored (another release, or ACLED's row of the same names)."""
    stored = PlaceDefined(
        id=LOCATION,
        name="Testville",
        place_kind="area",
        parent=ADM2,
        coordinates=Coordinates(lat=-33.9, lon=18.4),
    )
    bare = attrs.evolve(stored, coordinates=None)
    for place, where in ((stored, "at -33.9, 18.4"), (bare, "without coordinates")):
        # Each level stored under the name the rows give it (a level named otherwise
        # would be noted too: see test_ged_row_checks.py).
        known: dict[str, PlaceDefined] = {
            LOCATION: place,
            ADM2: attrs.evolve(place, name="Lake district"),
            ADM1: attrs.evolve(place, name="North province"),
            COUNTRY: attrs.evolve(place, name="Synthetica"),
        }
        batch = read_ucdp(io.StringIO(_csv({}, {})), existing=known.get)
        assert not _places(batch)
        expected = (
            f"{PREC}; coordinates as published: 10.5, 20.25 "
            f"(the place {LOCATION} is defined {where})"
        )
        assert [e.notes for e in batch.events()] == [expected, expected]
        assert batch.flags == {MOVED: 2}


def test_a_point_on_an_admin_level_is_not_compared_with_the_place() -> None:
    """where_prec 3, 4 and 6 point at an admin place, whose centroid is not stored."""
    batch = _read({}, {"where_prec": "4", "latitude": "1", "longitude": "2"})
    assert MOVED not in batch.flags
    assert "coordinates as published" not in batch.events()[1].notes


def test_a_release_moving_a_location_is_a_correction_and_imports_unchanged_again() -> None:
    timeline = Timeline()
    timeline.import_ucdp(io.StringIO(_csv({})))
    moved = _csv({"latitude": "10.9", "longitude": "20.75"})
    summary = timeline.import_ucdp(io.StringIO(moved))
    assert (summary.corrections, summary.flags) == (1, {MOVED: 1})
    again = timeline.import_ucdp(io.StringIO(moved))
    assert (again.corrections, again.skipped) == (0, 1)


# ------------------------------------------------------------- sources and notes


def test_one_source_per_office_with_its_headline_and_day() -> None:
    attack = _event(
        source_office="Synthetic Daily;Example Radio",
        source_date="2023-03-04;2023-03-02",
        source_headline="Clash near Testville;Fighting in north",
    )
    assert [(s.publisher, s.title, s.published) for s in attack.sources] == [
        ("Synthetic Daily", "Clash near Testville", _day("2023-03-04")),
        ("Example Radio", "Fighting in north", _day("2023-03-02")),
        (UCDP_PUBLISHER, attack.sources[-1].title, None),
    ]


def test_a_headline_with_a_semicolon_takes_the_titles_from_source_article() -> None:
    attack = _event(
        source_office="A;B",
        source_date="2023-03-04;2023-03-05",
        source_headline="One; with a semicolon;Two",
        source_article='"A,2023-03-04,One; with a semicolon";"B,2023-03-05,Two"',
    )
    assert [s.title for s in attack.sources[:2]] == ["One; with a semicolon", "Two"]
    assert "source headlines" not in attack.notes


def test_headlines_that_do_not_line_up_are_kept_in_the_notes() -> None:
    attack = _event(
        source_office="A;B",
        source_date="2023-03-04;2023-03-05",
        source_headline="One;Two;Three",
        source_article="",
    )
    assert [s.title for s in attack.sources[:2]] == ["", ""]
    assert [s.publisher for s in attack.sources[:2]] == ["A", "B"]
    assert "One;Two;Three" in attack.notes


@pytest.mark.parametrize("article", ['"A,2023-03-04,One; two', 'A,2023-03-04,One; two"'])
def test_titles_are_taken_only_from_a_quoted_source_article(article: str) -> None:
    attack = _event(
        source_office="A",
        source_date="2023-03-04",
        source_headline="One; two",
        source_article=article,
    )
    assert attack.sources[0].title == ""
    assert "One; two" in attack.notes


def test_a_row_without_source_office_keeps_source_article_as_one_unknown_source() -> None:
    attack = _event(
        source_office="",
        source_date="",
        source_headline="",
        source_article="Reuters, 4/13/1998",
        date_start="1998-04-10",
        date_end="1998-04-10",
        year="1998",
    )
    assert [(s.publisher, s.title, s.published) for s in attack.sources[:-1]] == [
        ("unknown", "Reuters, 4/13/1998", _day("1998-04-13"))
    ]
    assert attack.reported == _day("1998-04-13")
    assert attack.notes == PREC  # nothing left over to note
    bare = _event(source_office="", source_date="", source_headline="", source_article="")
    assert [s.publisher for s in bare.sources] == [UCDP_PUBLISHER]
    assert bare.notes == PREC
    assert bare.reported == _day("2023-03-01")


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ("Reuters, 4/13/1998", "1998-04-13"),
        ("Reuters, 12/1/1998", "1998-12-01"),
        ("AFP 2005-01-27 air raid", "2005-01-27"),
        ("Svenska Dagbladet 6 May 1992", "1992-05-06"),
        ("Svenska Dagbladet 6 May. 1992", "1992-05-06"),
        ("Times May 6, 1992", "1992-05-06"),
        ("Times May 6 1992", "1992-05-06"),
        ("AFP 2005-01-27, then Reuters 4/13/1998", "2005-01-27"),
        ("Reuters 4/13/1998, then AFP 2005-01-27", "1998-04-13"),
        ("Times 6 May 1992, then May 7, 1992", "1992-05-06"),
        ("Times May 7, 1992, then 6 May 1992", "1992-05-07"),
        ("Reuters 13/13/1998", ""),
        ("Reuters 13/13/1998, then 6 May 1992", "1992-05-06"),
        ("Reuters 31 Foo 1998", ""),
        ("Paper 12 Foo 1998, then May 6, 1992", "1992-05-06"),
        ("Reuters Foo 3, 1998", ""),
        ("no date here", ""),
    ],
)
def test_article_date_takes_the_first_date_written(article: str, expected: str) -> None:
    assert article_date(article) == expected


@pytest.mark.parametrize(
    ("article", "start", "expected"),
    [
        ("SATP, 2007-4-24", "2007-04-20", "2007-04-24"),  # ISO, unpadded
        ("Daily Times, Lahore, in English 05 Jul 07", "2007-07-04", "2007-07-05"),
        ("Xinhua 8 jun 07", "2007-06-07", "2007-06-08"),
        ("Radio Kabul 1530 gmt 4 Jun 11", "2011-06-03", "2011-06-04"),
        ("Le Monde 13.04.1998", "1998-04-11", "1998-04-13"),  # dotted: day first
        ("AFP 13-Apr-98", "1998-04-11", "1998-04-13"),
        ("AFP 13/04/98", "1998-04-11", "1998-04-13"),
        ("AFP 4/13/98", "1998-04-11", "1998-04-13"),
        ("BBC Monitoring Central Asia, 24-04-02, Chechen rebels", "2002-04-24", "2002-04-24"),
        ("AFP 20111002", "2011-10-02", "2011-10-02"),
        # No year written: the first such day on or after the event's first day.
        ("Noche y Niebla 22/2", "2005-02-22", "2005-02-22"),
        ("Radio Freedom 20/8", "2004-10-09", "2005-08-20"),
        ("Al-Sharqiyah TV on 7 March", "2005-03-07", "2005-03-07"),
        ("June 18 (Reuters)", "1999-04-27", "1999-06-18"),
        # Several articles: the first date of each, the earliest taken.
        ("Reuters, 4/14/1998 a; AFP, 4/13/1998 b", "1998-04-11", "1998-04-13"),
        ("AFP 14 July 2010 clashes kill 8; mosques burnt", "2010-07-13", "2010-07-14"),
        # A time after a day and month is not a two-digit year.
        ("on 4 Jun 11:30 gmt", "2011-06-01", "2011-06-04"),
        ("HRW June 2008: report", "2007-08-01", ""),  # a month is not a day
    ],
)
def test_article_date_reads_every_form_ucdp_wrote(article: str, start: str, expected: str) -> None:
    """import.md: the date forms found in GED's source_article, two-digit and
    missing years settled by the event."""
    assert article_date(article, event_start=_dt.date.fromisoformat(start)) == expected


@pytest.mark.parametrize("article", ["Noche y Niebla 22/2", "AFP 13/04/98", "on 7 March"])
def test_article_date_needs_the_event_for_a_year_not_written_in_full(article: str) -> None:
    assert article_date(article) == ""


def test_a_source_article_without_a_date_is_flagged() -> None:
    """import.md: a row dated only by source_article, which gives no date, is flagged
    (its knowledge time is the event's last day)."""
    batch = _read({**NO_OFFICE, "source_article": "NigeriaWatch"})
    (attack,) = batch.events()
    assert attack.sources[0].published is None
    assert attack.notes == f"{PREC}; no date read in source_article"
    assert batch.flags == {"source date not read": 1}


def test_a_source_article_date_before_1946_is_flagged_and_kept_in_the_notes() -> None:
    """import.md: a date written in source_article that is no day from 1946 on (a
    slip: "1898" for "1998") leaves the source undated, as such a ``source_date``
    does, and says so, flagged (it used to leave the source undated without a word)."""
    batch = _read({**NO_OFFICE, "source_article": "Reuters, 3/13/1898 Clash"})
    (attack,) = batch.events()
    assert [(s.title, s.published) for s in attack.sources[:-1]] == [
        ("Reuters, 3/13/1898 Clash", None)
    ]
    assert attack.reported == _day("2023-03-01")  # the event's last day
    said = "source dates not read as days from 1946 on: 1898-03-13 (source 1)"
    assert attack.notes == f"{PREC}; {said}"
    assert batch.flags == {"source date not read": 1}


def test_a_source_article_date_without_a_year_is_flagged() -> None:
    batch = _read(
        {
            **NO_OFFICE,
            "source_article": "Radio Nepal 21/9",
            "date_start": "2004-09-20",
            "date_end": "2004-09-20",
            "year": "2004",
        }
    )
    (attack,) = batch.events()
    assert attack.reported == _day("2004-09-21")
    assert attack.notes == (
        f"{PREC}; source date '21/9' in source_article has no year; 2004-09-21 taken, the first "
        "such day on or after the event's first day"
    )
    assert batch.flags == {"source date without a year": 1}


NO_OFFICE = {"source_office": "", "source_date": "", "source_headline": ""}


@pytest.mark.parametrize(
    ("article", "start", "end", "month_first", "day_first", "taken"),
    [
        # Both readings on or after the event: the nearer one (real row ucdp:10611).
        ("BBC 07/04/2000", "2000-04-02", "2000-04-02", "2000-07-04", "2000-04-07", "2000-04-07"),
        (
            "Reuters, 4/6/1994 Algeria",
            "1994-04-04",
            "1994-04-06",
            "1994-04-06",
            "1994-06-04",
            "1994-04-06",
        ),
        # Only one reading on or after the event's first day: that one.
        ("AFP 05/06/2001", "2001-05-20", "2001-05-20", "2001-05-06", "2001-06-05", "2001-06-05"),
        ("AFP 06/05/2001", "2001-05-20", "2001-05-20", "2001-06-05", "2001-05-06", "2001-06-05"),
        ("AFP 04/02/2000", "2000-04-02", "2000-04-02", "2000-04-02", "2000-02-04", "2000-04-02"),
        ("AFP 02/04/2000", "2000-04-02", "2000-04-05", "2000-02-04", "2000-04-02", "2000-04-02"),
        ("AFP 1/12/2000", "2000-06-01", "2000-06-01", "2000-01-12", "2000-12-01", "2000-12-01"),
    ],
)
def test_a_source_article_date_that_reads_both_ways_is_settled_by_the_event(  # noqa: PLR0917
    article: str, start: str, end: str, month_first: str, day_first: str, taken: str
) -> None:
    """import.md: a date in ``source_article`` whose day and month could be swapped is
    read so that the report comes on or after the event's first day, nearest to it;
    the row is flagged with both readings."""
    batch = _read(
        {
            **NO_OFFICE,
            "source_article": article,
            "date_start": start,
            "date_end": end,
            "date_prec": "1" if start == end else "2",
            "year": start[:4],
        }
    )
    (attack,) = batch.events()
    assert attack.sources[0].published == _day(taken)
    assert attack.reported == _day(taken)
    written = next(word for word in article.split() if "/" in word)
    assert attack.notes == (
        f"date_prec={'1' if start == end else '2'}; "
        f"source date {written!r} in source_article is ambiguous (month first "
        f"{month_first}, day first {day_first}); {taken} taken, the nearest reading on "
        "or after the event's first day"
    )
    assert batch.flags == {"source date ambiguous": 1}


def test_an_ambiguous_source_article_date_both_before_the_event_is_read_month_first() -> None:
    batch = _read(
        {
            **NO_OFFICE,
            "source_article": "AFP 02/03/2001",
            "date_start": "2001-05-01",
            "date_end": "2001-05-01",
            "year": "2001",
        }
    )
    (attack,) = batch.events()
    assert attack.sources[0].published == _day("2001-02-03")
    assert attack.reported == _day("2001-05-01")  # a source before the event, as ever
    assert attack.notes == (
        f"{PREC}; source date '02/03/2001' in source_article is ambiguous (month first "
        "2001-02-03, day first 2001-03-02); 2001-02-03 taken, month first, as neither "
        "reading is on or after the event's first day; source date 2001-02-03 is before "
        "the event; reported taken from the event's first day"
    )
    assert batch.flags == {"source date ambiguous": 1, "source date before the event": 1}


@pytest.mark.parametrize(
    ("article", "taken"),
    [
        ("Reuters, 4/13/1998", "1998-04-13"),  # only month first is a date
        ("Reuters 30/05/1998", "1998-05-30"),  # only day first is a date
        ("AFP 5/5/1998", "1998-05-05"),  # the same day either way
        ("AFP 1998-04-07", "1998-04-07"),
    ],
)
def test_a_source_article_date_that_reads_one_way_is_not_flagged(article: str, taken: str) -> None:
    batch = _read(
        {
            **NO_OFFICE,
            "source_article": article,
            "date_start": "1998-04-01",
            "date_end": "1998-04-01",
            "year": "1998",
        }
    )
    (attack,) = batch.events()
    assert attack.sources[0].published == _day(taken)
    assert attack.notes == PREC
    assert batch.flags == {}


def test_article_date_settles_a_date_that_reads_both_ways_by_the_events_start() -> None:
    assert article_date("BBC 07/04/2000") == "2000-07-04"  # month first, without an event
    assert article_date("BBC 07/04/2000", event_start=_dt.date(2000, 4, 2)) == "2000-04-07"
    assert article_date("BBC 07/04/2000", event_start=_dt.date(2000, 4, 8)) == "2000-07-04"
    assert article_date("BBC 07/04/2000", event_start=_dt.date(2000, 7, 5)) == "2000-07-04"
    assert article_date("Reuters 30/05/1998") == "1998-05-30"


def test_notes_keep_conflict_dyad_where_and_original_source() -> None:
    attack = _event(
        conflict_name="Synthetica: Government",
        dyad_name="Government of Synthetica - SLF",
        where_description="near the lake",
        source_original="local sources",
    )
    for text in ("Synthetica: Government", "Government of Synthetica - SLF", "near the lake"):
        assert text in attack.notes
    assert "local sources" in attack.notes
    assert _event().notes == PREC


# ------------------------------------------ found by the sixth mutation run


def test_each_row_has_its_own_dates() -> None:
    batch = _read(
        {"date_start": "2023-03-01", "date_end": "2023-03-01", "date_prec": "1"},
        {"date_start": "2023-04-01", "date_end": "2023-04-30", "date_prec": "4"},
    )
    first, second = batch.events()
    assert isinstance(first, Attack)
    assert isinstance(second, Attack)
    assert (first.occurred.earliest, first.occurred.latest) == (
        _day("2023-03-01").earliest,
        _day("2023-03-01").latest,
    )
    assert first.occurred.precision == Precision.DAY
    assert (second.occurred.earliest, second.occurred.latest) == (
        _day("2023-04").earliest,
        _day("2023-04").latest,
    )
    assert second.occurred.precision == Precision.MONTH


def test_from_ucdp_gives_whole_days_in_the_zone_asked_for() -> None:
    extent = from_ucdp("2023-03-01", "2023-03-02", "2", tz="Asia/Kabul")
    assert extent.earliest == TimeExtent.parse("2023-03-01", tz="Asia/Kabul").earliest
    assert extent.latest == TimeExtent.parse("2023-03-02", tz="Asia/Kabul").latest
    assert extent.precision == Precision.WEEK
    utc = from_ucdp("2023-03-01", "2023-03-02", "2")
    assert utc.earliest == TimeExtent.parse("2023-03-01").earliest


def test_a_side_id_that_is_no_whole_number_is_no_id_not_a_crash() -> None:
    """An id cell of digits that are not decimal (``¹``, which ``str.isdigit`` takes
    and ``int`` refuses) is no UCDP actor id: the side is named by a slug, and a
    death count so written is not compared (found by a fuzz of the readers' cells:
    both stopped the import with a ValueError)."""
    attack = _event(side_a="Some Armed Group", side_a_new_id="\u00b9", deaths_a="\u00b2")
    assert attack.perpetrator == "actor:some-armed-group"


def test_a_side_without_a_ucdp_actor_id_is_an_actor_named_by_a_slug() -> None:
    batch = _read(
        {
            "side_a": "Some Armed Group",
            "side_a_new_id": "-1",
            "side_b": "Other Band",
            "side_b_new_id": "",
        }
    )
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.perpetrator == "actor:some-armed-group"
    assert attack.target_actor == "actor:other-band"
    actors = {r.id: r.name for r in batch.records if isinstance(r, ActorDefined)}
    assert actors == {
        "actor:some-armed-group": "Some Armed Group",
        "actor:other-band": "Other Band",
    }


def test_one_sided_violence_targets_civilians_whatever_side_b_is_called() -> None:
    attack = _event(type_of_violence="3", side_b="Villagers of Testville", side_b_new_id="44")
    assert attack.target_class == TargetClass.CIVILIAN
    assert attack.target == "Villagers of Testville"
    assert attack.target_actor is None


@pytest.mark.parametrize("name", ["Civilians", "civilians", "CIVILIANS"])
def test_a_side_b_named_civilians_is_never_an_actor(name: str) -> None:
    batch = _read({"type_of_violence": "1", "side_b": name, "side_b_new_id": "1"})
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.target_class == TargetClass.CIVILIAN
    assert attack.target_actor is None
    assert {r.id for r in batch.records if isinstance(r, ActorDefined)} == {"actor:ucdp-11"}


def test_the_ged_source_is_titled_with_the_event_id_and_relid() -> None:
    assert _event(id="123456", relid="SYN-9").sources[-1].title == "GED event 123456 (SYN-9)"
    assert _event(id="123456", relid=" ").sources[-1].title == "GED event 123456"


@pytest.mark.parametrize(
    ("low", "best", "high", "broken"),
    [
        ("7", "6", "9", "low above best"),
        ("7", "6", "5", "low above best"),
        ("5", "6", "5", "high below best"),
        ("6", "6", "5", "high below best"),
    ],
)
def test_an_inconsistent_figures_flag_says_which_bound_is_broken(
    low: str, best: str, high: str, broken: str
) -> None:
    notes = _event(low=low, best=best, high=high).notes
    assert f"figure inconsistent as published ({broken})" in notes


def test_notes_label_each_cell_and_join_them_with_semicolons() -> None:
    cells = {
        "conflict_name": "Synthetica: Government",
        "dyad_name": "Government of Synthetica - SLF",
        "where_description": "near the lake",
        "source_original": "local sources",
    }
    labelled = (
        "conflict: Synthetica: Government; dyad: Government of Synthetica - SLF; "
        "where: near the lake; original source: local sources; date_prec=1"
    )
    assert _event(**cells).notes == labelled
    assert _event(**{**cells, "dyad_name": "", "where_description": " "}).notes == (
        "conflict: Synthetica: Government; original source: local sources; date_prec=1"
    )
    flagged = _event(**cells, low="7").notes
    assert flagged.startswith(labelled + "; figure inconsistent as published (")


@pytest.mark.parametrize(
    ("column", "reason"),
    [
        ("best", "'NA' is not a whole number"),
        ("low", "'NA' is not a whole number"),
        ("high", "'NA' is not a whole number"),
        ("id", "is 'NA' (a missing value); every GED row has an event id"),
        ("side_a", "is 'NA' (a missing value); every GED event names side A"),
        ("country", "is 'NA' (a missing value); every GED event names its country"),
    ],
)
def test_na_in_a_cell_every_row_needs_is_refused_quoting_na(column: str, reason: str) -> None:
    """``NA`` (R's missing value) reads as an empty cell, but a refusal quotes what the
    file holds, not an empty cell."""
    assert _refused(**{column: "NA"}) == (column, reason)


@pytest.mark.parametrize("column", ["date_start", "date_end"])
def test_na_as_a_date_is_refused_quoting_na(column: str) -> None:
    field, reason = _refused(**{column: "NA"})
    assert field == column
    assert reason.startswith("'NA' is not a date")


def test_a_refused_row_is_not_counted_in_the_flags() -> None:
    """The summary's flags count imported rows: a row refused after a flag was
    raised (its figure inconsistent, its side A empty) is not counted."""
    batch = _read({"low": "7", "side_a": ""}, {"high": "1", "country": ""})
    assert [r.field for r in batch.refused] == ["side_a", "country"]
    assert batch.flags == {}


@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        ({"date_end": "2023-13-45"}, "date_end", "'2023-13-45'"),
        ({"latitude": "91"}, "latitude", "91"),
        ({"longitude": "181"}, "longitude", "181"),
        ({"id": " "}, "id", "is empty"),
        ({"side_a": ""}, "side_a", "is empty"),
        ({"country": " "}, "country", "is empty"),
    ],
)
def test_a_refusal_quotes_the_cell_or_says_it_is_empty(
    changes: dict[str, str], field: str, said: str
) -> None:
    assert _refused(**changes)[0] == field
    assert said in _refused(**changes)[1]


# ------------------------------------------------ every published column is kept

GED_COLUMNS = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)
DEATHS = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
FULL = {
    **dict.fromkeys(GED_COLUMNS, ""),
    **{k: v for k, v in ROW.items() if k != "where_prec"},
    "active_year": "1",
    "code_status": "Clear",
    "conflict_dset_id": "301",
    "conflict_new_id": "302",
    "dyad_dset_id": "401",
    "dyad_new_id": "402",
    "side_a_dset_id": "501",
    "side_b_dset_id": "502",
    "number_of_sources": "2",
    "where_prec": "1",
    "geom_wkt": "POINT (20.25 10.5)",
    "priogrid_gid": "144321",
    "country_id": "999",
    "region": "Synthetic Region",
    "event_clarity": "1",
    "deaths_a": "2",
    "deaths_b": "3",
    "deaths_civilians": "0",
    "deaths_unknown": "1",
    "gwnoa": "998",
    "gwnob": "997",
}
# The rule (import.md): these columns, in this order, as ``column=value``.
KEPT_COLUMNS = (
    "active_year",
    "event_clarity",
    "number_of_sources",
    "conflict_dset_id",
    "conflict_new_id",
    "dyad_dset_id",
    "dyad_new_id",
    "side_a_dset_id",
    "side_b_dset_id",
    "date_prec",
    "where_prec",
    "priogrid_gid",
    "country_id",
    "region",
    "gwnoa",
    "gwnob",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
)


def _full_csv(*rows: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(GED_COLUMNS)
    for changes in rows:
        cells = {**FULL, **changes}
        writer.writerow([cells[column] for column in GED_COLUMNS])
    return out.getvalue()


def _full(**changes: str) -> tuple[Attack, ImportBatch]:
    batch = read_ucdp(io.StringIO(_full_csv(changes)))
    assert batch.refused == (), batch.refused
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    return attack, batch


def test_the_ged_columns_the_record_has_no_field_for_are_kept_in_the_notes() -> None:
    """import.md: every GED column the record has no field for is kept in the notes
    as ``column=value`` (in the order of the list), after the labelled cells; an
    empty one is left out."""
    attack, batch = _full()
    kept = "; ".join(f"{column}={FULL[column]}" for column in KEPT_COLUMNS if FULL[column])
    assert attack.notes == kept
    assert batch.flags == {}
    attack, _ = _full(gwnob="", conflict_name="Synthetica: Government")
    assert attack.notes == "conflict: Synthetica: Government; " + kept.replace("; gwnob=997", "")


@pytest.mark.parametrize("column", KEPT_COLUMNS)
def test_a_release_changing_a_kept_column_is_a_correction(column: str) -> None:
    """Two rows differing in one of the kept columns give different records, so a
    release changing it corrects the event; importing it again changes nothing."""
    value = "Other Region" if column == "region" else "7"
    if column == "where_prec":
        value = "2"  # still the named location
    if column == "date_prec":
        value = "3"  # 1 to 5
    if column == "deaths_unknown":
        value, other = "7", {"best": "12", "high": "12"}  # still adding up to best
    else:
        other = {}
    changed = {column: value, **other}
    attack, _ = _full(**changed)
    assert f"{column}={value}" in attack.notes.split("; ")
    timeline = Timeline()
    timeline.import_ucdp(io.StringIO(_full_csv({})))
    summary = timeline.import_ucdp(io.StringIO(_full_csv(changed)))
    assert summary.corrections == 1
    again = timeline.import_ucdp(io.StringIO(_full_csv(changed)))
    assert (again.corrections, again.skipped) == (0, 1)


def test_kept_whole_numbers_written_as_floats_read_as_the_numbers() -> None:
    """``1.0`` (pandas) is kept as ``1``, so a re-saved file imports unchanged."""
    floats = {column: f"{FULL[column]}.0" for column in KEPT_COLUMNS if column != "region"}
    assert _full(**floats)[0].notes == _full()[0].notes


@pytest.mark.parametrize("status", ["Check dyad", "Check type of violence", "Remove"])
def test_a_candidate_row_not_cleared_is_kept_and_counted(status: str) -> None:
    """import.md: a GED Candidate row whose ``code_status`` is other than "Clear"
    (UCDP has not vetted it yet) is imported, its status kept in the notes, and counted
    in the summary's flags as "code_status not Clear", so an import says how many of
    its events UCDP still checks."""
    attack, batch = _full(code_status=status)
    assert f"code_status: {status}" in attack.notes.split("; ")
    assert batch.flags == {"code_status not Clear": 1}
    for cleared in ("Clear", "clear", ""):
        attack, batch = _full(code_status=cleared)
        assert "code_status" not in attack.notes
        assert batch.flags == {}


def test_a_dummy_or_clarity_that_is_no_ged_code_is_kept_and_flagged() -> None:
    """import.md: GED's codebook has ``event_clarity`` 1 (high) or 2 (lower) and the
    dummy ``active_year`` 1 or 0. Any other value is kept as published
    (``column=value``), a note saying it is none of the codes, and the row is counted
    as "code not in GED's codebook" (once); the codes, also as floats, are not
    flagged, nor is ``number_of_sources`` -1 (the codebook's "not recorded")."""
    attack, batch = _full(event_clarity="3", active_year="2")
    notes = attack.notes.split("; ")
    assert "event_clarity=3" in notes
    assert "active_year=2" in notes
    assert notes[-2:] == [
        "active_year 2 is not one of GED's codes (0, 1)",
        "event_clarity 3 is not one of GED's codes (1, 2)",
    ]
    assert batch.flags == {"code not in GED's codebook": 1}
    for clarity, active in (("1", "0"), ("2.0", "1.0"), ("2", "true")):
        attack, batch = _full(event_clarity=clarity, active_year=active)
        assert "GED's codes" not in attack.notes
        assert batch.flags == {}
    # number_of_sources -1 is the codebook's "not recorded": kept, neither refused as
    # a negative count nor flagged.
    attack, batch = _full(number_of_sources="-1")
    assert "number_of_sources=-1" in attack.notes.split("; ")
    assert batch.flags == {}


@pytest.mark.parametrize(
    ("written_as", "code"),
    [("TRUE", "1"), ("true", "1"), ("True", "1"), ("FALSE", "0"), ("false", "0")],
)
def test_active_year_as_a_truth_value_is_kept_as_the_codebooks_dummy(
    written_as: str, code: str
) -> None:
    """GED's ``active_year`` is a dummy, 1 or 0, in its CSV; UCDP's API answers it as
    ``true``/``false`` and R writes it ``TRUE``/``FALSE``. The notes keep the
    codebook's 1 or 0 whatever the form, so the API answer and R's file of one
    release import as its CSV does, and re-import unchanged."""
    attack, _ = _full(active_year=written_as)
    assert f"active_year={code}" in attack.notes.split("; ")
    timeline = Timeline()
    timeline.import_ucdp(io.StringIO(_full_csv({"active_year": code})))
    again = timeline.import_ucdp(io.StringIO(_full_csv({"active_year": written_as})))
    assert (again.corrections, again.skipped) == (0, 1)


@pytest.mark.parametrize(
    ("deaths", "best", "total"),
    [
        (("50", "50", "0", "0"), "6", 100),
        (("0", "0", "0", "0"), "6", 0),
        (("2", "3", "1", "1"), "6", 7),
    ],
)
def test_deaths_that_do_not_add_up_to_best_are_flagged_and_kept(
    deaths: tuple[str, str, str, str], best: str, total: int
) -> None:
    """GED's codebook: best is the sum of deaths_a, deaths_b, deaths_civilians and
    deaths_unknown. A row where it is not is imported as published and flagged."""
    cells = dict(zip(DEATHS, deaths, strict=True))
    attack, batch = _full(**cells, best=best, low="0", high="200")
    assert attack.fatalities is not None
    assert attack.fatalities.best == int(best)
    parts = attack.notes.split("; ")
    for column, value in cells.items():
        assert f"{column}={value}" in parts
    assert parts[-1] == (
        "deaths inconsistent as published: deaths_a + deaths_b + deaths_civilians "
        f"+ deaths_unknown = {total}, best {best}"
    )
    assert batch.flags == {"deaths do not add up to best": 1}


@pytest.mark.parametrize(
    "changes",
    [
        {},  # 2 + 3 + 0 + 1 = 6
        {"deaths_unknown": ""},  # one missing: nothing to compare
        {"deaths_a": "2.0", "best": "6.0"},  # floats, as pandas writes them
        {"deaths_civilians": "NA"},  # R's missing value: missing, as empty
    ],
)
def test_deaths_adding_up_or_not_all_given_are_not_flagged(changes: dict[str, str]) -> None:
    attack, batch = _full(**changes)
    assert batch.flags == {}
    assert "deaths inconsistent" not in attack.notes


INTERNATIONAL = "international waters or airspace (where_prec 7): placed in no country"


@pytest.mark.parametrize(
    ("where", "pid", "name"),
    [
        ("Gulf of Testville", "place:international/gulf-of-testville", "Gulf of Testville"),
        (
            "",
            "place:international/international-waters-or-airspace-synthetica",
            "International waters or airspace (Synthetica)",
        ),
    ],
)
def test_where_prec_7_is_a_place_of_its_own_in_no_country(where: str, pid: str, name: str) -> None:
    """import.md: ``where_prec`` 7 is "international waters or airspace" in GED's
    codebook, so the event is not placed inside the row's country (nor its admin
    levels): its place has no parent, is named by ``where_coordinates`` (for want of
    one, "International waters or airspace (<country>)") and holds the row's point;
    the notes keep the country and the admin levels the row names."""
    attack, batch = _full(where_prec="7", where_coordinates=where)
    assert attack.place == pid
    places = [r for r in batch.records if isinstance(r, PlaceDefined)]
    assert places == [
        PlaceDefined(
            id=pid,
            name=name,
            place_kind=PlaceKind.AREA,
            parent=None,
            coordinates=Coordinates(lat=10.5, lon=20.25),
        )
    ]
    parts = attack.notes.split("; ")
    assert "where_prec=7" in parts
    assert parts[parts.index("deaths_unknown=1") + 1 :] == [
        INTERNATIONAL,
        "country=Synthetica",
        "adm_1=North province",
        "adm_2=Lake district",
    ]
    assert batch.flags == {}


def test_a_ceasefire_scoped_to_the_country_does_not_list_an_event_in_international_waters() -> (
    None
):
    """Scope checks walk up a place's parents: an event of ``where_prec`` 7 (in no
    country) is no candidate violation of a ceasefire scoped to the row's country,
    while one that applies everywhere lists it, as it lists the event in the country
    (``where_prec`` 1)."""
    timeline = Timeline()
    rows = _full_csv(
        {"id": "900001", "where_prec": "1"},
        {"id": "900002", "where_prec": "7", "where_coordinates": "Gulf of Testville"},
    )
    summary = timeline.import_ucdp(io.StringIO(rows))
    assert (summary.accepted, summary.refused) == (2, ())
    wire = (Source(publisher="Wire", published="2023-01-01"),)
    for cid, scope in (("scoped", Scope(include=("place:synthetica",))), ("everywhere", Scope())):
        timeline.append(
            Commitment(
                id=cid,
                occurred="2023-01-01",
                sources=wire,
                commitment_kind="ceasefire",
                parties=("actor:ucdp-11",),
                prohibits=("any_attack",),
                scope=scope,
            )
        )
    assert {v.id for v in timeline.state(ReportedViolations)} == {
        "candidate:ucdp:900001:scoped",
        "candidate:ucdp:900001:everywhere",
        "candidate:ucdp:900002:everywhere",
    }


NOT_A_COUNT = "deaths not a count"


@pytest.mark.parametrize("value", ["-1", "-99", "2.5", "n/a"])
@pytest.mark.parametrize("column", DEATHS)
def test_a_death_count_that_is_no_count_is_kept_flagged_and_not_summed(
    column: str, value: str
) -> None:
    """import.md: one rule for the four deaths by side, the importer's for values
    outside the codebook: a value that is no count (a whole number, 0 or more) is
    imported, kept as published (``column=value``), flagged naming the column and
    the value, and the notes say the four were not compared with ``best`` (the other
    three, 2 + 3 + 0 + 1 less the one replaced, would not add up to 6)."""
    attack, batch = _full(**{column: value})
    parts = attack.notes.split("; ")
    assert f"{column}={value}" in parts
    assert parts[-2:] == [
        f"{column} as published: {value} (not a count of deaths)",
        f"deaths not compared with best: {column} is not a count",
    ]
    assert batch.flags == {NOT_A_COUNT: 1}
    assert attack.fatalities == Figure(low=5, best=6, high=9)


def test_two_death_counts_that_are_no_counts_are_each_named_and_the_row_flagged_once() -> None:
    attack, batch = _full(deaths_b="-99", deaths_civilians="unknown")
    assert attack.notes.split("; ")[-3:] == [
        "deaths_b as published: -99 (not a count of deaths)",
        "deaths_civilians as published: unknown (not a count of deaths)",
        "deaths not compared with best: deaths_b, deaths_civilians are not counts",
    ]
    assert batch.flags == {NOT_A_COUNT: 1}


@pytest.mark.parametrize("tov", ["1", "2"])
def test_a_civilian_death_count_that_is_no_count_decides_nothing(tov: str) -> None:
    """A clash whose ``deaths_civilians`` is no count is imported (it used to be
    refused, the other three imported), its target class that of an empty one:
    military, no civilian deaths known."""
    non_state = {"side_a": "Other Front", "side_a_new_id": "33"} if tov == "2" else {}
    attack, batch = _full(type_of_violence=tov, deaths_civilians="-1", **non_state)
    assert attack.target_class == TargetClass.MILITARY
    assert batch.flags == {NOT_A_COUNT: 1}


@pytest.mark.parametrize(
    ("where_prec", "kept"),
    [
        ("1", []),
        ("2", []),
        ("3", ["where_coordinates=Testville"]),
        ("4", ["adm_2=Lake district", "where_coordinates=Testville"]),
        ("6", ["adm_1=North province", "adm_2=Lake district", "where_coordinates=Testville"]),
    ],
)
def test_place_cells_the_place_does_not_hold_are_kept_in_the_notes(
    where_prec: str, kept: list[str]
) -> None:
    """import.md: the names below the level where_prec points at, and the coordinates
    when they are not the place's point (an admin level's centroid), are kept."""
    attack, _ = _full(where_prec=where_prec)
    point = ["latitude=10.5", "longitude=20.25"] if kept else []
    expected = [*kept, *point]
    parts = attack.notes.split("; ")
    at = parts.index("deaths_unknown=1") + 1
    assert parts[at:] == expected
    attack, _ = _full(where_prec="1", where_coordinates="")  # no location named
    assert attack.notes.split("; ")[-2:] == ["latitude=10.5", "longitude=20.25"]


# ------------------------------------------- rows kept as published, and flagged

END_BEFORE_START = "end before the start"


def test_an_end_before_the_start_is_imported_over_both_days_and_flagged() -> None:
    """import.md: a ``date_end`` before ``date_start`` is imported, not refused: which
    of the two is the slip is unknown, so the event occurred over the span covering
    both; the notes quote both cells and the row is flagged "end before the start"."""
    batch = _read({"date_start": "2023-03-05", "date_end": "2023-03-04 00:00:00.000"})
    assert batch.refused == ()
    (attack,) = batch.events()
    assert attack.occurred.earliest == _day("2023-03-04").earliest
    assert attack.occurred.latest == _day("2023-03-05").latest
    assert attack.occurred.precision == Precision.DAY
    assert attack.notes == (
        f"{PREC}; end before the start as published: date_start 2023-03-05, "
        "date_end 2023-03-04 00:00:00.000; occurred is the span covering both"
    )
    assert batch.flags == {END_BEFORE_START: 1}


YEAR_DIFFERS = "year differs from the event's dates"
PREC_1_OVER_DAYS = "date_prec 1 over several days"


@pytest.mark.parametrize(
    ("changes", "notes"),
    [
        ({"year": "2022"}, "year as published: 2022 (date_start 2023-03-01 is in 2023)"),
        ({"year": "23"}, "year as published: 23 (date_start 2023-03-01 is in 2023)"),
        (
            {"year": "2021", "date_start": "2022-12-30", "date_end": "2023-01-02"},
            (
                "year as published: 2021 (the event's days 2022-12-30 to 2023-01-02 are in "
                "2022-2023)"
            ),
        ),
    ],
)
def test_a_year_that_disagrees_with_the_event_dates_is_kept_and_flagged(
    changes: dict[str, str], notes: str
) -> None:
    """GED's ``year`` is the year of the event. A row whose ``year`` none of its days
    ``date_start``..``date_end`` is in is imported with its dates as published; the
    notes keep the year as published and the row is flagged, as ACLED's are."""
    prec = "date_prec=2" if "date_start" in changes else PREC
    batch = _read({**changes, "date_prec": "2" if "date_start" in changes else "1"})
    (attack,) = batch.events()
    assert attack.notes == f"{prec}; {notes}"
    assert batch.flags == {YEAR_DIFFERS: 1}


@pytest.mark.parametrize(
    "changes",
    [
        {"year": "2023"},
        {"year": "2023.0"},  # pandas' float
        {"year": ""},
        {"year": "2022", "date_start": "2022-12-30", "date_end": "2023-01-02"},
        {"year": "2023", "date_start": "2022-12-30", "date_end": "2023-01-02"},
    ],
)
def test_a_year_that_is_one_of_the_event_days_years_is_not_flagged(
    changes: dict[str, str],
) -> None:
    # over two days at least: date_prec 2's range (2-6 days)
    batch = _read({"date_end": "2023-03-02", **changes, "date_prec": "2"})
    (attack,) = batch.events()
    assert attack.notes == "date_prec=2"
    assert batch.flags == {}


def test_a_row_with_a_disagreeing_year_imports_unchanged_again() -> None:
    timeline = Timeline()
    first = timeline.import_ucdp(io.StringIO(_csv({"year": "2022"})))
    assert first.flags == {YEAR_DIFFERS: 1}
    again = timeline.import_ucdp(io.StringIO(_csv({"year": "2022"})))
    assert (again.corrections, again.skipped, again.flags) == (0, 1, {YEAR_DIFFERS: 1})


def test_date_prec_is_kept_so_that_2_and_3_differ_and_a_recoding_is_a_correction() -> None:
    """``date_prec`` 2 (a span of 2-6 days) and 3 (only the week is known) are both a
    week's precision; the notes keep the code as published, so the two records differ
    and a release recoding an event from 2 to 3 corrects it."""
    week = {"date_start": "2023-03-01", "date_end": "2023-03-04"}
    two = _event(**week, date_prec="2")
    three = _event(**week, date_prec="3")
    assert two.occurred.precision == three.occurred.precision == Precision.WEEK
    assert (two.notes, three.notes) == ("date_prec=2", "date_prec=3")
    assert two != three
    timeline = Timeline()
    timeline.import_ucdp(io.StringIO(_csv({**week, "date_prec": "2"})))
    recoded = timeline.import_ucdp(io.StringIO(_csv({**week, "date_prec": "3"})))
    assert recoded.corrections == 1
    again = timeline.import_ucdp(io.StringIO(_csv({**week, "date_prec": "3.0"})))
    assert (again.corrections, again.skipped) == (0, 1)


def test_an_exact_day_precision_over_several_days_is_flagged() -> None:
    """``date_prec`` 1 means the exact day is known. A row with it over more than one
    day is inconsistent as published: imported over its days at a day's precision,
    the notes saying so, flagged. (No row of the real sample: every ``date_prec`` 1
    row has ``date_start`` == ``date_end``.)"""
    batch = _read({"date_end": "2023-03-02"})
    (attack,) = batch.events()
    assert attack.occurred.earliest == _day("2023-03-01").earliest
    assert attack.occurred.latest == _day("2023-03-02").latest
    assert attack.occurred.precision == Precision.DAY
    assert attack.notes == (
        f"{PREC}; date_prec 1 (the exact day) as published over 2 days: 2023-03-01 to 2023-03-02"
    )
    assert batch.flags == {PREC_1_OVER_DAYS: 1}


SPAN_OUTSIDE = "span outside date_prec's range"


@pytest.mark.parametrize(
    ("code", "end", "note"),
    [
        ("2", "2023-03-01", "date_prec 2 (2-6 days) as published over 1 day: 2023-03-01"),
        (
            "2",
            "2023-03-07",
            "date_prec 2 (2-6 days) as published over 7 days: 2023-03-01 to 2023-03-07",
        ),
        (
            "3",
            "2023-03-01",
            "date_prec 3 (the week: 2-7 days) as published over 1 day: 2023-03-01",
        ),
        (
            "3",
            "2023-03-08",
            "date_prec 3 (the week: 2-7 days) as published over 8 days: 2023-03-01 to 2023-03-08",
        ),
        (
            "4",
            "2023-03-07",
            (
                "date_prec 4 (8-30 days, or the month: 8-31 days) as published over 7 days: "
                "2023-03-01 to 2023-03-07"
            ),
        ),
        (
            "4",
            "2023-04-01",
            (
                "date_prec 4 (8-30 days, or the month: 8-31 days) as published over 32 days: "
                "2023-03-01 to 2023-04-01"
            ),
        ),
        (
            "5",
            "2023-03-30",
            "date_prec 5 (more than 30 days) as published over 30 days: 2023-03-01 to 2023-03-30",
        ),
    ],
)
def test_a_date_prec_whose_days_are_outside_its_range_is_kept_and_flagged(
    code: str, end: str, note: str
) -> None:
    """import.md: GED's codebook gives each ``date_prec`` a range of days
    (``date_start``..``date_end``, both counted): 1 the exact day; 2 within 2-6 days;
    3 only the week known (2-7); 4 within 8-30 days or only the month known (8-31: a
    calendar month); 5 more than 30 days or only the year known (31 or more). A row
    whose days are outside its code's range is imported over its days as published,
    at its code's precision, the notes saying so, flagged as 1 over several days is."""
    batch = _read({"date_prec": code, "date_end": end})
    (attack,) = batch.events()
    assert attack.occurred.earliest == _day("2023-03-01").earliest
    assert attack.occurred.latest == _day(end).latest
    assert attack.occurred.precision == PRECISION[code]
    assert attack.notes == f"date_prec={code}; {note}"
    assert batch.flags == {SPAN_OUTSIDE: 1}


@pytest.mark.parametrize(
    ("code", "end"),
    [
        ("1", "2023-03-01"),
        ("2", "2023-03-02"),
        ("2", "2023-03-06"),
        ("3", "2023-03-02"),
        ("3", "2023-03-07"),
        ("4", "2023-03-08"),
        ("4", "2023-03-31"),  # the month: 31 days
        ("5", "2023-03-31"),  # more than 30 days
        ("5", "2023-12-31"),  # the year
    ],
)
def test_a_date_prec_whose_days_are_in_its_range_is_not_flagged(code: str, end: str) -> None:
    batch = _read({"date_prec": code, "date_end": end})
    assert batch.events()[0].notes == f"date_prec={code}"
    assert batch.flags == {}


def test_an_end_on_or_after_the_start_is_not_flagged() -> None:
    batch = _read(
        {"date_start": "2023-03-01", "date_end": "2023-03-01"},
        {"date_end": "2023-03-02", "date_prec": "2"},
    )
    assert [e.notes for e in batch.events()] == [PREC, "date_prec=2"]
    assert batch.flags == {}


SPELLED = "name differs from the actor's"


def _actors(batch: ImportBatch) -> dict[str, ActorDefined]:
    return {r.id: r for r in batch.records if isinstance(r, ActorDefined)}


def test_a_side_spelled_otherwise_is_one_actor_and_the_row_keeps_its_spelling() -> None:
    """import.md: sides with one UCDP actor id are one actor, named as the first row
    spells it; a row spelling it otherwise keeps its spelling in the notes, flagged
    "name differs from the actor's", as ACLED's rows are."""
    batch = _read({}, {"side_a": "Government of Synthetica (SLP)"}, {})
    first, other, same = batch.events()
    assert isinstance(other, Attack)
    actor = _actors(batch)["actor:ucdp-11"]
    assert (actor.name, actor.aliases) == ("Government of Synthetica", ())
    assert other.perpetrator == "actor:ucdp-11"
    assert other.notes == (
        f"{PREC}; side_a as published: Government of Synthetica (SLP) "
        "(actor:ucdp-11 is named Government of Synthetica)"
    )
    assert first.notes == same.notes == PREC
    assert batch.flags == {SPELLED: 1}


def test_both_sides_spelled_otherwise_are_noted_and_the_row_flagged_once() -> None:
    batch = _read({}, {"side_a": "Govt of Synthetica", "side_b": "S.L.F."})
    other = batch.events()[1]
    assert isinstance(other, Attack)
    assert other.target_actor == "actor:ucdp-22"
    assert other.notes == (
        f"{PREC}; side_a as published: Govt of Synthetica (actor:ucdp-11 is named "
        "Government of Synthetica); side_b as published: S.L.F. (actor:ucdp-22 is named SLF)"
    )
    assert batch.flags == {SPELLED: 1}


def test_a_side_spelled_otherwise_than_the_stored_actor_keeps_its_spelling() -> None:
    """An actor stored before (another release, a ceasefire dataset) keeps its name."""
    stored = ActorDefined(id="actor:ucdp-11", name="Synthetica", actor_kind="government")
    batch = read_ucdp(
        io.StringIO(_csv({}, {"side_a": "Synthetica"})), existing={stored.id: stored}.get
    )
    assert "actor:ucdp-11" not in _actors(batch)
    first, same = batch.events()
    assert first.notes == (
        f"{PREC}; side_a as published: Government of Synthetica "
        "(actor:ucdp-11 is named Synthetica)"
    )
    assert same.notes == PREC
    assert batch.flags == {SPELLED: 1}


def test_a_release_renaming_a_side_is_a_correction_and_imports_unchanged_again() -> None:
    timeline = Timeline()
    timeline.import_ucdp(io.StringIO(_csv({})))
    renamed = _csv({"side_a": "Government of Synthetica (SLP)"})
    summary = timeline.import_ucdp(io.StringIO(renamed))
    assert (summary.corrections, summary.flags) == (1, {SPELLED: 1})
    actor = timeline.get("actor:ucdp-11").record
    assert isinstance(actor, ActorDefined)
    assert actor.name == "Government of Synthetica"
    again = timeline.import_ucdp(io.StringIO(renamed))
    assert (again.corrections, again.skipped) == (0, 1)
    # import.md: a row found unchanged is taken, so its flags are counted again
    assert again.flags == {SPELLED: 1}


def test_a_row_without_source_office_dates_its_source_by_source_date() -> None:
    """import.md: without ``source_office``, ``source_date`` dates the source (one
    per date, published by "unknown"), titled by ``source_article`` (kept whole) when
    the source has no headline."""
    attack = _event(
        source_office="",
        source_date="2023-03-04",
        source_headline="",
        source_article="Oxfam report, 3/9/2023",
    )
    assert [(s.publisher, s.title, s.published) for s in attack.sources[:-1]] == [
        ("unknown", "Oxfam report, 3/9/2023", _day("2023-03-04"))
    ]
    assert attack.reported == _day("2023-03-04")
    assert attack.notes == PREC


def test_a_row_without_source_office_keeps_its_headline_as_the_title() -> None:
    attack = _event(
        source_office="", source_date="2023-03-04", source_headline="Clash", source_article=""
    )
    assert [(s.publisher, s.title, s.published) for s in attack.sources[:-1]] == [
        ("unknown", "Clash", _day("2023-03-04"))
    ]
    assert attack.notes == PREC
    both = _event(
        source_office="", source_date="2023-03-04", source_headline="Clash", source_article="AFP"
    )
    assert [s.title for s in both.sources[:-1]] == ["Clash"]
    assert both.notes == f"{PREC}; source article: AFP"


def test_a_row_without_source_office_has_one_source_per_source_date() -> None:
    attack = _event(
        source_office="",
        source_date="2023-03-06;2023-03-04",
        source_headline="One;Two",
        source_article="",
    )
    assert [(s.publisher, s.title, s.published) for s in attack.sources[:-1]] == [
        ("unknown", "One", _day("2023-03-06")),
        ("unknown", "Two", _day("2023-03-04")),
    ]
    assert attack.reported == _day("2023-03-04")
    lone = _event(
        source_office="",
        source_date="2023-03-06;2023-03-04",
        source_headline="One",
        source_article="AFP",
    )
    assert [(s.title, s.published) for s in lone.sources[:-1]] == [
        ("", _day("2023-03-06")),
        ("", _day("2023-03-04")),
    ]
    assert lone.notes == f"{PREC}; source headlines: One; source article: AFP"


def test_a_row_without_source_office_or_date_dates_its_headline_by_the_article() -> None:
    attack = _event(
        source_office="",
        source_date="",
        source_headline="Clash",
        source_article="Reuters, 3/13/2023",
    )
    assert [(s.title, s.published) for s in attack.sources[:-1]] == [("Clash", _day("2023-03-13"))]
    assert attack.notes == f"{PREC}; source article: Reuters, 3/13/2023"


UNREAD = "source date not read"
BEYOND = "more source dates than offices"


@pytest.mark.parametrize(
    "date",
    ["2023-03", "2023-03-xx", "1900-01-01", "1945-12-31", "soon", "2023-03-04,2023-03-01"],
)
def test_a_source_date_not_read_as_a_day_is_kept_in_the_notes_and_flagged(date: str) -> None:
    """import.md: a ``source_date`` value not read as a day from 1946 on leaves its
    source undated; the notes keep it with its source's position, flagged."""
    batch = _read(
        {"source_office": "A;B", "source_date": f"{date};2023-03-05", "source_headline": "a;b"}
    )
    (attack,) = batch.events()
    assert [s.published for s in attack.sources[:2]] == [None, _day("2023-03-05")]
    assert attack.reported == _day("2023-03-05")
    assert attack.notes == f"{PREC}; source dates not read as days from 1946 on: {date} (source 1)"
    assert batch.flags == {UNREAD: 1}


def test_a_source_date_after_today_dates_no_source_and_is_flagged() -> None:
    """import.md: a source date after today (the ``today`` option, else the clock's)
    is no day a source was published on (a slip, "2302" for "2023"): taken as the
    report's day, it would make the event unknown until then. The source is left
    undated, the date kept in the notes with the source's position, flagged; the
    knowledge time comes from the other sources. Today itself is a day a source may
    have been published on."""
    row = {
        "source_office": "A;B",
        "source_date": "2023-03-09;2023-03-05",
        "source_headline": "a;b",
    }
    batch = read_ucdp(io.StringIO(_csv(row)), today="2023-03-08")
    (attack,) = batch.events()
    assert [s.published for s in attack.sources[:2]] == [None, _day("2023-03-05")]
    assert attack.reported == _day("2023-03-05")
    assert attack.notes == (
        f"{PREC}; source dates after today, no day a source was published on "
        "(undated): 2023-03-09 (source 1)"
    )
    assert batch.flags == {"source date after today": 1}
    (attack,) = read_ucdp(io.StringIO(_csv(row)), today=_dt.date(2023, 3, 9)).events()
    assert [s.published for s in attack.sources[:2]] == [_day("2023-03-09"), _day("2023-03-05")]
    assert attack.notes == PREC


def test_a_source_article_date_after_today_dates_no_source_and_is_flagged() -> None:
    """import.md: so is a date written in the source_article of a row without
    source_office; the knowledge time is then the event's last day."""
    changes = {**NO_OFFICE, "source_article": "Reuters, 3/13/2302 Clash"}
    batch = read_ucdp(io.StringIO(_csv(changes)), today="2026-12-07")
    (attack,) = batch.events()
    assert [(s.title, s.published) for s in attack.sources[:-1]] == [
        ("Reuters, 3/13/2302 Clash", None)
    ]
    assert attack.reported == _day("2023-03-01")
    said = "source dates after today, no day a source was published on (undated)"
    assert attack.notes == f"{PREC}; {said}: 2302-03-13 (source 1)"
    assert batch.flags == {"source date after today": 1}


def test_a_source_date_of_1946_is_read() -> None:
    """import.md: "from 1946 on" includes 1946's first day (flagged only as a report
    before the event, which it is)."""
    batch = _read({"source_date": "1946-01-01"})
    (attack,) = batch.events()
    assert attack.sources[0].published == _day("1946-01-01")
    assert UNREAD not in batch.flags


def test_source_dates_beyond_the_offices_are_kept_in_the_notes_and_flagged() -> None:
    batch = _read({"source_date": "2023-03-04;2023-03-02;2023-03-03"})
    (attack,) = batch.events()
    assert [s.published for s in attack.sources] == [_day("2023-03-04"), None]
    assert attack.reported == _day("2023-03-04")  # a date no source has dates nothing
    assert attack.notes == (
        f"{PREC}; source dates beyond the offices (3 dates for 1 office): 2023-03-02, 2023-03-03"
    )
    assert batch.flags == {BEYOND: 1}


def test_source_dates_read_and_one_per_office_are_not_flagged() -> None:
    batch = _read(
        {"source_office": "A;B", "source_date": "2023-03-04;2023-03-05", "source_headline": "a;b"}
    )
    assert batch.events()[0].notes == PREC
    assert batch.flags == {}


@pytest.mark.parametrize(
    ("dates", "published", "note"),
    [
        # fewer dates than offices: the second source's date is in its part
        (
            "2023-03-05",
            ["2023-03-05", "2023-03-02"],
            "source 2 (B) has no source_date; 2023-03-02 read from its part of source_article",
        ),
        # an empty item: the first source's
        (
            ";2023-03-02",
            ["2023-03-03", "2023-03-02"],
            "source 1 (A) has no source_date; 2023-03-03 read from its part of source_article",
        ),
    ],
)
def test_a_source_without_its_source_date_is_dated_by_its_part_of_source_article(
    dates: str, published: list[str], note: str
) -> None:
    """import.md: a source with an office but no ``source_date`` (an empty item, or
    fewer dates than offices) is dated by its own part of ``source_article``
    (``"office,date,headline";...``, lined up with the offices); the notes say so,
    unflagged, and ``reported`` is the earliest source date, as for every row."""
    batch = _read(
        {
            "source_office": "A;B",
            "source_date": dates,
            "source_headline": "a;b",
            "source_article": '"A,2023-03-03,a";"B,2023-03-02,b"',
        }
    )
    (attack,) = batch.events()
    assert [(s.publisher, s.title, s.published) for s in attack.sources[:-1]] == [
        ("A", "a", _day(published[0])),
        ("B", "b", _day(published[1])),
    ]
    assert attack.reported == _day("2023-03-02")
    assert attack.notes == f"{PREC}; {note}"
    assert batch.flags == {}


def test_a_source_without_its_source_date_and_no_matching_part_takes_the_articles_date() -> None:
    """import.md: where no part of ``source_article`` is the office's, the source is
    dated as a row without ``source_office`` is: by the date written in the article
    (month first; one that reads both ways settled by the event and flagged)."""
    batch = _read({"source_date": "", "source_article": "Reuters, 3/13/2023"})
    (attack,) = batch.events()
    assert [(s.publisher, s.published) for s in attack.sources[:-1]] == [
        ("Synthetic Daily", _day("2023-03-13"))
    ]
    assert attack.reported == _day("2023-03-13")
    assert attack.notes == (
        f"{PREC}; source 1 (Synthetic Daily) has no source_date; 2023-03-13 read from "
        "source_article"
    )
    assert batch.flags == {}
    # 03/04/2023: 4 March month first, 3 April day first; the event began 1 March.
    batch = _read({"source_date": "", "source_article": "Reuters, 03/04/2023"})
    (attack,) = batch.events()
    assert attack.sources[0].published == _day("2023-03-04")
    assert attack.reported == _day("2023-03-04")
    assert attack.notes == (
        f"{PREC}; source 1 (Synthetic Daily) has no source_date; 2023-03-04 read from "
        "source_article; source date '03/04/2023' in source_article is ambiguous (month "
        "first 2023-03-04, day first 2023-04-03); 2023-03-04 taken, the nearest reading "
        "on or after the event's first day"
    )
    assert batch.flags == {"source date ambiguous": 1}


@pytest.mark.parametrize(
    ("article", "kept"),
    [
        ("Reuters", "source article: Reuters; "),
        (
            '"Synthetic Daily,2023-03-xx,Clash"',
            'source article: "Synthetic Daily,2023-03-xx,Clash"; ',
        ),
        ("", ""),
    ],
)
def test_a_source_without_its_source_date_none_read_is_flagged_and_the_article_kept(
    article: str, kept: str
) -> None:
    """import.md: no date read for a source without its ``source_date`` leaves it
    undated, flagged "source date not read", the article kept in the notes; reported
    is then the extent's last day, as for a row with no source date."""
    batch = _read(
        {"source_date": "", "source_article": article, "date_end": "2023-03-03", "date_prec": "2"}
    )
    (attack,) = batch.events()
    assert attack.sources[0].published is None
    assert attack.reported == _day("2023-03-03")
    empty = "source_article empty" if not article else "none read in source_article"
    assert attack.notes == (
        f"date_prec=2; {kept}no source_date for source 1 (Synthetic Daily), {empty}; undated"
    )
    assert batch.flags == {UNREAD: 1}


def test_a_source_dated_by_source_article_before_the_event_follows_the_reported_rule() -> None:
    """A date read from ``source_article`` before the event's first day is a slip, as
    a ``source_date`` before it is: flagged, reported the event's first day."""
    batch = _read({"source_date": "", "source_article": "Reuters, 2/27/2023"})
    (attack,) = batch.events()
    assert attack.sources[0].published == _day("2023-02-27")
    assert attack.reported == _day("2023-03-01")
    assert attack.notes == (
        f"{PREC}; source 1 (Synthetic Daily) has no source_date; 2023-02-27 read from "
        "source_article; source date 2023-02-27 is before the event; reported taken from "
        "the event's first day"
    )
    assert batch.flags == {"source date before the event": 1}


@pytest.mark.parametrize(
    ("article", "written", "start", "notes_tail", "taken"),
    [
        # Day first with the year after a space: settled by the event (on or after it).
        (
            "Reuters , 8/4 00",
            "8/4 00",
            "2000-04-04",
            "2000-04-08 taken, the nearest reading on or after the event's first day",
            "2000-04-08",
        ),
        # Neither reading on or after the event: a day-first form is read day first.
        (
            "Reuters 2/3 2001",
            "2/3 2001",
            "2001-05-01",
            (
                "2001-03-02 taken, day first, as neither reading is on or after the event's "
                "first day; source date 2001-03-02 is before the event; reported taken from "
                "the event's first day"
            ),
            "2001-03-02",
        ),
    ],
)
def test_an_ambiguous_day_first_source_article_date_names_each_reading(
    article: str, written: str, start: str, notes_tail: str, taken: str
) -> None:
    """import.md: the day-first forms (``Reuters 30/5 2004``) that read both ways are
    settled by the event, "day first when neither reading is on or after it"; the notes
    give both readings by their names (found unpinned by the ninth mutation run)."""
    batch = _read(
        {
            **NO_OFFICE,
            "source_article": article,
            "date_start": start,
            "date_end": start,
            "year": start[:4],
        }
    )
    (attack,) = batch.events()
    assert attack.sources[0].published == _day(taken)
    day, month = written.split(maxsplit=1)[0].split("/")
    year = written.split()[1]
    year = year if len(year) == 4 else f"20{year}"
    month_first = f"{year}-{int(day):02d}-{int(month):02d}"
    day_first = f"{year}-{int(month):02d}-{int(day):02d}"
    assert attack.notes == (
        f"{PREC}; source date {written!r} in source_article is ambiguous (month first "
        f"{month_first}, day first {day_first}); {notes_tail}"
    )


# ----------------------------- codes outside GED's codebook: imported, kept, flagged

# The rule (import.md, "codes outside GED's codebook"), written out by hand: what a
# row whose code is none of GED's says it decides. An oracle, never the importer's.
TOV_TAIL = (
    " (not one of GED's codes 1-3; the target class is unknown unless side B is "
    "civilians, and side A is not read as the attacker)"
)
DATE_PREC_TAIL = (
    " (not one of GED's codes 1-5; occurred is date_start to date_end at a year's "
    "precision, the coarsest code's)"
)
WHERE_PREC_TAIL = (
    " (not one of GED's codes 1-7; the place is the deepest level the row names, as "
    "for an empty where_prec)"
)


@pytest.mark.parametrize(
    ("written_as", "shown", "code"),
    [
        ("4", "4", "4"),
        ("0", "0", "0"),
        ("1.5", "1.5", "1.5"),
        ("NA", "NA", ""),  # R's missing value: an empty cell, quoted as written
        ("", "empty", ""),
        ("one-sided", "one-sided", "one-sided"),
    ],
)
def test_a_type_of_violence_outside_the_codebook_is_imported_kept_and_flagged(
    written_as: str, shown: str, code: str
) -> None:
    """import.md: a ``type_of_violence`` none of GED's codes 1-3 (empty and ``NA``
    too) is imported, not refused. It is kept as published (in the notes, and in the
    codes, ``NA`` as empty) and decides nothing: the target class is unknown (not
    civilian, as one-sided violence's; not military or mixed, as a clash's, whatever
    ``deaths_civilians`` says), side B is still its actor, and the attack is between
    sides (side A is not read as the attacker). The row is counted as
    "type_of_violence not 1-3"; a row of a code beside it is not."""
    batch = _read(
        {"type_of_violence": written_as, "deaths_civilians": ""},
        {"type_of_violence": written_as, "deaths_civilians": "2"},
        {"type_of_violence": "1"},
    )
    assert batch.refused == ()
    first, second, coded = batch.events()
    for attack in (first, second):
        assert isinstance(attack, Attack)
        assert attack.target_class == TargetClass.UNKNOWN
        assert attack.target_actor == "actor:ucdp-22"
        assert attack.target == "SLF"
        assert attack.perpetrator == "actor:ucdp-11"
        assert attack.codes is not None
        assert attack.codes.ucdp_type_of_violence == code
        assert attack.between_sides is True
    assert first.notes == f"{PREC}; type_of_violence as published: {shown}{TOV_TAIL}"
    assert second.notes == (
        f"{PREC}; deaths_civilians=2; type_of_violence as published: {shown}{TOV_TAIL}"
    )
    assert isinstance(coded, Attack)
    assert coded.target_class == TargetClass.MILITARY
    assert "type_of_violence" not in coded.notes
    assert batch.flags == {"type_of_violence not 1-3": 2}


def test_an_unknown_type_of_violence_against_civilians_still_targets_civilians() -> None:
    """import.md: a side B named "Civilians" makes the target civilian whatever the
    ``type_of_violence``, one outside the codebook too (flagged all the same)."""
    batch = _read({"type_of_violence": "4", "side_b": "Civilians", "side_b_new_id": "1"})
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.target_class == TargetClass.CIVILIAN
    assert attack.target_actor is None
    assert attack.target == "Civilians"
    assert attack.notes == f"{PREC}; type_of_violence as published: 4{TOV_TAIL}"
    assert batch.flags == {"type_of_violence not 1-3": 1}


@pytest.mark.parametrize(
    ("written_as", "kept", "shown"),
    [
        ("6", "date_prec=6; ", "6"),
        ("0", "date_prec=0; ", "0"),
        ("x", "date_prec=x; ", "x"),
        ("1.5", "date_prec=1.5; ", "1.5"),
        ("6.0", "date_prec=6; ", "6"),  # a whole number written as a float: the number
        ("NA", "", "NA"),  # R's missing value: no column=value, quoted as written
        ("", "", "empty"),
    ],
)
def test_a_date_prec_outside_the_codebook_is_imported_over_the_dates_at_a_years_precision(
    written_as: str, kept: str, shown: str
) -> None:
    """import.md: a ``date_prec`` none of GED's codes 1-5 (empty and ``NA`` too) is
    imported, not refused: every code gives the days ``date_start`` to ``date_end``,
    so those are ``occurred``, at a year's precision (the coarsest code's, 5: it
    claims no more than any code would), also over a single day. The value is kept
    as published in the notes, the row counted as "date_prec not 1-5"."""
    batch = _read(
        {"date_prec": written_as, "date_start": "2023-03-01", "date_end": "2023-03-07"},
        {"date_prec": written_as, "date_start": "2023-03-02", "date_end": "2023-03-02"},
    )
    assert batch.refused == ()
    week, day = batch.events()
    assert week.occurred.earliest == _dt.datetime(2023, 3, 1, tzinfo=_dt.UTC)
    assert week.occurred.latest == _dt.datetime(2023, 3, 8, tzinfo=_dt.UTC)
    assert week.occurred.precision == Precision.YEAR
    assert day.occurred.earliest == _dt.datetime(2023, 3, 2, tzinfo=_dt.UTC)
    assert day.occurred.latest == _dt.datetime(2023, 3, 3, tzinfo=_dt.UTC)
    assert day.occurred.precision == Precision.YEAR
    for attack in (week, day):
        assert attack.notes == f"{kept}date_prec as published: {shown}{DATE_PREC_TAIL}"
    assert batch.flags == {"date_prec not 1-5": 2}


@pytest.mark.parametrize(
    ("written_as", "shown"),
    [("8", "8"), ("0", "0"), ("-1", "-1"), ("x", "x"), ("1.5", "1.5"), ("8.0", "8")],
)
def test_a_where_prec_outside_the_codebook_reads_as_an_empty_one_and_is_flagged(
    written_as: str, shown: str
) -> None:
    """import.md: a ``where_prec`` none of GED's codes 1-7 is imported, not refused:
    it reads as an empty one (the place is the deepest level the row names, the point
    on a named location; without one, the deepest admin level, its centroid in the
    notes), kept as published in the notes, each row counted as "where_prec not 1-7"
    (two rows of one place: both). An empty or ``NA`` one is no code, not flagged."""
    batch = _read({"where_prec": written_as}, {"where_prec": written_as})
    assert batch.refused == ()
    first, second = batch.events()
    places = _places(batch)
    assert set(places) == {COUNTRY, ADM1, ADM2, LOCATION}
    assert places[LOCATION].coordinates == Coordinates(lat=10.5, lon=20.25)
    for attack in (first, second):
        assert isinstance(attack, Attack)
        assert attack.place == LOCATION
        assert attack.notes == (
            f"{PREC}; where_prec={shown}; where_prec as published: {shown}{WHERE_PREC_TAIL}"
        )
    assert batch.flags == {"where_prec not 1-7": 2}
    # No location named: the deepest admin level, as for an empty where_prec.
    batch = _read({"where_prec": written_as, "where_coordinates": ""})
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.place == ADM2
    assert attack.notes == (
        f"{PREC}; where_prec={shown}; latitude=10.5; longitude=20.25; "
        f"where_prec as published: {shown}{WHERE_PREC_TAIL}"
    )
    assert batch.flags == {"where_prec not 1-7": 1}


@pytest.mark.parametrize("written_as", ["", "NA"])
def test_an_empty_where_prec_is_no_code_and_not_flagged(written_as: str) -> None:
    batch = _read({"where_prec": written_as})
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.place == LOCATION
    assert attack.notes == PREC
    assert batch.flags == {}


# ------------------------------------------- an empty source item is no source

EMPTY_ITEM = " (an empty item, no source)"


@pytest.mark.parametrize(
    ("office", "date", "headline", "kept"),
    [
        (
            "A;;B",
            "2023-03-04;;2023-03-05",
            "One;;Two",
            [
                "source_office as published: A;;B",
                "source_date as published: 2023-03-04;;2023-03-05",
                "source_headline as published: One;;Two",
            ],
        ),
        ("A;B;", "2023-03-04;2023-03-05", "One;Two", ["source_office as published: A;B;"]),
        (
            "A;B",
            "2023-03-04;2023-03-05;",
            "One;Two;",
            [
                "source_date as published: 2023-03-04;2023-03-05;",
                "source_headline as published: One;Two;",
            ],
        ),
        (
            ";A;B",
            ";2023-03-04;2023-03-05",
            ";One;Two",
            [
                "source_office as published: ;A;B",
                "source_date as published: ;2023-03-04;2023-03-05",
                "source_headline as published: ;One;Two",
            ],
        ),
        (
            "A; ;B",
            "2023-03-04; ;2023-03-05",
            "One;;Two",
            [
                "source_office as published: A; ;B",
                "source_date as published: 2023-03-04; ;2023-03-05",
                "source_headline as published: One;;Two",
            ],
        ),
        ("A;B;;", "2023-03-04;2023-03-05", "One;Two", ["source_office as published: A;B;;"]),
    ],
)
def test_an_empty_item_between_separators_is_no_source_and_the_cells_are_kept(
    office: str, date: str, headline: str, kept: list[str]
) -> None:
    """import.md: a trailing or doubled ``;`` in ``source_office``, ``source_date``
    or ``source_headline`` separates no source: an item empty in all three is not one
    (no "unknown" publisher, no undated untitled source), and the others keep their
    places. Each cell that had such an item is kept in the notes as published, the
    row counted as "empty source item"."""
    batch = _read({"source_office": office, "source_date": date, "source_headline": headline})
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert [(s.publisher, s.title, s.published) for s in attack.sources[:-1]] == [
        ("A", "One", _day("2023-03-04")),
        ("B", "Two", _day("2023-03-05")),
    ]
    assert len(attack.sources) == 3
    assert attack.notes == "; ".join([PREC, *(part + EMPTY_ITEM for part in kept)])
    assert batch.flags == {"empty source item": 1}


def test_an_empty_office_beside_a_date_is_a_source_of_unknown_publisher() -> None:
    """import.md: an item is empty only when every source column is: an empty office
    whose date is given is a source published by "unknown" (as before), not flagged;
    beside a trailing ``;`` that is no source, the items keep their places."""
    batch = _read(
        {
            "source_office": "A;;B",
            "source_date": "2023-03-04;2023-03-05;2023-03-06",
            "source_headline": "One;Two;Three",
        },
        {
            "source_office": "A;;B;",
            "source_date": "2023-03-04;2023-03-05;2023-03-06;",
            "source_headline": "One;Two;Three;",
        },
    )
    aligned, trailing = batch.events()
    for attack in (aligned, trailing):
        assert [(s.publisher, s.title, s.published) for s in attack.sources[:-1]] == [
            ("A", "One", _day("2023-03-04")),
            ("unknown", "Two", _day("2023-03-05")),
            ("B", "Three", _day("2023-03-06")),
        ]
    assert aligned.notes == PREC
    assert trailing.notes == "; ".join(
        [
            PREC,
            f"source_office as published: A;;B;{EMPTY_ITEM}",
            f"source_date as published: 2023-03-04;2023-03-05;2023-03-06;{EMPTY_ITEM}",
            f"source_headline as published: One;Two;Three;{EMPTY_ITEM}",
        ]
    )
    assert batch.flags == {"empty source item": 1}


def test_a_row_without_office_makes_no_source_of_an_empty_item() -> None:
    """import.md: without ``source_office``, one source per ``source_date`` value: a
    trailing ``;`` is no value. A ``source_article`` with an empty part is one
    source's title, whole, as published."""
    batch = _read(
        {"source_office": "", "source_date": "2023-03-04;", "source_headline": ""},
        {
            "source_office": "",
            "source_date": "",
            "source_headline": "",
            "source_article": "Reuters, 4/13/1998;;",
            "date_start": "1998-04-10",
            "date_end": "1998-04-10",
            "year": "1998",
        },
    )
    dated, article = batch.events()
    assert [(s.publisher, s.title, s.published) for s in dated.sources[:-1]] == [
        ("unknown", "", _day("2023-03-04"))
    ]
    assert dated.notes == f"{PREC}; source_date as published: 2023-03-04;{EMPTY_ITEM}"
    assert [(s.publisher, s.title, s.published) for s in article.sources[:-1]] == [
        ("unknown", "Reuters, 4/13/1998;;", _day("1998-04-13"))
    ]
    assert article.notes == PREC
    assert batch.flags == {"empty source item": 1}


# ------------------------------------------------------------------------ geom_wkt

FROM_WKT = "coordinates from geom_wkt"
WKT_DIFFERS = "geom_wkt differs from latitude/longitude"
WKT_UNREAD = "geom_wkt not read"


def _read_wkt(*rows: dict[str, str]) -> ImportBatch:
    """`_read` with GED's ``geom_wkt`` column (empty unless a row gives it)."""
    return read_ucdp(io.StringIO(_csv(*rows, columns=(*COLUMNS, "geom_wkt"))))


@pytest.mark.parametrize(
    ("latitude", "longitude", "geom"),
    [
        ("10.5", "20.25", "POINT (20.25 10.5)"),
        ("10.5", "20.25", "POINT(20.25 10.5)"),
        ("10.5", "20.25", "point (20.25 10.5)"),
        ("10.5", "20.25", "SRID=4326;POINT (20.25 10.5)"),
        ("10.5", "20.25", "POINT (2.025e1 1.05E1)"),
        # GED truncates its columns to six decimals; the point keeps more
        ("-1.210715", "29.275658", "POINT (29.2756589 -1.2107155)"),
        # rounded, by the file or by Excel, to fewer decimals
        ("10.5", "20.3", "POINT (20.2549 10.4999)"),
        ("10,5", "20,25", "POINT (20.25 10.5)"),  # a decimal comma (German Excel)
        # each number's own last place counts: the point's, the column's
        ("3.705123", "128.17", "POINT (128.17 3.7)"),
        ("3.7", "128.17", "POINT (128.17 3.705123)"),
        # the edges of the globe are on it
        ("90", "20.25", "POINT (20.25 90)"),
        ("-90", "-180", "POINT (-180 -90)"),
        ("10.5", "20.25", ""),
        ("10.5", "20.25", "NA"),  # R's missing value
    ],
)
def test_a_geom_wkt_that_is_the_rows_point_is_not_flagged(
    latitude: str, longitude: str, geom: str
) -> None:
    """import.md: ``geom_wkt`` is GED's point again, longitude first; one that agrees
    with ``latitude``/``longitude`` once each is cut to the decimals it writes (or
    none) adds nothing."""
    batch = _read_wkt({"latitude": latitude, "longitude": longitude, "geom_wkt": geom})
    (attack,) = batch.events()
    assert attack.notes == PREC
    assert batch.flags == {}


@pytest.mark.parametrize(
    ("latitude", "longitude", "geom", "used"),
    [
        # event 141599 of the real sample: Ambon lies south of the equator
        ("-3.705", "128.17", "POINT (128.17 3.705)", "latitude -3.705, longitude 128.17"),
        # latitude and longitude swapped in the point
        ("10.5", "20.25", "POINT (10.5 20.25)", "latitude 10.5, longitude 20.25"),
        # past what cutting explains: 20.2625 is no 20.25 cut to two decimals
        ("10.5", "20.25", "POINT (20.2625 10.5)", "latitude 10.5, longitude 20.25"),
        ("10.5", "20.250001", "POINT (20.250004 10.5)", "latitude 10.5, longitude 20.250001"),
        ("10,5", "20,25", "POINT (20.25 11.5)", "latitude 10.5, longitude 20.25"),
    ],
)
def test_a_geom_wkt_elsewhere_than_the_rows_point_is_kept_and_flagged(
    latitude: str, longitude: str, geom: str, used: str
) -> None:
    """The columns give the point; the point that differs is kept as published."""
    batch = _read_wkt({"latitude": latitude, "longitude": longitude, "geom_wkt": geom})
    (attack,) = batch.events()
    assert attack.notes == f"{PREC}; geom_wkt as published: {geom} ({used} used)"
    assert batch.flags == {WKT_DIFFERS: 1}
    coords = _places(batch)[LOCATION].coordinates
    assert coords is not None
    expected = tuple(float(v.replace(",", ".")) for v in (latitude, longitude))
    assert (coords.lat, coords.lon) == expected


def test_a_row_without_latitude_and_longitude_takes_its_point_from_geom_wkt() -> None:
    """Longitude first: ``POINT (20.25 10.5)`` is latitude 10.5, longitude 20.25."""
    geom = "POINT (20.25 10.5)"
    for empty in ("", "NA"):
        batch = _read_wkt({"latitude": empty, "longitude": empty, "geom_wkt": geom})
        (attack,) = batch.events()
        assert attack.place == LOCATION
        assert _places(batch)[LOCATION].coordinates == Coordinates(lat=10.5, lon=20.25)
        assert attack.notes == (
            f"{PREC}; coordinates from geom_wkt as published: {geom} "
            "(latitude and longitude empty)"
        )
        assert batch.flags == {FROM_WKT: 1}


def test_a_point_from_geom_wkt_on_an_admin_level_is_a_centroid_kept_in_the_notes() -> None:
    """As the columns' point would be: where_prec 4 points at the adm_1, which stores
    no point; the location's cells, the point among them, go to the notes."""
    geom = "POINT (20.25 10.5)"
    batch = _read_wkt({"where_prec": "4", "latitude": "", "longitude": "", "geom_wkt": geom})
    (attack,) = batch.events()
    assert attack.place == ADM1
    assert _places(batch)[ADM1].coordinates is None
    assert attack.notes == (
        f"{PREC}; where_prec=4; adm_2=Lake district; where_coordinates=Testville; latitude=10.5; "
        f"longitude=20.25; coordinates from geom_wkt as published: {geom} "
        "(latitude and longitude empty)"
    )


def test_a_location_put_elsewhere_by_geom_wkt_quotes_it() -> None:
    """A row whose point (from geom_wkt) puts a defined location elsewhere."""
    geom = "POINT (22.5 12.75)"
    batch = _read_wkt({}, {"latitude": "", "longitude": "", "geom_wkt": geom})
    _first, moved = batch.events()
    assert moved.notes == (
        f"{PREC}; coordinates as published: geom_wkt {geom} "
        f"(the place {LOCATION} is defined at 10.5, 20.25); "
        f"coordinates from geom_wkt as published: {geom} (latitude and longitude empty)"
    )
    assert batch.flags == {MOVED: 1, FROM_WKT: 1}


@pytest.mark.parametrize(
    "geom",
    [
        "POINT EMPTY",
        "POINT (20.25)",
        "POINT Z (20.25 10.5 3)",
        "POINT (20.25 95)",  # a latitude past 90
        "POINT (200 10.5)",  # a longitude past 180
        "LINESTRING (20 10, 21 11)",
        "10.5, 20.25",
    ],
)
def test_a_geom_wkt_that_is_no_point_on_the_globe_is_kept_and_flagged(geom: str) -> None:
    with_columns = _read_wkt({"geom_wkt": geom})
    (attack,) = with_columns.events()
    assert attack.notes == (
        f"{PREC}; geom_wkt as published: {geom} (not a point on the globe; "
        "latitude/longitude used)"
    )
    assert with_columns.flags == {WKT_UNREAD: 1}
    assert _places(with_columns)[LOCATION].coordinates == Coordinates(lat=10.5, lon=20.25)

    alone = _read_wkt({"latitude": "", "longitude": "", "geom_wkt": geom})
    (attack,) = alone.events()
    assert attack.notes == (
        f"{PREC}; geom_wkt as published: {geom} (not a point on the globe; no point stored)"
    )
    assert alone.flags == {WKT_UNREAD: 1}
    assert _places(alone)[LOCATION].coordinates is None


def test_a_lone_coordinate_is_compared_with_geom_wkt_but_not_completed_by_it() -> None:
    """geom_wkt gives the point only to a row with neither column; a lone coordinate
    stays without a point (flagged, as without geom_wkt) and is checked against it."""
    agrees = _read_wkt({"latitude": "10.5", "longitude": "", "geom_wkt": "POINT (20.25 10.5)"})
    assert _places(agrees)[LOCATION].coordinates is None
    assert agrees.flags == {"coordinates incomplete": 1}
    differs = _read_wkt({"latitude": "", "longitude": "23", "geom_wkt": "POINT (20.25 10.5)"})
    (attack,) = differs.events()
    assert attack.notes.endswith(
        "geom_wkt as published: POINT (20.25 10.5) (latitude empty, longitude 23 used)"
    )
    assert differs.flags == {"coordinates incomplete": 1, WKT_DIFFERS: 1}


def test_the_real_samples_one_point_that_differs_from_its_columns_is_flagged() -> None:
    """In the 1,000 real GED 23.1 rows every geom_wkt is the columns' point, cut to six
    decimals, except event 141599's (Ambon: latitude -3.705, point 3.705)."""
    batch = read_ucdp(Path(__file__).parent / "data" / "ucdp-ged-23.1-sample-1000.csv")
    assert batch.flags[WKT_DIFFERS] == 1
    flagged = [e.id for e in batch.events() if "geom_wkt as published" in e.notes]
    assert flagged == ["ucdp:141599"]


@pytest.mark.parametrize(
    ("order", "occurred", "published"),
    [("day-first", "2023-04-03", "2023-04-05"), ("month-first", "2023-03-04", "2023-05-04")],
)
def test_a_given_date_order_reads_the_event_and_source_dates_in_it(
    order: str, occurred: str, published: str
) -> None:
    """import.md: with ``date_order`` the file's numeric dates (``date_start``,
    ``date_end``, ``source_date``) are read in the order given, where by default a
    file no row of which settles the order is refused; a date that cannot be read in
    it is refused naming its column."""
    cells = {"date_start": "03/04/2023", "date_end": "03/04/2023", "source_date": "05/04/2023"}
    assert _refused(**cells)[0] == "date_start"
    batch = read_ucdp(io.StringIO(_csv(cells)), date_order=order)
    assert batch.refused == ()
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.occurred == _day(occurred)
    assert attack.sources[0].published == _day(published)
    late = {**cells, "date_end": "03/14/2023" if order == "day-first" else "14/03/2023"}
    batch = read_ucdp(io.StringIO(_csv(late)), date_order=order)
    (refused,) = batch.refused
    assert refused.field == "date_end"
    assert f"date_order={order!r}" in refused.reason


def test_event_dates_as_excel_serial_numbers_are_those_days_kept_in_the_notes() -> None:
    """import.md: a ``date_start``/``date_end`` whose date format Excel lost holds
    its serial day number (Excel's 1900 system counts from 1899-12-30: 44986 is
    2023-03-01, 44988 2023-03-03): those days, each number kept in the notes,
    unflagged; a row mixing a serial and a written date reads both."""
    batch = _read({"date_start": "44986", "date_end": "44988.0", "year": "2023", "date_prec": "2"})
    assert batch.refused == ()
    assert batch.flags == {}
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert (attack.occurred.lo, attack.occurred.last) == (
        _day("2023-03-01").lo,
        _day("2023-03-03").last,
    )
    assert "date_start 44986: an Excel serial day number, read as 2023-03-01" in attack.notes
    assert "date_end 44988.0: an Excel serial day number, read as 2023-03-03" in attack.notes
    mixed = _event(date_start="44986", date_end="2023-03-01", year="2023")
    assert mixed.occurred == _day("2023-03-01")
    assert "date_start 44986: an Excel serial day number" in mixed.notes
    assert "date_end 2023-03-01" not in mixed.notes


def test_a_given_date_order_matches_source_dates_to_the_article_in_that_order() -> None:
    """With ``date_order`` the ``source_date`` cells matched to the dates in
    ``source_article`` (to take each source's title from it) are read in the order
    given, dotted ones too: 05.04.2023 month first is 4 May, the article's
    2023-05-04, and the titles are kept."""
    cells = {
        "date_start": "2023-05-01",
        "date_end": "2023-05-01",
        "source_office": "A;B",
        "source_date": "05.04.2023;05.04.2023",
        "source_headline": "",
        "source_article": '"A,2023-05-04,Title one";"B,2023-05-04,Title two"',
    }
    batch = read_ucdp(io.StringIO(_csv(cells)), date_order="month-first")
    assert batch.refused == ()
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert [s.title for s in attack.sources[:2]] == ["Title one", "Title two"]
    assert [s.published for s in attack.sources[:2]] == [_day("2023-05-04")] * 2


@pytest.mark.parametrize(("date1904", "day"), [(False, "2023-03-01"), (True, "2027-03-02")])
def test_a_workbooks_serial_event_dates_are_read_on_its_own_date_system(
    tmp_path: Path, date1904: bool, day: str
) -> None:
    """A GED workbook saved on Excel's 1904 date system counts its serial days from
    1904-01-01 (44986 is 2027-03-02 there, 2023-03-01 on the 1900 system)."""
    pytest.importorskip("python_calamine")
    from workbooks import WRITERS

    cells = {**ROW, "id": "900001", "date_start": 44986, "date_end": 44986, "year": day[:4]}
    book = tmp_path / "ged.xlsx"
    WRITERS[".xlsx"](book, [list(COLUMNS), [cells[c] for c in COLUMNS]], date1904=date1904)
    batch = read_ucdp(book)
    assert batch.refused == ()
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.occurred == _day(day)


def test_a_source_date_as_an_excel_serial_number_is_that_day_kept_in_the_notes() -> None:
    """A ``source_date`` whose date format Excel lost (44986: 2023-03-01 on Excel's
    1900 system) dates its source and so the event's knowledge time, the number kept
    in the notes, unflagged; it is matched with ``source_article``'s ISO date for the
    source's title."""
    batch = _read(
        {
            "date_start": "2023-03-01",
            "date_end": "2023-03-01",
            "source_office": "A",
            "source_date": "44986",
            "source_headline": "",
            "source_article": '"A,2023-03-01,A title"',
        }
    )
    assert (batch.refused, batch.flags) == ((), {})
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    (source, *_) = attack.sources
    assert source.published == _day("2023-03-01")
    assert source.title == "A title"
    assert attack.reported == _day("2023-03-01")
    assert "source_date 44986: an Excel serial day number, read as 2023-03-01" in attack.notes
    assert "source date not read" not in attack.notes


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        (
            {"type_of_violence": "3", "side_b": "GIA"},
            "side_b 'GIA' is not civilians in one-sided violence (type 3)",
        ),
        (
            {"type_of_violence": "2"},  # ROW's side A is "Government of Synthetica"
            "side_a 'Government of Synthetica' is a government in non-state violence (type 2)",
        ),
        (
            {"type_of_violence": "2", "side_a": "SLF", "side_b": "Government of Synthetica"},
            "side_b 'Government of Synthetica' is a government in non-state violence (type 2)",
        ),
        (
            {"type_of_violence": "1", "side_b": "Civilians"},
            "side_b 'Civilians' in state-based violence",
        ),
        (
            {"type_of_violence": "2", "side_a": "SLF", "side_b": "Civilians"},
            "side_b 'Civilians' in non-state violence",
        ),
        (
            {"type_of_violence": "1", "side_b": ""},
            "side_b empty in state-based violence (type 1), fought between two sides",
        ),
        (
            {"type_of_violence": "2", "side_a": "SLF", "side_b": ""},
            "side_b empty in non-state violence (type 2), fought between two sides",
        ),
    ],
)
def test_sides_that_contradict_the_type_of_violence_are_kept_and_flagged(
    changes: dict[str, str], said: str
) -> None:
    """import.md, from GED's codebook: one-sided violence (3) has civilians as side
    B, non-state violence (2) no government ("Government of ...") on either side, and
    1 and 2 never civilians as side B, nor no side B (a clash has two sides; an empty
    one used to be imported without a word). A row that says otherwise is imported as
    its type says, its sides kept as published, noted and flagged."""
    batch = _read(changes)
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert batch.flags == {"sides unlike type_of_violence": 1}
    assert f"sides unlike type_of_violence: {said}; kept as published" in attack.notes
    assert attack.target == changes.get("side_b", ROW["side_b"])


@pytest.mark.parametrize(
    "changes",
    [
        {},  # type 1, a government against a group
        {"type_of_violence": "3", "side_b": "civilians"},
        {"type_of_violence": "2", "side_a": "SLF", "side_b": "Other Front"},
        {"type_of_violence": "1", "side_a": "Synthetica"},  # a name proves nothing
    ],
)
def test_sides_that_agree_with_the_type_of_violence_are_not_flagged(
    changes: dict[str, str],
) -> None:
    batch = _read(changes)
    assert batch.refused == ()
    assert "sides unlike type_of_violence" not in batch.flags
