"""Test helpers for code built on conflict_timeline.

``StoreConformance`` is the store conformance suite: subclass it in your tests and
implement ``make_store()`` to check a backend against every store guarantee. Running
it needs pytest (and hypothesis, for its property test); importing this module does not.

``TimelineMachine`` is a hypothesis state machine that checks your own projection
against a reference model while records, corrections and retractions are appended
(see the guide "Testing your projections"). It needs hypothesis
(``pip install "conflict_timeline[testing]"``), imported when you first use it.
"""

import contextlib
import sys
from typing import TYPE_CHECKING, Any

# Under pytest, a failing check of the suite shows the values it compared, as a
# test module's own asserts do: pytest rewrites only the modules it is told of, and
# must be told before the module is imported.
if "pytest" in sys.modules and "conflict_timeline._conformance" not in sys.modules:
    with contextlib.suppress(Exception):  # pytest too old, or not the test runner
        sys.modules["pytest"].register_assert_rewrite("conflict_timeline._conformance")

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
