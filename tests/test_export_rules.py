"""Rules of the exports (``_export.py``) that the twelfth mutation run found unpinned
(docs/testing.md, "The twelfth run"), one hand-built timeline each.

The rules are those of docs/howto/export.md and the docstrings of ``_export.py``;
the expected values are written out by hand from them, never computed by the code
under test.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import sys
from pathlib import Path
from typing import Any

import attrs
import orjson
import pendulum
import pytest
from hypothesis import assume, example, given, settings

from conflict_timeline import (
    ActorDefined,
    Attack,
    Codes,
    Commitment,
    CommitmentEnded,
    Condition,
    Coordinates,
    Correction,
    Figure,
    MemoryStore,
    MissingExtraError,
    PlaceDefined,
    QueryError,
    Retraction,
    Scope,
    Source,
    TimeExtent,
    Timeline,
    table_rows,
    to_arrow,
    to_dataframe,
    to_timelinejs,
    write_csv,
    write_parquet,
    write_timelinejs,
)
from conflict_timeline._export import (
    TABLE_COLUMNS,
    csv_cell,
    current_records,
    kind_columns,
    table_row,
)
from conflict_timeline.stores import Recorded
from conflict_timeline.strategies import records
from rule_kit import (
    ACLED_BATTLE,
    GED_NON_STATE,
    GED_ONE_SIDED,
    GED_STATE,
    TWO_STATES,
    clock,
    load,
    wire,
)

YEREVAN = "Asia/Yerevan"  # UTC+4 all year since 2012


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> _dt.datetime:
    """An aware UTC datetime, as the table holds its times."""
    return _dt.datetime(year, month, day, hour, minute, tzinfo=_dt.UTC)


def loose(*records: Any) -> Timeline:
    """A memory timeline holding ``records``, which may name actors and places it does
    not define (``strict=False``)."""
    tl = Timeline(MemoryStore(clock=clock))
    tl.append(*records, strict=False)
    return tl


def strike(aid: str, occurred: object, **fields: Any) -> Attack:
    made: dict[str, Any] = {"target_class": "civilian", "sources": wire("2020-10-01"), **fields}
    return Attack(id=aid, occurred=occurred, **made)


# ------------------------------------------------------------ the records as known


def test_records_come_in_replay_order_whatever_order_they_were_appended_in() -> None:
    """Replay order: by occurred, then reported, then id (docs/howto/export.md)."""
    tl = load(
        strike("m-third", "2020-10-01", reported="2020-10-05"),
        strike("a-second", "2020-10-01", reported="2020-10-05"),
        strike("z-first", "2020-10-01", reported="2020-10-02"),
        strike("b-earliest", "2020-09-30", reported="2020-10-09"),
    )
    want = ["b-earliest", "z-first", "a-second", "m-third"]
    assert [row["id"] for row in table_rows(tl)] == want
    assert [r.id for r in current_records(tl)] == want
    assert [e["unique_id"] for e in to_timelinejs(tl)["events"]] == want


def test_records_of_one_time_come_in_id_order_whatever_order_they_were_appended_in() -> None:
    """Replay order ends with the id (docs/howto/export.md): twenty records of one
    day reported together, appended in reverse id order, come out by id."""
    want = [f"r{i:02d}" for i in range(20)]
    tl = load(*(strike(rid, "2020-10-01", reported="2020-10-02") for rid in reversed(want)))
    assert [row["id"] for row in table_rows(tl)] == want
    assert [r.id for r in current_records(tl)] == want
    assert [e["unique_id"] for e in to_timelinejs(tl)["events"]] == want


def test_a_position_cut_shows_the_records_appended_up_to_it() -> None:
    tl = load(
        strike("late", "2020-10-09"),
        strike("early", "2020-10-01"),
        strike("appended-last", "2020-10-05"),
    )
    assert [r.id for r in current_records(tl, as_of=2)] == ["early", "late"]
    assert [r.position for r in current_records(tl, as_of=1)] == [1]


def test_without_known_at_the_exports_hold_everything_recorded() -> None:
    """No ``known_at`` is everything recorded, not "now": a report dated after the
    clock's today is in every export, and a cut before its date leaves it out."""
    tl = load(
        strike("today", "2020-10-01", reported="2020-10-02"),
        strike("future", "2020-10-03", reported="2999-01-01"),
    )
    both = ["today", "future"]
    assert [row["id"] for row in table_rows(tl)] == both
    assert to_arrow(tl).column("id").to_pylist() == both
    assert [e["unique_id"] for e in to_timelinejs(tl)["events"]] == both
    assert [row["id"] for row in table_rows(tl, known_at="2030-01-01")] == ["today"]


# ---------------------------------------------------- a knowledge cut in a timezone

# Reported at 21:00 UTC on 5 October: 01:00 on the 6th in Yerevan. A knowledge cut at
# "2020-10-05T23:00" read in Yerevan (19:00 UTC) does not know it; read in UTC, it does.
CUT = "2020-10-05T23:00"


def _cut_world() -> Timeline:
    return load(
        ActorDefined(
            id="north-army",
            name="North army",
            actor_kind="armed_force",
            reported=TimeExtent.parse("2020-10-05T21:00:00+00:00"),
        ),
        strike("known-early", "2020-10-01", perpetrator="north-army", reported="2020-10-02"),
        strike(
            "known-late",
            "2020-10-03",
            reported=TimeExtent.parse("2020-10-05T21:00:00+00:00"),
        ),
        Commitment(
            id="late-pledge",
            occurred="2020-10-02",
            reported=TimeExtent.parse("2020-10-05T21:00:00+00:00"),
            commitment_kind="ceasefire",
            parties=("north-army",),
        ),
    )


def test_every_export_reads_a_knowledge_cut_in_the_given_timezone(tmp_path: Path) -> None:
    tl = _cut_world()
    early = ["known-early"]
    # An actor's definition is timeless: first in replay order.
    both = ["north-army", "known-early", "late-pledge", "known-late"]
    assert [r.id for r in current_records(tl, known_at=CUT, tz=YEREVAN)] == early
    assert [r.id for r in current_records(tl, known_at=CUT)] == both
    assert [row["id"] for row in table_rows(tl, known_at=CUT, tz=YEREVAN)] == early
    assert list(to_dataframe(tl, known_at=CUT, tz=YEREVAN)["id"]) == early
    assert to_arrow(tl, known_at=CUT, tz=YEREVAN).column("id").to_pylist() == early
    assert write_parquet(tl, tmp_path / "t.parquet", known_at=CUT, tz=YEREVAN) == 1
    for target in (tmp_path / "t.csv", io.StringIO()):
        assert write_csv(tl, target, known_at=CUT, tz=YEREVAN) == 1
    with (tmp_path / "t.csv").open(encoding="utf-8", newline="") as fh:
        assert [row["id"] for row in csv.DictReader(fh)] == early


def test_timelinejs_shows_events_names_and_eras_as_known_in_the_given_timezone(
    tmp_path: Path,
) -> None:
    tl = _cut_world()
    then = to_timelinejs(tl, known_at=CUT, tz=YEREVAN)
    # The army's definition was not known yet: its id stands for its name.
    assert [(e["unique_id"], e["text"]["headline"]) for e in then["events"]] == [
        ("known-early", "north-army: attack on civilian target")
    ]
    assert then["eras"] == []
    assert then["title"]["text"] == {
        "headline": "Timeline",
        "text": "as known at 2020-10-05T23:00:59.999999+04:00",  # to the minute's end
    }
    now = to_timelinejs(tl, known_at=CUT)
    assert next(e["text"]["headline"] for e in now["events"]) == (
        "North army: attack on civilian target"
    )
    assert [era["text"]["headline"] for era in now["eras"]] == ["Ceasefire: North army"]
    path = tmp_path / "t.json"
    assert write_timelinejs(tl, path, known_at=CUT, tz=YEREVAN, title="Then") == 1
    written = orjson.loads(path.read_bytes())
    assert written["title"]["text"]["headline"] == "Then"
    assert [e["unique_id"] for e in written["events"]] == ["known-early"]


def test_the_title_slide_is_headlined_timeline_unless_told() -> None:
    tl = load(strike("one", "2020-10-01"))
    assert to_timelinejs(tl)["title"]["text"]["headline"] == "Timeline"
    stream = io.StringIO()
    assert write_timelinejs(tl, stream) == 1
    assert orjson.loads(stream.getvalue())["title"]["text"]["headline"] == "Timeline"


# ------------------------------------------------------------- TimelineJS: dates


def _event(occurred: TimeExtent) -> dict[str, Any]:
    events: list[dict[str, Any]] = to_timelinejs(load(strike("e", occurred)))["events"]
    (event,) = events
    return event


def test_an_instant_is_dated_to_the_second_in_its_own_zone() -> None:
    event = _event(TimeExtent.parse("2020-10-27T14:05:09+04:00", tz=YEREVAN))
    assert event["start_date"] == {
        "year": 2020,
        "month": 10,
        "day": 27,
        "hour": 14,
        "minute": 5,
        "second": 9,
    }
    assert "end_date" not in event


def test_one_day_or_one_month_has_a_start_date_only_in_its_own_zone() -> None:
    # The day of 27 October in Yerevan begins at 20:00 UTC on the 26th.
    day = _event(TimeExtent.parse("2020-10-27", tz=YEREVAN))
    assert day["start_date"] == {"year": 2020, "month": 10, "day": 27}
    assert "end_date" not in day
    assert day["display_date"] == "2020-10-27 (day, Asia/Yerevan)"
    month = _event(TimeExtent.parse("2020-10", tz=YEREVAN))
    assert month["start_date"] == {"year": 2020, "month": 10}
    assert "end_date" not in month


def test_one_minute_or_one_hour_has_a_start_date_only_in_its_own_zone() -> None:
    """export.md: an ``end_date`` for a span only: a minute or an hour is one unit
    of its precision, as a day is (it was drawn as a span to the next minute or
    hour, an end past its last instant)."""
    minute = _event(TimeExtent.parse("2020-10-27T14:05", tz=YEREVAN))
    assert minute["start_date"] == {"year": 2020, "month": 10, "day": 27, "hour": 14, "minute": 5}
    assert "end_date" not in minute
    hour = _event(TimeExtent.parse("2020-10-27T14", tz=YEREVAN))
    assert hour["start_date"] == {"year": 2020, "month": 10, "day": 27, "hour": 14, "minute": 0}
    assert "end_date" not in hour
    # Two hours are a span, to the minute.
    two = _event(
        TimeExtent.between(
            pendulum.datetime(2020, 10, 27, 14, tz=YEREVAN),
            pendulum.datetime(2020, 10, 27, 16, tz=YEREVAN),
            "hour",
            tz=YEREVAN,
        )
    )
    assert two["start_date"] == {"year": 2020, "month": 10, "day": 27, "hour": 14, "minute": 0}
    assert two["end_date"] == {"year": 2020, "month": 10, "day": 27, "hour": 16, "minute": 0}


def test_a_span_of_whole_days_ends_on_its_last_day_and_any_other_span_to_the_minute() -> None:
    days = _event(
        TimeExtent.between(
            pendulum.datetime(2020, 10, 27, tz=YEREVAN),
            pendulum.datetime(2020, 10, 30, tz=YEREVAN),
            "day",
            tz=YEREVAN,
        )
    )
    assert days["start_date"] == {"year": 2020, "month": 10, "day": 27}
    assert days["end_date"] == {"year": 2020, "month": 10, "day": 29}
    # From 06:00 to the next midnight: not whole days, so to the minute.
    hours = _event(
        TimeExtent.between(
            pendulum.datetime(2020, 10, 27, 6, tz=YEREVAN),
            pendulum.datetime(2020, 10, 28, tz=YEREVAN),
            "hour",
            tz=YEREVAN,
        )
    )
    assert hours["start_date"] == {"year": 2020, "month": 10, "day": 27, "hour": 6, "minute": 0}
    assert hours["end_date"] == {"year": 2020, "month": 10, "day": 28, "hour": 0, "minute": 0}


# -------------------------------------------------------- TimelineJS: text, media


def test_an_events_text_names_its_words_claimant_status_time_and_sources() -> None:
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        strike(
            "e",
            "2020-10-27",
            claimed_by="north",
            status="corroborated",
            fatalities=Figure(best=3),
            sources=(
                Source(
                    publisher="Wire",
                    title="A & B",
                    url="https://news.example/a?x=1&y=2",
                    published="2020-10-28",
                ),
                Source(publisher="Paper <daily>"),
            ),
        ),
    )
    (event,) = to_timelinejs(tl)["events"]
    assert event["text"]["text"] == (
        "<p>Fatalities: 3</p>"
        "<p>Claimed by North. Status: corroborated. When: 2020-10-27 (day, UTC).</p>"
        "<p>Sources:</p><ul>"
        '<li><a href="https://news.example/a?x=1&amp;y=2">'
        "Wire, &quot;A &amp; B&quot; (2020-10-28)</a></li>"
        "<li>Paper &lt;daily&gt;</li>"
        "</ul>"
    )
    assert event["media"] == {
        "credit": "Wire, &quot;A &amp; B&quot; (2020-10-28); Paper &lt;daily&gt;",
        "url": "https://news.example/a?x=1&y=2",
        "caption": "A &amp; B",
    }


def test_the_terms_keep_their_paragraphs_and_line_breaks() -> None:
    # PA-X and UCDP give an agreement's terms as lines and paragraphs: a blank line
    # (spaces on it or not) starts a new <p>, a single line break is a <br>, and the
    # space around each line is dropped.
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        _pledge(
            "terms",
            text="Article 1\r\nThe parties cease fire.\n \n\nArticle 2\n  Prisoners <all> free.\n",
        ),
    )
    (event,) = to_timelinejs(tl)["events"]
    assert event["text"]["text"].startswith(
        "<p>Article 1<br>The parties cease fire.</p>"
        "<p>Article 2<br>Prisoners &lt;all&gt; free.</p>"
        "<p>Status: alleged."
    )


def test_a_medium_without_a_title_is_captioned_with_its_publisher() -> None:
    tl = load(
        strike(
            "e",
            "2020-10-27",
            sources=(Source(publisher="Wire & Co", url="https://news.example/a"),),
        )
    )
    (event,) = to_timelinejs(tl)["events"]
    assert event["media"] == {
        "credit": "Wire &amp; Co",
        "url": "https://news.example/a",
        "caption": "Wire &amp; Co",
    }
    assert event["text"]["text"] == (
        "<p>Status: alleged. When: 2020-10-27 (day, UTC).</p>"
        '<p>Sources:</p><ul><li><a href="https://news.example/a">Wire &amp; Co</a></li></ul>'
    )


@pytest.mark.parametrize(("citing", "embedded"), [(5, True), (6, False)])
def test_a_url_more_than_five_records_cite_is_no_medium(citing: int, embedded: bool) -> None:
    page = Source(publisher="Portal", url="https://data.example/downloads")
    tl = load(*(strike(f"e{n}", f"2020-10-{n + 10}", sources=(page,)) for n in range(citing)))
    events = to_timelinejs(tl)["events"]
    assert len(events) == citing
    assert all(("media" in e) is embedded for e in events)
    assert all("https://data.example/downloads" in e["text"]["text"] for e in events)


def test_actor_and_place_definitions_and_timeless_records_are_no_events() -> None:
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        ActorDefined(
            id="dated-north",
            name="North",
            actor_kind="state",
            occurred="2020-10-01",
        ),
        strike("timeless", TimeExtent.timeless()),
        strike("dated", "2020-10-02"),
    )
    assert [e["unique_id"] for e in to_timelinejs(tl)["events"]] == ["dated"]


# ------------------------------------------------------------- TimelineJS: eras


def _pledge(cid: str, **fields: Any) -> Commitment:
    made: dict[str, Any] = {
        "occurred": "2020-09-20",
        "sources": wire("2020-09-20"),
        "commitment_kind": "ceasefire",
        "parties": ("north",),
        "effective": TimeExtent.parse("2020-10-01", tz=YEREVAN),
        **fields,
    }
    return Commitment(id=cid, **made)


def test_an_era_runs_from_taking_effect_to_its_end_its_lapse_or_the_last_event() -> None:
    """Days in the commitment's own zone: it took effect on 1 October in Yerevan
    (20:00 UTC on 30 September)."""
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        _pledge("ended"),
        CommitmentEnded(
            id="end",
            occurred=TimeExtent.parse("2020-10-10", tz=YEREVAN),
            sources=wire("2020-10-10"),
            commitment="ended",
            reason="collapsed",
        ),
        _pledge("lapsing", until=TimeExtent.parse("2020-10-20", tz=YEREVAN)),
        _pledge("open"),
        # The last event to end is not the last to begin.
        strike(
            "long",
            TimeExtent.between(
                pendulum.datetime(2020, 10, 12, tz=YEREVAN),
                pendulum.datetime(2020, 10, 31, tz=YEREVAN),
                "day",
                tz=YEREVAN,
            ),
        ),
        strike("short", TimeExtent.parse("2020-10-25", tz=YEREVAN)),
    )
    eras = {era["text"]["headline"]: era for era in to_timelinejs(tl)["eras"]}
    assert len(eras) == 1  # the three eras have one headline: look at the dates
    spans = [(era["start_date"], era["end_date"]) for era in to_timelinejs(tl)["eras"]]
    first = {"year": 2020, "month": 10, "day": 1}
    assert sorted(spans, key=lambda span: span[1]["day"]) == [
        (first, {"year": 2020, "month": 10, "day": 10}),
        (first, {"year": 2020, "month": 10, "day": 20}),
        (first, {"year": 2020, "month": 10, "day": 30}),
    ]


def test_an_era_that_ended_before_its_until_ends_when_it_ended() -> None:
    """An end recorded is the end, whatever the until said: the era stops on the day
    it ended, and an undated until no longer makes its end unknown."""
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        _pledge("lapsing", until=TimeExtent.parse("2020-10-20", tz=YEREVAN)),
        _pledge(
            "undated",  # declared for some days from 1 October, end unknown
            until=TimeExtent.between(
                pendulum.datetime(2020, 10, 1, tz=YEREVAN),
                pendulum.datetime(2020, 10, 14, tz=YEREVAN),
                "day",
                tz=YEREVAN,
            ),
            commitment_kind="civilian_protection",
        ),
        *(
            CommitmentEnded(
                id=f"end-{cid}",
                occurred=TimeExtent.parse("2020-10-10", tz=YEREVAN),
                sources=wire("2020-10-10"),
                commitment=cid,
                reason="collapsed",
            )
            for cid in ("lapsing", "undated")
        ),
        strike("late", TimeExtent.parse("2020-10-25", tz=YEREVAN)),
    )
    spans = {
        era["text"]["headline"]: (era["start_date"], era["end_date"])
        for era in to_timelinejs(tl)["eras"]
    }
    first, ended = {"year": 2020, "month": 10, "day": 1}, {"year": 2020, "month": 10, "day": 10}
    assert spans == {
        "Ceasefire: North": (first, ended),
        "Civilian protection: North": (first, ended),
    }


def test_an_era_that_ended_before_it_took_effect_is_its_first_minute() -> None:
    """A truce that collapsed before the day it was to take effect: its era does not
    end before it begins, and is its first minute (written to the minute, at least a
    minute long, as TimelineJS needs)."""
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        _pledge("stillborn"),  # in force from 1 October
        CommitmentEnded(
            id="end",
            occurred=TimeExtent.parse("2020-09-28", tz=YEREVAN),
            sources=wire("2020-09-28"),
            commitment="stillborn",
            reason="collapsed",
        ),
    )
    (era,) = to_timelinejs(tl)["eras"]
    assert (era["start_date"], era["end_date"]) == (
        {"year": 2020, "month": 10, "day": 1, "hour": 0, "minute": 0},
        {"year": 2020, "month": 10, "day": 1, "hour": 0, "minute": 1},
    )


def test_an_era_in_force_with_no_later_event_is_its_first_day() -> None:
    # One day, 1 October in Yerevan: to the minute, 00:00 to 23:59, since TimelineJS
    # drops an era's end equal to its start and then refuses the whole timeline.
    tl = load(ActorDefined(id="north", name="North", actor_kind="state"), _pledge("open"))
    (era,) = to_timelinejs(tl)["eras"]
    assert (era["start_date"], era["end_date"]) == (
        {"year": 2020, "month": 10, "day": 1, "hour": 0, "minute": 0},
        {"year": 2020, "month": 10, "day": 1, "hour": 23, "minute": 59},
    )


def _timelinejs_keeps(start: dict[str, int], end: dict[str, int]) -> bool:
    """TimelineJS 3's reading of an era (TimelineConfig._processDates, validate): the
    end is dropped when every field of the start is equal in it; a date is the first
    instant of what it names."""
    if all(end.get(field) == value for field, value in start.items()):
        return False
    fields = ("year", "month", "day", "hour", "minute")
    firsts = {"month": 1, "day": 1, "hour": 0, "minute": 0}
    return [end.get(f, firsts.get(f)) for f in fields] > [
        start.get(f, firsts.get(f)) for f in fields
    ]


def test_an_era_that_ends_within_the_unit_it_is_dated_to_is_written_to_the_minute() -> None:
    # ETH/PRIO: in force from 29 March 1989, ended in 1989 (its end known to the year):
    # {"year": 1989} would be 1 January, before the start, so both to the minute, to
    # the end's last instant. Effective in October 2020 (to the month), ended on
    # 15 October: {"year": 2020, "month": 10} and its end agree on every field the
    # start has. Effective and ended on 5 October: one day.
    north = ActorDefined(id="north", name="North", actor_kind="state")

    def ended(cid: str, when: str) -> CommitmentEnded:
        return CommitmentEnded(
            id=f"{cid}-end",
            occurred=TimeExtent.parse(when, tz=YEREVAN),
            sources=wire("2021-01-01"),
            commitment=cid,
            reason="collapsed",
        )

    tl = load(
        north,
        _pledge(
            "yearly",
            occurred="1989-03-29",
            sources=wire("1989-03-29"),
            effective=TimeExtent.parse("1989-03-29", tz=YEREVAN),
        ),
        ended("yearly", "1989"),
        _pledge("monthly", effective=TimeExtent.parse("2020-10", tz=YEREVAN)),
        ended("monthly", "2020-10-15"),
        _pledge("daily", effective=TimeExtent.parse("2020-10-05", tz=YEREVAN)),
        ended("daily", "2020-10-05"),
    )
    spans = [(era["start_date"], era["end_date"]) for era in to_timelinejs(tl)["eras"]]
    assert sorted(spans, key=lambda span: (span[0]["year"], span[0]["day"])) == [
        # Ended in 1989: to its last day, which TimelineJS reads as after 29 March.
        ({"year": 1989, "month": 3, "day": 29}, {"year": 1989, "month": 12, "day": 31}),
        (
            {"year": 2020, "month": 10, "day": 1, "hour": 0, "minute": 0},
            {"year": 2020, "month": 10, "day": 15, "hour": 23, "minute": 59},
        ),
        (
            {"year": 2020, "month": 10, "day": 5, "hour": 0, "minute": 0},
            {"year": 2020, "month": 10, "day": 5, "hour": 23, "minute": 59},
        ),
    ]
    assert all(_timelinejs_keeps(start, end) for start, end in spans)


def test_an_era_whose_end_is_not_dated_runs_to_its_last_possible_instant_and_says_so() -> None:
    # An until spanning more than one day, month or year is an end the source does
    # not date: certainly in force to its first instant, possibly to its last. The
    # era runs to the last (as far as the last event reaches), and its headline says
    # the end is unknown, with the until as str() writes it. A dated until is the end.
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        _pledge(
            "term",  # declared for three days from 1 October, end unknown
            until=TimeExtent.between(
                pendulum.datetime(2020, 10, 1, tz=YEREVAN),
                pendulum.datetime(2020, 10, 4, tz=YEREVAN),
                "day",
                tz=YEREVAN,
            ),
            commitment_kind="humanitarian_ceasefire",
        ),
        _pledge(
            "decades",  # possibly in force to the end of 2030: as far as the events go
            until=TimeExtent.between(
                pendulum.datetime(2020, 10, 1, tz=YEREVAN),
                pendulum.datetime(2031, 1, 1, tz=YEREVAN),
                "year",
                tz=YEREVAN,
            ),
        ),
        _pledge(
            "dated",
            until=TimeExtent.parse("2020-10-20", tz=YEREVAN),
            commitment_kind="civilian_protection",
        ),
        strike("late", TimeExtent.parse("2021-03-15", tz=YEREVAN)),
    )
    spans = {
        era["text"]["headline"]: (era["start_date"], era["end_date"])
        for era in to_timelinejs(tl)["eras"]
    }
    first = {"year": 2020, "month": 10, "day": 1}
    term = "2020-10-01..2020-10-03 (day, Asia/Yerevan)"
    decades = "2020-10-01..2030-12-31 (year, Asia/Yerevan)"
    assert spans == {
        f"Humanitarian ceasefire: North (end unknown: {term})": (
            first,
            {"year": 2020, "month": 10, "day": 3},
        ),
        # to the last event, 2021-03-15 (to the year, it was drawn to 1 January 2021)
        f"Ceasefire: North (end unknown: {decades})": (
            first,
            {"year": 2021, "month": 3, "day": 15},
        ),
        "Civilian protection: North": (first, {"year": 2020, "month": 10, "day": 20}),
    }


def test_an_era_known_to_the_month_is_dated_to_the_month() -> None:
    """export.md: an era's start known to the month is that month, not a made-up first
    day (TimelineJS takes a date of a year and month); its end, in force until
    December, is the last day it was possibly in force: 31 December. Written as
    ``{"year": 2020, "month": 12}``, TimelineJS read it as 1 December, and drew the
    era a month short."""
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        _pledge(
            "monthly",
            effective=TimeExtent.parse("2020-10", tz=YEREVAN),
            until=TimeExtent.parse("2020-12", tz=YEREVAN),
        ),
    )
    (era,) = to_timelinejs(tl)["eras"]
    assert (era["start_date"], era["end_date"]) == (
        {"year": 2020, "month": 10},
        {"year": 2020, "month": 12, "day": 31},
    )


# ------------------------------------------------------------------ a flat table


def test_a_row_holds_the_common_fields_and_the_kinds_own() -> None:
    """Times UTC (``*_end`` the first instant after), lists joined with "; ", enums by
    value, a figure by its four parts, a field the kind lacks None."""
    clock = pendulum.datetime(2024, 1, 1, 16, 30, tz=YEREVAN)  # 12:30 UTC
    tl = Timeline(MemoryStore(clock=lambda: clock))
    tl.append(
        strike(
            "e",
            TimeExtent.parse("2020-10-27", tz=YEREVAN),
            reported=TimeExtent.parse("2020-10-28T09:15:00+00:00"),
            claimed_by="north",
            status="verified",
            perpetrator="north-army",
            place="town",
            fatalities=Figure(low=2, best=3, high=5, as_reported="three"),
            codes=Codes(
                cameo="190",
                plover="ASSAULT",
                acled_event_type="Explosions/Remote violence",
                acled_sub_event_type="Shelling/artillery/missile attack",
                ucdp_type_of_violence="3",
            ),
            notes="a note",
            sources=(
                Source(publisher="Wire", url="https://a.example/1", published="2020-10-28"),
                Source(publisher="Paper"),
                Source(publisher="Radio", url="https://b.example/2"),
            ),
        ),
        strict=False,
    )
    (row,) = table_rows(tl)
    want: dict[str, Any] = dict.fromkeys(TABLE_COLUMNS)
    want.update(
        position=1,
        recorded_at=utc(2024, 1, 1, 12, 30),
        id="e",
        kind="Attack",
        occurred_start=utc(2020, 10, 26, 20),
        occurred_end=utc(2020, 10, 27, 20),
        occurred_precision="day",
        occurred_tz=YEREVAN,
        reported_start=utc(2020, 10, 28, 9, 15),
        reported_end=utc(2020, 10, 28, 9, 15),
        status="verified",
        claimed_by="north",
        sources="Wire (2020-10-28); Paper; Radio",
        source_urls="https://a.example/1; https://b.example/2",
        acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Shelling/artillery/missile attack",
        ucdp_type_of_violence="3",
        cameo="190",
        plover="ASSAULT",
        notes="a note",
        perpetrator="north-army",
        target_class="civilian",
        target="",
        between_sides=False,  # UCDP's one-sided violence: an attacker and a target
        place="town",
        fatalities_low=2,
        fatalities_best=3,
        fatalities_high=5,
        fatalities_as_reported="three",
    )
    assert row == want
    assert row["recorded_at"].tzinfo is _dt.UTC


def test_a_rows_reported_end_is_the_first_instant_after_its_knowledge_time() -> None:
    tl = Timeline(MemoryStore(clock=lambda: pendulum.datetime(2024, 1, 1, tz="UTC")))
    tl.append(strike("e", "2020-10-27", reported=TimeExtent.parse("2020-10")), strict=False)
    (row,) = table_rows(tl)
    assert (row["reported_start"], row["reported_end"]) == (utc(2020, 10, 1), utc(2020, 11, 1))


def test_a_row_gives_a_recording_time_in_another_zone_in_utc() -> None:
    recorded_at = pendulum.datetime(2024, 1, 1, 16, 30, 5, 7, tz=YEREVAN)
    recorded = Recorded(
        position=1,
        recorded_at=recorded_at,
        hash="h",
        record=strike("e", "2020-10-27"),
    )
    got = table_row(recorded)["recorded_at"]
    assert got == _dt.datetime(2024, 1, 1, 12, 30, 5, 7, tzinfo=_dt.UTC)
    assert got.tzinfo is _dt.UTC


def test_a_commitments_row_flattens_its_extents_scope_condition_and_lists() -> None:
    tl = loose(
        Commitment(
            id="c",
            occurred="2020-09-20",
            sources=wire("2020-09-20"),
            commitment_kind="civilian_protection",
            parties=("north", "south"),
            prohibits=("attacks_on_civilians", "attacks_on_civilian_objects"),
            scope=Scope(include=("land",), exclude=("coast", "isle")),
            condition=Condition(attack_within=("land",), by=("south",), description="if"),
            effective=TimeExtent.parse("2020-10-01", tz=YEREVAN),
            until="2020-11",
        )
    )
    (row,) = table_rows(tl)
    assert {c: v for c, v in row.items() if v is not None and c not in _COMMON} == {
        "commitment_kind": "civilian_protection",
        "parties": "north; south",
        "beneficiaries": "",
        "announced_by": "",
        "prohibits": "attacks_on_civilians; attacks_on_civilian_objects",
        "scope_include": "land",
        "scope_exclude": "coast; isle",
        "condition_attack_within": "land",
        "condition_by": "south",
        "condition_description": "if",
        "condition_against": "",
        "condition_match": "all",
        "effective_start": utc(2020, 9, 30, 20),
        "effective_end": utc(2020, 10, 1, 20),
        "until_start": utc(2020, 11, 1),
        "until_end": utc(2020, 12, 1),
        "text": "",
        "supersedes": "",
    }


_COMMON = frozenset(TABLE_COLUMNS[: TABLE_COLUMNS.index("name")])


@attrs.frozen
class _Annotated(Attack):
    """An attack with a field the table has no column for."""

    mood: str = "grim"
    tone: str = "flat"


def test_a_record_with_a_field_the_table_has_no_column_for_is_refused() -> None:
    recorded = Recorded(
        position=1,
        recorded_at=pendulum.datetime(2024, 1, 1, tz="UTC"),
        hash="h",
        record=_Annotated(id="x", occurred="2020-10-01", target_class="civilian"),
    )
    with pytest.raises(QueryError, match=r"^Attack 'x': no table column for mood, tone$"):
        table_row(recorded)


@given(records())
@example(  # coordinates: no drawn place has them
    PlaceDefined(id="p", name="P", place_kind="city", coordinates=Coordinates(lat=1.5, lon=2.5))
)
@settings(max_examples=200, deadline=None)
def test_every_cell_a_record_fills_is_among_its_kinds_columns(record: Any) -> None:
    """A kind's CSV table has `kind_columns` and no other (cli.md): so every cell a
    record of the kind can fill must be among them, or an export would drop it.
    (A table shows records as known: a correction's replacement, never the fix.)"""
    assume(not isinstance(record, Correction | Retraction))
    recorded = Recorded(
        position=1, recorded_at=pendulum.datetime(2024, 1, 1, tz="UTC"), hash="h", record=record
    )
    filled = {c for c, v in table_row(recorded).items() if v not in (None, "")}
    assert filled <= set(kind_columns(record.KIND)), filled - set(kind_columns(record.KIND))


# ----------------------------------------------------------------------- CSV


def test_a_csv_cell_is_empty_for_none_iso_for_a_time_and_defused_for_a_formula() -> None:
    assert csv_cell(None) == ""
    assert csv_cell(utc(2020, 10, 27, 6, 5)) == "2020-10-27T06:05:00+00:00"
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell(-5) == -5


def test_csv_lines_end_with_crlf_and_a_missing_value_is_an_empty_cell() -> None:
    tl = load(strike("e", "2020-10-27", fatalities=Figure(best=3)))
    stream = io.StringIO(newline="")
    assert write_csv(tl, stream) == 1
    header, line, end = stream.getvalue().split("\r\n")
    assert (header.split(","), end) == (list(TABLE_COLUMNS), "")
    cells = dict(zip(TABLE_COLUMNS, next(csv.reader([line])), strict=True))
    assert cells["fatalities_best"] == "3"
    assert cells["fatalities_low"] == cells["corrected_by"] == cells["claimed_by"] == ""
    assert cells["occurred_start"] == "2020-10-27T00:00:00+00:00"


# ----------------------------------------------------------- DataFrame, Arrow


def test_pandas_time_columns_are_utc_datetimes() -> None:
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        _pledge("c", until="2020-11"),
    )
    frame = to_dataframe(tl)
    for column in ("recorded_at", "occurred_start", "effective_start", "until_end"):
        assert str(frame[column].dtype) == "datetime64[us, UTC]", column
    assert list(frame["until_end"].dropna()) == [utc(2020, 12, 1)]


def test_an_unknown_dataframe_library_is_refused_by_name() -> None:
    with pytest.raises(QueryError, match=r"library must be 'pandas' or 'polars', got 'spark'"):
        to_dataframe(load(), library="spark")  # type: ignore[arg-type]


def test_an_empty_timeline_gives_an_arrow_table_with_every_column() -> None:
    table = to_arrow(load())
    assert (table.num_rows, table.column_names) == (0, list(TABLE_COLUMNS))
    assert str(table.schema.field("occurred_start").type) == "timestamp[us, tz=UTC]"
    assert str(table.schema.field("between_sides").type) == "bool"


def test_arrow_and_parquet_go_a_record_batch_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At most ``_ARROW_CHUNK`` rows a batch; Parquet zstd compressed, every row counted."""
    pq = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setattr("conflict_timeline._export._ARROW_CHUNK", 2)
    tl = load(*(strike(f"e{n}", f"2020-10-{n + 10}") for n in range(5)))
    assert [len(batch) for batch in to_arrow(tl).to_batches()] == [2, 2, 1]
    path = tmp_path / "t.parquet"
    assert write_parquet(tl, path) == 5
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 5
    assert {
        meta.row_group(g).column(c).compression
        for g in range(meta.num_row_groups)
        for c in range(meta.num_columns)
    } == {"ZSTD"}


def test_a_polars_frame_has_typed_columns_even_where_no_record_fills_one() -> None:
    """A polars frame's columns are typed as the Arrow table's: times UTC datetimes,
    counts Int64, coordinates Float64, truth values Boolean, text String, whether or
    not a row fills them; so the frames of two exports concatenate."""
    pl = pytest.importorskip("polars")
    attacks = to_dataframe(load(strike("e", "2020-10-27")), library="polars")
    want = {
        "effective_start": pl.Datetime("us", "UTC"),  # an attack has no effective
        "occurred_start": pl.Datetime("us", "UTC"),
        "fatalities_best": pl.Int64,  # this attack gives no figure
        "violations": pl.Int64,
        "position": pl.Int64,
        "lat": pl.Float64,
        "between_sides": pl.Boolean,
        "admission": pl.Boolean,
        "name": pl.String,
        "fatalities_as_reported": pl.String,
    }
    assert {c: attacks.schema[c] for c in want} == want
    pledge = Commitment(
        id="c",
        occurred="2020-10-01",
        sources=wire("2020-10-01"),
        commitment_kind="ceasefire",
        parties=("north",),
    )
    pledges = to_dataframe(loose(pledge), library="polars")
    both = pl.concat([attacks, pledges])
    assert both["id"].to_list() == ["e", "c"]
    assert both["effective_start"].to_list()[1] == utc(2020, 10, 1)


def test_the_arrow_exports_say_what_they_need(monkeypatch: pytest.MonkeyPatch) -> None:
    tl = load(strike("e", "2020-10-27"))
    with pytest.raises(
        QueryError,
        match=r"^write_parquet writes bytes: give it a path or a binary stream, not a text one$",
    ):
        write_parquet(tl, io.StringIO())  # type: ignore[arg-type]
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import now raises ImportError
    with pytest.raises(
        MissingExtraError,
        match=r"^to_arrow and write_parquet need pyarrow, which is not installed: "
        r"pip install 'conflict_timeline\[arrow\]' \(or pip install pyarrow\)$",
    ):
        to_arrow(tl)


@pytest.mark.parametrize(
    ("codes", "headline"),
    [
        (GED_STATE, "Fighting between North army and South army, Town"),
        (GED_NON_STATE, "Fighting between North army and South army, Town"),
        (ACLED_BATTLE, "Fighting between North army and South army, Town"),
        (GED_ONE_SIDED, "North army: shelling on South army, Town"),
        (None, "North army: shelling on South army, Town"),
    ],
)
def test_a_clash_between_sides_is_never_headlined_as_an_attack_of_one_on_the_other(
    codes: Codes | None, headline: str
) -> None:
    """docs/howto/import.md: GED's sides (and ACLED's battle actors) are sides, not
    attacker and target; exports say "Fighting between A and B", never "A: attack on
    B". A one-sided row keeps side A as the attacker."""
    tl = loose(
        *TWO_STATES,
        PlaceDefined(id="town", name="Town", place_kind="city"),
        strike(
            "clash",
            "2020-10-27",
            perpetrator="north-army",
            target_actor="south-army",
            target="South army",
            target_class="military",
            means="shelling",
            place="town",
            codes=codes,
        ),
    )
    (event,) = to_timelinejs(tl)["events"]
    assert event["text"]["headline"] == headline
    # The flat table keeps side A in perpetrator by convention, and says so.
    (row,) = [r for r in table_rows(tl) if r["id"] == "clash"]
    assert (row["perpetrator"], row["target_actor"]) == ("north-army", "south-army")
    assert row["between_sides"] is (codes in (GED_STATE, GED_NON_STATE, ACLED_BATTLE))


def test_a_headline_longer_than_160_characters_is_cut_and_the_text_gives_it_whole() -> None:
    """A party named by a whole signature block (PA-X) made a headline of thousands of
    characters: an event's headline and an era's are cut to 160 characters with an
    ellipsis, on one line; the event's text begins with the headline whole."""
    block = "For the North:\n" + "\n".join(f"Delegate number {n} of the North" for n in range(40))
    tl = load(
        ActorDefined(id="north", name=block, actor_kind="armed_force"),
        Commitment(
            id="c",
            occurred="2020-10-01",
            sources=wire("2020-10-01"),
            commitment_kind="ceasefire",
            parties=("north",),
        ),
    )
    data = to_timelinejs(tl)
    (event,) = data["events"]
    (era,) = data["eras"]
    flat = "Ceasefire: For the North: " + " ".join(
        f"Delegate number {n} of the North" for n in range(40)
    )
    cut = flat[:159].rstrip() + "\u2026"
    assert event["text"]["headline"] == cut
    assert era["text"]["headline"] == cut
    assert event["text"]["text"].startswith(f"<p>{flat}</p>")
    short = to_timelinejs(load(strike("e", "2020-10-27", perpetrator=None)))
    assert short["events"][0]["text"]["headline"] == "unknown: attack on civilian target"
    assert not short["events"][0]["text"]["text"].startswith("<p>unknown")


def test_the_other_side_of_a_clash_is_named_by_its_actor_when_there_is_one() -> None:
    """A clash between sides names both sides as actors, by their names in the
    gazetteer: the second from ``target_actor`` (not the words of ``target``, which a
    hand-built record may leave out or word otherwise); with no ``target_actor`` the
    words of ``target`` stand in."""
    clash = strike(
        "clash",
        "2020-10-27",
        perpetrator="north-army",
        target_actor="south-army",
        target_class="military",
        codes=GED_STATE,
    )
    tl = loose(*TWO_STATES, clash)
    (event,) = to_timelinejs(tl)["events"]
    assert event["text"]["headline"] == "Fighting between North army and South army"
    unnamed = attrs.evolve(clash, target_actor=None, target="a column of trucks")
    (event,) = to_timelinejs(loose(*TWO_STATES, unnamed))["events"]
    assert event["text"]["headline"] == "Fighting between North army and a column of trucks"


# ------------------------------------- rules a second mutation run found unpinned


def _read_as_timelinejs_does(date: dict[str, int]) -> tuple[int, ...]:
    """The first instant of what a TimelineJS date names (a year is its 1 January)."""
    return tuple(date.get(field, default) for field, default in _TJS_FIELDS)


_TJS_FIELDS = (("year", 0), ("month", 1), ("day", 1), ("hour", 0), ("minute", 0))


def test_an_era_ended_in_the_year_it_began_runs_to_the_years_last_day() -> None:
    """export.md: an era's end is the day of the last instant it was possibly in force.
    In force from 1 January 1989 (a day), ended in 1989 (a year): its end is 31
    December 1989, which TimelineJS reads as after the start (written as the year,
    TimelineJS read both as 1 January, and the era had to be written to the minute)."""
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        _pledge(
            "truce", occurred="1988-12-20", effective="1989-01-01", sources=wire("1988-12-20")
        ),
        CommitmentEnded(
            id="end",
            occurred="1989",
            sources=wire("1990-01-05"),
            commitment="truce",
            reason="collapsed",
        ),
    )
    (era,) = to_timelinejs(tl)["eras"]
    start, end = era["start_date"], era["end_date"]
    assert (start, end) == (
        {"year": 1989, "month": 1, "day": 1},
        {"year": 1989, "month": 12, "day": 31},
    )
    assert _read_as_timelinejs_does(end) > _read_as_timelinejs_does(start)


def test_timelinejs_leaves_out_actors_and_places_even_dated() -> None:
    """export.md: an event per record, actors and places left out, whether or not
    they have a date."""
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state", occurred="2020-10-01"),
        PlaceDefined(id="town", name="Town", place_kind="city", occurred="2020-10-01"),
        strike("raid", "2020-10-02"),
    )
    assert [e["unique_id"] for e in to_timelinejs(tl)["events"]] == ["raid"]


# ------------------------------------------------- a TimelineJS of a span, of kinds


def _window_timeline() -> Timeline:
    """Commitments and attacks around February 2020 (UTC): "early" took effect in
    January and ended on 5 March, "open" took effect on 20 February and has no end,
    "gone" was over in 2019, "later" takes effect in June."""
    return load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        _pledge("early", occurred="2020-01-10", effective=TimeExtent.parse("2020-01-10")),
        CommitmentEnded(
            id="early-end",
            occurred=TimeExtent.parse("2020-03-05"),
            sources=wire("2020-03-05"),
            commitment="early",
            reason="collapsed",
        ),
        _pledge("open", occurred="2020-02-20", effective=TimeExtent.parse("2020-02-20")),
        _pledge(
            "gone",
            occurred="2019-05-01",
            effective=TimeExtent.parse("2019-05-01"),
            until=TimeExtent.parse("2019-06-01"),
        ),
        _pledge("later", occurred="2020-06-01", effective=TimeExtent.parse("2020-06-01")),
        strike("jan-15", "2020-01-15"),
        strike("feb-01", "2020-02-01"),
        strike("feb-29", "2020-02-29"),
        strike("march", "2020-03"),  # the month: overlaps 1 March
        strike("apr-01", "2020-04-01"),
        # 20 January to 1 February, whole days: its last day is the span's first
        strike(
            "jan-to-feb",
            TimeExtent.between(utc(2020, 1, 20), utc(2020, 2, 2), "day"),
        ),
    )


def test_a_timelinejs_of_a_span_holds_the_events_overlapping_it_and_its_eras_within_it() -> None:
    """export.md: ``between=(start, end)`` keeps the events whose time overlaps the
    span (from the first instant of the start to the last of the end) and the eras
    of the commitments possibly in force in it, each begun no earlier than the span,
    ended no later, and one still in force run to the span's end."""
    data = to_timelinejs(_window_timeline(), between=("2020-02-01", "2020-03-01"))
    assert {e["unique_id"] for e in data["events"]} == {
        "open",  # announced 20 February
        "feb-01",
        "feb-29",
        "march",
        "jan-to-feb",
    }
    spans = sorted(
        (era["start_date"]["month"], era["start_date"]["day"], era["end_date"])
        for era in data["eras"]
    )
    assert spans == [
        (2, 1, {"year": 2020, "month": 3, "day": 1}),  # early: cut at both edges
        (2, 20, {"year": 2020, "month": 3, "day": 1}),  # open: in force to the span's end
    ]
    assert data["title"]["text"]["text"].endswith("events between 2020-02-01 and 2020-03-01 (UTC)")
    # With no event shown, a commitment in force still runs to the span's end.
    bare = to_timelinejs(_window_timeline(), between=("2020-02-01", "2020-03-01"), kinds=[])
    assert bare["events"] == []
    assert sorted(
        (era["start_date"]["day"], era["end_date"]["month"], era["end_date"]["day"])
        for era in bare["eras"]
    ) == [(1, 3, 1), (20, 3, 1)]


def test_a_timelinejs_of_some_kinds_keeps_every_era() -> None:
    """export.md: ``kinds`` selects the events; the eras are the commitments whatever
    kinds are shown."""
    tl = _window_timeline()
    data = to_timelinejs(tl, kinds=[Attack])
    assert {e["unique_id"] for e in data["events"]} == {
        "jan-15",
        "feb-01",
        "feb-29",
        "march",
        "apr-01",
        "jan-to-feb",
    }
    assert len(data["eras"]) == 4
    assert [e["unique_id"] for e in to_timelinejs(tl, kinds=["CommitmentEnded"])["events"]] == [
        "early-end"
    ]


def test_a_timelinejs_span_is_read_in_the_given_zone_and_drawn_as_asked() -> None:
    """A span's dates are read in ``tz``: 1 February in Yerevan begins at 20:00 UTC on
    31 January, so the attack of 31 January (UTC, ending 23:59 UTC) falls in it; a
    cut era edge is the span's own day, in its zone."""
    tl = _window_timeline()
    tl.append(strike("jan-31", "2020-01-31"))
    data = to_timelinejs(tl, between=("2020-02-01", "2020-02-10"), tz=YEREVAN)
    assert data["title"]["text"]["text"].endswith(f"and 2020-02-10 ({YEREVAN})")
    assert {e["unique_id"] for e in data["events"]} == {"jan-31", "feb-01", "jan-to-feb"}
    (early,) = data["eras"]
    assert (early["start_date"], early["end_date"]) == (
        {"year": 2020, "month": 2, "day": 1},
        {"year": 2020, "month": 2, "day": 10},
    )
    # 25 February in New York ends at 04:59 UTC on the 26th: a commitment still in
    # force runs to the 25th, as the span was asked, not to a UTC date.
    west = to_timelinejs(tl, between=("2020-02-21", "2020-02-25"), tz="America/New_York")
    assert sorted((era["start_date"]["day"], era["end_date"]["day"]) for era in west["eras"]) == [
        (21, 25),  # early
        (21, 25),  # open (in force from the 20th)
    ]


def test_a_timelinejs_span_keeps_a_commitment_possibly_in_force_to_its_until() -> None:
    """export.md: a span keeps the eras of the commitments *possibly* in force in it: a
    commitment whose ``until`` is a span the source does not date closer (1 March to
    30 April) is possibly in force to 30 April, so a span from 15 April holds its era,
    from the span's first day to 30 April, saying its end is unknown; a span from
    1 May does not. One whose ``until`` is a single day before the span is left out."""
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        _pledge(
            "vague",
            occurred="2020-01-01",
            effective=TimeExtent.parse("2020-01-01"),
            until=TimeExtent.from_dates(_dt.date(2020, 3, 1), _dt.date(2020, 4, 30), "day"),
        ),
        _pledge(
            "dated",
            occurred="2020-01-01",
            effective=TimeExtent.parse("2020-01-01"),
            until=TimeExtent.parse("2020-02-15"),
        ),
    )
    (era,) = to_timelinejs(tl, between=("2020-04-15", "2020-05-31"))["eras"]
    assert (era["start_date"], era["end_date"]) == (
        {"year": 2020, "month": 4, "day": 15},
        {"year": 2020, "month": 4, "day": 30},
    )
    assert (
        era["text"]["headline"]
        == "Ceasefire: North (end unknown: 2020-03-01..2020-04-30 (day, UTC))"
    )
    # Cut by a span inside the until: to the span's last day, its end still unknown.
    (cut,) = to_timelinejs(tl, between=("2020-03-10", "2020-03-20"))["eras"]
    assert (cut["start_date"], cut["end_date"]) == (
        {"year": 2020, "month": 3, "day": 10},
        {"year": 2020, "month": 3, "day": 20},
    )
    assert cut["text"]["headline"].endswith("(end unknown: 2020-03-01..2020-04-30 (day, UTC))")
    assert to_timelinejs(tl, between=("2020-05-01", "2020-05-31"))["eras"] == []


def test_an_era_taking_effect_in_a_spans_last_minute_ends_within_the_span() -> None:
    """An era never runs past the span it was cut to. One that takes effect in the
    span's last minute (still in force: drawn to the span's end) cannot be a minute
    long inside it: it is written to the second, from its start to the span's last
    second; in the last second, to the millisecond; in the last millisecond, as the
    span's last millisecond but one to its last. Both dates in the span's zone, as
    TimelineJS reads a date: the first instant of what it names."""

    def effective(cid: str, when: str, tz: str = "UTC") -> Commitment:
        return _pledge(
            cid,
            occurred="2020-02-10",
            sources=wire("2020-02-10"),
            effective=TimeExtent.parse(when, tz=tz),
        )

    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        effective("minute", "2020-02-10T23:59"),
        effective("second", "2020-02-10T23:59:30"),
        effective("yerevan", "2020-02-11T03:59:30", YEREVAN),  # 23:59:30 UTC
        effective("tenth", "2020-02-10T23:59:59.5"),
        effective("very-last", "2020-02-10T23:59:59.999999"),
    )
    day = {"year": 2020, "month": 2, "day": 10, "hour": 23, "minute": 59}
    last_ms = {**day, "second": 59, "millisecond": 999}
    eras = to_timelinejs(tl, between=("2020-02-01", "2020-02-10"))["eras"]
    expected = [
        ({**day, "second": 0}, {**day, "second": 59}),  # minute
        ({**day, "second": 30}, {**day, "second": 59}),  # second
        ({**day, "second": 30}, {**day, "second": 59}),  # yerevan, in UTC
        ({**day, "second": 59, "millisecond": 500}, last_ms),  # tenth
        ({**day, "second": 59, "millisecond": 998}, last_ms),  # very-last
    ]
    assert sorted(map(str, ((e["start_date"], e["end_date"]) for e in eras))) == sorted(
        map(str, expected)
    )
    fields = ("year", "month", "day", "hour", "minute", "second", "millisecond")
    firsts = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0, "millisecond": 0}

    def read(date: dict[str, int]) -> list[int]:
        return [date.get(f, firsts.get(f, 0)) for f in fields]

    span_end = [2020, 2, 10, 23, 59, 59, 999]
    for era in eras:
        assert read(era["start_date"]) < read(era["end_date"]) <= span_end, era


def test_a_timelinejs_span_or_kinds_that_make_no_sense_are_refused() -> None:
    tl = _window_timeline()
    with pytest.raises(QueryError, match="between: end '2020-01-01' is before start"):
        to_timelinejs(tl, between=("2020-02-01", "2020-01-01"))
    with pytest.raises(QueryError, match="to_timelinejs: kinds must be a collection"):
        to_timelinejs(tl, kinds="Attack")  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="'Atack' is not a record kind"):
        to_timelinejs(tl, kinds=["Atack"])
    # Kinds that are never an event are refused, not answered with an empty file.
    for kind, why in (
        ("ActorDefined", "actors and places are no events"),
        ("PlaceDefined", "actors and places are no events"),
        ("Correction", "a correction is applied to what it names"),
        ("Retraction", "a retraction withdraws what it names"),
    ):
        with pytest.raises(QueryError, match=f"^to_timelinejs: kinds: {why}.*{kind}"):
            to_timelinejs(tl, kinds=[Attack, kind])


def test_current_records_keep_the_kinds_and_the_span_asked() -> None:
    """current_records: ``kinds`` keeps those kinds, ``between`` the records whose
    time overlaps the span, and a timeless record (an actor defined for all time) is
    in no span; both are checked before anything is read."""
    tl = _window_timeline()
    span = ("2020-02-01", "2020-03-01")
    assert {r.id for r in current_records(tl, kinds=[Attack], between=span)} == {
        "feb-01",
        "feb-29",
        "march",
        "jan-to-feb",
    }
    assert {r.id for r in current_records(tl, between=span)} == {
        "open",
        "feb-01",
        "feb-29",
        "march",
        "jan-to-feb",
    }
    assert [r.id for r in current_records(tl, kinds=["ActorDefined"])] == ["north"]
    assert [r.id for r in current_records(tl, kinds=["ActorDefined"], between=span)] == []
    with pytest.raises(QueryError, match=r"^current_records: kinds must be a collection"):
        current_records(tl, kinds="Attack")  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="between: end '2020-01-01' is before start"):
        current_records(tl, between=("2020-02-01", "2020-01-01"))


def test_every_flat_export_keeps_the_kinds_and_the_span_asked(tmp_path: Path) -> None:
    """export.md: ``table_rows``, ``write_csv``, ``to_dataframe``, ``to_arrow`` and
    ``write_parquet`` take ``kinds`` and ``between`` as `current_records` does: the
    attacks whose time overlaps February 2020 and 1 March."""
    pytest.importorskip("pyarrow")
    pytest.importorskip("pandas")
    import pyarrow.parquet as pq

    tl = _window_timeline()
    cut: dict[str, Any] = {"kinds": ["Attack"], "between": ("2020-02-01", "2020-03-01")}
    expected = {"feb-01", "feb-29", "march", "jan-to-feb"}
    assert {row["id"] for row in table_rows(tl, **cut)} == expected
    buffer = io.StringIO()
    assert write_csv(tl, buffer, **cut) == 4
    assert {row["id"] for row in csv.DictReader(io.StringIO(buffer.getvalue()))} == expected
    assert set(to_dataframe(tl, **cut)["id"]) == expected
    assert set(to_arrow(tl, **cut).column("id").to_pylist()) == expected
    assert write_parquet(tl, tmp_path / "cut.parquet", **cut) == 4
    assert set(pq.read_table(tmp_path / "cut.parquet").column("id").to_pylist()) == expected


def test_an_era_cut_by_a_span_it_possibly_ended_in_says_its_end() -> None:
    """export.md, "A span and some kinds": an era the span's end cuts is drawn to that
    end; when its dated end possibly came before (ended in May 2020, known to the
    month; a span from 1 to 20 May), the headline says when it ends, so the band is
    not read as "in force through 20 May". One that ends after the span says nothing."""
    tl = load(
        ActorDefined(id="north", name="North", actor_kind="state"),
        _pledge("may", effective=TimeExtent.parse("2020-04-01", tz=YEREVAN)),
        CommitmentEnded(
            id="may-end",
            occurred=TimeExtent.parse("2020-05", tz=YEREVAN),
            sources=wire("2020-06-01"),
            commitment="may",
            reason="collapsed",
        ),
        _pledge(
            "june",
            effective=TimeExtent.parse("2020-04-01", tz=YEREVAN),
            until=TimeExtent.parse("2020-06-30", tz=YEREVAN),
            commitment_kind="civilian_protection",
        ),
    )
    eras = to_timelinejs(tl, between=("2020-05-01", "2020-05-20"))["eras"]
    ends = {era["text"]["headline"]: era["end_date"] for era in eras}
    assert ends == {
        "Ceasefire: North (ends 2020-05 (month, Asia/Yerevan))": {
            "year": 2020,
            "month": 5,
            "day": 20,
        },
        "Civilian protection: North": {"year": 2020, "month": 5, "day": 20},
    }
