"""The picture at real scale: an overview that fits one screen, detail for a window.

Checked in the source (sizes, counts per bin against an oracle written from the
rule) and in headless Chromium at 1,400 x 900 (the page fits, the axis stays on
top while scrolling, the check boxes hide what they name) for the seed example,
the GED sample and a generated 100k-record timeline. ``docs/img`` holds the
screenshots these tests take when ``CT_SAVE_SCREENSHOTS`` names a folder.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from html import unescape as html_unescape
from pathlib import Path

import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    QueryError,
    TimeExtent,
    Timeline,
    datasets,
    render_html,
)

ROOT = Path(__file__).resolve().parent.parent
GED = Path(__file__).parent / "data" / "ucdp-ged-23.1-sample-1000.csv"
CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="needs Debian's chromium (apt-get install chromium); .ci/run installs it",
)
WHITE = (255, 255, 255)
DOC_PICTURES = {
    "karabakh-oct-2020-seed",
    "ucdp-ged-sample",
    "generated-100k",
    "ucdp-ged-sample-scrolled",
}


# ------------------------------------------------------------------ helpers


def png_pixels(data: bytes) -> tuple[int, int, list[list[tuple[int, int, int]]]]:
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, color, _c, _f, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8
    assert color in (2, 6)
    assert interlace == 0
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    rows: list[list[tuple[int, int, int]]] = []
    previous = bytearray(stride)
    i = 0
    for _ in range(height):
        filt, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = previous[x]
            c = previous[x - bpp] if x >= bpp else 0
            if filt == 1:
                line[x] = (line[x] + a) & 0xFF
            elif filt == 2:
                line[x] = (line[x] + b) & 0xFF
            elif filt == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        rows.append([tuple(line[x : x + 3]) for x in range(0, stride, bpp)])  # type: ignore[misc]
        previous = line
    return width, height, rows


def screenshot(
    page: Path, tmp_path: Path, width: int, height: int, fragment: str = "", *, wait: bool = False
) -> bytes:
    """A ``width`` x ``height`` screenshot of ``page``; ``wait`` lets its scripts run."""
    assert CHROMIUM is not None, "chromium is not installed (apt-get install chromium)"
    shot = tmp_path / f"shot-{width}x{height}.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--window-size={width},{height}",
            *(["--virtual-time-budget=3000"] if wait else []),
            f"--screenshot={shot}",
            page.as_uri() + fragment,
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    data = shot.read_bytes()
    keep = os.environ.get("CT_SAVE_SCREENSHOTS")
    if keep and (width, height) == (1400, 900) and page.stem in DOC_PICTURES and not fragment:
        shutil.copy(shot, Path(keep) / page.with_suffix(".png").name)
    return data


def assert_fits_one_screen(page: Path, tmp_path: Path) -> None:
    """Drawn on a bigger screen, nothing lies right of x=1,400 or below y=900."""
    width, height, pixels = png_pixels(screenshot(page, tmp_path, 1600, 1200))
    assert (width, height) == (1600, 1200)
    below = [x for y in range(900, 1200) for x in range(0, 1600, 4) if pixels[y][x] != WHITE]
    right = [y for y in range(0, 900, 4) for x in range(1400, 1600, 2) if pixels[y][x] != WHITE]
    assert below == [], "the page is taller than 900 px"
    assert right == [], "the page is wider than 1,400 px"
    inked = sum(1 for y in range(0, 900, 3) for x in range(0, 1400, 3) if pixels[y][x] != WHITE)
    assert inked > 5_000  # a chart, not a blank page


def svg_boxes(text: str) -> list[tuple[int, int]]:
    return [
        (int(w), int(h)) for w, h in re.findall(r'<svg[^>]* width="(\d+)" height="(\d+)"', text)
    ]


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def karabakh() -> Timeline:
    timeline = Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    return timeline


@pytest.fixture(scope="module")
def ged() -> Timeline:
    timeline = Timeline()
    timeline.import_ucdp(GED)
    return timeline


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated 100k-record timeline (the benchmark's workload), drawn."""
    sys.path.insert(0, str(ROOT))
    try:
        from bench.workload import generate
    finally:
        sys.path.remove(str(ROOT))
    timeline = Timeline()
    timeline.extend(generate(100_000))
    out = tmp_path_factory.mktemp("big") / "generated-100k.html"
    render_html(timeline, out, title="A generated timeline: 100,000 records, 100 conflicts")
    return out


# ------------------------------------------------------------------ the source


def test_the_seed_example_is_drawn_in_detail(karabakh: Timeline, tmp_path: Path) -> None:
    out = render_html(karabakh, tmp_path / "seed.html")
    text = out.read_text(encoding="utf-8")
    assert 'data-picture="detail"' in text
    assert text.count('class="mark"') == 5  # every incident individually labelled


def test_the_ged_sample_gets_the_overview(ged: Timeline, tmp_path: Path) -> None:
    out = render_html(ged, tmp_path / "ged.html", title="UCDP GED 23.1 sample")
    text = out.read_text(encoding="utf-8")
    assert 'data-picture="overview' in text
    boxes = svg_boxes(text)
    assert all(w <= 1400 for w, _ in boxes)
    # The axis and the lanes, stacked, leave room for the heading in 900 px.
    assert sum(h for _, h in boxes) <= 900 - 200
    # 987 events in one lane made the old chart 15,264 px tall; every attack is
    # still counted: once in the lane of its perpetrator, and a clash between sides
    # (most of GED) once in the lane of each side, the sides without a lane of their
    # own sharing the last one (docs/howto/render.md).
    lanes = dict(
        re.findall(r'data-group="([^"]+)">.*?class="lane-note">([\d,]+) attack\(s\)', text, re.S)
    )
    named = {r.record.id: r.record.name for r in ged if isinstance(r.record, ActorDefined)}
    expected: dict[str, int] = dict.fromkeys(lanes, 0)
    (shared,) = [lane for lane in lanes if lane.endswith(" other actor groups")]
    for recorded in ged:
        attack = recorded.record
        if not isinstance(attack, Attack):
            continue
        sides = {named[attack.perpetrator] if attack.perpetrator else "unknown perpetrator"}
        if attack.between_sides and attack.target_actor is not None:
            sides.add(named[attack.target_actor])
        for lane in {side if side in lanes else shared for side in sides}:
            expected[lane] += 1
    assert {lane: int(n.replace(",", "")) for lane, n in lanes.items()} == expected


def test_a_window_of_the_ged_sample_is_drawn_in_detail(ged: Timeline, tmp_path: Path) -> None:
    out = render_html(ged, tmp_path / "week.html", start="2013-01-01", end="2013-01-07")
    text = out.read_text(encoding="utf-8")
    assert 'data-picture="detail"' in text
    in_window = [
        r.id
        for r in ged
        if r.kind == "Attack"
        and r.record.occurred.lo < TimeExtent.parse("2013-01-07").last
        and r.record.occurred.last >= TimeExtent.parse("2013-01-01").lo
    ]
    assert in_window
    assert sorted(re.findall(r'<g class="mark" data-record="([^"]+)"', text)) == sorted(in_window)


def _attack(n: int, day: str, actor: str = "a") -> Attack:
    return Attack(id=f"x{n}", occurred=TimeExtent.parse(day), perpetrator=actor)


def test_counts_per_bin_share_a_span_among_its_bins(tmp_path: Path) -> None:
    """Two attacks on 2 June, one on 20 June, one known only to "June 2021"."""
    timeline = Timeline()
    timeline.extend([ActorDefined(id="a", name="Group A", actor_kind="armed_force")])
    timeline.extend(
        [
            _attack(1, "2021-06-02"),
            _attack(2, "2021-06-02"),
            _attack(3, "2021-06-20"),
            _attack(4, "2021-06"),
        ]
    )
    out = render_html(
        timeline, tmp_path / "bins.html", start="2021-06-01", end="2021-06-30", detail=False
    )
    text = out.read_text(encoding="utf-8")
    # 30 days in ~900 px: daily bins. The month-precise attack is shared by 30 days.
    tips = dict(re.findall(r"<title>Group A, (\d+ Jun 2021): ([^<]+)</title>", text))
    assert len(tips) == 30
    assert tips["2 Jun 2021"] == "2.03 attack(s) not assessed"  # 2 + 1/30
    assert tips["20 Jun 2021"] == "1.03 attack(s) not assessed"
    assert tips["5 Jun 2021"] == "0.03 attack(s) not assessed"
    assert 'class="lane-note">4 attack(s)' in text


def test_detail_refuses_too_many_and_group_by_is_checked(ged: Timeline, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="group_by must be one of actor, country, conflict"):
        render_html(ged, tmp_path / "x.html", group_by="dyad")  # type: ignore[arg-type]
    out = render_html(ged, tmp_path / "all.html", detail=True)  # 987 marks: allowed
    assert 'data-picture="detail"' in out.read_text(encoding="utf-8")


def test_group_by_country_and_conflict(ged: Timeline, tmp_path: Path) -> None:
    by_country = render_html(ged, tmp_path / "c.html", group_by="country").read_text("utf-8")
    countries = re.findall(r'class="lane group" data-group="([^"]+)"', by_country)
    assert "Afghanistan" in countries or len(countries) > 1
    by_conflict = render_html(ged, tmp_path / "k.html", group_by="conflict").read_text("utf-8")
    assert re.search(r'data-group="[^"]+ \u2013 [^"]+"', by_conflict)


@pytest.mark.parametrize(
    ("start", "end", "unit"),
    [
        # 1,400 px wide leaves 800-1,100 px of chart: the smallest unit whose bins are
        # at least 4 px wide is then the same for any chart width in that range.
        ("2013-01-01", "2013-02-28", "day"),  # 59 bins: 13 px or more
        ("2012-01-01", "2014-12-31", "week"),  # a day < 1 px; 157 weeks: 5 px or more
        ("2000-01-01", "2014-12-31", "month"),  # a week < 1.5 px; 180 months: 4.4 px+
        ("1989-01-01", "2022-12-31", "year"),  # a month < 2.8 px
    ],
)
def test_the_overview_bins_by_the_smallest_unit_at_least_4_px_wide(
    ged: Timeline, tmp_path: Path, start: str, end: str, unit: str
) -> None:
    page = render_html(
        ged, tmp_path / "bins.html", start=start, end=end, detail=False, width=1400
    ).read_text(encoding="utf-8")
    assert f"overview: counts per {unit}," in page


def test_the_command_line_groups_by_country(tmp_path: Path) -> None:
    """``render --group-by country``: one lane per country of the events, the country
    with most events among them (countries as the GED file names them; an event in
    international waters or airspace, ``where_prec`` 7, is in none: its group is its
    own place, named by ``where_coordinates``)."""
    import csv as _csv
    from collections import Counter

    db = tmp_path / "ged.db"
    with Timeline.open(db) as timeline:
        timeline.import_ucdp(GED)
    out = tmp_path / "by-country.html"
    subprocess.run(
        [sys.executable, "-m", "conflict_timeline", "render", str(db), "-o", str(out),
         "--group-by", "country"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    lanes = re.findall(r'class="lane group" data-group="([^"]+)"', out.read_text("utf-8"))
    with GED.open(encoding="utf-8") as fh:
        countries = Counter(
            row["where_coordinates"] if row["where_prec"] == "7" else row["country"]
            for row in _csv.DictReader(fh)
        )
    named = [lane for lane in lanes if lane in countries]
    rest = [lane for lane in lanes if lane not in countries]
    assert len(named) > 1
    assert countries.most_common(1)[0][0] in named
    # The countries without a lane of their own share one, which says how many.
    assert rest == [f"{len(countries) - len(named)} other country groups"]


def test_mark_labels_only_where_they_fit(ged: Timeline, tmp_path: Path) -> None:
    """In the GED sample's detail, no two mark labels on one line overlap, none runs
    into the lane names (the first 330 px) or past the chart, and a label with room
    on neither side of its mark is cut with an ellipsis (widths at 6.9 px a character,
    the widest average of the 12 px font the page asks for). Some GED labels list a
    dozen actors, 260 characters."""
    text = render_html(ged, tmp_path / "labels.html", detail=True, width=1400).read_text(
        encoding="utf-8"
    )
    label = r'<text x="([\d.]+)" y="([\d.]+)" class="mark-label" text-anchor="(start|end)">'
    found = re.findall(label + r"([^<]*)</text>", text)
    assert len(found) >= 900
    assert any(text.endswith("\u2026") for *_, text in found)  # the long ones, cut
    lines: dict[str, list[tuple[float, float]]] = {}
    for x, y, anchor, words in found:
        width = 6.9 * len(html_unescape(words))
        left = float(x) if anchor == "start" else float(x) - width
        lines.setdefault(y, []).append((left, left + width))
    for spans in lines.values():
        spans.sort()
        assert spans[0][0] >= 330
        assert spans[-1][1] <= 1400
        for (_, right), (left, _) in itertools.pairwise(spans):
            assert right <= left


@needs_chromium
def test_chromium_an_unchecked_kind_hides_its_marks(ged: Timeline, tmp_path: Path) -> None:
    """Unchecking "other attacks" hides every mark of that kind: in the GED sample
    (where no attack is assessed against a commitment) the lane's counts vanish."""
    page = render_html(ged, tmp_path / "kinds.html")
    text = page.read_text(encoding="utf-8")
    assert '<input type="checkbox" id="show-none" checked>' in text
    hidden = tmp_path / "kinds-hidden.html"
    hidden.write_text(text.replace('id="show-none" checked>', 'id="show-none">'), encoding="utf-8")

    def dark(path: Path) -> int:
        """Pixels darker than the lanes' pale backgrounds (the grey count columns)."""
        _w, _h, pixels = png_pixels(screenshot(path, tmp_path, 1400, 900))
        return sum(1 for row in pixels[200:] for p in row[360:1380:3] if min(p) < 200)

    shown, gone = dark(page), dark(hidden)
    assert gone < shown // 2


def test_the_100k_timeline_stays_small(big: Path) -> None:
    size = big.stat().st_size
    assert size <= 10 * 1024 * 1024
    text = big.read_text(encoding="utf-8")
    assert 'data-picture="overview' in text
    assert "<script" not in text
    assert "default-src 'none'" in text


# ------------------------------------------------------------------ in Chromium


@needs_chromium
def test_chromium_seed_example_at_1400x900(karabakh: Timeline, tmp_path: Path) -> None:
    page = render_html(
        karabakh, tmp_path / "karabakh-oct-2020-seed.html", title="The seed example"
    )
    assert_fits_one_screen(page, tmp_path)
    screenshot(page, tmp_path, 1400, 900)


@needs_chromium
def test_chromium_ged_sample_fits_one_screen(ged: Timeline, tmp_path: Path) -> None:
    page = render_html(ged, tmp_path / "ucdp-ged-sample.html", title="UCDP GED 23.1 sample")
    assert_fits_one_screen(page, tmp_path)
    screenshot(page, tmp_path, 1400, 900)


@needs_chromium
def test_chromium_100k_fits_one_screen(big: Path, tmp_path: Path) -> None:
    assert_fits_one_screen(big, tmp_path)
    screenshot(big, tmp_path, 1400, 900)


@needs_chromium
def test_chromium_unchecked_boxes_hide_the_lanes(ged: Timeline, tmp_path: Path) -> None:
    page = render_html(ged, tmp_path / "filtered.html")
    text = page.read_text(encoding="utf-8")
    lanes = re.findall(r'<input type="checkbox" id="show-(row-\d+)" checked>', text)
    assert lanes
    unchecked = text
    for lane in lanes:
        unchecked = unchecked.replace(f'id="show-{lane}" checked>', f'id="show-{lane}">')
    hidden = tmp_path / "hidden.html"
    hidden.write_text(unchecked, encoding="utf-8")

    def inked_rows(path: Path) -> int:
        _w, _h, pixels = png_pixels(screenshot(path, tmp_path, 1400, 900))
        return sum(1 for row in pixels if any(p != WHITE for p in row[20:1380:5]))

    # Every lane hidden: what is left is the heading, the filters, the axis, the footer.
    assert inked_rows(hidden) < inked_rows(page) - 300


def test_the_axis_is_its_own_sticky_row(ged: Timeline, tmp_path: Path) -> None:
    """The date axis is a separate SVG in a row that CSS keeps at the top on scroll
    (in the source; `test_chromium_the_axis_stays_on_top_when_scrolled` shows it
    drawn)."""
    text = render_html(ged, tmp_path / "long.html", detail=True).read_text(encoding="utf-8")
    assert re.search(r"\.axis-row \{ position: sticky; top: 0;", text)
    chart = text[text.index('<div class="chart">') :]
    assert chart.index('<div class="axis-row"><svg class="axis"') < chart.index('class="row"')
    assert svg_boxes(text)[-1][1] > 5_000  # the lane scrolls under it


def _scrolled(text: str, down: int) -> str:
    """A copy of the page for the test only, scrolled ``down`` pixels: its content in
    a 900 px scrolling box and a script that scrolls it. (Headless Chromium paints a
    scrolled 15,000 px window blank; a scrolled box it paints. The page's own policy
    forbids scripts, so the copy leaves it out.)"""
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text, count=1)
    text = re.sub(
        r"<body([^>]*)>",
        r'<body\1><div id="box" style="height:900px;overflow:auto">',
        text,
        count=1,
    )
    script = f'<script>document.getElementById("box").scrollTop = {down};</script>'
    text = text.replace("</body>", f"</div>{script}</body>", 1)
    return text.replace("<style>", "<style>html, body { margin: 0; overflow: hidden; }", 1)


@needs_chromium
def test_chromium_the_axis_stays_on_top_when_scrolled(ged: Timeline, tmp_path: Path) -> None:
    """Scrolled 4,000 px down the GED sample's detail (15,000 px tall), the top of the
    screen shows the date axis, pixel for pixel as it is drawn unscrolled; with the
    sticky rule taken out, the same scroll shows lanes there instead."""
    text = render_html(ged, tmp_path / "long.html", detail=True).read_text(encoding="utf-8")
    assert svg_boxes(text)[-1][1] > 5_000
    pages = {
        "top": _scrolled(text, 0),
        "ucdp-ged-sample-scrolled": _scrolled(text, 4_000),
        "static": _scrolled(text, 4_000).replace(
            ".axis-row { position: sticky;", ".axis-row { position: static;"
        ),
    }
    shots = {}
    for name, html in pages.items():
        page = tmp_path / f"{name}.html"
        page.write_text(html, encoding="utf-8")
        shots[name] = png_pixels(screenshot(page, tmp_path, 1400, 900, wait=True))[2]
    top, scrolled, static = shots["top"], shots["ucdp-ged-sample-scrolled"], shots["static"]

    def inked(rows: list[list[tuple[int, int, int]]]) -> set[int]:
        """The columns with anything drawn in ``rows`` (text antialiasing varies with
        a fraction of a pixel of height; where things are across does not)."""
        return {x for x in range(1400) if any(row[x] != WHITE for row in rows)}

    def axis_at(rows: list[list[tuple[int, int, int]]]) -> int | None:
        """Where rows 10 to 40 of ``rows`` (the axis row's labels and ticks, when it is
        on top) lie in the unscrolled page, if anywhere: a strip of it with the same
        columns inked (all but 5%) and the same pixels (all but 1%)."""
        strip = rows[10:40]
        columns = inked(strip)
        if not columns:
            return None
        for y in range(400):
            there = top[y + 10 : y + 40]
            if len(columns ^ inked(there)) > 0.05 * len(columns | inked(there)):
                continue
            differ = sum(
                1
                for a, b in zip(strip, there, strict=True)
                for p, q in zip(a, b, strict=True)
                if p != q
            )
            if differ <= 0.01 * len(strip) * 1400:
                return y
        return None

    found = axis_at(scrolled)
    assert found is not None  # the axis, as drawn below the page's heading
    assert found > 0
    assert axis_at(static) is None
