"""Fast paths of record building pinned against the plain rules they shortcut.

Each fast path (the id check, time extents built without the converters, cached
extents and sources in the importers) must give exactly what the slow rule gives:
the same answer, the same error message, the same canonical bytes.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
import urllib.parse
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import orjson
import pendulum
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conflict_timeline import InvalidRecordError, Source, TimeExtent, _codec, _serialization
from conflict_timeline._codec import _isoformat
from conflict_timeline._provenance import URL_SCHEMES, Status
from conflict_timeline._records import (
    ActorDefined,
    ActorKind,
    CasualtyCategory,
    CasualtyMeasure,
    CommitmentKind,
    EndReason,
    PlaceDefined,
    PlaceKind,
    Prohibition,
    Record,
    TargetClass,
    _id_problem,
    _lenient_enum,
)
from conflict_timeline._serialization import canonical_bytes, from_json, make_converter
from conflict_timeline._time import (
    Precision,
    epoch_us,
    extent_of_us,
    from_epoch_us,
    to_utc,
    wall_clock_text,
)
from conflict_timeline.importers import ImportBatch, acled, read_acled, read_ucdp
from conflict_timeline.importers._batch import Refusal, area


def plain_id_problem(value: str) -> str | None:
    """The id rule as first written: every character looked up, then NFC."""
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cf"):
            name = unicodedata.name(char, "a control character")
            return (
                f"holds U+{ord(char):04X} ({name}), which is invisible or reorders text; "
                f"ids may not hold control or format characters, got {value!r}"
            )
    composed = unicodedata.normalize("NFC", value)
    if composed != value:
        return f"is not in Unicode NFC form; write it as {composed!r} (got {value!r})"
    return None


# Text that reaches every branch: ASCII with its controls, combining marks (NFC),
# format characters, separators and unassigned code points (not printable, yet
# allowed), surrogates.
ID_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(max_codepoint=0x7F),
        st.sampled_from("e\u0301\u00e9\u0041\u030a\u212b\u00a0\u2028\u2029\u200b\u202e\ufeff"),
        st.sampled_from("\u0378\ue000\U000f0000\u061c\u00ad\x85\u3000\ufb01"),
        st.characters(),
    ),
    max_size=12,
)


@given(ID_TEXT)
@example("acled:SYNB1")
@example("place:synthetica/province-1")
@example("bell\x07")
@example("del\x7f")
@example("tab\tin")
@example("café")
@example(unicodedata.normalize("NFD", "café"))
@example("no\u00a0break")
@example("Ω\u2028line")
@example("\u0378unassigned")
@example("\ud800surrogate")
@example("")
def test_the_fast_id_check_gives_the_plain_rules_answer(value: str) -> None:
    assert _id_problem(value) == plain_id_problem(value)


class Shouty(str):
    """A str subclass: the fast path is for plain str only."""

    __slots__ = ()

    def isprintable(self) -> bool:
        return True


def test_a_str_subclass_takes_the_plain_rule() -> None:
    assert _id_problem(Shouty("bell\x07")) == plain_id_problem("bell\x07")


def plain_url_refused(value: str) -> bool:
    """Source.url's rule as first written: a scheme, a host, no space or control."""
    parts = urllib.parse.urlsplit(value)
    bad = [c for c in value if c.isspace() or unicodedata.category(c) in ("Cc", "Cf")]
    return parts.scheme.lower() not in URL_SCHEMES or not parts.hostname or bool(bad)


URL_STARTS = st.sampled_from(["https://example.org/", "ftp://x/", "http://"])


@given(st.builds("{}{}".format, URL_STARTS, ID_TEXT))
@example("https://example.org/a b")
@example("https://example.org/a\u00a0b")
@example("https://example.org/a\u2028b")
@example("https://example.org/a\u200bb")
@example("https://example.org/caf\u00e9")
@example("https://example.org/\u0378")
def test_the_fast_url_check_gives_the_plain_rules_answer(url: str) -> None:
    try:
        refused = plain_url_refused(url)
    except ValueError:  # urlsplit refuses it ("http://[x"): so does Source
        with pytest.raises(ValueError):  # noqa: PT011 - urllib's own message
            Source(publisher="p", url=url)
        return
    if refused:
        with pytest.raises(InvalidRecordError, match=r"Source\.url must be"):
            Source(publisher="p", url=url)
    else:
        assert Source(publisher="p", url=url).url == url


ENUMS = [
    Status,
    ActorKind,
    PlaceKind,
    TargetClass,
    CommitmentKind,
    EndReason,
    CasualtyCategory,
    CasualtyMeasure,
    Prohibition,
]


@given(st.sampled_from(ENUMS), st.data())
def test_an_enum_converter_gives_what_the_enum_gives(
    enum_cls: type[enum.Enum], data: st.DataObject
) -> None:
    value = data.draw(
        st.one_of(
            st.sampled_from(list(enum_cls)),
            st.sampled_from([m.value for m in enum_cls]),
            st.sampled_from(ENUMS).flatmap(lambda other: st.sampled_from(list(other))),
            st.text(max_size=8),
            st.none(),
        )
    )
    expected: object
    try:
        expected = enum_cls(value)
    except ValueError:
        expected = value
    assert _lenient_enum(enum_cls)(value) is expected


# ------------------------------------------------------------------ time extents


def plain_epoch_us(value: dt.datetime) -> int:
    """Epoch microseconds the slow way: through the offset the datetime reports."""
    off = value.utcoffset()
    assert off is not None
    fields = (value.year, value.month, value.day, value.hour, value.minute, value.second)
    wall = dt.datetime(*fields, value.microsecond)  # the wall fields, read as UTC
    return (wall - dt.datetime(1970, 1, 1) - off) // dt.timedelta(microseconds=1)


AWARE = st.one_of(
    st.datetimes(timezones=st.just(dt.UTC)),
    st.datetimes(timezones=st.timezones()),
    st.datetimes().map(lambda d: pendulum.instance(d.replace(tzinfo=dt.UTC)).in_timezone("UTC")),
    st.builds(
        lambda d, zone: pendulum.instance(d, tz=zone),
        st.datetimes(min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 1, 1)),
        st.sampled_from(["UTC", "Asia/Yerevan", "America/New_York", "Pacific/Apia"]),
    ),
)


@given(AWARE)
@example(pendulum.datetime(2020, 10, 31, 14, 5, 9, 123, tz="UTC"))
@example(dt.datetime(2020, 10, 31, tzinfo=dt.UTC))
def test_epoch_us_and_to_utc_agree_with_the_offset_they_skip(value: dt.datetime) -> None:
    try:
        expected = plain_epoch_us(value)
    except OverflowError:  # past year 9999 or before year 1 in UTC
        return
    assert epoch_us(value) == expected
    utc = to_utc(value)
    assert type(utc) is pendulum.DateTime
    assert utc.tzinfo is pendulum.UTC
    assert epoch_us(utc) == expected  # (== would say False for a time shown twice: PEP 495)


def test_a_utc_pendulum_datetime_is_taken_as_it_is() -> None:
    value = pendulum.datetime(2020, 10, 31, 14, tz="UTC")
    assert value.tzinfo is pendulum.UTC
    assert to_utc(value) is value


class OddDateTime(pendulum.DateTime):
    """A subclass that lies about its offset: it must not take the fast path."""

    def utcoffset(self) -> dt.timedelta:
        return dt.timedelta(hours=1)


def test_a_pendulum_subclass_is_asked_for_its_offset() -> None:
    value = OddDateTime(2020, 1, 1, tzinfo=pendulum.UTC)
    assert epoch_us(value) == plain_epoch_us(value)
    assert to_utc(value) is value  # as before: an instance in pendulum's UTC passes


def fields(extent: TimeExtent) -> tuple[object, ...]:
    """Everything an extent holds, the unseen wall-clock text too."""
    return (
        type(extent),
        type(extent.earliest),
        extent.earliest,
        extent.earliest.tzinfo,
        type(extent.latest),
        extent.latest,
        extent.latest.tzinfo,
        extent.precision,
        extent.tz,
        extent.lo,
        extent.last,
        wall_clock_text(extent),
    )


def built(make: Callable[[], TimeExtent | None]) -> tuple[object, ...] | str | None:
    """An extent's fields (None for None), or the error building it raised."""
    try:
        extent = make()
    except Exception as exc:  # the error is what is compared
        return f"{type(exc).__name__}: {exc}"
    return None if extent is None else fields(extent)


US = st.integers(
    min_value=TimeExtent.TIMELESS_US, max_value=epoch_us(pendulum.datetime(9999, 1, 1))
)


@given(
    US,
    st.one_of(US, st.integers(0, 10**12)),
    st.one_of(st.sampled_from(Precision), st.sampled_from(["day", "fortnight", 3])),
    st.sampled_from(["UTC", "Asia/Yerevan", "", "Mars/Olympus", " UTC", 0]),
    st.booleans(),
)
@example(5, 5, Precision.INSTANT, "UTC", False)
@example(7, 5, Precision.DAY, "UTC", False)
@example(5, 5, Precision.INSTANT, ["UTC"], False)  # no zone name, nor hashable: refused as such
def test_an_extent_of_epoch_us_is_the_one_the_constructor_builds(
    lo: int, hi_or_span: int, precision: Precision | str, tz: str, span: bool
) -> None:
    hi = lo + hi_or_span if span else hi_or_span
    slow = built(lambda: TimeExtent(from_epoch_us(lo), from_epoch_us(hi), precision, tz=tz))
    assert built(lambda: extent_of_us(lo, hi, precision, tz)) == slow


class LaterExtent(TimeExtent):
    """A subclass: built by its own constructor, never the fast path."""


def test_a_subclass_is_built_by_its_constructor() -> None:
    extent = LaterExtent.parse("2020-10-31", tz="Asia/Yerevan")
    assert type(extent) is LaterExtent
    assert type(LaterExtent.timeless()) is LaterExtent


def test_timeless_is_what_it_was() -> None:
    first = pendulum.DateTime(1, 1, 1, tzinfo=pendulum.UTC)
    assert fields(TimeExtent.timeless()) == fields(TimeExtent(first, first, Precision.INSTANT))


@given(
    st.sampled_from(
        [
            "2020",
            "2020-10",
            "2020-W44",
            "2020-10-31",
            "2020-10-31T14",
            "2020-10-31T14:05",
            "2020-10-31T14:05:09",
            "2020-10-31T14:05:09+04:00",
            "2020-03-29T02:30",
            "1-01-01",
        ]
    ),
    st.sampled_from(["UTC", "Asia/Yerevan", "Europe/London", "Pacific/Apia"]),
)
def test_parse_builds_what_the_constructor_builds(text: str, tz: str) -> None:
    def slow() -> TimeExtent:
        extent = TimeExtent.parse(text, tz=tz)
        return TimeExtent(extent.earliest, extent.latest, extent.precision, tz=extent.tz)

    assert built(lambda: TimeExtent.parse(text, tz=tz)) == built(slow)


# ------------------------------------------------------------------ the ACLED rows


def plain_knowledge(occurred: TimeExtent, changed: TimeExtent | None) -> TimeExtent | None:
    """acled._knowledge as first written, through the constructor."""
    if changed is None:
        return None
    if changed.lo <= occurred.lo:
        return TimeExtent.instant(occurred.earliest)
    span = changed.lo - occurred.lo
    precision = Precision.YEAR
    for limit, name in ((86_400, Precision.DAY), (7 * 86_400, Precision.WEEK)):
        if span <= limit * 1_000_000:
            precision = name
            break
    else:
        if span <= 31 * 86_400 * 1_000_000:
            precision = Precision.MONTH
    return TimeExtent(occurred.earliest, from_epoch_us(changed.lo + 1), precision)


def plain_unix_instant(raw: str) -> TimeExtent:
    """acled._instant of Unix seconds as first written, through the constructor; with
    the rule for scientific notation (docs/howto/import-acled-vintages.md): the
    digits written are all that is known, so a last digit coarser than a second
    stands for the interval half a unit either side of it."""
    text = raw.strip()
    seconds = float(text)
    if not abs(seconds) <= 1e11:
        raise Refusal("timestamp", f"{raw!r} is not a plausible Unix time in seconds")
    try:
        return _plain_seconds(text, seconds)
    except ValueError:  # before the year 1
        reason = f"{raw!r} falls outside the years 1 to 9999 in UTC"
        raise Refusal("timestamp", reason) from None


def _plain_seconds(text: str, seconds: float) -> TimeExtent:
    mantissa, notation, power = text.lower().partition("e")
    if notation:
        decimals = len(mantissa.partition(".")[2])
        place = int(power) - decimals  # the power of ten of the last digit written
        if place > 0:
            half = 10**place * 1_000_000 // 2  # in microseconds
            middle = int(Decimal(text) * 1_000_000)
            span = 2 * half
            precision = next(
                (p for limit, p in _UNITS if span <= limit * 1_000_000), Precision.YEAR
            )
            return TimeExtent(
                from_epoch_us(middle - half), from_epoch_us(middle + half), precision
            )
    utc = from_epoch_us(round(seconds * 1_000_000))
    return TimeExtent(utc, utc, Precision.INSTANT)


_UNITS = (
    (60, Precision.MINUTE),
    (3_600, Precision.HOUR),
    (86_400, Precision.DAY),
    (7 * 86_400, Precision.WEEK),
    (31 * 86_400, Precision.MONTH),
)


SECONDS = st.one_of(
    st.integers(-(10**11), 10**11).map(str),
    st.floats(-1e11, 1e11, allow_nan=False).map(repr),
    st.sampled_from(
        [
            "1600000000",
            " 1600003600 ",
            "1e9",
            "-62135596800",
            "99999999999.9999995",
            "-1e11",
            "1.7E+09",
            "1.684E+09",
            "1.700000123E+09",
            "1.70000012E+09",
            "1.7000001E+09",
            "1.70001E+09",
        ]
    ),
)


@given(SECONDS)
def test_the_acled_timestamp_is_the_extent_the_constructor_builds(raw: str) -> None:
    assert built(lambda: acled._instant("timestamp", raw)) == built(
        lambda: plain_unix_instant(raw)
    )


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["1", "2", "3"]),
    st.integers(-(10**10), 10**10),
)
def test_acled_knowledge_is_the_extent_the_constructor_builds(
    day: dt.date, precision: str, seconds: int
) -> None:
    occurred = acled.acled_extent(day, precision)
    changed = acled._instant("timestamp", str(seconds))
    assert built(lambda: acled._knowledge(occurred, changed)) == built(
        lambda: plain_knowledge(occurred, changed)
    )


def test_a_bad_acled_timestamp_is_refused_as_before() -> None:
    for raw in ("nan", "1e12", "soon"):
        with pytest.raises(Refusal) as info:
            acled._instant("timestamp", raw)
        assert info.value.field == "timestamp"
        assert repr(raw) in info.value.reason


# ------------------------------------------------------------------ canonical bytes


@given(st.one_of(US.map(from_epoch_us), AWARE))
@example(from_epoch_us(TimeExtent.TIMELESS_US))
@example(from_epoch_us(1_600_000_000_000_001))
def test_the_fast_isoformat_is_isoformat(value: dt.datetime) -> None:
    assert _isoformat(value) == value.isoformat()


DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("read", "name"),
    [
        (read_acled, "acled-synthetic-text-inter.csv"),
        (read_acled, "acled-synthetic-numeric-inter.csv"),
        (read_ucdp, "ucdp-ged-23.1-sample-1000.csv"),
    ],
)
def test_imported_records_have_the_converters_canonical_bytes(
    read: Callable[[Path], ImportBatch], name: str
) -> None:
    converter = make_converter()
    batch = read(DATA / name)
    assert batch.records
    for record in batch.records:
        assert canonical_bytes(record) == canonical_bytes(record, converter=converter)
        # and the record is the one its bytes read back as
        assert from_json(canonical_bytes(record)) == record


@given(
    pid=st.sampled_from(["place:synthetica", "place:synthetica/north", "place:bad\x07", ""]),
    name=st.sampled_from(["Synthetica", "North", "", " padded "]),
    kind=st.sampled_from(PlaceKind),
    parent=st.sampled_from([None, "place:synthetica", "place:bad\u202e"]),
)
def test_a_cached_area_is_the_place_built_fresh(
    pid: str,
    name: str,
    kind: PlaceKind,
    parent: str | None,
) -> None:
    def fresh() -> PlaceDefined:
        return PlaceDefined(id=pid, name=name, place_kind=kind, parent=parent)

    def outcome(make: Callable[[], PlaceDefined]) -> object:
        try:
            record = make()
        except InvalidRecordError as exc:
            return str(exc)
        return (record, canonical_bytes(record))

    expected = outcome(fresh)
    assert outcome(lambda: area(pid, name, kind, parent)) == expected
    assert outcome(lambda: area(pid, name, kind, parent)) == expected  # from the cache


def fresh_bytes(record: Record) -> bytes:
    """Canonical bytes with no cache: the codec's dict, dumped."""
    return orjson.dumps(_codec.unstructure(record), option=orjson.OPT_SORT_KEYS)


def test_recent_bytes_are_the_records_own_and_bounded() -> None:
    batch = read_ucdp(DATA / "ucdp-ged-23.1-sample-1000.csv")
    records = list(batch.records) * 20  # more than the cache holds
    assert len(records) > _serialization._RECENT_BYTES_MAX
    for record in records:
        assert canonical_bytes(record) == fresh_bytes(record)
        assert canonical_bytes(record) == fresh_bytes(record)  # now from the cache
    assert len(_serialization._recent_bytes) <= _serialization._RECENT_BYTES_MAX


@given(st.lists(st.sampled_from(["a", "b", "c"]), min_size=2, max_size=30))
def test_a_later_record_with_a_dead_ones_id_gets_its_own_bytes(names: list[str]) -> None:
    # CPython often gives a new object the id of one just freed: the weak reference
    # tells them apart.
    for name in names:
        record = ActorDefined(id=f"actor:{name}", name=name, actor_kind="state")
        assert canonical_bytes(record) == fresh_bytes(record)
        del record
