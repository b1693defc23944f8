"""Files of statistical packages and compressed downloads (``importers/_formats.py``).

UCDP publishes its datasets as CSV, Excel, Stata and R files; the ETH/PRIO ceasefire
dataset comes as Stata; downloads come compressed. The rules, from the module's
docstring and docs/howto/import-acled-vintages.md ("Headers, delimiters, encodings,
workbooks"):

- a Stata ``.dta`` file is read as the CSV of the same table: a variable is a column,
  a labelled number its code, a missing value an empty cell, a ``%td`` date its ISO
  day, a ``%tc`` time its ISO time, a whole number without ``.0``, a single-precision
  float the shortest decimal of that float;
- a gzip file is read as the file it holds; one cut short is refused whole;
- R, SPSS, SAS, Parquet, Feather, SQLite and PDF files are refused before any row is
  read, naming what the file is and how to get a CSV of it;
- without pandas a Stata file is refused naming the ``stata`` extra.

The oracle for "read as the CSV" is the CSV itself: the shared GED sample imported
from its CSV file, record by record, against the same table written by pandas.
"""

from __future__ import annotations

import bz2
import datetime as dt
import errno
import gzip
import io
import lzma
import os
import signal
import struct
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conflict_timeline import ImportDataError, MissingExtraError, Timeline, to_json
from conflict_timeline.importers import read_ucdp
from conflict_timeline.importers._rows import open_table

pd = pytest.importorskip("pandas")

DATA = Path(__file__).parent / "data"
GED = DATA / "ucdp-ged-23.1-sample-1000.csv"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _payloads(source: object) -> list[str]:
    batch = read_ucdp(source)  # type: ignore[arg-type]
    assert not batch.refused, batch.messages()[:3]
    return [to_json(r) for r in batch.records]


def _ged_frame() -> object:
    return pd.read_csv(GED, dtype=str, keep_default_na=False)


def _cells(path_or_file: object, *columns: str) -> list[list[str]]:
    """The cells of ``columns`` of every row, as the reader gives them."""
    with open_table(path_or_file, required=columns) as table:  # type: ignore[arg-type]
        at = [table.index(c) for c in columns]
        return [[cells[i] for i in at] for _, cells in table.rows]


# ---------------------------------------------------------------------------- Stata


@pytest.mark.parametrize("version", [118, 119])
def test_the_ged_sample_as_a_stata_file_imports_the_records_of_its_csv(
    tmp_path: Path, version: int
) -> None:
    """Every variable a text column (as a CSV holds it): the records are byte for
    byte those of the CSV, in the formats of Stata 14 and later (UTF-8; the sample's
    text does not fit Stata 13's Latin-1: see the next test for those)."""
    path = tmp_path / "ged231.dta"
    _ged_frame().to_stata(path, write_index=False, version=version)  # type: ignore[attr-defined]
    assert _payloads(path) == _payloads(GED)


def test_the_ged_sample_with_typed_stata_variables_imports_the_records_of_its_csv(
    tmp_path: Path,
) -> None:
    """As UCDP's Stata files type them: ids and counts as integers, coordinates as
    doubles, the event's days as Stata dates (``%td``), names as strings."""
    frame = pd.read_csv(GED, keep_default_na=False)
    for column in ("date_start", "date_end"):
        frame[column] = pd.to_datetime(frame[column])
    path = tmp_path / "ged231.dta"
    frame.to_stata(
        path, write_index=False, version=118, convert_dates={"date_start": "td", "date_end": "td"}
    )
    assert _payloads(path) == _payloads(GED)


def test_a_stata_day_without_its_date_format_is_no_excel_serial_day(tmp_path: Path) -> None:
    """import-acled-vintages.md: a five-digit number in a date column is an Excel
    serial day only in a file a spreadsheet wrote. A Stata file's day saved without
    its ``%td`` format is a count of days since 1960 (23070 is 2023-03-01), which read
    as Excel's would be 1963-02-28: it is refused as no date, not misread; the same
    number in a CSV is Excel's day."""
    frame = pd.read_csv(GED, dtype=str, keep_default_na=False).head(1)
    frame["date_start"] = [23070]
    frame["date_end"] = [23070]
    path = tmp_path / "ged.dta"
    frame.to_stata(path, write_index=False, version=118)
    batch = read_ucdp(path)
    assert batch.records == ()
    assert [r.field for r in batch.refused] == ["date_start"]
    as_csv = tmp_path / "ged.csv"
    frame.to_csv(as_csv, index=False)
    (event,) = read_ucdp(as_csv).events()
    assert event.occurred.earliest == dt.datetime(1963, 2, 28, tzinfo=dt.UTC)


@pytest.mark.skipif(not SHARED.exists(), reason="the full real files are not on this machine")
def test_the_eth_prio_ceasefires_as_a_typed_stata_file_import_the_records_of_the_csv() -> None:
    """The real ETH/PRIO file, its codes as numbers, missing ones as Stata's ".":
    every record (ceasefires, ends, actors) byte for byte those of its CSV."""
    csv_path = SHARED / "ceasefires" / "eth-prio-ceasefires-dataset.csv"
    buffer = io.BytesIO()
    pd.read_csv(csv_path, encoding="utf-8-sig").to_stata(buffer, write_index=False, version=118)

    def stored(source: object) -> list[str]:
        timeline = Timeline()
        timeline.import_("eth-prio", source)  # type: ignore[arg-type]
        return [to_json(entry.record) for entry in timeline.store.read()]

    assert stored(io.BytesIO(buffer.getvalue())) == stored(csv_path)


def test_stata_cells_read_as_a_csv_of_the_same_table_writes_them(tmp_path: Path) -> None:
    """Each kind of Stata variable, against the cell a CSV export holds (written out)."""
    frame = pd.DataFrame(
        {
            "whole": pd.Series([3, 12, -1], dtype="int32"),
            "real": [3.0, 0.1, float("nan")],  # a missing number: Stata's "."
            "single": pd.Series([33.5138, 1.25, -2.1], dtype="float32"),
            "day": [dt.datetime(2020, 5, 9), pd.NaT, dt.datetime(1960, 1, 1)],
            "stamp": [dt.datetime(2020, 5, 9, 13, 45, 30), pd.NaT, dt.datetime(1999, 12, 31)],
            "text": ["Côte d'Ivoire", "", "“quoted”"],
            "coded": pd.Series([1, 2, 3], dtype="int8"),
        }
    )
    path = tmp_path / "cells.dta"
    frame.to_stata(
        path,
        write_index=False,
        version=118,
        convert_dates={"day": "td", "stamp": "tc"},
        value_labels={"coded": {1: "state-based", 2: "non-state", 3: "one-sided"}},
    )
    columns = ("whole", "real", "single", "day", "stamp", "text", "coded")
    assert _cells(path, *columns) == [
        ["3", "3", "33.5138", "2020-05-09", "2020-05-09T13:45:30", "Côte d'Ivoire", "1"],
        ["12", "0.1", "1.25", "", "", "", "2"],
        ["-1", "", "-2.1", "1960-01-01", "1999-12-31T00:00:00", "“quoted”", "3"],
    ]


@pytest.mark.parametrize(("version", "head"), [(114, b"r\x02\x01\x00"), (117, b"<stata_dta>")])
def test_an_old_stata_format_in_latin1_reads_its_text(
    tmp_path: Path, version: int, head: bytes
) -> None:
    """Stata 13 (format 117) and before (114: Stata 10 to 12) wrote Latin-1: read as
    the text it is."""
    path = tmp_path / "old.dta"
    pd.DataFrame({"name": ["Côte d'Ivoire", "Bogotá"], "n": [1, 2]}).to_stata(
        path, write_index=False, version=version
    )
    assert path.read_bytes()[: len(head)] == head
    assert _cells(path, "name", "n") == [["Côte d'Ivoire", "1"], ["Bogotá", "2"]]


def test_a_stata_file_is_known_by_its_bytes_in_a_stream_or_a_zip(tmp_path: Path) -> None:
    """Named or not (a stream without a name, UCDP's ``ged231-stata.zip``), a Stata
    file is read as one."""
    frame = _ged_frame()
    buffer = io.BytesIO()
    frame.to_stata(buffer, write_index=False, version=118)  # type: ignore[attr-defined]
    data = buffer.getvalue()
    assert _payloads(io.BytesIO(data)) == _payloads(GED)
    archive = tmp_path / "ged231-stata.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ged231.dta", data)
    assert _payloads(archive) == _payloads(GED)


def test_a_refused_stata_row_is_named_by_its_row_as_a_line_under_the_header(
    tmp_path: Path,
) -> None:
    """Row n of the data is "line n + 1", as if the header were line 1."""
    frame = _ged_frame()
    frame.loc[2, "best"] = "many"  # type: ignore[index]
    path = tmp_path / "ged.dta"
    frame.to_stata(path, write_index=False, version=118)  # type: ignore[attr-defined]
    batch = read_ucdp(path)
    assert [(r.line, r.field) for r in batch.refused] == [(4, "best")]


def test_a_file_named_dta_that_is_no_stata_file_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "ged.dta"
    path.write_bytes(GED.read_bytes())
    with pytest.raises(ImportDataError, match=r"ged\.dta is named \.dta but is not a Stata"):
        read_ucdp(path)


@pytest.mark.parametrize("version", [114, 118])
def test_a_stata_file_cut_short_is_refused_whole(tmp_path: Path, version: int) -> None:
    """A partial download, cut in its data: refused naming the file, not a traceback
    nor the rows before the cut."""
    buffer = io.BytesIO()
    frame = pd.DataFrame({"id": range(2_000), "name": [f"row {i}" for i in range(2_000)]})
    frame.to_stata(buffer, write_index=False, version=version)
    data = buffer.getvalue()
    path = tmp_path / "ged.dta"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(
        ImportDataError, match=r"ged\.dta: (cannot be read as a Stata|the Stata file is cut)"
    ):
        _cells(path, "id", "name")


def test_a_stata_file_cut_short_in_its_long_strings_is_refused_whole(tmp_path: Path) -> None:
    """Stata 13 and later keep long strings (strL) after the data: a file cut there
    is refused, not read with its last long string shortened."""
    frame = pd.DataFrame({"id": [1, 2], "notes": ["first note " * 300, "second note " * 300]})
    buffer = io.BytesIO()
    frame.to_stata(buffer, write_index=False, version=118, convert_strl=["notes"])
    data = buffer.getvalue()
    path = tmp_path / "notes.dta"
    path.write_bytes(data[: data.rfind(b"second note") - 1000])
    with pytest.raises(ImportDataError, match=r"notes\.dta: the Stata file is cut short"):
        _cells(path, "id", "notes")
    path.write_bytes(data)
    assert _cells(path, "id", "notes") == [["1", "first note " * 300], ["2", "second note " * 300]]


def test_stata_dates_of_every_display_format_read_as_stata_writes_them(tmp_path: Path) -> None:
    """A day (%td) as its ISO day, a time (%tc) as its ISO time, a week, month,
    quarter or half-year as Stata displays it (2020w19, 2020m5, 2020q2, 2020h1), a
    year (%ty) as the year: what the file holds, no day invented."""
    when = dt.datetime(2020, 5, 9, 13, 45, 30)
    kinds = ("td", "tc", "tw", "tm", "tq", "th", "ty")
    frame = pd.DataFrame({"n": [1, 2], **{kind: [when, pd.NaT] for kind in kinds}})
    path = tmp_path / "dates.dta"
    frame.to_stata(path, write_index=False, version=118, convert_dates={k: k for k in kinds})
    assert _cells(path, *frame.columns) == [
        [
            "1",
            "2020-05-09",
            "2020-05-09T13:45:30",
            "2020w19",
            "2020m5",
            "2020q2",
            "2020h1",
            "2020",
        ],
        ["2", "", "", "", "", "", "", ""],
    ]


def test_a_stata_leap_second_time_takes_out_the_leap_seconds_it_counts(tmp_path: Path) -> None:
    """%tC counts the 27 leap seconds inserted from 1972 to 2016 (%tc does not): its
    number for 2020-05-09 13:45:30 is %tc's plus 27 seconds, and 1972-07-01 00:00:00
    (after the first) is %tc's plus one."""
    frame = pd.DataFrame(
        {"t": [dt.datetime(2020, 5, 9, 13, 45, 57), dt.datetime(1972, 7, 1, 0, 0, 1)]}
    )
    buffer = io.BytesIO()
    frame.to_stata(buffer, write_index=False, version=118, convert_dates={"t": "tc"})
    data = buffer.getvalue()
    assert data.count(b"%tc\x00") == 1
    path = tmp_path / "tC.dta"
    path.write_bytes(data.replace(b"%tc\x00", b"%tC\x00"))
    assert _cells(path, "t") == [["2020-05-09T13:45:30"], ["1972-07-01T00:00:00"]]


def test_the_ged_sample_with_its_year_as_a_stata_year_imports_the_records_of_its_csv(
    tmp_path: Path,
) -> None:
    """``year`` formatted %ty (a year, not a day of it): read as the year it is."""
    frame = pd.read_csv(GED, keep_default_na=False)
    frame["year"] = pd.to_datetime(frame["year"].astype(str), format="%Y")
    path = tmp_path / "ged231.dta"
    frame.to_stata(path, write_index=False, version=118, convert_dates={"year": "ty"})
    assert _payloads(path) == _payloads(GED)


def test_stata_numbers_are_written_positional_and_whole_ones_without_a_point(
    tmp_path: Path,
) -> None:
    """No exponent: a float of a million is 1000000, a double of 1e-05 is 0.00001."""
    frame = pd.DataFrame(
        {
            "single": pd.Series([1e6, 33.5138, 2.5e-7], dtype="float32"),
            "dbl": [1e16, 1e-5, 123456789.125],
        }
    )
    path = tmp_path / "numbers.dta"
    frame.to_stata(path, write_index=False, version=118)
    assert _cells(path, "single", "dbl") == [
        ["1000000", "10000000000000000"],
        ["33.5138", "0.00001"],
        ["0.00000025", "123456789.125"],
    ]


def test_a_stata_extended_missing_value_is_an_empty_cell(tmp_path: Path) -> None:
    """``.a`` to ``.z`` are missing values, as ``.`` is: empty cells."""
    # A double's "." is 2**1023; ".a", ".b", ... add 2**40 each to its bits.
    bits = struct.unpack("<q", struct.pack("<d", 2.0**1023))[0] + 2 * (1 << 40)  # .b
    frame = pd.DataFrame({"id": pd.Series([1, 2], dtype="int32"), "n": [4.0, 1234.5]})
    buffer = io.BytesIO()
    frame.to_stata(buffer, write_index=False, version=118)
    data = buffer.getvalue()
    marker = struct.pack("<d", 1234.5)
    assert data.count(marker) == 1
    path = tmp_path / "missing.dta"
    path.write_bytes(data.replace(marker, struct.pack("<q", bits)))
    assert _cells(path, "id", "n") == [["1", "4"], ["2", ""]]


def test_an_old_stata_files_text_is_read_in_the_encoding_named(tmp_path: Path) -> None:
    """Stata 13 and earlier wrote the system's 8-bit encoding: read as Latin-1 unless
    another is named; a byte Latin-1 reads as a control character (0x80-0x9F, as
    cp1252's curly quotes) is refused, asking for the encoding."""
    path = tmp_path / "old.dta"
    # Latin-1 text holding U+0093 and U+0094: the file gets bytes 0x93 and 0x94,
    # cp1252's curly quotes.
    pd.DataFrame({"name": ["\x93quoted\x94 caf\xe9", "plain"]}).to_stata(
        path, write_index=False, version=114
    )
    with pytest.raises(ImportDataError, match=r"old\.dta, line 2: name: byte 0x93.*cp1252"):
        _cells(path, "name")
    with open_table(path, required=("name",), encoding="cp1252") as table:
        assert [cells[0] for _, cells in table.rows] == ["“quoted” café", "plain"]


def test_a_new_stata_file_with_text_not_utf8_is_refused_whole(tmp_path: Path) -> None:
    """Stata 14 and later write UTF-8: other bytes are refused (pandas would read them
    as Latin-1, with a warning only)."""
    buffer = io.BytesIO()
    pd.DataFrame({"name": ["Xé!"]}).to_stata(buffer, write_index=False, version=118)
    data = buffer.getvalue()
    assert data.count("Xé!".encode()) == 1
    path = tmp_path / "bad.dta"
    path.write_bytes(data.replace("Xé!".encode(), b"X\xe9 !"))
    with pytest.raises(ImportDataError, match=r"bad\.dta: holds text that is not UTF-8"):
        _cells(path, "name")


def test_a_stata_file_with_no_rows_has_its_header(tmp_path: Path) -> None:
    """Its columns are read (a missing one is named, as for a CSV), and no row."""
    path = tmp_path / "empty.dta"
    pd.DataFrame(
        {"id": pd.Series([], dtype="int32"), "name": pd.Series([], dtype=object)}
    ).to_stata(path, write_index=False, version=118)
    assert _cells(path, "id", "name") == []
    with pytest.raises(ImportDataError, match=r"missing required column 'date'"):
        _cells(path, "id", "date")


def test_a_stata_file_given_as_a_text_stream_is_refused_saying_so() -> None:
    """A file named ``.dta`` opened as text: refused, saying to open it in binary."""
    with (
        pytest.raises(ImportDataError, match=r"x\.dta is a Stata data file given as text"),
        open_table(io.StringIO("a\n1\n"), required=("a",), name="x.dta"),
    ):
        pass


def test_without_pandas_a_stata_file_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ged.dta"
    _ged_frame().to_stata(path, write_index=False, version=118)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if not installed
    with pytest.raises(MissingExtraError) as raised:
        read_ucdp(path)
    message = str(raised.value)
    assert "ged.dta is a Stata data file" in message
    assert "conflict_timeline[stata]" in message
    assert "export delimited" in message


# ----------------------------------------------------------------------------- gzip


COMPRESSORS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


@pytest.mark.parametrize("suffix", sorted(COMPRESSORS))
def test_a_compressed_csv_imports_as_the_csv_it_holds(tmp_path: Path, suffix: str) -> None:
    """gzip, bzip2 or xz, known by its bytes: by path, and as a stream without a name."""
    path = tmp_path / f"ged231.csv{suffix}"
    path.write_bytes(COMPRESSORS[suffix](GED.read_bytes()))
    assert _payloads(path) == _payloads(GED)
    assert _payloads(io.BytesIO(path.read_bytes())) == _payloads(GED)


def test_a_compressed_stata_file_imports_as_the_stata_file_it_holds(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    _ged_frame().to_stata(buffer, write_index=False, version=118)  # type: ignore[attr-defined]
    path = tmp_path / "ged231.dta.gz"
    path.write_bytes(gzip.compress(buffer.getvalue()))
    assert _payloads(path) == _payloads(GED)


@pytest.mark.parametrize("suffix", sorted(COMPRESSORS))
def test_a_compressed_file_cut_short_is_refused_whole_and_writes_nothing(
    tmp_path: Path, suffix: str
) -> None:
    """A partial download: refused naming the file, not a traceback; nothing written."""
    whole = COMPRESSORS[suffix](GED.read_bytes())
    path = tmp_path / f"ged231.csv{suffix}"
    path.write_bytes(whole[: len(whole) // 2])
    timeline = Timeline()
    with pytest.raises(ImportDataError) as raised:
        timeline.import_("ucdp", path)
    assert str(raised.value).startswith(f"ged231.csv{suffix}: the compressed file is cut short")
    assert timeline.store.head() == 0


@pytest.mark.parametrize("suffix", sorted(COMPRESSORS))
def test_a_damaged_compressed_file_is_refused_whole(tmp_path: Path, suffix: str) -> None:
    """Bytes changed in the middle (a bad copy): refused whole naming the file, and
    nothing written. bzip2 and xz check each block as it is read; gzip checks its
    checksum at the end, so what it decoded before may be refused first, as text
    that is not UTF-8."""
    whole = bytearray(COMPRESSORS[suffix](GED.read_bytes()))
    middle = len(whole) // 2
    whole[middle : middle + 64] = bytes(64)
    path = tmp_path / f"ged231.csv{suffix}"
    path.write_bytes(bytes(whole))
    timeline = Timeline()
    with pytest.raises(ImportDataError) as raised:
        timeline.import_("ucdp", path)
    message = str(raised.value)
    if suffix == ".gz":
        assert message.startswith("ged231.csv.gz")
    else:
        assert message.startswith(f"ged231.csv{suffix}: the compressed file is cut short")
    assert raised.value.whole_file
    assert timeline.store.head() == 0


def test_a_csv_whose_header_starts_like_a_bzip2_file_is_read_as_text() -> None:
    """Only the whole signature makes a file bzip2 ("BZh", a block size, a block's
    magic): a header that merely starts with "BZh" is a CSV's."""
    text = "BZh9,id\nx,1\n"
    with open_table(io.BytesIO(text.encode()), required=("id",)) as table:
        assert [cells[table.index("id")] for _, cells in table.rows] == ["1"]


# ------------------------------------------------------------------ other formats

_R_DATA = gzip.compress(b"X\n\x00\x00\x00\x03\x00\x04\x03\x02", mtime=0)


@pytest.mark.parametrize(
    ("name", "data", "what", "advice"),
    [
        ("ged231.rds", _R_DATA, "an R data file", "readRDS"),
        ("download", _R_DATA, "an R data file", "readRDS"),  # no suffix: the bytes tell
        # saveRDS(ascii = TRUE), compressed: a first line "A" would read as a header
        (
            "download2",
            gzip.compress(b"A\n3\n263169\n197888\n", mtime=0),
            "an R data file",
            "readRDS",
        ),
        # an .RData holds named data frames: load(), not readRDS(), reads it
        (
            "ged.RData",
            gzip.compress(b"RDX3\nX\n\x00\x00", mtime=0),
            "an R data file",
            "load(path)",
        ),
        ("ged.rda", b"RDX2\nX\n\x00\x00", "an R data file", "load(path)"),
        (
            "download3",
            gzip.compress(b"RDX3\nX\n\x00\x00", mtime=0),
            "an R data file",
            "load(path)",
        ),
        ("ged.parquet", b"PAR1\x15\x04" + bytes(40) + b"PAR1", "a Parquet file", "to_csv"),
        ("ged.feather", b"ARROW1\x00\x00" + bytes(40), "an Arrow/Feather file", "to_csv"),
        ("ged.sav", b"$FL2@(#) IBM SPSS" + bytes(40), "an SPSS data file", "Export"),
        ("ged.sas7bdat", bytes(12) + b"\xc2\xea\x81\x60" + bytes(40), "a SAS data set", "PROC"),
        ("ged.db", b"SQLite format 3\x00" + bytes(40), "a SQLite database", "copy"),
        ("codebook.pdf", b"%PDF-1.7\n" + bytes(40), "a PDF document", "data file"),
    ],
)
def test_a_file_of_another_package_is_refused_saying_what_it_is(
    tmp_path: Path, name: str, data: bytes, what: str, advice: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportDataError) as raised:
        read_ucdp(path)
    message = str(raised.value)
    assert message.startswith(f"{name} is {what}")
    assert "not a table this importer reads (CSV, JSON, Excel or Stata)" in message
    assert advice in message
    assert raised.value.whole_file


@pytest.mark.parametrize(
    "header",
    ["PAR1,id", "%PDF,id", "$FL2,id", "ARROW1,id", "RDX,id", "X,id", "SQLite,id"],
)
def test_a_csv_whose_header_starts_like_another_format_is_read_as_a_csv(header: str) -> None:
    """Only a format's whole signature refuses a file: a first column named ``PAR1``
    or ``%PDF`` is a CSV's (as a path, a stream, and gzipped)."""
    text = f"{header}\nx,1\n".encode()
    for source in (io.BytesIO(text), io.BytesIO(gzip.compress(text))):
        with open_table(source, required=("id",)) as table:
            assert [cells[table.index("id")] for _, cells in table.rows] == ["1"]


class Trickle(io.RawIOBase):
    """A pipe that hands over its bytes a few at a time, and cannot seek."""

    def __init__(self, data: bytes, step: int = 1) -> None:
        self._data, self._at, self._step = data, 0, step

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data[self._at : self._at + min(self._step, len(buffer))]
        buffer[: len(chunk)] = chunk
        self._at += len(chunk)
        return len(chunk)


def test_a_pipe_that_trickles_its_bytes_is_known_by_them() -> None:
    """A compressed file, a Stata file and a zip archive from a stream that gives a
    byte (or three) at a time and cannot seek: each known by its first bytes. (The
    sample's first 100 rows: what is known is in the first bytes, whatever follows.)"""
    frame = _ged_frame().head(100)  # type: ignore[attr-defined]
    csv_bytes = frame.to_csv(index=False).encode("utf-8")
    buffer = io.BytesIO()
    frame.to_stata(buffer, write_index=False, version=118)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ged231.csv", csv_bytes)
    expected = _payloads(io.BytesIO(csv_bytes))
    assert len(expected) >= 100  # a record or more a row
    for data in (
        gzip.compress(csv_bytes),
        lzma.compress(csv_bytes),
        buffer.getvalue(),
        archive.getvalue(),
        gzip.compress(archive.getvalue()),  # ged231-csv.zip.gz
    ):
        for step in (1, 3):
            assert _payloads(Trickle(data, step)) == expected


class Failing(io.RawIOBase):
    """A stream whose device fails once its first bytes are read."""

    def __init__(self, data: bytes) -> None:
        self._data, self._at = data, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._at >= len(self._data):
            raise OSError(errno.EIO, "Input/output error")
        chunk = self._data[self._at : self._at + len(buffer)]
        buffer[: len(chunk)] = chunk
        self._at += len(chunk)
        return len(chunk)


def test_a_stream_that_fails_under_a_compressed_file_is_its_own_error() -> None:
    """The caller's stream failing while a compressed file is read is the operating
    system's error, not "the compressed file is cut short"."""
    data = gzip.compress(GED.read_bytes())
    assert len(data) > 40_000
    with pytest.raises(OSError, match="Input/output error") as raised:
        read_ucdp(Failing(data[:40_000]))
    assert not isinstance(raised.value, ImportDataError)


def test_a_binary_long_string_is_read_as_its_utf8_text_or_refused() -> None:
    """Stata 13 and later can keep a long string (strL) as bytes: read as the UTF-8
    text it holds (its closing NUL dropped); other bytes are refused."""
    from conflict_timeline.importers._formats import _column_text

    np = pytest.importorskip("numpy")
    column = pd.Series(["Côte".encode() + b"\x00", None, "plain"], dtype=object)
    assert _column_text(np, column, "%9s", "f.dta", "notes") == ["Côte", "", "plain"]
    with pytest.raises(ImportDataError, match=r"f\.dta: notes: holds a binary long string"):
        _column_text(np, pd.Series([b"\xff\xfe"], dtype=object), "%9s", "f.dta", "notes")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("compressed", [False, True])
def test_a_path_that_is_a_pipe_is_read_once_as_a_stream(tmp_path: Path, compressed: bool) -> None:
    """``curl ... | conflict-timeline import ucdp /dev/stdin``: a path that is a pipe
    is opened once (each look at a path's first bytes would take them from the
    pipe), and its file read as from the path of a file."""
    fifo = tmp_path / "download"
    os.mkfifo(fifo)
    data = GED.read_bytes()
    data = gzip.compress(data, mtime=0) if compressed else data

    def feed() -> None:
        with fifo.open("wb") as pipe:
            pipe.write(data)

    def stuck(signum: int, frame: object) -> None:
        raise TimeoutError("the pipe was opened again after its writer was done")

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(60)  # a second open of the pipe would wait for a writer forever
    try:
        found = _payloads(fifo)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        writer.join(timeout=30)
    assert found == _payloads(GED)
