"""The page: the window of time, the choice of overview or detail, filters, the file."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from .._export import current_records
from .._files import replacing
from .._labels import Names
from .._records import Record
from .._time import from_epoch_us, to_cut
from .._timeline import Timeline
from ..errors import QueryError
from ..stores import Recorded
from ..views import (
    CommitmentHistory,
    CommitmentLife,
    ReportedViolations,
    RequestLog,
    RequestStatus,
    Trigger,
    TriggeredCommitments,
    ViolationAssessment,
)
from ._lanes import (
    Lane,
    commitment_lanes,
    draw_lane,
    others_lane,
    requests_lane,
)
from ._overview import (
    COMMITMENT_H,
    GROUP_BY,
    STRIP_H,
    Bins,
    GroupBy,
    Strip,
    choose_bins,
    commitment_strips,
    draw_strip,
    group_strips,
    requests_strip,
)
from ._svg import (
    BAR,
    COLORS_BY_BASIS,
    FONT,
    GRID,
    INK,
    LABEL_W,
    MUTED,
    OTHER,
    PAD_R,
    REQUEST,
    STATEMENT,
    Window,
    esc,
    grid_lines,
    tag,
    ticks,
    title,
)

__all__ = ["DETAIL_LIMIT", "page_html", "render_html"]

DETAIL_LIMIT: Final = 300  # more marks than this in the window: the overview
_DETAIL_MAX: Final = 5_000  # detail=True refuses more than this
_AXIS_H: Final = 34
_PAGE_CHROME: Final = 230  # heading, subtitle, legend, filters, footer, margins (px)


MIN_WIDTH: Final = LABEL_W + PAD_R + 200
MIN_HEIGHT: Final = 400  # the page height the overview's lanes need at least
"""The narrowest chart `render_html` draws (the lane names take 330 pixels)."""


def render_html(
    timeline: Timeline,
    path: str | os.PathLike[str],
    *,
    start: object = None,
    end: object = None,
    known_at: object = None,
    title: str | None = None,
    tz: str | None = None,
    width: int = 1280,
    height: int = 900,
    group_by: GroupBy = "actor",
    detail: bool | None = None,
) -> Path:
    """Write the timeline as one self-contained HTML file with inline SVG charts.

    Two pictures, chosen by how much there is to draw:

    * the **detail** (when at most 300 incidents, requests and statements fall in
      the window, or ``detail=True``): commitments made by ``end`` get a lane each,
      with a bar over the time they were in force and how they ended; the incidents
      the [ReportedViolations][conflict_timeline.ReportedViolations] view assesses
      against them are marks coloured by basis (alleged, candidate, observed);
      requests and statements are ticks in their own lane; other attacks are grey
      marks; every mark is labelled.
    * the **overview** (more than that, or ``detail=False``), which fits in
      ``width`` x ``height`` pixels: the same lanes, but incidents, requests and
      statements counted per day, week, month or year (whichever gives bins at
      least 4 px wide), attacks grouped by ``group_by`` (the biggest groups get a
      lane each, the rest share one), commitments beyond the room left counted
      while in force.

    The date axis stays at the top of the window while scrolling; hovering over
    anything shows its details (dates, claimant, status and sources, or the counts
    of a bin); check boxes hide kinds of marks and lanes. The file loads nothing
    from anywhere: no script, no stylesheet, no font (its Content-Security-Policy
    forbids it); the filters are plain CSS.

    Args:
        timeline: What to draw.
        path: The HTML file to write.
        start: The first date shown (default: the earliest dated record).
        end: The last date shown, to the end of that day (default: the latest).
        known_at: Draw what was known then (default: everything recorded).
        title: The page's heading.
        tz: The timezone of the dates given and of the axis (default: the
            timeline's own zone, or UTC when it has none).
        width: The chart's width in pixels.
        height: The page height the overview fits in, in pixels.
        group_by: How the overview groups attacks: ``"actor"`` (the perpetrator),
            ``"country"`` (the country the place lies in) or ``"conflict"`` (the
            two sides: perpetrator and target actor, or the kind of target).
        detail: True for the detail, False for the overview, None to choose.

    Returns:
        The path written.

    Raises:
        QueryError: a bad date, ``end`` before ``start``, nothing to draw, an
            unknown ``group_by``, or ``detail=True`` with more than 5,000 marks.
    """
    page = page_html(
        timeline,
        start=start,
        end=end,
        known_at=known_at,
        title=title,
        tz=tz,
        width=width,
        height=height,
        group_by=group_by,
        detail=detail,
    )
    out = Path(path)
    with replacing(out) as fh:
        fh.write(page)
    return out


def page_html(
    timeline: Timeline,
    *,
    start: object = None,
    end: object = None,
    known_at: object = None,
    title: str | None = None,
    tz: str | None = None,
    width: int = 1280,
    height: int = 900,
    group_by: GroupBy = "actor",
    detail: bool | None = None,
) -> str:
    """The text of the page `render_html` writes (see it for the arguments and the
    errors), for a caller that writes it elsewhere (standard output)."""
    if group_by not in GROUP_BY:
        msg = f"group_by must be one of {', '.join(GROUP_BY)}, got {group_by!r}"
        raise QueryError(msg)
    if isinstance(width, bool) or not isinstance(width, int) or width < MIN_WIDTH:
        msg = f"width must be a whole number of pixels, at least {MIN_WIDTH}; got {width!r}"
        raise QueryError(msg)
    if isinstance(height, bool) or not isinstance(height, int) or height < MIN_HEIGHT:
        msg = f"height must be a whole number, at least {MIN_HEIGHT} pixels; got {height!r}"
        raise QueryError(msg)
    query = timeline.query(known_at=known_at, tz=tz)
    tz = query.tz  # the timeline's own zone when none is given
    records = current_records(timeline, known_at=known_at, tz=tz)
    lo, hi = _bounds(records, start, end, tz, None if known_at is None else query.describe())
    at = from_epoch_us(hi - 1)
    names = Names.of(timeline, known_at=known_at, tz=tz)
    window = Window(lo, hi, float(LABEL_W), float(width - LABEL_W - PAD_R))

    def state(view: Any) -> Any:
        return timeline.state(view, at=at, known_at=known_at, tz=tz)

    marks = sum(
        1
        for r in records
        if r.kind in ("Attack", "Request", "Statement") and window.visible(r.record.occurred)
    )
    if detail is None:
        detail = marks <= DETAIL_LIMIT
    elif detail and marks > _DETAIL_MAX:
        msg = (
            f"{marks:,} incidents, requests and statements in the window are too many to draw "
            f"one by one (at most {_DETAIL_MAX:,}); narrow start/end or draw the overview"
        )
        raise QueryError(msg)
    history = state(CommitmentHistory)
    violations = state(ReportedViolations).items  # read more than once below
    by_id = {r.id: r.record for r in records}
    context = _Context(records, names, window, width, tz, query.known_at, by_id)
    if detail:
        triggers = {t.id: t for t in state(TriggeredCommitments)}
        rows = _detail_rows(context, state(RequestLog), history, violations, triggers)
        picture = "detail"
    else:
        bins = choose_bins(window, tz)
        rows = _overview_rows(context, bins, history, violations, height=height, group_by=group_by)
        picture = f"overview: counts per {bins.unit}, attacks grouped by {group_by}"
    label = title or "Timeline"
    axis = _axis_svg(window, tz, width, query.known_at, label)
    shown = (
        f"{from_epoch_us(lo).in_timezone(tz).format('D MMM YYYY')} \u2013 "
        f"{from_epoch_us(hi - 1).in_timezone(tz).format('D MMM YYYY')} ({tz})"
    )
    known_text = (
        "as known at " + from_epoch_us(query.known_at).in_timezone(tz).format("D MMM YYYY HH:mm")
        if query.known_at is not None
        else "as known now (everything recorded)"
    )
    return _PAGE.format(
        title=esc(label),
        style=_STYLE + _filter_rules(rows),
        subtitle=esc(f"{shown}, {known_text}; {picture}"),
        legend=_legend(),
        filters=_filters(rows),
        axis=axis,
        rows="".join(
            f'<div class="row" id="{row.id}" data-row-kind="{row.kind}">{row.svg}</div>'
            for row in rows
        ),
        picture="detail" if detail else "overview",
        count=f"{len(records):,}",
    )


@attrs.frozen
class _Context:
    records: Sequence[Recorded]
    names: Names
    window: Window
    width: int
    tz: str
    known_at: int | None
    by_id: Mapping[str, Record]

    def row(self, row_id: str, kind: str, heading: str, height: float, body: str) -> _Row:
        marks = ticks(self.window, self.tz)
        parts = grid_lines(self.window, marks, 0, height)
        known_at = self.known_at
        if known_at is not None and self.window.lo <= known_at < self.window.hi:
            x = self.window.x(known_at)
            parts.append(
                tag(
                    "line",
                    {
                        "x1": f"{x:.1f}",
                        "x2": f"{x:.1f}",
                        "y1": 0,
                        "y2": f"{height:.1f}",
                        "class": "known-at-line",
                    },
                )
            )
        svg = tag(
            "svg",
            {
                "class": "timeline",
                "width": self.width,
                "height": f"{height:.0f}",
                "viewBox": f"0 0 {self.width} {height:.0f}",
            },
            *parts,
            body,
        )
        return _Row(row_id, kind, heading, svg)


@attrs.frozen
class _Row:
    id: str
    kind: str
    heading: str
    svg: str


def _detail_rows(
    context: _Context,
    requests: Iterable[RequestStatus],
    history: Iterable[CommitmentLife],
    violations: Iterable[ViolationAssessment],
    triggers: Mapping[str, Trigger],
) -> list[_Row]:
    lanes: list[Lane] = []
    names, window = context.names, context.window
    found = requests_lane(requests, context.records, names, window)
    if found is not None:
        lanes.append(found)
    by_commitment, assessed = commitment_lanes(
        history,
        violations=violations,
        triggers=triggers,
        by_id=context.by_id,
        names=names,
        window=window,
    )
    lanes.extend(by_commitment)
    others = others_lane(context.records, assessed, names, window)
    if others is not None:
        lanes.append(others)
    rows = []
    for i, lane in enumerate(lanes):
        group, lane_h = draw_lane(lane, window, context.width, names)
        rows.append(context.row(f"row-{i}", lane.kind, lane.heading, lane_h, group))
    return rows


def _overview_rows(
    context: _Context,
    bins: Bins,
    history: Sequence[CommitmentLife],
    violations: Sequence[ViolationAssessment],
    *,
    height: int,
    group_by: GroupBy,
) -> list[_Row]:
    room = height - _PAGE_CHROME - _AXIS_H
    strips: list[Strip] = []
    found = requests_strip(context.records, bins)
    if found is not None:
        strips.append(found)
        room -= STRIP_H
    n_commitment = min(6, max(0, (room - 4 * STRIP_H) // COMMITMENT_H))
    by_commitment = commitment_strips(
        history, violations, context.by_id, bins, context.window, room=n_commitment
    )
    strips.extend(by_commitment)
    room -= sum(s.height for s in by_commitment)
    strips.extend(
        group_strips(
            context.records, violations, context.names, bins, group_by, room=room // STRIP_H
        )
    )
    return [
        context.row(
            f"row-{i}",
            strip.kind,
            strip.heading,
            strip.height,
            draw_strip(strip, bins, context.window, context.width),
        )
        for i, strip in enumerate(strips)
    ]


def _bounds(
    records: Sequence[Recorded], start: object, end: object, tz: str, known: str | None = None
) -> tuple[int, int]:
    """The window drawn: ``start`` to the end of ``end``, each by default the first or
    last dated record's; ``known`` describes the knowledge cut the records are as of."""
    lo = to_cut(start, tz=tz, name="start", edge="start")
    hi = to_cut(end, tz=tz, name="end")
    hi = hi + 1 if hi is not None else None
    if lo is None or hi is None:
        events = [
            r.record.occurred
            for r in records
            if not r.record.occurred.is_timeless and r.kind not in ("ActorDefined", "PlaceDefined")
        ]
        if lo is None:
            lo = min((e.lo for e in events), default=None)
        if hi is None:
            hi = max((e.last + 1 for e in events), default=None)
    if lo is None or hi is None:
        # With a knowledge cut, the timeline may have them, known only later.
        msg = (
            "the timeline has no dated records to draw; give start= and end="
            if known is None
            else f"no dated record to draw {known} (a later known_at may find some); "
            "give start= and end= to draw the window without them"
        )
        raise QueryError(msg)
    if hi <= lo:
        first = from_epoch_us(lo).isoformat()
        last = from_epoch_us(hi - 1).isoformat()
        if start is None:
            msg = f"end={end!r} is before the first dated record ({first})"
        elif end is None:
            msg = f"start={start!r} is after the last dated record ({last})"
        else:
            msg = f"end={end!r} (up to {last}) is before start={start!r} ({first})"
        raise QueryError(msg)
    return lo, hi


def _axis_svg(window: Window, tz: str, width: int, known_at: int | None, label: str) -> str:
    parts = []
    for us, text, major in ticks(window, tz):
        x = window.x(us)
        parts.append(
            tag(
                "line",
                {
                    "x1": f"{x:.1f}",
                    "x2": f"{x:.1f}",
                    "y1": _AXIS_H - 10,
                    "y2": _AXIS_H,
                    "class": "grid major" if major else "grid",
                },
            )
        )
        parts.append(
            tag("text", {"x": f"{x:.1f}", "y": _AXIS_H - 14, "class": "axis-label"}, esc(text))
        )
    if known_at is not None and window.lo <= known_at < window.hi:
        x = window.x(known_at)
        parts.append(
            tag(
                "g",
                {"class": "known-at"},
                title(["what was known then: later records are not drawn"]),
                tag(
                    "line",
                    {"x1": f"{x:.1f}", "x2": f"{x:.1f}", "y1": 2, "y2": f"{_AXIS_H:.1f}"},
                ),
                tag(
                    "text",
                    {"x": f"{x - 5:.1f}", "y": 12, "class": "known-label"},
                    "known at",
                ),
            )
        )
    return tag(
        "svg",
        {
            "class": "axis",
            "width": width,
            "height": _AXIS_H,
            "viewBox": f"0 0 {width} {_AXIS_H}",
            "role": "img",
            "aria_label": f"{label}: the date axis",
        },
        _DEFS,
        *parts,
    )


_KINDS: Final = (
    ("request", "requests", REQUEST, "kind"),
    ("statement", "statements", STATEMENT, "kind"),
    ("bar", "commitments in force", BAR, "kind"),
    ("alleged", "alleged violations", COLORS_BY_BASIS["alleged"], "basis"),
    ("candidate", "candidate violations", COLORS_BY_BASIS["candidate"], "basis"),
    ("observed", "observed violations", COLORS_BY_BASIS["observed"], "basis"),
    ("none", "other attacks", OTHER, "basis"),
)


def _filters(rows: Sequence[_Row]) -> str:
    kinds = "".join(
        f'<label><input type="checkbox" id="show-{key}" checked>'
        f'<span class="swatch dot" style="background:{color}"></span>{esc(words)}</label>'
        for key, words, color, _attr in _KINDS
    )
    lanes = "".join(
        f'<label><input type="checkbox" id="show-{row.id}" checked>{esc(row.heading)}</label>'
        for row in rows
    )
    return (
        f'<div class="filters"><span class="filter-head">Show:</span>{kinds}'
        f'<details><summary>lanes ({len(rows)})</summary><div class="lane-list">{lanes}</div>'
        "</details></div>"
    )


def _filter_rules(rows: Sequence[_Row]) -> str:
    rules = [
        f'body:has(#show-{key}:not(:checked)) [data-{attr}="{key}"] {{ display: none; }}'
        for key, _words, _color, attr in _KINDS
    ]
    rules.extend(
        f"body:has(#show-{row.id}:not(:checked)) #{row.id} {{ display: none; }}" for row in rows
    )
    return "\n".join(rules) + "\n"


def _legend() -> str:
    return (
        '<p class="legend">Dots: incidents, coloured by the basis of the assessment of a '
        "commitment they may violate; a capsule spans the dates an incident is known to lie "
        "between. Green bars: commitments in force (faded where known only to a span). "
        "Ticks: requests and statements. In the overview, columns count them per bin.</p>"
    )


_STYLE: Final = f"""
body {{ margin: 0; padding: 16px 24px; background: #FFFFFF; color: {INK};
  font-family: {FONT}; }}
h1 {{ font-size: 22px; margin: 0 0 4px 0; }}
p.subtitle {{ margin: 0 0 6px 0; color: {MUTED}; font-size: 14px; }}
p.legend {{ margin: 0 0 6px 0; color: {MUTED}; font-size: 13px; max-width: 1200px; }}
.filters {{ display: flex; flex-wrap: wrap; align-items: center; gap: 4px 14px;
  font-size: 13px; color: {MUTED}; margin: 0 0 6px 0; }}
.filters label {{ display: inline-flex; align-items: center; gap: 4px; }}
.filters details {{ position: relative; }}
.filters summary {{ cursor: pointer; }}
.lane-list {{ position: absolute; z-index: 3; background: #FFFFFF; border: 1px solid #D5DAE0;
  padding: 6px 10px; max-height: 420px; overflow-y: auto; display: flex;
  flex-direction: column; gap: 2px; min-width: 320px; }}
.swatch {{ display: inline-block; }}
.swatch.dot {{ width: 10px; height: 10px; border-radius: 50%; }}
.axis-row {{ position: sticky; top: 0; z-index: 2; background: #FFFFFF; width: fit-content;
  border-bottom: 1px solid #C9CED4; }}
svg {{ display: block; font-family: {FONT}; }}
.lane-bg {{ fill: none; stroke: #D5DAE0; stroke-width: 1; }}
.lane.requests .lane-bg, .lane.others .lane-bg, .lane.group .lane-bg,
.lane.commitments-more .lane-bg {{ fill: #F3F5F7; fill-opacity: 0.6; }}
.lane-title {{ font-size: 14px; font-weight: bold; fill: {INK}; }}
.lane-title.small {{ font-size: 12px; }}
.lane-note {{ font-size: 12px; fill: {MUTED}; }}
.lane-title.small + .lane-note {{ font-size: 11px; }}
.mark-label {{ font-size: 12px; }}
.bar-text {{ font-size: 11px; fill: #FFFFFF; font-weight: bold; }}
.end-text {{ font-size: 12px; fill: {INK}; }}
.axis-label {{ font-size: 12px; fill: {MUTED}; text-anchor: middle; }}
.grid {{ stroke: {GRID}; stroke-width: 1; }}
.grid.major {{ stroke: #C9CED4; }}
.known-at line, line.known-at-line {{ stroke: #C0392B; stroke-width: 1.5;
  stroke-dasharray: 5 4; }}
.known-label {{ font-size: 12px; fill: #C0392B; text-anchor: end; }}
g.mark:hover, g.tick:hover, g.bar:hover, g.bin:hover {{ filter: brightness(0.8); }}
g.bin:hover rect {{ stroke: {INK}; stroke-width: 0.6; }}
footer {{ margin-top: 6px; font-size: 12px; color: {MUTED}; }}
"""

_PAGE: Final = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body data-picture="{picture}">
<h1>{title}</h1>
<p class="subtitle">{subtitle}</p>
{legend}
{filters}
<div class="chart">
<div class="axis-row">{axis}</div>
{rows}
</div>
<footer id="end">Drawn by conflict_timeline from {count} records. Hover for details;
the boxes above hide kinds and lanes.</footer>
</body>
</html>
"""

_DEFS: Final = (
    "<defs>"
    '<linearGradient id="fade-in"><stop offset="0" stop-color="#009E73" stop-opacity="0.05"/>'
    '<stop offset="1" stop-color="#009E73" stop-opacity="0.9"/></linearGradient>'
    '<linearGradient id="fade-out"><stop offset="0" stop-color="#009E73" stop-opacity="0.9"/>'
    '<stop offset="1" stop-color="#009E73" stop-opacity="0.05"/></linearGradient>'
    "</defs>"
)
