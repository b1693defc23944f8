"""Rules of the shared reader (``importers/_rows.py``, ``_cells.py``, ``_json.py``) that
a mutation run found no test pinning: each test states the behaviour its docstring
names, from the reader's documentation (the module docstrings, docs/howto/import.md,
docs/howto/import-acled-vintages.md), with the expected value written out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest

from conflict_timeline import ImportDataError, Timeline
from conflict_timeline._serialization import canonical_bytes
from conflict_timeline.importers import ImportBatch, _rows, read_acled, read_ucdp
from conflict_timeline.importers._batch import Refusal
from conflict_timeline.importers._cells import whole_number
from conflict_timeline.importers._rows import (
    BadRow,
    _cell_text,
    _is_header,
    nan_as_empty,
    open_table,
)
from workbooks import WRITERS, ErrorCell, xls, xlsx

DATA = Path(__file__).parent / "data"
ACLED = DATA / "acled-synthetic-numeric-inter.csv"
GED = DATA / "ucdp-ged-23.1-sample-1000.csv"


def _acled_lines() -> tuple[str, list[str]]:
    """The ACLED sample's header line and its data lines (one line each)."""
    with ACLED.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = fh.read().splitlines()
    return header, rows


def _ids(batch: ImportBatch) -> list[str]:
    return [r.id for r in batch.events()]


def _refused_lines(batch: ImportBatch) -> list[int]:
    return [r.line for r in batch.refused]


# ------------------------------------------------------------------ blank rows


def test_blank_lines_before_the_header_are_skipped_and_counted_in_line_numbers() -> None:
    header, rows = _acled_lines()
    broken = rows[1].replace("2023-11-05", "2023-11-xx")
    batch = read_acled(io.StringIO("\n\r\n  \n" + "\n".join([header, rows[0], broken])))
    assert _ids(batch) == ["acled:SYN1"]
    assert _refused_lines(batch) == [6]  # three blank lines, the header, SYN1


def test_blank_lines_and_rows_of_empty_cells_mid_file_are_skipped_not_the_end() -> None:
    header, rows = _acled_lines()
    empty = "," * (len(next(csv.reader([header]))) - 1)
    text = "\n".join([header, rows[0], "", rows[1], empty, rows[2], ""])
    assert _ids(read_acled(io.StringIO(text))) == ["acled:SYN1", "acled:SYN2", "acled:SYN3"]


def test_a_row_with_a_lone_surrogate_in_a_text_stream_is_refused_alone() -> None:
    """A text stream handed in may hold a lone surrogate (``"\\ud800"``, no character:
    no record can be written with it); its row is refused, saying so, and the others
    are read (it used to stop the whole import when the record was serialized)."""
    header, rows = _acled_lines()
    odd = rows[1].replace("Synthetic", "Synth\ud800etic", 1)
    assert odd != rows[1]
    batch = read_acled(io.StringIO("\n".join([header, rows[0], odd, rows[2]])))
    assert _ids(batch) == ["acled:SYN1", "acled:SYN3"]
    ((line, field, reason),) = [(r.line, r.field, r.reason) for r in batch.refused]
    assert (line, field) == (3, "row")
    assert "lone surrogate" in reason


@pytest.mark.parametrize(
    ("hint", "delimiter"), [("sep=;", ";"), ("SEP=,", ","), ("sep=\t", "\t"), ("\ufeffsep=;", ";")]
)
def test_excels_separator_hint_on_the_first_line_names_the_delimiter(
    hint: str, delimiter: str
) -> None:
    """_rows.py: Excel's first line ``sep=;`` says which delimiter the file uses; it
    is no header, and it counts as a line in the line numbers of refusals."""
    header, rows = _acled_lines()
    lines = []
    for line in (header, *rows[:2]):
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="").writerow(next(csv.reader([line])))
        lines.append(out.getvalue())
    broken = lines[2].replace("2023-11-05", "2023-11-xx")
    batch = read_acled(io.StringIO("\n".join([hint, lines[0], lines[1], broken])))
    assert _ids(batch) == ["acled:SYN1"]
    assert _refused_lines(batch) == [4]  # the hint, the header, SYN1, then this row
    plain = read_acled(io.StringIO("\n".join([header, rows[0]])))
    assert batch.records == plain.records


# ------------------------------------------------------------ short and long rows


def test_a_quote_left_open_makes_one_row_up_to_the_next_quote_refused_on_its_own() -> None:
    header, rows = _acled_lines()
    opened = rows[1].replace("SYNTHETIC", '"SYNTHETIC', 1)
    later = rows[2].replace("SYNTHETIC TEST ROW", 'closed" here', 1)
    batch = read_acled(io.StringIO("\n".join([header, rows[0], opened, later, rows[3]])))
    assert _refused_lines(batch) == [3]  # lines 3 and 4 are one row
    assert "a quote left open in it took the rows after it" in batch.refused[0].reason
    assert _ids(batch) == ["acled:SYN1", "acled:SYN4"]


def test_a_quote_left_open_is_refused_when_the_field_count_comes_out_right() -> None:
    """The next row's quoted cell closes the quote: the row comes out with the header's
    field count, the next row inside its notes. It is refused, never imported with the
    next row lost in a cell."""
    header, rows = _acled_lines()
    opened = rows[1].replace("SYNTHETIC", '"SYNTHETIC', 1)
    quoted = '"SYNTHETIC TEST ROW: invented strike, target not reported."'
    assert quoted in rows[2]
    later = rows[2].replace(quoted, '"closed here"')
    text = "\n".join([header, rows[0], opened, later, rows[3]])
    width = len(next(csv.reader([header])))
    assert [len(row) for row in csv.reader(io.StringIO(text))][2] == width
    batch = read_acled(io.StringIO(text))
    assert _refused_lines(batch) == [3]
    assert batch.refused[0].reason.startswith("notes: its line 2 reads as")
    assert _ids(batch) == ["acled:SYN1", "acled:SYN4"]


def test_notes_of_several_lines_are_one_cell() -> None:
    """A cell of text over several lines is a cell, however many commas a line of it
    has: a row swallowed by an open quote starts with a field shaped as an event id."""
    header, rows = _acled_lines()
    sources = ", ".join(f"Source {n}" for n in range(40))  # more fields than the header
    note = f'"SYNTHETIC TEST ROW: a clash.\nSources: {sources}."'
    row = rows[0].replace("SYNTHETIC TEST ROW: an invented clash near Testville.", note)
    batch = read_acled(io.StringIO("\n".join([header, row])))
    assert _ids(batch) == ["acled:SYN1"]
    assert "Source 39." in batch.events()[0].notes


def test_notes_of_several_lines_with_a_few_commas_are_one_cell() -> None:
    """A cell of text over several lines, each with a few commas, is a cell."""
    header, rows = _acled_lines()
    note = '"SYNTHETIC TEST ROW: first line, with a comma.\nSecond line, a, b, c, d."'
    batch = read_acled(
        io.StringIO(
            "\n".join(
                [
                    header,
                    rows[0].replace("SYNTHETIC TEST ROW: an invented clash near Testville.", note),
                ]
            )
        )
    )
    assert _ids(batch) == ["acled:SYN1"]
    assert "Second line, a, b, c, d." in batch.events()[0].notes


def test_a_row_of_one_field_among_dated_rows_is_refused_not_a_crash() -> None:
    header, rows = _acled_lines()
    batch = read_acled(io.StringIO("\n".join([header, rows[0], "SYN9", rows[2]])))
    assert _ids(batch) == ["acled:SYN1", "acled:SYN3"]
    assert _refused_lines(batch) == [3]
    assert "fields but the header has" in batch.refused[0].reason


def test_bytes_not_utf8_in_a_cell_past_the_header_are_named_by_cell_number() -> None:
    header, rows = _acled_lines()
    width = len(next(csv.reader([header])))
    text = "\n".join([header, rows[0] + ",caf\xe9"]).encode("latin-1")
    with pytest.raises(ImportDataError, match=rf"line 2: cell {width + 1}: not UTF-8"):
        read_acled(io.BytesIO(text))


def test_bytes_undefined_in_a_named_encoding_say_that_encoding() -> None:
    header, rows = _acled_lines()
    text = "\n".join([header, rows[0].replace("Testville", "Test\x81ville")])
    with pytest.raises(ImportDataError) as caught:
        read_acled(io.BytesIO(text.encode("latin-1")), encoding="cp1252")
    assert "line 2: location: not cp1252 (byte 0x81); name the file's real encoding" in str(
        caught.value
    )


# ------------------------------------------------------------------- delimiters


@pytest.mark.parametrize(
    ("header_line", "delimiter"),
    [
        ('event_id_cnty,deleted_timestamp,"note; see; the; codebook"', ","),  # quoted ; ignored
        ("event_id_cnty\tdeleted_timestamp\tnote, see codebook", "\t"),  # most of: the tab
        ("event_id_cnty;deleted_timestamp;reason, see", ";"),
        ("event_id_cnty,deleted_timestamp,reason; see; notes", ","),  # a tie goes to ","
        ("event_id_cnty", ","),  # none at all
    ],
)
def test_the_delimiter_is_the_one_the_header_holds_most_of_outside_quotes(
    header_line: str, delimiter: str
) -> None:
    text = header_line + "\n" + delimiter.join(["SYN1", "1700700000", "x"]) + "\n"
    with open_table(io.StringIO(text), required=["event_id_cnty"]) as table:
        (_, cells), *_ = list(table.rows)
    assert cells[table.index("event_id_cnty")] == "SYN1"


# ------------------------------------------------------------------- hashtag rows


def test_a_comment_under_the_header_is_refused_not_taken_for_hxl_hashtags() -> None:
    """HXL's hashtags are single words (``#event+code``); a line of words after a ``#``
    is not one, and a row of ``#N/A`` cells mid-file is data gone wrong."""
    header, rows = _acled_lines()
    width = len(next(csv.reader([header])))
    comment = "# exported 2023-11-20 by the analysis team"
    batch = read_acled(io.StringIO("\n".join([header, comment, rows[0]])))
    assert (_ids(batch), _refused_lines(batch)) == (["acled:SYN1"], [2])
    errors = ",".join(["#N/A"] * width)
    batch = read_acled(io.StringIO("\n".join([header, rows[0], errors, rows[1]])))
    assert (_ids(batch), _refused_lines(batch)) == (["acled:SYN1", "acled:SYN2"], [3])


def _joined(*parts: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for part in parts:
        writer.writerows(part)
    return out.getvalue()


def _acled_table() -> tuple[list[str], list[list[str]]]:
    with ACLED.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = csv.reader(fh)
    return header, rows


def test_files_joined_one_after_another_read_as_one_their_headers_are_not_rows() -> None:
    """``cat 2022.csv 2023.csv``: the second file's header, in any case, with a
    byte-order mark of its own, is no row; the same rows import as from the file."""
    header, rows = _acled_table()
    again = ["\ufeff" + header[0].upper(), *(name.upper() for name in header[1:])]
    joined = read_acled(io.StringIO(_joined([header, *rows[:2]], [again, *rows[2:]])))
    whole = read_acled(ACLED)
    assert _ids(joined) == _ids(whole)
    assert joined.refused == whole.refused == ()
    assert joined.rows == whole.rows == len(rows)


def test_joined_hdx_files_read_as_one_each_hashtag_row_no_row() -> None:
    """HDX's downloads carry a row of HXL hashtags under the header: joined, the
    second file's comes under the repeated header, and is no row either."""
    header, rows = _acled_table()
    hxl = ["#event+code" if h == "event_id_cnty" else f"#x+{h}" if h else "" for h in header]
    joined = read_acled(io.StringIO(_joined([header, hxl, *rows[:2]], [header, hxl, *rows[2:]])))
    assert _ids(joined) == _ids(read_acled(ACLED))
    assert joined.refused == ()


def test_under_a_header_repeated_in_another_order_rows_are_read_by_that_header() -> None:
    header, rows = _acled_table()
    order = list(reversed(range(len(header))))
    flipped = [[row[i] for i in order] for row in [header, *rows[2:]]]
    joined = read_acled(io.StringIO(_joined([header, *rows[:2]], flipped)), strict=True)
    assert [canonical_bytes(r) for r in joined.events()] == [
        canonical_bytes(r) for r in read_acled(ACLED).events()
    ]


def test_rows_under_a_header_of_other_columns_are_refused_naming_the_header() -> None:
    """A file of another layout joined on cannot be read by the first header: each of
    its rows is refused (never read into the wrong columns), until the first header
    comes again."""
    header, rows = _acled_table()
    cut = header.index("tags")
    other = [name for i, name in enumerate(header) if i != cut]
    short = [[cell for i, cell in enumerate(row) if i != cut] for row in rows[1:3]]
    text = _joined([header, rows[0]], [other, *short], [header, rows[3]])
    batch = read_acled(io.StringIO(text))
    assert _ids(batch) == ["acled:SYN1", "acled:SYN4"]
    assert _refused_lines(batch) == [4, 5]
    reason = batch.refused[0].reason
    assert "header repeated at line 3" in reason
    assert "lacks tags" in reason


def test_a_row_naming_a_few_columns_among_its_values_is_data() -> None:
    """A header again is a row most of whose filled cells are column names: a data
    row whose first cell happens to read as one is still a row."""
    header, rows = _acled_table()
    odd = list(rows[0])
    for name in ("event_id_cnty", "notes", "location", "admin3"):
        odd[header.index(name)] = name
    batch = read_acled(io.StringIO(_joined([header, odd])))
    assert _ids(batch) == ["acled:event_id_cnty"]


@pytest.mark.parametrize("encoding", ["rot13", "hex", "idna"])
def test_a_codec_no_text_file_is_read_in_is_refused_naming_it(encoding: str) -> None:
    with pytest.raises(ImportDataError, match=rf"'{encoding}' is no encoding a text file"):
        read_acled(ACLED, encoding=encoding)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_file_its_named_encoding_cannot_read_at_all_is_refused_naming_it(
    encoding: str,
) -> None:
    """UTF-16 or UTF-32 named for a UTF-8 file (no byte-order mark of theirs): an
    `ImportDataError` naming the file and the encoding, not a decoder's traceback."""
    with pytest.raises(ImportDataError, match=rf"cannot be read as {encoding} \("):
        read_acled(ACLED, encoding=encoding)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_a_utf8_file_with_its_bom_read_in_another_encoding_says_it_is_utf8(
    encoding: str,
) -> None:
    """Excel's "CSV UTF-8" starts with a byte-order mark; named cp1252, its first
    column would read ``ï»¿event_id_cnty``, a missing column: the message says the
    file is UTF-8 instead."""
    data = b"\xef\xbb\xbf" + ACLED.read_bytes().removeprefix(b"\xef\xbb\xbf")
    with pytest.raises(ImportDataError, match="the file is UTF-8"):
        read_acled(io.BytesIO(data), encoding=encoding)


# ---------------------------------------------------------------------- headers


def test_a_header_longer_than_the_probe_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("conflict_timeline.importers._rows._PROBE", 40)
    header, rows = _acled_lines()
    assert len(header) > 40
    assert _ids(read_acled(io.StringIO("\n".join([header, rows[0]])))) == ["acled:SYN1"]


@pytest.mark.parametrize(
    ("header_line", "aggregated"),
    [
        ("Country,Admin1,ISO3,Month,Year,Events", True),  # HDX's monthly counts
        ("week,region,country,admin1,events,fatalities", True),
        ("id,year,month,notes", False),  # a month, but no count of events
        ("events,country,notes", False),  # a count, but no week or month
    ],
)
def test_a_file_of_counts_per_week_or_month_is_named_aggregated(
    header_line: str, aggregated: bool
) -> None:
    with pytest.raises(ImportDataError) as caught:
        read_acled(io.StringIO(header_line + "\n" + ",".join(["1"] * 6) + "\n"))
    assert ("It looks like aggregated data" in str(caught.value)) is aggregated


def test_a_partial_acled_header_is_not_said_to_belong_to_another_importer() -> None:
    """The header is ACLED's (``event_id_cnty`` and ``event_type``), short of columns:
    no other importer is named, and not the one already in use."""
    with pytest.raises(ImportDataError) as caught:
        Timeline().import_(
            "acled", io.StringIO("event_id_cnty,event_type,year\nSYN1,Battles,2023\n")
        )
    message = str(caught.value)
    assert "missing required column 'event_date'" in message
    assert "the header has: event_id_cnty, event_type, year" in message
    assert "importer" not in message


# --------------------------------------------------------------- streams and BOM


def test_a_binary_stream_the_caller_gave_is_left_open() -> None:
    header, rows = _acled_lines()
    stream = io.BytesIO("\n".join([header, rows[0]]).encode("utf-8"))
    assert _ids(read_acled(stream)) == ["acled:SYN1"]
    assert not stream.closed


@pytest.mark.parametrize("before", ["\ufeff", "\ufeff\n", "\ufeff  \n\n"])
def test_a_json_answer_after_a_byte_order_mark_in_a_text_stream_is_json(before: str) -> None:
    header, rows = _acled_lines()
    cells = next(csv.reader([rows[0]]))
    names = next(csv.reader([header]))
    text = before + '{"data": [' + _json_object(dict(zip(names, cells, strict=True))) + "]}"
    assert _ids(read_acled(io.StringIO(text))) == ["acled:SYN1"]


@pytest.mark.parametrize("before", ["\ufeff", "\ufeff\n", "\ufeff  \n\n"])
def test_a_byte_order_mark_before_a_quoted_header_in_a_text_stream_is_dropped(
    before: str,
) -> None:
    """_rows.py: a BOM is dropped whether the caller gives a path, a binary file or a
    text file; R's ``write.csv(fileEncoding="UTF-8-BOM")`` quotes every header cell,
    and a text stream opened as "utf-8" keeps the BOM before the first quote."""
    header, rows = _acled_lines()
    names = next(csv.reader([header]))
    quoted = ",".join(f'"{name}"' for name in names)
    text = before + "\n".join([quoted, rows[0]])
    assert _ids(read_acled(io.StringIO(text))) == ["acled:SYN1"]


def _json_object(row: dict[str, str]) -> str:
    return json.dumps(row)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('\n{"data": [\n{"event_id_cnty": "SYN1",}\n]}\n', "line 3 column 26"),
        ('\n\n\n{"data": [{"event_id_cnty": "SYN1",}]}\n', "line 4 column 36"),
        ('[\n\n{"event_id_cnty": "SYN1",}\n]\n', "line 3 column 26"),
    ],
)
def test_json_broken_after_blank_lines_is_named_by_its_line_in_the_file(
    text: str, where: str
) -> None:
    with pytest.raises(ImportDataError, match=where):
        read_acled(io.StringIO(text))


# -------------------------------------------------------------------- workbooks


def test_a_broken_workbook_stops_the_import_saying_so(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    junk = tmp_path / "f.xlsx"
    junk.write_bytes(b"PK\x03\x04 this is not really a zip file")
    with pytest.raises(ImportDataError, match=r"f\.xlsx: cannot read the workbook \(.+\)"):
        Timeline().import_("acled", junk)
    empty = tmp_path / "g.xlsx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ImportDataError, match=r"g\.xlsx: cannot read the workbook \(.+\)"):
        Timeline().import_("acled", empty)


EXCEL_ERRORS = ("#NAME?", "#VALUE!", "#DIV/0!", "#N/A", "#REF!", "#NUM!", "#NULL!")


def _sheet(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [row for row in csv.reader(fh) if row]


@pytest.mark.parametrize("shown", EXCEL_ERRORS)
@pytest.mark.parametrize("origin", [(0, 0), (2, 3)])
def test_an_excel_error_cell_reads_as_the_text_excel_shows(
    tmp_path: Path, shown: str, origin: tuple[int, int]
) -> None:
    """docs/howto/import.md: an .xlsx error cell (text Excel took for a formula,
    ``-clashes reported`` as ``#NAME?``) reads as the text Excel shows, as the CSV
    Excel saves holds it: kept in free text (ACLED's ``notes``), where it used to be
    read as an empty cell without a word. The oracle is that CSV. ``origin``: the
    sheet's data starting at D3, not A1."""
    pytest.importorskip("python_calamine")
    header, row, *_ = _sheet(ACLED)
    notes = header.index("notes")
    book = tmp_path / "errors.xlsx"
    xlsx(
        book,
        [header, [*row[:notes], ErrorCell(shown, "-clashes"), *row[notes + 1 :]]],
        origin=origin,
    )
    saved = io.StringIO()
    csv.writer(saved, lineterminator="\n").writerows(
        [header, [*row[:notes], shown, *row[notes + 1 :]]]
    )
    from_book = read_acled(book)
    assert from_book.refused == ()
    assert from_book.records == read_acled(io.StringIO(saved.getvalue())).records
    event = from_book.events()[0]
    assert event.notes.startswith(f"{shown}\n\n")


@pytest.mark.parametrize("shown", EXCEL_ERRORS)
def test_an_excel_error_cell_where_a_number_is_needed_is_refused_with_its_text(
    tmp_path: Path, shown: str
) -> None:
    """The same cell in GED's ``best``: refused quoting the error Excel shows, not an
    empty cell ("'' is not a whole number", as it used to be)."""
    pytest.importorskip("python_calamine")
    header, row, *_ = _sheet(GED)
    best = header.index("best")
    book = tmp_path / "ged.xlsx"
    xlsx(book, [header, [*row[:best], ErrorCell(shown, "=1/0"), *row[best + 1 :]]])
    (refused,) = read_ucdp(book).refused
    assert (refused.line, refused.field) == (2, "best")
    assert refused.reason == f"{shown!r} is not a whole number"


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_error_cells_are_found_wherever_the_sheet_is_cut_into_chunks(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sheet is scanned in chunks for ``t="e"`` cells: a cell cut by a chunk's
    end is found whole; text that reads ``t="e"`` and an error cell without a value
    are no error cells."""
    sheet = (
        b'<worksheet xmlns="x"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>says t="e" here</t></is></c>'
        b'<c r="B1" s="3" t="e"><f>-clashes</f><v>#NAME?</v></c></row>'
        b'<row r="2"><c r="C2" t="e"/><c r="AB2" t="e"><v>#DIV/0!</v></c></row>'
        b"</sheetData></worksheet>"
    )
    monkeypatch.setattr(_rows, "_CHUNK", chunk)
    # B1 is row 0, column 1; AB2 row 1, column 27 (A..Z are 0..25, AA 26).
    assert _rows._scan_errors(io.BytesIO(sheet)) == {0: {1: "#NAME?"}, 1: {27: "#DIV/0!"}}


@pytest.mark.parametrize("name", ["h.xlsx", "h.csv"])
def test_a_missing_file_is_file_not_found_whatever_its_kind(tmp_path: Path, name: str) -> None:
    """A path that holds no file is the operating system's error, a workbook's as a
    CSV's (the CLI's exit status 4), not a fault in the data."""
    missing = tmp_path / name
    with pytest.raises(FileNotFoundError) as raised:
        Timeline().import_("acled", missing)
    assert raised.value.filename == str(missing)
    assert not isinstance(raised.value, ImportDataError)


# ---------------------------------------------------------------- dates settled


def test_a_later_row_settles_the_order_for_an_earlier_ambiguous_one_in_any_column() -> None:
    """GED: a row whose ``date_start`` is ISO and ``date_end`` is 13/03/2023 settles
    day-first for every row, so the next row's 03/05/2023 is 3 May."""
    with GED.open(encoding="utf-8-sig", newline="") as fh:
        header, first, second, *_ = list(csv.reader(fh))
    index = {name: i for i, name in enumerate(header)}
    first = [*first]
    second = [*second]
    for row, end in ((first, "13/03/2023"), (second, "03/05/2023")):
        row[index["date_start"]] = "2023-03-01"
        row[index["date_end"]] = end
        row[index["date_prec"]] = "2"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, first, second])
    batch = read_ucdp(io.StringIO(out.getvalue()))
    assert batch.refused == ()
    occurred = {r.id: r.occurred for r in batch.events()}
    assert str(occurred[f"ucdp:{second[index['id']]}"]).startswith("2023-03-01..2023-05-03")


def test_ambiguous_rows_past_the_limit_held_are_read_unsettled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At most `_MAX_HELD` rows (100,000) wait for the row that settles the order;
    past that, the waiting rows and the next are read before it and refused as
    ambiguous, and the rows from the settling one on are read in its order."""
    monkeypatch.setattr("conflict_timeline.importers._cells._MAX_HELD", 2)
    header, rows = _acled_lines()
    dated = [
        rows[0].replace("2023-11-02", day, 1).replace("SYN1", f"SYN{n}", 1)
        for n, day in enumerate(["05/06/2023", "04/06/2023", "03/06/2023", "13/06/2023"], 1)
    ]
    batch = read_acled(io.StringIO("\n".join([header, *dated])))
    assert _refused_lines(batch) == [2, 3, 4]
    assert all("ambiguous" in r.reason for r in batch.refused)
    assert _ids(batch) == ["acled:SYN4"]
    monkeypatch.setattr("conflict_timeline.importers._cells._MAX_HELD", 3)
    batch = read_acled(io.StringIO("\n".join([header, *dated])))
    assert (batch.refused, len(_ids(batch))) == ((), 4)


def test_a_row_under_the_longest_value_is_read_and_one_over_it_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`MAX_VALUE_CHARS` (64 Mi characters) bounds one row of a JSON answer, wherever
    in the text read so far the row starts; measured here with a limit of 300."""
    monkeypatch.setattr("conflict_timeline.importers._json.MAX_VALUE_CHARS", 300)
    monkeypatch.setattr("conflict_timeline.importers._json._chunk", 200)
    small = ",".join(f'{{"event_id_cnty": "SYN{n}", "notes": "{"x" * 30}"}}' for n in range(3))
    under = '{"event_id_cnty": "SYN9", "notes": "' + "y" * 200 + '"}'
    with open_table(io.StringIO(f'{{"data": [\n{small}, {under}]}}'), required=[]) as table:
        assert len(list(table.rows)) == 4
    over = '{"event_id_cnty": "SYN9", "notes": "' + "y" * 400 + '"}'
    with pytest.raises(ImportDataError, match="a value longer than 300 characters"):
        open_table(io.StringIO(f'{{"data": [\n{small}, {over}]}}'), required=[]).__enter__()


# ---------------------------------------------- typed values (JSON, workbooks)


def test_typed_json_values_read_as_a_csv_cell_would_hold_them() -> None:
    """``true`` TRUE, ``false`` FALSE, ``5.0`` 5, ``null`` and ``[]`` empty, a list or
    an object as compact JSON (text as it is, whole numbers of any length)."""
    big = 2**64
    text = json.dumps(
        [
            {
                "t": True,
                "f": False,
                "n": 5.0,
                "x": None,
                "e": [],
                "l": ["café", 1],
                "o": {"k": "v"},
                "b": [big, "é"],
            }
        ],
        ensure_ascii=False,
    )
    with open_table(io.StringIO(text), required=[]) as table:
        ((_, cells),) = list(table.rows)
    assert cells[:-1] == [
        "TRUE",
        "FALSE",
        "5",
        "",
        "",
        '["café",1]',
        '{"k":"v"}',
        f'[{big},"é"]',
    ]


def test_workbook_date_time_cells_read_as_iso_text() -> None:
    """A workbook's typed cells (python-calamine gives Python values): a date-time at
    midnight is its day, another keeps its time; dates and times are ISO."""
    assert _cell_text(dt.datetime(2023, 11, 14, 0, 0)) == "2023-11-14"
    assert _cell_text(dt.datetime(2023, 11, 14, 10, 0)) == "2023-11-14T10:00:00"
    assert _cell_text(dt.datetime(2023, 11, 14, 1, 0)) == "2023-11-14T01:00:00"
    assert _cell_text(dt.date(2023, 11, 14)) == "2023-11-14"
    assert _cell_text(dt.time(9, 30)) == "09:30:00"
    assert (_cell_text(True), _cell_text(False), _cell_text(1648.0)) == ("TRUE", "FALSE", "1648")


@pytest.mark.parametrize("chunk", range(1, 16))
@pytest.mark.parametrize(
    "text",
    [
        '{"data": [\n{"a": "1"},\n{"a": 1 x\n, "b": 2}]}',
        '{"data": [\n  {"a": "1",\n   "b": "2"},\n  {"a": "3",\n   "b" "4"}]}',
        '\n\n[{"a": "1"},\n {"a": "2"} {"a": "3"}]',
    ],
)
def test_a_multi_line_answer_broken_is_named_where_a_whole_parse_names_it(
    chunk: int, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("conflict_timeline.importers._json._chunk", chunk)
    with pytest.raises(json.JSONDecodeError) as whole:
        json.loads(text)
    where = f"line {whole.value.lineno} column {whole.value.colno})"
    with pytest.raises(ImportDataError, match="not valid JSON") as caught:
        open_table(io.StringIO(text), required=[]).__enter__()
    assert where in str(caught.value)


def test_an_empty_json_object_is_an_answer_without_rows_not_broken_json() -> None:
    with pytest.raises(ImportDataError, match="a JSON object without a list of rows"):
        open_table(io.StringIO("{}"), required=[]).__enter__()
    with pytest.raises(ImportDataError, match="a JSON object without a list of rows"):
        open_table(io.StringIO('{"status": 200, "data": {}}'), required=[]).__enter__()


# ------------------------------------------------------------------- the caller's stream


def test_a_binary_stream_is_left_open_and_one_closed_first_is_no_error(tmp_path: Path) -> None:
    """The caller owns a stream it hands the reader: the reader never closes it. A
    stream the caller closed before the reader let go (an interrupt unwinding the
    caller's ``with`` first, as Ctrl-C on ``import --progress`` can) leaves nothing to
    keep open: letting go raises nothing, so the interrupt's own message is the one
    the user sees."""
    path = tmp_path / "rows.csv"
    path.write_text("event_id_cnty,note\nSYN1,a\nSYN2,b\n", encoding="utf-8")
    with path.open("rb") as kept:
        with open_table(kept, required=["event_id_cnty"]) as table:
            (_, cells), *_ = list(table.rows)
        assert cells[table.index("event_id_cnty")] == "SYN1"
        assert not kept.closed
    closed_first = path.open("rb")
    with open_table(closed_first, required=["event_id_cnty"]) as table:
        next(iter(table.rows))
        closed_first.close()
    assert closed_first.closed


# ------------------------------------------------------------------- date systems


@pytest.mark.parametrize("date1904", [False, True])
@pytest.mark.parametrize("given", ["path", "stream"])
@pytest.mark.parametrize("suffix", [".xlsx", ".xlsb", ".xls", ".xls (mini stream)", ".ods"])
def test_a_workbook_says_its_date_system_and_a_csv_the_1900_one(
    tmp_path: Path, date1904: bool, given: str, suffix: str
) -> None:
    """A table read from a workbook says the date system the workbook declares: 1904
    for an .xlsx's ``<workbookPr date1904="1"/>``, an .xlsb's BrtWbProp with its first
    bit set, an .xls's Date1904 record of 1 (whether its workbook stream fills whole
    sectors or, small, lies in the compound file's mini stream), an .ods's null date
    of 1904-01-01, whether given as a
    path or as a stream (read whole: its rows are all there); a CSV says nothing:
    1900."""
    pytest.importorskip("python_calamine")
    book = tmp_path / f"book{suffix.split(maxsplit=1)[0]}"
    rows: list[list[str | float]] = [["event_id_cnty", "day"], ["SYN1", 33718], ["SYN2", 33719]]
    if suffix.endswith("(mini stream)"):
        xls(book, rows, date1904=date1904, mini=True)
    else:
        WRITERS[suffix](book, rows, date1904=date1904)
    with book.open("rb") as raw:
        source: Path | io.BufferedReader = book if given == "path" else raw
        with open_table(source, required=["event_id_cnty"]) as table:
            cells = [c for _, c in table.rows]
    assert table.date_system == (1904 if date1904 else 1900)
    assert [c[table.index("day")] for c in cells] == ["33718", "33719"]
    with open_table(io.StringIO("event_id_cnty,day\nSYN1,33718\n"), required=[]) as table:
        assert table.date_system == 1900


# ------------------------------------------------------------------ whole numbers


@pytest.mark.parametrize(
    ("raw", "comma", "expected"),
    [
        ("3", False, 3),
        (" 12 ", False, 12),
        ("+3", False, 3),
        ("-1", False, -1),
        ("3.0", False, 3),
        ("3,0", True, 3),
        ("1E+03", False, 1000),
        ("1.5e3", False, 1500),
    ],
)
def test_a_whole_number_is_read_in_the_forms_files_write(
    raw: str, comma: bool, expected: int
) -> None:
    assert whole_number("best", raw, comma=comma) == expected


@pytest.mark.parametrize(
    ("raw", "comma"),
    [
        ("1_0", False),  # Python's int() reads 10
        ("\u0663", False),  # an Arabic-Indic 3, which int() reads as 3
        ("\uff13", False),  # a full-width 3
        ("1.5", False),
        ("nan", False),
        ("inf", False),
        ("", False),
        ("3,0", False),  # a decimal comma only where the reader allows one
        ("1,000", True),  # a thousands separator or a decimal comma: refused
    ],
)
def test_what_is_no_whole_number_of_a_file_is_refused(raw: str, comma: bool) -> None:
    """A cell is read as the number it shows, never as one Python's ``int`` makes of
    it: refused naming the field."""
    with pytest.raises(Refusal) as raised:
        whole_number("best", raw, comma=comma)
    assert raised.value.field == "best"


def test_a_count_written_with_an_underscore_is_refused_in_every_importer() -> None:
    """GED's ``best`` and ACLED's ``fatalities`` of ``1_0``: refused, not 10."""
    header, *_ = GED.read_text(encoding="utf-8-sig").splitlines()
    columns = next(csv.reader([header]))
    with GED.open(encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    row["best"] = "1_0"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    ged = read_ucdp(io.StringIO(out.getvalue()))
    assert [(r.field, r.reason) for r in ged.refused] == [("best", "'1_0' is not a whole number")]
    acled_header, acled_rows = _acled_lines()
    cells = next(csv.reader([acled_rows[0]]))
    names = [name.strip().lower() for name in next(csv.reader([acled_header]))]
    cells[names.index("fatalities")] = "1_0"
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([next(csv.reader([acled_header])), cells])
    acled = read_acled(io.StringIO(text.getvalue()))
    assert [(r.field, r.reason) for r in acled.refused] == [
        ("fatalities", "'1_0' is not a whole number")
    ]


# ------------------------------------- rules a second mutation run found unpinned


def _rows_of(text: str, required: tuple[str, ...] = ("id",)) -> list[list[str]]:
    """The rows `open_table` yields for ``text``: each a list of cells, or a `BadRow`
    (a row refused as field ``row``), as the importers receive them."""
    with open_table(io.StringIO(text), required=required) as table:
        return [cells for _, cells in table.rows]


@pytest.mark.parametrize(
    ("line", "refused"),
    [("NIG13,x", False), ("NIG13,x,y", True)],
    ids=["two fields: a line of notes", "three fields: a row's start"],
)
def test_a_row_swallowed_by_an_open_quote_has_at_least_three_fields(
    line: str, refused: bool
) -> None:
    """_rows.py (`_swallowed`): the start of a row inside a cell is a line of at least
    half as many fields as the header, and at least three, whose first field has the
    row's first cell's shape. Under a header of four columns (half: two), a line of
    two fields in notes is a line of notes; one of three is a row's start."""
    text = f'id,a,b,notes\nNIG12,1,2,"first line\n{line}"\n'
    (row,) = _rows_of(text)
    assert isinstance(row, BadRow) is refused
    if not refused:
        assert row[3] == f"first line\n{line}"


def test_only_a_cell_of_exactly_nan_is_read_as_empty() -> None:
    """_rows.py (`nan_as_empty`): pandas writes ``nan`` with no spaces around it; a
    cell holding it with a space (or in another case) is text, kept."""
    text = "id,a,b,c,d\nNIG12,nan,NaN, nan,NAN\n"
    with open_table(io.StringIO(text), required=("id",)) as table:
        ((_, cells),) = list(nan_as_empty(table).rows)
    assert cells[:5] == ["NIG12", "", "", " nan", "NAN"]


@pytest.mark.parametrize(
    ("cells", "header"),
    [
        (["id", "a", "x", "y"], False),  # half the filled cells are names: a row
        (["id", "a", "b", "y"], True),  # most of them are: a header again
        (["id", "a", "", ""], False),  # fewer than three filled
    ],
)
def test_a_header_again_has_at_least_three_cells_most_of_them_its_names(
    cells: list[str], header: bool
) -> None:
    """_rows.py (`_is_header`): a row is the header again when at least three cells
    are filled and most of them (more than half) are names of the first header's
    columns."""
    assert _is_header(cells, frozenset({"id", "a", "b", "c"})) is header


# ------------------------------------ a spreadsheet's padding: empty cells past the header


def _written(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _records(batch: ImportBatch) -> list[bytes]:
    return [canonical_bytes(record) for record in batch.records]


def _table_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_rows_a_spreadsheet_padded_with_empty_cells_read_as_published() -> None:
    """import-acled-vintages.md (headers): Excel writes an empty cell for each column
    of its sheet beyond the data that ever held something, in every row or in runs
    of rows, the header's too or not. A row whose cells past the header are all
    empty, beside a row of as many cells, is the published row; so is a row lacking
    only the header's unnamed last columns. Both used to be refused ("has 33 fields
    but the header has 31"), every row of such a file."""
    header, *rows = _table_of(ACLED)
    published = read_acled(io.StringIO(_written([header, *rows])))
    ids = ["acled:SYN1", "acled:SYN2", "acled:SYN3", "acled:SYN4", "acled:SYN5"]
    assert _ids(published)[:5] == ids
    # Every row two empty cells longer than the header.
    every = read_acled(io.StringIO(_written([header, *[[*row, "", ""] for row in rows]])))
    assert (every.refused, _records(every)) == ((), _records(published))
    # The header with an unnamed column, the first rows padded under it, later ones
    # not (Excel pads runs of rows).
    runs = [[*header, ""], *[[*row, ""] for row in rows[:3]], *rows[3:]]
    batch = read_acled(io.StringIO(_written(runs)))
    assert (batch.refused, _records(batch)) == ((), _records(published))
    # Files joined one after another, the second saved by Excel with an empty column:
    # its header, padded, is the header again (it was "a file of another layout").
    joined = [header, *rows[:4], [*header, ""], *[[*row, ""] for row in rows[4:]]]
    batch = read_acled(io.StringIO(_written(joined)))
    assert (batch.refused, _records(batch)) == ((), _records(published))
    # The real GED sample: a run of 16 rows padded, the header not.
    ged_header, *ged_rows = _table_of(GED)
    padded = [[*row, ""] if 100 <= i < 116 else row for i, row in enumerate(ged_rows)]
    ged = read_ucdp(io.StringIO(_written([ged_header, *padded])))
    assert (ged.refused, ged.accepted) == ((), 1_000)
    assert _records(ged) == _records(read_ucdp(io.StringIO(_written([ged_header, *ged_rows]))))


def test_runs_of_rows_excel_saved_without_their_empty_last_column_read_as_published() -> None:
    """import-acled-vintages.md (headers): Excel leaves out the last column of a run of
    rows (its buffer's) when it is empty in all of them (StataCorp, "How Excel writes
    empty cells"): GED's last column, ``gwnob``, is empty in 982 of the real sample's
    1,000 rows, so a re-saved sample has runs of rows one cell short. Such a row,
    beside a row as short, is read with the cell empty: the published records. (They
    used to be refused, "has 48 fields but the header has 49".) A lone short row is
    still refused, as a row cut short would be."""
    header, *rows = _table_of(GED)
    saved = [header]
    for start in range(0, len(rows), 16):  # runs of 16 rows, as Excel's buffer
        run = rows[start : start + 16]
        saved += [row[:-1] for row in run] if all(row[-1] == "" for row in run) else run
    assert sum(len(row) == len(header) - 1 for row in saved) == 872
    batch = read_ucdp(io.StringIO(_written(saved)))
    assert (batch.refused, batch.accepted) == ((), 1_000)
    assert _records(batch) == _records(read_ucdp(io.StringIO(_written([header, *rows]))))
    lone = read_ucdp(io.StringIO(_written([header, rows[0], rows[1][:-1], rows[2]])))
    assert [(r.line, r.field, r.reason) for r in lone.refused] == [
        (3, "row", f"has {len(header) - 1} fields but the header has {len(header)}")
    ]


def test_a_lone_row_with_empty_cells_past_the_header_is_refused_saying_why() -> None:
    """import-acled-vintages.md (headers): a row longer than the header whose extra
    cells are empty, with no row of as many cells next to it, may be a row an
    unquoted comma shifted (GED's last cell, ``gwnob``, is mostly empty): it is
    refused, naming both counts and why it is not read as padding; the other rows
    import. ``NA`` past the header, or a filled cell under the header's unnamed
    column, is no padding."""
    header, *rows = _table_of(ACLED)
    lone = read_acled(io.StringIO(_written([header, rows[0], [*rows[1], ""], rows[2]])))
    assert _ids(lone) == ["acled:SYN1", "acled:SYN3"]
    ((line, field, reason),) = [(r.line, r.field, r.reason) for r in lone.refused]
    assert (line, field) == (3, "row")
    assert reason == (
        f"has {len(header) + 1} fields but the header has {len(header)}; the cell past "
        "the header is empty, as a spreadsheet pads a row, but neither row next to it "
        f"has {len(header) + 1} fields, as padded rows do, so an unquoted comma in a "
        "cell may have shifted it"
    )
    # Every row one cell longer, but one writes NA there: that row is refused.
    na = [[*row, "NA" if i == 1 else ""] for i, row in enumerate(rows[:3])]
    batch = read_acled(io.StringIO(_written([header, *na])))
    assert (_ids(batch), _refused_lines(batch)) == (["acled:SYN1", "acled:SYN3"], [3])
    width = len(header)
    assert batch.refused[0].reason == f"has {width + 1} fields but the header has {width}"
    # Under an unnamed header column: a row filling it and one more empty cell.
    filled = [[*row, "x", ""] if i == 1 else [*row, ""] for i, row in enumerate(rows[:3])]
    batch = read_acled(io.StringIO(_written([[*header, ""], *filled])))
    assert (_ids(batch), _refused_lines(batch)) == (["acled:SYN1", "acled:SYN3"], [3])


def test_a_filled_cell_under_an_unnamed_header_column_is_no_padding_in_a_padded_run() -> None:
    """import-acled-vintages.md (headers): a row is read without its extra cells only
    when "its cells past the header (and under its unnamed columns) are all empty":
    in a run of rows padded alike, a row that fills the header's unnamed column is
    refused, naming both counts, however like its neighbours it is."""
    header, *rows = _table_of(ACLED)
    width = len(header) + 1  # the header with one unnamed column
    saved = [[*row, "x" if i == 1 else "", ""] for i, row in enumerate(rows[:3])]
    batch = read_acled(io.StringIO(_written([[*header, ""], *saved])))
    assert (_ids(batch), _refused_lines(batch)) == (["acled:SYN1", "acled:SYN3"], [3])
    assert batch.refused[0].reason == f"has {width + 1} fields but the header has {width}"


def test_a_lone_row_lacking_only_the_unnamed_columns_is_read() -> None:
    """import-acled-vintages.md (headers): "a row lacking only the header's unnamed
    last columns lacks nothing: it is read with them empty", on its own too, between
    rows that write them."""
    header, *rows = _table_of(ACLED)
    saved = [[*header, "", ""], [*rows[0], "", ""], rows[1], [*rows[2], "", ""]]
    batch = read_acled(io.StringIO(_written(saved)))
    assert (batch.refused, _ids(batch)) == ((), ["acled:SYN1", "acled:SYN2", "acled:SYN3"])


def test_rows_padded_by_different_counts_are_each_a_lone_row() -> None:
    """import-acled-vintages.md (headers): a padded row is read "when the row before
    or after it has as many cells": a row two cells longer than the header next to
    one a cell longer has no such row beside it, and neither is read."""
    header, *rows = _table_of(ACLED)
    width = len(header)
    saved = [header, rows[0], [*rows[1], "", ""], [*rows[2], ""], rows[3]]
    batch = read_acled(io.StringIO(_written(saved)))
    assert (_ids(batch), _refused_lines(batch)) == (["acled:SYN1", "acled:SYN4"], [3, 4])
    assert [r.reason.split(";")[0] for r in batch.refused] == [
        f"has {width + 2} fields but the header has {width}",
        f"has {width + 1} fields but the header has {width}",
    ]


def test_a_short_last_row_is_refused_as_a_download_cut_short() -> None:
    """import-acled-vintages.md (headers): "a lone short row is refused ... it may be
    the last row of a download cut short": the file's last row, one cell short, has
    no row after it, and the row before it is whole."""
    header, *rows = _table_of(GED)
    batch = read_ucdp(io.StringIO(_written([header, rows[0], rows[1], rows[2][:-1]])))
    assert [(r.line, r.field, r.reason) for r in batch.refused] == [
        (4, "row", f"has {len(header) - 1} fields but the header has {len(header)}")
    ]


def test_a_padded_header_again_is_the_row_before_a_lone_padded_row() -> None:
    """import-acled-vintages.md (headers): a header repeated by files joined one after
    another "counts as a row of as many cells": the second file saved by Excel with
    an empty column, its header and its one row padded alike, reads as published."""
    header, *rows = _table_of(ACLED)
    joined = [header, *rows[:4], [*header, ""], [*rows[4], ""]]
    batch = read_acled(io.StringIO(_written(joined)))
    assert (batch.refused, _ids(batch)) == ((), [f"acled:SYN{n}" for n in range(1, 6)])


def test_a_lone_padded_row_under_a_header_again_in_another_order_is_refused() -> None:
    """import-acled-vintages.md (headers): a lone row with an empty cell past the
    header is refused (an unquoted comma may have shifted it), under a header repeated
    in another order too, whose rows are read by it."""
    header, *rows = _table_of(ACLED)

    def swapped(row: list[str]) -> list[str]:
        return [row[1], row[0], *row[2:]]

    joined = [header, rows[0], rows[1], swapped(header), swapped(rows[2])]
    joined += [[*swapped(rows[3]), ""], swapped(rows[4])]
    batch = read_acled(io.StringIO(_written(joined)))
    assert (_ids(batch), _refused_lines(batch)) == (
        ["acled:SYN1", "acled:SYN2", "acled:SYN3", "acled:SYN5"],
        [6],
    )
    assert batch.refused[0].reason.startswith(
        f"has {len(header) + 1} fields but the header has {len(header)}; the cell past "
        "the header is empty"
    )


def test_a_header_cell_of_spaces_is_an_unnamed_column() -> None:
    """import-acled-vintages.md (headers): a header ending in an unnamed column is
    read, and a row lacking only it lacks nothing; a cell holding only spaces (a
    note typed beside the table, then blanked) names no column either."""
    header, *rows = _table_of(ACLED)
    saved = [[*header, " "], [*rows[0], ""], rows[1], [*rows[2], ""]]
    batch = read_acled(io.StringIO(_written(saved)))
    assert (batch.refused, _ids(batch)) == ((), ["acled:SYN1", "acled:SYN2", "acled:SYN3"])
