"""The ``conflict-timeline`` command: import, query, export, draw, verify and copy a timeline.

A timeline is one SQLite file (``TL.db``) or, with the ``postgres`` extra, a
PostgreSQL URL (``postgresql://user@host:5432/db?timeline=name``) wherever a file is
taken; a location means what it means to ``Timeline.open`` (``sqlite:PATH``,
``memory:``, a registered scheme), and messages show it with any password hidden::

    conflict-timeline import acled export.csv --into TL.db
    conflict-timeline import ucdp ged.csv --into TL.db --skip-bad-rows
    conflict-timeline state TL.db --view active-commitments --at 2020-10-31
    conflict-timeline export TL.db --format timelinejs -o timeline.json
    conflict-timeline render TL.db -o timeline.html --start 2020-09-20 --end 2020-11-07
    conflict-timeline verify TL.db
    conflict-timeline copy TL.db postgresql://me@db.example:5432/team?timeline=karabakh

Errors go to standard error as one line, naming the file, line and field where
there is one; the exit status says which kind of failure it was:

====  ==================================================================================
0     success
1     ``verify``: the timeline does not verify (the first bad position is named)
2     usage: an unknown option, or an option's value cannot be used (a date that
      cannot be read or lies outside the years 1-9999 in UTC, ``--width`` or
      ``--height`` too small, ``--limit`` below 0, an unknown ``--place`` or
      ``--actor``, a ``state`` filter naming no place, actor or commitment)
3     the data of the file to import is refused (nothing was imported), or that of
      ``verify``'s receipt file or public key
4     a file cannot be read: missing, a folder, no permission, empty, not a timeline;
      a location that cannot be opened (a URL that cannot be parsed, an unknown
      scheme, a server that cannot be reached)
5     a file cannot be written: its folder is missing, it is a folder, no permission,
      it is the timeline itself, it exists (without ``--force``), the disk is full
      (standard output too), ``copy``'s destination holds another history or cannot
      be opened, ``import``'s timeline cannot be opened or another process wrote to
      it while the file was read (nothing imported: run it again)
6     the timeline is damaged: a stored record cannot be read back (run ``verify``),
      or the file's pages are (SQLite's "database disk image is malformed");
      ``copy`` from a source whose record does not match its stored hash
7     a feature needs an extra that is not installed (the message names it): a
      PostgreSQL URL without ``postgres``, ``--format parquet`` without ``arrow``
8     ``import --skip-bad-rows`` refused some rows: the others were imported, and the
      refused ones are listed on standard error
130   interrupted (Ctrl-C); an import in progress writes nothing, a ``checkpoint``
      says how many view states it saved
141   standard output was closed early (``conflict-timeline export ... | head``; with
      ``2>&1`` the message about it cannot be written either, and none is)
143   terminated (SIGTERM: ``kill``, ``timeout``, a service manager); cleaned up as
      after Ctrl-C
====  ==================================================================================

A command never writes to the timeline it reads, except ``import`` and ``checkpoint``
(which keeps the views' saved states in it); an output path
that is the timeline itself (also through a link) is refused.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import datetime as _dt
import enum
import io
import os
import re
import shlex
import signal
import stat
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import (
    IO,
    Any,
    Final,
    Literal,
    NoReturn,
    TextIO,
    TypeGuard,
    TypeVar,
    get_args,
    get_origin,
    get_type_hints,
)

import attrs
import orjson

from . import __version__
from ._changes import Changes
from ._copy import BATCH, SettableClock, copy_timeline
from ._export import (
    csv_cell,
    current_records,
    export_jsonl,
    first_records,
    kind_columns,
    parquet_rows,
    table_row,
    write_timelinejs,
)
from ._files import replacing
from ._labels import Names, headline
from ._provenance import sources_text
from ._receipts import Receipt, load_public_key, read_receipts
from ._records import KIND_BY_NAME, CommitmentEnded, PlaceDefined, Record, Scope, references
from ._render import MIN_HEIGHT, MIN_WIDTH, page_html, render_html
from ._serialization import read_jsonl_numbered, unstructure_record
from ._time import TimeExtent, from_epoch_us, to_cut
from ._timeline import Timeline
from .errors import (
    CheckpointWarning,
    ConcurrencyError,
    ConflictTimelineError,
    DamagedStoreError,
    DuplicateRecordError,
    ImportDataError,
    InvalidRecordError,
    InvalidTimeError,
    MissingExtraError,
    QueryError,
    RecordNotFoundError,
    SerializationError,
    StoreError,
    UnknownReferenceError,
    UnsourcedRecordWarning,
)
from .importers import ImportSummary, get_importer, importer_names, recognising
from .importers._registry import UnknownOptionError
from .importers._rows import header_delimiter, text_codec
from .stores import Clock, Recorded, StateKeeper, Store, open_store
from .stores._registry import CONNINFO_REFUSED, hide_password, is_conninfo, sqlite_file
from .views import Gazetteer, Listing, Query, Row, Tabular, get_view, table_cells, view_names
from .views._listing import takes_names
from .views._saved import view_key

__all__ = ["main"]

_Opened = TypeVar("_Opened")
"""What `_opened_to_read` opens: a `Timeline`, or a store."""

PROG: Final = "conflict-timeline"
# The filters ``state`` passes on to views that take them (reported-violations);
# each may be given more than once.
_FILTERS: Final = {
    "commitment": "only entries about this commitment (its id)",
    "accused": "only entries accusing this actor (id or name), or one affiliated with it",
    "accuser": "only entries alleged by this actor or monitor (id or name)",
    "place": "only entries at this place (id or name) or inside it (de jure)",
    "basis": "only entries of this basis (alleged, candidate, observed)",
}
# What each filter takes, its placeholder in the help (events says PLACE and ACTOR).
_FILTER_TAKES: Final = {
    "commitment": "ID",
    "accused": "ACTOR",
    "accuser": "ACTOR",
    "place": "PLACE",
    "basis": "BASIS",
}
_PROGRESS_BYTES: Final = 4 * 1024 * 1024  # files at least this big show progress
_PROGRESS_RECORDS: Final = 50_000  # copies at least this long show progress
_MAX_REFUSALS_SHOWN: Final = 20
_CELL: Final = 48
_ROW_ERROR: Final = re.compile(r", line \d+")
_EVENT_KINDS_HIDDEN: Final = ("ActorDefined", "PlaceDefined")


class Exit(enum.IntEnum):
    """The exit statuses (the table in the module docstring and docs/howto/cli.md)."""

    OK = 0
    VERIFY_FAILED = 1
    USAGE = 2
    DATA_REFUSED = 3
    CANNOT_READ = 4
    CANNOT_WRITE = 5
    DAMAGED = 6
    MISSING_EXTRA = 7
    ROWS_REFUSED = 8
    INTERRUPTED = 130
    BROKEN_PIPE = 141
    TERMINATED = 143


class _Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, ``timeout``, a service manager stopping a job), raised where
    the command is, as Ctrl-C's interrupt is: every command cleans up after it as
    after Ctrl-C (an import writes nothing and leaves no new file, an export leaves
    no temporary file), and the exit status is 143."""


def _on_sigterm(signum: int, frame: object) -> None:
    del signum, frame
    raise _Terminated


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises `_Terminated` while a command runs (in the main thread: only
    there can a handler be set), the handler before it put back after."""
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (a caller running main() in one)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _CommandError(Exception):
    """A command failed in a way already explained; carries the exit status."""

    def __init__(self, message: str, status: Exit) -> None:
        super().__init__(message)
        self.status = status


class _StdoutError(Exception):
    """Writing to standard output failed (a closed pipe, a full disk)."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(str(cause))
        self.cause = cause


class _Stdout(io.TextIOWrapper):
    """Standard output as UTF-8 text; a failed write raises `_StdoutError`."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except OSError as exc:
            raise _StdoutError(exc) from exc

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as exc:
            raise _StdoutError(exc) from exc


# ------------------------------------------------------------------- progress


class _Counting(io.RawIOBase):
    """A binary file that reports how far it has been read: its position, so a reader
    that goes back (a JSON answer is read twice: checked whole, then imported) shows
    its second pass too. It seeks when the file does, so that such a reader can go
    back instead of holding every row it read."""

    def __init__(self, raw: IO[bytes], name: str, report: Callable[[int], None]) -> None:
        super().__init__()
        self._raw = raw
        self._name = name
        self._report = report
        self.done = 0

    @property
    def name(self) -> str:  # read by the importers for their messages
        return self._name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self.done += n
            self._report(self.done)
        return int(n or 0)

    def seekable(self) -> bool:
        return self._raw.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.done = self._raw.seek(offset, whence)
        return self.done

    def tell(self) -> int:
        return self._raw.tell()

    def close(self) -> None:
        self._raw.close()
        super().close()


class _Bar:
    """A one-line progress indicator on standard error.

    On a terminal it redraws one line; otherwise it prints a line every 10%.
    """

    def __init__(
        self, label: str, total: int, stream: IO[str], fmt: Callable[[int], str] | None = None
    ) -> None:
        self.label = label
        self.fmt = fmt if fmt is not None else _mb
        self.total = max(total, 1)
        self.stream = stream
        self.tty = stream.isatty()
        self.last_step = -1
        self.last_draw = 0.0
        self.seen = 0

    def __call__(self, done: int) -> None:
        if done < self.seen:  # read again from further back (a JSON answer's 2nd pass)
            self.last_step = -1
        self.seen = done
        percent = min(100, done * 100 // self.total)
        if self.tty:
            now = time.monotonic()
            if percent < 100 and now - self.last_draw < 0.1:
                return
            self.last_draw = now
            filled = percent * 30 // 100
            bar = "#" * filled + "." * (30 - filled)
            self.stream.write(
                f"\r{self.label} [{bar}] {percent:3d}% {self.fmt(done)}/{self.fmt(self.total)}"
            )
            if percent == 100:
                self.stream.write("\n")
            self.stream.flush()
            return
        step = percent // 10
        if step > self.last_step:
            self.last_step = step
            self.stream.write(
                f"{self.label}: {percent}% ({self.fmt(done)} of {self.fmt(self.total)})\n"
            )
            self.stream.flush()


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


@contextlib.contextmanager
def _reading(path: Path, *, progress: bool | None, err: IO[str]) -> Iterator[IO[bytes] | Path]:
    """The file to hand an importer: the path, or a stream that shows progress."""
    size = path.stat().st_size
    if not (progress or (progress is None and size >= _PROGRESS_BYTES)):
        yield path
        return
    bar = _Bar(f"reading {path.name}", size, err)
    raw = path.open("rb", buffering=0)
    with io.BufferedReader(_Counting(raw, path.name, bar)) as stream:
        yield stream


# ---------------------------------------------------------------------- files


def _many(count: int, noun: str) -> str:
    """``count`` and ``noun``, in the plural unless there is one: "1 entry", "2 entries",
    "0 records"."""
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1] + 'ies' if noun.endswith('y') else noun + 's'}"


def _reason(exc: OSError) -> str:
    """The operating system's reason, as a phrase: "permission denied"."""
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


def _stat(path: Path, status: Exit) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _CommandError(f"{path}: cannot use it: {_reason(exc)}", status) from None


def _check_readable(path: Path) -> None:
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise _CommandError(f"{path}: cannot read: {_reason(exc)}", Exit.CANNOT_READ) from None


def _input_file(name: str) -> Path:
    """A file to import: it exists, is a file and can be read; ``-`` is standard
    input (as ``/dev/stdin``, which the importers read as any file, compressed too)."""
    if name == "-":
        if not Path(_STDIN).exists():
            msg = "-: standard input cannot be read as a file here; give the file's path"
            raise _CommandError(msg, Exit.CANNOT_READ)
        name = _STDIN
    path = Path(name)
    found = _stat(path, Exit.CANNOT_READ)
    if found is None:
        raise _CommandError(f"{path}: no such file", Exit.CANNOT_READ)
    if stat.S_ISDIR(found.st_mode):
        raise _CommandError(f"{path}: is a folder, not a file to import", Exit.CANNOT_READ)
    _check_readable(path)
    return path


_STDIN: Final = "/dev/stdin"


def _shown(location: str) -> str:
    """A timeline's location as messages show it: any password hidden."""
    return hide_password(location)


def _file_of(location: str, status: Exit) -> Path | None:
    """The SQLite file a location names (a plain path, ``sqlite:PATH``), or None for a
    store of another backend (``memory:``, a PostgreSQL URL): resolved exactly as
    ``Timeline.open`` resolves it. An unknown scheme fails with ``status``; ``-``, which
    elsewhere is standard input or output, is a usage error, not a file named ``-``."""
    if location == "-":
        msg = (
            "-: a timeline is a file or a URL, never standard input or output; "
            "name the file (./- for a file named -)"
        )
        raise _CommandError(msg, Exit.USAGE)
    try:
        found = sqlite_file(location)
    except StoreError as exc:
        text = str(exc)
        shown = _shown(location)
        raise _CommandError(text if shown in text else f"{shown}: {text}", status) from None
    return None if found is None else Path(found)


def _open_timeline(name: str, *, writable: bool = False) -> Timeline:
    """An existing timeline, to read (``writable``: and to write what is not a record,
    such as saved view states). A missing or empty file is refused, never created.

    A file is opened as SQLite opens a writable file, so that the last reader to close
    it removes SQLite's files beside it (a read-only connection leaves its ``-shm``
    behind); one that cannot be opened so (in a folder the user may not write, as on a
    read-only share) is read with ``read_only=True``, which reads it as it stands on
    disk where nothing beside it holds changes (see `SQLiteStore`)."""
    return _opened_to_read(
        name,
        lambda target, read_only: Timeline.open(target, create=False, read_only=read_only),
        writable=writable,
    )


def _opened_to_read(
    name: str, opener: Callable[[str | Path, bool], _Opened], *, writable: bool = False
) -> _Opened:
    """What ``opener(target, read_only)`` opens of the existing timeline ``name``, as
    `_open_timeline` says: a store of another backend read-only unless ``writable``;
    a file checked to be there, then opened writable (SQLite then removes its files
    beside it on closing), read-only where it cannot be opened so; a dataset's table
    given instead named as such."""
    path = _file_of(name, Exit.CANNOT_READ)
    if path is None:
        _refuse_memory(name)
        return opener(name, not writable)
    _existing_timeline_file(path)
    try:
        try:
            return opener(path, False)
        except DamagedStoreError:
            raise
        except StoreError as exc:
            if writable:  # a command that writes to it (checkpoint): cannot write
                raise _CommandError(str(exc), Exit.CANNOT_WRITE) from None
            # Why it cannot be read, if it cannot (the same error, or the -wal's).
            return opener(path, True)
    except StoreError as exc:
        hint = _dataset_hint(path, "TL.db", "a timeline")  # a dataset's table, then
        if not hint:
            raise
        raise _CommandError(f"{exc}{hint}", Exit.CANNOT_READ) from None


def _existing_timeline_file(path: Path) -> None:
    """A timeline file to read is there, a file, not empty and readable."""
    found = _stat(path, Exit.CANNOT_READ)
    if found is None and is_conninfo(str(path)):  # not named: it may hold a password
        raise _CommandError(CONNINFO_REFUSED, Exit.CANNOT_READ)
    if found is None:
        raise _CommandError(f"{path}: no such timeline file", Exit.CANNOT_READ)
    if stat.S_ISDIR(found.st_mode):
        raise _CommandError(f"{path}: is a folder, not a timeline file", Exit.CANNOT_READ)
    if found.st_size == 0:
        raise _CommandError(f"{path}: an empty file, not a timeline", Exit.CANNOT_READ)
    _check_readable(path)


def _refuse_memory(name: str) -> None:
    """A timeline to read cannot be ``memory:``: it would be a new, empty one."""
    if name.split(":", 1)[0].casefold() == "memory":
        msg = f"{name}: an in-memory timeline starts empty, so there is nothing to read"
        raise _CommandError(msg, Exit.CANNOT_READ)


def _source_store(name: str) -> Store:
    """``copy``'s source, opened as `_open_timeline` opens a timeline to read (a file
    writable, so that closing it removes SQLite's ``-wal`` and ``-shm`` beside it,
    read-only only where it cannot be opened so). Nothing is written to it."""
    return _opened_to_read(
        name, lambda target, read_only: _open_store(target, create=False, read_only=read_only)
    )


def _same_file(found: os.stat_result, timeline: str) -> bool:
    """Is ``found`` the timeline's file, or one of SQLite's files beside it?"""
    file = _file_of(timeline, Exit.CANNOT_READ)
    if file is None:  # a store of another backend: no file to write over
        return False
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            other = os.stat(f"{file}{suffix}")
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (found.st_dev, found.st_ino):
            return True
    return False


def _output_path(name: str, *, force: bool, timeline: str) -> Path:
    """A file to write: its folder exists; not a folder, not the timeline, not an
    existing file unless ``force``."""
    path = Path(name)
    found = _stat(path, Exit.CANNOT_WRITE)
    if found is None:
        folder = Path(os.path.abspath(path)).parent
        if not folder.is_dir():
            msg = f"{path}: cannot write: the folder {folder} does not exist"
            raise _CommandError(msg, Exit.CANNOT_WRITE)
        return path
    if stat.S_ISDIR(found.st_mode):
        msg = f"{path}: is a folder; name a file to write"
        raise _CommandError(msg, Exit.CANNOT_WRITE)
    if _same_file(found, timeline):
        msg = f"{path}: is the timeline {_shown(timeline)} itself; refusing to write over it"
        raise _CommandError(msg, Exit.CANNOT_WRITE)
    if stat.S_ISREG(found.st_mode) and not force:
        msg = f"{path}: exists; pass --force to replace it"
        raise _CommandError(msg, Exit.CANNOT_WRITE)
    return path


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Turn a failure to write ``path`` into a one-line error (exit status 5)."""
    try:
        yield
    except ConflictTimelineError:  # StoreError is an OSError too: not ours
        raise
    except OSError as exc:
        raise _CommandError(f"{path}: cannot write: {_reason(exc)}", Exit.CANNOT_WRITE) from None


def _remove_empty_timeline(path: Path) -> None:
    """Remove a timeline file this import created, if it holds no record."""
    try:
        with Timeline.open(path, create=False) as timeline:
            if timeline.head:
                return
    except ConflictTimelineError:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


# ------------------------------------------------------------------- commands


def _open_store(
    target: str | Path, *, create: bool, clock: Clock | None = None, read_only: bool = False
) -> Store:
    """The store a command-line argument names, opened as ``Timeline.open`` opens it
    (the backend registry: a path or ``sqlite:PATH``, ``memory:``, a PostgreSQL URL)."""
    return open_store(target, clock=clock, create=create, read_only=read_only)


_DATA_ERRORS: Final = (
    ImportDataError,
    SerializationError,
    InvalidRecordError,
    InvalidTimeError,
    DuplicateRecordError,
    UnknownReferenceError,
)


def _cmd_import(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    path = _input_file(args.file)
    into = _file_of(args.into, Exit.CANNOT_WRITE)
    found = None if into is None else _stat(into, Exit.CANNOT_WRITE)
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise _CommandError(f"{into}: is a folder, not a timeline file", Exit.CANNOT_WRITE)
    imported = False
    try:
        with Timeline.open(args.into, create=True) as timeline:
            refused = _import_into(timeline, path, args, out, err)
        imported = True
    except KeyboardInterrupt as exc:
        how, status = _interrupted(exc)
        msg = f"{how}: nothing of {path.name} was imported into {_shown(args.into)}"
        raise _CommandError(msg, status) from None
    except DamagedStoreError:
        raise
    except StoreError as exc:
        # The file and the timeline swapped (``import ucdp TL.db --into ged.csv``)?
        hint = "" if into is None or found is None else _dataset_hint(into, "TL.db", "a timeline")
        raise _CommandError(f"{exc}{hint}", Exit.CANNOT_WRITE) from None
    except ConcurrencyError:
        # The library's "re-read and retry" is advice to a program; the command's
        # user re-runs it, once the other writer (an import in another terminal) is done.
        msg = (
            f"{_shown(args.into)}: another process wrote to the timeline while "
            f"{path.name} was read (an import in another terminal?); nothing of "
            f"{path.name} was imported: run the import again once the other has finished"
        )
        raise _CommandError(msg, Exit.CANNOT_WRITE) from None
    finally:
        if not imported and found is None and into is not None:
            _remove_empty_timeline(into)
    return Exit.ROWS_REFUSED if refused else Exit.OK


def _import_into(
    timeline: Timeline, path: Path, args: argparse.Namespace, out: IO[str], err: IO[str]
) -> bool:
    """Import ``path``; True when rows were refused (``--skip-bad-rows``)."""
    strict = not args.skip_bad_rows
    _importer_takes(args)
    try:
        if args.importer == "jsonl":
            # Streamed: read and appended a slice at a time inside one transaction.
            seen: dict[str, int] = {}
            records = _unique_ids(read_jsonl_numbered(path), path.name, seen)
            try:
                written = timeline.append_stream(records, strict=not args.allow_unresolved)
            except SerializationError as exc:
                hint = _timeline_hint(path, _shown(args.into)) or _dataset_hint(
                    path, _shown(args.into)
                )
                raise _CommandError(f"{exc}{hint}", Exit.DATA_REFUSED) from None
            except (UnknownReferenceError, DuplicateRecordError) as exc:
                # The store names the record; the file's line of it is known here.
                text = str(exc).replace("pass strict=False", "pass --allow-unresolved")
                raise _CommandError(_on_line(text, path.name, seen), Exit.DATA_REFUSED) from None
            out.write(
                f"{path.name}: {len(seen)} records, {len(written)} appended to "
                f"{_shown(args.into)}\n"
            )
            return False
        options: dict[str, str | bool] = {}
        if args.source_name is not None:
            options["source_name"] = args.source_name
        if args.encoding:
            options["encoding"] = args.encoding
        if args.keep_unheld:
            options["keep_unheld"] = True
        if args.today:
            options["today"] = args.today
        if args.date_order:
            options["date_order"] = args.date_order
        workbook = path.suffix.casefold() in {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
        with _reading(path, progress=args.progress and not workbook, err=err) as source:
            summary = timeline.import_(
                args.importer, path if workbook else source, strict=strict, **options
            )
    except UnknownOptionError as exc:  # said as the flags that give the options
        takes = ", ".join(_flag(name) for name in exc.known) or "none"
        msg = f"{_flag(exc.option)}: the {args.importer} importer does not take it"
        msg += f" (it takes: {takes})"
        raise _CommandError(msg, Exit.USAGE) from None
    except ImportDataError as exc:
        hint = _import_hint(exc, strict=strict)
        raise _CommandError(f"{exc}; {hint}", Exit.DATA_REFUSED) from None
    except UnknownReferenceError as exc:
        # The library's advice names its own keyword; the command has a flag for it.
        text = str(exc).replace("pass strict=False", "pass --allow-unresolved")
        raise _CommandError(f"{path.name}: {text}", Exit.DATA_REFUSED) from None
    except _DATA_ERRORS as exc:
        raise _CommandError(str(exc), Exit.DATA_REFUSED) from None
    _report_import(summary, _shown(args.into), out, err)
    return bool(summary.refused)


def _flag(option: str) -> str:
    """An importer's option as the command line's flag: ``date_order``, ``--date-order``."""
    return "--" + option.replace("_", "-")


_JSONL_IGNORES: Final = (
    ("skip_bad_rows", "a JSON Lines file is imported whole or not at all"),
    ("encoding", "JSON Lines is UTF-8"),
    ("source_name", "its records name their own sources"),
    ("keep_unheld", "it is for ACLED's deletions list"),
    ("today", "it is for the ceasefire datasets and UCDP GED"),
    ("date_order", "its times are ISO 8601"),
)


def _importer_takes(args: argparse.Namespace) -> None:
    """Refuse, as a usage error, an option the command would otherwise ignore:
    ``import jsonl`` takes only ``--allow-unresolved`` (its records are the library's
    own), and only ``import jsonl`` takes it (a dataset importer defines every actor
    and place it refers to)."""
    if args.importer == "jsonl":
        for name, why in _JSONL_IGNORES:
            if getattr(args, name):
                msg = f"{_flag(name)}: import jsonl does not take it ({why})"
                raise _CommandError(msg, Exit.USAGE)
    elif args.allow_unresolved:
        msg = (
            f"--allow-unresolved: only import jsonl takes it (the {args.importer} importer "
            "defines every actor and place it refers to)"
        )
        raise _CommandError(msg, Exit.USAGE)


def _dataset_hint(path: Path, into: str, expected: str = "JSON Lines of records") -> str:
    """What to run when a file given as ``expected`` (to ``import jsonl``, or as a
    timeline to read) is a dataset's table: its first line a header that an importer
    recognises (a GED or ACLED CSV); else nothing."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            first = fh.readline(64 * 1024)
    except OSError:
        return ""
    # The header split as the importers split it (`header_delimiter`).
    columns = next(csv.reader([first], delimiter=header_delimiter(first)), [])
    names = recognising(frozenset(c.strip().casefold() for c in columns))
    if not names:
        return ""
    return (
        f"; this is not {expected} but a table whose header looks like a "
        f"file for the {' or '.join(map(repr, names))} importer: "
        # Quoted as a shell reads it: a path with spaces pastes as one argument.
        f"conflict-timeline import {names[0]} {shlex.quote(str(path))} "
        f"--into {shlex.quote(into)}"
    )


_SQLITE_MAGIC: Final = b"SQLite format 3\x00"


def _timeline_hint(path: Path, into: str) -> str:
    """What to run when the file given to ``import jsonl`` is an SQLite file, most
    likely a timeline: its records are added through their JSON Lines export; else
    nothing."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError:
        return ""
    if head != _SQLITE_MAGIC:
        return ""
    source = shlex.quote(str(path))
    return (
        "; this is not JSON Lines but an SQLite file (a timeline?): to add a timeline's "
        f"records, export them first (conflict-timeline export {source} --format jsonl "
        f"-o records.jsonl) and import that into {shlex.quote(into)}; to copy it to a new "
        f"file, conflict-timeline copy {source} NEW.db"
    )


_REFUSED_RECORD: Final = re.compile(r"\w+ ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"): ")
"""A store's refusal starts with the record's kind and its id as ``repr`` shows it."""


def _on_line(text: str, name: str, lines: Mapping[str, int]) -> str:
    """A store's refusal of a record read from a JSON Lines file, led by the file's
    name and the line the record is on (the name alone when it cannot tell)."""
    found = _REFUSED_RECORD.match(text)
    line = lines.get(ast.literal_eval(found[1])) if found is not None else None
    return f"{name}, line {line}: {text}" if line is not None else f"{name}: {text}"


def _unique_ids(
    numbered: Iterator[tuple[int, Record]], name: str, lines: dict[str, int]
) -> Iterator[Record]:
    """The records of a JSON Lines file, refusing an id that comes twice; ``lines``
    collects each id's line."""
    for line, record in numbered:
        first = lines.setdefault(record.id, line)
        if first != line:
            msg = f"{name}, line {line}: id {record.id!r} is already used on line {first}"
            raise SerializationError(msg)
        yield record


def _import_hint(exc: ImportDataError, *, strict: bool) -> str:
    """What to do next; ``--skip-bad-rows`` only when it would import something.

    It helps only when the flag was not given and the refusal is about one row (the
    message names its line); a file-level fault (a missing column, not UTF-8, not
    CSV, bytes not in its encoding: ``whole_file``) stops every row alike.
    """
    if strict and not exc.whole_file and _ROW_ERROR.search(str(exc)):
        return (
            "nothing was imported; fix the file, or pass --skip-bad-rows to import "
            "the other rows and list the refused ones"
        )
    return "nothing was imported; the file as a whole cannot be read by this importer"


def _report_import(summary: ImportSummary, into: str, out: IO[str], err: IO[str]) -> None:
    messages = summary.messages()
    for message in messages[:_MAX_REFUSALS_SHOWN]:
        err.write(f"refused: {message}\n")
    if len(messages) > _MAX_REFUSALS_SHOWN:
        err.write(f"refused: ... and {len(messages) - _MAX_REFUSALS_SHOWN} more rows\n")
    where = (
        f"positions {summary.first_position}-{summary.last_position}"
        if summary.first_position is not None
        else "nothing appended"
    )
    out.write(f"{summary}; {_many(summary.appended, 'record')} appended to {into} ({where})\n")
    err.write(summary.table() + "\n")


def _cmd_state(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del err
    view = get_view(args.view)
    filters: dict[str, Any] = {
        name: getattr(args, name) for name in _FILTERS if getattr(args, name, None) is not None
    }
    if args.between is not None:
        filters["between"] = tuple(args.between)
    taken: frozenset[str] = getattr(view, "filters", frozenset())
    for name in filters:
        if name not in taken:  # named as the option, not as the library's keyword
            takes = ", ".join(f"--{t}" for t in sorted(taken)) or "no filter"
            msg = f"--{name}: the {args.view} view takes no such filter (it takes {takes})"
            raise _CommandError(msg, Exit.USAGE)
    with _open_timeline(args.timeline) as timeline:
        if args.as_of is not None and args.as_of > (head := timeline.store.head()):
            # A typo, not "everything".
            msg = f"--as-of {args.as_of}: the timeline holds {head} records (positions 1-{head})"
            raise _CommandError(msg, Exit.USAGE)
        _resolve_filters(timeline, filters, args)
        result = timeline.state(
            view,
            at=args.at,
            known_at=args.known_at,
            as_of=args.as_of,
            certainty="certain" if args.certain else "possible",
            tz=args.tz,
            **filters,
        )
        # A table names actors and places as ``events`` does; JSON and CSV keep the ids.
        names = (
            None
            if args.format in ("json", "csv")
            else Names.of(timeline, known_at=args.known_at, as_of=args.as_of, tz=args.tz)
        )
    if args.format == "json":
        # The filters as answered (names resolved to ids), beside the cuts: a saved
        # answer shows what it was filtered by.
        # A result that is no mapping (a view's tuple of ids), or one with a key of the
        # command's own, is given whole under "result": neither is lost.
        body = _jsonable(result)
        if not isinstance(body, dict) or not body.keys().isdisjoint(("view", "filters")):
            body = {"result": body}
        payload = {"view": args.view, "filters": _jsonable(filters), **body}
        out.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n")
    elif args.format == "csv":
        # The table's columns and cells, ids kept, as the CSV export writes: a header
        # row, CRLF rows, no cell a spreadsheet runs as a formula.
        headers, rows = _table_cells(args.view, result, None)
        if not rows and not headers:  # the header row all the same, when the view has one
            headers = list(_listed_columns(view, result))
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows([csv_cell(c) for c in row] for row in rows)
    else:
        out.write(_table(args.view, result, names, filters))
    return 0


def _filters_text(filters: Mapping[str, Any]) -> str:
    """``--accused x --between A B``: the filters a table was answered with."""
    parts = []
    for name, value in filters.items():
        values = [value] if isinstance(value, str) else list(value)
        if name == "between":
            parts.append(f"--between {' '.join(map(str, values))}")
        else:
            parts += [f"--{name} {each}" for each in values]
    return " ".join(parts)


def _resolve_filters(
    timeline: Timeline, filters: dict[str, Any], args: argparse.Namespace
) -> None:
    """``state``'s ``--place``, ``--accused`` and ``--accuser`` as ids (each may name
    the place or actor by the names known at ``--known-at`` and ``--as-of``, those the
    table shows, as ``events`` takes them), and every ``--commitment`` a commitment's
    id: a value that names none is refused (exit status 2), not answered with no
    entries."""
    if any(filters.get(name) for name in ("place", "accused", "accuser")):
        gazetteer = timeline.state(Gazetteer, known_at=args.known_at, as_of=args.as_of, tz=args.tz)
        for name, known, other, by_name, what in (
            ("place", gazetteer.places, gazetteer.actors, gazetteer.resolve_place, "place"),
            ("accused", gazetteer.actors, gazetteer.places, gazetteer.resolve_actor, "actor"),
            ("accuser", gazetteer.actors, gazetteer.places, gazetteer.resolve_actor, "actor"),
        ):
            filters[name] = [
                given
                if _referred_to(timeline, given, known, other)
                else _resolve(given, known, other, by_name, what, option=f"--{name}")
                for given in filters.get(name) or ()
            ] or None
    for given in filters.get("commitment") or ():
        found = timeline.store.get(given)
        if found is None or found.kind != "Commitment":
            what = (
                "no record has that id"
                if found is None
                else f"that record is of kind {found.kind}"
            )
            msg = f"--commitment: unknown commitment {given!r}: {what}"
            raise _CommandError(msg, Exit.USAGE)
    for name in [n for n, v in filters.items() if v is None]:
        del filters[name]


def _cmd_diff(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del err
    view = get_view(args.view)
    with _open_timeline(args.timeline) as timeline:
        found = timeline.changes(
            view,
            known_from=args.known_from,
            known_to=args.known_to,
            at=args.at,
            certainty="certain" if args.certain else "possible",
            tz=args.tz,
        )
        names = (
            None
            if args.format == "json"
            else Names.of(timeline, known_at=args.known_to, tz=args.tz)
        )
        # A table's rows (a view answering with a table of its own, the gazetteer)
        # carry no headings: those of its answer at the later cut.
        columns = (
            ()
            if args.format == "json"
            else _diff_columns(
                found,
                lambda: timeline.state(
                    view,
                    at=args.at,
                    known_at=args.known_to,
                    certainty="certain" if args.certain else "possible",
                    tz=args.tz,
                ),
            )
        )
    if args.format == "json":
        payload = {
            "view": args.view,
            "from": found.before.describe(),
            "to": found.after.describe(),
            "changes": [
                {"id": c.id, "what": c.what, "before": _jsonable(c.before),
                 "after": _jsonable(c.after)}
                for c in found
            ],
        }  # fmt: skip
        out.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n")
        return 0
    head = f"{args.view}: {_many(len(found), 'change')} from {found.before.describe()}"
    lines = [f"{head} to {found.after.describe()}", *_no_at_note(args.view, found.after)]
    # The entry's id heads its line, unless its own cells hold it (an "id" column).
    ids = [] if "id" in columns else ["id"]
    rows: list[list[str]] = []
    for change in found:
        entry = change.after if change.after is not None else change.before
        mark = {"entered": "+", "left": "-", "changed": "~"}[change.what]
        shown = [change.id] if ids else []
        rows.append([f"{mark} {change.what}", *shown, *_diff_cells(entry, names)])
        if change.what == "changed":  # and what it was: the change is read off the two
            rows.append(["  was", *shown, *_diff_cells(change.before, names)])
    if rows:
        lines += _aligned(["change", *ids, *columns], rows)
    out.write("\n".join(lines) + "\n")
    return 0


def _diff_columns(found: Changes[Any], answer: Callable[[], object]) -> tuple[str, ...]:
    """The headings of ``diff``'s entry cells: the ``table_columns`` of a listing's
    entries, or for a table's rows those of ``answer()``'s table; "entry" for an entry
    that gives no row (its text)."""
    entries: list[Any] = [c.after if c.after is not None else c.before for c in found]
    if not entries:
        return ()
    if all(isinstance(e, Row) for e in entries):
        kinds = {tuple(type(e).table_columns) for e in entries}
        return next(iter(kinds)) if len(kinds) == 1 else ()
    if all(isinstance(e, tuple) for e in entries):
        result = answer()
        return tuple(str(c) for c in result.table().columns) if isinstance(result, Tabular) else ()
    return ("entry",)


def _diff_cells(entry: object, names: Names | None) -> list[str]:
    """An entry of ``diff``'s table: its row's cells (names shown), or its text."""
    row = table_cells(entry, names) if isinstance(entry, Row) else entry
    cells = row if isinstance(row, tuple) else (str(row),)
    return [_cell(c) for c in cells]


def _cmd_export(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    filtered = bool(args.kind or args.between)
    if args.format == "jsonl" and (args.known_at or filtered or args.tz is not None):
        msg = (
            "--format jsonl writes the whole log as appended (it re-imports to the same "
            "timeline), so it takes no --known-at, --kind, --between or --tz; "
            "use --format csv for what was known then, filtered"
        )
        raise _CommandError(msg, Exit.USAGE)
    if args.format in ("jsonl", "timelinejs") and (
        args.place is not None or args.actor is not None
    ):
        msg = (
            f"--place and --actor are for --format csv and parquet, not --format {args.format}"
            + (
                " (TimelineJS draws a story's span and kinds: --between, --kind)"
                if args.format == "timelinejs"
                else " (the JSON Lines export is the whole log as appended)"
            )
        )
        raise _CommandError(msg, Exit.USAGE)
    if args.tz is None:
        args.tz = "UTC"
    if args.format != "csv" and (args.bom or not args.defuse):
        msg = f"--bom and --no-defuse are for --format csv, not --format {args.format}"
        raise _CommandError(msg, Exit.USAGE)
    if args.format != "timelinejs" and args.title is not None:
        msg = f"--title is for --format timelinejs, not --format {args.format}"
        raise _CommandError(msg, Exit.USAGE)
    if args.format == "csv":
        with _open_timeline(args.timeline) as timeline:
            count, files = _export_csv(timeline, args, out)
        if files:
            err.write(f"wrote {_many(count, 'row')} to {', '.join(files)}\n")
        return 0
    if args.format == "parquet":
        if args.output is None or args.output == "-":
            msg = "--format parquet writes a binary file: name it with -o NAME.parquet"
            raise _CommandError(msg, Exit.USAGE)
        path = _output_path(args.output, force=args.force, timeline=args.timeline)
        with _open_timeline(args.timeline) as timeline, _writing(path):
            count = parquet_rows((_flat_row(r) for r in _selected(timeline, args)), path)
        err.write(f"wrote {_many(count, 'row')} to {args.output}\n")
        return 0
    with _open_timeline(args.timeline) as timeline, _output(args, out) as target:
        if args.format == "jsonl":
            count = export_jsonl(timeline, target)
        else:
            count = write_timelinejs(
                timeline,
                target,
                known_at=args.known_at,
                title="Timeline" if args.title is None else args.title,
                tz=args.tz,
                kinds=args.kind,
                between=None if args.between is None else tuple(args.between),
            )
    if args.output:  # on standard error: never into the data, -o - included
        err.write(
            f"wrote {_many(count, 'event' if args.format == 'timelinejs' else 'row')} "
            f"to {_written_to(args.output)}\n"
        )
    return 0


def _written_to(name: str) -> str:
    """Where ``-o name`` wrote, in words: ``-`` (and ``/dev/stdout``) is standard output."""
    return "standard output" if name == "-" else name


def _selected(timeline: Timeline, args: argparse.Namespace) -> list[Recorded]:
    """The records as known at ``--known-at``, filtered by kind, time, place and actor."""
    # --between read, and refused, as state's is: the same words for the same slip.
    records = current_records(
        timeline,
        known_at=args.known_at,
        tz=args.tz,
        kinds=args.kind or None,
        between=tuple(args.between) if args.between else None,
    )
    kinds = set(args.kind or ())
    place = actor = None
    gazetteer = None
    # Given, even empty (``--place "$PLACE"`` with the variable unset): an empty value
    # names no place, and is refused as one, not taken for no filter.
    if getattr(args, "place", None) is not None or getattr(args, "actor", None) is not None:
        gazetteer = timeline.state(Gazetteer, known_at=args.known_at, tz=args.tz)
        # An id the records refer to is itself, defined or not (as for state's filters).
        places, actors = gazetteer.places, gazetteer.actors
        if args.place is not None:
            place = (
                args.place
                if _referred_to(timeline, args.place, places, actors)
                else _resolve(args.place, places, actors, gazetteer.resolve_place, "place")
            )
        if args.actor is not None:
            actor = (
                args.actor
                if _referred_to(timeline, args.actor, actors, places)
                else _resolve(args.actor, actors, places, gazetteer.resolve_actor, "actor")
            )
    out = []
    commitments: dict[str, Record] | None = None
    for recorded in records:
        record = recorded.record
        hide = not kinds and getattr(args, "hide_definitions", False)
        if hide and record.KIND in _EVENT_KINDS_HIDDEN:
            continue
        # An end has no place or parties of its own: it is found as its commitment
        # is (as known at --known-at), whenever that commitment was made.
        found_as: list[Record] = [record]
        if (place is not None or actor is not None) and isinstance(record, CommitmentEnded):
            if commitments is None:
                commitments = {
                    r.record.id: r.record
                    for r in current_records(
                        timeline, known_at=args.known_at, tz=args.tz, kinds=["Commitment"]
                    )
                }
            if record.commitment in commitments:
                found_as.append(commitments[record.commitment])
        if (
            place is not None
            and gazetteer is not None
            and not any(
                gazetteer.is_within(where, place) for r in found_as for where in _places_of(r)
            )
        ):
            continue
        if actor is not None and not any(
            ref == actor for r in found_as for _f, ref, _k in references(r)
        ):
            continue
        out.append(recorded)
    return out


def _listed(timeline: Timeline, args: argparse.Namespace) -> tuple[int, list[Recorded]]:
    """How many records ``events`` selects, and the first ``--limit`` of them. Without
    ``--place`` or ``--actor`` (which read each record), the others are not decoded:
    ``--limit 20`` of a million records reads twenty."""
    if args.place is not None or args.actor is not None:
        selected = _selected(timeline, args)
        return len(selected), selected if args.limit is None else selected[: args.limit]
    kinds = args.kind or sorted(set(KIND_BY_NAME) - set(_EVENT_KINDS_HIDDEN))
    return first_records(
        timeline,
        known_at=args.known_at,
        tz=args.tz,
        kinds=kinds,
        between=tuple(args.between) if args.between else None,
        limit=args.limit,
    )


def _places_of(record: object) -> tuple[str, ...]:
    """Where ``events --place`` finds a record: its ``place``, a commitment's scope
    (the places it includes; one that applies everywhere names none), or a place's
    definition at the place it defines (so the places inside a country are found)."""
    if isinstance(record, PlaceDefined):
        return (record.id,)
    where = getattr(record, "place", None)
    if isinstance(where, str):
        return (where,)
    scope = getattr(record, "scope", None)
    return scope.include if isinstance(scope, Scope) else ()


def _referred_to(
    timeline: Timeline, given: str, known: Mapping[str, Any], other: Mapping[str, Any]
) -> bool:
    """Is ``given`` an id that nothing of its sort (``known``) defines but some record
    refers to, and not one of the other sort (``other``: a place given as an actor
    is still refused)? Such an id is itself, for ``state``'s filters and ``events``
    alike; a defined one `_resolve` gives back as it is."""
    return (
        given not in known
        and given not in other
        and next(iter(timeline.involving(given)), None) is not None
    )


def _resolve(
    given: str,
    known: Mapping[str, Any],
    other: Mapping[str, Any],
    by_name: Callable[[str], str | None],
    what: str,
    *,
    option: str | None = None,
) -> str:
    """The id ``given`` names among ``known`` (a place's or an actor's, by its id, or
    its name or alias in any case), for ``state``'s filters and ``events`` alike. One
    that names none is a usage error; when it is an id of the other sort (``other``)
    the error says so. A name of this sort is taken, though it is also the other
    sort's id (``--place armenia``: the place named Armenia, not the actor)."""
    if given in known:
        return given
    where = f"{option or '--' + what}: "
    try:
        found = by_name(given)
    except QueryError as exc:  # a name several actors or places share
        raise _CommandError(f"{where}{exc}", Exit.USAGE) from exc
    if found is not None:
        return found
    if given in other:
        wrong = "an actor, not a place" if what == "place" else "a place, not an actor"
        raise _CommandError(f"{where}{given!r} is {wrong}", Exit.USAGE)
    msg = f"{where}unknown {what} {given!r}: no {what} has that id or name"
    raise _CommandError(msg + _names_holding(given, known), Exit.USAGE)


_NAMES_LISTED: Final = 5


def _names_holding(given: str, known: Mapping[str, Any]) -> str:
    """``; names holding it: ...``: the definitions in ``known`` whose name or alias
    holds ``given`` (in any case), shortest name first, up to five with their ids,
    the others counted; empty when none does (or ``given`` is blank)."""
    needle = given.strip().casefold()
    if not needle:
        return ""
    found = sorted(
        (len(d.name), d.name.casefold(), i, d.name)
        for i, d in known.items()
        if any(needle in n.casefold() for n in (d.name, *d.aliases))
    )
    if not found:
        return ""
    listed = [f"{_cell(name)} ({i})" for _n, _f, i, name in found[:_NAMES_LISTED]]
    if len(found) > _NAMES_LISTED:
        listed.append(f"and {len(found) - _NAMES_LISTED} more")
    return "; names holding it: " + ", ".join(listed)


def _flat_row(recorded: Recorded) -> dict[str, Any]:
    """`table_row`, a definition's timeless occurrence (and knowledge time, as the
    importers give a dataset's actors and places: known at any date) left empty."""
    row = table_row(recorded)
    if recorded.record.occurred.is_timeless:  # a definition: no date to speak of
        for column in ("occurred_start", "occurred_end", "occurred_precision", "occurred_tz"):
            row[column] = None
    if recorded.reported.is_timeless:
        row["reported_start"] = row["reported_end"] = None
    return row


def _export_csv(
    timeline: Timeline, args: argparse.Namespace, out: IO[str]
) -> tuple[int, list[str]]:
    """One table per record kind, each with the columns its kind has (`kind_columns`),
    whatever the selected records hold.

    With one kind (``--kind``, or a timeline of one kind) the table goes to ``-o`` or
    standard output; with several, ``-o NAME.csv`` becomes ``NAME.<Kind>.csv`` each.
    The kinds named with ``--kind`` each get their table, rows or none (the same files
    with the same columns every time); without, nothing selected gives one table of
    the columns every record has, and no row. Every file is checked before any is
    written, and none replaces its target unless all were written whole. Returns the
    row count and where it wrote with ``-o`` (the files, or "standard output").
    """
    if args.output is not None and args.output != "-" and _is_folder(args.output):
        msg = f"{args.output}: is a folder; name a file to write (NAME.csv)"
        raise _CommandError(msg, Exit.CANNOT_WRITE)
    by_kind: dict[str, list[dict[str, Any]]] = {kind: [] for kind in args.kind or ()}
    for recorded in _selected(timeline, args):
        by_kind.setdefault(recorded.record.KIND, []).append(_flat_row(recorded))
    if len(by_kind) > 1 and (args.output is None or args.output == "-" or _is_stream(args.output)):
        msg = (
            f"the export has {len(by_kind)} kinds of record ({', '.join(sorted(by_kind))}); "
            "name one with --kind, or give -o NAME.csv to write NAME.<Kind>.csv for each"
        )
        raise _CommandError(msg, Exit.USAGE)
    tables = sorted(by_kind.items()) or [("", [])]
    targets: list[str | None] = []
    for kind, _rows in tables:
        if len(tables) > 1:
            base = Path(args.output)
            targets.append(str(base.with_name(f"{base.stem}.{kind}{base.suffix}")))
        else:
            targets.append(args.output)
    for target in targets:  # an existing file, a missing folder: refused before any write
        if target is not None and target != "-":
            _output_path(target, force=args.force, timeline=args.timeline)
    count = 0
    with contextlib.ExitStack() as files:
        for (kind, rows), target in zip(tables, targets, strict=True):
            fh = files.enter_context(_output(args, out, target))
            # The columns of its kind, the same from one export to the next (a
            # pipeline reads them by name): every cell its records fill is among them.
            columns = list(kind_columns(kind)) if kind else []
            if args.bom:
                fh.write("\ufeff")  # the byte order mark: Excel then reads UTF-8
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(columns or _COLUMNS_OF_EVERY_RECORD)
            for row in rows:
                writer.writerow([csv_cell(row[c], defuse=args.defuse) for c in columns])
                count += 1
    return count, [_written_to(t) for t in targets if t is not None]


_COLUMNS_OF_EVERY_RECORD: Final = ("position", "recorded_at", "id", "kind")


def _is_stream(name: str) -> bool:
    """A pipe or a device (``>(gzip > out.gz)``'s /dev/fd/63, a FIFO): one stream,
    beside which no ``NAME.<Kind>.csv`` can be written."""
    try:
        mode = os.stat(name).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _is_folder(name: str) -> bool:
    """A folder, or a name written as one (``data/``): no file name to write to."""
    return name.endswith(("/", os.sep)) or Path(name).is_dir()


@contextlib.contextmanager
def _output(args: argparse.Namespace, out: IO[str], name: str | None = None) -> Iterator[IO[str]]:
    """Where a command writes: ``name`` (default ``-o``), or standard output."""
    name = args.output if name is None else name
    if name is None or name == "-":
        yield out
        out.flush()
        return
    path = _output_path(name, force=args.force, timeline=args.timeline)
    with _writing(path), replacing(path) as fh:
        yield fh


def _cmd_events(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del err
    if args.limit is not None and args.limit < 0:
        msg = f"--limit must be 0 or more records, got {args.limit}"
        raise _CommandError(msg, Exit.USAGE)
    with _open_timeline(args.timeline) as timeline:
        total, selected = _listed(timeline, args)
        # Headlined while the timeline is open: an end's headline reads its commitment.
        names = Names.of(timeline, known_at=args.known_at, tz=args.tz)
        rows = [
            {
                "position": r.position,
                "kind": r.record.KIND,
                "id": r.id,
                "occurred": str(r.record.occurred),
                "what": headline(r.record, names),
                "sources": sources_text(r.record.sources),
            }
            for r in selected
        ]
    if args.format == "json":
        payload = [
            {"position": r.position, "record": unstructure_record(r.record)} for r in selected
        ]
        out.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n")
    elif args.format == "csv":
        # As the CSV export writes: no cell a spreadsheet runs as a formula, CRLF rows.
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(_EVENT_COLUMNS)
        writer.writerows([csv_cell(row[c]) for c in _EVENT_COLUMNS] for row in rows)
    else:
        header = list(_EVENT_COLUMNS)
        table = [[str(row[c]) for c in header] for row in rows]
        widths = [
            min(_CELL, max([len(h)] + [len(t[i]) for t in table])) for i, h in enumerate(header)
        ]
        out.write("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
        out.write("\n")
        for line in table:
            cells = [_cell(c).ljust(w) for c, w in zip(line, widths, strict=True)]
            out.write("  ".join(cells).rstrip() + "\n")
        more = f" of {total} (--limit {args.limit})" if total > len(rows) else ""
        out.write(f"{len(rows)} record(s){more}\n")
    return 0


_EVENT_COLUMNS: Final = ("position", "kind", "id", "occurred", "what", "sources")


def _cmd_render(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    options: dict[str, Any] = {
        "start": args.start,
        "end": args.end,
        "known_at": args.known_at,
        "title": args.title,
        "tz": args.tz,
        "width": args.width,
        "height": args.height,
        "group_by": args.group_by,
        "detail": args.detail,
    }
    with _open_timeline(args.timeline) as timeline:
        if args.output == "-":  # the page on standard output (``-o /dev/stdout`` too)
            out.write(page_html(timeline, **options))
            err.write("wrote the page to standard output\n")
            return 0
        path = _output_path(args.output, force=args.force, timeline=args.timeline)
        with _writing(path):
            written = render_html(timeline, path, **options)
    out.write(f"wrote {written}\n")
    return 0


def _receipts_and_key(args: argparse.Namespace) -> tuple[list[Receipt], bytes | None]:
    """The receipts of ``--receipt FILE`` (one JSON line each) and ``--public-key``."""
    if not args.receipt:
        if args.public_key:  # a key checks receipts: without one it would check nothing
            msg = "--public-key checks receipts: give them with --receipt FILE"
            raise _CommandError(msg, Exit.USAGE)
        return [], None
    if not args.public_key:
        msg = "--receipt needs --public-key FILE (the Ed25519 key that signed the receipts)"
        raise _CommandError(msg, Exit.USAGE)
    receipts: list[Receipt] = []
    try:
        for name in args.receipt:
            path = _input_file(name)
            receipts += read_receipts(path.read_text("utf-8"), source=str(path))
        key_path = _input_file(args.public_key)
        key = load_public_key(key_path.read_bytes(), source=str(key_path))
    except (SerializationError, UnicodeDecodeError) as exc:
        raise _CommandError(str(exc), Exit.DATA_REFUSED) from None
    return receipts, key


def _cmd_verify(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    receipts, key = _receipts_and_key(args)
    with _open_timeline(args.timeline) as timeline:
        result = timeline.verify(receipts=receipts, public_key=key)
    if result.ok:
        out.write(f"ok: {result.checked} records; the hash chain and index columns match")
        if receipts:
            latest = max(r.position for r in receipts)
            out.write(f"; {len(receipts)} receipt(s) hold, up to position {latest}")
        out.write("\n")
        return 0
    if result.first_bad is None:  # damage that is not one record's (the file's structure)
        err.write(f"{_shown(args.timeline)}: FAILED: {result.reason}\n")
        return Exit.VERIFY_FAILED
    err.write(
        f"{_shown(args.timeline)}: FAILED at position {result.first_bad}: {result.reason} "
        f"({result.checked} records before it check out)\n"
    )
    return Exit.VERIFY_FAILED


def _cmd_checkpoint(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del err
    if args.forget and args.view:  # it drops them all: a --view would be ignored
        views = " ".join(f"--view {view}" for view in args.view)
        msg = (
            f"--forget drops every saved view state, so it takes no --view ({views}); "
            "to keep only some, run --forget and then save those again"
        )
        raise _CommandError(msg, Exit.USAGE)
    with _open_timeline(args.timeline, writable=True) as timeline, _destination_errors():
        if args.forget:
            out.write(
                f"dropped {timeline.forget_checkpoints()} saved view state(s) and answer(s)\n"
            )
            return 0
        started = time.perf_counter()
        try:
            saved = timeline.save_checkpoints(*args.view)
        except KeyboardInterrupt as exc:  # each view's state is saved whole, one by one
            how, status = _interrupted(exc)
            msg = f"{how}: {_saved_so_far(timeline, args.view)}"
            raise _CommandError(msg, status) from None
        head = timeline.head
    for key, size in saved.items():
        out.write(f"saved {key}: {size:,} bytes\n")
    out.write(
        f"{len(saved)} view state(s) saved at position {head:,} "
        f"in {time.perf_counter() - started:.1f} s\n"
    )
    return 0


def _saved_so_far(timeline: Timeline, chosen: Sequence[str]) -> str:
    """What an interrupted ``checkpoint`` left: how many of the views it was saving
    have a state saved at the head (each is used by later commands)."""
    names = list(chosen) or view_names()
    try:
        store, head = timeline.store, timeline.head
        if not isinstance(store, StateKeeper):
            return "no view state was saved"
        done = 0
        for name in dict.fromkeys(names):
            key = view_key(get_view(name))
            found = None if key is None else store.load_state(key)
            done += found is not None and found.head == head
    except (StoreError, KeyboardInterrupt):  # it cannot be asked: still say what to do
        return "some view states may be saved; run checkpoint again to save them all"
    return (
        f"{done} of {len(dict.fromkeys(names))} view state(s) are saved at position "
        f"{head:,}, and later commands use them; run checkpoint again to save the others"
    )


@contextlib.contextmanager
def _destination_errors() -> Iterator[None]:
    """A store that cannot be written (the copy's destination, a read-only timeline
    given to ``checkpoint``) is an output that cannot be written (5); damage stays 6."""
    try:
        yield
    except DamagedStoreError:
        raise
    except StoreError as exc:
        raise _CommandError(str(exc), Exit.CANNOT_WRITE) from None


def _same_database_timeline(one: str, other: str) -> bool:
    """Do two PostgreSQL URLs, however spelled (``postgres://`` or ``postgresql://``,
    in any case, as the backend registry reads a scheme; other query parameters),
    name the same timeline of the same database?"""
    schemes = ("postgres://", "postgresql://")
    if not (one.lower().startswith(schemes) and other.lower().startswith(schemes)):
        return False
    try:
        from psycopg.conninfo import conninfo_to_dict  # noqa: PLC0415 - the extra's

        from .stores.postgres import parse_url  # noqa: PLC0415 - the extra's
    except ImportError:
        return False  # opening either says which extra to install

    def where(url: str) -> tuple[object, ...]:
        conninfo, timeline = parse_url(url)
        found = conninfo_to_dict(conninfo)
        return (
            found.get("host") or found.get("hostaddr") or "",
            str(found.get("port") or "5432"),
            found.get("dbname") or found.get("user") or "",
            timeline,
        )

    try:
        return where(one) == where(other)
    except Exception:  # a URL that does not parse: opening it says why
        return False


def _cmd_copy(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    if args.batch < 1:
        raise _CommandError(f"--batch must be at least 1, got {args.batch}", Exit.USAGE)
    _file_of(args.source, Exit.CANNOT_READ)  # ``-`` is refused before the destination's
    target = _file_of(args.destination, Exit.CANNOT_WRITE)
    found = None if target is None else _stat(target, Exit.CANNOT_WRITE)
    if (
        args.destination == args.source
        or (found is not None and _same_file(found, args.source))
        or _same_database_timeline(args.source, args.destination)
    ):
        shown = _shown(args.destination)
        msg = f"{shown}: is the timeline {_shown(args.source)} itself; name another"
        raise _CommandError(msg, Exit.USAGE)
    clock = SettableClock()
    with contextlib.ExitStack() as stack:
        source = _source_store(args.source)
        stack.callback(source.close)
        with _destination_errors():
            destination = _open_store(args.destination, create=True, clock=clock)
            stack.callback(destination.close)
            total = source.head()
            show = args.progress or (args.progress is None and total >= _PROGRESS_RECORDS)
            bar = _Bar("copying", total, err, fmt=lambda n: f"{n:,} records") if show else None
            try:
                result = copy_timeline(
                    source,
                    destination,
                    clock,
                    batch=args.batch,
                    progress=bar,
                    source_name=_shown(args.source),
                    destination_name=_shown(args.destination),
                )
            except KeyboardInterrupt as exc:
                how, status = _interrupted(exc)
                try:
                    held = f"the first {destination.head():,} of the {total:,} records"
                except (StoreError, KeyboardInterrupt):  # it cannot be asked: still say
                    held = f"some of the {total:,} records"
                msg = (
                    f"{how}: {_shown(args.destination)} holds {held}, whole batches; run "
                    "the same copy again to go on from there"
                )
                raise _CommandError(msg, status) from None
    resumed = f" ({result.already} were there from an earlier copy)" if result.already else ""
    out.write(
        f"copied {result.copied} records{resumed}; verified: {result.head} records, "
        f"chain hash at the head {result.head_hash}\n"
    )
    return 0


# ----------------------------------------------------------------- JSON output


def _interrupted(exc: KeyboardInterrupt) -> tuple[str, Exit]:
    """How a command was stopped (Ctrl-C or SIGTERM), and its exit status."""
    if isinstance(exc, _Terminated):
        return "terminated (SIGTERM)", Exit.TERMINATED
    return "interrupted", Exit.INTERRUPTED


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Record):
        return unstructure_record(value)
    if isinstance(value, TimeExtent):
        return {
            "earliest": value.earliest.isoformat(),
            "latest": value.latest.isoformat(),
            "precision": value.precision.value,
            "tz": value.tz,
            "text": str(value),
        }
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, Query):
        return {
            "at": _instant(value.at),
            "known_at": _instant(value.known_at),
            "as_of": value.as_of,
            "certainty": value.certainty,
            "tz": value.tz,
            "description": value.describe(),
        }
    if isinstance(value, Listing):
        return {"query": _jsonable(value.query), "items": [_jsonable(i) for i in value]}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if attrs.has(type(value)):
        return {
            f.name: _jsonable(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if not f.name.startswith("_")
        }
    return str(value)


def _instant(us: int | None) -> str | None:
    return None if us is None else from_epoch_us(us).isoformat()


# ---------------------------------------------------------------- table output


# Control characters other than white space (ESC, DEL, the C1 codes) shown as their
# escapes: a table cell is printed to a terminal, and a record's text (an actor's name,
# a source's title) must not move the cursor, recolour or rewrite the lines shown.
_SHOWN_ESCAPED: Final = {
    code: f"\\x{code:02x}"
    for code in (*range(0x20), *range(0x7F, 0xA0))
    if not chr(code).isspace()
}


def _cell(text: str) -> str:
    """A table cell: white space runs as one space, control characters escaped, cut
    to `_CELL` characters."""
    flat = " ".join(text.split()).translate(_SHOWN_ESCAPED)
    return flat if len(flat) <= _CELL else flat[: _CELL - 1] + "\u2026"


_NO_AT: Final = {
    "active-commitments": "commitments",
    "triggered-commitments": "conditional commitments",
}
"""The views whose answer with no ``--at`` is easily misread, and what they list."""


def _no_at_note(view: str, query: object) -> list[str]:
    """The line a table prints under its title when it lists active commitments with
    no ``--at``: asked after every date, every commitment with an end has ended."""
    what = _NO_AT.get(view)
    if what is None or not isinstance(query, Query) or query.at is not None:
        return []
    note = (
        f"(no --at: active at the end of what is recorded, so only {what} with no end "
        "date and no recorded end; pass --at DATE to ask about a date)"
    )
    return [note]


_NO_ESTIMATES: Final = (
    "(casualty-estimates lists the figures of CasualtyReport records only; the "
    "fatalities of an imported attack (UCDP GED's best, low and high, ACLED's "
    "fatalities) are on the Attack record: export --format csv --kind Attack gives "
    "them in the fatalities_low, fatalities_best and fatalities_high columns)"
)
"""The line under an empty ``casualty-estimates`` table: a GED or ACLED import's
fatalities are on its attacks, which this view does not read."""


def _empty_note(view: str, rows: Sequence[object]) -> list[str]:
    """The line a table prints under its title when its empty answer is easily
    misread: ``casualty-estimates`` with no entries says where fatalities are."""
    return [_NO_ESTIMATES] if view == "casualty-estimates" and not rows else []


def _takes_names(result: object) -> TypeGuard[Listing[Any]]:
    """Does ``result.table`` take names? A `Listing`'s does, unless a user's subclass
    overrides it as ``table(self)`` (`takes_names`): that one is asked without them."""
    return isinstance(result, Listing) and takes_names(type(result).table)


def _listed_columns(view: object, result: object) -> tuple[str, ...]:
    """The columns of an empty listing: the ``table_columns`` of the entry its view's
    ``result`` says it lists (``-> Listing[ActiveCommitment]``), as a listing with
    entries heads its table; () for a view that names none (a plugin's view
    unannotated, or listing entries of no fixed columns) and for a result that is no
    plain `Listing` (a subclass's own ``table`` may head it otherwise)."""
    if not isinstance(result, Listing) or type(result).table is not Listing.table:
        return ()
    try:
        listed = get_type_hints(getattr(view, "result", None)).get("return")
    except (NameError, TypeError, AttributeError):  # unannotated, or names it cannot find
        return ()
    origin, entries = get_origin(listed), get_args(listed)
    if not (isinstance(origin, type) and issubclass(origin, Listing) and len(entries) == 1):
        return ()
    columns = getattr(entries[0], "table_columns", ())
    return tuple(str(c) for c in columns) if isinstance(columns, tuple) else ()


def _table_cells(view: str, result: Any, names: Names | None) -> tuple[list[str], list[list[str]]]:
    """The headings and the rows of text of a view's ``table()`` (names shown where
    ``names`` is given and the result takes them); a result with no table, or a
    table whose row has too few or too many cells, is a usage error."""
    if not isinstance(result, Tabular):
        msg = (
            f"the view {view!r} gives a {type(result).__name__}, which has no table(); "
            "use --format json"
        )
        raise _CommandError(msg, Exit.USAGE)
    table = result.table(names) if _takes_names(result) else result.table()
    headers, rows = [str(h) for h in table.columns], table.rows
    for number, row in enumerate(rows, 1):
        if len(row) != len(headers):
            msg = (
                f"the view {view!r} gives a table whose row {number} has {len(row)} cells "
                f"for {len(headers)} columns"
            )
            raise _CommandError(msg, Exit.USAGE)
    # A cell is text; a third-party table's number or None is text too.
    return headers, [["" if c is None else str(c) for c in row] for row in rows]


def _table(
    view: str, result: Any, names: Names | None = None, filters: Mapping[str, Any] | None = None
) -> str:
    headers, rows = _table_cells(view, result, names)
    query = getattr(result, "query", None)
    cuts = query.describe() if isinstance(query, Query) else "everything recorded"
    cells = [[_cell(c) for c in row] for row in rows]
    if filters:
        cuts = f"{cuts}; filtered by {_filters_text(filters)}"
    lines = [
        f"{view}: {cuts}: {_many(len(rows), 'entry')}",
        *_no_at_note(view, query),
        *_empty_note(view, rows),
    ]
    if rows:
        lines += _aligned(headers, cells)
    return "\n".join(lines) + "\n"


def _aligned(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A table's lines: its headings, a rule, and its rows, each column as wide as its
    widest cell, no line ending in spaces. A row may have more cells than there are
    headings (``diff``'s entries that give no headings): its columns are aligned too."""
    count = max([len(headers), *(len(row) for row in rows)])
    widths = [
        max([len(headers[i]) if i < len(headers) else 0, *(len(r[i]) for r in rows if i < len(r))])
        for i in range(count)
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(row) for row in rows)]


# ------------------------------------------------------------------ the parser


def _sub(sub: Any, name: str, help_text: str, examples: Sequence[str]) -> argparse.ArgumentParser:
    """A subcommand whose help ends with example lines."""
    epilog = "example:\n" + "\n".join(f"  {PROG} {line}" for line in examples)
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=help_text,
        description=help_text[0].upper() + help_text[1:] + ".",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _view_help() -> str:
    lines = []
    for name in view_names():
        view = get_view(name)
        doc = (view.__doc__ or "").strip().splitlines()
        # A docstring's ``at`` is the query's cut, which the command takes as --at.
        first = doc[0].rstrip(".").replace("``at``", "the --at date") if doc else name
        lines.append(f"{name}: {first.replace('``', '')}")
    return "the view to compute; one of: " + "; ".join(lines)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors are one line on standard error as every
    other failure is (argparse prints its usage first, over several lines), naming
    where to read the usage. Its subcommands' parsers are of this class too."""

    def error(self, message: str) -> NoReturn:
        self.exit(Exit.USAGE, f"{PROG}: error: {message} (see {self.prog} --help)\n")


_CERTAIN_HELP = (
    "replay only the records that certainly occurred by --at and were certainly reported by"
    " the knowledge cut (an extent's last instant, not its first): one that only possibly"
    " did is left out, an end too, so an answer can hold more, not only fewer"
)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Import, query, export, draw, verify and copy a conflict timeline (an "
        "SQLite file or a PostgreSQL URL).",
        epilog="example:\n  " + f"{PROG} import ucdp ged.csv --into TL.db",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _sub(
        sub,
        "import",
        "import a dataset file (ACLED, UCDP GED, ceasefire datasets...) or JSON Lines",
        ["import ucdp ged.csv --into TL.db --skip-bad-rows"],
    )
    p.description = (
        "Importers: "
        + "; ".join(f"{n}: {get_importer(n).description}" for n in importer_names())
        + "; jsonl: records exported by this library."
    )
    p.add_argument(
        "importer",
        choices=(*importer_names(), "jsonl"),
        help="the dataset the file comes from (ucdp for UCDP GED; see above)",
    )
    p.add_argument(
        "file",
        help=(
            "the file to import: CSV, JSON, an Excel workbook or a Stata .dta file, "
            "also zipped or compressed (.gz, .bz2, .xz)"
        ),
    )
    p.add_argument("--into", required=True, metavar="TL.db", help="the timeline file")
    _importer_options(p)
    p.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the good rows and list the refused ones, instead of stopping at the "
        "first bad row",
    )
    _progress(p, "show progress on standard error (default: for files of 4 MB or more)")
    p.add_argument(
        "--allow-unresolved",
        action="store_true",
        help="jsonl: admit records whose references do not resolve yet (a later record "
        "may define them)",
    )
    p.set_defaults(run=_cmd_import)

    p = _sub(
        sub,
        "state",
        "a view (built-in, or a plugin's) at a date, as known at a date",
        ["state TL.db --view active-commitments --at 2020-10-31 --known-at 2020-10-30"],
    )
    p.add_argument("timeline", metavar="TL.db")
    p.add_argument("--view", required=True, choices=view_names(), help=_view_help())
    _cuts(p)
    p.add_argument("--as-of", type=int, metavar="POSITION", help="only records up to here")
    p.add_argument("--certain", action="store_true", help=_CERTAIN_HELP)
    p.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table (names shown), json or csv (ids kept, the table's columns)",
    )
    for name, what in _FILTERS.items():
        p.add_argument(f"--{name}", action="append", metavar=_FILTER_TAKES[name], help=what)
    p.add_argument(
        "--between",
        nargs=2,
        metavar=("START", "END"),
        help="only entries whose evidence possibly occurred in this span (dates as --at)",
    )
    p.set_defaults(run=_cmd_state)

    p = _sub(
        sub,
        "diff",
        "what entered, left or changed in a view as knowledge grew between two dates",
        ["diff TL.db --view reported-violations --known-from 2020-10-24 --known-to 2020-10-31"],
    )
    _diff_arguments(p)

    p = _sub(
        sub,
        "events",
        "list the records as known, filtered by kind, time, place and actor",
        ["events TL.db --kind Attack --between 2013-01-01 2013-01-31 --place Syria"],
    )
    p.add_argument("timeline", metavar="TL.db")
    _filters(p)
    _place_and_actor(p)
    p.add_argument("--limit", type=int, help="at most this many records (0 or more)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(run=_cmd_events, hide_definitions=True)

    p = _sub(
        sub,
        "export",
        "export as JSON Lines (the log), TimelineJS 3 JSON, CSV (one table per kind) or "
        "Parquet (one typed table; needs pyarrow)",
        [
            "export TL.db --format csv --kind Attack --known-at 2020-10-31 -o attacks.csv",
            "export TL.db --format parquet --known-at 2020-10-31 -o timeline.parquet",
        ],
    )
    p.add_argument("timeline", metavar="TL.db")
    p.add_argument("--format", choices=("jsonl", "timelinejs", "csv", "parquet"), required=True)
    p.add_argument("-o", "--output", help="the file to write (default: standard output)")
    _force(p)
    # No default zone given: --format jsonl refuses a --tz it would ignore.
    _filters(p, tz=None)
    _place_and_actor(p, "csv and parquet: ")
    p.add_argument("--title", help="the TimelineJS title (default Timeline)")
    _csv_options(p)
    p.set_defaults(run=_cmd_export, hide_definitions=False)

    _render_parser(sub)

    p = _sub(
        sub,
        "verify",
        "check the hash chain and the stored columns",
        ["verify TL.db", "verify TL.db --receipt receipts.jsonl --public-key team.pub"],
    )
    p.add_argument("timeline", metavar="TL.db")
    p.add_argument(
        "--receipt",
        action="append",
        default=[],
        metavar="FILE",
        help="also prove the timeline holds the history these receipts signed (a file "
        "of Receipt JSON lines; may be given again)",
    )
    p.add_argument(
        "--public-key",
        metavar="FILE",
        help="the Ed25519 public key that signed the receipts (PEM, or 64 hex digits)",
    )
    p.set_defaults(run=_cmd_verify)

    _checkpoint_parser(sub)

    _add_copy(sub)
    return parser


def _csv_options(p: argparse.ArgumentParser) -> None:
    """``export``'s options for spreadsheets: a byte order mark, the apostrophe."""
    p.add_argument(
        "--bom",
        action="store_true",
        help="csv: begin each file with a UTF-8 byte order mark, so that Excel reads "
        "Arabic, Cyrillic and accented names as written",
    )
    p.add_argument(
        "--no-defuse",
        dest="defuse",
        action="store_false",
        help="csv: write text that begins with =, +, -, @, a tab or a carriage return as "
        "it is, without the leading apostrophe that keeps a spreadsheet from running it "
        "as a formula (for a file code reads and no spreadsheet opens)",
    )


def _checkpoint_parser(sub: Any) -> None:
    p = _sub(
        sub,
        "checkpoint",
        "save the views' folded states in the timeline, so later questions start there",
        [
            "checkpoint TL.db",
            "checkpoint TL.db --view triggered-commitments",
            "checkpoint TL.db --forget",
        ],
    )
    p.description = (
        "Fold each view to the head and keep its state in the timeline: a later open "
        "(any command, or Timeline.open) starts the view from it and takes in only what "
        "was appended since. Without --view: every registered view."
    )
    p.add_argument("timeline", metavar="TL.db")
    p.add_argument(
        "--view",
        action="append",
        default=[],
        choices=view_names(),
        help="a view to save (may be given again)",
    )
    p.add_argument(
        "--forget",
        action="store_true",
        help="drop every saved view state instead (it takes no --view)",
    )
    p.set_defaults(run=_cmd_checkpoint)


def _render_parser(sub: Any) -> None:
    p = _sub(
        sub,
        "render",
        "draw the timeline as a self-contained HTML file",
        ["render TL.db -o timeline.html --group-by country"],
    )
    p.add_argument("timeline", metavar="TL.db")
    p.add_argument("-o", "--output", required=True, help="the HTML file to write")
    _force(p)
    p.add_argument("--start", help="the first date shown")
    p.add_argument("--end", help="the last date shown")
    p.add_argument("--known-at", help="draw what was known then")
    p.add_argument("--title", help="the page's heading")
    p.add_argument("--tz", default="UTC", help="the timezone of the dates and the axis")
    p.add_argument(
        "--width",
        type=_width,
        default=1280,
        help=f"the chart's width in pixels (at least {MIN_WIDTH})",
    )
    p.add_argument(
        "--height",
        type=_height,
        default=900,
        help=f"the page height the overview fits in, in pixels (at least {MIN_HEIGHT})",
    )
    p.add_argument(
        "--group-by",
        choices=("actor", "country", "conflict"),
        default="actor",
        help="how the overview groups attacks into lanes",
    )
    picture = p.add_mutually_exclusive_group()
    picture.add_argument(
        "--detail",
        dest="detail",
        action="store_true",
        default=None,
        help="draw every mark (default: when at most 300 are in the window)",
    )
    picture.add_argument(
        "--overview", dest="detail", action="store_false", help="draw counts per lane"
    )
    p.set_defaults(run=_cmd_render)


def _filters(p: argparse.ArgumentParser, *, tz: str | None = "UTC") -> None:
    p.add_argument(
        "--kind",
        action="append",
        # Corrections and retractions are applied to the records they name, never
        # listed among them (the JSON Lines export is the log with them).
        choices=sorted(set(KIND_BY_NAME) - {"Correction", "Retraction"}),
        help="only records of this kind (repeat for several); corrections and "
        "retractions are applied to what they name, not listed",
    )
    p.add_argument(
        "--between",
        nargs=2,
        metavar=("START", "END"),
        help="only records whose time overlaps START .. the end of END",
    )
    p.add_argument("--known-at", help="as known then: later reports, corrections left out")
    p.add_argument("--tz", default=tz, help="the timezone dates are read in (default UTC)")


def _place_and_actor(p: argparse.ArgumentParser, formats: str = "") -> None:
    """``events``' and ``export``'s ``--place`` and ``--actor``."""
    p.add_argument(
        "--place", help=f"{formats}only records at this place or inside it (id or name)"
    )
    p.add_argument("--actor", help=f"{formats}only records that refer to this actor (id or name)")


def _add_copy(sub: Any) -> None:
    p = _sub(
        sub,
        "copy",
        "copy a timeline to another file or database, keeping its hash chain "
        "(resumes an interrupted copy)",
        ["copy TL.db postgresql://me@db.example:5432/team?timeline=karabakh"],
    )
    p.add_argument("source", metavar="SRC", help="the timeline to copy (a file or a URL)")
    p.add_argument(
        "destination", metavar="DST", help="where to copy it: new, or an interrupted copy"
    )
    p.add_argument(
        "--batch", type=int, default=BATCH, help=f"records per transaction (default {BATCH})"
    )
    _progress(p, f"show progress on standard error (default: from {_PROGRESS_RECORDS:,} records)")
    p.set_defaults(run=_cmd_copy)


def _importer_options(p: argparse.ArgumentParser) -> None:
    """The ``import`` command's flags passed to the importer as its options."""
    p.add_argument(
        "--source-name",
        type=_source_name,
        help="the publisher named on ACLED sources (default ACLED)",
    )
    p.add_argument(
        "--encoding",
        type=_encoding,
        help="the file's encoding, e.g. cp1252 for a file Excel saved on Windows "
        "(default UTF-8; never guessed)",
    )
    p.add_argument(
        "--keep-unheld",
        action="store_true",
        help="acled-deletions: keep a deletion of an event the timeline does not hold yet, "
        "as a retraction waiting for the export that brings it (default: skip it, counted "
        "as 'event not held'; then import the deletions list after the exports)",
    )
    p.add_argument(
        "--date-order",
        choices=("day-first", "month-first"),
        help="acled, acled-deletions, ucdp, ucdp-peace-agreements, pax: the order of day "
        "and month in the file's numeric dates (09/05/2020), when you know it; a date that "
        "cannot be read so is refused (default: the file's rows settle it, e.g. a "
        "13/05/2020 proves day first, and a date they leave ambiguous is refused)",
    )
    p.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=_today,
        help="eth-prio, ucdp-peace-agreements, pax, ucdp: the date taken as today; a year "
        "after it is kept on its row, flagged, and extends no coverage (ucdp: a source date "
        "after it dates no source, flagged) (default: the clock's today, UTC)",
    )


def _encoding(text: str) -> str:
    """``--encoding``: a text encoding Python knows, as given (the importer reads the
    file in it); another is a usage error naming the flag, not a file refused."""
    try:
        text_codec(text)
    except ImportDataError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _source_name(text: str) -> str:
    """``--source-name``: a publisher's name; an empty one (an unset shell variable)
    is a usage error naming the flag, not ACLED put in its place without a word."""
    if not text.strip():
        msg = f"{text!r} names no publisher (leave the flag out to name ACLED)"
        raise argparse.ArgumentTypeError(msg)
    return text


def _today(text: str) -> str:
    """``--today``: a date as YYYY-MM-DD, as given; another is a usage error naming
    the flag, not a file refused."""
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        msg = f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2031-06-01"
        raise argparse.ArgumentTypeError(msg) from None
    return text


def _progress(p: argparse.ArgumentParser, text: str) -> None:
    progress = p.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress", dest="progress", action="store_true", default=None, help=text
    )
    progress.add_argument("--no-progress", dest="progress", action="store_false")


def _force(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="replace the output file if it exists")


def _pixels(text: str, least: int, too_small: str) -> int:
    """A chart size in whole pixels, at least ``least`` (``too_small`` says what it is
    then: "too narrow: the chart", "too short: the overview")."""
    try:
        value = int(text)
    except ValueError:
        msg = f"not a whole number of pixels: {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if value < least:
        msg = f"{value} is {too_small} needs at least {least} pixels"
        raise argparse.ArgumentTypeError(msg)
    return value


def _width(text: str) -> int:
    return _pixels(text, MIN_WIDTH, "too narrow: the chart")


def _height(text: str) -> int:
    return _pixels(text, MIN_HEIGHT, "too short: the overview")


def _diff_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("timeline", metavar="TL.db")
    p.add_argument("--view", required=True, choices=view_names(), help=_view_help())
    p.add_argument("--known-from", required=True, metavar="DATE", help="the earlier knowledge cut")
    p.add_argument("--known-to", required=True, metavar="DATE", help="the later knowledge cut")
    p.add_argument("--at", metavar="DATE", help="valid time (default: everything that happened)")
    p.add_argument("--tz", default="UTC", help="the zone dates are read in (default UTC)")
    p.add_argument("--certain", action="store_true", help=_CERTAIN_HELP)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=_cmd_diff)


def _cuts(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--at",
        help=(
            "valid time: a date (its end) or a timestamp (default: no cut, as after every "
            "date: active-commitments then lists only commitments with no end date)"
        ),
    )
    p.add_argument(
        "--known-at",
        help="knowledge time: what had been reported by then (default: everything recorded)",
    )
    p.add_argument("--tz", default="UTC", help="the timezone dates are read in (default UTC)")


_TIME_OPTIONS: Final = ("at", "known_at", "known_from", "known_to", "start", "end")


def _check_times(args: argparse.Namespace) -> None:
    """Read every date option before the command runs, so that one that cannot be
    read is refused naming the option as typed (``--known-at``), not the library's
    argument (``known_at``)."""
    tz = getattr(args, "tz", None) or "UTC"
    if hasattr(args, "tz"):  # a zone that is not one: named as --tz, whatever it is for
        to_cut("2000", tz=tz, name="--tz")
    for name in _TIME_OPTIONS:
        value = getattr(args, name, None)
        if isinstance(value, str):
            edge: Literal["start", "end"] = "start" if name == "start" else "end"
            to_cut(value, tz=tz, name=f"--{name.replace('_', '-')}", edge=edge)


def _command_parser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    """The parser of ``command``, whose usage errors name its own ``--help``."""
    for action in parser._actions:  # argparse keeps its subparsers among its actions
        if isinstance(action, argparse._SubParsersAction):
            found: argparse.ArgumentParser = action.choices[command]
            return found
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the table above)."""
    parser = _parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # refused by the command's parser: its --help lists what it takes
        _command_parser(parser, args.command).error(f"unrecognized arguments: {' '.join(unknown)}")
    if getattr(args, "output", None) == "/dev/stdout":  # no file to write beside: "-"
        args.output = "-"
    # A file name that is not UTF-8 (bytes the shell passed, decoded by Python as lone
    # surrogates) is written back as the bytes it is, as standard error shows it escaped.
    out = _Stdout(
        sys.stdout.buffer,
        encoding="utf-8",
        errors="surrogateescape",
        newline="",
        write_through=True,
    )
    err = sys.stderr
    try:
        try:
            _check_times(args)
            with _sigterm_as_interrupt(), _warnings_as_lines(err):
                status = int(args.run(args, out, err))
        finally:
            out.flush()
    except BaseException as exc:  # every failure becomes one line (or is re-raised)
        status, message = _failure(exc)
        if isinstance(exc, _StdoutError):
            _silence(sys.stdout)
        try:
            err.write(f"{PROG}: error: {message}\n")
            err.flush()
        except OSError:  # standard error is the closed pipe too (``2>&1 | head``): quietly
            _silence(sys.stderr)
    finally:
        with contextlib.suppress(OSError, _StdoutError):
            out.detach()
    return status


@contextlib.contextmanager
def _warnings_as_lines(err: IO[str]) -> Iterator[None]:
    """The library's warnings (a saved view state not used, saved with another key;
    a record with no dated source) shown as one line each, ``conflict-timeline:
    warning: ...``, not as Python shows a warning: the library's file and line,
    then that line of its source. Other warnings are shown as Python shows them."""
    with warnings.catch_warnings():
        python_shows = warnings.showwarning

        def show(  # noqa: PLR0917 -- warnings.showwarning's signature
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: TextIO | None = None,
            line: str | None = None,
        ) -> None:
            if not issubclass(category, CheckpointWarning | UnsourcedRecordWarning):
                python_shows(message, category, filename, lineno, file, line)
                return
            with contextlib.suppress(OSError):  # a closed standard error: quietly
                err.write(f"{PROG}: warning: {message}\n")

        warnings.showwarning = show
        yield


_STATUS_OF: Final[tuple[tuple[type[ConflictTimelineError], Exit], ...]] = (
    (DamagedStoreError, Exit.DAMAGED),
    (StoreError, Exit.CANNOT_READ),  # a store to write is mapped to 5 where it is opened
    (MissingExtraError, Exit.MISSING_EXTRA),
    (QueryError, Exit.USAGE),
    (InvalidTimeError, Exit.USAGE),
    (RecordNotFoundError, Exit.USAGE),
    (ConcurrencyError, Exit.CANNOT_WRITE),
    *((error, Exit.DATA_REFUSED) for error in _DATA_ERRORS),
)
"""The exit status of each of the library's errors that reaches `main` (the first
match counts). Exit status 1 is only ``verify``'s: no error maps to it."""


def _failure(exc: BaseException) -> tuple[int, str]:
    """The exit status and the one-line message for a command that failed."""
    if isinstance(exc, _CommandError):
        return exc.status, _in_cli_terms(str(exc))
    if isinstance(exc, _StdoutError):
        if isinstance(exc.cause, BrokenPipeError):
            return Exit.BROKEN_PIPE, "standard output was closed before everything was written"
        return Exit.CANNOT_WRITE, f"cannot write to standard output: {_reason(exc.cause)}"
    if isinstance(exc, BrokenPipeError):  # standard output's are _StdoutError: standard error
        return Exit.BROKEN_PIPE, "standard error was closed before everything was written"
    if isinstance(exc, KeyboardInterrupt):
        how, status = _interrupted(exc)
        return status, how
    if isinstance(exc, SystemExit | GeneratorExit) or not isinstance(exc, Exception):
        raise exc
    for error, status in _STATUS_OF:
        if isinstance(exc, error):
            text = _in_cli_terms(str(exc))
            return status, _as_typed(text) if status is Exit.USAGE else text
    raise exc


_LIBRARY_ADVICE: Final = (
    # A kind TimelineJS never shows, asked for with --kind.
    ("to_timelinejs: kinds:", "--kind:"),
    # An unknown scheme's: a file with a colon in its name, as the command takes it.
    (
        "can be given as a pathlib.Path or as 'sqlite:NAME'",
        "can be given as sqlite:NAME or ./NAME",
    ),
    # A read-only file's: the command reads such a file read-only itself, so the advice
    # reaches it only from a command that writes (import, checkpoint, copy's destination).
    (
        (
            "SQLite writes beside the file (its write-ahead log) even to read it, so open "
            "it with read_only=True (which reads it as it stands), or copy the file to a "
            "writable folder"
        ),
        "this command writes to it: copy the file to a writable folder",
    ),
)
"""The library's advice that names its own arguments, and the command line's."""


def _in_cli_terms(message: str) -> str:
    """A failure's message with the library's advice said as the command takes it."""
    for library, typed in _LIBRARY_ADVICE:
        message = message.replace(library, typed)
    return message


# The library's keyword names, as a question's error names them, and the options that
# give them on the command line: a message names the option as typed.
_KEYWORDS: Final = re.compile(r"\b(as_of|known_at|known_from|known_to|group_by)\b")
_LEADING: Final = re.compile(r"^(between|basis|tz|at|accused|accuser|place|commitment):")
_GIVEN: Final = re.compile(r"\b(start|end|width|height)=(?=(\S)?)")


def _as_typed(message: str) -> str:
    """A usage error's message with the library's keyword names (``as_of``,
    ``between:``, ``start='2015'``) written as the options that give them (``--as-of``,
    ``--between:``, ``--start '2015'``)."""
    message = _LEADING.sub(lambda m: f"--{m.group(1)}:", message)
    message = _KEYWORDS.sub(lambda m: "--" + m.group(1).replace("_", "-"), message)
    # ``start='2015'`` as ``--start '2015'``; ``give start= and end=`` (no value) as
    # ``give --start and --end``.
    return _GIVEN.sub(lambda m: f"--{m.group(1)}" + (" " if m.group(2) else ""), message)


def _silence(stream: IO[str]) -> None:
    """Point standard output (or error) at /dev/null, so the interpreter's last flush
    of what is still buffered does not fail again on the closed pipe or full disk."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


if __name__ == "__main__":  # pragma: no cover - the console script calls main()
    sys.exit(main())
