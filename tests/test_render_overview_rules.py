"""The drawing's rules a mutation audit of `_render` found unpinned: the overview's
bins, colours, lanes and counts, the axis, the subtitle, the check boxes and what
each hides, the labels and bars at the window's edges. Expected values are written
from the documented rules (render_html's docstring, docs/howto/render.md), not
computed by the code under test."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conflict_timeline import (
    Accusation,
    Attack,
    Commitment,
    Observation,
    Request,
    Statement,
    TimeExtent,
    Timeline,
    render_html,
)
from test_render_rules import actors, lane_of, notes, observed_truce, parse


def _ceasefire(cid: str, occurred: str, **fields: Any) -> Commitment:
    """A ceasefire binding actor ``a``, made at ``occurred``."""
    return Commitment(
        id=cid,
        occurred=TimeExtent.parse(occurred),
        parties=("a",),
        commitment_kind="ceasefire",
        **fields,
    )


# "whichever gives bins at least 4 px wide" -- exactly 4 px is enough.
def test_bins_exactly_4_px_wide_are_kept(tmp_path: Path) -> None:
    # width 610: 610 - 330 - 36 = 244 px over the 61 days of Sep-Oct 2020: 4.0 px a day.
    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.append(Attack(id="x", occurred=TimeExtent.parse("2020-10-10"), perpetrator="a"))
    page = render_html(
        timeline,
        tmp_path / "b.html",
        start="2020-09-01",
        end="2020-10-31",
        width=610,
        detail=False,
    ).read_text(encoding="utf-8")
    assert "overview: counts per day," in page


# the overview's columns are coloured by basis like the legend (alleged #D55E00,
# candidate #7B3294, observed #0072B2, other attacks #8C8C8C).
def test_overview_columns_are_coloured_by_basis(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.extend(actors("a", "b", "monitor"))
    timeline.extend(
        [
            _ceasefire("truce", "2020-08"),
            Attack(id="hit", occurred=TimeExtent.parse("2020-10-10"), perpetrator="a"),
            Attack(id="other", occurred=TimeExtent.parse("2020-10-12"), perpetrator="b"),
            Accusation(
                id="acc",
                occurred=TimeExtent.parse("2020-10-11"),
                accuser="b",
                accused=("a",),
                incidents=("hit",),
                breach_of="truce",
            ),
        ]
    )
    doc = parse(
        render_html(
            timeline, tmp_path / "o.html", start="2020-09-01", end="2020-12-31", detail=False
        )
    )
    fills = {
        (r.attrs["data-basis"], r.attrs["fill"])
        for g in doc.find("g", class_="bin")
        for r in g.find("rect")
        if "data-basis" in r.attrs
    }
    assert fills == {("alleged", "#D55E00"), ("none", "#8C8C8C")}


# a request known only to June 2021, in daily bins, is 1/30 in each of 30 days;
# the requests lane still counts one request.
def test_a_request_known_to_a_month_counts_as_one_request(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.extend(actors("a", "b"))
    timeline.append(
        Request(
            id="ask",
            occurred=TimeExtent.parse("2021-06"),
            requester="a",
            requested_of="b",
            summary="help",
        )
    )
    doc = parse(
        render_html(
            timeline, tmp_path / "r.html", start="2021-06-01", end="2021-06-30", detail=False
        )
    )
    assert "overview: counts per day" in doc.find("p", class_="subtitle")[0].all_text()
    (lane,) = doc.find("g", class_="lane requests")
    assert notes(lane)[0].split(";")[0] == "1 request(s), 0 statement(s)"


# the overview has "the same lanes" as the detail, in the same order: requests
# and statements on top, then commitments, then the attacks.
def test_overview_lanes_are_requests_then_commitments_then_attacks(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.extend(actors("a", "b"))
    timeline.extend(
        [
            _ceasefire("truce", "2020-09-05"),
            Attack(id="hit", occurred=TimeExtent.parse("2020-10-10"), perpetrator="a"),
            Statement(id="s", occurred=TimeExtent.parse("2020-10-02"), speaker="a", summary="s"),
        ]
    )
    doc = parse(
        render_html(
            timeline, tmp_path / "o.html", start="2020-09-01", end="2020-12-31", detail=False
        )
    )
    rows = [row.attrs["data-row-kind"] for row in doc.find("div", class_="row")]
    assert rows == ["requests", "commitment", "group"]


# over 34 years at 914 px a year is 27 px, five years 134 px: ticks every
# five years, on years divisible by five, the quarter-centuries major.
def test_five_year_ticks_fall_on_multiples_of_five(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.append(Attack(id="x", occurred=TimeExtent.parse("2000-06-01")))
    out = render_html(
        timeline, tmp_path / "y.html", start="1989-01-01", end="2022-12-31", detail=False
    )
    (svg,) = parse(out).find("svg", class_="axis")
    labels = [t.all_text() for t in svg.find("text", class_="axis-label")]
    majors = [
        line.attrs["class"] == "grid major" for line in svg.find("line") if "class" in line.attrs
    ]
    assert labels == ["1990", "1995", "2000", "2005", "2010", "2015", "2020"]
    assert [lab for lab, major in zip(labels, majors, strict=True) if major] == ["2000"]


START, END, WIDTH = "2020-09-01", "2020-12-31", 610  # 2 px a day from x=330


# "one made before the window ... says since when" -- one made on the window's
# first day is not made before it, and says nothing of the kind.
def test_a_commitment_made_on_the_first_day_says_no_since(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.append(_ceasefire("truce", "2020-09-01"))
    doc = parse(render_html(timeline, tmp_path / "s.html", start=START, end=END, width=WIDTH))
    (bar,) = lane_of(doc, "truce").find("g", class_="bar")
    assert bar.find("text", class_="bar-text") == []


def _doubly_assessed() -> Timeline:
    """One attack that is both a candidate (the rule) and alleged (an accusation)."""
    timeline = Timeline()
    timeline.extend(actors("a", "b"))
    timeline.extend(
        [
            _ceasefire("pact", "2020-08", prohibits=("any_attack",)),
            Attack(id="hit", occurred=TimeExtent.parse("2020-10-10"), perpetrator="a"),
            Accusation(
                id="acc",
                occurred=TimeExtent.parse("2020-10-11"),
                accuser="b",
                accused=("a",),
                incidents=("hit",),
                breach_of="pact",
            ),
        ]
    )
    return timeline


# an incident assessed on two bases is one column, of the same basis in its
# commitment's lane and in its group's lane.
def test_a_doubly_assessed_attack_has_one_basis_in_every_overview_lane(tmp_path: Path) -> None:
    doc = parse(
        render_html(_doubly_assessed(), tmp_path / "d.html", start=START, end=END, detail=False)
    )

    def bases(lane) -> set[str]:  # type: ignore[no-untyped-def]
        return {
            r.attrs["data-basis"] for g in lane.find("g", class_="bin") for r in g.find("rect")
        }

    (group,) = doc.find("g", class_="lane group")
    assert bases(lane_of(doc, "pact")) == bases(group) == {"alleged"}


# "country": the country the place lies in, else (no country above it) its
# topmost ancestor.
def test_a_place_outside_any_country_groups_under_its_topmost_ancestor(tmp_path: Path) -> None:
    from conflict_timeline import PlaceDefined

    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.extend(
        [
            PlaceDefined(id="north", name="North", place_kind="region"),
            PlaceDefined(id="town", name="Town", place_kind="city", parent="north"),
            Attack(id="h", occurred=TimeExtent.parse("2020-10-10"), perpetrator="a", place="town"),
        ]
    )
    doc = parse(
        render_html(
            timeline, tmp_path / "c.html", start=START, end=END, detail=False, group_by="country"
        )
    )
    assert [g.attrs["data-group"] for g in doc.find("g", class_="lane group")] == ["North"]


def _every_kind() -> Timeline:
    timeline = _doubly_assessed()
    timeline.extend(actors("m"))
    timeline.extend(
        [
            Attack(id="other", occurred=TimeExtent.parse("2020-11-10"), perpetrator="b"),
            Request(
                id="ask",
                occurred=TimeExtent.parse("2020-10-01"),
                requester="b",
                requested_of="a",
                summary="stop",
            ),
            Statement(
                id="said", occurred=TimeExtent.parse("2020-10-02"), speaker="a", summary="no"
            ),
            Observation(
                id="seen",
                occurred=TimeExtent.parse("2020-10-20"),
                monitor="m",
                violations=2,
                commitment="pact",
            ),
        ]
    )
    return timeline


_RULE = re.compile(r'body:has\(#show-([\w-]+):not\(:checked\)\) \[(data-[\w-]+)="([^"]+)"\]')


def _hidden_by(doc, text: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """For each kind check box, how many elements its rule hides."""
    out = {}
    for key, attr, value in _RULE.findall(text):
        out[key] = sum(1 for n in doc.walk() if n.attrs.get(attr) == value)
    return out


# "check boxes hide a kind of mark (requests, statements, bars, each basis,
# other attacks)".
def test_a_check_box_for_every_kind(tmp_path: Path) -> None:
    doc = parse(render_html(_every_kind(), tmp_path / "k.html", start=START, end=END))
    boxes = {i.attrs["id"] for i in doc.find("input") if not i.attrs["id"].startswith("show-row")}
    assert boxes == {
        "show-request",
        "show-statement",
        "show-bar",
        "show-alleged",
        "show-candidate",
        "show-observed",
        "show-none",
    }


# unchecking a basis hides that basis's marks (the CSS rule selects them).
def test_unchecking_a_kind_of_mark_hides_those_marks(tmp_path: Path) -> None:
    out = render_html(_every_kind(), tmp_path / "k.html", start=START, end=END)
    hidden = _hidden_by(parse(out), out.read_text(encoding="utf-8"))
    # Each kind is drawn: the attack "hit" alleged and a candidate, the observation
    # "seen", the attack "other" assessed against nothing.
    for key in ("request", "statement", "alleged", "candidate", "observed", "none"):
        assert hidden.get(key, 0) >= 1, key


# "commitments in force" hides the detail's bars too (it hid nothing there: its rule
# selects [data-kind="bar"], which no detail bar carried).
def test_unchecking_commitments_in_force_hides_the_detail_bars(tmp_path: Path) -> None:
    out = render_html(_every_kind(), tmp_path / "k.html", start=START, end=END)
    hidden = _hidden_by(parse(out), out.read_text(encoding="utf-8"))
    assert hidden.get("bar", 0) >= 1


# "when at most 300 incidents, requests and statements fall in the window".
def test_only_marks_in_the_window_count_towards_the_300(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.extend(
        Attack(
            id=f"in{i}", occurred=TimeExtent.parse(f"2020-10-{1 + i % 28:02d}"), perpetrator="a"
        )
        for i in range(250)
    )
    timeline.extend(
        Attack(
            id=f"out{i}", occurred=TimeExtent.parse(f"2019-10-{1 + i % 28:02d}"), perpetrator="a"
        )
        for i in range(100)
    )
    out = render_html(timeline, tmp_path / "w.html", start=START, end=END)
    (body,) = parse(out).find("body")
    assert body.attrs["data-picture"] == "detail"


# the subtitle gives the window: from its first to its last day.
def test_the_subtitle_names_the_first_and_last_day(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.append(Attack(id="x", occurred=TimeExtent.parse("2020-10-10")))
    doc = parse(render_html(timeline, tmp_path / "t.html", start=START, end=END))
    (sub,) = doc.find("p", class_="subtitle")
    assert sub.all_text().startswith("1 Sep 2020 \u2013 31 Dec 2020 (UTC), ")


# ``tz`` is "the timezone of the dates given and of the axis": an attack at 01:00
# on 10 October in Yerevan (21:00 UTC on the 9th) is counted on 10 October.
def test_overview_days_are_days_in_tz(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.append(
        Attack(
            id="x", perpetrator="a", occurred=TimeExtent.parse("2020-10-10T01", tz="Asia/Yerevan")
        )
    )
    text = render_html(
        timeline,
        tmp_path / "z.html",
        start="2020-10-01",
        end="2020-10-31",
        tz="Asia/Yerevan",
        detail=False,
    ).read_text(encoding="utf-8")
    tips = re.findall(r"<title>A, (\d+ \w+ \d+): ([^<]+)</title>", text)
    assert tips == [("10 Oct 2020", "1 attack(s) not assessed")]


# the dashed line marks known_at "where it falls in the window, and nowhere (not
# at the window's edge) when it falls outside it": the window ends before its end.
def test_a_known_at_at_the_windows_end_draws_no_line(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.append(
        Attack(
            id="x",
            occurred=TimeExtent.parse("2020-10-10"),
            perpetrator="a",
            reported=TimeExtent.parse("2020-10-10"),
        )
    )
    out = render_html(
        timeline, tmp_path / "k.html", start=START, end=END, known_at="2021-01-01T00:00:00+00:00"
    )
    doc = parse(out)
    assert doc.find("line", class_="known-at-line") == []
    assert doc.find("g", class_="known-at") == []


# a capsule holds its label only when it fits (6.9 px a character, 18 px of
# margin); November is 60 px, "Hospital" needs 8 * 6.9 + 18 = 73.2: beside it, right.
def test_a_label_too_wide_for_its_capsule_goes_beside_it(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.append(Attack(id="m", occurred=TimeExtent.parse("2020-11"), target="Hospital"))
    doc = parse(render_html(timeline, tmp_path / "c.html", start=START, end=END, width=WIDTH))
    (label,) = doc.find("text", class_="mark-label")
    assert label.attrs["text-anchor"] == "start"
    assert float(label.attrs["x"]) == 330 + 2 * 91 + 6  # right of the end of November


# in the overview a commitment in force with no end has a bar to the right edge:
# from 5 September over 118 of the 122 days, 914 px wide.
def test_overview_bar_of_a_commitment_still_in_force_runs_to_the_right_edge(
    tmp_path: Path,
) -> None:
    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.append(_ceasefire("truce", "2020-09-05"))
    doc = parse(render_html(timeline, tmp_path / "o.html", start=START, end=END, detail=False))
    (bar,) = lane_of(doc, "truce").find("g", class_="bar")
    (rect,) = bar.find("rect")
    assert float(rect.attrs["x"]) == round(330 + 914 * 4 / 122, 1)
    assert float(rect.attrs["width"]) == round(914 * 118 / 122, 1)


# the overview's bar says what the detail's does (docs/howto/render.md: hover for the
# dates): its start, its until or end, and that its status is the one at the end of
# the chart. An ETH/PRIO ceasefire whose end is unknown, possibly in force to the end
# of 2020, is drawn across the window; its tooltip said "status: lapsed" alone.
def test_overview_bar_says_its_until_and_that_its_status_is_at_the_charts_end(
    tmp_path: Path,
) -> None:
    timeline = Timeline()
    timeline.extend(actors("a"))
    until = TimeExtent.between(
        TimeExtent.parse("2012-01-17").earliest, TimeExtent.parse("2021-01-01").earliest, "year"
    )
    timeline.append(
        _ceasefire("truce", "2012-01-17", effective=TimeExtent.parse("2012-01-17"), until=until)
    )
    doc = parse(render_html(timeline, tmp_path / "o.html", start=START, end=END, detail=False))
    (bar,) = lane_of(doc, "truce").find("g", class_="bar")
    (tip,) = bar.find("title")
    assert tip.all_text().splitlines() == [
        "truce",
        "effective: 2012-01-17 (day, UTC)",
        "until: 2012-01-17..2020-12-31 (year, UTC)",
        # its until has possibly passed by 31 December 2020: lapsed, at the default
        # certainty the chart is drawn at
        "status at the end of the chart: lapsed",
    ]


# the last overview lane "counts how many of the others were in force" in each
# bin; two commitments ended some time on 15 October were in force that day (until
# they ended), so 15 October counts both, as the detail's bar fades out over it.
def test_the_shared_lane_counts_the_day_a_commitment_ended(tmp_path: Path) -> None:
    from conflict_timeline import CommitmentEnded

    timeline = Timeline()
    timeline.extend(actors("a", "b"))
    timeline.extend(_ceasefire(f"c{i}", "2020-09-05") for i in range(1, 8))
    timeline.extend(
        CommitmentEnded(
            id=f"end{i}",
            occurred=TimeExtent.parse("2020-10-15"),
            commitment=f"c{i}",
            reason="collapsed",
        )
        for i in (5, 6)
    )
    timeline.append(Attack(id="hit", occurred=TimeExtent.parse("2020-10-10"), perpetrator="a"))
    timeline.append(
        Accusation(
            id="acc",
            occurred=TimeExtent.parse("2020-10-11"),
            accuser="b",
            accused=("a",),
            incidents=("hit",),
            breach_of="c7",
        )
    )
    doc = parse(render_html(timeline, tmp_path / "7.html", start=START, end=END, detail=False))
    (more,) = doc.find("g", class_="lane commitments-more")
    tips = [b.find("title")[0].all_text() for b in more.find("g", class_="bin")]
    assert len(tips) == 41  # 5 September to 15 October
    assert tips[-1] == "2 more commitments, 15 Oct 2020: 2 commitment(s) in force"
    # Those columns are commitments in force: their check box hides them with the bars.
    out = tmp_path / "7.html"
    hidden = _hidden_by(parse(out), out.read_text(encoding="utf-8"))
    columns = sum(len(b.find("rect")) for b in more.find("g", class_="bin"))
    bars = len(doc.find("g", class_="bar"))
    assert hidden["bar"] == bars + columns


# a possible violation's tooltip says its basis (the colour alone does not
# reach a reader who cannot tell the colours apart).
def test_a_violation_mark_says_its_basis_on_hover(tmp_path: Path) -> None:
    doc = parse(
        render_html(_doubly_assessed(), tmp_path / "d.html", start=START, end=END, width=WIDTH)
    )
    titles = {
        g.attrs["data-basis"]: g.find("title")[0].all_text().split("\n")
        for g in lane_of(doc, "pact").find("g", class_="mark")
    }
    assert "alleged violation of pact" in titles["alleged"]
    assert "candidate violation of pact" in titles["candidate"]


# An observation naming no attack is a possible violation in the detail ("possible
# violations: 1 observed"), and the overview's lane of its commitment counts it too
# (it counted "0 possible violation(s)" and drew no column).
def test_the_overview_counts_an_observation_the_detail_draws(tmp_path: Path) -> None:
    timeline = observed_truce()
    detail = parse(render_html(timeline, tmp_path / "d.html", start=START, end=END))
    assert notes(lane_of(detail, "truce")) == ["possible violations: 1 observed"]
    overview = parse(
        render_html(timeline, tmp_path / "o.html", start=START, end=END, detail=False)
    )
    assert notes(lane_of(overview, "truce"))[0].startswith("1 possible violation(s)")


# a bound known only to a span is not given an invented day: a commitment made
# some time in August 2020 is "in force since Aug 2020", not since 1 August.
def test_in_force_since_a_month_names_the_month(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.append(_ceasefire("truce", "2020-08"))
    doc = parse(render_html(timeline, tmp_path / "m.html", start=START, end=END, width=WIDTH))
    (bar,) = lane_of(doc, "truce").find("g", class_="bar")
    assert [t.all_text() for t in bar.find("text", class_="bar-text")] == [
        "\u25c0 in force since Aug 2020"
    ]


# in the overview a commitment's "assessed incidents [are] counted by basis": a
# candidate (the rule: a bound party attacks, any attack prohibited) is a candidate
# column (#7B3294), not an alleged one.
def test_overview_commitment_lane_counts_a_candidate_as_candidate(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.extend(
        [
            _ceasefire("pact", "2020-08", prohibits=("any_attack",)),
            Attack(id="hit", occurred=TimeExtent.parse("2020-10-10"), perpetrator="a"),
        ]
    )
    doc = parse(render_html(timeline, tmp_path / "c.html", start=START, end=END, detail=False))
    rects = [r for g in lane_of(doc, "pact").find("g", class_="bin") for r in g.find("rect")]
    assert [(r.attrs["data-basis"], r.attrs["fill"]) for r in rects] == [("candidate", "#7B3294")]


# Marks keep 8 px clear of the previous mark's label in a row. "unknown target" is
# 96.6 px; a dot 116 px further on starts 2.4 px after it, so it takes the next row.
def test_marks_closer_than_8_px_take_another_row(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.extend(
        [
            Attack(id="one", occurred=TimeExtent.parse("2020-09-10")),
            Attack(id="two", occurred=TimeExtent.parse("2020-11-07")),
        ]
    )
    doc = parse(render_html(timeline, tmp_path / "p.html", start=START, end=END, width=WIDTH))
    cys = {
        g.attrs["data-record"]: g.find("circle")[0].attrs["cy"]
        for g in doc.find("g", class_="mark")
    }
    assert cys["one"] != cys["two"]


# The 8 px itself: at 2 px a day a dot's label "unknown target" (96.6 px, 10 px to
# the right of the dot) leaves the next dot 7 px to its own left, so a dot 60.6 days
# after the first starts 2 * 60.6 - 113.6 = 7.6 px after the label (under 8: another
# row) and one 61 days after it 8.4 px after (8 or more: the same row).
@pytest.mark.parametrize(
    ("second", "same_row"), [("2020-11-09T14:24", False), ("2020-11-10T00:00", True)]
)
def test_a_mark_8_px_or_more_after_the_label_before_it_shares_its_row(
    tmp_path: Path, second: str, same_row: bool
) -> None:
    timeline = Timeline()
    timeline.extend(
        [
            Attack(id="one", occurred=TimeExtent.parse("2020-09-10T00:00")),
            Attack(id="two", occurred=TimeExtent.parse(second)),
        ]
    )
    doc = parse(render_html(timeline, tmp_path / "p.html", start=START, end=END, width=WIDTH))
    cys = {
        g.attrs["data-record"]: g.find("circle")[0].attrs["cy"]
        for g in doc.find("g", class_="mark")
    }
    assert (cys["one"] == cys["two"]) is same_row


# bins are calendar units in ``tz``: a month bin is a calendar month, even when
# the window starts mid-month. 15 years at 1,400 px: monthly bins.
def test_month_bins_are_calendar_months(tmp_path: Path) -> None:
    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.append(Attack(id="x", occurred=TimeExtent.parse("2010-02-10"), perpetrator="a"))
    text = render_html(
        timeline,
        tmp_path / "m.html",
        start="2000-01-15",
        end="2014-12-31",
        width=1400,
        detail=False,
    ).read_text(encoding="utf-8")
    assert "overview: counts per month," in text
    assert re.findall(r"<title>A, (\w+ \d+): ([^<]+)</title>", text) == [
        ("February 2010", "1 attack(s) not assessed")
    ]
