"""Views: folds over the log, the replay engine, the built-in views and their registry.

The library calls the concept a *view* throughout: [`View`][conflict_timeline.View] is the protocol
(``kinds``, ``initial``, ``apply``, ``result``), ``timeline.state(view, ...)`` takes
one, and built-in and third-party views are registered by name (`register_view`,
entry point group ``conflict_timeline.views``). ``Projection`` is the former name of
[`View`][conflict_timeline.View], kept as an alias.
"""

from ._engine import Engine, Entry
from ._listing import Listing, NamedRow, Pages, Row, table_cells
from ._protocol import (
    Certainty,
    Glimpse,
    GlimpseView,
    Labels,
    Projection,
    Query,
    Table,
    Tabular,
    View,
)
from ._registry import (
    ENTRY_POINT_GROUP,
    check_view,
    get_view,
    register_view,
    reread_entry_points,
    unregister_view,
    view_names,
)
from .agreements import AgreementEntry, Agreements
from .casualties import CasualtyEstimate, CasualtyEstimates
from .commitments import (
    ActiveCommitment,
    ActiveCommitments,
    CommitmentHistory,
    CommitmentLife,
    CommitmentStatus,
    Trigger,
    TriggeredCommitments,
)
from .gazetteer import Gazetteer, GazetteerResult
from .requests import OpenRequests, RequestLog, RequestStatus
from .violations import Basis, ReportedViolations, ViolationAssessment

__all__ = [
    "ENTRY_POINT_GROUP",
    "ActiveCommitment",
    "ActiveCommitments",
    "AgreementEntry",
    "Agreements",
    "Basis",
    "CasualtyEstimate",
    "CasualtyEstimates",
    "Certainty",
    "CommitmentHistory",
    "CommitmentLife",
    "CommitmentStatus",
    "Engine",
    "Entry",
    "Gazetteer",
    "GazetteerResult",
    "Glimpse",
    "GlimpseView",
    "Labels",
    "Listing",
    "NamedRow",
    "OpenRequests",
    "Pages",
    "Projection",
    "Query",
    "ReportedViolations",
    "RequestLog",
    "RequestStatus",
    "Row",
    "Table",
    "Tabular",
    "Trigger",
    "TriggeredCommitments",
    "View",
    "ViolationAssessment",
    "check_view",
    "get_view",
    "register_view",
    "reread_entry_points",
    "table_cells",
    "unregister_view",
    "view_names",
]

_BUILT_IN: dict[str, type[View]] = {  # type: ignore[type-arg]
    "active-commitments": ActiveCommitments,
    "commitment-history": CommitmentHistory,
    "triggered-commitments": TriggeredCommitments,
    "open-requests": OpenRequests,
    "request-log": RequestLog,
    "reported-violations": ReportedViolations,
    "casualty-estimates": CasualtyEstimates,
    "gazetteer": Gazetteer,
    "agreements": Agreements,
}
for _name, _view in _BUILT_IN.items():
    register_view(_name, _view)
del _name, _view
