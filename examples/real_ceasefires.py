"""Real ceasefires against real fighting: ETH/PRIO ceasefires and UCDP GED events.

Imports the rows of the ETH/PRIO Civil Conflict Ceasefire dataset and the 1,000-event
UCDP GED 23.1 sample kept in ``tests/data`` (real rows, see its README). Both name
actors by UCDP actor id (``actor:ucdp-<id>``), so the library can ask: which GED
attacks fall inside a ceasefire that binds the side that fought? It prints, for the
ceasefires that overlap the sample, the candidate violations found.

    python examples/real_ceasefires.py [ceasefires.csv] [ged.csv]

Candidate violations are not findings: GED names the two sides of a clash, not who
fired first, so the view takes a clash as possibly made by either side and lists it
against a ceasefire binding either (see the how-to "Import ceasefire and
peace-agreement datasets").
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from conflict_timeline import ActorDefined, Attack, Commitment, TimeExtent, Timeline
from conflict_timeline.views import CommitmentHistory, ReportedViolations
from conflict_timeline.views.violations import Basis, ViolationAssessment

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def main(ceasefires: Path, ged: Path) -> None:
    timeline = Timeline()
    for name, path in (("eth-prio", ceasefires), ("ucdp", ged)):
        print(timeline.import_(name, path))
    found = timeline.state(ReportedViolations)
    candidates = sum(len(v.incidents) for v in found.items if v.basis is Basis.CANDIDATE)
    print(f"\nReportedViolations: {candidates} candidate violations (an attack by a party,")
    print("or a clash with a party on either side, in the ceasefire's country while it")
    print("could have been in force)")
    unilateral = _clashes(timeline, found.items, unilateral=True)
    print(
        f"of which {sum(len(v) for v in unilateral.values())} are clashes of a unilateral "
        f"ceasefire's party, on either side ({len(unilateral)} ceasefires), and"
    )
    between = _clashes(timeline, found.items)
    # Each ceasefire's coded end: a CommitmentEnded, as the importer records an end
    # with a date (known when it came, so not the commitment's own ``until``).
    ends = {
        life.id: life.ended.occurred for life in timeline.state(CommitmentHistory) if life.ended
    }
    certain = {
        cid: [a for a in attacks if _certainly_in_force(timeline, cid, a, ends.get(cid))]
        for cid, attacks in between.items()
    }
    certain = {cid: attacks for cid, attacks in certain.items() if attacks}
    print(
        f"{sum(len(v) for v in between.values())} are clashes between two parties "
        f"of the same ceasefire ({len(between)} ceasefires),"
    )
    print(
        f"and {sum(len(v) for v in certain.values())} of those fell while the ceasefire was "
        f"certainly in force by its coded dates ({len(certain)} ceasefires):"
    )
    between = certain
    for cid in sorted(between, key=lambda c: timeline.get(c).record.occurred.sort_key()):
        commitment = timeline.get(cid).record
        assert isinstance(commitment, Commitment)
        names = [_name(timeline, p) for p in commitment.parties]
        until = _end(commitment, ends.get(cid))
        print(f"\n{cid}: {' / '.join(names)}, from {commitment.starts}, {until}")
        for attack in between[cid]:
            deaths = attack.fatalities.best if attack.fatalities else "?"
            sides = f"{_name(timeline, attack.perpetrator)} vs {attack.target}"
            print(f"  {attack.id} {attack.occurred}: {sides}, {deaths} killed")


def _end(commitment: Commitment, end: TimeExtent | None) -> str:
    """The ceasefire's end as the dataset codes it: ``end``, its CommitmentEnded's
    time, when the dataset dates it. One it codes as not ended has an ``until`` from
    the year after its coverage to the last instant the library holds (possibly over
    at any time after the coverage): say that, not the raw span."""
    if end is not None:
        return f"until {end}"
    until = commitment.until
    if until is None:
        return "no end coded"
    if until.latest.year == 9999:
        return f"not ended by the end of {until.earliest.year - 1} (the dataset's coverage)"
    return f"until {until}"


def _clashes(
    timeline: Timeline, assessments: Iterable[ViolationAssessment], *, unilateral: bool = False
) -> dict[str, list[Attack]]:
    """Candidate violations whose two GED sides are both parties of the ceasefire (or,
    with ``unilateral``, the clashes listed against a ceasefire the dataset codes
    unilateral: ``side`` 1 on each of its rows, so every party is in ``announced_by``;
    a unilateral ceasefire declared by several actors together has several parties).

    ReportedViolations lists any attack by a bound party in the ceasefire's country
    and time, and any clash (`Attack.between_sides`) with a bound party on either
    side; a bilateral ceasefire binds its parties towards each other, so only the
    clashes between them are kept here.
    """
    candidates: dict[str, set[str]] = defaultdict(set)
    for assessment in assessments:
        if assessment.basis is Basis.CANDIDATE:
            candidates[assessment.commitment].update(assessment.incidents)
    between: dict[str, list[Attack]] = {}
    for cid, incidents in candidates.items():
        commitment = timeline.get(cid).record
        assert isinstance(commitment, Commitment)
        if unilateral != _unilateral(commitment):
            continue
        clashes = []
        for aid in incidents:
            attack = timeline.get(aid).record
            assert isinstance(attack, Attack)
            sides = (attack.perpetrator, attack.target_actor)
            if not attack.between_sides or sides[0] == sides[1]:
                continue
            if unilateral or all(side in commitment.parties for side in sides):
                clashes.append(attack)
        if clashes:
            between[cid] = sorted(clashes, key=lambda a: a.occurred.sort_key())
    return between


def _unilateral(commitment: Commitment) -> bool:
    """Coded unilateral by the dataset: the importer puts in ``announced_by`` the
    actors of the rows coded ``side`` 1, so a ceasefire every party of which is there
    is one its parties declared alone (not the count of its parties: ETH/PRIO codes
    unilateral ceasefires of two or three actors, and a multilateral one of one)."""
    announced = set(commitment.announced_by)
    return bool(announced) and set(commitment.parties) <= announced


def _certainly_in_force(
    timeline: Timeline, cid: str, attack: Attack, end: TimeExtent | None
) -> bool:
    """Did the attack fall wholly after the ceasefire certainly began and before it
    could have ended (its ``until``, or ``end``, its CommitmentEnded's time)? (An
    unknown end spans from the start, so it never is.)"""
    commitment = timeline.get(cid).record
    assert isinstance(commitment, Commitment)
    if attack.occurred.lo < commitment.starts.last:
        return False
    bounds = [x for x in (commitment.until, end) if x is not None]
    return all(attack.occurred.last < x.lo for x in bounds)


def _name(timeline: Timeline, actor: str | None) -> str:
    if actor is None:
        return "?"
    record = timeline.get(actor).record
    return record.name if isinstance(record, ActorDefined) else actor


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        Path(args[0]) if args else DATA / "ceasefires" / "eth-prio-sample.csv",
        Path(args[1]) if len(args) > 1 else DATA / "ucdp-ged-23.1-sample-1000.csv",
    )
