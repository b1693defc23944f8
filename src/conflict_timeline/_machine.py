"""A hypothesis state machine that checks a view against a reference model.

[`TimelineMachine`][conflict_timeline.testing.TimelineMachine] appends records, corrections and
retractions one step at a
time, drawn consistently with what is already in the store, and after every step
compares the user's view with the user's model: the view through a live view, its
engine's answers at drawn cuts (from its checkpoints) and a fresh rebuild, the model
over the records the cuts let through, computed here the slow, obvious way. It also
checks that folding a record leaves the state it was given as it was.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
import types
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar, Final, Literal

import attrs
import pendulum
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ._drawing import CORRECTING, History, kinds_of, with_prerequisites
from ._records import AnyRecord, Correction, Record, Retraction
from ._time import TimeExtent, epoch_us, from_epoch_us
from ._timeline import Timeline
from .errors import CheckpointWarning
from .stores import MemoryStore, Recorded, StateKeeper, Store
from .stores._base import latest_fixes
from .views import Engine, Projection, Query, _saved
from .views._engine import view_kinds

__all__ = ["TimelineMachine"]

# The store's clock starts after every drawn date (the strategies draw up to 2030)
# and ticks a minute per append: records are entered after the events they report,
# and a record without ``reported`` becomes known when it was entered.
_CLOCK_START: Final = pendulum.datetime(2031, 1, 1)
_FIRST_CUT: Final = epoch_us(pendulum.datetime(1990, 1, 1))
_LAST_CUT: Final = epoch_us(pendulum.datetime(2032, 1, 1))


def _iso(us: int) -> str:
    return from_epoch_us(us).isoformat()


def _bounds(extent: TimeExtent | None) -> Iterable[int]:
    """The instants around an extent at which a cut changes what it sees."""
    if extent is None or extent.is_timeless:
        return ()
    return (extent.lo - 1, extent.lo, extent.last)


def _cuts(machine: TimelineMachine) -> st.SearchStrategy[str | None]:
    points = sorted({p for p in machine._cut_points() if _FIRST_CUT <= p <= _LAST_CUT})
    anywhere = st.integers(_FIRST_CUT, _LAST_CUT)
    instants = st.one_of(st.sampled_from(points), anywhere) if points else anywhere
    return st.one_of(st.none(), instants.map(_iso))


_CUT: Final = st.runner().flatmap(_cuts)
_AS_OF: Final = st.runner().flatmap(
    lambda m: st.one_of(st.none(), st.integers(0, m.timeline.head))
)
"""A position cut: none, or any position up to the store's head (0: nothing yet)."""
_CERTAINTY: Final[st.SearchStrategy[Literal["possible", "certain"]]] = st.sampled_from(
    ("possible", "certain")
)


def _visible_records(recorded: Iterable[Recorded], query: Query) -> list[Recorded]:
    """The records a query's cuts let through, in replay order: DESIGN.md's rules,
    written plainly.

    Seen under ``known_at`` and ``as_of``; each replaced by its latest visible
    correction (latest by ``reported``, then id) or dropped by a retraction;
    happened by ``at`` under the query's certainty; sorted by ``(occurred.lo,
    reported.lo, id)``. A replacement is known as `Recorded.reported` gives it to the
    fold: its own ``reported`` (or dated source), else the ``recorded_at`` of the
    record it replaces, not that record's report (docs/explanation/three-clocks.md).
    """

    def seen(r: Recorded) -> bool:
        if query.as_of is not None and r.position > query.as_of:
            return False
        if query.known_at is None:
            return True
        rep = r.reported
        return (rep.last if query.certain else rep.lo) <= query.known_at

    shown = [r for r in recorded if seen(r)]
    fixes = latest_fixes(shown)
    keyed: list[tuple[tuple[int, int, str], Recorded]] = []
    for r in shown:
        if isinstance(r.record, Correction | Retraction):
            continue
        fix = fixes.get(r.id)
        if fix is not None:
            if isinstance(fix.record, Retraction):
                continue
            assert isinstance(fix.record, Correction)
            replacement = fix.record.replacement
            r = attrs.evolve(r, record=replacement, corrected_by=fix.position)  # noqa: PLW2901
        rep_lo = r.reported.lo
        if query.at is not None:
            occurred = r.record.occurred
            if (occurred.last if query.certain else occurred.lo) > query.at:
                continue
        keyed.append(((r.record.occurred.lo, rep_lo, r.id), r))
    keyed.sort(key=lambda pair: pair[0])
    return [r for _, r in keyed]


class TimelineMachine(RuleBasedStateMachine):
    """Checks your view against a reference model while records come and go.

    Subclass it, set `view` and write `model`, then let pytest collect
    ``YourMachine.TestCase``. Each step appends a record (drawn to fit what is
    already there, as
    [`conflict_timeline.strategies.timelines`][conflict_timeline.strategies.timelines] draws them),
    corrects or retracts one, compares the view with the model at drawn ``at`` /
    ``known_at`` / ``as_of`` cuts and certainty (``check``), rebuilds the view from
    scratch and compares (``rebuild``), or saves the view's state in the store
    (``save_checkpoints``) and compares a timeline opened afresh over the store,
    which starts from the saved state and takes in what was appended since
    (``reopen``); after every step the view over everything known (queried, and
    kept live) must equal the model too. When they differ, hypothesis shrinks the
    steps to a short story and prints it.

    Example::

        class CountAttacks(TimelineMachine):
            view = AttackCount          # a View class or instance
            kinds = [Attack]            # what to append (prerequisites are added)

            def model(self, records, query):
                return sum(isinstance(r, Attack) for r in records)

        TestCountAttacks = CountAttacks.TestCase

    The model may also be a function of ``(records, query)`` defined elsewhere:
    ``model = staticmethod(count_attacks)`` (a bare ``model = count_attacks``
    works too, but type checkers take it for a method).

    Attributes:
        view: The projection under test: a class (instantiated once per run) or an
            instance.
        kinds: The record kinds the ``append`` rule draws; every kind by default.
            The kinds their references need are added (see
            [`timelines`][conflict_timeline.strategies.timelines]). Corrections and
            retractions come from their own rules, whatever ``kinds`` says.
        saves_checkpoints: Whether to save the view's state and reopen from it:
            True by default, done for a view class that can be saved (defined in a
            module with a source file, not in a function or a notebook) on a store
            that keeps states. A view whose state holds what a saved state may not
            fails the run with `Timeline.save_checkpoints`' reason; set it False for
            a view you never save.
        timeline: The [`Timeline`][conflict_timeline.Timeline] under test (over `make_store`).
        records: Everything appended so far, in append order.
    """

    view: ClassVar[Any] = None
    kinds: ClassVar[Iterable[type[Record]] | None] = None
    saves_checkpoints: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # ``model = my_function`` (a plain function from elsewhere) is the function
        # itself, not a method: do not pass it ``self``.
        model = cls.__dict__.get("model")
        if isinstance(model, types.FunctionType) and not model.__qualname__.startswith(
            f"{cls.__qualname__}."
        ):
            cls.model = staticmethod(model)  # type: ignore[method-assign]

    def __init__(self) -> None:
        super().__init__()
        if self.view is None:
            msg = (
                f"{type(self).__name__}.view is not set: give it your projection "
                "(a View subclass or an instance of one)"
            )
            raise InvalidArgument(msg)
        plain = tuple(k for k in kinds_of(self.kinds) if k not in CORRECTING)
        if not plain:
            msg = (
                f"{type(self).__name__}.kinds names only corrections and retractions; "
                "name the kinds they should correct"
            )
            raise InvalidArgument(msg)
        self._ticks = 0
        self._tempdir: Path | None = None
        self._history = History(with_prerequisites(plain))
        self._appendable = plain
        self.records: list[AnyRecord] = []
        self._view: Projection[Any, Any] = (
            self.view() if isinstance(self.view, type) else self.view
        )
        self.timeline = Timeline(self.make_store())
        # A second timeline over the same store keeps the live view, so that it and
        # the queries above fold in separate engines that cannot share a mistake.
        self._live = Timeline(self.timeline.store).live(self._view)
        self._saved = False

    # -- hooks -----------------------------------------------------------------------

    def model(self, records: Sequence[AnyRecord], query: Query) -> Any:
        """What the view's result should be: override this.

        Args:
            records: The records the query's cuts let through, in replay order:
                seen by ``known_at`` / ``as_of``, corrections applied, retracted
                ones gone, happened by ``at`` (under ``query.certainty``). Every kind
                is there, whatever the view's ``kinds`` says.
            query: The cuts (``query.at`` and ``query.known_at`` are epoch
                microseconds or None; ``query.happened(extent)`` applies ``at``).

        Returns:
            The value ``view.result(...)`` must equal.
        """
        del records, query
        msg = f"{type(self).__name__} must define model(records, query)"
        raise NotImplementedError(msg)

    def expected(self, visible: Sequence[Recorded], query: Query) -> Any:
        """The model's answer from the visible envelopes; by default
        ``self.model([r.record for r in visible], query)``. Override it instead of
        `model` when the model needs positions or ``recorded_at``."""
        return self.model([r.record for r in visible], query)

    def compare(self, actual: Any, expected: Any, query: Query, how: str) -> None:
        """Fail unless ``actual == expected``; override for looser comparisons.

        Raises:
            AssertionError: saying which result differed, and under which cuts.
        """
        if actual != expected:
            name = getattr(self.view, "__name__", type(self._view).__name__)
            msg = (
                f"{name} ({how}) disagrees with the model, {query.describe()}:\n"
                f"  view:  {actual!r}\n  model: {expected!r}"
            )
            raise AssertionError(msg)

    def make_store(self) -> Store:
        """The store under test: a [`MemoryStore`][conflict_timeline.stores.MemoryStore] on
        `clock`. Override it
        to test on another backend, e.g.
        ``SQLiteStore(self.tempdir() / "t.db", clock=self.clock)``."""
        return MemoryStore(clock=self.clock)

    def clock(self) -> pendulum.DateTime:
        """A deterministic store clock: 2031-01-01T00:00Z, a minute later per call."""
        self._ticks += 1
        return _CLOCK_START.add(minutes=self._ticks - 1)

    def tempdir(self) -> Path:
        """A directory for this run's files, removed at teardown."""
        if self._tempdir is None:
            self._tempdir = Path(tempfile.mkdtemp(prefix="timeline-machine-"))
        return self._tempdir

    def visible(self, query: Query) -> list[Recorded]:
        """The stored records ``query`` lets through, in replay order (see
        `model`), worked out without the replay engine."""
        return _visible_records(self.timeline.read(), query)

    visible_records = staticmethod(_visible_records)

    # -- rules -----------------------------------------------------------------------

    def _next(self, kinds: tuple[type[Record], ...]) -> st.SearchStrategy[AnyRecord]:
        history = self._history

        @st.composite
        def draw_next(draw: st.DrawFn) -> AnyRecord:
            kind = history.feasible(draw(st.sampled_from(kinds)))
            return history.draw_record(draw, kind)

        return draw_next()

    def _take(self, record: AnyRecord) -> None:
        self.timeline.append(record)
        self._history.add(record)
        self.records.append(record)

    @rule(record=st.runner().flatmap(lambda m: m._next(m._appendable)))
    def append(self, record: AnyRecord) -> None:
        """Append a record that fits what is already stored."""
        self._take(record)

    @precondition(lambda m: bool(m._history.targets))
    @rule(correction=st.runner().flatmap(lambda m: m._next((Correction,))))
    def correct(self, correction: Correction) -> None:
        """Append a correction of a stored record."""
        self._take(correction)

    @precondition(lambda m: bool(m._history.targets))
    @rule(retraction=st.runner().flatmap(lambda m: m._next((Retraction,))))
    def retract(self, retraction: Retraction) -> None:
        """Append a retraction of a stored record."""
        self._take(retraction)

    @rule(at=_CUT, known_at=_CUT, as_of=_AS_OF, certainty=_CERTAINTY)
    def check(
        self,
        at: str | None,
        known_at: str | None,
        as_of: int | None,
        certainty: Literal["possible", "certain"],
    ) -> None:
        """The view equals the model under these cuts."""
        self._compare_under(
            self.timeline, "state", at=at, known_at=known_at, as_of=as_of, certainty=certainty
        )

    @precondition(lambda m: m._savable())
    @rule()
    def save_checkpoints(self) -> None:
        """Save the view's folded state in the store (`Timeline.save_checkpoints`),
        when the store keeps states and the view is a class that can be saved; later
        appends, corrections and retractions land on top of it."""
        self.timeline.save_checkpoints(self.view)
        self._saved = True

    @precondition(lambda m: m._savable())
    @rule(save=st.booleans(), at=_CUT, known_at=_CUT, as_of=_AS_OF, certainty=_CERTAINTY)
    def reopen(
        self,
        save: bool,
        at: str | None,
        known_at: str | None,
        as_of: int | None,
        certainty: Literal["possible", "certain"],
    ) -> None:
        """A timeline opened afresh over the store, asked for the view class (a new
        instance of it), starts from the saved state (saved first when ``save`` is
        drawn or nothing is saved yet) and takes in what was appended since: it
        equals the model under these cuts, as a fold of every record does."""
        if save or not self._saved:
            self.save_checkpoints()
        reopened = Timeline(self.timeline.store)
        with warnings.catch_warnings():
            warnings.simplefilter("error", CheckpointWarning)  # an ignored save: a bug
            self._compare_under(
                reopened,
                "reopened",
                at=at,
                known_at=known_at,
                as_of=as_of,
                certainty=certainty,
                view=self.view,  # a class (`_savable`): an instance is never restored
            )

    def _compare_under(
        self,
        timeline: Timeline,
        how: str,
        *,
        at: str | None,
        known_at: str | None,
        as_of: int | None,
        certainty: Literal["possible", "certain"],
        view: Any = None,
    ) -> None:
        cuts: dict[str, Any] = {"at": at, "known_at": known_at, "as_of": as_of}
        query = timeline.query(**cuts, certainty=certainty)
        actual = timeline.state(view or self._view, **cuts, certainty=certainty)
        self.compare(actual, self.expected(self.visible(query), query), query, how)

    def _savable(self) -> bool:
        """Is saving checked? Only a view given as a class whose code version can be
        told (a module with a source file; not a class made in a function, nor one
        defined in a notebook) is saved, in a store that keeps states (a
        `StateKeeper`), and only when `saves_checkpoints` is True."""
        view = self.view
        return (
            self.saves_checkpoints
            and isinstance(view, type)
            and isinstance(self.timeline.store, StateKeeper)
            and _saved.view_key(view) is not None
            and _saved.code_version(view) is not None
        )

    # Hypothesis orders rules by their number of arguments, and the shrinker deletes
    # a step by first making its choices trivial, which selects the first rule. So
    # this rule, with none, also makes a step the shrinker can drop whole.
    @rule()
    def rebuild(self) -> None:
        """A fresh timeline over the same store (no warm engine) equals the model."""
        query = Query()
        engine = Engine(self._view, self.timeline.store)
        fresh = self._view.result(engine.state(query), query)
        self.compare(fresh, self.expected(self.visible(query), query), query, "rebuilt")

    @invariant()
    def apply_leaves_its_input_state(self) -> None:
        """Folding a record gives a new state and leaves the one it was given as it
        was: the engine keeps earlier states as checkpoints (and answers other cuts
        from them), so a view that changes its state in place answers those wrongly.
        Checked where the state compares by value (a copy equals it): the records
        the view reads, folded in the order they were appended."""
        view, state = self._view, self._view.initial()
        kinds = view_kinds(view)
        for recorded in self.timeline.read():
            if isinstance(recorded.record, Correction | Retraction):
                continue  # the engine folds a correction's replacement in its place
            if kinds is not None and recorded.kind not in kinds:
                continue
            try:
                before = copy.deepcopy(state)
                comparable = bool(before == state)
            except Exception:  # no copy or no comparison: not checkable
                comparable = False
            after = view.apply(state, recorded)
            if comparable and before != state:
                msg = (
                    f"{type(view).__name__}.apply changed the state it was given while "
                    f"folding {recorded.record.id!r} (position {recorded.position}); "
                    "return a new state instead (the engine keeps earlier states as "
                    "checkpoints): it was\n"
                    f"  {before!r}\nand became\n  {state!r}"
                )
                raise AssertionError(msg)
            state = after

    @invariant()
    def everything_known(self) -> None:
        """With open cuts, the view (rebuilt and live) equals the model."""
        query = Query()
        expected = self.expected(self.visible(query), query)
        self.compare(self.timeline.state(self._view), expected, query, "state")
        self.compare(self._live.value, expected, query, "live view")

    def _cut_points(self) -> Iterable[int]:
        for recorded in self.timeline.read():
            record = recorded.record
            yield from _bounds(record.occurred)
            yield from _bounds(recorded.reported)
            if isinstance(record, Correction):
                yield from _bounds(record.replacement.occurred)
                yield from _bounds(record.replacement.reported)

    def teardown(self) -> None:
        """Close the store and remove `tempdir`."""
        self.timeline.close()
        if self._tempdir is not None:
            shutil.rmtree(self._tempdir, ignore_errors=True)
