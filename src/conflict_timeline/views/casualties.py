"""Casualty figures as each claimant reports them; never merged across claimants."""

from __future__ import annotations

from typing import ClassVar

import attrs
import immutables

from .._provenance import Figure, Source, figure_text, sources_text
from .._records import CasualtyCategory, CasualtyMeasure, CasualtyReport
from .._time import TimeExtent
from ..stores import Recorded
from ._listing import Listing
from ._protocol import Labels, Query, View

__all__ = ["CasualtyEstimate", "CasualtyEstimates"]

_Key = tuple[str, CasualtyCategory, CasualtyMeasure, str]


@attrs.frozen
class CasualtyEstimate:
    """The latest figure one claimant gave for one category, measure and place.

    Attributes:
        id: The id of the report the figure comes from.
        claimant: Who claims it (the report's ``claimed_by``, or its first
            source's publisher when no actor is named).
        category: Whose casualties.
        measure: What is counted.
        place: The place id it covers, or None for the whole conflict.
        figure: low / best / high, with the source's wording.
        as_of: The time the figure covers (the report's ``occurred``).
        reported: When it was reported.
        sources: Its sources.
    """

    id: str
    claimant: str
    category: CasualtyCategory
    measure: CasualtyMeasure
    place: str | None
    figure: Figure
    as_of: TimeExtent
    reported: TimeExtent
    sources: tuple[Source, ...]

    table_columns: ClassVar[tuple[str, ...]] = (
        "claimant",
        "category",
        "measure",
        "place",
        "figure",
        "as of",
        "sources",
    )
    named_columns: ClassVar[tuple[str, ...]] = ("claimant", "place")

    def table_row(self, names: Labels | None = None) -> tuple[str, ...]:
        """The cells under ``table_columns``; with ``names``, the claimant's name (when
        it is an actor) and the place's."""
        return (
            self.claimant if names is None else names.actor(self.claimant),
            self.category.value,
            self.measure.value,
            (self.place or "") if names is None else names.place(self.place),
            figure_text(self.figure),
            str(self.as_of),
            sources_text(self.sources),
        )


def _latest(recorded: Recorded) -> tuple[int, int, str]:
    """How late a report's figure is: the end of the time it covers, then when it
    was reported, then its id."""
    return (recorded.record.occurred.last, recorded.reported.lo, recorded.record.id)


def _claimant(report: CasualtyReport) -> str:
    if report.claimed_by is not None:
        return report.claimed_by
    if report.sources:
        return report.sources[0].publisher
    return "unattributed"


class CasualtyEstimates(View[immutables.Map[_Key, Recorded], Listing[CasualtyEstimate]]):
    """Per claimant, category, measure and place: the latest figure known.

    "Latest" is the report covering the latest time (the latest last instant of
    its ``occurred``: a total for October covers later time than a figure for 20
    October), then the latest reported (the later first instant of its
    ``reported``), then the larger id. Result: a
    [`Listing`][conflict_timeline.Listing] of
    [`CasualtyEstimate`][conflict_timeline.CasualtyEstimate],
    ordered by claimant, category, measure and place.

    Only [`CasualtyReport`][conflict_timeline.CasualtyReport] records count: the
    fatalities a dataset gives per event (UCDP GED's ``best``/``low``/``high``,
    ACLED's ``fatalities``) are on its [`Attack`][conflict_timeline.Attack]
    (``Attack.fatalities``: an ACLED strategic development's, a ``Statement``, in
    its notes; the ``fatalities_*`` columns of `to_dataframe` and the
    CSV export), so after a GED or ACLED import this view is empty.
    """

    kinds: ClassVar[frozenset[str] | None] = frozenset({"CasualtyReport"})

    def initial(self) -> immutables.Map[_Key, Recorded]:
        """No figures."""
        return immutables.Map()

    def apply(
        self, state: immutables.Map[_Key, Recorded], recorded: Recorded
    ) -> immutables.Map[_Key, Recorded]:
        """Replace the claimant's figure for that key, unless the one kept is later
        (see the class docstring: replay order is by the *start* of ``occurred``)."""
        report = recorded.record
        if not isinstance(report, CasualtyReport):
            return state
        key = (_claimant(report), report.category, report.measure, report.place or "")
        kept = state.get(key)
        if kept is not None and _latest(kept) > _latest(recorded):
            return state
        return state.set(key, recorded)

    def result(
        self, state: immutables.Map[_Key, Recorded], query: Query
    ) -> Listing[CasualtyEstimate]:
        """The figures, one per key."""
        out = []
        for (claimant, category, measure, place), recorded in state.items():
            report = recorded.record
            assert isinstance(report, CasualtyReport)
            out.append(
                CasualtyEstimate(
                    report.id,
                    claimant,
                    category,
                    measure,
                    place or None,
                    report.count,
                    report.occurred,
                    recorded.reported,
                    report.sources,
                )
            )
        out.sort(key=lambda e: (e.claimant, e.category.value, e.measure.value, e.place or ""))
        return Listing(tuple(out), query)
