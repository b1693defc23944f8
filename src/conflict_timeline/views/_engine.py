"""The replay engine: which records a query sees, in what order, and checkpoints.

Replay order is ``(occurred.earliest, reported.earliest, id)``: total, and the same
for every append order of the same records. (DESIGN.md breaks the last tie by store
position; the id is used instead so that results cannot depend on append order.)

Corrections and retractions act by knowledge time: for each record, the latest
correction or retraction visible under the query's cuts (by its ``reported`` time,
then id) decides whether the record is replayed as appended, replaced, or not
at all. A corrected record keeps its original position and is replayed with the
correction's replacement (``Recorded.corrected_by`` says which).

With ``known_at`` and ``as_of`` open and ``certainty="possible"`` the records a
query at ``at`` sees are a *prefix* of one sorted list, so the engine keeps view
states along it (a checkpoint every ``every`` entries) and answers a query by
resuming from the nearest checkpoint at or before ``at``. An append that lands in the
past invalidates only the checkpoints after it.

Every other cut uses the same checkpoints where it agrees with the full list. Each
record *settles*, on a clock, at the time from which it replays exactly as in the
full list (itself and every correction or retraction of it visible): on the
knowledge clock (``reported``, its earliest or, under ``certainty="certain"``, its
latest bound) for ``known_at``, and on store position for ``as_of``. Its versions'
earliest replay key is kept. Under a cut every entry before the earliest key of any
record not settled by it is replayed as in the full list; under
``certainty="certain"`` with ``at``, every entry before the first whose extent may
end after ``at`` (a running maximum of ``occurred.last``) has certainly happened. So
the query resumes from the checkpoint before the earliest of those points and folds
only what follows that the cuts let through (see `Engine.cut_state`). A cut whose
list parts from the full list long before ``at`` (before a release that corrected
many old records at once) folds instead the list of its era, as it stood just before
the next time after the cut at which many corrections settle at once (`era_batch`),
once, starting from the full list's checkpoints where the two agree, and later cuts
in that era resume from its checkpoints (see `Engine._era`).
"""

from __future__ import annotations

import bisect
import collections
import functools
import itertools
import operator
import sys
import threading
import typing
import warnings
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, Final, Generic, NamedTuple, TypeVar

import attrs
import msgspec

from .._gc import gc_paused
from .._records import KIND_BY_NAME, AnyRecord, Correction, fix_rank
from .._serialization import replacement_from_stored
from .._time import TimeExtent
from ..errors import CheckpointWarning, QueryError, StoreError
from ..stores import IndexRow, PayloadReader, Recorded, Store
from ._attacklog import UnreadLogError
from ._protocol import CORRECTION_KINDS, Glimpse, GlimpseView, Projection, Query

__all__ = ["Engine", "Entry", "Index"]

S = TypeVar("S")
R = TypeVar("R")

_FETCH: Final = 2_048  # records decoded per store round trip while folding
_CACHE_MAX: Final = 50_000
# A view folding no more entries than this keeps every record it decodes (most are
# held by its states anyway: an `ActiveCommitments` state holds every commitment), so
# a question at a date folds the tail past its checkpoint from records at hand.
_SMALL_VIEW: Final = 20_000
_BULK_ROWS: Final = 512  # from this many new rows, entries are rebuilt and sorted once
_ERAS: Final = 2  # engines of earlier eras of knowledge kept (see `Engine._era`)


class Index(NamedTuple):
    """An engine's index of the records its view reads (what a saved state keeps):
    each record's own entry (its times as stored), the corrections and retractions of
    each, and the entries in replay order (a record with neither: its own entry)."""

    rows: dict[str, Entry]
    fixes: dict[str, list[IndexRow]]
    entries: list[Entry]


class Entry(NamedTuple):
    """One record's place in replay order (sorted by the first three fields).

    A record's own entry (``fix`` 0: its times as stored) is also its index row in the
    engine: the two are one object, the kind's name shared by all of that kind (a
    million records are indexed on a cold open of a million-record file).
    """

    occ_lo: int
    rep_lo: int
    id: str
    position: int
    fix: int  # position of the correction replayed in its place; 0 when none
    occ_last: int
    rep_last: int
    kind: str  # the record's kind (a correction's replacement's, where ``fix`` is set)


def _moved_of(index: Index) -> dict[str, Entry | None]:
    """The entries of an index's records that a correction or retraction decides
    (None: replayed nowhere); every other record's entry is its own row."""
    moved: dict[str, Entry | None] = {rid: None for rid in index.fixes if rid in index.rows}
    for entry in index.entries:
        if entry.fix:
            moved[entry.id] = entry
    return moved


def _own(row: IndexRow) -> Entry:
    """A record's own entry, from its index row."""
    return Entry(
        row.occ_lo,
        row.rep_lo,
        row.id,
        row.position,
        0,
        row.occ_last,
        row.rep_last,
        sys.intern(row.kind),
    )


# Written for speed: an entry's ``occ_lo`` (its first field), read in C over a list
# of a million entries (``Engine.los``).
_OCC_LO: Final = operator.itemgetter(0)
_ID: Final = operator.itemgetter(2)  # an entry's ``id``
_POSITION: Final = operator.itemgetter(3)  # an entry's ``position``
_FIX: Final = operator.itemgetter(4)  # an entry's ``fix`` (0: not corrected)


class _Plan(NamedTuple):
    """How to glimpse one kind: the kind and schema version read, the fields and
    their defaults."""

    kind: str
    version: int
    names: tuple[str, ...]
    defaults: tuple[str | None, ...]
    # The dotted names ("codes.ucdp_type_of_violence"): (index, outer field, inner
    # field, the inner field's default).
    nested: tuple[tuple[int, str, str, str | None], ...] = ()


def view_kinds(view: object) -> frozenset[str] | None:
    """The view's ``kinds`` checked, as the names of the record kinds it reads (None:
    all). A record class (``Attack``) stands for its name (``Attack.KIND``).

    Raises:
        QueryError: naming the view, the value and the known kinds, when ``kinds`` is
            not None or a collection of record kind names and classes: a string (one
            name, not a set of them), a class, or a name or class that is no record
            kind (a typo, ``"attack"``, ``"Attacks"``).
    """
    kinds = getattr(view, "kinds", None)
    if kinds is None:
        return None
    name = view.__name__ if isinstance(view, type) else type(view).__name__
    if isinstance(kinds, str | bytes):
        msg = (
            f"{name}.kinds is the string {kinds!r}, not a set of record kinds: write "
            f"frozenset({{{kinds!r}}})"
        )
        raise QueryError(msg)
    if isinstance(kinds, type) or not isinstance(kinds, Iterable):
        alone = record_kind(kinds)
        hint = "" if alone is None else f": write frozenset({{{alone!r}}})"
        msg = (
            f"{name}.kinds must be a set of record kind names (or None: all), got {kinds!r}{hint}"
        )
        raise QueryError(msg)
    names: set[str] = set()
    for kind in kinds:
        if (of_class := record_kind(kind)) is not None:
            names.add(of_class)
        elif isinstance(kind, str) and kind in KIND_BY_NAME:
            names.add(kind)
        else:
            msg = (
                f"{name}.kinds: {kind!r} is not a record kind{nearest_kind(kind)}; "
                f"the kinds are: {', '.join(sorted(KIND_BY_NAME))}"
            )
            raise QueryError(msg)
    return frozenset(names)


def record_kind(value: object) -> str | None:
    """The kind name of a record class of this library (None: ``value`` is none)."""
    kind = getattr(value, "KIND", None) if isinstance(value, type) else None
    return kind if isinstance(kind, str) and KIND_BY_NAME.get(kind) is value else None


def nearest_kind(kind: object) -> str:
    """`` (did you mean 'Attack'?)`` for a kind name off by case or a plural ``s``."""
    if not isinstance(kind, str):
        return ""
    folded = {k.lower(): k for k in KIND_BY_NAME}
    for guess in (kind.lower(), kind.lower().removesuffix("s")):
        if guess in folded:
            return f" (did you mean {folded[guess]!r}?)"
    return ""


def glimpse_plans(view: object) -> dict[str, _Plan] | None:
    """The view's ``glimpses`` checked and made into plans (None: it takes none).

    A view takes none when its ``glimpses`` is empty or None, and when its class
    overrides ``apply`` below the class that defines ``apply_glimpse`` (a subclass
    that changes how records are folded but not how glimpses are: its records are
    all decoded and go to its own ``apply``).

    Raises:
        QueryError: naming the view, kind and field, when a kind is not a record
            kind the view reads or a field is not a string-or-None field of it.
    """
    if not isinstance(view, GlimpseView) or not view.glimpses:
        return None
    name = type(view).__name__
    reads = view_kinds(view)
    plans: dict[str, _Plan] = {}
    for kind, names in view.glimpses.items():
        cls = KIND_BY_NAME.get(kind)
        if cls is None or (reads is not None and kind not in reads):
            msg = f"{name}.glimpses: {kind!r} is not a record kind the view reads"
            raise QueryError(msg)
        fields = attrs.fields_dict(cls)
        hints = typing.get_type_hints(cls)
        nested: list[tuple[int, str, str, str | None]] = []
        for i, field in enumerate(names):
            if "." in field:
                nested.append(_nested(name, kind, cls, field, i))
                continue
            if field not in fields:
                msg = f"{name}.glimpses: {kind} has no field {field!r}"
                raise QueryError(msg)
            if hints[field] not in (str, str | None):
                msg = (
                    f"{name}.glimpses: {kind}.{field} holds {hints[field]}; a glimpse "
                    "reads only fields that hold a string or None"
                )
                raise QueryError(msg)
        defaults = tuple(
            None if "." in f or fields[f].default is attrs.NOTHING else fields[f].default
            for f in names
        )
        plans[kind] = _Plan(kind, cls.VERSION, tuple(names), defaults, tuple(nested))
    folds, glances = _defined_by(type(view), "apply"), _defined_by(type(view), "apply_glimpse")
    if folds is None or glances is None or not issubclass(glances, folds):
        return None  # apply overridden below apply_glimpse: decode everything
    return plans


def _nested(
    view: str, kind: str, cls: type, dotted: str, index: int
) -> tuple[int, str, str, str | None]:
    """A dotted glimpse name checked: ``outer.inner``, where ``outer`` holds a value
    class or None (its default) and ``inner`` a string or None."""
    outer, _, inner = dotted.partition(".")
    fields = attrs.fields_dict(cls)
    if outer not in fields or "." in inner:
        msg = f"{view}.glimpses: {kind} has no field {dotted!r}"
        raise QueryError(msg)
    held = [t for t in typing.get_args(typing.get_type_hints(cls)[outer]) if t is not type(None)]
    if len(held) != 1 or not attrs.has(held[0]) or fields[outer].default is not None:
        msg = (
            f"{view}.glimpses: {kind}.{outer} is not a field that holds a value or None; a "
            "glimpse reads a dotted name only of such a field"
        )
        raise QueryError(msg)
    value_cls = held[0]
    inner_fields = attrs.fields_dict(value_cls)
    if inner not in inner_fields:
        msg = f"{view}.glimpses: {kind} has no field {dotted!r}"
        raise QueryError(msg)
    if typing.get_type_hints(value_cls)[inner] not in (str, str | None):
        msg = (
            f"{view}.glimpses: {kind}.{dotted} holds "
            f"{typing.get_type_hints(value_cls)[inner]}; a glimpse reads only fields that "
            "hold a string or None"
        )
        raise QueryError(msg)
    default = inner_fields[inner].default
    return (index, outer, inner, None if default is attrs.NOTHING else default)


def _defined_by(cls: type, name: str) -> type | None:
    """The class whose ``name`` instances of ``cls`` use (first in the MRO)."""
    return next((k for k in cls.__mro__ if name in vars(k)), None)


class _Settled(NamedTuple):
    """When each record settles under one certainty (see the module docstring)."""

    times: list[int]  # ascending: the knowledge time from which a record settles
    floor: list[tuple[int, int, str]]  # least replay key of the records settling from i on
    # The same for the records with a correction or retraction only: the others are
    # visible under a cut exactly when they are settled by it.
    fixed_times: list[int]
    fixed_ids: list[str]
    # Ascending: the times at which at least `Engine.era_batch` corrected or retracted
    # records settle at once (a release re-imported), where eras end (`Engine._era`).
    batches: list[int]


V = TypeVar("V")


class _Indexed(Generic[V]):
    """An engine's attribute that is part of its index of the records (kept as
    ``_<name>``): a deferred index is read before it is handed out."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, engine: Engine[Any, Any], owner: type | None = None) -> V:
        if engine._deferred_states is not None:
            engine.load_states()
        if engine._deferred is not None:
            engine._read_index()
        found: V = getattr(engine, self.slot)
        return found

    def __set__(self, engine: Engine[Any, Any], value: V) -> None:
        setattr(engine, self.slot, value)


class Engine(Generic[S, R]):
    """Folds one view over one store, with checkpoints for the open-cut case.

    One engine serves every query of a view on a timeline and its live views, which
    the appending thread (or a store's listener thread) syncs: the methods that read
    or extend its state hold ``lock`` (re-entrant), so queries from several threads
    see one consistent state. The price: a long query (a first fold, a certain-cut
    series) holds back, until it ends, the update of the same view that an append
    makes, and so that append's return (or the store's listener thread).
    """

    # A cut folds its era's list instead of the full list's tail (see `_era`) when that
    # tail is longer than both of these: so many entries, and this share of the
    # entries up to its ``at``.
    era_tail: typing.ClassVar[int] = 512
    era_share: typing.ClassVar[int] = 4
    # An era ends where at least so many corrected or retracted records settle at
    # one time (on store position: at one position, so an ``as_of`` cut has none).
    era_batch: typing.ClassVar[int] = 64

    def __init__(self, view: Projection[S, R], store: Store, *, every: int = 128) -> None:
        self.view = view
        self.store = store
        self.every = every
        # Checked, with the glimpses below, when the view is first folded.
        self.kinds: frozenset[str] | None = view_kinds(view)
        self._load_kinds = None if self.kinds is None else self.kinds | CORRECTION_KINDS
        # Kinds folded from glimpses (see GlimpseView), when the store can give them;
        # the declaration is checked whatever the store.
        plans = glimpse_plans(view)
        if not plans or not isinstance(store, PayloadReader):
            plans = None
        self._glimpsers = (
            None if plans is None else {kind: _glimpser(plan) for kind, plan in plans.items()}
        )
        # The same, from a decoded replacement (a corrected record, see `_records`).
        self._replaced = (
            None
            if plans is None
            else {kind: _record_glimpser(plan) for kind, plan in plans.items()}
        )
        self.head = 0
        self._rows: dict[str, Entry] = {}
        self._fixes: dict[str, list[IndexRow]] = {}
        self._entries: list[Entry] = []
        self._los: list[int] = []
        self._moved: dict[str, Entry | None] = {}
        # A saved state's index of the records, read only when first needed (see
        # `defer_index`): the function that reads it, and how many entries it has.
        self._deferred: Callable[[], Index] | None = None
        self._deferred_count = 0
        self.checkpoints: list[tuple[int, S]] = []
        self._tip: tuple[int, S] | None = None
        # A saved state whose view saves its answer at the head (see `defer_states`):
        # what reads its states (checkpoints, tip and index) when a question first
        # needs them, and the answer to the open question meanwhile.
        self._deferred_states: Callable[[], bool] | None = None
        self._saved_answer: Callable[[Query], R] | None = None
        self._cache: dict[int, Recorded] = {}
        self._replacements: dict[int, AnyRecord] = {}
        self._settled: dict[str, _Settled] = {}
        self._last_max: list[int] | None = None
        # Engines over the list of an earlier era of knowledge (see `_era`); None in
        # an era's own engine.
        self._eras: (
            collections.OrderedDict[tuple[str, int | None, int | None], Engine[S, R]] | None
        ) = collections.OrderedDict()
        self.lock = threading.RLock()

    # -- the index of the records the view reads --------------------------------------
    #
    # ``rows`` (the own entry of every record of the kinds the view reads), ``fixes``
    # (the corrections and retractions of each), ``entries`` (replay order), ``los``
    # (each entry's first instant) and ``moved`` (the entry of each record that a
    # correction or retraction decides, None where it replays nowhere; every other
    # record's entry is its own row, the same object in ``rows`` and ``entries``). A saved
    # state hands the engine its index to read later (`defer_index`): an open
    # question answered from the saved state at the head never needs it, and it is
    # most of what a saved state holds.

    rows: _Indexed[dict[str, Entry]] = _Indexed()
    fixes: _Indexed[dict[str, list[IndexRow]]] = _Indexed()
    entries: _Indexed[list[Entry]] = _Indexed()
    los: _Indexed[list[int]] = _Indexed()
    moved: _Indexed[dict[str, Entry | None]] = _Indexed()

    @property
    def folded(self) -> bool:
        """Does the engine hold folded states in memory (checkpoints or a tip)? A saved
        state not read yet (`defer_states`) is not."""
        return self._tip is not None or bool(self.checkpoints)

    @property
    def count(self) -> int:
        """How many entries there are (without reading a deferred index)."""
        if self._deferred_states is not None:
            self.load_states()
        return self._deferred_count if self._deferred is not None else len(self._entries)

    def read_deferred(self) -> None:
        """Read a deferred index now; if it cannot be read, warn and fold the view
        from the records instead."""
        if self._deferred_states is not None:
            self.load_states()
        if self._deferred is not None:
            self._read_index(fall_back=True)

    def defer_states(self, load: Callable[[], bool], answer: Callable[[Query], R]) -> None:
        """Answer the open question with ``answer`` while the store's head is the one
        it was saved at, and take the saved states later, from ``load``, when a
        question first needs them (a cut, a filter, a record appended). ``load``
        gives the engine its head, checkpoints and index, or says (False) that they
        could not be read: the engine then folds the records."""
        self._deferred_states = load
        self._saved_answer = answer

    def load_states(self) -> None:
        """Read the deferred states now (see `defer_states`)."""
        with self.lock:
            load = self._deferred_states
            if load is None:
                return
            self._deferred_states = None
            before = self.head  # the head the saved answer covers
            try:
                loaded = load()
            except BaseException:  # interrupted, out of memory: start again next time
                self._forget()
                raise
            if not loaded:
                self._forget()
            if self.head < before:  # states saved before the answer, or none read
                self.sync()

    def saved_answer(self, query: Query) -> R | None:
        """The saved answer to ``query``, when it is the open question (no cut; a view
        that saves its answer says that its answer to it is the same for any
        certainty and zone) and nothing was appended since the answer was saved;
        else None."""
        answer = self._saved_answer
        if answer is None or not (
            query.at is None and query.known_at is None and query.as_of is None
        ):
            return None
        return answer(query)

    def drop_saved_answer(self) -> None:
        """Answer from the states from now on (the saved answer could not be read)."""
        with self.lock:
            self._saved_answer = None

    def defer_index(self, count: int, read: Callable[[], Index]) -> None:
        """Take the index later, from ``read`` (it has ``count`` entries), when a
        question first needs it; ``read`` raises if it cannot give it."""
        self._deferred = read
        self._deferred_count = count

    def _read_index(self, *, fall_back: bool = False) -> None:
        """Read the deferred index. If it cannot be read, the engine starts again from
        nothing (it folds the records next time); then, with ``fall_back``, it warns
        and takes in the store's records, else the error is raised."""
        with self.lock:
            read = self._deferred
            if read is None:
                return
            try:
                with gc_paused(self._deferred_count, promote=True):
                    index = read()
                    if len(index.entries) != self._deferred_count:
                        msg = (
                            f"it holds {len(index.entries):,} entries, not the "
                            f"{self._deferred_count:,} its state was saved with"
                        )
                        raise ValueError(msg)
                    self._deferred = None
                    self._rows, self._fixes, self._entries = index
                    self._los = list(map(_OCC_LO, index.entries))
                    self._last_max = None
                    self._moved = _moved_of(index)
            except Exception as exc:
                self._forget()
                if not fall_back:
                    raise
                warnings.warn(
                    f"the saved index of view {type(self.view).__name__} could not be read "
                    f"({type(exc).__name__}: {exc}); the view is folded from the records "
                    "instead",
                    CheckpointWarning,
                    stacklevel=4,
                )
                self.sync()

    def _forget(self) -> None:
        """Start again from nothing: no index, no states (the store is read again)."""
        self._deferred = None
        self._deferred_states = None
        self._saved_answer = None
        self.head = 0
        self._rows, self._fixes, self._entries, self._los, self._moved = {}, {}, [], [], {}
        self.checkpoints = []
        self._tip = None
        self._settled.clear()
        self._last_max = None
        if self._eras is not None:
            self._eras.clear()

    # -- keeping up with the store ----------------------------------------------------

    def sync(self, fresh: Iterable[Recorded] = ()) -> None:
        """Take in whatever was appended since the last sync.

        ``fresh`` may carry records just appended in this process, so they need not
        be read back and decoded.
        """
        with self.lock:
            for recorded in fresh:
                if (
                    self.kinds is None
                    or recorded.kind in self.kinds
                    or recorded.kind in CORRECTION_KINDS
                ):
                    self._cache[recorded.position] = recorded
            head = self.store.head()
            if head <= self.head:
                return
            self._saved_answer = None  # it answers the head it was saved at only
            # Deferred states and index, if any: which may start again from nothing,
            # and sync (reading the whole store).
            self.read_deferred()
            if head <= self.head:
                return
            # The rows outlive the sync (kept in self.rows): read them, too, with the
            # collector paused, or it rescans the growing heap again and again.
            with gc_paused(head - self.head, promote=True):
                rows = list(self.store.index_rows(start=self.head + 1, kinds=self._load_kinds))
                if rows:  # records of kinds the view reads: its lists change
                    self._settled.clear()
                    if self._eras is not None:
                        self._eras.clear()
                if len(rows) >= _BULK_ROWS:
                    self._add_rows(rows)
                else:
                    for row in rows:
                        self._add_row(row)
            # Rows appended after ``head`` was read (another thread's or process's
            # append between the two reads) are taken in too: the head covers them,
            # or the next sync would read them again (each correction listed twice
            # in ``fixes``, a record's own entry two objects).
            self.head = max(head, rows[-1].position) if rows else head

    def _add_rows(self, rows: list[IndexRow]) -> None:
        """Take in many rows at once: one sort instead of one insertion per row."""
        kinds, fixes, table = self.kinds, self.fixes, self.rows
        old, moved = self.entries, self.moved
        first = len(old)
        cold = not table  # every record the engine holds is new
        # Written for speed: a cold open of a view reads a million rows; each list
        # below is one comprehension, the table filled in C. New to the engine: ids
        # are unique in a store, and a sync reads only the rows past those it has
        # taken in (its head covers them). ``tuple.__new__``: Entry(...) without the
        # named tuple's ``__new__``.
        new, intern = tuple.__new__, sys.intern
        owns = [  # the new records' own entries, in row (append) order
            new(Entry, (occ_lo, rep_lo, rid, position, 0, occ_last, rep_last, intern(kind)))
            for position, rid, kind, occ_lo, occ_last, rep_lo, rep_last, _ in rows
            if kind not in CORRECTION_KINDS and (kinds is None or kind in kinds)
        ]
        table.update(zip(map(_ID, owns), owns, strict=True))
        fixed: set[str] = set()
        for row in rows:
            if row.kind in CORRECTION_KINDS:
                assert row.target is not None
                fixes.setdefault(row.target, []).append(row)
                fixed.add(row.target)
        added: Collection[str] = table.keys() if cold else set(map(_ID, owns))
        # Rows with a correction or retraction (known before or in this batch).
        refix = (fixed & table.keys()) | (fixes.keys() & added)
        for rid in refix:
            if rid not in added:
                stale = self._current(rid)
                if stale is not None:
                    first = min(first, bisect.bisect_left(old, stale))
        latest = {rid: self._latest_fix(rid) for rid in refix}
        self._decode_replacements(latest.values())
        for rid, fix in latest.items():
            moved[rid] = self._entry(table[rid], fix)
        changed = added if cold else refix.union(added)  # refix is within a cold table
        kept = [e for e in old if e.id not in changed] if first < len(old) or refix else old
        # The kept entries are one sorted run: timsort merges the new ones in. A new
        # record with a correction or retraction is in ``refix`` (it has fixes), so it
        # replays at its entry in ``moved``, as an old one there does; the others at
        # their own entries. (The entries are distinct, so their order here changes
        # only how fast the sort is, not what it gives.)
        entries = kept + [e for e in owns if e.id not in refix]
        entries += [e for rid in refix if (e := moved[rid]) is not None]
        entries.sort()
        for index, entry in enumerate(entries):
            if index >= first or entry.id in changed:
                first = index
                break
        self._entries = entries
        self._los = list(map(_OCC_LO, entries))
        self._invalidate(first)

    def _add_row(self, row: IndexRow) -> None:
        if row.kind in CORRECTION_KINDS:
            target = row.target
            assert target is not None
            before = self._current(target)
            self.fixes.setdefault(target, []).append(row)
            if target in self.rows:
                self._refresh(target, before)
            return
        if self.kinds is not None and row.kind not in self.kinds:
            return
        self.rows[row.id] = _own(row)  # new to the engine, as in `_add_rows`
        self._refresh(row.id, None)

    def _current(self, rid: str) -> Entry | None:
        """Record ``rid``'s entry in the list now (None: it is not in it)."""
        moved = self.moved
        return moved[rid] if rid in moved else self.rows.get(rid)

    def _latest_fix(self, rid: str, query: Query | None = None) -> IndexRow | None:
        best: IndexRow | None = None
        for fix in self.fixes.get(rid, ()):
            if query is not None and not _visible(fix, query):
                continue
            if best is None or fix_rank(fix.rep_lo, fix.rep_last, fix.id) > fix_rank(
                best.rep_lo, best.rep_last, best.id
            ):
                best = fix
        return best

    def _decode_replacements(self, fixes: Iterable[IndexRow | None]) -> None:
        """Decode the replacements of these corrections not decoded yet, in one pass
        rather than one read each."""
        self._read_replacements(
            [
                f.position
                for f in fixes
                if f is not None
                and f.kind == "Correction"
                and f.position not in self._replacements
            ]
        )

    def _read_replacements(self, wanted: list[int]) -> None:
        """Decode the replacements of the corrections at ``wanted``: from a store that
        hands out its payloads, the replacement alone (`replacement_from_stored`: the
        correction's other fields unread), else (or when that cannot be done, or the
        correction is at hand decoded) from the whole correction."""
        replacements, cache, store = self._replacements, self._cache, self.store
        unread = [p for p in wanted if p not in cache]
        if unread and isinstance(store, PayloadReader):
            for position, payload in zip(unread, store.payloads(unread), strict=True):
                found = replacement_from_stored(payload)
                if found is not None:
                    replacements[position] = found
            wanted = [p for p in wanted if p not in replacements]
        for recorded in self._fetch(wanted):
            assert isinstance(recorded.record, Correction)
            replacements[recorded.position] = recorded.record.replacement

    def _replacement(self, fix_position: int) -> AnyRecord:
        if fix_position not in self._replacements:
            self._read_replacements([fix_position])
        return self._replacements[fix_position]

    def _entry(self, row: Entry, fix: IndexRow | None) -> Entry | None:
        """Where ``row``'s record replays when ``fix`` is the correction or retraction
        that decides it (None: its own entry; a retraction: nowhere)."""
        if fix is None:
            return row
        if fix.kind == "Retraction":
            return None
        replacement = self._replacement(fix.position)
        if self.kinds is not None and replacement.KIND not in self.kinds:
            return None
        rep = replacement.reported
        if rep is None:
            # Known, as the record the fold is given says (`Recorded.reported`), when
            # the original was stored: not at the original's own ``reported``.
            rep = TimeExtent.instant(self._fetch([row.position])[0].recorded_at)
        return Entry(
            replacement.occurred.lo,
            rep.lo,
            row.id,
            row.position,
            fix.position,
            replacement.occurred.last,
            rep.last,
            replacement.KIND,
        )

    def _refresh(self, rid: str, old: Entry | None) -> None:
        """Put record ``rid``'s entry where its row and fixes now place it (``old``:
        where it was)."""
        fix = self._latest_fix(rid)
        new = self._entry(self.rows[rid], fix)
        if fix is None:
            self.moved.pop(rid, None)
        else:
            self.moved[rid] = new
        if old == new:
            return
        changed_at = len(self.entries)
        if old is not None:
            index = bisect.bisect_left(self.entries, old)
            del self.entries[index]
            del self.los[index]
            changed_at = index
        if new is not None:
            index = bisect.bisect_left(self.entries, new)
            self.entries.insert(index, new)
            self.los.insert(index, new.occ_lo)
            changed_at = min(changed_at, index)
        self._invalidate(changed_at)

    def read_on(self, store: Store) -> None:
        """Read from ``store`` from now on: it holds every record this engine has read,
        at the same positions, and possibly more after its head, which the next `sync`
        takes in (a window of a store taken again after appends: see
        `FocusedStore.extends`)."""
        with self.lock:
            self.store = store

    def _invalidate(self, index: int) -> None:
        """Forget states that folded the entry now at ``index`` (or anything after)."""
        self._last_max = None
        while self.checkpoints and self.checkpoints[-1][0] > index:
            self.checkpoints.pop()
        if self._tip is not None and self._tip[0] > index:
            self._tip = None

    # -- decoding ---------------------------------------------------------------------

    def _fetch(self, positions: Sequence[int], *, keep: bool = False) -> list[Recorded]:
        """The records at ``positions``, from the cache where it holds them. ``keep``:
        cache what was read (a cut's tail, which the next cut asks again)."""
        cache = self._cache
        missing = [p for p in positions if p not in cache] if cache else positions
        if len(missing) == len(positions):  # none cached (a fold's bulk): as read
            out = self.store.fetch(missing) if missing else []
            if len(out) != len(missing):  # a store outside the contract: never fold it
                name = type(self.store).__name__
                msg = f"{name}.fetch gave {len(out)} records for {len(missing)} positions"
                raise StoreError(msg)
            fetched: dict[int, Recorded] | None = None
        else:
            fetched = {r.position: r for r in self.store.fetch(missing)} if missing else {}
            out = []
            for p in positions:
                hit = cache.get(p)
                out.append(hit if hit is not None else fetched[p])
        # Keep what small tail replays and cuts' tails read, and everything a small
        # view reads.
        if keep or len(positions) <= 4 * self.every or len(self._entries) <= _SMALL_VIEW:
            if len(cache) > _CACHE_MAX:
                cache.clear()
            cache.update(fetched if fetched is not None else {r.position: r for r in out})
        return out

    def _records(
        self, entries: Sequence[Entry], *, keep: bool = False
    ) -> Sequence[Recorded | Glimpse]:
        """What the fold takes for ``entries``: a glimpse where the view takes one
        (see `GlimpseView`), else the decoded record (kept in the cache: ``keep``).
        A corrected record's glimpse is read from its replacement, decoded when the
        correction was taken in (`_decode_replacements`): its original is not read."""
        glimpsers, replaced = self._glimpsers, self._replaced
        if glimpsers is None or replaced is None:
            return self._decoded(entries, keep=keep)
        cache = self._cache
        # Written for speed: a full fold of `TriggeredCommitments` glimpses most of a
        # million records, so each step below is one comprehension or C call per entry,
        # and an entry's fields are read by index (3: position, 4: fix, 7: kind), which
        # costs less than by a named tuple's attribute.
        if cache:
            light = [e for e in entries if not e[4] and e[7] in glimpsers and e[3] not in cache]
        else:
            light = [e for e in entries if not e[4] and e[7] in glimpsers]
        store = self.store
        assert isinstance(store, PayloadReader)
        positions = list(map(_POSITION, light))
        payloads = store.payloads(positions) if light else []
        if len(glimpsers) == 1:  # every light entry is of the one kind glimpsed
            made = list(map(next(iter(glimpsers.values())), light, payloads))
        else:
            made = [
                glimpsers[e[7]](e, payload) for e, payload in zip(light, payloads, strict=True)
            ]
        if len(made) == len(entries) and None not in made:
            return made  # type: ignore[return-value]  # every entry glimpsed
        # By position (unique in a list of entries); None: decode it instead.
        found = dict(zip(positions, made, strict=True))
        replacement = self._replacement
        for e in entries:
            if e[4] and e[7] in replaced:
                found[e[3]] = replaced[e[7]](e, replacement(e[4]))
        glimpsed = found.get
        decoded = self._decoded([e for e in entries if glimpsed(e[3]) is None], keep=keep)
        rest = iter(decoded).__next__
        # A glimpse is a non-empty tuple: true, so ``or`` takes a decoded record in
        # place of only a missing one.
        return [glimpsed(e[3]) or rest() for e in entries]

    def _decoded(self, entries: Sequence[Entry], *, keep: bool = False) -> list[Recorded]:
        originals = self._fetch(list(map(_POSITION, entries)), keep=keep)
        if not any(map(_FIX, entries)):  # none corrected (most chunks of a fold)
            return originals
        out = []
        for entry, recorded in zip(entries, originals, strict=True):
            if entry.fix:
                # Replay the replacement in its place (as ``attrs.evolve`` would make
                # it, without its look at the fields: a full fold makes 23k at 1M).
                recorded = Recorded(  # noqa: PLW2901
                    recorded.position,
                    recorded.recorded_at,
                    recorded.hash,
                    self._replacement(entry.fix),
                    entry.fix,
                )
            out.append(recorded)
        return out

    # -- folding ----------------------------------------------------------------------

    def _glance(self) -> Callable[[S, Glimpse], S]:
        view = self.view
        if isinstance(view, GlimpseView):
            return view.apply_glimpse
        return _no_glimpse

    def _fold(self, state: S, entries: Sequence[Entry], *, keep: bool = False) -> S:
        """``state`` with ``entries`` folded in; ``keep``: keep their records in the
        cache (see `_fetch`)."""
        apply, glance = self.view.apply, self._glance()
        with gc_paused(len(entries), promote=True):
            for start in range(0, len(entries), _FETCH):
                for item in self._records(entries[start : start + _FETCH], keep=keep):
                    try:  # free in CPython 3.11+ until something raises
                        state = (
                            glance(state, item) if type(item) is Glimpse else apply(state, item)  # type: ignore[arg-type]
                        )
                    except Exception as error:
                        _note_fold_error(error, self.view, item)
                        raise
        return state

    def prefix_state(self, count: int) -> S:
        """The state after the first ``count`` entries (open cuts), via checkpoints."""
        if self._deferred_states is not None:
            self.load_states()
        k = bisect.bisect_right(self.checkpoints, count, key=lambda c: c[0]) - 1
        start, state = self.checkpoints[k] if k >= 0 else (0, self.view.initial())
        if self._tip is not None and start < self._tip[0] <= count:
            start, state = self._tip
        position = start
        apply, glance = self.view.apply, self._glance()
        every = self.every
        with gc_paused(count - start, promote=True):
            while position < count:
                end = min(count, position + _FETCH)
                for item in self._records(self.entries[position:end]):
                    try:
                        state = (
                            glance(state, item) if type(item) is Glimpse else apply(state, item)  # type: ignore[arg-type]
                        )
                    except Exception as error:
                        _note_fold_error(error, self.view, item)
                        raise
                    position += 1
                    if position % every == 0 and (
                        not self.checkpoints or position > self.checkpoints[-1][0]
                    ):
                        self.checkpoints.append((position, state))
        self._tip = (count, state)
        return state

    def answer(self, query: Query, result: Callable[[S, Query], R] | None = None) -> R:
        """The view's result for ``query``: the folded state, then ``result`` (the
        view's own unless another is given, e.g. a filtered ``select``).

        Both create many long-lived objects on a large timeline, so the cyclic GC is
        paused around them (it would rescan the growing state again and again).
        """
        answer = result or self.view.result
        method = "result" if result is None else "select"
        with self.lock:
            self.sync()
            if result is None:
                saved = self.saved_answer(query)
                if saved is not None:
                    return saved
            with gc_paused(self.count, promote=True):
                try:
                    return answered(self.view, method, answer, self.state(query), query)
                except UnreadLogError:
                    # A filtered answer read a saved state's attack log, unread so
                    # far, and it could not be read back: fold from the records.
                    if self._deferred is None:
                        raise
                    self.read_deferred()
                    return answered(self.view, method, answer, self.state(query), query)

    def state(self, query: Query) -> S:
        """The folded state for ``query``'s cuts."""
        with self.lock:
            self.sync()
            open_cut = query.known_at is None and query.as_of is None and query.at is None
            if not open_cut:
                self.read_deferred()
            # With no ``at`` cut every extent has happened, certainly or not: with no
            # knowledge cut either, the query sees a prefix of the full list.
            if (
                query.known_at is None
                and query.as_of is None
                and (query.certainty == "possible" or query.at is None)
            ):
                count = self.count if query.at is None else bisect.bisect_right(self.los, query.at)
                return self.prefix_state(count)
            return self.cut_state(query)

    def cut_state(self, query: Query) -> S:
        """The folded state for a cut that is not a prefix of the full list (a
        ``known_at`` or ``as_of`` cut, or ``certainty="certain"`` with ``at``),
        resumed from the checkpoints of the full list where the two agree (see the
        module docstring)."""
        entries = self.entries
        certain = query.certainty == "certain"
        # Where the cut's list stops agreeing with the full list: at the earliest
        # replay key of any record not settled by each knowledge cut, and (certain,
        # with ``at``) at the first entry that has not certainly happened by ``at``.
        agree = len(entries)
        moved: set[str] = set()
        # Per knowledge cut, the next time after it at which many corrected or retracted
        # records settle at once (None: there is none), where its era ends (`_era`).
        nexts: list[int | None] = []
        for clock, cut in (
            ("certain" if certain else "possible", query.known_at),
            ("position", query.as_of),
        ):
            if cut is None:
                nexts.append(None)
                continue
            settled = self._settled_by(clock)
            agree = min(agree, self._agreeing(settled, cut))
            fixed = bisect.bisect_right(settled.fixed_times, cut)
            moved.update(settled.fixed_ids[fixed:])
            batch = bisect.bisect_right(settled.batches, cut)
            nexts.append(settled.batches[batch] if batch < len(settled.batches) else None)
        at = query.at
        if certain and at is not None:
            agree = min(agree, bisect.bisect_right(self._lasts(), at))
        # Entries past ``at`` cannot be folded (entries are in occurrence order), only
        # a corrected record's version may move before it (``moved``, below).
        end = len(entries) if at is None else bisect.bisect_right(self.los, at)
        count = min(agree, end)
        if self._eras is not None and end - count > max(self.era_tail, end // self.era_share):
            era = self._era(query.certainty, nexts[0], nexts[1])
            if era is not None:
                return era.cut_state(query)
        state = self.prefix_state(count)
        # An entry after ``count`` is replayed as in the full list when its record is
        # settled by the cuts: one with no correction or retraction when it is visible
        # (its entry's times are its own), one with them by its settling times. Those
        # not settled are replayed as the cuts see them, if at all.
        known_at, as_of = query.known_at, query.as_of
        tail = [
            e
            for e in entries[count:end]
            if (
                e.id not in moved
                if e.fix
                else (known_at is None or (e.rep_last if certain else e.rep_lo) <= known_at)
                and (as_of is None or e.position <= as_of)
            )
        ]
        for rid in moved:
            entry = self._cut_entry(rid, query)
            if entry is not None:
                tail.append(entry)
        if at is not None:
            tail = [e for e in tail if (e.occ_last if certain else e.occ_lo) <= at]
        tail.sort()
        # Kept: a cut's tail reaches back to the first record it does not see as the
        # full list does, and the next cut (a series of dates, a dashboard) mostly
        # asks the same records again.
        return self._fold(state, tail, keep=True)

    def _era(self, certainty: str, known: int | None, stored: int | None) -> Engine[S, R] | None:
        """An engine over the list as it stood just before ``known`` (on the knowledge
        clock of ``certainty``) and ``stored`` (store position): the era a cut before
        them belongs to (None when both are None). Kept, the last `_ERAS` of them,
        until the store moves on.

        A cut whose list parts from the full list long before its ``at`` (typically:
        before a re-import that corrected many old records at once, every cut before
        it) agrees with its era's list up to the first record that settles between the
        cut and the era's end, which holds no batch of corrections: only the reports
        of the last days or weeks and corrections made one by one. The era is folded
        once, from the full list's checkpoints before its first record not settled by
        its end (up to there the two lists are one), with checkpoints of its own;
        later cuts in it resume from them (see `cut_state`).
        """
        if known is None and stored is None:
            return None
        eras = self._eras
        assert eras is not None
        key = (certainty, known, stored)
        found = eras.get(key)
        if found is not None:
            eras.move_to_end(key)
            return found
        bounds = Query(
            known_at=None if known is None else known - 1,
            as_of=None if stored is None else stored - 1,
            certainty="certain" if certainty == "certain" else "possible",
        )
        era: Engine[S, R] = Engine(self.view, self.store, every=self.every)
        era._eras = None  # an era's cuts resume from its own list only
        era.head = self.head  # never synced: dropped when the store moves on
        era._cache, era._replacements = self._cache, self._replacements
        rows = {rid: row for rid, row in self.rows.items() if _visible(row, bounds)}
        fixes = {}
        for rid, mine in self.fixes.items():
            seen = [f for f in mine if _visible(f, bounds)]
            if seen and rid in rows:
                fixes[rid] = seen
        era_entries = [e for e in self.cut_entries(bounds, valid_time=False) if e.id in rows]
        era._rows, era._fixes, era._entries = rows, fixes, era_entries
        era._los = list(map(_OCC_LO, era_entries))
        era._moved = _moved_of(Index(rows, fixes, era_entries))
        # The era's list is the full list up to the first record not settled by its
        # bounds (see `cut_state`): it starts from the checkpoints kept before that.
        agree = len(self.entries)
        for clock, bound in (
            ("certain" if certainty == "certain" else "possible", known),
            ("position", stored),
        ):
            if bound is not None:
                agree = min(agree, self._agreeing(self._settled_by(clock), bound - 1))
        era.checkpoints = [c for c in self.checkpoints if c[0] <= agree]
        eras[key] = era
        while len(eras) > _ERAS:
            eras.popitem(last=False)
        return era

    def _agreeing(self, settled: _Settled, cut: int) -> int:
        """How many entries of the full list replay as under a knowledge cut at
        ``cut`` on ``settled``'s clock: those before the earliest replay key of any
        record not settled by then."""
        first = bisect.bisect_right(settled.times, cut)
        if first == len(settled.times):
            return len(self.entries)
        return bisect.bisect_left(self.entries, settled.floor[first])

    def _lasts(self) -> list[int]:
        """For each entry, the latest ``occurred.last`` of the entries up to it (a
        running maximum): the entries before the first above ``at`` have all
        certainly happened by ``at``."""
        found = self._last_max
        if found is None:
            found = list(itertools.accumulate((e.occ_last for e in self.entries), max))
            self._last_max = found
        return found

    def _settled_by(self, clock: str) -> _Settled:
        """When each record settles on ``clock``: by the ``reported`` bound a
        certainty reads (``"possible"``, ``"certain"``) or by store position
        (``"position"``, for ``as_of``)."""
        found = self._settled.get(clock)
        if found is not None:
            return found

        def when_of(row: Entry | IndexRow) -> int:
            if clock == "position":
                return row.position
            return row.rep_last if clock == "certain" else row.rep_lo

        fixes = self.fixes
        self._decode_replacements(f for rid in self.rows for f in fixes.get(rid, ()))
        items: list[tuple[int, tuple[int, int, str]]] = []
        fixed: list[tuple[int, str]] = []
        for rid, row in self.rows.items():
            when = when_of(row)
            key = (row.occ_lo, row.rep_lo, rid)
            mine = fixes.get(rid)
            if mine:
                for fix in mine:
                    when = max(when, when_of(fix))
                    version = self._entry(row, fix)  # where this correction replays it
                    if version is not None:
                        key = min(key, (version.occ_lo, version.rep_lo, rid))
                fixed.append((when, rid))
            items.append((when, key))
        items.sort()
        fixed.sort()
        floor: list[tuple[int, int, str]] = [key for _, key in items]
        for index in range(len(floor) - 2, -1, -1):
            floor[index] = min(floor[index], floor[index + 1])
        fixed_times = [t for t, _ in fixed]
        found = _Settled(
            [t for t, _ in items],
            floor,
            fixed_times,
            [rid for _, rid in fixed],
            sorted(t for t, n in collections.Counter(fixed_times).items() if n >= self.era_batch),
        )
        self._settled[clock] = found
        return found

    def cut_entries(self, query: Query, *, valid_time: bool = True) -> list[Entry]:
        """The entries visible under ``known_at`` / ``as_of`` (and ``at``), sorted."""
        out = []
        for rid in self.rows:
            entry = self._cut_entry(rid, query)
            if entry is None:
                continue
            if valid_time and query.at is not None:
                bound = entry.occ_last if query.certainty == "certain" else entry.occ_lo
                if bound > query.at:
                    continue
            out.append(entry)
        out.sort()
        return out

    def selected(
        self,
        query: Query,
        kinds: frozenset[str] | None = None,
        window: tuple[int, int] | None = None,
        limit: int | None = None,
    ) -> tuple[int, list[Recorded]]:
        """How many records ``query``'s knowledge cuts let through (``known_at``,
        ``as_of``; not ``at``) of ``kinds`` (the current version's kind) whose time
        overlaps ``window`` (first and last microsecond; a timeless record overlaps
        none), and the first ``limit`` of them (all: None), each in its current
        version as the fold would take it, in replay order. Chosen from the index,
        so only the records returned are read and decoded: a month's records out of
        a country's years, without the years."""
        with self.lock:
            self.sync()
            self.read_deferred()
            if query.known_at is None and query.as_of is None:
                entries: list[Entry] = self.entries
            else:
                entries = self.cut_entries(query, valid_time=False)
            if kinds is not None:
                entries = [e for e in entries if e.kind in kinds]
            if window is not None:
                lo, hi = window
                timeless = TimeExtent.TIMELESS_US
                entries = [
                    e
                    for e in entries
                    if e.occ_lo <= hi and e.occ_last >= lo and e.occ_last != timeless
                ]
            shown = entries if limit is None else entries[:limit]
            with gc_paused(len(shown), promote=True):
                return len(entries), self._decoded(shown)

    def _cut_entry(self, rid: str, query: Query) -> Entry | None:
        """Record ``rid``'s entry under ``known_at`` / ``as_of`` (not ``at``), if visible."""
        row = self.rows[rid]
        if not _visible(row, query):
            return None
        return self._entry(row, self._latest_fix(rid, query))

    def series(self, query: Query, cuts: Sequence[int]) -> list[S]:
        """States at each of ``cuts`` (ascending), folding incrementally."""
        with self.lock:
            self.sync()
            self.read_deferred()
            if query.certainty == "certain":
                return [self.state(attrs.evolve(query, at=cut)) for cut in cuts]
            if query.known_at is None and query.as_of is None:
                return [self.prefix_state(bisect.bisect_right(self.los, cut)) for cut in cuts]
            # The first step resumes from the checkpoints where the cuts agree with
            # the full list (`cut_state`); each later one folds, onto the step before,
            # the entries the cuts see that occurred since.
            entries = self.cut_entries(query, valid_time=False)
            los = [e.occ_lo for e in entries]
            states: list[S] = []
            done = 0
            for cut in cuts:
                upto = bisect.bisect_right(los, cut)
                if states:
                    state = self._fold(states[-1], entries[done:upto])
                else:
                    state = self.cut_state(attrs.evolve(query, at=cut))
                done = upto
                states.append(state)
            return states


def _glimpser(plan: _Plan) -> Callable[[Entry, bytes], Glimpse | None]:
    """The function that makes the glimpse of a record of ``plan``'s kind from its
    entry and stored payload (None: decode it instead, when it is of another schema
    version, not the id and kind its entry says, or a named field holds anything but
    a string or None)."""
    # Written for speed: a full fold of `TriggeredCommitments` glimpses most records.
    # msgspec reads only the named fields of the JSON, and checks in C that each is a
    # string or None, into a struct made for the plan (a dict of the whole payload,
    # as `orjson.loads` makes, cost 2.6 times as much at 1M attacks).
    kind, version, names, _, nested = plan
    decode = msgspec.json.Decoder(_glimpse_type(plan)).decode
    # Damaged JSON, or a field of the wrong type; RecursionError: JSON nested deeper
    # than msgspec reads (orjson, which the decoder uses, refuses it too).
    invalid = (msgspec.DecodeError, RecursionError)
    read_all = operator.attrgetter("version", "id", "kind", *_outers(names))
    made = _maker(nested)

    def glimpse(entry: Entry, payload: bytes) -> Glimpse | None:
        try:
            got = read_all(decode(payload))
        except invalid:
            return None  # the full decode words the damage
        if got[0] != version or got[1] != entry[2] or got[2] != kind:  # 2: the id
            return None
        return made(entry, got[3:])

    return glimpse


def _record_glimpser(plan: _Plan) -> Callable[[Entry, AnyRecord], Glimpse | None]:
    """The function that makes the glimpse of a decoded record of ``plan``'s kind,
    replayed at ``entry`` (a correction's replacement), from its fields: the values a
    glimpse of its payload would carry (None: decode it instead, when it is not of the
    id its entry says, as only a file edited behind the library's back can hold)."""
    read_all = operator.attrgetter("id", "id", *_outers(plan.names))  # always a tuple
    made = _maker(plan.nested)

    def glimpse(entry: Entry, record: AnyRecord) -> Glimpse | None:
        got = read_all(record)
        if got[0] != entry[2]:  # 2: the id
            return None
        return made(entry, got[2:])

    return glimpse


def _maker(
    nested: tuple[tuple[int, str, str, str | None], ...],
) -> Callable[[Entry, tuple[Any, ...]], Glimpse]:
    """The function that makes the glimpse of the record replayed at an entry from
    the values read of its named fields (of a payload or of a decoded record), where
    a dotted name's value is still its outer field's (see `_inner_values`)."""
    inner_at = tuple((i, inner) for i, _, inner, _ in nested)

    def made(entry: Entry, values: tuple[Any, ...]) -> Glimpse:
        occ_lo, rep_lo, rid, position, _, occ_last, rep_last, _ = entry
        for i, _ in inner_at:
            if values[i] is not None:
                values = _inner_values(values, inner_at)
                break
        return _GLIMPSE((rid, position, occ_lo, occ_last, rep_lo, rep_last, values))

    return made


def _outers(names: Sequence[str]) -> tuple[str, ...]:
    """The field of the record each glimpsed name reads: itself, or a dotted name's
    outer field (whose value `_inner_values` then reads the inner field of)."""
    return tuple(name.partition(".")[0] for name in names)


def _inner_values(
    values: tuple[Any, ...], inner_at: tuple[tuple[int, str], ...]
) -> tuple[Any, ...]:
    """``values`` with the value each dotted name's outer field holds replaced by its
    inner field (None stays None: the record has no value to read it from)."""
    read = list(values)
    for i, inner in inner_at:
        holder = read[i]
        if holder is not None:
            read[i] = getattr(holder, inner)
    return tuple(read)


def _glimpse_type(plan: _Plan) -> type[msgspec.Struct]:
    """The struct a payload of ``plan``'s kind is read into: its schema version, id
    and kind, each named field as a string or None (its default when the payload
    omits it), and each value class a dotted name reads into as a struct of its own
    or None. Every other key is skipped unread."""
    kind, _, names, defaults, nested = plan
    fields: dict[str, tuple[str, Any, Any]] = {
        "version": ("version", Any, None),
        "id": ("id", Any, None),
        "kind": ("kind", Any, None),
    }
    inner: dict[str, list[tuple[str, Any, Any]]] = {}
    for _, outer, name, default in nested:
        inner.setdefault(outer, []).append((name, str | None, default))
    for outer, held in inner.items():
        value = msgspec.defstruct(f"{kind}_{outer}_glimpse", held)
        fields[outer] = (outer, value | None, None)
    for name, default in zip(names, defaults, strict=True):
        if "." not in name:
            fields[name] = (name, str | None, default)
    return msgspec.defstruct(f"{kind}_glimpse", list(fields.values()))


# ``Glimpse(...)`` without the named tuple's Python-level ``__new__`` (made once
# for every record glimpsed).
_GLIMPSE: Final = functools.partial(tuple.__new__, Glimpse)


def _note_fold_error(error: Exception, view: object, item: Recorded | Glimpse) -> None:
    """Add to an error a view's ``apply`` (or ``apply_glimpse``) raised which view
    and which record it was folding: the exception is the view's own, unchanged
    otherwise, so a caller that catches it by type still does."""
    name = type(view).__qualname__
    if isinstance(item, Glimpse):
        error.add_note(
            f"while {name}.apply_glimpse folded record {item.id!r} "
            f"(stored at position {item.position})"
        )
        return
    record = item.record
    replaced = (
        "" if item.corrected_by is None else f", as corrected at position {item.corrected_by}"
    )
    error.add_note(
        f"while {name}.apply folded record {record.id!r} "
        f"({type(record).__name__}, stored at position {item.position}{replaced})"
    )


def answered(
    view: object, method: str, answer: Callable[[S, Query], R], state: S, query: Query
) -> R:
    """``answer(state, query)``; an error it raises (other than the engine's own
    `UnreadLogError`) gets a note naming the view, the method and the question, as
    a fold's error does (`_note_fold_error`)."""
    try:
        return answer(state, query)
    except UnreadLogError:
        raise
    except Exception as error:
        error.add_note(
            f"while {type(view).__qualname__}.{method} answered the question ({query.describe()})"
        )
        raise


def _no_glimpse(state: Any, glimpse: Glimpse) -> Any:
    raise AssertionError(f"{glimpse.id}: a glimpse for a view that takes none")  # pragma: no cover


def _visible(row: Entry | IndexRow, query: Query) -> bool:
    if query.as_of is not None and row.position > query.as_of:
        return False
    if query.known_at is not None:
        bound = row.rep_last if query.certainty == "certain" else row.rep_lo
        if bound > query.known_at:
            return False
    return True
