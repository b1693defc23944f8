"""Rule (import-ceasefires.md, "Ends"): a commitment's ``until`` holds only what is
known when it is declared (a fixed term), never an end that came later. An end the
dataset dates is a ``CommitmentEnded`` occurring, and known, when it came: a question
asked as known before the end finds the ceasefire in force; asked as known after it,
ended; with no knowledge cut, ended from the end on, as before.

Expected values are written from the rule and the rows below, not computed by the
importer: ETH/PRIO 652096's dates (declared and in effect 2016-12-14, ended
2016-12-16, as published) and UCDP peace agreement 1494's (signed 2013-01-11, ended
2013-03-18), on synthetic rows.
"""

from __future__ import annotations

import io

import attrs
import pytest

from conflict_timeline import Commitment, CommitmentEnded, Correction, TimeExtent, Timeline
from conflict_timeline.views import ActiveCommitments, CommitmentHistory
from test_ceasefire_mapping_rules import (
    ETH_COLUMNS,
    ETH_ROW,
    FIXED_COLUMNS,
    PA_COLUMNS,
    PA_ROW,
    _csv,
)

# Declared and in effect 2016-12-14, ended 2016-12-16 (no fixed term), as 652096.
ETH_ENDED = {
    **ETH_ROW,
    "cf_dec_yr": "2016",
    "cf_dec_month": "12",
    "cf_dec_day": "14",
    "cf_effect_yr": "2016",
    "cf_effect_month": "12",
    "cf_effect_day": "14",
    "ended": "1",
    "end_yr": "2016",
    "end_month": "12",
    "end_day": "16",
}
ETH_ID = "eth-prio:70001"
# Signed 2013-01-11, ended 2013-03-18, as UCDP peace agreement 1494.
PA_ENDED = {**PA_ROW, "pa_date": "2013-01-11", "ended": "True", "duration": "2013-03-18"}
PA_ID = "ucdp-pa:5001/terms"
CERTAINTIES = ["possible", "certain"]


def _timeline(importer: str, text: io.StringIO) -> Timeline:
    timeline = Timeline()
    summary = timeline.import_(importer, text)
    assert summary.refused == (), summary.refused
    return timeline


def _life(timeline: Timeline, cid: str, **query: str) -> tuple[str, TimeExtent | None]:
    """The commitment's status in CommitmentHistory, and the until it shows."""
    (life,) = [x for x in timeline.state(CommitmentHistory, **query) if x.id == cid]
    return life.status.value, life.until


def _active(timeline: Timeline, **query: str) -> list[str]:
    return [a.id for a in timeline.state(ActiveCommitments, **query)]


@pytest.mark.parametrize("certainty", CERTAINTIES)
def test_an_eth_prio_end_is_not_known_before_it_comes(certainty: str) -> None:
    timeline = _timeline("eth-prio", _csv(ETH_COLUMNS, [ETH_ENDED]))
    at = {"at": "2016-12-17", "certainty": certainty}
    # As known on the declaration day and the day after: in force, no until shown.
    for known in ("2016-12-14", "2016-12-15"):
        assert _life(timeline, ETH_ID, known_at=known, **at) == ("active", None)
        assert _active(timeline, known_at=known, **at) == [ETH_ID]
    # As known once the end day has passed, and with no knowledge cut: ended.
    for query in ({"known_at": "2016-12-17"}, {}):
        assert _life(timeline, ETH_ID, **query, **at) == ("ended", None)
        assert _active(timeline, **query, **at) == []
    # Before the end, with no knowledge cut: in force.
    assert _active(timeline, at="2016-12-15", certainty=certainty) == [ETH_ID]


@pytest.mark.parametrize("certainty", CERTAINTIES)
def test_a_peace_agreements_end_is_not_known_before_it_comes(certainty: str) -> None:
    timeline = _timeline("ucdp-peace-agreements", _csv(PA_COLUMNS, [PA_ENDED]))
    at = {"at": "2013-03-20", "certainty": certainty}
    assert _life(timeline, PA_ID, known_at="2013-01-15", **at) == ("active", None)
    assert _active(timeline, known_at="2013-01-15", **at) == [PA_ID]
    for query in ({"known_at": "2013-03-19"}, {}):
        assert _life(timeline, PA_ID, **query, **at) == ("ended", None)
        assert _active(timeline, **query, **at) == []
    assert _active(timeline, at="2013-03-17", certainty=certainty) == [PA_ID]
    # The end record: reason unstated, the cells as coded, known when it came.
    end = timeline.get(f"{PA_ID}/end").record
    assert isinstance(end, CommitmentEnded)
    day = TimeExtent.parse("2013-03-18")
    assert (end.commitment, end.occurred, end.reported) == (PA_ID, day, day)
    assert (end.reason.value, end.notes) == ("unstated", "ended=True; duration=2013-03-18")


def test_a_fixed_term_bounds_the_ceasefire_as_known_from_its_declaration() -> None:
    """Declared 2001-03-04 for 3 days from its effect (2001-03-05), end unknown: the
    term is its until, known when declared: certainly in force on 2001-03-06 and
    lapsed after 2001-03-07 as known on the declaration day."""
    row = {**ETH_ROW, "ended": "-1", "end_yr": "-1", "fixed": "1", "fixed_time": "3"}
    timeline = _timeline("eth-prio", _csv(FIXED_COLUMNS, [row]))
    term = TimeExtent.between(
        TimeExtent.parse("2001-03-05").earliest, TimeExtent.parse("2001-03-07").latest, "day"
    )
    known = {"known_at": "2001-03-04", "certainty": "certain"}
    assert _life(timeline, ETH_ID, at="2001-03-06", **known) == ("active", term)
    assert _life(timeline, ETH_ID, at="2001-03-09", **known) == ("lapsed", term)
    assert _active(timeline, at="2001-03-09", **known) == []


def test_reimporting_a_file_imported_with_the_end_as_until_corrects_the_commitment() -> None:
    # The commitment and its end as an earlier version of the importer wrote them: the
    # end also the commitment's until.
    fresh = _timeline("eth-prio", _csv(ETH_COLUMNS, [ETH_ENDED]))
    commitment = fresh.get(ETH_ID).record
    assert isinstance(commitment, Commitment)
    day = TimeExtent.parse("2016-12-16")
    old = Timeline()
    stored = [r.record for r in fresh.read()]
    old.extend([attrs.evolve(r, until=day) if r.id == ETH_ID else r for r in stored])
    assert old.get(ETH_ID).record.until == day  # type: ignore[attr-defined]
    summary = old.import_("eth-prio", _csv(ETH_COLUMNS, [ETH_ENDED]))
    assert (summary.corrections, summary.retractions) == (1, 0)
    (fix,) = [r.record for r in old.read(kinds=["Correction"])]
    assert isinstance(fix, Correction)
    assert fix.corrects == ETH_ID
    assert isinstance(fix.replacement, Commitment)
    assert fix.replacement.until is None
    # With no knowledge cut, the corrected record: ended, no until.
    assert _life(old, ETH_ID, at="2016-12-17") == ("ended", None)
    # A correction is known from when it is appended (three-clocks.md): as known on
    # the declaration day, this timeline still holds the until it was given then. A
    # timeline the file is imported into afresh does not (the first test above).
    assert _life(old, ETH_ID, at="2016-12-17", known_at="2016-12-14") == ("lapsed", day)


def test_a_peace_agreements_end_recoded_by_a_newer_release_is_corrected_or_retracted() -> None:
    timeline = _timeline("ucdp-peace-agreements", _csv(PA_COLUMNS, [PA_ENDED]))
    same = timeline.import_("ucdp-peace-agreements", _csv(PA_COLUMNS, [PA_ENDED]))
    assert (same.skipped, same.appended) == (1, 0)
    # Another end day: the end is corrected; the provision's notes keep the cells as
    # coded, so it is corrected too.
    moved = {**PA_ENDED, "duration": "2013-03-25"}
    summary = timeline.import_("ucdp-peace-agreements", _csv(PA_COLUMNS, [moved]))
    assert (summary.corrections, summary.retractions) == (2, 0)
    ends = [
        r.record
        for r in timeline.read(kinds=["Correction"])
        if isinstance(r.record, Correction) and r.record.corrects == f"{PA_ID}/end"
    ]
    assert ends[-1].replacement.occurred == TimeExtent.parse("2013-03-25")  # type: ignore[union-attr]
    # Recoded as not ended: the end retracted, the provision corrected (in force to
    # the end of the coverage).
    gone = {**PA_ENDED, "ended": "False", "duration": ""}
    summary = timeline.import_("ucdp-peace-agreements", _csv(PA_COLUMNS, [gone]))
    assert (summary.corrections, summary.retractions) == (1, 1)
    retracted = [r.record.retracts for r in timeline.read(kinds=["Retraction"])]  # type: ignore[attr-defined]
    assert retracted == [f"{PA_ID}/end"]
    assert _active(timeline, at="2013-03-30") == [PA_ID]
