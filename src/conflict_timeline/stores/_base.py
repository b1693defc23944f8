"""What every store shares: the envelope, the protocol, and the append rules.

A backend supplies a handful of primitives (look ids up, write one batch atomically,
read rows back); :class:`StoreBase` turns them into the store guarantees of DESIGN.md:
idempotency by id, optimistic concurrency, referential integrity, gapless positions
and the hash chain. Keeping the rules here means every backend enforces them the same
way, and the shipped conformance suite (``conflict_timeline.testing``) checks it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any, ClassVar, Final, NamedTuple, Protocol, runtime_checkable

import attrs
import pendulum

from .._gc import gc_paused
from .._records import AnyRecord, Correction, Record, RefKind, Retraction, reference_list
from .._serialization import canonical_bytes
from .._time import TimeExtent, epoch_us, from_epoch_us, to_utc
from ..errors import (
    ConcurrencyError,
    DuplicateRecordError,
    InvalidRecordError,
    RecordNotFoundError,
    UnknownReferenceError,
)

__all__ = [
    "GENESIS_HASH",
    "Clock",
    "Dangling",
    "IndexRow",
    "Recorded",
    "Store",
    "StoreBase",
    "Verification",
    "chain_hash",
    "system_clock",
]

GENESIS_HASH: Final = "0" * 64
"""The ``previous hash`` of position 1."""

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
        hash: The chained SHA-256 (see :func:`chain_hash`).
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


@attrs.frozen
class Verification:
    """The outcome of :meth:`Store.verify`.

    Attributes:
        ok: True when every position matches.
        checked: How many positions were checked.
        first_bad: The first position that does not match, or None.
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


_EXPECTED_KIND: Final[dict[str, str | None]] = {
    "actor": "ActorDefined",
    "place": "PlaceDefined",
    "commitment": "Commitment",
    "attack": "Attack",
    "record": None,
}


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "AEIOU" else f"a {noun}"


@runtime_checkable
class Store(Protocol):
    """An append-only, hash-chained log of records.

    Implementations: :class:`MemoryStore`, :class:`SQLiteStore`; third parties can
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
        """Records with ``start <= position <= stop`` (of ``kinds``), in position order."""
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


class Prepared(NamedTuple):
    """A record ready to be written: its payload, hash, index columns and references.

    A tuple rather than an attrs class: one is built per record on the bulk path.
    """

    position: int
    record: Record
    payload: bytes
    hash: str
    recorded_at_us: int
    row: IndexRow
    refs: tuple[tuple[str, str, RefKind], ...]


def index_row(record: Record, position: int, recorded_at_us: int) -> IndexRow:
    """The :class:`IndexRow` of a record about to be stored at ``position``."""
    rep = record.reported
    occurred = record.occurred
    target = (
        record.corrects
        if isinstance(record, Correction)
        else record.retracts
        if isinstance(record, Retraction)
        else None
    )
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


def record_refs(record: Record) -> tuple[tuple[str, str, RefKind], ...]:
    """``references(record)`` without exact repeats (a place both in and out of scope)."""
    refs = reference_list(record)
    if len(refs) > 1 and len(set(refs)) != len(refs):
        return tuple(dict.fromkeys(refs))
    return tuple(refs)


class StoreBase:
    """Append rules shared by every backend.

    Subclasses implement ``_lookup``, ``_write``, ``_head_and_hash`` and the read
    methods of :class:`Store`.
    """

    _clock: Clock
    BACKEND: ClassVar[str] = "store"
    _SLICE: int = 10_000
    """Records prepared and written at a time inside an append's one transaction."""

    def __init__(self, *, clock: Clock | None = None) -> None:
        self._clock = clock or system_clock
        self._listeners: list[Callable[[list[Recorded]], None]] = []

    def add_listener(self, listener: Callable[[list[Recorded]], None]) -> None:
        """Call ``listener`` with the records of each committed append, in this process.

        Listeners run after the commit, in the appending thread; an exception from
        one propagates to the caller of :meth:`append`, whose records are stored.
        """
        self._listeners.append(listener)

    # -- primitives a backend provides -------------------------------------------

    def _lookup(self, ids: Collection[str]) -> dict[str, tuple[int, str, bytes]]:
        """``{id: (position, kind, payload)}`` for those of ``ids`` already stored."""
        raise NotImplementedError

    def _head_and_hash(self) -> tuple[int, str]:
        """The last position and its hash (0 and GENESIS_HASH when empty)."""
        raise NotImplementedError

    def _write(self, batch: Sequence[Prepared]) -> None:
        """Write one slice of the batch inside the transaction ``_begin`` opened.

        Called once per slice, in position order; nothing written may be seen by
        other readers, nor survive, unless ``_commit`` follows.
        """
        raise NotImplementedError

    def read(
        self, *, start: int = 1, stop: int | None = None, kinds: Collection[str] | None = None
    ) -> Iterator[Recorded]:
        """Records with ``start <= position <= stop`` (of ``kinds``), in position order."""
        raise NotImplementedError

    def _begin(self) -> None:
        """Open the write transaction (take the write lock) before reading the head."""

    def _commit(self) -> None:
        """Make the transaction durable and release the lock: all of the batch or none."""

    def _rollback(self) -> None:
        """Abandon the transaction and release the lock."""

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
          id raises :class:`DuplicateRecordError`.
        * ``expected_position``: the head the caller last saw; if the head has
          moved, :class:`ConcurrencyError` (unless every record is already stored,
          which makes a retried append after a lost acknowledgement safe).
        * ``strict``: every referenced id must resolve, to a record of the right
          kind, in the store or earlier in the batch; else
          :class:`UnknownReferenceError`. ``strict=False`` admits out-of-order
          ingestion; :meth:`dangling_references` lists what is still unresolved.

        Every record of the batch shares one ``recorded_at`` (one clock reading).
        Whatever the append itself raises, nothing of the batch is stored (an error
        from a listener, see :meth:`add_listener`, comes after the commit).

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
        for i, record in enumerate(batch):
            if not isinstance(record, Record):
                msg = f"append: item {i} is a {type(record).__name__}, not a record"
                raise InvalidRecordError(msg)
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
        stored = self._lookup(ids)
        head, last_hash = self._head_and_hash()
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
        if expected_position is not None and expected_position != head:
            msg = (
                f"expected the head at position {expected_position}, but it is at {head}: "
                "another writer appended; re-read and retry"
            )
            raise ConcurrencyError(msg)
        # Where each new id lands; the kind of the record there is new[position - head - 1].
        landing = {r.id: p for p, r in enumerate(new, start=head + 1)} if strict else {}
        known = {rid: (position, kind) for rid, (position, kind, _) in stored.items()}

        def kind_at(position: int) -> str:
            return new[position - head - 1].KIND

        now: int | None = None  # the clock is read once the first slice has passed its checks
        written: list[Recorded] | None = [] if self._listeners else None
        previous = last_hash
        position = head
        step = max(1, self._SLICE)
        for lo in range(0, len(new), step):
            part = new[lo : lo + step]
            if payloads is None:
                part_payloads = [canonical_bytes(r) for r in part]
            else:
                part_payloads = payloads[lo : lo + step]
            refs = [record_refs(r) for r in part]
            if strict:
                self._check_references(part, refs, known, landing, kind_at)
            if now is None:
                now = self._now_us()
            prepared: list[Prepared] = []
            for record, payload, record_refs_ in zip(part, part_payloads, refs, strict=True):
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
            self._write(prepared)
            if written is not None:
                written.extend(self._recorded(p.position, now, p.hash, p.record) for p in prepared)
        return tuple(positions), (head + 1, position), written

    @staticmethod
    def _sort_out(
        batch: list[Record],
        payloads: list[bytes],
        stored: dict[str, tuple[int, str, bytes]],
        head: int,
    ) -> tuple[list[int], list[Record], list[bytes]]:
        """Positions for a batch with repeats: stored or repeated ids are no-ops when
        identical, :class:`DuplicateRecordError` when not; the rest are new."""
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
            asked = self._lookup(wanted)
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
                    where = (
                        "it comes later in this batch"
                        if ref in landing
                        else "not in the store nor earlier in this batch"
                    )
                    msg = (
                        f"{record.KIND} {record.id!r}: {field}: unknown {what} id {ref!r} "
                        f"({where}); append it first, or pass strict=False"
                    )
                    raise UnknownReferenceError(msg)
                expected = _EXPECTED_KIND[what]
                if expected is not None and found[1] != expected:
                    msg = (
                        f"{record.KIND} {record.id!r}: {field}: {ref!r} is {_a(found[1])} "
                        f"record, but {field} must name {_a(expected)}"
                    )
                    raise UnknownReferenceError(msg)
            if isinstance(record, Correction):
                # Checked above as a "record" reference, which left it in ``known``.
                target = known[record.corrects]
                if target[1] in ("Correction", "Retraction"):
                    msg = (
                        f"Correction {record.id!r}: corrects: {record.corrects!r} is a "
                        f"{target[1]}; correct the original record instead"
                    )
                    raise UnknownReferenceError(msg)
                if target[1] != record.replacement.KIND:
                    msg = (
                        f"Correction {record.id!r}: replacement: is {_a(record.replacement.KIND)}"
                        f" but {record.corrects!r} is {_a(target[1])}"
                    )
                    raise UnknownReferenceError(msg)

    # -- helpers for backends -----------------------------------------------------

    @staticmethod
    def _recorded(position: int, recorded_at_us: int, digest: str, record: Any) -> Recorded:
        return Recorded(position, from_epoch_us(recorded_at_us), digest, record)

    @staticmethod
    def _missing(position: object, head: int) -> RecordNotFoundError:
        msg = f"no record at position {position!r}: positions run from 1 to {head}"
        return RecordNotFoundError(msg)

    @staticmethod
    def _dangling(
        rows: Iterable[tuple[int, str, str, str, str]], exists: Callable[[str], str | None]
    ) -> list[Dangling]:
        """The unresolved references among ``rows``, by position, field, then id."""
        out: list[Dangling] = []
        for position, record_id, field, ref, what in rows:
            kind = exists(ref)
            expected = _EXPECTED_KIND.get(what)
            if kind is None or (expected is not None and kind != expected):
                out.append(Dangling(position, record_id, field, ref, what))  # type: ignore[arg-type]
        out.sort(key=lambda d: (d.position, d.field, d.ref))
        return out
