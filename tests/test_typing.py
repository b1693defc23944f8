"""What a type checker infers for the public API (checked by mypy --strict in lint).

At run time ``assert_type`` does nothing; these tests also run, so every line works.
"""

from __future__ import annotations

from typing import Any, assert_type

from conflict_timeline import (
    ActiveCommitment,
    ActiveCommitments,
    AnyRecord,
    CasualtyEstimate,
    CasualtyEstimates,
    Changes,
    Correction,
    Gazetteer,
    GazetteerResult,
    Listing,
    LiveView,
    Recorded,
    ReportedViolations,
    SeriesPoint,
    TimeExtent,
    Timeline,
    Verification,
    ViolationAssessment,
    from_json,
    to_json,
)
from conflict_timeline.datasets import karabakh_oct_2020


def test_views_return_their_declared_result_types() -> None:
    tl = Timeline()
    positions = tl.append(*karabakh_oct_2020())
    assert_type(positions, tuple[int, ...])
    active = tl.state(ActiveCommitments, at="2020-10-31")
    assert_type(active, Listing[ActiveCommitment])
    assert_type(active.items, tuple[ActiveCommitment, ...])
    violations = tl.state(ReportedViolations())
    assert_type(violations, Listing[ViolationAssessment])
    estimates = tl.state(CasualtyEstimates, known_at="2020-10-31")
    assert_type(estimates, Listing[CasualtyEstimate])
    places = tl.state(Gazetteer)
    assert_type(places, GazetteerResult)
    series = tl.series(ActiveCommitments, "2020-10-01", "2020-10-31", every="week")
    assert_type(series, tuple[SeriesPoint[Listing[ActiveCommitment]], ...])
    live = tl.live(ActiveCommitments)
    assert_type(live.value, Listing[ActiveCommitment])
    assert_type(tl.get("pact-1997"), Recorded)
    assert_type(tl.verify(), Verification)
    assert active.ids() == ("pact-1997", "civilian-protection", "russia-pledge")
    live.close()


def test_records_and_time_keep_their_types() -> None:
    record = karabakh_oct_2020()[0]
    assert_type(to_json(record), str)
    assert from_json(to_json(record)) == record
    day = TimeExtent.parse("2020-10-31")
    assert_type(day.possibly_by("2020-10-31"), bool)


def test_a_correction_of_any_record_type_checks() -> None:
    record: AnyRecord = karabakh_oct_2020()[-1]
    fix = record.corrected(id="fix", known="2020-11-02", notes="checked again")
    assert_type(fix, Correction)
    assert_type(fix.replacement, AnyRecord)
    assert fix.replacement.notes == "checked again"
    assert_type(TimeExtent.after("2020-10-18T00:00", hours=12), TimeExtent)
    assert_type(Timeline(tz="Asia/Yerevan").tz, str | None)


def test_a_view_by_name_gives_any_and_changes_give_the_entries_type() -> None:
    """A view asked for by name answers Any from ``series`` and ``live`` as from
    ``state`` (they inferred ``Never``, a type no value has); ``changes`` of a view
    whose answer is a ``Listing`` of entries gives changes of those entries."""
    tl = Timeline()
    tl.append(*karabakh_oct_2020())
    by_name = tl.series("active-commitments", "2020-10-25", "2020-10-31", every="week")
    assert_type(by_name, tuple[SeriesPoint[Any], ...])
    live = tl.live("active-commitments")
    assert_type(live, LiveView[Any, Any])
    assert live.value.ids() == ("pact-1997", "civilian-protection", "russia-pledge")
    live.close()
    found = tl.changes(ReportedViolations, known_from="2020-10-30", known_to="2020-10-31")
    assert_type(found, Changes[ViolationAssessment])
    entered = found.of("entered")[0].after
    assert_type(entered, ViolationAssessment | None)
    assert entered is not None
    assert entered.commitment == "civilian-protection"
    assert_type(
        tl.changes("gazetteer", known_from="2020-10-30", known_to="2020-10-31"), Changes[Any]
    )
