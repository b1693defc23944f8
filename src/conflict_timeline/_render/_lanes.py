"""The detail chart's lanes: one mark per incident, request or statement, with labels.

A lane is a commitment (a bar over its time in force, the incidents assessed against
it), the requests and statements (ticks), or the other attacks (grey marks). Marks
are packed into rows so that no two overlap, labels included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import attrs
import pendulum

from .._labels import Names, credit, headline
from .._records import Attack, Observation, Record, Statement
from .._time import TimeExtent, from_epoch_us
from ..stores import Recorded
from ..views import (
    Basis,
    CommitmentLife,
    CommitmentStatus,
    RequestStatus,
    Trigger,
    ViolationAssessment,
)
from ._svg import (
    BAR,
    BAR_H,
    COLORS_BY_BASIS,
    INK,
    LANE_PAD,
    OTHER,
    PAD_R,
    POINT_W,
    REQUEST,
    ROW_H,
    STATEMENT,
    Window,
    esc,
    shorten,
    tag,
    text_width,
    title,
)

__all__ = [
    "COLORS",
    "Lane",
    "Mark",
    "attack_label",
    "commitment_lanes",
    "draw_lane",
    "lane_label",
    "others_lane",
    "requests_lane",
    "sources_line",
]

COLORS: Final = {basis: COLORS_BY_BASIS[basis.value] for basis in Basis}


def sources_line(record: Record) -> str:
    """``Sources: ...`` for a tooltip."""
    return f"Sources: {credit(record.sources)}" if record.sources else "Sources: none recorded"


def _claim_lines(record: Record, names: Names) -> list[str]:
    claim = f"status: {record.status.value}"
    if record.claimed_by is not None:
        claim = f"claimed by {names.actor(record.claimed_by)}; {claim}"
    return [f"occurred: {record.occurred}", claim, sources_line(record)]


@attrs.frozen
class Mark:
    """One thing to draw in a lane: a point or a span, with its label and tooltip.

    Attributes:
        record_id: The record drawn.
        extent: When it happened.
        color: Its fill.
        label: The text next to it.
        tooltip: The lines shown on hover.
        css: ``"mark"`` (an incident) or ``"tick"`` (a request or statement).
        data: ``data-*`` attributes (``basis``, ``kind``, ``commitment``).
    """

    record_id: str
    extent: TimeExtent
    color: str
    label: str
    tooltip: tuple[str, ...]
    css: str
    data: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class _Placed:
    mark: Mark
    row: int
    x0: float
    x1: float
    label_x: float
    anchor: str  # "start" or "end"
    label: str  # the mark's label, shortened where the chart has no room for it


def _place(mark: Mark, window: Window) -> tuple[float, float, float, float, float, str, str]:
    """``(x0, x1, left, right, label_x, anchor, label)``: the shape, the space it takes
    and its label: beside it on the right where it fits, else on the left where it
    fits, else cut (with an ellipsis) to the wider of the two sides, so that no label
    runs into the lane names or past the chart."""
    x0 = window.x(mark.extent.lo)
    x1 = window.x(mark.extent.last)
    edge = window.left + window.width + PAD_R - 4
    if x1 - x0 < POINT_W:  # a point (or a tick)
        cx = (x0 + x1) / 2
        label, w, right = _beside(mark.label, edge - (cx + 10), (cx - 10) - window.left)
        if right:
            return cx, cx, cx - 7, cx + 10 + w, cx + 10, "start", label
        return cx, cx, cx - 10 - w, cx + 7, cx - 10, "end", label
    if mark.css == "tick":  # a bracket, its label above it
        label, w, right = _beside(mark.label, edge - (x0 + 4), (x1 - 4) - window.left)
        if right:
            return x0, x1, x0, max(x1, x0 + 4 + w), x0 + 4, "start", label
        return x0, x1, min(x0, x1 - 4 - w), x1, x1 - 4, "end", label
    if text_width(mark.label) + 18 <= x1 - x0:  # the label fits inside the capsule
        return x0, x1, x0, x1, x0 + 9, "start", mark.label
    label, w, right = _beside(mark.label, edge - (x1 + 6), (x0 - 6) - window.left)
    if right:
        return x0, x1, x0, x1 + 6 + w, x1 + 6, "start", label
    return x0, x1, x0 - 6 - w, x1, x0 - 6, "end", label


def _beside(label: str, right_room: float, left_room: float) -> tuple[str, float, bool]:
    """``(label, width, on the right)``: the label on the right of its mark where it fits
    in ``right_room`` pixels, else on the left, cut to the wider side when it fits
    neither (to the characters that fit, two at least, with an ellipsis)."""
    room = max(right_room, left_room)
    if text_width(label) > room:
        chars = 2
        while text_width(label[: chars + 1]) <= room and chars < len(label):
            chars += 1
        label = shorten(label, chars)
    width = text_width(label)
    return label, width, width <= right_room


def _pack(marks: Sequence[Mark], window: Window) -> list[_Placed]:
    """Put marks in rows so that no two overlap, labels included (first fit)."""
    rows: list[float] = []  # the right edge used so far in each row
    placed = []
    ordered = sorted(marks, key=lambda m: (m.extent.lo, m.extent.last, m.record_id, m.label))
    for mark in ordered:
        x0, x1, left, right, label_x, anchor, label = _place(mark, window)
        for index, used in enumerate(rows):
            if used + 8 <= left:
                rows[index] = right
                break
        else:
            rows.append(right)
            index = len(rows) - 1
        placed.append(_Placed(mark, index, x0, x1, label_x, anchor, label))
    return placed


def _draw_mark(placed: _Placed, y: float) -> str:
    mark, x0, x1 = placed.mark, placed.x0, placed.x1
    data = {f"data_{key}": value for key, value in mark.data}
    body: list[str] = [title(mark.tooltip)]
    mid = y + ROW_H / 2
    label_y = mid + 4
    if x1 - x0 < POINT_W and mark.css == "tick":
        body.append(
            tag(
                "line",
                {
                    "x1": f"{x0:.1f}",
                    "x2": f"{x0:.1f}",
                    "y1": f"{y + 1:.1f}",
                    "y2": f"{y + ROW_H - 1:.1f}",
                    "stroke": mark.color,
                    "stroke_width": 3,
                },
            )
        )
    elif x1 - x0 < POINT_W:
        body.append(
            tag(
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
            tag(
                "path",
                {
                    "d": f"M{x0:.1f},{y + 4:.1f} V{y + ROW_H - 4:.1f} "
                    f"M{x0:.1f},{mid:.1f} H{x1:.1f} "
                    f"M{x1:.1f},{y + 4:.1f} V{y + ROW_H - 4:.1f}",
                    "stroke": mark.color,
                    "stroke_width": 2,
                    "fill": "none",
                },
            )
        )
        label_y = y + 1
    else:
        height = ROW_H - 6
        body.append(
            tag(
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
        tag(
            "text",
            {
                "x": f"{placed.label_x:.1f}",
                "y": f"{label_y:.1f}",
                "class": "mark-label",
                "text_anchor": placed.anchor,
            },
            esc(placed.label),
        )
    )
    return tag("g", {"class": mark.css, "data_record": mark.record_id, **data}, *body)


def lane_label(y: float, heading: str, lines: Sequence[str], tooltip: Sequence[str]) -> str:
    """The lane's name and notes in the left column, with a tooltip."""
    parts = [title(tooltip)]
    parts.append(
        tag(
            "text",
            {"x": 16, "y": f"{y + 16:.1f}", "class": "lane-title"},
            esc(shorten(heading, 40)),
        )
    )
    for i, line in enumerate(lines):
        parts.append(
            tag(
                "text",
                {"x": 16, "y": f"{y + 33 + 15 * i:.1f}", "class": "lane-note"},
                esc(shorten(line, 52)),
            )
        )
    return tag("g", {"class": "lane-label"}, *parts)


def _since(extent: TimeExtent, local: pendulum.DateTime) -> str:
    if extent.precision.value == "year":
        return str(local.year)
    if extent.precision.value == "month":
        return local.format("MMM YYYY")
    return local.format("D MMM YYYY")


def _compact(extent: TimeExtent) -> str:
    return str(extent).split(" (", 1)[0]


def _commitment_bar(life: CommitmentLife, y: float, window: Window, names: Names) -> str:
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
    tooltip = [
        headline(life.commitment, names),
        f"effective: {start}",
        f"ended: {life.ended.reason.value}, {life.ended.occurred}"
        if life.ended is not None
        else (f"until: {life.until}" if life.until is not None else "no end recorded"),
        f"status at the end of the chart: {life.status.value}",
        sources_line(life.commitment),
    ]
    parts = [title(tooltip)]

    def rect(x0: float, x1: float, fill: str, css: str) -> None:
        if x1 > x0:
            parts.append(
                tag(
                    "rect",
                    {
                        "x": f"{x0:.1f}",
                        "y": f"{top:.1f}",
                        "width": f"{x1 - x0:.1f}",
                        "height": BAR_H,
                        "fill": fill,
                        "class": css,
                    },
                )
            )

    rect(x_start, x_sure, "url(#fade-in)", "bar-uncertain")
    rect(x_sure, x_sure_end, BAR, "bar-core")
    if end_extent is not None:
        rect(x_sure_end, x_end, "url(#fade-out)", "bar-uncertain")
    text_y = top + BAR_H - 4
    if start.lo >= window.hi:  # made in the window, in force only after it
        parts.append(
            tag(
                "text",
                {"x": f"{window.left + 6:.1f}", "y": f"{text_y:.1f}", "class": "bar-text"},
                esc(f"takes effect {_compact(start)} \u25b6"),
            )
        )
    elif start.lo < window.lo:
        since = from_epoch_us(start.lo).in_timezone(start.tz)
        parts.append(
            tag(
                "text",
                {"x": f"{window.left + 6:.1f}", "y": f"{text_y:.1f}", "class": "bar-text"},
                esc(f"\u25c0 in force since {_since(start, since)}"),
            )
        )
    if end_extent is not None and end_extent.lo < window.hi:
        parts.append(
            tag(
                "path",
                {
                    "d": f"M{x_end:.1f},{top - 3:.1f} V{top + BAR_H + 3:.1f}",
                    "stroke": INK,
                    "stroke_width": 3,
                },
            )
        )
        parts.append(
            tag(
                "text",
                {"x": f"{x_end + 6:.1f}", "y": f"{text_y:.1f}", "class": "end-text"},
                esc(f"{how} {_compact(end_extent)}"),
            )
        )
    elif end_extent is None and life.status is CommitmentStatus.ACTIVE:
        right = window.left + window.width
        parts.append(
            tag(
                "path",
                {
                    "d": f"M{right - 1:.1f},{top - 2:.1f} L{right + 9:.1f},{top + BAR_H / 2:.1f} "
                    f"L{right - 1:.1f},{top + BAR_H + 2:.1f} Z",
                    "fill": BAR,
                },
            )
        )
    return tag(
        "g",
        # data-kind: what the "commitments in force" check box hides (see `_page`).
        {"class": "bar", "data_kind": "bar", "data_status": life.status.value, "data_ended": how},
        *parts,
    )


@attrs.frozen
class Lane:
    """A lane: its label, its marks, and for a commitment its life (for the bar).

    Attributes:
        heading: The lane's name.
        attributes: The lane group's attributes (``class``, ``data-*``).
        lines: Notes under the name.
        tooltip: The label's tooltip.
        marks: What is drawn in it.
        life: The commitment, for a commitment's lane.
        kind: What the lane holds, for the filter: ``requests``, ``commitment`` or
            ``others``.
    """

    heading: str
    attributes: dict[str, object]
    lines: tuple[str, ...]
    tooltip: tuple[str, ...]
    marks: tuple[Mark, ...]
    life: CommitmentLife | None = None
    kind: str = "others"


def requests_lane(
    requests: Iterable[RequestStatus],
    records: Sequence[Recorded],
    names: Names,
    window: Window,
) -> Lane | None:
    """Requests and statements as ticks, or None when none is in the window."""
    ticks: list[Mark] = []
    for status in requests:
        request = status.request
        ticks.append(
            Mark(
                request.id,
                request.occurred,
                REQUEST,
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
                Mark(
                    record.id,
                    record.occurred,
                    STATEMENT,
                    f"statement: {names.actor(record.speaker)}",
                    (
                        headline(record, names),
                        f"at {names.place(record.place)}" if record.place else "",
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
    n_requests = sum(1 for t in shown if t.color == REQUEST)
    counts = f"{n_requests} request(s), {len(shown) - n_requests} statement(s)"
    return Lane(
        "Requests and statements",
        {"class": "lane requests", "data_lane": "requests"},
        (counts,),
        ("Requests for help and statements, as ticks",),
        shown,
        kind="requests",
    )


def attack_label(record: Attack, names: Names) -> str:
    """``Place: target``, the short name of an attack; of a clash between sides
    (`Attack.between_sides`: no side coded as the attacker), ``Place: A - B`` (an en dash)."""
    where = names.place(record.place)
    if record.between_sides and record.target_actor is not None:
        made = names.actor(record.perpetrator) if record.perpetrator else "unknown"
        target = f"{made} \u2013 {names.actor(record.target_actor)}"
    else:
        target = record.target or f"{record.target_class.value} target"
    return f"{where}: {target}" if where else target


def _assessment_marks(
    assessment: ViolationAssessment, by_id: Mapping[str, Record], names: Names
) -> list[Mark]:
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
            Mark(
                record.id,
                record.occurred,
                color,
                f"{attack_label(record, names)} ({basis})",
                (headline(record, names), f"occurred: {record.occurred}", *common),
                "mark",
                data,
            )
        )
    if not assessment.incidents:
        evidence = by_id.get(assessment.evidence)
        if isinstance(evidence, Observation):
            marks.append(
                Mark(
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


def commitment_lanes(
    history: Iterable[CommitmentLife],
    *,
    violations: Iterable[ViolationAssessment],
    triggers: Mapping[str, Trigger],
    by_id: Mapping[str, Record],
    names: Names,
    window: Window,
) -> tuple[list[Lane], set[str]]:
    """A lane per commitment made by the window's end, and the incidents assessed."""
    assessed: set[str] = set()
    by_commitment: dict[str, list[ViolationAssessment]] = {}
    for assessment in violations:
        by_commitment.setdefault(assessment.commitment, []).append(assessment)
    lanes = []
    for life in history:
        commitment = life.commitment
        if commitment.occurred.lo >= window.hi:  # made after the window (possibly)
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
        drawn = tuple(m for m in marks if window.visible(m.extent))
        if commitment.prohibits or found:
            lines.extend(_violations_note(drawn, len(marks) - len(drawn)))
        tooltip = (
            headline(commitment, names),
            commitment.text,
            trigger.explanation if trigger is not None else "",
            f"status at the end of the chart: {life.status.value}",
            sources_line(commitment),
        )
        lanes.append(
            Lane(
                headline(commitment, names),
                {
                    "class": "lane commitment",
                    "data_commitment": life.id,
                    "data_status": life.status.value,
                },
                tuple(lines),
                tooltip,
                drawn,
                life,
                kind="commitment",
            )
        )
    return lanes, assessed


def others_lane(
    records: Sequence[Recorded], assessed: set[str], names: Names, window: Window
) -> Lane | None:
    """The attacks no assessment concerns, grey, or None when none is in the window."""
    marks = []
    for recorded in records:
        record = recorded.record
        if isinstance(record, Attack) and record.id not in assessed:
            marks.append(
                Mark(
                    record.id,
                    record.occurred,
                    OTHER,
                    attack_label(record, names),
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
    return Lane(
        "Other reported attacks",
        {"class": "lane others", "data_lane": "others"},
        (f"{len(shown)} not assessed against a commitment",),
        ("Attacks that no assessment of a commitment concerns",),
        shown,
        kind="others",
    )


def draw_lane(lane: Lane, window: Window, width: int, names: Names) -> tuple[str, float]:
    """``(group, height)``: the lane drawn from y=0, and its height."""
    placed = _pack(lane.marks, window)
    rows = 1 + max((p.row for p in placed), default=-1)
    lift = 12 if any(p.mark.css == "tick" and p.x1 - p.x0 >= POINT_W for p in placed) else 0
    row_h = ROW_H + 4 + lift
    marks_top = LANE_PAD + lift + (BAR_H + 12 if lane.life is not None else 0)
    height = max(
        marks_top + rows * row_h + LANE_PAD - lift,
        34 + 15 * len(lane.lines) + LANE_PAD,
    )
    parts = [
        tag(
            "rect",
            {"x": 0, "y": 0, "width": width, "height": f"{height:.1f}", "class": "lane-bg"},
        ),
        lane_label(0, lane.heading, lane.lines, lane.tooltip),
    ]
    if lane.life is not None:
        parts.append(_commitment_bar(lane.life, LANE_PAD, window, names))
    parts.extend(_draw_mark(p, marks_top + p.row * row_h) for p in placed)
    return tag("g", lane.attributes, *parts), float(height)


def _violations_note(drawn: Sequence[Mark], outside: int) -> list[str]:
    """A commitment lane's count of its possible violations, by basis, as drawn: the
    marks in the chart's dates, and on a line of its own how many lie outside them."""
    counts = [
        f"{sum(1 for m in drawn if m.color == COLORS[b])} {b.value}"
        for b in Basis
        if any(m.color == COLORS[b] for m in drawn)
    ]
    if counts:
        lines = ["possible violations: " + ", ".join(counts)]
        return [*lines, f"{outside} more outside the chart's dates"] if outside else lines
    if outside:
        return ["possible violations: none in the chart's dates", f"{outside} outside them"]
    return ["possible violations: none reported"]
