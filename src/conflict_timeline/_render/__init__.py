"""A picture of a timeline: one self-contained HTML file with inline SVG charts.

The chart has a lane per commitment, a bar over the time it was in force (faded
where its start or end is only known to a span), and how it ended; the incidents
assessed as possible violations of it, coloured by the assessment's basis (alleged,
candidate, observed); a lane of requests and statements; and the other reported
attacks. With few records each is a labelled mark (``_lanes``); with many they are
counted per day, week, month or year and grouped (``_overview``). ``_svg`` holds the
SVG primitives and the axis, ``_page`` the page, its filters and its style.

The file loads nothing: no script, no stylesheet, no font, no image from anywhere,
and its Content-Security-Policy forbids the browser to try.
"""

from ._page import MIN_HEIGHT, MIN_WIDTH, page_html, render_html

__all__ = ["MIN_HEIGHT", "MIN_WIDTH", "page_html", "render_html"]
