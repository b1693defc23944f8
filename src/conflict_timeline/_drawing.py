"""How the shipped Hypothesis strategies draw: values, records and growing histories.

The public face is ``conflict_timeline.strategies`` (its docs say what each strategy
draws). This module holds the drawing machinery both it and
``conflict_timeline.testing.TimelineMachine`` use: the record drawers and
`History`, which grows a valid history one record at a time.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, cast

import attrs
import pendulum
from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ._provenance import Codes, Figure, Source, Status
from ._records import (
    RECORD_KINDS,
    Accusation,
    ActorDefined,
    ActorKind,
    Agreement,
    AnyRecord,
    Attack,
    CasualtyCategory,
    CasualtyMeasure,
    CasualtyReport,
    Commitment,
    CommitmentEnded,
    CommitmentKind,
    Condition,
    Confirmation,
    ControlChanged,
    Coordinates,
    Correction,
    Denial,
    EndReason,
    Observation,
    PlaceDefined,
    PlaceKind,
    Prohibition,
    Record,
    Request,
    Retraction,
    Scope,
    Statement,
    TargetClass,
)
from ._time import Precision, TimeExtent, epoch_us, from_epoch_us, to_utc
from .errors import InvalidTimeError

__all__ = [
    "CONDITIONS",
    "COORDINATES",
    "CORRECTING",
    "DEFAULT_TIMEZONES",
    "History",
    "actors",
    "figures",
    "kinds_of",
    "places",
    "records",
    "sources",
    "time_extents",
    "timelines",
    "with_prerequisites",
]

DEFAULT_TIMEZONES: Final[tuple[str, ...]] = (
    "UTC",
    "Asia/Yerevan",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Baku",
    "Europe/Moscow",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
)
"""Zones [`time_extents`][conflict_timeline.strategies.time_extents] draws from: UTC, zones with
daylight saving time
(Berlin, New York; Yerevan and Baku until 2011-2015; Lord Howe's half-hour shift)
and odd offsets (Kathmandu's +05:45)."""

_DEFAULT_MIN: Final = pendulum.datetime(1990, 1, 1)
_DEFAULT_MAX: Final = pendulum.datetime(2031, 1, 1).subtract(microseconds=1)
# Drawn times shrink towards this instant, which reads better than 1990-01-01.
_CENTRE: Final = pendulum.datetime(2020, 1, 1)
_US_PER_DAY: Final = 86_400_000_000

# sampled_from shrinks towards the first element: the day is the most common and
# most readable precision, so it comes first.
_PRECISION_ORDER: Final = (
    Precision.DAY,
    Precision.MONTH,
    Precision.YEAR,
    Precision.WEEK,
    Precision.HOUR,
    Precision.MINUTE,
    Precision.INSTANT,
)
_FINEST_FIRST: Final = (
    Precision.INSTANT,
    Precision.MINUTE,
    Precision.HOUR,
    Precision.DAY,
    Precision.WEEK,
    Precision.MONTH,
    Precision.YEAR,
)

_PREFIX: Final[Mapping[type[Record], str]] = {
    ActorDefined: "actor",
    PlaceDefined: "place",
    ControlChanged: "control",
    Statement: "statement",
    Request: "request",
    Agreement: "agreement",
    Commitment: "commitment",
    CommitmentEnded: "ended",
    Attack: "attack",
    Accusation: "accusation",
    Denial: "denial",
    Confirmation: "confirmation",
    Observation: "observation",
    CasualtyReport: "casualties",
    Correction: "correction",
    Retraction: "retraction",
}
CORRECTING: Final = (Correction, Retraction)
_PLAIN_KINDS: Final = tuple(k for k in RECORD_KINDS if k not in CORRECTING)

# --------------------------------------------------------------------- small values

_PUBLISHERS: Final = ("Reuters", "AP", "AFP", "BBC", "Armenpress", "APA", "TASS", "OSCE")
_ACTOR_NAMES: Final = ("Armenia", "Azerbaijan", "Russia", "Pashinyan", "Minsk Group")
_PLACE_NAMES: Final = ("Stepanakert", "Shushi", "Nagorno-Karabakh", "Ganja", "Yerevan")
_WORDS: Final = ("shelling", "a street market", "rockets", "ceasefire", "talks")


def _nonempty(text: str) -> str:
    return text if text.strip() else text + "x"


# No ``st.one_of`` below: the shrinker tries every alternative of every one_of it
# meets, which over a history of records costs many seconds. A first choice whose
# simplest value is the plainest (None, "", the first word) shrinks as well and
# costs one choice.
_BOOLEANS: Final = st.booleans()


@functools.cache
def _sampled(values: tuple[Any, ...] | type[Any]) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


@functools.cache
def _integers(lo: int, hi: int) -> st.SearchStrategy[int]:
    return st.integers(lo, hi)


@st.composite
def _or_none(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    return draw(strategy) if draw(_BOOLEANS) else None


@functools.cache
def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """None or a value of ``strategy``; shrinks to None."""
    return _or_none(strategy)


# Any character a str can hold and JSON can carry: every category but surrogates.
# Said this way rather than st.text()'s default (characters encodable in UTF-8, the
# same set), which hypothesis works out once per process at a cost of about a
# second: enough, on a first run, to fail its own health check for slow draws.
_CHARACTERS: Final = st.characters(exclude_categories=["Cs"])


@functools.cache
def _texts(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(_CHARACTERS, min_size=min_size, max_size=max_size)


@st.composite
def _pool_or_text(draw: st.DrawFn, pool: tuple[str, ...], min_size: int, max_size: int) -> str:
    """One of ``pool`` (the first when shrunk) or, now and then, any text."""
    index = draw(_integers(0, len(pool)))
    if index < len(pool):
        return pool[index]
    text = draw(_texts(min_size, max_size))
    return _nonempty(text) if min_size else text


_TEXT: Final = _pool_or_text(("", *_WORDS), 0, 30)
_SOME_TEXT: Final = _pool_or_text(_WORDS, 1, 30)
_ALIASES: Final = st.lists(_pool_or_text(_WORDS, 1, 12), max_size=3, unique=True).map(tuple)
_OPTIONAL_TEXT: Final = _optional(_TEXT)
_MICROS: Final = _or_none(st.integers(0, 999_999)).map(lambda us: us or 0)
_SECONDS: Final = st.integers(0, 86_399)
_EDGES: Final = st.sampled_from((None, None, None, None, "month", "year"))
# A span of whole days past a day, week or month (ACLED's week centred on a date, GED's
# date_start to date_end, "between 27 September and 31 October"): how many days it
# runs past the unit's last day: a quarter of them, the others (and what a draw
# shrinks to) are the unit itself.
_SPAN: Final = st.sampled_from((False, False, False, True))
_SPAN_DAYS: Final = st.integers(1, 60)
_SPANNED: Final = frozenset({Precision.DAY, Precision.WEEK, Precision.MONTH})


def _names(pool: tuple[str, ...]) -> st.SearchStrategy[str]:
    return _pool_or_text(pool, 1, 20)


_ACTOR_NAME: Final = _names(_ACTOR_NAMES)
_PLACE_NAME: Final = _names(_PLACE_NAMES)


# ----------------------------------------------------------------------------- time


def _as_us(value: _dt.datetime, name: str) -> int:
    try:
        return epoch_us(to_utc(value, what=name))
    except InvalidTimeError as exc:
        raise InvalidArgument(str(exc)) from None


def _precisions(values: Iterable[Precision | str] | None) -> tuple[Precision, ...]:
    if values is None:
        return _PRECISION_ORDER
    try:
        wanted = {p if isinstance(p, Precision) else Precision(p) for p in values}
    except (TypeError, ValueError) as exc:
        msg = f"precisions must be Precision values, got {values!r} ({exc})"
        raise InvalidArgument(msg) from None
    if not wanted:
        msg = "precisions must name at least one Precision"
        raise InvalidArgument(msg)
    return tuple(p for p in _PRECISION_ORDER if p in wanted)


def _timezones(values: Iterable[str] | None) -> tuple[str, ...]:
    if values is None:
        return DEFAULT_TIMEZONES
    zones = tuple(dict.fromkeys(values))
    if not zones:
        msg = "timezones must name at least one IANA timezone"
        raise InvalidArgument(msg)
    for zone in zones:
        try:
            TimeExtent.parse("2020", tz=zone)
        except InvalidTimeError as exc:
            raise InvalidArgument(str(exc)) from None
    return zones


def _text_at(local: pendulum.DateTime, precision: Precision) -> str:
    if precision is Precision.YEAR:
        return f"{local.year:04d}"
    if precision is Precision.MONTH:
        return f"{local.year:04d}-{local.month:02d}"
    if precision is Precision.WEEK:
        year, week, _ = local.isocalendar()
        return f"{year:04d}-W{week:02d}"
    day = f"{local.year:04d}-{local.month:02d}-{local.day:02d}"
    if precision is Precision.DAY:
        return day
    if precision is Precision.HOUR:
        return f"{day}T{local.hour:02d}"
    if precision is Precision.MINUTE:
        return f"{day}T{local.hour:02d}:{local.minute:02d}"
    return local.isoformat()


@st.composite
def _extents(
    draw: st.DrawFn,
    *,
    lo: int,
    hi: int,
    centre: int,
    precisions: tuple[Precision, ...],
    zones: tuple[str, ...],
) -> TimeExtent:
    zone = draw(_sampled(zones))
    precision = draw(_sampled(precisions))
    # Days and the time of day are drawn apart: one huge integer range would cluster
    # the draws within seconds of the centre.
    days = draw(_integers((lo - centre) // _US_PER_DAY, (hi - centre) // _US_PER_DAY + 1))
    seconds = draw(_SECONDS)
    micros = draw(_MICROS)
    at_us = min(max(centre + days * _US_PER_DAY + seconds * 1_000_000 + micros, lo), hi)
    local = from_epoch_us(at_us).in_timezone(zone)
    # Calendar edges are where bucketing code goes wrong (a month taken in UTC, a
    # year off by one), and a uniform day rarely lands on one: a third of the draws
    # move to the local start of the month or the year, if that stays in range.
    edge = draw(_EDGES)
    if edge is not None:
        start = local.start_of(edge)
        if lo <= epoch_us(start):
            local = start
    # A year drawn near a bound may stick out of [lo, hi]: fall back to the next finer
    # allowed precision at the same instant (an instant always fits), so nothing is
    # filtered unless the caller allowed only units too coarse for the range.
    finer = _FINEST_FIRST[: _FINEST_FIRST.index(precision) + 1]
    for candidate in reversed(finer):
        if candidate not in precisions:
            continue
        extent = TimeExtent.parse(_text_at(local, candidate), tz=zone)
        if lo <= extent.lo and extent.last <= hi:
            return _spanned(draw, extent, hi) if candidate in _SPANNED else extent
    return reject()  # raises: hypothesis discards this draw


def _spanned(draw: st.DrawFn, extent: TimeExtent, hi: int) -> TimeExtent:
    """``extent``, or (now and then) the whole local days from its first to some
    days past its last, of the same precision, if that still ends by ``hi``."""
    if not draw(_SPAN):
        return extent
    days = draw(_SPAN_DAYS)
    first = extent.earliest.in_timezone(extent.tz).date()
    last = from_epoch_us(extent.last).in_timezone(extent.tz).date()
    try:
        span = TimeExtent.from_dates(
            first, last + _dt.timedelta(days=days), extent.precision, tz=extent.tz
        )
    except (InvalidTimeError, OverflowError):  # past the years held, or the calendar's
        return extent
    return span if span.last <= hi else extent


def time_extents(
    *,
    min_value: _dt.datetime | None = None,
    max_value: _dt.datetime | None = None,
    precisions: Iterable[Precision | str] | None = None,
    timezones: Iterable[str] | None = None,
) -> st.SearchStrategy[TimeExtent]:
    """Extents as people state them: a year, month, ISO week, day, hour or minute in a
    named timezone, or an instant; or a span of whole days.

    Each is built by [`TimeExtent.parse`][conflict_timeline.TimeExtent.parse] from generated text,
    so it is exactly
    one calendar unit in its zone, including the 23-hour and 25-hour days of daylight
    saving time; now and then a day, week or month is widened to a span of whole
    local days running up to 60 days past its last day, of the same precision
    ([`TimeExtent.from_dates`][conflict_timeline.TimeExtent.from_dates]), as the data
    holds them: ACLED's week centred on a date, GED's ``date_start`` to ``date_end``,
    "between 27 September and 31 October". A span shrinks to the single unit.

    Args:
        min_value: An aware datetime; every drawn extent starts at or after it.
            Defaults to 1990-01-01T00:00Z.
        max_value: An aware datetime; every drawn extent ends at or before it.
            Defaults to the end of 2030 (UTC).
        precisions: The precisions to draw; all of them by default.
        timezones: IANA zone names to state extents in;
            [`DEFAULT_TIMEZONES`][conflict_timeline.strategies.DEFAULT_TIMEZONES]
            by default.
    """
    lo = _as_us(min_value, "min_value") if min_value is not None else epoch_us(_DEFAULT_MIN)
    hi = _as_us(max_value, "max_value") if max_value is not None else epoch_us(_DEFAULT_MAX)
    if hi < lo:
        msg = f"min_value {min_value!r} is after max_value {max_value!r}"
        raise InvalidArgument(msg)
    centre = min(max(epoch_us(_CENTRE), lo), hi)
    return _extents(
        lo=lo,
        hi=hi,
        centre=centre,
        precisions=_precisions(precisions),
        zones=_timezones(timezones),
    )


_EXTENTS: Final = time_extents()

# ----------------------------------------------------------------------- provenance


def sources(
    *, published: st.SearchStrategy[TimeExtent | None] | None = None
) -> st.SearchStrategy[Source]:
    """Sources from a few real publishers, with or without a title, url and date.

    Args:
        published: Strategy for ``Source.published``; by default None or any
            [`time_extents`][conflict_timeline.strategies.time_extents].
    """
    when = published if published is not None else _optional(_EXTENTS)
    return st.builds(
        Source,
        publisher=_names(_PUBLISHERS),
        title=_TEXT,
        url=_optional(st.integers(0, 999).map(lambda n: f"https://example.org/{n}")),
        published=when,
    )


_SOURCES: Final = sources()

# Which of (low, best, high) a figure gives: every non-empty subset.
_FIGURE_MASKS: Final = ((False, True, False), (True, False, False), (False, False, True),
                        (True, False, True), (True, True, False), (False, True, True),
                        (True, True, True))  # fmt: skip


@st.composite
def _figures(draw: st.DrawFn) -> Figure:
    values = sorted(draw(st.lists(st.integers(0, 10_000), min_size=3, max_size=3)))
    mask = draw(st.sampled_from(_FIGURE_MASKS))
    low, best, high = (v if keep else None for v, keep in zip(values, mask, strict=True))
    return Figure(low=low, best=best, high=high, as_reported=draw(_OPTIONAL_TEXT))


def figures() -> st.SearchStrategy[Figure]:
    """Counts as sources give them: any non-empty subset of low <= best <= high."""
    return _figures()


_FIGURES: Final = figures()
_CODES: Final = st.builds(
    Codes,
    cameo=st.sampled_from((None, "190", "195", "1823", "0874")),
    plover=st.sampled_from((None, "ASSAULT", "AGREE", "REQUEST")),
    # "Battles" and GED types 1 and 2 make an attack between sides (a clash).
    acled_event_type=st.sampled_from(
        (
            None,
            "Explosions/Remote violence",
            "Battles",
        )
    ),
    acled_sub_event_type=st.sampled_from(
        (
            None,
            "Shelling/artillery/missile",
        )
    ),
    ucdp_type_of_violence=st.sampled_from((None, "1", "2", "3")),
)
_SOURCE_TUPLES: Final = st.lists(_SOURCES, max_size=3).map(tuple)
_PROHIBITIONS: Final = st.lists(st.sampled_from(Prohibition), max_size=2, unique=True).map(tuple)
# The default first: it is what a shrunk attack shows (by leaving it out).
_TARGET_CLASSES: Final = st.sampled_from(
    (TargetClass.UNKNOWN, *(t for t in TargetClass if t is not TargetClass.UNKNOWN))
)
_MEANS: Final = st.sampled_from((None, "rockets", "shelling", "drone"))
COORDINATES: Final = st.builds(
    Coordinates,
    lat=st.floats(-90, 90, allow_nan=False),
    lon=st.floats(-180, 180, allow_nan=False),
)

# ------------------------------------------------------------------------- records


@attrs.frozen
class _Refs:
    """What a record being drawn may refer to, and the times it must keep to.

    The pools hold the ids drawn so far, by what a reference must name. ``starts``
    maps an id to the latest ``occurred.lo`` of any version of that record
    (``commitment_starts`` the same for a commitment, counting its ``effective``):
    a record that *reacts* to another (see `_reacts_to`) does not occur before
    it. ``latest``, set only for a correction's replacement, is the earliest
    ``occurred.lo`` of anything that already reacts to the corrected record: the
    replacement may not move after it.
    """

    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    commitments: tuple[str, ...] = ()
    attacks: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    agreements: tuple[str, ...] = ()
    # Commitments that no CommitmentEnded has ended yet: a commitment ends once.
    open_commitments: tuple[str, ...] = ()
    starts: Mapping[str, int] = attrs.field(factory=dict)
    commitment_starts: Mapping[str, int] = attrs.field(factory=dict)
    latest: int | None = None

    def excluding(self, rid: str) -> _Refs:
        """These refs without ``rid``: no record refers to itself."""

        def drop(ids: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(i for i in ids if i != rid) if rid in ids else ids

        return attrs.evolve(
            self,
            actors=drop(self.actors),
            places=drop(self.places),
            commitments=drop(self.commitments),
            attacks=drop(self.attacks),
            records=drop(self.records),
            agreements=drop(self.agreements),
            open_commitments=drop(self.open_commitments),
        )

    def no_later_than(self, latest: int) -> _Refs:
        """These refs, keeping only what a record occurring by ``latest`` may react to."""

        def keep(ids: tuple[str, ...], table: Mapping[str, int]) -> tuple[str, ...]:
            return tuple(i for i in ids if table.get(i, latest) <= latest)

        return attrs.evolve(
            self,
            commitments=keep(self.commitments, self.starts),
            attacks=keep(self.attacks, self.starts),
            records=keep(self.records, self.starts),
            open_commitments=keep(self.open_commitments, self.commitment_starts),
            latest=latest,
        )

    def after(self, ids: Iterable[str | None], *, ending: bool = False) -> int | None:
        """The earliest ``occurred.lo`` a record reacting to ``ids`` may have."""
        table = self.commitment_starts if ending else self.starts
        found = [table[i] for i in ids if i is not None and i in table]
        return max(found) if found else None


def _dangling_ids(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}-{n}" for n in range(count))


_DANGLING: Final = _Refs(
    actors=_dangling_ids("actor", 5),
    places=_dangling_ids("place", 5),
    commitments=_dangling_ids("commitment", 3),
    attacks=_dangling_ids("attack", 3),
    records=(
        *_dangling_ids("actor", 2),
        *_dangling_ids("attack", 2),
        *_dangling_ids("statement", 2),
        *_dangling_ids("accusation", 2),
        *_dangling_ids("request", 2),
    ),
    agreements=_dangling_ids("agreement", 2),
    open_commitments=_dangling_ids("commitment", 3),
)


# Picking from a pool always makes the same draws, whatever the pool holds: so when
# the shrinker deletes an earlier record (shrinking a pool), the draws of every later
# record keep their meaning and the deletion sticks.
_PICK: Final = st.integers(0, 63)


@functools.cache
def _picks(min_size: int, max_size: int) -> st.SearchStrategy[list[int]]:
    return st.lists(_PICK, min_size=min_size, max_size=max_size)


def _one(draw: st.DrawFn, pool: Sequence[str]) -> str:
    return pool[draw(_PICK) % len(pool)]


def _maybe(draw: st.DrawFn, pool: Sequence[str]) -> str | None:
    present, index = draw(_BOOLEANS), draw(_PICK)
    return pool[index % len(pool)] if present and pool else None


def _some(
    draw: st.DrawFn, pool: Sequence[str], *, min_size: int = 0, max_size: int = 3
) -> tuple[str, ...]:
    indices = draw(_picks(min_size, max_size))
    return tuple(dict.fromkeys(pool[i % len(pool)] for i in indices)) if pool else ()


def _draw_condition(draw: st.DrawFn, places: Sequence[str], actors: Sequence[str]) -> Condition:
    within = _some(draw, places, max_size=2)
    by = _some(draw, actors, max_size=2)
    description = draw(_TEXT)
    against = _some(draw, actors, max_size=2)
    if not within and not against:  # a condition names places, targets or both
        within = tuple(places[:1])
        if not within:
            against = tuple(actors[:1])
    return Condition(
        attack_within=within,
        by=by,
        description=description,
        against=against,
        match=draw(_sampled(("all", "any"))),
    )


@st.composite
def _condition(draw: st.DrawFn) -> Condition:
    return _draw_condition(draw, _DANGLING.places, _DANGLING.actors)


CONDITIONS: Final = _condition()

_MIN_US: Final = epoch_us(_DEFAULT_MIN)


@functools.lru_cache(maxsize=4096)
def _between(lo: int | None, hi: int | None) -> st.SearchStrategy[TimeExtent]:
    """Extents starting at or after ``lo`` and ending by ``hi`` (None: the default range)."""
    if lo is None and hi is None:
        return _EXTENTS
    # A reference to timeless data (an actor, a place) bounds nothing.
    start = from_epoch_us(max(lo, _MIN_US)) if lo is not None else None
    end = from_epoch_us(hi) if hi is not None else None
    return time_extents(min_value=start, max_value=end)


def _common(
    draw: st.DrawFn,
    rid: str,
    refs: _Refs,
    *,
    timeless: bool = False,
    after: int | None = None,
) -> dict[str, Any]:
    """The fields every record has; ``claimed_by`` is often left to the kind's default.

    ``occurred`` starts no earlier than ``after`` (what the record reacts to) and, for
    a correction's replacement, no later than ``refs.latest``.
    """
    fields: dict[str, Any] = {
        "id": rid,
        "sources": draw(_SOURCE_TUPLES),
        "claimed_by": _maybe(draw, refs.actors),
        "status": draw(_sampled(Status)),
        "reported": draw(_optional(_EXTENTS)),
        "codes": draw(_optional(_CODES)),
        "notes": draw(_TEXT),
    }
    when = _between(after, refs.latest)
    # Reference data (actors, places) is usually timeless: leave ``occurred`` out.
    occurred = draw(_optional(when)) if timeless else draw(when)
    if occurred is not None:
        fields["occurred"] = occurred
    return fields


def _actor(draw: st.DrawFn, rid: str, refs: _Refs) -> ActorDefined:
    return ActorDefined(
        **_common(draw, rid, refs, timeless=True),
        name=draw(_ACTOR_NAME),
        actor_kind=draw(_sampled(ActorKind)),
        aliases=draw(_ALIASES),
        affiliation=_maybe(draw, refs.actors),
    )


def _place(draw: st.DrawFn, rid: str, refs: _Refs) -> PlaceDefined:
    return PlaceDefined(
        **_common(draw, rid, refs, timeless=True),
        name=draw(_PLACE_NAME),
        place_kind=draw(_sampled(PlaceKind)),
        aliases=draw(_ALIASES),
        parent=_maybe(draw, refs.places),
        coordinates=draw(_optional(COORDINATES)),
    )


def _control(draw: st.DrawFn, rid: str, refs: _Refs) -> ControlChanged:
    return ControlChanged(
        **_common(draw, rid, refs),
        place=_one(draw, refs.places),
        controller=_one(draw, refs.actors),
    )


def _statement(draw: st.DrawFn, rid: str, refs: _Refs) -> Statement:
    responds_to = _maybe(draw, refs.records)
    return Statement(
        **_common(draw, rid, refs, after=refs.after([responds_to])),
        speaker=_one(draw, refs.actors),
        summary=draw(_SOME_TEXT),
        quote=draw(_OPTIONAL_TEXT),
        responds_to=responds_to,
        place=_maybe(draw, refs.places),
    )


def _request(draw: st.DrawFn, rid: str, refs: _Refs) -> Request:
    invokes = _maybe(draw, refs.commitments)
    requester = _one(draw, refs.actors)
    return Request(
        **_common(draw, rid, refs, after=refs.after([invokes])),
        requester=requester,
        requested_of=_one(draw, [a for a in refs.actors if a != requester]),
        summary=draw(_SOME_TEXT),
        invokes=invokes,
    )


def _commitment(draw: st.DrawFn, rid: str, refs: _Refs) -> Commitment:
    fields = _common(draw, rid, refs)
    effective = draw(_optional(_between(None, refs.latest)))
    starts: TimeExtent = effective if effective is not None else fields["occurred"]
    # ``until`` may not end before ``effective`` begins: draw it from there on.
    later = _between(starts.lo, None)
    condition = None
    if draw(_BOOLEANS) and (refs.places or refs.actors):
        condition = _draw_condition(draw, refs.places, refs.actors)
    return Commitment(
        **fields,
        commitment_kind=draw(_sampled(CommitmentKind)),
        parties=_some(draw, refs.actors, min_size=1),
        beneficiaries=_some(draw, refs.actors, max_size=2),
        announced_by=_some(draw, refs.actors, max_size=2),
        prohibits=draw(_PROHIBITIONS),
        scope=Scope(
            include=_some(draw, refs.places, max_size=2),
            exclude=_some(draw, refs.places, max_size=1),
        ),
        condition=condition,
        effective=effective,
        until=draw(_optional(later)),
        text=draw(_TEXT),
        supersedes=_some(draw, refs.commitments, max_size=2),
        agreement=_maybe(draw, refs.agreements),
    )


def _agreement(draw: st.DrawFn, rid: str, refs: _Refs) -> Agreement:
    signatories = _some(draw, refs.actors, min_size=1)
    return Agreement(
        **_common(draw, rid, refs),
        title=draw(_SOME_TEXT),
        signatories=signatories,
        mediators=tuple(a for a in _some(draw, refs.actors, max_size=2) if a not in signatories),
        guarantors=_some(draw, refs.actors, max_size=2),
        text=draw(_TEXT),
    )


def _confirmation(draw: st.DrawFn, rid: str, refs: _Refs) -> Confirmation:
    confirms = _one(draw, refs.records)
    return Confirmation(
        **_common(draw, rid, refs, after=refs.after([confirms])),
        confirmer=_one(draw, refs.actors),
        confirms=confirms,
        admission=draw(_BOOLEANS),
        summary=draw(_TEXT),
    )


def _commitment_ended(draw: st.DrawFn, rid: str, refs: _Refs) -> CommitmentEnded:
    commitment = _one(draw, refs.open_commitments)
    reason = draw(_sampled(EndReason))
    successor = _maybe(draw, [c for c in refs.commitments if c != commitment])
    if reason is not EndReason.SUPERSEDED:
        successor = None
    return CommitmentEnded(
        # An end comes after its start: not before the commitment was made or took effect.
        **_common(draw, rid, refs, after=refs.after([commitment], ending=True)),
        commitment=commitment,
        reason=reason,
        superseded_by=successor,
    )


def _attack(draw: st.DrawFn, rid: str, refs: _Refs) -> Attack:
    return Attack(
        **_common(draw, rid, refs),
        perpetrator=_maybe(draw, refs.actors),
        target_class=draw(_TARGET_CLASSES),
        target=draw(_TEXT),
        means=draw(_MEANS),
        place=_maybe(draw, refs.places),
        target_actor=_maybe(draw, refs.actors),
        fatalities=draw(_optional(_FIGURES)),
        injured=draw(_optional(_FIGURES)),
    )


def _accusation(draw: st.DrawFn, rid: str, refs: _Refs) -> Accusation:
    # An accusation names incidents, a breached commitment, or both.
    incidents = _some(draw, refs.attacks)
    breach = _maybe(draw, refs.commitments)
    if not incidents and breach is None:
        if refs.commitments:
            breach = refs.commitments[0]
        else:
            incidents = refs.attacks[:1]
    return Accusation(
        **_common(draw, rid, refs, after=refs.after([*incidents, breach])),
        accuser=_one(draw, refs.actors),
        accused=_some(draw, refs.actors, min_size=1, max_size=2),
        incidents=incidents,
        breach_of=breach,
        summary=draw(_TEXT),
    )


def _denial(draw: st.DrawFn, rid: str, refs: _Refs) -> Denial:
    denies = _one(draw, refs.records)
    return Denial(
        **_common(draw, rid, refs, after=refs.after([denies])),
        denier=_one(draw, refs.actors),
        denies=denies,
        summary=draw(_TEXT),
    )


def _observation(draw: st.DrawFn, rid: str, refs: _Refs) -> Observation:
    commitment = _maybe(draw, refs.commitments)
    return Observation(
        **_common(draw, rid, refs, after=refs.after([commitment])),
        monitor=_one(draw, refs.actors),
        violations=draw(_integers(0, 500)),
        place=_maybe(draw, refs.places),
        commitment=commitment,
        attributed_to=_maybe(draw, refs.actors),
        summary=draw(_TEXT),
    )


def _casualties(draw: st.DrawFn, rid: str, refs: _Refs) -> CasualtyReport:
    return CasualtyReport(
        **_common(draw, rid, refs),
        category=draw(_sampled(CasualtyCategory)),
        measure=draw(_sampled(CasualtyMeasure)),
        count=draw(_FIGURES),
        place=_maybe(draw, refs.places),
    )


def _correction(
    draw: st.DrawFn, rid: str, refs: _Refs, target: Record, target_refs: _Refs
) -> Correction:
    # The record as it should read: same id and kind, references as they could be
    # when the original was recorded.
    replacement = _PLAIN_DRAWERS[type(target)](draw, target.id, target_refs)
    return Correction(
        **_common(draw, rid, refs),
        corrects=target.id,
        replacement=cast("AnyRecord", replacement),
        reason=draw(_TEXT),
    )


def _retraction(draw: st.DrawFn, rid: str, refs: _Refs, target: str) -> Retraction:
    return Retraction(**_common(draw, rid, refs), retracts=target, reason=draw(_TEXT))


_Drawer = Callable[[st.DrawFn, str, _Refs], Record]
_PLAIN_DRAWERS: Final[Mapping[type[Record], _Drawer]] = {
    ActorDefined: _actor,
    PlaceDefined: _place,
    ControlChanged: _control,
    Statement: _statement,
    Request: _request,
    Agreement: _agreement,
    Commitment: _commitment,
    CommitmentEnded: _commitment_ended,
    Attack: _attack,
    Accusation: _accusation,
    Denial: _denial,
    Confirmation: _confirmation,
    Observation: _observation,
    CasualtyReport: _casualties,
}


def _reacts_to(record: Record) -> tuple[str, ...]:
    """The ids a record answers, which it therefore cannot precede in valid time."""
    if isinstance(record, CommitmentEnded):
        ids: tuple[str | None, ...] = (record.commitment,)
    elif isinstance(record, Accusation):
        ids = (*record.incidents, record.breach_of)
    elif isinstance(record, Denial):
        ids = (record.denies,)
    elif isinstance(record, Confirmation):
        ids = (record.confirms,)
    elif isinstance(record, Statement):
        ids = (record.responds_to,)
    elif isinstance(record, Request):
        ids = (record.invokes,)
    elif isinstance(record, Observation):
        ids = (record.commitment,)
    else:
        ids = ()
    return tuple(i for i in ids if i is not None)


def kinds_of(kinds: Iterable[type[Record] | str] | None) -> tuple[type[Record], ...]:
    """The record classes ``kinds`` names (classes or kind names, as a view's
    ``kinds`` are), in `RECORD_KINDS` order; every kind for None."""
    if kinds is None:
        return RECORD_KINDS
    if isinstance(kinds, type):
        msg = f"kinds must be an iterable of record classes, got the class {kinds.__name__}"
        raise InvalidArgument(msg)
    if isinstance(kinds, str):
        msg = f"kinds must be an iterable of record kinds, got the string {kinds!r}: "
        msg += f"write [{kinds!r}]"
        raise InvalidArgument(msg)
    by_name = {k.__name__: k for k in RECORD_KINDS}
    wanted = set()
    for kind in kinds:
        found = by_name.get(kind) if isinstance(kind, str) else kind
        if found not in RECORD_KINDS:
            known = ", ".join(by_name)
            msg = f"kinds must be record classes or their names ({known}), got {kind!r}"
            raise InvalidArgument(msg)
        wanted.add(found)
    if not wanted:
        msg = "kinds must name at least one record kind"
        raise InvalidArgument(msg)
    return tuple(k for k in RECORD_KINDS if k in wanted)


def _sizes(min_size: int, max_size: int) -> None:
    for name, value in (("min_size", min_size), ("max_size", max_size)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            msg = f"{name} must be a whole number >= 0, got {value!r}"
            raise InvalidArgument(msg)
    if max_size < min_size:
        msg = f"max_size {max_size} is less than min_size {min_size}"
        raise InvalidArgument(msg)


def _id_of(kind: type[Record]) -> st.SearchStrategy[str]:
    prefix = _PREFIX[kind]
    return st.integers(0, 9).map(lambda n: f"{prefix}-{n}")


@st.composite
def _single(draw: st.DrawFn, kinds: tuple[type[Record], ...]) -> AnyRecord:
    kind = draw(st.sampled_from(kinds))
    rid = draw(_id_of(kind))
    refs = _DANGLING.excluding(rid)
    if kind is Correction:
        target_kind = draw(st.sampled_from(_PLAIN_KINDS))
        target_id = draw(_id_of(target_kind))
        # Only the replacement's id and kind matter here: the original is not drawn.
        target = _PLAIN_DRAWERS[target_kind](draw, target_id, _DANGLING.excluding(target_id))
        record: Record = _correction(draw, rid, refs, target, _DANGLING.excluding(target_id))
    elif kind is Retraction:
        record = _retraction(draw, rid, refs, _one(draw, refs.records))
    else:
        record = _PLAIN_DRAWERS[kind](draw, rid, refs)
    return cast("AnyRecord", record)


def records(*, kinds: Iterable[type[Record] | str] | None = None) -> st.SearchStrategy[AnyRecord]:
    """Any single valid record of the given kinds.

    Its references name short ids (``"actor-0"``, ``"place-3"``) that may dangle:
    use [`timelines`][conflict_timeline.strategies.timelines] for records whose references resolve.

    Args:
        kinds: Record classes (or kind names) to draw (``[Attack, Accusation]``,
            ``["Attack"]``); every kind by
            default.
    """
    return _single(kinds_of(kinds))


# ------------------------------------------------------------------------ timelines


_NEEDS_ACTOR: Final = frozenset(
    {
        Statement,
        Commitment,
        Observation,
        Denial,
        Confirmation,
        Accusation,
        ControlChanged,
        Agreement,
    }
)


def with_prerequisites(kinds: tuple[type[Record], ...]) -> tuple[type[Record], ...]:
    """``kinds`` plus the kinds their required references need."""
    wanted = set(kinds)
    if wanted & _NEEDS_ACTOR or Request in wanted:
        wanted.add(ActorDefined)
    if ControlChanged in wanted:
        wanted |= {ActorDefined, PlaceDefined}
    if CommitmentEnded in wanted:
        wanted |= {Commitment, ActorDefined}
    if Accusation in wanted and not wanted & {Attack, Commitment}:
        wanted.add(Attack)
    if wanted & set(CORRECTING) and not wanted & set(_PLAIN_KINDS):
        wanted.add(ActorDefined)
    return tuple(k for k in RECORD_KINDS if k in wanted)


class History:
    """The records drawn so far, indexed by what later records may refer to.

    [`timelines`][conflict_timeline.strategies.timelines] and
    ``conflict_timeline.testing.TimelineMachine`` both grow a
    history one record at a time: `draw_record` draws the next record (it
    changes nothing), `add` takes it in once it is kept.
    """

    def __init__(self, allowed: tuple[type[Record], ...]) -> None:
        self.allowed = allowed
        self.records: list[Record] = []
        self.by_kind: dict[type[Record], list[str]] = {k: [] for k in RECORD_KINDS}
        self.open_commitments: list[str] = []
        self.targets: list[Record] = []  # records a Correction / Retraction may name
        self.refs_when_drawn: dict[str, _Refs] = {}
        # Over every version of a record (the original and each replacement):
        self.starts: dict[str, int] = {}  # the latest occurred.lo
        self.commitment_starts: dict[str, int] = {}  # ... counting ``effective``
        self.earliest: dict[str, int] = {}  # the earliest occurred.lo
        self.reacted_by: dict[str, set[str]] = {}  # ids of records that react to it

    def refs(self) -> _Refs:
        return _Refs(
            actors=tuple(self.by_kind[ActorDefined]),
            places=tuple(self.by_kind[PlaceDefined]),
            commitments=tuple(self.by_kind[Commitment]),
            attacks=tuple(self.by_kind[Attack]),
            records=tuple(r.id for r in self.records),
            agreements=tuple(self.by_kind[Agreement]),
            open_commitments=tuple(self.open_commitments),
            starts=self.starts,
            commitment_starts=self.commitment_starts,
        )

    def missing(self, kind: type[Record]) -> type[Record] | None:
        """The kind to draw first so that ``kind`` can be drawn, or None if it can."""
        actors = self.by_kind[ActorDefined]
        if not actors and kind in _NEEDS_ACTOR:
            return ActorDefined
        if kind is ControlChanged and not self.by_kind[PlaceDefined]:
            return PlaceDefined
        if kind is Request and len(actors) < 2:
            return ActorDefined
        if kind is CommitmentEnded and not self.open_commitments:
            return Commitment
        if kind is Accusation and not (self.by_kind[Attack] or self.by_kind[Commitment]):
            return Attack if Attack in self.allowed else Commitment
        if kind in CORRECTING and not self.targets:
            return next(k for k in self.allowed if k not in CORRECTING)
        return None

    def feasible(self, kind: type[Record]) -> type[Record]:
        """``kind``, or the prerequisite to draw in its place."""
        while (first := self.missing(kind)) is not None:
            kind = first
        return kind

    def new_id(self, kind: type[Record]) -> str:
        return f"{_PREFIX[kind]}-{len(self.by_kind[kind])}"

    def replacement_refs(self, target: Record) -> _Refs:
        """What a correction's replacement of ``target`` may refer to, and when it may be.

        The references it could have had when it was recorded, less anything that
        began after what already reacts to it, since the replacement must still come
        before those reactions.
        """
        refs = attrs.evolve(
            self.refs_when_drawn[target.id],
            starts=self.starts,
            commitment_starts=self.commitment_starts,
        )
        if isinstance(target, CommitmentEnded):
            # The corrected ending still ends the same commitment.
            refs = attrs.evolve(refs, open_commitments=(target.commitment,))
        reactions = self.reacted_by.get(target.id)
        if reactions:
            refs = refs.no_later_than(min(self.earliest[r] for r in reactions))
        return refs

    def draw_record(self, draw: st.DrawFn, kind: type[Record]) -> AnyRecord:
        """The next record of ``kind``, which must be feasible; the history is unchanged."""
        rid = self.new_id(kind)
        refs = self.refs()
        record: Record
        if kind is Correction:
            target = self.targets[draw(_PICK) % len(self.targets)]
            record = _correction(draw, rid, refs, target, self.replacement_refs(target))
        elif kind is Retraction:
            record = _retraction(draw, rid, refs, _one(draw, [t.id for t in self.targets]))
        else:
            record = _PLAIN_DRAWERS[kind](draw, rid, refs)
        return cast("AnyRecord", record)

    def add(self, record: Record) -> None:
        """Take in a record drawn by `draw_record` (or one like it)."""
        self.refs_when_drawn[record.id] = self.refs()
        self.records.append(record)
        self.by_kind[type(record)].append(record.id)
        if isinstance(record, Commitment):
            self.open_commitments.append(record.id)
        elif isinstance(record, CommitmentEnded):
            self.open_commitments.remove(record.commitment)
        if not isinstance(record, CORRECTING):
            self.targets.append(record)
        self._version(record)
        if isinstance(record, Correction):
            self._version(record.replacement)

    def _version(self, record: Record) -> None:
        rid, lo = record.id, record.occurred.lo
        self.starts[rid] = max(self.starts.get(rid, lo), lo)
        self.earliest[rid] = min(self.earliest.get(rid, lo), lo)
        if isinstance(record, Commitment):
            start = max(lo, record.starts.lo)
            self.commitment_starts[rid] = max(self.commitment_starts.get(rid, start), start)
        for target in _reacts_to(record):
            self.reacted_by.setdefault(target, set()).add(rid)


@st.composite
def _grown(draw: st.DrawFn, history: History, min_size: int) -> AnyRecord | None:
    """One more record for ``history``, taken in as it is drawn; or None, for none.

    The first choice is the kind, and its simplest value (None) means "no record
    here". So the shrinker deletes a record by making its draws trivial, which it
    tries for every record, leaving two choices it then drops; it cannot otherwise
    delete one record's many draws from the middle of a list.
    """
    kind = draw(_sampled((None, *history.allowed)))
    if kind is None:
        if len(history.records) >= min_size:
            return None
        kind = history.allowed[0]
    record = history.draw_record(draw, history.feasible(kind))
    history.add(record)
    return record


@st.composite
def _grow(draw: st.DrawFn, history: History, min_size: int, max_size: int) -> list[AnyRecord]:
    slots = st.lists(_grown(history, min_size), min_size=min_size, max_size=max_size)
    return [record for record in draw(slots) if record is not None]


@st.composite
def _timelines(
    draw: st.DrawFn, min_size: int, max_size: int, kinds: tuple[type[Record], ...]
) -> list[AnyRecord]:
    # ``st.lists`` draws its elements in order, one at a time, so each record sees
    # the ones before it. A kind that cannot be drawn yet (an accusation before any
    # attack) becomes the prerequisite it lacks, so what is left after the shrinker
    # deletes a record is still consistent.
    return draw(_grow(History(with_prerequisites(kinds)), min_size, max_size))


def timelines(
    *,
    min_size: int = 0,
    max_size: int = 30,
    kinds: Iterable[type[Record] | str] | None = None,
) -> st.SearchStrategy[list[AnyRecord]]:
    """Lists of records that form a consistent history, in append order.

    What "consistent" means:

    * Every id a record refers to (see
      [`conflict_timeline.references`][conflict_timeline.references]) is the
      id of an earlier record of the right kind: actors are ``ActorDefined``, places
      ``PlaceDefined``, commitments ``Commitment``, an accusation's incidents
      ``Attack``; any other reference names any earlier record. So the list appends
      to a store with ``strict=True``, in order.
    * Affiliations and de jure parents point at earlier actors and places, so both
      relations are trees.
    * A commitment's ``until`` ends no earlier than it takes effect; a commitment is
      ended at most once, by a ``CommitmentEnded`` that occurs no earlier than the
      commitment was made or took effect.
    * A record that answers another does not occur before it: an accusation before
      its incidents or the commitment it says was breached, a denial before what it
      denies, a statement before what it responds to, a request before the
      commitment it invokes, an observation before the commitment it monitors.
    * A ``Correction`` or ``Retraction`` names an earlier record that is neither; a
      correction's replacement has the id and kind of what it corrects, refers only
      to what the original could, and keeps every rule above, for every version.

    Ids are unique and readable: ``"actor-0"``, ``"attack-3"`` (numbered per kind).
    Otherwise valid time is drawn independently of append order, as in real logs
    where old events are recorded late, and knowledge time (``reported``, a source's
    ``published``) independently of valid time.

    Args:
        min_size: The fewest records.
        max_size: The most records.
        kinds: The record kinds to draw (classes or kind names, as for
            [`records`][conflict_timeline.strategies.records]); every kind by
            default. The kinds their required references need are added
            (``ActorDefined`` for a ``Statement``, ``Commitment`` for a
            ``CommitmentEnded``, ...).
    """
    _sizes(min_size, max_size)
    return _timelines(min_size, max_size, kinds_of(kinds))


def _reference_data(
    kind: type[Record], min_size: int, max_size: int
) -> st.SearchStrategy[list[AnyRecord]]:
    return st.builds(History, st.just((kind,))).flatmap(
        lambda history: _grow(history, min_size, max_size)
    )


def actors(*, min_size: int = 1, max_size: int = 8) -> st.SearchStrategy[list[ActorDefined]]:
    """Lists of actor definitions, each affiliated (or not) with an earlier one.

    Affiliations form a forest: following ``affiliation`` from any actor ends, so
    [`conflict_timeline.affiliated`][conflict_timeline.affiliated] always answers. Ids are
    ``"actor-0"``,
    ``"actor-1"``, ... in order; ``claimed_by`` names an earlier actor or none.

    Args:
        min_size: The fewest actors.
        max_size: The most actors.
    """
    _sizes(min_size, max_size)
    return cast(
        "st.SearchStrategy[list[ActorDefined]]", _reference_data(ActorDefined, min_size, max_size)
    )


def places(*, min_size: int = 1, max_size: int = 8) -> st.SearchStrategy[list[PlaceDefined]]:
    """Lists of place definitions forming consistent de jure trees.

    Each place's ``parent`` is an earlier place or none, so no place is its own
    ancestor and [`conflict_timeline.is_within`][conflict_timeline.is_within] always answers. Ids
    are
    ``"place-0"``, ``"place-1"``, ... in order; nothing else is referred to, so the
    list appends to an empty store with ``strict=True``.

    Args:
        min_size: The fewest places.
        max_size: The most places.
    """
    _sizes(min_size, max_size)
    return cast(
        "st.SearchStrategy[list[PlaceDefined]]", _reference_data(PlaceDefined, min_size, max_size)
    )
