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
  a date (``%td``) its ISO day and a date-time (``%tc``) its ISO time, a whole
  number written without a decimal point, and a ``float`` (single precision) the
  shortest decimal that is that float (``33.5138``, not ``33.51380157470703``);
- a **compressed** file (gzip: ``ged231.csv.gz``; bzip2; xz) is read as the file it
  holds, named ``ged231.csv.gz`` in messages;
- an **R** data file (``.rds``, ``.RData``, compressed or not), **SPSS** (``.sav``),
  **SAS** (``.sas7bdat``), **Parquet**, **Feather**/Arrow, a **SQLite** database (a
  timeline itself, perhaps) and a **PDF** (a codebook, perhaps) are refused before
  any row is read, saying what the file is and how to get a CSV of it: read as text,
  each would fail with a message about bytes that says nothing of the file.
"""

from __future__ import annotations

import bz2
import datetime as _dt
import gzip
import importlib
import io
import lzma
import math
import os
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Final, NoReturn, cast

from ..errors import ImportDataError, MissingExtraError

__all__ = [
    "HEAD_BYTES",
    "compression",
    "is_r_data",
    "is_stata",
    "refuse_foreign",
    "refuse_r",
    "stata_rows",
]

HEAD_BYTES: Final = 16
"""How many leading bytes of a file tell its format here."""

_GZIP: Final = b"\x1f\x8b"
_XZ: Final = b"\xfd7zXZ\x00"
# "BZh", the block size (1-9), then a block's magic (pi's digits) or the end's (sqrt pi's)
_BZIP2_BLOCKS: Final = (b"1AY&SY", b"\x17rE8P\x90")

_STATA_XML: Final = b"<stata_dta>"
# The format byte of Stata 4 to 12 (the first byte of the file; 104 to 115), then
# the byte order (1 high-low, 2 low-high), the file type (1) and an unused zero.
_STATA_OLD: Final = frozenset({104, 105, 108, 110, 111, 113, 114, 115})
_R_HEADS: Final = (b"X\n", b"A\n", b"B\n", b"RDX2\n", b"RDX3\n", b"RDA2\n", b"RDA3\n")
_SAS_MAGIC: Final = bytes(12) + b"\xc2\xea\x81\x60"

# How each format is told from its first bytes, what it is, and how to get a CSV.
_FOREIGN: Final[tuple[tuple[bytes, str, str], ...]] = (
    (
        b"PAR1",
        "a Parquet file",
        "write it as CSV (pandas: pd.read_parquet(path).to_csv('file.csv', index=False))",
    ),
    (
        b"ARROW1",
        "an Arrow/Feather file",
        "write it as CSV (pandas: pd.read_feather(path).to_csv('file.csv', index=False))",
    ),
    (
        b"$FL2",
        "an SPSS data file (.sav)",
        "save it as CSV (in SPSS: File > Export > CSV Data, with values, not labels)",
    ),
    (
        b"$FL3",
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
            "to copy a timeline into another, use `conflict-timeline copy SRC DST`; to "
            "import a dataset, give its CSV file"
        ),
    ),
    (
        b"%PDF",
        "a PDF document (a codebook?)",
        "import the dataset's data file (CSV, Excel or Stata), not its documentation",
    ),
)
_R_ADVICE: Final = (
    "write it as CSV (in R: write.csv(readRDS(path), 'file.csv', row.names = FALSE))"
)


def compression(head: bytes) -> Callable[..., io.BufferedIOBase] | None:
    """The opener of a compressed file with these first bytes (`HEAD_BYTES` of them):
    gzip, bzip2 or xz; None for any other file. It takes a path or a binary stream,
    and the mode ``"rb"``."""
    if head.startswith(_GZIP):
        return gzip.open
    if head.startswith(_XZ):
        return lzma.open
    if head[:3] == b"BZh" and head[3:4].isdigit() and head[4:10] in _BZIP2_BLOCKS:
        return bz2.open
    return None


def is_stata(head: bytes, suffix: str, label: str) -> bool:
    """Is a file with these first bytes (`HEAD_BYTES` of them) and this suffix a
    Stata data file? By its first bytes; a file named ``.dta`` that does not start
    like one is refused (an empty ``head``, of a file not there, is left to the
    reader, which says so).

    Raises:
        ImportDataError: the file is named ``.dta`` but is no Stata data file.
    """
    stata = head.startswith(_STATA_XML) or (
        len(head) >= 4
        and head[0] in _STATA_OLD
        and head[1] in {1, 2}
        and head[2] == 1
        and head[3] == 0
    )
    if suffix.casefold() == ".dta" and not stata:
        if not head:
            return True
        msg = (
            f"{label} is named .dta but is not a Stata data file (it starts with "
            f"{head[:8]!r}); give it the suffix of what it holds"
        )
        raise ImportDataError(msg, whole_file=True)
    return stata


def is_r_data(head: bytes) -> bool:
    """Does a file (or the content of a gzip file) start like R's saved data: an
    ``.rds`` (``X``, ``A`` or ``B`` on a line of its own) or ``.RData``?"""
    return head.startswith(_R_HEADS)


def refuse_foreign(head: bytes, suffix: str, label: str) -> None:
    """Raise for a file that is no table this library reads: an R, SPSS, SAS,
    Parquet, Feather, SQLite or PDF file, told by its first bytes (or, for R and
    SAS, its suffix), with what it is and how to get a CSV of it.

    Raises:
        ImportDataError: the file is one of these (``whole_file``).
    """
    what = advice = ""
    lowered = suffix.casefold()
    if lowered in {".rds", ".rdata", ".rda"} or head.startswith((b"X\n\x00\x00", b"RDX")):
        what, advice = "an R data file", _R_ADVICE
    elif lowered == ".sas7bdat":
        what, advice = _FOREIGN[4][1], _FOREIGN[4][2]
    else:
        for magic, kind, hint in _FOREIGN:
            if head.startswith(magic):
                what, advice = kind, hint
                break
    if what:
        msg = (
            f"{label} is {what}, not a table this importer reads (CSV, JSON, Excel or "
            f"Stata); {advice}"
        )
        raise ImportDataError(msg, whole_file=True)


def refuse_r(label: str) -> None:
    """Raise for R's saved data found inside a gzip file (an ``.rds`` is one)."""
    msg = (
        f"{label} is an R data file, not a table this importer reads (CSV, JSON, Excel "
        f"or Stata); {_R_ADVICE}"
    )
    raise ImportDataError(msg, whole_file=True)


_CHUNK: Final = 10_000  # rows of a Stata file decoded at a time


def stata_rows(source: str | os.PathLike[str] | IO[bytes], label: str) -> Iterator[list[str]]:
    """The header, then each row, of a Stata data file at a path or in a binary
    stream, as text cells (see the module's docstring), read `_CHUNK` rows at a time.

    Raises:
        MissingExtraError: pandas is not installed.
        ImportDataError: the file is not a Stata file pandas can read.
    """
    try:
        pd: Any = importlib.import_module("pandas")  # the optional ``stata`` extra
    except ImportError:
        msg = (
            f"{label} is a Stata data file; install the 'stata' extra to read it "
            "(pip install 'conflict_timeline[stata]'), or export it as CSV (in Stata: "
            "export delimited using file.csv, nolabel)"
        )
        raise MissingExtraError(msg) from None
    if isinstance(source, str | os.PathLike) and not Path(source).exists():
        raise FileNotFoundError(2, "No such file or directory", os.fspath(source))
    if not isinstance(source, str | os.PathLike):
        # pandas reads a stream whole anyway; read once here, so a progress bar on
        # the stream shows one pass.
        source = io.BytesIO(source.read())
    try:
        reader = pd.read_stata(
            cast("Any", source),
            iterator=True,
            convert_categoricals=False,  # the codebook's codes, as in the CSV files
            convert_dates=True,
            convert_missing=False,  # .a to .z are missing, as . is
            preserve_dtypes=True,
        )
    except Exception as exc:  # pandas' parser: any fault of the bytes
        _damaged(label, exc)
    with reader, warnings.catch_warnings():
        # numpy's overflow warnings, on damaged bytes: the error after them says it
        warnings.simplefilter("ignore", RuntimeWarning)
        first = True
        while True:
            try:
                frame = reader.read(_CHUNK)
            except StopIteration:
                frame = None
            except Exception as exc:  # pandas' parser: any fault of the bytes
                _damaged(label, exc)
            if first:
                first = False
                if frame is None:
                    return  # no header: the reader says the file is empty
                yield [str(c) for c in frame.columns]
            if frame is None or frame.empty:
                return
            columns = [_column_text(frame[c]) for c in frame.columns]
            yield from (list(row) for row in zip(*columns, strict=True))


def _damaged(label: str, exc: Exception) -> NoReturn:
    msg = f"{label}: cannot be read as a Stata data file ({type(exc).__name__}: {exc})"
    raise ImportDataError(msg, whole_file=True) from exc


def _column_text(column: Any) -> list[str]:
    """The cells of one decoded column, as text."""
    kind = getattr(column.dtype, "kind", "O")
    if kind == "f" and column.dtype.itemsize == 4:
        # A Stata float: the shortest decimal that reads back as that float32
        # (numpy's repr of a float32), not the float64 it widens to.
        return ["" if math.isnan(v) else _number(str(v)) for v in column.to_numpy()]
    values = column.tolist()
    if kind in {"i", "u"}:  # Stata's byte, int and long: never missing here
        return list(map(str, values))
    if kind == "f":  # a double (or a whole-number variable with missing values)
        return list(map(_double, values))
    if kind != "M":  # text: a string, or missing (None, NaN) for ""
        return [v if type(v) is str else _cell(v) for v in values]
    return list(map(_cell, values))


def _double(value: float) -> str:
    if math.isnan(value):  # missing
        return ""
    return str(int(value)) if value.is_integer() else repr(value)


def _number(text: str) -> str:
    """A decimal numpy or Python wrote, a whole number without its ``.0``."""
    return text[:-2] if text.endswith(".0") else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        if _is_nat(value):
            return ""
        if value.time() == _dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if _is_nat(value):
        return ""
    return str(value)


def _is_nat(value: object) -> bool:
    """Is this pandas' missing time (``NaT``, a datetime or not by pandas' version)?"""
    return type(value).__name__ == "NaTType"
