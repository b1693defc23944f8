"""Running an import and finding importers and views by name: the summary's counts
and table (`ImportSummary`), what the runner appends for an importer that does not
stream (a third party's), the importer and view registries, and writing through a
named pipe. Each rule against values written by hand from the docstrings; found
unpinned by a mutation audit of `importers/_apply.py`, the registries and `_files.py`."""

from __future__ import annotations

import csv
import importlib
import io
import os
import stat
import subprocess
import sys
import warnings
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pytest

from conflict_timeline import (
    ActorDefined,
    ConcurrencyError,
    ImportDataError,
    QueryError,
    Retraction,
    Statement,
    TimeExtent,
    Timeline,
    views,
)
from conflict_timeline._files import replacing
from conflict_timeline.importers import ImportBatch, ImportSummary, read_acled
from conflict_timeline.importers import _registry as importers
from conflict_timeline.importers._batch import RefusedRow
from test_import_ceasefires import _eth_rows

DAY = TimeExtent.parse("2020-10-10")


def _summary(**counts: Any) -> ImportSummary:
    fields: dict[str, Any] = {
        "file": "f.csv",
        "rows": 0,
        "accepted": 0,
        "appended": 0,
        "definitions": 0,
        "events": 0,
        "corrections": 0,
        "retractions": 0,
        "skipped": 0,
        "refused": (),
        "first_position": None,
        "last_position": None,
    }
    fields.update(counts)
    return ImportSummary(**fields)


def _row(table: str, label: str) -> int:
    """The count on the table's row ``label``."""
    (line,) = [line for line in table.splitlines()[1:] if line.strip().startswith(label + "  ")]
    return int(line.split()[-1].replace(",", ""))


def test_the_table_counts_unchanged_and_merged_rows_apart() -> None:
    table = _summary(rows=5, accepted=2, skipped=1, merged=2).table()
    assert _row(table, "unchanged") == 1
    assert _row(table, "merged into another row's record") == 2


def test_the_table_s_skipped_by_design_is_the_sum_over_the_types() -> None:
    table = _summary(rows=5, out_of_scope={"Protests": 3, "Riots": 2}).table()
    assert _row(table, "skipped by design") == 5


def test_refused_rows_are_counted_by_field_each_row_once() -> None:
    refused = (
        RefusedRow(line=2, field="latitude", reason="out of range"),
        RefusedRow(line=3, field="latitude", reason="not a number"),
    )
    summary = _summary(rows=2, refused=refused)
    assert summary.refused_by_field() == {"latitude": 2}
    assert _row(summary.table(), "latitude") == 2


def test_the_table_counts_rows_with_a_flag_once_however_many_kinds() -> None:
    """docs/howto/cli.md, ``ImportSummary``: "rows with a flag" counts the rows taken
    with at least one flag, each once; each kind below counts the rows flagged so.
    Of two ACLED rows, the first has three inconsistencies (its year 2023 beside a
    2024 date, time_precision 4, interaction 17 beside inter1 1 and inter2 2), the
    second none: one row flagged, once under each of three kinds (the table used to
    say 3 rows of 2)."""
    header = (
        "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,"
        "inter1,actor2,inter2,interaction,country,admin1,location,latitude,longitude,"
        "geo_precision,source,source_scale,notes,fatalities,timestamp"
    )
    rows = [
        (
            "SYN1,2024-03-02,2023,4,Battles,Armed clash,Military Forces of Synthetica,1,"
            "Synthetic Liberation Front,2,17,Synthetica,North,Testville,10.5,20.25,1,"
            "Synthetic Daily,National,SYNTHETIC ROW.,3,1709900000"
        ),
        (
            "SYN2,2024-03-03,2024,1,Battles,Armed clash,Military Forces of Synthetica,1,"
            "Synthetic Liberation Front,2,12,Synthetica,North,Testville,10.5,20.25,1,"
            "Synthetic Daily,National,SYNTHETIC ROW.,1,1709900000"
        ),
    ]
    timeline = Timeline()
    summary = timeline.import_("acled", io.StringIO("\n".join([header, *rows]) + "\n"))
    assert (summary.rows, summary.accepted, summary.flagged) == (2, 2, 1)
    assert summary.flags == {
        "interaction differs from inter1 and inter2": 1,
        "time_precision not 1-3": 1,
        "year differs from event_date": 1,
    }
    table = summary.table()
    assert _row(table, "rows with a flag") == 1
    assert _row(table, "year differs from event_date") == 1
    # Imported again: both rows unchanged, the first still taken with its flags.
    again = timeline.import_("acled", io.StringIO("\n".join([header, *rows]) + "\n"))
    assert (again.skipped, again.flagged) == (2, 1)
    # A row flagged, then refused for another cell, is not counted.
    refused = rows[0].replace("SYN1", "SYN3").replace(",10.5,", ",abc,")
    third = Timeline().import_("acled", io.StringIO(f"{header}\n{refused}\n"))
    assert (len(third.refused), third.flagged, third.flags) == (1, 0, {})
    # A summary of an importer that does not count flagged rows leaves the count blank.
    unknown = _summary(rows=1, accepted=1, flags={"x": 1}).table()
    assert "  rows with a flag\n    x" in unknown


def test_the_summary_line_names_a_single_merged_row() -> None:
    assert "1 merged" in str(_summary(rows=2, accepted=1, merged=1))


class _Plugin:
    """A third party's importer that does not stream: it returns one fixed batch."""

    description = "a test importer"
    file_kinds = ("csv",)

    def __init__(self, name: str, batch: ImportBatch, *, strict_references: bool = True) -> None:
        self.name = name
        self.batch = batch
        self.strict_references = strict_references

    def recognises(self, columns: Collection[str]) -> bool:
        return False

    def read(
        self, source: Any, *, existing: Any = None, strict: bool = False, **options: Any
    ) -> ImportBatch:
        return self.batch


def _batch(*records: Any, rows: int) -> ImportBatch:
    return ImportBatch(records=records, refused=(), rows=rows)


ACTOR = ActorDefined(id="actor:toy-a", name="a", actor_kind="organization", occurred=DAY)
SAID = Statement(id="toy:1", occurred=DAY, speaker=ACTOR.id, summary="s")


def test_a_record_given_twice_in_one_batch_is_written_and_counted_once() -> None:
    timeline = Timeline()
    summary = timeline.import_(_Plugin("p-twice", _batch(ACTOR, SAID, SAID, rows=2)), "x")
    assert len(timeline) == 2
    assert (summary.appended, summary.events, summary.definitions) == (2, 1, 1)


def test_accepted_counts_retractions_when_the_importer_does_not_count_rows() -> None:
    """``accepted`` (left unset by the importer) is its events, corrections and
    retractions."""
    timeline = Timeline()
    timeline.import_(_Plugin("p-first", _batch(ACTOR, SAID, rows=1)), "x")
    gone = Retraction(id="toy:1/retracted", occurred=DAY, retracts="toy:1")
    summary = timeline.import_(_Plugin("p-then", _batch(gone, rows=1)), "x")
    assert (summary.retractions, summary.accepted) == (1, 1)


def test_an_importer_without_strict_references_may_retract_what_is_not_stored_yet() -> None:
    timeline = Timeline()
    gone = Retraction(id="toy:9/retracted", occurred=DAY, retracts="toy:9")
    plugin = _Plugin("p-loose", _batch(gone, rows=1), strict_references=False)
    assert timeline.import_(plugin, "x").retractions == 1
    assert len(timeline) == 1


class _Meanwhile(_Plugin):
    """An importer during whose reading another writer (a second timeline on the same
    file) appends ``OTHER``: through ``read`` (the whole batch) or, with ``streams``,
    when its stream is made (where a real one checks the whole file first)."""

    def __init__(self, name: str, path: Path, *, streams: bool) -> None:
        super().__init__(name, _batch(ACTOR, SAID, rows=1))
        self.path = path
        if streams:
            self.stream = self._stream

    def _other_writer_appends(self) -> None:
        with Timeline.open(self.path) as other:
            other.append(OTHER)

    def read(
        self, source: Any, *, existing: Any = None, strict: bool = False, **options: Any
    ) -> ImportBatch:
        self._other_writer_appends()
        return self.batch

    def _stream(self, source: Any, *, existing: Any = None, **options: Any) -> Any:
        self._other_writer_appends()
        return _Streamed(self.batch)


class _Streamed:
    """What `Timeline.import_` takes from a ``stream`` method: the records, then the
    batch's counts."""

    def __init__(self, batch: ImportBatch) -> None:
        self._batch = batch

    def __iter__(self) -> Any:
        return iter(self._batch.records)

    def batch(self) -> ImportBatch:
        return self._batch


OTHER = ActorDefined(id="actor:other", name="other", actor_kind="organization", occurred=DAY)


@pytest.mark.parametrize("streams", [False, True], ids=["read-whole", "streamed"])
def test_an_import_during_which_another_writer_appended_raises_and_writes_nothing(
    tmp_path: Path, streams: bool
) -> None:
    """`Timeline.import_` raises ``ConcurrencyError`` when another writer appended
    while the file was read (what the importer learnt of the store may be out of
    date), and nothing of the import is written: the store holds the other
    writer's record alone."""
    path = tmp_path / "t.db"
    with Timeline.open(path) as timeline:
        with pytest.raises(
            ConcurrencyError, match="expected the head at position 0, but it is at 1"
        ):
            timeline.import_(_Meanwhile("p-meanwhile", path, streams=streams), "x")
        assert [r.id for r in timeline.read()] == ["actor:other"]


def test_a_release_renumbering_two_split_ceasefires_keeps_both_their_ids() -> None:
    """Ids of ceasefires the file splits are kept from the timeline, for every
    `uniq_id` of the file, not only the first looked up."""

    def release(shift: int) -> io.StringIO:
        header, *body = list(csv.reader(_eth_rows([11, 12])))
        at, uniq = header.index("id"), header.index("uniq_id")
        rows = [header]
        rows += [[*row[:at], str(int(row[at]) + shift), *row[at + 1 :]] for row in body]
        for row in body:  # the same two ceasefires under a second uniq_id
            again = list(row)
            again[uniq], again[at] = "999999", str(int(row[at]) + 1000 + shift)
            rows.append(again)
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(rows)
        return io.StringIO(text.getvalue())

    timeline = Timeline()
    timeline.import_("eth-prio", release(0))
    first = {r.record.id for r in timeline.read(kinds=["Commitment"])}
    again = timeline.import_("eth-prio", release(1))
    assert (again.events, again.retractions) == (0, 0)
    assert {r.record.id for r in timeline.read(kinds=["Commitment"])} == first


def test_a_header_missing_a_column_does_not_point_to_its_own_importer() -> None:
    with pytest.raises(ImportDataError, match="missing required column") as raised:
        read_acled(io.StringIO("event_id_cnty,event_type\nX1,Battles\n"))
    assert "not 'acled'" not in str(raised.value)


def test_a_recognises_that_raises_does_not_hide_the_missing_column() -> None:
    class Raises(_Plugin):
        def recognises(self, columns: Collection[str]) -> bool:
            raise KeyError("boom")

    importers.register(Raises("a-raiser", _batch(rows=0)))
    try:
        with pytest.raises(ImportDataError, match="missing required column"):
            read_acled(io.StringIO("id,side_a,country\n1,x,y\n"))
    finally:
        importers.unregister("a-raiser")


def test_an_option_the_importer_does_not_take_is_refused_whatever_its_name() -> None:
    with pytest.raises(importers.UnknownOptionError, match="has no option 'encoding'"):
        importers.unknown_options("toy", {"encoding": "latin-1"}, ("source_name",))


def test_an_unknown_importer_name_is_answered_with_every_name() -> None:
    with pytest.raises(ImportDataError) as raised:
        importers.get_importer("nope")
    listed = str(raised.value).split("the importers are: ")[1].split(", ")
    builtin = ["acled", "acled-deletions", "eth-prio", "pax", "ucdp", "ucdp-peace-agreements"]
    assert set(builtin) <= set(listed)


class _Point:
    """An entry point as importlib.metadata gives it."""

    def __init__(self, name: str, loaded: object) -> None:
        self.name, self.value, self._loaded = name, f"fake:{name}", loaded

    def load(self) -> object:
        if isinstance(self._loaded, Exception):
            raise self._loaded
        return self._loaded


@pytest.fixture
def fresh_importers(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The importer registry emptied, to be filled again from these entry points."""
    saved = dict(importers._registered)

    def use(points: list[_Point]) -> None:
        monkeypatch.setattr(importers, "entry_points", lambda group: points)
        monkeypatch.setattr(importers, "_built_in", False)
        importers._ENTRY_POINTS.forget()
        importers._registered.clear()

    yield use
    importers._ENTRY_POINTS.forget()
    importers._registered.clear()
    importers._registered.update(saved)


def test_an_entry_point_named_like_a_built_in_importer_does_not_replace_it(
    fresh_importers: Any,
) -> None:
    builtin = importers.get_importer("acled")
    fresh_importers([_Point("acled", _Plugin("acled", _batch(rows=0)))])
    assert importers.get_importer("acled") is builtin


def test_a_broken_importer_entry_point_does_not_hide_the_next(fresh_importers: Any) -> None:
    good = _Plugin("good-one", _batch(rows=0))
    fresh_importers([_Point("broken", ImportError("gone")), _Point("good-one", good)])
    with pytest.warns(RuntimeWarning, match="'broken'"):
        names = importers.importer_names()
    assert {"good-one", "acled"} <= set(names)


def test_the_first_lookups_of_two_threads_both_find_every_built_in_importer() -> None:
    """The registry is filled once, whole, before any lookup answers: a second thread
    asking meanwhile waits for it (it found a part-filled registry)."""
    code = (
        "import threading\n"
        "from conflict_timeline.importers import get_importer\n"
        "errors, barrier = [], threading.Barrier(4)\n"
        "def go():\n"
        "    barrier.wait()\n"
        "    try:\n"
        "        get_importer('pax')\n"
        "    except Exception as exc:\n"
        "        errors.append(repr(exc))\n"
        "threads = [threading.Thread(target=go) for _ in range(4)]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "print(errors)\n"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": src},
        )
        assert done.stdout.strip() == "[]"


_PLUGIN = """
import time
from conflict_timeline.importers import register
from conflict_timeline.importers._registry import get_importer

time.sleep(0.5)  # long enough for the other thread's first lookup to start meanwhile


class Toy:
    name = "toy"
    description = "a toy"
    file_kinds = ("csv",)

    def recognises(self, columns):
        return False

    def read(self, source, **options):
        raise NotImplementedError


register(Toy())  # at import, as many plugins do
TOY = get_importer("toy")
"""

_RACE = """
import sys, threading, importlib
from conflict_timeline.importers import _registry

class Point:
    name, value = "toy", "slowplugin:TOY"
    def load(self):
        return importlib.import_module("slowplugin").TOY

_registry.entry_points = lambda group: [Point()]
found = []
importer = threading.Thread(target=lambda: found.append(importlib.import_module("slowplugin")))
importer.start()
while "slowplugin" not in sys.modules:
    pass
found.append(_registry.get_importer("toy"))  # loads the entry point: the same module
importer.join()
print(len(found), found[-1].name if hasattr(found[-1], "name") else found[0].TOY.name)
"""


def test_a_plugin_registering_at_import_while_another_thread_fills_the_registry(
    tmp_path: Path,
) -> None:
    """A plugin module that registers its importer when imported, imported by one
    thread while another's first lookup loads it as an entry point, ends in both
    finding it: no thread waits for the other's fill (it deadlocked: the filler held
    the registry while it waited for the plugin's import)."""
    (tmp_path / "slowplugin.py").write_text(_PLUGIN)
    src = str(Path(__file__).resolve().parents[1] / "src")
    done = subprocess.run(
        [sys.executable, "-c", _RACE],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{tmp_path}"},
    )
    assert done.stdout.split() == ["2", "toy"]


_LISTING_PLUGIN = """
import time
from conflict_timeline.importers import importer_names

time.sleep(0.5)  # long enough for the other thread's first lookup to start meanwhile
NAMES_AT_IMPORT = importer_names()  # lists the registry while its own module runs


class Toy:
    name = "toy"
    description = "a toy"
    file_kinds = ("csv",)

    def recognises(self, columns):
        return False

    def read(self, source, **options):
        raise NotImplementedError


TOY = Toy()
"""

_LISTING_RACE = """
import sys, threading, importlib
from conflict_timeline.importers import _registry, importer_names

class Point:
    name, value = "toy", "listplugin:TOY"
    def load(self):
        return importlib.import_module("listplugin").TOY

_registry.entry_points = lambda group: [Point()]
plugin = []
importer = threading.Thread(target=lambda: plugin.append(importlib.import_module("listplugin")))
importer.start()
while "listplugin" not in sys.modules:
    pass
found = _registry.get_importer("toy")  # loads the entry point: the same module
importer.join()
print(found.name, "toy" in plugin[0].NAMES_AT_IMPORT, "toy" in importer_names())
"""


def test_a_plugin_listing_the_importers_at_import_while_another_thread_loads_it(
    tmp_path: Path,
) -> None:
    """A plugin module that lists the importers when imported, imported by one thread
    while another's first lookup loads it as an entry point: neither waits for the
    other (they deadlocked: the listing waited for the loading thread, which waited
    for the plugin's import). The listing made while the plugin's own module runs
    leaves its entry point for later, unwarned (its importer is not defined yet);
    the lookup and every later listing find it."""
    (tmp_path / "listplugin.py").write_text(_LISTING_PLUGIN)
    src = str(Path(__file__).resolve().parents[1] / "src")
    done = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "-c", _LISTING_RACE],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{tmp_path}"},
    )
    assert done.stdout.split() == ["toy", "False", "True"]


class _LazyPoint:
    """An entry point whose object is read from its module when loaded."""

    def __init__(self, name: str, module: str, attribute: str) -> None:
        self.name, self.value = name, f"{module}:{attribute}"
        self._module, self._attribute = module, attribute

    def load(self) -> object:
        return getattr(importlib.import_module(self._module), self._attribute)


def test_a_plugin_listing_the_importers_as_it_is_imported_is_found_by_a_later_lookup(
    fresh_importers: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In one thread: the listing made while the plugin's own module runs cannot load
    its entry point yet, and leaves it for later, neither warned of nor given up: the
    next lookup loads it. A broken entry point beside it is warned of once, not again
    at that next lookup."""
    (tmp_path / "listplugin_once.py").write_text(_LISTING_PLUGIN.replace("time.sleep(0.5)", ""))
    monkeypatch.syspath_prepend(str(tmp_path))
    fresh_importers(
        [_Point("broken", ImportError("gone")), _LazyPoint("toy", "listplugin_once", "TOY")]
    )
    try:
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            plugin = importlib.import_module("listplugin_once")
            assert "toy" not in plugin.NAMES_AT_IMPORT
            assert importers.get_importer("toy") is plugin.TOY
            assert "toy" in importers.importer_names()
    finally:
        sys.modules.pop("listplugin_once", None)
    said = [str(w.message) for w in warned if issubclass(w.category, RuntimeWarning)]
    assert said == ["importer entry point 'broken' (fake:broken) not loaded: gone"]


def test_registering_the_same_importer_again_does_nothing() -> None:
    """As for views: a plugin that registers its importer at import, and is loaded as
    an entry point naming that same object, is not told its name is taken."""
    toy = _Plugin("same-again", _batch(rows=0))
    importers.register(toy)
    try:
        importers.register(toy)  # the same object: nothing happens
        assert importers.get_importer("same-again") is toy
        with pytest.raises(ValueError, match="registered already"):
            importers.register(_Plugin("same-again", _batch(rows=0)))  # another one
        assert importers.get_importer("same-again") is toy
    finally:
        importers.unregister("same-again")


def _toy(name: str) -> Any:
    """A plugin importer named ``name`` that reads nothing."""
    return _Plugin(name, _batch(rows=0))


_NAME_RULE = "must be lower case letters and digits, words separated by single hyphens"
_RESERVED = (
    "importer name 'jsonl' is reserved: `conflict-timeline import jsonl` reads this "
    "library's own JSON Lines, never an importer; choose another name"
)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "My CSV",
        "--into",
        "my_csv",
        "MyCsv",
        "Csv",
        "my-Csv",
        "csv-",
        "-csv",
        "my--csv",
        "2020-data",
        " csv",
    ],
)
def test_an_importer_name_must_be_lower_case_words_joined_by_hyphens(name: str) -> None:
    """As a view's name: the command line's ``import NAME`` takes it as typed."""
    with pytest.raises(ValueError, match=r"^importer name ") as refused:
        importers.register(_toy(name))
    assert str(refused.value) == f"importer name {name!r} {_NAME_RULE} (like 'acled-deletions')"
    assert name not in importers.importer_names()


@pytest.mark.parametrize("name", ["my-csv", "csv2", "a", "acled-v2-extra"])
def test_an_importer_name_of_lower_case_words_joined_by_hyphens_is_taken(name: str) -> None:
    toy = _toy(name)
    importers.register(toy)
    try:
        assert importers.get_importer(name) is toy
        importers.register(toy)  # the same object again: still nothing happens
        assert importers.get_importer(name) is toy
    finally:
        importers.unregister(name)


@pytest.mark.parametrize("replace", [False, True])
def test_no_importer_may_be_named_jsonl(replace: bool) -> None:
    """``conflict-timeline import jsonl`` reads the library's own JSON Lines; an
    importer of that name would be what `Timeline.import_("jsonl")` used but never what
    the command line ran. Refused, even with ``replace=True``."""
    with pytest.raises(ValueError, match=r"^importer name ") as refused:
        importers.register(_toy("jsonl"), replace=replace)
    assert str(refused.value) == _RESERVED
    assert "jsonl" not in importers.importer_names()


def test_an_entry_point_whose_importer_name_is_malformed_or_reserved_is_skipped(
    fresh_importers: Any,
) -> None:
    """The entry-point path keeps the same rules: such an importer is skipped, with a
    `RuntimeWarning` saying why; the others load."""
    fine = _toy("fine-csv")
    fresh_importers(
        [
            _Point("jsonl", _toy("jsonl")),
            _Point("my-csv", _toy("My CSV")),
            _Point("fine-csv", fine),
        ]
    )
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        names = importers.importer_names()
    assert "jsonl" not in names
    assert "My CSV" not in names
    assert importers.get_importer("fine-csv") is fine
    said = [str(w.message) for w in warned if issubclass(w.category, RuntimeWarning)]
    assert said == [
        f"importer entry point 'jsonl' (fake:jsonl) not loaded: {_RESERVED}",
        (
            "importer entry point 'my-csv' (fake:my-csv) not loaded: importer name 'My CSV' "
            f"{_NAME_RULE} (like 'acled-deletions')"
        ),
    ]


class _ViewOf:
    def initial(self) -> int:
        return 0

    def apply(self, state: int, recorded: object) -> int:
        return state


def test_a_view_without_result_is_refused_when_registered() -> None:
    with pytest.raises(QueryError, match="has no result"):
        views.register_view("no-result-view", _ViewOf)
    assert "no-result-view" not in views.view_names()


def test_a_view_entry_point_cannot_take_a_built_in_name(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    class Impostor(_ViewOf):
        def result(self, state: int, query: object) -> int:
            return state

    builtin = views.get_view("active-commitments")
    monkeypatch.setattr(
        importlib.metadata, "entry_points", lambda group: [_Point("active-commitments", Impostor)]
    )
    views.reread_entry_points()
    try:
        with pytest.warns(RuntimeWarning, match="active-commitments"):
            assert views.get_view("active-commitments") is builtin
    finally:
        views.register_view("active-commitments", builtin, replace=True)
        monkeypatch.undo()
        views.reread_entry_points()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_writing_to_a_named_pipe_writes_into_it(tmp_path: Path) -> None:
    """Only a regular file is replaced whole: a named pipe is written into (what a
    shell's process substitution gives), and stays a pipe."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so the writer does not wait
    try:
        with replacing(fifo) as out:
            out.write("hello\n")
        got = os.read(reader, 100)
    finally:
        os.close(reader)
    assert got == b"hello\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
