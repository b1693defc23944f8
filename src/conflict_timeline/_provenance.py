"""Provenance: where a claim comes from, who makes it, and how far it is confirmed."""

from __future__ import annotations

import datetime as _dt
import enum
import itertools
import unicodedata
import urllib.parse
from collections.abc import Sequence
from typing import Any, Final

import attrs

from ._time import TimeExtent, read_wall_clock
from .errors import InvalidRecordError, InvalidTimeError

__all__ = ["Codes", "Figure", "Source", "Status", "UnreadTime", "figure_text", "to_extent"]


class Status(enum.Enum):
    """How far a claim is confirmed. The library never upgrades a status by itself."""

    ALLEGED = "alleged"
    DISPUTED = "disputed"
    CORROBORATED = "corroborated"
    VERIFIED = "verified"


@attrs.frozen
class UnreadTime:
    """What `to_extent` gives for a value it could not read as a time: the value and
    why, for the field's validator to word with the record and the field."""

    value: Any
    reason: str


def to_extent(value: Any) -> Any:
    """Converter: a string is parsed as a [`TimeExtent`][conflict_timeline.TimeExtent],
    a ``date`` is that day, an aware ``datetime`` that instant; others pass.

    Text without an offset, and a date, are wall-clock readings, read in UTC here and
    again in a ``Timeline(tz=...)``'s zone when the record is appended there. Text
    that is no time and a naive datetime become an `UnreadTime`, which the field's
    validator refuses naming the record, the field and the reason.
    """
    if isinstance(value, str):
        try:
            return read_wall_clock(value)
        except InvalidTimeError as error:
            return UnreadTime(value, str(error))
    if isinstance(value, _dt.datetime):
        try:
            return TimeExtent.instant(value)
        except InvalidTimeError as error:
            return UnreadTime(value, str(error))
        except (ValueError, OverflowError) as error:  # in UTC, outside years 1-9999
            return UnreadTime(value, f"instant {value.isoformat()!r} cannot be held: {error}")
    if isinstance(value, _dt.date):
        try:  # read as its text is: a day whose UTC end passes 9999 is refused alike
            return read_wall_clock(value.isoformat())
        except InvalidTimeError as error:
            return UnreadTime(value, str(error))
    return value


TIME_FORMS: Final = "a TimeExtent, a date string such as '2020-10-31', a date or an aware datetime"
"""What a record's time field takes, as its refusal says."""


def _text(what: str) -> Any:
    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            msg = f"{what}.{attribute.name} must be non-empty text, got {value!r}"
            raise InvalidRecordError(msg)

    return check


def _plain_text(what: str, *, optional: bool = False) -> Any:
    """A validator: text (empty allowed), or None when ``optional``; anything else
    is an `InvalidRecordError` naming ``what`` and the field (attrs' own type check
    raised a bare ``TypeError``)."""

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, str) or (optional and value is None):
            return
        kind = "text or None" if optional else "text"
        msg = f"{what}.{attribute.name} must be {kind}, got {value!r}"
        raise InvalidRecordError(msg)

    return check


URL_SCHEMES: Final = frozenset({"http", "https"})
"""The URL schemes a [`Source`][conflict_timeline.Source] accepts: a link a reader can follow
safely
(``javascript:``, ``data:``, ``file:`` and the rest are refused)."""


def _check_url(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        msg = f"Source.url must be text or None, got {value!r}"
        raise InvalidRecordError(msg)
    parts = urllib.parse.urlsplit(value)
    # isprintable() is False for every Cc and Cf character and every whitespace
    # character but the ASCII space: printable text without a space has none, and
    # the per-character lookup (~0.3 us a character) is skipped. Plain str only.
    clean = type(value) is str and value.isprintable() and " " not in value
    bad = not clean and any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in value)
    if parts.scheme.lower() not in URL_SCHEMES or not parts.hostname or bad:
        msg = (
            f"Source.url must be an absolute http or https URL with a host and no spaces "
            f"or control characters, got {value!r}"
        )
        raise InvalidRecordError(msg)


def _optional_extent(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, TimeExtent):
        where = f"Source {getattr(inst, 'publisher', None)!r}: {attribute.name}"
        if isinstance(value, UnreadTime):
            raise InvalidTimeError(f"{where}: {value.reason}")
        msg = f"Source.{attribute.name} must be {TIME_FORMS}, got {value!r}"
        raise InvalidRecordError(msg)


@attrs.frozen(kw_only=True, init=False)
class Source:
    """A published source of a claim.

    ``published`` given as text (``"2020-10-31"``) is read in ``tz``, the zone the
    publisher dates in: ``Source(publisher="Azertac", published="2020-10-31",
    tz="Asia/Baku")`` is the Baku day, 2020-10-30T20:00Z to 2020-10-31T20:00Z. Without
    ``tz`` the text is a wall-clock reading with no zone: a ``Timeline(tz=...)`` reads
    it in its zone when the record is appended, anything else in UTC (see
    docs/explanation/time-precision.md). ``tz`` is not stored: the extent keeps its
    zone.

    Attributes:
        publisher: Who published it ("Reuters").
        title: Its headline or title.
        url: Where to read it, if online: an absolute ``http`` or ``https`` URL
            (other schemes, such as ``javascript:`` or ``data:``, are refused).
        published: When it was published, to the precision known. The earliest
            source's ``published`` is a record's default ``reported`` time.
    """

    def __init__(
        self,
        *,
        publisher: str,
        title: str = "",
        url: str | None = None,
        published: TimeExtent | str | None = None,
        tz: str | None = None,
    ) -> None:
        if tz is not None:
            if isinstance(published, _dt.date) and not isinstance(published, _dt.datetime):
                published = published.isoformat()  # a day, read in tz as its text is
            if not isinstance(published, str):
                msg = (
                    f"Source {publisher!r}: tz={tz!r} reads a published date given as "
                    f"text or a date, got {published!r} (a TimeExtent or an aware "
                    "datetime already has its zone)"
                )
                raise InvalidRecordError(msg)
            try:
                published = TimeExtent.parse(published, tz=tz)
            except InvalidTimeError as error:  # named as without tz=
                raise InvalidTimeError(f"Source {publisher!r}: published: {error}") from None
        self.__attrs_init__(publisher=publisher, title=title, url=url, published=published)

    publisher: str = attrs.field(validator=_text("Source"))
    title: str = attrs.field(default="", validator=_plain_text("Source"))
    url: str | None = attrs.field(default=None, validator=_check_url)
    published: TimeExtent | None = attrs.field(
        default=None, converter=to_extent, validator=_optional_extent
    )


def _check_count(inst: Figure, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        msg = f"Figure.{attribute.name} must be a whole number >= 0, got {value!r}"
        raise InvalidRecordError(msg)
    if value >= 2**63:  # beyond what JSON and SQLite hold exactly
        msg = f"Figure.{attribute.name} must be below 2**63, got a {value.bit_length()}-bit number"
        raise InvalidRecordError(msg)


@attrs.frozen(kw_only=True)
class Figure:
    """A count a source reports, as low / best / high where given.

    Attributes:
        low: The lowest figure given ("more than 5,000" gives ``low=5000``).
        best: The best estimate, if the source gives one.
        high: The highest figure given.
        as_reported: The source's own wording, kept so nothing is lost in coding.
    """

    low: int | None = attrs.field(default=None, validator=_check_count)
    best: int | None = attrs.field(default=None, validator=_check_count)
    high: int | None = attrs.field(default=None, validator=_check_count)
    as_reported: str | None = attrs.field(
        default=None, validator=_plain_text("Figure", optional=True)
    )

    def __attrs_post_init__(self) -> None:
        given = [
            (n, v)
            for n, v in (("low", self.low), ("best", self.best), ("high", self.high))
            if v is not None
        ]
        if not given:
            msg = "Figure needs at least one of low, best, high"
            raise InvalidRecordError(msg)
        for (n1, v1), (n2, v2) in itertools.pairwise(given):
            if v1 > v2:
                msg = f"Figure: {n1} {v1} > {n2} {v2}; expected low <= best <= high"
                raise InvalidRecordError(msg)


_optional_str = _plain_text("Codes", optional=True)


@attrs.frozen(kw_only=True)
class Codes:
    """External event codes, kept so records can be joined back to their datasets.

    Attributes:
        cameo: CAMEO event code ("190").
        plover: PLOVER event type ("ASSAULT").
        acled_event_type: ACLED ``event_type``.
        acled_sub_event_type: ACLED ``sub_event_type``.
        ucdp_type_of_violence: UCDP GED ``type_of_violence`` (1 state-based,
            2 non-state, 3 one-sided).
    """

    cameo: str | None = attrs.field(default=None, validator=_optional_str)
    plover: str | None = attrs.field(default=None, validator=_optional_str)
    acled_event_type: str | None = attrs.field(default=None, validator=_optional_str)
    acled_sub_event_type: str | None = attrs.field(default=None, validator=_optional_str)
    ucdp_type_of_violence: str | None = attrs.field(default=None, validator=_optional_str)


def sources_text(sources: Sequence[Source]) -> str:
    """Sources in one table cell: their publishers, separated by semicolons."""
    return "; ".join(s.publisher for s in sources)


def figure_text(figure: Figure) -> str:
    """A figure as a reader says it: the source's wording, or best (low-high)."""
    if figure.as_reported:
        return figure.as_reported
    parts = []
    if figure.best is not None:
        parts.append(str(figure.best))
    if figure.low is not None or figure.high is not None:
        low = "?" if figure.low is None else str(figure.low)
        high = "?" if figure.high is None else str(figure.high)
        if figure.low != figure.best or figure.high != figure.best:
            parts.append(f"({low}-{high})" if parts else f"{low}-{high}")
    return " ".join(parts) or "unknown"
