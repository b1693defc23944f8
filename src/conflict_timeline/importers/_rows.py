"""Reading the CSV files conflict datasets publish.

One reader for every importer, so that they all behave alike:

- the file is UTF-8 unless the caller names another ``encoding`` (``"cp1252"`` for
  a file Excel saved on Windows: the library never guesses one); a leading
  byte-order mark (as Excel and some exports write) is dropped, whether the caller
  gives a path, a binary file or a text file; a file (a path or a binary file) that
  starts with a UTF-16 byte-order mark (``FF FE`` or ``FE FF``, as Excel's "Unicode
  text" does) is read as UTF-16 when no other encoding is named: the mark says so;
- the delimiter is detected from the header line: ``,``, ``;`` or a tab, whichever
  it holds most of (outside quotes), unless a first line ``sep=;`` (Excel's hint)
  names it;
- a cell may hold up to `MAX_FIELD_CHARS` characters; a row with a longer
  cell is refused on its own (the rest of the file is read);
- an Excel workbook (``.xlsx``, ``.xlsm``, ``.xlsb``, ``.xls``, ``.ods``, or a file
  that starts like one) is read from its first sheet through ``python-calamine`` (the ``excel``
  extra); without it the import stops with a message naming the extra. A date cell
  comes as its day, on the workbook's own date system; a serial day number left in a
  cell of another format comes as written, and the table says which system the
  workbook counts days in (`Table.date_system`: 1904 for an ``.xlsx``/``.xlsm``,
  ``.xlsb``, ``.xls`` or ``.ods`` saved on that system, as old Mac Excel did; 1900
  otherwise, and for every other file, which does not say). An ``.xlsx``/``.xlsm``
  error cell (``#NAME?``, ``#VALUE!``...) comes as the text Excel shows, as in the
  CSV Excel saves (`_error_cells`: calamine gives it as an empty cell); an
  ``.xlsb``, ``.xls`` or ``.ods`` one still comes empty;
- a zip archive that is no workbook and holds one data file (``.csv``, ``.tsv``,
  ``.txt`` or ``.json``: UCDP publishes GED as ``ged231-csv.zip``) is read as that
  file, named ``archive.zip/file.csv`` in messages; one holding several, or none, is
  refused naming what it holds;
- a Stata data file (``.dta``), a compressed file (gzip, bzip2, xz), and files of
  other packages (R, SPSS, SAS, Parquet, ...) are told by their first bytes (see
  `._formats`): a Stata file is read through pandas (the ``stata`` extra), a
  compressed file as the file it holds, the others refused saying what they are;
- a JSON answer of a dataset's API (ACLED's ``{"data": [...]}``, UCDP's
  ``{"Result": [...]}``) or a JSON array of objects is read one object per row, its
  keys as the columns (a row's "line" is then its place in the list plus one, as if
  a header were line 1), a row at a time (see `._json`): checked whole first, so a
  download cut short is refused before any row is imported;
- header names are matched without surrounding spaces and case-insensitively;
  columns nobody asked for are ignored, so a newer export with extra columns still
  reads; a column given twice (``NOTES`` and ``notes``, or its name and an older one,
  an alias) is read from whichever of the two a row fills, and a row that fills both
  with different values is handed back as a bad row naming both;
- a missing required column raises [`ImportDataError`][conflict_timeline.errors.ImportDataError]
  naming the file and the
  column before any row is read;
- every row comes with the number of the line it *starts* on (a quoted field may
  span lines), so a refused row can be found in an editor;
- blank lines and rows of empty cells (``,,,,``, as Excel leaves them) are skipped,
  and so is a row of HXL hashtags right under the header (``#event+code,...``: HDX
  adds one to the files it shares); a row whose field count differs from the
  header's is handed back as such for the importer to refuse, but for the empty
  cells a spreadsheet pads rows with or leaves out (`_fitted`): a row lacking only
  the header's unnamed last columns is read with them empty, and one whose cells
  past the header are all empty, or one lacking last cells, is read without them or
  with them empty when the row before or after it has as many cells (`_rows`);
- a header repeated further down (files joined one after another: `_is_header`) is
  no row: the rows under it are read by it when it names the first header's columns
  in another order, and handed back as bad rows, naming it, when it names others;
- a line break inside a cell is read as LF whether the file wrote it CRLF (a CSV
  saved on Windows: Excel, R) or a lone CR (old Mac text), in every form read (CSV,
  JSON, a workbook's or a Stata file's cells): the same data saved by another tool
  gives the same record;
- a cell that holds exactly ``NA`` (how R's ``write.csv`` and ``readr`` write a
  missing value) is read as empty: no dataset these importers read uses ``NA`` as a
  value. The cell remembers it (`written` gives back ``"NA"``), so that a refusal
  of a cell a row needs quotes what the file holds; a cell that holds pandas' ``nan``
  or ``NaN`` is read as empty by the importers that ask for it (`nan_as_empty`);
- a header that lacks a required column names, besides the column, the importers
  whose dataset the header looks like ("... this looks like a UCDP GED file: use
  the 'ucdp' importer").

Broken CSV quoting does not stop the import: the reader reads on, and a row that comes
out with another number of fields than the header is refused on its own (a quote left
open takes the lines after it into its cell, up to the next quote, and they are
refused with it; so is a row whose count comes out right but one of whose cells holds
such lines: `_swallowed`). Bytes that are not UTF-8 (or of the named encoding), and what the
csv module cannot read at all, stop the import with
[`ImportDataError`][conflict_timeline.errors.ImportDataError] ("file.csv, line 7: ..."): after them
no later line can be trusted, so they are not per-row refusals.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as _dt
import errno
import io
import itertools
import json
import lzma
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Final, Protocol, TypeAlias, cast

import attrs
import orjson

from .._files import ZIP_MAGIC, sole_file, stream_head
from ..errors import ImportDataError, MissingExtraError
from ._formats import (
    HEAD_BYTES,
    compression,
    is_stata,
    refuse_foreign,
    stata_rows,
)
from ._json import BOM, UNDECODED, json_rows

__all__ = [
    "MAX_FIELD_CHARS",
    "NO_SPREADSHEET",
    "BadRow",
    "PathOrFile",
    "Table",
    "header_delimiter",
    "nan_as_empty",
    "open_table",
    "written",
]

PathOrFile: TypeAlias = str | os.PathLike[str] | IO[str] | IO[bytes]
"""A path, or an open file in text or binary mode."""

MAX_FIELD_CHARS: Final = 64 * 1024 * 1024
"""The longest cell an import reads (64 Mi characters); a row with a longer one is
refused on its own. Python's csv module stops at 131,072 by default, which real
notes fields have exceeded."""

# Bytes that are not UTF-8 decode to lone surrogates (`UNDECODED` finds them), found
# row by row, so the error names the line they are on (a strict decoder fails a whole
# read-ahead chunk early).
_ERRORS = "surrogateescape"
_DELIMITERS: Final = (",", ";", "\t")
_PROBE: Final = 65_536  # characters of a line read to tell JSON from a CSV header
_WORKBOOK_SUFFIXES: Final = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
_UTF16_BOMS: Final = frozenset({b"\xff\xfe", b"\xfe\xff"})
_WORKBOOK_PARTS: Final = frozenset({"[Content_Types].xml", "mimetype"})
"""Members that make a zip archive a workbook (Office Open XML; OpenDocument)."""
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"
_TOO_LONG: Final = "field larger than field limit"
# What R (write.csv, readr) writes into an empty cell: read as the empty cell it was.
_MISSING: Final = frozenset({"NA"})


class _WrittenNA(str):
    """An empty cell the file wrote as ``NA``: equal to ``""`` for every reader, but
    `written` tells what the file holds."""

    __slots__ = ()


_NA: Final = _WrittenNA()


def written(cell: str) -> str:
    """What the file wrote in ``cell``: ``"NA"`` for a cell read as empty from ``NA``
    (R's missing value), the cell itself otherwise. For messages that quote a cell."""
    return "NA" if isinstance(cell, _WrittenNA) else cell


csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))


class BadRow(list[str]):
    """A row the reader could not line up with the header, with the reason: its field
    count differs from the header's, or a cell is over `MAX_FIELD_CHARS`. The
    importers refuse it as field ``row``."""

    def __init__(self, cells: list[str], reason: str) -> None:
        super().__init__(cells)
        self.reason = reason


def _not_utf8(
    name: str, line: int, header: Sequence[str], cells: Sequence[str], encoding: str
) -> None:
    for i, cell in enumerate(cells):
        found = UNDECODED.search(cell)
        if found is not None:
            column = header[i].strip() if i < len(header) else f"cell {i + 1}"
            byte = ord(found.group()) - 0xDC00
            hint = (
                "re-save the file as UTF-8, or name its encoding (encoding='cp1252', "
                "--encoding cp1252)"
                if _is_utf8(encoding)
                else "name the file's real encoding"
            )
            shown = "UTF-8" if _is_utf8(encoding) else encoding
            msg = f"{name}, line {line}: {column}: not {shown} (byte 0x{byte:02x}); {hint}"
            raise ImportDataError(msg, whole_file=True)


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name in {"utf-8", "utf-8-sig"}


def _single_byte(encoding: str) -> bool:
    """Is ``encoding`` one byte a character (cp1252, latin-1), not UTF-8 or UTF-16?"""
    return not _is_utf8(encoding) and len("a".encode(encoding)) == 1


def _utf8_misread(
    name: str, line: int, header: Sequence[str], cells: Sequence[str], encoding: str
) -> None:
    """Stop the import when a row read in the single-byte encoding the caller named
    (``cp1252``) is UTF-8 text: its bytes read as UTF-8 (``Libération`` read as
    ``LibÃ©ration``), which the letters of a text written in that encoding almost
    never do (an accented letter is one byte there, no UTF-8 sequence). Read on, every
    name with such a letter would be stored misspelt."""
    try:
        "\x1f".join(cells).encode(encoding).decode("utf-8")
    except UnicodeError:
        return  # (some byte is no UTF-8: text of the encoding named)
    for i, cell in enumerate(cells):
        if not cell.isascii():
            column = header[i].strip() if i < len(header) else f"cell {i + 1}"
            shown = cell.encode(encoding).decode("utf-8")
            msg = (
                f"{name}, line {line}: {column}: {written(cell)[:60]!r} is UTF-8 read as "
                f"{encoding} (as UTF-8: {shown[:60]!r}); the file is UTF-8: import it "
                "without naming an encoding"
            )
            raise ImportDataError(msg, whole_file=True)


NO_SPREADSHEET: Final = 0
"""`Table.date_system` of a file no spreadsheet writes: it holds no Excel day numbers."""


@attrs.frozen(kw_only=True)
class Table:
    """An open CSV file (or a workbook's first sheet): its name, columns and rows.

    Attributes:
        name: The file's name for messages (``"<stream>"`` for an unnamed stream).
        columns: Lower-cased header name -> cell index. A wanted column the file
            lacks maps to ``width``: every row from `rows` has one extra empty
            cell there, so lookups need no branch.
        width: How many columns the header has.
        rows: ``(line, cells)`` per row, ``line`` being where the row starts. A row
            with ``width`` cells comes with the empty cell appended; a row of another
            length, or with a cell over `MAX_FIELD_CHARS`, comes as a
            `BadRow` saying why, for the importer to refuse.
        date_system: The day numbering of the file's Excel serial day numbers: 1904
            for a workbook saved on Excel's 1904 date system (day 0 is 1 January
            1904), else 1900 (day 0 is 30 December 1899). A CSV does not say: 1900.
            0 for a file no spreadsheet writes (a Stata file, a JSON answer): a
            number there is no Excel day (a Stata day without its date format counts
            from 1960).
    """

    name: str
    columns: dict[str, int]
    width: int
    rows: Iterator[tuple[int, list[str]]]
    date_system: int = 1900

    def index(self, column: str) -> int:
        """The cell index of ``column`` (``width``, an always-empty cell, when absent)."""
        return self.columns.get(column, self.width)

    def has(self, column: str) -> bool:
        """Does the file have ``column``?"""
        return column in self.columns

    def column_at(self, index: int) -> str:
        """The (lower-cased) name of the column at cell ``index``."""
        return next((c for c, i in self.columns.items() if i == index), f"column {index + 1}")


_PANDAS_MISSING: Final = frozenset({"nan", "NaN"})
"""How pandas writes a missing value into a frame saved as text (`nan_as_empty`)."""


def nan_as_empty(table: Table) -> Table:
    """``table`` with each cell that holds exactly ``nan`` or ``NaN`` read as the
    empty cell it was (as ``NA``, exactly: pandas writes no spaces around it; a row
    without either is passed on untouched, tested at C speed).

    pandas writes a missing value so in a frame saved as text, in every column:
    ``nan`` for ``df.astype(str).to_csv()`` (before pandas 3.0) or
    ``df.map(str).to_csv()``, and an integer column that held one as floats
    (``1648.0``, read as the number by `._cells.whole`); ``NaN`` with
    ``to_csv(na_rep="NaN")``, as numpy, Java and JavaScript spell it. R's ``NA`` is
    read as empty by every importer (above). A GED file re-saved so used to correct
    992 of the shared sample's 1,000 events when imported over the published file
    (sources published by "nan", places named "nan"), an ACLED file every event; a
    ceasefire file flagged 238 of UCDP 22.1's agreements "ended code not understood".
    No cell of the published GED, ACLED or ceasefire files holds either spelling.

    Any other case is the word as written, in every column: Nan is a real place
    (Thailand's Nan province: ACLED's ``admin1`` and ``location`` ``Nan``), and
    pandas keeps a text's case (``"Nan"`` stays ``"Nan"``; its own ``read_csv``
    reads ``nan`` and ``NaN`` as missing, not ``Nan``), so in a re-saved file the
    real name and a missing cell written ``nan`` are told apart by their case. A
    name published as ``nan`` or ``NaN`` would be read as missing: no dataset these
    importers read writes a name so (names are capitalised). Reading ``nan`` as
    missing only in columns that never hold a name would not do: a re-saved file
    writes a missing ``admin1`` or ``actor2`` ``nan`` too, which would name a place
    or an actor "nan". Unlike ``NA``, the cell keeps nothing of what the file wrote
    (`written` gives ``""``), so a note quoting it says "empty", as for the file as
    published, and a refusal of a cell every row needs says it "is empty"."""

    def rows() -> Iterator[tuple[int, list[str]]]:
        for line, cells in table.rows:
            if not _PANDAS_MISSING.isdisjoint(cells):  # else untouched (most rows)
                cells[:] = ["" if cell in _PANDAS_MISSING else cell for cell in cells]
            yield line, cells

    return attrs.evolve(table, rows=rows())


def _name_of(source: PathOrFile) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    name = getattr(source, "name", None)
    return Path(name).name if isinstance(name, str) and name else "<stream>"


def text_codec(encoding: str) -> str:
    """The codec a file named in ``encoding`` is read with; `ImportDataError` for a
    name Python does not know, or one that is no text encoding (rot13, hex)."""
    try:
        found = codecs.lookup(encoding).name
    except LookupError:
        msg = f"unknown encoding {encoding!r} (e.g. utf-8, cp1252, latin-1)"
        raise ImportDataError(msg) from None
    try:  # a text encoding a file can be read in, past bytes that are not of it
        "a,b".encode(found).decode(found, _ERRORS)
    except (LookupError, UnicodeError):  # rot13, hex (no text encoding), idna
        msg = f"{encoding!r} is no encoding a text file is read in (e.g. utf-8, cp1252, latin-1)"
        raise ImportDataError(msg) from None
    return "utf-8-sig" if found in {"utf-8", "utf-8-sig"} else found


@contextlib.contextmanager
def _text(source: PathOrFile, encoding: str) -> Iterator[IO[str]]:
    if isinstance(source, str | os.PathLike):
        with Path(source).open(encoding=encoding, errors=_ERRORS, newline="") as fh:
            yield fh
        return
    probe = source.read(0)
    if isinstance(probe, bytes):
        wrapper = io.TextIOWrapper(
            cast("IO[bytes]", source), encoding=encoding, errors=_ERRORS, newline=""
        )
        try:
            yield wrapper
        finally:
            # The caller owns the stream: do not close it. One the caller closed
            # first (an interrupt unwinding its ``with`` before this one) has nothing
            # left to keep open, and detaching would raise over the interrupt.
            with contextlib.suppress(ValueError):
                wrapper.detach()
        return
    yield cast("IO[str]", source)


class _Reader(Protocol):
    line_num: int

    def __next__(self) -> list[str]: ...


class _Padded(list[str]):
    """A row of another length than the header's as a spreadsheet saved it (`_fitted`:
    its empty cells past the header left out, or its missing last cells empty), until
    `_rows` knows whether a row next to it has as many cells: ``written`` is the row as
    the file wrote it."""

    def __init__(self, cells: list[str], written: list[str]) -> None:
        super().__init__(cells)
        self.written = written


def _fitted(cells: list[str], width: int, named: int) -> list[str]:
    """A row of another length than the header's (``width`` cells, the last named one
    at ``named``) as a spreadsheet saved it, else as it is.

    Excel writes an empty cell for each column of the sheet it saves that holds
    nothing in the row: a column beyond the data that ever held something (a note
    typed beside the table, then cleared), in every row or only in some of them, the
    header's too or not. And it leaves out the last columns of a run of rows (its
    buffer's) when they are empty in all of them (StataCorp, "How Excel writes empty
    cells", 1997): a GED file saved so has runs of rows without ``gwnob``. A row
    lacking only the header's unnamed last columns lacks nothing: it comes with them
    empty (no cell moves: an unquoted comma makes a row longer, never shorter). A row
    whose cells past the header, and under its unnamed columns, are all empty comes
    without them, and a row lacking named last columns with them empty, each as a
    `_Padded` row, which `_rows` takes only beside a row of as many cells (a
    spreadsheet saves a run of rows alike), and refuses on its own: an unquoted comma
    in a cell of a row whose last cell is empty (GED's ``gwnob``, mostly) makes a row
    of the first kind, read shifted; a row cut short (the last of a download cut
    short) one of the second, its last cell cut too."""
    count = len(cells)
    if count > width and not any(map(written, cells[named:])):  # ``NA`` is no padding
        return _Padded(cells[:width], cells)
    if count < width:
        filled = cells + [""] * (width - count)
        return filled if count >= named else _Padded(filled, cells)
    return cells


def _rows(
    reader: _Reader, name: str, header: Sequence[str], encoding: str
) -> Iterator[tuple[int, list[str]]]:
    """`_cells`' rows, a `_Padded` one taken when the row before or after it wrote as
    many cells (the header is the row before the first), else refused saying why
    (`_fitted`)."""
    width = len(header)
    held: tuple[int, _Padded] | None = None  # waiting for the row after it
    before = width  # the cells the row before wrote
    for start, cells, count in _cells(reader, name, header, encoding):
        if held is not None:
            yield _settled(*held, width, alike=count == len(held[1].written))
            held = None
        if isinstance(cells, _Padded):
            if count == before:
                yield start, list(cells)
            else:
                held = start, cells
        elif cells is not None:  # None: the header again, or HDX's hashtags
            yield start, cells
        before = count
    if held is not None:
        yield _settled(*held, width, alike=False)


def _settled(start: int, cells: _Padded, width: int, *, alike: bool) -> tuple[int, list[str]]:
    """A `_Padded` row read as a spreadsheet saved it when a row next to it wrote as
    many cells (``alike``), else refused, saying why (a short row as any of another
    length)."""
    if alike:
        return start, list(cells)
    count, extra = len(cells.written), len(cells.written) - width
    if extra < 0:
        return start, BadRow(cells.written, f"has {count} fields but the header has {width}")
    past = "the cell past the header is" if extra == 1 else f"the {extra} cells past it are"
    return start, BadRow(
        cells.written,
        f"has {count} fields but the header has {width}; {past} empty, as a spreadsheet "
        f"pads a row, but neither row next to it has {count} fields, as padded rows do, "
        "so an unquoted comma in a cell may have shifted it",
    )


def _cells(
    reader: _Reader, name: str, header: Sequence[str], encoding: str
) -> Iterator[tuple[int, list[str] | None, int]]:
    """Each row: the line it starts on, its cells (a `BadRow` saying why it cannot be
    read; a `_Padded` one for `_rows` to settle; None for a row that is no row: the
    header again, HDX's hashtags) and how many cells the file wrote."""
    width = len(header)
    named = max((i + 1 for i, cell in enumerate(header) if _header_key(cell)), default=width)
    headers = _Headers(header)
    dialect = getattr(reader, "dialect", None)  # a CSV reader's (a workbook has cells)
    delimiter: str | None = getattr(dialect, "delimiter", None)
    misread = delimiter is not None and _single_byte(encoding)  # UTF-8 read as cp1252?
    while True:
        start = reader.line_num + 1  # the next row starts one past the last line read
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if str(exc).startswith(_TOO_LONG):  # the reader goes on after the row
                yield (
                    start,
                    BadRow([], f"a cell is longer than {MAX_FIELD_CHARS:,} characters"),
                    0,
                )
                continue
            msg = f"{name}, line {start}: not valid CSV ({exc}); fix the quoting and re-run"
            raise ImportDataError(msg) from None
        except UnicodeError as exc:  # a decode error, or UTF-16 without its BOM
            msg = (
                f"{name}, line {start}: not {encoding} ({getattr(exc, 'reason', exc)}); "
                "re-save the file"
            )
            raise ImportDataError(msg) from None
        if not _MISSING.isdisjoint(cells):
            read = [_NA if cell in _MISSING else cell for cell in cells]
            cells = BadRow(read, cells.reason) if isinstance(cells, BadRow) else read
        joined = "\x1f".join(cells)
        if "\r" in joined:  # a line break inside a cell, written CRLF or CR: as LF
            read = [_lf(cell) for cell in cells]
            cells = BadRow(read, cells.reason) if isinstance(cells, BadRow) else read
        if not cells or (not cells[0].strip() and not "".join(cells).strip()):
            continue  # a blank line, or a row of empty cells (",,,,": Excel leaves them)
        if headers.skips(cells, start):  # HDX's hashtag row, or the header again
            yield start, None, len(cells)  # no row, but its cells count for a padded one
            continue
        count = len(cells)
        cells, padded = _lined_up(cells, width, named, headers)
        problem = headers.apart or _swallowed(cells, joined, delimiter, header)
        if problem:
            yield start, BadRow(cells, problem), count
            continue
        if _SURROGATES.search(joined) is not None:
            if UNDECODED.search(joined) is not None:
                _not_utf8(name, start, header, cells, encoding)
            # A lone surrogate, from a text stream handed in (a file read as UTF-8
            # has none): not text any record can hold.
            yield (
                start,
                BadRow(cells, "holds a lone surrogate code point (not Unicode text)"),
                count,
            )
            continue
        if misread and not joined.isascii():
            _utf8_misread(name, start, header, cells, encoding)
        yield start, _ended(cells, width, padded), count


def _lined_up(
    cells: list[str], width: int, named: int, headers: _Headers
) -> tuple[list[str], list[str] | None]:
    """A row's cells fitted to the header (`_fitted`: a spreadsheet's padding) in the
    first header's order, and the row as the file wrote it when it was padded."""
    if len(cells) != width and not isinstance(cells, BadRow):
        cells = _fitted(cells, width, named)
    return headers.aligned(cells), cells.written if isinstance(cells, _Padded) else None


def _ended(cells: list[str], width: int, padded: list[str] | None) -> list[str]:
    """A row of the header's width with the always-empty cell appended (`Table.index`),
    a `_Padded` one when the file wrote it ``padded``; a row of another width refused."""
    if len(cells) != width:
        return BadRow(cells, f"has {len(cells)} fields but the header has {width}")
    cells.append("")
    return cells if padded is None else _Padded(cells, padded)


def _swallowed(
    cells: Sequence[str], joined: str, delimiter: str | None, header: Sequence[str]
) -> str:
    """Why the row is refused when one of its cells holds, after a line break, what
    reads as the start of a row: a line of at least half as many fields as the header
    (or three) whose first field has the shape of the row's first cell (an event id).
    Those are the rows after a quote left open, read into its cell up to the next
    quote (the field count can come out right, and they would be lost without a
    word); else "". A cell of text with line breaks (ACLED's or UCDP's notes) has no
    such line."""
    if delimiter is None or ("\n" not in joined and "\r" not in joined):
        return ""
    least = max(3, len(header) // 2)
    shape = _shape(cells[0])
    for i, cell in enumerate(cells):
        if "\n" not in cell:
            continue
        for number, line in enumerate(cell.split("\n")[1:], start=1):
            fields = line.count(delimiter) + 1
            # A row's start: many fields, the first shaped as this row's first cell
            # (an event id: ``NIG12``, ``214797``), which a line of notes is not.
            if fields >= least and _shape(line.split(delimiter, 1)[0]) == shape:
                column = header[i].strip() if i < len(header) else f"cell {i + 1}"
                return (
                    f"{column}: its line {number + 1} reads as {fields} fields, as rows of "
                    "the file do: a quote left open in it took the rows after it into "
                    "the cell; close the quote and import the file again (those rows "
                    "are not imported)"
                )
    return ""


def _shape(cell: str) -> str:
    """A cell's shape: each run of letters ``A``, of digits ``9`` (``NIG12``: ``A9``)."""
    return _DIGITS.sub("9", _LETTERS.sub("A", cell.strip().strip('"')))


_LETTERS: Final = re.compile(r"[^\W\d_]+")
_DIGITS: Final = re.compile(r"\d+")


def _header_key(cell: str) -> str:
    """A header cell as column names are matched: without a byte-order mark or the
    spaces around it, case-folded."""
    return cell.removeprefix(BOM).strip().lower()


class _Headers:
    """The header the rows are read by: the first, or one repeated further down
    (`_is_header`). Since one naming the first header's columns in another order,
    ``moved`` holds where each of those columns is in the rows; since one naming
    others, ``apart`` says why the rows under it cannot be read."""

    def __init__(self, header: Sequence[str]) -> None:
        self.names = [_header_key(cell) for cell in header]
        self.known = frozenset(self.names) - {""}
        self.moved: list[int] | None = None
        self.apart = ""
        self.under = True  # the next row is the first under a header

    def skips(self, cells: Sequence[str], line: int) -> bool:
        """Is this row no row: HDX's row of HXL hashtags right under a header (the
        first, or one repeated: HDX files joined), or the header again (`again`)?"""
        under, self.under = self.under, False
        if under and _is_hxl(cells):
            return True
        if self.again(cells, line):
            self.under = True
            return True
        return False

    def again(self, cells: Sequence[str], line: int) -> bool:
        """Is this row, at ``line``, the header again (then read the rows after it by
        it)?"""
        if not _is_header(cells, self.known):
            return False
        again = [_header_key(cell) for cell in cells]
        self.moved, self.apart = _realigned(self.names, again, line)
        return True

    def aligned(self, cells: list[str]) -> list[str]:
        """A row's cells in the first header's order."""
        moved = self.moved
        if moved is None or len(cells) != len(moved):
            return cells
        return [cells[i] for i in moved]


def _is_header(cells: Sequence[str], known: frozenset[str]) -> bool:
    """Is this row a header again (files of one dataset joined one after another, as
    ``cat 2022.csv 2023.csv`` or a spreadsheet's pasted blocks make them): at least
    three cells filled, and most of them names of the first header's columns? No
    dataset these importers read has a row whose cells are its own column names."""
    if not any(_header_key(cell) in known for cell in cells[:2]):
        return False  # a data row (checked first: this is asked of every row)
    filled = [key for key in map(_header_key, cells) if key]
    return len(filled) >= 3 and 2 * sum(key in known for key in filled) > len(filled)


def _named(names: list[str]) -> list[str]:
    """Header names without the unnamed columns at their end (a spreadsheet's padding)."""
    end = len(names)
    while end and not names[end - 1]:
        end -= 1
    return names[:end]


def _realigned(names: list[str], again: list[str], line: int) -> tuple[list[int] | None, str]:
    """How to read the rows under a header repeated at ``line`` (``again``): as they
    are (None) when it names the first header's columns in their order; through the
    positions of the first header's columns in it when it names them in another order;
    else, with the reason, refused (a file of another layout joined on: its rows
    cannot be read by the first header)."""
    if _named(again) == _named(names):  # a spreadsheet's padding aside (`_fitted`)
        return None, ""
    same_names = sorted(again) == sorted(names)
    if same_names and len(set(names)) == len(names):
        return [again.index(name) for name in names], ""
    lacks = [name for name in names if name and name not in again]
    adds = [name for name in again if name and name not in names]
    told = "; ".join(
        part
        for part in (
            f"lacks {', '.join(lacks[:5])}" if lacks else "",
            f"adds {', '.join(adds[:5])}" if adds else "",
        )
        if part
    )
    if not told and same_names:
        # The same names in another order, one of them given twice: which of the two
        # columns of that name is which cannot be told.
        twice = sorted({name for name in names if names.count(name) > 1})
        told = f"the same names in another order, {', '.join(twice[:5])} given twice"
    return None, (
        f"follows the header repeated at line {line}, whose columns differ from the "
        f"first header's ({told or 'another count'}): a file of another layout joined on; "
        "import it as a file of its own"
    )


def _lf(cell: str) -> str:
    """The cell with its line breaks written LF: CRLF (a CSV saved on Windows, by
    Excel or R, quotes a notes cell's line break as written) and a lone CR (old Mac
    text) are one line break, so the same data saved by any tool is one record."""
    return cell.replace("\r\n", "\n").replace("\r", "\n") if "\r" in cell else cell


_BOM_MISREAD: Final = "\u00ef\u00bb\u00bf"
"""UTF-8's byte-order mark read in cp1252 or latin-1: a UTF-8 file named otherwise."""

_SURROGATES: Final = re.compile("[\ud800-\udfff]")
"""Bytes the encoding could not read (`UNDECODED`) or lone surrogates of a stream."""


def _is_hxl(cells: Sequence[str]) -> bool:
    """Is this row HXL hashtags (``#event+code``, ``#date+occurred``), which HDX puts
    under the header of the files it shares: every cell empty or a hashtag?"""
    tags = [cell.strip() for cell in cells if cell.strip()]
    return bool(tags) and all(tag.startswith("#") and " " not in tag for tag in tags)


# Excel's first line naming the delimiter of a CSV it should open ("sep=;", "sep=,",
# "sep=" and a tab).
_SEP_HINT: Final = re.compile(r"sep=([,;\t])", re.IGNORECASE)


def header_delimiter(line: str) -> str:
    """The delimiter a header line uses most, outside quotes (``,`` on a tie): ``,``,
    ``;`` or a tab."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(_DELIMITERS, key=lambda d: (counts[d], d == ","))


def _is_workbook(source: PathOrFile, head: bytes) -> bool:
    """Is ``source``, whose first bytes are ``head``, a workbook: named as one, or a
    zip or an old ``.xls`` (OLE) by its bytes?"""
    if (
        isinstance(source, str | os.PathLike)
        and Path(source).suffix.casefold() in _WORKBOOK_SUFFIXES
    ):
        return True
    return head[: len(ZIP_MAGIC)] in {ZIP_MAGIC, _OLE_MAGIC}


def _head(source: PathOrFile, size: int = 4) -> bytes:
    """The first ``size`` bytes of a file at a path or of a binary stream (left
    unread); b"" for a text stream or a path that cannot be read (opened later, it
    says why). Fewer for a shorter file, or a stream whose buffer holds fewer."""
    if isinstance(source, str | os.PathLike):
        try:
            with Path(source).open("rb") as fh:
                return fh.read(size)
        except OSError:
            return b""
    return stream_head(source, size)


def _tail(source: PathOrFile) -> bytes | None:
    """The last four bytes of a file at a path or of a seekable binary stream (left
    where it was); None where they cannot be read."""
    try:
        if isinstance(source, str | os.PathLike):
            with Path(source).open("rb") as fh:
                fh.seek(max(0, fh.seek(0, os.SEEK_END) - 4))
                return fh.read(4)
        if source.seekable():
            where = source.tell()
            end = source.seek(0, os.SEEK_END)
            source.seek(max(0, end - 4))
            tail = source.read(4)
            source.seek(where)
            return bytes(cast("bytes", tail))
    except OSError:
        return None
    return None


def _is_pipe_path(source: PathOrFile) -> bool:
    """Is ``source`` a path to something other than a regular file or a directory
    (a named pipe, ``/dev/stdin`` fed by a pipe, a character device)? False for a
    stream, or a path that cannot be looked at (opening it says why)."""
    if not isinstance(source, str | os.PathLike):
        return False
    try:
        mode = os.stat(source).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _peekable(source: PathOrFile) -> PathOrFile:
    """``source``, or, for a binary stream that cannot seek (a pipe, a decompressed
    stream), a buffered reader over it whose every read fills its buffer, so that
    a peek sees a file's first `HEAD_BYTES` (a pipe may hand them over a byte at a
    time); it never closes the caller's stream. A zip archive in such a stream is
    read whole first: a zip is read from its end."""
    if isinstance(source, str | os.PathLike) or not isinstance(source.read(0), bytes):
        return source
    if source.seekable():
        return source
    buffered = io.BufferedReader(_Borrowed(cast("IO[bytes]", source)))
    if buffered.peek(len(ZIP_MAGIC))[: len(ZIP_MAGIC)] == ZIP_MAGIC:
        return io.BytesIO(buffered.read())
    return buffered


class _Borrowed(io.RawIOBase):
    """A raw stream reading from the caller's binary stream, never closing it; a
    read returns a full buffer unless the stream ends first."""

    def __init__(self, source: IO[bytes]) -> None:
        self._source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        filled = 0
        while filled < len(buffer):
            chunk = self._source.read(len(buffer) - filled)
            if not chunk:
                break
            buffer[filled : filled + len(chunk)] = chunk
            filled += len(chunk)
        return filled


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    return str(value)


def _workbook_rows(source: PathOrFile, label: str) -> Iterator[list[str]]:
    """The first sheet's rows of a workbook at a path or in a binary stream (read
    whole: a workbook is a zip, read from its end)."""
    if isinstance(source, str | os.PathLike) and not Path(source).exists():
        # As opening a missing CSV does: the operating system's error, not the data's.
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), os.fspath(source))
    try:
        from python_calamine import CalamineWorkbook  # noqa: PLC0415 - optional extra
    except ImportError:
        msg = (
            f"{label} is an Excel workbook; install the 'excel' extra to read it "
            "(pip install 'conflict_timeline[excel]'), or save its sheet as CSV (UTF-8)"
        )
        raise MissingExtraError(msg) from None
    try:
        if isinstance(source, str | os.PathLike):
            book = CalamineWorkbook.from_path(str(source))
        else:
            book = CalamineWorkbook.from_filelike(cast("IO[bytes]", source))
        sheet = book.get_sheet_by_index(0)
        whole_rows = hasattr(sheet, "iter_rows")  # from the sheet's first row
        rows: Iterable[list[Any]] = sheet.iter_rows() if whole_rows else sheet.to_python()
        errors = _error_cells(source)
        # calamine's rows start at the used range's first column, and its first row
        # (to_python) or the sheet's (iter_rows): where an error cell is in them.
        top, left = sheet.start or (0, 0)
        for n, row in enumerate(rows, start=0 if whole_rows else top):
            cells = [_cell_text(v) for v in row]
            for column, shown in errors.get(n, {}).items():
                if 0 <= column - left < len(cells) and not cells[column - left]:
                    cells[column - left] = shown  # calamine gives an error as ""
            yield cells
    except (ValueError, OSError) as exc:
        msg = f"{label}: cannot read the workbook ({exc})"
        raise ImportDataError(msg) from None
    except Exception as exc:  # calamine raises its own error types for broken files
        if type(exc).__module__.startswith("python_calamine"):
            msg = f"{label}: cannot read the workbook ({exc})"
            raise ImportDataError(msg) from None
        raise


_ERROR_TYPE: Final = re.compile(rb"""\st\s*=\s*["']e["']""")
_CELL_START: Final = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CELL_END: Final = re.compile(rb"</(?:\w+:)?c\s*>")
_CELL_REF: Final = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,3})([0-9]+)["']""")
_CELL_VALUE: Final = re.compile(rb"<(?:\w+:)?v\s*>([^<]*)<")
_FIRST_SHEET: Final = re.compile(rb"""<(?:\w+:)?sheet\s[^>]*?\s\w+:id\s*=\s*["']([^"']+)["']""")
_RELATIONSHIP: Final = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_ATTRIBUTE: Final = re.compile(rb"""\s(Id|Target)\s*=\s*["']([^"']*)["']""")
_CHUNK: Final = 1 << 20
_KEEP: Final = 4096  # bytes kept from one chunk to the next: a cell's start tag is shorter


def _error_cells(source: PathOrFile) -> dict[int, dict[int, str]]:
    """The error cells of an ``.xlsx``/``.xlsm`` workbook's first sheet (``#NAME?``,
    ``#VALUE!``, ``#DIV/0!``, ``#N/A``, ``#REF!``, ``#NUM!``, ``#NULL!``: a formula
    Excel could not compute, or text it took for one, as ``-clashes ...``), by
    row and column (from 0), each as the text Excel shows and writes into a CSV it
    saves; calamine reads them as empty cells, a real value lost without a word.
    Empty for a workbook of another format or without such cells. The sheet is read
    in chunks, its cells not parsed: only those marked ``t="e"`` are looked at. A
    stream is left where it was."""
    where = None if isinstance(source, str | os.PathLike) else source.tell()
    try:
        with zipfile.ZipFile(cast("Any", source)) as archive:
            sheet = _first_sheet(archive)
            if sheet is None:
                return {}
            with archive.open(sheet) as fh:
                return _scan_errors(fh)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, zlib.error):
        return {}  # calamine says what is wrong with the workbook
    finally:
        if where is not None:
            cast("IO[bytes]", source).seek(where)


def _scan_errors(fh: IO[bytes]) -> dict[int, dict[int, str]]:
    """The error cells of a worksheet part (see `_error_cells`)."""
    found: dict[int, dict[int, str]] = {}
    buffer = b""
    while chunk := fh.read(_CHUNK):
        buffer += chunk
        pos = 0
        keep = max(0, len(buffer) - _KEEP)
        while (marked := _ERROR_TYPE.search(buffer, pos)) is not None:
            start = buffer.rfind(b"<", 0, marked.start())
            tag_end = buffer.find(b">", marked.end())
            if start < 0 or tag_end < 0:  # the start tag runs into the next chunk
                keep = max(0, start)
                break
            if _CELL_START.match(buffer, start) is None or buffer[tag_end - 1] == ord("/"):
                pos = tag_end + 1  # no cell (text that reads t="e"), or a cell without value
                continue
            end = _CELL_END.search(buffer, tag_end)
            if end is None:  # the cell runs into the next chunk
                keep = start
                break
            ref = _CELL_REF.search(buffer, start, tag_end)
            value = _CELL_VALUE.search(buffer, tag_end, end.start())
            if ref is not None and value is not None and value[1].strip():
                column = 0
                for letter in ref[1]:
                    column = column * 26 + letter - 64
                shown = value[1].decode("utf-8", "replace").strip()
                found.setdefault(int(ref[2]) - 1, {})[column - 1] = shown
            pos = end.end()
        else:
            keep = max(keep, pos)
        buffer = buffer[keep:]
    return found


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The zip member of an Office Open XML workbook's first sheet, None for another
    workbook (an ``.xlsb``'s sheets are binary, an ``.ods`` has no such part)."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    with archive.open("xl/workbook.xml") as fh:
        first = _FIRST_SHEET.search(fh.read(_WORKBOOK_PART_MAX))
    if first is None:
        return None
    with archive.open("xl/_rels/workbook.xml.rels") as fh:
        rels = fh.read(_WORKBOOK_PART_MAX)
    for relationship in _RELATIONSHIP.finditer(rels):
        attributes = dict(_ATTRIBUTE.findall(relationship[0]))
        if attributes.get(b"Id") == first[1] and attributes.get(b"Target"):
            target = attributes[b"Target"].decode("utf-8", "replace")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return member if member in names else None
    return None


# Excel's 1904 date system, as an Office Open XML workbook declares it
# (``<workbookPr date1904="1"/>`` in xl/workbook.xml; "true" is the XML boolean too).
_DATE1904: Final = re.compile(
    rb"<(?:\w+:)?workbookPr\b[^>]*?\bdate1904\s*=\s*[\"'](?:1|true)[\"']"
)
# An OpenDocument spreadsheet's day 0 (``<table:null-date table:date-value=.../>`` in
# content.xml's calculation settings, before the tables): 1904-01-01 for the 1904
# system; without one, 1899-12-30, the 1900 system's.
_NULL_DATE_1904: Final = re.compile(
    rb"<(?:\w+:)?null-date\b[^>]*?\bdate-value\s*=\s*[\"']1904-01-01[\"']"
)
_WORKBOOK_PART_MAX: Final = 1024 * 1024  # read no more of a workbook part than this
_DATE_SYSTEM_PARTS: Final = {
    "xl/workbook.xml": _DATE1904,
    "xl/workbook.bin": None,
    "content.xml": _NULL_DATE_1904,
}
"""The zip member that says a workbook's date system, and the pattern that says 1904
in it (None: ``workbook.bin``'s records, read by `_xlsb_date_system`)."""
# An .xlsb workbook's xl/workbook.bin is a run of records ([MS-XLSB] 2.1.4), each a
# type of 1-2 bytes and a size of 1-4 bytes, 7 bits a byte, the high bit saying
# another byte follows. BrtWbProp (0x99) holds the date system in its first bit;
# BrtEndBundleShs (0x90), the end of the list of sheets, comes after it.
_BRT_WB_PROP: Final = 0x0099
_BRT_END_BUNDLE_SHS: Final = 0x0090
# An .xls workbook is a compound file ([MS-CFB]): sectors chained by a table of
# next-sector numbers (the FAT), streams named in a directory; streams smaller than
# the header's cutoff live in 64-byte mini sectors inside the root's stream. Its
# "Workbook" stream ("Book" for BIFF5) is a run of records, a 2-byte type and a
# 2-byte size each ([MS-XLS] 2.1.4); Date1904 (0x22) is 1 on the 1904 system, in the
# workbook's globals, which end at the first EOF (0x0A).
_CFB_SECTOR_SHIFTS: Final = frozenset({9, 12})
_CFB_NO_SECTOR: Final = 0xFFFFFFFA  # sector numbers from here on mark ends, not sectors
_CFB_HEADER_DIFAT: Final = 109
_CFB_ENTRY: Final = 128
_CFB_STREAM: Final = 2
_BIFF_DATE1904: Final = 0x0022
_BIFF_EOF: Final = 0x000A
_BIFF_STREAMS: Final = ("workbook", "book")


def _date_system(source: PathOrFile) -> int:
    """The date system a workbook declares: 1904 or 1900 (the default; also for a
    workbook of another format, or one that cannot be read here: the workbook reader
    then says why). Read from an ``.xlsx``/``.xlsm``'s ``xl/workbook.xml``, an
    ``.xlsb``'s ``xl/workbook.bin``, an ``.xls``'s workbook stream and an ``.ods``'s
    ``content.xml`` (its null date: 1904-01-01 is the 1904 system; any other is read
    as the 1900 one). A stream is left where it was."""
    where = None if isinstance(source, str | os.PathLike) else source.tell()
    try:
        if isinstance(source, str | os.PathLike):
            with Path(source).open("rb") as fh:
                ole = fh.read(len(_OLE_MAGIC)) == _OLE_MAGIC
                data = fh.read() if ole else b""
                if ole:
                    data = _OLE_MAGIC + data
        else:
            ole = cast("IO[bytes]", source).read(len(_OLE_MAGIC)) == _OLE_MAGIC
            source.seek(where or 0)
            data = cast("IO[bytes]", source).read() if ole else b""
        if ole:
            return _xls_date_system(data)
        with zipfile.ZipFile(cast("Any", source)) as archive:
            names = set(archive.namelist())
            part = next((n for n in _DATE_SYSTEM_PARTS if n in names), None)
            if part is None:
                return 1900
            with archive.open(part) as fh:
                head = fh.read(_WORKBOOK_PART_MAX)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return 1900
    finally:
        if where is not None:
            cast("IO[bytes]", source).seek(where)
    declared = _DATE_SYSTEM_PARTS[part]
    if declared is None:
        return _xlsb_date_system(head)
    return 1904 if declared.search(head) is not None else 1900


def _xlsb_date_system(part: bytes) -> int:
    """The date system of an ``.xlsb``'s ``xl/workbook.bin`` (its first bytes):
    BrtWbProp's first bit; 1900 without one before the list of sheets ends."""

    def number(at: int, most: int) -> tuple[int, int]:
        value = 0
        for i in range(most):
            byte = part[at + i]
            value |= (byte & 0x7F) << (7 * i)
            if not byte & 0x80:
                return value, at + i + 1
        return value, at + most

    at = 0
    try:
        while at < len(part):
            kind, at = number(at, 2)
            size, at = number(at, 4)
            if kind == _BRT_WB_PROP:
                return 1904 if size >= 4 and part[at] & 1 else 1900
            if kind == _BRT_END_BUNDLE_SHS:
                break
            at += size
    except IndexError:  # cut short: the workbook reader says so
        pass
    return 1900


def _xls_date_system(data: bytes) -> int:
    """The date system of an ``.xls`` (the compound file's bytes, whole): its
    globals' Date1904 record; 1900 without one, or for a file not read here."""
    try:
        stream = _cfb_stream(data, _BIFF_STREAMS)
    except (struct.error, IndexError, ValueError):
        return 1900
    at = 0
    while stream is not None and at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        if kind == _BIFF_DATE1904:
            return 1904 if stream[at + 4 : at + 6] == b"\x01\x00" else 1900
        if kind == _BIFF_EOF:
            break
        at += 4 + size
    return 1900


def _cfb_stream(data: bytes, names: Sequence[str]) -> bytes | None:
    """The first of the streams ``names`` (compared case-insensitively, as [MS-CFB]
    names are) that a compound file holds, or None. Raises `struct.error`,
    `IndexError` or `ValueError` for a file too broken to follow (a chain that loops
    or leaves the file)."""
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in _CFB_SECTOR_SHIFTS:
        return None
    size = 1 << shift
    count = (len(data) - size) // size + 1  # sectors the file can hold, at most

    def sector(number: int) -> bytes:
        if number >= count:
            raise ValueError(number)
        return data[(number + 1) * size : (number + 2) * size]

    def chain(start: int, table: Sequence[int], limit: int) -> Iterator[int]:
        seen: set[int] = set()
        while start < _CFB_NO_SECTOR:
            if start in seen or start >= limit:
                raise ValueError(start)  # a loop, or a sector outside the file
            seen.add(start)
            yield start
            start = table[start]

    fat_sectors = list(struct.unpack_from(f"<{_CFB_HEADER_DIFAT}I", data, 0x4C))
    more = struct.unpack_from("<I", data, 0x44)[0]
    seen: set[int] = set()
    while more < _CFB_NO_SECTOR and more not in seen:
        seen.add(more)
        *listed, more = struct.unpack(f"<{size // 4}I", sector(more))
        fat_sectors.extend(listed)
    fat: list[int] = []
    for number in fat_sectors:
        if number < _CFB_NO_SECTOR:
            fat.extend(struct.unpack(f"<{size // 4}I", sector(number)))
    directory = b"".join(
        sector(n) for n in chain(struct.unpack_from("<I", data, 0x30)[0], fat, count)
    )
    entries = []
    for at in range(0, len(directory) - _CFB_ENTRY + 1, _CFB_ENTRY):
        length, kind = struct.unpack_from("<HB", directory, at + 0x40)
        name = directory[at : at + max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
        start, stream_size = struct.unpack_from("<II", directory, at + 0x74)
        entries.append((name.casefold(), kind, start, stream_size))
    wanted = [e for n in names for e in entries if e[0] == n and e[1] == _CFB_STREAM]
    if not entries or not wanted:
        return None
    _, _, start, stream_size = wanted[0]
    if stream_size >= struct.unpack_from("<I", data, 0x38)[0]:  # the mini stream cutoff
        return b"".join(sector(n) for n in chain(start, fat, count))[:stream_size]
    root_start = entries[0][2]
    mini = b"".join(sector(n) for n in chain(root_start, fat, count))
    mini_fat_bytes = b"".join(
        sector(n) for n in chain(struct.unpack_from("<I", data, 0x3C)[0], fat, count)
    )
    mini_fat = struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes)
    mini_size = 1 << mini_shift
    return b"".join(
        mini[n * mini_size : (n + 1) * mini_size]
        for n in chain(start, mini_fat, len(mini) // mini_size)
    )[:stream_size]


class _ListReader:
    """Rows of a workbook, shaped like a csv reader (one line per row)."""

    def __init__(self, rows: Iterator[list[str]]) -> None:
        self._rows = rows
        self.line_num = 0

    def __next__(self) -> list[str]:
        row = next(self._rows)
        self.line_num += 1
        return row


_HEADER_SHOWN_CHARS: Final = 1_000


def _header_shown(header: Sequence[str]) -> str:
    """The header's names for a message, bounded: whole names up to about 1,000
    characters, then how many more there are (PA-X has 266), never a name cut short;
    an unnamed column (a trailing comma) is said to be one."""
    names = [h.strip() or "(an unnamed column)" for h in header]
    shown: list[str] = []
    size = 0
    for name in names:
        if shown and size + len(name) > _HEADER_SHOWN_CHARS:
            return f"{', '.join(shown)}, ... and {len(names) - len(shown)} more columns"
        shown.append(name[:_HEADER_SHOWN_CHARS])
        size += len(name) + 2
    return ", ".join(shown) or "none"


_DATA_CELL: Final = re.compile(
    r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}.*"
)


def _looks_like_data(header: Sequence[str]) -> bool:
    """Are most of a header's non-empty cells numbers or dates, as a data row's are
    (a file saved without its header row)? A header names its columns."""
    cells = [h.strip() for h in header if h.strip()]
    return bool(cells) and 2 * sum(bool(_DATA_CELL.fullmatch(c)) for c in cells) >= len(cells)


def _header_message(
    label: str, header: Sequence[str], missing: list[str], importer: str, columns: Iterable[str]
) -> str:
    found = _header_shown(header)
    msg = (
        f"{label}: missing required column {missing[0]!r}"
        + (f" (and {', '.join(map(repr, missing[1:]))})" if missing[1:] else "")
        + f"; the header has: {found}"
    )
    given = set(columns)
    if _looks_like_data(header):
        msg += (
            ". Its first line looks like a row of data, not a header: the file may have "
            "been saved without its header row (add the header line of the dataset's "
            "release as the first line)"
        )
        return msg
    if "events" in given and given & {"week", "month"}:
        msg += (
            ". It looks like aggregated data (a count of events per week or month, as "
            "ACLED and HDX publish), not one row per event: import the event-level file"
        )
        return msg
    if importer:
        from ._registry import recognising  # noqa: PLC0415 - the registry imports the importers

        others = recognising(frozenset(columns), besides=importer)
        if others:
            names = " or ".join(repr(n) for n in others)
            msg += f". This header looks like a file for the {names} importer, not {importer!r}"
    return msg


@contextlib.contextmanager
def open_table(
    source: PathOrFile,
    *,
    required: Sequence[str],
    name: str | None = None,
    encoding: str = "utf-8",
    importer: str = "",
    aliases: dict[str, str] | None = None,
) -> Iterator[Table]:
    """Open a CSV file (or a workbook's first sheet) for reading by column name.

    Args:
        source: A path, or an open file (text or binary).
        required: Columns the file must have.
        name: The file's name in messages; defaults to the path's or stream's name.
        encoding: The file's encoding (UTF-8 by default, with or without a BOM).
        importer: The importer's name, to say which other importer a wrong file
            looks like.
        aliases: Other names of a column (``{"best_est": "best"}``), used when the
            file lacks the column's own name.

    Raises:
        ImportDataError: "file.csv: missing required column 'event_date' ..." when
            the header lacks a required column, or the file is empty.
        MissingExtraError: the file is a workbook and python-calamine is missing.
    """
    label = name or _name_of(source)
    codec = text_codec(encoding)
    source = _peekable(source)
    # The first bytes tell the format, read once (never from a pipe's path: reading
    # them there would take them from the pipe; `_unpacked` opens it once).
    piped = _is_pipe_path(source)
    head = b"" if piped else _head(source, HEAD_BYTES)
    with _unpacked(source, label, head, piped=piped) as member:
        if member is not None:
            inner, inner_label = member
            with open_table(
                inner,
                required=required,
                name=inner_label,
                encoding=encoding,
                importer=importer,
                aliases=aliases,
            ) as table:
                yield table
            return
    suffix = Path(source if isinstance(source, str | os.PathLike) else label).suffix
    refuse_foreign(head, suffix, label, _tail(source) if head.startswith(b"PAR1") else None)
    if is_stata(head, suffix, label, path=isinstance(source, str | os.PathLike)):
        rows = stata_rows(cast("str | os.PathLike[str] | IO[bytes]", source), label, encoding)
        table = _table(_ListReader(rows), label, required, codec, importer, aliases)
        yield attrs.evolve(table, date_system=NO_SPREADSHEET)
        return
    if _is_workbook(source, head):
        if not isinstance(source, str | os.PathLike):
            data = source.read()
            assert isinstance(data, bytes)  # a stream is a workbook only when binary
            source = io.BytesIO(data)  # read whole: a workbook is a zip, read from its end
        system = _date_system(source)
        reader: _Reader = _ListReader(_workbook_rows(source, label))
        table = _table(reader, label, required, codec, importer, aliases)
        yield attrs.evolve(table, date_system=system)
        return
    if codec == "utf-8-sig" and head[:2] in _UTF16_BOMS:
        codec = "utf-16"  # Excel's "Unicode text": its byte-order mark says so
    with _text(source, codec) as fh:
        rewind = _rewinder(fh)
        # At most a bounded start of each line: a JSON answer is often one line.
        blank: list[str] = []  # blank lines before the first text: kept for a CSV
        first = _next_text(fh, blank, label, codec)
        if first.removeprefix(BOM).lstrip()[:1] in {"{", "["}:  # JSON, as the APIs give

            def undecoded(line: int, text: str) -> None:
                _not_utf8(label, line, ["the JSON text"], [text], codec)

            rows = json_rows(
                fh,
                "".join(blank) + first,
                label,
                required,
                rewind,
                _json_cell,
                undecoded,
                BadRow,
            )
            table = _table(_ListReader(rows), label, required, codec, importer, aliases)
            yield attrs.evolve(table, date_system=NO_SPREADSHEET)
            return
        first = _whole_line(fh, first, label, codec)
        # A BOM a text stream kept (opened as "utf-8", not "utf-8-sig") goes before
        # the reader sees it: before a quoted first cell it would unquote it.
        if blank:
            blank[0] = blank[0].removeprefix(BOM)
        else:
            first = first.removeprefix(BOM)
        # Excel's separator hint (``sep=;``) on the first line says the delimiter; it
        # is no header, so the reader sees a blank line in its place (line numbers
        # still count it).
        hint = _SEP_HINT.fullmatch(first.rstrip("\r\n").strip(" "))
        if hint is not None:
            blank.append("\n")
            first = _whole_line(fh, _next_text(fh, blank, label, codec), label, codec)
        # The blank lines go to the reader too, so that line numbers count them; the
        # header is the first line that is not blank, and it decides the delimiter.
        delimiter = hint[1] if hint is not None else header_delimiter(first)
        lines = itertools.chain(blank, [first], fh) if first else iter(())
        yield _table(
            csv.reader(lines, delimiter=delimiter), label, required, codec, importer, aliases
        )


_DATA_SUFFIXES: Final = frozenset({".csv", ".tsv", ".txt", ".json", ".dta"})


@contextlib.contextmanager
def _unpacked(
    source: PathOrFile, label: str, head: bytes, *, piped: bool
) -> Iterator[tuple[IO[bytes], str] | None]:
    """The file a gzip, bzip2 or xz file holds (named as the compressed file), the
    data file of a zip archive (`_zipped`), or the stream of a path that is a pipe
    (``curl ... | conflict-timeline import ucdp /dev/stdin``: opened once, since
    every look at a path's first bytes would take them from the pipe), open while
    the context lasts; None for any other source. ``head`` is the source's first
    bytes, ``piped`` whether it is a path to a pipe (`_is_pipe_path`)."""
    if piped:
        with Path(cast("str | os.PathLike[str]", source)).open("rb") as pipe:
            yield pipe, label
        return
    opener = compression(head)
    if opener is not None:
        with _decompressed(source, label, opener) as inner:
            yield inner, label
        return
    with _zipped(source, label, head) as member:
        yield member


@contextlib.contextmanager
def _decompressed(
    source: PathOrFile, label: str, opener: Callable[..., io.BufferedIOBase]
) -> Iterator[IO[bytes]]:
    """The file a compressed file holds, as a binary stream, open while the context
    lasts (the caller's stream is left open). A file cut short or damaged stops the
    import where that is found, with `ImportDataError` naming it.

    What it holds is then told by its own first bytes, as any file's: R's saved data
    (an ``.rds`` is a gzip file) is refused there (`refuse_foreign`).
    """
    opened = opener(os.fspath(source) if isinstance(source, str | os.PathLike) else source, "rb")
    with opened:
        yield cast("IO[bytes]", io.BufferedReader(_Inflated(opened, label)))


class _Inflated(io.RawIOBase):
    """The bytes a compressed file holds; a damaged or truncated one raises
    `ImportDataError` naming the file (a partial download is the usual cause)."""

    def __init__(self, source: io.BufferedIOBase, label: str) -> None:
        self._source = source
        self._label = label

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            chunk = self._source.read(len(buffer))
        except (EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
            if isinstance(exc, OSError) and exc.errno is not None:
                raise  # the caller's stream failed, not the compressed bytes
            msg = (
                f"{self._label}: the compressed file is cut short or damaged ({exc}); "
                "download it again"
            )
            raise ImportDataError(msg, whole_file=True) from None
        buffer[: len(chunk)] = chunk
        return len(chunk)


@contextlib.contextmanager
def _zipped(source: PathOrFile, label: str, head: bytes) -> Iterator[tuple[IO[bytes], str] | None]:
    """The data file of a zip archive that is no workbook (UCDP's ``ged231-csv.zip``)
    and its name for messages, open while the context lasts; None for any other
    source (a workbook is a zip too: one named ``.xlsx``, ``.ods``..., or holding
    ``[Content_Types].xml``, ``mimetype`` or ``xl/``, is left to the workbook reader).

    Raises:
        ImportDataError: the archive holds no data file, or several.
    """
    if isinstance(source, str | os.PathLike):
        named = Path(source).suffix.casefold() in _WORKBOOK_SUFFIXES  # its own message
        if named or head[: len(ZIP_MAGIC)] != ZIP_MAGIC:
            yield None
            return
    elif head[: len(ZIP_MAGIC)] != ZIP_MAGIC or not source.seekable():
        yield None
        return
    where = None if isinstance(source, str | os.PathLike) else source.tell()
    try:
        archive = zipfile.ZipFile(cast("Any", source))
    except (zipfile.BadZipFile, OSError, ValueError):  # calamine says why, as before
        archive = None
    if archive is None or any(
        name in _WORKBOOK_PARTS or name.startswith("xl/") for name in archive.namelist()
    ):
        if archive is not None:
            archive.close()
        if where is not None:
            cast("IO[bytes]", source).seek(where)
        yield None
        return
    with archive:
        member, held = sole_file(archive, _DATA_SUFFIXES)
        if member is None:
            msg = (
                f"{label} is a zip archive holding {held}: expected one data file (.csv, "
                ".tsv, .txt, .json or .dta); extract the file to import and import it"
            )
            raise ImportDataError(msg)
        with archive.open(member) as inner:
            yield inner, f"{label}/{member}"


def _next_text(fh: IO[str], blank: list[str], label: str, codec: str) -> str:
    """The start (at most `_PROBE` characters) of ``fh``'s next line that is not
    blank, or "" at the end; the blank lines before it are added to ``blank``."""
    with _decoding(label, codec):
        line = fh.readline(_PROBE)
        while line and not line.removeprefix(BOM).strip():
            blank.append(line)
            line = fh.readline(_PROBE)
    return line


def _whole_line(fh: IO[str], start: str, label: str, codec: str) -> str:
    """A line of which `_next_text` read the start, with the rest of it."""
    if len(start) == _PROBE and not start.endswith("\n"):
        with _decoding(label, codec):
            return start + fh.readline()
    return start


@contextlib.contextmanager
def _decoding(label: str, codec: str) -> Iterator[None]:
    """A file the named encoding cannot read at all (UTF-16 without its byte-order
    mark) is an `ImportDataError` saying so, as bytes that are not of it are."""
    try:
        yield
    except UnicodeError as exc:
        msg = (
            f"{label}: cannot be read as {codec} ({getattr(exc, 'reason', exc)}); "
            "name the file's real encoding (encoding=, --encoding), or re-save it as UTF-8"
        )
        raise ImportDataError(msg, whole_file=True) from None


def _rewinder(fh: IO[str]) -> Callable[[], object] | None:
    """A call that puts ``fh`` back where it is now (to read a JSON answer a second
    time), or None when it cannot go back (a pipe)."""
    try:
        if not fh.seekable():
            return None
        origin = fh.tell()
    except (OSError, ValueError):
        return None
    return lambda: fh.seek(origin)


def _json_cell(value: Any) -> str:
    if isinstance(value, dict | list):
        if not value:
            return ""
        try:
            return orjson.dumps(value).decode("utf-8")
        except TypeError:  # a whole number beyond 64 bits, which orjson does not write
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _cell_text(value)


def _table(  # noqa: PLR0917 - one private call site each
    reader: _Reader,
    label: str,
    required: Sequence[str],
    encoding: str,
    importer: str,
    aliases: dict[str, str] | None,
) -> Table:
    header: list[str] = []
    try:
        while not "".join(header).removeprefix(BOM).strip():  # blank lines before it
            header = next(reader)
    except StopIteration:
        msg = f"{label}: the file is empty; expected a header row naming the columns"
        raise ImportDataError(msg) from None
    except (csv.Error, UnicodeError) as exc:
        msg = f"{label}, line {reader.line_num + 1}: cannot read the header ({exc})"
        raise ImportDataError(msg) from None
    header[0] = header[0].removeprefix(BOM)
    if header[0].startswith(_BOM_MISREAD):
        msg = (
            f"{label}: starts with UTF-8's byte-order mark read as {encoding} "
            f'({_BOM_MISREAD!r}): the file is UTF-8 (Excel\'s "CSV UTF-8"); import it '
            "without naming an encoding"
        )
        raise ImportDataError(msg)
    if UNDECODED.search("\x1f".join(header)) is not None:
        shown = [f"column {i + 1}" for i in range(len(header))]
        _not_utf8(label, reader.line_num, shown, header, encoding)
    columns: dict[str, int] = {}
    # Cells a column is given in twice: (where it is read, the other, its names)
    twice: list[tuple[int, int, str]] = []
    for i, raw in enumerate(header):
        key = raw.strip().lower()
        if key in columns and key:  # NOTES and notes: one column, spelled twice
            twice.append(
                (columns[key], i, f"{header[columns[key]].strip()!r} and {raw.strip()!r}")
            )
        columns.setdefault(key, i)
    for other, own in (aliases or {}).items():
        if other in columns:
            if own not in columns:
                columns[own] = columns[other]
            else:  # the name of today and an older one: a file of two vintages joined
                names = f"{header[columns[own]].strip()!r} and {header[columns[other]].strip()!r}"
                twice.append((columns[own], columns[other], f"{names} (its older name)"))
    # Names are matched whatever their case; a message gives them as the caller spells
    # them (PA-X's 'AgtId', as its codebook does).
    missing = [c for c in required if c.lower() not in columns]
    if missing:
        raise ImportDataError(_header_message(label, header, missing, importer, columns))
    rows = _rows(reader, label, header, encoding)
    if twice:
        rows = _once(rows, twice)
    return Table(name=label, columns=columns, width=len(header), rows=rows)


def _once(
    rows: Iterator[tuple[int, list[str]]], twice: Sequence[tuple[int, int, str]]
) -> Iterator[tuple[int, list[str]]]:
    """The rows of a file that gives a column twice (two spellings of its name, or
    its name and an older one): a cell given in one of them only is read from it,
    and a row giving two different values is a bad row naming both columns (which
    one the publisher meant cannot be told)."""
    for line, cells in rows:
        if isinstance(cells, BadRow):
            yield line, cells
            continue
        clash = ""
        for read, other, names in twice:
            here, there = cells[read].strip(), cells[other].strip()
            if not there or here == there:
                continue
            if not here:
                cells[read] = cells[other]
            elif not clash:
                clash = (
                    f"columns {names} name one column with different values "
                    f"({here[:40]!r}, {there[:40]!r}); give it once"
                )
        yield line, BadRow(cells, clash) if clash else cells


# Month names and abbreviations, as dates in dataset cells and source notes spell them.
MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
