"""Import the UCDP Georeferenced Event Dataset (GED, CSV) as records.

Required columns: ``id, date_start, date_end, date_prec, type_of_violence, side_a,
side_b, best, low, high, country``. Read when present: ``relid, year, conflict_name,
dyad_name, source_article, source_office, source_date, source_headline,
source_original, where_prec, where_coordinates, where_description, adm_1, adm_2,
latitude, longitude, geom_wkt, deaths_civilians``, and the columns of `KEPT`. Other
columns are ignored.

Mapping (pure: the result is an `ImportBatch`, see ``_batch``):

- Every row is an [`Attack`][conflict_timeline.Attack] with id ``ucdp:<id>`` (``id`` read
  as a whole number, `._cells.id_number`: ``2.435E+03`` and ``2435.0`` are
  ``ucdp:2435``; ``2,435`` and text are refused); ``type_of_violence``
  is
  kept in [`Codes`][conflict_timeline.Codes] (1 state-based, 2 non-state, 3 one-sided).
  - 3 (one-sided violence): ``perpetrator`` side_a, ``target_class`` civilian,
    ``target`` side_b ("Civilians"); civilians are not made an actor (a side B named
    "Civilians", in any case, never is, whatever the type).
  - 1 and 2: ``perpetrator`` side_a and ``target_actor`` side_b. GED codes sides,
    not who attacked whom: "perpetrator" means UCDP's side A by convention only
    (``Attack.between_sides`` is true): exports say "Fighting between A and B", and
    ``ReportedViolations`` takes either side as a maker (a candidate violation of a
    commitment binding side A or side B). The target class is military, or mixed
    when ``deaths_civilians`` > 0 (one that is no count decides nothing: military,
    as for an empty one).
  - Any other value (``4``, ``0``, ``1.5``; empty and ``NA`` too) is none of GED's
    codes: the row is imported, the value kept as published in the notes
    ("type_of_violence as published: 4 (not one of GED's codes 1-3; ...)") and in
    ``Codes`` (``NA`` as empty), flagged "type_of_violence not 1-3", and it decides
    nothing: the target class is unknown (civilian only for a side B named
    "Civilians"), side B is the target actor, and the attack is between sides (side
    A is not read as the attacker).
  GED sides can name several groups in one cell ("IS, Jabhat Fateh al-Sham"); the
  cell is kept as one actor, as GED names the side. Sides that contradict a code
  (a type 3 whose side B is not civilians, a type 2 with a side named "Government of
  ...", a type 1 or 2 whose side B is civilians, or empty: a clash has two sides)
  are noted and flagged "sides unlike type_of_violence" (`_sides_flags`); the row is
  taken as its type says.
- ``date_start`` .. ``date_end`` (whole days) are ``occurred``, with ``date_prec``
  as its precision: 1 day, 2 and 3 week, 4 month, 5 year. A two-digit year (a file
  Excel re-saved: ``11-Apr-98``) is the row's ``year``; one that is not is refused,
  and so is one beside an empty ``year`` cell, or one that is no year, or in a file
  without the column, the reason saying which (`century_cell`).
  In ``source_date`` it is the year ending in those digits nearest the row's ``year``
  (a report may come out the next year). A ``date_end`` before ``date_start`` is
  imported, not refused: which of the two is the slip is unknown, so ``occurred`` is
  the span covering both days; the notes quote both cells ("end before the start
  as published: ..."), flagged "end before the start". A ``year`` that is not the
  year of any of the event's days is kept in the notes ("year as published: ..."),
  flagged "year differs from the event's dates", as ACLED's. GED's codebook gives
  each ``date_prec`` a range of days (``date_start``..``date_end``, both counted): 1
  the exact day; 2 within 2-6 days; 3 only the week known (2-7); 4 within 8-30 days
  or only the month known (8-31: a calendar month); 5 more than 30 days or only the
  year known (31 or more). A row whose days are outside its code's range is imported
  over them as published, at its code's precision, the notes saying so
  ("date_prec 4 (8-30 days, or the month: 8-31 days) as published over 5 days: ..."),
  flagged "date_prec 1 over several days" for 1, "span outside date_prec's range"
  for 2-5 (not for a row whose end is before its start: flagged as such). Every row
  of the real sample lies in its code's range.
  ``date_prec`` is kept in the notes (`KEPT`): 2 and 3 are both a week's precision.
  A ``date_prec`` none of GED's codes 1-5 (``6``, ``0``, ``x``; empty and ``NA``
  too) is imported over the same days, which every code gives, at a year's
  precision (5's, the coarsest: it claims no more than any code would), kept as
  published in the notes ("date_prec as published: 6 (...)"), flagged "date_prec
  not 1-5" (`from_ucdp`, the low-level reading, still raises).
- ``best``/``low``/``high`` are ``fatalities``. A row where ``low <= best <= high``
  does not hold (13 of the real GED 23.1 sample) is imported: the three numbers are
  kept verbatim in ``as_reported`` (`published_figures` reads them back), the
  figure holds ``best`` (what views use), and the notes flag it.
- Sources: ``source_office``, ``source_date`` and ``source_headline`` hold one value
  per source, separated by ``;``, and become one [`Source`][conflict_timeline.Source]
  each (publisher, title, the day published). An item empty in all three (a
  trailing or doubled ``;``: ``a;b;``, ``a;;b``) is no source; each cell that had one
  is kept in the notes as published ("source_office as published: a;;b (an empty
  item, no source)"), flagged "empty source item". A headline may contain ``;`` itself;
  then the titles are taken from ``source_article`` (``"office,date,headline";...``).
  Rows with no ``source_office`` (GED's older events) keep ``source_article`` whole as
  the title of one source whose publisher is "unknown", dated by the date written in
  it (`article_date`: "Reuters, 4/13/1998"). UCDP writes these month first, but not
  always ("07/04/2000" for an event of 2 April 2000): a numeric date that reads both
  ways is read so that the report is on or after the event's first day, nearest to it
  (month first when neither reading is), and the notes flag it with both readings
  ("source date ambiguous"). A date written without a year is the first such day on or
  after the event's first day ("source date without a year"); an article with no date
  is flagged "source date not read"; of several articles (``;``) the earliest date is
  taken (see `article_date` for every form read). A row with no ``source_office`` but
  a ``source_date`` or a ``source_headline`` has one source per ``source_date`` value
  (one without), published by "unknown", dated by it (by the date in
  ``source_article`` when there is none) and titled by its headline;
  ``source_article`` is the title of a lone source without one, else kept in the notes
  (``source article: ...``). A ``source_date`` value not read as a day from 1946 on
  (``2023-03``, ``2023-03-xx``; in ``source_article`` too: ``Reuters, 3/13/1898``)
  leaves its source undated and is kept in the notes with its source's position,
  flagged "source date not read" (one after today, the clock's or the ``today``
  option's, likewise, flagged "source date after today": no source was published
  then); values beyond the
  offices are kept in the notes, flagged "more source dates than offices". A source
  with an office but no ``source_date`` (an empty item, ``;2020-02-03``, or fewer
  dates than offices) is dated by its own part of ``source_article``
  (``"Synthetic Daily,2020-02-03,Clash";...``, lined up with the offices) where it has
  one, else by the date written in the article, read as for a row without
  ``source_office`` ("Reuters, 4/13/1998"; ambiguous or yearless dates flagged the
  same); the notes say so, unflagged ("source 2 (B) has no source_date; 2020-02-03
  read from its part of source_article"). None read: the source stays undated, the
  article is kept in the notes (``source article: ...``), flagged "source date not
  read" ("no source_date for source 2 (B), none read in source_article; undated").
  Every record also names UCDP GED itself as a source.
- Knowledge time: ``reported`` is the earliest parsable source date; without one,
  the last day of the extent. A source dated before the event began is flagged in
  the notes and ``reported`` is the event's first day.
- Actors: ``actor:ucdp-<side_a_new_id>`` (`ucdp_actor_id`, the UCDP actor id
  the ceasefire datasets use too; a name slug without one); "Government of ..." is a
  ``government``, other sides ``armed_force``. An actor is named as the first row
  (of the file, or of a release stored before) spells it; a row spelling it otherwise
  keeps its spelling in the notes (``side_a as published: ...``, ``side_b``), flagged
  "name differs from the actor's", as ACLED's rows are.
- Older releases (41 columns, no ``relid``, ``code_status``, ``*_dset_id``,
  ``where_description``) read the same; ``best_est``/``low_est``/``high_est`` stand
  for ``best``/``low``/``high`` where a file uses them. The first releases (GED 1.x
  and 2.x) give their sides' ids as ``side_a_id``/``side_b_id`` (and ``conflict_id``,
  ``dyad_id``), numbered before UCDP's actor ids of today: they are kept in the notes
  as written, and the actors are named by slug (no ``*_new_id``), never joined to a
  UCDP actor id they do not name.
- Places: ``place:<country>`` > ``.../<adm_1>`` > ``.../<adm_2>`` > ``.../<where_coordinates>``
  (de jure parents, empty levels skipped; ``<country>`` the slug of GED 23.1's name of
  the country, whichever release's name the row gives: `._countries.country_id`).
  ``where_prec`` decides what the attack points at: 6 the country, 4 the ``adm_1``, 3
  the ``adm_2`` (a row leaving that level empty: the deepest level it names above it,
  flagged "where_prec level not named"), and otherwise the named location, which carries
  ``latitude``/``longitude`` (for the admin levels those are only a centroid, so they
  are not stored). 7 is
  "international waters or airspace" in GED's codebook: such an event lies in no
  country, so it is not placed under the row's country (a ceasefire scoped to the
  country would count it, as scope checks walk up the parents) but at a place of its
  own with no parent, ``place:international/<where_coordinates>`` named by
  ``where_coordinates`` ("International waters or airspace (<country>)" for want of
  one), holding the point; the notes say so ("international waters or airspace
  (where_prec 7): placed in no country") and keep the ``country``, ``adm_1`` and
  ``adm_2`` the row names (``country=DR Congo (Zaire)``), unflagged: 7 is one of
  GED's codes (real event 23893, Lake Albert off Irumu). A ``where_prec``
  none of GED's codes 1-7 (``8``, ``0``, ``x``) reads as an empty one (the deepest
  level the row names), kept as published in the notes, flagged "where_prec not
  1-7"; an empty or ``NA`` one is no code and not flagged. A row with one
  coordinate but not the other is imported without a point, and the notes keep both
  cells as written ("coordinates incomplete"); a lone coordinate that is not one is
  refused, as a pair's would be. ``geom_wkt`` is GED's point again, as WKT with the
  longitude first (``POINT (6.178611 35.555278)``; also ``POINT(x y)``, any case, and
  EWKT's ``SRID=4326;`` before it): a row with neither ``latitude`` nor ``longitude``
  takes its point from it, the notes keeping it as published, flagged "coordinates
  from geom_wkt"; a row with them keeps them and, when the point differs from them by
  more than cutting each number to the decimals its cell writes explains (a unit in
  the last place of each, added: cut by rounding or truncation, as GED truncates its
  ``latitude``/``longitude`` to six decimals, ``29.2756589`` to ``29.275658``), keeps
  ``geom_wkt`` in the notes, flagged "geom_wkt differs from latitude/longitude"
  (event 141599 of the real sample: latitude -3.705, Ambon, and ``POINT (128.17
  3.705)``). A ``geom_wkt`` that is no such point on the globe (``POINT EMPTY``, a
  latitude past 90) is kept in the notes, flagged "geom_wkt not read", and gives no
  point; a lone coordinate is checked against it, not completed by it. A place is
  defined once (its id comes from the
  names, so ACLED or an earlier release may have defined it): a row whose location
  lies elsewhere leaves it as it is, and the event's notes keep the row's coordinates
  ("coordinates differ from the place's", as for ACLED).
- The columns of `KEPT` (codes and counts the record has no field for: ids, clarity,
  the deaths by side, ...) are kept in the notes as ``column=value``, and so are the
  place cells the place does not hold (the levels below the one ``where_prec``
  points at; the coordinates of a place that is no named location): a release
  changing one is a correction. A row whose deaths by side (`DEATHS`, all four
  given) do not add up to ``best`` is flagged, and so is one whose ``active_year``
  (1 or 0) or ``event_clarity`` (1 or 2) is none of the codebook's codes, kept as
  published. One rule holds for the four deaths by side: a value that is no count
  (a whole number, 0 or more: ``-1``, ``-99``, ``2.5``, text) is imported, kept as
  published (``deaths_a=-1``), flagged "deaths not a count" naming the column and
  the value ("deaths_a as published: -1 (not a count of deaths)"), and the notes
  say the sum was not compared with ``best`` ("deaths not compared with best:
  deaths_a is not a count"); an empty one (``NA`` too) is missing, nothing to
  compare, not flagged.
- ``NA`` (R's missing value) reads as an empty cell; a refusal of a cell every row
  needs quotes it (``best: 'NA' is not a whole number``). Pandas' ``nan`` or
  ``NaN`` (a file pandas saved as text, `._rows.nan_as_empty`) reads as an empty
  cell too, in every column, so such a file imports as the one published; ``Nan``
  (a Thai province) and any other case is the word as written.
- A GED Candidate row whose ``code_status`` is not "Clear" keeps it in the notes
  (``code_status: Check dyad``), flagged "code_status not Clear".
- The summary's ``flags`` count the rows imported with each kind of flag (a row
  once per kind).

Re-import works as for ACLED: a changed row becomes a [`Correction`][conflict_timeline.Correction],
an unchanged one yields nothing. A GED row carries no version stamp (its
``source_date`` dates the reports, not UCDP's coding), so there is no "older" row: the
file imported last wins (release 22.1 imported after 23.1 corrects the rows back to
22.1's). A row absent from a file is left as it is.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Collection, Iterator
from typing import Any, Final, NamedTuple

import attrs

from .._provenance import Codes, Figure, Source
from .._records import (
    ActorDefined,
    ActorKind,
    AnyRecord,
    Attack,
    Coordinates,
    PlaceDefined,
    PlaceKind,
    TargetClass,
)
from .._time import Precision, TimeExtent
from ..errors import ConflictTimelineError, InvalidTimeError
from ._batch import (
    CACHE_SIZE,
    BatchBuilder,
    Existing,
    ImportBatch,
    ImportStream,
    Refusal,
    RowOutcome,
    StreamingImporter,
    area,
    first_extent,
    slug,
    stream_rows,
    table_stream,
)
from ._cells import (
    LOST_LETTERS,
    AmbiguousDate,
    DayOrder,
    century_cell,
    date_order_option,
    decimal,
    grouped,
    id_number,
    lost_letters,
    nearest_year,
    read_day,
    serial_day,
    serial_note,
    today_option,
    whole,
    whole_number,
)
from ._countries import country_id, gw_country, level_spellings
from ._registry import unknown_options
from ._rows import MONTHS, PathOrFile, Table, nan_as_empty, written

__all__ = [
    "GED",
    "actor_kind",
    "article_date",
    "from_ucdp",
    "published_figures",
    "read_ucdp",
    "stream_ucdp",
    "ucdp_actor_id",
]

REQUIRED: Final = (
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
)
ALIASES: Final = {"best_est": "best", "low_est": "low", "high_est": "high"}
"""Column names of older GED releases, read when the current name is absent."""
UCDP_PUBLISHER: Final = "UCDP Georeferenced Event Dataset"
UCDP_URL: Final = "https://ucdp.uu.se/downloads/"

# The UCDP source every row names, validated once: `_own_source` gives it a row's title.
_OWN_SOURCE: Final = Source(publisher=UCDP_PUBLISHER, title="GED event", url=UCDP_URL)


def _own_source(title: str) -> Source:
    """``Source(publisher=UCDP_PUBLISHER, title=title, url=UCDP_URL)``, equal to it
    field for field, without running its validators again: the publisher and URL are
    the constants `_OWN_SOURCE` was validated with, ``title`` is text the importer
    wrote itself (an f-string: always a ``str``, the title's only check) and
    ``published`` is None (its default, which needs no conversion)."""
    source = object.__new__(Source)
    set_field = object.__setattr__  # the frozen class's own way in, as attrs' __init__
    set_field(source, "publisher", _OWN_SOURCE.publisher)
    set_field(source, "title", title)
    set_field(source, "url", _OWN_SOURCE.url)
    set_field(source, "published", None)
    return source


KEPT: Final = (
    "active_year",
    "event_clarity",
    "number_of_sources",
    "conflict_dset_id",
    "conflict_new_id",
    "dyad_dset_id",
    "dyad_new_id",
    "side_a_dset_id",
    "side_b_dset_id",
    # The ids of the first GED releases (1.x, 2.x: ``Conflict_ID``, ``Side_A_ID``...),
    # numbered otherwise than today's UCDP ids: kept as written, never read as one.
    "conflict_id",
    "dyad_id",
    "side_a_id",
    "side_b_id",
    "date_prec",
    "where_prec",
    "priogrid_gid",
    "country_id",
    "region",
    "gwnoa",
    "gwnob",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
)
"""GED's columns kept in the notes as ``column=value`` (when given): codes and counts
the record has no field for, so that a release changing one is a correction
(``date_prec`` too: its 2 and 3 are both a week's precision)."""
_NOT_CLEARED: Final = "code_status not Clear"
"""The flag of a GED Candidate row UCDP has not cleared (its status in the notes)."""
_DUMMY: Final = {"true": "1", "false": "0"}
"""``active_year`` (GED's dummy, 1 or 0 in its CSV) as UCDP's API (``true``) and R
(``TRUE``) write it."""
_CODES: Final = (("active_year", ("0", "1")), ("event_clarity", ("1", "2")))
"""GED's kept columns whose codebook gives their codes: a value that is none of them
is kept as published and flagged (`_NOT_A_CODE`)."""
_NOT_A_CODE: Final = "code not in GED's codebook"
_SOURCES_NOT_A_COUNT: Final = "number_of_sources not a count"
_COUNTRY_ID_DIFFERS: Final = "country_id names another country"
_NOT_AN_ACTOR_ID: Final = "side id not a UCDP actor id"
_ONE_NAME_TWO_IDS: Final = "one name, two side ids"
DEATHS: Final = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
"""The deaths by side whose sum is ``best`` (GED's codebook)."""

_DEATHS_NOT_A_COUNT: Final = "deaths not a count"
"""The flag of a death count by side (`DEATHS`) that is no whole number of 0 or more
(kept as published in the notes; the sum is then not compared with ``best``)."""

_LOCATION_KINDS: Final = (
    (" city", PlaceKind.CITY),
    (" town", PlaceKind.TOWN),
    (" village", PlaceKind.VILLAGE),
)


_MAX_COUNT = 2**63  # what a stored count may reach (a signed 64-bit integer)


def _missing(cell: str) -> str:
    """How a refusal says that a cell a row needs holds nothing: ``is empty``, or, for
    a cell the file wrote ``NA`` (R's missing value, read as empty), quoting it."""
    return "is empty" if written(cell) == cell else f"is {written(cell)!r} (a missing value)"


def _deaths(raw: str) -> int | None:
    """A death count by side (`DEATHS`): a whole number, 0 or more (``2.0`` too, as
    pandas writes it); None for an empty cell and for anything else (``-1``, ``-99``,
    ``2.5``, text), which is no count."""
    if not raw.strip():
        return None
    try:
        value = whole_number("deaths", raw)
    except Refusal:
        return None
    return value if value >= 0 else None


def _count(field: str, raw: str) -> int:
    """A figure (``best``, ``low``, ``high``): a whole number, 0 or more; ``1.000``
    is refused as ambiguous (`grouped`), 1 with a decimal point or 1000 with the
    thousands separator of a spreadsheet where the comma is the decimal sign."""
    grouped(field, raw, point=True)
    value = whole_number(field, raw)
    if value < 0:
        raise Refusal(field, f"{raw!r} is negative")
    if value >= _MAX_COUNT:
        raise Refusal(field, f"{raw.strip()[:40]!r} is too large (counts must be below 2**63)")
    return value


_UCDP_PRECISION: Final = {
    1: Precision.DAY,
    2: Precision.WEEK,
    3: Precision.WEEK,
    4: Precision.MONTH,
    5: Precision.YEAR,
}
_DATE_PRECS: Final = {str(code): precision for code, precision in _UCDP_PRECISION.items()}
"""GED's ``date_prec`` codes as a cell writes them (ASCII digits: not ``"٣"``)."""
_DATE_PREC_SPANS: Final = {
    "1": (1, 1, "the exact day"),
    "2": (2, 6, "2-6 days"),
    "3": (2, 7, "the week: 2-7 days"),
    "4": (8, 31, "8-30 days, or the month: 8-31 days"),
    "5": (31, None, "more than 30 days"),
}
"""The days (``date_start``..``date_end``, both counted) each ``date_prec`` code
spans in GED's codebook, least and most (None: no most), and how a note says it:
1 the exact day; 2 known within 2-6 days; 3 only the week known (more than a day,
at most seven); 4 within 8-30 days or only the month known (a calendar month is up
to 31 days); 5 more than 30 days or only the year known."""
_PREC_1_OVER_DAYS: Final = "date_prec 1 over several days"
_SPAN_OUTSIDE: Final = "span outside date_prec's range"
"""The flag of a ``date_prec`` 2-5 whose days are not in its range (1's is
`_PREC_1_OVER_DAYS`)."""


def _span_flag(code: str, first: _dt.date, last: _dt.date) -> tuple[tuple[str, str], ...]:
    """The flag (kind, note) of a ``date_prec`` code whose range of days
    (`_DATE_PREC_SPANS`) does not hold the event's days ``first``..``last``; none when
    it does. The dates are kept as published."""
    least, most, said = _DATE_PREC_SPANS[code]
    span = (last - first).days + 1
    if least <= span and (most is None or span <= most):
        return ()
    days = f"{span} days: {first.isoformat()} to {last.isoformat()}"
    if span == 1:
        days = f"1 day: {first.isoformat()}"
    note = f"date_prec {code} ({said}) as published over {days}"
    return ((_PREC_1_OVER_DAYS if code == "1" else _SPAN_OUTSIDE, note),)


_DATE_PREC_UNKNOWN: Final = "date_prec not 1-5"
"""The flag of a ``date_prec`` that is none of GED's codes (kept in the notes)."""
_UNKNOWN_DATE_PRECISION: Final = Precision.YEAR
"""The precision of ``occurred`` for a ``date_prec`` none of GED's codes: every code
gives the days ``date_start``..``date_end``, and the coarsest of them (5, the year)
claims no more than any other would."""
_TOV_UNKNOWN: Final = "type_of_violence not 1-3"
"""The flag of a ``type_of_violence`` that is none of GED's codes (kept in the notes
and in the codes as published)."""
_TYPES_OF_VIOLENCE: Final = frozenset({"1", "2", "3"})


def _tov_note(cell: str) -> str:
    """``type_of_violence as published: ...`` of a value none of GED's codes 1-3
    (``empty`` for an empty cell, ``NA`` as the file wrote it), saying what it
    decides: nothing."""
    shown = whole(written(cell)) or "empty"
    return (
        f"type_of_violence as published: {shown} (not one of GED's codes 1-3; the "
        "target class is unknown unless side B is civilians, and side A is not read "
        "as the attacker)"
    )


_SIDES_UNLIKE_TYPE: Final = "sides unlike type_of_violence"
"""The flag of a row whose sides contradict its ``type_of_violence`` as the codebook
defines the three (`_sides_flags`)."""


def _sides_flags(tov: str, side_a: str, side_b: str) -> list[tuple[str, str]]:
    """The flag of sides that contradict ``type_of_violence`` (GED's codebook: 2,
    non-state, has no government on either side, which GED names "Government of
    ..."; 3, one-sided, has civilians as side B, and 1 and 2 never do, nor leave it
    empty: they are fought between two sides), with its note;
    none when they agree or the type is none of the codes. The row is taken as its
    type says (see the module docstring); the sides are kept as published. (A side A
    of type 1 not named "Government of ..." is not flagged: a name is no proof that
    a side is no government.)"""
    gov_a, gov_b = (side.casefold().startswith("government of ") for side in (side_a, side_b))
    said = ""
    if tov == "2" and (gov_a or gov_b):
        which, name = ("side_a", side_a) if gov_a else ("side_b", side_b)
        said = f"{which} {name!r} is a government in non-state violence (type 2)"
    elif tov in {"1", "2"} and side_b.casefold() == "civilians":
        said = f"side_b 'Civilians' in {'state-based' if tov == '1' else 'non-state'} violence"
    elif tov in {"1", "2"} and not side_b:
        kind = "state-based" if tov == "1" else "non-state"
        said = f"side_b empty in {kind} violence (type {tov}), fought between two sides"
    elif tov == "3" and side_b.casefold() != "civilians":
        said = f"side_b {side_b!r} is not civilians in one-sided violence (type 3)"
    if not said:
        return []
    return [(_SIDES_UNLIKE_TYPE, f"{_SIDES_UNLIKE_TYPE}: {said}; kept as published")]


def _target_class(*, one_sided: bool, known: bool, civilians: int) -> TargetClass:
    """What a row's attack hit: civilians when it is one-sided (type 3, or a side B
    named civilians); unknown when its ``type_of_violence`` is none of GED's codes
    (a clash's or one-sided violence's: GED does not say); else a clash's, military,
    or mixed when civilians died."""
    if one_sided:
        return TargetClass.CIVILIAN
    if not known:
        return TargetClass.UNKNOWN
    return TargetClass.MIXED if civilians > 0 else TargetClass.MILITARY


_WHERE_PREC_UNKNOWN: Final = "where_prec not 1-7"
"""The flag of a ``where_prec`` that is none of GED's codes (kept in the notes)."""
_WHERE_PRECS: Final = frozenset({"1", "2", "3", "4", "5", "6", "7"})
_FROM_WKT: Final = "coordinates from geom_wkt"
_WKT_DIFFERS: Final = "geom_wkt differs from latitude/longitude"
_WKT_UNREAD: Final = "geom_wkt not read"
_NUMBER: Final = r"([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)"
_WKT_POINT: Final = re.compile(
    rf"(?:SRID=\d+\s*;\s*)?POINT\s*\(\s*{_NUMBER}\s+{_NUMBER}\s*\)", re.IGNORECASE
)


def _wkt_point(text: str) -> tuple[str, str] | None:
    """The latitude and longitude a WKT point gives (``POINT (lon lat)``, longitude
    first as WKT writes x before y; ``SRID=4326;`` before it allowed), as written, or
    ``None`` when ``text`` is no 2-D point on the globe (``POINT EMPTY``, ``POINT Z``,
    a latitude past 90 or a longitude past 180)."""
    m = _WKT_POINT.fullmatch(text.strip())
    if m is None:
        return None
    lon, lat = m.group(1), m.group(2)
    if not (abs(float(lat)) <= 90 and abs(float(lon)) <= 180):
        return None
    return lat, lon


def _last_place(text: str) -> float:
    """A unit in the last decimal place ``text`` writes (``"3.7"``: 0.1): how far the
    number it was cut from may lie, rounded or truncated (GED's ``latitude`` of
    ``POINT (29.2756589 -1.2107155)`` is ``-1.210715``); a float's own error for
    exponent forms."""
    digits = text.strip()
    if "e" in digits.casefold():
        return 1e-9
    _whole, sep, decimals = digits.replace(",", ".").partition(".")
    return 10.0 ** -len(decimals) if sep else 1.0


def _within_rounding(a: str, b: str) -> bool:
    """Do the numbers ``a`` and ``b`` (as written; a decimal comma read as a point)
    agree once each is taken as cut, rounded or truncated, to the decimals it writes?"""
    gap = abs(float(a.replace(",", ".")) - float(b.replace(",", ".")))
    return gap < _last_place(a) + _last_place(b)


_SOURCE_DATE_UNREAD: Final = "source date not read"
_SOURCE_DATE_LATER: Final = "source date after today"
"""The flag of a source date after today (the import's clock, or the ``today``
option): no source was published then, so the source is left undated."""
_EMPTY_SOURCE_ITEM: Final = "empty source item"
"""The flag of a ``;``-separated source cell with an empty item (no source)."""
_SOURCE_COLUMNS: Final = ("source_office", "source_date", "source_headline")


def _iso_day(text: str, field: str) -> _dt.date:
    try:
        return read_day(str(text), field)
    except Refusal as refusal:
        raise InvalidTimeError(f"{field} {refusal.reason}") from None
    except AmbiguousDate:
        msg = f"{field} {text!r} is ambiguous: day and month could be swapped"
        raise InvalidTimeError(msg) from None


def from_ucdp(
    date_start: str, date_end: str, date_prec: int | str, *, tz: str = "UTC"
) -> TimeExtent:
    """GED's ``date_start``, ``date_end`` and ``date_prec`` (1-5).

    The bounds are always the whole days ``date_start`` through ``date_end``; the
    precision says how coarse the source was: 1 day, 2 and 3 week, 4 month, 5 year.

    Raises:
        InvalidTimeError: a date is not one (see `read_day` for the forms read),
            the end is before the start, or the
            precision is not 1-5.
    """
    try:
        code = int(date_prec)
    except (TypeError, ValueError):
        code = -1
    precision = _UCDP_PRECISION.get(code)
    if precision is None:
        msg = f"UCDP date_prec must be 1-5, got {date_prec!r}"
        raise InvalidTimeError(msg)
    start = _iso_day(date_start, "date_start")
    end = _iso_day(date_end, "date_end")
    if end < start:
        msg = f"UCDP date_end {date_end!r} is before date_start {date_start!r}"
        raise InvalidTimeError(msg)
    return TimeExtent.from_dates(start, end, precision, tz=tz)


def ucdp_actor_id(ucdp_id: str, name: str) -> str:
    """The actor id for a UCDP actor: ``actor:ucdp-<id>`` from its UCDP actor id
    (GED's ``side_a_new_id``, ETH/PRIO's ``ucdp_actor_id``, the peace agreements'
    ``actor_id``), so the datasets share their actors; ``actor:<slug of the name>``
    when the id is missing (-1 or empty)."""
    text = whole(ucdp_id)  # 538.0 and 538.00, as pandas and Excel write 538
    if text.isdecimal() and int(text) > 0:  # isdigit holds for "¹", which int refuses
        return f"actor:ucdp-{int(text)}"
    return f"actor:{slug(name)}"


_NO_YEAR_AFTER: Final = r"(?!\.?[ -]?(?:\d{4}|\d{2})(?!\d|:\d))"  # a time may follow

# The date forms UCDP's coders wrote in ``source_article``, each with how to read its
# three groups, in order of preference where two match at one place. "mdy": month
# first, or day first where only that is a date, or both; "dmy": the reverse;
# "ymd"; "dny", "ndy": day and month's name, or the reverse; an empty year group
# (the last three forms): no year written.
_ARTICLE_DATES: Final = (
    (re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), "ymd"),  # 2005-01-27, 2007-4-24
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])"), "mdy"),  # 4/13/1998
    # 6 May 1992, BBC Monitoring's 05 Jul 07, 13-Apr-98
    (re.compile(r"(?<!\d)(\d{1,2})(?: |-)([A-Za-z]+)\.?(?: |-)(\d{4}|\d{2})(?!\d|:\d)"), "dny"),
    (re.compile(r"\b([A-Za-z]+)\.? (\d{1,2}),? (\d{4})(?!\d)"), "ndy"),  # May 6, 1992
    # Reuters 30/5 2004, AFP 13/7 00, BBC Monitoring 31/3-07: day first (every such
    # date in GED whose numbers settle it is), the year after a space, a comma or a
    # dash.
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:\s*,\s*|\s+|-)(\d{4}|\d{2})(?![\d/])"), "dmy"),
    (re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d.])"), "dmy"),  # 13.04.1998
    (re.compile(r"(?<![\d-])(\d{1,2})-(\d{1,2})-(\d{2})(?![\d-])"), "dmy"),  # 24-04-02
    (re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)"), "ymd"),  # AFP 20111002
    # No year written: Noche y Niebla 22/2, Reuters17/4, on 7 March, June 18 (Reuters)
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})()(?![\d/])"), "dmy"),
    (re.compile(r"(?<!\d)(\d{1,2}) ([A-Z][a-z]+)\b()" + _NO_YEAR_AFTER), "dny"),
    (re.compile(r"(?<!\d )\b([A-Z][a-z]+)\.? (\d{1,2})\b()(?!,? ?\d|:)"), "ndy"),
)
_INCONSISTENT: Final = "(UCDP GED, inconsistent as published)"
_EARLIEST_SOURCE_YEAR: Final = 1946  # before GED's and UCDP's coverage: not a real date


class _ArticleDate(NamedTuple):
    """A date written in a ``source_article``: its text and its readings, one, or two
    for a numeric date that reads both ways (the form's usual order first: month
    first for ``07/04/2000``, day first for ``8/4 2000``)."""

    text: str
    readings: tuple[_dt.date, ...]
    day_first: bool = False  # the form is written day first (its first reading)
    yearless: bool = False  # no year written: each reading's is the event's, or the next


def _article_readings(article: str, event_start: _dt.date | None = None) -> _ArticleDate | None:
    """The date of ``article``: the first date written in each of its ``;``-separated
    parts (one cited article each), the earliest of them (by its form's usual
    reading). A two-digit year is the year ending in those digits nearest the
    event's (the earlier of two as near); a date without a year is the first such day
    on or after the event's first day; without ``event_start`` neither is a date."""
    dated = [
        found
        for part in article.split(";")
        if (found := _first_article_date(part, event_start)) is not None
    ]
    return min(dated, key=lambda found: found.readings[0]) if dated else None


def _first_article_date(text: str, event_start: _dt.date | None) -> _ArticleDate | None:
    """The first date written in ``text``, with its readings."""
    found: list[tuple[int, int, _ArticleDate]] = []
    for n, (pattern, form) in enumerate(_ARTICLE_DATES):
        for m in pattern.finditer(text):
            date = _article_match(m, form, event_start)
            if date is not None:
                found.append((m.start(), n, date))
                break
    return min(found)[2] if found else None


def _article_match(
    m: re.Match[str], form: str, event_start: _dt.date | None
) -> _ArticleDate | None:
    """The readings of one match of a ``_ARTICLE_DATES`` form, if it is a date."""
    a, b, c = m.groups()
    if form == "ymd":
        first, second, digits = b, c, a
    elif form in {"mdy", "ndy"}:
        first, second, digits = a, b, c
    else:  # dmy, dny: month then day
        first, second, digits = b, a, c
    if form in {"dny", "ndy"}:
        month = MONTHS.get(first.casefold())
        if month is None:
            return None
        pairs = [(month, int(second))]
    elif form == "ymd":
        pairs = [(int(first), int(second))]
    else:  # numeric: the usual order, then the other
        pairs = [(int(first), int(second)), (int(second), int(first))]
    if not digits:
        if event_start is None:
            return None
        days = [_on_or_after(month, day, event_start) for month, day in pairs]
    else:
        year = _year_near(digits, None if event_start is None else event_start.year)
        if year is None:
            return None
        days = [_day_or_none(year, month, day) for month, day in pairs]
    readings = tuple(dict.fromkeys(day for day in days if day is not None))
    if not readings:
        return None
    day_first = form == "dmy" and len(pairs) > 1  # a month by name reads one way
    return _ArticleDate(m.group().strip(), readings, day_first=day_first, yearless=not digits)


def _day_or_none(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _on_or_after(month: int, day: int, start: _dt.date) -> _dt.date | None:
    """The first ``day`` of ``month`` on or after ``start`` (within four years: 29
    February), None when it is no date."""
    for year in range(start.year, start.year + 5):
        found = _day_or_none(year, month, day)
        if found is not None and found >= start:
            return found
    return None


def _year_near(digits: str, event_year: int | None) -> int | None:
    """A year written with four digits, or with two: the year ending in them nearest
    ``event_year`` (the earlier of two 50 years away); None with two and no event."""
    if len(digits) == 4:
        return int(digits)
    if event_year is None:
        return None
    return nearest_year(int(digits), event_year)


def _settle(readings: tuple[_dt.date, ...], event_start: _dt.date) -> _dt.date:
    """The reading of an article's date to believe: a report comes on or after the
    event, so the reading on or after ``event_start`` nearest to it; the first (the
    form's usual order) when none is."""
    after = [day for day in readings if day >= event_start]
    return min(after) if after else readings[0]


def article_date(article: str, *, event_start: _dt.date | None = None) -> str:
    """The publication date GED's older rows give inside ``source_article``, as
    ``YYYY-MM-DD`` (``""`` when it names none): ``"Reuters, 4/13/1998"`` or
    ``"4/13/98"`` (month first, as UCDP mostly writes it), ``"AFP 2005-01-27 ..."``
    (also unpadded, ``"SATP, 2007-4-24"``), ``"Svenska Dagbladet 6 May 1992"``,
    BBC Monitoring's ``"05 Jul 07"``, ``"13-Apr-98"``, ``"May 6, 1992"``,
    ``"13.04.1998"`` (day first), ``"Reuters 30/5 2004"``, ``"AFP 13/7 00"`` and
    ``"AFP 4/3-07"`` (UCDP's day-first form: the year after a space, a comma or a
    dash). Two digits are the year ending in them nearest the event's, so they need
    ``event_start``. The first date written in each ``;``-separated part (one cited
    article each) is its date, and the earliest of those is taken.

    A numeric date that reads both ways (``07/04/2000``, ``8/4 00``: both numbers 12
    or less) is settled by ``event_start``, the event's first day: a report comes on
    or after the event, so the reading on or after it nearest to it is taken, the
    form's usual order (month first with slashes, day first before a spaced year)
    when neither is (or without ``event_start``)."""
    found = _article_readings(article, event_start)
    if found is None:
        return ""
    if event_start is None:
        return found.readings[0].isoformat()
    return _settle(found.readings, event_start).isoformat()


def published_figures(figure: Figure) -> tuple[int, int, int] | None:
    """The low, best and high GED published for a figure the importer marked as
    inconsistent (kept verbatim in ``as_reported``); ``None`` for other figures."""
    text = figure.as_reported or ""
    m = re.fullmatch(r"low (\d+), best (\d+), high (\d+) " + re.escape(_INCONSISTENT), text)
    if m is None:
        return None
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def _location_kind(name: str) -> PlaceKind:
    lowered = name.casefold()
    for suffix, kind in _LOCATION_KINDS:
        if lowered.endswith(suffix):
            return kind
    return PlaceKind.AREA


def actor_kind(name: str) -> ActorKind:
    """A government when UCDP's name says so ("Government of X", also "The Government
    of X", as ETH/PRIO spells Sri Lanka's), else an armed force."""
    lowered = name.strip().casefold().removeprefix("the ")
    return ActorKind.GOVERNMENT if lowered.startswith("government of") else ActorKind.ARMED_FORCE


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(";")] if raw.strip() else []


def _source_items(
    raw: list[str], flags: list[tuple[str, str]]
) -> tuple[list[str], list[str], list[str]]:
    """``source_office``, ``source_date`` and ``source_headline`` (``raw``, in that
    order) split on ``;``, without the items that are empty in every one of them: a
    trailing or doubled ``;`` (``a;b;``, ``a;;b``) separates no source. The items
    kept stay at one position in each column (an empty office beside a date is a
    source, published by "unknown"). A cell that loses an item is kept in the notes
    as published, the row flagged."""
    columns = [_split(cell) for cell in raw]
    width = max(len(items) for items in columns)
    empty = {n for n in range(width) if not any(n < len(items) and items[n] for items in columns)}
    if not empty:
        return columns[0], columns[1], columns[2]
    kept = []
    for column, cell, items in zip(_SOURCE_COLUMNS, raw, columns, strict=True):
        if any(n < len(items) for n in empty):
            note = f"{column} as published: {cell.strip()} (an empty item, no source)"
            flags.append((_EMPTY_SOURCE_ITEM, note))
        kept.append([item for n, item in enumerate(items) if n not in empty])
    return kept[0], kept[1], kept[2]


def _article_titles(
    article: str, offices: list[str], dates: list[str], days: DayOrder, year: str = ""
) -> list[str] | None:
    """Titles from ``"office,date,headline";"..."``, or None if it does not line up
    (numeric dates in the file's order, ``days``)."""
    entries = _article_parts(article, offices)
    if entries is None:
        return None
    titles = []
    for entry, office, date in zip(entries, offices, dates, strict=False):
        if not entry.startswith(f"{office},"):
            return None
        said, comma, title = entry[len(office) + 1 :].partition(",")
        if not comma or not _same_day(said, date, days, year):
            return None
        titles.append(title.strip())
    return titles


def _article_parts(article: str, offices: list[str]) -> list[str] | None:
    """The parts of ``source_article`` in GED's form, ``"office,date,headline";"..."``,
    one an office; None when it is not in that form or does not line up."""
    text = article.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        return None
    entries = text[1:-1].split('";"')
    return entries if len(entries) == len(offices) else None


def _article_entries(article: str, offices: list[str]) -> list[str | None] | None:
    """The date each office's part of ``source_article`` gives as written
    (``"office,date,headline";"..."``, GED's form, lined up with the offices), None
    for a part that does not start with its office; None when the article is not
    in that form or does not line up."""
    entries = _article_parts(article, offices)
    if entries is None:
        return None
    said: list[str | None] = []
    for entry, office in zip(entries, offices, strict=True):
        date, comma, _title = entry[len(office) + 1 :].partition(",")
        matched = office and entry.startswith(f"{office},") and comma
        said.append(date.strip() if matched else None)
    return said


def _serial_as_iso(date: str, system: int) -> str:
    """A ``source_date`` item as the ISO day it counts when it is an Excel serial day
    number (`serial_day`), else as it is: to be matched with the article's dates."""
    day = serial_day(date, system=system)
    return date if day is None else day.isoformat()


def _same_day(one: str, other: str, days: DayOrder, year: str = "") -> bool:
    """Do two date texts name one day (``2012-05-15`` in the article, ``5/15/2012
    0:00`` or ``15-May-12`` in a ``source_date`` Excel re-saved; numeric ones in the
    file's order, two-digit years as `_Ucdp.day` reads them)?"""
    if one.strip() == other.strip():
        return True
    try:
        return days.read(one, "source_date", year=year, nearest=True) == days.read(
            other, "source_date", year=year, nearest=True
        )
    except (Refusal, AmbiguousDate):
        return False


def _article_day(
    article: str,
    event_start: _dt.date,
    flags: list[tuple[str, str]],
    unread: str = "no date read in source_article",
) -> str:
    """The date in ``source_article`` (`article_date`); one that reads both ways is
    settled by the event and flagged, with both readings. None read is flagged with
    the note ``unread`` (not flagged when it is empty: the caller says it)."""
    found = _article_readings(article, event_start)
    if found is None:
        if unread:
            flags.append((_SOURCE_DATE_UNREAD, unread))
        return ""
    day = _settle(found.readings, event_start)
    if found.yearless:
        note = (
            f"source date {found.text!r} in source_article has no year; "
            f"{day.isoformat()} taken, the first such day on or after the event's first day"
        )
        flags.append(("source date without a year", note))
    if len(found.readings) > 1:
        usual, other = found.readings
        month_first, day_first = (other, usual) if found.day_first else (usual, other)
        order = "day first" if found.day_first else "month first"
        why = (
            "the nearest reading on or after the event's first day"
            if day >= event_start
            else f"{order}, as neither reading is on or after the event's first day"
        )
        note = (
            f"source date {found.text!r} in source_article is ambiguous (month first "
            f"{month_first.isoformat()}, day first {day_first.isoformat()}); "
            f"{day.isoformat()} taken, {why}"
        )
        flags.append(("source date ambiguous", note))
    return day.isoformat()


class _Place(NamedTuple):
    """A row's place: its id, its chain of definitions (country first), the row's
    place cells it does not hold, as ``column=value`` parts of the notes, and the
    note of a ``where_prec`` that is none of GED's codes ("" when it is one)."""

    id: str
    chain: tuple[PlaceDefined, ...]
    unplaced: str
    where_prec_note: str = ""
    level_note: str = ""  # where_prec 3 or 4 with that level's cell empty


_YEAR_DIFFERS: Final = "year differs from the event's dates"
_SPELLED: Final = "name differs from the place's"


def _year_note(year: str, first: _dt.date, last: _dt.date) -> str:
    """``year as published: ...`` when the row's ``year`` (GED's year of the event) is
    not the year of any of its days ``first``..``last``, else "" (an empty one too;
    a two-digit year that disagrees is refused before: it settles the date)."""
    published = whole(year)
    if not published:
        return ""
    if published.isdecimal() and first.year <= int(published) <= last.year:
        return ""
    if first.year == last.year:
        where = f"date_start {first.isoformat()} is in {first.year}"
    else:
        where = f"the event's days {first.isoformat()} to {last.isoformat()} are in "
        where += f"{first.year}-{last.year}"
    return f"year as published: {published} ({where})"


def _unplaced(
    pid: str,
    chain: list[PlaceDefined],
    below: tuple[tuple[str, str], ...],
    point: Coordinates | None,
) -> _Place:
    """A place that is not the named location: the names below it and the point
    (a centroid of an admin level, not stored on it) go to the notes."""
    parts = [f"{column}={name}" for column, name in below if name]
    if point is not None:
        parts += [f"latitude={point.lat}", f"longitude={point.lon}"]
    return _Place(pid, tuple(chain), "; ".join(parts))


def _country_id_note(code: str, country: str) -> str:
    """The note of a ``country_id`` that is the Gleditsch-Ward code of another country
    than ``country`` (one `._countries.GW_NAMES` knows), else ""."""
    if not (code.isascii() and code.isdecimal()):
        return ""
    named = gw_country(int(code))
    if named is None or named[0] == country_id(country):
        return ""
    return (
        f"country_id {code} is the code of {named[1]}, not of {country}: the event is "
        "placed in country, as published"
    )


_LEVEL_UNNAMED: Final = "where_prec level not named"
_LEVELS: Final = {3: "adm_2", 4: "adm_1"}


def _level_unnamed(
    pid: str,
    chain: list[PlaceDefined],
    below: tuple[tuple[str, str], ...],
    point: Coordinates | None,
    prec: int,
) -> _Place:
    """The place of a row whose ``where_prec`` (3 or 4) says its coordinates are the
    centroid of an admin level (``adm_2``, ``adm_1``) the row leaves empty: the
    deepest level it names above that one, never the named location (which would
    take the centroid as its exact point); the names below and the point in the
    notes, as for an admin level, and the note that says so (flagged)."""
    found = _unplaced(pid, chain, below, point)
    note = (
        f"where_prec {prec} (the coordinates are the centroid of {_LEVELS[prec]}) with "
        f"{_LEVELS[prec]} empty: placed at {chain[-1].name}, the deepest level named "
        "above it, the point not stored"
    )
    return found._replace(level_note=note)


_INTERNATIONAL: Final = "place:international"
"""The id prefix of the places of ``where_prec`` 7 (international waters or
airspace): a place in no country, so no scope of a country holds it."""


def _international(
    country: str, adm1: str, adm2: str, where: str, point: Coordinates | None
) -> _Place:
    """The place of a row whose ``where_prec`` is 7, "international waters or
    airspace" in GED's codebook: not inside the country (a ceasefire scoped to the
    country would count it), but a place of its own with no parent, named by
    ``where_coordinates`` (for want of one, "International waters or airspace" and the
    country), holding the row's point; the country and admin levels the row names are
    kept in the notes."""
    name = where or f"International waters or airspace ({country})"
    pid = f"{_INTERNATIONAL}/{slug(name)}"
    place = PlaceDefined(
        id=pid, name=name, place_kind=PlaceKind.AREA, parent=None, coordinates=point
    )
    parts = ["international waters or airspace (where_prec 7): placed in no country"]
    parts += [f"{column}={value}" for column, value in _cells_kept(country, adm1, adm2) if value]
    return _Place(pid, (place,), "; ".join(parts))


def _cells_kept(country: str, adm1: str, adm2: str) -> tuple[tuple[str, str], ...]:
    return (("country", country), ("adm_1", adm1), ("adm_2", adm2))


class _Ucdp:
    """One import: column indices, caches, and the row converter."""

    def __init__(
        self,
        table: Table,
        builder: BatchBuilder,
        given: str | None,
        today: _dt.date,
    ) -> None:
        self.b = builder
        self.today = today  # no source was published after it (see `unread_flags`)
        self.date_system = table.date_system
        self.has_year = table.has("year")
        self.table = table
        self.extents: dict[
            tuple[str, str, str, str, str | None, str],
            tuple[TimeExtent, tuple[tuple[str, str], ...], tuple[str, ...]],
        ] = {}
        self.days: dict[_dt.date, TimeExtent] = {}
        self.publishers: dict[tuple[str, str, str, str, str | None], Source] = {}
        self.codes: dict[str, Codes] = {}
        self.figures: dict[tuple[int, int, int], Figure] = {}  # frozen: shared by rows
        self.places: dict[tuple[str, ...], _Place] = {}
        # place cells -> the notes of the levels named otherwise (see `spellings`)
        self.place_names: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        self.actors: dict[tuple[str, str], ActorDefined] = {}
        ix = table.index
        self.i = {
            name: ix(name)
            for name in (
                *REQUIRED,
                "relid",
                "conflict_name",
                "dyad_name",
                "source_article",
                "source_office",
                "source_date",
                "source_headline",
                "source_original",
                "where_prec",
                "where_coordinates",
                "where_description",
                "adm_1",
                "adm_2",
                "latitude",
                "longitude",
                "geom_wkt",
                "deaths_civilians",
                "side_a_new_id",
                "side_b_new_id",
                "code_status",
                "year",
            )
        }
        self.kept = tuple((f"{name}=", ix(name)) for name in KEPT if table.has(name))
        self.i_deaths = tuple(ix(name) for name in DEATHS)
        self.i_codes = tuple((name, ix(name), codes) for name, codes in _CODES)
        self.i_sources, self.i_country_id = ix("number_of_sources"), ix("country_id")
        self.i_old = {side: ix(f"{side}_id") for side in ("side_a", "side_b")}
        self.country_ids: dict[tuple[str, str], str] = {}  # see `_country_id_note`
        # actor id known by its name -> the column and first release side id first seen
        self.old_ids: dict[str, tuple[str, str]] = {}
        # Numeric dates (a file Excel re-saved) are read in the order the caller
        # gives, else in the one the file's rows settle; see DayOrder.
        self.order = DayOrder([self.i["date_start"], self.i["date_end"]], given)
        self.i_geo = tuple(
            self.i[c]
            for c in (
                "country",
                "adm_1",
                "adm_2",
                "where_coordinates",
                "where_prec",
                "latitude",
                "longitude",
                "geom_wkt",
            )
        )

    # ------------------------------------------------------------ cached parts

    def occurred(
        self, start: str, end: str, prec: str, year: str
    ) -> tuple[TimeExtent, tuple[tuple[str, str], ...], tuple[str, ...]]:
        """The extent of ``date_start``..``date_end`` (cells as the file wrote them),
        and the flags of dates inconsistent as published (kind, note); a two-digit year
        (``11-Apr-98``, Excel) is settled by the row's ``year``. A ``date_end`` before
        ``date_start`` gives the days from the one to the other (the span covering
        both), flagged quoting both cells; a ``year`` none of the event's days is in is
        flagged keeping it (`_year_note`); so is a ``date_prec`` whose range of days
        in GED's codebook does not hold them (`_span_flag`: 1 over more than one day,
        4 over a week...). A ``date_prec`` none of GED's codes 1-5 (empty and
        ``NA`` too) gives the same days at a year's precision
        (`_UNKNOWN_DATE_PRECISION`), flagged keeping it as published. Last, the notes
        (unflagged) of a date cell that is an Excel serial day number (`serial_day`: a
        cell whose date format Excel lost, read on the workbook's date system, a CSV's
        the 1900 one), keeping the number.
        """
        days = self.order
        key = (start, end, prec, year, days.order, days.conflict)
        found = self.extents.get(key)
        if found is None:
            code = whole(prec)
            # A date cell whose date format Excel lost: its serial day number, on the
            # workbook's date system (a CSV's: the 1900 one), kept in the notes.
            system = self.date_system
            # A two-digit year beside an empty year cell, or one that is no year, is
            # refused saying so (a file without the column: read_day says so).
            if self.has_year:
                century_cell("date_start", start, year)
            first = days.day(start, "date_start", year=year, system=system)
            if self.has_year:
                century_cell("date_end", end, year)
            last = days.day(end, "date_end", year=year, system=system)
            flags: list[tuple[str, str]] = []
            if last < first:
                # Which of the two is the slip is unknown: the event is taken to
                # lie somewhere in the days from the one to the other.
                first, last = last, first
                note = (
                    f"end before the start as published: date_start {start.strip()}, "
                    f"date_end {end.strip()}; occurred is the span covering both"
                )
                flags.append(("end before the start", note))
            if last == _dt.date.max:  # the extent ends at the start of the next day
                field, cell = ("date_start", start) if flags else ("date_end", end)
                raise Refusal(field, f"{cell!r} is the last day of the calendar")
            if code in _DATE_PREC_SPANS and not flags:  # (a slip says it already)
                flags.extend(_span_flag(code, first, last))
            note = _year_note(year, first, last)
            if note:
                flags.append((_YEAR_DIFFERS, note))
            precision = _DATE_PRECS.get(code)
            if precision is None:  # none of the codebook's codes: they all give these days
                precision = _UNKNOWN_DATE_PRECISION
                note = (
                    f"date_prec as published: {code or 'empty'} (not one of GED's codes "
                    "1-5; occurred is date_start to date_end at a year's precision, "
                    "the coarsest code's)"
                )
                flags.append((_DATE_PREC_UNKNOWN, note))
            extent = TimeExtent.from_dates(first, last, precision)
            serials = (
                *serial_note("date_start", start, system=system),
                *serial_note("date_end", end, system=system),
            )
            found = (extent, tuple(flags), serials)
            self.extents[key] = found
        return found

    def written_day(self, raw: str, year: str = "") -> _dt.date | None:
        """The day a source's date text names, or None when it is not a date. A
        two-digit year is the year ending in those digits nearest the row's ``year``
        (a source may come out the year after the event). A cell whose date format
        Excel lost is its serial day number (`serial_day`; `row_sources` notes it)."""
        try:
            return serial_day(raw, system=self.date_system) or self.order.read(
                raw, "source_date", year=year, nearest=True
            )
        except (Refusal, AmbiguousDate):
            return None

    def day(self, raw: str, year: str = "") -> TimeExtent | None:
        """The day a source published (`written_day`), or None when the text is not a
        date, or names a day before 1946 or after today: no day a source was
        published (a slip; `unread_flags` says so)."""
        date = self.written_day(raw, year)
        if date is None or date.year < _EARLIEST_SOURCE_YEAR or date > self.today:
            return None
        extent = self.days.get(date)
        if extent is None:
            extent = TimeExtent.from_dates(date, date, Precision.DAY)
            self.days[date] = extent
        return extent

    def source(self, publisher: str, title: str, date: str, year: str) -> Source:
        key = (publisher, title, date, year, self.order.order)  # read in the file's order
        found = self.publishers.get(key)
        if found is None:
            found = Source(publisher=publisher, title=title, published=self.day(date, year))
            self.publishers[key] = found
        return found

    def unread_flags(self, unread: list[tuple[str, int]], year: str) -> list[tuple[str, str]]:
        """The flags of the source dates (each with its source's number) that date no
        source: those after today (the clock's, UTC, or the ``today`` option), which no
        source can have been published on (a slip, "2302" for "2023": taken as
        published, it would make the event unknown until then), and the others, not
        read as days from 1946 on. The dates are kept as written."""
        later: list[str] = []
        other: list[str] = []
        for date, n in unread:
            day = self.written_day(date, year)
            (later if day is not None and day > self.today else other).append(
                f"{date} (source {n})"
            )
        flags: list[tuple[str, str]] = []
        if other:
            note = f"source dates not read as days from {_EARLIEST_SOURCE_YEAR} on: "
            flags.append((_SOURCE_DATE_UNREAD, note + ", ".join(other)))
        if later:
            note = "source dates after today, no day a source was published on (undated): "
            flags.append((_SOURCE_DATE_LATER, note + ", ".join(later)))
        return flags

    def article_dates(
        self,
        article: str,
        offices: list[str],
        dates: list[str],
        *,
        year: str,
        event_start: _dt.date,
        flags: list[tuple[str, str]],
    ) -> tuple[list[str], list[str]]:
        """``dates`` (one per office) with each empty one read from ``source_article``,
        and the notes saying so. The date of an office's own part of the article
        (``"office,date,headline";...``, lined up with the offices) where the article
        has one, else the date the article gives (`_article_day`, as for a row without
        ``source_office``: the earliest, settled by the event). None read: the source
        stays undated, flagged "source date not read", the article kept in the notes."""
        entries = _article_entries(article, offices)
        whole_article: str | None = None  # the article's date, read once when needed
        filled = list(dates)
        notes: list[str] = []
        unread: list[str] = []
        for n, (office, date) in enumerate(zip(offices, dates, strict=True)):
            if date:
                continue
            where = f"source {n + 1} ({office or 'unknown'})"
            said = entries[n] if entries is not None else None
            if said is not None:  # the office's own part: its date, or none
                day = said if self.day(said, year) is not None else ""
                part = "its part of source_article"
            else:
                if whole_article is None:
                    whole_article = _article_day(article, event_start, flags, unread="")
                day = whole_article if self.day(whole_article, year) is not None else ""
                part = "source_article"
            if day:
                filled[n] = day
                notes.append(f"{where} has no source_date; {day} read from {part}")
            else:
                unread.append(where)
        if unread:
            reason = "source_article empty" if not article else "none read in source_article"
            note = f"no source_date for {', '.join(unread)}, {reason}; undated"
            flags.append((_SOURCE_DATE_UNREAD, note))
            if article:
                notes.append(f"source article: {article}")
        return filled, notes

    def row_sources(
        self, cells: list[str], event_start: _dt.date, flags: list[tuple[str, str]]
    ) -> tuple[list[Source], str]:
        """The row's sources, and the source text no source holds (for the notes).

        One source per ``source_office`` value; a row with none but a ``source_date``
        or a ``source_headline`` has one per ``source_date`` value (one without),
        published by "unknown"; a row with neither keeps ``source_article`` whole as
        its one source's title, dated by the date written in it. A date that is not
        read as a day, or one beyond the offices, is kept in the notes and flagged.
        An item empty in every column (``a;;b``, ``a;b;``) is no source
        (`_source_items`); the cells are then kept in the notes as published, flagged.
        """
        i = self.i
        article = cells[i["source_article"]].strip()
        raw_headlines = cells[i["source_headline"]]
        offices, dates, headlines = _source_items(
            [cells[i[column]] for column in _SOURCE_COLUMNS], flags
        )
        no_office = not offices
        if no_office:
            if not dates and not raw_headlines.strip():
                if not article:
                    return [], ""
                date = _article_day(article, event_start, flags)  # ISO: needs no year
                source = self.source("unknown", article, date, "")
                if date and source.published is None:  # before 1946 or after today
                    flags.extend(self.unread_flags([(date, 1)], ""))
                return [source], ""
            offices = ["unknown"] * max(1, len(dates))
            if not dates and article:  # a headline only: the article dates the source
                dates = [_article_day(article, event_start, flags)]
        year = cells[i["year"]]
        beyond = dates[len(offices) :]
        dates = dates[: len(offices)] + [""] * (len(offices) - len(dates))
        leftover: list[str] = []
        if not no_office and not all(dates):  # a source without its date: the article's
            dates, notes = self.article_dates(
                article, offices, dates, year=year, event_start=event_start, flags=flags
            )
            leftover += notes
        if len(headlines) != len(offices):
            titles = (
                None
                if no_office
                else _article_titles(
                    article,
                    offices,
                    [_serial_as_iso(d, self.date_system) for d in dates],
                    self.order,
                    year,
                )
            )
            if titles is None:
                titles = [""] * len(offices)
                if raw_headlines.strip():
                    leftover.append(f"source headlines: {raw_headlines.strip()}")
            headlines = titles
        if no_office and article:  # the title of a lone untitled source, else a note
            if len(headlines) == 1 and not headlines[0]:
                headlines = [article]
            else:
                leftover.append(f"source article: {article}")
        sources = [
            self.source(office or "unknown", title, date, year)
            for office, title, date in zip(offices, headlines, dates, strict=True)
        ]
        system = self.date_system
        leftover += [
            note for date in dates for note in serial_note("source_date", date, system=system)
        ]
        unread = [
            (date, n)
            for n, (date, source) in enumerate(zip(dates, sources, strict=True), start=1)
            if date and source.published is None
        ]
        flags.extend(self.unread_flags(unread, year))
        if beyond:
            count = f"{len(dates) + len(beyond)} dates for {len(offices)} "
            count += "office" if len(offices) == 1 else "offices"
            note = f"source dates beyond the offices ({count}): {', '.join(beyond)}"
            flags.append(("more source dates than offices", note))
        return sources, "; ".join(leftover)

    def place(self, out: RowOutcome, cells: list[str], flags: list[tuple[str, str]]) -> _Place:
        """The row's place. A row that puts its location elsewhere than the place
        already defined (by an earlier row, another GED release or another dataset:
        place ids come from the names) leaves the place as it is; the event's notes
        keep the row's coordinates, and the row is flagged, as ACLED's are."""
        key = tuple(cells[i] for i in self.i_geo)
        found = self.places.get(key)
        if found is None:
            found = self._place_chain(key)
            self.places[key] = found
        pid, chain = found.id, found.chain
        if found.where_prec_note:
            flags.append((_WHERE_PREC_UNKNOWN, found.where_prec_note))
        if found.level_note:
            flags.append((_LEVEL_UNNAMED, found.level_note))
        if not self.b.has(pid):  # a known place's parents are known too
            for record in chain:
                self.b.define(out, record)
        flags.extend(self.spellings(out, key, chain))

        def published() -> str:
            lat, lon = (written(cells[self.i[c]]).strip() for c in ("latitude", "longitude"))
            if not (lat or lon):  # the point is geom_wkt's
                return f"geom_wkt {cells[self.i['geom_wkt']].strip()}"
            return f"{lat}, {lon}"

        note = self.b.moved(out, pid, chain[-1].coordinates, published)
        if note:
            flags.append(("coordinates differ from the place's", note))
        return found

    def spellings(
        self, out: RowOutcome, key: tuple[str, ...], chain: tuple[PlaceDefined, ...]
    ) -> list[tuple[str, str]]:
        """``<column> as published: <name> (<id> is named <known>)`` for each level of
        the row's place that a record (of an earlier row, another release or another
        dataset: place ids come from the names) names otherwise than the row spells
        it, flagged "name differs from the place's", as ACLED's rows are; a country
        named by another of its names (`._countries.same_country`) noted, not
        flagged (kind ""). Settled per place cells once no level is new."""
        found = self.place_names.get(key)
        if found is not None:
            return found
        adm1, adm2, where = (k.strip() for k in key[1:4])
        if chain[0].id.startswith(_INTERNATIONAL):
            columns: tuple[str, ...] = ("where_coordinates",) if where else ("",)
        else:
            named = [
                c for c, v in (("adm_1", adm1), ("adm_2", adm2), ("where_coordinates", where)) if v
            ]
            columns = ("country", *named)
        found = [
            (_SPELLED if flagged else "", note)
            for note, flagged in level_spellings(self.b, out, columns, chain)
        ]
        if not any(record.id in out.defs for record in chain):  # settled for good
            self.place_names[key] = found
        return found

    def _place_chain(self, key: tuple[str, ...]) -> _Place:
        """The place a row's cells name, its chain, and, as ``column=value``, the cells
        the place does not hold: the levels below the one ``where_prec`` points at,
        and the coordinates when they are not the place's point (a centroid). A
        ``where_prec`` none of GED's codes 1-7 reads as an empty one (the deepest
        level the row names), with the note that keeps it as published."""
        found = self._place_levels(key)
        code = whole(key[4])  # NA as empty: where_prec is no cell every row needs
        if not code or code in _WHERE_PRECS:
            return found
        note = (
            f"where_prec as published: {code} (not one of GED's codes 1-7; the place is "
            "the deepest level the row names, as for an empty where_prec)"
        )
        return found._replace(where_prec_note=note)

    @staticmethod
    def _place_levels(key: tuple[str, ...]) -> _Place:
        """`_place_chain` without its ``where_prec`` note."""
        country, adm1, adm2, where, prec_raw, lat, lon, geom = (k.strip() for k in key)
        if not country:
            raise Refusal("country", f"{_missing(key[0])}; every GED event names its country")
        code = whole(prec_raw)
        prec = int(code) if code in _WHERE_PRECS else None  # none of the codes: as empty
        point = None
        if not (lat or lon) and geom:  # GED's point again, flagged by _Ucdp.geom_flag
            lat, lon = _wkt_point(geom) or ("", "")
        if lat or lon:
            # A lone coordinate is checked as a pair's would be, but gives no point
            # (the row is flagged, see _Ucdp.coordinates_flag).
            try:
                point = Coordinates(
                    lat=decimal("latitude", lat) if lat else 0.0,
                    lon=decimal("longitude", lon) if lon else 0.0,
                )
            except ConflictTimelineError as exc:
                field = "latitude" if "lat" in str(exc) else "longitude"
                raise Refusal(field, str(exc)) from None
            if not (lat and lon):
                point = None
        if prec == 7:
            return _international(country, adm1, adm2, where, point)
        chain: list[PlaceDefined] = []
        pid = country_id(country)  # one id for the country every release names
        chain.append(area(pid, country, PlaceKind.COUNTRY, None))
        below: tuple[tuple[str, str], ...] = (
            ("adm_1", adm1),
            ("adm_2", adm2),
            ("where_coordinates", where),
        )
        if prec == 6:
            return _unplaced(pid, chain, below, point)
        if adm1:
            parent, pid = pid, f"{pid}/{slug(adm1)}"
            chain.append(area(pid, adm1, PlaceKind.REGION, parent))
            if prec == 4:
                return _unplaced(pid, chain, below[1:], point)
        elif prec == 4:
            return _level_unnamed(pid, chain, below, point, prec)
        if adm2:
            parent, pid = pid, f"{pid}/{slug(adm2)}"
            chain.append(area(pid, adm2, PlaceKind.DISTRICT, parent))
            if prec == 3:
                return _unplaced(pid, chain, below[2:], point)
        elif prec == 3:
            return _level_unnamed(pid, chain, below[1:], point, prec)
        if not where:
            return _unplaced(pid, chain, (), point)
        parent, pid = pid, f"{pid}/{slug(where)}"
        chain.append(
            PlaceDefined(
                id=pid,
                name=where,
                place_kind=_location_kind(where),
                parent=parent,
                coordinates=point,
            )
        )
        return _Place(pid, tuple(chain), "")

    def actor(
        self,
        out: RowOutcome,
        name: str,
        ucdp_id: str,
        column: str,
        flags: list[tuple[str, str]],
    ) -> str:
        """The actor id for a side; a row naming an actor otherwise than its record
        (an earlier row, or a release stored before, spelled it first) keeps its
        spelling in a note and is flagged, as ACLED's rows are. A side id that is no
        UCDP actor id (a positive whole number; empty or -1: none), whose actor is
        then known by its name, is kept as published in a note, flagged."""
        key = (name, ucdp_id)
        record = self.actors.get(key)
        if record is None:
            record = ActorDefined(
                id=ucdp_actor_id(ucdp_id, name), name=name, actor_kind=actor_kind(name)
            )
            self.actors[key] = record
        given = whole(ucdp_id)
        if given and given != "-1" and not record.id.startswith("actor:ucdp-"):
            note = (
                f"{column}_new_id as published: {written(ucdp_id).strip()} (not a UCDP "
                f"actor id: the actor is known by its name, {record.id})"
            )
            flags.append((_NOT_AN_ACTOR_ID, note))
        self.b.define(out, record)
        note = self.b.spelled(out, column, record.id, name)
        if note:
            flags.append(("name differs from the actor's", note))
        return record.id

    # -------------------------------------------------------------------- rows

    def row(self, cells: list[str]) -> RowOutcome:
        i = self.i
        gid = id_number("id", cells[i["id"]])  # 2.435E+03 (Excel) is event 2435
        if not gid:
            raise Refusal("id", f"{_missing(cells[i['id']])}; every GED row has an event id")
        # None of GED's codes (empty, NA too) is kept as published (`_tov_note`).
        tov = whole(cells[i["type_of_violence"]])  # NA (R's missing value) as empty
        known_type = tov in _TYPES_OF_VIOLENCE
        # Cells every row needs are read as written, so that a refusal quotes an NA.
        occurred, dated, serials = self.occurred(
            written(cells[i["date_start"]]),
            written(cells[i["date_end"]]),
            written(cells[i["date_prec"]]),
            cells[i["year"]],
        )
        # (kind, note): counted in the summary's flags once the row is taken
        flags: list[tuple[str, str]] = [*dated]
        if not known_type:  # kept as published; it decides neither target nor attacker
            flags.insert(0, (_TOV_UNKNOWN, _tov_note(cells[i["type_of_violence"]])))
        figure = self.figure(cells, flags)
        # A deaths_civilians that is no count (kept and flagged by deaths_flag)
        # decides nothing: as an empty one, no civilian deaths known.
        civilian_deaths = _deaths(cells[i["deaths_civilians"]]) or 0
        side_a = cells[i["side_a"]].strip()
        side_b = cells[i["side_b"]].strip()
        if not side_a:
            raise Refusal(
                "side_a", f"{_missing(cells[i['side_a']])}; every GED event names side A"
            )

        out = RowOutcome()
        found_place = self.place(out, cells, flags)
        place, unplaced = found_place.id, found_place.unplaced
        self.coordinates_flag(cells, flags)
        self.geom_flag(cells, flags)
        self.deaths_flag(cells, figure, flags)
        self.codes_flag(cells, flags)
        perpetrator = self.actor(out, side_a, cells[i["side_a_new_id"]], "side_a", flags)
        flags += _sides_flags(tov, side_a, side_b)
        one_sided = tov == "3" or side_b.casefold() == "civilians"
        target_actor = (
            self.actor(out, side_b, cells[i["side_b_new_id"]], "side_b", flags)
            if side_b and not one_sided
            else None
        )
        self.old_ids_flag(cells, (("side_a", perpetrator), ("side_b", target_actor)), flags)
        target_class = _target_class(
            one_sided=one_sided, known=known_type, civilians=civilian_deaths
        )

        found, leftover = self.row_sources(cells, occurred.earliest.date(), flags)
        relid = whole(cells[i["relid"]])
        own = _own_source(f"GED event {gid}" + (f" ({relid})" if relid else ""))
        sources = (*found, own)
        reported = first_extent(s.published for s in found if s.published is not None)
        if reported is None:
            end = occurred.latest.date() - _dt.timedelta(days=1)
            reported = TimeExtent.from_dates(end, end, Precision.DAY)
        elif reported.lo < occurred.lo:
            # A source dated before the event is a coding slip, not a report before
            # the event: reported no earlier than the event's first day.
            note = (
                f"source date {reported.earliest.date().isoformat()} is before the event; "
                "reported taken from the event's first day"
            )
            flags.append(("source date before the event", note))
            first = occurred.earliest.date()
            reported = TimeExtent.from_dates(first, first, Precision.DAY)
        codes = self.codes.get(tov)
        if codes is None:
            codes = self.codes[tov] = Codes(ucdp_type_of_violence=tov)

        out.events.append(
            Attack(
                id=f"ucdp:{gid}",
                occurred=occurred,
                sources=sources,
                reported=reported,
                codes=codes,
                notes=self.notes(
                    cells, "; ".join(filter(None, (*serials, leftover))), flags, unplaced
                ),
                perpetrator=perpetrator,
                target_class=target_class,
                target=side_b,
                place=place,
                target_actor=target_actor,
                fatalities=figure,
            )
        )
        for kind in dict.fromkeys(kind for kind, _note in flags if kind):  # once per kind
            self.b.flag(kind)
        if self._status(cells[i["code_status"]]):  # kept in the notes, counted here
            self.b.flag(_NOT_CLEARED)
        return out

    def coordinates_flag(self, cells: list[str], flags: list[tuple[str, str]]) -> None:
        """Flag a row with one coordinate but not the other, quoting both as written:
        the place gets no point (a pair is needed), the published value is kept here."""
        lat, lon = cells[self.i["latitude"]], cells[self.i["longitude"]]
        if bool(lat.strip()) == bool(lon.strip()):
            return
        shown = ", ".join(
            f"{name} {written(cell).strip() or 'empty'}"
            for name, cell in (("latitude", lat), ("longitude", lon))
        )
        note = f"coordinates incomplete as published ({shown}); no point stored"
        flags.append(("coordinates incomplete", note))

    def geom_flag(self, cells: list[str], flags: list[tuple[str, str]]) -> None:
        """Note and flag a row's ``geom_wkt`` (GED's point as WKT) when it gave the
        point (no ``latitude``/``longitude``), when it differs from them by more than
        the rounding of the cells, or when it is no point; kept as published."""
        geom = cells[self.i["geom_wkt"]].strip()
        if not geom:
            return
        lat, lon = (cells[self.i[c]].strip() for c in ("latitude", "longitude"))
        point = _wkt_point(geom)
        if point is None:
            used = "latitude/longitude used" if lat or lon else "no point stored"
            note = f"geom_wkt as published: {geom} (not a point on the globe; {used})"
            flags.append((_WKT_UNREAD, note))
        elif not (lat or lon):
            note = f"coordinates from geom_wkt as published: {geom} (latitude and "
            note += "longitude empty)"
            flags.append((_FROM_WKT, note))
        elif not all(
            _within_rounding(cell, of_point)
            for cell, of_point in zip((lat, lon), point, strict=True)
            if cell
        ):
            # a decimal comma as a point: the same file re-saved by Excel is no change
            shown = [v.replace(",", ".") if v else "empty" for v in (lat, lon)]
            note = f"geom_wkt as published: {geom} (latitude {shown[0]}, "
            note += f"longitude {shown[1]} used)"
            flags.append((_WKT_DIFFERS, note))

    def old_ids_flag(
        self,
        cells: list[str],
        sides: tuple[tuple[str, str | None], ...],
        flags: list[tuple[str, str]],
    ) -> None:
        """Flag a side known by its name (no UCDP actor id: a first release's file,
        whose ``side_a_id``/``side_b_id`` are numbered otherwise) whose name an earlier
        row of the file gave with another such id: one actor id now stands for
        actors the file tells apart (GED names two actors "UCK"), kept as published,
        said in the notes."""
        for column, rid in sides:
            if rid is None or rid.startswith("actor:ucdp-"):
                continue
            old = whole(cells[self.i_old[column]])
            if not old or old == "-1":
                continue
            first = self.old_ids.setdefault(rid, (column, old))
            if first[1] != old:
                note = (
                    f"{column}_id {old}: {rid} stands for {first[0]}_id {first[1]} too in "
                    "this file (one name, two of a first release's side ids)"
                )
                flags.append((_ONE_NAME_TWO_IDS, note))

    def codes_flag(self, cells: list[str], flags: list[tuple[str, str]]) -> None:
        """Flag a row whose ``active_year`` or ``event_clarity`` is none of the codes
        GED's codebook gives it, whose ``number_of_sources`` is no count (a whole
        number, or -1: not recorded), or whose ``country_id`` is the Gleditsch-Ward
        code of another country than ``country`` (one `._countries.GW_NAMES` knows;
        the event stays in ``country``), or whose text holds U+FFFD (letters the
        file lost, `._cells.lost_letters`). Each value is kept as published."""
        for name, n, codes in self.i_codes:
            text = whole(cells[n])
            if name == "active_year":  # a dummy: the API's true, R's TRUE
                text = _DUMMY.get(text.casefold(), text)
            if text and text not in codes:
                note = f"{name} {text} is not one of GED's codes ({', '.join(codes)})"
                flags.append((_NOT_A_CODE, note))
        sources = whole(cells[self.i_sources])
        if sources and sources != "-1" and not (sources.isascii() and sources.isdecimal()):
            note = f"number_of_sources {sources} is not a count (a whole number, or -1)"
            flags.append((_SOURCES_NOT_A_COUNT, note))
        key = (whole(cells[self.i_country_id]), cells[self.i["country"]].strip())
        if key not in self.country_ids:  # a few dozen pairs a file: judged once each
            self.country_ids[key] = _country_id_note(*key)
        note = self.country_ids[key]
        if note:
            flags.append((_COUNTRY_ID_DIFFERS, note))
        lost = lost_letters(self.table, (cells,))
        if lost:
            flags.append((LOST_LETTERS, lost))

    def deaths_flag(self, cells: list[str], figure: Figure, flags: list[tuple[str, str]]) -> None:
        """Flag each of the deaths by side (`DEATHS`) that is no count (a whole number,
        0 or more: ``-1``, ``-99``, ``2.5``, text), naming the column and the value
        (kept as published in the notes), and say that the four are then not compared
        with ``best``; else flag a row whose four (all given) do not add up to
        ``best``, as GED's codebook says they do (``best`` in the figure, the four in
        the notes). A missing one (an older release, an empty cell) is nothing to
        compare, and not flagged."""
        total = 0
        complete = True
        bad: list[str] = []
        for name, i in zip(DEATHS, self.i_deaths, strict=True):
            if not cells[i].strip():  # missing (NA reads as empty): nothing to compare
                complete = False
                continue
            count = _deaths(cells[i])
            if count is None:
                bad.append(name)
                note = f"{name} as published: {whole(cells[i])} (not a count of deaths)"
                flags.append((_DEATHS_NOT_A_COUNT, note))
                continue
            total += count
        if bad:
            note = (
                f"deaths not compared with best: {', '.join(bad)} "
                f"{'is not a count' if len(bad) == 1 else 'are not counts'}"
            )
            flags.append((_DEATHS_NOT_A_COUNT, note))
        elif complete and total != figure.best:
            note = (
                f"deaths inconsistent as published: deaths_a + deaths_b + deaths_civilians "
                f"+ deaths_unknown = {total}, best {figure.best}"
            )
            flags.append(("deaths do not add up to best", note))

    def figure(self, cells: list[str], flags: list[tuple[str, str]]) -> Figure:
        """``low``/``best``/``high``; kept verbatim and flagged when inconsistent."""
        i = self.i
        low = _count("low", cells[i["low"]])
        best = _count("best", cells[i["best"]])
        high = _count("high", cells[i["high"]])
        if low <= best <= high:
            key = (low, best, high)
            found = self.figures.get(key)
            if found is None:
                found = Figure(low=low, best=best, high=high)
                if len(self.figures) < CACHE_SIZE:
                    self.figures[key] = found
            return found
        broken = "low above best" if low > best else "high below best"
        note = (
            f"figure inconsistent as published ({broken}): low {low}, best {best}, "
            f"high {high}; views use best"
        )
        flags.append(("figure inconsistent", note))
        return Figure(
            best=best,
            as_reported=f"low {low}, best {best}, high {high} {_INCONSISTENT}",
        )

    @staticmethod
    def _status(raw: str) -> str:
        """A row's ``code_status`` worth a note: anything but "Clear" (the GED
        Candidate dataset's vetting, such as "Check dyad")."""
        status = raw.strip()
        return "" if status.casefold() in {"", "clear"} else status

    def notes(
        self, cells: list[str], leftover: str, flags: list[tuple[str, str]], unplaced: str
    ) -> str:
        i = self.i
        parts = [
            f"{label}: {value}"
            for label, value in (
                ("conflict", cells[i["conflict_name"]].strip()),
                ("dyad", cells[i["dyad_name"]].strip()),
                ("where", cells[i["where_description"]].strip()),
                ("original source", cells[i["source_original"]].strip()),
                ("code_status", self._status(cells[i["code_status"]])),
            )
            if value
        ]
        for prefix, n in self.kept:  # "column=value"; 1.0 (pandas) as 1
            text = cells[n].strip()
            if text:
                if prefix == "active_year=":  # a dummy: the API's true, R's TRUE
                    text = _DUMMY.get(text.casefold(), text)
                parts.append(prefix + (whole(text) if "." in text else text))
        if unplaced:
            parts.append(unplaced)
        if leftover:
            parts.append(leftover)
        parts.extend(note for _kind, note in flags)
        return "; ".join(parts)


def read_ucdp(
    path_or_file: PathOrFile,
    *,
    existing: Existing | None = None,
    strict: bool = False,
    encoding: str = "utf-8",
    date_order: str | None = None,
    today: object = None,
) -> ImportBatch:
    """Read a UCDP GED file (CSV, JSON, .xlsx or Stata .dta, also zipped or
    compressed) into records, without touching any store.

    Args:
        path_or_file: A path, or an open file (text or binary).
        existing: ``existing(id)`` returns the *current* stored version of a record,
            or ``None``; see `read_acled`.
        strict: Raise [`ImportDataError`][conflict_timeline.errors.ImportDataError] at the first
            row with bad data
            instead of collecting it in ``refused``.
        encoding: The file's encoding; UTF-8 (with or without BOM) by default.
        date_order: ``"day-first"`` or ``"month-first"``: the order of day and month
            in numeric dates (a file Excel re-saved); see `read_acled`.
        today: The date taken as today (a date, or its ISO text; default: the
            clock's today, UTC): a source date after it dates no source (flagged
            "source date after today").

    Raises:
        ImportDataError: a required column is missing, the file is not UTF-8 CSV,
            or (strict) a row has bad data: "ged.csv, line 7: low: 3 is above best 2;
            ...".
    """
    return stream_ucdp(
        path_or_file,
        existing=existing,
        strict=strict,
        encoding=encoding,
        date_order=date_order,
        today=today,
    ).read_all()


def stream_ucdp(
    path_or_file: PathOrFile,
    *,
    existing: Existing | None = None,
    strict: bool = False,
    encoding: str = "utf-8",
    date_order: str | None = None,
    today: object = None,
) -> ImportStream:
    """`read_ucdp` as a stream: the records come as the file is read (see
    [`ImportStream`][conflict_timeline.importers.ImportStream]); the same arguments."""
    given = date_order_option("ucdp", date_order)
    day = today_option("ucdp", today)

    def rows(table: Table, builder: BatchBuilder) -> Iterator[AnyRecord]:
        table = nan_as_empty(table)  # a file pandas saved as text: nan is an empty cell
        importer = _Ucdp(table, builder, given, day)
        ordered = attrs.evolve(table, rows=importer.order.ordered(table.rows))
        return stream_rows(ordered, builder, importer.row)

    return table_stream(
        path_or_file,
        importer="ucdp",
        required=REQUIRED,
        aliases=ALIASES,
        encoding=encoding,
        existing=existing,
        strict=strict,
        reimport_reason="UCDP re-import: row changed, or read differently by this importer",
        rows=rows,
    )


@attrs.frozen
class GedImporter(StreamingImporter):
    """The ``ucdp`` importer: `read_ucdp` for the registry."""

    name: str = "ucdp"
    description: str = "UCDP Georeferenced Event Dataset (GED, CSV, .xlsx or .dta), any release"
    file_kinds: tuple[str, ...] = ("csv", "json", "xlsx", "dta")

    def recognises(self, columns: Collection[str]) -> bool:
        """A GED header: ``type_of_violence``, ``side_a`` and ``date_start``."""
        return {"type_of_violence", "side_a", "date_start"} <= set(columns)

    def stream(
        self,
        source: PathOrFile,
        *,
        existing: Existing | None = None,
        strict: bool = False,
        **options: Any,
    ) -> ImportStream:
        """`stream_ucdp`; options ``encoding``, ``date_order`` and ``today``."""
        unknown_options(self.name, options, ("encoding", "date_order", "today"))
        return stream_ucdp(source, existing=existing, strict=strict, **options)


GED: Final = GedImporter()
