"""ACLED files of every vintage an analyst holds (issue 14.1), in each exact form.

The rows are the synthetic ones of tests/data (made up, ACLED's real layouts), re-cut
into each variant: dates re-saved by Excel, upper-case headers, a pandas index column,
other delimiters, Windows-1252 bytes, pre-2019 event types, monadic exports. Each
expected value is stated from ACLED's codebook or the documented mapping table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    ControlChanged,
    Correction,
    ImportDataError,
    PlaceDefined,
    Retraction,
    Statement,
    TargetClass,
    TimeExtent,
    Timeline,
    to_timelinejs,
)
from conflict_timeline.importers import ImportBatch, read_acled, read_acled_deletions
from conflict_timeline.importers._batch import slug
from conflict_timeline.importers._countries import ged_name
from conflict_timeline.importers.acled import acled_date

DATA = Path(__file__).parent / "data"
NUMERIC = DATA / "acled-synthetic-numeric-inter.csv"


def template() -> tuple[list[str], list[dict[str, str]]]:
    with NUMERIC.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write(
    fields: list[str],
    rows: list[dict[str, str]],
    *,
    delimiter: str = ",",
    header: list[str] | None = None,
) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header or fields)
    for row in rows:
        writer.writerow([row.get(f, "") for f in fields])
    return out.getvalue()


def events(batch: ImportBatch) -> dict[str, object]:
    return {r.id: r for r in batch.events()}


# --------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "year", "day"),
    [
        ("2020-05-09", "2020", dt.date(2020, 5, 9)),
        ("2020-05-09 00:00:00", "2020", dt.date(2020, 5, 9)),  # pandas' to_csv of a datetime
        ("9-May-20", "2020", dt.date(2020, 5, 9)),  # Excel, two-digit year
        ("09-May-2020", "2020", dt.date(2020, 5, 9)),
        ("01-January-2015", "2015", dt.date(2015, 1, 1)),
        ("21 March 2020", "2020", dt.date(2020, 3, 21)),
        ("31-12-19", "2019", dt.date(2019, 12, 31)),  # dd-mm-yy
        ("31/12/2019", "2019", dt.date(2019, 12, 31)),
        ("May 9, 2020", "2020", dt.date(2020, 5, 9)),
        ("9-May-99", "1999", dt.date(1999, 5, 9)),  # the year column settles the century
    ],
)
def test_every_date_form_reads(text: str, year: str, day: dt.date) -> None:
    assert acled_date(text, year=year) == day


def test_a_two_digit_year_must_agree_with_the_year_column() -> None:
    fields, rows = template()
    rows = [{**rows[0], "event_date": "9-May-20", "year": "2021"}]
    batch = read_acled(io.StringIO(write(fields, rows)))
    assert batch.refused[0].field == "event_date"
    assert "has the year 20 but the row's year is 2021" in batch.refused[0].reason


@pytest.mark.parametrize("year", ["2,020", "2.020", "2 020", "2\u00a0020"])
def test_a_year_a_spreadsheet_wrote_with_a_thousands_separator_is_that_year(year: str) -> None:
    """``2,020`` is the year 2020 as a spreadsheet formats a number (read with a
    decimal sign it would be no year): it settles a two-digit year, and beside a
    four-digit date in 2020 it differs from nothing (no flag, no note)."""
    fields, rows = template()
    base = next(r for r in rows if r["event_type"] == "Battles")
    cells = [("A1", "9-May-20"), ("A2", "2020-05-09")]
    text = write(
        fields, [{**base, "event_id_cnty": e, "event_date": d, "year": year} for e, d in cells]
    )
    batch = read_acled(io.StringIO(text))
    assert batch.refused == ()
    assert batch.flags == {}
    for event in batch.events():
        assert event.occurred == TimeExtent.parse("2020-05-09")
        assert "year as published" not in (event.notes or "")


def test_a_year_with_a_thousands_separator_that_disagrees_is_kept_and_flagged() -> None:
    fields, rows = template()
    base = next(r for r in rows if r["event_type"] == "Battles")
    cells = [("A1", "9-May-20"), ("A2", "2020-05-09")]
    text = write(
        fields, [{**base, "event_id_cnty": e, "event_date": d, "year": "2,021"} for e, d in cells]
    )
    batch = read_acled(io.StringIO(text))
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (2, "event_date")
    assert "has the year 20 but the row's year is 2,021" in refused.reason
    (event,) = batch.events()
    assert batch.flags == {"year differs from event_date": 1}
    assert "year as published: 2,021 (event_date 2020-05-09 is in 2020)" in (event.notes or "")


@pytest.mark.parametrize("year", ["20", "20.0", "0"])
def test_a_two_digit_year_beside_a_year_without_its_century_is_refused(year: str) -> None:
    """``9-May-20`` beside a ``year`` of ``20`` has no century anywhere: refused, not
    read as the 9th of May of the year 20."""
    fields, rows = template()
    base = next(r for r in rows if r["event_type"] == "Battles")
    text = write(fields, [{**base, "event_date": "9-May-20", "year": year}])
    batch = read_acled(io.StringIO(text))
    assert batch.events() == ()
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (2, "event_date")
    assert refused.reason == (
        f"'9-May-20' has a two-digit year and the row's year '{year}' has no century "
        "either: nothing settles it"
    )


def test_ambiguous_numeric_dates_are_settled_by_the_files_other_rows() -> None:
    fields, rows = template()
    attacks = [r for r in rows if r["event_type"] == "Battles"][:1] * 3
    # Day first: 13/05/2020 settles 09/05/2020 as the 9th of May, even when it comes later.
    day_first = [
        {**attacks[0], "event_id_cnty": "A1", "event_date": "09/05/2020", "year": "2020"},
        {**attacks[0], "event_id_cnty": "A2", "event_date": "13/05/2020", "year": "2020"},
    ]
    batch = read_acled(io.StringIO(write(fields, day_first)))
    assert [r.id for r in batch.events()] == ["acled:A1", "acled:A2"]  # file order kept
    assert events(batch)["acled:A1"].occurred == TimeExtent.parse("2020-05-09")  # type: ignore[attr-defined]
    # Month first (US Excel): 05/13/2020 settles 05/09/2020 as the 9th of May too.
    month_first = [
        {**attacks[0], "event_id_cnty": "B1", "event_date": "05/09/2020", "year": "2020"},
        {**attacks[0], "event_id_cnty": "B2", "event_date": "05/13/2020", "year": "2020"},
    ]
    batch = read_acled(io.StringIO(write(fields, month_first)))
    assert events(batch)["acled:B1"].occurred == TimeExtent.parse("2020-05-09")  # type: ignore[attr-defined]
    # Nothing settles it: refused as ambiguous, never guessed.
    unsettled = [{**attacks[0], "event_id_cnty": "C1", "event_date": "05/09/2020"}]
    batch = read_acled(io.StringIO(write(fields, unsettled)))
    assert batch.events() == ()
    assert batch.refused[0].field == "event_date"
    assert "is ambiguous: day and month could be swapped" in batch.refused[0].reason


@pytest.mark.parametrize("ambiguous_first", [False, True])
def test_a_file_proving_both_orders_refuses_its_ambiguous_dates_naming_the_evidence(
    ambiguous_first: bool,
) -> None:
    """``13/05/2020`` is day first and ``05/14/2020`` month first: the file's rows
    prove both orders, so ``05/06/2020`` (5 June or 6 May) is refused as ambiguous,
    naming the first row proving each order, wherever it stands in the file; the
    unambiguous rows import."""
    fields, rows = template()
    battle = {**rows[0], "year": "2020"}
    day_first = {**battle, "event_id_cnty": "D", "event_date": "13/05/2020"}
    month_first = {**battle, "event_id_cnty": "M", "event_date": "05/14/2020"}
    either = {**battle, "event_id_cnty": "E", "event_date": "05/06/2020"}
    cut = [either, day_first, month_first] if ambiguous_first else [day_first, month_first, either]
    batch = read_acled(io.StringIO(write(fields, cut)))
    (refused,) = batch.refused
    lines = (3, 4, 2) if ambiguous_first else (2, 3, 4)  # day first, month first, either
    assert (refused.line, refused.field) == (lines[2], "event_date")
    assert refused.reason == (
        "'05/06/2020' is ambiguous: day and month could be swapped, and the file's rows "
        f"use both orders (day first at line {lines[0]}: '13/05/2020'; month first at "
        f"line {lines[1]}: '05/14/2020')"
    )
    found = events(batch)
    assert set(found) == {"acled:D", "acled:M"}
    assert found["acled:D"].occurred == TimeExtent.parse("2020-05-13")  # type: ignore[attr-defined]
    assert found["acled:M"].occurred == TimeExtent.parse("2020-05-14")  # type: ignore[attr-defined]


# ------------------------------------------------------------------ headers


def test_upper_case_headers_index_column_any_order_extra_columns() -> None:
    fields, rows = template()
    reordered = [*reversed(fields), "countycode"]
    header = ["", *(f.upper() for f in reordered)]  # pandas writes an unnamed index first
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for n, row in enumerate(rows):
        writer.writerow([str(n), *(row.get(f, "") for f in reordered[:-1]), "C-77"])
    batch = read_acled(io.StringIO(out.getvalue()))
    reference = read_acled(NUMERIC)
    assert batch.records == reference.records
    assert batch.out_of_scope == reference.out_of_scope


def test_whole_numbers_pandas_wrote_with_a_decimal_comma_read_as_the_numbers() -> None:
    """pandas' ``to_csv(sep=";", decimal=",")`` writes an integer column that held a
    missing value as floats with a decimal comma (``2,0``, ``3,0``, ``1,0``): each
    is the whole number, so the file imports as the original."""
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(NUMERIC, encoding="utf-8-sig")
    for column in ("year", "time_precision", "inter1", "inter2", "geo_precision", "fatalities"):
        frame[column] = frame[column].astype(float)  # as once a cell was missing
    text = frame.to_csv(sep=";", decimal=",", index=False)
    first = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert [first[i] for i in (2, 3, 9, 12, 24, 28)] == [
        "2023,0",
        "1,0",
        "1,0",
        "2,0",
        "1,0",
        "3,0",
    ]
    batch = read_acled(io.StringIO(text))
    assert batch.refused == ()
    assert batch.records == read_acled(NUMERIC).records


@pytest.mark.parametrize(
    ("column", "cell", "reason"),
    [
        ("fatalities", "3,5", "'3,5' is not a whole number"),
        ("fatalities", "1,000", "'1,000' is ambiguous: 1.000 with a decimal comma, or 1000"),
        ("fatalities", "1.000", "'1.000' is ambiguous: 1.000 with a decimal point, or 1000"),
        ("fatalities", "12.500", "'12.500' is ambiguous: 12.500 with a decimal point, or 12500"),
        ("inter2", "2,000", "'2,000' is ambiguous"),
        ("time_precision", "1,000", "'1,000' is ambiguous"),
    ],
)
def test_a_decimal_comma_number_that_is_not_whole_or_could_be_thousands_is_refused(
    column: str, cell: str, reason: str
) -> None:
    """Only a zero fraction is whole (``3,0``); a comma before exactly three digits
    could be a thousands separator as well (``1,000``: 1 or 1000), so it is refused
    as ambiguous, never read as either."""
    fields, rows = template()
    text = write(fields, [{**rows[0], column: cell}], delimiter=";")
    (refused,) = read_acled(io.StringIO(text)).refused
    assert refused.field == column
    assert reason in refused.reason


@pytest.mark.parametrize(
    ("cell", "deaths"), [("0.000", 0), ("1.0", 1), ("1.00", 1), ("1648.000", 1648)]
)
def test_a_count_with_a_point_that_no_thousands_separator_writes_is_the_number(
    cell: str, deaths: int
) -> None:
    """A point before exactly three digits is ambiguous only where a thousands
    separator could stand: never after a first group of 0 (``0.000`` is 0 either way)
    or of four digits (``1648.000``), nor before fewer than three digits (``1.0``)."""
    fields, rows = template()
    base = next(r for r in rows if r["event_type"] == "Battles")
    text = write(fields, [{**base, "fatalities": cell}], delimiter=";")
    batch = read_acled(io.StringIO(text))
    assert batch.refused == ()
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.fatalities is not None
    assert attack.fatalities.best == deaths


REALTIME_2015 = (
    "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,"
    "ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADM_LEVEL_1,"
    "ADM_LEVEL_2,ADM_LEVEL_3,LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,"
    "FATALITIES"
)


def _older(header: str, admin3: str = "") -> str:
    return (
        header + "\n"
        "500,SYN10,10,14/03/2015,2015,1,Battle-No change of territory,"
        "Military Forces of Synthetica,,1,Synthetic Front,,2,12,Synthetica,North,Lake,"
        f"{admin3},Testville,10.5,20.5,2,Synthetic Daily,SYNTHETIC ROW: a clash.,2\n"
    )


@pytest.mark.parametrize(
    "header",
    [
        REALTIME_2015,  # ACLED Realtime 2015: ADM_LEVEL_1..3
        REALTIME_2015.replace("ADM_LEVEL_", "ADMIN").replace("GEO_PRECISION", "GEO_PRECIS"),
    ],
)
def test_older_column_names_read_as_todays(header: str) -> None:
    """ACLED Realtime 2015's ``ADM_LEVEL_1..3`` are ``admin1..3``, version 5's
    ``GEO_PRECIS`` is ``geo_precision``: the event is where today's names put it."""
    today = REALTIME_2015.replace("ADM_LEVEL_", "ADMIN")
    batch = read_acled(io.StringIO(_older(header, "Shore")))
    assert batch.refused == ()
    attack = events(batch)["acled:SYN10"]
    assert isinstance(attack, Attack)
    assert attack.place == "place:synthetica/north/lake/shore/testville"
    assert "geo_precision: 2 (ACLED: near the location" in attack.notes
    assert batch.records == read_acled(io.StringIO(_older(today, "Shore"))).records


def test_an_interaction_that_disagrees_with_the_inter_codes_is_kept_and_flagged() -> None:
    """ACLED's ``interaction`` is its two actors' inter codes together, lowest first
    (``12``; ``10`` for one actor; ``State forces-Rebel group`` and ``State forces
    only`` as the 2024 methodology writes them), so it is not kept. One that is not
    what ``inter1`` and ``inter2`` make is kept in the notes as published, saying
    what they make, and the row flagged "interaction differs from inter1 and
    inter2"; a form not read (empty) is not compared."""
    fields, rows = template()
    base = rows[0]  # inter1 1 (State forces), inter2 2 (Rebel group)
    alone = {"actor2": "", "assoc_actor_2": "", "inter2": ""}
    cases = [
        {"interaction": "12"},
        {"interaction": "State forces-Rebel group"},
        {"interaction": "17"},
        {**alone, "interaction": "State forces only"},
        {**alone, "interaction": "10"},
        {"interaction": "State forces-Civilians"},
        {"interaction": ""},
    ]
    written = [{**base, **case, "event_id_cnty": f"SYN{n}"} for n, case in enumerate(cases)]
    batch = read_acled(io.StringIO(write(fields, written)))
    assert batch.refused == ()
    assert batch.flags == {"interaction differs from inter1 and inter2": 2}
    found = events(batch)
    for n in (0, 1, 3, 4, 6):
        attack = found[f"acled:SYN{n}"]
        assert isinstance(attack, Attack)
        assert "interaction" not in attack.notes
    for n, published in ((2, "17"), (5, "State forces-Civilians")):
        attack = found[f"acled:SYN{n}"]
        assert isinstance(attack, Attack)
        assert attack.notes.endswith(
            f"\n\ninteraction as published: {published} (inter1 and inter2 make 12)"
        )


def test_an_iso_that_is_not_the_countrys_code_is_kept_and_flagged() -> None:
    """``iso`` is the ISO 3166-1 numeric code of the row's ``country``, so it is not
    kept. One that is another country's code is kept in the notes as published,
    saying whose code it is, and the row flagged "iso differs from country"; one
    that is no code of the standard (``0``, ``COD``) likewise, flagged "iso not an
    ISO 3166-1 numeric code". The country's own code (``004``, ``804.0``), a
    country named as GED names it, an empty cell, a user-assigned code (900-999,
    the synthetic rows' 999) and ACLED's ``0`` for Kosovo (which the standard gives
    no code) add nothing. The row is imported as published."""
    fields, rows = template()
    base = rows[0]
    not_a_code = "(not an ISO 3166-1 numeric code)"
    ukraines = "(ISO 3166-1's code of Ukraine, not Synthetica)"
    cases = [  # (iso, country, what the notes keep, or None)
        ("804", "Ukraine", None),
        ("804.0", "Ukraine", None),
        ("004", "Afghanistan", None),
        ("180", "DR Congo (Zaire)", None),
        ("180", "Democratic Republic of Congo", None),
        ("", "Ukraine", None),
        ("999", "Synthetica", None),
        ("4", "Ukraine", "iso as published: 4 (ISO 3166-1's code of Afghanistan, not Ukraine)"),
        ("804", "Synthetica", f"iso as published: 804 {ukraines}"),
        ("0", "Kosovo", None),
        ("0", "Ukraine", f"iso as published: 0 {not_a_code}"),
        ("COD", "Democratic Republic of Congo", f"iso as published: COD {not_a_code}"),
    ]  # fmt: skip
    written = [
        {**base, "iso": iso, "country": country, "event_id_cnty": f"SYN{n}"}
        for n, (iso, country, _) in enumerate(cases)
    ]
    batch = read_acled(io.StringIO(write(fields, written)))
    assert batch.refused == ()
    assert batch.flags == {
        "iso differs from country": 2,
        "iso not an ISO 3166-1 numeric code": 2,
    }
    found = events(batch)
    for n, (_, country, kept) in enumerate(cases):
        attack = found[f"acled:SYN{n}"]
        assert isinstance(attack, Attack)
        paragraphs = attack.notes.split("\n\n")
        assert [p for p in paragraphs if p.startswith("iso")] == ([kept] if kept else [])
        assert attack.place is not None
        assert attack.place.startswith(f"place:{slug(ged_name(country))}/")


def test_an_interaction_whose_digits_are_not_in_acleds_order_is_kept_and_flagged() -> None:
    """ACLED's two digits are the inter codes lowest first, 0 for no actor: beside
    the codes 1 and 2 (in either column) it writes ``12``, for a lone actor of type
    1 ``10``. So ``21`` there, or ``01`` for the lone actor, is not ACLED's code: it
    is kept in the notes as published, saying what the codes make, and the row
    flagged "interaction differs from inter1 and inter2"; ACLED's own stays out of
    the notes. The 2024 labels, whose order the methodology does not give, are
    compared in either order."""
    fields, rows = template()
    base = rows[0]  # inter1 1 (State forces), inter2 2 (Rebel group)
    alone = {"actor2": "", "assoc_actor_2": "", "inter2": ""}
    swapped = {"inter1": "2", "inter2": "1"}
    cases = [
        {"interaction": "21"},  # flagged
        {**alone, "interaction": "01"},  # flagged
        {**swapped, "interaction": "21"},  # flagged: still 12, lowest first
        {"interaction": "12"},
        {**alone, "interaction": "10"},
        {**swapped, "interaction": "12"},
        {"interaction": "12.0"},
        {"interaction": "Rebel group-State forces"},
    ]
    written = [{**base, **case, "event_id_cnty": f"SYN{n}"} for n, case in enumerate(cases)]
    batch = read_acled(io.StringIO(write(fields, written)))
    assert batch.refused == ()
    assert batch.flags == {"interaction differs from inter1 and inter2": 3}
    found = events(batch)
    for n, published, made in ((0, "21", "12"), (1, "01", "10"), (2, "21", "12")):
        attack = found[f"acled:SYN{n}"]
        assert isinstance(attack, Attack)
        assert attack.notes.endswith(
            f"\n\ninteraction as published: {published} (inter1 and inter2 make {made})"
        )
    for n in (3, 4, 5, 6, 7):
        attack = found[f"acled:SYN{n}"]
        assert isinstance(attack, Attack)
        assert "interaction" not in attack.notes


def test_acledrs_sole_others_interaction_is_code_80_not_an_actor_type() -> None:
    """acledR (ACLED's R package) writes a lone actor's ``interaction`` ``Sole State
    Forces`` (10) ... ``Sole Others`` (80): ``Sole Others`` is read as 80 like the
    others, so beside ``inter1`` 1 (which makes 10) it is kept as published and the
    row flagged "interaction differs from inter1 and inter2", and beside ``inter1`` 8
    it is ACLED's and not kept. ``Others`` is read only there: as an ``inter1`` it is
    no actor type (flagged as such), and ``Others only`` is a form not read (not
    compared)."""
    fields, rows = template()
    base = rows[0]  # inter1 1 (State forces), inter2 2 (Rebel group)
    alone = {**base, "actor2": "", "assoc_actor_2": "", "inter2": ""}
    cases = [
        {"interaction": "Sole Others"},
        {"inter1": "8", "interaction": "Sole Others"},
        {"inter1": "8", "interaction": "SOLE OTHERS"},
        {"interaction": "Others only"},
        {"inter1": "Others", "interaction": "Sole Others"},
    ]
    written = [{**alone, **case, "event_id_cnty": f"SYN{n}"} for n, case in enumerate(cases)]
    batch = read_acled(io.StringIO(write(fields, written)))
    assert batch.refused == ()
    assert batch.flags == {
        "interaction differs from inter1 and inter2": 1,
        "inter1 or inter2 not an ACLED actor type": 1,
    }
    found = events(batch)
    differs = found["acled:SYN0"]
    assert isinstance(differs, Attack)
    assert differs.notes.endswith(
        "\n\ninteraction as published: Sole Others (inter1 and inter2 make 10)"
    )
    for n in (1, 2, 3, 4):
        attack = found[f"acled:SYN{n}"]
        assert isinstance(attack, Attack)
        assert "interaction" not in attack.notes
    others = found["acled:SYN4"]
    assert isinstance(others, Attack)
    assert "inter1: Others (not one of ACLED's actor types 0-8 or their labels)" in others.notes


def test_an_interaction_beside_an_inter_code_outside_the_codebook_is_not_compared() -> None:
    """An ``inter1``/``inter2`` that is no ACLED actor type makes no ``interaction``,
    so the row's is not compared with it (the row is flagged for the inter code
    alone, the interaction not kept); one beside two codes still is."""
    fields, rows = template()
    base = rows[0]  # inter1 1 (State forces), inter2 2 (Rebel group)
    cases = [
        {"inter2": "9", "interaction": "19"},
        {"inter2": "9", "interaction": "12"},
        {"inter1": "Aliens", "interaction": "State forces-Rebel group"},
    ]
    written = [{**base, **case, "event_id_cnty": f"SYN{n}"} for n, case in enumerate(cases)]
    batch = read_acled(io.StringIO(write(fields, written)))
    assert batch.refused == ()
    assert batch.flags == {"inter1 or inter2 not an ACLED actor type": 3}
    for attack in events(batch).values():
        assert "interaction" not in attack.notes


def test_acled_asias_total_fatalities_is_fatalities() -> None:
    """ACLED's Asia files of 2015-2016 name the count ``TOTAL_FATALITIES`` (their other
    columns as in ACLED Realtime 2015): it is ``fatalities``, so such a file imports,
    each attack with its count, as the file under today's name does."""
    header = REALTIME_2015.replace(",FATALITIES", ",TOTAL_FATALITIES")
    batch = read_acled(io.StringIO(_older(header)))
    assert batch.refused == ()
    attack = events(batch)["acled:SYN10"]
    assert isinstance(attack, Attack)
    assert attack.fatalities is not None
    assert attack.fatalities.best == 2
    assert batch.records == read_acled(io.StringIO(_older(REALTIME_2015))).records


def test_a_column_under_its_name_and_an_older_one_is_read_once_or_refused() -> None:
    """Two vintages joined give a file both names of a column: a row filling one of
    them is read from it, one filling both alike is read, and one filling both with
    different values is refused naming both (which one ACLED meant cannot be told)."""
    header = REALTIME_2015 + ",ADMIN1"
    base = _older(header).splitlines()[1]
    lines = [
        base + ",",  # only ADM_LEVEL_1: North
        base.replace(",North,", ",,").replace("SYN10", "SYN11") + ",North",
        base.replace("SYN10", "SYN12") + ",North",
        base.replace("SYN10", "SYN13") + ",South",
    ]
    batch = read_acled(io.StringIO("\n".join([header, *lines]) + "\n"))
    found = events(batch)
    for eid in ("acled:SYN10", "acled:SYN11", "acled:SYN12"):
        attack = found[eid]
        assert isinstance(attack, Attack)
        assert attack.place == "place:synthetica/north/lake/testville"
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (5, "row")
    assert refused.reason == (
        "columns 'ADMIN1' and 'ADM_LEVEL_1' (its older name) name one column with "
        "different values ('South', 'North'); give it once"
    )


def test_a_column_spelled_twice_in_the_header_is_read_once_or_refused() -> None:
    """``NOTES`` and ``notes`` name one column: a row giving different values in
    them is refused naming both, as for the keys of a JSON answer; the same value,
    or one of them empty, is read."""
    fields, rows = template()
    header = [*fields, "NOTES"]
    same, other = {**rows[0]}, {**rows[0], "event_id_cnty": "SYN9"}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerow([*(same.get(f, "") for f in fields), same["notes"]])
    writer.writerow([*(other.get(f, "") for f in fields), "SYNTHETIC: other notes."])
    batch = read_acled(io.StringIO(out.getvalue()))
    assert set(events(batch)) == {"acled:SYN1"}
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (3, "row")
    assert "columns 'notes' and 'NOTES' name one column with different values" in refused.reason


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_a_utf16_file_with_its_byte_order_mark_reads_without_an_encoding(
    tmp_path: Path, codec: str
) -> None:
    """Excel's "Unicode text" is tab-separated UTF-16 starting with a byte-order mark
    (``FF FE``, or ``FE FF`` big-endian): the mark says the encoding, so the file
    reads as its UTF-8 twin, from a path or a binary stream."""
    fields, rows = template()
    rows = [{**row, "location": "Ségou"} for row in rows]
    text = write(fields, rows, delimiter="\t").replace("\n", "\r\n")
    data = ("\ufeff" + text).encode(codec)
    assert data[:2] in {b"\xff\xfe", b"\xfe\xff"}
    path = tmp_path / "acled-unicode.txt"
    path.write_bytes(data)
    reference = read_acled(io.StringIO(text)).records
    assert read_acled(path).records == reference
    assert read_acled(io.BytesIO(data)).records == reference


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters_are_detected(delimiter: str) -> None:
    fields, rows = template()
    batch = read_acled(io.StringIO(write(fields, rows, delimiter=delimiter)))
    assert batch.records == read_acled(NUMERIC).records


def test_quoted_multi_line_notes() -> None:
    fields, rows = template()
    rows = [{**rows[0], "notes": "SYNTHETIC TEST ROW: first line;\nsecond, with a comma"}, rows[1]]
    text = write(fields, rows)
    batch = read_acled(io.StringIO(text), strict=True)
    first = events(batch)["acled:SYN1"]
    assert isinstance(first, Attack)
    assert first.notes.startswith("SYNTHETIC TEST ROW: first line;\nsecond, with a comma")
    # The second row starts on line 4: the first one spans lines 2 and 3.
    broken = write(fields, [rows[0], {**rows[1], "latitude": "abc"}])
    assert read_acled(io.StringIO(broken)).refused[0].line == 4


def test_windows_1252_only_where_the_user_says_so(tmp_path: Path) -> None:
    fields, rows = template()
    rows = [{**rows[0], "location": "Testvillé", "notes": "SYNTHETIC TEST ROW: café \u2013 5"}]
    path = tmp_path / "acled-1252.csv"
    path.write_bytes(write(fields, rows).encode("cp1252"))
    with pytest.raises(ImportDataError, match=r"line 2: location: not UTF-8 \(byte 0xe9\)"):
        read_acled(path)
    batch = read_acled(path, encoding="cp1252")
    attack = events(batch)["acled:SYN1"]
    assert isinstance(attack, Attack)
    assert attack.notes.startswith("SYNTHETIC TEST ROW: café \u2013 5")
    assert attack.place is not None
    assert attack.place.endswith("/testville")


def test_a_utf8_file_named_cp1252_stops_instead_of_storing_misspelt_names(
    tmp_path: Path,
) -> None:
    """A UTF-8 file (no byte-order mark) imported with ``encoding="cp1252"`` reads
    ``Testvillé`` as ``TestvillÃ©``: the import stops, naming the line, the column and
    both readings, instead of storing every accented name misspelt. A cp1252 file whose
    text is no UTF-8 still reads (test_windows_1252_only_where_the_user_says_so)."""
    fields, rows = template()
    rows = [rows[0], {**rows[1], "location": "Testvillé"}]
    path = tmp_path / "acled-utf8.csv"
    path.write_bytes(write(fields, rows).encode("utf-8"))
    with pytest.raises(ImportDataError) as caught:
        read_acled(path, encoding="cp1252")
    assert str(caught.value) == (
        "acled-utf8.csv, line 3: location: 'TestvillÃ©' is UTF-8 read as cp1252 (as "
        "UTF-8: 'Testvillé'); the file is UTF-8: import it without naming an encoding"
    )
    timeline = Timeline()
    with pytest.raises(ImportDataError):
        timeline.import_("acled", path, encoding="cp1252")
    assert len(timeline) == 0  # nothing appended, not even line 2's event
    attack = events(read_acled(path))["acled:SYN2"]
    assert isinstance(attack, Attack)
    assert attack.place is not None
    assert attack.place.endswith("/testville")


# ------------------------------------------------------------ pre-2019 ACLED

PRE_2019 = [
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "actor1",
    "ally_actor_1",
    "inter1",
    "actor2",
    "ally_actor_2",
    "inter2",
    "interaction",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
]


def old_row(eid: str, event_type: str, **cells: str) -> dict[str, str]:
    row = {
        "event_id_cnty": eid,
        "event_id_no_cnty": eid[3:],
        "event_date": "14/03/2015",
        "year": "2015",
        "time_precision": "1",
        "event_type": event_type,
        "actor1": "Synthetic Army",
        "ally_actor_1": "",
        "inter1": "1",
        "actor2": "Synthetic Front",
        "ally_actor_2": "Synthetic Youth",
        "inter2": "2",
        "interaction": "12",
        "country": "Synthetica",
        "admin1": "North",
        "admin2": "",
        "admin3": "",
        "location": "Testville",
        "latitude": "10.5",
        "longitude": "20.5",
        "geo_precision": "1",
        "source": "Synthetic Daily",
        "notes": f"SYNTHETIC TEST ROW: {event_type}",
        "fatalities": "2",
    }
    row.update(cells)
    return row


def test_pre_2019_event_types_map_by_the_documented_table() -> None:
    # The table in docs/howto/import-acled-vintages.md, written out as the oracle.
    table = {
        "Battle-No change of territory": (Attack, TargetClass.MILITARY, "Armed clash"),
        "Battle-Government regains territory": (
            Attack,
            TargetClass.MILITARY,
            "Government regains territory",
        ),
        "Battle-Non-state actor overtakes territory": (
            Attack,
            TargetClass.MILITARY,
            "Non-state actor overtakes territory",
        ),
        "Remote violence": (Attack, TargetClass.MILITARY, None),  # against a rebel group
        "Violence against civilians": (Attack, TargetClass.CIVILIAN, None),
        "Strategic development": (Statement, None, None),
        "Headquarters or base established": (Statement, None, None),
        "Non-violent transfer of territory": (ControlChanged, None, None),
        "Riots/Protests": (None, None, None),
    }
    rows = [old_row(f"SYN{n}", kind) for n, kind in enumerate(table)]
    batch = read_acled(io.StringIO(write(PRE_2019, rows)), strict=True)
    assert batch.refused == ()  # nothing refused for its vintage
    assert batch.out_of_scope == {"Riots/Protests": 1}
    found = events(batch)
    for n, (kind, (record_type, target_class, means)) in enumerate(table.items()):
        record = found.get(f"acled:SYN{n}")
        if record_type is None:
            assert record is None
            continue
        assert type(record) is record_type, kind
        if isinstance(record, Attack):
            assert record.target_class is target_class, kind
            assert record.means == means, kind
            assert "associated with actor2: Synthetic Youth" in record.notes  # ally_actor_2
        if isinstance(record, ControlChanged):
            assert record.controller == "actor:synthetic-army"
            assert record.place == "place:synthetica/north/testville"
    assert found["acled:SYN0"].occurred == TimeExtent.parse("2015-03-14")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "spelled",
    [
        "Battle-No change of territory",
        "Battle - No change of territory",
        "BATTLE -NO CHANGE OF TERRITORY",
        "battle-  no change of  territory",
    ],
)
def test_a_spaced_pre_2019_battle_type_is_a_clash_between_sides(spelled: str) -> None:
    """An old type spaced around its dash, or in another case, reads like the type
    (docs: "an old type spaced around its dash ... reads like the type"): a battle,
    so a clash between sides (ACLED does not code who started it), whose export
    headline says "Fighting between", while its codes keep the type as published."""
    row = {**old_row("SYN1", spelled), "ally_actor_2": "", "notes": "SYNTHETIC TEST ROW"}
    text = write(PRE_2019, [row])
    batch = read_acled(io.StringIO(text), strict=True)
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.codes is not None
    assert attack.codes.acled_event_type == spelled
    assert attack.means == "Armed clash"
    assert attack.target_class is TargetClass.MILITARY
    assert attack.between_sides
    timeline = Timeline()
    timeline.import_acled(io.StringIO(text))
    (exported,) = to_timelinejs(timeline)["events"]
    assert exported["text"]["headline"] == (
        "Fighting between Synthetic Army and Synthetic Front, Testville"
    )


def test_modern_sub_event_destinations() -> None:
    fields, rows = template()
    base = next(r for r in rows if r["event_type"] == "Battles")
    cases = [
        {
            **base,
            "event_id_cnty": "P1",
            "event_type": "Protests",
            "sub_event_type": "Excessive force against protesters",
            "actor2": "Protesters (Synthetica)",
            "inter2": "6",
        },
        {
            **base,
            "event_id_cnty": "P2",
            "event_type": "Protests",
            "sub_event_type": "Peaceful protest",
            "fatalities": "0",
        },
        {
            **base,
            "event_id_cnty": "S1",
            "event_type": "Strategic developments",
            "sub_event_type": "Non-violent transfer of territory",
        },
    ]
    batch = read_acled(io.StringIO(write(fields, cases)), strict=True)
    found = events(batch)
    force = found["acled:P1"]
    assert isinstance(force, Attack)
    assert force.target_class is TargetClass.CIVILIAN
    assert "acled:P2" not in found
    assert batch.out_of_scope == {"Protests": 1}
    assert isinstance(found["acled:S1"], ControlChanged)


# --------------------------------------------------------------- monadic


def test_monadic_rows_merge_into_one_record_per_event() -> None:
    fields, rows = template()
    monadic = [f for f in fields if f not in {"actor2", "assoc_actor_2", "inter2"}]
    battle, shelling = rows[0], rows[1]
    cut = [
        {**battle},
        {
            **battle,
            "actor1": battle["actor2"],
            "assoc_actor_1": battle["assoc_actor_2"],
            "inter1": battle["inter2"],
        },
        {**shelling},
        {
            **shelling,
            "actor1": shelling["actor2"],
            "assoc_actor_1": "",
            "inter1": shelling["inter2"],
        },
    ]
    batch = read_acled(io.StringIO(write(monadic, cut)), strict=True)
    assert (batch.rows, len(batch.events()), batch.merged) == (4, 2, 2)
    dyadic = events(read_acled(NUMERIC))
    merged = events(batch)
    for eid in ("acled:SYN1", "acled:SYN2"):
        assert merged[eid] == dyadic[eid]


UNIDENTIFIED = "Unidentified Armed Group (Synthetica)"


@pytest.mark.parametrize(
    ("interaction", "copies", "paired"),
    [
        # ACLED's interaction code: two digits, one per actor's type, 0 for no second
        # actor ("30": sole political militia action); the 2024 methodology writes
        # the two types' labels joined by "-".
        ("33", 2, True),
        ("33.0", 2, True),
        ("Political militia-Political militia", 2, True),
        ("33", 4, True),  # the pair, in two overlapping downloads joined
        ("30", 2, False),  # one actor: the second row is a repeat
        ("", 2, False),  # nothing says there are two actors
        (None, 2, False),  # no interaction column: nor here
    ],
)
def test_a_monadic_pair_of_one_name_coded_alike_keeps_both_actors(
    interaction: str | None, copies: int, paired: bool
) -> None:
    """Two actors of one name, type and associates (two unidentified groups fighting
    each other) give a monadic export two rows equal to the letter. The event's
    ``interaction`` says whether it has a second actor of that type: then the second
    row is that actor, as a pair of differently spelled rows' is; otherwise it is a
    repeat (downloads joined), as before."""
    fields, rows = template()
    cut = {"actor2", "assoc_actor_2", "inter2"} | (
        {"interaction"} if interaction is None else set()
    )
    monadic = [f for f in fields if f not in cut]
    row = {
        **rows[0],
        "actor1": UNIDENTIFIED,
        "assoc_actor_1": "",
        "inter1": "3",
        "interaction": interaction or "",
    }
    batch = read_acled(io.StringIO(write(monadic, [row] * copies)))
    assert batch.refused == ()
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    actor = "actor:unidentified-armed-group-synthetica"
    assert attack.perpetrator == actor
    if paired:
        assert (attack.target, attack.target_actor) == (UNIDENTIFIED, actor)
        assert "inter2: 3 (Political militia)" in attack.notes
    else:
        assert (attack.target, attack.target_actor) == ("", None)
    assert batch.merged == copies - 1


def test_a_monadic_pair_repeated_row_by_row_keeps_its_two_actors() -> None:
    """Two overlapping downloads joined and sorted so that each row's copy follows it
    (A, A, B, B): the copy of A is a repeat, not the other actor, even when the
    interaction names two actors of one type; B is the other actor."""
    fields, rows = template()
    monadic = [f for f in fields if f not in {"actor2", "assoc_actor_2", "inter2"}]
    one = {**rows[0], "actor1": "Synthetic Clan A", "assoc_actor_1": "", "inter1": "4"}
    one["interaction"] = "44"
    other = {**one, "actor1": "Synthetic Clan B"}
    batch = read_acled(io.StringIO(write(monadic, [one, one, other, other])))
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert (attack.perpetrator, attack.target) == ("actor:synthetic-clan-a", "Synthetic Clan B")
    assert "associated with actor2" not in attack.notes
    assert batch.merged == 3


@pytest.mark.parametrize("absent", [("assoc_actor_1",), ("inter1",), ("assoc_actor_1", "inter1")])
def test_a_monadic_export_without_optional_actor_columns_merges(absent: tuple[str, ...]) -> None:
    """``assoc_actor_1`` and ``inter1`` are optional columns: a monadic export without
    them still merges its pairs, the second row's actor becoming the target."""
    fields, rows = template()
    gone = {"actor2", "assoc_actor_2", "inter2", *absent}
    monadic = [f for f in fields if f not in gone]
    battle = rows[0]
    cut = [{**battle}, {**battle, "actor1": battle["actor2"], "inter1": battle["inter2"]}]
    batch = read_acled(io.StringIO(write(monadic, cut)), strict=True)
    assert (batch.rows, batch.merged, batch.refused) == (2, 1, ())
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    dyadic = events(read_acled(NUMERIC))["acled:SYN1"]
    assert isinstance(dyadic, Attack)
    assert (attack.perpetrator, attack.target_actor) == (dyadic.perpetrator, dyadic.target_actor)
    assert attack.target_actor is not None


def monadic_battle() -> tuple[list[str], dict[str, str], dict[str, str]]:
    """A monadic export's columns, and the two rows (one per actor) of the battle
    of the dyadic sample's first row."""
    fields, rows = template()
    monadic = [f for f in fields if f not in {"actor2", "assoc_actor_2", "inter2"}]
    battle = rows[0]
    second = {
        **battle,
        "actor1": battle["actor2"],
        "assoc_actor_1": battle["assoc_actor_2"],
        "inter1": battle["inter2"],
    }
    return monadic, battle, second


def test_a_revised_version_of_a_monadic_event_is_refused_not_merged() -> None:
    """Two downloads joined, and the event's rows differ in an event cell (more
    fatalities) under the same timestamp: nothing says which version is ACLED's, so
    the second version's rows are refused, naming that column and the first
    version's line; the first version is imported whole, and every row is accounted
    for."""
    monadic, battle, second = monadic_battle()
    revised = {"fatalities": str(int(battle["fatalities"]) + 2)}
    cut = [battle, second, {**battle, **revised}, {**second, **revised}]
    batch = read_acled(io.StringIO(write(monadic, cut)))
    assert [(r.line, r.field) for r in batch.refused] == [(4, "row"), (5, "row")]
    for refused in batch.refused:
        assert "fatalities" in refused.reason
        assert "first at line 2" in refused.reason
    assert (batch.rows, batch.merged) == (4, 1)
    assert batch.rows == len(batch.events()) + len(batch.refused) + batch.merged
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.fatalities.best == int(battle["fatalities"])
    dyadic = events(read_acled(NUMERIC))["acled:SYN1"]
    assert isinstance(dyadic, Attack)
    assert attack.target_actor == dyadic.target_actor is not None
    with pytest.raises(ImportDataError, match="fatalities"):
        read_acled(io.StringIO(write(monadic, cut)), strict=True)


@pytest.mark.parametrize("reverse", [False, True])
def test_a_monadic_row_differing_in_two_columns_names_the_same_one_in_any_column_order(
    reverse: bool,
) -> None:
    """The refusal of a row of the same timestamp differing in several read cells
    names the first in the importer's order of columns (``notes`` before
    ``fatalities``), whatever the file's order: the same file with its columns
    reversed is refused with the same reason."""
    monadic, battle, second = monadic_battle()
    columns = list(reversed(monadic)) if reverse else monadic
    changed = {"notes": "Other notes.", "fatalities": str(int(battle["fatalities"]) + 2)}
    (refused,) = read_acled(io.StringIO(write(columns, [battle, {**second, **changed}]))).refused
    assert "appears again with different notes (first at line 2)" in refused.reason


def test_the_same_actor_again_in_a_revised_row_is_not_the_second_actor() -> None:
    """A revised row of the same actor (one-actor event, a later timestamp) is
    another version, not the event's other side: it never becomes the target, and
    it corrects the first."""
    fields, rows = template()
    monadic = [f for f in fields if f not in {"actor2", "assoc_actor_2", "inter2"}]
    battle = rows[0]
    later = {**battle, "timestamp": str(int(battle["timestamp"]) + 86_400)}
    batch = read_acled(io.StringIO(write(monadic, [battle, later])))
    assert (batch.refused, batch.merged) == ((), 0)
    attack, correction = batch.events()
    assert isinstance(attack, Attack)
    assert isinstance(correction, Correction)
    assert isinstance(correction.replacement, Attack)
    assert attack.target_actor is correction.replacement.target_actor is None


def test_two_monadic_downloads_of_a_revised_event_keep_both_versions() -> None:
    """Two downloads joined, ACLED having revised the event in between (more
    fatalities, a later timestamp): each version's two rows merge into one event, and
    the versions are taken as in two files imported in the rows' order: the later
    version corrects the earlier one, known from its timestamp; the earlier version
    after the later one changes nothing (flagged). Every version names both actors."""
    monadic, battle, second = monadic_battle()
    stamp = str(int(battle["timestamp"]) + 86_400)
    revised = {"fatalities": str(int(battle["fatalities"]) + 2), "timestamp": stamp}
    dyadic = events(read_acled(NUMERIC))["acled:SYN1"]
    assert isinstance(dyadic, Attack)
    first, later = int(battle["fatalities"]), int(battle["fatalities"]) + 2

    older_first = [battle, second, {**battle, **revised}, {**second, **revised}]
    batch = read_acled(io.StringIO(write(monadic, older_first)))
    assert (batch.refused, batch.rows, batch.merged, batch.flags) == ((), 4, 2, {})
    attack, correction = batch.events()
    assert isinstance(attack, Attack)
    assert isinstance(correction, Correction)
    newer = correction.replacement
    assert isinstance(newer, Attack)
    assert attack.fatalities is not None
    assert newer.fatalities is not None
    assert (attack.fatalities.best, newer.fatalities.best) == (first, later)
    assert correction.reported is not None
    assert correction.reported.lo == int(stamp) * 1_000_000
    for version in (attack, newer):
        assert (version.perpetrator, version.target_actor) == (
            dyadic.perpetrator,
            dyadic.target_actor,
        )

    newer_first = [{**second, **revised}, battle, {**battle, **revised}, second]
    batch = read_acled(io.StringIO(write(monadic, newer_first)))
    assert (batch.refused, batch.rows, batch.merged) == ((), 4, 2)
    assert batch.flags == {"older than the stored version (the stored one kept)": 1}
    (only,) = batch.events()
    assert isinstance(only, Attack)
    assert only.fatalities is not None
    assert only.fatalities.best == later
    # The version's first row names actor 1, as in any monadic file.
    assert {only.perpetrator, only.target_actor} == {dyadic.perpetrator, dyadic.target_actor}


def _row_numbered(kind: str, monadic: list[str], rows: list[dict[str, str]]) -> str:
    """The monadic rows as written with a column the importer does not read, one
    value per row: R's ``write.csv`` (every cell quoted, the row names under a
    header ``""``), pandas' ``to_csv`` with its index (an unnamed first column from
    0), or ACLED's per-row ``data_id``."""
    if kind == "data_id":
        numbered = [{**row, "data_id": str(1001 + n)} for n, row in enumerate(rows)]
        return write(["data_id", *monadic], numbered)
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if kind == "r" else csv.QUOTE_MINIMAL
    writer = csv.writer(out, lineterminator="\n", quoting=quoting)
    writer.writerow(["", *monadic])
    start = 1 if kind == "r" else 0
    for n, row in enumerate(rows, start=start):
        writer.writerow([str(n), *(row.get(f, "") for f in monadic)])
    return out.getvalue()


@pytest.mark.parametrize("kind", ["r", "pandas", "data_id"])
def test_a_monadic_pair_with_a_row_number_column_merges(kind: str) -> None:
    """A monadic export with a column the importer ignores whose value differs per
    row (R's row names, a pandas index, ``data_id``) merges its pairs as without
    it: only the columns the importer reads must agree."""
    monadic, battle, second = monadic_battle()
    text = _row_numbered(kind, monadic, [battle, second])
    if kind == "r":
        assert text.startswith('"","event_id_cnty"')
        assert text.splitlines()[1].startswith('"1","SYN1"')
    batch = read_acled(io.StringIO(text))
    assert (batch.refused, batch.rows, batch.merged) == ((), 2, 1)
    (attack,) = batch.events()
    assert attack == events(read_acled(NUMERIC))["acled:SYN1"]
    assert isinstance(attack, Attack)
    assert attack.target_actor is not None


def test_a_monadic_row_differing_in_a_read_column_names_it_beside_a_row_number() -> None:
    """With a row number column too, a second row of one event and timestamp that
    differs in a cell the importer reads is refused naming that column."""
    monadic, battle, second = monadic_battle()
    text = _row_numbered("r", monadic, [battle, {**second, "fatalities": "9"}])
    (refused,) = read_acled(io.StringIO(text)).refused
    assert "appears again with different fatalities (first at line 2)" in refused.reason


@pytest.mark.parametrize("inter", ["7", "7.0", "7,0", "Civilians"])
def test_a_monadic_pair_whose_civilians_row_comes_first_reads_as_the_dyadic_row(
    inter: str,
) -> None:
    """Civilians are always ACLED's actor 2 (the codebook: they are the victims), so
    a monadic pair read in either order is the event of the dyadic file: the armed
    actor is the perpetrator, the civilians the target."""
    fields, rows = template()
    monadic = [f for f in fields if f not in {"actor2", "assoc_actor_2", "inter2"}]
    cut = []
    for row in rows:
        if row["inter2"] != "7":
            continue
        cut.append({**row, "actor1": row["actor2"], "assoc_actor_1": "", "inter1": inter})
        cut.append({**row})
    assert len(cut) == 6  # shelling, violence against civilians, mob violence
    labels = {"1": "State forces", "2": "Rebel group", "5": "Rioters"}
    if inter == "Civilians":  # a file with labels has them for every actor
        cut = [{**row, "inter1": labels.get(row["inter1"], row["inter1"])} for row in cut]
    batch = read_acled(io.StringIO(write(monadic, cut)), strict=True)
    dyadic = events(read_acled(NUMERIC))
    merged = events(batch)
    assert set(merged) == {"acled:SYN2", "acled:SYN4"}  # SYN8, mob violence, is skipped
    for eid, record in merged.items():
        assert record == dyadic[eid]


@pytest.mark.parametrize("civilians_first", [False, True])
@pytest.mark.parametrize("name", ["Civilians (Synthetica)", "CIVILIANS (Synthetica)", "Civilians"])
def test_civilians_are_told_by_name_in_a_monadic_file_without_inter_codes(
    civilians_first: bool, name: str
) -> None:
    """Without inter codes (a documented variant of a monadic export), civilians are
    told by their name, as GED's importer tells them: never made an actor, never the
    perpetrator, whichever of the two rows comes first. The event is the dyadic row's:
    the armed group attacks the civilians, named in ``target``."""
    fields, rows = template()
    monadic = [f for f in fields if f not in {"actor2", "assoc_actor_2", "inter2", "inter1"}]
    vac = {**rows[3], "actor2": name}  # SYN4: Synthetic Liberation Front on civilians
    civilians = {**vac, "actor1": name, "assoc_actor_1": ""}
    pair = [civilians, vac] if civilians_first else [vac, civilians]
    batch = read_acled(io.StringIO(write(monadic, pair)), strict=True)
    assert (batch.rows, batch.merged, batch.refused) == (2, 1, ())
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert attack.perpetrator == "actor:synthetic-liberation-front"
    assert attack.target_actor is None
    assert attack.target == name
    assert attack.target_class is TargetClass.CIVILIAN
    actors = {r.id for r in batch.records if r.id.startswith("actor:")}
    assert actors == {"actor:synthetic-liberation-front"}


def test_civilians_are_told_by_name_as_actor2_of_a_file_without_inter_codes() -> None:
    """A dyadic row without ``inter2``: an explosion whose actor2 is ``Civilians
    (Synthetica)`` targets civilians, and the civilians are no actor."""
    fields, rows = template()
    dyadic = [f for f in fields if f not in {"inter1", "inter2", "civilian_targeting"}]
    batch = read_acled(io.StringIO(write(dyadic, [rows[1]])), strict=True)  # SYN2, shelling
    (attack,) = batch.events()
    assert isinstance(attack, Attack)
    assert (attack.target_actor, attack.target) == (None, "Civilians (Synthetica)")
    assert attack.target_class is TargetClass.CIVILIAN
    actors = {r.id for r in batch.records if r.id.startswith("actor:")}
    assert actors == {"actor:military-forces-of-synthetica-2019"}


# ------------------------------------------------------ knowledge time, agreements


def test_known_at_counts_an_event_by_default_but_not_when_certain() -> None:
    fields, rows = template()
    row = {**rows[0], "event_date": "2025-04-10", "year": "2025", "timestamp": "1749000000"}
    # 1749000000 = 2025-06-04T01:20:00Z: ACLED last changed the row in June.
    timeline = Timeline()
    timeline.import_("acled", io.StringIO(write(fields, [row])))
    attack = timeline.get("acled:SYN1").record
    assert attack.reported is not None
    assert attack.reported.earliest == TimeExtent.parse("2025-04-10").earliest
    assert attack.reported.last == TimeExtent.parse("2025-06-04T01:20:00Z").lo
    may = TimeExtent.parse("2025-05-31").latest
    assert attack.reported.possibly_by(may)  # could have been known by 31 May
    assert not attack.reported.certainly_by(may)  # but ACLED does not say it was


def _acled_source_published(attack: Attack) -> TimeExtent:
    (own,) = [s for s in attack.sources if s.publisher == "ACLED"]
    assert own.published is not None
    return own.published


def test_a_timestamp_excel_rounded_is_the_interval_it_rounds_from() -> None:
    """Excel shows a Unix time as ``1.7E+09`` and saves what it shows: two significant
    digits. Every time from 1.65e9 to 1.75e9 seconds rounds to it, so that is when
    ACLED last changed the row: the event is reported no later than the end of it
    (not at 1.7e9, which could be before the real change), and the row is flagged
    with the timestamp as published in its notes."""
    fields, rows = template()
    row = {**rows[0], "event_date": "2023-11-02", "year": "2023", "timestamp": "1.7E+09"}
    batch = read_acled(io.StringIO(write(fields, [row])))
    attack = events(batch)["acled:SYN1"]
    assert isinstance(attack, Attack)
    published = _acled_source_published(attack)
    assert (published.lo, published.last) == (1_650_000_000 * 10**6, 1_750_000_000 * 10**6 - 1)
    assert attack.reported is not None
    assert attack.reported.lo == TimeExtent.parse("2023-11-02").lo
    assert attack.reported.last == 1_750_000_000 * 10**6 - 1
    assert "timestamp as published: 1.7E+09" in attack.notes
    assert sum(batch.flags.values()) == 1


def test_a_deleted_timestamp_excel_rounded_is_flagged_and_kept_in_the_reason() -> None:
    """A deletions list re-saved by Excel holds ``deleted_timestamp`` as ``1.7E+09``:
    as for an export's ``timestamp``, the deletion is dated by the interval of every
    time that rounds to it (1.65e9 to 1.75e9 seconds), the row is flagged
    "deleted_timestamp rounded", and the retraction's reason keeps the value as
    published; a deletion in plain Unix seconds has neither."""
    text = "event_id_cnty,deleted_timestamp\nSYN1,1.7E+09\nSYN2,1700000000\n"
    result = read_acled_deletions(io.StringIO(text), existing={}.get, keep_unheld=True)
    assert result.refused == ()
    rounded, plain = result.records
    assert isinstance(rounded, Retraction)
    assert isinstance(plain, Retraction)
    assert (rounded.occurred.lo, rounded.occurred.last) == (
        1_650_000_000 * 10**6,
        1_750_000_000 * 10**6 - 1,
    )
    assert rounded.reason == (
        "listed in ACLED's deleted events; deleted_timestamp as published: 1.7E+09 "
        "(rounded, as Excel shows large numbers: ACLED deleted the event between "
        "2022-04-15 and 2025-06-15)"
    )
    assert plain.reason == "listed in ACLED's deleted events"
    assert result.flags == {
        "event not imported yet (the deletion kept, to retract it)": 2,
        "deleted_timestamp rounded": 1,
    }


def test_a_rounded_timestamp_with_a_decimal_comma_reads_as_with_a_point() -> None:
    """German or French Excel shows ``1.589E+09`` as ``1,589E+09`` and saves that in a
    ``;`` file: the same interval as the point form, flagged and noted as written."""
    fields, rows = template()
    row = {**rows[0], "event_date": "2020-05-01", "year": "2020"}
    point = read_acled(io.StringIO(write(fields, [{**row, "timestamp": "1.589E+09"}])))
    text = write(fields, [{**row, "timestamp": "1,589E+09"}], delimiter=";")
    assert "Testville;10.5;20.25;1;" in text  # the row as the ; file holds it
    comma = read_acled(io.StringIO(text))
    assert comma.refused == ()
    attack, reference = events(comma)["acled:SYN1"], events(point)["acled:SYN1"]
    assert isinstance(attack, Attack)
    assert isinstance(reference, Attack)
    published = _acled_source_published(attack)
    assert published == _acled_source_published(reference)
    assert (published.lo, published.last) == (1_588_500_000 * 10**6, 1_589_500_000 * 10**6 - 1)
    assert attack.reported == reference.reported
    assert "timestamp as published: 1,589E+09 (rounded" in attack.notes
    assert comma.flags == point.flags == {"timestamp rounded or before the event": 1}


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1,700000123E+09", 1_700_000_123),
        ("1700000123,0", 1_700_000_123),
        ("1.700000123E+09", 1_700_000_123),
        ("1700000123.0", 1_700_000_123),
        ("1700000123", 1_700_000_123),
    ],
)
def test_a_timestamp_that_keeps_every_second_is_that_instant(text: str, seconds: int) -> None:
    fields, rows = template()
    row = {**rows[0], "timestamp": text}
    batch = read_acled(io.StringIO(write(fields, [row])))
    attack = events(batch)["acled:SYN1"]
    assert isinstance(attack, Attack)
    published = _acled_source_published(attack)
    assert published.lo == published.last == seconds * 10**6
    assert "timestamp as published" not in attack.notes
    assert batch.flags == {}


def _stamp_of(batch: ImportBatch, eid: str) -> TimeExtent:
    attack = events(batch)[eid]
    assert isinstance(attack, Attack)
    return _acled_source_published(attack)


@pytest.mark.parametrize(
    ("dates", "stamp"),
    [
        (("5/13/2020", "5/9/2020"), "6/1/2020 9:00"),  # a US file: month first
        (("13/05/2020", "09/05/2020"), "01/06/2020 09:00"),  # a UK file: day first
        (("5/13/2020", "5/9/2020"), "6/1/2020 9:00 AM"),
        (("13.05.2020", "09.05.2020"), "01.06.2020 09:00"),  # German: dots, day first
    ],
)
def test_a_timestamp_excel_resaved_as_a_date_and_time_reads_in_the_files_order(
    dates: tuple[str, str], stamp: str
) -> None:
    """Excel re-saves a timestamp turned into a date and time in the file's numeric
    form; its day and month are in the order the file's event dates settled, in UTC
    (a Unix time written out), and without seconds it is that minute."""
    fields, rows = template()
    first = {**rows[0], "event_id_cnty": "A", "event_date": dates[0], "year": "2020"}
    second = {**rows[0], "event_id_cnty": "B", "event_date": dates[1], "year": "2020"}
    batch = read_acled(io.StringIO(write(fields, [first, {**second, "timestamp": stamp}])))
    assert batch.refused == ()
    published = _stamp_of(batch, "acled:B")
    nine = TimeExtent.parse("2020-06-01T09:00:00Z").lo
    assert (published.lo, published.last) == (nine, nine + 60 * 10**6 - 1)
    assert published.precision.value == "minute"
    b = events(batch)["acled:B"]
    assert isinstance(b, Attack)
    assert b.occurred == TimeExtent.parse("2020-05-09")
    assert b.reported is not None
    assert b.reported.last == nine + 60 * 10**6 - 1
    assert batch.flags == {}


def test_a_timestamp_with_seconds_as_a_date_and_time_is_that_instant() -> None:
    fields, rows = template()
    row = {**rows[0], "event_date": "13/05/2020", "year": "2020"}
    batch = read_acled(io.StringIO(write(fields, [{**row, "timestamp": "01/06/2020 09:00:15"}])))
    published = _stamp_of(batch, "acled:SYN1")
    assert published.lo == published.last == TimeExtent.parse("2020-06-01T09:00:15Z").lo


def test_an_ambiguous_timestamp_follows_the_rule_of_ambiguous_event_dates() -> None:
    """A timestamp whose day and month could be swapped waits, as an event date does,
    for a row that settles the file's order (a date or a timestamp with a number over
    12), and is refused as ambiguous when none does."""
    fields, rows = template()
    base = {**rows[0], "event_date": "2020-05-09", "year": "2020"}
    waits = {**base, "event_id_cnty": "A", "timestamp": "6/7/2020 9:00"}
    settles = {**base, "event_id_cnty": "B", "event_date": "5/13/2020"}
    batch = read_acled(io.StringIO(write(fields, [waits, settles])))
    assert batch.refused == ()
    assert _stamp_of(batch, "acled:A").lo == TimeExtent.parse("2020-06-07T09:00Z").lo
    # A timestamp settles the order for the event dates too.
    dated = {**base, "event_date": "05/06/2020", "timestamp": "13/06/2020 09:00"}
    batch = read_acled(io.StringIO(write(fields, [dated])))
    attack = events(batch)["acled:SYN1"]
    assert isinstance(attack, Attack)
    assert attack.occurred == TimeExtent.parse("2020-06-05")
    # Nothing settles it: refused, naming the timestamp and why.
    batch = read_acled(io.StringIO(write(fields, [waits])))
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (2, "timestamp")
    assert "'6/7/2020' is ambiguous: day and month could be swapped" in refused.reason


def test_a_12_hour_timestamp_waits_for_and_settles_the_files_order_as_a_24_hour_one() -> None:
    """A numeric timestamp on a 12-hour clock (``11/6/2023 9:00 AM``) takes part in
    settling the file's order exactly as ``11/6/2023 9:00`` does: an ambiguous one
    waits for a row that settles it (``11/13/2023 9:00 AM``, month first), and one
    with a number over 12 settles the event dates too (``11/02/2023``: 2 November)."""
    fields, rows = template()
    base = {**rows[0], "event_date": "2023-11-01", "year": "2023"}
    waits = {**base, "event_id_cnty": "A", "timestamp": "11/6/2023 9:00 AM"}
    settles = {**base, "event_id_cnty": "B", "timestamp": "11/13/2023 9:00 PM"}
    batch = read_acled(io.StringIO(write(fields, [waits, settles])))
    assert batch.refused == ()
    assert _stamp_of(batch, "acled:A").lo == TimeExtent.parse("2023-11-06T09:00Z").lo
    assert _stamp_of(batch, "acled:B").lo == TimeExtent.parse("2023-11-13T21:00Z").lo
    dated = {**base, "event_date": "11/02/2023", "timestamp": "11/13/2023 9:00 AM"}
    batch = read_acled(io.StringIO(write(fields, [dated])))
    assert batch.refused == ()
    attack = events(batch)["acled:SYN1"]
    assert isinstance(attack, Attack)
    assert attack.occurred == TimeExtent.parse("2023-11-02")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("11/13/2023 12:00:00 AM", "2023-11-13"),  # US Excel, Power Query, .NET
        ("11/13/2023 11:59 PM", "2023-11-13"),
        ("13/11/2023 9:00PM", "2023-11-13"),
        ("2023-11-13 12:00:00 AM", "2023-11-13"),
    ],
)
def test_an_event_date_with_a_12_hour_time_of_day_reads_as_that_date(text: str, day: str) -> None:
    """``event_date`` may carry a time of day, on a 24-hour or a 12-hour clock: the
    date is read as written and the time dropped."""
    fields, rows = template()
    row = {**rows[0], "event_date": text, "year": "2023"}
    batch = read_acled(io.StringIO(write(fields, [row])))
    assert batch.refused == ()
    (attack,) = batch.events()
    assert attack.occurred == TimeExtent.parse(day)


def test_a_timestamp_before_the_event_is_flagged_and_reported_from_its_start() -> None:
    """ACLED cannot have changed a row before the event it records began: the
    knowledge time starts at the event's start (never before it), the row is flagged,
    and its notes keep the timestamp as published."""
    fields, rows = template()
    # 1700000000 = 2023-11-14T22:13:20Z, six days before the event.
    row = {**rows[0], "event_date": "2023-11-20", "year": "2023", "timestamp": "1700000000"}
    batch = read_acled(io.StringIO(write(fields, [row])))
    attack = events(batch)["acled:SYN1"]
    assert isinstance(attack, Attack)
    assert attack.reported is not None
    start = TimeExtent.parse("2023-11-20").lo
    assert attack.reported.lo == attack.reported.last == start
    assert "timestamp as published: 1700000000" in attack.notes
    assert "before the event began" in attack.notes
    assert sum(batch.flags.values()) == 1
    assert _acled_source_published(attack).lo == 1_700_000_000 * 10**6  # kept as published


def test_skipped_by_design_needs_no_skip_bad_rows_flag() -> None:
    fields, rows = template()
    protests = [r for r in rows if r["event_type"] in {"Protests", "Riots"}]
    batch = read_acled(io.StringIO(write(fields, protests)), strict=True)
    assert batch.refused == ()
    assert batch.out_of_scope == {"Protests": 1, "Riots": 1}


def test_skipped_rows_are_counted_under_the_types_one_name_whatever_its_spelling() -> None:
    """Event types are matched in any case and spacing, and the rows skipped by design
    are counted under the codebook's name of their type: three protests spelled three
    ways are "Protests 3", not three types."""
    fields, rows = template()
    protest = next(r for r in rows if r["event_type"] == "Protests")
    spellings = ["Protests", "PROTESTS", " protests ", "Riots", "riots", "Riots / Protests"]
    subs = {"protests": "Peaceful protest", "riots": "Mob violence"}
    cut = [
        {
            **protest,
            "event_id_cnty": f"P{n}",
            "event_type": kind,
            "sub_event_type": subs.get(kind.strip().casefold(), ""),
        }
        for n, kind in enumerate(spellings)
    ]
    batch = read_acled(io.StringIO(write(fields, cut)), strict=True)
    assert (batch.rows, batch.refused) == (6, ())
    assert batch.out_of_scope == {"Protests": 3, "Riots": 2, "Riots/Protests": 1}


def test_a_row_refused_after_a_flag_is_not_counted_in_the_flags() -> None:
    """The summary's flags count imported rows. A row whose place name is spelled
    otherwise, or whose timestamp Excel rounded, is flagged while it is read; when a
    later cell refuses it (fatalities not a number, an ambiguous actor type), it is not
    counted, and an imported row with the same adjustments is."""
    fields, rows = template()
    battle = rows[0]
    cut = [
        battle,
        {
            **battle,
            "event_id_cnty": "R1",
            "location": battle["location"].upper(),
            "fatalities": "abc",
        },
        {**battle, "event_id_cnty": "R2", "timestamp": "1.7E+09", "inter1": "2,000"},
    ]
    batch = read_acled(io.StringIO(write(fields, cut)))
    assert [r.line for r in batch.refused] == [3, 4]
    assert batch.flags == {}
    taken = [battle, {**battle, "event_id_cnty": "R2", "timestamp": "1.7E+09"}]
    assert sum(read_acled(io.StringIO(write(fields, taken))).flags.values()) == 1


# ------------------------------------------------------------------ date_order given


def _read_ordered(rows: list[dict[str, str]], order: str | None) -> ImportBatch:
    fields, _ = template()
    return read_acled(io.StringIO(write(fields, rows)), date_order=order)


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("day-first", {"acled:A": "2020-06-05", "acled:B": "2020-08-07"}),
        ("month-first", {"acled:A": "2020-05-06", "acled:B": "2020-07-08"}),
    ],
)
def test_a_given_date_order_reads_dates_no_row_settles(
    order: str, expected: dict[str, str]
) -> None:
    """A file whose numeric dates all have a day of 12 or less is refused whole by
    default; with ``date_order`` each date is read in the order given: 05/06/2020 is
    5 June day first and 6 May month first."""
    _, rows = template()
    base = {**rows[0], "year": "2020"}
    cut = [
        {**base, "event_id_cnty": "A", "event_date": "05/06/2020"},
        {**base, "event_id_cnty": "B", "event_date": "07/08/2020"},
    ]
    unsettled = _read_ordered(cut, None)
    assert unsettled.events() == ()
    assert [r.field for r in unsettled.refused] == ["event_date", "event_date"]
    assert "give it: the date_order option, --date-order" in unsettled.refused[0].reason
    batch = _read_ordered(cut, order)
    assert batch.refused == ()
    found = {eid: r.occurred for eid, r in events(batch).items()}  # type: ignore[attr-defined]
    assert found == {eid: TimeExtent.parse(day) for eid, day in expected.items()}


def test_a_given_date_order_refuses_a_date_that_cannot_be_read_in_it() -> None:
    """Given day first, ``05/13/2020`` (month 13) is refused on its own, naming the
    field and the order given, not read month first; the file's other rows import,
    and ``13/05/2020`` is 13 May as the order says."""
    _, rows = template()
    base = {**rows[0], "year": "2020"}
    cut = [
        {**base, "event_id_cnty": "A", "event_date": "13/05/2020"},
        {**base, "event_id_cnty": "B", "event_date": "05/13/2020"},
    ]
    batch = _read_ordered(cut, "day-first")
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (3, "event_date")
    assert refused.reason == (
        "'05/13/2020' is not a date written day first, as date_order='day-first' says "
        "the file's dates are: its month would be 13"
    )
    assert [r.occurred for r in batch.events()] == [TimeExtent.parse("2020-05-13")]  # type: ignore[attr-defined]
    # The other way round: month first refuses 13/05/2020.
    batch = _read_ordered(cut, "month-first")
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (2, "event_date")
    assert "its month would be 13" in refused.reason


def test_a_given_date_order_rules_dotted_dates_and_timestamps_too() -> None:
    """The order given is the file's for every numeric date: a dotted one (read day
    first when nothing is given) and a timestamp Excel re-saved (``6/7/2020 9:00``)."""
    _, rows = template()
    base = {**rows[0], "year": "2020"}
    dotted = {**base, "event_id_cnty": "A", "event_date": "9.5.2020"}
    assert events(_read_ordered([dotted], None))["acled:A"].occurred == TimeExtent.parse(  # type: ignore[attr-defined]
        "2020-05-09"
    )
    stamped = {**dotted, "timestamp": "6/7/2020 9:00"}
    batch = _read_ordered([stamped], "month-first")
    assert batch.refused == ()
    assert events(batch)["acled:A"].occurred == TimeExtent.parse("2020-09-05")  # type: ignore[attr-defined]
    assert _stamp_of(batch, "acled:A").lo == TimeExtent.parse("2020-06-07T09:00Z").lo


def test_a_date_order_that_is_neither_is_refused_naming_the_option() -> None:
    """``date_order`` is day first or month first, in any case and with ``_``; any
    other value stops the import before a row is read, naming the importer and the
    option."""
    _, rows = template()
    row = {**rows[0], "event_id_cnty": "A", "event_date": "05/06/2020", "year": "2020"}
    assert _read_ordered([row], "DAY_FIRST").refused == ()
    with pytest.raises(ImportDataError, match=r"importer 'acled': option 'date_order': 'dmy'"):
        _read_ordered([row], "dmy")
    for name in ("ucdp", "acled-deletions", "ucdp-peace-agreements", "pax"):
        with pytest.raises(ImportDataError, match=rf"importer '{name}': option 'date_order'"):
            Timeline().import_(name, io.StringIO("a\n1\n"), date_order="ymd")


def test_a_deletions_list_reads_a_numeric_deletion_time_in_the_order_given() -> None:
    """A deletion time Excel re-saved (``6/7/2023 9:00``) is refused as ambiguous
    without ``date_order`` (a deletions list has no dates to settle it) and read in
    the order given with it."""
    text = "event_id_cnty,deleted_timestamp\nSYN1,6/7/2023 9:00\n"
    unsettled = read_acled_deletions(io.StringIO(text), existing={}.get, keep_unheld=True)
    assert [r.field for r in unsettled.refused] == ["deleted_timestamp"]
    batch = read_acled_deletions(
        io.StringIO(text), existing={}.get, keep_unheld=True, date_order="day-first"
    )
    (retraction,) = batch.records
    assert isinstance(retraction, Retraction)
    assert retraction.occurred.lo == TimeExtent.parse("2023-07-06T09:00Z").lo
    # A date alone (no time of day) the order rules out: refused saying so.
    ruled_out = "event_id_cnty,deleted_timestamp\nSYN1,05/13/2023\n"
    batch = read_acled_deletions(
        io.StringIO(ruled_out), existing={}.get, keep_unheld=True, date_order="day-first"
    )
    (refused,) = batch.refused
    assert refused.field == "deleted_timestamp"
    assert "not a date written day first, as date_order='day-first'" in refused.reason


# ------------------------------------------------------- Excel serial day numbers

# Excel's 1900 date system counts days from 1899-12-30: 43960 is 2020-05-09 (43831 is
# 2020-01-01, and 9 May is the 130th day of 2020); its 1904 system counts from
# 1904-01-01, 1,462 days later: 43960 is 2024-05-10 there.


@pytest.mark.parametrize("written", ["43960", "43960.0", "43960.5", " 43960 "])
def test_an_event_date_as_an_excel_serial_number_is_that_day_kept_in_the_notes(
    written: str,
) -> None:
    """A date cell whose date format Excel lost holds its serial day number: five
    digits (with a time of day as a fraction) are that day on Excel's 1900 system (a
    CSV does not say its workbook's), the number kept in the notes, unflagged; a row
    whose ``year`` is not the serial's year is flagged as any such row is."""
    _, rows = template()
    row = {**rows[0], "event_id_cnty": "S", "event_date": written, "year": "2020"}
    batch = _read_ordered([row], None)
    assert batch.refused == ()
    attack = events(batch)["acled:S"]
    assert isinstance(attack, Attack)
    assert attack.occurred == TimeExtent.parse("2020-05-09")
    said = f"event_date {written.strip()}: an Excel serial day number, read as 2020-05-09"
    assert said in attack.notes
    assert batch.flags == {}
    other_year = _read_ordered([{**row, "year": "2024"}], None)
    assert other_year.flags == {"year differs from event_date": 1}
    # Four digits are a year, not a day; five with a leading 0, or digits of another
    # script, are no serial day either: refused as no date.
    for other in ("2020", "04396", "\u0664\u0663\u0669\u0666\u0660"):
        (refused,) = _read_ordered([{**row, "event_date": other}], None).refused
        assert refused.field == "event_date"


@pytest.mark.parametrize("date1904", [False, True])
def test_a_workbooks_serial_event_dates_are_read_on_its_own_date_system(
    tmp_path: Path, date1904: bool
) -> None:
    """In an .xlsx saved on Excel's 1904 date system the serial day number counts
    from 1904-01-01, and the note says so; on the 1900 system from 1899-12-30."""
    pytest.importorskip("python_calamine")
    from workbooks import WRITERS

    fields, rows = template()
    row = {
        **rows[0],
        "event_id_cnty": "S",
        "year": "2024" if date1904 else "2020",
        "timestamp": "1735689600",  # 2025-01-01: after either reading
    }
    book = tmp_path / "acled.xlsx"
    cells: list[list[str | float]] = [
        fields,
        [43960 if f == "event_date" else row.get(f, "") for f in fields],
    ]
    WRITERS[".xlsx"](book, cells, date1904=date1904)
    batch = read_acled(book)
    assert batch.refused == ()
    attack = events(batch)["acled:S"]
    assert isinstance(attack, Attack)
    day, on = ("2024-05-10", " on Excel's 1904 date system") if date1904 else ("2020-05-09", "")
    assert attack.occurred == TimeExtent.parse(day)
    assert f"event_date 43960: an Excel serial day number{on}, read as {day}" in attack.notes
    assert batch.flags == {}


@pytest.mark.parametrize("cell", ["", "NA", " "])
def test_an_attacks_empty_fatalities_is_an_unknown_figure_flagged(cell: str) -> None:
    """ACLED writes 0 when no deaths are reported: an attack whose ``fatalities`` is
    empty (or R's ``NA``) lost its count on the way. Its figure is unknown, not 0, the
    row is flagged "fatalities empty", and the notes say so (``NA`` and an empty
    cell alike: the same data saved by R or by pandas is one record); a 0 is the
    count 0, unflagged."""
    _, rows = template()
    battle = {**rows[0], "event_id_cnty": "F", "year": "2020", "event_date": "2020-05-09"}
    batch = _read_ordered([{**battle, "fatalities": cell}], None)
    attack = events(batch)["acled:F"]
    assert isinstance(attack, Attack)
    assert attack.fatalities is None
    assert batch.flags == {"fatalities empty": 1}
    assert "fatalities as published: empty (ACLED writes 0 when no deaths" in attack.notes
    assert attack == events(_read_ordered([{**battle, "fatalities": ""}], None))["acled:F"]
    counted = _read_ordered([{**battle, "fatalities": "0"}], None)
    zero = events(counted)["acled:F"]
    assert isinstance(zero, Attack)
    assert zero.fatalities is not None
    assert zero.fatalities.best == 0
    assert counted.flags == {}


# ------------------------------------------------- pandas' nan (a file saved as text)

_WHOLE = re.compile(r"-?\d+")


def pandas_text(text: str, nan: str = "nan") -> str:
    """``text`` as pandas writes it once read and saved as text
    (``df.astype(str).to_csv()``): every empty cell ``nan``, and a column of whole
    numbers with an empty cell as floats (``3.0``)."""
    header, *rows = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    floats = {
        i
        for i in range(len(header))
        if any(not r[i].strip() for r in rows)
        and any(r[i].strip() for r in rows)
        and all(_WHOLE.fullmatch(r[i].strip()) for r in rows if r[i].strip())
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [(f"{v}.0" if i in floats else v) if v.strip() else nan for i, v in enumerate(row)]
        )
    return out.getvalue()


def _forms() -> dict[str, str]:
    """The ACLED forms a pandas re-save goes through: today's file (numeric and text
    ``inter`` codes), one before 2019 (``ally_actor_*``, its event types, an empty
    ``fatalities`` making the column floats) and a monadic export."""
    monadic, battle, second = monadic_battle()
    old = [
        old_row("SYN1", "Battle-No change of territory"),
        old_row("SYN2", "Remote violence", actor2="", ally_actor_2="", inter2="0"),
        old_row("SYN3", "Violence against civilians", fatalities="", admin2="West"),
        old_row("SYN4", "Strategic development", actor2="", ally_actor_2="", inter2="0"),
    ]
    return {
        "numeric": NUMERIC.read_text(encoding="utf-8-sig"),
        "text": (DATA / "acled-synthetic-text-inter.csv").read_text(encoding="utf-8"),
        "pre-2019": write(PRE_2019, old),
        "monadic": write(monadic, [battle, second]),
    }


@pytest.mark.parametrize("nan", ["nan", "NaN"])
@pytest.mark.parametrize("form", ["numeric", "text", "pre-2019", "monadic"])
def test_acled_saved_by_pandas_as_text_with_nan_for_empty_is_the_published_file(
    form: str, nan: str
) -> None:
    """Every form, re-saved by pandas as text, imported over the file as published
    changes nothing and refuses nothing (it used to correct every event but the
    protests, refuse the row with no coordinates (``latitude nan``), and name places
    and associated actors "nan")."""
    text = _forms()[form]
    resaved = pandas_text(text, nan)
    assert f",{nan}," in resaved
    timeline = Timeline()
    first = timeline.import_("acled", io.StringIO(text))
    assert first.refused == ()
    again = timeline.import_("acled", io.StringIO(resaved))
    assert again.refused == ()
    assert (again.appended, again.accepted, again.corrections, again.retractions) == (0, 0, 0, 0)
    assert again.flags == first.flags
    batch = read_acled(io.StringIO(resaved))
    names = [r.name for r in batch.records if isinstance(r, PlaceDefined | ActorDefined)]
    assert [n for n in names if n.strip().casefold() == "nan"] == []


def test_the_pre_2019_form_re_saved_by_pandas_has_fatalities_as_floats() -> None:
    """The pre-2019 form above does hold what the rule is about: an empty
    ``fatalities`` (the column then floats), an empty ``actor2``."""
    resaved = pandas_text(_forms()["pre-2019"])
    assert ",nan,nan,0,12,Synthetica," in resaved  # actor2, ally_actor_2; inter2 0
    assert ",2.0\n" in resaved
    assert ",nan\n" in resaved  # SYN3's fatalities


def _nan_province(admin1: str, **cells: str) -> dict[str, str]:
    _fields, rows = template()
    return {
        **rows[0],
        "country": "Thailand",
        "admin1": admin1,
        "admin2": "Mueang Nan",
        "admin3": "",
        "location": "Nan",
        **cells,
    }


@pytest.mark.parametrize("missing", ["", "nan", "NaN"])
def test_the_province_and_town_named_nan_stay_nan_beside_a_missing_admin1_written_nan(
    missing: str,
) -> None:
    """Nan is a Thai province and its capital (ACLED's ``admin1`` and ``location``).
    Beside a row whose ``admin1`` is empty (as published) or written ``nan``/``NaN``
    (pandas' missing value), the word stays a name: the first event is in the town Nan
    of the province Nan, the second in the town Nan of no province, and no place is
    named "nan" (nor "" for an ``admin3`` written ``nan``)."""
    fields, _rows = template()
    rows = [
        _nan_province("Nan", admin3=missing.strip() and missing),
        _nan_province(missing, event_id_cnty="SYN9"),
    ]
    batch = read_acled(io.StringIO(write(fields, rows)))
    assert batch.refused == ()
    places = {r.id: r.name for r in batch.records if isinstance(r, PlaceDefined)}
    assert places == {
        "place:thailand": "Thailand",
        "place:thailand/nan": "Nan",
        "place:thailand/nan/mueang-nan": "Mueang Nan",
        "place:thailand/nan/mueang-nan/nan": "Nan",
        "place:thailand/mueang-nan": "Mueang Nan",
        "place:thailand/mueang-nan/nan": "Nan",
    }
    first, second = (r for r in batch.events() if isinstance(r, Attack))
    assert first.place == "place:thailand/nan/mueang-nan/nan"
    assert second.place == "place:thailand/mueang-nan/nan"


@pytest.mark.parametrize("word", ["Nan", "NAN", "nAn"])
def test_nan_in_another_case_is_the_word_as_written(word: str) -> None:
    """Only pandas' two spellings are a missing value: in another case the cell is the
    word, a place name (``admin3``), an associated actor, and no number
    (``fatalities``: refused as for any text)."""
    fields, rows = template()
    row = {**rows[0], "admin3": word, "assoc_actor_1": word}
    batch = read_acled(
        io.StringIO(write(fields, [row, {**row, "event_id_cnty": "X2", "fatalities": word}]))
    )
    places = {r.id: r.name for r in batch.records if isinstance(r, PlaceDefined)}
    assert places["place:synthetica/north-province/lake-district/nan"] == word
    (attack,) = batch.events()
    assert f"associated with actor1: {word}" in attack.notes
    assert [(r.line, r.field) for r in batch.refused] == [(3, "fatalities")]


@pytest.mark.parametrize("nan", ["nan", "NaN"])
def test_a_deletions_list_saved_by_pandas_reads_nan_as_empty(nan: str) -> None:
    """ACLED's deletions list re-saved by pandas writes a missing deletion time as
    ``nan``: an empty cell, refused as one ("is empty"), as the published list's empty
    cell is, not as a time that cannot be read; the other deletion applies."""
    timeline = Timeline()
    timeline.import_("acled", io.StringIO(_forms()["numeric"]))
    listed = f"event_id_cnty,deleted_timestamp\nSYN1,{nan}\nSYN2,1700000001\n"
    summary = timeline.import_("acled-deletions", io.StringIO(listed), strict=False)
    assert [(r.field, r.reason) for r in summary.refused] == [
        ("deleted_timestamp", "is empty; ACLED dates every deletion")
    ]
    assert summary.retractions == 1
