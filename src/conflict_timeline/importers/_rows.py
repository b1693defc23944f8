"""Reading the CSV files conflict datasets publish.

One reader for every importer, so that they all behave alike:

- the file is UTF-8; a leading byte-order mark (as Excel and some exports write) is
  dropped, whether the caller gives a path, a binary file or a text file;
- header names are matched without surrounding spaces and case-insensitively;
  columns nobody asked for are ignored, so a newer export with extra columns still
  reads;
- a missing required column raises :class:`ImportDataError` naming the file and the
  column before any row is read;
- every row comes with the number of the line it *starts* on (a quoted field may
  span lines), so a refused row can be found in an editor;
- blank lines are skipped; a row whose field count differs from the header's is
  handed back as such for the importer to refuse.

Broken CSV quoting or bytes that are not UTF-8 stop the import with
:class:`ImportDataError` ("file.csv, line 7: ..."): after them no later line can be
trusted, so they are not per-row refusals.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Protocol, TypeAlias, cast

import attrs

from ..errors import ImportDataError

__all__ = ["PathOrFile", "Table", "open_table"]

PathOrFile: TypeAlias = str | os.PathLike[str] | IO[str] | IO[bytes]
"""A path, or an open file in text or binary mode."""

_BOM = codecs.BOM_UTF8.decode("utf-8")
# Bytes that are not UTF-8 decode to lone surrogates, found row by row, so the error
# names the line they are on (a strict decoder fails a whole read-ahead chunk early).
_ERRORS = "surrogateescape"
_UNDECODED = re.compile("[\udc80-\udcff]")


def _not_utf8(name: str, line: int, header: Sequence[str], cells: Sequence[str]) -> None:
    for i, cell in enumerate(cells):
        found = _UNDECODED.search(cell)
        if found is not None:
            column = header[i].strip() if i < len(header) else f"cell {i + 1}"
            byte = ord(found.group()) - 0xDC00
            msg = (
                f"{name}, line {line}: {column}: not UTF-8 (byte 0x{byte:02x}); "
                "re-save the file as UTF-8"
            )
            raise ImportDataError(msg)


@attrs.frozen(kw_only=True)
class Table:
    """An open CSV file: its name, its columns and its rows.

    Attributes:
        name: The file's name for messages (``"<stream>"`` for an unnamed stream).
        columns: Lower-cased header name -> cell index. A wanted column the file
            lacks maps to ``width``: every row from :attr:`rows` has one extra empty
            cell there, so lookups need no branch.
        width: How many columns the header has.
        rows: ``(line, cells)`` per row, ``line`` being where the row starts. A row
            with ``width`` cells comes with the empty cell appended; a row of another
            length comes as it is, for the importer to refuse.
    """

    name: str
    columns: dict[str, int]
    width: int
    rows: Iterator[tuple[int, list[str]]]

    def index(self, column: str) -> int:
        """The cell index of ``column`` (``width``, an always-empty cell, when absent)."""
        return self.columns.get(column, self.width)

    def has(self, column: str) -> bool:
        """Does the file have ``column``?"""
        return column in self.columns


def _name_of(source: PathOrFile) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    name = getattr(source, "name", None)
    return Path(name).name if isinstance(name, str) and name else "<stream>"


@contextlib.contextmanager
def _text(source: PathOrFile) -> Iterator[IO[str]]:
    if isinstance(source, str | os.PathLike):
        with Path(source).open(encoding="utf-8-sig", errors=_ERRORS, newline="") as fh:
            yield fh
        return
    probe = source.read(0)
    if isinstance(probe, bytes):
        wrapper = io.TextIOWrapper(
            cast("IO[bytes]", source), encoding="utf-8-sig", errors=_ERRORS, newline=""
        )
        try:
            yield wrapper
        finally:
            wrapper.detach()  # the caller owns the stream: do not close it
        return
    yield cast("IO[str]", source)


class _Reader(Protocol):
    line_num: int

    def __next__(self) -> list[str]: ...


def _rows(reader: _Reader, name: str, header: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    width = len(header)
    while True:
        start = reader.line_num + 1  # the next row starts one past the last line read
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            msg = f"{name}, line {start}: not valid CSV ({exc}); fix the quoting and re-run"
            raise ImportDataError(msg) from None
        except UnicodeDecodeError as exc:
            msg = f"{name}, line {start}: not UTF-8 ({exc.reason}); re-save the file as UTF-8"
            raise ImportDataError(msg) from None
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if _UNDECODED.search("\x1f".join(cells)) is not None:
            _not_utf8(name, start, header, cells)
        if len(cells) == width:
            cells.append("")
        yield start, cells


@contextlib.contextmanager
def open_table(
    source: PathOrFile, *, required: Sequence[str], name: str | None = None
) -> Iterator[Table]:
    """Open a CSV file for reading by column name.

    Args:
        source: A path, or an open file (text or binary).
        required: Columns the file must have.
        name: The file's name in messages; defaults to the path's or stream's name.

    Raises:
        ImportDataError: "file.csv: missing required column 'event_date' ..." when
            the header lacks a required column, or the file is empty.
    """
    label = name or _name_of(source)
    with _text(source) as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            msg = f"{label}: the file is empty; expected a header row naming the columns"
            raise ImportDataError(msg) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            msg = f"{label}, line 1: cannot read the header ({exc})"
            raise ImportDataError(msg) from None
        if header:
            header[0] = header[0].removeprefix(_BOM)
        if _UNDECODED.search("\x1f".join(header)) is not None:
            _not_utf8(label, 1, [f"column {i + 1}" for i in range(len(header))], header)
        columns: dict[str, int] = {}
        for i, raw in enumerate(header):
            columns.setdefault(raw.strip().lower(), i)
        missing = [c for c in required if c not in columns]
        if missing:
            found = (", ".join(h.strip() for h in header) or "none")[:1_000]  # bounded
            msg = (
                f"{label}: missing required column {missing[0]!r}"
                + (f" (and {', '.join(map(repr, missing[1:]))})" if missing[1:] else "")
                + f"; the header has: {found}"
            )
            raise ImportDataError(msg)
        width = len(header)
        yield Table(
            name=label,
            columns=columns,
            width=width,
            rows=_rows(reader, label, header),
        )
