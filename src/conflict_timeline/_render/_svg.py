"""SVG primitives of the chart: escaping, elements, the window of time, the date axis."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Final

import attrs

from .._time import TimeExtent, from_epoch_us

__all__ = [
    "BAR",
    "BAR_H",
    "COLORS_BY_BASIS",
    "FONT",
    "GRID",
    "INK",
    "LABEL_W",
    "LANE_PAD",
    "MUTED",
    "OTHER",
    "PAD_R",
    "POINT_W",
    "REQUEST",
    "ROW_H",
    "STATEMENT",
    "Window",
    "esc",
    "grid_lines",
    "shorten",
    "tag",
    "text_width",
    "ticks",
    "title",
]

COLORS_BY_BASIS: Final = {
    "alleged": "#D55E00",
    "candidate": "#7B3294",
    "observed": "#0072B2",
}
OTHER: Final = "#8C8C8C"
BAR: Final = "#009E73"
REQUEST: Final = "#B8860B"
STATEMENT: Final = "#444444"
INK: Final = "#1F2328"
MUTED: Final = "#5B636B"
GRID: Final = "#E4E7EB"

LABEL_W: Final = 330  # the left column with lane names
PAD_R: Final = 36
ROW_H: Final = 22  # one row of marks
BAR_H: Final = 16
LANE_PAD: Final = 12
POINT_W: Final = 12.0  # a span narrower than this is drawn as a point
FONT: Final = "'DejaVu Sans', 'Liberation Sans', system-ui, sans-serif"
_CHAR_W: Final = 6.9  # one character of 12px DejaVu Sans, generously


@attrs.frozen
class Window:
    """The span of time drawn and the pixels it takes.

    Attributes:
        lo: The first instant drawn, epoch microseconds (inclusive).
        hi: The end, epoch microseconds (exclusive).
        left: The x of ``lo``.
        width: The pixels from ``lo`` to ``hi``.
    """

    lo: int
    hi: int
    left: float
    width: float

    def x(self, us: int) -> float:
        """The x of an instant, clamped to the window."""
        ratio = (us - self.lo) / (self.hi - self.lo)
        return self.left + min(1.0, max(0.0, ratio)) * self.width

    def visible(self, extent: TimeExtent) -> bool:
        """Whether any part of the extent lies in the window."""
        return extent.lo < self.hi and extent.last >= self.lo


def esc(text: object) -> str:
    """Text escaped for an element's content or an attribute value."""
    return html.escape(str(text), quote=True)


def tag(name: str, attributes: dict[str, object], *children: str) -> str:
    """An element; ``stroke_width`` is written ``stroke-width``, ``class_`` ``class``."""
    attrs_text = "".join(
        f' {key.rstrip("_").replace("_", "-")}="{esc(value)}"'
        for key, value in attributes.items()
        if value is not None
    )
    if not children:
        return f"<{name}{attrs_text}/>"
    return f"<{name}{attrs_text}>{''.join(children)}</{name}>"


def title(lines: Iterable[str]) -> str:
    """An SVG ``<title>``: the tooltip a browser shows on hover (empty lines dropped)."""
    return f"<title>{esc(chr(10).join(line for line in lines if line))}</title>"


def shorten(text: str, chars: int) -> str:
    """The text on one line, cut to ``chars`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= chars else flat[: chars - 1].rstrip() + "\u2026"


def text_width(text: str) -> float:
    """The width of a 12px label, erring wide, so labels never collide."""
    return _CHAR_W * len(text)


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
_UNIT_DAYS: Final = {"day": 1, "week": 7, "month": 30.4, "year": 365.25}


def ticks(window: Window, tz: str) -> list[tuple[int, str, bool]]:
    """``(us, label, major)`` ticks at least ~70 px apart."""
    days = (window.hi - window.lo) / 86_400_000_000
    px_per_day = window.width / max(days, 1e-9)
    unit, count = _STEPS[-1]
    for candidate, n in _STEPS:
        if _UNIT_DAYS[candidate] * n * px_per_day >= 70:
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


def grid_lines(
    window: Window, marks: Iterable[tuple[int, str, bool]], top: float, bottom: float
) -> list[str]:
    """Vertical grid lines at the ticks, from ``top`` to ``bottom``."""
    out = []
    for us, _label, major in marks:
        x = window.x(us)
        out.append(
            tag(
                "line",
                {
                    "x1": f"{x:.1f}",
                    "x2": f"{x:.1f}",
                    "y1": f"{top:.1f}",
                    "y2": f"{bottom:.1f}",
                    "class": "grid major" if major else "grid",
                },
            )
        )
    return out
