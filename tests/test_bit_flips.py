"""Bad luck on disk: a single flipped bit anywhere in a real timeline file is either
harmless (the file verifies and every answer is the same) or noticed (opening refuses
the file, or ``verify()`` reports it). Never a file that verifies and answers wrongly.

Issue 18: before SQLite's own integrity check was part of ``verify()``, a flipped bit
in an index page changed the reported violations (2 instead of 3) while ``verify()``
passed, and another let a retried append store the same id twice.
"""

from __future__ import annotations

import datetime as _dt
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conflict_timeline import (
    ActiveCommitments,
    Attack,
    CasualtyEstimates,
    Gazetteer,
    ReportedViolations,
    RequestLog,
    StoreError,
    Timeline,
    to_json,
)
from conflict_timeline.datasets import karabakh_oct_2020
from conflict_timeline.stores import chain_hash

TRIALS = 300
SEED = 20261201


def _clock() -> _dt.datetime:
    return _dt.datetime(2024, 3, 1, 12, 0, tzinfo=_dt.UTC)


def _records() -> list[Any]:
    """The worked example and 100 more attacks on its places: some 20 pages of data
    and indexes, so that flips land in every kind of page."""
    records: list[Any] = list(karabakh_oct_2020())
    places = ["stepanakert", "shushi", "ganja", "tartar", "barda"]
    known = {r.id for r in records}
    places = [p for p in places if p in known]
    for i in range(100):
        records.append(
            Attack(
                id=f"extra-attack-{i:03d}",
                occurred=f"2020-10-{1 + i % 30:02d}",
                place=places[i % len(places)],
            )
        )
    return records


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pristine") / "timeline.db"
    with Timeline.open(path, clock=_clock) as timeline:
        timeline.append(*_records())
    assert not Path(f"{path}-wal").exists()  # closed cleanly: one file
    return path


def answers(timeline: Timeline) -> dict[str, object]:
    """What a user reads from a timeline: every access path the store offers (the
    table, the id, kind and time indexes, the references table) and the views."""
    every = list(timeline.read())
    ids = [r.id for r in every]
    named = [r.id for r in every if r.kind in ("ActorDefined", "PlaceDefined")]
    return {
        "read": [(r.position, r.hash, to_json(r.record)) for r in every],
        "get": [(r.position, r.hash) for r in (timeline.get(i) for i in ids)],
        "kinds": {
            kind: [r.position for r in timeline.store.index_rows(kinds=[kind])]
            for kind in sorted({r.kind for r in every})
        },
        "by_kind": [r.position for r in timeline.by_kind("Commitment", "Request")],
        "occurred": [
            [r.position for r in timeline.occurred_between(day, day)]
            for day in ("2020-09-27", "2020-10-10", "2020-10-28", "2020-10-30")
        ],
        "involving": {i: [r.position for r in timeline.involving(i)] for i in named},
        "index_rows": list(timeline.store.index_rows()),
        "dangling": timeline.dangling_references(),
        "head": timeline.head,
        "views": [
            repr(timeline.state(view, at="2020-10-31"))
            for view in (
                ActiveCommitments,
                ReportedViolations,
                RequestLog,
                CasualtyEstimates,
                Gazetteer,
            )
        ],
    }


def _flip(path: Path, rng: random.Random) -> tuple[int, int]:
    data = bytearray(path.read_bytes())
    offset = rng.randrange(len(data))
    bit = rng.randrange(8)
    data[offset] ^= 1 << bit
    path.write_bytes(bytes(data))
    return offset, bit


def test_every_single_bit_flip_is_harmless_or_reported(pristine: Path, tmp_path: Path) -> None:
    with Timeline.open(pristine, create=False, read_only=True) as timeline:
        expected = answers(timeline)
    rng = random.Random(SEED)
    outcomes = {"harmless": 0, "refused at open": 0, "reported by verify": 0}
    silent: list[str] = []
    for trial in range(TRIALS):
        copy = tmp_path / f"trial-{trial}.db"
        shutil.copyfile(pristine, copy)
        offset, bit = _flip(copy, rng)
        where = f"trial {trial}: bit {bit} of byte {offset} (page {offset // 16384 + 1})"
        try:
            timeline = Timeline.open(copy, create=False, read_only=True)
        except StoreError:
            outcomes["refused at open"] += 1
            continue
        with timeline:
            result = timeline.verify()
            if not result.ok:
                assert result.reason, where
                outcomes["reported by verify"] += 1
            else:
                try:
                    got = answers(timeline)
                except Exception as exc:  # a verified file must answer
                    silent.append(f"{where}: verify ok, then {type(exc).__name__}: {exc}")
                    continue
                if got != expected:
                    changed = sorted(k for k in expected if got[k] != expected[k])
                    silent.append(f"{where}: verify ok, but answers changed: {changed}")
                else:
                    outcomes["harmless"] += 1
        copy.unlink()
    assert not silent, "\n".join(silent)
    # The trial means something only if flips landed on both sides.
    assert outcomes["harmless"] > TRIALS // 10, outcomes
    assert outcomes["reported by verify"] > TRIALS // 10, outcomes


def _damage_kind_index(path: Path) -> None:
    """Point the kind index's definition at other columns: its entries no longer
    match the table. The records table, and so the hash chain, are untouched."""
    db = sqlite3.connect(path)
    (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'records_kind'").fetchone()
    db.execute("PRAGMA writable_schema=ON")
    db.execute(
        "UPDATE sqlite_master SET sql = ? WHERE name = 'records_kind'",
        (sql.replace("(kind, position)", "(id, position)"),),
    )
    db.commit()
    db.close()


def test_a_damaged_index_is_reported_though_the_table_and_chain_are_intact(
    pristine: Path, tmp_path: Path
) -> None:
    """The defect of issue 18 made on purpose: only SQLite's integrity check can see
    it, and verify() must run it."""
    copy = tmp_path / "index.db"
    shutil.copyfile(pristine, copy)
    _damage_kind_index(copy)
    with Timeline.open(copy, create=False, read_only=True) as timeline:
        result = timeline.verify()
    assert not result.ok
    assert (result.first_bad, result.checked) == (None, 0)
    assert result.reason.startswith("the file is damaged: SQLite's integrity check says: ")


def test_the_cli_reports_a_damaged_file_in_one_line(pristine: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index.db"
    shutil.copyfile(pristine, copy)
    _damage_kind_index(copy)
    cli = Path(sys.executable).parent / "conflict-timeline"
    done = subprocess.run(
        [str(cli), "verify", str(copy)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"{copy}: FAILED: the file is damaged: SQLite's integrity check")


def test_an_id_stored_twice_is_reported_at_its_second_position(tmp_path: Path) -> None:
    """What a damaged unique index let happen in issue 18: the same record appended
    again at a new position, with a correct chain. verify() names the second copy."""
    path = tmp_path / "twice.db"
    records = list(karabakh_oct_2020())
    with Timeline.open(path, clock=_clock) as timeline:
        timeline.append(*records)
    # Take the UNIQUE constraint out of the schema, then append a duplicate by hand,
    # chained correctly, exactly as the store would have.
    db = sqlite3.connect(path)
    db.execute("PRAGMA writable_schema=ON")
    (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'records'").fetchone()
    db.execute(
        "UPDATE sqlite_master SET sql = ? WHERE name = 'records'",
        (sql.replace("id TEXT NOT NULL UNIQUE", "id TEXT NOT NULL"),),
    )
    db.execute("DELETE FROM sqlite_master WHERE name = 'sqlite_autoindex_records_1'")
    db.commit()
    db.close()
    db = sqlite3.connect(path)
    db.execute("VACUUM")  # rebuilt from the edited schema: no unique index, no stray page
    db.close()
    db = sqlite3.connect(path)
    head, last_hash = db.execute("SELECT position, hash FROM head").fetchone()
    row = db.execute(
        "SELECT id, kind, occurred_lo, occurred_last, reported_lo, reported_last, "
        "recorded_at, target, payload FROM records WHERE position = 1"
    ).fetchone()
    position = head + 1
    digest = chain_hash(last_hash, position, row[6], row[8])
    db.execute(
        "INSERT INTO records (position, id, kind, occurred_lo, occurred_last, reported_lo, "
        "reported_last, recorded_at, target, payload, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (position, *row, digest),
    )
    db.execute("UPDATE head SET position = ?, hash = ?", (position, digest))
    db.commit()
    db.close()
    with Timeline.open(path, create=False, read_only=True) as timeline:
        result = timeline.verify()
    assert not result.ok
    # SQLite's check passes (the schema no longer asks for uniqueness); ours does not.
    assert (result.first_bad, result.checked) == (position, position - 1), result
    assert result.reason == f"id {records[0].id!r} is stored again (it is at an earlier position)"
