"""timeline.changes(View, known_from=, known_to=, at=) and the CLI ``diff`` command."""

from __future__ import annotations

import datetime as _dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import orjson
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_timeline import (
    ActiveCommitments,
    ActorDefined,
    Commitment,
    Denial,
    Gazetteer,
    MemoryStore,
    Query,
    QueryError,
    Recorded,
    ReportedViolations,
    Retraction,
    Source,
    Timeline,
    View,
    datasets,
)
from conflict_timeline.strategies import timelines
from conflict_timeline.views import Table

FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")
CLI = Path(sys.executable).parent / "conflict-timeline"


def fixed_clock() -> _dt.datetime:
    return FIXED


def seeded() -> Timeline:
    tl = Timeline(MemoryStore(clock=fixed_clock))
    tl.append(*datasets.karabakh_oct_2020())
    tl.append(
        Denial(
            id="az-denies",
            occurred="2020-11-01",
            sources=(Source(publisher="APA", published="2020-11-01"),),
            denier="azerbaijan",
            denies="stepanakert-market",
        )
    )
    return tl


def test_what_became_known_and_what_changed() -> None:
    tl = seeded()
    found = tl.changes(ReportedViolations, known_from="2020-10-30", known_to="2020-11-01")
    entered = {c.id for c in found.of("entered")}
    assert "alleged:nk-accusation:civilian-protection" in entered
    assert "candidate:stepanakert-market:civilian-protection" in entered
    assert found.of("left") == ()
    later = tl.changes(ReportedViolations, known_from="2020-10-31", known_to="2020-11-01")
    changed = {c.id: (c.before.status.value, c.after.status.value) for c in later.of("changed")}  # type: ignore[union-attr]
    assert changed["candidate:stepanakert-market:civilian-protection"] == (
        "alleged",
        "disputed",
    )
    assert later.of("entered") == ()


def test_of_refuses_a_sort_that_is_none_of_the_three() -> None:
    """``of`` picks one of the sorts "entered", "left", "changed"; any other word (a
    typo, a capital) is refused naming the three, rather than picking nothing."""
    found = seeded().changes(ReportedViolations, known_from="2020-10-30", known_to="2020-11-01")
    assert len(found.of("entered")) == 3
    for wrong in ("entred", "Entered", "added"):
        with pytest.raises(
            QueryError,
            match=rf"^Changes.of: '{wrong}' is no sort of change; the sorts: entered, left, "
            r"changed$",
        ):
            found.of(wrong)  # type: ignore[arg-type]


def test_changes_refuses_reversed_or_missing_cuts() -> None:
    tl = seeded()
    with pytest.raises(QueryError, match=r"known_to .* is before known_from"):
        tl.changes(ActiveCommitments, known_from="2020-11-01", known_to="2020-10-01")
    # One microsecond before is before; the same instant is no change at all.
    with pytest.raises(QueryError, match=r"known_to .* is before known_from"):
        tl.changes(
            ActiveCommitments,
            known_from="2020-11-01T00:00:00.000001+00:00",
            known_to="2020-11-01T00:00:00+00:00",
        )
    same = tl.changes(ActiveCommitments, known_from="2020-11-01", known_to="2020-11-01")
    assert same.items == ()
    with pytest.raises(QueryError, match="needs both"):
        tl.changes(ActiveCommitments, known_from=None, known_to="2020-10-01")


def test_a_table_view_is_compared_row_by_row() -> None:
    found = seeded().changes(Gazetteer, known_from="1990", known_to="2020-11-01")
    assert found.before.known_at is not None


def test_a_tables_rows_are_matched_by_its_id_column_and_listed_by_id() -> None:
    """The gazetteer's table has an ``id`` column (its first cell is the record kind,
    the same for every actor): rows are matched by it, and the changes come ordered
    by id, whatever their sort."""
    tl = seeded()
    known = (Source(publisher="Wire", published="2020-11-02"),)
    mfa = tl.get("russia-mfa")
    assert mfa is not None
    tl.append(
        ActorDefined(id="zz-new", name="New", actor_kind="state", sources=known),
        mfa.record.corrected(id="mfa-renamed", source=known, name="Russian MFA"),
        Retraction(id="no-armenia", occurred="2020-11-02", sources=known, retracts="armenia"),
    )
    found = tl.changes(Gazetteer, known_from="2020-11-01", known_to="2020-11-03")
    assert [(c.id, c.what) for c in found] == [
        ("armenia", "left"),
        ("russia-mfa", "changed"),
        ("zz-new", "entered"),
    ]
    # Each change carries the row as known before and after (none where it was absent).
    (left,) = found.of("left")
    assert left.before == ("actor", "armenia", "Armenia", "state", "", "")
    assert left.after is None
    (entered,) = found.of("entered")
    assert entered.before is None
    assert entered.after == ("actor", "zz-new", "New", "state", "", "")
    (renamed,) = found.of("changed")
    assert renamed.before is not None
    assert renamed.after is not None
    assert (renamed.before[2], renamed.after[2]) == ("Russian foreign ministry", "Russian MFA")


@attrs.frozen
class _KindCounts:
    """A table without an id column: one row per record kind seen, then its ids."""

    rows: tuple[tuple[str, str], ...]

    def table(self) -> Table:
        return Table(("kind", "record"), self.rows)


class _ByKind(View[tuple[tuple[str, str], ...], _KindCounts]):
    def initial(self) -> tuple[tuple[str, str], ...]:
        return ()

    def apply(
        self, state: tuple[tuple[str, str], ...], recorded: Recorded
    ) -> tuple[tuple[str, str], ...]:
        return (*state, (recorded.kind, recorded.id))

    def result(self, state: tuple[tuple[str, str], ...], query: Query) -> _KindCounts:
        del query
        return _KindCounts(state)


def test_a_table_without_an_id_column_is_matched_by_its_first_cell_and_must_be_unique() -> None:
    tl = Timeline(MemoryStore(clock=fixed_clock))
    tl.append(ActorDefined(id="north", name="North", actor_kind="state"))
    tl.append(
        Denial(
            id="d-1",
            occurred="2020-11-01",
            sources=(Source(publisher="W", published="2020-11-01"),),
            denier="north",
            denies="north",
        )
    )
    found = tl.changes(_ByKind, known_from="2020-10-01", known_to="2020-11-02")
    assert [(c.id, c.what, c.after) for c in found] == [("Denial", "entered", ("Denial", "d-1"))]
    tl.append(
        Denial(
            id="d-2",
            occurred="2020-11-01",
            sources=(Source(publisher="W", published="2020-11-01"),),
            denier="north",
            denies="north",
        )
    )
    # The message names the key and the column it is in, counted from 1.
    with pytest.raises(QueryError, match=r"'Denial' in more than one row \(column 1\)"):
        tl.changes(_ByKind, known_from="2020-10-01", known_to="2020-11-02")


def test_both_answers_are_read_with_the_certainty_asked_for() -> None:
    """A commitment of October, asked about on 15 October: possibly in force, not
    certainly. Under ``certainty="certain"`` neither answer holds it: no change."""
    tl = Timeline(MemoryStore(clock=fixed_clock))
    tl.append(
        ActorDefined(id="north", name="North", actor_kind="state"),
        Commitment(
            id="truce",
            occurred="2020-10",
            sources=(Source(publisher="Wire", published="2020-10-01"),),
            commitment_kind="ceasefire",
            parties=("north",),
        ),
    )
    before, after, at = "2020-09-01", "2020-11-30", "2020-10-15"
    possible = tl.changes(ActiveCommitments, known_from=before, known_to=after, at=at)
    assert [(c.id, c.what) for c in possible] == [("truce", "entered")]
    certain = tl.changes(
        ActiveCommitments, known_from=before, known_to=after, at=at, certainty="certain"
    )
    assert len(certain) == 0
    assert (certain.before.certainty, certain.after.certainty) == ("certain", "certain")


@settings(
    max_examples=30, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(records=timelines(max_size=20), data=st.data())
def test_changes_are_exactly_the_difference_of_the_two_answers(
    records: list[Any], data: st.DataObject
) -> None:
    tl = Timeline(MemoryStore(clock=fixed_clock))
    tl.append(*records, strict=False)
    years = sorted(data.draw(st.lists(st.integers(1990, 2030), min_size=2, max_size=2)))
    early, late = str(years[0]), str(years[1])
    found = tl.changes(ReportedViolations, known_from=early, known_to=late)
    before = {v.id: v for v in tl.state(ReportedViolations, known_at=early)}
    after = {v.id: v for v in tl.state(ReportedViolations, known_at=late)}
    assert {c.id for c in found.of("entered")} == after.keys() - before.keys()
    assert {c.id for c in found.of("left")} == before.keys() - after.keys()
    assert {c.id for c in found.of("changed")} == {
        k for k in before.keys() & after.keys() if before[k] != after[k]
    }


def test_cli_diff(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with Timeline.open(db) as tl:
        tl.append(*datasets.karabakh_oct_2020())
        before = set(tl.state(ReportedViolations, known_at="2020-10-30").ids())
        after = set(tl.state(ReportedViolations, known_at="2020-10-31").ids())
    new = sorted(after - before)
    assert new  # the seed's assessments become known on the 31st
    args = [str(CLI), "diff", str(db), "--view", "reported-violations"]
    cuts = ["--known-from", "2020-10-30", "--known-to", "2020-10-31"]
    result = subprocess.run([*args, *cuts], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        f"reported-violations: {len(new)} changes from as known at 2020-10-30T23:59:59"
    )
    headings = [c.strip() for c in lines[1].split("  ") if c]
    assert headings == ["change", "id", *COLUMNS["reported-violations"]]
    assert [line.split()[2] for line in lines[3:]] == new
    assert all(line.startswith("+ entered ") for line in lines[3:])
    as_json = subprocess.run(
        [*args, *cuts, "--format", "json"], capture_output=True, text=True, check=False
    )
    payload = orjson.loads(as_json.stdout)
    assert {c["what"] for c in payload["changes"]} == {"entered"}
    assert [c["id"] for c in payload["changes"]] == new
    bad = subprocess.run(
        [*args, "--known-from", "2020-10-31", "--known-to", "2020-10-01"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    # Named as the options are typed (docs/howto/cli.md).
    assert "--known-to" in bad.stderr
    assert "--known-from" in bad.stderr


def _truce_then_pledge(db: Path) -> Path:
    """A timeline file at ``db``: a government (known from 1 March 2021) bound by a
    truce of 1 March that collapsed on 5 March (known on the 9th), and a pledge of 7
    March."""
    from conflict_timeline import ActorDefined, Commitment, CommitmentEnded, Source

    def wire(day: str) -> tuple[Source, ...]:
        return (Source(publisher="Wire", published=day),)

    with Timeline.open(db) as tl:
        tl.append(
            ActorDefined(
                id="gov",
                name="Government of Synthetica",
                actor_kind="government",
                sources=wire("2021-03-01"),
            ),
            Commitment(
                id="truce",
                occurred="2021-03-01",
                sources=wire("2021-03-01"),
                commitment_kind="ceasefire",
                parties=("gov",),
                prohibits=("any_attack",),
            ),
            CommitmentEnded(
                id="truce-end",
                occurred="2021-03-05",
                sources=wire("2021-03-09"),
                commitment="truce",
                reason="collapsed",
            ),
            Commitment(
                id="pledge",
                occurred="2021-03-07",
                sources=wire("2021-03-07"),
                commitment_kind="ceasefire",
                parties=("gov",),
                prohibits=("any_attack",),
            ),
        )
    return db


def test_cli_diff_shows_what_a_changed_entry_was(tmp_path: Path) -> None:
    """three-clocks.md: a ``changed`` entry is one present at both cuts but different;
    the table shows it as known at ``--known-to``, then, on a ``was`` line, as known at
    ``--known-from``, so that what changed can be read off the table (it used to show
    the later row alone: a ceasefire ``ended``, with nothing saying it had been
    ``active``). Entries that entered or left have no such line."""
    db = _truce_then_pledge(tmp_path / "t.db")
    result = subprocess.run(
        [str(CLI), "diff", str(db), "--view", "commitment-history", "--at", "2021-03-10",
         "--known-from", "2021-03-06", "--known-to", "2021-03-10"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("commitment-history: 2 changes from ")
    assert [line.split()[:3] for line in lines[3:]] == [
        ["+", "entered", "pledge"],
        ["~", "changed", "truce"],
        ["was", "truce", "ceasefire"],
    ]
    assert "ended" in lines[4].split()
    assert "collapsed" in lines[4].split()
    assert "active" in lines[5].split()
    assert "collapsed" not in lines[5].split()


# The columns each view's table heads its entries with (cli.md, views.md).
COLUMNS = {
    "reported-violations": [
        "commitment", "basis", "evidence", "occurred", "accused", "evidence status",
        "reported", "sources",
    ],
    "commitment-history": ["id", "kind", "effective", "until", "status", "ended"],
    "gazetteer": ["record", "id", "name", "kind", "affiliation / parent", "controller"],
}  # fmt: skip


def test_cli_diffs_table_has_a_header_and_no_trailing_spaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``diff``'s table has a header row as ``state``'s has: ``change``, the
    entry's ``id`` (unless the view's own columns hold it) and the view's columns, a
    rule under it, every column aligned, and no line ends in a space (an empty last
    cell, the ended of an active commitment, left trailing spaces). The entries of a
    view answering with a table of its own (the gazetteer) are headed by its
    columns. With no change there is no header."""
    from conflict_timeline._cli import main

    db = _truce_then_pledge(tmp_path / "t.db")

    def table(view: str, known_from: str) -> list[str]:
        cuts = ("--at", "2021-03-10", "--known-from", known_from, "--known-to", "2021-03-10")
        status = main(["diff", str(db), "--view", view, *cuts])
        out, err = capsys.readouterr()
        assert (status, err) == (0, "")
        return out.splitlines()

    lines = table("commitment-history", "2021-03-06")
    assert [line[:9].rstrip() for line in lines[1:]] == [
        "change",
        "-" * 9,
        "+ entered",
        "~ changed",
        "  was",
    ]
    assert [c.strip() for c in lines[1].split("  ") if c] == [
        "change",
        *COLUMNS["commitment-history"],
    ]
    assert not any(line.endswith(" ") for line in lines)
    # Aligned: each column's heading and cells begin where its rule does.
    starts = [i for i, c in enumerate(lines[2]) if c == "-" and (i == 0 or lines[2][i - 1] == " ")]
    for line in (lines[1], *lines[3:]):
        assert all(line[i - 2 : i] == "  " and line[i] != " " for i in starts[1:3]), line
    # The active pledge: its last cells, until and ended, are empty.
    assert lines[3].split() == [
        "+",
        "entered",
        "pledge",
        "ceasefire",
        "2021-03-07",
        "(day,",
        "UTC)",
        "active",
    ]
    # The gazetteer answers with a table: its rows are headed by its columns.
    lines = table("gazetteer", "2021-02-01")
    assert [c.strip() for c in lines[1].split("  ") if c] == ["change", *COLUMNS["gazetteer"]]
    assert lines[3].split()[:4] == ["+", "entered", "actor", "gov"]
    assert not any(line.endswith(" ") for line in lines)
    assert table("gazetteer", "2021-03-10")[1:] == []  # no change, no header
