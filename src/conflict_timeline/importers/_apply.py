"""Putting an import into a store: what exists already, one transaction, a summary.

The readers (``read_acled``, ``read_ucdp``) are pure; this module gives them the
``existing`` callback a store answers (see ``_batch``) and appends what they produce
as one batch, so an import lands whole or not at all.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from .._gc import gc_paused
from .._records import (
    ActorDefined,
    AnyRecord,
    Correction,
    PlaceDefined,
    Record,
    Retraction,
)
from ..stores import Recorded, Store
from ..stores._base import latest_fixes
from ._batch import Existing, ImportBatch, ImportStream, RefusedRow

__all__ = ["CurrentVersions", "ImportSummary", "append_batch", "run_import"]


class CurrentVersions:
    """``existing(id)`` for a store: the current version of each stored record.

    Corrections and retractions are read once, up front; the latest one known for
    a record (by knowledge time, then id, as the projections decide) says what its
    current version is: the correction's replacement, or the
    [`Retraction`][conflict_timeline.Retraction]; `fix` gives that correction or
    retraction itself. Other records are looked up one id at a time.

    Args:
        store: The store to ask.
    """

    def __init__(self, store: Store) -> None:
        self.stores = store
        self._payload_of = getattr(store, "payload_of", None)  # optional on a store
        self._empty = store.head() == 0
        self._fixes: dict[str, Recorded] = {}
        self._ids: dict[str, list[str]] = {}
        if self._empty:
            return
        self._fixes = latest_fixes(store.read(kinds=("Correction", "Retraction")))

    def unchanged(self, record_id: str, payload: bytes) -> bool:
        """Is ``record_id`` stored, never corrected nor retracted, as exactly these
        canonical bytes? Then a row giving them changes nothing, and no stored record
        need be decoded to know it. False when the store cannot say (the caller then
        compares the decoded record)."""
        if self._empty or record_id in self._fixes or self._payload_of is None:
            return False
        return bool(self._payload_of(record_id) == payload)

    def fix(self, record_id: str) -> Recorded | None:
        """The correction or retraction that gives ``record_id``'s current version, as
        stored (position, id, knowledge time), or None when it has none. A new
        correction's id is chained to it, so that it is never a repeat of an earlier
        correction to the same content (see ``_batch``)."""
        return self._fixes.get(record_id)

    def holds(self, record_id: str) -> bool:
        """Is the record ``record_id`` itself stored? (A retraction may be stored
        before its record: ACLED's deletions list imported before the export.)"""
        return self.held(record_id) is not None

    def stored_ids(self, kind: str) -> list[str]:
        """The ids of the stored records of ``kind`` (as first stored: their current
        version may be a correction or a retraction), read once from the store's index,
        no record decoded. An importer whose ids depend on something a newer release
        may renumber finds the ids it gave before among them."""
        if self._empty:
            return []
        if kind not in self._ids:
            self._ids[kind] = [row.id for row in self.stores.index_rows(kinds=(kind,))]
        return self._ids[kind]

    def held(self, record_id: str) -> Record | None:
        """The record ``record_id`` as first stored (not its current version), or
        None when the store does not hold it: a version that brings a retracted
        record back corrects it, so it must keep its kind."""
        if self._empty:
            return None
        found = self.stores.get(record_id)
        return None if found is None else found.record

    def __call__(self, record_id: str) -> Record | None:
        if self._empty:
            return None
        fix = self._fixes.get(record_id)
        if fix is not None:
            record = fix.record
            return record.replacement if isinstance(record, Correction) else record
        found = self.stores.get(record_id)
        return None if found is None else found.record


@attrs.frozen(kw_only=True)
class ImportSummary:
    """What one import appended, skipped and refused.

    Every data row of the file is counted once: ``rows == accepted + skipped + merged +
    sum(out_of_scope.values()) + len(refused)``. A row usually adds one record, so
    ``accepted == events + corrections + retractions``; a peace agreement with a
    ceasefire adds two (the agreement and its provision), and so does an ETH/PRIO
    ceasefire whose end is known (the commitment and its end).

    Attributes:
        file: The file's name, as used in messages.
        rows: Data rows read (blank lines not counted).
        accepted: Rows that added records (new records, corrections, retractions).
        appended: Records appended, definitions included.
        definitions: New actor and place records among them.
        events: New records other than definitions, corrections and retractions
            (attacks, statements, commitments, their ends, agreements...); the
            summary's text calls them "new records" and counts them by kind.
        corrections: Corrections of events the store already held, for changed rows.
        retractions: Retractions, from a deletions list.
        skipped: Rows that needed nothing new (unchanged, repeated, older than the
            stored version or than the deletion that retracted the event, a deletion
            of an event already retracted or older than the stored version).
        refused: The rows not imported, with line, field and reason.
        first_position: The store position of the first appended record, or None
            when nothing was appended.
        last_position: The store position of the last appended record, or None.
        out_of_scope: Rows skipped by design, by type (not errors; see each
            importer's mapping table).
        merged: Rows folded into another row's record (ACLED monadic exports,
            ETH/PRIO's one row per actor of a ceasefire).
        flags: Rows taken (imported, or found unchanged) with a documented
            adjustment, by kind: a row once per kind, so a row with several kinds
            is counted under each, and the kinds may add up to more than
            ``flagged``.
        flagged: Rows taken (imported, or found unchanged) with at least one flag,
            each once: at most ``accepted + skipped``. ``None`` when the importer
            does not count them (a third party's that returns only ``flags``).
        new_by_kind: The new records (``events``) by record kind (``Attack``,
            ``Commitment``, ``CommitmentEnded``...).
    """

    file: str
    rows: int
    accepted: int
    appended: int
    definitions: int
    events: int
    corrections: int
    retractions: int
    skipped: int
    refused: tuple[RefusedRow, ...]
    first_position: int | None
    last_position: int | None
    out_of_scope: dict[str, int] = attrs.field(factory=dict)
    merged: int = 0
    flags: dict[str, int] = attrs.field(factory=dict)
    new_by_kind: dict[str, int] = attrs.field(factory=dict)
    flagged: int | None = None

    def refused_by_field(self) -> dict[str, int]:
        """How many rows were refused, by the field at fault."""
        counts: dict[str, int] = {}
        for row in self.refused:
            counts[row.field] = counts.get(row.field, 0) + 1
        return counts

    def table(self) -> str:
        """The summary as a small table: the rows (accepted, unchanged, merged,
        skipped by type, refused by field, which add up to the rows read), the rows
        taken with a flag (each once; below it, the rows by kind of flag, a row
        under each of its kinds, so these may add up to more; the count is left
        blank when the importer did not count the rows, ``flagged`` None), then the
        records they wrote."""
        lines = [f"{self.file}: {self.rows} rows"]
        rows: list[tuple[str, int | None]] = [
            ("accepted", self.accepted),
            ("unchanged", self.skipped),
        ]
        if self.merged:
            rows.append(("merged into another row's record", self.merged))
        skipped = sum(self.out_of_scope.values())
        rows.append(("skipped by design", skipped))
        rows.extend((f"  {k}", v) for k, v in sorted(self.out_of_scope.items()))
        rows.append(("refused", len(self.refused)))
        rows.extend((f"  {k}", v) for k, v in sorted(self.refused_by_field().items()))
        if self.flags:
            rows.append(("rows with a flag", self.flagged))
            rows.extend((f"  {k}", v) for k, v in sorted(self.flags.items()))
        # Every record written, as the summary line's "records appended" counts them:
        # the actors and places the rows named, defined anew, too.
        rows += [
            ("records written", self.appended),
            ("  new records", self.events),
            *((f"    {k}", v) for k, v in sorted(self.new_by_kind.items())),
            ("  corrections", self.corrections),
            ("  retractions", self.retractions),
            ("  new actors and places", self.definitions),
        ]
        width = max(len(label) for label, _ in rows)
        lines.extend(
            f"  {label.ljust(width)}  {'' if count is None else format(count, ','):>9}".rstrip()
            for label, count in rows
        )
        return "\n".join(lines)

    def _by_kind(self) -> str:
        """The new records' kinds, as `` (Commitment 3, CommitmentEnded 1)``."""
        if not self.new_by_kind:
            return ""
        return " (" + ", ".join(f"{k} {v}" for k, v in sorted(self.new_by_kind.items())) + ")"

    def messages(self) -> list[str]:
        """Each refusal as ``"file.csv, line 12: field: reason"``."""
        return [r.message(self.file) for r in self.refused]

    def __str__(self) -> str:
        parts = [
            f"{self.file}: {self.rows} rows",
            f"{self.events} new records{self._by_kind()}",
            f"{self.corrections} corrections",
            f"{self.retractions} retractions",
            f"{self.definitions} new actors and places",
            f"{self.skipped} unchanged",
        ]
        if self.merged:
            parts.append(f"{self.merged} merged")
        if self.out_of_scope:
            by_type = ", ".join(f"{k} {v}" for k, v in sorted(self.out_of_scope.items()))
            parts.append(f"{sum(self.out_of_scope.values())} skipped by design ({by_type})")
        parts.append(f"{len(self.refused)} refused")
        return ", ".join(parts)


def append_batch(
    append: Callable[..., tuple[int, ...]], head: int, batch: ImportBatch
) -> ImportSummary:
    """Append ``batch`` with ``append`` (one transaction) and summarise it.

    Args:
        append: ``Timeline.extend``: appends records as one atomic batch and returns
            their positions.
        head: The store's head when the file was read; the append raises
            [`ConcurrencyError`][conflict_timeline.errors.ConcurrencyError] if another writer
            appended since, because
            what the reader learnt from ``existing`` may then be out of date.
        batch: What the reader produced.
    """
    positions = append(batch.records, expected_position=head) if batch.records else ()
    # Count what was written: a record the store already held (idempotent by id) is
    # given its stored position, at or below the head, and is not counted.
    counts = _Tally()
    fresh: set[int] = set()
    held = 0  # records other than definitions that were stored already, or repeated
    for record, position in zip(batch.records, positions, strict=True):
        if position > head and position not in fresh:
            fresh.add(position)
            counts.add(record)
        elif _bucket(record) != "definitions":
            held += 1
    written = range(min(fresh), max(fresh) + 1) if fresh else range(0)
    return _summary(batch, counts, written, held=held)


class _Tally:
    """How many records of each bucket an import produced, and of each kind among the
    new records (the ``events`` bucket)."""

    def __init__(self) -> None:
        self.counts = {"definitions": 0, "events": 0, "corrections": 0, "retractions": 0}
        self.kinds: dict[str, int] = {}

    def add(self, record: Any) -> None:
        bucket = _bucket(record)
        self.counts[bucket] += 1
        if bucket == "events":
            self.kinds[record.KIND] = self.kinds.get(record.KIND, 0) + 1

    def counted(self, records: Iterable[AnyRecord]) -> Iterator[AnyRecord]:
        for record in records:
            self.add(record)
            yield record


def _summary(batch: ImportBatch, tally: _Tally, written: range, *, held: int = 0) -> ImportSummary:
    """The summary of ``batch``, of which ``tally`` counts the records written (in
    ``written``) and ``held`` those other than definitions that were not (stored
    already, or repeated in the batch: idempotent by id)."""
    counts = tally.counts
    accepted, skipped = batch.accepted, batch.skipped
    if accepted is None:  # an importer that does not count rows: one record a row,
        accepted = counts["events"] + counts["corrections"] + counts["retractions"]
        skipped += held  # and a row whose record was stored needed nothing new
    return ImportSummary(
        file=batch.file,
        rows=batch.rows,
        accepted=accepted,
        appended=len(written),
        skipped=skipped,
        refused=batch.refused,
        first_position=written[0] if written else None,
        last_position=written[-1] if written else None,
        out_of_scope=dict(batch.out_of_scope),
        merged=batch.merged,
        flags=dict(batch.flags),
        flagged=batch.flagged,
        new_by_kind=dict(tally.kinds),
        **counts,
    )


def _bucket(record: Any) -> str:
    if isinstance(record, ActorDefined | PlaceDefined):
        return "definitions"
    if isinstance(record, Correction):
        return "corrections"
    if isinstance(record, Retraction):
        return "retractions"
    return "events"


AppendStream = Callable[..., range]
"""``Timeline.append_stream``: appends an iterable of records a slice at a time as one
atomic batch and returns the range of positions written."""


def run_import(
    store: Store,
    append: Callable[..., tuple[int, ...]],
    read: Callable[[Existing], ImportBatch],
    *,
    stream: Callable[[Existing], ImportStream] | None = None,
    append_stream: AppendStream | None = None,
    strict_references: bool = True,
) -> ImportSummary:
    """Read a file against what ``store`` holds and append the result in one batch.

    With ``stream`` and ``append_stream`` the records are appended as the file is
    read, a slice at a time inside the one transaction, so memory stays bounded
    whatever the file's length; otherwise the whole batch is read, then appended.

    Args:
        store: Answers ``existing`` (through `CurrentVersions`).
        append: ``Timeline.extend``.
        read: Calls the reader with the ``existing`` callback.
        stream: Calls the reader's streaming form with the ``existing`` callback.
        append_stream: ``Timeline.append_stream``.
        strict_references: Append with ``strict`` references (every referenced id
            stored or in the batch); False for an importer whose records may refer to
            records still to come (ACLED's deletions list with ``keep_unheld``: an
            importer's ``strict_references``, a bool or a method of the options).
    """
    with gc_paused():
        head = store.head()
        existing = CurrentVersions(store)
        if stream is not None and append_stream is not None:
            records = stream(existing)
            tally = _Tally()
            written = append_stream(
                tally.counted(records), expected_position=head, strict=strict_references
            )
            held = 0
            if len(written) != sum(tally.counts.values()):
                # Some records were stored already (idempotent by id): count the
                # records written, not those produced.
                produced, tally = tally, _Tally()
                for recorded in store.read(start=written.start, stop=written.stop - 1):
                    tally.add(recorded.record)
                held = sum(produced.counts.values()) - sum(tally.counts.values())
                held -= produced.counts["definitions"] - tally.counts["definitions"]
            return _summary(records.batch(), tally, written, held=held)
        if not strict_references:
            append = functools.partial(append, strict=False)
        return append_batch(append, head, read(existing))
