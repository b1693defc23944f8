"""Time with honest precision.

A [`TimeExtent`][conflict_timeline.TimeExtent] says *when something could have happened*: between
``earliest``
and ``latest`` (UTC), with the precision the source gave. ``"2020-10-31"`` in
Yerevan is the whole local day, never a fake midnight.

Bounds rule: a range is half-open, ``[earliest, latest)``: ``latest`` is the first
instant after the extent (so the day 2020-10-31 in Asia/Yerevan runs from
2020-10-30T20:00Z to 2020-10-31T20:00Z). An instant has ``earliest == latest``.
Internally every extent also keeps its bounds as integer epoch microseconds: ``lo``
(the first microsecond inside) and ``last`` (the last microsecond inside), so that
comparisons, storage and SQL range cuts are plain integer work.

A query cut ``T`` is an inclusive instant ("by T"). A date given as a cut means the
end of that day: its last microsecond. Then an extent has *possibly* occurred by T
when ``lo <= T`` and *certainly* when ``last <= T``.
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import re
import zoneinfo
from typing import Any, ClassVar, Final, Literal, cast

import attrs
import pendulum

from .errors import InvalidTimeError, QueryError

__all__ = [
    "Precision",
    "TimeExtent",
    "cut_instant",
    "is_zone",
    "read_wall_clock",
    "start_instant",
    "to_cut",
    "to_utc",
    "wall_clock_text",
]

_UTC: Final = pendulum.UTC
_EPOCH_ORDINAL: Final = _dt.date(1970, 1, 1).toordinal()
_LAST_ORDINAL: Final = _dt.date.max.toordinal()
_US_PER_DAY: Final = 86_400_000_000


class Precision(enum.Enum):
    """How precisely a time is known, from finest to coarsest."""

    INSTANT = "instant"
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


def epoch_us(value: _dt.datetime) -> int:
    """Integer microseconds since 1970-01-01T00:00Z of an aware datetime.

    Pure integer arithmetic on the UTC fields: exact, and several times faster than
    ``timestamp()`` (which goes through a float).
    """
    # pendulum's UTC zone answers utcoffset() slowly (~1.5 us); its offset is always 0.
    off = None if type(value) is pendulum.DateTime and value.tzinfo is _UTC else value.utcoffset()
    us = (
        (value.toordinal() - _EPOCH_ORDINAL) * _US_PER_DAY
        + (value.hour * 3600 + value.minute * 60 + value.second) * 1_000_000
        + value.microsecond
    )
    if off:
        us -= off.days * _US_PER_DAY + off.seconds * 1_000_000 + off.microseconds
    return us


# The last conversion: every record of one append shares its ``recorded_at``, so
# reading a batch back converts the same instant thousands of times in a row.
_last_epoch: tuple[int, pendulum.DateTime] = (0, pendulum.DateTime(1970, 1, 1, tzinfo=_UTC))


def from_epoch_us(us: int) -> pendulum.DateTime:
    """The UTC pendulum ``DateTime`` of integer epoch microseconds."""
    global _last_epoch  # noqa: PLW0603 - a one-entry cache of an immutable value
    last = _last_epoch
    if last[0] == us:
        return last[1]
    days, rest = divmod(us, _US_PER_DAY)
    d = _dt.date.fromordinal(days + _EPOCH_ORDINAL)
    secs, micro = divmod(rest, 1_000_000)
    h, rem = divmod(secs, 3600)
    m, s = divmod(rem, 60)
    value = pendulum.DateTime(d.year, d.month, d.day, h, m, s, micro, tzinfo=_UTC)
    _last_epoch = (us, value)
    return value


def to_utc(value: _dt.datetime, *, what: str = "datetime") -> pendulum.DateTime:
    """An aware datetime (stdlib or pendulum) as a UTC pendulum ``DateTime``.

    Raises:
        InvalidTimeError: for a naive datetime, which names no instant.
    """
    if type(value) is pendulum.DateTime and value.tzinfo is _UTC:
        return value  # already what is wanted: the common case, without an offset lookup
    if not isinstance(value, _dt.datetime):
        msg = f"{what} must be an aware datetime, got {type(value).__name__} {value!r}"
        raise InvalidTimeError(msg)
    if value.tzinfo is None or value.utcoffset() is None:
        msg = (
            f"{what} {value.isoformat()!r} is naive: it names no instant. "
            "Give a timezone (e.g. tzinfo=pendulum.UTC) or use TimeExtent.parse(..., tz=...)."
        )
        raise InvalidTimeError(msg)
    if isinstance(value, pendulum.DateTime) and value.tzinfo is _UTC:
        return value
    return from_epoch_us(epoch_us(value))


@functools.lru_cache(maxsize=256)
def is_zone(name: str) -> bool:
    """Is ``name`` a zone pendulum knows (what `TimeExtent.tz` must be)?"""
    # Cached: loading a zone costs ~20 us, and every TimeExtent checks its tz.
    try:
        pendulum.timezone(name)
    except Exception:  # pendulum raises its own InvalidTimezone / ValueError
        return False
    return True


def zone_hint(tz: object, example: str = "Asia/Yerevan") -> str:
    """What to write instead of ``tz``, a zone no one knows: the IANA name it spells
    in other capitals (``asia/baku``: ``'Asia/Baku'``), else an example."""
    if isinstance(tz, str):
        wanted = tz.strip().casefold()
        for name in sorted(zoneinfo.available_timezones()):
            if name.casefold() == wanted:
                return f"did you mean {name!r}? (IANA names are written in their capitals)"
    return f"use an IANA name such as {example!r} or 'UTC'"


@functools.lru_cache(maxsize=256)
def _timezone(tz: str) -> pendulum.Timezone | pendulum.FixedTimezone:
    # Cached: pendulum.timezone() reads the zone file every time (~40 us a call).
    try:
        return pendulum.timezone(tz)
    except Exception as exc:  # pendulum raises its own InvalidTimezone / ValueError
        msg = f"unknown timezone {tz!r}: {zone_hint(tz)}"
        raise InvalidTimeError(msg) from exc


_OFFSET: Final = r"(Z|[+-]\d{2}(?::?\d{2})?)?"
"""An hour or a minute may end in its UTC offset: that hour or minute at the offset."""
_PATTERNS: Final = (
    (re.compile(r"^(\d{4})$"), Precision.YEAR),
    (re.compile(r"^(\d{4})-(\d{2})$"), Precision.MONTH),
    (re.compile(r"^(\d{4})-W(\d{2})$"), Precision.WEEK),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), Precision.DAY),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2})" + _OFFSET + "$"), Precision.HOUR),
    (
        re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})" + _OFFSET + "$"),
        Precision.MINUTE,
    ),
    # ISO 8601's basic format, without separators: the same units (a minute also
    # with its colon, ``20201031T14:05``: pendulum reads that as the instant 14:05:00).
    # A date is wholly basic or wholly extended (``2020-1031`` is neither: refused).
    (re.compile(r"^(\d{4})W(\d{2})$"), Precision.WEEK),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), Precision.DAY),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})[T ](\d{2})" + _OFFSET + "$"), Precision.HOUR),
    (
        re.compile(r"^(\d{4})(\d{2})(\d{2})[T ](\d{2}):?(\d{2})" + _OFFSET + "$"),
        Precision.MINUTE,
    ),
)
"""What `TimeExtent.parse` reads with the precision it states: the unit's fields,
then, for an hour or a minute, its offset (None: none); in ISO 8601's extended format
(``2020-10-31T14:05``) or its basic one (``20201031T1405``)."""
_CLOCK: Final = (Precision.HOUR, Precision.MINUTE)


def _offset_zone(text: str, offset: str) -> pendulum.FixedTimezone:
    """The fixed zone of an offset as written (``Z``, ``+04``, ``+0400``, ``-05:30``)."""
    if offset == "Z":
        return pendulum.FixedTimezone(0)
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        msg = f"cannot parse time {text!r}: {offset} is not a UTC offset"
        raise InvalidTimeError(msg)
    seconds = hours * 3600 + minutes * 60
    return pendulum.FixedTimezone(-seconds if offset[0] == "-" else seconds)


_Zone = pendulum.Timezone | pendulum.FixedTimezone
_EPOCH: Final = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_MAX_US: Final = epoch_us(_dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=_dt.UTC))


class _NonexistentError(Exception):
    """A local time that the clocks skipped (a DST gap)."""


def _wall_us(wall: _dt.datetime) -> int:
    """A naive local time's fields as if they were UTC, in epoch microseconds."""
    return epoch_us(wall.replace(tzinfo=_dt.UTC))


def _wall_at(us: int, zone: _Zone) -> _dt.datetime:
    """The naive local time shown by the clocks of ``zone`` at instant ``us``."""
    when = _EPOCH + _dt.timedelta(microseconds=us)
    return when.astimezone(zone).replace(tzinfo=None)


@functools.lru_cache(maxsize=4096)  # imports read the same few days over and over
def _readings(wall: _dt.datetime, zone: _Zone) -> tuple[int, ...]:
    """Every instant at which the clocks of ``zone`` show ``wall``, earliest first.

    One for an ordinary local time, two in a DST overlap (the hour shown twice),
    none in a DST gap (the hour skipped).
    """
    base = _wall_us(wall)
    offsets = [wall.replace(tzinfo=zone, fold=fold).utcoffset() for fold in (0, 1)]
    if offsets[0] == offsets[1]:
        # Both folds agree only where the clocks did not change: one reading.
        offsets.pop()
    found = set()
    for offset in offsets:
        if offset is None:  # pragma: no cover - every zone pendulum gives has offsets
            continue
        us = base - offset // _dt.timedelta(microseconds=1)
        if not TimeExtent.TIMELESS_US <= us <= _MAX_US:
            msg = "the instant leaves the years 1-9999 in UTC"
            raise OverflowError(msg)
        if len(offsets) == 1 or _wall_at(us, zone) == wall:
            found.add(us)
    return tuple(sorted(found))


def _first_reaching(wall: _dt.datetime, zone: _Zone, after: int | None) -> int:
    """The first instant (after ``after``, if given) whose local time is ``wall`` or,
    when the clocks skipped ``wall``, the instant they skipped it (the gap's end)."""
    candidates = [us for us in _readings(wall, zone) if after is None or us > after]
    if candidates:
        return candidates[0]
    # In a gap: the clocks show less than ``wall`` before the jump and more after it.
    # Read with the offset after the jump and the one before, ``wall`` brackets it.
    base = _wall_us(wall)
    offsets = [wall.replace(tzinfo=zone, fold=f).utcoffset() or _dt.timedelta() for f in (0, 1)]
    bounds = sorted(base - o // _dt.timedelta(microseconds=1) for o in offsets)
    lo, hi = bounds[0], bounds[1]
    if lo == hi or _wall_at(hi, zone) < wall:
        # Not in a gap, and no reading after ``after``: the whole unit was skipped
        # (Pacific/Apia went from 29 to 31 December 2011).
        raise _NonexistentError
    while hi - lo > 1:  # the first microsecond whose local time is past ``wall``
        mid = (lo + hi) // 2
        if _wall_at(mid, zone) >= wall:
            hi = mid
        else:
            lo = mid
    if after is not None and hi <= after:  # the unit lies wholly inside the gap
        raise _NonexistentError
    return hi


def _unit_start(groups: tuple[str, ...], precision: Precision) -> _dt.datetime:
    """The local (naive) time a unit starts at; ValueError for a date that is none."""
    nums = [int(g) for g in groups]
    if precision is Precision.WEEK:
        year, week = nums
        return _dt.datetime.combine(_dt.date.fromisocalendar(year, week, 1), _dt.time())
    while len(nums) < 5:  # year -> Jan 1, month -> day 1, day -> 00:00
        nums.append(1 if len(nums) < 3 else 0)
    year, month, day, hour, minute = nums
    return _dt.datetime(year, month, day, hour, minute)  # noqa: DTZ001 - local wall time


def _next_unit(start: _dt.datetime, precision: Precision) -> _dt.datetime:
    """The local time the next unit starts at; ValueError/OverflowError past 9999."""
    if precision is Precision.YEAR:
        return start.replace(year=start.year + 1)
    if precision is Precision.MONTH:
        if start.month == 12:
            return start.replace(year=start.year + 1, month=1)
        return start.replace(month=start.month + 1)
    step = {
        Precision.WEEK: _dt.timedelta(days=7),
        Precision.DAY: _dt.timedelta(days=1),
        Precision.HOUR: _dt.timedelta(hours=1),
        Precision.MINUTE: _dt.timedelta(minutes=1),
    }[precision]
    return start + step


def _local_span(
    start: _dt.datetime, end: _dt.datetime, zone: _Zone, *, whole_units: bool
) -> tuple[int, int]:
    """The instants ``[lo, hi)`` whose local time lies in ``[start, end)``.

    The unit starts at the first reading of ``start`` (or, when the clocks skipped
    it, where they skipped it: a day whose midnight does not exist starts at the
    gap's end) and ends where the clocks, after the *last* reading of ``start``,
    first reach ``end``: the start of the next unit. A local time shown twice (a DST
    overlap) covers both readings.

    Raises:
        _NonexistentError: ``start`` falls in a gap and ``whole_units`` is False (an hour
            or a minute the clocks skipped names no time).
    """
    readings = _readings(start, zone)
    if not readings:
        if not whole_units:
            raise _NonexistentError
        readings = (_first_reaching(start, zone, None),)
    return readings[0], _first_reaching(end, zone, readings[-1])


def _check_aware(inst: TimeExtent, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, _dt.datetime):
        msg = f"TimeExtent.{attribute.name} must be an aware datetime, got {value!r}"
        raise InvalidTimeError(msg)


def _utc_converter(value: Any) -> Any:
    # Runs before validation: convert what is convertible, let the validator and
    # to_utc() word the error for anything else.
    if isinstance(value, _dt.datetime):
        return to_utc(value, what="TimeExtent bound")
    if isinstance(value, str):
        msg = (
            f"TimeExtent bound {value!r} is a string: use TimeExtent.parse({value!r}) "
            "or give an aware datetime"
        )
        raise InvalidTimeError(msg)
    return value


def _precision_converter(value: Any) -> Any:
    if isinstance(value, Precision):
        return value
    try:
        return Precision(value)
    except ValueError:
        known = ", ".join(p.value for p in Precision)
        msg = f"unknown precision {value!r}: expected one of {known}"
        raise InvalidTimeError(msg) from None


@attrs.frozen(eq=False, order=False, repr=False)
class TimeExtent:
    """When something could have happened, with the precision it is known to.

    Attributes:
        earliest: First instant the extent covers (UTC).
        latest: First instant after the extent (UTC); equals ``earliest`` for an instant.
        precision: The precision the source gave.
        tz: The IANA timezone the extent was stated in; used to show it, never to
            compute with it (the bounds are already UTC).
    """

    earliest: pendulum.DateTime = attrs.field(converter=_utc_converter, validator=_check_aware)
    latest: pendulum.DateTime = attrs.field(converter=_utc_converter, validator=_check_aware)
    precision: Precision = attrs.field(converter=_precision_converter)
    tz: str = attrs.field(default="UTC")
    lo: int = attrs.field(init=False)
    last: int = attrs.field(init=False)
    # The zone-less text a record field was given as, when it was (read_wall_clock);
    # never stored, compared or shown. Unset on extents built any other way.
    _wall_clock: str | None = attrs.field(init=False, default=None, repr=False, eq=False)

    TIMELESS_US: ClassVar[int] = epoch_us(_dt.datetime(1, 1, 1, tzinfo=_dt.UTC))

    def __attrs_post_init__(self) -> None:
        lo = epoch_us(self.earliest)
        hi = epoch_us(self.latest)
        if hi < lo:
            msg = (
                f"TimeExtent earliest {self.earliest.isoformat()} is after latest "
                f"{self.latest.isoformat()}: the bounds are reversed"
            )
            raise InvalidTimeError(msg)
        if not isinstance(self.tz, str) or not self.tz or not is_zone(self.tz):
            # str() and the local reading of the bounds need a zone pendulum knows.
            msg = f"TimeExtent.tz must be an IANA timezone name, got {self.tz!r}"
            raise InvalidTimeError(msg)
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "last", hi - 1 if hi > lo else hi)

    # ----------------------------------------------------------------- building

    @classmethod
    def _of_us(cls, lo: int, hi: int, precision: Precision | str, tz: str = "UTC") -> TimeExtent:
        """``cls(from_epoch_us(lo), from_epoch_us(hi), precision, tz=tz)``, the same
        extent, built without the converters: bounds from `from_epoch_us` are UTC
        pendulum DateTimes already and their epoch microseconds are known (3.7 -> 1 us;
        importers build one or two extents a row). Anything the checks would refuse,
        and a subclass, goes through the constructor, which words the error."""
        earliest, latest = from_epoch_us(lo), from_epoch_us(hi)
        if (
            cls is not TimeExtent
            or type(precision) is not Precision
            or hi < lo
            or type(tz) is not str
            or not tz
            or not is_zone(tz)
        ):
            return cls(earliest, latest, precision, tz=tz)
        return assembled_extent(earliest, latest, lo, hi, precision, tz)

    @classmethod
    def parse(cls, text: str, *, tz: str = "UTC") -> TimeExtent:
        """Parse what a person types, keeping the precision it states.

        ``"2020"`` is the whole year, ``"2020-10"`` the month, ``"2020-W44"`` the ISO
        week, ``"2020-10-31"`` the day, ``"2020-10-31T14"`` the hour and
        ``"2020-10-31T14:05"`` the minute, each in ``tz`` (also in ISO 8601's basic
        format: ``"2020W44"``, ``"20201031"``, ``"20201031T14"``,
        ``"20201031T1405"``); an hour or minute with
        its UTC offset is that hour or minute at the offset (``"2020-10-31T14+04:00"``
        is the hour from 10:00 UTC: an offset names the zone, not a finer time). A
        timestamp with seconds (``"2020-10-31T14:05:09+04:00"``) is an instant;
        without an offset it is read in ``tz``.

        Raises:
            InvalidTimeError: quoting the text, when it is none of these.
        """
        if not isinstance(text, str):
            msg = f"TimeExtent.parse expects a string, got {type(text).__name__} {text!r}"
            raise InvalidTimeError(msg)
        zone = _timezone(tz)
        stripped = text.strip()
        if stripped.lower() == "now":
            msg = (
                f"cannot parse time {text!r}: 'now' changes every time it is read; "
                "give the date or timestamp it stands for"
            )
            raise InvalidTimeError(msg)
        for pattern, precision in _PATTERNS:
            m = pattern.match(stripped)
            if m is None:
                continue
            clock = precision in _CLOCK  # an hour or a minute: perhaps with its offset
            groups: tuple[str | None, ...] = m.groups()  # the offset is None when absent
            offset = groups[-1] if clock else None
            fields = cast("tuple[str, ...]", groups[:-1] if clock else groups)
            where = zone if offset is None else _offset_zone(text, offset)
            try:
                start = _unit_start(fields, precision)
            except ValueError as exc:  # "2020-13", "2021-02-30", "2020-W54"
                msg = f"cannot parse time {text!r}: {exc}"
                raise InvalidTimeError(msg) from None
            try:
                end = _next_unit(start, precision)
                lo, hi = _local_span(start, end, where, whole_units=not clock)
            except _NonexistentError:
                raise InvalidTimeError(_skipped(text, tz)) from None
            except (OverflowError, ValueError) as exc:
                raise InvalidTimeError(_out_of_range(text, tz, exc)) from None
            return cls._of_us(lo, hi, precision, tz=tz)
        try:
            parsed = pendulum.parse(stripped, tz=None, exact=True)
        except Exception as exc:  # pendulum raises ParserError and ValueError variants
            msg = (
                f"cannot parse time {text!r}: expected YYYY, YYYY-MM, YYYY-Www, YYYY-MM-DD, "
                f"YYYY-MM-DDTHH[:MM] or a full ISO 8601 timestamp ({exc})"
            )
            raise InvalidTimeError(msg) from None
        if not isinstance(parsed, _dt.datetime):
            # ISO 8601's other dates ("2020-305", "2020-W44-6") are dates, but not in a
            # form read with the precision it states.
            msg = f"cannot parse time {text!r}: " + (
                "write a date as YYYY, YYYY-MM, YYYY-Www or YYYY-MM-DD"
                if isinstance(parsed, _dt.date)
                else "it is not a date or timestamp"
            )
            raise InvalidTimeError(msg)
        try:
            if parsed.tzinfo is not None:
                return cls.instant(parsed, tz=tz)
            wall = _dt.datetime(*parsed.timetuple()[:6], parsed.microsecond)  # noqa: DTZ001
            readings = _readings(wall, zone)
        except InvalidTimeError:
            raise
        except (ValueError, OverflowError) as exc:  # in UTC it leaves the years 1..9999
            raise InvalidTimeError(_out_of_range(text, tz, exc)) from None
        if not readings:
            raise InvalidTimeError(_skipped(text, tz))
        # Shown twice (a DST overlap): the extent covers both readings.
        lo, last = readings[0], readings[-1]
        return cls._of_us(lo, last + (last > lo), Precision.INSTANT, tz=tz)

    @classmethod
    def instant(cls, when: _dt.datetime, *, tz: str | None = None) -> TimeExtent:
        """A point in time, known to the instant."""
        utc = to_utc(when, what="instant")
        name = tz if tz is not None else _tz_name(when)
        return cls(utc, utc, Precision.INSTANT, tz=name)

    @classmethod
    def between(
        cls,
        earliest: _dt.datetime,
        latest: _dt.datetime,
        precision: Precision | str,
        *,
        tz: str = "UTC",
    ) -> TimeExtent:
        """Explicit bounds: ``[earliest, latest)`` with a stated precision."""
        return cls(earliest, latest, precision, tz=tz)

    @classmethod
    def after(
        cls,
        when: _dt.datetime | TimeExtent | str,
        *,
        days: int = 0,
        hours: int = 0,
        minutes: int = 0,
        tz: str | None = None,
    ) -> TimeExtent:
        """Within a span after ``when``: "within twelve hours after the truce began".

        The extent runs from ``when``'s earliest instant to its latest instant plus
        the span (``days``, ``hours`` and ``minutes`` added as elapsed time, so a
        daylight-saving change does not stretch it). ``when`` may be an aware
        datetime, a [`TimeExtent`][conflict_timeline.TimeExtent] (a truce's ``effective``) or text
        read in
        ``tz`` (UTC by default). The precision is the coarsest unit that fits in the
        span: ``minute`` below an hour, ``hour`` below a day, else ``day``. The
        extent is shown in ``tz``, else in ``when``'s zone.

        Raises:
            InvalidTimeError: for a span that is not positive, or leaves the years
                1..9999.
        """
        for name, value in (("days", days), ("hours", hours), ("minutes", minutes)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                msg = f"TimeExtent.after: {name} must be a whole number >= 0, got {value!r}"
                raise InvalidTimeError(msg)
        span = _dt.timedelta(days=days, hours=hours, minutes=minutes)
        if span <= _dt.timedelta(0):
            msg = "TimeExtent.after needs a positive span: give days=, hours= or minutes="
            raise InvalidTimeError(msg)
        if isinstance(when, str):
            base = cls.parse(when, tz=tz or "UTC")
        elif isinstance(when, TimeExtent):
            base = when
        else:
            base = cls.instant(when, tz=tz)
        try:
            end = base.latest + span
        except OverflowError:
            msg = f"TimeExtent.after: {base} plus {span} leaves the year 9999"
            raise InvalidTimeError(msg) from None
        if span < _dt.timedelta(hours=1):
            precision = Precision.MINUTE
        elif span < _dt.timedelta(days=1):
            precision = Precision.HOUR
        else:
            precision = Precision.DAY
        return cls(base.earliest, end, precision, tz=tz or base.tz)

    @classmethod
    def timeless(cls) -> TimeExtent:
        """An extent that holds at every date: for reference data such as a place's name.

        Its bounds are the first instant of year 1, so it has certainly occurred by any
        cut a query can name.
        """
        return cls._of_us(cls.TIMELESS_US, cls.TIMELESS_US, Precision.INSTANT)

    @classmethod
    def from_dates(
        cls, start: _dt.date, end: _dt.date, precision: Precision | str, *, tz: str = "UTC"
    ) -> TimeExtent:
        """Whole local days from ``start`` through ``end`` (both inclusive)."""
        zone = _timezone(tz)
        if end < start:
            msg = f"date range {start.isoformat()}..{end.isoformat()} ends before it starts"
            raise InvalidTimeError(msg)
        if tz == "UTC" and (last := _dt.date.toordinal(end)) < _LAST_ORDINAL:
            # UTC's clocks never change: its local midnights are the epoch's whole days,
            # the bounds `_local_span` finds (importers build a day or two a row). The
            # last day of the calendar (no day after it) takes the path below, which
            # words its error.
            lo = (_dt.date.toordinal(start) - _EPOCH_ORDINAL) * _US_PER_DAY
            hi = (last + 1 - _EPOCH_ORDINAL) * _US_PER_DAY
            return cls._of_us(lo, hi, precision, tz=tz)
        try:
            first = _dt.datetime(start.year, start.month, start.day)  # noqa: DTZ001 - local
            after = _dt.datetime(end.year, end.month, end.day) + _dt.timedelta(days=1)  # noqa: DTZ001
            lo, hi = _local_span(first, after, zone, whole_units=True)
        except _NonexistentError:
            msg = (
                f"date range {start.isoformat()}..{end.isoformat()} does not exist in {tz} "
                "(the clocks skipped those days)"
            )
            raise InvalidTimeError(msg) from None
        except (ValueError, OverflowError):  # the day after 9999-12-31
            msg = (
                f"date range {start.isoformat()}..{end.isoformat()} in {tz} reaches outside "
                "the years 1-9999 (in UTC or in local time), the years this library holds"
            )
            raise InvalidTimeError(msg) from None
        return cls._of_us(lo, hi, precision, tz=tz)

    @classmethod
    def from_acled(
        cls, event_date: str, time_precision: int | str, *, tz: str = "UTC"
    ) -> TimeExtent:
        """ACLED's ``event_date`` and ``time_precision`` (1 the day, 2 the week centred
        on it, 3 its month). The rules live with the ACLED importer
        (`conflict_timeline.importers.acled.from_acled`); a numeric date is
        read day first, as ACLED writes it."""
        from .importers.acled import from_acled  # noqa: PLC0415 - the importer imports this

        return from_acled(event_date, time_precision, tz=tz)

    @classmethod
    def from_ucdp(
        cls, date_start: str, date_end: str, date_prec: int | str, *, tz: str = "UTC"
    ) -> TimeExtent:
        """UCDP GED's ``date_start``, ``date_end`` and ``date_prec`` (1-5): the whole
        days from start through end, with the precision the source gave. The rules
        live with the GED importer (`conflict_timeline.importers.ucdp.from_ucdp`)."""
        from .importers.ucdp import from_ucdp  # noqa: PLC0415 - the importer imports this

        return from_ucdp(date_start, date_end, date_prec, tz=tz)

    # ---------------------------------------------------------------- questions

    def possibly_by(self, when: _dt.datetime | TimeExtent | str) -> bool:
        """Could it have occurred by ``when`` (``earliest <= when``)?"""
        return self.lo <= cut_instant(when)

    def certainly_by(self, when: _dt.datetime | TimeExtent | str) -> bool:
        """Had it certainly occurred by ``when`` (its last instant is ``<= when``)?"""
        return self.last <= cut_instant(when)

    def by(self, when_us: int, *, certain: bool = False) -> bool:
        """``possibly_by`` / ``certainly_by`` on an integer cut (epoch microseconds)."""
        return (self.last if certain else self.lo) <= when_us

    def overlaps(self, other: TimeExtent) -> bool:
        """Do the two extents share at least one instant?"""
        return self.lo <= other.last and other.lo <= self.last

    def contains(self, other: TimeExtent | _dt.datetime) -> bool:
        """Is ``other`` (an extent or an instant) wholly inside this extent?"""
        if isinstance(other, TimeExtent):
            return self.lo <= other.lo and other.last <= self.last
        us = epoch_us(to_utc(other))
        return self.lo <= us <= self.last

    def sort_key(self) -> tuple[int, int]:
        """The valid-time part of the replay order: earliest first, then the narrower."""
        return (self.lo, self.last)

    @property
    def is_timeless(self) -> bool:
        """True for `timeless` reference data."""
        return self.last == self.TIMELESS_US

    # -------------------------------------------------------------- equality, text

    def _key(self) -> tuple[int, int, Precision, str]:
        return (self.lo, self.last, self.precision, self.tz)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TimeExtent):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        """An expression that builds this extent again, with only `TimeExtent` in scope:
        a `parse` call for one calendar unit of its precision in its zone or for an
        instant (its UTC timestamp), `timeless()`, else `between` over bounds each
        written as a parsed UTC timestamp (the constructor takes datetimes, not text)."""
        tz = self.tz
        if self._aligned():
            return f"TimeExtent.parse({self._compact()!r}, tz={tz!r})"
        if self.lo == self.last and self.precision is Precision.INSTANT:
            if self.is_timeless and tz == "UTC":
                return "TimeExtent.timeless()"
            return f"TimeExtent.parse({self.earliest.isoformat()!r}, tz={tz!r})"
        return (
            f"TimeExtent.between({_bound_expression(self.earliest)}, "
            f"{_bound_expression(self.latest)}, {self.precision.value!r}, tz={tz!r})"
        )

    def __str__(self) -> str:
        if self.is_timeless:
            return "timeless"
        if self.precision is Precision.INSTANT and self.lo == self.last:
            local = self.earliest.in_timezone(self.tz)
            return f"{local.isoformat()} ({self.tz})"
        compact = self._compact()
        if self._aligned(compact):
            return f"{compact} ({self.precision.value}, {self.tz})"
        return f"{self._span()} ({self.precision.value}, {self.tz})"

    def _local_bounds(self) -> tuple[pendulum.DateTime, pendulum.DateTime]:
        return self.earliest.in_timezone(self.tz), self.latest.in_timezone(self.tz)

    def _compact(self) -> str:
        start = self.earliest.in_timezone(self.tz)
        p = self.precision
        if p is Precision.YEAR:
            return f"{start.year:04d}"
        if p is Precision.MONTH:
            return f"{start.year:04d}-{start.month:02d}"
        if p is Precision.WEEK:
            year, week, _ = start.isocalendar()
            return f"{year:04d}-W{week:02d}"
        if p is Precision.DAY:
            return start.date().isoformat()
        if p is Precision.HOUR:
            return start.strftime("%Y-%m-%dT%H")
        if p is Precision.MINUTE:
            return start.strftime("%Y-%m-%dT%H:%M")
        return start.isoformat()

    def _aligned(self, compact: str | None = None) -> bool:
        """Is this exactly one calendar unit of its precision in its timezone?
        (``compact``: its `_compact` text, when the caller has it already.)"""
        if self.precision is Precision.INSTANT or self.is_timeless:
            return False
        try:
            again = TimeExtent.parse(compact or self._compact(), tz=self.tz)
        except (InvalidTimeError, OverflowError):  # a bound too near year 1 or 9999 to show
            return False
        return again.lo == self.lo and again.last == self.last

    def _span(self) -> str:
        start, end = self._local_bounds()
        day_aligned = start == start.start_of("day") and end == end.start_of("day") and end > start
        if day_aligned:
            return f"{start.date().isoformat()}..{end.subtract(days=1).date().isoformat()}"
        if self.last + 1 >= _MAX_US and start == start.start_of("day"):
            # Open-ended: to the last instant held, which ends the day 9999-12-31.
            return f"{start.date().isoformat()}..{end.date().isoformat()}"
        return f"{start.isoformat()}..{end.isoformat()}"


def _bound_expression(bound: pendulum.DateTime) -> str:
    """A bound (UTC) as an expression `TimeExtent` alone evaluates: the earliest instant
    of the instant its ISO 8601 timestamp names."""
    return f"TimeExtent.parse({bound.isoformat()!r}).earliest"


def assembled_extent(  # noqa: PLR0917 - an extent's six parts, in their order
    earliest: pendulum.DateTime,
    latest: pendulum.DateTime,
    lo: int,
    hi: int,
    precision: Precision,
    tz: str,
) -> TimeExtent:
    """A `TimeExtent` set field by field, without the converters and checks, from parts
    the caller has already checked: UTC pendulum bounds, their epoch microseconds
    ``lo <= hi``, a `Precision` and a zone name. The one place besides the class that
    lists its fields, for the fast builders (`extent_of_us`, the codec's reader)."""
    extent = object.__new__(TimeExtent)
    _set = object.__setattr__
    _set(extent, "earliest", earliest)
    _set(extent, "latest", latest)
    _set(extent, "precision", precision)
    _set(extent, "tz", tz)
    _set(extent, "lo", lo)
    _set(extent, "last", hi - 1 if hi > lo else hi)
    _set(extent, "_wall_clock", None)  # no zone-less text: not read from a record field
    return extent


def extent_of_us(lo: int, hi: int, precision: Precision | str, tz: str = "UTC") -> TimeExtent:
    """``TimeExtent(from_epoch_us(lo), from_epoch_us(hi), precision, tz=tz)``, built
    faster: for importers, which build an extent or two from epoch microseconds a row."""
    return TimeExtent._of_us(lo, hi, precision, tz)


def _skipped(text: str, tz: str) -> str:
    return (
        f"cannot parse time {text!r}: that local time does not exist in {tz} (the clocks "
        "skipped it when they changed); give it with its UTC offset, or in UTC"
    )


def _out_of_range(text: str, tz: str, exc: BaseException) -> str:
    del exc  # "year 0 is out of range" and the like: the sentence says it better
    return (
        f"cannot parse time {text!r}: in {tz} it reaches outside the years 1-9999 "
        "(in UTC or in local time), the years this library holds"
    )


def _tz_name(when: _dt.datetime) -> str:
    tzinfo = when.tzinfo
    name = getattr(tzinfo, "name", None) or getattr(tzinfo, "key", None)
    if isinstance(name, str) and name and is_zone(name):
        return name
    # A fixed offset ("+04:00") names no zone to show the extent in: show it in UTC.
    return "UTC"


def start_instant(when: _dt.datetime | _dt.date | TimeExtent | str, *, tz: str = "UTC") -> int:
    """The first microsecond of a period, as epoch microseconds: the other end of a cut.

    An aware datetime is that instant. A date, a date-like string or an extent means
    the start of that period, read in ``tz`` when the value carries no offset.

    Raises:
        InvalidTimeError: for naive datetimes and unparsable strings.
    """
    return _instant(when, tz=tz, last=False)


def _names_a_zone(text: str) -> bool:
    """Does timestamp text carry an offset (``Z``, ``+04:00``) after its time?"""
    for sep in ("T", "t", " "):
        if sep in text:
            clock = text.split(sep, 1)[1]
            return any(c in clock for c in "Zz+-")
    return False


def read_wall_clock(text: str) -> TimeExtent:
    """``TimeExtent.parse(text)`` in UTC, remembering the text when it names no zone.

    Record fields and ``Source.published`` given as text go through here: text without
    an offset (``"2020-10-31"``, ``"2023-05-22T21:45"``) is a wall-clock reading, and
    a ``Timeline(tz=...)`` reads it again in its own zone when the record is appended
    (see `wall_clock_text`).
    """
    extent = TimeExtent.parse(text)
    stripped = text.strip()
    if not _names_a_zone(stripped):
        object.__setattr__(extent, "_wall_clock", stripped)
    return extent


def wall_clock_text(extent: TimeExtent) -> str | None:
    """The zone-less text an extent was read from (see `read_wall_clock`), or None."""
    return extent._wall_clock


def cut_instant(when: _dt.datetime | _dt.date | TimeExtent | str, *, tz: str = "UTC") -> int:
    """A query cut as inclusive epoch microseconds.

    An aware datetime is that instant. A date, a date-like string (``"2020-10-31"``,
    ``"2020-10"``) or an extent means the end of that period: its last microsecond,
    read in ``tz`` when the value does not carry its own offset.

    Raises:
        InvalidTimeError: for naive datetimes and unparsable strings.
    """
    return _instant(when, tz=tz, last=True)


def _instant(when: object, *, tz: str, last: bool) -> int:
    if isinstance(when, _dt.datetime):
        return epoch_us(to_utc(when, what="cut"))
    if isinstance(when, str):
        extent = TimeExtent.parse(when, tz=tz)
    elif isinstance(when, _dt.date):
        extent = TimeExtent.from_dates(when, when, Precision.DAY, tz=tz)
    elif isinstance(when, TimeExtent):
        extent = when
    else:
        msg = (
            f"a time cut must be a date, an aware datetime, a TimeExtent or a string, got {when!r}"
        )
        raise InvalidTimeError(msg)
    return extent.last if last else extent.lo


def to_cut(
    value: object, *, tz: str, name: str, edge: Literal["start", "end"] = "end"
) -> int | None:
    """A time argument (``at``, ``known_at``, ``start``, ``end``) as epoch microseconds.

    The one place a user's time argument is checked: ``None`` stays ``None``; a date
    or datetime string, an aware datetime, a date or a [`TimeExtent`][conflict_timeline.TimeExtent]
    becomes
    the last microsecond of its period (``edge="end"``, inclusive, see
    `cut_instant`) or its first (``edge="start"``, see `start_instant`).

    Raises:
        QueryError: for any other type, a naive datetime or an unparsable string,
            naming the argument.
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime | _dt.date | TimeExtent | str):
        try:
            if edge == "start":
                return start_instant(value, tz=tz)
            return cut_instant(value, tz=tz)
        except InvalidTimeError as exc:
            msg = f"{name}: {exc}"
            raise QueryError(msg) from None
    msg = (
        f"{name} must be a date or datetime string, an aware datetime, a date or a "
        f"TimeExtent, got {type(value).__name__} {value!r}"
    )
    raise QueryError(msg)
