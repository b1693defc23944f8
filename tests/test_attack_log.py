"""The log of replayed attacks that `TriggeredCommitments`' states share (the rules
in the docstring of ``conflict_timeline.views._attacklog``), and the fold that uses it.

A log is a persistent sequence: every state sees its first ``count`` entries and
nothing an append does from any state changes them. The model is a plain list per
version; the look-back question ("the entries whose last instant is at or after a
date, in replay order") is answered from the model by a filter.
"""

from __future__ import annotations

from typing import NamedTuple

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    Attack,
    Commitment,
    Condition,
    MemoryStore,
    PlaceDefined,
    Query,
    Timeline,
    TriggeredCommitments,
)
from conflict_timeline.views._attacklog import MAX_DEPTH, AttackLog
from oracles import triggered_commitments
from rule_kit import TWO_STATES, wire


class _Item(NamedTuple):
    name: str
    occ_last: int


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(st.tuples(st.integers(0, 1_000), st.integers(0, 50)), min_size=1, max_size=120),
    probes=st.lists(st.integers(-1, 52), min_size=1, max_size=5),
)
def test_every_version_sees_its_own_entries_whatever_is_appended_after(
    steps: list[tuple[int, int]], probes: list[int]
) -> None:
    empty: AttackLog[_Item] = AttackLog()
    versions: list[tuple[AttackLog[_Item], int, list[_Item]]] = [(empty, 0, [])]
    for n, (pick, last) in enumerate(steps):
        log, count, model = versions[pick % len(versions)]
        item = _Item(f"a{n}", last)
        versions.append((log.appended(count, item), count + 1, [*model, item]))
        # Every version, old and new, still answers from its own entries only.
        for log, count, model in versions:
            for since in probes:
                assert log.reaching(count, since) == [i for i in model if i.occ_last >= since]


def test_a_chain_of_forks_longer_than_the_limit_is_copied_and_answers_the_same() -> None:
    log: AttackLog[_Item] = AttackLog()
    count, model = 0, []
    for n in range(3 * MAX_DEPTH):
        # Append twice from the same state: the second append forks.
        log.appended(count, _Item("dropped", 0))
        item = _Item(f"a{n}", n)
        log, count, model = log.appended(count, item), count + 1, [*model, item]
        assert log.depth <= MAX_DEPTH
        assert log.reaching(count, 0) == model
        assert log.reaching(count, n // 2) == model[n // 2 :]


def test_a_state_cannot_append_before_the_entries_its_log_holds() -> None:
    log: AttackLog[_Item] = AttackLog()
    log = log.appended(0, _Item("a", 1))
    log = log.appended(1, _Item("b", 2))
    fork = log.appended(1, _Item("c", 3))  # a second append after one entry: a fork at 1
    assert fork is not log
    with pytest.raises(ValueError, match="at least 1 entries"):
        fork.appended(0, _Item("d", 4))


PLACES = (
    PlaceDefined(id="land", name="Land", place_kind="country"),
    PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
    PlaceDefined(id="elsewhere", name="Elsewhere", place_kind="country"),
)

# Announced on 1 June, in effect from 1 January: it looks back at every attack
# replayed before it.
PLEDGE = Commitment(
    id="pledge",
    occurred="2020-06-01",
    effective="2020-01-01",
    sources=wire("2020-06-01"),
    commitment_kind="mutual_defense",
    parties=("south",),
    condition=Condition(attack_within=("town",)),
)


def _attack(n: int) -> Attack:
    """The n-th attack appended: on days 1, 0, 3, 2, 5, 4, ... from 1 January, so each
    second one lands just before the one appended before it."""
    day = pendulum.date(2020, 1, 1).add(days=n + 1 - 2 * (n % 2)).isoformat()
    return Attack(
        id=f"raid-{n:02}",
        occurred=day,
        sources=wire(day),
        perpetrator="north-army",
        place=("town", "land", "elsewhere")[n % 3],
        target_class="military",
    )


def test_attacks_appended_into_the_past_one_by_one_are_weighed_as_a_fresh_fold_would() -> None:
    """Every second attack lands before the one appended just before it: the fold
    resumes from a checkpoint made by the previous refold, so the logs fork on forks
    (past `MAX_DEPTH`); the pledge's look-back and every at-date answer stay those
    of the rules."""
    tl = Timeline(MemoryStore(), checkpoint_every=2)
    tl.append(*TWO_STATES, *PLACES, PLEDGE)
    live = tl.live(TriggeredCommitments)
    dates = ("2020-01-10", "2020-05-31", "2020-06-01", None)
    for n in range(4 * MAX_DEPTH):
        tl.append(_attack(n))
        envelopes = list(tl.read())
        for at in dates:
            query = Query(at=None if at is None else pendulum.parse(at).int_timestamp * 10**6)
            expected = triggered_commitments(envelopes, query)
            assert tuple(tl.state(TriggeredCommitments, at=at)) == expected, (n, at)
        assert tuple(live.value) == triggered_commitments(envelopes, Query())
    found = tl.state(TriggeredCommitments)
    (trigger,) = found
    in_town = [n for n in range(4 * MAX_DEPTH) if n % 3 == 0]
    assert trigger.attacks == tuple(
        f"raid-{n:02}" for n in sorted(in_town, key=lambda n: n + 1 - 2 * (n % 2))
    )
