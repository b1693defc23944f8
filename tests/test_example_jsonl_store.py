"""The toy backend of examples/jsonl_store.py passes the shipped conformance suite, and
the store registry picks a backend by URL scheme: built in, registered, or declared as
an entry point by an installed package."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conflict_timeline import MemoryStore, SQLiteStore, StoreError, Timeline
from conflict_timeline.datasets import karabakh_oct_2020
from conflict_timeline.stores import (
    ENTRY_POINT_GROUP,
    Clock,
    Store,
    StoreBase,
    _registry,
    backends,
    open_store,
    register_backend,
)
from conflict_timeline.testing import StoreConformance

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "jsonl_store.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("jsonl_store_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


toy = _load()


class TestJsonlStore(StoreConformance):
    def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        return toy.JsonlStore(tmp_path / "log.jsonl", clock=clock)  # type: ignore[no-any-return]

    def reopen_store(self, store: Store, clock: Clock) -> Store:
        store.close()
        return toy.JsonlStore(store.path, clock=clock, create=False)  # type: ignore[no-any-return, attr-defined]

    def corrupt(self, store: Store, position: int) -> bool:
        # Change one character of the payload on disk, keeping the line valid JSON.
        path: Path = store.path  # type: ignore[attr-defined]
        lines = path.read_text("utf-8").splitlines()
        for i, line in enumerate(lines):
            item = json.loads(line)
            if item.get("position") == position:
                payload = item["payload"]
                middle = len(payload) // 2
                swapped = "x" if payload[middle] != "x" else "y"
                item["payload"] = payload[:middle] + swapped + payload[middle + 1 :]
                lines[i] = json.dumps(item)
        path.write_text("\n".join(lines) + "\n", "utf-8")
        return True

    def rewrite(self, store: Store, position: int, payload: bytes, digest: str) -> bool:
        # Replace the payload and the hash of one line on disk.
        path: Path = store.path  # type: ignore[attr-defined]
        lines = path.read_text("utf-8").splitlines()
        for i, line in enumerate(lines):
            item = json.loads(line)
            if item.get("position") == position:
                item["payload"] = payload.decode("utf-8")
                item["hash"] = digest
                lines[i] = json.dumps(item)
        path.write_text("\n".join(lines) + "\n", "utf-8")
        return True


# ------------------------------------------------------------------ the ABC contract


HOOKS = {
    "_begin",
    "_commit",
    "_rollback",
    "_lookup",
    "_head_and_hash",
    "_write",
    "_verify_rows",
    "read",
    "close",
}


def test_every_hook_a_backend_must_write_is_abstract() -> None:
    assert StoreBase.__abstractmethods__ == HOOKS
    for name in HOOKS:
        doc = getattr(StoreBase, name).__doc__
        assert doc is not None
        assert len(doc.split()) > 15, f"{name} says too little about its guarantee"


def test_a_backend_missing_a_hook_cannot_be_made() -> None:
    class Half(StoreBase):
        def read(self, **kw: Any) -> Iterator[Any]:
            return iter(())

    with pytest.raises(TypeError, match="abstract"):
        Half()  # type: ignore[abstract]


# ------------------------------------------------------------------------- registry


@pytest.fixture
def clean_registry() -> Iterator[None]:
    saved = dict(_registry._registered)
    yield
    _registry._registered.clear()
    _registry._registered.update(saved)


def test_a_plain_path_and_an_sqlite_url_open_the_same_file(tmp_path: Path) -> None:
    with Timeline.open(tmp_path / "a.db") as timeline:
        timeline.append(*karabakh_oct_2020()[:3])
    for target in (
        str(tmp_path / "a.db"),
        f"sqlite:{tmp_path / 'a.db'}",
        f"SQLite://{tmp_path / 'a.db'}",
        f"sqlite://localhost{tmp_path / 'a.db'}",
    ):
        with Timeline.open(target, create=False) as timeline:
            assert isinstance(timeline.store, SQLiteStore)
            assert timeline.store.path == tmp_path / "a.db"
            assert len(timeline) == 3


def test_a_relative_sqlite_url_is_relative_to_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with Timeline.open("sqlite:rel.db") as timeline:
        timeline.append(*karabakh_oct_2020()[:1])
    assert (tmp_path / "rel.db").stat().st_size > 0


def test_a_path_whose_name_looks_like_a_url_is_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The registry's hint: a file whose name has a colon is given as a Path (the
    scheme was stripped from a Path named "sqlite:x.db", opening "x.db")."""
    monkeypatch.chdir(tmp_path)
    with Timeline.open(Path("sqlite:x.db")) as timeline:
        timeline.append(*karabakh_oct_2020()[:1])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sqlite:x.db"]
    assert _registry.sqlite_file(Path("sqlite:x.db")) == "sqlite:x.db"
    assert _registry.sqlite_file("sqlite:x.db") == "x.db"
    assert _registry.sqlite_file("memory:") is None


def test_memory_url_opens_a_new_memory_store() -> None:
    store = open_store("memory:")
    assert isinstance(store, MemoryStore)
    assert store.head() == 0
    with pytest.raises(StoreError, match="create=False"):
        open_store("memory:", create=False)
    with pytest.raises(StoreError, match="no name or path"):
        open_store("memory:somewhere")


@pytest.mark.parametrize("bad", ["sqlite:", "sqlite://example.org/x.db"])
def test_a_malformed_sqlite_url_is_refused(bad: str) -> None:
    with pytest.raises(StoreError, match=r"sqlite"):
        open_store(bad)


@pytest.mark.parametrize("target", ["memory:", "memory://", "MEMORY:", "Memory://"])
def test_every_form_of_the_memory_url_opens_a_new_memory_store(target: str) -> None:
    """``memory:`` or ``memory://``, the scheme matched case-insensitively."""
    store = open_store(target)
    assert isinstance(store, MemoryStore)
    assert store.head() == 0


def test_a_memory_store_cannot_be_opened_read_only() -> None:
    """It always starts empty, so read-only it could never hold anything."""
    with pytest.raises(StoreError, match=r"^memory:: a memory store always starts empty; "):
        open_store("memory:", read_only=True)


@pytest.mark.parametrize(
    "bad", ["sqlite://localhost", "sqlite://", "sqlite://example.org/x.db", "SQLITE://host/x.db"]
)
def test_an_sqlite_url_with_a_host_and_no_path_names_no_file(bad: str) -> None:
    """``sqlite://`` is followed by an empty host or ``localhost``, then the absolute
    path: without that path (or with another host) it names no local file."""
    expected = (
        f"^{re.escape(bad)}: an sqlite URL names a local file, as sqlite:PATH or "
        "sqlite:///ABSOLUTE/PATH$"
    )
    with pytest.raises(StoreError, match=expected):
        open_store(bad)


def test_an_unknown_scheme_names_it_and_lists_the_installed_ones(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        Timeline.open("nosuch://host/db")
    message = str(caught.value)
    assert "no backend for scheme 'nosuch'; installed: " in message
    installed = message.split("installed: ")[1].split(" (", maxsplit=1)[0].split(", ")
    assert {"memory", "sqlite"} <= set(installed)
    assert not list(tmp_path.iterdir())


def test_registered_backend_is_picked_by_scheme(tmp_path: Path, clean_registry: None) -> None:
    calls: list[tuple[str, dict[str, object]]] = []

    def opener(target: str, **kw: Any) -> Store:
        calls.append((target, kw))
        return toy.open_jsonl(target, **kw)  # type: ignore[no-any-return]

    register_backend("Toy", opener)
    assert "toy" in backends()
    target = f"toy:{tmp_path / 'log.jsonl'}"
    with Timeline.open(target) as timeline:
        timeline.append(*karabakh_oct_2020())
    with Timeline.open(target, create=False, read_only=True) as timeline:
        assert isinstance(timeline.store, toy.JsonlStore)
        assert len(timeline) == len(karabakh_oct_2020())
        assert timeline.verify().ok
        with pytest.raises(StoreError, match="read-only"):
            timeline.append(*karabakh_oct_2020()[:1])
    assert calls == [
        (target, {"clock": None, "create": True, "read_only": False}),
        (target, {"clock": None, "create": False, "read_only": True}),
    ]


def test_a_registered_scheme_replaces_a_built_in_opener(
    tmp_path: Path, clean_registry: None
) -> None:
    """register_backend: registering a scheme again replaces its opener, built-in ones
    included; a registered scheme comes first."""
    opened: list[str] = []

    def opener(target: str, **kw: Any) -> Store:
        opened.append(target)
        return MemoryStore()

    register_backend("SQLite", opener)
    store = open_store(f"sqlite:{tmp_path / 'a.db'}")
    assert isinstance(store, MemoryStore)
    assert opened == [f"sqlite:{tmp_path / 'a.db'}"]
    assert not list(tmp_path.iterdir())


def test_an_opener_that_is_not_callable_is_refused(clean_registry: None) -> None:
    with pytest.raises(
        StoreError, match=r"^register_backend: the opener for 'toy' is not callable"
    ):
        register_backend("toy", "toy_backend:open_jsonl")  # type: ignore[arg-type]
    assert "toy" not in backends()


@pytest.mark.parametrize("target", [3, None, b"timeline.db"])
def test_open_store_refuses_what_is_neither_a_url_nor_a_path(target: object) -> None:
    name = type(target).__name__
    with pytest.raises(StoreError, match=rf"^open_store: expected a URL or a path, got {name}$"):
        open_store(target)  # type: ignore[arg-type]


def test_create_and_read_only_reach_the_file_through_an_sqlite_url(tmp_path: Path) -> None:
    """``open_store`` passes ``create`` and ``read_only`` to the SQLite opener for an
    ``sqlite:`` URL as for a plain path: a missing file is not created."""
    path = tmp_path / "absent.db"
    with pytest.raises(StoreError, match="no such timeline file"):
        open_store(f"sqlite:{path}", create=False)
    with pytest.raises(StoreError, match="no such timeline file"):
        open_store(f"sqlite:{path}", read_only=True)
    assert not list(tmp_path.iterdir())


class _EntryPoints:
    """``metadata.entry_points`` as an installed package's declarations make it answer:
    the declared scheme's object is the attribute of a module put in ``sys.modules``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.module = ModuleType("toy_entry_point_backend")
        monkeypatch.setitem(sys.modules, self.module.__name__, self.module)

    def declare(self, name: str, obj: object) -> None:
        vars(self.module)["opener"] = obj
        declared = [metadata.EntryPoint(name, f"{self.module.__name__}:opener", ENTRY_POINT_GROUP)]

        def entry_points(*, group: str) -> list[metadata.EntryPoint]:
            return declared if group == ENTRY_POINT_GROUP else []

        self.monkeypatch.setattr(metadata, "entry_points", entry_points)


def test_an_entry_point_scheme_is_listed_and_opens_in_any_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_registry: None
) -> None:
    """An entry point named ``Toy``: ``backends()`` lists it as ``toy`` and ``TOY:...``
    opens with its opener (schemes are matched case-insensitively)."""
    points = _EntryPoints(monkeypatch)
    points.declare("Toy", toy.open_jsonl)
    assert "toy" in backends()
    with Timeline.open(f"TOY:{tmp_path / 'log.jsonl'}") as timeline:
        timeline.append(*karabakh_oct_2020()[:2])
        assert isinstance(timeline.store, toy.JsonlStore)


def test_an_entry_point_cannot_take_over_a_built_in_scheme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_registry: None
) -> None:
    def hijack(target: str, **kw: Any) -> Store:
        raise AssertionError("the entry point was used")

    _EntryPoints(monkeypatch).declare("sqlite", hijack)
    store = open_store(f"sqlite:{tmp_path / 'a.db'}")
    assert isinstance(store, SQLiteStore)
    store.close()


def test_an_entry_point_whose_object_is_not_callable_is_refused(
    monkeypatch: pytest.MonkeyPatch, clean_registry: None
) -> None:
    _EntryPoints(monkeypatch).declare("toy", 42)
    with pytest.raises(
        StoreError,
        match=r"^the entry point 'toy_entry_point_backend:opener' for scheme 'toy' "
        r"is not callable$",
    ):
        open_store("toy:somewhere")


@pytest.mark.parametrize("scheme", ["", "x", "1abc", "has space", "a/b"])
def test_a_scheme_must_look_like_one(scheme: str) -> None:
    with pytest.raises(StoreError, match="not a URL scheme"):
        register_backend(scheme, toy.open_jsonl)


def test_a_windows_drive_letter_is_not_a_scheme() -> None:
    assert _registry.scheme_of("C:\\timelines\\a.db") is None
    assert _registry.scheme_of("sqlite:a.db") == "sqlite"


# -------------------------------------------------- an entry point of an installed package


def test_an_installed_entry_point_is_picked_up_by_timeline_open(tmp_path: Path) -> None:
    """A real package, installed by pip into a folder of its own, declares the scheme
    ``toy`` in the group ``conflict_timeline.stores``; a fresh interpreter with that
    folder on its path opens ``toy:...`` with it, through nothing but the entry point."""
    package = tmp_path / "toy-backend"
    (package / "toy_backend").mkdir(parents=True)
    (package / "toy_backend" / "__init__.py").write_text(EXAMPLE.read_text("utf-8"))
    (package / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [build-system]
            requires = ["setuptools>=61", "wheel"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "toy-backend"
            version = "0.1"

            [project.entry-points."conflict_timeline.stores"]
            toy = "toy_backend:open_jsonl"
            """
        )
    )
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(site),
            str(package),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    script = textwrap.dedent(
        """\
        import sys
        from conflict_timeline import Timeline
        from conflict_timeline.datasets import karabakh_oct_2020
        from conflict_timeline.stores import backends

        target = "toy:" + sys.argv[1]
        with Timeline.open(target) as timeline:
            timeline.append(*karabakh_oct_2020())
        with Timeline.open(target, create=False) as timeline:
            print(type(timeline.store).__module__, type(timeline.store).__name__)
            print(len(timeline), timeline.verify().ok, "toy" in backends())
        """
    )
    log = tmp_path / "log.jsonl"
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(log)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["toy_backend JsonlStore", "25 True True"]
    first = json.loads(log.read_text("utf-8").splitlines()[0])
    assert first["position"] == 1
    # Without the installed package, the scheme is unknown.
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "other.jsonl")],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "no backend for scheme 'toy'" in done.stderr


def test_sqlite_file_is_none_once_another_opener_takes_the_sqlite_scheme(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``sqlite_file`` names the file the built-in SQLite opener would open, or None
    when another backend opens the target: a scheme registered over ``sqlite``
    included (the command line then treats the target as no local file)."""
    monkeypatch.setattr(_registry, "_registered", {})
    _registry.register_backend("sqlite", lambda target, **kw: MemoryStore())
    assert _registry.sqlite_file("sqlite:x.db") is None
    assert _registry.sqlite_file("x.db") == "x.db"  # a plain path is still a file
    with pytest.raises(StoreError, match="no backend"):
        _registry.sqlite_file("nosuch:x")
