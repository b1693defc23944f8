"""The library's exceptions (public: ``import conflict_timeline.errors``).

One root, ``ConflictTimelineError``; every leaf also subclasses the builtin a caller
would naturally catch (``ValueError``, ``KeyError``, ...), the way attrs'
``FrozenError`` subclasses ``AttributeError``. ``__all__`` lists every exception the
library raises on purpose; each is also exported from ``conflict_timeline``.
"""

from __future__ import annotations


class ConflictTimelineError(Exception):
    """Root of every error this library raises on purpose."""


class InvalidTimeError(ConflictTimelineError, ValueError):
    """A time value could not be parsed or is not honest (naive, reversed bounds)."""


class InvalidRecordError(ConflictTimelineError, ValueError):
    """A record's field breaks a rule; the message names the record id and field."""


class SerializationError(ConflictTimelineError, ValueError):
    """A payload could not be read as a record; the message keeps the field path."""


class DuplicateRecordError(ConflictTimelineError, ValueError):
    """A different record was appended under an id that the store already holds."""


class ConcurrencyError(ConflictTimelineError, RuntimeError):
    """``expected_position`` did not match the store's head: someone else appended."""


class UnknownReferenceError(ConflictTimelineError, LookupError):
    """A record refers to an id the store does not hold, or to an id of the wrong kind.

    Also raised when a correction or retraction and the record it names do not fit
    (a replacement of another kind, a fix of a fix), whichever of the two is appended
    second; the message names both.
    """


class RecordNotFoundError(ConflictTimelineError, KeyError):
    """No record with that id (or position) is stored."""

    def __str__(self) -> str:
        # KeyError quotes its argument; our messages are sentences.
        return str(self.args[0]) if self.args else ""


class StoreError(ConflictTimelineError, OSError):
    """The storage file cannot be used: not a timeline, a newer schema, unwritable, locked."""


class DamagedStoreError(StoreError):
    """A stored record cannot be read back: the file was changed outside the library.

    The message names the file and the position; ``verify()`` reports the first
    position that does not match.
    """


class QueryError(ConflictTimelineError, ValueError):
    """A query's arguments are invalid (a naive datetime, an unknown certainty, ...)."""


class ImportDataError(ConflictTimelineError, ValueError):
    """A row of an imported file is refused; the message names file, line and field.

    Attributes:
        whole_file: True when the fault stops the file as a whole, though the message
            names the line it was found on (bytes that are not in the file's
            encoding): skipping the bad rows would import nothing more.
    """

    def __init__(self, message: str, *, whole_file: bool = False) -> None:
        super().__init__(message)
        self.whole_file = whole_file


class MissingExtraError(ConflictTimelineError, ImportError):
    """An optional dependency is needed; the message says what to install."""


class UnsourcedRecordWarning(UserWarning):
    """Records were appended with no knowledge time: no dated source, no ``reported``.

    Such a record is known only from the moment it was appended (its ``recorded_at``),
    so it is missing from every ``known_at`` query before then. Given once per
    append, naming the first such record and how many there are. Silence it with
    ``warnings.filterwarnings("ignore", category=UnsourcedRecordWarning)``, or refuse
    such records with ``Timeline(require_sources=True)``.
    """


class CheckpointWarning(UserWarning):
    """A view state saved in the store was not used, and the view was folded from its
    records instead: the state is damaged, or covers a history the store no longer
    holds (see [`Timeline.save_checkpoints`][conflict_timeline.Timeline.save_checkpoints]).

    Answers are unaffected; only the time a saved state would have saved is lost.
    Save the states again to replace it.

    Also warned when ``save_checkpoints()``, asked to save every registered view,
    skips one whose state cannot be saved (the message says why).
    """


__all__ = [
    "CheckpointWarning",
    "ConcurrencyError",
    "ConflictTimelineError",
    "DamagedStoreError",
    "DuplicateRecordError",
    "ImportDataError",
    "InvalidRecordError",
    "InvalidTimeError",
    "MissingExtraError",
    "QueryError",
    "RecordNotFoundError",
    "SerializationError",
    "StoreError",
    "UnknownReferenceError",
    "UnsourcedRecordWarning",
]
