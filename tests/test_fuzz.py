"""Hostile input: malformed JSON, JSON Lines and CSV are refused cleanly.

Whatever the bytes, the library raises only :class:`ConflictTimelineError`
subclasses, with a message that says where (file, line, field path) and what is
wrong, bounded in size however large or deeply nested the input; and an import that
fails leaves the store exactly as it was (same rows, same head, ``verify()`` true).

The long variants (``@slow``) run the same properties with many more examples:
``CT_SLOW=1 pytest -m slow tests/test_fuzz.py``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    ActorDefined,
    AnyRecord,
    Attack,
    ConflictTimelineError,
    DuplicateRecordError,
    Figure,
    ImportBatch,
    ImportDataError,
    InvalidRecordError,
    InvalidTimeError,
    MemoryStore,
    Observation,
    Record,
    Recorded,
    SerializationError,
    Store,
    TimeExtent,
    Timeline,
    from_json,
    read_acled,
    read_jsonl,
    read_ucdp,
    to_json,
)
from conflict_timeline._serialization import structure_record, unstructure_record
from conflict_timeline.strategies import records, timelines

DATA = Path(__file__).parent / "data"
ACLED = DATA / "acled-synthetic-numeric-inter.csv"
UCDP = DATA / "ucdp-ged-23.1-sample-1000.csv"

slow = pytest.mark.slow
needs_ct_slow = pytest.mark.skipif(
    not os.environ.get("CT_SLOW"), reason="long variant: set CT_SLOW=1 and run -m slow"
)
# How many characters an error message may have, whatever the input: enough for
# several field problems, far less than the megabytes an attacker can send.
MAX_MESSAGE = 4_000

# CI runs the long variants scaled down (CT_SLOW_SCALE=0.1); by hand they run in full.
SCALE = float(os.environ.get("CT_SLOW_SCALE", "1"))
BIG = settings(
    max_examples=max(50, round(2_000 * SCALE)),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

# ------------------------------------------------------------------ strategies

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
"""Any JSON value (the values a hand-edited or hostile file can hold)."""

impossible_dates = st.sampled_from(
    [
        "2020-02-30",
        "2021-02-29",
        "2020-13",
        "2020-00-10",
        "2020-W54",
        "2020-10-31T24:00",
        "2020-10-31T23:60",
        "10000-01-01",
        "9999-12-31",
        "9999-12",
        "9999-W52",
        "9999-12-31T23:59:59-05:00",
        "0001-01-01T00:00:00+05:00",
        "0000-01-01",
        "-0001-01-01",
        "20201331",
        "31/10/2020",
        "yesterday",
        "",
        " ",
        "\x00",
        "2020-10-31T12:00:00+25:00",
        "2020-10-31/2020-10-01",
    ]
)

odd_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "-1",
            "1e999",
            "nan",
            "inf",
            "99999999999999999999999",
            "1.5",
            "\x00",
            "\ufeff",
            '"',
            "a,b",
            "a\nb",
            "'); DROP TABLE records; --",
            "x" * 20_000,
        ]
    ),
    impossible_dates,
)
"""Cell values that break parsers: numbers out of range, quotes, NUL, huge text."""


# ------------------------------------------------------------------ helpers


def refused(action: Callable[[], object]) -> ConflictTimelineError | None:
    """Run ``action``; return the library error it raised, None if it succeeded.

    Any other exception propagates and fails the test: that is the property.
    """
    try:
        action()
    except ConflictTimelineError as exc:
        text = str(exc)
        assert text, "an error must say what is wrong"
        assert len(text) <= MAX_MESSAGE, f"message of {len(text)} characters"
        return exc
    return None


def mutate(value: Any, data: st.DataObject, path: tuple[str | int, ...] = ()) -> tuple[Any, str]:
    """Damage one place inside a JSON value; return it and the top-level field hit."""
    top = str(path[0]) if path else ""
    if isinstance(value, dict) and value:
        key = data.draw(st.sampled_from(sorted(value)))
        how = data.draw(st.sampled_from(["delete", "replace", "date", "deeper"]))
        here = top or key
        if how == "delete":
            del value[key]
        elif how == "replace":
            value[key] = data.draw(json_values | odd_text)
        elif how == "date":
            value[key] = data.draw(impossible_dates)
        else:
            value[key], here = mutate(value[key], data, (*path, key))
            here = here or top or key
        return value, here
    if isinstance(value, list) and value:
        i = data.draw(st.integers(0, len(value) - 1))
        if data.draw(st.booleans()):
            value[i] = data.draw(json_values | odd_text)
        else:
            value[i], _ = mutate(value[i], data, (*path, i))
        return value, top
    return data.draw(json_values | odd_text), top


class NamedBytes(io.BytesIO):
    """An in-memory file with a name, as an importer would see an uploaded file."""

    name = "upload.csv"


def snapshot(store: Store) -> tuple[int, bool, list[Recorded]]:
    """Everything a reader can observe: head, verification and every stored record."""
    return store.head(), bool(store.verify()), list(store.read())


def file_snapshot(path: Path) -> tuple[str, list[str]]:
    """The main database file's bytes (hashed) and a full SQL dump of its content."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return digest, list(db.iterdump())
    finally:
        db.close()


def existing_in(store: Store) -> Callable[[str], Record | None]:
    def existing(record_id: str) -> Record | None:
        found = store.get(record_id)
        return None if found is None else found.record

    return existing


def csv_rows(path: Path, limit: int | None = None) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows if limit is None else rows[: limit + 1]


ACLED_ROWS = csv_rows(ACLED)
UCDP_ROWS = csv_rows(UCDP, limit=12)


def damaged_csv(rows: list[list[str]], data: st.DataObject) -> bytes:
    """A CSV file with some cells replaced, maybe bad bytes spliced in, maybe cut short."""
    rows = [list(r) for r in rows]
    for _ in range(data.draw(st.integers(1, 5))):
        r = data.draw(st.integers(0, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = data.draw(odd_text)
    if data.draw(st.integers(0, 5)) == 0:  # a ragged row: a cell too many or too few
        r = data.draw(st.integers(1, len(rows) - 1))
        rows[r] = rows[r][:-1] if data.draw(st.booleans()) else [*rows[r], "extra"]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    raw = out.getvalue().encode("utf-8")
    if data.draw(st.booleans()):  # bytes that are not UTF-8 (or are, by luck)
        at = data.draw(st.integers(0, len(raw)))
        raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=3)) + raw[at:]
    if data.draw(st.integers(0, 5)) == 0:
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    return raw


def check_import(
    reader: Callable[..., ImportBatch], raw: bytes, *, strict: bool, store: Store
) -> None:
    """Import ``raw`` into ``store``: success, or a library error and an unchanged store."""
    lines = raw.count(b"\n") + raw.count(b"\r") + 1  # the csv module ends lines at either
    before = snapshot(store)
    batch: list[ImportBatch] = []

    def read() -> None:
        batch.append(reader(NamedBytes(raw), existing=existing_in(store), strict=strict))

    error = refused(read)
    if error is not None:
        assert isinstance(error, ImportDataError)
        assert str(error).startswith("upload.csv"), "the message names the file"
        assert snapshot(store) == before
        return
    (result,) = batch
    for row, message in zip(result.refused, result.messages(), strict=True):
        assert 2 <= row.line <= lines, row
        assert row.field, row
        assert row.reason, row
        assert message.startswith(f"upload.csv, line {row.line}: {row.field}: "), message
        assert len(message) <= MAX_MESSAGE, f"message of {len(message)} characters"
    error = refused(lambda: store.append(result.records))
    if error is not None:
        assert snapshot(store) == before, f"a refused batch changed the store: {error}"
    else:
        assert store.verify()


# ======================================================================= JSON


def _any_bytes(raw: bytes) -> None:
    error = refused(lambda: from_json(raw))
    assert error is None or isinstance(error, SerializationError)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_a_record_or_a_serialization_error(raw: bytes) -> None:
    _any_bytes(raw)


@given(json_values)
def test_arbitrary_json_is_a_record_or_a_serialization_error(value: Any) -> None:
    error = refused(lambda: from_json(json.dumps(value)))
    assert error is None or isinstance(error, SerializationError)


def _damaged_record(record: AnyRecord, data: st.DataObject) -> None:
    payload, field = mutate(unstructure_record(record), data)
    text = json.dumps(payload)
    parsed: list[AnyRecord] = []
    error = refused(lambda: parsed.append(from_json(text)))
    if error is None:
        # A harmless change (another valid value): the result is a stable record.
        assert from_json(to_json(parsed[0])) == parsed[0]
        return
    assert isinstance(error, SerializationError)
    message = str(error)
    # The message names the damaged field, or (for a rule spanning fields, such as
    # ``until`` before ``effective``) the record it broke.
    assert field in message or repr(record.id) in message, message
    # The same payload as Python objects (no JSON parser in front) fails alike.
    assert isinstance(refused(lambda: structure_record(payload)), SerializationError)


@given(records(), st.data())
def test_a_damaged_record_is_refused_naming_the_field(
    record: AnyRecord, data: st.DataObject
) -> None:
    _damaged_record(record, data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"perpetrator": ["az-forces"]}, "perpetrator: expected text, got ['az-forces']"),
        ({"sources": "Reuters"}, "sources: expected a list, got 'Reuters'"),
        ({"sources": [["Reuters"]]}, "sources[0]: expected an object (Source), got"),
        ({"fatalities": 5}, "fatalities: expected an object (Figure), got 5"),
        ({"fatalities": {"best": 2.0}}, "fatalities.best: expected a whole number, got 2.0"),
        ({"fatalities": {"best": "3"}}, "fatalities.best: expected a whole number, got '3'"),
        ({"fatalities": {"best": True}}, "fatalities.best: expected a whole number, got True"),
        ({"fatalities": {"best": 2**70}}, "fatalities.best: expected a whole number of at"),
        # One past the largest signed 64-bit number, which orjson still reads as an int.
        ({"fatalities": {"best": 2**63}}, "fatalities.best: expected a whole number of at"),
        ({"fatalities": {"best": 1, "hihg": 3}}, "fatalities: unknown fields ['hihg']"),
        ({"codes": [1, 2]}, "codes: expected an object (Codes), got [1, 2]"),
        ({"status": ["alleged"]}, "status: unknown value ['alleged']; expected one of"),
        ({"kind": 7}, "kind: unknown record kind 7; expected one of"),
        ({"occurred": 20201031}, "occurred: expected a time extent object or date string"),
        (
            {
                "occurred": {
                    "earliest": "2020-10-31T00:00:00+00:00",
                    "latest": "2020-11-01T00:00:00+00:00",
                    "precision": "day",
                    "tz": "UTC",
                    "note": "x",
                }
            },
            "occurred: unknown keys ['note'] in a time extent",
        ),
    ],
)
def test_wrong_types_are_refused_not_coerced(change: dict[str, Any], message: str) -> None:
    payload = {
        "kind": "Attack",
        "id": "attack-1",
        "occurred": "2020-10-31",
        "target_class": "civilian",
        "perpetrator": "az-forces",
        **change,
    }
    error = refused(lambda: from_json(json.dumps(payload)))
    assert isinstance(error, SerializationError)
    assert str(error).startswith(message), str(error)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            {"kind": "Commitment", "commitment_kind": "ceasefire", "parties": "az"},
            "parties: expected a list, got 'az'",
        ),
        (
            {"kind": "Commitment", "commitment_kind": "ceasefire", "parties": ["az"], "scope": []},
            "scope: expected an object (Scope), got []",
        ),
        (
            {
                "kind": "PlaceDefined",
                "name": "Stepanakert",
                "place_kind": "city",
                "coordinates": {"lat": "39.8", "lon": 46.7},
            },
            "coordinates.lat: expected a finite number, got '39.8'",
        ),
        (
            {
                "kind": "PlaceDefined",
                "name": "Stepanakert",
                "place_kind": "city",
                "coordinates": {"lat": True, "lon": 46.7},
            },
            "coordinates.lat: expected a finite number, got True",
        ),
        (
            {"kind": "Confirmation", "confirmer": "un", "confirms": "x-0", "admission": 1},
            "admission: expected true or false, got 1",
        ),
        (
            {"kind": "Confirmation", "confirmer": "un", "confirms": "x-0", "admission": "false"},
            "admission: expected true or false, got 'false'",
        ),
    ],
)
def test_containers_and_numbers_must_have_their_json_type(
    payload: dict[str, Any], message: str
) -> None:
    # Before: "az" became the parties ("a", "z"), [] an empty scope, "39.8" a float.
    full = {"id": "x-1", "occurred": "2020-10-31", **payload}
    error = refused(lambda: from_json(json.dumps(full)))
    assert isinstance(error, SerializationError)
    assert str(error).startswith(message), str(error)


@given(impossible_dates, st.sampled_from(["occurred", "reported", "published"]))
def test_impossible_dates_are_refused_naming_the_field(text: str, field: str) -> None:
    payload: dict[str, Any] = {
        "kind": "Statement",
        "id": "st-1",
        "occurred": "2020-10-31",
        "speaker": "ru-mfa",
        "summary": "a statement",
    }
    if field == "published":
        payload["sources"] = [{"publisher": "Reuters", "published": text}]
        where = "sources[0].published: "
    else:
        payload[field] = text
        where = f"{field}: "
    error = refused(lambda: from_json(json.dumps(payload)))
    assert isinstance(error, SerializationError)
    assert str(error).startswith(where), str(error)


@pytest.mark.parametrize("text", ["9999-12-31", "9999-12", "9999-12-31T23", "9999-W52"])
def test_the_last_day_of_the_calendar_is_refused_not_crashed_on(text: str) -> None:
    # Its extent would end at 10000-01-01, which Python cannot represent.
    with pytest.raises(InvalidTimeError, match=rf"^cannot parse time '{text}': "):
        TimeExtent.parse(text)


@pytest.mark.parametrize("precision", ["1", "2"])
def test_importers_refuse_the_last_day_of_the_calendar_naming_the_line(precision: str) -> None:
    rows = [list(r) for r in UCDP_ROWS[:2]]
    rows[1][rows[0].index("date_end")] = "9999-12-31"
    rows[1][rows[0].index("date_prec")] = precision
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    with pytest.raises(ImportDataError, match=r"^upload\.csv, line 2: date_end: .*calendar"):
        read_ucdp(NamedBytes(out.getvalue().encode()), strict=True)
    rows = [list(r) for r in ACLED_ROWS[:2]]
    rows[1][rows[0].index("event_date")] = "9999-12-31"
    rows[1][rows[0].index("time_precision")] = precision
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    with pytest.raises(ImportDataError, match=r"^upload\.csv, line 2: event_date: "):
        read_acled(NamedBytes(out.getvalue().encode()), strict=True)


def test_huge_strings_are_kept_whole_and_quoted_briefly() -> None:
    notes = "n" * 5_000_000
    record = from_json(
        json.dumps(
            {
                "kind": "Denial",
                "id": "d",
                "occurred": "2020-10-31",
                "denier": "a",
                "denies": "b",
                "notes": notes,
            }
        )
    )
    assert record.notes == notes  # evidence is not truncated
    error = refused(
        lambda: from_json(json.dumps({"kind": "Denial", "id": "d", "occurred": "x" * 5_000_000}))
    )
    assert isinstance(error, SerializationError)
    assert str(error).startswith("occurred: cannot parse time 'xxxx")
    assert "[5000000 characters]" in str(error) or len(str(error)) < MAX_MESSAGE


def test_deep_nesting_is_refused_quickly() -> None:
    deep_text = "[" * 200_000 + "]" * 200_000
    error = refused(lambda: from_json(deep_text))
    assert isinstance(error, SerializationError)
    assert str(error).startswith("not valid JSON: depth limit exceeded")

    nested: Any = "x"
    for _ in range(100_000):
        nested = [nested]
    for field in ("notes", "sources", "fatalities", "occurred"):
        payload = {"kind": "Attack", "id": "a", "occurred": "2020-10-31", field: nested}
        error = refused(lambda payload=payload: structure_record(payload))
        assert isinstance(error, SerializationError)
        assert str(error).startswith(field), str(error)


def test_nul_in_hostile_text_does_not_garble_the_field_path() -> None:
    error = refused(
        lambda: from_json(json.dumps({"kind": "Denial", "id": "d", "occurred": "\x00x"}))
    )
    assert isinstance(error, SerializationError)
    assert str(error).startswith("occurred: cannot parse time '\\x00x'"), str(error)
    assert "\x00" not in str(error)


def test_numbers_beyond_64_bits_are_refused_and_the_largest_is_kept() -> None:
    with pytest.raises(
        InvalidRecordError, match=r"violations: must be below 2\*\*63, got a 65-bit"
    ):
        Observation(id="obs-1", occurred="2020-10-31", monitor="monitor", violations=2**64)
    with pytest.raises(InvalidRecordError, match=r"Figure\.best must be below 2\*\*63"):
        Figure(best=10**5000)  # too many digits even to print
    with pytest.raises(SerializationError, match=r"^fatalities\.best: expected a whole number of"):
        from_json(
            f'{{"kind":"Attack","id":"a","occurred":"2020","fatalities":{{"best":{2**64}}}}}'
        )
    store = MemoryStore()
    largest = Attack(id="a", occurred="2020-10-31", fatalities=Figure(best=2**63 - 1))
    store.append([largest])
    assert store.verify()
    assert from_json(to_json(largest)) == largest


def test_text_json_cannot_hold_is_refused_before_anything_is_written() -> None:
    # A lone surrogate: what os.fsdecode() makes of a file name that is not UTF-8.
    store = MemoryStore()
    store.append([ActorDefined(id="monitor", name="OSCE SMM", actor_kind="organization")])
    before = snapshot(store)
    broken = ActorDefined(id="actor-2", name="caf\udce9", actor_kind="person")
    with pytest.raises(SerializationError, match=r"^ActorDefined 'actor-2': cannot be written as"):
        store.append([ActorDefined(id="actor-1", name="fine", actor_kind="person"), broken])
    assert snapshot(store) == before


# ==================================================================== JSON Lines


DAMAGED_LINES: list[tuple[bytes, str]] = [
    (b"{oops", "not valid JSON"),
    (b'{"kind": "Attack", "id": "\xff\xfe"}', "not UTF-8"),
    (b"[1, 2, 3]", "a record must be a JSON object, got list"),
    (b"42", "a record must be a JSON object, got int"),
    (b'{"kind": "Battle", "id": "b"}', "kind: unknown record kind 'Battle'"),
    (b'{"kind": "Denial", "id": "d", "occurred": "2020-02-30"}', "occurred: cannot parse"),
    (b'{"kind": "Denial", "id": "d", "occurred": "2020", "denier": 5}', "denier: expected text"),
    (b'{"kind": "Denial", "occurred": "2020", "denier": "a", "denies": "b"}', "id: required"),
    (b"[" * 5_000 + b"]" * 5_000, "not valid JSON: depth limit exceeded"),
]


@given(
    timelines(min_size=1, max_size=8),
    st.sampled_from(DAMAGED_LINES),
    st.data(),
)
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_a_damaged_jsonl_line_is_named_and_nothing_is_appended(
    history: list[AnyRecord], damage: tuple[bytes, str], data: st.DataObject
) -> None:
    bad, reason = damage
    lines = [to_json(r).encode("utf-8") for r in history]
    at = data.draw(st.integers(0, len(lines)))
    lines.insert(at, bad)
    stream = NamedBytes(b"\n".join(lines) + b"\n")
    stream.name = "evidence.jsonl"
    timeline = Timeline()
    timeline.append(ActorDefined(id="already-here", name="Earlier work", actor_kind="person"))
    before = snapshot(timeline.store)
    with pytest.raises(SerializationError) as info:
        timeline.extend(read_jsonl(stream))
    assert str(info.value).startswith(f"evidence.jsonl, line {at + 1}: {reason}"), info.value
    assert snapshot(timeline.store) == before


def _jsonl_bytes(raw: bytes) -> None:
    error = refused(lambda: list(read_jsonl(io.BytesIO(raw))))
    assert error is None or isinstance(error, SerializationError)
    if error is not None:
        assert str(error).startswith("<stream>, line "), str(error)


@given(st.lists(st.binary(max_size=60) | json_values.map(lambda v: json.dumps(v).encode())))
def test_arbitrary_jsonl_is_records_or_an_error_naming_the_line(chunks: list[bytes]) -> None:
    _jsonl_bytes(b"\n".join(chunks))


def test_a_failed_jsonl_import_leaves_the_sqlite_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "timeline.db"
    with Timeline.open(path) as timeline:
        timeline.append(ActorDefined(id="az", name="Azerbaijan", actor_kind="state"))
        head = timeline.head
    before = file_snapshot(path)
    evidence = tmp_path / "evidence.jsonl"
    good = [
        ActorDefined(id=f"actor-{i}", name=f"Actor {i}", actor_kind="person") for i in range(5)
    ]
    evidence.write_bytes(
        b"\n".join(to_json(r).encode() for r in good) + b'\n{"kind": "Denial", "id": 1}\n'
    )
    with Timeline.open(path) as timeline:
        with pytest.raises(SerializationError, match=r"evidence\.jsonl, line 6: "):
            timeline.extend(read_jsonl(evidence))
        assert timeline.head == head
        assert timeline.verify()
    assert file_snapshot(path) == before


# =========================================================================== CSV


def _fresh_store(reader: Callable[..., ImportBatch], path: Path) -> MemoryStore:
    store = MemoryStore()
    store.append(reader(path).records)
    return store


def _damaged_acled(data: st.DataObject) -> None:
    raw = damaged_csv(ACLED_ROWS, data)
    strict = data.draw(st.booleans())
    check_import(read_acled, raw, strict=strict, store=_fresh_store(read_acled, ACLED))


def _damaged_ucdp(data: st.DataObject) -> None:
    raw = damaged_csv(UCDP_ROWS, data)
    strict = data.draw(st.booleans())
    check_import(read_ucdp, raw, strict=strict, store=MemoryStore())


@given(st.data())
def test_a_damaged_acled_file_is_refused_cleanly(data: st.DataObject) -> None:
    _damaged_acled(data)


@given(st.data())
def test_a_damaged_ucdp_file_is_refused_cleanly(data: st.DataObject) -> None:
    _damaged_ucdp(data)


def _acled_with(column: str, value: str, *, row: int = 1) -> bytes:
    rows = [list(r) for r in ACLED_ROWS]
    rows[row][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("latitude", "north", "upload.csv, line 2: latitude: "),
        ("fatalities", "-3", "upload.csv, line 2: fatalities: "),
        ("fatalities", "1e999", "upload.csv, line 2: fatalities: "),
        ("event_date", "2023-02-30", "upload.csv, line 2: event_date: "),
        ("time_precision", "1,000", "upload.csv, line 2: time_precision: "),
        ("inter1", "2,000", "upload.csv, line 2: inter1: "),
    ],
)
def test_a_strict_acled_import_names_file_line_and_field_and_writes_nothing(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    path = tmp_path / "timeline.db"
    with Timeline.open(path) as timeline:
        timeline.append(ActorDefined(id="earlier", name="Earlier work", actor_kind="person"))
    before = file_snapshot(path)
    with Timeline.open(path) as timeline:
        # The importer is pure: it raises before anything could be appended; the
        # store is only read, through ``existing``.
        with pytest.raises(ImportDataError) as info:
            read_acled(
                NamedBytes(_acled_with(column, value)),
                existing=existing_in(timeline.store),
                strict=True,
            )
        assert str(info.value).startswith(message), info.value
        assert timeline.verify()
    assert file_snapshot(path) == before


def test_invalid_utf8_in_a_csv_names_the_line() -> None:
    rows = [list(r) for r in ACLED_ROWS]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    lines = out.getvalue().encode("utf-8").split(b"\n")
    lines[3] = lines[3].replace(b"invented strike", b"invented \xff strike", 1)
    assert b"\xff" in lines[3]
    raw = b"\n".join(lines)
    with pytest.raises(
        ImportDataError, match=r"^upload\.csv, line 4: notes: not UTF-8 \(byte 0xff\)"
    ):
        read_acled(NamedBytes(raw))


def test_invalid_utf8_deep_in_a_real_file_names_its_line(tmp_path: Path) -> None:
    lines = UCDP.read_bytes().split(b"\n")
    lines[500] = lines[500].replace(b",", b",\xfe", 1)
    bad = tmp_path / "ged-damaged.csv"
    bad.write_bytes(b"\n".join(lines))
    with pytest.raises(ImportDataError, match=r"^ged-damaged\.csv, line 501: \w+: not UTF-8"):
        read_ucdp(bad)


def test_a_batch_that_clashes_midway_leaves_the_sqlite_file_untouched(tmp_path: Path) -> None:
    # The store already holds, under an id the import will use, a *different*
    # record; the import's batch is valid up to that record, and must not land at all.
    path = tmp_path / "timeline.db"
    batch = read_acled(ACLED)
    clash_at = next(i for i, r in enumerate(batch.records) if isinstance(r, ActorDefined))
    assert clash_at > 0, "records before the clash would be written by a non-atomic store"
    clash = batch.records[clash_at]
    with Timeline.open(path) as timeline:
        timeline.append(ActorDefined(id=clash.id, name="Someone else", actor_kind="person"))
    before = file_snapshot(path)
    with Timeline.open(path) as timeline:
        with pytest.raises(DuplicateRecordError, match=rf"{clash.id!r}: a different record"):
            timeline.extend(batch.records)
        assert timeline.head == 1
        assert all(timeline.store.get(r.id) is None for r in batch.records[:clash_at])
        assert timeline.verify()
    assert file_snapshot(path) == before


# ===================================================================== long runs


@slow
@needs_ct_slow
@BIG
@given(st.binary(max_size=2_000))
def test_slow_arbitrary_bytes(raw: bytes) -> None:
    _any_bytes(raw)
    _jsonl_bytes(raw)


@slow
@needs_ct_slow
@BIG
@given(records(), st.data())
def test_slow_damaged_records(record: AnyRecord, data: st.DataObject) -> None:
    _damaged_record(record, data)


@slow
@needs_ct_slow
@BIG
@given(st.data())
def test_slow_damaged_csv(data: st.DataObject) -> None:
    _damaged_acled(data)
    _damaged_ucdp(data)
