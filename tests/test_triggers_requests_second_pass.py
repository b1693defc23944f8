"""Rules of `TriggeredCommitments`, `OpenRequests`/`RequestLog` and `CasualtyEstimates`
that a second, hand-planted mutation pass found unpinned by the rule tests, one
hand-built timeline each.

The rules are those of docs/explanation/violations.md ("Triggered commitments", and
"Scope" under the rules of candidates), docs/explanation/claims.md ("Figures are
claims"), docs/explanation/semantics.md ("The open request") and the views'
docstrings. The expected values are written out by hand from the rules, never
computed by the code under test. Records replay by ``occurred`` (valid time), not by
append order.
"""

from __future__ import annotations

from typing import Any

from conflict_timeline import (
    CasualtyEstimates,
    CasualtyReport,
    Commitment,
    Condition,
    Correction,
    Figure,
    OpenRequests,
    PlaceDefined,
    Request,
    RequestLog,
    Retraction,
    Scope,
    Source,
    TimeExtent,
    TriggeredCommitments,
)
from rule_kit import TWO_STATES, load, wire
from test_trigger_fold import _raid  # North's army's military raid at a place

PLACES = (
    PlaceDefined(id="land", name="Land", place_kind="country"),
    PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
    PlaceDefined(id="coast", name="Coast", place_kind="country"),
    PlaceDefined(id="harbour", name="Harbour", place_kind="city", parent="coast"),
)


# ------------------------------------------------------------ TriggeredCommitments


def _pledge(occurred: str, scope: Scope) -> Commitment:
    return Commitment(
        id="pledge",
        occurred=occurred,
        effective="2020-01-01",
        sources=wire(occurred),
        commitment_kind="mutual_defense",
        parties=("south",),
        scope=scope,
        condition=Condition(attack_within=("land",)),
    )


def test_a_pledge_made_after_attacks_does_not_weigh_those_in_a_place_it_excludes() -> None:
    """Scope (violations.md): a place is in scope when none of it and the places it
    lies within is excluded, and attacks outside the commitment's scope "are not
    weighed at all" (not counted in ``considered``, not given as examples). A pledge
    for everywhere but Coast, made on 1 March in effect from 1 January, meets an
    attack in Town and does not weigh the one in Harbour (within Coast), whether it
    is made before the attacks (pending when they are replayed) or after them (it
    looks back at them)."""
    for occurred in ("2019-12-01", "2020-03-01"):
        tl = load(
            *TWO_STATES,
            *PLACES,
            _pledge(occurred, Scope(exclude=("coast",))),
            _raid("in-harbour", "2020-02-01", "harbour"),
            _raid("in-town", "2020-02-02", "town"),
        )
        found = tl.state(TriggeredCommitments, at="2020-03-15").get("pledge")
        assert found is not None, occurred
        assert (found.attacks, found.considered, found.examples) == (("in-town",), 0, ()), occurred


# ------------------------------------------------------------------------ requests


def test_requests_are_ordered_by_the_first_instant_they_may_have_been_made() -> None:
    """`OpenRequests`/`RequestLog` are "ordered by when each request was made", read
    as replay order reads ``occurred``: its earliest instant, then the id. A request
    dated only "February 2020" may have been made on 1 February, so it comes before
    one made on 10 February, though its month runs later and its id sorts after."""

    def request(rid: str, occurred: str) -> Request:
        return Request(
            id=rid,
            occurred=occurred,
            sources=wire("2020-03-01"),
            requester="south",
            requested_of="north",
            summary="help",
        )

    tl = load(*TWO_STATES, request("a-day", "2020-02-10"), request("z-month", "2020-02"))
    assert tl.state(OpenRequests).ids() == ("z-month", "a-day")
    assert tl.state(RequestLog).ids() == ("z-month", "a-day")
    tied = load(*TWO_STATES, request("b", "2020-02-10"), request("a", "2020-02-10"))
    assert tied.state(OpenRequests).ids() == ("a", "b")  # the same instant: by id


# ---------------------------------------------------------------------- casualties


def _figure(rid: str, best: int, **fields: Any) -> CasualtyReport:
    made: dict[str, Any] = {
        "occurred": "2024-10-20",
        "sources": wire("2024-10-21"),
        "claimed_by": "south",
        "category": "civilian",
        "measure": "killed",
        "count": Figure(best=best),
        **fields,
    }
    return CasualtyReport(id=rid, **made)


def test_a_claimants_figures_for_different_measures_are_kept_apart() -> None:
    """claims.md: `CasualtyEstimates` gives a latest figure "per claimant, category,
    measure and place". South's count of civilians killed and its count of civilians
    injured, for the same day and place, are two estimates, not one replacing the
    other (ordered by measure: "injured" before "killed")."""
    tl = load(
        *TWO_STATES,
        _figure("r-killed", 10, measure="killed"),
        _figure("r-injured", 25, measure="injured"),
    )
    got = [(e.id, e.measure.value, e.figure.best) for e in tl.state(CasualtyEstimates)]
    assert got == [("r-injured", "injured", 25), ("r-killed", "killed", 10)]


def test_estimates_are_ordered_by_claimant_then_category_then_measure() -> None:
    """The view's docstring: ordered "by claimant, category, measure and place". North's
    figure comes first whatever its category and measure; of South's, the civilian
    figure comes before the combatant one, though its measure ("killed") sorts after
    the other's ("injured")."""
    tl = load(
        *TWO_STATES,
        _figure("c", 1, claimed_by="south", category="combatant", measure="injured"),
        _figure("b", 2, claimed_by="south", category="civilian", measure="killed"),
        _figure("a", 3, claimed_by="north", category="combatant", measure="displaced"),
    )
    assert tl.state(CasualtyEstimates).ids() == ("a", "b", "c")


def test_a_named_claimant_is_the_claimant_whatever_the_sources() -> None:
    """`CasualtyEstimate.claimant`: the report's ``claimed_by``, "or its first source's
    publisher when no actor is named". A figure South claims, cited from a wire
    report, is South's."""
    tl = load(*TWO_STATES, _figure("r", 5, claimed_by="south"))
    assert [(e.id, e.claimant) for e in tl.state(CasualtyEstimates)] == [("r", "south")]


def test_an_estimate_is_as_of_the_time_it_covers_and_reported_when_published() -> None:
    """`CasualtyEstimate.as_of` is "the time the figure covers (the report's
    ``occurred``)" and ``reported`` when it was reported: a figure for 20 October
    published on 22 October."""
    tl = load(*TWO_STATES, _figure("r", 5, sources=wire("2024-10-22")))
    (estimate,) = tl.state(CasualtyEstimates)
    assert estimate.as_of == TimeExtent.parse("2024-10-20")
    assert estimate.reported == TimeExtent.parse("2024-10-22")


def test_of_figures_covering_the_same_time_the_one_reported_from_later_is_latest() -> None:
    """claims.md: the latest figure is the one covering the latest time, "then the
    latest reported", reported read by its earliest bound (the start of its knowledge
    time, as in replay order and tests/oracles/views.py). Two figures for 20 October:
    one published "November 2024" (known from 1 November), one published on 15
    November. The one reported on 15 November is the latest, though the month runs
    later and its id sorts first."""

    def published(day: str) -> tuple[Source, ...]:
        return (Source(publisher="Wire", published=day),)

    tl = load(
        *TWO_STATES,
        _figure("z-month", 300, sources=published("2024-11")),
        _figure("a-day", 12, sources=published("2024-11-15")),
    )
    assert [(e.id, e.figure.best) for e in tl.state(CasualtyEstimates)] == [("a-day", 12)]


def test_a_figure_corrected_to_another_claimant_leaves_the_first_its_earlier_one() -> None:
    """claims.md: figures are never merged across claimants, and a correction
    replaces a record from its knowledge time on. South gives 10 for 20 October and
    20 for 22 October; a correction known from 25 October says the 22 October figure
    was North's. From then South's latest is its 10 again and North's is the 20;
    before, South's is the 20 and North has none. When South's 10 is retracted
    (known from 27 October) South has no figure left."""
    first = _figure("s-20", 10, occurred="2024-10-20", sources=wire("2024-10-21"))
    second = _figure("s-22", 20, occurred="2024-10-22", sources=wire("2024-10-23"))
    moved = Correction(
        id="fix-s-22",
        occurred="2024-10-25",
        sources=wire("2024-10-25"),
        corrects="s-22",
        replacement=_figure(
            "s-22", 20, occurred="2024-10-22", sources=wire("2024-10-23"), claimed_by="north"
        ),
    )
    tl = load(*TWO_STATES, first, second, moved)

    def latest(**cuts: str) -> list[tuple[str, str, int | None]]:
        return [(e.claimant, e.id, e.figure.best) for e in tl.state(CasualtyEstimates, **cuts)]

    assert latest(known_at="2024-10-24") == [("south", "s-22", 20)]
    assert latest() == [("north", "s-22", 20), ("south", "s-20", 10)]
    tl.append(
        Retraction(
            id="drop-s-20", occurred="2024-10-27", sources=wire("2024-10-27"), retracts="s-20"
        )
    )
    assert latest(known_at="2024-10-26") == [("north", "s-22", 20), ("south", "s-20", 10)]
    assert latest() == [("north", "s-22", 20)]


def test_a_figure_with_neither_claimant_nor_source_is_unattributed() -> None:
    """claims.md: a figure with neither ``claimed_by`` nor a source is listed under
    the claimant "unattributed", apart from South's own figure for the same day."""
    bare = _figure("bare", 7, claimed_by=None, sources=(), reported="2024-10-21")
    tl = load(*TWO_STATES, bare, _figure("south-own", 9))
    got = [(e.claimant, e.id, e.figure.best) for e in tl.state(CasualtyEstimates)]
    assert got == [("south", "south-own", 9), ("unattributed", "bare", 7)]
