"""Files of statistical packages, and files that are no data at all.

Conflict datasets are published for the packages analysts use, not only as CSV:
UCDP offers GED and its other datasets as CSV, Excel, Stata and R files, the ETH/PRIO
ceasefire dataset comes as Stata and CSV, and a download is often compressed. The
reader (`._rows.open_table`) asks this module what a file is before it reads it as
text:

- a **Stata** data file (``.dta``, or one that starts like one: ``<stata_dta>`` for
  Stata 13 and later, a format byte of 104 to 115 and a byte order for Stata 4 to
  12) is read through pandas (the ``stata`` extra; without it the import stops with
  a message naming the extra and Stata's own export command), a table of cells as
  from a CSV: a variable's name is its column, a labelled number its number (the
  code of the codebook, as the publishers' CSV files write it: value labels are not
  applied), a missing value (``.``, ``.a`` to ``.z``, an empty string) an empty cell,
  a number by its display format when that is a date: a day (``%td``) its ISO day, a
  time (``%tc``; ``%tC``, which counts leap seconds, without them) its ISO time, a
  week, month, quarter or half-year as Stata shows it (``2020w19``, ``2020m5``,
  ``2020q2``, ``2020h1``: no day is invented), a year (``%ty``) the year; any other
  number in positional notation (no exponent), a whole one without a decimal point,
  a ``float`` (single precision) as the shortest decimal that is that float
  (``33.5138``, not ``33.51380157470703``). A file of Stata 13 or later must end
  with its closing tag (pandas reads one cut short in its long strings without a
  word); text of Stata 14 and later must be UTF-8, and that of Stata 13 and earlier
  is read in the encoding the caller names, else as Latin-1 (see `stata_rows`);
- a **compressed** file (gzip: ``ged231.csv.gz``; bzip2; xz) is read as the file it
  holds, named ``ged231.csv.gz`` in messages;
- an **R** data file (``.rds``, ``.RData``, compressed or not), **SPSS** (``.sav``),
  **SAS** (``.sas7bdat``), **Parquet**, **Feather**/Arrow, a **SQLite** database (a
  timeline itself, perhaps) and a **PDF** (a codebook, perhaps) are refused before
  any row is read, saying what the file is and how to get a CSV of it: read as text,
  each would fail with a message about bytes that says nothing of the file.
"""

from __future__ import annotations

import bisect
import codecs
import datetime as _dt
import importlib
import io
import math
import os
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Final

from .._files import compression
from ..errors import ImportDataError, MissingExtraError

__all__ = [
    "HEAD_BYTES",
    "compression",
    "is_stata",
    "refuse_foreign",
    "stata_rows",
]

HEAD_BYTES: Final = 16
"""How many leading bytes of a file tell its format here."""

_STATA_XML: Final = b"<stata_dta>"
# The format byte of Stata 4 to 12 (the first byte of the file; 104 to 115), then
# the byte order (1 high-low, 2 low-high), the file type (1) and an unused zero.
_STATA_OLD: Final = frozenset({104, 105, 108, 110, 111, 113, 114, 115})
# R's saved data: an .rds (serialize()'s XDR "X", ASCII "A" or native "B" form, then
# its format version 2 or 3) or an .RData ("RDX2"... then a newline).
_R_WORKSPACE: Final = re.compile(rb"RD[ABX][23]\n")  # an .RData (.rda): named objects
_R_DATA: Final = re.compile(
    rb"X\n\x00\x00\x00[\x02\x03]|A\n[23]\n|B\n[\x02\x03]\x00\x00\x00|" + _R_WORKSPACE.pattern
)
_SAS_MAGIC: Final = bytes(12) + b"\xc2\xea\x81\x60"

# How each format is told from its first bytes, what it is, and how to get a CSV.
_PARQUET: Final = b"PAR1"
_FOREIGN: Final[tuple[tuple[bytes, str, str], ...]] = (
    (
        _PARQUET,
        "a Parquet file",
        "write it as CSV (pandas: pd.read_parquet(path).to_csv('file.csv', index=False))",
    ),
    (
        b"ARROW1\x00\x00",
        "an Arrow/Feather file",
        "write it as CSV (pandas: pd.read_feather(path).to_csv('file.csv', index=False))",
    ),
    (
        b"$FL2@(#)",
        "an SPSS data file (.sav)",
        "save it as CSV (in SPSS: File > Export > CSV Data, with values, not labels)",
    ),
    (
        b"$FL3@(#)",
        "an SPSS data file (.sav)",
        "save it as CSV (in SPSS: File > Export > CSV Data, with values, not labels)",
    ),
    (
        _SAS_MAGIC,
        "a SAS data set (.sas7bdat)",
        "export it as CSV (in SAS: PROC EXPORT ... DBMS=CSV)",
    ),
    (
        b"SQLite format 3\x00",
        "a SQLite database (a timeline?)",
        (
            "to add a timeline's records to another, export them with `conflict-timeline "
            "export SRC --format jsonl -o records.jsonl` and `import jsonl` that (`copy "
            "SRC DST` copies it only to a new file); to import a dataset, give its CSV file"
        ),
    ),
    (
        b"%PDF-",
        "a PDF document (a codebook?)",
        "import the dataset's data file (CSV, Excel or Stata), not its documentation",
    ),
)
_R_ADVICE: Final = (
    "write it as CSV (in R: write.csv(readRDS(path), 'file.csv', row.names = FALSE))"
)
_R_WORKSPACE_ADVICE: Final = (
    "write its data frame as CSV (in R: load(path) restores the data frames it holds "
    "under their names, ls() lists them; then write.csv(<name>, 'file.csv', "
    "row.names = FALSE))"
)
"""An ``.RData`` (``.rda``) holds named objects, read with ``load()``, not one object
as an ``.rds`` does, which ``readRDS()`` returns."""


def is_stata(head: bytes, suffix: str, label: str, *, path: bool) -> bool:
    """Is a file with these first bytes (`HEAD_BYTES` of them) and this suffix a
    Stata data file? By its first bytes; a file named ``.dta`` that does not start
    like one is refused (an empty ``head`` of a ``path``, a file not there, is left
    to the reader, which says so; of a stream, it is a text stream).

    Raises:
        ImportDataError: the file is named ``.dta`` but is no Stata data file, or
            is a text stream.
    """
    stata = head.startswith(_STATA_XML) or (
        len(head) >= 4
        and head[0] in _STATA_OLD
        and head[1] in {1, 2}
        and head[2] == 1
        and head[3] == 0
    )
    if suffix.casefold() == ".dta" and not stata:
        if not head and path:
            return True
        if not head:
            msg = f"{label} is a Stata data file given as text: open it in binary mode ('rb')"
            raise ImportDataError(msg, whole_file=True)
        msg = (
            f"{label} is named .dta but is not a Stata data file (it starts with "
            f"{head[:8]!r}); give it the suffix of what it holds"
        )
        raise ImportDataError(msg, whole_file=True)
    return stata


def _is_r_data(head: bytes) -> bool:
    """Does a file (or the content of a compressed file) start like R's saved data:
    an ``.rds`` (``X``, ``A`` or ``B`` on a line of its own, then its format version)
    or an ``.RData`` (``RDX3`` and a newline)?"""
    return _R_DATA.match(head) is not None


def refuse_foreign(head: bytes, suffix: str, label: str, tail: bytes | None = None) -> None:
    """Raise for a file that is no table this library reads: an R, SPSS, SAS,
    Parquet, Feather, SQLite or PDF file, told by its first bytes (or, for R and
    SAS, its suffix), with what it is and how to get a CSV of it. A Parquet file
    also ends with ``PAR1`` (its last bytes, ``tail``, where they can be read; else
    its first page header follows the mark).

    Raises:
        ImportDataError: the file is one of these (``whole_file``).
    """
    what = advice = ""
    lowered = suffix.casefold()
    if lowered in {".rdata", ".rda"} or _R_WORKSPACE.match(head):
        what, advice = "an R data file", _R_WORKSPACE_ADVICE
    elif lowered == ".rds" or _is_r_data(head):
        what, advice = "an R data file", _R_ADVICE
    elif lowered == ".sas7bdat":
        what, advice = _FOREIGN[4][1], _FOREIGN[4][2]
    else:
        for magic, kind, hint in _FOREIGN:
            if head.startswith(magic):
                if magic == _PARQUET and not (
                    tail == _PARQUET if tail is not None else head[4:5] == b"\x15"
                ):
                    continue
                what, advice = kind, hint
                break
    if what:
        msg = (
            f"{label} is {what}, not a table this importer reads (CSV, JSON, Excel or "
            f"Stata); {advice}"
        )
        raise ImportDataError(msg, whole_file=True)


_CHUNK: Final = 10_000  # rows of a Stata file decoded at a time
_STATA_END: Final = b"</stata_dta>"
_STATA_EPOCH: Final = _dt.datetime(1960, 1, 1)  # noqa: DTZ001 - Stata times name no zone
# The days after which a leap second was inserted (at 23:59:60 UTC) since 1972: a
# Stata %tC time counts them, a %tc time does not.
_LEAP_DAYS: Final = tuple(
    _dt.date.fromisoformat(day)
    for day in (
        "1972-06-30", "1972-12-31", "1973-12-31", "1974-12-31", "1975-12-31",
        "1976-12-31", "1977-12-31", "1978-12-31", "1979-12-31", "1981-06-30",
        "1982-06-30", "1983-06-30", "1985-06-30", "1987-12-31", "1989-12-31",
        "1990-12-31", "1992-06-30", "1993-06-30", "1994-06-30", "1995-12-31",
        "1997-06-30", "1998-12-31", "2005-12-31", "2008-12-31", "2012-06-30",
        "2015-06-30", "2016-12-31",
    )
)  # fmt: skip
# Each leap second's end, in %tC milliseconds: from there on, k of them are counted.
_LEAP_ENDS: Final = tuple(
    (_dt.datetime.combine(day, _dt.time()) - _STATA_EPOCH) // _dt.timedelta(milliseconds=1)
    + 86_400_000
    + 1_000 * k
    for k, day in enumerate(_LEAP_DAYS, start=1)
)
# Stata's periods by their display format's kind: units per year, and its letter.
_PERIODS: Final = {"tw": (52, "w"), "tm": (12, "m"), "tq": (4, "q"), "th": (2, "h")}


def stata_rows(
    source: str | os.PathLike[str] | IO[bytes], label: str, encoding: str = "utf-8"
) -> Iterator[list[str]]:
    """The header, then each row, of a Stata data file at a path or in a binary
    stream, as text cells (see the module's docstring), read `_CHUNK` rows at a time.

    ``encoding`` is the one the caller named (UTF-8 by default): a file of Stata 13 or
    earlier, which wrote text in the system's 8-bit encoding, is read in it when
    another is named, else as Latin-1 (Stata's own reading), refusing a byte that
    Latin-1 reads as a control character (``0x80``-``0x9F``: cp1252's curly quotes
    and dashes), which says the file is in another encoding.

    Raises:
        MissingExtraError: pandas is not installed.
        ImportDataError: the file is not a Stata file pandas can read, is cut short,
            or holds text not in its encoding.
    """
    try:
        pd: Any = importlib.import_module("pandas")  # the optional ``stata`` extra
        np: Any = importlib.import_module("numpy")
    except ImportError:
        msg = (
            f"{label} is a Stata data file; install the 'stata' extra to read it "
            "(pip install 'conflict_timeline[stata]'), or export it as CSV (in Stata: "
            "export delimited using file.csv, nolabel)"
        )
        raise MissingExtraError(msg) from None
    # Read whole (pandas reads a stream whole anyway), once, so a progress bar on a
    # stream shows one pass; a path that cannot be read says why, as a CSV's does.
    data = Path(source).read_bytes() if isinstance(source, str | os.PathLike) else source.read()
    xml = data.startswith(_STATA_XML)
    if xml and not data.endswith(_STATA_END):
        # pandas reads a file cut short in its long strings without a word
        msg = f"{label}: the Stata file is cut short (it does not end with {_STATA_END!r})"
        raise ImportDataError(msg, whole_file=True)
    reader = _pandas_call(
        label,
        lambda: pd.read_stata(
            io.BytesIO(data),
            iterator=True,
            convert_categoricals=False,  # the codebook's codes, as in the CSV files
            convert_dates=False,  # each date by its own display format, below
            convert_missing=False,  # .a to .z are missing, as . is
            preserve_dtypes=True,
        ),
    )
    with reader:
        names = [str(name) for name in _pandas_call(label, lambda: list(reader.variable_labels()))]
        formats = getattr(reader, "_fmtlist", None)
        if not isinstance(formats, list) or len(formats) != len(names):
            msg = f"{label}: this version of pandas does not give the variables' formats"
            raise ImportDataError(msg, whole_file=True)
        old_text = data[:1] != b"<" or b"<release>117</release>" in data[:64]
        text = _Text(label, encoding, old_text)
        yield names
        while True:
            frame = _pandas_call(label, lambda: _next_chunk(reader))
            if frame is None or frame.empty:
                return
            columns = [
                text.column(name, _column_text(np, frame[name], str(fmt), label, name))
                for name, fmt in zip(names, formats, strict=True)
            ]
            yield from (list(row) for row in zip(*columns, strict=True))


def _next_chunk(reader: Any) -> Any:
    try:
        return reader.read(_CHUNK)
    except StopIteration:
        return None


def _pandas_call(label: str, call: Callable[[], Any]) -> Any:
    """``call()``, pandas reading the file: a fault of its bytes is `ImportDataError`
    naming the file, and so is text pandas could not decode as UTF-8 (it warns and
    reads it as Latin-1). Its other warnings are let through; numpy's overflow
    warnings on damaged bytes are dropped (the error after them says it)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            found = call()
        except MemoryError:
            raise
        except Exception as exc:  # pandas' parser: any fault of the bytes
            msg = f"{label}: cannot be read as a Stata data file ({type(exc).__name__}: {exc})"
            raise ImportDataError(msg, whole_file=True) from exc
    for warning in caught:
        if issubclass(warning.category, UnicodeWarning):
            msg = f"{label}: holds text that is not UTF-8, which Stata 14 and later write"
            raise ImportDataError(msg, whole_file=True)
        if not issubclass(warning.category, RuntimeWarning):
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return found


class _Text:
    """The text of a Stata file's string variables, in the file's encoding."""

    def __init__(self, label: str, encoding: str, old: bool) -> None:
        self.label = label
        self.old = old  # Stata 13 or earlier: pandas decoded its bytes as Latin-1
        named = codecs.lookup(encoding).name
        self.codec = None if named in {"utf-8", "utf-8-sig"} else named

    def column(self, name: str, cells: list[str]) -> list[str]:
        if not self.old or all(cell.isascii() for cell in cells):
            return cells
        out = []
        for row, cell in enumerate(cells, start=1):
            if cell.isascii():
                out.append(cell)
            elif self.codec is not None:
                try:
                    out.append(cell.encode("latin-1").decode(self.codec))
                except (UnicodeError, ValueError):
                    msg = f"{self.label}, line {row + 1}: {name}: not {self.codec}"
                    raise ImportDataError(msg, whole_file=True) from None
            elif (control := _C1.search(cell)) is not None:
                byte = ord(control.group())
                msg = (
                    f"{self.label}, line {row + 1}: {name}: byte 0x{byte:02x}, a control "
                    "character in Latin-1: Stata 13 and earlier wrote the system's "
                    "encoding; name it (encoding='cp1252', --encoding cp1252)"
                )
                raise ImportDataError(msg, whole_file=True)
            else:
                out.append(cell)
        return out


_C1: Final = re.compile("[\x80-\x9f]")


def _column_text(np: Any, column: Any, fmt: str, label: str, name: str) -> list[str]:
    """The cells of one decoded column, as text, by its type and display format.

    Raises:
        ImportDataError: a binary long string that is not UTF-8 text.
    """
    kind = getattr(column.dtype, "kind", "O")
    if kind in {"f", "i", "u"}:
        date = fmt.lstrip("%-")[:2]
        if date in {"td", "tc", "tC", "ty"} or date in _PERIODS or fmt.lstrip("%-")[:1] == "d":
            return [_date_text(date, v) for v in column.tolist()]
    if kind in {"i", "u"}:  # Stata's byte, int and long: never missing here
        return list(map(str, column.tolist()))
    if kind == "f":  # a float, a double, or a whole-number variable with missing values
        return [
            "" if math.isnan(v) else np.format_float_positional(v, unique=True, trim="-")
            for v in column.to_numpy()
        ]
    try:
        return [_text_cell(v) for v in column.tolist()]
    except UnicodeDecodeError:
        msg = f"{label}: {name}: holds a binary long string (strL) that is not UTF-8 text"
        raise ImportDataError(msg, whole_file=True) from None


def _date_text(kind: str, value: float) -> str:
    """A Stata date or time number as text, by its format's kind (`_PERIODS`, ``td``
    or the old ``d``, ``tc``, ``tC``, ``ty``)."""
    if math.isnan(value):
        return ""
    number = int(value)
    if kind in _PERIODS:
        per_year, letter = _PERIODS[kind]
        return f"{1960 + number // per_year}{letter}{number % per_year + 1}"
    if kind == "ty":
        return str(number)
    try:
        if kind in {"tc", "tC"}:
            if kind == "tC":  # leap seconds counted: take them out
                number -= 1_000 * bisect.bisect_right(_LEAP_ENDS, number)
            when = _STATA_EPOCH + _dt.timedelta(milliseconds=number)
            spec = "milliseconds" if number % 1_000 else "seconds"
            return when.isoformat(timespec=spec)
        return (_STATA_EPOCH + _dt.timedelta(days=number)).date().isoformat()
    except OverflowError:
        return str(number)  # beyond the years 1 to 9999: the number as written


def _text_cell(value: Any) -> str:
    if type(value) is str:
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bytes):  # a binary long string (strL): text, as UTF-8
        return value.rstrip(b"\x00").decode("utf-8")
    return str(value)
