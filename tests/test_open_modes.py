"""Opening a timeline file: ``create=False`` refuses what is not a timeline yet, and
``read_only=True`` never creates or changes the file (issue 18, point 3: ``verify`` on
a 0-byte file used to say "ok: 0 records" and write an empty timeline)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from conflict_timeline import ActorDefined, SQLiteStore, StoreError, Timeline
from conflict_timeline.datasets import karabakh_oct_2020
from conflict_timeline.views import ActiveCommitments


def fingerprint(path: Path) -> tuple[int, int, str]:
    """Size, modification time and content of a file: all three stay put."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


def _timeline_file(path: Path) -> Path:
    with Timeline.open(path) as timeline:
        timeline.append(*karabakh_oct_2020())
    return path


def _empty_sqlite(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 0")  # writes the header: a database with no tables
    db.execute("VACUUM")
    db.close()
    assert path.stat().st_size > 0
    return path


@pytest.mark.parametrize("flag", [{"create": False}, {"read_only": True}])
def test_a_missing_file_is_refused_and_not_created(tmp_path: Path, flag: dict[str, bool]) -> None:
    path = tmp_path / "missing.db"
    with pytest.raises(StoreError, match=r"missing\.db: no such timeline file"):
        Timeline.open(path, **flag)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("flag", [{"create": False}, {"read_only": True}])
def test_an_empty_file_is_refused_and_left_empty(tmp_path: Path, flag: dict[str, bool]) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    before = fingerprint(path)
    with pytest.raises(StoreError, match=r"empty\.db: an empty file \(0 bytes\), not a timeline"):
        Timeline.open(path, **flag)
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


@pytest.mark.parametrize("flag", [{"create": False}, {"read_only": True}])
def test_an_sqlite_database_without_tables_is_refused_untouched(
    tmp_path: Path, flag: dict[str, bool]
) -> None:
    path = _empty_sqlite(tmp_path / "bare.db")
    before = fingerprint(path)
    with pytest.raises(StoreError, match="an SQLite database with no tables, not a timeline"):
        Timeline.open(path, **flag)
    assert fingerprint(path) == before


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Timeline.open(tmp_path, read_only=True)


@pytest.mark.parametrize("flag", [{}, {"create": False}, {"read_only": True}])
def test_a_folder_is_refused_saying_so_whether_to_read_or_create(
    tmp_path: Path, flag: dict[str, bool]
) -> None:
    """Not SQLite's "unable to open database file", which says nothing of why."""
    with pytest.raises(StoreError, match=r"is a folder \(a directory\), not a timeline file"):
        Timeline.open(tmp_path, **flag)
    assert list(tmp_path.iterdir()) == []


def test_create_true_still_makes_an_empty_file_a_timeline(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    path.touch()
    with Timeline.open(path) as timeline:
        timeline.append(*karabakh_oct_2020()[:2])
    with Timeline.open(path, create=False) as timeline:
        assert len(timeline) == 2


def test_read_only_reads_and_verifies_without_changing_the_file(tmp_path: Path) -> None:
    path = _timeline_file(tmp_path / "tl.db")
    before = fingerprint(path)
    for target in (path, f"sqlite:{path}"):
        with Timeline.open(target, read_only=True) as timeline:
            assert isinstance(timeline.store, SQLiteStore)
            assert timeline.store.read_only
            assert len(timeline) == len(karabakh_oct_2020())
            assert timeline.get("stepanakert-market").kind == "Attack"
            assert timeline.verify().ok
            with pytest.raises(StoreError, match="opened read-only"):
                timeline.append(*karabakh_oct_2020()[:1])
            with pytest.raises(StoreError, match="opened read-only"):
                timeline.store.append([], expected_position=0)
            # Opened with SQLite's mode=ro: even its own connection cannot write (so
            # a file the user may only read opens, and nothing writes by mistake).
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                timeline.store._db.execute("CREATE TABLE scratch (x)")
    assert fingerprint(path) == before


def test_read_only_opens_a_file_in_rollback_journal_mode_and_leaves_its_mode(
    tmp_path: Path,
) -> None:
    """A read-only open sets no pragma: a timeline file whose journal mode was changed
    (to the rollback journal, ``journal_mode=DELETE``) is read as it is, and keeps its
    mode and its bytes; switching it to WAL would be a write."""
    path = _timeline_file(tmp_path / "tl.db")
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)
    db.close()
    before = fingerprint(path)
    with Timeline.open(path, read_only=True) as timeline:
        assert len(timeline) == len(karabakh_oct_2020())
        assert timeline.verify().ok
    assert fingerprint(path) == before
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    db.close()


def test_read_only_saves_and_drops_no_view_state(tmp_path: Path) -> None:
    """Saved view states live in the file too: read-only, saving one and dropping
    them are refused as an append is, saying why, and the file stays as it was."""
    path = _timeline_file(tmp_path / "tl.db")
    before = fingerprint(path)
    with Timeline.open(path, read_only=True) as timeline:
        with pytest.raises(
            StoreError, match=r"opened read-only \(read_only=True\); no view state was saved"
        ):
            timeline.save_checkpoints(ActiveCommitments)
        with pytest.raises(
            StoreError, match=r"opened read-only \(read_only=True\); nothing was dropped"
        ):
            timeline.forget_checkpoints()
    assert fingerprint(path) == before


def test_read_only_sees_what_a_writer_committed_and_never_writes(tmp_path: Path) -> None:
    """A read-only reader beside a writer: it reads the writer's committed batches
    (from the write-ahead log) and its own attempts to write change nothing."""
    path = _timeline_file(tmp_path / "tl.db")
    records = karabakh_oct_2020()
    with Timeline.open(path, create=False) as writer:
        with Timeline.open(path, read_only=True) as reader:
            assert len(reader) == len(records)
            writer.store.append([records[0]])  # a no-op: already stored
            writer.append(ActorDefined(id="late", name="Late", actor_kind="state"))
            assert reader.head == len(records) + 1
            with pytest.raises(StoreError, match="read-only"):
                reader.append(ActorDefined(id="other", name="Other", actor_kind="state"))
            assert reader.verify().ok
        assert writer.head == len(records) + 1


def test_read_only_refuses_a_file_that_is_not_a_timeline_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are notes, not a database" * 100)
    before = fingerprint(path)
    with pytest.raises(StoreError, match="not a conflict_timeline file"):
        Timeline.open(path, read_only=True)
    assert fingerprint(path) == before


@pytest.mark.parametrize(
    "conninfo",
    [
        "host=db dbname=team",
        "dbname=team",
        "host=localhost port=5432 dbname=x user=bob password=s3cret",
        "host=localhost password='with space' dbname=x",
    ],
)
def test_a_postgresql_connection_string_is_no_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, conninfo: str
) -> None:
    """libpq's key=value form of a connection, given where a path or URL belongs, is
    refused, saying to write a URL, without repeating it (it may hold a password),
    and no file is created under that name (which would hide the slip)."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError) as info:
        Timeline.open(conninfo)
    assert str(info.value).startswith(
        "a PostgreSQL connection string (key=value pairs) is not a timeline file: write "
        "it as a URL, postgresql://USER@HOST:PORT/DBNAME"
    )
    assert "s3cret" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["run=3", "a=b.db", "dbname=team"])
def test_a_file_whose_name_has_an_equals_sign_is_still_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A name with no libpq keyword (``run=3``) is a file like any other; so is one
    that looks like a connection string but is a file already there."""
    monkeypatch.chdir(tmp_path)
    if name == "dbname=team":
        Timeline.open(tmp_path / name).close()  # made through a Path, as a file
    with Timeline.open(name) as timeline:
        assert len(timeline) == 0
    assert (tmp_path / name).is_file()
