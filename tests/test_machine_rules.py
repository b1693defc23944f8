"""TimelineMachine's stated rules, each pinned with a hand-written expectation.

Each test names the sentence it pins (the machine's docstrings, or
docs/guides/testing-projections.md). The machine must fail a view that disagrees
with its model and pass one that agrees: these tests either drive the machine's steps
by hand on a small history whose answer is worked out here, or run it on a view
with one planted mistake under small, derandomized settings.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar, TypeVar

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis.stateful import run_state_machine_as_test

from conflict_timeline import (
    AnyRecord,
    Attack,
    CheckpointWarning,
    PlaceDefined,
    Query,
    Recorded,
    StoreError,
    TimeExtent,
    View,
)
from conflict_timeline._machine import _cuts, _iso
from conflict_timeline.testing import TimelineMachine
from test_machine import SMALL as MACHINE_SMALL
from test_machine import AttackCount, count_attacks

SMALL = settings(MACHINE_SMALL, derandomize=True)  # test_machine's, one search: no flakes
HUNT = settings(SMALL, max_examples=200)


class CountAttacks(TimelineMachine):
    view: ClassVar[Any] = AttackCount
    kinds = (Attack, PlaceDefined)
    model = staticmethod(count_attacks)


class EveryRecordCount(View[int, int]):
    """Bug: counts every record it is given, but says nothing of ``kinds``: places
    count too, where the model counts attacks only."""

    def initial(self) -> int:
        return 0

    def apply(self, state: int, recorded: Recorded) -> int:
        return state + 1


class CountsPlacesToo(CountAttacks):
    view = EveryRecordCount


PLACE = PlaceDefined(id="place-0", name="Somewhere", place_kind="country")


M = TypeVar("M", bound=TimelineMachine)


@contextlib.contextmanager
def driven(machine_class: type[M]) -> Iterator[M]:
    """A machine whose steps the test calls by hand, torn down afterwards."""
    machine = machine_class()
    try:
        yield machine
    finally:
        machine.teardown()


# ------------------------------------------------------------------- the hooks


def test_the_store_clock_starts_on_1_january_2031_and_ticks_a_minute_per_call() -> None:
    """``clock``: "A deterministic store clock: 2031-01-01T00:00Z, a minute later per
    call." (after every drawn date, so a record is entered after what it reports)."""
    with driven(CountAttacks) as machine:
        # The machine's stores are made in __init__ and have not read the clock yet.
        first, second, third = machine.clock(), machine.clock(), machine.clock()
        assert first == pendulum.datetime(2031, 1, 1, 0, 0, tz="UTC")
        assert second == pendulum.datetime(2031, 1, 1, 0, 1, tz="UTC")
        assert third == pendulum.datetime(2031, 1, 1, 0, 2, tz="UTC")


def test_tempdir_is_one_directory_per_run_and_teardown_removes_it() -> None:
    """``tempdir``: "A directory for this run's files, removed at teardown": every call
    in a run gives the same directory."""
    machine = CountAttacks()
    here = machine.tempdir()
    (here / "a.txt").write_text("a")
    again = machine.tempdir()
    assert again == here
    assert (again / "a.txt").read_text() == "a"
    machine.teardown()
    assert not here.exists()


def test_teardown_closes_the_store() -> None:
    """``teardown``: "Close the store and remove `tempdir`." A closed memory store
    refuses reads (MemoryStore.close: "reads and appends raise StoreError
    afterwards")."""
    machine = CountAttacks()
    store = machine.timeline.store
    machine.teardown()
    with pytest.raises(StoreError):
        list(store.read())


# ------------------------------------------------------------------- the steps


def test_rebuild_compares_a_fresh_fold_with_the_model() -> None:
    """``rebuild``: "A fresh timeline over the same store (no warm engine) equals the
    model": a view that counts the place too is told so by the rebuild step itself,
    named as such (one place stored: view 1, model 0)."""
    with driven(CountsPlacesToo) as machine:
        machine.append(record=PLACE)
        with pytest.raises(AssertionError) as caught:
            machine.rebuild()
        assert "(rebuilt) disagrees with the model" in str(caught.value)
        assert "view:  1\n  model: 0" in str(caught.value)


class FoldCounter(View[int, int]):
    """Attacks, counted right; each instance also counts the records it folds."""

    kinds = frozenset({"Attack"})

    def __init__(self) -> None:
        self.folded = 0

    def initial(self) -> int:
        return 0

    def apply(self, state: int, recorded: Recorded) -> int:
        self.folded += 1
        return state + 1


def test_rebuild_folds_afresh_not_from_a_warm_engine() -> None:
    """``rebuild``: "A fresh timeline over the same store (no warm engine) equals the
    model": after the timeline has folded both attacks, the rebuild step folds both
    again (a warm engine would fold none)."""

    class Machine(CountAttacks):
        view = FoldCounter()

    with driven(Machine) as machine:
        machine.append(record=Attack(id="attack-0", occurred="2020-01-01"))
        machine.append(record=Attack(id="attack-1", occurred="2020-01-02"))
        machine.everything_known()  # the timeline's engine and the live view fold both
        view = Machine.view
        view.folded = 0
        machine.rebuild()
        assert view.folded == 2


class _RightLive:
    """A live view that always gives the model's answer, 0 (no attack is stored)."""

    value = 0

    def close(self) -> None:
        pass


def test_everything_known_compares_the_queried_state_not_only_the_live_view(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``everything_known``: "With open cuts, the view (rebuilt and live) equals the
    model" (the guide: "the view over everything known, queried and kept live ...
    must equal the model too"). With the live view right, the queried state of a view
    that counts the place too (1, where the model says 0) still fails the check."""
    monkeypatch.setattr("conflict_timeline.Timeline.live", lambda self, view: _RightLive())
    with driven(CountsPlacesToo) as machine:
        machine.append(record=PLACE)
        with pytest.raises(AssertionError) as caught:
            machine.everything_known()
        assert "(state) disagrees with the model" in str(caught.value)
        assert "view:  1\n  model: 0" in str(caught.value)


class AttacksOnly(View[tuple[str, ...], tuple[str, ...]]):
    """A right view that reads a field only attacks have: the engine gives it only
    the kinds it names, and a correction's replacement in place of the correction."""

    kinds = frozenset({"Attack"})

    def initial(self) -> tuple[str, ...]:
        return ()

    def apply(self, state: tuple[str, ...], recorded: Recorded) -> tuple[str, ...]:
        attack = recorded.record
        assert isinstance(attack, Attack), f"given a {type(attack).__name__}"
        return (*state, attack.perpetrator or "unknown")

    def result(self, state: tuple[str, ...], query: Query) -> tuple[str, ...]:
        return tuple(sorted(state))


def perpetrators(records: Sequence[AnyRecord], query: Query) -> tuple[str, ...]:
    return tuple(sorted(r.perpetrator or "unknown" for r in records if isinstance(r, Attack)))


class AttacksOnlyMachine(TimelineMachine):
    view = AttacksOnly
    kinds = (Attack, PlaceDefined)
    model = staticmethod(perpetrators)


class AnyKindView(View[int, int]):
    """A right view over every kind (``kinds`` None) that, like the engine's callers,
    never expects a correction or a retraction envelope: the engine folds a
    correction's replacement in its place."""

    def initial(self) -> int:
        return 0

    def apply(self, state: int, recorded: Recorded) -> int:
        kind = type(recorded.record).__name__
        assert kind not in ("Correction", "Retraction"), f"given a {kind}"
        return state + 1


def count_records(records: Sequence[AnyRecord], query: Query) -> int:
    return len(records)


class AnyKindMachine(TimelineMachine):
    view = AnyKindView
    kinds = (Attack, PlaceDefined)
    model = staticmethod(count_records)


@pytest.mark.parametrize("machine", [AttacksOnlyMachine, AnyKindMachine])
def test_the_in_place_check_folds_only_what_the_engine_would_give_the_view(
    machine: type[TimelineMachine],
) -> None:
    """``apply_leaves_its_input_state``: it folds "the records the view reads" (its
    ``kinds``), skipping corrections and retractions ("the engine folds a
    correction's replacement in its place"). A right view that relies on being given
    only those passes: the machine must pass a correct view."""
    run_state_machine_as_test(machine, settings=settings(HUNT, max_examples=15))


# ------------------------------------------------------------- saved states


@attrs.frozen
class Tally:
    """Attacks and places seen. Bug: it pickles without its places (a hand-written
    ``__reduce__`` that forgets a field), so a state restored from a save has none."""

    attacks: int
    places: int

    def __reduce__(self) -> tuple[Any, ...]:
        return (Tally, (self.attacks, 0))


class AttacksAndPlaces(View[Tally, tuple[int, int]]):
    """Attacks and places: right when folded, wrong once restored from a save."""

    kinds = frozenset({"Attack", "PlaceDefined"})

    def initial(self) -> Tally:
        return Tally(0, 0)

    def apply(self, state: Tally, recorded: Recorded) -> Tally:
        if isinstance(recorded.record, Attack):
            return Tally(state.attacks + 1, state.places)
        return Tally(state.attacks, state.places + 1)

    def result(self, state: Tally, query: Query) -> tuple[int, int]:
        return (state.attacks, state.places)


def attacks_and_places(records: Sequence[AnyRecord], query: Query) -> tuple[int, int]:
    attacks = sum(isinstance(r, Attack) for r in records)
    return (attacks, sum(isinstance(r, PlaceDefined) for r in records))


class AttacksAndPlacesMachine(TimelineMachine):
    view = AttacksAndPlaces
    kinds = (Attack, PlaceDefined)
    model = staticmethod(attacks_and_places)


def test_a_view_wrong_once_restored_from_a_save_is_caught() -> None:
    """``reopen``: "A timeline opened afresh over the store, asked for the view class
    (a new instance of it), starts from the saved state ... it equals the model".
    A view whose saved state comes back without its places answers (0, 0) with one
    place stored, where the model says (0, 1): the reopen step must say so."""
    with driven(AttacksAndPlacesMachine) as machine:
        machine.append(record=PLACE)
        machine.save_checkpoints()
        with pytest.raises(AssertionError) as caught:
            machine.reopen(save=False, at=None, known_at=None, as_of=None, certainty="possible")
        assert "AttacksAndPlaces (reopened) disagrees with the model" in str(caught.value)
        assert "view:  (0, 0)\n  model: (0, 1)" in str(caught.value)


def test_reopen_saves_first_when_nothing_is_saved_yet() -> None:
    """``reopen``: the reopened timeline "starts from the saved state (saved first
    when ``save`` is drawn or nothing is saved yet)". Reopening with ``save`` not
    drawn, before any save, still saves, so the view that loses its places on a
    restore (one place stored: (0, 0), where the model says (0, 1)) is caught."""
    with driven(AttacksAndPlacesMachine) as machine:
        machine.append(record=PLACE)
        with pytest.raises(AssertionError) as caught:
            machine.reopen(save=False, at=None, known_at=None, as_of=None, certainty="possible")
        assert "(reopened) disagrees with the model" in str(caught.value)
        assert "view:  (0, 0)\n  model: (0, 1)" in str(caught.value)


@attrs.frozen
class Unloadable:
    """Attacks seen, in a state that saves but cannot be loaded back: unpickling it
    raises, so a reopened timeline ignores the save (a `CheckpointWarning`)."""

    attacks: int

    def __setstate__(self, state: Any) -> None:
        msg = "this state cannot be read back"
        raise ValueError(msg)


class UnloadableCount(View[Unloadable, int]):
    kinds = frozenset({"Attack"})

    def initial(self) -> Unloadable:
        return Unloadable(0)

    def apply(self, state: Unloadable, recorded: Recorded) -> Unloadable:
        return Unloadable(state.attacks + 1)

    def result(self, state: Unloadable, query: Query) -> int:
        return state.attacks


class UnloadableMachine(TimelineMachine):
    view = UnloadableCount
    kinds = (Attack, PlaceDefined)
    model = staticmethod(count_attacks)


# The suite turns every warning into an error (pyproject.toml); a user's may not, so
# the machine itself must make this one fail the run.
@pytest.mark.filterwarnings("ignore::conflict_timeline.CheckpointWarning")
def test_a_saved_state_the_reopened_timeline_ignores_fails_the_run() -> None:
    """``reopen``: the reopened timeline "starts from the saved state"; one that
    ignores the save (with a `CheckpointWarning`) and folds from the records instead
    is not what the step checks, so the warning fails the run, even though the
    answers are right and warnings are otherwise ignored."""
    with pytest.raises(CheckpointWarning, match="cannot be read back"):
        run_state_machine_as_test(UnloadableMachine, settings=HUNT)


class Kinds:
    """Collects the kinds a machine appended, over every run."""

    seen: ClassVar[set[str]] = set()

    def teardown(self) -> None:
        Kinds.seen |= {type(r).__name__ for r in self.records}  # type: ignore[attr-defined]
        super().teardown()  # type: ignore[misc]


class KindsOfCountAttacks(Kinds, CountAttacks):
    pass


def test_the_steps_append_corrections_and_retractions_too() -> None:
    """The guide: "``correct`` and ``retract``: a correction (with a replacement drawn
    the same way) or a retraction of a stored record", whatever ``kinds`` says (the
    class docstring: "Corrections and retractions come from their own rules")."""
    Kinds.seen = set()
    run_state_machine_as_test(KindsOfCountAttacks, settings=settings(HUNT, max_examples=30))
    assert Kinds.seen == {"Attack", "PlaceDefined", "Correction", "Retraction"}


# ------------------------------------------------------------------- the cuts


class OverStrictlyBefore(View[tuple[int, ...], int]):
    """Bug: re-applies the certain ``at`` cut with ``<``: an attack whose last
    microsecond is ``at`` is certainly over by then (the engine folds it) but is not
    counted."""

    kinds = frozenset({"Attack"})

    def initial(self) -> tuple[int, ...]:
        return ()

    def apply(self, state: tuple[int, ...], recorded: Recorded) -> tuple[int, ...]:
        return (*state, recorded.record.occurred.last)

    def result(self, state: tuple[int, ...], query: Query) -> int:
        if query.at is None or not query.certain:
            return len(state)
        return sum(last < query.at for last in state)  # the bug: <= was due


class OverStrictlyBeforeMachine(TimelineMachine):
    view = OverStrictlyBefore
    kinds = (Attack,)
    saves_checkpoints = False  # more steps left for ``check``
    model = staticmethod(count_attacks)


def test_a_view_off_by_one_at_an_extents_edge_is_caught() -> None:
    """The guide: ``check`` compares "at cuts drawn mostly from the edges of the
    stored records' extents, where off-by-one mistakes live". This view is wrong only
    when ``at`` is the very microsecond an attack ended (cuts drawn anywhere in
    1990..2032 would all but never hit it): ``check`` at that cut fails it, one a
    microsecond later does not, and the cuts ``check`` draws hold every edge of the
    stored extent (its first microsecond, the one before, its last), each drawn often
    enough that 600 draws of any seed miss none (a fixed hunt over whole runs was not
    deterministic across processes)."""
    day = TimeExtent.parse("2020-05-01")
    with driven(OverStrictlyBeforeMachine) as machine:
        machine.append(record=Attack(id="attack-0", occurred="2020-05-01"))
        machine.check(at=_iso(day.last + 1), known_at=None, as_of=None, certainty="certain")
        with pytest.raises(AssertionError, match=r"OverStrictlyBefore \(state\) disagrees"):
            machine.check(at=_iso(day.last), known_at=None, as_of=None, certainty="certain")
        cuts = drawn_cuts(machine, 600)
        assert {_iso(day.lo - 1), _iso(day.lo), _iso(day.last)} <= cuts


def drawn_cuts(machine: TimelineMachine, examples: int) -> set[str | None]:
    """The cuts ``check`` draws for ``machine`` over ``examples`` derandomized draws."""
    out: set[str | None] = set()

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None)
    @given(_cuts(machine))
    def collect(cut: str | None) -> None:
        out.add(cut)

    collect()
    return out
