"""The importer registry, the shared row reader, and what every importer refuses.

Pins: a toy importer registered through the API or an entry point is picked up by
``Timeline.import_`` and the CLI; a file given to the wrong importer names the one
its header looks like; a row whose field count differs from the header is refused
naming file, line and counts by every importer (issue 18.1); a cell over Python's
default csv limit (131,072 characters) reads, and only a row with a cell over
``MAX_FIELD_CHARS`` is refused (issue 18.10).
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import textwrap
from collections.abc import Collection, Iterator
from os import PathLike
from pathlib import Path
from typing import Any

import pytest

from conflict_timeline import ImportDataError, Statement, TimeExtent, Timeline
from conflict_timeline.errors import MissingExtraError
from conflict_timeline.importers import (
    ENTRY_POINT_GROUP,
    MAX_FIELD_CHARS,
    Existing,
    ImportBatch,
    Importer,
    PathOrFile,
    RefusedRow,
    get_importer,
    importer_names,
    read_acled,
    read_ucdp,
    register,
    unregister,
)
from conflict_timeline.importers._batch import BatchBuilder, RowOutcome, run_rows
from conflict_timeline.importers._rows import open_table
from workbooks import xlsx

DATA = Path(__file__).parent / "data"
NUMERIC = DATA / "acled-synthetic-numeric-inter.csv"
GED = DATA / "ucdp-ged-23.1-sample-1000.csv"
CEASEFIRES = DATA / "ceasefires"
CLI = Path(sys.executable).parent / "conflict-timeline"
BUILT_IN = {"acled", "acled-deletions", "ucdp", "eth-prio", "ucdp-peace-agreements", "pax"}


# -------------------------------------------------------------- a toy importer


class ToyImporter:
    """Reads ``when,speaker,said`` lines into statements: a complete third-party importer."""

    name = "toy-statements"
    description = "toy: one statement per line"
    file_kinds: tuple[str, ...] = ("csv",)

    def recognises(self, columns: Collection[str]) -> bool:
        return {"when", "speaker", "said"} <= set(columns)

    def read(
        self,
        source: PathOrFile,
        *,
        existing: Existing | None = None,
        strict: bool = False,
        **options: Any,
    ) -> ImportBatch:
        from conflict_timeline import ActorDefined, ActorKind

        with open_table(
            source, required=("when", "speaker", "said"), importer=self.name, **options
        ) as table:
            builder = BatchBuilder(
                file=table.name, existing=existing, strict=strict, reimport_reason="toy"
            )

            def convert(cells: list[str]) -> RowOutcome:
                out = RowOutcome()
                speaker = cells[table.index("speaker")]
                actor = ActorDefined(
                    id=f"actor:toy-{speaker}", name=speaker, actor_kind=ActorKind.ORGANIZATION
                )
                builder.define(out, actor)
                out.events.append(
                    Statement(
                        id=f"toy:{builder.rows}",
                        occurred=TimeExtent.parse(cells[table.index("when")]),
                        speaker=actor.id,
                        summary=cells[table.index("said")],
                    )
                )
                return out

            run_rows(table, builder, convert)
        return builder.build()


TOY_CSV = "when,speaker,said\n2020-10-10,alpha,we agree\n2020-10-11,beta,we do not\n"


@pytest.fixture
def toy() -> Iterator[ToyImporter]:
    importer = ToyImporter()
    register(importer)
    yield importer
    unregister(importer.name)


def test_built_in_importers_are_registered_by_name() -> None:
    assert set(importer_names()) >= BUILT_IN
    for name in BUILT_IN:
        importer = get_importer(name)
        assert isinstance(importer, Importer)
        assert importer.name == name
    with pytest.raises(
        ImportDataError, match=r"no importer named 'nope'; the importers are: acled"
    ):
        get_importer("nope")


def test_a_toy_importer_registered_through_the_api_is_used_by_import_(
    toy: ToyImporter, tmp_path: Path
) -> None:
    path = tmp_path / "toy.csv"
    path.write_text(TOY_CSV, encoding="utf-8")
    timeline = Timeline()
    summary = timeline.import_("toy-statements", path)
    assert (summary.rows, summary.events, summary.definitions) == (2, 2, 2)
    said = timeline.get("toy:2")
    assert isinstance(said.record, Statement)
    assert said.record.summary == "we do not"
    # An importer object works without registering it too.
    other = Timeline()
    assert other.import_(ToyImporter(), io.StringIO(TOY_CSV)).events == 2
    with pytest.raises(ValueError, match="registered already"):
        register(ToyImporter())
    with pytest.raises(TypeError, match="is not an importer"):
        register(object())  # type: ignore[arg-type]


class PlainImporter:
    """The least an importer returns: an `ImportBatch` of its records, one a row, and
    its refusals, counting nothing else (``accepted`` None, ``skipped`` 0)."""

    name = "toy-plain"
    description = "toy: one statement per line, counting nothing"
    file_kinds: tuple[str, ...] = ("csv",)

    def recognises(self, columns: Collection[str]) -> bool:
        return {"id", "when", "said"} <= set(columns)

    def read(
        self,
        source: PathOrFile,
        *,
        existing: Existing | None = None,
        strict: bool = False,
        **options: Any,
    ) -> ImportBatch:
        from conflict_timeline import ActorDefined, ActorKind

        if isinstance(source, str | PathLike):  # a path, or an open file (text or binary)
            text = Path(source).read_text(encoding="utf-8")
        else:
            data = source.read()
            text = data.decode("utf-8") if isinstance(data, bytes) else data
        rows = list(csv.DictReader(io.StringIO(text)))
        speaker = ActorDefined(id="toy-speaker", name="Speaker", actor_kind=ActorKind.ORGANIZATION)
        records: list[Any] = [speaker]
        refused: list[RefusedRow] = []
        for line, row in enumerate(rows, start=2):
            if not row["when"]:
                refused.append(RefusedRow(line, "when", "empty"))
                continue
            occurred = TimeExtent.parse(row["when"])
            said = Statement(
                id=row["id"], occurred=occurred, speaker=speaker.id, summary=row["said"]
            )
            records.append(said)
        return ImportBatch(records=tuple(records), refused=tuple(refused), rows=len(rows))


def test_an_importer_that_counts_nothing_has_its_stored_rows_counted_unchanged() -> None:
    """Every data row is counted once (`ImportSummary`): for an importer that leaves
    ``accepted`` None (one record a row), a row whose record the store holds already,
    or that repeats an earlier row's record, needed nothing new, so it is unchanged."""
    text = "id,when,said\ns-1,2020-10-10,yes\ns-2,2020-10-11,no\ns-3,,maybe\n"
    timeline = Timeline()
    first = timeline.import_(PlainImporter(), io.StringIO(text))
    assert (first.rows, first.accepted, first.skipped, len(first.refused)) == (3, 2, 0, 1)
    again = timeline.import_(PlainImporter(), io.StringIO(text))
    assert (again.rows, again.accepted, again.skipped, len(again.refused)) == (3, 0, 2, 1)
    assert (again.events, again.definitions, again.appended) == (0, 0, 0)
    assert "2 unchanged" in str(again)
    as_bytes = timeline.import_(PlainImporter(), io.BytesIO(text.encode("utf-8")))
    assert (as_bytes.rows, as_bytes.accepted, as_bytes.skipped) == (3, 0, 2)
    # A row repeating another's record in the same file: one new record, one unchanged.
    repeated = "id,when,said\ns-9,2020-10-12,so\ns-9,2020-10-12,so\n"
    twice = timeline.import_(PlainImporter(), io.StringIO(repeated))
    assert (twice.rows, twice.accepted, twice.skipped, twice.events) == (2, 1, 1, 1)


def test_an_unknown_option_is_refused_naming_it() -> None:
    with pytest.raises(ImportDataError, match=r"importer 'ucdp' has no option 'source_name'"):
        Timeline().import_("ucdp", GED, source_name="x")
    # The ceasefire importers name themselves and the options they take.
    # ETH/PRIO codes its dates as numbers (year, month, day): no date_order.
    takes = {
        "eth-prio": "encoding, today",
        "ucdp-peace-agreements": "date_order, encoding, today",
        "pax": "date_order, encoding, today",
    }
    for name, options in takes.items():
        expected = f"importer '{name}' has no option 'year' (its options: {options})"
        with pytest.raises(ImportDataError, match=re.escape(expected)):
            Timeline().import_(name, io.StringIO("a,b\n1,2\n"), year=2020)
        expected = f"importer '{name}': option 'today': 'someday' is not a date"
        with pytest.raises(ImportDataError, match=re.escape(expected)):
            Timeline().import_(name, io.StringIO("a,b\n1,2\n"), today="someday")


def test_a_toy_importer_from_an_entry_point_reaches_the_cli(tmp_path: Path) -> None:
    """A package declaring the entry point (a dist-info folder on the path) is found
    by a fresh process: listed in ``import --help`` and used by ``import``."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "toy_importer_pkg.py").write_text(
        textwrap.dedent(
            """
            import sys
            sys.path.insert(0, %r)
            from test_importers import ToyImporter

            TOY = ToyImporter()
            """
        )
        % str(Path(__file__).parent)
    )
    dist = site / "toy_importer_pkg-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-importer-pkg\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\ntoy-statements = toy_importer_pkg:TOY\n"
        "broken = toy_importer_pkg:NOT_THERE\n"  # a broken plugin is skipped, not fatal
    )
    source = tmp_path / "toy.csv"
    source.write_text(TOY_CSV, encoding="utf-8")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    helped = subprocess.run(
        [CLI, "import", "--help"], capture_output=True, text=True, env=env, check=True
    )
    assert "toy-statements" in helped.stdout
    db = tmp_path / "tl.db"
    done = subprocess.run(
        [CLI, "import", "toy-statements", source, "--into", db],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "2 rows, 2 new records (Statement 2)" in done.stdout
    assert "importer entry point 'broken' (toy_importer_pkg:NOT_THERE) not loaded" in (done.stderr)
    assert len(Timeline.open(db)) == 4  # two speakers, two statements


# ----------------------------------------------------------- the wrong importer


def test_a_ged_file_given_to_acled_names_the_ucdp_importer() -> None:
    with pytest.raises(ImportDataError) as raised:
        read_acled(GED)
    message = str(raised.value)
    assert message.startswith("ucdp-ged-23.1-sample-1000.csv: missing required column")
    assert "looks like a file for the 'ucdp' importer, not 'acled'" in message


def test_an_acled_file_given_to_ucdp_names_the_acled_importer() -> None:
    with pytest.raises(ImportDataError, match=r"looks like a file for the 'acled' importer"):
        read_ucdp(NUMERIC)


def test_a_ceasefire_file_given_to_ucdp_names_its_importer() -> None:
    with pytest.raises(ImportDataError, match=r"the 'eth-prio' importer, not 'ucdp'"):
        Timeline().import_("ucdp", CEASEFIRES / "eth-prio-sample.csv")


def test_a_long_header_is_shown_in_whole_names_saying_how_many_more() -> None:
    """PA-X's 266 columns given to the peace-agreement importer: the message shows whole
    names to about 1,000 characters and counts the rest, never a name cut short
    (it ended "..., TpsAut, Tps." where PA-X has ``TpsSub``...); an unnamed column (the
    UCDP file's trailing comma) is said to be one, not shown as nothing."""
    with pytest.raises(ImportDataError) as caught:
        Timeline().import_("ucdp-peace-agreements", CEASEFIRES / "pax-sample.csv")
    message = str(caught.value)
    header = (CEASEFIRES / "pax-sample.csv").read_text(encoding="utf-8-sig").split("\n")[0]
    names = header.split(",")
    shown = message.split("the header has: ")[1].split(". This header", maxsplit=1)[0]
    listed, more = shown.split(", ... and ")
    assert more == f"{len(names) - len(listed.split(', '))} more columns"
    assert listed.split(", ") == names[: len(listed.split(", "))]
    assert 900 < len(listed) <= 1_000
    with pytest.raises(ImportDataError) as caught:
        Timeline().import_("pax", io.StringIO("paid,pa_name,\n1,x,\n"))
    assert str(caught.value).endswith("the header has: paid, pa_name, (an unnamed column)")


# --------------------------------------------- issue 18.1: field count, every importer


def _with_extra_cell(path: Path, encoding: str = "utf-8-sig") -> tuple[str, int, int]:
    """The file with its first data row one cell longer, its header width, and the
    line that row starts on (the oracle, from the csv module)."""
    with path.open(encoding=encoding, newline="") as fh:
        rows = list(csv.reader(fh))
    width = len(rows[0])
    rows[1].insert(3, "an invented clash")  # an unquoted comma in a notes cell
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows[:4])
    return out.getvalue(), width, 2


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("acled", NUMERIC),
        ("ucdp", GED),
        ("eth-prio", CEASEFIRES / "eth-prio-sample.csv"),
        ("ucdp-peace-agreements", CEASEFIRES / "ucdp-peace-agreements-sample.csv"),
        ("pax", CEASEFIRES / "pax-sample.csv"),
    ],
)
def test_a_row_with_one_cell_too_many_is_refused_by_every_importer(name: str, path: Path) -> None:
    text, width, line = _with_extra_cell(path)
    stream = io.StringIO(text)
    stream.name = "shifted.csv"
    batch = get_importer(name).read(stream)
    expected = f"shifted.csv, line {line}: row: has {width + 1} fields but the header has {width}"
    # A GED row's last cell (gwnob) is empty: the reason goes on to say why that is
    # no spreadsheet's padding (reader_rules' padded rows).
    assert [m for m in batch.messages() if m.startswith(expected)] != []
    with pytest.raises(ImportDataError, match=r"has \d+ fields but the header has"):
        get_importer(name).read(io.StringIO(text), strict=True)


# ------------------------------------------------- issue 18.10: long fields


def _acled_rows(notes: list[str]) -> str:
    with NUMERIC.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        template = next(reader)
    out = io.StringIO()
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    for n, note in enumerate(notes):
        writer.writerow({**template, "event_id_cnty": f"LONG{n}", "notes": note})
    return out.getvalue()


def test_a_notes_cell_over_131072_characters_imports() -> None:
    long = "SYNTHETIC TEST ROW " + "x" * 200_000
    batch = read_acled(io.StringIO(_acled_rows(["short", long, "short again"])), strict=True)
    assert len(batch.events()) == 3
    record = next(r for r in batch.events() if r.id == "acled:LONG1")
    assert len(record.notes) >= 200_000
    assert csv.field_size_limit() >= MAX_FIELD_CHARS


def test_only_the_row_with_a_cell_over_the_limit_is_refused() -> None:
    # The limit is the reader's; lowered here so the test stays small.
    saved = csv.field_size_limit(1_000)
    try:
        text = _acled_rows(["short", "y" * 5_000, "short again"])
        batch = read_acled(io.StringIO(text))
    finally:
        csv.field_size_limit(saved)
    assert [r.id for r in batch.events()] == ["acled:LONG0", "acled:LONG2"]
    assert [(r.line, r.field) for r in batch.refused] == [(3, "row")]
    assert "a cell is longer than" in batch.refused[0].reason


# ------------------------------------------------------------------- workbooks


def test_an_acled_workbook_reads_like_its_csv(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    with NUMERIC.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    book = tmp_path / "acled.xlsx"
    xlsx(book, rows)
    from_book, from_csv = read_acled(book), read_acled(NUMERIC)
    assert from_book.records == from_csv.records
    assert from_book.out_of_scope == from_csv.out_of_scope
    assert from_book.file == "acled.xlsx"


@pytest.mark.parametrize("how", ["open file", "BytesIO", "unnamed non-seekable"])
def test_a_workbook_given_as_a_binary_stream_reads_like_its_path(tmp_path: Path, how: str) -> None:
    """An open file may be a workbook too: a binary stream that starts like one (a
    zip) is read as a workbook, not as CSV text, and leaves the caller's stream open."""
    pytest.importorskip("python_calamine")
    with NUMERIC.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    book = tmp_path / "acled.xlsx"
    xlsx(book, rows)
    from_csv = read_acled(NUMERIC)
    with book.open("rb") as raw:
        if how == "open file":
            stream: Any = raw
        elif how == "BytesIO":
            stream = io.BytesIO(raw.read())
        else:
            stream = _Unseekable(raw.read())
        from_stream = read_acled(stream)
        assert not stream.closed
    assert from_stream.records == from_csv.records
    assert from_stream.out_of_scope == from_csv.out_of_scope


class _Unseekable(io.RawIOBase):
    """A binary stream that can neither seek nor peek (a pipe, say)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_workbook_without_the_extra_is_refused_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = tmp_path / "acled.xlsx"
    xlsx(book, [["event_id_cnty"], ["X1"]])
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # as if not installed
    with pytest.raises(MissingExtraError) as raised:
        read_acled(book)
    message = str(raised.value)
    assert "acled.xlsx is an Excel workbook" in message
    assert "conflict_timeline[excel]" in message
