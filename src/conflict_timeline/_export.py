"""Getting a timeline out: JSON Lines, TimelineJS 3, and a flat table (CSV, Parquet).

* `export_jsonl` writes the log itself, every record exactly as appended
  (corrections and retractions included), in position order. Reading the file back
  with [`read_jsonl`][conflict_timeline.read_jsonl] and appending it to an empty timeline gives the
  same
  records at the same positions, and exporting that gives the same bytes.
* `to_timelinejs` / `write_timelinejs` give the JSON that TimelineJS 3
  reads, `table_rows` / `write_csv` / `to_dataframe` a flat table, and `to_arrow` /
  `write_parquet` the same table with typed columns (the ``arrow`` extra).
  These show the timeline *as known* (``known_at``, by default everything): each
  record in its latest correction's version, retracted records left out, in replay
  order, the same way the projections see it.
"""

from __future__ import annotations

import csv
import datetime as _dt
import enum
import functools
import html
import importlib
import io
import os
import re
import typing
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import IO, Any, Final, Literal

import attrs
import orjson
import pendulum

from ._files import replacing, replacing_bytes
from ._labels import Names, credit, detail, figure_text, headline, shorten
from ._provenance import Figure
from ._records import (
    KIND_BY_NAME,
    RECORD_KINDS,
    ActorDefined,
    AnyRecord,
    Attack,
    Condition,
    Coordinates,
    PlaceDefined,
    Record,
    Scope,
)
from ._serialization import write_jsonl
from ._time import Precision, TimeExtent, from_epoch_us
from ._timeline import Timeline, between_span, kind_names, records_as_known
from .errors import MissingExtraError, QueryError
from .stores import Recorded
from .views import CommitmentHistory, CommitmentLife

__all__ = [
    "TABLE_COLUMNS",
    "Names",
    "arrow_schema",
    "credit",
    "csv_cell",
    "current_records",
    "export_jsonl",
    "figure_text",
    "first_records",
    "headline",
    "kind_columns",
    "table_row",
    "table_rows",
    "to_arrow",
    "to_dataframe",
    "to_timelinejs",
    "write_csv",
    "write_parquet",
    "write_timelinejs",
]

Target = str | os.PathLike[str] | IO[str]


# ----------------------------------------------------------------- the log as known


def current_records(
    timeline: Timeline,
    *,
    known_at: object = None,
    as_of: int | None = None,
    tz: str | None = None,
    kinds: Iterable[str | type[Record]] | None = None,
    between: tuple[object, object] | None = None,
) -> tuple[Recorded, ...]:
    """The records as known at ``known_at``: corrections applied, retractions obeyed.

    Each [`Recorded`][conflict_timeline.stores.Recorded] keeps its original position; ``record`` is
    the latest
    visible correction's replacement when there is one (``corrected_by`` names the
    correction's position). Corrections and retractions themselves are not listed.
    Ordered by replay order (occurred, reported, id).

    ``kinds`` (record kind names or classes) keeps the records of those kinds, as
    corrected; ``between=(start, end)``, read in ``tz``, those whose time overlaps
    the span, from the first instant of ``start`` to the last of ``end`` (a timeless
    record, an actor or place defined for all time, is in no span): what
    ``conflict-timeline events`` and ``export`` select with ``--kind`` and
    ``--between``.
    """
    wanted, window = _selection(timeline.query(tz=tz).tz, kinds, between, "current_records")
    found = _current(timeline, known_at=known_at, as_of=as_of, tz=tz, wanted=wanted, window=window)
    return tuple(found[1])


def _selection(
    zone: str,
    kinds: Iterable[str | type[Record]] | None,
    between: tuple[object, object] | None,
    method: str,
) -> tuple[frozenset[str] | None, tuple[int, int] | None]:
    """The kind names and the span (first and last microsecond, read in ``zone``, the
    query's) a selection keeps; None for no such filter. Checked before anything is
    read."""
    names = kind_names(kinds, method)
    wanted = None if names is None else frozenset(names)
    window = None if between is None else between_span(between, zone)
    return wanted, window


def _current(
    timeline: Timeline,
    *,
    known_at: object,
    as_of: int | None,
    tz: str | None,
    wanted: frozenset[str] | None,
    window: tuple[int, int] | None,
    limit: int | None = None,
) -> tuple[int, list[Recorded]]:
    """`records_as_known` under these cuts: how many records, and the first
    ``limit`` of them."""
    query = timeline.query(known_at=known_at, as_of=as_of, tz=tz)
    return records_as_known(timeline, query, wanted, window, limit)


def first_records(
    timeline: Timeline,
    *,
    known_at: object = None,
    tz: str | None = None,
    kinds: Iterable[str | type[Record]] | None = None,
    between: tuple[object, object] | None = None,
    limit: int | None = None,
) -> tuple[int, list[Recorded]]:
    """How many records `current_records` gives for these arguments, and the first
    ``limit`` of them (all: None), the others neither read nor decoded: what
    ``conflict-timeline events --limit`` lists of a million records."""
    wanted, window = _selection(timeline.query(tz=tz).tz, kinds, between, "current_records")
    return _current(
        timeline, known_at=known_at, as_of=None, tz=tz, wanted=wanted, window=window, limit=limit
    )


# -------------------------------------------------------------------------- JSONL


def export_jsonl(timeline: Timeline, target: Target) -> int:
    """Write every stored record, as appended, one canonical JSON object per line.

    Args:
        timeline: The timeline to export.
        target: A path, or a text stream.

    Returns:
        How many records were written.
    """
    return write_jsonl((recorded.record for recorded in timeline.read()), target)


# --------------------------------------------------------------------- TimelineJS

_MEDIA_SHARED_BY: Final = 5  # a URL more records cite is a dataset's page
# A headline's length at most: a PA-X agreement's parties can be named by whole
# signature blocks (one 18,900 characters), which no slide or era band can show. A
# longer headline is cut with an ellipsis, and an event's text begins with it whole.
_HEADLINE_WIDTH: Final = 160
# What a browser percent-encodes in any URL it follows (the same URL), and what in
# a medium's URL TimelineJS would put into the page as markup.
_URL_MARKUP: Final = str.maketrans({'"': "%22", "<": "%3C", ">": "%3E", "`": "%60"})
# JSON escapes for the characters that would end or confuse a <script> element the
# file is pasted into (``</script>``, ``<!--``, an entity) and the two line
# separators older JavaScript refuses in a string: the file decodes to the same data.
_SCRIPT_SAFE: Final = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)
_PARAGRAPH_BREAK: Final = re.compile(r"\n[^\S\n]*\n\s*")  # in text with \n line ends
_GROUPS: Final = {
    "Attack": "Attacks",
    "Commitment": "Commitments",
    "CommitmentEnded": "Commitments",
    "Request": "Requests",
    "Statement": "Statements",
    "Accusation": "Accusations and denials",
    "Denial": "Accusations and denials",
    "Confirmation": "Accusations and denials",
    "Agreement": "Commitments",
    "Observation": "Observations",
    "CasualtyReport": "Casualty reports",
    "ControlChanged": "Control",
}


def _tjs_date(when: _dt.datetime, precision: Precision) -> dict[str, int]:
    out = {"year": when.year}
    if precision is Precision.YEAR:
        return out
    out["month"] = when.month
    if precision is Precision.MONTH:
        return out
    out["day"] = when.day
    if precision in (Precision.DAY, Precision.WEEK):
        return out
    out["hour"] = when.hour
    out["minute"] = when.minute
    if precision is Precision.INSTANT:
        out["second"] = when.second
    return out


def _tjs_dates(extent: TimeExtent) -> dict[str, Any]:
    """``start_date`` (and ``end_date`` unless the extent is one calendar unit)."""
    start = extent.earliest.in_timezone(extent.tz)
    end = extent.latest.in_timezone(extent.tz)
    precision = extent.precision
    if precision is Precision.INSTANT or _single(extent):
        return {"start_date": _tjs_date(start, precision)}
    day_aligned = start == start.start_of("day") and end == end.start_of("day")
    grain = Precision.DAY if day_aligned else Precision.MINUTE
    last = end.subtract(days=1) if day_aligned else end
    return {"start_date": _tjs_date(start, grain), "end_date": _tjs_date(last, grain)}


def _single(extent: TimeExtent) -> bool:
    """Is ``extent`` one calendar unit of its precision (a minute, an hour, a day, a
    month, a year)?"""
    start = extent.earliest.in_timezone(extent.tz)
    return TimeExtent.parse(_unit_text(start, extent.precision), tz=extent.tz) == extent


def _era_grain(precision: Precision) -> Precision:
    """An era's start to the month or year when it is known only to that, else to
    the day (an era is drawn by the day)."""
    return precision if precision in (Precision.MONTH, Precision.YEAR) else Precision.DAY


def _era_dates(
    begin: _dt.datetime,
    begin_precision: Precision,
    finish: _dt.datetime,
    cap: _dt.datetime | None = None,
) -> dict[str, dict[str, int]]:
    """An era's ``start_date``, to its own grain (`_era_grain`), and ``end_date``, the
    day of ``finish`` (the last instant the commitment was possibly in force), unless
    TimelineJS would not read the end as after the start: then both to the minute,
    from ``begin``'s to ``finish``'s (at least a minute apart), in ``finish``'s zone
    (`_fine_dates`; finer when ``cap``, the last instant of the span the era is cut
    to, leaves no later minute).

    TimelineJS reads a date as the first instant of what it names (``{"year": 1989}``
    is 1 January 1989): a start known to the year is drawn from the first day it may
    have been, and an end known to the year must be written as its last day, or the
    era would stop where the year begins. TimelineJS drops an era's ``end_date``
    whose every field the ``start_date`` has is equal (as redundant), after which it
    refuses to show any of the timeline ("All eras must have start and end dates").
    So a commitment that took effect in October 2020 (known to the month) and ended
    on 15 October, or one that took effect and ended on the same day, needs its
    dates written finer than its precision.
    """
    start = _tjs_date(begin, _era_grain(begin_precision))
    end = _tjs_date(finish, Precision.DAY)
    dropped = all(end.get(field) == value for field, value in start.items())
    if not dropped and _tjs_instant(end) > _tjs_instant(start):
        return {"start_date": start, "end_date": end}
    return _fine_dates(begin.astimezone(finish.tzinfo), finish, cap)


_FINE_UNITS: Final = (
    ("minute", _dt.timedelta(minutes=1)),
    ("second", _dt.timedelta(seconds=1)),
    ("millisecond", _dt.timedelta(milliseconds=1)),
)
"""The units an era is written to when its days would not do, coarsest first."""


def _fine_date(when: _dt.datetime, unit: str) -> dict[str, int]:
    """A TimelineJS date to the minute, the second or the millisecond."""
    out = _tjs_date(when, Precision.MINUTE)
    if unit != "minute":
        out["second"] = when.second
    if unit == "millisecond":
        out["millisecond"] = when.microsecond // 1000
    return out


def _fine_dates(
    begin: _dt.datetime, finish: _dt.datetime, cap: _dt.datetime | None
) -> dict[str, dict[str, int]]:
    """An era's dates to the first unit of `_FINE_UNITS` at which its end, at least
    one unit after its start, is no later than ``cap`` (TimelineJS reads a date as the
    first instant of what it names): one that took effect in a span's last minute is
    written to the second, so it never runs past the span it was cut to. In the last
    millisecond, no later unit is left: the era is the span's last millisecond but
    one to its last (TimelineJS draws none that ends where it begins)."""
    for unit, step in _FINE_UNITS:
        start = _fine_date(begin, unit)
        end = _fine_date(max(finish, begin + step), unit)
        if cap is None or _tjs_instant(end) <= _tjs_instant(_fine_date(cap, unit)):
            return {"start_date": start, "end_date": end}
    assert cap is not None  # a minute after the start is always written without one
    return {
        "start_date": _fine_date(cap - _dt.timedelta(milliseconds=1), "millisecond"),
        "end_date": _fine_date(cap, "millisecond"),
    }


def _tjs_instant(date: dict[str, int]) -> tuple[int, ...]:
    """A TimelineJS date as TimelineJS reads it: the first instant of what it names."""
    return (
        date["year"],
        date.get("month", 1),
        date.get("day", 1),
        date.get("hour", 0),
        date.get("minute", 0),
        date.get("second", 0),
        date.get("millisecond", 0),
    )


def _unit_text(start: _dt.datetime, precision: Precision) -> str:
    if precision is Precision.YEAR:
        return f"{start.year:04d}"
    if precision is Precision.MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    if precision is Precision.DAY:
        return start.date().isoformat()
    if precision is Precision.HOUR:
        return start.strftime("%Y-%m-%dT%H")
    if precision is Precision.MINUTE:
        return start.strftime("%Y-%m-%dT%H:%M")
    return start.isoformat()  # not one unit of its own kind: compared, never equal


def _tjs_text(record: Record, names: Names, full: str | None = None) -> str:
    paragraphs = [f"<p>{html.escape(full)}</p>"] if full is not None else []
    words = detail(record, names)
    # An agreement's or a commitment's terms come in paragraphs, which HTML would
    # run together: a blank line starts a paragraph, a line break is kept as one.
    lined = words.replace("\r\n", "\n").replace("\r", "\n").strip()
    for paragraph in _PARAGRAPH_BREAK.split(lined):
        lines = [html.escape(line.strip()) for line in paragraph.splitlines() if line.strip()]
        if lines:
            paragraphs.append(f"<p>{'<br>'.join(lines)}</p>")
    claim = f"Status: {record.status.value}."
    if record.claimed_by is not None:
        claim = f"Claimed by {html.escape(names.actor(record.claimed_by))}. {claim}"
    paragraphs.append(f"<p>{claim} When: {html.escape(str(record.occurred))}.</p>")
    if record.sources:
        items = []
        for source in record.sources:
            text = html.escape(credit([source]))
            if source.url:
                text = f'<a href="{html.escape(source.url)}">{text}</a>'
            items.append(f"<li>{text}</li>")
        paragraphs.append(f"<p>Sources:</p><ul>{''.join(items)}</ul>")
    return "".join(paragraphs)


def _tjs_event(recorded: Recorded, names: Names, shared: frozenset[str]) -> dict[str, Any]:
    record = recorded.record
    full = " ".join(headline(record, names).split())
    short = shorten(full, _HEADLINE_WIDTH)
    event: dict[str, Any] = {
        **_tjs_dates(record.occurred),
        "display_date": str(record.occurred),
        "text": {
            "headline": html.escape(short),
            "text": _tjs_text(record, names, full if short != full else None),
        },
        "group": _GROUPS.get(record.KIND, record.KIND),
        "unique_id": record.id,
    }
    linked = [s for s in record.sources if s.url and s.url not in shared]
    if record.sources:
        media: dict[str, str] = {"credit": html.escape(credit(record.sources))}
        if linked:
            media["url"] = (linked[0].url or "").translate(_URL_MARKUP)
            media["caption"] = html.escape(linked[0].title or linked[0].publisher)
            event["media"] = media
    return event


# Kinds that are never a TimelineJS event, and why (asked for alone, they made an
# empty file without a word).
_NO_EVENTS: Final = {
    "ActorDefined": "actors and places are no events (their names are in the others' headlines)",
    "PlaceDefined": "actors and places are no events (their names are in the others' headlines)",
    "Correction": "a correction is applied to what it names, never shown itself",
    "Retraction": "a retraction withdraws what it names, never shown itself",
}


def to_timelinejs(
    timeline: Timeline,
    *,
    known_at: object = None,
    title: str = "Timeline",
    tz: str | None = None,
    kinds: Iterable[str | type[Record]] | None = None,
    between: tuple[object, object] | None = None,
) -> dict[str, Any]:
    """The timeline as TimelineJS 3 JSON (a dict; ``orjson.dumps`` it or use
    `write_timelinejs`).

    * ``events``: one per record except actor and place definitions and timeless
      records, with ``start_date`` and (for a span) ``end_date`` in the extent's own
      timezone and to its precision, a ``headline`` and ``text`` naming the claimant,
      status and sources, ``group`` by record kind, and, when a source has a URL of
      its own, ``media`` with that URL and a ``credit`` line from all the sources.
      A headline is on one line, cut to 160 characters with an ellipsis (an era's
      too); a cut event's text begins with the headline whole.
      A URL that more than five records cite (a dataset's download page, a
      portal) is not a medium of any one of them: it stays in the text's list of
      sources and is not embedded, so no slide shows a placeholder page. A medium's
      URL has ``"``, ``<``, ``>`` and a backtick percent-encoded (as a browser sends
      them), so TimelineJS, which reads a URL holding ``iframe`` as embed code, never
      puts a source's URL into the page as markup.
    * ``eras``: one per commitment, from when it took effect to when it ended or
      lapsed, or, while still in force, to the last event; each date to the day, or
      to the month or year when only that is known. A commitment whose ``until`` is
      not one day, month or year (an end the source does not date: possibly in force
      to its last instant) runs to that last instant, as far as the last event, and
      its headline says ``(end unknown: <until>)``. An era that TimelineJS would
      not read as ending after it begins (it ended within the month or year its
      start is dated to, or on its first day) has both dates to the minute, from
      its first instant to the last of its end (one that ended before it took
      effect: its first minute): TimelineJS drops an end it takes for redundant
      and then shows none of the timeline.

    Args:
        timeline: The timeline.
        known_at: Show it as known then (default: everything recorded).
        title: The title slide's headline.
        tz: The timezone ``known_at`` and ``between`` are read in (default: the
            timeline's own zone, or UTC when it has none).
        kinds: Only the events of these record kinds (names or classes; None:
            every kind). The eras are the commitments whatever kinds are shown:
            an export of attacks shows the ceasefires they fell in.
        between: ``(start, end)``: only the events whose time overlaps that span
            (from the first instant of ``start`` to the last of ``end``), and the
            eras of the commitments possibly in force at some time in it, drawn
            within it: an era begins no earlier than the span, ends no later (one
            written to the minute that took effect in the span's last minute: to the
            second, or finer), and one still in force runs to the span's end. A span of a country's
            years keeps TimelineJS, which shows every event as a slide, to the
            weeks a story tells.
    """
    query = timeline.query(known_at=known_at, tz=tz)
    wanted, window = _selection(query.tz, kinds, between, "to_timelinejs")
    for kind in sorted((wanted or frozenset()) & _NO_EVENTS.keys()):
        msg = f"to_timelinejs: kinds: {_NO_EVENTS[kind]}; {kind} would show nothing"
        raise QueryError(msg)
    lives = timeline.state(CommitmentHistory, known_at=known_at, tz=tz)  # the eras
    names = Names.of(timeline, known_at=known_at, tz=tz, lives=lives)
    events = []
    last: int | None = None  # the last instant of the latest event
    shown = [
        recorded
        for recorded in _current(
            timeline, known_at=known_at, as_of=None, tz=tz, wanted=wanted, window=window
        )[1]
        if not isinstance(recorded.record, ActorDefined | PlaceDefined)
        and not recorded.record.occurred.is_timeless
    ]
    citing = Counter(url for r in shown for url in {s.url for s in r.record.sources if s.url})
    shared = frozenset(url for url, n in citing.items() if n > _MEDIA_SHARED_BY)
    for recorded in shown:
        record = recorded.record
        events.append(_tjs_event(recorded, names, shared))
        last = record.occurred.last if last is None else max(last, record.occurred.last)
    eras = [
        era for life in lives if (era := _era(life, names, last, window, query.tz)) is not None
    ]
    told = query.describe()
    if between is not None:
        told += f"; events between {between[0]} and {between[1]} ({query.tz})"
    return {
        "title": {"text": {"headline": html.escape(title), "text": html.escape(told)}},
        "events": events,
        "eras": eras,
    }


def _era(
    life: CommitmentLife,
    names: Names,
    last: int | None,
    window: tuple[int, int] | None,
    zone: str,
) -> dict[str, Any] | None:
    """A commitment's TimelineJS era (see `to_timelinejs`): from when it took effect
    to when it ended, or to ``last`` (the last instant of the latest event) while in
    force; within ``window`` (the span asked, read in ``zone``) when there is one,
    None when it was in force at no time in it."""
    start = life.effective
    if window is not None:  # still in force: to the end of the span asked for
        horizon = window[1]  # (an end past it is cut to it below)
    else:
        horizon = max(last, start.last) if last is not None else start.last
    said = ""
    closing: TimeExtent | None = None  # a dated end, said when the span cuts into it
    if life.ended is not None:
        closing = life.ended.occurred
        end = closing.last
    elif life.until is not None:
        # A dated until (one day, month or year) is the end: drawn to its last
        # instant. One spanning more is an end the source does not date: certainly
        # in force to its first instant, possibly to its last: drawn to the last,
        # as far as the events shown reach, and said.
        until = life.until
        if _single(until):
            closing = until
            end = until.last
        else:
            end = max(until.lo, min(until.last, horizon))
            said = f" (end unknown: {until})"
    else:
        end = horizon
    first, grain_first, end = start.lo, start.precision, max(end, start.lo)
    first_zone = end_zone = start.tz
    if window is not None:
        if first > window[1] or end < window[0]:
            return None  # not in force at any time in the span
        # An edge the span cuts is the span's day, in the zone it was asked in.
        if first < window[0]:
            first, first_zone, grain_first = window[0], zone, Precision.DAY
        if end >= window[1]:
            if closing is not None and closing.lo <= window[1]:
                # Drawn to the span's end, though it possibly ended before: said.
                said = f" (ends {closing})"
            end, end_zone = window[1], zone
    begin = from_epoch_us(first).in_timezone(first_zone)
    finish = from_epoch_us(end).in_timezone(end_zone)
    # No later than the span's last instant, even to the minute (`_fine_dates`).
    cap = None if window is None else from_epoch_us(window[1]).in_timezone(end_zone)
    named = shorten(headline(life.commitment, names), _HEADLINE_WIDTH) + said
    return {
        **_era_dates(begin, grain_first, finish, cap),
        "text": {"headline": html.escape(named)},
    }


def write_timelinejs(
    timeline: Timeline,
    target: Target,
    *,
    known_at: object = None,
    title: str = "Timeline",
    tz: str | None = None,
    kinds: Iterable[str | type[Record]] | None = None,
    between: tuple[object, object] | None = None,
) -> int:
    """Write `to_timelinejs` as a JSON file (the same arguments); returns the number
    of events.

    ``<``, ``>``, ``&`` and the line separators U+2028 and U+2029 are written as JSON
    escapes (``\\u003c``...), so the file can be pasted into a ``<script>`` element
    (``new TL.Timeline("embed", {...})``) whatever the records hold: a ``</script>``
    in an id or a URL no longer ends the element. It decodes to the same data.
    """
    data = to_timelinejs(
        timeline, known_at=known_at, title=title, tz=tz, kinds=kinds, between=between
    )
    dumped = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")
    text = dumped.translate(_SCRIPT_SAFE) + "\n"
    if isinstance(target, str | os.PathLike):
        with replacing(target) as fh:
            fh.write(text)
    else:
        target.write(text)
    return len(data["events"])


# ------------------------------------------------------------------- a flat table

TABLE_COLUMNS: Final[tuple[str, ...]] = (
    "position",
    "recorded_at",
    "corrected_by",
    "id",
    "kind",
    "occurred_start",
    "occurred_end",
    "occurred_precision",
    "occurred_tz",
    "reported_start",
    "reported_end",
    "status",
    "claimed_by",
    "sources",
    "source_urls",
    "acled_event_type",
    "acled_sub_event_type",
    "ucdp_type_of_violence",
    "cameo",
    "plover",
    "notes",
    # actors and places
    "name",
    "actor_kind",
    "place_kind",
    "aliases",
    "affiliation",
    "parent",
    "lat",
    "lon",
    # events
    "perpetrator",
    "target_class",
    "target",
    "target_actor",
    "between_sides",
    "means",
    "place",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "fatalities_as_reported",
    "injured_low",
    "injured_best",
    "injured_high",
    "injured_as_reported",
    "speaker",
    "summary",
    "quote",
    "responds_to",
    "requester",
    "requested_of",
    "invokes",
    "commitment_kind",
    "parties",
    "beneficiaries",
    "announced_by",
    "prohibits",
    "scope_include",
    "scope_exclude",
    "condition_attack_within",
    "condition_by",
    "condition_description",
    "condition_against",
    "condition_match",
    "effective_start",
    "effective_end",
    "until_start",
    "until_end",
    "text",
    "supersedes",
    "agreement",
    "title",
    "signatories",
    "mediators",
    "guarantors",
    "commitment",
    "reason",
    "superseded_by",
    "controller",
    "accuser",
    "accused",
    "incidents",
    "breach_of",
    "denier",
    "denies",
    "confirmer",
    "confirms",
    "admission",
    "monitor",
    "violations",
    "attributed_to",
    "category",
    "measure",
    "count_low",
    "count_best",
    "count_high",
    "count_as_reported",
)
"""The columns of `table_rows`: common fields, then each kind's own fields.

Times are UTC (``*_end`` is the first instant *after* the extent); lists are joined
with ``"; "``; a field a record's kind does not have is None.
"""

_SKIP: Final = frozenset({"id", "occurred", "sources", "claimed_by", "status", "reported"})
_SKIP_ALSO: Final = frozenset({"codes", "notes"})
_COMMON: Final = TABLE_COLUMNS[: TABLE_COLUMNS.index("notes") + 1]
"""The columns every record has a cell in (`table_row` fills them for each)."""
_PARTS: Final = (
    "start",  # a TimeExtent's
    "end",
    "low",  # a Figure's
    "best",
    "high",
    "as_reported",
    "include",  # a Scope's
    "exclude",
    *(field.name for field in attrs.fields(Condition)),
)
"""The suffixes `_flat` gives the columns of a field that is a value of parts."""


@functools.cache
def kind_columns(kind: str) -> tuple[str, ...]:
    """The columns of `TABLE_COLUMNS` that a record of ``kind`` (its name,
    ``"Attack"``) has: the common ones and those of its own fields, in the table's
    order. The same for every record of the kind, whatever it holds (a table of one
    kind keeps its columns from one export to the next)."""
    names = set(_COMMON)
    for field in attrs.fields(KIND_BY_NAME[kind]):
        if field.name in _SKIP or field.name in _SKIP_ALSO:
            continue
        if field.name == "coordinates":
            names.update(("lat", "lon"))
        names.add(field.name)
        names.update(f"{field.name}_{part}" for part in _PARTS)
    if kind == Attack.KIND:
        names.add("between_sides")
    return tuple(c for c in TABLE_COLUMNS if c in names)


def _utc(when: _dt.datetime) -> _dt.datetime:
    if type(when) is pendulum.DateTime and when.tzinfo is pendulum.UTC:
        # How records hold instants: the same fields, without the zone lookups and
        # float round trip of the general path (a third of a large export's time).
        return _dt.datetime(
            when.year,
            when.month,
            when.day,
            when.hour,
            when.minute,
            when.second,
            when.microsecond,
            tzinfo=_dt.UTC,
        )
    return _dt.datetime.fromtimestamp(when.timestamp(), tz=_dt.UTC)


def _flat(name: str, value: object, row: dict[str, Any]) -> None:
    if value is None:
        return
    if isinstance(value, TimeExtent):
        row[f"{name}_start"] = _utc(value.earliest)
        row[f"{name}_end"] = _utc(value.latest)
    elif isinstance(value, Figure):
        row[f"{name}_low"] = value.low
        row[f"{name}_best"] = value.best
        row[f"{name}_high"] = value.high
        row[f"{name}_as_reported"] = value.as_reported
    elif isinstance(value, Coordinates):
        row["lat"] = value.lat
        row["lon"] = value.lon
    elif isinstance(value, Scope | Condition):
        for field in attrs.fields(type(value)):
            _flat(f"{name}_{field.name}", getattr(value, field.name), row)
    elif isinstance(value, tuple):
        row[name] = "; ".join(v.value if isinstance(v, enum.Enum) else str(v) for v in value)
    elif isinstance(value, enum.Enum):
        row[name] = value.value
    else:
        row[name] = value


def table_row(recorded: Recorded) -> dict[str, Any]:
    """One record as known, keyed by `TABLE_COLUMNS` (missing values are None)."""
    record: AnyRecord = recorded.record
    reported = recorded.reported
    codes = record.codes
    row: dict[str, Any] = dict.fromkeys(TABLE_COLUMNS)
    row.update(
        position=recorded.position,
        recorded_at=_utc(recorded.recorded_at),
        corrected_by=recorded.corrected_by,
        id=record.id,
        kind=record.KIND,
        occurred_start=_utc(record.occurred.earliest),
        occurred_end=_utc(record.occurred.latest),
        occurred_precision=record.occurred.precision.value,
        occurred_tz=record.occurred.tz,
        reported_start=_utc(reported.earliest),
        reported_end=_utc(reported.latest),
        status=record.status.value,
        claimed_by=record.claimed_by,
        sources=credit(record.sources),
        source_urls="; ".join(s.url for s in record.sources if s.url),
        notes=record.notes,
    )
    if codes is not None:
        row.update(
            acled_event_type=codes.acled_event_type,
            acled_sub_event_type=codes.acled_sub_event_type,
            ucdp_type_of_violence=codes.ucdp_type_of_violence,
            cameo=codes.cameo,
            plover=codes.plover,
        )
    if isinstance(record, Attack):
        # perpetrator and target_actor hold a clash's two sides by convention only
        row["between_sides"] = record.between_sides
    for field in attrs.fields(type(record)):
        if field.name in _SKIP or field.name in _SKIP_ALSO:
            continue
        _flat(field.name, getattr(record, field.name), row)
    if len(row) != len(TABLE_COLUMNS):  # a field this table has no column for
        extra = sorted(set(row) - set(TABLE_COLUMNS))
        msg = f"{record.KIND} {record.id!r}: no table column for {', '.join(extra)}"
        raise QueryError(msg)
    return row


def table_rows(
    timeline: Timeline,
    *,
    known_at: object = None,
    tz: str | None = None,
    kinds: Iterable[str | type[Record]] | None = None,
    between: tuple[object, object] | None = None,
) -> Iterator[dict[str, Any]]:
    """One dict per record as known (see `current_records`, which ``kinds`` and
    ``between`` select as they do there), keyed by `TABLE_COLUMNS`, in replay order.

    Times are aware UTC datetimes; ``corrected_by`` is the position of the correction
    whose version is shown.
    """
    selected = current_records(timeline, known_at=known_at, tz=tz, kinds=kinds, between=between)
    for recorded in selected:
        yield table_row(recorded)


# OWASP's list of characters that make a spreadsheet read a cell as a formula (and
# the full-width forms some spreadsheets also accept), plus the apostrophe itself so
# that removing one leading apostrophe always gives the original text back.
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_DEFUSED_START: Final = (*_FORMULA_START, "'")
_PLAIN_NUMBER: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _defuse(text: str) -> str:
    """A text cell that no spreadsheet reads as a formula (OWASP's CSV injection rule).

    Text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or
    the full-width forms U+FF1D, U+FF0B, U+FF0D, U+FF20) gets a leading apostrophe,
    and so does text that already begins with one: dropping one leading apostrophe
    gives the text back.
    A plain number (``-5``, ``+1.5e3``) is left alone: it is no formula.
    """
    if text.startswith(_DEFUSED_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_cell(value: object, *, defuse: bool = True) -> object:
    """A table value as a CSV cell: ISO 8601 for times, empty for None, and text
    a spreadsheet would run as a formula defused (see `write_csv`) unless
    ``defuse`` is False."""
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        return _defuse(value) if defuse else value
    return value


def write_csv(
    timeline: Timeline,
    target: Target,
    *,
    known_at: object = None,
    tz: str | None = None,
    kinds: Iterable[str | type[Record]] | None = None,
    between: tuple[object, object] | None = None,
    bom: bool = False,
    defuse: bool = True,
) -> int:
    """Write `table_rows` as CSV (UTF-8, a header row); returns the row count.

    Lines end with CRLF (RFC 4180). Times are ISO 8601 in UTC; an empty cell is a
    missing value. Text that a
    spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return) is written with a leading apostrophe, as is text that
    begins with an apostrophe: drop one leading apostrophe to get the text back.
    Numbers are written as numbers. A path is written whole or not at all.

    Args:
        timeline: The timeline.
        target: A path, or a text stream.
        known_at: Show it as known then (default: everything recorded).
        tz: The timezone ``known_at`` and ``between`` are read in (default: the
            timeline's own zone, or UTC when it has none).
        kinds: Only the records of these kinds (names or classes).
        between: ``(start, end)``: only the records whose time overlaps that span
            (see `current_records`).
        bom: Begin with a UTF-8 byte order mark (U+FEFF), for Excel, which reads
            a file without one in the computer's legacy code page (Arabic, Cyrillic
            and accented names garbled). Off by default: many readers keep the mark
            as part of the first column's name.
        defuse: Add the apostrophe before text a spreadsheet would run as a
            formula (default). False writes every text as it is: for a file that
            code reads and no spreadsheet opens.
    """
    if isinstance(target, str | os.PathLike):
        with replacing(target) as fh:
            return write_csv(timeline, fh, known_at=known_at, tz=tz, bom=bom, defuse=defuse)
    if bom:
        target.write("\ufeff")  # the byte order mark: Excel then reads UTF-8
    # RFC 4180's CRLF: the writer then quotes a cell holding either CR or LF; with a
    # bare LF terminator, a carriage return inside a cell went out unquoted and broke
    # the row in two for every reader.
    writer = csv.writer(target, lineterminator="\r\n")
    writer.writerow(TABLE_COLUMNS)
    count = 0
    for row in table_rows(timeline, known_at=known_at, tz=tz, kinds=kinds, between=between):
        # csv_cell, inlined for the common cells (an empty one, a number): a row has
        # 95 cells, most of them empty. A row's values are in TABLE_COLUMNS order
        # (table_row builds it from those keys and refuses any other).
        writer.writerow(
            [
                ""
                if v is None
                else v
                if type(v) is int or type(v) is float
                else csv_cell(v, defuse=defuse)
                for v in row.values()
            ]
        )
        count += 1
    return count


_EXTRAS: Final = {"pandas": "pandas", "polars": "polars"}
_TIME_COLUMNS: Final = tuple(
    c for c in TABLE_COLUMNS if c.endswith(("_start", "_end")) or c == "recorded_at"
)


def _import_extra(library: str) -> Any:
    try:
        return importlib.import_module(library)
    except ImportError as exc:
        msg = (
            f"to_dataframe(library={library!r}) needs {library}, which is not installed: "
            f"pip install 'conflict_timeline[{_EXTRAS[library]}]' (or pip install {library})"
        )
        raise MissingExtraError(msg) from exc


def to_dataframe(
    timeline: Timeline,
    *,
    library: Literal["pandas", "polars"] = "pandas",
    known_at: object = None,
    tz: str | None = None,
    kinds: Iterable[str | type[Record]] | None = None,
    between: tuple[object, object] | None = None,
) -> Any:
    """`table_rows` (of the ``kinds`` and the span ``between`` asked, as there) as a
    pandas or polars DataFrame.

    The library is imported only when this is called. Time columns are UTC
    datetimes. A polars frame has the column types of `arrow_schema` (``Int64``
    counts, ``Float64`` coordinates, ``Boolean`` truth values, ``String`` text), even
    for a column no record fills. Under pandas 2, whose nanosecond datetimes cannot
    hold the timeless year 1 of reference data, such a column is kept as Python datetimes; pandas 3
    converts it (it picks a coarser unit).

    Raises:
        MissingExtraError: the library is not installed; the message says what to
            install (``pip install 'conflict_timeline[pandas]'``).
        QueryError: ``library`` is neither "pandas" nor "polars".
    """
    if library not in _EXTRAS:
        msg = f"library must be 'pandas' or 'polars', got {library!r}"
        raise QueryError(msg)
    module = _import_extra(library)
    rows = list(table_rows(timeline, known_at=known_at, tz=tz, kinds=kinds, between=between))
    if library == "polars":
        # Typed as `to_arrow` types them, whatever the rows hold: without a schema a
        # column no row fills (a GED export's effective_start) came out of dtype Null,
        # not a datetime, and the frames of two exports did not concatenate.
        schema = _typed_columns(
            module.Datetime("us", "UTC"),
            module.Int64,
            module.Float64,
            module.Boolean,
            module.String,
        )
        columns = {c: [row[c] for row in rows] for c in TABLE_COLUMNS}
        return module.DataFrame(columns, schema=schema)
    frame = module.DataFrame.from_records(rows, columns=list(TABLE_COLUMNS))
    for column in _TIME_COLUMNS:
        try:
            frame[column] = module.to_datetime(frame[column], utc=True)
        except (ValueError, OverflowError):  # pandas 2: year 1 out of range, keep datetimes
            continue
    return frame


# ----------------------------------------------------------------- Arrow, Parquet


def _scalar_columns() -> dict[str, type]:
    """The table's columns that hold a number or a truth value (the rest, times
    aside, hold text): the figures' counts, the coordinates, the envelope's
    positions, and every record field typed ``int``, ``float`` or ``bool``."""
    found: dict[str, type] = {
        "position": int,
        "corrected_by": int,
        "lat": float,
        "lon": float,
        "between_sides": bool,
    }
    for what in ("fatalities", "injured", "count"):
        found.update({f"{what}_{part}": int for part in ("low", "best", "high")})
    for cls in RECORD_KINDS:
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            kinds = set(typing.get_args(hints[field.name])) or {hints[field.name]}
            plain = kinds - {type(None)}
            if len(plain) == 1 and (kind := plain.pop()) in {int, float, bool}:
                found[field.name] = kind
    return found


_SCALAR_COLUMNS: Final = _scalar_columns()
_ARROW_CHUNK: Final = 65_536  # rows per record batch: bounded memory on any timeline


def _pyarrow() -> Any:
    try:
        return importlib.import_module("pyarrow")
    except ImportError as exc:
        msg = (
            "to_arrow and write_parquet need pyarrow, which is not installed: "
            "pip install 'conflict_timeline[arrow]' (or pip install pyarrow)"
        )
        raise MissingExtraError(msg) from exc


def arrow_schema() -> Any:
    """The Arrow schema of `to_arrow`: `TABLE_COLUMNS` in order; times as
    ``timestamp[us, UTC]``, counts, positions and other whole numbers
    (``violations``) as ``int64``, coordinates as ``float64``, truth values
    (``between_sides``, ``admission``) as ``bool``, everything else as text. Every
    column may be null.

    Raises:
        MissingExtraError: pyarrow is not installed.
    """
    pa = _pyarrow()
    types = _typed_columns(
        pa.timestamp("us", tz="UTC"), pa.int64(), pa.float64(), pa.bool_(), pa.string()
    )
    return pa.schema([pa.field(c, kind) for c, kind in types.items()])


def _typed_columns(time: Any, whole: Any, decimal: Any, truth: Any, text: Any) -> dict[str, Any]:
    """`TABLE_COLUMNS` in order, each with its type among a frame library's five: the
    time columns ``time``, the counts and positions ``whole``, the coordinates
    ``decimal``, the truth values ``truth``, the rest ``text`` (`_SCALAR_COLUMNS`);
    one rule for the Arrow schema and a polars frame alike."""
    times = frozenset(_TIME_COLUMNS)
    scalars = {int: whole, float: decimal, bool: truth}
    return {
        c: time if c in times else scalars[_SCALAR_COLUMNS[c]] if c in _SCALAR_COLUMNS else text
        for c in TABLE_COLUMNS
    }


def _batches(rows: Iterator[dict[str, Any]], schema: Any, pa: Any) -> Iterator[Any]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == _ARROW_CHUNK:
            yield pa.RecordBatch.from_pylist(chunk, schema=schema)
            chunk = []
    if chunk:
        yield pa.RecordBatch.from_pylist(chunk, schema=schema)


def to_arrow(
    timeline: Timeline,
    *,
    known_at: object = None,
    tz: str | None = None,
    kinds: Iterable[str | type[Record]] | None = None,
    between: tuple[object, object] | None = None,
) -> Any:
    """`table_rows` (of the ``kinds`` and the span ``between`` asked, as there) as a
    ``pyarrow.Table`` with typed columns (see `arrow_schema`): what DuckDB, polars
    and pandas read without copying.

    Raises:
        MissingExtraError: pyarrow is not installed; the message says what to
            install (``pip install 'conflict_timeline[arrow]'``).
    """
    pa = _pyarrow()
    schema = arrow_schema()
    rows = table_rows(timeline, known_at=known_at, tz=tz, kinds=kinds, between=between)
    return pa.Table.from_batches(list(_batches(rows, schema, pa)), schema=schema)


def write_parquet(
    timeline: Timeline,
    target: str | os.PathLike[str] | IO[bytes],
    *,
    known_at: object = None,
    tz: str | None = None,
    kinds: Iterable[str | type[Record]] | None = None,
    between: tuple[object, object] | None = None,
) -> int:
    """Write `table_rows` (of the ``kinds`` and the span ``between`` asked, as there)
    as a Parquet file (the schema of `arrow_schema`, zstd
    compressed), a record batch at a time; returns the row count. A path, or a
    binary stream, is written whole or not at all (a path through a file beside it,
    renamed over it; for a stream the compressed file is held in memory until it is
    complete).

    Raises:
        MissingExtraError: pyarrow is not installed.
    """
    _pyarrow()  # before the file is touched
    return parquet_rows(
        table_rows(timeline, known_at=known_at, tz=tz, kinds=kinds, between=between), target
    )


def parquet_rows(
    rows: Iterable[dict[str, Any]], target: str | os.PathLike[str] | IO[bytes]
) -> int:
    """Write rows of `table_row` as Parquet (see `write_parquet`); returns the count."""
    if isinstance(target, str | os.PathLike):
        # Into a file beside the target, renamed over it once complete.
        with replacing_bytes(target) as fh:
            return _parquet(rows, fh)
    if isinstance(target, io.TextIOBase):
        msg = "write_parquet writes bytes: give it a path or a binary stream, not a text one"
        raise QueryError(msg)
    # Into memory first: a Parquet file ends with a footer that pyarrow writes even
    # when the rows stop half-way, and a stream cannot be taken back; written out only
    # once complete, an interrupted export leaves the stream untouched.
    buffer = io.BytesIO()
    count = _parquet(rows, buffer)
    target.write(buffer.getbuffer())
    return count


def _parquet(rows: Iterable[dict[str, Any]], sink: IO[bytes]) -> int:
    pa = _pyarrow()
    parquet = importlib.import_module("pyarrow.parquet")
    schema = arrow_schema()
    count = 0
    with parquet.ParquetWriter(sink, schema, compression="zstd") as writer:
        for batch in _batches(iter(rows), schema, pa):
            writer.write_batch(batch)
            count += batch.num_rows
    return count
