"""The [`Timeline`][conflict_timeline.Timeline]: the one object users hold.

It wraps a store (in memory by default; an SQLite file, a PostgreSQL database or a
registered backend with [`Timeline.open`][conflict_timeline.Timeline.open]) and answers
the three-clock questions: ``state(View, at=..., known_at=..., as_of=...)``,
``series(View, start, end)`` and ``live(View)``.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as _dt
import difflib
import math
import os
import threading
import time
import warnings
from collections.abc import Callable, Hashable, Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Final, Generic, Literal, TypeVar, overload

import attrs
import pendulum

from ._changes import Changes, compare
from ._copy import BATCH as COPY_BATCH
from ._copy import CopyResult, SettableClock, copy_timeline
from ._gc import gc_paused
from ._receipts import Receipt, check_receipts, make_receipt
from ._records import KIND_BY_NAME, Record, read_in_zone
from ._time import Precision, TimeExtent, from_epoch_us, start_instant, to_cut, zone_hint
from .errors import (
    CheckpointWarning,
    ImportDataError,
    InvalidRecordError,
    InvalidTimeError,
    QueryError,
    RecordNotFoundError,
    StoreError,
    UnsourcedRecordWarning,
)
from .importers import (
    Importer,
    ImportSummary,
    PathOrFile,
    get_importer,
    run_import,
)
from .importers._batch import stream_of
from .stores import (
    Clock,
    Dangling,
    MemoryStore,
    Recorded,
    StateKeeper,
    Store,
    Verification,
    open_store,
)
from .stores._base import read_bounds
from .views import (
    Engine,
    Gazetteer,
    Listing,
    Query,
    View,
    _saved,
    check_view,
    get_view,
    view_names,
)
from .views._engine import answered, nearest_kind, record_kind
from .views._focus import Focusable, FocusedStore, record_window, span_window

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

__all__ = ["LiveView", "SeriesPoint", "Subscription", "Timeline"]

S = TypeVar("S")
R = TypeVar("R")
T = TypeVar("T")

_STEPS: Final = ("hour", "day", "week", "month", "year")
_MAX_STEPS: Final = 200_000


class _Everything(View[None, None]):
    """A view of every kind that folds nothing: its engine's index of every record
    (where each replays, in which version) is what `records_as_known` reads."""

    kinds: ClassVar[frozenset[str] | None] = None

    def initial(self) -> None:
        return None

    def apply(self, state: None, recorded: Recorded) -> None:
        del recorded
        return state

    def result(self, state: None, query: Query) -> None:
        del query
        return state


def records_as_known(
    timeline: Timeline,
    query: Query,
    kinds: frozenset[str] | None = None,
    window: tuple[int, int] | None = None,
    limit: int | None = None,
) -> tuple[int, list[Recorded]]:
    """How many records there are as known under ``query``'s ``known_at`` and
    ``as_of`` (its ``at`` is not read), of ``kinds`` and overlapping ``window``, and
    the first ``limit`` of them (all: None): corrections applied, retractions
    obeyed, in replay order (what `current_records` gives; see `Engine.selected`).
    Only the records returned are read and decoded; with a window, only the records
    that may be in it are indexed (`span_window`), not the whole store."""
    if window is None:
        return timeline._engine(_Everything).selected(query, kinds, None, limit)
    focused = span_window(timeline.store, kinds, window)
    return _everything_in(focused).selected(query, kinds, window, limit)


def _everything_in(focused: FocusedStore) -> Engine[None, None]:
    """An engine of `_Everything` over a window of the store (not kept: a window
    answers one question)."""
    return Engine(_Everything(), focused)  # type: ignore[arg-type]


def record_as_known(timeline: Timeline, query: Query, record_id: str) -> Recorded | None:
    """Record ``record_id`` as known under ``query``'s ``known_at`` and ``as_of`` (its
    ``at`` is not read), as `records_as_known` gives each record (its correction
    applied, None when it is retracted or not known yet), of any kind; None when the
    store holds no such record. Only it and its corrections and retractions are read."""
    found = _everything_in(record_window(timeline.store, record_id)).selected(query)[1]
    return found[0] if found else None


@attrs.frozen
class SeriesPoint(Generic[R]):
    """One step of [`Timeline.series`][conflict_timeline.Timeline.series].

    Attributes:
        period: The step (a day, a week...), in the query's timezone.
        value: The view's result at the end of that period.
    """

    period: TimeExtent
    value: R


class Subscription:
    """A callback receiving records in position order; `close` stops it.

    A callback that raises does not undo or fail the append that triggered it (the
    records are stored by then): the subscription closes, keeps the exception in
    `error`, and a `RuntimeWarning` says so. Other subscribers go on.

    Attributes:
        callback: The function called with each [`Recorded`][conflict_timeline.stores.Recorded].
        delivered: The last position delivered.
        active: False once closed.
        error: The exception the callback raised, if it did.
    """

    def __init__(self, timeline: Timeline, callback: Callable[[Recorded], None]) -> None:
        self._timeline = timeline
        self.callback = callback
        self.delivered = 0
        self.active = True
        self.error: BaseException | None = None

    def close(self) -> None:
        """Stop receiving records."""
        self.active = False
        self._timeline._unsubscribe(self)


class LiveView(Generic[S, R]):
    """A view kept current as records are appended (see
    [`Timeline.live`][conflict_timeline.Timeline.live])."""

    def __init__(self, timeline: Timeline, engine: Engine[S, R]) -> None:
        self._timeline = timeline
        self._engine = engine

    @property
    def value(self) -> R:
        """The result over everything appended so far (open cuts), as
        ``timeline.state(view)`` gives it: its query in the timeline's zone."""
        query = Query(tz=self._timeline._zone(None))
        with self._timeline._handed_on():
            return self._engine.answer(query)

    @property
    def position(self) -> int:
        """The store position the view has taken in."""
        return self._engine.head

    def close(self) -> None:
        """Stop updating on append."""
        self._timeline._drop_live(self._engine)


ViewArg = View[S, R] | type[View[S, R]]
_CUTS: Final = ("at", "known_at", "as_of", "certainty", "tz")
"""`Timeline.state`'s own keywords, besides a view's filters."""


class Timeline:
    """An append-only timeline of conflict records, queryable along three clocks.

    Args:
        store: Where records live; a [`MemoryStore`][conflict_timeline.stores.MemoryStore] when
            omitted.
        clock: Gives ``recorded_at`` for the default store (tests inject one).
        checkpoint_every: How many replayed records apart the views keep snapshots
            along valid time (smaller: faster at-date queries, more memory).
        tz: The IANA zone the timeline's local times are in ("Africa/Khartoum").
            Record times given as text without an offset (``occurred="2023-05-22T21:45"``,
            ``Source(published="2023-05-22")``) are read in it when the records are
            appended, and query dates are read in it unless a query says ``tz=``.
            Without it both are read in UTC. Times with an offset, aware datetimes and
            extents built with a zone are never re-read.
        require_sources: Refuse (with
            [`InvalidRecordError`][conflict_timeline.errors.InvalidRecordError]) a record with no
            source and no ``reported`` time, instead of warning with
            `UnsourcedRecordWarning`.
        saved_checkpoints: Start a view from the state
            [`save_checkpoints`][conflict_timeline.Timeline.save_checkpoints] kept in the
            store, when there is one it can trust, instead of folding it from the first
            record (False: always fold).
    """

    def __init__(
        self,
        store: Store | None = None,
        *,
        clock: Clock | None = None,
        checkpoint_every: int = 128,
        tz: str | None = None,
        require_sources: bool = False,
        saved_checkpoints: bool = True,
    ) -> None:
        if isinstance(checkpoint_every, bool) or not isinstance(checkpoint_every, int):
            msg = f"checkpoint_every must be a whole number, got {checkpoint_every!r}"
            raise QueryError(msg)
        if checkpoint_every < 1:
            msg = f"checkpoint_every must be at least 1, got {checkpoint_every}"
            raise QueryError(msg)
        self.checkpoint_every = checkpoint_every
        if tz is not None:
            _known_zone(tz, example="Africa/Khartoum")
        self.tz = tz
        if not isinstance(require_sources, bool):
            msg = f"require_sources must be True or False, got {require_sources!r}"
            raise QueryError(msg)
        self.require_sources = require_sources
        if not isinstance(saved_checkpoints, bool):
            msg = f"saved_checkpoints must be True or False, got {saved_checkpoints!r}"
            raise QueryError(msg)
        self.saved_checkpoints = saved_checkpoints
        if store is not None and clock is not None:
            msg = "give the clock to the store, not to Timeline(store, clock=...)"
            raise QueryError(msg)
        self.store: Store = store if store is not None else MemoryStore(clock=clock)
        self._engines: dict[Any, Engine[Any, Any]] = {}
        self._making = threading.RLock()
        self._live: dict[int, Engine[Any, Any]] = {}
        # Engines over a window of the store (see views/_focus.py), by view and the
        # filters' key, most recently used last.
        self._focused: collections.OrderedDict[tuple[Any, Hashable], Engine[Any, Any]] = (
            collections.OrderedDict()
        )
        self._focusing = threading.Lock()
        self._subscribers: list[Subscription] = []
        self._deliver_lock = threading.RLock()
        # Set while records are being delivered: an append (or a subscription) made
        # by a callback leaves its records here for the delivery under way, which
        # takes them once every subscriber has had what it was delivering.
        self._delivering = False
        self._fresh_again: list[Recorded] | None = None
        # Appends the store reported while another thread held the delivery lock:
        # that thread hands them on before it lets the lock go (see `_on_append`).
        self._queued: collections.deque[list[Recorded]] = collections.deque()
        self._queue_lock = threading.Lock()
        # The store is asked to report appends only once a live view or a subscriber
        # needs them: reporting costs an envelope per appended record.
        self._listening = False

    def _zone(self, tz: str | None) -> str:
        return tz if tz is not None else (self.tz or "UTC")

    def __repr__(self) -> str:
        store = self.store
        path = getattr(store, "path", None)
        where = f"({str(path)!r})" if path is not None else ""
        try:
            held = f"{self.head:,} records"
        except StoreError as exc:  # closed, or unreadable: a repr never raises
            held = f"head unreadable: {exc}"
        return f"<Timeline {type(store).__name__}{where}, {held}>"

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str],
        *,
        clock: Clock | None = None,
        create: bool = True,
        read_only: bool = False,
        checkpoint_every: int = 128,
        tz: str | None = None,
        require_sources: bool = False,
        saved_checkpoints: bool = True,
    ) -> Timeline:
        """A timeline in the store ``target`` names.

        ``target`` is a path (an SQLite file, created if missing unless
        ``create=False``) or a URL whose scheme picks the backend: ``sqlite:PATH``,
        ``memory:``, or any scheme a backend registered (with
        [`register_backend`][conflict_timeline.stores.register_backend] or an entry point of the
        group ``conflict_timeline.stores``); see
        [`open_store`][conflict_timeline.stores.open_store]. ``create=False`` refuses a
        store that does not exist yet (a missing or empty file); ``read_only=True``
        never creates or changes it, and appends raise
        [`StoreError`][conflict_timeline.errors.StoreError]. ``tz``,
        ``require_sources`` and ``saved_checkpoints`` are as for
        [`Timeline`][conflict_timeline.Timeline].
        """
        store = open_store(target, clock=clock, create=create, read_only=read_only)
        try:
            return cls(
                store,
                checkpoint_every=checkpoint_every,
                tz=tz,
                require_sources=require_sources,
                saved_checkpoints=saved_checkpoints,
            )
        except BaseException:
            store.close()
            raise

    # -- writing ---------------------------------------------------------------------

    def append(
        self,
        *records: Record,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> tuple[int, ...]:
        """Append records as one atomic batch; returns their positions.

        See [`StoreBase.append`][conflict_timeline.stores.StoreBase.append] for idempotency,
        ``expected_position`` and
        ``strict``. Zone-less times are read in the timeline's ``tz`` first, and
        records with no knowledge time are warned about (or refused); see
        [`Timeline`][conflict_timeline.Timeline].
        """
        if self.tz is not None:
            records = tuple(read_in_zone(r, self.tz) for r in records)
        unsourced = [r for r in records if isinstance(r, Record) and r.reported is None]
        if unsourced and self.require_sources:
            check_sources(unsourced, require=True)
        # Warned about once appended, and only those the append wrote: a record stored
        # already (a retried append, a file imported again) was warned about then.
        head = self.store.head() if unsourced else 0
        positions = self.store.append(records, expected_position=expected_position, strict=strict)
        if unsourced:
            fresh = {  # by id: a record repeated in the batch is one record written
                r.id: r
                for r, p in zip(records, positions, strict=True)
                if p > head and isinstance(r, Record) and r.reported is None
            }
            check_sources(fresh.values(), require=False)
        if not self._listening:
            self._on_append([])
        return positions

    def extend(
        self,
        records: Iterable[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> tuple[int, ...]:
        """Append an iterable of records as one batch (one transaction)."""
        return self.append(*records, expected_position=expected_position, strict=strict)

    def append_stream(
        self,
        records: Iterable[Record],
        *,
        expected_position: int | None = None,
        strict: bool = True,
    ) -> range:
        """Append records drawn from an iterable as one atomic batch, a slice at a time.

        For batches too large to hold (a generator over a file): the store draws
        and writes ``records`` a slice at a time inside one transaction; see
        [`StoreBase.append_stream`][conflict_timeline.stores.StoreBase.append_stream].
        Returns the range of positions written (empty when every record was
        stored already). Zone-less times and records with no knowledge time are
        treated as by [`append`][conflict_timeline.Timeline.append]; with
        ``require_sources`` the first such record aborts the whole batch.
        """
        unsourced: list[Record] = []
        count = [0]
        drawn = [0]  # every record drawn, to tell whether some were stored already

        def prepared() -> Iterator[Record]:
            for record in records:
                drawn[0] += 1
                if self.tz is not None and isinstance(record, Record):
                    record = read_in_zone(record, self.tz)  # noqa: PLW2901
                if isinstance(record, Record) and record.reported is None:
                    if self.require_sources:
                        check_sources([record], require=True)
                    if not unsourced:
                        unsourced.append(record)
                    count[0] += 1
                yield record

        streamer = getattr(self.store, "append_stream", None)
        if streamer is not None:
            written: range = streamer(
                prepared(), expected_position=expected_position, strict=strict
            )
        else:  # a Store that is not built on StoreBase: one append of everything
            head = self.store.head()
            positions = self.store.append(
                list(prepared()), expected_position=expected_position, strict=strict
            )
            fresh = [p for p in positions if p > head]
            written = range(min(fresh), max(fresh) + 1) if fresh else range(head + 1, head + 1)
        if unsourced and len(written) < drawn[0]:
            # Some were stored already (idempotent by id), warned about when written:
            # as append does, name only those written, read back from the store (the
            # first and a count: a stream is not held).
            unsourced, count[0] = [], 0
            stored = self.store.read(start=written.start, stop=written.stop - 1) if written else ()
            for recorded in stored:
                if isinstance(recorded.record, Record) and recorded.record.reported is None:
                    if not unsourced:
                        unsourced.append(recorded.record)
                    count[0] += 1
        if unsourced:
            check_sources(unsourced, require=False, count=count[0])
        if not self._listening:
            self._on_append([])
        return written

    # -- importing -------------------------------------------------------------------

    def import_(
        self,
        importer: str | Importer,
        path_or_file: PathOrFile,
        *,
        strict: bool = False,
        **options: Any,
    ) -> ImportSummary:
        """Import a file with a registered importer (or an `Importer` object)
        as one transaction.

        Args:
            importer: A name from `importer_names`
                (``"acled"``, ``"ucdp"``, ``"eth-prio"``...) or an importer.
            path_or_file: A path, or an open file (text or binary).
            strict: Stop at the first row with bad data instead of refusing it
                (True or False; anything else is refused).
            options: The importer's own options (``encoding="cp1252"``,
                ``source_name=...`` for ACLED).

        With the built-in importers (and any importer that builds its batch with
        their ``existing`` lookup), actors and places the timeline already holds are
        not defined again, and a row whose event is stored and has changed appends a
        [`Correction`][conflict_timeline.Correction]; what an importer of your own
        does with a stored record is its own (one that gives it again unchanged is
        skipped by id, one that gives other content is refused as a duplicate).

        An importer with a ``stream`` method (every built-in one) is streamed: its
        records are appended a slice at a time as the file is read, so memory does not
        grow with the file. The write transaction is then open while the file is
        read: other writers wait for the whole import, and so do reads through this
        same store object from other threads (open a second timeline for a reader
        that must not wait). An importer of your own that has only ``read`` is read
        whole, then appended.

        Raises:
            ImportDataError: no importer has that name, an option is unknown,
                ``strict`` is not True or False, the file cannot be read as the
                importer's (a required column missing, not its format), or
                (``strict``) a row has bad data; nothing is appended then.
            OSError: the file cannot be opened: the operating system's error
                (``FileNotFoundError`` for a path that holds no file,
                ``PermissionError``, ``IsADirectoryError``), not the data's.
            ConcurrencyError: another writer appended while the file was read.
        """
        if not isinstance(strict, bool):  # strict="no" is truthy: the opposite meant
            msg = f"import_: strict must be True or False, got {strict!r}"
            raise ImportDataError(msg)
        found = get_importer(importer) if isinstance(importer, str) else importer
        streams = stream_of(found)
        return run_import(
            self.store,
            self.extend,
            lambda existing: found.read(path_or_file, existing=existing, strict=strict, **options),
            stream=None
            if streams is None
            else lambda existing: streams(
                path_or_file, existing=existing, strict=strict, **options
            ),
            append_stream=self.append_stream,
            strict_references=_strict_references(found, options),
        )

    def import_acled(
        self,
        path_or_file: PathOrFile,
        *,
        source_name: str | None = None,
        strict: bool = False,
        date_order: str | None = None,
        encoding: str | None = None,
    ) -> ImportSummary:
        """Import an ACLED export (CSV) as one transaction; see `read_acled` (whose
        options these are: ``encoding="cp1252"`` for a file saved so).

        Actors and places the timeline already holds are not defined again; a row
        whose event is stored and has changed appends a
        [`Correction`][conflict_timeline.Correction]; an
        unchanged row, or one whose event was retracted, appends nothing.

        Raises:
            ImportDataError: the file cannot be read as ACLED's, or (``strict``) a
                row has bad data; nothing is appended then.
            OSError: the file cannot be opened (see `import_`).
            ConcurrencyError: another writer appended while the file was read.
        """
        options = _given(source_name=source_name, date_order=date_order, encoding=encoding)
        return self.import_("acled", path_or_file, strict=strict, **options)

    def import_acled_deletions(
        self,
        path_or_file: PathOrFile,
        *,
        source_name: str | None = None,
        strict: bool = False,
        keep_unheld: bool = False,
        date_order: str | None = None,
        encoding: str | None = None,
    ) -> ImportSummary:
        """Retract the events listed in ACLED's deleted-events file (one transaction).

        See `read_acled_deletions`: a deletion older than the stored version of its
        event changes nothing; one of an event the timeline does not hold is skipped
        (counted as "event not held"), or with ``keep_unheld`` kept, to retract the
        event when an export brings it (the files' order then does not matter).
        """
        options = _given(
            source_name=source_name,
            keep_unheld=keep_unheld or None,
            date_order=date_order,
            encoding=encoding,
        )
        return self.import_("acled-deletions", path_or_file, strict=strict, **options)

    def import_ucdp(
        self,
        path_or_file: PathOrFile,
        *,
        strict: bool = False,
        date_order: str | None = None,
        encoding: str | None = None,
        today: _dt.date | str | None = None,
    ) -> ImportSummary:
        """Import a UCDP GED file (CSV) as one transaction; see `read_ucdp` (whose
        options these are: ``today`` the day after which no source was published,
        the clock's today, UTC, when not given).

        Re-importing works as for `import_acled`, but a GED row has no version stamp:
        the file imported last wins (an older release imported after a newer one
        corrects the changed rows back).
        """
        options = _given(date_order=date_order, encoding=encoding, today=today)
        return self.import_("ucdp", path_or_file, strict=strict, **options)

    def _listen(self) -> None:
        """Have the store report each committed append (when it can)."""
        if self._listening:
            return
        add_listener = getattr(self.store, "add_listener", None)
        if add_listener is not None:
            add_listener(self._on_append)
            self._listening = True

    def _on_append(self, fresh: list[Recorded]) -> None:
        # A store may report other processes' appends from a thread of its own (the
        # PostgreSQL store's LISTEN thread), holding a lock of its own meanwhile: it
        # must not wait here for a thread that holds the delivery lock and is itself
        # appending (a subscription's callback), waiting for the store's lock. So the
        # append is queued, and handed on now if the lock is free, else by the thread
        # that holds it before it lets the lock go (`_handed_on`). Live views are
        # updated under the same lock that LiveView.value reads them under.
        with self._queue_lock:
            self._queued.append(fresh)
        self._hand_on()

    def _hand_on(self) -> None:
        """Sync live views and deliver to subscribers the queued appends, in the order
        the store reported them, unless another thread holds the delivery lock (it
        hands them on before it lets the lock go).

        A live view that fails to take an append in (its read of the store failed)
        holds back neither the other views nor the subscribers: the first such error
        is raised once every queued append has been handed on (the view reads what it
        missed when next synced)."""
        failed: Exception | None = None
        while self._queued:
            if not self._deliver_lock.acquire(blocking=False):
                break
            try:
                while True:
                    with self._queue_lock:
                        if not self._queued:
                            break
                        fresh = self._queued.popleft()
                    for engine in list(self._live.values()):
                        try:
                            engine.sync(fresh)
                        except Exception as exc:  # raised below, once
                            failed = failed or exc
                    if self._subscribers:
                        self._deliver(fresh)
            finally:
                self._deliver_lock.release()
            # An append queued after the last look and before the release: look again.
        if failed is not None:
            raise failed

    @contextlib.contextmanager
    def _handed_on(self) -> Iterator[None]:
        """Hold the delivery lock; on leaving, hand on what was queued meanwhile."""
        try:
            with self._deliver_lock:
                yield
        finally:
            self._hand_on()

    # -- reading ---------------------------------------------------------------------

    @property
    def head(self) -> int:
        """The last position (0 when empty)."""
        return self.store.head()

    def __len__(self) -> int:
        return self.store.head()

    def __iter__(self) -> Iterator[Recorded]:
        return self.store.read()

    def read(
        self,
        *,
        start: int = 1,
        stop: int | None = None,
        kinds: Iterable[str | type[Record]] | None = None,
    ) -> Iterator[Recorded]:
        """Records in position order, from ``start`` to ``stop`` (inclusive), of
        ``kinds`` (record kind names or classes; None: every kind).

        ``start`` below 1 reads from 1; ``stop`` past the head, or None, to the head.

        Raises:
            QueryError: when ``start`` or ``stop`` is not an int (``stop`` may be
                None), or ``kinds`` is a lone string or class, or names what is no
                record kind (``"Attacks"``), when called.
        """
        return self.store.read(start=start, stop=stop, kinds=kind_names(kinds, "read"))

    def get(self, record_id: str) -> Recorded:
        """The record with that id.

        Raises:
            RecordNotFoundError: when no record has that id.
        """
        found = self.store.get(record_id)
        if found is None:
            msg = f"no record with id {record_id!r} in this timeline"
            raise RecordNotFoundError(msg)
        return found

    def by_kind(self, *kinds: str | type[Record]) -> Iterator[Recorded]:
        """Records of the given kinds (names or classes), in position order.

        Raises:
            QueryError: for a kind that is no record kind (``"Attacks"``), when called.
        """
        return self.store.read(kinds=kind_names(kinds, "by_kind"))

    def involving(self, ref_id: str) -> Iterator[Recorded]:
        """Records that refer to an actor, place or record id, in position order."""
        return self.store.involving(ref_id)

    def occurred_between(
        self,
        start: _dt.datetime | _dt.date | TimeExtent | str,
        end: _dt.datetime | _dt.date | TimeExtent | str,
        *,
        kinds: Iterable[str | type[Record]] | None = None,
        tz: str | None = None,
    ) -> Iterator[Recorded]:
        """Records whose ``occurred`` overlaps ``start`` .. the end of ``end``
        (dates read in ``tz``, by default the timeline's zone).

        Raises:
            QueryError: for a bound ``at`` would refuse (a naive datetime, an
                unparsable string, None), naming it; an ``end`` before ``start`` (as
                ``between=`` refuses it); or kinds as ``read`` refuses them.
        """
        lo, hi = _span(start, end, self._zone(tz), "occurred_between")
        return self.store.occurred_between(lo, hi, kinds=kind_names(kinds, "occurred_between"))

    def verify(
        self,
        *,
        receipts: Iterable[Receipt] = (),
        public_key: Ed25519PublicKey | bytes | None = None,
    ) -> Verification:
        """Check the store (``Store.verify``): the hash chain and, for a file, its
        structure; the first position that does not match, if any.

        With ``receipts`` (see `receipt`), also prove that the timeline still
        holds exactly each receipted history as its prefix: every receipt must be
        signed by ``public_key`` (an Ed25519 public key, or its 32 raw bytes), the
        timeline must reach its position, and the hash there must be the one it
        signed. This catches records cut off the end, and records changed, removed or
        inserted at or before a receipt's position, even with every hash after them
        recomputed. Records appended after the latest receipt are not covered by it.

        Raises:
            QueryError: receipts without a ``public_key``.
            StoreError: ``receipts`` holds what is not a `Receipt`, or is one
                `Receipt` rather than a collection of them.
            MissingExtraError: receipts without the ``cryptography`` package.
        """
        if isinstance(receipts, Receipt):  # one receipt where a collection belongs
            msg = (
                "verify: receipts must be a collection of Receipt objects, got one "
                "Receipt: write receipts=[receipt]"
            )
            raise StoreError(msg)
        result = self.store.verify()
        wanted = list(receipts)
        if not wanted:
            return result
        if public_key is None:
            msg = "verify(receipts=...) needs the public_key that signed them"
            raise QueryError(msg)
        if not result.ok:
            return result
        return check_receipts(self.store, wanted, public_key, result.checked)

    def receipt(
        self, private_key: Ed25519PrivateKey, *, check: bool = True, clock: Clock | None = None
    ) -> Receipt:
        """A receipt for the timeline as it is now: its head position and hash, and
        the time, signed with ``private_key`` (Ed25519, from the ``cryptography``
        package: ``pip install 'conflict_timeline[receipts]'``).

        Keep receipts apart from the timeline (publish them, mail them, store them
        where the file's writers cannot); `verify` with them later proves the
        timeline still holds that history. With ``check`` (the default) the timeline
        is verified first, so a damaged timeline is never receipted.

        Raises:
            StoreError: ``check`` found the timeline damaged (naming where and why).
            MissingExtraError: the ``cryptography`` package is not installed.
        """
        if check:
            result = self.store.verify()
            if not result.ok:
                msg = (
                    f"receipt: the timeline does not verify (at position {result.first_bad}: "
                    f"{result.reason}); no receipt for a damaged timeline"
                )
                raise StoreError(msg)
        return make_receipt(self.store, private_key, clock=clock)

    def copy_to(
        self,
        target: str | os.PathLike[str],
        *,
        batch: int = COPY_BATCH,
        progress: Callable[[int], None] | None = None,
    ) -> CopyResult:
        """Copy this timeline's log into the store ``target`` names (a path or URL, as
        for `open`; created if missing), as ``conflict-timeline copy`` does: every
        record at the same position with the same ``recorded_at``, so every chain
        hash is the same (re-appending the records instead would stamp each with the
        time of the copy, and a record with no dated source would be known from then).

        At most ``batch`` records are appended at a time (a batch never mixes two
        recording times), each batch one transaction: a copy
        stopped part-way leaves whole batches, and calling ``copy_to`` again goes on
        from there (the records already copied are checked to be this timeline's
        first ones). ``progress`` is called with the number of records the
        destination holds, at the start and after each batch. The copy is verified at
        the end.

        Raises:
            StoreError: ``target`` holds records that are not this timeline's first
                ones (it is another timeline), or the copy does not verify.
            DamagedStoreError: a record of this timeline does not match its stored
                hash (run `verify`); ``target`` holds the records before it.
        """
        clock = SettableClock()
        destination = open_store(target, clock=clock, create=True)
        try:
            return copy_timeline(
                self.store,
                destination,
                clock,
                batch=batch,
                progress=progress,
                source_name="this timeline",
                destination_name=os.fspath(target),
            )
        finally:
            destination.close()

    def dangling_references(self) -> list[Dangling]:
        """References still unresolved after ``strict=False`` appends."""
        return self.store.dangling_references()

    # -- subscriptions ---------------------------------------------------------------

    def subscribe(self, callback: Callable[[Recorded], None], *, start: int = 1) -> Subscription:
        """Call ``callback`` for each record from ``start``: existing ones now, new ones
        as they are appended through this process, always in position order.

        For appends by other processes to the same SQLite file, use `follow`.

        Raises:
            QueryError: when ``start`` is not an int (the rule of ``read``'s bounds),
                or ``callback`` cannot be called, before anything is subscribed.
        """
        read_bounds("subscribe", start)
        if not callable(callback):
            msg = (
                f"subscribe: the callback must be callable (given each Recorded), got "
                f"{type(callback).__name__} {callback!r}"
            )
            raise QueryError(msg)
        self._listen()
        subscription = Subscription(self, callback)
        subscription.delivered = start - 1
        with self._handed_on():
            self._subscribers.append(subscription)
            self._deliver([])
        return subscription

    def _unsubscribe(self, subscription: Subscription) -> None:
        with self._handed_on():
            if subscription in self._subscribers:
                self._subscribers.remove(subscription)

    def _deliver(self, fresh: list[Recorded]) -> None:
        # Called with the lock held (by `subscribe` and `_hand_on`, which hand on
        # what is queued meanwhile).
        with self._deliver_lock:
            if self._delivering:
                # A callback appended or subscribed: deliver it after the pass under
                # way, never from inside it (that would hand a subscriber the record
                # its callback is still taking, again and out of order).
                self._fresh_again = [*(self._fresh_again or ()), *fresh]
                return
            self._delivering = True
            try:
                while True:
                    self._deliver_pass(fresh)
                    if self._fresh_again is None:
                        return
                    fresh, self._fresh_again = self._fresh_again, None
            finally:
                self._delivering = False
                self._fresh_again = None

    def _deliver_pass(self, fresh: list[Recorded]) -> None:
        known = {r.position: r for r in fresh}
        for sub in list(self._subscribers):
            if not sub.active:
                continue
            start = sub.delivered + 1
            if start in known and all(p in known for p in range(start, max(known) + 1)):
                pending: Iterable[Recorded] = [known[p] for p in range(start, max(known) + 1)]
            else:
                pending = self.store.read(start=start)
            for recorded in pending:
                if not sub.active:
                    break
                try:
                    sub.callback(recorded)
                except Exception as exc:  # the user's callback; the append has landed
                    sub.error = exc
                    sub.close()
                    msg = (
                        f"a subscription callback raised {exc!r} at position "
                        f"{recorded.position}; the subscription is closed (see its "
                        "error); the records are stored"
                    )
                    warnings.warn(msg, RuntimeWarning, stacklevel=3)
                    break
                sub.delivered = recorded.position

    def follow(
        self, *, start: int = 1, poll: float = 0.2, idle_timeout: float | None = None
    ) -> Iterator[Recorded]:
        """Yield records from ``start`` on, then poll for new ones (any process).

        Stops after ``idle_timeout`` seconds with nothing new (never, when None).

        Raises:
            QueryError: when ``start`` is not an int (the rule of ``read``'s bounds),
                or ``poll`` or ``idle_timeout`` is not a number of seconds >= 0
                (``idle_timeout`` may be None), when called.
            StoreError: when called on a file read as it stands on disk (an SQLite
                file in a folder this process may not write, opened ``read_only``:
                ``store.immutable``), where no append by another process can be seen.
        """
        read_bounds("follow", start)
        _seconds("follow", "poll", poll)
        if idle_timeout is not None:
            _seconds("follow", "idle_timeout", idle_timeout)
        if getattr(self.store, "immutable", False):
            msg = (
                f"follow: {getattr(self.store, 'path', 'the timeline')} is read as it stands "
                "on disk (its folder is read-only to this process, so SQLite keeps no "
                "index beside it): appends by other processes cannot be seen; follow it "
                "from a process that may write its folder"
            )
            raise StoreError(msg)
        return self._follow(start, poll, idle_timeout)

    def _follow(self, start: int, poll: float, idle_timeout: float | None) -> Iterator[Recorded]:
        position = start - 1
        idle_since = time.monotonic()
        while True:
            got = False
            for recorded in self.store.read(start=position + 1):
                position = recorded.position
                got = True
                yield recorded
            if got:
                idle_since = time.monotonic()
            elif idle_timeout is not None and time.monotonic() - idle_since >= idle_timeout:
                return
            time.sleep(poll)

    # -- views ----------------------------------------------------------------------

    def _engine(self, view: ViewArg[S, R] | str) -> Engine[S, R]:
        if isinstance(view, str):  # looked up each time: a name may be re-registered
            view = get_view(view)
        try:
            engine = self._engines.get(view)
        except TypeError:  # unhashable: not a view; check_view says what one is
            engine = None
        if engine is None:
            check_view(view)
            # One thread makes it (a restore from a saved state may take seconds);
            # another asking meanwhile waits for it rather than making its own.
            with self._making:
                engine = self._engines.get(view)
                if engine is None:
                    instance = view() if isinstance(view, type) else view
                    engine = Engine(instance, self.store, every=self.checkpoint_every)
                    self._restore(view, engine)
                    self._engines[view] = engine
        return engine

    def _restore(self, view: object, engine: Engine[Any, Any]) -> None:
        """Start ``engine`` from the state saved in the store, if it can be trusted."""
        store = self.store
        if not self.saved_checkpoints or not isinstance(store, StateKeeper):
            return
        key = _saved.view_key(view)
        if key is None:
            return
        assert isinstance(view, type)
        code = _saved.code_version(view)
        if code is not None:
            _saved.restore(engine, key, code, store)

    def save_checkpoints(self, *views: ViewArg[Any, Any] | str) -> dict[str, int]:
        """Keep the named views' folded states in the store, so that a timeline opened
        later starts them from there instead of folding every record again.

        Each view is brought up to the store's head and saved with the position and
        chain hash it covers and a digest of the code that folded it; a later open
        uses it only if all three still hold and its bytes are intact (otherwise it
        folds, and warns with `CheckpointWarning` unless only the code changed), then
        takes in whatever was appended since, into the past included. Saving again
        replaces a view's state. See docs/howto/checkpoints.md for when it pays.

        Args:
            views: View classes or registered names, saved in that order. None given:
                every registered view class that can be saved; one whose state holds
                what a saved state may not is skipped, with a `CheckpointWarning`
                saying why.

        Returns:
            Each saved view (``module:qualname``) and the size of its state in bytes
            (with its answer, for a view that saves it beside the state).

        Raises:
            QueryError: before anything is saved, a view is an instance (only classes
                are saved: an instance may carry settings its class does not show) or
                its code version cannot be told (no source file, e.g. a view defined
                in a notebook; or a class its ``module:qualname`` does not name, e.g.
                one a function made); or, once the views before it are saved, a view's
                state holds what a saved state may not (a class of another module than
                the view's) or its saved answer is no `Listing`: the message names the
                views saved before it.
            StoreError: the store keeps no view states, or cannot write them
                (read-only, say).
        """
        store = self.store
        if not isinstance(store, StateKeeper):
            msg = f"{type(store).__name__} does not keep view states; nothing was saved"
            raise StoreError(msg)
        if views:
            chosen: list[Any] = [get_view(v) if isinstance(v, str) else v for v in views]
        else:
            chosen = [get_view(name) for name in view_names()]
        planned = []
        for view in chosen:
            check_view(view)
            key = _saved.view_key(view)
            code = _saved.code_version(view) if key is not None else None
            if code is None and not views:
                continue  # of every registered view, those that can be saved
            if key is None:
                msg = (
                    f"{view!r}: only a view class's state is saved (an instance may carry "
                    "settings its class does not show); pass the class"
                )
                raise QueryError(msg)
            if code is None:
                msg = (
                    f"{key}: cannot tell the version of its code (its module has no "
                    "source file, or that name does not lead to this class: one made by a "
                    "function, or redefined since); its state is not saved"
                )
                raise QueryError(msg)
            planned.append((view, key, code))
        saved: dict[str, int] = {}
        for view, key, code in planned:
            try:
                saved[key] = _saved.save(self._engine(view), key, code, store)
            except QueryError as exc:  # its state holds what a saved state may not
                if not views:  # of every registered view, those that can be saved
                    warnings.warn(str(exc), CheckpointWarning, stacklevel=2)
                    continue
                before = ", ".join(saved) if saved else "none"
                msg = f"{exc} (saved before it: {before})"
                raise QueryError(msg) from None
        return saved

    def forget_checkpoints(self) -> int:
        """Drop every view state saved in the store, and the answers saved beside
        them; how many states and answers there were (0 for a store that keeps none)."""
        store = self.store
        return store.forget_states() if isinstance(store, StateKeeper) else 0

    def _drop_live(self, engine: Engine[Any, Any]) -> None:
        self._live.pop(id(engine), None)

    def query(
        self,
        *,
        at: object = None,
        known_at: object = None,
        as_of: int | None = None,
        certainty: str = "possible",
        tz: str | None = None,
    ) -> Query:
        """The [`Query`][conflict_timeline.Query] for these cuts, validated.

        ``at`` and ``known_at`` take a date or datetime string, an aware datetime
        (pendulum or stdlib), a date or a [`TimeExtent`][conflict_timeline.TimeExtent]; a date
        means the end
        of that day in ``tz`` (by default the timeline's zone, see
        [`Timeline`][conflict_timeline.Timeline]).
        ``as_of`` is a store position.

        Raises:
            QueryError: for a naive datetime, an unparsable string, an unknown
                certainty or a negative position.
        """
        if certainty not in ("possible", "certain"):
            msg = f"certainty must be 'possible' or 'certain', got {certainty!r}"
            raise QueryError(msg)
        if as_of is not None and (
            not isinstance(as_of, int) or isinstance(as_of, bool) or as_of < 0
        ):
            msg = f"as_of must be a store position (a whole number >= 0), got {as_of!r}"
            raise QueryError(msg)
        tz = self._zone(tz)
        _known_zone(tz)
        return Query(
            at=to_cut(at, tz=tz, name="at"),
            known_at=to_cut(known_at, tz=tz, name="known_at"),
            as_of=as_of,
            certainty="certain" if certainty == "certain" else "possible",
            tz=tz,
        )

    @overload
    def state(
        self,
        view: str,
        *,
        at: object = ...,
        known_at: object = ...,
        as_of: int | None = ...,
        certainty: Literal["possible", "certain"] = ...,
        tz: str | None = ...,
        **filters: Any,
    ) -> Any: ...

    @overload
    def state(
        self,
        view: type[View[S, R]],
        *,
        at: object = ...,
        known_at: object = ...,
        as_of: int | None = ...,
        certainty: Literal["possible", "certain"] = ...,
        tz: str | None = ...,
        **filters: Any,
    ) -> R: ...

    @overload
    def state(
        self,
        view: View[S, R],
        *,
        at: object = ...,
        known_at: object = ...,
        as_of: int | None = ...,
        certainty: Literal["possible", "certain"] = ...,
        tz: str | None = ...,
        **filters: Any,
    ) -> R: ...

    def state(
        self,
        view: ViewArg[S, R] | str,
        *,
        at: object = None,
        known_at: object = None,
        as_of: int | None = None,
        certainty: Literal["possible", "certain"] = "possible",
        tz: str | None = None,
        **filters: Any,
    ) -> R:
        """The view's result under the three cuts, optionally filtered.

        Args:
            view: A view class (``ActiveCommitments``), an instance of one, or a
                registered view's name (``"active-commitments"``; see
                `view_names`).
            at: Valid time: what had happened by then (end of day for a date).
            known_at: Knowledge time: only records reported by then, with the
                corrections and retractions known by then.
            as_of: Store position: only records appended up to it.
            certainty: ``"possible"`` (default) counts a record whose ``occurred``
                began by ``at`` and whose ``reported`` began by ``known_at``;
                ``"certain"`` only one whose ``occurred`` had ended by ``at`` and
                whose ``reported`` had ended by ``known_at`` (what certainly
                happened, and was certainly public, by then).
            tz: The timezone in which dates in ``at`` / ``known_at`` are read; by
                default the timeline's ``tz`` (UTC when it has none).
            filters: Narrow the answer, for a view that names the filters it takes in
                ``filters`` and answers them with ``select(state, query, **filters)``
                (``ReportedViolations``: ``commitment``, ``accused``, ``accuser``,
                ``place``, ``basis``, ``between``). ``between=(start, end)`` takes
                dates as ``at`` does (``start`` from its beginning, ``end`` to its
                end). The answer equals the unfiltered one with the entries that do
                not pass left out.

        Raises:
            QueryError: for invalid cuts, an unknown view name (the message lists the
                names), an object that is not a view (it says what a view is) or a
                filter the view does not take (it lists those it does).
        """
        engine = self._engine(view)
        query = self.query(at=at, known_at=known_at, as_of=as_of, certainty=certainty, tz=tz)
        if not filters:
            return engine.answer(query)
        instance = engine.view
        accepted: frozenset[str] = getattr(instance, "filters", frozenset())
        name = type(instance).__name__
        unknown = sorted(set(filters) - accepted)
        if unknown:
            takes = ", ".join(sorted(accepted)) if accepted else "none"
            msg = f"{name} takes no filter {', '.join(unknown)}; the filters it takes: {takes}"
            # A misspelt cut or filter (``known=``, ``comitment=``): say which was meant.
            meant = [*_CUTS, *sorted(accepted)]
            close = {u: difflib.get_close_matches(u, meant, n=1, cutoff=0.6) for u in unknown}
            said = [f"{c[0]}= (not {u}=)" for u, c in close.items() if c]
            if said:
                msg += f"; did you mean {', '.join(said)}?"
            raise QueryError(msg)
        if "between" in filters:
            filters["between"] = between_span(filters["between"], self._zone(tz))
        focused = self._focused_engine(view, engine, filters)
        if focused is not None:
            engine = focused
            instance = engine.view
        select = instance.select  # type: ignore[attr-defined]  # declared by ``filters``
        return engine.answer(query, lambda state, q: select(state, q, **filters))

    # A timeline keeps the engines of this many windows (the latest questions asked).
    FOCUSED_KEPT: Final = 8

    def _focused_engine(
        self, view: ViewArg[S, R] | str, engine: Engine[S, R], filters: dict[str, Any]
    ) -> Engine[S, R] | None:
        """An engine over the window of the store these filters need, when the view
        can name one (see views/_focus.py) and holds no folded state yet (a saved
        state not read yet included: reading a large one takes longer than the
        window's fold): a first question about one commitment then folds the records
        its evidence can depend on, not the whole store. Once records have been
        appended since, its window is taken again: when it holds what it held and
        only newer records besides, the engine reads on from it (folding those
        alone), else a new engine folds it."""
        instance = engine.view
        if not isinstance(instance, Focusable):
            return None
        cls = get_view(view) if isinstance(view, str) else view
        if not isinstance(cls, type):  # an instance: its settings cannot be copied
            return None
        with engine.lock:
            if engine.folded:
                return None
        key = instance.focus_key(filters)
        if key is None:
            return None
        with self._focusing:
            found = self._focused.get((cls, key))
            if found is not None and found.store.head() == self.store.head():
                self._focused.move_to_end((cls, key))
                return found
            fresh = cls()
            assert isinstance(fresh, Focusable)
            # Its reads make many objects at once: with another large fold held in
            # the process, each collection would rescan that fold's heap.
            with gc_paused():
                window = fresh.focus(self.store, key)
            if (
                found is not None
                and isinstance(found.store, FocusedStore)
                and window.extends(found.store)
            ):
                window.forget_through(found.store.head())
                found.read_on(window)  # type: ignore[arg-type]  # as Engine(...) below
                self._focused.move_to_end((cls, key))
                return found
            made: Engine[S, R] = Engine(fresh, window, every=self.checkpoint_every)  # type: ignore[arg-type]
            self._focused[(cls, key)] = made
            self._focused.move_to_end((cls, key))
            while len(self._focused) > self.FOCUSED_KEPT:
                self._focused.popitem(last=False)
            return made

    @overload
    def changes(
        self,
        view: type[View[Any, Listing[T]]] | View[Any, Listing[T]],
        *,
        known_from: object,
        known_to: object,
        at: object = ...,
        certainty: Literal["possible", "certain"] = ...,
        tz: str | None = ...,
    ) -> Changes[T]: ...

    @overload
    def changes(
        self,
        view: ViewArg[S, R] | str,
        *,
        known_from: object,
        known_to: object,
        at: object = ...,
        certainty: Literal["possible", "certain"] = ...,
        tz: str | None = ...,
    ) -> Changes[Any]: ...

    def changes(
        self,
        view: ViewArg[S, R] | str,
        *,
        known_from: object,
        known_to: object,
        at: object = None,
        certainty: Literal["possible", "certain"] = "possible",
        tz: str | None = None,
    ) -> Changes[Any]:
        """What entered, left or changed in a view's answer as knowledge grew.

        The view's result at ``at`` as known at ``known_from`` is compared with its
        result at ``at`` as known at ``known_to``, entry by entry (matched by id):
        e.g. which violations became known during a week. ``at`` defaults to no
        valid-time cut (everything that happened).

        Raises:
            QueryError: for invalid cuts, ``known_to`` before ``known_from``, or a
                view whose result has no entries with ids.
        """
        before = self.query(at=at, known_at=known_from, certainty=certainty, tz=tz)
        after = self.query(at=at, known_at=known_to, certainty=certainty, tz=tz)
        if before.known_at is None or after.known_at is None:
            msg = "changes() needs both known_from and known_to"
            raise QueryError(msg)
        if after.known_at < before.known_at:
            msg = f"known_to ({after.describe()}) is before known_from ({before.describe()})"
            raise QueryError(msg)
        engine = self._engine(view)
        name = view if isinstance(view, str) else getattr(view, "__name__", type(view).__name__)
        return compare(engine.answer(before), engine.answer(after), name, (before, after))

    def controller(
        self,
        place: str,
        *,
        at: object = None,
        known_at: object = None,
        as_of: int | None = None,
        certainty: Literal["possible", "certain"] = "possible",
        tz: str | None = None,
    ) -> str | None:
        """Who controls ``place`` de facto at ``at``, as known at ``known_at``.

        The [`Gazetteer`][conflict_timeline.Gazetteer] view's answer: corrections, retractions and
        knowledge
        time count, unlike the raw [`controller`][conflict_timeline.controller] function over
        a list of records. The latest `ControlChanged` by ``at`` on the place itself
        or on any area containing it decides (docs/explanation/sovereignty.md); None
        when none is known.
        """
        gazetteer = self.state(
            Gazetteer, at=at, known_at=known_at, as_of=as_of, certainty=certainty, tz=tz
        )
        return gazetteer.controller(place)

    def is_within(
        self,
        place: str,
        ancestor: str,
        *,
        at: object = None,
        known_at: object = None,
        as_of: int | None = None,
        tz: str | None = None,
    ) -> bool:
        """Is ``place`` the same as, or de jure inside, ``ancestor``, by the place
        definitions replayed under the cuts (corrections and retractions counted)?"""
        gazetteer = self.state(Gazetteer, at=at, known_at=known_at, as_of=as_of, tz=tz)
        return gazetteer.is_within(place, ancestor)

    @overload
    def series(
        self,
        view: str,
        start: _dt.datetime | _dt.date | TimeExtent | str,
        end: _dt.datetime | _dt.date | TimeExtent | str,
        *,
        every: str = ...,
        known_at: object = ...,
        as_of: int | None = ...,
        certainty: Literal["possible", "certain"] = ...,
        tz: str | None = ...,
    ) -> tuple[SeriesPoint[Any], ...]: ...

    @overload
    def series(
        self,
        view: ViewArg[S, R],
        start: _dt.datetime | _dt.date | TimeExtent | str,
        end: _dt.datetime | _dt.date | TimeExtent | str,
        *,
        every: str = ...,
        known_at: object = ...,
        as_of: int | None = ...,
        certainty: Literal["possible", "certain"] = ...,
        tz: str | None = ...,
    ) -> tuple[SeriesPoint[R], ...]: ...

    def series(
        self,
        view: ViewArg[S, R] | str,
        start: _dt.datetime | _dt.date | TimeExtent | str,
        end: _dt.datetime | _dt.date | TimeExtent | str,
        *,
        every: str = "day",
        known_at: object = None,
        as_of: int | None = None,
        certainty: Literal["possible", "certain"] = "possible",
        tz: str | None = None,
    ) -> tuple[SeriesPoint[R], ...]:
        """The view's result at the end of each period from ``start`` to ``end``.

        Computed in one incremental pass (resuming from checkpoints), not one full
        replay per step; under ``certainty="certain"`` each step is its own question,
        resumed from the checkpoints (an event certainly over by a later step can sit
        before those already folded). ``every`` is one of hour, day, week, month, year.
        ``start`` and ``end`` are read as ``at`` is, in ``tz``.

        Raises:
            QueryError: for a bound ``at`` would refuse (a naive datetime, an
                unparsable string, None), naming it; an ``end`` before ``start``; an
                unknown ``every``; invalid cuts; more than 200,000 steps.
        """
        if every not in _STEPS:
            msg = f"every must be one of {', '.join(_STEPS)}, got {every!r}"
            raise QueryError(msg)
        tz = self._zone(tz)
        base = self.query(known_at=known_at, as_of=as_of, certainty=certainty, tz=tz)
        periods = _periods(start, end, every, tz)
        engine = self._engine(view)
        states = engine.series(base, [p.last for p in periods])
        return tuple(
            SeriesPoint(
                period,
                answered(
                    engine.view,
                    "result",
                    engine.view.result,
                    state,
                    attrs.evolve(base, at=period.last),
                ),
            )
            for period, state in zip(periods, states, strict=True)
        )

    @overload
    def live(self, view: str) -> LiveView[Any, Any]: ...

    @overload
    def live(self, view: ViewArg[S, R]) -> LiveView[S, R]: ...

    def live(self, view: ViewArg[S, R] | str) -> LiveView[S, R]:
        """A view kept current on every append (through this timeline, or seen by
        polling ``value`` for other processes' appends to the same file)."""
        self._listen()
        engine = self._engine(view)
        engine.sync()
        self._live[id(engine)] = engine
        return LiveView(self, engine)

    # -- lifetime --------------------------------------------------------------------

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Timeline:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _known_zone(tz: str, *, example: str = "Asia/Yerevan") -> None:
    """Refuse, as a QueryError naming ``tz``, a zone pendulum does not know, saying
    what to write instead (`zone_hint`)."""
    try:
        pendulum.timezone(tz)
    except Exception as exc:  # pendulum raises its own InvalidTimezone / ValueError
        msg = f"tz: unknown timezone {tz!r}: {zone_hint(tz, example)}"
        raise QueryError(msg) from exc


def _given(**options: object) -> dict[str, Any]:
    """The options of an import shortcut that were given (not None), for the importer."""
    return {name: value for name, value in options.items() if value is not None}


def _seconds(method: str, name: str, value: object) -> None:
    """Refuse, naming it, a length of time that is not a number of seconds >= 0
    (``time.sleep`` would refuse it only once a loop reached it, from deep inside)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or math.isnan(value)
        or value < 0
    ):
        msg = f"{method}({name}={value!r}): give a number of seconds >= 0"
        raise QueryError(msg)


def _strict_references(importer: object, options: dict[str, Any]) -> bool:
    """Does ``importer`` append with every reference resolved? Its ``strict_references``
    (a bool, or a method given the import's options: ``acled-deletions`` with
    ``keep_unheld`` appends retractions of events still to come); True without one."""
    found = getattr(importer, "strict_references", True)
    return bool(found(options) if callable(found) else found)


def between_span(value: object, tz: str) -> tuple[int, int]:
    """A ``between=`` filter's (start, end) as the first and last microseconds it
    covers, read in ``tz``; a QueryError naming ``between`` for a bound that is no
    date or an end before the start."""
    if not isinstance(value, tuple | list) or len(value) != 2:
        msg = f"between must be a pair (start, end), got {value!r}"
        raise QueryError(msg)
    start, end = value
    try:
        lo = start_instant(start, tz=tz)
    except (InvalidTimeError, TypeError, ValueError) as exc:
        msg = f"between: start {start!r}: {exc}"
        raise QueryError(msg) from None
    hi = to_cut(end, tz=tz, name="between: end")
    if hi is None:  # an open end is no date: None means "no cut" elsewhere, not here
        msg = f"between: end {end!r}: give a date (an end is needed: the last instant of it)"
        raise QueryError(msg)
    _in_order("between", start, end, lo, hi)
    return lo, hi


def _in_order(name: str, start: object, end: object, lo: int, hi: int) -> None:
    """Refuse a span whose end (its last microsecond ``hi``) is before its start
    (``lo``): a slip, not a question whose answer is "nothing happened"."""
    if hi < lo:
        msg = f"{name}: end {end!r} is before start {start!r}"
        raise QueryError(msg)


def _bound(value: object, tz: str, name: str, edge: Literal["start", "end"]) -> int:
    """The first (``edge="start"``) or last microsecond of a span's end given as a
    date, an aware datetime, a string or an extent, read as ``at`` is; anything else,
    None included, is a QueryError naming the argument (`to_cut`)."""
    got = to_cut(value, tz=tz, name=name, edge=edge)
    if got is None:
        msg = f"{name}: give a date or a time (None names no {edge})"
        raise QueryError(msg)
    return got


def _span(start: object, end: object, tz: str, method: str) -> tuple[int, int]:
    """The first microsecond of ``start`` and the last of ``end`` (`_bound`); an
    ``end`` before ``start`` is a QueryError, as ``between=`` refuses it, not an
    empty answer that reads as "nothing happened"."""
    lo = _bound(start, tz, f"{method}: start", "start")
    hi = _bound(end, tz, f"{method}: end", "end")
    _in_order(method, start, end, lo, hi)
    return lo, hi


def kind_names(kinds: Iterable[str | type[Record]] | None, method: str) -> list[str] | None:
    """The kind names of ``kinds`` (None: every kind), each checked: a name or a
    record class this library defines. A lone string or class is refused rather than
    read as a collection (``kinds="Attack"`` would read the kinds 'A', 't', ...), and
    a name that is no kind rather than read as one that matches nothing, as a view's
    ``kinds`` are (see `view_kinds`)."""
    if kinds is None:
        return None
    if isinstance(kinds, str | bytes | type) or not isinstance(kinds, Iterable):
        alone = kinds if isinstance(kinds, str) else record_kind(kinds)
        hint = "" if alone is None else f": write kinds=[{alone!r}]"
        msg = f"{method}: kinds must be a collection of record kinds, got {kinds!r}{hint}"
        raise QueryError(msg)
    names: list[str] = []
    for kind in kinds:
        name = record_kind(kind) if isinstance(kind, type) else kind
        if not isinstance(name, str) or name not in KIND_BY_NAME:
            msg = (
                f"{method}: kinds: {kind!r} is not a record kind{nearest_kind(kind)}; "
                f"the kinds are: {', '.join(sorted(KIND_BY_NAME))}"
            )
            raise QueryError(msg)
        names.append(name)
    return names


def _periods(
    start: _dt.datetime | _dt.date | TimeExtent | str,
    end: _dt.datetime | _dt.date | TimeExtent | str,
    every: str,
    tz: str,
) -> list[TimeExtent]:
    first, hi = _span(start, end, tz, "series")
    lo = from_epoch_us(first).in_timezone(tz)
    unit = every
    current = lo.start_of(unit)
    out: list[TimeExtent] = []
    while True:
        nxt = current.add(**{f"{unit}s": 1})
        period = TimeExtent(current, nxt, Precision(unit), tz=tz)
        if period.lo > hi:
            break
        out.append(period)
        if len(out) > _MAX_STEPS:
            msg = f"series from {start} to {end} by {every} has more than {_MAX_STEPS} steps"
            raise QueryError(msg)
        current = nxt
    return out


def check_sources(records: Iterable[Record], *, require: bool, count: int | None = None) -> None:
    """Warn once (or, with ``require``, refuse) when records have no knowledge time.

    ``count`` is how many records lack it, when ``records`` holds only the first of
    them (a streamed append keeps no more)."""
    unknown = [r for r in records if isinstance(r, Record) and r.reported is None]
    if not unknown:
        return
    first = unknown[0]
    what = f"{first.KIND} {first.id!r}"
    total = len(unknown) if count is None else count
    if total > 1:
        what += f" and {total - 1} more"
    if require:
        msg = (
            f"{what}: no dated source and no reported time, and this timeline has "
            "require_sources=True; give sources=(Source(..., published=...),) or reported="
        )
        raise InvalidRecordError(msg)
    msg = (
        f"{what}: no dated source and no reported time, so known only from when appended "
        "(recorded_at) and missing from every earlier known_at query; give a Source with "
        "published= or reported= (UnsourcedRecordWarning can be filtered)"
    )
    warnings.warn(msg, UnsourcedRecordWarning, stacklevel=3)
