"""`Timeline`'s own rules, each against a value written by hand from its docstring:
what ``Timeline.open``, ``extend``, ``append_stream`` and the query helpers pass on
(a hand-planted mutation audit of ``_timeline.py`` found them untested)."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import sqlite3
import warnings
from pathlib import Path

import attrs
import pendulum
import pytest

from conflict_timeline import (
    Accusation,
    ActiveCommitments,
    ActorDefined,
    Attack,
    Commitment,
    CommitmentEnded,
    ConcurrencyError,
    ImportDataError,
    InvalidRecordError,
    MemoryStore,
    PlaceDefined,
    QueryError,
    ReportedViolations,
    Source,
    Timeline,
    UnknownReferenceError,
    UnsourcedRecordWarning,
    datasets,
)
from conflict_timeline.importers import ImportBatch

KHARTOUM = "Africa/Khartoum"  # UTC+2 in 2023, no summer time
FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")


def fixed_clock() -> _dt.datetime:
    return FIXED


def us(text: str) -> int:
    """Epoch microseconds of an ISO timestamp with its offset."""
    return int(_dt.datetime.fromisoformat(text).timestamp()) * 1_000_000


ACTORS = (
    ActorDefined(id="saf", name="Sudanese Armed Forces", actor_kind="armed_force"),
    ActorDefined(id="rsf", name="Rapid Support Forces", actor_kind="armed_force"),
)
REUTERS = (Source(publisher="Reuters", published="2023-05-21"),)


def truce() -> Commitment:
    return Commitment(
        id="jeddah",
        commitment_kind="ceasefire",
        parties=("saf", "rsf"),
        occurred="2023-05-20",
        effective="2023-05-22T21:45",
        sources=REUTERS,
    )


def test_open_reads_zone_less_times_in_its_tz(tmp_path: Path) -> None:
    """``Timeline.open(..., tz=...)``: "tz ... as for Timeline": a zone-less time is
    read in it (21:45 in Khartoum is 19:45 UTC)."""
    with Timeline.open(tmp_path / "tl.db", tz=KHARTOUM) as timeline:
        timeline.append(*ACTORS, truce())
        assert timeline.get("jeddah").record.starts.lo == us("2023-05-22T19:45:00+00:00")


def test_open_passes_require_sources_on(tmp_path: Path) -> None:
    with (
        Timeline.open(tmp_path / "tl.db", require_sources=True) as timeline,
        pytest.raises(InvalidRecordError, match=r"^Attack 'x': no dated source"),
    ):
        timeline.append(*ACTORS, Attack(id="x", occurred="2023-05-20"))


def test_extend_passes_expected_position_and_strict() -> None:
    """``extend`` is ``append`` of an iterable: its ``expected_position`` and
    ``strict`` count."""
    timeline = Timeline()
    with pytest.raises(ConcurrencyError):
        timeline.extend(ACTORS, expected_position=5)
    assert len(timeline) == 0
    orphan = Attack(id="a", occurred="2023-05-20", perpetrator="ghost", sources=REUTERS)
    with pytest.raises(UnknownReferenceError):
        timeline.extend([orphan])
    assert timeline.extend([orphan], strict=False) == (1,)
    assert [(d.record_id, d.field, d.ref) for d in timeline.dangling_references()] == [
        ("a", "perpetrator", "ghost")
    ]


def test_append_stream_reads_zone_less_times_in_the_timeline_tz() -> None:
    timeline = Timeline(MemoryStore(clock=fixed_clock), tz=KHARTOUM)
    assert timeline.append_stream(iter([*ACTORS, truce()])) == range(1, 4)
    assert timeline.get("jeddah").record.starts.lo == us("2023-05-22T19:45:00+00:00")


def test_append_stream_with_require_sources_refuses_the_whole_batch() -> None:
    timeline = Timeline(MemoryStore(clock=fixed_clock), require_sources=True)
    with pytest.raises(InvalidRecordError, match=r"^Attack 'x': no dated source"):
        timeline.append_stream(iter([*ACTORS, Attack(id="x", occurred="2023-05-20")]))
    assert len(timeline) == 0


@pytest.mark.parametrize("streamed", [False, True])
def test_unsourced_records_are_warned_about_once_counting_the_others(streamed: bool) -> None:
    """One warning names the first record with no knowledge time and how many more
    there are (a streamed append keeps only the first, and counts)."""
    timeline = Timeline(MemoryStore(clock=fixed_clock))
    unsourced = [Attack(id=f"a{n}", occurred="2023-05-20") for n in (1, 2)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if streamed:
            timeline.append_stream(iter(unsourced))
        else:
            timeline.append(*unsourced)
    messages = [str(w.message) for w in caught if w.category is UnsourcedRecordWarning]
    assert len(messages) == 1
    assert messages[0].startswith("Attack 'a1' and 1 more: no dated source and no reported")


class _ReadOnlyImporter:
    """An importer of one's own with only ``read``: it notes what it was given."""

    name = "spy"
    description = "spy: reads nothing"
    file_kinds: tuple[str, ...] = ("csv",)

    def __init__(self, *records: Attack) -> None:
        self.calls: list[tuple[bool, dict[str, object]]] = []
        self.records = records

    def recognises(self, columns: object) -> bool:
        return False

    def read(
        self, source: object, *, existing: object = None, strict: bool = False, **options: object
    ) -> ImportBatch:
        self.calls.append((strict, options))
        return ImportBatch(records=self.records, refused=(), rows=len(self.records))


def test_import_hands_a_read_only_importer_strict_and_its_options() -> None:
    """``import_(..., strict=...)``: "Stop at the first row with bad data": the flag
    and the importer's own options reach an importer that has only ``read``."""
    spy = _ReadOnlyImporter()
    Timeline().import_(spy, io.StringIO(""), strict=True, encoding="cp1252")
    Timeline().import_(spy, io.StringIO(""))
    assert spy.calls == [(True, {"encoding": "cp1252"}), (False, {})]


DATA = Path(__file__).parent / "data"


def test_import_acled_names_the_publisher_it_is_given() -> None:
    """``import_acled(source_name=...)``: the publisher named on each record's ACLED
    source (default ACLED)."""
    timeline = Timeline()
    timeline.import_acled(DATA / "acled-synthetic-numeric-inter.csv", source_name="HDX mirror")
    publishers = {s.publisher for s in timeline.get("acled:SYN1").record.sources}
    assert "HDX mirror" in publishers
    assert "ACLED" not in publishers


def test_import_acled_deletions_keeps_unheld_deletions_only_when_asked() -> None:
    """The deletions file lists SYN3 and SYN99; an empty timeline holds neither: both
    are skipped as "event not held", or with ``keep_unheld`` kept as retractions
    waiting for their events."""
    deletions = DATA / "acled-synthetic-deletions.csv"
    skipped = Timeline().import_acled_deletions(deletions)
    assert (skipped.appended, skipped.out_of_scope) == (0, {"event not held": 2})
    kept = Timeline()
    assert kept.import_acled_deletions(deletions, keep_unheld=True).appended == 2
    assert sorted(d.ref for d in kept.dangling_references()) == ["acled:SYN3", "acled:SYN99"]


def test_import_ucdp_reads_numeric_dates_in_the_order_given() -> None:
    """``import_ucdp(date_order=...)``: 03/04/2023 is the 3rd of April day first; with
    no order given, no row settles it and the row is refused."""
    with (DATA / "ucdp-ged-23.1-sample-1000.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        row = next(reader)
        columns = reader.fieldnames
    assert columns is not None
    row.update(date_start="03/04/2023", date_end="03/04/2023")
    text = io.StringIO()
    writer = csv.DictWriter(text, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    refused = Timeline().import_ucdp(io.StringIO(text.getvalue()))
    assert refused.appended == 0
    assert len(refused.refused) == 1
    timeline = Timeline()
    timeline.import_ucdp(io.StringIO(text.getvalue()), date_order="day-first")
    attack = timeline.get(f"ucdp:{row['id']}").record
    assert attack.occurred.lo == us("2023-04-03T00:00:00+00:00")


def test_read_keeps_to_its_bounds() -> None:
    """``read(start=..., stop=...)``: from ``start`` to ``stop`` inclusive; a ``start``
    below 1 reads from 1, a ``stop`` past the head (or None) to the head."""
    timeline = Timeline()
    timeline.append(*ACTORS, truce())
    assert [r.position for r in timeline.read(start=2, stop=2)] == [2]
    assert [r.position for r in timeline.read(start=0, stop=2)] == [1, 2]
    assert [r.position for r in timeline.read(start=2, stop=99)] == [2, 3]
    assert [r.id for r in timeline.read(stop=1)] == ["saf"]


def test_reads_by_kind_refuse_what_is_no_record_kind() -> None:
    """``read(kinds=)``, ``by_kind`` and ``occurred_between(kinds=)`` take record kind
    names or classes. A name that is no kind (a plural, a typo) is refused naming it,
    not read as a kind that matches nothing; a lone string is refused, not read as
    the kinds 'A', 't', 't', ... (both answered an empty list before)."""
    timeline = Timeline()
    timeline.append(*ACTORS, truce())
    assert [r.id for r in timeline.read(kinds=["Commitment"])] == ["jeddah"]
    assert [r.id for r in timeline.read(kinds=[Commitment])] == ["jeddah"]
    assert [r.id for r in timeline.by_kind("ActorDefined", Commitment)] == ["saf", "rsf", "jeddah"]
    with pytest.raises(
        QueryError,
        match=r"^by_kind: kinds: 'Commitments' is not a record kind \(did you mean "
        r"'Commitment'\?\); the kinds are: Accusation, ActorDefined, ",
    ):
        timeline.by_kind("Commitments")
    with pytest.raises(
        QueryError,
        match=r"^read: kinds must be a collection of record kinds, got 'Commitment': "
        r"write kinds=\['Commitment'\]$",
    ):
        timeline.read(kinds="Commitment")
    with pytest.raises(QueryError, match=r"^read: kinds must be .* write kinds=\['Attack'\]$"):
        timeline.read(kinds=Attack)  # type: ignore[arg-type]
    with pytest.raises(QueryError, match=r"^occurred_between: kinds: 'attack' is not a record"):
        timeline.occurred_between("2023-05-01", "2023-06-01", kinds=["attack"])


def test_occurred_between_runs_to_the_end_of_its_end_date_in_the_timeline_zone() -> None:
    """``occurred_between(start, end)``: records whose ``occurred`` overlaps start ..
    the end of ``end``, dates read in the timeline's zone. Noon of the 21st is in
    20..21; 23:30 UTC on the 21st is 01:30 on the 22nd in Khartoum."""
    noon = Attack(id="noon", occurred="2023-05-21T12:00+00:00", sources=REUTERS)
    late = Attack(id="late", occurred="2023-05-21T23:30+00:00", sources=REUTERS)
    utc = Timeline()
    utc.append(noon, late)
    assert [r.id for r in utc.occurred_between("2023-05-20", "2023-05-21")] == ["noon", "late"]
    assert [r.id for r in utc.occurred_between("2023-05-22", "2023-05-22")] == []
    khartoum = Timeline(tz=KHARTOUM)
    khartoum.append(noon, late)
    assert [r.id for r in khartoum.occurred_between("2023-05-22", "2023-05-22")] == ["late"]
    assert [r.id for r in khartoum.occurred_between("2023-05-22", "2023-05-22", tz="UTC")] == []


def test_series_and_occurred_between_name_the_bound_they_refuse() -> None:
    """``series(view, start, end)`` and ``occurred_between(start, end)`` take their
    bounds as ``at`` does: a naive datetime, an unparsable string, a number or None is
    a QueryError naming the method and the bound, as ``at=`` names itself (it was an
    InvalidTimeError naming neither, or a TypeError)."""
    timeline = Timeline()
    timeline.append(*ACTORS, truce())
    naive = _dt.datetime(2023, 5, 21, 12)
    with pytest.raises(QueryError, match=r"^series: start: cut '2023-05-21T12:00:00' is naive"):
        timeline.series(ActiveCommitments, naive, "2023-06-01")
    with pytest.raises(QueryError, match=r"^series: end: cannot parse time '1/6/2023'"):
        timeline.series(ActiveCommitments, "2023-05-01", "1/6/2023")
    with pytest.raises(QueryError, match=r"^series: end: give a date or a time \(None names no"):
        timeline.series(ActiveCommitments, "2023-05-01", None)  # type: ignore[arg-type]
    with pytest.raises(QueryError, match=r"^occurred_between: end: cut .* is naive"):
        timeline.occurred_between("2023-05-01", naive)
    with pytest.raises(QueryError, match=r"^occurred_between: start must be a date .*, got int"):
        timeline.occurred_between(2023, "2023-06-01")  # type: ignore[arg-type]


def test_series_and_occurred_between_refuse_an_end_before_the_start() -> None:
    """An ``end`` before ``start`` is refused, as ``between=`` refuses it, not answered
    with nothing (which reads as "nothing happened then"); an end on the start's day
    is a span of that day."""
    timeline = Timeline()
    timeline.append(*ACTORS, truce())
    with pytest.raises(
        QueryError, match=r"^series: end '2023-05-01' is before start '2023-06-01'$"
    ):
        timeline.series(ActiveCommitments, "2023-06-01", "2023-05-01")
    with pytest.raises(
        QueryError, match=r"^occurred_between: end '2023-05-20' is before start '2023-05-21'$"
    ):
        timeline.occurred_between("2023-05-21", "2023-05-20")
    assert len(timeline.series(ActiveCommitments, "2023-06-01", "2023-06-01")) == 1
    # The truce was made on 20 May: a span of that one day holds it.
    assert [r.id for r in timeline.occurred_between("2023-05-20", "2023-05-20")] == ["jeddah"]


def test_query_takes_position_0_and_refuses_an_unknown_certainty() -> None:
    """``query``: ``as_of`` is a store position, a whole number >= 0 (0: before the
    first record); ``certainty`` is "possible" or "certain", anything else refused."""
    timeline = Timeline()
    timeline.append(*ACTORS, truce())
    assert timeline.query(as_of=0).as_of == 0
    assert timeline.state(ActiveCommitments, at="2023-06-01", as_of=0).ids() == ()
    assert timeline.state(ActiveCommitments, at="2023-06-01", as_of=3).ids() == ("jeddah",)
    with pytest.raises(
        QueryError, match=r"^certainty must be 'possible' or 'certain', got 'maybe'$"
    ):
        timeline.query(certainty="maybe")
    with pytest.raises(QueryError, match=r"^certainty must be 'possible' or 'certain'"):
        timeline.state(ActiveCommitments, certainty="sure")  # type: ignore[arg-type]


def test_follow_starts_at_its_start() -> None:
    """``follow(start=...)``: records from ``start`` on."""
    timeline = Timeline()
    timeline.append(*ACTORS, truce())
    assert [r.position for r in timeline.follow(start=2, poll=0, idle_timeout=0)] == [2, 3]


def test_follow_and_subscribe_refuse_bad_arguments_when_called() -> None:
    """``follow``'s ``poll`` and ``idle_timeout`` are seconds >= 0 (``idle_timeout``
    may be None), and ``subscribe``'s callback is callable: anything else is a
    QueryError naming it at the call, not a ValueError from ``time.sleep`` once the
    iterator goes idle, nor a subscription that closes itself on its first record."""
    timeline = Timeline()
    timeline.append(*ACTORS)
    for bad in (-1, "0.2", True, float("nan")):
        with pytest.raises(
            QueryError, match=r"^follow\(poll=.*\): give a number of seconds >= 0$"
        ):
            timeline.follow(poll=bad)  # type: ignore[arg-type]
    with pytest.raises(QueryError, match=r"^follow\(idle_timeout=-0.5\): give a number"):
        timeline.follow(idle_timeout=-0.5)
    assert [r.position for r in timeline.follow(poll=0.0, idle_timeout=0)] == [1, 2]
    with pytest.raises(
        QueryError, match=r"^subscribe: the callback must be callable .*, got int 42$"
    ):
        timeline.subscribe(42)  # type: ignore[arg-type]
    seen: list[int] = []
    timeline.subscribe(lambda recorded: seen.append(recorded.position)).close()
    assert seen == [1, 2]


def test_a_closed_timeline_has_a_repr(tmp_path: Path) -> None:
    """``repr`` never raises (a debugger, a log line or a failing assert shows it): a
    closed timeline says its head cannot be read, and why, where it gave its count."""
    memory = Timeline()
    memory.append(*ACTORS)
    assert repr(memory) == "<Timeline MemoryStore, 2 records>"
    memory.close()
    assert repr(memory) == ("<Timeline MemoryStore, head unreadable: this MemoryStore is closed>")
    path = tmp_path / "t.db"
    stored = Timeline.open(path)
    stored.close()
    assert repr(stored) == (
        f"<Timeline SQLiteStore({str(path)!r}), head unreadable: {path}: "
        "this SQLiteStore is closed>"
    )


def test_a_live_view_of_a_zoned_timeline_equals_its_state() -> None:
    """docs/howto/series-and-live.md: a live view "always equals a rebuild over
    everything appended". In a timeline with a zone, ``state(view)`` answers with its
    query in that zone, and so does the live view (it answered in UTC, unequal)."""
    timeline = Timeline(tz=KHARTOUM)
    timeline.append(*ACTORS)
    live = timeline.live(ActiveCommitments)
    timeline.append(truce())
    assert live.value.ids() == ("jeddah",)
    assert live.value.query.tz == KHARTOUM
    assert live.value == timeline.state(ActiveCommitments)
    live.close()


def test_a_list_given_to_append_is_refused_saying_to_unpack_it() -> None:
    """``append(*records)`` takes records one by one: a list (or a generator) given
    whole is refused as before, nothing stored, and the error says how to append it."""
    timeline = Timeline()
    for whole in (list(ACTORS), (a for a in ACTORS)):
        with pytest.raises(InvalidRecordError) as caught:
            timeline.append(whole)  # type: ignore[arg-type]
        assert str(caught.value) == (
            f"append: item 0 is a {type(whole).__name__}, not a record (records where one "
            "record belongs: Timeline.append takes them one by one, append(*records), or "
            "extend(records))"
        )
    assert len(timeline) == 0
    with pytest.raises(InvalidRecordError, match=r"^append: item 1 is a str, not a record$"):
        timeline.append(ACTORS[0], "saf")  # type: ignore[arg-type]
    assert timeline.extend(ACTORS) == (1, 2)


def test_between_is_read_in_the_query_zone() -> None:
    """``state(..., between=(start, end))`` takes dates as ``at`` does: in the query's
    ``tz``, by default the timeline's. 23:30 UTC on the 23rd is 01:30 on the 24th in
    Khartoum."""
    claim = Accusation(
        id="claim",
        occurred="2023-05-23T23:30+00:00",
        sources=(Source(publisher="Reuters", published="2023-05-25"),),
        accuser="saf",
        accused=("rsf",),
        breach_of="jeddah",
    )
    timeline = Timeline(tz=KHARTOUM)
    timeline.append(*ACTORS, truce(), claim)
    day = ("2023-05-24", "2023-05-24")
    found = timeline.state(ReportedViolations, at="2023-05-31", between=day)
    assert [v.id for v in found] == ["alleged:claim:jeddah"]
    assert [v.id for v in timeline.state(ReportedViolations, between=day, tz="UTC")] == []


def test_a_clock_goes_with_the_default_store_only() -> None:
    """``clock``: "Gives recorded_at for the default store": given with a store of
    one's own (which would ignore it) it is refused, saying where it goes."""
    with pytest.raises(QueryError, match=r"^give the clock to the store, not to Timeline"):
        Timeline(MemoryStore(), clock=fixed_clock)
    timeline = Timeline(clock=fixed_clock)
    timeline.append(*ACTORS)
    assert timeline.get("saf").recorded_at == FIXED


def test_is_within_holds_to_the_store_position() -> None:
    """``is_within(..., as_of=...)``: by the place definitions under the cuts. In the
    worked example Stepanakert (position 13) lies in Nagorno-Karabakh (12), inside
    Azerbaijan's territory (11): as of 12, Stepanakert is not defined yet."""
    timeline = Timeline()
    timeline.append(*datasets.karabakh_oct_2020())
    assert timeline.is_within("stepanakert", "azerbaijan-territory")
    assert timeline.is_within("stepanakert", "azerbaijan-territory", as_of=13)
    assert not timeline.is_within("stepanakert", "azerbaijan-territory", as_of=12)


def test_changes_asks_both_answers_at_the_same_valid_time() -> None:
    """``changes(..., at=...)``: the answer at ``at`` as known at ``known_from`` against
    the answer at ``at`` as known at ``known_to``. The truce, known from the 21st, ran
    from the 22nd to its end on the 24th: on the 23rd it was active as known at
    either date, and on the 21st at neither, so nothing changed; asked after every
    date, it had ended as known at the 30th."""
    ended = CommitmentEnded(
        id="jeddah-end",
        occurred="2023-05-24",
        sources=(Source(publisher="Reuters", published="2023-05-24"),),
        commitment="jeddah",
        reason="expired",
    )
    timeline = Timeline(MemoryStore(clock=fixed_clock))
    timeline.append(*ACTORS, truce(), ended)
    cuts = {"known_from": "2023-05-21", "known_to": "2023-05-30"}
    on_the_23rd = timeline.changes(ActiveCommitments, at="2023-05-23", **cuts)
    assert [(c.id, c.what) for c in on_the_23rd] == []
    # Before it took effect (the 22nd, 21:45) it was active as known at neither.
    on_the_21st = timeline.changes(ActiveCommitments, at="2023-05-21", **cuts)
    assert [(c.id, c.what) for c in on_the_21st] == []
    assert [(c.id, c.what) for c in timeline.changes(ActiveCommitments, **cuts)] == [
        ("jeddah", "left")
    ]


def test_an_importer_that_says_nothing_of_references_appends_them_resolved() -> None:
    """An importer with no ``strict_references`` appends with every reference
    resolved: a record referring to an actor nobody defined is refused, nothing
    appended."""
    orphan = Attack(id="a", occurred="2023-05-20", perpetrator="ghost", sources=REUTERS)
    timeline = Timeline()
    with pytest.raises(UnknownReferenceError, match="ghost"):
        timeline.import_(_ReadOnlyImporter(orphan), io.StringIO(""))
    assert len(timeline) == 0


def test_open_passes_checkpoint_every_on(tmp_path: Path) -> None:
    with Timeline.open(tmp_path / "a.db", checkpoint_every=7) as timeline:
        assert timeline.checkpoint_every == 7
    with pytest.raises(QueryError, match=r"^checkpoint_every must be at least 1, got 0$"):
        Timeline.open(tmp_path / "b.db", checkpoint_every=0)


def test_checkpoint_every_and_require_sources_refuse_values_of_another_type() -> None:
    with pytest.raises(QueryError, match=r"^checkpoint_every must be a whole number, got True$"):
        Timeline(checkpoint_every=True)
    with pytest.raises(QueryError, match=r"^require_sources must be True or False, got 'yes'$"):
        Timeline(require_sources="yes")  # type: ignore[arg-type]


def test_receipts_without_a_key_are_refused_even_on_a_damaged_timeline(tmp_path: Path) -> None:
    """``verify``: receipts without a public key are a QueryError, whatever the file
    holds (the check of the chain does not answer first)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = tmp_path / "tl.db"
    with Timeline.open(path) as timeline:
        timeline.append(
            *[ActorDefined(id=f"a{n}", name=f"A{n}", actor_kind="state") for n in range(3)]
        )
        receipt = timeline.receipt(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE records SET hash = ? WHERE position = 2", ("f" * 64,))
    db.close()
    with (
        Timeline.open(path, create=False, read_only=True) as timeline,
        pytest.raises(QueryError, match="needs the public_key"),
    ):
        timeline.verify(receipts=[receipt])


class _NoStreamStore:
    """A store not built on StoreBase: everything a MemoryStore has but
    ``append_stream`` (and listeners)."""

    def __init__(self) -> None:
        self._inner = MemoryStore(clock=fixed_clock)

    def __getattr__(self, name: str) -> object:
        if name in ("append_stream", "add_listener"):
            raise AttributeError(name)
        return getattr(self._inner, name)


def test_append_stream_on_a_store_without_streaming_returns_every_position_written() -> None:
    timeline = Timeline(_NoStreamStore())  # type: ignore[arg-type]
    records = [ActorDefined(id=f"a{n}", name=f"A{n}", actor_kind="state") for n in range(3)]
    assert timeline.append_stream(iter(records[:2])) == range(1, 3)
    assert timeline.append_stream(iter(records)) == range(3, 4)
    assert timeline.append_stream(iter(records)) == range(4, 4)


def test_between_one_instant_and_itself_is_a_window_of_that_instant() -> None:
    """``between=(t, t)`` for an instant is not an end before its start: it keeps the
    violations whose incident overlaps that instant, and no other."""
    instant = _dt.datetime(2020, 10, 31, 12, 0, tzinfo=_dt.UTC)
    timeline = Timeline(MemoryStore(clock=fixed_clock))
    timeline.append(
        ActorDefined(id="saf", name="SAF", actor_kind="armed_force"),
        ActorDefined(id="rsf", name="RSF", actor_kind="armed_force"),
        Commitment(
            id="truce",
            commitment_kind="ceasefire",
            parties=("saf", "rsf"),
            prohibits=("any_attack",),
            occurred="2020-10-01",
            sources=(Source(publisher="Reuters", published="2020-10-01"),),
        ),
        *(
            Attack(
                id=name,
                occurred=when,
                perpetrator="saf",
                target_class="civilian",
                sources=(Source(publisher="Reuters", published="2020-11-02"),),
            )
            for name, when in (
                ("at", "2020-10-31T12:00+00:00"),
                ("after", "2020-10-31T12:00:00.000001+00:00"),
            )
        ),
    )
    assert sorted(a.evidence for a in timeline.state(ReportedViolations)) == ["after", "at"]
    found = timeline.state(ReportedViolations, between=(instant, instant))
    assert [a.evidence for a in found] == ["at"]


def test_series_keeps_the_period_beginning_at_its_end_instant() -> None:
    end = _dt.datetime(2020, 11, 1, 0, 0, tzinfo=_dt.UTC)
    points = Timeline().series(ActiveCommitments, "2020-10-30", end, every="day")
    assert [p.period.lo for p in points] == [
        us("2020-10-30T00:00:00+00:00"),
        us("2020-10-31T00:00:00+00:00"),
        us("2020-11-01T00:00:00+00:00"),
    ]


def test_series_gives_the_answer_at_the_end_of_each_period() -> None:
    """docs/howto/series-and-live.md: a series "gives the view's result at the end of
    each day, week, month or year". The Jeddah truce takes effect on Monday 22 May
    2023 at 21:45 (Khartoum): it is in force at the end of that day and of that week
    (22-28 May), not at their first instant. With ``until`` 24 May (a day) it has
    possibly lapsed from the first instant of 24 May, so at the end of 23 May it is
    still in force and at the end of 24 May it is not."""
    weekly = Timeline(tz=KHARTOUM)
    weekly.append(*ACTORS, truce())
    weeks = weekly.series(ActiveCommitments, "2023-05-15", "2023-05-28", every="week")
    assert [p.value.ids() for p in weeks] == [(), ("jeddah",)]
    daily = Timeline(tz=KHARTOUM)
    daily.append(*ACTORS, attrs.evolve(truce(), until="2023-05-24"))
    days = daily.series(ActiveCommitments, "2023-05-21", "2023-05-24", every="day")
    assert [p.value.ids() for p in days] == [(), ("jeddah",), ("jeddah",), ()]


def test_series_reads_its_dates_in_the_timeline_zone() -> None:
    points = Timeline(tz=KHARTOUM).series(ActiveCommitments, "2023-05-21", "2023-05-21")
    assert [p.period.lo for p in points] == [us("2023-05-21T00:00:00+02:00")]


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("import_acled", "acled-synthetic-numeric-inter.csv"),
        ("import_acled_deletions", "acled-synthetic-deletions.csv"),
    ],
)
def test_acled_imports_pass_date_order_on(method: str, name: str) -> None:
    with pytest.raises(ImportDataError, match=r"option 'date_order': 'year-first'"):
        getattr(Timeline(), method)(DATA / name, date_order="year-first")


def test_is_within_reads_at_in_its_tz() -> None:
    """A place defined at 22:00 UTC on 31 October lies within its parent by the end of
    that day in UTC, not by its end in Baku (UTC+4: 19:59:59 UTC)."""
    sources = (Source(publisher="Reuters", published="2020-10-01"),)
    timeline = Timeline()
    timeline.append(
        PlaceDefined(
            id="az-t",
            name="Azerbaijan",
            place_kind="country",
            occurred="2020-10-01",
            sources=sources,
        ),
        PlaceDefined(
            id="stk",
            name="Stepanakert",
            place_kind="city",
            parent="az-t",
            occurred="2020-10-31T22:00+00:00",
            sources=sources,
        ),
    )
    assert timeline.is_within("stk", "az-t", at="2020-10-31", tz="UTC")
    assert not timeline.is_within("stk", "az-t", at="2020-10-31", tz="Asia/Baku")


def test_a_shortened_cut_name_is_answered_with_the_one_meant() -> None:
    with pytest.raises(QueryError, match=r"did you mean known_at= \(not known=\)\?$"):
        Timeline().state(ReportedViolations, known="2020-10-31")


@pytest.mark.parametrize("importer", ["acled", "acled-deletions"])
@pytest.mark.parametrize("blank", ["", "   "])
def test_an_acled_source_name_that_names_no_publisher_is_refused(
    importer: str, blank: str
) -> None:
    """``source_name``: "The publisher named on each record's ACLED source (default
    ACLED)": left out, ACLED; given as text with nothing in it, refused before a row
    is read, not replaced by ACLED without a word."""
    timeline = Timeline()
    with pytest.raises(
        ImportDataError,
        match=rf"^importer '{importer}': option 'source_name': '{blank}' names no publisher",
    ):
        timeline.import_(importer, DATA / "acled-synthetic-deletions.csv", source_name=blank)
    assert len(timeline) == 0


def test_import_acled_reads_a_file_in_the_encoding_it_is_given(tmp_path: Path) -> None:
    """``import_acled(encoding=...)``, as `read_acled` and ``import_("acled")`` take it:
    a file saved in Windows-1252 imports with its accented names right."""
    rows = list(csv.reader(io.StringIO((DATA / "acled-synthetic-text-inter.csv").read_text())))
    header = [h.removeprefix("\ufeff") for h in rows[0]]
    rows[1][header.index("location")] = "Testvillé"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows[1:]])
    path = tmp_path / "acled-1252.csv"
    path.write_bytes(out.getvalue().encode("cp1252"))
    with pytest.raises(ImportDataError, match=r"not UTF-8 \(byte 0xe9\)"):
        Timeline().import_acled(path)
    timeline = Timeline()
    summary = timeline.import_acled(path, encoding="cp1252")
    assert summary.refused == ()
    event = rows[1][header.index("event_id_cnty")]
    attack = timeline.get(f"acled:{event}").record
    assert attack.place is not None
    assert attack.place.endswith("/testville")
    names = [r.record.name for r in timeline.by_kind("PlaceDefined")]
    assert "Testvillé" in names


def test_import_ucdp_dates_no_source_after_the_today_it_is_given() -> None:
    """``import_ucdp(today=...)``, as `read_ucdp` and ``import_("ucdp")`` take it: a
    source date after that day is no day a source was published on, flagged."""
    ged = DATA / "ucdp-ged-23.1-sample-1000.csv"
    later = "source date after today"
    assert later not in Timeline().import_ucdp(ged, today="2026-12-01").flags
    flagged = Timeline().import_ucdp(ged, today=_dt.date(1995, 1, 1)).flags
    assert flagged[later] > 0


def test_the_import_shortcuts_hand_on_the_options_given_and_no_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``import_acled``, ``import_acled_deletions`` and ``import_ucdp`` are
    ``import_`` with the named importer: each option given reaches it, as given; one
    not given is left to the importer's default."""
    calls: list[tuple[str, bool, dict[str, object]]] = []

    def spy(_self: Timeline, name: str, _path: object, *, strict: bool, **options: object) -> None:
        calls.append((name, strict, options))

    monkeypatch.setattr(Timeline, "import_", spy)
    day = _dt.date(2024, 5, 1)
    timeline = Timeline()
    timeline.import_acled("f.csv", source_name="S", date_order="dmy", encoding="cp1252")
    timeline.import_acled("f.csv", strict=True)
    timeline.import_acled_deletions(
        "f.csv", source_name="S", keep_unheld=True, date_order="mdy", encoding="latin-1"
    )
    timeline.import_acled_deletions("f.csv")
    timeline.import_ucdp("f.csv", date_order="dmy", encoding="cp1252", today=day)
    timeline.import_ucdp("f.csv", strict=True)
    assert calls == [
        ("acled", False, {"source_name": "S", "date_order": "dmy", "encoding": "cp1252"}),
        ("acled", True, {}),
        (
            "acled-deletions",
            False,
            {"source_name": "S", "keep_unheld": True, "date_order": "mdy", "encoding": "latin-1"},
        ),
        ("acled-deletions", False, {}),
        ("ucdp", False, {"date_order": "dmy", "encoding": "cp1252", "today": day}),
        ("ucdp", True, {}),
    ]
