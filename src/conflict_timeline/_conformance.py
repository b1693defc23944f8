"""The store conformance suite: one test per store guarantee, for any backend.

A backend's test module subclasses [`StoreConformance`][conflict_timeline.testing.StoreConformance]
and says how to make a
store; pytest then runs every test below against it::

    from conflict_timeline import MemoryStore
    from conflict_timeline.testing import StoreConformance

    class TestMemoryStore(StoreConformance):
        def make_store(self, tmp_path, clock):
            return MemoryStore(clock=clock)

Importing this module needs nothing beyond the library; running the suite needs
pytest, and one property test needs hypothesis (``pip install
conflict_timeline[testing] pytest``). The tests use the records of
``conflict_timeline.datasets.karabakh_oct_2020()`` and a few small hand-made ones,
and only the `Store` protocol (plus
[`Timeline`][conflict_timeline.Timeline] for subscriptions), so they hold for any
backend that implements it.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import hashlib
import itertools
import json
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar, Final, NoReturn

import attrs

from ._records import (
    RECORD_KINDS,
    Accusation,
    ActorDefined,
    Agreement,
    AnyRecord,
    Attack,
    CommitmentEnded,
    Confirmation,
    Correction,
    Denial,
    Observation,
    PlaceDefined,
    Record,
    Retraction,
    Statement,
    references,
)
from ._serialization import from_json, to_json
from ._time import TimeExtent, epoch_us
from ._timeline import Timeline
from .datasets import karabakh_oct_2020
from .errors import (
    ConcurrencyError,
    DuplicateRecordError,
    InvalidRecordError,
    InvalidTimeError,
    QueryError,
    RecordNotFoundError,
    StoreError,
    UnknownReferenceError,
    UnsourcedRecordWarning,
)
from .stores import (
    GENESIS_HASH,
    Clock,
    Dangling,
    PayloadReader,
    Recorded,
    SavedState,
    StateKeeper,
    Store,
    StoreBase,
    Verification,
    chain_hash,
)

__all__ = ["StoreConformance", "TickClock"]

_START: Final = _dt.datetime(2024, 3, 1, 12, 0, tzinfo=_dt.UTC)


def _pytest() -> ModuleType:
    import pytest  # noqa: PLC0415  # only running the suite needs pytest, not importing it

    return pytest


def _skip(reason: str) -> NoReturn:
    _pytest().skip(reason)
    raise AssertionError(reason)  # not reached: pytest.skip raises


class TickClock:
    """A deterministic clock: each call returns the next second from 2024-03-01T12:00Z.

    Attributes:
        readings: Every time it returned, in order.
    """

    def __init__(self, start: _dt.datetime = _START, step: _dt.timedelta | None = None) -> None:
        self._next = start
        self._step = step if step is not None else _dt.timedelta(seconds=1)
        self._lock = threading.Lock()
        self.readings: list[_dt.datetime] = []

    def __call__(self) -> _dt.datetime:
        with self._lock:
            now = self._next
            self._next = now + self._step
            self.readings.append(now)
            return now


# ---------------------------------------------------------------- small records


def _actor(rid: str, **kw: Any) -> ActorDefined:
    return ActorDefined(id=rid, name=rid.replace("-", " ").title(), actor_kind="state", **kw)


def _place(rid: str, **kw: Any) -> PlaceDefined:
    return PlaceDefined(id=rid, name=rid.replace("-", " ").title(), place_kind="town", **kw)


class _Quiet(Timeline):
    """A timeline that appends the suite's records without `UnsourcedRecordWarning`:
    they are unsourced on purpose (the suite checks the store, not the sourcing), and
    a project that runs its tests with warnings as errors must still pass it."""

    def append(self, *records: Any, **kw: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnsourcedRecordWarning)
            return super().append(*records, **kw)


def _attack(rid: str, day: str = "2020-10-28", **kw: Any) -> Attack:
    return Attack(id=rid, occurred=TimeExtent.parse(day, tz="Asia/Yerevan"), **kw)


def _fix(rid: str, corrects: str, replacement: AnyRecord) -> Correction:
    """A correction of ``corrects``, dated 30 October 2020."""
    return Correction(
        id=rid, occurred=TimeExtent.parse("2020-10-30"), corrects=corrects, replacement=replacement
    )


def _claim() -> Accusation:
    """South's accusation that North carried out ``raid-2``: a claim, not a fact."""
    return Accusation(
        id="claim",
        occurred=TimeExtent.parse("2020-10-29"),
        accuser="south",
        accused=("north",),
        incidents=("raid-2",),
    )


def _small() -> list[AnyRecord]:
    """Two actors, two places and two attacks: a batch that appends in strict mode."""
    return [
        _actor("north"),
        _actor("south"),
        _place("hilltown"),
        _place("rivertown", parent="hilltown"),
        _attack("raid-1", perpetrator="north", place="hilltown", target_class="military"),
        _attack("raid-2", "2020-10-29", perpetrator="south", place="rivertown"),
    ]


# A batch as large as a slice of `StoreBase`'s bulk appends (``_SLICE``, 10,000): the
# ids ``_lookup`` is asked about at once.
_LARGE_BATCH: Final = 10_000

# Values that are not positions, as the error shows them, and their type's name.
_NOT_POSITIONS: Final = (
    (True, "True", "bool"),
    (False, "False", "bool"),
    (2.0, "2.0", "float"),
    (1.0, "1.0", "float"),
    ("2", "'2'", "str"),
    (None, "None", "NoneType"),
)


def _refuses_what_is_not_a_position(read: Callable[[Any], object], head: int) -> None:
    """``read`` (``fetch`` or ``payloads`` of a store holding ``head`` records) raises
    `RecordNotFoundError` for each of `_NOT_POSITIONS`, wherever it stands among the
    positions asked, naming it and why; the first bad position asked is the one named."""
    pytest = _pytest()
    for bad, shown, kind in _NOT_POSITIONS:
        expected = (
            f"^no record at position {re.escape(shown)}: a position is an int "
            f"from 1 to {head}, not a {kind}$"
        )
        with pytest.raises(RecordNotFoundError, match=expected):
            read([1, bad])
        with pytest.raises(RecordNotFoundError, match=expected):
            read([bad, 0])
    with pytest.raises(RecordNotFoundError, match="^no record at position 0: "):
        read([0, 2.0])


# Bounds of a read that are not positions, as the error shows them, and what they are.
_NOT_BOUNDS: Final[tuple[tuple[Any, str, str], ...]] = (
    (2.0, "2.0", "a float"),
    (True, "True", "a bool"),
    (False, "False", "a bool"),
    ("2", "'2'", "a str"),
)


def _refused_bound(call: str, argument: str, shown: str, what: str) -> str:
    """The pattern of the `QueryError` for a bound that is not a position."""
    head = re.escape(f"{call}({argument}={shown}): a position is an int")
    also = re.escape(", or None to read to the head") if argument == "stop" else ""
    return f"^{head}{also}, not {what}$"


def _dataset() -> list[AnyRecord]:
    return list(karabakh_oct_2020())


def _every_kind() -> list[AnyRecord]:
    """The worked example, then one record of each kind it lacks (referring to it), so
    a batch holds every record kind there is, the property test's draws aside."""
    day = TimeExtent.parse("2020-11-10")
    rest: list[AnyRecord] = [
        Agreement(
            id="trilateral",
            occurred=day,
            title="Trilateral statement",
            signatories=("armenia", "azerbaijan", "russia"),
        ),
        Denial(id="denial", occurred=day, denier="azerbaijan", denies="nk-accusation"),
        Confirmation(
            id="confirmation",
            occurred=day,
            confirmer="russia",
            confirms="stepanakert-market",
            admission=False,
            summary="seen from the air",
        ),
        Observation(
            id="observation",
            occurred=day,
            monitor="minsk-group",
            violations=3,
            place="stepanakert",
            commitment="civilian-protection",
            attributed_to="azerbaijan",
        ),
        CommitmentEnded(
            id="pledge-ended", occurred=day, commitment="russia-pledge", reason="expired"
        ),
        _fix("fix-market", "stepanakert-market", _attack("stepanakert-market", notes="fixed")),
        Retraction(id="retraction", occurred=day, retracts="shushi-shelling"),
    ]
    return [*_dataset(), *rest]


def _positions(recorded: Iterator[Recorded] | Sequence[Recorded]) -> list[int]:
    return [r.position for r in recorded]


class StoreConformance:
    """The store guarantees of DESIGN.md as a pytest test class.

    Subclass it in a module pytest collects (the subclass's name starts with
    ``Test``) and implement `make_store`. Implement `reopen_store` for a
    durable backend and `corrupt` if the test can reach behind the store to
    alter a stored record; the tests that need them are skipped otherwise.

    A subclass that defines ``setup_method`` or ``teardown_method`` must call
    ``super()``'s: they open and close the stores of each test.
    """

    #: How many examples the property test draws.
    PROPERTY_EXAMPLES: ClassVar[int] = 20
    #: How many seconds a concurrency test waits for its threads before it fails,
    #: saying so (a store that never releases its write lock would otherwise hang the
    #: run). The threads are daemons: a stuck one does not keep the process alive.
    THREAD_SECONDS: ClassVar[float] = 60.0

    # -- hooks -------------------------------------------------------------------------

    def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        """A new, empty store that takes ``recorded_at`` from ``clock``.

        Args:
            tmp_path: An empty directory of its own the store may keep files in.
            clock: The clock to inject.
        """
        raise NotImplementedError

    def reopen_store(self, store: Store, clock: Clock) -> Store | None:
        """Close ``store`` and open what it stored again, or None if it keeps nothing."""
        return None

    def corrupt(self, store: Store, position: int) -> bool:
        """Change one byte of the record stored at ``position`` behind the store's back.

        Returns False (the default) when the backend offers no way to do it.
        """
        return False

    def rewrite(self, store: Store, position: int, payload: bytes, digest: str) -> bool:
        """Replace the payload *and* the hash stored at ``position`` behind the store's back.

        What someone with write access does to hide an edit: the row's own hash then
        matches its payload, and only the chain to the next row shows the change.
        Returns False (the default) when the backend offers no way to do it.
        """
        return False

    # -- plumbing ----------------------------------------------------------------------

    def _join(self, threads: Sequence[threading.Thread], what: str) -> None:
        """Wait for ``threads`` (at most `THREAD_SECONDS` in all); fail naming those
        still running."""
        deadline = time.monotonic() + self.THREAD_SECONDS
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        stuck = [thread.name for thread in threads if thread.is_alive()]
        assert not stuck, (
            f"{what}: {len(stuck)} of {len(threads)} threads ({', '.join(stuck)}) still "
            f"running after {self.THREAD_SECONDS:g} s: a store that does not release its "
            "write lock when an append ends (or waits for one forever) hangs its writers"
        )

    def setup_method(self, method: object) -> None:
        """Start the list of stores this test opens."""
        self._opened: list[Store] = []
        self._dirs = itertools.count()

    def teardown_method(self, method: object) -> None:
        """Close every store this test opened."""
        for store in reversed(self._opened):
            store.close()

    def new_store(self, tmp_path: Path, clock: Clock | None = None) -> tuple[Store, TickClock]:
        """A fresh store (in a fresh directory under ``tmp_path``) and its clock."""
        tick = TickClock()
        where = tmp_path / f"store-{next(self._dirs)}"
        where.mkdir()
        store = self.make_store(where, clock if clock is not None else tick)
        self._opened.append(store)
        return store, tick

    def filled(self, tmp_path: Path) -> tuple[Store, list[AnyRecord], tuple[int, ...]]:
        """A store holding the worked example, appended as one batch."""
        store, _ = self.new_store(tmp_path)
        records = _dataset()
        positions = store.append(records)
        return store, records, positions

    # == 1. append-only ================================================================

    def test_append_only_there_is_no_update_or_delete(self, tmp_path: Path) -> None:
        """No method of the store or of what it returns changes a stored record."""
        pytest = _pytest()
        store, records, _ = self.filled(tmp_path)
        forbidden = re.compile(
            r"^(update|delete|remove|replace|truncate|clear|pop|discard|put|edit|set|"
            r"upsert|rewrite|compact|vacuum|drop|amend|patch|overwrite|modify|erase|"
            r"purge|prune|redact|insert|rename)(_|$)"
        )
        public = [name for name in dir(store) if not name.startswith("_")]
        assert not [name for name in public if forbidden.match(name)]
        assert not hasattr(store, "__setitem__")
        assert not hasattr(store, "__delitem__")
        recorded = store.get(records[0].id)
        assert recorded is not None
        with pytest.raises(AttributeError):
            recorded.record = records[1]  # type: ignore[misc]
        with pytest.raises(AttributeError):
            recorded.record.id = "renamed"  # type: ignore[misc]
        assert store.get("renamed") is None
        assert [r.record for r in store.read()] == records

    def test_append_only_a_correction_is_a_new_record(self, tmp_path: Path) -> None:
        """Correcting a record appends; the original stays, unchanged, where it was."""
        store, _ = self.new_store(tmp_path)
        original = _small()
        store.append(original)
        raid = original[4]
        assert isinstance(raid, Attack)
        fixed = attrs.evolve(raid, target="a fuel depot", target_class="infrastructure")
        correction = Correction(
            id="fix-raid-1",
            occurred=raid.occurred,
            corrects=raid.id,
            replacement=fixed,
            reason="the depot, not the barracks",
        )
        (position,) = store.append([correction])
        assert position == len(original) + 1
        assert store.head() == len(original) + 1
        kept = store.get(raid.id)
        assert kept is not None
        assert kept.record == raid
        assert kept.position == 5
        assert [r.record for r in store.read()] == [*original, correction]

    # == 2. atomic batches =============================================================

    def _assert_unchanged(self, store: Store, before: list[Recorded]) -> None:
        assert store.head() == len(before), (store.head(), len(before))
        assert list(store.read()) == before
        assert store.verify().ok, store.verify()

    @staticmethod
    def _assert_gapless(store: Store) -> None:
        """Read back, the positions are 1 to the head, each once: a failed batch
        consumed none (a store numbering from a counter a rollback does not give
        back, as a SQL sequence does, would leave a gap here)."""
        positions = [r.position for r in store.read()]
        assert positions == list(range(1, len(positions) + 1)), positions
        assert store.head() == len(positions), (store.head(), len(positions))
        assert store.verify().ok, store.verify()

    def test_atomic_a_batch_with_an_unknown_reference_writes_nothing(self, tmp_path: Path) -> None:
        """The bad record is last: the good ones before it are not written either."""
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        store.append(_small()[:4])
        before = list(store.read())
        batch = [
            _actor("east"),
            _attack("raid-3", perpetrator="east", place="hilltown"),
            _attack("raid-4", perpetrator="east", place="atlantis"),
        ]
        with pytest.raises(UnknownReferenceError):
            store.append(batch)
        self._assert_unchanged(store, before)
        assert store.get("east") is None
        assert store.get("raid-3") is None
        # Nothing was consumed: the next append takes the next positions.
        assert store.append(batch[:2]) == (5, 6)
        self._assert_gapless(store)

    def test_atomic_a_batch_with_a_conflicting_id_writes_nothing(self, tmp_path: Path) -> None:
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        store.append(_small())
        before = list(store.read())
        clash = _attack("raid-1", perpetrator="south", place="hilltown")
        with pytest.raises(DuplicateRecordError):
            store.append([_actor("east"), clash])
        self._assert_unchanged(store, before)
        assert store.get("east") is None
        store.append([_actor("east")])
        self._assert_gapless(store)

    def test_atomic_a_batch_with_a_non_record_writes_nothing(self, tmp_path: Path) -> None:
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        store.append(_small()[:2])
        before = list(store.read())
        with pytest.raises(InvalidRecordError, match="item 1"):
            store.append([_actor("east"), {"id": "west"}])  # type: ignore[list-item]
        self._assert_unchanged(store, before)
        store.append([_actor("east")])
        self._assert_gapless(store)

    def test_atomic_a_failing_clock_writes_nothing(self, tmp_path: Path) -> None:
        """The clock is read inside the append; a naive reading aborts it whole."""
        pytest = _pytest()
        readings = iter([_START, _dt.datetime(2024, 3, 1, 12, 0, 1)])  # noqa: DTZ001  # naive on purpose
        store, _ = self.new_store(tmp_path, clock=lambda: next(readings))
        store.append(_small()[:2])
        before = list(store.read())
        with pytest.raises(InvalidTimeError, match="naive"):
            store.append(_small()[2:])
        self._assert_unchanged(store, before)
        assert store.get("hilltown") is None

    # -- a long batch, written a slice at a time inside its one transaction --------

    @staticmethod
    def _in_slices(store: Store, size: int) -> None:
        """Make a `StoreBase` backend write ``size`` records
        at a time, so a short batch spans several slices (other backends: no-op)."""
        if isinstance(store, StoreBase):
            store._SLICE = size  # the one knob the tests turn

    def test_atomic_a_bad_record_in_the_last_slice_writes_nothing(self, tmp_path: Path) -> None:
        """Slices already written when the bad record is reached are not kept."""
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        self._in_slices(store, 2)
        store.append(_small()[:4])
        before = list(store.read())
        batch: list[Record] = [_actor(f"group-{i}") for i in range(6)]
        batch.append(_attack("raid-9", perpetrator="group-5", place="atlantis"))
        with pytest.raises(UnknownReferenceError, match=r"'raid-9'.*'atlantis'"):
            store.append(batch)
        self._assert_unchanged(store, before)
        assert store.get("group-0") is None
        assert store.append(batch[:6]) == (5, 6, 7, 8, 9, 10)
        self._assert_gapless(store)

    def test_slices_write_the_same_log_as_one(self, tmp_path: Path) -> None:
        """References across slices resolve; positions, stamps and hashes are those
        of the batch written whole, so the chain runs on from slice to slice."""
        records = _dataset()
        whole, _ = self.new_store(tmp_path)
        sliced, _ = self.new_store(tmp_path)
        self._in_slices(sliced, 3)
        assert sliced.append(records) == whole.append(records)
        assert list(sliced.read()) == list(whole.read())
        assert sliced.verify().ok
        # A batch with repeats (stored ids and ids repeated in it) takes the same path.
        again: list[Record] = [records[2], _actor("east"), records[0], _actor("west")]
        again.append(_actor("east"))
        again += [_place(f"village-{i}") for i in range(5)]
        assert sliced.append(again) == whole.append(again)
        assert list(sliced.read()) == list(whole.read())

    def test_slices_check_each_reference_against_earlier_slices(self, tmp_path: Path) -> None:
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        self._in_slices(store, 2)
        small = _small()
        fix = _fix(
            "fix-raid-1",
            "raid-1",
            _attack("raid-1", perpetrator="north", place="hilltown", target="a depot"),
        )
        # The correction is in the fourth slice, what it corrects in the third.
        assert store.append([*small, fix]) == (1, 2, 3, 4, 5, 6, 7)
        wrong = _fix("fix-north", "north", _place("north"))
        with pytest.raises(UnknownReferenceError, match=r"'fix-north'.*ActorDefined"):
            store.append([_actor("a"), _actor("b"), wrong])
        later = [_attack("raid-3", perpetrator="late"), _actor("x"), _actor("late")]
        with pytest.raises(UnknownReferenceError, match=r"'raid-3'.*'late'.*later"):
            store.append(later)
        assert store.head() == 7

    # == 3. idempotent by id ===========================================================

    def test_idempotent_the_same_batch_again_is_a_no_op(self, tmp_path: Path) -> None:
        store, records, positions = self.filled(tmp_path)
        before = list(store.read())
        assert store.append(records) == positions
        assert store.append([records[7]]) == (positions[7],)
        assert list(store.read()) == before

    def test_idempotent_an_equal_record_built_anew_is_a_no_op(self, tmp_path: Path) -> None:
        store, records, positions = self.filled(tmp_path)
        rebuilt = [from_json(to_json(r)) for r in records]
        assert all(a is not b for a, b in zip(rebuilt, records, strict=True))
        assert store.append(rebuilt) == positions
        assert store.head() == len(records)

    def test_idempotent_a_mixed_batch_appends_only_the_new_records(self, tmp_path: Path) -> None:
        store, _ = self.new_store(tmp_path)
        small = _small()
        assert store.append(small[:4]) == (1, 2, 3, 4)
        mixed = [small[1], small[4], small[0], small[5], small[4]]
        assert store.append(mixed) == (2, 5, 1, 6, 5)
        assert _positions(store.read()) == [1, 2, 3, 4, 5, 6]
        assert [r.record for r in store.read()] == small

    def test_idempotent_a_large_batch_again_is_a_no_op(self, tmp_path: Path) -> None:
        """`StoreBase` asks ``_lookup`` about a whole slice of ids at once (10,000 by
        default): a lookup that answers for only some of them (one query of at most
        999 parameters, say, where the batches above are a few dozen records) would
        have the others stored again under their ids."""
        store, _ = self.new_store(tmp_path)
        records: list[Record] = [_actor(f"group-{i}") for i in range(_LARGE_BATCH)]
        everything = tuple(range(1, _LARGE_BATCH + 1))
        assert store.append(records) == everything
        assert store.append(records) == everything
        assert store.head() == _LARGE_BATCH
        late = _actor("late-comer")
        assert store.append([*records, late]) == (*everything, _LARGE_BATCH + 1)
        assert store.head() == _LARGE_BATCH + 1
        assert store.verify() == Verification(True, _LARGE_BATCH + 1)

    def test_duplicate_id_with_other_content_names_the_id_and_its_position(
        self, tmp_path: Path
    ) -> None:
        pytest = _pytest()
        store, records, positions = self.filled(tmp_path)
        i = next(i for i, r in enumerate(records) if r.id == "stepanakert-market")
        market = records[i]
        assert isinstance(market, Attack)
        changed = attrs.evolve(market, target="a school")
        with pytest.raises(DuplicateRecordError) as info:
            store.append([changed])
        message = str(info.value)
        assert "'stepanakert-market'" in message
        assert f"position {positions[i]}" in message
        assert isinstance(info.value, ValueError)
        # Another kind under a stored id is a different record too.
        with pytest.raises(DuplicateRecordError, match=r"'armenia'.*position 1\b"):
            store.append([_place("armenia")])
        assert store.head() == len(records)

    def test_duplicate_id_with_other_content_inside_one_batch(self, tmp_path: Path) -> None:
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        store.append(_small()[:2])
        first = _place("ford")
        second = _place("ford", notes="the other ford")
        with pytest.raises(DuplicateRecordError, match=r"'ford'.*position 3\b"):
            store.append([first, second])
        assert store.head() == 2

    # == 4. optimistic concurrency =====================================================

    def test_concurrency_expected_position_at_the_head_appends(self, tmp_path: Path) -> None:
        store, _ = self.new_store(tmp_path)
        small = _small()
        assert store.append(small[:2], expected_position=0) == (1, 2)
        assert store.append(small[2:4], expected_position=2) == (3, 4)
        assert store.head() == 4

    def test_concurrency_a_moved_head_raises_and_writes_nothing(self, tmp_path: Path) -> None:
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        small = _small()
        store.append(small[:3])
        before = list(store.read())
        with pytest.raises(ConcurrencyError, match=r"position 2\b.*at 3\b") as info:
            store.append(small[3:], expected_position=2)
        assert isinstance(info.value, RuntimeError)
        with pytest.raises(ConcurrencyError):
            store.append(small[3:], expected_position=7)
        self._assert_unchanged(store, before)

    def test_concurrency_a_retried_append_that_had_landed_is_a_no_op(self, tmp_path: Path) -> None:
        """The acknowledgement was lost; the retry with the old head must not fail."""
        store, _ = self.new_store(tmp_path)
        small = _small()
        store.append(small[:2])
        assert store.append(small[2:], expected_position=2) == (3, 4, 5, 6)
        assert store.append(small[2:], expected_position=2) == (3, 4, 5, 6)
        assert store.head() == 6

    def test_concurrency_threads_with_retries_store_each_record_once(self, tmp_path: Path) -> None:
        store, _ = self.new_store(tmp_path)
        store.append([_actor("north"), _place("hilltown")])
        errors: list[BaseException] = []

        def writer(name: str) -> None:
            try:
                for i in range(10):
                    raid = _attack(f"{name}-{i}", perpetrator="north", place="hilltown")
                    while True:
                        seen = store.head()
                        try:
                            store.append([raid], expected_position=seen)
                            break
                        except ConcurrencyError:
                            continue
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)

        threads = [
            threading.Thread(target=writer, args=(f"w{n}",), name=f"writer-{n}", daemon=True)
            for n in range(3)
        ]
        for thread in threads:
            thread.start()
        self._join(threads, "three writers appending with expected_position")
        assert not errors
        ids = [r.id for r in store.read()]
        assert len(ids) == len(set(ids)) == 32
        assert _positions(store.read()) == list(range(1, 33))
        assert store.verify().ok

    def _race(self, store: Store, writers: int, tag: str) -> tuple[list[Any], list[Any]]:
        """``writers`` threads, released together, each append a new actor with the
        head they all saw as ``expected_position``: what landed, what was refused."""
        head = store.head()
        barrier = threading.Barrier(writers)
        landed: list[Any] = []
        refused: list[Any] = []
        errors: list[BaseException] = []

        def writer(n: int) -> None:
            try:
                barrier.wait(timeout=30)
                actor = _actor(f"racer-{tag}-{n}")
                try:
                    landed.append(store.append([actor], expected_position=head))
                except ConcurrencyError as exc:
                    refused.append(exc)
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)

        threads = [
            threading.Thread(target=writer, args=(n,), name=f"racer-{n}", daemon=True)
            for n in range(writers)
        ]
        for thread in threads:
            thread.start()
        self._join(threads, f"{writers} writers racing on one head")
        assert not errors, errors
        return landed, refused

    def test_concurrency_writers_racing_on_one_head_one_wins(self, tmp_path: Path) -> None:
        """Writers that saw the same head append at once with that ``expected_position``:
        exactly one lands, every other raises `ConcurrencyError`, round after round. A
        store that compares ``expected_position`` with a head it read before taking its
        write lock (or takes none) lets several land, each believing the head was its."""
        store, _ = self.new_store(tmp_path)
        store.append([_actor("north")])
        writers = 4
        for round_ in range(8):
            head = store.head()
            landed, refused = self._race(store, writers, str(round_))
            assert landed == [(head + 1,)], (round_, landed)
            assert len(refused) == writers - 1, (round_, refused)
            assert store.head() == head + 1
        assert _positions(store.read()) == list(range(1, store.head() + 1))
        assert store.verify().ok

    def test_concurrency_a_reader_sees_a_batch_whole_or_not_at_all(self, tmp_path: Path) -> None:
        """While one thread appends batches of five, another reads: every ``read()``
        and ``head()`` it sees ends on a batch's last record, never inside a batch (a
        commit is one step for readers too)."""
        store, _ = self.new_store(tmp_path)
        size, batches = 5, 30
        done = threading.Event()
        errors: list[BaseException] = []

        def appender() -> None:
            try:
                for b in range(batches):
                    store.append([_actor(f"batch-{b}-{i}") for i in range(size)])
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)
            finally:
                done.set()

        seen: list[int] = []
        thread = threading.Thread(target=appender, name="appender", daemon=True)
        thread.start()
        try:
            while not done.is_set():
                seen.append(store.head())
                positions = _positions(store.read())
                assert positions == list(range(1, len(positions) + 1)), positions
                seen.append(len(positions))
        finally:
            self._join([thread], "one thread appending while another reads")
        assert not errors, errors
        assert [n for n in seen if n % size] == [], seen
        assert store.head() == size * batches

    # == 5. gapless positions, records exactly as appended =============================

    def test_positions_are_gapless_in_append_order(self, tmp_path: Path) -> None:
        store, _ = self.new_store(tmp_path)
        records = _dataset()
        cuts = [0, 1, 2, 9, 10, 16, len(records)]
        appended: list[int] = []
        for lo, hi in itertools.pairwise(cuts):
            appended.extend(store.append(records[lo:hi]))
        assert appended == list(range(1, len(records) + 1))
        assert _positions(store.read()) == appended
        assert store.head() == len(records)

    def test_reads_return_records_exactly_as_appended(self, tmp_path: Path) -> None:
        store, records, positions = self.filled(tmp_path)
        read = list(store.read())
        assert [r.record for r in read] == records
        assert [to_json(r.record) for r in read] == [to_json(r) for r in records]
        for recorded, record, position in zip(read, records, positions, strict=True):
            assert type(recorded.record) is type(record)
            assert recorded.position == position
            assert recorded.id == record.id
            assert recorded.kind == record.KIND
            assert re.fullmatch(r"[0-9a-f]{64}", recorded.hash)

    def test_every_record_kind_reads_back_exactly(self, tmp_path: Path) -> None:
        """One record of every kind, hand-made: each reads back equal, of its type,
        with its canonical JSON, by ``read``, ``get`` and ``fetch``. The property test
        below draws kinds at random; this one cannot miss a kind a store mangles."""
        records = _every_kind()
        assert {type(r) for r in records} == set(RECORD_KINDS)
        store, _ = self.new_store(tmp_path)
        positions = store.append(records)
        read = list(store.read())
        assert [r.record for r in read] == records
        for recorded, record, position in zip(read, records, positions, strict=True):
            assert type(recorded.record) is type(record), record.KIND
            assert to_json(recorded.record) == to_json(record), record.KIND
            assert store.get(record.id) == recorded, record.KIND
            assert store.fetch([position]) == [recorded], record.KIND
        assert store.verify() == Verification(True, len(records))

    def test_text_reads_back_as_written_not_normalised(self, tmp_path: Path) -> None:
        """Text is kept as the source wrote it, code point for code point, after
        reopening too: an accent written as a combining mark (a file saved on a Mac),
        a character past U+FFFF, a byte-order mark, a zero-width joiner, CRLF and a
        lone CR. A backend that normalises Unicode (NFC), keeps only the Basic
        Multilingual Plane (MySQL's utf8mb3) or rewrites line ends changes what was
        published, and the bytes the hash covers; the records above are ASCII or
        composed text, which none of these touches."""
        written: list[AnyRecord] = [
            ActorDefined(
                id="decomposed",
                name="Ste\u0301panakert Z\u0307ona",
                actor_kind="armed_force",
                notes="line one\r\nline two\rline three",
            ),
            ActorDefined(
                id="astral",
                name="\U0001f4a5 \ufeffforces\u200d",
                actor_kind="organization",
                aliases=("A\u030a",),
            ),
        ]
        store, clock = self.new_store(tmp_path)
        store.append(written)
        assert [to_json(r.record) for r in store.read()] == [to_json(r) for r in written]
        assert store.verify() == Verification(True, 2)
        again = self.reopen_store(store, clock)
        if again is None:
            return  # nothing kept once closed: the reads above are the whole check
        self._opened.remove(store)
        self._opened.append(again)
        assert [to_json(r.record) for r in again.read()] == [to_json(r) for r in written]
        assert again.verify() == Verification(True, 2)

    def test_any_consistent_timeline_reads_back_exactly(self, tmp_path: Path) -> None:
        """Every record kind, drawn by the shipped strategies, appended in batches."""
        # Only this test needs hypothesis; importing the suite does not.
        from hypothesis import HealthCheck, given, settings  # noqa: PLC0415
        from hypothesis import strategies as st  # noqa: PLC0415

        from .strategies import timelines  # noqa: PLC0415

        @settings(
            max_examples=self.PROPERTY_EXAMPLES,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(records=timelines(max_size=25), cuts=st.lists(st.integers(0, 25), max_size=4))
        def check(records: list[AnyRecord], cuts: list[int]) -> None:
            store, _ = self.new_store(tmp_path)
            try:
                bounds = sorted({0, len(records), *(c for c in cuts if c < len(records))})
                for lo, hi in itertools.pairwise(bounds):
                    store.append(records[lo:hi])
                read = list(store.read())
                assert [r.record for r in read] == records
                assert _positions(read) == list(range(1, len(records) + 1))
                assert store.verify() == Verification(True, len(records))
                for recorded in read:
                    assert store.get(recorded.id) == recorded
            finally:
                self._opened.remove(store)
                store.close()

        check()

    # == reads =========================================================================

    def test_read_from_a_position_and_up_to_one(self, tmp_path: Path) -> None:
        store, records, _ = self.filled(tmp_path)
        n = len(records)
        assert _positions(store.read(start=10)) == list(range(10, n + 1))
        assert _positions(store.read(start=3, stop=7)) == [3, 4, 5, 6, 7]
        assert _positions(store.read(stop=2)) == [1, 2]
        assert _positions(store.read(start=n)) == [n]
        assert list(store.read(start=n + 1)) == []
        assert list(store.read(start=8, stop=7)) == []
        assert [r.record for r in store.read(start=4, stop=6)] == records[3:6]

    def test_read_refuses_a_bound_that_is_not_an_int(self, tmp_path: Path) -> None:
        """``start`` and ``stop`` of ``read``, and ``start`` of ``index_rows``, are ints
        (not bools), ``stop`` may be None (to the head): ``2.0``, ``True`` or ``"2"``
        are the caller's mistake on every backend, even where the database would
        compare them equal to 2 or 1, and raise `QueryError` naming the argument, its
        value and why, when the method is called, before anything is read."""
        pytest = _pytest()
        store, _, _ = self.filled(tmp_path)
        for bad, shown, what in (*_NOT_BOUNDS, (None, "None", "None")):
            with pytest.raises(QueryError, match=_refused_bound("read", "start", shown, what)):
                store.read(start=bad)
            with pytest.raises(QueryError, match=_refused_bound("read", "start", shown, what)):
                store.read(start=bad, stop=3, kinds=["Attack"])
            pattern = _refused_bound("index_rows", "start", shown, what)
            with pytest.raises(QueryError, match=pattern):
                store.index_rows(start=bad)
            with pytest.raises(QueryError, match=pattern):
                store.index_rows(start=bad, kinds=["Attack"])
        for bad, shown, what in _NOT_BOUNDS:
            with pytest.raises(QueryError, match=_refused_bound("read", "stop", shown, what)):
                store.read(stop=bad)
            with pytest.raises(QueryError, match=_refused_bound("read", "stop", shown, what)):
                store.read(start=2, stop=bad, kinds=["Attack"])

    def test_read_bounds_below_1_and_past_the_head(self, tmp_path: Path) -> None:
        """An int bound outside the log is no mistake: ``start`` below 1 reads from 1,
        ``stop`` past the head reads to the head (however far past), ``stop`` below 1
        or ``start`` past the head reads nothing."""
        store, records, _ = self.filled(tmp_path)
        n = len(records)
        everything = list(range(1, n + 1))
        assert _positions(store.read(start=0)) == everything
        assert _positions(store.read(start=-3, stop=2)) == [1, 2]
        assert _positions(store.read(start=-(2**70), stop=1)) == [1]
        assert _positions(store.read(start=n - 1, stop=n + 5)) == [n - 1, n]
        assert _positions(store.read(start=2, stop=2**70)) == everything[1:]
        assert list(store.read(start=2**70)) == []
        assert list(store.read(stop=0)) == []
        assert list(store.read(start=-3, stop=-1)) == []
        assert [row.position for row in store.index_rows(start=-3)] == everything
        assert [row.position for row in store.index_rows(start=0)] == everything
        assert list(store.index_rows(start=2**70)) == []

    def test_read_by_kind(self, tmp_path: Path) -> None:
        store, records, positions = self.filled(tmp_path)
        attacks = [p for p, r in zip(positions, records, strict=True) if isinstance(r, Attack)]
        assert len(attacks) == 3
        assert _positions(store.read(kinds=["Attack"])) == attacks
        both = [
            p
            for p, r in zip(positions, records, strict=True)
            if isinstance(r, Attack | Accusation)
        ]
        assert _positions(store.read(kinds=["Attack", "Accusation"])) == both
        assert _positions(store.read(start=attacks[1], kinds=["Attack"])) == attacks[1:]
        # A stop bounds a read by kind as it bounds any other.
        assert _positions(store.read(stop=attacks[1], kinds=["Attack"])) == attacks[:2]
        between = _positions(store.read(start=attacks[0], stop=attacks[1], kinds=["Attack"]))
        assert between == attacks[:2]
        assert _positions(store.read(stop=attacks[0] - 1, kinds=["Attack"])) == []
        assert list(store.read(kinds=["Denial"])) == []
        timeline = _Quiet(store)
        assert _positions(timeline.by_kind(Attack, "Accusation")) == both

    def test_read_by_id(self, tmp_path: Path) -> None:
        pytest = _pytest()
        store, records, positions = self.filled(tmp_path)
        for record, position in zip(records, positions, strict=True):
            found = store.get(record.id)
            assert found is not None
            assert (found.position, found.record) == (position, record)
        assert store.get("no-such-record") is None
        with pytest.raises(RecordNotFoundError, match="no-such-record"):
            Timeline(store).get("no-such-record")

    def test_fetch_positions_in_the_order_asked(self, tmp_path: Path) -> None:
        pytest = _pytest()
        store, records, _ = self.filled(tmp_path)
        fetched = store.fetch([5, 1, 25, 3])
        assert _positions(fetched) == [5, 1, 25, 3]
        assert [r.record for r in fetched] == [records[4], records[0], records[24], records[2]]
        for bad in (0, len(records) + 1, -1):
            with pytest.raises(RecordNotFoundError, match=f"position {bad}"):
                store.fetch([1, bad])

    def test_fetch_refuses_a_position_that_is_not_an_int(self, tmp_path: Path) -> None:
        """A position is an ``int`` (not a ``bool``) from 1 to the head: ``True``,
        ``2.0`` or ``"2"`` hold no record on any backend, even where the database would
        compare them equal to 1 or 2, and the error names the position and why."""
        store, records, _ = self.filled(tmp_path)
        _refuses_what_is_not_a_position(store.fetch, len(records))

    def test_payloads_if_offered_refuse_a_position_that_is_not_an_int(
        self, tmp_path: Path
    ) -> None:
        """Optional: ``payloads`` holds positions to the rule of ``fetch``."""
        pytest = _pytest()
        store, records, _ = self.filled(tmp_path)
        if not isinstance(store, PayloadReader):
            pytest.skip(f"{type(store).__name__} does not offer payloads (optional)")
            return
        _refuses_what_is_not_a_position(store.payloads, len(records))

    def test_payloads_if_offered_are_the_stored_bytes_in_the_order_asked(
        self, tmp_path: Path
    ) -> None:
        """Optional: a store that is a ``PayloadReader`` hands out each payload exactly
        as stored (the canonical JSON the chain hashes), in the order asked."""
        pytest = _pytest()
        store, records, _ = self.filled(tmp_path)
        if not isinstance(store, PayloadReader):
            pytest.skip(f"{type(store).__name__} does not offer payloads (optional)")
            return
        got = store.payloads([5, 1, 25, 3])
        assert got == [to_json(records[i]).encode("utf-8") for i in (4, 0, 24, 2)]
        assert all(type(payload) is bytes for payload in got)
        for bad in (0, len(records) + 1, -1):
            with pytest.raises(RecordNotFoundError, match=f"position {bad}"):
                store.payloads([1, bad])

    def test_payload_of_if_offered_is_the_stored_bytes_of_that_id(self, tmp_path: Path) -> None:
        """Optional: a store with ``payload_of(id)`` hands out that record's payload
        exactly as stored, and None for an id it does not hold (imports compare rows
        with it before decoding anything)."""
        pytest = _pytest()
        store, records, _ = self.filled(tmp_path)
        payload_of = getattr(store, "payload_of", None)
        if payload_of is None:
            pytest.skip(f"{type(store).__name__} does not offer payload_of (optional)")
            return
        for record in (records[0], records[7], records[-1]):
            assert payload_of(record.id) == to_json(record).encode("utf-8")
            assert type(payload_of(record.id)) is bytes
        assert payload_of("no-such-record") is None

    def test_involving_an_actor_a_place_or_a_record(self, tmp_path: Path) -> None:
        store, records, positions = self.filled(tmp_path)
        # What each id is referred to by, from the records themselves.
        expected: dict[str, list[int]] = {}
        for record, position in zip(records, positions, strict=True):
            for ref in dict.fromkeys(ref for _, ref, _ in references(record)):
                expected.setdefault(ref, []).append(position)
        for record in records:
            assert _positions(store.involving(record.id)) == expected.get(record.id, [])
        market = positions[[r.id for r in records].index("stepanakert-market")]
        residential = positions[[r.id for r in records].index("stepanakert-residential")]
        assert _positions(store.involving("stepanakert")) == [market, residential]
        assert list(store.involving("nowhere")) == []

    def test_occurred_between(self, tmp_path: Path) -> None:
        store, records, positions = self.filled(tmp_path)
        windows = [
            ("1990", "1996"),
            ("1997-06", "1997-06"),
            ("2020-10-31", "2020-10-31"),
            ("2020-09-01", "2020-09-26"),
            ("2020-09-27", "2020-12-31"),
            ("0001", "2100"),
        ]
        for start, end in windows:
            lo, hi = TimeExtent.parse(start).lo, TimeExtent.parse(end).last
            want = [
                p
                for p, r in zip(positions, records, strict=True)
                if r.occurred.lo <= hi and r.occurred.last >= lo
            ]
            assert _positions(store.occurred_between(lo, hi)) == want, (start, end)
            attacks = [p for p in want if isinstance(records[p - 1], Attack)]
            assert _positions(store.occurred_between(lo, hi, kinds=["Attack"])) == attacks
        assert len(list(store.occurred_between(-(2**62), 2**62))) == len(records)
        # The window is closed at both ends: a record whose extent begins exactly at
        # its end, or ends exactly at its start, overlaps it; a microsecond past
        # either bound does not; the same when only the record's kind is asked for.
        for record, position in zip(records, positions, strict=True):
            lo, last = record.occurred.lo, record.occurred.last
            for kinds in (None, [record.KIND]):

                def between(start: int, end: int, kinds: list[str] | None = kinds) -> list[int]:
                    return _positions(store.occurred_between(start, end, kinds=kinds))

                assert position in between(lo - 10, lo), (record.id, kinds)
                assert position in between(last, last + 10), (record.id, kinds)
                assert position not in between(lo - 10, lo - 1), (record.id, kinds)
                assert position not in between(last + 1, last + 10), (record.id, kinds)
        day = TimeExtent.parse("2020-10-31")
        direct = _positions(store.occurred_between(day.lo, day.last))
        assert direct
        assert _positions(Timeline(store).occurred_between("2020-10-31", "2020-10-31")) == direct

    def test_index_rows_agree_with_the_records(self, tmp_path: Path) -> None:
        store, _ = self.new_store(tmp_path)
        small = _small()
        store.append(small)
        raid = small[4]
        assert isinstance(raid, Attack)
        gone = Retraction(id="withdrawn", occurred=raid.occurred, retracts=raid.id)
        store.append([gone])
        rows = list(store.index_rows())
        read = list(store.read())
        assert [row.position for row in rows] == _positions(read)
        for row, recorded in zip(rows, read, strict=True):
            record = recorded.record
            assert (row.id, row.kind) == (record.id, record.KIND)
            assert (row.occ_lo, row.occ_last) == (record.occurred.lo, record.occurred.last)
            assert (row.rep_lo, row.rep_last) == (recorded.reported.lo, recorded.reported.last)
        assert rows[-1].target == raid.id
        assert [row.position for row in store.index_rows(start=5, kinds=["Attack"])] == [5, 6]
        assert [row.position for row in store.index_rows(start=6, kinds=["Attack"])] == [6]
        assert [row.position for row in store.index_rows(start=6)] == _positions(read)[5:]
        # Kinds that are most rows and kinds that are few (a store may read the two
        # differently, as SQLite does): the same rows as the unfiltered read's.
        every = sorted({row.kind for row in rows})
        for wanted in (every, every[1:], every[:1], ["Attack"], ["NoSuchKind"]):
            for start in range(1, len(rows) + 2):
                expected = [r for r in rows if r.position >= start and r.kind in wanted]
                assert list(store.index_rows(start=start, kinds=wanted)) == expected

    # == referential integrity =========================================================

    def test_references_an_unknown_id_is_refused_naming_both(self, tmp_path: Path) -> None:
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        store.append(_small()[:4])
        with pytest.raises(UnknownReferenceError) as info:
            store.append([_attack("raid-9", perpetrator="north", place="atlantis")])
        message = str(info.value)
        assert "'raid-9'" in message
        assert "'atlantis'" in message
        assert "place" in message
        assert isinstance(info.value, LookupError)
        assert store.head() == 4

    def test_references_of_the_wrong_kind_are_refused(self, tmp_path: Path) -> None:
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        store.append(_small()[:4])
        with pytest.raises(UnknownReferenceError, match=r"'raid-9'.*'north'.*PlaceDefined"):
            store.append([_attack("raid-9", place="north")])
        store.append(_small()[4:])
        statement = Statement(
            id="denial-of-raid",
            occurred=TimeExtent.parse("2020-10-30"),
            speaker="south",
            summary="it was not us",
            responds_to="raid-1",  # any record will do
        )
        assert store.append([statement]) == (7,)

    def test_references_must_come_earlier_in_a_batch(self, tmp_path: Path) -> None:
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        small = _small()
        with pytest.raises(UnknownReferenceError, match=r"'raid-1'.*'hilltown'.*later"):
            store.append([*small[:2], small[4], small[2]])
        assert store.head() == 0
        assert store.append(small) == (1, 2, 3, 4, 5, 6)

    def test_references_a_correction_keeps_the_kind_of_what_it_corrects(
        self, tmp_path: Path
    ) -> None:
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        store.append(_small())
        wrong_kind = _fix("fix-1", "hilltown", _actor("hilltown"))
        with pytest.raises(UnknownReferenceError, match=r"'fix-1'.*PlaceDefined"):
            store.append([wrong_kind])
        first = _fix("fix-2", "hilltown", _place("hilltown", notes="on the hill"))
        store.append([first])
        of_correction = _fix("fix-3", "fix-2", _place("fix-2"))
        with pytest.raises(UnknownReferenceError, match="'fix-3'.*correct the original"):
            store.append([of_correction])
        assert store.head() == 7

    def test_references_a_correction_keeps_the_kind_whichever_comes_first(
        self, tmp_path: Path
    ) -> None:
        """A correction stored before what it corrects (``strict=False``) binds that
        record when it comes: an accusation whose id a stored correction would turn
        into an attack is refused, naming both, in any append and any order; so is
        the same pair in one batch, in either order, strict or not."""
        pytest = _pytest()
        claim = _claim()
        fact = _fix("fix-claim", "claim", _attack("claim", perpetrator="north"))
        refusal = r"'claim'.*'fix-claim'.*Attack"
        store, _ = self.new_store(tmp_path)
        store.append(_small())
        assert store.append([fact], strict=False) == (7,)
        for strict in (True, False):
            with pytest.raises(UnknownReferenceError, match=refusal):
                store.append([claim], strict=strict)
        assert store.head() == 7
        assert store.get("claim") is None
        # So is a batch of several slices that brings the claim in a later one.
        self._in_slices(store, 1)
        for strict in (True, False):
            with pytest.raises(UnknownReferenceError, match=refusal):
                store.append([_actor("east"), _actor("west"), claim], strict=strict)
        assert store.head() == 7
        assert store.get("east") is None
        # In one batch, in either order, and across slices.
        for batch in ([fact, claim], [claim, fact]):
            fresh, _ = self.new_store(tmp_path)
            fresh.append(_small())
            self._in_slices(fresh, 1)
            with pytest.raises(UnknownReferenceError, match=r"'fix-claim'|'claim'"):
                fresh.append(batch, strict=False)
            assert fresh.head() == 6
        # The target first, the correction with strict=False: refused as with strict.
        fresh, _ = self.new_store(tmp_path)
        fresh.append([*_small(), claim])
        with pytest.raises(UnknownReferenceError, match=r"'fix-claim'.*Attack.*'claim'"):
            fresh.append([fact], strict=False)
        # A correction that keeps the kind may come first: the record then fits it.
        kept = _fix("fix-claim", "claim", attrs.evolve(claim, summary="shelling, they say"))
        other, _ = self.new_store(tmp_path)
        other.append(_small())
        other.append([kept], strict=False)
        assert other.append([claim]) == (8,)
        assert other.dangling_references() == []

    def test_references_a_correction_or_retraction_cannot_be_retracted(
        self, tmp_path: Path
    ) -> None:
        """A retraction, like a correction, acts on an original record: one that
        names a correction or a retraction is refused, pointing to the original,
        whichever of the two is appended first."""
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        store.append(_small())
        raid = _small()[4]
        depot = _attack("raid-1", perpetrator="north", place="hilltown", target="a depot")
        fix = _fix("fix-raid-1", "raid-1", depot)
        gone = Retraction(id="gone", occurred=raid.occurred, retracts="raid-1")
        store.append([fix, gone])
        for target in ("fix-raid-1", "gone"):
            undo = Retraction(id="undo", occurred=raid.occurred, retracts=target)
            for strict in (True, False):
                with pytest.raises(
                    UnknownReferenceError, match=rf"'undo'.*'{target}'.*retract the original"
                ):
                    store.append([undo], strict=strict)
        assert store.head() == 8
        # The retraction first (strict=False), the correction it names later.
        early = Retraction(id="early", occurred=raid.occurred, retracts="fix-raid-2")
        assert store.append([early], strict=False) == (9,)
        road = _attack("raid-2", "2020-10-29", perpetrator="south", target="a road")
        late_fix = _fix("fix-raid-2", "raid-2", road)
        with pytest.raises(UnknownReferenceError, match=r"'fix-raid-2'.*'early'.*retract"):
            store.append([late_fix])
        # A correction first, naming what comes as a retraction.
        early_fix = _fix("fix-r", "r", _attack("r"))
        assert store.append([early_fix], strict=False) == (10,)
        with pytest.raises(UnknownReferenceError, match=r"'r'.*'fix-r'.*correct the original"):
            store.append([Retraction(id="r", occurred=raid.occurred, retracts="raid-2")])
        assert store.head() == 10

    def test_references_strict_false_admits_out_of_order_and_lists_dangling(
        self, tmp_path: Path
    ) -> None:
        store, _ = self.new_store(tmp_path)
        small = _small()
        raids = small[4:]
        assert store.append(raids, strict=False) == (1, 2)
        assert store.dangling_references() == [
            Dangling(1, "raid-1", "perpetrator", "north", "actor"),
            Dangling(1, "raid-1", "place", "hilltown", "place"),
            Dangling(2, "raid-2", "perpetrator", "south", "actor"),
            Dangling(2, "raid-2", "place", "rivertown", "place"),
        ]
        store.append([small[0], small[2]])
        assert store.dangling_references() == [
            Dangling(2, "raid-2", "perpetrator", "south", "actor"),
            Dangling(2, "raid-2", "place", "rivertown", "place"),
        ]
        # "south" is now a place: ids are never reused, so this one stays listed.
        store.append([_place("south"), small[3]], strict=False)
        assert store.dangling_references() == [
            Dangling(2, "raid-2", "perpetrator", "south", "actor"),
        ]
        assert store.verify().ok

    # == the injectable clock ==========================================================

    def test_clock_gives_recorded_at_one_reading_per_batch(self, tmp_path: Path) -> None:
        store, clock = self.new_store(tmp_path)
        small = _small()
        store.append(small[:4])
        store.append(small[4:5])
        store.append(small[4:5])  # a no-op
        store.append(small[5:])
        stamps = [r.recorded_at for r in store.read()]
        assert stamps[:4] == [clock.readings[0]] * 4
        assert stamps[4] == clock.readings[1]
        assert stamps[5] == clock.readings[-1] > stamps[4]
        assert all(s.utcoffset() == _dt.timedelta(0) for s in stamps)
        # With no source, knowledge time falls back to recorded_at.
        raid = store.get("raid-1")
        assert raid is not None
        assert raid.record.reported is None
        assert raid.reported == TimeExtent.instant(raid.recorded_at)
        assert raid.reported.lo == epoch_us(clock.readings[1])

    def test_clock_any_aware_timezone_is_stored_as_utc(self, tmp_path: Path) -> None:
        yerevan = _dt.timezone(_dt.timedelta(hours=4))
        store, _ = self.new_store(
            tmp_path, clock=lambda: _dt.datetime(2024, 3, 1, 16, 0, tzinfo=yerevan)
        )
        store.append(_small()[:1])
        recorded = store.get("north")
        assert recorded is not None
        assert recorded.recorded_at == _START
        assert recorded.recorded_at.utcoffset() == _dt.timedelta(0)

    def test_clock_recorded_at_is_kept_to_the_microsecond(self, tmp_path: Path) -> None:
        """``recorded_at`` reads back to the microsecond the clock gave, after reopening
        too: a backend that keeps milliseconds (or whole seconds) changes what the
        hash chain covers, which the whole-second `TickClock` readings cannot show."""
        when = _dt.datetime(2024, 3, 1, 12, 0, 0, 123457, tzinfo=_dt.UTC)
        store, _ = self.new_store(tmp_path, clock=lambda: when)
        store.append(_small()[:2])
        assert [r.recorded_at for r in store.read()] == [when, when]
        got = store.get("south")
        assert got is not None
        assert got.recorded_at == when
        assert store.verify() == Verification(True, 2)
        again = self.reopen_store(store, lambda: when)
        if again is None:
            return  # nothing kept once closed: the reads above are the whole check
        self._opened.remove(store)
        self._opened.append(again)
        assert [r.recorded_at for r in again.read()] == [when, when]
        assert again.verify() == Verification(True, 2)

    # == 6. tamper evidence ============================================================

    def test_hash_chain_can_be_recomputed_from_canonical_json(self, tmp_path: Path) -> None:
        store, _, _ = self.filled(tmp_path)
        store.append(_small())
        previous = GENESIS_HASH
        for recorded in store.read():
            payload = to_json(recorded.record).encode("utf-8")
            when = epoch_us(recorded.recorded_at)
            assert recorded.hash == chain_hash(previous, recorded.position, when, payload)
            previous = recorded.hash

    def test_hash_chain_follows_the_documented_formula(self, tmp_path: Path) -> None:
        """docs/explanation/store.md's formula, with hashlib and json only: position 1
        chains from 64 zeros; each hash is sha256 of the previous hash, the position and
        ``recorded_at`` (integer microseconds since 1970 UTC) in decimal, each followed by
        a newline, then the canonical JSON (sorted keys, compact, UTF-8) of the record."""
        store, _, _ = self.filled(tmp_path)
        store.append(_small())
        previous = "0" * 64
        for recorded in store.read():
            payload = to_json(recorded.record).encode("utf-8")
            canonical = json.dumps(
                json.loads(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False
            ).encode("utf-8")
            assert payload == canonical, recorded.id
            when = recorded.recorded_at.astimezone(_dt.UTC)
            micros = calendar.timegm(when.utctimetuple()) * 1_000_000 + when.microsecond
            head = f"{previous}\n{recorded.position}\n{micros}\n".encode()
            expected = hashlib.sha256(head + payload).hexdigest()
            assert recorded.hash == expected, recorded.position
            previous = expected

    def test_verify_catches_an_edit_that_rehashes_its_own_row(self, tmp_path: Path) -> None:
        """A record edited with its own hash recomputed still breaks the chain at the
        next row: each hash covers the previous one."""
        n = len(_dataset())
        for position in (1, n // 2):
            store, _, _ = self.filled(tmp_path)
            rows = list(store.read())
            row = rows[position - 1]
            data = json.loads(to_json(row.record))
            data["notes"] = "edited behind the store's back"
            payload = json.dumps(
                data, sort_keys=True, separators=(",", ":"), ensure_ascii=False
            ).encode("utf-8")
            previous = "0" * 64 if position == 1 else rows[position - 2].hash
            when = row.recorded_at.astimezone(_dt.UTC)
            micros = calendar.timegm(when.utctimetuple()) * 1_000_000 + when.microsecond
            head = f"{previous}\n{position}\n{micros}\n".encode()
            digest = hashlib.sha256(head + payload).hexdigest()
            if not self.rewrite(store, position, payload, digest):
                _skip(f"{type(self).__name__}.rewrite() cannot reach stored records")
            result = store.verify()
            assert not result
            assert (result.first_bad, result.checked) == (position + 1, position), result

    def test_verify_succeeds_on_an_untouched_store(self, tmp_path: Path) -> None:
        store, _ = self.new_store(tmp_path)
        assert store.verify() == Verification(True, 0)
        records = _dataset()
        store.append(records[:10])
        store.append(records[10:])
        result = store.verify()
        assert result == Verification(True, len(records))
        assert bool(result)

    def test_verify_reports_the_first_changed_position(self, tmp_path: Path) -> None:
        n = len(_dataset())
        for position in (1, n // 2, n):
            store, _, _ = self.filled(tmp_path)
            if not self.corrupt(store, position):
                _skip(f"{type(self).__name__}.corrupt() cannot reach stored records")
            result = store.verify()
            assert not result
            assert result.first_bad == position, result
            assert result.checked == position - 1

    # == 7. durable ====================================================================

    def test_durable_reopening_gives_the_same_log(self, tmp_path: Path) -> None:
        store, clock = self.new_store(tmp_path)
        records = _dataset()
        store.append(records[:12])
        store.append(records[12:])
        before = list(store.read())
        again = self.reopen_store(store, clock)
        if again is None:
            _skip(f"{type(self).__name__} keeps nothing once closed")
        self._opened.remove(store)
        self._opened.append(again)
        assert list(again.read()) == before
        assert again.head() == len(records)
        assert again.verify() == Verification(True, len(records))
        assert again.append(records) == tuple(range(1, len(records) + 1))
        (position,) = again.append([_actor("late-comer")])
        assert position == len(records) + 1
        assert again.verify().ok

    # == saved view states (optional) ===================================================

    def test_saved_states_if_kept_round_trip_and_replace(self, tmp_path: Path) -> None:
        """Optional: a store that is a ``StateKeeper`` hands back a saved view state
        exactly as saved (a blob past any size limit of one row included), replaces
        a view's state on the next save, keeps views apart, and forgets them all."""
        store, clock = self.new_store(tmp_path)
        if not isinstance(store, StateKeeper):
            _skip(f"{type(store).__name__} keeps no view states (optional)")
        store.append(_dataset()[:5])
        assert store.load_state("m:V") is None
        first = SavedState("m:V", "code-1", 5, "a" * 64, "b" * 64, 1_700_000_000_000_000, b"")
        big = bytes(range(256)) * (300 * 1024)  # 75 MiB: more than one row of some stores
        other = SavedState("m:W", "code-1", 3, "c" * 64, "d" * 64, 1, big)
        store.save_state(first)
        store.save_state(other)
        assert store.load_state("m:V") == first
        assert store.load_state("m:W") == other
        second = first._replace(code="code-2", head=4, blob=b"\x00state\xff")
        store.save_state(second)
        assert store.load_state("m:V") == second
        again = self.reopen_store(store, clock)
        if again is not None:
            self._opened.remove(store)
            self._opened.append(again)
            assert isinstance(again, StateKeeper)
            assert again.load_state("m:V") == second
            assert again.load_state("m:W") == other
            store = again
        assert store.forget_states() == 2
        assert store.load_state("m:V") is None
        assert store.forget_states() == 0

    def test_saved_states_if_kept_chain_hash_at_a_position(self, tmp_path: Path) -> None:
        """Optional: a ``StateKeeper`` gives the chain hash of any stored position
        (the genesis hash at 0, None past the head), as ``read`` does."""
        store, _ = self.new_store(tmp_path)
        if not isinstance(store, StateKeeper):
            _skip(f"{type(store).__name__} keeps no view states (optional)")
        assert store.chain_hash_at(0) == GENESIS_HASH
        assert store.chain_hash_at(1) is None
        store.append(_dataset()[:6])
        for recorded in store.read():
            assert store.chain_hash_at(recorded.position) == recorded.hash
        assert store.chain_hash_at(7) is None

    def test_saved_states_if_kept_chain_hash_at_refuses_what_is_no_position(
        self, tmp_path: Path
    ) -> None:
        """Optional, as the last: ``chain_hash_at`` takes a position as ``read`` takes
        a bound: ``2.0``, ``True``, ``"2"`` or None raise `QueryError` naming it on
        every backend (a database would match some of them to a record), and an int
        no record can be at (below 0, past any head, past 64 bits) gives None."""
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        if not isinstance(store, StateKeeper):
            _skip(f"{type(store).__name__} keeps no view states (optional)")
        store.append(_dataset()[:3])
        for bad, shown, what in (*_NOT_BOUNDS, (None, "None", "None")):
            pattern = re.escape(f"chain_hash_at(position={shown}): a position is an int, not ")
            with pytest.raises(QueryError, match=f"^{pattern}{what}$"):
                store.chain_hash_at(bad)
        for outside in (-1, -(1 << 70), 4, 1 << 63, 1 << 70):
            assert store.chain_hash_at(outside) is None, outside

    # == subscriptions (through Timeline) ==============================================

    def test_subscribe_delivers_existing_then_new_records_in_order(self, tmp_path: Path) -> None:
        store, _ = self.new_store(tmp_path)
        small = _small()
        timeline = _Quiet(store)
        timeline.append(*small[:3])
        seen: list[Recorded] = []
        subscription = timeline.subscribe(seen.append)
        assert _positions(seen) == [1, 2, 3]
        timeline.append(*small[3:5])
        timeline.append(small[5])
        timeline.append(small[5])  # a no-op delivers nothing
        assert _positions(seen) == [1, 2, 3, 4, 5, 6]
        assert seen == list(store.read())
        subscription.close()
        timeline.append(_actor("east"))
        assert len(seen) == 6

    def test_subscribe_from_a_position(self, tmp_path: Path) -> None:
        store, _ = self.new_store(tmp_path)
        small = _small()
        timeline = _Quiet(store)
        timeline.append(*small[:4])
        seen: list[int] = []
        timeline.subscribe(lambda r: seen.append(r.position), start=3)
        timeline.append(*small[4:])
        assert seen == [3, 4, 5, 6]
        late: list[int] = []
        timeline.subscribe(lambda r: late.append(r.position), start=10)
        timeline.append(*(_actor(f"a{i}") for i in range(5)))
        assert late == [10, 11]

    def test_follow_yields_existing_then_new_records_in_order(self, tmp_path: Path) -> None:
        store, _ = self.new_store(tmp_path)
        small = _small()
        timeline = _Quiet(store)
        timeline.append(*small[:2])
        follower = timeline.follow(poll=0.001, idle_timeout=0.05)
        assert [next(follower).position, next(follower).position] == [1, 2]
        timeline.append(*small[2:5])
        timeline.append(small[5])
        rest = list(follower)  # ends once nothing new arrives for idle_timeout
        assert _positions(rest) == [3, 4, 5, 6]
        assert [r.record for r in rest] == small[2:]

    def test_follow_from_a_position(self, tmp_path: Path) -> None:
        store, records, _ = self.filled(tmp_path)
        timeline = _Quiet(store)
        got = list(timeline.follow(start=20, poll=0.001, idle_timeout=0.01))
        assert _positions(got) == list(range(20, len(records) + 1))

    # == streamed appends (StoreBase.append_stream) ===================================

    def _streaming(self, store: Store) -> StoreBase:
        """``store`` with slices of two records, so a handful of records is several
        slices; the tests skip a store not built on `StoreBase`."""
        if not isinstance(store, StoreBase):
            _skip("append_stream is StoreBase's; this store is not built on it")
        store._SLICE = 2  # several slices from a handful of records
        return store

    def test_stream_stores_what_one_append_stores(self, tmp_path: Path) -> None:
        """Slice by slice, with references into earlier slices, a stream stores the
        same records at the same positions with the same chain as one append."""
        whole, _ = self.new_store(tmp_path)
        streamed, _ = self.new_store(tmp_path)
        records = _dataset()
        whole.append(records)
        written = self._streaming(streamed).append_stream(iter(records))
        assert written == range(1, len(records) + 1)
        assert [(r.position, r.hash, r.record) for r in streamed.read()] == [
            (r.position, r.hash, r.record) for r in whole.read()
        ]
        assert streamed.verify().ok

    def test_stream_repeats_of_earlier_slices_are_no_ops(self, tmp_path: Path) -> None:
        store, _ = self.new_store(tmp_path)
        records = _small()
        store.append(records[:1])
        written = self._streaming(store).append_stream(
            iter([*records, records[0], records[4], records[1]])
        )
        assert written == range(2, len(records) + 1)
        assert [r.record for r in store.read()] == records

    def test_stream_a_changed_repeat_writes_nothing(self, tmp_path: Path) -> None:
        """A record that differs from one of an earlier slice, under its id: nothing
        of the stream is stored, not even the slices already written."""
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        store.append(_small()[:2])
        before = list(store.read())
        clash = _attack("raid-1", perpetrator="south", place="hilltown")
        with pytest.raises(DuplicateRecordError, match="raid-1"):
            self._streaming(store).append_stream(iter([*_small()[2:], clash]))
        self._assert_unchanged(store, before)

    def test_stream_an_unknown_reference_in_a_later_slice_writes_nothing(
        self, tmp_path: Path
    ) -> None:
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        with pytest.raises(UnknownReferenceError, match="atlantis"):
            self._streaming(store).append_stream(
                iter([*_small(), _attack("raid-9", place="atlantis")])
            )
        self._assert_unchanged(store, [])
        assert store.append(_small()) == (1, 2, 3, 4, 5, 6)

    def test_stream_an_iterable_that_fails_writes_nothing(self, tmp_path: Path) -> None:
        """A reader that breaks half-way (a file gone, a bad row in strict mode)."""
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        store.append(_small()[:1])
        before = list(store.read())

        def broken() -> Iterator[Record]:
            yield from _small()[1:]
            msg = "the file went away"
            raise OSError(msg)

        with pytest.raises(OSError, match="went away"):
            self._streaming(store).append_stream(broken())
        self._assert_unchanged(store, before)

    def test_stream_names_an_item_that_is_not_a_record(self, tmp_path: Path) -> None:
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        items: list[Any] = [*_small(), "raid-3"]
        with pytest.raises(InvalidRecordError, match="item 6"):
            self._streaming(store).append_stream(iter(items))
        self._assert_unchanged(store, [])

    def test_stream_a_correction_before_its_target_binds_it_across_slices(
        self, tmp_path: Path
    ) -> None:
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        store.append(_small())
        claim = _claim()
        fact = _fix("fix-claim", "claim", _attack("claim", perpetrator="north"))
        stream = iter([fact, _actor("a"), _actor("b"), _actor("c"), claim])
        with pytest.raises(UnknownReferenceError, match=r"'claim'.*'fix-claim'"):
            self._streaming(store).append_stream(stream, strict=False)
        assert store.head() == 6

    def test_stream_expected_position(self, tmp_path: Path) -> None:
        """A moved head refuses a stream with new records; a stream of stored ones is
        a no-op whatever the head (a retried import after a lost acknowledgement)."""
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        records = _small()
        store.append(records[:2])
        before = list(store.read())
        streaming = self._streaming(store)
        with pytest.raises(ConcurrencyError):
            streaming.append_stream(iter(records[2:]), expected_position=0)
        self._assert_unchanged(store, before)
        assert streaming.append_stream(iter(records[:2]), expected_position=0) == range(3, 3)
        assert streaming.append_stream(iter(records), expected_position=2) == range(3, 7)

    # == lifetime ======================================================================

    def test_a_closed_store_refuses_use(self, tmp_path: Path) -> None:
        """After ``close()`` every method raises `StoreError`: appends, ``read``,
        ``get``, ``head``, ``fetch``, ``involving``, ``occurred_between``,
        ``index_rows``, ``dangling_references`` and ``verify``."""
        pytest = _pytest()
        store, _ = self.new_store(tmp_path)
        store.append(_small()[:2])
        store.close()
        with pytest.raises(StoreError):
            store.append(_small()[2:3])
        with pytest.raises(StoreError):
            list(store.read())
        with pytest.raises(StoreError):
            store.get("north")
        # Every other method too: none answers from a half-released store.
        calls: list[tuple[str, Callable[[], object]]] = [
            ("head", store.head),
            ("fetch", lambda: store.fetch([1])),
            ("involving", lambda: list(store.involving("north"))),
            ("occurred_between", lambda: list(store.occurred_between(0, 2**62))),
            ("index_rows", lambda: list(store.index_rows())),
            ("dangling_references", store.dangling_references),
            ("verify", store.verify),
        ]
        for name, call in calls:
            with pytest.raises(StoreError):
                call()
                pytest.fail(f"{name}() answered on a closed store")
        store.close()  # closing twice is harmless

    # -- for subclasses' own tests ------------------------------------------------------

    @staticmethod
    def small_records() -> list[AnyRecord]:
        """Two actors, two places and two attacks that append cleanly in strict mode."""
        return _small()

    @staticmethod
    def record_ids(records: Sequence[Record]) -> list[str]:
        """The ids of ``records``, in order."""
        return [r.id for r in records]
