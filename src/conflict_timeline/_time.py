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
from typing import Any, ClassVar, Final, Literal

import attrs
import pendulum

from .errors import InvalidTimeError, QueryError

__all__ = ["Precision", "TimeExtent", "cut_instant", "start_instant", "to_cut", "to_utc"]

_UTC: Final = pendulum.UTC
_EPOCH_ORDINAL: Final = _dt.date(1970, 1, 1).toordinal()
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
    off = value.utcoffset()
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
def _is_zone(name: str) -> bool:
    # Cached: loading a zone costs ~20 us, and every TimeExtent checks its tz.
    try:
        pendulum.timezone(name)
    except Exception:  # pendulum raises its own InvalidTimezone / ValueError
        return False
    return True


@functools.lru_cache(maxsize=256)
def _timezone(tz: str) -> pendulum.Timezone | pendulum.FixedTimezone:
    # Cached: pendulum.timezone() reads the zone file every time (~40 us a call).
    try:
        return pendulum.timezone(tz)
    except Exception as exc:  # pendulum raises its own InvalidTimezone / ValueError
        msg = f"unknown timezone {tz!r}: use an IANA name such as 'Asia/Yerevan' or 'UTC'"
        raise InvalidTimeError(msg) from exc


_PATTERNS: Final = (
    (re.compile(r"^(\d{4})$"), Precision.YEAR),
    (re.compile(r"^(\d{4})-(\d{2})$"), Precision.MONTH),
    (re.compile(r"^(\d{4})-W(\d{2})$"), Precision.WEEK),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), Precision.DAY),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2})$"), Precision.HOUR),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$"), Precision.MINUTE),
)
_UNIT: Final = {
    Precision.YEAR: "years",
    Precision.MONTH: "months",
    Precision.WEEK: "weeks",
    Precision.DAY: "days",
    Precision.HOUR: "hours",
    Precision.MINUTE: "minutes",
}


def _local_start(
    groups: tuple[str, ...], precision: Precision, zone: pendulum.Timezone | pendulum.FixedTimezone
) -> pendulum.DateTime:
    nums = [int(g) for g in groups]
    if precision is Precision.WEEK:
        year, week = nums
        start = _dt.date.fromisocalendar(year, week, 1)
        return pendulum.datetime(start.year, start.month, start.day, tz=zone)
    while len(nums) < 5:  # year -> Jan 1, month -> day 1, day -> 00:00
        nums.append(1 if len(nums) < 3 else 0)
    year, month, day, hour, minute = nums
    return pendulum.datetime(year, month, day, hour, minute, tz=zone)


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
        if not isinstance(self.tz, str) or not self.tz or not _is_zone(self.tz):
            # str() and the local reading of the bounds need a zone pendulum knows.
            msg = f"TimeExtent.tz must be an IANA timezone name, got {self.tz!r}"
            raise InvalidTimeError(msg)
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "last", hi - 1 if hi > lo else hi)

    # ----------------------------------------------------------------- building

    @classmethod
    def parse(cls, text: str, *, tz: str = "UTC") -> TimeExtent:
        """Parse what a person types, keeping the precision it states.

        ``"2020"`` is the whole year, ``"2020-10"`` the month, ``"2020-W44"`` the ISO
        week, ``"2020-10-31"`` the day, ``"2020-10-31T14"`` the hour and
        ``"2020-10-31T14:05"`` the minute, each in ``tz``. A full timestamp
        (``"2020-10-31T14:05:09+04:00"``) is an instant; without an offset it is
        read in ``tz``.

        Raises:
            InvalidTimeError: quoting the text, when it is none of these.
        """
        if not isinstance(text, str):
            msg = f"TimeExtent.parse expects a string, got {type(text).__name__} {text!r}"
            raise InvalidTimeError(msg)
        zone = _timezone(tz)
        stripped = text.strip()
        for pattern, precision in _PATTERNS:
            m = pattern.match(stripped)
            if m is None:
                continue
            try:
                start = _local_start(m.groups(), precision, zone)
                end = start.add(**{_UNIT[precision]: 1})
            except OverflowError:
                msg = f"cannot parse time {text!r}: it reaches past the year 9999"
                raise InvalidTimeError(msg) from None
            except ValueError as exc:
                msg = f"cannot parse time {text!r}: {exc}"
                raise InvalidTimeError(msg) from None
            return cls(start, end, precision, tz=tz)
        try:
            parsed = pendulum.parse(stripped, tz=zone, exact=True)
        except Exception as exc:  # pendulum raises ParserError and ValueError variants
            msg = (
                f"cannot parse time {text!r}: expected YYYY, YYYY-MM, YYYY-Www, YYYY-MM-DD, "
                f"YYYY-MM-DDTHH[:MM] or a full ISO 8601 timestamp ({exc})"
            )
            raise InvalidTimeError(msg) from None
        if not isinstance(parsed, _dt.datetime):
            msg = f"cannot parse time {text!r}: it is not a date or timestamp"
            raise InvalidTimeError(msg)
        try:
            return cls.instant(parsed, tz=tz)
        except InvalidTimeError:
            raise
        except (ValueError, OverflowError) as exc:  # in UTC it leaves the years 1..9999
            msg = f"cannot parse time {text!r}: {exc}"
            raise InvalidTimeError(msg) from None

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
    def timeless(cls) -> TimeExtent:
        """An extent that holds at every date: for reference data such as a place's name.

        Its bounds are the first instant of year 1, so it has certainly occurred by any
        cut a query can name.
        """
        first = pendulum.DateTime(1, 1, 1, tzinfo=_UTC)
        return cls(first, first, Precision.INSTANT)

    @classmethod
    def from_dates(
        cls, start: _dt.date, end: _dt.date, precision: Precision | str, *, tz: str = "UTC"
    ) -> TimeExtent:
        """Whole local days from ``start`` through ``end`` (both inclusive)."""
        zone = _timezone(tz)
        try:
            lo = pendulum.datetime(start.year, start.month, start.day, tz=zone)
            hi = pendulum.datetime(end.year, end.month, end.day, tz=zone).add(days=1)
        except (ValueError, OverflowError) as exc:  # the day after 9999-12-31
            msg = f"date range {start.isoformat()}..{end.isoformat()} is out of range: {exc}"
            raise InvalidTimeError(msg) from None
        if hi <= lo:
            msg = f"date range {start.isoformat()}..{end.isoformat()} ends before it starts"
            raise InvalidTimeError(msg)
        return cls(lo, hi, precision, tz=tz)

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
        return (
            f"TimeExtent.parse({self._compact()!r}, tz={self.tz!r})"
            if self._aligned()
            else (
                f"TimeExtent({self.earliest.isoformat()!r}, {self.latest.isoformat()!r}, "
                f"{self.precision.value!r}, tz={self.tz!r})"
            )
        )

    def __str__(self) -> str:
        if self.is_timeless:
            return "timeless"
        if self.precision is Precision.INSTANT and self.lo == self.last:
            local = self.earliest.in_timezone(self.tz)
            return f"{local.isoformat()} ({self.tz})"
        if self._aligned():
            return f"{self._compact()} ({self.precision.value}, {self.tz})"
        return f"{self._span()} ({self.precision.value}, {self.tz})"

    def _local_bounds(self) -> tuple[pendulum.DateTime, pendulum.DateTime]:
        return self.earliest.in_timezone(self.tz), self.latest.in_timezone(self.tz)

    def _compact(self) -> str:
        start, _ = self._local_bounds()
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

    def _aligned(self) -> bool:
        """Is this exactly one calendar unit of its precision in its timezone?"""
        if self.precision is Precision.INSTANT or self.is_timeless:
            return False
        try:
            again = TimeExtent.parse(self._compact(), tz=self.tz)
        except InvalidTimeError:
            return False
        return again.lo == self.lo and again.last == self.last

    def _span(self) -> str:
        start, end = self._local_bounds()
        day_aligned = start == start.start_of("day") and end == end.start_of("day") and end > start
        if day_aligned:
            return f"{start.date().isoformat()}..{end.subtract(days=1).date().isoformat()}"
        return f"{start.isoformat()}..{end.isoformat()}"


def _tz_name(when: _dt.datetime) -> str:
    tzinfo = when.tzinfo
    name = getattr(tzinfo, "name", None) or getattr(tzinfo, "key", None)
    if isinstance(name, str) and name and _is_zone(name):
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
            "a time cut must be a date, an aware datetime, a TimeExtent or a string, "
            f"got {when!r}"
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
