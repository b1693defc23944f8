"""Projections: folds over the log, the replay engine, and the built-in views."""

from ._engine import Engine, Entry
from ._protocol import Certainty, Projection, Query, View, to_cut
from .agreements import AgreementEntry, Agreements
from .casualties import CasualtyEstimate, CasualtyEstimates
from .commitments import (
    ActiveCommitment,
    ActiveCommitments,
    CommitmentHistory,
    CommitmentLife,
    CommitmentStatus,
    Listing,
    Trigger,
    TriggeredCommitments,
)
from .gazetteer import Gazetteer, GazetteerResult
from .requests import OpenRequests, RequestLog, RequestStatus
from .violations import Basis, ReportedViolations, ViolationAssessment

__all__ = [
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
