"""Edges of the focused folds' windows (views/_focus.py) that the property tests of
tests/test_focused_folds.py reach too rarely: each case asks a first, filtered question
(the window is folded) and compares it with the same question asked of a timeline whose
view was folded whole first (the filter applied afterwards, no window involved), and
names by hand the evidence the answer must hold.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs
import pytest

from conflict_timeline import (
    Accusation,
    ActorDefined,
    Observation,
    PlaceDefined,
    ReportedViolations,
)
from conflict_timeline.views import _focus
from conflict_timeline.views._focus import commitment_window
from test_focused_folds import SRC, T0, _attack, _day, _fix, _load, _world


def _filtered_after(records: list[Any], **question: Any) -> list[Any]:
    """The question asked of a timeline whose view is folded whole first."""
    tl = _load(records)
    tl.state(ReportedViolations)  # the whole fold: no window from here on
    return list(tl.state(ReportedViolations, **question))


def test_evidence_naming_a_commitment_against_no_party_is_evidence_about_it() -> None:
    """An accusation naming the commitment as breached, or an observation counted
    against it, is evidence about the commitment even when it accuses (or attributes
    the violations to) an actor that is no party nor affiliated with one."""
    records = [
        *_world(),
        Accusation(
            id="breach-by-stray",
            occurred=_day(8),
            sources=SRC,
            accuser="south",
            accused=("stray",),
            breach_of="truce",
        ),
        Observation(
            id="counted-against-truce",
            occurred=_day(8),
            sources=SRC,
            monitor="south",
            violations=3,
            commitment="truce",
            attributed_to="stray",
        ),
    ]
    got = list(_load(records).state(ReportedViolations, commitment="truce"))
    assert got == _filtered_after(records, commitment="truce")
    whole = _load(records)
    everything = list(whole.state(ReportedViolations))
    assert got == [a for a in everything if a.commitment == "truce"]
    assert {"breach-by-stray", "counted-against-truce"} <= {a.evidence for a in got}


def test_a_period_holds_evidence_a_correction_moves_onto_its_last_instant() -> None:
    """``between=(start, end)`` includes both ends: an attack stored on day 20 and
    corrected to have happened on day 7 is evidence of the period from day 6 to day 7
    once the correction is known."""
    records = [
        *_world(),
        _attack("moved-in", "north-army", day=20),
        _fix(
            "moved-to-day-7", _attack("moved-in", "north-army", day=7), day=21, reason="misdated"
        ),
    ]
    period = (_day(6), _day(7))
    got = list(_load(records).state(ReportedViolations, between=period))
    assert got == _filtered_after(records, between=period)
    assert "moved-in" in {a.evidence for a in got}


class _PinnedHead:
    """A store whose head is pinned below what it holds: records appended (by another
    writer, say) while a window is being taken."""

    def __init__(self, store: Any, head: int) -> None:
        self._store, self._head = store, head

    def head(self) -> int:
        return self._head

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_a_window_holds_nothing_appended_after_its_head() -> None:
    """The window is taken as of the store's head when it starts: a denial of a
    window's attack, or a correction naming a party, stored past that head is not in
    it (nor drawn in through what it names)."""
    tl = _load(_world())
    head = next(r.position for r in tl.read() if r.id == "accusation")
    pinned: Any = _PinnedHead(tl.store, head)
    window = commitment_window(pinned, ReportedViolations.kinds or (), commitments=("truce",))
    assert window.head() == head
    assert window.rows
    held = {row.id for row in window.rows}
    assert {"by-army", "accusation", "truce"} <= held
    assert all(row.position <= head for row in window.rows)
    # Stored after the head: the denial of by-army, the correction making by-stray
    # North's (which names North), the band joining North's army.
    assert not held & {"denial", "stray-was-north", "band-joins", "by-stray"}


@pytest.mark.parametrize("bulk", [False, True], ids=["one-by-one", "in-one-read"])
def test_a_window_holds_a_named_record_stored_last(
    bulk: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record the window looks up by id (here the definition of the place an attack
    names, putting it inside the truce's district) counts when it is the last record
    stored, the store's head: found one by one or, past `_focus._MANY` ids, in one
    read of the index rows."""
    if bulk:
        monkeypatch.setattr(_focus, "_MANY", 0)
    records = [
        *_world(),
        _attack("in-new-town", "north-army", day=5, place="new-town"),
        PlaceDefined(id="new-town", name="New town", place_kind="town", parent="district"),
    ]
    got = list(_load(records).state(ReportedViolations, commitment="truce"))
    assert got == _filtered_after(records, commitment="truce")
    assert "in-new-town" in {a.evidence for a in got}


def test_a_window_folded_again_when_the_record_at_its_old_head_joins_it() -> None:
    """A window's fold reads on after an append only when what joined the window was
    appended since: the last record of the old window's store (its head), drawn in by
    an affiliation found later, is not such a record, so the window is folded
    afresh and that attack counts."""
    records = [*_world(), _attack("stray-last", "stray", day=5)]
    tl = _load(records)
    before = tl.state(ReportedViolations, commitment="truce")
    assert "stray-last" not in {a.evidence for a in before}
    joins = _fix(
        "stray-joins",
        ActorDefined(id="stray", name="Stray unit", actor_kind="armed_force", affiliation="north"),
        day=12,
        reason="affiliation found",
    )
    tl.append(joins, strict=False)
    got = list(tl.state(ReportedViolations, commitment="truce"))
    assert got == _filtered_after([*records, joins], commitment="truce")
    assert "stray-last" in {a.evidence for a in got}


def test_a_period_holds_the_evidence_stored_last() -> None:
    """The attack stored last (at the store's head) that happened in the period is
    evidence of it."""
    records = [*_world(), _attack("last-in-period", "south", day=6)]
    period = (_day(6), _day(7))
    got = list(_load(records).state(ReportedViolations, between=period))
    assert got == _filtered_after(records, between=period)
    assert "last-in-period" in {a.evidence for a in got}


def test_a_period_holds_evidence_a_correction_spreads_into_it() -> None:
    """A correction's replacement counts by its whole extent: an attack stored as of
    day 20, corrected to have happened some time on 7 January (the whole day), is
    evidence of a period starting at noon that day."""
    records = [
        *_world(),
        _attack("spread", "north-army", day=20),
        _fix(
            "spread-over-the-day",
            attrs.evolve(_attack("spread", "north-army"), occurred="2021-01-07"),
            day=21,
            reason="only the day is known",
        ),
    ]
    noon = (T0 + _dt.timedelta(days=6, hours=12)).isoformat()
    period = (noon, _day(8))
    got = list(_load(records).state(ReportedViolations, between=period))
    assert got == _filtered_after(records, between=period)
    assert "spread" in {a.evidence for a in got}


def test_a_window_hands_out_the_index_rows_of_the_kinds_asked_from_a_position() -> None:
    """`FocusedStore.index_rows` keeps to ``kinds`` and ``start``, as a store's does."""
    tl = _load(_world())
    window = commitment_window(tl.store, ReportedViolations.kinds or (), commitments=("truce",))
    attacks = {
        r.id for r in tl.read() if r.kind == "Attack" and r.id in {w.id for w in window.rows}
    }
    assert {row.id for row in window.index_rows(kinds={"Attack"})} == attacks
    start = next(r.position for r in tl.read() if r.id == "accusation")
    assert [row.position for row in window.index_rows(start=start)] == [
        row.position for row in window.rows if row.position >= start
    ]
