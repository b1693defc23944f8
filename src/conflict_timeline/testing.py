"""Test helpers for code built on conflict_timeline.

``StoreConformance`` is the store conformance suite: subclass it in your tests and
implement ``make_store()`` to check a backend against every store guarantee. Running
it needs pytest (and hypothesis, for its property test); importing this module does not.

``TimelineMachine`` is a hypothesis state machine that checks your own projection
against a reference model while records, corrections and retractions are appended
(see the guide "Testing your projections"). It needs hypothesis
(``pip install "conflict_timeline[testing]"``), imported when you first use it.
"""

from typing import TYPE_CHECKING, Any

from ._conformance import StoreConformance

if TYPE_CHECKING:
    from ._machine import TimelineMachine

__all__ = ["StoreConformance", "TimelineMachine"]


def __getattr__(name: str) -> Any:
    if name == "TimelineMachine":
        from ._machine import TimelineMachine  # noqa: PLC0415 - hypothesis only when used

        return TimelineMachine
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
