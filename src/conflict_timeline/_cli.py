"""The ``conflict-timeline`` command: import, query, export, draw and verify a timeline.

A timeline is one SQLite file (``TL.db``)::

    conflict-timeline import acled export.csv --into TL.db
    conflict-timeline import ucdp ged.csv --into TL.db --skip-bad-rows
    conflict-timeline state TL.db --view active-commitments --at 2020-10-31
    conflict-timeline export TL.db --format timelinejs -o timeline.json
    conflict-timeline render TL.db -o timeline.html --start 2020-09-20 --end 2020-11-07
    conflict-timeline verify TL.db

Exit status: 0 on success, 1 when the command failed (a bad input file, a broken
hash chain, a missing file), 2 for a usage error. Errors go to standard error as
one line, naming the file, line and field where there is one.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as _dt
import enum
import io
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Final

import attrs
import orjson

from . import __version__
from ._export import (
    TABLE_COLUMNS,
    csv_cell,
    current_records,
    export_jsonl,
    table_row,
    write_timelinejs,
)
from ._labels import Names, figure_text, headline
from ._records import KIND_BY_NAME, Record, references
from ._render import render_html
from ._serialization import read_jsonl, unstructure_record
from ._time import TimeExtent, from_epoch_us, to_cut
from ._timeline import Timeline
from .errors import ConflictTimelineError, ImportDataError
from .importers import ImportSummary
from .stores import Recorded
from .views import (
    ActiveCommitment,
    ActiveCommitments,
    CasualtyEstimate,
    CasualtyEstimates,
    CommitmentHistory,
    CommitmentLife,
    Gazetteer,
    GazetteerResult,
    Listing,
    OpenRequests,
    Query,
    ReportedViolations,
    RequestLog,
    RequestStatus,
    Trigger,
    TriggeredCommitments,
    ViolationAssessment,
)

__all__ = ["main"]

PROG: Final = "conflict-timeline"
VIEWS: Final[dict[str, Any]] = {
    "active-commitments": ActiveCommitments,
    "commitment-history": CommitmentHistory,
    "triggered-commitments": TriggeredCommitments,
    "open-requests": OpenRequests,
    "request-log": RequestLog,
    "reported-violations": ReportedViolations,
    "casualty-estimates": CasualtyEstimates,
    "gazetteer": Gazetteer,
}
_PROGRESS_BYTES: Final = 4 * 1024 * 1024  # files at least this big show progress
_MAX_REFUSALS_SHOWN: Final = 20
_CELL: Final = 48
_ROW_ERROR: Final = re.compile(r", line \d+")
_EVENT_KINDS_HIDDEN: Final = ("ActorDefined", "PlaceDefined")


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

    def __init__(self, label: str, total: int, stream: IO[str]) -> None:
        self.label = label
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
                f"\r{self.label} [{bar}] {percent:3d}% {_mb(done)}/{_mb(self.total)}"
            )
            if percent == 100:
                self.stream.write("\n")
            self.stream.flush()
            return
        step = percent // 10
        if step > self.last_step:
            self.last_step = step
            self.stream.write(f"{self.label}: {percent}% ({_mb(done)} of {_mb(self.total)})\n")
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


def _open(path: str, *, create: bool = False) -> Timeline:
    return Timeline.open(path, create=create)


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
            raise _CommandError(f"{exc}\n{PROG}: {_import_hint(exc, strict=strict)}") from None
    _report_import(summary, args.into, out, err)
    return 0


def _import_hint(exc: ImportDataError, *, strict: bool) -> str:
    """What to do next; ``--skip-bad-rows`` only when it would import something.

    It helps only when the flag was not given and the refusal is about one row (the
    message names its line); a file-level fault (a missing column, not UTF-8, not
    CSV) stops every row alike.
    """
    if strict and _ROW_ERROR.search(str(exc)):
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
    out.write(f"{summary}; {summary.appended} records appended to {into} ({where})\n")


def _cmd_state(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del err
    view = VIEWS[args.view]
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
    filtered = bool(args.kind or args.between)
    if args.format == "jsonl" and (args.known_at or filtered):
        msg = (
            "--format jsonl writes the whole log as appended (it re-imports to the same "
            "timeline), so it takes no --known-at, --kind or --between; "
            "use --format csv for what was known then, filtered"
        )
        raise _CommandError(msg, status=2)
    if args.format == "timelinejs" and filtered:
        msg = "--format timelinejs takes no --kind or --between; use --format csv"
        raise _CommandError(msg, status=2)
    if args.format == "csv":
        with _open(args.timeline) as timeline:
            count = _export_csv(timeline, args, out)
        if args.output:
            err.write(f"wrote {count} rows to {args.output}\n")
        return 0
    with _open(args.timeline) as timeline, _output(args.output, out) as target:
        if args.format == "jsonl":
            count = export_jsonl(timeline, target)
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


def _selected(timeline: Timeline, args: argparse.Namespace) -> list[Recorded]:
    """The records as known at ``--known-at``, filtered by kind, time, place and actor."""
    records = current_records(timeline, known_at=args.known_at, tz=args.tz)
    kinds = set(args.kind or ())
    lo = hi = None
    if args.between:
        lo = to_cut(args.between[0], tz=args.tz, name="--between start", edge="start")
        hi = to_cut(args.between[1], tz=args.tz, name="--between end")
    place = actor = None
    gazetteer = None
    if getattr(args, "place", None) or getattr(args, "actor", None):
        gazetteer = timeline.state(Gazetteer, known_at=args.known_at, tz=args.tz)
        if args.place:
            place = _resolve(args.place, gazetteer.places, gazetteer.resolve_place, "place")
        if args.actor:
            actor = _resolve(args.actor, gazetteer.actors, gazetteer.resolve_actor, "actor")
    out = []
    for recorded in records:
        record = recorded.record
        if kinds and record.KIND not in kinds:
            continue
        hide = not kinds and getattr(args, "hide_definitions", False)
        if hide and record.KIND in _EVENT_KINDS_HIDDEN:
            continue
        if lo is not None and hi is not None:
            if record.occurred.is_timeless:
                continue
            if record.occurred.last < lo or record.occurred.lo > hi:
                continue
        if place is not None and gazetteer is not None:
            where = getattr(record, "place", None)
            if not isinstance(where, str) or not gazetteer.is_within(where, place):
                continue
        if actor is not None and not any(ref == actor for _f, ref, _k in references(record)):
            continue
        out.append(recorded)
    return out


def _resolve(
    given: str, known: Mapping[str, Any], by_name: Callable[[str], str | None], what: str
) -> str:
    if given in known:
        return given
    found = by_name(given)
    if found is None:
        msg = f"unknown {what} {given!r}: no {what} has that id or name"
        raise _CommandError(msg)
    return found


def _export_csv(timeline: Timeline, args: argparse.Namespace, out: IO[str]) -> int:
    """One table per record kind, each with only the columns its kind has.

    With one kind (``--kind``, or a timeline of one kind) the table goes to ``-o`` or
    standard output; with several, ``-o NAME.csv`` becomes ``NAME.<Kind>.csv`` each.
    """
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for recorded in _selected(timeline, args):
        row = table_row(recorded)
        if recorded.record.occurred.is_timeless:  # a definition: no date to speak of
            for column in ("occurred_start", "occurred_end", "occurred_precision"):
                row[column] = None
        by_kind.setdefault(recorded.record.KIND, []).append(row)
    if len(by_kind) > 1 and (args.output is None or args.output == "-"):
        msg = (
            f"the export has {len(by_kind)} kinds of record ({', '.join(sorted(by_kind))}); "
            "name one with --kind, or give -o NAME.csv to write NAME.<Kind>.csv for each"
        )
        raise _CommandError(msg, status=2)
    count = 0
    for kind, rows in sorted(by_kind.items()):
        columns = [c for c in TABLE_COLUMNS if any(r[c] not in (None, "") for r in rows)]
        if len(by_kind) > 1:
            base = Path(args.output)
            target: str | None = str(base.with_name(f"{base.stem}.{kind}{base.suffix}"))
        else:
            target = args.output
        with _output(target, out) as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow([csv_cell(row[c]) for c in columns])
                count += 1
    return count


@contextlib.contextmanager
def _output(path: str | None, out: IO[str]) -> Iterator[IO[str]]:
    if path is None or path == "-":
        yield out
        out.flush()
        return
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        yield fh


def _cmd_events(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    del err
    with _open(args.timeline) as timeline:
        selected = _selected(timeline, args)
        names = Names.of(timeline, known_at=args.known_at, tz=args.tz)
    if args.limit is not None:
        selected = selected[: args.limit]
    rows = [
        {
            "position": r.position,
            "kind": r.record.KIND,
            "id": r.id,
            "occurred": _when(r.record.occurred),
            "what": headline(r.record, names),
            "sources": _sources(r.record.sources),
        }
        for r in selected
    ]
    if args.format == "json":
        payload = [
            {"position": r.position, "record": unstructure_record(r.record)} for r in selected
        ]
        out.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n")
    elif args.format == "csv":
        writer = csv.DictWriter(out, fieldnames=list(_EVENT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
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
        out.write(f"{len(rows)} record(s)\n")
    return 0


_EVENT_COLUMNS: Final = ("position", "kind", "id", "occurred", "what", "sources")


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
            height=args.height,
            group_by=args.group_by,
            detail=args.detail,
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


def _when(extent: TimeExtent | None) -> str:
    return "" if extent is None else str(extent)


def _sources(sources: Sequence[Any]) -> str:
    return "; ".join(s.publisher for s in sources)


Row = list[str]


def _rows(view: str, result: Any) -> tuple[list[str], list[Row]]:
    if view == "active-commitments":
        items: list[ActiveCommitment] = list(result)
        return ["id", "kind", "parties", "since", "sources"], [
            [
                a.id,
                a.commitment.commitment_kind.value,
                ", ".join(a.parties),
                _when(a.since),
                _sources(a.sources),
            ]
            for a in items
        ]
    if view == "commitment-history":
        lives: list[CommitmentLife] = list(result)
        return ["id", "kind", "effective", "until", "status", "ended"], [
            [
                c.id,
                c.commitment.commitment_kind.value,
                _when(c.effective),
                _when(c.until),
                c.status.value,
                f"{c.ended.reason.value} {c.ended.occurred}" if c.ended is not None else "",
            ]
            for c in lives
        ]
    if view == "triggered-commitments":
        triggers: list[Trigger] = list(result)
        return ["id", "triggered", "attacks", "explanation"], [
            [t.id, "yes" if t.triggered else "no", ", ".join(t.attacks), t.explanation]
            for t in triggers
        ]
    if view in ("open-requests", "request-log"):
        requests: list[RequestStatus] = list(result)
        return ["id", "requester", "requested of", "invokes", "open", "responses"], [
            [
                r.id,
                r.request.requester,
                r.request.requested_of,
                r.invokes or "",
                "yes" if r.open else "no",
                ", ".join(s.id for s in r.responses),
            ]
            for r in requests
        ]
    if view == "reported-violations":
        found: list[ViolationAssessment] = list(result)
        return ["commitment", "basis", "evidence", "accused", "status", "reported", "sources"], [
            [
                v.commitment,
                v.basis.value,
                v.evidence,
                ", ".join(v.accused),
                v.status.value,
                _when(v.first_reported),
                _sources(v.sources),
            ]
            for v in found
        ]
    if view == "casualty-estimates":
        estimates: list[CasualtyEstimate] = list(result)
        return ["claimant", "category", "measure", "place", "figure", "as of", "sources"], [
            [
                e.claimant,
                e.category.value,
                e.measure.value,
                e.place or "",
                figure_text(e.figure),
                _when(e.as_of),
                _sources(e.sources),
            ]
            for e in estimates
        ]
    gazetteer: GazetteerResult = result
    rows: list[Row] = [
        ["actor", a.id, a.name, a.actor_kind.value, a.affiliation or "", ""]
        for a in sorted(gazetteer.actors.values(), key=lambda a: a.id)
    ]
    rows += [
        [
            "place",
            p.id,
            p.name,
            p.place_kind.value,
            p.parent or "",
            gazetteer.controller(p.id) or "",
        ]
        for p in sorted(gazetteer.places.values(), key=lambda p: p.id)
    ]
    return ["record", "id", "name", "kind", "affiliation / parent", "controller"], rows


def _cell(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _CELL else flat[: _CELL - 1] + "\u2026"


def _table(view: str, result: Any) -> str:
    headers, rows = _rows(view, result)
    query: Query = result.query
    cells = [[_cell(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = [f"{view}: {query.describe()}: {len(rows)} entries"]
    if rows:
        lines.append("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
        lines.append("  ".join("-" * w for w in widths))
        lines += [
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in cells
        ]
    return "\n".join(lines) + "\n"


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
    for name, view in sorted(VIEWS.items()):
        doc = (view.__doc__ or "").strip().splitlines()
        lines.append(f"{name}: {doc[0].rstrip('.').replace('``', '') if doc else view.__name__}")
    return "the view to compute; one of: " + "; ".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Import, query, export, draw and verify a conflict timeline (an SQLite file).",
        epilog="example:\n  " + f"{PROG} import ucdp ged.csv --into TL.db",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _sub(
        sub,
        "import",
        "import an ACLED, UCDP GED or JSON Lines file",
        ["import ucdp ged.csv --into TL.db --skip-bad-rows"],
    )
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

    p = _sub(
        sub,
        "state",
        "a built-in view at a date, as known at a date",
        ["state TL.db --view active-commitments --at 2020-10-31 --known-at 2020-10-30"],
    )
    p.add_argument("timeline", metavar="TL.db")
    p.add_argument("--view", required=True, choices=sorted(VIEWS), help=_view_help())
    _cuts(p)
    p.add_argument("--as-of", type=int, metavar="POSITION", help="only records up to here")
    p.add_argument("--certain", action="store_true", help="count only what certainly happened")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=_cmd_state)

    p = _sub(
        sub,
        "events",
        "list the records as known, filtered by kind, time, place and actor",
        ["events TL.db --kind Attack --between 2013-01-01 2013-01-31 --place Syria"],
    )
    p.add_argument("timeline", metavar="TL.db")
    _filters(p)
    p.add_argument("--place", help="only records at this place or inside it (id or name)")
    p.add_argument("--actor", help="only records that refer to this actor (id or name)")
    p.add_argument("--limit", type=int, help="at most this many records")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(run=_cmd_events, hide_definitions=True)

    p = _sub(
        sub,
        "export",
        "export as JSON Lines (the log), TimelineJS 3 JSON or CSV (one table per kind)",
        ["export TL.db --format csv --kind Attack --known-at 2020-10-31 -o attacks.csv"],
    )
    p.add_argument("timeline", metavar="TL.db")
    p.add_argument("--format", choices=("jsonl", "timelinejs", "csv"), required=True)
    p.add_argument("-o", "--output", help="the file to write (default: standard output)")
    _filters(p)
    p.add_argument("--title", default="Timeline", help="the TimelineJS title")
    p.set_defaults(run=_cmd_export, hide_definitions=False)

    _render_parser(sub)

    p = _sub(sub, "verify", "check the hash chain and the stored columns", ["verify TL.db"])
    p.add_argument("timeline", metavar="TL.db")
    p.set_defaults(run=_cmd_verify)
    return parser


def _render_parser(sub: Any) -> None:
    p = _sub(
        sub,
        "render",
        "draw the timeline as a self-contained HTML file",
        ["render TL.db -o timeline.html --group-by country"],
    )
    p.add_argument("timeline", metavar="TL.db")
    p.add_argument("-o", "--output", required=True, help="the HTML file to write")
    p.add_argument("--start", help="the first date shown")
    p.add_argument("--end", help="the last date shown")
    p.add_argument("--known-at", help="draw what was known then")
    p.add_argument("--title", help="the page's heading")
    p.add_argument("--tz", default="UTC", help="the timezone of the dates and the axis")
    p.add_argument("--width", type=int, default=1280, help="the chart's width in pixels")
    p.add_argument("--height", type=int, default=900, help="the page height the overview fits in")
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


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--kind",
        action="append",
        choices=sorted(KIND_BY_NAME),
        help="only records of this kind (repeat for several)",
    )
    p.add_argument(
        "--between",
        nargs=2,
        metavar=("START", "END"),
        help="only records whose time overlaps START .. the end of END",
    )
    p.add_argument("--known-at", help="as known then: later reports, corrections left out")
    p.add_argument("--tz", default="UTC", help="the timezone dates are read in")


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
