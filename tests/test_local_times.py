"""Local times: Timeline(tz=...), Source(tz=...), TimeExtent.after, unsourced records,
and record.corrected()."""

from __future__ import annotations

import datetime as _dt
import io
import json
import warnings
from pathlib import Path

import pendulum
import pytest

from conflict_timeline import (
    ActiveCommitments,
    ActorDefined,
    Attack,
    Commitment,
    Correction,
    InvalidRecordError,
    InvalidTimeError,
    MemoryStore,
    QueryError,
    Source,
    TimeExtent,
    Timeline,
    UnsourcedRecordWarning,
    render_html,
    table_rows,
    to_arrow,
    to_dataframe,
    to_timelinejs,
    write_csv,
    write_parquet,
    write_timelinejs,
)
from conflict_timeline._export import current_records
from conflict_timeline._labels import Names

FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")
KHARTOUM = "Africa/Khartoum"  # UTC+2 in 2023


def fixed_clock() -> _dt.datetime:
    return FIXED


def us(text: str) -> int:
    """Epoch microseconds of an ISO timestamp with offset (the oracle's own reading)."""
    when = _dt.datetime.fromisoformat(text)
    return int(when.timestamp()) * 1_000_000


def truce(**fields: object) -> Commitment:
    return Commitment(
        id="jeddah",
        commitment_kind="ceasefire",
        parties=("saf", "rsf"),
        **fields,  # type: ignore[arg-type]
    )


ACTORS = (
    ActorDefined(id="saf", name="Sudanese Armed Forces", actor_kind="armed_force"),
    ActorDefined(id="rsf", name="Rapid Support Forces", actor_kind="armed_force"),
)


def test_a_timeline_zone_reads_zone_less_record_times() -> None:
    tl = Timeline(MemoryStore(clock=fixed_clock), tz=KHARTOUM)
    tl.append(
        *ACTORS,
        truce(
            occurred="2023-05-20",
            effective="2023-05-22T21:45",
            sources=(Source(publisher="Reuters", published="2023-05-21"),),
        ),
    )
    stored = tl.get("jeddah").record
    assert isinstance(stored, Commitment)
    assert stored.starts.lo == us("2023-05-22T21:45:00+02:00")
    assert stored.starts.tz == KHARTOUM
    assert stored.occurred.lo == us("2023-05-20T00:00:00+02:00")
    # ``reported`` was derived from the source: it is derived again, in the zone.
    assert stored.reported is not None
    assert stored.reported.lo == us("2023-05-21T00:00:00+02:00")
    assert stored.sources[0].published == stored.reported
    # Query dates are read in the timeline's zone too.
    assert tl.state(ActiveCommitments, at="2023-05-22T21:44").ids() == ()
    assert tl.state(ActiveCommitments, at="2023-05-22T21:45").ids() == ("jeddah",)


def test_a_timeline_zone_derives_reported_again_from_the_earliest_source() -> None:
    """``reported`` is the earliest source's publication; read in the timeline's zone,
    a zone-less date may no longer be the earliest, and ``reported`` follows."""
    tl = Timeline(MemoryStore(clock=fixed_clock), tz="America/New_York")  # UTC-4 in May
    tl.append(
        *ACTORS,
        truce(
            occurred="2023-05-20T12:00:00+00:00",
            sources=(
                # In UTC this day starts at 00:00Z; in New York at 04:00Z.
                Source(publisher="Reuters", published="2023-05-21"),
                Source(publisher="SPA", published="2023-05-21T01:00:00+00:00"),
            ),
        ),
    )
    stored = tl.get("jeddah").record
    assert stored.reported is not None
    assert (stored.reported.lo, stored.reported.last) == (
        us("2023-05-21T01:00:00+00:00"),
        us("2023-05-21T01:00:00+00:00"),
    )


def test_a_timeline_zone_reads_a_corrections_replacement_too() -> None:
    """A correction's replacement is a record given with times too: text without an
    offset in it is read in the timeline's zone when the correction is appended."""
    tl = Timeline(MemoryStore(clock=fixed_clock), tz=KHARTOUM)
    original = truce(occurred="2023-05-20", reported="2023-05-20")
    tl.append(*ACTORS, original)
    tl.append(original.corrected(id="jeddah-fix", known="2023-05-25", occurred="2023-05-21"))
    stored = tl.get("jeddah-fix").record
    assert isinstance(stored, Correction)
    assert stored.reported is not None
    assert stored.reported.lo == us("2023-05-25T00:00:00+02:00")
    assert stored.replacement.occurred.lo == us("2023-05-21T00:00:00+02:00")
    assert stored.replacement.occurred.tz == KHARTOUM


def test_without_a_zone_the_same_text_is_utc() -> None:
    tl = Timeline(MemoryStore(clock=fixed_clock))
    tl.append(*ACTORS, truce(occurred="2023-05-20", effective="2023-05-22T21:45", reported="2023"))
    stored = tl.get("jeddah").record
    assert isinstance(stored, Commitment)
    assert stored.starts.lo == us("2023-05-22T21:45:00+00:00")


def test_times_with_a_zone_are_never_read_again() -> None:
    tl = Timeline(MemoryStore(clock=fixed_clock), tz=KHARTOUM)
    record = truce(
        occurred=TimeExtent.parse("2023-05-20", tz="Asia/Riyadh"),
        effective="2023-05-22T21:45:00+03:00",
        sources=(Source(publisher="SPA", published="2023-05-21", tz="Asia/Riyadh"),),
    )
    tl.append(*ACTORS, record)
    assert tl.get("jeddah").record == record


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("2023-05-22 21:45+03:00", "2023-05-22T21:45:00+03:00"),
        ("2023-05-22T18:45Z", "2023-05-22T18:45:00+00:00"),
        ("2023-05-22 18Z", "2023-05-22T18:00:00+00:00"),
        ("2023-05-22T15:45-03:00", "2023-05-22T18:45:00+00:00"),
        ("20230522T1545-0300", "2023-05-22T18:45:00+00:00"),
    ],
)
def test_an_offset_after_a_space_or_a_z_names_the_zone_too(text: str, start: str) -> None:
    """Text whose time ends in an offset names its zone whichever separator it uses
    (``T`` or a space) and whether the offset is ``Z`` or a number: it is never read
    again in the timeline's zone, so the record is stored as given, shown in UTC."""
    tl = Timeline(MemoryStore(clock=fixed_clock), tz=KHARTOUM)
    record = truce(occurred="2023-05-20T00:00:00+03:00", effective=text)
    tl.append(*ACTORS, record)
    stored = tl.get("jeddah").record
    assert isinstance(stored, Commitment)
    assert stored == record
    assert stored.starts.lo == us(start)
    assert stored.starts.tz == "UTC"


def test_a_bad_timeline_zone_is_refused() -> None:
    with pytest.raises(QueryError, match="Mars/Olympus"):
        Timeline(tz="Mars/Olympus")


def test_source_tz_reads_the_published_date_in_the_publishers_zone() -> None:
    source = Source(publisher="Azertac", published="2020-10-31", tz="Asia/Baku")
    assert source.published is not None
    assert source.published.lo == us("2020-10-31T00:00:00+04:00")
    assert source.published.tz == "Asia/Baku"
    with pytest.raises(InvalidRecordError, match="Source 'Azertac': tz='Asia/Baku' reads"):
        Source(publisher="Azertac", published=TimeExtent.parse("2020"), tz="Asia/Baku")


def test_after_an_instant_within_hours() -> None:
    start = TimeExtent.instant(pendulum.datetime(2020, 10, 18, tz="Asia/Yerevan"))
    window = TimeExtent.after(start, hours=12)
    assert window.lo == us("2020-10-18T00:00:00+04:00")
    assert window.last == us("2020-10-18T12:00:00+04:00") - 1
    assert window.precision.value == "hour"
    assert window.tz == "Asia/Yerevan"
    days = TimeExtent.after("2020-10-18", days=2, tz="Asia/Yerevan")
    # The whole day of the 18th, then two more days.
    assert days.lo == us("2020-10-18T00:00:00+04:00")
    assert days.last == us("2020-10-21T00:00:00+04:00") - 1
    assert days.precision.value == "day"
    with pytest.raises(InvalidTimeError, match="positive span"):
        TimeExtent.after(start)
    with pytest.raises(InvalidTimeError, match="hours must be a whole number"):
        TimeExtent.after(start, hours=-1)


@pytest.mark.parametrize(
    ("span", "precision"),
    [
        ({"minutes": 59}, "minute"),
        ({"hours": 1}, "hour"),
        ({"minutes": 90}, "hour"),
        ({"hours": 23, "minutes": 59}, "hour"),
        ({"days": 1}, "day"),
        ({"hours": 36}, "day"),
        ({"days": 2, "hours": 3, "minutes": 4}, "day"),
    ],
)
def test_after_a_datetime_takes_the_coarsest_unit_that_fits_in_the_span(
    span: dict[str, int], precision: str
) -> None:
    """From an aware datetime, the extent runs from it for the span (days, hours and
    minutes all count), with precision ``minute`` below an hour, ``hour`` below a day,
    else ``day``, shown in the datetime's zone."""
    start = pendulum.datetime(2020, 10, 18, 6, tz="Asia/Yerevan")
    days, hours, minutes = span.get("days", 0), span.get("hours", 0), span.get("minutes", 0)
    window = TimeExtent.after(start, days=days, hours=hours, minutes=minutes)
    minutes += days * 24 * 60 + hours * 60
    assert window.lo == us("2020-10-18T06:00:00+04:00")
    assert window.last == us("2020-10-18T06:00:00+04:00") + minutes * 60_000_000 - 1
    assert window.precision.value == precision
    assert window.tz == "Asia/Yerevan"


def test_after_reads_text_in_utc_unless_told_and_shows_the_extent_in_the_zone_given() -> None:
    window = TimeExtent.after("2020-10-18T06:00", hours=2)
    assert window.lo == us("2020-10-18T06:00:00+00:00")
    assert window.last == us("2020-10-18T08:01:00+00:00") - 1  # the minute, then 2 hours
    assert window.tz == "UTC"
    start = pendulum.datetime(2020, 10, 18, 6, tz="Asia/Yerevan")
    berlin = TimeExtent.after(start, hours=2, tz="Europe/Berlin")
    assert berlin.lo == us("2020-10-18T06:00:00+04:00")
    assert berlin.tz == "Europe/Berlin"
    # A TimeExtent's own zone gives way to the zone asked for too.
    day = TimeExtent.parse("2020-10-18", tz="Asia/Yerevan")
    shown = TimeExtent.after(day, hours=2, tz="Europe/Berlin")
    assert shown.lo == us("2020-10-18T00:00:00+04:00")
    assert shown.last == us("2020-10-19T02:00:00+04:00") - 1
    assert shown.tz == "Europe/Berlin"


@pytest.mark.parametrize(
    ("span", "match"),
    [
        ({"days": 1.5}, r"^TimeExtent\.after: days must be a whole number >= 0, got 1\.5$"),
        ({"hours": True}, r"^TimeExtent\.after: hours must be a whole number >= 0, got True$"),
        ({"minutes": -5}, r"^TimeExtent\.after: minutes must be a whole number >= 0, got -5$"),
        ({}, r"^TimeExtent\.after needs a positive span: give days=, hours= or minutes=$"),
    ],
)
def test_after_refuses_a_span_that_is_not_whole_positive_numbers(
    span: dict[str, object], match: str
) -> None:
    start = TimeExtent.parse("2020-10-18")
    with pytest.raises(InvalidTimeError, match=match):
        TimeExtent.after(start, **span)  # type: ignore[arg-type]


def test_after_refuses_a_span_that_leaves_the_calendar() -> None:
    with pytest.raises(
        InvalidTimeError,
        match=r"^TimeExtent\.after: 2020-10-18 \(day, UTC\) plus 3000000 days, 0:00:00 "
        r"leaves the year 9999$",
    ):
        TimeExtent.after("2020-10-18", days=3_000_000)


def test_unsourced_records_warn_once_per_batch() -> None:
    tl = Timeline(MemoryStore(clock=fixed_clock))
    attacks = [Attack(id=f"a{n}", occurred="2023-05-20") for n in range(3)]
    with pytest.warns(UnsourcedRecordWarning) as caught:
        tl.append(*attacks)
    assert len(caught) == 1
    assert "Attack 'a0' and 2 more" in str(caught[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # Reference data and records with a dated source or reported= are fine.
        tl.append(*ACTORS, Attack(id="b", occurred="2023", reported="2023"))


def test_unsourced_records_stored_already_are_not_warned_about_again() -> None:
    """semantics.md: the warning names the records an append writes; one stored
    already (a retried append, a file imported again) was warned about when it was
    written, and appending it again writes nothing."""
    tl = Timeline(MemoryStore(clock=fixed_clock))
    first = Attack(id="a0", occurred="2023-05-20")
    with pytest.warns(UnsourcedRecordWarning):
        tl.append(first)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert tl.append(first) == (1,)  # stored already: no warning
    with pytest.warns(UnsourcedRecordWarning) as caught:
        tl.append(first, Attack(id="a1", occurred="2023-05-21"))
    assert len(caught) == 1
    assert str(caught[0].message).startswith("Attack 'a1': no dated source")


def test_a_streamed_append_warns_only_of_the_unsourced_records_it_writes() -> None:
    """semantics.md: append_stream treats records with no knowledge time as append
    does: a file imported again (its records stored already) writes nothing and is
    not warned about again; a stream adding to them names the first it writes and
    counts those alone."""
    tl = Timeline(MemoryStore(clock=fixed_clock))
    first = Attack(id="a0", occurred="2023-05-20")
    with pytest.warns(UnsourcedRecordWarning):
        tl.append_stream([first])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert tl.append_stream([first]) == range(2, 2)  # stored already: no warning
    later = [Attack(id="a1", occurred="2023-05-21"), Attack(id="a2", occurred="2023-05-22")]
    with pytest.warns(UnsourcedRecordWarning) as caught:
        tl.append_stream([first, *later])
    assert len(caught) == 1
    assert str(caught[0].message).startswith("Attack 'a1' and 1 more: no dated source")


def test_require_sources_refuses_the_batch() -> None:
    tl = Timeline(MemoryStore(clock=fixed_clock), require_sources=True)
    with pytest.raises(InvalidRecordError, match="Attack 'x': no dated source"):
        tl.append(*ACTORS, Attack(id="x", occurred="2023-05-20"))
    assert len(tl) == 0  # nothing of the batch written


def test_corrected_builds_a_correction() -> None:
    original = Attack(
        id="strike",
        occurred="2024-03-09",
        sources=(Source(publisher="Monitor", published="2024-03-09"),),
        target_class="civilian",
    )
    fix = original.corrected(
        id="strike-fix",
        source=Source(publisher="Monitor", published="2024-03-10"),
        reason="site visit",
        target_class="military",
        occurred="2024-03-08",
    )
    assert isinstance(fix, Correction)
    assert fix.corrects == "strike"
    assert fix.reported == TimeExtent.parse("2024-03-10")
    # Given several sources, the correction is known from the earliest published.
    twice = original.corrected(
        id="strike-fix-2",
        source=(
            Source(publisher="Monitor", published="2024-03-12"),
            Source(publisher="Wire", published="2024-03-11"),
        ),
        target_class="military",
    )
    assert (twice.reported, twice.occurred) == (
        TimeExtent.between(
            pendulum.datetime(2024, 3, 11, tz="UTC"),
            pendulum.datetime(2024, 3, 12, tz="UTC"),
            "day",
        ),
    ) * 2
    assert isinstance(fix.replacement, Attack)
    assert fix.replacement.target_class.value == "military"
    assert fix.replacement.occurred == TimeExtent.parse("2024-03-08")
    # Derived fields follow the changes: the replacement's effective, for instance.
    c = truce(occurred="2023-05-20", reported="2023-05-20")
    moved = c.corrected(id="c-fix", known="2023-05-25", occurred="2023-05-21").replacement
    assert isinstance(moved, Commitment)
    assert moved.starts == TimeExtent.parse("2023-05-21")
    with pytest.raises(InvalidRecordError, match="Attack 'strike': perpetrators: is not a field"):
        original.corrected(id="f", known="2024", perpetrators="x")
    with pytest.raises(InvalidRecordError, match="give known= or a source"):
        original.corrected(id="f", target="x")


def _zoned_with_a_late_report() -> Timeline:
    """A Khartoum timeline (UTC+2) holding one attack reported at noon UTC on 21 May
    and one, with the actor that made it, reported at 23:00 UTC: 01:00 on 22 May in
    Khartoum, so known by the end of 21 May read in UTC but not read in Khartoum."""
    tl = Timeline(MemoryStore(clock=fixed_clock), tz=KHARTOUM)
    tl.append(
        ActorDefined(
            id="saf",
            name="Sudanese Armed Forces",
            actor_kind="armed_force",
            reported="2023-05-21T12:00+00:00",
        ),
        ActorDefined(
            id="rsf",
            name="Rapid Support Forces",
            actor_kind="armed_force",
            reported="2023-05-21T23:00+00:00",
        ),
        Attack(
            id="noon",
            occurred="2023-05-21T11:00+00:00",
            reported="2023-05-21T12:00+00:00",
            perpetrator="saf",
            target_class="military",
            target="a barracks shelled at noon",
        ),
        Attack(
            id="late",
            occurred="2023-05-21T22:00+00:00",
            reported="2023-05-21T23:00+00:00",
            perpetrator="rsf",
            target_class="military",
            target="a depot shelled late",
        ),
    )
    return tl


def test_exports_read_known_at_in_the_timeline_zone_unless_told(tmp_path: Path) -> None:
    """A timeline's ``tz`` is the default zone of its query dates, for exports and the
    drawing too: 21 May ends at 22:00 UTC in Khartoum, before the late report."""
    tl = _zoned_with_a_late_report()
    known = {"noon", "saf"}
    everything = {"noon", "saf", "late", "rsf"}
    for tz, shown in ((None, known), (KHARTOUM, known), ("UTC", everything)):
        zone = {} if tz is None else {"tz": tz}
        ids = {r.id for r in current_records(tl, known_at="2023-05-21", **zone)}
        assert ids == shown, tz
        rows = {row["id"] for row in table_rows(tl, known_at="2023-05-21", **zone)}
        assert rows == shown, tz
        out = io.StringIO()
        assert write_csv(tl, out, known_at="2023-05-21", **zone) == len(shown), tz
        path = tmp_path / "table.csv"
        assert write_csv(tl, path, known_at="2023-05-21", **zone) == len(shown), tz
        events = to_timelinejs(tl, known_at="2023-05-21", **zone)["events"]
        assert len(events) == len(shown & {"noon", "late"}), tz  # the attacks
        written = tmp_path / "timelinejs.json"
        write_timelinejs(tl, written, known_at="2023-05-21", **zone)
        assert len(json.loads(written.read_text())["events"]) == len(events), tz
        names = Names.of(tl, known_at="2023-05-21", **zone)
        expected = "Rapid Support Forces" if "late" in shown else "rsf"
        assert names.actor("rsf") == expected, tz


def test_timelinejs_reads_its_names_eras_and_title_in_the_timeline_zone() -> None:
    """semantics.md, "Times without a zone": the exports' ``known_at`` is read in the
    timeline's zone, for every part of a TimelineJS document: a militia named, and a
    truce made known, at 23:00 UTC on 21 May (1:00 on the 22nd in Khartoum) are not
    known by the end of 21 May in Khartoum, but are in UTC."""
    tl = _zoned_with_a_late_report()
    tl.append(
        ActorDefined(
            id="mil", name="Militia X", actor_kind="armed_force", reported="2023-05-21T23:00+00:00"
        ),
        Attack(
            id="dawn",
            occurred="2023-05-21T05:00+00:00",
            reported="2023-05-21T06:00+00:00",
            perpetrator="mil",
            target_class="military",
            target="a post shelled at dawn",
        ),
        Commitment(
            id="truce",
            occurred="2023-05-20",
            reported="2023-05-21T23:00+00:00",
            commitment_kind="ceasefire",
            parties=("saf", "rsf"),
        ),
    )
    local = to_timelinejs(tl, known_at="2023-05-21")
    utc = to_timelinejs(tl, known_at="2023-05-21", tz="UTC")
    assert "Militia X" not in json.dumps(local["events"])
    assert "Militia X" in json.dumps(utc["events"])
    assert local["eras"] == []
    assert len(utc["eras"]) == 1
    assert local["title"]["text"]["text"] == "as known at 2023-05-21T23:59:59.999999+02:00"
    assert utc["title"]["text"]["text"] == "as known at 2023-05-21T23:59:59.999999+00:00"


def test_the_drawing_reads_its_dates_and_draws_its_axis_in_the_timeline_zone(
    tmp_path: Path,
) -> None:
    tl = _zoned_with_a_late_report()
    page = render_html(tl, tmp_path / "page.html", known_at="2023-05-21").read_text()
    assert f"({KHARTOUM})" in page
    assert "as known at 21 May 2023 23:59" in page  # the end of the day, in Khartoum
    assert "a barracks shelled at noon" in page
    assert "a depot shelled late" not in page
    utc = render_html(tl, tmp_path / "utc.html", known_at="2023-05-21", tz="UTC").read_text()
    assert "(UTC)" in utc
    assert "a depot shelled late" in utc


@pytest.mark.parametrize("form", ["arrow", "parquet", "pandas"])
def test_the_table_exports_read_known_at_in_the_timeline_zone(form: str, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow" if form != "pandas" else "pandas")
    tl = _zoned_with_a_late_report()
    expected = {None: ["noon", "saf"], "UTC": ["late", "noon", "rsf", "saf"]}
    for tz, ids in expected.items():
        zone = {} if tz is None else {"tz": tz}
        if form == "arrow":
            found = to_arrow(tl, known_at="2023-05-21", **zone).column("id").to_pylist()
        elif form == "parquet":
            import pyarrow.parquet as pq

            target = tmp_path / f"{tz}.parquet"
            write_parquet(tl, target, known_at="2023-05-21", **zone)
            found = pq.read_table(target).column("id").to_pylist()
        else:
            found = list(to_dataframe(tl, known_at="2023-05-21", **zone)["id"])
        assert sorted(found) == ids, (form, tz)
