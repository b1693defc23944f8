"""Copy a timeline between stores of any backends, keeping its hash chain.

A record's chain hash covers its position, its ``recorded_at`` and its payload; a
copy that keeps all three keeps every hash. The destination is opened with a clock
the copy sets, batch by batch, to the ``recorded_at`` of the records it appends, so
the destination's appends put each record at the same position with the same time.

Each batch is one append (one transaction) with ``expected_position``, so an
interrupted copy leaves a whole prefix of the source; running the copy again checks
that prefix against the source (the hash at the destination's head) and goes on
from there.

Before a batch is written, the hash the destination will compute for each of its
records (from the record as read, its position and ``recorded_at``, chained to the
previous stored hash) is checked against the hash the source stores, and, where the
source hands out its payloads as stored (a `PayloadReader`: SQLite, PostgreSQL), the
stored bytes are checked to be the ones the record is written back as: a source
record changed behind the library's back stops the copy there, before anything of it
is written, so that the copy never gives a changed record a fresh, valid hash. That
holds too for a change the decoder reads past (a space added to the stored JSON),
which ``verify`` finds. The destination then holds the records before it, a true copy
of them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from typing import Final

import attrs

from ._serialization import canonical_bytes
from ._time import epoch_us
from .errors import ConcurrencyError, DamagedStoreError, StoreError
from .stores import GENESIS_HASH, PayloadReader, Recorded, Store, chain_hash
from .stores._base import COPYING

__all__ = ["CopyResult", "SettableClock", "copy_timeline"]

BATCH: Final = 10_000
"""Records per append when copying."""


class SettableClock:
    """A clock that returns whatever time it was last set to."""

    def __init__(self) -> None:
        self.now: _dt.datetime | None = None

    def __call__(self) -> _dt.datetime:
        if self.now is None:
            msg = "this store only takes records copied from another timeline"
            raise StoreError(msg)
        return self.now


@attrs.frozen
class CopyResult:
    """What `copy_timeline` did.

    Attributes:
        copied: Records appended by this run.
        already: Records the destination held before (an earlier, interrupted copy).
        head: The destination's head afterwards (the source's head).
        head_hash: The chain hash at the head, the same in both (`GENESIS_HASH`,
            64 zeros, for an empty timeline, as receipts and the store say).
    """

    copied: int
    already: int
    head: int
    head_hash: str


def _batches(records: Iterator[Recorded], size: int) -> Iterator[list[Recorded]]:
    """Runs of records that share one ``recorded_at``, at most ``size`` long."""
    batch: list[Recorded] = []
    for recorded in records:
        if batch and (len(batch) >= size or recorded.recorded_at != batch[0].recorded_at):
            yield batch
            batch = []
        batch.append(recorded)
    if batch:
        yield batch


def _hash_at(store: Store, position: int) -> str:
    return store.fetch([position])[0].hash


_NOT_ITS_HASH: Final = "does not match its stored hash"


def _first_mismatch(
    run: list[Recorded], previous: str, stored: list[bytes] | None
) -> tuple[int, str] | None:
    """The index in ``run`` of the first record the copy cannot keep true, and why:
    its chain hash, as the destination will compute it after ``previous``, is not the
    one the source stores; or, where the source gives its payloads as stored
    (``stored``), those bytes are not the ones the hash covers, or the record is not
    written back as them."""
    for i, recorded in enumerate(run):
        written = canonical_bytes(recorded.record)
        at = epoch_us(recorded.recorded_at)
        if stored is not None and stored[i] != written:
            if chain_hash(previous, recorded.position, at, stored[i]) != recorded.hash:
                return i, _NOT_ITS_HASH
            return i, (
                "is stored in a form this version does not write (the record re-encodes "
                "differently), so a copy could not keep its hash"
            )
        if chain_hash(previous, recorded.position, at, written) != recorded.hash:
            return i, _NOT_ITS_HASH
        previous = recorded.hash
    return None


def copy_timeline(
    source: Store,
    destination: Store,
    clock: SettableClock,
    *,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
    source_name: str = "the source",
    destination_name: str = "the destination",
) -> CopyResult:
    """Copy ``source`` into ``destination``, which must take its time from ``clock``.

    ``progress`` is called with the number of records the destination holds at the
    start and after each batch. Each source record's stored hash is checked as it is
    read (see the module's docstring); the destination is verified at the end.

    Raises:
        DamagedStoreError: a source record does not match its stored hash (the
            source does not verify); the destination holds the records before it.
        StoreError: when the destination holds records that are not a prefix of
            the source, or when the copy does not verify.
    """
    if batch < 1:
        msg = f"batch must be at least 1, got {batch}"
        raise StoreError(msg)
    total = source.head()
    already = destination.head()
    if already > total:
        msg = (
            f"{destination_name} holds {already} records, more than the {total} of "
            f"{source_name}: it is not a copy of it"
        )
        raise StoreError(msg)
    if already and _hash_at(destination, already) != _hash_at(source, already):
        msg = (
            f"{destination_name} holds {already} records that are not the first {already} "
            f"of {source_name} (their chain hash at position {already} differs); copy into "
            "an empty timeline"
        )
        raise StoreError(msg)
    position = already
    previous = _hash_at(destination, already) if already else GENESIS_HASH
    if progress is not None:
        progress(position)
    raw = source if isinstance(source, PayloadReader) else None
    for run in _batches(source.read(start=already + 1, stop=total), batch):
        stored = None if raw is None else raw.payloads([r.position for r in run])
        found = _first_mismatch(run, previous, stored)
        if found is not None:
            bad, why = found
            position = _append(destination, clock, run[:bad], position, destination_name)
            clock.now = None
            msg = (
                f"{source_name}: the record at position {run[bad].position} {why}: the "
                "source was changed or damaged, and the copy stops there; "
                f"{destination_name} holds the {position} records before it, a true copy "
                f"of them; run verify on {source_name}"
            )
            raise DamagedStoreError(msg)
        previous = run[-1].hash
        position = _append(destination, clock, run, position, destination_name)
        if progress is not None:
            progress(position)
    clock.now = None
    result = destination.verify()
    if not result.ok:
        msg = (
            f"{destination_name}: the copy does not verify: position {result.first_bad}: "
            f"{result.reason}"
        )
        raise StoreError(msg)
    head_hash = _hash_at(destination, total) if total else GENESIS_HASH
    if total and head_hash != _hash_at(source, total):
        msg = f"{destination_name}: the chain hash at the head differs from {source_name}'s"
        raise StoreError(msg)
    return CopyResult(position - already, already, position, head_hash)


def _append(
    destination: Store, clock: SettableClock, run: list[Recorded], position: int, name: str
) -> int:
    """Append ``run`` after ``position`` as one batch; returns the new head."""
    if not run:
        return position
    clock.now = run[0].recorded_at
    # A record referring to its own id, which an earlier version stored under
    # strict=False, is copied as the source holds it.
    copying = COPYING.set(True)
    try:
        got = destination.append([r.record for r in run], expected_position=position, strict=False)
    except ConcurrencyError as exc:
        # Another writer appended to the destination between two batches: what it
        # holds is no copy of the source any more, and no run of the copy can make it
        # one. Said so, rather than "re-read and retry", which cannot succeed.
        msg = (
            f"{name}: another writer appended to it during the copy ({exc}); it now holds "
            f"records that are not the source's, and no copy into it can succeed: copy "
            "into a timeline nobody else writes to until the copy is done (a new one), "
            "then share that one"
        )
        raise StoreError(msg) from exc
    finally:
        COPYING.reset(copying)
    wanted = tuple(r.position for r in run)
    if got != wanted:  # pragma: no cover - the store contract makes this impossible
        msg = f"{name}: records landed at {got[0]}..{got[-1]}, not {wanted[0]}.."
        raise StoreError(msg)
    return wanted[-1]
