"""Views by name: built-ins, register_view, the entry-point group, and the CLI's tables."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import conflict_timeline as ct
from conflict_timeline import datasets, views
from conflict_timeline.errors import QueryError

CLI = Path(sys.executable).parent / "conflict-timeline"

# The names docs/explanation/views.md promises, written out (not read from the registry).
BUILT_IN = {
    "active-commitments": ct.ActiveCommitments,
    "agreements": ct.Agreements,
    "casualty-estimates": ct.CasualtyEstimates,
    "commitment-history": ct.CommitmentHistory,
    "gazetteer": ct.Gazetteer,
    "open-requests": ct.OpenRequests,
    "reported-violations": ct.ReportedViolations,
    "request-log": ct.RequestLog,
    "triggered-commitments": ct.TriggeredCommitments,
}

TOY_MODULE = """
from typing import ClassVar

import attrs
import immutables

from conflict_timeline import Attack, Recorded
from conflict_timeline.views import Query, Table, View


@attrs.frozen
class Counts:
    per_place: tuple[tuple[str, int], ...]
    query: Query

    def table(self) -> Table:
        return Table(("place", "attacks"), tuple((p, str(n)) for p, n in self.per_place))


class AttacksPerPlace(View[immutables.Map[str, int], Counts]):
    kinds: ClassVar[frozenset[str] | None] = frozenset({"Attack"})

    def initial(self) -> immutables.Map[str, int]:
        return immutables.Map()

    def apply(self, state: immutables.Map[str, int], recorded: Recorded):
        attack = recorded.record
        assert isinstance(attack, Attack)
        place = attack.place or "?"
        return state.set(place, state.get(place, 0) + 1)

    def result(self, state: immutables.Map[str, int], query: Query) -> Counts:
        return Counts(tuple(sorted(state.items())), query)
"""


@pytest.fixture(scope="module")
def karabakh() -> ct.Timeline:
    timeline = ct.Timeline()
    timeline.extend(datasets.karabakh_oct_2020())
    return timeline


@pytest.fixture
def toy(tmp_path: Path) -> Iterator[Any]:
    """The toy view module, importable, registered under "attacks-per-place"."""
    (tmp_path / "toyviews.py").write_text(TOY_MODULE)
    sys.path.insert(0, str(tmp_path))
    try:
        import toyviews  # type: ignore[import-not-found]

        views.register_view("attacks-per-place", toyviews.AttacksPerPlace)
        yield toyviews
    finally:
        views.unregister_view("attacks-per-place")
        sys.path.remove(str(tmp_path))
        sys.modules.pop("toyviews", None)


def test_built_in_names() -> None:
    assert set(BUILT_IN) <= set(views.view_names())
    for name, cls in BUILT_IN.items():
        assert views.get_view(name) is cls


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_state_series_and_live_by_name(karabakh: ct.Timeline, name: str) -> None:
    cls = BUILT_IN[name]
    by_name = karabakh.state(name, at="2020-10-20", known_at="2020-11-01")
    fresh = ct.Timeline()
    fresh.extend(datasets.karabakh_oct_2020())
    assert by_name == fresh.state(cls, at="2020-10-20", known_at="2020-11-01")
    series = karabakh.series(name, "2020-10-01", "2020-10-03")
    assert [p.value for p in series] == [
        fresh.state(cls, at=day) for day in ("2020-10-01", "2020-10-02", "2020-10-03")
    ]
    assert karabakh.live(name).value == fresh.state(cls)


def test_unknown_name_lists_the_names(karabakh: ct.Timeline) -> None:
    with pytest.raises(QueryError) as caught:
        karabakh.state("active-comitments")
    message = str(caught.value)
    assert "'active-comitments'" in message
    for name in BUILT_IN:
        assert name in message


@pytest.mark.parametrize("bad", [3, [1, 2], object(), int, ct.Attack])
def test_a_non_view_gets_told_what_a_view_is(karabakh: ct.Timeline, bad: object) -> None:
    with pytest.raises(QueryError, match=r"is not a view .*a view is a class") as caught:
        karabakh.state(bad)  # type: ignore[call-overload]
    assert "initial" in str(caught.value)


def test_register_view_rules(toy: Any) -> None:
    views.register_view("attacks-per-place", toy.AttacksPerPlace)  # same again: a no-op
    with pytest.raises(QueryError, match=r"taken by toyviews\.AttacksPerPlace"):
        views.register_view("attacks-per-place", ct.Gazetteer)
    for bad in ("Attacks", "attacks-Per-place", "attacks_per_place", "-x", "a--b", ""):
        with pytest.raises(QueryError, match="lower case"):
            views.register_view(bad, toy.AttacksPerPlace)
    with pytest.raises(QueryError, match="is a string, not a view; a view is"):
        views.register_view("not-a-view", "gazetteer")  # type: ignore[arg-type]
    assert "not-a-view" not in views.view_names()
    views.register_view("attacks-per-place", ct.Gazetteer, replace=True)
    assert views.get_view("attacks-per-place") is ct.Gazetteer


def test_registered_view_by_name(karabakh: ct.Timeline, toy: Any) -> None:
    counts = karabakh.state("attacks-per-place", at="2020-10-31")
    attacks = [
        r.record
        for r in karabakh.by_kind("Attack")
        if r.record.occurred.lo <= karabakh.query(at="2020-10-31").at  # type: ignore[operator]
    ]
    expected: dict[str, int] = {}
    for attack in attacks:
        assert isinstance(attack, ct.Attack)
        expected[attack.place or "?"] = expected.get(attack.place or "?", 0) + 1
    assert dict(counts.per_place) == expected


def test_projection_is_the_former_name_of_view() -> None:
    assert ct.Projection is ct.View
    assert isinstance(ct.ActiveCommitments(), ct.View)


# ------------------------------------------------------------------ tables


def test_every_built_in_result_gives_its_table(karabakh: ct.Timeline) -> None:
    for name in BUILT_IN:
        result = karabakh.state(name, at="2020-10-31")
        assert isinstance(result, views.Tabular), name
        table = result.table()
        for row in table.rows:
            assert len(row) == len(table.columns), name
            assert all(isinstance(cell, str) for cell in row), name
        if isinstance(result, views.Listing):
            assert len(table.rows) == len(result)


def test_table_rows_say_what_the_entries_hold(karabakh: ct.Timeline) -> None:
    active = karabakh.state(ct.ActiveCommitments, at="2020-10-31")
    table = active.table()
    assert table.columns == ("id", "kind", "parties", "since", "sources")
    for entry, row in zip(active, table.rows, strict=True):
        assert row[0] == entry.id
        assert row[1] == entry.commitment.commitment_kind.value
        assert row[2] == ", ".join(entry.commitment.parties)
        assert row[4] == "; ".join(s.publisher for s in entry.commitment.sources)
    gazetteer = karabakh.state(ct.Gazetteer).table()
    kinds = [row[0] for row in gazetteer.rows]
    assert kinds == sorted(kinds)  # actors first, then places
    assert len(gazetteer.rows) == len(list(karabakh.by_kind("ActorDefined", "PlaceDefined")))


def test_a_listing_of_entries_without_rows_says_so() -> None:
    @attrs.frozen
    class Plain:
        id: str

    with pytest.raises(TypeError, match="Plain entries give no table row"):
        views.Listing((Plain("x"),), views.Query()).table()
    assert views.Listing((), views.Query()).table() == views.Table((), ())


# ------------------------------------------------------------ entry points


def _install(tmp_path: Path, target: str) -> Path:
    """A package on a path entry with a ``conflict_timeline.views`` entry point."""
    (tmp_path / "toyviews.py").write_text(TOY_MODULE)
    info = tmp_path / "toyviews-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toyviews\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        f"[conflict_timeline.views]\nattacks-per-place = {target}\n"
    )
    return tmp_path


def _cli(path: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(path), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [str(CLI), *map(str, args)], capture_output=True, text=True, env=env, check=False
    )


@pytest.fixture(scope="module")
def karabakh_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("db") / "k.db"
    with ct.Timeline.open(db) as timeline:
        timeline.extend(datasets.karabakh_oct_2020())
    return db


def test_entry_point_view_in_state_and_cli(tmp_path: Path, karabakh_db: Path) -> None:
    path = _install(tmp_path, "toyviews:AttacksPerPlace")
    sys.path.insert(0, str(path))
    try:
        views.reread_entry_points()
        assert "attacks-per-place" in views.view_names()
        with ct.Timeline.open(karabakh_db, create=False) as timeline:
            counts = timeline.state("attacks-per-place")
            assert sum(n for _, n in counts.per_place) == len(list(timeline.by_kind("Attack")))
    finally:
        views.unregister_view("attacks-per-place")
        sys.path.remove(str(path))
        sys.modules.pop("toyviews", None)
        views.reread_entry_points()
    out = _cli(path, "state", karabakh_db, "--view", "attacks-per-place")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("attacks-per-place: everything recorded: ")
    assert lines[1].split() == ["place", "attacks"]
    help_text = _cli(path, "state", "--help").stdout
    assert "attacks-per-place" in help_text


def test_broken_entry_point_warns_and_names_itself(tmp_path: Path) -> None:
    path = _install(tmp_path, "toyviews:NoSuchView")
    sys.path.insert(0, str(path))
    try:
        views.reread_entry_points()
        with pytest.warns(RuntimeWarning, match="'attacks-per-place'.*could not be loaded"):
            names = views.view_names()
        assert "attacks-per-place" not in names
        assert "gazetteer" in names
        with pytest.raises(QueryError, match="failed to load: AttributeError"):
            views.get_view("attacks-per-place")
    finally:
        sys.path.remove(str(path))
        sys.modules.pop("toyviews", None)
        views.reread_entry_points()


def test_cli_refuses_a_table_for_a_result_without_one(tmp_path: Path, karabakh_db: Path) -> None:
    module = TOY_MODULE.replace("    def table(self) -> Table:", "    def rows(self) -> Table:")
    _install(tmp_path, "toyviews:AttacksPerPlace")
    (tmp_path / "toyviews.py").write_text(module)
    out = _cli(tmp_path, "state", karabakh_db, "--view", "attacks-per-place")
    assert out.returncode == 2  # a usage error: status 1 is only for a failed verify
    assert "has no table(); use --format json" in out.stderr
    json_out = _cli(
        tmp_path, "state", karabakh_db, "--view", "attacks-per-place", "--format", "json"
    )
    assert json_out.returncode == 0, json_out.stderr
    assert '"view": "attacks-per-place"' in json_out.stdout


_SLOW_VIEW_PLUGIN = """
import time
from conflict_timeline.views import get_view, register_view

time.sleep(0.5)  # long enough for the other thread's first lookup to start meanwhile


class Toy:
    def initial(self):
        return 0

    def apply(self, state, recorded):
        return state

    def result(self, state, query):
        return state


register_view("toy-view", Toy)  # at import, as many plugins do
TOY = get_view("toy-view")
"""

_VIEW_RACE = """
import sys, threading, importlib, importlib.metadata
from conflict_timeline.views import get_view

class Point:
    name, value = "toy-view", "slowviewplugin:Toy"
    def load(self):
        return importlib.import_module("slowviewplugin").Toy

importlib.metadata.entry_points = lambda group: [Point()]
found = []
def import_it():
    found.append(importlib.import_module("slowviewplugin").TOY)
importer = threading.Thread(target=import_it)
importer.start()
while "slowviewplugin" not in sys.modules:
    pass
found.append(get_view("toy-view"))  # reads the entry point: the same module
importer.join()
print(len(found), *sorted(view.__name__ for view in found))
"""


def test_a_plugin_registering_at_import_while_another_thread_reads_the_entry_points(
    tmp_path: Path,
) -> None:
    """A plugin module that registers its view when imported, imported by one thread
    while another's first lookup loads it as an entry point, ends in both finding it:
    no thread waits for the other's reading (it deadlocked: the reader held the
    registry while it waited for the plugin's import, whose register_view waited for
    the registry). The importers' registry had the same fault, fixed before."""
    (tmp_path / "slowviewplugin.py").write_text(_SLOW_VIEW_PLUGIN)
    src = str(Path(__file__).resolve().parents[1] / "src")
    done = subprocess.run(
        [sys.executable, "-c", _VIEW_RACE],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{tmp_path}"},
    )
    assert done.stdout.split() == ["2", "Toy", "Toy"]


def test_the_first_lookups_of_threads_all_find_a_view_another_thread_is_reading(
    tmp_path: Path,
) -> None:
    """Entry points are read whole before a lookup of a name not yet registered
    answers: each thread asking loads those not loaded yet itself (the import of the
    plugin's module happens once, the others waiting for it), and none is told there
    is no such view."""
    (tmp_path / "slowviewplugin.py").write_text(_SLOW_VIEW_PLUGIN)
    code = (
        "import threading, importlib, importlib.metadata\n"
        "from conflict_timeline.views import get_view\n"
        "class Point:\n"
        "    name, value = 'toy-view', 'slowviewplugin:Toy'\n"
        "    def load(self):\n"
        "        return importlib.import_module('slowviewplugin').Toy\n"
        "importlib.metadata.entry_points = lambda group: [Point()]\n"
        "errors, barrier = [], threading.Barrier(4)\n"
        "def go():\n"
        "    barrier.wait()\n"
        "    try:\n"
        "        get_view('toy-view')\n"
        "    except Exception as exc:\n"
        "        errors.append(repr(exc))\n"
        "threads = [threading.Thread(target=go) for _ in range(4)]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "print(errors)\n"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{tmp_path}"},
    )
    assert done.stdout.strip() == "[]"


_LISTING_VIEW_PLUGIN = """
import time
from conflict_timeline.views import view_names

time.sleep(0.5)  # long enough for the other thread's first lookup to start meanwhile
NAMES_AT_IMPORT = view_names()  # lists the registry while its own module runs


class Toy:
    def initial(self):
        return 0

    def apply(self, state, recorded):
        return state

    def result(self, state, query):
        return state
"""


def test_a_plugin_listing_the_views_at_import_while_another_thread_loads_it(
    tmp_path: Path,
) -> None:
    """A plugin module that lists the views when imported, imported by one thread while
    another's first lookup loads it as an entry point: neither waits for the other
    (they deadlocked: the listing waited for the reading thread, which waited for the
    plugin's import). The listing made while the plugin's own module runs leaves its
    entry point for later, unwarned; the lookup and every later listing find it."""
    (tmp_path / "listviewplugin.py").write_text(_LISTING_VIEW_PLUGIN)
    code = (
        "import sys, threading, importlib, importlib.metadata\n"
        "from conflict_timeline.views import get_view, view_names\n"
        "class Point:\n"
        "    name, value = 'toy-view', 'listviewplugin:Toy'\n"
        "    def load(self):\n"
        "        return importlib.import_module('listviewplugin').Toy\n"
        "importlib.metadata.entry_points = lambda group: [Point()]\n"
        "plugin = []\n"
        "t = threading.Thread(target=lambda: plugin.append("
        "importlib.import_module('listviewplugin')))\n"
        "t.start()\n"
        "while 'listviewplugin' not in sys.modules:\n"
        "    pass\n"
        "found = get_view('toy-view')\n"
        "t.join()\n"
        "print(found.__name__, 'toy-view' in plugin[0].NAMES_AT_IMPORT, "
        "'toy-view' in view_names())\n"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    done = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{tmp_path}"},
    )
    assert done.stdout.split() == ["Toy", "False", "True"]
