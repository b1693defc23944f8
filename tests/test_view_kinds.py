"""A view's ``kinds``: checked when the view is first folded, whatever the store.

The rule (docs/explanation/views.md, "What a view is"): ``kinds`` is None (every
kind) or a collection of record kind names; a record class stands for its name
(``Attack`` for ``"Attack"``). Anything else (a name that is no record kind, a
string instead of a set of them, a class that is no record kind, a lone class) is a
`QueryError` naming the view, the value and the known kinds, when the view is first
folded, as a bad ``glimpses`` declaration is; it never folds nothing silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import immutables
import pytest

from conflict_timeline import (
    Attack,
    Glimpse,
    MemoryStore,
    QueryError,
    Recorded,
    SQLiteStore,
    Statement,
    Timeline,
    View,
)
from rule_kit import TWO_STATES, clock, wire

# Every record kind, written out by hand (sorted), as the error lists them.
KNOWN = (
    "Accusation, ActorDefined, Agreement, Attack, CasualtyReport, Commitment, "
    "CommitmentEnded, Confirmation, ControlChanged, Correction, Denial, Observation, "
    "PlaceDefined, Request, Retraction, Statement"
)


def _attack(aid: str) -> Attack:
    return Attack(id=aid, occurred="2020-02-01", sources=wire("2020-02-01"), perpetrator="north")


RECORDS = (
    *TWO_STATES,  # four actors
    _attack("raid-1"),
    _attack("raid-2"),
    Statement(
        id="words",
        occurred="2020-02-02",
        sources=wire("2020-02-02"),
        speaker="north",
        summary="We hold",
    ),
)


def _counting(kinds: Any) -> type[View[int, int]]:
    """A view counting the records it is given, reading ``kinds``."""

    class Count(View[int, int]):
        def initial(self) -> int:
            return 0

        def apply(self, state: int, recorded: Recorded) -> int:
            return state + 1

    Count.kinds = kinds
    return Count


def _timelines(tmp_path: Path) -> list[Timeline]:
    memory = Timeline(MemoryStore(clock=clock))
    memory.append(*RECORDS)
    sqlite = Timeline(SQLiteStore(tmp_path / "t.db", clock=clock))
    sqlite.append(*RECORDS)
    return [memory, sqlite]


@pytest.mark.parametrize(
    ("kinds", "message"),
    [
        (
            frozenset({"Attacks"}),
            (
                "Count.kinds: 'Attacks' is not a record kind (did you mean 'Attack'?); "
                f"the kinds are: {KNOWN}"
            ),
        ),
        (
            frozenset({"attack"}),
            (
                "Count.kinds: 'attack' is not a record kind (did you mean 'Attack'?); "
                f"the kinds are: {KNOWN}"
            ),
        ),
        (
            frozenset({"Raid"}),
            f"Count.kinds: 'Raid' is not a record kind; the kinds are: {KNOWN}",
        ),
        (
            {"Attack", "Statment"},
            f"Count.kinds: 'Statment' is not a record kind; the kinds are: {KNOWN}",
        ),
        (
            "Attack",
            (
                "Count.kinds is the string 'Attack', not a set of record kinds: "
                "write frozenset({'Attack'})"
            ),
        ),
        (
            Attack,
            (
                "Count.kinds must be a set of record kind names (or None: all), got "
                f"{Attack!r}: write frozenset({{'Attack'}})"
            ),
        ),
        (
            frozenset({int}),
            f"Count.kinds: <class 'int'> is not a record kind; the kinds are: {KNOWN}",
        ),
        (3, "Count.kinds must be a set of record kind names (or None: all), got 3"),
    ],
    ids=["plural", "lower-case", "unknown", "one-typo", "string", "lone-class", "int", "3"],
)
def test_a_kinds_declaration_is_checked_when_the_view_is_first_folded(
    tmp_path: Path, kinds: Any, message: str
) -> None:
    view = _counting(kinds)  # defining the view is not folding it: no error yet
    for tl in _timelines(tmp_path):
        with pytest.raises(QueryError) as caught:
            tl.state(view)
        assert str(caught.value) == message


@pytest.mark.parametrize(
    ("kinds", "folded"),
    [
        (None, 7),  # every record: four actors, two attacks, a statement
        (frozenset({"Attack"}), 2),
        (frozenset({Attack}), 2),  # a record class stands for its name
        (["Attack", Attack], 2),
        ((Attack, "Statement"), 3),
        (frozenset(), 0),
    ],
    ids=["None", "names", "classes", "list-of-both", "tuple", "empty"],
)
def test_kinds_may_be_names_or_record_classes(tmp_path: Path, kinds: Any, folded: int) -> None:
    for tl in _timelines(tmp_path):
        assert tl.state(_counting(kinds)) == folded


def test_a_glimpse_view_may_read_a_kind_given_as_its_class(tmp_path: Path) -> None:
    """Its glimpses are checked against its kinds read as names."""

    class Perpetrators(View[tuple[str, ...], tuple[str, ...]]):
        kinds = frozenset({Attack})  # type: ignore[arg-type]  # run time takes classes
        glimpses = immutables.Map({"Attack": ("perpetrator",)})

        def initial(self) -> tuple[str, ...]:
            return ()

        def apply(self, state: tuple[str, ...], recorded: Recorded) -> tuple[str, ...]:
            record = recorded.record
            assert isinstance(record, Attack)
            return (*state, str(record.perpetrator))

        def apply_glimpse(self, state: tuple[str, ...], glimpse: Glimpse) -> tuple[str, ...]:
            return (*state, str(glimpse.values[0]))

    for tl in _timelines(tmp_path):
        assert tl.state(Perpetrators) == ("north", "north")
