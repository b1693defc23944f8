"""The shipped strategies draw what their docstrings promise, and shrink well.

Each rule of a "consistent history" is checked here independently of the code that
draws it: references resolve to earlier records of the right kind, ends come after
starts, reactions do not precede what they answer (for every version under
corrections), corrections and retractions target earlier originals.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from conflict_timeline import (
    Accusation,
    ActorDefined,
    Agreement,
    Attack,
    Commitment,
    CommitmentEnded,
    Correction,
    Denial,
    MemoryStore,
    Observation,
    PlaceDefined,
    Precision,
    Record,
    Request,
    Retraction,
    Statement,
    TimeExtent,
    affiliated,
    is_within,
    references,
)
from conflict_timeline.strategies import (
    DEFAULT_TIMEZONES,
    actors,
    figures,
    places,
    records,
    sources,
    time_extents,
    timelines,
)

QUICK = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EXPECTED_KIND = {
    "actor": ActorDefined,
    "place": PlaceDefined,
    "commitment": Commitment,
    "attack": Attack,
    "agreement": Agreement,
    "record": Record,
}


def versions(history: Sequence[Record]) -> dict[str, list[Record]]:
    """Every version of each record: the original, then each correction's replacement."""
    out: dict[str, list[Record]] = {}
    for record in history:
        if isinstance(record, Correction):
            out[record.corrects].append(record.replacement)
        out[record.id] = [record]  # corrections are records too: a statement may answer one
    return out


def reactions(record: Record) -> Iterator[tuple[str, bool]]:
    """``(id, is_an_ending)`` for each record that ``record`` answers."""
    if isinstance(record, CommitmentEnded):
        yield record.commitment, True
    elif isinstance(record, Accusation):
        yield from ((i, False) for i in record.incidents)
        if record.breach_of is not None:
            yield record.breach_of, False
    elif isinstance(record, Denial):
        yield record.denies, False
    elif isinstance(record, Statement) and record.responds_to is not None:
        yield record.responds_to, False
    elif isinstance(record, Request) and record.invokes is not None:
        yield record.invokes, False
    elif isinstance(record, Observation) and record.commitment is not None:
        yield record.commitment, False


# ------------------------------------------------------------------------ timelines


@QUICK
@given(timelines())
def test_a_timeline_appends_strictly_in_order(history: list[Any]) -> None:
    store = MemoryStore()
    for record in history:
        store.append([record])  # strict=True: every reference must already resolve
    assert store.dangling_references() == []
    assert store.verify()


@QUICK
@given(timelines())
def test_references_name_earlier_records_of_the_right_kind(history: list[Any]) -> None:
    kind_of: dict[str, type[Record]] = {}
    for record in history:
        for field, ref, what in references(record):
            assert ref in kind_of, f"{record.id}.{field} -> {ref}: not an earlier record"
            assert issubclass(kind_of[ref], EXPECTED_KIND[what]), (record.id, field, ref)
        assert record.id not in kind_of, f"id {record.id} drawn twice"
        kind_of[record.id] = type(record)


@QUICK
@given(timelines())
def test_ids_are_short_and_numbered_per_kind(history: list[Any]) -> None:
    seen: dict[str, int] = {}
    for record in history:
        match = re.fullmatch(r"([a-z]+)-(\d+)", record.id)
        assert match is not None, record.id
        prefix, number = match.group(1), int(match.group(2))
        assert number == seen.get(prefix, 0), record.id
        seen[prefix] = number + 1


@QUICK
@given(timelines())
def test_corrections_and_retractions_target_earlier_originals(history: list[Any]) -> None:
    originals: dict[str, Record] = {}
    for record in history:
        if isinstance(record, Correction):
            target = originals[record.corrects]
            assert type(record.replacement) is type(target)
            assert record.replacement.id == target.id
        elif isinstance(record, Retraction):
            assert record.retracts in originals
        else:
            originals[record.id] = record


@QUICK
@given(timelines())
def test_affiliations_and_de_jure_parents_are_trees(history: list[Any]) -> None:
    order = {record.id: i for i, record in enumerate(history)}
    for versions_of in versions(history).values():
        for record in versions_of:
            up = getattr(record, "parent", None) or getattr(record, "affiliation", None)
            if up is not None:
                assert order[up] < order[record.id]


@QUICK
@given(timelines())
def test_every_end_comes_after_its_start(history: list[Any]) -> None:
    every = versions(history)
    for versions_of in every.values():
        for record in versions_of:
            if isinstance(record, Commitment) and record.until is not None:
                assert record.until.last >= record.starts.lo
            if isinstance(record, CommitmentEnded):
                for commitment in every[record.commitment]:
                    assert isinstance(commitment, Commitment)
                    assert record.occurred.lo >= commitment.starts.lo
                    assert record.occurred.lo >= commitment.occurred.lo


@QUICK
@given(timelines())
def test_no_reaction_precedes_what_it_answers(history: list[Any]) -> None:
    """For every version of both: corrections may move dates, never past a reaction."""
    every = versions(history)
    for versions_of in every.values():
        for record in versions_of:
            for answered, _ in reactions(record):
                for earlier in every[answered]:
                    assert record.occurred.lo >= earlier.occurred.lo, (record.id, answered)


@QUICK
@given(timelines(kinds=[Commitment, CommitmentEnded]))
def test_a_commitment_ends_once(history: list[Any]) -> None:
    ended = [r.commitment for r in history if isinstance(r, CommitmentEnded)]
    assert len(ended) == len(set(ended))


@QUICK
@given(st.data())
def test_sizes_and_kinds_are_respected(data: st.DataObject) -> None:
    low = data.draw(st.integers(0, 6), label="min_size")
    high = data.draw(st.integers(low, 8), label="max_size")
    history = data.draw(timelines(min_size=low, max_size=high, kinds=[Accusation]))
    assert low <= len(history) <= high
    # Accusations need an accuser and an incident: only those kinds are added.
    assert {type(r) for r in history} <= {Accusation, ActorDefined, Attack}


@QUICK
@given(timelines(min_size=1, max_size=3))
def test_min_size_counts_records(history: list[Any]) -> None:
    assert 1 <= len(history) <= 3


# -------------------------------------------------------------- actors and places


@QUICK
@given(places(min_size=2, max_size=6))
def test_places_form_de_jure_trees(drawn: list[PlaceDefined]) -> None:
    assert 2 <= len(drawn) <= 6
    assert [p.id for p in drawn] == [f"place-{i}" for i in range(len(drawn))]
    store = MemoryStore()
    store.append(drawn)  # nothing else is referred to
    for place in drawn:
        for other in drawn:
            # A tree: never within each other both ways (is_within terminates).
            if place.id != other.id:
                assert not (
                    is_within(place.id, other.id, drawn) and is_within(other.id, place.id, drawn)
                )
        if place.parent is not None:
            assert is_within(place.id, place.parent, drawn)


@QUICK
@given(actors(max_size=6))
def test_actors_form_affiliation_forests(drawn: list[ActorDefined]) -> None:
    assert 1 <= len(drawn) <= 6
    MemoryStore().append(drawn)
    for actor in drawn:
        if actor.affiliation is not None:
            assert affiliated(actor.id, actor.affiliation, drawn)
            assert not affiliated(actor.affiliation, actor.id, drawn)


# ---------------------------------------------------------------- single values


@QUICK
@given(st.data())
def test_time_extents_stay_inside_their_bounds(data: st.DataObject) -> None:
    lo = data.draw(st.datetimes(_dt.datetime(1995, 1, 1), _dt.datetime(2025, 1, 1)))
    span = data.draw(st.timedeltas(_dt.timedelta(0), _dt.timedelta(days=800)))
    start, end = lo.replace(tzinfo=_dt.UTC), (lo + span).replace(tzinfo=_dt.UTC)
    extent = data.draw(time_extents(min_value=start, max_value=end))
    assert pendulum.instance(start) <= extent.earliest
    assert extent.last <= TimeExtent.instant(end).lo


@QUICK
@given(time_extents(precisions=["month", Precision.YEAR], timezones=["Asia/Yerevan"]))
def test_time_extents_use_the_precisions_and_zones_asked_for(extent: TimeExtent) -> None:
    assert extent.precision in {Precision.MONTH, Precision.YEAR}
    assert extent.tz == "Asia/Yerevan"
    # One calendar unit, or (a month) a span of whole local days from its first day.
    local = extent.earliest.in_timezone("Asia/Yerevan")
    unit = TimeExtent.parse(local.format("YYYY-MM"), tz="Asia/Yerevan")
    if extent.precision is Precision.YEAR or extent == unit:
        assert TimeExtent.parse(str(extent).split(" ")[0], tz="Asia/Yerevan") == extent
    else:
        assert extent.lo == unit.lo
        assert extent.last > unit.last
        end = pendulum.instance(extent.latest).in_timezone("Asia/Yerevan")
        assert (end.hour, end.minute, end.second, end.microsecond) == (0, 0, 0, 0)


@QUICK
@given(records(kinds=[Attack, Denial]), sources(), figures())
def test_records_are_of_the_kinds_asked_for(record: Any, source: Any, figure: Any) -> None:
    assert isinstance(record, Attack | Denial)
    assert source.publisher.strip()
    given_values = [v for v in (figure.low, figure.best, figure.high) if v is not None]
    assert given_values == sorted(given_values)
    assert given_values


@pytest.mark.parametrize(
    "call",
    [
        lambda: timelines(0, 5),  # type: ignore[misc]
        lambda: records([Attack]),  # type: ignore[misc]
        lambda: actors(1),  # type: ignore[misc]
        lambda: places(1),  # type: ignore[misc]
        lambda: time_extents(pendulum.datetime(2020, 1, 1)),  # type: ignore[misc]
        lambda: sources(st.none()),  # type: ignore[misc]
    ],
    ids=["timelines", "records", "actors", "places", "time_extents", "sources"],
)
def test_arguments_are_keyword_only(call: Any) -> None:
    with pytest.raises(TypeError, match="positional"):
        call()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: timelines(min_size=3, max_size=2), "max_size 2 is less than min_size 3"),
        (lambda: timelines(min_size=-1), "min_size must be a whole number"),
        (lambda: timelines(max_size=True), "max_size must be a whole number"),
        (lambda: places(max_size=0), "max_size 0 is less than min_size 1"),
        (lambda: timelines(kinds=[int]), "kinds must be record classes"),
        (lambda: timelines(kinds=Attack), "an iterable of record classes"),
        (lambda: records(kinds="Attack"), "got the string 'Attack': write ['Attack']"),
        (lambda: records(kinds=["Atack"]), "kinds must be record classes or their names"),
        (lambda: records(kinds=[]), "at least one record kind"),
        (lambda: time_extents(precisions=[]), "at least one Precision"),
        (lambda: time_extents(precisions=["fortnight"]), "must be Precision values"),
        (lambda: time_extents(timezones=["Mars/Olympus"]), "Mars/Olympus"),
        (lambda: time_extents(min_value=_dt.datetime(2020, 1, 1)), "min_value"),
        (
            lambda: time_extents(
                min_value=pendulum.datetime(2021, 1, 1), max_value=pendulum.datetime(2020, 1, 1)
            ),
            "is after max_value",
        ),
    ],
)
def test_bad_arguments_say_what_is_wrong(make: Any, message: str) -> None:
    with pytest.raises(InvalidArgument, match=re.escape(message)):
        make().example()


def test_kinds_are_named_as_a_views_kinds_are_by_class_or_by_name() -> None:
    """strategies.md: ``kinds`` takes record classes or their names, as a view's
    ``kinds`` does: ``["Attack", Denial]`` draws attacks and denials, both and only
    them (a name dropped or taken for every kind would draw denials alone, or more)."""
    kinds: set[type[Any]] = set()

    @settings(max_examples=60, derandomize=True, database=None, deadline=None)
    @given(records(kinds=["Attack", Denial]))
    def draw(record: Any) -> None:
        kinds.add(type(record))

    draw()
    assert kinds == {Attack, Denial}


# -------------------------------------------------------------------- shrinking


def shrunk_history(kinds: list[type[Record]] | None, max_size: int) -> list[Any]:
    """What hypothesis shrinks to, asked for an attack at a known place."""
    return find(
        timelines(max_size=max_size, kinds=kinds),
        lambda history: any(isinstance(r, Attack) and r.place is not None for r in history),
        settings=settings(database=None, max_examples=300, deadline=None),
    )


MINIMAL = [
    PlaceDefined(id="place-0", name="Stepanakert", place_kind="country"),
    Attack(id="attack-0", occurred=TimeExtent.parse("2020-01-01"), place="place-0"),
]
# The first unit of the strategies' range, to the day or to the year: which of the two
# the shrinker settles on depends on the path it takes (a span drawn and shrunk away
# lengthens it), and both are as short as a stated time gets.
FIRST_UNITS = (TimeExtent.parse("2020-01-01"), TimeExtent.parse("2020"))


def assert_minimal(history: list[Any]) -> None:
    place, attack = history  # every other record deleted
    assert place == MINIMAL[0]
    assert attack.occurred in FIRST_UNITS
    assert attrs.evolve(attack, occurred=MINIMAL[1].occurred) == MINIMAL[1]


def test_shrinking_gives_a_short_readable_history() -> None:
    """Two records, each with only what the question needs: every other field shrinks
    away to its default, every other record is deleted."""
    assert_minimal(shrunk_history([PlaceDefined, Attack], 10))


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("CT_SLOW"), reason="set CT_SLOW=1 to run")
def test_shrinking_deletes_records_of_every_kind() -> None:
    assert_minimal(shrunk_history(None, 20))


# -- what the strategies draw, over many draws (their docstrings' promises) ----------
#
# A strategy that quietly stopped drawing zones, precisions, corrections or knowledge
# times would let every property test of a user's view pass on a narrower world than
# it claims. Each promise is counted over a fixed, derandomized run of draws.

_MANY = settings(
    max_examples=300,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def test_time_extents_draw_every_zone_precision_and_edge_they_promise() -> None:
    zones: set[str] = set()
    precisions: set[Precision] = set()
    counts = {"instants": 0, "with microseconds": 0, "days": 0, "on a first": 0}

    @_MANY
    @given(time_extents())
    def draw(extent: TimeExtent) -> None:
        zones.add(extent.tz)
        precisions.add(extent.precision)
        local = extent.earliest.in_timezone(extent.tz)
        if extent.precision is Precision.INSTANT:
            counts["instants"] += 1
            counts["with microseconds"] += local.microsecond != 0
        if extent.precision in (Precision.DAY, Precision.INSTANT):
            counts["days"] += 1
            counts["on a first"] += local.day == 1

    draw()
    assert zones == set(DEFAULT_TIMEZONES)  # every default zone, not UTC alone
    assert precisions == set(Precision)  # every precision, years and weeks too
    assert counts["with microseconds"] > 0
    # A third of the draws move to the start of a month or a year: with the draws
    # that fall there anyway, more than two in five days are a first of the month
    # (about one in four without the move).
    assert counts["on a first"] > counts["days"] * 0.4, counts


def test_time_extents_draw_spans_of_whole_days_as_the_datasets_hold_them() -> None:
    """A day, week or month is sometimes a span of whole local days up to 60 days past
    its last day, of its precision (GED's date_start to date_end, ACLED's week centred
    on a date, "between 27 September and 31 October"), and never an hour or a year."""
    spans: dict[Precision, int] = {}
    widths: set[int] = set()

    @settings(_MANY, max_examples=1000)
    @given(time_extents(timezones=["UTC", "Asia/Yerevan"]))
    def draw(extent: TimeExtent) -> None:
        if extent.precision is Precision.INSTANT:
            return
        local = extent.earliest.in_timezone(extent.tz)
        text = {
            Precision.YEAR: "YYYY",
            Precision.MONTH: "YYYY-MM",
            Precision.DAY: "YYYY-MM-DD",
            Precision.HOUR: "YYYY-MM-DDTHH",
            Precision.MINUTE: "YYYY-MM-DDTHH:mm",
        }.get(extent.precision)
        unit = (
            TimeExtent.parse(
                f"{local.isocalendar()[0]:04d}-W{local.isocalendar()[1]:02d}", tz=extent.tz
            )
            if text is None
            else TimeExtent.parse(local.format(text), tz=extent.tz)
        )
        if extent == unit:
            return
        assert extent.precision in {Precision.DAY, Precision.WEEK, Precision.MONTH}
        assert extent.lo == unit.lo
        end = pendulum.instance(extent.latest).in_timezone(extent.tz)
        assert (end.hour, end.minute, end.second, end.microsecond) == (0, 0, 0, 0)
        unit_end = pendulum.instance(unit.latest).in_timezone(extent.tz)
        days_past = (end.date() - unit_end.date()).days
        assert 1 <= days_past <= 60
        spans[extent.precision] = spans.get(extent.precision, 0) + 1
        widths.add(days_past)

    draw()
    assert set(spans) == {Precision.DAY, Precision.WEEK, Precision.MONTH}, spans
    assert len(widths) > 10


def test_time_extents_near_the_end_of_the_calendar_draw_days_not_spans_past_it() -> None:
    """A day near 31 December 9999 cannot be widened past it (the calendar ends): it
    is drawn as the day. Widening it raised OverflowError out of the strategy, which
    drew such days before spans were drawn."""
    drawn: list[TimeExtent] = []

    @settings(_MANY, max_examples=200)
    @given(
        time_extents(
            min_value=_dt.datetime(9999, 11, 1, tzinfo=_dt.UTC),
            max_value=_dt.datetime(9999, 12, 30, tzinfo=_dt.UTC),
            precisions=[Precision.DAY],
            timezones=["UTC"],
        )
    )
    def draw(extent: TimeExtent) -> None:
        drawn.append(extent)

    draw()
    assert len(drawn) == 200
    assert all(extent.earliest.year == 9999 for extent in drawn)


def test_timelines_draw_corrections_retractions_and_knowledge_times_of_their_own() -> None:
    kinds: dict[str, int] = {"Correction": 0, "Retraction": 0}
    retracted_other_than_the_first = 0
    with_dated_sources = reported_apart_from_its_sources = 0

    @_MANY
    @given(timelines(max_size=20))
    def draw(history: list[Any]) -> None:
        nonlocal retracted_other_than_the_first, with_dated_sources
        nonlocal reported_apart_from_its_sources
        for record in history:
            name = type(record).__name__
            if name in kinds:
                kinds[name] += 1
            if isinstance(record, Retraction) and record.retracts != history[0].id:
                retracted_other_than_the_first += 1
            dates = [s.published for s in getattr(record, "sources", ()) if s.published]
            reported = getattr(record, "reported", None)
            with_dated_sources += bool(dates)
            if dates and reported is not None and reported not in dates:
                reported_apart_from_its_sources += 1

    draw()
    assert kinds["Correction"] > 0
    assert kinds["Retraction"] > 0
    assert retracted_other_than_the_first > 0
    # Knowledge time is drawn apart from the sources' dates, not only taken from them:
    # about half the records with dated sources were reported at another time (a few
    # in a hundred when only a control change draws its own).
    assert reported_apart_from_its_sources > with_dated_sources / 4
