"""What every store shares: the envelope, the protocol, and the append rules.

A backend supplies a handful of primitives (look ids up, write one batch atomically,
read rows back); [`StoreBase`][conflict_timeline.stores.StoreBase] turns them into the store
guarantees of DESIGN.md:
idempotency by id, optimistic concurrency, referential integrity, gapless positions
and the hash chain. Keeping the rules here means every backend enforces them the same
way, and the shipped conformance suite (``conflict_timeline.testing``) checks it.
"""

from __future__ import annotations

import abc
import contextvars
import datetime as _dt
import functools
import hashlib
import itertools
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from typing import Any, ClassVar, Final, NamedTuple, Protocol, TypeVar, runtime_checkable

import attrs
import pendulum

from .._gc import collect_young, gc_paused
from .._records import (
    AnyRecord,
    Correction,
    Record,
    RefKind,
    fix_rank,
    fix_target,
    reference_list,
)
from .._serialization import canonical_bytes, record_from_stored
from .._time import TimeExtent, epoch_us, from_epoch_us, to_utc
from ..errors import (
    ConcurrencyError,
    DamagedStoreError,
    DuplicateRecordError,
    InvalidRecordError,
    QueryError,
    RecordNotFoundError,
    UnknownReferenceError,
)

__all__ = [
    "EXPECTED_KIND",
    "GENESIS_HASH",
    "Clock",
    "Dangling",
    "IndexRow",
    "PayloadReader",
    "Prepared",
    "Problem",
    "Recorded",
    "RefsReader",
    "SavedState",
    "StateKeeper",
    "Store",
    "StoreBase",
    "StoredRow",
    "Verification",
    "chain_hash",
    "latest_fixes",
    "system_clock",
]

GENESIS_HASH: Final = "0" * 64
"""The ``previous hash`` of position 1."""

_FAR: Final = 1 << 62
"""A position past any head that every database holds as an integer: where a read
with no ``stop``, or one past it, ends (``StoreBase._bounds`` brings bounds within it)."""

Clock = Callable[[], _dt.datetime]
"""Returns the current time as an aware datetime; injected so tests are deterministic."""


def system_clock() -> _dt.datetime:
    """The default clock: now, in UTC."""
    return pendulum.now("UTC")


def chain_hash(previous: str, position: int, recorded_at_us: int, payload: bytes) -> str:
    """SHA-256 over the previous hash, the position, ``recorded_at`` and the payload.

    The fields are joined with newlines; ``recorded_at`` enters as integer epoch
    microseconds. Anyone can recompute the chain from a JSON Lines export plus the
    positions and timestamps, with nothing of ours.
    """
    # This runs once per record on the bulk append path: feeding the payload with
    # update() saves copying it into one buffer with the head.
    digest = _sha256(f"{previous}\n{position}\n{recorded_at_us}\n".encode("ascii"))
    digest.update(payload)
    return digest.hexdigest()


_sha256: Final = hashlib.sha256


@attrs.frozen(slots=True)
class Recorded:
    """A record as the store holds it.

    Attributes:
        position: Its place in the log, from 1, gapless, in append order.
        recorded_at: When the store accepted it (system time, UTC).
        hash: The chained SHA-256 (see [`chain_hash`][conflict_timeline.stores.chain_hash]).
        record: The record, exactly as appended (or, when a projection replays a
            corrected record, the correction's replacement).
        corrected_by: The position of the correction whose replacement ``record``
            is, when a projection replays a corrected record; else None.
    """

    position: int
    recorded_at: pendulum.DateTime
    hash: str
    record: AnyRecord
    corrected_by: int | None = None

    @property
    def id(self) -> str:
        """The record's id."""
        return self.record.id

    @property
    def kind(self) -> str:
        """The record's kind tag."""
        return self.record.KIND

    @property
    def reported(self) -> TimeExtent:
        """Knowledge time: the record's ``reported``, else ``recorded_at``."""
        rep = self.record.reported
        return rep if rep is not None else TimeExtent.instant(self.recorded_at)


class IndexRow(NamedTuple):
    """What a projection needs to place a record without decoding it.

    All times are integer epoch microseconds. ``rep_lo``/``rep_last`` are the
    record's effective knowledge time (``recorded_at`` when it has no ``reported``).
    ``target`` is the id a Correction or Retraction acts on.
    """

    position: int
    id: str
    kind: str
    occ_lo: int
    occ_last: int
    rep_lo: int
    rep_last: int
    target: str | None


def unreadable(store: str, position: object, exc: Exception, changed: str) -> DamagedStoreError:
    """The error for a stored record whose bytes read as no record: written outside
    the library (``changed``: "the file", "the database"), as ``verify`` will show.
    The backends decode in their own loops (a million records on a cold open) and call
    this only when a decode fails."""
    msg = (
        f"{store}: position {position}: the stored record cannot be read ({exc}); "
        f"{changed} was changed outside this library: run verify"
    )
    return DamagedStoreError(msg)


def index_rows_of(rows: Iterable[Sequence[Any]]) -> Iterator[IndexRow]:
    """``IndexRow`` of each row of the eight index columns, in `IndexRow`'s order (a
    backend's query selects them so): made by ``tuple.__new__``, which skips the
    named tuple's Python-level ``__new__`` (a million rows are read on a cold open)."""
    return map(_INDEX_ROW, rows)


_INDEX_ROW: Final = functools.partial(tuple.__new__, IndexRow)
_INT_ONLY: Final = frozenset({int})
_T = TypeVar("_T")


@attrs.frozen
class Verification:
    """The outcome of [`Store.verify`][conflict_timeline.stores.Store.verify].

    Attributes:
        ok: True when every position matches.
        checked: How many positions were checked (and found sound) before the first
            that does not match.
        first_bad: The first position that does not match; None when all do, or when
            the damage is not at one position (a file whose structure SQLite's
            integrity check rejects, a receipt whose signature does not verify).
        reason: What was wrong there.
    """

    ok: bool
    checked: int
    first_bad: int | None = None
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


@attrs.frozen
class Dangling:
    """A reference that does not resolve (admitted with ``strict=False``).

    Attributes:
        position: The referring record's position.
        record_id: The referring record's id.
        field: The referring field.
        ref: The id that does not resolve.
        expected: What it should be (actor, place, commitment, attack, record).
    """

    position: int
    record_id: str
    field: str
    ref: str
    expected: RefKind


EXPECTED_KIND: Final[dict[str, str | None]] = {
    "actor": "ActorDefined",
    "place": "PlaceDefined",
    "commitment": "Commitment",
    "attack": "Attack",
    "agreement": "Agreement",
    "record": None,
}
"""What a reference must name, by what it is (a `RefKind`): the kind of record
it must resolve to, or None for any record. The one map the append check, every
backend's ``dangling_references`` and the SQLite query are built from."""


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "AEIOUaeiou" else f"a {noun}"


FIX_KINDS: Final = frozenset({"Correction", "Retraction"})
"""The kinds that act on another record (``fix_target`` names it)."""


def _remedy(fix: Record) -> str:
    if isinstance(fix, Correction):
        return "correct the original record instead"
    return "retract the original record, or correct it again, instead"


def _fix_refused(fix: Record, kind: str) -> str | None:
    """Why ``fix`` (a Correction or Retraction) cannot act on a record of ``kind``;
    None when it can.

    The one rule, checked whichever of the two is appended first: a correction or
    retraction acts on an original record, never on another correction or retraction;
    a correction's replacement is of the kind of the record it corrects.
    """
    if kind in FIX_KINDS:
        verb = "corrected" if isinstance(fix, Correction) else "retracted"
        return f"a {kind} cannot be {verb}; {_remedy(fix)}"
    if isinstance(fix, Correction) and kind != fix.replacement.KIND:
        return (
            f"its replacement is {_a(fix.replacement.KIND)}; a correction keeps the kind "
            "of what it corrects"
        )
    return None


def _unfit_fix(
    fixes: Sequence[tuple[int, Record]], stored: dict[str, tuple[str, int]]
) -> tuple[int, str] | None:
    """The first stored Correction or Retraction (by the later of its position and its
    target's) that does not fit the record it names, with why; None when all fit. A
    fix whose target is not stored is a dangling reference, not a misfit."""
    found: list[tuple[int, str]] = []
    for position, fix in fixes:
        target = fix_target(fix)
        assert target is not None
        named = stored.get(target)
        if named is None:
            continue
        kind, where = named
        why = _fix_refused(fix, kind)
        if why is not None:
            reason = (
                f"{fix.KIND} {fix.id!r} (position {position}) acts on {target!r}, "
                f"{_a(kind)} (position {where}), but {why}"
            )
            found.append((max(position, where), reason))
    return min(found) if found else None


def _no_fixes(ids: Collection[str]) -> list[tuple[int, Record]]:
    """What a store empty before an append holds of the fixes naming ``ids``."""
    return []


class _EarlierKinds:
    """The kinds of a batch's records before a point, by id: indexed on first need,
    each record once, however many slices ask (a scan per slice would make a large
    append with unresolved fixes quadratic)."""

    def __init__(self, batch: Sequence[Record]) -> None:
        self._batch = batch
        self._indexed = 0
        self._kinds: dict[str, tuple[int, str]] = {}
        self._ids: set[str] | None = None

    def kinds(self, ids: Collection[str], upto: int) -> dict[str, str]:
        """The kinds of those of ``ids`` among the batch's first ``upto`` records."""
        if upto > self._indexed:
            self._kinds.update(
                (r.id, (i, r.KIND))
                for i, r in enumerate(
                    itertools.islice(self._batch, self._indexed, upto), self._indexed
                )
            )
            self._indexed = upto
        out = {}
        for rid in ids:
            found = self._kinds.get(rid)
            if found is not None and found[0] < upto:
                out[rid] = found[1]
        return out

    def outside(self, ids: Collection[str]) -> set[str]:
        """Those of ``ids`` that are no record of the batch."""
        if self._ids is None:
            self._ids = {r.id for r in self._batch}
        return {rid for rid in ids if rid not in self._ids}


def _fix_arriving(fix: Record, target: str, kind: str) -> str | None:
    """The refusal of ``fix`` appended after ``target``, a record of ``kind``; or None."""
    why = _fix_refused(fix, kind)
    if why is None:
        return None
    field = "corrects" if isinstance(fix, Correction) else "retracts"
    if kind in FIX_KINDS or not isinstance(fix, Correction):
        return f"{fix.KIND} {fix.id!r}: {field}: {target!r} is {_a(kind)}; {why}"
    return (
        f"Correction {fix.id!r}: replacement: is {_a(fix.replacement.KIND)} but {target!r} "
        f"is {_a(kind)}; a correction keeps the kind of what it corrects"
    )


def _target_arriving(record: Record, fix: Record, where: str) -> str | None:
    """The refusal of ``record`` appended after ``fix`` (``where`` says where that is),
    which acts on its id; or None."""
    why = _fix_refused(fix, record.KIND)
    if why is None:
        return None
    verb = "corrects" if isinstance(fix, Correction) else "retracts"
    return (
        f"{record.KIND} {record.id!r}: {fix.KIND} {fix.id!r} ({where}) {verb} this id, but {why}"
    )


@runtime_checkable
class Store(Protocol):
    """An append-only, hash-chained log of records.

    Implementations: [`MemoryStore`][conflict_timeline.stores.MemoryStore],
        [`SQLiteStore`][conflict_timeline.stores.SQLiteStore]; third parties can
    check theirs with ``conflict_timeline.testing.StoreConformance``.
    """

    def append(
        self,
        records: Sequence[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> tuple[int, ...]:
        """Append a batch atomically; return each record's position."""
        ...

    def head(self) -> int:
        """The last position (0 when empty)."""
        ...

    def read(
        self, *, start: int = 1, stop: int | None = None, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        """Records with ``start <= position <= stop`` (of ``kinds``), in position order.

        A bound that is not an int raises ``QueryError`` when called (see
        [`StoreBase.read`][conflict_timeline.stores.StoreBase.read])."""
        ...

    def get(self, record_id: str) -> Recorded | None:
        """The record with that id, or None."""
        ...

    def fetch(self, positions: Sequence[int]) -> list[Recorded]:
        """The records at ``positions``, in that order."""
        ...

    def involving(self, ref_id: str) -> Iterator[Recorded]:
        """Records that refer to ``ref_id`` (an actor, place or record), in order."""
        ...

    def occurred_between(
        self, lo_us: int, hi_us: int, *, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        """Records whose ``occurred`` overlaps ``[lo_us, hi_us]``, in position order."""
        ...

    def index_rows(
        self, *, start: int = 1, kinds: Collection[str] | None = None
    ) -> Iterator[IndexRow]:
        """Light rows for projections, in position order, without decoding payloads."""
        ...

    def verify(self) -> Verification:
        """Recompute the hash chain; report the first position that does not match."""
        ...

    def dangling_references(self) -> list[Dangling]:
        """References that do not resolve (only possible after ``strict=False``)."""
        ...

    def close(self) -> None:
        """Release resources; the store is unusable afterwards."""
        ...


@runtime_checkable
class PayloadReader(Protocol):
    """A store that can hand out its stored payloads undecoded (optional).

    A view that folds only a few fields of some kinds (see
    [`GlimpseView`][conflict_timeline.GlimpseView]) is given those fields read from the payload's
    JSON, without building the record, when its store is a ``PayloadReader``; from any
    other store it is given the decoded records, and answers the same.
    [`SQLiteStore`][conflict_timeline.stores.SQLiteStore] and
    [`PostgresStore`][conflict_timeline.stores.postgres.PostgresStore] are; the memory store,
    which holds its records decoded, is not. Those two also offer ``payload_of(id)``
    (the payload of one record by id, or None), which an import uses to find a row
    unchanged without decoding the stored record; `StoreConformance` checks it where
    a store offers it.
    """

    def payloads(self, positions: Sequence[int]) -> list[bytes]:
        """The payloads at ``positions``, in that order, exactly as stored (the
        canonical JSON the hash covers); `RecordNotFoundError` for a missing one."""
        ...


class SavedState(NamedTuple):
    """One view's folded state as a store keeps it (see
    [`Timeline.save_checkpoints`][conflict_timeline.Timeline.save_checkpoints]).

    The store keeps it as given and hands it back; the library checks it before use
    (``code``, ``head`` and ``chain`` against the store, ``digest`` against ``blob``).
    """

    view: str  # the view class, "module:qualname"
    code: str  # digest of the code that folded the state
    head: int  # the store position the state covers
    chain: str  # the chain hash of the record at ``head`` (GENESIS_HASH at 0)
    digest: str  # its signature (HMAC-SHA256 of all but itself and saved_at), hex
    saved_at: int  # when it was saved, microseconds since the epoch (UTC)
    blob: bytes


def saved_state_of(rows: Sequence[Sequence[Any]]) -> SavedState | None:
    """The saved state in ``rows`` of ``view, code, head, chain, digest, saved_at,
    bytes`` (one row per part, in order; None: no rows)."""
    if not rows:
        return None
    name, code, head, chain, digest, saved_at, _ = rows[0]
    return SavedState(
        str(name), str(code), int(head), str(chain), str(digest), int(saved_at),
        b"".join(bytes(row[6]) for row in rows),
    )  # fmt: skip


@runtime_checkable
class StateKeeper(Protocol):
    """A store that keeps views' saved states beside its records (optional).

    Saved states are not records: they are not in the hash chain, and a store may
    replace or forget them at any time. The memory, SQLite and PostgreSQL stores keep
    them; with any other store a timeline folds every view from its records.
    """

    def save_state(self, saved: SavedState) -> None:
        """Keep ``saved``, replacing the state kept for the same view, atomically."""
        ...

    def load_state(self, view: str) -> SavedState | None:
        """The state kept for ``view`` (None: none)."""
        ...

    def chain_hash_at(self, position: int) -> str | None:
        """The chain hash of the record at ``position`` (``GENESIS_HASH`` at 0; None
        past the head)."""
        ...

    def forget_states(self) -> int:
        """Drop every saved state; how many there were."""
        ...


class Prepared(NamedTuple):
    """A record ready to be written: its payload, hash, index columns and references.

    [`StoreBase.append`][conflict_timeline.stores.StoreBase.append] hands a backend's ``_write`` a
    slice of these, in position
    order. A tuple rather than an attrs class: one is built per record on the bulk path.

    Attributes:
        position: Where it goes (the head, plus one per record before it).
        record: The record.
        payload: Its canonical JSON (``to_json(record)`` as UTF-8): store these bytes
            exactly; the hash covers them.
        hash: Its chained hash (see [`chain_hash`][conflict_timeline.stores.chain_hash]).
        recorded_at_us: ``recorded_at`` in integer epoch microseconds.
        row: Its [`IndexRow`][conflict_timeline.stores.IndexRow].
        refs: Its references, as ``(field, referenced id, what it must be)``.
    """

    position: int
    record: Record
    payload: bytes
    hash: str
    recorded_at_us: int
    row: IndexRow
    refs: tuple[tuple[str, str, RefKind], ...]


class StoredRow(NamedTuple):
    """One record as a backend holds it, handed to
    [`StoreBase.verify`][conflict_timeline.stores.StoreBase.verify].

    The first four fields are what the chain covers. The others are copies a backend
    may keep beside the payload (index columns, a references table, a decoded record);
    ``verify()`` checks each one given against the payload, so a backend passes
    whatever it reads its answers from, and None for what it does not keep.
    """

    position: int
    recorded_at_us: int
    hash: str
    payload: bytes
    columns: IndexRow | None = None
    refs: Sequence[tuple[str, str, str]] | None = None
    record: AnyRecord | None = None


class Problem(NamedTuple):
    """Damage a backend finds itself while
    [`StoreBase.verify`][conflict_timeline.stores.StoreBase.verify] walks its rows.

    Yielded by ``_verify_rows`` in place of a row: before the rows (the file's own
    structure is damaged), among them, or after them (the head the backend records
    elsewhere disagrees with the last row). ``verify()`` reports it and stops.

    Attributes:
        position: The first position it concerns, or None when it is not one row's.
        reason: What is wrong, in words.
    """

    position: int | None
    reason: str


def latest_fixes(recorded: Iterable[Recorded]) -> dict[str, Recorded]:
    """For each record id, the correction or retraction among ``recorded`` that wins.

    Ranked by ``fix_rank`` (beside the record kinds), the one rule for which
    fix wins; records that are not fixes are ignored.
    """
    best: dict[str, tuple[tuple[int, int, str], Recorded]] = {}
    for r in recorded:
        target = fix_target(r.record)
        if target is None:
            continue
        reported = r.reported
        rank = fix_rank(reported.lo, reported.last, r.id)
        held = best.get(target)
        if held is None or rank > held[0]:
            best[target] = (rank, r)
    return {target: r for target, (_, r) in best.items()}


def index_row(record: Record, position: int, recorded_at_us: int) -> IndexRow:
    """The [`IndexRow`][conflict_timeline.stores.IndexRow] of a record about to be stored at
    ``position``."""
    rep = record.reported
    occurred = record.occurred
    target = fix_target(record)
    return IndexRow(
        position,
        record.id,
        record.KIND,
        occurred.lo,
        occurred.last,
        rep.lo if rep is not None else recorded_at_us,
        rep.last if rep is not None else recorded_at_us,
        target,
    )


def _given_field(field: str, ref: str, refs: tuple[tuple[str, str, RefKind], ...]) -> str:
    """The field to name for a reference: ``claimed_by`` is derived from the field the
    user gave (a denial's ``denier``), so that one."""
    if field != "claimed_by":
        return field
    return next((f for f, r, _ in refs if r == ref and f != field), field)


COPYING: Final = contextvars.ContextVar("COPYING", default=False)
"""Set while `copy_timeline` appends a source's records: a store an earlier version
wrote under ``strict=False`` may hold a record that refers to its own id, and a copy
keeps every record, as the source's chain hashes require."""


def refuse_self_references(
    records: Sequence[Record], refs: Sequence[tuple[tuple[str, str, RefKind], ...]]
) -> None:
    """Refuse a record that refers to its own id, whatever ``strict`` says: no later
    record can resolve it (the id is this record's), and where any kind would do
    (``denies``, ``confirms``) it would resolve to the record itself. A copy of a
    timeline (`COPYING`) keeps those its source holds.

    Raises:
        UnknownReferenceError: naming the record, the field given and the id.
    """
    if COPYING.get():
        return
    for record, record_refs_ in zip(records, refs, strict=True):
        rid = record.id
        for field, ref, what in record_refs_:
            if ref == rid:
                given = _given_field(field, ref, record_refs_)
                msg = (
                    f"{record.KIND} {rid!r}: {given}: refers to the record itself ({what} id "
                    f"{ref!r}); a record cannot refer to its own id, with or without strict"
                )
                raise UnknownReferenceError(msg)


def record_refs(record: Record) -> tuple[tuple[str, str, RefKind], ...]:
    """``references(record)`` without exact repeats (a place both in and out of scope)."""
    refs = reference_list(record)
    if len(refs) > 1 and len(set(refs)) != len(refs):
        return tuple(dict.fromkeys(refs))
    return tuple(refs)


class _Writes:
    """Hands an append's checked slices to a store's ``_write``, in order, one at a
    time. With ``behind=True`` each is written on a helper thread, so that the
    caller prepares the next slice while this one is on its way (for a store whose
    writes wait on a server: the thread waits with the interpreter lock released).

    An error of a write is raised by the next `put` or `wait`, or when the block
    ends. Leaving the block always waits for the write under way to end, through
    interrupts (a second Ctrl-C included), so that the caller never rolls back or
    commits while a write still runs; an interrupt that came meanwhile is raised
    then. When the block failed and so did the write, the write's error is raised
    (its cause, an aborted transaction say, is what the block then ran into), with
    the block's as its context; but an interrupt is raised as the interrupt.
    """

    def __init__(self, write: Callable[[Sequence[Prepared]], None], *, behind: bool) -> None:
        self._write = write
        self._behind = behind
        self._pool: ThreadPoolExecutor | None = None  # made by the first put
        self._pending: Future[None] | None = None

    def put(self, prepared: Sequence[Prepared]) -> None:
        if not self._behind:
            self._write(prepared)
            return
        self.wait()
        if self._pool is None:
            self._pool = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="conflict_timeline-write"
            )
        try:
            self._pending = self._pool.submit(self._write, prepared)
        except RuntimeError:  # the interpreter is shutting down: no new threads
            self._write(prepared)

    def wait(self) -> None:
        pending = self._pending
        if pending is not None:
            pending.result()  # an interrupted wait leaves it pending, for __exit__
            self._pending = None

    def _settle(self) -> tuple[BaseException | None, BaseException | None]:
        """Wait until the write under way has ended, whatever interrupts the wait;
        its error and the first interrupt."""
        pending, interrupted = self._pending, None
        if pending is None:
            return None, None
        while not pending.done():
            try:
                futures_wait([pending])
            except BaseException as exc:  # re-raised once the write has ended
                interrupted = interrupted or exc
        self._pending = None
        return pending.exception(), interrupted

    def __enter__(self) -> _Writes:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            error, interrupted = self._settle()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=False)  # its write has ended: the thread just exits
        if interrupted is not None and (kind is None or not issubclass(kind, KeyboardInterrupt)):
            raise interrupted
        if error is not None and (kind is None or not issubclass(kind, KeyboardInterrupt)):
            raise error


class StoreBase(abc.ABC):
    """The store rules, written once; a backend subclasses it and supplies storage.

    `append` (idempotency by id, optimistic concurrency, referential
    integrity, gapless positions, the hash chain, slices) and `verify` (the walk
    of the chain) live here. A backend implements the abstract methods below: a write
    transaction (``_begin``, ``_write``, ``_commit``, ``_rollback``), the lookups
    append needs (``_lookup``, ``_head_and_hash``), the rows verify walks
    (``_verify_rows``), and the reads of [`Store`][conflict_timeline.stores.Store] (``read`` and
    ``close``;
    ``head``, ``get``, ``fetch``, ``involving``, ``occurred_between``,
    ``index_rows`` and ``dangling_references`` have working defaults built on
    ``read`` and ``_lookup`` that scan the log, to be overridden with an index).

    A backend that passes ``conflict_timeline.testing.StoreConformance`` keeps the
    store guarantees; see the how-to "Write a store backend".
    """

    _clock: Clock
    BACKEND: ClassVar[str] = "store"
    """A short name of the backend, for messages."""
    _SLICE: int = 10_000
    """Records prepared and written at a time inside an append's one transaction."""
    WRITES_WAIT: ClassVar[bool] = False
    """Whether ``_write`` mostly waits on a server (a network database) rather than
    working in this process. A backend that says True has each slice of a large
    append written on a helper thread while the caller prepares the next one
    (serializes, chains and checks it): in order, one at a time, on the same
    transaction; an error of a write is raised before the next slice is written."""
    SEES_OWN_WRITES: ClassVar[bool] = False
    """Whether ``_lookup`` sees what ``_write`` wrote earlier in the open transaction.

    Only [`append_stream`][conflict_timeline.stores.StoreBase.append_stream] uses it: a
    backend that says True (SQLite and PostgreSQL do: the transaction sees its own
    rows) is asked for ids of earlier slices like any stored id, so a stream holds
    only one slice in memory; with False, the stream keeps each written record's id,
    position, kind and payload itself until the commit."""

    def __init__(self, *, clock: Clock | None = None) -> None:
        self._clock = clock or system_clock
        self._listeners: list[Callable[[list[Recorded]], None]] = []

    def add_listener(self, listener: Callable[[list[Recorded]], None]) -> None:
        """Call ``listener`` with the records of each committed append, in this process.

        Listeners run after the commit, in the appending thread; an exception from
        one propagates to the caller of `append`, whose records are stored.
        """
        self._listeners.append(listener)

    # -- the write transaction a backend provides ------------------------------------

    @abc.abstractmethod
    def _begin(self) -> None:
        """Open the write transaction: take the write lock, then nothing else writes.

        Called once per append that gets past its argument checks, before
        ``_lookup`` and ``_head_and_hash``; exactly one of ``_commit`` or
        ``_rollback`` follows. Until then no other writer, in this process or
        another, may append, so the head read next stays the head. Raise
        [`StoreError`][conflict_timeline.errors.StoreError] (with nothing taken) if the lock cannot
        be had or the
        store is closed.
        """

    @abc.abstractmethod
    def _commit(self) -> None:
        """Make everything ``_write`` wrote since ``_begin`` durable, then release.

        All of the batch or none of it: once this returns, readers see every slice
        written and a crash keeps them; if it raises, none of them may be kept or
        seen (``_rollback`` is called next and releases the lock).
        """

    @abc.abstractmethod
    def _rollback(self) -> None:
        """Abandon whatever ``_write`` wrote since ``_begin`` and release the lock.

        Called after any exception between ``_begin`` and the end of ``_commit``
        (a refused record, an interrupt, a failed commit); afterwards the store is
        exactly as it was before ``_begin``. It must release the lock even if undoing
        fails.
        """

    @abc.abstractmethod
    def _lookup(self, ids: Collection[str]) -> dict[str, tuple[int, str, bytes]]:
        """``{id: (position, kind, payload)}`` for those of ``ids`` already stored.

        Ids not stored are left out. Called inside the transaction, so it must see
        every committed record. It need not see the uncommitted slices of the append
        under way (``append`` tracks those itself); a backend whose ``_lookup`` does
        see them sets ``SEES_OWN_WRITES = True``, and ``append_stream`` then holds
        no more than one slice. ``payload`` is the stored canonical JSON, compared
        byte for byte to decide idempotency.
        """

    @abc.abstractmethod
    def _head_and_hash(self) -> tuple[int, str]:
        """The last committed position and its hash; ``(0, GENESIS_HASH)`` when empty.

        Called inside the transaction, once per append; the new records continue
        the chain from this hash at the positions after it.
        """

    @abc.abstractmethod
    def _write(self, batch: Sequence[Prepared]) -> None:
        """Write one slice of the batch inside the transaction ``_begin`` opened.

        Called once per slice, in position order, with positions that continue
        from the head gaplessly. Store each record's ``payload`` bytes, ``hash``
        and ``recorded_at_us`` exactly as given (and what indexes you keep, from
        ``row`` and ``refs``). Nothing written may be seen by other readers, nor
        survive a crash, unless ``_commit`` follows. Raise
        [`StoreError`][conflict_timeline.errors.StoreError] if the
        medium refuses (disk full, read-only).
        """

    # -- what verify() walks ---------------------------------------------------------

    @abc.abstractmethod
    def _verify_rows(self) -> Iterator[StoredRow | Problem]:
        """Every stored row in position order, as stored, for `verify`.

        Yield a [`StoredRow`][conflict_timeline.stores.StoredRow] per row, read from the storage
        itself (not from a
        cache that could hide damage), with the copies you read answers from
        (index columns, references, a decoded record) so they are checked too.
        Yield a [`Problem`][conflict_timeline.stores.Problem] for damage only the backend can see:
        before the
        rows (a structural check of the file), or after the last (the head it
        records elsewhere is not the last row, references stored for no row).
        ``verify()`` stops at the first bad row or Problem and closes the
        generator, so hold locks with ``with`` inside it. Report damage as a
        Problem rather than raising; raise [`StoreError`][conflict_timeline.errors.StoreError] only
        when the store
        cannot be read at all (locked, closed).
        """

    # -- reads -----------------------------------------------------------------------

    @abc.abstractmethod
    def read(
        self, *, start: int = 1, stop: int | None = None, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        """Records with ``start <= position <= stop`` (of ``kinds``), in position order.

        Each [`Recorded`][conflict_timeline.stores.Recorded] carries the record decoded from the
        stored payload
        (``record_from_stored``), its position, ``recorded_at`` and hash.
        Committed records only; an append committed while the iterator is consumed
        may or may not be included, but never part of one. ``start`` below 1 reads
        from 1; ``stop`` past the head, or None, reads to the head.

        A bound is an ``int`` (not a ``bool``): ``2.0``, ``True``, ``"2"`` or a
        ``start`` of None is the caller's mistake, and raises
        [`QueryError`][conflict_timeline.errors.QueryError] naming the argument, its value
        and why, when ``read`` is called, not at the first ``next()``. Begin with
        ``start, stop = self._bounds("read", start, stop)``: it checks both and
        brings them within ``1`` and a position past any head that every database
        holds as an integer; then return the iterator (from a generator of your
        own, if you like: the call itself must not be one).
        """

    @abc.abstractmethod
    def close(self) -> None:
        """Release what the store holds (files, connections, locks); idempotent.

        Afterwards every other method (reads, appends, verify) raises
        [`StoreError`][conflict_timeline.errors.StoreError] instead of answering from a
        half-released state.
        """

    def head(self) -> int:
        """The last position (0 when empty).

        The default asks ``_head_and_hash`` outside a transaction; override it if
        that is not safe for your backend.
        """
        return self._head_and_hash()[0]

    def get(self, record_id: str) -> Recorded | None:
        """The record with that id, or None (default: ``_lookup``, then ``fetch``)."""
        found = self._lookup([record_id]).get(record_id)
        return None if found is None else self.fetch([found[0]])[0]

    def fetch(self, positions: Sequence[int]) -> list[Recorded]:
        """The records at ``positions``, in that order (default: one ``read`` each).

        Raises:
            RecordNotFoundError: naming the first position that holds no record.
        """
        out: list[Recorded] = []
        for p in positions:
            got = (
                next(self.read(start=p, stop=p), None) if self._is_position(p) and p >= 1 else None
            )
            if got is None or got.position != p:
                raise self._missing(p, self.head())
            out.append(got)
        return out

    def involving(self, ref_id: str) -> Iterator[Recorded]:
        """Records that refer to ``ref_id``, in position order (default: a scan)."""
        return (
            r for r in self.read() if any(ref == ref_id for _, ref, _ in record_refs(r.record))
        )

    def occurred_between(
        self, lo_us: int, hi_us: int, *, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        """Records whose ``occurred`` overlaps ``[lo_us, hi_us]``, in position order
        (default: a scan)."""
        return (
            r
            for r in self.read(kinds=kinds)
            if r.record.occurred.lo <= hi_us and r.record.occurred.last >= lo_us
        )

    def index_rows(
        self, *, start: int = 1, kinds: Collection[str] | None = None
    ) -> Iterator[IndexRow]:
        """Light rows for projections, in position order (default: from ``read``).

        ``start`` is held to the rule of `read`'s bounds (``_bounds``), when called.
        """
        first, _ = self._bounds("index_rows", start)
        return (
            index_row(r.record, r.position, epoch_us(r.recorded_at))
            for r in self.read(start=first, kinds=kinds)
        )

    def dangling_references(self) -> list[Dangling]:
        """References that do not resolve (default: a scan and ``_lookup``)."""
        rows = [
            (r.position, r.id, field, ref, what)
            for r in self.read()
            for field, ref, what in record_refs(r.record)
        ]
        kinds = {rid: kind for rid, (_, kind, _) in self._lookup({row[3] for row in rows}).items()}
        return self._dangling(rows, kinds.get)

    def _fixes_targeting(self, ids: Collection[str]) -> list[tuple[int, Record]]:
        """``(position, record)`` of each stored Correction and Retraction that acts on
        one of ``ids`` (whose ``fix_target`` is one of them), in any order.

        What ``append`` checks a new record against: a correction or retraction may
        be stored before the record it names (``strict=False``), and the record must
        then fit it. Called inside the write transaction, once per slice, with the
        slice's new ids; it need not see the append's own uncommitted rows. The
        default scans the ``index_rows`` of the two kinds, each append; a backend
        with an index on the target (``IndexRow.target``) overrides it.
        """
        wanted = set(ids)
        positions = [
            row.position
            for row in self.index_rows(kinds=FIX_KINDS)
            if row.target is not None and row.target in wanted
        ]
        return [(r.position, r.record) for r in self.fetch(positions)] if positions else []

    # -- verify ----------------------------------------------------------------------

    def verify(self) -> Verification:
        """Walk the hash chain from position 1; report the first row that does not match.

        For every row ``_verify_rows`` yields, in order: its position is the next
        one (else "position missing" or "position out of sequence"); its hash is
        [`chain_hash`][conflict_timeline.stores.chain_hash] of the previous hash, its position,
        ``recorded_at`` and
        payload; the payload decodes to a record; its id is not stored at an earlier
        position; and every copy the backend keeps beside the payload (index
        columns, references, decoded record) agrees with it. A
        [`Problem`][conflict_timeline.stores.Problem] the
        backend yields (a damaged file structure, a head that is not the last row) is
        reported as it is. Stops at the first failure. Then, once every row is sound,
        each Correction or Retraction and the stored record it names must fit (the
        rule `append` enforces in either order: no fix of a fix, a replacement of the
        corrected record's kind), so a pair stored before that rule held is reported
        at the later of its two positions.
        """
        previous = GENESIS_HASH
        expected = 1
        seen: dict[str, tuple[str, int]] = {}  # id -> (kind, position)
        fixes: list[tuple[int, Record]] = []
        rows = self._verify_rows()
        try:
            for item in rows:
                if isinstance(item, Problem):
                    at = item.position
                    checked = expected - 1 if at is None else min(expected - 1, at - 1)
                    return Verification(False, checked, at, item.reason)
                reason = self._row_problem(item, expected, previous, seen, fixes)
                if reason is not None:
                    return Verification(False, expected - 1, expected, reason)
                previous = item.hash
                expected += 1
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()
        unfit = _unfit_fix(fixes, seen)
        if unfit is not None:
            at, reason = unfit
            return Verification(False, at - 1, at, reason)
        return Verification(True, expected - 1)

    @staticmethod
    def _row_problem(
        item: StoredRow,
        expected: int,
        previous: str,
        seen: dict[str, tuple[str, int]],
        fixes: list[tuple[int, Record]],
    ) -> str | None:
        """Why ``item`` is not the sound row at position ``expected``, or None (it is
        then noted in ``seen``, and in ``fixes`` when it is a Correction or
        Retraction)."""
        position, recorded_at, digest, payload, columns, refs, held = item
        if position != expected:
            return "position missing" if position > expected else "position out of sequence"
        if (
            not isinstance(payload, bytes)
            or not isinstance(recorded_at, int)
            or not isinstance(digest, str)
        ):
            return "row has wrong types"
        if chain_hash(previous, expected, recorded_at, payload) != digest:
            return "hash does not match"
        try:
            record = record_from_stored(payload)
        except Exception:  # any decoding failure is a mismatch, reported as such
            return "payload does not decode"
        if record.id in seen:
            return f"id {record.id!r} is stored again (it is at an earlier position)"
        seen[record.id] = (record.KIND, expected)
        if record.KIND in FIX_KINDS:
            fixes.append((expected, record))
        if columns is not None and tuple(columns) != index_row(record, expected, recorded_at):
            return "indexed columns do not match payload"
        if refs is not None and sorted(refs) != sorted(record_refs(record)):
            return "stored references do not match payload"
        if held is not None and held != record:
            return "payload does not match"
        return None

    # -- the shared rules ----------------------------------------------------------

    def _now_us(self) -> int:
        return epoch_us(to_utc(self._clock(), what="clock()"))

    def append(
        self,
        records: Sequence[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> tuple[int, ...]:
        """Append ``records`` as one atomic batch and return their positions.

        * Idempotent by id: a record already stored with identical content is a
          no-op that returns its first position; different content under a stored
          id raises [`DuplicateRecordError`][conflict_timeline.errors.DuplicateRecordError].
        * ``expected_position``: the head the caller last saw; if the head has
          moved, [`ConcurrencyError`][conflict_timeline.errors.ConcurrencyError] (unless every
          record is already stored,
          which makes a retried append after a lost acknowledgement safe).
        * ``strict``: every referenced id must resolve, to a record of the right
          kind, in the store or earlier in the batch; else
          [`UnknownReferenceError`][conflict_timeline.errors.UnknownReferenceError].
          ``strict=False`` admits out-of-order
          ingestion; `dangling_references` lists what is still unresolved. Anything
          but True or False is an
          [`InvalidRecordError`][conflict_timeline.errors.InvalidRecordError].
        * Whatever ``strict``, a Correction or Retraction and the record it names
          must fit, whichever is appended first: a replacement of the corrected
          record's kind, and no correction or retraction of a Correction or
          Retraction; the second of the two raises `UnknownReferenceError`, naming
          both.

        Every record of the batch shares one ``recorded_at`` (one clock reading).
        Whatever the append itself raises, nothing of the batch is stored (an error
        from a listener, see `add_listener`, comes after the commit).

        A batch of up to ``_SLICE`` records (10,000) is serialized before the write
        lock is taken, so a record JSON cannot hold is refused first and at once.
        Ids are looked up once for the whole batch (a batch with stored or repeated
        ids is then serialized and checked for duplicates in full). The new records
        are serialized, checked and written a slice at a time inside the one
        transaction, so that across slices the store holds only each new record's
        id and position; for a batch of new records, errors come in slice order
        (within a slice, serialization before references).
        """
        batch = list(records)
        _check_expected(expected_position)
        _check_strict(strict)
        for i, record in enumerate(batch):
            _check_item(i, record)
        with gc_paused(len(batch)):
            payloads = [canonical_bytes(r) for r in batch] if len(batch) <= self._SLICE else None
            self._begin()
            try:
                positions, span, written = self._append_locked(
                    batch, payloads, expected_position, strict=strict
                )
                self._commit()
            except BaseException:
                self._rollback()
                raise
        if span is not None and self._listeners:
            if written is None:  # a listener came while the batch was being written
                written = list(self.read(start=span[0], stop=span[1]))
            self._after_commit(written)
        return positions

    def _append_locked(
        self,
        batch: list[Record],
        payloads: list[bytes] | None,
        expected_position: int | None,
        *,
        strict: bool,
    ) -> tuple[tuple[int, ...], tuple[int, int] | None, list[Recorded] | None]:
        """Write the new records of ``batch``; return the positions of all of them,
        the first and last position written (None when nothing was) and, when
        listeners were there from the start, the envelopes written."""
        ids = {r.id for r in batch}
        head, last_hash = self._head_and_hash()
        # An empty store holds no id to look up (a first import, a copy into a new one).
        stored = self._lookup(ids) if head else {}
        new: list[Record]
        if not stored and len(ids) == len(batch):
            # The common case, and the bulk one: every record is new, once.
            new = batch
            positions: Sequence[int] = range(head + 1, head + 1 + len(batch))
        else:
            if payloads is None:
                payloads = [canonical_bytes(r) for r in batch]
            positions, new, payloads = self._sort_out(batch, payloads, stored, head)
        if not new:
            return tuple(positions), None, None
        _check_head(expected_position, head)
        # Where each new id lands; the kind of the record there is new[position - head - 1].
        landing = {r.id: p for p, r in enumerate(new, start=head + 1)} if strict else {}
        known = {rid: (position, kind) for rid, (position, kind, _) in stored.items()}

        def kind_at(position: int) -> str:
            return new[position - head - 1].KIND

        now: int | None = None  # the clock is read once the first slice has passed its checks
        fixes: dict[str, list[Record]] = {}  # this append's corrections and retractions
        written: list[Recorded] | None = [] if self._listeners else None
        previous = last_hash
        position = head
        step = max(1, self._SLICE)
        earlier_kinds = _EarlierKinds(new)
        stored_fixes = self._fixes_before(new, step, empty=head == 0)
        with _Writes(self._write, behind=self.WRITES_WAIT and len(new) > step) as writes:
            for lo in range(0, len(new), step):
                part = new[lo : lo + step]
                if payloads is None:
                    part_payloads = [canonical_bytes(r) for r in part]
                else:
                    part_payloads = payloads[lo : lo + step]
                refs = [record_refs(r) for r in part]
                refuse_self_references(part, refs)
                if strict:
                    self._check_references(
                        part, refs, known, landing, kind_at, lookup=self._lookup
                    )
                kinds_of = functools.partial(self._kinds_in, earlier=earlier_kinds, upto=lo)
                self._check_fixes(part, fixes, kinds_of, stored_fixes)
                if now is None:
                    now = self._now_us()
                position, previous = self._write_slice(
                    part,
                    part_payloads,
                    refs,
                    after=(position, previous),
                    now=now,
                    written=written,
                    writes=writes,
                )
        return tuple(positions), (head + 1, position), written

    def _fixes_before(
        self, new: Sequence[Record], step: int, *, empty: bool
    ) -> Callable[[Collection[str]], list[tuple[int, Record]]]:
        """What `_check_fixes` asks of the store for each slice of a batch of ``new``
        records: the fixes stored before this append that name one of some new ids
        (those of this append are its own to check, see `_check_fixes`).

        A batch of one slice asks when its slice is checked. A larger one asks for
        every slice at once, before the first is written: a slice is then checked
        while the one before it is being written and asks the store nothing, where a
        question on the write's connection (a network store writes behind, see
        `WRITES_WAIT`) would wait for that write to end. The answers are the same:
        nothing but this append writes to the store meanwhile. A store ``empty`` before
        the append holds no fix, and is asked nothing.
        """
        if empty:
            return _no_fixes
        if len(new) <= step:
            return self._fixes_targeting
        before: dict[str, list[tuple[int, Record]]] = {}
        for lo in range(0, len(new), step):
            for at, fix in self._fixes_targeting([r.id for r in new[lo : lo + step]]):
                before.setdefault(fix_target(fix) or "", []).append((at, fix))
        for found in before.values():
            found.sort(key=lambda item: item[0])

        def stored_fixes(ids: Collection[str]) -> list[tuple[int, Record]]:
            return [item for rid in ids for item in before.get(rid, ())]

        return stored_fixes

    def _write_slice(
        self,
        part: Sequence[Record],
        payloads: Sequence[bytes],
        refs: Sequence[tuple[tuple[str, str, RefKind], ...]],
        *,
        after: tuple[int, str],
        now: int,
        written: list[Recorded] | None,
        writes: _Writes,
    ) -> tuple[int, str]:
        """Chain, index and write (through ``writes``) one checked slice after
        ``after`` (a position and its hash); return the last position written and its
        hash."""
        position, previous = after
        prepared: list[Prepared] = []
        for record, payload, record_refs_ in zip(part, payloads, refs, strict=True):
            position += 1
            digest = chain_hash(previous, position, now, payload)
            prepared.append(
                Prepared(
                    position,
                    record,
                    payload,
                    digest,
                    now,
                    index_row(record, position, now),
                    record_refs_,
                )
            )
            previous = digest
        writes.put(prepared)
        if written is not None:
            written.extend(self._recorded(p.position, now, p.hash, p.record) for p in prepared)
        return position, previous

    def append_stream(
        self,
        records: Iterable[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> range:
        """Append records drawn from an iterable as one atomic batch, a slice at a time.

        The same guarantees as [`append`][conflict_timeline.stores.StoreBase.append]
        (all or nothing, idempotent by id, ``expected_position``, ``strict``
        references, one ``recorded_at``), for batches too large to hold: the iterable
        is consumed ``_SLICE`` records at a time (a generator that reads a file, say),
        each slice serialized, checked and written inside the one transaction, and
        only then the next one drawn. Nothing of the batch is visible until the
        commit, and nothing is stored if the iterable or the append raises.

        Unlike ``append``, it returns the range of positions it wrote (empty when
        every record was stored already) rather than one position per record, and a
        reference to a record later in the stream is reported as unknown (the later
        slices are not drawn yet). The iterable is consumed inside the write
        transaction, so other writers wait while it runs.

        Raises:
            InvalidRecordError: an item is not a record (naming its index),
                ``expected_position`` is not a position, or ``strict`` not a bool.
        """
        _check_expected(expected_position)
        _check_strict(strict)
        with gc_paused():
            self._begin()
            try:
                head, position = self._stream_locked(records, expected_position, strict=strict)
                self._commit()
            except BaseException:
                self._rollback()
                raise
        if position > head and self._listeners:
            self._after_commit(list(self.read(start=head + 1, stop=position)))
        return range(head + 1, position + 1)

    def _stream_locked(
        self, records: Iterable[Record], expected_position: int | None, *, strict: bool
    ) -> tuple[int, int]:
        """Write the new records of a stream, a slice at a time; return the head
        before and the last position written (the same when nothing was)."""
        with _Writes(self._write, behind=self.WRITES_WAIT) as writes:
            return self._stream_slices(records, expected_position, strict, writes)

    def _stream_slices(
        self,
        records: Iterable[Record],
        expected_position: int | None,
        strict: bool,
        writes: _Writes,
    ) -> tuple[int, int]:
        head, previous = self._head_and_hash()
        position = head
        own: dict[str, tuple[int, str, bytes]] | None = None if self.SEES_OWN_WRITES else {}

        def lookup(ids: Collection[str]) -> dict[str, tuple[int, str, bytes]]:
            if own is None:
                writes.wait()  # the store answers for the slices written: let them land
            found = self._lookup(ids)
            if own:
                found.update((rid, own[rid]) for rid in ids if rid in own)
            return found

        def kinds_of(ids: set[str]) -> dict[str, str]:
            return {rid: kind for rid, (_, kind, _) in lookup(ids).items()}

        def stored_fixes(ids: Collection[str]) -> list[tuple[int, Record]]:
            if own is None:
                writes.wait()  # let the slices written land, as for lookup
            return self._fixes_targeting(ids)

        fixes: dict[str, list[Record]] = {}  # the stream's corrections and retractions
        now: int | None = None
        for part in _slices(records, max(1, self._SLICE)):
            payloads = [canonical_bytes(r) for r in part]
            ids = {r.id for r in part}
            stored = lookup(ids)
            new = part
            if stored or len(ids) != len(part):
                _, new, payloads = self._sort_out(part, payloads, stored, position)
            if not new:
                continue
            if position == head:  # the first slice with new records
                _check_head(expected_position, head)
            refs = [record_refs(r) for r in new]
            refuse_self_references(new, refs)
            if strict:
                start = position
                landing = {r.id: p for p, r in enumerate(new, start=start + 1)}
                known = {rid: (at, kind) for rid, (at, kind, _) in stored.items()}

                def kind_at(at: int, new: list[Record] = new, start: int = start) -> str:
                    return new[at - start - 1].KIND

                self._check_references(new, refs, known, landing, kind_at, lookup=lookup)
            self._check_fixes(new, fixes, kinds_of, stored_fixes)
            if now is None:
                now = self._now_us()
            first = position + 1
            position, previous = self._write_slice(
                new,
                payloads,
                refs,
                after=(position, previous),
                now=now,
                written=None,
                writes=writes,
            )
            collect_young()  # what the slice was built from, cycles included, is garbage
            if own is not None:
                landed = zip(range(first, position + 1), new, payloads, strict=True)
                own.update((r.id, (at, r.KIND, payload)) for at, r, payload in landed)
        return head, position

    @staticmethod
    def _sort_out(
        batch: list[Record],
        payloads: list[bytes],
        stored: dict[str, tuple[int, str, bytes]],
        head: int,
    ) -> tuple[list[int], list[Record], list[bytes]]:
        """Positions for a batch with repeats: stored or repeated ids are no-ops when
        identical, [`DuplicateRecordError`][conflict_timeline.errors.DuplicateRecordError] when
        not; the rest are new."""
        positions: list[int] = []
        new: list[Record] = []
        new_payloads: list[bytes] = []
        in_batch: dict[str, tuple[int, str, bytes]] = {}
        next_position = head + 1
        for record, payload in zip(batch, payloads, strict=True):
            rid = record.id
            seen = stored.get(rid)
            where = "already stored"
            if seen is None:
                seen = in_batch.get(rid)
                where = "earlier in this batch"
            if seen is not None:
                position, _, old_payload = seen
                if old_payload != payload:
                    msg = (
                        f"{record.KIND} {rid!r}: a different record with this id is "
                        f"{where}, at position {position}; records are immutable, "
                        "append a Correction to change it"
                    )
                    raise DuplicateRecordError(msg)
                positions.append(position)
                continue
            in_batch[rid] = (next_position, record.KIND, payload)
            positions.append(next_position)
            new.append(record)
            new_payloads.append(payload)
            next_position += 1
        return positions, new, new_payloads

    def _after_commit(self, written: list[Recorded]) -> None:
        """Tell listeners what a committed append wrote (no need to read it back)."""
        for listener in list(self._listeners):
            listener(written)

    def _check_references(
        self,
        part: list[Record],
        refs: list[tuple[tuple[str, str, RefKind], ...]],
        known: dict[str, tuple[int, str]],
        landing: dict[str, int],
        kind_at: Callable[[int], str],
        *,
        lookup: Callable[[Collection[str]], dict[str, tuple[int, str, bytes]]],
    ) -> None:
        """Check one slice's references.

        ``known`` holds what the store was already asked (``{id: (position,
        kind)}``) and grows with each slice; ``landing`` maps every new id of the
        batch to its position, and ``kind_at`` gives the kind of the record there.
        """
        wanted = {
            ref
            for record_refs_ in refs
            for _, ref, _ in record_refs_
            if ref not in known and ref not in landing
        }
        if wanted:
            asked = lookup(wanted)
            known.update((rid, (position, kind)) for rid, (position, kind, _) in asked.items())

        for record, record_refs_ in zip(part, refs, strict=True):
            here = landing[record.id]
            for field, ref, what in record_refs_:
                found = known.get(ref)
                if found is None:
                    at = landing.get(ref)
                    if at is not None and at < here:
                        # Earlier in the batch: it is so for every later record too.
                        found = known[ref] = (at, kind_at(at))
                if found is None:
                    given = _given_field(field, ref, record_refs_)
                    where = (
                        "it comes later in this batch"
                        if ref in landing
                        else "not in the store nor earlier in this batch"
                    )
                    msg = (
                        f"{record.KIND} {record.id!r}: {given}: unknown {what} id {ref!r} "
                        f"({where}); append it first, or pass strict=False"
                    )
                    raise UnknownReferenceError(msg)
                expected = EXPECTED_KIND[what]
                if expected is not None and found[1] != expected:
                    msg = (
                        f"{record.KIND} {record.id!r}: {field}: {ref!r} is {_a(found[1])} "
                        f"record, but {field} must name {_a(expected)}"
                    )
                    raise UnknownReferenceError(msg)

    def _check_fixes(
        self,
        part: list[Record],
        earlier: dict[str, list[Record]],
        kinds_of: Callable[[set[str]], dict[str, str]],
        stored_fixes: Callable[[Collection[str]], list[tuple[int, Record]]],
    ) -> None:
        """Check one slice against the rules of corrections and retractions, in both
        orders and whatever ``strict``: each fix of the slice against the record it
        names, if that is here already, and each record of the slice against the fixes
        already here that name its id (stored, or earlier in this append).

        ``earlier`` holds the fixes of this append's earlier slices by target, and
        grows with this slice's; ``kinds_of`` gives the kind of those of some ids
        stored or written earlier in this append; ``stored_fixes`` the stored fixes
        of some ids (see `_fixes_targeting`).
        """
        fixes = [r for r in part if r.KIND in FIX_KINDS]
        if fixes:
            targets = {t for r in fixes if (t := fix_target(r)) is not None}
            kinds = {r.id: r.KIND for r in part if r.id in targets}
            missing = targets - kinds.keys()
            if missing:
                kinds.update(kinds_of(missing))
            for fix in fixes:
                target = fix_target(fix)
                assert target is not None
                kind = kinds.get(target)
                msg = None if kind is None else _fix_arriving(fix, target, kind)
                if msg is not None:
                    raise UnknownReferenceError(msg)
        ids = [r.id for r in part]
        found = [
            ("earlier in this batch", fix)
            for rid in (ids if earlier else ())
            for fix in earlier.get(rid, ())
        ]
        found += [(f"stored at position {at}", fix) for at, fix in stored_fixes(ids)]
        if found:
            here = {r.id: r for r in part}
            for where, fix in found:
                target = fix_target(fix)
                record = here.get(target) if target is not None else None
                msg = None if record is None else _target_arriving(record, fix, where)
                if msg is not None:
                    raise UnknownReferenceError(msg)
        for fix in fixes:
            earlier.setdefault(fix_target(fix) or "", []).append(fix)

    def _kinds_in(self, ids: set[str], *, earlier: _EarlierKinds, upto: int) -> dict[str, str]:
        """The kinds of those of ``ids`` stored, or among the batch's first ``upto``
        records (written by earlier slices of this append, which a store need not see
        yet)."""
        found = earlier.kinds(ids, upto) if upto else {}
        # A record of the batch is not stored (see `_append_locked`): the store is
        # asked only of the others, and not at all when there are none.
        rest = earlier.outside(ids - found.keys())
        if rest:
            found.update((rid, kind) for rid, (_, kind, _) in self._lookup(rest).items())
        return found

    # -- helpers for backends -----------------------------------------------------

    @staticmethod
    def _recorded(position: int, recorded_at_us: int, digest: str, record: Any) -> Recorded:
        return Recorded(position, from_epoch_us(recorded_at_us), digest, record)

    @staticmethod
    def _is_position(value: object) -> bool:
        """Whether ``value`` can be a position: an ``int`` and not a ``bool`` (``True``
        and ``2.0`` compare equal to 1 and 2, and a database may match them)."""
        return isinstance(value, int) and not isinstance(value, bool)

    @staticmethod
    def _all_ints(values: Iterable[object]) -> bool:
        """Whether every one of ``values`` is exactly an ``int``, so a position by
        `_is_position`: one pass in C over their types, for the thousands of positions
        the engine asks at once. False does not say that one is not a position (an
        ``int`` subclass other than ``bool`` is): check each then."""
        return _INT_ONLY.issuperset(map(type, values))

    @staticmethod
    def _bounds(call: str, start: object, stop: object = None) -> tuple[int, int]:
        """``start`` and ``stop`` of ``call`` (``read``, ``index_rows``), checked, and
        brought within ``1`` and a position past any head that every database holds
        as an integer: ``start`` below 1 reads from 1, ``stop`` past the head or None
        to the head. Each is checked with `_is_position`: a bound that is not an int
        (a ``bool``, ``float``, ``str``, or ``None`` for ``start``) is the caller's
        mistake, not a range that holds nothing, and raises `QueryError` naming the
        argument, its value and why. A backend calls it first thing, before it builds
        the iterator, so the error comes with the call."""
        StoreBase._position(call, "start", start)
        if stop is not None:
            StoreBase._position(call, "stop", stop, ", or None to read to the head")
        assert isinstance(start, int)
        assert stop is None or isinstance(stop, int)
        first = min(max(start, 1), _FAR)
        last = _FAR if stop is None else min(max(stop, 0), _FAR)
        return first, last

    @staticmethod
    def _hash_position(position: object) -> int | None:
        """The position ``chain_hash_at`` looks up, checked as `_bounds` checks a
        read's: not an int (a ``bool``, ``float``, ``str``, None) raises `QueryError`
        naming it; an int no record can be at (below 0, past any head a database
        holds) is None, which the backend answers with None as past its head."""
        StoreBase._position("chain_hash_at", "position", position)
        assert isinstance(position, int)
        return position if 0 <= position <= _FAR else None

    @staticmethod
    def _position(call: str, name: str, value: object, also: str = "") -> None:
        """Raise `QueryError` when argument ``name`` of ``call`` is not a position
        (`_is_position`), naming it, its value and what it is: "read(start=2.0): a
        position is an int, not a float" (``also`` says what else it may be)."""
        if not StoreBase._is_position(value):
            what = "None" if value is None else _a(type(value).__name__)
            msg = f"{call}({name}={value!r}): a position is an int{also}, not {what}"
            raise QueryError(msg)

    @staticmethod
    def _missing(position: object, head: int) -> RecordNotFoundError:
        """The error for a position that holds no record, saying why."""
        if StoreBase._is_position(position):
            msg = f"no record at position {position!r}: positions run from 1 to {head}"
        else:
            msg = (
                f"no record at position {position!r}: a position is an int from 1 to "
                f"{head}, not a {type(position).__name__}"
            )
        return RecordNotFoundError(msg)

    def _in_order(self, found: dict[int, _T], positions: Sequence[int]) -> list[_T]:
        """``found`` (what a backend read, by position) in the order of ``positions``;
        the first position it lacks, or that is not an int, raises `RecordNotFoundError`
        (``found`` may hold 2 for an asked 2.0: it is not taken)."""
        # Written for speed: the engine asks thousands of positions at once, all of
        # them ints (`_all_ints`); a missing one takes the checking loop below, which
        # raises for the first.
        if self._all_ints(positions):
            try:
                return [found[p] for p in positions]
            except KeyError:
                pass
        for p in positions:
            if not self._is_position(p) or p not in found:
                raise self._missing(p, self.head())
        return [found[p] for p in positions]

    @staticmethod
    def _dangling(
        rows: Iterable[tuple[int, str, str, str, str]], exists: Callable[[str], str | None]
    ) -> list[Dangling]:
        """The unresolved references among ``rows``, by position, field, then id."""
        out: list[Dangling] = []
        for position, record_id, field, ref, what in rows:
            kind = exists(ref)
            expected = EXPECTED_KIND.get(what)
            if kind is None or (expected is not None and kind != expected):
                out.append(Dangling(position, record_id, field, ref, what))  # type: ignore[arg-type]
        out.sort(key=lambda d: (d.position, d.field, d.ref))
        return out


read_bounds: Final = StoreBase._bounds
"""`StoreBase._bounds`, for the rest of the package: what else takes a bound of a
read (``Timeline.subscribe`` and ``follow``) holds it to the same rule."""


def _check_expected(expected_position: object) -> None:
    if expected_position is not None and (
        not isinstance(expected_position, int)
        or isinstance(expected_position, bool)
        or expected_position < 0
    ):
        msg = (
            "append: expected_position must be a position (a whole number >= 0), "
            f"got {expected_position!r}"
        )
        raise InvalidRecordError(msg)


def _check_strict(strict: object) -> None:
    """``strict`` is True or False: ``strict="no"`` (truthy) would check every
    reference, the opposite of what its writer meant."""
    if not isinstance(strict, bool):
        msg = f"append: strict must be True or False, got {strict!r}"
        raise InvalidRecordError(msg)


def _check_head(expected_position: int | None, head: int) -> None:
    """Refuse new records when the head is not where the caller last saw it."""
    if expected_position is not None and expected_position != head:
        if expected_position > head:
            # No writer moves a head back: the caller's own number is off (often the
            # position the next record takes, one past the head).
            msg = (
                f"expected the head at position {expected_position}, but it is at {head}: "
                f"no record is stored past {head}; expected_position is the head the "
                f"caller last saw (the position of the last record: {head} now), not the "
                "position the next record takes"
            )
        else:
            msg = (
                f"expected the head at position {expected_position}, but it is at {head}: "
                "another writer appended; re-read and retry"
            )
        raise ConcurrencyError(msg)


def _check_item(i: int, record: object) -> None:
    if not isinstance(record, Record):
        msg = f"append: item {i} is a {type(record).__name__}, not a record"
        if isinstance(record, Iterable) and not isinstance(record, str | bytes | dict):
            # Timeline.append(records) for Timeline.append(*records): say so.
            msg += (
                " (records where one record belongs: Timeline.append takes them one by "
                "one, append(*records), or extend(records))"
            )
        raise InvalidRecordError(msg)


def _slices(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """``records`` in lists of ``size`` (the last one shorter), each item checked."""
    part: list[Record] = []
    for i, record in enumerate(records):
        _check_item(i, record)
        part.append(record)
        if len(part) == size:
            yield part
            part = []
    if part:
        yield part


class RefsReader:
    """The refs table in position order, read alongside the records by ``verify()``.

    For backends that keep references in a table of ``(position, field, ref, what)``
    rows: ``cursor`` is any DB-API cursor that has run a query for those four columns
    ordered by position; it is read 10,000 rows at a time.
    """

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor
        self._buffer: list[tuple[Any, ...]] = []
        self._i = 0

    def _peek(self) -> tuple[Any, ...] | None:
        if self._i >= len(self._buffer):
            self._buffer = self._cursor.fetchmany(10_000)
            self._i = 0
            if not self._buffer:
                return None
        return self._buffer[self._i]

    def at(self, position: int) -> list[tuple[str, str, str]]:
        """The references stored for ``position``, sorted; rows before it are skipped."""
        out = []
        while (row := self._peek()) is not None and row[0] <= position:
            if row[0] == position:
                out.append((str(row[1]), str(row[2]), str(row[3])))
            self._i += 1
        out.sort()
        return out

    def rest(self) -> Iterator[int]:
        """The positions of the references not yet read, each once, in order."""
        while (row := self._peek()) is not None:
            position = int(row[0])
            yield position
            while (row := self._peek()) is not None and row[0] == position:
                self._i += 1

    def close(self) -> None:
        """Close the cursor."""
        self._cursor.close()
