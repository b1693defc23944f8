"""Test helpers for code built on conflict_timeline.

``StoreConformance`` is the store conformance suite: subclass it in your tests and
implement ``make_store()`` to check a backend against every store guarantee. Running
it needs pytest (and hypothesis, for its property test); importing this module does not.
"""

from ._conformance import StoreConformance

__all__ = ["StoreConformance"]
