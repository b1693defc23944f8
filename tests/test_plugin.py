"""The hypothesis plugin: ``st.from_type`` knows our types with no setup.

The first test runs a fresh interpreter (the project's own, so no new virtualenv)
that never imports conflict_timeline for its side effects: importing hypothesis must
load our plugin through the ``hypothesis`` entry point, and then
``st.from_type(Attack)`` and ``st.builds`` over our types just work.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.vendor.pretty import pretty

from conflict_timeline import (
    AnyRecord,
    Attack,
    Condition,
    Coordinates,
    Figure,
    Record,
    Source,
    Statement,
    TimeExtent,
)
from conflict_timeline._records import RECORD_KINDS

FRESH_PROCESS = textwrap.dedent(
    """
    import sys
    import warnings
    from importlib.metadata import entry_points

    # .example() is meant for the REPL and warns elsewhere; it is what we show here.
    warnings.filterwarnings("ignore", message="The `.example")

    import hypothesis  # loads every plugin registered under the "hypothesis" group

    ours = [ep for ep in entry_points(group="hypothesis") if ep.value.startswith("conflict_")]
    assert [ep.value for ep in ours] == ["conflict_timeline._hypothesis_plugin:_register"]
    assert "conflict_timeline._hypothesis_plugin" in sys.modules, "plugin not loaded"

    import dataclasses
    from hypothesis import strategies as st
    from conflict_timeline import Attack, Source, TimeExtent

    # The drawing machinery (behind conflict_timeline.strategies) waits for a draw.
    assert "conflict_timeline._drawing" not in sys.modules
    assert "conflict_timeline.strategies" not in sys.modules
    attack = st.from_type(Attack).example()
    assert isinstance(attack, Attack), attack

    @dataclasses.dataclass
    class Incident:
        attack: Attack
        when: TimeExtent
        source: Source

    incident = st.builds(Incident).example()
    assert isinstance(incident.attack, Attack) and isinstance(incident.when, TimeExtent)
    # One of our records built with some fields given: the others drawn from their
    # types, before anything else (cattrs) has resolved them.
    from conflict_timeline import Statement
    said = st.builds(Statement, id=st.just("s"), speaker=st.just("a"), summary=st.just("t"))
    assert isinstance(said.example().occurred, TimeExtent)
    print("ok", type(attack).__name__, type(incident).__name__)
    """
)


def test_a_fresh_interpreter_gets_from_type_through_the_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok Attack Incident"
    assert done.stderr == ""


@pytest.mark.parametrize("kind", RECORD_KINDS, ids=[k.__name__ for k in RECORD_KINDS])
@given(data=st.data())
def test_from_type_draws_each_record_kind(kind: type[Record], data: st.DataObject) -> None:
    assert type(data.draw(st.from_type(kind))) is kind


@given(record=st.from_type(Record), union=st.from_type(AnyRecord))  # type: ignore[arg-type]
def test_from_type_of_the_base_class_and_the_union_draws_records(record: Any, union: Any) -> None:
    assert isinstance(record, RECORD_KINDS)
    assert isinstance(union, RECORD_KINDS)


@given(
    extent=st.from_type(TimeExtent),
    source=st.from_type(Source),
    figure=st.from_type(Figure),
    point=st.from_type(Coordinates),
    condition=st.from_type(Condition),
)
def test_from_type_draws_the_values_records_hold(
    extent: TimeExtent, source: Source, figure: Figure, point: Coordinates, condition: Condition
) -> None:
    """Inferred from annotations, these would be NaN latitudes and blank ids."""
    assert isinstance(extent, TimeExtent)
    assert source.publisher.strip()
    assert any(v is not None for v in (figure.low, figure.best, figure.high))
    assert -90 <= point.lat <= 90
    assert condition.attack_within or condition.against  # a condition names a test


@dataclasses.dataclass
class Claim:
    record: Attack
    seen_in: Source


@given(st.builds(Claim), st.builds(Statement, id=st.just("statement-1"), speaker=st.just("a"),
                                   summary=st.just("talks")))  # fmt: skip
def test_builds_fills_in_our_types(claim: Claim, statement: Statement) -> None:
    """Our types inside yours, or our records with their ids and texts given."""
    assert isinstance(claim.record, Attack)
    assert isinstance(claim.seen_in, Source)
    assert isinstance(statement.occurred, TimeExtent)


def test_falsifying_examples_print_only_what_matters() -> None:
    attack = Attack(
        id="attack-0",
        occurred=TimeExtent.parse("2020-01-01", tz="Asia/Yerevan"),
        sources=(Source(publisher="Reuters", published="2020-01-02"),),
        place="place-0",
    )
    # Defaults go, and so does ``reported``, which the source's date implies.
    assert pretty(attack) == (
        "Attack(id='attack-0',\n"
        "       occurred=TimeExtent.parse('2020-01-01', tz='Asia/Yerevan'),\n"
        "       sources=(Source(publisher='Reuters',\n"
        "                       published=TimeExtent.parse('2020-01-02', tz='UTC')),),\n"
        "       place='place-0')"
    )
    assert pretty(Statement(id="s", occurred="2020", speaker="a", summary="x")) == (
        "Statement(id='s',\n"
        "          occurred=TimeExtent.parse('2020', tz='UTC'),\n"
        "          speaker='a',\n"
        "          summary='x')"
    )
