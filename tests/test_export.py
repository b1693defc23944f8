"""Export: JSON Lines round trips, TimelineJS 3 JSON, a flat table and DataFrames."""

from __future__ import annotations

import csv
import datetime as _dt
import html
import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import orjson
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    ActiveCommitments,
    Attack,
    CommitmentHistory,
    Gazetteer,
    MemoryStore,
    MissingExtraError,
    QueryError,
    ReportedViolations,
    Source,
    TimeExtent,
    Timeline,
    datasets,
    export_jsonl,
    read_jsonl,
    table_rows,
    to_arrow,
    to_dataframe,
    to_timelinejs,
    write_csv,
    write_parquet,
    write_timelinejs,
)
from conflict_timeline._export import TABLE_COLUMNS, current_records, table_row
from conflict_timeline._records import RECORD_KINDS, Record
from conflict_timeline.errors import UnknownReferenceError
from conflict_timeline.stores import Recorded
from conflict_timeline.strategies import timelines

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Timeline:
    """The worked example, the synthetic ACLED files with a correction and a
    retraction, and 1,000 real GED rows, in one SQLite timeline (read only)."""
    timeline = Timeline.open(tmp_path_factory.mktemp("export") / "mixed.db")
    timeline.extend(datasets.karabakh_oct_2020())
    timeline.import_acled(DATA / "acled-synthetic-numeric-inter.csv")
    timeline.import_acled(DATA / "acled-synthetic-numeric-inter-v2.csv")
    timeline.import_acled_deletions(DATA / "acled-synthetic-deletions.csv")
    timeline.import_ucdp(DATA / "ucdp-ged-23.1-sample-1000.csv")
    return timeline


@pytest.fixture
def karabakh() -> Timeline:
    timeline = Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    return timeline


# ------------------------------------------------------------------------- JSONL


def test_jsonl_round_trips_exactly(mixed: Timeline, tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    assert export_jsonl(mixed, first) == len(mixed)
    copy = Timeline()
    copy.extend(read_jsonl(first))
    assert [(r.position, r.record) for r in copy] == [(r.position, r.record) for r in mixed]
    second = io.StringIO()
    export_jsonl(copy, second)
    assert second.getvalue().encode("utf-8") == first.read_bytes()
    for view in (ActiveCommitments, CommitmentHistory, ReportedViolations):
        for known_at in (None, "2020-10-31", "2023-11-20"):
            assert copy.state(view, known_at=known_at).items == (
                mixed.state(view, known_at=known_at).items
            )


# -------------------------------------------------------------------- TimelineJS


def test_timelinejs_events_dates_groups_and_eras(karabakh: Timeline) -> None:
    data = to_timelinejs(karabakh, title="Karabakh")
    assert data["title"]["text"]["headline"] == "Karabakh"
    events = {e["unique_id"]: e for e in data["events"]}
    # Every record but actor and place definitions is an event.
    expected = {
        r.id
        for r in datasets.karabakh_oct_2020()
        if r.kind not in {"ActorDefined", "PlaceDefined"}
    }
    assert set(events) == expected
    market = events["stepanakert-market"]
    # A span the article gives (since 27 September, Yerevan) has a start and an end.
    assert market["start_date"] == {"year": 2020, "month": 9, "day": 27}
    assert market["end_date"] == {"year": 2020, "month": 10, "day": 31}
    assert market["group"] == "Attacks"
    assert (
        market["text"]["headline"] == "Azerbaijani forces: rockets on a street market, Stepanakert"
    )
    assert "Claimed by Nagorno-Karabakh authorities" in market["text"]["text"]
    assert "Reuters" in market["text"]["text"]
    # A year-precise record has only a year; a day only its day.
    assert events["pact-1997"]["start_date"] == {"year": 1997}
    assert "end_date" not in events["pact-1997"]
    assert events["russia-mfa-statement"]["start_date"] == {"year": 2020, "month": 10, "day": 31}
    assert {e["group"] for e in data["events"]} == {
        "Attacks",
        "Commitments",
        "Requests",
        "Statements",
        "Accusations and denials",
        "Casualty reports",
        "Control",
    }
    eras = {era["text"]["headline"]: era for era in data["eras"]}
    assert set(eras) == {
        "Mutual defense: Armenia, Russia",
        "Civilian protection: Armenia, Azerbaijan",
        "Assistance pledge: Russia",
    }
    # The 1997 pact is dated to its year: its era begins in 1997, not on a made-up
    # 1 January.
    assert eras["Mutual defense: Armenia, Russia"]["start_date"] == {"year": 1997}
    # Still in force: the era runs to the last event, on 31 October, the day it took
    # effect: to the minute, so that TimelineJS keeps its end.
    assert (
        eras["Assistance pledge: Russia"]["start_date"],
        eras["Assistance pledge: Russia"]["end_date"],
    ) == (
        {"year": 2020, "month": 10, "day": 31, "hour": 0, "minute": 0},
        {"year": 2020, "month": 10, "day": 31, "hour": 23, "minute": 59},
    )


def test_timelinejs_credits_come_from_the_sources(karabakh: Timeline) -> None:
    linked = Attack(
        id="linked-strike",
        occurred=TimeExtent.parse("2020-10-28"),
        sources=(
            Source(
                publisher="Example Wire",
                title="A strike",
                url="https://news.example/strike",
                published=TimeExtent.parse("2020-10-29"),
            ),
            Source(publisher="Second Paper"),
        ),
        target_class="civilian",
        place="stepanakert",
    )
    karabakh.append(linked)
    event = next(e for e in to_timelinejs(karabakh)["events"] if e["unique_id"] == linked.id)
    assert event["media"]["url"] == "https://news.example/strike"
    assert event["media"]["credit"] == (
        "Example Wire, &quot;A strike&quot; (2020-10-29); Second Paper"
    )
    buffer = io.StringIO()
    assert write_timelinejs(karabakh, buffer) == len(to_timelinejs(karabakh)["events"])
    assert orjson.loads(buffer.getvalue())["events"]


def test_timelinejs_as_known_at_a_date(karabakh: Timeline) -> None:
    earlier = to_timelinejs(karabakh, known_at="2020-10-15")
    # Only the 1997 pact, a published treaty, and the control held since 1994 (control
    # is known from when it held) were known then: every other record is known from
    # the article of 31 October.
    assert {e["unique_id"] for e in earlier["events"]} == {"pact-1997", "nk-control-1994"}


# ------------------------------------------------------------------------- tables


def test_table_shows_records_as_known(mixed: Timeline) -> None:
    rows = {row["id"]: row for row in table_rows(mixed)}
    assert "acled:SYN3" not in rows  # retracted
    corrected = rows["acled:SYN1"]
    assert corrected["fatalities_best"] == 5
    assert corrected["corrected_by"] is not None
    assert corrected["acled_event_type"] == "Battles"
    earlier = {row["id"]: row for row in table_rows(mixed, known_at="2023-11-20")}
    assert earlier["acled:SYN1"]["fatalities_best"] == 3
    assert earlier["acled:SYN1"]["corrected_by"] is None
    assert "acled:SYN3" in earlier
    ged = rows["ucdp:193312"]
    assert (ged["fatalities_low"], ged["fatalities_best"], ged["fatalities_high"]) == (28, 28, 28)
    assert ged["sources"].startswith("Agence France Presse")
    pact = rows["pact-1997"]
    assert pact["parties"] == "armenia; russia"
    assert pact["condition_attack_within"] == "armenia-territory"
    assert pact["occurred_start"].isoformat() == "1997-01-01T00:00:00+00:00"


def test_every_field_of_every_kind_has_a_column() -> None:
    common = {"id", "occurred", "sources", "claimed_by", "status", "reported", "codes", "notes"}
    columns = set(TABLE_COLUMNS)
    for kind in RECORD_KINDS:
        if kind.KIND in {"Correction", "Retraction"}:  # applied, never listed
            continue
        for field in attrs.fields(kind):
            if field.name in common:
                continue
            assert columns & {
                field.name,
                f"{field.name}_start",
                f"{field.name}_best",
                f"{field.name}_include",
                f"{field.name}_attack_within",
                "lat",
            }, (kind.KIND, field.name)


def test_csv_has_the_columns_and_one_row_per_record(mixed: Timeline, tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    count = write_csv(mixed, path)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == TABLE_COLUMNS
        rows = list(reader)
    assert len(rows) == count == len(list(table_rows(mixed)))
    syn1 = next(r for r in rows if r["id"] == "acled:SYN1")
    assert syn1["fatalities_best"] == "5"
    assert syn1["occurred_start"] == "2023-11-02T00:00:00+00:00"
    assert syn1["target_actor"] == "actor:synthetic-liberation-front"


def test_pandas_dataframe(mixed: Timeline) -> None:
    frame = to_dataframe(mixed)
    assert list(frame.columns) == list(TABLE_COLUMNS)
    assert len(frame) == len(list(table_rows(mixed)))
    attacks = frame[frame["kind"] == "Attack"]
    assert str(attacks["occurred_start"].dtype).startswith("datetime64")
    assert attacks.loc[attacks["id"] == "acled:SYN1", "fatalities_best"].item() == 5


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_a_missing_extra_says_what_to_install(
    karabakh: Timeline, library: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, library, None)  # import now raises ImportError
    with pytest.raises(MissingExtraError, match=rf"pip install 'conflict_timeline\[{library}\]'"):
        to_dataframe(karabakh, library=library)  # type: ignore[arg-type]


def test_gazetteer_names_are_used_in_headlines(karabakh: Timeline) -> None:
    names = karabakh.state(Gazetteer)
    assert names.actors["azerbaijani-forces"].name == "Azerbaijani forces"
    headlines = {e["unique_id"]: e["text"]["headline"] for e in to_timelinejs(karabakh)["events"]}
    assert headlines["pashinyan-request"] == "Nikol Pashinyan asks Vladimir Putin"
    assert headlines["civilian-casualties"] == (
        "Civilian killed or injured: more than 5,000 innocent civilians"
    )


def test_a_statement_with_a_place_is_headlined_with_its_name() -> None:
    """A statement names where it was made, by the place's name, as an observation
    does ("Speaker in Place: summary"); one with no place does not."""
    from conflict_timeline import Statement, TimeExtent

    timeline = Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    timeline.append(
        Statement(
            id="placed",
            occurred=TimeExtent.parse("2020-10-30"),
            speaker="russia-mfa",
            summary="Talks held",
            place="stepanakert",
        )
    )
    headlines = {e["unique_id"]: e["text"]["headline"] for e in to_timelinejs(timeline)["events"]}
    assert headlines["placed"] == "Russian foreign ministry in Stepanakert: Talks held"
    assert " in " not in headlines["russia-mfa-statement"].split(":")[0]


def test_a_commitment_end_is_headlined_as_an_end_with_its_reason() -> None:
    """A commitment's end reads as one, naming the commitment by its kind and
    parties: "End of <kind>: <parties> (<reason>)" ("<id> ends (<reason>)" for a
    commitment not known), and "no reason stated" for an end the source gives no
    reason for (it read "<id> unstated"; ETH/PRIO's ends read "eth-prio:625009 ends")."""
    from conflict_timeline import CommitmentEnded, EndReason, TimeExtent

    timeline = Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    for cid, reason in (("pact-1997", EndReason.UNSTATED), ("russia-pledge", EndReason.EXPIRED)):
        timeline.append(
            CommitmentEnded(
                id=f"{cid}-end",
                occurred=TimeExtent.parse("2020-11-10"),
                commitment=cid,
                reason=reason,
            )
        )
    timeline.append(
        CommitmentEnded(
            id="unheld-end",
            occurred=TimeExtent.parse("2020-11-11"),
            commitment="unheld",
            reason=EndReason.COLLAPSED,
        ),
        strict=False,
    )
    headlines = {e["unique_id"]: e["text"]["headline"] for e in to_timelinejs(timeline)["events"]}
    assert (
        headlines["pact-1997-end"] == "End of mutual defense: Armenia, Russia (no reason stated)"
    )
    assert headlines["russia-pledge-end"] == "End of assistance pledge: Russia (expired)"
    assert headlines["unheld-end"] == "unheld ends (collapsed)"


def _answered_headlines(
    answers: Callable[[str, str], list[Record]],
) -> Callable[..., dict[str, str]]:
    """The worked example with a claim known on 5 November, the market attack
    corrected and the residential one retracted on 3 November, and ``answers`` (a
    denial or confirmation made of its id and the id it answers) of each of them, of
    the 2 October accusation and of an id nothing holds (``ghost``); then the
    TimelineJS headlines by id under the cuts given."""
    from conflict_timeline import Accusation, Correction, Retraction

    timeline = Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    claim = Accusation(
        id="late-claim",
        occurred=TimeExtent.parse("2020-11-05"),
        sources=_wire("2020-11-05"),
        accuser="armenia",
        accused=("azerbaijani-forces",),
        incidents=("shushi-shelling",),
    )
    timeline.append(
        *answers("claim", "nk-accusation"),
        *answers("market", "stepanakert-market"),
        *answers("ghost", "ghost"),
        *answers("late", "late-claim"),
        *answers("gone", "stepanakert-residential"),
        claim,
        Correction(
            id="market-moved",
            occurred=TimeExtent.parse("2020-11-03"),
            sources=_wire("2020-11-03"),
            corrects="stepanakert-market",
            replacement=attrs.evolve(timeline.get("stepanakert-market").record, means="drones"),
        ),
        Retraction(
            id="residential-gone",
            occurred=TimeExtent.parse("2020-11-03"),
            sources=_wire("2020-11-03"),
            retracts="stepanakert-residential",
        ),
        strict=False,
    )

    def headlines(**cuts: object) -> dict[str, str]:
        events = to_timelinejs(timeline, **cuts)["events"]  # type: ignore[arg-type]
        return {e["unique_id"]: html.unescape(e["text"]["headline"]) for e in events}

    return headlines


def _wire(day: str) -> tuple[Source, ...]:
    return (Source(publisher="Wire", published=day),)


def test_a_denial_is_headlined_by_what_it_denies() -> None:
    """A denial says what it denies: the kind and headline of the denied record as
    known, "<denier> denies the accusation "<its headline>"" (it read "<denier> denies
    <record id>"), the record as corrected; by its id only when the timeline does not
    hold it, as known then (not yet known, retracted, or never recorded)."""
    from conflict_timeline import Denial

    def denial(name: str, denies: str) -> list[Record]:
        made = Denial(
            id=f"denies-{name}",
            occurred=TimeExtent.parse("2020-11-02"),
            sources=_wire("2020-11-02"),
            denier="azerbaijan",
            denies=denies,
        )
        return [made]

    headlines = _answered_headlines(denial)
    now = headlines()
    assert now["denies-claim"] == (
        'Azerbaijan denies the accusation "Nagorno-Karabakh authorities accuses '
        'Azerbaijani forces"'
    )
    assert now["denies-market"] == (
        'Azerbaijan denies the attack "Azerbaijani forces: drones on a street market, Stepanakert"'
    )
    assert now["denies-late"] == (
        'Azerbaijan denies the accusation "Armenia accuses Azerbaijani forces"'
    )
    assert now["denies-ghost"] == "Azerbaijan denies ghost"
    assert now["denies-gone"] == "Azerbaijan denies stepanakert-residential"
    # As known on 2 November: the claim not yet, the market not yet corrected.
    then = headlines(known_at="2020-11-02")
    assert then["denies-late"] == "Azerbaijan denies late-claim"
    assert then["denies-market"] == (
        'Azerbaijan denies the attack "Azerbaijani forces: rockets on a street market, '
        'Stepanakert"'
    )


def test_a_confirmation_is_headlined_by_what_it_confirms() -> None:
    """A confirmation says what it confirms, as a denial says what it denies: the kind
    and headline of the confirmed record as known, "<confirmer> confirms the attack
    "<its headline>"" (it read "<confirmer> confirms <record id>"), "admits" for an
    admission, the record as corrected; by its id only when the timeline does not
    hold it, as known then (not yet known, retracted, or never recorded)."""
    from conflict_timeline import Confirmation

    def confirmation(name: str, confirms: str) -> list[Record]:
        admission = name == "market"
        made = Confirmation(
            id=f"{'admits' if admission else 'confirms'}-{name}",
            occurred=TimeExtent.parse("2020-11-02"),
            sources=_wire("2020-11-02"),
            confirmer="azerbaijan" if admission else "minsk-group",
            confirms=confirms,
            admission=admission,
        )
        return [made]

    headlines = _answered_headlines(confirmation)
    now = headlines()
    assert now["confirms-claim"] == (
        'Minsk Group co-chairs confirms the accusation "Nagorno-Karabakh authorities '
        'accuses Azerbaijani forces"'
    )
    assert now["admits-market"] == (
        'Azerbaijan admits the attack "Azerbaijani forces: drones on a street market, Stepanakert"'
    )
    assert now["confirms-late"] == (
        'Minsk Group co-chairs confirms the accusation "Armenia accuses Azerbaijani forces"'
    )
    assert now["confirms-ghost"] == "Minsk Group co-chairs confirms ghost"
    assert now["confirms-gone"] == "Minsk Group co-chairs confirms stepanakert-residential"
    # As known on 2 November: the claim not yet, the market not yet corrected.
    then = headlines(known_at="2020-11-02")
    assert then["confirms-late"] == "Minsk Group co-chairs confirms late-claim"
    assert then["admits-market"] == (
        'Azerbaijan admits the attack "Azerbaijani forces: rockets on a street market, '
        'Stepanakert"'
    )


def test_timelinejs_embeds_no_dataset_page(tmp_path: Path) -> None:
    """GED rows all cite UCDP's downloads page: credited, never embedded as media."""
    timeline = Timeline()
    timeline.import_ucdp(Path(__file__).parent / "data" / "ucdp-ged-23.1-sample-1000.csv")
    events = to_timelinejs(timeline)["events"]
    assert len(events) > 900
    assert [e for e in events if "media" in e] == []
    assert all("ucdp.uu.se/downloads" in e["text"]["text"] for e in events)


_UTC_RANGE = {
    "min_value": _dt.datetime(1, 1, 2),  # hypothesis wants naive bounds
    "max_value": _dt.datetime(9999, 12, 30),
    "timezones": st.just(_dt.UTC),
}


@settings(max_examples=200, deadline=None)
@given(
    occurred=st.datetimes(**_UTC_RANGE),
    reported=st.datetimes(**_UTC_RANGE),
    recorded=st.datetimes(**_UTC_RANGE),
)
def test_table_times_are_the_instants_exactly(
    occurred: _dt.datetime, reported: _dt.datetime, recorded: _dt.datetime
) -> None:
    """Every time column is the record's instant to the microsecond, in UTC, at any
    date: no float on the way (at 1.6e9 seconds a double keeps 16 digits, and
    microseconds need them all)."""
    attack = Attack(
        id="a",
        occurred=TimeExtent.instant(occurred),
        reported=TimeExtent.instant(reported),
        target_class="civilian",
    )
    recorded_at = pendulum.instance(recorded)
    row = table_row(Recorded(position=1, recorded_at=recorded_at, hash="h", record=attack))
    for column, want in (
        ("occurred_start", occurred),
        ("occurred_end", occurred),
        ("reported_start", reported),
        ("reported_end", reported),
        ("recorded_at", recorded),
    ):
        got = row[column]
        assert got.tzinfo is _dt.UTC, column
        assert got.replace(tzinfo=None) == want.replace(tzinfo=None), column


# ----------------------------------------------------------------- Arrow, Parquet

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def _arrow_type(column: str) -> object:
    """The schema's rule, written out: times UTC microseconds, counts and positions
    whole numbers, truth values booleans, coordinates decimals, the rest text."""
    if column == "recorded_at" or column.endswith(("_start", "_end")):
        return pa.timestamp("us", tz="UTC")
    if column in {"position", "corrected_by", "violations"} or column.endswith(
        ("_low", "_best", "_high")
    ):
        return pa.int64()
    if column in {"admission", "between_sides"}:
        return pa.bool_()
    if column in {"lat", "lon"}:
        return pa.float64()
    return pa.string()


def test_arrow_columns_are_typed(mixed: Timeline) -> None:
    table = to_arrow(mixed)
    assert table.column_names == list(TABLE_COLUMNS)
    assert {f.name: f.type for f in table.schema} == {c: _arrow_type(c) for c in TABLE_COLUMNS}


@pytest.mark.parametrize("chunk", [7, 65_536])
@pytest.mark.parametrize("known_at", [None, "2020-11-01", "2023-11-20"])
def test_arrow_holds_the_table_rows(
    mixed: Timeline, known_at: str | None, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every value of the flat table, typed, in order, for any knowledge cut, however
    the rows are cut into record batches."""
    monkeypatch.setattr("conflict_timeline._export._ARROW_CHUNK", chunk)
    rows = list(table_rows(mixed, known_at=known_at))
    assert to_arrow(mixed, known_at=known_at).to_pylist() == rows


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(history=timelines(min_size=1, max_size=25))
def test_arrow_holds_every_kinds_rows(history: list[Record]) -> None:
    """Every record kind's row fits the schema and comes back as it was."""
    timeline = Timeline()
    timeline.extend(history)
    assert to_arrow(timeline).to_pylist() == list(table_rows(timeline))


def test_parquet_round_trips_and_duckdb_reads_it(mixed: Timeline, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "timeline.parquet"
    assert write_parquet(mixed, path) == len(list(table_rows(mixed)))
    assert pq.read_table(path).to_pylist() == to_arrow(mixed).to_pylist()
    sql = f"SELECT count(*) FROM '{path}' WHERE kind = 'Attack'"
    attacks = duckdb.connect().execute(sql).fetchall()
    want = sum(1 for r in table_rows(mixed) if r["kind"] == "Attack")
    assert attacks == [(want,)]


def test_parquet_is_written_whole_or_not_at_all(mixed: Timeline, tmp_path: Path) -> None:
    path = tmp_path / "timeline.parquet"
    path.write_bytes(b"the previous export")

    def broken(*args: object, **kwargs: object) -> Iterator[dict[str, object]]:
        yield from list(table_rows(mixed))[:3]
        raise RuntimeError("disk full")  # stands for any failure half-way

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("conflict_timeline._export.table_rows", broken)
        with pytest.raises(RuntimeError, match="disk full"):
            write_parquet(mixed, path)
    assert path.read_bytes() == b"the previous export"


def test_parquet_to_a_stream_is_whole_or_nothing(mixed: Timeline) -> None:
    """A stream cannot be taken back: it gets the file only once it is complete."""
    stream = io.BytesIO()

    def broken(*args: object, **kwargs: object) -> Iterator[dict[str, object]]:
        yield from list(table_rows(mixed))[:15]
        raise KeyboardInterrupt  # the user stops the export half-way

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("conflict_timeline._export._ARROW_CHUNK", 10)
        patch.setattr("conflict_timeline._export.table_rows", broken)
        with pytest.raises(KeyboardInterrupt):
            write_parquet(mixed, stream)
    assert stream.getvalue() == b""
    assert write_parquet(mixed, stream) == len(list(table_rows(mixed)))
    assert pq.read_table(io.BytesIO(stream.getvalue())).num_rows == len(list(table_rows(mixed)))
    with pytest.raises(QueryError, match="binary stream"):
        write_parquet(mixed, io.StringIO())


def test_arrow_without_pyarrow_says_what_to_install(
    karabakh: Timeline, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'conflict_timeline\[arrow\]'"):
        to_arrow(karabakh)
    with pytest.raises(MissingExtraError, match="pyarrow"):
        write_parquet(karabakh, tmp_path / "t.parquet")
    assert not (tmp_path / "t.parquet").exists()


def test_jsonl_carries_records_not_recording_times_nor_the_hash_chain(tmp_path: Path) -> None:
    # A line is the record alone: the importing store records it at its own clock, so
    # the chain hashes (which cover the recording time) differ, and a record with no
    # ``reported`` and no dated source is known from its new recording time. `copy`
    # keeps both (docs/howto/export.md).
    def at(day: str) -> MemoryStore:
        when = pendulum.parse(day)
        return MemoryStore(clock=lambda: when)

    undated = Attack(id="undated", occurred="2020-10-05", target_class="civilian")
    first = Timeline(at("2024-01-01"))
    first.append(undated)
    path = tmp_path / "log.jsonl"
    export_jsonl(first, path)
    again = Timeline(at("2025-01-01"))
    again.extend(read_jsonl(path))
    assert [r.record for r in again] == [undated]
    assert first.store.chain_hash_at(1) != again.store.chain_hash_at(1)
    assert [r.id for r in current_records(first, known_at="2024-06-01")] == ["undated"]
    assert [r.id for r in current_records(again, known_at="2024-06-01")] == []


def test_a_log_appended_loose_reads_back_only_loose(tmp_path: Path) -> None:
    """A timeline appended with ``strict=False`` (naming an actor it does not define)
    exports whole, and its file is refused by a strict append, naming the record, the
    field and the id, and read back with ``strict=False`` to the same records."""
    loose = Attack(id="a", occurred="2020-10-05", perpetrator="nobody", reported="2020-10-06")
    first = Timeline()
    first.append(loose, strict=False)
    path = tmp_path / "log.jsonl"
    assert export_jsonl(first, path) == 1
    with pytest.raises(
        UnknownReferenceError, match=r"Attack 'a': perpetrator: unknown actor id 'nobody'"
    ):
        Timeline().extend(read_jsonl(path))
    again = Timeline()
    again.extend(read_jsonl(path), strict=False)
    assert [r.record for r in again] == [loose]
