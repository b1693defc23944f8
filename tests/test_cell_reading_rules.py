"""How cells and files as tools write them are read: rules of
docs/howto/import-acled-vintages.md ("Dates in every form", "Headers, delimiters,
encodings, workbooks") and of the readers' docstrings, pinned here against the
dates and cells a reader of the rule expects (found unpinned by a mutation audit of
``importers/_cells.py`` and ``importers/_rows.py`` on 7 December 2026).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from conflict_timeline.importers import read_acled
from conflict_timeline.importers._cells import date_order_option, whole
from conflict_timeline.importers._rows import open_table
from test_import_format_rules import _cells
from test_importer_mapping_rules import COLUMNS, ROW, _event, _read, _refused


def _day(record: Any) -> str:
    return str(record.occurred.earliest.date())


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("05NOV2023", "2023-11-05"),  # Stata's %td, upper case as Stata shows it
        ("05nov2023", "2023-11-05"),
        ("05.Nov.2023", "2023-11-05"),  # a month name between dots
        ("05.November.2023", "2023-11-05"),
        ("November 5 2023", "2023-11-05"),  # a month first, with or without the comma
        ("November 5, 2023", "2023-11-05"),
        (" 2023-11-05 ", "2023-11-05"),  # spaces around the date
        (" 13/11/2023", "2023-11-13"),
        ("11/13/2023 12:00:00 am", "2023-11-13"),  # am/pm in any case
        ("11/14/2023 9:00pm", "2023-11-14"),
        ("11/14/2023 9:00 PM", "2023-11-14"),
    ],
)
def test_a_date_in_a_form_a_tool_writes_is_read(cell: str, day: str) -> None:
    assert _day(_event(event_date=cell)) == day


@pytest.mark.parametrize("cell", ["13/05-2023", "13-05/2023", "05.11/2023"])
def test_a_date_whose_separators_differ_is_no_date(cell: str) -> None:
    field, reason = _refused(event_date=cell)
    assert field == "event_date"
    assert "is not a date" in reason


def test_a_dotted_date_is_day_first_whatever_order_the_slashed_dates_settle() -> None:
    # 12/13/2023 settles the file's slashed dates month first; a dotted date is day
    # first unless its numbers rule that out, whatever the slashes say.
    batch = _read(
        {"event_date": "12/13/2023"},
        {"event_date": "05.06.2023"},
        {"event_date": "13.05.2023"},
    )
    assert batch.refused == ()
    days = {r.id: _day(r) for r in batch.records if r.id.startswith("acled:")}
    assert days == {
        "acled:SYN1": "2023-12-13",
        "acled:SYN2": "2023-06-05",
        "acled:SYN3": "2023-05-13",
    }


@pytest.mark.parametrize(
    ("cell", "number"),
    [("1648.0", "1648"), ("1648.00", "1648"), ("3.000", "3"), (" 7 ", "7"), ("-2.0", "-2")],
)
def test_a_whole_number_written_as_a_float_with_nothing_after_the_point_is_the_number(
    cell: str, number: str
) -> None:
    assert whole(cell) == number
    assert whole("1648.5") == "1648.5"  # something after the point: left as written


def test_codes_written_as_floats_with_two_zeros_are_read_as_the_codes() -> None:
    record = _event(time_precision="1.00", geo_precision="1.00", inter1="1.00")
    batch = _read({"time_precision": "1.00", "geo_precision": "1.00", "inter1": "1.00"})
    assert not [flag for flag in batch.flags if "not 1-3" in flag], batch.flags
    assert "as published" not in (record.notes or "")


@pytest.mark.parametrize("value", [" day-first ", "Day_First", "DAY-FIRST\t"])
def test_the_date_order_option_is_read_in_any_case_and_spacing(value: str) -> None:
    assert date_order_option("acled", value) == "day-first"


def _rows(text: str, *columns: str) -> list[list[str]]:
    return _cells(text.encode(), *columns)


def test_a_header_of_three_names_repeated_is_no_row() -> None:
    header = "event_id_cnty,deleted_timestamp,reason\n"
    text = header + "X1,1700000000,a\n" + header + "X2,1700000001,b\n"
    rows = _rows(text, "event_id_cnty", "deleted_timestamp")
    assert rows == [["X1", "1700000000"], ["X2", "1700000001"]]


def test_a_header_behind_a_pandas_index_column_repeated_is_no_row() -> None:
    header = ",event_id_cnty,event_date,fatalities\n"
    text = header + "0,X1,2023-11-05,3\n" + header + "0,X2,2023-11-06,4\n"
    rows = _rows(text, "event_id_cnty", "fatalities")
    assert rows == [["X1", "3"], ["X2", "4"]]


def test_only_a_cell_holding_exactly_na_is_missing() -> None:
    rows = _rows("id,a,b,c\nX1,NA, NA ,na\n", "id", "a", "b", "c")
    assert rows == [["X1", "", " NA ", "na"]]


def test_header_names_are_matched_without_their_surrounding_spaces() -> None:
    rows = _rows(" id , event_date \nX1,2023-11-05\n", "id", "event_date")
    assert rows == [["X1", "2023-11-05"]]


@pytest.mark.parametrize("hint", ["sep=;", "sep=; ", " sep=;"])
def test_excels_separator_hint_is_taken_with_spaces_around_it(hint: str) -> None:
    rows = _rows(f"{hint}\nid;a\nX1;5\n", "id", "a")
    assert rows == [["X1", "5"]]


def test_a_two_digit_year_is_settled_only_for_a_date_it_reads() -> None:
    # A cell that is no date says so, not that its year needs settling.
    field, reason = _refused(event_date="5-Foo-23", year="")
    assert (field, reason.split(" (")[0]) == ("event_date", "'5-Foo-23' is not a date")
    # The row's year cell is named when it holds something that is no year (a year
    # with a thousands separator, 2,023, is one: test_import_acled_vintages).
    field, reason = _refused(event_date="5-Nov-23", year="c. 2023")
    assert reason == (
        "'5-Nov-23' has a two-digit year and the row's year 'c. 2023' is not a year to settle it"
    )


def test_a_header_repeated_in_another_order_is_not_followed_when_a_name_is_given_twice() -> None:
    # Two columns of one name (in any case) cannot be told apart by a header in
    # another order: its rows are left as written, for the importer to refuse, not
    # realigned (which would drop one of the two cells without a word).
    text = "id,a,notes,Notes\nX1,5,n1,n1\nid,notes,a,Notes\nX2,n1,5,n2\n"
    with open_table(io.BytesIO(text.encode()), required=("id", "a")) as table:
        rows = list(table.rows)
    assert rows[-1] == (4, ["X2", "n1", "5", "n2"])


def test_a_row_under_a_reordered_header_with_a_name_twice_is_refused_saying_so() -> None:
    columns = [*COLUMNS, "Notes"]  # "notes" and "Notes": one name, given twice
    reordered = [columns[1], columns[0], *columns[2:]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for header, n in ((columns, 1), (reordered, 2)):
        cells = {**ROW, "event_id_cnty": f"SYN{n}", "Notes": ROW["notes"]}
        writer.writerow(header)
        writer.writerow([cells.get(column, "") for column in header])
    batch = read_acled(io.StringIO(out.getvalue()))
    (refused,) = [r for r in batch.refused if r.line == 4]
    assert "the same names in another order, notes given twice" in refused.reason
    assert "another count" not in refused.reason
