"""The command line's rules, each against a value written by hand from
docs/howto/cli.md or the ``--help`` texts (a hand-planted mutation audit of
``_cli.py`` found them untested). The command is run in this process (``main``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import attrs
import orjson
import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    Commitment,
    Correction,
    Listing,
    Query,
    Record,
    Recorded,
    Source,
    Timeline,
    View,
    datasets,
    views,
)
from conflict_timeline._cli import main
from conflict_timeline.views import Table

DATA = Path(__file__).parent / "data"
NUMERIC = DATA / "acled-synthetic-numeric-inter.csv"
BAD_LATITUDE = DATA / "acled-synthetic-bad-latitude.csv"
PREFIX = "conflict-timeline: error: "


def cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_failed_import_into_an_existing_empty_timeline_keeps_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: "A failed import into a new file leaves no file behind; into an existing
    timeline, it leaves the file as it was", an empty one included."""
    path = tmp_path / "empty.db"
    Timeline.open(path).close()
    before = path.read_bytes()
    status, out, err = cli(capsys, "import", "acled", BAD_LATITUDE, "--into", path)
    assert (status, out) == (3, "")
    assert err.startswith(PREFIX + "acled-synthetic-bad-latitude.csv, line 5: latitude:")
    assert path.read_bytes() == before


def test_an_import_into_a_file_that_is_no_timeline_cannot_write_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md, exit status 5: "``import``'s timeline cannot be opened" (a file that is
    not a timeline), and the file is left as it was."""
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a timeline\n" * 10, encoding="utf-8")
    status, out, err = cli(capsys, "import", "acled", NUMERIC, "--into", path)
    assert (status, out) == (5, "")
    assert err == f"{PREFIX}{path}: not a conflict_timeline file (file is not a database)\n"
    assert path.read_text(encoding="utf-8") == "these are my notes, not a timeline\n" * 10


@pytest.mark.parametrize("refusals", [20, 21, 23])
def test_skip_bad_rows_lists_twenty_refusals_then_counts_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], refusals: int
) -> None:
    """cli.md: with ``--skip-bad-rows`` the good rows are imported, the refused ones
    listed on standard error with file, line, field and reason, and the status is 8;
    past twenty, one line counts the others."""
    header, first, *_ = NUMERIC.read_text(encoding="utf-8-sig").splitlines()
    bad = [
        first.replace("SYN1,", f"BAD{n},", 1).replace(",10.5,", ",abc,", 1)
        for n in range(refusals)
    ]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([header, first, *bad]) + "\n", encoding="utf-8")
    into = tmp_path / "tl.db"
    status, out, err = cli(capsys, "import", "acled", path, "--into", into, "--skip-bad-rows")
    assert status == 8
    refused = [line for line in err.splitlines() if line.startswith("refused: ")]
    assert refused == [
        *(f"refused: bad.csv, line {n}: latitude: 'abc' is not a number" for n in range(3, 23)),
        *([f"refused: ... and {refusals - 20} more rows"] if refusals > 20 else []),
    ]
    assert out.startswith(f"bad.csv: {refusals + 1} rows, 1 new records (Attack 1), ")
    assert f", {refusals} refused; " in out
    with Timeline.open(into, create=False) as timeline:
        assert timeline.get("acled:SYN1").position > 0


@pytest.fixture(scope="module")
def karabakh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worked example, as docs/howto/cli.md queries it."""
    path = tmp_path_factory.mktemp("karabakh") / "TL.db"
    with Timeline.open(path) as timeline:
        timeline.append(*datasets.karabakh_oct_2020())
    return path


def json_ids(capsys: pytest.CaptureFixture[str], *args: str | Path) -> list[str]:
    status, out, err = cli(capsys, *args, "--format", "json")
    assert (status, err) == (0, "")
    return [item["id"] for item in orjson.loads(out)["items"]]


def test_state_refuses_an_as_of_past_the_head(
    karabakh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: a position past the last one is a usage error naming it, not an answer
    of everything (a typo'd ``--as-of 250`` for 25); the last position itself is
    everything."""
    state = ("state", karabakh, "--view", "active-commitments")
    status, out, err = cli(capsys, *state, "--as-of", "26")
    assert (status, out) == (2, "")
    assert err == f"{PREFIX}--as-of 26: the timeline holds 25 records (positions 1-25)\n"
    assert json_ids(capsys, *state, "--as-of", "25") == json_ids(capsys, *state)


def test_state_passes_its_cuts_on(karabakh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``state``'s ``--at``, ``--known-at``, ``--as-of``, ``--certain`` and ``--tz``.
    The worked example's commitments: pact-1997 (1997, position 16), civilian-protection
    (from 2020-09-27 to the end of October, Yerevan time: over on the 31st at 20:00
    UTC) and russia-pledge (the 31st in Moscow: from the 30th at 21:00 UTC); the first
    two were known by 15 October (cli.md's second transcript)."""
    state = ("state", karabakh, "--view", "active-commitments")
    every = ["pact-1997", "civilian-protection", "russia-pledge"]
    assert json_ids(capsys, *state, "--at", "2020-10-31") == every
    assert json_ids(capsys, *state, "--at", "2020-10-31", "--known-at", "2020-10-15") == [
        "pact-1997"
    ]
    assert json_ids(capsys, *state, "--at", "2020-10-31", "--as-of", "16") == ["pact-1997"]
    assert json_ids(capsys, *state, "--at", "2020-10-31", "--as-of", "15") == []
    assert json_ids(capsys, *state, "--at", "2020-10-30") == every
    # Certainly by the end of the 30th: neither of the two later ones had ended.
    assert json_ids(capsys, *state, "--at", "2020-10-30", "--certain") == ["pact-1997"]
    # The end of the 30th at UTC+14 is 09:59 UTC: before the pledge.
    kiritimati = ("--at", "2020-10-30", "--tz", "Pacific/Kiritimati")
    assert json_ids(capsys, *state, *kiritimati) == ["pact-1997", "civilian-protection"]


def test_diff_passes_at_and_certain_on(karabakh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``diff``: both answers at ``--at``, counting only what certainly happened with
    ``--certain``. As known at 15 October only pact-1997 was; by the 31st all three."""
    diff = ("diff", karabakh, "--view", "active-commitments")
    known = ("--known-from", "2020-10-15", "--known-to", "2020-10-31", "--format", "json")

    def changes(*args: str) -> list[tuple[str, str]]:
        status, out, err = cli(capsys, *diff, *known, *args)
        assert (status, err) == (0, "")
        return [(c["id"], c["what"]) for c in orjson.loads(out)["changes"]]

    entered = [("civilian-protection", "entered"), ("russia-pledge", "entered")]
    assert changes("--at", "2020-10-30") == entered
    assert changes("--at", "2020-10-30", "--certain") == []
    assert changes("--at", "2020-09-01") == []


CERTAIN_HELP = (
    "replay only the records that certainly occurred by --at and were certainly reported "
    "by the knowledge cut (an extent's last instant, not its first): one that only "
    "possibly did is left out, an end too, so an answer can hold more, not only fewer"
)


def test_certain_replays_only_what_certainly_happened_so_an_answer_can_grow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``--certain`` replays only the records that certainly occurred by
    ``--at`` (``occurred``'s last instant by then, not its first), so a commitment
    whose end only possibly came by then is listed with it and not without it (more
    listed), and one only possibly made by then is listed without it and not with it
    (fewer listed). The help of ``state`` and ``diff`` says so, where it said "count
    only what certainly happened", which reads as always fewer."""
    from conflict_timeline import (
        Commitment,
        CommitmentEnded,
        CommitmentKind,
        EndReason,
        Source,
        TimeExtent,
    )

    def wire(day: str) -> tuple[Source, ...]:
        return (Source(publisher="Wire", published=day),)

    path = tmp_path / "tl.db"
    with Timeline.open(path) as timeline:
        timeline.append(
            *(
                Commitment(
                    id=cid,
                    occurred=TimeExtent.parse(made),
                    sources=wire("2020-10-01"),
                    commitment_kind=CommitmentKind.CEASEFIRE,
                    parties=("a", "b"),
                )
                for cid, made in (("made-in-spring", "2020-04"), ("made-in-october", "2020-10"))
            ),
            # made-in-spring ended some day of October: by the 15th only possibly.
            CommitmentEnded(
                id="spring-end",
                occurred=TimeExtent.parse("2020-10"),
                sources=wire("2020-11-01"),
                commitment="made-in-spring",
                reason=EndReason.COLLAPSED,
            ),
            strict=False,
        )
    state = ("state", path, "--view", "active-commitments", "--at", "2020-10-15")
    assert json_ids(capsys, *state) == ["made-in-october"]
    assert json_ids(capsys, *state, "--certain") == ["made-in-spring"]
    # The table's header says so too (it said "counting only what certainly happened").
    status, out, err = cli(capsys, *state, "--certain")
    assert (status, err) == (0, "")
    said = "replaying only records that certainly occurred and were reported by then: 1 entry"
    assert said in out.splitlines()[0]
    for command in ("state", "diff"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert CERTAIN_HELP in " ".join(capsys.readouterr().out.split())


def positions(capsys: pytest.CaptureFixture[str], *args: str | Path) -> list[int]:
    status, out, err = cli(capsys, *args, "--format", "json")
    assert (status, err) == (0, "")
    return sorted(entry["position"] for entry in orjson.loads(out))  # (replay order aside)


ATTACKS = [21, 22, 23]  # the worked example's three attacks: 2020-09-27..10-31, Yerevan


@pytest.mark.parametrize(
    ("span", "found"),
    [
        # Yerevan's 2020-10-31 ends at 20:00 UTC: overlapping UTC's 31st.
        (("2020-10-31", "2020-10-31"), ATTACKS),
        # A span inside the month: overlapping it, though it ends before the attacks may.
        (("2020-10-01", "2020-10-15"), ATTACKS),
        (("2020-09-26", "2020-09-26"), ATTACKS),  # Yerevan's 27th begins at 20:00 UTC
        (("2020-09-25", "2020-09-25"), []),
        (("2020-11-01", "2020-11-30"), []),
    ],
)
def test_events_between_keeps_what_overlaps_start_to_the_end_of_end(
    karabakh: Path, capsys: pytest.CaptureFixture[str], span: tuple[str, str], found: list[int]
) -> None:
    """cli.md: "``--between A B`` keeps those whose time overlaps A up to the end of
    B"."""
    args = ("events", karabakh, "--kind", "Attack", "--between", *span)
    assert positions(capsys, *args) == found


def test_events_says_when_its_limit_left_records_out(
    karabakh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: a table cut short by ``--limit`` says how many records there were; one
    the limit did not cut says its count alone."""
    status, out, _ = cli(capsys, "events", karabakh, "--kind", "Attack", "--limit", "2")
    assert status == 0
    assert out.splitlines()[-1] == "2 record(s) of 3 (--limit 2)"
    status, out, _ = cli(capsys, "events", karabakh, "--kind", "Attack", "--limit", "3")
    assert out.splitlines()[-1] == "3 record(s)"


def test_events_filters_by_kind_actor_place_and_limit(
    karabakh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: definitions are left out "unless ``--kind`` asks for them"; ``--actor``
    keeps the records referring to it (id or name), ``--place`` those at it or inside
    it; ``--limit N`` stops after N (0 or more)."""
    events = ("events", karabakh)
    assert positions(capsys, *events, "--kind", "ActorDefined") == list(range(1, 10))
    assert positions(capsys, *events, "--kind", "PlaceDefined") == list(range(10, 15))
    attacks = (*events, "--kind", "Attack")
    assert positions(capsys, *attacks, "--actor", "Azerbaijani forces") == ATTACKS
    assert positions(capsys, *attacks, "--actor", "russia") == []
    assert positions(capsys, *attacks, "--place", "nagorno-karabakh") == ATTACKS
    assert positions(capsys, *attacks, "--place", "Shushi") == [23]
    assert positions(capsys, *attacks, "--place", "armenia-territory") == []
    assert len(positions(capsys, *attacks, "--limit", "2")) == 2
    assert positions(capsys, *attacks, "--limit", "0") == []


@pytest.mark.parametrize(
    ("fmt", "given"),
    [
        ("jsonl", ("--known-at", "2020-10-15")),
        ("jsonl", ("--kind", "Attack")),
        ("jsonl", ("--between", "2020-10-01", "2020-10-31")),
        ("jsonl", ("--bom",)),
        ("timelinejs", ("--no-defuse",)),
        ("csv", ("--title", "A month")),
        ("jsonl", ("--title", "A month")),
        ("jsonl", ("--place", "Shushi")),
        ("timelinejs", ("--place", "Shushi")),
        ("timelinejs", ("--actor", "russia")),
    ],
)
def test_export_refuses_an_option_its_format_would_ignore(
    karabakh: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    given: tuple[str, ...],
) -> None:
    """cli.md: "TimelineJS honours ``--known-at`` and refuses the filters; JSON Lines is
    the whole log as appended ... and refuses all three rather than ignore them";
    ``--bom`` and ``--no-defuse`` are csv's (their help says "csv:"). A usage error:
    status 2, nothing written."""
    output = tmp_path / "out"
    status, out, err = cli(capsys, "export", karabakh, "--format", fmt, *given, "-o", output)
    assert (status, out) == (2, "")
    assert err.startswith(PREFIX)
    assert given[0] in err  # the option refused is named
    assert not output.exists()


def test_export_csv_and_parquet_keep_the_place_and_the_actor_asked(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``export --format csv`` (and parquet) take ``--place`` and ``--actor`` as
    ``events`` does: the records at the place or inside it (Shushi's shelling alone;
    the three attacks inside Nagorno-Karabakh), those that refer to the actor."""

    def ids(*given: str) -> list[str]:
        output = tmp_path / "attacks.csv"
        status, _, err = cli(
            capsys, "export", karabakh, "--format", "csv", "--kind", "Attack", *given,
            "-o", output, "--force",
        )  # fmt: skip
        assert status == 0, err
        with output.open(encoding="utf-8", newline="") as fh:
            return sorted(row["position"] for row in csv.DictReader(fh))

    assert ids("--place", "Shushi") == ["23"]
    assert ids("--place", "nagorno-karabakh") == [str(p) for p in ATTACKS]
    assert ids("--place", "armenia-territory") == []
    assert ids("--actor", "Azerbaijani forces") == [str(p) for p in ATTACKS]
    assert ids("--actor", "russia") == []


def test_timelinejs_honours_known_at(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: all 11 events (the 25 records less the 14 definitions); as known at 15
    October, the two then reported (the 1994 control change and the 1997 pact)."""
    output = tmp_path / "tl.json"
    status, _, err = cli(capsys, "export", karabakh, "--format", "timelinejs", "-o", output)
    assert (status, err) == (0, f"wrote 11 events to {output}\n")
    known = ("--known-at", "2020-10-15", "--force")
    status, _, err = cli(
        capsys, "export", karabakh, "--format", "timelinejs", *known, "-o", output
    )
    assert (status, err) == (0, f"wrote 2 events to {output}\n")
    assert len(orjson.loads(output.read_bytes())["events"]) == 2


def test_timelinejs_takes_the_kinds_and_the_span_asked(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: "TimelineJS honours ``--known-at``, ``--kind`` and ``--between``": the
    worked example's three attacks, and of 1997 the pact alone, its era within the
    year."""
    output = tmp_path / "tl.json"
    given = ("export", karabakh, "--format", "timelinejs", "-o", output, "--force")
    status, _, err = cli(capsys, *given, "--kind", "Attack")
    assert (status, err) == (0, f"wrote 3 events to {output}\n")
    data = orjson.loads(output.read_bytes())
    assert {e["group"] for e in data["events"]} == {"Attacks"}
    status, _, err = cli(capsys, *given, "--between", "1997-01-01", "1997-12-31")
    assert (status, err) == (0, f"wrote 1 event to {output}\n")
    data = orjson.loads(output.read_bytes())
    assert [e["unique_id"] for e in data["events"]] == ["pact-1997"]
    assert [(era["start_date"]["year"], era["end_date"]["year"]) for era in data["eras"]] == [
        (1997, 1997)
    ]
    # A kind TimelineJS never shows is a usage error, not an empty file.
    status, out, err = cli(capsys, *given, "--kind", "PlaceDefined")
    assert (status, out) == (2, "")
    assert err.startswith(f"{PREFIX}--kind: actors and places are no events")


def test_render_takes_the_smallest_width_and_no_less(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--width``: "at least 566" (reliability.md gives MIN_WIDTH, 566): 566 draws,
    565 is a usage error."""
    output = tmp_path / "tl.html"
    with pytest.raises(SystemExit) as exited:
        cli(capsys, "render", karabakh, "-o", output, "--width", "565")
    assert exited.value.code == 2
    assert "565 is too narrow: the chart needs at least 566 pixels" in capsys.readouterr().err
    assert not output.exists()
    status, out, _ = cli(capsys, "render", karabakh, "-o", output, "--width", "566")
    assert (status, out) == (0, f"wrote {output}\n")


def test_copy_refuses_a_batch_below_1(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``copy --batch``: records per transaction, at least 1 (status 2)."""
    target = tmp_path / "copy.db"
    status, out, err = cli(capsys, "copy", karabakh, target, "--batch", "0")
    assert (status, out) == (2, "")
    assert err == f"{PREFIX}--batch must be at least 1, got 0\n"
    assert not target.exists()
    status, out, _ = cli(capsys, "copy", karabakh, target, "--batch", "1", "--no-progress")
    assert status == 0
    assert out.startswith("copied 25 records; verified: 25 records")


def test_a_state_table_names_actors_as_known_at_known_at(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: a table names actors "from the timeline's ``ActorDefined`` and
    ``PlaceDefined`` records as known at ``--known-at``; one with no definition shows
    its id". Here the parties were defined from reports of 1 June only."""
    june = (Source(publisher="Reuters", published="2023-06-01"),)
    path = tmp_path / "tl.db"
    with Timeline.open(path) as timeline:
        timeline.append(
            ActorDefined(
                id="saf", name="Sudanese Armed Forces", actor_kind="armed_force", sources=june
            ),
            ActorDefined(
                id="rsf", name="Rapid Support Forces", actor_kind="armed_force", sources=june
            ),
            Commitment(
                id="jeddah",
                commitment_kind="ceasefire",
                parties=("saf", "rsf"),
                occurred="2023-05-20",
                sources=(Source(publisher="Reuters", published="2023-05-21"),),
            ),
        )
    state = ("state", path, "--view", "active-commitments", "--at", "2023-05-30")
    status, early, _ = cli(capsys, *state, "--known-at", "2023-05-25")
    assert status == 0
    assert "saf, rsf" in early
    assert "Sudanese Armed Forces" not in early
    status, later, _ = cli(capsys, *state, "--known-at", "2023-06-02")
    assert status == 0
    assert "Sudanese Armed Forces, Rapid Support Forces" in later
    # So does ``events``, in its ``what`` column.
    events = ("events", path, "--kind", "Commitment", "--format", "csv")
    for known_at, what in [
        ("2023-05-25", "Ceasefire: saf, rsf"),
        ("2023-06-02", "Ceasefire: Sudanese Armed Forces, Rapid Support Forces"),
    ]:
        status, out, _ = cli(capsys, *events, "--known-at", known_at)
        assert status == 0
        assert list(csv.reader(io.StringIO(out)))[1][4] == what


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_an_output_onto_sqlites_files_beside_the_timeline_is_refused(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    """An output that is the timeline itself is refused even with ``--force``; so is
    one of SQLite's files beside it (``TL.db-wal``...: the timeline's own, as
    ``_same_file`` says), exit status 5, the file left as it was."""
    path = tmp_path / "TL.db"
    path.write_bytes(karabakh.read_bytes())
    beside = tmp_path / f"TL.db{suffix}"
    beside.write_bytes(b"")
    status, out, err = cli(capsys, "export", path, "--format", "jsonl", "-o", beside, "--force")
    assert (status, out) == (5, "")
    assert err == f"{PREFIX}{beside}: is the timeline {path} itself; refusing to write over it\n"
    # Nothing was written to it (SQLite itself removes its -wal and -shm on closing).
    assert not beside.exists() or beside.read_bytes() == b""


def test_render_draws_what_was_known_at_known_at(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``render --known-at``: "draw what was known then". The attacks were reported on
    31 October, the 1997 pact long before."""
    everything, known = tmp_path / "all.html", tmp_path / "known.html"
    assert cli(capsys, "render", karabakh, "-o", everything)[0] == 0
    assert cli(capsys, "render", karabakh, "-o", known, "--known-at", "2020-10-15")[0] == 0
    assert "stepanakert-market" in everything.read_text(encoding="utf-8")
    drawn = known.read_text(encoding="utf-8")
    assert "stepanakert-market" not in drawn
    assert "pact-1997" in drawn


def test_state_resolves_names_with_every_filter_given(
    karabakh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``reported-violations`` takes ``--commitment``, ``--accused``,
    ``--accuser``, ``--place`` (names or ids), ``--basis`` and ``--between``, all at
    once too: of the three entries at 31 October (cli.md's table), the accusation by
    the Nagorno-Karabakh authorities is the alleged one, its incidents in Stepanakert."""
    filters = (
        "--commitment", "civilian-protection", "--accused", "Azerbaijani forces",
        "--accuser", "nk-authorities", "--place", "Stepanakert", "--basis", "alleged",
        "--between", "2020-10-01", "2020-10-31",
    )  # fmt: skip
    state = ("state", karabakh, "--view", "reported-violations", "--at", "2020-10-31")
    assert json_ids(capsys, *state, *filters) == ["alleged:nk-accusation:civilian-protection"]


def test_a_csv_export_of_several_kinds_refuses_one_existing_file_before_writing_any(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: with ``-o table.csv`` and several kinds, the files are "each checked
    before any is written": one existing (no ``--force``) is refused, exit status 5,
    and no other file is written."""
    kept = tmp_path / "t.Statement.csv"
    kept.write_text("mine\n", encoding="utf-8")
    status, out, err = cli(capsys, "export", karabakh, "--format", "csv", "-o", tmp_path / "t.csv")
    assert (status, out) == (5, "")
    assert err == f"{PREFIX}{kept}: exists; pass --force to replace it\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.Statement.csv"]
    assert kept.read_text(encoding="utf-8") == "mine\n"


def test_events_between_keeps_an_instant_at_the_first_instant_of_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: "``--between A B`` keeps those whose time overlaps A": an event at the
    first instant of A (midnight, UTC) overlaps it; one at the last instant before A
    does not."""
    path = tmp_path / "edge.db"
    with Timeline.open(path) as timeline:
        timeline.append(
            Attack(id="at-midnight", occurred="2020-10-01T00:00:00Z", reported="2020-10-02"),
            Attack(
                id="just-before", occurred="2020-09-30T23:59:59.999999Z", reported="2020-10-02"
            ),
            strict=False,
        )
    status, out, err = cli(
        capsys, "events", path, "--between", "2020-10-01", "2020-10-01", "--format", "json"
    )
    assert (status, err) == (0, "")
    assert [entry["record"]["id"] for entry in orjson.loads(out)] == ["at-midnight"]
    target = tmp_path / "out.csv"
    status, _, err = cli(
        capsys,
        "export",
        path,
        "--format",
        "csv",
        "--between",
        "2020-10-01",
        "2020-10-01",
        "-o",
        target,
    )
    assert (status, err) == (0, f"wrote 1 row to {target}\n")
    assert "at-midnight" in target.read_text(encoding="utf-8")
    assert "just-before" not in target.read_text(encoding="utf-8")


def test_csv_bom_begins_every_file_of_an_export_by_kind(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: "``export --format csv --bom`` begins each file with a UTF-8 byte order
    mark", each of the files of an export by kind too."""
    target = tmp_path / "t.csv"
    status, _, err = cli(capsys, "export", karabakh, "--format", "csv", "--bom", "-o", target)
    assert status == 0, err
    files = sorted(tmp_path.glob("t*.csv"))
    assert len(files) > 1
    for each in files:
        assert each.read_bytes().startswith(b"\xef\xbb\xbf"), each.name


def test_state_filters_take_the_names_known_at_known_at(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: a filter's name is read as the table names things, as known at
    ``--known-at``: the force's name before its June renaming is taken at a May cut,
    and the alias learned only in June is not."""
    path = tmp_path / "tl.db"

    def wire(day: str) -> tuple[Source, ...]:
        return (Source(publisher="Wire", published=day),)

    with Timeline.open(path) as timeline:
        timeline.append(
            ActorDefined(id="bor", name="Borduria", actor_kind="state"),
            ActorDefined(
                id="bor-army", name="Bordurian Army", actor_kind="armed_force", affiliation="bor"
            ),
            Commitment(
                id="cf",
                occurred="2021-03-01",
                sources=wire("2021-03-01"),
                commitment_kind="ceasefire",
                parties=("bor",),
                prohibits=("any_attack",),
            ),
            Attack(
                id="shell",
                occurred="2021-03-20",
                sources=wire("2021-03-21"),
                perpetrator="bor-army",
            ),
            Correction(
                id="rename",
                occurred="2021-06-01",
                sources=wire("2021-06-01"),
                corrects="bor-army",
                replacement=ActorDefined(
                    id="bor-army",
                    name="Bordurian Armed Forces",
                    actor_kind="armed_force",
                    affiliation="bor",
                    aliases=("BAF",),
                ),
            ),
        )
    may = ("state", path, "--view", "reported-violations", "--known-at", "2021-05-31")
    status, out, _ = cli(capsys, *may)
    assert status == 0
    assert "Bordurian Army" in out  # what the May table calls the accused
    status, out, err = cli(capsys, *may, "--accused", "Bordurian Army", "--format", "json")
    assert (status, err) == (0, "")
    answer = orjson.loads(out)
    assert answer["filters"] == {"accused": ["bor-army"]}
    assert [e["evidence"] for e in answer["items"]] == ["shell"]
    # "BAF" was no name of anyone's by 31 May: refused, as any name that names no one.
    status, out, err = cli(capsys, *may, "--accused", "BAF")
    assert (status, out) == (2, "")
    assert "--accused" in err
    assert "'BAF'" in err
    # Known in full (no --known-at), the alias names the force.
    status, out, err = cli(
        capsys, "state", path, "--view", "reported-violations", "--accused", "BAF"
    )
    assert (status, err) == (0, "")


def test_tables_show_control_characters_escaped_never_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: a table cell shows a control character of a record's text (ESC, DEL, a
    C1 code) as its escape, so the text cannot move the cursor, recolour or rewrite
    the terminal's lines; white space runs as one space."""
    path = tmp_path / "tl.db"
    wire = (Source(publisher="Wire\x9b2J", published="2021-01-02"),)
    with Timeline.open(path) as timeline:
        timeline.append(
            ActorDefined(id="bor", name="Borduria\x1b[2K\rcf  NOBODY", actor_kind="state"),
            Commitment(
                id="cf",
                occurred="2021-01-01",
                sources=wire,
                commitment_kind="ceasefire",
                parties=("bor",),
                prohibits=("any_attack",),
            ),
            Attack(id="x", occurred="2021-01-02", sources=wire, target="\x1b[8mhidden\x7f"),
        )
    for command in (("state", path, "--view", "active-commitments"), ("events", path)):
        status, out, _ = cli(capsys, *command)
        assert status == 0
        assert not any(c in out for c in "\x1b\x7f\x9b\r")
    _, out, _ = cli(capsys, "state", path, "--view", "active-commitments")
    assert "Borduria\\x1b[2K cf NOBODY" in out
    assert "Wire\\x9b2J" in out
    _, out, _ = cli(capsys, "events", path)
    assert "\\x1b[8mhidden\\x7f" in out


class _PlaceIds(View[tuple[str, ...], Any]):
    """A third-party view whose answer is a tuple of place ids."""

    kinds: ClassVar[frozenset[str]] = frozenset({"PlaceDefined"})

    def initial(self) -> tuple[str, ...]:
        return ()

    def apply(self, state: tuple[str, ...], recorded: Recorded) -> tuple[str, ...]:
        return tuple(sorted((*state, recorded.record.id)))

    def result(self, state: tuple[str, ...], query: Query) -> Any:
        return state


class _Clashing(_PlaceIds):
    def result(self, state: tuple[str, ...], query: Query) -> Any:
        return {"view": "mine", "filters": "mine", "count": len(state)}


class _OneClashingKey(_PlaceIds):
    """A mapping with one of the command's keys: ``key`` alone."""

    key = "filters"

    def result(self, state: tuple[str, ...], query: Query) -> Any:
        return {self.key: "mine", "count": len(state)}


class _ViewKey(_OneClashingKey):
    key = "view"


@attrs.frozen
class _Numbered:
    ids: tuple[str, ...]
    short: bool = False

    def table(self) -> Table:
        rows = tuple((place, n, None) for n, place in enumerate(self.ids, 1))
        if self.short:
            rows = (*rows, ("one cell",))  # type: ignore[assignment]
        return Table(("place", "n", "note"), rows)  # type: ignore[arg-type]


class _NumberedView(_PlaceIds):
    def result(self, state: tuple[str, ...], query: Query) -> Any:
        return _Numbered(state)


class _ShortRowView(_PlaceIds):
    def result(self, state: tuple[str, ...], query: Query) -> Any:
        return _Numbered(state, short=True)


@pytest.fixture
def third_party_views() -> Any:
    names = {
        "place-ids-tuple": _PlaceIds,
        "clashing-keys": _Clashing,
        "filters-key": _OneClashingKey,
        "view-key": _ViewKey,
        "numbered-cells": _NumberedView,
        "short-row": _ShortRowView,
    }
    for name, view in names.items():
        views.register_view(name, view)
    yield names
    for name in names:
        views.unregister_view(name)


def test_a_third_party_answer_prints_whatever_its_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], third_party_views: Any
) -> None:
    """views.md: JSON works for any result: one that is no mapping, or has a key of the
    command's own ("view", "filters"), is given whole under "result"; a table's
    cells that are numbers or None are shown as text; a row with too few cells is
    refused (exit status 2) naming the row."""
    path = tmp_path / "tl.db"
    with Timeline.open(path) as timeline:
        timeline.append(*datasets.karabakh_oct_2020())
        places = sorted(
            r.record.id for r in timeline.store.read() if r.record.KIND == "PlaceDefined"
        )
    status, out, err = cli(capsys, "state", path, "--view", "place-ids-tuple", "--format", "json")
    assert (status, err) == (0, "")
    assert orjson.loads(out) == {"view": "place-ids-tuple", "filters": {}, "result": places}
    status, out, _ = cli(capsys, "state", path, "--view", "clashing-keys", "--format", "json")
    assert status == 0
    assert orjson.loads(out) == {
        "view": "clashing-keys",
        "filters": {},
        "result": {"view": "mine", "filters": "mine", "count": len(places)},
    }
    # Either key alone is enough: the command's own "filters" (or "view") is kept.
    for name, key in (("filters-key", "filters"), ("view-key", "view")):
        status, out, _ = cli(capsys, "state", path, "--view", name, "--format", "json")
        assert status == 0
        assert orjson.loads(out) == {
            "view": name,
            "filters": {},
            "result": {key: "mine", "count": len(places)},
        }
    status, out, err = cli(capsys, "state", path, "--view", "numbered-cells")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"numbered-cells: everything recorded: {len(places)} entries"
    assert lines[3].split() == [places[0], "1"]  # None shows as an empty cell
    status, out, err = cli(capsys, "state", path, "--view", "short-row")
    assert (status, out) == (2, "")
    assert err == (
        f"{PREFIX}the view 'short-row' gives a table whose row {len(places) + 1} has 1 "
        "cells for 3 columns\n"
    )


def test_a_jsonl_line_the_store_refuses_is_named_by_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: a line of a JSON Lines file the store refuses (an id stored with other
    content, a reference to no record) is named by the file and its line, and nothing
    is imported."""
    path = tmp_path / "tl.db"
    with Timeline.open(path) as timeline:
        timeline.append(ActorDefined(id="x", name="X", actor_kind="state"))
    good = [
        {"kind": "ActorDefined", "id": f"a{i}", "name": f"A{i}", "actor_kind": "state"}
        for i in range(5)
    ]
    cases = {
        "dup.jsonl": (
            {"kind": "ActorDefined", "id": "x", "name": "Other X", "actor_kind": "state"},
            (
                "dup.jsonl, line 6: ActorDefined 'x': a different record with this id is "
                "already stored, at position 1; records are immutable, append a Correction "
                "to change it"
            ),
        ),
        "ref.jsonl": (
            {"kind": "Attack", "id": "atk", "occurred": "2021-03", "perpetrator": "ghost"},
            (
                "ref.jsonl, line 6: Attack 'atk': perpetrator: unknown actor id 'ghost' (not "
                "in the store nor earlier in this batch); append it first, or pass "
                "--allow-unresolved"
            ),
        ),
    }
    for name, (bad, said) in cases.items():
        log = tmp_path / name
        log.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in (*good, bad)))
        status, out, err = cli(capsys, "import", "jsonl", log, "--into", path)
        assert (status, out) == (3, "")
        assert err == f"{PREFIX}{said}\n"
    with Timeline.open(path) as timeline:
        assert timeline.store.head() == 1  # nothing of either file


@attrs.frozen
class _PlaceRow:
    id: str
    table_columns: ClassVar[tuple[str, ...]] = ("place",)

    def table_row(self) -> tuple[str, ...]:
        return (self.id,)


class _PlaceListing(_PlaceIds):
    """A third-party view listing places, its result annotated with what it lists."""

    def result(self, state: tuple[str, ...], query: Query) -> Listing[_PlaceRow]:
        return Listing(tuple(_PlaceRow(p) for p in state), query)


class _UnsaidPlaceListing(_PlaceIds):
    """The same listing, its result saying nothing of what it lists."""

    def result(self, state: tuple[str, ...], query: Query) -> Any:
        return Listing(tuple(_PlaceRow(p) for p in state), query)


EMPTY_CSV_HEADERS = {  # the columns each built-in view's table heads its entries with
    "active-commitments": "id,kind,parties,since,sources",
    "agreements": "id,title,signatories,mediators,guarantors,provisions",
    "casualty-estimates": "claimant,category,measure,place,figure,as of,sources",
    "commitment-history": "id,kind,effective,until,status,ended",
    "open-requests": "id,requester,requested of,invokes,open,responses",
    "reported-violations": (
        "commitment,basis,evidence,occurred,accused,evidence status,reported,sources"
    ),
    "request-log": "id,requester,requested of,invokes,open,responses",
    "triggered-commitments": "id,triggered,attacks,explanation",
}


def test_state_as_csv_of_an_empty_answer_writes_the_views_header(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``state --format csv`` of an answer with no entries writes the header
    row of the view's columns all the same (it wrote a bare CRLF), for every built-in
    view and a third party's whose ``result`` says what it lists
    (``-> Listing[Entry]``); a view that does not say has no fixed columns, and
    writes an empty line."""
    for view, header in EMPTY_CSV_HEADERS.items():
        state = ("state", karabakh, "--view", view, "--format", "csv")
        status, out, err = cli(capsys, *state, "--at", "1990-01-01", "--known-at", "1990-01-01")
        assert (status, err) == (0, ""), view
        assert out == f"{header}\r\n", view
    names = {"place-listing": _PlaceListing, "unsaid-place-listing": _UnsaidPlaceListing}
    for name, view_class in names.items():
        views.register_view(name, view_class)
    try:
        empty = tmp_path / "empty.db"
        Timeline.open(empty).close()
        for name, written in (("place-listing", "place\r\n"), ("unsaid-place-listing", "\r\n")):
            status, out, err = cli(capsys, "state", empty, "--view", name, "--format", "csv")
            assert (status, out, err) == (0, written, ""), name
        # With entries, each heads its rows with the entries' columns.
        for name in names:
            status, out, err = cli(capsys, "state", karabakh, "--view", name, "--format", "csv")
            assert (status, err) == (0, "")
            assert out.startswith("place\r\narmenia-territory\r\n")
    finally:
        for name in names:
            views.unregister_view(name)


def test_state_writes_the_tables_columns_as_csv_with_the_ids_kept(
    karabakh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``state --format csv``: the table's columns, a row an entry, actors and
    places by id (as JSON keeps them; the table shows names), CRLF rows as the CSV
    export writes them. The README's three reported violations of 31 October."""
    status, out, err = cli(
        capsys,
        "state",
        karabakh,
        "--view",
        "reported-violations",
        "--at",
        "2020-10-31",
        "--tz",
        "Asia/Yerevan",
        "--format",
        "csv",
    )
    assert (status, err) == (0, "")
    assert out.count("\r\n") == 4
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "commitment",
        "basis",
        "evidence",
        "occurred",
        "accused",
        "evidence status",
        "reported",
        "sources",
    ]
    # occurred: each incident's extent as the records give it (the worked example's
    # three attacks, each dated to the fighting's month so far), "; " between them.
    month = "2020-09-27..2020-10-31 (month, Asia/Yerevan)"
    assert [row[:5] for row in rows[1:]] == [
        [
            "civilian-protection",
            "alleged",
            "nk-accusation",
            f"{month}; {month}; {month}",
            "azerbaijani-forces",
        ],
        ["civilian-protection", "candidate", "stepanakert-market", month, "azerbaijani-forces"],
        [
            "civilian-protection",
            "candidate",
            "stepanakert-residential",
            month,
            "azerbaijani-forces",
        ],
    ]


def test_state_as_csv_defuses_a_cell_a_spreadsheet_would_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A source's publisher written ``=HYPERLINK(...)`` reaches the sources column with
    a leading apostrophe (OWASP's rule, as the CSV export applies it)."""
    path = tmp_path / "TL.db"
    with Timeline.open(path) as timeline:
        timeline.append(
            ActorDefined(id="a", name="A", actor_kind="state"),
            ActorDefined(id="b", name="B", actor_kind="state"),
            Commitment(
                id="truce",
                commitment_kind="ceasefire",
                parties=("a", "b"),
                occurred="2020-10-10",
                sources=(Source(publisher='=HYPERLINK("http://x")', published="2020-10-10"),),
            ),
        )
    status, out, err = cli(
        capsys,
        "state",
        path,
        "--view",
        "active-commitments",
        "--at",
        "2020-10-11",
        "--format",
        "csv",
    )
    assert (status, err) == (0, "")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[1][0] == "truce"
    assert rows[1][rows[0].index("sources")] == '\'=HYPERLINK("http://x")'


def _headlined_answers(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    answer: Callable[[str, str], Record],
) -> dict[str, str]:
    """The worked example with ``answer`` (a denial or confirmation made of its id and
    the id it answers) of the 2 October accusation (``<kind>-claim``) and of an id
    nothing holds (``<kind>-ghost``): the ``what`` of each in ``events``, the same
    whether chosen by ``--kind``, by ``--between`` or by no filter."""
    path = tmp_path / "tl.db"
    with Timeline.open(path) as timeline:
        timeline.extend(datasets.karabakh_oct_2020())
        for name, answered in (("claim", "nk-accusation"), ("ghost", "ghost")):
            timeline.append(answer(name, answered), strict=False)
    kind = answer("claim", "nk-accusation").KIND
    found: list[dict[str, str]] = []
    for filters in (("--kind", kind), ("--between", "2020-11-01", "2020-11-30"), ()):
        status, out, err = cli(capsys, "events", path, *filters, "--format", "csv")
        assert (status, err) == (0, "")
        rows = {row[2]: row for row in csv.reader(io.StringIO(out))}
        what = rows["id"].index("what")
        found.append(
            {rid: row[what] for rid, row in rows.items() if rid.endswith(("-claim", "-ghost"))}
        )
    assert found[1:] == [found[0], found[0]]
    return found[0]


def test_events_headline_a_denial_by_what_it_denies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``events`` headlines a denial by the kind and headline of what it
    denies, whatever filters chose the denial (the denied record is read as known,
    while the command holds the timeline open), and by its id when the timeline does
    not hold it."""
    from conflict_timeline import Denial, TimeExtent

    def denial(name: str, denied: str) -> Record:
        return Denial(
            id=f"denies-{name}",
            occurred=TimeExtent.parse("2020-11-02"),
            sources=(Source(publisher="Wire", published="2020-11-02"),),
            denier="azerbaijan",
            denies=denied,
        )

    said = 'Azerbaijan denies the accusation "Nagorno-Karabakh authorities accuses Azerbaijani'
    assert _headlined_answers(tmp_path, capsys, denial) == {
        "denies-claim": f'{said} forces"',
        "denies-ghost": "Azerbaijan denies ghost",
    }


def test_events_headline_a_confirmation_by_what_it_confirms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``events`` headlines a confirmation as a denial, by the kind and
    headline of what it confirms, whatever filters chose it, and by its id when the
    timeline does not hold it."""
    from conflict_timeline import Confirmation, TimeExtent

    def confirmation(name: str, confirmed: str) -> Record:
        return Confirmation(
            id=f"confirms-{name}",
            occurred=TimeExtent.parse("2020-11-02"),
            sources=(Source(publisher="Wire", published="2020-11-02"),),
            confirmer="minsk-group",
            confirms=confirmed,
        )

    said = 'Minsk Group co-chairs confirms the accusation "Nagorno-Karabakh authorities accuses'
    assert _headlined_answers(tmp_path, capsys, confirmation) == {
        "confirms-claim": f'{said} Azerbaijani forces"',
        "confirms-ghost": "Minsk Group co-chairs confirms ghost",
    }


def test_events_headline_a_commitment_end_by_its_commitment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``events`` headlines an end "End of <kind>: <parties> (<reason>)",
    whatever filters chose it. The commitments an end is named by are read while the
    command holds the timeline open (they were read after it was closed: "this
    SQLiteStore is closed", exit status 1, for any listing holding an end)."""
    from conflict_timeline import CommitmentEnded, EndReason, TimeExtent, datasets

    path = tmp_path / "tl.db"
    with Timeline.open(path) as timeline:
        timeline.extend(datasets.karabakh_oct_2020())
        timeline.append(
            CommitmentEnded(
                id="pact-1997-end",
                occurred=TimeExtent.parse("2020-11-10"),
                reported=TimeExtent.parse("2020-11-10"),
                commitment="pact-1997",
                reason=EndReason.EXPIRED,
            )
        )
    end = "End of mutual defense: Armenia, Russia (expired)"
    status, out, err = cli(capsys, "events", path, "--kind", "CommitmentEnded")
    assert (status, err) == (0, "")
    assert end in out
    status, out, err = cli(capsys, "events", path, "--between", "2020-11-01", "2020-11-30")
    assert (status, err) == (0, "")
    assert end in out
    status, out, err = cli(capsys, "events", path, "--known-at", "2020-12-01", "--limit", "50")
    assert (status, err) == (0, "")
    assert end in out
