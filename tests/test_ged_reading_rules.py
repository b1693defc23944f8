"""How the UCDP GED importer reads a file: its required columns, the releases and
spellings of its header, the order of day and month its rows settle, and its
options, through `read_ucdp`, `stream_ucdp` and the registry's ``ucdp``.

Each expectation is written by hand from the rule as the docstring of
``conflict_timeline.importers.ucdp`` and docs/howto/import.md ("UCDP GED") state it.
Found unpinned by a hand-planted mutation run over the reading and streaming part of
``importers/ucdp.py`` (docs/testing.md).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from pathlib import Path

import pytest

from conflict_timeline import Attack, ImportDataError, Timeline
from conflict_timeline.importers import ImportBatch, get_importer, read_ucdp

GED = Path(__file__).parent / "data" / "ucdp-ged-23.1-sample-1000.csv"

ROW = {
    "id": "900001",
    "year": "2020",
    "type_of_violence": "1",
    "side_a_new_id": "11",
    "side_a": "Government of Synthetica",
    "side_b_new_id": "22",
    "side_b": "SLF",
    "where_coordinates": "Testville",
    "adm_1": "North province",
    "latitude": "10.5",
    "longitude": "20.25",
    "country": "Synthetica",
    "date_prec": "1",
    "date_start": "2020-06-05",
    "date_end": "2020-06-05",
    "best": "6",
    "low": "5",
    "high": "9",
}


def _csv(*rows: dict[str, str], header: dict[str, str] | None = None) -> io.StringIO:
    """A GED file of `ROW` with each row's changes; ``header`` respells columns."""
    columns = list(ROW)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([(header or {}).get(c, c) for c in columns])
    for n, changes in enumerate(rows, start=1):
        cells = {**ROW, "id": str(900000 + n), **changes}
        writer.writerow([cells[c] for c in columns])
    out.seek(0)
    return out


def _day(attack: Attack) -> tuple[_dt.date, _dt.date]:
    """The first and last day of an attack's ``occurred``."""
    last = attack.occurred.latest - _dt.timedelta(microseconds=1)
    return attack.occurred.earliest.date(), last.date()


def _events(batch: ImportBatch) -> dict[str, Attack]:
    found = {}
    for record in batch.events():
        assert isinstance(record, Attack)
        found[record.id] = record
    return found


# ------------------------------------------------------------ the header


@pytest.mark.parametrize(
    "column",
    [
        "id",
        "date_start",
        "date_end",
        "date_prec",
        "type_of_violence",
        "side_a",
        "side_b",
        "best",
        "low",
        "high",
        "country",
    ],
)
def test_each_required_column_missing_is_named(tmp_path: Path, column: str) -> None:
    """The module docstring: "Required columns: id, date_start, date_end, date_prec,
    type_of_violence, side_a, side_b, best, low, high, country". The real sample with
    one of them renamed stops the import naming the file and the column, before any
    row is read (not every row refused for an empty cell)."""
    lines = GED.read_text(encoding="utf-8").splitlines()
    header = [f"{name}_renamed" if name == column else name for name in lines[0].split(",")]
    path = tmp_path / "ged-renamed.csv"
    path.write_text("\n".join([",".join(header), *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(
        ImportDataError, match=rf"^ged-renamed\.csv: missing required column '{column}'"
    ):
        read_ucdp(path)


def test_a_first_release_reads_its_figures_from_best_est_low_est_high_est() -> None:
    """The module docstring: ``best_est``/``low_est``/``high_est`` stand for
    ``best``/``low``/``high`` where a file uses them; import.md: the first releases'
    headers are read whatever their case. Each is read as its own bound: low 2, best
    5, high 9, a consistent figure, nothing flagged."""
    header = {c: c.capitalize() for c in ROW} | {
        "best": "Best_est",
        "low": "Low_est",
        "high": "High_est",
    }
    batch = read_ucdp(_csv({"low": "2", "best": "5", "high": "9"}, header=header))
    assert batch.refused == ()
    assert batch.flags == {}
    (attack,) = _events(batch).values()
    assert attack.fatalities is not None
    assert (attack.fatalities.low, attack.fatalities.best, attack.fatalities.high) == (2, 5, 9)
    assert attack.fatalities.as_reported is None


# ------------------------------------------------------------ the options


def test_the_encoding_option_reads_a_file_in_that_encoding(tmp_path: Path) -> None:
    """``read_ucdp``'s ``encoding``: the file's encoding, UTF-8 by default. A GED file
    Excel saved as cp1252 stops the import naming the byte (import.md: the encoding is
    never guessed); given ``encoding="cp1252"`` (to `read_ucdp`, or as the registry's
    option) the side reads as written."""
    path = tmp_path / "ged-cp1252.csv"
    path.write_bytes(_csv({"side_b": "Forces Armées"}).getvalue().encode("cp1252"))
    with pytest.raises(ImportDataError, match=r"side_b: not UTF-8 \(byte 0xe9\)"):
        read_ucdp(path)
    (attack,) = _events(read_ucdp(path, encoding="cp1252")).values()
    assert attack.target == "Forces Armées"
    timeline = Timeline()
    timeline.import_("ucdp", path, encoding="cp1252")
    stored = timeline.get("ucdp:900001").record
    assert isinstance(stored, Attack)
    assert stored.target == "Forces Armées"


# ------------------------------------------------------------ day and month


def test_a_date_end_that_settles_the_files_order_settles_an_earlier_row() -> None:
    """import.md: numeric dates are read "in the order the file's rows settle"; a
    ``date_end`` is one of a row's dates. The first row's ``05/06/2020`` reads both
    ways; the second row's ``date_end`` ``06/13/2020`` can only be month first, so
    the first row is 6 May 2020."""
    batch = read_ucdp(
        _csv(
            {"date_start": "05/06/2020", "date_end": "05/06/2020"},
            {"date_start": "2020-06-10", "date_end": "06/13/2020", "date_prec": "2"},
        )
    )
    assert batch.refused == ()
    events = _events(batch)
    assert _day(events["ucdp:900001"]) == (_dt.date(2020, 5, 6), _dt.date(2020, 5, 6))
    assert _day(events["ucdp:900002"]) == (_dt.date(2020, 6, 10), _dt.date(2020, 6, 13))


def test_a_date_start_that_settles_the_files_order_settles_an_earlier_row() -> None:
    """As above, the proof in a ``date_start``: ``13/06/2020`` can only be day first,
    so the first row's ``05/06/2020`` is 5 June 2020."""
    batch = read_ucdp(
        _csv(
            {"date_start": "05/06/2020", "date_end": "05/06/2020"},
            {"date_start": "13/06/2020", "date_end": "2020-06-15", "date_prec": "2"},
        )
    )
    assert batch.refused == ()
    events = _events(batch)
    assert _day(events["ucdp:900001"]) == (_dt.date(2020, 6, 5), _dt.date(2020, 6, 5))
    assert _day(events["ucdp:900002"]) == (_dt.date(2020, 6, 13), _dt.date(2020, 6, 15))


def test_a_date_order_that_is_no_order_is_refused_naming_the_importer() -> None:
    """``date_order`` is ``"day-first"`` or ``"month-first"``; any other value is
    refused naming the importer and the option (`date_order_option`), the
    ``ucdp`` importer whichever way it is called."""
    expected = r"^importer 'ucdp': option 'date_order': 'dmy' is neither"
    with pytest.raises(ImportDataError, match=expected):
        read_ucdp(_csv({}), date_order="dmy")
    with pytest.raises(ImportDataError, match=expected):
        Timeline().import_("ucdp", _csv({}), date_order="dmy")


# ------------------------------------------------------------ the registry


def test_the_ucdp_importer_recognises_a_header_with_all_three_ged_columns() -> None:
    """`GedImporter.recognises`: a GED header has ``type_of_violence``, ``side_a`` and
    ``date_start`` (so a file given to the wrong importer is pointed here). All three
    are needed: the real sample's header is one, and it is not without any of them."""
    ged = get_importer("ucdp")
    three = {"type_of_violence", "side_a", "date_start"}
    header = GED.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    assert ged.recognises(header)
    for left_out in sorted(three):
        assert not ged.recognises(three - {left_out}), left_out
        assert not ged.recognises(set(header) - {left_out}), left_out


def test_the_ucdp_importers_options_are_encoding_date_order_and_today() -> None:
    """`GedImporter.stream`: `stream_ucdp`, with the options ``encoding``,
    ``date_order`` and ``today``; any other is refused naming the three.
    ``date_order`` given to the registry's importer (or `Timeline.import_ucdp`) reads
    the file's dates in it."""
    with pytest.raises(
        ImportDataError,
        match=(
            r"^importer 'ucdp' has no option 'year' \(its options: date_order, encoding, "
            r"today\)$"
        ),
    ):
        Timeline().import_("ucdp", _csv({}), year=2020)
    ambiguous = {"date_start": "05/06/2020", "date_end": "05/06/2020"}
    batch = get_importer("ucdp").read(_csv(ambiguous), date_order="day-first")
    (attack,) = _events(batch).values()
    assert _day(attack) == (_dt.date(2020, 6, 5), _dt.date(2020, 6, 5))
    for timeline, order, day in (
        (Timeline(), "month-first", _dt.date(2020, 5, 6)),
        (Timeline(), "day-first", _dt.date(2020, 6, 5)),
    ):
        timeline.import_ucdp(_csv(ambiguous), date_order=order)
        stored = timeline.get("ucdp:900001").record
        assert isinstance(stored, Attack)
        assert _day(stored) == (day, day)


def test_the_ucdp_importer_declares_the_forms_read_ucdp_reads() -> None:
    """`read_ucdp` reads GED as CSV, JSON, .xlsx or Stata .dta (each also zipped or
    compressed): the registry's ``ucdp`` declares those kinds (`Importer.file_kinds`)."""
    assert get_importer("ucdp").file_kinds == ("csv", "json", "xlsx", "dta")


def test_an_older_name_is_read_only_when_the_current_name_is_absent() -> None:
    """`ALIASES`: the older releases' names are read when the current name is absent.
    A file giving both ``best`` and ``best_est`` (two releases joined) reads ``best``
    where it is filled and ``best_est`` only where ``best`` is empty; two different
    values are a bad row naming both columns (which one UCDP meant, the row cannot
    say)."""
    columns = [*ROW, "best_est"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for n, (best, best_est) in enumerate((("6", ""), ("", "7"), ("6", "8")), start=1):
        cells = {**ROW, "id": str(900000 + n), "best": best, "best_est": best_est}
        writer.writerow([cells[c] for c in columns])
    out.seek(0)
    batch = read_ucdp(out)
    events = _events(batch)
    assert sorted(events) == ["ucdp:900001", "ucdp:900002"]
    assert events["ucdp:900001"].fatalities is not None
    assert events["ucdp:900001"].fatalities.best == 6
    assert events["ucdp:900002"].fatalities is not None
    assert events["ucdp:900002"].fatalities.best == 7
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (4, "row")
    assert "columns 'best' and 'best_est' (its older name)" in refused.reason


def test_import_ucdp_with_strict_stops_at_a_bad_row_and_appends_nothing() -> None:
    """`Timeline.import_ucdp` (see `read_ucdp`): ``strict`` raises at the first row
    with bad data, naming the line and the column, and the timeline is left as it
    was; without it the row is refused and the others imported."""
    rows = ({}, {"best": "x"})
    timeline = Timeline()
    with pytest.raises(ImportDataError, match=r"line 3: best: 'x' is not a whole number"):
        timeline.import_ucdp(_csv(*rows), strict=True)
    assert len(timeline) == 0
    summary = timeline.import_ucdp(_csv(*rows))
    assert (summary.rows, summary.events, len(summary.refused)) == (2, 1, 1)


# ------------------------------------------------------------ every row counted


def test_a_row_of_the_wrong_length_is_refused_and_counted_among_the_rows() -> None:
    """import.md: a row whose field count differs from the header's is refused,
    naming the line and both counts, never read shifted; `ImportBatch`: every row
    read is counted, ``rows == accepted + len(refused) + skipped + merged`` (here 3
    rows: 2 imported, the one with an extra cell refused)."""
    lines = _csv({}, {}, {}).getvalue().splitlines()
    lines[2] += ",extra"
    batch = read_ucdp(io.StringIO("\n".join(lines) + "\n"))
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (3, "row")
    assert refused.reason == f"has {len(ROW) + 1} fields but the header has {len(ROW)}"
    assert sorted(_events(batch)) == ["ucdp:900001", "ucdp:900003"]
    assert (batch.rows, batch.accepted, batch.skipped, batch.merged) == (3, 2, 0, 0)


@pytest.mark.parametrize(
    ("column", "cell"),
    [("best", "1.000"), ("high", "12.500"), ("low", "2,000"), ("id", "2.000")],
)
def test_a_figure_or_id_with_a_separator_before_three_digits_is_refused_as_ambiguous(
    column: str, cell: str
) -> None:
    """``1.000`` is 1 with a decimal point, or 1000 with the thousands separator of a
    spreadsheet where the comma is the decimal sign (``2,000`` the other way round):
    the cell alone cannot tell, so the row is refused naming the column, never read
    as 1 death or as event 2."""
    batch = read_ucdp(_csv({}, {column: cell}))
    assert sorted(_events(batch)) == ["ucdp:900001"]
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (3, column)
    assert refused.reason.startswith(f"{cell!r} is ambiguous")


@pytest.mark.parametrize(("cell", "deaths"), [("6.0", 6), ("0.000", 0), ("1648.000", 1648)])
def test_a_figure_no_thousands_separator_writes_is_the_number(cell: str, deaths: int) -> None:
    batch = read_ucdp(_csv({"best": cell, "high": "2000"}))
    assert batch.refused == ()
    (attack,) = _events(batch).values()
    assert attack.fatalities is not None
    assert attack.fatalities.best == deaths


def test_a_file_saved_without_its_header_row_is_refused_saying_so() -> None:
    """Some GED candidate files are shared without the header row: the first row is
    data (numbers, dates, names), and the message says the header may be missing."""
    with_header = _csv({})
    next(with_header)  # drop the header line: the first row of data comes first
    headless = io.StringIO(with_header.read())
    with pytest.raises(ImportDataError) as raised:
        read_ucdp(headless)
    message = str(raised.value)
    assert "missing required column 'id'" in message
    assert "looks like a row of data, not a header" in message


def test_a_header_of_other_names_is_not_said_to_be_data() -> None:
    """A header of names (another dataset's) gets no word about a missing header."""
    with pytest.raises(ImportDataError) as raised:
        read_ucdp(io.StringIO("event_id_cnty,event_date,actor1,fatalities\nX1,2020-01-01,A,3\n"))
    assert "looks like a row of data" not in str(raised.value)


def test_a_two_digit_date_beside_a_year_without_its_century_is_refused() -> None:
    """``5-Jun-20`` beside a ``year`` of ``20`` has no century anywhere: refused, not
    dated in the year 20 (as in ACLED files; the UCDP peace agreements' year 1 is a
    year of its own rule, see import-ceasefires.md)."""
    batch = read_ucdp(_csv({"date_start": "5-Jun-20", "date_end": "5-Jun-20", "year": "20"}))
    assert _events(batch) == {}
    (refused,) = batch.refused
    assert (refused.line, refused.field) == (2, "date_start")
    assert refused.reason == (
        "'5-Jun-20' has a two-digit year and the row's year '20' has no century "
        "either: nothing settles it"
    )
