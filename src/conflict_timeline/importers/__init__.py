"""Importers for published conflict datasets, and the registry that finds them.

An importer (`Importer`) knows one dataset: its columns, date forms and
codes, each in its own module (``acled``, ``ucdp``, ``ceasefires``). It reads a file
into an `ImportBatch` of records to append (actors and places first), the rows
it refused and why, and its counts; it never touches a store. The built-in importers
also read a file as an `ImportStream` (``stream(...)``, ``stream_acled``...), which
``Timeline.import_`` appends a slice at a time as the file is read, inside one
transaction (see ``_apply``), so an import's memory does not grow with the file.

Built in: ``acled``, ``acled-deletions``, ``ucdp`` (GED), ``eth-prio``,
``ucdp-peace-agreements`` and ``pax``. Others come from `register` or from the
entry-point group ``conflict_timeline.importers``. Shared row reading (CSV dialect,
BOM, encodings, workbooks) is in ``_rows``.
"""

from ._apply import CurrentVersions, ImportSummary, append_batch, run_import
from ._batch import Existing, ImportBatch, ImportStream, RefusedRow
from ._registry import (
    ENTRY_POINT_GROUP,
    Importer,
    get_importer,
    importer_names,
    recognising,
    register,
    unregister,
)
from ._rows import MAX_FIELD_CHARS, PathOrFile
from .acled import read_acled, read_acled_deletions, stream_acled, stream_acled_deletions
from .ucdp import read_ucdp, stream_ucdp

__all__ = [
    "ENTRY_POINT_GROUP",
    "MAX_FIELD_CHARS",
    "CurrentVersions",
    "Existing",
    "ImportBatch",
    "ImportStream",
    "ImportSummary",
    "Importer",
    "PathOrFile",
    "RefusedRow",
    "append_batch",
    "get_importer",
    "importer_names",
    "read_acled",
    "read_acled_deletions",
    "read_ucdp",
    "recognising",
    "register",
    "run_import",
    "stream_acled",
    "stream_acled_deletions",
    "stream_ucdp",
    "unregister",
]
