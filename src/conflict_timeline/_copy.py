"""Copy a timeline between stores of any backends, keeping its hash chain.

A record's chain hash covers its position, its ``recorded_at`` and its payload; a
copy that keeps all three keeps every hash. The destination is opened with a clock
the copy sets, batch by batch, to the ``recorded_at`` of the records it appends, so
the destination's appends put each record at the same position with the same time.

Each batch is one append (one transaction) with ``expected_position``, so an
interrupted copy leaves a whole prefix of the source; running the copy again checks
that prefix against the source (the hash at the destination's head) and goes on
from there.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from typing import Final

import attrs

from .errors import StoreError
from .stores import Recorded, Store

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
        head_hash: The chain hash at the head, the same in both.
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

    ``progress`` is called with the number of records the destination holds after
    each batch. Verifies the destination at the end.

    Raises:
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
    if progress is not None:
        progress(position)
    for run in _batches(source.read(start=already + 1, stop=total), batch):
        clock.now = run[0].recorded_at
        got = destination.append([r.record for r in run], expected_position=position, strict=False)
        wanted = tuple(r.position for r in run)
        if got != wanted:  # pragma: no cover - the store contract makes this impossible
            msg = f"{destination_name}: records landed at {got[0]}..{got[-1]}, not {wanted[0]}.."
            raise StoreError(msg)
        position = wanted[-1]
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
    head_hash = _hash_at(destination, total) if total else ""
    if total and head_hash != _hash_at(source, total):
        msg = f"{destination_name}: the chain hash at the head differs from {source_name}'s"
        raise StoreError(msg)
    return CopyResult(position - already, already, position, head_hash)
