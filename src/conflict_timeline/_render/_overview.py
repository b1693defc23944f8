"""The overview chart: counts per lane per day, week, month or year, on one screen.

Used when there are too many records to draw one by one. Incidents are counted in
bins whose size is chosen from the span drawn; an incident known only to a span
longer than a bin is shared equally among the bins its span touches, so a month-
precise attack adds 1/30 to each day of a 30-day month (or 1/n to each of the n
weeks it touches), never a whole attack to a day it may not have happened on. Each
lane has its own scale, and says its peak.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final, Literal

import attrs

from .._labels import Names
from .._records import Attack, Observation, PlaceKind, Record, Request, Statement
from .._time import TimeExtent, from_epoch_us
from ..stores import Recorded
from ..views import Basis, CommitmentLife, ViolationAssessment
from ._svg import (
    BAR,
    COLORS_BY_BASIS,
    OTHER,
    REQUEST,
    STATEMENT,
    Window,
    esc,
    shorten,
    tag,
    title,
)

__all__ = [
    "GROUP_BY",
    "Bins",
    "GroupBy",
    "Strip",
    "choose_bins",
    "commitment_strips",
    "draw_strip",
    "group_strips",
    "requests_strip",
]

GroupBy = Literal["actor", "country", "conflict"]
GROUP_BY: Final[tuple[GroupBy, ...]] = ("actor", "country", "conflict")

STRIP_H: Final = 30  # a lane of counts
COMMITMENT_H: Final = 40  # a commitment's bar above its counts
_BAR_TOP: Final = 5
_MIN_BIN_PX: Final = 4.0
_UNITS: Final = (("day", 1.0), ("week", 7.0), ("month", 30.44), ("year", 365.25))
_EMPTY: Final = range(0)
_BASIS_ORDER: Final = (Basis.OBSERVED, Basis.ALLEGED, Basis.CANDIDATE)
_SERIES_COLORS: Final = {
    "request": REQUEST,
    "statement": STATEMENT,
    "observed": COLORS_BY_BASIS["observed"],
    "alleged": COLORS_BY_BASIS["alleged"],
    "candidate": COLORS_BY_BASIS["candidate"],
    "none": OTHER,
    "in-force": BAR,
}
_SERIES_WORDS: Final = {
    "request": "request(s)",
    "statement": "statement(s)",
    "observed": "observed violation(s)",
    "alleged": "alleged violation(s)",
    "candidate": "candidate violation(s)",
    "none": "attack(s) not assessed",
    "in-force": "commitment(s) in force",
}
# A series' ``data-kind`` where it is not its name: the check box it answers to.
_KIND_OF: Final = {"in-force": "bar"}


@attrs.frozen
class Bins:
    """The bins counts are kept in.

    Attributes:
        unit: ``day``, ``week``, ``month`` or ``year``.
        edges: Their bounds, epoch microseconds, one more than there are bins.
        labels: Each bin's name for a tooltip ("week of 3 Mar 2020").
    """

    unit: str
    edges: tuple[int, ...]
    labels: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.edges) - 1

    def span(self, extent: TimeExtent) -> range:
        """The bins the extent touches (empty when it lies outside them all)."""
        edges = self.edges
        lo, last = extent.lo, extent.last
        if last < edges[0] or lo >= edges[-1]:
            return _EMPTY
        first = bisect.bisect_right(edges, lo) - 1
        end = bisect.bisect_right(edges, last, lo=max(first, 0)) - 1
        n = len(edges) - 2
        return range(max(first, 0), min(end, n) + 1)


def choose_bins(window: Window, tz: str) -> Bins:
    """The smallest of day, week, month, year whose bins are at least 4 px wide."""
    days = (window.hi - window.lo) / 86_400_000_000
    unit = "year"
    for candidate, unit_days in _UNITS:
        if window.width / max(days / unit_days, 1.0) >= _MIN_BIN_PX:
            unit = candidate
            break
    current = from_epoch_us(window.lo).in_timezone(tz).start_of(unit)
    edges: list[int] = []
    labels: list[str] = []
    pattern = {
        "day": "D MMM YYYY",
        "week": "[week of] D MMM YYYY",
        "month": "MMMM YYYY",
        "year": "YYYY",
    }[unit]
    while True:
        us = int(current.timestamp() * 1_000_000)
        edges.append(us)
        if us >= window.hi:
            break
        labels.append(current.format(pattern))
        current = current.add(**{f"{unit}s": 1})
    return Bins(unit, tuple(edges), tuple(labels))


@attrs.frozen
class Strip:
    """A lane of counts: per series (``alleged``, ``none``, ``request``...), per bin.

    Attributes:
        key: The lane's id, for the filter.
        heading: Its name.
        note: The line under the name (totals).
        tooltip: The name's tooltip.
        kind: ``requests``, ``commitment`` or ``group``.
        counts: Series -> count per bin (fractions where a span is shared).
        life: The commitment drawn as a bar above the counts, for a commitment.
        attributes: The lane group's attributes.
    """

    key: str
    heading: str
    note: str
    tooltip: tuple[str, ...]
    kind: str
    counts: Mapping[str, Sequence[float]]
    life: CommitmentLife | None = None
    attributes: Mapping[str, object] = attrs.field(factory=dict)

    @property
    def height(self) -> int:
        return COMMITMENT_H if self.life is not None else STRIP_H


def _count(
    items: Iterable[tuple[str, range]], bins: Bins, series: Iterable[str]
) -> tuple[dict[str, list[float]], int]:
    """Counts per series per bin; ``items`` are ``(series, the bins it touches)``."""
    counts = {name: [0.0] * len(bins) for name in series}
    total = 0
    for name, touched in items:
        if not touched:
            continue
        total += 1
        row = counts[name]
        if len(touched) == 1:
            row[touched.start] += 1.0
            continue
        share = 1.0 / len(touched)
        for i in touched:
            row[i] += share
    return counts, total


def _number(n: float) -> str:
    """Whole counts as such; shares of a span with two decimals."""
    return f"{n:,.0f}" if abs(n - round(n)) < 1e-9 else f"{n:,.2f}"


def requests_strip(records: Sequence[Recorded], bins: Bins) -> Strip | None:
    """Requests and statements, counted; None when there are none in the bins."""
    items = [
        ("request" if isinstance(r.record, Request) else "statement", bins.span(r.record.occurred))
        for r in records
        if isinstance(r.record, Request | Statement)
    ]
    counts, total = _count(items, bins, ("request", "statement"))
    if not total:
        return None
    n_requests = round(sum(counts["request"]))
    note = f"{n_requests:,} request(s), {total - n_requests:,} statement(s)"
    return Strip(
        "requests",
        "Requests and statements",
        note,
        ("Requests for help and statements, counted per " + bins.unit,),
        "requests",
        counts,
        attributes={"class": "lane requests", "data_lane": "requests"},
    )


def _strongest(bases: Iterable[Basis]) -> str:
    found = set(bases)
    return next((b.value for b in _BASIS_ORDER if b in found), "none")


def commitment_strips(
    history: Sequence[CommitmentLife],
    violations: Iterable[ViolationAssessment],
    by_id: Mapping[str, Record],
    bins: Bins,
    window: Window,
    *,
    room: int,
) -> list[Strip]:
    """Up to ``room`` lanes: commitments with their assessed incidents counted.

    When more commitments were made than there is room for, the ones with the most
    assessed incidents get a lane each, and the last lane counts how many of the
    others were in force in each bin.
    """
    if room <= 0:
        return []
    incidents: dict[str, dict[str, set[Basis]]] = {}
    for assessment in violations:
        found = incidents.setdefault(assessment.commitment, {})
        # An observation that names no attack is counted at its own time, as the
        # detail draws it.
        alone = isinstance(by_id.get(assessment.evidence), Observation)
        for incident in assessment.incidents or ((assessment.evidence,) if alone else ()):
            found.setdefault(incident, set()).add(assessment.basis)
    shown = [life for life in history if life.commitment.occurred.lo < window.hi]
    if not shown:
        return []
    ranked = sorted(shown, key=lambda life: (-len(incidents.get(life.id, ())), life.id))
    own = ranked if len(ranked) <= room else ranked[: room - 1]
    rest = [] if len(ranked) <= room else ranked[room - 1 :]
    own_ids = {life.id for life in own}
    strips = []
    for life in shown:
        if life.id not in own_ids:
            continue
        items = []
        for incident, bases in incidents.get(life.id, {}).items():
            record = by_id.get(incident)
            if isinstance(record, Attack | Observation):
                items.append((_strongest(bases), bins.span(record.occurred)))
        counts, total = _count(items, bins, ("observed", "alleged", "candidate"))
        status = life.status.value
        strips.append(
            Strip(
                f"c-{life.id}",
                life.id,
                f"{total:,} possible violation(s)",
                (life.id, life.commitment.text, f"status at the end of the chart: {status}"),
                "commitment",
                counts,
                life,
                {"class": "lane commitment", "data_commitment": life.id, "data_status": status},
            )
        )
    if rest:
        in_force = [0.0] * len(bins)
        for life in rest:
            end = life.ended.occurred.lo if life.ended is not None else None
            if end is None and life.until is not None:
                end = life.until.last
            for i in range(len(bins)):
                lo, hi = bins.edges[i], bins.edges[i + 1]
                if life.effective.lo < hi and (end is None or end >= lo):
                    in_force[i] += 1
        strips.append(
            Strip(
                "c-more",
                f"{len(rest):,} more commitments",
                "how many of them were in force",
                ("Commitments without a lane of their own, counted while in force",),
                "commitment",
                {"in-force": in_force},
                attributes={"class": "lane commitments-more", "data_lane": "more"},
            )
        )
    return strips


def _group_key(group_by: GroupBy, names: Names) -> Callable[[Attack], str | tuple[str, ...]]:
    """The group of an attack, or the groups (a clash between sides, grouped by actor:
    each side's, as either may have struck; see `Attack.between_sides`)."""
    if group_by == "actor":

        def actors(attack: Attack) -> str | tuple[str, ...]:
            made = names.actor(attack.perpetrator) if attack.perpetrator else "unknown perpetrator"
            if attack.target_actor is None or not attack.between_sides:
                return made
            other = names.actor(attack.target_actor)
            return made if other == made else (made, other)

        return actors
    if group_by == "country":
        countries: dict[str, str] = {}

        def country(attack: Attack) -> str:
            if attack.place is None:
                return "unknown place"
            found = countries.get(attack.place)
            if found is None:
                found = countries[attack.place] = _country(attack.place, names)
            return found

        return country

    def sides(attack: Attack) -> str:
        side_a = names.actor(attack.perpetrator) if attack.perpetrator else "unknown"
        if attack.target_actor is not None:
            side_b = names.actor(attack.target_actor)
        else:
            side_b = f"{attack.target_class.value} targets"
        return f"{side_a} \u2013 {side_b}"

    return sides


def _country(place: str, names: Names) -> str:
    """The place's country (its nearest country ancestor), else its topmost ancestor."""
    chain: list[str] = []
    current: str | None = place
    while current is not None and current not in chain and len(chain) < 1_000:
        chain.append(current)
        defined = names.places.get(current)
        current = defined.parent if defined is not None else None
    for pid in chain:
        defined = names.places.get(pid)
        if defined is not None and defined.place_kind is PlaceKind.COUNTRY:
            return defined.name
    return names.place(chain[-1])


def group_strips(
    records: Sequence[Recorded],
    assessments: Iterable[ViolationAssessment],
    names: Names,
    bins: Bins,
    group_by: GroupBy,
    *,
    room: int,
) -> list[Strip]:
    """Attacks by group: the biggest groups get a lane each, the rest share the last."""
    if room <= 0:
        return []
    strongest: dict[str, str] = {}
    rank = {basis.value: i for i, basis in enumerate(_BASIS_ORDER)}
    for assessment in assessments:
        basis = assessment.basis.value
        for incident in assessment.incidents:
            found = strongest.get(incident)
            if found is None or rank[basis] < rank[found]:
                strongest[incident] = basis
    key = _group_key(group_by, names)
    grouped: dict[str, dict[str, tuple[str, range]]] = {}
    for recorded in records:
        attack = recorded.record
        if not isinstance(attack, Attack):
            continue
        touched = bins.span(attack.occurred)
        if touched:
            keys = key(attack)
            item = (strongest.get(attack.id, "none"), touched)
            for group in (keys,) if isinstance(keys, str) else keys:
                grouped.setdefault(group, {})[attack.id] = item
    if not grouped:
        return []
    sizes = Counter({name: len(items) for name, items in grouped.items()})
    ranked = [name for name, _ in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))]
    own = ranked if len(ranked) <= room else ranked[: room - 1]
    rest = [] if len(ranked) <= room else ranked[room - 1 :]
    lanes = [(name, list(grouped[name].values()), name) for name in own]
    if rest:
        # A clash of two sides both in the rest is one attack of the merged lane.
        merged = {aid: item for name in rest for aid, item in grouped[name].items()}
        lanes.append(
            (f"{len(rest):,} other {group_by} groups", list(merged.values()), "; ".join(rest[:20]))
        )
    either = " (a clash between sides counts under each side)" if group_by == "actor" else ""
    strips = []
    for i, (name, items, detail) in enumerate(lanes):
        counts, total = _count(items, bins, ("observed", "alleged", "candidate", "none"))
        strips.append(
            Strip(
                f"g-{i}",
                name,
                f"{total:,} attack(s)",
                (f"Attacks, grouped by {group_by}{either}: {detail}",),
                "group",
                counts,
                attributes={"class": "lane group", "data_group": name},
            )
        )
    return strips


def draw_strip(strip: Strip, bins: Bins, window: Window, width: int) -> str:
    """The lane: its name, its bar (a commitment), its counts as stacked columns."""
    height = strip.height
    top = 14 if strip.life is not None else 4
    bar_room = height - top - 3
    totals = [sum(series[i] for series in strip.counts.values()) for i in range(len(bins))]
    peak = max(totals, default=0.0)
    peak_text = f"peak {_number(peak)} a {bins.unit}" if peak else ""
    heading = shorten(strip.heading, 38)
    parts = [
        tag("rect", {"x": 0, "y": 0, "width": width, "height": height, "class": "lane-bg"}),
        tag(
            "g",
            {"class": "lane-label"},
            title((*strip.tooltip, strip.note, peak_text)),
            tag("text", {"x": 16, "y": 13, "class": "lane-title small"}, esc(heading)),
            tag(
                "text",
                {"x": 16, "y": 26, "class": "lane-note"},
                esc(shorten(f"{strip.note}; {peak_text}" if peak_text else strip.note, 50)),
            ),
        ),
    ]
    if strip.life is not None:
        life = strip.life
        x0 = window.x(life.effective.lo)
        end = life.ended.occurred.lo if life.ended is not None else None
        if end is None and life.until is not None:
            end = life.until.last
        x1 = window.x(end) if end is not None else window.x(window.hi)
        # Said as the detail's bar says it: a bar drawn over the window read "status:
        # lapsed" alone, the status at the chart's end, without its until.
        if life.ended is not None:
            ending = f"ended: {life.ended.reason.value}, {life.ended.occurred}"
        else:
            ending = f"until: {life.until}" if life.until is not None else "no end recorded"
        parts.append(
            tag(
                "g",
                {"class": "bar", "data_kind": "bar", "data_status": life.status.value},
                title(
                    (
                        life.id,
                        f"effective: {life.effective}",
                        ending,
                        f"status at the end of the chart: {life.status.value}",
                    )
                ),
                tag(
                    "rect",
                    {
                        "x": f"{x0:.1f}",
                        "y": _BAR_TOP - 1,
                        "width": f"{max(x1 - x0, 1.0):.1f}",
                        "height": 6,
                        "fill": BAR,
                    },
                ),
            )
        )
    if peak:
        for i, column in enumerate(totals):
            if not column:
                continue
            x0 = window.x(bins.edges[i])
            x1 = window.x(bins.edges[i + 1])
            w = max(x1 - x0 - 0.6, 0.8)
            y = height - 3.0
            rects = []
            words = []
            for name, series in strip.counts.items():
                value = series[i]
                if not value:
                    continue
                h = bar_room * value / peak
                y -= h
                basis = name if name in ("observed", "alleged", "candidate", "none") else None
                rects.append(
                    tag(
                        "rect",
                        {
                            "x": f"{x0:.1f}",
                            "y": f"{y:.1f}",
                            "width": f"{w:.1f}",
                            "height": f"{max(h, 0.6):.1f}",
                            "fill": _SERIES_COLORS[name],
                            "data_basis": basis,
                            # The shared lane's count of commitments in force is
                            # hidden with their bars (one check box, key "bar").
                            "data_kind": None if basis else _KIND_OF.get(name, name),
                        },
                    )
                )
                words.append(f"{_number(value)} {_SERIES_WORDS[name]}")
            tip = f"{strip.heading}, {bins.labels[i]}: " + ", ".join(words)
            parts.append(tag("g", {"class": "bin"}, f"<title>{esc(tip)}</title>", *rects))
    return tag("g", dict(strip.attributes), *parts)
