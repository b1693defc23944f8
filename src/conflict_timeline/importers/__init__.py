"""Importers for published conflict datasets: ACLED and UCDP GED.

Each reader is pure: it reads a CSV file and returns an :class:`ImportBatch` of
records to append (actors and places first), the rows it refused and why, and its
counts. See ``_batch`` for the ``existing`` contract and the strict mode, and
``_apply`` for appending a batch to a store in one transaction.
"""

from ._apply import CurrentVersions, ImportSummary, append_batch, run_import
from ._batch import ImportBatch, RefusedRow
from .acled import read_acled, read_acled_deletions
from .ucdp import read_ucdp

__all__ = [
    "CurrentVersions",
    "ImportBatch",
    "ImportSummary",
    "RefusedRow",
    "append_batch",
    "read_acled",
    "read_acled_deletions",
    "read_ucdp",
    "run_import",
]
