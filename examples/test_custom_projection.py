"""Testing your own projection with conflict_timeline's hypothesis tools.

Run it with pytest (``pytest examples/test_custom_projection.py``); it is the guide
"Testing your projections" (docs/guides/testing-projections.md) as a test module:

* ``AttacksByPlaceAndMonth``, a view: how many attacks each place saw, per month (the
  month the attack began, in the timezone the source stated it in);
* property tests with the shipped strategies and ``st.from_type``;
* ``AttacksMachine``, a ``TimelineMachine`` that checks the view against a plain model
  while records are appended, corrected and retracted;
* a buggy variant that takes the month in UTC, which the machine catches: its test
  is marked as an expected failure (``pytest --runxfail`` shows the story).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

import immutables
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

from conflict_timeline import (
    AnyRecord,
    Attack,
    PlaceDefined,
    Query,
    Recorded,
    TimeExtent,
    Timeline,
    View,
)
from conflict_timeline.strategies import timelines
from conflict_timeline.testing import TimelineMachine

Key = tuple[str | None, str]  # (place id, or None when unknown; "YYYY-MM")
Counts = immutables.Map[Key, int]

# Drawing a whole history can outlast hypothesis' default 200 ms deadline on a busy
# machine; these tests are about results, not speed. The machine runs are small, so
# the file runs in seconds: raise them in CI.
PROPERTY_SETTINGS = settings(deadline=None)
MACHINE_SETTINGS = settings(max_examples=30, stateful_step_count=15, deadline=None)
# Hunting a known bug: a run stops at the first failure, so room to search costs
# nothing while the bug is there, and makes missing it (an XPASS) vanishingly rare.
BUG_HUNT = settings(MACHINE_SETTINGS, max_examples=200)


def month_of(extent: TimeExtent) -> str:
    """The month an extent begins in, read in the timezone it was stated in."""
    return extent.earliest.in_timezone(extent.tz).format("YYYY-MM")


class AttacksByPlaceAndMonth(View[Counts, dict[Key, int]]):
    """How many attacks each place saw, by month."""

    kinds: ClassVar[frozenset[str] | None] = frozenset({"Attack"})  # skip other records

    def initial(self) -> Counts:
        return immutables.Map()

    def apply(self, state: Counts, recorded: Recorded) -> Counts:
        attack = recorded.record
        assert isinstance(attack, Attack)
        key = (attack.place, month_of(attack.occurred))
        return state.set(key, state.get(key, 0) + 1)

    def result(self, state: Counts, query: Query) -> dict[Key, int]:
        return dict(state)


def attacks_by_place_and_month(records: Sequence[AnyRecord], query: Query) -> dict[Key, int]:
    """The model: the same numbers, counted the slow, obvious way."""
    attacks = [r for r in records if isinstance(r, Attack)]
    return dict(Counter((a.place, month_of(a.occurred)) for a in attacks))


# ---------------------------------------------------- with the shipped strategies


@PROPERTY_SETTINGS
@given(timelines(kinds=[PlaceDefined, Attack]))
def test_every_attack_is_counted_once(records: list[AnyRecord]) -> None:
    timeline = Timeline()
    timeline.extend(records)
    counts = timeline.state(AttacksByPlaceAndMonth)
    assert sum(counts.values()) == sum(isinstance(r, Attack) for r in records)


@PROPERTY_SETTINGS
@given(st.from_type(Attack))
def test_the_month_contains_the_start_of_the_attack(attack: Attack) -> None:
    month = TimeExtent.parse(month_of(attack.occurred), tz=attack.occurred.tz)
    assert month.lo <= attack.occurred.lo <= month.last


# ------------------------------------------------------- with the state machine


class AttacksMachine(TimelineMachine):
    view = AttacksByPlaceAndMonth
    kinds = (PlaceDefined, Attack)
    model = staticmethod(attacks_by_place_and_month)


TestAttacksByPlaceAndMonth = AttacksMachine.TestCase
TestAttacksByPlaceAndMonth.settings = MACHINE_SETTINGS


# ------------------------------------------------------------ and a buggy view


class AttacksByPlaceAndUTCMonth(AttacksByPlaceAndMonth):
    """Buggy: takes the month in UTC, so an attack on 1 January in Yerevan (UTC+4),
    which began at 20:00 UTC on 31 December, counts for December."""

    def apply(self, state: Counts, recorded: Recorded) -> Counts:
        attack = recorded.record
        assert isinstance(attack, Attack)
        key = (attack.place, attack.occurred.earliest.format("YYYY-MM"))
        return state.set(key, state.get(key, 0) + 1)


class UTCMonthMachine(AttacksMachine):
    view = AttacksByPlaceAndUTCMonth


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="the machine catches the bug")
def test_the_machine_catches_months_taken_in_utc() -> None:
    run_state_machine_as_test(UTCMonthMachine, settings=BUG_HUNT)
