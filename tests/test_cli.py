"""The ``conflict-timeline`` command, run through its console-script entry point."""

from __future__ import annotations

import argparse
import bz2
import csv
import gzip
import io
import json
import lzma
import os
import pickle
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import orjson
import pytest

import conflict_timeline._cli as cli
from conflict_timeline import (
    ActorDefined,
    Attack,
    Commitment,
    Gazetteer,
    PlaceDefined,
    Source,
    TimeExtent,
    Timeline,
    datasets,
    export_jsonl,
    read_jsonl,
    write_jsonl,
)

CLI = Path(sys.executable).parent / "conflict-timeline"
DATA = Path(__file__).parent / "data"
NUMERIC = DATA / "acled-synthetic-numeric-inter.csv"
BAD_LATITUDE = DATA / "acled-synthetic-bad-latitude.csv"
GED = DATA / "ucdp-ged-23.1-sample-1000.csv"
VIEWS = (
    "active-commitments",
    "agreements",
    "casualty-estimates",
    "commitment-history",
    "gazetteer",
    "open-requests",
    "reported-violations",
    "request-log",
    "triggered-commitments",
)


def run(
    *args: str | Path, ok: bool = True, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(CLI), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )
    if ok:
        assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz", ".zip"])
def test_import_jsonl_reads_a_compressed_or_zipped_log(tmp_path: Path, suffix: str) -> None:
    """docs/howto/cli.md: an imported file may be zipped or compressed; ``import
    jsonl`` of ``log.jsonl.gz`` (and .bz2, .xz, a zip of one .jsonl) appends the
    records of the log it holds (it used to stop: "line 1: not UTF-8")."""
    plain = tmp_path / "log.jsonl"
    write_jsonl([ActorDefined(id="x", name="X", actor_kind="state")], plain)
    packed = tmp_path / f"log.jsonl{suffix}"
    if suffix == ".zip":
        with zipfile.ZipFile(packed, "w") as archive:
            archive.write(plain, "log.jsonl")
    else:
        data = plain.read_bytes()
        if suffix == ".gz":
            packed.write_bytes(gzip.compress(data))
        elif suffix == ".bz2":
            packed.write_bytes(bz2.compress(data))
        else:
            packed.write_bytes(lzma.compress(data))
    result = run("import", "jsonl", packed, "--into", tmp_path / "TL.db")
    assert result.stdout.startswith(f"log.jsonl{suffix}: 1 records, 1 appended to ")
    assert log(tmp_path / "TL.db") == plain.read_bytes()


def log(db: Path) -> bytes:
    """The whole log as JSON Lines (records, in position order)."""
    with Timeline.open(db, create=False) as timeline:
        out = io.StringIO()
        export_jsonl(timeline, out)
        return out.getvalue().encode()


@pytest.fixture(scope="module")
def karabakh_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worked example, loaded through ``import jsonl``."""
    folder = tmp_path_factory.mktemp("cli")
    source = folder / "karabakh.jsonl"
    timeline = Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    export_jsonl(timeline, source)
    db = folder / "karabakh.db"
    result = run("import", "jsonl", source, "--into", db)
    assert "25 records, 25 appended" in result.stdout
    return db


def test_the_entry_point_is_installed() -> None:
    assert CLI.exists()
    result = run("--help")
    assert "import" in result.stdout
    assert "verify" in result.stdout


def test_import_acled_reports_counts_and_refusals(tmp_path: Path) -> None:
    db = tmp_path / "tl.db"
    result = run("import", "acled", NUMERIC, "--into", db)
    assert "8 rows, 6 new records (Attack 4, Statement 2)" in result.stdout
    assert "14 records appended" in result.stdout
    assert "2 skipped by design (Protests 1, Riots 1)" in result.stdout
    # The summary table on stderr: accepted, skipped by type, refused by field.
    table = [line.split() for line in result.stderr.splitlines()]
    assert ["accepted", "6"] in table
    assert ["Protests", "1"] in table
    assert ["refused", "0"] in table
    again = run("import", "acled", NUMERIC, "--into", db)
    assert "6 unchanged" in again.stdout
    assert "nothing appended" in again.stdout


def test_a_ceasefire_import_summary_counts_new_records_by_kind(tmp_path: Path) -> None:
    """An ETH/PRIO import adds commitments and their ends, no events: the summary says
    "new records" and counts them by kind, on its line and in its table (it said
    "603 new events")."""
    source = DATA / "ceasefires" / "eth-prio-sample.csv"
    db = tmp_path / "tl.db"
    result = run("import", "eth-prio", source, "--into", db, "--today", "2026-01-01")
    assert "996 rows, 603 new records (Commitment 470, CommitmentEnded 133)," in result.stdout
    assert "new events" not in result.stdout + result.stderr
    table = [line.split() for line in result.stderr.splitlines()]
    written = table.index(["records", "written", "874"])  # 603 and 271 actors and places
    assert table[written + 1 : written + 4] == [
        ["new", "records", "603"],
        ["Commitment", "470"],
        ["CommitmentEnded", "133"],
    ]
    assert ["merged", "into", "another", "row's", "record", "526"] in table


def test_import_acled_deletions_skips_events_not_held_unless_keep_unheld(tmp_path: Path) -> None:
    """The deletions list names SYN99, never imported: skipped and counted by default,
    kept as a retraction waiting for it with --keep-unheld."""
    deletions = DATA / "acled-synthetic-deletions.csv"
    db = tmp_path / "tl.db"
    run("import", "acled", NUMERIC, "--into", db)
    result = run("import", "acled-deletions", deletions, "--into", db)
    assert "1 retractions" in result.stdout
    assert "1 skipped by design (event not held 1)" in result.stdout
    assert ["event", "not", "held", "1"] in [line.split() for line in result.stderr.splitlines()]
    kept = tmp_path / "kept.db"
    run("import", "acled", NUMERIC, "--into", kept)
    result = run("import", "acled-deletions", deletions, "--into", kept, "--keep-unheld")
    assert "2 retractions" in result.stdout
    assert "skipped by design" not in result.stdout
    with Timeline.open(kept, create=False) as timeline:
        assert [d.ref for d in timeline.dangling_references()] == ["acled:SYN99"]
    # Another importer has no such option: refused by name, nothing imported.
    other = run("import", "acled", NUMERIC, "--into", kept, "--keep-unheld", ok=False)
    assert other.returncode == 2  # a usage error, named as the flag
    assert "--keep-unheld: the acled importer does not take it" in other.stderr


def test_a_bad_file_is_refused_whole_with_line_and_field(tmp_path: Path) -> None:
    db = tmp_path / "tl.db"
    run("import", "acled", NUMERIC, "--into", db)
    before = log(db)
    result = run("import", "acled", BAD_LATITUDE, "--into", db, ok=False)
    assert result.returncode == 3
    assert "acled-synthetic-bad-latitude.csv, line 5: latitude: 'abc' is not a number" in (
        result.stderr
    )
    assert "nothing was imported" in result.stderr
    assert log(db) == before  # the db is unchanged
    assert run("verify", db).returncode == 0
    # Into a new file: no file is left behind.
    fresh = tmp_path / "fresh.db"
    assert run("import", "acled", BAD_LATITUDE, "--into", fresh, ok=False).returncode == 3
    assert not fresh.exists()
    # Asked to, it imports the good rows, lists the bad one, and exits with 8 (rows
    # refused) so that a scheduled import can tell it from a file imported whole.
    skipped = run("import", "acled", BAD_LATITUDE, "--into", fresh, "--skip-bad-rows", ok=False)
    assert skipped.returncode == 8
    assert "refused: acled-synthetic-bad-latitude.csv, line 5: latitude" in skipped.stderr
    assert "2 new records" in skipped.stdout
    assert len(log(fresh)) > 0
    # Every row imported (the same rows again: unchanged), the flag changes nothing: 0.
    again = run("import", "acled", NUMERIC, "--into", tmp_path / "whole.db", "--skip-bad-rows")
    assert again.returncode == 0


def test_a_json_answer_with_progress_is_read_twice_not_held(tmp_path: Path) -> None:
    """A JSON answer is checked whole, then imported: with the progress bar on, the
    file is read a second time from its start (the bar shows both passes), as it is
    without the bar, instead of every row being held in memory between the two."""
    with NUMERIC.open(encoding="utf-8-sig", newline="") as fh:
        template = next(row for row in csv.DictReader(fh) if row["event_type"] == "Battles")
    rows = [{**template, "event_id_cnty": f"JS{n}"} for n in range(3_000)]
    answer = tmp_path / "acled-api.json"
    answer.write_text(json.dumps({"status": 200, "success": True, "data": rows}))
    assert answer.stat().st_size > 1_000_000  # several reads a pass
    result = run("import", "acled", answer, "--into", tmp_path / "tl.db", "--progress")
    assert "3000 rows, 3000 new records (Attack 3000)" in result.stdout
    assert result.stderr.count("reading acled-api.json: 100%") == 2


def test_import_ucdp_with_progress(tmp_path: Path) -> None:
    db = tmp_path / "ged.db"
    result = run("import", "ucdp", GED, "--into", db, "--skip-bad-rows", "--progress")
    assert "1000 rows, 1000 new records (Attack 1000)" in result.stdout
    assert "reading ucdp-ged-23.1-sample-1000.csv: 100%" in result.stderr
    assert result.stderr.count("refused: ") == 0
    assert ["figure", "inconsistent", "13"] in [
        line.split() for line in result.stderr.splitlines()
    ]
    quiet = run("import", "ucdp", GED, "--into", db, "--skip-bad-rows")
    assert "%" not in quiet.stderr  # a small file shows no progress unless asked
    assert "1000 unchanged" in quiet.stdout


def test_state_table_and_json(karabakh_db: Path) -> None:
    table = run("state", karabakh_db, "--view", "active-commitments", "--at", "2020-10-31")
    lines = table.stdout.splitlines()
    assert lines[0].startswith("active-commitments: at 2020-10-31T23:59:59.999999+00:00")
    assert lines[0].endswith("3 entries")
    assert [line.split()[0] for line in lines[3:]] == [
        "pact-1997",
        "civilian-protection",
        "russia-pledge",
    ]
    as_json = orjson.loads(
        run(
            "state", karabakh_db, "--view", "active-commitments", "--at", "2020-10-31",
            "--known-at", "2020-10-15", "--format", "json",
        ).stdout
    )  # fmt: skip
    assert [item["id"] for item in as_json["items"]] == ["pact-1997"]
    assert as_json["query"]["known_at"] == "2020-10-15T23:59:59.999999+00:00"
    assert as_json["items"][0]["commitment"]["kind"] == "Commitment"


def test_the_violations_table_says_whose_status_it_shows(karabakh_db: Path) -> None:
    """A candidate's status is its attack's own ("alleged": reported, not confirmed),
    which read as a contradiction under a plain "status" heading next to "candidate":
    the table heads it "evidence status"; the JSON keeps the field "status"."""
    lines = run(
        "state", karabakh_db, "--view", "reported-violations", "--at", "2020-10-31"
    ).stdout.splitlines()
    header = re.split(r"\s{2,}", lines[1])
    assert "evidence status" in header
    assert "status" not in header
    column = lines[1].index("evidence status")
    candidates = [line for line in lines[3:] if line.split()[1] == "candidate"]
    assert candidates
    assert {line[column:].split()[0] for line in candidates} == {"alleged"}
    payload = orjson.loads(
        run(
            "state", karabakh_db, "--view", "reported-violations", "--at", "2020-10-31",
            "--format", "json",
        ).stdout
    )  # fmt: skip
    (item, *_) = [i for i in payload["items"] if i["basis"] == "candidate"]
    assert item["status"] == "alleged"
    assert "evidence status" not in item


def test_state_tables_show_names_where_json_keeps_ids(karabakh_db: Path) -> None:
    """A state table names the actors its entries refer to, as ``events`` does (from
    the ActorDefined records); --format json keeps the ids, which are stable."""

    def state(view: str, *more: str) -> str:
        return run("state", karabakh_db, "--view", view, "--at", "2020-10-31", *more).stdout

    def column(table: str, heading: str) -> list[str]:
        lines = table.splitlines()
        headings = re.split(r"\s{2,}", lines[1])
        return [re.split(r"\s{2,}", line)[headings.index(heading)] for line in lines[3:]]

    assert column(state("active-commitments"), "parties") == [
        "Armenia, Russia",
        "Armenia, Azerbaijan",
        "Russia",
    ]
    items = orjson.loads(state("active-commitments", "--format", "json"))["items"]
    assert [i["commitment"]["parties"] for i in items] == [
        ["armenia", "russia"],
        ["armenia", "azerbaijan"],
        ["russia"],
    ]
    assert set(column(state("reported-violations"), "accused")) == {"Azerbaijani forces"}
    items = orjson.loads(state("reported-violations", "--format", "json"))["items"]
    assert {tuple(i["accused"]) for i in items} == {("azerbaijani-forces",)}
    log = state("request-log")
    assert column(log, "requester") == ["Nikol Pashinyan"]
    assert column(log, "requested of") == ["Vladimir Putin"]
    (item,) = orjson.loads(state("request-log", "--format", "json"))["items"]
    assert (item["request"]["requester"], item["request"]["requested_of"]) == (
        "pashinyan",
        "putin",
    )
    # diff's table too.
    diff = run(
        "diff", karabakh_db, "--view", "reported-violations", "--at", "2020-10-31",
        "--known-from", "2020-10-15", "--known-to", "2020-10-31",
    ).stdout  # fmt: skip
    assert "Azerbaijani forces" in diff
    assert "azerbaijani-forces" not in diff


def test_a_ceasefire_table_names_its_ucdp_parties(tmp_path: Path) -> None:
    """ETH/PRIO parties are UCDP actor ids: the table shows the names the import
    defined for them, the JSON the ids."""
    db = tmp_path / "tl.db"
    source = DATA / "ceasefires" / "eth-prio-sample.csv"
    run("import", "eth-prio", source, "--into", db, "--today", "2026-01-01")
    cuts = ("--view", "active-commitments", "--at", "2005-06-30")
    table = run("state", db, *cuts).stdout.splitlines()
    items = orjson.loads(run("state", db, *cuts, "--format", "json").stdout)["items"]
    assert len(table) == len(items) + 3 > 3
    with Timeline.open(db, create=False) as timeline:
        defined = [r.record for r in timeline]
    actors = {r.id: r.name for r in defined if isinstance(r, ActorDefined)}
    for line, item in zip(table[3:], items, strict=True):
        parties = item["commitment"]["parties"]
        assert parties
        assert all(p in actors for p in parties)
        assert all(p.startswith("actor:ucdp-") for p in parties)
        shown = ", ".join(actors[p] for p in parties)
        assert line.startswith(item["id"])
        assert cli._cell(shown) in line
        assert "actor:ucdp-" not in line


def test_state_filters_take_names_and_refuse_what_names_nothing(karabakh_db: Path) -> None:
    """--place, --accused and --accuser take an id or a name, as events' --place and
    --actor do; a value naming no place or actor, or a --commitment naming no
    commitment, is a usage error naming the option and the value, never an empty answer."""

    def ids(*filters: str) -> list[str]:
        out = run(
            "state", karabakh_db, "--view", "reported-violations", "--at", "2020-10-31",
            "--format", "json", *filters,
        ).stdout  # fmt: skip
        return [item["id"] for item in orjson.loads(out)["items"]]

    everything = ids()
    by_id = ids("--place", "nagorno-karabakh", "--accused", "azerbaijani-forces")
    assert by_id
    assert ids("--place", "Nagorno-Karabakh", "--accused", "Azerbaijani forces") == by_id
    accused_by_nk = ids("--accuser", "nk-authorities")
    assert 0 < len(accused_by_nk) < len(everything)
    assert ids("--accuser", "Nagorno-Karabakh authorities") == accused_by_nk
    for option, given, what in (
        ("--place", "Atlantis", "unknown place 'Atlantis'"),
        ("--accused", "Atlantis", "unknown actor 'Atlantis'"),
        ("--accuser", "Atlantis", "unknown actor 'Atlantis'"),
        ("--commitment", "atlantis-pact", "unknown commitment 'atlantis-pact'"),
        ("--commitment", "stepanakert-market", "that record is of kind Attack"),
        ("--accused", "stepanakert", "'stepanakert' is a place, not an actor"),
        ("--accuser", "stepanakert", "'stepanakert' is a place, not an actor"),
        ("--place", "nk-authorities", "'nk-authorities' is an actor, not a place"),
    ):
        refused = run(
            "state", karabakh_db, "--view", "reported-violations", option, given, ok=False
        )
        assert refused.returncode == 2, (option, refused.stderr)
        assert refused.stderr.startswith(f"conflict-timeline: error: {option}: ")
        assert what in refused.stderr


def test_state_says_what_its_answer_is_filtered_by(karabakh_db: Path) -> None:
    """A saved or pasted answer shows its filters: the table's title names them as
    given, the JSON as answered (names resolved to ids)."""
    filters = ("--accused", "Azerbaijani forces", "--between", "2020-10-01", "2020-10-31")
    table = run("state", karabakh_db, "--view", "reported-violations", *filters).stdout
    first = table.splitlines()[0]
    assert first.startswith("reported-violations: everything recorded; filtered by ")
    assert "--accused azerbaijani-forces --between 2020-10-01 2020-10-31: " in first
    data = orjson.loads(
        run(
            "state", karabakh_db, "--view", "reported-violations", "--format", "json", *filters
        ).stdout
    )
    assert data["filters"] == {
        "accused": ["azerbaijani-forces"],
        "between": ["2020-10-01", "2020-10-31"],
    }
    unfiltered = run("state", karabakh_db, "--view", "reported-violations").stdout
    assert "filtered by" not in unfiltered.splitlines()[0]
    assert (
        orjson.loads(
            run("state", karabakh_db, "--view", "reported-violations", "--format", "json").stdout
        )["filters"]
        == {}
    )


@pytest.mark.parametrize("view", VIEWS)
def test_an_answer_is_the_same_bytes_in_every_process(karabakh_db: Path, view: str) -> None:
    """An answer exported twice is the same file, whatever the process's string hash
    seed (a saved answer diffed against last week's shows real changes only): the
    gazetteer's actors and places came out in the order of their keys' hashes."""
    outputs = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [str(CLI), "state", str(karabakh_db), "--view", view, "--format", "json"],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_the_gazetteers_actors_and_places_are_in_id_order() -> None:
    timeline = Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    found = timeline.state(Gazetteer)
    for mapping in (found.actors, found.places, found.controllers):
        assert list(mapping) == sorted(mapping)
    assert list(found.controllers) == list(found.places)
    again = pickle.loads(pickle.dumps(found))  # a result can be kept or sent on
    assert again.actors == found.actors
    assert list(again.places) == list(found.places)


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_in_both_formats(karabakh_db: Path, view: str) -> None:
    table = run("state", karabakh_db, "--view", view, "--at", "2020-10-31")
    assert table.stdout.startswith(f"{view}: at 2020-10-31")
    # On 29 October the request was still open (Russia's statement came on the 31st).
    payload = orjson.loads(
        run("state", karabakh_db, "--view", view, "--at", "2020-10-29", "--format", "json").stdout
    )
    assert payload["view"] == view
    if view == "gazetteer":
        assert payload["actors"]["pashinyan"]["name"] == "Nikol Pashinyan"
    elif view == "agreements":
        assert payload["items"] == []  # the seed article records no signed agreement
    else:
        assert payload["items"], view


def test_export_formats(karabakh_db: Path, tmp_path: Path) -> None:
    jsonl = tmp_path / "out.jsonl"
    run("export", karabakh_db, "--format", "jsonl", "-o", jsonl)
    assert [r.id for r in read_jsonl(jsonl)] == [r.id for r in datasets.karabakh_oct_2020()]
    stdout = run("export", karabakh_db, "--format", "jsonl").stdout
    assert stdout.encode() == jsonl.read_bytes()
    tjs = orjson.loads(
        run("export", karabakh_db, "--format", "timelinejs", "--title", "Karabakh").stdout
    )
    assert tjs["title"]["text"]["headline"] == "Karabakh"
    assert len(tjs["eras"]) == 3
    # CSV: one table per kind, each with its own columns; several kinds need -o.
    refused = run("export", karabakh_db, "--format", "csv", ok=False)
    assert refused.returncode == 2
    assert "name one with --kind" in refused.stderr
    run("export", karabakh_db, "--format", "csv", "-o", tmp_path / "k.csv")
    seed = datasets.karabakh_oct_2020()
    kinds = {r.KIND for r in seed}
    assert {p.name for p in tmp_path.glob("k.*.csv")} == {f"k.{k}.csv" for k in kinds}
    for kind in kinds:
        with (tmp_path / f"k.{kind}.csv").open(encoding="utf-8", newline="") as fh:
            table = list(csv.DictReader(fh))
        assert {r["id"] for r in table} == {r.id for r in seed if kind == r.KIND}
        assert all(r["kind"] == kind for r in table)
        # The kind's columns, as its table alone has them (the same whatever is
        # selected: see test_a_kinds_csv_table_has_its_kinds_columns_whatever_the_rows_hold).
        alone = run("export", karabakh_db, "--format", "csv", "--kind", kind).stdout
        assert list(table[0]) == next(csv.reader(io.StringIO(alone)))
    actors = run("export", karabakh_db, "--format", "csv", "--kind", "ActorDefined").stdout
    table = list(csv.DictReader(io.StringIO(actors)))
    assert "target" not in table[0]  # an attack's column
    # A definition has no date: its date cells are empty, not 0001-01-01.
    assert {r["occurred_start"] for r in table} == {""}


def test_a_definition_known_at_any_date_is_exported_with_no_dates(tmp_path: Path) -> None:
    # The importers give a dataset's actors and places a timeless knowledge time
    # (known at any date): like the timeless occurrence, it is no date to write, not
    # 0001-01-01, in CSV as in Parquet.
    db = tmp_path / "defined.db"
    with Timeline.open(db) as timeline:
        timeline.append(
            ActorDefined(
                id="actor:ucdp-1",
                name="Government of X",
                actor_kind="government",
                reported=TimeExtent.timeless(),
            )
        )
    table = run("export", db, "--format", "csv", "--kind", "ActorDefined").stdout
    (row,) = list(csv.DictReader(io.StringIO(table)))
    assert "0001" not in table
    assert (row.get("reported_start"), row.get("reported_end")) in {(None, None), ("", "")}
    assert row.get("occurred_tz") in {None, ""}


def test_a_csv_export_of_several_kinds_writes_every_file_or_none(
    karabakh_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-o NAME.csv with several kinds: every NAME.<Kind>.csv is checked before any is
    written, a failure part-way leaves every file as it was, and the message names the
    files written, not NAME.csv (which is not written)."""
    kinds = sorted({r.KIND for r in datasets.karabakh_oct_2020()})
    first, later = tmp_path / f"k.{kinds[0]}.csv", tmp_path / f"k.{kinds[-1]}.csv"
    later.write_text("kept\n", encoding="utf-8")
    refused = run("export", karabakh_db, "--format", "csv", "-o", tmp_path / "k.csv", ok=False)
    assert refused.returncode == 5
    assert f"{later}: exists" in refused.stderr
    assert not first.exists()  # not written before the refusal of a later file
    assert later.read_text(encoding="utf-8") == "kept\n"
    done = run("export", karabakh_db, "--format", "csv", "-o", tmp_path / "k.csv", "--force")
    written = ", ".join(str(tmp_path / f"k.{k}.csv") for k in kinds)
    assert done.stderr == f"wrote 25 rows to {written}\n"
    assert not (tmp_path / "k.csv").exists()
    before = {k: (tmp_path / f"k.{k}.csv").read_bytes() for k in kinds}
    # A failure while writing the last table: no file is replaced, none left half-written.
    real_cell = cli.csv_cell

    def cell_then_fail(value: object, *, defuse: bool = True) -> object:
        if value == kinds[-1]:
            raise OSError(28, "No space left on device")
        return real_cell(value, defuse=defuse)

    monkeypatch.setattr(cli, "csv_cell", cell_then_fail)
    status = cli.main(
        ["export", str(karabakh_db), "--format", "csv", "-o", str(tmp_path / "k.csv"), "--force"]
    )
    assert status == 5
    assert {k: (tmp_path / f"k.{k}.csv").read_bytes() for k in kinds} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"k.{k}.csv" for k in kinds)


def test_a_csv_export_that_selects_nothing_writes_a_header(
    karabakh_db: Path, tmp_path: Path
) -> None:
    """No record selected: the file named is still written, as is standard output, and
    the message names it. A kind named with --kind gets its table with its kind's
    columns, rows or none (the same files and columns every month); with no --kind,
    the columns every record has."""

    def header_of(kind: str) -> bytes:  # the kind's table when it has rows
        out = run("export", karabakh_db, "--format", "csv", "--kind", kind).stdout
        assert out.count("\n") > 1  # rows: the header is the kind's
        return (out.splitlines()[0] + "\r\n").encode()

    path = tmp_path / "none.csv"
    done = run(
        "export", karabakh_db, "--format", "csv", "--kind", "Attack", "--known-at", "2000-01-01",
        "-o", path,
    )  # fmt: skip
    assert done.stderr == f"wrote 0 rows to {path}\n"
    assert path.read_bytes() == header_of("Attack")
    two = tmp_path / "month.csv"
    done = run(
        "export", karabakh_db, "--format", "csv", "--kind", "Attack", "--kind", "Accusation",
        "--known-at", "2000-01-01", "-o", two,
    )  # fmt: skip
    assert (tmp_path / "month.Attack.csv").read_bytes() == header_of("Attack")
    assert (tmp_path / "month.Accusation.csv").read_bytes() == header_of("Accusation")
    assert not two.exists()
    refused = run(
        "export", karabakh_db, "--format", "csv", "--kind", "Attack", "--kind", "Accusation",
        "--known-at", "2000-01-01", ok=False,
    )  # fmt: skip
    assert refused.returncode == 2  # two tables, whatever they hold, need -o
    out = run(
        "export", karabakh_db, "--format", "csv", "--between", "1900-01-01", "1900-01-02"
    ).stdout  # fmt: skip
    assert out == "position,recorded_at,id,kind\n"  # text mode: the CRLF read back as LF


def test_a_csv_export_to_a_folder_is_refused(karabakh_db: Path, tmp_path: Path) -> None:
    """-o names the file (NAME.csv): a folder, or a name written as one, is refused,
    nothing written beside it."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in (str(folder), str(folder) + "/", str(tmp_path / "new") + "/"):
        done = run("export", karabakh_db, "--format", "csv", "-o", name, ok=False)
        assert done.returncode == 5
        assert "is a folder" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert list(folder.iterdir()) == []


def test_export_filters_and_known_at(karabakh_db: Path) -> None:
    """--kind/--between filter; --known-at leaves out what was reported later."""
    seed = datasets.karabakh_oct_2020()
    out = run(
        "export", karabakh_db, "--format", "csv", "--kind", "Attack",
        "--between", "2020-10-28", "2020-10-28",
    ).stdout  # fmt: skip
    ids = {r["id"] for r in csv.DictReader(io.StringIO(out))}
    lo, hi = TimeExtent.parse("2020-10-28").lo, TimeExtent.parse("2020-10-28").last
    expected = {
        r.id for r in seed if r.KIND == "Attack" and r.occurred.lo <= hi and r.occurred.last >= lo
    }
    assert ids == expected
    assert expected
    before = run(
        "export", karabakh_db, "--format", "csv", "--kind", "Attack", "--known-at", "2020-10-01"
    ).stdout
    assert list(csv.DictReader(io.StringIO(before))) == []  # nothing reported yet
    for flag in (["--known-at", "2020-10-01"], ["--kind", "Attack"]):
        refused = run("export", karabakh_db, "--format", "jsonl", *flag, ok=False)
        assert refused.returncode == 2
        assert "whole log as appended" in refused.stderr


def test_export_parquet_one_typed_table(karabakh_db: Path, tmp_path: Path) -> None:
    """--format parquet: every kind in one table, filtered like CSV; a file is needed."""
    pq = pytest.importorskip("pyarrow.parquet")
    seed = datasets.karabakh_oct_2020()
    path = tmp_path / "k.parquet"
    done = run("export", karabakh_db, "--format", "parquet", "-o", path)
    assert f"wrote {len(seed)} rows" in done.stderr
    table = pq.read_table(path)
    assert sorted(table.column("id").to_pylist()) == sorted(r.id for r in seed)
    assert str(table.schema.field("occurred_start").type) == "timestamp[us, tz=UTC]"
    # A definition has no date (as in CSV), an event its UTC instant.
    by_id = {row["id"]: row for row in table.to_pylist()}
    actor = next(r for r in seed if r.KIND == "ActorDefined")
    attack = next(r for r in seed if r.KIND == "Attack")
    assert by_id[actor.id]["occurred_start"] is None
    assert by_id[attack.id]["occurred_start"] == attack.occurred.earliest
    attacks = tmp_path / "a.parquet"
    run("export", karabakh_db, "--format", "parquet", "--kind", "Attack", "-o", attacks)
    assert set(pq.read_table(attacks).column("kind").to_pylist()) == {"Attack"}
    refused = run("export", karabakh_db, "--format", "parquet", ok=False)
    assert refused.returncode == 2
    assert "-o NAME.parquet" in refused.stderr


def test_events_lists_records_with_filters(karabakh_db: Path) -> None:
    seed = datasets.karabakh_oct_2020()
    table = run("events", karabakh_db).stdout
    events = [r for r in seed if r.KIND not in ("ActorDefined", "PlaceDefined")]
    assert table.splitlines()[-1] == f"{len(events)} record(s)"
    as_csv = run("events", karabakh_db, "--kind", "Attack", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert {r["id"] for r in rows} == {r.id for r in seed if r.KIND == "Attack"}
    as_json = orjson.loads(
        run("events", karabakh_db, "--kind", "Request", "--format", "json").stdout
    )
    assert [e["record"]["id"] for e in as_json] == [r.id for r in seed if r.KIND == "Request"]
    # --actor: records that refer to the actor, by id or by name.
    actor = next(r for r in seed if r.KIND == "ActorDefined")
    by_id = run("events", karabakh_db, "--actor", actor.id, "--format", "csv").stdout
    by_name = run("events", karabakh_db, "--actor", actor.name, "--format", "csv").stdout  # type: ignore[attr-defined]
    assert by_id == by_name
    unknown = run("events", karabakh_db, "--actor", "nobody-at-all", ok=False)
    assert "--actor: unknown actor 'nobody-at-all'" in unknown.stderr


def test_a_name_several_actors_share_is_refused_naming_the_option_and_each_id(
    tmp_path: Path,
) -> None:
    db = tmp_path / "shared-names.db"
    with Timeline.open(db) as timeline:
        timeline.append(
            ActorDefined(id="actor:ucdp-6711", name="DPR", actor_kind="armed_force"),
            ActorDefined(id="actor:ucdp-5840", name="DPR", actor_kind="armed_force"),
            PlaceDefined(id="place:ke/eastern", name="Eastern province", place_kind="region"),
            PlaceDefined(id="place:lk/eastern", name="Eastern province", place_kind="region"),
        )
    places = "place:ke/eastern (Eastern province), place:lk/eastern (Eastern province)"
    for command, option, given, ids in (
        ("events", "--actor", "DPR", "actor:ucdp-5840 (DPR), actor:ucdp-6711 (DPR)"),
        ("events", "--place", "eastern province", places),
    ):
        refused = run(command, db, option, given, ok=False)
        assert refused.returncode == 2, refused.stderr
        assert refused.stderr.startswith(f"conflict-timeline: error: {option}: {given!r} ")
        assert ids in refused.stderr
    refused = run("state", db, "--view", "reported-violations", "--accused", "dpr", ok=False)
    assert refused.returncode == 2
    assert "--accused: 'dpr' is the name or an alias of 2 actors" in refused.stderr


def test_a_reversed_between_is_refused_by_every_command_naming_the_option(
    karabakh_db: Path,
) -> None:
    # An end before the start selects nothing: a mistake, refused (exit status 2) by
    # events and export as by state, not answered with an empty list, in the same
    # words; so is a bound that is no date.
    for command in (
        ("events", karabakh_db),
        ("export", karabakh_db, "--format", "csv", "--kind", "Attack"),
        ("state", karabakh_db, "--view", "reported-violations"),
    ):
        refused = run(*command, "--between", "2020-10-31", "2020-10-01", ok=False)
        assert refused.returncode == 2, (command, refused.stderr)
        assert refused.stderr == (
            "conflict-timeline: error: --between: end '2020-10-01' is before start '2020-10-31'\n"
        ), command
        bad = run(*command, "--between", "soon", "2020-10-01", ok=False)
        assert bad.returncode == 2, (command, bad.stderr)
        assert bad.stderr.startswith(
            "conflict-timeline: error: --between: start 'soon': cannot parse time 'soon'"
        ), (command, bad.stderr)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("state", "--view", "reported-violations", "--basis", "nope"), "--basis: "),
        (("state", "--view", "active-commitments", "--as-of", "-5"), "--as-of"),
        (("state", "--view", "active-commitments", "--tz", "Nope/Zone"), "--tz: "),
    ],
)
def test_a_usage_error_names_the_option_as_typed(
    karabakh_db: Path, args: tuple[str, ...], named: str
) -> None:
    refused = run(args[0], karabakh_db, *args[1:], ok=False)
    assert refused.returncode == 2, refused.stderr
    assert named in refused.stderr
    assert "as_of" not in refused.stderr
    assert "basis:" not in refused.stderr.replace("--basis:", "")


def test_a_reversed_render_window_names_each_option_and_its_value_apart(
    karabakh_db: Path, tmp_path: Path
) -> None:
    """``--end '2010'``, not ``--end'2010'``: the option as typed, then its value."""
    refused = run(
        "render", karabakh_db, "-o", tmp_path / "k.html", "--start", "2015", "--end", "2010",
        ok=False,
    )  # fmt: skip
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr.startswith("conflict-timeline: error: --end '2010' (up to "), (
        refused.stderr
    )
    assert "is before --start '2015' (" in refused.stderr


def test_render_of_a_timeline_with_nothing_dated_names_the_options_once_spaced(
    tmp_path: Path,
) -> None:
    """``give --start and --end``: an option named without a value takes no space
    after it (it read ``give --start  and --end ``)."""
    db = tmp_path / "defs.db"
    with Timeline.open(db) as timeline:
        timeline.extend([ActorDefined(id="a", name="A", actor_kind="state")])
    refused = run("render", db, "-o", tmp_path / "e.html", ok=False)
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr.endswith("no dated records to draw; give --start and --end\n")


def test_events_between_and_known_at(tmp_path: Path) -> None:
    """``events --between A B`` lists the records that possibly occurred between the
    start of day A and the end of day B; ``--known-at D`` lists them as known at the
    end of day D: reported by then, each in the version the corrections known by then
    give (UTC days here)."""

    def attack(day: int, reported: int) -> Attack:
        return Attack(
            id=f"a{day:02d}",
            occurred=f"2021-03-{day:02d}",
            sources=(Source(publisher="Wire", published=f"2021-03-{reported:02d}"),),
            perpetrator=None,
            target_class="military",
        )

    attacks = [attack(1, 2), attack(5, 6), attack(10, 12), attack(15, 25)]
    moved = attacks[1].corrected(
        id="moved", source=Source(publisher="Wire", published="2021-03-20"), occurred="2021-03-11"
    )
    db = tmp_path / "tl.db"
    with Timeline.open(db) as timeline:
        timeline.append(*attacks, moved)

    def ids(*args: str) -> list[str]:
        out = run("events", db, "--kind", "Attack", "--format", "csv", *args).stdout
        return [r["id"] for r in csv.DictReader(io.StringIO(out))]

    # Everything: a05 now on 11 March, so after a10 in replay order.
    assert ids() == ["a01", "a10", "a05", "a15"]
    assert ids("--between", "2021-03-05", "2021-03-10") == ["a10"]  # a05 moved out
    assert ids("--between", "2021-03-11", "2021-03-11") == ["a05"]
    # Known at the end of 12 March: a15 not yet reported, a05 not yet moved.
    assert ids("--known-at", "2021-03-12") == ["a01", "a05", "a10"]
    assert ids("--known-at", "2021-03-12", "--between", "2021-03-05", "2021-03-05") == ["a05"]
    assert ids("--known-at", "2021-03-01") == []


def test_events_place_includes_sub_places(tmp_path: Path) -> None:
    db = tmp_path / "ged.db"
    run("import", "ucdp", GED, "--into", db, "--skip-bad-rows")
    with Timeline.open(db) as timeline:
        places = {r.id: r.record for r in timeline if r.kind == "PlaceDefined"}
        attacks = [r.record for r in timeline if r.kind == "Attack"]
    country = next(p for p in places.values() if p.place_kind.value == "country")  # type: ignore[attr-defined]

    def inside(place: str | None) -> bool:
        while place is not None:
            if place == country.id:
                return True
            place = places[place].parent if place in places else None  # type: ignore[attr-defined]
        return False

    expected = {a.id for a in attacks if inside(a.place)}  # type: ignore[attr-defined]
    out = run("events", db, "--place", country.name, "--format", "csv").stdout  # type: ignore[attr-defined]
    assert {r["id"] for r in csv.DictReader(io.StringIO(out))} == expected
    assert expected


def test_events_place_finds_a_commitment_by_the_places_its_scope_includes(
    tmp_path: Path,
) -> None:
    """cli.md: ``events --place P`` lists the records at P or inside it; a commitment
    has no place of its own, and is found by its scope: one that includes P or a
    place inside P. One that applies everywhere (no scope) names no place, and one
    scoped to a larger place is not inside P."""
    from conflict_timeline import ActorDefined, Commitment, PlaceDefined, Scope

    def ceasefire(cid: str, *include: str) -> Commitment:
        return Commitment(
            id=cid,
            occurred="2021-01-01",
            commitment_kind="ceasefire",
            parties=("gov",),
            prohibits=("any_attack",),
            scope=Scope(include=include),
        )

    db = tmp_path / "scoped.db"
    with Timeline.open(db) as timeline:
        timeline.append(
            ActorDefined(id="gov", name="Government of Synthetica", actor_kind="government"),
            PlaceDefined(id="syn", name="Synthetica", place_kind="country"),
            PlaceDefined(id="north", name="North", place_kind="region", parent="syn"),
            PlaceDefined(id="else", name="Elsewhere", place_kind="country"),
            ceasefire("national", "syn"),
            ceasefire("northern", "north"),
            ceasefire("everywhere"),
            ceasefire("abroad", "else"),
            ceasefire("both", "else", "north"),
        )

    def ids(place: str) -> list[str]:
        out = run("events", db, "--kind", "Commitment", "--place", place, "--format", "csv")
        return sorted(r["id"] for r in csv.DictReader(io.StringIO(out.stdout)))

    assert ids("Synthetica") == ["both", "national", "northern"]
    assert ids("North") == ["both", "northern"]
    assert ids("Elsewhere") == ["abroad", "both"]


def test_a_commitments_end_is_found_by_its_commitments_scope_and_parties(
    tmp_path: Path,
) -> None:
    """cli.md: a ``CommitmentEnded``, which has no place or parties of its own, is
    found by ``--place`` and ``--actor`` as its commitment is (by the commitment's
    scope; by the actors it refers to), whenever that commitment was made: a month's
    records of a country hold the ends of its ceasefires declared before the month.
    They used to be left out, so ``events --place Colombia --between 2016-08-01
    2016-10-31`` on the ETH/PRIO file listed ceasefire 100021 and not its end on
    2 October."""
    from conflict_timeline import (
        ActorDefined,
        Commitment,
        CommitmentEnded,
        PlaceDefined,
        Scope,
        Source,
    )

    dataset = Source(publisher="Synthetic dataset", published="2021-01-01")

    def ceasefire(cid: str, party: str, *include: str) -> Commitment:
        return Commitment(
            id=cid,
            occurred="2021-01-01",
            sources=(dataset,),
            commitment_kind="ceasefire",
            parties=(party,),
            prohibits=("any_attack",),
            scope=Scope(include=include),
        )

    def end(cid: str) -> CommitmentEnded:
        return CommitmentEnded(
            id=f"{cid}/end",
            occurred="2021-03-15",
            sources=(Source(publisher="Synthetic dataset", published="2021-03-15"),),
            commitment=cid,
            reason="expired",
        )

    db = tmp_path / "ends.db"
    with Timeline.open(db) as timeline:
        timeline.append(
            ActorDefined(id="gov", name="Government of Synthetica", actor_kind="government"),
            ActorDefined(id="rebels", name="Rebels", actor_kind="armed_force"),
            PlaceDefined(id="syn", name="Synthetica", place_kind="country"),
            PlaceDefined(id="north", name="North", place_kind="region", parent="syn"),
            PlaceDefined(id="else", name="Elsewhere", place_kind="country"),
            ceasefire("national", "gov", "syn"),
            ceasefire("northern", "rebels", "north"),
            ceasefire("everywhere", "gov"),
            ceasefire("abroad", "rebels", "else"),
            *(end(c) for c in ("national", "northern", "everywhere", "abroad")),
        )

    def ids(*args: str) -> list[str]:
        out = run("events", db, *args, "--format", "csv")
        assert out.returncode == 0, out.stderr
        return sorted(r["id"] for r in csv.DictReader(io.StringIO(out.stdout)))

    march = ("--between", "2021-03-01", "2021-03-31")  # the ends, not the ceasefires
    assert ids("--place", "Synthetica", *march) == ["national/end", "northern/end"]
    assert ids("--place", "North", *march) == ["northern/end"]
    assert ids("--place", "Elsewhere", *march) == ["abroad/end"]
    assert ids("--actor", "Rebels", *march) == ["abroad/end", "northern/end"]
    assert ids("--actor", "gov", *march) == ["everywhere/end", "national/end"]
    assert ids("--place", "North") == ["northern", "northern/end"]
    # As known before the ends were reported: no end to find.
    assert ids("--place", "Synthetica", "--known-at", "2021-03-01") == ["national", "northern"]
    export = run("export", db, "--format", "csv", "--kind", "CommitmentEnded", "--place", "North")
    assert [r["id"] for r in csv.DictReader(io.StringIO(export.stdout))] == ["northern/end"]


def test_version_module_and_help_examples() -> None:
    from conflict_timeline import __version__

    assert run("--version").stdout.strip() == f"conflict-timeline {__version__}"
    module = subprocess.run(
        [sys.executable, "-m", "conflict_timeline", "--version"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert module.stdout.strip() == f"conflict-timeline {__version__}"
    # Every subcommand the top-level help lists ends its own help with an example.
    listed = re.findall(r"^    (\w+)  ", run("--help").stdout, flags=re.MULTILINE)
    assert {"import", "state", "diff", "events", "export", "render", "verify", "copy"} <= set(
        listed
    )
    for command in listed:
        text = run(command, "--help").stdout
        assert f"example:\n  conflict-timeline {command} " in text
    state_help = "".join(run("state", "--help").stdout.split())  # argparse wraps at "-"
    for view in VIEWS:
        assert f"{view}:" in state_help


def test_render_writes_the_page(karabakh_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.html"
    result = run(
        "render", karabakh_db, "-o", out, "--start", "2020-09-20", "--end", "2020-11-07",
        "--title", "Karabakh",
    )  # fmt: skip
    assert str(out) in result.stdout
    text = out.read_text(encoding="utf-8")
    assert text.count('class="lane commitment"') == 3
    assert "<svg" in text


def test_verify_finds_tampering(tmp_path: Path) -> None:
    db = tmp_path / "tl.db"
    run("import", "acled", NUMERIC, "--into", db)
    assert run("verify", db).stdout.startswith("ok: 14 records")
    with sqlite3.connect(db) as raw:
        (position,) = raw.execute(
            "SELECT position FROM records WHERE id = 'acled:SYN1'"
        ).fetchone()
        raw.execute(
            "UPDATE records SET payload = CAST(replace(CAST(payload AS TEXT), 'near Testville', "
            "'far from Testville') AS BLOB) WHERE position = ?",
            (position,),
        )
    result = run("verify", db, ok=False)
    assert result.returncode == 1
    assert f"FAILED at position {position}: hash does not match" in result.stderr


def test_errors_are_one_line_with_their_status(tmp_path: Path) -> None:
    missing = run("state", tmp_path / "none.db", "--view", "gazetteer", ok=False)
    assert missing.returncode == 4
    assert (
        missing.stderr.strip()
        == f"conflict-timeline: error: {tmp_path / 'none.db'}: no such timeline file"
    )
    db = tmp_path / "tl.db"
    run("import", "acled", NUMERIC, "--into", db)
    bad_date = run("state", db, "--view", "gazetteer", "--at", "31/10/2020", ok=False)
    assert bad_date.returncode == 2
    assert bad_date.stderr.startswith("conflict-timeline: error: --at: cannot parse time")
    usage = run("state", tmp_path / "x.db", "--view", "no-such-view", ok=False)
    assert usage.returncode == 2
    no_file = run("import", "ucdp", tmp_path / "nope.csv", "--into", tmp_path / "x.db", ok=False)
    assert no_file.returncode == 4
    assert "nope.csv: no such file" in no_file.stderr


def test_the_import_transcript_in_the_cli_page_is_what_the_command_prints(
    tmp_path: Path,
) -> None:
    """docs/howto/cli.md shows an import's output (the summary line on standard
    output, then the table on standard error); the command prints exactly that."""
    page = (Path(__file__).parents[1] / "docs" / "howto" / "cli.md").read_text()
    command = "$ conflict-timeline import acled tests/data/acled-synthetic-numeric-inter.csv"
    lines = page.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(command)) + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("$"))
    db = tmp_path / "ACLED.db"
    result = run("import", "acled", NUMERIC, "--into", db)
    printed = result.stdout.replace(str(db), "ACLED.db") + result.stderr
    assert printed.splitlines() == lines[start:end]


def test_skip_bad_rows_is_advised_only_when_it_can_help(tmp_path: Path) -> None:
    db = tmp_path / "tl.db"
    row_fault = run("import", "acled", BAD_LATITUDE, "--into", db, ok=False)
    assert "pass --skip-bad-rows" in row_fault.stderr  # one bad row: the flag helps
    # A GED file read as ACLED lacks ACLED's columns: no row can be imported.
    file_fault = run("import", "acled", GED, "--into", db, ok=False)
    assert file_fault.returncode == 3  # the data of the file is refused
    assert "--skip-bad-rows" not in file_fault.stderr
    flagged = run("import", "acled", GED, "--into", db, "--skip-bad-rows", ok=False)
    assert "pass --skip-bad-rows" not in flagged.stderr
    # Bytes that are not UTF-8 stop the file as a whole, though the message names
    # the line they were found on: the flag would import nothing more.
    latin = tmp_path / "acled-1252.csv"
    text = NUMERIC.read_text(encoding="utf-8-sig").replace(
        "Synthetic Daily", "Quotidien arm\u00e9"
    )
    latin.write_bytes(text.encode("cp1252"))
    undecoded = run("import", "acled", latin, "--into", db, ok=False)
    assert undecoded.returncode == 3
    assert "not UTF-8" in undecoded.stderr
    assert "--encoding cp1252" in undecoded.stderr
    assert "--skip-bad-rows" not in undecoded.stderr


# -- a location means what it means to Timeline.open -----------------------------------


def test_an_sqlite_url_names_the_file_after_the_scheme(karabakh_db: Path, tmp_path: Path) -> None:
    source = tmp_path / "karabakh.jsonl"
    with Timeline.open(karabakh_db, create=False) as timeline:
        export_jsonl(timeline, source)
    done = run("import", "jsonl", source, "--into", "sqlite:new.db", cwd=tmp_path)
    assert "25 appended to sqlite:new.db" in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["karabakh.jsonl", "new.db"]
    with Timeline.open("sqlite:" + str(tmp_path / "new.db"), create=False) as timeline:
        assert timeline.head == 25
    assert run("verify", "sqlite:new.db", cwd=tmp_path).stdout.startswith("ok: 25 records")
    run("copy", "sqlite:new.db", f"sqlite:{tmp_path / 'copy.db'}", cwd=tmp_path)
    assert log(tmp_path / "copy.db") == log(karabakh_db)
    # The output is the timeline itself, named through the scheme: refused.
    before = (tmp_path / "new.db").read_bytes()
    refused = run(
        "export", "sqlite:new.db", "--format", "jsonl", "-o", "new.db", "--force",
        ok=False, cwd=tmp_path,
    )  # fmt: skip
    assert refused.returncode == 5
    assert "is the timeline sqlite:new.db itself" in refused.stderr
    assert (tmp_path / "new.db").read_bytes() == before
    # A file whose name looks like a URL is named as a path.
    (tmp_path / "new.db").rename(tmp_path / "sqlite:old.db")
    assert run("verify", "./sqlite:old.db", cwd=tmp_path).returncode == 0


def test_a_memory_location_is_a_timeline_in_memory_never_a_file(
    karabakh_db: Path, tmp_path: Path
) -> None:
    done = run("copy", karabakh_db, "memory:", cwd=tmp_path)
    assert done.stdout.startswith("copied 25 records; verified: 25 records")
    missing = run("verify", "memory:", ok=False, cwd=tmp_path)
    assert missing.returncode == 4  # a memory store always starts empty
    assert "an in-memory timeline starts empty" in missing.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_scheme_is_refused_as_timeline_open_refuses_it(tmp_path: Path) -> None:
    for args in (("verify", "nosuch:TL.db"), ("events", "nosuch:TL.db")):
        result = run(*args, ok=False, cwd=tmp_path)
        assert result.returncode == 4
        assert "no backend for scheme 'nosuch'" in result.stderr
    result = run("import", "acled", NUMERIC, "--into", "nosuch:TL.db", ok=False, cwd=tmp_path)
    assert result.returncode == 5
    assert "no backend for scheme 'nosuch'" in result.stderr
    assert list(tmp_path.iterdir()) == []


# -- the ceasefire importers' today ------------------------------------------------------


def test_import_today_flag_sets_the_year_after_which_a_ceasefire_file_covers_nothing(
    tmp_path: Path,
) -> None:
    """import-ceasefires.md: a year after today is kept on its row, flagged, and
    extends no coverage; ``--today`` sets today (the importers' ``today=``). PA-X
    covers to 2020: an agreement of 2030 makes every open ceasefire possibly in force
    to the end of 2030 only when today is in 2030 or later."""
    columns = ("AgtId", "Agt", "Dat", "Stage", "Part")
    source = tmp_path / "pax.csv"
    with source.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerow(["1", "Old Ceasefire", "2001-03-04", "Cea", "A; B"])
        writer.writerow(["2", "New Accord", "2030-05-01", "Imp", "A; B"])

    def until_of_the_ceasefire(today: str) -> tuple[object, str]:
        db = tmp_path / f"pax-{today}.db"
        result = run("import", "pax", source, "--into", db, "--today", today)
        with Timeline.open(db, create=False) as timeline:
            found = timeline.get("pax:1/ceasefire")
        assert found is not None
        commitment = found.record
        assert isinstance(commitment, Commitment)
        assert commitment.until is not None
        return commitment.until.latest, result.stdout + result.stderr

    covered, _ = until_of_the_ceasefire("2030-06-01")
    assert covered == TimeExtent.parse("2030").latest  # possibly in force to 2030's end
    uncovered, said = until_of_the_ceasefire("2029-12-31")
    assert uncovered == TimeExtent.parse("2020").latest  # the dataset's own coverage
    assert "year after the current year" in said
    bad = run("import", "pax", source, "--into", tmp_path / "x.db", "--today", "soon", ok=False)
    assert bad.returncode == 2
    assert "argument --today" in bad.stderr  # named as the flag (status 2)
    assert "'soon' is not a date" in bad.stderr
    acled = run(
        "import", "acled", NUMERIC, "--into", tmp_path / "a.db", "--today", "2030-01-01", ok=False
    )
    assert acled.returncode != 0
    assert "today" in acled.stderr


def test_import_date_order_flag_reads_the_files_numeric_dates_in_that_order(
    tmp_path: Path,
) -> None:
    """import.md: ``--date-order`` is the importers' ``date_order``: a file whose
    numeric dates no row settles is refused without it (the refusal says how to give
    it) and read in the order given with it; an importer that reads no date text
    (ETH/PRIO codes year, month and day) refuses it, naming the option."""
    with NUMERIC.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = list(reader.fieldnames or []), list(reader)
    source = tmp_path / "acled.csv"
    with source.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fields)
        writer.writeheader()
        writer.writerow({**rows[0], "event_id_cnty": "A", "event_date": "05/06/2020"})
    refused = run("import", "acled", source, "--into", tmp_path / "x.db", ok=False)
    assert refused.returncode != 0
    assert "--date-order" in refused.stderr
    db = tmp_path / "a.db"
    run("import", "acled", source, "--into", db, "--date-order", "month-first")
    with Timeline.open(db, create=False) as timeline:
        found = timeline.get("acled:A")
    assert found is not None
    assert found.record.occurred == TimeExtent.parse("2020-05-06")
    eth = run(
        "import",
        "eth-prio",
        source,
        "--into",
        tmp_path / "e.db",
        "--date-order",
        "day-first",
        ok=False,
    )
    assert eth.returncode == 2
    assert "--date-order: the eth-prio importer does not take it" in eth.stderr


NO_AT_NOTE = (
    "(no --at: active at the end of what is recorded, so only {} with no end date and no "
    "recorded end; pass --at DATE to ask about a date)"
)


@pytest.mark.parametrize(
    ("view", "what"),
    [("active-commitments", "commitments"), ("triggered-commitments", "conditional commitments")],
)
def test_a_table_with_no_at_says_it_lists_only_commitments_with_no_end(
    karabakh_db: Path, view: str, what: str
) -> None:
    """With no --at, active-commitments lists only the commitments with no end date
    (on ETH/PRIO, where nearly every ceasefire has one, almost none): the table says so
    under its title, as the help does. With --at it does not; JSON stays data only
    (its query's "at" is null), and so does diff's JSON."""
    note = NO_AT_NOTE.format(what)
    table = run("state", karabakh_db, "--view", view).stdout.splitlines()
    assert table[0].startswith(f"{view}: everything recorded: ")
    assert table[1] == note
    dated = run("state", karabakh_db, "--view", view, "--at", "2020-10-31").stdout
    assert "no --at" not in dated
    as_json = run("state", karabakh_db, "--view", view, "--format", "json").stdout
    assert orjson.loads(as_json)["query"]["at"] is None
    assert "no --at" not in as_json
    cuts = ("--known-from", "2020-10-15", "--known-to", "2020-10-31")
    diff = run("diff", karabakh_db, "--view", view, *cuts).stdout.splitlines()
    assert diff[1] == note
    diff_json = run("diff", karabakh_db, "--view", view, *cuts, "--format", "json").stdout
    assert "no --at" not in diff_json
    assert orjson.loads(diff_json)["view"] == view


def test_the_cli_page_lists_every_command_and_importer() -> None:
    """docs/howto/cli.md's table of commands names every subcommand the parser has, and
    its import row every importer (diff and the ceasefire importers were missing)."""
    page = (Path(__file__).parents[1] / "docs" / "howto" / "cli.md").read_text("utf-8")
    table = page.split("| command | what it does |")[1].split("\n\n")[0]
    commands = {m.group(1) for m in re.finditer(r"^\| `([a-z-]+) ", table, re.M)}
    parser = cli._parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert commands == set(sub.choices)
    import_row = next(line for line in table.splitlines() if line.startswith("| `import "))
    named = set(import_row.split("`")[1].split()[1].split("\\|"))
    (kinds,) = [a for a in sub.choices["import"]._actions if a.choices and "jsonl" in a.choices]
    assert named == set(kinds.choices)


def test_state_help_says_what_no_at_means(karabakh_db: Path) -> None:
    """Without --at a view is asked after every date (the header says "everything
    recorded"): a commitment with an end date has lapsed then. The help says so, as
    a user importing ETH/PRIO (every ceasefire with an end) saw 0 active ones."""
    text = " ".join(run("state", "--help").stdout.split())
    assert "(default: no cut, as after every date: active-commitments then lists only" in text
    with Timeline.open(karabakh_db, create=False) as timeline:
        ids = [c.id for c in timeline.state("active-commitments")]
    listed = run("state", karabakh_db, "--view", "active-commitments").stdout.splitlines()
    assert listed[0] == f"active-commitments: everything recorded: {len(ids)} entries"


def test_a_state_table_names_actors_as_the_store_held_them_at_as_of(tmp_path: Path) -> None:
    """``state --as-of N`` names actors as the first N records define them: a rename
    stored later (a correction of the ActorDefined) is not shown before it."""
    from conflict_timeline import ActorDefined, Commitment, Correction, Source, Timeline

    wire = (Source(publisher="Wire", published="2020-01-02"),)
    db = tmp_path / "t.db"
    with Timeline.open(db) as tl:
        tl.append(
            ActorDefined(id="west", name="Western Front", actor_kind="armed_force"),
            ActorDefined(id="east", name="East", actor_kind="state"),
            Commitment(
                id="truce",
                occurred="2020-01-02",
                sources=wire,
                commitment_kind="ceasefire",
                parties=("west", "east"),
            ),
        )
        tl.append(
            Correction(
                id="rename",
                occurred="2020-02-01",
                sources=wire,
                corrects="west",
                replacement=ActorDefined(id="west", name="Western Army", actor_kind="armed_force"),
            )
        )

    def parties(*more: str) -> str:
        out = run("state", db, "--view", "active-commitments", "--at", "2020-03-01", *more)
        (line,) = [row for row in out.stdout.splitlines() if row.startswith("truce")]
        return line

    assert "Western Front, East" in parties("--as-of", "3")
    assert "Western Army, East" in parties()


def test_the_views_in_state_help_name_the_at_option_not_at_at() -> None:
    """``state --help`` describes each view by its docstring's first line, whose
    ``at`` is the query's cut: the command's --at ("Commitments active at the --at
    date"), never "active at at"."""
    shown = " ".join(run("state", "--help").stdout.split())
    assert "active-commitments: Commitments active at the --at date: effective by then" in shown
    assert "request-log: Every request made by the --at date" in shown
    assert " at at" not in shown
    assert " by at" not in shown


def test_a_kinds_csv_table_has_its_kinds_columns_whatever_the_rows_hold(
    tmp_path: Path,
) -> None:
    """cli.md: a kind's CSV table has the columns its kind has, the same whatever the
    selected rows hold: a month of GED attacks none of which gives
    ``fatalities_as_reported`` has the column all the same, as the whole file does."""
    db = tmp_path / "ged.db"
    run("import", "ucdp", GED, "--into", db)

    def header(*selection: str) -> list[str]:
        out = run("export", db, "--format", "csv", "--kind", "Attack", *selection).stdout
        return next(csv.reader(io.StringIO(out)))

    month = header("--between", "2022-01-01", "2022-01-31")
    assert month == header()
    assert "fatalities_as_reported" in month
    common = [
        "position", "recorded_at", "corrected_by", "id", "kind", "occurred_start",
        "occurred_end", "occurred_precision", "occurred_tz", "reported_start",
        "reported_end", "status", "claimed_by", "sources", "source_urls",
        "acled_event_type", "acled_sub_event_type", "ucdp_type_of_violence", "cameo",
        "plover", "notes",
    ]  # fmt: skip
    assert month == [
        *common, "perpetrator", "target_class", "target", "target_actor", "between_sides",
        "means",
        "place", "fatalities_low", "fatalities_best", "fatalities_high",
        "fatalities_as_reported", "injured_low", "injured_best", "injured_high",
        "injured_as_reported",
    ]  # fmt: skip
