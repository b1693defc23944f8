"""The fast codec (``_codec``) agrees with the cattrs converter, byte for byte.

The store writes ``canonical_bytes`` through the fast writer and reads payloads back
through the fast reader; both must give exactly what the validating converter gives,
or the hash chain and every query would silently change. Anything the fast reader
does not expect must fall back to the converter, which words the error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    ActorDefined,
    Attack,
    Commitment,
    Correction,
    Record,
    SerializationError,
    Source,
    TimeExtent,
    _codec,
)
from conflict_timeline._serialization import (
    canonical_bytes,
    make_converter,
    read_jsonl,
    record_from_stored,
    replacement_from_stored,
    structure_record,
)
from conflict_timeline.strategies import records

REFERENCE = make_converter()


def reference_bytes(record: Any) -> bytes:
    payload = REFERENCE.unstructure(record, Record)
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)


@settings(max_examples=400, deadline=None)
@given(records())
def test_fast_writer_gives_the_converters_bytes(record: Any) -> None:
    assert canonical_bytes(record) == reference_bytes(record)


@settings(max_examples=400, deadline=None)
@given(records())
def test_fast_reader_gives_the_converters_record(record: Any) -> None:
    payload = orjson.loads(canonical_bytes(record))
    fast = _codec.decode_stored(canonical_bytes(record))
    assert fast == record
    assert fast == structure_record(payload)
    assert type(fast) is type(record)
    assert type(fast.occurred) is TimeExtent
    assert (fast.occurred.lo, fast.occurred.last) == (record.occurred.lo, record.occurred.last)
    # Read back, written again: the same bytes (what verify() and the hash rely on).
    assert canonical_bytes(fast) == canonical_bytes(record)


def same_build(got: Any, want: Any, where: str = "record") -> None:
    """``got`` equals ``want`` with the same type at every level: records, nested
    values, enum members, tuples (never lists), strings, numbers."""
    assert type(got) is type(want), f"{where}: {type(got).__name__} is not {type(want).__name__}"
    if attrs.has(type(want)):
        for field in attrs.fields(type(want)):
            name = field.name
            same_build(getattr(got, name), getattr(want, name), f"{where}.{name}")
    elif isinstance(want, tuple):
        assert len(got) == len(want), where
        for index, (mine, theirs) in enumerate(zip(got, want, strict=True)):
            same_build(mine, theirs, f"{where}[{index}]")
    else:
        assert got == want, where


@settings(max_examples=400, deadline=None)
@given(records())
def test_stored_bytes_read_without_a_dict_give_the_converters_record(record: Any) -> None:
    """`decode_stored` (what the stores read with) builds, from the stored bytes, the
    record the validating converter builds, type for type at every level, and it
    writes back to the same bytes."""
    stored = canonical_bytes(record)
    fast = _codec.decode_stored(stored)
    same_build(fast, structure_record(orjson.loads(stored)))
    same_build(fast, record)
    assert canonical_bytes(fast) == stored
    assert record_from_stored(stored) == record
    # Read twice, an extent is one shared object (the cache of extents read).
    assert _codec.decode_stored(stored).occurred is fast.occurred


def test_nested_records_and_values_are_rebuilt_with_their_types() -> None:
    attack = Attack(
        id="x",
        occurred="2020-10-05",
        sources=(Source(publisher="Monitor", published="2020-10-06"),),
        perpetrator="a",
        target_class="civilian",
    )
    fix = Correction(
        id="fix-x",
        occurred="2020-10-10",
        corrects="x",
        replacement=attack,
        reason="date",
    )
    back = record_from_stored(canonical_bytes(fix))
    assert back == fix
    assert isinstance(back, Correction)
    assert type(back.replacement) is Attack
    assert type(back.replacement.sources[0]) is Source
    assert back.replacement.sources[0].published == TimeExtent.parse("2020-10-06")


def test_defaults_omitted_on_write_are_restored_on_read() -> None:
    actor = ActorDefined(id="a", name="A", actor_kind="state")
    payload = orjson.loads(canonical_bytes(actor))
    assert "occurred" not in payload  # timeless, the default: omitted as cattrs does
    back = record_from_stored(canonical_bytes(actor))
    assert back == actor
    assert back.occurred.is_timeless
    commitment = Commitment(
        id="c", occurred="2020-10-01", commitment_kind="ceasefire", parties=("a",)
    )
    assert record_from_stored(canonical_bytes(commitment)).scope == commitment.scope


@pytest.mark.parametrize(
    "change",
    [
        {"version": 0},  # an older schema: the converter's upcasters must run
        {"surprise": 1},  # an unknown key
        {"target_class": "orbital"},  # an unknown enum value
        {"occurred": "2020-10-05"},  # a hand-written date string
        {"sources": "Reuters"},  # not a list
    ],
)
def test_what_the_fast_reader_does_not_expect_goes_to_the_converter(
    change: dict[str, Any],
) -> None:
    attack = Attack(id="x", occurred="2020-10-05", perpetrator="a")
    payload = {**orjson.loads(canonical_bytes(attack)), **change}
    with pytest.raises(_codec.Unsupported):
        _codec.decode_stored(orjson.dumps(payload))
    # record_from_stored then gives what the validating converter gives.
    assert outcome(lambda: record_from_stored(orjson.dumps(payload))) == outcome(
        lambda: structure_record(dict(payload))
    )


def _attack_with_sources() -> dict[str, Any]:
    attack = Attack(
        id="x",
        occurred="2020-10-05",
        perpetrator="a",
        sources=(Source(publisher="Monitor", published="2020-10-06"),),
    )
    return orjson.loads(canonical_bytes(attack))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"target": None}, id="null for a field that is never null"),
        pytest.param({"perpetrator": 3}, id="a number for an id"),
        pytest.param({"fatalities": {"best": "many"}}, id="a nested value of the wrong shape"),
        pytest.param({"kind": "Rumour"}, id="a kind this version does not know"),
        pytest.param({"version": "1"}, id="a version that is not a number"),
        pytest.param({"sources": [{"publisher": "M"}]}, id="a source missing its fields"),
        pytest.param(
            {"sources": [{"publisher": "M", "published": None, "title": "", "url": None, "x": 1}]},
            id="a source with a key more",
        ),
        pytest.param(
            {"occurred": {"earliest": "x", "latest": "y", "precision": "day"}},
            id="an extent missing a key",
        ),
        pytest.param(
            {"fatalities": {"low": None, "best": 2**64, "high": None, "as_reported": None}},
            id="a whole number of more than 64 bits",
        ),
        pytest.param({"version": 2**64 + 1}, id="a version of more than 64 bits"),
        pytest.param(
            {
                "occurred": {
                    "earliest": "2020-10-05T00:00:00+00:00",
                    "latest": "2020-10-06T00:00:00+00:00",
                    "precision": "day",
                    "tz": "Mars/Olympus",
                }
            },
            id="an extent in a zone that is none",
        ),
        pytest.param(
            {
                "occurred": {
                    "earliest": "2020-10-05T00:00:00+00:00",
                    "latest": "2020-10-06T00:00:00+00:00",
                    "precision": "fortnight",
                    "tz": "UTC",
                }
            },
            id="an extent of an unknown precision",
        ),
    ],
)
def test_stored_bytes_the_typed_reader_does_not_expect_are_read_as_the_converter_reads_them(
    change: dict[str, Any],
) -> None:
    """Bytes `decode_stored` cannot build (a key, a type or a value this version
    does not write) are left to the converter, which reads them or words the
    damage: `record_from_stored` answers exactly as the converter does."""
    payload = {**_attack_with_sources(), **change}
    stored = json.dumps(payload).encode()  # orjson writes no integer past 64 bits
    with pytest.raises(_codec.Unsupported):
        _codec.decode_stored(stored)
    assert outcome(lambda: record_from_stored(stored)) == outcome(
        lambda: structure_record(orjson.loads(stored))
    )


@pytest.mark.parametrize(
    "stored",
    [
        pytest.param(b'{"kind": "Attack", "id": ', id="cut short"),
        pytest.param(b"\xff\xfe", id="not UTF-8"),
        pytest.param(b"[" * 1100 + b"]" * 1100, id="nested deeper than msgspec reads"),
    ],
)
def test_damaged_stored_bytes_are_refused_as_before(stored: bytes) -> None:
    with pytest.raises(_codec.Unsupported):
        _codec.decode_stored(stored)
    with pytest.raises(SerializationError, match="not valid JSON"):
        record_from_stored(stored)


_STORED_DAY = {
    "earliest": "2020-10-05T00:00:00+00:00",
    "latest": "2020-10-06T00:00:00+00:00",
    "precision": "day",
    "tz": "UTC",
}


def _attack_dict() -> dict[str, Any]:
    """An attack's stored payload, as a dict."""
    attack = Attack(id="x", occurred="2020-10-05", perpetrator="a")
    return orjson.loads(canonical_bytes(attack))  # type: ignore[no-any-return]


def _stored_attack(occurred: dict[str, Any]) -> bytes:
    """The stored payload of an attack that occurred as ``occurred`` says."""
    return orjson.dumps({**_attack_dict(), "occurred": occurred})


def test_a_stored_extent_the_fast_reader_does_not_expect_is_read_or_refused_as_written() -> None:
    """A payload is read as the validating converter reads it: an instant with an
    offset other than UTC is that instant, not its clock fields taken as UTC; bounds
    the wrong way round and a key an extent does not have are refused, naming it."""
    offset = {
        "earliest": "2020-10-05T04:00:00+04:00",
        "latest": "2020-10-06T04:00:00+04:00",
        "precision": "day",
        "tz": "Asia/Yerevan",
    }
    read = record_from_stored(_stored_attack(offset))
    midnight_utc = 1_601_856_000_000_000  # 2020-10-05T00:00:00Z in epoch microseconds
    assert (read.occurred.lo, read.occurred.last) == (
        midnight_utc,
        midnight_utc + 86_400_000_000 - 1,
    )
    utc = _STORED_DAY
    same = record_from_stored(_stored_attack(utc)).occurred
    assert (same.lo, same.last, same.tz) == (read.occurred.lo, read.occurred.last, "UTC")
    reversed_ = {**utc, "earliest": utc["latest"], "latest": utc["earliest"]}
    with pytest.raises(SerializationError, match=r"^occurred"):
        record_from_stored(_stored_attack(reversed_))
    extra = {**utc, "note": "x"}
    with pytest.raises(SerializationError, match=r"^occurred: unknown keys \['note'\]"):
        record_from_stored(_stored_attack(extra))


def outcome(call: Any) -> Any:
    """The record ``call`` returns, or the text of the SerializationError it raises."""
    try:
        return call()
    except SerializationError as exc:
        return f"SerializationError: {exc}"


@given(st.lists(records(), min_size=2, max_size=6))
@settings(max_examples=50, deadline=None)
def test_equal_extents_are_shared_and_still_equal(batch: list[Any]) -> None:
    decoded = [record_from_stored(canonical_bytes(r)) for r in batch]
    assert decoded == batch
    again = [record_from_stored(canonical_bytes(r)) for r in batch]
    for first, second in zip(decoded, again, strict=True):
        assert first.occurred is second.occurred  # one immutable object, cached


def test_reading_jsonl_shares_validated_extents_and_still_refuses_bad_ones(
    tmp_path: Any,
) -> None:
    day = TimeExtent.parse("2020-10-31", tz="Asia/Yerevan")
    good = [Attack(id=f"a{i}", occurred=day, perpetrator="p") for i in range(3)]
    path = tmp_path / "good.jsonl"
    path.write_text("".join(canonical_bytes(r).decode() + "\n" for r in good))
    read = list(read_jsonl(path))
    assert read == good
    assert read[0].occurred is read[2].occurred  # validated once, shared
    # Reversed bounds are refused every time, however often the good ones were read.
    payload = orjson.loads(canonical_bytes(good[0]))
    extent = payload["occurred"]
    payload["occurred"] = {**extent, "earliest": extent["latest"], "latest": extent["earliest"]}
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(orjson.dumps(payload) + b"\n")
    for _ in range(2):
        with pytest.raises(SerializationError, match=r"bad\.jsonl, line 1: occurred"):
            list(read_jsonl(bad))


def test_a_stored_extent_reads_back_with_no_wall_clock_text(tmp_path: Path) -> None:
    """Read from a store, an extent answers wall_clock_text() (None: it was stored in
    UTC), so a timeline with its own zone can append records read from another."""
    from conflict_timeline import SQLiteStore, Timeline
    from conflict_timeline._time import wall_clock_text

    raid = Attack(id="raid", occurred=TimeExtent.parse("2020-10-31", tz="Asia/Yerevan"))
    store = SQLiteStore(tmp_path / "a.db")
    store.append([raid])
    [back] = list(store.read())
    assert wall_clock_text(back.record.occurred) is None
    copy = Timeline(SQLiteStore(tmp_path / "b.db"), tz="Asia/Baku")
    copy.append(back.record)
    assert [r.record for r in copy.store.read()] == [raid]


def _fix(replacement: Any) -> Correction:
    return Correction(
        id="fix",
        occurred="2020-10-10",
        sources=(Source(publisher="Monitor", published="2020-10-11"),),
        corrects=replacement.id,
        replacement=replacement,
        reason="misread",
    )


@settings(max_examples=300, deadline=None)
@given(records().filter(lambda r: r.KIND not in ("Correction", "Retraction")))
def test_a_replacement_read_alone_is_the_one_read_within_its_correction(record: Any) -> None:
    """What the replay engine decodes of a stored correction (its replacement alone,
    the correction's other fields unread) is the record the whole decode holds."""
    stored = canonical_bytes(_fix(record))
    alone = replacement_from_stored(stored)
    assert alone == record_from_stored(stored).replacement  # type: ignore[attr-defined]
    assert type(alone) is type(record)
    assert canonical_bytes(alone) == canonical_bytes(record)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"version": 0}, id="an older schema of correction"),
        pytest.param({"kind": "Retraction"}, id="not a correction"),
        pytest.param({"replacement": None}, id="no replacement"),
        pytest.param({"replacement": [1]}, id="a replacement that is not an object"),
        pytest.param(
            {"replacement": {"kind": "Attack", "version": 1, "id": "x", "occurred": "soon"}},
            id="a replacement that does not decode",
        ),
    ],
)
def test_a_replacement_that_cannot_be_read_alone_is_left_to_the_whole_decode(
    change: dict[str, Any],
) -> None:
    """None: the engine then decodes the whole correction, which reads it (an older
    schema, through the upcasters) or words the damage."""
    attack = Attack(id="x", occurred="2020-10-05", perpetrator="a")
    payload = {**orjson.loads(canonical_bytes(_fix(attack))), **change}
    assert replacement_from_stored(orjson.dumps(payload)) is None
    assert replacement_from_stored(b'{"kind": "Correction", "replacement": ') is None
    # Nested deeper than msgspec reads, in a key it would skip: orjson refuses it too.
    deep = canonical_bytes(_fix(attack))[:-1] + b',"z":' + b"[" * 1100 + b"]" * 1100 + b"}"
    assert replacement_from_stored(deep) is None


def test_an_extent_with_a_key_more_is_unsupported_even_when_its_values_were_read() -> None:
    _codec.structure_extent(dict(_STORED_DAY))  # read once: its four values cached
    with pytest.raises(_codec.Unsupported):
        _codec.structure_extent({**_STORED_DAY, "note": "x"})


@pytest.mark.parametrize("earliest", [5, "not a time", ["2020"]])
def test_an_extent_this_version_never_writes_is_unsupported_not_another_error(
    earliest: object,
) -> None:
    """``structure_extent`` raises only `Unsupported` for a dict this version does not
    write, so its callers fall back to the converter, which words the damage."""
    with pytest.raises(_codec.Unsupported):
        _codec.structure_extent({**_STORED_DAY, "earliest": earliest})


def test_bounds_one_microsecond_the_wrong_way_round_are_refused() -> None:
    stored = _stored_attack(
        {
            "earliest": "2020-10-05T00:00:00.000001+00:00",
            "latest": "2020-10-05T00:00:00+00:00",
            "precision": "instant",
            "tz": "UTC",
        }
    )
    with pytest.raises(_codec.Unsupported):
        _codec.decode_stored(stored)
    with pytest.raises(SerializationError, match=r"^occurred"):
        record_from_stored(stored)


def test_a_stored_bound_without_an_offset_is_refused_not_read_as_utc() -> None:
    stored = _stored_attack({**_STORED_DAY, "earliest": "2020-10-05T00:00:00"})
    with pytest.raises(_codec.Unsupported):
        _codec.decode_stored(stored)
    with pytest.raises(
        SerializationError,
        match=r"^occurred\.earliest: '2020-10-05T00:00:00' has no UTC offset; "
        r"stored times are aware$",
    ):
        record_from_stored(stored)


def test_an_object_for_a_list_of_ids_is_refused() -> None:
    commitment = Commitment(
        id="c", occurred="2020-10-01", commitment_kind="ceasefire", parties=("a",)
    )
    payload = {**orjson.loads(canonical_bytes(commitment)), "parties": {"north": 1}}
    with pytest.raises(SerializationError, match=r"^parties: expected a list, got \{'north': 1\}"):
        structure_record(payload)


@pytest.mark.parametrize("tz", ["", None])
def test_an_empty_or_null_zone_is_refused_not_read_as_utc(tz: Any) -> None:
    """Only an extent without ``tz`` is in UTC; a ``tz`` given must name a zone."""
    payload = {**_attack_dict(), "occurred": {**_STORED_DAY, "tz": tz}}
    with pytest.raises(SerializationError, match=r"^occurred: TimeExtent\.tz must be"):
        structure_record(payload)
    with pytest.raises(SerializationError, match=r"^occurred: TimeExtent\.tz must be"):
        record_from_stored(orjson.dumps(payload))


def test_a_missing_latest_bound_is_named() -> None:
    extent = {k: v for k, v in _STORED_DAY.items() if k != "latest"}
    with pytest.raises(SerializationError, match=r"^occurred\.latest: required field missing$"):
        structure_record({**_attack_dict(), "occurred": extent})


@pytest.mark.parametrize("kind", [["Attack"], {"a": 1}])
def test_a_kind_that_is_not_text_is_an_unknown_kind(kind: Any) -> None:
    with pytest.raises(
        SerializationError, match=r"^kind: unknown record kind .*; expected one of Accusation, "
    ):
        structure_record({**_attack_dict(), "kind": kind})


def test_corrections_nested_past_python_s_recursion_never_raise_a_recursion_error() -> None:
    """A payload nested deeper than the fast reader can follow (corrections of
    corrections, 400 deep) falls back to the converter: a record or a
    SerializationError, never a RecursionError out of the store's reader."""
    inner = _attack_dict()
    for i in range(400):
        inner = {
            "kind": "Correction",
            "version": 1,
            "id": f"fix{i}",
            "occurred": _STORED_DAY,
            "corrects": "x",
            "replacement": inner,
            "reason": "r",
        }
    stored = json.dumps(inner).encode()  # orjson writes at most 255 levels
    try:
        found = record_from_stored(stored)
    except SerializationError:
        return
    assert isinstance(found, Correction)


def test_the_fast_reader_is_made_at_the_first_read_and_a_failure_to_make_it_is_loud(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fast reader is compiled when a process first reads a stored record. A bug in
    making it raises, naming the fast reader: it is not taken for a payload this
    version never wrote (Unsupported), which would send every read, silently, through
    the slower converter."""
    from conflict_timeline import _codec

    record = Attack(id="a", occurred=TimeExtent.parse("2020-10-04"), place="p")
    stored = canonical_bytes(record)

    def broken(cls: type) -> Any:
        raise TypeError(f"cannot make {cls.__name__}")

    monkeypatch.setattr(_codec, "_read_wire", _codec._first_read)
    monkeypatch.setattr(_codec, "_wire_record", broken)
    with pytest.raises(RuntimeError, match="fast reader") as raised:
        _codec.decode_stored(stored)
    assert isinstance(raised.value.__cause__, TypeError)
    monkeypatch.undo()
    monkeypatch.setattr(_codec, "_read_wire", _codec._first_read)
    assert _codec.decode_stored(stored) == record
    assert _codec._read_wire is not _codec._first_read  # made once, then kept


def test_a_kinds_writer_is_compiled_at_its_first_write_and_looked_up_in_a_plain_dict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Writers are compiled lazily, yet looked up in an exact dict: canonical_bytes
    runs once per record on million-record appends, and a dict subclass (``__missing__``)
    misses CPython's dict fast path on every lookup."""
    from conflict_timeline import _codec

    assert type(_codec._WRITERS) is dict
    monkeypatch.setattr(_codec, "_WRITERS", {})
    record = Attack(id="a", occurred=TimeExtent.parse("2020-10-04"), place="p")
    written = _codec.unstructure(record)
    assert list(_codec._WRITERS) == [Attack]
    assert _codec.unstructure(record) == written

    class Sub(Attack):
        pass

    with pytest.raises(KeyError):
        _codec.unstructure(Sub(id="s", occurred=TimeExtent.parse("2020-10-04")))


def test_threads_reading_at_once_at_first_use_make_the_fast_reader_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Threads that read their first stored record at once all read it right, and the
    reader is compiled once (the others wait for it, then use it), not once a thread."""
    import threading
    import time

    from conflict_timeline import _codec

    record = Attack(id="a", occurred=TimeExtent.parse("2020-10-04"), place="p")
    stored = canonical_bytes(record)
    made: list[type] = []
    wire_record = _codec._wire_record

    def counted(cls: type) -> Any:
        made.append(cls)
        time.sleep(0.001)  # long enough for the other threads to arrive
        return wire_record(cls)

    monkeypatch.setattr(_codec, "_read_wire", _codec._first_read)
    monkeypatch.setattr(_codec, "_wire_record", counted)
    start = threading.Barrier(8)
    got: list[Any] = []

    def reader() -> None:
        start.wait()
        got.append(_codec.decode_stored(stored))

    threads = [threading.Thread(target=reader, daemon=True) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert got == [record] * 8
    assert sorted(c.__name__ for c in made) == sorted(c.__name__ for c in _codec.RECORD_KINDS)
