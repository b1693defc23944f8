"""The command line's rules a third hand-planted mutation audit of ``_cli.py`` found
untested, each against a value written by hand from docs/howto/cli.md, the module
docstring or the ``--help`` texts. The command is run in this process (``main``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import attrs
import orjson
import pytest

import test_cli_rules
from conflict_timeline import (
    Accusation,
    ActorDefined,
    Attack,
    Commitment,
    Correction,
    Retraction,
    Timeline,
    datasets,
)
from test_cli_rules import DATA, NUMERIC, PREFIX, cli

karabakh = test_cli_rules.karabakh  # the worked example, as docs/howto/cli.md queries it


# -- import: the flags passed on to the importer ------------------------------------


def test_import_encoding_reads_the_file_in_that_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--encoding``: "the file's encoding, e.g. cp1252 for a file Excel saved on
    Windows (default UTF-8; never guessed)". A cp1252 file imports with its accented
    source name as written."""
    text = NUMERIC.read_text(encoding="utf-8-sig").replace("Synthetic Daily", "Quotidien armé")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(text.encode("cp1252"))
    into = tmp_path / "tl.db"
    status, out, _ = cli(capsys, "import", "acled", latin, "--into", into, "--encoding", "cp1252")
    assert status == 0
    assert out.startswith("latin.csv: 8 rows, 6 new records (Attack 4, Statement 2), ")
    with Timeline.open(into, create=False) as timeline:
        publishers = [s.publisher for s in timeline.get("acled:SYN1").record.sources]
    assert publishers[0] == "Quotidien armé"


def test_import_source_name_names_the_publisher_on_acled_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--source-name``: "the publisher named on ACLED sources (default ACLED)"."""
    into = tmp_path / "tl.db"
    mirror = ("--source-name", "ACLED via our mirror")
    status, _, _ = cli(capsys, "import", "acled", NUMERIC, "--into", into, *mirror)
    assert status == 0
    with Timeline.open(into, create=False) as timeline:
        publishers = [s.publisher for s in timeline.get("acled:SYN1").record.sources]
    assert publishers == ["Synthetic Daily", "Example Radio", "ACLED via our mirror"]


# -- state and diff: the names a table shows, the cuts passed on ---------------------


@pytest.fixture(scope="module")
def jeddah(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two ceasefires of Sudan's parties, whose definitions were reported on 1 June at
    03:00 UTC, after them (positions 3 and 4); the older truce retracted on 31 May at
    03:00 UTC (position 5)."""
    path = tmp_path_factory.mktemp("jeddah") / "TL.db"
    with Timeline.open(path) as timeline:
        timeline.append(
            Commitment(
                id="jeddah",
                commitment_kind="ceasefire",
                parties=("saf", "rsf"),
                occurred="2023-05-20",
                reported="2023-05-21",
            ),
            Commitment(
                id="old-truce",
                commitment_kind="ceasefire",
                parties=("saf", "rsf"),
                occurred="2023-05-01",
                reported="2023-05-02",
            ),
            ActorDefined(
                id="saf",
                name="Sudanese Armed Forces",
                actor_kind="armed_force",
                reported="2023-06-01T03:00:00Z",
            ),
            ActorDefined(
                id="rsf",
                name="Rapid Support Forces",
                actor_kind="armed_force",
                reported="2023-06-01T03:00:00Z",
            ),
            Retraction(
                id="no-truce",
                retracts="old-truce",
                occurred="2023-05-31",
                reported="2023-05-31T03:00:00Z",
            ),
            strict=False,
        )
    return path


NAMES = "Sudanese Armed Forces, Rapid Support Forces"


def parties(out: str, entry: str) -> str:
    """The parties cell of ``entry``'s row of a state table."""
    (line,) = [line for line in out.splitlines() if line.startswith(entry + " ")]
    return line.split("  ceasefire  ")[1].split("  ")[0].strip()


def test_a_state_table_reads_known_at_in_tz_for_its_names(
    jeddah: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Dates are read in ``--tz``, the names' ``--known-at`` too: the end of 31 May in
    Los Angeles is 1 June 06:59 UTC, after the definitions (03:00 UTC); in UTC it is
    before them."""
    state = ("state", jeddah, "--view", "active-commitments", "--at", "2023-05-30")
    status, out, _ = cli(capsys, *state, "--known-at", "2023-05-31")
    assert status == 0
    assert parties(out, "jeddah") == "saf, rsf"
    status, out, _ = cli(capsys, *state, "--known-at", "2023-05-31", "--tz", "America/Los_Angeles")
    assert status == 0
    assert parties(out, "jeddah") == NAMES


def test_diff_marks_what_entered_and_left_naming_actors_as_known_to(
    jeddah: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``diff`` says "what entered, left or changed in a view as knowledge
    grew"; its table names actors as the state table does, from the definitions known
    at the later cut, ``--known-to``. Between 15 May and 2 June, jeddah entered and the
    retracted truce left; the parties were defined on 1 June."""
    diff = ("diff", jeddah, "--view", "active-commitments", "--at", "2023-05-30")
    known = ("--known-from", "2023-05-15", "--known-to", "2023-06-02")
    status, out, err = cli(capsys, *diff, *known)
    assert (status, err) == (0, "")
    first, *lines = out.splitlines()
    assert first == (
        "active-commitments: 2 changes from at 2023-05-30T23:59:59.999999+00:00, as known "
        "at 2023-05-15T23:59:59.999999+00:00 to at 2023-05-30T23:59:59.999999+00:00, as "
        "known at 2023-06-02T23:59:59.999999+00:00"
    )
    assert lines[0].split() == ["change", "id", "kind", "parties", "since", "sources"]
    assert [line.split()[:3] for line in lines[2:]] == [
        ["+", "entered", "jeddah"],
        ["-", "left", "old-truce"],
    ]
    assert NAMES in lines[2]
    assert NAMES in lines[3]


def test_diff_json_says_from_what_to_what(
    jeddah: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``diff --format json``: the earlier answer's cuts as ``from``, the later's as
    ``to``; each change with its entry before and after."""
    diff = ("diff", jeddah, "--view", "active-commitments", "--at", "2023-05-30")
    known = ("--known-from", "2023-05-15", "--known-to", "2023-06-02", "--format", "json")
    status, out, _ = cli(capsys, *diff, *known)
    assert status == 0
    payload = orjson.loads(out)
    at = "at 2023-05-30T23:59:59.999999+00:00"
    assert payload["from"] == f"{at}, as known at 2023-05-15T23:59:59.999999+00:00"
    assert payload["to"] == f"{at}, as known at 2023-06-02T23:59:59.999999+00:00"
    assert [(c["id"], c["what"]) for c in payload["changes"]] == [
        ("jeddah", "entered"),
        ("old-truce", "left"),
    ]
    assert payload["changes"][0]["before"] is None
    assert payload["changes"][1]["after"] is None


def test_diff_reads_its_dates_in_tz(jeddah: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``diff --tz``: "the zone dates are read in". The truce's retraction (31 May,
    03:00 UTC) is known by the end of 30 May in Los Angeles (31 May, 06:59 UTC), not by
    its end in UTC."""
    diff = ("diff", jeddah, "--view", "active-commitments", "--at", "2023-05-30")
    known = ("--known-from", "2023-05-15", "--known-to", "2023-05-30", "--format", "json")

    def changes(*args: str) -> list[tuple[str, str]]:
        status, out, err = cli(capsys, *diff, *known, *args)
        assert (status, err) == (0, "")
        return [(c["id"], c["what"]) for c in orjson.loads(out)["changes"]]

    assert changes() == [("jeddah", "entered")]
    assert changes("--tz", "America/Los_Angeles") == [
        ("jeddah", "entered"),
        ("old-truce", "left"),
    ]


def test_events_and_timelinejs_read_known_at_in_tz(
    jeddah: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``events`` and ``export`` read ``--known-at`` in ``--tz`` ("the timezone dates
    are read in"); TimelineJS "honours --known-at". The truce's retraction (31 May,
    03:00 UTC) is known by the end of 30 May in Los Angeles, not by its end in UTC."""
    known = ("--known-at", "2023-05-30")
    la = ("--tz", "America/Los_Angeles")
    status, out, _ = cli(capsys, "events", jeddah, *known, "--format", "json")
    assert status == 0
    assert sorted(e["record"]["id"] for e in orjson.loads(out)) == ["jeddah", "old-truce"]
    status, out, _ = cli(capsys, "events", jeddah, *known, *la, "--format", "json")
    assert status == 0
    assert [e["record"]["id"] for e in orjson.loads(out)] == ["jeddah"]
    utc, local = tmp_path / "utc.json", tmp_path / "la.json"
    status, _, err = cli(capsys, "export", jeddah, "--format", "timelinejs", *known, "-o", utc)
    assert (status, err) == (0, f"wrote 2 events to {utc}\n")
    status, _, err = cli(
        capsys, "export", jeddah, "--format", "timelinejs", *known, *la, "-o", local
    )
    assert (status, err) == (0, f"wrote 1 event to {local}\n")
    events = orjson.loads(local.read_bytes())["events"]
    assert [e["unique_id"] for e in events] == ["jeddah"]


def test_events_between_keeps_an_event_at_the_last_instant_of_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: "``--between A B`` keeps those whose time overlaps A up to the end of
    B": an event at the last microsecond of B (UTC) overlaps it; one at the first
    instant of the next day does not."""
    path = tmp_path / "edge.db"
    with Timeline.open(path) as timeline:
        timeline.append(
            Attack(
                id="last-instant", occurred="2020-10-01T23:59:59.999999Z", reported="2020-10-03"
            ),
            Attack(id="next-day", occurred="2020-10-02T00:00:00Z", reported="2020-10-03"),
            strict=False,
        )
    status, out, err = cli(
        capsys, "events", path, "--between", "2020-10-01", "2020-10-01", "--format", "json"
    )
    assert (status, err) == (0, "")
    assert [entry["record"]["id"] for entry in orjson.loads(out)] == ["last-instant"]


def test_parquet_to_standard_output_is_refused_and_writes_no_file_named_dash(
    karabakh: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--format parquet writes a binary file: name it with -o NAME.parquet``: ``-o -``
    (standard output) is refused as no ``-o`` is (status 2), and no file named ``-``
    is written."""
    monkeypatch.chdir(tmp_path)
    for given in ((), ("-o", "-")):
        status, out, err = cli(capsys, "export", karabakh, "--format", "parquet", *given)
        assert (status, out) == (2, "")
        assert err == (
            f"{PREFIX}--format parquet writes a binary file: name it with -o NAME.parquet\n"
        )
    assert list(tmp_path.iterdir()) == []


def test_a_jsonl_import_counts_the_records_read_and_those_appended_apart(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``karabakh.jsonl: 25 records, 25 appended to TL.db``; imported again, the
    file still holds 25 records, and none is appended (each is already there)."""
    source = tmp_path / "karabakh.jsonl"
    assert cli(capsys, "export", karabakh, "--format", "jsonl", "-o", source)[0] == 0
    into = tmp_path / "TL.db"
    status, out, _ = cli(capsys, "import", "jsonl", source, "--into", into)
    assert (status, out) == (0, f"karabakh.jsonl: 25 records, 25 appended to {into}\n")
    status, out, _ = cli(capsys, "import", "jsonl", source, "--into", into)
    assert (status, out) == (0, f"karabakh.jsonl: 25 records, 0 appended to {into}\n")


# -- render: the options passed on -------------------------------------------------


def test_render_passes_its_options_on(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``render``'s ``--title`` ("the page's heading", default Timeline), ``--tz`` ("the
    timezone of the dates and the axis"), ``--detail`` / ``--overview``, ``--group-by``
    ("how the overview groups attacks into lanes") and ``--height`` ("the page height
    the overview fits in"). The worked example spans 1 January 1994 to 31 October 2020
    (UTC; its last day, Yerevan's 31st, ends on 1 November in Tokyo), with fewer than
    300 marks: drawn in detail unless ``--overview``."""

    def page(*args: str) -> str:
        target = tmp_path / "page.html"
        status, out, _ = cli(capsys, "render", karabakh, "-o", target, "--force", *args)
        assert (status, out) == (0, f"wrote {target}\n")
        return target.read_text(encoding="utf-8")

    def subtitle(html: str) -> str:
        return html.split('<p class="subtitle">')[1].split("</p>", maxsplit=1)[0]

    def lanes(html: str) -> int:
        return int(html.split("lanes (")[1].split(")", maxsplit=1)[0])

    plain = page()
    assert "<h1>Timeline</h1>" in plain
    dash = "\N{EN DASH}"
    span = f"1 Jan 1994 {dash} 31 Oct 2020 (UTC), as known now (everything recorded)"
    assert subtitle(plain) == f"{span}; detail"
    assert "<h1>Karabakh, autumn</h1>" in page("--title", "Karabakh, autumn")
    assert subtitle(page("--tz", "Asia/Tokyo")).startswith(
        f"1 Jan 1994 {dash} 1 Nov 2020 (Asia/Tokyo), "
    )
    assert subtitle(page("--detail")) == f"{span}; detail"
    overview = page("--overview")
    assert subtitle(overview) == f"{span}; overview: counts per year, attacks grouped by actor"
    by_country = subtitle(page("--overview", "--group-by", "country"))
    assert by_country == f"{span}; overview: counts per year, attacks grouped by country"
    assert lanes(page("--overview", "--height", "500")) < lanes(overview)


def test_events_actor_takes_the_name_as_known_at_known_at(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``events`` lists "the records as known" at ``--known-at``, and ``--actor`` takes
    an actor's name as then known: the armed forces were "SAF" until a correction of 1
    June renamed them, so on 20 May "SAF" finds their attack, and the later name names
    no actor yet (status 2)."""
    path = tmp_path / "renamed.db"
    with Timeline.open(path) as timeline:
        timeline.append(
            ActorDefined(id="saf", name="SAF", actor_kind="armed_force", reported="2023-05-01"),
            Attack(id="a1", perpetrator="saf", occurred="2023-05-10", reported="2023-05-11"),
            Correction(
                id="renamed",
                corrects="saf",
                occurred="2023-06-01",
                reported="2023-06-01",
                replacement=ActorDefined(
                    id="saf",
                    name="Sudanese Armed Forces",
                    actor_kind="armed_force",
                    reported="2023-05-01",
                ),
            ),
        )
    may = ("events", path, "--known-at", "2023-05-20", "--format", "json")
    status, out, _ = cli(capsys, *may, "--actor", "SAF")
    assert status == 0
    assert [entry["record"]["id"] for entry in orjson.loads(out)] == ["a1"]
    status, out, err = cli(capsys, *may, "--actor", "Sudanese Armed Forces")
    assert (status, out) == (2, "")
    assert err == (
        f"{PREFIX}--actor: unknown actor 'Sudanese Armed Forces': no actor has that id or name\n"
    )


# -- verify ------------------------------------------------------------------------


def test_verify_names_the_first_bad_position_and_how_many_check_out_before_it(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: "``verify`` exits with 1 and names the first position that does not
    match when a record was changed behind the library's back": record 16 (the 1997
    pact) changed, the 15 before it check out."""
    path = tmp_path / "TL.db"
    path.write_bytes(karabakh.read_bytes())
    status, out, _ = cli(capsys, "verify", path)
    assert (status, out) == (0, "ok: 25 records; the hash chain and index columns match\n")
    with sqlite3.connect(path) as raw:
        raw.execute(
            "UPDATE records SET payload = CAST(replace(CAST(payload AS TEXT), 'pact-1997', "
            "'pact-1998') AS BLOB) WHERE position = 16"
        )
    raw.close()
    status, out, err = cli(capsys, "verify", path)
    assert (status, out) == (1, "")
    assert err.startswith(f"{path}: FAILED at position 16: ")
    assert err.endswith(" (15 records before it check out)\n")


def test_the_import_command_suggested_quotes_a_timeline_path_with_spaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dataset's table given to ``import jsonl`` is refused with the command to run,
    its ``--into`` quoted as a shell reads it (a path with a space pastes as one
    argument), and no timeline is left behind."""
    monkeypatch.chdir(tmp_path)
    lines = (DATA / "ucdp-ged-23.1-sample-1000.csv").read_text(encoding="utf-8").splitlines()
    Path("ged.csv").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    status, out, err = cli(capsys, "import", "jsonl", "ged.csv", "--into", "my timeline.db")
    assert (status, out) == (3, "")
    assert err.startswith(f"{PREFIX}ged.csv, line 1: ")
    assert err.endswith(
        "; this is not JSON Lines of records but a table whose header looks like a file "
        "for the 'ucdp' importer: conflict-timeline import ucdp ged.csv "
        "--into 'my timeline.db'\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ged.csv"]


# -- state --format json: the cuts and the times as given -----------------------------


def test_state_json_holds_its_cuts_and_each_times_zone(
    karabakh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``state --format json`` "prints the whole result ... for other programs": its
    ``query`` holds the cuts asked (``--as-of``, ``--certain``, ``--tz``), and a time
    keeps its zone (cli.md's table: civilian-protection since "2020-09-27..2020-10-31
    (month, Asia/Yerevan)")."""
    state = ("state", karabakh, "--view", "active-commitments", "--at", "2020-10-31")
    status, out, _ = cli(capsys, *state, "--format", "json")
    assert status == 0
    payload = orjson.loads(out)
    assert payload["query"]["as_of"] is None
    assert payload["query"]["certainty"] == "possible"
    (protection,) = [i for i in payload["items"] if i["id"] == "civilian-protection"]
    assert protection["since"]["tz"] == "Asia/Yerevan"
    assert protection["since"]["text"] == "2020-09-27..2020-10-31 (month, Asia/Yerevan)"
    asked = ("--as-of", "16", "--certain", "--tz", "Asia/Tokyo", "--format", "json")
    status, out, _ = cli(capsys, *state, *asked)
    assert status == 0
    query = orjson.loads(out)["query"]
    assert (query["as_of"], query["certainty"], query["tz"]) == (16, "certain", "Asia/Tokyo")
    assert query["at"] == "2020-10-31T14:59:59.999999+00:00"  # the end of the 31st in Tokyo


def test_an_output_that_is_no_regular_file_is_written_without_force(
    karabakh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: "An existing ``FILE`` is refused unless you pass ``--force`` (a mistyped
    name must not replace a file you keep)": ``/dev/null`` is no file one keeps, and
    cannot be replaced: it is written into, without ``--force``."""
    status, out, err = cli(capsys, "export", karabakh, "--format", "jsonl", "-o", "/dev/null")
    assert (status, out, err) == (0, "", "wrote 25 rows to /dev/null\n")


def test_a_state_filter_takes_an_id_the_records_refer_to_though_nothing_defines_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: "An id is always itself": ``--accused`` given the id of an actor that an
    accusation names, though no ``ActorDefined`` defines it, keeps that accusation; an
    id nothing refers to names nothing (status 2)."""
    records = datasets.karabakh_oct_2020()
    (accusation,) = [r for r in records if isinstance(r, Accusation) and r.id == "nk-accusation"]
    militia = attrs.evolve(accusation, id="militia-accusation", accused=("unnamed-militia",))
    path = tmp_path / "TL.db"
    with Timeline.open(path) as timeline:
        timeline.append(*records)
        timeline.append(militia, strict=False)
    state = ("state", path, "--view", "reported-violations", "--at", "2020-10-31")
    status, out, _ = cli(capsys, *state, "--accused", "unnamed-militia", "--format", "json")
    assert status == 0
    assert [i["id"] for i in orjson.loads(out)["items"]] == [
        "alleged:militia-accusation:civilian-protection"
    ]
    status, out, err = cli(capsys, *state, "--accused", "nobody-at-all")
    assert (status, out) == (2, "")
    assert (
        err == f"{PREFIX}--accused: unknown actor 'nobody-at-all': no actor has that id or name\n"
    )


def test_an_import_into_a_folder_cannot_write_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit status 5, "a file cannot be written ... ``import``'s timeline cannot be
    opened": ``--into`` a folder says so, and writes nothing into it."""
    folder = tmp_path / "folder"
    folder.mkdir()
    status, out, err = cli(capsys, "import", "acled", NUMERIC, "--into", folder)
    assert (status, out) == (5, "")
    assert err == f"{PREFIX}{folder}: is a folder, not a timeline file\n"
    assert list(folder.iterdir()) == []


def test_progress_off_a_terminal_prints_one_line_every_ten_percent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``import --progress``: "show progress on standard error"; off a terminal the
    bar "prints a line every 10%" (its docstring), not one per block read: the GED
    sample (0.6 MB, read in many blocks) gives one line in each tenth, 0% to 100%."""
    ged = DATA / "ucdp-ged-23.1-sample-1000.csv"
    into = tmp_path / "tl.db"
    status, _, err = cli(capsys, "import", "ucdp", ged, "--into", into, "--progress")
    assert status == 0
    prefix = "reading ucdp-ged-23.1-sample-1000.csv: "
    percents = [
        int(line.removeprefix(prefix).split("%")[0])
        for line in err.splitlines()
        if line.startswith(prefix)
    ]
    assert [p // 10 for p in percents] == list(range(11))
    assert percents[-1] == 100


@pytest.mark.parametrize("location", ["memory:", "MEMORY:", "Memory:"])
def test_verify_refuses_an_in_memory_timeline_in_any_case_of_the_scheme(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    location: str,
) -> None:
    """cli.md: "``verify memory:`` is refused, as there is nothing to read" (exit status
    4); a scheme is read in any case, as the backend registry reads it."""
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "verify", location)
    assert (status, out) == (4, "")
    assert err == (
        f"{PREFIX}{location}: an in-memory timeline starts empty, so there is nothing to read\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_diff_shows_a_changed_entry_as_it_now_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``diff``: what "changed in a view as knowledge grew" is shown marked ``~``, as it
    reads at ``--known-to``, then as it read at ``--known-from``: a truce of the armed
    forces alone, corrected on 25 May to bind the Rapid Support Forces too."""

    def truce(*parties: str) -> Commitment:
        return Commitment(
            id="truce",
            commitment_kind="ceasefire",
            parties=parties,
            occurred="2023-05-20",
            reported="2023-05-21",
        )

    path = tmp_path / "TL.db"
    with Timeline.open(path) as timeline:
        timeline.append(
            ActorDefined(
                id="saf",
                name="Sudanese Armed Forces",
                actor_kind="armed_force",
                reported="2023-05-01",
            ),
            ActorDefined(
                id="rsf",
                name="Rapid Support Forces",
                actor_kind="armed_force",
                reported="2023-05-01",
            ),
            truce("saf"),
            Correction(
                id="fix",
                corrects="truce",
                occurred="2023-05-25",
                reported="2023-05-25",
                replacement=truce("saf", "rsf"),
            ),
        )
    diff = ("diff", path, "--view", "active-commitments", "--at", "2023-05-30")
    status, out, _ = cli(capsys, *diff, "--known-from", "2023-05-22", "--known-to", "2023-05-26")
    assert status == 0
    line, was = out.splitlines()[3:]  # under the title, the header and its rule
    assert line.startswith("~ changed  truce  ")
    assert f"  {NAMES}  " in line
    # Under it, what it was at --known-from (three-clocks.md): the armed forces alone.
    assert was.startswith("  was      truce  ")
    assert "  Sudanese Armed Forces  " in was


def test_events_place_refuses_an_actors_id(
    karabakh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md, exit status 2: "``events --place Atlantis`` (no place has that id or
    name)": an actor's id (``russia``) names no place either, refused rather than
    answered with no records; ``--actor`` given a place's id likewise."""
    status, out, err = cli(capsys, "events", karabakh, "--place", "russia")
    assert (status, out) == (2, "")
    assert err == f"{PREFIX}--place: 'russia' is an actor, not a place\n"  # as state says
    status, out, err = cli(capsys, "events", karabakh, "--actor", "stepanakert")
    assert (status, out) == (2, "")
    assert err == f"{PREFIX}--actor: 'stepanakert' is a place, not an actor\n"


# -- faults the audit found ----------------------------------------------------------


@pytest.mark.parametrize("output", ["-", "/dev/stdout"])
def test_render_to_standard_output_writes_the_page_there_and_no_file(
    karabakh: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    output: str,
) -> None:
    """cli.md: ``render -o -`` (or ``-o /dev/stdout``) writes the page to standard
    output, as ``export`` does; it wrote a file named ``-`` in the current folder."""
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "render", karabakh, "-o", output)
    assert status == 0
    assert out.startswith("<!DOCTYPE html>")
    assert out.rstrip().endswith("</html>")
    assert err == "wrote the page to standard output\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "case",
    [
        (output, options, said)
        for output in ("-", "/dev/stdout")
        for options, said in (
            (("--format", "jsonl"), "wrote 25 rows"),  # the worked example's 25 records
            (("--format", "timelinejs"), "wrote 11 events"),  # as cli.md's transcript
            (("--format", "csv", "--kind", "Attack"), "wrote 3 rows"),  # its three attacks
        )
    ],
)
def test_export_to_standard_output_says_so_on_standard_error_only(
    karabakh: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    case: tuple[str, tuple[str, ...], str],
) -> None:
    """cli.md: ``export -o -`` (or ``-o /dev/stdout``) says on standard error that it
    wrote to "standard output" (it said "to -", and a CSV export said nothing);
    standard output holds the data alone, as without ``-o``."""
    output, options, said = case
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, "export", karabakh, *options, "-o", output)
    assert status == 0
    assert err == f"{said} to standard output\n"
    assert "wrote" not in out
    status, alone, err = cli(capsys, "export", karabakh, *options)
    assert (status, err) == (0, "")
    if options[1] == "timelinejs":  # its dates of export aside, the same events
        assert orjson.loads(out)["events"] == orjson.loads(alone)["events"]
    else:
        assert out == alone
    assert list(tmp_path.iterdir()) == []


def test_events_actor_takes_an_id_the_records_refer_to_though_nothing_defines_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: an id is always itself, for ``events --actor`` as for ``state
    --accused``: an actor the records name but nothing defines is taken (it was
    refused as "unknown actor"); a place's id given as an actor still is refused."""
    path = tmp_path / "tl.db"
    with Timeline.open(path) as timeline:
        timeline.append(*datasets.karabakh_oct_2020())
        (accusation,) = [r.record for r in timeline.store.read() if r.record.id == "nk-accusation"]
        assert isinstance(accusation, Accusation)
        timeline.append(
            attrs.evolve(accusation, id="militia-accusation", accused=("unnamed-militia",)),
            strict=False,
        )
    status, out, err = cli(
        capsys, "events", path, "--actor", "unnamed-militia", "--format", "json"
    )
    assert (status, err) == (0, "")
    assert [row["record"]["id"] for row in orjson.loads(out)] == ["militia-accusation"]
    status, _, err = cli(capsys, "events", path, "--actor", "stepanakert")
    assert status == 2
    assert "--actor" in err
