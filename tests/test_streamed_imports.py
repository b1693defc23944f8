"""Imports are streamed: rows are read, mapped and appended a slice at a time inside
one transaction, so a file of any length is imported in bounded memory, with the same
result, all or nothing, as reading it whole (docs/reliability.md, "Streaming").

The real GED sample (1,000 rows, copied from ../shared to tests/data) is the file;
the store's slice is made small so that it is written in dozens of slices.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from conflict_timeline import SQLiteStore, Timeline
from conflict_timeline._conformance import TickClock
from conflict_timeline.errors import ImportDataError, SerializationError
from conflict_timeline.importers import ImportStream, append_batch, read_ucdp
from conflict_timeline.importers.ucdp import stream_ucdp
from conflict_timeline.stores import Prepared

GED = Path(__file__).parent / "data" / "ucdp-ged-23.1-sample-1000.csv"


class CountingText(io.StringIO):
    """A text file that counts the lines the CSV reader has taken from it."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.lines_read = 0

    def __next__(self) -> str:
        line = super().__next__()
        self.lines_read += 1
        return line


def _timeline(tmp_path: Path, name: str, *, slice_size: int = 50) -> Timeline:
    store = SQLiteStore(tmp_path / name, clock=TickClock())
    store._SLICE = slice_size
    return Timeline(store)


def _rows() -> tuple[list[str], list[list[str]]]:
    with GED.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = csv.reader(fh)
    return header, rows


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def test_slices_are_written_while_the_file_is_still_being_read(tmp_path: Path) -> None:
    timeline = _timeline(tmp_path, "tl.db")
    source = CountingText(GED.read_text(encoding="utf-8-sig"))
    total = source.getvalue().count("\n")
    read_when_written: list[int] = []
    store: Any = timeline.store
    write = store._write

    def spy(batch: Sequence[Prepared]) -> None:
        read_when_written.append(source.lines_read)
        write(batch)

    store._write = spy
    summary = timeline.import_("ucdp", source)
    assert summary.rows == 1000
    assert len(read_when_written) > 10  # dozens of slices, not one batch at the end
    assert read_when_written[0] < total / 10  # the first went in near the start
    assert read_when_written == sorted(read_when_written)
    assert timeline.store.verify().ok


def test_a_streamed_import_stores_what_a_whole_read_stores(tmp_path: Path) -> None:
    streamed = _timeline(tmp_path, "streamed.db")
    whole = _timeline(tmp_path, "whole.db")
    got = streamed.import_("ucdp", GED)
    expected = append_batch(whole.extend, 0, read_ucdp(GED))
    assert got == expected
    assert [(r.position, r.hash, r.record) for r in streamed.store.read()] == [
        (r.position, r.hash, r.record) for r in whole.store.read()
    ]


def test_a_strict_import_that_fails_at_the_last_row_appends_nothing(tmp_path: Path) -> None:
    header, rows = _rows()
    bad = list(rows[-1])
    bad[header.index("best")] = "many"
    text = _csv(header, [*rows[:-1], bad])
    timeline = _timeline(tmp_path, "tl.db")
    timeline.import_("ucdp", io.StringIO(text[: len(text) // 2].rsplit("\n", 1)[0] + "\n"))
    before = [(r.position, r.hash) for r in timeline.store.read()]
    last = _csv(header, rows[:-1]).count("\n") + 1  # cells may hold line breaks
    with pytest.raises(ImportDataError, match=rf"line {last}: best: 'many'"):
        timeline.import_("ucdp", io.StringIO(text), strict=True)
    assert [(r.position, r.hash) for r in timeline.store.read()] == before
    assert timeline.store.verify().ok


def test_a_repeated_id_is_judged_against_its_first_row_slices_later(tmp_path: Path) -> None:
    """The first versions went to the store long before the repeats are read: an
    identical repeat is skipped, a changed one refused naming the first line."""
    header, rows = _rows()
    same = list(rows[0])
    changed = list(rows[1])
    changed[header.index("best")] = str(int(changed[header.index("best")]) + 7)
    timeline = _timeline(tmp_path, "tl.db", slice_size=10)
    summary = timeline.import_("ucdp", io.StringIO(_csv(header, [*rows, same, changed])))
    assert summary.rows == 1002
    assert summary.skipped == 1
    [refused] = summary.refused
    assert refused.line == _csv(header, [*rows, same]).count("\n") + 1
    assert "appears again with different content (first at line 3)" in refused.reason
    assert summary.events == 1000


def test_an_import_stream_is_read_once_and_counted_at_its_end() -> None:
    stream = stream_ucdp(GED)
    assert isinstance(stream, ImportStream)
    with pytest.raises(ImportDataError, match="not been read to its end"):
        stream.batch()
    records = list(stream)
    batch = stream.batch()
    assert batch.records == ()
    whole = read_ucdp(GED)
    assert tuple(records) == whole.records
    assert (batch.rows, batch.refused, batch.flags) == (whole.rows, whole.refused, whole.flags)
    with pytest.raises(ImportDataError, match="read once"):
        list(stream)


def test_a_jsonl_line_over_the_limit_is_refused_by_line_without_being_held(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from conflict_timeline import _serialization
    from conflict_timeline._serialization import read_jsonl_numbered

    monkeypatch.setattr(_serialization, "MAX_LINE", 1000)
    good = (
        '{"kind": "ActorDefined", "id": "a", "name": "A", "actor_kind": "state", '
        '"occurred": "2020-01-01"}\n'
    )
    huge = '{"kind": "ActorDefined", "id": "b", "name": "' + "x" * 50_000 + '"}\n'

    class Pieces(io.BytesIO):
        """Records the longest piece read at once."""

        longest = 0

        def readline(self, size: int | None = -1) -> bytes:
            piece = super().readline(size)
            Pieces.longest = max(Pieces.longest, len(piece))
            return piece

    source = Pieces((good + huge + good.replace('"a"', '"c"')).encode())
    found: Iterator[tuple[int, Any]] = read_jsonl_numbered(source)
    assert next(found)[0] == 1
    with pytest.raises(SerializationError, match=r"line 2: longer than 1,000 bytes"):
        next(found)
    assert Pieces.longest <= 1_048_576  # read in pieces, never the whole line


def test_a_subclass_that_overrides_read_is_read_not_streamed(tmp_path: Path) -> None:
    """An importer that changes what ``read`` returns means it: ``import_`` calls it."""
    import attrs

    from conflict_timeline.importers import ImportBatch
    from conflict_timeline.importers.ucdp import GedImporter

    @attrs.frozen
    class ActorsOnly(GedImporter):
        name: str = "ged-actors-only"

        def read(self, source: Any, **options: Any) -> ImportBatch:
            whole = super().read(source, **options)
            kept = tuple(r for r in whole.records if r.KIND == "ActorDefined")
            return attrs.evolve(whole, records=kept)

    timeline = _timeline(tmp_path, "tl.db")
    timeline.import_(ActorsOnly(), GED)
    assert {r.kind for r in timeline.store.read()} == {"ActorDefined"}


def test_a_store_failure_while_reading_is_not_a_refused_row(tmp_path: Path) -> None:
    """``existing()`` asks the store inside the open transaction; when the store fails,
    the import fails with the store's error and appends nothing (it used to be
    counted as a refused row, and the import went on)."""
    from conflict_timeline.errors import StoreError

    timeline = _timeline(tmp_path, "tl.db")
    header, rows = _rows()
    timeline.import_("ucdp", io.StringIO(_csv(header, rows[:5])))
    before = [(r.position, r.hash) for r in timeline.store.read()]
    store: Any = timeline.store

    def broken(record_id: str) -> None:
        msg = "disk I/O error"
        raise StoreError(msg)

    store.get = broken
    with pytest.raises(StoreError, match="disk I/O error"):
        timeline.import_("ucdp", GED)
    del store.get
    assert [(r.position, r.hash) for r in timeline.store.read()] == before


def test_canonical_bytes_of_dropped_records_are_not_kept() -> None:
    """The bytes kept for a record's second serialization go when the record goes."""
    import gc
    import tracemalloc

    from conflict_timeline import Attack, TimeExtent, _serialization
    from conflict_timeline._serialization import canonical_bytes

    # Only what the serializer allocated and still holds counts: other threads of the
    # test process (a store's listener, say) may allocate meanwhile.
    mine = [tracemalloc.Filter(inclusive=True, filename_pattern=_serialization.__file__)]
    # The cache's own table, grown by the tests before this one, would be resized
    # (allocated anew, in the serializer's lines) by the first insertion: start small.
    _serialization._recent_bytes.clear()
    tracemalloc.start()
    try:
        attacks = [
            Attack(id=f"raid-{n}", occurred=TimeExtent.parse("2020-10-31"), notes="x" * 20_000)
            for n in range(200)
        ]
        for attack in attacks:
            canonical_bytes(attack)
        held = sum(t.size for t in tracemalloc.take_snapshot().filter_traces(mine).traces)
        del attacks, attack
        gc.collect()
        kept = sum(t.size for t in tracemalloc.take_snapshot().filter_traces(mine).traces)
    finally:
        tracemalloc.stop()
    assert held > 4_000_000  # the 200 payloads, held while their records live
    assert kept < 400_000


@pytest.mark.parametrize("ending", ["\n", "\r\n", ""])
def test_a_jsonl_line_of_exactly_the_limit_is_read(
    monkeypatch: pytest.MonkeyPatch, ending: str
) -> None:
    """The limit counts the line, not its line break; one character more is refused."""
    from conflict_timeline import _serialization
    from conflict_timeline._serialization import read_jsonl_numbered

    line = (
        '{"kind": "ActorDefined", "id": "a", "name": "A", "actor_kind": "state", '
        '"occurred": "2020-01-01"}'
    )
    monkeypatch.setattr(_serialization, "MAX_LINE", len(line))
    for source in (io.BytesIO((line + ending).encode()), io.StringIO(line + ending)):
        [(number, record)] = list(read_jsonl_numbered(source))
        assert (number, record.id) == (1, "a")
    monkeypatch.setattr(_serialization, "MAX_LINE", len(line) - 1)
    with pytest.raises(SerializationError, match="line 1: longer than"):
        list(read_jsonl_numbered(io.BytesIO((line + ending).encode())))
