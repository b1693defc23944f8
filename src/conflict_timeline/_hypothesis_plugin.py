"""Hypothesis plugin: ``st.from_type(Attack)`` works with no setup.

Hypothesis calls :func:`_register` when it is imported, through the ``hypothesis``
entry point declared in ``pyproject.toml``. Only hypothesis imports this module: the
core package never imports hypothesis. Each strategy is deferred, so
``conflict_timeline.strategies`` is imported only when a test first draws one of
these types.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ._provenance import Figure, Source
from ._records import RECORD_KINDS, Record
from ._time import TimeExtent

__all__: list[str] = []


def _deferred(name: str, **kwargs: Any) -> st.SearchStrategy[Any]:
    """``conflict_timeline.strategies.<name>(**kwargs)``, built on first use."""

    def build() -> st.SearchStrategy[Any]:
        from . import strategies  # noqa: PLC0415 - deferred: imported on first draw only

        strategy: st.SearchStrategy[Any] = getattr(strategies, name)(**kwargs)
        return strategy

    return st.deferred(build)


def _register() -> None:
    """Register a strategy for every record kind and for TimeExtent, Source, Figure."""
    for kind in RECORD_KINDS:
        st.register_type_strategy(kind, _deferred("records", kinds=[kind]))
    st.register_type_strategy(Record, _deferred("records"))
    st.register_type_strategy(TimeExtent, _deferred("time_extents"))
    st.register_type_strategy(Source, _deferred("sources"))
    st.register_type_strategy(Figure, _deferred("figures"))
