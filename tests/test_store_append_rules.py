"""The append and verify rules of ``StoreBase`` that the mutation run of
``stores/_base.py`` found unpinned (docs/testing.md, "Mutation testing").

The rules are those of docs/explanation/store.md (the guarantees, "Bulk appends",
"The hash chain") and of the docstrings of ``StoreBase.append``, ``append_stream``,
``add_listener``, ``verify`` and the backend hooks (``_write`` is called once per
slice; ``_verify_rows`` yields the rows ``verify`` walks). Expected values are
written from those rules (hashes with hashlib, by the documented formula), never
computed by the code under test.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent import futures
from pathlib import Path
from typing import Any, Final
from unittest import mock

import pytest

from conflict_timeline import (
    Accusation,
    ActorDefined,
    Attack,
    Commitment,
    ConcurrencyError,
    Confirmation,
    Correction,
    Denial,
    DuplicateRecordError,
    InvalidRecordError,
    MemoryStore,
    PlaceDefined,
    Recorded,
    Retraction,
    Scope,
    SerializationError,
    Statement,
    StoreError,
    Timeline,
    UnknownReferenceError,
    to_json,
)
from conflict_timeline._conformance import TickClock
from conflict_timeline._serialization import canonical_bytes
from conflict_timeline.stores import Prepared, Problem, Store, StoredRow, Verification


def _actor(rid: str, **fields: Any) -> ActorDefined:
    return ActorDefined(id=rid, name=rid.title(), actor_kind="state", **fields)


def _place(rid: str) -> PlaceDefined:
    return PlaceDefined(id=rid, name=rid.title(), place_kind="town")


class _Slices(MemoryStore):
    """A memory store that notes how many records each ``_write`` call is given."""

    def __init__(self, size: int) -> None:
        super().__init__(clock=TickClock())
        self._SLICE = size
        self.writes: list[int] = []

    def _write(self, batch: Sequence[Prepared]) -> None:
        self.writes.append(len(batch))
        super()._write(batch)


class _Rows(MemoryStore):
    """A backend whose ``_verify_rows`` yields the rows it is given, as stored."""

    def __init__(self, rows: Sequence[StoredRow | Problem]) -> None:
        super().__init__()
        self.rows = list(rows)

    def _verify_rows(self) -> Iterator[StoredRow | Problem]:  # type: ignore[override]
        yield from self.rows  # (MemoryStore's own yields rows only; a backend may do both)


class _Behind(MemoryStore):
    """A store whose writes wait on a server (``WRITES_WAIT``). Each write notes the
    thread it runs on and waits (up to a second) for the next slice to be made
    meanwhile, which a write in the caller's own thread can never see; the slice
    numbered ``fail`` (from 1) raises."""

    WRITES_WAIT = True

    def __init__(self, size: int, total: int, fail: int = 0) -> None:
        super().__init__(clock=TickClock())
        self._SLICE = size
        self.total = total
        self.fail = fail
        self.writes: list[tuple[int, str]] = []
        self.made = 0  # records serialized so far
        self.changed = threading.Condition()
        self.overlapped = 0  # writes during which the next slice was made

    def making(self) -> None:
        with self.changed:
            self.made += 1
            self.changed.notify_all()

    def _write(self, batch: Sequence[Prepared]) -> None:
        after = min(self.total, batch[-1].position + self._SLICE)  # the next slice made
        if batch[-1].position < self.total:
            with self.changed:
                self.overlapped += self.changed.wait_for(lambda: self.made >= after, 1.0)
        self.writes.append((batch[0].position, threading.current_thread().name))
        if len(self.writes) == self.fail:
            msg = "the server refused the slice"
            raise StoreError(msg)
        super()._write(batch)


# ------------------------------------------------------------------ slices


def test_a_long_batch_is_written_a_slice_at_a_time() -> None:
    """``_SLICE`` records are prepared and written at a time, in position order, the
    last slice shorter; for ``append`` and ``append_stream`` alike."""
    records = [_actor(f"a{i}") for i in range(7)]
    whole = _Slices(3)
    assert whole.append(records) == (1, 2, 3, 4, 5, 6, 7)
    assert whole.writes == [3, 3, 1]
    streamed = _Slices(3)
    assert streamed.append_stream(iter(records)) == range(1, 8)
    assert streamed.writes == [3, 3, 1]
    for size in (1, 3):
        single = _Slices(size)
        assert single.append(records[:3]) == (1, 2, 3)
        assert single.append_stream(iter(records[3:6])) == range(4, 7)
        assert single.writes == ([1] * 6 if size == 1 else [3, 3])


def test_a_reference_to_an_earlier_record_of_the_same_slice_resolves() -> None:
    """References resolve to a record earlier in the batch, in the same slice too,
    with the kind of the record referred to."""
    batch = [
        _actor("north"),
        _place("hilltown"),
        Attack(id="raid", occurred="2020-10-28", perpetrator="north", place="hilltown"),
    ]
    store = _Slices(3)
    assert store.append_stream(iter(batch)) == range(1, 4)
    assert store.writes == [3]
    assert [r.id for r in store.read()] == ["north", "hilltown", "raid"]


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (Denial(id="d", occurred="2021-01-08", denier="typo", denies="raid"), "denier"),
        (Statement(id="s", occurred="2021-01-08", speaker="typo", summary="..."), "speaker"),
        (
            Confirmation(id="c", occurred="2021-01-08", confirmer="typo", confirms="raid"),
            "confirmer",
        ),
        (
            Accusation(
                id="ac",
                occurred="2021-01-08",
                accuser="typo",
                accused=("north",),
                incidents=("raid",),
            ),
            "accuser",
        ),
    ],
)
def test_an_unknown_reference_names_the_field_given_and_a_reference_to_itself(
    record: Any, field: str
) -> None:
    """store.md: an unknown actor is named under the field the record was given, not
    under the ``claimed_by`` derived from it; a record that refers to itself is told
    so, not that the id "comes later in this batch"."""
    store = MemoryStore()
    store.append([_actor("north"), Attack(id="raid", occurred="2021-01-05", perpetrator="north")])
    with pytest.raises(UnknownReferenceError) as raised:
        store.append([record])
    assert str(raised.value) == (
        f"{record.KIND} {record.id!r}: {field}: unknown actor id 'typo' (not in the store "
        "nor earlier in this batch); append it first, or pass strict=False"
    )
    itself = Denial(id="d2", occurred="2021-01-08", denier="north", denies="d2")
    with pytest.raises(UnknownReferenceError) as raised:
        store.append([itself])
    assert str(raised.value) == (
        "Denial 'd2': denies: refers to the record itself (record id 'd2'); a record "
        "cannot refer to its own id, with or without strict"
    )


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("streamed", [False, True])
def test_a_record_that_refers_to_itself_is_refused_whatever_strict_says(
    strict: bool, streamed: bool
) -> None:
    """store.md: no later record could resolve a reference to the record's own id, and
    where any kind would do it would resolve to the record itself (a denial denying
    itself): refused with or without strict, in a batch or a stream, naming the field
    the user gave (the speaker, not the claimed_by derived from it), and nothing of
    the batch is stored."""
    store = MemoryStore()
    store.append([_actor("north")])
    denial = Denial(id="d2", occurred="2021-01-08", denier="north", denies="d2")
    speech = Statement(id="s", occurred="2021-01-08", speaker="s", summary="I exist")
    for record, field, what in ((denial, "denies", "record"), (speech, "speaker", "actor")):
        batch = [_actor("south"), record]
        append = store.append_stream if streamed else store.append
        with pytest.raises(UnknownReferenceError) as raised:
            append(iter(batch) if streamed else batch, strict=strict)
        assert str(raised.value).startswith(
            f"{record.KIND} {record.id!r}: {field}: refers to the record itself "
            f"({what} id {record.id!r})"
        )
        assert [r.record.id for r in store.read()] == ["north"]


def test_a_stream_that_repeats_an_id_in_one_slice_stores_it_once() -> None:
    """Idempotent by id inside one slice of a stream, the store empty."""
    store = _Slices(10)
    north = _actor("north")
    assert store.append_stream(iter([north, _actor("south"), north])) == range(1, 3)
    assert [r.id for r in store.read()] == ["north", "south"]


# ------------------------------------------------------------------ expected_position


def test_an_expected_position_that_is_not_one_is_refused() -> None:
    """``append`` and ``append_stream`` raise InvalidRecordError when
    ``expected_position`` is not a position (a whole number >= 0), before anything
    else."""
    store = MemoryStore(clock=TickClock())
    for bad in (-1, True, "0", 1.0):
        with pytest.raises(InvalidRecordError, match="expected_position"):
            store.append([_actor("north")], expected_position=bad)  # type: ignore[arg-type]
        with pytest.raises(InvalidRecordError, match="expected_position"):
            store.append_stream(iter([_actor("north")]), expected_position=bad)  # type: ignore[arg-type]
    assert store.head() == 0


def test_a_strict_that_is_not_a_bool_is_refused() -> None:
    """``strict`` is True or False. ``strict="no"`` or ``strict=0`` is refused, before
    anything is stored: a truthy string checked every reference, the opposite of what
    its writer meant, and a falsy 0 admitted every dangling one."""
    store = MemoryStore(clock=TickClock())
    orphan = Attack(id="a", occurred="2020-10-31", perpetrator="ghost")
    for bad in ("no", 0, None):
        with pytest.raises(
            InvalidRecordError, match=rf"^append: strict must be True or False, got {bad!r}$"
        ):
            store.append([orphan], strict=bad)  # type: ignore[arg-type]
        with pytest.raises(InvalidRecordError, match=r"^append: strict must be True or False"):
            store.append_stream(iter([orphan]), strict=bad)  # type: ignore[arg-type]
    assert store.head() == 0
    assert store.append([orphan], strict=False) == (1,)


def test_a_stream_of_one_slice_checks_the_head() -> None:
    """A moved head refuses a stream with new records, whether it fills one slice or
    several."""
    store = _Slices(10)
    store.append([_actor("north")])
    with pytest.raises(ConcurrencyError):
        store.append_stream(iter([_actor("south")]), expected_position=0)
    assert store.head() == 1
    assert store.append_stream(iter([_actor("south")]), expected_position=1) == range(2, 3)


# ------------------------------------------------------------------ references


def test_an_unknown_reference_is_refused_in_the_documented_words() -> None:
    """docs/explanation/store.md: "Attack 'raid': place: unknown place id 'ganja' (not
    in the store nor earlier in this batch); append it first, or pass strict=False"."""
    store = MemoryStore(clock=TickClock())
    with pytest.raises(UnknownReferenceError) as info:
        store.append([Attack(id="raid", occurred="2020-10-29", place="ganja")])
    assert str(info.value) == (
        "Attack 'raid': place: unknown place id 'ganja' (not in the store nor earlier in "
        "this batch); append it first, or pass strict=False"
    )


def test_a_record_that_refers_to_itself_is_refused() -> None:
    """A reference must resolve in the store or *earlier* in the batch: a record is
    not earlier than itself."""
    store = MemoryStore(clock=TickClock())
    store.append([_actor("north")])
    echo = Statement(
        id="echo", occurred="2020-10-29", speaker="north", summary="me", responds_to="echo"
    )
    with pytest.raises(UnknownReferenceError, match="'echo'"):
        store.append([echo])
    assert store.head() == 1


def test_a_place_both_in_and_out_of_scope_is_one_reference(tmp_path: Path) -> None:
    """A record's references are stored without exact repeats: a place both included
    and excluded is one reference, in a file too."""
    with Timeline.open(tmp_path / "t.db") as tl:
        tl.append(_actor("north"), _place("hilltown"))
        pledge = Commitment(
            id="pledge",
            occurred="2020-10-29",
            commitment_kind="ceasefire",
            parties=("north",),
            scope=Scope(include=("hilltown",), exclude=("hilltown",)),
        )
        tl.append(pledge)
        assert [r.id for r in tl.involving("hilltown")] == ["pledge"]
        assert tl.verify() == Verification(True, 3)
        assert tl.store.dangling_references() == []


# ------------------------------------------------------------------ duplicate ids


def test_a_different_record_under_a_stored_id_is_refused_in_the_documented_words() -> None:
    """docs/explanation/store.md: "ActorDefined 'russia': a different record with this
    id is already stored, at position 3; records are immutable, append a Correction to
    change it"; and "earlier in this batch" for a clash inside the batch."""
    store = MemoryStore(clock=TickClock())
    store.append([_actor("north"), _actor("south"), _actor("russia")])
    with pytest.raises(DuplicateRecordError) as stored:
        store.append([_actor("russia", notes="another")])
    assert str(stored.value) == (
        "ActorDefined 'russia': a different record with this id is already stored, at "
        "position 3; records are immutable, append a Correction to change it"
    )
    with pytest.raises(DuplicateRecordError) as batch:
        store.append([_actor("east"), _actor("east", notes="another")])
    assert str(batch.value) == (
        "ActorDefined 'east': a different record with this id is earlier in this batch, "
        "at position 4; records are immutable, append a Correction to change it"
    )


# ------------------------------------------------------------------ serialized first


class _Locks(MemoryStore):
    """A memory store that counts the write transactions it opens."""

    def __init__(self, size: int) -> None:
        super().__init__(clock=TickClock())
        self._SLICE = size
        self.began = 0

    def _begin(self) -> None:
        self.began += 1
        super()._begin()


def test_a_record_json_cannot_hold_is_refused_before_the_write_lock() -> None:
    """store.md, "Bulk appends": a batch of up to ``_SLICE`` records is serialized
    before the store takes the write lock, so a record JSON cannot hold is refused
    first."""
    bad = _actor("north", notes="\ud800")  # a lone surrogate: no UTF-8 for it
    for batch in ([bad], [_actor("a"), _actor("b"), bad]):
        store = _Locks(3)
        with pytest.raises(SerializationError):
            store.append(batch)
        assert store.began == 0
    # A longer batch is serialized a slice at a time, inside the transaction.
    store = _Locks(3)
    with pytest.raises(SerializationError):
        store.append([_actor("a"), _actor("b"), _actor("c"), bad])
    assert (store.began, store.head()) == (1, 0)


# ------------------------------------------------------------------ listeners


def test_listeners_get_what_each_append_wrote_and_nothing_for_a_no_op() -> None:
    """``add_listener``: called with the records of each committed append (for a
    stream, the envelopes at the positions it wrote); an append that stores nothing
    new writes nothing to tell."""
    store = MemoryStore(clock=TickClock())
    told: list[list[Recorded]] = []
    store.append([_actor("north")])
    store.add_listener(told.append)
    store.append_stream(iter([_actor("north"), _actor("south"), _actor("east")]))
    assert [[(r.position, r.id) for r in batch] for batch in told] == [[(2, "south"), (3, "east")]]
    assert told[0] == list(store.read(start=2))
    store.append_stream(iter([_actor("south")]))
    store.append([_actor("east")])
    assert len(told) == 1
    store.append([_actor("east"), _actor("west")])
    assert [(r.position, r.id) for r in told[1]] == [(4, "west")]
    assert told[1] == list(store.read(start=4))


class _LateListener(MemoryStore):
    """A store to which a listener is added while an append is being written."""

    def __init__(self) -> None:
        super().__init__(clock=TickClock())
        self.told: list[list[Recorded]] = []
        self.adding = False

    def _write(self, batch: Sequence[Prepared]) -> None:
        super()._write(batch)
        if self.adding:
            self.adding = False
            self.add_listener(self.told.append)


def test_a_listener_added_while_an_append_is_written_gets_that_append() -> None:
    """Listeners are called after the commit with the records of the append: one
    added while the batch was being written gets exactly that batch."""
    store = _LateListener()
    store.append([_actor("north"), _actor("south")])
    store.adding = True
    store.append([_actor("east"), _actor("west")])
    assert [[(r.position, r.id) for r in batch] for batch in store.told] == [
        [(3, "east"), (4, "west")]
    ]


# ------------------------------------------------------------------ verify


def _chained(records: Sequence[Any], at: int = 1_700_000_000_000_000) -> list[StoredRow]:
    """Rows of ``records`` chained by the documented formula, with hashlib only."""
    rows = []
    previous = "0" * 64
    for position, record in enumerate(records, start=1):
        payload = to_json(record).encode("utf-8")
        head = f"{previous}\n{position}\n{at}\n".encode()
        digest = hashlib.sha256(head + payload).hexdigest()
        rows.append(StoredRow(position, at, digest, payload))
        previous = digest
    return rows


def test_verify_names_a_missing_position_and_one_out_of_sequence() -> None:
    """Each row's position must be the next one, else "position missing" (a gap) or
    "position out of sequence" (a position again, or going back)."""
    rows = _chained([_actor("a"), _actor("b"), _actor("c")])
    assert _Rows(rows).verify() == Verification(True, 3)
    gap = [rows[0], rows[2]]
    assert _Rows(gap).verify() == Verification(False, 1, 2, "position missing")
    again = [rows[0], rows[0]._replace(position=1), rows[1]]
    assert _Rows(again).verify() == Verification(False, 1, 2, "position out of sequence")


def test_verify_reports_a_row_of_the_wrong_types_instead_of_accepting_it() -> None:
    """A row whose ``recorded_at`` is not an integer, or whose payload is not bytes, is
    not a sound row, even when its text would hash the same."""
    rows = _chained([_actor("a"), _actor("b")])
    as_text: Any = str(rows[1].recorded_at_us)  # what a backend should not hand over
    text_time = [rows[0], rows[1]._replace(recorded_at_us=as_text)]
    found = _Rows(text_time).verify()
    assert (found.ok, found.checked, found.first_bad) == (False, 1, 2)
    decoded: Any = rows[1].payload.decode()
    text_payload = [rows[0], rows[1]._replace(payload=decoded)]
    found = _Rows(text_payload).verify()
    assert (found.ok, found.checked, found.first_bad) == (False, 1, 2)


def test_verify_reports_a_payload_that_does_not_decode_even_when_its_hash_matches() -> None:
    """store.md, "The hash chain": ``verify()`` checks that each row's payload
    decodes, so a row whose bytes are chained correctly (hash recomputed by the
    documented formula, with hashlib) but are no record is reported at its row."""
    rows = _chained([_actor("a"), _actor("b"), _actor("c")])
    at = rows[1].recorded_at_us
    junk = b'{"kind":"NoSuchKind","id":"b"}'
    digest = hashlib.sha256(f"{rows[0].hash}\n2\n{at}\n".encode() + junk).hexdigest()
    bad = [rows[0], StoredRow(2, at, digest, junk)]
    assert _Rows(bad).verify() == Verification(False, 1, 2, "payload does not decode")


def test_verify_checks_the_decoded_record_a_backend_keeps_beside_the_payload() -> None:
    """store.md: every copy a backend keeps beside the payload must agree with it; a
    memory store's decoded record that differs from its payload is reported at its
    row, the rows before it sound."""
    store = MemoryStore(clock=TickClock())
    store.append([_actor("north"), _actor("south"), _actor("east")])
    assert store.verify() == Verification(True, 3)
    item = store._rows[1]
    store._rows[1] = item._replace(record=_actor("south", aliases=("the south",)))
    assert store.verify() == Verification(False, 1, 2, "payload does not match")


def test_verify_checks_the_references_a_backend_keeps_beside_the_payload() -> None:
    """Stored references that disagree with the payload's are reported at their row."""
    store = MemoryStore(clock=TickClock())
    store.append(
        [
            _actor("north"),
            _place("hilltown"),
            Attack(id="raid", occurred="2020-10-28", perpetrator="north", place="hilltown"),
        ]
    )
    assert store.verify() == Verification(True, 3)
    item = store._rows[2]
    store._rows[2] = item._replace(refs=item.refs[:1])
    found = store.verify()
    assert (found.ok, found.checked, found.first_bad) == (False, 2, 3)


def test_verify_reports_a_problem_where_the_backend_yields_it() -> None:
    """A Problem yielded before, among or after the rows is reported as it is, and
    stops the walk: ``checked`` counts the sound rows before the position it
    concerns (all of them when it concerns none)."""
    rows = _chained([_actor("a"), _actor("b"), _actor("c")])
    before = _Rows([Problem(None, "the file's structure is damaged"), *rows])
    assert before.verify() == Verification(False, 0, None, "the file's structure is damaged")
    among = _Rows([*rows[:2], Problem(3, "row 3 is unreadable"), rows[2]])
    assert among.verify() == Verification(False, 2, 3, "row 3 is unreadable")
    after = _Rows([*rows, Problem(4, "the head is at 4")])
    assert after.verify() == Verification(False, 3, 4, "the head is at 4")
    # About an earlier position than the walk has reached: checked stops before it.
    back = _Rows([*rows, Problem(2, "references stored for row 2 only")])
    assert back.verify() == Verification(False, 1, 2, "references stored for row 2 only")
    unplaced = _Rows([*rows, Problem(None, "stray references")])
    assert unplaced.verify() == Verification(False, 3, None, "stray references")
    # About a later position than the next: every row walked was sound.
    beyond = _Rows([*rows, Problem(6, "position missing (the head is at 6)")])
    assert beyond.verify() == Verification(False, 3, 6, "position missing (the head is at 6)")


class _Listed(MemoryStore):
    """A backend whose ``_verify_rows`` is a plain iterator (nothing to close)."""

    def __init__(self, rows: Sequence[StoredRow]) -> None:
        super().__init__()
        self.rows = list(rows)

    def _verify_rows(self) -> Iterator[StoredRow]:
        return iter(self.rows)


def test_verify_walks_any_iterator_of_rows() -> None:
    """``_verify_rows`` returns an iterator of rows; a generator is closed when the
    walk stops, and one with nothing to close is walked all the same."""
    rows = _chained([_actor("a"), _actor("b")])
    assert _Listed(rows).verify() == Verification(True, 2)
    assert _Listed([rows[1]]).verify() == Verification(False, 0, 1, "position missing")


class _Held(MemoryStore):
    """A backend whose ``_verify_rows`` generator notes when it is closed."""

    def __init__(self, rows: Sequence[StoredRow]) -> None:
        super().__init__()
        self.rows = list(rows)
        self.closed = False
        self.walk: Iterator[StoredRow] | None = None

    def _verify_rows(self) -> Iterator[StoredRow]:
        def walk() -> Iterator[StoredRow]:
            try:
                yield from self.rows
            finally:
                self.closed = True

        self.walk = walk()  # held here, so only verify() closing it runs the finally
        return self.walk


def test_verify_closes_the_walk_when_it_stops_early() -> None:
    """``verify()`` stops at the first bad row and closes the generator, so a
    backend's locks taken with ``with`` inside it are released."""
    rows = _chained([_actor("a"), _actor("b"), _actor("c")])
    store = _Held([rows[0], rows[2]])
    assert store.verify() == Verification(False, 1, 2, "position missing")
    assert store.closed


@pytest.mark.parametrize("stream", [False, True])
def test_a_store_whose_writes_wait_writes_each_slice_behind_the_next(stream: bool) -> None:
    """store.md: with ``WRITES_WAIT`` each slice is written on a helper thread while
    the next is prepared, in position order, one at a time; the log is the one a
    plain append writes."""
    records = [_actor(f"a{i}") for i in range(9)]
    store = _Behind(2, total=9)
    original = canonical_bytes

    def counted(record: Any) -> bytes:
        store.making()
        return original(record)

    with mock.patch("conflict_timeline.stores._base.canonical_bytes", counted):
        if stream:
            store.append_stream(iter(records))
        else:
            store.append(records)
    assert [position for position, _ in store.writes] == [1, 3, 5, 7, 9]
    assert all(name.startswith("conflict_timeline-write") for _, name in store.writes)
    assert store.overlapped == 4  # each slice but the last: the next made meanwhile
    plain = MemoryStore(clock=TickClock())
    plain.append(records)
    assert list(store.read()) == list(plain.read())
    assert store.verify().ok


class _Asked(MemoryStore):
    """A store whose writes wait (``WRITES_WAIT``), each a little while, noting every
    question ``append`` asks it (``_lookup``, ``_fixes_targeting``) and which of
    them came while a write was under way."""

    WRITES_WAIT = True

    def __init__(self, size: int) -> None:
        super().__init__(clock=TickClock())
        self._SLICE = size
        self.writing = threading.Event()
        self.asked: list[str] = []
        self.asked_while_writing: list[str] = []

    def _note(self, question: str) -> None:
        self.asked.append(question)
        if self.writing.is_set():
            self.asked_while_writing.append(question)

    def _lookup(self, ids: Any) -> dict[str, tuple[int, str, bytes]]:
        self._note("lookup " + ",".join(sorted(ids)))
        return super()._lookup(ids)

    def _fixes_targeting(self, ids: Any) -> list[tuple[int, Any]]:
        self._note("fixes " + ",".join(sorted(ids)))
        return super()._fixes_targeting(ids)

    def _write(self, batch: Sequence[Prepared]) -> None:
        self.writing.set()
        try:
            time.sleep(0.05)  # a server's while: long enough for the next slice's checks
            super()._write(batch)
        finally:
            self.writing.clear()


RAID: Final = Attack(id="raid", occurred="2020-10-28", perpetrator="north", place="hilltown")
FIX_RAID: Final = Correction(
    id="fix-raid",
    occurred="2020-10-30",
    corrects="raid",
    replacement=Attack(id="raid", occurred="2020-10-27", perpetrator="north", place="hilltown"),
)


def _as_a_plain_append(store: Store, records: list[Any], *, strict: bool = True) -> None:
    """``store`` holds the log a plain memory store writes for an observer, then
    ``records``."""
    plain = MemoryStore(clock=TickClock())
    plain.append([_actor("observer")])
    plain.append(records, strict=strict)
    assert list(store.read()) == list(plain.read())


def test_a_bulk_append_asks_a_store_whose_writes_wait_nothing_while_it_writes() -> None:
    """store.md, "Bulk appends": a batch of several slices whose references and
    corrections name records of the batch is checked without asking the store
    anything while a slice is being written (each question on a network store's one
    connection would wait for that write): the store is asked once for the batch's
    ids and once per slice for the fixes stored before the append, all before the
    first write; the log is the one a plain append writes."""
    records: list[Any] = [
        _actor("north"),
        _place("hilltown"),
        RAID,
        _actor("south"),
        _actor("east"),
        FIX_RAID,
        _actor("west"),
    ]
    store = _Asked(2)
    store.append([_actor("observer")])
    store.asked.clear()
    assert store.append(records) == tuple(range(2, 9))
    assert store.asked_while_writing == []
    ids = sorted(r.id for r in records)
    assert store.asked == [
        "lookup " + ",".join(ids),
        "fixes hilltown,north",
        "fixes raid,south",
        "fixes east,fix-raid",
        "fixes west",
    ]
    _as_a_plain_append(store, records)


def test_a_correction_before_its_target_in_the_batch_asks_the_store_nothing() -> None:
    """store.md, "Bulk appends": what a correction in the batch names, when that is a
    record of the batch, is taken from the batch itself, the store asked only about
    records outside it; so with ``strict=False`` a correction that comes before the
    record it corrects, in a later slice, asks nothing while a slice is being
    written, and the log is the one a plain append writes."""
    records: list[Any] = [
        _actor("north"),
        _place("hilltown"),
        _actor("south"),
        FIX_RAID,
        _actor("east"),
        RAID,
        _actor("west"),
    ]
    store = _Asked(2)
    store.append([_actor("observer")])
    store.asked.clear()
    assert store.append(records, strict=False) == tuple(range(2, 9))
    assert store.asked_while_writing == []
    _as_a_plain_append(store, records, strict=False)


def test_a_bulk_append_into_an_empty_store_asks_it_nothing() -> None:
    """store.md, "Bulk appends": a store that holds nothing before an append holds no
    id of the batch and no correction naming one, so it is not asked (a first
    import, a copy into a new store); the records are checked against one another
    as ever, and the log is the one a plain append writes."""
    records: list[Any] = [
        _actor("north"),
        _place("hilltown"),
        Attack(id="raid", occurred="2020-10-28", perpetrator="north", place="hilltown"),
    ]
    for size in (2, 10):  # several slices, and one
        store = _Asked(size)
        assert store.append(records) == (1, 2, 3)
        assert store.asked == []
        plain = MemoryStore(clock=TickClock())
        plain.append(records)
        assert list(store.read()) == list(plain.read())
    store = _Asked(2)
    with pytest.raises(UnknownReferenceError, match="'raid': place: unknown place id 'ganja'"):
        store.append([*records[:2], Attack(id="raid", occurred="2020-10-28", place="ganja")])
    assert store.head() == 0


@pytest.mark.parametrize("fail", [3, 5])
@pytest.mark.parametrize("stream", [False, True])
def test_a_failed_write_behind_raises_and_stores_nothing(stream: bool, fail: int) -> None:
    """A slice whose write fails (a middle one, or the last) fails the append with
    the write's own error, and nothing of the batch is stored."""
    records = [_actor(f"a{i}") for i in range(9)]
    store = _Behind(2, total=9, fail=fail)
    write: Any = store.append_stream if stream else store.append
    original = canonical_bytes

    def counted(record: Any) -> bytes:
        store.making()
        return original(record)

    with (
        mock.patch("conflict_timeline.stores._base.canonical_bytes", counted),
        pytest.raises(StoreError, match="refused the slice"),
    ):
        write(iter(records) if stream else records)
    assert store.head() == 0
    assert [p for p, _ in store.writes] == [1, 3, 5, 7, 9][:fail]  # none after the failure
    assert store.append(records[:2]) == (1, 2)


def test_leaving_the_block_waits_for_the_write_under_way_through_interrupts() -> None:
    """The caller's own error, or an interrupt while it waits, never leaves a write
    running: the block ends only once the write has, the write's error wins over
    the one it caused, and an interrupt is raised after the write ended."""
    from conflict_timeline.stores._base import _Writes

    ended: list[str] = []
    release = threading.Event()

    def slow(batch: Any) -> None:
        release.wait(5)
        ended.append(batch)

    def failing(batch: Any) -> None:
        release.wait(5)
        ended.append(batch)
        msg = "the server refused the slice"
        raise StoreError(msg)

    def block(write: Any, item: str, error: str) -> None:
        """Put ``item``, then fail as the caller, while the write still runs."""
        threading.Timer(0.2, release.set).start()
        with _Writes(write, behind=True) as writes:
            writes.put(item)
            raise ValueError(error)

    with pytest.raises(ValueError, match="the caller's"):
        block(slow, "first", "the caller's own error")
    assert ended == ["first"]

    release.clear()
    with pytest.raises(StoreError, match="refused") as caught:
        block(failing, "second", "current transaction is aborted")
    assert ended == ["first", "second"]
    assert isinstance(caught.value.__context__, ValueError)

    release.clear()
    threading.Timer(0.2, release.set).start()
    real_wait = futures.wait
    calls = 0

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls <= 2:  # two Ctrl-C while the write runs
            raise KeyboardInterrupt
        return real_wait(*args, **kwargs)

    with mock.patch("conflict_timeline.stores._base.futures_wait", interrupted):
        with pytest.raises(KeyboardInterrupt), _Writes(slow, behind=True) as writes:
            writes.put("third")  # type: ignore[arg-type]
        assert ended == ["first", "second", "third"]


class _Watched(MemoryStore):
    """Writes behind, each slowly; its commit and rollback note whether a write was
    still running when they came."""

    WRITES_WAIT = True

    def __init__(self) -> None:
        super().__init__(clock=TickClock())
        self._SLICE = 2
        self.running = 0
        self.overlaps: list[str] = []

    def _write(self, batch: Sequence[Prepared]) -> None:
        self.running += 1
        time.sleep(0.05)
        self.running -= 1
        super()._write(batch)

    def _commit(self) -> None:
        if self.running:
            self.overlaps.append("commit")
        super()._commit()

    def _rollback(self) -> None:
        if self.running:
            self.overlaps.append("rollback")
        super()._rollback()


@pytest.mark.parametrize("stream", [False, True])
def test_an_append_never_commits_or_rolls_back_while_a_write_runs(stream: bool) -> None:
    """store-backend.md: the commit (after the last slice) and the rollback (after a
    record refused in a later slice) come only once the write under way has ended."""
    store = _Watched()
    write: Any = store.append_stream if stream else store.append
    records = [_actor(f"a{i}") for i in range(7)]
    write(iter(records) if stream else records)
    bad = [_actor(f"b{i}") for i in range(5)] + [
        Attack(id="raid", occurred="2020-10-04", perpetrator="nobody")
    ]
    with pytest.raises(UnknownReferenceError):
        write(iter(bad) if stream else bad)
    assert store.overlaps == []
    assert store.head() == 7


def test_verify_reports_a_fix_that_does_not_fit_what_it_names() -> None:
    """A store written before appends checked corrections and retractions in either
    order may hold a pair that does not fit (the rule of docs/explanation/store.md: no
    fix of a fix, a replacement of the corrected record's kind). Every row is sound,
    so verify walks them all, then reports the pair at the later of its two
    positions, naming both; a fix whose record is not stored is a dangling reference,
    not a misfit."""
    claim = Statement(
        id="claim", occurred="2020-02-02", speaker="south", summary="they shelled us"
    )
    upgrade = Correction(
        id="upgrade",
        occurred="2020-02-02",
        corrects="claim",
        replacement=Attack(id="claim", occurred="2020-02-02"),
    )
    found = _Rows(_chained([_actor("south"), upgrade, claim])).verify()
    assert (found.ok, found.checked, found.first_bad) == (False, 2, 3)
    assert found.reason == (
        "Correction 'upgrade' (position 2) acts on 'claim', a Statement (position 3), but "
        "its replacement is an Attack; a correction keeps the kind of what it corrects"
    )
    fine = Correction(
        id="fine",
        occurred="2020-02-02",
        corrects="claim",
        replacement=Statement(
            id="claim", occurred="2020-02-02", speaker="south", summary="they shelled the town"
        ),
    )
    undo = Retraction(id="undo", occurred="2020-02-03", retracts="fine")
    found = _Rows(_chained([_actor("south"), claim, fine, undo])).verify()
    assert (found.ok, found.first_bad) == (False, 4)
    assert "a Correction cannot be retracted" in found.reason
    assert _Rows(_chained([_actor("south"), claim, fine])).verify() == Verification(True, 3)
    assert _Rows(_chained([upgrade])).verify() == Verification(True, 1)  # dangling only
    # Two pairs that do not fit: the first position at which one is whole is reported
    # (the fix listed first, at 2, names a record stored at 6; the pair at 4 and 5
    # is whole first).
    other = Statement(id="other", occurred="2020-02-02", speaker="south", summary="again")
    other_fix = Correction(
        id="other-fix",
        occurred="2020-02-02",
        corrects="other",
        replacement=Attack(id="other", occurred="2020-02-02"),
    )
    rows = [_actor("south"), upgrade, _actor("north"), other, other_fix, claim]
    found = _Rows(_chained(rows)).verify()
    assert (found.ok, found.first_bad) == (False, 5)
    assert "Correction 'other-fix' (position 5)" in found.reason
