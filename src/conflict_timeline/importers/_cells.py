"""Reading the cells of dataset files as they reach users: re-saved by Excel, written
by pandas, R or Stata, or published as is.

Shared by the ACLED, UCDP GED and ceasefire importers, so that one form is read the
same way whichever dataset it is in (the how-to "Import ACLED files of any vintage"
lists them):

- `whole`: a whole number as pandas writes it once a column held a missing value
  (``"1648.0"``) is the number (``"1648"``): for ids and codes compared as text;
- `whole` with ``comma``: the same written with a decimal comma (``"2,0"``: pandas'
  ``to_csv(decimal=",")``); ``"1,000"`` is refused as ambiguous (`grouped`);
- `id_number`: a numeric id (GED's ``id``, ETH/PRIO's ``uniq_id``, ``cc`` and
  ``cf_id``, the UCDP peace agreements' ``paid``, PA-X's ``AgtId``) as the whole
  number it writes in any of those forms, or in Excel's exponent form (``2.435E+03``
  is ``2435``); ``"2,435"`` is refused as ambiguous, as in every whole-number column;
- `decimal`: a decimal comma (``"10,5"``, as European Excel writes coordinates);
- `read_day`: a day in any form an export, Excel or Stata writes (ISO, with or
  without a time of day; ``9 May 2020``; ``09-May-20``; ``May 9, 2020``;
  ``2020/05/09``; Stata's ``15sep2012``; numeric ``09/05/2020``, ``9.5.2020``,
  ``31-12-19``), numeric ones settled by the file's other rows (`DayOrder`).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from ..errors import ImportDataError
from ._batch import BatchBuilder, Refusal
from ._rows import MONTHS, Table, written

__all__ = [
    "DAY_FIRST",
    "LOST_LETTERS",
    "MONTH_FIRST",
    "AmbiguousDate",
    "DayOrder",
    "NotInOrder",
    "century_cell",
    "date_order",
    "date_order_option",
    "decimal",
    "flag_lost_letters",
    "grouped",
    "id_key",
    "id_number",
    "lost_letters",
    "nearest_year",
    "read_day",
    "serial_day",
    "serial_note",
    "two_digit_year",
    "whole",
    "whole_number",
    "year_number",
]

DAY_FIRST: Final = "day-first"
MONTH_FIRST: Final = "month-first"

_WHOLE: Final = re.compile(r"([+-]?\d+)\.0*")
# "2,0": pandas' to_csv(decimal=",") of a whole number in a float column. Three digits
# after the comma ("1,000") could as well be a thousands separator: see `grouped`.
_WHOLE_COMMA: Final = re.compile(r"([+-]?\d+),(?:0{1,2}|0{4,})")
_GROUPED: Final = re.compile(r"([+-]?\d{1,3}),(\d{3})")
# "1.000": a decimal point, or the thousands separator of a spreadsheet where the
# comma is the decimal sign (a first group of digits never starts with 0).
_GROUPED_POINT: Final = re.compile(r"([+-]?[1-9]\d{0,2})\.(\d{3})")
# A year a spreadsheet formatted with a thousands separator: "2,019" ("2.019" where
# the comma is the decimal sign, "2 019" with a space or a no-break one where it is
# a space); read with a decimal sign it would be no year.
_GROUPED_YEAR: Final = re.compile("([1-9])[,. \u00a0\u202f](\\d{3})")
_DECIMAL_COMMA: Final = re.compile(r"\s*([+-]?\d+),(\d+)\s*")

# A time of day after a date (Excel, pandas and Stata write one into date cells), or
# a zone alone (R writes "2016-01-13 UTC"): " 0:00", "T00:00:00", " 00:00:00.000",
# "T12:00:00Z", " 00:00:00+00:00", and on a 12-hour clock " 12:00:00 AM", " 9:00PM"
# (US Excel, Power Query, .NET). The date is read as written; the time is dropped
# (these columns hold days).
_TIME: Final = (
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?)?(?:Z|[+-]\d{2}:?\d{2}| ?UTC)?"
)
_ISO: Final = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_ISO_HEAD: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?!\d)")
_COMPACT: Final = re.compile(r"(\d{4})(\d{2})(\d{2})" + _TIME)
_YMD: Final = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})" + _TIME)
# Year first with dots, as Excel writes a date where that is the order (Hungarian
# ``2016.01.13.``, Korean ``2016. 1. 13.``): the year first settles the order.
_YMD_DOTS: Final = re.compile(r"(\d{4})\. ?(\d{1,2})\. ?(\d{1,2})\.?" + _TIME)
_DAY_NAME: Final = re.compile(r"(\d{1,2})[- /.]([A-Za-z]+)\.?[- /.,]+(\d{4}|\d{2})" + _TIME)
_NAME_DAY: Final = re.compile(r"([A-Za-z]+)\.? (\d{1,2}),? (\d{4})" + _TIME)
_STATA: Final = re.compile(r"(\d{1,2})([A-Za-z]{3})(\d{4})" + _TIME)
_NUMERIC: Final = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
FORMS: Final = (
    "2020-05-09, 9 May 2020, 09-May-2020, 9-May-20, 09/05/2020, 9.5.2020, 31-12-19, "
    "May 9, 2020 or 09may2020, with or without a time of day"
)
_MAX_HELD: Final = 100_000  # rows held back at most while the order is unsettled


class NotInOrder(Refusal):
    """A numeric date whose numbers rule out the order of day and month the caller
    named (``declared``, see `read_day`): a date, but not one of this file."""


class AmbiguousDate(Exception):  # noqa: N818 - control flow: settled by other rows
    """A numeric date whose day and month could be either way round."""


def whole(raw: str, *, comma: bool = False) -> str:
    """The cell stripped, and a whole number written as a float (``"1648.0"``, as
    pandas writes an integer column that held a missing value) as the number; with
    ``comma``, also one written with a decimal comma (``"2,0"``, pandas'
    ``to_csv(decimal=",")``), but not ``"1,000"`` (see `grouped`)."""
    text = raw.strip()
    m = _WHOLE.fullmatch(text) or (_WHOLE_COMMA.fullmatch(text) if comma else None)
    return m.group(1) if m is not None else text


def whole_number(field: str, raw: str, *, comma: bool = False) -> int:
    """The whole number a cell holds: written with ASCII digits and an optional sign,
    also as a float with nothing after the point (``"3.0"``; with ``comma``,
    ``"3,0"``: see `whole`) or in a float's exponent form that is whole (``"1E+03"``,
    as Excel writes a large number).

    Python's ``int`` reads more than a file writes: ``"1_0"`` as 10 and other
    scripts' digits (``"٣"``) as numbers. Such a cell is refused, not read as a
    number it does not show.

    Raises:
        Refusal: naming ``field``, when the text is no whole number (with ``comma``,
            also when it is an ambiguous ``"1,000"``: `grouped`).
    """
    text = whole(raw, comma=comma)
    if not text.isascii() or "_" in text:
        raise Refusal(field, f"{written(raw)!r} is not a whole number")
    try:
        return int(text)
    except ValueError:
        if comma:
            grouped(field, text)
        try:
            number = float(text)
        except ValueError:
            raise Refusal(field, f"{written(raw)!r} is not a whole number") from None
        if not number.is_integer():  # also NaN and the infinities
            raise Refusal(field, f"{written(raw)!r} is not a whole number") from None
        return int(number)


def id_number(field: str, raw: str) -> str:
    """A numeric id cell as the whole number it writes (`whole_number`, with a
    decimal comma too): ``"2435"``, ``"2435.0"``, ``"2435,0"`` and ``"2.435E+03"``
    (Excel's form of a large number) are all ``"2435"``, so a re-saved file names
    the records of the file as published; "" for an empty cell (R's ``NA`` too).

    Raises:
        Refusal: naming ``field``, when the cell is no whole number, or an ambiguous
            ``"2,435"`` or ``"2.435"`` (`grouped`): read either way, it could name
            another record.
    """
    if not raw.strip():
        return ""
    grouped(field, raw, point=True)
    return str(whole_number(field, raw, comma=True))


def id_key(raw: str) -> str:
    """The key of a numeric id cell for grouping rows by it (`id_number`), or, when
    it is no whole number, the cell as `whole` reads it (its rows are grouped under
    it, then refused where the id is read)."""
    try:
        return id_number("id", raw)
    except Refusal:
        return whole(raw, comma=True)


def grouped(field: str, raw: str, *, point: bool = False) -> None:
    """Refuse a number written with a comma before exactly three digits (``"1,000"``,
    ``"1,500"``): a decimal comma (1.0, 1.5) or a thousands separator (1000, 1500),
    which the cell alone cannot tell. With ``point``, a point before exactly three
    digits too (``"1.000"``, ``"2.500"``: a decimal point, or the thousands separator
    of a spreadsheet where the comma is the decimal sign), for a count, where both
    readings are counts.

    Raises:
        Refusal: naming ``field``, when the text is such a number.
    """
    m = _GROUPED.fullmatch(raw.strip())
    if m is not None:
        reason = (
            f"{raw!r} is ambiguous: {m.group(1)}.{m.group(2)} with a decimal comma, or "
            f"{m.group(1)}{m.group(2)} with a thousands separator; write it without a "
            "separator"
        )
        raise Refusal(field, reason)
    m = _GROUPED_POINT.fullmatch(raw.strip()) if point else None
    if m is not None:
        reason = (
            f"{raw!r} is ambiguous: {m.group(1)}.{m.group(2)} with a decimal point, or "
            f"{m.group(1)}{m.group(2)} with a thousands separator (as a spreadsheet "
            "where the comma is the decimal sign writes it); write it without a separator"
        )
        raise Refusal(field, reason)


LOST_LETTERS: Final = "text with a lost letter (U+FFFD)"
"""The flag of a row whose text holds U+FFFD, the character that stands where a file
lost letters before it reached the importer (saved in one encoding, then read or
saved again in another): ETH/PRIO's ceasefire file spells an actor ``Ex-S\ufffdl\ufffdka``."""
_LOST: Final = "\ufffd"


def lost_letters(table: Table, rows: Iterable[Sequence[str]]) -> str:
    """The line of the notes naming the columns whose text in ``rows`` holds U+FFFD
    (`LOST_LETTERS`), in alphabetical order (not the file's: the same rows with their
    columns in another order make the same record), or "" when none does. The text
    stays as published: which letters were lost cannot be told."""
    found: set[str] = set()
    for cells in rows:
        if _LOST in "".join(cells):
            found.update(table.column_at(i) for i, c in enumerate(cells) if _LOST in c)
    if not found:
        return ""
    return (
        f"{LOST_LETTERS} in {', '.join(sorted(found))} (the file holds the replacement character "
        "where letters were lost before it was read), kept as published"
    )


def flag_lost_letters(table: Table, builder: BatchBuilder, rows: Iterable[Sequence[str]]) -> str:
    """`lost_letters` of ``rows``, the record flagged (`LOST_LETTERS`) when it is not ""."""
    found = lost_letters(table, rows)
    if found:
        builder.flag(LOST_LETTERS)
    return found


def decimal(field: str, raw: str) -> float:
    """A number, with a decimal point or a decimal comma (``"10,5"``: European Excel).

    Raises:
        Refusal: naming ``field``, when the text is not a number.
    """
    try:
        return float(raw)
    except ValueError:
        m = _DECIMAL_COMMA.fullmatch(raw)
        if m is not None:
            return float(f"{m.group(1)}.{m.group(2)}")
        raise Refusal(field, f"{raw!r} is not a number") from None


def date_order(text: str) -> str | None:
    """What a numeric date (``13/05/2020``) says of its file's order of day and month.

    ``DAY_FIRST`` when the first number is over 12, ``MONTH_FIRST`` when the second
    is, ``None`` when the text is not numeric or says nothing (``05/06/2020``).
    """
    m = _NUMERIC.fullmatch(text.strip())
    if m is None:
        return None
    first, second = int(m.group(1)), int(m.group(3))
    if first > 12 >= second:
        return DAY_FIRST
    if second > 12 >= first:
        return MONTH_FIRST
    return None


def date_order_option(importer: str, value: object) -> str | None:
    """The ``date_order`` option of an importer: ``"day-first"`` or ``"month-first"``
    (any case, ``_`` for ``-``), or None (the file's rows settle it).

    Raises:
        ImportDataError: naming the importer and the option, for any other value.
    """
    if value is None:
        return None
    text = value.strip().casefold().replace("_", "-") if isinstance(value, str) else None
    if text in {DAY_FIRST, MONTH_FIRST}:
        return text
    msg = (
        f"importer {importer!r}: option 'date_order': {value!r} is neither "
        f"{DAY_FIRST!r} (09/05/2020 is 9 May) nor {MONTH_FIRST!r} (09/05/2020 is 5 September)"
    )
    raise ImportDataError(msg)


# A date cell whose date format Excel lost holds its serial day number ("33718", or
# "33718.5" with a time of day): read only with five ASCII digits, the first not 0,
# 10000 to 99999: 1927-05-18 to 2173-10-14 on the 1900 system, the years these
# datasets code (four digits are a year, eight ``20010304``).
_SERIAL: Final = re.compile(r"([1-9][0-9]{4})(?:\.[0-9]*)?")
# Day 0 of each of Excel's date systems (the 1900 system's day 0 is 30 December 1899:
# it counts a 29 February 1900 that never was, so every day from March 1900 on is one
# later than the count from 1 January 1900). A workbook says which it uses
# (`Table.date_system`: old Mac Excel saved on the 1904 system); a CSV does not.
_EXCEL_EPOCHS: Final = {1900: _dt.date(1899, 12, 30), 1904: _dt.date(1904, 1, 1)}


def serial_day(raw: str, *, system: int) -> _dt.date | None:
    """The day an Excel serial day number names on the date system ``system`` (1900
    or 1904), None when the cell is not one (see `_SERIAL`), and always None for a
    file no spreadsheet wrote (``system`` 0, `Table.date_system`: a Stata file, whose
    undated numbers count days from 1960, or a JSON answer)."""
    epoch = _EXCEL_EPOCHS.get(system)
    if epoch is None:
        return None
    m = _SERIAL.fullmatch(raw.strip())
    return None if m is None else epoch + _dt.timedelta(days=int(m[1]))


def serial_note(field: str, raw: str, *, system: int) -> list[str]:
    """The line of the notes keeping a date cell written as an Excel serial day number
    as coded, or none."""
    day = serial_day(raw, system=system)
    if day is None:
        return []
    on = " on Excel's 1904 date system" if system == 1904 else ""
    return [f"{field} {raw.strip()}: an Excel serial day number{on}, read as {day.isoformat()}"]


def nearest_year(two: int, year: int, *, later: bool = False) -> int:
    """The year ending in the two digits ``two`` nearest ``year``; of two 50 years
    away, the earlier (a source's date, say), or with ``later`` the later (an end)."""
    base = year - year % 100 + two
    return min((base - 100, base, base + 100), key=lambda y: (abs(y - year), -y if later else y))


def year_number(raw: str) -> str:
    """A ``year`` cell as the number it writes (`whole`: ``2019.0``, ``2019,0``), and
    one written with a thousands separator, as a spreadsheet formats a number
    (``2,019``; ``2.019`` or ``2 019`` where the comma is the decimal sign), as its
    four digits: read with a decimal sign it would be no year."""
    text = raw.strip()
    m = _GROUPED_YEAR.fullmatch(text)
    return m.group(1) + m.group(2) if m is not None else whole(text, comma=True)


def _full_year(field: str, raw: str, digits: str, year_cell: str, *, nearest: bool) -> int:
    if len(digits) == 4:
        return int(digits)
    two = int(digits)
    year_text = year_cell.strip()
    try:
        year = int(float(year_number(year_text))) if year_text else None
    except ValueError:
        year = None
    if year is None:
        reason = f"{raw!r} has a two-digit year and the row has no year column to settle it"
        raise Refusal(field, reason)
    if nearest:  # the year ending in these digits nearest the row's (the earlier on a tie)
        return nearest_year(two, year)
    if year % 100 != two:
        reason = f"{raw!r} has the year {digits} but the row's year is {year_text}"
        raise Refusal(field, reason)
    return year


def century_cell(field: str, date: str, year: str) -> None:
    """Refuse a date cell with a two-digit year (``9-May-20``, ``11-Apr-98``) whose
    row, in a file with a ``year`` column, leaves that cell empty (R's ``NA`` too) or
    writes no year in it, saying which: nothing then settles the date's century. A
    file without the column is told so by `read_day` ("the row has no year column").

    Raises:
        Refusal: naming ``field``.
    """
    if two_digit_year(date) is None:
        return
    text = year_number(year)
    if not text:
        reason = (
            f"{date!r} has a two-digit year and the row's year is empty: nothing settles "
            "its century"
        )
        raise Refusal(field, reason)
    try:
        value = float(text)
    except ValueError:
        reason = (
            f"{date!r} has a two-digit year and the row's year {text!r} is not a year to settle it"
        )
        raise Refusal(field, reason) from None
    if 0 <= value < 100:  # "20": a year without its century settles none (not the year 20)
        reason = (
            f"{date!r} has a two-digit year and the row's year {year.strip()!r} has no "
            "century either: nothing settles it"
        )
        raise Refusal(field, reason)


def two_digit_year(raw: str) -> str | None:
    """The two digits of the year of a date cell written with a two-digit year
    (``24-Apr-92``, ``31-12-19``, as Excel re-saves a date), None for any other text:
    `read_day` needs the full year of such a date given (its ``year``)."""
    text = raw.strip()
    m = _DAY_NAME.fullmatch(text)
    if m is not None:
        named = MONTHS.get(m.group(2).casefold()) is not None
        return m.group(3) if named and len(m.group(3)) == 2 else None
    m = _NUMERIC.fullmatch(text)
    return m.group(4) if m is not None and len(m.group(4)) == 2 else None


def read_day(
    raw: str,
    field: str,
    *,
    year: str = "",
    order: str | None = None,
    nearest: bool = False,
    declared: bool = False,
) -> _dt.date:
    """The day a date cell names, in any of the forms `FORMS` lists.

    A two-digit year is settled by ``year`` (the row's year column): it must be that
    year, or, with ``nearest`` (for a date that may fall in another year than the
    row's, such as a source's), it is the year ending in those digits nearest to it
    (of two 50 years away, the earlier). A numeric date
    whose day and month could be either way round is read in ``order`` (`DAY_FIRST`
    or `MONTH_FIRST`, settled by the file's other rows with ``/`` or ``-``, see
    `DayOrder`); one written with dots is day first (no convention writes the month
    first with dots) unless its numbers rule that out (``05.13.2020``); otherwise
    `AmbiguousDate` is raised. With ``declared`` (the caller named the file's order:
    the importers' ``date_order`` option), every numeric date is read in ``order``,
    whatever its separator, and one whose numbers rule that order out is refused.

    Raises:
        Refusal: naming ``field``, when the text is not a date; `NotInOrder`
            (``declared``) when it is not a date in ``order``.
        AmbiguousDate: as above.
    """
    text = raw.strip()
    day_month_year: tuple[int, int, int] | None = None
    m = (
        _ISO.fullmatch(text)
        or _YMD.fullmatch(text)
        or _COMPACT.fullmatch(text)
        or _YMD_DOTS.fullmatch(text)
    )
    if m is not None:
        day_month_year = (int(m.group(3)), int(m.group(2)), int(m.group(1)))
    elif (m := _DAY_NAME.fullmatch(text)) is not None or (m := _STATA.fullmatch(text)) is not None:
        month = MONTHS.get(m.group(2).casefold())
        if month is not None:
            full = _full_year(field, raw, m.group(3), year, nearest=nearest)
            day_month_year = (int(m.group(1)), month, full)
    elif (m := _NAME_DAY.fullmatch(text)) is not None:
        month = MONTHS.get(m.group(1).casefold())
        if month is not None:
            day_month_year = (int(m.group(2)), month, int(m.group(3)))
    elif (m := _NUMERIC.fullmatch(text)) is not None:
        first, second = int(m.group(1)), int(m.group(3))
        full = _full_year(field, raw, m.group(4), year, nearest=nearest)
        said = date_order(text)
        if declared and order is not None:
            if said is not None and said != order:
                way = "day" if order == DAY_FIRST else "month"
                other = max(first, second)
                reason = (
                    f"{raw!r} is not a date written {way} first, as date_order={order!r} "
                    f"says the file's dates are: its month would be {other}"
                )
                raise NotInOrder(field, reason)
            said = order
        if first == second or m.group(2) == ".":
            said = said or DAY_FIRST
        use = said or order
        if use is None:
            raise AmbiguousDate(text)
        day_month_year = (first, second, full) if use == DAY_FIRST else (second, first, full)
    if day_month_year is None and (m := _ISO_HEAD.match(text)) is not None:
        # An ISO date followed by anything else ("2016-01-13 00:00:00 +0000"): the
        # date, as the importers always read it; but not by another date
        # ("1993-12-23,1993-04-23", a list): which one is meant, the cell cannot say.
        if _ISO_HEAD.search(text, m.end()) is not None:
            raise Refusal(field, f"{raw!r} holds more than one date")
        day_month_year = (int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if day_month_year is None:
        raise Refusal(field, f"{raw!r} is not a date (expected e.g. {FORMS})")
    day, month, full_year = day_month_year
    try:
        return _dt.date(full_year, month, day)
    except ValueError as exc:
        raise Refusal(field, f"{raw!r} is not a date ({exc})") from None


class DayOrder:
    """A file's order of day and month in numeric dates, settled by its rows.

    `ordered` passes the rows on in the file's order, holding them back from the first
    whose numeric dates are ambiguous (``05/06/2020``) until the file ends (at most
    `_MAX_HELD` of them). The ambiguous dates are then read in the order the file's
    rows prove (``13/05/2020`` day first, ``05/13/2020`` month first), and refused as
    ambiguous when no row proves one, or when rows prove both (`conflict` names the
    first line of each): never in the order of whichever row came first.

    ``given`` is the order the caller names (the importers' ``date_order`` option,
    `date_order_option`): then no row is held back or weighed, every numeric date is
    read in that order, and one whose numbers rule it out is refused (``declared``;
    see `read_day`).
    """

    def __init__(self, columns: Sequence[int], given: str | None = None) -> None:
        self.columns = tuple(columns)
        self.order = given
        self.declared = given is not None
        # order -> (line, date) of the first row proving it
        self.evidence: dict[str, tuple[int, str]] = {}

    def read(self, raw: str, field: str, *, year: str = "", nearest: bool = False) -> _dt.date:
        """`read_day` in this file's order (settled or given).

        Raises:
            Refusal: as `read_day` (`NotInOrder` when the order was given).
            AmbiguousDate: the order does not say which of day and month comes first.
        """
        return read_day(
            raw, field, year=year, order=self.order, nearest=nearest, declared=self.declared
        )

    def day(self, raw: str, field: str, *, year: str = "", system: int | None = None) -> _dt.date:
        """The day a date cell of a row names: with ``system`` (`Table.date_system`), an
        Excel serial day number on that date system (`serial_day`); else as `read`
        reads it, a date the file leaves ambiguous refused, naming ``field`` and saying
        why (`conflict`: the file's rows prove both orders).

        Raises:
            Refusal: the text is not a date, or its day and month could be swapped and
                the file's order does not say which comes first.
        """
        if system is not None and (serial := serial_day(raw, system=system)) is not None:
            return serial
        try:
            return self.read(raw, field, year=year)
        except AmbiguousDate:
            # A file whose rows prove both orders is no file of one order: no hint then.
            why = self.conflict or (
                "no other row of the file settles which comes first (when you know the "
                "file's order, give it: the date_order option, --date-order)"
            )
            reason = f"{raw!r} is ambiguous: day and month could be swapped, and {why}"
            raise Refusal(field, reason) from None

    @property
    def conflict(self) -> str:
        """Empty unless the rows read so far prove both orders; then which rows do."""
        if len(self.evidence) < 2:  # the two orders
            return ""
        (d_line, d_text), (m_line, m_text) = (self.evidence[o] for o in (DAY_FIRST, MONTH_FIRST))
        return (
            f"the file's rows use both orders (day first at line {d_line}: {d_text!r}; "
            f"month first at line {m_line}: {m_text!r})"
        )

    def settle(self, cells: Sequence[str], line: int = 0) -> bool:
        """Read one row's dates: each numeric one that says which comes first is
        evidence for its order (a dotted one says nothing for the others: it is read
        day first on its own); ``order`` is the order proven when the rows read so far
        prove one, None when they prove none or both. True when the order is not
        settled and the row has a date it leaves ambiguous."""
        if self.declared:
            return False
        ambiguous = self._scan(cells, line)
        return ambiguous and self.order is None

    def _scan(self, cells: Sequence[str], line: int) -> bool:
        """Note the row's evidence (see `settle`); True when it has an ambiguous date."""
        ambiguous = False
        for i in self.columns:
            text = cells[i].strip()
            m = _NUMERIC.fullmatch(text)
            if m is None or m.group(2) == ".":
                continue
            said = date_order(text)
            if said is None:
                ambiguous = ambiguous or int(m.group(1)) != int(m.group(3))
            elif said not in self.evidence:
                self.evidence[said] = (line, text)
                self.order = said if len(self.evidence) == 1 else None
        return ambiguous

    def ordered(self, rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
        """The rows in the file's order, held back from the first ambiguous one on to
        the end of the file, so that every row has been seen when an ambiguous date is
        read. At most `_MAX_HELD` rows wait: past that, those held and the next are
        read with the evidence of the rows seen so far."""
        if self.declared:
            yield from rows
            return
        held: list[tuple[int, list[str]]] = []
        last = max(self.columns, default=-1)
        for line, cells in rows:
            ambiguous = len(cells) > last and self._scan(cells, line)
            if held or ambiguous:
                if len(held) < _MAX_HELD:
                    held.append((line, cells))
                    continue
                yield from held
                held.clear()
            yield line, cells
        yield from held


def today_option(importer: str, value: object) -> _dt.date:
    """The ``today`` option (a date, or its ISO text): the clock's today, UTC, when
    not given. A year after it is no year a ceasefire release covers
    (``ceasefires._latest_year``); a day after it no day a GED source was published
    on (``ucdp``)."""
    if value is None:
        return _dt.datetime.now(_dt.UTC).date()
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        msg = f"importer {importer!r}: option 'today': {value!r} is not a date (2026-12-04)"
        raise ImportDataError(msg) from None
