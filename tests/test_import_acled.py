"""ACLED import, on small synthetic files in ACLED's real column layout.

Every row in ``tests/data/acled-synthetic-*.csv`` and every row
:func:`synthetic_acled_csv` writes is invented (see tests/data/README.md).
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from conflict_timeline import (
    ActorDefined,
    ActorKind,
    Attack,
    Commitment,
    Correction,
    ImportDataError,
    PlaceDefined,
    Precision,
    Record,
    Retraction,
    Statement,
    TargetClass,
    TimeExtent,
    references,
)
from conflict_timeline.importers import ImportBatch, RefusedRow, read_acled, read_acled_deletions

DATA = Path(__file__).parent / "data"
NUMERIC = DATA / "acled-synthetic-numeric-inter.csv"
TEXT = DATA / "acled-synthetic-text-inter.csv"
NEWER = DATA / "acled-synthetic-numeric-inter-v2.csv"
BAD_LATITUDE = DATA / "acled-synthetic-bad-latitude.csv"
DELETIONS = DATA / "acled-synthetic-deletions.csv"

COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]


def by_id(batch: ImportBatch) -> dict[str, Record]:
    return {r.id: r for r in batch.records}


def attack(batch: ImportBatch, eid: str) -> Attack:
    record = by_id(batch)[f"acled:{eid}"]
    assert isinstance(record, Attack)
    return record


@pytest.fixture(scope="module")
def batch() -> ImportBatch:
    return read_acled(NUMERIC)


# ----------------------------------------------------------------- reading


def test_bom_file_with_extra_column_reads_every_row(batch: ImportBatch) -> None:
    assert NUMERIC.read_bytes().startswith(b"\xef\xbb\xbf")
    assert batch.rows == 8
    assert [r.id for r in batch.events()] == [f"acled:SYN{n}" for n in range(1, 7)]
    skipped_by_design = sum(batch.out_of_scope.values())
    assert len(batch.events()) + len(batch.refused) + batch.skipped + skipped_by_design == 8


def test_streams_read_like_paths(batch: ImportBatch) -> None:
    from_bytes = read_acled(io.BytesIO(NUMERIC.read_bytes()))
    from_text = read_acled(io.StringIO(NUMERIC.read_text(encoding="utf-8")))
    assert from_bytes.records == batch.records
    assert from_text.records == batch.records
    assert from_bytes.file == "<stream>"


def test_text_inter_labels_read_like_numeric_codes(batch: ImportBatch) -> None:
    text = read_acled(TEXT)
    assert text.records == batch.records
    assert text.refused == tuple(RefusedRow(r.line, r.field, r.reason) for r in batch.refused)


def test_unix_timestamp_bounds_the_reported_extent(batch: ImportBatch) -> None:
    # ACLED's timestamp is when it last changed the row: the event was reported no
    # earlier than it began and no later than the timestamp.
    record = attack(batch, "SYN1")
    acled = record.sources[-1]
    assert acled.publisher == "ACLED"
    assert acled.published == TimeExtent.parse("2023-11-14T22:13:20Z")
    assert record.reported is not None
    assert record.reported.earliest == TimeExtent.parse("2023-11-02").earliest
    assert record.reported.last == acled.published.lo  # the timestamp, inclusive
    assert record.reported.precision is Precision.MONTH  # 12 days 22 hours wide
    assert [s.publisher for s in record.sources[:2]] == ["Synthetic Daily", "Example Radio"]
    assert all(s.published is None for s in record.sources[:2])


def test_source_name_names_the_dataset_source() -> None:
    named = read_acled(NUMERIC, source_name="ACLED (test export)")
    assert attack(named, "SYN1").sources[-1].publisher == "ACLED (test export)"


def test_time_precision_becomes_the_extent(batch: ImportBatch) -> None:
    assert attack(batch, "SYN1").occurred == TimeExtent.parse("2023-11-02")
    week = attack(batch, "SYN2").occurred  # precision 2: the week centred on 2023-11-05
    assert week.precision is Precision.WEEK
    assert str(week) == "2023-11-02..2023-11-08 (week, UTC)"
    assert attack(batch, "SYN3").occurred == TimeExtent.parse("2023-11")
    assert attack(batch, "SYN4").occurred == TimeExtent.parse("2023-11-07")  # "07 November 2023"


# ----------------------------------------------------------------- mapping


def test_battle_is_an_attack_between_armed_actors(batch: ImportBatch) -> None:
    record = attack(batch, "SYN1")
    assert record.perpetrator == "actor:military-forces-of-synthetica-2019"
    assert record.target_actor == "actor:synthetic-liberation-front"
    assert record.target_class is TargetClass.MILITARY
    assert record.means == "Armed clash"
    assert record.fatalities is not None
    assert record.fatalities.best == 3
    assert record.codes is not None
    assert (record.codes.acled_event_type, record.codes.acled_sub_event_type) == (
        "Battles",
        "Armed clash",
    )
    assert "associated with actor2: Synthetic Youth Wing" in record.notes


def test_civilian_targeting_makes_a_civilian_target(batch: ImportBatch) -> None:
    shelling = attack(batch, "SYN2")  # Explosions/Remote violence + civilian_targeting
    assert shelling.target_class is TargetClass.CIVILIAN
    assert shelling.target == "Civilians (Synthetica)"
    assert shelling.target_actor is None
    assert shelling.fatalities is not None
    assert shelling.fatalities.best == 0
    against_civilians = attack(batch, "SYN4")
    assert against_civilians.target_class is TargetClass.CIVILIAN
    assert attack(batch, "SYN3").target_class is TargetClass.UNKNOWN  # no target reported
    assert attack(batch, "SYN3").fatalities is None


def test_agreement_becomes_a_statement_not_an_open_ended_commitment(
    batch: ImportBatch,
) -> None:
    record = by_id(batch)["acled:SYN5"]
    assert isinstance(record, Statement)  # never an active commitment without an end
    assert record.speaker == "actor:government-of-synthetica-2019"
    assert record.summary == (
        "Agreement with Synthetic Liberation Front (ACLED): "
        "SYNTHETIC TEST ROW: an invented local truce for Testville."
    )
    assert "actor:synthetic-liberation-front" in by_id(batch)  # the other party is defined
    assert not any(isinstance(r, Commitment) for r in batch.records)


def test_other_strategic_development_is_a_statement(batch: ImportBatch) -> None:
    record = by_id(batch)["acled:SYN6"]
    assert isinstance(record, Statement)
    assert record.speaker == "actor:synthetic-liberation-front"
    assert record.summary == "SYNTHETIC TEST ROW: an invented base near Testville."


def test_protests_and_riots_are_skipped_by_design_and_counted(batch: ImportBatch) -> None:
    assert batch.refused == ()
    assert batch.out_of_scope == {"Protests": 1, "Riots": 1}
    # Out of scope is not bad data: strict mode counts them too instead of raising.
    assert read_acled(NUMERIC, strict=True).out_of_scope == {"Protests": 1, "Riots": 1}
    assert "actor:protesters-synthetica" not in by_id(batch)


def test_actors_get_kinds_from_inter_codes(batch: ImportBatch) -> None:
    actors = {r.id: r for r in batch.records if isinstance(r, ActorDefined)}
    assert {k: a.actor_kind for k, a in actors.items()} == {
        "actor:military-forces-of-synthetica-2019": ActorKind.ARMED_FORCE,
        "actor:synthetic-liberation-front": ActorKind.ARMED_FORCE,
        "actor:government-of-synthetica-2019": ActorKind.GOVERNMENT,
    }


def test_admin_hierarchy_is_the_de_jure_chain(batch: ImportBatch) -> None:
    places = {r.id: r for r in batch.records if isinstance(r, PlaceDefined)}
    record = attack(batch, "SYN1")
    assert record.place == "place:synthetica/north-province/lake-district/testville"
    testville = places[record.place]
    assert testville.coordinates is not None
    assert (testville.coordinates.lat, testville.coordinates.lon) == (10.5, 20.25)
    assert testville.parent == "place:synthetica/north-province/lake-district"
    assert places["place:synthetica/north-province/lake-district"].parent == (
        "place:synthetica/north-province"
    )
    assert places["place:synthetica/north-province"].parent == "place:synthetica"
    assert places["place:synthetica"].parent is None
    # No admin2 and no location: the event sits on the deepest level given.
    assert attack(batch, "SYN3").place == "place:synthetica/north-province"


def test_definitions_come_once_and_before_use(batch: ImportBatch) -> None:
    defined: set[str] = set()
    for record in batch.records:
        if isinstance(record, ActorDefined | PlaceDefined):
            assert record.id not in defined
        for _field, ref, what in references(record):
            if what in {"actor", "place"}:
                assert ref in defined, (record.id, ref)
        defined.add(record.id)


# ------------------------------------------------------------------ errors


def test_bad_latitude_is_refused_with_line_and_field() -> None:
    lenient = read_acled(BAD_LATITUDE)
    assert lenient.refused == (RefusedRow(5, "latitude", "'abc' is not a number"),)
    assert [r.id for r in lenient.events()] == ["acled:SYN1", "acled:SYN2"]
    # The refused row's new place is not defined either.
    assert not any("nowhere-junction" in r.id for r in lenient.records)


def test_bad_latitude_in_strict_mode_raises() -> None:
    with pytest.raises(ImportDataError) as info:
        read_acled(BAD_LATITUDE, strict=True)
    assert str(info.value) == (
        "acled-synthetic-bad-latitude.csv, line 5: latitude: 'abc' is not a number"
    )


def test_missing_required_column_names_file_and_column(tmp_path: Path) -> None:
    path = tmp_path / "acled-synthetic-no-date.csv"
    header = [c for c in COLUMNS if c != "event_date"]
    path.write_text(",".join(header) + "\n", encoding="utf-8")
    with pytest.raises(
        ImportDataError,
        match=r"acled-synthetic-no-date\.csv: missing required column 'event_date'",
    ):
        read_acled(path)


def test_unknown_inter_code_is_flagged_and_unknown_event_type_refused() -> None:
    text = NUMERIC.read_text(encoding="utf-8-sig").splitlines()
    rows = [
        text[0],
        text[1].replace(",1,Synthetic Liberation Front,", ",9,Synthetic Liberation Front,"),
    ]
    rows.append(text[2].replace("Explosions/Remote violence", "Earthquakes"))
    result = read_acled(io.StringIO("\n".join(rows) + "\n"))
    assert [(r.line, r.field) for r in result.refused] == [(3, "event_type")]
    assert result.flags == {"inter1 or inter2 not an ACLED actor type": 1}


def _first_row_with(column: str, value: str) -> RefusedRow:
    """The one refusal of reading the first synthetic row with ``column`` set to ``value``."""
    header, first = NUMERIC.read_text(encoding="utf-8-sig").splitlines()[:2]
    cells = next(csv.reader([first]))
    cells[header.split(",").index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header.split(","), cells])
    (refused,) = read_acled(io.StringIO(out.getvalue())).refused
    return refused


def test_a_count_beyond_64_bits_is_refused_naming_the_column() -> None:
    refused = _first_row_with("fatalities", "20000000000000000000")
    assert (refused.line, refused.field) == (2, "fatalities")
    assert "too large (counts must be below 2**63)" in refused.reason


@pytest.mark.parametrize("stamp", ["9999-12-31001-2300", "0001-01-01T00:30+01:00"])
def test_a_timestamp_past_the_calendar_in_utc_is_refused_naming_the_column(stamp: str) -> None:
    """Found by the fuzz test: an ISO timestamp whose offset carries it past 9999 or
    before year 1 in UTC."""
    refused = _first_row_with("timestamp", stamp)
    assert (refused.line, refused.field) == (2, "timestamp")
    assert "outside the years 1 to 9999 in UTC" in refused.reason


def test_empty_file_and_ragged_rows() -> None:
    with pytest.raises(ImportDataError, match="empty"):
        read_acled(io.StringIO(""))
    ragged = ",".join(COLUMNS) + "\nSYN1,2023-11-02,2023\n"
    result = read_acled(io.StringIO(ragged))
    assert result.refused == (RefusedRow(2, "row", "has 3 fields but the header has 31"),)


# --------------------------------------------------------------- re-import


def test_reimport_unchanged_adds_nothing(batch: ImportBatch) -> None:
    store = by_id(batch)
    again = read_acled(NUMERIC, existing=store.get)
    assert again.records == ()
    assert again.skipped == 6
    assert again.refused == ()
    assert again.out_of_scope == {"Protests": 1, "Riots": 1}


def test_reimport_changed_row_appends_a_correction(batch: ImportBatch) -> None:
    store = by_id(batch)
    newer = read_acled(NEWER, existing=store.get)
    assert newer.skipped == 5
    assert len(newer.records) == 1
    correction = newer.records[0]
    assert isinstance(correction, Correction)
    assert correction.corrects == "acled:SYN1"
    assert correction.reason == "ACLED re-import: row changed"
    assert correction.id.startswith("acled:SYN1#correction-")
    replacement = correction.replacement
    assert isinstance(replacement, Attack)
    assert replacement.fatalities is not None
    assert replacement.fatalities.best == 5
    # Known from the newer timestamp on.
    assert correction.reported == TimeExtent.parse("2023-11-21T20:53:20Z")

    # The same newer export again (the caller's `existing` now returns the current
    # version, the replacement): nothing more.
    current = {**store, "acled:SYN1": replacement}
    assert read_acled(NEWER, existing=current.get).records == ()

    # A third version gets a correction with another deterministic id.
    third = NEWER.read_text(encoding="utf-8-sig").replace(",5,,1700600000", ",6,,1700900000")
    later = read_acled(io.StringIO(third), existing=current.get)
    assert len(later.records) == 1
    assert isinstance(later.records[0], Correction)
    assert later.records[0].id != correction.id
    assert read_acled(io.StringIO(third), existing=current.get).records == later.records


def test_same_id_twice_in_one_file() -> None:
    lines = NUMERIC.read_text(encoding="utf-8-sig").splitlines()
    same = read_acled(io.StringIO("\n".join([lines[0], lines[1], lines[1]]) + "\n"))
    assert (len(same.events()), same.skipped, same.refused) == (1, 1, ())
    changed = lines[1].replace(",3,,1700000000", ",4,,1700000000")
    differ = read_acled(io.StringIO("\n".join([lines[0], lines[1], changed]) + "\n"))
    assert len(differ.events()) == 1
    assert differ.refused[0].line == 3
    assert "appears again with different content (first at line 2)" in differ.refused[0].reason


def test_deletions_append_retractions(batch: ImportBatch) -> None:
    store = by_id(batch)
    result = read_acled_deletions(DELETIONS, existing=store.get)
    assert (result.rows, result.skipped) == (2, 0)
    # SYN99 was never imported: by default its deletion is skipped, counted as such
    # (docs/howto/import.md, "Versions and deletions"), never refused.
    assert (result.out_of_scope, result.flags, result.refused) == ({"event not held": 1}, {}, ())
    (retraction,) = result.records
    assert isinstance(retraction, Retraction)
    assert retraction.id == "acled:SYN3#retraction"
    assert retraction.retracts == "acled:SYN3"
    assert retraction.reported == TimeExtent.parse("2023-11-23T00:40:00Z")
    # Reading the list again once the retraction is stored adds nothing.
    stored = {**store, "acled:SYN3": retraction}
    assert read_acled_deletions(DELETIONS, existing=stored.get).records == ()
    # In strict mode too, a deletion of an event not held is skipped, not refused.
    strict = read_acled_deletions(DELETIONS, existing=store.get, strict=True)
    assert strict.out_of_scope == {"event not held": 1}


def test_deletions_keep_unheld_keeps_a_deletion_of_an_event_not_held(batch: ImportBatch) -> None:
    store = by_id(batch)
    result = read_acled_deletions(DELETIONS, existing=store.get, keep_unheld=True)
    assert (result.rows, result.skipped, result.out_of_scope) == (2, 0, {})
    # SYN99 was never imported: its deletion is kept all the same, to retract the
    # event when an export brings it.
    assert result.flags == {"event not imported yet (the deletion kept, to retract it)": 1}
    retraction, waiting = result.records
    assert isinstance(retraction, Retraction)
    assert retraction.id == "acled:SYN3#retraction"
    assert isinstance(waiting, Retraction)
    assert (waiting.id, waiting.retracts) == ("acled:SYN99#retraction", "acled:SYN99")
    # Reading the list again once the retractions are stored adds nothing.
    stored = {**store, "acled:SYN3": retraction, "acled:SYN99": waiting}
    again = read_acled_deletions(DELETIONS, existing=stored.get, keep_unheld=True)
    assert again.records == ()


# ------------------------------------------------------------ generated rows


def synthetic_acled_csv(rows: int, *, seed: int = 7) -> str:
    """``rows`` invented ACLED rows (real column layout, fictional content) as CSV text.

    Used here for a size test, and by hand for the throughput figure
    (``read_acled(io.StringIO(synthetic_acled_csv(100_000)))``).
    """
    rng = random.Random(seed)
    kinds = [
        ("Battles", "Armed clash"),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("Explosions/Remote violence", "Air/drone strike"),
        ("Violence against civilians", "Attack"),
        ("Strategic developments", "Agreement"),
        ("Strategic developments", "Looting/property destruction"),
        ("Protests", "Peaceful protest"),
        ("Riots", "Mob violence"),
    ]
    weights = [30, 15, 10, 20, 1, 4, 15, 5]
    actors = [(f"Synthetic Armed Group {n}", str(1 + n % 4)) for n in range(60)]
    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    for n in range(rows):
        event_type, sub = rng.choices(kinds, weights)[0]
        a1, i1 = rng.choice(actors)
        civilians = event_type == "Violence against civilians"
        a2, i2 = ("Civilians (Synthetica)", "7") if civilians else rng.choice(actors)
        admin1 = f"Province {rng.randrange(12)}"
        admin2 = f"District {rng.randrange(6)}"
        place = rng.randrange(40)
        day = 1 + rng.randrange(28)
        month = 1 + rng.randrange(12)
        year = 2020 + rng.randrange(4)
        stamp = 1_600_000_000 + 86_400 * 7 * rng.randrange(200)
        deaths = str(rng.randrange(5))
        if event_type == "Protests":  # a peaceful protest reports no deaths
            deaths = "0"
        cells = [
            f"SYN{n}",
            f"{year}-{month:02d}-{day:02d}",
            str(year),
            rng.choice("1112"),
            "Political violence",
            event_type,
            sub,
            a1,
            "",
            i1,
            a2,
            "",
            i2,
            f"{i1}{i2}",
            "Civilian targeting" if civilians else "",
            "999",
            "Synthetic Region",
            "Synthetica",
            admin1,
            admin2,
            "",
            f"Sampletown {place}",
            f"{10 + place / 100:.4f}",
            f"{20 + place / 100:.4f}",
            "1",
            "Synthetic Daily; Example Radio",
            "National",
            f'"SYNTHETIC TEST ROW {n}: an invented event, for testing only."',
            deaths,
            "",
            str(stamp),
        ]
        out.write(",".join(cells) + "\n")
    return out.getvalue()


def test_generated_rows_all_come_through() -> None:
    result = read_acled(io.StringIO(synthetic_acled_csv(2000)))
    assert result.rows == 2000
    skipped = sum(result.out_of_scope.values())
    assert len(result.events()) + skipped == 2000
    assert result.refused == ()
    assert set(result.out_of_scope) == {"Protests", "Riots"}
    assert len({r.id for r in result.records}) == len(result.records)
