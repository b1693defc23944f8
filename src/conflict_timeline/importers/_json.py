"""Reading a JSON answer of a dataset's API a row at a time.

ACLED's API answers ``{"status": 200, "success": true, "count": n, "data": [...]}``,
UCDP's ``{"TotalCount": n, ..., "Result": [...]}``; a saved answer for a country's
years holds 10k-100k rows (hundreds of megabytes), and parsed whole it would take
several times that in memory. So the text is read a chunk at a time and decoded one
value at a time (the standard library's decoder, which also keeps whole numbers of
any length exact), in two passes over the file:

1. the *survey* checks the whole text is one valid JSON value of a form that holds
   rows, chooses the list of rows and collects its keys (the columns); it keeps no
   row, so a file cut short (an interrupted download) or broken anywhere is refused
   before any row is imported;
2. the second pass reads the chosen list again, a row at a time.

A source that cannot be read twice (a pipe) is read once, its rows kept in memory.
What is refused as not JSON is what a strict parser refuses (orjson, which read
these answers before): ``NaN`` and ``Infinity``, a number beyond a double's range,
a lone surrogate escape (``"\\ud800"``), nesting deeper than the decoder goes, and
text after the value. Of a key given twice in one object, the last is read; two
spellings of one key (``"fatalities"``, ``"Fatalities"``) with different values make
the row a bad row (see `json_rows`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, Final

from ..errors import ImportDataError

__all__ = ["BOM", "MAX_VALUE_CHARS", "ROW_KEYS", "UNDECODED", "json_rows"]

ROW_KEYS: Final = ("data", "Result", "results", "rows")
"""Where the APIs put the rows of a JSON answer: ACLED's "data", UCDP's "Result";
the first of these keys that holds a non-empty list is read."""

MAX_VALUE_CHARS: Final = 64 * 1024 * 1024
"""The longest single value (a row, or another member of the answer) a JSON answer
may hold, as for a CSV cell and a JSON Lines line."""

_chunk = 1 << 20  # characters read at a time (tests make it small)
_LAYOUTS: Final = 1024  # key layouts remembered (rows mostly share one)
BOM: Final = "\ufeff"  # a byte-order mark, as a decoded file begins with one
_SPACE = re.compile(r"[ \t\n\r]*")
UNDECODED = re.compile("[\udc80-\udcff]")  # bytes the file's encoding could not read
_SURROGATE = re.compile("[\ud800-\udfff]")
# After a number the decoder stopped at the end of the text read so far (or before a
# character a number may go on with): read more before taking it.
_NUMBER_TAIL = re.compile(r"[0-9eE.+\-]*\Z")
# Decoder failures that a cut in the text explains only near where the text ends;
# an unterminated string may run to the end from anywhere.
_NEAR_END: Final = 16


class _InvalidJSONError(Exception):
    """Not valid JSON, with where and why (turned into ImportDataError by the caller)."""


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON, though Python's decoder takes them by default.
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"{text} is beyond the range of a number")
    return number


class _Scanner:
    """The values of a JSON text read from ``fh`` a chunk at a time."""

    def __init__(
        self,
        fh: IO[str],
        text: str,
        on_undecoded: Callable[[int, str], None],
    ) -> None:
        self._fh = fh
        self._on_undecoded = on_undecoded
        self.buf = ""
        self.pos = 0
        self.line = 1  # the line ``buf[0]`` is on
        self.column = 0  # characters before ``buf[0]`` on that line
        self.eof = False
        decoder = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite)
        self._decode = decoder.raw_decode
        self._take(text.removeprefix(BOM))
        if not self.buf:
            self.fill()
        if self.buf.startswith(BOM):
            self.buf = self.buf[1:]

    def _take(self, chunk: str) -> None:
        bad = UNDECODED.search(chunk)
        if bad is not None:  # bytes not of the file's encoding: say on which line
            line = self.line + self.buf.count("\n") + chunk.count("\n", 0, bad.start())
            self._on_undecoded(line, bad.group())
        self.buf += chunk

    def fill(self) -> bool:
        """Read another chunk (dropping what was consumed); False at the end."""
        if self.eof:
            return False
        chunk = self._fh.read(_chunk)
        if not chunk:
            self.eof = True
            return False
        if self.pos:
            newlines = self.buf.count("\n", 0, self.pos)
            if newlines:
                self.line += newlines
                self.column = self.pos - (self.buf.rfind("\n", 0, self.pos) + 1)
            else:
                self.column += self.pos
            self.buf = self.buf[self.pos :]
            self.pos = 0
        self._take(chunk)
        return True

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            self.pos = _SPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def value(self) -> Any:
        """The next whole value, decoded."""
        self.peek()
        while True:
            try:
                found, end = self._decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self._cut_short(exc) and self.fill():
                    continue
                raise self.invalid(exc.msg, exc.pos) from None
            except ValueError as exc:  # NaN, 1e400, an integer of over 4,300 digits
                raise self.invalid(str(exc)) from None
            except RecursionError:
                raise self.invalid("nested deeper than the reader goes") from None
            if not self.eof and _NUMBER_TAIL.match(self.buf, end) and self.fill():
                continue  # a number may go on in the text not read yet
            self.pos = end
            return found

    def _cut_short(self, exc: json.JSONDecodeError) -> bool:
        """May the text read so far end inside the value, rather than be wrong?"""
        if self.eof:
            return False
        if len(self.buf) - self.pos >= MAX_VALUE_CHARS:
            raise self.invalid(f"a value longer than {MAX_VALUE_CHARS:,} characters")
        return exc.msg.startswith("Unterminated string") or exc.pos >= len(self.buf) - _NEAR_END

    def skip(self, char: str) -> None:
        """Step over ``char``, which must be the next character that is not white space."""
        if self.peek() != char:
            raise self.invalid(f"expected {char!r}")
        self.pos += 1

    def invalid(self, reason: str, at: int | None = None) -> _InvalidJSONError:
        """Not JSON for ``reason``, at ``buf[at]`` (by default where reading stands)."""
        at = self.pos if at is None else at
        newlines = self.buf.count("\n", 0, at)
        column = at - self.buf.rfind("\n", 0, at) if newlines else self.column + at + 1
        return _InvalidJSONError(f"{reason}: line {self.line + newlines} column {column}")

    def items(self) -> Iterator[Any]:
        """The values of the array that starts here, one at a time."""
        self.skip("[")
        if self.peek() == "]":
            self.skip("]")
            return
        while True:
            start = self.pos
            found = self.value()
            if _surrogate(found):
                raise self.invalid("a lone surrogate escape in a string", start)
            yield found
            char = self.peek()
            if char == "]":
                self.skip("]")
                return
            if char != ",":
                raise self.invalid("expected ',' or ']' after a value of the list")
            self.skip(",")

    def members(self) -> Iterator[str]:
        """The keys of the object that starts here; the caller reads each one's value
        before asking for the next key."""
        self.skip("{")
        if self.peek() == "}":
            self.skip("}")
            return
        while True:
            if self.peek() != '"':
                raise self.invalid("expected a key in double quotes")
            key = self.value()
            if self.peek() != ":":
                raise self.invalid("expected ':' after a key")
            self.skip(":")
            yield key
            char = self.peek()
            if char == "}":
                self.skip("}")
                return
            if char != ",":
                raise self.invalid("expected ',' or '}' after a value of the object")
            self.skip(",")

    def end(self) -> None:
        if self.peek():
            raise self.invalid("more text after the JSON value")


def _surrogate(value: Any) -> bool:
    """Does ``value`` hold a lone surrogate (a ``\\ud800`` escape not in a pair)?"""
    if type(value) is str:
        return _SURROGATE.search(value) is not None
    if type(value) is dict:
        return any(_surrogate(k) or _surrogate(v) for k, v in value.items())
    if type(value) is list:
        return any(_surrogate(v) for v in value)
    return False


class _Rows:
    """What the survey learns of one list of rows."""

    __slots__ = ("columns", "count", "kept", "member", "objects")

    def __init__(self, member: int, keep: bool) -> None:
        self.member = member  # its place among the answer's members (-1: the answer)
        self.columns: dict[str, None] = {}
        self.count = 0
        self.objects = True  # every value of the list is an object
        self.kept: list[dict[str, Any]] | None = [] if keep else None


def _surveyed(scanner: _Scanner, member: int, keep: bool) -> _Rows:
    rows = _Rows(member, keep)
    for found in scanner.items():
        rows.count += 1
        if type(found) is not dict:
            rows.objects = False
            continue
        for key in found:
            rows.columns.setdefault(_key(key), None)
        if rows.kept is not None:
            rows.kept.append(found)
    return rows


def _survey(scanner: _Scanner, label: str, keep: bool) -> _Rows:
    """The list of rows (the answer itself, or the list under one of `ROW_KEYS`)."""
    if scanner.peek() == "[":
        rows = _surveyed(scanner, -1, keep)
        scanner.end()
        return rows
    if scanner.peek() != "{":
        raise scanner.invalid("expected an object or a list")
    lists: dict[str, _Rows] = {}
    keys: dict[str, None] = {}
    paging: dict[str, Any] = {}
    for member, key in enumerate(scanner.members()):
        keys[key] = None
        if key in ROW_KEYS and scanner.peek() == "[":
            lists[key] = _surveyed(scanner, member, keep)  # of a key given twice, the last
        else:
            lists.pop(key, None)
            value = scanner.value()
            if key in _PAGING:
                paging[key] = value
    scanner.end()
    found = [(key, lists[key]) for key in ROW_KEYS if key in lists]
    if not found:
        shown = ", ".join(map(repr, list(keys)[:10]))
        msg = (
            f"{label}: a JSON object without a list of rows under "
            f"{' or '.join(map(repr, ROW_KEYS))} (its keys: {shown})"
        )
        raise ImportDataError(msg)
    key, rows = next(((k, r) for k, r in found if r.count), found[0])
    if key == "Result":
        _whole_answer(label, rows.count, paging)
    return rows


_PAGING: Final = ("TotalCount", "TotalPages", "NextPageUrl")
"""The members of UCDP's API answer that say which page of it a saved answer is."""


def _whole_answer(label: str, count: int, paging: dict[str, Any]) -> None:
    """Refuse one page of a UCDP API answer that holds more events than the page
    (``TotalCount`` above its ``Result`` rows): imported, it would look like the
    whole answer, the other events missing without a word.

    Raises:
        ImportDataError: naming the rows, the total, the pages and the next page.
    """
    total = paging.get("TotalCount")
    if type(total) is not int or total <= count:
        return
    pages = paging.get("TotalPages")
    following = paging.get("NextPageUrl")
    said = f" ({pages} pages)" if type(pages) is int else ""
    then = f"; the next page is at {following}" if isinstance(following, str) and following else ""
    msg = (
        f"{label}: one page of UCDP's API answer: {count} of its {total} events"
        f"{said}{then}. Import them all: ask for pagesize=1000 and follow NextPageUrl, "
        "then put every page's Result rows into one JSON list (or a CSV) and import "
        "that file"
    )
    raise ImportDataError(msg)


def _objects(scanner: _Scanner, member: int) -> Iterator[Any]:
    """The values of the list of rows at ``member`` (as surveyed)."""
    if member < 0:
        yield from scanner.items()
        return
    for n, _ in enumerate(scanner.members()):
        if n == member:
            yield from scanner.items()
            return
        scanner.value()


def json_rows(  # noqa: PLR0917 - one call site
    fh: IO[str],
    first: str,
    label: str,
    required: Sequence[str],
    rewind: Callable[[], object] | None,
    cell: Callable[[Any], str],
    on_undecoded: Callable[[int, str], None],
    bad_row: Callable[[list[str], str], list[str]],
) -> Iterator[list[str]]:
    """A JSON answer as a header row and one row of cells per object (each value
    made a cell's text by ``cell``).

    ``first`` is the text already read from ``fh``; ``rewind``, when the file can be
    read again, puts it back where ``first`` began. Keys are matched like a CSV
    header's names (without surrounding spaces, in any case), so rows that spell one
    key differently still fill one column; the header holds every key of every row,
    in the order first seen. A row that gives one column under two spellings
    (``"fatalities"`` and ``"Fatalities"``) with different values is handed over as
    ``bad_row(cells, reason)``, naming both keys, for the importer to refuse; with
    the same value it is read. Of a key given twice in one spelling, the last
    counts, as for any JSON parser. An answer with no rows (a query that matched nothing)
    is a file of no rows. ``on_undecoded(line, text)`` is told of text that was not
    of the file's encoding.

    Raises:
        ImportDataError: the text is not valid JSON (with its line and column), or
            holds no list of objects where an API puts its rows, before any row; or
            the file changed between the two readings.
    """
    try:
        scanner = _Scanner(fh, first, on_undecoded)
        rows = _survey(scanner, label, keep=rewind is None)
    except _InvalidJSONError as exc:
        msg = f"{label}: not valid JSON ({exc}); expected a CSV or a JSON list of rows"
        if "more text after the JSON value" in str(exc):  # a JSON value per line
            msg += (
                "; if it is a timeline's records, one per line (JSON Lines, as "
                "`export --format jsonl` writes them), import it with "
                "`conflict-timeline import jsonl` (or `read_jsonl`)"
            )
        raise ImportDataError(msg) from None
    if not rows.objects:
        msg = f"{label}: JSON that is not a list of objects (one object per row)"
        raise ImportDataError(msg)
    if not rows.count:
        yield list(required)  # no rows: nothing to import, and nothing missing
        return
    header = list(rows.columns)
    yield header
    if rewind is None:
        assert rows.kept is not None
        objects: Iterator[Any] = _drained(rows.kept)
    else:
        rewind()
        objects = _objects(_Scanner(fh, "", on_undecoded), rows.member)
    count = 0
    # The columns of each layout of keys (rows mostly share one), and whether two of
    # its keys are one column spelled twice.
    layouts: dict[tuple[str, ...], tuple[list[str], bool]] = {}
    known = set(header)
    try:
        for found in objects:
            keys = tuple(found)
            layout = layouts.get(keys)
            if layout is None:
                columns = [_key(key) for key in keys]
                if not known.issuperset(columns):  # a key the survey did not see
                    raise KeyError(keys)
                layout = (columns, len(set(columns)) < len(columns))
                if len(layouts) < _LAYOUTS:
                    layouts[keys] = layout
            cells = dict.fromkeys(header, "")
            if layout[1]:
                count += 1
                yield _spelled_twice(found, cells, cell, bad_row)
                continue
            for column, value in zip(layout[0], found.values(), strict=True):
                cells[column] = cell(value)
            count += 1
            yield list(cells.values())
    except (_InvalidJSONError, KeyError, AttributeError):
        count = -1
    if count != rows.count:
        msg = f"{label}: the file changed while it was read (read it again when it is complete)"
        raise ImportDataError(msg)


def _spelled_twice(
    found: dict[str, Any],
    cells: dict[str, str],
    cell: Callable[[Any], str],
    bad_row: Callable[[list[str], str], list[str]],
) -> list[str]:
    """The cells of a row that gives a column under two spellings of its key
    (``"fatalities"`` and ``"Fatalities"``): read when they hold the same cell, a bad
    row naming both keys when they do not (which one the publisher meant cannot be
    told)."""
    spelled: dict[str, str] = {}
    clash = ""
    for key, value in found.items():
        column = _key(key)
        text = cell(value)
        if column in spelled and text != cells[column] and not clash:
            clash = (
                f"keys {spelled[column]!r} and {key!r} name one column ({column}) with "
                f"different values ({cells[column][:40]!r}, {text[:40]!r}); give it once"
            )
        spelled.setdefault(column, key)
        cells[column] = text
    return bad_row(list(cells.values()), clash) if clash else list(cells.values())


def _drained(kept: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The kept rows, each let go once it is handed over."""
    for n, found in enumerate(kept):
        kept[n] = None  # type: ignore[call-overload]
        yield found


def _key(key: str) -> str:
    return key.strip().lower()
