"""What an import produces, and the bookkeeping every importer shares.

An importer is pure: it reads a file and returns an `ImportBatch` of records
ready to append, plus the rows it refused and why. It never touches a store; what the
store already holds it learns only through the ``existing`` callback.

The ``existing`` contract: ``existing(record_id)`` returns the *current* version of
the record stored under that id (for a corrected record, the latest correction's
replacement; for a retracted one, the [`Retraction`][conflict_timeline.Retraction]), or ``None``
when the store
does not hold it. The importers use it to

- skip ``ActorDefined`` / ``PlaceDefined`` records the store already has;
- turn a re-imported event that changed into a [`Correction`][conflict_timeline.Correction] (an
  unchanged one
  yields nothing; so does a row older than the stored version, or, in a dataset
  with version stamps, a row without one when the stored version has one);
- refuse a row whose event was retracted (an older export still listing an event
  the source has deleted must not bring it back), as outside the import's scope,
  unless the row's version is newer than the retraction's (``version``: ACLED's
  ``timestamp`` against its ``deleted_timestamp``), which brings it back as a
  correction, or unless the retraction is one an import made because a version of
  the file no longer gave the record (`ImportBatch.withdraw`: a file giving it again
  brings it back, as a correction);
- retract only events that exist and are not retracted yet;
- refuse a row whose record is held as another kind of record (a record keeps its
  kind), unless the importer says how its source recodes an event (`Recoder`, set as
  `BatchBuilder.recoder`: ACLED's): then the record held is retracted and the row's
  comes under the id of its kind (`recoded_id`).

An ``existing`` may also have ``fix(id)`` (the stored correction or retraction that
gives the current version: a new correction's id is chained to its id, so it is never
a repeat of an earlier correction to the same content) and ``holds(id)`` (is the
record itself stored: a row whose retraction was stored before it, a deletions list
imported before the export, is imported, and the retraction retracts it).
`CurrentVersions` has both; without them a correction's id is the replacement's hash
and a retracted row is refused.

Accounting: every data row ends up in exactly one of four places, so nothing is
dropped silently: it is accepted, yielding event records (events, corrections or a
retraction, in ``records``; one a row, except a peace agreement, which yields the
agreement and its provision), it is refused (``refused``, with the line, field and
reason), it needed nothing new (``skipped``: an unchanged re-imported row, a repeat of an
identical row, a deletion of an event already retracted), or it is skipped by design
(``out_of_scope``, counted by type: ACLED protests and riots, outside the library's
record kinds; a deletion of an event the timeline does not hold, "event not held"). A
row merged into another row's record (ACLED's monadic exports: two rows per event)
counts in ``merged``. Hence ``rows == batch.accepted + len(batch.refused) +
batch.skipped + batch.merged + sum(batch.out_of_scope.values())``.

Strict mode: a refusal for bad data (an unparsable number, a broken date, an
impossible figure) raises [`ImportDataError`][conflict_timeline.errors.ImportDataError] "file.csv,
line 12: latitude:
'abc' is not a number" at the first such row. A row outside the library's scope is
not an error: it is counted in ``out_of_scope`` in both modes.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Final, NamedTuple, Protocol, TypeVar, cast

import attrs

from .._records import (
    RECORD_KINDS,
    ActorDefined,
    AnyRecord,
    Coordinates,
    Correction,
    PlaceDefined,
    PlaceKind,
    Record,
    Retraction,
)
from .._serialization import canonical_bytes
from .._time import TimeExtent
from ..errors import ConflictTimelineError, ImportDataError, StoreError
from ..stores import Recorded
from ._rows import BadRow, PathOrFile, Table, open_table

__all__ = [
    "CACHE_SIZE",
    "BatchBuilder",
    "Existing",
    "ImportBatch",
    "ImportStream",
    "Recoder",
    "Refusal",
    "RefusedRow",
    "RowOutcome",
    "Skip",
    "StreamingImporter",
    "area",
    "as_published",
    "first_extent",
    "recoded_id",
    "run_rows",
    "slug",
    "stream_of",
    "stream_rows",
    "table_stream",
    "take_row",
]

CACHE_SIZE: Final = 20_000
"""Entries an importer keeps in each cache of values its rows share (sources, times,
figures); beyond, each is built again: what an import holds stays bounded."""

T = TypeVar("T")

Existing = Callable[[str], Record | None]
"""``existing(id)``: the current version of a stored record, or ``None``."""


@attrs.frozen
class RefusedRow:
    """A row an importer did not turn into records, and why.

    Attributes:
        line: The line of the file the row starts on (the header is line 1).
        field: The column (or ``"row"``) at fault.
        reason: What is wrong with it, quoting the value.
    """

    line: int
    field: str
    reason: str

    def message(self, file: str) -> str:
        """``"file.csv, line 12: latitude: 'abc' is not a number"``."""
        reason = self.reason if len(self.reason) <= 500 else f"{self.reason[:440]}... (cut)"
        return f"{file}, line {self.line}: {self.field}: {reason}"


def _is_definition(record: Record) -> bool:
    return isinstance(record, ActorDefined | PlaceDefined)


@attrs.frozen(kw_only=True)
class ImportBatch:
    """The records an import produced, ready to append in order, and what it refused.

    Attributes:
        records: Records in append order: every actor or place comes before the
            first record that refers to it. ``ActorDefined`` and ``PlaceDefined``
            appear once, and not at all when ``existing`` already knows them.
        refused: Rows not imported, each with its line, field and reason.
        rows: How many data rows the file had (blank lines not counted).
        accepted: Rows that added records (new records or corrections). A row usually
            adds one event; a peace-agreement row adds the agreement and its
            provision. ``None`` (an importer that does not count them) means one event
            a row.
        skipped: Rows that needed no new record (unchanged on re-import, a repeat
            of an identical row, a deletion of an event already retracted or older
            than its stored version).
        file: The file's name, for messages.
        out_of_scope: Rows skipped by design, by type ("Protests": 12; "event not
            held": a deletion of an event the timeline does not hold), documented per
            importer.
        merged: Rows folded into the record of another row of the same event.
        flags: Rows taken (imported, or found unchanged) with a documented
            adjustment, by kind ("figure inconsistent": 13), each also said in the
            record's notes. A row is counted once under each of its kinds, so a row
            with several kinds is counted under each: the kinds may add up to more
            than the rows flagged.
        flagged: Rows taken with at least one flag, each once (``None``: an
            importer that does not count them).
    """

    records: tuple[AnyRecord, ...]
    refused: tuple[RefusedRow, ...]
    rows: int
    accepted: int | None = None
    skipped: int = 0
    file: str = ""
    out_of_scope: dict[str, int] = attrs.field(factory=dict)
    merged: int = 0
    flags: dict[str, int] = attrs.field(factory=dict)
    flagged: int | None = None

    def events(self) -> tuple[AnyRecord, ...]:
        """The records that are not actor or place definitions."""
        return tuple(r for r in self.records if not _is_definition(r))

    def messages(self) -> list[str]:
        """Each refusal as ``"file.csv, line 12: field: reason"``."""
        return [r.message(self.file) for r in self.refused]


# The id of a retraction `withdraw` makes follows the record's id (an ACLED deletion's
# is ``#retraction``: a deletion by the source, which a file does not undo).
_WITHDRAWN: Final = "#withdrawn"
_GIVEN_AGAIN: Final = "given again after a version of the file left it out (brought back)"
_NOT_NEWER_THAN_DELETION: Final = "not newer than its deletion (the deletion kept)"
_OLDER: Final = "older than the stored version (the stored one kept)"
_UNSTAMPED: Final = "no timestamp (the stored version kept)"
"""The flag of a row without a version stamp (ACLED's ``timestamp``: a 2017-era file
has no such column, a cell may be empty) of an event whose current version has one:
a row without a version proves nothing newer, so the stamped version stays."""


def _kept(version: tuple[int, int] | None, given: tuple[int, int] | None) -> str | None:
    """Why a row of version ``given`` leaves the version held (``version``: stored, or
    the one a recoding retracted) as it is, as the flag saying so; None when it may
    replace it. A row without a version (no timestamp) proves nothing newer than a
    version with one; an older file imported after a newer one changes nothing."""
    if version is None:
        return None
    if given is None:
        return _UNSTAMPED
    return _OLDER if given[1] < version[0] else None


_RECODED: Final = "recoded out of scope (the record retracted)"
_RECODED_KIND: Final = (
    "recoded as another kind of record (the record of the kind before retracted)"
)


class _Retirement(NamedTuple):
    """How a row stands against the current version of a record it no longer gives
    (`BatchBuilder.retire`)."""

    kept: str | None  # the flag of a row that leaves the current version (older)
    unordered: bool  # in one file, no stamp orders the row after the one before
    line: int  # the line of that row (0: none in this file)
    given: tuple[int, int] | None  # the row's version stamp
    dated: bool  # the retraction is known from the row's stamp (else from its append)
    current: tuple[int, int] | None = None  # the current version's stamp


class Standing(NamedTuple):
    """How a row stands against the current version of a record (`BatchBuilder.standing`).

    Attributes:
        outdated: The row leaves that version as it is: older (`_kept`), or no newer
            than the retraction of a record held retracted.
        before: That version's stamp (a held retraction's); None when nothing is
            held, or it has no stamp.
        stored: The store's current version (None when this file gave it).
    """

    outdated: bool
    before: tuple[int, int] | None
    stored: Record | None


class Skip(Exception):  # noqa: N818 - control flow inside an importer, never escapes
    """Raised by a row converter for a row skipped by design (outside the library's
    scope, or a deletion of an event not held), counted under ``category``."""

    def __init__(self, category: str) -> None:
        super().__init__(category)
        self.category = category


class Refusal(Exception):  # noqa: N818 - control flow inside an importer, never escapes
    """Raised by a row converter; the builder records it or, in strict mode, raises."""

    def __init__(
        self, field: str, reason: str, *, in_scope: bool = True, line: int | None = None
    ) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.in_scope = in_scope
        # The line of the row holding the bad cell, when a group of rows is converted
        # together and it is not the group's first (None: the line converted).
        self.line = line


class _KindChanged(Refusal):
    """A newer version of an event reads as another kind of record than the one held
    (``held``, whose version stamp is ``before``): refused, unless the importer has a
    `Recoder` and the record is its row's main one (`RowOutcome.recodable`)."""

    def __init__(self, reason: str, held: str, before: tuple[int, int] | None) -> None:
        super().__init__("row", reason)
        self.held = held
        self.before = before


class _Outdated(Exception):  # noqa: N818 - control flow inside the builder
    """The row's main record is older than the event's current version, held under
    the id of another kind of record (`Recoder`): the whole row changes nothing (its
    flag, saying why, is counted already)."""

    def __init__(self, flag: str) -> None:
        super().__init__(flag)
        self.flag = flag


class Recoder(Protocol):
    """How an importer whose source recodes an event as another kind of record (ACLED
    overwrites an event under its id, an attack recoded as an arrest) gives the new
    coding (`BatchBuilder.recoder`): a record keeps its kind, so the record of the
    other kind is retracted and the new version comes under an id of its kind, the
    event id + ``#as-<kind>`` (`recoded_id`)."""

    kinds: tuple[str, ...]
    """The kinds of record the importer's rows give an event as its main record."""

    def recoded_as(
        self,
        event: AnyRecord,
        rid: str,
        before: tuple[int, int] | None,
        known: TimeExtent | None,
    ) -> AnyRecord:
        """``event`` under ``rid``: known when ``known`` says (the knowledge time of
        the current version of ``rid``, which a newer version keeps), else after
        ``before`` (the version stamp of the version it follows, None when unknown)."""
        ...

    def retraction(self, wid: str, rid: str, event: AnyRecord, dated: bool) -> Retraction:
        """The retraction ``wid`` of ``rid`` that the newer version ``event`` (of
        another kind) makes, known from its version stamp when ``dated``."""
        ...


def _retracting(
    rid: str, make: Callable[[str, bool], Retraction]
) -> Callable[[str, bool], Retraction]:
    """``make``, its retractions retracting ``rid`` instead."""

    def made(wid: str, dated: bool) -> Retraction:
        return attrs.evolve(make(wid, dated), retracts=rid)

    return made


def recoded_id(event_id: str, kind: str) -> str:
    """The id of event ``event_id``'s record of ``kind`` when the event was held as
    another kind first: ``acled:X`` + ``#as-statement``."""
    return f"{event_id}#as-{kind.lower()}"


_NON_WORD: Final = re.compile(r"[^\w]+|_+")


def slug(text: str) -> str:
    """A stable id part for a name: accents dropped, lower case, words joined by ``-``.

    Letters of any script are kept ("Алеппо" stays Cyrillic), so names that are not
    Latin do not collapse to nothing. A name with no letters or digits at all gets
    a short hash instead. The result is in NFC, as ids must be: decomposing drops
    accents, and a script whose letters decompose into letters (Hangul syllables
    into jamo) is composed again ("서울" stays "서울").
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    out = unicodedata.normalize("NFC", _NON_WORD.sub("-", plain.casefold()).strip("-"))
    if out:
        return out
    return "x" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def _short_hash(record: Record) -> str:
    return hashlib.sha256(canonical_bytes(record)).hexdigest()[:16]


def _chained_hash(supersedes: str | None, replacement: Record) -> str:
    """The hash in a correction's id: of the replacement alone for the first
    correction of a record (as ids were always made), of the id of the correction or
    retraction it supersedes and the replacement for a later one. Each correction's
    id is then unique to what it supersedes: a record corrected to A, to B, back to A
    and to B again gets four corrections, none a repeat the store would drop."""
    if supersedes is None:
        return _short_hash(replacement)
    digest = hashlib.sha256(supersedes.encode("utf-8") + b"\n" + canonical_bytes(replacement))
    return digest.hexdigest()[:16]


_DIGEST_BITS: Final = 64
_DIGEST_MASK: Final = (1 << _DIGEST_BITS) - 1

# What the builder remembers of each event id a file gave (``BatchBuilder._events``),
# of the newest row of the id the file gave so far, packed in one int. From its
# lowest bits: the state (2 bits), whether a memo follows (1), the row's digest (64),
# then its line. With a memo (a dataset with version stamps: ACLED), the line takes 40
# bits and the memo (`_Memo`) follows: whether the knowledge time is given (1; else it
# is known from the append), whether the row had no version stamp (1: the stamp's
# fields below are then nought), the kind's index (5), the first instants of that
# knowledge time and of the version stamp (59 bits each, epoch microseconds shifted
# to be positive), the stamp's span (59), and on top the hash of the correction the
# batch appended last for the id, if any, above the knowledge time's last instant less
# the stamp's (zigzag-coded). The top is nought for most rows of a first import (no
# correction, a stamp that is one instant, a knowledge time that ends with it) and
# costs nothing then: about 56 bytes an id with a version, 36 without (ints are stored
# 30 bits to a digit). The states:
_NOTHING: Final = 0  # the batch appended nothing: the store's version is current
_ADDED: Final = 1  # the batch appended a version that nothing orders (no version stamp)
_CURRENT: Final = 2  # the batch appended the current version: the memo says which
_RETRACTED: Final = 3  # the batch appended the event, and a stored retraction retracts it
_STATE_BITS: Final = 2
_STATE_MASK: Final = (1 << _STATE_BITS) - 1
_LINE_BITS: Final = 40  # a file of more lines than this (2**40) cannot be read anyway
_TIME_BITS: Final = 59
_TIME_SHIFT: Final = 1 << 56  # the years 1 to 9999 span -6.3e16 to 2.6e17 microseconds
_TIME_MASK: Final = (1 << _TIME_BITS) - 1
_GAP_BITS: Final = 60  # a zigzag-coded difference of two such instants
_KIND_BITS: Final = 5
_KIND_CODES: Final = {cls.KIND: n for n, cls in enumerate(RECORD_KINDS)}
assert len(_KIND_CODES) < 1 << _KIND_BITS
_FIX_HASH: Final = re.compile(r"#correction-([0-9a-f]{16})\Z")


class _Memo(NamedTuple):
    """The newest version of an event a file gave: its version stamp (None: the row
    had none, in a dataset with stamps); and, when the batch appended it
    (``_CURRENT``, or ``_ADDED`` for a row without a stamp), its kind, its knowledge
    time (None: known from the append) and the hash in the id of the correction that
    appended it (None: the record itself), all times as epoch microseconds."""

    version: tuple[int, int] | None
    kind: int = 0
    known: tuple[int, int] | None = None
    fix: str | None = None


def _pack(line: int, digest: int, state: int, memo: _Memo | None = None) -> int:
    """One id's entry of ``BatchBuilder._events`` (see above)."""
    if memo is None:
        return ((line << _DIGEST_BITS | digest) << 1) << _STATE_BITS | state
    (version_lo, version_last), known = memo.version or (0, 0), memo.known
    known_lo, known_last = known if known is not None else (0, version_last)
    gap = known_last - version_last
    top = 0 if memo.fix is None else int(memo.fix, 16) + 1
    value = top << _GAP_BITS | ((gap << 1) ^ -(gap < 0))  # zigzag: 0, -1, 1, -2...
    for field in (version_last - version_lo, version_lo + _TIME_SHIFT, known_lo + _TIME_SHIFT):
        value = value << _TIME_BITS | field
    value = (value << _KIND_BITS | memo.kind) << 1 | (memo.version is None)
    value = value << 1 | (known is not None)
    value = (value << _LINE_BITS | line) << _DIGEST_BITS | digest
    return (value << 1 | 1) << _STATE_BITS | state


def _unpack(value: int) -> tuple[int, int, int, _Memo | None]:
    """``(line, digest, state, memo)`` of an entry made by `_pack`."""
    state = value & ((1 << _STATE_BITS) - 1)
    value >>= _STATE_BITS
    has_memo = value & 1
    value >>= 1
    digest = value & _DIGEST_MASK
    value >>= _DIGEST_BITS
    if not has_memo:
        return value, digest, state, None
    line = value & ((1 << _LINE_BITS) - 1)
    value >>= _LINE_BITS
    given = value & 1
    value >>= 1
    unstamped = value & 1
    value >>= 1
    kind = value & ((1 << _KIND_BITS) - 1)
    value >>= _KIND_BITS
    known_lo = (value & _TIME_MASK) - _TIME_SHIFT
    value >>= _TIME_BITS
    version_lo = (value & _TIME_MASK) - _TIME_SHIFT
    value >>= _TIME_BITS
    version_last = version_lo + (value & _TIME_MASK)
    value >>= _TIME_BITS
    zigzag = value & ((1 << _GAP_BITS) - 1)
    top = value >> _GAP_BITS
    known_last = version_last + ((zigzag >> 1) ^ -(zigzag & 1))
    known = (known_lo, known_last) if given else None
    fix = None if not top else f"{top - 1:016x}"
    version = None if unstamped else (version_lo, version_last)
    return line, digest, state, _Memo(version, kind, known, fix)


def _digest(payload: bytes) -> int:
    """64 bits of BLAKE2b over a record's canonical bytes (the bytes the store
    compares for idempotency): two versions of one id that differ get different
    digests but for a chance of 2**-64."""
    return int.from_bytes(hashlib.blake2b(payload, digest_size=8).digest())


class RowOutcome:
    """The definitions and the events one row produced, before it is accepted (one
    event for most rows; an agreement and its provision for a peace agreement)."""

    __slots__ = ("defs", "events", "recodable")

    def __init__(self) -> None:
        self.defs: dict[str, AnyRecord] = {}
        # In append order: an agreement comes before the provisions that name it.
        self.events: list[AnyRecord] = []
        # The id of the row's main record when a newer version of the event may read
        # as another kind of record (`BatchBuilder.recoder`); None: it may not.
        self.recodable: str | None = None


class BatchBuilder:
    """Collects an importer's records, refusals and counts; knows what exists."""

    def __init__(
        self,
        *,
        file: str,
        existing: Existing | None,
        strict: bool,
        reimport_reason: str,
        version: Callable[[Record], tuple[int, int] | None] | None = None,
        reread_reason: str | None = None,
    ) -> None:
        self.file = file
        # The version stamp a dataset gives each row (ACLED's timestamp), if any, as
        # its first and last instant: a row wholly older than the stored version of
        # its record is not a change.
        self._version = version
        self._existing = existing
        # An existing that can tell a row stored as the very same bytes (CurrentVersions)
        self._unchanged = getattr(existing, "unchanged", None)
        # An existing that can tell which correction or retraction of a record is the
        # current one, as stored (CurrentVersions): a new correction's id is chained to
        # it, and the new one is known after it. And one that can tell whether the
        # record itself is stored (a retraction may be stored before its record).
        self._fix: Callable[[str], Recorded | None] | None = getattr(existing, "fix", None)
        self._holds: Callable[[str], bool] | None = getattr(existing, "holds", None)
        # And one that gives the record as first stored (its kind, when a later version
        # brings a retracted record back).
        self._held: Callable[[str], Record | None] | None = getattr(existing, "held", None)
        # And one that lists the stored ids of a kind (CurrentVersions.stored_ids).
        self._ids_of: Callable[[str], list[str]] | None = getattr(existing, "stored_ids", None)
        self.strict = strict
        self._reason = reimport_reason
        # The reason of a correction made by a row whose version stamp is the stored
        # version's own instant: the source did not change the row, so it reads
        # differently now (a new mapping, an edited file, or a stored version corrected
        # otherwise). None: ``reimport_reason``.
        self._reread_reason = reread_reason
        self._records: list[AnyRecord] = []
        self._refused: list[RefusedRow] = []
        self._known: set[str] = set()  # ids emitted in this batch or held by the store
        self._absent: set[str] = set()  # ids the store was asked about and lacks
        # Each event id this file produced -> the line and a digest of the canonical
        # bytes of the row that gave its current version, what the batch did with it,
        # and (for a dataset with version stamps) that version, packed in one int
        # (`_pack`): enough to tell a repeated row from a changed one, and a newer
        # version of the event from an older one, without holding the record, in
        # about 150 bytes an event (a streamed import holds no more than a slice of
        # records).
        self._events: dict[str, int] = {}
        # Ids a row of this file retracted because a newer version of the event is
        # out of scope (`retire`) -> that version's stamp and the row's line; and the
        # one the row being converted asks for, kept once the row is accepted.
        self._withdrawn: dict[str, tuple[tuple[int, int] | None, int]] = {}
        self._retiring: dict[str, tuple[int, int] | None] = {}
        # The stored ids of a kind a row may have given beside its main record
        # (`retire_companion`), read once.
        self._companions: dict[str, set[str]] = {}
        self._row_flags: set[str] = set()  # the flags of the row being converted
        self._flagged_before = 0  # `flagged` before the row being converted
        # What undoes the importer's own bookkeeping for the row being converted when
        # the row is not taken (`on_refused`).
        self._undo: list[Callable[[], None]] = []
        # How a newer version of an event that reads as another kind of record is
        # taken (set by the importer; None: such a row is refused).
        self.recoder: Recoder | None = None
        # The knowledge time of each record of another kind this file gave (a few)
        self._recoded_known: dict[str, TimeExtent | None] = {}
        # Records this file gave that a row of it retracted beside them (a territorial
        # battle's control change under a deletion stored before the event), with
        # that retraction: their current version, as the store's would be.
        self._batch_retracted: dict[str, Retraction] = {}
        # The places and actors this import defined (one record each: a file names a
        # few thousand), so a later row can be checked against where a place is and
        # how a name is spelled.
        self._defined: dict[str, PlaceDefined | ActorDefined] = {}
        self._where: dict[str, Coordinates | None] = {}  # place id -> its coordinates
        # id -> the name its record has, for a place or actor defined before the row
        # asking (by an accepted row of this import, or in the store); None: neither
        self._names: dict[str, str | None] = {}
        self.rows = 0
        self.accepted = 0
        self.skipped = 0
        self.merged = 0
        self.out_of_scope: dict[str, int] = {}
        self.flags: dict[str, int] = {}
        self.flagged = 0  # rows taken with at least one flag

    def skip(self, category: str) -> None:
        """Count a row skipped by design under ``category``."""
        self.out_of_scope[category] = self.out_of_scope.get(category, 0) + 1

    def flag(self, kind: str) -> None:
        """Count a row imported with a documented adjustment of ``kind`` (once a row,
        however many of its records the adjustment touches)."""
        if kind in self._row_flags:
            return
        if not self._row_flags:  # the row's first flag: one more row flagged
            self.flagged += 1
        self._row_flags.add(kind)
        self.flags[kind] = self.flags.get(kind, 0) + 1

    def begin_row(self) -> None:
        """Start converting a row: no flag counted for it, no retraction asked."""
        self._row_flags = set()
        self._flagged_before = self.flagged
        self._retiring = {}
        self._undo = []

    def on_refused(self, undo: Callable[[], None]) -> None:
        """Have ``undo`` called if the row being converted is not taken (refused, or
        changing nothing because it is outdated): an importer's memory of what the
        row gave (ACLED's control changes' knowledge times) is then as before it."""
        self._undo.append(undo)

    def not_taken(self, flags: dict[str, int]) -> None:
        """The row being converted is not taken (refused, skipped, or outdated): the
        flags as ``flags`` (before it), and what the importer noted of it undone
        (`on_refused`)."""
        self.flags = flags
        self.flagged = self._flagged_before
        self._row_flags = set()
        for undo in reversed(self._undo):
            undo()
        self._undo = []

    # ------------------------------------------------------------ definitions

    def has(self, rid: str) -> bool:
        """Is ``rid`` defined, in this batch or in the store?"""
        if rid in self._known:
            return True
        if rid in self._absent or self._existing is None:
            return False
        if self._existing(rid) is not None:
            self._known.add(rid)
            return True
        self._absent.add(rid)
        return False

    def define(self, outcome: RowOutcome, record: AnyRecord) -> None:
        """Add a definition to the row unless it already exists."""
        rid = record.id
        if rid not in outcome.defs and not self.has(rid):
            outcome.defs[rid] = record

    def stored(self, rid: str) -> Record | None:
        """The store's current version of ``rid`` (see the ``existing`` contract), or
        None; for a record this file gave and a row of it retracted, that retraction,
        as the store will hold it."""
        found = self._batch_retracted.get(rid)
        if found is not None:
            return found
        return self._existing(rid) if self._existing is not None else None

    def stored_ids(self, kind: str) -> list[str]:
        """The ids of the store's records of ``kind``, when ``existing`` can list them
        (`CurrentVersions` can), else none."""
        return self._ids_of(kind) if self._ids_of is not None else []

    def name_of(self, outcome: RowOutcome, rid: str) -> str | None:
        """The name place or actor ``rid`` has: as the row in ``outcome`` defines it,
        as an accepted row of this import did, or as stored before it; None when it
        is defined nowhere. Importers compare a row's spelling of a name with it."""
        defined = outcome.defs.get(rid)
        if isinstance(defined, ActorDefined | PlaceDefined):
            return defined.name
        if rid not in self._names:
            found = self.definition(rid) or self.stored(rid)
            known = found.name if isinstance(found, ActorDefined | PlaceDefined) else None
            self._names[rid] = known
        return self._names[rid]

    def spelled(self, outcome: RowOutcome, column: str, rid: str, name: str) -> str:
        """``<column> as published: <name> (<rid> is named <known>)`` when the actor or
        place ``rid`` (one id for names differing in case, spacing or punctuation: ids
        are slugs) is named otherwise than the row spells it (`name_of`); "" when the
        row names it as its record does, or it is defined nowhere."""
        known = self.name_of(outcome, rid)
        if known is None or known == name:
            return ""
        return as_published(column, name, rid, known)

    def definition(self, rid: str) -> PlaceDefined | ActorDefined | None:
        """The place or actor this import defined under ``rid`` (from a row it
        accepted)."""
        return self._defined.get(rid)

    def moved(
        self,
        outcome: RowOutcome,
        pid: str,
        here: Coordinates | None,
        published: Callable[[], str],
    ) -> str:
        """The note for a row that puts place ``pid`` at ``here`` (its coordinates as
        ``published()`` words them, asked only then) when the place is defined
        elsewhere (by an earlier row of this import, or in the store: place ids come
        from names), else "". The place keeps its first coordinates; the caller flags
        the row ("coordinates differ from the place's")."""
        if here is None or pid in outcome.defs:  # no point, or this row defines it
            return ""
        if pid in self._where:
            first = self._where[pid]
        else:
            defined = self.definition(pid) or self.stored(pid)
            first = defined.coordinates if isinstance(defined, PlaceDefined) else here
            self._where[pid] = first
        if first == here:
            return ""
        where = "without coordinates" if first is None else f"at {first.lat}, {first.lon}"
        return f"coordinates as published: {published()} (the place {pid} is defined {where})"

    def withdraw(self, outcome: RowOutcome, rid: str, reason: str, like: Record) -> None:
        """Retract ``rid`` with the row when the store holds it (and has not retracted
        it): a record an earlier version of the file gave that this row no longer
        gives. The retraction has the row's undated sources, so it is known from when
        it is appended, and ``like``'s time of occurrence; its id is ``rid`` +
        ``#withdrawn`` (``-2``, ``-3``... when the record was withdrawn and given
        again before)."""
        current = self.stored(rid)
        if current is None or isinstance(current, Retraction):
            return
        # A record given again after an earlier withdrawal (`_after_retraction`) may
        # be withdrawn again: each withdrawal has an id of its own.
        wid, n = f"{rid}{_WITHDRAWN}", 1
        while self.stored(wid) is not None:
            n += 1
            wid = f"{rid}{_WITHDRAWN}-{n}"
        outcome.events.append(
            Retraction(
                id=wid,
                occurred=like.occurred,
                sources=tuple(s for s in like.sources if s.published is None),
                retracts=rid,
                reason=reason,
            )
        )

    def retire(
        self,
        outcome: RowOutcome,
        rid: str,
        category: str,
        version: Callable[[], tuple[int, int] | None],
        make: Callable[[str, bool], Retraction],
    ) -> None:
        """A row of event ``rid`` that is out of scope (skipped by design, counted under
        ``category``): a version of an event the timeline or this file may hold in
        scope (ACLED recodes a battle as a protest under the same id). Judged by its
        version stamp (``version()``) against the current version of ``rid``, as a
        row of the record's own kind would be:

        - nothing held (or held retracted): skipped by design (`Skip`);
        - newer (or, between files, of the same stamp; or neither has a stamp): the
          record is retracted with the row, by ``make(id, dated)``: its id ``rid`` +
          ``#withdrawn`` (``-2``... when taken), dated (known from its stamp) when
          that is later than the current version's correction, else known from the
          append; flagged "recoded out of scope (the record retracted)";
        - older, or without a stamp against a version with one: nothing, flagged as
          such rows are (the row counts as unchanged);
        - in one file, a stamp that does not order it against the row of the same id
          before it, or neither with a stamp: refused, as two such rows of one kind.

        An event recoded as another kind of record before (`Recoder`), ``rid``
        retracted, is judged so by its current record of another kind (`recoded_id`),
        which ``make``'s retraction then retracts.
        """
        judged = self._retirement(rid, version)
        if judged is None and self.recoder is not None and self._retracted(rid) is not None:
            for alias in (recoded_id(rid, kind) for kind in self.recoder.kinds):
                judged = self._retirement(alias, version)
                if judged is not None:
                    rid, make = alias, _retracting(alias, make)
                    break
        if judged is None:
            raise Skip(category)
        if judged.kept is not None:
            self.flag(judged.kept)
            return
        if judged.unordered:
            raise Refusal(
                "row",
                f"id {rid!r} appears again, recoded out of scope as {category} (first "
                f"at line {judged.line}), and is not a later version of it (by its version "
                "stamp, ACLED's timestamp); keep one version of the row",
            )
        self._retract(outcome, rid, judged, make)
        self.flag(_RECODED)

    def retire_companion(
        self,
        outcome: RowOutcome,
        rid: str,
        kind: str,
        version: Callable[[], tuple[int, int] | None],
        make: Callable[[str, bool], Retraction],
    ) -> bool:
        """Retract ``rid``, a record of ``kind`` that an earlier version of the row gave
        beside its main record (ACLED's territorial battle: its control change) and
        this version no longer gives, when the row is a newer version (judged as
        `retire` judges one). Nothing when ``rid`` is neither held nor given by this
        file (looked up among the stored ids of ``kind``, not asked a row at a time),
        is retracted already, or the row is not newer: the row's main record is
        judged, and flagged or refused, as any. True when retracted."""
        if not self.may_hold(rid, kind):
            return False
        judged = self._retirement(rid, version)
        if judged is None or judged.kept is not None or judged.unordered:
            return False
        self._retract(outcome, rid, judged, make)
        return True

    def standing(self, rid: str, given: tuple[int, int] | None) -> Standing:
        """How a row of version ``given`` stands against ``rid``'s current version
        (the one this file gave, else the store's), read once for a record a row
        gives beside its main one (`Standing`)."""
        if rid in self._withdrawn:  # a newer row of this file recoded it (out of scope,
            # or as another kind): an older row is outdated; a newer one brings it back
            # when of its kind (`_after_recoded`), or of another kind is taken under
            # the id of that kind (`_judge_recoded`).
            version = self._withdrawn[rid][0]
            outdated = _kept(version, given) is not None or self._recoded_newer(rid, given)
            return Standing(outdated, version, None)
        in_file, version = self._file_version(rid)
        if in_file:
            return Standing(_kept(version, given) is not None, version, None)
        stored = self.stored(rid)
        if stored is None or self._version is None:
            return Standing(False, None, stored)
        version = self._version(stored)
        if isinstance(stored, Retraction):
            # Held and retracted (ACLED's deletion, or a newer version recoded out of
            # scope: `retire`): a row that does not bring it back, being no newer than
            # the retraction's version (`_after_retraction`), is outdated. One stored
            # before its record (a deletion kept for an event not imported yet) is
            # the importer's to weigh.
            if version is None or not self.holds(rid):
                return Standing(self._recoded_newer(rid, given), None, stored)
            outdated = given is None or given[0] <= version[1]
            return Standing(outdated or self._recoded_newer(rid, given), version, stored)
        return Standing(_kept(version, given) is not None, version, stored)

    def _recoded_newer(self, rid: str, given: tuple[int, int] | None) -> bool:
        """Is a record of another kind of event ``rid`` (`recoded_id`: the event,
        retracted under ``rid``, was recoded) a version newer than ``given``: current
        and not older than it, or retracted no earlier than it, or stamped at all when
        the row is not? Then a row of version ``given`` is outdated, whatever it
        gives."""
        if self.recoder is None or self._version is None:
            return False
        for kind in self.recoder.kinds:
            alias = recoded_id(rid, kind)
            if alias in self._withdrawn:
                version, retracted = self._withdrawn[alias][0], True
            else:
                in_file, version = self._file_version(alias)
                retracted = False
                if not in_file:
                    held = self.stored(alias)
                    if held is None:
                        continue
                    version, retracted = self._version(held), isinstance(held, Retraction)
            if version is None:
                continue
            if given is None:  # a row without a stamp proves nothing newer
                return True
            if given[0] <= version[1] if retracted else given[1] < version[0]:
                return True
        return False

    def holds(self, rid: str) -> bool:
        """Is the record ``rid`` itself given by this file or stored (not only a
        retraction of it stored before it)? True when ``existing`` cannot tell."""
        if rid in self._events:
            return True
        return self._holds(rid) if self._holds is not None else True

    def _file_version(self, rid: str) -> tuple[bool, tuple[int, int] | None]:
        """Did this file give ``rid`` a current version (appended, not retracted), and
        that version's stamp."""
        seen = self._events.get(rid)
        if seen is not None:
            _, _, state, memo = _unpack(seen)
            if state in {_CURRENT, _ADDED} and memo is not None:
                return True, memo.version
        return False, None

    def may_hold(self, rid: str, kind: str) -> bool:
        """Did this file give ``rid``, or does the store hold it (among its stored ids
        of ``kind``, read once, when ``existing`` can list them; else asked)? A row
        asks it of a record beside its main one, so cheaply (`retire_companion`)."""
        if rid in self._events:
            return True
        held = self._companions.get(kind)
        if held is None and self._ids_of is not None:
            held = self._companions[kind] = set(self._ids_of(kind))
        return rid in held if held is not None else self.stored(rid) is not None

    def _retirement(
        self, rid: str, version: Callable[[], tuple[int, int] | None]
    ) -> _Retirement | None:
        """How a newer version's row that no longer gives ``rid`` stands against its
        current version (`retire`); None when nothing is held (or it is retracted)."""
        seen = self._events.get(rid)
        line, state, memo = 0, _NOTHING, None
        if seen is not None:
            line, _, state, memo = _unpack(seen)
        if rid in self._withdrawn or state == _RETRACTED:
            return None
        in_file = state in {_CURRENT, _ADDED} and memo is not None
        competing: tuple[int, int] | None = None  # the current correction's known time
        appended_known = False  # that correction is known from its append (this import)
        if in_file:
            assert memo is not None
            current = memo.version
            if memo.fix is not None:
                appended_known = memo.known is None
                competing = memo.known
        else:
            stored = self.stored(rid)
            if stored is None or isinstance(stored, Retraction):
                return None
            current = self._version(stored) if self._version is not None else None
            fix = self._fix(rid) if self._fix is not None else None
            if fix is not None:
                competing = fix.reported.sort_key()
        given = version()
        kept = _kept(current, given)
        unordered = in_file and (given is None or (current is not None and given[0] <= current[1]))
        dated = given is not None and not appended_known
        if dated and competing is not None and given is not None:
            dated = (given[0], given[1]) > competing
        return _Retirement(kept, unordered, line, given, dated, current)

    def _retract(
        self,
        outcome: RowOutcome,
        rid: str,
        judged: _Retirement,
        make: Callable[[str, bool], Retraction],
    ) -> None:
        """Add ``make``'s retraction of ``rid`` to the row, under the first free id of
        ``rid`` + ``#withdrawn`` (``-2``, ``-3``...), remembered once the row is
        accepted (a later row of the file giving ``rid`` again is judged against it)."""
        outcome.events.append(make(self._withdrawn_id(rid), judged.dated))
        self._retiring[rid] = judged.given

    def _withdrawn_id(self, rid: str) -> str:
        """The first free id of ``rid`` + ``#withdrawn`` (``-2``, ``-3``...): neither
        stored nor given by this file."""
        wid, n = f"{rid}{_WITHDRAWN}", 1
        while self.stored(wid) is not None or wid in self._events:
            n += 1
            wid = f"{rid}{_WITHDRAWN}-{n}"
        return wid

    # ------------------------------------------------------------------ rows

    def refuse(self, line: int, refusal: Refusal) -> None:
        """Record a refused row; in strict mode raise for data errors."""
        row = RefusedRow(line, refusal.field, refusal.reason)
        if self.strict and refusal.in_scope:
            raise ImportDataError(row.message(self.file))
        self._refused.append(row)

    def refuse_error(self, line: int, field: str, exc: ConflictTimelineError) -> None:
        """Refuse a row whose record the library itself rejected."""
        self.refuse(line, Refusal(field, str(exc)))

    def accept(
        self, line: int, outcome: RowOutcome, *, flags: dict[str, int] | None = None
    ) -> None:
        """Add a row's records: its new definitions, then its events or corrections.

        A row is taken whole or not at all: when any of its events is refused, none
        of its records is kept, and the flags are as ``flags`` (the flags before the
        row was converted; by default, as they are now).
        """
        staged: list[tuple[str, int, tuple[AnyRecord, ...]]] = []
        flags = dict(self.flags) if flags is None else flags
        try:
            for event in outcome.events:
                if event.id == outcome.recodable and self.recoder is not None:
                    staged.extend(self._judge_main(event, line, self.recoder))
                else:
                    staged.append(self._judge(event, line))
        except Refusal as refusal:
            self.not_taken(flags)  # a refused row is not counted in the flags
            self.refuse(line, refusal)
            return
        except _Outdated as outdated:
            # Older than the event's current version: nothing of the row is taken
            # (the records it gives beside its main one neither), flagged so alone.
            self.not_taken(flags)
            self.flag(outdated.flag)
            self.skipped += 1
            return
        fresh = [final for _, _, finals in staged for final in finals]
        repeats = [rid for rid, entry, _ in staged if entry < 0]
        if repeats and fresh:  # part of the row repeats another row, the rest differs
            first_line = _unpack(self._events[repeats[0]])[0]
            reason = (
                f"id {repeats[0]!r} repeats line {first_line}, but the row's other records "
                f"differ from that row's; keep one version of the row"
            )
            self.not_taken(flags)
            self.refuse(line, Refusal("row", reason))
            return
        for rid, entry, _ in staged:
            if entry >= 0:
                self._events[rid] = entry
                if rid in self._batch_retracted and entry & _STATE_MASK != _RETRACTED:
                    del self._batch_retracted[rid]  # brought back by this row
                    self._withdrawn.pop(rid, None)
        if not fresh:  # the row needs nothing new
            self.skipped += 1
            return
        self.accepted += 1
        for rid_def, record in outcome.defs.items():
            self._known.add(rid_def)
            self._absent.discard(rid_def)
            self._records.append(record)
            if isinstance(record, PlaceDefined | ActorDefined):
                self._defined[rid_def] = record
        self._records.extend(fresh)
        for record in fresh:
            if isinstance(record, Retraction):
                self._retracted_by_row(record, line)
        self._retiring = {}

    def _retracted_by_row(self, record: Retraction, line: int) -> None:
        """Note the retraction ``record`` an accepted row (at ``line``) gave: of a
        record the row no longer gives (`retire`...: `_withdrawn`), or of a record
        this file gave, beside it; either is retracted for the rows after, as in files
        of their own, and a record of another kind is known anew if it comes back."""
        rid = record.retracts
        self._recoded_known.pop(rid, None)
        if rid in self._retiring:
            self._withdrawn[rid] = (self._retiring[rid], line)
            self._batch_retracted[rid] = record
            return
        seen = self._events.get(rid)
        if seen is not None:
            given_line, digest, state, memo = _unpack(seen)
            if state in {_CURRENT, _ADDED}:
                self._events[rid] = _pack(given_line, digest, _RETRACTED, memo)
                self._batch_retracted[rid] = record

    def _judge(self, event: AnyRecord, line: int) -> tuple[str, int, tuple[AnyRecord, ...]]:
        """What one event of a row (at ``line``) adds: ``(id, entry to remember or
        -1, records)`` (no records when the row changes nothing); raises `Refusal`
        when the row cannot be taken.

        An id the file gave before is judged as if the row came in a file of its own
        after the rows before it, when the version stamps order the row and the
        newest of those rows (see docs/howto/import.md, "Versions and deletions").
        """
        rid = event.id
        seen = self._events.get(rid)
        payload = canonical_bytes(event)  # serialized once, for both checks below
        digest = _digest(payload)
        given = self._version(event) if self._version is not None else None
        if rid in self._withdrawn:  # a row of this file recoded it out of scope
            return self._judge_withdrawn(event, line, digest, given)
        if seen is None:
            fresh, stored = self._judge_stored(event, payload)
            entry = self._entry(line, digest, event, given, fresh, after=stored, state=_NOTHING)
            return rid, entry, fresh
        first_line, first, state, memo = _unpack(seen)
        same = first == digest
        if same and (self._version is None or state in {_ADDED, _CURRENT}):
            return rid, -1, ()  # a repeat of the row: as stored, it changes nothing
        earlier = None if memo is None else memo.version  # the newest earlier row's stamp
        if given is None and earlier is None:  # neither row has a version stamp
            if not same:
                raise Refusal(
                    "row",
                    f"id {rid!r} appears again with different content (first at line "
                    f"{first_line}); keep one version of the row",
                )
            newer = False
        elif given is None:
            # No stamp here, one before: this row proves nothing newer, the stamped
            # version stands (judged against the store's when the batch appended none).
            if state == _CURRENT:
                self.flag(_UNSTAMPED)
                return rid, -1, ()
            newer = False
        elif earlier is None:  # a stamp here, none before: this version stands
            newer = True
        elif same or given[1] < earlier[0]:
            newer = False
        elif given[0] > earlier[1]:
            newer = True
        else:
            raise Refusal(
                "row",
                f"id {rid!r} appears again with different content (first at line "
                f"{first_line}) and is not a later version of it (by its version stamp, "
                "ACLED's timestamp); keep one version of the row",
            )
        records: tuple[AnyRecord, ...]
        after: Retraction | None = None
        if state in {_CURRENT, _ADDED}:
            assert memo is not None
            if not newer:  # older than the version the batch appended
                self.flag(_OLDER)
                return rid, -1, ()
            records = (self._correct_again(event, first_line, memo),)
        elif state == _RETRACTED:
            retraction = self.stored(rid)
            assert isinstance(retraction, Retraction)
            kind = None if memo is None else RECORD_KINDS[memo.kind].KIND
            records = self._after_retraction(retraction, event, held=True, kind=kind)
            after = retraction
        else:  # the batch appended nothing: the store's version is current
            records, after = self._judge_stored(event, payload)
        if not newer and not records:
            return rid, -1, records  # the newest row of the id stays the one remembered
        entry = self._entry(
            line, digest, event, given, records, after=after, state=state, prior=memo
        )
        return rid, entry, records

    # --------------------------------------------- an event recoded as another kind

    def _judge_main(
        self, event: AnyRecord, line: int, recoder: Recoder
    ) -> list[tuple[str, int, tuple[AnyRecord, ...]]]:
        """`_judge` for a row's main record, whose source may recode the event as
        another kind of record (``recoder``): the event's record of each kind is
        ``event.id`` for the kind it was first held as, `recoded_id` for another, and
        at most one of them is current. A row of the first kind is judged as any
        (`_judge`); when the event is retracted (a version of another kind may then be
        current), the version of another kind a newer row brings the event back from
        is retracted. A row of another kind is `_judge_recoded`."""
        home, kind = event.id, event.KIND
        retiring: list[tuple[str, _Retirement]] = []
        retracted = self._retracted(home)
        if retracted is not None:
            held, before = retracted
            if held is not None and held != kind:
                return self._judge_recoded(event, line, recoder, held, before)
            given = self._version(event) if self._version is not None else None
            others = [recoded_id(home, k) for k in recoder.kinds if k != kind]
            retiring = self._weigh(others, given)
        try:
            judged = self._judge(event, line)
        except _KindChanged as changed:
            return self._judge_recoded(event, line, recoder, changed.held, changed.before)
        if not retiring or not judged[2]:
            return [judged]
        self.flag(_RECODED_KIND)
        return [*self._retired(retiring, event, line, recoder), judged]

    def _judge_recoded(
        self,
        event: AnyRecord,
        line: int,
        recoder: Recoder,
        held: str,
        before: tuple[int, int] | None,
    ) -> list[tuple[str, int, tuple[AnyRecord, ...]]]:
        """A row giving event ``event.id`` (first held as ``held``, its version before
        this row ``before``) as another kind of record: unless it is older than the
        event's current version, that version is retracted (`Recoder.retraction`) and
        the row's record comes under `recoded_id` (`Recoder.recoded_as`: known after the
        version it follows), judged as any row of that id (new, a correction of it, or
        bringing it back); flagged "recoded as another kind of record"."""
        home, kind = event.id, event.KIND
        given = self._version(event) if self._version is not None else None
        if self._retracted(home) is not None:
            self._after_retracted(home, given, before)
        others = [home, *(recoded_id(home, k) for k in recoder.kinds if k not in {kind, held})]
        retiring = self._weigh(others, given)
        target, known = recoded_id(home, kind), None
        stamps = [judged.current for _, judged in retiring if judged.current is not None]
        if stamps:
            before = max(stamps, key=lambda stamp: stamp[1])
        elif not retiring:  # the record of this kind is current: it keeps its knowledge
            known = self._recoded_known.get(target)
            if known is None:
                now = self.stored(target)
                known = None if isinstance(now, Retraction) or now is None else now.reported
        record = recoder.recoded_as(event, target, before, known)
        self._recoded_known[target] = record.reported
        staged = self._retired(retiring, event, line, recoder)
        staged.append(self._judge(record, line))
        if staged[-1][2] or len(staged) > 1:
            self.flag(_RECODED_KIND)
        return staged

    def _retracted(self, rid: str) -> tuple[str | None, tuple[int, int] | None] | None:
        """When ``rid`` is retracted (by a row of this file, or in the store): the kind
        it was first held as (None when unknown) and its retraction's version stamp;
        None when it is not retracted, or not held."""
        if rid in self._withdrawn:
            return self._kind_of(rid), self._withdrawn[rid][0]
        seen = self._events.get(rid)
        if seen is not None and _unpack(seen)[2] in {_CURRENT, _ADDED}:
            return None
        fix = self._fix(rid) if self._fix is not None else None
        if fix is None or not isinstance(fix.record, Retraction):
            return None
        version = self._version(fix.record) if self._version is not None else None
        return self._kind_of(rid), version

    def _after_retracted(
        self, rid: str, given: tuple[int, int] | None, before: tuple[int, int] | None
    ) -> None:
        """Judge a row of version ``given`` that gives event ``rid``, retracted (its
        retraction's version ``before``), as another kind of record: raises
        `_Outdated` when the retraction stands, `Refusal` when it is not the
        source's. The retraction may be an import's, because the source recoded the
        event (out of scope, or as another kind): a row not older than it follows
        it; or the source's deletion: only a row newer than it brings the event
        back; or yours (or a source's without a version stamp): the row is refused,
        as any row of a retracted event (`_after_retraction`)."""
        fix = None if rid in self._withdrawn or self._fix is None else self._fix(rid)
        if fix is None or fix.id.startswith(f"{rid}{_WITHDRAWN}"):
            kept = _kept(before, given)
        elif before is None:
            retraction = fix.record
            assert isinstance(retraction, Retraction)
            raise Refusal(
                "row",
                f"{rid!r} was retracted ({fix.id}: "
                f"{retraction.reason or 'no reason given'}); a retracted event is not "
                "imported again",
                in_scope=False,
            )
        elif given is None:
            kept = _UNSTAMPED
        else:
            kept = _NOT_NEWER_THAN_DELETION if given[0] <= before[1] else None
        if kept is not None:
            raise _Outdated(kept)

    def _weigh(
        self, ids: Iterable[str], given: tuple[int, int] | None
    ) -> list[tuple[str, _Retirement]]:
        """Which of ``ids`` (an event's records of other kinds) a row of version
        ``given`` retracts: those current and not newer than it. Raises `_Outdated`
        when one is newer (the row then changes nothing), `Refusal` for one this file
        gave that no stamp orders against the row."""
        out = []
        for rid in ids:
            judged = self._retirement(rid, lambda: given)
            if judged is None:
                continue
            if judged.kept is not None:
                raise _Outdated(judged.kept)
            if judged.unordered:
                raise Refusal(
                    "row",
                    f"id {rid!r} (first at line {judged.line}) is recoded here as another "
                    "kind of record, and this row is not a later version of it (by its "
                    "version stamp, ACLED's timestamp); keep one version of the row",
                )
            out.append((rid, judged))
        return out

    def _retired(
        self,
        retiring: list[tuple[str, _Retirement]],
        event: AnyRecord,
        line: int,
        recoder: Recoder,
    ) -> list[tuple[str, int, tuple[AnyRecord, ...]]]:
        """The retractions of ``retiring`` that ``event``, their newer version of
        another kind, makes (`Recoder.retraction`, each under the first free id of
        the record's id + ``#withdrawn``), judged; remembered once the row is
        accepted, as `retire`'s are."""
        staged = []
        for rid, judged in retiring:
            wid = self._withdrawn_id(rid)
            self._retiring[rid] = judged.given
            staged.append(self._judge(recoder.retraction(wid, rid, event, judged.dated), line))
        return staged

    def _judge_withdrawn(
        self, event: AnyRecord, line: int, digest: int, given: tuple[int, int] | None
    ) -> tuple[str, int, tuple[AnyRecord, ...]]:
        """`_judge` for a row of an id a row of this file retracted (`_withdrawn`): as
        in a file of its own after that retraction (`_after_recoded`)."""
        rid = event.id
        withdrawn = self._after_recoded(rid, given, event)
        back = self._after_retraction(withdrawn, event, held=True, kind=self._kind_of(rid))
        seen = self._events.get(rid)
        state, prior = (_NOTHING, None) if seen is None else _unpack(seen)[2:]
        entry = self._entry(
            line, digest, event, given, back, after=withdrawn, state=state, prior=prior
        )
        return rid, entry, back

    def _after_recoded(
        self, rid: str, given: tuple[int, int] | None, event: AnyRecord
    ) -> Retraction:
        """A row of ``rid`` (of version ``given``) after a row of this file retracted it
        as recoded (out of scope, or as another kind: `retire`, `_judge_recoded`), or as
        no longer given beside its row's main record (`retire_companion`), judged as in
        a file of its own after that retraction: an older row, or one without a stamp,
        changes nothing (flagged); a newer one brings the record back (the
        retraction returned, for `_after_retraction`), when the retraction is known
        from its stamp. Otherwise it is refused (`Refusal`): the retraction known from
        the import, the row's correction would be too, and nothing would order them.
        An older row raises `_Outdated`: nothing of it is taken."""
        recoded, recoded_line = self._withdrawn[rid]
        kept = _kept(recoded, given)
        if kept is not None:
            # Flagged as in a file of its own, where the stored retraction decides
            # (`_after_retraction`): an older row is not newer than it. Nothing of
            # the row is taken: the retraction came with a newer version of the event.
            raise _Outdated(_NOT_NEWER_THAN_DELETION if kept == _OLDER else kept)
        withdrawn = self._batch_retracted.get(rid)
        dated = withdrawn is not None and withdrawn.reported is not None
        if withdrawn is not None and dated and given is not None and recoded is not None:
            if given[0] > recoded[1]:
                return withdrawn
            raise _Outdated(_NOT_NEWER_THAN_DELETION)  # at the retraction's own stamp
        raise Refusal(
            "row",
            f"id {rid!r} was retracted at line {recoded_line}, where ACLED's newer version "
            "recoded the event (out of scope, or so that it no longer gives this record), "
            "and this row is not older, but that retraction is known only from this "
            "import (its row's timestamp, if any, is not later than what it retracted), "
            "so nothing would order the two: import it in a file of its own to bring "
            "the record back",
        )

    def _entry(
        self,
        line: int,
        digest: int,
        event: AnyRecord,
        given: tuple[int, int] | None,
        records: tuple[AnyRecord, ...],
        *,
        after: Retraction | None,
        state: int,
        prior: _Memo | None = None,
    ) -> int:
        """The entry `_events` keeps for ``event``'s id after the row at ``line``,
        of version stamp ``given``, added ``records`` for it (judged against the
        stored retraction ``after``, if any; ``state``: the id's state before,
        ``prior`` its memo, whose kind a row that adds nothing keeps)."""
        if after is not None and records and records[-1] is event:
            # Appended under the stored retraction: still retracted, as stored.
            if self._version is None:
                return _pack(line, digest, _RETRACTED)
            return _pack(line, digest, _RETRACTED, _Memo(given, _KIND_CODES[event.KIND]))
        if given is None and (self._version is None or not records):
            return _pack(line, digest, _ADDED if records else state)
        if not records:  # the state stays, and the kind of the record it is about
            return _pack(line, digest, state, _Memo(given, prior.kind if prior else 0))
        last = records[-1]
        reported = last.reported
        known = None if reported is None else (reported.lo, reported.last)
        fix = _FIX_HASH.search(last.id) if isinstance(last, Correction) else None
        memo = _Memo(given, _KIND_CODES[event.KIND], known, fix[1] if fix else None)
        # A row without a stamp, in a dataset with stamps: appended, but no version a
        # later row's stamp could be older than (a stamped row after it stands).
        return _pack(line, digest, _ADDED if given is None else _CURRENT, memo)

    def _correct_again(self, event: AnyRecord, first_line: int, current: _Memo) -> Correction:
        """The correction of the version the batch appended (``current``, from the row
        at ``first_line``) by a later version in the file; raises `Refusal` when it
        would change the kind, or when nothing would order the two in knowledge
        time."""
        rid = event.id
        if _KIND_CODES[event.KIND] != current.kind:
            raise _KindChanged(
                f"{rid!r} reads as {RECORD_KINDS[current.kind].KIND} at line {first_line} "
                f"but as {event.KIND} here: the source recoded the event as another kind "
                "of record, and a record keeps its kind, so line "
                f"{first_line}'s version stays. To take the new coding, retract {rid!r} "
                "and import this row under another id (for ACLED, another event_id_cnty)",
                RECORD_KINDS[current.kind].KIND,
                current.version,
            )
        if current.known is None and (current.fix is not None or current.version is not None):
            # Its correction would be known from this import, as the version before
            # it is: both at the import's one time, their order left to their ids.
            # (A record a row without a stamp appended is no correction: one
            # correction of it is current, whenever either is known.)
            raise Refusal(
                "row",
                f"id {rid!r} is a later version than line {first_line}'s, but neither is "
                "dated later than the version it corrects, so both would be known only "
                "from this import and nothing would order them; import the row in a "
                "file of its own",
            )
        supersedes = None if current.fix is None else f"{rid}#correction-{current.fix}"
        return self._correction_of(event, supersedes, current.known)

    def _judge_stored(
        self, event: AnyRecord, payload: bytes
    ) -> tuple[tuple[AnyRecord, ...], Retraction | None]:
        """What ``event`` adds against the store's current version of its id, and
        the stored retraction it was judged against, if any."""
        rid = event.id
        if self._unchanged is not None and self._unchanged(rid, payload):
            return (), None  # stored as these very bytes: nothing to decode
        current = self.stored(rid)
        if isinstance(current, Retraction):
            return self._after_retraction(current, event), current
        if current is None:
            return (event,), None
        if current == event:
            return (), None
        reason = None
        if self._version is not None:
            stored, given = self._version(current), self._version(event)
            kept = _kept(stored, given)
            if kept is not None:
                self.flag(kept)
                return (), None
            if stored is not None and stored == given and stored[0] == stored[1]:
                # One instant (a stamp of a day or a minute may hold two versions).
                reason = self._reread_reason
        if type(current) is not type(event):
            raise _KindChanged(
                f"{rid!r} is stored as {current.kind} but the row now reads as "
                f"{event.kind}: the source recoded the event as another kind of record, "
                f"and a record keeps its kind, so the stored {current.kind} stays. To take "
                f"the new coding, retract {rid!r} and import this row under another id "
                "(for ACLED, another event_id_cnty)",
                current.KIND,
                None if self._version is None else self._version(current),
            )
        return (self._correction(current, event, reason),), None

    def _after_retraction(
        self,
        retraction: Retraction,
        event: AnyRecord,
        *,
        held: bool | None = None,
        kind: str | None = None,
    ) -> tuple[AnyRecord, ...]:
        """What a row adds whose record's current version is ``retraction``.

        - A row whose version (``version``: ACLED's timestamp) is wholly later than the
          retraction's (ACLED's ``deleted_timestamp``) is a version the source made
          after deleting the event: it brings the event back, as a correction known
          from that version (the event first, when the store does not hold it); a
          row of another kind than the record held (``kind``, when this import
          appended it) is refused, as any correction that would change the kind.
        - A retraction stored before its record (a deletions list imported before the
          export): the row is imported, and the stored retraction retracts it, as if
          the files had come the other way round.
        - A row wholly no later than the retraction (an export older than the
          deletion, imported again) is a version the deletion outdates: it changes
          nothing, flagged, like any row older than the stored version.
        - A record an import withdrew (``withdraw``: a version of the file no longer
          gave it) that a file gives again is brought back, as a correction: the
          file is the word on what it gives.
        - Otherwise the row is refused: a retracted event is not imported again (no
          version says which came first, or the retraction is not the source's).
        """
        rid = event.id
        if held is None:  # (True: this import appended the event)
            held = self._holds(rid) if self._holds is not None else True
        deleted = given = None
        if self._version is not None:
            deleted, given = self._version(retraction), self._version(event)
            if deleted is not None and given is not None and given[0] > deleted[1]:
                if held:
                    kind = kind or self._held_kind(rid)
                    if kind is not None and kind != event.KIND:
                        raise _KindChanged(
                            f"{rid!r} is held as {kind} (retracted) but the row now reads "
                            f"as {event.KIND}: the source recoded the event as another "
                            "kind of record, and a record keeps its kind, so it stays "
                            "retracted. To take the new coding, import this row under "
                            "another id (for ACLED, another event_id_cnty)",
                            kind,
                            deleted,
                        )
                self.flag("newer than its deletion (brought back)")
                correction = self._correction(retraction, event)
                return (correction,) if held else (event, correction)
        if not held:
            self.flag("deleted before it was imported (the stored retraction retracts it)")
            return (event,)
        if deleted is not None and given is not None and given[1] <= deleted[0]:
            self.flag(_NOT_NEWER_THAN_DELETION)
            return ()
        withdrawn = retraction.id.startswith(f"{rid}{_WITHDRAWN}")
        if withdrawn and deleted is not None and given is None:
            # A row without a stamp proves nothing newer than a dated retraction the
            # source's recoding made (out of scope, or as another kind): it stays.
            self.flag(_UNSTAMPED)
            return ()
        if withdrawn:
            # Withdrawn by an import (`withdraw`) because a version of the file no
            # longer gave it: the file gives it again, and the file is the word.
            kind = kind or self._held_kind(rid)
            if kind is None or kind == event.KIND:
                self.flag(_GIVEN_AGAIN)
                return (self._correction(retraction, event),)
        reason = (
            f"{rid!r} was retracted ({retraction.id}: {retraction.reason or 'no reason given'}); "
            "a retracted event is not imported again"
        )
        raise Refusal("row", reason, in_scope=False)

    def _kind_of(self, rid: str) -> str | None:
        """The kind of ``rid`` as this file gave it, else as first stored."""
        seen = self._events.get(rid)
        if seen is not None:
            _, _, state, memo = _unpack(seen)
            if memo is not None and state != _NOTHING:
                return RECORD_KINDS[memo.kind].KIND
        return self._held_kind(rid)

    def _held_kind(self, rid: str) -> str | None:
        """The kind of ``rid`` as first stored, when ``existing`` can tell (None else)."""
        first = self._held(rid) if self._held is not None else None
        return None if first is None else first.KIND

    def _correction(
        self, current: Record, new: AnyRecord, reason: str | None = None
    ) -> Correction:
        """The correction of the stored ``current`` version that ``new`` makes, for
        ``reason`` (None: the importer's re-import reason)."""
        # The correction or retraction it supersedes, as stored (None for the record as
        # first stored, or when ``existing`` cannot say); or as this file retracted it.
        fixed: str | None
        retracted = self._batch_retracted.get(new.id)
        if retracted is not None and retracted is current:
            fixed, known = retracted.id, retracted.reported
        else:
            fix = self._fix(new.id) if self._fix is not None else None
            fixed = None if fix is None else fix.id
            known = current.reported if fix is None else fix.reported
        return self._correction_of(new, fixed, None if known is None else known.sort_key(), reason)

    def _correction_of(
        self,
        new: AnyRecord,
        supersedes: str | None,
        known: tuple[int, int] | None,
        reason: str | None = None,
    ) -> Correction:
        """The correction that makes ``new`` the current version: of the version
        known at ``known`` (its knowledge time's sort key; None: known from when it
        was appended), superseding the correction ``supersedes`` (None: the record
        as first stored)."""
        # Known from the new version's latest dated source (for ACLED, the timestamp
        # of the change) if that is later than what the store has (the knowledge time
        # of the current correction or retraction, else the record's); otherwise only
        # from when it is appended (the store's clock): never claim a change was
        # known before the data that shows it, nor before the version it supersedes.
        # A Correction without ``reported`` takes its earliest dated source's date, so
        # in that case it carries only the undated sources (the replacement keeps
        # them all).
        dated = [s.published for s in new.sources if s.published is not None]
        reported = max(dated, key=TimeExtent.sort_key, default=None)
        sources = new.sources
        if reported is None or known is None or reported.sort_key() <= known:
            reported = None
            sources = tuple(s for s in new.sources if s.published is None)
        return Correction(
            id=f"{new.id}#correction-{_chained_hash(supersedes, new)}",
            occurred=new.occurred,
            sources=sources,
            reported=reported,
            corrects=new.id,
            replacement=new,
            reason=self._reason if reason is None else reason,
        )

    def drain(self) -> list[AnyRecord]:
        """The records accepted since the last drain, in append order; the builder
        keeps none of them (a streamed import appends them as it reads)."""
        out, self._records = self._records, []
        return out

    def build(self) -> ImportBatch:
        """The finished batch (holding the records not drained)."""
        return ImportBatch(
            records=tuple(self._records),
            refused=tuple(self._refused),
            rows=self.rows,
            accepted=self.accepted,
            skipped=self.skipped,
            file=self.file,
            out_of_scope=dict(self.out_of_scope),
            merged=self.merged,
            flags=dict(self.flags),
            flagged=self.flagged,
        )


@functools.lru_cache(maxsize=4096)
def as_published(column: str, name: str, rid: str, known: str) -> str:
    """The note that keeps a row's spelling of an actor or place named otherwise by
    its record: ``<column> as published: <name> (<rid> is named <known>)``, in every
    importer's words alike."""
    return f"{column} as published: {name} ({rid} is named {known})"


def area(pid: str, name: str, kind: PlaceKind, parent: str | None) -> PlaceDefined:
    """A place without coordinates (a country, an admin level): one record for every
    location under it, built once rather than once a location (~25 us each)."""
    return PlaceDefined(id=pid, name=name, place_kind=kind, parent=parent)


def first_extent(extents: Iterable[TimeExtent]) -> TimeExtent | None:
    """The earliest of some extents (by replay order), or ``None``."""
    return min(extents, key=TimeExtent.sort_key, default=None)


def run_rows(
    table: Table, builder: BatchBuilder, convert: Callable[[list[str]], RowOutcome]
) -> None:
    """Feed every row of ``table`` through ``convert`` into ``builder``, which keeps
    the records for `BatchBuilder.build`."""
    for _ in _rows(table, builder, convert, drain=False):
        pass


def stream_rows(
    table: Table, builder: BatchBuilder, convert: Callable[[list[str]], RowOutcome]
) -> Iterator[AnyRecord]:
    """Feed every row of ``table`` through ``convert`` into ``builder``, yielding the
    records each row adds as soon as it is accepted (the builder keeps none)."""
    return _rows(table, builder, convert, drain=True)


def _rows(
    table: Table,
    builder: BatchBuilder,
    convert: Callable[[list[str]], RowOutcome],
    *,
    drain: bool,
) -> Iterator[AnyRecord]:
    for line, cells in table.rows:
        builder.rows += 1
        if isinstance(cells, BadRow):  # wrong field count, or a cell over the limit
            builder.refuse(line, Refusal("row", cells.reason))
            continue
        take_row(builder, line, convert, cells)
        if drain:
            yield from builder.drain()


def take_row(builder: BatchBuilder, line: int, convert: Callable[[T], RowOutcome], row: T) -> None:
    """Convert one row (or one group of rows) and account for it in ``builder``:
    accepted, refused with its reason, or skipped by design. A row that is not taken
    leaves the flags as they were: a converter may flag an adjustment before a later
    cell refuses the row, and only rows imported are counted in the flags."""
    flags = dict(builder.flags)
    builder.begin_row()
    try:
        outcome = convert(row)
    except Refusal as refusal:
        builder.not_taken(flags)
        builder.refuse(line if refusal.line is None else refusal.line, refusal)
        return
    except Skip as skip:
        builder.not_taken(flags)
        builder.skip(skip.category)
        return
    except StoreError:  # the store failed answering existing(): not the row's fault
        raise
    except ConflictTimelineError as exc:  # a record rule the row breaks
        builder.not_taken(flags)
        builder.refuse_error(line, "row", exc)
        return
    builder.accept(line, outcome, flags=flags)


def table_stream(
    source: PathOrFile,
    *,
    importer: str,
    required: Sequence[str],
    encoding: str,
    existing: Existing | None,
    strict: bool,
    reimport_reason: str,
    rows: Callable[[Table, BatchBuilder], Iterator[AnyRecord]],
    aliases: dict[str, str] | None = None,
    version: Callable[[Record], tuple[int, int] | None] | None = None,
    reread_reason: str | None = None,
) -> ImportStream:
    """An `ImportStream` over a CSV file or workbook: the file is opened with the
    importer's required columns, and ``rows(table, builder)`` yields its records."""

    def read(keep: Callable[[BatchBuilder], None]) -> Iterator[AnyRecord]:
        with open_table(
            source, required=required, encoding=encoding, importer=importer, aliases=aliases
        ) as table:
            builder = BatchBuilder(
                file=table.name,
                existing=existing,
                strict=strict,
                reimport_reason=reimport_reason,
                version=version,
                reread_reason=reread_reason,
            )
            keep(builder)
            yield from rows(table, builder)

    return ImportStream(read)


def stream_of(importer: object) -> Callable[..., ImportStream] | None:
    """The importer's ``stream`` method, or None when it has none or when it is a
    `StreamingImporter` whose ``read`` a subclass overrode (then ``read`` is what the
    importer means, and the timeline must call it)."""
    stream = getattr(importer, "stream", None)
    if stream is None:
        return None
    if isinstance(importer, StreamingImporter) and (
        type(importer).read is not StreamingImporter.read
    ):
        return None
    return cast("Callable[..., ImportStream]", stream)


class StreamingImporter:
    """``read`` for an importer that has ``stream``: the whole stream, as one batch."""

    def stream(
        self,
        source: PathOrFile,
        *,
        existing: Existing | None = None,
        strict: bool = False,
        **options: Any,
    ) -> ImportStream:
        """The file as an `ImportStream`."""
        raise NotImplementedError

    def read(
        self,
        source: PathOrFile,
        *,
        existing: Existing | None = None,
        strict: bool = False,
        **options: Any,
    ) -> ImportBatch:
        """The whole file as one `ImportBatch` (``stream(...)``, read to its end)."""
        return self.stream(source, existing=existing, strict=strict, **options).read_all()


class ImportStream:
    """An import read as a stream: iterate it for the records, in append order, as
    the file is read; `batch` then gives the counts and refusals.

    What [`Timeline.import_`][conflict_timeline.Timeline.import_] appends, a slice at
    a time inside one transaction, so a file of any length is imported in bounded
    memory. It can be iterated once; the file is opened on the first record asked
    for and closed when the last is drawn (or the iteration is abandoned).

    Args:
        read: A generator function that opens the file, hands its
            `BatchBuilder` to the callback it is given, and yields the records.
    """

    def __init__(
        self, read: Callable[[Callable[[BatchBuilder], None]], Iterator[AnyRecord]]
    ) -> None:
        self._read = read
        self._builder: BatchBuilder | None = None
        self._started = False
        self._finished = False

    def __iter__(self) -> Iterator[AnyRecord]:
        if self._started:
            msg = "an ImportStream can be read once; read the file again for another pass"
            raise ImportDataError(msg)
        self._started = True
        yield from self._read(self._keep)
        self._finished = True

    def _keep(self, builder: BatchBuilder) -> None:
        self._builder = builder

    def batch(self) -> ImportBatch:
        """The counts and refusals of the read, once every record has been drawn
        (its ``records`` are empty: they went to whoever iterated).

        Raises:
            ImportDataError: the stream has not been read to its end.
        """
        if not self._finished or self._builder is None:
            msg = "the ImportStream has not been read to its end yet"
            raise ImportDataError(msg)
        return self._builder.build()

    def read_all(self) -> ImportBatch:
        """Read the whole file and return it as one `ImportBatch`, records included."""
        records = tuple(self)
        return attrs.evolve(self.batch(), records=records)
