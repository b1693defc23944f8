"""JSON and JSON Lines: round trips, canonical bytes, error paths and upcasting."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import zipfile
from pathlib import Path
from typing import Any

import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflict_timeline import (
    AnyRecord,
    Attack,
    Correction,
    Figure,
    Record,
    SerializationError,
    Source,
    TimeExtent,
    configure_converter,
    from_json,
    make_converter,
    read_jsonl,
    to_json,
    write_jsonl,
)
from conflict_timeline._records import RECORD_KINDS
from conflict_timeline.strategies import records, timelines

DAY = TimeExtent.parse("2020-10-31", tz="Asia/Yerevan")


def strike(**changes: Any) -> Attack:
    fields: dict[str, Any] = {
        "id": "attack-1",
        "occurred": DAY,
        "perpetrator": "az-forces",
        "target_class": "civilian",
        "target": "a street market",
        "fatalities": Figure(low=1, best=2),
        "sources": (Source(publisher="Reuters", published="2020-10-31"),),
    }
    fields.update(changes)
    return Attack(**fields)


def payload(record: Record | None = None, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(to_json(record or strike()))
    data.update(changes)
    return data


def problem(data: Any) -> str:
    with pytest.raises(SerializationError) as info:
        from_json(json.dumps(data))
    return str(info.value)


# -------------------------------------------------------------------- round trip


def test_a_record_round_trips_with_kind_and_version() -> None:
    record = strike()
    text = to_json(record)
    data = json.loads(text)
    assert data["kind"] == "Attack"
    assert data["version"] == Attack.VERSION == 1
    assert data["occurred"] == {
        "earliest": "2020-10-30T20:00:00+00:00",
        "latest": "2020-10-31T20:00:00+00:00",
        "precision": "day",
        "tz": "Asia/Yerevan",
    }
    assert from_json(text) == record
    assert from_json(text.encode()) == record


def test_json_is_canonical_sorted_and_compact() -> None:
    text = to_json(strike())
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert "\n" not in text


def test_defaults_are_left_out() -> None:
    data = payload(Attack(id="attack-1", occurred=DAY))
    assert set(data) == {"id", "kind", "occurred", "version"}


def test_hand_written_dates_are_read_as_extents() -> None:
    record = from_json('{"kind": "Attack", "id": "a", "occurred": "2020-10"}')
    assert record.occurred == TimeExtent.parse("2020-10")


def test_an_extent_object_without_a_zone_is_in_utc() -> None:
    payload = (
        '{"kind":"Attack","id":"a","perpetrator":"p","occurred":{'
        '"earliest":"2020-10-31T00:00:00+00:00","latest":"2020-11-01T00:00:00+00:00",'
        '"precision":"day"}}'
    )
    occurred = from_json(payload).occurred
    assert (occurred.tz, str(occurred)) == ("UTC", "2020-10-31 (day, UTC)")


def test_a_correction_round_trips_with_its_replacement() -> None:
    correction = Correction(
        id="fix-1",
        occurred="2020-11-01",
        corrects="attack-1",
        replacement=strike(target_class="mixed"),
    )
    again = from_json(to_json(correction))
    assert again == correction
    assert isinstance(again, Correction)
    assert isinstance(again.replacement, Attack)


@given(records())
def test_every_record_round_trips(record: AnyRecord) -> None:
    text = to_json(record)
    again = from_json(text)
    assert again == record
    assert type(again) is type(record)
    assert to_json(again) == text


@pytest.mark.parametrize("kind", RECORD_KINDS, ids=lambda k: k.__name__)
@given(data=st.data())
def test_each_kind_round_trips_via_from_type(kind: type[Record], data: st.DataObject) -> None:
    record = data.draw(st.from_type(kind))
    assert type(record) is kind
    assert from_json(to_json(record)) == record


@given(timelines(max_size=15))
def test_jsonl_round_trips_a_timeline(history: list[AnyRecord]) -> None:
    buffer = io.StringIO()
    assert write_jsonl(history, buffer) == len(history)
    assert buffer.getvalue().count("\n") == len(history)
    buffer.seek(0)
    assert list(read_jsonl(buffer)) == history


def test_jsonl_files_round_trip(tmp_path: Path) -> None:
    records = [strike(), strike(id="attack-2", perpetrator=None)]
    path = tmp_path / "log.jsonl"
    assert write_jsonl(records, path) == 2
    assert list(read_jsonl(path)) == records
    assert list(read_jsonl(str(path))) == records
    with path.open("rb") as fh:
        assert list(read_jsonl(fh)) == records


def _packed(kind: str, body: bytes, name: str = "log.jsonl") -> bytes:
    """``body`` compressed as ``kind`` says, or zipped as ``name`` (with ``kind``
    "zip of two", beside another file)."""
    if kind == "gzip":
        return gzip.compress(body)
    if kind == "bzip2":
        return bz2.compress(body)
    if kind == "xz":
        return lzma.compress(body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, body)
        if kind == "zip of two":
            archive.writestr("other.jsonl", body)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["gzip", "bzip2", "xz", "zip"])
def test_read_jsonl_reads_a_compressed_or_zipped_file_as_the_file_it_holds(
    tmp_path: Path, kind: str
) -> None:
    """docs/howto/cli.md: a file may be zipped or compressed (.gz, .bz2, .xz), told
    by its first bytes whatever its name: as a path or a binary stream, the records
    are those of the file it holds (``log.jsonl.gz`` used to fail "not UTF-8")."""
    records = [strike(), strike(id="attack-2", perpetrator=None)]
    body = b"\xef\xbb\xbf" + "".join(to_json(r) + "\n" for r in records).encode()
    packed = _packed(kind, body)
    path = tmp_path / "log.jsonl.packed"
    path.write_bytes(packed)
    assert list(read_jsonl(path)) == records
    assert list(read_jsonl(io.BytesIO(packed))) == records
    with path.open("rb") as fh:
        assert list(read_jsonl(fh)) == records
    # A bad line is named by the file given and the line in the file it holds.
    bad = _packed(kind, body + b"{not json}\n")
    with pytest.raises(SerializationError, match=r"^<stream>, line 3: not valid JSON"):
        list(read_jsonl(io.BytesIO(bad)))


@pytest.mark.parametrize("kind", ["gzip", "bzip2", "xz"])
def test_a_compressed_jsonl_file_cut_short_is_refused_naming_it(tmp_path: Path, kind: str) -> None:
    body = "".join(to_json(strike(id=f"attack-{n}")) + "\n" for n in range(50)).encode()
    path = tmp_path / "log.jsonl.gz"
    path.write_bytes(_packed(kind, body)[:-12])
    with pytest.raises(
        SerializationError, match=r"log\.jsonl\.gz: the compressed file is cut short"
    ):
        list(read_jsonl(path))


def test_a_zip_holding_no_jsonl_file_or_several_is_refused_naming_what_it_holds(
    tmp_path: Path,
) -> None:
    body = (to_json(strike()) + "\n").encode()
    path = tmp_path / "logs.zip"
    path.write_bytes(_packed("zip of two", body))
    with pytest.raises(
        SerializationError, match=r"logs\.zip is a zip archive holding log\.jsonl, other\.jsonl"
    ):
        list(read_jsonl(path))
    path.write_bytes(_packed("zip", body, name="notes.md"))
    with pytest.raises(
        SerializationError, match=r"holding notes\.md: expected one JSON Lines file"
    ):
        list(read_jsonl(path))


def test_read_jsonl_skips_blank_lines() -> None:
    text = f"\n{to_json(strike())}\n   \n"
    assert list(read_jsonl(io.StringIO(text))) == [strike()]


def test_read_jsonl_reads_past_a_byte_order_mark_at_the_start(tmp_path: Path) -> None:
    """Notepad and Excel save UTF-8 with a byte-order mark: as a file, a binary or a
    text stream, the records read are the file's; one mid-file is no JSON."""
    records = [strike(), strike(id="attack-2", perpetrator=None)]
    body = "".join(to_json(r) + "\n" for r in records)
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    assert list(read_jsonl(path)) == records
    assert list(read_jsonl(io.BytesIO(path.read_bytes()))) == records
    assert list(read_jsonl(io.StringIO("\ufeff" + body))) == records
    with pytest.raises(SerializationError, match="line 2"):
        list(read_jsonl(io.StringIO(to_json(records[0]) + "\n\ufeff" + to_json(records[1]))))


def test_converters_are_independent() -> None:
    converter = cattrs.Converter()
    configure_converter(converter)
    record = strike()
    data = converter.unstructure(record, Record)
    assert converter.structure(data, Record) == record
    assert from_json(to_json(record, converter=make_converter()), converter=converter) == record


# ------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"occurred": {"earliest": "2020-10-31", "latest": "2020-11-01T00:00:00+00:00"}},
            "occurred.earliest: '2020-10-31' has no UTC offset; stored times are aware",
        ),
        (
            {"occurred": {"earliest": "soon", "latest": "2020-11-01T00:00:00+00:00"}},
            "occurred.earliest: 'soon' is not an ISO 8601 timestamp",
        ),
        (
            {"occurred": {"latest": "2020-11-01T00:00:00+00:00", "precision": "day"}},
            "occurred.earliest: required field missing",
        ),
        (
            {
                "occurred": {
                    "earliest": "2020-11-01T00:00:00+00:00",
                    "latest": "2020-10-01T00:00:00+00:00",
                    "precision": "day",
                }
            },
            "occurred: TimeExtent earliest 2020-11-01T00:00:00+00:00 is after latest",
        ),
        (
            {
                "occurred": {
                    "earliest": "2020-11-01T00:00:00+00:00",
                    "latest": "2020-11-01T00:00:00+00:00",
                    "precision": "fortnight",
                }
            },
            "occurred: unknown precision 'fortnight': expected one of instant, minute",
        ),
        (
            {
                "occurred": {
                    "earliest": "2020-11-01T00:00:00+00:00",
                    "latest": "2020-11-01T00:00:00+00:00",
                    "precision": "instant",
                    "tz": "Mars/Base",
                }
            },
            "occurred: TimeExtent.tz must be an IANA timezone name, got 'Mars/Base'",
        ),
        ({"occurred": "2020-13"}, "occurred: cannot parse time '2020-13'"),
        ({"occurred": 2020}, "occurred: expected a time extent object or date string, got 2020"),
        (
            {"fatalities": {"low": 5, "best": 2}},
            "fatalities: Figure: low 5 > best 2; expected low <= best <= high",
        ),
        ({"fatalities": {"best": 2.7}}, "fatalities.best: expected a whole number, got 2.7"),
        ({"fatalities": {"best": "2"}}, "fatalities.best: expected a whole number, got '2'"),
        ({"id": 5}, "id: expected text, got 5"),
        ({"id": " "}, "Attack: Attack.id must be non-empty text"),
        (
            {"target_class": "school"},
            (
                "target_class: unknown value 'school'; expected one of civilian, military, "
                "infrastructure, mixed, unknown"
            ),
        ),
        (
            {"sources": [{"publisher": "Reuters", "published": "2020-13"}]},
            "sources[0].published: cannot parse time '2020-13'",
        ),
        ({"sources": [{"publisher": "R"}, {"title": "x"}]}, "sources[1].publisher: required"),
        ({"colour": "red"}, "Attack: unknown fields ['colour']"),
        ({"kind": "Battle"}, "kind: unknown record kind 'Battle'; expected one of Accusation,"),
        ({"version": "1"}, "version: expected a whole number, got '1'"),
        ({"version": -1}, "version: expected a whole number, got -1"),
        ({"version": True}, "version: expected a whole number, got True"),
    ],
)
def test_errors_name_the_field_path(change: dict[str, Any], message: str) -> None:
    assert problem(payload(**change)).startswith(message)


def test_a_missing_field_and_several_problems_are_all_reported() -> None:
    data = payload(target_class="school", fatalities={"best": 2.5})
    del data["id"]
    text = problem(data)
    assert "id: required field missing" in text
    assert "target_class: unknown value 'school'" in text
    assert "fatalities.best: expected a whole number, got 2.5" in text


def test_errors_inside_a_replacement_keep_the_nested_path() -> None:
    correction = Correction(id="fix-1", occurred=DAY, corrects="attack-1", replacement=strike())
    data = payload(correction)
    data["replacement"]["occurred"]["earliest"] = "nope"
    assert problem(data) == "replacement.occurred.earliest: 'nope' is not an ISO 8601 timestamp"


def test_not_json_and_not_an_object() -> None:
    with pytest.raises(SerializationError, match=r"^not valid JSON: "):
        from_json("{bad")
    with pytest.raises(SerializationError, match=r"^a record must be a JSON object, got list"):
        from_json("[1]")


def test_only_records_are_written() -> None:
    with pytest.raises(SerializationError, match=r"expected a record, got str 'attack-1'"):
        to_json("attack-1")  # type: ignore[arg-type]


def test_read_jsonl_names_file_line_and_path(tmp_path: Path) -> None:
    bad = payload(occurred={"earliest": "2020-10-31", "latest": "2020-11-01T00:00:00+00:00"})
    lines = [to_json(strike()), "", to_json(strike(id="attack-2")), json.dumps(bad)]
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reader = read_jsonl(path)
    assert next(reader).id == "attack-1"
    assert next(reader).id == "attack-2"
    with pytest.raises(
        SerializationError,
        match=r"^.*log\.jsonl, line 4: occurred\.earliest: '2020-10-31' has no UTC offset",
    ):
        next(reader)


def test_read_jsonl_on_streams_names_the_stream() -> None:
    with pytest.raises(SerializationError, match=r"^<stream>, line 2: not valid JSON: "):
        list(read_jsonl(io.StringIO(to_json(strike()) + "\n{oops\n")))
    with pytest.raises(SerializationError, match=r"^<stream>, line 1: not UTF-8 \(invalid"):
        list(read_jsonl(io.BytesIO(b'{"id": "\xff"}\n')))
    with pytest.raises(SerializationError, match=r"^<stream>, line 1: kind: unknown record kind"):
        list(read_jsonl(io.StringIO('{"kind": "Battle"}\n')))


# ---------------------------------------------------------------------- upcasting


def _deaths_to_fatalities(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 of Attack (imagined) said ``"deaths": 3`` instead of a Figure."""
    data = dict(data)
    deaths = data.pop("deaths", None)
    if deaths is not None:
        data["fatalities"] = {"best": deaths}
    return data


def _version_0_payload() -> dict[str, Any]:
    return {
        "kind": "Attack",
        "version": 0,
        "id": "attack-1",
        "occurred": "2020-10-31",
        "deaths": 3,
    }


def test_an_older_payload_is_upcast() -> None:
    converter = make_converter(upcasters={("Attack", 0): _deaths_to_fatalities})
    record = from_json(json.dumps(_version_0_payload()), converter=converter)
    assert isinstance(record, Attack)
    assert record.fatalities == Figure(best=3)
    # Written back, it is the current version.
    assert json.loads(to_json(record, converter=converter))["version"] == Attack.VERSION


def test_an_older_payload_without_an_upcaster_is_refused() -> None:
    with pytest.raises(
        SerializationError, match=r"^version: no upcaster registered for Attack version 0$"
    ):
        from_json(json.dumps(_version_0_payload()))


def test_upcasters_chain_one_version_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Attack, "VERSION", 2)
    seen: list[int] = []

    def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
        seen.append(1)
        return {**data, "means": data.get("means") or "artillery"}

    def v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
        seen.append(0)
        return _deaths_to_fatalities(data)

    converter = make_converter(upcasters={("Attack", 0): v0_to_v1, ("Attack", 1): v1_to_v2})
    record = from_json(json.dumps(_version_0_payload()), converter=converter)
    assert seen == [0, 1]
    assert isinstance(record, Attack)
    assert record.means == "artillery"
    assert record.fatalities == Figure(best=3)


def test_a_failing_upcaster_is_named_in_the_error() -> None:
    """An upcaster is user code: whatever it raises, the error names its step."""

    def broken(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "fatalities": {"best": data["casualties"]}}

    converter = make_converter(upcasters={("Attack", 0): broken})
    with pytest.raises(
        SerializationError,
        match=r"^version: the upcaster for Attack version 0 failed: KeyError\('casualties'\)$",
    ):
        from_json(json.dumps(_version_0_payload()), converter=converter)


def test_upcasting_also_applies_to_jsonl() -> None:
    converter = make_converter(upcasters={("Attack", 0): _deaths_to_fatalities})
    stream = io.StringIO(json.dumps(_version_0_payload()) + "\n")
    (record,) = read_jsonl(stream, converter=converter)
    assert isinstance(record, Attack)
    assert record.fatalities == Figure(best=3)


def test_a_newer_payload_is_refused() -> None:
    data = payload(version=Attack.VERSION + 1)
    assert problem(data) == (
        "version: Attack payload is version 2, but this library reads up to 1; "
        "upgrade conflict_timeline"
    )


def test_a_payload_without_a_version_is_read_as_current() -> None:
    data = payload()
    del data["version"]
    assert from_json(json.dumps(data)) == strike()


def test_canonical_bytes_hold_only_their_own_size() -> None:
    """A store or a slice of an append keeps many payloads at once: each must cost
    about its length (orjson's own bytes keep a buffer of at least 4 KiB)."""
    import linecache
    import tracemalloc

    from conflict_timeline import Attack, TimeExtent
    from conflict_timeline._serialization import canonical_bytes

    attacks = [
        Attack(id=f"raid-{n}", occurred=TimeExtent.parse("2020-10-31"), notes="x" * (n % 900))
        for n in range(2_000)
    ]
    tracemalloc.start()
    try:
        payloads = [canonical_bytes(a) for a in attacks]
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    size = sum(len(p) for p in payloads)
    # What is still held of what was allocated where the bytes are written (the
    # line that calls orjson.dumps): the payloads themselves, not the tables of the
    # caches around them, whose growth depends on what the process did before.
    # orjson's own bytes held 11x their length.
    writes = [
        stat.size
        for stat in snapshot.statistics("lineno")
        if "orjson.dumps("
        in linecache.getline(stat.traceback[0].filename, stat.traceback[0].lineno)
        and stat.traceback[0].filename.endswith("_serialization.py")
    ]
    assert writes, "no allocation found where the bytes are written"
    assert sum(writes) < 2 * size, (writes, size)
