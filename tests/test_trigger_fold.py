"""The fold behind `TriggeredCommitments`, piece by piece against plain models: the
log of replayed attacks its states share (the rules in the docstring of
``conflict_timeline.views._attacklog``) and the fold's look-backs through it, and the
quick test of a condition against the rule that puts its failures into words.

A log is a persistent sequence: every state sees its first ``count`` entries and
nothing an append does from any state changes them. The model is a plain list per
version; the look-back question ("the entries whose last instant is at or after a
date, in replay order") is answered from the model by a filter.
"""

from __future__ import annotations

import copy
import pickle
import sys
import threading
from collections.abc import Callable
from typing import NamedTuple

import attrs
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
    Scope,
    Timeline,
    TriggeredCommitments,
)
from conflict_timeline.views._attacklog import MAX_DEPTH, AttackLog
from conflict_timeline.views._triggers import Seen, meets, reason
from oracles import triggered_commitments
from rule_kit import TWO_STATES, wire


class _Item(NamedTuple):
    index: int
    group: str
    occ_last: int


GROUPS = ("g0", "g1", "g2")


@settings(max_examples=80, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.integers(0, 1_000), st.sampled_from(GROUPS), st.integers(0, 50)),
        min_size=1,
        max_size=120,
    ),
    probes=st.lists(
        st.tuples(
            st.integers(-1, 52),
            st.none() | st.sets(st.sampled_from((*GROUPS, "g9"))),
            st.integers(0, 130),
            st.integers(0, 130),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_every_version_sees_its_own_entries_whatever_is_appended_after(
    steps: list[tuple[int, str, int]], probes: list[tuple[int, set[str] | None, int, int]]
) -> None:
    """Each version answers "its entries from ``start`` to ``count``, reaching
    ``since``, in ``groups``" from its own entries, each group in replay order."""
    empty: AttackLog[_Item] = AttackLog()
    versions: list[tuple[AttackLog[_Item], list[_Item]]] = [(empty, [])]
    for pick, group, last in steps:
        log, model = versions[pick % len(versions)]
        item = _Item(len(model), group, last)
        versions.append((log.appended(len(model), item, group), [*model, item]))
        for log, model in versions:
            for since, groups, start, stop in probes:
                count = min(stop, len(model))
                got = log.reaching(count, since, groups, start)
                expected = [
                    i
                    for i in model[start:count]
                    if i.occ_last >= since and (groups is None or i.group in groups)
                ]
                assert sorted(got) == expected
                for each in GROUPS:  # each group in replay order
                    mine = [i.index for i in got if i.group == each]
                    assert mine == sorted(mine)


class _Keyed(NamedTuple):
    index: int
    groups: tuple[str, ...]
    occ_last: int


@settings(max_examples=80, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.integers(0, 1_000),
            st.lists(st.sampled_from(GROUPS), unique=True, max_size=3).map(tuple),
            st.integers(0, 50),
        ),
        min_size=1,
        max_size=120,
    ),
    probes=st.lists(
        st.tuples(
            st.integers(-1, 52),
            st.none() | st.sets(st.sampled_from((*GROUPS, "g9"))),
            st.integers(0, 130),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_entries_of_several_groups_and_found_by_key_in_every_version(
    steps: list[tuple[int, tuple[str, ...], int]], probes: list[tuple[int, set[str] | None, int]]
) -> None:
    """An entry appended to several groups (or none) comes once for each group asked
    that holds it, and once when no groups are asked; found by its key, it is seen by
    exactly the versions that hold it, forks and rebases included (`ReportedViolations`
    logs each attack under every actor that made it, by its id)."""
    empty: AttackLog[_Keyed] = AttackLog()
    versions: list[tuple[AttackLog[_Keyed], list[_Keyed]]] = [(empty, [])]
    for made, (pick, groups, last) in enumerate(steps):
        log, model = versions[pick % len(versions)]
        item = _Keyed(made, groups, last)  # every entry made has a key of its own
        versions.append((log.appended(len(model), item, groups, f"k{item.index}"), [*model, item]))
        for log, model in versions:
            for since, asked, stop in probes:
                count = min(stop, len(model))
                got = log.reaching(count, since, asked)
                expected = [
                    i
                    for i in model[:count]
                    if i.occ_last >= since
                    for _ in (range(1) if asked is None else [g for g in i.groups if g in asked])
                ]
                assert sorted(got) == sorted(expected)
                seen = {i.index for i in model[:count]}
                for index in range(made + 1):
                    found = log.find(count, f"k{index}")
                    assert (found.index if found is not None else None) == (
                        index if index in seen else None
                    )


def test_a_chain_of_forks_longer_than_the_limit_is_copied_and_answers_the_same() -> None:
    log: AttackLog[_Item] = AttackLog()
    model: list[_Item] = []
    for n in range(3 * MAX_DEPTH):
        # Append twice from the same state: the second append forks.
        log.appended(len(model), _Item(-1, "g0", 0), "g0")
        item = _Item(n, GROUPS[n % 3], n)
        log, model = log.appended(len(model), item, item.group), [*model, item]
        assert log.depth <= MAX_DEPTH
        assert sorted(log.reaching(len(model), 0)) == model
        assert sorted(log.reaching(len(model), n // 2, {"g1"})) == [
            i for i in model[n // 2 :] if i.group == "g1"
        ]


def test_a_rebase_keeps_each_entrys_groups_and_key() -> None:
    """A log deeper than the limit is copied with every entry in all its groups (or
    none) and found by its key, as before the copy."""
    log: AttackLog[_Keyed] = AttackLog()
    model: list[_Keyed] = []
    shapes = [(), ("g0",), ("g1", "g2"), ("g0", "g1", "g2")]
    for n in range(3 * MAX_DEPTH):
        log.appended(len(model), _Keyed(-1, ("g0",), 0), ("g0",), "gone")  # forks beside
        item = _Keyed(n, shapes[n % 4], n)
        log, model = log.appended(len(model), item, item.groups, f"k{n}"), [*model, item]
        assert log.depth <= MAX_DEPTH
    for group in GROUPS:
        assert sorted(log.reaching(len(model), 0, {group})) == [
            i for i in model if group in i.groups
        ]
    assert sorted(log.reaching(len(model), 0)) == model
    assert [log.find(len(model), f"k{i.index}") for i in model] == model
    assert log.find(len(model), "gone") is None


@pytest.mark.parametrize("copier", [lambda log: pickle.loads(pickle.dumps(log)), copy.deepcopy])
def test_a_log_copied_or_pickled_holds_the_same_entries_and_appends_on_its_own(
    copier: Callable[[AttackLog[_Item]], AttackLog[_Item]],
) -> None:
    """A state holding a log can be pickled (multiprocessing, a cache on disk) and
    deep-copied: the copy answers the same, forks included, and appending to it leaves
    the original as it was."""
    log: AttackLog[_Item] = AttackLog()
    model: list[_Item] = []
    for n in range(2 * MAX_DEPTH):
        log.appended(len(model), _Item(-1, "g0", 0), "g0")  # a fork beside each
        item = _Item(n, GROUPS[n % 3], n)
        log, model = log.appended(len(model), item, item.group), [*model, item]
    copied = copier(log)
    assert sorted(copied.reaching(len(model), 0)) == sorted(log.reaching(len(model), 0)) == model
    extra = _Item(len(model), "g1", 99)
    grown = copied.appended(len(model), extra, "g1")
    assert sorted(grown.reaching(len(model) + 1, 0)) == [*model, extra]
    assert sorted(log.reaching(len(model), 0)) == model
    assert log.appended(len(model), extra, "g1") is log  # the original's end is its own


def test_a_state_cannot_append_before_the_entries_its_log_holds() -> None:
    log: AttackLog[_Item] = AttackLog()
    log = log.appended(0, _Item(0, "g0", 1), "g0")
    log = log.appended(1, _Item(1, "g0", 2), "g0")
    fork = log.appended(1, _Item(1, "g0", 3), "g0")  # a second append at 1: a fork
    assert fork is not log
    with pytest.raises(ValueError, match="at least 1 entries"):
        fork.appended(0, _Item(0, "g0", 4), "g0")


PLACES = (
    PlaceDefined(id="land", name="Land", place_kind="country"),
    PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
    PlaceDefined(id="elsewhere", name="Elsewhere", place_kind="country"),
)


def _pledge_within(place: str) -> Commitment:
    """Announced on 1 June, in effect from 1 January, scoped to and conditioned on
    ``place``: it looks back at the attacks replayed before it."""
    return Commitment(
        id="pledge",
        occurred="2020-06-01",
        effective="2020-01-01",
        sources=wire("2020-06-01"),
        commitment_kind="mutual_defense",
        parties=("south",),
        scope=Scope(include=(place,)),
        condition=Condition(attack_within=(place,)),
    )


# Everywhere, triggered by an attack in the town: it looks back at every attack
# replayed before it.
PLEDGE = attrs.evolve(_pledge_within("town"), scope=Scope())


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


def _raid(aid: str, day: str, place: str) -> Attack:
    return Attack(
        id=aid,
        occurred=day,
        sources=wire(day),
        perpetrator="north-army",
        place=place,
        target_class="military",
    )


def _hits(tl: Timeline) -> tuple[str, ...]:
    envelopes = list(tl.read())
    found = tuple(tl.state(TriggeredCommitments))
    assert found == triggered_commitments(envelopes, Query())
    (trigger,) = found
    return trigger.attacks


def test_a_look_back_finds_attacks_whose_place_was_put_inside_its_scope_after_them() -> None:
    """A district names a province that is defined only in April, inside the land:
    the March raid was replayed while the district lay in no land, and the pledge
    (announced in June, scoped to the land) is judged by the places known in June."""
    tl = Timeline(MemoryStore())
    tl.append(
        *TWO_STATES,
        PlaceDefined(id="land", name="Land", place_kind="country"),
        PlaceDefined(id="district", name="District", place_kind="district", parent="province"),
        _raid("march-raid", "2020-03-01", "district"),
        PlaceDefined(
            id="province",
            name="Province",
            place_kind="region",
            parent="land",
            occurred="2020-04-01",
        ),
        _raid("may-raid", "2020-05-01", "district"),
        _pledge_within("land"),
        strict=False,  # the district names its province before it is defined
    )
    assert _hits(tl) == ("march-raid", "may-raid")


@pytest.mark.parametrize(
    ("match", "expected"),
    [
        # Either test is enough: the raid on the south's army abroad meets it.
        ("any", ("on-the-army",)),
        # Both are needed: no raid is in the town and on the south.
        ("all", ()),
    ],
)
def test_a_look_back_past_its_examples_finds_a_hit_by_its_target_test_alone(
    match: str, expected: tuple[str, ...]
) -> None:
    """An everywhere pledge announced after it took effect, whose condition names a
    place and a target: five raids elsewhere on no one fill its examples, then a raid
    elsewhere on the south's army is weighed by both tests, not the place test alone.
    The oracle (`_hits`) is the rule's, written apart from the fold."""
    pledge = attrs.evolve(
        PLEDGE,
        condition=Condition(attack_within=("town",), against=("south",), match=match),
    )
    misses = [_raid(f"miss-{n}", f"2020-02-0{n + 1}", "elsewhere") for n in range(6)]
    target = attrs.evolve(
        _raid("on-the-army", "2020-03-01", "elsewhere"), target_actor="south-army"
    )
    tl = Timeline(MemoryStore())
    tl.append(*TWO_STATES, *PLACES, *misses, target, pledge)
    if expected:
        assert _hits(tl) == expected
    else:
        (trigger,) = tl.state(TriggeredCommitments)
        assert trigger.attacks == ()
        assert tuple(tl.state(TriggeredCommitments)) == triggered_commitments(
            list(tl.read()), Query()
        )


def test_a_look_back_finds_attacks_under_a_cycle_of_parents_from_either_place_of_it() -> None:
    for scoped in ("north-bank", "south-bank"):
        tl = Timeline(MemoryStore())
        tl.append(
            *TWO_STATES,
            PlaceDefined(id="north-bank", name="N", place_kind="region", parent="south-bank"),
            PlaceDefined(id="south-bank", name="S", place_kind="region", parent="north-bank"),
            PlaceDefined(id="ferry", name="Ferry", place_kind="town", parent="north-bank"),
            PlaceDefined(id="far", name="Far", place_kind="country"),
            _raid("ferry-raid", "2020-03-01", "ferry"),
            _raid("far-raid", "2020-03-02", "far"),
            _pledge_within(scoped),
            strict=False,  # the cycle names a place before it is defined
        )
        assert _hits(tl) == ("ferry-raid",), scoped


_NAMES = st.sampled_from(("a", "b", "c"))
_SOME = st.lists(_NAMES, max_size=2, unique=True).map(tuple)


@settings(max_examples=300, deadline=None)
@given(
    condition=st.tuples(_SOME, _SOME, _SOME, st.sampled_from(("all", "any")))
    .filter(lambda t: bool(t[0] or t[1]))  # a condition names places, targets or both
    .map(lambda t: Condition(attack_within=t[0], against=t[1], by=t[2], match=t[3])),
    place=st.none() | _NAMES,
    target=st.none() | _NAMES,
    sets=st.tuples(*(st.frozensets(_NAMES) for _ in range(3))),
)
def test_an_attack_meets_a_condition_exactly_when_no_reason_says_it_does_not(
    condition: Condition,
    place: str | None,
    target: str | None,
    sets: tuple[frozenset[str], frozenset[str], frozenset[str]],
) -> None:
    lineage, targets, makers = sets
    commitment = attrs.evolve(PLEDGE, condition=condition)
    seen = Seen(
        id="raid",
        occ_lo=0,
        occ_last=0,
        order=(0, 0, "raid"),
        place=place,
        chain=() if place is None else (place,),
        within=frozenset() if place is None else lineage | {place},
        perpetrator="p",
        makers=makers,
        target=target,
        targets=frozenset() if target is None else targets | {target},
    )
    assert meets(commitment, seen) == (reason(commitment, seen) is None)


def test_a_look_back_judges_earlier_attacks_by_the_affiliations_known_now() -> None:
    """The north army is known to be the north's only from April: the March raid was
    replayed before that, and the pledge (announced in June, triggered by attacks of
    the north) is judged by the actors known in June."""
    pledge = attrs.evolve(
        _pledge_within("land"), condition=Condition(attack_within=("land",), by=("north",))
    )
    tl = Timeline(MemoryStore())
    tl.append(
        *(actor for actor in TWO_STATES if actor.id != "north-army"),
        PlaceDefined(id="land", name="Land", place_kind="country"),
        PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
        _raid("march-raid", "2020-03-01", "town"),
        attrs.evolve(
            next(actor for actor in TWO_STATES if actor.id == "north-army"),
            occurred="2020-04-01",
        ),
        pledge,
        strict=False,  # the raid names the army before it is defined
    )
    assert _hits(tl) == ("march-raid",)


class _Instant(NamedTuple):
    occ_last: int


def _threads(*work: Callable[[threading.Event], None]) -> list[str]:
    """Run each of ``work`` in its own thread, switching threads as often as the
    interpreter allows, until the first returns; the errors they raised."""
    errors: list[str] = []
    done = threading.Event()

    def guarded(job: Callable[[threading.Event], None]) -> None:
        try:
            job(done)
        except Exception as error:
            errors.append(repr(error))
        finally:
            done.set()

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=guarded, args=(job,)) for job in work]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    return errors


def test_a_reader_never_sees_a_group_half_made_while_another_thread_appends() -> None:
    older: AttackLog[_Instant] = AttackLog()
    older = older.appended(0, _Instant(5), "g0")  # a state that sees one entry

    def write(done: threading.Event) -> None:
        log, count = older, 1
        for n in range(1, 60_000):
            log, count = log.appended(count, _Instant(5), f"g{n}"), count + 1

    def read(done: threading.Event) -> None:
        n = 1
        while not done.is_set():
            assert older.reaching(1, 0, {f"g{k}" for k in range(n, n + 4)}) == []
            n = len(older._body.groups)

    assert _threads(write, read) == []


def test_a_rebase_reads_its_parents_while_another_thread_appends_to_them() -> None:
    root: AttackLog[_Instant] = AttackLog()
    for n in range(500):
        root = root.appended(n, _Instant(1), f"g{n}")
    deep = []  # states at depth MAX_DEPTH - 1, whose next fork rebases their log
    for _ in range(30):
        log, count = root, 499  # one entry before the root's end: each append forks
        for _ in range(MAX_DEPTH - 1):
            log = log.appended(count, _Instant(1), "x")
            count += 1
            log = log.appended(count, _Instant(1), "x")  # so the next append forks
        assert log.depth == MAX_DEPTH - 1
        deep.append((log, count))

    def write(done: threading.Event) -> None:
        log, count = root, 500  # appends at the root's end, each in a new group
        while count < 10_000 and not done.is_set():
            log, count = log.appended(count, _Instant(1), f"new{count}"), count + 1

    def rebase(done: threading.Event) -> None:
        for log, count in deep:
            fork = log.appended(count, _Instant(2), "y")
            assert (log.depth, fork.depth) == (0, 1)  # rebased, once
            assert len(fork.reaching(count + 1, 2)) == 1

    assert _threads(write, rebase) == []


def test_a_log_rebases_once_and_keeps_the_copy_for_every_state_that_holds_it() -> None:
    """A checkpoint's log deep in forks (appends into the past, one after the other)
    is rebased by the first fold that forks from it; later folds from the same
    checkpoint fork from the rebased log, one level deep, and copy nothing."""
    log: AttackLog[_Item] = AttackLog()
    model: list[_Item] = []
    for n in range(6):
        item = _Item(n, GROUPS[n % 3], n)
        log, model = log.appended(n, item, item.group), [*model, item]
    count = 5
    for _ in range(MAX_DEPTH - 1):  # each fork from one entry before its log's end
        log = log.appended(count, _Item(count, "g0", 0), "g0")
        log = log.appended(count + 1, _Item(count + 1, "g0", 0), "g0")
        count += 1
    checkpoint = (log, count)
    seen = sorted(log.reaching(count, 0))
    assert log.depth == MAX_DEPTH - 1
    first = log.appended(count, _Item(count, "g1", 9), "g1")
    assert (log.depth, first.depth) == (0, 1)
    body = log._body
    second = log.appended(count, _Item(count, "g2", 9), "g2")
    assert log._body is body  # no second copy
    assert second.depth == 1
    assert sorted(checkpoint[0].reaching(count, 0)) == seen  # the same entries as before
