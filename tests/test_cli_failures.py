"""What the command does when things go wrong (issue 18, points 3, 4, 6 and 11).

Every case runs the installed ``conflict-timeline`` entry point in a subprocess and
checks the documented exit status, that standard error is one line (no traceback)
and that no file was harmed.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import conflict_timeline.errors
from conflict_timeline import ActorDefined, Timeline, datasets, export_jsonl, write_jsonl
from conflict_timeline._cli import Exit, _failure

CLI = Path(sys.executable).parent / "conflict-timeline"
DATA = Path(__file__).parent / "data"
NUMERIC = DATA / "acled-synthetic-numeric-inter.csv"
PREFIX = "conflict-timeline: error: "

# The documented exit statuses (docs/howto/cli.md).
VERIFY_FAILED, USAGE, DATA_REFUSED, CANNOT_READ, CANNOT_WRITE, DAMAGED = 1, 2, 3, 4, 5, 6
MISSING_EXTRA = 7
INTERRUPTED, BROKEN_PIPE = 130, 141
NOBODY = 65534


def run(
    *args: str | Path,
    user: int | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        user=user,
        env=env,
        cwd=cwd,
    )


def failed(result: subprocess.CompletedProcess[str], status: int, *words: str) -> str:
    """Assert one line on stderr, starting with the program's prefix, and the status."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith(PREFIX), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    assert result.returncode == status, (result.returncode, result.stderr)
    return lines[0]


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file in a folder by name, with a hash of its bytes.

    A reader of a WAL database may leave SQLite's ``-shm`` index and an empty
    ``-wal`` beside it (``SQLiteStore(read_only=True)`` documents this); they are
    left out, after checking that the log holds nothing.
    """
    found = {}
    for p in folder.iterdir():
        if not p.is_file():
            continue
        if p.name.endswith("-shm"):
            continue
        if p.name.endswith("-wal"):
            assert p.stat().st_size == 0, f"{p.name}: a read wrote to the log"
            continue
        found[p.name] = hashlib.sha256(p.read_bytes()).hexdigest()
    return found


def acled_file(path: Path, rows: int) -> Path:
    """A synthetic ACLED export: the first synthetic row, ``rows`` times, new ids."""
    lines = NUMERIC.read_text(encoding="utf-8-sig").splitlines()
    header, row = lines[0], lines[1]
    with path.open("w", encoding="utf-8") as fh:
        fh.write(header + "\n")
        for i in range(rows):
            fh.write(row.replace("SYN1,", f"BIG{i},", 1) + "\n")
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-failures")


@pytest.fixture(scope="module")
def karabakh(folder: Path) -> Path:
    source = folder / "karabakh.jsonl"
    timeline = Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    export_jsonl(timeline, source)
    db = folder / "karabakh.db"
    assert run("import", "jsonl", source, "--into", db).returncode == 0
    return db


@pytest.fixture
def copy(karabakh: Path, tmp_path: Path) -> Path:
    """A fresh copy of the worked example's timeline, alone in its folder."""
    db = tmp_path / "TL.db"
    with sqlite3.connect(karabakh) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    with Timeline.open(db, create=False) as timeline:
        assert timeline.verify().ok
    return db


@contextlib.contextmanager
def shared_folder() -> Iterator[Path]:
    """A folder another user can enter (pytest's tmp_path is private to its owner)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="ct-perm-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        for child in path.iterdir():
            child.chmod(0o644)
            child.unlink()
        path.rmdir()


def as_other_user() -> int | None:
    """Root reads and writes anything: run the permission cases as ``nobody``."""
    return NOBODY if os.geteuid() == 0 else None


def python_as_other_user(script: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """``script`` run by this Python with ``args``, as ``nobody`` when the tests run as
    root (`as_other_user`)."""
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        user=as_other_user(),
    )


# --------------------------------------------------- point 3: output onto the timeline


@pytest.mark.parametrize("how", ["same path", "symlink", "hard link"])
@pytest.mark.parametrize("command", ["export", "render"])
def test_output_onto_the_timeline_is_refused(copy: Path, how: str, command: str) -> None:
    target = copy
    if how == "symlink":
        target = copy.with_name("link.db")
        target.symlink_to(copy)
    elif how == "hard link":
        target = copy.with_name("hard.db")
        os.link(copy, target)
    before = fingerprint(copy.parent)
    extra = ["--format", "jsonl"] if command == "export" else []
    result = run(command, copy, *extra, "-o", target, "--force")
    failed(result, CANNOT_WRITE, str(target), "is the timeline")
    assert fingerprint(copy.parent) == before


@pytest.mark.parametrize("command", ["verify", "state", "export", "render"])
def test_read_commands_refuse_an_empty_or_missing_file_and_create_nothing(
    tmp_path: Path, command: str
) -> None:
    extras: dict[str, list[str | Path]] = {
        "verify": [],
        "state": ["--view", "gazetteer"],
        "export": ["--format", "jsonl"],
        "render": ["-o", tmp_path / "out.html"],
    }
    extra = extras[command]
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = run(command, empty, *extra)
    failed(result, CANNOT_READ, str(empty), "empty")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]
    assert empty.read_bytes() == b""
    missing = tmp_path / "missing.db"
    failed(run(command, missing, *extra), CANNOT_READ, str(missing), "no such")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def test_read_commands_leave_the_timeline_as_it_was(copy: Path, tmp_path: Path) -> None:
    before = fingerprint(copy.parent)
    out = tmp_path / "out"
    out.mkdir()
    assert run("verify", copy).returncode == 0
    assert run("state", copy, "--view", "active-commitments").returncode == 0
    assert run("export", copy, "--format", "timelinejs").returncode == 0
    assert run("render", copy, "-o", out / "page.html").returncode == 0
    assert fingerprint(copy.parent) == before


# --------------------------------------------------------- point 4: existing outputs


@pytest.mark.parametrize("command", ["export", "render"])
def test_an_existing_output_is_kept_unless_forced(
    copy: Path, tmp_path: Path, command: str
) -> None:
    target = tmp_path / "old.out"
    target.write_text("an older export\n", encoding="utf-8")
    extra = ["--format", "jsonl"] if command == "export" else []
    result = run(command, copy, *extra, "-o", target)
    failed(result, CANNOT_WRITE, str(target), "exists", "--force")
    assert target.read_text(encoding="utf-8") == "an older export\n"
    forced = run(command, copy, *extra, "-o", target, "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_text(encoding="utf-8") != "an older export\n"


def test_a_failed_import_into_a_new_path_leaves_no_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "ActorDefined", "id": "x"}\n', encoding="utf-8")
    db = tmp_path / "new.db"
    failed(run("import", "jsonl", bad, "--into", db), DATA_REFUSED, "bad.jsonl, line 1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]
    bad_rows = DATA / "acled-synthetic-bad-latitude.csv"
    result = run("import", "acled", bad_rows, "--into", db)
    assert result.returncode == DATA_REFUSED
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]


def test_a_failed_import_into_an_existing_timeline_keeps_it(copy: Path, tmp_path: Path) -> None:
    before = fingerprint(copy.parent)
    bad_rows = DATA / "acled-synthetic-bad-latitude.csv"
    result = run("import", "acled", bad_rows, "--into", copy)
    assert result.returncode == DATA_REFUSED
    assert fingerprint(copy.parent) == before
    del tmp_path


# ------------------------------------------------------------- point 6: no tracebacks


@pytest.mark.parametrize(
    ("sent", "status", "how"),
    [
        (signal.SIGINT, INTERRUPTED, "interrupted"),  # Ctrl-C
        # ``kill``, ``timeout`` and service managers stop a job with SIGTERM: the
        # import cleans up as after Ctrl-C (no new file, no log beside it).
        (signal.SIGTERM, 143, "terminated (SIGTERM)"),
    ],
)
def test_a_stopped_import_writes_nothing(
    tmp_path: Path, sent: signal.Signals, status: int, how: str
) -> None:
    # Long enough (several seconds) that the signal lands while it imports, however
    # long this process takes to see the first progress line on a loaded machine.
    source = acled_file(tmp_path / "big.csv", 40_000)
    db = tmp_path / "new.db"
    process = subprocess.Popen(
        [str(CLI), "import", "acled", str(source), "--into", str(db), "--progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As at a terminal: a suite started in the background of a shell script
        # inherits SIGINT ignored, and so would the command (Python keeps it ignored).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    assert process.stderr is not None
    first = process.stderr.readline()  # the first progress line: it is reading
    assert "reading big.csv" in first, first
    process.send_signal(sent)
    stdout, rest = process.communicate(timeout=120)
    assert process.returncode == status, rest
    lines = [line for line in rest.splitlines() if not line.startswith("reading big.csv")]
    assert lines == [f"{PREFIX}{how}: nothing of big.csv was imported into {db}"], rest
    assert stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]


def test_sigterm_during_a_copy_says_what_the_destination_holds(tmp_path: Path) -> None:
    """A copy stopped keeps whole batches: the message says how many records, and
    that the same copy run again goes on; it then completes with every hash."""
    big = tmp_path / "big.db"
    run("import", "acled", acled_file(tmp_path / "big.csv", 40_000), "--into", big)
    copied = tmp_path / "copy.db"
    process = subprocess.Popen(
        # Small batches, each a transaction of its own: seconds, the signal lands.
        [str(CLI), "copy", str(big), str(copied), "--batch", "20", "--progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    line = "-"
    while "copying: 10%" not in line:  # a tenth of it is written
        line = process.stderr.readline()
        assert line, "the copy ended before it could be stopped"
    process.send_signal(signal.SIGTERM)
    _, rest = process.communicate(timeout=120)
    assert process.returncode == 143, rest
    last = rest.splitlines()[-1]
    assert last.startswith(f"{PREFIX}terminated (SIGTERM): {copied} holds the first "), rest
    assert last.endswith("whole batches; run the same copy again to go on from there"), rest
    done = run("copy", big, copied)
    assert done.returncode == 0
    assert "were there from an earlier copy" in done.stdout


@pytest.mark.parametrize(
    ("importer", "file", "option", "words"),
    [
        (
            "ucdp",
            DATA / "ucdp-ged-23.1-sample-1000.csv",
            ["--keep-unheld"],
            ["--keep-unheld: the ucdp importer does not take it", "--date-order", "--today"],
        ),
        (
            "acled",
            DATA / "acled-synthetic-numeric-inter.csv",
            ["--keep-unheld"],
            ["--keep-unheld: the acled importer does not take it", "--source-name"],
        ),
        (
            "ucdp",
            DATA / "ucdp-ged-23.1-sample-1000.csv",
            ["--allow-unresolved"],
            ["--allow-unresolved: only import jsonl takes it"],
        ),
        ("jsonl", None, ["--encoding", "cp1252"], ["--encoding: import jsonl does not take it"]),
        ("jsonl", None, ["--skip-bad-rows"], ["--skip-bad-rows: import jsonl does not take it"]),
        ("jsonl", None, ["--date-order", "day-first"], ["--date-order: import jsonl"]),
    ],
)
def test_an_import_option_the_importer_does_not_take_is_a_usage_error(
    tmp_path: Path, importer: str, file: Path | None, option: list[str], words: list[str]
) -> None:
    """cli.md: an option the importer would ignore is refused as a usage error naming
    the flag (and the flags it takes), never ignored; nothing is written."""
    if file is None:
        file = tmp_path / "records.jsonl"
        write_jsonl(datasets.karabakh_oct_2020(), file)
    db = tmp_path / "new.db"
    failed(run("import", importer, file, "--into", db, *option), USAGE, *words)
    assert not db.exists()


@pytest.mark.parametrize("command", ["export", "render"])
def test_output_into_a_missing_folder_or_onto_a_folder(
    copy: Path, tmp_path: Path, command: str
) -> None:
    extra = ["--format", "jsonl"] if command == "export" else []
    missing = tmp_path / "no-such-folder" / "out.txt"
    failed(run(command, copy, *extra, "-o", missing), CANNOT_WRITE, str(missing), "folder")
    failed(run(command, copy, *extra, "-o", tmp_path), CANNOT_WRITE, str(tmp_path), "folder")
    failed(
        run(command, copy, *extra, "-o", tmp_path, "--force"),
        CANNOT_WRITE,
        str(tmp_path),
        "folder",
    )


def test_an_unwritable_output_folder(copy: Path) -> None:
    with shared_folder() as shared:
        shared.chmod(0o777)  # SQLite writes its log beside the timeline, even to read
        db = shared / "TL.db"
        db.write_bytes(copy.read_bytes())
        db.chmod(0o666)
        locked = shared / "locked"
        locked.mkdir(mode=0o555)
        locked.chmod(0o555)
        try:
            out = locked / "out.jsonl"
            result = run("export", db, "--format", "jsonl", "-o", out, user=as_other_user())
            failed(result, CANNOT_WRITE, str(out), "permission")
            assert list(locked.iterdir()) == []
        finally:
            locked.chmod(0o755)
            locked.rmdir()


def test_a_command_that_writes_to_a_read_only_timeline_says_to_copy_it(
    copy: Path, tmp_path: Path
) -> None:
    """``import`` and ``checkpoint`` write to the timeline: in a read-only folder they
    fail with status 5 and the command line's advice (copy it somewhere writable), not
    the library's ``read_only=True``; reading commands still read it."""
    del tmp_path
    with shared_folder() as shared:
        one = shared / "one.jsonl"
        write_jsonl([ActorDefined(id="someone", name="Someone", actor_kind="state")], one)
        one.chmod(0o644)
        db = shared / "TL.db"
        db.write_bytes(copy.read_bytes())
        db.chmod(0o444)
        shared.chmod(0o555)
        try:
            user = as_other_user()
            for args in (("import", "jsonl", one, "--into", db), ("checkpoint", db)):
                line = failed(run(*args, user=user), CANNOT_WRITE, str(db), "read-only")
                assert "copy the file to a writable folder" in line
                assert "read_only=True" not in line
            assert run("state", db, "--view", "gazetteer", user=user).returncode == 0
        finally:
            shared.chmod(0o755)


def test_an_unreadable_input(copy: Path) -> None:
    with shared_folder() as shared:
        source = shared / "secret.csv"
        source.write_bytes(NUMERIC.read_bytes())
        source.chmod(0o000)
        db = shared / "TL.db"
        db.write_bytes(copy.read_bytes())
        db.chmod(0o000)
        user = as_other_user()
        result = run("import", "acled", source, "--into", shared / "new.db", user=user)
        failed(result, CANNOT_READ, str(source), "permission")
        failed(run("verify", db, user=user), CANNOT_READ, str(db), "permission")
        assert sorted(p.name for p in shared.iterdir()) == ["TL.db", "secret.csv"]


@pytest.fixture(scope="module")
def big_db(folder: Path) -> Path:
    """A timeline whose JSON Lines export is far more than a pipe buffer (64 KiB)."""
    db = folder / "big.db"
    source = acled_file(folder / "big.csv", 600)
    assert run("import", "acled", source, "--into", db).returncode == 0
    return db


def test_a_broken_pipe(big_db: Path) -> None:
    process = subprocess.Popen(
        [str(CLI), "export", str(big_db), "--format", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b"{")
    process.stdout.close()  # as `| head -1` does
    _, err = process.communicate(timeout=120)
    result = subprocess.CompletedProcess(process.args, process.returncode, "", err.decode())
    failed(result, BROKEN_PIPE, "standard output", "closed")


def test_standard_output_on_a_full_disk(big_db: Path) -> None:
    with Path("/dev/full").open("w") as full:
        result = subprocess.run(
            [str(CLI), "export", str(big_db), "--format", "jsonl"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    failed(result, CANNOT_WRITE, "standard output", "no space left")


def test_a_stored_payload_that_is_not_json(copy: Path) -> None:
    with sqlite3.connect(copy) as raw:
        raw.execute("UPDATE records SET payload = CAST('not json' AS BLOB) WHERE position = 7")
    raw.close()
    for args in (
        ("state", copy, "--view", "gazetteer"),
        ("export", copy, "--format", "jsonl"),
        ("export", copy, "--format", "timelinejs"),
    ):
        failed(run(*args), DAMAGED, str(copy), "position 7", "verify")
    result = run("verify", copy)
    assert result.returncode == VERIFY_FAILED
    assert "FAILED at position 7" in result.stderr


def test_a_file_whose_pages_are_damaged_is_a_damaged_timeline(copy: Path) -> None:
    """cli.md: status 6, the timeline is damaged, for a file whose SQLite pages were
    overwritten (SQLite: "database disk image is malformed") as for a record that
    cannot be read back, verify included when the file cannot even be opened."""
    with sqlite3.connect(copy) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    size = copy.stat().st_size
    with copy.open("r+b") as fh:  # every page but the first: the schema's is kept
        fh.seek(4096)
        fh.write(bytes((i * 37 + 11) % 251 for i in range(size - 4096)))
    for args in (
        ("state", copy, "--view", "gazetteer"),
        ("events", copy),
        ("export", copy, "--format", "jsonl"),
        ("verify", copy),
    ):
        failed(run(*args), DAMAGED, str(copy), "malformed", "the file is damaged")


def test_messages_name_options_and_forms_the_command_line_takes(copy: Path) -> None:
    """A message on the command line speaks its terms, not the library's keywords,
    classes or arguments: the option refused, what names a file, what memory: is."""
    refused = run("state", copy, "--view", "active-commitments", "--commitment", "x")
    failed(refused, USAGE, "--commitment: the active-commitments view takes no such filter")
    assert "ActiveCommitments" not in refused.stderr
    scheme = failed(run("state", "foo://x", "--view", "gazetteer"), CANNOT_READ, "foo")
    assert "as sqlite:NAME or ./NAME" in scheme
    assert "pathlib" not in scheme
    memory = failed(run("verify", "memory:"), CANNOT_READ, "memory:", "nothing to read")
    assert "create=False" not in memory


def test_a_date_before_year_1_in_utc_is_a_usage_error(copy: Path) -> None:
    result = run("state", copy, "--view", "gazetteer", "--at", "0001-01-01", "--tz", "Asia/Tokyo")
    failed(result, USAGE, "0001-01-01")


# ------------------------------------------------------------ point 11, on the CLI


@pytest.mark.parametrize("width", ["-5", "0", "100"])
def test_render_refuses_a_useless_width(copy: Path, tmp_path: Path, width: str) -> None:
    out = tmp_path / "page.html"
    result = run("render", copy, "-o", out, "--width", width)
    assert result.returncode == USAGE
    assert "--width" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_folder_given_as_input_says_so(tmp_path: Path) -> None:
    db = tmp_path / "TL.db"
    for kind in ("acled", "jsonl"):
        failed(run("import", kind, tmp_path, "--into", db), CANNOT_READ, str(tmp_path), "folder")
    for args in (("verify",), ("state", "--view", "gazetteer"), ("export", "--format", "jsonl")):
        failed(run(args[0], tmp_path, *args[1:]), CANNOT_READ, str(tmp_path), "folder")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_given_to_copy_says_so(copy: Path, tmp_path: Path) -> None:
    """As a destination (exit 5) or a source (exit 4): "is a folder", never SQLite's
    "unable to open database file"."""
    folder = tmp_path / "folder"
    folder.mkdir()
    failed(run("copy", copy, folder), CANNOT_WRITE, str(folder), "is a folder")
    failed(run("copy", folder, tmp_path / "new.db"), CANNOT_READ, str(folder), "is a folder")
    assert list(folder.iterdir()) == []
    assert not (tmp_path / "new.db").exists()


class _RacingImporter:
    """The GED importer, but another writer appends to the timeline while it reads:
    what an import started in a second terminal does to the first."""

    name = "racing-ucdp"
    description = "GED, raced by another writer"
    file_kinds: tuple[str, ...] = ("csv",)

    def __init__(self, timeline: Path) -> None:
        self.timeline = timeline

    def recognises(self, columns: object) -> bool:
        return False

    def read(
        self, source: Any, *, existing: Any = None, strict: bool = False, **options: Any
    ) -> Any:
        from conflict_timeline import ActorDefined
        from conflict_timeline.importers import read_ucdp

        batch = read_ucdp(source, existing=existing, strict=strict, **options)
        with Timeline.open(self.timeline) as other:
            other.append(ActorDefined(id="other-writer", name="Other", actor_kind="state"))
        return batch


def test_an_import_raced_by_another_writer_says_what_happened_and_what_to_do(
    copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not the library's "expected the head at position N ...; re-read and retry",
    which is advice to a program: the file was written meanwhile, nothing of this
    import was, and it is run again."""
    from conflict_timeline import _cli as cli
    from conflict_timeline.importers import register, unregister

    ged = tmp_path / "ged.csv"
    lines = (DATA / "ucdp-ged-23.1-sample-1000.csv").read_text(encoding="utf-8").splitlines()
    ged.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    with Timeline.open(copy) as timeline:
        before = len(timeline)
    register(_RacingImporter(copy))
    try:
        status = cli.main(["import", "racing-ucdp", str(ged), "--into", str(copy)])
    finally:
        unregister("racing-ucdp")
    err = capsys.readouterr().err
    assert status == CANNOT_WRITE, err
    assert err == (
        f"{PREFIX}{copy}: another process wrote to the timeline while ged.csv was read "
        "(an import in another terminal?); nothing of ged.csv was imported: run the "
        "import again once the other has finished\n"
    )
    with Timeline.open(copy) as timeline:
        assert len(timeline) == before + 1  # the other writer's record, none of ged.csv


def test_the_cli_names_its_own_flag_never_strict_false(tmp_path: Path) -> None:
    records = datasets.karabakh_oct_2020()
    source = tmp_path / "late-actors.jsonl"
    # Every record before the actors and places it refers to.
    defined = [r for r in records if type(r).__name__ in ("ActorDefined", "PlaceDefined")]
    write_jsonl([r for r in records if r not in defined] + defined, source)
    db = tmp_path / "TL.db"
    result = run("import", "jsonl", source, "--into", db)
    line = failed(result, DATA_REFUSED, "--allow-unresolved")
    assert "strict" not in line
    assert not db.exists()
    allowed = run("import", "jsonl", source, "--into", db, "--allow-unresolved")
    assert allowed.returncode == 0, allowed.stderr
    assert f"{len(records)} appended" in allowed.stdout


def test_a_dataset_and_a_jsonl_file_given_to_each_others_importer_say_which_to_use(
    copy: Path, tmp_path: Path
) -> None:
    """A GED CSV given to ``import jsonl`` names the importer its header is for, with
    the command; a timeline's JSON Lines given to ``import ucdp`` names ``jsonl``.
    Each used to say only "not valid JSON"."""
    db = tmp_path / "new.db"
    ged = DATA / "ucdp-ged-23.1-sample-1000.csv"
    line = failed(run("import", "jsonl", ged, "--into", db), DATA_REFUSED, "line 1")
    assert line.endswith(
        "a table whose header looks like a file for the 'ucdp' importer: "
        f"conflict-timeline import ucdp {ged} --into {db}"
    )
    jsonl = tmp_path / "k.jsonl"
    with Timeline.open(copy, read_only=True) as timeline:
        export_jsonl(timeline, jsonl)
    line = failed(run("import", "ucdp", jsonl, "--into", db), DATA_REFUSED, "not valid JSON")
    assert "import it with `conflict-timeline import jsonl` (or `read_jsonl`)" in line
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{bad\n", encoding="utf-8")
    line = failed(run("import", "jsonl", bad, "--into", db), DATA_REFUSED, "line 1")
    assert "importer" not in line  # no header of a dataset: no hint
    assert not db.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("state", "TL.db", "--view", "gazetteer", "--colour", "red"),  # an unknown option
        ("state", "TL.db"),  # a required one missing
        ("events", "TL.db", "--limit", "many"),  # a value argparse cannot convert
        (),  # no command
    ],
)
def test_argparses_usage_errors_are_one_line_too(args: tuple[str, ...]) -> None:
    """cli.md: "Every failure is one line on standard error, starting with
    ``conflict-timeline: error:``", argparse's own refusals too (it printed its usage
    over several lines first), with where to read the usage."""
    result = run(*args)
    line = failed(result, USAGE, "--help)")
    assert line.endswith("--help)")


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (("render", "TL.db", "-o", "x.html", "--place", "Syria"), "render"),
        (("events", "TL.db", "--at", "2013"), "events"),
        (("export", "TL.db", "--format", "csv", "--at", "2013-03-01"), "export"),
        (("state", "TL.db", "--view", "gazetteer", "--limit", "3"), "state"),
        (("import", "ucdp", "x.csv", "--into", "T.db", "--bogus"), "import"),
        (("state", "TL.db", "--view", "gazetteer", "extra"), "state"),
    ],
)
def test_an_option_a_command_does_not_take_points_to_that_commands_help(
    args: tuple[str, ...], command: str
) -> None:
    """cli.md: a usage error "ends saying which ``--help`` to read". An option the
    command does not take is listed by that command's help (``render --help``), not
    by the program's, which lists only the commands: ``render ... --place Syria``
    used to say ``(see conflict-timeline --help)``, where no option is named."""
    line = failed(run(*args), USAGE, "unrecognized arguments: ")
    assert line.endswith(f"(see conflict-timeline {command} --help)")


def test_an_unknown_importer_is_named_as_the_importer_with_the_choices(tmp_path: Path) -> None:
    """``import ged ...`` is a usage error naming the importer argument (not an
    argparse ``kind``) and listing the importers."""
    result = run("import", "ged", tmp_path / "x.csv", "--into", tmp_path / "t.db")
    assert result.returncode == USAGE
    line = result.stderr.splitlines()[-1]  # after argparse's usage lines
    assert "argument importer: invalid choice: 'ged' (choose from 'acled'," in line
    assert "'ucdp'" in line


def test_a_dataset_given_as_a_timeline_to_read_says_how_to_import_it(tmp_path: Path) -> None:
    """A GED CSV given to a reading command (``events``, ``state``, ...) is refused as
    no timeline (exit 4), with the import command its header calls for; a file that
    is no dataset either gets no such advice."""
    ged = DATA / "ucdp-ged-23.1-sample-1000.csv"
    for command in (("events",), ("state", "--view", "active-commitments")):
        line = failed(run(command[0], ged, *command[1:]), CANNOT_READ, "not a conflict_timeline")
        assert line.endswith(
            "this is not a timeline but a table whose header looks like a file for the "
            f"'ucdp' importer: conflict-timeline import ucdp {ged} --into TL.db"
        )
    other = tmp_path / "notes.txt"
    other.write_text("nothing, to, see\n", encoding="utf-8")
    line = failed(run("events", other), CANNOT_READ, "not a conflict_timeline")
    assert "importer" not in line


def test_a_dataset_saved_with_semicolons_given_as_a_timeline_still_gets_its_hint(
    tmp_path: Path,
) -> None:
    """The header is split as the importers split it (the delimiter it uses most,
    outside quotes): a GED file saved by a spreadsheet with ``;`` between its columns
    and a comma inside one name is still named for the ``ucdp`` importer."""
    ged = tmp_path / "ged-semicolons.csv"
    header = DATA.joinpath("ucdp-ged-23.1-sample-1000.csv").read_text(encoding="utf-8")
    columns = header.splitlines()[0].split(",")
    ged.write_text(";".join([*columns, '"notes, kept"']) + "\n", encoding="utf-8")
    line = failed(run("events", ged), CANNOT_READ, "not a conflict_timeline")
    assert line.endswith(
        "this is not a timeline but a table whose header looks like a file for the "
        f"'ucdp' importer: conflict-timeline import ucdp {ged} --into TL.db"
    )


def test_the_import_command_suggested_pastes_as_one_argument_a_path(tmp_path: Path) -> None:
    """A path with spaces (and letters beyond ASCII) in the suggested command is quoted
    as a shell reads it: pasted, it imports the file."""
    folder = tmp_path / "my data" / "Ünïcødé"
    folder.mkdir(parents=True)
    ged = folder / "ged sample.csv"
    ged.write_bytes((DATA / "ucdp-ged-23.1-sample-1000.csv").read_bytes())
    line = failed(run("events", ged), CANNOT_READ, "not a conflict_timeline")
    suggested = line.rsplit("importer: ", 1)[1]
    assert suggested == f"conflict-timeline import ucdp '{ged}' --into TL.db"
    done = subprocess.run(
        suggested.replace("conflict-timeline", str(CLI), 1),
        shell=True,  # the point: the command as a shell reads it
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "TL.db").exists()


def test_output_to_dev_stdout_is_standard_output(copy: Path) -> None:
    """``-o /dev/stdout`` writes to standard output, as ``-o -`` does (it was refused as
    an existing file, and with --force as no such file)."""
    to_dev = run("export", copy, "--format", "jsonl", "-o", "/dev/stdout")
    assert to_dev.returncode == 0, to_dev.stderr
    assert to_dev.stdout == run("export", copy, "--format", "jsonl").stdout != ""


def test_a_file_piped_to_import_as_dash_imports_as_the_file(tmp_path: Path) -> None:
    """``-`` is standard input, compressed or not: the same records as the file gives
    (importing the file after it changes nothing)."""
    ged = DATA / "ucdp-ged-23.1-sample-1000.csv"
    db = tmp_path / "piped.db"
    piped = subprocess.run(
        [str(CLI), "import", "ucdp", "-", "--into", str(db)],
        input=gzip.compress(ged.read_bytes()),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    assert b"1000 new records" in piped.stdout
    again = run("import", "ucdp", ged, "--into", db)
    assert again.returncode == 0, again.stderr
    assert "1000 unchanged" in again.stdout
    assert "0 records appended" in again.stdout


def test_a_duplicate_id_in_one_jsonl_file_names_both_lines(tmp_path: Path) -> None:
    records = datasets.karabakh_oct_2020()
    for name in ("same", "different"):
        source = tmp_path / f"{name}.jsonl"
        write_jsonl([*records[:5], records[1]], source)
        if name == "different":  # the same id as line 2, other contents
            lines = source.read_text(encoding="utf-8").splitlines()
            lines[5] = lines[5].replace('"name":"', '"name":"Not ', 1)
            assert lines[5] != lines[1]
            source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = run("import", "jsonl", source, "--into", tmp_path / f"{name}.db")
        failed(result, DATA_REFUSED, f"{name}.jsonl, line 6", "line 2", repr(records[1].id))


def test_a_jsonl_time_of_now_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "now.jsonl"
    record = '{"kind":"ActorDefined","id":"x","name":"X","actor_kind":"state","occurred":"now"}'
    source.write_text(record + "\n", encoding="utf-8")
    result = run("import", "jsonl", source, "--into", tmp_path / "TL.db")
    failed(result, DATA_REFUSED, "now.jsonl, line 1", "'now'")


# ------------------------------------------------------- each failure, its own status

ROOT = Path(__file__).resolve().parents[1]


def _statuses(text: str, row: str) -> list[int]:
    return [int(m) for m in re.findall(row, text, flags=re.MULTILINE)]


def test_the_exit_status_tables_agree_with_each_other_and_the_code() -> None:
    """docs/howto/cli.md's table, the module docstring's and the ``Exit`` enum name the
    same statuses, in the same order."""
    page = (ROOT / "docs" / "howto" / "cli.md").read_text(encoding="utf-8")
    section = page[page.index("## When something goes wrong") :]
    documented = _statuses(section, r"^\| (\d+) \|")
    import conflict_timeline._cli as cli

    assert cli.__doc__ is not None
    in_docstring = _statuses(cli.__doc__, r"^(\d+) {2,}\S")
    assert documented == in_docstring == [int(e) for e in Exit]
    assert documented == [0, 1, 2, 3, 4, 5, 6, 7, 8, 130, 141, 143]


def _errors() -> list[type[Exception]]:
    found = [getattr(conflict_timeline.errors, name) for name in conflict_timeline.errors.__all__]
    return [
        e
        for e in found
        if issubclass(e, conflict_timeline.errors.ConflictTimelineError)
        and e is not conflict_timeline.errors.ConflictTimelineError
    ]


@pytest.mark.parametrize("error", _errors(), ids=lambda e: e.__name__)
def test_no_library_error_exits_with_the_status_of_a_failed_verify(
    error: type[Exception],
) -> None:
    """Exit status 1 says the timeline does not verify: no other failure may use it."""
    status, message = _failure(error("what went wrong"))
    assert status in set(Exit) - {Exit.OK, Exit.VERIFY_FAILED}
    assert message == "what went wrong"


@pytest.mark.parametrize("option", ["--place", "--actor"])
def test_an_unknown_place_or_actor_is_a_usage_error(copy: Path, option: str) -> None:
    failed(run("events", copy, option, "Atlantis"), USAGE, "unknown", "'Atlantis'")


def test_a_negative_limit_is_a_usage_error(copy: Path) -> None:
    every = run("events", copy)
    assert every.returncode == 0, every.stderr
    assert every.stdout.endswith("11 record(s)\n")
    for limit in ("-1", "-5"):
        failed(run("events", copy, "--limit", limit), USAGE, "--limit", limit)
    none = run("events", copy, "--limit", "0")
    assert none.returncode == 0
    assert none.stdout.endswith("0 record(s) of 11 (--limit 0)\n")
    assert run("events", copy, "--limit", "3").stdout.endswith("3 record(s) of 11 (--limit 3)\n")


def hidden(tmp_path: Path, *modules: str) -> dict[str, str]:
    """An environment in which importing ``modules`` fails, as without their extra."""
    folder = tmp_path / "hidden"
    for module in modules:
        package = folder / module
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(
            f"raise ModuleNotFoundError('No module named {module}', name={module!r})\n"
        )
    paths = [str(folder), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def test_a_missing_extra_has_a_status_of_its_own(copy: Path, tmp_path: Path) -> None:
    env = hidden(tmp_path, "psycopg", "pyarrow")
    url = "postgresql://ct@127.0.0.1:1/ct?timeline=x"
    for args in (("verify", url), ("import", "acled", NUMERIC, "--into", url)):
        failed(run(*args, env=env), MISSING_EXTRA, "pip install 'conflict_timeline[postgres]'")
    out = tmp_path / "t.parquet"
    result = run("export", copy, "--format", "parquet", "-o", out, env=env)
    failed(result, MISSING_EXTRA, "pyarrow")
    assert not out.exists()


def test_a_closed_pipe_on_both_outputs_exits_quietly(big_db: Path) -> None:
    """``export ... 2>&1 | head``: the message about the closed pipe cannot be written
    either; the status is still the broken pipe's."""
    process = subprocess.Popen(
        [str(CLI), "export", str(big_db), "--format", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b"{")
    process.stdout.close()
    assert process.wait(timeout=120) == BROKEN_PIPE


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["state", "{db}", "--view", "active-commitments", "--at", "2013-13-01"], "--at"),
        (["state", "{db}", "--view", "gazetteer", "--known-at", "2013-02-30"], "--known-at"),
        (["events", "{db}", "--known-at", "31/10/2020"], "--known-at"),
        (["export", "{db}", "--format", "timelinejs", "--known-at", "x"], "--known-at"),
        (["render", "{db}", "-o", "{out}", "--start", "2013-02-30"], "--start"),
        (["render", "{db}", "-o", "{out}", "--end", "soon"], "--end"),
        (
            ["diff", "{db}", "--view", "agreements", "--known-from", "x", "--known-to", "2020"],
            "--known-from",
        ),
        (["state", "{db}", "--view", "gazetteer", "--at", "2020", "--tz", "Mars/Base"], "--tz"),
    ],
)
def test_a_date_that_cannot_be_read_is_refused_naming_the_option_as_typed(
    tmp_path: Path, args: list[str], option: str
) -> None:
    """The one-line error names the command-line option (``--known-at``), not the
    library's argument (``known_at``), and nothing is written."""
    db = tmp_path / "k.db"
    with Timeline.open(db) as timeline:
        timeline.extend(datasets.karabakh_oct_2020())
    out = tmp_path / "out.html"
    argv = [a.format(db=db, out=out) for a in args]
    done = subprocess.run([str(CLI), *argv], capture_output=True, text=True, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"conflict-timeline: error: {option}: "), done.stderr
    assert done.stdout == ""
    assert not out.exists()


# ------------------------------------------- a timeline in a folder the user may not write


@contextlib.contextmanager
def read_only_folder(copy: Path, *, wal: bytes | None = None) -> Iterator[Path]:
    """A copy of the timeline alone in a folder its reader may not write (and, with
    ``wal``, beside it a ``-wal`` file of those bytes), as on a read-only share."""
    with shared_folder() as shared:
        db = shared / "TL.db"
        db.write_bytes(copy.read_bytes())
        db.chmod(0o444)
        if wal is not None:
            (shared / "TL.db-wal").write_bytes(wal)
        shared.chmod(0o555)
        try:
            yield db
        finally:
            shared.chmod(0o755)


def test_a_timeline_in_a_read_only_folder_is_read_as_it_stands(copy: Path) -> None:
    """SQLite cannot create its ``-shm`` index beside the file, so the file is read as
    it stands (nothing beside it holds changes): each read command answers as it does
    on a writable copy, and nothing is created beside the file."""
    asks: list[tuple[str | Path, ...]] = [
        ("state", "--view", "active-commitments"),
        ("events", "--kind", "Attack"),
        ("export", "--format", "jsonl"),
        ("verify",),
    ]
    expected = []
    for ask in asks:
        done = run(ask[0], copy, *ask[1:])
        assert done.returncode == 0, done.stderr
        expected.append(done.stdout)
    with read_only_folder(copy) as db:
        for ask, stdout in zip(asks, expected, strict=True):
            done = run(ask[0], db, *ask[1:], user=as_other_user())
            assert (done.returncode, done.stderr) == (0, ""), ask
            assert done.stdout.replace(str(db), str(copy)) == stdout, ask
        assert sorted(p.name for p in db.parent.iterdir()) == ["TL.db"]


def test_the_read_only_store_reads_a_read_only_folder_immutably(copy: Path) -> None:
    """``Timeline.open(read_only=True)`` there: ``store.immutable`` says the file is
    read without SQLite's index and locks; every record reads back; ``follow()``, which
    could never see another process's appends, is refused. A writable open is refused
    as before, saying the folder is read-only."""
    with Timeline.open(copy, create=False) as timeline:
        count = len(list(timeline.read()))
    script = (
        "import sys\n"
        "from conflict_timeline import Timeline, StoreError\n"
        "with Timeline.open(sys.argv[1], create=False, read_only=True) as t:\n"
        "    print(t.store.immutable, len(list(t.read())))\n"
        "try:\n"
        "    Timeline.open(sys.argv[1], create=False)\n"
        "except StoreError as exc:\n"
        "    print(exc)\n"
        "with Timeline.open(sys.argv[1], create=False, read_only=True) as t:\n"
        "    try:\n"
        "        t.follow(idle_timeout=0)\n"
        "    except StoreError as exc:\n"
        "        print(exc)\n"
    )
    with read_only_folder(copy) as db:
        done = python_as_other_user(script, db)
        assert done.returncode == 0, done.stderr
        first, second, third = done.stdout.splitlines()
        assert first == f"True {count}"
        # No append by another process can be seen there: follow() says so at once
        # instead of polling forever.
        assert third.startswith(f"follow: {db} is read as it stands on disk")
        assert "appends by other processes cannot be seen" in third
        assert second.startswith(f"{db}: open failed: attempt to write a readonly database")
        assert "folder is read-only" in second
        assert "open it with read_only=True" in second
    # In a writable folder the store is not immutable: SQLite's index and locks serve.
    with Timeline.open(copy, create=False, read_only=True) as timeline:
        assert timeline.store.immutable is False  # type: ignore[attr-defined]


def test_a_read_only_folder_with_changes_in_the_wal_beside_the_file_is_refused(
    copy: Path,
) -> None:
    """A ``-wal`` beside the file holding changes not yet in it (a writer's last
    appends) cannot be read without SQLite's index: reading the file alone would show
    a timeline without them, so the open is refused, naming the log."""
    with Timeline.open(copy, create=False) as timeline:
        timeline.append(
            ActorDefined(id="late", name="Late actor", actor_kind="person", sources=())
        )
        wal = Path(f"{copy}-wal").read_bytes()
        assert wal  # the append is in the log, not yet in the file
        with read_only_folder(copy, wal=wal) as target:
            result = run("events", target, user=as_other_user())
            failed(result, CANNOT_READ, str(target), "TL.db-wal", "copy the file with its -wal")
            assert sorted(p.name for p in target.parent.iterdir()) == ["TL.db", "TL.db-wal"]


def test_a_symlink_to_a_timeline_whose_wal_holds_changes_is_refused(copy: Path) -> None:
    """SQLite keeps the ``-wal`` beside the file a symlink points at, not beside the
    link: a link (in a folder the reader may write) to a timeline in a read-only
    folder whose ``-wal`` holds changes not yet in the file is refused as the file
    itself is, not read as the file alone stands (without the changes)."""
    with Timeline.open(copy, create=False) as timeline:
        timeline.append(
            ActorDefined(id="late", name="Late actor", actor_kind="person", sources=())
        )
        wal = Path(f"{copy}-wal").read_bytes()
        assert wal
        with read_only_folder(copy, wal=wal) as target, shared_folder() as links:
            links.chmod(0o777)
            link = links / "link.db"
            link.symlink_to(target)
            script = (
                "import sys\n"
                "from conflict_timeline import Timeline, StoreError\n"
                "try:\n"
                "    Timeline.open(sys.argv[1], create=False, read_only=True)\n"
                "except StoreError as exc:\n"
                "    print('refused', exc)\n"
                "else:\n"
                "    print('opened')\n"
            )
            done = python_as_other_user(script, link)
            assert done.returncode == 0, done.stderr
            assert done.stdout.startswith("refused "), done.stdout
            assert "TL.db-wal" in done.stdout
            link.unlink()


def test_a_read_only_folder_with_an_empty_wal_beside_the_file_is_read_as_it_stands(
    copy: Path,
) -> None:
    """An empty ``-wal`` (its last writer closed it cleanly) holds no changes: the file
    alone is the whole timeline, read as it stands (``store.immutable``), every record
    back, and the command line's reads answer as on the writable copy."""
    with Timeline.open(copy, create=False) as timeline:
        count = len(list(timeline.read()))
    expected = run("events", copy)
    assert expected.returncode == 0, expected.stderr
    script = (
        "import sys\n"
        "from conflict_timeline import Timeline\n"
        "with Timeline.open(sys.argv[1], create=False, read_only=True) as t:\n"
        "    print(t.store.immutable, len(list(t.read())))\n"
    )
    with read_only_folder(copy, wal=b"") as db:
        done = python_as_other_user(script, db)
        assert (done.returncode, done.stdout) == (0, f"True {count}\n"), done.stderr
        events = run("events", db, user=as_other_user())
        assert (events.returncode, events.stderr) == (0, "")
        assert events.stdout.replace(str(db), str(copy)) == expected.stdout
        assert sorted(p.name for p in db.parent.iterdir()) == ["TL.db", "TL.db-wal"]
