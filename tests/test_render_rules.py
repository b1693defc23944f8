"""render_html's rules, each against values written by hand from the rule.

The chart's rules (docs/howto/render.md, the ``render_html`` docstring and the
``_render`` modules' docstrings): a bar is faded where a commitment's start or end
is known only to a span; an incident known to a span is a capsule over the span, a
dated one a dot; only what lies in the window is drawn, and nothing in it is left
out; record text never becomes markup; the axis ticks lie in the window; the
overview's biggest groups get a lane each and the shared lane names the rest.
Each test was written after a planted bug survived the older tests (the commit
messages name them).

Windows are chosen so that pixels come out round: with ``width=610`` the chart is
610 - 330 (lane names) - 36 (right margin) = 244 px wide, 2 px a day over the
122 days from 1 September to 31 December 2020.
"""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conflict_timeline import (
    Accusation,
    ActorDefined,
    Attack,
    Commitment,
    Condition,
    Correction,
    Observation,
    PlaceDefined,
    QueryError,
    Request,
    Statement,
    TimeExtent,
    Timeline,
    render_html,
)

MIN_WIDTH = 330 + 36 + 200  # the lane names, the right margin, 200 px of chart

LEFT = 330  # the chart starts right of the lane names
START, END, WIDTH = "2020-09-01", "2020-12-31", 610  # 2 px a day


def day_x(days: float) -> float:
    """The x of a time ``days`` days after 1 September 2020 (2 px a day)."""
    return LEFT + 2 * days


@dataclasses.dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = dataclasses.field(default_factory=list)
    text: str = ""

    def walk(self) -> list[Node]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def find(self, tag: str, **wanted: str) -> list[Node]:
        return [
            n
            for n in self.walk()
            if n.tag == tag
            and all(n.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in wanted.items())
        ]

    def all_text(self) -> str:
        return self.text + "".join(c.all_text() for c in self.children)


class Tree(HTMLParser):
    VOID = frozenset({"meta", "input", "br", "img", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        while len(self.stack) > 1 and self.stack.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.stack[-1].text += data


def parse(path: Path) -> Node:
    tree = Tree()
    tree.feed(path.read_text(encoding="utf-8"))
    return tree.root


def actors(*ids: str) -> list[ActorDefined]:
    return [ActorDefined(id=a, name=a.title(), actor_kind="armed_force") for a in ids]


def lane_of(doc: Node, commitment: str) -> Node:
    (lane,) = doc.find("g", class_="lane commitment", data_commitment=commitment)
    return lane


def notes(lane: Node) -> list[str]:
    return [t.all_text() for t in lane.find("text", class_="lane-note")]


# ------------------------------------------------------------------ bars


def test_a_bar_fades_where_its_start_or_end_is_known_only_to_a_span(tmp_path: Path) -> None:
    """docs/howto/render.md: where the start or the end is known only to a span, that
    part of the bar fades in or out instead of starting on an invented day; one that
    lapsed says so; one made before the window starts at the window's left edge (not
    under the lane names) and says since when; one made after the window has no lane."""
    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.extend(
        [
            # Made some time in October, lapsing some time in December.
            Commitment(
                id="month",
                occurred=TimeExtent.parse("2020-10"),
                until=TimeExtent.parse("2020-12"),
                parties=("a",),
                commitment_kind="ceasefire",
            ),
            # Made in 2019, still in force.
            Commitment(
                id="old",
                occurred=TimeExtent.parse("2019"),
                parties=("a",),
                commitment_kind="ceasefire",
            ),
            # Made the day after the window ends.
            Commitment(
                id="later",
                occurred=TimeExtent.parse("2021-01-01"),
                parties=("a",),
                commitment_kind="ceasefire",
            ),
        ]
    )
    out = render_html(timeline, tmp_path / "bars.html", start=START, end=END, width=WIDTH)
    doc = parse(out)
    lanes = [g.attrs["data-commitment"] for g in doc.find("g", class_="lane commitment")]
    assert sorted(lanes) == ["month", "old"]

    (bar,) = lane_of(doc, "month").find("g", class_="bar")
    rects = [
        (r.attrs["class"], r.attrs["fill"], float(r.attrs["x"]), float(r.attrs["width"]))
        for r in bar.find("rect")
    ]
    # October (30 days after 1 Sep, 31 days long), November, December.
    assert rects == [
        ("bar-uncertain", "url(#fade-in)", day_x(30), 62.0),
        ("bar-core", "#009E73", day_x(61), 60.0),
        ("bar-uncertain", "url(#fade-out)", day_x(91), 62.0),
    ]
    assert bar.attrs["data-ended"] == "lapsed"
    assert [t.all_text() for t in bar.find("text", class_="end-text")] == ["lapsed 2020-12"]

    (old,) = lane_of(doc, "old").find("g", class_="bar")
    old_rects = [
        (r.attrs["class"], float(r.attrs["x"]), float(r.attrs["width"])) for r in old.find("rect")
    ]
    assert old_rects == [("bar-core", float(LEFT), 244.0)]
    assert [t.all_text() for t in old.find("text", class_="bar-text")] == [
        "\u25c0 in force since 2019"
    ]


def test_a_commitment_made_in_the_window_and_in_force_after_it_has_a_lane_saying_so(
    tmp_path: Path,
) -> None:
    """docs/howto/render.md: a lane per commitment made by ``end``: one agreed in the
    window that takes effect after it has its lane, no bar, and says when it takes
    effect (it used to have no lane: only commitments in force before the end had)."""
    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.append(
        Commitment(
            id="agreed",
            occurred=TimeExtent.parse("2020-12-20"),
            effective=TimeExtent.parse("2021-01-05"),
            parties=("a",),
            commitment_kind="ceasefire",
        )
    )
    out = render_html(timeline, tmp_path / "soon.html", start=START, end=END, width=WIDTH)
    doc = parse(out)
    lanes = [g.attrs["data-commitment"] for g in doc.find("g", class_="lane commitment")]
    assert lanes == ["agreed"]
    (bar,) = lane_of(doc, "agreed").find("g", class_="bar")
    assert bar.find("rect") == []
    assert bar.find("path") == []  # no arrow: it is not in force at the right edge
    assert [t.all_text() for t in bar.find("text", class_="bar-text")] == [
        "takes effect 2021-01-05 \u25b6"
    ]
    # The overview keeps its lane too.
    overview = parse(
        render_html(timeline, tmp_path / "all.html", start=START, end=END, detail=False)
    )
    assert [c for c, _ in _lanes(overview, "lane commitment")] == ["agreed"]


# ------------------------------------------------------------------ marks


def test_spans_are_capsules_dates_are_dots_and_only_the_window_is_drawn(tmp_path: Path) -> None:
    """docs/howto/render.md: an incident dated only to a span is a capsule over the
    whole span, a dated one a dot; requests and statements are ticks in the top lane;
    what lies outside the window is not drawn, anything touching it is (an instant
    at its very first microsecond too), and the lane notes count what is drawn."""
    timeline = Timeline()
    timeline.extend(actors("a", "b"))
    timeline.extend(
        [
            Commitment(
                id="truce",
                occurred=TimeExtent.parse("2020-08"),
                parties=("a",),
                commitment_kind="ceasefire",
            ),
            Attack(id="day", occurred=TimeExtent.parse("2020-10-10"), perpetrator="a"),
            Attack(id="month", occurred=TimeExtent.parse("2020-11"), perpetrator="a"),
            Attack(id="first-us", occurred=TimeExtent.parse("2020-09-01T00:00:00+00:00")),
            Attack(id="before", occurred=TimeExtent.parse("2020-08-15"), perpetrator="a"),
            Attack(id="alleged-in", occurred=TimeExtent.parse("2020-10-20"), perpetrator="a"),
            Attack(id="alleged-out", occurred=TimeExtent.parse("2020-08-20"), perpetrator="a"),
            Accusation(
                id="acc",
                occurred=TimeExtent.parse("2020-10-21"),
                accuser="b",
                accused=("a",),
                incidents=("alleged-in", "alleged-out"),
                breach_of="truce",
            ),
            Request(
                id="ask-in",
                occurred=TimeExtent.parse("2020-10-01"),
                requester="b",
                requested_of="a",
                summary="stop",
            ),
            Request(
                id="ask-out",
                occurred=TimeExtent.parse("2020-08-01"),
                requester="b",
                requested_of="a",
                summary="stop",
            ),
            Statement(
                id="said",
                occurred=TimeExtent.parse("2020-10-02"),
                speaker="a",
                summary="no",
            ),
        ]
    )
    out = render_html(timeline, tmp_path / "marks.html", start=START, end=END, width=WIDTH)
    doc = parse(out)
    marks = {g.attrs["data-record"]: g for g in doc.find("g", class_="mark")}
    assert sorted(marks) == ["alleged-in", "day", "first-us", "month"]
    # A day: a dot in the middle of its two pixels.
    (dot,) = marks["day"].find("circle")
    assert float(dot.attrs["cx"]) == day_x(39.5)
    assert marks["day"].find("rect") == []
    # November: a capsule from 1 November over its 30 days.
    (capsule,) = marks["month"].find("rect")
    assert (float(capsule.attrs["x"]), float(capsule.attrs["width"])) == (day_x(61), 60.0)
    assert marks["month"].find("circle") == []
    (first,) = marks["first-us"].find("circle")
    assert float(first.attrs["cx"]) == float(LEFT)

    ticks = {g.attrs["data-record"]: g for g in doc.find("g", class_="tick")}
    assert set(ticks) == {"ask-in", "said"}
    # A statement with no place, quote or reply: no empty lines in its tooltip.
    said = ticks["said"].find("title")[0].all_text().split("\n")
    assert said[0] == "A: no"
    assert "" not in said
    (requests,) = doc.find("g", class_="lane requests")
    assert notes(requests) == ["1 request(s), 1 statement(s)"]
    (others,) = doc.find("g", class_="lane others")
    assert notes(others) == ["3 not assessed against a commitment"]
    # The truce's lane counts the alleged incident it draws, and says the other is
    # outside the chart's dates (it used to count both as "2 alleged").
    assert notes(lane_of(doc, "truce")) == [
        "possible violations: 1 alleged",
        "1 more outside the chart's dates",
    ]
    # The lanes from the top: requests and statements, commitments, other attacks.
    rows = [row.attrs["data-row-kind"] for row in doc.find("div", class_="row")]
    assert rows == ["requests", "commitment", "others"]


def test_a_commitment_lane_counts_the_violations_it_draws(tmp_path: Path) -> None:
    """A lane's note counts the possible violations drawn in the chart's dates; those
    outside them are said apart, and a commitment with none says so."""
    timeline = Timeline()
    timeline.extend(actors("a", "b"))
    timeline.extend(
        [
            Commitment(
                id="truce",
                occurred=TimeExtent.parse("2020-08"),
                parties=("a",),
                commitment_kind="ceasefire",
            ),
            Commitment(
                id="pact",
                occurred=TimeExtent.parse("2020-08"),
                parties=("b",),  # b attacks no one
                commitment_kind="ceasefire",
                prohibits=("any_attack",),
            ),
            Attack(id="early", occurred=TimeExtent.parse("2020-08-20"), perpetrator="a"),
            Accusation(
                id="acc",
                occurred=TimeExtent.parse("2020-08-21"),
                accuser="b",
                accused=("a",),
                incidents=("early",),
                breach_of="truce",
            ),
        ]
    )
    out = render_html(timeline, tmp_path / "lanes.html", start=START, end=END, width=WIDTH)
    doc = parse(out)
    assert notes(lane_of(doc, "truce")) == [
        "possible violations: none in the chart's dates",
        "1 outside them",
    ]
    assert notes(lane_of(doc, "pact")) == ["possible violations: none reported"]


def observed_truce() -> Timeline:
    """A ceasefire and a monitor's observation of it that names no attack."""
    timeline = Timeline()
    timeline.extend(actors("a", "monitor"))
    timeline.extend(
        [
            Commitment(
                id="truce",
                occurred=TimeExtent.parse("2020-09-05"),
                parties=("a",),
                commitment_kind="ceasefire",
            ),
            Observation(
                id="seen",
                occurred=TimeExtent.parse("2020-10-10"),
                monitor="monitor",
                violations=3,
                commitment="truce",
            ),
        ]
    )
    return timeline


def test_an_observation_without_incidents_is_a_mark_on_its_commitment(tmp_path: Path) -> None:
    """docs/howto/render.md: incidents are coloured by basis, *observed* being a
    monitor's observation; an observation that names no attack is still drawn, as
    itself, on the lane of the commitment it monitors."""
    timeline = observed_truce()
    out = render_html(timeline, tmp_path / "observed.html", start=START, end=END, width=WIDTH)
    marks = lane_of(parse(out), "truce").find("g", class_="mark")
    assert [(g.attrs["data-record"], g.attrs["data-basis"]) for g in marks] == [
        ("seen", "observed")
    ]


def test_a_conditional_commitment_says_whether_an_attack_triggered_it(tmp_path: Path) -> None:
    """docs/howto/render.md: a conditional commitment says whether a reported attack
    triggered it."""
    timeline = Timeline()
    timeline.extend(actors("a", "b"))
    timeline.extend(
        [
            PlaceDefined(id="north", name="North", place_kind="region"),
            PlaceDefined(id="south", name="South", place_kind="region"),
            Commitment(
                id="if-north",
                occurred=TimeExtent.parse("2020-09-05"),
                parties=("b",),
                commitment_kind="mutual_defense",
                condition=Condition(attack_within=("north",)),
            ),
            Commitment(
                id="if-south",
                occurred=TimeExtent.parse("2020-09-05"),
                parties=("b",),
                commitment_kind="mutual_defense",
                condition=Condition(attack_within=("south",)),
            ),
            Attack(
                id="hit", occurred=TimeExtent.parse("2020-10-10"), perpetrator="a", place="north"
            ),
        ]
    )
    doc = parse(render_html(timeline, tmp_path / "t.html", start=START, end=END, width=WIDTH))
    assert "conditional: TRIGGERED by 1 attack(s)" in notes(lane_of(doc, "if-north"))
    south = notes(lane_of(doc, "if-south"))
    assert "conditional: not triggered" in south
    assert "no reported attack within South" in south


def test_a_mark_names_its_claimant_on_hover_and_a_one_sided_attack_its_target(
    tmp_path: Path,
) -> None:
    """docs/howto/render.md: every mark's tooltip gives its claimant; a one-sided
    attack with a target actor is labelled with its target, not as a clash between
    two sides (that label is for `Attack.between_sides` alone)."""
    timeline = Timeline()
    timeline.extend(actors("a", "b"))
    timeline.extend(
        [
            PlaceDefined(id="town", name="Town", place_kind="city"),
            Attack(
                id="claimed",
                occurred=TimeExtent.parse("2020-10-10"),
                perpetrator="a",
                target_actor="b",
                target_class="military",
                place="town",
                claimed_by="b",
            ),
            Attack(id="unclaimed", occurred=TimeExtent.parse("2020-11-10"), perpetrator="a"),
        ]
    )
    doc = parse(render_html(timeline, tmp_path / "c.html", start=START, end=END, width=WIDTH))
    marks = {g.attrs["data-record"]: g for g in doc.find("g", class_="mark")}
    claimed = marks["claimed"].find("title")[0].all_text().split("\n")
    assert "claimed by B; status: alleged" in claimed
    unclaimed = marks["unclaimed"].find("title")[0].all_text().split("\n")
    assert "status: alleged" in unclaimed
    assert not any("claimed by" in line for line in unclaimed)
    assert "" not in unclaimed  # empty tooltip lines are dropped
    (label,) = marks["claimed"].find("text", class_="mark-label")
    assert label.all_text() == "Town: military target"


# ------------------------------------------------------------------ escaping

EVIL = '"><i>E</i>'  # ends an attribute, opens an element
LISTED = '"""><i>E</i>"'  # in a list of names, quoted as a name holding a quote is


def test_names_in_headings_notes_filters_and_attributes_stay_text(tmp_path: Path) -> None:
    """Record text cannot become markup (docs/reliability.md): an actor's name in a
    commitment lane's heading and notes, in the lane filter, in the overview's group
    lane (its heading, its ``data-group`` attribute, each column's tooltip) is text;
    no element or attribute comes of it."""
    timeline = Timeline()
    timeline.append(ActorDefined(id="evil", name=EVIL, actor_kind="armed_force"))
    timeline.append(
        Commitment(
            id="truce",
            occurred=TimeExtent.parse("2020-09-05"),
            parties=("evil",),
            announced_by=("evil",),
            commitment_kind="ceasefire",
        ),
        Attack(id="hit", occurred=TimeExtent.parse("2020-10-10"), perpetrator="evil"),
    )
    for picture, detail in (("detail", True), ("overview", False)):
        out = render_html(
            timeline, tmp_path / f"{picture}.html", start=START, end=END, detail=detail
        )
        doc = parse(out)
        assert doc.find("i") == [], picture
        assert not any('"' in k or "<" in k for n in doc.walk() for k in n.attrs), picture
        lanes = [
            label.all_text() for label in doc.find("div", class_="lane-list")[0].find("label")
        ]
        assert f"Ceasefire: {LISTED}" in lanes or EVIL in lanes, picture
    detail_doc = parse(tmp_path / "detail.html")
    truce = lane_of(detail_doc, "truce")
    assert [t.all_text() for t in truce.find("text", class_="lane-title")] == [
        f"Ceasefire: {LISTED}"
    ]
    assert f"announced by {LISTED}" in notes(truce)
    overview = parse(tmp_path / "overview.html")
    (group,) = overview.find("g", class_="lane group")
    assert group.attrs["data-group"] == EVIL
    assert [t.all_text() for t in group.find("text", class_="lane-title small")] == [EVIL]
    (column,) = group.find("g", class_="bin")
    assert column.find("title")[0].all_text() == f"{EVIL}, 10 Oct 2020: 1 attack(s) not assessed"


# ------------------------------------------------------------------ the axis


def axis(out: Path) -> list[tuple[str, bool]]:
    (svg,) = parse(out).find("svg", class_="axis")
    labels = [t.all_text() for t in svg.find("text", class_="axis-label")]
    lines = [
        line.attrs["class"] == "grid major" for line in svg.find("line") if "class" in line.attrs
    ]
    return list(zip(labels, lines, strict=True))


def test_the_axis_ticks_lie_in_the_window(tmp_path: Path) -> None:
    """Ticks at least ~70 px apart, all inside the window (none at its left edge for
    a week or month that began before it); weekly ticks on Mondays, a week in a
    month's first seven days major; monthly ticks name the year at the first month
    and at each January, which is major."""
    timeline = Timeline()
    timeline.append(Attack(id="x", occurred=TimeExtent.parse("2020-01-10")))
    # 45 days over 914 px: a day is 20 px, a week 142 px.
    weeks = render_html(timeline, tmp_path / "w.html", start="2020-09-01", end="2020-10-15")
    assert axis(weeks) == [
        ("Sep 7", True),
        ("Sep 14", False),
        ("Sep 21", False),
        ("Sep 28", False),
        ("Oct 5", True),
        ("Oct 12", False),
    ]
    # 152 days over 914 px: a week is 42 px, a month 183 px.
    months = render_html(timeline, tmp_path / "m.html", start="2019-11-01", end="2020-03-31")
    assert axis(months) == [
        ("Nov 2019", False),
        ("Dec", False),
        ("Jan 2020", True),
        ("Feb", False),
        ("Mar", False),
    ]


def test_a_known_at_before_the_window_draws_no_line(tmp_path: Path) -> None:
    """The dashed line marks ``known_at`` where it falls in the window, and nowhere
    (not at the window's edge) when it falls outside it."""
    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.append(
        Commitment(
            id="truce",
            occurred=TimeExtent.parse("2020-07-01"),
            reported=TimeExtent.parse("2020-07-01"),
            parties=("a",),
            commitment_kind="ceasefire",
        )
    )
    out = render_html(timeline, tmp_path / "k.html", start=START, end=END, known_at="2020-08-01")
    doc = parse(out)
    assert [lane.attrs["data-commitment"] for lane in doc.find("g", class_="lane commitment")] == [
        "truce"
    ]
    assert doc.find("line", class_="known-at-line") == []
    assert doc.find("g", class_="known-at") == []


# ------------------------------------------------------------------ choosing the picture


def _attacks(n: int, *, statement: bool = False) -> Timeline:
    timeline = Timeline()
    timeline.extend(actors("a"))
    timeline.extend(
        Attack(id=f"x{i}", occurred=TimeExtent.parse(f"2020-10-{1 + i % 28:02d}"), perpetrator="a")
        for i in range(n)
    )
    if statement:
        timeline.append(
            Statement(id="s", occurred=TimeExtent.parse("2020-10-05"), speaker="a", summary="s")
        )
    return timeline


def _picture(timeline: Timeline, path: Path, **kwargs: object) -> str:
    out = render_html(timeline, path, start=START, end=END, **kwargs)  # type: ignore[arg-type]
    (body,) = parse(out).find("body")
    return body.attrs["data-picture"]


def test_at_most_300_marks_are_drawn_in_detail(tmp_path: Path) -> None:
    """render_html's docstring: the detail when at most 300 incidents, requests and
    statements fall in the window, the overview for more; ``detail=True`` refuses
    more than 5,000."""
    assert _picture(_attacks(300), tmp_path / "300.html") == "detail"
    assert _picture(_attacks(301), tmp_path / "301.html") == "overview"
    assert _picture(_attacks(300, statement=True), tmp_path / "300s.html") == "overview"
    assert _picture(_attacks(5_000), tmp_path / "5000.html", detail=True) == "detail"
    with pytest.raises(QueryError, match=r"5,001 incidents, requests and statements"):
        render_html(_attacks(5_001), tmp_path / "5001.html", start=START, end=END, detail=True)


def test_the_smallest_chart_is_min_width_by_400(tmp_path: Path) -> None:
    """``MIN_WIDTH`` is the narrowest chart drawn; the overview needs 400 px of height."""
    timeline = _attacks(1)
    assert _picture(timeline, tmp_path / "w.html", width=MIN_WIDTH) == "detail"
    with pytest.raises(QueryError, match=f"at least {MIN_WIDTH}"):
        render_html(timeline, tmp_path / "x.html", width=MIN_WIDTH - 1)
    assert _picture(timeline, tmp_path / "h.html", height=400, detail=False) == "overview"
    with pytest.raises(QueryError, match="400 pixels"):
        render_html(timeline, tmp_path / "x.html", height=399)


# ------------------------------------------------------------------ the overview


def _lanes(doc: Node, css: str) -> list[tuple[str, str]]:
    return [
        (g.attrs.get("data-group") or g.attrs.get("data-commitment") or g.attrs["data-lane"],
         notes(g)[0].split(";")[0])
        for g in doc.find("g", class_=css)
    ]  # fmt: skip


def test_the_biggest_groups_get_a_lane_and_the_last_names_the_rest(tmp_path: Path) -> None:
    """docs/howto/render.md: attacks are grouped, the biggest groups get a lane each,
    the rest share the last lane, which names them on hover; only what lies in the
    window is counted (an instant at its first microsecond, or at midnight starting
    a day, is in it); requests and statements are counted in the top lane.

    At height 400 the lanes get 400 - 230 (page) - 34 (axis) - 30 (requests) = 106
    px: three lanes of 30 px, so two groups and the rest."""
    timeline = Timeline()
    timeline.extend(actors("a", "b", "c", "d", "e"))

    def hit(aid: str, who: str, when: str) -> Attack:
        return Attack(id=aid, occurred=TimeExtent.parse(when), perpetrator=who)

    timeline.extend(
        [
            # A one-sided attack on b's forces counts under a alone.
            Attack(
                id="a-on-b",
                occurred=TimeExtent.parse("2020-10-09"),
                perpetrator="a",
                target_actor="b",
                target_class="military",
            ),
            *(hit(f"a{i}", "a", f"2020-10-{10 + i}") for i in range(3)),
            hit("a-before", "a", "2020-08-15"),
            *(hit(f"b{i}", "b", f"2020-11-{10 + i}") for i in range(3)),
            *(hit(f"c{i}", "c", f"2020-12-{10 + i}") for i in range(2)),
            hit("d0", "d", "2020-10-01T00:00:00+00:00"),  # midnight: the first of a day
            hit("e0", "e", "2020-09-01T00:00:00+00:00"),  # the window's first instant
            Request(
                id="ask",
                occurred=TimeExtent.parse("2020-10-01"),
                requester="a",
                requested_of="b",
                summary="stop",
            ),
            Request(
                id="ask-before",
                occurred=TimeExtent.parse("2020-08-01"),
                requester="a",
                requested_of="b",
                summary="stop",
            ),
            Statement(
                id="said-before", occurred=TimeExtent.parse("2020-08-02"), speaker="a", summary="s"
            ),
        ]
    )
    out = render_html(
        timeline, tmp_path / "g.html", start=START, end=END, detail=False, height=400
    )
    doc = parse(out)
    assert _lanes(doc, "lane requests") == [("requests", "1 request(s), 0 statement(s)")]
    assert _lanes(doc, "lane group") == [
        ("A", "4 attack(s)"),
        ("B", "3 attack(s)"),
        ("3 other actor groups", "4 attack(s)"),
    ]
    # Each lane has its own scale: its peak column fills the lane, 30 - 4 - 3 px.
    (a_lane,) = doc.find("g", class_="lane group", data_group="A")
    heights = {r.attrs["height"] for b in a_lane.find("g", class_="bin") for r in b.find("rect")}
    assert heights == {"23.0"}
    (rest,) = doc.find("g", class_="lane group", data_group="3 other actor groups")
    tooltip = rest.find("g", class_="lane-label")[0].find("title")[0].all_text()
    assert tooltip.split("\n")[0] == (
        "Attacks, grouped by actor (a clash between sides counts under each side): C; D; E"
    )


def _commitments(n: int, *, assessed: str | None = None) -> Timeline:
    timeline = Timeline()
    timeline.extend(actors("a", "b"))
    timeline.extend(
        Commitment(
            id=f"c{i}",
            occurred=TimeExtent.parse("2020-09-05"),
            until=TimeExtent.parse("2020-10-15"),
            parties=("a",),
            commitment_kind="ceasefire",
        )
        for i in range(1, n + 1)
    )
    timeline.append(Attack(id="hit", occurred=TimeExtent.parse("2020-10-10"), perpetrator="a"))
    if assessed is not None:
        timeline.append(
            Accusation(
                id="acc",
                occurred=TimeExtent.parse("2020-10-11"),
                accuser="b",
                accused=("a",),
                incidents=("hit",),
                breach_of=assessed,
            )
        )
    return timeline


def test_the_commitments_with_most_assessed_incidents_keep_a_lane(tmp_path: Path) -> None:
    """docs/howto/render.md: in the overview each commitment keeps a lane, with a bar
    over its time in force; when there are more than fit (six at the default
    height), the ones with the most assessed incidents keep a lane and the last lane
    counts how many of the others were in force."""
    six = parse(
        render_html(_commitments(6), tmp_path / "6.html", start=START, end=END, detail=False)
    )
    assert [c for c, _ in _lanes(six, "lane commitment")] == ["c1", "c2", "c3", "c4", "c5", "c6"]
    assert six.find("g", class_="lane commitments-more") == []

    seven = render_html(
        _commitments(7, assessed="c7"), tmp_path / "7.html", start=START, end=END, detail=False
    )
    doc = parse(seven)
    assert _lanes(doc, "lane commitment") == [
        ("c1", "0 possible violation(s)"),
        ("c2", "0 possible violation(s)"),
        ("c3", "0 possible violation(s)"),
        ("c4", "0 possible violation(s)"),
        ("c7", "1 possible violation(s)"),
    ]
    # The sixth lane: c5 and c6, in force from 5 September to the end of 15 October,
    # 26 + 15 daily bins.
    (more,) = doc.find("g", class_="lane commitments-more")
    tips = [b.find("title")[0].all_text() for b in more.find("g", class_="bin")]
    assert len(tips) == 41
    assert tips[0] == "2 more commitments, 5 Sep 2020: 2 commitment(s) in force"
    assert tips[-1] == "2 more commitments, 15 Oct 2020: 2 commitment(s) in force"
    # c7's bar: from 5 September to the end of 15 October, 41 of 122 days over 914 px.
    (bar,) = lane_of(doc, "c7").find("g", class_="bar")
    (rect,) = bar.find("rect")
    assert float(rect.attrs["x"]) == round(LEFT + 914 * 4 / 122, 1)
    assert float(rect.attrs["width"]) == round(914 * 41 / 122, 1)


def test_attacks_grouped_by_country_and_by_conflict(tmp_path: Path) -> None:
    """docs/howto/render.md: ``"country"`` groups by the country the place lies in
    (by the gazetteer: a town in a region in a country counts under the country);
    ``"conflict"`` by the two sides, the perpetrator and the target actor, or the
    kind of target when no actor is targeted."""
    timeline = Timeline()
    timeline.extend(actors("a", "b"))
    timeline.extend(
        [
            PlaceDefined(id="xland", name="Xland", place_kind="country"),
            PlaceDefined(id="north", name="North", place_kind="region", parent="xland"),
            PlaceDefined(id="town", name="Town", place_kind="city", parent="north"),
            Attack(
                id="h1", occurred=TimeExtent.parse("2020-10-10"), perpetrator="a", place="town"
            ),
            Attack(
                id="h2",
                occurred=TimeExtent.parse("2020-10-11"),
                perpetrator="a",
                target_class="civilian",
            ),
        ]
    )
    by_country = parse(
        render_html(
            timeline, tmp_path / "c.html", start=START, end=END, detail=False, group_by="country"
        )
    )
    assert sorted(_lanes(by_country, "lane group")) == [
        ("Xland", "1 attack(s)"),
        ("unknown place", "1 attack(s)"),
    ]
    by_conflict = parse(
        render_html(
            timeline, tmp_path / "k.html", start=START, end=END, detail=False, group_by="conflict"
        )
    )
    assert sorted(_lanes(by_conflict, "lane group")) == [
        ("A \u2013 civilian targets", "1 attack(s)"),
        ("A \u2013 unknown targets", "1 attack(s)"),
    ]


def test_names_are_as_known_at_known_at_and_cut_only_when_too_long(tmp_path: Path) -> None:
    """``known_at`` draws what was known then, names included: an actor renamed by a
    correction reported later keeps the name it had. A lane's heading is cut with an
    ellipsis only when longer than its 40 characters."""
    timeline = Timeline()
    name = "N" * 29  # "Ceasefire: " and the name: 40 characters
    timeline.append(
        ActorDefined(
            id="a", name=name, actor_kind="armed_force", reported=TimeExtent.parse("2020-07-01")
        ),
        Commitment(
            id="truce",
            occurred=TimeExtent.parse("2020-07-01"),
            reported=TimeExtent.parse("2020-07-01"),
            parties=("a",),
            commitment_kind="ceasefire",
        ),
        Correction(
            id="rename",
            occurred=TimeExtent.parse("2020-11-01"),
            reported=TimeExtent.parse("2020-11-01"),
            corrects="a",
            replacement=ActorDefined(id="a", name=name + "X", actor_kind="armed_force"),
        ),
    )

    def heading(**kwargs: object) -> str:
        out = render_html(timeline, tmp_path / "n.html", start=START, end=END, **kwargs)  # type: ignore[arg-type]
        (text,) = lane_of(parse(out), "truce").find("text", class_="lane-title")
        return text.all_text()

    assert heading(known_at="2020-10-01") == f"Ceasefire: {name}"
    assert heading() == f"Ceasefire: {name[:28]}\u2026"


def test_a_mark_label_goes_right_if_it_fits_else_left_else_cut_to_the_wider_side() -> None:
    """``_beside`` (its docstring): on the right of the mark where the label fits
    there, else on the left; cut to the wider side when it fits neither, to the
    characters that fit, with an ellipsis. Labels are 6.9 px a character."""
    from conflict_timeline._render._lanes import _beside

    assert _beside("abc", 69.0, 138.0) == ("abc", pytest.approx(20.7), True)
    fifteen = "f" * 15  # 103.5 px: too wide for the right, fits the left
    assert _beside(fifteen, 69.0, 138.0) == (fifteen, pytest.approx(103.5), False)
    # 40 characters fit neither: cut to the left's 138 px, 20 characters with the
    # ellipsis (not to the right's 69 px, 10 characters).
    assert _beside("x" * 40, 69.0, 138.0) == ("x" * 19 + "\u2026", pytest.approx(138.0), False)
    # The right the wider: cut to it, and put there.
    assert _beside("x" * 40, 138.0, 69.0) == ("x" * 19 + "\u2026", pytest.approx(138.0), True)
