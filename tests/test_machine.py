"""TimelineMachine: passes a right view, catches wrong ones with a short story.

The machine's oracle (``visible_records``) is checked against the replay engine with
an order-sensitive view over every record kind; then the machine must accept a
correct view, written with its model as a function or a method, on memory and on
SQLite, and must reject views with the mistakes users make: shared mutable state,
a ``kinds`` that leaves out what the result needs.
"""

from __future__ import annotations

import collections
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import invariant, run_state_machine_as_test

from conflict_timeline import (
    ActorDefined,
    AnyRecord,
    Attack,
    Correction,
    PlaceDefined,
    Query,
    QueryError,
    Recorded,
    Retraction,
    Source,
    SQLiteStore,
    Store,
    Timeline,
    UnsourcedRecordWarning,
    View,
)
from conflict_timeline.testing import TimelineMachine

SMALL = settings(
    # No explain phase: it re-runs the failure under a tracer, slowly, to annotate it.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    max_examples=12,
    stateful_step_count=10,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


class AttackCount(View[int, int]):
    """How many attacks have happened."""

    kinds = frozenset({"Attack"})

    def initial(self) -> int:
        return 0

    def apply(self, state: int, recorded: Recorded) -> int:
        return state + 1


def count_attacks(records: Sequence[AnyRecord], query: Query) -> int:
    return sum(isinstance(r, Attack) for r in records)


class CountAttacks(TimelineMachine):
    view = AttackCount
    kinds = (Attack, PlaceDefined)
    model = count_attacks  # a plain function, not a method: it gets no ``self``


# Hunting a bug: a run stops at the first failure, so many examples cost nothing while
# the bug is there, and make missing it vanishingly rare.
HUNT = settings(SMALL, max_examples=200, derandomize=True)  # one search: no flakes


def failure_story(machine: type[TimelineMachine]) -> tuple[str, str]:
    """The assertion message and the shrunk steps hypothesis reports."""
    with pytest.raises(AssertionError) as caught:
        run_state_machine_as_test(machine, settings=HUNT)
    return str(caught.value), "\n".join(getattr(caught.value, "__notes__", ()))


# ---------------------------------------------------------------- the oracle


class ReplayOrder(View[tuple[tuple[str, Any], ...], tuple[tuple[str, Any], ...]]):
    """Every record it is given, in the order it is given them."""

    def initial(self) -> tuple[tuple[str, Any], ...]:
        return ()

    def apply(
        self, state: tuple[tuple[str, Any], ...], recorded: Recorded
    ) -> tuple[tuple[str, Any], ...]:
        return (*state, (recorded.id, recorded.record))


class ReplayOrderMachine(TimelineMachine):
    view = ReplayOrder

    def model(self, records: Sequence[AnyRecord], query: Query) -> Any:
        return tuple((r.id, r) for r in records)


def test_the_oracle_sees_what_the_engine_replays_in_the_same_order() -> None:
    """Every kind, with corrections and retractions, at every kind of cut."""
    run_state_machine_as_test(
        ReplayOrderMachine, settings=settings(SMALL, max_examples=40, stateful_step_count=20)
    )


def test_the_model_knows_a_sourceless_replacement_from_when_its_original_was_stored() -> None:
    """three-clocks.md: a replacement with no ``reported`` and no dated source is known
    from when the store accepted the record it replaces (its ``recorded_at``), not at
    that record's report. Here that is today, after the place's report of 2020-01-01,
    so the corrected attack replays after the place it tied with on ``occurred``.
    (Found by a run of the machine: its model used to sort such a replacement by the
    original's report, 2020-01-01, and put the attack first.)"""
    machine = ReplayOrderMachine()
    machine.append(record=ActorDefined(id="actor-0", name="Armenia", actor_kind="state"))
    dated = (Source(publisher="Reuters", published="2020-01-01"),)
    machine.append(record=Attack(id="attack-0", occurred="2020-01-01", sources=dated))
    place = PlaceDefined(id="place-0", occurred="2020-01-01", name="S", place_kind="country")
    machine.append(record=place)
    replacement = Attack(id="attack-0", occurred="2020-01-01")
    fix = Correction(
        id="correction-0", occurred="2020-01-01", corrects="attack-0", replacement=replacement
    )
    with pytest.warns(UnsourcedRecordWarning):
        machine.correct(correction=fix)
    machine.everything_known()  # raises when the engine and the model disagree
    order = [rid for rid, _ in machine.timeline.state(ReplayOrder)]
    assert order == ["actor-0", "place-0", "attack-0"]
    machine.teardown()


def test_the_oracle_applies_knowledge_time() -> None:
    def src(day: str) -> tuple[Source, ...]:
        return (Source(publisher="Monitor", published=day),)

    tl = Timeline()
    tl.append(
        Attack(id="a", occurred="2020-10-05", sources=src("2020-10-06")),
        Attack(id="b", occurred="2020-10-01", sources=src("2020-10-02")),
    )
    moved = Attack(id="a", occurred="2020-09-01", sources=src("2020-10-06"))
    tl.append(Correction(id="fix", occurred="2020-10-09", sources=src("2020-10-09"),
                         corrects="a", replacement=moved))  # fmt: skip
    tl.append(
        Retraction(id="drop", occurred="2020-10-20", sources=src("2020-10-20"), retracts="b")
    )

    def seen(**cuts: Any) -> list[tuple[str, str]]:
        return [
            (r.id, str(r.record.occurred).split(" ")[0])
            for r in TimelineMachine.visible_records(tl.read(), tl.query(**cuts))
        ]

    assert seen(known_at="2020-10-03") == [("b", "2020-10-01")]
    assert seen(known_at="2020-10-07") == [("b", "2020-10-01"), ("a", "2020-10-05")]
    assert seen(known_at="2020-10-10") == [("a", "2020-09-01"), ("b", "2020-10-01")]
    assert seen(known_at="2020-10-10", at="2020-09-30") == [("a", "2020-09-01")]
    assert seen() == [("a", "2020-09-01")]


# --------------------------------------------------------- correct views pass


def test_a_correct_view_passes() -> None:
    run_state_machine_as_test(CountAttacks, settings=SMALL)


class _StaleLive:
    """A live view that never moves from its first answer."""

    value = 0

    def close(self) -> None:
        pass


def test_a_live_view_that_falls_behind_the_records_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The machine checks the view kept live too, not only the view rebuilt: with a
    live view that never follows the appends, a correct view fails."""
    monkeypatch.setattr(Timeline, "live", lambda self, view: _StaleLive())
    with pytest.raises(AssertionError, match="live view"):
        run_state_machine_as_test(
            CountAttacks, settings=settings(SMALL, max_examples=30, derandomize=True)
        )


class CountAttacksWithAMethod(TimelineMachine):
    view = AttackCount()  # an instance works as well as the class
    kinds = (Attack,)

    def model(self, records: Sequence[AnyRecord], query: Query) -> int:
        assert isinstance(self, TimelineMachine)
        return count_attacks(records, query)

    @invariant()
    def only_the_kinds_asked_for_are_appended(self) -> None:
        assert {type(r) for r in self.records} <= {Attack, Correction, Retraction}


def test_the_model_may_be_a_method_and_kinds_limit_the_appends() -> None:
    run_state_machine_as_test(CountAttacksWithAMethod, settings=SMALL)


class CountAttacksOnSQLite(CountAttacks):
    files: ClassVar[list[Path]] = []

    def make_store(self) -> Store:
        path = self.tempdir() / "timeline.db"
        self.files.append(path)
        return SQLiteStore(path, clock=self.clock)


def test_the_store_hook_runs_the_machine_on_sqlite() -> None:
    run_state_machine_as_test(CountAttacksOnSQLite, settings=settings(SMALL, max_examples=5))
    assert CountAttacksOnSQLite.files
    assert not any(path.parent.exists() for path in CountAttacksOnSQLite.files)


# ---------------------------------------------------------- buggy views fail


class LatestAttack(View[tuple[int, str] | None, str | None]):
    """Bug: "latest" by when the attack was appended, not by when it happened."""

    kinds = frozenset({"Attack"})

    def initial(self) -> tuple[int, str] | None:
        return None

    def apply(self, state: tuple[int, str] | None, recorded: Recorded) -> tuple[int, str]:
        mine = (recorded.position, recorded.id)
        return mine if state is None else max(state, mine)

    def result(self, state: tuple[int, str] | None, query: Query) -> str | None:
        return None if state is None else state[1]


class LatestAttackMachine(TimelineMachine):
    view = LatestAttack
    kinds = (Attack,)

    def model(self, records: Sequence[AnyRecord], query: Query) -> str | None:
        attacks = [r.id for r in records if isinstance(r, Attack)]
        return attacks[-1] if attacks else None


def test_a_view_that_follows_append_order_is_caught_in_two_steps() -> None:
    message, story = failure_story(LatestAttackMachine)
    assert "LatestAttack (state) disagrees with the model" in message
    assert "view:  'attack-1'\n  model: 'attack-0'" in message
    # It takes two appends to show; shrinking is a search, so allow one spare step.
    assert 2 <= story.count("state.append(") <= 3
    assert "state.append(record=Attack(id='attack-1'" in story


class CountByPlaceInPlace(View[dict[str, int], dict[str, int]]):
    """Attacks per place, counted in a dict it changes in place: the engine's earlier
    states (its checkpoints) change with it, and other cuts are answered wrongly."""

    kinds = frozenset({"Attack"})

    def initial(self) -> dict[str, int]:
        return {}

    def apply(self, state: dict[str, int], recorded: Recorded) -> dict[str, int]:
        place = getattr(recorded.record, "place", None) or "unknown"
        state[place] = state.get(place, 0) + 1  # the bug: a new dict was due
        return state


def count_by_place(records: Sequence[AnyRecord], query: Query) -> dict[str, int]:
    out: dict[str, int] = {}
    for record in records:
        if isinstance(record, Attack):
            out[record.place or "unknown"] = out.get(record.place or "unknown", 0) + 1
    return out


class CountByPlaceInPlaceMachine(TimelineMachine):
    view = CountByPlaceInPlace
    kinds = (Attack, PlaceDefined)
    model = count_by_place


def test_a_view_that_changes_its_state_in_place_is_caught_at_the_guides_settings() -> None:
    # The guide's settings (docs/guides/testing-projections.md): 25 examples of 10
    # steps. The mistake shows in answers only for some histories and cuts, but
    # folding any attack changes the state given, which the machine checks directly.
    with pytest.raises(AssertionError) as caught:
        run_state_machine_as_test(
            CountByPlaceInPlaceMachine,
            settings=settings(SMALL, max_examples=25, derandomize=True),
        )
    assert "CountByPlaceInPlace.apply changed the state it was given" in str(caught.value)


class PlacesAndAttacks(View[int, int]):
    """Bug: counts places too, but its ``kinds`` names only attacks."""

    kinds = frozenset({"Attack"})

    def initial(self) -> int:
        return 0

    def apply(self, state: int, recorded: Recorded) -> int:
        return state + 1


class PlacesAndAttacksMachine(TimelineMachine):
    view = PlacesAndAttacks
    kinds = (PlaceDefined, ActorDefined)

    def model(self, records: Sequence[AnyRecord], query: Query) -> int:
        return sum(isinstance(r, Attack | PlaceDefined) for r in records)


def test_a_view_whose_kinds_leave_out_what_it_needs_is_caught() -> None:
    message, story = failure_story(PlacesAndAttacksMachine)
    assert "view:  0\n  model: 1" in message
    assert "PlaceDefined(id='place-0'" in story
    # One append shows it; shrinking is a search, so allow one spare step.
    assert 1 <= story.count("state.append(") <= 2


class CountInACounter(View[collections.Counter[str], int]):
    """Right answers, in a state a saved checkpoint may not hold (a ``Counter``)."""

    kinds = frozenset({"Attack"})

    def initial(self) -> collections.Counter[str]:
        return collections.Counter()

    def apply(
        self, state: collections.Counter[str], recorded: Recorded
    ) -> collections.Counter[str]:
        return state + collections.Counter(attacks=1)

    def result(self, state: collections.Counter[str], query: Query) -> int:
        return state["attacks"]


class CountInACounterMachine(TimelineMachine):
    view = CountInACounter
    kinds = (Attack, PlaceDefined)
    model = count_attacks


def test_a_view_whose_state_cannot_be_saved_is_told_why_unless_it_never_saves() -> None:
    """The machine saves a view's state and reopens from it (``save_checkpoints``,
    ``reopen``): a view whose state cannot be saved fails the run with the reason
    `Timeline.save_checkpoints` gives, and passes once it says it is never saved."""
    with pytest.raises(QueryError, match=r"its state holds collections\.Counter"):
        run_state_machine_as_test(CountInACounterMachine, settings=HUNT)

    class NeverSaved(CountInACounterMachine):
        saves_checkpoints = False

    run_state_machine_as_test(NeverSaved, settings=HUNT)


class Reopened:
    """Counts the comparisons of a timeline reopened from a saved state."""

    reopened = 0

    def compare(self, actual: Any, expected: Any, query: Query, how: str) -> None:
        if how == "reopened":
            Reopened.reopened += 1
        super().compare(actual, expected, query, how)  # type: ignore[misc]


class ReopenedOnMemory(Reopened, CountAttacks):
    pass


class ReopenedOnSQLite(Reopened, CountAttacksOnSQLite):
    pass


@pytest.mark.parametrize("machine", [ReopenedOnMemory, ReopenedOnSQLite])
def test_the_machine_reopens_from_saved_states_on_memory_and_on_sqlite(
    machine: type[TimelineMachine],
) -> None:
    """The reopen step runs (after a save, and after appends since it), on both
    stores, and a right view passes it."""
    Reopened.reopened = 0
    run_state_machine_as_test(machine, settings=settings(HUNT, max_examples=60))
    assert Reopened.reopened > 0


# ------------------------------------------------------------- set-up errors


def test_a_machine_without_a_view_says_so() -> None:
    class NoView(TimelineMachine):
        model = count_attacks

    with pytest.raises(InvalidArgument, match=r"NoView\.view is not set"):
        run_state_machine_as_test(NoView, settings=SMALL)


def test_a_machine_without_a_model_says_so() -> None:
    class NoModel(TimelineMachine):
        view = AttackCount

    with pytest.raises(NotImplementedError, match=r"NoModel must define model"):
        run_state_machine_as_test(NoModel, settings=SMALL)


def test_kinds_of_only_corrections_are_refused() -> None:
    class OnlyFixes(CountAttacks):
        kinds = (Correction,)

    with pytest.raises(InvalidArgument, match="only corrections and retractions"):
        run_state_machine_as_test(OnlyFixes, settings=SMALL)


# -------------------------------------------------------------------- others


def test_certainty_alone_is_a_valid_query() -> None:
    """Found by the machine: certainty="certain" with no cut used to trip an assert."""
    tl = Timeline()
    tl.append(Attack(id="a", occurred="2020-10-05"))
    assert tl.state(AttackCount, certainty="certain") == tl.state(AttackCount) == 1


def test_importing_the_testing_module_does_not_import_hypothesis() -> None:
    code = (
        "import sys, conflict_timeline.testing as t; "
        "assert 'hypothesis' not in sys.modules, 'imported hypothesis'; "
        "t.TimelineMachine; assert 'hypothesis' in sys.modules"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
