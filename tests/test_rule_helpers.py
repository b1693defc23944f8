"""The shared rule helpers of ``views/_rules.py`` and the casualty table, pinned directly.

The views call these helpers behind cheaper filters of their own (the commitments
indexed by party, the lapsed ones dropped first), so a wrong helper can hide behind
them. Each expectation is written from the rule as docs/explanation/violations.md
("The rules, precisely": active time, bound parties) and the helpers' docstrings
state it. Found unpinned by the fifth mutation run (docs/testing.md).
"""

from __future__ import annotations

import itertools
from typing import Any

import attrs
import immutables
import pendulum
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    ActorDefined,
    Attack,
    CasualtyEstimates,
    CasualtyReport,
    Commitment,
    CommitmentEnded,
    Correction,
    Figure,
    PlaceDefined,
    Prohibition,
    Recorded,
    Retraction,
    Scope,
    Source,
    TargetClass,
    TimeExtent,
    Timeline,
)
from conflict_timeline._geography import Geography
from conflict_timeline.errors import InvalidRecordError
from conflict_timeline.stores._base import latest_fixes
from conflict_timeline.views._rules import (
    _Memo,
    bound,
    certainly_during,
    covered_targets,
    in_scope,
    lapsed,
    possibly_during,
    prohibited,
)
from conflict_timeline.views.violations import _weigh


def _t(text: str) -> TimeExtent:
    return TimeExtent.parse(text)


def _pledge(until: str | None = None, effective: str = "2020-03-01") -> Commitment:
    fields: dict[str, Any] = {
        "id": "truce",
        "occurred": effective,
        "commitment_kind": "ceasefire",
        "parties": ("north",),
        "prohibits": ("attacks_on_civilians",),
    }
    if until is not None:
        fields["until"] = until
    return Commitment(**fields)


def _end(when: str) -> CommitmentEnded:
    return CommitmentEnded(id="end", occurred=when, commitment="truce", reason="withdrawn")


# ------------------------------------------------------------------ active time


def test_possibly_during_from_effective_to_the_last_instant_of_until() -> None:
    pledge = _pledge(until="2020-03-10")
    assert not possibly_during(_t("2020-02-29"), pledge, None)
    assert possibly_during(_t("2020-03"), pledge, None)  # a month reaching into it
    assert possibly_during(_t("2020"), pledge, None)
    assert possibly_during(_t("2020-03-01"), pledge, None)
    assert possibly_during(_t("2020-03-10"), pledge, None)
    # The last instant of `until` is still in; the next is not.
    assert possibly_during(_t("2020-03-10T23:59:59.999999Z"), pledge, None)
    assert not possibly_during(_t("2020-03-11"), pledge, None)
    assert not possibly_during(_t("2020-04"), pledge, None)


def test_possibly_during_up_to_the_last_instant_of_the_end() -> None:
    pledge = _pledge()
    ended = _end("2020-03-10")
    assert possibly_during(_t("2020-03-10"), pledge, ended)
    assert possibly_during(_t("2020-03-10T23:59:59.999999Z"), pledge, ended)
    assert not possibly_during(_t("2020-03-11"), pledge, ended)
    assert possibly_during(_t("2021-03-11"), pledge, None)  # no end, no until


def test_certainly_during_needs_the_whole_extent_inside() -> None:
    pledge = _pledge(until="2020-03-10")
    assert certainly_during(_t("2020-03-02"), pledge, None)
    # `effective` is a day: the pledge may begin at its last instant, no earlier.
    assert certainly_during(_t("2020-03-01T23:59:59.999999Z"), pledge, None)
    assert not certainly_during(_t("2020-03-01T23:59:59.999998Z"), pledge, None)
    assert not certainly_during(_t("2020-03-01"), pledge, None)
    assert not certainly_during(_t("2020-03"), pledge, None)  # the month may reach after
    assert not certainly_during(_t("2020-03-10"), pledge, None)  # `until` itself
    assert not certainly_during(_t("2020-03-10T00:00:00Z"), pledge, None)  # its first instant
    assert certainly_during(_t("2020-03-09T23:59:59.999999Z"), pledge, None)
    open_ended = _pledge()
    ended = _end("2020-03-10")
    assert certainly_during(_t("2020-03-09"), open_ended, ended)
    assert not certainly_during(_t("2020-03-10"), open_ended, ended)
    assert not certainly_during(_t("2020-03-10T00:00:00Z"), open_ended, ended)
    assert certainly_during(_t("2020-03-10"), open_ended, None)
    assert certainly_during(_t("2030-01-01"), open_ended, None)


# --------------------------------------------------------------- bound parties


def test_an_actor_is_bound_when_it_or_what_it_is_affiliated_with_is_a_party() -> None:
    geo = Geography.of(
        [
            ActorDefined(id="north", name="North", actor_kind="state"),
            ActorDefined(
                id="north-army", name="North army", actor_kind="armed_force", affiliation="north"
            ),
            ActorDefined(id="south", name="South", actor_kind="state"),
        ]
    )
    pledge = _pledge()
    assert bound(pledge, ["north"], geo)
    assert bound(pledge, ["north-army"], geo)
    assert bound(pledge, [None, "south", "north-army"], geo)
    assert not bound(pledge, ["south"], geo)
    assert not bound(pledge, ["stranger"], geo)
    assert not bound(pledge, [None], geo)
    assert not bound(pledge, [], geo)


# ------------------------------------------------------------ prohibited targets

# As the Prohibition docstring states it: any attack covers every target class, attacks
# on civilians the civilian and mixed ones, attacks on civilian objects infrastructure
# and mixed; unknown only by any attack.
_FORBIDS = {
    "any_attack": {"civilian", "military", "infrastructure", "mixed", "unknown"},
    "attacks_on_civilians": {"civilian", "mixed"},
    "attacks_on_civilian_objects": {"infrastructure", "mixed"},
}


def test_a_commitment_forbids_the_target_classes_of_any_of_its_prohibitions() -> None:
    for size in range(len(_FORBIDS) + 1):
        for prohibits in itertools.combinations(sorted(_FORBIDS), size):
            pledge = Commitment(
                id="truce",
                occurred="2020-03-01",
                commitment_kind="ceasefire",
                parties=("north",),
                prohibits=prohibits,
            )
            want = set().union(*(_FORBIDS[p] for p in prohibits))
            assert covered_targets(pledge) == want, prohibits
    # Remembered per commitment, not per id: a corrected pledge (the same id, other
    # prohibitions) gets its own answer, and the first keeps its own.
    narrow = _pledge()
    wide = attrs.evolve(narrow, prohibits=(Prohibition.ANY_ATTACK,))
    assert covered_targets(narrow) == {"civilian", "mixed"}
    assert covered_targets(wide) == _FORBIDS["any_attack"]
    assert covered_targets(narrow) == {"civilian", "mixed"}
    # A commitment gone, another made in its memory (the same ``id()``) is asked
    # afresh: made and dropped in turn, each is answered by its own prohibitions.
    for i in range(200):
        prohibits = ("any_attack",) if i % 2 else ("attacks_on_civilian_objects",)
        made = Commitment(
            id=f"truce-{i}",
            occurred="2020-03-01",
            commitment_kind="ceasefire",
            parties=("north",),
            prohibits=prohibits,
        )
        assert covered_targets(made) == _FORBIDS[prohibits[0]], i
        del made


# ------------------------------------------- one commitment weighed against an attack

_GEO = Geography()
for _place in (
    PlaceDefined(id="land", name="Land", place_kind="country"),
    PlaceDefined(id="north", name="North", place_kind="region", parent="land"),
    PlaceDefined(id="town", name="Town", place_kind="city", parent="north"),
    PlaceDefined(id="south", name="South", place_kind="region", parent="land"),
):
    _GEO = _GEO.with_record(_place)

_DAYS = st.integers(min_value=1, max_value=28).map(lambda d: f"2020-03-{d:02d}")
# Days, months, and instants that can fall on the very bounds of others (the rules'
# comparisons at their edges: an attack at the instant an end or a start lies).
_WHEN = st.one_of(
    _DAYS,
    st.sampled_from(["2020-02", "2020-03", "2020-04"]),
    st.sampled_from(["2020-03-10T12:00:00+00:00", "2020-03-20T00:00:00+00:00"]),
)
_PLACES = st.sampled_from([None, "land", "north", "town", "south", "nowhere"])


@settings(max_examples=300, deadline=None)
@given(
    effective=_WHEN,
    until=st.one_of(st.none(), _WHEN),
    ended=st.one_of(st.none(), _WHEN),
    occurred=_WHEN,
    target=st.sampled_from([t.value for t in TargetClass]),
    prohibits=st.lists(st.sampled_from(sorted(_FORBIDS)), min_size=1, max_size=3, unique=True),
    include=st.lists(_PLACES.filter(bool), max_size=2, unique=True),
    exclude=st.lists(_PLACES.filter(bool), max_size=1, unique=True),
    place=_PLACES,
)
def test_a_commitment_weighed_against_an_attack_follows_the_rule_helpers(  # noqa: PLR0917
    effective: str,
    until: str | None,
    ended: str | None,
    occurred: str,
    target: str,
    prohibits: list[str],
    include: list[str],
    exclude: list[str],
    place: str | None,
) -> None:
    """The violations fold weighs each live commitment binding an attack's makers in
    one function: None when it lapsed or ended before the attack began, else whether
    it covers the attack; that is the helpers pinned above, together."""
    fields: dict[str, Any] = {
        "id": "truce",
        "occurred": effective,
        "commitment_kind": "ceasefire",
        "parties": ("north-forces",),
        "prohibits": tuple(prohibits),
        "scope": Scope(include=tuple(include), exclude=tuple(exclude)),
    }
    if until is not None:
        fields["until"] = until
    try:
        pledge = Commitment(**fields)
    except InvalidRecordError:  # ``until`` before it takes effect: refused
        assume(False)
    end = None if ended is None else _end(ended)
    attack = Attack(
        id="a1",
        occurred=occurred,
        perpetrator="north-forces",
        target_class=target,
        place=place,
        sources=(Source(publisher="Wire"),),
    )
    want = (
        None
        if lapsed(pledge, end, attack.occurred.lo)
        else possibly_during(attack.occurred, pledge, end)
        and prohibited(pledge, attack)
        and in_scope(pledge.scope, attack.place, _GEO)
    )
    assert _weigh(pledge, end, attack, _GEO) is want


# ------------------------------------------------------------------------ memo


def test_a_maps_values_are_computed_once_per_key() -> None:
    memo: _Memo[tuple[str, int]] = _Memo()
    source = immutables.Map({"a": 1})
    calls: list[str] = []

    def compute(key: str) -> tuple[str, int]:
        calls.append(key)
        return (key, len(calls))

    assert memo.get(source, "x", compute) == ("x", 1)
    assert memo.get(source, "x", compute) == ("x", 1)
    assert memo.get(source, "y", compute) == ("y", 2)
    assert calls == ["x", "y"]
    other = immutables.Map({"a": 1})  # equal but not the same map: its own values
    assert memo.get(other, "x", compute) == ("x", 3)
    assert memo.get(source, "x", compute) == ("x", 1)


def test_a_dict_is_never_memoised_for_it_could_change() -> None:
    memo: _Memo[tuple[str, int]] = _Memo()
    source: dict[str, int] = {}
    assert memo.get(source, "x", lambda k: (k, len(source))) == ("x", 0)
    source["a"] = 1
    assert memo.get(source, "x", lambda k: (k, len(source))) == ("x", 1)


# ------------------------------------------------------------ the casualty table


def test_a_casualty_estimate_fills_the_table_columns_in_order() -> None:
    timeline = Timeline()
    timeline.append(
        *[
            CasualtyReport(
                id="r1",
                occurred="2020-03",
                reported="2020-04-02",
                category="civilian",
                measure="killed",
                count=Figure(low=1, best=2, high=3),
                sources=(Source(publisher="Monitor"),),
            ),
        ]
    )
    # No actor named: the claimant is the first source's publisher.
    (estimate,) = timeline.state(CasualtyEstimates, at="2020-05-01")
    assert estimate.claimant == "Monitor"
    row = estimate.table_row()
    assert len(row) == len(estimate.table_columns) == 7
    assert row[:4] == ("Monitor", "civilian", "killed", "")
    assert "2" in row[4]
    assert row[5] == str(_t("2020-03"))


# ------------------------------------------------------------- which fix wins


def _fix(fid: str, reported: str | None, *, retract: bool = False, at: int = 1) -> Recorded:
    """A correction (or retraction) of record "a", as stored at position ``at``."""
    record: Correction | Retraction
    if retract:
        record = Retraction(id=fid, occurred="2020-01-01", retracts="a", reported=reported)
    else:
        replacement = Attack(id="a", occurred="2020-01-01", reported="2020-01-01")
        record = Correction(
            id=fid, occurred="2020-01-01", corrects="a", replacement=replacement, reported=reported
        )
    stamp = pendulum.datetime(2024, 1, 1, tz="UTC").add(seconds=at)
    return Recorded(position=at, recorded_at=stamp, hash="0" * 64, record=record)


def test_the_fix_known_latest_wins_then_the_longer_known_then_the_larger_id() -> None:
    """three-clocks.md: among a record's corrections and retractions, the one reported
    latest acts (a tie goes to the larger id), whatever order they were stored in;
    ``reported`` compares by its start, then its end (``fix_rank``). A fix with no
    report of its own is known from when it was stored."""
    later = _fix("fix-1", "2020-01-05T12:00:00Z", retract=True)
    day = _fix("fix-2", "2020-01-05")  # starts at midnight: earlier than `later`
    midnight = _fix("fix-3", "2020-01-05T00:00:00Z")  # the day's start, ends sooner
    early = _fix("fix-9", "2020-01-03")
    twin_a, twin_b = _fix("fix-a", "2020-01-04"), _fix("fix-b", "2020-01-04")
    unreported = _fix("fix-0", None, at=7)  # known in 2024, when it was stored
    cases = [
        ([early, day], "fix-2"),
        ([day, later], "fix-1"),
        ([day, midnight], "fix-2"),
        ([twin_a, twin_b], "fix-b"),
        ([later, unreported], "fix-0"),
        (
            [early, Recorded(2, later.recorded_at, "0" * 64, Attack(id="b", occurred="2020"))],
            "fix-9",
        ),
    ]
    for fixes, winner in cases:
        for order in itertools.permutations(fixes):
            assert latest_fixes(order)["a"].id == winner, [f.id for f in order]
