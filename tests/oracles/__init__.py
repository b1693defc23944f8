"""Independent oracles for the built-in views, written from docs/explanation/*.md.

Each oracle is a deliberately naive plain-Python reading of the documented rules over
the full list of stored envelopes: no folds, no indexes, no checkpoints, and never a
call to a view's ``initial``/``apply``/``result`` or to the library's rule helpers
(``views._rules``, ``Geography``). The property tests in
``tests/test_view_oracles.py`` compare every built-in view with its oracle on
generated timelines, for every cut form.
"""

from .replay import Replayed, replayed
from .views import (
    active_commitments,
    agreements,
    casualty_estimates,
    commitment_history,
    gazetteer,
    open_requests,
    reported_violations,
    request_log,
    triggered_commitments,
)

__all__ = [
    "Replayed",
    "active_commitments",
    "agreements",
    "casualty_estimates",
    "commitment_history",
    "gazetteer",
    "open_requests",
    "replayed",
    "reported_violations",
    "request_log",
    "triggered_commitments",
]
