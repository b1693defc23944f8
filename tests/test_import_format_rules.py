"""Rules of reading Stata files, JSON answers and workbooks that a user relies on,
each pinned by a hand-written expected value (importers/_formats.py, _json.py and
the workbook reader of _rows.py): every row read as the publisher wrote it, nothing
silently dropped or changed, a refusal naming the file and why."""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

import workbooks
from conflict_timeline import ImportDataError, MissingExtraError
from conflict_timeline.importers._rows import BadRow, open_table


def _pd() -> Any:
    """pandas, which writes the Stata files here (the ``stata`` extra); else skip."""
    return pytest.importorskip("pandas")


def _cells(data: bytes, *columns: str) -> list[list[str]]:
    """The cells of ``columns`` of every row of a file's bytes, as the reader gives them."""
    with open_table(io.BytesIO(data), required=columns) as table:
        at = [table.index(c) for c in columns]
        return [[cells[i] for i in at] for _, cells in table.rows]


def _stata(frame: object, **options: object) -> bytes:
    buffer = io.BytesIO()
    frame.to_stata(buffer, write_index=False, **options)  # type: ignore[attr-defined]
    return buffer.getvalue()


# ---------------------------------------------------------------------------- Stata


def test_an_old_stata_file_written_high_low_is_known_by_its_bytes() -> None:
    """Stata 4 to 12 wrote the byte order of the machine: a file from a big-endian one
    (byte order 1, "high-low") is a Stata file as the low-high one is."""
    data = _stata(
        _pd().DataFrame({"name": ["Bogotá", "Kabul"], "n": [1, 2]}), version=114, byteorder=">"
    )
    assert data[:4] == b"r\x01\x01\x00"
    assert _cells(data, "name", "n") == [["Bogotá", "1"], ["Kabul", "2"]]


@pytest.mark.parametrize("name", ["ged.DTA", "ged.Dta"])
def test_a_file_named_dta_in_any_case_that_is_no_stata_file_is_refused(
    tmp_path: Path, name: str
) -> None:
    """A suffix is compared in any case, as Windows names files: a CSV named
    ``ged.DTA`` is refused as no Stata file, not read as the CSV it holds."""
    path = tmp_path / name
    path.write_bytes(b"id,year\n1,2020\n")
    with pytest.raises(ImportDataError, match=rf"{name} is named \.dta but is not a Stata data"):
        open_table(path, required=("id",)).__enter__()


@pytest.mark.parametrize("name", ["ged.rds", "ged.RData", "ged.rda"])
def test_a_file_named_as_r_data_is_refused_as_r_data(tmp_path: Path, name: str) -> None:
    """R's suffixes (``.rds``, ``.RData`` and ``.rda``, which save() writes) say an R
    data file even when its bytes are not known here (a newer compression)."""
    path = tmp_path / name
    path.write_bytes(b"\x28\xb5\x2f\xfd" + bytes(40))
    with pytest.raises(ImportDataError, match=rf"^{name} is an R data file, not a table"):
        open_table(path, required=("id",)).__enter__()


@pytest.mark.parametrize("version", [114, 117])
def test_an_old_stata_files_every_cp1252_letter_asks_for_the_encoding(version: int) -> None:
    """Every byte Latin-1 reads as a control character (0x80 to 0x9F) says the file is
    in another encoding, to the last: 0x9F, cp1252's Ÿ, is refused by its line, and
    read as Ÿ when cp1252 is named; in Stata 10 to 12's format and in Stata 13's
    (117, the first with tags, the last in the system's 8-bit encoding)."""
    data = _stata(_pd().DataFrame({"name": ["Kabul", "Ha\x9fti"]}), version=version)
    with pytest.raises(ImportDataError, match=r"line 3: name: byte 0x9f, a control character"):
        _cells(data, "name")
    with open_table(io.BytesIO(data), required=("name",), encoding="cp1252") as table:
        assert [cells[table.index("name")] for _, cells in table.rows] == ["Kabul", "HaŸti"]


def _int_as(fmt: bytes, *values: int) -> bytes:
    """A Stata 15 file of one long variable ``d`` holding ``values``, displayed ``fmt``."""
    data = _stata(_pd().DataFrame({"d": _pd().Series(values, dtype="int32")}), version=118)
    assert data.count(b"%12.0g\x00") == 1
    return data.replace(b"%12.0g\x00", fmt.ljust(7, b"\x00"))


def test_stata_periods_before_1960_count_back_from_it() -> None:
    """Stata counts weeks, months and quarters from 1960's first: -1 is the last one of
    1959 (1959w52, 1959m12, 1959q4), not one of 1960."""
    assert _cells(_int_as(b"%tw", -1, -52, 0), "d") == [["1959w52"], ["1959w1"], ["1960w1"]]
    assert _cells(_int_as(b"%tm", -1, -13, 0), "d") == [["1959m12"], ["1958m12"], ["1960m1"]]
    assert _cells(_int_as(b"%tq", -1, -4), "d") == [["1959q4"], ["1959q1"]]


def test_a_stata_day_in_the_old_d_format_is_a_day() -> None:
    """Stata 9 and earlier displayed a day as ``%d`` (today's ``%td``): 22044 is
    2020-05-09, -1 is 1959-12-31."""
    assert _cells(_int_as(b"%d", 22044, -1), "d") == [["2020-05-09"], ["1959-12-31"]]


def test_a_stata_day_beyond_the_year_9999_is_its_number_as_written() -> None:
    """A day number past the year 9999 (a typo, a sentinel) is kept as written, not
    dropped: 3000000."""
    assert _cells(_int_as(b"%td", 22044, 3_000_000), "d") == [["2020-05-09"], ["3000000"]]


def test_a_stata_time_keeps_its_milliseconds() -> None:
    """%tc counts milliseconds: 13:45:30.250 is read with them, 13:45:30 without."""
    frame = _pd().DataFrame(
        {"t": [dt.datetime(2020, 5, 9, 13, 45, 30, 250_000), dt.datetime(2020, 5, 9, 13, 45, 30)]}
    )
    data = _stata(frame, version=118, convert_dates={"t": "tc"})
    assert _cells(data, "t") == [["2020-05-09T13:45:30.250"], ["2020-05-09T13:45:30"]]


# ----------------------------------------------------------------------- JSON answers


def _json_cells(text: str, *columns: str) -> list[list[str]]:
    with open_table(io.StringIO(text), required=columns) as table:
        at = [table.index(c) for c in columns]
        return [[cells[i] for i in at] for _, cells in table.rows]


@pytest.mark.parametrize("answer", ['{"data": [{"id": "1"}]}', '[{"id": "1"}]'])
@pytest.mark.parametrize("after", [" x", " {}", ' {"data": []}', ' [{"id": "2"}]'])
def test_text_after_an_answer_is_not_json(answer: str, after: str) -> None:
    """After the answer (an object, or a list of rows) nothing but white space may
    follow: two answers saved into one file are refused, not read as the first."""
    with pytest.raises(ImportDataError, match="more text after the JSON value"):
        _json_cells(answer + after, "id")


def test_a_key_spelled_twice_with_spaces_is_refused_naming_both_spellings() -> None:
    """Keys match without surrounding spaces: ``" fatalities "`` and ``"fatalities"``
    in one row with different values make the row a bad row naming both keys as the
    file spells them; the other columns of the row are its own."""
    text = (
        '{"data": [{"id": "1", " fatalities ": "5", "fatalities": "3"},'
        ' {"id": "2", " fatalities ": "7"}]}'
    )
    with open_table(io.StringIO(text), required=("id", "fatalities")) as table:
        at = [table.index("id"), table.index("fatalities")]
        found = list(table.rows)
    bad = found[0][1]
    assert isinstance(bad, BadRow)
    assert bad.reason == (
        "keys ' fatalities ' and 'fatalities' name one column (fatalities) with "
        "different values ('5', '3'); give it once"
    )
    assert [found[1][1][i] for i in at] == ["2", "7"]


# -------------------------------------------------------------------------- workbooks


def _book(tmp_path: Path, cells: str, *, workbook_pr: str = "") -> Path:
    """An .xlsx of one sheet whose first row is ``cells`` (SpreadsheetML ``<c>``s)."""
    ns = "http://schemas.openxmlformats.org"
    path = tmp_path / "book.xlsx"
    workbooks._package(  # the tests' own writer, with cells of any type
        path,
        "xml",
        {
            "workbook": "application/vnd.openxmlformats-officedocument.spreadsheetml."
            "sheet.main+xml",
            "worksheet": "application/vnd.openxmlformats-officedocument.spreadsheetml."
            "worksheet+xml",
            "styles": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
        },
        book=(
            f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/'
            f'2006/relationships">{workbook_pr}<sheets><sheet name="Sheet1" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>'
        ),
        styles=(
            f'<styleSheet xmlns="{ns}/spreadsheetml/2006/main"><cellXfs count="1">'
            '<xf numFmtId="0"/></cellXfs></styleSheet>'
        ),
        sheet=(
            f'<worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData><row r="1">'
            '<c r="A1" t="inlineStr"><is><t>id</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>value</t></is></c></row>'
            f'<row r="2"><c r="A2"><v>1</v></c>{cells}</row></sheetData></worksheet>'
        ),
    )
    return path


@pytest.mark.parametrize(("declared", "system"), [("1", 1904), ("true", 1904), ("0", 1900)])
def test_a_workbooks_date_system_is_read_as_declared(
    tmp_path: Path, declared: str, system: int
) -> None:
    """``date1904`` is an XML boolean: ``1`` or ``true`` is the 1904 date system."""
    pytest.importorskip("python_calamine")
    path = _book(
        tmp_path, '<c r="B2"><v>33718</v></c>', workbook_pr=f'<workbookPr date1904="{declared}"/>'
    )
    with open_table(path, required=("id",)) as table:
        assert table.date_system == system


def test_a_workbook_without_the_extra_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without python-calamine a workbook is refused naming the file and the extra
    that reads it (``excel``), by name and as pip installs it."""
    path = _book(tmp_path, '<c r="B2"><v>2</v></c>')
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # as if not installed
    with pytest.raises(MissingExtraError) as raised:
        open_table(path, required=("id",)).__enter__()
    message = str(raised.value)
    assert message.startswith("book.xlsx is an Excel workbook; install the 'excel' extra")
    assert "pip install 'conflict_timeline[excel]'" in message


def test_a_workbook_is_read_from_its_first_sheet(tmp_path: Path) -> None:
    """Of a workbook of several sheets (the data, then a sheet of notes), the first
    is read, whichever else follows."""
    pytest.importorskip("python_calamine")
    path = _book(tmp_path, '<c r="B2"><v>7</v></c>')
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    ns = b"http://schemas.openxmlformats.org"
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>", b'<sheet name="Notes" sheetId="2" r:id="rId3"/></sheets>'
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId3" Type="' + ns + b"/officeDocument/2006/relationships/"
        b'worksheet" Target="worksheets/sheet2.xml"/></Relationships>',
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    )
    parts["xl/worksheets/sheet2.xml"] = (
        b'<worksheet xmlns="' + ns + b'/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>id</t></is></c></row><row r="2">'
        b'<c r="A2" t="inlineStr"><is><t>a note</t></is></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    assert _cells(path.read_bytes(), "id", "value") == [["1", "7"]]
