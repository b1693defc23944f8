"""The ``conflict-timeline`` command: import, query, export, draw and verify a timeline.

A timeline is one SQLite file (``TL.db``) or, with the ``postgres`` extra, a
PostgreSQL URL (``postgresql://user@host:5432/db?timeline=name``) wherever a file is
taken::

    conflict-timeline import acled export.csv --into TL.db
    conflict-timeline import ucdp ged.csv --into TL.db --skip-bad-rows
    conflict-timeline state TL.db --view active-commitments --at 2020-10-31
    conflict-timeline export TL.db --format timelinejs -o timeline.json
    conflict-timeline render TL.db -o timeline.html --start 2020-09-20 --end 2020-11-07
    conflict-timeline verify TL.db
    conflict-timeline copy TL.db postgresql://me@db.example:5432/team?timeline=karabakh

Exit status: 0 on success, 1 when the command failed (a bad input file, a broken
hash chain, a missing file), 2 for a usage error. Errors go to standard error as
one line, naming the file, line and field where there is one.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import enum
import io
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Final

import attrs
import orjson

from ._copy import BATCH, SettableClock, copy_timeline
from ._export import export_jsonl, write_csv, write_timelinejs
from ._records import Record
from ._render import render_html
from ._serialization import read_jsonl, unstructure_record
from ._time import TimeExtent, from_epoch_us
from ._timeline import Timeline
from .errors import ConflictTimelineError, ImportDataError
from .importers import ImportSummary
from .stores import open_store
from .views import Listing, Query, Tabular, get_view, view_names

__all__ = ["main"]

PROG: Final = "conflict-timeline"
_PROGRESS_BYTES: Final = 4 * 1024 * 1024  # files at least this big show progress
_PROGRESS_RECORDS: Final = 50_000  # copies at least this long show progress
_MAX_REFUSALS_SHOWN: Final = 20
_CELL: Final = 48


class _CommandError(Exception):
    """A command failed in a way already explained; carries the exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


# ------------------------------------------------------------------- progress


class _Counting(io.RawIOBase):
    """A binary file that reports how far it has been read."""

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

    def __call__(self, done: int) -> None:
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


# ------------------------------------------------------------------- commands


def _open(target: str, *, create: bool = False) -> Timeline:
    return Timeline.open(target, create=create)


def _cmd_import(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    path = Path(args.file)
    if not path.is_file():
        msg = f"{path}: no such file"
        raise _CommandError(msg)
    strict = not args.skip_bad_rows
    with _open(args.into, create=True) as timeline:
        before = timeline.head
        if args.kind == "jsonl":
            count = len(timeline.extend(read_jsonl(path)))
            added = timeline.head - before
            out.write(f"{path.name}: {count} records, {added} appended to {args.into}\n")
            return 0
        try:
            with _reading(path, progress=args.progress, err=err) as source:
                if args.kind == "acled":
                    summary = timeline.import_acled(
                        source, source_name=args.source_name, strict=strict
                    )
                elif args.kind == "acled-deletions":
                    summary = timeline.import_acled_deletions(
                        source, source_name=args.source_name, strict=strict
                    )
                else:
                    summary = timeline.import_ucdp(source, strict=strict)
        except ImportDataError as exc:
            hint = (
                "nothing was imported; fix the file, or pass --skip-bad-rows to import "
                "the other rows and list the refused ones"
            )
            raise _CommandError(f"{exc}\n{PROG}: {hint}") from None
    _report_import(summary, args.into, out, err)
    return 0


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
    out.write(f"{summary}; {summary.appended} records appended to {into} ({where})\n")


def _cmd_state(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del err
    view = get_view(args.view)
    with _open(args.timeline) as timeline:
        result = timeline.state(
            view,
            at=args.at,
            known_at=args.known_at,
            as_of=args.as_of,
            certainty="certain" if args.certain else "possible",
            tz=args.tz,
        )
    if args.format == "json":
        payload = {"view": args.view, **_jsonable(result)}
        out.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n")
    else:
        out.write(_table(args.view, result))
    return 0


def _cmd_export(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    with _open(args.timeline) as timeline, _output(args.output, out) as target:
        if args.format == "jsonl":
            count = export_jsonl(timeline, target)
        elif args.format == "csv":
            count = write_csv(timeline, target, known_at=args.known_at, tz=args.tz)
        else:
            count = write_timelinejs(
                timeline, target, known_at=args.known_at, title=args.title, tz=args.tz
            )
    if args.output:
        err.write(
            f"wrote {count} {'events' if args.format == 'timelinejs' else 'rows'} "
            f"to {args.output}\n"
        )
    return 0


@contextlib.contextmanager
def _output(path: str | None, out: IO[str]) -> Iterator[IO[str]]:
    if path is None or path == "-":
        yield out
        out.flush()
        return
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        yield fh


def _cmd_render(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del err
    with _open(args.timeline) as timeline:
        written = render_html(
            timeline,
            args.output,
            start=args.start,
            end=args.end,
            known_at=args.known_at,
            title=args.title,
            tz=args.tz,
            width=args.width,
        )
    out.write(f"wrote {written}\n")
    return 0


def _cmd_verify(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    with _open(args.timeline) as timeline:
        result = timeline.verify()
    if result.ok:
        out.write(f"ok: {result.checked} records; the hash chain and index columns match\n")
        return 0
    err.write(
        f"{args.timeline}: FAILED at position {result.first_bad}: {result.reason} "
        f"({result.checked} records before it check out)\n"
    )
    return 1


def _cmd_copy(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    if args.batch < 1:
        raise _CommandError(f"--batch must be at least 1, got {args.batch}", status=2)
    clock = SettableClock()
    with contextlib.ExitStack() as stack:
        source = open_store(args.source, create=False, read_only=True)
        stack.callback(source.close)
        destination = open_store(args.destination, create=True, clock=clock)
        stack.callback(destination.close)
        total = source.head()
        show = args.progress or (args.progress is None and total >= _PROGRESS_RECORDS)
        bar = _Bar("copying", total, err, fmt=lambda n: f"{n:,} records") if show else None
        result = copy_timeline(
            source,
            destination,
            clock,
            batch=args.batch,
            progress=bar,
            source_name=args.source,
            destination_name=args.destination,
        )
    resumed = f" ({result.already} were there from an earlier copy)" if result.already else ""
    out.write(
        f"copied {result.copied} records{resumed}; verified: {result.head} records, "
        f"chain hash at the head {result.head_hash or '(empty)'}\n"
    )
    return 0


# ----------------------------------------------------------------- JSON output


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


def _cell(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _CELL else flat[: _CELL - 1] + "\u2026"


def _table(view: str, result: Any) -> str:
    if not isinstance(result, Tabular):
        msg = (
            f"the view {view!r} gives a {type(result).__name__}, which has no table(); "
            "use --format json"
        )
        raise _CommandError(msg)
    table = result.table()
    headers, rows = table.columns, table.rows
    query = getattr(result, "query", None)
    cuts = query.describe() if isinstance(query, Query) else "everything recorded"
    cells = [[_cell(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = [f"{view}: {cuts}: {len(rows)} entries"]
    if rows:
        lines.append("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
        lines.append("  ".join("-" * w for w in widths))
        lines += [
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in cells
        ]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ the parser


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Import, query, export, draw, verify and copy a conflict timeline (an "
        "SQLite file or a PostgreSQL URL).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("import", help="import an ACLED, UCDP GED or JSON Lines file")
    p.add_argument("kind", choices=("acled", "acled-deletions", "ucdp", "jsonl"))
    p.add_argument("file", help="the file to import")
    p.add_argument("--into", required=True, metavar="TL.db", help="the timeline file")
    p.add_argument("--source-name", help="the publisher named on ACLED sources (default ACLED)")
    p.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the good rows and list the refused ones, instead of stopping at the "
        "first bad row",
    )
    progress = p.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="show progress on standard error (default: for files of 4 MB or more)",
    )
    progress.add_argument("--no-progress", dest="progress", action="store_false")
    p.set_defaults(run=_cmd_import)

    p = sub.add_parser("state", help="a built-in view at a date, as known at a date")
    p.add_argument("timeline", metavar="TL.db")
    p.add_argument("--view", required=True, choices=view_names())
    _cuts(p)
    p.add_argument("--as-of", type=int, metavar="POSITION", help="only records up to here")
    p.add_argument("--certain", action="store_true", help="count only what certainly happened")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=_cmd_state)

    p = sub.add_parser("export", help="export as JSON Lines, TimelineJS 3 JSON or CSV")
    p.add_argument("timeline", metavar="TL.db")
    p.add_argument("--format", choices=("jsonl", "timelinejs", "csv"), required=True)
    p.add_argument("-o", "--output", help="the file to write (default: standard output)")
    p.add_argument("--known-at", help="export what was known then (timelinejs, csv)")
    p.add_argument("--tz", default="UTC", help="the timezone dates are read in")
    p.add_argument("--title", default="Timeline", help="the TimelineJS title")
    p.set_defaults(run=_cmd_export)

    p = sub.add_parser("render", help="draw the timeline as a self-contained HTML file")
    p.add_argument("timeline", metavar="TL.db")
    p.add_argument("-o", "--output", required=True, help="the HTML file to write")
    p.add_argument("--start", help="the first date shown")
    p.add_argument("--end", help="the last date shown")
    p.add_argument("--known-at", help="draw what was known then")
    p.add_argument("--title", help="the page's heading")
    p.add_argument("--tz", default="UTC", help="the timezone of the dates and the axis")
    p.add_argument("--width", type=int, default=1280, help="the chart's width in pixels")
    p.set_defaults(run=_cmd_render)

    p = sub.add_parser("verify", help="check the hash chain and the stored columns")
    p.add_argument("timeline", metavar="TL.db")
    p.set_defaults(run=_cmd_verify)

    p = sub.add_parser(
        "copy",
        help="copy a timeline to another file or database, keeping its hash chain "
        "(resumes an interrupted copy)",
    )
    p.add_argument("source", metavar="SRC", help="the timeline to copy (a file or a URL)")
    p.add_argument(
        "destination", metavar="DST", help="where to copy it: new, or an interrupted copy"
    )
    p.add_argument(
        "--batch", type=int, default=BATCH, help=f"records per transaction (default {BATCH})"
    )
    progress = p.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help=f"show progress on standard error (default: from {_PROGRESS_RECORDS:,} records)",
    )
    progress.add_argument("--no-progress", dest="progress", action="store_false")
    p.set_defaults(run=_cmd_copy)
    return parser


def _cuts(p: argparse.ArgumentParser) -> None:
    p.add_argument("--at", help="valid time: a date (its end) or a timestamp")
    p.add_argument("--known-at", help="knowledge time: what had been reported by then")
    p.add_argument("--tz", default="UTC", help="the timezone dates are read in")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
    err = sys.stderr
    try:
        status: int = args.run(args, out, err)
    except _CommandError as exc:
        err.write(f"{PROG}: error: {exc}\n")
        status = exc.status
    except ConflictTimelineError as exc:
        err.write(f"{PROG}: error: {exc}\n")
        status = 1
    finally:
        out.flush()
        out.detach()
    return status


if __name__ == "__main__":  # pragma: no cover - the console script calls main()
    sys.exit(main())
