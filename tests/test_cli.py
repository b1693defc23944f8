"""The ``conflict-timeline`` command, run through its console-script entry point."""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from conflict_timeline import Timeline, datasets, export_jsonl, read_jsonl

CLI = Path(sys.executable).parent / "conflict-timeline"
DATA = Path(__file__).parent / "data"
NUMERIC = DATA / "acled-synthetic-numeric-inter.csv"
BAD_LATITUDE = DATA / "acled-synthetic-bad-latitude.csv"
GED = DATA / "ucdp-ged-23.1-sample-1000.csv"
VIEWS = (
    "active-commitments",
    "casualty-estimates",
    "commitment-history",
    "gazetteer",
    "open-requests",
    "reported-violations",
    "request-log",
    "triggered-commitments",
)


def run(*args: str | Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(CLI), *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )
    if ok:
        assert result.returncode == 0, result.stderr
    return result


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
    assert "8 rows, 6 new events" in result.stdout
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


def test_a_bad_file_is_refused_whole_with_line_and_field(tmp_path: Path) -> None:
    db = tmp_path / "tl.db"
    run("import", "acled", NUMERIC, "--into", db)
    before = log(db)
    result = run("import", "acled", BAD_LATITUDE, "--into", db, ok=False)
    assert result.returncode == 1
    assert "acled-synthetic-bad-latitude.csv, line 5: latitude: 'abc' is not a number" in (
        result.stderr
    )
    assert "nothing was imported" in result.stderr
    assert log(db) == before  # the db is unchanged
    assert run("verify", db).returncode == 0
    # Into a new file: it holds no record afterwards.
    fresh = tmp_path / "fresh.db"
    assert run("import", "acled", BAD_LATITUDE, "--into", fresh, ok=False).returncode == 1
    assert log(fresh) == b""
    # Asked to, it imports the good rows and lists the bad one.
    skipped = run("import", "acled", BAD_LATITUDE, "--into", fresh, "--skip-bad-rows")
    assert "refused: acled-synthetic-bad-latitude.csv, line 5: latitude" in skipped.stderr
    assert "2 new events" in skipped.stdout


def test_import_ucdp_with_progress(tmp_path: Path) -> None:
    db = tmp_path / "ged.db"
    result = run("import", "ucdp", GED, "--into", db, "--skip-bad-rows", "--progress")
    assert "1000 rows, 1000 new events" in result.stdout
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
    rows = list(csv.DictReader(io.StringIO(run("export", karabakh_db, "--format", "csv").stdout)))
    assert {r["id"] for r in rows} == {r.id for r in datasets.karabakh_oct_2020()}


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


def test_errors_are_one_line_with_status_1_or_2(tmp_path: Path) -> None:
    missing = run("state", tmp_path / "none.db", "--view", "gazetteer", ok=False)
    assert missing.returncode == 1
    assert (
        missing.stderr.strip()
        == f"conflict-timeline: error: {tmp_path / 'none.db'}: no such timeline file"
    )
    db = tmp_path / "tl.db"
    run("import", "acled", NUMERIC, "--into", db)
    bad_date = run("state", db, "--view", "gazetteer", "--at", "31/10/2020", ok=False)
    assert bad_date.returncode == 1
    assert bad_date.stderr.startswith("conflict-timeline: error: at: cannot parse time")
    usage = run("state", tmp_path / "x.db", "--view", "no-such-view", ok=False)
    assert usage.returncode == 2
    no_file = run("import", "ucdp", tmp_path / "nope.csv", "--into", tmp_path / "x.db", ok=False)
    assert no_file.returncode == 1
    assert "nope.csv: no such file" in no_file.stderr
