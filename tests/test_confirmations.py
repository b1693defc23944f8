"""Confirmations: a claim confirmed (or admitted) is corroborated from when that is known.

The rule (docs/explanation/claims.md): an assessment's status weighs the denials and
confirmations known of its evidence and incidents; the latest known (by the earliest
instant of its knowledge time) decides, a tie leaves it disputed, and verified
evidence stays verified when confirmed.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    Accusation,
    ActorDefined,
    Attack,
    Commitment,
    Confirmation,
    Denial,
    InvalidRecordError,
    MemoryStore,
    PlaceDefined,
    ReportedViolations,
    Source,
    Status,
    Timeline,
    from_json,
    to_json,
)
from conflict_timeline.strategies import timelines

FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")


def fixed_clock() -> _dt.datetime:
    return FIXED


def load(records: list[Any]) -> Timeline:
    tl = Timeline(MemoryStore(clock=fixed_clock))
    tl.append(*records, strict=False)
    return tl


def src(day: str) -> tuple[Source, ...]:
    return (Source(publisher="Reuters", published=day),)


BASE = [
    ActorDefined(id="am", name="Armenia", actor_kind="state"),
    ActorDefined(id="az", name="Azerbaijan", actor_kind="state"),
    Commitment(
        id="truce", occurred="2020-10-10", sources=src("2020-10-10"),
        commitment_kind="ceasefire", parties=("am", "az"), prohibits=("any_attack",),
    ),
    Attack(
        id="shot", occurred="2020-10-12", sources=src("2020-10-12"), perpetrator="az",
        target_class="military",
    ),
    Accusation(
        id="acc", occurred="2020-10-12", sources=src("2020-10-12"), accuser="am",
        accused=("az",), incidents=("shot",), breach_of="truce",
    ),
]  # fmt: skip


def status(tl: Timeline, **cuts: Any) -> Status:
    found = tl.state(ReportedViolations, **cuts).get("alleged:acc:truce")
    assert found is not None
    return found.status


def test_an_admission_corroborates_from_when_it_is_known() -> None:
    admits = Confirmation(
        id="sorry", occurred="2020-10-14", sources=src("2020-10-15"), confirmer="az",
        confirms="shot", admission=True, summary="regrets the strike",
    )  # fmt: skip
    tl = load([*BASE, admits])
    assert status(tl, known_at="2020-10-14") is Status.ALLEGED
    assert status(tl, known_at="2020-10-15") is Status.CORROBORATED
    assert tl.state(ReportedViolations).get("alleged:acc:truce").confirmations == ("sorry",)  # type: ignore[union-attr]


def test_the_latest_known_of_denial_and_confirmation_decides() -> None:
    denial = Denial(
        id="no", occurred="2020-10-13", sources=src("2020-10-13"), denier="az", denies="acc"
    )
    admits = Confirmation(
        id="yes", occurred="2020-10-20", sources=src("2020-10-20"), confirmer="az",
        confirms="acc", admission=True,
    )  # fmt: skip
    tl = load([*BASE, denial, admits])
    assert status(tl, known_at="2020-10-12") is Status.ALLEGED
    assert status(tl, known_at="2020-10-13") is Status.DISPUTED
    assert status(tl, known_at="2020-10-20") is Status.CORROBORATED
    # ...and a denial known after the confirmation disputes it again.
    later = Denial(
        id="no-again", occurred="2020-10-21", sources=src("2020-10-21"), denier="am", denies="yes"
    )
    denied_again = Denial(
        id="no-2", occurred="2020-10-22", sources=src("2020-10-22"), denier="az", denies="shot"
    )
    tl.append(later, denied_again)
    assert status(tl) is Status.DISPUTED


def test_the_latest_known_decides_by_when_each_was_reported_not_when_it_was_made() -> None:
    """The latest known of them (by ``reported``, earliest bound) decides: a denial
    made on 13 October but first reported on 25 October is known after a
    confirmation made and reported on 20 October, so it disputes the accusation
    (though it was made first); the other way round, a confirmation made first and
    reported last corroborates it."""
    late_denial = Denial(
        id="no", occurred="2020-10-13", sources=src("2020-10-25"), denier="az", denies="acc"
    )
    confirms = Confirmation(
        id="yes", occurred="2020-10-20", sources=src("2020-10-20"), confirmer="am", confirms="acc"
    )
    tl = load([*BASE, late_denial, confirms])
    assert status(tl, known_at="2020-10-20") is Status.CORROBORATED
    assert status(tl, known_at="2020-10-25") is Status.DISPUTED
    assert status(tl) is Status.DISPUTED
    denial = Denial(
        id="no", occurred="2020-10-20", sources=src("2020-10-20"), denier="az", denies="acc"
    )
    late_confirmation = Confirmation(
        id="yes", occurred="2020-10-13", sources=src("2020-10-25"), confirmer="am", confirms="acc"
    )
    tl = load([*BASE, denial, late_confirmation])
    assert status(tl, known_at="2020-10-20") is Status.DISPUTED
    assert status(tl) is Status.CORROBORATED


def test_a_denial_and_a_confirmation_known_together_leave_it_disputed() -> None:
    denial = Denial(
        id="no", occurred="2020-10-13", sources=src("2020-10-13"), denier="az", denies="acc"
    )
    confirms = Confirmation(
        id="yes", occurred="2020-10-13", sources=src("2020-10-13"), confirmer="am", confirms="acc"
    )
    assert status(load([*BASE, denial, confirms])) is Status.DISPUTED


def test_verified_evidence_stays_verified_when_confirmed() -> None:
    import attrs

    verified = [attrs.evolve(r, status="verified") if r.id == "acc" else r for r in BASE]
    confirms = Confirmation(
        id="yes", occurred="2020-10-13", sources=src("2020-10-13"), confirmer="am", confirms="acc"
    )
    assert status(load([*verified, confirms])) is Status.VERIFIED


def test_confirmation_validates_and_round_trips() -> None:
    with pytest.raises(InvalidRecordError, match=r"Confirmation 'c': confirms: .*itself"):
        Confirmation(id="c", occurred="2020-10-13", confirmer="am", confirms="c")
    with pytest.raises(InvalidRecordError, match=r"Confirmation 'c': admission"):
        Confirmation(id="c", occurred="2020-10-13", confirmer="am", confirms="x", admission="yes")  # type: ignore[arg-type]
    record = Confirmation(id="c", occurred="2020-10-13", confirmer="am", confirms="x")
    assert record.claimed_by == "am"
    assert from_json(to_json(record)) == record


# ------------------------------------------------------------------- the property

KINDS = [ActorDefined, PlaceDefined, Commitment, Attack, Accusation, Denial, Confirmation]


def _oracle(tl: Timeline, own: Status, targets: tuple[str, ...], known: int) -> Status:
    """The rule from the docs, over the records themselves."""
    said: list[tuple[int, bool]] = []  # (knowledge time, is a confirmation)
    for recorded in tl.read():
        record = recorded.record
        if recorded.reported.lo > known:
            continue
        if isinstance(record, Denial) and record.denies in targets:
            said.append((recorded.reported.lo, False))
        elif isinstance(record, Confirmation) and record.confirms in targets:
            said.append((recorded.reported.lo, True))
    if not any(confirmed for _, confirmed in said):
        return Status.DISPUTED if said else own
    latest = max(when for when, _ in said)
    if any(when == latest and not confirmed for when, confirmed in said):
        return Status.DISPUTED
    return own if own is Status.VERIFIED else Status.CORROBORATED


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(records=timelines(min_size=10, max_size=25, kinds=KINDS), data=st.data())
def test_a_confirmation_never_makes_a_claim_known_earlier(
    records: list[Any], data: st.DataObject
) -> None:
    # Denials and confirmations of the claims an assessment can rest on, drawn here
    # so that they are common (the history strategy spreads them over every record).
    claims = [r.id for r in records if isinstance(r, Attack | Accusation)]
    actor = next((r.id for r in records if isinstance(r, ActorDefined)), None)
    if claims and actor is not None:
        for n in range(data.draw(st.integers(0, 4))):
            target = data.draw(st.sampled_from(claims))
            day = f"2020-01-{data.draw(st.integers(1, 4)):02d}"
            common = {"occurred": day, "sources": src(day)}
            if data.draw(st.booleans()):
                records.append(
                    Confirmation(id=f"c{n}", confirmer=actor, confirms=target, **common)
                )
            else:
                records.append(Denial(id=f"d{n}", denier=actor, denies=target, **common))
    tl = load(records)
    times = {r.reported.lo for r in tl.read() if not r.reported.is_timeless}
    knowledge = sorted(times | {t - 1 for t in times})
    known = data.draw(st.sampled_from(knowledge)) if knowledge else 0
    cut = pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC).add(microseconds=known)
    for v in tl.state(ReportedViolations, known_at=cut):
        for cid in v.confirmations:
            assert tl.get(cid).reported.lo <= known  # never counted before it is known
        evidence = tl.get(v.evidence).record
        targets = (v.evidence, *v.incidents) if isinstance(evidence, Accusation) else (v.evidence,)
        assert v.status is _oracle(tl, evidence.status, targets, known), v.id
