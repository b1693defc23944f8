"""A commitment with several ends: one that has occurred by *T* ends it, whatever the
others say (docs/explanation/violations.md, "When a commitment is in force",
"Supersession and the winning end", and "Active time" under the rules of candidates;
DESIGN.md: active at T when "no ``CommitmentEnded`` for it has occurred by T").

So it has possibly ended by *T* once the earliest first instant among its ends is at
most *T*, certainly once the earliest *last* instant is, and its active time runs no
later than that earliest last instant: a later or coarser end (an explicit one, or one
implied by a successor in effect from a coarse date) never makes an earlier certain end
uncertain.

The case: truce A ends explicitly on 5 October 2024 (a day); B, announced on 1 October
(or, in a second version, learnt of on 7 October), supersedes A from "October 2024" (a
month): B's implied end of A begins on 1 October (it is the winning end) and may run to
31 October. The expected answers are written from the rule, never computed by the code
under test; the property test at the end checks every view against the oracles of
tests/oracles/, which follow the rule.
"""

from __future__ import annotations

from typing import Any

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    ActiveCommitments,
    Attack,
    Commitment,
    CommitmentEnded,
    CommitmentHistory,
    CommitmentStatus,
    Condition,
    PlaceDefined,
    Query,
    ReportedViolations,
    TriggeredCommitments,
)
from oracles import (
    active_commitments,
    commitment_history,
    reported_violations,
    triggered_commitments,
)
from rule_kit import TWO_STATES, load, wire

PLACES = (
    PlaceDefined(id="land", name="Land", place_kind="country"),
    PlaceDefined(id="town", name="Town", place_kind="city", parent="land"),
)


def truce(cid: str = "A", occurred: str = "2024-09-01", **fields: Any) -> Commitment:
    """A ceasefire binding North and South that is also a pledge (its condition: an
    attack within Land), so that every view weighs it."""
    made: dict[str, Any] = {
        "effective": occurred,
        "sources": wire(occurred),
        "commitment_kind": "ceasefire",
        "parties": ("north", "south"),
        "prohibits": ("any_attack",),
        "condition": Condition(attack_within=("land",)),
        **fields,
    }
    return Commitment(id=cid, occurred=occurred, **made)


A = truce()
A_ENDED = CommitmentEnded(
    id="A-collapsed",
    occurred="2024-10-05",
    sources=wire("2024-10-05"),
    commitment="A",
    reason="collapsed",
)
B = truce("B", "2024-10-01", effective="2024-10", supersedes=("A",))
# The same B, learnt of only on 7 October.
B_LATE = truce(
    "B", "2024-10-01", effective="2024-10", supersedes=("A",), sources=wire("2024-10-07")
)


def raid(day: str) -> Attack:
    return Attack(
        id=f"raid-{day}",
        occurred=day,
        sources=wire(day),
        perpetrator="north-army",
        place="town",
        target_class="military",
    )


def test_active_commitments_an_end_certainly_occurred_ends_it_whatever_a_coarser_end_says() -> (
    None
):
    """On 6 October A has certainly ended (5 October), with B or without it; B itself
    is only possibly in effect then."""
    certain = {"at": "2024-10-06", "certainty": "certain"}
    for records in ((A, A_ENDED), (A, A_ENDED, B)):
        tl = load(*TWO_STATES, *PLACES, *records)
        assert tl.state(ActiveCommitments, **certain).ids() == ()
    tl = load(*TWO_STATES, *PLACES, A, A_ENDED, B)
    assert tl.state(ActiveCommitments, at="2024-10-06").ids() == ("B",)
    # Before the dated end, A is certainly active: B's end of it has not certainly
    # occurred (it may lie as late as 31 October).
    assert tl.state(ActiveCommitments, at="2024-10-04", certainty="certain").ids() == ("A",)
    assert tl.state(ActiveCommitments, at="2024-11-01", certainty="certain").ids() == ("B",)


def test_learning_of_a_coarse_successor_does_not_bring_an_ended_commitment_back() -> None:
    """B is learnt of on 7 October: knowing more must not turn A from ended to active."""
    tl = load(*TWO_STATES, *PLACES, A, A_ENDED, B_LATE)
    for known in ("2024-10-06", "2024-10-07", None):
        got = tl.state(ActiveCommitments, at="2024-10-06", known_at=known, certainty="certain")
        assert got.ids() == (), known
        life = tl.state(
            CommitmentHistory, at="2024-10-06", known_at=known, certainty="certain"
        ).get("A")
        assert life is not None
        assert (life.status, life.ended) == (CommitmentStatus.ENDED, A_ENDED), known


def test_commitment_history_shows_the_end_that_has_occurred() -> None:
    """Under "certain" on 6 October A has ended by its dated end (the winning end, B's,
    has not certainly occurred); under "possible", and with no ``at``, the winning end
    is shown: it may have occurred from 1 October."""
    tl = load(*TWO_STATES, *PLACES, A, A_ENDED, B)
    life = tl.state(CommitmentHistory, at="2024-10-06", certainty="certain").get("A")
    assert life is not None
    assert (life.status, life.ended) == (CommitmentStatus.ENDED, A_ENDED)
    for cuts in ({"at": "2024-10-06"}, {}, {"certainty": "certain"}):
        life = tl.state(CommitmentHistory, **cuts).get("A")
        assert life is not None
        assert life.status is CommitmentStatus.ENDED
        assert life.ended is not None
        assert life.ended.id == "B~supersedes~A", cuts
    life = tl.state(CommitmentHistory, at="2024-10-04", certainty="certain").get("A")
    assert life is not None
    assert (life.status, life.ended) == (CommitmentStatus.ACTIVE, None)
    # Without B the answer on 6 October is the same.
    life = load(*TWO_STATES, *PLACES, A, A_ENDED).state(
        CommitmentHistory, at="2024-10-06", certainty="certain"
    )[0]
    assert (life.id, life.status, life.ended) == ("A", CommitmentStatus.ENDED, A_ENDED)


def test_triggered_commitments_does_not_list_a_pledge_whose_end_certainly_occurred() -> None:
    tl = load(*TWO_STATES, *PLACES, A, raid("2024-10-03"), A_ENDED, B_LATE)
    for known in ("2024-10-06", "2024-10-07", None):
        got = tl.state(TriggeredCommitments, at="2024-10-06", known_at=known, certainty="certain")
        assert got.get("A") is None, known
    before = tl.state(TriggeredCommitments, at="2024-10-04", certainty="certain").get("A")
    assert before is not None
    assert before.attacks == ("raid-2024-10-03",)


def test_reported_violations_the_window_ends_at_the_earliest_last_instant() -> None:
    """A's active time runs to the end of 5 October whatever B says: the raids of 3
    and 5 October are its candidates, the raid of 20 October is not (it is B's)."""
    raids = [raid(day) for day in ("2024-10-03", "2024-10-05", "2024-10-20")]
    expected_a = {"candidate:raid-2024-10-03:A", "candidate:raid-2024-10-05:A"}
    for successor in ((), (B,), (B_LATE,)):
        tl = load(*TWO_STATES, *PLACES, A, *raids, A_ENDED, *successor)
        for certainty in ("possible", "certain"):
            got = tl.state(ReportedViolations, certainty=certainty, commitment="A").ids()
            assert set(got) == expected_a, (successor, certainty)
        everything = set(tl.state(ReportedViolations).ids())
        assert {v for v in everything if v.endswith(":A")} == expected_a
    # Without the dated end, B's implied end alone bounds A: to 31 October.
    tl = load(*TWO_STATES, *PLACES, A, *raids, B)
    got = set(tl.state(ReportedViolations, commitment="A").ids())
    assert got == {*expected_a, "candidate:raid-2024-10-20:A"}


# ------------------------------------------------------------------ the property

_DAY_US = 86_400_000_000
_START = pendulum.datetime(2020, 1, 1, tz="UTC")


@st.composite
def _extent(draw: st.DrawFn) -> str:
    """A date in the first half of 2020, of a drawn precision."""
    day = _START.add(days=draw(st.integers(0, 180)))
    precision = draw(st.sampled_from(("day", "day", "week", "month", "year")))
    if precision == "day":
        return day.format("YYYY-MM-DD")
    if precision == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if precision == "month":
        return day.format("YYYY-MM")
    return "2020"


@st.composite
def _ends_case(draw: st.DrawFn) -> list[Any]:
    """A truce A with explicit ends and successors that supersede it (dated at every
    precision, learnt of on drawn days), and raids within its scope."""
    records: list[Any] = [*TWO_STATES, *PLACES]
    records.append(truce(occurred=draw(_extent())))
    for i in range(draw(st.integers(0, 3))):
        records.append(
            CommitmentEnded(
                id=f"end-{i}",
                occurred=draw(_extent()),
                sources=wire(draw(_extent())),
                commitment="A",
                reason="collapsed",
            )
        )
    for i in range(draw(st.integers(0, 3))):
        records.append(
            truce(
                f"successor-{i}",
                draw(_extent()),
                effective=draw(_extent()),
                sources=wire(draw(_extent())),
                supersedes=("A",),
            )
        )
    for i in range(draw(st.integers(0, 4))):
        day = draw(_extent())
        records.append(
            Attack(
                id=f"raid-{i}",
                occurred=day,
                sources=wire(day),
                perpetrator="north-army",
                place="town",
                target_class="military",
            )
        )
    return records


def _bounds(records: list[Any]) -> list[int]:
    out: set[int] = set()
    for record in records:
        for extent in (record.occurred, getattr(record, "effective", None)):
            if extent is not None and not extent.is_timeless:
                out.update((extent.lo - 1, extent.lo, extent.last, extent.last + 1))
    return sorted(out)


def _cut(us: int | None) -> pendulum.DateTime | None:
    if us is None:
        return None
    return pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC).add(microseconds=us)


ORACLES: dict[type[Any], Any] = {
    ActiveCommitments: active_commitments,
    CommitmentHistory: commitment_history,
    TriggeredCommitments: triggered_commitments,
    ReportedViolations: reported_violations,
}


@settings(
    max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(records=_ends_case(), data=st.data())
def test_every_view_follows_the_rule_for_several_ends(
    records: list[Any], data: st.DataObject
) -> None:
    """Every view agrees with its oracle, at the bounds of the records' dates, under
    both certainties, with and without a ``known_at`` cut. And, written out here for
    ActiveCommitments: A is active exactly when it has been made and taken effect and
    none of its ends has happened (a successor's once it is made and in effect)."""
    tl = load(*records)
    envelopes = list(tl.read())
    bounds = _bounds(records)
    a = records[len(TWO_STATES) + len(PLACES)]
    explicit = [r for r in records if isinstance(r, CommitmentEnded)]
    successors = [r for r in records if isinstance(r, Commitment) and r.supersedes]
    for _ in range(3):
        at = data.draw(st.sampled_from(bounds), label="at")
        certainty = data.draw(st.sampled_from(("possible", "certain")), label="certainty")
        known = data.draw(st.one_of(st.none(), st.sampled_from(bounds)), label="known_at")
        query = Query(at=at, known_at=known, certainty=certainty)
        for view, oracle in ORACLES.items():
            got = tl.state(view, at=_cut(at), known_at=_cut(known), certainty=certainty)
            assert tuple(got) == oracle(envelopes, query), (view.__name__, query.describe())
        if known is None:

            def happened(
                extent: Any, at: int = at, certain: bool = certainty == "certain"
            ) -> bool:
                return (extent.last if certain else extent.lo) <= at

            ended = any(happened(e.occurred) for e in explicit) or any(
                happened(s.occurred) and happened(s.starts) for s in successors
            )
            expected = happened(a.occurred) and happened(a.starts) and not ended
            active = tl.state(ActiveCommitments, at=_cut(at), certainty=certainty).ids()
            assert ("A" in active) == expected, query.describe()


# ------------------------- ties among ends that certainly occurred (mutation survivors)


def test_under_certain_an_explicit_end_wins_a_tie_on_the_last_instant() -> None:
    """violations.md: under "certain", of the ends that certainly occurred before the
    winning end did, the one with the earliest last instant is shown, ties as above:
    explicit before implied. C, in effect from the last minute of 5 October, implies an
    end of A with the same last instant as A's explicit end (the day 5 October)."""
    c = truce("C", "2024-10-01", effective="2024-10-05T23:59", supersedes=("A",))
    tl = load(*TWO_STATES, *PLACES, A, A_ENDED, B, c)
    life = tl.state(CommitmentHistory, at="2024-10-06", certainty="certain").get("A")
    assert life is not None
    assert (life.status, life.ended) == (CommitmentStatus.ENDED, A_ENDED)


def test_under_certain_a_tie_of_explicit_ends_goes_to_the_one_known_first() -> None:
    """Ties as above, next: the earliest instant of the knowledge time, then the id.
    Two explicit ends of A with one last instant (the day 5 October, and its last
    minute), the one whose id sorts last known first: it is shown."""
    day = CommitmentEnded(
        id="z-day",
        occurred="2024-10-05",
        sources=wire("2024-10-06"),
        commitment="A",
        reason="collapsed",
    )
    minute = CommitmentEnded(
        id="a-minute",
        occurred="2024-10-05T23:59",
        sources=wire("2024-10-07"),
        commitment="A",
        reason="collapsed",
    )
    tl = load(*TWO_STATES, *PLACES, A, B, day, minute)
    life = tl.state(CommitmentHistory, at="2024-10-08", certainty="certain").get("A")
    assert life is not None
    assert life.ended == day
