"""Hypothesis plugin: ``st.from_type(Attack)`` works with no setup.

Hypothesis calls `_register` when it is imported, through the ``hypothesis``
entry point declared in ``pyproject.toml``. Only hypothesis imports this module: the
core package never imports hypothesis. Each strategy is deferred, so
``conflict_timeline.strategies`` is imported only when a test first draws one of
these types.

It also teaches hypothesis to print our values compactly in falsifying examples: a
record shows only the fields that differ from what it would have anyway
(``Attack(id='attack-0', occurred=TimeExtent.parse('2020-01-01', tz='UTC'))``), and
a [`TimeExtent`][conflict_timeline.TimeExtent] shows as the text it parses from.
"""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import strategies as st

from ._provenance import Codes, Figure, Source
from ._records import RECORD_KINDS, Condition, Coordinates, Record, Scope
from ._time import TimeExtent

__all__: list[str] = []


def _deferred(name: str, **kwargs: Any) -> st.SearchStrategy[Any]:
    """The strategy ``name`` of the drawing machinery behind
    ``conflict_timeline.strategies``, called with ``kwargs`` if it is a function, built
    on first use."""

    def build() -> st.SearchStrategy[Any]:
        from . import _drawing  # noqa: PLC0415 - deferred: imported on first draw only

        found = getattr(_drawing, name)
        strategy: st.SearchStrategy[Any] = (
            found if isinstance(found, st.SearchStrategy) else found(**kwargs)
        )
        return strategy

    return st.deferred(build)


def _register() -> None:
    """Register a strategy for every record kind and the values records hold."""
    for kind in RECORD_KINDS:
        st.register_type_strategy(kind, _deferred("records", kinds=[kind]))
    st.register_type_strategy(Record, _deferred("records"))
    st.register_type_strategy(TimeExtent, _deferred("time_extents"))
    st.register_type_strategy(Source, _deferred("sources"))
    st.register_type_strategy(Figure, _deferred("figures"))
    # Inferred from their annotations these would draw NaN latitudes and blank ids.
    st.register_type_strategy(Coordinates, _deferred("COORDINATES"))
    st.register_type_strategy(Condition, _deferred("CONDITIONS"))
    # st.builds(Statement, id=..., ...) draws the fields it is not given from their
    # attrs types, which `from __future__ import annotations` leaves as text until
    # resolved; unresolved, hypothesis falls back to __init__'s hints, where a field
    # with a converter (occurred, sources) is Any, which it cannot draw. Resolved here,
    # not whenever something else (cattrs) happened to resolve them first.
    for cls in (*RECORD_KINDS, Source, Figure, Codes, Coordinates, Scope, Condition):
        attrs.resolve_types(cls)
    _register_printers()


# ---------------------------------------------------------------- printing


def _print_repr(obj: object, printer: Any, cycle: bool) -> None:
    del cycle  # a TimeExtent holds no references back to itself
    printer.text(repr(obj))


def _shown_fields(obj: Any) -> dict[str, Any]:
    """The init fields of an attrs value without which it would still be equal.

    Defaults go, and so do derived values: a record's ``reported`` taken from its
    sources, a statement's ``claimed_by`` taken from its speaker.
    """
    cls = type(obj)
    fields = {a.name: getattr(obj, a.name) for a in attrs.fields(cls) if a.init}
    for name in list(fields):
        trial = {k: v for k, v in fields.items() if k != name}
        try:
            same = cls(**trial) == obj
        except Exception:  # a required field, or one others depend on: it stays
            same = False
        if same:
            fields = trial
    return fields


def _print_compact(obj: object, printer: Any, cycle: bool) -> None:
    name = type(obj).__name__
    if cycle:
        printer.text(f"{name}(...)")
        return
    # Align the fields under the first one, wherever this value starts on its line.
    # (getattr: these are the vendored printer's internals; without them, no alignment.)
    column = getattr(printer, "output_width", 0) + getattr(printer, "buffer_width", 0)
    indent = max(column - getattr(printer, "indentation", column), 0) + len(name) + 1
    with printer.group(indent, f"{name}(", ")"):
        for i, (field, value) in enumerate(_shown_fields(obj).items()):
            if i:
                printer.text(",")
                printer.breakable()
            printer.text(f"{field}=")
            printer.pretty(value)


def _register_printers() -> None:
    """Compact printing in falsifying examples, through hypothesis' pretty printer."""
    try:
        from hypothesis.vendor.pretty import for_type_by_name  # noqa: PLC0415
    except ImportError:  # pragma: no cover - a hypothesis without it prints every field
        return
    for cls in (*RECORD_KINDS, Source, Figure, Codes, Coordinates, Scope, Condition):
        for_type_by_name(cls.__module__, cls.__name__, _print_compact)
    for_type_by_name(TimeExtent.__module__, TimeExtent.__name__, _print_repr)
