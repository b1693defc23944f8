"""render_html: one self-contained file, opened in headless Chromium.

The browser tests need Debian's ``chromium`` (``.ci/run`` installs it). Without it
they are skipped on a developer's machine, and fail under CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conflict_timeline import QueryError, Timeline, datasets, render_html
from conflict_timeline._time import from_epoch_us

CHROMIUM = shutil.which("chromium") or shutil.which("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
TITLE = "Nagorno-Karabakh, October 2020: commitments, requests and reported violations"
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="needs Debian's chromium (apt-get install chromium); .ci/run installs it",
)


@pytest.fixture(scope="module")
def karabakh() -> Timeline:
    timeline = Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    return timeline


@pytest.fixture(scope="module")
def page(karabakh: Timeline, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("render") / "karabakh.html"
    written = render_html(karabakh, out, start="2020-09-20", end="2020-11-07", title=TITLE)
    assert written == out
    return out


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None, "chromium is not installed (apt-get install chromium)"
    profile = tmp_path / "profile"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


class Elements(HTMLParser):
    """Every element with its attributes, and the text of each <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.stack: list[dict[str, str]] = []
        # (data-record, data-basis or data-kind) of the enclosing group -> its <title>
        self.titles: dict[tuple[str, str], str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes))
        self.stack.append({"tag": tag, **attributes})

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()["tag"] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1]["tag"] == "title":
            owner = next((e for e in reversed(self.stack[:-1]) if "data-record" in e), None)
            if owner is not None:
                what = owner.get("data-basis") or owner.get("data-kind", "")
                self.titles[owner["data-record"], what] = data

    def having(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [
            a
            for t, a in self.elements
            if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in wanted.items())
        ]


def parse(text: str) -> Elements:
    parser = Elements()
    parser.feed(text)
    return parser


def test_the_file_loads_nothing_from_anywhere(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text
    assert "<link" not in text
    assert "@import" not in text
    assert "src=" not in text
    assert re.findall(r"url\((?!#)", text) == []  # only references inside the file
    assert "default-src 'none'" in text  # and the browser is told so


def test_lanes_marks_and_ticks_in_the_source(page: Path) -> None:
    doc = parse(page.read_text(encoding="utf-8"))
    lanes = {a["data-commitment"] for a in doc.having("g", **{"class": "lane commitment"})}
    assert lanes == {"pact-1997", "civilian-protection", "russia-pledge"}
    marks = [(a["data-record"], a["data-basis"]) for a in doc.having("g", **{"class": "mark"})]
    assert sorted(marks) == [
        ("shushi-shelling", "alleged"),
        ("stepanakert-market", "alleged"),
        ("stepanakert-market", "candidate"),
        ("stepanakert-residential", "alleged"),
        ("stepanakert-residential", "candidate"),
    ]
    ticks = {a["data-record"]: a["data-kind"] for a in doc.having("g", **{"class": "tick"})}
    assert ticks == {"pashinyan-request": "request", "russia-mfa-statement": "statement"}
    # Sources on hover.
    alleged = doc.titles["stepanakert-market", "alleged"]
    assert "Sources: Reuters" in alleged
    assert "alleged by Nagorno-Karabakh authorities; against Azerbaijani forces" in alleged
    assert "by rule" in doc.titles["stepanakert-market", "candidate"]
    assert (
        "occurred: 2020-10-31 (day, Europe/Moscow)"
        in doc.titles["russia-mfa-statement", "statement"]
    )


@needs_chromium
def test_chromium_renders_the_lanes_and_marks(page: Path, tmp_path: Path) -> None:
    result = chromium(tmp_path, "--dump-dom", page.as_uri())
    doc = parse(result.stdout)
    assert doc.having("svg", **{"class": "timeline"})
    assert {a["data-commitment"] for a in doc.having("g", **{"class": "lane commitment"})} == {
        "pact-1997",
        "civilian-protection",
        "russia-pledge",
    }
    bases = sorted(a["data-basis"] for a in doc.having("g", **{"class": "mark"}))
    assert bases == ["alleged", "alleged", "alleged", "candidate", "candidate"]
    assert len(doc.having("g", **{"class": "tick"})) == 2
    ended = {a["data-status"] for a in doc.having("g", **{"class": "bar"})}
    assert ended == {"active"}


@needs_chromium
def test_chromium_takes_a_screenshot(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    chromium(tmp_path, "--window-size=1320,640", f"--screenshot={shot}", page.as_uri())
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000  # a picture, not a blank page


def test_known_at_draws_what_was_known_then(karabakh: Timeline, tmp_path: Path) -> None:
    out = render_html(
        karabakh,
        tmp_path / "then.html",
        start="2020-09-20",
        end="2020-11-07",
        known_at="2020-10-15",
    )
    doc = parse(out.read_text(encoding="utf-8"))
    assert [a["data-commitment"] for a in doc.having("g", **{"class": "lane commitment"})] == [
        "pact-1997"
    ]
    assert doc.having("g", **{"class": "mark"}) == []
    assert doc.having("g", **{"class": "known-at"})


def test_an_ended_commitment_shows_how_it_ended(karabakh: Timeline, tmp_path: Path) -> None:
    from conflict_timeline import CommitmentEnded, TimeExtent

    timeline = Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    timeline.append(
        CommitmentEnded(
            id="civilian-protection-collapsed",
            occurred=TimeExtent.parse("2020-11-03"),
            commitment="civilian-protection",
            reason="collapsed",
        )
    )
    out = render_html(timeline, tmp_path / "ended.html", start="2020-09-20", end="2020-11-07")
    text = out.read_text(encoding="utf-8")
    doc = parse(text)
    bars = {a["data-ended"] for a in doc.having("g", **{"class": "bar"})}
    assert bars == {"in force", "collapsed"}
    assert "collapsed 2020-11-03" in text
    del karabakh


def test_a_statement_with_a_place_names_it_on_hover(tmp_path: Path) -> None:
    """A statement's tooltip says where it was made, by the place's name; one with
    no place says nothing of it."""
    from conflict_timeline import Statement, TimeExtent

    timeline = Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    timeline.append(
        Statement(
            id="stepanakert-statement",
            occurred=TimeExtent.parse("2020-10-30"),
            speaker="russia-mfa",
            summary="A statement made in Stepanakert",
            place="stepanakert",
        )
    )
    out = render_html(timeline, tmp_path / "placed.html", start="2020-09-20", end="2020-11-07")
    doc = parse(out.read_text(encoding="utf-8"))
    assert "\nat Stepanakert\n" in doc.titles["stepanakert-statement", "statement"]
    assert "\nat " not in doc.titles["russia-mfa-statement", "statement"]


def test_a_clash_between_sides_is_drawn_as_both_sides_never_as_an_attack_on_side_b(
    tmp_path: Path,
) -> None:
    """UCDP's side A and side B are sides, not perpetrator and target
    (docs/explanation/violations.md): a GED clash is labelled with both sides, and,
    grouped by actor, counted under each side (either may have struck); a one-sided
    attack keeps its target in the label and counts under its perpetrator only."""
    from conflict_timeline import ActorDefined, Attack, Codes, PlaceDefined, Source, TimeExtent

    def attack(aid: str, day: str, violence: str, **fields: str) -> Attack:
        return Attack(
            id=aid,
            occurred=TimeExtent.parse(day),
            perpetrator="gov",
            place="town",
            codes=Codes(ucdp_type_of_violence=violence),
            sources=(Source(publisher="test", published=day),),
            **fields,  # type: ignore[arg-type]
        )

    timeline = Timeline()
    timeline.append(
        ActorDefined(id="gov", name="Government of X", actor_kind="government"),
        ActorDefined(id="reb", name="Rebels", actor_kind="armed_force"),
        PlaceDefined(id="town", name="Town", place_kind="city"),
        attack("clash", "2020-05-02", "1", target_actor="reb", target_class="military"),
        attack("one-sided", "2020-05-03", "3", target_class="civilian"),
    )
    detail = render_html(timeline, tmp_path / "detail.html", detail=True).read_text("utf-8")
    labels = dict(
        re.findall(r'data-record="([^"]+)"[^>]*>.*?class="mark-label"[^>]*>([^<]+)<', detail, re.S)
    )
    assert labels == {
        "clash": "Town: Government of X \u2013 Rebels",
        "one-sided": "Town: civilian target",
    }
    overview = render_html(timeline, tmp_path / "o.html", detail=False, group_by="actor")
    lanes = dict(
        re.findall(
            r'data-group="([^"]+)">.*?class="lane-note">([\d,]+) attack',
            overview.read_text("utf-8"),
            re.S,
        )
    )
    assert lanes == {"Government of X": "2", "Rebels": "1"}


def test_bad_window_is_a_query_error(karabakh: Timeline, tmp_path: Path) -> None:
    # The message names the values given and, for the one left out, the bound taken.
    with pytest.raises(QueryError) as both:
        render_html(karabakh, tmp_path / "x.html", start="2020-11-07", end="2020-09-20")
    assert str(both.value) == (
        "end='2020-09-20' (up to 2020-09-20T23:59:59.999999+00:00) is before "
        "start='2020-11-07' (2020-11-07T00:00:00+00:00)"
    )
    last = max(r.occurred.last for r in datasets.karabakh_oct_2020() if not r.occurred.is_timeless)
    with pytest.raises(QueryError) as late:
        render_html(karabakh, tmp_path / "x.html", start="2031-01-01")
    assert str(late.value).startswith("start='2031-01-01' is after the last dated record (")
    assert f"({from_epoch_us(last).isoformat()})" in str(late.value)
    with pytest.raises(QueryError, match=r"^end='1900-01-01' is before the first dated record \("):
        render_html(karabakh, tmp_path / "x.html", end="1900-01-01")
    assert not (tmp_path / "x.html").exists()
    with pytest.raises(QueryError, match="start"):
        render_html(karabakh, tmp_path / "x.html", start="yesterday-ish")
    with pytest.raises(QueryError, match="no dated records"):
        render_html(Timeline(), tmp_path / "x.html")
