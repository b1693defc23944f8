"""Projections: folds over the log, the replay engine, and the built-in views."""

from ._casualties import CasualtyEstimate, CasualtyEstimates
from ._commitments import (
    ActiveCommitment,
    ActiveCommitments,
    CommitmentHistory,
    CommitmentLife,
    CommitmentStatus,
    Listing,
    Trigger,
    TriggeredCommitments,
)
from ._engine import Engine, Entry
from ._gazetteer import Gazetteer, GazetteerResult
from ._protocol import Certainty, Projection, Query, View, to_cut
from ._requests import OpenRequests, RequestLog, RequestStatus
from ._violations import Basis, ReportedViolations, ViolationAssessment

__all__ = [
    "ActiveCommitment",
    "ActiveCommitments",
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
    "Listing",
    "OpenRequests",
    "Projection",
    "Query",
    "ReportedViolations",
    "RequestLog",
    "RequestStatus",
    "Trigger",
    "TriggeredCommitments",
    "View",
    "ViolationAssessment",
    "to_cut",
]
