"""The command line's rules an exploratory pass over it, run as an analyst runs it on
the worked example, the GED sample and the ceasefire files, found broken; each
against a value written by hand from docs/howto/cli.md, the module docstring or the
``--help`` texts. The command is run in this process (``main``)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import orjson
import pytest

from conflict_timeline import ActorDefined, Timeline, datasets
from test_cli_failures import CLI, as_other_user, run, shared_folder
from test_cli_rules import DATA, PREFIX, cli

GED = DATA / "ucdp-ged-23.1-sample-1000.csv"


def refused(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """A run that fails, as `cli`, whether the command returns its status or argparse
    exits with it (a flag's value its type refuses)."""
    try:
        return cli(capsys, *args)
    except SystemExit as exited:
        out, err = capsys.readouterr()
        return int(exited.code or 0), out, err


# -- import: an option's value that cannot be used is a usage error -----------------


@pytest.mark.parametrize(
    ("flag", "value", "why"),
    [
        ("--today", "2031-13-01", "'2031-13-01' is not a date: write it as YYYY-MM-DD"),
        ("--today", "2031", "'2031' is not a date: write it as YYYY-MM-DD"),
        ("--encoding", "utf-9", "unknown encoding 'utf-9'"),
        ("--encoding", "rot13", "'rot13' is no encoding a text file is read in"),
        ("--source-name", "", "'' names no publisher (leave the flag out to name ACLED)"),
    ],
)
def test_an_import_flags_value_that_cannot_be_used_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str, why: str
) -> None:
    """cli.md, exit status 2: "an option's value cannot be used". A mistyped
    ``--today`` or ``--encoding`` is the command's usage, named by its flag: not a file
    whose data is refused (3), nor one "the importer cannot read as a whole", which
    sends the user to look at a file that is fine."""
    into = tmp_path / "TL.db"
    status, out, err = refused(capsys, "import", "ucdp", GED, "--into", into, flag, value)
    assert (status, out) == (2, "")
    assert err.startswith(f"{PREFIX}argument {flag}: {why}")
    assert err.endswith("(see conflict-timeline import --help)\n")
    assert "cannot be read" not in err
    assert not into.exists()


# -- checkpoint: an option it would ignore is refused --------------------------------


def test_checkpoint_forget_refuses_a_view_rather_than_drop_every_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--forget``: "drop every saved view state": it cannot drop one view's, so
    ``--forget --view gazetteer`` is a usage error that drops nothing, not a silent
    drop of all nine views' states (and the answer saved beside one)."""
    path = tmp_path / "TL.db"
    with Timeline.open(path) as timeline:
        timeline.append(*datasets.karabakh_oct_2020())
    status, _, _ = cli(capsys, "checkpoint", path)
    assert status == 0
    status, out, err = cli(capsys, "checkpoint", path, "--forget", "--view", "gazetteer")
    assert (status, out) == (2, "")
    assert err == (
        f"{PREFIX}--forget drops every saved view state, so it takes no --view "
        "(--view gazetteer); to keep only some, run --forget and then save those again\n"
    )
    status, out, _ = cli(capsys, "checkpoint", path, "--forget")
    assert (status, out) == (0, "dropped 10 saved view state(s) and answer(s)\n")


# -- a timeline named "-" -------------------------------------------------------------

DASH = (
    f"{PREFIX}-: a timeline is a file or a URL, never standard input or output; "
    "name the file (./- for a file named -)\n"
)


@pytest.mark.parametrize(
    "args",
    [
        ("import", "jsonl", "{log}", "--into", "-"),
        ("verify", "-"),
        ("state", "-", "--view", "gazetteer"),
        ("diff", "-", "--view", "gazetteer", "--known-from", "2020", "--known-to", "2021"),
        ("events", "-"),
        ("export", "-", "--format", "jsonl"),
        ("render", "-", "-o", "{page}"),
        ("checkpoint", "-"),
        ("copy", "-", "{copy}"),
        ("copy", "{timeline}", "-"),
    ],
)
def test_a_timeline_named_dash_is_a_usage_error_never_a_file_so_named(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
) -> None:
    """``-`` is standard input to ``import`` and standard output to ``-o``; where a
    command takes the timeline it is neither (a timeline is a file or a URL), so it is
    refused (status 2) rather than read or created as a file named ``-`` in the
    current folder: ``import ... --into -`` had made one, and ``verify - < TL.db``
    then checked that file, not the one piped in. ``./-`` names such a file."""
    monkeypatch.chdir(tmp_path)
    timeline = tmp_path / "TL.db"
    with Timeline.open(timeline) as made:
        made.append(*datasets.karabakh_oct_2020())
    log = tmp_path / "log.jsonl"
    status, _, _ = cli(capsys, "export", timeline, "--format", "jsonl", "-o", log)
    assert status == 0
    paths = {"log": log, "page": tmp_path / "page.html", "copy": tmp_path / "copy.db"}
    given = [a.format(timeline=timeline, **paths) for a in args]
    status, out, err = cli(capsys, *given)
    assert (status, out, err) == (2, "", DASH)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["TL.db", "log.jsonl"]
    status, _, _ = cli(capsys, "import", "jsonl", log, "--into", "./-")
    assert status == 0
    assert (tmp_path / "-").is_file()


# -- a timeline to write in a folder that is not there --------------------------------


@pytest.mark.parametrize("command", ["import", "copy"])
def test_a_timeline_to_write_in_a_missing_folder_says_the_folder_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Exit status 5, "``copy``'s destination or ``import``'s timeline cannot be
    opened", saying why as ``export -o`` does ("the folder ... does not exist"), never
    SQLite's bare "unable to open database file"."""
    source = tmp_path / "TL.db"
    with Timeline.open(source) as made:
        made.append(*datasets.karabakh_oct_2020())
    log = tmp_path / "log.jsonl"
    status, _, _ = cli(capsys, "export", source, "--format", "jsonl", "-o", log)
    assert status == 0
    folder = tmp_path / "no such folder"
    target = folder / "new.db"
    args = ("import", "jsonl", log, "--into", target) if command == "import" else None
    status, out, err = cli(capsys, *(args or ("copy", source, target)))
    assert (status, out) == (5, "")
    assert err == f"{PREFIX}{target}: cannot open: the folder {folder} does not exist\n"
    assert not folder.exists()


# -- copy: nothing left beside the source ---------------------------------------------


def test_copy_leaves_nothing_beside_its_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: "A command never writes to the timeline it reads, except ``import``";
    ``copy`` opened its source read-only, and SQLite's ``-wal`` and ``-shm`` stayed
    beside it after every copy, failed or not. Read as every other command reads a
    timeline, the folder holds after a copy what it held before, and the copy."""
    source = tmp_path / "TL.db"
    with Timeline.open(source) as made:
        made.append(*datasets.karabakh_oct_2020())
    status, out, _ = cli(capsys, "copy", source, tmp_path / "copy.db")
    assert status == 0
    assert out.startswith("copied 25 records; verified: 25 records, ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["TL.db", "copy.db"]
    status, _, _ = cli(capsys, "copy", source, tmp_path / "missing" / "copy.db")
    assert status == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["TL.db", "copy.db"]


def test_copy_still_reads_a_source_in_a_folder_it_may_not_write(tmp_path: Path) -> None:
    """Where SQLite cannot open the source as a writable file (a read-only share), it
    is read as it stands, as ``state`` and ``verify`` read it; the copy goes through."""
    del tmp_path
    with shared_folder() as shared, shared_folder() as target:
        db = shared / "TL.db"
        with Timeline.open(db) as made:
            made.append(*datasets.karabakh_oct_2020())
        db.chmod(0o444)
        shared.chmod(0o555)
        target.chmod(0o777)
        try:
            result = run("copy", db, target / "copy.db", user=as_other_user())
            assert result.returncode == 0, result.stderr
            assert result.stdout.startswith("copied 25 records; verified: 25 records, ")
            assert sorted(p.name for p in shared.iterdir()) == ["TL.db"]
        finally:
            shared.chmod(0o755)


# -- render: --height is checked as --width is ---------------------------------------


@pytest.mark.parametrize(
    ("height", "why"),
    [
        ("-5", "-5 is too short: the overview needs at least 400 pixels"),
        ("399", "399 is too short: the overview needs at least 400 pixels"),
        ("12.5", "not a whole number of pixels: '12.5'"),
    ],
)
def test_render_refuses_a_height_below_400_naming_height(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], height: str, why: str
) -> None:
    """``--height``: "at least 400" pixels (the overview needs them), a usage error
    naming ``--height`` as ``--width``'s names ``--width``; it said only "the chart
    needs at least 566 x 400 pixels", of a width the user had not given."""
    timeline = tmp_path / "TL.db"
    with Timeline.open(timeline) as made:
        made.append(*datasets.karabakh_oct_2020())
    page = tmp_path / "tl.html"
    status, out, err = refused(capsys, "render", timeline, "-o", page, "--height", height)
    assert (status, out) == (2, "")
    assert err == f"{PREFIX}argument --height: {why} (see conflict-timeline render --help)\n"
    assert not page.exists()
    status, out, _ = cli(capsys, "render", timeline, "-o", page, "--height", "400")
    assert (status, out) == (0, f"wrote {page}\n")


# -- state's filters and events take a place or an actor alike -----------------------


def test_state_and_events_take_a_place_or_actor_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: a filter takes "a place's id or name" ("a name (or alias, in any
    case)"), and state's filters take them "as events' --place and --actor do". In the
    worked example ``armenia`` is an actor's id and, in another case, the name of the
    place ``armenia-territory`` ("Armenia"): as ``--place`` it is that place to both
    commands (``state`` refused it as "an actor, not a place" while ``events`` took
    the place). An id of the other sort that names nothing of this one is refused by
    both in the same words."""
    timeline = tmp_path / "TL.db"
    with Timeline.open(timeline) as made:
        made.append(*datasets.karabakh_oct_2020())
    violations = ("state", timeline, "--view", "reported-violations", "--format", "json")
    status, out, _ = cli(capsys, *violations, "--place", "armenia")
    assert status == 0
    assert orjson.loads(out)["filters"] == {"place": ["armenia-territory"]}
    status, by_name, _ = cli(capsys, "events", timeline, "--place", "armenia")
    assert status == 0
    assert cli(capsys, "events", timeline, "--place", "armenia-territory")[1] == by_name
    actor_as_place = "'russia' is an actor, not a place"
    place_as_actor = "'shushi' is a place, not an actor"
    for args, option, said in (
        (("events", timeline, "--place", "russia"), "--place", actor_as_place),
        ((*violations, "--place", "russia"), "--place", actor_as_place),
        (("events", timeline, "--actor", "shushi"), "--actor", place_as_actor),
        ((*violations, "--accused", "shushi"), "--accused", place_as_actor),
    ):
        status, out, err = cli(capsys, *args)
        assert (status, out, err) == (2, "", f"{PREFIX}{option}: {said}\n")


# -- render: a knowledge cut before anything dated was known --------------------------


def test_render_known_at_before_anything_was_reported_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The worked example's records were reported in 2020: drawn as known at 1900
    there is nothing to draw, and the error says as known when, not that "the timeline
    has no dated records", which it has (usage, status 2; no file written)."""
    timeline = tmp_path / "TL.db"
    with Timeline.open(timeline) as made:
        made.append(*datasets.karabakh_oct_2020())
    page = tmp_path / "tl.html"
    status, out, err = cli(capsys, "render", timeline, "-o", page, "--known-at", "1900")
    assert (status, out) == (2, "")
    assert err == (
        f"{PREFIX}no dated record to draw as known at 1900-12-31T23:59:59.999999+00:00 "
        "(a later --known-at may find some); give --start and --end to draw the window "
        "without them\n"
    )
    assert not page.exists()


# -- a file name that is not UTF-8 ---------------------------------------------------


def test_a_timeline_name_that_is_not_utf8_is_written_back_as_its_bytes(tmp_path: Path) -> None:
    """A file name is bytes: one that is not UTF-8 (here a Latin-1 ``ÿ``, as files
    copied from an old share are named) reaches the command as lone surrogates. The
    summary naming it printed a traceback (``surrogates not allowed``, status 1) after
    the import had been written; it names the file as the bytes it is, status 0."""
    log = tmp_path / "log.jsonl"
    with Timeline.open(tmp_path / "TL.db") as made:
        made.append(*datasets.karabakh_oct_2020())
    done = subprocess.run(
        [str(CLI), "export", str(tmp_path / "TL.db"), "--format", "jsonl", "-o", str(log)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    into = tmp_path / os.fsdecode(b"ann\xe9e-\xff.db")
    done = subprocess.run(
        [str(CLI), "import", "jsonl", str(log), "--into", str(into)],
        capture_output=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout == b"log.jsonl: 25 records, 25 appended to " + os.fsencode(into) + b"\n"


# -- events: an empty filter value ----------------------------------------------------


@pytest.mark.parametrize("option", ["--place", "--actor"])
def test_events_refuses_an_empty_place_or_actor_as_state_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    """``--place "$PLACE"`` with the variable unset gives an empty value: it names no
    place, and is refused (status 2) as ``state --place ''`` refuses it, where events
    listed every record as if no filter had been given."""
    timeline = tmp_path / "TL.db"
    with Timeline.open(timeline) as made:
        made.append(*datasets.karabakh_oct_2020())
    what = option.removeprefix("--")
    status, out, err = cli(capsys, "events", timeline, option, "")
    assert (status, out) == (2, "")
    assert err == f"{PREFIX}{option}: unknown {what} '': no {what} has that id or name\n"


# -- export --format jsonl and --tz ---------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "said"),
    [
        ("Asia/Baku", "so it takes no --known-at, --kind, --between or --tz"),
        ("UTC", "so it takes no --known-at, --kind, --between or --tz"),
        ("Mars/Olympus", "--tz: unknown timezone 'Mars/Olympus'"),
    ],
)
def test_export_jsonl_refuses_a_tz_it_would_ignore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], zone: str, said: str
) -> None:
    """cli.md: JSON Lines "is the whole log as appended ... and refuses [the filters]
    rather than ignore them"; its zone is ignored as much, and was taken, a zone that
    is none (``Mars/Olympus``) included, with status 0. CSV still reads its dates in
    ``--tz``."""
    timeline = tmp_path / "TL.db"
    with Timeline.open(timeline) as made:
        made.append(*datasets.karabakh_oct_2020())
    log = tmp_path / "log.jsonl"
    jsonl = ("export", timeline, "--format", "jsonl")
    status, out, err = cli(capsys, *jsonl, "--tz", zone, "-o", log)
    assert (status, out) == (2, "")
    assert err.startswith(PREFIX)
    assert said in err
    assert not log.exists()
    status, _, err = cli(capsys, *jsonl, "-o", log)
    assert (status, err) == (0, f"wrote 25 rows to {log}\n")
    table = tmp_path / "attacks.csv"
    baku = ("--kind", "Attack", "--tz", "Asia/Baku", "-o", table)
    status, _, err = cli(capsys, "export", timeline, "--format", "csv", *baku)
    assert (status, err) == (0, f"wrote 3 rows to {table}\n")


def test_copy_of_a_datasets_table_says_which_import_to_run_as_verify_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A GED file given where a timeline is read gets the command that imports it, from
    ``copy`` (its source) as from ``verify``; copy said only "file is not a database"."""
    ged = tmp_path / "ged.csv"
    ged.write_bytes(GED.read_bytes())
    hint = (
        f"{ged}: not a conflict_timeline file (file is not a database); this is not a "
        "timeline but a table whose header looks like a file for the 'ucdp' importer: "
        f"conflict-timeline import ucdp {ged} --into TL.db"
    )
    for args in (("verify", ged), ("copy", ged, tmp_path / "new.db")):
        status, out, err = cli(capsys, *args)
        assert (status, out, err) == (4, "", f"{PREFIX}{hint}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ged.csv"]


def test_import_jsonl_of_a_timeline_file_says_how_to_add_its_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``import jsonl TL.db --into other.db`` (merging a colleague's timeline) gave
    only "line 1: not valid JSON"; it says the file is an SQLite file and what to run,
    as a dataset importer given a timeline does, and the way it names works."""
    timeline = tmp_path / "TL.db"
    with Timeline.open(timeline) as made:
        made.append(*datasets.karabakh_oct_2020())
    into = tmp_path / "other.db"
    status, out, err = cli(capsys, "import", "jsonl", timeline, "--into", into)
    assert (status, out) == (3, "")
    assert err.startswith(f"{PREFIX}{timeline}, line 1: not valid JSON: ")
    assert err.endswith(
        "; this is not JSON Lines but an SQLite file (a timeline?): to add a timeline's "
        f"records, export them first (conflict-timeline export {timeline} --format jsonl "
        f"-o records.jsonl) and import that into {into}; to copy it to a new file, "
        f"conflict-timeline copy {timeline} NEW.db\n"
    )
    assert not into.exists()
    records = tmp_path / "records.jsonl"
    status, _, _ = cli(capsys, "export", timeline, "--format", "jsonl", "-o", records)
    assert status == 0
    status, out, _ = cli(capsys, "import", "jsonl", records, "--into", into)
    assert (status, out) == (0, f"records.jsonl: 25 records, 25 appended to {into}\n")


def test_an_import_into_a_datasets_table_says_which_import_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file and the timeline swapped (``import ucdp TL.db --into ged.csv``): the
    table is refused as a timeline (status 5, left as it was), naming the import that
    reads it, as ``verify ged.csv`` does."""
    ged = tmp_path / "ged.csv"
    ged.write_bytes(GED.read_bytes())
    timeline = tmp_path / "TL.db"
    with Timeline.open(timeline) as made:
        made.append(*datasets.karabakh_oct_2020())
    status, out, err = cli(capsys, "import", "ucdp", timeline, "--into", ged)
    assert (status, out) == (5, "")
    assert err == (
        f"{PREFIX}{ged}: not a conflict_timeline file (file is not a database); this is "
        "not a timeline but a table whose header looks like a file for the 'ucdp' "
        f"importer: conflict-timeline import ucdp {ged} --into TL.db\n"
    )
    assert ged.read_bytes() == GED.read_bytes()


# -- -o a pipe: the shell's >(...) ----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said", "starts"),
    [
        (("export", "--format", "jsonl"), "wrote 25 rows to {out}\n", b'{"actor_kind"'),
        (("export", "--format", "parquet"), "wrote 25 rows to {out}\n", b"PAR1"),
        (("export", "--format", "csv", "--kind", "Attack"), "wrote 3 rows to {out}\n", b"pos"),
        (("render",), "", b"<!DOCTYPE html>"),
    ],
)
def test_an_output_that_is_a_pipe_is_written_into(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    said: str,
    starts: bytes,
) -> None:
    """``-o >(gzip > log.jsonl.gz)``: the shell names a pipe ``/dev/fd/63``, which is
    written into as ``/dev/stdout`` or a named FIFO is (cli.md: a target that is not a
    regular file is written without --force); it failed "cannot write: no such file or
    directory", as the pipe's resolved name (``pipe:[...]``) is no file."""
    timeline = tmp_path / "TL.db"
    with Timeline.open(timeline) as made:
        made.append(*datasets.karabakh_oct_2020())
    read, write = os.pipe()
    out = f"/dev/fd/{write}"
    try:
        status, stdout, err = cli(capsys, args[0], timeline, *args[1:], "-o", out)
    finally:
        os.close(write)
    with os.fdopen(read, "rb") as fh:
        written = fh.read()
    assert status == 0, err
    assert (stdout + err) == (said.format(out=out) or f"wrote {out}\n")
    assert written.startswith(starts)


def test_a_csv_export_of_several_kinds_into_a_pipe_asks_for_one_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pipe is one stream, as standard output is: no ``NAME.<Kind>.csv`` can be
    written beside it, and the export says what to do as it does for ``-o -``."""
    timeline = tmp_path / "TL.db"
    with Timeline.open(timeline) as made:
        made.append(*datasets.karabakh_oct_2020())
    read, write = os.pipe()
    try:
        status, out, err = cli(
            capsys, "export", timeline, "--format", "csv", "--kind", "Attack",
            "--kind", "Accusation", "-o", f"/dev/fd/{write}",
        )  # fmt: skip
    finally:
        os.close(write)
        os.close(read)
    assert (status, out) == (2, "")
    assert err == (
        f"{PREFIX}the export has 2 kinds of record (Accusation, Attack); name one with "
        "--kind, or give -o NAME.csv to write NAME.<Kind>.csv for each\n"
    )


def test_a_dataset_import_of_a_timeline_file_gives_advice_that_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``import ucdp TL.db --into other.db`` said "to copy a timeline into another, use
    copy SRC DST", which refuses a destination holding another history (status 5):
    the records are added through their JSON Lines export, and copy makes a new file."""
    timeline = tmp_path / "TL.db"
    with Timeline.open(timeline) as made:
        made.append(*datasets.karabakh_oct_2020())
    other = tmp_path / "other.db"
    with Timeline.open(other) as made:
        made.append(*datasets.karabakh_oct_2020()[:3])
        made.append(ActorDefined(id="unhcr", name="UNHCR", actor_kind="organization"))
    status, out, err = cli(capsys, "import", "ucdp", timeline, "--into", other)
    assert (status, out) == (3, "")
    assert (
        "to add a timeline's records to another, export them with `conflict-timeline "
        "export SRC --format jsonl -o records.jsonl` and `import jsonl` that (`copy SRC "
        "DST` copies it only to a new file)"
    ) in err
    assert cli(capsys, "copy", timeline, other)[0] == 5


def test_an_interrupted_checkpoint_says_how_many_states_it_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each view's state is saved whole, one after another, and used once saved: Ctrl-C
    half-way said only "interrupted", though some were saved. It says how many of the
    views asked for are (status 130), and a second run saves them all."""
    from conflict_timeline.views import _saved

    timeline = tmp_path / "TL.db"
    with Timeline.open(timeline) as made:
        made.append(*datasets.karabakh_oct_2020())
    save, calls = _saved.save, []

    def interrupted_at_the_third(*args: object, **kwargs: object) -> int:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return save(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_saved, "save", interrupted_at_the_third)
    status, out, err = cli(capsys, "checkpoint", timeline)
    assert (status, out) == (130, "")
    assert err == (
        f"{PREFIX}interrupted: 2 of 9 view state(s) are saved at position 25, and later "
        "commands use them; run checkpoint again to save the others\n"
    )
    monkeypatch.setattr(_saved, "save", save)
    status, out, _ = cli(capsys, "checkpoint", timeline)
    assert status == 0
    assert out.splitlines()[-1].startswith("9 view state(s) saved at position 25 in ")


@pytest.mark.parametrize("command", [("verify",), ("state", "--view", "gazetteer")])
def test_a_postgresql_connection_string_is_refused_without_repeating_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: tuple[str, ...],
) -> None:
    """postgres.md: a timeline on PostgreSQL is named by a URL; libpq's key=value form
    is refused saying so (exit status 4, it cannot be read), and the message does not
    repeat it, password and all."""
    monkeypatch.chdir(tmp_path)
    conninfo = "host=db dbname=team password=s3cret"
    status, out, err = cli(capsys, command[0], conninfo, *command[1:])
    assert (status, out) == (4, "")
    assert err == (
        f"{PREFIX}a PostgreSQL connection string (key=value pairs) is not a timeline file: "
        "write it as a URL, postgresql://USER@HOST:PORT/DBNAME (add ?timeline=NAME for a "
        "named timeline)\n"
    )
    assert list(tmp_path.iterdir()) == []


# -- a name that names nothing: the names that hold it ------------------------------


def test_a_place_or_actor_naming_nothing_lists_the_names_that_hold_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: a ``--place`` or ``--actor`` (``--accused``, ``--accuser``) that names
    nothing is refused, and when names (or aliases) of that sort hold what was given,
    in any case, the message lists up to five of them, shortest first, each with its
    id, and counts the others. GED names a city ``Aleppo town``: ``--place Aleppo``
    used to end at "no place has that id or name", with nothing to go on."""
    from conflict_timeline import PlaceDefined

    path = tmp_path / "TL.db"
    with Timeline.open(path) as timeline:
        timeline.append(
            PlaceDefined(id="sy", name="Syria", place_kind="country"),
            PlaceDefined(id="gov-a", name="Aleppo governorate", place_kind="region", parent="sy"),
            PlaceDefined(
                id="town-a", name="Aleppo town", place_kind="city", parent="gov-a",
                aliases=("Halab",),
            ),
            PlaceDefined(id="idlib", name="Idlib", place_kind="city", parent="sy"),
            ActorDefined(id="gos", name="Government of Syria", actor_kind="government"),
            *(
                ActorDefined(id=f"b{n}", name=f"Brigade {n}", actor_kind="armed_force")
                for n in range(1, 8)
            ),
        )  # fmt: skip

    def refusal(*args: str) -> str:
        status, out, err = refused(capsys, *args)
        assert (status, out) == (2, "")
        return err.removeprefix(PREFIX).removesuffix("\n")

    assert refusal("events", str(path), "--place", "aleppo") == (
        "--place: unknown place 'aleppo': no place has that id or name; "
        "names holding it: Aleppo town (town-a), Aleppo governorate (gov-a)"
    )
    assert refusal("events", str(path), "--place", "HALA") == (  # an alias holds it
        "--place: unknown place 'HALA': no place has that id or name; "
        "names holding it: Aleppo town (town-a)"
    )
    assert refusal("events", str(path), "--actor", "brigade") == (
        "--actor: unknown actor 'brigade': no actor has that id or name; "
        "names holding it: Brigade 1 (b1), Brigade 2 (b2), Brigade 3 (b3), Brigade 4 (b4), "
        "Brigade 5 (b5), and 2 more"
    )
    state = ("state", str(path), "--view", "reported-violations")
    assert refusal(*state, "--accused", "syria") == (  # the actors' names, not the places'
        "--accused: unknown actor 'syria': no actor has that id or name; "
        "names holding it: Government of Syria (gos)"
    )
    assert refusal("events", str(path), "--place", "Atlantis") == (
        "--place: unknown place 'Atlantis': no place has that id or name"
    )


# -- the help says what each filter takes ------------------------------------------


def test_states_help_names_what_each_filter_and_tz_takes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``state --help``: each filter's placeholder names what it takes, as ``events``
    names its ``--place PLACE`` and ``--actor ACTOR``: ``--basis`` takes a basis
    (alleged, candidate, observed), not an id, and ``--accused``, ``--accuser`` and
    ``--place`` an id or a name; they all read ``ID`` (``--basis ID``). ``--tz``
    says its default, UTC, as ``events --help`` does (cli.md: "UTC by default")."""
    status, out, _ = refused(capsys, "state", "--help")
    assert status == 0
    usage = " ".join(out.split("\n\n")[0].split())
    for option in (
        "[--commitment ID]",
        "[--accused ACTOR]",
        "[--accuser ACTOR]",
        "[--place PLACE]",
        "[--basis BASIS]",
    ):
        assert option in usage
    tz_help = " ".join(out.split("\n  --tz TZ", 1)[1].split("\n  --", 1)[0].split())
    assert tz_help == "the timezone dates are read in (default UTC)"
