"""Importing into a timeline: one transaction, what the store holds, re-imports.

The ACLED files are synthetic (invented rows in ACLED's layout); the GED file is
1,000 real rows (see tests/data/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conflict_timeline import (
    ActiveCommitments,
    Attack,
    ImportDataError,
    ImportSummary,
    Timeline,
    current_records,
)

DATA = Path(__file__).parent / "data"
NUMERIC = DATA / "acled-synthetic-numeric-inter.csv"
NEWER = DATA / "acled-synthetic-numeric-inter-v2.csv"
BAD_LATITUDE = DATA / "acled-synthetic-bad-latitude.csv"
DELETIONS = DATA / "acled-synthetic-deletions.csv"
GED = DATA / "ucdp-ged-23.1-sample-1000.csv"


def attack_now(timeline: Timeline, rid: str, known_at: str | None = None) -> Attack | None:
    for recorded in current_records(timeline, known_at=known_at):
        if recorded.id == rid:
            assert isinstance(recorded.record, Attack)
            return recorded.record
    return None


@pytest.fixture
def timeline(tmp_path: Path) -> Timeline:
    return Timeline.open(tmp_path / "tl.db")


def test_first_import_appends_definitions_then_events(timeline: Timeline) -> None:
    summary = timeline.import_acled(NUMERIC)
    assert isinstance(summary, ImportSummary)
    assert (summary.rows, summary.events, summary.definitions) == (8, 6, 8)
    assert (summary.corrections, summary.retractions, summary.skipped) == (0, 0, 0)
    assert summary.refused == ()
    assert summary.out_of_scope == {"Protests": 1, "Riots": 1}  # skipped by design
    assert summary.appended == len(timeline) == 14
    assert (summary.first_position, summary.last_position) == (1, 14)
    assert timeline.verify().ok


def test_reimporting_a_newer_export_corrects_the_changed_row_only(timeline: Timeline) -> None:
    timeline.import_acled(NUMERIC)
    newer = timeline.import_acled(NEWER)
    assert (newer.corrections, newer.events, newer.definitions, newer.skipped) == (1, 0, 0, 5)
    assert len(timeline) == 15
    current = attack_now(timeline, "acled:SYN1")
    assert current is not None
    assert current.fatalities is not None
    assert current.fatalities.best == 5
    # Known from the newer export's timestamp (2023-11-21) on; before, the old toll.
    before = attack_now(timeline, "acled:SYN1", known_at="2023-11-20")
    assert before is not None
    assert before.fatalities is not None
    assert before.fatalities.best == 3
    # The same newer export again: nothing, not even a second correction.
    again = timeline.import_acled(NEWER)
    assert (again.appended, again.skipped) == (0, 6)
    assert len(timeline) == 15


def test_deletions_retract_and_an_older_export_does_not_bring_the_event_back(
    timeline: Timeline,
) -> None:
    timeline.import_acled(NUMERIC)
    deleted = timeline.import_acled_deletions(DELETIONS)
    # SYN99 was never imported: its deletion is skipped, counted as such.
    assert (deleted.retractions, deleted.skipped) == (1, 0)
    assert deleted.out_of_scope == {"event not held": 1}
    assert timeline.dangling_references() == []
    assert attack_now(timeline, "acled:SYN3") is None
    assert timeline.import_acled_deletions(DELETIONS).appended == 0
    # An older export still lists SYN3: outdated by the deletion, not brought back.
    old = timeline.import_acled(NUMERIC, strict=True)
    assert (old.appended, old.refused) == (0, ())
    assert old.flags == {
        "not newer than its deletion (the deletion kept)": 1,
        "fatalities empty": 1,  # SYN3's own empty count, read again
    }
    assert attack_now(timeline, "acled:SYN3") is None


def test_a_strict_import_that_fails_appends_nothing(timeline: Timeline) -> None:
    timeline.import_acled(NUMERIC)
    head, verified = timeline.head, timeline.verify()
    with pytest.raises(ImportDataError, match=r"line 5: latitude: 'abc' is not a number"):
        timeline.import_acled(BAD_LATITUDE, strict=True)
    assert timeline.head == head
    assert timeline.verify() == verified
    # Lenient: the good rows land, the bad one is listed.
    lenient = timeline.import_acled(BAD_LATITUDE)
    assert [(r.line, r.field) for r in lenient.refused] == [(5, "latitude")]


def test_ged_sample_into_sqlite(timeline: Timeline) -> None:
    summary = timeline.import_ucdp(GED)
    assert (summary.rows, summary.events, len(summary.refused)) == (1000, 1000, 0)
    assert summary.flags["figure inconsistent"] == 13
    assert len(timeline) == summary.appended
    assert timeline.verify().ok
    assert timeline.import_ucdp(GED).appended == 0  # the same release again
    assert timeline.state(ActiveCommitments).items == ()  # GED has events, not commitments


def test_importers_append_through_the_timeline(timeline: Timeline) -> None:
    live = timeline.live(ActiveCommitments)
    timeline.import_acled(NUMERIC)
    # ACLED's Agreement row is a statement: no open-ended active commitment.
    assert live.value.ids() == ()
    assert live.value == timeline.state(ActiveCommitments)
    timeline.import_("eth-prio", DATA / "ceasefires" / "eth-prio-sample.csv")
    assert live.value == timeline.state(ActiveCommitments)
    # A ceasefire not ended by the dataset's coverage (end_yr 0) has an unknown end
    # after it, and with no cut every end has passed: none is active for ever.
    assert [i for i in live.value.ids() if i.startswith("eth-prio:")] == []
    # At the last day of coverage the never-ended ones are active; ended ones are not.
    at_end = timeline.state(ActiveCommitments, at="2020-12-31")
    assert {"eth-prio:90008", "eth-prio:93013", "eth-prio:100002"} <= set(at_end.ids())
    assert "eth-prio:70001" not in at_end.ids()  # ended 1995-02-09
