"""Fast paths of record building pinned against the plain rules they shortcut.

Each fast path (the id check, time extents built without the converters, cached
extents and sources in the importers) must give exactly what the slow rule gives:
the same answer, the same error message, the same canonical bytes.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pendulum
from hypothesis import example, given
from hypothesis import strategies as st

from conflict_timeline._records import _id_problem
from conflict_timeline._time import epoch_us, to_utc


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
    assert epoch_us(utc) == expected
    assert utc == value


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
