"""Rules of the selection from the index (``events``' and ``export``'s filters,
`current_records`, `records_as_known`) and of TimelineJS eras' ends that a pass of
hand-planted bugs (docs/testing.md, "Planted by hand: the selection from the index
and the era ends") found unpinned: each value written by hand from the rule in
docs/howto/cli.md, docs/howto/export.md or docs/reference/api.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pendulum
import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    CommitmentEnded,
    TimeExtent,
    Timeline,
    datasets,
    to_timelinejs,
)
from conflict_timeline._cli import main
from conflict_timeline._export import current_records
from rule_kit import load, wire
from test_export_rules import YEREVAN, _pledge

PREFIX = "conflict-timeline: error: "


def cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def karabakh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worked example, as docs/howto/cli.md queries it (its attacks, at positions
    21, 22 and 23, all inside Nagorno-Karabakh)."""
    path = tmp_path_factory.mktemp("karabakh") / "TL.db"
    with Timeline.open(path) as timeline:
        timeline.append(*datasets.karabakh_oct_2020())
    return path


# ------------------------------------------------------------------ events' filters


@pytest.mark.parametrize("option", ["--place", "--actor"])
def test_events_refuses_an_empty_place_or_actor_rather_than_list_everything(
    karabakh: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    """cli.md: a ``--place`` that names no place is a usage error (status 2); an empty
    value (``--place "$PLACE"`` with the variable unset) names none, and is not taken
    for no filter: nothing is listed."""
    status, out, err = cli(capsys, "events", karabakh, "--kind", "Attack", option, "")
    assert (status, out) == (2, "")
    assert err.startswith(PREFIX + option + ": ")


def test_events_limit_counts_and_cuts_what_place_and_actor_kept(
    karabakh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``--limit N`` stops after N records (0 or more), and a table it cut
    short says how many there were: with ``--place`` (which reads each record) as
    without. The three attacks are inside Nagorno-Karabakh."""
    inside = ("events", karabakh, "--kind", "Attack", "--place", "nagorno-karabakh")
    status, out, _ = cli(capsys, *inside, "--limit", "2")
    assert status == 0
    assert out.splitlines()[-1] == "2 record(s) of 3 (--limit 2)"
    status, out, _ = cli(capsys, *inside, "--limit", "0")
    assert status == 0
    assert out.splitlines()[-1] == "0 record(s) of 3 (--limit 0)"
    status, out, _ = cli(capsys, *inside, "--actor", "Azerbaijani forces", "--limit", "0")
    assert out.splitlines()[-1] == "0 record(s) of 3 (--limit 0)"


def test_events_lists_the_definitions_asked_for_with_an_actor(
    karabakh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: definitions are left out "unless ``--kind`` asks for them", with
    ``--actor`` (which reads each record) as without: Nikol Pashinyan's definition
    (position 4) names Armenia, the actor he belongs to."""
    args = ("events", karabakh, "--kind", "ActorDefined", "--actor", "armenia")
    status, out, err = cli(capsys, *args, "--format", "csv")
    assert (status, err) == (0, "")
    assert [line.split(",")[:3] for line in out.splitlines()[1:]] == [
        ["4", "ActorDefined", "pashinyan"]
    ]


def test_events_lists_the_places_inside_a_place(
    karabakh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``--place`` includes the places inside it, and a place's definition is
    found at the place it defines: Nagorno-Karabakh's own and those of the two cities
    inside it (de jure), not Azerbaijan's, which it lies in, nor Armenia's."""
    args = ("events", karabakh, "--kind", "PlaceDefined", "--place", "nagorno-karabakh")
    status, out, err = cli(capsys, *args, "--format", "csv")
    assert (status, err) == (0, "")
    assert sorted(line.split(",")[2] for line in out.splitlines()[1:]) == [
        "nagorno-karabakh",
        "shushi",
        "stepanakert",
    ]


# ------------------------------------------------------------- TimelineJS: eras


def _strike(aid: str, occurred: object) -> Attack:
    return Attack(id=aid, occurred=occurred, target_class="civilian", sources=wire("2020-10-01"))


NORTH = ActorDefined(id="north", name="North", actor_kind="state")


def _spans(data: dict[str, Any]) -> list[tuple[dict[str, int], dict[str, int]]]:
    return [(era["start_date"], era["end_date"]) for era in data["eras"]]


@pytest.mark.parametrize("option", ["--place", "--actor"])
def test_export_csv_refuses_an_empty_place_or_actor_and_writes_nothing(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    """cli.md: CSV and Parquet take ``--place`` and ``--actor`` as ``events`` does: an
    empty value names no place or actor, a usage error (status 2), not the whole
    timeline exported."""
    output = tmp_path / "out.csv"
    status, out, err = cli(capsys, "export", karabakh, "--format", "csv", option, "", "-o", output)
    assert (status, out) == (2, "")
    assert err.startswith(PREFIX + option + ": ")
    assert not output.exists()


@pytest.mark.parametrize(
    ("fmt", "why"),
    [
        ("timelinejs", "--between, --kind"),  # what TimelineJS selects by instead
        ("jsonl", "the whole log as appended"),
    ],
)
def test_export_refusing_place_says_which_formats_take_it_and_why_not_this_one(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, why: str
) -> None:
    """cli.md: "CSV and Parquet also take ``--place`` and ``--actor`` ...; TimelineJS
    and JSON Lines refuse them": the error names the formats that take them, and
    gives this format's reason (TimelineJS selects by span and kinds; JSON Lines is
    the whole log as appended), not the other's."""
    output = tmp_path / "out"
    status, _, err = cli(
        capsys, "export", karabakh, "--format", fmt, "--place", "Shushi", "-o", output
    )
    assert status == 2
    assert "--format csv and parquet" in err
    assert why in err


@pytest.mark.parametrize("fmt", ["timelinejs", "jsonl"])
@pytest.mark.parametrize("option", ["--place", "--actor"])
def test_export_refuses_an_empty_place_or_actor_where_its_format_refuses_them(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, option: str
) -> None:
    """cli.md: TimelineJS and JSON Lines refuse ``--place`` and ``--actor``; given, even
    empty, it is refused (status 2, nothing written), not ignored."""
    output = tmp_path / "out"
    status, out, err = cli(capsys, "export", karabakh, "--format", fmt, option, "", "-o", output)
    assert (status, out) == (2, "")
    assert option in err
    assert not output.exists()


def test_export_parquet_keeps_the_place_asked(
    karabakh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: "CSV and Parquet also take ``--place`` and ``--actor``, as ``events``
    does": Shushi's shelling (position 23) alone of the three attacks."""
    pq = pytest.importorskip("pyarrow.parquet")
    output = tmp_path / "attacks.parquet"
    status, _, err = cli(
        capsys, "export", karabakh, "--format", "parquet", "--kind", "Attack",
        "--place", "Shushi", "-o", output,
    )  # fmt: skip
    assert status == 0, err
    assert pq.read_table(output).column("position").to_pylist() == [23]


def test_an_undated_end_after_the_last_event_runs_at_least_to_its_first_instant() -> None:
    """export.md: a commitment whose end the source does not date (an ``until`` of
    some days) is certainly in force to the until's first instant: its era runs at
    least there, though no event (none here) reaches so far, and says the end is
    unknown. In force from 1 October, until some day of 10 to 20 October (Yerevan)."""
    until = TimeExtent.between(
        pendulum.datetime(2020, 10, 10, tz=YEREVAN),
        pendulum.datetime(2020, 10, 21, tz=YEREVAN),
        "day",
        tz=YEREVAN,
    )
    tl = load(NORTH, _pledge("term", until=until))
    (era,) = to_timelinejs(tl)["eras"]
    unknown = "(end unknown: 2020-10-10..2020-10-20 (day, Asia/Yerevan))"
    assert era["text"]["headline"] == f"Ceasefire: North {unknown}"
    assert (era["start_date"], era["end_date"]) == (
        {"year": 2020, "month": 10, "day": 1},
        {"year": 2020, "month": 10, "day": 10},
    )


def _stillborn() -> Timeline:
    """A truce to take effect on 20 February 2020 (UTC) that collapsed on the 10th."""
    return load(
        NORTH,
        _pledge("stillborn", occurred="2020-02-01", effective=TimeExtent.parse("2020-02-20")),
        CommitmentEnded(
            id="end",
            occurred=TimeExtent.parse("2020-02-10"),
            sources=wire("2020-02-10"),
            commitment="stillborn",
            reason="collapsed",
        ),
    )


@pytest.mark.parametrize("span", [("2020-02-15", "2020-02-25"), ("2020-02-20", "2020-02-25")])
def test_a_span_holding_the_first_minute_of_an_era_that_ended_before_it_began_keeps_it(
    span: tuple[str, str],
) -> None:
    """export.md: an era that ended before it took effect is its first minute (never
    ending before it begins), and a span keeps the eras in force at some time in it:
    one holding 20 February, from its first instant or from before, keeps that minute,
    as the whole timeline does."""
    minute = (
        {"year": 2020, "month": 2, "day": 20, "hour": 0, "minute": 0},
        {"year": 2020, "month": 2, "day": 20, "hour": 0, "minute": 1},
    )
    assert _spans(to_timelinejs(_stillborn())) == [minute]
    assert _spans(to_timelinejs(_stillborn(), between=span)) == [minute]


def test_a_span_cuts_a_month_known_start_to_its_first_day_only_when_it_begins_later() -> None:
    """export.md: an era's start known to the month alone is that month; "an edge the
    span cuts is dated to the span's first ... day". A span from 1 February, the first
    instant of a commitment effective in February 2020, does not cut it; one from 15
    February does, and the era begins on the 15th. Still in force, it ends on the
    span's last day."""
    tl = load(
        NORTH, _pledge("monthly", occurred="2020-01-20", effective=TimeExtent.parse("2020-02"))
    )
    uncut = to_timelinejs(tl, between=("2020-02-01", "2020-03-31"))
    assert _spans(uncut) == [({"year": 2020, "month": 2}, {"year": 2020, "month": 3, "day": 31})]
    cut = to_timelinejs(tl, between=("2020-02-15", "2020-03-31"))
    assert _spans(cut) == [
        ({"year": 2020, "month": 2, "day": 15}, {"year": 2020, "month": 3, "day": 31})
    ]


def test_a_span_keeps_an_era_that_takes_effect_at_its_last_instant() -> None:
    """export.md: a span keeps "the eras of the commitments possibly in force at some
    time in it", its last instant included: a truce effective at 23:59:59.999999 on
    29 February 2020 (UTC) is in a span ending that day. Drawn within it (export.md: an
    era taking effect in the span's last millisecond is the span's last millisecond
    but one to its last)."""
    last = TimeExtent.instant(pendulum.datetime(2020, 2, 29, 23, 59, 59, 999999))
    tl = load(NORTH, _pledge("late", occurred="2020-02-01", effective=last))
    (era,) = to_timelinejs(tl, between=("2020-02-01", "2020-02-29"))["eras"]
    last_second = {"year": 2020, "month": 2, "day": 29, "hour": 23, "minute": 59, "second": 59}
    assert era["start_date"] == {**last_second, "millisecond": 998}
    assert era["end_date"] == {**last_second, "millisecond": 999}


# ------------------------------------------------ a span read in the zone asked in


def _two_nights() -> tuple[Attack, Attack]:
    """Two strikes at 21:00 UTC: on 30 September and 1 October, which in Yerevan
    (UTC+4) are 01:00 on 1 and 2 October."""
    return (
        _strike("first-night", TimeExtent.instant(pendulum.datetime(2020, 9, 30, 21))),
        _strike("second-night", TimeExtent.instant(pendulum.datetime(2020, 10, 1, 21))),
    )


def test_current_records_reads_its_span_in_the_zone_asked() -> None:
    """api.md, ``current_records``: ``between=(start, end)``, read in ``tz``: 1 October
    in Yerevan holds the strike at 01:00 there, not the one at 01:00 on the 2nd."""
    tl = load(*_two_nights())
    kept = current_records(tl, tz=YEREVAN, between=("2020-10-01", "2020-10-01"))
    assert [r.id for r in kept] == ["first-night"]
    kept = current_records(tl, between=("2020-10-01", "2020-10-01"))  # UTC
    assert [r.id for r in kept] == ["second-night"]


def test_events_reads_between_in_its_tz(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cli.md: ``--between A B`` keeps what overlaps A up to the end of B, dates read in
    ``--tz`` (default UTC), with ``--limit`` as without."""
    path = tmp_path / "TL.db"
    with Timeline.open(path) as timeline:
        timeline.append(*_two_nights())
    span = ("events", path, "--between", "2020-10-01", "2020-10-01", "--format", "json")
    for given, want in (((), "second-night"), (("--tz", YEREVAN), "first-night")):
        for limit in ((), ("--limit", "5")):
            status, out, err = cli(capsys, *span, *given, *limit)
            assert (status, err) == (0, "")
            assert [item["record"]["id"] for item in orjson.loads(out)] == [want]
