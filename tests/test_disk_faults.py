"""Disk faults: a read-only file, a full disk, a locked file.

Each gives a :class:`StoreError` that says what happened, to which file, and what
to do; and leaves nothing half-written: the head, ``verify()`` and every stored row
are as before, and no record of the refused batch is present.

How the faults are made, without root tricks or mounts:

* **Read-only**: the file (and, in one case, its folder) is made read-only with
  ``chmod`` and the timeline is used from a child process. Permission bits do not
  stop root, so when the tests run as root the child runs as ``nobody``
  (``subprocess.run(user=...)``): the kernel, not the library, refuses the write.
* **Full disk**, two ways: SQLite's ``PRAGMA max_page_count`` set on the store's
  connection as it is opened (wrapping ``sqlite3.connect``, the boundary the store
  uses), so the file cannot grow, exactly like a full disk as SQLite sees it
  (``SQLITE_FULL``); and a child process whose file-size limit
  (``RLIMIT_FSIZE``) stops the write in the kernel mid-transaction.
* **Locked**: another connection holds the write lock (``BEGIN IMMEDIATE``), or an
  exclusive lock (``PRAGMA locking_mode=EXCLUSIVE``) that keeps readers out too.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conflict_timeline import ActorDefined, SQLiteStore, StoreError, Timeline

NOBODY = 65534

# ------------------------------------------------------------------- helpers


def records(prefix: str, count: int, *, text: int = 10) -> list[ActorDefined]:
    """``count`` actor records with ``text`` characters of name each."""
    return [
        ActorDefined(id=f"{prefix}-{i}", name=f"{prefix} {i} " + "x" * text, actor_kind="person")
        for i in range(count)
    ]


def state(path: Path) -> tuple[int, bool, list[tuple[int, str, str]]]:
    """Head, verification and every (position, id, hash), read by a fresh connection."""
    with Timeline.open(path, create=False) as timeline:
        return (
            timeline.head,
            bool(timeline.verify()),
            [(r.position, r.id, r.hash) for r in timeline],
        )


def absent(path: Path, batch: list[ActorDefined]) -> bool:
    with Timeline.open(path, create=False) as timeline:
        return all(timeline.store.get(r.id) is None for r in batch)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def new_timeline(path: Path, count: int = 5) -> list[ActorDefined]:
    first = records("before", count)
    with Timeline.open(path) as timeline:
        timeline.append(*first)
    return first


def run_child(
    script: str, *args: str, user: int | None = None, timeout: float = 60
) -> dict[str, Any]:
    """Run ``script`` in a fresh Python; it prints one JSON object as its last line."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        user=user,
        group=user,
        extra_groups=[] if user is not None else None,
        check=False,
        cwd="/",
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# A child that tries to use the timeline and reports what happened.
TRY_APPEND = """
    import json, sys
    from conflict_timeline import ActorDefined, StoreError, Timeline

    out = {"opened": False}
    try:
        with Timeline.open(sys.argv[1], create=False) as timeline:
            out["opened"] = True
            out["head"] = timeline.head
            out["verified"] = bool(timeline.verify())
            batch = [ActorDefined(id=f"new-{i}", name="n", actor_kind="person") for i in range(3)]
            try:
                timeline.append(*batch)
                out["appended"] = True
            except StoreError as exc:
                out["append_error"] = str(exc)
            out["head_after"] = timeline.head
    except StoreError as exc:
        out["open_error"] = str(exc)
    print(json.dumps(out))
"""


# ---------------------------------------------------------------- read-only


def unprivileged() -> int | None:
    """The uid to run a child as so that file permissions apply (None: ourselves)."""
    if os.name != "posix":
        pytest.skip("file permission bits are POSIX")
    if os.geteuid() != 0:
        return None
    probe = subprocess.run(
        [sys.executable, "-c", "import conflict_timeline"],
        user=NOBODY,
        group=NOBODY,
        extra_groups=[],
        capture_output=True,
        check=False,
        cwd="/",
    )
    if probe.returncode != 0:
        pytest.skip(f"running as root, and 'nobody' cannot run this Python: {probe.stderr!r}")
    return NOBODY


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder an unprivileged child can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="ct-readonly-"))
    try:
        yield folder
    finally:
        for p in (folder, *folder.iterdir()):
            p.chmod(stat.S_IRWXU)
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()


def test_a_read_only_file_is_read_but_not_written(shared_dir: Path) -> None:
    user = unprivileged()
    path = shared_dir / "evidence.db"
    new_timeline(path)
    before, before_bytes = state(path), digest(path)
    shared_dir.chmod(0o755)
    path.chmod(0o444)  # read-only for everyone, owner included
    if user is not None:
        os.chown(shared_dir, user, user)  # the folder is the child's: only the file is read-only
        os.chown(path, user, user)
    out = run_child(TRY_APPEND, str(path), user=user)
    assert out["opened"], out
    assert out["head"] == 5
    assert out["verified"]
    message = out["append_error"]
    assert str(path) in message
    assert "read-only" in message
    assert "nothing of this batch was written" in message
    assert out["head_after"] == 5
    path.chmod(0o644)
    assert digest(path) == before_bytes
    assert state(path) == before


def test_a_read_only_folder_says_so_instead_of_calling_the_file_foreign(
    shared_dir: Path,
) -> None:
    # SQLite's write-ahead log needs evidence.db-wal and -shm beside the file: in a
    # folder nobody may write to (a read-only mount, an archive), even opening fails.
    user = unprivileged()
    path = shared_dir / "evidence.db"
    new_timeline(path)
    before_bytes = digest(path)
    path.chmod(0o444)
    shared_dir.chmod(0o555)
    out = run_child(TRY_APPEND, str(path), user=user)
    assert not out["opened"], out
    message = out["open_error"]
    assert str(path) in message
    assert "not a conflict_timeline file" not in message
    assert "read-only" in message
    assert "copy" in message  # what to do: copy it somewhere writable
    assert digest(path) == before_bytes


# ---------------------------------------------------------------- full disk


@pytest.fixture
def disk_of(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """``disk_of(pages)``: connections opened from now on cannot grow past ``pages``."""

    def limit(pages: int) -> None:
        real_connect = sqlite3.connect

        def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            db = real_connect(*args, **kwargs)
            db.execute(f"PRAGMA max_page_count = {int(pages)}")
            return db

        monkeypatch.setattr(sqlite3, "connect", connect)

    return limit


def page_count(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA page_count").fetchone()[0])
    finally:
        db.close()


def test_a_full_disk_refuses_the_whole_batch(
    tmp_path: Path, disk_of: Callable[[int], None]
) -> None:
    path = tmp_path / "timeline.db"
    new_timeline(path)
    before = state(path)
    disk_of(page_count(path) + 2)  # two pages of room left
    big = records("big", 40, text=2_000)  # about 100 KB: cannot fit
    store = SQLiteStore(path)
    with pytest.raises(StoreError) as info:
        store.append(big)
    message = str(info.value)
    assert str(path) in message
    assert "full" in message
    assert "free" in message  # what to do: free space, then append again
    assert "nothing of this batch was written" in message
    # The store stays usable: reads work and a batch that fits still lands.
    assert store.head() == 5
    assert store.append(records("small", 1)) == (6,)
    store.close()
    head, verified, rows = state(path)
    assert (head, verified, rows[:5]) == (6, True, before[2])
    assert absent(path, big)
    # With room again, the same batch is simply appended.
    disk_of(1_000_000)
    with Timeline.open(path) as timeline:
        assert timeline.append(*big) == tuple(range(7, 47))
        assert timeline.verify()


FILL_UP = """
    import json, os, resource, signal, sys
    from conflict_timeline import ActorDefined, StoreError, Timeline

    path = sys.argv[1]
    timeline = Timeline.open(path, create=False)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG, not death
    folder = os.path.dirname(path)
    biggest = max(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    room = biggest + 16_384
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (room, hard))
    batch = [
        ActorDefined(id=f"big-{i}", name="x" * 4_000, actor_kind="person") for i in range(100)
    ]
    out = {}
    try:
        timeline.append(*batch)
        out["appended"] = True
    except StoreError as exc:
        out["error"] = str(exc)
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    out["head"] = timeline.head
    out["verified"] = bool(timeline.verify())
    timeline.close()
    print(json.dumps(out))
"""


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is POSIX")
def test_the_kernel_refusing_a_write_mid_batch_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "timeline.db"
    new_timeline(path)
    before = state(path)
    out = run_child(FILL_UP, str(path))
    assert "appended" not in out, out
    message = out["error"]
    assert str(path) in message
    assert "disk" in message
    assert "again" in message  # what to do: fix the disk, append the batch again
    # The write the kernel refuses is the commit's (WAL pages are written then): a
    # failed commit is a failed write of the batch, and says that none of it landed.
    assert "append the batch again; nothing of this batch was written" in message
    assert out["head"] == 5
    assert out["verified"]
    assert state(path) == before
    assert absent(
        path, [ActorDefined(id=f"big-{i}", name="x", actor_kind="person") for i in range(100)]
    )


# ------------------------------------------------------------------- locked


def test_a_write_lock_held_elsewhere_gives_a_clear_error_in_time(tmp_path: Path) -> None:
    path = tmp_path / "timeline.db"
    new_timeline(path)
    before = state(path)
    other = sqlite3.connect(path, isolation_level=None)
    store = SQLiteStore(path, timeout=0.2)
    batch = records("blocked", 3)
    try:
        other.execute("BEGIN IMMEDIATE")  # another writer, mid-transaction
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            store.append(batch)
        waited = time.monotonic() - started
        assert store.head() == 5  # readers are not blocked by a writer (WAL)
    finally:
        other.execute("ROLLBACK")
        other.close()
    message = str(info.value)
    assert str(path) in message
    assert "locked" in message
    assert "retry" in message
    assert "nothing of this batch was written" in message
    assert 0.15 <= waited < 5, waited  # it waited for the timeout, not forever
    assert state(path) == before
    assert absent(path, batch)
    assert store.append(batch) == (6, 7, 8)  # the lock is gone: retrying works
    store.close()


def test_an_exclusive_lock_is_reported_as_a_lock_not_as_a_foreign_file(tmp_path: Path) -> None:
    path = tmp_path / "timeline.db"
    new_timeline(path)
    before = state(path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("PRAGMA locking_mode=EXCLUSIVE")
        other.execute("BEGIN EXCLUSIVE")
        other.execute("SELECT count(*) FROM records").fetchone()
        with pytest.raises(StoreError) as info:
            SQLiteStore(path, timeout=0.2)
    finally:
        other.close()
    message = str(info.value)
    assert str(path) in message
    assert "not a conflict_timeline file" not in message
    assert "locked" in message
    assert "retry" in message
    assert state(path) == before


def test_verify_of_a_file_locked_elsewhere_is_a_lock_not_damage(tmp_path: Path) -> None:
    """A file SQLite finds locked while verify() reads it (another process holds a
    lock that keeps readers out) is not damaged: verify() raises StoreError (locked,
    retry later) rather than report "the file is damaged". SQLite answers "database is
    locked" to the verify's first read here, at the connection the store uses."""
    _verify_meets(tmp_path, "database is locked", r"verify failed: .*locked.*retry later")


def test_verify_of_a_file_the_disk_cannot_read_is_a_read_failure_not_damage(
    tmp_path: Path,
) -> None:
    """An I/O error while verify() reads is the disk refusing a read, as a lock is:
    verify() raises StoreError saying so rather than report the file damaged (its
    bytes on disk may be sound)."""
    _verify_meets(tmp_path, "disk I/O error", r"verify failed: .*disk")


def _verify_meets(tmp_path: Path, error: str, says: str) -> None:
    """``verify()`` whose first read SQLite answers with ``error`` raises a StoreError
    that ``says`` so, not "damaged"; the same file, read again, verifies."""
    path = tmp_path / "timeline.db"
    new_timeline(path)
    store = SQLiteStore(path)
    real = store._db

    class Refusing:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            if sql.startswith("PRAGMA integrity_check"):
                raise sqlite3.OperationalError(error)
            return real.execute(sql, *args)

    store._db = Refusing()  # type: ignore[assignment]
    with pytest.raises(StoreError, match=says) as info:
        store.verify()
    assert "damaged" not in str(info.value)
    store._db = real
    assert store.verify().ok
    store.close()


def test_a_long_reader_does_not_block_an_append(tmp_path: Path) -> None:
    path = tmp_path / "timeline.db"
    new_timeline(path)
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM records").fetchone()[0] == 5
        with Timeline.open(path) as timeline:
            assert timeline.append(*records("during", 2)) == (6, 7)
        # The reader keeps its snapshot: it never sees half of anything.
        assert reader.execute("SELECT count(*) FROM records").fetchone()[0] == 5
        reader.execute("COMMIT")
        assert reader.execute("SELECT count(*) FROM records").fetchone()[0] == 7
    finally:
        reader.close()


def test_a_missing_folder_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "timeline.db"
    with pytest.raises(StoreError) as info:
        Timeline.open(path)
    assert str(path) in str(info.value)
    assert not path.parent.exists()
