"""Rules the shipped strategies' docstrings state, each pinned over a fixed run of draws.

A strategy that quietly stopped drawing a documented case (a figure with all three
counts, a source with a url, an actor with an affiliation) would let every property
test built on it pass on a narrower world than it claims; one that broke a stated
invariant for a rare combination (a confirmation moved by a later correction) would
hand users histories their own code rightly refuses. Each test names the rule it
pins, and checks it with an oracle written from the rule, not from the drawing code.
All runs are derandomized, so they are deterministic and fast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import UnsatisfiedAssumption

from conflict_timeline import (
    Accusation,
    ActorDefined,
    Agreement,
    Attack,
    CasualtyReport,
    Commitment,
    CommitmentEnded,
    Confirmation,
    ControlChanged,
    Correction,
    Denial,
    MemoryStore,
    Observation,
    PlaceDefined,
    Record,
    Request,
    Retraction,
    Statement,
    TimeExtent,
    references,
)
from conflict_timeline.strategies import (
    actors,
    figures,
    places,
    records,
    sources,
    time_extents,
    timelines,
)

T = TypeVar("T")

# The sixteen record kinds, written out by hand (not taken from the package).
EVERY_KIND: tuple[type[Record], ...] = (
    ActorDefined,
    PlaceDefined,
    ControlChanged,
    Statement,
    Request,
    Agreement,
    Commitment,
    CommitmentEnded,
    Attack,
    Accusation,
    Denial,
    Confirmation,
    Observation,
    CasualtyReport,
    Correction,
    Retraction,
)


def drawn(strategy: st.SearchStrategy[T], examples: int) -> list[T]:
    """What ``strategy`` draws over a fixed, derandomized run of ``examples`` draws."""
    out: list[T] = []

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: T) -> None:
        out.append(value)

    collect()
    return out


def versions(history: Sequence[Record]) -> dict[str, list[Record]]:
    """Every version of each record: the original, then each correction's replacement."""
    out: dict[str, list[Record]] = {}
    for record in history:
        if isinstance(record, Correction):
            out[record.corrects].append(record.replacement)
        out[record.id] = [record]
    return out


def count(values: Sequence[T], test: Callable[[T], bool]) -> int:
    return sum(1 for v in values if test(v))


# ------------------------------------------------------------------ single values


def test_figures_draw_every_non_empty_subset_of_low_best_high() -> None:
    """figures(): "any non-empty subset of low <= best <= high" -- all seven subsets
    occur, and the given counts are always in order."""
    subsets = set()
    for figure in drawn(figures(), 200):
        given_counts = [v for v in (figure.low, figure.best, figure.high) if v is not None]
        assert given_counts, figure
        assert given_counts == sorted(given_counts), figure
        subsets.add((figure.low is not None, figure.best is not None, figure.high is not None))
    every = {(a, b, c) for a in (False, True) for b in (False, True) for c in (False, True)}
    assert subsets == every - {(False, False, False)}


def test_time_extents_in_a_narrow_range_filter_nothing() -> None:
    """strategies: "Every strategy draws valid values directly; none filters" -- with
    every precision allowed (an instant always fits), a range of a few days inside one
    month rejects no draw, though a third of draws move to a calendar edge before it."""
    outcomes = {"drawn": 0, "rejected": 0}
    narrow = time_extents(
        min_value=pendulum.datetime(2020, 1, 15, 12), max_value=pendulum.datetime(2020, 1, 18)
    )

    @settings(
        max_examples=100,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def draw(data: st.DataObject) -> None:
        try:
            extent = data.draw(narrow)
        except UnsatisfiedAssumption:
            outcomes["rejected"] += 1
            return
        outcomes["drawn"] += 1
        assert pendulum.datetime(2020, 1, 15, 12) <= extent.earliest
        assert extent.latest <= pendulum.datetime(2020, 1, 18)

    draw()
    assert outcomes == {"drawn": 100, "rejected": 0}


def test_sources_come_with_or_without_a_title_url_and_date() -> None:
    """sources(): "with or without a title, url and date" -- each of the three is
    both present and absent in some draws."""
    drawn_sources = drawn(sources(), 150)
    for has in (
        lambda s: bool(s.title),
        lambda s: s.url is not None,
        lambda s: s.published is not None,
    ):
        assert 0 < count(drawn_sources, has) < len(drawn_sources)
    assert all(s.publisher.strip() for s in drawn_sources)


def test_sources_take_their_date_from_the_published_argument() -> None:
    """sources(published=...): "Strategy for Source.published" -- every source is
    dated by the strategy given, and by none when it draws only None."""
    day = TimeExtent.parse("2020-10-31", tz="Asia/Yerevan")
    assert {s.published for s in drawn(sources(published=st.just(day)), 40)} == {day}
    assert {s.published for s in drawn(sources(published=st.none()), 40)} == {None}


def test_records_draw_every_kind_by_default() -> None:
    """records(kinds=...): "every kind by default" -- corrections and retractions too."""
    kinds = {type(r) for r in drawn(records(), 400)}
    assert kinds == set(EVERY_KIND)


def test_from_type_of_the_base_record_draws_every_kind() -> None:
    """testing-projections.md, ``st.from_type``: "Every record kind ... is registered
    with hypothesis", and ``Record`` itself draws any of them, as ``records()`` does."""
    kinds = {type(r) for r in drawn(st.from_type(Record), 400)}
    assert kinds == set(EVERY_KIND)


# --------------------------------------------------------------- actors and places


def test_actors_come_affiliated_or_not_with_an_earlier_actor() -> None:
    """actors(): "each affiliated (or not) with an earlier one" -- both occur, and an
    affiliation always names an earlier actor."""
    affiliated = unaffiliated = 0
    for group in drawn(actors(max_size=6), 100):
        for i, actor in enumerate(group):
            if actor.affiliation is None:
                unaffiliated += 1
            else:
                affiliated += 1
                assert actor.affiliation in [a.id for a in group[:i]], actor
    assert affiliated > 0
    assert unaffiliated > 0


def test_places_have_an_earlier_parent_or_none() -> None:
    """places(): "Each place's parent is an earlier place or none" -- both occur, so the
    de jure trees are not all single places."""
    with_parent = without = 0
    for group in drawn(places(max_size=6), 100):
        for i, place in enumerate(group):
            if place.parent is None:
                without += 1
            else:
                with_parent += 1
                assert place.parent in [p.id for p in group[:i]], place
    assert with_parent > 0
    assert without > 0


# ------------------------------------------------------------------------ timelines


def test_a_confirmation_or_denial_does_not_precede_what_it_answers_in_any_version() -> None:
    """timelines(): "A record that answers another does not occur before it", and a
    correction "keeps every rule above, for every version" -- checked for
    confirmations and denials against every version of what they answer (a
    correction may not move a record past its reactions, and a reaction drawn after
    a correction keeps to the latest version), with corrections drawn densely."""
    checked = 0
    histories = [
        *drawn(timelines(max_size=12, kinds=[Attack, Confirmation, Correction]), 150),
        *drawn(timelines(max_size=20, kinds=[Attack, Denial, Correction]), 150),
    ]
    for history in histories:
        every = versions(history)
        for record_versions in every.values():
            for record in record_versions:
                if isinstance(record, Confirmation):
                    target = record.confirms
                elif isinstance(record, Denial):
                    target = record.denies
                else:
                    continue
                for earlier in every[target]:
                    checked += 1
                    assert record.occurred.lo >= earlier.occurred.lo, (record.id, earlier.id)
    assert checked > 0


def test_a_commitment_is_ended_once_and_not_before_it_takes_effect_in_any_version() -> None:
    """timelines(): "a commitment is ended at most once, by a CommitmentEnded that
    occurs no earlier than the commitment was made or took effect", and a correction
    keeps that "for every version": a corrected ending still ends the commitment it
    ended, and a corrected commitment does not take effect after its ending."""
    corrected = 0
    kinds = [Commitment, CommitmentEnded, Correction]
    for history in drawn(timelines(max_size=15, kinds=kinds), 150):
        every = versions(history)
        enders: dict[str, set[str]] = {}
        for record_versions in every.values():
            for record in record_versions:
                if isinstance(record, CommitmentEnded):
                    enders.setdefault(record.commitment, set()).add(record.id)
                    for commitment in every[record.commitment]:
                        assert isinstance(commitment, Commitment)
                        assert record.occurred.lo >= commitment.occurred.lo, record.id
                        if commitment.effective is not None:
                            assert record.occurred.lo >= commitment.effective.lo, record.id
        for commitment_id, ids in enders.items():
            assert len(ids) == 1, (commitment_id, ids)
        corrected += count(history, lambda r: isinstance(r, Correction))
    assert corrected > 0


def test_a_replacement_refers_only_to_what_its_original_could() -> None:
    """timelines(): "a correction's replacement ... refers only to what the original
    could" -- every id the replacement names was appended before the original. (A
    statement always names its speaker, and actors keep arriving in between.)"""
    checked = 0
    for history in drawn(timelines(max_size=15, kinds=[ActorDefined, Statement, Correction]), 100):
        order: dict[str, int] = {}
        for i, record in enumerate(history):
            order.setdefault(record.id, i)
        for record in history:
            if isinstance(record, Correction):
                for _field, ref, _what in references(record.replacement):
                    checked += 1
                    assert order[ref] < order[record.corrects], (record.id, ref)
    assert checked > 0


def test_correcting_kinds_alone_still_draw_appendable_histories() -> None:
    """timelines(kinds=...): "The kinds their required references need are added" --
    asked only for corrections or retractions, it adds something to correct, and
    every history appends strictly."""
    for kinds in ([Retraction], [Correction]):
        histories = drawn(timelines(min_size=2, max_size=6, kinds=kinds), 30)
        assert any(isinstance(r, kinds[0]) for h in histories for r in h), kinds
        for history in histories:
            MemoryStore().append(history)  # strict: every reference resolves
