"""A picture of a timeline: one self-contained HTML file with an inline SVG chart.

The chart has a lane per commitment, a bar over the time it was in force (faded
where its start or end is only known to a span), and how it ended; the incidents
assessed as possible violations of it, as marks coloured by the assessment's basis
(alleged, candidate, observed); a lane of requests and statements, as ticks; and a
lane of the other reported attacks. Every mark has a tooltip (an SVG ``<title>``)
with its dates, claimant, status and sources.

An incident known only to a span (the article says "since the war began") is drawn
as a capsule over the whole span, not as a point on an invented day.

The file loads nothing: no script, no stylesheet, no font, no image from anywhere,
and its Content-Security-Policy forbids the browser to try.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
import pendulum

from ._export import Names, credit, current_records, headline
from ._files import replacing
from ._records import Attack, Observation, Record, Statement
from ._time import TimeExtent, cut_instant, from_epoch_us
from ._timeline import Timeline, _start_instant
from .errors import ConflictTimelineError, QueryError
from .stores import Recorded
from .views import (
    Basis,
    CommitmentHistory,
    CommitmentLife,
    CommitmentStatus,
    ReportedViolations,
    RequestLog,
    RequestStatus,
    Trigger,
    TriggeredCommitments,
    ViolationAssessment,
)

__all__ = ["render_html"]

COLORS: Final = {
    Basis.ALLEGED: "#D55E00",
    Basis.CANDIDATE: "#7B3294",
    Basis.OBSERVED: "#0072B2",
}
_OTHER: Final = "#8C8C8C"
_BAR: Final = "#009E73"
_REQUEST: Final = "#B8860B"
_STATEMENT: Final = "#444444"
_INK: Final = "#1F2328"
_MUTED: Final = "#5B636B"
_GRID: Final = "#E4E7EB"

_LABEL_W: Final = 330  # the left column with lane names
_PAD_R: Final = 36
_AXIS_H: Final = 52
_ROW_H: Final = 22  # one row of marks
_BAR_H: Final = 16
_LANE_PAD: Final = 12
_POINT_W: Final = 12.0  # a span narrower than this is drawn as a point
_FONT: Final = "'DejaVu Sans', 'Liberation Sans', system-ui, sans-serif"


@attrs.frozen
class _Window:
    lo: int  # epoch microseconds, inclusive
    hi: int  # exclusive
    left: float
    width: float

    def x(self, us: int) -> float:
        ratio = (us - self.lo) / (self.hi - self.lo)
        return self.left + min(1.0, max(0.0, ratio)) * self.width

    def visible(self, extent: TimeExtent) -> bool:
        return extent.lo < self.hi and extent.last >= self.lo


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _tag(name: str, attributes: dict[str, object], *children: str) -> str:
    attrs_text = "".join(
        f' {key.rstrip("_").replace("_", "-")}="{_esc(value)}"'
        for key, value in attributes.items()
        if value is not None
    )
    if not children:
        return f"<{name}{attrs_text}/>"
    return f"<{name}{attrs_text}>{''.join(children)}</{name}>"


def _title(lines: Iterable[str]) -> str:
    return f"<title>{_esc(chr(10).join(line for line in lines if line))}</title>"


def _shorten(text: str, chars: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= chars else flat[: chars - 1].rstrip() + "\u2026"


def _sources_line(record: Record) -> str:
    return f"Sources: {credit(record.sources)}" if record.sources else "Sources: none recorded"


def _claim_lines(record: Record, names: Names) -> list[str]:
    claim = f"status: {record.status.value}"
    if record.claimed_by is not None:
        claim = f"claimed by {names.actor(record.claimed_by)}; {claim}"
    return [f"occurred: {record.occurred}", claim, _sources_line(record)]


# ------------------------------------------------------------------ the time axis

_STEPS: Final = (
    ("day", 1),
    ("week", 1),
    ("month", 1),
    ("month", 3),
    ("year", 1),
    ("year", 5),
    ("year", 10),
    ("year", 50),
)


def _ticks(window: _Window, tz: str) -> list[tuple[int, str, bool]]:
    """``(us, label, major)`` ticks at least ~70 px apart."""
    days = (window.hi - window.lo) / 86_400_000_000
    px_per_day = window.width / max(days, 1e-9)
    unit_days = {"day": 1, "week": 7, "month": 30.4, "year": 365.25}
    unit, count = _STEPS[-1]
    for candidate, n in _STEPS:
        if unit_days[candidate] * n * px_per_day >= 70:
            unit, count = candidate, n
            break
    start = from_epoch_us(window.lo).in_timezone(tz).start_of(unit)
    if unit == "year":
        start = start.set(year=start.year - start.year % count)
    elif unit == "month" and count > 1:
        start = start.set(month=start.month - (start.month - 1) % count)
    out: list[tuple[int, str, bool]] = []
    current = start
    previous_year = None
    while True:
        us = int(current.timestamp() * 1_000_000)
        if us >= window.hi:
            break
        if us >= window.lo:
            if unit in ("day", "week"):
                label = current.format("MMM D")
                major = current.day <= 7 if unit == "week" else current.day == 1
            elif unit == "month":
                label = current.format("MMM YYYY" if current.year != previous_year else "MMM")
                major = current.month == 1
            else:
                label = str(current.year)
                major = current.year % (count * 5) == 0
            previous_year = current.year
            out.append((us, label, major))
        current = current.add(**{f"{unit}s": count})
    return out


# ---------------------------------------------------------------------- the marks


@attrs.frozen
class _Mark:
    """One thing to draw in a lane: a point or a span, with its label and tooltip."""

    record_id: str
    extent: TimeExtent
    color: str
    label: str
    tooltip: tuple[str, ...]
    css: str  # "mark" or "tick"
    data: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class _Placed:
    """A mark with its row and where its label goes."""

    mark: _Mark
    row: int
    x0: float
    x1: float
    label_x: float
    anchor: str  # "start" or "end"


def _text_width(text: str) -> float:
    return 6.9 * len(text)  # 12px DejaVu Sans, generously


def _place(mark: _Mark, window: _Window) -> tuple[float, float, float, float, float, str]:
    """``(x0, x1, left, right, label_x, anchor)``: the shape and the space it takes."""
    x0 = window.x(mark.extent.lo)
    x1 = window.x(mark.extent.last)
    edge = window.left + window.width + _PAD_R - 4
    text_w = _text_width(mark.label)
    if x1 - x0 < _POINT_W:  # a point (or a tick)
        cx = (x0 + x1) / 2
        if cx + 10 + text_w <= edge:
            return cx, cx, cx - 7, cx + 10 + text_w, cx + 10, "start"
        return cx, cx, cx - 10 - text_w, cx + 7, cx - 10, "end"
    if mark.css == "tick":  # a bracket, its label above it
        if x0 + 4 + text_w <= edge:
            return x0, x1, x0, max(x1, x0 + 4 + text_w), x0 + 4, "start"
        return x0, x1, min(x0, x1 - 4 - text_w), x1, x1 - 4, "end"
    if text_w + 18 <= x1 - x0:  # the label fits inside the capsule
        return x0, x1, x0, x1, x0 + 9, "start"
    if x1 + 6 + text_w <= edge:
        return x0, x1, x0, x1 + 6 + text_w, x1 + 6, "start"
    return x0, x1, x0 - 6 - text_w, x1, x0 - 6, "end"


def _pack(marks: Sequence[_Mark], window: _Window) -> list[_Placed]:
    """Put marks in rows so that no two overlap, labels included (first fit)."""
    rows: list[float] = []  # the right edge used so far in each row
    placed = []
    ordered = sorted(marks, key=lambda m: (m.extent.lo, m.extent.last, m.record_id, m.label))
    for mark in ordered:
        x0, x1, left, right, label_x, anchor = _place(mark, window)
        for index, used in enumerate(rows):
            if used + 8 <= left:
                rows[index] = right
                break
        else:
            rows.append(right)
            index = len(rows) - 1
        placed.append(_Placed(mark, index, x0, x1, label_x, anchor))
    return placed


def _draw_mark(placed: _Placed, y: float) -> str:
    mark, x0, x1 = placed.mark, placed.x0, placed.x1
    data = {f"data_{key}": value for key, value in mark.data}
    body: list[str] = [_title(mark.tooltip)]
    mid = y + _ROW_H / 2
    label_y = mid + 4
    if x1 - x0 < _POINT_W and mark.css == "tick":
        body.append(
            _tag(
                "line",
                {
                    "x1": f"{x0:.1f}",
                    "x2": f"{x0:.1f}",
                    "y1": f"{y + 1:.1f}",
                    "y2": f"{y + _ROW_H - 1:.1f}",
                    "stroke": mark.color,
                    "stroke_width": 3,
                },
            )
        )
    elif x1 - x0 < _POINT_W:
        body.append(
            _tag(
                "circle",
                {
                    "cx": f"{x0:.1f}",
                    "cy": f"{mid:.1f}",
                    "r": 6,
                    "fill": mark.color,
                    "stroke": "white",
                    "stroke_width": 1.5,
                },
            )
        )
    elif mark.css == "tick":
        body.append(
            _tag(
                "path",
                {
                    "d": f"M{x0:.1f},{y + 4:.1f} V{y + _ROW_H - 4:.1f} "
                    f"M{x0:.1f},{mid:.1f} H{x1:.1f} "
                    f"M{x1:.1f},{y + 4:.1f} V{y + _ROW_H - 4:.1f}",
                    "stroke": mark.color,
                    "stroke_width": 2,
                    "fill": "none",
                },
            )
        )
        label_y = y + 1
    else:
        height = _ROW_H - 6
        body.append(
            _tag(
                "rect",
                {
                    "x": f"{x0:.1f}",
                    "y": f"{y + 3:.1f}",
                    "width": f"{x1 - x0:.1f}",
                    "height": height,
                    "rx": height / 2,
                    "fill": mark.color,
                    "fill_opacity": 0.16,
                    "stroke": mark.color,
                    "stroke_width": 1.5,
                },
            )
        )
    body.append(
        _tag(
            "text",
            {
                "x": f"{placed.label_x:.1f}",
                "y": f"{label_y:.1f}",
                "class": "mark-label",
                "text_anchor": placed.anchor,
            },
            _esc(mark.label),
        )
    )
    return _tag("g", {"class": mark.css, "data_record": mark.record_id, **data}, *body)


# ----------------------------------------------------------------------- lanes


def _lane_label(y: float, title: str, lines: Sequence[str], tooltip: Sequence[str]) -> str:
    parts = [_title(tooltip)]
    parts.append(
        _tag(
            "text",
            {"x": 16, "y": f"{y + 16:.1f}", "class": "lane-title"},
            _esc(_shorten(title, 40)),
        )
    )
    for i, line in enumerate(lines):
        parts.append(
            _tag(
                "text",
                {"x": 16, "y": f"{y + 33 + 15 * i:.1f}", "class": "lane-note"},
                _esc(_shorten(line, 52)),
            )
        )
    return _tag("g", {"class": "lane-label"}, *parts)


def _commitment_bar(life: CommitmentLife, y: float, window: _Window, names: Names) -> str:
    """The bar over a commitment's active time, faded where a bound is a span."""
    start = life.effective
    end_extent: TimeExtent | None = None
    how = "in force"
    if life.ended is not None:
        end_extent = life.ended.occurred
        how = life.ended.reason.value
    elif life.until is not None:
        end_extent = life.until
        how = "lapsed"
    sure_from = start.last + 1 if start.latest > start.earliest else start.lo
    sure_to = end_extent.lo if end_extent is not None else window.hi
    x_start = window.x(start.lo)
    x_sure = window.x(sure_from)
    x_sure_end = window.x(sure_to)
    x_end = window.x(end_extent.last + 1) if end_extent is not None else window.x(window.hi)
    top = y + 2
    parts = []
    tooltip = [
        headline(life.commitment, names),
        f"effective: {start}",
        f"ended: {life.ended.reason.value}, {life.ended.occurred}"
        if life.ended is not None
        else (f"until: {life.until}" if life.until is not None else "no end recorded"),
        f"status at the end of the chart: {life.status.value}",
        _sources_line(life.commitment),
    ]
    parts.append(_title(tooltip))
    if x_sure > x_start:
        parts.append(
            _tag(
                "rect",
                {
                    "x": f"{x_start:.1f}",
                    "y": f"{top:.1f}",
                    "width": f"{x_sure - x_start:.1f}",
                    "height": _BAR_H,
                    "fill": "url(#fade-in)",
                    "class": "bar-uncertain",
                },
            )
        )
    if x_sure_end > x_sure:
        parts.append(
            _tag(
                "rect",
                {
                    "x": f"{x_sure:.1f}",
                    "y": f"{top:.1f}",
                    "width": f"{x_sure_end - x_sure:.1f}",
                    "height": _BAR_H,
                    "fill": _BAR,
                    "class": "bar-core",
                },
            )
        )
    if end_extent is not None and x_end > x_sure_end:
        parts.append(
            _tag(
                "rect",
                {
                    "x": f"{x_sure_end:.1f}",
                    "y": f"{top:.1f}",
                    "width": f"{x_end - x_sure_end:.1f}",
                    "height": _BAR_H,
                    "fill": "url(#fade-out)",
                    "class": "bar-uncertain",
                },
            )
        )
    text_y = top + _BAR_H - 4
    if start.lo < window.lo:
        since = from_epoch_us(start.lo).in_timezone(start.tz)
        parts.append(
            _tag(
                "text",
                {"x": f"{window.left + 6:.1f}", "y": f"{text_y:.1f}", "class": "bar-text"},
                _esc(f"\u25c0 in force since {_since(start, since)}"),
            )
        )
    if end_extent is not None and end_extent.lo < window.hi:
        parts.append(
            _tag(
                "path",
                {
                    "d": f"M{x_end:.1f},{top - 3:.1f} V{top + _BAR_H + 3:.1f}",
                    "stroke": _INK,
                    "stroke_width": 3,
                },
            )
        )
        parts.append(
            _tag(
                "text",
                {"x": f"{x_end + 6:.1f}", "y": f"{text_y:.1f}", "class": "end-text"},
                _esc(f"{how} {_compact(end_extent)}"),
            )
        )
    elif end_extent is None and life.status is CommitmentStatus.ACTIVE:
        right = window.left + window.width
        parts.append(
            _tag(
                "path",
                {
                    "d": f"M{right - 1:.1f},{top - 2:.1f} L{right + 9:.1f},{top + _BAR_H / 2:.1f} "
                    f"L{right - 1:.1f},{top + _BAR_H + 2:.1f} Z",
                    "fill": _BAR,
                },
            )
        )
    return _tag(
        "g",
        {"class": "bar", "data_status": life.status.value, "data_ended": how},
        *parts,
    )


def _since(extent: TimeExtent, local: pendulum.DateTime) -> str:
    if extent.precision.value == "year":
        return str(local.year)
    if extent.precision.value == "month":
        return local.format("MMM YYYY")
    return local.format("D MMM YYYY")


def _compact(extent: TimeExtent) -> str:
    text = str(extent)
    return text.split(" (", 1)[0]


# --------------------------------------------------------------------- rendering


def _bounds(
    records: Sequence[Recorded],
    start: object,
    end: object,
    tz: str,
) -> tuple[int, int]:
    def cut(value: object, name: str, *, first: bool) -> int:
        if not isinstance(value, _dt.datetime | _dt.date | TimeExtent | str):
            msg = f"{name} must be a date or datetime string, an aware datetime, a date or a "
            msg += f"TimeExtent, got {type(value).__name__} {value!r}"
            raise QueryError(msg)
        try:
            return _start_instant(value, tz) if first else cut_instant(value, tz=tz) + 1
        except ConflictTimelineError as exc:
            msg = f"{name}: {exc}"
            raise QueryError(msg) from None

    events = [
        r.record.occurred
        for r in records
        if not r.record.occurred.is_timeless and r.kind not in ("ActorDefined", "PlaceDefined")
    ]
    lo = cut(start, "start", first=True) if start is not None else None
    hi = cut(end, "end", first=False) if end is not None else None
    if lo is None:
        lo = min((e.lo for e in events), default=None)
    if hi is None:
        hi = max((e.last + 1 for e in events), default=None)
    if lo is None or hi is None:
        msg = "the timeline has no dated records to draw; give start= and end="
        raise QueryError(msg)
    if hi <= lo:
        msg = "end must be after start"
        raise QueryError(msg)
    return lo, hi


@attrs.frozen
class _Lane:
    """A lane: its label, its marks, and for a commitment its life (for the bar)."""

    title: str
    attributes: dict[str, object]
    lines: tuple[str, ...]
    tooltip: tuple[str, ...]
    marks: tuple[_Mark, ...]
    life: CommitmentLife | None = None


def _requests_lane(
    requests: Iterable[RequestStatus],
    records: Sequence[Recorded],
    names: Names,
    window: _Window,
) -> _Lane | None:
    ticks: list[_Mark] = []
    for status in requests:
        request = status.request
        ticks.append(
            _Mark(
                request.id,
                request.occurred,
                _REQUEST,
                f"request: {headline(request, names)}",
                (
                    headline(request, names),
                    request.summary,
                    f"invokes {status.invokes}" if status.invokes else "",
                    ("answered" if status.responses else "open") + " at the end of the chart",
                    *_claim_lines(request, names),
                ),
                "tick",
                (("kind", "request"),),
            )
        )
    for recorded in records:
        record = recorded.record
        if isinstance(record, Statement):
            ticks.append(
                _Mark(
                    record.id,
                    record.occurred,
                    _STATEMENT,
                    f"statement: {names.actor(record.speaker)}",
                    (
                        headline(record, names),
                        f'"{record.quote}"' if record.quote else "",
                        f"responds to {record.responds_to}" if record.responds_to else "",
                        *_claim_lines(record, names),
                    ),
                    "tick",
                    (("kind", "statement"),),
                )
            )
    shown = tuple(t for t in ticks if window.visible(t.extent))
    if not shown:
        return None
    n_requests = sum(1 for t in shown if t.color == _REQUEST)
    counts = f"{n_requests} request(s), {len(shown) - n_requests} statement(s)"
    return _Lane(
        "Requests and statements",
        {"class": "lane requests", "data_lane": "requests"},
        (counts,),
        ("Requests for help and statements, as ticks",),
        shown,
    )


def _commitment_lanes(
    history: Iterable[CommitmentLife],
    *,
    violations: Iterable[ViolationAssessment],
    triggers: dict[str, Trigger],
    by_id: Mapping[str, Record],
    names: Names,
    window: _Window,
) -> tuple[list[_Lane], set[str]]:
    assessed: set[str] = set()
    by_commitment: dict[str, list[ViolationAssessment]] = {}
    for assessment in violations:
        by_commitment.setdefault(assessment.commitment, []).append(assessment)
    lanes = []
    for life in history:
        commitment = life.commitment
        if commitment.starts.lo >= window.hi:
            continue
        found = by_commitment.get(life.id, [])
        marks = []
        for assessment in found:
            marks.extend(_assessment_marks(assessment, by_id, names))
            assessed.update(assessment.incidents)
        lines = []
        if commitment.announced_by:
            lines.append(f"announced by {names.actors_(commitment.announced_by)}")
        trigger = triggers.get(life.id)
        if trigger is not None:
            places = (
                ", ".join(names.place(p) for p in commitment.condition.attack_within)
                if (commitment.condition is not None)
                else ""
            )
            if trigger.triggered:
                lines.append(f"conditional: TRIGGERED by {len(trigger.attacks)} attack(s)")
            else:
                lines.append("conditional: not triggered")
                lines.append(f"no reported attack within {places}")
        if commitment.prohibits or found:
            counts = [
                f"{sum(1 for m in marks if m.color == COLORS[b])} {b.value}"
                for b in Basis
                if any(m.color == COLORS[b] for m in marks)
            ]
            lines.append("possible violations: " + (", ".join(counts) or "none reported"))
        tooltip = (
            headline(commitment, names),
            commitment.text,
            trigger.explanation if trigger is not None else "",
            f"status at the end of the chart: {life.status.value}",
            _sources_line(commitment),
        )
        lanes.append(
            _Lane(
                headline(commitment, names),
                {
                    "class": "lane commitment",
                    "data_commitment": life.id,
                    "data_status": life.status.value,
                },
                tuple(lines),
                tooltip,
                tuple(m for m in marks if window.visible(m.extent)),
                life,
            )
        )
    return lanes, assessed


def _others_lane(
    records: Sequence[Recorded], assessed: set[str], names: Names, window: _Window
) -> _Lane | None:
    marks = []
    for recorded in records:
        record = recorded.record
        if isinstance(record, Attack) and record.id not in assessed:
            marks.append(
                _Mark(
                    record.id,
                    record.occurred,
                    _OTHER,
                    _attack_label(record, names),
                    (
                        headline(record, names),
                        "no violation assessed",
                        *_claim_lines(record, names),
                    ),
                    "mark",
                    (("basis", "none"),),
                )
            )
    shown = tuple(m for m in marks if window.visible(m.extent))
    if not shown:
        return None
    return _Lane(
        "Other reported attacks",
        {"class": "lane others", "data_lane": "others"},
        (f"{len(shown)} not assessed against a commitment",),
        ("Attacks that no assessment of a commitment concerns",),
        shown,
    )


def _draw_lanes(
    lanes: Sequence[_Lane], window: _Window, width: int, top: float, names: Names
) -> tuple[list[str], float]:
    body: list[str] = []
    y = top
    for lane in lanes:
        placed = _pack(lane.marks, window)
        rows = 1 + max((p.row for p in placed), default=-1)
        lift = (
            12
            if any(
                m.css == "tick" and _place(m, window)[1] - _place(m, window)[0] >= _POINT_W
                for m in lane.marks
            )
            else 0
        )
        row_h = _ROW_H + 4 + lift
        marks_top = y + _LANE_PAD + lift + (_BAR_H + 12 if lane.life is not None else 0)
        height = max(
            (marks_top - y) + rows * row_h + _LANE_PAD - lift,
            34 + 15 * len(lane.lines) + _LANE_PAD,
        )
        parts = [
            _tag(
                "rect",
                {
                    "x": 0,
                    "y": f"{y:.1f}",
                    "width": width,
                    "height": f"{height:.1f}",
                    "class": "lane-bg",
                },
            ),
            _lane_label(y, lane.title, lane.lines, lane.tooltip),
        ]
        if lane.life is not None:
            parts.append(_commitment_bar(lane.life, y + _LANE_PAD, window, names))
        parts.extend(_draw_mark(p, marks_top + p.row * row_h) for p in placed)
        body.append(_tag("g", lane.attributes, *parts))
        y += height
    return body, y


def _axis(window: _Window, tz: str, top: float, bottom: float, known_at: int | None) -> str:
    grid = []
    for us, label, major in _ticks(window, tz):
        x = window.x(us)
        grid.append(
            _tag(
                "line",
                {
                    "x1": f"{x:.1f}",
                    "x2": f"{x:.1f}",
                    "y1": f"{top - 6:.1f}",
                    "y2": f"{bottom:.1f}",
                    "class": "grid major" if major else "grid",
                },
            )
        )
        grid.append(
            _tag(
                "text",
                {"x": f"{x:.1f}", "y": f"{top - 12:.1f}", "class": "axis-label"},
                _esc(label),
            )
        )
    if known_at is not None and window.lo <= known_at < window.hi:
        x = window.x(known_at)
        grid.append(
            _tag(
                "g",
                {"class": "known-at"},
                _title(["what was known then: later records are not drawn"]),
                _tag(
                    "line",
                    {
                        "x1": f"{x:.1f}",
                        "x2": f"{x:.1f}",
                        "y1": f"{top - 30:.1f}",
                        "y2": f"{bottom:.1f}",
                    },
                ),
                _tag(
                    "text",
                    {"x": f"{x - 5:.1f}", "y": f"{top - 32:.1f}", "class": "known-label"},
                    "known at",
                ),
            )
        )
    return _tag("g", {"class": "axis"}, *grid)


def render_html(
    timeline: Timeline,
    path: str | os.PathLike[str],
    *,
    start: object = None,
    end: object = None,
    known_at: object = None,
    title: str | None = None,
    tz: str = "UTC",
    width: int = 1280,
) -> Path:
    """Write the timeline as one self-contained HTML file with an inline SVG chart.

    Commitments made by ``end`` get a lane each, with a bar over the time they were
    in force and how they ended; the incidents the :class:`ReportedViolations` view
    assesses against them are marks coloured by basis (alleged, candidate,
    observed); requests and statements are ticks in their own lane; other attacks
    are grey marks. Hovering over anything shows its dates, claimant, status and
    sources. The file loads nothing from anywhere.

    Args:
        timeline: What to draw.
        path: The HTML file to write.
        start: The first date shown (default: the earliest dated record).
        end: The last date shown, to the end of that day (default: the latest).
        known_at: Draw what was known then (default: everything recorded).
        title: The page's heading.
        tz: The timezone of the dates given and of the axis.
        width: The chart's width in pixels.

    Returns:
        The path written.

    Raises:
        QueryError: a bad date, ``end`` before ``start``, or nothing to draw.
    """
    query = timeline.query(known_at=known_at, tz=tz)
    records = current_records(timeline, known_at=known_at, tz=tz)
    lo, hi = _bounds(records, start, end, tz)
    at = from_epoch_us(hi - 1)
    names = Names.of(timeline, known_at=known_at, tz=tz)
    by_id = {r.id: r.record for r in records}
    window = _Window(lo, hi, float(_LABEL_W), float(width - _LABEL_W - _PAD_R))

    def state(view: Any) -> Any:
        return timeline.state(view, at=at, known_at=known_at, tz=tz)

    triggers = {t.id: t for t in state(TriggeredCommitments)}
    lanes: list[_Lane] = []
    requests_lane = _requests_lane(state(RequestLog), records, names, window)
    if requests_lane is not None:
        lanes.append(requests_lane)
    commitment_lanes, assessed = _commitment_lanes(
        state(CommitmentHistory),
        violations=state(ReportedViolations),
        triggers=triggers,
        by_id=by_id,
        names=names,
        window=window,
    )
    lanes.extend(commitment_lanes)
    others = _others_lane(records, assessed, names, window)
    if others is not None:
        lanes.append(others)

    body, bottom = _draw_lanes(lanes, window, width, float(_AXIS_H), names)
    chart_h = bottom + 4
    label = title or "Timeline"
    svg = _tag(
        "svg",
        {
            "class": "timeline",
            "width": width,
            "height": f"{chart_h:.0f}",
            "viewBox": f"0 0 {width} {chart_h:.0f}",
            "role": "img",
            "aria_label": f"{label}: commitments, incidents, requests and statements",
        },
        _DEFS,
        _axis(window, tz, float(_AXIS_H), bottom, query.known_at),
        *body,
    )
    shown = (
        f"{from_epoch_us(lo).in_timezone(tz).format('D MMM YYYY')} \u2013 "
        f"{from_epoch_us(hi - 1).in_timezone(tz).format('D MMM YYYY')} ({tz})"
    )
    known_text = (
        "as known at " + from_epoch_us(query.known_at).in_timezone(tz).format("D MMM YYYY HH:mm")
        if query.known_at is not None
        else "as known now (everything recorded)"
    )
    page = _PAGE.format(
        title=_esc(label),
        style=_STYLE,
        subtitle=_esc(f"{shown}, {known_text}"),
        legend=_legend(),
        svg=svg,
        count=len(records),
    )
    out = Path(path)
    with replacing(out) as fh:
        fh.write(page)
    return out


def _attack_label(record: Attack, names: Names) -> str:
    where = names.place(record.place)
    target = record.target or f"{record.target_class.value} target"
    return f"{where}: {target}" if where else target


def _assessment_marks(
    assessment: ViolationAssessment, by_id: Mapping[str, Record], names: Names
) -> list[_Mark]:
    color = COLORS[assessment.basis]
    basis = assessment.basis.value
    who = names.actor(assessment.accuser) if assessment.accuser else "by rule"
    accused = names.actors_(assessment.accused) or "unknown"
    common = (
        f"{basis} violation of {assessment.commitment}",
        f"{'alleged by ' + who if assessment.basis is Basis.ALLEGED else who}; against {accused}",
        f"status: {assessment.status.value}"
        + (f" (denied: {', '.join(assessment.denials)})" if assessment.denials else ""),
        f"first reported: {assessment.first_reported}",
        f"Sources: {credit(assessment.sources)}" if assessment.sources else "",
    )
    marks = []
    data = (("basis", basis), ("commitment", assessment.commitment))
    for incident in assessment.incidents:
        record = by_id.get(incident)
        if not isinstance(record, Attack):
            continue
        marks.append(
            _Mark(
                record.id,
                record.occurred,
                color,
                f"{_attack_label(record, names)} ({basis})",
                (headline(record, names), f"occurred: {record.occurred}", *common),
                "mark",
                data,
            )
        )
    if not assessment.incidents:
        evidence = by_id.get(assessment.evidence)
        if isinstance(evidence, Observation):
            marks.append(
                _Mark(
                    evidence.id,
                    evidence.occurred,
                    color,
                    f"{headline(evidence, names)} ({basis})",
                    (headline(evidence, names), f"occurred: {evidence.occurred}", *common),
                    "mark",
                    data,
                )
            )
    return marks


def _legend() -> str:
    items = [
        (COLORS[Basis.ALLEGED], "circle", "alleged violation (an accusation)"),
        (COLORS[Basis.CANDIDATE], "circle", "candidate violation (by rule)"),
        (COLORS[Basis.OBSERVED], "circle", "observed violation (a monitor)"),
        (_OTHER, "circle", "other reported attack"),
        (_BAR, "bar", "commitment in force (faded: known only to a span)"),
        (_REQUEST, "tick", "request"),
        (_STATEMENT, "tick", "statement"),
    ]
    out = []
    for color, shape, text in items:
        if shape == "circle":
            swatch = f'<span class="swatch dot" style="background:{color}"></span>'
        elif shape == "bar":
            swatch = f'<span class="swatch bar" style="background:{color}"></span>'
        else:
            swatch = f'<span class="swatch tick" style="background:{color}"></span>'
        out.append(f"<li>{swatch}{_esc(text)}</li>")
    out.append("<li>a capsule spans the dates an incident is known to lie between</li>")
    return '<ul class="legend">' + "".join(out) + "</ul>"


_STYLE: Final = f"""
body {{ margin: 0; padding: 20px 24px; background: #FFFFFF; color: {_INK};
  font-family: {_FONT}; }}
h1 {{ font-size: 22px; margin: 0 0 4px 0; }}
p.subtitle {{ margin: 0 0 10px 0; color: {_MUTED}; font-size: 14px; }}
ul.legend {{ list-style: none; padding: 0; margin: 0 0 12px 0; display: flex;
  flex-wrap: wrap; gap: 6px 18px; font-size: 13px; color: {_MUTED}; }}
ul.legend li {{ display: flex; align-items: center; gap: 6px; }}
.swatch {{ display: inline-block; }}
.swatch.dot {{ width: 11px; height: 11px; border-radius: 50%; }}
.swatch.bar {{ width: 22px; height: 9px; }}
.swatch.tick {{ width: 3px; height: 14px; }}
svg.timeline {{ display: block; font-family: {_FONT}; }}
.lane-bg {{ fill: none; stroke: #D5DAE0; stroke-width: 1; }}
.lane.requests .lane-bg, .lane.others .lane-bg {{ fill: #F3F5F7; fill-opacity: 0.6; }}
.lane-title {{ font-size: 14px; font-weight: bold; fill: {_INK}; }}
.lane-note {{ font-size: 12px; fill: {_MUTED}; }}
.mark-label {{ font-size: 12px; }}
.bar-text {{ font-size: 11px; fill: #FFFFFF; font-weight: bold; }}
.end-text {{ font-size: 12px; fill: {_INK}; }}
.axis-label {{ font-size: 12px; fill: {_MUTED}; text-anchor: middle; }}
.grid {{ stroke: {_GRID}; stroke-width: 1; }}
.grid.major {{ stroke: #C9CED4; }}
.known-at line {{ stroke: #C0392B; stroke-width: 1.5; stroke-dasharray: 5 4; }}
.known-label {{ font-size: 12px; fill: #C0392B; text-anchor: end; }}
g.mark:hover, g.tick:hover, g.bar:hover {{ filter: brightness(0.85); }}
footer {{ margin-top: 10px; font-size: 12px; color: {_MUTED}; }}
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
<body>
<h1>{title}</h1>
<p class="subtitle">{subtitle}</p>
{legend}
{svg}
<footer>Drawn by conflict_timeline from {count} records. Hover over a mark for its dates,
claimant, status and sources.</footer>
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
