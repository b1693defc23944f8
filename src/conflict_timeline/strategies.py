"""Hypothesis strategies for conflict_timeline's values, records and whole histories.

Use them in your own property tests::

    from hypothesis import given
    from conflict_timeline import from_json, to_json
    from conflict_timeline.strategies import records

    @given(records())
    def test_round_trip(record):
        assert from_json(to_json(record)) == record

With hypothesis installed, ``st.from_type(Attack)`` (and every other record kind,
``TimeExtent``, ``Source``, ``Figure``, ``Coordinates`` and ``Condition``) works with
no setup: the package registers these strategies through hypothesis' entry point.
``conflict_timeline.testing.TimelineMachine`` builds on
[`timelines`][conflict_timeline.strategies.timelines] to check
your own views step by step.

Every argument is keyword-only. Ids are short and readable (``"actor-0"``,
``"attack-3"``), and every draw shrinks towards plain values (no sources, empty
texts, 1 January 2020 in UTC, one day rather than a span of days), so a shrunk
counterexample reads like a story. Every strategy draws valid values directly; none
filters, so drawing stays fast.
"""

from __future__ import annotations

from .errors import MissingExtraError

try:
    import hypothesis  # noqa: F401 only to find out whether it is installed
except ModuleNotFoundError as exc:  # pragma: no cover - tested in a subprocess
    msg = 'conflict_timeline.strategies needs Hypothesis: pip install "conflict_timeline[testing]"'
    raise MissingExtraError(msg) from exc

# The strategies are written in ``_drawing``, beside the machinery they share with
# ``conflict_timeline.testing.TimelineMachine``; this module is their public face.
from ._drawing import (
    DEFAULT_TIMEZONES,
    actors,
    figures,
    places,
    records,
    sources,
    time_extents,
    timelines,
)

__all__ = [
    "DEFAULT_TIMEZONES",
    "actors",
    "figures",
    "places",
    "records",
    "sources",
    "time_extents",
    "timelines",
]
